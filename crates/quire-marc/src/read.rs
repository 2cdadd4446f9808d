//! Types shared by all readers: what a reader yields per record.

use std::fmt;

use crate::record::{Record, Tag};

/// Where a record was found in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SourcePos {
    /// 0-based index of the record in the input (good and bad records both
    /// count).
    pub index: usize,
    /// Byte offset of the first byte of the record in the input.
    pub byte_offset: u64,
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record #{} at byte {}", self.index, self.byte_offset)
    }
}

/// The kind of a recoverable problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// Bytes that are not part of any record (CR/LF, NUL, ^Z, ...) were skipped.
    Filler,
    /// Leader positions were not what they should be (non-numeric lengths,
    /// non-ASCII bytes, wrong length).
    Leader,
    /// The leader's record length disagrees with where the record ends.
    RecordLength,
    /// The record terminator (0x1D) was missing.
    RecordTerminator,
    /// Directory problems (bad entry, missing terminator, wrong base address).
    Directory,
    /// A field's bytes did not match its directory entry or lacked its
    /// terminator.
    FieldBoundary,
    /// A tag is not three digits.
    Tag,
    /// An indicator is not a digit/letter/blank.
    Indicator,
    /// Subfield structure problems (data before the first delimiter, empty
    /// or non-ASCII subfield codes, empty subfields).
    Subfield,
    /// Character encoding: invalid UTF-8, unmappable MARC-8, mislabelled
    /// or unknown encodings.
    Encoding,
    /// Structural problems in MARCXML or MARC-in-JSON input.
    Structure,
}

/// One recoverable problem found while reading a record. The record was
/// still produced; the warning says precisely what was repaired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Category.
    pub kind: WarningKind,
    /// Tag of the field concerned, if any.
    pub tag: Option<Tag>,
    /// Byte offset inside the record's raw bytes, if known.
    pub offset: Option<usize>,
    /// Human-readable, precise description.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(kind: WarningKind, message: impl Into<String>) -> Self {
        Warning {
            kind,
            tag: None,
            offset: None,
            message: message.into(),
        }
    }
    pub(crate) fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }
    pub(crate) fn tag(mut self, tag: Tag) -> Self {
        self.tag = Some(tag);
        self
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(t) = self.tag {
            write!(f, "field {t}: ")?;
        }
        if let Some(o) = self.offset {
            write!(f, "byte {o}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A successfully read (possibly repaired) record. `Default` gives an empty
/// buffer for [`Iso2709Reader::read_into`](crate::Iso2709Reader::read_into).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ReadRecord {
    /// The record, values in UTF-8.
    pub record: Record,
    /// Every repair made while reading (empty for a clean record).
    pub warnings: Vec<Warning>,
    /// Where the record was found.
    pub position: SourcePos,
    /// The record's original bytes, exactly as in the input.
    pub raw: Vec<u8>,
}

/// Why a record could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadRecordKind {
    /// The bytes do not form a usable record; the reader went on with the next one.
    Malformed,
    /// An I/O error; the iteration ends after this item.
    Io,
}

/// A record (or a stretch of input) that could not be turned into a
/// [`Record`]. Readers yield it and carry on with the next record, so an
/// importer can quarantine `raw` and continue.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {reason}")]
pub struct BadRecord {
    /// The bytes that were skipped.
    pub raw: Vec<u8>,
    /// Where they were.
    pub position: SourcePos,
    /// Precise reason.
    pub reason: String,
    /// Malformed data or I/O failure.
    pub kind: BadRecordKind,
}

/// What every reader yields.
pub type ReadResult = Result<ReadRecord, BadRecord>;
