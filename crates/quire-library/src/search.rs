//! Catalog search: the derived tantivy index, kept up to date from the
//! outbox, and the search use case of the OPAC (and later SRU / Z39.50).
//!
//! The index is derived data: `index_catch_up` applies outbox entries after
//! the index's watermark (so a crash loses nothing: the next run resumes),
//! and `reindex` rebuilds it from the records table.

use std::collections::HashMap;
use std::sync::Arc;

use quire_domain::callnumber;
use quire_domain::ident::Isbn;
use quire_search::{BibDoc, SearchIndex, SearchRequest, SearchResults};
use quire_store::catalog::{ItemRow, RecordRow};
use serde::Serialize;

use crate::{Error, ErrorCode, Library, Result};

/// Item statuses shown as "available" (on the shelf) in the catalog.
pub const AVAILABLE_STATUSES: &[&str] = &["available"];

fn search_err(e: quire_search::Error) -> Error {
    Error::new(ErrorCode::Internal, format!("search index: {e}"))
}

/// One result, ready for display.
#[derive(Debug, Clone, Serialize)]
pub struct RecordCard {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub language: Option<String>,
    pub format: String,
    pub items: u32,
    pub available: u32,
    /// (branch code, available copies there)
    pub available_at: Vec<(String, u32)>,
    pub call_number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogPage {
    pub total: u64,
    pub cards: Vec<RecordCard>,
    pub facets: quire_search::Facets,
}

impl Library {
    /// Attaches the search index (the server opens it in the data directory).
    pub fn set_index(&self, index: Arc<SearchIndex>) {
        let _ = self.inner.index.set(index);
    }

    pub fn index(&self) -> Result<&Arc<SearchIndex>> {
        self.inner
            .index
            .get()
            .ok_or_else(|| Error::new(ErrorCode::Busy, "the search index is not open"))
    }

    /// Applies outbox entries newer than the index's watermark. Returns the
    /// number of records (re)indexed or removed.
    pub async fn index_catch_up(&self) -> Result<u64> {
        let index = self.index()?.clone();
        let mut total = 0u64;
        loop {
            let watermark = index.last_watermark().map_err(search_err)?.unwrap_or(0) as i64;
            let mut r = self.store().read().await?;
            let entries = r.outbox_after(watermark, OUTBOX_PAGE).await?;
            let Some(last) = entries.last().map(|e| e.id) else {
                return Ok(total);
            };
            // A partial page holds every entry there was at this read:
            // return after it rather than chasing the ones committed
            // meanwhile, so that under a steady stream of changes the
            // caller's pause between calls (`--index-commit-gap-ms`) is
            // what bounds the commit rate, not the length of one commit.
            let caught_up = entries.len() < OUTBOX_PAGE as usize;
            let ids = record_ids(&entries);
            let loaded = load_with_items(r.as_mut(), &ids).await?;
            drop(r);
            let index = index.clone();
            // Building documents (MARC parsing, summaries) is CPU work:
            // it runs on a blocking thread with the index writes, not on
            // the async workers that serve requests.
            total += crate::cpu::spawn_background(
                move || -> std::result::Result<u64, quire_search::Error> {
                    let (docs, gone) = docs_from(loaded, &ids);
                    index.upsert(&docs)?;
                    index.delete(&gone)?;
                    index.commit(last as u64)?;
                    Ok((docs.len() + gone.len()) as u64)
                },
            )
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(search_err)?;
            if caught_up {
                return Ok(total);
            }
        }
    }

    /// Indexes outbox entries as they are committed, until `finished`
    /// turns true, then catches up completely and commits. For a process
    /// that writes many records while no server keeps the index (`quire
    /// import`): the indexing runs beside the import on the second core, so
    /// no separate `quire reindex` is needed afterwards. Commits every
    /// `commit_every` documents (the watermark goes with each commit, so an
    /// interrupted run loses no more than the uncommitted stretch, which
    /// the next catch-up redoes from the outbox). Returns the number of
    /// records (re)indexed or removed.
    pub async fn index_follow(
        &self,
        mut finished: tokio::sync::watch::Receiver<bool>,
        commit_every: u64,
    ) -> Result<u64> {
        let index = self.index()?.clone();
        let mut pos = index.last_watermark().map_err(search_err)?.unwrap_or(0) as i64;
        let mut pending = 0u64;
        let mut total = 0u64;
        loop {
            // Read the flag before the outbox: when it was already set and
            // the outbox has nothing after `pos`, everything is indexed.
            let done = *finished.borrow_and_update();
            let mut r = self.store().read().await?;
            let entries = r.outbox_after(pos, OUTBOX_PAGE).await?;
            let Some(last) = entries.last().map(|e| e.id) else {
                drop(r);
                if pending > 0 {
                    self.index_commit(&index, pos).await?;
                    pending = 0;
                }
                if done {
                    return Ok(total);
                }
                let _ =
                    tokio::time::timeout(std::time::Duration::from_millis(200), finished.changed())
                        .await;
                continue;
            };
            let ids = record_ids(&entries);
            let (docs, gone) = self.docs_for(r.as_mut(), &ids).await?;
            drop(r);
            let n = (docs.len() + gone.len()) as u64;
            let i2 = index.clone();
            crate::cpu::spawn_background(
                move || -> std::result::Result<(), quire_search::Error> {
                    i2.upsert(&docs)?;
                    i2.delete(&gone)
                },
            )
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(search_err)?;
            pos = last;
            total += n;
            pending += n;
            if pending >= commit_every {
                self.index_commit(&index, pos).await?;
                pending = 0;
            }
        }
    }

    async fn index_commit(&self, index: &Arc<SearchIndex>, watermark: i64) -> Result<()> {
        let i2 = index.clone();
        crate::cpu::spawn_background(move || i2.commit(watermark as u64))
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(search_err)
    }

    /// Rebuilds the index from the database; `progress(done, total)`.
    pub async fn reindex(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64> {
        let index = self.index()?.clone();
        let mut r = self.store().read().await?;
        let total = r.count_records().await? as u64;
        // Everything up to the current outbox position is covered by this rebuild.
        let watermark = r.outbox_max().await?;
        drop(r);
        let i2 = index.clone();
        crate::cpu::spawn_background(move || i2.clear())
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(search_err)?;
        let mut after = 0i64;
        let mut done = 0u64;
        loop {
            let mut r = self.store().read().await?;
            let rows = r.records_after(after, 1000).await?;
            let Some(last) = rows.last().map(|x| x.id) else {
                break;
            };
            let ids: Vec<i64> = rows.iter().map(|x| x.id).collect();
            let (docs, _) = self.docs_for(r.as_mut(), &ids).await?;
            drop(r);
            done += docs.len() as u64;
            let i2 = index.clone();
            // The index was cleared above: plain adds, no delete terms.
            crate::cpu::spawn_background(move || i2.add_new(&docs))
                .await
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
                .map_err(search_err)?;
            after = last;
            progress(done, total);
        }
        let i2 = index.clone();
        crate::cpu::spawn_background(move || i2.commit(watermark as u64))
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(search_err)?;
        Ok(done)
    }

    /// Builds index documents for records; ids of deleted/missing records
    /// come back separately (to remove from the index).
    async fn docs_for(
        &self,
        r: &mut dyn quire_store::Tx,
        ids: &[i64],
    ) -> Result<(Vec<BibDoc>, Vec<i64>)> {
        let loaded = load_with_items(r, ids).await?;
        Ok(docs_from(loaded, ids))
    }

    /// The catalog search of the OPAC. Suppressed records only for staff.
    pub async fn search_catalog(&self, req: SearchRequest, staff: bool) -> Result<CatalogPage> {
        let res = self.search_hits(req, staff).await?;
        let ids: Vec<i64> = res.hits.iter().map(|h| h.record_id).collect();
        let mut r = self.store().read().await?;
        let (rows, mut by_record, branches) = load_with_items(r.as_mut(), &ids).await?;
        let cards = rows
            .into_iter()
            .filter(|row| row.deleted_at.is_none())
            .map(|row| {
                let items = by_record.remove(&row.id).unwrap_or_default();
                card(row, &items, &branches)
            })
            .collect();
        Ok(CatalogPage {
            total: res.total,
            cards,
            facets: res.facets,
        })
    }
}

impl Library {
    /// The same search as [`Library::search_catalog`], answering only the
    /// total and the record ids of the requested page (no database read):
    /// for protocol adapters that keep result sets (Z39.50) and fetch the
    /// records they present with [`Library::public_records`].
    pub async fn search_hits(&self, mut req: SearchRequest, staff: bool) -> Result<SearchResults> {
        req.include_suppressed = staff;
        let index = self.index()?.clone();
        crate::cpu::spawn_background(move || index.search(&req))
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(|e| match e {
                quire_search::Error::QueryTooDeep { .. } => Error::field("q", "query-too-complex"),
                other => search_err(other),
            })
    }
}

/// Outbox entries read (and indexed) at a time.
const OUTBOX_PAGE: i64 = 2000;

/// The distinct record ids of outbox entries.
fn record_ids(entries: &[quire_store::catalog::OutboxRow]) -> Vec<i64> {
    let mut ids: Vec<i64> = entries
        .iter()
        .filter(|e| e.entity == "record")
        .map(|e| e.entity_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Records (in the order of `ids`), their items grouped by record, and
/// branch codes by id: what both index documents and result cards need.
type Loaded = (
    Vec<RecordRow>,
    HashMap<i64, Vec<ItemRow>>,
    HashMap<i64, String>,
);

/// Index documents of loaded records; ids of deleted/missing records come
/// back separately.
fn docs_from(loaded: Loaded, ids: &[i64]) -> (Vec<BibDoc>, Vec<i64>) {
    let (rows, mut by_record, branches) = loaded;
    let mut docs = Vec::with_capacity(rows.len());
    let mut present = std::collections::HashSet::new();
    for row in rows {
        if row.deleted_at.is_some() {
            continue;
        }
        present.insert(row.id);
        let items = by_record.remove(&row.id).unwrap_or_default();
        docs.push(bib_doc(&row, &items, &branches));
    }
    let gone = ids
        .iter()
        .copied()
        .filter(|id| !present.contains(id))
        .collect();
    (docs, gone)
}

async fn load_with_items(r: &mut dyn quire_store::Tx, ids: &[i64]) -> Result<Loaded> {
    let rows = r.records_by_ids(ids).await?;
    let mut by_record: HashMap<i64, Vec<ItemRow>> = HashMap::new();
    for it in r.items_of_records(ids).await? {
        by_record.entry(it.record_id).or_default().push(it);
    }
    let branches = r
        .branches()
        .await?
        .into_iter()
        .map(|b| (b.id, b.code))
        .collect();
    Ok((rows, by_record, branches))
}

fn card(row: RecordRow, items: &[ItemRow], branches: &HashMap<i64, String>) -> RecordCard {
    let mut at: Vec<(String, u32)> = Vec::new();
    for it in items
        .iter()
        .filter(|i| AVAILABLE_STATUSES.contains(&i.status.as_str()))
    {
        let code = branches.get(&it.branch_id).cloned().unwrap_or_default();
        match at.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => at.push((code, 1)),
        }
    }
    RecordCard {
        id: row.id,
        title: row.title,
        author: row.author,
        publisher: row.publisher,
        year: row.year,
        language: row.language,
        format: row.format,
        items: items.len() as u32,
        available: at.iter().map(|(_, n)| n).sum(),
        available_at: at,
        call_number: items.iter().find_map(|i| i.call_number.clone()),
    }
}

/// The flat index document of one record.
pub fn bib_doc(row: &RecordRow, items: &[ItemRow], branches: &HashMap<i64, String>) -> BibDoc {
    let record = quire_marc::iso2709::parse_record(&row.marc)
        .map(|(r, _)| r)
        .ok();
    let s = record.as_ref().map(quire_marc::bib::summarize);
    let mut doc = BibDoc {
        record_id: row.id,
        title: row.title.clone(),
        title_sort: row.title_sort.clone(),
        year: row.year.and_then(|y| i32::try_from(y).ok()),
        format: row.format.clone(),
        control_number: row.control_number.clone(),
        suppressed: row.suppressed,
        updated_at: row.updated_at.timestamp(),
        ..BibDoc::default()
    };
    if let Some(s) = s {
        doc.authors = s.authors.iter().map(|a| a.name.clone()).collect();
        doc.subjects = s.subjects.iter().map(|x| x.heading.clone()).collect();
        doc.series = s.series.iter().map(|x| x.title.clone()).collect();
        doc.publisher = s.publisher.into_iter().collect();
        doc.place = s.place.into_iter().collect();
        doc.languages = s.languages.clone();
        doc.isbns = s
            .isbns
            .iter()
            .filter_map(|i| Isbn::parse(&i.value).ok())
            .flat_map(|i| i.search_forms())
            .collect();
        doc.issns = s
            .issns
            .iter()
            .map(|i| i.value.replace('-', "").to_ascii_uppercase())
            .collect();
        doc.lccn = s
            .lccn
            .as_deref()
            .and_then(|l| quire_domain::ident::normalize_lccn(l).ok());
        doc.call_numbers = s.call_numbers.iter().map(|c| c.value.clone()).collect();
        doc.notes = s.notes;
        doc.summary = s.summary;
        doc.contents = s.contents;
    }
    for it in items {
        if let Some(cn) = &it.call_number {
            if !doc.call_numbers.contains(cn) {
                doc.call_numbers.push(cn.clone());
            }
            let scheme = match it.call_number_scheme.as_str() {
                "lc" => callnumber::Scheme::Lc,
                "dewey" => callnumber::Scheme::Dewey,
                _ => callnumber::Scheme::Other,
            };
            doc.call_number_sort_keys
                .push(callnumber::sort_key(scheme, cn).to_string());
        }
        let code = branches.get(&it.branch_id).cloned().unwrap_or_default();
        if !doc.branches.contains(&code) {
            doc.branches.push(code.clone());
        }
        if AVAILABLE_STATUSES.contains(&it.status.as_str()) {
            doc.available_count += 1;
            if !doc.available_branches.contains(&code) {
                doc.available_branches.push(code);
            }
        }
    }
    doc.item_count = items.len() as u32;
    doc
}
