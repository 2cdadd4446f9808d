//! The library's default call number scheme (a setting), each branch's own
//! default (`branches.default_call_number_scheme`), and the scheme an
//! item's call number is read in: the item's own, else the record's MARC
//! 050/082/090/092 when the call number is one of them, else the item's
//! branch's default, else the library's, else a guess
//! (`quire_domain::callnumber::effective_scheme_at_branch`).
//!
//! Changing a default never touches items already saved: each stores the
//! scheme it was read in and the sort key made with it, so the shelf order
//! of existing items stays as it was; new and edited items (and imports)
//! use the new default.

use quire_domain::callnumber::{self, MarcScheme, Scheme, SchemeSource};
use quire_domain::staff::Permission;
use quire_marc::bib::CallNumberScheme;
use quire_store::Tx;
use quire_store::model::BranchRow;
use serde::Serialize;

use crate::{Ctx, Error, Library, Result, audit};

/// Setting key: the default call number scheme (`lc`, `dewey`, `other`;
/// absent: guess from each call number).
pub const DEFAULT_SCHEME_SETTING: &str = "callnumber.default_scheme";

/// What the item editor says about a call number's scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeExplained {
    /// `lc`, `dewey`, `other`.
    pub scheme: &'static str,
    /// `item`, `marc`, `library-default`, `guessed`.
    pub source: &'static str,
    /// The MARC tag when `source` is `marc`.
    pub tag: Option<&'static str>,
}

impl SchemeExplained {
    pub fn new(scheme: Scheme, source: SchemeSource) -> Self {
        SchemeExplained {
            scheme: scheme.as_str(),
            source: source.as_str(),
            tag: match source {
                SchemeSource::Marc(t) => Some(t),
                _ => None,
            },
        }
    }
}

/// What decides a scheme besides the item: the record's call numbers from
/// MARC (tag, what the tag says, value), the item's branch's default and
/// the library default.
#[derive(Debug, Clone, Default)]
pub(crate) struct SchemeContext {
    pub marc: Vec<(&'static str, Option<MarcScheme>, String)>,
    pub branch_default: Option<Scheme>,
    pub library_default: Option<Scheme>,
}

impl SchemeContext {
    /// The scheme of `call_number` when the item names none (`item`).
    pub fn resolve(&self, item: Option<Scheme>, call_number: &str) -> (Scheme, SchemeSource) {
        let marc: Vec<(&'static str, Option<MarcScheme>, &str)> = self
            .marc
            .iter()
            .map(|(t, m, v)| (*t, *m, v.as_str()))
            .collect();
        callnumber::effective_scheme_at_branch(
            item,
            call_number,
            &marc,
            self.branch_default,
            self.library_default,
        )
    }

    /// The default that applies (the branch's, else the library's).
    pub fn default(&self) -> Option<Scheme> {
        self.branch_default.or(self.library_default)
    }
}

/// The record's call numbers from 050/090/082/092 with their tags.
pub(crate) fn marc_call_numbers(
    rec: &quire_marc::Record,
) -> Vec<(&'static str, Option<MarcScheme>, String)> {
    tagged(&quire_marc::bib::call_numbers(rec))
}

/// Call numbers from a record summary with their tags and schemes.
pub(crate) fn tagged(
    cns: &[quire_marc::bib::CallNumber],
) -> Vec<(&'static str, Option<MarcScheme>, String)> {
    cns.iter()
        .map(|c| {
            let tag = match c.scheme {
                CallNumberScheme::Lc => "050",
                CallNumberScheme::LocalLc => "090",
                CallNumberScheme::Dewey => "082",
                CallNumberScheme::LocalDewey => "092",
            };
            (tag, callnumber::scheme_from_marc(tag, ' '), c.value.clone())
        })
        .collect()
}

/// The stored default scheme (`None`: guess).
pub(crate) async fn default_scheme(tx: &mut dyn Tx) -> Result<Option<Scheme>> {
    Ok(tx
        .setting(DEFAULT_SCHEME_SETTING)
        .await?
        .as_deref()
        .and_then(Scheme::parse))
}

/// A branch's own default scheme (`None`: the library's applies).
pub(crate) fn branch_scheme(b: &BranchRow) -> Option<Scheme> {
    b.default_call_number_scheme
        .as_deref()
        .and_then(Scheme::parse)
}

/// The scheme context of a record's item at a branch (its MARC call
/// numbers, the branch's default, the library's default). `branch`: the
/// branch id, when known.
pub(crate) async fn scheme_context(
    tx: &mut dyn Tx,
    record_id: i64,
    branch: Option<i64>,
) -> Result<SchemeContext> {
    let branch_default = match branch {
        Some(id) => tx.branch(id).await?.as_ref().and_then(branch_scheme),
        None => None,
    };
    let marc = match tx.record(record_id).await? {
        Some(row) => quire_marc::iso2709::parse_record(&row.marc)
            .map(|(rec, _)| marc_call_numbers(&rec))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(SchemeContext {
        marc,
        branch_default,
        library_default: default_scheme(tx).await?,
    })
}

impl Library {
    /// The library's default call number scheme (`None`: guessed from each
    /// call number). Permission `staff-area`.
    pub async fn default_call_number_scheme(&self, ctx: &Ctx) -> Result<Option<Scheme>> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut r = self.store().read().await?;
        default_scheme(r.as_mut()).await
    }

    /// Sets the default call number scheme: `lc`, `dewey`, `other`, or
    /// `guess` / empty for none (audited; permission `manage-policies`).
    /// Items already saved keep their scheme.
    pub async fn set_default_call_number_scheme(
        &self,
        ctx: &Ctx,
        raw: &str,
    ) -> Result<Option<Scheme>> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let new = match raw.trim() {
            "" | "guess" => None,
            s => Some(Scheme::parse(s).ok_or_else(|| Error::field("scheme", "invalid-choice"))?),
        };
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = default_scheme(tx).await?;
        let name = |s: Option<Scheme>| s.map_or("guess", Scheme::as_str);
        tx.put_setting(DEFAULT_SCHEME_SETTING, name(new)).await?;
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "setting",
            DEFAULT_SCHEME_SETTING,
            Some(&name(before)),
            Some(&name(new)),
        )
        .await?;
        w.commit().await?;
        Ok(new)
    }

    /// Every branch (kind `branch`) with its own default scheme, for the
    /// settings page (permission `staff-area`).
    pub async fn branch_call_number_schemes(&self, ctx: &Ctx) -> Result<Vec<BranchScheme>> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut r = self.store().read().await?;
        Ok(r.branches()
            .await?
            .into_iter()
            .filter(|b| b.kind == "branch")
            .map(|b| BranchScheme {
                scheme: branch_scheme(&b).map(Scheme::as_str),
                code: b.code,
                name: b.name,
            })
            .collect())
    }

    /// Sets a branch's own default call number scheme (`lc`, `dewey`,
    /// `other`), or clears it (`library` or empty: the library's default
    /// applies). Audited; permission `manage-policies`. Like the library
    /// default, items already saved keep their scheme and sort key (their
    /// shelf order does not change); new and edited items of the branch,
    /// and imports into it, use it.
    pub async fn set_branch_call_number_scheme(
        &self,
        ctx: &Ctx,
        branch: &str,
        raw: &str,
    ) -> Result<Option<Scheme>> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let new = match raw.trim() {
            "" | "library" => None,
            s => Some(Scheme::parse(s).ok_or_else(|| Error::field("scheme", "invalid-choice"))?),
        };
        let code = branch.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(Error::field("branch", "required"));
        }
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let b = tx
            .branch_by_code(&code)
            .await?
            .ok_or_else(|| Error::field("branch", "unknown-branch"))?;
        let before = branch_scheme(&b);
        let name = |s: Option<Scheme>| s.map_or("library", Scheme::as_str);
        tx.set_branch_default_scheme(b.id, new.map(Scheme::as_str), self.now())
            .await?;
        crate::config_cache::bump(tx).await?;
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "branch",
            b.id,
            Some(&serde_json::json!({ "default_call_number_scheme": name(before) })),
            Some(&serde_json::json!({ "default_call_number_scheme": name(new) })),
        )
        .await?;
        w.commit().await?;
        Ok(new)
    }
}

/// A branch and its own default call number scheme.
#[derive(Debug, Clone, Serialize)]
pub struct BranchScheme {
    pub code: String,
    pub name: String,
    /// `lc`, `dewey`, `other`; `None`: the library's default.
    pub scheme: Option<&'static str>,
}
