//! Catalog, import and patron queries (a second trait so the foundation's
//! `Tx` stays readable; every `Tx` is also a `CatalogTx`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub control_number: Option<String>,
    pub control_number_identifier: Option<String>,
    pub marc: Vec<u8>,
    pub title: String,
    pub title_sort: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub language: Option<String>,
    pub format: String,
    pub suppressed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Columns written for a record (derived from its MARC by the service layer).
#[derive(Debug, Clone)]
pub struct RecordWrite<'a> {
    pub control_number: Option<&'a str>,
    pub control_number_identifier: Option<&'a str>,
    pub marc: &'a [u8],
    pub title: &'a str,
    pub title_sort: &'a str,
    pub author: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub year: Option<i64>,
    pub language: Option<&'a str>,
    pub format: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ItemRow {
    pub id: i64,
    pub record_id: i64,
    pub barcode: String,
    pub branch_id: i64,
    pub location_id: Option<i64>,
    pub call_number: Option<String>,
    pub call_number_scheme: String,
    pub call_number_sort: Option<String>,
    pub item_type: String,
    pub status: String,
    pub copy_number: Option<String>,
    pub price_minor: Option<i64>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub inventory_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct ItemWrite<'a> {
    pub record_id: i64,
    pub barcode: &'a str,
    pub branch_id: i64,
    pub location_id: Option<i64>,
    pub call_number: Option<&'a str>,
    pub call_number_scheme: &'a str,
    pub call_number_sort: Option<&'a str>,
    pub item_type: &'a str,
    pub status: &'a str,
    pub copy_number: Option<&'a str>,
    pub price_minor: Option<i64>,
    pub now: DateTime<Utc>,
}

/// Selection and keyset position of [`CatalogTx::harvest_records`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HarvestQuery<'a> {
    /// Keyset position: records strictly after this `(updated_at, id)`.
    pub after: (DateTime<Utc>, i64),
    /// Inclusive lower bound on `updated_at`.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound on `updated_at`.
    pub until_before: Option<DateTime<Utc>>,
    /// Only records of this format code.
    pub format: Option<&'a str>,
    /// Only records with an item at the branch with this code.
    pub branch: Option<&'a str>,
    /// Most rows returned.
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub op: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ImportJobRow {
    pub id: i64,
    pub source: String,
    pub fingerprint: String,
    pub format: String,
    pub options_json: String,
    pub status: String,
    pub records_done: i64,
    pub created: i64,
    pub replaced: i64,
    pub skipped: i64,
    pub quarantined: i64,
    pub items_created: i64,
    pub started_by: String,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct QuarantineRow {
    pub id: i64,
    pub job_id: Option<i64>,
    pub source: String,
    pub record_index: i64,
    pub byte_offset: i64,
    #[serde(skip)]
    pub raw: Vec<u8>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PatronRow {
    pub id: i64,
    pub barcode: String,
    #[serde(skip)]
    pub pin_hash: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub category: String,
    pub home_branch_id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_date: Option<String>,
    pub preferred_locale: Option<String>,
    pub expires_on: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The patron keeps a reading history (returned loans keep the link).
    #[serde(skip)]
    pub keep_history: bool,
}

#[derive(Debug, Clone)]
pub struct PatronWrite<'a> {
    pub barcode: &'a str,
    pub pin_hash: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub category: &'a str,
    pub home_branch_id: i64,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub birth_date: Option<&'a str>,
    pub preferred_locale: Option<&'a str>,
    pub expires_on: &'a str,
    pub now: DateTime<Utc>,
}

/// Progress counters of an import job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JobCounts {
    pub records_done: i64,
    pub created: i64,
    pub replaced: i64,
    pub skipped: i64,
    pub quarantined: i64,
    pub items_created: i64,
}

#[async_trait]
pub trait CatalogTx: Send {
    // records
    async fn insert_record(&mut self, r: &RecordWrite<'_>) -> Result<i64>;
    /// The id the next inserted record will get, reserved for this
    /// transaction (a record without a 001 stores its id as 001, so the id
    /// must be known before the record is encoded and written once).
    async fn reserve_record_id(&mut self) -> Result<i64>;
    /// Inserts a record under an id from [`CatalogTx::reserve_record_id`].
    async fn insert_record_with_id(&mut self, id: i64, r: &RecordWrite<'_>) -> Result<()>;
    async fn update_record(&mut self, id: i64, r: &RecordWrite<'_>) -> Result<()>;
    async fn record(&mut self, id: i64) -> Result<Option<RecordRow>>;
    async fn records_by_ids(&mut self, ids: &[i64]) -> Result<Vec<RecordRow>>;
    /// Live (not deleted) records with id > `after`, in id order.
    async fn records_after(&mut self, after: i64, limit: i64) -> Result<Vec<RecordRow>>;
    async fn find_record_by_control_number(
        &mut self,
        cn: &str,
        cni: Option<&str>,
    ) -> Result<Option<i64>>;
    /// Records with this 001, whatever their 003.
    async fn find_records_by_control_number_any(&mut self, cn: &str) -> Result<Vec<i64>>;
    async fn find_records_by_identifier(&mut self, kind: &str, value: &str) -> Result<Vec<i64>>;
    async fn replace_identifiers(&mut self, record_id: i64, ids: &[(&str, String)]) -> Result<()>;
    async fn count_records(&mut self) -> Result<i64>;
    /// Marks a record deleted (a tombstone: the row and its MARC stay, so
    /// harvesters learn of the deletion). The caller writes the outbox row.
    async fn mark_record_deleted(&mut self, id: i64, now: DateTime<Utc>) -> Result<()>;
    /// Records for harvesting (OAI-PMH), deleted ones included, in
    /// `(updated_at, id)` order strictly after `after`, optionally limited
    /// to `from <= updated_at < until_before`, a format and a branch code
    /// (a record belongs to a branch when one of its items is there).
    async fn harvest_records(&mut self, q: &HarvestQuery<'_>) -> Result<Vec<RecordRow>>;
    /// Number of records `harvest_records` would return without `after`
    /// and `limit` (OAI-PMH `completeListSize`).
    async fn count_harvest(&mut self, q: &HarvestQuery<'_>) -> Result<i64>;
    /// The oldest `updated_at` of any record, deleted ones included.
    async fn earliest_record_change(&mut self) -> Result<Option<DateTime<Utc>>>;
    /// The distinct format codes of live records, sorted.
    async fn record_formats(&mut self) -> Result<Vec<String>>;

    // items
    async fn insert_item(&mut self, i: &ItemWrite<'_>) -> Result<i64>;
    async fn items_of(&mut self, record_id: i64) -> Result<Vec<ItemRow>>;
    async fn items_of_records(&mut self, record_ids: &[i64]) -> Result<Vec<ItemRow>>;
    async fn item_by_barcode(&mut self, barcode: &str) -> Result<Option<ItemRow>>;
    /// [`CatalogTx::item_by_barcode`] with its record's title, in one
    /// statement (checkout and checkin answer with the title).
    async fn item_with_title_by_barcode(
        &mut self,
        barcode: &str,
    ) -> Result<Option<(ItemRow, String)>>;
    async fn count_items(&mut self) -> Result<i64>;

    // outbox (feeds the derived search index)
    async fn push_outbox(
        &mut self,
        entity: &str,
        entity_id: i64,
        op: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;
    async fn outbox_after(&mut self, after: i64, limit: i64) -> Result<Vec<OutboxRow>>;
    async fn outbox_max(&mut self) -> Result<i64>;

    // import jobs and quarantine
    async fn insert_import_job(
        &mut self,
        source: &str,
        fingerprint: &str,
        format: &str,
        options_json: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn running_import_job(&mut self, fingerprint: &str) -> Result<Option<ImportJobRow>>;
    async fn import_job(&mut self, id: i64) -> Result<Option<ImportJobRow>>;
    async fn import_jobs(&mut self, limit: i64) -> Result<Vec<ImportJobRow>>;
    async fn update_import_job(
        &mut self,
        id: i64,
        counts: &JobCounts,
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn insert_quarantine(
        &mut self,
        job_id: Option<i64>,
        source: &str,
        index: i64,
        offset: i64,
        raw: &[u8],
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Quarantined records not yet resolved.
    async fn count_open_quarantine(&mut self) -> Result<i64>;
    async fn quarantine_list(&mut self, only_open: bool, limit: i64) -> Result<Vec<QuarantineRow>>;
    async fn quarantine_of_job(&mut self, job_id: i64) -> Result<Vec<QuarantineRow>>;
    async fn quarantine_entry(&mut self, id: i64) -> Result<Option<QuarantineRow>>;
    async fn resolve_quarantine(
        &mut self,
        id: i64,
        resolution: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    // patrons
    async fn insert_patron(&mut self, p: &PatronWrite<'_>) -> Result<i64>;
    async fn patron(&mut self, id: i64) -> Result<Option<PatronRow>>;
    async fn patron_by_barcode(&mut self, barcode: &str) -> Result<Option<PatronRow>>;
    async fn search_patrons(&mut self, q: &str, limit: i64) -> Result<Vec<PatronRow>>;
    async fn count_patrons(&mut self) -> Result<i64>;
}
