#![no_main]
//! 008 per material and text normalisation: never panic; split/join round
//! trips; normalising twice changes nothing.
use libfuzzer_sys::fuzz_target;
use quire_marc::fixed::{self, MATERIALS};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for m in MATERIALS {
        let _ = fixed::check(s, *m);
        assert_eq!(fixed::join(&fixed::split(s, *m)), s);
    }
    let once = quire_marc::normalize::normalize(s).unwrap_or_else(|| s.to_owned());
    assert_eq!(quire_marc::normalize::normalize(&once), None);
});
