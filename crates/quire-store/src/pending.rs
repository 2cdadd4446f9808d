//! Writes a transaction may defer until it reads them back or commits:
//! fewer round trips to the database in bulk work (a 250,000-record import
//! wrote one outbox row per record in its own statement).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

/// Outbox rows collected before one multi-row INSERT.
pub(crate) const OUTBOX_FLUSH_AT: usize = 250;

/// Per-transaction buffer, held by each backend's `BackendTx`.
#[derive(Default)]
pub(crate) struct Pending {
    /// Outbox rows not yet written: (entity, entity id, op, at).
    pub(crate) outbox: Vec<(String, i64, String, DateTime<Utc>)>,
    /// Records inserted by this transaction that have no identifier rows
    /// yet: their first `replace_identifiers` needs no DELETE.
    pub(crate) fresh_records: HashSet<i64>,
}
