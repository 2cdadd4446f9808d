//! Error detection: the `AY` sequence number and `AZ` checksum trailer.
//!
//! The checksum is the two's complement of the sum of all bytes from the
//! message identifier up to and including `AZ`, kept to 16 bits and written as
//! 4 upper-case hex digits. Verification also accepts the sum of Unicode code
//! points of the decoded text, which is what the Perl servers (Koha,
//! Evergreen SIPServer) compute; for ASCII both are the same.

/// Computes the checksum of `bytes` (everything up to and including `AZ`).
pub fn checksum(bytes: &[u8]) -> u16 {
    let sum = bytes
        .iter()
        .fold(0u16, |acc, &b| acc.wrapping_add(u16::from(b)));
    sum.wrapping_neg()
}

/// Checksum over the Unicode code points of `text` (the Perl `%16U*` variant).
pub fn checksum_code_points(text: &str) -> u16 {
    let sum = text
        .chars()
        .fold(0u32, |acc, c| acc.wrapping_add(u32::from(c)));
    // Keep the low 16 bits: truncation is the point here.
    let low = (sum & 0xFFFF) as u16;
    low.wrapping_neg()
}

/// Formats a checksum as the 4 upper-case hex digits sent on the wire.
pub fn format_checksum(value: u16) -> String {
    format!("{value:04X}")
}

/// Appends `AY<seq>AZ<checksum>` to an encoded message body (no terminator).
///
/// With `seq == None` only `AZ<checksum>` is appended (as in `96AZFEF6`).
/// Sequence numbers above 9 are reduced modulo 10.
pub fn append_trailer(message: &mut Vec<u8>, seq: Option<u8>) {
    if let Some(n) = seq {
        message.extend_from_slice(b"AY");
        message.push(b'0' + n % 10);
    }
    message.extend_from_slice(b"AZ");
    let value = checksum(message);
    message.extend_from_slice(format_checksum(value).as_bytes());
}

/// What the error-detection trailer of a message contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecksumField {
    /// No `AZ` field.
    Absent,
    /// `AZ` followed by exactly 4 hex digits at the end of the message.
    Present(u16),
    /// `AZ` present but not followed by exactly 4 hex digits; the text after `AZ`.
    Malformed(String),
}

/// The error-detection trailer found at the end of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    /// Byte offset (in the text) where the trailer starts; the message body
    /// (command, fixed and variable fields) is `text[..start]`.
    pub start: usize,
    /// The `AY` sequence number, if present.
    pub sequence: Option<u8>,
    /// The `AZ` checksum field.
    pub checksum: ChecksumField,
}

impl Trailer {
    /// True when the message carried any error-detection field (AY or AZ).
    pub fn error_detection(&self) -> bool {
        self.sequence.is_some() || self.checksum != ChecksumField::Absent
    }
}

fn is_hex4(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Finds the `AY`/`AZ` trailer of a message (text without terminator).
///
/// Rules: a message ending in `AZ` + 4 hex digits has a checksum, with an
/// optional `AY<digit>` right before it. Otherwise the last segment (after
/// the last `|`, or after the 2-character identifier) is searched for
/// `AY<digit>AZ`, or starts with `AZ`: that is a malformed checksum field. A
/// last segment ending in `AY<digit>` is a sequence number without checksum.
pub fn find_trailer(text: &str) -> Trailer {
    let bytes = text.as_bytes();
    let len = bytes.len();
    if len >= 6 && text.is_char_boundary(len - 6) && &bytes[len - 6..len - 4] == b"AZ" {
        let hex = &text[len - 4..];
        if is_hex4(hex) {
            let value = u16::from_str_radix(hex, 16).unwrap_or_default();
            let (start, sequence) = sequence_before(bytes, len - 6);
            return Trailer {
                start,
                sequence,
                checksum: ChecksumField::Present(value),
            };
        }
    }
    let seg_start = match text.rfind('|') {
        Some(i) => i + 1,
        None => len.min(2),
    };
    let segment = &bytes[seg_start..];
    // `AY<d>AZ...` anywhere in the last segment (last occurrence wins).
    if segment.len() >= 5 {
        for i in (0..=segment.len() - 5).rev() {
            if &segment[i..i + 2] == b"AY"
                && segment[i + 2].is_ascii_digit()
                && &segment[i + 3..i + 5] == b"AZ"
            {
                let after = seg_start + i + 5;
                return Trailer {
                    start: seg_start + i,
                    sequence: Some(segment[i + 2] - b'0'),
                    checksum: ChecksumField::Malformed(text[after..].to_string()),
                };
            }
        }
    }
    if segment.starts_with(b"AZ") {
        return Trailer {
            start: seg_start,
            sequence: None,
            checksum: ChecksumField::Malformed(text[seg_start + 2..].to_string()),
        };
    }
    let (start, sequence) = sequence_before(bytes, len);
    // Only accept a bare AY at the very start of the last segment.
    if sequence.is_some() && start == seg_start {
        return Trailer {
            start,
            sequence,
            checksum: ChecksumField::Absent,
        };
    }
    Trailer {
        start: len,
        sequence: None,
        checksum: ChecksumField::Absent,
    }
}

fn sequence_before(bytes: &[u8], end: usize) -> (usize, Option<u8>) {
    if end >= 3 && &bytes[end - 3..end - 1] == b"AY" && bytes[end - 1].is_ascii_digit() {
        (end - 3, Some(bytes[end - 1] - b'0'))
    } else {
        (end, None)
    }
}

/// Result of checking a received message's checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecksumStatus {
    /// The message has no `AZ` field.
    Absent,
    /// The checksum matches (over bytes, or over code points).
    Valid,
    /// The checksum does not match.
    Invalid {
        /// The value computed over the received bytes.
        expected: u16,
        /// The value the message carried.
        found: u16,
    },
    /// `AZ` is present but not followed by exactly 4 hex digits.
    Malformed,
}

/// Checks the checksum of a received message.
///
/// `raw` is the message as received and `text` its decoded form (both
/// without terminator). The checksum is valid when it matches the byte sum
/// or the code-point sum.
pub fn verify(raw: &[u8], text: &str) -> ChecksumStatus {
    let trailer = find_trailer(text);
    match trailer.checksum {
        ChecksumField::Absent => ChecksumStatus::Absent,
        ChecksumField::Malformed(_) => ChecksumStatus::Malformed,
        ChecksumField::Present(found) => {
            // The last 4 characters are ASCII hex digits in both forms.
            let covered_raw = raw.get(..raw.len().saturating_sub(4)).unwrap_or_default();
            let expected = checksum(covered_raw);
            if expected == found {
                return ChecksumStatus::Valid;
            }
            let covered_text = text.get(..text.len().saturating_sub(4)).unwrap_or_default();
            if checksum_code_points(covered_text) == found {
                return ChecksumStatus::Valid;
            }
            ChecksumStatus::Invalid { expected, found }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn worked_examples_from_the_digest() {
        assert_eq!(checksum(b"990 402.00AY1AZ"), 0xFCB4);
        assert_eq!(
            checksum(
                b"09N20260115    10153020260115    101530APMAIN|AOQUIRE|AB31234000012345|AC|AY3AZ"
            ),
            0xEDEC
        );
        assert_eq!(
            checksum(
                b"101YNN20260115    101531AOQUIRE|AB31234000012345|AQMAIN|AJThe hobbit|CL04|AY3AZ"
            ),
            0xEB26
        );
        assert_eq!(format_checksum(checksum(b"96AZ")), "FEF6");
        assert_eq!(format_checksum(checksum(b"97AZ")), "FEF5");
    }

    #[test]
    fn append_trailer_formats_ay_and_az() {
        let mut m = b"990 402.00".to_vec();
        append_trailer(&mut m, Some(1));
        assert_eq!(m, b"990 402.00AY1AZFCB4".to_vec());
        let mut m = b"96".to_vec();
        append_trailer(&mut m, None);
        assert_eq!(m, b"96AZFEF6".to_vec());
    }

    #[test]
    fn verify_statuses() {
        let ok = "9900302.00AY1AZFCA5";
        assert_eq!(verify(ok.as_bytes(), ok), ChecksumStatus::Valid);
        let lower = "9900302.00AY1AZfca5";
        assert_eq!(verify(lower.as_bytes(), lower), ChecksumStatus::Valid);
        let bad = "9900401.00AY1AZAAAA";
        assert_eq!(
            verify(bad.as_bytes(), bad),
            ChecksumStatus::Invalid {
                expected: 0xFCA5,
                found: 0xAAAA
            }
        );
        assert_eq!(verify(b"9900302.00", "9900302.00"), ChecksumStatus::Absent);
        assert_eq!(verify(b"941AY0AZ", "941AY0AZ"), ChecksumStatus::Malformed);
    }

    #[test]
    fn code_point_checksum_is_accepted() {
        // Checksum computed the Perl way over code points of "é" (233).
        let body = "17AJé|AY1AZ";
        let cp = checksum_code_points(body);
        let text = format!("{body}{}", format_checksum(cp));
        assert_ne!(cp, checksum(body.as_bytes()));
        assert_eq!(verify(text.as_bytes(), &text), ChecksumStatus::Valid);
    }

    #[test]
    fn trailer_detection() {
        let t = find_trailer("9300CNa|COb|AY1AZF594");
        assert_eq!(t.start, 12);
        assert_eq!(t.sequence, Some(1));
        assert_eq!(t.checksum, ChecksumField::Present(0xF594));
        let t = find_trailer("97AZFEF5");
        assert_eq!((t.start, t.sequence), (2, None));
        let t = find_trailer("1804020120110630    110249AB3|CSPB LP   EAU|AY6AZ");
        assert_eq!(t.sequence, Some(6));
        assert_eq!(t.checksum, ChecksumField::Malformed(String::new()));
        assert_eq!(t.start, 44);
        let t = find_trailer("9300CNa|COb|");
        assert_eq!(t.start, 12);
        assert!(!t.error_detection());
        let t = find_trailer("9300CNa|COb|AY4");
        assert_eq!(
            (t.start, t.sequence, t.checksum),
            (12, Some(4), ChecksumField::Absent)
        );
        // An AY inside a value is not a trailer.
        let t = find_trailer("9300CNa|COxAY4");
        assert_eq!(t.start, 14);
    }

    proptest! {
        #[test]
        fn appended_trailer_verifies(body in "[ -{}~]{0,80}", seq in proptest::option::of(0u8..10)) {
            let b = body.as_bytes();
            let ends_with_ay = b.len() >= 3 && &b[b.len() - 3..b.len() - 1] == b"AY" && b[b.len() - 1].is_ascii_digit();
            prop_assume!(seq.is_some() || !ends_with_ay);
            let mut m = body.clone().into_bytes();
            append_trailer(&mut m, seq);
            let text = String::from_utf8(m.clone()).unwrap_or_default();
            prop_assert_eq!(verify(&m, &text), ChecksumStatus::Valid);
            let t = find_trailer(&text);
            prop_assert_eq!(t.sequence, seq);
            prop_assert_eq!(t.start, body.len());
        }

        #[test]
        fn find_trailer_never_panics(text in "\\PC{0,40}") {
            let t = find_trailer(&text);
            prop_assert!(t.start <= text.len());
            prop_assert!(text.is_char_boundary(t.start));
        }

        #[test]
        fn verify_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..60)) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let _ = verify(&bytes, &text);
        }
    }
}
