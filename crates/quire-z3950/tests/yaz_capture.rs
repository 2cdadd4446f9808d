#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Real bytes from yaz-client 5.34 talking to yaz-ztest 5.34 (see
//! tests/fixtures/README.md for how they were captured). Each fixture is
//! the raw TCP stream of one direction of one session.

use quire_z3950::oid::known;
use quire_z3950::*;

fn split(stream: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let n = pdu_length(rest, 1 << 20)
            .expect("well-formed")
            .expect("complete PDU");
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

fn decode_all(stream: &[u8]) -> Vec<(Apdu, &[u8])> {
    split(stream)
        .into_iter()
        .map(|b| (Apdu::decode(b).unwrap_or_else(|e| panic!("{e}")), b))
        .collect()
}

const S1_CLIENT: &[u8] = include_bytes!("fixtures/session1.client.bin");
const S1_SERVER: &[u8] = include_bytes!("fixtures/session1.server.bin");
const S2_CLIENT: &[u8] = include_bytes!("fixtures/session2.client.bin");
const S2_SERVER: &[u8] = include_bytes!("fixtures/session2.server.bin");
const S3_CLIENT: &[u8] = include_bytes!("fixtures/session3.client.bin");
const S3_SERVER: &[u8] = include_bytes!("fixtures/session3.server.bin");

/// True when any constructed element in the PDU uses the indefinite form.
fn has_indefinite(bytes: &[u8]) -> bool {
    fn walk(el: &quire_z3950::ber::Element<'_>) -> bool {
        if !el.tag.constructed {
            return false;
        }
        let id_len = if el.raw[0] & 0x1F == 0x1F {
            2 + el.raw[1..].iter().position(|b| b & 0x80 == 0).unwrap_or(0)
        } else {
            1
        };
        el.raw[id_len] == 0x80
            || el
                .children("t")
                .expect("constructed")
                .any(|c| walk(&c.expect("child")))
    }
    walk(&quire_z3950::ber::read_element(bytes, 0).expect("element").0)
}

#[test]
fn every_captured_pdu_decodes_and_reencodes() {
    let (mut exact, mut indefinite) = (0, 0);
    for stream in [
        S1_CLIENT, S1_SERVER, S2_CLIENT, S2_SERVER, S3_CLIENT, S3_SERVER,
    ] {
        for (apdu, bytes) in decode_all(stream) {
            if has_indefinite(bytes) {
                // YAZ uses indefinite lengths for some PDUs (nested
                // queries, larger records); we always write definite ones.
                indefinite += 1;
                let ours = apdu.encode();
                assert!(!has_indefinite(&ours));
                assert_eq!(Apdu::decode(&ours).unwrap(), apdu);
            } else {
                // Otherwise YAZ writes the fields in ASN.1 order with
                // minimal lengths, as we do: byte-identical.
                assert_eq!(apdu.encode(), bytes, "{apdu:?}");
                exact += 1;
            }
        }
    }
    // Four captured PDUs use indefinite lengths: yaz-client's
    // @and/@or/@prox search request and three of yaz-ztest's present
    // responses.
    assert_eq!((exact, indefinite), (24, 4));
}

#[test]
fn session1_client_side() {
    let pdus = decode_all(S1_CLIENT);
    let kinds: Vec<u32> = pdus.iter().map(|(a, _)| a.tag_number()).collect();
    assert_eq!(kinds, vec![20, 22, 24, 24, 24, 24, 22, 35]);

    let Apdu::InitRequest(init) = &pdus[0].0 else {
        panic!()
    };
    assert_eq!(
        init.id_authentication,
        Some(IdAuthentication::Open("alice/secret".into()))
    );
    assert_eq!(init.implementation_name.as_deref(), Some("YAZ"));
    assert_eq!(init.protocol_version.ones(), vec![0, 1, 2]);
    for bit in [
        options::SEARCH,
        options::PRESENT,
        options::SCAN,
        options::SORT,
    ] {
        assert!(init.options.get(bit), "option {bit}");
    }
    assert_eq!(init.implementation_id.as_deref(), Some("81"));

    let Apdu::SearchRequest(s) = &pdus[1].0 else {
        panic!()
    };
    assert_eq!(s.database_names, vec!["Default".to_string()]);
    assert_eq!(s.result_set_name, "1");
    assert_eq!(
        (
            s.small_set_upper_bound,
            s.large_set_lower_bound,
            s.medium_set_present_number
        ),
        (0, 1, 0)
    );
    let Query::Type1(rpn) = &s.query else {
        panic!()
    };
    // yaz-client sorts attributes by type before sending.
    assert_eq!(
        rpn.to_pqf().to_string(),
        "@attrset bib-1 @attr 4=1 @attr 1=4 \"lord of the\""
    );

    let Apdu::PresentRequest(p) = &pdus[2].0 else {
        panic!()
    };
    assert_eq!((p.start_point, p.number_of_records), (1, 1));
    assert_eq!(p.result_set_id, "1");
    assert_eq!(p.preferred_record_syntax, Some(known::usmarc()));
    assert_eq!(
        p.element_set_names,
        Some(ElementSetNames::Generic("F".into()))
    );
    let syntaxes: Vec<_> = pdus[2..6]
        .iter()
        .map(|(a, _)| match a {
            Apdu::PresentRequest(p) => p.preferred_record_syntax.clone().unwrap(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        syntaxes,
        vec![known::usmarc(), known::opac(), known::sutrs(), known::xml()]
    );

    let Apdu::SearchRequest(s) = &pdus[6].0 else {
        panic!()
    };
    let Query::Type1(rpn) = &s.query else {
        panic!()
    };
    assert_eq!(
        rpn.to_pqf().to_string(),
        "@attrset bib-1 @and @attr 1=7 9780306406157 @or @attr 1=1003 tolkien @prox 0 3 1 2 k 2 dylan zimmerman"
    );

    let Apdu::ScanRequest(sc) = &pdus[7].0 else {
        panic!()
    };
    assert_eq!(sc.attribute_set, Some(known::bib1_attributes()));
    assert_eq!(sc.term_list_and_start_point.numeric(1), Some(4));
    assert_eq!(
        sc.term_list_and_start_point.term,
        Term::General(b"hobbit".to_vec())
    );
    assert_eq!(sc.number_of_terms_requested, 20);
    assert_eq!(sc.preferred_position_in_response, Some(1));
}

#[test]
fn session1_server_side_records() {
    let pdus = decode_all(S1_SERVER);
    let kinds: Vec<u32> = pdus.iter().map(|(a, _)| a.tag_number()).collect();
    assert_eq!(kinds, vec![21, 23, 25, 25, 25, 25, 23]);

    let Apdu::InitResponse(r) = &pdus[0].0 else {
        panic!()
    };
    assert!(r.result);
    assert_eq!(r.implementation_name.as_deref(), Some("GFS/YAZ"));

    let Apdu::SearchResponse(s) = &pdus[1].0 else {
        panic!()
    };
    assert_eq!((s.result_count, s.search_status), (23, true));

    let record = |i: usize| -> External {
        let Apdu::PresentResponse(p) = &pdus[i].0 else {
            panic!()
        };
        let Some(Records::ResponseRecords(list)) = &p.records else {
            panic!("{p:?}")
        };
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name.as_deref(), Some("Default"));
        match &list[0].record {
            RecordContent::Retrieval(e) => e.clone(),
            RecordContent::SurrogateDiagnostic(d) => panic!("{d:?}"),
        }
    };

    // MARC 21 in octet-aligned EXTERNAL.
    let marc = record(2);
    assert_eq!(marc.direct_reference, Some(known::usmarc()));
    let bytes = marc.as_octets().unwrap();
    assert_eq!(&bytes[..5], b"00366");
    assert_eq!(bytes.len(), 366);

    // OPAC with holdings and circulation.
    let opac = record(3);
    assert_eq!(opac.direct_reference, Some(known::opac()));
    let o = opac.opac_record().unwrap();
    assert_eq!(
        o.bibliographic_record.as_ref().unwrap().direct_reference,
        Some(known::usmarc())
    );
    let Some(holdings) = &o.holdings else {
        panic!()
    };
    let HoldingsRecord::HoldingsAndCirc(h) = &holdings[0] else {
        panic!()
    };
    assert_eq!(h.nuc_code.as_deref(), Some("s-FM/GC"));
    assert_eq!(h.call_number.as_deref(), Some("MLCM 89/00602 (N)"));
    assert_eq!(h.copy_number.as_deref(), Some("Copy 1"));
    let c = &h.circulation.as_ref().unwrap()[0];
    assert!(c.available_now && !c.renewable && !c.on_hold);
    assert_eq!(c.item_id.as_deref(), Some("1226176"));
    // Our OPAC encoder reproduces YAZ's bytes.
    assert_eq!(External::opac(&o), opac);

    // SUTRS.
    let sutrs = record(4);
    assert_eq!(sutrs.direct_reference, Some(known::sutrs()));
    assert_eq!(
        sutrs.sutrs_text().unwrap().trim_end(),
        "This is dummy SUTRS record number 3"
    );

    // Record 4 in XML: ztest answers with a surrogate diagnostic 14.
    let Apdu::PresentResponse(p) = &pdus[5].0 else {
        panic!()
    };
    let Some(Records::ResponseRecords(list)) = &p.records else {
        panic!()
    };
    let RecordContent::SurrogateDiagnostic(DiagRec::Default(d)) = &list[0].record else {
        panic!()
    };
    assert_eq!(d.condition, 14);
    assert_eq!(d.diagnostic_set_id, known::bib1_diagnostics());

    // A hit count beyond 32 bits (ztest echoes numeric terms as counts).
    let Apdu::SearchResponse(s) = &pdus[6].0 else {
        panic!()
    };
    assert_eq!(s.result_count, 9_780_306_406_157);
}

#[test]
fn session2_scan_request_only() {
    // yaz-ztest closes the connection on Scan, so only the request exists.
    let client = decode_all(S2_CLIENT);
    assert_eq!(client.len(), 2);
    assert!(matches!(client[1].0, Apdu::ScanRequest(_)));
    assert_eq!(decode_all(S2_SERVER).len(), 1);
}

#[test]
fn session3_diagnostics_xml_and_close() {
    let client = decode_all(S3_CLIENT);
    let kinds: Vec<u32> = client.iter().map(|(a, _)| a.tag_number()).collect();
    assert_eq!(kinds, vec![20, 22, 22, 24, 48]);
    let Apdu::Close(c) = &client[4].0 else {
        panic!()
    };
    assert_eq!(c.close_reason, CloseReason::Finished);

    let server = decode_all(S3_SERVER);
    let kinds: Vec<u32> = server.iter().map(|(a, _)| a.tag_number()).collect();
    assert_eq!(kinds, vec![21, 23, 23, 25, 48]);

    // Search in a missing database: failed search + non-surrogate diag 109.
    let Apdu::SearchResponse(s) = &server[1].0 else {
        panic!()
    };
    assert!(!s.search_status);
    assert_eq!(s.result_set_status, Some(3));
    let Some(Records::NonSurrogateDiagnostic(d)) = &s.records else {
        panic!("{s:?}")
    };
    assert_eq!(d.condition, 109);
    assert_eq!(d.addinfo, "Nonexistent");

    // MARCXML record.
    let Apdu::PresentResponse(p) = &server[3].0 else {
        panic!()
    };
    let Some(Records::ResponseRecords(list)) = &p.records else {
        panic!()
    };
    let RecordContent::Retrieval(x) = &list[0].record else {
        panic!()
    };
    assert_eq!(x.direct_reference, Some(known::xml()));
    let xml = String::from_utf8(x.as_octets().unwrap().to_vec()).unwrap();
    assert!(xml.starts_with("<record xmlns=\"http://www.loc.gov/MARC21/slim\">"));

    let Apdu::Close(c) = &server[4].0 else {
        panic!()
    };
    assert_eq!(c.close_reason, CloseReason::Finished);
}

#[test]
fn whole_stream_framing_byte_by_byte() {
    // Feeding the stream one byte at a time finds the same PDU boundaries.
    let expected: Vec<usize> = split(S1_SERVER).iter().map(|p| p.len()).collect();
    let mut found = Vec::new();
    let mut buf = Vec::new();
    for &b in S1_SERVER {
        buf.push(b);
        if let Some(n) = pdu_length(&buf, 1 << 20).unwrap() {
            found.push(n);
            buf.drain(..n);
        }
    }
    assert!(buf.is_empty());
    assert_eq!(found, expected);
}
