//! [`SearchIndex`]: opening, writing, committing and searching.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, Term,
};

use crate::analysis;
use crate::compile::Compiler;
use crate::doc::BibDoc;
use crate::error::{Error, Result};
use crate::facets::{FacetCollector, Facets};
use crate::query::Query;
use crate::schema::{self, Fields, SCHEMA_VERSION, code, names};
use crate::search::{Filter, Hit, MAX_LIMIT, MAX_WINDOW, SearchRequest, SearchResults, SortOrder};

/// File in the index directory recording the schema version.
const VERSION_FILE: &str = "quire-search-version.json";

/// Tuning of the index writer.
#[derive(Debug, Clone, Copy)]
pub struct IndexOptions {
    /// Indexing threads (each needs at least 15 MB of the budget).
    pub writer_threads: usize,
    /// Total memory budget of the writer in bytes.
    pub writer_memory_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            writer_threads: 1,
            writer_memory_bytes: 64 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct VersionInfo {
    schema_version: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct CommitPayload {
    watermark: u64,
    schema_version: u32,
}

/// The search index: one writer (serialised internally), any number of
/// concurrent readers. `SearchIndex` is `Send + Sync`; share it in an `Arc`.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    options: IndexOptions,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.path)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the directory) if missing.
    ///
    /// Fails with [`Error::NeedsRebuild`] if the index was written by
    /// another schema version, and with [`Error::NotAnIndex`] if `dir` holds
    /// something else.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, IndexOptions::default())
    }

    /// [`open`](Self::open) with writer options.
    pub fn open_with(dir: &Path, options: IndexOptions) -> Result<Self> {
        let (schema, fields) = schema::build();
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let meta = dir.join("meta.json");
        let version_path = dir.join(VERSION_FILE);
        let index = if meta.exists() {
            let found = match std::fs::read_to_string(&version_path) {
                Ok(text) => match serde_json::from_str::<VersionInfo>(&text) {
                    Ok(v) => Some(v.schema_version),
                    Err(_) => None,
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(io_err(&version_path)(e)),
            };
            if found != Some(SCHEMA_VERSION) {
                return Err(Error::NeedsRebuild {
                    path: dir.to_path_buf(),
                    found: found.map_or_else(|| "none".to_string(), |v| v.to_string()),
                    expected: SCHEMA_VERSION,
                });
            }
            let index = Index::open_in_dir(dir)?;
            if index.schema() != schema {
                return Err(Error::NeedsRebuild {
                    path: dir.to_path_buf(),
                    found: format!("{SCHEMA_VERSION} (with a different schema)"),
                    expected: SCHEMA_VERSION,
                });
            }
            index
        } else {
            let mut entries = std::fs::read_dir(dir).map_err(io_err(dir))?;
            if entries.next().is_some() {
                return Err(Error::NotAnIndex {
                    path: dir.to_path_buf(),
                });
            }
            let index = Index::create_in_dir(dir, schema)?;
            let info = serde_json::to_string(&VersionInfo {
                schema_version: SCHEMA_VERSION,
            })
            .unwrap_or_default();
            std::fs::write(&version_path, info).map_err(io_err(&version_path))?;
            index
        };
        Self::from_index(index, fields, options, Some(dir.to_path_buf()))
    }

    /// Opens the index in `dir`; if it needs a rebuild (schema change),
    /// deletes it and creates an empty one. Returns the index and whether
    /// it was recreated, in which case [`last_watermark`](Self::last_watermark)
    /// is `None` and the caller must re-index everything.
    pub fn open_or_recreate(dir: &Path) -> Result<(Self, bool)> {
        match Self::open(dir) {
            Ok(index) => Ok((index, false)),
            Err(Error::NeedsRebuild { .. }) => {
                // Only files of a search index are in `dir` (checked by the
                // presence of meta.json above); remove them and start over.
                std::fs::remove_dir_all(dir).map_err(io_err(dir))?;
                Ok((Self::open(dir)?, true))
            }
            Err(e) => Err(e),
        }
    }

    /// An index in memory, for tests and tools.
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        Self::from_index(index, fields, IndexOptions::default(), None)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        options: IndexOptions,
        path: Option<PathBuf>,
    ) -> Result<Self> {
        analysis::register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            options,
            path,
        })
    }

    /// The directory of the index (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        let mut guard = self.writer.lock().map_err(|_| Error::Poisoned)?;
        if guard.is_none() {
            let threads = self.options.writer_threads.max(1);
            let memory = self
                .options
                .writer_memory_bytes
                .max(threads * 16 * 1024 * 1024);
            *guard = Some(self.index.writer_with_num_threads(threads, memory)?);
        }
        Ok(guard)
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer()?;
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(Error::Poisoned),
        }
    }

    /// Adds or replaces documents (by `record_id`). Not visible until
    /// [`commit`](Self::commit). Within one batch the last document of an
    /// id wins.
    pub fn upsert(&self, docs: &[BibDoc]) -> Result<()> {
        self.with_writer(|w| {
            for d in docs {
                w.delete_term(Term::from_field_i64(self.fields.id, d.record_id));
                w.add_document(schema::to_document(&self.fields, d))?;
            }
            Ok(())
        })
    }

    /// Adds documents without first removing older versions of the same
    /// records: only for a rebuild after [`clear`](Self::clear), where no
    /// older version exists (saves one delete term per document, which
    /// tantivy resolves against every segment at commit).
    pub fn add_new(&self, docs: &[BibDoc]) -> Result<()> {
        self.with_writer(|w| {
            for d in docs {
                w.add_document(schema::to_document(&self.fields, d))?;
            }
            Ok(())
        })
    }

    /// Takes the writer (and its lock on the index directory) now rather
    /// than at the first write. `Ok(false)` when another process holds the
    /// lock, e.g. a running `quire serve` that keeps this index up to date.
    pub fn try_acquire_writer(&self) -> Result<bool> {
        match self.writer() {
            Ok(_) => Ok(true),
            Err(Error::Tantivy(tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _,
            ))) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Makes what another process committed visible to searches here.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Removes documents by record id (unknown ids are ignored). Not
    /// visible until [`commit`](Self::commit).
    pub fn delete(&self, record_ids: &[i64]) -> Result<()> {
        self.with_writer(|w| {
            for &id in record_ids {
                w.delete_term(Term::from_field_i64(self.fields.id, id));
            }
            Ok(())
        })
    }

    /// Removes every document (for a rebuild). Like any change it takes
    /// effect at the next [`commit`](Self::commit); documents upserted after
    /// `clear` survive it.
    pub fn clear(&self) -> Result<()> {
        self.with_writer(|w| {
            w.delete_query(Box::new(AllQuery))?;
            Ok(())
        })
    }

    /// Makes all changes since the last commit durable and visible, and
    /// records `watermark` (the outbox position they reflect) with them.
    pub fn commit(&self, watermark: u64) -> Result<()> {
        self.with_writer(|w| {
            let payload = serde_json::to_string(&CommitPayload {
                watermark,
                schema_version: SCHEMA_VERSION,
            })
            .unwrap_or_default();
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Discards the changes since the last commit.
    pub fn rollback(&self) -> Result<()> {
        self.with_writer(|w| {
            w.rollback()?;
            Ok(())
        })
    }

    /// The watermark of the last commit, `None` for a never-committed index.
    pub fn last_watermark(&self) -> Result<Option<u64>> {
        let metas = self.index.load_metas()?;
        match metas.payload {
            None => Ok(None),
            Some(p) => match serde_json::from_str::<CommitPayload>(&p) {
                Ok(c) => Ok(Some(c.watermark)),
                Err(e) => Err(Error::BadPayload {
                    payload: p,
                    reason: e.to_string(),
                }),
            },
        }
    }

    /// Number of documents in the index (suppressed ones included).
    pub fn count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Waits for background merges to finish and releases the writer (and
    /// its lock on the directory). The index stays usable; a later write
    /// opens a new writer.
    pub fn close_writer(&self) -> Result<()> {
        let mut guard = self.writer.lock().map_err(|_| Error::Poisoned)?;
        if let Some(w) = guard.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    fn filter_query(&self, kind: &Filter) -> Box<dyn TQuery> {
        let f = &self.fields;
        let term = |field, value: &str| -> Box<dyn TQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        match kind {
            Filter::Format(v) => term(f.format, &code(v)),
            Filter::Language(v) => term(f.language, &code(v)),
            Filter::Branch(v) => term(f.branch, &code(v)),
            Filter::AvailableAt(v) => term(f.avail_branch, &code(v)),
            Filter::Subject(v) => term(f.subject_facet, &schema::clean_display(v)),
            Filter::AvailableOnly => Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(f.available_count, 1)),
                std::ops::Bound::Unbounded,
            )),
            Filter::YearRange { from, to } => {
                let q = Query::YearRange {
                    from: *from,
                    to: *to,
                };
                Compiler { f }
                    .compile(&q)
                    .unwrap_or_else(|_| Box::new(AllQuery))
            }
        }
    }

    /// The full tantivy query of a request: the query, the filters (not
    /// scored) and the suppression rule.
    fn build_query(
        &self,
        query: &Query,
        filters: &[Filter],
        include_suppressed: bool,
    ) -> Result<Box<dyn TQuery>> {
        let main = Compiler { f: &self.fields }.compile(query)?;
        let mut clauses = vec![(Occur::Must, main)];
        // Group ORed filter kinds.
        let mut ored: HashMap<u8, Vec<Box<dyn TQuery>>> = HashMap::new();
        for filter in filters {
            let q = self.filter_query(filter);
            let group = match filter {
                Filter::Format(_) => Some(0),
                Filter::Language(_) => Some(1),
                Filter::Branch(_) => Some(2),
                _ => None,
            };
            match group {
                Some(g) => ored.entry(g).or_default().push(q),
                None => clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))),
            }
        }
        let mut groups: Vec<(u8, Vec<Box<dyn TQuery>>)> = ored.into_iter().collect();
        groups.sort_by_key(|(g, _)| *g);
        for (_, qs) in groups {
            let any = BooleanQuery::new(qs.into_iter().map(|q| (Occur::Should, q)).collect());
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(any), 0.0)),
            ));
        }
        if !include_suppressed {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.suppressed, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let query = self.build_query(&req.query, &req.filters, req.include_suppressed)?;
        let searcher = self.reader.searcher();
        let limit = req.limit.min(MAX_LIMIT);
        let window_ok = req.offset.saturating_add(limit) <= MAX_WINDOW;
        let facets = FacetCollector {
            enabled: req.facets,
        };
        if limit == 0 || !window_ok {
            let (total, facets) = searcher.search(&query, &(Count, facets))?;
            return Ok(SearchResults {
                total: total as u64,
                hits: Vec::new(),
                facets: facets.unwrap_or_default(),
            });
        }
        let top = TopDocs::with_limit(limit).and_offset(req.offset);
        let (total, facets, addrs): (usize, Option<Facets>, Vec<(f32, DocAddress)>) = match req.sort
        {
            SortOrder::Relevance => {
                let (total, facets, docs) =
                    searcher.search(&query, &(Count, facets, top.order_by_score()))?;
                (total, facets, docs)
            }
            SortOrder::Title | SortOrder::Author => {
                let field = if req.sort == SortOrder::Title {
                    names::TITLE_SORT
                } else {
                    names::AUTHOR_SORT
                };
                let (total, facets, docs) = searcher.search(
                    &query,
                    &(
                        Count,
                        facets,
                        top.order_by_string_fast_field(field, Order::Asc),
                    ),
                )?;
                (
                    total,
                    facets,
                    docs.into_iter().map(|(_, d)| (0.0, d)).collect(),
                )
            }
            SortOrder::DateNewest | SortOrder::DateOldest => {
                let order = if req.sort == SortOrder::DateNewest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (total, facets, docs) = searcher.search(
                    &query,
                    &(
                        Count,
                        facets,
                        top.order_by_fast_field::<i64>(names::YEAR, order),
                    ),
                )?;
                (
                    total,
                    facets,
                    docs.into_iter().map(|(_, d)| (0.0, d)).collect(),
                )
            }
        };
        let mut columns: HashMap<SegmentOrdinal, Column<i64>> = HashMap::new();
        let mut hits = Vec::with_capacity(addrs.len());
        for (score, addr) in addrs {
            let col = match columns.get(&addr.segment_ord) {
                Some(c) => c,
                None => {
                    let c = searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .i64(names::ID)?;
                    columns.entry(addr.segment_ord).or_insert(c)
                }
            };
            if let Some(record_id) = col.first(addr.doc_id) {
                hits.push(Hit { record_id, score });
            }
        }
        Ok(SearchResults {
            total: total as u64,
            hits,
            facets: facets.unwrap_or_default(),
        })
    }

    /// Record ids of every (non-suppressed) record matching `query`, in
    /// ascending order, without scoring: result sets of the Z39.50 server.
    pub fn doc_ids_for(&self, query: &Query) -> Result<Vec<i64>> {
        self.doc_ids_matching(query, &[], false)
    }

    /// Like [`doc_ids_for`](Self::doc_ids_for) with filters and the
    /// suppression switch.
    pub fn doc_ids_matching(
        &self,
        query: &Query,
        filters: &[Filter],
        include_suppressed: bool,
    ) -> Result<Vec<i64>> {
        let q = self.build_query(query, filters, include_suppressed)?;
        let searcher = self.reader.searcher();
        let mut ids = searcher.search(&q, &IdCollector)?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}

/// Collects the record ids of all matching documents.
struct IdCollector;

struct SegmentIds {
    col: Column<i64>,
    ids: Vec<i64>,
}

impl Collector for IdCollector {
    type Fruit = Vec<i64>;
    type Child = SegmentIds;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentIds> {
        Ok(SegmentIds {
            col: segment.fast_fields().i64(names::ID)?,
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<i64>>) -> tantivy::Result<Vec<i64>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentIds {
    type Fruit = Vec<i64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.ids.extend(self.col.first(doc));
    }

    fn harvest(self) -> Vec<i64> {
        self.ids
    }
}
