//! Patron self-service and notices: patron sessions and the notices outbox
//! (a fourth trait; every `Tx` is also a `PortalTx`). Written once in
//! `common_portal.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// A patron's OPAC session (the token itself is only in the cookie).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PatronSessionRow {
    pub token_hash: String,
    pub patron_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One notice of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct NoticeRow {
    pub id: i64,
    pub patron_id: i64,
    /// `due-soon`, `overdue` or `hold-ready`.
    pub kind: String,
    pub dedupe_key: String,
    pub loan_id: Option<i64>,
    pub hold_id: Option<i64>,
    pub locale: String,
    pub recipient: Option<String>,
    pub args_json: String,
    /// `pending`, `sent`, `failed` (gave up) or `skipped`.
    pub status: String,
    pub skip_reason: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A new notice.
#[derive(Debug, Clone)]
pub struct NoticeWrite<'a> {
    pub patron_id: i64,
    pub kind: &'a str,
    pub dedupe_key: &'a str,
    pub loan_id: Option<i64>,
    pub hold_id: Option<i64>,
    pub locale: &'a str,
    pub recipient: Option<&'a str>,
    pub args_json: &'a str,
    pub status: &'a str,
    pub skip_reason: Option<&'a str>,
    pub created_at: DateTime<Utc>,
}

/// The outcome of a delivery attempt.
#[derive(Debug, Clone)]
pub struct NoticeDelivery<'a> {
    pub status: &'a str,
    pub attempts: i64,
    pub last_error: Option<&'a str>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// An open loan with what a notice about it says.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LoanNoticeRow {
    pub loan_id: i64,
    pub patron_id: i64,
    pub due_at: DateTime<Utc>,
    pub item_barcode: String,
    pub title: String,
}

#[async_trait]
pub trait PortalTx: Send {
    // patron sessions
    async fn insert_patron_session(&mut self, s: &PatronSessionRow) -> Result<()>;
    async fn patron_session(&mut self, token_hash: &str) -> Result<Option<PatronSessionRow>>;
    async fn touch_patron_session(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()>;
    async fn delete_patron_session(&mut self, token_hash: &str) -> Result<()>;
    /// Deletes a patron's sessions except `keep` (after a PIN change).
    async fn delete_patron_sessions_of(
        &mut self,
        patron_id: i64,
        keep: Option<&str>,
    ) -> Result<u64>;
    async fn delete_expired_patron_sessions(&mut self, now: DateTime<Utc>) -> Result<u64>;

    // the patron's own settings
    async fn set_patron_locale(
        &mut self,
        patron_id: i64,
        locale: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;

    // notices
    /// Open loans (with a borrower) due in `(after, until]`, by loan id.
    async fn open_loans_due_between(
        &mut self,
        after: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
    ) -> Result<Vec<LoanNoticeRow>>;
    /// Inserts a notice unless one with the same `dedupe_key` exists;
    /// `None` when it already existed.
    async fn insert_notice(&mut self, n: &NoticeWrite<'_>) -> Result<Option<i64>>;
    async fn notice(&mut self, id: i64) -> Result<Option<NoticeRow>>;
    /// Newest first; `status` filters when given.
    async fn notices(&mut self, status: Option<&str>, limit: i64) -> Result<Vec<NoticeRow>>;
    /// Pending notices whose next attempt is due, oldest first.
    async fn due_notices(&mut self, now: DateTime<Utc>, limit: i64) -> Result<Vec<NoticeRow>>;
    /// Claims a due pending notice for one sender until `until` (its next
    /// attempt moves there); `false` when another sender claimed it first.
    async fn claim_notice(
        &mut self,
        id: i64,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    async fn update_notice_delivery(&mut self, id: i64, d: &NoticeDelivery<'_>) -> Result<()>;
}
