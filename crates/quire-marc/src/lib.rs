//! MARC 21 for Quire: a record model, streaming and lenient readers for
//! ISO 2709, MARCXML and MARC-in-JSON, MARC-8 decoding, writers for all
//! three formats plus a human-readable dump, and pure helpers that extract
//! bibliographic summaries and holdings/items from records.
//!
//! ```
//! use quire_marc::{open_reader, Record};
//! let bytes = quire_marc::iso2709::to_bytes(&Record::new()).unwrap();
//! for item in open_reader(std::io::Cursor::new(bytes)) {
//!     match item {
//!         Ok(r) => println!("{} warnings", r.warnings.len()),
//!         Err(bad) => eprintln!("quarantine: {bad}"),
//!     }
//! }
//! ```
//!
//! See `ARCHITECTURE.md` for the module map and invariants.

#![warn(missing_docs)]

pub mod bib;
mod decode;
mod detect;
pub mod holdings;
pub mod iso2709;
pub mod json;
pub mod marc8;
mod read;
mod record;
pub mod text;
pub mod xml;

pub use detect::{Format, RecordIter, detect, open_reader, reader_for};
pub use iso2709::{Iso2709Reader, Iso2709Writer, WriteError};
pub use json::{MarcJsonReader, MarcJsonWriter};
pub use read::{BadRecord, BadRecordKind, ReadRecord, ReadResult, SourcePos, Warning, WarningKind};
pub use record::{Field, Leader, Record, Subfield, Tag};
pub use text::TextWriter;
pub use xml::{MarcXmlReader, MarcXmlWriter};
