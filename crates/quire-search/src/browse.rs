//! Browse (Z39.50 Scan, SRU scan, OPAC shelf/author/subject browse).
//!
//! Each browse field is a raw indexed field whose terms are
//! `sort_key \u{1} display`. The term dictionary is sorted, so the
//! neighbours of a starting point are found by streaming the dictionary of
//! every segment forward (`>= from`) and backward (`< from`) — work
//! proportional to the page size and the number of segments, not to the
//! index size. Counts exclude deleted documents; suppressed records never
//! contribute browse terms.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Field as TField, IndexRecordOption};
use tantivy::{DocSet, SegmentReader, TERMINATED};

use crate::error::Result;
use crate::index::SearchIndex;
use crate::schema::{BROWSE_SEP, clean_display, key};

/// Most entries returned on each side of the starting point.
pub const MAX_BROWSE_SIDE: usize = 500;

/// What is browsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BrowseField {
    /// Filing titles.
    Title,
    /// Name headings.
    Author,
    /// Subject headings.
    Subject,
    /// Call numbers in shelf order (by the sort keys given in
    /// [`BibDoc::call_number_sort_keys`](crate::BibDoc::call_number_sort_keys)).
    CallNumber,
}

impl BrowseField {
    /// The key a `from` text is positioned at, exactly as
    /// [`SearchIndex::browse`] computes it. Entries whose `sort_key` is
    /// smaller come before the starting point (Z39.50 Scan's
    /// `positionOfTerm` is their count + 1).
    pub fn start_key(self, from: &str) -> String {
        match self {
            BrowseField::CallNumber => clean_display(from),
            _ => key(from),
        }
    }
}

/// One line of a browse list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowseEntry {
    /// Display form (the most frequent one when several fold to the same key).
    pub term: String,
    /// The key the list is ordered by; pass it back as `from` to page.
    pub sort_key: String,
    /// Number of (non-suppressed) records with this heading.
    pub count: u64,
}

/// Entries of one key: display form → count.
type Group = BTreeMap<String, u64>;

impl SearchIndex {
    /// Alphabetical neighbours of `from`: up to `before` entries whose key
    /// sorts before it, then up to `after` entries from it on (the first of
    /// which is the starting point itself when it exists). `before` and
    /// `after` are clamped to [`MAX_BROWSE_SIDE`].
    ///
    /// `from` is normalised like the headings (folded, punctuation
    /// collapsed) except for [`BrowseField::CallNumber`], where it must be a
    /// call-number sort key as produced by the call-number crate (it is only
    /// cleaned of control characters); an empty `from` starts at the
    /// beginning.
    pub fn browse(
        &self,
        field: BrowseField,
        from: &str,
        before: usize,
        after: usize,
    ) -> Result<Vec<BrowseEntry>> {
        let f = self.fields();
        let tfield = match field {
            BrowseField::Title => f.browse_title,
            BrowseField::Author => f.browse_author,
            BrowseField::Subject => f.browse_subject,
            BrowseField::CallNumber => f.browse_callnumber,
        };
        let start = field.start_key(from);
        let before = before.min(MAX_BROWSE_SIDE);
        let after = after.min(MAX_BROWSE_SIDE);
        let searcher = self.reader().searcher();

        let mut forward: BTreeMap<String, Group> = BTreeMap::new();
        let mut backward: BTreeMap<String, Group> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            if after > 0 {
                collect_segment(
                    segment,
                    tfield,
                    &start,
                    Direction::Forward,
                    after,
                    &mut forward,
                )?;
            }
            if before > 0 && !start.is_empty() {
                collect_segment(
                    segment,
                    tfield,
                    &start,
                    Direction::Backward,
                    before,
                    &mut backward,
                )?;
            }
        }
        let mut out: Vec<BrowseEntry> =
            backward.into_iter().rev().take(before).map(entry).collect();
        out.reverse();
        out.extend(forward.into_iter().take(after).map(entry));
        Ok(out)
    }
}

fn entry((sort_key, group): (String, Group)) -> BrowseEntry {
    let count = group.values().sum();
    // Most frequent display form; ties broken by the smallest string.
    let term = group
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    BrowseEntry {
        term,
        sort_key,
        count,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Forward,
    Backward,
}

/// Adds to `out` the terms of the first `wanted` distinct live keys of one
/// segment in `dir` from `start`. The global first N keys are among the
/// union of every segment's first N keys, so merging these is exact.
fn collect_segment(
    segment: &SegmentReader,
    field: TField,
    start: &str,
    dir: Direction,
    wanted: usize,
    out: &mut BTreeMap<String, Group>,
) -> Result<()> {
    let inverted = segment.inverted_index(field)?;
    let dict = inverted.terms();
    let builder = dict.range();
    let builder = match dir {
        Direction::Forward => builder.ge(start.as_bytes()),
        Direction::Backward => builder.lt(start.as_bytes()).backward(),
    };
    let mut stream = builder.into_stream().map_err(tantivy::TantivyError::from)?;
    let alive = segment.alive_bitset();
    let mut keys_seen = 0usize;
    let mut last_key: Option<String> = None;
    while let Some((bytes, info)) = stream.next() {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let (k, display) = text.split_once(BROWSE_SEP).unwrap_or((text, text));
        let count = match alive {
            None => u64::from(info.doc_freq),
            Some(bits) => {
                let mut postings = inverted
                    .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                let mut n = 0u64;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if bits.is_alive(doc) {
                        n += 1;
                    }
                    doc = postings.advance();
                }
                n
            }
        };
        if count == 0 {
            continue;
        }
        if last_key.as_deref() != Some(k) {
            if keys_seen == wanted {
                break;
            }
            keys_seen += 1;
            last_key = Some(k.to_string());
        }
        *out.entry(k.to_string())
            .or_default()
            .entry(display.to_string())
            .or_insert(0) += count;
    }
    Ok(())
}
