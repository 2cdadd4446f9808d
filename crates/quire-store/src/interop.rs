//! Interoperability settings: the copy-cataloging targets (a fourth trait;
//! every `Tx` is also an `InteropTx`). Written once in `common_interop.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// A Z39.50 (or SRU) server staff copy records from.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ZTargetRow {
    pub id: i64,
    pub name: String,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub database_name: String,
    pub syntax: String,
    pub charset: String,
    pub sru_url: Option<String>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The columns written for a target.
#[derive(Debug, Clone)]
pub struct ZTargetWrite<'a> {
    pub name: &'a str,
    pub host: Option<&'a str>,
    pub port: Option<i64>,
    pub database_name: &'a str,
    pub syntax: &'a str,
    pub charset: &'a str,
    pub sru_url: Option<&'a str>,
    pub enabled: bool,
}

#[async_trait]
pub trait InteropTx: Send {
    /// All targets by name.
    async fn z_targets(&mut self) -> Result<Vec<ZTargetRow>>;
    async fn z_target(&mut self, id: i64) -> Result<Option<ZTargetRow>>;
    /// A duplicate name is `Duplicate`.
    async fn insert_z_target(&mut self, t: &ZTargetWrite<'_>, now: DateTime<Utc>) -> Result<i64>;
    /// `NotFound` when the target does not exist.
    async fn update_z_target(
        &mut self,
        id: i64,
        t: &ZTargetWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// `NotFound` when the target does not exist.
    async fn delete_z_target(&mut self, id: i64) -> Result<()>;
}
