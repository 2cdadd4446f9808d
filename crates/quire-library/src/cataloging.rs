//! Staff cataloging: the MARC editor (create, edit, duplicate, delete
//! records) and item maintenance (add, edit, status changes, delete).
//! Every change runs in one transaction with its audit entry and the
//! outbox row that updates the search index.

use std::collections::{BTreeMap, HashMap};

use quire_domain::callnumber::{self, CallNumberErrorReason, Scheme};
use quire_domain::circ::status::{ItemEvent, ItemStatus, transition};
use quire_domain::staff::Permission;
use quire_domain::{FieldError, Invalid};
use quire_marc::edit::{self, Issue, Material, Place, Position, Row, Severity};
use quire_marc::{Field, Leader, Record, Tag};
use quire_store::Tx;
use quire_store::catalog::{ItemRow, ItemWrite};
use quire_store::cataloging::ItemUpdate;
use serde::{Deserialize, Serialize};

use crate::catalog::{columns, identifiers, isbn_forms, parse_price, scheme_name};
use crate::scheme_settings::{SchemeContext, SchemeExplained, scheme_context};
use crate::{Ctx, Error, ErrorCode, Library, Result};

/// The editor form: either rows (leader and 008 helpers plus one row per
/// variable field) or the whole record in the line form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RecordForm {
    /// `rows` (default) or `text`.
    pub mode: String,
    /// The line form (text mode).
    pub text: String,
    /// Leader helper: position key (`ldr-06` …) → value.
    pub leader: BTreeMap<String, String>,
    /// The 008 as it was when the form was rendered (positions not shown by
    /// the current layout keep their value from here).
    pub f008_raw: String,
    /// 008 helper: position key → value.
    pub f008: BTreeMap<String, String>,
    /// Control fields other than 008 and every data field, in order.
    pub rows: Vec<Row>,
    /// The cataloger saw the warnings and saves anyway.
    pub accept_warnings: bool,
}

const DEFAULT_LEADER: &str = "00000nam a2200000 i 4500";

impl RecordForm {
    /// The form showing a record.
    pub fn from_record(rec: &Record) -> RecordForm {
        let leader = edit::LEADER
            .iter()
            .map(|p| {
                (
                    p.key.to_owned(),
                    edit::position_value(rec.leader.as_str(), p),
                )
            })
            .collect();
        let f008_raw = rec
            .first("008")
            .and_then(Field::control_value)
            .unwrap_or_default()
            .to_owned();
        let material = Material::of(rec.leader.record_type(), rec.leader.bib_level());
        let f008 = edit::f008_layout(material)
            .iter()
            .map(|p| (p.key.to_owned(), edit::position_value(&f008_raw, p)))
            .collect();
        RecordForm {
            mode: "rows".into(),
            text: quire_marc::text::to_string(rec),
            leader,
            f008_raw,
            f008,
            rows: rec
                .fields
                .iter()
                .filter(|f| f.tag().as_str() != "008")
                .map(Row::from_field)
                .collect(),
            accept_warnings: false,
        }
    }

    pub fn is_text(&self) -> bool {
        self.mode == "text"
    }

    fn leader_string(&self, issues: &mut Vec<Issue>) -> String {
        edit::assemble(
            DEFAULT_LEADER,
            24,
            edit::LEADER,
            &|p| self.leader.get(p.key).cloned(),
            Place::Leader,
            issues,
        )
    }

    /// The material the 008 layout follows (from the leader helper).
    pub fn material(&self) -> Material {
        let mut sink = Vec::new();
        let l: Vec<char> = self.leader_string(&mut sink).chars().collect();
        Material::of(
            l.get(6).copied().unwrap_or('a'),
            l.get(7).copied().unwrap_or('m'),
        )
    }

    /// The material whose 008 positions the form holds: the one its
    /// `f008-<material>-NN` keys name (the leader may have changed since the
    /// form was rendered), else the leader's.
    fn form_material(&self) -> Material {
        edit::MATERIALS
            .iter()
            .copied()
            .find(|m| {
                let prefix = format!("f008-{}-", m.as_str());
                self.f008.keys().any(|k| k.starts_with(&prefix))
            })
            .unwrap_or_else(|| self.material())
    }

    /// Builds the record; issues of the input (syntax) and of the record
    /// (validation) together.
    pub fn build(&self) -> (Record, Vec<Issue>) {
        let (mut rec, mut issues) = if self.is_text() {
            edit::parse_text(&self.text)
        } else {
            let mut issues = Vec::new();
            let mut rec = Record::new();
            let leader = self.leader_string(&mut issues);
            rec.leader = Leader::from_bytes_lossy(leader.as_bytes()).0;
            let f008 = edit::assemble(
                &self.f008_raw,
                40,
                &edit::f008_layout(self.form_material()),
                &|p| self.f008.get(p.key).cloned(),
                Place::Fixed008,
                &mut issues,
            );
            let mut control = vec![Field::control(Tag(*b"008"), f008)];
            let mut data = Vec::new();
            for (i, row) in self.rows.iter().enumerate() {
                if let Some(f) = edit::field_from_row(i, row, &mut issues) {
                    if f.tag().is_control() {
                        control.push(f);
                    } else {
                        data.push(f);
                    }
                }
            }
            control.sort_by_key(|f| f.tag());
            rec.fields = control;
            rec.fields.extend(data);
            (rec, issues)
        };
        rec.leader.set(9, 'a');
        issues.extend(edit::validate(&rec));
        (rec, issues)
    }

    /// Applies an editor action that changes the form without saving:
    /// `add`, `add-after:N`, `remove:N`, `up:N`, `down:N`, `to-text`,
    /// `to-rows`, `relayout`. Unknown actions change nothing.
    pub fn apply(&mut self, action: &str) {
        let (verb, n) = match action.split_once(':') {
            Some((v, n)) => (v, n.parse::<usize>().ok()),
            None => (action, None),
        };
        let len = self.rows.len();
        match (verb, n) {
            ("add", _) => self.rows.push(Row::default()),
            ("add-after", Some(i)) if i < len => self.rows.insert(i + 1, Row::default()),
            ("remove", Some(i)) if i < len => {
                self.rows.remove(i);
            }
            ("up", Some(i)) if i > 0 && i < len => self.rows.swap(i, i - 1),
            ("down", Some(i)) if i + 1 < len => self.rows.swap(i, i + 1),
            ("to-text", _) => {
                let (rec, _) = self.build();
                self.text = quire_marc::text::to_string(&rec);
                self.mode = "text".into();
            }
            ("to-rows", _) => {
                let (rec, _) = self.build();
                let mut f = RecordForm::from_record(&rec);
                f.text = self.text.clone();
                *self = f;
            }
            ("relayout", _) => {
                // Keep what the old layout held; show the new layout's positions.
                let (rec, _) = self.build();
                let raw = rec
                    .first("008")
                    .and_then(Field::control_value)
                    .unwrap_or_default()
                    .to_owned();
                self.f008 = edit::f008_layout(self.material())
                    .iter()
                    .map(|p| (p.key.to_owned(), edit::position_value(&raw, p)))
                    .collect();
                self.f008_raw = raw;
            }
            _ => {}
        }
    }
}

/// One fixed-field position as the editor shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    pub key: &'static str,
    pub start: usize,
    pub len: usize,
    /// `06` or `07-10`.
    pub range: String,
    /// Current value (`#` = blank).
    pub value: String,
    /// Allowed one-character values (`#` = blank); empty for free positions.
    pub options: Vec<String>,
    /// The options have translated labels (`<key>-<code>`).
    pub labelled: bool,
    pub issues: Vec<IssueView>,
}

/// An issue placed for the template.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Message key suffix (`marc-<code>`).
    pub code: &'static str,
    pub arg: String,
    /// For a fixed-field position: its allowed values (`#, a, b, |`).
    pub allowed: String,
    /// Where (`row-3-tag`, `ldr-06`, `f008-books-23`, `line-4`, `record`):
    /// also the id of the input the summary links to (`f-<target>`).
    pub target: String,
    /// Editor row, 1-based.
    pub row: Option<usize>,
    /// Text-form line, 1-based.
    pub line: Option<usize>,
    /// Fixed-field position key.
    pub position: Option<String>,
    /// Fixed-field position as catalogers write it (`008/22`, `LDR/06`).
    pub at: String,
}

fn position_at(place: Place, layout: &[Position]) -> String {
    let find = |s: usize, list: &[Position]| {
        list.iter()
            .find(|p| s >= p.start && s < p.start + p.len)
            .map(|p| p.range())
            .unwrap_or_else(|| format!("{s:02}"))
    };
    match place {
        Place::Leader(Some(s)) => format!("LDR/{}", find(s, edit::LEADER)),
        Place::Fixed008(Some(s)) => format!("008/{}", find(s, layout)),
        _ => String::new(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub index: usize,
    pub tag: String,
    pub ind1: String,
    pub ind2: String,
    pub value: String,
    pub control: bool,
    pub issues: Vec<IssueView>,
}

/// Everything the editor template needs.
#[derive(Debug, Clone, Serialize)]
pub struct EditorView {
    pub mode: String,
    pub text: String,
    pub material: &'static str,
    pub leader: Vec<PositionView>,
    pub f008_raw: String,
    pub f008: Vec<PositionView>,
    pub rows: Vec<RowView>,
    /// Every issue, errors first (the summary).
    pub issues: Vec<IssueView>,
    pub has_errors: bool,
    pub has_warnings: bool,
}

fn options(p: &Position) -> Vec<String> {
    if p.len != 1 {
        return Vec::new();
    }
    p.allowed
        .chars()
        .map(|c| if c == ' ' { "#".into() } else { c.to_string() })
        .collect()
}

fn target(place: Place, layout: &[Position]) -> String {
    let pos_key = |start: Option<usize>, list: &[Position], fallback: &str| -> String {
        start
            .and_then(|s| {
                list.iter()
                    .find(|p| s >= p.start && s < p.start + p.len)
                    .map(|p| p.key.to_owned())
            })
            .unwrap_or_else(|| fallback.to_owned())
    };
    match place {
        Place::Leader(s) => pos_key(s, edit::LEADER, "ldr-06"),
        // An undefined position has no input: the 008 fieldset.
        Place::Fixed008(s @ Some(_)) => pos_key(s, layout, "f008"),
        Place::Fixed008(None) => "f008-00".into(),
        Place::Row(i, part) => format!("row-{i}-{part}"),
        Place::Line(n) => format!("line-{n}"),
        Place::Record => "record".into(),
    }
}

impl EditorView {
    pub fn of(form: &RecordForm, issues: &[Issue]) -> EditorView {
        let material = form.material();
        let layout = edit::f008_layout(material);
        let mut views: Vec<(Place, IssueView)> = issues
            .iter()
            .map(|i| {
                (
                    i.place,
                    IssueView {
                        severity: match i.severity {
                            Severity::Error => "error",
                            Severity::Warning => "warning",
                        },
                        code: i.code,
                        arg: i.arg.clone().unwrap_or_default(),
                        allowed: i.allowed.clone().unwrap_or_default(),
                        target: if form.is_text() {
                            "text".into()
                        } else {
                            target(i.place, &layout)
                        },
                        row: match i.place {
                            Place::Row(r, _) => Some(r + 1),
                            _ => None,
                        },
                        line: match i.place {
                            Place::Line(n) => Some(n),
                            _ => None,
                        },
                        position: match i.place {
                            Place::Leader(Some(_)) | Place::Fixed008(Some(_)) => {
                                Some(target(i.place, &layout)).filter(|t| t != "f008")
                            }
                            _ => None,
                        },
                        at: position_at(i.place, &layout),
                    },
                )
            })
            .collect();
        views.sort_by_key(|(_, v)| v.severity != "error");
        let for_target = |t: &str| -> Vec<IssueView> {
            views
                .iter()
                .filter(|(_, v)| v.target == t)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let pos_view = |p: &Position, value: Option<&String>| PositionView {
            key: p.key,
            start: p.start,
            len: p.len,
            range: p.range(),
            value: value.cloned().unwrap_or_default(),
            options: options(p),
            labelled: p.labelled,
            issues: for_target(p.key),
        };
        let rows = form
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut issues = for_target(&format!("row-{i}-tag"));
                for part in ["ind1", "ind2", "value"] {
                    issues.extend(for_target(&format!("row-{i}-{part}")));
                }
                RowView {
                    index: i,
                    tag: r.tag.clone(),
                    ind1: r.ind1.clone(),
                    ind2: r.ind2.clone(),
                    value: r.value.clone(),
                    control: r.tag.trim().starts_with("00"),
                    issues,
                }
            })
            .collect();
        EditorView {
            mode: if form.is_text() { "text" } else { "rows" }.into(),
            text: form.text.clone(),
            material: material.as_str(),
            leader: edit::LEADER
                .iter()
                .map(|p| pos_view(p, form.leader.get(p.key)))
                .collect(),
            f008_raw: form.f008_raw.clone(),
            f008: layout
                .iter()
                .map(|p| pos_view(p, form.f008.get(p.key)))
                .collect(),
            rows,
            has_errors: edit::has_errors(issues),
            has_warnings: issues.iter().any(|i| i.severity == Severity::Warning),
            issues: views.into_iter().map(|(_, v)| v).collect(),
        }
    }
}

/// Every message key the cataloging screens build at run time (labels of
/// fixed-field positions and values, issue codes, materials, status events,
/// call-number reasons) — for the translation-completeness test.
pub fn message_keys() -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut positions: Vec<Position> = edit::LEADER.to_vec();
    for m in edit::MATERIALS {
        keys.push(format!("cat-material-{}", m.as_str()));
        positions.extend(edit::f008_layout(*m));
    }
    for p in positions {
        keys.push(format!("pos-{}", p.key));
        if p.labelled {
            keys.extend(p.allowed.chars().map(|c| format!("pos-{}-{c}", p.key)));
        }
    }
    keys.extend(edit::ISSUE_CODES.iter().map(|c| format!("marc-{c}")));
    keys.extend(["error", "warning"].map(|s| format!("cat-severity-{s}")));
    keys.extend(
        MANUAL_EVENTS
            .iter()
            .map(|e| format!("cat-event-{}", e.as_str())),
    );
    for r in [
        CallNumberErrorReason::MissingClassLetters,
        CallNumberErrorReason::TooManyClassLetters(0),
        CallNumberErrorReason::InvalidClassLetter('I'),
        CallNumberErrorReason::MissingClassNumber,
        CallNumberErrorReason::ClassNumberTooLong(0),
        CallNumberErrorReason::UnexpectedCharacter('x'),
        CallNumberErrorReason::NoContent,
    ] {
        keys.push(format!("reason-{}", cn_code(&r).0));
    }
    for fields in crate::holdings::FIELDS {
        keys.extend(
            fields
                .iter()
                .map(|f| format!("field-{}", f.replace('_', "-"))),
        );
    }
    keys.extend(["title", "author", "subject", "callnumber"].map(|i| format!("browse-index-{i}")));
    keys.extend(crate::holdings::TAGS.iter().map(|t| format!("hm-tag-{t}")));
    keys.extend(
        crate::holdings::ATTRIBUTES
            .iter()
            .map(|a| format!("hm-attr-{}", a.replace('_', "-"))),
    );
    keys.sort();
    keys.dedup();
    keys
}

/// What saving a record did.
#[derive(Debug, Clone)]
pub enum SaveOutcome {
    /// Saved: the record id.
    Saved(i64),
    /// Not saved: errors, or warnings not yet accepted.
    NeedsFixing(Vec<Issue>),
}

/// A record as the editor opens it.
#[derive(Debug, Clone, Serialize)]
pub struct EditRecord {
    pub id: i64,
    pub title: String,
    pub control_number: Option<String>,
    pub items: Vec<ItemRow>,
    pub open_loans: i64,
}

/// The one record of a request body, read by its media type:
/// MARC-in-JSON (`application/marc+json`, `application/json`) or MARCXML
/// (`application/marcxml+xml`, `application/xml`, `text/xml`; one
/// `<record>`, bare or in a `<collection>`). Parameters such as `charset`
/// are ignored (both formats are UTF-8).
pub fn parse_record_body(content_type: &str, body: &[u8]) -> Result<Record> {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let bad = |why: String| {
        let mut e = Error::from(FieldError::new("body", "marc-unreadable").with_arg(&why));
        e.detail = why;
        e
    };
    match ct.as_str() {
        "application/marc+json" | "application/json" => quire_marc::json::parse_record(body)
            .map(|(r, _)| r)
            .map_err(bad),
        "application/marcxml+xml" | "application/xml" | "text/xml" => {
            let mut reader = quire_marc::MarcXmlReader::new(std::io::Cursor::new(body));
            let first = match reader.next() {
                Some(Ok(r)) => r.record,
                Some(Err(b)) => return Err(bad(b.reason)),
                None => return Err(bad("no <record> in the body".into())),
            };
            if reader.next().is_some() {
                return Err(bad(
                    "one record per request (quire import reads files)".into()
                ));
            }
            Ok(first)
        }
        other => Err(Error::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "Content-Type {other:?}: send application/marc+json (MARC-in-JSON) or application/marcxml+xml (MARCXML)"
            ),
        )),
    }
}

/// What saving a whole record through the API did.
#[derive(Debug, Clone)]
pub struct MarcSaved {
    pub id: i64,
    /// The new version (ETag value).
    pub version: String,
    /// Warnings the caller accepted.
    pub warnings: Vec<Issue>,
}

/// A record's version: a digest of the stored record and its update time,
/// so any save changes it.
pub fn record_version(row: &quire_store::catalog::RecordRow) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(&row.marc);
    h.update(row.updated_at.to_rfc3339().as_bytes());
    h.finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether an If-Match value (`*`, `"v"`, `W/"v"`, or a list) names `version`.
pub fn version_matches(if_match: &str, version: &str) -> bool {
    if_match
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/").trim_matches('"') == version)
}

fn stamp_005(rec: &mut Record, now: chrono::DateTime<chrono::Utc>) {
    let v = now.format("%Y%m%d%H%M%S.0").to_string();
    rec.fields.retain(|f| f.tag().as_str() != "005");
    let at = rec
        .fields
        .iter()
        .position(|f| f.tag().as_str() > "005" || !f.tag().is_control())
        .unwrap_or(rec.fields.len());
    rec.fields.insert(at, Field::control(Tag(*b"005"), v));
}

fn set_001(rec: &mut Record, value: &str) {
    rec.fields.retain(|f| f.tag().as_str() != "001");
    rec.fields.insert(0, Field::control(Tag(*b"001"), value));
}

fn marc_text(bytes: &[u8]) -> Option<String> {
    quire_marc::iso2709::parse_record(bytes)
        .ok()
        .map(|(r, _)| quire_marc::text::to_string(&r))
}

impl Library {
    /// A record and its form for the editor (staff with edit-catalog).
    pub async fn record_for_edit(&self, ctx: &Ctx, id: i64) -> Result<(EditRecord, Record)> {
        ctx.actor.require(Permission::EditCatalog)?;
        let mut r = self.store().read().await?;
        let row = r
            .record(id)
            .await?
            .filter(|x| x.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        let items = r.items_of(id).await?;
        let open_loans = r.count_open_loans_of_record(id).await?;
        let (rec, _) = quire_marc::iso2709::parse_record(&row.marc)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("stored record {id}: {e}")))?;
        Ok((
            EditRecord {
                id,
                title: row.title,
                control_number: row.control_number,
                items,
                open_loans,
            },
            rec,
        ))
    }

    /// The form of a new record: blank, or a copy of `from` without its
    /// control number, identifier, timestamp and local item fields.
    pub async fn new_record_form(&self, ctx: &Ctx, from: Option<i64>) -> Result<RecordForm> {
        ctx.actor.require(Permission::EditCatalog)?;
        let rec = match from {
            Some(id) => {
                let (_, mut rec) = self.record_for_edit(ctx, id).await?;
                rec.fields.retain(|f| {
                    !matches!(
                        f.tag().as_str(),
                        "001" | "003" | "005" | "852" | "949" | "952"
                    )
                });
                rec
            }
            None => edit::new_book(&self.now().format("%y%m%d").to_string()),
        };
        Ok(RecordForm::from_record(&rec))
    }

    /// Creates (`id` = None) or replaces a record from the editor. Errors,
    /// or warnings the cataloger has not accepted, come back as
    /// [`SaveOutcome::NeedsFixing`] and nothing is written. On save: 001 is
    /// kept (a new record gets its Quire id), 005 is set to now, leader/09
    /// to UTF-8; audit entry and outbox row in the same transaction.
    pub async fn save_record(
        &self,
        ctx: &Ctx,
        id: Option<i64>,
        form: &RecordForm,
    ) -> Result<SaveOutcome> {
        ctx.actor.require(Permission::EditCatalog)?;
        let (rec, issues) = form.build();
        self.write_record(ctx, id, rec, issues, form.accept_warnings, None)
            .await
    }

    /// Creates (`id` = None) or replaces a record sent whole (the JSON API):
    /// the same validation, 001/005/leader rules, audit and outbox as
    /// [`Library::save_record`]. `if_match`: the version the caller read
    /// ([`record_version`]; `*` = any); a replace without it is refused
    /// (`precondition-required`), a stale one too (`precondition-failed`).
    /// Errors, or warnings not accepted, are an `invalid` error carrying
    /// every issue ([`Error::marc_issues`]).
    pub async fn save_marc_record(
        &self,
        ctx: &Ctx,
        id: Option<i64>,
        mut rec: Record,
        accept_warnings: bool,
        if_match: Option<&str>,
    ) -> Result<MarcSaved> {
        ctx.actor.require(Permission::EditCatalog)?;
        if id.is_some() && if_match.is_none() {
            return Err(Error::new(
                ErrorCode::PreconditionRequired,
                "send If-Match with the ETag of GET /api/v1/records/{id} (or *)",
            ));
        }
        rec.leader.set(9, 'a');
        let issues = edit::validate(&rec);
        let warnings: Vec<Issue> = issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
            .cloned()
            .collect();
        match self
            .write_record(ctx, id, rec, issues, accept_warnings, if_match)
            .await?
        {
            SaveOutcome::Saved(id) => {
                let mut r = self.store().read().await?;
                let row = r
                    .record(id)
                    .await?
                    .ok_or_else(|| Error::not_found("record"))?;
                Ok(MarcSaved {
                    id,
                    version: record_version(&row),
                    warnings,
                })
            }
            SaveOutcome::NeedsFixing(issues) => {
                let errors = issues
                    .iter()
                    .filter(|i| i.severity == Severity::Error)
                    .count();
                let mut e = Error::new(
                    ErrorCode::Invalid,
                    if errors > 0 {
                        format!("the record has {errors} error(s)")
                    } else {
                        format!(
                            "the record has {} warning(s): send accept_warnings=true to save it anyway",
                            issues.len()
                        )
                    },
                );
                e.marc_issues = issues;
                Err(e)
            }
        }
    }

    async fn write_record(
        &self,
        ctx: &Ctx,
        id: Option<i64>,
        mut rec: Record,
        issues: Vec<Issue>,
        accept_warnings: bool,
        if_match: Option<&str>,
    ) -> Result<SaveOutcome> {
        let warnings = issues.iter().any(|i| i.severity == Severity::Warning);
        if edit::has_errors(&issues) || (warnings && !accept_warnings) {
            return Ok(SaveOutcome::NeedsFixing(issues));
        }
        let now = self.now();
        quire_marc::normalize::normalize_record(&mut rec);
        stamp_005(&mut rec, now);
        let mut w = self.store().begin().await?;
        let (record_id, action, before) = match id {
            Some(id) => {
                let row = w
                    .record(id)
                    .await?
                    .filter(|x| x.deleted_at.is_none())
                    .ok_or_else(|| Error::not_found("record"))?;
                if let Some(tag) = if_match
                    && !version_matches(tag, &record_version(&row))
                {
                    return Err(Error::new(
                        ErrorCode::PreconditionFailed,
                        format!("record {id} changed since it was read"),
                    ));
                }
                if rec.control_number().is_none() {
                    set_001(
                        &mut rec,
                        &row.control_number.clone().unwrap_or_else(|| id.to_string()),
                    );
                }
                let summary = quire_marc::bib::summarize(&rec);
                let (marc, cols) = columns(&rec, &summary)?;
                w.update_record(id, &cols.write(&marc, now)).await?;
                w.replace_identifiers(id, &identifiers(&summary, &isbn_forms(&summary)))
                    .await?;
                (id, "update", marc_text(&row.marc))
            }
            None => {
                let summary = quire_marc::bib::summarize(&rec);
                let new_id =
                    crate::catalog::insert_new_record(w.as_mut(), &mut rec, None, &summary, now)
                        .await?;
                w.replace_identifiers(new_id, &identifiers(&summary, &isbn_forms(&summary)))
                    .await?;
                (new_id, "create", None)
            }
        };
        w.push_outbox("record", record_id, "upsert", now).await?;
        let after = quire_marc::text::to_string(&rec);
        crate::audit::record(
            w.as_mut(),
            self,
            ctx,
            action,
            "record",
            record_id,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        w.commit().await?;
        Ok(SaveOutcome::Saved(record_id))
    }

    /// A live record as stored (MARC) with its version (the API's ETag
    /// value), read together so the version is the one of this content.
    /// Suppressed records only for staff (`staff`), as `record_view`.
    pub async fn record_marc(&self, id: i64, staff: bool) -> Result<(Record, String)> {
        let mut r = self.store().read().await?;
        let row = r
            .record(id)
            .await?
            .filter(|x| x.deleted_at.is_none() && (staff || !x.suppressed))
            .ok_or_else(|| Error::not_found("record"))?;
        drop(r);
        let (rec, _) = quire_marc::iso2709::parse_record(&row.marc)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("stored record {id}: {e}")))?;
        Ok((rec, record_version(&row)))
    }

    /// The version of a live record (the API's ETag value, without quotes).
    pub async fn record_version_of(&self, id: i64) -> Result<String> {
        let mut r = self.store().read().await?;
        let row = r
            .record(id)
            .await?
            .filter(|x| x.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        Ok(record_version(&row))
    }

    /// Deletes a record: refused while any of its items is on loan. The row
    /// stays as a tombstone (OAI-PMH harvesters see `deleted`); its items
    /// are withdrawn where the status rules allow; audit + outbox.
    pub async fn delete_record(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::EditCatalog)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let row = w
            .record(id)
            .await?
            .filter(|x| x.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        let on_loan = w.count_open_loans_of_record(id).await?;
        if on_loan > 0 {
            let mut e = Error::new(
                ErrorCode::Conflict,
                format!("record {id} has {on_loan} item(s) on loan"),
            );
            e.fields
                .push(FieldError::new("record", "items-on-loan").with_arg(on_loan));
            return Err(e);
        }
        let mut withdrawn = Vec::new();
        for item in w.items_of(id).await? {
            if let Ok(s) = ItemStatus::parse(&item.status)
                && let Ok(to) = transition(s, ItemEvent::Withdraw)
            {
                w.set_item_status(item.id, to.as_str(), now).await?;
                withdrawn.push(item.barcode);
            }
        }
        w.mark_record_deleted(id, now).await?;
        w.push_outbox("record", id, "delete", now).await?;
        crate::audit::record(
            w.as_mut(),
            self,
            ctx,
            "delete",
            "record",
            id,
            marc_text(&row.marc).as_ref(),
            Some(&serde_json::json!({"withdrawn_items": withdrawn})),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }
}

// ---- items ----

/// The item form (new item and edit).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ItemEditForm {
    pub barcode: String,
    pub branch: String,
    #[serde(default)]
    pub location: String,
    pub item_type: String,
    #[serde(default)]
    pub call_number: String,
    /// `lc`, `dewey`, `other`; empty: detected.
    #[serde(default)]
    pub call_number_scheme: String,
    #[serde(default)]
    pub copy_number: String,
    /// Price in the library's currency (`12.50`).
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub notes: String,
    /// New item: the initial status (`available`, `in-process`,
    /// `on-order`). Edit: a status event (`withdraw`, `mark-damaged` …) or
    /// empty to keep the status.
    #[serde(default)]
    pub status: String,
}

/// Status events staff apply by hand on the item page (circulation events
/// such as checkout and checkin have their own screens).
pub const MANUAL_EVENTS: &[ItemEvent] = &[
    ItemEvent::Received,
    ItemEvent::Processed,
    ItemEvent::Shelved,
    ItemEvent::NotFound,
    ItemEvent::MarkDamaged,
    ItemEvent::Repaired,
    ItemEvent::Withdraw,
    ItemEvent::Reinstate,
];

/// Initial statuses of a new item.
pub const INITIAL_STATUSES: &[&str] = &["available", "in-process", "on-order"];

/// The manual events the status rules allow from `status`.
pub fn allowed_events(status: &str) -> Vec<&'static str> {
    match ItemStatus::parse(status) {
        Ok(s) => MANUAL_EVENTS
            .iter()
            .filter(|e| transition(s, **e).is_ok())
            .map(|e| e.as_str())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn cn_code(r: &CallNumberErrorReason) -> (&'static str, Option<String>) {
    use CallNumberErrorReason as R;
    match r {
        R::Empty => ("required", None),
        R::MissingClassLetters => ("cn-missing-class-letters", None),
        R::TooManyClassLetters(n) => ("cn-too-many-class-letters", Some(n.to_string())),
        R::InvalidClassLetter(c) => ("cn-invalid-class-letter", Some(c.to_string())),
        R::MissingClassNumber => ("cn-missing-class-number", None),
        R::ClassNumberTooLong(n) => ("cn-class-number-too-long", Some(n.to_string())),
        R::UnexpectedCharacter(c) => ("cn-unexpected-character", Some(c.to_string())),
        R::NoContent => ("cn-no-content", None),
    }
}

/// Validated item fields (before the lookups that need the database).
struct ValidItem {
    barcode: String,
    item_type: String,
    call_number: Option<String>,
    scheme: Scheme,
    sort: Option<String>,
    copy: Option<String>,
    price_minor: Option<i64>,
    notes: Option<String>,
}

/// The id of the branch with this code, if there is one (an unknown code
/// is reported where the branch is checked).
async fn branch_id_by_code(tx: &mut dyn quire_store::Tx, code: &str) -> Result<Option<i64>> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    Ok(tx.branch_by_code(&code).await?.map(|b| b.id))
}

fn validate_item(
    form: &ItemEditForm,
    schemes: &SchemeContext,
) -> std::result::Result<ValidItem, Invalid> {
    let mut inv = Invalid::default();
    let barcode = form.barcode.trim().to_owned();
    if barcode.is_empty() {
        inv.push(FieldError::new("barcode", "required"));
    } else if barcode.len() > 32 || !barcode.bytes().all(|b| b.is_ascii_alphanumeric()) {
        inv.push(FieldError::new("barcode", "barcode-characters"));
    }
    let item_type = form.item_type.trim().to_ascii_uppercase();
    if let Err(e) = quire_domain::org::Code::parse("item_type", &item_type) {
        inv.push(e);
    }
    let call_number = inv
        .check(quire_domain::error::optional_text(
            "call_number",
            &form.call_number,
            100,
        ))
        .flatten();
    let scheme = match form.call_number_scheme.trim() {
        "" => None,
        s => Scheme::parse(s).or_else(|| {
            inv.push(FieldError::new("call_number_scheme", "invalid-choice"));
            None
        }),
    };
    // No scheme on the item: the record's MARC field, the branch's
    // default, the library's, or a guess.
    let scheme = match (&call_number, scheme) {
        (_, Some(s)) => s,
        (Some(cn), None) => schemes.resolve(None, cn).0,
        (None, None) => schemes.default().unwrap_or(Scheme::Other),
    };
    let mut sort = None;
    if let Some(cn) = &call_number {
        match callnumber::parse(scheme, cn) {
            Ok(parsed) => sort = Some(parsed.sort_key().as_str().to_owned()),
            Err(e) => {
                let (code, arg) = cn_code(&e.reason);
                let arg = arg.unwrap_or_else(|| (e.position + 1).to_string());
                inv.push(FieldError::new("call_number", code).with_arg(arg));
            }
        }
    }
    let price_minor = match form.price.trim() {
        "" => None,
        p => match parse_price(p) {
            Some(v) => Some(v),
            None => {
                inv.push(FieldError::new("price", "invalid-price"));
                None
            }
        },
    };
    let notes = inv
        .check(quire_domain::error::optional_text(
            "notes",
            &form.notes,
            1000,
        ))
        .flatten();
    let copy = inv
        .check(quire_domain::error::optional_text(
            "copy_number",
            &form.copy_number,
            20,
        ))
        .flatten();
    inv.into_result()?;
    Ok(ValidItem {
        barcode,
        item_type,
        call_number,
        scheme,
        sort,
        copy,
        price_minor,
        notes,
    })
}

impl ItemEdit {
    /// The item as the edit form holds it (status empty: keep it), the base
    /// a partial change (API PATCH) is laid over.
    pub fn form(&self) -> ItemEditForm {
        let i = &self.item;
        ItemEditForm {
            barcode: i.barcode.clone(),
            branch: self.branch_code.clone(),
            location: self.location_code.clone(),
            item_type: i.item_type.clone(),
            call_number: i.call_number.clone().unwrap_or_default(),
            call_number_scheme: i.call_number_scheme.clone(),
            copy_number: i.copy_number.clone().unwrap_or_default(),
            price: i
                .price_minor
                .map(|p| format!("{}.{:02}", p / 100, p % 100))
                .unwrap_or_default(),
            notes: i.notes.clone().unwrap_or_default(),
            status: String::new(),
        }
    }
}

/// An item with what its edit page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ItemEdit {
    pub item: ItemRow,
    pub record_title: String,
    pub branch_code: String,
    pub location_code: String,
    pub on_loan: bool,
    /// Manual status events allowed now.
    pub events: Vec<&'static str>,
    /// Whether the item may be deleted (never lent) — else withdraw it.
    pub deletable: bool,
    /// The scheme its call number is read in, and why (`None`: no call
    /// number).
    pub scheme: Option<SchemeExplained>,
}

impl Library {
    async fn branch_and_location(
        &self,
        w: &mut dyn Tx,
        branch: &str,
        location: &str,
    ) -> Result<(i64, Option<i64>)> {
        let branch = w
            .branch_by_code(&branch.trim().to_ascii_uppercase())
            .await?
            .ok_or_else(|| Error::field("branch", "unknown-branch"))?;
        let location_id = match location.trim() {
            "" => None,
            code => Some(
                w.locations(Some(branch.id))
                    .await?
                    .into_iter()
                    .find(|l| l.code == code.to_ascii_uppercase())
                    .ok_or_else(|| Error::field("location", "unknown-location"))?
                    .id,
            ),
        };
        Ok((branch.id, location_id))
    }

    /// Adds an item from the staff form (every field of the item, call
    /// number validated for its scheme).
    pub async fn create_item(
        &self,
        ctx: &Ctx,
        record_id: i64,
        form: &ItemEditForm,
    ) -> Result<ItemRow> {
        ctx.actor.require(Permission::EditItems)?;
        let schemes = {
            let mut r = self.store().read().await?;
            let branch = branch_id_by_code(r.as_mut(), &form.branch).await?;
            scheme_context(r.as_mut(), record_id, branch).await?
        };
        let v = validate_item(form, &schemes)?;
        let status = match form.status.trim() {
            "" => "available",
            s => *INITIAL_STATUSES
                .iter()
                .find(|x| **x == s)
                .ok_or_else(|| Error::field("status", "invalid-choice"))?,
        };
        let now = self.now();
        let mut w = self.store().begin().await?;
        w.record(record_id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        let (branch_id, location_id) = self
            .branch_and_location(w.as_mut(), &form.branch, &form.location)
            .await?;
        if w.item_by_barcode(&v.barcode).await?.is_some() {
            return Err(Error::duplicate("barcode"));
        }
        let id = w
            .insert_item(&ItemWrite {
                record_id,
                barcode: &v.barcode,
                branch_id,
                location_id,
                call_number: v.call_number.as_deref(),
                call_number_scheme: scheme_name(v.scheme),
                call_number_sort: v.sort.as_deref(),
                item_type: &v.item_type,
                status,
                copy_number: v.copy.as_deref(),
                price_minor: v.price_minor,
                now,
            })
            .await
            .map_err(dup_barcode)?;
        if v.notes.is_some() {
            let item = w.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
            w.update_item(
                id,
                &update_of(&item, &v, branch_id, location_id, status, now),
            )
            .await?;
        }
        w.push_outbox("record", record_id, "upsert", now).await?;
        let item = w.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
        crate::audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "create",
            "item",
            id,
            None,
            Some(&item),
        )
        .await?;
        w.commit().await?;
        Ok(item)
    }

    /// An item for its edit page.
    /// The id of the item with this barcode (staff with edit-items).
    pub async fn item_id_by_barcode(&self, ctx: &Ctx, barcode: &str) -> Result<i64> {
        ctx.actor.require(Permission::EditItems)?;
        let mut r = self.store().read().await?;
        r.item_by_barcode(barcode.trim())
            .await?
            .map(|i| i.id)
            .ok_or_else(|| Error::not_found("item"))
    }

    pub async fn item_for_edit(&self, ctx: &Ctx, id: i64) -> Result<ItemEdit> {
        ctx.actor.require(Permission::EditItems)?;
        let mut r = self.store().read().await?;
        let item = r.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
        let record = r
            .record(item.record_id)
            .await?
            .ok_or_else(|| Error::not_found("record"))?;
        let branch_code = r
            .branches()
            .await?
            .into_iter()
            .find(|b| b.id == item.branch_id)
            .map(|b| b.code)
            .unwrap_or_default();
        let location_code = match item.location_id {
            Some(l) => r.location(l).await?.map(|l| l.code).unwrap_or_default(),
            None => String::new(),
        };
        let on_loan = r.open_loan_of_item(id).await?.is_some();
        let deletable = !on_loan && r.count_item_loans(id).await? == 0;
        let schemes = scheme_context(r.as_mut(), item.record_id, Some(item.branch_id)).await?;
        // The stored scheme; the reason is what decides it when the item
        // names none, unless that gives another scheme (then the item's).
        let scheme = item.call_number.as_deref().map(|cn| {
            let stored = Scheme::parse(&item.call_number_scheme).unwrap_or(Scheme::Other);
            let (detected, source) = schemes.resolve(None, cn);
            if detected == stored {
                SchemeExplained::new(stored, source)
            } else {
                SchemeExplained::new(stored, callnumber::SchemeSource::Item)
            }
        });
        Ok(ItemEdit {
            scheme,
            events: allowed_events(&item.status),
            item,
            record_title: record.title,
            branch_code,
            location_code,
            on_loan,
            deletable,
        })
    }

    /// Edits an item: every field, and optionally one status event that
    /// the status rules allow from the current status.
    pub async fn update_item(&self, ctx: &Ctx, id: i64, form: &ItemEditForm) -> Result<ItemRow> {
        ctx.actor.require(Permission::EditItems)?;
        let schemes = {
            let mut r = self.store().read().await?;
            let item = r.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
            // The branch the item will be at (the form's, else its own).
            let branch = match form.branch.trim() {
                "" => Some(item.branch_id),
                code => branch_id_by_code(r.as_mut(), code).await?,
            };
            scheme_context(r.as_mut(), item.record_id, branch).await?
        };
        let v = validate_item(form, &schemes)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let before = w.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
        let status =
            match form.status.trim() {
                "" => before.status.clone(),
                ev => {
                    let event = MANUAL_EVENTS
                        .iter()
                        .find(|e| e.as_str() == ev)
                        .copied()
                        .ok_or_else(|| Error::field("status", "invalid-choice"))?;
                    let from = ItemStatus::parse(&before.status)
                        .map_err(|_| Error::field("status", "invalid-choice"))?;
                    let to =
                        transition(from, event).map_err(|_| {
                            Error::from(Invalid::one(
                                FieldError::new("status", "transition-not-allowed")
                                    .with_arg(format!("{} → {}", from.as_str(), event.as_str())),
                            ))
                        })?;
                    if w.open_loan_of_item(id).await?.is_some() && !to.has_open_loan() {
                        return Err(Error::field("status", "item-on-loan"));
                    }
                    to.as_str().to_owned()
                }
            };
        let (branch_id, location_id) = self
            .branch_and_location(w.as_mut(), &form.branch, &form.location)
            .await?;
        if let Some(other) = w.item_by_barcode(&v.barcode).await?
            && other.id != id
        {
            return Err(Error::duplicate("barcode"));
        }
        w.update_item(
            id,
            &update_of(&before, &v, branch_id, location_id, &status, now),
        )
        .await
        .map_err(dup_barcode)?;
        w.push_outbox("record", before.record_id, "upsert", now)
            .await?;
        let after = w.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
        crate::audit::record(
            w.as_mut(),
            self,
            ctx,
            "update",
            "item",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Deletes an item that was never lent (otherwise: withdraw it, so the
    /// loan history keeps its item). Refused while on loan. Returns the
    /// record id.
    pub async fn delete_item(&self, ctx: &Ctx, id: i64) -> Result<i64> {
        ctx.actor.require(Permission::EditItems)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let item = w.item(id).await?.ok_or_else(|| Error::not_found("item"))?;
        if w.open_loan_of_item(id).await?.is_some() {
            let mut e = Error::new(ErrorCode::Conflict, format!("item {id} is on loan"));
            e.fields.push(FieldError::new("item", "item-on-loan"));
            return Err(e);
        }
        if w.count_item_loans(id).await? > 0 {
            let mut e = Error::new(ErrorCode::Conflict, format!("item {id} has loan history"));
            e.fields.push(FieldError::new("item", "item-has-history"));
            return Err(e);
        }
        w.delete_item(id).await?;
        w.push_outbox("record", item.record_id, "upsert", now)
            .await?;
        crate::audit::record::<_, ()>(
            w.as_mut(),
            self,
            ctx,
            "delete",
            "item",
            id,
            Some(&item),
            None,
        )
        .await?;
        w.commit().await?;
        Ok(item.record_id)
    }

    /// Branch and location codes for the item forms.
    pub async fn item_form_choices(
        &self,
        ctx: &Ctx,
    ) -> Result<(
        Vec<(String, String)>,
        HashMap<String, Vec<(String, String)>>,
    )> {
        ctx.actor.require(Permission::EditItems)?;
        let mut r = self.store().read().await?;
        let branches = r.branches().await?;
        let locations = r.locations(None).await?;
        let mut by_branch: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for l in locations {
            if let Some(b) = branches.iter().find(|b| b.id == l.branch_id) {
                by_branch
                    .entry(b.code.clone())
                    .or_default()
                    .push((l.code, l.name));
            }
        }
        Ok((
            branches.into_iter().map(|b| (b.code, b.name)).collect(),
            by_branch,
        ))
    }
}

fn update_of<'a>(
    _before: &ItemRow,
    v: &'a ValidItem,
    branch_id: i64,
    location_id: Option<i64>,
    status: &'a str,
    now: chrono::DateTime<chrono::Utc>,
) -> ItemUpdate<'a> {
    ItemUpdate {
        barcode: &v.barcode,
        branch_id,
        location_id,
        call_number: v.call_number.as_deref(),
        call_number_scheme: scheme_name(v.scheme),
        call_number_sort: v.sort.as_deref(),
        item_type: &v.item_type,
        status,
        copy_number: v.copy.as_deref(),
        price_minor: v.price_minor,
        notes: v.notes.as_deref(),
        now,
    }
}

fn dup_barcode(e: quire_store::StoreError) -> Error {
    match e {
        quire_store::StoreError::Duplicate(_) => Error::duplicate("barcode"),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_numbers_are_validated_for_their_scheme() {
        let form = ItemEditForm {
            barcode: "B1".into(),
            branch: "MAIN".into(),
            item_type: "BOOK".into(),
            call_number: "QA76".into(),
            call_number_scheme: "dewey".into(),
            ..ItemEditForm::default()
        };
        let Err(inv) = validate_item(&form, &Default::default()) else {
            panic!("QA76 is no Dewey number")
        };
        assert_eq!(inv.0[0].field, "call_number");
        let ok = ItemEditForm {
            call_number: "QA76.73.R87 K53 2019".into(),
            call_number_scheme: String::new(),
            price: "$12.50".into(),
            ..form.clone()
        };
        let v = validate_item(&ok, &Default::default()).unwrap();
        assert_eq!(v.scheme, Scheme::Lc);
        assert_eq!(v.price_minor, Some(1250));
        let bad_price = ItemEditForm {
            price: "free".into(),
            ..ok
        };
        assert_eq!(
            validate_item(&bad_price, &Default::default())
                .err()
                .unwrap()
                .0[0]
                .field,
            "price"
        );
    }

    #[test]
    fn manual_events_follow_the_status_rules() {
        assert!(allowed_events("available").contains(&"withdraw"));
        assert!(!allowed_events("checked-out").contains(&"withdraw"));
        assert_eq!(allowed_events("withdrawn"), vec!["reinstate"]);
    }

    #[test]
    fn form_round_trip_and_actions() {
        let (rec, _) = edit::parse_text(
            "LDR 00000nam a2200000 i 4500\n001 7\n008 200101s2020    xx            000 0 eng d\n245 10 $aCats.\n650  0 $aCats.\n",
        );
        let mut form = RecordForm::from_record(&rec);
        assert_eq!(
            form.f008.get("f008-books-33").map(String::as_str),
            Some("0")
        );
        let (again, issues) = form.build();
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(again.fields, rec.fields);
        form.apply("add-after:1");
        assert_eq!(form.rows.len(), 4);
        assert_eq!(form.rows[2].tag, "");
        form.apply("remove:2");
        form.apply("up:2");
        assert_eq!(form.rows[1].tag, "650");
        form.apply("to-text");
        assert!(form.text.contains("650  0 $aCats."));
        form.apply("to-rows");
        assert_eq!(form.mode, "rows");
        // Changing the type of record changes the 008 layout; a value typed
        // in the old layout before the switch is kept (008/22 audience "j").
        form.f008.insert("f008-books-22".into(), "j".into());
        form.leader.insert("ldr-06".into(), "e".into());
        form.apply("relayout");
        assert!(form.f008.contains_key("f008-maps-22"));
        assert!(!form.f008.contains_key("f008-books-22"));
        assert_eq!(form.f008_raw.chars().nth(22), Some('j'));
        let view = EditorView::of(&form, &[]);
        assert_eq!(view.material, "maps");
        // As a map, the books codes at 18-21/22-23 become warnings that name
        // the position and its allowed values.
        let (_, issues) = form.build();
        let proj = issues
            .iter()
            .find(|i| i.place == Place::Fixed008(Some(22)))
            .expect("projection issue");
        assert_eq!(proj.code, "position-value");
        assert!(proj.allowed.as_deref().unwrap_or("").contains("aa, ab"));
        let view = EditorView::of(&form, &issues);
        let v = view
            .issues
            .iter()
            .find(|v| v.at == "008/22-23")
            .expect("placed");
        assert_eq!(v.position.as_deref(), Some("f008-maps-22"));
    }
}
