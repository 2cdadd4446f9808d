#![no_main]
//! CQL text → Quire query mapping never panics; what maps to a query is a
//! query the index accepts in shape (no empty terms).

use libfuzzer_sys::fuzz_target;
use quire_search::Query;

fn check(q: &Query) {
    match q {
        Query::Term { text, .. } => assert!(text.chars().any(char::is_alphanumeric)),
        Query::And(v) | Query::Or(v) => v.iter().for_each(check),
        Query::Not(a, b) => {
            check(a);
            check(b);
        }
        Query::YearRange { .. } | Query::All => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = quire_interop::cql_map::map_cql_text(text) {
        check(&m.query);
    }
    let _ = quire_interop::sru::scan_target(text);
});
