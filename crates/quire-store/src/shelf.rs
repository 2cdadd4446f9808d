//! Shelf queries: items in shelf order (carts, browse, inventory
//! sections), the reshelving sweep, shelf-reading runs (a fourth trait;
//! every `Tx` is also a `ShelfTx`). Written once in `common_shelf.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// An item with what a shelf list shows (its record's title and author).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ShelfRow {
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
    pub updated_at: DateTime<Utc>,
    pub status_changed_at: Option<DateTime<Utc>>,
    pub inventory_at: Option<DateTime<Utc>>,
    pub title: String,
    pub author: Option<String>,
    pub suppressed: bool,
}

/// A window of one shelf (branch + location) in shelf order.
///
/// With `status == None` (a shelf): items not withdrawn, of undeleted
/// records. With `status == Some(s)` (a cart): every item in status `s`.
/// With `without_call_number == false` only items with a sort key, in key
/// order; with `true` only items without one, by id (the cursor's key is
/// then ignored). The SQL carries only the filters that are set, so each
/// query is one index range scan (`items_status_shelf` for a status,
/// `items_shelf` otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShelfQuery<'a> {
    pub branch_id: i64,
    /// `None`: items without a location.
    pub location_id: Option<i64>,
    /// Only items in this status (see above).
    pub status: Option<&'a str>,
    /// Items without a call number instead of those with one.
    pub without_call_number: bool,
    /// Inclusive lower bound on the sort key.
    pub from_key: Option<&'a str>,
    /// Exclusive upper bound on the sort key.
    pub to_key: Option<&'a str>,
    /// Keyset position `(sort key, item id)`: with `backward == false`
    /// items strictly after it (ascending), else strictly before it
    /// (returned descending).
    pub cursor: Option<(&'a str, i64)>,
    pub backward: bool,
    /// Leave out items of suppressed records (public views).
    pub public: bool,
    pub limit: i64,
}

/// A finished shelf-reading run.
#[derive(Debug, Clone)]
pub struct InventoryRunWrite<'a> {
    pub branch_id: i64,
    pub location_id: Option<i64>,
    pub from_call_number: Option<&'a str>,
    pub to_call_number: Option<&'a str>,
    pub scanned: i64,
    pub out_of_order: i64,
    pub missing: i64,
    pub elsewhere: i64,
    pub wrong_status: i64,
    pub report_json: &'a str,
    pub created_by: &'a str,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct InventoryRunRow {
    pub id: i64,
    pub branch_id: i64,
    pub location_id: Option<i64>,
    pub from_call_number: Option<String>,
    pub to_call_number: Option<String>,
    pub scanned: i64,
    pub out_of_order: i64,
    pub missing: i64,
    pub elsewhere: i64,
    pub wrong_status: i64,
    #[serde(skip)]
    pub report_json: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait ShelfTx: Send {
    /// Items in `status` at a branch (any location when `location_id` is
    /// `None`), in shelf order: by location, sort key (items without a call
    /// number last), id.
    async fn items_in_status(
        &mut self,
        branch_id: i64,
        location_id: Option<i64>,
        status: &str,
    ) -> Result<Vec<ShelfRow>>;
    /// A window of a shelf in shelf order (see [`ShelfQuery`]).
    async fn shelf_window(&mut self, q: &ShelfQuery<'_>) -> Result<Vec<ShelfRow>>;
    /// How many items [`ShelfTx::shelf_window`] would return without its
    /// limit (an index range count).
    async fn shelf_count(&mut self, q: &ShelfQuery<'_>) -> Result<i64>;
    /// Items in `status` at a branch per location: `(location, all, with a
    /// call number)`, by location id (no location last).
    async fn status_counts(
        &mut self,
        branch_id: i64,
        status: &str,
    ) -> Result<Vec<(Option<i64>, i64, i64)>>;
    /// One item with its shelf columns.
    async fn shelf_item(&mut self, barcode: &str) -> Result<Option<ShelfRow>>;
    /// Reshelving items whose status changed at or before `cutoff` (oldest
    /// first, at most `limit`).
    async fn reshelving_due(&mut self, cutoff: DateTime<Utc>, limit: i64) -> Result<Vec<ShelfRow>>;
    /// Stamps the last inventory (and last seen) time of an item.
    async fn mark_inventoried(&mut self, item_id: i64, at: DateTime<Utc>) -> Result<()>;
    async fn insert_inventory_run(&mut self, r: &InventoryRunWrite<'_>) -> Result<i64>;
    /// Latest runs of a branch, newest first.
    async fn inventory_runs(&mut self, branch_id: i64, limit: i64) -> Result<Vec<InventoryRunRow>>;
    async fn inventory_run(&mut self, id: i64) -> Result<Option<InventoryRunRow>>;
}
