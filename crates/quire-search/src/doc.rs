//! The flat document the index receives for one bibliographic record.

use serde::{Deserialize, Serialize};

/// One bibliographic record flattened for indexing.
///
/// The lead's MARC layer builds it; this crate does not know MARC. Strings
/// are display forms; the index folds and normalises them itself.
/// Identifiers should already be normalised (ISBN both as 10 and 13 digits
/// without hyphens); they are compacted again defensively.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BibDoc {
    /// Primary key of the record in the database; unique in the index.
    pub record_id: i64,
    /// Title proper (245 $a, plus $n/$p if the lead wants).
    pub title: String,
    /// Title with non-filing characters stripped, used for sorting and title
    /// browse (folded again by the index).
    pub title_sort: String,
    /// Remainder of title (245 $b).
    pub subtitle: String,
    /// Other titles searched as title (246, 130/240, 740), lower weight.
    pub other_titles: Vec<String>,
    /// Names: main entry first (1XX), then added entries (7XX).
    pub authors: Vec<String>,
    /// Subject headings as display strings (`"World War, 1939-1945 -- Fiction"`).
    pub subjects: Vec<String>,
    /// Series titles (490/8XX).
    pub series: Vec<String>,
    /// Publisher names.
    pub publisher: Vec<String>,
    /// Places of publication.
    pub place: Vec<String>,
    /// Year of publication (008/07-10 or 264 $c).
    pub year: Option<i32>,
    /// MARC language codes (`"vie"`, `"tgl"`, `"eng"`).
    pub languages: Vec<String>,
    /// Format facet value: `book`, `ebook`, `serial`, `map`, `score`, `sound`,
    /// `music`, `video`, `kit`, `computer`, `visual`, `manuscript`, `mixed`.
    pub format: String,
    /// ISBNs, normalised (both the 10 and 13 forms when they exist).
    pub isbns: Vec<String>,
    /// ISSNs (hyphen optional).
    pub issns: Vec<String>,
    /// LCCN (normalised by the index as in protocols.md §7.3).
    pub lccn: Option<String>,
    /// Call numbers as displayed.
    pub call_numbers: Vec<String>,
    /// Shelf-order sort keys, parallel to `call_numbers`.
    pub call_number_sort_keys: Vec<String>,
    /// MARC 001.
    pub control_number: Option<String>,
    /// Other identifiers searchable as keyword (035, 024 …).
    pub other_identifiers: Vec<String>,
    /// General notes (5XX).
    pub notes: Vec<String>,
    /// Summary (520).
    pub summary: Vec<String>,
    /// Contents (505).
    pub contents: Vec<String>,
    /// Branch codes holding at least one item.
    pub branches: Vec<String>,
    /// Branch codes with at least one available item.
    pub available_branches: Vec<String>,
    /// Number of items.
    pub item_count: u32,
    /// Number of available items.
    pub available_count: u32,
    /// Suppressed from the public catalogue.
    pub suppressed: bool,
    /// Last change, seconds since the Unix epoch.
    pub updated_at: i64,
}
