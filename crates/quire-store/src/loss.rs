//! Lost and claims-returned loans, reading history and the privacy sweep
//! (a trait of its own; every `Tx` is also a `LossTx`). Written once in
//! `common_loss.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// A loan marked lost or claims returned (`loan_marks`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct LoanMarkRow {
    pub id: i64,
    /// `None` once the loan is anonymised.
    pub loan_id: Option<i64>,
    pub patron_id: i64,
    /// `lost` or `claims-returned`.
    pub kind: String,
    pub reason: String,
    pub marked_at: DateTime<Utc>,
    pub marked_by: String,
    pub replacement_minor: i64,
    pub processing_minor: i64,
    pub fine_minor: i64,
    pub cleared_at: Option<DateTime<Utc>>,
    /// `found`, `reversed` or `lost`.
    pub cleared_how: Option<String>,
    pub cleared_by: Option<String>,
    pub cleared_note: Option<String>,
}

/// A new mark.
#[derive(Debug, Clone)]
pub struct LoanMarkWrite<'a> {
    pub loan_id: i64,
    pub patron_id: i64,
    pub kind: &'a str,
    pub reason: &'a str,
    pub marked_at: DateTime<Utc>,
    pub marked_by: &'a str,
    pub replacement_minor: i64,
    pub processing_minor: i64,
    pub fine_minor: i64,
}

/// One past loan of a reading history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct HistoryRow {
    pub loan_id: i64,
    pub record_id: i64,
    pub title: String,
    pub item_barcode: String,
    pub checked_out_at: DateTime<Utc>,
    pub returned_at: DateTime<Utc>,
}

/// A returned loan still linked to a patron who does not keep a history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttributedLoanRow {
    pub id: i64,
    pub returned_at: DateTime<Utc>,
    /// Sum of the loan's ledger lines (> 0: still owed).
    pub owed_minor: i64,
}

/// An open loan past due whose item may need escalating (long overdue or
/// lost; `LossTx::escalation_candidates`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EscalationCandidate {
    pub loan_id: i64,
    pub item_barcode: String,
    /// `checked-out` or `long-overdue`.
    pub item_status: String,
    pub due_at: DateTime<Utc>,
    pub checkout_branch_id: i64,
    pub patron_category: String,
    pub item_type: String,
}

#[async_trait]
pub trait LossTx: Send {
    async fn insert_loan_mark(&mut self, m: &LoanMarkWrite<'_>) -> Result<i64>;
    /// The open (not cleared) mark of a loan.
    async fn open_loan_mark(&mut self, loan_id: i64) -> Result<Option<LoanMarkRow>>;
    /// Open marks of a patron's open loans.
    async fn open_marks_of_patron(&mut self, patron_id: i64) -> Result<Vec<LoanMarkRow>>;
    /// Clears an open mark; `NotFound` if it is not open.
    async fn clear_loan_mark(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        how: &str,
        by: &str,
        note: Option<&str>,
    ) -> Result<()>;
    /// Unlinks marks from loans that are anonymised (privacy).
    async fn detach_anonymised_marks(&mut self) -> Result<u64>;

    /// The patron's reading-history choice.
    async fn set_keep_history(
        &mut self,
        patron_id: i64,
        keep: bool,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Returned loans of a patron, newest first.
    async fn reading_history(
        &mut self,
        patron_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<HistoryRow>>;
    async fn count_reading_history(&mut self, patron_id: i64) -> Result<i64>;
    /// Returned loans of a patron still linked to them, with what is owed.
    async fn attributed_loans_of(&mut self, patron_id: i64) -> Result<Vec<AttributedLoanRow>>;
    /// Returned loans returned at or before `before`, still linked to a
    /// patron who does not keep a history, with ids above `after_id`, by id.
    async fn attributed_loans(
        &mut self,
        before: DateTime<Utc>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<AttributedLoanRow>>;
    /// Open loans of a patron due at or before `due_before` whose item is checked
    /// out or long overdue (never claims returned or lost), with ids above
    /// `after_id`, by id (the overdue escalation sweep).
    async fn escalation_candidates(
        &mut self,
        due_before: DateTime<Utc>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<EscalationCandidate>>;
}
