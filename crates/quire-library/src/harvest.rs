//! Read-only catalog access for the interoperability adapters (SRU,
//! OAI-PMH): harvesting in change order, tombstones, browse lists. Only
//! public catalog data is exposed; suppressed records are reported to
//! harvesters as deleted.

use chrono::{DateTime, Utc};
use quire_search::{BrowseEntry, BrowseField};
pub use quire_store::catalog::HarvestQuery;
use quire_store::catalog::RecordRow;

use crate::{Error, ErrorCode, Library, Result};

/// A record as a harvester sees it.
#[derive(Debug, Clone)]
pub struct HarvestedRecord {
    /// The record row (MARC included).
    pub row: RecordRow,
    /// Deleted or suppressed: report a header with `status="deleted"`.
    pub deleted: bool,
    /// Codes of the branches holding items of the record.
    pub branches: Vec<String>,
}

impl Library {
    /// One page of records in `(updated_at, id)` order for OAI-PMH, deleted
    /// ones included (as tombstones).
    pub async fn harvest(&self, q: &HarvestQuery<'_>) -> Result<Vec<HarvestedRecord>> {
        let mut r = self.store().read().await?;
        let rows = r.harvest_records(q).await?;
        self.harvested(r.as_mut(), rows).await
    }

    /// How many records the harvest selection holds (all pages).
    pub async fn harvest_count(&self, q: &HarvestQuery<'_>) -> Result<i64> {
        let mut r = self.store().read().await?;
        Ok(r.count_harvest(q).await?)
    }

    /// One record for harvesting (deleted ones too); `None` if it never
    /// existed.
    pub async fn harvest_record(&self, id: i64) -> Result<Option<HarvestedRecord>> {
        let mut r = self.store().read().await?;
        let rows: Vec<RecordRow> = r.record(id).await?.into_iter().collect();
        Ok(self.harvested(r.as_mut(), rows).await?.pop())
    }

    async fn harvested(
        &self,
        r: &mut dyn quire_store::Tx,
        rows: Vec<RecordRow>,
    ) -> Result<Vec<HarvestedRecord>> {
        let ids: Vec<i64> = rows.iter().map(|x| x.id).collect();
        let items = r.items_of_records(&ids).await?;
        let codes: std::collections::HashMap<i64, String> = r
            .branches()
            .await?
            .into_iter()
            .map(|b| (b.id, b.code))
            .collect();
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut branches: Vec<String> = items
                    .iter()
                    .filter(|i| i.record_id == row.id)
                    .filter_map(|i| codes.get(&i.branch_id).cloned())
                    .collect();
                branches.sort();
                branches.dedup();
                HarvestedRecord {
                    deleted: row.deleted_at.is_some() || row.suppressed,
                    row,
                    branches,
                }
            })
            .collect())
    }

    /// The oldest change datestamp of the catalog (OAI-PMH Identify).
    pub async fn earliest_change(&self) -> Result<Option<DateTime<Utc>>> {
        let mut r = self.store().read().await?;
        Ok(r.earliest_record_change().await?)
    }

    /// Set candidates: branch (code, name) pairs and record format codes.
    pub async fn harvest_sets(&self) -> Result<(Vec<(String, String)>, Vec<String>)> {
        let mut r = self.store().read().await?;
        let branches = r
            .branches()
            .await?
            .into_iter()
            .map(|b| (b.code, b.name))
            .collect();
        let formats = r.record_formats().await?;
        Ok((branches, formats))
    }

    /// Public live records by id, in the order given (missing, deleted and
    /// suppressed ones left out).
    pub async fn public_records(&self, ids: &[i64]) -> Result<Vec<RecordRow>> {
        let mut r = self.store().read().await?;
        Ok(r.records_by_ids(ids)
            .await?
            .into_iter()
            .filter(|x| x.deleted_at.is_none() && !x.suppressed)
            .collect())
    }

    /// Alphabetical browse list of the search index (SRU scan, Z39.50 Scan).
    pub async fn browse(
        &self,
        field: BrowseField,
        from: String,
        before: usize,
        after: usize,
    ) -> Result<Vec<BrowseEntry>> {
        let index = self.index()?.clone();
        crate::cpu::spawn_background(move || index.browse(field, &from, before, after))
            .await
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
            .map_err(|e| Error::new(ErrorCode::Internal, format!("search index: {e}")))
    }
}
