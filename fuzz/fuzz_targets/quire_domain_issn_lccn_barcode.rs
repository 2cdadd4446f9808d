#![no_main]
//! ISSN, LCCN and barcode parsers: never panic; normal forms are fixed points.
use libfuzzer_sys::fuzz_target;
use quire_domain::ident::{normalize_lccn, BarcodeScheme, Issn, Lccn};

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
        assert_eq!(Lccn::parse(l.as_str()).map(|x| x.as_str().to_owned()), Ok(l.as_str().to_owned()));
    }
    let scheme = BarcodeScheme::default();
    if scheme.validate(s).is_ok() {
        assert_eq!(s.trim().len() >= 14, true);
    }
});
