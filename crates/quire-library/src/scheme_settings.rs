//! The library's default call number scheme (a setting) and the scheme an
//! item's call number is read in: the item's own, else the record's MARC
//! 050/082/090/092 when the call number is one of them, else the default,
//! else a guess (`quire_domain::callnumber::effective_scheme`).

use quire_domain::callnumber::{self, MarcScheme, Scheme, SchemeSource};
use quire_domain::staff::Permission;
use quire_marc::bib::CallNumberScheme;
use quire_store::Tx;
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
/// MARC (tag, what the tag says, value) and the library default.
#[derive(Debug, Clone, Default)]
pub(crate) struct SchemeContext {
    pub marc: Vec<(&'static str, Option<MarcScheme>, String)>,
    pub default: Option<Scheme>,
}

impl SchemeContext {
    /// The scheme of `call_number` when the item names none (`item`).
    pub fn resolve(&self, item: Option<Scheme>, call_number: &str) -> (Scheme, SchemeSource) {
        let marc: Vec<(&'static str, Option<MarcScheme>, &str)> = self
            .marc
            .iter()
            .map(|(t, m, v)| (*t, *m, v.as_str()))
            .collect();
        callnumber::effective_scheme(item, call_number, &marc, self.default)
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

/// The scheme context of a record (its MARC call numbers, the default).
pub(crate) async fn scheme_context(tx: &mut dyn Tx, record_id: i64) -> Result<SchemeContext> {
    let marc = match tx.record(record_id).await? {
        Some(row) => quire_marc::iso2709::parse_record(&row.marc)
            .map(|(rec, _)| marc_call_numbers(&rec))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(SchemeContext {
        marc,
        default: default_scheme(tx).await?,
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
}
