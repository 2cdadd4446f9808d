#![no_main]
//! Z39.50 search APDUs (any bytes) → Bib-1 mapping never panics; what maps
//! to a query has no empty terms.

use libfuzzer_sys::fuzz_target;
use quire_search::Query;
use quire_z3950::{Apdu, Query as ZQuery};

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
    if let Ok(Apdu::SearchRequest(r)) = Apdu::decode(data)
        && let ZQuery::Type1(rpn) | ZQuery::Type101(rpn) = &r.query
        && let Ok(q) = quire_interop::bib1::map_rpn(rpn, &|_| None)
    {
        check(&q);
    }
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(p) = quire_cql::pqf::parse_pqf(s)
        && let Ok(rpn) = quire_z3950::RpnQuery::from_pqf(&p)
        && let Ok(q) = quire_interop::bib1::map_rpn(&rpn, &|_| None)
    {
        check(&q);
    }
});
