use proptest::prelude::*;

use super::*;

fn attr(t: i64, v: i64) -> Attribute {
    Attribute {
        set: None,
        attr_type: t,
        value: AttrValue::Numeric(v),
    }
}

fn term(attributes: Vec<Attribute>, text: &str) -> RpnNode {
    RpnNode::Operand(Operand::Term(AttributesPlusTerm {
        attributes,
        term: PqfTerm {
            kind: TermKind::General,
            text: text.into(),
        },
    }))
}

fn op(op: RpnOp, l: RpnNode, r: RpnNode) -> RpnNode {
    RpnNode::Op {
        op,
        left: Box::new(l),
        right: Box::new(r),
    }
}

fn root(q: &str) -> RpnNode {
    parse_pqf(q).unwrap_or_else(|e| panic!("{q}: {e}")).root
}

#[test]
fn simple_term_and_attributes() {
    assert_eq!(root("tolkien"), term(vec![], "tolkien"));
    assert_eq!(
        root("@attr 1=7 9780306406157"),
        term(vec![attr(1, 7)], "9780306406157")
    );
    assert_eq!(
        root("@attr 1=4 @attr 4=1 @attr 5=1 \"lord of the\""),
        term(vec![attr(1, 4), attr(4, 1), attr(5, 1)], "lord of the")
    );
    let RpnNode::Operand(Operand::Term(apt)) = root("@attr 1=4 @attr 1=21 x") else {
        panic!()
    };
    assert_eq!(apt.numeric(1), Some(21));
    assert_eq!(apt.numeric(2), None);
}

#[test]
fn spec_examples() {
    assert_eq!(
        root("@and @attr 1=4 hobbit @attr 1=1003 tolkien"),
        op(
            RpnOp::And,
            term(vec![attr(1, 4)], "hobbit"),
            term(vec![attr(1, 1003)], "tolkien")
        )
    );
    assert_eq!(
        root("@or @attr 1=7 0306406152 @attr 1=7 9780306406157"),
        op(
            RpnOp::Or,
            term(vec![attr(1, 7)], "0306406152"),
            term(vec![attr(1, 7)], "9780306406157")
        )
    );
    assert_eq!(
        root("@prox 0 3 1 2 k 2 dylan zimmerman"),
        op(
            RpnOp::Prox(Proximity {
                exclusion: false,
                distance: 3,
                ordered: true,
                relation: 2,
                unit: ProxUnit::Known(2)
            }),
            term(vec![], "dylan"),
            term(vec![], "zimmerman")
        )
    );
    assert_eq!(
        root("@not a b"),
        op(RpnOp::AndNot, term(vec![], "a"), term(vec![], "b"))
    );
}

#[test]
fn outer_attributes_apply_to_every_term_below() {
    assert_eq!(
        root("@attr 1=4 @or @attr 4=1 a b"),
        op(
            RpnOp::Or,
            term(vec![attr(1, 4), attr(4, 1)], "a"),
            term(vec![attr(1, 4)], "b")
        )
    );
    assert_eq!(
        parse_pqf("@attr 1=4 @or @attr 4=1 a b")
            .unwrap()
            .to_string(),
        "@or @attr 1=4 @attr 4=1 a @attr 1=4 b"
    );
}

#[test]
fn attribute_sets_strings_and_term_types() {
    let q = parse_pqf("@attrset bib-1 @attr gils 1=2000 @attr 1=title @term string foo").unwrap();
    assert_eq!(q.attribute_set.as_deref(), Some("bib-1"));
    let RpnNode::Operand(Operand::Term(apt)) = &q.root else {
        panic!()
    };
    assert_eq!(
        apt.attributes,
        vec![
            Attribute {
                set: Some("gils".into()),
                attr_type: 1,
                value: AttrValue::Numeric(2000)
            },
            Attribute {
                set: None,
                attr_type: 1,
                value: AttrValue::Text("title".into())
            }
        ]
    );
    assert_eq!(apt.term.kind, TermKind::String);
    assert_eq!(apt.term.text, "foo");
    for (kw, kind) in [
        ("general", TermKind::General),
        ("numeric", TermKind::Numeric),
        ("oid", TermKind::Oid),
        ("datetime", TermKind::DateTime),
        ("null", TermKind::Null),
    ] {
        let RpnNode::Operand(Operand::Term(apt)) = root(&format!("@term {kw} 42")) else {
            panic!()
        };
        assert_eq!(apt.term.kind, kind);
    }
    assert_eq!(
        root("@set default"),
        RpnNode::Operand(Operand::ResultSet("default".into()))
    );
    assert_eq!(root("@AND a b"), root("@and a b"));
}

#[test]
fn quoting_and_escapes() {
    assert_eq!(root(r#""a \"b\" \\ c""#), term(vec![], r#"a "b" \ c"#));
    assert_eq!(root(r#""@and""#), term(vec![], "@and"));
    assert_eq!(root(r#""""#), term(vec![], ""));
    assert_eq!(
        parse_pqf(r#""a \"b\" \\ c""#).unwrap().to_string(),
        r#""a \"b\" \\ c""#
    );
    assert_eq!(
        parse_pqf("@attr \"1=a b\" x").unwrap().to_string(),
        "@attr \"1=a b\" x"
    );
}

#[test]
fn errors() {
    let e = |q: &str| parse_pqf(q).unwrap_err();
    assert_eq!(
        e("").kind,
        PqfErrorKind::UnexpectedEnd {
            expected: "a term or operator"
        }
    );
    assert_eq!(e("@and a").position, 6);
    assert_eq!(
        e("@foo a").kind,
        PqfErrorKind::UnknownOperator("@foo".into())
    );
    assert_eq!(
        e("@attr x=4 a").kind,
        PqfErrorKind::BadAttribute("x=4".into())
    );
    assert_eq!(e("@attr 1= a").position, 6);
    assert_eq!(e("@attr 1=4").position, 9);
    assert_eq!(e("a b").kind, PqfErrorKind::TrailingInput("b".into()));
    assert_eq!(e("a b").position, 2);
    assert_eq!(e("\"abc").kind, PqfErrorKind::UnterminatedQuote);
    assert_eq!(e("@prox 0 x 1 2 k 2 a b").position, 8);
    assert_eq!(e("@prox 2 1 1 2 k 2 a b").position, 6);
    assert_eq!(e("@prox 0 1 1 2 z 2 a b").position, 14);
    assert_eq!(
        e("@term bogus x").kind,
        PqfErrorKind::UnknownTermType("bogus".into())
    );
    assert_eq!(
        e("@attr 1=4 @set x").kind,
        PqfErrorKind::AttributesOnResultSet
    );
    let (n, addinfo) = e("@and a").bib1_diagnostic();
    assert_eq!(n, 108);
    assert!(addinfo.contains("byte 6"), "{addinfo}");
}

#[test]
fn limits() {
    let deep = format!("{}a{}", "@and ".repeat(10_000), " b".repeat(10_000));
    let e = parse_pqf_with_limits(
        &deep,
        PqfLimits {
            max_length: 100_000,
            max_depth: 64,
        },
    )
    .unwrap_err();
    assert_eq!(e.kind, PqfErrorKind::TooDeep { max: 64 });
    assert_eq!(e.position, 64 * 5);
    assert_eq!(
        parse_pqf(&"a".repeat(9000)).unwrap_err().kind,
        PqfErrorKind::TooLong { max: 8192 }
    );
    let ok = format!("{}a{}", "@and ".repeat(64), " b".repeat(64));
    assert!(parse_pqf(&ok).is_ok());
}

#[test]
fn printed_form_can_exceed_the_length_limit() {
    // 100 stacked attributes over 61 terms: printing repeats them per term.
    let q = format!(
        "{}{}x{}",
        "@attr 1=4 ".repeat(100),
        "@or ".repeat(60),
        " y".repeat(60)
    );
    assert!(q.len() < 8192);
    let parsed = parse_pqf(&q).unwrap();
    let printed = parsed.to_string();
    assert!(printed.len() > 8192);
    assert!(matches!(
        parse_pqf(&printed).unwrap_err().kind,
        PqfErrorKind::TooLong { .. }
    ));
    let unlimited = PqfLimits {
        max_length: usize::MAX,
        ..PqfLimits::default()
    };
    assert_eq!(parse_pqf_with_limits(&printed, unlimited).unwrap(), parsed);
}

#[test]
fn named_prox_units() {
    let RpnNode::Op {
        op: RpnOp::Prox(p), ..
    } = root("@prox 1 0 0 3 known word a b")
    else {
        panic!()
    };
    assert_eq!(p.unit, ProxUnit::Known(2));
    assert!(p.exclusion);
    let RpnNode::Op {
        op: RpnOp::Prox(p), ..
    } = root("@prox 0 0 0 3 p 7 a b")
    else {
        panic!()
    };
    assert_eq!(p.unit, ProxUnit::Private(7));
}

// ---------------------------------------------------------------- proptest

fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z0-9]{1,6}", "\\PC{0,8}", Just("@and".to_string())]
}

fn attribute() -> impl Strategy<Value = Attribute> {
    (
        prop::option::of("[a-z][a-z0-9.-]{0,6}"),
        -5i64..2000,
        prop_oneof![
            any::<i64>().prop_map(AttrValue::Numeric),
            "[a-z][a-z ]{0,6}".prop_map(|s| AttrValue::from_text(&s)),
        ],
    )
        .prop_map(|(set, attr_type, value)| Attribute {
            set,
            attr_type,
            value,
        })
}

fn leaf() -> impl Strategy<Value = RpnNode> {
    prop_oneof![
        (
            prop::collection::vec(attribute(), 0..4),
            prop::sample::select(vec![
                TermKind::General,
                TermKind::Numeric,
                TermKind::String,
                TermKind::Oid,
                TermKind::DateTime,
                TermKind::Null
            ]),
            text()
        )
            .prop_map(|(attributes, kind, text)| RpnNode::Operand(Operand::Term(
                AttributesPlusTerm {
                    attributes,
                    term: PqfTerm { kind, text }
                }
            ))),
        text().prop_map(|t| RpnNode::Operand(Operand::ResultSet(t))),
    ]
}

fn rpn() -> impl Strategy<Value = RpnNode> {
    leaf().prop_recursive(5, 24, 2, |inner| {
        (
            prop_oneof![
                Just(RpnOp::And),
                Just(RpnOp::Or),
                Just(RpnOp::AndNot),
                (
                    any::<bool>(),
                    any::<i64>(),
                    any::<bool>(),
                    1i64..7,
                    any::<bool>(),
                    0i64..12
                )
                    .prop_map(
                        |(exclusion, distance, ordered, relation, known, u)| {
                            RpnOp::Prox(Proximity {
                                exclusion,
                                distance,
                                ordered,
                                relation,
                                unit: if known {
                                    ProxUnit::Known(u)
                                } else {
                                    ProxUnit::Private(u)
                                },
                            })
                        }
                    )
            ],
            inner.clone(),
            inner,
        )
            .prop_map(|(op, l, r)| RpnNode::Op {
                op,
                left: Box::new(l),
                right: Box::new(r),
            })
    })
}

fn pqfish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "@and ",
            "@or ",
            "@not ",
            "@prox ",
            "@attr ",
            "@set ",
            "@term ",
            "@attrset ",
            "1=4 ",
            "bib-1 ",
            "k ",
            "p ",
            "0 ",
            "1 ",
            "2 ",
            "\"",
            "\\",
            "x ",
            "string ",
            "é",
        ]),
        0..20,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,80}") {
        let _ = parse_pqf(&s);
    }

    #[test]
    fn pqfish_round_trips(s in pqfish()) {
        match parse_pqf(&s) {
            Ok(q) => {
                let printed = q.to_string();
                prop_assert_eq!(parse_pqf(&printed), Ok(q), "printed: {}", printed);
            }
            Err(e) => prop_assert!(e.position <= s.len()),
        }
    }

    #[test]
    fn generated_ast_round_trips(root in rpn(), set in prop::option::of("[a-z0-9.-]{1,8}")) {
        let q = PqfQuery { attribute_set: set, root };
        let printed = q.to_string();
        prop_assert_eq!(parse_pqf(&printed), Ok(q), "printed: {}", printed);
    }
}
