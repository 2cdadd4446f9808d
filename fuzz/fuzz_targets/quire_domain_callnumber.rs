#![no_main]
//! Call numbers: parse and sort_key never panic in any scheme; the normalised
//! text re-parses to the same key; compare() agrees with key order.
use libfuzzer_sys::fuzz_target;
use quire_domain::callnumber::{Scheme, compare, guess_scheme, parse, sort_key};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    // Split the input in two to also compare pairs.
    let (a, b) = s.split_at(
        s.char_indices()
            .nth(s.chars().count() / 2)
            .map_or(0, |(i, _)| i),
    );
    for scheme in [Scheme::Lc, Scheme::Dewey, Scheme::Other] {
        let key = sort_key(scheme, s);
        if let Ok(c) = parse(scheme, s) {
            assert_eq!(c.sort_key(), &key);
            let again = parse(scheme, &c.normalized()).expect("normalised text parses");
            assert_eq!(again.sort_key(), &key, "normalised {:?}", c.normalized());
            let _ = c.display_lines();
        }
        assert_eq!(
            compare(scheme, a, b),
            sort_key(scheme, a).cmp(&sort_key(scheme, b))
        );
    }
    let _ = guess_scheme(s);
});
