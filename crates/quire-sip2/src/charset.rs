//! Character sets a SIP2 account can be configured with.
//!
//! The SIP2 specification says ASCII; in practice sites configure UTF-8 or a
//! single-byte code page per account. Decoding never fails: bytes that are not
//! valid in the charset become U+FFFD. Encoding never fails either: characters
//! the charset cannot represent become `?`.

/// The byte encoding used on one SIP2 connection (a per-account setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Charset {
    /// UTF-8 (the default). Invalid sequences decode to U+FFFD.
    #[default]
    Utf8,
    /// ISO-8859-1 (Latin-1): every byte is the code point of the same value.
    Latin1,
    /// IBM code page 850 (DOS Latin-1), still found on older self-check units.
    Cp850,
}

/// Upper half (0x80..=0xFF) of code page 850.
const CP850_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{00E0}', '\u{00E5}', '\u{00E7}',
    '\u{00EA}', '\u{00EB}', '\u{00E8}', '\u{00EF}', '\u{00EE}', '\u{00EC}', '\u{00C4}', '\u{00C5}',
    '\u{00C9}', '\u{00E6}', '\u{00C6}', '\u{00F4}', '\u{00F6}', '\u{00F2}', '\u{00FB}', '\u{00F9}',
    '\u{00FF}', '\u{00D6}', '\u{00DC}', '\u{00F8}', '\u{00A3}', '\u{00D8}', '\u{00D7}', '\u{0192}',
    '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}', '\u{00F1}', '\u{00D1}', '\u{00AA}', '\u{00BA}',
    '\u{00BF}', '\u{00AE}', '\u{00AC}', '\u{00BD}', '\u{00BC}', '\u{00A1}', '\u{00AB}', '\u{00BB}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00C1}', '\u{00C2}', '\u{00C0}',
    '\u{00A9}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{00A2}', '\u{00A5}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{00E3}', '\u{00C3}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{00A4}',
    '\u{00F0}', '\u{00D0}', '\u{00CA}', '\u{00CB}', '\u{00C8}', '\u{0131}', '\u{00CD}', '\u{00CE}',
    '\u{00CF}', '\u{2518}', '\u{250C}', '\u{2588}', '\u{2584}', '\u{00A6}', '\u{00CC}', '\u{2580}',
    '\u{00D3}', '\u{00DF}', '\u{00D4}', '\u{00D2}', '\u{00F5}', '\u{00D5}', '\u{00B5}', '\u{00FE}',
    '\u{00DE}', '\u{00DA}', '\u{00DB}', '\u{00D9}', '\u{00FD}', '\u{00DD}', '\u{00AF}', '\u{00B4}',
    '\u{00AD}', '\u{00B1}', '\u{2017}', '\u{00BE}', '\u{00B6}', '\u{00A7}', '\u{00F7}', '\u{00B8}',
    '\u{00B0}', '\u{00A8}', '\u{00B7}', '\u{00B9}', '\u{00B3}', '\u{00B2}', '\u{25A0}', '\u{00A0}',
];

impl Charset {
    /// Parses an account setting value (`utf-8`, `utf8`, `latin-1`,
    /// `iso-8859-1`, `cp850`, `ibm850`; case-insensitive).
    pub fn from_label(label: &str) -> Option<Charset> {
        let l = label.trim().to_ascii_lowercase().replace('_', "-");
        match l.as_str() {
            "utf-8" | "utf8" => Some(Charset::Utf8),
            "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" => Some(Charset::Latin1),
            "cp850" | "ibm850" | "ibm-850" | "cp-850" | "850" => Some(Charset::Cp850),
            _ => None,
        }
    }

    /// Canonical label of this charset.
    pub fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Latin1 => "ISO-8859-1",
            Charset::Cp850 => "CP850",
        }
    }

    /// Decodes bytes to text; never fails (invalid input becomes U+FFFD).
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Charset::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Charset::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Charset::Cp850 => bytes
                .iter()
                .map(|&b| {
                    if b < 0x80 {
                        char::from(b)
                    } else {
                        CP850_HIGH[usize::from(b - 0x80)]
                    }
                })
                .collect(),
        }
    }

    /// Encodes text; characters the charset cannot represent become `?`.
    pub fn encode(self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        self.encode_into(text, &mut out);
        out
    }

    /// Appends the encoding of `text` to `out` (see [`Charset::encode`]).
    pub fn encode_into(self, text: &str, out: &mut Vec<u8>) {
        match self {
            Charset::Utf8 => out.extend_from_slice(text.as_bytes()),
            Charset::Latin1 | Charset::Cp850 => {
                out.extend(text.chars().map(|c| self.encode_char(c).unwrap_or(b'?')));
            }
        }
    }

    /// Number of bytes `text` takes once encoded.
    pub fn encoded_len(self, text: &str) -> usize {
        match self {
            Charset::Utf8 => text.len(),
            Charset::Latin1 | Charset::Cp850 => text.chars().count(),
        }
    }

    /// Number of bytes one character takes once encoded.
    pub fn char_len(self, c: char) -> usize {
        match self {
            Charset::Utf8 => c.len_utf8(),
            Charset::Latin1 | Charset::Cp850 => 1,
        }
    }

    fn encode_char(self, c: char) -> Option<u8> {
        let cp = u32::from(c);
        match self {
            Charset::Utf8 => None,
            Charset::Latin1 => u8::try_from(cp).ok(),
            Charset::Cp850 => {
                if cp < 0x80 {
                    u8::try_from(cp).ok()
                } else {
                    CP850_HIGH
                        .iter()
                        .position(|&h| h == c)
                        .and_then(|i| u8::try_from(i + 0x80).ok())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn labels() {
        assert_eq!(Charset::from_label("UTF-8"), Some(Charset::Utf8));
        assert_eq!(Charset::from_label("iso_8859-1"), Some(Charset::Latin1));
        assert_eq!(Charset::from_label("IBM850"), Some(Charset::Cp850));
        assert_eq!(Charset::from_label("koi8-r"), None);
    }

    #[test]
    fn latin1_and_cp850_known_bytes() {
        // 'é' is 0xE9 in Latin-1 and 0x82 in CP850.
        assert_eq!(Charset::Latin1.decode(&[0x45, 0xE9]), "Eé");
        assert_eq!(Charset::Cp850.decode(&[0x82, 0x9C, 0xD5]), "é£ı");
        assert_eq!(Charset::Cp850.encode("é£"), vec![0x82, 0x9C]);
        assert_eq!(Charset::Latin1.encode("Łódź"), b"?\xF3d?".to_vec());
    }

    #[test]
    fn utf8_invalid_becomes_replacement() {
        assert_eq!(Charset::Utf8.decode(b"a\xFFb"), "a\u{FFFD}b");
    }

    proptest! {
        #[test]
        fn single_byte_charsets_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            for cs in [Charset::Latin1, Charset::Cp850] {
                let text = cs.decode(&bytes);
                prop_assert_eq!(cs.encode(&text), bytes.clone());
                prop_assert_eq!(cs.encoded_len(&text), bytes.len());
            }
        }

        #[test]
        fn utf8_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = Charset::Utf8.decode(&bytes);
            prop_assert_eq!(Charset::Utf8.encoded_len(&text), text.len());
        }
    }
}
