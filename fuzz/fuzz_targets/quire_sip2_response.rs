//! Response parser (client side) on arbitrary text; re-format what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_sip2::{FormatOptions, Response};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(resp) = Response::parse(&text) {
        let bytes = resp.format(&FormatOptions::default().with_max_len(256));
        assert_eq!(bytes.last(), Some(&b'\r'));
    }
});
