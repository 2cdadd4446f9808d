#![no_main]
//! ISBN parser: never panics; a parsed ISBN re-parses to itself from every
//! form it offers (compact, 13-digit, 10-digit, search forms).
use libfuzzer_sys::fuzz_target;
use quire_domain::ident::Isbn;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(isbn) = Isbn::parse(s) {
        assert_eq!(Isbn::parse(isbn.as_str()).as_ref(), Ok(&isbn));
        let thirteen = Isbn::parse(&isbn.to_isbn13()).expect("13-digit form is valid");
        if let Some(ten) = isbn.to_isbn10() {
            let ten = Isbn::parse(&ten).expect("10-digit form is valid");
            assert_eq!(ten.to_isbn13(), thirteen.as_str());
        }
        assert_eq!(isbn.search_forms(), thirteen.search_forms());
    }
});
