//! Byte-level decoding of field content according to the record's encoding.

use crate::marc8;
use crate::read::{Warning, WarningKind};
use crate::record::Tag;

/// How the bytes of one record are to be turned into UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 (leader/09 `a`, or detected); invalid sequences become U+FFFD.
    Utf8,
    /// MARC-8 (leader/09 blank).
    Marc8,
    /// Unknown 8-bit encoding: bytes are read as ISO-8859-1 (reversible).
    Latin1,
}

/// Decodes one value. `base` is the record-relative offset of `bytes[0]`,
/// used in warnings.
pub(crate) fn decode_value(
    bytes: &[u8],
    enc: Encoding,
    tag: Tag,
    base: usize,
    warnings: &mut Vec<Warning>,
) -> String {
    match enc {
        Encoding::Utf8 => return decode_utf8_lossy(bytes, tag, base, warnings),
        // ASCII is the same in all three encodings, except ESC and the other
        // C0 controls in MARC-8.
        // (`&` may start a `&#xHHHH;` reference, which MARC-8 decoding resolves.)
        Encoding::Marc8
            if bytes
                .iter()
                .all(|&b| (0x20..0x80).contains(&b) && b != b'&') =>
        {
            return decode_utf8_lossy(bytes, tag, base, warnings);
        }
        Encoding::Latin1 if bytes.is_ascii() => {
            return decode_utf8_lossy(bytes, tag, base, warnings);
        }
        _ => {}
    }
    match enc {
        Encoding::Utf8 => decode_utf8_lossy(bytes, tag, base, warnings),
        Encoding::Marc8 => {
            let d = marc8::decode(bytes);
            for e in d.errors {
                warnings.push(
                    Warning::new(WarningKind::Encoding, e.message)
                        .tag(tag)
                        .at(base + e.offset),
                );
            }
            d.text
        }
        Encoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// UTF-8 with every invalid sequence replaced by U+FFFD and reported.
pub(crate) fn decode_utf8_lossy(
    bytes: &[u8],
    tag: Tag,
    base: usize,
    warnings: &mut Vec<Warning>,
) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 4);
            let mut pos = 0;
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                pos += chunk.valid().len();
                let inv = chunk.invalid();
                if !inv.is_empty() {
                    let hex: Vec<String> = inv.iter().map(|b| format!("{b:02X}")).collect();
                    warnings.push(
                        Warning::new(
                            WarningKind::Encoding,
                            format!(
                                "invalid UTF-8 sequence {} replaced with U+FFFD",
                                hex.join(" ")
                            ),
                        )
                        .tag(tag)
                        .at(base + pos),
                    );
                    out.push(char::REPLACEMENT_CHARACTER);
                    pos += inv.len();
                }
            }
            out
        }
    }
}

/// Decides a record's encoding from leader/09 and its data area. Returns the
/// encoding and an optional warning explaining a deviation from leader/09.
pub(crate) fn choose_encoding(
    leader09: u8,
    marc21: bool,
    data: &[u8],
) -> (Encoding, Option<Warning>) {
    match leader09 {
        b'a' => (Encoding::Utf8, None),
        b' ' if !marc21 && !data.contains(&0x1B) && std::str::from_utf8(data).is_err() => (
            Encoding::Latin1,
            Some(Warning::new(
                WarningKind::Encoding,
                "not a MARC 21 record (leader/10 is not 2): leader/09 blank does not imply MARC-8 and the data has no MARC-8 escapes; bytes read as ISO-8859-1",
            )),
        ),
        b' ' => {
            if data.is_ascii() {
                return (Encoding::Marc8, None);
            }
            // MARC-8 diacritics (E0-FE) precede ASCII letters, which is never
            // valid UTF-8; so non-ASCII data without ESC that *is* valid UTF-8
            // is almost certainly mislabelled UTF-8.
            if !data.contains(&0x1B) && std::str::from_utf8(data).is_ok() {
                (
                    Encoding::Utf8,
                    Some(Warning::new(
                        WarningKind::Encoding,
                        "leader/09 is blank (MARC-8) but the data is valid UTF-8 and has no MARC-8 escapes; read as UTF-8",
                    )),
                )
            } else {
                (Encoding::Marc8, None)
            }
        }
        other => {
            let shown = char::from(other).escape_default().to_string();
            if data.contains(&0x1B) {
                (
                    Encoding::Marc8,
                    Some(Warning::new(
                        WarningKind::Encoding,
                        format!(
                            "leader/09 '{shown}' is not a MARC 21 coding scheme; the data contains MARC-8 escape sequences, read as MARC-8"
                        ),
                    )),
                )
            } else if std::str::from_utf8(data).is_ok() {
                (
                    Encoding::Utf8,
                    Some(Warning::new(
                        WarningKind::Encoding,
                        format!(
                            "leader/09 '{shown}' is not a MARC 21 coding scheme; the data is valid UTF-8, read as UTF-8"
                        ),
                    )),
                )
            } else {
                (
                    Encoding::Latin1,
                    Some(Warning::new(
                        WarningKind::Encoding,
                        format!(
                            "leader/09 '{shown}' is not a MARC 21 coding scheme and the data is not UTF-8; bytes read as ISO-8859-1 (original encoding unknown, see raw)"
                        ),
                    )),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag() -> Tag {
        Tag(*b"245")
    }

    #[test]
    fn utf8_invalid_reported_with_offset() {
        let mut w = Vec::new();
        let s = decode_utf8_lossy(b"ab\xc0cd\x80", tag(), 100, &mut w);
        assert_eq!(s, "ab\u{fffd}cd\u{fffd}");
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].offset, Some(102));
        assert_eq!(w[1].offset, Some(105));
    }

    #[test]
    fn encoding_choice() {
        assert_eq!(choose_encoding(b'a', true, b"x").0, Encoding::Utf8);
        assert_eq!(choose_encoding(b' ', true, b"abc").0, Encoding::Marc8);
        assert_eq!(choose_encoding(b' ', true, b"Caf\xe2e").0, Encoding::Marc8);
        assert_eq!(choose_encoding(b' ', false, b"P\xe5 x").0, Encoding::Latin1);
        let (e, w) = choose_encoding(b' ', true, "Café".as_bytes());
        assert_eq!(e, Encoding::Utf8);
        assert!(w.is_some());
        assert_eq!(choose_encoding(b'0', true, b"\xa0\xe0").0, Encoding::Latin1);
        assert_eq!(
            choose_encoding(b'^', true, b"A\x1bp4\x1b(B").0,
            Encoding::Marc8
        );
    }

    #[test]
    fn latin1_and_marc8_values() {
        let mut w = Vec::new();
        assert_eq!(
            decode_value(b"\xe9", Encoding::Latin1, tag(), 0, &mut w),
            "é"
        );
        assert_eq!(
            decode_value(b"\xe2e", Encoding::Marc8, tag(), 0, &mut w),
            "é"
        );
        assert!(w.is_empty());
    }
}
