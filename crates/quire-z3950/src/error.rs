//! Decoding errors.

use std::fmt;

use crate::ber::Tag;

/// A decoding error: what, where (byte offset in the PDU) and in which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// Byte offset in the PDU of the element being decoded.
    pub offset: usize,
    /// The ASN.1 field or type being decoded (e.g. `"InitializeRequest.options"`).
    pub field: &'static str,
}

/// Kinds of decoding errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The input ends inside an element.
    Truncated,
    /// A declared length exceeds the allowed maximum.
    LengthTooLarge {
        /// Declared total length.
        declared: u64,
        /// The maximum.
        max: u64,
    },
    /// A malformed length octet sequence.
    InvalidLength,
    /// A malformed tag.
    InvalidTag,
    /// Elements nest deeper than [`crate::ber::MAX_DEPTH`].
    TooDeep,
    /// A tag that is not allowed here.
    UnexpectedTag(Tag),
    /// A mandatory field is missing.
    MissingField,
    /// A value that is malformed for its type (the text says how).
    InvalidValue(&'static str),
    /// An INTEGER that does not fit in 64 bits.
    IntegerOverflow,
    /// An APDU this crate does not implement (tag number given). The server
    /// should answer with Close (protocolError) or a diagnostic.
    UnsupportedApdu(u32),
    /// A feature this crate does not implement (e.g. record fragments).
    Unsupported(&'static str),
    /// Bytes left over after the APDU.
    TrailingData,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, offset: usize, field: &'static str) -> Self {
        DecodeError {
            kind,
            offset,
            field,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecodeErrorKind::*;
        match &self.kind {
            Truncated => write!(f, "truncated element")?,
            LengthTooLarge { declared, max } => {
                write!(f, "declared length {declared} exceeds maximum {max}")?
            }
            InvalidLength => write!(f, "malformed length")?,
            InvalidTag => write!(f, "malformed tag")?,
            TooDeep => write!(f, "elements nested too deeply")?,
            UnexpectedTag(t) => write!(f, "unexpected tag {t}")?,
            MissingField => write!(f, "missing mandatory field")?,
            InvalidValue(why) => write!(f, "invalid value: {why}")?,
            IntegerOverflow => write!(f, "INTEGER does not fit in 64 bits")?,
            UnsupportedApdu(n) => write!(f, "unsupported APDU [{n}]")?,
            Unsupported(what) => write!(f, "unsupported: {what}")?,
            TrailingData => write!(f, "trailing data after the APDU")?,
        }
        write!(f, " in {} at byte {}", self.field, self.offset)
    }
}

impl std::error::Error for DecodeError {}
