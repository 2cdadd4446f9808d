//! Call numbers: parsing, normalisation, shelf-order sort keys, spine labels.
//!
//! Three schemes are supported ([`Scheme`]): Library of Congress
//! Classification, Dewey Decimal, and `Other` (any local scheme: numbers
//! compare as numbers, text case-insensitively).
//!
//! The central promise is [`sort_key`]: the byte-wise order of the keys is the
//! shelf order, so a database index on the key column sorts a shelf list.
//! [`compare`] defines the same order on parsed call numbers without looking
//! at key bytes; property tests check that the two agree.
//!
//! Shelf-order rules (protocols.md §8):
//! * LC: class letters alphabetically; class number integer numerically and
//!   its decimal part as a decimal fraction; cutters (`.P98`) as decimals;
//!   dates, ordinals and enumerations (`v.2`, `K.240`, `op.7`) numerically;
//!   words case-insensitively; "nothing before something"; numbers before
//!   letters.
//! * Dewey: the class number as a decimal (integer part left-padded to 3
//!   digits), then the same rules as LC for the rest.
//! * Local prefixes (`REF`, `J`, `OVERSIZE`, ...) are split off into
//!   [`CallNumber::prefixes`] and are *not* part of the key: collection
//!   grouping belongs to the location (protocols §8.3).
//! * Keys of valid call numbers sort before keys of call numbers that are
//!   valid only in a looser sense (LC shelving-control numbers such as
//!   `MLCS 2001/04716 (P)`, Dewey prefix-only numbers such as `FIC SMI`),
//!   which sort before invalid ones; invalid ones are keyed by their
//!   generic normalised text.
//!
//! Keys are insensitive to letter case, to the amount of whitespace, and to
//! periods used as separators (`QA76.73.P98` = `QA76.73 .P98` =
//! `qa 76.73 p98`). A period *between* letters and digits is significant:
//! `v.2` is an enumeration (numeric), `V2` a cutter (decimal).
//!
//! The scanner is hand-written, allocation-light (one `Vec` of borrowed
//! slices plus the output `String`), and never panics.

use std::cmp::Ordering;
use std::fmt;

/// A classification scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Library of Congress Classification.
    Lc,
    /// Dewey Decimal Classification.
    Dewey,
    /// Any other (local) scheme: generic ordering.
    Other,
}

/// What a valid call number turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A classification number of the scheme (LC `QA76.73 .P98`, Dewey `599.757 SMI`).
    Classification,
    /// LC only: a Library of Congress shelving-control number found in 050
    /// (`MLCS 2001/04716 (P)`, `CPB Box no. 1715 vol. 5`, `Microfiche 2001/63823`,
    /// `Incun. 1477 .P69`). Sorts after all classification numbers.
    ShelvingControl,
    /// Dewey only: a prefix with no class number (`FIC SMI`, `B LINCOLN`).
    /// Sorts after all numbered Dewey call numbers.
    PrefixOnly,
    /// `Other` scheme: free text.
    Free,
}

/// Kinds of the pieces that follow the class number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartKind {
    /// A cutter number: one letter + digits (compared as a decimal), optional work letters (`P98`, `A101m`).
    Cutter,
    /// A year, optionally with a letter (`2019`, `1990z`).
    Date,
    /// Another number, optionally with letters (`15th`, `35TH`, `3`).
    Number,
    /// Caption + number (`v.2`, `K.240`, `op.7`, `no. 3`, `Bd.10`): compared numerically.
    Enumeration,
    /// Letters only (`SVAR`, `MAJ`, `TANEYTOWN`, a digit-less cutter such as `.L`).
    Word,
}

/// One piece of a call number after its class number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part {
    /// What this piece is.
    pub kind: PartKind,
    /// The piece as written (original case, separators normalised; no leading period).
    pub text: String,
}

/// A parsed call number. Obtain one with [`parse`] or [`parse_with`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallNumber {
    scheme: Scheme,
    kind: Kind,
    prefixes: Vec<String>,
    class_letters: String,
    class_number: String,
    parts: Vec<Part>,
    /// Whitespace-collapsed text after the prefixes (non-classification kinds).
    rest: String,
    key: SortKey,
}

/// A sort key: byte-wise (`Ord`) order equals shelf order within one scheme.
///
/// Keys of different schemes are not meant to be compared with each other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SortKey(String);

impl SortKey {
    /// The key as text (ASCII for LC and Dewey classification numbers).
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The key as an owned `String` (for storage).
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a call number is invalid for a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallNumberError {
    /// 0-based character index in the input where the problem was found.
    pub position: usize,
    /// What is wrong.
    pub reason: CallNumberErrorReason,
}

/// The reason part of a [`CallNumberError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallNumberErrorReason {
    /// Empty or whitespace only.
    Empty,
    /// LC: the call number does not start with class letters.
    MissingClassLetters,
    /// LC: more than 3 class letters.
    TooManyClassLetters(usize),
    /// LC: no LC class begins with this letter (I, O, W, X, Y).
    InvalidClassLetter(char),
    /// No class number where one is required.
    MissingClassNumber,
    /// Class number integer part too long (LC: more than 4 digits; Dewey: more than 3).
    ClassNumberTooLong(usize),
    /// A character that cannot follow the class number.
    UnexpectedCharacter(char),
    /// `Other` scheme: no letter or digit at all.
    NoContent,
}

impl fmt::Display for CallNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.position;
        match &self.reason {
            CallNumberErrorReason::Empty => write!(f, "empty call number"),
            CallNumberErrorReason::MissingClassLetters => {
                write!(f, "expected class letters at position {p}")
            }
            CallNumberErrorReason::TooManyClassLetters(n) => {
                write!(f, "{n} class letters at position {p}; LC has at most 3")
            }
            CallNumberErrorReason::InvalidClassLetter(c) => {
                write!(f, "no LC class begins with {c:?} (position {p})")
            }
            CallNumberErrorReason::MissingClassNumber => {
                write!(f, "expected a class number at position {p}")
            }
            CallNumberErrorReason::ClassNumberTooLong(n) => {
                write!(
                    f,
                    "class number with {n} integer digits at position {p} is too long"
                )
            }
            CallNumberErrorReason::UnexpectedCharacter(c) => {
                write!(f, "unexpected {c:?} after the class number at position {p}")
            }
            CallNumberErrorReason::NoContent => write!(f, "no letters or digits"),
        }
    }
}

impl std::error::Error for CallNumberError {}

/// Parsing options: which leading words are local prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallNumberConfig {
    /// Local prefixes (`REF`, `J`, `OVERSIZE`, ...), matched case-insensitively
    /// against whole leading words (a trailing `.` is ignored). A leading word
    /// is only taken as a prefix when the call number does not parse with it
    /// as part of the classification (so LC class `E 184` stays class `E`).
    pub prefixes: Vec<String>,
    /// LC shelving-control words (first word of `MLCS 2001/04716`); an entry
    /// ending in `*` matches any word starting with the rest.
    pub lc_shelving_words: Vec<String>,
}

/// Default local prefixes (protocols §8.3).
pub const DEFAULT_PREFIXES: &[&str] = &[
    "REF", "J", "JUV", "E", "EASY", "PIC", "YA", "FIC", "F", "B", "BIO", "DVD", "CD", "LP", "PER",
    "GOV", "DOC", "SPEC", "ARCH", "OVERSIZE", "+", "Q", "OS", "MINI", "FOLIO",
];

/// Default LC shelving-control words.
pub const DEFAULT_LC_SHELVING_WORDS: &[&str] = &[
    "MLC*",
    "CPB",
    "MICROFICHE",
    "MICROFILM",
    "MICROOPAQUE",
    "INCUN",
];

impl Default for CallNumberConfig {
    fn default() -> Self {
        CallNumberConfig {
            prefixes: DEFAULT_PREFIXES.iter().map(|s| (*s).to_owned()).collect(),
            lc_shelving_words: DEFAULT_LC_SHELVING_WORDS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }
    }
}

/// Version of the sort-key encoding. Stored keys must be recomputed when it
/// changes; store it next to the keys (or in a migration) to know.
pub const SORT_KEY_VERSION: u32 = 1;

/// Shared default configuration (built once).
fn default_config() -> &'static CallNumberConfig {
    static DEFAULT: std::sync::OnceLock<CallNumberConfig> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(CallNumberConfig::default)
}

impl CallNumberConfig {
    fn is_prefix(&self, word: &str) -> bool {
        let w = word.strip_suffix('.').unwrap_or(word);
        !w.is_empty() && self.prefixes.iter().any(|p| p.eq_ignore_ascii_case(w))
    }

    fn is_shelving_word(&self, word: &str) -> bool {
        // leading letters only: `Incun.` and `INCUN.1477` both give `INCUN`
        let end = word
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(word.len());
        let w = &word[..end];
        if w.is_empty() {
            return false;
        }
        self.lc_shelving_words
            .iter()
            .any(|p| match p.strip_suffix('*') {
                Some(stem) => {
                    w.len() >= stem.len()
                        && w.is_char_boundary(stem.len())
                        && w[..stem.len()].eq_ignore_ascii_case(stem)
                }
                None => p.eq_ignore_ascii_case(w),
            })
    }
}

// ---------------------------------------------------------------------------
// Internal borrowed representation
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Letters only.
    None,
    /// Letters + number compared numerically (`v.2`, `BMW240`).
    Enum,
    /// One letter + digits compared as a decimal (`P98`).
    Cutter,
}

#[derive(Debug, Clone, Copy)]
enum Elem<'a> {
    Num {
        digits: &'a str,
        suffix: &'a str,
    },
    Alpha {
        letters: &'a str,
        tail: Tail,
        dotted: bool,
        digits: &'a str,
        suffix: &'a str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// LC / Dewey tail: one letter + digits is a cutter.
    Classed,
    /// Generic: letters + digits is always numeric.
    Generic,
}

#[derive(Debug)]
struct Parsed<'a> {
    kind: ParsedKind,
    prefixes: Vec<&'a str>,
    /// Text after the prefixes (for non-classification kinds).
    rest: &'a str,
    letters: &'a str,
    integer: &'a str,
    decimal: &'a str,
    elems: Vec<Elem<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ParsedKind {
    Classification,
    Loose,
    Invalid,
}

#[derive(Debug)]
struct ClassPart<'a> {
    letters: &'a str,
    integer: &'a str,
    decimal: &'a str,
    rest: usize,
}

/// Error with a byte offset into the string being scanned.
struct RawError {
    offset: usize,
    reason: CallNumberErrorReason,
}

fn raw(offset: usize, reason: CallNumberErrorReason) -> RawError {
    RawError { offset, reason }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

/// Index of the first non-whitespace character at or after `i`.
fn skip_whitespace(s: &str, mut i: usize) -> usize {
    while let Some(c) = s.get(i..).and_then(|t| t.chars().next()) {
        if !c.is_whitespace() {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// Splits `s[start..]` into elements. Separators: anything that is neither
/// a letter nor an ASCII digit.
fn tokenize<'a>(s: &'a str, start: usize, mode: Mode, out: &mut Vec<Elem<'a>>) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = start;
    let char_at = |i: usize| s.get(i..).and_then(|t| t.chars().next());
    let letters_end = |mut j: usize| {
        while let Some(c) = char_at(j) {
            if is_letter(c) {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        j
    };
    let digits_end = |mut j: usize| {
        while j < n && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    // Letters right after digits are a suffix unless digits follow them.
    let suffix_end = |j: usize| {
        let e = letters_end(j);
        if e > j && e < n && b[e].is_ascii_digit() {
            j
        } else {
            e
        }
    };
    while i < n {
        let Some(c) = char_at(i) else {
            // not on a char boundary cannot happen (we always advance by whole chars)
            break;
        };
        if c.is_ascii_digit() {
            let de = digits_end(i);
            let se = suffix_end(de);
            out.push(Elem::Num {
                digits: &s[i..de],
                suffix: &s[de..se],
            });
            i = se;
        } else if is_letter(c) {
            let le = letters_end(i);
            let letters = &s[i..le];
            if le < n && b[le].is_ascii_digit() {
                let de = digits_end(le);
                let se = suffix_end(de);
                let single_ascii =
                    letters.len() == 1 && letters.as_bytes()[0].is_ascii_alphabetic();
                let tail = if mode == Mode::Classed && single_ascii {
                    Tail::Cutter
                } else {
                    Tail::Enum
                };
                out.push(Elem::Alpha {
                    letters,
                    tail,
                    dotted: false,
                    digits: &s[le..de],
                    suffix: &s[de..se],
                });
                i = se;
            } else if let Some(ds) = (le < n && b[le] == b'.')
                .then(|| skip_whitespace(s, le + 1))
                .filter(|&j| j < n && b[j].is_ascii_digit())
            {
                let de = digits_end(ds);
                let se = suffix_end(de);
                out.push(Elem::Alpha {
                    letters,
                    tail: Tail::Enum,
                    dotted: true,
                    digits: &s[ds..de],
                    suffix: &s[de..se],
                });
                i = se;
            } else {
                out.push(Elem::Alpha {
                    letters,
                    tail: Tail::None,
                    dotted: false,
                    digits: "",
                    suffix: "",
                });
                i = le;
            }
        } else {
            i += c.len_utf8();
        }
    }
}

/// LC class: letters (1-3, not starting with I O W X Y), optional spaces,
/// 1-4 digit integer, optional `.digits`; then end, space, `.` or a letter.
fn scan_lc_class(s: &str) -> Result<ClassPart<'_>, RawError> {
    use CallNumberErrorReason as R;
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    if i == 0 {
        return Err(raw(0, R::MissingClassLetters));
    }
    if i > 3 {
        return Err(raw(0, R::TooManyClassLetters(i)));
    }
    let first = b[0].to_ascii_uppercase();
    if matches!(first, b'I' | b'O' | b'W' | b'X' | b'Y') {
        return Err(raw(0, R::InvalidClassLetter(char::from(first))));
    }
    let letters = &s[..i];
    while i < n && b[i] == b' ' {
        i += 1;
    }
    let ds = i;
    while i < n && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds {
        return Err(raw(ds, R::MissingClassNumber));
    }
    if i - ds > 4 {
        return Err(raw(ds, R::ClassNumberTooLong(i - ds)));
    }
    let integer = &s[ds..i];
    let mut decimal = "";
    if i + 1 < n && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        let fs = i + 1;
        i = fs;
        while i < n && b[i].is_ascii_digit() {
            i += 1;
        }
        decimal = &s[fs..i];
    }
    check_after_class(s, i)?;
    Ok(ClassPart {
        letters,
        integer,
        decimal,
        rest: i,
    })
}

fn check_after_class(s: &str, i: usize) -> Result<(), RawError> {
    match s.get(i..).and_then(|t| t.chars().next()) {
        None => Ok(()),
        Some(c) if c.is_whitespace() || c == '.' || c.is_ascii_alphabetic() => Ok(()),
        Some(c) => Err(raw(i, CallNumberErrorReason::UnexpectedCharacter(c))),
    }
}

/// Dewey class: 1-3 digit integer, optional `.digits` (segmentation `/` and
/// prime `'` marks inside the decimal part are ignored).
fn scan_dewey_class(s: &str) -> Result<ClassPart<'_>, RawError> {
    use CallNumberErrorReason as R;
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 {
        return Err(raw(0, R::MissingClassNumber));
    }
    if i > 3 {
        return Err(raw(0, R::ClassNumberTooLong(i)));
    }
    let integer = &s[..i];
    let mut decimal = "";
    // MARC 082 segmentation marks may also stand before the point: `823/.914`.
    let mut j = i;
    while j < n && (b[j] == b'/' || b[j] == b'\'') {
        j += 1;
    }
    if j + 1 < n && b[j] == b'.' && b[j + 1].is_ascii_digit() {
        let fs = j + 1;
        i = fs;
        while i < n && (b[i].is_ascii_digit() || b[i] == b'/' || b[i] == b'\'') {
            i += 1;
        }
        decimal = &s[fs..i];
    }
    check_after_class(s, i)?;
    Ok(ClassPart {
        letters: "",
        integer,
        decimal,
        rest: i,
    })
}

/// Splits off the first whitespace-delimited word.
fn first_word(s: &str) -> (&str, &str) {
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

fn parse_internal<'a>(
    scheme: Scheme,
    input: &'a str,
    config: &CallNumberConfig,
) -> (Parsed<'a>, Option<RawError>) {
    let s = input.trim();
    let mut elems = Vec::with_capacity(8);
    let invalid = |elems: Vec<Elem<'a>>, err: RawError| {
        let mut elems = elems;
        elems.clear();
        tokenize(s, 0, Mode::Generic, &mut elems);
        (
            Parsed {
                kind: ParsedKind::Invalid,
                prefixes: Vec::new(),
                rest: s,
                letters: "",
                integer: "",
                decimal: "",
                elems,
            },
            Some(err),
        )
    };
    if s.is_empty() {
        return invalid(elems, raw(0, CallNumberErrorReason::Empty));
    }
    if scheme == Scheme::Other {
        tokenize(s, 0, Mode::Generic, &mut elems);
        if elems.is_empty() {
            return invalid(
                elems,
                raw(offset_in(input, s), CallNumberErrorReason::NoContent),
            );
        }
        return (
            Parsed {
                kind: ParsedKind::Classification,
                prefixes: Vec::new(),
                rest: s,
                letters: "",
                integer: "",
                decimal: "",
                elems,
            },
            None,
        );
    }
    let scan = |t: &'a str| match scheme {
        Scheme::Dewey => scan_dewey_class(t),
        _ => scan_lc_class(t),
    };
    let mut prefixes: Vec<&'a str> = Vec::new();
    let mut rest = s;
    let mut first_err: Option<RawError> = None;
    loop {
        match scan(rest) {
            Ok(cp) => {
                tokenize(rest, cp.rest, Mode::Classed, &mut elems);
                return (
                    Parsed {
                        kind: ParsedKind::Classification,
                        prefixes,
                        rest,
                        letters: cp.letters,
                        integer: cp.integer,
                        decimal: cp.decimal,
                        elems,
                    },
                    None,
                );
            }
            Err(e) => {
                let e = RawError {
                    offset: e.offset + offset_in(input, rest),
                    reason: e.reason,
                };
                if first_err.is_none() {
                    first_err = Some(e);
                }
            }
        }
        let (word, after) = first_word(rest);
        // A prefix must leave something after it, except when the whole
        // call number is one prefix word (`FIC`).
        if config.is_prefix(word) && (!after.is_empty() || prefixes.is_empty()) {
            prefixes.push(word.strip_suffix('.').unwrap_or(word));
            rest = after;
            if rest.is_empty() {
                break;
            }
        } else {
            break;
        }
    }
    // Looser readings.
    let (word, _) = first_word(rest);
    let starts_alnum = rest
        .chars()
        .next()
        .is_none_or(|c| c.is_ascii_digit() || is_letter(c));
    let loose = match scheme {
        Scheme::Lc => !rest.is_empty() && config.is_shelving_word(word),
        Scheme::Dewey => !prefixes.is_empty() && starts_alnum,
        Scheme::Other => false,
    };
    if loose {
        tokenize(rest, 0, Mode::Generic, &mut elems);
        return (
            Parsed {
                kind: ParsedKind::Loose,
                prefixes,
                rest,
                letters: "",
                integer: "",
                decimal: "",
                elems,
            },
            None,
        );
    }
    let err = first_err.unwrap_or(raw(0, CallNumberErrorReason::Empty));
    invalid(elems, err)
}

// ---------------------------------------------------------------------------
// Key encoding
// ---------------------------------------------------------------------------

/// Marker that starts keys of shelving-control / prefix-only call numbers.
const LOOSE_MARK: char = '[';
/// Marker that starts keys of invalid call numbers (LC, Dewey).
const INVALID_MARK: char = '~';
/// Key of an invalid `Other` call number (sorts after every UTF-8 key).
const OTHER_INVALID_KEY: &str = "\u{10FFFF}";

fn strip_leading_zeros(d: &str) -> &str {
    d.trim_start_matches('0')
}

/// Prefix-free, order-preserving length marker for a number of `n` digits.
fn push_len(out: &mut String, mut n: usize) {
    while n >= 9 {
        out.push('9');
        n -= 9;
    }
    out.push(char::from(b'0' + n as u8));
}

/// Upper-cases text for display (`normalized`); like [`push_key_letters`]
/// for letters, other characters are kept as they are.
fn push_upper(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_uppercase());
        } else if is_letter(c) {
            out.extend(c.to_uppercase().filter(|u| is_letter(*u)));
        } else {
            out.push(c);
        }
    }
}

/// Upper-cases letters for a key. Non-ASCII upper-casing can produce
/// combining marks (`ῆ` -> `Η` + U+0342); only letters are kept, so that the
/// key of the normalised text equals the key of the original.
fn push_key_letters(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_uppercase());
        } else {
            out.extend(c.to_uppercase().filter(|u| is_letter(*u)));
        }
    }
}

fn push_number(out: &mut String, digits: &str) {
    let d = strip_leading_zeros(digits);
    push_len(out, d.len());
    out.push_str(d);
}

fn push_elem(out: &mut String, e: &Elem<'_>) {
    match *e {
        Elem::Num { digits, suffix } => {
            push_number(out, digits);
            push_key_letters(out, suffix);
        }
        Elem::Alpha {
            letters,
            tail,
            digits,
            suffix,
            ..
        } => {
            push_key_letters(out, letters);
            match tail {
                Tail::None => {}
                Tail::Enum => {
                    out.push('.');
                    push_number(out, digits);
                }
                Tail::Cutter => out.push_str(digits),
            }
            push_key_letters(out, suffix);
        }
    }
}

fn push_elems(out: &mut String, elems: &[Elem<'_>], leading_space: bool) {
    for (i, e) in elems.iter().enumerate() {
        if i > 0 || leading_space {
            out.push(' ');
        }
        push_elem(out, e);
    }
}

fn push_decimal(out: &mut String, decimal: &str) {
    let start = out.len();
    out.extend(decimal.chars().filter(char::is_ascii_digit));
    while out.len() > start && out.ends_with('0') {
        out.pop();
    }
}

fn encode(scheme: Scheme, p: &Parsed<'_>) -> SortKey {
    let mut out = String::with_capacity(32);
    match (p.kind, scheme) {
        (ParsedKind::Invalid, Scheme::Other) => out.push_str(OTHER_INVALID_KEY),
        (ParsedKind::Invalid, _) => {
            out.push(INVALID_MARK);
            push_elems(&mut out, &p.elems, true);
        }
        (ParsedKind::Loose, _) => {
            out.push(LOOSE_MARK);
            push_elems(&mut out, &p.elems, true);
        }
        (ParsedKind::Classification, Scheme::Other) => push_elems(&mut out, &p.elems, false),
        (ParsedKind::Classification, _) => {
            push_key_letters(&mut out, p.letters);
            let width = if scheme == Scheme::Dewey { 3 } else { 4 };
            let int = strip_leading_zeros(p.integer);
            for _ in int.len()..width {
                out.push('0');
            }
            out.push_str(int);
            push_decimal(&mut out, p.decimal);
            push_elems(&mut out, &p.elems, true);
        }
    }
    SortKey(out)
}

// ---------------------------------------------------------------------------
// Structural comparison (independent of key bytes)
// ---------------------------------------------------------------------------

fn upper_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .flat_map(char::to_uppercase)
        .filter(|c| is_letter(*c))
}

fn cmp_upper(a: &str, b: &str) -> Ordering {
    upper_chars(a).cmp(upper_chars(b))
}

fn cmp_numeric(a: &str, b: &str) -> Ordering {
    let (a, b) = (strip_leading_zeros(a), strip_leading_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn decimal_digits(d: &str) -> Vec<u8> {
    let mut v: Vec<u8> = d.bytes().filter(u8::is_ascii_digit).collect();
    while v.last() == Some(&b'0') {
        v.pop();
    }
    v
}

fn tail_rank(t: Tail) -> u8 {
    match t {
        Tail::None => 0,
        Tail::Enum => 1,
        Tail::Cutter => 2,
    }
}

fn cmp_elem(a: &Elem<'_>, b: &Elem<'_>) -> Ordering {
    match (a, b) {
        (Elem::Num { .. }, Elem::Alpha { .. }) => Ordering::Less,
        (Elem::Alpha { .. }, Elem::Num { .. }) => Ordering::Greater,
        (
            Elem::Num {
                digits: da,
                suffix: sa,
            },
            Elem::Num {
                digits: db,
                suffix: sb,
            },
        ) => cmp_numeric(da, db).then_with(|| cmp_upper(sa, sb)),
        (
            Elem::Alpha {
                letters: la,
                tail: ta,
                digits: da,
                suffix: sa,
                ..
            },
            Elem::Alpha {
                letters: lb,
                tail: tb,
                digits: db,
                suffix: sb,
                ..
            },
        ) => cmp_upper(la, lb)
            .then_with(|| tail_rank(*ta).cmp(&tail_rank(*tb)))
            .then_with(|| match ta {
                Tail::None => Ordering::Equal,
                Tail::Enum => cmp_numeric(da, db).then_with(|| cmp_upper(sa, sb)),
                // decimal digits, then work letters, compared as one string
                // (digits sort before letters)
                Tail::Cutter => da
                    .chars()
                    .chain(upper_chars(sa))
                    .cmp(db.chars().chain(upper_chars(sb))),
            }),
    }
}

fn cmp_parsed(a: &Parsed<'_>, b: &Parsed<'_>) -> Ordering {
    a.kind
        .cmp(&b.kind)
        .then_with(|| cmp_upper(a.letters, b.letters))
        .then_with(|| cmp_numeric(a.integer, b.integer))
        .then_with(|| decimal_digits(a.decimal).cmp(&decimal_digits(b.decimal)))
        .then_with(|| {
            let mut ia = a.elems.iter();
            let mut ib = b.elems.iter();
            loop {
                match (ia.next(), ib.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => match cmp_elem(x, y) {
                        Ordering::Equal => {}
                        o => return o,
                    },
                }
            }
        })
}

/// Shelf-order comparison of two call numbers of one scheme (default config).
///
/// Defined on the parsed structure, independently of [`sort_key`]; the two
/// always agree: `compare(s, a, b) == sort_key(s, a).cmp(&sort_key(s, b))`.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Ordering {
    compare_with(scheme, a, b, default_config())
}

/// [`compare`] with an explicit configuration.
pub fn compare_with(scheme: Scheme, a: &str, b: &str, config: &CallNumberConfig) -> Ordering {
    let (pa, _) = parse_internal(scheme, a, config);
    let (pb, _) = parse_internal(scheme, b, config);
    cmp_parsed(&pa, &pb)
}

// ---------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------

/// Sort key with the default configuration. Never fails: invalid input gets a
/// key that sorts after every valid call number of the scheme.
///
/// ```
/// use quire_domain::callnumber::{sort_key, Scheme};
/// let mut shelf = vec!["QA76.73 .P98 2019", "QA76.5 .B3", "QA9 .Z1", "qa 76.73.p98"];
/// shelf.sort_by_key(|c| sort_key(Scheme::Lc, c));
/// assert_eq!(shelf, ["QA9 .Z1", "QA76.5 .B3", "qa 76.73.p98", "QA76.73 .P98 2019"]);
/// ```
pub fn sort_key(scheme: Scheme, input: &str) -> SortKey {
    sort_key_with(scheme, input, default_config())
}

/// Sort key with an explicit configuration (prefix list).
pub fn sort_key_with(scheme: Scheme, input: &str, config: &CallNumberConfig) -> SortKey {
    let (p, _) = parse_internal(scheme, input, config);
    encode(scheme, &p)
}

/// Parses a call number with the default configuration.
///
/// ```
/// use quire_domain::callnumber::{parse, Scheme};
/// let c = parse(Scheme::Lc, "REF QA76.73.P98 L88 2019 v.2").unwrap();
/// assert_eq!(c.prefixes(), ["REF"]);
/// assert_eq!(c.display_lines(), ["REF", "QA", "76.73", ".P98", "L88", "2019", "v.2"]);
/// assert!(parse(Scheme::Lc, "928.12").is_err()); // Dewey, not LC
/// ```
pub fn parse(scheme: Scheme, input: &str) -> Result<CallNumber, CallNumberError> {
    parse_with(scheme, input, default_config())
}

fn is_date(digits: &str, suffix: &str) -> bool {
    digits.len() == 4
        && matches!(digits.as_bytes()[0], b'1' | b'2')
        && suffix.len() <= 1
        && suffix.bytes().all(|c| c.is_ascii_alphabetic())
}

fn part_of(e: &Elem<'_>) -> Part {
    match *e {
        Elem::Num { digits, suffix } => Part {
            kind: if is_date(digits, suffix) {
                PartKind::Date
            } else {
                PartKind::Number
            },
            text: format!("{digits}{suffix}"),
        },
        Elem::Alpha {
            letters,
            tail,
            dotted,
            digits,
            suffix,
        } => {
            let kind = match tail {
                Tail::None => PartKind::Word,
                Tail::Enum => PartKind::Enumeration,
                Tail::Cutter => PartKind::Cutter,
            };
            let dot = if dotted { "." } else { "" };
            Part {
                kind,
                text: format!("{letters}{dot}{digits}{suffix}"),
            }
        }
    }
}

/// Parses a call number.
///
/// `Err` explains why the text is not a call number of `scheme` (position +
/// reason). Invalid text still has a [`sort_key`].
pub fn parse_with(
    scheme: Scheme,
    input: &str,
    config: &CallNumberConfig,
) -> Result<CallNumber, CallNumberError> {
    let (p, err) = parse_internal(scheme, input, config);
    if let Some(e) = err {
        let position = input.get(..e.offset).map_or(0, |t| t.chars().count());
        return Err(CallNumberError {
            position,
            reason: e.reason,
        });
    }
    let key = encode(scheme, &p);
    let kind = match (p.kind, scheme) {
        (ParsedKind::Classification, Scheme::Other) => Kind::Free,
        (ParsedKind::Classification, _) => Kind::Classification,
        (_, Scheme::Lc) => Kind::ShelvingControl,
        _ => Kind::PrefixOnly,
    };
    // Dewey segmentation/prime marks are not printed on labels.
    let decimal: String = p.decimal.chars().filter(char::is_ascii_digit).collect();
    let class_number = if decimal.is_empty() {
        p.integer.to_owned()
    } else {
        format!("{}.{decimal}", p.integer)
    };
    Ok(CallNumber {
        scheme,
        kind,
        prefixes: p.prefixes.iter().map(|s| (*s).to_owned()).collect(),
        class_letters: p.letters.to_owned(),
        class_number,
        parts: p.elems.iter().map(part_of).collect(),
        rest: p.rest.split_whitespace().collect::<Vec<_>>().join(" "),
        key,
    })
}

impl CallNumber {
    /// The scheme it was parsed as.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
    /// What kind of call number it is.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Local prefixes split off the front (`REF`, `J`), as written.
    pub fn prefixes(&self) -> &[String] {
        &self.prefixes
    }
    /// LC class letters as written (`QA`); empty for other schemes.
    pub fn class_letters(&self) -> &str {
        &self.class_letters
    }
    /// Class number as written (`76.73`, `599.757`); empty when there is none.
    pub fn class_number(&self) -> &str {
        &self.class_number
    }
    /// Everything after the class number, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }
    /// The cutters, in order.
    pub fn cutters(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .filter(|p| p.kind == PartKind::Cutter)
            .map(|p| p.text.as_str())
    }
    /// The shelf-order key.
    pub fn sort_key(&self) -> &SortKey {
        &self.key
    }

    /// Canonical text: upper case, one space between pieces, first LC cutter
    /// preceded by `.` (`QA76.73 .P98 L88 2019 V.2`). Parsing the result again
    /// gives the same key and the same normalised text.
    pub fn normalized(&self) -> String {
        let mut out = String::new();
        for line in self.pieces() {
            if !out.is_empty() {
                out.push(' ');
            }
            push_upper(&mut out, &line);
        }
        out
    }

    fn pieces(&self) -> Vec<String> {
        let mut v: Vec<String> = self.prefixes.clone();
        let classed = self.kind == Kind::Classification && self.scheme != Scheme::Other;
        if !classed {
            // Free text is kept as written (only whitespace collapsed), so
            // that re-parsing the normalised form finds the same prefixes.
            v.extend(
                self.rest
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            );
            return v;
        }
        v.push(format!("{}{}", self.class_letters, self.class_number));
        let mut first_cutter = self.scheme == Scheme::Lc && classed;
        for p in &self.parts {
            if p.kind == PartKind::Cutter && first_cutter {
                v.push(format!(".{}", p.text));
                first_cutter = false;
            } else {
                v.push(p.text.clone());
            }
        }
        v
    }

    /// The lines of a spine label.
    ///
    /// LC: prefixes, class letters, class number, each cutter (the first with
    /// its period), then each date / number / enumeration / word.
    /// Dewey: prefixes, class number, then one line per following piece.
    /// Others: one line per piece.
    pub fn display_lines(&self) -> Vec<String> {
        if self.scheme == Scheme::Lc && self.kind == Kind::Classification {
            let mut v: Vec<String> = self.prefixes.clone();
            v.push(self.class_letters.clone());
            v.push(self.class_number.clone());
            let mut first_cutter = true;
            for p in &self.parts {
                if p.kind == PartKind::Cutter && first_cutter {
                    v.push(format!(".{}", p.text));
                    first_cutter = false;
                } else {
                    v.push(p.text.clone());
                }
            }
            v
        } else {
            self.pieces()
        }
    }
}

impl fmt::Display for CallNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pieces = self.pieces();
        f.write_str(&pieces.join(" "))
    }
}

/// Guesses the scheme of an unlabelled call number (default config).
///
/// LC if it reads as an LC classification number, Dewey if it reads as a
/// Dewey number; when both readings work (a single-letter prefix that is
/// also an LC class, e.g. `J 599.75 SMI` vs `E 184 .S75`) LC wins only if
/// its reading has a cutter with digits. Then LC shelving-control numbers,
/// Dewey prefix-only numbers, else `Other`. Prefer the scheme from MARC
/// ([`scheme_from_marc`]) whenever there is one.
pub fn guess_scheme(input: &str) -> Scheme {
    let config = default_config();
    let (lc, lc_err) = parse_internal(Scheme::Lc, input, config);
    let (dw, dw_err) = parse_internal(Scheme::Dewey, input, config);
    let lc_class = lc_err.is_none() && lc.kind == ParsedKind::Classification;
    let dw_class = dw_err.is_none() && dw.kind == ParsedKind::Classification;
    match (lc_class, dw_class) {
        (true, false) => Scheme::Lc,
        (false, true) => Scheme::Dewey,
        (true, true) => {
            let has_cutter = lc.elems.iter().any(|e| {
                matches!(
                    e,
                    Elem::Alpha {
                        tail: Tail::Cutter,
                        ..
                    }
                )
            });
            if has_cutter {
                Scheme::Lc
            } else {
                Scheme::Dewey
            }
        }
        (false, false) => {
            if lc_err.is_none() {
                Scheme::Lc
            } else if dw_err.is_none() {
                Scheme::Dewey
            } else {
                Scheme::Other
            }
        }
    }
}

/// Where a MARC field says a call number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MarcScheme {
    /// The scheme to parse and sort with.
    pub scheme: Scheme,
    /// `true` for locally assigned numbers (090, 092, 099, holdings 852).
    pub local: bool,
}

/// Scheme of a call number from its MARC tag (and first indicator for 852).
///
/// 050/055 LC, 090 LC local, 082 Dewey, 092 Dewey local, 099 other local;
/// 852 first indicator `0` LC, `1` Dewey, `2`-`8` other; 060/070/086 other.
/// `None` when the field does not say (852 with blank indicator, unknown tag).
pub fn scheme_from_marc(tag: &str, ind1: char) -> Option<MarcScheme> {
    let m = |scheme, local| Some(MarcScheme { scheme, local });
    match tag {
        "050" | "055" => m(Scheme::Lc, false),
        "090" => m(Scheme::Lc, true),
        "082" => m(Scheme::Dewey, false),
        "092" => m(Scheme::Dewey, true),
        "099" => m(Scheme::Other, true),
        "060" | "070" | "086" => m(Scheme::Other, false),
        "852" => match ind1 {
            '0' => m(Scheme::Lc, true),
            '1' => m(Scheme::Dewey, true),
            '2'..='8' => m(Scheme::Other, true),
            _ => None,
        },
        _ => None,
    }
}

impl Scheme {
    /// The stored name: `lc`, `dewey`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Lc => "lc",
            Scheme::Dewey => "dewey",
            Scheme::Other => "other",
        }
    }

    /// A stored or entered name (`local` is `other`); `None` otherwise.
    pub fn parse(raw: &str) -> Option<Scheme> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "lc" => Some(Scheme::Lc),
            "dewey" => Some(Scheme::Dewey),
            "other" | "local" => Some(Scheme::Other),
            _ => None,
        }
    }
}

/// Why an item's call number is read in the scheme it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeSource {
    /// The item says so.
    Item,
    /// The call number is the record's from this MARC tag (050, 082,
    /// 090, 092, …), whose tag or indicator names the scheme.
    Marc(&'static str),
    /// The default scheme of the item's branch.
    BranchDefault,
    /// The library's default scheme (setting).
    LibraryDefault,
    /// No scheme anywhere and no default: guessed from the call number's
    /// shape ([`guess_scheme`]).
    Guessed,
}

impl SchemeSource {
    /// A stable name (`item`, `marc`, `branch-default`, `library-default`,
    /// `guessed`).
    pub fn as_str(self) -> &'static str {
        match self {
            SchemeSource::Item => "item",
            SchemeSource::Marc(_) => "marc",
            SchemeSource::BranchDefault => "branch-default",
            SchemeSource::LibraryDefault => "library-default",
            SchemeSource::Guessed => "guessed",
        }
    }
}

/// The scheme of an item's call number, and why: the item's own scheme;
/// else, when the call number is one of the record's MARC call numbers
/// (`marc`: each with its tag and what the tag/indicator says, compared
/// ignoring case and spacing), that field's scheme; else the library's
/// default; else a guess from the call number.
pub fn effective_scheme(
    item: Option<Scheme>,
    call_number: &str,
    marc: &[(&'static str, Option<MarcScheme>, &str)],
    library_default: Option<Scheme>,
) -> (Scheme, SchemeSource) {
    if let Some(s) = item {
        return (s, SchemeSource::Item);
    }
    let norm = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase()
    };
    let want = norm(call_number);
    if !want.is_empty() {
        for (tag, m, value) in marc {
            if let Some(m) = m
                && norm(value) == want
            {
                return (m.scheme, SchemeSource::Marc(tag));
            }
        }
    }
    match library_default {
        Some(d) => (d, SchemeSource::LibraryDefault),
        None => (guess_scheme(call_number), SchemeSource::Guessed),
    }
}

/// [`effective_scheme`] with the item's branch: the item's own scheme,
/// else the record's MARC field when the call number is one of them, else
/// the branch's default, else the library's, else a guess.
pub fn effective_scheme_at_branch(
    item: Option<Scheme>,
    call_number: &str,
    marc: &[(&'static str, Option<MarcScheme>, &str)],
    branch_default: Option<Scheme>,
    library_default: Option<Scheme>,
) -> (Scheme, SchemeSource) {
    match effective_scheme(item, call_number, marc, branch_default.or(library_default)) {
        (s, SchemeSource::LibraryDefault) if branch_default.is_some() => {
            (s, SchemeSource::BranchDefault)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;
