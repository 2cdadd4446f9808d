//! Patron queries beyond registration: details, replaced cards, manual
//! blocks, duplicate candidates, loan anonymisation, closed days and rule
//! deletion (a fourth trait; every `Tx` is also a `PatronTx`). Written once
//! in `common_patrons.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;
use crate::catalog::PatronRow;

/// The registration details added by migration 0008.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PatronExtra {
    pub address: Option<String>,
    pub guardian: Option<String>,
    pub notice_pref: String,
    pub keep_history: bool,
    pub notes: Option<String>,
}

/// Editable fields of a patron (card number and PIN have their own calls).
#[derive(Debug, Clone)]
pub struct PatronUpdate<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub category: &'a str,
    pub home_branch_id: i64,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub birth_date: Option<&'a str>,
    pub preferred_locale: Option<&'a str>,
    pub expires_on: &'a str,
    pub address: Option<&'a str>,
    pub guardian: Option<&'a str>,
    pub notice_pref: &'a str,
    pub keep_history: bool,
    pub now: DateTime<Utc>,
}

/// A replaced card: no longer valid, still findable.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OldCardRow {
    pub barcode: String,
    pub patron_id: i64,
    pub reason: String,
    pub replaced_at: DateTime<Utc>,
    pub created_by: String,
}

/// A manual block set by staff.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PatronBlockRow {
    pub id: i64,
    pub patron_id: i64,
    pub note: String,
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    pub overridable: bool,
    /// `YYYY-MM-DD`, last day in force.
    pub until_on: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lifted_by: Option<String>,
}

/// A new manual block.
#[derive(Debug, Clone)]
pub struct PatronBlockWrite<'a> {
    pub patron_id: i64,
    pub note: &'a str,
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    pub overridable: bool,
    pub until_on: Option<&'a str>,
    pub now: DateTime<Utc>,
    pub created_by: &'a str,
}

/// A returned loan that still names its patron (anonymisation candidate).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReturnedLoanRow {
    pub id: i64,
    pub patron_id: i64,
    pub returned_at: DateTime<Utc>,
    pub keep_history: bool,
    /// Sum of the loan's ledger lines (> 0: still owed).
    pub owed_minor: i64,
}

/// A closed day of a branch.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ClosedDayRow {
    pub branch_id: i64,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub reason: Option<String>,
}

#[async_trait]
pub trait PatronTx: Send {
    async fn patron_extra(&mut self, id: i64) -> Result<Option<PatronExtra>>;
    async fn update_patron(&mut self, id: i64, p: &PatronUpdate<'_>) -> Result<()>;
    async fn set_patron_notes(
        &mut self,
        id: i64,
        notes: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn set_patron_barcode(
        &mut self,
        id: i64,
        barcode: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn set_patron_pin(
        &mut self,
        id: i64,
        pin_hash: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Full-text-free patron search: exact card (current or replaced), name
    /// words, e-mail, phone digits.
    async fn search_patrons_any(&mut self, q: &str, limit: i64) -> Result<Vec<PatronRow>>;
    /// Patrons with the same name and birth date, or the same e-mail
    /// (case-insensitive), other than `exclude`.
    async fn duplicate_patrons(
        &mut self,
        first_name: &str,
        last_name: &str,
        birth_date: Option<&str>,
        email: Option<&str>,
        exclude: Option<i64>,
    ) -> Result<Vec<PatronRow>>;

    async fn insert_old_card(
        &mut self,
        barcode: &str,
        patron_id: i64,
        reason: &str,
        now: DateTime<Utc>,
        created_by: &str,
    ) -> Result<()>;
    async fn old_card(&mut self, barcode: &str) -> Result<Option<OldCardRow>>;
    async fn old_cards_of_patron(&mut self, patron_id: i64) -> Result<Vec<OldCardRow>>;

    async fn insert_patron_block(&mut self, b: &PatronBlockWrite<'_>) -> Result<i64>;
    async fn patron_block(&mut self, id: i64) -> Result<Option<PatronBlockRow>>;
    /// Blocks of a patron, newest first (`active_only`: not lifted).
    async fn patron_blocks(
        &mut self,
        patron_id: i64,
        active_only: bool,
    ) -> Result<Vec<PatronBlockRow>>;
    /// Lifts a block; `NotFound` if it is already lifted or missing.
    async fn lift_patron_block(&mut self, id: i64, now: DateTime<Utc>, by: &str) -> Result<()>;

    /// Returned loans still linked to a patron, returned at or before `before`.
    async fn returned_loans_linked(
        &mut self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ReturnedLoanRow>>;
    /// Removes the patron link of a returned loan.
    async fn anonymise_loan(&mut self, loan_id: i64) -> Result<()>;

    async fn closed_days(&mut self, branch_id: i64) -> Result<Vec<ClosedDayRow>>;
    /// Adds (or re-reasons) a closed day.
    async fn put_closed_day(
        &mut self,
        branch_id: i64,
        day: &str,
        reason: Option<&str>,
    ) -> Result<()>;
    /// Removes a closed day; `NotFound` if it was not closed.
    async fn delete_closed_day(&mut self, branch_id: i64, day: &str) -> Result<()>;

    /// Deletes a rule of the policy matrix; `NotFound` if missing.
    async fn delete_circ_rule(&mut self, id: i64) -> Result<()>;
}
