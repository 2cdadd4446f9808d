//! Facet counting: a tantivy collector over the fast-field columns.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::names;

/// How many subject values are returned.
pub const SUBJECT_FACET_LIMIT: usize = 20;
/// How many values of the other facets are returned at most.
pub const FACET_LIMIT: usize = 100;
/// Distinct values of one facet kept per segment before merging. Counts are
/// exact unless a segment holds more distinct values (in practice only
/// subjects of a broad query); then only the long tail is dropped.
const SEGMENT_VALUE_LIMIT: usize = 2000;

/// Counted refinements of a result set. Values are sorted by descending
/// count, then by value; year ranges by descending decade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Format codes (`book`, `ebook` …).
    pub format: Vec<(String, u64)>,
    /// MARC language codes.
    pub language: Vec<(String, u64)>,
    /// Decades (`"2010-2019"`).
    pub year_ranges: Vec<(String, u64)>,
    /// Subject headings (top [`SUBJECT_FACET_LIMIT`]).
    pub subject: Vec<(String, u64)>,
    /// Branch codes holding items.
    pub branch: Vec<(String, u64)>,
    /// `"available"` (some item available) and `"unavailable"` (items, none
    /// available); records without items are not counted.
    pub availability: Vec<(String, u64)>,
}

/// Collector of [`Facets`]; when disabled it does nothing.
pub(crate) struct FacetCollector {
    pub enabled: bool,
}

/// Per-segment counts.
pub(crate) struct SegmentFacets {
    str_columns: Vec<Option<StrColumn>>,
    str_counts: Vec<Vec<u64>>,
    year: Option<Column<i64>>,
    decades: HashMap<i64, u64>,
    available: Option<Column<u64>>,
    item_count: Option<Column<u64>>,
    avail_yes: u64,
    avail_no: u64,
}

/// Fruit of one segment: counts by value.
#[derive(Default)]
pub(crate) struct FacetFruit {
    str_counts: Vec<HashMap<String, u64>>,
    decades: HashMap<i64, u64>,
    avail_yes: u64,
    avail_no: u64,
}

const STR_FACETS: [&str; 4] = [
    names::FORMAT,
    names::LANGUAGE,
    names::SUBJECT_FACET,
    names::BRANCH,
];

impl Collector for FacetCollector {
    type Fruit = Option<Facets>;
    type Child = Option<SegmentFacets>;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        if !self.enabled {
            return Ok(None);
        }
        let ff = segment.fast_fields();
        let mut str_columns = Vec::new();
        let mut str_counts = Vec::new();
        for name in STR_FACETS {
            let col = ff.str(name)?;
            str_counts.push(vec![0u64; col.as_ref().map_or(0, |c| c.num_terms())]);
            str_columns.push(col);
        }
        Ok(Some(SegmentFacets {
            str_columns,
            str_counts,
            year: ff.column_opt::<i64>(names::YEAR)?,
            decades: HashMap::new(),
            available: ff.column_opt::<u64>(names::AVAILABLE_COUNT)?,
            item_count: ff.column_opt::<u64>(names::ITEM_COUNT)?,
            avail_yes: 0,
            avail_no: 0,
        }))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Option<FacetFruit>>) -> tantivy::Result<Option<Facets>> {
        if !self.enabled {
            return Ok(None);
        }
        let mut total = FacetFruit {
            str_counts: vec![HashMap::new(); STR_FACETS.len()],
            ..FacetFruit::default()
        };
        for fruit in fruits.into_iter().flatten() {
            for (acc, part) in total.str_counts.iter_mut().zip(fruit.str_counts) {
                for (k, v) in part {
                    *acc.entry(k).or_insert(0) += v;
                }
            }
            for (k, v) in fruit.decades {
                *total.decades.entry(k).or_insert(0) += v;
            }
            total.avail_yes += fruit.avail_yes;
            total.avail_no += fruit.avail_no;
        }
        let mut str_counts = total.str_counts.into_iter();
        let mut next = |limit: usize| sorted(str_counts.next().unwrap_or_default(), limit);
        let format = next(FACET_LIMIT);
        let language = next(FACET_LIMIT);
        let subject = next(SUBJECT_FACET_LIMIT);
        let branch = next(FACET_LIMIT);
        let mut decades: Vec<(i64, u64)> = total.decades.into_iter().collect();
        decades.sort_by_key(|d| std::cmp::Reverse(d.0));
        let year_ranges = decades
            .into_iter()
            .map(|(d, n)| (format!("{}-{}", d, d + 9), n))
            .collect();
        let mut availability = Vec::new();
        if total.avail_yes > 0 {
            availability.push(("available".to_string(), total.avail_yes));
        }
        if total.avail_no > 0 {
            availability.push(("unavailable".to_string(), total.avail_no));
        }
        Ok(Some(Facets {
            format,
            language,
            year_ranges,
            subject,
            branch,
            availability,
        }))
    }
}

fn sorted(counts: HashMap<String, u64>, limit: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts.into_iter().filter(|(k, _)| !k.is_empty()).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(limit);
    v
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (col, counts) in self.str_columns.iter().zip(self.str_counts.iter_mut()) {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    if let Some(c) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                        *c += 1;
                    }
                }
            }
        }
        if let Some(y) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.decades.entry(y.div_euclid(10) * 10).or_insert(0) += 1;
        }
        let items = self
            .item_count
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        let avail = self
            .available
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        if avail > 0 {
            self.avail_yes += 1;
        } else if items > 0 {
            self.avail_no += 1;
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut str_counts = Vec::with_capacity(self.str_columns.len());
        for (col, counts) in self.str_columns.iter().zip(self.str_counts) {
            let mut map = HashMap::new();
            if let Some(col) = col {
                let mut nonzero: Vec<(u64, usize)> = counts
                    .into_iter()
                    .enumerate()
                    .filter(|&(_, n)| n > 0)
                    .map(|(ord, n)| (n, ord))
                    .collect();
                if nonzero.len() > SEGMENT_VALUE_LIMIT {
                    // Keep the most frequent values of this segment only:
                    // resolving every ordinal to a string is the expensive
                    // part of faceting a broad query on a large index.
                    nonzero.select_nth_unstable_by(SEGMENT_VALUE_LIMIT, |a, b| b.0.cmp(&a.0));
                    nonzero.truncate(SEGMENT_VALUE_LIMIT);
                }
                let mut buf = String::new();
                for (n, ord) in nonzero {
                    if col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                        map.insert(buf.clone(), n);
                    }
                }
            }
            str_counts.push(map);
        }
        FacetFruit {
            str_counts,
            decades: self.decades,
            avail_yes: self.avail_yes,
            avail_no: self.avail_no,
        }
    }
}
