//! The embedded SQLite backend: one file in the data directory, WAL mode,
//! foreign keys on, a busy timeout so concurrent writers queue.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection as _, Row, SqlitePool};

use crate::model::*;

const BUSY_TIMEOUT: Duration = Duration::from_secs(15);
use crate::{Backend, Result, Store, StoreError, Tx};

type Db = sqlx::Sqlite;

pub struct SqliteStore {
    /// Connections for read transactions.
    pool: SqlitePool,
    /// The one connection that writes. SQLite has one writer at a time:
    /// writers of this process queue here, first come first served, instead
    /// of spinning in SQLite's busy handler (whose growing sleeps made p99
    /// latencies under concurrent checkouts hundreds of milliseconds). Other
    /// processes on the same file (e.g. `quire import` next to `quire
    /// serve`) still meet the busy timeout. A dedicated connection rather
    /// than one from the pool: the pool pings a connection when it is taken
    /// and again when it is returned, and every ping is a round trip to
    /// sqlx's worker thread — inside the writers' queue, that was a tenth of
    /// a checkout's time (BENCHMARKS.md).
    writer: Arc<tokio::sync::Mutex<Option<WriterSlot>>>,
}

/// The writer connection and whether a transaction is open on it (left open
/// only when a transaction was dropped without a runtime to roll it back).
pub(crate) struct WriterSlot {
    conn: sqlx::SqliteConnection,
    open: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str("sqlite://")
            .map_err(StoreError::from)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000")
            // Reads straight from the mapped file instead of a read() per
            // page (the database stays the source; WAL still applies).
            .pragma("mmap_size", "268435456");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            // A local file does not go away: no ping before each use (the
            // pool still checks a connection when it comes back).
            .test_before_acquire(false)
            .connect_with(opts.clone())
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let conn = sqlx::SqliteConnection::connect_with(&opts).await?;
        Ok(SqliteStore {
            pool,
            writer: Arc::new(tokio::sync::Mutex::new(Some(WriterSlot {
                conn,
                open: false,
            }))),
        })
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
    async fn begin(&self) -> Result<Box<dyn Tx>> {
        // As long as SQLite's own busy timeout: a writer that waits longer
        // gets the same "busy" error it would get from SQLite.
        let guard = tokio::time::timeout(BUSY_TIMEOUT, self.writer.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy("waited too long for the other writers".into()))?;
        let mut slot = tokio::sync::OwnedMutexGuard::try_map(guard, |s| s.as_mut())
            .map_err(|_| StoreError::Database("the database is closed".into()))?;
        if slot.open {
            sqlx::query("ROLLBACK").execute(&mut slot.conn).await?;
            slot.open = false;
        }
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut slot.conn)
            .await?;
        slot.open = true;
        Ok(Box::new(BackendTx {
            tx: TxConn::Write(WriteTx { slot: Some(slot) }),
            pending: Default::default(),
        }))
    }
    async fn read(&self) -> Result<Box<dyn Tx>> {
        let tx = self.pool.begin().await?;
        Ok(Box::new(BackendTx {
            tx: TxConn::Read(tx),
            pending: Default::default(),
        }))
    }
    async fn close(&self) {
        if let Some(slot) = self.writer.lock().await.take() {
            let mut conn = slot.conn;
            if slot.open {
                let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
            }
            let _ = sqlx::Connection::close(conn).await;
        }
        self.pool.close().await;
    }
}

/// The connection of a transaction: a pooled one for reads, the writer
/// connection (and with it the writers' queue) for writes.
pub(crate) enum TxConn {
    Read(sqlx::Transaction<'static, Db>),
    Write(WriteTx),
}

pub(crate) struct WriteTx {
    /// `None` only inside `drop`.
    slot: Option<tokio::sync::OwnedMappedMutexGuard<Option<WriterSlot>, WriterSlot>>,
}

impl TxConn {
    async fn commit(self) -> Result<()> {
        match self {
            TxConn::Read(tx) => tx.commit().await?,
            TxConn::Write(mut w) => {
                if let Some(slot) = w.slot.as_mut() {
                    sqlx::query("COMMIT").execute(&mut slot.conn).await?;
                    slot.open = false;
                }
            }
        }
        Ok(())
    }
}

impl std::ops::Deref for TxConn {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        match self {
            TxConn::Read(tx) => tx,
            TxConn::Write(w) => match &w.slot {
                Some(slot) => &slot.conn,
                None => unreachable!("the writer slot is only taken when the transaction drops"),
            },
        }
    }
}

impl std::ops::DerefMut for TxConn {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            TxConn::Read(tx) => tx,
            TxConn::Write(w) => match &mut w.slot {
                Some(slot) => &mut slot.conn,
                None => unreachable!("the writer slot is only taken when the transaction drops"),
            },
        }
    }
}

impl Drop for WriteTx {
    /// A write transaction dropped without commit (a refusal, an error, a
    /// cancelled request) rolls back before the next writer may begin: the
    /// rollback runs on a task that holds the writers' queue until it is
    /// done, so SQLite's write lock is not kept for other processes either.
    /// Without a runtime the slot stays marked open and the next `begin`
    /// rolls back first.
    fn drop(&mut self) {
        let Some(mut slot) = self.slot.take() else {
            return;
        };
        if !slot.open {
            return;
        }
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                match sqlx::query("ROLLBACK").execute(&mut slot.conn).await {
                    Ok(_) => slot.open = false,
                    Err(e) => {
                        tracing::warn!(error = %e, "rollback of a dropped write transaction failed")
                    }
                }
            });
        }
    }
}

pub(crate) struct BackendTx {
    tx: TxConn,
    pending: crate::pending::Pending,
}

impl BackendTx {
    async fn tables_impl(&mut self) -> Result<Vec<String>> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&mut *self.tx)
        .await?;
        let edges: Vec<(String, String)> = sqlx::query(
            "SELECT m.name, p.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p \
             WHERE m.type = 'table'",
        )
        .fetch_all(&mut *self.tx)
        .await?
        .into_iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect();
        Ok(crate::backup::dependency_order(names, &edges))
    }

    async fn raw_columns(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT name, upper(type) FROM pragma_table_info($1) ORDER BY cid")
            .bind(table)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn dump_table_impl(
        &mut self,
        table: &str,
        out: &mut (dyn FnMut(String) -> std::io::Result<()> + Send),
    ) -> Result<u64> {
        let cols = self.known_columns(table).await?;
        let parts: Vec<String> = cols
            .iter()
            .map(|(name, ty)| {
                if ty == "BLOB" {
                    format!("'{name}', CASE WHEN \"{name}\" IS NULL THEN NULL ELSE '\\x' || lower(hex(\"{name}\")) END")
                } else {
                    format!("'{name}', \"{name}\"")
                }
            })
            .collect();
        let sql = format!(
            "SELECT json_object({}) FROM \"{table}\" ORDER BY rowid",
            parts.join(", ")
        );
        let mut rows = sqlx::query_scalar::<_, String>(&sql).fetch(&mut *self.tx);
        let mut n = 0;
        while let Some(line) = rows.try_next().await? {
            out(line).map_err(|e| StoreError::Io(e.to_string()))?;
            n += 1;
        }
        Ok(n)
    }

    async fn known_columns(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let tables = self.tables_impl().await?;
        if !tables.iter().any(|t| t == table) {
            return Err(StoreError::Database(format!("unknown table {table}")));
        }
        self.raw_columns(table).await
    }

    async fn restore_rows_impl(&mut self, table: &str, rows: &[serde_json::Value]) -> Result<()> {
        let cols = self.known_columns(table).await?;
        let names: Vec<String> = cols.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let params: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({})",
            names.join(", "),
            params.join(", ")
        );
        for row in rows {
            let mut q = sqlx::query(&sql);
            for (name, ty) in &cols {
                let v = row.get(name).unwrap_or(&serde_json::Value::Null);
                q = match v {
                    serde_json::Value::Null => q.bind(None::<String>),
                    serde_json::Value::Bool(b) => q.bind(i64::from(*b)),
                    serde_json::Value::Number(n) => match n.as_i64() {
                        Some(i) => q.bind(i),
                        None => q.bind(n.as_f64().unwrap_or_default()),
                    },
                    serde_json::Value::String(s) if ty == "BLOB" => {
                        q.bind(crate::backup::unhex(s).ok_or_else(|| {
                            StoreError::Database(format!("{table}.{name}: bad hex blob"))
                        })?)
                    }
                    serde_json::Value::String(s) if name.ends_with("_at") => {
                        match DateTime::parse_from_rfc3339(s) {
                            Ok(t) => q.bind(t.with_timezone(&Utc)),
                            Err(_) => q.bind(s.clone()),
                        }
                    }
                    serde_json::Value::String(s) => q.bind(s.clone()),
                    other => q.bind(other.to_string()),
                };
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn reserve_record_id_impl(&mut self) -> Result<i64> {
        // Writers hold the database lock (BEGIN IMMEDIATE), so no other
        // transaction can take this id before ours inserts it; it is the id
        // INTEGER PRIMARY KEY would pick.
        Ok(
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM bib_records")
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    async fn reset_sequences_impl(&mut self) -> Result<()> {
        // INTEGER PRIMARY KEY picks max(rowid)+1 by itself.
        Ok(())
    }
}

include!("common.rs");
include!("common_catalog.rs");
include!("common_circ.rs");
include!("common_sip2.rs");
include!("common_cataloging.rs");
include!("common_patrons.rs");
include!("common_holds.rs");
include!("common_interop.rs");
include!("common_shelf.rs");
include!("common_portal.rs");
include!("common_loss.rs");
