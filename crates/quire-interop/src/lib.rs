//! Quire's catalog interoperability adapters.
//!
//! * [`sru`]: SRU 1.2 and 2.0 (`explain`, `searchRetrieve`, `scan`) with
//!   CQL queries mapped onto [`quire_search::Query`] by [`cql_map`].
//! * [`oai`]: OAI-PMH 2.0 (all six verbs, `oai_dc` and `marc21`, sets by
//!   branch and format, stable resumption tokens, persistent deletions).
//! * [`dc`]: the MARC → simple Dublin Core crosswalk both use.
//!
//! The entry points take a [`quire_library::Library`] and the request
//! parameters as `(name, value)` pairs and return the XML body
//! ([`oai_response`] also an HTTP status, for when the repository itself
//! fails); the HTTP adapter (quire-web) only decodes parameters and sets the
//! content type.
//! Everything goes through the same service calls as the OPAC: no SQL, no
//! business rules here.
//!
//! The default feature `service` adds those entry points (and the
//! dependency on `quire-library`); without it the crate is the pure
//! protocol core (parsers, mapping, XML writers), which the fuzz targets
//! use.

#![warn(missing_docs)]

pub mod bib1;
#[cfg(feature = "service")]
pub mod copycat;
pub mod cql_map;
pub mod dc;
pub mod oai;
pub mod sru;
mod xml;
#[cfg(feature = "service")]
pub mod z3950;

pub use cql_map::{Mapped, map_cql};
pub use oai::OaiConfig;
#[cfg(feature = "service")]
pub use oai::oai_response;
#[cfg(feature = "service")]
pub use sru::sru_response;
