//! Standard identifiers: ISBN, ISSN, LCCN, and library card/item barcodes.
//!
//! Everything here is pure and total: parsers return a precise error for any
//! input and never panic (property-tested and fuzzed). Positions reported in
//! errors are 0-based *character* indexes into the caller's original string.
//!
//! Reference: `protocols.md` §7.

use std::fmt;

// ---------------------------------------------------------------------------
// Shared scanning of "number + optional qualifier" text
// ---------------------------------------------------------------------------

/// Strips an optional leading label such as `ISBN`, `ISBN-13:`, `ISSN ` (case-insensitive).
/// Returns the remainder and how many characters were skipped.
fn strip_label<'a>(s: &'a str, label: &str) -> (&'a str, usize) {
    let trimmed = s.trim_start();
    let mut skipped = s.len() - trimmed.len(); // leading whitespace is ASCII or not: count chars below
    skipped = s[..skipped].chars().count();
    if trimmed.len() >= label.len()
        && trimmed.is_char_boundary(label.len())
        && trimmed[..label.len()].eq_ignore_ascii_case(label)
    {
        let mut rest = &trimmed[label.len()..];
        let mut n = label.len();
        // optional "-10" / "-13" (ISBN), "-L" (linking ISSN)
        for variant in ["-10", "-13", "10", "13", "-L", "-l"] {
            if let Some(r) = rest.strip_prefix(variant) {
                rest = r;
                n += variant.len();
                break;
            }
        }
        let before = rest.len();
        rest = rest.trim_start_matches([':', ' ', '\t']);
        n += before - rest.len();
        (rest, skipped + n)
    } else {
        (trimmed, skipped)
    }
}

/// Extracts the identifier characters (digits and `X`, upper-cased) from the
/// start of `s`, skipping `-` and inner spaces, and stopping at a qualifier
/// (`(pbk.)`, or whitespace followed by non-digit text). Any other character
/// inside the number is an error at its position.
fn scan_number(s: &str, offset: usize) -> Result<(Vec<u8>, Vec<usize>), (usize, char)> {
    let mut out = Vec::with_capacity(13);
    let mut positions = Vec::with_capacity(13);
    let mut after_space = false;
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => {
                out.push(c as u8);
                positions.push(offset + i);
                after_space = false;
            }
            'x' | 'X' => {
                out.push(b'X');
                positions.push(offset + i);
                after_space = false;
            }
            '-' => after_space = false,
            ' ' | '\t' => after_space = true,
            '(' => break,
            _ if after_space => break,
            _ => return Err((offset + i, c)),
        }
    }
    Ok((out, positions))
}

// ---------------------------------------------------------------------------
// ISBN
// ---------------------------------------------------------------------------

/// Why a string is not a valid ISBN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IsbnError {
    /// No digits at all.
    Empty,
    /// A character that cannot appear in an ISBN (0-based char index into the input).
    InvalidCharacter {
        /// Character index in the original input.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// `X` somewhere other than the last position of an ISBN-10.
    MisplacedX {
        /// Character index in the original input.
        position: usize,
    },
    /// Neither 10 nor 13 significant characters.
    WrongLength {
        /// Number of digits (and `X`) found.
        length: usize,
    },
    /// A 13-digit number that does not start with the `978`/`979` Bookland prefix.
    InvalidPrefix {
        /// The first three digits.
        prefix: String,
    },
    /// The check character does not match the computed one.
    BadCheckDigit {
        /// The check character the other digits call for.
        expected: char,
        /// The check character given.
        found: char,
    },
}

impl fmt::Display for IsbnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IsbnError::Empty => write!(f, "no ISBN digits found"),
            IsbnError::InvalidCharacter { position, found } => {
                write!(f, "invalid character {found:?} at position {position}")
            }
            IsbnError::MisplacedX { position } => {
                write!(
                    f,
                    "'X' at position {position} is only allowed as the ISBN-10 check character"
                )
            }
            IsbnError::WrongLength { length } => {
                write!(f, "an ISBN has 10 or 13 digits, found {length}")
            }
            IsbnError::InvalidPrefix { prefix } => {
                write!(f, "an ISBN-13 starts with 978 or 979, found {prefix}")
            }
            IsbnError::BadCheckDigit { expected, found } => {
                write!(f, "bad check digit {found}, expected {expected}")
            }
        }
    }
}

impl std::error::Error for IsbnError {}

/// A valid ISBN, kept in the form (10 or 13 digits) it was given in.
///
/// Invariant: the digits are ASCII, the check character is correct, and a
/// 13-digit ISBN starts with `978` or `979`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Isbn {
    compact: String,
}

fn isbn10_check(first9: &[u8]) -> u8 {
    let sum: u32 = first9
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match (11 - sum % 11) % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    }
}

fn ean13_check(first12: &[u8]) -> u8 {
    let sum: u32 = first12
        .iter()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    b'0' + ((10 - sum % 10) % 10) as u8
}

impl Isbn {
    /// Parses an ISBN-10 or ISBN-13 from catalogue text.
    ///
    /// Accepts hyphens and spaces between digits, a lowercase `x`, a leading
    /// `ISBN`/`ISBN-13:` label, and a trailing qualifier such as `(pbk.)` or
    /// ` v. 2` (MARC 020 $a style). Validates the check character.
    ///
    /// A 9-digit SBN (the pre-1974 Standard Book Number) whose check digit
    /// holds is accepted as the ISBN-10 `0` + SBN, as python-stdnum does.
    ///
    /// ```
    /// use quire_domain::ident::{Isbn, IsbnError};
    /// let isbn = Isbn::parse("0-306-40615-2 (pbk.)").unwrap();
    /// assert_eq!(isbn.to_isbn13(), "9780306406157");
    /// assert_eq!(isbn.search_forms(), ["9780306406157", "0306406152"]);
    /// assert_eq!(
    ///     Isbn::parse("0306406153"),
    ///     Err(IsbnError::BadCheckDigit { expected: '2', found: '3' })
    /// );
    /// ```
    pub fn parse(input: &str) -> Result<Isbn, IsbnError> {
        let (rest, offset) = strip_label(input, "ISBN");
        let (digits, positions) = scan_number(rest, offset)
            .map_err(|(position, found)| IsbnError::InvalidCharacter { position, found })?;
        if digits.is_empty() {
            return Err(IsbnError::Empty);
        }
        let mut digits = digits;
        let mut positions = positions;
        if digits.len() == 9 {
            // A 9-digit SBN (Standard Book Number, 1966-1974) is the ISBN-10
            // with a leading 0. Accepted only when its check digit holds;
            // otherwise it is reported as a wrong length (usually a truncated ISBN).
            let mut sbn = Vec::with_capacity(10);
            sbn.push(b'0');
            sbn.extend_from_slice(&digits);
            if !digits[..8].contains(&b'X') && isbn10_check(&sbn[..9]) == sbn[9] {
                digits = sbn;
                positions.insert(0, positions.first().copied().unwrap_or(0));
            } else {
                return Err(IsbnError::WrongLength { length: 9 });
            }
        }
        let len = digits.len();
        if len != 10 && len != 13 {
            return Err(IsbnError::WrongLength { length: len });
        }
        // X only as the last character of an ISBN-10.
        for (i, &d) in digits.iter().enumerate() {
            if d == b'X' && !(len == 10 && i == 9) {
                return Err(IsbnError::MisplacedX {
                    position: positions.get(i).copied().unwrap_or(0),
                });
            }
        }
        let (body, given) = digits.split_at(len - 1);
        let expected = if len == 10 {
            isbn10_check(body)
        } else {
            if !(body.starts_with(b"978") || body.starts_with(b"979")) {
                return Err(IsbnError::InvalidPrefix {
                    prefix: String::from_utf8_lossy(&body[..3]).into_owned(),
                });
            }
            ean13_check(body)
        };
        if given[0] != expected {
            return Err(IsbnError::BadCheckDigit {
                expected: char::from(expected),
                found: char::from(given[0]),
            });
        }
        Ok(Isbn {
            compact: String::from_utf8_lossy(&digits).into_owned(),
        })
    }

    /// `true` if `input` parses as a valid ISBN.
    pub fn is_valid(input: &str) -> bool {
        Isbn::parse(input).is_ok()
    }

    /// The compact form in the given length: digits and upper-case `X`, no separators.
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    /// `true` if this ISBN was given as an ISBN-10.
    pub fn is_isbn10(&self) -> bool {
        self.compact.len() == 10
    }

    /// The 13-digit form (`978` + first nine + new check digit for an ISBN-10).
    pub fn to_isbn13(&self) -> String {
        if self.compact.len() == 13 {
            return self.compact.clone();
        }
        let mut b = Vec::with_capacity(13);
        b.extend_from_slice(b"978");
        b.extend_from_slice(&self.compact.as_bytes()[..9]);
        let c = ean13_check(&b);
        b.push(c);
        String::from_utf8_lossy(&b).into_owned()
    }

    /// The 10-digit form, if there is one (only `978` ISBN-13s have one).
    pub fn to_isbn10(&self) -> Option<String> {
        let b = self.compact.as_bytes();
        if b.len() == 10 {
            return Some(self.compact.clone());
        }
        if !b.starts_with(b"978") {
            return None;
        }
        let mut out = b[3..12].to_vec();
        let c = isbn10_check(&out);
        out.push(c);
        Some(String::from_utf8_lossy(&out).into_owned())
    }

    /// The hyphenated display form (`978-0-306-40615-7`, `0-306-40615-2`),
    /// using the International ISBN Agency's range table (see
    /// `src/ident/isbn_ranges.rs` for its date). `None` when the registration
    /// group or registrant range is not (yet) in the table.
    pub fn hyphenated(&self) -> Option<String> {
        let thirteen = self.to_isbn13();
        let (prefix, ranges) = isbn_ranges::GROUPS
            .iter()
            .find(|(p, _)| thirteen.starts_with(p))?;
        let body = thirteen.get(prefix.len()..12)?;
        let registrant = ranges.iter().find_map(|(first, last)| {
            let cand = body.get(..first.len())?;
            (body.len() > first.len() && *first <= cand && cand <= *last).then_some(cand)
        })?;
        let publication = &body[registrant.len()..];
        let group = &prefix[3..];
        let check = &thirteen[12..];
        if self.is_isbn10() {
            let check10 = &self.compact[9..];
            Some(format!("{group}-{registrant}-{publication}-{check10}"))
        } else {
            Some(format!(
                "{}-{group}-{registrant}-{publication}-{check}",
                &prefix[..3]
            ))
        }
    }

    /// Every compact form a search index should hold: the ISBN-13 and, when
    /// it exists, the ISBN-10 (13 first). Match queries on the 13-digit form.
    pub fn search_forms(&self) -> Vec<String> {
        let mut v = vec![self.to_isbn13()];
        if let Some(ten) = self.to_isbn10() {
            v.push(ten);
        }
        v
    }
}

impl fmt::Display for Isbn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.compact)
    }
}

impl std::str::FromStr for Isbn {
    type Err = IsbnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Isbn::parse(s)
    }
}

// ---------------------------------------------------------------------------
// ISSN
// ---------------------------------------------------------------------------

/// Why a string is not a valid ISSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssnError {
    /// No digits at all.
    Empty,
    /// A character that cannot appear in an ISSN (0-based char index into the input).
    InvalidCharacter {
        /// Character index in the original input.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// `X` somewhere other than the check position.
    MisplacedX {
        /// Character index in the original input.
        position: usize,
    },
    /// Not exactly 8 significant characters.
    WrongLength {
        /// Number of digits (and `X`) found.
        length: usize,
    },
    /// The check character does not match the computed one.
    BadCheckDigit {
        /// The check character the other digits call for.
        expected: char,
        /// The check character given.
        found: char,
    },
}

impl fmt::Display for IssnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssnError::Empty => write!(f, "no ISSN digits found"),
            IssnError::InvalidCharacter { position, found } => {
                write!(f, "invalid character {found:?} at position {position}")
            }
            IssnError::MisplacedX { position } => write!(
                f,
                "'X' at position {position} is only allowed as the ISSN check character"
            ),
            IssnError::WrongLength { length } => {
                write!(f, "an ISSN has 8 characters, found {length}")
            }
            IssnError::BadCheckDigit { expected, found } => {
                write!(f, "bad check digit {found}, expected {expected}")
            }
        }
    }
}

impl std::error::Error for IssnError {}

/// A valid ISSN (ISO 3297). Invariant: 7 ASCII digits + correct check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Issn {
    compact: String,
}

fn issn_check(first7: &[u8]) -> u8 {
    let sum: u32 = first7
        .iter()
        .zip((2..=8).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match (11 - sum % 11) % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    }
}

impl Issn {
    /// Parses `NNNN-NNNC` (hyphen and spaces optional, lowercase `x`, optional
    /// leading `ISSN` label, trailing qualifier after whitespace or `(`).
    pub fn parse(input: &str) -> Result<Issn, IssnError> {
        let (rest, offset) = strip_label(input, "ISSN");
        let (digits, positions) = scan_number(rest, offset)
            .map_err(|(position, found)| IssnError::InvalidCharacter { position, found })?;
        if digits.is_empty() {
            return Err(IssnError::Empty);
        }
        if digits.len() != 8 {
            return Err(IssnError::WrongLength {
                length: digits.len(),
            });
        }
        if let Some(i) = digits[..7].iter().position(|&d| d == b'X') {
            return Err(IssnError::MisplacedX {
                position: positions.get(i).copied().unwrap_or(0),
            });
        }
        let expected = issn_check(&digits[..7]);
        if digits[7] != expected {
            return Err(IssnError::BadCheckDigit {
                expected: char::from(expected),
                found: char::from(digits[7]),
            });
        }
        Ok(Issn {
            compact: String::from_utf8_lossy(&digits).into_owned(),
        })
    }

    /// `true` if `input` parses as a valid ISSN.
    pub fn is_valid(input: &str) -> bool {
        Issn::parse(input).is_ok()
    }

    /// Compact form: 8 characters, no hyphen (`03785955`).
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    /// Display form `NNNN-NNNC`.
    pub fn hyphenated(&self) -> String {
        format!("{}-{}", &self.compact[..4], &self.compact[4..])
    }
}

impl fmt::Display for Issn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hyphenated())
    }
}

impl std::str::FromStr for Issn {
    type Err = IssnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Issn::parse(s)
    }
}

// ---------------------------------------------------------------------------
// LCCN
// ---------------------------------------------------------------------------

/// Why a string is not a valid LCCN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LccnError {
    /// Nothing left after normalisation.
    Empty,
    /// A character that cannot appear in a normalised LCCN (index into the normalised form).
    InvalidCharacter {
        /// Character index in the normalised form.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// More than 6 digits (or non-digits) after the hyphen.
    BadSerialAfterHyphen,
    /// Normalised form is not 8 to 12 characters long.
    WrongLength {
        /// Length of the normalised form.
        length: usize,
    },
    /// The last 8 characters are not all digits.
    SerialNotNumeric,
    /// The prefix does not have a shape the LCCN structure allows for this length.
    BadPrefix {
        /// The characters before the last 8.
        prefix: String,
    },
}

impl fmt::Display for LccnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LccnError::Empty => write!(f, "empty LCCN"),
            LccnError::InvalidCharacter { position, found } => write!(
                f,
                "invalid character {found:?} at position {position} of the normalised LCCN"
            ),
            LccnError::BadSerialAfterHyphen => {
                write!(f, "the part after '-' must be 1 to 6 digits")
            }
            LccnError::WrongLength { length } => {
                write!(
                    f,
                    "a normalised LCCN has 8 to 12 characters, found {length}"
                )
            }
            LccnError::SerialNotNumeric => write!(f, "the last 8 characters must be digits"),
            LccnError::BadPrefix { prefix } => {
                write!(f, "prefix {prefix:?} does not fit the LCCN structure")
            }
        }
    }
}

impl std::error::Error for LccnError {}

/// A valid, normalised Library of Congress Control Number (protocols §7.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lccn {
    normalized: String,
    revision: Option<String>,
}

/// Applies the LoC LCCN normalisation algorithm (protocols §7.3) without
/// validating the result: strips a `https://lccn.loc.gov/` or `info:lccn/`
/// prefix, removes blanks, cuts at `/` (revision information), and zero-pads
/// the serial after a hyphen to 6 digits. Alphabetic prefixes are lower-cased.
pub fn normalize_lccn(input: &str) -> Result<String, LccnError> {
    normalize_lccn_parts(input).map(|(n, _)| n)
}

fn strip_lccn_uri(s: &str) -> &str {
    let t = s.trim();
    for p in [
        "https://lccn.loc.gov/",
        "http://lccn.loc.gov/",
        "info:lccn/",
    ] {
        if t.len() >= p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p)
        {
            return &t[p.len()..];
        }
    }
    t
}

fn normalize_lccn_parts(input: &str) -> Result<(String, Option<String>), LccnError> {
    let s = strip_lccn_uri(input);
    let (main, revision) = match s.find('/') {
        Some(i) => (&s[..i], Some(s[i..].trim().to_owned())),
        None => (s, None),
    };
    let compact: String = main
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let out = match compact.find('-') {
        Some(i) => {
            let (left, right) = (&compact[..i], &compact[i + 1..]);
            if right.is_empty() || right.len() > 6 || !right.bytes().all(|b| b.is_ascii_digit()) {
                return Err(LccnError::BadSerialAfterHyphen);
            }
            format!("{left}{right:0>6}")
        }
        None => compact,
    };
    if out.is_empty() {
        return Err(LccnError::Empty);
    }
    Ok((out, revision.filter(|r| !r.is_empty())))
}

fn validate_normalized_lccn(n: &str) -> Result<(), LccnError> {
    if let Some((i, c)) = n
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_digit() || c.is_ascii_lowercase()))
    {
        return Err(LccnError::InvalidCharacter {
            position: i,
            found: c,
        });
    }
    let b = n.as_bytes();
    let len = b.len();
    if !(8..=12).contains(&len) {
        return Err(LccnError::WrongLength { length: len });
    }
    if !b[len - 8..].iter().all(u8::is_ascii_digit) {
        return Err(LccnError::SerialNotNumeric);
    }
    let alpha = |i: usize| b[i].is_ascii_lowercase();
    let digit = |i: usize| b[i].is_ascii_digit();
    let ok = match len {
        8 => true,
        9 => alpha(0),
        10 => (digit(0) && digit(1)) || (alpha(0) && alpha(1)),
        11 => alpha(0) && ((digit(1) && digit(2)) || (alpha(1) && alpha(2))),
        12 => alpha(0) && alpha(1) && b[2..].iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(LccnError::BadPrefix {
            prefix: n[..len - 8].to_owned(),
        })
    }
}

impl Lccn {
    /// Normalises (see [`normalize_lccn`]) and validates an LCCN.
    ///
    /// ```
    /// use quire_domain::ident::Lccn;
    /// let l = Lccn::parse("n78-89035").unwrap();
    /// assert_eq!(l.as_str(), "n78089035");
    /// assert_eq!(l.canonical(), "n  78089035 ");
    /// ```
    pub fn parse(input: &str) -> Result<Lccn, LccnError> {
        let (normalized, revision) = normalize_lccn_parts(input)?;
        validate_normalized_lccn(&normalized)?;
        Ok(Lccn {
            normalized,
            revision,
        })
    }

    /// `true` if `input` normalises to a valid LCCN.
    pub fn is_valid(input: &str) -> bool {
        Lccn::parse(input).is_ok()
    }

    /// The normalised form (`n78089035`, `2001000012`).
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    /// Revision information that followed a `/` in the input (`//r75`), if any.
    pub fn revision(&self) -> Option<&str> {
        self.revision.as_deref()
    }

    /// The fixed-width MARC 010 $a form: structure A (pre-2001) is a 3-char
    /// blank-filled prefix + 8 digits + 1 blank; structure B is a 2-char
    /// prefix + 10 digits. Revision information, if any, is appended.
    pub fn canonical(&self) -> String {
        let n = &self.normalized;
        let digits_start = n
            .bytes()
            .position(|b| b.is_ascii_digit())
            .unwrap_or(n.len());
        let (prefix, digits) = n.split_at(digits_start);
        let mut out = if digits.len() == 8 {
            format!("{prefix:<3}{digits} ")
        } else {
            format!("{prefix:<2}{digits}")
        };
        if let Some(r) = &self.revision {
            out.push_str(r);
        }
        out
    }

    /// Permalink `https://lccn.loc.gov/<normalised>`.
    pub fn permalink(&self) -> String {
        format!("https://lccn.loc.gov/{}", self.normalized)
    }

    /// URI `info:lccn/<normalised>`.
    pub fn info_uri(&self) -> String {
        format!("info:lccn/{}", self.normalized)
    }
}

impl fmt::Display for Lccn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

// ---------------------------------------------------------------------------
// Library barcodes
// ---------------------------------------------------------------------------

/// Check-digit algorithm of a library barcode scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckDigit {
    /// The libraries' "mod 10" (Luhn over the payload; protocols §7.4).
    Mod10,
    /// No check digit: every position is payload.
    None,
}

/// Why a barcode is rejected, or cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarcodeError {
    /// A non-digit character (0-based char index).
    InvalidCharacter {
        /// Character index in the input.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// Wrong number of digits.
    WrongLength {
        /// Required length.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// The barcode does not start with the configured prefix.
    WrongPrefix {
        /// Required prefix.
        expected: String,
    },
    /// The check digit is wrong.
    BadCheckDigit {
        /// The check digit the payload calls for.
        expected: char,
        /// The check digit given.
        found: char,
    },
    /// The sequence number does not fit in the digits left after the prefix.
    SequenceTooLarge {
        /// Largest sequence number that fits.
        max: u64,
    },
    /// The scheme itself is inconsistent (prefix not digits or too long).
    BadScheme(&'static str),
}

impl fmt::Display for BarcodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BarcodeError::InvalidCharacter { position, found } => {
                write!(f, "invalid character {found:?} at position {position}")
            }
            BarcodeError::WrongLength { expected, found } => {
                write!(f, "barcode must have {expected} digits, found {found}")
            }
            BarcodeError::WrongPrefix { expected } => {
                write!(f, "barcode must start with {expected}")
            }
            BarcodeError::BadCheckDigit { expected, found } => {
                write!(f, "bad check digit {found}, expected {expected}")
            }
            BarcodeError::SequenceTooLarge { max } => {
                write!(f, "sequence number too large (max {max})")
            }
            BarcodeError::BadScheme(why) => write!(f, "invalid barcode scheme: {why}"),
        }
    }
}

impl std::error::Error for BarcodeError {}

/// Computes the libraries' mod-10 (Luhn) check digit over an ASCII-digit payload.
///
/// Counting from the *right* of the payload, every first, third, ... digit is
/// doubled (minus 9 if over 9); for the 13-digit Codabar payload this is the
/// "odd positions 1, 3, ..., 13" of protocols §7.4.
/// Returns `None` if the payload contains a non-digit.
pub fn mod10_check_digit(payload: &str) -> Option<char> {
    let mut total = 0u32;
    for (i, b) in payload.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u32::from(b - b'0');
        total += if i % 2 == 0 {
            let p = d * 2;
            if p > 9 { p - 9 } else { p }
        } else {
            d
        };
    }
    char::from_digit((10 - total % 10) % 10, 10)
}

/// A library's barcode numbering rule (per library, and per patron vs item).
///
/// The default is the 14-digit North American Codabar convention: prefix
/// (type digit `2` patron / `3` item + 4-digit institution code), zero-padded
/// sequence number, mod-10 check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarcodeScheme {
    /// Total number of digits, check digit included.
    pub length: usize,
    /// Leading digits every barcode of this scheme carries (may be empty).
    pub prefix: String,
    /// Check-digit algorithm.
    pub check: CheckDigit,
}

impl Default for BarcodeScheme {
    fn default() -> Self {
        BarcodeScheme {
            length: 14,
            prefix: String::new(),
            check: CheckDigit::Mod10,
        }
    }
}

impl BarcodeScheme {
    /// The 14-digit Codabar convention: `type` (2 = patron, 3 = item) + 4-digit
    /// `institution` + 8-digit sequence + mod-10 check.
    ///
    /// ```
    /// use quire_domain::ident::BarcodeScheme;
    /// let items = BarcodeScheme::codabar14(3, 1234).unwrap();
    /// assert_eq!(items.generate(56789).unwrap(), "31234000567899");
    /// assert!(items.validate("31234000567899").is_ok());
    /// ```
    pub fn codabar14(kind_digit: u8, institution: u16) -> Result<BarcodeScheme, BarcodeError> {
        if kind_digit > 9 || institution > 9999 {
            return Err(BarcodeError::BadScheme(
                "type must be one digit and institution at most 4 digits",
            ));
        }
        Ok(BarcodeScheme {
            length: 14,
            prefix: format!("{kind_digit}{institution:04}"),
            check: CheckDigit::Mod10,
        })
    }

    fn payload_len(&self) -> usize {
        match self.check {
            CheckDigit::Mod10 => self.length.saturating_sub(1),
            CheckDigit::None => self.length,
        }
    }

    /// Builds the barcode for `sequence`: prefix + zero-padded sequence (+ check digit).
    pub fn generate(&self, sequence: u64) -> Result<String, BarcodeError> {
        if !self.prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BarcodeError::BadScheme("prefix must be digits"));
        }
        let payload_len = self.payload_len();
        if self.prefix.len() >= payload_len {
            return Err(BarcodeError::BadScheme(
                "prefix leaves no room for a sequence",
            ));
        }
        let width = payload_len - self.prefix.len();
        let max = if width >= 20 {
            u64::MAX
        } else {
            10u64.pow(width as u32) - 1
        };
        if sequence > max {
            return Err(BarcodeError::SequenceTooLarge { max });
        }
        let mut out = format!("{}{:0width$}", self.prefix, sequence, width = width);
        if self.check == CheckDigit::Mod10 {
            let c =
                mod10_check_digit(&out).ok_or(BarcodeError::BadScheme("prefix must be digits"))?;
            out.push(c);
        }
        Ok(out)
    }

    /// Checks a scanned barcode: digits only (surrounding whitespace and Codabar
    /// start/stop characters `A`-`D` are stripped), length, prefix, check digit.
    pub fn validate(&self, input: &str) -> Result<(), BarcodeError> {
        let digits = strip_codabar(input)?;
        if digits.len() != self.length {
            return Err(BarcodeError::WrongLength {
                expected: self.length,
                found: digits.len(),
            });
        }
        if !digits.starts_with(self.prefix.as_str()) {
            return Err(BarcodeError::WrongPrefix {
                expected: self.prefix.clone(),
            });
        }
        if self.check == CheckDigit::Mod10 {
            let (payload, check) = digits.split_at(digits.len().saturating_sub(1));
            let expected = mod10_check_digit(payload).unwrap_or('?');
            let found = check.chars().next().unwrap_or('?');
            if expected != found {
                return Err(BarcodeError::BadCheckDigit { expected, found });
            }
        }
        Ok(())
    }
}

/// Trims whitespace and optional Codabar start/stop characters (A-D, either
/// case) and checks that what remains is digits.
fn strip_codabar(input: &str) -> Result<String, BarcodeError> {
    let trimmed = input.trim();
    let lead = input.len() - input.trim_start().len();
    let lead_chars = input[..lead].chars().count();
    let mut chars: Vec<char> = trimmed.chars().collect();
    let mut skip_front = 0;
    let is_ss = |c: char| matches!(c.to_ascii_uppercase(), 'A'..='D');
    if chars.len() >= 2 && is_ss(chars[0]) && is_ss(chars[chars.len() - 1]) {
        chars.remove(0);
        chars.pop();
        skip_front = 1;
    }
    let mut out = String::with_capacity(chars.len());
    for (i, c) in chars.into_iter().enumerate() {
        if !c.is_ascii_digit() {
            return Err(BarcodeError::InvalidCharacter {
                position: lead_chars + skip_front + i,
                found: c,
            });
        }
        out.push(c);
    }
    Ok(out)
}

#[rustfmt::skip]
mod isbn_ranges;

#[cfg(test)]
mod tests;
