//! ISBN/ISSN/LCCN normalisation on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_search::ident::{
    is_valid_isbn10, is_valid_isbn13, isbn10_to_13, isbn13_to_10, isbn_query_forms,
    looks_like_issn, looks_like_lccn, normalize_lccn,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let forms = isbn_query_forms(&text);
    assert!(!forms.is_empty());
    if is_valid_isbn10(&forms[0]) {
        let thirteen = isbn10_to_13(&forms[0]).expect("valid ISBN-10 converts");
        assert!(is_valid_isbn13(&thirteen));
        assert_eq!(isbn13_to_10(&thirteen).as_deref(), Some(forms[0].as_str()));
    }
    let _ = looks_like_issn(&text);
    let _ = looks_like_lccn(&text);
    let n = normalize_lccn(&text);
    assert_eq!(normalize_lccn(&n), n);
});
