//! Codec tests: protocols.md golden bytes, error handling, indefinite
//! lengths, and proptest round trips for every APDU type. Captured
//! yaz-client / yaz-ztest sessions are tested in `tests/yaz_capture.rs`.

use proptest::prelude::*;

use crate::ber::{Class, Tag, Writer, read_element};
use crate::oid::known;
use crate::*;

fn init_request() -> InitRequest {
    InitRequest {
        reference_id: Some(b"ref-1".to_vec()),
        protocol_version: BitString::from_bits(&[0, 1, 2]),
        options: BitString::from_bits(&[options::SEARCH, options::PRESENT, options::SCAN]),
        preferred_message_size: 1 << 20,
        exceptional_record_size: 1 << 20,
        id_authentication: Some(IdAuthentication::Open("alice/secret".into())),
        implementation_id: Some("81".into()),
        implementation_name: Some("YAZ".into()),
        implementation_version: Some("5.34.0".into()),
        user_information: None,
        other_info: None,
    }
}

#[test]
fn apdu_tags_match_protocols_md() {
    // protocols.md §3.2: [20] = B4, [35] = BF 23, [48] = BF 30.
    assert_eq!(Apdu::InitRequest(init_request()).encode()[0], 0xB4);
    let close = Apdu::Close(Close {
        reference_id: None,
        close_reason: CloseReason::Finished,
        diagnostic_information: None,
    });
    // BF 30 len { 9F 81 53 01 00 }: closeReason [211] IMPLICIT INTEGER 0.
    assert_eq!(
        close.encode(),
        vec![0xBF, 0x30, 0x05, 0x9F, 0x81, 0x53, 0x01, 0x00]
    );
    let scan = Apdu::ScanRequest(ScanRequest {
        reference_id: None,
        database_names: vec!["Default".into()],
        attribute_set: None,
        term_list_and_start_point: AttributesPlusTerm {
            attributes: vec![],
            term: Term::General(b"a".to_vec()),
        },
        step_size: None,
        number_of_terms_requested: 20,
        preferred_position_in_response: None,
    });
    assert_eq!(&scan.encode()[..2], &[0xBF, 0x23]);
}

#[test]
fn init_request_golden_bytes() {
    let req = InitRequest {
        reference_id: None,
        protocol_version: BitString::from_bits(&[0, 1, 2]),
        options: BitString::from_bits(&[0, 1]),
        preferred_message_size: 1024,
        exceptional_record_size: 1024,
        id_authentication: None,
        implementation_id: None,
        implementation_name: None,
        implementation_version: None,
        user_information: None,
        other_info: None,
    };
    let bytes = Apdu::InitRequest(req.clone()).encode();
    #[rustfmt::skip]
    let expected = vec![
        0xB4, 0x10,
        0x83, 0x02, 0x05, 0xE0,       // protocolVersion [3]: 3 bits 111
        0x84, 0x02, 0x06, 0xC0,       // options [4]: 2 bits 11
        0x85, 0x02, 0x04, 0x00,       // preferredMessageSize [5] 1024
        0x86, 0x02, 0x04, 0x00,       // exceptionalRecordSize [6] 1024
    ];
    assert_eq!(bytes, expected);
    assert_eq!(Apdu::decode(&bytes).unwrap(), Apdu::InitRequest(req));
}

#[test]
fn search_request_query_wrapper_golden_bytes() {
    // protocols.md §3.2: query [21] explicit → B5 len A1 len ... for type-1.
    let pqf = quire_cql::pqf::parse_pqf("@attr 1=7 0306406152").unwrap();
    let req = SearchRequest {
        reference_id: None,
        small_set_upper_bound: 0,
        large_set_lower_bound: 1,
        medium_set_present_number: 0,
        replace_indicator: true,
        result_set_name: "default".into(),
        database_names: vec!["Default".into()],
        small_set_element_set_names: None,
        medium_set_element_set_names: None,
        preferred_record_syntax: Some(known::usmarc()),
        query: Query::Type1(RpnQuery::from_pqf(&pqf).unwrap()),
    };
    let bytes = Apdu::SearchRequest(req.clone()).encode();
    // Find the query wrapper: B5 len A1 len 06 07 <bib-1 oid> A0 ...
    let at = bytes.iter().position(|b| *b == 0xB5).unwrap();
    assert_eq!(bytes[at + 2], 0xA1);
    assert_eq!(
        &bytes[at + 4..at + 13],
        &[0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x13, 0x03, 0x01]
    );
    assert_eq!(bytes[at + 13], 0xA0); // op [0] Operand
    assert_eq!(&bytes[at + 15..at + 17], &[0xBF, 0x66]); // [102] AttributesPlusTerm
    // preferredRecordSyntax [104] IMPLICIT OID = 9F 68 07 <usmarc>
    let prs = bytes
        .windows(3)
        .position(|w| w == [0x9F, 0x68, 0x07])
        .unwrap();
    assert_eq!(
        &bytes[prs + 3..prs + 10],
        &[0x2A, 0x86, 0x48, 0xCE, 0x13, 0x05, 0x0A]
    );
    assert_eq!(Apdu::decode(&bytes).unwrap(), Apdu::SearchRequest(req));
}

#[test]
fn unknown_and_malformed_apdus_are_errors() {
    // sortRequest [43] is not implemented.
    let mut w = Writer::new();
    w.constructed(Tag::ctx_c(43), |w| w.primitive(Tag::ctx(4), b"x"));
    let e = Apdu::decode(&w.into_bytes()).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::UnsupportedApdu(43));
    assert!(matches!(
        protocol_error_close(&e),
        Apdu::Close(Close {
            close_reason: CloseReason::ProtocolError,
            ..
        })
    ));

    let good = Apdu::InitRequest(init_request()).encode();
    // Truncated.
    assert_eq!(
        Apdu::decode(&good[..good.len() - 1]).unwrap_err().kind,
        DecodeErrorKind::Truncated
    );
    // Trailing bytes.
    let mut long = good.clone();
    long.push(0);
    assert_eq!(
        Apdu::decode(&long).unwrap_err().kind,
        DecodeErrorKind::TrailingData
    );
    // Universal SEQUENCE instead of an APDU tag.
    assert!(matches!(
        Apdu::decode(&[0x30, 0x00]).unwrap_err().kind,
        DecodeErrorKind::UnexpectedTag(_)
    ));
    // Missing mandatory field: InitRequest without options.
    let mut w = Writer::new();
    w.constructed(Tag::ctx_c(20), |w| {
        w.bits(Tag::ctx(3), &BitString::from_bits(&[0, 1, 2]));
        w.integer(Tag::ctx(5), 1);
        w.integer(Tag::ctx(6), 1);
    });
    let e = Apdu::decode(&w.into_bytes()).unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.field),
        (DecodeErrorKind::MissingField, "InitializeRequest.options")
    );
    assert!(e.to_string().contains("InitializeRequest.options"));
    // Bad BOOLEAN length inside a SearchResponse, with its offset.
    let mut w = Writer::new();
    w.constructed(Tag::ctx_c(23), |w| {
        w.integer(Tag::ctx(23), 1);
        w.primitive(Tag::ctx(22), &[1, 2]);
    });
    let e = Apdu::decode(&w.into_bytes()).unwrap_err();
    assert_eq!(e.offset, 5);
    assert_eq!(e.field, "searchStatus");
}

/// Re-encode every constructed element with indefinite length.
fn to_indefinite(bytes: &[u8]) -> Vec<u8> {
    let (el, _) = read_element(bytes, 0).unwrap();
    let mut out = Vec::new();
    if el.tag.constructed {
        // Identifier octets only (everything before the length octets).
        let id_len = if el.raw[0] & 0x1F == 0x1F {
            1 + el.raw[1..].iter().position(|b| b & 0x80 == 0).unwrap() + 1
        } else {
            1
        };
        out.extend_from_slice(&el.raw[..id_len]);
        out.push(0x80);
        for c in el.children("t").unwrap() {
            out.extend(to_indefinite(c.unwrap().raw));
        }
        out.extend_from_slice(&[0, 0]);
    } else {
        out.extend_from_slice(el.raw);
    }
    out
}

#[test]
fn indefinite_length_input_is_accepted() {
    let apdu = Apdu::InitRequest(init_request());
    let indef = to_indefinite(&apdu.encode());
    assert_eq!(indef[1], 0x80);
    assert_eq!(pdu_length(&indef, 1 << 16).unwrap(), Some(indef.len()));
    assert_eq!(
        pdu_length(&indef[..indef.len() - 1], 1 << 16).unwrap(),
        None
    );
    assert_eq!(Apdu::decode(&indef).unwrap(), apdu);
}

#[test]
fn opac_record_round_trip_and_layout() {
    let rec = OpacRecord {
        bibliographic_record: Some(External::octets(
            known::usmarc(),
            b"00026nam a2200025 a 4500\x1d".to_vec(),
        )),
        holdings: Some(vec![HoldingsRecord::HoldingsAndCirc(Box::new(
            HoldingsAndCirc {
                local_location: Some("Main".into()),
                call_number: Some("QA76 .K5".into()),
                circulation: Some(vec![CircRecord {
                    available_now: false,
                    availability_date: Some("2026-12-01".into()),
                    item_id: Some("31234000123456".into()),
                    on_hold: true,
                    ..CircRecord::default()
                }]),
                ..HoldingsAndCirc::default()
            },
        ))]),
    };
    let ext = External::opac(&rec);
    assert_eq!(ext.direct_reference, Some(known::opac()));
    let ExternalEncoding::SingleAsn1Type(raw) = &ext.encoding else {
        panic!()
    };
    // OPACRecord SEQUENCE { [1] IMPLICIT EXTERNAL = A1, ... }
    assert_eq!(raw[0], 0x30);
    assert_eq!(raw[2], 0xA1);
    assert_eq!(ext.opac_record().unwrap(), rec);
    assert_eq!(External::sutrs("hello").sutrs_text().unwrap(), "hello");
}

#[test]
fn accept_init_negotiates() {
    let req = init_request();
    let supported = BitString::from_bits(&[options::SEARCH, options::PRESENT]);
    let resp = accept_init(&req, &supported, 65536, 1 << 30, "Quire", "0.1");
    assert_eq!(resp.reference_id, req.reference_id);
    assert_eq!(resp.options.ones(), vec![options::SEARCH, options::PRESENT]);
    assert_eq!(resp.preferred_message_size, 65536);
    assert_eq!(resp.exceptional_record_size, 1 << 20);
    assert_eq!(resp.protocol_version.ones(), vec![0, 1, 2]);
    assert!(resp.result);
}

#[test]
fn pqf_bridge() {
    for q in [
        "@attrset bib-1 @and @attr 1=4 hobbit @attr 1=1003 tolkien",
        "@attrset bib-1 @or @attr 1=7 0306406152 @attr 1=7 9780306406157",
        "@attrset bib-1 @prox 0 3 1 2 k 2 dylan zimmerman",
        "@attrset bib-1 @not @attr gils 1=2000 a @set default",
        "@attrset gils @attr 1=title @term string x",
        "@attrset bib-1 @attr 1=4 @term numeric 42",
        "@attrset 1.2.3.4 @term oid 1.2.840.10003.5.10",
    ] {
        let p = quire_cql::pqf::parse_pqf(q).unwrap();
        let rpn = RpnQuery::from_pqf(&p).unwrap();
        assert_eq!(rpn.to_pqf(), p, "{q}");
    }
    let p = quire_cql::pqf::parse_pqf("@attrset nope x").unwrap();
    assert_eq!(
        RpnQuery::from_pqf(&p).unwrap_err(),
        PqfConversionError::UnknownAttributeSet("nope".into())
    );
    let p = quire_cql::pqf::parse_pqf("@term numeric x").unwrap();
    assert!(RpnQuery::from_pqf(&p).is_err());
}

// ---------------------------------------------------------------- proptest

fn oid() -> impl Strategy<Value = Oid> {
    (0u64..3, 0u64..40, prop::collection::vec(any::<u64>(), 0..6)).prop_map(|(a, b, rest)| {
        let mut v = vec![a, b];
        v.extend(rest);
        Oid(v)
    })
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..40)
}

fn bits() -> impl Strategy<Value = BitString> {
    prop::collection::vec(any::<bool>(), 0..30).prop_map(BitString)
}

fn external() -> impl Strategy<Value = External> {
    (
        prop::option::of(oid()),
        prop::option::of(any::<i64>()),
        opt_text(),
        prop_oneof![
            bytes().prop_map(ExternalEncoding::OctetAligned),
            text().prop_map(|t| External::sutrs(&t).encoding),
            bytes().prop_map(|mut b| {
                b.insert(0, 0);
                ExternalEncoding::Arbitrary(b)
            }),
        ],
    )
        .prop_map(
            |(direct_reference, indirect_reference, descriptor, encoding)| External {
                direct_reference,
                indirect_reference,
                descriptor,
                encoding,
            },
        )
}

fn diag() -> impl Strategy<Value = DefaultDiagFormat> {
    (oid(), any::<i64>(), text()).prop_map(|(diagnostic_set_id, condition, addinfo)| {
        DefaultDiagFormat {
            diagnostic_set_id,
            condition,
            addinfo,
        }
    })
}

fn diag_rec() -> impl Strategy<Value = DiagRec> {
    prop_oneof![
        diag().prop_map(DiagRec::Default),
        external().prop_map(DiagRec::External)
    ]
}

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![
        bytes().prop_map(Term::General),
        any::<i64>().prop_map(Term::Numeric),
        text().prop_map(Term::CharacterString),
        oid().prop_map(Term::Oid),
        "[0-9]{14}".prop_map(Term::DateTime),
        external().prop_map(Term::External),
        Just(Term::Null),
    ]
}

fn attribute() -> impl Strategy<Value = AttributeElement> {
    (
        prop::option::of(oid()),
        any::<i64>(),
        prop_oneof![
            any::<i64>().prop_map(AttributeValue::Numeric),
            (
                prop::collection::vec(
                    prop_oneof![
                        text().prop_map(StringOrNumeric::String),
                        any::<i64>().prop_map(StringOrNumeric::Numeric)
                    ],
                    0..3
                ),
                prop::option::of(prop::collection::vec(any::<i64>(), 0..3))
            )
                .prop_map(|(list, semantic_action)| AttributeValue::Complex {
                    list,
                    semantic_action
                }),
        ],
    )
        .prop_map(|(attribute_set, attribute_type, value)| AttributeElement {
            attribute_set,
            attribute_type,
            value,
        })
}

fn apt() -> impl Strategy<Value = AttributesPlusTerm> {
    (prop::collection::vec(attribute(), 0..4), term())
        .prop_map(|(attributes, term)| AttributesPlusTerm { attributes, term })
}

fn rpn() -> impl Strategy<Value = RpnStructure> {
    let leaf = prop_oneof![
        apt().prop_map(|a| RpnStructure::Op(Operand::AttrTerm(a))),
        text().prop_map(|s| RpnStructure::Op(Operand::ResultSet(s))),
        (text(), prop::collection::vec(attribute(), 0..2)).prop_map(|(result_set, attributes)| {
            RpnStructure::Op(Operand::ResultAttr {
                result_set,
                attributes,
            })
        }),
    ];
    leaf.prop_recursive(4, 16, 2, |inner| {
        (
            inner.clone(),
            inner,
            prop_oneof![
                Just(Operator::And),
                Just(Operator::Or),
                Just(Operator::AndNot),
                (
                    prop::option::of(any::<bool>()),
                    any::<i64>(),
                    any::<bool>(),
                    any::<i64>(),
                    prop_oneof![
                        any::<i64>().prop_map(ProximityUnit::Known),
                        any::<i64>().prop_map(ProximityUnit::Private)
                    ]
                )
                    .prop_map(
                        |(exclusion, distance, ordered, relation_type, unit)| {
                            Operator::Prox(ProximityOperator {
                                exclusion,
                                distance,
                                ordered,
                                relation_type,
                                unit,
                            })
                        }
                    )
            ],
        )
            .prop_map(|(a, b, op)| RpnStructure::RpnRpnOp {
                rpn1: Box::new(a),
                rpn2: Box::new(b),
                op,
            })
    })
}

fn query() -> impl Strategy<Value = Query> {
    prop_oneof![
        (oid(), rpn())
            .prop_map(|(attribute_set, rpn)| Query::Type1(RpnQuery { attribute_set, rpn })),
        (oid(), rpn())
            .prop_map(|(attribute_set, rpn)| Query::Type101(RpnQuery { attribute_set, rpn })),
        external().prop_map(Query::Type104),
        bytes().prop_map(|b| {
            let mut w = Writer::new();
            w.primitive(Tag::ctx(2), &b);
            Query::Other {
                tag: 2,
                raw: w.into_bytes(),
            }
        }),
    ]
}

fn esn() -> impl Strategy<Value = ElementSetNames> {
    prop_oneof![
        text().prop_map(ElementSetNames::Generic),
        prop::collection::vec((text(), text()), 0..3).prop_map(ElementSetNames::DatabaseSpecific),
    ]
}

fn records() -> impl Strategy<Value = Records> {
    prop_oneof![
        prop::collection::vec(
            (
                opt_text(),
                prop_oneof![
                    external().prop_map(RecordContent::Retrieval),
                    diag_rec().prop_map(RecordContent::SurrogateDiagnostic)
                ]
            )
                .prop_map(|(name, record)| NamePlusRecord { name, record }),
            0..4
        )
        .prop_map(Records::ResponseRecords),
        diag().prop_map(Records::NonSurrogateDiagnostic),
        prop::collection::vec(diag_rec(), 0..3).prop_map(Records::MultipleNonSurDiagnostics),
    ]
}

fn opt_ref() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop::option::of(bytes())
}

fn id_auth() -> impl Strategy<Value = IdAuthentication> {
    prop_oneof![
        text().prop_map(IdAuthentication::Open),
        (opt_text(), opt_text(), opt_text()).prop_map(|(group_id, user_id, password)| {
            IdAuthentication::IdPass {
                group_id,
                user_id,
                password,
            }
        }),
        Just(IdAuthentication::Anonymous),
        external().prop_map(IdAuthentication::Other),
    ]
}

fn other_info() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop::option::of(text().prop_map(|t| {
        let mut w = Writer::new();
        w.constructed(Tag::ctx_c(201), |w| {
            w.constructed(Tag::univ_c(16), |w| w.primitive(Tag::ctx(2), t.as_bytes()))
        });
        w.into_bytes()
    }))
}

fn init_req() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        bits(),
        bits(),
        any::<i64>(),
        any::<i64>(),
        prop::option::of(id_auth()),
        (opt_text(), opt_text(), opt_text()),
        prop::option::of(external()),
        other_info(),
    )
        .prop_map(|(r, pv, o, pms, ers, auth, (a, b, c), ui, oi)| {
            Apdu::InitRequest(InitRequest {
                reference_id: r,
                protocol_version: pv,
                options: o,
                preferred_message_size: pms,
                exceptional_record_size: ers,
                id_authentication: auth,
                implementation_id: a,
                implementation_name: b,
                implementation_version: c,
                user_information: ui,
                other_info: oi,
            })
        })
}

fn init_resp() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        bits(),
        bits(),
        any::<i64>(),
        any::<i64>(),
        any::<bool>(),
        (opt_text(), opt_text(), opt_text()),
        prop::option::of(external()),
        other_info(),
    )
        .prop_map(|(r, pv, o, pms, ers, result, (a, b, c), ui, oi)| {
            Apdu::InitResponse(InitResponse {
                reference_id: r,
                protocol_version: pv,
                options: o,
                preferred_message_size: pms,
                exceptional_record_size: ers,
                result,
                implementation_id: a,
                implementation_name: b,
                implementation_version: c,
                user_information: ui,
                other_info: oi,
            })
        })
}

fn search_req() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        (any::<i64>(), any::<i64>(), any::<i64>(), any::<bool>()),
        text(),
        prop::collection::vec(text(), 0..3),
        (prop::option::of(esn()), prop::option::of(esn())),
        prop::option::of(oid()),
        query(),
    )
        .prop_map(|(r, (a, b, c, d), rsn, dbs, (e1, e2), prs, q)| {
            Apdu::SearchRequest(SearchRequest {
                reference_id: r,
                small_set_upper_bound: a,
                large_set_lower_bound: b,
                medium_set_present_number: c,
                replace_indicator: d,
                result_set_name: rsn,
                database_names: dbs,
                small_set_element_set_names: e1,
                medium_set_element_set_names: e2,
                preferred_record_syntax: prs,
                query: q,
            })
        })
}

fn search_resp() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        (any::<i64>(), any::<i64>(), any::<i64>(), any::<bool>()),
        (
            prop::option::of(any::<i64>()),
            prop::option::of(any::<i64>()),
        ),
        prop::option::of(records()),
    )
        .prop_map(|(r, (a, b, c, d), (e, f), recs)| {
            Apdu::SearchResponse(SearchResponse {
                reference_id: r,
                result_count: a,
                number_of_records_returned: b,
                next_result_set_position: c,
                search_status: d,
                result_set_status: e,
                present_status: f,
                records: recs,
            })
        })
}

fn present_req() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        text(),
        (any::<i64>(), any::<i64>()),
        prop::option::of(esn()),
        prop::option::of(oid()),
        prop::array::uniform3(prop::option::of(any::<i64>())),
    )
        .prop_map(|(r, rs, (s, n), e, prs, [a, b, c])| {
            Apdu::PresentRequest(PresentRequest {
                reference_id: r,
                result_set_id: rs,
                start_point: s,
                number_of_records: n,
                element_set_names: e,
                preferred_record_syntax: prs,
                max_segment_count: a,
                max_record_size: b,
                max_segment_size: c,
            })
        })
}

fn present_resp() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        any::<i64>(),
        any::<i64>(),
        any::<i64>(),
        prop::option::of(records()),
    )
        .prop_map(|(r, a, b, c, recs)| {
            Apdu::PresentResponse(PresentResponse {
                reference_id: r,
                number_of_records_returned: a,
                next_result_set_position: b,
                present_status: c,
                records: recs,
            })
        })
}

fn scan_req() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        prop::collection::vec(text(), 0..3),
        prop::option::of(oid()),
        apt(),
        (
            prop::option::of(any::<i64>()),
            any::<i64>(),
            prop::option::of(any::<i64>()),
        ),
    )
        .prop_map(|(r, dbs, set, a, (step, n, pos))| {
            Apdu::ScanRequest(ScanRequest {
                reference_id: r,
                database_names: dbs,
                attribute_set: set,
                term_list_and_start_point: a,
                step_size: step,
                number_of_terms_requested: n,
                preferred_position_in_response: pos,
            })
        })
}

fn scan_resp() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        (
            prop::option::of(any::<i64>()),
            any::<i64>(),
            any::<i64>(),
            prop::option::of(any::<i64>()),
        ),
        prop::option::of(prop::collection::vec(
            prop_oneof![
                (term(), opt_text(), prop::option::of(any::<i64>())).prop_map(
                    |(term, display_term, global_occurrences)| {
                        ScanEntry::TermInfo(TermInfo {
                            term,
                            display_term,
                            global_occurrences,
                        })
                    }
                ),
                diag_rec().prop_map(ScanEntry::SurrogateDiagnostic),
            ],
            0..4,
        )),
        prop::option::of(prop::collection::vec(diag_rec(), 0..2)),
        prop::option::of(oid()),
    )
        .prop_map(|(r, (step, status, n, pos), entries, diagnostics, set)| {
            Apdu::ScanResponse(ScanResponse {
                reference_id: r,
                step_size: step,
                scan_status: status,
                number_of_entries_returned: n,
                position_of_term: pos,
                entries,
                diagnostics,
                attribute_set: set,
            })
        })
}

fn close() -> impl Strategy<Value = Apdu> {
    (opt_ref(), any::<i64>(), opt_text()).prop_map(|(r, reason, d)| {
        Apdu::Close(Close {
            reference_id: r,
            close_reason: CloseReason::from_code(reason),
            diagnostic_information: d,
        })
    })
}

fn opac() -> impl Strategy<Value = OpacRecord> {
    let circ = (
        any::<bool>(),
        prop::array::uniform7(opt_text()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(available_now, s, renewable, on_hold)| {
            let [a, b, c, d, e, f, g] = s;
            CircRecord {
                available_now,
                availability_date: a,
                available_thru: b,
                restrictions: c,
                item_id: d,
                renewable,
                on_hold,
                enum_and_chron: e,
                midspine: f,
                temporary_location: g,
            }
        });
    let vol = prop::array::uniform3(opt_text()).prop_map(|[a, b, c]| Volume {
        enumeration: a,
        chronology: b,
        enum_and_chron: c,
    });
    let hac = (
        prop::array::uniform17(opt_text()),
        prop::option::of(prop::collection::vec(vol, 0..2)),
        prop::option::of(prop::collection::vec(circ, 0..3)),
    )
        .prop_map(|(s, volumes, circulation)| {
            let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q] = s;
            HoldingsAndCirc {
                type_of_record: a,
                encoding_level: b,
                format: c,
                receipt_acq_status: d,
                general_retention: e,
                completeness: f,
                date_of_report: g,
                nuc_code: h,
                local_location: i,
                shelving_location: j,
                call_number: k,
                shelving_data: l,
                copy_number: m,
                public_note: n,
                reproduction_note: o,
                terms_use_repro: p,
                enum_and_chron: q,
                volumes,
                circulation,
            }
        });
    (
        prop::option::of(external()),
        prop::option::of(prop::collection::vec(
            prop_oneof![
                external().prop_map(HoldingsRecord::Marc),
                hac.prop_map(|h| HoldingsRecord::HoldingsAndCirc(Box::new(h)))
            ],
            0..3,
        )),
    )
        .prop_map(|(bibliographic_record, holdings)| OpacRecord {
            bibliographic_record,
            holdings,
        })
}

fn statuses() -> impl Strategy<Value = Option<Vec<(String, i64)>>> {
    prop::option::of(prop::collection::vec((text(), any::<i64>()), 0..3))
}

fn delete_req() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        any::<i64>(),
        prop::option::of(prop::collection::vec(text(), 0..3)),
    )
        .prop_map(|(r, f, l)| {
            Apdu::DeleteResultSetRequest(DeleteResultSetRequest {
                reference_id: r,
                delete_function: f,
                result_set_list: l,
            })
        })
}

fn delete_resp() -> impl Strategy<Value = Apdu> {
    (
        opt_ref(),
        any::<i64>(),
        statuses(),
        prop::option::of(any::<i64>()),
        statuses(),
        opt_text(),
    )
        .prop_map(|(r, s, l, n, b, m)| {
            Apdu::DeleteResultSetResponse(DeleteResultSetResponse {
                reference_id: r,
                delete_operation_status: s,
                delete_list_statuses: l,
                number_not_deleted: n,
                bulk_statuses: b,
                delete_message: m,
            })
        })
}

fn any_apdu() -> impl Strategy<Value = Apdu> {
    prop_oneof![
        delete_req(),
        delete_resp(),
        init_req(),
        init_resp(),
        search_req(),
        search_resp(),
        present_req(),
        present_resp(),
        scan_req(),
        scan_resp(),
        close()
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn apdu_round_trips(apdu in any_apdu()) {
        let bytes = apdu.encode();
        prop_assert_eq!(pdu_length(&bytes, usize::MAX).unwrap(), Some(bytes.len()));
        prop_assert_eq!(Apdu::decode(&bytes), Ok(apdu.clone()));
        // Lenient input: the same APDU with indefinite lengths everywhere.
        let indef = to_indefinite(&bytes);
        prop_assert_eq!(pdu_length(&indef, usize::MAX).unwrap(), Some(indef.len()));
        prop_assert_eq!(Apdu::decode(&indef), Ok(apdu));
    }

    #[test]
    fn opac_round_trips(rec in opac()) {
        prop_assert_eq!(External::opac(&rec).opac_record(), Ok(rec));
    }

    #[test]
    fn decoder_never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = Apdu::decode(&b);
        let _ = pdu_length(&b, 1 << 20);
    }

    #[test]
    fn decoder_never_panics_on_mutated_apdus(apdu in any_apdu(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let mut bytes = apdu.encode();
        for (i, v) in flips {
            let i = i.index(bytes.len());
            bytes[i] = v;
        }
        let _ = Apdu::decode(&bytes);
        if let Ok(Some(n)) = pdu_length(&bytes, 1 << 20) {
            prop_assert!(n <= bytes.len());
        }
    }

    #[test]
    fn prefix_of_a_pdu_is_never_complete(apdu in any_apdu(), cut in any::<prop::sample::Index>()) {
        let bytes = apdu.encode();
        let cut = cut.index(bytes.len());
        prop_assert_eq!(pdu_length(&bytes[..cut], usize::MAX).unwrap(), None);
    }
}

#[test]
fn diagnostics_always_carry_addinfo() {
    let resp = Apdu::SearchResponse(SearchResponse {
        reference_id: None,
        result_count: 0,
        number_of_records_returned: 0,
        next_result_set_position: 0,
        search_status: false,
        result_set_status: Some(3),
        present_status: None,
        records: Some(Records::NonSurrogateDiagnostic(DefaultDiagFormat::bib1(
            1, "",
        ))),
    });
    let bytes = resp.encode();
    // [130] { OID bib-1 diag, INTEGER 1, VisibleString "" }
    assert!(bytes.ends_with(&[0x02, 0x01, 0x01, 0x1A, 0x00]));
    let mut w = Writer::new();
    w.constructed(Tag::ctx_c(23), |w| {
        w.integer(Tag::ctx(23), 0);
        w.integer(Tag::ctx(24), 0);
        w.integer(Tag::ctx(25), 0);
        w.boolean(Tag::ctx(22), false);
        // Lenient input: a DefaultDiagFormat without addinfo.
        w.constructed(Tag::ctx_c(130), |w| {
            w.oid(Tag::univ(6), &known::bib1_diagnostics());
            w.integer(Tag::univ(2), 109);
        });
    });
    let Apdu::SearchResponse(r) = Apdu::decode(&w.into_bytes()).unwrap() else {
        panic!()
    };
    let Some(Records::NonSurrogateDiagnostic(d)) = r.records else {
        panic!()
    };
    assert_eq!((d.condition, d.addinfo.as_str()), (109, ""));
    // Non-ASCII addinfo goes out as a v3 GeneralString.
    let bytes = Apdu::PresentResponse(PresentResponse {
        reference_id: None,
        number_of_records_returned: 0,
        next_result_set_position: 1,
        present_status: 5,
        records: Some(Records::NonSurrogateDiagnostic(DefaultDiagFormat::bib1(
            235, "Bücher",
        ))),
    })
    .encode();
    let at = bytes.len() - "Bücher".len() - 2;
    assert_eq!(bytes[at], 0x1B);
}

#[test]
fn cql_type_104() {
    let q = Query::cql("dc.title = hobbit");
    assert_eq!(q.as_cql().as_deref(), Some("dc.title = hobbit"));
    assert_eq!(
        quire_cql::parse_cql(&q.as_cql().unwrap())
            .unwrap()
            .clauses()
            .len(),
        1
    );
    let pqf = quire_cql::pqf::parse_pqf("x").unwrap();
    assert_eq!(
        Query::Type1(RpnQuery::from_pqf(&pqf).unwrap()).as_cql(),
        None
    );
}

#[test]
fn element_class_helpers() {
    let (el, _) = read_element(&[0x9F, 0x68, 0x00], 0).unwrap();
    assert!(el.tag.is(Class::Context, 104));
}
