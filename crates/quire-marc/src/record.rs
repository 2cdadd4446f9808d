//! The in-memory MARC record model.
//!
//! Values are always UTF-8 [`String`]s: readers convert MARC-8 and other
//! encodings on the way in, writers always emit UTF-8 (leader/09 = `a`).

use std::fmt;

/// A three-character field tag such as `245`.
///
/// Tags are normally three ASCII digits, but ISO 2709 allows alphanumeric
/// tags (`FMT`, `CAT`, ...) and real files contain them; readers keep them
/// (with a warning when they are not numeric). A `Tag` always holds three
/// printable ASCII bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(pub [u8; 3]);

impl Tag {
    /// Builds a tag from the first three bytes of `b`, replacing bytes that
    /// are not printable ASCII by `?`. Returns the tag and whether any
    /// replacement happened. Short input is padded with `?`.
    pub fn from_bytes_lossy(b: &[u8]) -> (Tag, bool) {
        let mut out = [b'?'; 3];
        let mut replaced = b.len() < 3;
        for (i, slot) in out.iter_mut().enumerate() {
            match b.get(i) {
                Some(&c) if c.is_ascii_graphic() || c == b' ' => *slot = c,
                Some(_) => replaced = true,
                None => {}
            }
        }
        (Tag(out), replaced)
    }

    /// Parses a tag from a string; `None` unless it is exactly three
    /// printable ASCII characters.
    pub fn parse(s: &str) -> Option<Tag> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(|&c| c.is_ascii_graphic() || c == b' ') {
            Some(Tag([b[0], b[1], b[2]]))
        } else {
            None
        }
    }

    /// The tag as a `&str` (always three ASCII characters).
    pub fn as_str(&self) -> &str {
        // Invariant: the three bytes are printable ASCII.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// True when all three characters are ASCII digits.
    pub fn is_numeric(&self) -> bool {
        self.0.iter().all(u8::is_ascii_digit)
    }

    /// Numeric value of an all-digit tag (`245` -> `Some(245)`).
    pub fn number(&self) -> Option<u16> {
        if self.is_numeric() {
            Some(
                self.0
                    .iter()
                    .fold(0u16, |n, d| n * 10 + u16::from(d - b'0')),
            )
        } else {
            None
        }
    }

    /// Control fields are tags `00X` (001-009, and by convention `000`);
    /// alphabetic tags are treated as data fields, like pymarc and yaz do.
    pub fn is_control(&self) -> bool {
        self.0[0] == b'0' && self.0[1] == b'0'
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({})", self.as_str())
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<[u8; 3]> for Tag {
    fn from(b: [u8; 3]) -> Self {
        Tag::from_bytes_lossy(&b).0
    }
}

/// The 24-character record leader. Always 24 printable ASCII bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Leader(pub [u8; 24]);

impl Default for Leader {
    /// `00000nam a2200000 a 4500`-style default: new, language material,
    /// monograph, UTF-8.
    fn default() -> Self {
        Leader(*b"00000nam a2200000   4500")
    }
}

impl Leader {
    /// Builds a leader from raw bytes: non-printable or non-ASCII bytes become
    /// a blank, short input is padded with blanks, long input is cut.
    /// Returns the leader and the positions that had to be repaired.
    pub fn from_bytes_lossy(b: &[u8]) -> (Leader, Vec<usize>) {
        let mut out = [b' '; 24];
        let mut fixed = Vec::new();
        for (i, slot) in out.iter_mut().enumerate() {
            match b.get(i) {
                Some(&c) if c == b' ' || c.is_ascii_graphic() => *slot = c,
                Some(_) => fixed.push(i),
                None => fixed.push(i),
            }
        }
        (Leader(out), fixed)
    }

    /// The leader as a 24-character `&str`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Byte at position `pos` (0-23) as a char; `' '` when out of range.
    pub fn get(&self, pos: usize) -> char {
        self.0.get(pos).map_or(' ', |&b| char::from(b))
    }

    /// Sets position `pos` to an ASCII character. Ignored (returns false)
    /// when `pos > 23` or `c` is not printable ASCII/space.
    pub fn set(&mut self, pos: usize, c: char) -> bool {
        if pos < 24 && (c == ' ' || c.is_ascii_graphic()) {
            self.0[pos] = c as u8;
            true
        } else {
            false
        }
    }

    /// Parses the decimal number in positions `start..start+len`, if all digits.
    pub fn number_at(&self, start: usize, len: usize) -> Option<usize> {
        let s = self.0.get(start..start + len)?;
        parse_decimal(s)
    }

    /// Leader/05 record status.
    pub fn record_status(&self) -> char {
        self.get(5)
    }
    /// Leader/06 type of record.
    pub fn record_type(&self) -> char {
        self.get(6)
    }
    /// Leader/07 bibliographic level.
    pub fn bib_level(&self) -> char {
        self.get(7)
    }
    /// Leader/09 character coding scheme (`a` = UTF-8, blank = MARC-8).
    pub fn coding_scheme(&self) -> char {
        self.get(9)
    }
}

impl fmt::Debug for Leader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Leader({:?})", self.as_str())
    }
}

impl fmt::Display for Leader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses an all-digit ASCII byte string as a decimal number.
pub(crate) fn parse_decimal(s: &[u8]) -> Option<usize> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0usize, |n, d| {
        n.saturating_mul(10).saturating_add(usize::from(d - b'0'))
    }))
}

/// One subfield of a data field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Subfield {
    /// Subfield code (normally `a-z` or `0-9`).
    pub code: char,
    /// Subfield value (UTF-8, NFC when it came from MARC-8).
    pub value: String,
}

impl Subfield {
    /// Convenience constructor.
    pub fn new(code: char, value: impl Into<String>) -> Self {
        Subfield {
            code,
            value: value.into(),
        }
    }
}

/// A variable field: either a control field (`00X`, no indicators) or a data
/// field with two indicators and subfields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Control field `001`-`009`: tag and raw value.
    Control {
        /// Field tag.
        tag: Tag,
        /// Field value.
        value: String,
    },
    /// Data field `010`-`999` (or an alphanumeric tag).
    Data {
        /// Field tag.
        tag: Tag,
        /// First indicator (blank = `' '`).
        ind1: char,
        /// Second indicator (blank = `' '`).
        ind2: char,
        /// Subfields in order.
        subfields: Vec<Subfield>,
    },
}

impl Field {
    /// Builds a control field.
    pub fn control(tag: Tag, value: impl Into<String>) -> Self {
        Field::Control {
            tag,
            value: value.into(),
        }
    }

    /// Builds a data field.
    pub fn data(tag: Tag, ind1: char, ind2: char, subfields: Vec<Subfield>) -> Self {
        Field::Data {
            tag,
            ind1,
            ind2,
            subfields,
        }
    }

    /// The field's tag.
    pub fn tag(&self) -> Tag {
        match self {
            Field::Control { tag, .. } | Field::Data { tag, .. } => *tag,
        }
    }

    /// Value of a control field; `None` for data fields.
    pub fn control_value(&self) -> Option<&str> {
        match self {
            Field::Control { value, .. } => Some(value),
            Field::Data { .. } => None,
        }
    }

    /// Indicators of a data field; `None` for control fields.
    pub fn indicators(&self) -> Option<(char, char)> {
        match self {
            Field::Data { ind1, ind2, .. } => Some((*ind1, *ind2)),
            Field::Control { .. } => None,
        }
    }

    /// Subfields of a data field (empty for control fields).
    pub fn subfield_list(&self) -> &[Subfield] {
        match self {
            Field::Data { subfields, .. } => subfields,
            Field::Control { .. } => &[],
        }
    }

    /// First value of subfield `code`.
    pub fn subfield(&self, code: char) -> Option<&str> {
        self.subfield_list()
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.value.as_str())
    }

    /// All values of subfield `code`, in order.
    pub fn subfields(&self, code: char) -> impl Iterator<Item = &str> {
        self.subfield_list()
            .iter()
            .filter(move |s| s.code == code)
            .map(|s| s.value.as_str())
    }

    /// Values of the subfields whose code is in `codes`, in field order.
    pub fn subfields_in<'a>(&'a self, codes: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.subfield_list()
            .iter()
            .filter(move |s| codes.contains(s.code))
            .map(|s| s.value.as_str())
    }
}

/// A MARC record: leader plus fields in their original order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Record {
    /// The leader. Positions 00-04 and 12-16 are recomputed by the ISO 2709
    /// writer; readers leave them as found.
    pub leader: Leader,
    /// Fields in record order (not re-sorted).
    pub fields: Vec<Field>,
}

impl Record {
    /// An empty record with the default leader.
    pub fn new() -> Self {
        Self::default()
    }

    /// Value of the 001 control number.
    pub fn control_number(&self) -> Option<&str> {
        self.first_control(*b"001")
    }

    /// Value of the 003 control number identifier.
    pub fn control_number_identifier(&self) -> Option<&str> {
        self.first_control(*b"003")
    }

    fn first_control(&self, tag: [u8; 3]) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.tag().0 == tag)
            .and_then(Field::control_value)
    }

    /// All fields with tag `tag` (e.g. `"650"`), in order. An invalid tag
    /// string matches nothing.
    pub fn fields<'a>(&'a self, tag: &str) -> impl Iterator<Item = &'a Field> + 'a {
        let t = Tag::parse(tag);
        self.fields.iter().filter(move |f| Some(f.tag()) == t)
    }

    /// Fields whose tag matches a pattern where `X`/`x` is a wildcard digit
    /// (e.g. `"6XX"`).
    pub fn fields_matching<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        let p = pattern.as_bytes();
        self.fields.iter().filter(move |f| {
            p.len() == 3
                && f.tag()
                    .0
                    .iter()
                    .zip(p)
                    .all(|(t, q)| *q == *t || ((*q == b'X' || *q == b'x') && t.is_ascii_digit()))
        })
    }

    /// First field with tag `tag`.
    pub fn first(&self, tag: &str) -> Option<&Field> {
        self.fields(tag).next()
    }

    /// First value of subfield `code` in the first field tagged `tag`.
    pub fn first_subfield(&self, tag: &str, code: char) -> Option<&str> {
        self.first(tag).and_then(|f| f.subfield(code))
    }

    /// Sets one leader position (see [`Leader::set`]).
    pub fn set_leader_pos(&mut self, pos: usize, c: char) -> bool {
        self.leader.set(pos, c)
    }

    /// Appends a field.
    pub fn push(&mut self, field: Field) {
        self.fields.push(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Tag {
        Tag::parse(s).unwrap()
    }

    #[test]
    fn tag_basics() {
        assert_eq!(t("245").number(), Some(245));
        assert!(t("001").is_control());
        assert!(!t("010").is_control());
        assert!(!t("FMT").is_control());
        assert_eq!(t("FMT").number(), None);
        assert_eq!(Tag::parse("24"), None);
        assert_eq!(Tag::parse("2\t5"), None);
        let (tag, bad) = Tag::from_bytes_lossy(&[b'2', 0xC3, b'5']);
        assert_eq!(tag.as_str(), "2?5");
        assert!(bad);
    }

    #[test]
    fn leader_lossy_and_numbers() {
        let (l, fixed) = Leader::from_bytes_lossy(b"00127\x01    2200037   4500");
        assert_eq!(fixed, vec![5]);
        assert_eq!(l.number_at(0, 5), Some(127));
        assert_eq!(l.number_at(12, 5), Some(37));
        let (short, fixed) = Leader::from_bytes_lossy(b"0012");
        assert_eq!(short.as_str().len(), 24);
        assert_eq!(fixed.len(), 20);
    }

    #[test]
    fn accessors() {
        let mut r = Record::new();
        r.push(Field::control(t("001"), "123"));
        r.push(Field::control(t("003"), "DLC"));
        r.push(Field::data(
            t("650"),
            ' ',
            '0',
            vec![
                Subfield::new('a', "Cats"),
                Subfield::new('x', "Fiction"),
                Subfield::new('a', "Dogs"),
            ],
        ));
        r.push(Field::data(
            t("651"),
            ' ',
            '0',
            vec![Subfield::new('a', "Paris")],
        ));
        assert_eq!(r.control_number(), Some("123"));
        assert_eq!(r.control_number_identifier(), Some("DLC"));
        assert_eq!(r.fields("650").count(), 1);
        assert_eq!(r.fields_matching("6XX").count(), 2);
        let f = r.first("650").unwrap();
        assert_eq!(f.subfield('a'), Some("Cats"));
        assert_eq!(f.subfields('a').collect::<Vec<_>>(), vec!["Cats", "Dogs"]);
        assert_eq!(f.subfields_in("ax").count(), 3);
        assert!(r.set_leader_pos(9, 'a'));
        assert_eq!(r.leader.coding_scheme(), 'a');
        assert!(!r.set_leader_pos(24, 'a'));
    }
}
