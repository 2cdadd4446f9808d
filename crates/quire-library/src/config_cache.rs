//! The circulation configuration (rules matrix, branches with their
//! calendars, locations, SIP2 sort bins) kept between transactions.
//!
//! Every circulation transaction needs it, and it changes rarely (an
//! administrator edits a rule or opening hours). Loading it costs a dozen
//! statements, so it is loaded once and reused while its **version** has not
//! changed. The version is a row in `settings` that every use case writing
//! one of these tables replaces with a fresh token ([`bump`]) in its own
//! transaction; a circulation transaction reads the version (one statement)
//! inside its own transaction and uses the cached copy only when it is the
//! copy of exactly that version. So an edit takes effect on the next
//! transaction, also when it was made by another process on the same
//! database (e.g. `quire sip2` commands next to `quire serve`), and a
//! transaction never mixes a cached copy with a database it does not match.
//!
//! The rules are still decided by the service and `quire-domain`; this is
//! only where their inputs come from.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use quire_domain::circ::calendar::BranchCalendar;
use quire_domain::circ::policy::Rule;
use quire_store::Tx;
use quire_store::model::{BranchRow, LocationRow};
use quire_store::sip2::SortBinRow;

use crate::circulation::{calendar, load_rules};
use crate::{Error, ErrorCode, Library, Result};

/// The `settings` key holding the configuration version.
pub(crate) const VERSION_KEY: &str = "circ_config_version";

/// One consistent copy of the circulation configuration.
#[derive(Debug)]
pub(crate) struct CircConfig {
    /// The version it was loaded at (`None`: the database has none yet, so
    /// this copy is not kept).
    version: Option<String>,
    pub rules: Vec<Rule>,
    branches: HashMap<i64, BranchRow>,
    calendars: HashMap<i64, BranchCalendar>,
    locations: HashMap<i64, LocationRow>,
    pub sort_bins: Vec<SortBinRow>,
    /// Days a returned, settled loan keeps its patron (`privacy_keep_days`
    /// setting; no use case edits it, see `patrons::SET_KEEP_DAYS`).
    pub keep_days: u32,
}

impl CircConfig {
    async fn load(tx: &mut dyn Tx, version: Option<String>) -> Result<CircConfig> {
        let rules = load_rules(tx).await?;
        let mut branches = HashMap::new();
        let mut calendars = HashMap::new();
        for b in tx.branches().await? {
            calendars.insert(b.id, calendar(tx, &b).await?);
            branches.insert(b.id, b);
        }
        let locations = tx
            .locations(None)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
        let sort_bins = tx.sort_bins().await?;
        let keep_days = tx
            .setting(crate::patrons::SET_KEEP_DAYS)
            .await?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(CircConfig {
            version,
            rules,
            branches,
            calendars,
            locations,
            sort_bins,
            keep_days,
        })
    }

    pub fn branch(&self, id: i64) -> Result<&BranchRow> {
        self.branches
            .get(&id)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("branch {id} missing")))
    }

    pub fn branch_by_code(&self, code: &str) -> Option<&BranchRow> {
        self.branches.values().find(|b| b.code == code)
    }

    pub fn calendar(&self, branch_id: i64) -> Result<&BranchCalendar> {
        self.calendars
            .get(&branch_id)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("branch {branch_id} missing")))
    }

    /// The item's shelving location (`None`: it has none, or it is gone).
    pub fn location_of(&self, item: &quire_store::catalog::ItemRow) -> Option<&LocationRow> {
        item.location_id.and_then(|id| self.locations.get(&id))
    }

    /// Branch id → code.
    pub fn branch_codes(&self) -> HashMap<i64, String> {
        self.branches
            .values()
            .map(|b| (b.id, b.code.clone()))
            .collect()
    }
}

/// Marks the circulation configuration as changed: call it in every
/// transaction that writes rules, branches, opening hours, closed days,
/// locations or sort bins.
pub(crate) async fn bump(tx: &mut dyn Tx) -> Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Unique across processes (pid) and within one (sequence).
    let token = format!(
        "{nanos:x}-{:x}-{:x}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    tx.put_setting(VERSION_KEY, &token).await?;
    Ok(())
}

/// The cache slot kept by the library.
#[derive(Default)]
pub(crate) struct Slot(std::sync::Mutex<Option<Arc<CircConfig>>>);

impl Library {
    /// The circulation configuration as of `tx`: the cached copy when its
    /// version is the database's, else loaded through `tx` (and kept).
    pub(crate) async fn circ_config(&self, tx: &mut dyn Tx) -> Result<Arc<CircConfig>> {
        let version = tx.setting(VERSION_KEY).await?;
        let slot = &self.inner.circ_config.0;
        if version.is_some() {
            let cached = slot.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if let Some(c) = cached.filter(|c| c.version == version) {
                return Ok(c);
            }
        }
        let keep = version.is_some();
        let cfg = Arc::new(CircConfig::load(tx, version).await?);
        if keep {
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(cfg.clone());
        }
        Ok(cfg)
    }

    /// Gives the database a configuration version when it has none (when
    /// the library opens), so the configuration can be cached.
    pub(crate) async fn ensure_config_version(&self) -> Result<()> {
        let mut w = self.store().begin().await?;
        if w.setting(VERSION_KEY).await?.is_none() {
            bump(w.as_mut()).await?;
            w.commit().await?;
        }
        Ok(())
    }
}
