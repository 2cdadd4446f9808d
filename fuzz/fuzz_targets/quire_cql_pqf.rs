#![no_main]
//! PQF parser: never panics; whatever parses prints back to an equal AST.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match quire_cql::pqf::parse_pqf(s) {
        Ok(q) => {
            let printed = q.to_string();
            assert_eq!(quire_cql::pqf::parse_pqf(&printed).as_ref(), Ok(&q), "{printed}");
        }
        Err(e) => assert!(e.position <= s.len()),
    }
});
