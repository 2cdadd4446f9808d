//! Circulation queries: loans, the policy matrix, the fees ledger (a third
//! trait; every `Tx` is also a `CircTx`). Written once in `common_circ.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// One loan (open while `returned_at` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct LoanRow {
    pub id: i64,
    pub item_id: i64,
    /// `None` once a returned loan is anonymised.
    pub patron_id: Option<i64>,
    pub checkout_branch_id: i64,
    pub checked_out_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
    pub checkin_branch_id: Option<i64>,
    pub renewals: i64,
    pub rule_id: Option<i64>,
    pub fine_minor: i64,
    pub created_by: String,
}

/// A patron's counters for a circulation decision
/// (`CircTx::patron_circ_counts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct PatronCircCounts {
    pub open_loans: i64,
    pub overdue: i64,
    pub balance: i64,
    pub active_holds: i64,
    /// Claims returned ever made (reversed ones excluded).
    pub claims_returned: i64,
    /// Open loans under an open mark that are past due (not "overdue" for
    /// the block rules: fines stopped, the mark is handled on its own).
    pub marked_overdue: i64,
    /// Blocks not lifted (`patron_blocks(id, true)` is worth reading only
    /// when this is not 0).
    pub active_blocks: i64,
}

/// A new loan.
#[derive(Debug, Clone)]
pub struct LoanWrite<'a> {
    pub item_id: i64,
    pub patron_id: i64,
    pub checkout_branch_id: i64,
    pub checked_out_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub rule_id: Option<i64>,
    pub created_by: &'a str,
}

/// A row of the policy matrix; `None` keys are wildcards.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct CircRuleRow {
    pub id: i64,
    pub patron_category: Option<String>,
    pub item_type: Option<String>,
    pub branch_code: Option<String>,
    pub policy_json: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One line of the fees ledger (positive = charge, negative = payment/waiver).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct FeeRow {
    pub id: i64,
    pub patron_id: i64,
    pub loan_id: Option<i64>,
    pub item_id: Option<i64>,
    pub kind: String,
    pub amount_minor: i64,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// A new ledger line.
#[derive(Debug, Clone)]
pub struct FeeWrite<'a> {
    pub patron_id: i64,
    pub loan_id: Option<i64>,
    pub item_id: Option<i64>,
    pub kind: &'a str,
    pub amount_minor: i64,
    pub note: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    pub created_by: &'a str,
}

#[async_trait]
pub trait CircTx: Send {
    // loans
    /// Inserts an open loan. A second open loan of the same item violates the
    /// unique index `loans_open_item` (→ `StoreError::Duplicate`).
    async fn insert_loan(&mut self, l: &LoanWrite<'_>) -> Result<i64>;
    /// Closes an open loan; `NotFound` if it is not open.
    async fn close_loan(
        &mut self,
        id: i64,
        returned_at: DateTime<Utc>,
        checkin_branch_id: i64,
        fine_minor: i64,
    ) -> Result<()>;
    /// Sets a new due date and renewal count on an open loan.
    async fn renew_loan(&mut self, id: i64, due_at: DateTime<Utc>, renewals: i64) -> Result<()>;
    async fn loan(&mut self, id: i64) -> Result<Option<LoanRow>>;
    async fn open_loan_of_item(&mut self, item_id: i64) -> Result<Option<LoanRow>>;
    /// Open loans of a patron, by due date.
    async fn open_loans_of_patron(&mut self, patron_id: i64) -> Result<Vec<LoanRow>>;
    async fn count_open_loans(&mut self, patron_id: i64) -> Result<i64>;
    /// Open loans of a patron per item type.
    async fn open_loans_by_type(&mut self, patron_id: i64) -> Result<Vec<(String, i64)>>;
    /// Open loans of a patron due before `now`.
    async fn count_overdue(&mut self, patron_id: i64, now: DateTime<Utc>) -> Result<i64>;
    /// What a checkout decision needs to know about a patron, in one
    /// statement: open loans, overdue loans (due before `now`), ledger
    /// balance and active holds.
    async fn patron_circ_counts(
        &mut self,
        patron_id: i64,
        now: DateTime<Utc>,
    ) -> Result<PatronCircCounts>;
    /// Every loan of a patron, newest first.
    async fn loans_history(&mut self, patron_id: i64, limit: i64) -> Result<Vec<LoanRow>>;

    // items
    async fn set_item_status(
        &mut self,
        item_id: i64,
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn item(&mut self, id: i64) -> Result<Option<crate::catalog::ItemRow>>;
    async fn location(&mut self, id: i64) -> Result<Option<crate::model::LocationRow>>;

    // rules
    async fn circ_rules(&mut self) -> Result<Vec<CircRuleRow>>;
    async fn circ_rule(&mut self, id: i64) -> Result<Option<CircRuleRow>>;
    async fn insert_circ_rule(
        &mut self,
        patron_category: Option<&str>,
        item_type: Option<&str>,
        branch_code: Option<&str>,
        policy_json: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn update_circ_rule(
        &mut self,
        id: i64,
        policy_json: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;

    // fees
    async fn insert_fee(&mut self, f: &FeeWrite<'_>) -> Result<i64>;
    /// Sum of the patron's ledger (what they owe).
    async fn fee_balance(&mut self, patron_id: i64) -> Result<i64>;
    async fn fees_of_patron(&mut self, patron_id: i64) -> Result<Vec<FeeRow>>;

    /// Whether a patron with this card number exists.
    async fn patron_exists(&mut self, barcode: &str) -> Result<bool>;
}
