//! Hold and transit queries (a fourth trait; every `Tx` is also a
//! `HoldTx`). Written once in `common_holds.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// Hold statuses that still count (queue, patron limit, captured copy).
pub const ACTIVE_HOLD_STATUSES: [&str; 3] = ["placed", "in-transit", "waiting"];

/// One hold.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct HoldRow {
    pub id: i64,
    pub patron_id: i64,
    pub record_id: i64,
    /// Item-level hold: this copy only.
    pub item_id: Option<i64>,
    pub pickup_branch_id: i64,
    /// `placed`, `in-transit`, `waiting`, `fulfilled`, `cancelled`, `expired`.
    pub status: String,
    pub priority: i64,
    pub placed_at: DateTime<Utc>,
    /// Suspended until.
    pub resumes_at: Option<DateTime<Utc>>,
    /// Not needed after.
    pub expires_at: Option<DateTime<Utc>>,
    pub captured_item_id: Option<i64>,
    pub captured_at: Option<DateTime<Utc>>,
    /// Pickup deadline on the hold shelf.
    pub shelf_expires_at: Option<DateTime<Utc>>,
    pub fulfilled_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub expired_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A new hold (status `placed`).
#[derive(Debug, Clone)]
pub struct HoldWrite<'a> {
    pub patron_id: i64,
    pub record_id: i64,
    pub item_id: Option<i64>,
    pub pickup_branch_id: i64,
    pub priority: i64,
    pub placed_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_by: &'a str,
}

/// One transit of an item between branches (open while `received_at` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct TransitRow {
    pub id: i64,
    pub item_id: i64,
    pub from_branch_id: i64,
    pub to_branch_id: i64,
    /// `hold` or `home`.
    pub reason: String,
    pub hold_id: Option<i64>,
    pub sent_at: DateTime<Utc>,
    pub sent_by: String,
    pub received_at: Option<DateTime<Utc>>,
    pub received_by: Option<String>,
    pub received_branch_id: Option<i64>,
}

/// A new (open) transit.
#[derive(Debug, Clone)]
pub struct TransitWrite<'a> {
    pub item_id: i64,
    pub from_branch_id: i64,
    pub to_branch_id: i64,
    pub reason: &'a str,
    pub hold_id: Option<i64>,
    pub sent_at: DateTime<Utc>,
    pub sent_by: &'a str,
}

#[async_trait]
pub trait HoldTx: Send {
    /// Inserts a hold in status `placed`.
    async fn insert_hold(&mut self, h: &HoldWrite<'_>) -> Result<i64>;
    async fn hold(&mut self, id: i64) -> Result<Option<HoldRow>>;
    /// Writes every mutable column of a hold (status, pickup, suspension,
    /// expiry, capture, deadlines, cancellation) and `updated_at` — only if
    /// its stored status is still `expected_status` (optimistic check: a
    /// concurrent change makes this return `false` and write nothing).
    /// A second active capture of one item violates `holds_captured_item`
    /// (→ `StoreError::Duplicate`).
    async fn save_hold(&mut self, h: &HoldRow, expected_status: &str) -> Result<bool>;
    /// Active holds (placed, in transit, waiting) on a record and on its
    /// items, by id.
    async fn active_holds_of_record(&mut self, record_id: i64) -> Result<Vec<HoldRow>>;
    /// A patron's holds, newest first (`active_only`: placed, in transit, waiting).
    async fn holds_of_patron(&mut self, patron_id: i64, active_only: bool) -> Result<Vec<HoldRow>>;
    /// Active holds of a patron.
    async fn count_active_holds(&mut self, patron_id: i64) -> Result<i64>;
    /// The active hold that captured this item, if any.
    async fn hold_captured_item(&mut self, item_id: i64) -> Result<Option<HoldRow>>;
    /// Holds waiting on the hold shelf of a branch, by pickup deadline.
    async fn waiting_holds_at(&mut self, branch_id: i64) -> Result<Vec<HoldRow>>;
    /// Holds the expiry sweep must handle at `now`: waiting past their
    /// pickup deadline, and placed past their not-needed-after date.
    async fn holds_due_for_sweep(&mut self, now: DateTime<Utc>) -> Result<Vec<HoldRow>>;
    /// (hold id, item id) pairs for the pull list of a branch: placed holds
    /// not suspended or expired at `now`, with an `available` copy at that
    /// branch that they could take (item-level: that copy; title-level: any
    /// copy of the record in a holdable location), in queue order (priority,
    /// placed_at, hold id), then item id.
    async fn pull_candidates(
        &mut self,
        branch_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64)>>;

    async fn insert_transit(&mut self, t: &TransitWrite<'_>) -> Result<i64>;
    async fn transit(&mut self, id: i64) -> Result<Option<TransitRow>>;
    async fn open_transit_of_item(&mut self, item_id: i64) -> Result<Option<TransitRow>>;
    /// Closes an open transit; `NotFound` if it is not open.
    async fn receive_transit(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        by: &str,
        branch_id: i64,
    ) -> Result<()>;
    /// Open transits to (`incoming`) or from a branch, oldest first.
    async fn open_transits(&mut self, branch_id: i64, incoming: bool) -> Result<Vec<TransitRow>>;
}
