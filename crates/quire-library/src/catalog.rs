//! The catalog: MARC import (streaming, batched, resumable, with quarantine),
//! records and their items.

use std::collections::HashMap;
use std::io::Read;

use quire_domain::callnumber::{self, Scheme};
use quire_domain::ident::Isbn;
use quire_domain::staff::Permission;
use quire_marc::bib::{BibSummary, CallNumberScheme, MaterialFormat};
use quire_marc::holdings::ItemCandidate;
use quire_marc::{Field, Record, Tag};
use quire_store::Tx;
use quire_store::catalog::{ItemRow, ItemWrite, JobCounts, RecordRow, RecordWrite};
use serde::{Deserialize, Serialize};

use crate::{Ctx, Error, ErrorCode, Library, Result};

/// How an incoming record is matched against the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matching {
    /// 001 (+ 003 when present).
    ControlNumber,
    /// Any ISBN in common.
    Isbn,
    /// Never: every record is new.
    None,
}

/// What to do when a record matches an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnMatch {
    Replace,
    Skip,
    /// Keep the existing record, add the incoming items to it.
    MergeItems,
}

/// Which local fields describe items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Holdings {
    /// No items from the records.
    None,
    /// 952 (Koha), then 949, then 852 — the first present in the record.
    Auto,
    Koha952,
    Marc852,
    Local949,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportOptions {
    pub matching: Matching,
    pub on_match: OnMatch,
    pub holdings: Holdings,
    /// Records per transaction.
    pub batch_size: usize,
    /// Branch code for items whose own branch is missing or unknown.
    pub default_branch: Option<String>,
    /// Holdings mapping for this import (default: the configured one).
    #[serde(default)]
    pub holdings_map: Option<crate::holdings::HoldingsConfig>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            matching: Matching::ControlNumber,
            on_match: OnMatch::Replace,
            holdings: Holdings::Auto,
            batch_size: 500,
            default_branch: None,
            holdings_map: None,
        }
    }
}

/// Progress, reported after each committed batch.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ImportProgress {
    pub job_id: i64,
    pub counts: JobCounts,
    /// Records skipped because an earlier, interrupted run already did them.
    pub resumed_from: i64,
    pub warnings: u64,
}

/// The outcome of an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub job_id: i64,
    pub counts: JobCounts,
    pub resumed_from: i64,
    pub warnings: u64,
    /// Problems with items (unknown branch, duplicate barcode …) by record.
    pub item_problems: Vec<String>,
}

const CHANNEL: usize = 1024;

impl Library {
    /// Imports MARC records (ISO 2709, MARCXML or MARC-in-JSON, detected)
    /// from `input`. Commits every `batch_size` records together with the
    /// job's progress, so a killed import loses nothing committed and a
    /// re-run with the same `fingerprint` resumes where it stopped. Records
    /// that cannot be read or lack a title go to quarantine with the reason.
    pub async fn import_marc<R: Read + Send + 'static>(
        &self,
        ctx: &Ctx,
        source: &str,
        fingerprint: &str,
        input: R,
        opts: &ImportOptions,
        progress: &mut (dyn FnMut(&ImportProgress) + Send),
    ) -> Result<ImportReport> {
        ctx.actor.require(Permission::ImportRecords)?;
        let batch_size = opts.batch_size.clamp(1, 10_000);
        let (tx_ch, mut rx) = tokio::sync::mpsc::channel(CHANNEL);
        let (format_tx, format_rx) = tokio::sync::oneshot::channel();
        let reader = crate::cpu::spawn_background(move || {
            let (format, iter) = quire_marc::open_reader_detected(input);
            let _ = format_tx.send(format);
            for item in iter {
                if tx_ch.blocking_send(item).is_err() {
                    break;
                }
            }
        });
        let format = format_rx
            .await
            .map(|f| format!("{f:?}"))
            .unwrap_or_else(|_| "unknown".into());

        // A running job with the same fingerprint was interrupted: resume it.
        let mut w = self.store().begin().await?;
        let (job_id, mut counts) = match w.running_import_job(fingerprint).await? {
            Some(job) => (
                job.id,
                JobCounts {
                    records_done: job.records_done,
                    created: job.created,
                    replaced: job.replaced,
                    skipped: job.skipped,
                    quarantined: job.quarantined,
                    items_created: job.items_created,
                },
            ),
            None => {
                let options_json = serde_json::to_string(opts).unwrap_or_default();
                let id = w
                    .insert_import_job(
                        source,
                        fingerprint,
                        &format,
                        &options_json,
                        &ctx.actor.label(),
                        self.now(),
                    )
                    .await?;
                (id, JobCounts::default())
            }
        };
        let branch_rows = w.branches().await?;
        let branch_schemes = branch_schemes(&branch_rows);
        let branches: HashMap<String, i64> =
            branch_rows.into_iter().map(|b| (b.code, b.id)).collect();
        let locations: HashMap<(i64, String), i64> = w
            .locations(None)
            .await?
            .into_iter()
            .map(|l| ((l.branch_id, l.code), l.id))
            .collect();
        let default_scheme = crate::scheme_settings::default_scheme(w.as_mut()).await?;
        w.commit().await?;
        let default_branch = match &opts.default_branch {
            Some(code) => Some(
                *branches
                    .get(&code.trim().to_ascii_uppercase())
                    .ok_or_else(|| Error::field("default_branch", "unknown-branch"))?,
            ),
            None => branches.values().min().copied(),
        };
        let resumed_from = counts.records_done;
        let mut index: i64 = 0;
        let mut warnings = 0u64;
        let mut item_problems = Vec::new();
        let holdings = match &opts.holdings_map {
            Some(c) => {
                c.validate()?;
                c.clone()
            }
            None => self.holdings_mapping().await?,
        };
        let env = ItemEnv {
            branches: &branches,
            locations: &locations,
            default_branch,
            holdings: &holdings,
            default_scheme,
            branch_schemes,
        };

        loop {
            let mut batch = Vec::with_capacity(batch_size);
            while batch.len() < batch_size {
                match rx.recv().await {
                    Some(item) => {
                        index += 1;
                        if index <= resumed_from {
                            continue; // done by the interrupted run
                        }
                        batch.push((index, item));
                    }
                    None => break,
                }
            }
            if batch.is_empty() {
                break;
            }
            let mut w = self.store().begin().await?;
            for (idx, item) in batch {
                counts.records_done = idx;
                match item {
                    Err(bad) if bad.kind == quire_marc::BadRecordKind::Io => {
                        return Err(Error::new(
                            ErrorCode::Invalid,
                            format!("{source}: read error: {}", bad.reason),
                        ));
                    }
                    Err(bad) => {
                        w.insert_quarantine(
                            Some(job_id),
                            source,
                            idx,
                            bad.position.byte_offset as i64,
                            &bad.raw,
                            &bad.reason,
                            self.now(),
                        )
                        .await?;
                        counts.quarantined += 1;
                    }
                    Ok(rr) => {
                        warnings += rr.warnings.len() as u64;
                        if rr.record.first("245").is_none() {
                            let reason = "no title: the record has no 245 field";
                            w.insert_quarantine(
                                Some(job_id),
                                source,
                                idx,
                                rr.position.byte_offset as i64,
                                &rr.raw,
                                reason,
                                self.now(),
                            )
                            .await?;
                            counts.quarantined += 1;
                            continue;
                        }
                        // A record the reader recovered may still hold bytes
                        // ISO 2709 cannot store (e.g. a delimiter inside a
                        // control field): quarantine it, never stop the import.
                        // The bytes encoded here are the ones stored.
                        let encoded = match quire_marc::iso2709::to_bytes(&rr.record) {
                            Ok(bytes) => bytes,
                            Err(e) => {
                                let reason = format!("cannot be stored: {e}");
                                w.insert_quarantine(
                                    Some(job_id),
                                    source,
                                    idx,
                                    rr.position.byte_offset as i64,
                                    &rr.raw,
                                    &reason,
                                    self.now(),
                                )
                                .await?;
                                counts.quarantined += 1;
                                continue;
                            }
                        };
                        self.import_one(
                            w.as_mut(),
                            rr.record,
                            Some(encoded),
                            opts,
                            &env,
                            &mut counts,
                            &mut item_problems,
                        )
                        .await?;
                    }
                }
            }
            w.update_import_job(job_id, &counts, "running", self.now())
                .await?;
            w.commit().await?;
            progress(&ImportProgress {
                job_id,
                counts,
                resumed_from,
                warnings,
            });
        }
        let _ = reader.await;
        let mut w = self.store().begin().await?;
        w.update_import_job(job_id, &counts, "done", self.now())
            .await?;
        crate::audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "import",
            "import_job",
            job_id,
            None,
            Some(&serde_json::json!({"source": source, "counts": counts, "resumed_from": resumed_from})),
        )
        .await?;
        w.commit().await?;
        Ok(ImportReport {
            job_id,
            counts,
            resumed_from,
            warnings,
            item_problems,
        })
    }

    /// `encoded`: the record as ISO 2709 when the caller has it already.
    pub(crate) async fn import_one(
        &self,
        w: &mut dyn Tx,
        mut record: Record,
        encoded: Option<Vec<u8>>,
        opts: &ImportOptions,
        env: &ItemEnv<'_>,
        counts: &mut JobCounts,
        item_problems: &mut Vec<String>,
    ) -> Result<Option<i64>> {
        // Stored text is NFC with Vietnamese vowel marks before tone marks
        // (quire_marc::normalize); bytes encoded before that are stale.
        let encoded = if quire_marc::normalize::normalize_record(&mut record) {
            None
        } else {
            encoded
        };
        let summary = quire_marc::bib::summarize(&record);
        let isbns = isbn_forms(&summary);
        let existing = match opts.matching {
            Matching::ControlNumber => match record.control_number() {
                Some(cn) => {
                    w.find_record_by_control_number(
                        cn.trim(),
                        record.control_number_identifier().map(str::trim),
                    )
                    .await?
                }
                None => None,
            },
            Matching::Isbn => {
                let mut found = None;
                for i in &isbns {
                    if let Some(id) = w.find_records_by_identifier("isbn", i).await?.first() {
                        found = Some(*id);
                        break;
                    }
                }
                found
            }
            Matching::None => None,
        };
        let candidates = match opts.holdings {
            Holdings::None => Vec::new(),
            Holdings::Koha952 => env.holdings.for_tag("952").extract(&record),
            Holdings::Marc852 => env.holdings.for_tag("852").extract(&record),
            Holdings::Local949 => env.holdings.for_tag("949").extract(&record),
            Holdings::Auto => [
                env.holdings.for_tag("952"),
                env.holdings.for_tag("949"),
                env.holdings.for_tag("852"),
            ]
            .into_iter()
            .map(|m| m.extract(&record))
            .find(|v| !v.is_empty())
            .unwrap_or_default(),
        };
        let now = self.now();
        let record_id = match (existing, opts.on_match) {
            (Some(_), OnMatch::Skip) => {
                counts.skipped += 1;
                return Ok(None);
            }
            (Some(id), OnMatch::MergeItems) => {
                counts.skipped += 1;
                id
            }
            (Some(id), OnMatch::Replace) => {
                let (marc, cols) = columns_with(encoded, &record, &summary)?;
                w.update_record(id, &cols.write(&marc, now)).await?;
                w.replace_identifiers(id, &identifiers(&summary, &isbns))
                    .await?;
                w.push_outbox("record", id, "upsert", now).await?;
                counts.replaced += 1;
                id
            }
            (None, _) => {
                let id = insert_new_record(w, &mut record, encoded, &summary, now).await?;
                w.replace_identifiers(id, &identifiers(&summary, &isbns))
                    .await?;
                w.push_outbox("record", id, "upsert", now).await?;
                counts.created += 1;
                id
            }
        };
        if existing.is_some() && opts.on_match == OnMatch::Replace {
            // Items of a replaced record stay as they are; new barcodes are added below.
        }
        for c in candidates {
            match self
                .item_from_candidate(w, record_id, &c, &summary, env, now)
                .await?
            {
                Ok(true) => counts.items_created += 1,
                Ok(false) => {}
                Err(problem) => {
                    if item_problems.len() < 1000 {
                        item_problems.push(format!(
                            "record {}: {problem}",
                            record.control_number().unwrap_or("?")
                        ));
                    }
                }
            }
        }
        Ok(Some(record_id))
    }

    /// Creates one item; Ok(false) when the barcode already exists on this
    /// record (re-import), Err(reason) when it cannot be created.
    async fn item_from_candidate(
        &self,
        w: &mut dyn Tx,
        record_id: i64,
        c: &ItemCandidate,
        summary: &BibSummary,
        env: &ItemEnv<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<std::result::Result<bool, String>> {
        let Some(barcode) = c
            .barcode
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        else {
            return Ok(Err("item without a barcode".into()));
        };
        if let Some(existing) = w.item_by_barcode(barcode).await? {
            return Ok(if existing.record_id == record_id {
                Ok(false)
            } else {
                Err(format!("barcode {barcode} belongs to another record"))
            });
        }
        let branch_id = match c.branch.as_deref().map(|b| b.trim().to_ascii_uppercase()) {
            Some(code) if env.branches.contains_key(&code) => env.branches[&code],
            Some(code) => match env.default_branch {
                Some(d) => {
                    tracing::debug!(code, "unknown branch; using the default branch");
                    d
                }
                None => return Ok(Err(format!("item {barcode}: unknown branch {code}"))),
            },
            None => match env.default_branch {
                Some(d) => d,
                None => {
                    return Ok(Err(format!(
                        "item {barcode}: no branch and no default branch"
                    )));
                }
            },
        };
        let location_id = c.location.as_deref().and_then(|l| {
            env.locations
                .get(&(branch_id, l.trim().to_ascii_uppercase()))
                .copied()
        });
        let (call_number, scheme) = match c
            .call_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // The item's own number: the record's MARC field when it is
            // one of them, else its branch's default, else the library's,
            // else a guess.
            Some(cn) => {
                let marc = crate::scheme_settings::tagged(&summary.call_numbers);
                let marc: Vec<_> = marc.iter().map(|(t, m, v)| (*t, *m, v.as_str())).collect();
                let scheme = callnumber::effective_scheme_at_branch(
                    None,
                    cn,
                    &marc,
                    env.branch_schemes.get(&branch_id).copied(),
                    env.default_scheme,
                )
                .0;
                (Some(cn.to_owned()), scheme)
            }
            None => match summary.call_numbers.first() {
                Some(cn) => (Some(cn.value.clone()), scheme_of(cn.scheme)),
                None => (None, Scheme::Other),
            },
        };
        let sort = call_number
            .as_deref()
            .map(|cn| callnumber::sort_key(scheme, cn).to_string());
        let item_type = c
            .item_type
            .clone()
            .unwrap_or_else(|| default_item_type(summary.format).to_owned());
        let price_minor = c.price.as_deref().and_then(parse_price);
        w.insert_item(&ItemWrite {
            record_id,
            barcode,
            branch_id,
            location_id,
            call_number: call_number.as_deref(),
            call_number_scheme: scheme_name(scheme),
            call_number_sort: sort.as_deref(),
            item_type: &item_type,
            status: "available",
            copy_number: c.copy.as_deref(),
            price_minor,
            now,
        })
        .await?;
        w.push_outbox("record", record_id, "upsert", now).await?;
        Ok(Ok(true))
    }

    /// One record with its items.
    pub async fn record(&self, id: i64) -> Result<(RecordRow, Vec<ItemRow>)> {
        let mut r = self.store().read().await?;
        let rec = r
            .record(id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        let items = r.items_of(id).await?;
        Ok((rec, items))
    }

    /// Recent import jobs (staff with the import permission).
    pub async fn import_jobs(&self, ctx: &Ctx) -> Result<Vec<quire_store::catalog::ImportJobRow>> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut r = self.store().read().await?;
        Ok(r.import_jobs(50).await?)
    }

    /// Quarantined records of one job (for `--report`) or all open ones.
    pub async fn quarantine(
        &self,
        ctx: &Ctx,
        job_id: Option<i64>,
    ) -> Result<Vec<quire_store::catalog::QuarantineRow>> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut r = self.store().read().await?;
        Ok(match job_id {
            Some(j) => r.quarantine_of_job(j).await?,
            None => r.quarantine_list(true, 500).await?,
        })
    }

    /// Counts for dashboards.
    pub async fn catalog_counts(&self) -> Result<(i64, i64)> {
        let mut r = self.store().read().await?;
        Ok((r.count_records().await?, r.count_items().await?))
    }
}

/// Branch id → its own default call number scheme, for branches with one.
pub(crate) fn branch_schemes(rows: &[quire_store::model::BranchRow]) -> HashMap<i64, Scheme> {
    rows.iter()
        .filter_map(|b| Some((b.id, crate::scheme_settings::branch_scheme(b)?)))
        .collect()
}

pub(crate) struct ItemEnv<'a> {
    pub(crate) branches: &'a HashMap<String, i64>,
    pub(crate) locations: &'a HashMap<(i64, String), i64>,
    pub(crate) default_branch: Option<i64>,
    pub(crate) holdings: &'a crate::holdings::HoldingsConfig,
    /// The library's default call number scheme (setting).
    pub(crate) default_scheme: Option<Scheme>,
    /// Branch id → the branch's own default scheme (branches with one).
    pub(crate) branch_schemes: HashMap<i64, Scheme>,
}

/// The summary columns of a record.
pub(crate) struct Columns {
    control_number: Option<String>,
    control_number_identifier: Option<String>,
    title: String,
    title_sort: String,
    author: Option<String>,
    publisher: Option<String>,
    year: Option<i64>,
    language: Option<String>,
    format: &'static str,
}

impl Columns {
    pub(crate) fn write<'a>(
        &'a self,
        marc: &'a [u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> RecordWrite<'a> {
        RecordWrite {
            control_number: self.control_number.as_deref(),
            control_number_identifier: self.control_number_identifier.as_deref(),
            marc,
            title: &self.title,
            title_sort: &self.title_sort,
            author: self.author.as_deref(),
            publisher: self.publisher.as_deref(),
            year: self.year,
            language: self.language.as_deref(),
            format: self.format,
            now,
        }
    }
}

/// Inserts a new record, written once: a record without a 001 gets its
/// Quire id as 001, so the id is reserved first and the record encoded with
/// it (`encoded` is used only when the record already has its 001).
pub(crate) async fn insert_new_record(
    w: &mut dyn Tx,
    record: &mut Record,
    encoded: Option<Vec<u8>>,
    summary: &BibSummary,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    if record.control_number().is_some() {
        let (marc, cols) = columns_with(encoded, record, summary)?;
        return Ok(w.insert_record(&cols.write(&marc, now)).await?);
    }
    let id = w.reserve_record_id().await?;
    // In front; anything else tagged 001 (a damaged record's data field)
    // stays, as the export round trip expects.
    record
        .fields
        .insert(0, Field::control(Tag(*b"001"), id.to_string()));
    let (marc, cols) = columns(record, summary)?;
    w.insert_record_with_id(id, &cols.write(&marc, now)).await?;
    Ok(id)
}

pub(crate) fn columns(record: &Record, s: &BibSummary) -> Result<(Vec<u8>, Columns)> {
    columns_with(None, record, s)
}

/// [`columns`], reusing `encoded` (the record as ISO 2709) when given.
fn columns_with(
    encoded: Option<Vec<u8>>,
    record: &Record,
    s: &BibSummary,
) -> Result<(Vec<u8>, Columns)> {
    let marc = match encoded {
        Some(bytes) => bytes,
        None => quire_marc::iso2709::to_bytes(record).map_err(|e| {
            Error::new(
                ErrorCode::Invalid,
                format!("record cannot be written as ISO 2709: {e}"),
            )
        })?,
    };
    let title = s.title.clone().unwrap_or_default();
    Ok((
        marc,
        Columns {
            control_number: record.control_number().map(|c| c.trim().to_owned()),
            control_number_identifier: record
                .control_number_identifier()
                .map(|c| c.trim().to_owned()),
            title_sort: s
                .sort_title
                .clone()
                .unwrap_or_else(|| title.clone())
                .to_lowercase(),
            title,
            author: s
                .authors
                .iter()
                .find(|a| a.main_entry)
                .or(s.authors.first())
                .map(|a| a.name.clone()),
            publisher: s.publisher.clone(),
            year: s.year.map(i64::from),
            language: s.languages.first().cloned(),
            format: format_name(s.format),
        },
    ))
}

/// Every searchable form of the record's valid ISBNs (10 and 13 digits).
pub(crate) fn isbn_forms(s: &BibSummary) -> Vec<String> {
    let mut out: Vec<String> = s
        .isbns
        .iter()
        .filter(|i| !i.cancelled)
        .filter_map(|i| Isbn::parse(&i.value).ok())
        .flat_map(|i| i.search_forms())
        .collect();
    out.sort();
    out.dedup();
    out
}

pub(crate) fn identifiers(s: &BibSummary, isbns: &[String]) -> Vec<(&'static str, String)> {
    let mut ids: Vec<(&'static str, String)> = isbns.iter().map(|i| ("isbn", i.clone())).collect();
    for i in &s.issns {
        if let Ok(v) = quire_domain::ident::Issn::parse(&i.value) {
            ids.push(("issn", v.as_str().to_owned()));
        }
    }
    if let Some(l) = &s.lccn
        && let Ok(n) = quire_domain::ident::normalize_lccn(l)
    {
        ids.push(("lccn", n));
    }
    ids
}

/// Stable names of material formats (stored, indexed, translated as `format-<name>`).
pub fn format_name(f: MaterialFormat) -> &'static str {
    match f {
        MaterialFormat::Book => "book",
        MaterialFormat::EBook => "ebook",
        MaterialFormat::Serial => "serial",
        MaterialFormat::Map => "map",
        MaterialFormat::Score => "score",
        MaterialFormat::SoundRecording => "sound",
        MaterialFormat::MusicRecording => "music",
        MaterialFormat::Video => "video",
        MaterialFormat::Kit => "kit",
        MaterialFormat::ComputerFile => "computer",
        MaterialFormat::VisualMaterial => "visual",
        MaterialFormat::Manuscript => "manuscript",
        MaterialFormat::Mixed => "mixed",
        MaterialFormat::Other => "other",
    }
}

pub const FORMATS: &[&str] = &[
    "book",
    "ebook",
    "serial",
    "map",
    "score",
    "sound",
    "music",
    "video",
    "kit",
    "computer",
    "visual",
    "manuscript",
    "mixed",
    "other",
];

fn default_item_type(f: MaterialFormat) -> &'static str {
    match f {
        MaterialFormat::Video => "DVD",
        MaterialFormat::Serial => "SERIAL",
        MaterialFormat::SoundRecording | MaterialFormat::MusicRecording => "AUDIO",
        _ => "BOOK",
    }
}

fn scheme_of(s: CallNumberScheme) -> Scheme {
    match s {
        CallNumberScheme::Lc | CallNumberScheme::LocalLc => Scheme::Lc,
        CallNumberScheme::Dewey | CallNumberScheme::LocalDewey => Scheme::Dewey,
    }
}

pub fn scheme_name(s: Scheme) -> &'static str {
    match s {
        Scheme::Lc => "lc",
        Scheme::Dewey => "dewey",
        Scheme::Other => "other",
    }
}

/// "12.50", "$12.50", "12,50" → 1250.
pub(crate) fn parse_price(raw: &str) -> Option<i64> {
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let norm = cleaned.replace(',', ".");
    let mut parts = norm.splitn(2, '.');
    let whole: i64 = parts.next()?.parse().ok()?;
    let frac = parts.next().unwrap_or("0");
    let cents: i64 = format!("{:0<2}", &frac[..frac.len().min(2)]).parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    #[test]
    fn prices() {
        assert_eq!(super::parse_price("12.50"), Some(1250));
        assert_eq!(super::parse_price("$7"), Some(700));
        assert_eq!(super::parse_price("3,5"), Some(350));
        assert_eq!(super::parse_price("free"), None);
    }
}

/// Raw fields of the "add an item" form / API body / demo plan.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemForm {
    pub barcode: String,
    pub branch: String,
    #[serde(default)]
    pub location: String,
    pub item_type: String,
    #[serde(default)]
    pub call_number: String,
    /// `lc`, `dewey` or `other` (`local`); empty: guessed.
    #[serde(default)]
    pub call_number_scheme: String,
    #[serde(default)]
    pub copy_number: String,
}

impl Library {
    /// Adds an item (a copy with a barcode) to a record.
    pub async fn add_item(&self, ctx: &Ctx, record_id: i64, form: &ItemForm) -> Result<ItemRow> {
        ctx.actor.require(Permission::EditItems)?;
        let mut inv = quire_domain::Invalid::default();
        let barcode = form.barcode.trim().to_owned();
        if barcode.is_empty() {
            inv.push(quire_domain::FieldError::new("barcode", "required"));
        } else if barcode.len() > 32 || !barcode.bytes().all(|b| b.is_ascii_alphanumeric()) {
            inv.push(quire_domain::FieldError::new(
                "barcode",
                "barcode-characters",
            ));
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
        let item_scheme = match form.call_number_scheme.trim() {
            "" => None,
            s => Scheme::parse(s).or_else(|| {
                inv.push(quire_domain::FieldError::new(
                    "call_number_scheme",
                    "invalid-choice",
                ));
                None
            }),
        };
        inv.into_result()?;
        // No scheme on the item: the record's MARC field, the library
        // default, or a guess.
        // No scheme on the item: the record's MARC field, the branch's
        // default, the library's, or a guess.
        let scheme = {
            let mut r = self.store().read().await?;
            let branch = r
                .branch_by_code(&form.branch.trim().to_ascii_uppercase())
                .await?
                .map(|b| b.id);
            let schemes =
                crate::scheme_settings::scheme_context(r.as_mut(), record_id, branch).await?;
            match &call_number {
                Some(cn) => schemes.resolve(item_scheme, cn).0,
                None => item_scheme.or(schemes.default()).unwrap_or(Scheme::Other),
            }
        };
        let now = self.now();
        let mut w = self.store().begin().await?;
        w.record(record_id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        let branch = w
            .branch_by_code(&form.branch.trim().to_ascii_uppercase())
            .await?
            .ok_or_else(|| Error::field("branch", "unknown-branch"))?;
        let location_id = match form.location.trim() {
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
        if w.item_by_barcode(&barcode).await?.is_some() {
            return Err(Error::duplicate("barcode"));
        }
        let sort = call_number
            .as_deref()
            .map(|cn| callnumber::sort_key(scheme, cn).to_string());
        let copy = form.copy_number.trim();
        let id = w
            .insert_item(&ItemWrite {
                record_id,
                barcode: &barcode,
                branch_id: branch.id,
                location_id,
                call_number: call_number.as_deref(),
                call_number_scheme: scheme_name(scheme),
                call_number_sort: sort.as_deref(),
                item_type: &item_type,
                status: "available",
                copy_number: (!copy.is_empty()).then_some(copy),
                price_minor: None,
                now,
            })
            .await
            .map_err(|e| match e {
                quire_store::StoreError::Duplicate(_) => Error::duplicate("barcode"),
                other => other.into(),
            })?;
        w.push_outbox("record", record_id, "upsert", now).await?;
        let item = w
            .item_by_barcode(&barcode)
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
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

    /// The record with this control number (001), if any.
    pub async fn record_id_by_control_number(&self, cn: &str) -> Result<Option<i64>> {
        let mut r = self.store().read().await?;
        Ok(r.find_records_by_control_number_any(cn.trim())
            .await?
            .first()
            .copied())
    }
}

/// Everything the record page shows.
#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub id: i64,
    pub control_number: Option<String>,
    pub title: String,
    pub responsibility: Option<String>,
    pub authors: Vec<(String, Vec<String>)>,
    pub subjects: Vec<String>,
    pub series: Vec<String>,
    pub edition: Option<String>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    pub year: Option<i64>,
    pub physical_description: Option<String>,
    pub languages: Vec<String>,
    pub format: String,
    pub isbns: Vec<String>,
    pub issns: Vec<String>,
    pub lccn: Option<String>,
    pub notes: Vec<String>,
    pub contents: Vec<String>,
    pub summary: Vec<String>,
    pub links: Vec<(String, Option<String>)>,
    pub items: Vec<ItemView>,
    pub available: usize,
    pub suppressed: bool,
    /// The record in the `245 10 $a…` line form (staff only).
    pub marc_text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub barcode: String,
    pub branch_code: String,
    pub branch: String,
    pub location: Option<String>,
    pub call_number: Option<String>,
    pub item_type: String,
    pub status: String,
    pub copy_number: Option<String>,
}

impl Library {
    /// The record page: description, holdings per branch, availability.
    /// Suppressed records exist only for staff.
    pub async fn record_view(&self, id: i64, staff: bool) -> Result<RecordView> {
        let mut r = self.store().read().await?;
        let row = r
            .record(id)
            .await?
            .filter(|x| x.deleted_at.is_none())
            .ok_or_else(|| Error::not_found("record"))?;
        if row.suppressed && !staff {
            return Err(Error::not_found("record"));
        }
        let items = r.items_of(id).await?;
        let branches: HashMap<i64, (String, String)> = r
            .branches()
            .await?
            .into_iter()
            .map(|b| (b.id, (b.code, b.name)))
            .collect();
        let locations: HashMap<i64, String> = r
            .locations(None)
            .await?
            .into_iter()
            .map(|l| (l.id, l.name))
            .collect();
        drop(r);
        let (record, _) = quire_marc::iso2709::parse_record(&row.marc).map_err(|e| {
            Error::new(
                ErrorCode::Internal,
                format!("stored record {id} is not readable: {e}"),
            )
        })?;
        let s = quire_marc::bib::summarize(&record);
        let items: Vec<ItemView> = items
            .into_iter()
            .map(|i| {
                let (code, name) = branches.get(&i.branch_id).cloned().unwrap_or_default();
                ItemView {
                    barcode: i.barcode,
                    branch_code: code,
                    branch: name,
                    location: i.location_id.and_then(|l| locations.get(&l).cloned()),
                    call_number: i.call_number,
                    item_type: i.item_type,
                    status: i.status,
                    copy_number: i.copy_number,
                }
            })
            .collect();
        Ok(RecordView {
            id,
            control_number: row.control_number,
            title: row.title,
            responsibility: s.responsibility,
            authors: s.authors.into_iter().map(|a| (a.name, a.roles)).collect(),
            subjects: s.subjects.into_iter().map(|x| x.heading).collect(),
            series: s.series.into_iter().map(|x| x.title).collect(),
            edition: s.edition,
            publisher: s.publisher,
            place: s.place,
            date: s.date,
            year: row.year,
            physical_description: s.physical_description,
            languages: s.languages,
            format: row.format,
            isbns: s
                .isbns
                .iter()
                .filter(|i| !i.cancelled)
                .map(|i| match Isbn::parse(&i.value) {
                    Ok(v) => v.hyphenated().unwrap_or_else(|| v.as_str().to_owned()),
                    Err(_) => i.value.clone(),
                })
                .collect(),
            issns: s.issns.into_iter().map(|i| i.value).collect(),
            lccn: s.lccn,
            notes: s.notes,
            contents: s.contents,
            summary: s.summary,
            links: s.links.into_iter().map(|l| (l.url, l.text)).collect(),
            available: items
                .iter()
                .filter(|i| crate::search::AVAILABLE_STATUSES.contains(&i.status.as_str()))
                .count(),
            items,
            suppressed: row.suppressed,
            marc_text: staff.then(|| quire_marc::text::to_string(&record)),
        })
    }
}

impl Library {
    /// One import job with its quarantined records (staff job page).
    pub async fn import_job(
        &self,
        ctx: &Ctx,
        id: i64,
    ) -> Result<(
        quire_store::catalog::ImportJobRow,
        Vec<quire_store::catalog::QuarantineRow>,
    )> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut r = self.store().read().await?;
        let job = r
            .import_job(id)
            .await?
            .ok_or_else(|| Error::not_found("import job"))?;
        let q = r.quarantine_of_job(id).await?;
        Ok((job, q))
    }

    /// One quarantined record, with a best-effort text rendering of its bytes.
    pub async fn quarantine_entry(
        &self,
        ctx: &Ctx,
        id: i64,
    ) -> Result<(quire_store::catalog::QuarantineRow, String)> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut r = self.store().read().await?;
        let e = r
            .quarantine_entry(id)
            .await?
            .ok_or_else(|| Error::not_found("quarantined record"))?;
        let text = match quire_marc::iso2709::parse_record(&e.raw) {
            Ok((rec, warnings)) => {
                let mut t = quire_marc::text::to_string(&rec);
                for w in warnings {
                    t.push_str(&format!("\n# {}", w.message));
                }
                t
            }
            Err(_) => String::from_utf8_lossy(&e.raw)
                .replace('\u{1e}', "¶\n")
                .replace('\u{1f}', "$")
                .replace('\u{1d}', "⊣"),
        };
        Ok((e, text))
    }

    /// Discards a quarantined record (kept, marked resolved, audited).
    pub async fn discard_quarantined(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::ImportRecords)?;
        let mut w = self.store().begin().await?;
        if !w.resolve_quarantine(id, "discarded", self.now()).await? {
            return Err(Error::new(ErrorCode::Conflict, "already resolved"));
        }
        crate::audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "discard",
            "quarantine",
            id,
            None,
            Some(&"discarded"),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Tries a quarantined record again (after the reader improved, or for a
    /// record that lacked only its title); on success it joins the catalog.
    pub async fn retry_quarantined(&self, ctx: &Ctx, id: i64) -> Result<Option<i64>> {
        ctx.actor.require(Permission::ImportRecords)?;
        let (e, _) = self.quarantine_entry(ctx, id).await?;
        if e.resolved_at.is_some() {
            return Err(Error::new(ErrorCode::Conflict, "already resolved"));
        }
        let Ok((record, _)) = quire_marc::iso2709::parse_record(&e.raw) else {
            return Ok(None);
        };
        if record.first("245").is_none() {
            return Ok(None);
        }
        let mut w = self.store().begin().await?;
        let mut counts = JobCounts::default();
        let mut problems = Vec::new();
        let branch_rows = w.branches().await?;
        let branch_schemes = branch_schemes(&branch_rows);
        let branches: HashMap<String, i64> =
            branch_rows.into_iter().map(|b| (b.code, b.id)).collect();
        let locations = HashMap::new();
        let holdings = self.holdings_mapping().await?;
        let default_scheme = crate::scheme_settings::default_scheme(w.as_mut()).await?;
        let env = ItemEnv {
            branches: &branches,
            locations: &locations,
            default_branch: branches.values().min().copied(),
            holdings: &holdings,
            default_scheme,
            branch_schemes,
        };
        let cn = record.control_number().map(str::to_owned);
        self.import_one(
            w.as_mut(),
            record,
            None,
            &ImportOptions::default(),
            &env,
            &mut counts,
            &mut problems,
        )
        .await?;
        w.resolve_quarantine(id, "imported", self.now()).await?;
        crate::audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "import",
            "quarantine",
            id,
            None,
            Some(&cn),
        )
        .await?;
        w.commit().await?;
        let mut r = self.store().read().await?;
        Ok(match cn {
            Some(cn) => r
                .find_records_by_control_number_any(cn.trim())
                .await?
                .first()
                .copied(),
            None => None,
        })
    }
}
