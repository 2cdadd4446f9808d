//! Export: the stored MARC records (all, or those a search finds), with
//! their items written into the holdings mapping's item field on request.
//! Streaming: records are read in id order, one batch at a time, and handed
//! to the caller's sink one by one.

use std::collections::HashMap;

use quire_domain::staff::Permission;
use quire_marc::Record;
use quire_marc::holdings::{HoldingsMapping, ItemCandidate};
use quire_search::{Query, SearchRequest};
use quire_store::catalog::{ItemRow, RecordRow};

use crate::{Ctx, Error, ErrorCode, Library, Result};

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Only records this search finds (suppressed ones included).
    pub query: Option<Query>,
    /// Replace the record's item fields (the mapping's tag) by the items
    /// Quire holds now.
    pub with_items: bool,
    /// Where items go (952 Koha by default).
    pub mapping: HoldingsMapping,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            query: None,
            with_items: false,
            mapping: HoldingsMapping::koha_952(),
        }
    }
}

const BATCH: i64 = 500;

/// The item as the mapping's field sees it.
pub fn item_candidate(
    item: &ItemRow,
    branches: &HashMap<i64, String>,
    locations: &HashMap<i64, String>,
) -> ItemCandidate {
    let branch = branches.get(&item.branch_id).cloned();
    let status_hint = match item.status.as_str() {
        "lost" | "long-overdue" | "claims-returned" | "missing" => vec!["lost=1".to_owned()],
        "withdrawn" => vec!["withdrawn=1".to_owned()],
        "damaged" => vec!["damaged=1".to_owned()],
        "available" => Vec::new(),
        other => vec![format!("status={other}")],
    };
    ItemCandidate {
        barcode: Some(item.barcode.clone()),
        call_number: item.call_number.clone(),
        holding_branch: branch.clone(),
        branch,
        location: item.location_id.and_then(|l| locations.get(&l).cloned()),
        item_type: Some(item.item_type.clone()),
        copy: item.copy_number.clone(),
        status_hint,
        price: item
            .price_minor
            .map(|p| format!("{}.{:02}", p / 100, p % 100)),
        raw_tag: String::new(),
    }
}

impl Library {
    /// Writes every selected record to `sink` in id order; returns how many.
    /// Deleted records are left out. With a query, the search index must be
    /// set (`set_index`) and current.
    pub async fn export_records(
        &self,
        ctx: &Ctx,
        opts: &ExportOptions,
        sink: &mut (dyn FnMut(&Record) -> std::io::Result<()> + Send),
    ) -> Result<u64> {
        ctx.actor.require(Permission::ViewCatalog)?;
        let selected: Option<Vec<i64>> = match &opts.query {
            None => None,
            Some(q) => {
                let index = self.index()?.clone();
                let q = q.clone();
                let ids = crate::cpu::spawn_background(move || -> Result<Vec<i64>> {
                    let mut ids = Vec::new();
                    let mut offset = 0;
                    loop {
                        let mut req = SearchRequest::new(q.clone());
                        req.include_suppressed = true;
                        req.offset = offset;
                        req.limit = 1000;
                        let res = index
                            .search(&req)
                            .map_err(|e| Error::new(ErrorCode::Invalid, e.to_string()))?;
                        let n = res.hits.len();
                        ids.extend(res.hits.iter().map(|h| h.record_id));
                        offset += n;
                        if n == 0 || offset as u64 >= res.total {
                            break;
                        }
                    }
                    ids.sort_unstable();
                    ids.dedup();
                    Ok(ids)
                })
                .await
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))??;
                Some(ids)
            }
        };
        let (branches, locations) = {
            let mut r = self.store().read().await?;
            let b: HashMap<i64, String> = r
                .branches()
                .await?
                .into_iter()
                .map(|b| (b.id, b.code))
                .collect();
            let l: HashMap<i64, String> = r
                .locations(None)
                .await?
                .into_iter()
                .map(|l| (l.id, l.code))
                .collect();
            (b, l)
        };
        let mut written = 0u64;
        let mut after = 0i64;
        let mut chunk_start = 0usize;
        loop {
            let rows: Vec<RecordRow> = {
                let mut r = self.store().read().await?;
                match &selected {
                    None => r.records_after(after, BATCH).await?,
                    Some(ids) => {
                        let end = (chunk_start + BATCH as usize).min(ids.len());
                        let chunk = &ids[chunk_start..end];
                        chunk_start = end;
                        let mut rows = r.records_by_ids(chunk).await?;
                        rows.retain(|x| x.deleted_at.is_none());
                        rows.sort_by_key(|x| x.id);
                        if chunk.is_empty() {
                            Vec::new()
                        } else if rows.is_empty() {
                            // A chunk of deleted records: go on with the next.
                            continue;
                        } else {
                            rows
                        }
                    }
                }
            };
            let Some(last) = rows.last() else { break };
            after = last.id;
            let items: Vec<ItemRow> = if opts.with_items {
                let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                let mut r = self.store().read().await?;
                r.items_of_records(&ids).await?
            } else {
                Vec::new()
            };
            for row in &rows {
                let (mut rec, _) = quire_marc::iso2709::parse_record(&row.marc).map_err(|e| {
                    Error::new(
                        ErrorCode::Internal,
                        format!("stored record {}: {e}", row.id),
                    )
                })?;
                if opts.with_items {
                    rec.fields.retain(|f| f.tag().as_str() != opts.mapping.tag);
                    for item in items.iter().filter(|i| i.record_id == row.id) {
                        if let Some(f) = opts
                            .mapping
                            .field_for(&item_candidate(item, &branches, &locations))
                        {
                            rec.push(f);
                        }
                    }
                }
                sink(&rec).map_err(|e| Error::new(ErrorCode::Internal, format!("writing: {e}")))?;
                written += 1;
            }
        }
        Ok(written)
    }
}
