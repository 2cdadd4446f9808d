//! Tokenizer + folding: never panic, tokens non-empty and already folded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_search::analysis::{analyze, analyze_stemmed, fold, normalize_key};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for token in analyze(&text) {
        assert!(!token.is_empty());
        assert_eq!(fold(&token), token);
    }
    let _ = analyze_stemmed(&text);
    let key = normalize_key(&text);
    assert_eq!(normalize_key(&key), key);
});
