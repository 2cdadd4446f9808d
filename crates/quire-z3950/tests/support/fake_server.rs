// A tiny Z39.50 target built on the crate's API: used by
// tests/quire_as_target.rs and, during fixture capture, wrapped in a TCP
// loop that yaz-client talked to (see tests/fixtures/README.md).

use quire_z3950::oid::known;
use quire_z3950::*;

/// A synthetic MARC 21 record (not third-party data).
pub const SYNTHETIC_MARC: &[u8] = b"00095nam a2200049 a 4500001001100000245003400011\x1equire-0001\x1e10\x1faThe hobbit /\x1fcJ.R.R. Tolkien.\x1e\x1d";

/// The answer to one request, `None` when the connection should end
/// without an answer.
pub fn respond(req: &Apdu) -> Option<Apdu> {
    Some(match req {
        Apdu::InitRequest(r) => Apdu::InitResponse(accept_init(
            r,
            &BitString::from_bits(&[
                options::SEARCH,
                options::PRESENT,
                options::DEL_SET,
                options::SCAN,
            ]),
            1 << 20,
            1 << 20,
            "Quire test target",
            "0.1",
        )),
        Apdu::SearchRequest(r) => {
            if r.database_names != ["Default"] {
                Apdu::SearchResponse(SearchResponse {
                    reference_id: r.reference_id.clone(),
                    result_count: 0,
                    number_of_records_returned: 0,
                    next_result_set_position: 0,
                    search_status: false,
                    result_set_status: Some(3),
                    present_status: Some(5),
                    records: Some(Records::NonSurrogateDiagnostic(DefaultDiagFormat::bib1(
                        235,
                        r.database_names.first().map_or("", String::as_str),
                    ))),
                })
            } else {
                Apdu::SearchResponse(SearchResponse {
                    reference_id: r.reference_id.clone(),
                    result_count: 5,
                    number_of_records_returned: 0,
                    next_result_set_position: 1,
                    search_status: true,
                    result_set_status: None,
                    present_status: None,
                    records: None,
                })
            }
        }
        Apdu::PresentRequest(r) => {
            let syn = r
                .preferred_record_syntax
                .clone()
                .unwrap_or_else(known::usmarc);
            let marc = || External::octets(known::usmarc(), SYNTHETIC_MARC.to_vec());
            let rec = if syn == known::usmarc() {
                RecordContent::Retrieval(marc())
            } else if syn == known::opac() {
                RecordContent::Retrieval(External::opac(&OpacRecord {
                    bibliographic_record: Some(marc()),
                    holdings: Some(vec![HoldingsRecord::HoldingsAndCirc(Box::new(
                        HoldingsAndCirc {
                            local_location: Some("Main Library".into()),
                            call_number: Some("PR6039.O32 H6 1937".into()),
                            circulation: Some(vec![CircRecord {
                                available_now: false,
                                availability_date: Some("2026-12-24".into()),
                                item_id: Some("31234000123456".into()),
                                renewable: true,
                                on_hold: true,
                                ..CircRecord::default()
                            }]),
                            ..HoldingsAndCirc::default()
                        },
                    ))]),
                }))
            } else if syn == known::sutrs() {
                RecordContent::Retrieval(External::sutrs("The hobbit / J.R.R. Tolkien."))
            } else if syn == known::xml() {
                RecordContent::Retrieval(External::octets(
                    known::xml(),
                    b"<record xmlns=\"http://www.loc.gov/MARC21/slim\"><leader>00000nam a2200000 a 4500</leader></record>".to_vec(),
                ))
            } else {
                RecordContent::SurrogateDiagnostic(DiagRec::Default(DefaultDiagFormat::bib1(
                    239,
                    &syn.to_string(),
                )))
            };
            Apdu::PresentResponse(PresentResponse {
                reference_id: r.reference_id.clone(),
                number_of_records_returned: 1,
                next_result_set_position: r.start_point + 1,
                present_status: 0,
                records: Some(Records::ResponseRecords(vec![NamePlusRecord {
                    name: Some("Default".into()),
                    record: rec,
                }])),
            })
        }
        Apdu::ScanRequest(r) => {
            let entry = |t: &[u8], display: Option<&str>, n: i64| {
                ScanEntry::TermInfo(TermInfo {
                    term: Term::General(t.to_vec()),
                    display_term: display.map(str::to_string),
                    global_occurrences: Some(n),
                })
            };
            Apdu::ScanResponse(ScanResponse {
                reference_id: r.reference_id.clone(),
                step_size: Some(0),
                scan_status: 0,
                number_of_entries_returned: 3,
                position_of_term: Some(1),
                entries: Some(vec![
                    entry(b"hobbit", None, 4),
                    entry(b"hobbits", Some("Hobbits"), 1),
                    entry(b"hoc", None, 2),
                ]),
                diagnostics: None,
                attribute_set: None,
            })
        }
        Apdu::DeleteResultSetRequest(r) => Apdu::DeleteResultSetResponse(DeleteResultSetResponse {
            reference_id: r.reference_id.clone(),
            delete_operation_status: 0,
            delete_list_statuses: None,
            number_not_deleted: None,
            bulk_statuses: None,
            delete_message: None,
        }),
        Apdu::Close(c) => Apdu::Close(Close {
            reference_id: c.reference_id.clone(),
            close_reason: CloseReason::Finished,
            diagnostic_information: None,
        }),
        _ => return None,
    })
}
