#![no_main]
//! PQF parser: never panics; whatever parses prints back to an equal AST.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match quire_cql::pqf::parse_pqf(s) {
        Ok(q) => {
            // Printing distributes outer @attr over every term, so the text
            // can be longer than the input: reparse without a length limit.
            let printed = q.to_string();
            let limits = quire_cql::pqf::PqfLimits {
                max_length: usize::MAX,
                ..Default::default()
            };
            assert_eq!(
                quire_cql::pqf::parse_pqf_with_limits(&printed, limits).as_ref(),
                Ok(&q),
                "{printed}"
            );
        }
        Err(e) => assert!(e.position <= s.len()),
    }
});
