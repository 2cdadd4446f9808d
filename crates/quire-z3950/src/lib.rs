//! Pure Z39.50 codec for Quire: BER encoding and decoding of the APDUs
//! an ILS needs as server and as copy-cataloguing client — Init, Search,
//! Present, DeleteResultSet, Scan and Close — with type-1 (RPN) queries, records in
//! EXTERNAL (MARC, XML, SUTRS, OPAC holdings/circulation) and Bib-1
//! diagnostics. No sockets, no async.
//!
//! * Frame a TCP stream with [`pdu_length`], decode with [`Apdu::decode`],
//!   answer with [`Apdu::encode`].
//! * Decoding never panics; unknown APDUs give
//!   [`DecodeErrorKind::UnsupportedApdu`] so the server can send
//!   [`protocol_error_close`] (or a diagnostic) instead.
//! * [`RpnQuery::from_pqf`] / [`RpnQuery::to_pqf`] bridge to the PQF
//!   parser in `quire-cql`.
//!
//! ```
//! use quire_z3950::*;
//! let pqf = quire_cql::pqf::parse_pqf("@attr 1=4 hobbit").unwrap();
//! let req = Apdu::SearchRequest(SearchRequest {
//!     reference_id: None,
//!     small_set_upper_bound: 0,
//!     large_set_lower_bound: 1,
//!     medium_set_present_number: 0,
//!     replace_indicator: true,
//!     result_set_name: "default".into(),
//!     database_names: vec!["Default".into()],
//!     small_set_element_set_names: None,
//!     medium_set_element_set_names: None,
//!     preferred_record_syntax: Some(oid::known::usmarc()),
//!     query: Query::Type1(RpnQuery::from_pqf(&pqf).unwrap()),
//! });
//! let bytes = req.encode();
//! assert_eq!(pdu_length(&bytes, 1 << 20).unwrap(), Some(bytes.len()));
//! assert_eq!(Apdu::decode(&bytes).unwrap(), req);
//! ```

#![warn(missing_docs)]

pub mod apdu;
pub mod ber;
pub mod error;
pub mod external;
pub mod oid;
pub mod query;

pub use apdu::{
    Apdu, Close, CloseReason, DefaultDiagFormat, DeleteResultSetRequest, DeleteResultSetResponse,
    DiagRec, ElementSetNames, IdAuthentication, InitRequest, InitResponse, NamePlusRecord,
    PresentRequest, PresentResponse, RecordContent, Records, ScanEntry, ScanRequest, ScanResponse,
    SearchRequest, SearchResponse, TermInfo, accept_init, options, protocol_error_close,
};
pub use ber::{BitString, pdu_length};
pub use error::{DecodeError, DecodeErrorKind};
pub use external::{
    CircRecord, External, ExternalEncoding, HoldingsAndCirc, HoldingsRecord, OpacRecord, Volume,
};
pub use oid::Oid;
pub use query::{
    AttributeElement, AttributeValue, AttributesPlusTerm, Operand, Operator, PqfConversionError,
    ProximityOperator, ProximityUnit, Query, RpnQuery, RpnStructure, StringOrNumeric, Term,
};

#[cfg(test)]
mod tests;
