//! MARC-8 -> UTF-8 decoding.
//!
//! Implements the Library of Congress MARC-8 repertoire: Basic Latin and
//! ANSEL, Greek symbols, subscripts, superscripts (technique 1 escapes
//! `ESC g`, `ESC b`, `ESC p`, reset with `ESC s`), and the ISO 2022
//! designations (`ESC ( F`, `ESC , F`, `ESC ) F`, `ESC - F`, `ESC $ F`,
//! `ESC $ , F`, `ESC $ ) F`, `ESC $ - F`) of Hebrew, Basic/Extended
//! Cyrillic, Basic/Extended Arabic, Greek and the multibyte EACC (CJK) set.
//!
//! Combining marks, which MARC-8 writes *before* their base character, are
//! moved after it, and the result is normalised to NFC.
//!
//! Decisions (see ARCHITECTURE.md):
//! * Ligature and double-tilde halves (ANSEL EB/EC and FA/FB) use the LoC
//!   preferred mapping: the first half becomes the spanning U+0361 / U+0360
//!   and the second half maps to nothing (YAZ and MARC::Charset agree;
//!   pymarc emits U+FE20..U+FE23).
//! * Unmappable bytes and broken escape sequences become U+FFFD (visible)
//!   and are reported in [`Marc8Decoded::errors`].
//! * Numeric character references `&#xHHHH;` in Basic Latin text (the LoC
//!   "lossless conversion" technique for characters MARC-8 lacks) become the
//!   character they name.
//! * The sets are reset to G0 = ASCII, G1 = ANSEL at the start of every call;
//!   callers decode one field at a time.

#[rustfmt::skip]
#[allow(clippy::unreadable_literal)]
mod tables;

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// A graphic character set that can be designated into G0 or G1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// Basic Latin (ASCII), final `B`.
    BasicLatin,
    /// Extended Latin (ANSEL), final `!E` (or `E`).
    Ansel,
    /// Greek symbols (technique 1, `ESC g`).
    GreekSymbols,
    /// Subscripts (technique 1, `ESC b`).
    Subscripts,
    /// Superscripts (technique 1, `ESC p`).
    Superscripts,
    /// Basic Hebrew, final `2`.
    Hebrew,
    /// Basic Cyrillic, final `N`.
    BasicCyrillic,
    /// Extended Cyrillic, final `Q`.
    ExtendedCyrillic,
    /// Basic Arabic, final `3`.
    BasicArabic,
    /// Extended Arabic, final `4`.
    ExtendedArabic,
    /// Basic Greek, final `S`.
    Greek,
    /// East Asian Character Code (3 bytes per character), final `1`.
    Eacc,
}

impl Charset {
    fn from_final(f: u8) -> Option<Charset> {
        Some(match f {
            b'B' => Charset::BasicLatin,
            b'E' => Charset::Ansel,
            b'g' => Charset::GreekSymbols,
            b'b' => Charset::Subscripts,
            b'p' => Charset::Superscripts,
            b'2' => Charset::Hebrew,
            b'N' => Charset::BasicCyrillic,
            b'Q' => Charset::ExtendedCyrillic,
            b'3' => Charset::BasicArabic,
            b'4' => Charset::ExtendedArabic,
            b'S' => Charset::Greek,
            b'1' => Charset::Eacc,
            _ => return None,
        })
    }

    fn table(self) -> &'static [u32; 128] {
        match self {
            Charset::BasicLatin => &tables::BASIC_LATIN,
            Charset::Ansel => &tables::ANSEL,
            Charset::GreekSymbols => &tables::GREEK_SYMBOLS,
            Charset::Subscripts => &tables::SUBSCRIPTS,
            Charset::Superscripts => &tables::SUPERSCRIPTS,
            Charset::Hebrew => &tables::HEBREW,
            Charset::BasicCyrillic => &tables::BASIC_CYRILLIC,
            Charset::ExtendedCyrillic => &tables::EXTENDED_CYRILLIC,
            Charset::BasicArabic => &tables::BASIC_ARABIC,
            Charset::ExtendedArabic => &tables::EXTENDED_ARABIC,
            Charset::Greek => &tables::GREEK,
            // EACC is looked up separately; never reached.
            Charset::Eacc => &tables::BASIC_LATIN,
        }
    }
}

/// One problem met while decoding MARC-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marc8Error {
    /// Byte offset in the decoded input.
    pub offset: usize,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for Marc8Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MARC-8 byte {}: {}", self.offset, self.message)
    }
}

/// The result of decoding: NFC text plus every unmappable byte or broken
/// escape (each also visible as U+FFFD in `text`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Marc8Decoded {
    /// Decoded text, NFC.
    pub text: String,
    /// Problems, in input order.
    pub errors: Vec<Marc8Error>,
}

/// Looks up an EACC code (three bytes packed big-endian).
pub fn eacc_lookup(code: u32) -> Option<char> {
    tables::EACC
        .binary_search_by_key(&code, |&(k, _)| k)
        .ok()
        .and_then(|i| char::from_u32(tables::EACC[i].1))
}

/// Decodes a MARC-8 byte string to UTF-8 (NFC), starting with G0 = ASCII and
/// G1 = ANSEL. Never fails; problems are reported in the result.
pub fn decode(input: &[u8]) -> Marc8Decoded {
    let mut out = String::with_capacity(input.len() + 8);
    let mut errors = Vec::new();
    let mut pending: Vec<char> = Vec::new();
    let mut g0 = Charset::BasicLatin;
    let mut g1 = Charset::Ansel;
    let mut i = 0;

    // Emits a base (non-combining) character followed by pending marks.
    fn emit(out: &mut String, pending: &mut Vec<char>, c: char) {
        out.push(c);
        out.extend(pending.drain(..));
    }

    while i < input.len() {
        let b = input[i];
        if b == 0x1B {
            match parse_escape(&input[i..]) {
                Some((len, target, set)) => {
                    match target {
                        Target::G0 => g0 = set,
                        Target::G1 => g1 = set,
                    }
                    i += len;
                }
                None => {
                    errors.push(Marc8Error {
                        offset: i,
                        message: format!(
                            "unrecognised escape sequence {}; ESC replaced with U+FFFD",
                            hex_preview(&input[i..], 4)
                        ),
                    });
                    emit(&mut out, &mut pending, char::REPLACEMENT_CHARACTER);
                    i += 1;
                }
            }
            continue;
        }
        if b <= 0x20 {
            // Space is a base character for pending marks; the MARC
            // delimiters (1D-1F) pass through; other C0 controls are not
            // MARC-8 graphic characters and are removed (reported).
            if b == 0x20 {
                emit(&mut out, &mut pending, ' ');
            } else if (0x1D..=0x1F).contains(&b) {
                out.extend(pending.drain(..));
                out.push(char::from(b));
            } else {
                errors.push(Marc8Error {
                    offset: i,
                    message: format!("control character 0x{b:02X} removed"),
                });
            }
            i += 1;
            continue;
        }
        if (0x80..=0xA0).contains(&b) {
            // C1 controls: only NSB/NSE (88/89) and ZWJ/ZWNJ (8D/8E) are defined.
            let v = tables::ANSEL[usize::from(b & 0x7F)];
            match char::from_u32(v & 0x1F_FFFF).filter(|_| v != 0) {
                Some(c) => emit(&mut out, &mut pending, c),
                None => {
                    errors.push(Marc8Error {
                        offset: i,
                        message: format!("undefined C1 byte 0x{b:02X} replaced with U+FFFD"),
                    });
                    emit(&mut out, &mut pending, char::REPLACEMENT_CHARACTER);
                }
            }
            i += 1;
            continue;
        }
        if b == 0x7F || b == 0xFF {
            errors.push(Marc8Error {
                offset: i,
                message: format!(
                    "byte 0x{b:02X} is not a MARC-8 graphic character; replaced with U+FFFD"
                ),
            });
            emit(&mut out, &mut pending, char::REPLACEMENT_CHARACTER);
            i += 1;
            continue;
        }
        let set = if b < 0x80 { g0 } else { g1 };
        if b == b'&'
            && set == Charset::BasicLatin
            && let Some((c, len)) = parse_ncr(&input[i..])
        {
            // LoC lossless technique: `&#xHHHH;` stands for a Unicode
            // character that MARC-8 cannot encode.
            emit(&mut out, &mut pending, c);
            i += len;
            continue;
        }
        if set == Charset::Eacc {
            if i + 3 > input.len() {
                errors.push(Marc8Error {
                    offset: i,
                    message: format!(
                        "truncated EACC character {} at end of data; replaced with U+FFFD",
                        hex_preview(&input[i..], 3)
                    ),
                });
                emit(&mut out, &mut pending, char::REPLACEMENT_CHARACTER);
                break;
            }
            let code = (u32::from(input[i] & 0x7F) << 16)
                | (u32::from(input[i + 1] & 0x7F) << 8)
                | u32::from(input[i + 2] & 0x7F);
            match eacc_lookup(code) {
                Some(c) => emit(&mut out, &mut pending, c),
                None => {
                    errors.push(Marc8Error {
                        offset: i,
                        message: format!(
                            "EACC code {code:06X} has no Unicode mapping; replaced with U+FFFD"
                        ),
                    });
                    emit(&mut out, &mut pending, char::REPLACEMENT_CHARACTER);
                }
            }
            i += 3;
            continue;
        }
        let v = set.table()[usize::from(b & 0x7F)];
        if v == 0 {
            errors.push(Marc8Error {
                offset: i,
                message: format!("byte 0x{b:02X} is unmapped in {set:?}; replaced with U+FFFD"),
            });
            emit(&mut out, &mut pending, char::REPLACEMENT_CHARACTER);
        } else if v & tables::EMPTY != 0 {
            // Second half of a double diacritic: nothing to emit.
        } else if let Some(c) = char::from_u32(v & 0x1F_FFFF) {
            if v & tables::COMBINING != 0 {
                pending.push(c);
            } else {
                emit(&mut out, &mut pending, c);
            }
        }
        i += 1;
    }
    // Marks with no following base: keep them (at the end) rather than lose them.
    out.extend(pending.drain(..));
    let text = if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    };
    Marc8Decoded { text, errors }
}

enum Target {
    G0,
    G1,
}

/// Parses an escape sequence at the start of `s` (which begins with ESC).
/// Returns (length, target, set).
fn parse_escape(s: &[u8]) -> Option<(usize, Target, Charset)> {
    let b1 = *s.get(1)?;
    match b1 {
        b'g' | b'b' | b'p' => Some((2, Target::G0, Charset::from_final(b1)?)),
        b's' => Some((2, Target::G0, Charset::BasicLatin)),
        b'(' | b',' | b')' | b'-' => {
            let target = if matches!(b1, b'(' | b',') {
                Target::G0
            } else {
                Target::G1
            };
            let f = *s.get(2)?;
            if f == b'!' {
                // ESC ( ! E : Extended Latin with the extra intermediate.
                if *s.get(3)? == b'E' {
                    return Some((4, target, Charset::Ansel));
                }
                return None;
            }
            let set = Charset::from_final(f)?;
            if set == Charset::Eacc {
                return None;
            }
            Some((3, target, set))
        }
        b'$' => {
            let b2 = *s.get(2)?;
            match b2 {
                b'1' => Some((3, Target::G0, Charset::Eacc)),
                b',' | b')' | b'-' => {
                    let f = *s.get(3)?;
                    let target = if b2 == b',' { Target::G0 } else { Target::G1 };
                    // Only EACC is a multibyte set in MARC-8; accept the
                    // designation of other finals leniently as one-byte sets.
                    Some((4, target, Charset::from_final(f)?))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Parses a hexadecimal numeric character reference `&#xHHHH;` (1-6 hex
/// digits) at the start of `s`; C0 controls and non-scalars are refused.
fn parse_ncr(s: &[u8]) -> Option<(char, usize)> {
    let rest = s.strip_prefix(b"&#x").or_else(|| s.strip_prefix(b"&#X"))?;
    let digits = rest
        .iter()
        .take(7)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if !(1..=6).contains(&digits) || rest.get(digits) != Some(&b';') {
        return None;
    }
    let v = rest[..digits].iter().fold(0u32, |n, &d| {
        n * 16 + char::from(d).to_digit(16).unwrap_or(0)
    });
    let c = char::from_u32(v).filter(|c| !c.is_ascii_control())?;
    Some((c, 3 + digits + 1))
}

fn hex_preview(s: &[u8], n: usize) -> String {
    s.iter()
        .take(n)
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(b: &[u8]) -> String {
        decode(b).text
    }

    #[test]
    fn ascii_passthrough() {
        assert_eq!(d(b"Hello, world\x1fa"), "Hello, world\x1fa");
        let r = decode(b"a\x0cb");
        assert_eq!(r.text, "ab");
        assert_eq!(r.errors.len(), 1);
    }

    #[test]
    fn combining_moves_after_base_and_nfc() {
        // E2 = acute: MARC-8 "E2 65" is é.
        assert_eq!(d(b"Caf\xe2e"), "Caf\u{e9}");
        // Two marks, order preserved: E3 (grave) + F2 (dot below) on "a".
        let s = d(b"\xf2\xe1a");
        assert_eq!(s, "a\u{323}\u{300}".nfc().collect::<String>());
    }

    #[test]
    fn ligature_halves_use_spanning_mark() {
        // "i͡a" in ANSEL: EB i EC a -> i U+0361 a
        assert_eq!(d(b"\xebi\xeca"), "i\u{361}a");
    }

    #[test]
    fn cyrillic_and_reset() {
        let s = d(b"\x1b(NmoskwA\x1b(B ok");
        assert_eq!(s, "МОСКВа ok");
    }

    #[test]
    fn technique1_superscript() {
        assert_eq!(d(b"x\x1bp2\x1bs"), "x\u{b2}");
    }

    #[test]
    fn eacc() {
        // 0x213021 is the first EACC ideograph 一 (U+4E00).
        assert_eq!(d(b"\x1b$1\x21\x30\x21\x1b(B"), "\u{4e00}");
        let bad = decode(b"\x1b$1\x7e\x7e\x7e");
        assert_eq!(bad.text, "\u{fffd}");
        assert_eq!(bad.errors.len(), 1);
    }

    #[test]
    fn broken_escape_is_visible_and_reported() {
        let r = decode(b"a\x1b(Zb");
        assert!(r.text.contains('\u{fffd}'));
        assert_eq!(r.errors[0].offset, 1);
    }

    #[test]
    fn numeric_character_references() {
        assert_eq!(d(b"a &#x200F; b"), "a \u{200F} b");
        assert_eq!(d(b"&#xFFFD;"), "\u{FFFD}");
        // Not NCRs: kept literally.
        assert_eq!(
            d(b"&#x; &#x1234567; &#x41 &amp; &#x0;"),
            "&#x; &#x1234567; &#x41 &amp; &#x0;"
        );
        // Only in Basic Latin G0.
        let cyr = d(b"\x1b(N&#x41;\x1b(B");
        assert_eq!(cyr.chars().count(), 6, "{cyr}");
        assert!(!cyr.contains('A'));
    }

    #[test]
    fn unmapped_byte_reported() {
        let r = decode(b"a\xafb");
        assert_eq!(r.errors.len(), 1, "{r:?}");
        assert_eq!(r.text, "a\u{fffd}b");
    }
}
