//! Byte-stream framing: splitting a TCP byte stream into SIP2 messages.
//!
//! A SIP2 message ends with CR (0x0D). Real clients also send CRLF or a bare
//! LF, so any CR or LF ends a message and empty lines are skipped (which makes
//! the LF of a CRLF pair disappear). A message longer than the configured
//! maximum is dropped: the decoder stops buffering as soon as the limit is
//! passed, reports [`FrameError::TooLong`] when the terminator finally arrives
//! and carries on with the next message.

use std::collections::VecDeque;
use std::fmt;

use crate::charset::Charset;

/// Default maximum message length in bytes, terminator excluded.
pub const DEFAULT_MAX_MESSAGE_LEN: usize = 4096;

/// One complete message as received, terminator stripped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The bytes exactly as received (checksums are computed over these).
    pub raw: Vec<u8>,
    /// The bytes decoded with the connection's charset.
    pub text: String,
}

impl Frame {
    /// Builds a frame from received bytes, decoding them with `charset`.
    pub fn from_bytes(raw: Vec<u8>, charset: Charset) -> Frame {
        let text = charset.decode(&raw);
        Frame { raw, text }
    }
}

/// A framing problem; the decoder has already resynchronised when it is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// A message exceeded the maximum length and was discarded.
    TooLong {
        /// Bytes received for the discarded message (terminator excluded).
        len: usize,
        /// The configured maximum.
        max: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::TooLong { len, max } => write!(
                f,
                "message of {len} bytes exceeds the maximum of {max} bytes; discarded"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

/// Incremental SIP2 frame decoder: feed bytes as they arrive, pull messages.
///
/// Memory use is bounded by the maximum message length plus the messages
/// already completed and not yet pulled.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_len: usize,
    charset: Charset,
    current: Vec<u8>,
    /// Set while skipping an overlong message; counts its bytes.
    discarding: Option<usize>,
    ready: VecDeque<Result<Frame, FrameError>>,
}

impl FrameDecoder {
    /// A decoder that accepts messages of at most `max_len` bytes (terminator
    /// excluded; [`DEFAULT_MAX_MESSAGE_LEN`] is the usual value) and decodes
    /// them with `charset`.
    pub fn new(max_len: usize, charset: Charset) -> FrameDecoder {
        FrameDecoder {
            max_len,
            charset,
            current: Vec::new(),
            discarding: None,
            ready: VecDeque::new(),
        }
    }

    /// The maximum message length this decoder accepts.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The charset used to decode messages.
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// Changes the charset for messages completed from now on (e.g. after a
    /// login selected an account with another encoding).
    pub fn set_charset(&mut self, charset: Charset) {
        self.charset = charset;
    }

    /// Bytes of the current, incomplete message held in the buffer.
    pub fn buffered_len(&self) -> usize {
        self.current.len()
    }

    /// While an overlong message is being skipped: how many of its bytes
    /// have been discarded so far (a server may close a connection that
    /// streams megabytes without a terminator).
    pub fn discarding_len(&self) -> Option<usize> {
        self.discarding
    }

    /// Feeds received bytes. Completed messages become available through
    /// [`FrameDecoder::next_frame`].
    pub fn feed(&mut self, data: &[u8]) {
        let mut rest = data;
        while !rest.is_empty() {
            let end = rest.iter().position(|&b| b == b'\r' || b == b'\n');
            let (chunk, terminated) = match end {
                Some(i) => (&rest[..i], true),
                None => (rest, false),
            };
            self.absorb(chunk);
            if terminated {
                self.finish_message();
                rest = &rest[chunk.len() + 1..];
            } else {
                rest = &[];
            }
        }
    }

    /// The next complete message (or framing error), if any.
    pub fn next_frame(&mut self) -> Option<Result<Frame, FrameError>> {
        self.ready.pop_front()
    }

    /// Convenience: feeds `data` and returns everything completed so far.
    pub fn decode(&mut self, data: &[u8]) -> Vec<Result<Frame, FrameError>> {
        self.feed(data);
        self.ready.drain(..).collect()
    }

    fn absorb(&mut self, chunk: &[u8]) {
        if let Some(n) = self.discarding.as_mut() {
            *n += chunk.len();
            return;
        }
        if self.current.len() + chunk.len() > self.max_len {
            self.discarding = Some(self.current.len() + chunk.len());
            self.current = Vec::new();
        } else {
            self.current.extend_from_slice(chunk);
        }
    }

    fn finish_message(&mut self) {
        if let Some(len) = self.discarding.take() {
            self.ready.push_back(Err(FrameError::TooLong {
                len,
                max: self.max_len,
            }));
            return;
        }
        if self.current.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.current);
        self.ready
            .push_back(Ok(Frame::from_bytes(raw, self.charset)));
    }
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder::new(DEFAULT_MAX_MESSAGE_LEN, Charset::Utf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(results: Vec<Result<Frame, FrameError>>) -> Vec<Result<String, FrameError>> {
        results.into_iter().map(|r| r.map(|f| f.text)).collect()
    }

    #[test]
    fn splits_on_cr_crlf_and_lf() {
        let mut d = FrameDecoder::new(100, Charset::Utf8);
        let got = texts(d.decode(b"9900302.00\r9300CNa|COb|\r\n\n6300\n"));
        assert_eq!(
            got,
            vec![
                Ok("9900302.00".to_string()),
                Ok("9300CNa|COb|".to_string()),
                Ok("6300".to_string())
            ]
        );
    }

    #[test]
    fn partial_input_is_kept_until_terminated() {
        let mut d = FrameDecoder::new(100, Charset::Utf8);
        assert!(d.decode(b"99003").is_empty());
        assert_eq!(d.buffered_len(), 5);
        assert!(d.decode(b"02.").is_empty());
        assert_eq!(texts(d.decode(b"00\r")), vec![Ok("9900302.00".to_string())]);
        assert_eq!(d.buffered_len(), 0);
    }

    #[test]
    fn overlong_message_is_reported_and_decoder_resyncs() {
        let mut d = FrameDecoder::new(10, Charset::Utf8);
        assert!(d.decode(b"0123456789AB").is_empty());
        // Nothing of the overlong message is buffered.
        assert_eq!(d.buffered_len(), 0);
        assert!(d.decode(&[b'x'; 1000]).is_empty());
        assert_eq!(d.buffered_len(), 0);
        assert_eq!(d.discarding_len(), Some(1012));
        let got = texts(d.decode(b"yy\r97AZFEF5\r"));
        assert_eq!(
            got,
            vec![
                Err(FrameError::TooLong { len: 1014, max: 10 }),
                Ok("97AZFEF5".to_string())
            ]
        );
    }

    #[test]
    fn exactly_max_len_is_accepted() {
        let mut d = FrameDecoder::new(4, Charset::Utf8);
        assert_eq!(
            texts(d.decode(b"1234\r12345\r")),
            vec![
                Ok("1234".to_string()),
                Err(FrameError::TooLong { len: 5, max: 4 })
            ]
        );
    }

    #[test]
    fn decodes_with_configured_charset() {
        let mut d = FrameDecoder::new(100, Charset::Latin1);
        let f = d.decode(b"AJCaf\xE9|\r");
        assert_eq!(texts(f), vec![Ok("AJCafé|".to_string())]);
        d.set_charset(Charset::Utf8);
        let f = d.decode(b"AJCaf\xE9|\r");
        assert_eq!(texts(f), vec![Ok("AJCaf\u{FFFD}|".to_string())]);
    }

    proptest! {
        #[test]
        fn chunking_does_not_change_result(
            data in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), any::<u8>()], 0..300),
            cut in 0usize..300,
            max in 1usize..40,
        ) {
            let mut whole = FrameDecoder::new(max, Charset::Utf8);
            let a = whole.decode(&data);
            let mut parts = FrameDecoder::new(max, Charset::Utf8);
            let cut = cut.min(data.len());
            let mut b = parts.decode(&data[..cut]);
            b.extend(parts.decode(&data[cut..]));
            prop_assert_eq!(&a, &b);
            for r in &a {
                match r {
                    Ok(f) => {
                        prop_assert!(!f.raw.is_empty() && f.raw.len() <= max);
                        prop_assert!(!f.raw.contains(&b'\r') && !f.raw.contains(&b'\n'));
                    }
                    Err(FrameError::TooLong { len, .. }) => prop_assert!(*len > max),
                }
            }
            prop_assert!(whole.buffered_len() <= max);
        }
    }
}
