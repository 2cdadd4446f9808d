use proptest::prelude::*;

use super::ast::*;
use super::error::CqlErrorKind;
use super::parse::{CqlLimits, parse_cql, parse_cql_with_limits};

fn clause(index: &str, comparitor: Comparitor, term: &str) -> Node {
    Node::Clause(SearchClause {
        index: index.into(),
        relation: Relation {
            comparitor,
            modifiers: vec![],
        },
        term: Term::from_raw(term).unwrap(),
    })
}

fn bare(term: &str) -> Node {
    Node::Clause(SearchClause::server_choice(Term::from_raw(term).unwrap()))
}

fn boolean(op: BooleanOp, left: Node, right: Node) -> Node {
    Node::Boolean {
        op,
        modifiers: vec![],
        left: Box::new(left),
        right: Box::new(right),
    }
}

fn root(q: &str) -> Node {
    parse_cql(q).unwrap().root
}

fn err(q: &str) -> (CqlErrorKind, usize, u32) {
    let e = parse_cql(q).unwrap_err();
    let n = e.diagnostic().number;
    (e.kind, e.position, n)
}

#[test]
fn bare_term_gets_defaults() {
    let q = parse_cql("dinosaur").unwrap();
    assert_eq!(q.root, bare("dinosaur"));
    assert!(q.prefixes.is_empty() && q.sort_keys.is_empty());
    let Node::Clause(c) = &q.root else { panic!() };
    assert_eq!(c.index, "cql.serverChoice");
    assert_eq!(c.relation.comparitor, Comparitor::Symbol(Symbol::Eq));
}

#[test]
fn quoted_terms_and_escapes() {
    assert_eq!(root(r#""complete dinosaur""#), bare("complete dinosaur"));
    let Node::Clause(c) = root(r#"title = "say \"hi\" \\ \*""#) else {
        panic!()
    };
    assert_eq!(c.term.as_raw(), r#"say \"hi\" \\ \*"#);
    assert_eq!(c.term.value(), r#"say "hi" \ *"#);
    assert!(!c.term.has_masking());
    assert_eq!(root(r#""""#), bare(""));
    assert!(matches!(root(r#"title = """#), Node::Clause(c) if c.term.is_empty()));
}

#[test]
fn every_symbolic_relation() {
    for (text, sym) in [
        ("=", Symbol::Eq),
        ("==", Symbol::ExactEq),
        ("<>", Symbol::NotEq),
        ("<", Symbol::Lt),
        (">", Symbol::Gt),
        ("<=", Symbol::Le),
        (">=", Symbol::Ge),
    ] {
        assert_eq!(
            root(&format!("dc.date {text} 1990")),
            clause("dc.date", Comparitor::Symbol(sym), "1990"),
            "{text}"
        );
        // No spaces around the symbol.
        assert_eq!(
            root(&format!("dc.date{text}1990")),
            clause("dc.date", Comparitor::Symbol(sym), "1990"),
            "{text}"
        );
    }
}

#[test]
fn named_relations() {
    assert_eq!(
        root("dc.title adj \"lord of the rings\""),
        clause("dc.title", Comparitor::Adj, "lord of the rings")
    );
    assert_eq!(
        root("title ALL \"a b\""),
        clause("title", Comparitor::All, "a b")
    );
    assert_eq!(
        root("title cql.any x"),
        clause("title", Comparitor::Any, "x")
    );
    assert_eq!(
        root("dc.date within \"2000 2010\""),
        clause("dc.date", Comparitor::Within, "2000 2010")
    );
    assert_eq!(
        root("geo encloses \"1 2\""),
        clause("geo", Comparitor::Encloses, "1 2")
    );
    assert_eq!(
        root("title cql.exact hobbit"),
        clause("title", Comparitor::Named("cql.exact".into()), "hobbit")
    );
}

#[test]
fn relation_modifiers() {
    let Node::Clause(c) = root("title =/stem/locale=fr/cql.relevant chat") else {
        panic!()
    };
    assert_eq!(c.relation.comparitor, Comparitor::Symbol(Symbol::Eq));
    assert_eq!(
        c.relation.modifiers,
        vec![
            Modifier::flag("stem"),
            Modifier {
                name: "locale".into(),
                value: Some((Symbol::Eq, Term::literal("fr")))
            },
            Modifier::flag("cql.relevant"),
        ]
    );
    assert_eq!(c.term.as_raw(), "chat");
    let Node::Clause(c) = root("title any / relevant / string \"a b\"") else {
        panic!()
    };
    assert_eq!(c.relation.modifiers.len(), 2);
    assert_eq!(c.relation.modifiers[1].base_name(), "string");
}

#[test]
fn booleans_are_left_associative_with_equal_precedence() {
    assert_eq!(
        root("a and b or c not d"),
        boolean(
            BooleanOp::Not,
            boolean(
                BooleanOp::Or,
                boolean(BooleanOp::And, bare("a"), bare("b")),
                bare("c")
            ),
            bare("d")
        )
    );
    assert_eq!(
        root("a AND (b Or c)"),
        boolean(
            BooleanOp::And,
            bare("a"),
            boolean(BooleanOp::Or, bare("b"), bare("c"))
        )
    );
    assert_eq!(root("((a))"), bare("a"));
}

#[test]
fn prox_with_modifiers() {
    let Node::Boolean { op, modifiers, .. } = root("a prox/distance<=3/unit=word/ordered b") else {
        panic!()
    };
    assert_eq!(op, BooleanOp::Prox);
    assert_eq!(
        modifiers,
        vec![
            Modifier {
                name: "distance".into(),
                value: Some((Symbol::Le, Term::literal("3")))
            },
            Modifier {
                name: "unit".into(),
                value: Some((Symbol::Eq, Term::literal("word")))
            },
            Modifier::flag("ordered"),
        ]
    );
}

#[test]
fn keywords_as_terms_and_indexes() {
    // In term position any word is a term, keywords included.
    assert_eq!(
        root("title = and"),
        clause("title", Comparitor::Symbol(Symbol::Eq), "and")
    );
    assert_eq!(root("and"), bare("and"));
    assert_eq!(
        root("or = x"),
        clause("or", Comparitor::Symbol(Symbol::Eq), "x")
    );
    assert_eq!(
        root("a or sortby"),
        boolean(BooleanOp::Or, bare("a"), bare("sortby"))
    );
}

#[test]
fn prefix_assignments() {
    let q = parse_cql(r#"> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title = hobbit"#).unwrap();
    assert_eq!(
        q.prefixes,
        vec![PrefixAssignment {
            prefix: Some("dc".into()),
            uri: "info:srw/cql-context-set/1/dc-v1.1".into()
        }]
    );
    let q = parse_cql(r#">dc="http://x/" >"http://default/" title = x"#).unwrap();
    assert_eq!(q.prefixes.len(), 2);
    assert_eq!(q.prefixes[1].prefix, None);
    let q = parse_cql(r#"a and (> x = "urn:x" x.title = b)"#).unwrap();
    let Node::Boolean { right, .. } = &q.root else {
        panic!()
    };
    assert!(matches!(**right, Node::Prefixed { .. }));
}

#[test]
fn prefix_scope_resolution() {
    let q = parse_cql(
        r#"> dc = "urn:outer" dc.title = a and (> dc = "urn:inner" dc.title = b) and bath.isbn = 1 and foo.x = 2"#,
    )
    .unwrap();
    let mut seen = Vec::new();
    q.visit_clauses(|c, scope| seen.push((c.term.value(), scope.context_set_of(c))));
    assert_eq!(
        seen,
        vec![
            ("a".to_string(), Some("urn:outer")),
            ("b".to_string(), Some("urn:inner")),
            ("1".to_string(), Some("http://zing.z3950.org/cql/bath/2.0/")),
            ("2".to_string(), None),
        ]
    );
    let q = parse_cql(r#"> "urn:default" title = a"#).unwrap();
    q.visit_clauses(|c, scope| assert_eq!(scope.context_set_of(c), Some("urn:default")));
}

#[test]
fn sort_by() {
    let q = parse_cql("dc.creator=tolkien sortBy dc.date/sort.descending dc.title").unwrap();
    assert_eq!(q.sort_keys.len(), 2);
    assert_eq!(q.sort_keys[0].index, "dc.date");
    assert!(q.sort_keys[0].is_descending());
    assert_eq!(q.sort_keys[1].index, "dc.title");
    assert!(!q.sort_keys[1].is_descending());
    let q = parse_cql("a SORTBY title/missingValue=zzz/ignoreCase").unwrap();
    assert_eq!(
        q.sort_keys[0].modifiers[0],
        Modifier {
            name: "missingValue".into(),
            value: Some((Symbol::Eq, Term::literal("zzz")))
        }
    );
}

#[test]
fn spec_examples_parse_and_round_trip() {
    for q in [
        "dinosaur",
        "\"complete dinosaur\"",
        "title = \"complete dinosaur\"",
        "title exact \"the complete dinosaur\"",
        "dinosaur or bird",
        "\"Palomar assignment\" and \"ice age\"",
        "dinosaur not reptile",
        "dinosaur and bird or dinobird",
        "(bird or dinosaur) and (feathers or scales)",
        "\"feathered dinosaur\" and (yixian or jehol)",
        "(((a and b) or (c not d) not (e or f and g)) and h not i) or j",
        "publicationYear < 1980",
        "lengthAsInt >= 50",
        "lengthAsInt >= 50 and lengthAsInt <= 100",
        "title exact \"the complete dinosaur\"",
        "title any \"dinosaur bird reptile\"",
        "title all \"complete dinosaur\"",
        "title adj \"complete dinosaur\"",
        "subject any/relevant \"fish frog\"",
        "subject any/rel.lr \"fish frog\"",
        "dc.title any/relevant/rel.CORI \"cat fish\"",
        "title all/stem \"complete dinosaur\"",
        "ribs prox/distance<=5 chevrons",
        "ribs prox/unit=sentence chevrons",
        "ribs prox/distance>0/unit=paragraph chevrons",
        "dc.title=cat or dc.title=dog sortby dc.date/sort.ascending",
        "> dc = \"info:srw/context-sets/1/dc-v1.1\" dc.title any fish",
        "> dc = \"info:srw/context-sets/1/dc-v1.1\" dc.title any fish or (> dc = \"http://other\" dc.title = x)",
        "cql.allRecords = 1 not dc.title = fish",
        "dc.title = \"^cat*\" and dc.creator = ca?t",
        "dc.identifier = \"a\\\"b\"",
    ] {
        let parsed = parse_cql(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let printed = parsed.to_string();
        assert_eq!(parse_cql(&printed).unwrap(), parsed, "{q} -> {printed}");
        // Printing is canonical: printing again gives the same text.
        assert_eq!(parse_cql(&printed).unwrap().to_string(), printed);
    }
}

#[test]
fn canonical_printing() {
    let p = |q: &str| parse_cql(q).unwrap().to_string();
    assert_eq!(p("  a   AND   b "), "a and b");
    assert_eq!(p("a and (b or c)"), "a and (b or c)");
    assert_eq!(p("(a and b) or c"), "a and b or c");
    assert_eq!(p("cql.serverChoice = x"), "x");
    assert_eq!(p("title=\"x\""), "title = x");
    assert_eq!(p("title = \"and\""), "title = \"and\"");
    assert_eq!(p("dc.title ANY/Stem \"a b\""), "dc.title any/Stem \"a b\"");
    assert_eq!(
        p(">dc=\"info:x/y\" dc.title=a sortby dc.date/sort.descending"),
        "> dc = \"info:x/y\" dc.title = a sortBy dc.date/sort.descending"
    );
    assert_eq!(p("a prox/distance<=2 b"), "a prox/distance<=2 b");
}

#[test]
fn error_positions_and_diagnostics() {
    assert_eq!(err("").2, 10);
    assert!(matches!(err("   ").0, CqlErrorKind::EmptyQuery));
    // Missing term after relation.
    let (k, pos, n) = err("title =");
    assert!(matches!(k, CqlErrorKind::Unexpected { .. }));
    assert_eq!((pos, n), (7, 10));
    // Two terms in a row.
    let (_, pos, n) = err("title = a b");
    assert_eq!((pos, n), (10, 10));
    // Unbalanced parentheses → 13.
    assert_eq!(
        err("(a and b"),
        (CqlErrorKind::MissingCloseParen { open: 0 }, 8, 13)
    );
    assert_eq!(err("a and b)"), (CqlErrorKind::UnmatchedCloseParen, 7, 13));
    assert_eq!(err("a and ()"), (CqlErrorKind::EmptyParens, 7, 13));
    assert_eq!(err(")"), (CqlErrorKind::UnmatchedCloseParen, 0, 13));
    // Quotes → 14, at the opening quote.
    assert_eq!(
        err("title = \"abc"),
        (CqlErrorKind::UnterminatedQuote, 8, 14)
    );
    assert_eq!(
        err("title = \"abc\\\""),
        (CqlErrorKind::UnterminatedQuote, 8, 14)
    );
    assert_eq!(err("abc\\"), (CqlErrorKind::DanglingEscape, 3, 10));
    // sortBy misuse.
    assert_eq!(err("a sortby"), (CqlErrorKind::MissingSortKey, 8, 10));
    assert_eq!(
        err("(a sortby b)"),
        (CqlErrorKind::SortByNotAtTopLevel, 3, 10)
    );
    assert_eq!(err("a sortby b/"), (err("a sortby b/").0, 11, 10));
    // Dangling boolean / modifier.
    assert_eq!(err("a and").1, 5);
    assert_eq!(err("a prox/").1, 7);
    // `x` is the modifier name; the term is missing at the end.
    assert_eq!(err("title =/ x").1, 10);
    assert_eq!(err("title =/ = x").1, 9);
    // The first `and` is a term, the second the operator.
    assert_eq!(err("and and").1, 7);
    // Unquoted multi-word terms: the error points at the second word.
    let e = parse_cql("harry potter").unwrap_err();
    assert_eq!(e.position, 6);
    assert!(e.to_string().contains("quote multi-word terms"), "{e}");
    // A known relation without a term still points at the end.
    assert_eq!(err("title any").1, 9);
    // Details carry the byte offset for 13/14.
    let d = parse_cql("(a").unwrap_err().diagnostic();
    assert_eq!(d.uri(), "info:srw/diagnostic/1/13");
    assert_eq!(d.details.as_deref(), Some("2"));
    let d = parse_cql("title = a b").unwrap_err().diagnostic();
    assert_eq!(
        d.details.as_deref(),
        Some("expected a boolean operator, 'sortBy' or the end of the query at byte 10, found 'b'")
    );
}

#[test]
fn multibyte_positions_are_byte_offsets() {
    let (_, pos, _) = err("titre = été x");
    assert_eq!(pos, "titre = été ".len());
}

#[test]
fn limits() {
    let limits = CqlLimits {
        max_length: 20,
        max_depth: 3,
        max_booleans: 2,
    };
    let e = parse_cql_with_limits(&"a".repeat(21), limits).unwrap_err();
    assert_eq!(e.kind, CqlErrorKind::TooLong { max: 20 });
    assert_eq!(e.diagnostic().number, 12);
    assert_eq!(e.diagnostic().details.as_deref(), Some("20"));
    assert!(parse_cql_with_limits(&"a".repeat(20), limits).is_ok());

    assert!(parse_cql_with_limits("(((a)))", limits).is_ok());
    let e = parse_cql_with_limits("((((a))))", limits).unwrap_err();
    assert_eq!((e.kind, e.position), (CqlErrorKind::TooDeep { max: 3 }, 3));

    assert!(parse_cql_with_limits("a or b or c", limits).is_ok());
    let e = parse_cql_with_limits("a or b or c or d", limits).unwrap_err();
    assert_eq!(e.position, 12);
    assert_eq!(e.diagnostic().number, 38);

    // Default limits: deep nesting is an error, never a stack overflow.
    let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    assert!(matches!(
        parse_cql_with_limits(
            &deep,
            CqlLimits {
                max_length: 20_000,
                ..CqlLimits::default()
            }
        )
        .unwrap_err()
        .kind,
        CqlErrorKind::TooDeep { max: 32 }
    ));
    let long_chain = vec!["a"; 1000].join(" and ");
    assert_eq!(
        parse_cql(&long_chain).unwrap_err().kind,
        CqlErrorKind::TooManyBooleans { max: 256 }
    );
}

// ---------------------------------------------------------------- proptest

fn ident() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9_.-]{0,8}".prop_filter("not a keyword", |s| !super::parse::is_keyword(s))
}

/// Raw escaped text: plain chars (no `\` or `"`) or escape pairs.
fn raw_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<char>().prop_filter("plain", |c| *c != '\\' && *c != '"').prop_map(|c| c.to_string()),
            2 => "[a-z ]{1,4}",
            1 => any::<char>().prop_map(|c| format!("\\{c}")),
            1 => prop::sample::select(vec!["*", "?", "^", "(", ")", "=", "/", "<", ">"]).prop_map(str::to_string),
        ],
        0..6,
    )
    .prop_map(|v| v.concat())
}

fn term() -> impl Strategy<Value = Term> {
    raw_text().prop_map(|s| Term::from_raw(s).unwrap())
}

fn symbol() -> impl Strategy<Value = Symbol> {
    prop::sample::select(vec![
        Symbol::Eq,
        Symbol::ExactEq,
        Symbol::NotEq,
        Symbol::Lt,
        Symbol::Gt,
        Symbol::Le,
        Symbol::Ge,
    ])
}

fn modifier() -> impl Strategy<Value = Modifier> {
    (ident(), prop::option::of((symbol(), term())))
        .prop_map(|(name, value)| Modifier { name, value })
}

fn comparitor() -> impl Strategy<Value = Comparitor> {
    prop_oneof![
        symbol().prop_map(Comparitor::Symbol),
        Just(Comparitor::Adj),
        Just(Comparitor::All),
        Just(Comparitor::Any),
        Just(Comparitor::Within),
        Just(Comparitor::Encloses),
        ident()
            .prop_filter("not a built-in name", |s| !matches!(
                Comparitor::from_name(s),
                Comparitor::Adj
                    | Comparitor::All
                    | Comparitor::Any
                    | Comparitor::Within
                    | Comparitor::Encloses
            ))
            .prop_map(Comparitor::Named),
    ]
}

fn prefixes() -> impl Strategy<Value = Vec<PrefixAssignment>> {
    prop::collection::vec(
        (prop::option::of(ident()), raw_text())
            .prop_map(|(prefix, uri)| PrefixAssignment { prefix, uri }),
        0..2,
    )
}

fn clause_node() -> impl Strategy<Value = Node> {
    prop_oneof![
        term().prop_map(|t| Node::Clause(SearchClause::server_choice(t))),
        (
            prop_oneof![ident(), raw_text()],
            comparitor(),
            prop::collection::vec(modifier(), 0..3),
            term()
        )
            .prop_map(
                |(index, comparitor, modifiers, term)| Node::Clause(SearchClause {
                    index,
                    relation: Relation {
                        comparitor,
                        modifiers
                    },
                    term
                })
            ),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    clause_node().prop_recursive(5, 24, 2, |inner| {
        prop_oneof![
            (
                prop::sample::select(vec![
                    BooleanOp::And,
                    BooleanOp::Or,
                    BooleanOp::Not,
                    BooleanOp::Prox
                ]),
                prop::collection::vec(modifier(), 0..2),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, modifiers, l, r)| Node::Boolean {
                    op,
                    modifiers,
                    left: Box::new(l),
                    right: Box::new(r)
                }),
            (prefixes(), inner).prop_filter_map("non-empty prefixes", |(prefixes, q)| {
                (!prefixes.is_empty()).then(|| Node::Prefixed {
                    prefixes,
                    query: Box::new(q),
                })
            }),
        ]
    })
}

fn query() -> impl Strategy<Value = Query> {
    (
        prefixes(),
        node(),
        prop::collection::vec(
            (
                prop_oneof![ident(), raw_text()],
                prop::collection::vec(modifier(), 0..3),
            )
                .prop_map(|(index, modifiers)| SortKey { index, modifiers }),
            0..3,
        ),
    )
        .prop_map(|(prefixes, root, sort_keys)| Query {
            prefixes,
            root,
            sort_keys,
        })
}

/// Strings made of CQL-ish fragments, so random input reaches deep paths.
fn cqlish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a", "title", "dc.title", " ", "=", "==", "<>", "<", ">", "<=", ">=", "and", "or",
            "not", "prox", "sortby", "(", ")", "/", "\"", "\\", "any", "x y", "*", "é", "stem",
            "=1",
        ]),
        0..24,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,80}") {
        let _ = parse_cql(&s);
    }

    #[test]
    fn never_panics_and_round_trips_cqlish(s in cqlish()) {
        match parse_cql(&s) {
            Ok(q) => {
                let printed = q.to_string();
                prop_assert_eq!(parse_cql(&printed), Ok(q), "printed: {}", printed);
            }
            Err(e) => {
                prop_assert!(e.position <= s.len());
                let d = e.diagnostic();
                prop_assert!([10, 12, 13, 14, 38].contains(&d.number));
            }
        }
    }

    #[test]
    fn generated_ast_round_trips(q in query()) {
        let printed = q.to_string();
        let reparsed = parse_cql(&printed);
        prop_assert_eq!(reparsed, Ok(q), "printed: {}", printed);
    }
}
