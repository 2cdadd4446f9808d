//! Copy cataloging: the Z39.50 / SRU targets staff search, and importing a
//! record found there into the local catalog with duplicate detection.
//! (The protocol clients live in quire-interop; this is the use-case
//! side: permissions, validation, storage, audit.)

use std::collections::HashMap;

use quire_domain::error::{FieldError, Invalid};
use quire_domain::staff::Permission;
use quire_marc::{Field, Record, Subfield, Tag};
pub use quire_store::interop::ZTargetRow;
use quire_store::interop::ZTargetWrite;
use serde::Serialize;

use crate::catalog::{Holdings, ImportOptions, ItemEnv, Matching, OnMatch, isbn_forms};
use crate::{Ctx, Error, ErrorCode, Library, Result};

/// Record syntaxes a target may be asked for.
pub const SYNTAXES: &[&str] = &["usmarc", "marcxml"];
/// Character sets of a target's MARC records (`auto` follows leader/09).
pub const CHARSETS: &[&str] = &["auto", "utf-8", "marc-8"];

/// The target form as typed by staff.
#[derive(Debug, Clone, Default)]
pub struct ZTargetForm {
    pub name: String,
    pub host: String,
    pub port: String,
    pub database: String,
    pub syntax: String,
    pub charset: String,
    pub sru_url: String,
    pub enabled: bool,
}

/// A validated target.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ZTargetInput {
    name: String,
    host: Option<String>,
    port: Option<i64>,
    database: String,
    syntax: String,
    charset: String,
    sru_url: Option<String>,
    enabled: bool,
}

fn no_controls(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

impl ZTargetForm {
    /// Every problem at once.
    fn parse(&self) -> std::result::Result<ZTargetInput, Invalid> {
        let mut inv = Invalid::default();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            inv.push(FieldError::new("name", "required"));
        } else if name.chars().count() > 80 {
            inv.push(FieldError::new("name", "too-long").with_arg(80));
        } else if !no_controls(&name) {
            inv.push(FieldError::new("name", "control-characters"));
        }
        let host = self.host.trim();
        let sru = self.sru_url.trim();
        let host = if host.is_empty() {
            None
        } else if host.len() > 253
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        {
            inv.push(FieldError::new("host", "invalid-host"));
            None
        } else {
            Some(host.to_ascii_lowercase())
        };
        let port = match self.port.trim() {
            "" if host.is_some() => Some(210),
            "" => None,
            p => match p.parse::<i64>() {
                Ok(n) if (1..=65535).contains(&n) => Some(n),
                _ => {
                    inv.push(FieldError::new("port", "invalid-port"));
                    None
                }
            },
        };
        let sru_url = if sru.is_empty() {
            None
        } else if !(sru.starts_with("http://") || sru.starts_with("https://"))
            || sru.len() > 500
            || sru.chars().any(|c| c.is_whitespace() || c.is_control())
            || sru.split("://").nth(1).is_none_or(|rest| rest.is_empty())
        {
            inv.push(FieldError::new("sru_url", "invalid-url"));
            None
        } else {
            Some(sru.to_string())
        };
        if host.is_none() && sru_url.is_none() && self.host.trim().is_empty() && sru.is_empty() {
            inv.push(FieldError::new("host", "host-or-sru-required"));
        }
        let database = match self.database.trim() {
            "" => "Default".to_string(),
            d if d.len() > 100 || !no_controls(d) || d.contains(char::is_whitespace) => {
                inv.push(FieldError::new("database", "invalid-database"));
                String::new()
            }
            d => d.to_string(),
        };
        let syntax = match self.syntax.trim() {
            "" => "usmarc".to_string(),
            s if SYNTAXES.contains(&s) => s.to_string(),
            _ => {
                inv.push(FieldError::new("syntax", "invalid-choice"));
                String::new()
            }
        };
        let charset = match self.charset.trim() {
            "" => "auto".to_string(),
            s if CHARSETS.contains(&s) => s.to_string(),
            _ => {
                inv.push(FieldError::new("charset", "invalid-choice"));
                String::new()
            }
        };
        inv.into_result()?;
        Ok(ZTargetInput {
            name,
            host,
            port,
            database,
            syntax,
            charset,
            sru_url,
            enabled: self.enabled,
        })
    }
}

impl ZTargetInput {
    fn write(&self) -> ZTargetWrite<'_> {
        ZTargetWrite {
            name: &self.name,
            host: self.host.as_deref(),
            port: self.port,
            database_name: &self.database,
            syntax: &self.syntax,
            charset: &self.charset,
            sru_url: self.sru_url.as_deref(),
            enabled: self.enabled,
        }
    }
}

/// A local record that may be the same as the one being copied.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateMatch {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub year: Option<i64>,
    /// What matched: `isbn`, `lccn` or `control-number`.
    pub reason: &'static str,
}

/// The outcome of importing a copied record.
#[derive(Debug, Clone, Serialize)]
pub enum CopyImport {
    /// The new local record.
    Created(i64),
    /// Not imported: these local records look like the same work (import
    /// again with `as_new` to create it anyway).
    Duplicates {
        /// Title of the copied record.
        title: String,
        /// The local records it matches.
        matches: Vec<DuplicateMatch>,
    },
}

impl Library {
    /// Targets (for the cataloging screen and the admin page).
    pub async fn z_targets(&self, ctx: &Ctx) -> Result<Vec<ZTargetRow>> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut r = self.store().read().await?;
        Ok(r.z_targets().await?)
    }

    pub async fn z_target(&self, ctx: &Ctx, id: i64) -> Result<ZTargetRow> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut r = self.store().read().await?;
        r.z_target(id)
            .await?
            .ok_or_else(|| Error::not_found("z39.50 target"))
    }

    /// Creates (`id` None) or changes a target.
    pub async fn save_z_target(
        &self,
        ctx: &Ctx,
        id: Option<i64>,
        form: &ZTargetForm,
    ) -> Result<i64> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let input = form.parse()?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let dup = |e: quire_store::StoreError| match e {
            quire_store::StoreError::Duplicate(_) => Error::duplicate("name"),
            other => Error::from(other),
        };
        let id = match id {
            None => {
                let id = w.insert_z_target(&input.write(), now).await.map_err(dup)?;
                let after = w.z_target(id).await?;
                crate::audit::record::<(), _>(
                    w.as_mut(),
                    self,
                    ctx,
                    "create",
                    "z_target",
                    id,
                    None,
                    after.as_ref(),
                )
                .await?;
                id
            }
            Some(id) => {
                let before = w
                    .z_target(id)
                    .await?
                    .ok_or_else(|| Error::not_found("z39.50 target"))?;
                w.update_z_target(id, &input.write(), now)
                    .await
                    .map_err(dup)?;
                let after = w.z_target(id).await?;
                crate::audit::record(
                    w.as_mut(),
                    self,
                    ctx,
                    "update",
                    "z_target",
                    id,
                    Some(&before),
                    after.as_ref(),
                )
                .await?;
                id
            }
        };
        w.commit().await?;
        Ok(id)
    }

    pub async fn delete_z_target(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let mut w = self.store().begin().await?;
        let before = w
            .z_target(id)
            .await?
            .ok_or_else(|| Error::not_found("z39.50 target"))?;
        w.delete_z_target(id).await?;
        crate::audit::record::<_, ()>(
            w.as_mut(),
            self,
            ctx,
            "remove",
            "z_target",
            id,
            Some(&before),
            None,
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Local records that look like the same work as `record`: same ISBN
    /// (any form), same LCCN, or the record's source control number.
    pub async fn copy_duplicates(&self, ctx: &Ctx, record: &Record) -> Result<Vec<DuplicateMatch>> {
        ctx.actor.require(Permission::ViewCatalog)?;
        let s = quire_marc::bib::summarize(record);
        let mut r = self.store().read().await?;
        let mut found: Vec<(i64, &'static str)> = Vec::new();
        for i in isbn_forms(&s) {
            for id in r.find_records_by_identifier("isbn", &i).await? {
                found.push((id, "isbn"));
            }
        }
        if let Some(l) = s
            .lccn
            .as_deref()
            .and_then(|l| quire_domain::ident::normalize_lccn(l).ok())
        {
            for id in r.find_records_by_identifier("lccn", &l).await? {
                found.push((id, "lccn"));
            }
        }
        if let Some(cn) = record
            .control_number()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            for id in r.find_records_by_control_number_any(cn).await? {
                found.push((id, "control-number"));
            }
        }
        let mut reasons: HashMap<i64, &'static str> = HashMap::new();
        let mut ids = Vec::new();
        for (id, why) in found {
            if let std::collections::hash_map::Entry::Vacant(e) = reasons.entry(id) {
                e.insert(why);
                ids.push(id);
            }
        }
        let rows = r.records_by_ids(&ids).await?;
        Ok(rows
            .into_iter()
            .filter(|row| row.deleted_at.is_none())
            .map(|row| DuplicateMatch {
                reason: reasons.get(&row.id).copied().unwrap_or("isbn"),
                id: row.id,
                title: row.title,
                author: row.author,
                year: row.year,
            })
            .collect())
    }

    /// Imports a record copied from `source` (a target name): an ISO 2709
    /// record in UTF-8 or MARC-8 (converted to UTF-8). Its source 001/003
    /// move to an 035 (`(003)001`) and it gets a local 001. Unless `as_new`,
    /// a record that matches local ones (see [`Library::copy_duplicates`])
    /// is not imported and the matches come back instead.
    pub async fn import_copied_record(
        &self,
        ctx: &Ctx,
        marc: &[u8],
        source: &str,
        as_new: bool,
    ) -> Result<CopyImport> {
        ctx.actor.require(Permission::ImportRecords)?;
        let (mut record, _) = quire_marc::iso2709::parse_record(marc)
            .map_err(|_| Error::field("record", "unreadable-marc"))?;
        if record.first("245").is_none() {
            return Err(Error::field("record", "missing-title"));
        }
        if !as_new {
            let d = self.copy_duplicates(ctx, &record).await?;
            if !d.is_empty() {
                let title = quire_marc::bib::summarize(&record)
                    .title
                    .unwrap_or_default();
                return Ok(CopyImport::Duplicates { title, matches: d });
            }
        }
        localize(&mut record);
        let opts = ImportOptions {
            matching: Matching::None,
            on_match: OnMatch::Skip,
            holdings: Holdings::None,
            batch_size: 1,
            default_branch: None,
            holdings_map: None,
        };
        // Copied records bring no items (Holdings::None), so the mapping is unused.
        let holdings = crate::holdings::HoldingsConfig::default();
        let branches = HashMap::new();
        let locations = HashMap::new();
        let env = ItemEnv {
            branches: &branches,
            locations: &locations,
            default_branch: None,
            holdings: &holdings,
            default_scheme: None,
            branch_schemes: HashMap::new(),
        };
        let mut w = self.store().begin().await?;
        let mut counts = Default::default();
        let mut problems = Vec::new();
        let id = self
            .import_one(
                w.as_mut(),
                record,
                None,
                &opts,
                &env,
                &mut counts,
                &mut problems,
            )
            .await?
            .ok_or_else(|| Error::new(ErrorCode::Internal, "copied record was not created"))?;
        #[derive(Serialize)]
        struct Copied<'a> {
            source: &'a str,
        }
        crate::audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "import",
            "record",
            id,
            None,
            Some(&Copied { source }),
        )
        .await?;
        w.commit().await?;
        Ok(CopyImport::Created(id))
    }
}

/// Moves the source's 001 (with its 003) into an 035 and drops 001/003 and
/// 005, so the record gets a local control number.
fn localize(record: &mut Record) {
    let cn = record.control_number().map(|c| c.trim().to_string());
    let org = record
        .control_number_identifier()
        .map(|c| c.trim().to_string());
    if let Some(cn) = cn.filter(|c| !c.is_empty()) {
        let value = match org.filter(|o| !o.is_empty()) {
            Some(o) => format!("({o}){cn}"),
            None => cn,
        };
        let exists = record
            .fields("035")
            .any(|f| f.subfields('a').any(|a| a.trim() == value));
        if !exists && let Some(tag) = Tag::parse("035") {
            let at = record
                .fields
                .iter()
                .position(|f| f.tag().as_str() > "035")
                .unwrap_or(record.fields.len());
            record.fields.insert(
                at,
                Field::data(tag, ' ', ' ', vec![Subfield::new('a', value)]),
            );
        }
    }
    record
        .fields
        .retain(|f| !matches!(f.tag().as_str(), "001" | "003" | "005"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ZTargetForm {
        ZTargetForm {
            name: "Library of Congress".into(),
            host: "lx2.loc.gov".into(),
            port: "210".into(),
            database: "LCDB".into(),
            syntax: "usmarc".into(),
            charset: "marc-8".into(),
            sru_url: String::new(),
            enabled: true,
        }
    }

    #[test]
    fn valid_target() {
        let t = form().parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.host.as_deref(), Some("lx2.loc.gov"));
        assert_eq!(t.port, Some(210));
        let mut f = form();
        f.port = String::new();
        f.database = String::new();
        f.syntax = String::new();
        let t = f.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (t.port, t.database.as_str(), t.syntax.as_str()),
            (Some(210), "Default", "usmarc")
        );
        let f = ZTargetForm {
            name: "SRU only".into(),
            sru_url: "http://example.org/sru".into(),
            ..Default::default()
        };
        let t = f.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.host, None);
        assert_eq!(t.port, None);
    }

    #[test]
    fn every_problem_at_once() {
        let f = ZTargetForm {
            name: " ".into(),
            host: "bad host!".into(),
            port: "70000".into(),
            database: "two words".into(),
            syntax: "grs1".into(),
            charset: "latin-9".into(),
            sru_url: "ftp://x".into(),
            enabled: true,
        };
        let e = f.parse().err().map(|i| i.0).unwrap_or_default();
        let fields: Vec<(&str, &str)> = e.iter().map(|x| (x.field, x.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", "required"),
                ("host", "invalid-host"),
                ("port", "invalid-port"),
                ("sru_url", "invalid-url"),
                ("database", "invalid-database"),
                ("syntax", "invalid-choice"),
                ("charset", "invalid-choice"),
            ]
        );
        let e = ZTargetForm {
            name: "x".into(),
            ..Default::default()
        }
        .parse()
        .err()
        .map(|i| i.0)
        .unwrap_or_default();
        assert_eq!(e[0].code, "host-or-sru-required");
    }

    #[test]
    fn localize_moves_the_source_number() {
        let mut r = Record::new();
        for (tag, v) in [("001", " 12345 "), ("003", "DLC"), ("005", "2001")] {
            if let Some(t) = Tag::parse(tag) {
                r.push(Field::control(t, v));
            }
        }
        if let Some(t) = Tag::parse("245") {
            r.push(Field::data(t, '1', '0', vec![Subfield::new('a', "T")]));
        }
        localize(&mut r);
        assert_eq!(r.control_number(), None);
        assert_eq!(r.first_subfield("035", 'a'), Some("(DLC)12345"));
        assert_eq!(r.fields[0].tag().as_str(), "035");
        assert!(r.first("005").is_none());
    }
}
