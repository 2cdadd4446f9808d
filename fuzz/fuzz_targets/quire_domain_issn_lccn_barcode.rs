#![no_main]
//! ISSN, LCCN and barcode parsers: never panic; normal forms are fixed points.
use libfuzzer_sys::fuzz_target;
use quire_domain::ident::{BarcodeScheme, Issn, Lccn, normalize_lccn};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(issn) = Issn::parse(s) {
        assert_eq!(Issn::parse(&issn.hyphenated()).as_ref(), Ok(&issn));
    }
    if let Ok(n) = normalize_lccn(s) {
        let _ = Lccn::is_valid(&n);
    }
    if let Ok(l) = Lccn::parse(s) {
        assert_eq!(
            Lccn::parse(l.as_str()).map(|x| x.as_str().to_owned()),
            Ok(l.as_str().to_owned())
        );
    }
    // A barcode that validates is exactly what generate() makes of its payload.
    let scheme = BarcodeScheme::default();
    if scheme.validate(s).is_ok() {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let payload: u64 = digits[..13].parse().expect("13 digits");
        assert_eq!(scheme.generate(payload).as_deref(), Ok(digits.as_str()));
    }
});
