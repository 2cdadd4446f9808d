#![no_main]
//! CQL parser: never panics; whatever parses prints back to an equal AST.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match quire_cql::parse_cql(s) {
        Ok(q) => {
            // Canonical spacing/quoting can make the text longer than the
            // input: reparse without a length limit.
            let printed = q.to_string();
            let limits = quire_cql::CqlLimits {
                max_length: usize::MAX,
                ..Default::default()
            };
            assert_eq!(
                quire_cql::parse_cql_with_limits(&printed, limits).as_ref(),
                Ok(&q),
                "{printed}"
            );
        }
        Err(e) => {
            assert!(e.position <= s.len());
            let _ = e.diagnostic();
        }
    }
});
