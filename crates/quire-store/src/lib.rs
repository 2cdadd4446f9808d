//! Quire's storage layer: the [`Store`] and [`Tx`] traits and their two
//! implementations, SQLite (embedded default) and PostgreSQL (consortia).
//!
//! The service layer owns transactions: it calls [`Store::begin`] (or
//! [`Store::read`]), runs any number of [`Tx`] methods and commits. Every
//! query is written once (`common.rs`, compiled for both backends) so the two
//! backends cannot drift; only the DDL in `migrations/` differs.

pub mod backup;
pub mod catalog;
pub mod cataloging;
pub mod circ;
pub mod holds;
pub mod interop;
pub mod loss;
pub mod model;
pub mod patrons;
mod pending;
pub mod portal;
mod postgres;
pub mod shelf;
pub mod sip2;
mod sqlite;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use model::*;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Storage errors. Constraint violations are told apart so the service layer
/// can turn them into precise user-facing errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("unique constraint violated: {0}")]
    Duplicate(String),
    #[error("reference constraint violated: {0}")]
    Reference(String),
    #[error("check constraint violated: {0}")]
    Check(String),
    #[error("database busy or serialization failure: {0}")]
    Busy(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("I/O error: {0}")]
    Io(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                let what = db
                    .constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| db.message().to_owned());
                // SQLITE_BUSY (5) / SQLITE_LOCKED (6); PG serialization_failure / deadlock.
                let code = db.code().unwrap_or_default();
                if matches!(code.as_ref(), "5" | "6" | "517" | "40001" | "40P01") {
                    return StoreError::Busy(db.message().to_owned());
                }
                match db.kind() {
                    ErrorKind::UniqueViolation => StoreError::Duplicate(what),
                    ErrorKind::ForeignKeyViolation => StoreError::Reference(what),
                    ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                        StoreError::Check(what)
                    }
                    _ => StoreError::Database(db.message().to_owned()),
                }
            }
            sqlx::Error::Io(io) => StoreError::Io(io.to_string()),
            _ => StoreError::Database(e.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migration(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Opens the database named by `url` (`sqlite:PATH` / a file path, or
/// `postgres://…`) and applies pending migrations.
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(PgStore::open(url).await?))
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Ok(std::sync::Arc::new(
            SqliteStore::open(std::path::Path::new(path)).await?,
        ))
    }
}

/// A database: hands out transactions.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;
    /// A read-write transaction (on SQLite it takes the write lock at once,
    /// so concurrent writers queue instead of failing on lock upgrade).
    async fn begin(&self) -> Result<Box<dyn Tx>>;
    /// A read-only transaction: a consistent snapshot.
    async fn read(&self) -> Result<Box<dyn Tx>>;
    /// Closes the pool (waits for connections to finish).
    async fn close(&self);
}

/// One transaction. Dropping it without `commit` rolls back.
#[async_trait]
pub trait Tx:
    catalog::CatalogTx
    + cataloging::CatalogingTx
    + circ::CircTx
    + holds::HoldTx
    + interop::InteropTx
    + shelf::ShelfTx
    + sip2::Sip2Tx
    + portal::PortalTx
    + patrons::PatronTx
    + loss::LossTx
    + Send
{
    async fn commit(self: Box<Self>) -> Result<()>;

    // backup and restore (backend-specific SQL; see `backup`)
    /// Table names in dependency order (parents first).
    async fn tables(&mut self) -> Result<Vec<String>>;
    /// Every row of `table` as one JSON object (column name → value) per row;
    /// `out` is called once per row.
    async fn dump_table(
        &mut self,
        table: &str,
        out: &mut (dyn FnMut(String) -> std::io::Result<()> + Send),
    ) -> Result<u64>;
    /// Inserts JSON rows (as produced by `dump_table`, possibly by the other
    /// backend) into `table`, converting values to the column types.
    async fn restore_rows(&mut self, table: &str, rows: &[serde_json::Value]) -> Result<()>;
    /// Column names and declared types of a table, in order.
    async fn columns(&mut self, table: &str) -> Result<Vec<(String, String)>>;
    /// Whether a table has no rows (restore refuses a non-empty database).
    async fn table_is_empty(&mut self, table: &str) -> Result<bool>;
    /// After a restore: move identity sequences past the restored ids.
    async fn reset_sequences(&mut self) -> Result<()>;

    // settings
    async fn setting(&mut self, key: &str) -> Result<Option<String>>;
    async fn put_setting(&mut self, key: &str, value: &str) -> Result<()>;

    // organisation
    #[allow(clippy::too_many_arguments)]
    async fn insert_branch(
        &mut self,
        parent_id: Option<i64>,
        code: &str,
        name: &str,
        kind: &str,
        timezone: &str,
        address: Option<&str>,
        phone: Option<&str>,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    #[allow(clippy::too_many_arguments)]
    async fn update_branch(
        &mut self,
        id: i64,
        code: &str,
        name: &str,
        kind: &str,
        timezone: &str,
        address: Option<&str>,
        phone: Option<&str>,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn branch(&mut self, id: i64) -> Result<Option<BranchRow>>;
    /// Sets (or clears, `None`) a branch's default call number scheme.
    async fn set_branch_default_scheme(
        &mut self,
        id: i64,
        scheme: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn branch_by_code(&mut self, code: &str) -> Result<Option<BranchRow>>;
    async fn branches(&mut self) -> Result<Vec<BranchRow>>;
    async fn opening_hours(&mut self, branch_id: i64) -> Result<Vec<OpeningHoursRow>>;
    async fn replace_opening_hours(
        &mut self,
        branch_id: i64,
        rows: &[(i64, i64, i64)],
    ) -> Result<()>;
    async fn insert_location(
        &mut self,
        branch_id: i64,
        code: &str,
        name: &str,
        circulates: bool,
        holdable: bool,
        public: bool,
    ) -> Result<i64>;
    async fn locations(&mut self, branch_id: Option<i64>) -> Result<Vec<LocationRow>>;

    // staff
    async fn insert_staff(&mut self, new: &NewStaffRow<'_>) -> Result<i64>;
    async fn staff(&mut self, id: i64) -> Result<Option<StaffUserRow>>;
    async fn staff_by_username(&mut self, username: &str) -> Result<Option<StaffUserRow>>;
    async fn staff_list(&mut self) -> Result<Vec<StaffUserRow>>;
    async fn staff_roles(&mut self, user_id: i64) -> Result<Vec<String>>;
    async fn set_staff_roles(&mut self, user_id: i64, roles: &[&str]) -> Result<()>;
    async fn set_staff_password(
        &mut self,
        user_id: i64,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn set_staff_active(
        &mut self,
        user_id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn set_staff_locale(&mut self, user_id: i64, locale: Option<&str>) -> Result<()>;

    // sessions and login throttling
    async fn insert_session(&mut self, s: &SessionRow) -> Result<()>;
    async fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>>;
    async fn touch_session(
        &mut self,
        token_hash: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<()>;
    async fn delete_session(&mut self, token_hash: &str) -> Result<()>;
    /// Deletes all sessions of a user except `keep` (e.g. after a password change).
    async fn delete_sessions_of(&mut self, user_id: i64, keep: Option<&str>) -> Result<u64>;
    async fn delete_expired_sessions(&mut self, now: DateTime<Utc>) -> Result<u64>;
    async fn add_login_failure(&mut self, key: &str, at: DateTime<Utc>) -> Result<()>;
    async fn count_login_failures(&mut self, key: &str, since: DateTime<Utc>) -> Result<i64>;
    async fn clear_login_failures(&mut self, key: &str) -> Result<()>;
    async fn prune_login_failures(&mut self, before: DateTime<Utc>) -> Result<u64>;

    // API tokens
    async fn insert_api_token(
        &mut self,
        user_id: i64,
        name: &str,
        hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn api_token_by_hash(&mut self, hash: &str) -> Result<Option<ApiTokenRow>>;
    async fn api_tokens(&mut self) -> Result<Vec<ApiTokenRow>>;
    async fn api_token(&mut self, id: i64) -> Result<Option<ApiTokenRow>>;
    async fn revoke_api_token(&mut self, id: i64, now: DateTime<Utc>) -> Result<bool>;
    async fn touch_api_token(&mut self, id: i64, now: DateTime<Utc>) -> Result<()>;

    // audit
    async fn append_audit(&mut self, a: &NewAudit<'_>) -> Result<i64>;
    async fn audit(&mut self, f: &AuditFilter) -> Result<Vec<AuditRow>>;

    /// Row count of a known table (dashboard figures); unknown names are an error.
    async fn count(&mut self, table: &str) -> Result<i64>;
}

/// Tables `count` accepts. Guards the one place where a table name is
/// interpolated into SQL.
pub const COUNTABLE: &[&str] = &[
    "branches",
    "locations",
    "staff_users",
    "sessions",
    "api_tokens",
    "audit_log",
    "bib_records",
    "items",
    "patrons",
    "quarantine",
    "loans",
    "fees",
    "sip2_accounts",
    "holds",
    "transits",
    "notices",
    "loan_marks",
];
