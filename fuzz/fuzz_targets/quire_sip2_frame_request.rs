//! Frame decoder + checksum + request parser + session on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_sip2::response::LoginResponse;
use quire_sip2::{
    Action, Charset, FormatOptions, FrameDecoder, Request, Response, Session, SessionConfig,
    SipDateTime,
};

fuzz_target!(|data: &[u8]| {
    let (charset, max) = match data.first() {
        Some(b) if b % 3 == 0 => (Charset::Utf8, 64),
        Some(b) if b % 3 == 1 => (Charset::Latin1, 4096),
        _ => (Charset::Cp850, 512),
    };
    let mut decoder = FrameDecoder::new(max, charset);
    let mut session = Session::new(SessionConfig::default());
    let now = SipDateTime::blank();
    // Feed in two chunks to exercise reassembly.
    let cut = data.len() / 2;
    decoder.feed(&data[..cut]);
    decoder.feed(&data[cut..]);
    while let Some(item) = decoder.next_frame() {
        let frame = match item {
            Ok(f) => f,
            Err(e) => {
                let _ = session.feed_error(e);
                continue;
            }
        };
        let _ = quire_sip2::verify(&frame.raw, &frame.text);
        if let Ok(req) = Request::parse(&frame.text) {
            // A parsed request formats and parses back to itself, unless
            // values had to be sanitized.
            let bytes = req.format(&FormatOptions::default().with_charset(charset));
            let text = charset.decode(&bytes[..bytes.len() - 1]);
            let again = Request::parse(&text);
            assert!(again.is_ok(), "{text:?}");
        }
        if let Action::Handle(_) = session.feed(&frame, &now) {
            let _ = session.respond(&Response::Login(LoginResponse::default()));
        }
    }
});
