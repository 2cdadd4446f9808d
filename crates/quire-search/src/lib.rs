//! Quire's search index: derived, rebuildable full-text search over flat
//! bibliographic documents.
//!
//! The database is the source of truth. The service layer feeds
//! [`BibDoc`]s from its change log (outbox) into [`SearchIndex::upsert`] /
//! [`SearchIndex::delete`] and calls [`SearchIndex::commit`] with the outbox
//! position; after a crash [`SearchIndex::last_watermark`] says where to
//! resume. The OPAC, SRU and Z39.50 layers build a [`Query`] (or use
//! [`Query::parse_simple`] for the search box) and call
//! [`SearchIndex::search`], [`SearchIndex::browse`] or
//! [`SearchIndex::doc_ids_for`].
//!
//! ```
//! use quire_search::{BibDoc, Query, SearchIndex, SearchRequest};
//!
//! let index = SearchIndex::in_memory().unwrap();
//! index.upsert(&[BibDoc {
//!     record_id: 7,
//!     title: "Tiếng Việt cơ bản".into(),
//!     format: "book".into(),
//!     ..BibDoc::default()
//! }]).unwrap();
//! index.commit(1).unwrap();
//! let res = index.search(&SearchRequest::new(Query::parse_simple("tieng viet"))).unwrap();
//! assert_eq!(res.hits[0].record_id, 7);
//! assert_eq!(index.last_watermark().unwrap(), Some(1));
//! ```

#![warn(missing_docs)]

pub mod analysis;
mod browse;
mod compile;
mod doc;
mod error;
mod facets;
pub mod ident;
mod index;
mod query;
mod schema;
mod search;

pub use browse::{BrowseEntry, BrowseField, MAX_BROWSE_SIDE};
pub use compile::MAX_QUERY_DEPTH;
pub use doc::BibDoc;
pub use error::{Error, Result};
pub use facets::{FACET_LIMIT, Facets, SUBJECT_FACET_LIMIT};
pub use index::{IndexOptions, SearchIndex};
pub use query::{Field, MatchMode, Query};
pub use schema::SCHEMA_VERSION;
pub use search::{Filter, Hit, MAX_LIMIT, MAX_WINDOW, SearchRequest, SearchResults, SortOrder};

#[cfg(test)]
mod tests;
