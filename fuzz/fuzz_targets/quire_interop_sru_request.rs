#![no_main]
//! SRU parameter validation never panics, and a fatal diagnostic always
//! renders as a well-formed response.

use libfuzzer_sys::fuzz_target;
use quire_interop::sru::{SruRequest, diagnostics_only};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let params: Vec<(String, String)> = text
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect();
    if let Err((v, op, d)) = SruRequest::parse(&params) {
        let xml = diagnostics_only(v, op, &[d]);
        assert!(xml.contains("diagnostic"));
    }
});
