//! Quire's service layer.
//!
//! [`Library`] is the one entry point for every use case. Each public method
//! is one use case: it checks the actor's permission, validates input through
//! `quire-domain`, runs inside one store transaction, appends to the audit
//! log in that same transaction, and commits. Adapters (web, JSON API, SIP2,
//! Z39.50, CLI) only translate protocols to these calls and back.

pub mod audit;
pub mod auth;
pub mod browse;
pub mod catalog;
pub mod cataloging;
/// The MARC editor's building blocks (rows, issues, fixed-field positions).
pub use quire_marc::edit as marc_edit;
pub mod circulation;
mod config_cache;
pub mod copycat;
pub mod cpu;
pub mod desk;
pub mod error;
pub mod export;
pub mod fees;
pub mod harvest;
pub mod holdings;
pub mod holds;
pub mod loss;
pub mod notices;
pub mod org;
pub mod overdue;
pub mod patrons;
pub mod policy_admin;
pub mod portal;
pub mod scheme_settings;
pub mod search;
pub mod shelf;
pub mod sip2;
pub mod slips;
pub mod staff;

use std::sync::Arc;

use chrono::{DateTime, Utc};
pub use error::{ERROR_TABLE, Error, ErrorCode, ErrorSpec, Result};
pub use quire_domain as domain;
use quire_domain::staff::{Permission, Role};
pub use quire_store::model;
/// Row types of patrons (for adapters that show them).
pub mod rows {
    pub use quire_store::catalog::PatronRow;
    pub use quire_store::patrons::{ClosedDayRow, OldCardRow, PatronBlockRow, PatronExtra};
}
pub use quire_store::{Backend, Store};

/// The source of "now". Production uses [`SystemClock`]; tests move time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock tests can set and advance.
#[derive(Default)]
pub struct ManualClock(std::sync::Mutex<Option<DateTime<Utc>>>);

impl ManualClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        ManualClock(std::sync::Mutex::new(Some(t)))
    }
    pub fn advance(&self, d: chrono::Duration) {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *g = Some(g.unwrap_or_else(Utc::now) + d);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .unwrap_or_else(Utc::now)
    }
}

/// Who performs a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A logged-in staff member (web session or API token).
    Staff(StaffIdentity),
    /// A patron signed in to the public catalog. Holds no staff
    /// permission; use cases open to patrons check ownership instead.
    Patron(PatronIdentity),
    /// The operator at the command line, or Quire itself (demo, jobs).
    System(&'static str),
    /// A logged-in device (a SIP2 self-check machine or sorter).
    Device(DeviceIdentity),
}

/// A device account acting through a protocol adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceIdentity {
    /// Shown in the audit log (`sip2:<login>`).
    pub label: String,
    pub permissions: Vec<Permission>,
}

/// The authenticated staff member behind a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StaffIdentity {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub permissions: Vec<Permission>,
    pub locale: Option<quire_domain::Locale>,
}

/// The patron behind an OPAC request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PatronIdentity {
    pub patron_id: i64,
    pub barcode: String,
    pub display_name: String,
    pub locale: Option<quire_domain::Locale>,
}

impl Actor {
    /// Fails with `Forbidden` unless the actor holds `p`. The system actor
    /// holds every permission; a patron holds none.
    pub fn require(&self, p: Permission) -> Result<()> {
        match self {
            Actor::System(_) => Ok(()),
            Actor::Staff(s) if s.permissions.contains(&p) => Ok(()),
            Actor::Staff(_) | Actor::Patron(_) => Err(Error::forbidden(p)),
            Actor::Device(d) if d.permissions.contains(&p) => Ok(()),
            Actor::Device(_) => Err(Error::forbidden(p)),
        }
    }
    /// The patron, when the actor is one.
    pub fn patron(&self) -> Option<&PatronIdentity> {
        match self {
            Actor::Patron(p) => Some(p),
            _ => None,
        }
    }
    pub fn can(&self, p: Permission) -> bool {
        self.require(p).is_ok()
    }
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::Staff(s) => Some(s.user_id),
            Actor::Patron(_) | Actor::System(_) | Actor::Device(_) => None,
        }
    }
    pub fn label(&self) -> String {
        match self {
            Actor::Staff(s) => s.username.clone(),
            Actor::Patron(p) => format!("patron:{}", p.patron_id),
            Actor::System(l) => format!("system:{l}"),
            Actor::Device(d) => d.label.clone(),
        }
    }
}

/// Request-scoped context: who, and the request id for the audit trail.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub request_id: Option<String>,
}

impl Ctx {
    pub fn system(label: &'static str) -> Self {
        Ctx {
            actor: Actor::System(label),
            request_id: None,
        }
    }
    pub fn staff(identity: StaffIdentity, request_id: Option<String>) -> Self {
        Ctx {
            actor: Actor::Staff(identity),
            request_id,
        }
    }
    pub fn patron(identity: PatronIdentity, request_id: Option<String>) -> Self {
        Ctx {
            actor: Actor::Patron(identity),
            request_id,
        }
    }
}

/// Security tuning (defaults are production values).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Idle time after which a staff session ends.
    pub session_idle: chrono::Duration,
    /// Failed logins per account within `throttle_window` before refusing.
    pub max_failures_per_account: i64,
    /// Failed logins per client address within `throttle_window`.
    pub max_failures_per_ip: i64,
    pub throttle_window: chrono::Duration,
    /// Idle time after which a patron's OPAC session ends.
    pub patron_session_idle: chrono::Duration,
    /// Failed patron logins per card within `throttle_window`.
    pub max_failures_per_card: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle: chrono::Duration::hours(8),
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
            throttle_window: chrono::Duration::minutes(15),
            patron_session_idle: chrono::Duration::minutes(30),
            max_failures_per_card: 5,
        }
    }
}

/// Opens (and migrates) a database without starting the service layer —
/// for `quire restore`, which needs an empty database.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>> {
    Ok(quire_store::open(url).await?)
}

/// Restores a backup archive into an empty store (operator action).
pub async fn restore_into(
    store: &dyn Store,
    src: &std::path::Path,
) -> Result<quire_store::backup::Manifest> {
    Ok(quire_store::backup::restore(store, src).await?)
}

/// The library: every use case hangs off this.
#[derive(Clone)]
pub struct Library {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: Settings,
    /// Per-installation secret (CSRF tokens), created on first start.
    secret: [u8; 32],
    /// The derived search index, when this process owns one (the server).
    index: std::sync::OnceLock<Arc<quire_search::SearchIndex>>,
    /// The circulation configuration of the last transaction that read it.
    circ_config: config_cache::Slot,
}

impl Library {
    /// Wraps an opened (migrated) store; creates the installation secret on
    /// first use.
    pub async fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Result<Self> {
        let secret = auth::load_or_create_secret(store.as_ref()).await?;
        circulation::seed_default_rules(store.as_ref(), clock.now()).await?;
        let lib = Library {
            inner: Arc::new(Inner {
                store,
                clock,
                settings,
                secret,
                index: std::sync::OnceLock::new(),
                circ_config: config_cache::Slot::default(),
            }),
        };
        lib.ensure_config_version().await?;
        Ok(lib)
    }

    /// Opens the database at `url` with the system clock and default settings.
    pub async fn open(url: &str) -> Result<Self> {
        let store = quire_store::open(url).await?;
        Library::new(store, Arc::new(SystemClock), Settings::default()).await
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }
    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }
    pub fn backend(&self) -> Backend {
        self.inner.store.backend()
    }
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }
    /// Key material for adapters' integrity tokens (e.g. CSRF). Derived per
    /// purpose so no two uses share a key.
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(self.inner.secret);
        h.update(b"\0quire-key\0");
        h.update(purpose.as_bytes());
        h.finalize().into()
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn healthy(&self) -> bool {
        match self.inner.store.read().await {
            Ok(mut tx) => tx.setting("instance_secret").await.is_ok(),
            Err(_) => false,
        }
    }

    /// Writes a consistent backup archive of the whole database.
    pub async fn backup(
        &self,
        ctx: &Ctx,
        dest: &std::path::Path,
    ) -> Result<quire_store::backup::Manifest> {
        ctx.actor.require(Permission::Backup)?;
        Ok(
            quire_store::backup::backup(self.store(), dest, self.now(), env!("CARGO_PKG_VERSION"))
                .await?,
        )
    }

    /// Restores an archive into this (empty) database.
    pub async fn restore(
        &self,
        ctx: &Ctx,
        src: &std::path::Path,
    ) -> Result<quire_store::backup::Manifest> {
        ctx.actor.require(Permission::Backup)?;
        Ok(quire_store::backup::restore(self.store(), src).await?)
    }

    pub async fn close(&self) {
        self.inner.store.close().await;
    }
}
