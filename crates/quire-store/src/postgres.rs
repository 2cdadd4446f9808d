//! The PostgreSQL backend, for consortia and multi-node deployments.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};

use crate::model::*;
use crate::{Backend, Result, Store, StoreError, Tx};

type Db = sqlx::Postgres;

pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects and applies migrations. Sessions run in UTC so that
    /// timestamps leave the database in one form whatever the server's zone.
    pub async fn open(url: &str) -> Result<Self> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(StoreError::from)?
            .options([("timezone", "UTC")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool })
    }
}

#[async_trait::async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }
    async fn begin(&self) -> Result<Box<dyn Tx>> {
        let tx = self.pool.begin().await?;
        Ok(Box::new(BackendTx {
            tx,
            pending: Default::default(),
        }))
    }
    async fn read(&self) -> Result<Box<dyn Tx>> {
        let tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        Ok(Box::new(BackendTx {
            tx,
            pending: Default::default(),
        }))
    }
    async fn close(&self) {
        self.pool.close().await;
    }
}

pub(crate) struct BackendTx {
    tx: sqlx::Transaction<'static, Db>,
    pending: crate::pending::Pending,
}

impl BackendTx {
    async fn tables_impl(&mut self) -> Result<Vec<String>> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations' ORDER BY table_name",
        )
        .fetch_all(&mut *self.tx)
        .await?;
        let edges: Vec<(String, String)> = sqlx::query(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c \
             JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()",
        )
        .fetch_all(&mut *self.tx)
        .await?
        .into_iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect();
        Ok(crate::backup::dependency_order(names, &edges))
    }

    async fn known_columns(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let tables = self.tables_impl().await?;
        if !tables.iter().any(|t| t == table) {
            return Err(StoreError::Database(format!("unknown table {table}")));
        }
        let rows = sqlx::query(
            "SELECT column_name::text, format_type(a.atttypid, a.atttypmod) FROM information_schema.columns c \
             JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_name))::regclass AND a.attname = c.column_name \
             WHERE c.table_schema = current_schema() AND c.table_name = $1 ORDER BY c.ordinal_position",
        )
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
        let order = if cols.iter().any(|(n, _)| n == "id") {
            "ORDER BY id"
        } else {
            ""
        };
        let sql = format!("SELECT row_to_json(t)::text FROM \"{table}\" t {order}");
        let mut rows = sqlx::query_scalar::<_, String>(&sql).fetch(&mut *self.tx);
        let mut n = 0;
        while let Some(line) = rows.try_next().await? {
            out(line).map_err(|e| StoreError::Io(e.to_string()))?;
            n += 1;
        }
        Ok(n)
    }

    async fn restore_rows_impl(&mut self, table: &str, rows: &[serde_json::Value]) -> Result<()> {
        let cols = self.known_columns(table).await?;
        let names: Vec<String> = cols.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let params: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, (_, ty))| format!("CAST(${} AS {ty})", i + 1))
            .collect();
        let sql = format!(
            "INSERT INTO \"{table}\" ({}) VALUES ({})",
            names.join(", "),
            params.join(", ")
        );
        for row in rows {
            let mut q = sqlx::query(&sql);
            for (name, ty) in &cols {
                let v = row.get(name).unwrap_or(&serde_json::Value::Null);
                let text: Option<String> = match v {
                    serde_json::Value::Null => None,
                    serde_json::Value::Bool(b) => Some(b.to_string()),
                    serde_json::Value::Number(n) if ty == "boolean" => {
                        Some((n.as_i64() != Some(0)).to_string())
                    }
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    serde_json::Value::String(s) if ty.starts_with("timestamp") => Some(
                        crate::backup::parse_sqlite_time(s)
                            .map(|t: DateTime<Utc>| t.to_rfc3339())
                            .unwrap_or_else(|| s.clone()),
                    ),
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                };
                q = q.bind(text);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn reserve_record_id_impl(&mut self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('bib_records', 'id'))")
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }

    async fn reset_sequences_impl(&mut self) -> Result<()> {
        let seqs: Vec<(String, String)> = sqlx::query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut *self.tx)
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
        for (table, col) in seqs {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{col}'), COALESCE((SELECT MAX(\"{col}\") FROM \"{table}\"), 0) + 1, false)"
            );
            sqlx::query(&sql).execute(&mut *self.tx).await?;
        }
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
