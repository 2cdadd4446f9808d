//! A small BER (X.690 Basic Encoding Rules) layer: tags, lengths, TLV
//! reading with definite and indefinite lengths, framing, primitive value
//! codecs, and a writer that always emits definite lengths.
//!
//! Decoding is zero-copy over the input slice and never allocates based on
//! a declared length: a length larger than what is in the buffer is
//! [`DecodeErrorKind::Truncated`], and framing rejects a declared PDU
//! length above the caller's maximum before any data arrives.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::oid::Oid;

/// Maximum TLV nesting depth accepted by the decoder.
pub const MAX_DEPTH: usize = 64;

/// Tag class (the two high bits of the identifier octet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// `00`
    Universal,
    /// `01`
    Application,
    /// `10` (`[n]` in Z39.50's ASN.1)
    Context,
    /// `11`
    Private,
}

/// A BER tag: class, constructed bit and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    /// Class.
    pub class: Class,
    /// Constructed (true) or primitive.
    pub constructed: bool,
    /// Tag number.
    pub number: u32,
}

impl Tag {
    /// Context-specific primitive `[n]`.
    pub const fn ctx(number: u32) -> Tag {
        Tag {
            class: Class::Context,
            constructed: false,
            number,
        }
    }
    /// Context-specific constructed `[n]`.
    pub const fn ctx_c(number: u32) -> Tag {
        Tag {
            class: Class::Context,
            constructed: true,
            number,
        }
    }
    /// Universal primitive.
    pub const fn univ(number: u32) -> Tag {
        Tag {
            class: Class::Universal,
            constructed: false,
            number,
        }
    }
    /// Universal constructed.
    pub const fn univ_c(number: u32) -> Tag {
        Tag {
            class: Class::Universal,
            constructed: true,
            number,
        }
    }

    /// Same class and number, ignoring the constructed bit.
    pub fn is(&self, class: Class, number: u32) -> bool {
        self.class == class && self.number == number
    }

    /// Context-specific `[n]`, primitive or constructed.
    pub fn is_ctx(&self, number: u32) -> bool {
        self.is(Class::Context, number)
    }
}

impl std::fmt::Display for Tag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = match self.class {
            Class::Universal => "UNIVERSAL ",
            Class::Application => "APPLICATION ",
            Class::Context => "",
            Class::Private => "PRIVATE ",
        };
        write!(
            f,
            "[{c}{}]{}",
            self.number,
            if self.constructed {
                " (constructed)"
            } else {
                ""
            }
        )
    }
}

/// Universal tag numbers used by Z39.50.
pub mod universal {
    /// BOOLEAN
    pub const BOOLEAN: u32 = 1;
    /// INTEGER
    pub const INTEGER: u32 = 2;
    /// BIT STRING
    pub const BIT_STRING: u32 = 3;
    /// OCTET STRING
    pub const OCTET_STRING: u32 = 4;
    /// NULL
    pub const NULL: u32 = 5;
    /// OBJECT IDENTIFIER
    pub const OID: u32 = 6;
    /// ObjectDescriptor
    pub const OBJECT_DESCRIPTOR: u32 = 7;
    /// EXTERNAL
    pub const EXTERNAL: u32 = 8;
    /// SEQUENCE
    pub const SEQUENCE: u32 = 16;
    /// GeneralizedTime
    pub const GENERALIZED_TIME: u32 = 24;
    /// VisibleString
    pub const VISIBLE_STRING: u32 = 26;
    /// GeneralString (Z39.50 InternationalString)
    pub const GENERAL_STRING: u32 = 27;
}

struct Header {
    tag: Tag,
    header_len: usize,
    /// `None` = indefinite.
    length: Option<usize>,
}

enum Need {
    More,
    Err(DecodeErrorKind, usize),
}

fn parse_header(buf: &[u8], offset: usize) -> Result<Header, Need> {
    let Some(&first) = buf.first() else {
        return Err(Need::More);
    };
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut pos = 1;
    let mut number = u32::from(first & 0x1F);
    if number == 0x1F {
        number = 0;
        loop {
            let Some(&b) = buf.get(pos) else {
                return Err(Need::More);
            };
            pos += 1;
            if pos > 5 || (number == 0 && b == 0x80) {
                return Err(Need::Err(DecodeErrorKind::InvalidTag, offset));
            }
            number = (number << 7) | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let Some(&lb) = buf.get(pos) else {
        return Err(Need::More);
    };
    pos += 1;
    let length = if lb < 0x80 {
        Some(usize::from(lb))
    } else if lb == 0x80 {
        if !constructed {
            return Err(Need::Err(DecodeErrorKind::InvalidLength, offset));
        }
        None
    } else {
        let n = usize::from(lb & 0x7F);
        if n > 8 || lb == 0xFF {
            return Err(Need::Err(DecodeErrorKind::InvalidLength, offset));
        }
        let mut len: u64 = 0;
        for _ in 0..n {
            let Some(&b) = buf.get(pos) else {
                return Err(Need::More);
            };
            pos += 1;
            len = (len << 8) | u64::from(b);
        }
        match usize::try_from(len) {
            Ok(l) => Some(l),
            Err(_) => {
                return Err(Need::Err(
                    DecodeErrorKind::LengthTooLarge {
                        declared: len,
                        max: usize::MAX as u64,
                    },
                    offset,
                ));
            }
        }
    };
    Ok(Header {
        tag: Tag {
            class,
            constructed,
            number,
        },
        header_len: pos,
        length,
    })
}

/// Total encoded length of the element starting at `buf[0]`, and the
/// content range (start, end) within it.
fn element_extent(
    buf: &[u8],
    offset: usize,
    depth: usize,
    max: usize,
) -> Result<(Header, usize, usize), Need> {
    if depth > MAX_DEPTH {
        return Err(Need::Err(DecodeErrorKind::TooDeep, offset));
    }
    let h = parse_header(buf, offset)?;
    match h.length {
        Some(len) => {
            let total = h
                .header_len
                .checked_add(len)
                .ok_or(Need::Err(DecodeErrorKind::InvalidLength, offset))?;
            if total > max {
                return Err(Need::Err(
                    DecodeErrorKind::LengthTooLarge {
                        declared: total as u64,
                        max: max as u64,
                    },
                    offset,
                ));
            }
            if buf.len() < total {
                return Err(Need::More);
            }
            let start = h.header_len;
            Ok((h, start, total))
        }
        None => {
            let start = h.header_len;
            let mut pos = start;
            loop {
                if pos > max {
                    return Err(Need::Err(
                        DecodeErrorKind::LengthTooLarge {
                            declared: pos as u64,
                            max: max as u64,
                        },
                        offset,
                    ));
                }
                match (buf.get(pos), buf.get(pos + 1)) {
                    (Some(0), Some(0)) => return Ok((h, start, pos + 2)),
                    (Some(0), None) | (None, _) => return Err(Need::More),
                    (Some(0), Some(_)) => {
                        return Err(Need::Err(
                            DecodeErrorKind::InvalidValue("bad end-of-contents"),
                            offset + pos,
                        ));
                    }
                    _ => {}
                }
                let (_, _, child_total) =
                    element_extent(&buf[pos..], offset + pos, depth + 1, max - pos)?;
                pos += child_total;
            }
        }
    }
}

/// Framing helper for a byte stream: is a complete BER element (one
/// Z39.50 APDU) at the start of `buf`?
///
/// * `Ok(Some(n))`: the first `n` bytes are one complete element.
/// * `Ok(None)`: not complete yet — read more bytes.
/// * `Err(_)`: malformed, or its declared length exceeds `max_len`
///   (answer with Close(protocolError) and drop the connection).
///
/// Indefinite lengths are supported (the nested elements are scanned).
pub fn pdu_length(buf: &[u8], max_len: usize) -> Result<Option<usize>, DecodeError> {
    match element_extent(buf, 0, 0, max_len) {
        Ok((_, _, total)) => Ok(Some(total)),
        Err(Need::More) => Ok(None),
        Err(Need::Err(kind, offset)) => Err(DecodeError::new(kind, offset, "PDU")),
    }
}

/// A decoded TLV element borrowing from the input.
#[derive(Debug, Clone, Copy)]
pub struct Element<'a> {
    /// The tag.
    pub tag: Tag,
    /// Content octets (for indefinite lengths, without the end-of-contents).
    pub content: &'a [u8],
    /// The whole encoding (identifier, length, content, end-of-contents).
    pub raw: &'a [u8],
    /// Absolute offset of the identifier octet in the PDU.
    pub offset: usize,
    /// Absolute offset of the first content octet.
    pub content_offset: usize,
    depth: usize,
}

/// Read one element from the start of `buf` (whose first byte is at
/// absolute offset `offset`). Returns the element and its encoded length.
pub fn read_element(buf: &[u8], offset: usize) -> Result<(Element<'_>, usize), DecodeError> {
    read_at_depth(buf, offset, 0)
}

fn read_at_depth(
    buf: &[u8],
    offset: usize,
    depth: usize,
) -> Result<(Element<'_>, usize), DecodeError> {
    match element_extent(buf, offset, depth, buf.len()) {
        Ok((h, start, total)) => {
            let end = if h.length.is_some() { total } else { total - 2 };
            Ok((
                Element {
                    tag: h.tag,
                    content: &buf[start..end],
                    raw: &buf[..total],
                    offset,
                    content_offset: offset + start,
                    depth,
                },
                total,
            ))
        }
        Err(Need::More) => Err(DecodeError::new(
            DecodeErrorKind::Truncated,
            offset,
            "element",
        )),
        Err(Need::Err(DecodeErrorKind::LengthTooLarge { .. }, off)) => {
            Err(DecodeError::new(DecodeErrorKind::Truncated, off, "element"))
        }
        Err(Need::Err(kind, off)) => Err(DecodeError::new(kind, off, "element")),
    }
}

/// Iterator over the child elements of a constructed element.
pub struct Children<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    depth: usize,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Element<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        match read_at_depth(&self.buf[self.pos..], self.base + self.pos, self.depth) {
            Ok((el, n)) => {
                self.pos += n;
                Some(Ok(el))
            }
            Err(e) => {
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

impl<'a> Element<'a> {
    /// The child elements (the element must be constructed).
    pub fn children(&self, what: &'static str) -> Result<Children<'a>, DecodeError> {
        if !self.tag.constructed {
            return Err(self.err(
                DecodeErrorKind::InvalidValue("expected a constructed element"),
                what,
            ));
        }
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.err(DecodeErrorKind::TooDeep, what));
        }
        Ok(Children {
            buf: self.content,
            pos: 0,
            base: self.content_offset,
            depth: self.depth + 1,
        })
    }

    /// The single child of an explicit tag wrapper.
    pub fn explicit_inner(&self, what: &'static str) -> Result<Element<'a>, DecodeError> {
        let mut it = self.children(what)?;
        let inner = match it.next() {
            Some(r) => r?,
            None => return Err(self.err(DecodeErrorKind::MissingField, what)),
        };
        if it.next().is_some() {
            return Err(self.err(
                DecodeErrorKind::InvalidValue("extra data in explicit tag"),
                what,
            ));
        }
        Ok(inner)
    }

    /// An error located at this element.
    pub fn err(&self, kind: DecodeErrorKind, what: &'static str) -> DecodeError {
        DecodeError::new(kind, self.offset, what)
    }

    fn primitive(&self, what: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.tag.constructed {
            return Err(self.err(
                DecodeErrorKind::InvalidValue("expected a primitive element"),
                what,
            ));
        }
        Ok(self.content)
    }

    /// INTEGER content (any tag).
    pub fn integer(&self, what: &'static str) -> Result<i64, DecodeError> {
        let c = self.primitive(what)?;
        if c.is_empty() {
            return Err(self.err(DecodeErrorKind::InvalidValue("empty INTEGER"), what));
        }
        if c.len() > 8 {
            return Err(self.err(DecodeErrorKind::IntegerOverflow, what));
        }
        let mut v: i64 = if c[0] & 0x80 != 0 { -1 } else { 0 };
        for &b in c {
            v = (v << 8) | i64::from(b);
        }
        Ok(v)
    }

    /// BOOLEAN content (any non-zero octet is TRUE).
    pub fn boolean(&self, what: &'static str) -> Result<bool, DecodeError> {
        match self.primitive(what)? {
            [b] => Ok(*b != 0),
            _ => Err(self.err(
                DecodeErrorKind::InvalidValue("BOOLEAN must be one octet"),
                what,
            )),
        }
    }

    /// OCTET STRING content; the constructed (segmented) form is accepted.
    pub fn octets(&self, what: &'static str) -> Result<Vec<u8>, DecodeError> {
        if !self.tag.constructed {
            return Ok(self.content.to_vec());
        }
        let mut out = Vec::new();
        for child in self.children(what)? {
            out.extend_from_slice(&child?.octets(what)?);
        }
        Ok(out)
    }

    /// A character string (VisibleString, GeneralString, ...) as UTF-8,
    /// replacing invalid sequences with U+FFFD.
    pub fn string(&self, what: &'static str) -> Result<String, DecodeError> {
        let bytes = self.octets(what)?;
        Ok(match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// NULL content (must be empty).
    pub fn null(&self, what: &'static str) -> Result<(), DecodeError> {
        if self.primitive(what)?.is_empty() {
            Ok(())
        } else {
            Err(self.err(DecodeErrorKind::InvalidValue("NULL must be empty"), what))
        }
    }

    /// OBJECT IDENTIFIER content.
    pub fn oid(&self, what: &'static str) -> Result<Oid, DecodeError> {
        let c = self.primitive(what)?;
        Oid::from_ber(c)
            .ok_or_else(|| self.err(DecodeErrorKind::InvalidValue("bad OBJECT IDENTIFIER"), what))
    }

    /// BIT STRING content (primitive form).
    pub fn bits(&self, what: &'static str) -> Result<BitString, DecodeError> {
        let c = self.primitive(what)?;
        let Some((&unused, data)) = c.split_first() else {
            return Err(self.err(DecodeErrorKind::InvalidValue("empty BIT STRING"), what));
        };
        if unused > 7 || (data.is_empty() && unused != 0) {
            return Err(self.err(
                DecodeErrorKind::InvalidValue("bad BIT STRING padding"),
                what,
            ));
        }
        let n = data.len() * 8 - usize::from(unused);
        let bits = (0..n)
            .map(|i| data[i / 8] & (0x80 >> (i % 8)) != 0)
            .collect();
        Ok(BitString(bits))
    }

    /// Check the tag is `[class number]` (constructed bit ignored).
    pub fn expect(&self, class: Class, number: u32, what: &'static str) -> Result<(), DecodeError> {
        if self.tag.is(class, number) {
            Ok(())
        } else {
            Err(self.err(DecodeErrorKind::UnexpectedTag(self.tag), what))
        }
    }
}

/// Re-encode an element with definite lengths throughout (so raw values
/// kept for later re-sending never carry indefinite lengths).
pub fn to_definite(el: &Element<'_>) -> Result<Vec<u8>, DecodeError> {
    let mut w = Writer::new();
    write_definite(&mut w, el)?;
    Ok(w.into_bytes())
}

fn write_definite(w: &mut Writer, el: &Element<'_>) -> Result<(), DecodeError> {
    if !el.tag.constructed {
        w.primitive(el.tag, el.content);
        return Ok(());
    }
    let mut inner = Writer::new();
    for c in el.children("element")? {
        write_definite(&mut inner, &c?)?;
    }
    let content = inner.into_bytes();
    w.constructed(el.tag, |w| w.raw(&content));
    Ok(())
}

/// A BIT STRING as a vector of bits (bit 0 first).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct BitString(pub Vec<bool>);

impl BitString {
    /// A bit string of the given bit positions set (length = highest + 1).
    pub fn from_bits(set: &[usize]) -> BitString {
        let len = set.iter().map(|b| b + 1).max().unwrap_or(0);
        let mut v = vec![false; len];
        for &b in set {
            v[b] = true;
        }
        BitString(v)
    }

    /// Whether bit `i` is set (false beyond the end).
    pub fn get(&self, i: usize) -> bool {
        self.0.get(i).copied().unwrap_or(false)
    }

    /// Set or clear bit `i`, growing the string as needed.
    pub fn set(&mut self, i: usize, value: bool) {
        if i >= self.0.len() {
            if !value {
                return;
            }
            self.0.resize(i + 1, false);
        }
        self.0[i] = value;
    }

    /// Bitwise AND, with the length of the shorter string.
    pub fn intersect(&self, other: &BitString) -> BitString {
        BitString(self.0.iter().zip(&other.0).map(|(a, b)| *a && *b).collect())
    }

    /// Positions of the set bits.
    pub fn ones(&self) -> Vec<usize> {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, b)| **b)
            .map(|(i, _)| i)
            .collect()
    }
}

/// Builds BER with definite lengths.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    fn header(&mut self, tag: Tag, len: usize) {
        let class_bits = match tag.class {
            Class::Universal => 0x00,
            Class::Application => 0x40,
            Class::Context => 0x80,
            Class::Private => 0xC0,
        };
        let c = if tag.constructed { 0x20 } else { 0 };
        if tag.number < 31 {
            self.buf.push(class_bits | c | tag.number as u8);
        } else {
            self.buf.push(class_bits | c | 0x1F);
            let mut groups = Vec::new();
            let mut n = tag.number;
            loop {
                groups.push((n & 0x7F) as u8);
                n >>= 7;
                if n == 0 {
                    break;
                }
            }
            for (i, g) in groups.iter().enumerate().rev() {
                self.buf.push(if i > 0 { g | 0x80 } else { *g });
            }
        }
        if len < 0x80 {
            self.buf.push(len as u8);
        } else {
            let bytes = (len as u64).to_be_bytes();
            let skip = bytes.iter().take_while(|b| **b == 0).count();
            self.buf.push(0x80 | (8 - skip) as u8);
            self.buf.extend_from_slice(&bytes[skip..]);
        }
    }

    /// A primitive element with the given content.
    pub fn primitive(&mut self, tag: Tag, content: &[u8]) {
        self.header(tag, content.len());
        self.buf.extend_from_slice(content);
    }

    /// A constructed element whose content is written by `f`.
    pub fn constructed(&mut self, tag: Tag, f: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::new();
        f(&mut inner);
        let tag = Tag {
            constructed: true,
            ..tag
        };
        self.header(tag, inner.buf.len());
        self.buf.extend_from_slice(&inner.buf);
    }

    /// Already-encoded bytes, verbatim.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// INTEGER (minimal two's complement).
    pub fn integer(&mut self, tag: Tag, v: i64) {
        let bytes = v.to_be_bytes();
        let mut start = 0;
        while start < 7 {
            let (b, next) = (bytes[start], bytes[start + 1]);
            if (b == 0x00 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) {
                start += 1;
            } else {
                break;
            }
        }
        self.primitive(tag, &bytes[start..]);
    }

    /// BOOLEAN. TRUE is written as 0x01, as YAZ does (any non-zero octet
    /// is TRUE in BER; matching YAZ keeps our bytes identical to its).
    pub fn boolean(&mut self, tag: Tag, v: bool) {
        self.primitive(tag, &[u8::from(v)]);
    }

    /// NULL.
    pub fn null(&mut self, tag: Tag) {
        self.primitive(tag, &[]);
    }

    /// OBJECT IDENTIFIER.
    pub fn oid(&mut self, tag: Tag, oid: &Oid) {
        self.primitive(tag, &oid.to_ber());
    }

    /// BIT STRING.
    pub fn bits(&mut self, tag: Tag, bits: &BitString) {
        let n = bits.0.len();
        let mut content = vec![((8 - n % 8) % 8) as u8];
        content.resize(1 + n.div_ceil(8), 0);
        for (i, b) in bits.0.iter().enumerate() {
            if *b {
                content[1 + i / 8] |= 0x80 >> (i % 8);
            }
        }
        self.primitive(tag, &content);
    }

    /// Optional helpers: write only when `Some`.
    pub fn opt_integer(&mut self, tag: Tag, v: Option<i64>) {
        if let Some(v) = v {
            self.integer(tag, v);
        }
    }

    /// Write a string as a primitive element when `Some`.
    pub fn opt_string(&mut self, tag: Tag, v: Option<&str>) {
        if let Some(v) = v {
            self.primitive(tag, v.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_tag_numbers() {
        for (tag, bytes) in [
            (Tag::ctx_c(20), vec![0xB4, 0x00]),
            (Tag::ctx_c(35), vec![0xBF, 0x23, 0x00]),
            (Tag::ctx_c(48), vec![0xBF, 0x30, 0x00]),
            (Tag::ctx(104), vec![0x9F, 0x68, 0x00]),
            (Tag::ctx(211), vec![0x9F, 0x81, 0x53, 0x00]),
        ] {
            let mut w = Writer::new();
            w.primitive(tag, &[]);
            assert_eq!(w.into_bytes(), bytes, "{tag}");
            let (el, n) = read_element(&bytes, 0).unwrap();
            assert_eq!(
                (el.tag.number, el.tag.class, n),
                (tag.number, Class::Context, bytes.len())
            );
        }
    }

    #[test]
    fn integers() {
        for (v, content) in [
            (0i64, vec![0x00]),
            (127, vec![0x7F]),
            (128, vec![0x00, 0x80]),
            (256, vec![0x01, 0x00]),
            (-1, vec![0xFF]),
            (-128, vec![0x80]),
            (-129, vec![0xFF, 0x7F]),
            (1048576, vec![0x10, 0x00, 0x00]),
            (
                i64::MAX,
                vec![0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            ),
            (i64::MIN, vec![0x80, 0, 0, 0, 0, 0, 0, 0]),
        ] {
            let mut w = Writer::new();
            w.integer(Tag::univ(2), v);
            let bytes = w.into_bytes();
            assert_eq!(&bytes[2..], &content[..], "{v}");
            assert_eq!(read_element(&bytes, 0).unwrap().0.integer("x").unwrap(), v);
        }
        let nine = [0x02, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(
            read_element(&nine, 0)
                .unwrap()
                .0
                .integer("x")
                .unwrap_err()
                .kind,
            DecodeErrorKind::IntegerOverflow
        );
    }

    #[test]
    fn long_lengths() {
        let mut w = Writer::new();
        w.primitive(Tag::univ(4), &[7u8; 300]);
        let bytes = w.into_bytes();
        assert_eq!(&bytes[..4], &[0x04, 0x82, 0x01, 0x2C]);
        assert_eq!(pdu_length(&bytes, 1000).unwrap(), Some(304));
        assert_eq!(pdu_length(&bytes[..100], 1000).unwrap(), None);
        assert_eq!(pdu_length(&bytes[..2], 1000).unwrap(), None);
        let e = pdu_length(&bytes[..4], 100).unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::LengthTooLarge {
                declared: 304,
                max: 100
            }
        );
        // A huge declared length is refused without waiting for the data.
        let huge = [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF];
        assert!(pdu_length(&huge, 1 << 20).is_err());
        assert_eq!(pdu_length(&[], 10).unwrap(), None);
        // 0xFF length octet and > 8 length bytes are malformed.
        assert!(pdu_length(&[0x04, 0xFF], 10).is_err());
        assert!(pdu_length(&[0x04, 0x89], 10).is_err());
        // Indefinite length on a primitive is malformed.
        assert!(pdu_length(&[0x04, 0x80], 10).is_err());
    }

    #[test]
    fn indefinite_lengths() {
        // SEQUENCE (indef) { INTEGER 5, SEQUENCE (indef) { NULL } }
        let bytes = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        assert_eq!(pdu_length(&bytes, 100).unwrap(), Some(13));
        for cut in 0..13 {
            assert_eq!(pdu_length(&bytes[..cut], 100).unwrap(), None, "cut {cut}");
        }
        let (el, n) = read_element(&bytes, 0).unwrap();
        assert_eq!(n, 13);
        let kids: Vec<_> = el.children("t").unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].integer("i").unwrap(), 5);
        assert_eq!(kids[1].content, &[0x05, 0x00]);
        assert_eq!(kids[1].offset, 5);
    }

    #[test]
    fn bit_strings() {
        let b = BitString::from_bits(&[0, 1, 2]);
        let mut w = Writer::new();
        w.bits(Tag::ctx(3), &b);
        let bytes = w.into_bytes();
        assert_eq!(bytes, vec![0x83, 0x02, 0x05, 0xE0]);
        assert_eq!(read_element(&bytes, 0).unwrap().0.bits("v").unwrap(), b);
        let mut w = Writer::new();
        w.bits(Tag::ctx(3), &BitString::default());
        assert_eq!(w.into_bytes(), vec![0x83, 0x01, 0x00]);
        assert!(b.get(2) && !b.get(3) && !b.get(100));
        assert_eq!(
            BitString::from_bits(&[0, 1, 7, 9])
                .intersect(&BitString::from_bits(&[1, 9]))
                .ones(),
            vec![1, 9]
        );
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let mut bytes = Vec::new();
        for _ in 0..200 {
            bytes.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..200 {
            bytes.extend_from_slice(&[0, 0]);
        }
        assert_eq!(
            pdu_length(&bytes, 1 << 20).unwrap_err().kind,
            DecodeErrorKind::TooDeep
        );
    }
}
