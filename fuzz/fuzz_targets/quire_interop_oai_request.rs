#![no_main]
//! OAI-PMH request validation and resumption-token decoding never panic;
//! a decoded token re-encodes to one that decodes to the same arguments.

use libfuzzer_sys::fuzz_target;
use quire_interop::oai::{ListArgs, parse_request};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(args) = ListArgs::from_token(&text)
        && let Some(after) = args.after
    {
        let again = ListArgs::from_token(&args.token(after, args.cursor));
        assert_eq!(again, Some(args));
    }
    let params: Vec<(String, String)> = text
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect();
    let _ = parse_request(&params);
});
