//! MARC 21 for Quire: a record model, streaming and lenient readers for
//! ISO 2709, MARCXML and MARC-in-JSON, MARC-8 decoding, writers for all
//! three formats plus a human-readable dump, and pure helpers that extract
//! bibliographic summaries and holdings/items from records.
//!
//! # Quick tour
//!
//! ```
//! use quire_marc::{bib, holdings::HoldingsMapping, open_reader, Record};
//! # let bytes = quire_marc::iso2709::to_bytes(&Record::new()).unwrap();
//! # let input = std::io::Cursor::new(bytes);
//! // Any format, auto-detected; one item per record, bad ones included.
//! for item in open_reader(input) {
//!     match item {
//!         Ok(r) => {
//!             for w in &r.warnings {
//!                 eprintln!("{}: repaired: {w}", r.position);
//!             }
//!             let summary = bib::summarize(&r.record);
//!             let items = HoldingsMapping::koha_952().extract(&r.record);
//!             let _ = (summary.title, items.len());
//!         }
//!         // Quarantine `bad.raw` with `bad.reason`; reading goes on.
//!         Err(bad) => eprintln!("bad record: {bad}"),
//!     }
//! }
//! ```
//!
//! * Readers: [`Iso2709Reader`] (also [`Iso2709Reader::read_into`] for
//!   allocation-free bulk loads), [`MarcXmlReader`], [`MarcJsonReader`],
//!   [`open_reader`] / [`detect`] / [`reader_for`].
//! * Writers: [`iso2709::to_bytes`] / [`Iso2709Writer`], [`xml::to_string`] /
//!   [`MarcXmlWriter`], [`json::to_string`] / [`MarcJsonWriter`],
//!   [`text::to_string`] / [`TextWriter`].
//! * [`marc8::decode`] for MARC-8 byte strings.
//! * [`bib`] and [`holdings`] helpers.
//!
//! See `ARCHITECTURE.md` for the module map, invariants and the leniency and
//! encoding decisions.

#![warn(missing_docs)]

pub mod bib;
mod decode;
mod detect;
pub mod edit;
pub mod fixed;
pub mod holdings;
pub mod iso2709;
pub mod json;
mod json_de;
pub mod marc8;
pub mod normalize;
mod read;
mod record;
pub mod text;
pub mod xml;

pub use detect::{Format, RecordIter, detect, open_reader, open_reader_detected, reader_for};
pub use iso2709::{Iso2709Reader, Iso2709Writer, WriteError};
pub use json::{MarcJsonReader, MarcJsonWriter};
pub use read::{BadRecord, BadRecordKind, ReadRecord, ReadResult, SourcePos, Warning, WarningKind};
pub use record::{Field, Leader, Record, Subfield, Tag};
pub use text::TextWriter;
pub use xml::{MarcXmlReader, MarcXmlWriter};
