//! Every message of the shared `sip2/sip2_messages.tsv` fixture (104 real
//! messages from the test suites of edge-sip2, jsip2, Evergreen SIPServer and
//! invenio-sip2): checksum status and parse result.

// Test helpers outside #[test] functions may unwrap too.
#![allow(clippy::unwrap_used)]

use quire_sip2::checksum::{ChecksumStatus, verify};
use quire_sip2::{Charset, ParseError, Request, Response};

/// Messages we deliberately reject, with the reason.
const REJECTED: &[(&str, &str)] = &[
    // edge-sip2 test: protocol version cut to 3 characters (".23").
    ("990231.23", "protocol version (fixed, offset 6)"),
    // edge-sip2 repository tests use random digits as placeholder 99 messages:
    // status code '8'/'7' is not 0, 1 or 2.
    ("9983235487258", "status code (fixed, offset 2)"),
    ("997383903573496", "status code (fixed, offset 2)"),
    ("997383903573497", "status code (fixed, offset 2)"),
    // jsip2 hold test: a stray "3" after the transaction date, so the next
    // variable field starts with "3B" instead of a field code.
    (
        "15+20130915    1854553BSpickupLocation|BY3|AO|AApatronId|ABitemId|AY1AZE9BF",
        "variable field at offset 21",
    ),
];

fn rows() -> Option<Vec<Vec<String>>> {
    let (header, rows) = quire_testdata::read_tsv("sip2/sip2_messages.tsv")?;
    assert_eq!(
        header,
        [
            "message",
            "direction",
            "command",
            "command_name",
            "checksum_status",
            "source"
        ]
    );
    Some(
        rows.into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| String::from_utf8_lossy(&c).into_owned())
                    .collect()
            })
            .collect(),
    )
}

#[test]
fn checksum_status_matches_every_row() {
    let Some(rows) = rows() else { return };
    assert_eq!(rows.len(), 104);
    for row in &rows {
        let msg = &row[0];
        let raw = msg.as_bytes();
        let text = Charset::Utf8.decode(raw);
        let got = verify(raw, &text);
        let want = row[4].as_str();
        match want {
            "ok" => assert_eq!(got, ChecksumStatus::Valid, "{msg}"),
            "absent" => assert_eq!(got, ChecksumStatus::Absent, "{msg}"),
            "malformed_checksum_field" => assert_eq!(got, ChecksumStatus::Malformed, "{msg}"),
            bad => {
                let expected = bad
                    .strip_prefix("bad (expected ")
                    .and_then(|s| s.strip_suffix(')'))
                    .and_then(|h| u16::from_str_radix(h, 16).ok());
                match (got, expected) {
                    (ChecksumStatus::Invalid { expected: e, .. }, Some(x)) => {
                        assert_eq!(e, x, "{msg}")
                    }
                    (got, _) => panic!("{msg}: expected {bad}, got {got:?}"),
                }
            }
        }
    }
}

#[test]
fn every_row_parses_or_is_rejected_for_a_listed_reason() {
    let Some(rows) = rows() else { return };
    let mut parsed = 0;
    let mut rejected = Vec::new();
    for row in &rows {
        let msg = &row[0];
        let command = &row[2];
        // Parse as the direction the message really travels: 96 is ACS → SC
        // and 97 is SC → ACS, whatever the fixture's direction column says.
        let result: Result<String, ParseError> = match command.as_str() {
            "96" | "94" | "18" => Response::parse(msg).map(|r| r.command().to_string()),
            _ => Request::parse(msg).map(|r| r.command().to_string()),
        };
        match result {
            Ok(c) => {
                assert_eq!(&c, command, "{msg}");
                parsed += 1;
            }
            Err(e) => {
                let listed = REJECTED.iter().find(|(m, _)| m == msg);
                let Some((_, field)) = listed else {
                    panic!("unexpected rejection of {msg:?}: {e}");
                };
                match &e {
                    ParseError::Malformed { field: f, .. } => assert_eq!(f, field, "{msg}: {e}"),
                    other => panic!("{msg}: expected a malformed-field error, got {other:?}"),
                }
                rejected.push(msg.clone());
            }
        }
    }
    assert_eq!(rejected.len(), REJECTED.len(), "rejected: {rejected:?}");
    assert_eq!(parsed + rejected.len(), rows.len());
}

#[test]
fn fixture_requests_survive_format_parse() {
    let Some(rows) = rows() else { return };
    for row in &rows {
        let Ok(req) = Request::parse(&row[0]) else {
            continue;
        };
        let bytes = req.format(&Default::default());
        let text = String::from_utf8(bytes).unwrap();
        let again = Request::parse(text.trim_end_matches('\r')).unwrap();
        assert_eq!(again, req, "{}", row[0]);
    }
}

#[test]
fn typed_values_of_selected_fixture_messages() {
    if rows().is_none() {
        return;
    }
    let Request::Checkout(c) = Request::parse(
        "11YN20210814    08345520210814    083455AOinstitutionId|AApatronId|ABitemId|AC|ADpatronPassword|BON|BIN|AY3AZDE44",
    )
    .unwrap() else {
        panic!("not a checkout")
    };
    assert!(c.sc_renewal_policy && !c.no_block);
    assert_eq!(c.nb_due_date.raw(), "20210814    083455");
    assert_eq!(c.terminal_password.as_deref(), Some(""));
    assert_eq!((c.fee_acknowledged, c.cancel), (Some(false), Some(false)));

    let Request::Hold(h) = Request::parse(
        "15+20210814    083455AOinstitutionId|AApatronId|ABitemId|AJtitleId|ACterminalPassword|BOY|MAbibId|AY0AZDCD3",
    )
    .unwrap() else {
        panic!("not a hold")
    };
    // MA (Voyager ESIP bib id) is kept as an extension.
    assert_eq!(h.extensions, vec![("MA".to_string(), "bibId".to_string())]);
    assert_eq!(h.fee_acknowledged, Some(true));

    let Response::ItemInformation(i) = Response::parse(
        "1804020120110630    110249AB30007008503046|AJLe Piège de Bogota|CK001|AQOSUL|APOSUL|BGOSUL|AH2011-10-28 23:59:59|CSPB LP DAL|AY7AZ",
    )
    .unwrap() else {
        panic!("not an 18")
    };
    assert_eq!(i.title_id, "Le Piège de Bogota");
    assert_eq!(i.due_date.as_deref(), Some("2011-10-28 23:59:59"));
    assert_eq!(i.call_number.as_deref(), Some("PB LP DAL"));
}
