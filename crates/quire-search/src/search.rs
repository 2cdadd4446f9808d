//! Search requests and results.

use serde::{Deserialize, Serialize};

use crate::facets::Facets;
use crate::query::Query;

/// Most hits returned by one request (`limit` is clamped to it).
pub const MAX_LIMIT: usize = 1000;
/// Deepest result window (`offset + limit`) served; deeper pages are empty.
pub const MAX_WINDOW: usize = 100_000;

/// A facet selection restricting the result set.
///
/// Several `Format`, `Language` or `Branch` filters are ORed with each
/// other (ticking two formats shows either); all other combinations are
/// ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Filter {
    /// Format code.
    Format(String),
    /// MARC language code.
    Language(String),
    /// Publication year range, inclusive; `None` = open.
    YearRange {
        /// Lowest year.
        from: Option<i32>,
        /// Highest year.
        to: Option<i32>,
    },
    /// Subject heading, as displayed in the subject facet.
    Subject(String),
    /// Branch code holding an item.
    Branch(String),
    /// At least one item is available (anywhere).
    AvailableOnly,
    /// At least one item is available at this branch.
    AvailableAt(String),
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// By filing title (`title_sort`), A–Z.
    Title,
    /// By first author, A–Z; records without author last.
    Author,
    /// Newest publication year first; records without year last.
    DateNewest,
    /// Oldest publication year first; records without year last.
    DateOldest,
}

/// A search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// What to find.
    pub query: Query,
    /// Facet selections.
    pub filters: Vec<Filter>,
    /// Result order.
    pub sort: SortOrder,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return (clamped to [`MAX_LIMIT`]; 0 returns only counts).
    pub limit: usize,
    /// Compute facets over the whole result set.
    pub facets: bool,
    /// Include records suppressed from the public catalogue (staff views).
    pub include_suppressed: bool,
}

impl SearchRequest {
    /// A relevance-ranked request for the first 20 hits, without facets.
    pub fn new(query: Query) -> Self {
        SearchRequest {
            query,
            filters: Vec::new(),
            sort: SortOrder::Relevance,
            offset: 0,
            limit: 20,
            facets: false,
            include_suppressed: false,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The record.
    pub record_id: i64,
    /// Relevance score (0 when sorted by something else).
    pub score: f32,
}

/// Results of a search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching records.
    pub total: u64,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Facet counts, empty unless requested.
    pub facets: Facets,
}
