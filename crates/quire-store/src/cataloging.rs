//! Queries of the staff cataloging screens (item edits and deletions, loan
//! checks before a record or item goes). A trait of its own so parallel
//! work on `CatalogTx` does not collide; every `Tx` is also a `CatalogingTx`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// Every editable column of an item (already validated).
#[derive(Debug, Clone)]
pub struct ItemUpdate<'a> {
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
    pub notes: Option<&'a str>,
    pub now: DateTime<Utc>,
}

#[async_trait]
pub trait CatalogingTx: Send {
    /// Updates an item (a barcode taken by another item: `Duplicate`).
    async fn update_item(&mut self, id: i64, i: &ItemUpdate<'_>) -> Result<()>;
    /// Removes an item row (only for items without any loan history).
    async fn delete_item(&mut self, id: i64) -> Result<()>;
    /// Number of loans (open or returned) that refer to the item.
    async fn count_item_loans(&mut self, item_id: i64) -> Result<i64>;
    /// Number of open loans of the record's items.
    async fn count_open_loans_of_record(&mut self, record_id: i64) -> Result<i64>;
}
