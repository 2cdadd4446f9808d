//! SIP2 device accounts and sort-bin rules (a fourth trait; every `Tx` is
//! also a `Sip2Tx`). Written once in `common_sip2.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::Result;

/// One SIP2 account (what a self-check machine or sorter logs in as).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Sip2AccountRow {
    pub id: i64,
    pub login: String,
    #[serde(skip)]
    pub password_hash: String,
    pub institution: String,
    pub branch_id: i64,
    pub location_code: Option<String>,
    pub locale: String,
    pub charset: String,
    pub checksum_required: bool,
    pub login_required: bool,
    pub options_json: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new SIP2 account.
#[derive(Debug, Clone)]
pub struct Sip2AccountWrite<'a> {
    pub login: &'a str,
    pub password_hash: &'a str,
    pub institution: &'a str,
    pub branch_id: i64,
    pub location_code: Option<&'a str>,
    pub locale: &'a str,
    pub charset: &'a str,
    pub checksum_required: bool,
    pub login_required: bool,
    pub options_json: &'a str,
    pub now: DateTime<Utc>,
}

/// A sort-bin rule; `None` matches anything.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct SortBinRow {
    pub id: i64,
    pub branch_id: Option<i64>,
    pub location_code: Option<String>,
    pub item_type: Option<String>,
    pub route: Option<String>,
    pub bin: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait Sip2Tx: Send {
    /// Inserts an account; a taken login is `StoreError::Duplicate`.
    async fn insert_sip2_account(&mut self, a: &Sip2AccountWrite<'_>) -> Result<i64>;
    async fn sip2_account(&mut self, id: i64) -> Result<Option<Sip2AccountRow>>;
    async fn sip2_account_by_login(&mut self, login: &str) -> Result<Option<Sip2AccountRow>>;
    /// Every account, by login.
    async fn sip2_accounts(&mut self) -> Result<Vec<Sip2AccountRow>>;
    async fn set_sip2_password(
        &mut self,
        id: i64,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn delete_sip2_account(&mut self, id: i64) -> Result<()>;
    async fn insert_sort_bin(
        &mut self,
        branch_id: Option<i64>,
        location_code: Option<&str>,
        item_type: Option<&str>,
        route: Option<&str>,
        bin: &str,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Every sort-bin rule.
    async fn sort_bins(&mut self) -> Result<Vec<SortBinRow>>;
    async fn delete_sort_bin(&mut self, id: i64) -> Result<()>;
    /// The SIP2 item properties (CH) stored on an item (19 Item Status
    /// Update); `None` when never set.
    async fn item_sip2_properties(&mut self, item_id: i64) -> Result<Option<String>>;
    /// Stores an item's SIP2 properties; `NotFound` for an unknown item.
    async fn set_item_sip2_properties(&mut self, item_id: i64, properties: &str) -> Result<()>;
}
