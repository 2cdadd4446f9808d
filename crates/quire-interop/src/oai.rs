//! OAI-PMH 2.0: Identify, ListMetadataFormats, ListSets, ListIdentifiers,
//! ListRecords, GetRecord.
//!
//! * Identifiers are `oai:<repository id>:<record id>` (default
//!   [`REPOSITORY_ID`], set by [`OaiConfig::repository_id`]).
//! * Formats: `oai_dc` (the [`crate::dc`] crosswalk) and `marc21` (MARCXML
//!   of the stored record).
//! * Sets: `branch:<code>` (records with an item at that branch) and
//!   `format:<code>` (the record's material format).
//! * Datestamps: `bib_records.updated_at`, seconds granularity, UTC. Item
//!   changes do not change a record's datestamp.
//! * Deleted (and suppressed) records are kept as tombstones
//!   (`deletedRecord=persistent`): a header with `status="deleted"`.
//! * Resumption tokens carry the whole request plus the last
//!   `(updated_at, id)` delivered, so they are stateless and stable: a
//!   record edited while a harvest runs moves to the end of the list instead
//!   of shifting the pages.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
#[cfg(feature = "service")]
use quire_library::Library;
#[cfg(feature = "service")]
use quire_library::harvest::{HarvestQuery, HarvestedRecord};

use crate::xml::{DECL, elem, esc};

/// The repository identifier inside OAI identifiers (`oai:quire:<id>`).
pub const REPOSITORY_ID: &str = "quire";

/// Default number of records (or headers) per page.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// Repository settings.
#[derive(Debug, Clone)]
pub struct OaiConfig {
    /// Public URL of the `/oai` endpoint.
    pub base_url: String,
    /// Shown in Identify.
    pub repository_name: String,
    /// The repository identifier in OAI identifiers (`oai:<id>:<record>`);
    /// a domain name of the library by convention.
    pub repository_id: String,
    /// Shown in Identify (at least one is required by the protocol).
    pub admin_email: String,
    /// Records per ListRecords/ListIdentifiers page (at least 1).
    pub page_size: usize,
}

impl OaiConfig {
    /// Defaults for a base URL.
    pub fn new(base_url: impl Into<String>) -> Self {
        OaiConfig {
            base_url: base_url.into(),
            repository_name: "Quire library catalog".to_string(),
            repository_id: REPOSITORY_ID.to_string(),
            admin_email: "admin@example.invalid".to_string(),
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// A metadata format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Simple Dublin Core.
    OaiDc,
    /// MARC21-slim.
    Marc21,
}

impl Format {
    /// The metadataPrefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Format::OaiDc => "oai_dc",
            Format::Marc21 => "marc21",
        }
    }
    /// The XML schema URL of the format.
    pub fn schema(self) -> &'static str {
        match self {
            Format::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            Format::Marc21 => "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
        }
    }
    /// The XML namespace of the format.
    pub fn namespace(self) -> &'static str {
        match self {
            Format::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc/",
            Format::Marc21 => "http://www.loc.gov/MARC21/slim",
        }
    }
    /// Parses a metadataPrefix.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "oai_dc" => Some(Format::OaiDc),
            "marc21" => Some(Format::Marc21),
            _ => None,
        }
    }
}

/// A set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Set {
    /// `branch:<code>`
    Branch(String),
    /// `format:<code>`
    Format(String),
}

impl Set {
    /// Parses a setSpec; `None` for specs Quire never has.
    pub fn parse(s: &str) -> Option<Set> {
        match s.split_once(':') {
            Some(("branch", c)) if !c.is_empty() => Some(Set::Branch(c.to_string())),
            Some(("format", c)) if !c.is_empty() => Some(Set::Format(c.to_string())),
            _ => None,
        }
    }
    /// The setSpec.
    pub fn spec(&self) -> String {
        match self {
            Set::Branch(c) => format!("branch:{c}"),
            Set::Format(c) => format!("format:{c}"),
        }
    }
}

/// An OAI-PMH error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    /// The error code (`badArgument`, `badVerb`, ...).
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl OaiError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        OaiError {
            code,
            message: message.into(),
        }
    }
    fn bad_argument(message: impl Into<String>) -> Self {
        OaiError::new("badArgument", message)
    }
}

/// The selective-harvesting part of a list request (also what a
/// resumption token carries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListArgs {
    /// Format.
    pub format: Format,
    /// Set, if any (`None` also when the set is unknown: see `unknown_set`).
    pub set: Option<Set>,
    /// The set argument named a set Quire never has.
    pub unknown_set: bool,
    /// Inclusive lower bound.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound (the inclusive `until` + its granularity).
    pub until_before: Option<DateTime<Utc>>,
    /// Last record delivered `(updated_at, id)`.
    pub after: Option<(DateTime<Utc>, i64)>,
    /// Records delivered before this page.
    pub cursor: u64,
}

/// A validated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaiRequest {
    /// Identify.
    Identify,
    /// ListMetadataFormats (optionally for one record).
    ListMetadataFormats(Option<String>),
    /// ListSets.
    ListSets,
    /// ListIdentifiers (`true`) or ListRecords (`false`).
    List {
        /// Headers only.
        headers_only: bool,
        /// Selection and position.
        args: ListArgs,
    },
    /// GetRecord.
    GetRecord {
        /// OAI identifier.
        identifier: String,
        /// Format.
        format: Format,
    },
}

/// Parses a datestamp argument: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`.
/// Returns the instant and the granularity step (1 day or 1 second).
pub fn parse_datestamp(s: &str) -> Option<(DateTime<Utc>, chrono::Duration)> {
    if s.len() == 10 {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        let t = d.and_hms_opt(0, 0, 0)?;
        return Some((t.and_utc(), chrono::Duration::days(1)));
    }
    if s.len() == 20 {
        let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").ok()?;
        return Some((t.and_utc(), chrono::Duration::seconds(1)));
    }
    None
}

/// Formats a datestamp with seconds granularity.
pub fn datestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The OAI identifier of a record.
pub fn identifier(repository_id: &str, id: i64) -> String {
    format!("oai:{repository_id}:{id}")
}

/// The record id in an OAI identifier.
pub fn parse_identifier(repository_id: &str, s: &str) -> Option<i64> {
    let id = s
        .strip_prefix("oai:")?
        .strip_prefix(repository_id)?
        .strip_prefix(':')?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok().filter(|n| *n > 0)
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) || s.len() > 2048 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect();
    String::from_utf8(bytes?).ok()
}

fn ts(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Nanos, true))
        .unwrap_or_default()
}

fn parse_ts(s: &str) -> Option<Option<DateTime<Utc>>> {
    if s.is_empty() {
        return Some(None);
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| Some(t.with_timezone(&Utc)))
}

impl ListArgs {
    /// The resumption token continuing after `(updated_at, id)`.
    pub fn token(&self, after: (DateTime<Utc>, i64), cursor: u64) -> String {
        let raw = format!(
            "1|{}|{}|{}|{}|{}|{}|{}",
            self.format.prefix(),
            ts(self.from),
            ts(self.until_before),
            ts(Some(after.0)),
            after.1,
            cursor,
            self.set.as_ref().map(Set::spec).unwrap_or_default(),
        );
        hex(&raw)
    }

    /// Decodes a resumption token; `None` when it is not one of ours.
    pub fn from_token(token: &str) -> Option<ListArgs> {
        let raw = unhex(token)?;
        // The set comes last: it is the only field that may contain `|`.
        let parts: Vec<&str> = raw.splitn(8, '|').collect();
        let [v, prefix, from, until, after_t, after_id, cursor, set] = parts.as_slice() else {
            return None;
        };
        if *v != "1" {
            return None;
        }
        let set = if set.is_empty() {
            None
        } else {
            Some(Set::parse(set)?)
        };
        Some(ListArgs {
            format: Format::parse(prefix)?,
            set,
            unknown_set: false,
            from: parse_ts(from)?,
            until_before: parse_ts(until)?,
            after: Some((parse_ts(after_t)??, after_id.parse().ok()?)),
            cursor: cursor.parse().ok()?,
        })
    }
}

fn allowed(verb: &str) -> Option<&'static [&'static str]> {
    Some(match verb {
        "Identify" => &[],
        "ListMetadataFormats" => &["identifier"],
        "ListSets" => &["resumptionToken"],
        "ListIdentifiers" | "ListRecords" => {
            &["metadataPrefix", "from", "until", "set", "resumptionToken"]
        }
        "GetRecord" => &["identifier", "metadataPrefix"],
        _ => return None,
    })
}

/// Validates the parameters of a request (protocol rules only).
pub fn parse_request(params: &[(String, String)]) -> Result<OaiRequest, Vec<OaiError>> {
    let verbs: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k == "verb")
        .map(|(_, v)| v.as_str())
        .collect();
    let verb = match verbs.as_slice() {
        [v] => *v,
        [] => {
            return Err(vec![OaiError::new(
                "badVerb",
                "the verb argument is missing",
            )]);
        }
        _ => {
            return Err(vec![OaiError::new(
                "badVerb",
                "the verb argument is repeated",
            )]);
        }
    };
    let Some(allowed) = allowed(verb) else {
        return Err(vec![OaiError::new(
            "badVerb",
            format!("{verb:?} is not an OAI-PMH verb"),
        )]);
    };
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in params.iter().filter(|(k, _)| k != "verb") {
        if !allowed.contains(&k.as_str()) {
            errors.push(OaiError::bad_argument(format!(
                "{k:?} is not an argument of {verb}"
            )));
        } else if seen.contains(&k.as_str()) {
            errors.push(OaiError::bad_argument(format!("{k:?} is repeated")));
        } else {
            seen.push(k);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    match verb {
        "Identify" => Ok(OaiRequest::Identify),
        "ListMetadataFormats" => Ok(OaiRequest::ListMetadataFormats(
            get("identifier").map(str::to_string),
        )),
        "ListSets" => match get("resumptionToken") {
            Some(_) => Err(vec![OaiError::new(
                "badResumptionToken",
                "ListSets is never split into pages",
            )]),
            None => Ok(OaiRequest::ListSets),
        },
        "GetRecord" => {
            let (Some(id), Some(prefix)) = (get("identifier"), get("metadataPrefix")) else {
                return Err(vec![OaiError::bad_argument(
                    "GetRecord needs identifier and metadataPrefix",
                )]);
            };
            let format = Format::parse(prefix).ok_or_else(|| {
                vec![OaiError::new(
                    "cannotDisseminateFormat",
                    format!("{prefix:?} is not a metadata format of this repository"),
                )]
            })?;
            Ok(OaiRequest::GetRecord {
                identifier: id.to_string(),
                format,
            })
        }
        _ => {
            let headers_only = verb == "ListIdentifiers";
            if let Some(tok) = get("resumptionToken") {
                if seen.len() > 1 {
                    return Err(vec![OaiError::bad_argument(
                        "resumptionToken is an exclusive argument",
                    )]);
                }
                let args = ListArgs::from_token(tok).ok_or_else(|| {
                    vec![OaiError::new(
                        "badResumptionToken",
                        "the resumption token is invalid",
                    )]
                })?;
                return Ok(OaiRequest::List { headers_only, args });
            }
            let Some(prefix) = get("metadataPrefix") else {
                return Err(vec![OaiError::bad_argument("metadataPrefix is required")]);
            };
            let from = match get("from") {
                Some(s) => Some(parse_datestamp(s).ok_or_else(|| {
                    vec![OaiError::bad_argument(format!(
                        "from: {s:?} is not a datestamp"
                    ))]
                })?),
                None => None,
            };
            let until = match get("until") {
                Some(s) => Some(parse_datestamp(s).ok_or_else(|| {
                    vec![OaiError::bad_argument(format!(
                        "until: {s:?} is not a datestamp"
                    ))]
                })?),
                None => None,
            };
            if let (Some((_, g1)), Some((_, g2))) = (from, until)
                && g1 != g2
            {
                return Err(vec![OaiError::bad_argument(
                    "from and until have different granularities",
                )]);
            }
            let format = Format::parse(prefix).ok_or_else(|| {
                vec![OaiError::new(
                    "cannotDisseminateFormat",
                    format!("{prefix:?} is not a metadata format of this repository"),
                )]
            })?;
            let (set, unknown_set) = match get("set") {
                None => (None, false),
                Some(s) => match Set::parse(s) {
                    Some(x) => (Some(x), false),
                    None => (None, true),
                },
            };
            Ok(OaiRequest::List {
                headers_only,
                args: ListArgs {
                    format,
                    set,
                    unknown_set,
                    from: from.map(|(t, _)| t),
                    until_before: until.map(|(t, g)| t + g),
                    after: None,
                    cursor: 0,
                },
            })
        }
    }
}

fn envelope_open(
    out: &mut String,
    now: DateTime<Utc>,
    base_url: &str,
    request_attrs: &[(String, String)],
) {
    out.push_str(DECL);
    out.push_str(
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">",
    );
    elem(out, "responseDate", &datestamp(now));
    out.push_str("<request");
    for (k, v) in request_attrs {
        out.push_str(&format!(" {}=\"{}\"", esc(k), esc(v)));
    }
    out.push('>');
    out.push_str(&esc(base_url));
    out.push_str("</request>");
}

/// An error response. `params` are echoed in `<request>` unless an error
/// is badVerb or badArgument.
pub fn error_response(
    now: DateTime<Utc>,
    base_url: &str,
    params: &[(String, String)],
    errors: &[OaiError],
) -> String {
    let echo = !errors
        .iter()
        .any(|e| e.code == "badVerb" || e.code == "badArgument");
    let mut out = String::new();
    envelope_open(&mut out, now, base_url, if echo { params } else { &[] });
    for e in errors {
        out.push_str(&format!("<error code=\"{}\">", e.code));
        out.push_str(&esc(&e.message));
        out.push_str("</error>");
    }
    out.push_str("</OAI-PMH>");
    out
}

/// An OAI-PMH answer: HTTP status (200 for every protocol answer,
/// including OAI errors) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiResponse {
    /// HTTP status: 200, or the error table's status when the repository
    /// itself failed (OAI-PMH has no error code for that).
    pub status: u16,
    /// The XML document (or a plain-text reason for a non-200 status).
    pub body: String,
}

/// Why an answer could not be given.
#[cfg(feature = "service")]
enum Failure {
    /// A protocol error (HTTP 200 with `<error>`).
    Oai(OaiError),
    /// The service failed.
    Service(quire_library::Error),
}

#[cfg(feature = "service")]
impl From<OaiError> for Failure {
    fn from(e: OaiError) -> Self {
        Failure::Oai(e)
    }
}

#[cfg(feature = "service")]
fn internal(e: quire_library::Error) -> Failure {
    Failure::Service(e)
}

#[cfg(feature = "service")]
/// Answers one OAI-PMH request.
pub async fn oai_response(
    lib: &Library,
    params: &[(String, String)],
    cfg: &OaiConfig,
) -> OaiResponse {
    let now = lib.now();
    let ok = |body| OaiResponse { status: 200, body };
    let req = match parse_request(params) {
        Ok(r) => r,
        Err(errs) => return ok(error_response(now, &cfg.base_url, params, &errs)),
    };
    match answer(lib, &req, cfg).await {
        Ok(body) => {
            let mut out = String::new();
            envelope_open(&mut out, now, &cfg.base_url, params);
            out.push_str(&body);
            out.push_str("</OAI-PMH>");
            ok(out)
        }
        Err(Failure::Oai(e)) => ok(error_response(now, &cfg.base_url, params, &[e])),
        Err(Failure::Service(e)) => {
            let spec = e.code.spec();
            match spec.oai_error {
                Some(code) => ok(error_response(
                    now,
                    &cfg.base_url,
                    params,
                    &[OaiError::new(code, spec.name)],
                )),
                None => OaiResponse {
                    status: spec.http_status,
                    body: format!("{}\n", spec.name),
                },
            }
        }
    }
}

#[cfg(feature = "service")]
async fn answer(lib: &Library, req: &OaiRequest, cfg: &OaiConfig) -> Result<String, Failure> {
    let mut out = String::new();
    match req {
        OaiRequest::Identify => {
            let earliest = lib
                .earliest_change()
                .await
                .map_err(internal)?
                .unwrap_or_else(|| lib.now());
            out.push_str("<Identify>");
            elem(&mut out, "repositoryName", &cfg.repository_name);
            elem(&mut out, "baseURL", &cfg.base_url);
            elem(&mut out, "protocolVersion", "2.0");
            elem(&mut out, "adminEmail", &cfg.admin_email);
            elem(&mut out, "earliestDatestamp", &datestamp(earliest));
            elem(&mut out, "deletedRecord", "persistent");
            elem(&mut out, "granularity", "YYYY-MM-DDThh:mm:ssZ");
            out.push_str("<description><oai-identifier xmlns=\"http://www.openarchives.org/OAI/2.0/oai-identifier\" \
                xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd\">");
            elem(&mut out, "scheme", "oai");
            elem(&mut out, "repositoryIdentifier", &cfg.repository_id);
            elem(&mut out, "delimiter", ":");
            elem(
                &mut out,
                "sampleIdentifier",
                &identifier(&cfg.repository_id, 1),
            );
            out.push_str("</oai-identifier></description>");
            out.push_str("</Identify>");
        }
        OaiRequest::ListMetadataFormats(id) => {
            if let Some(id) = id {
                let found = match parse_identifier(&cfg.repository_id, id) {
                    Some(n) => lib.harvest_record(n).await.map_err(internal)?.is_some(),
                    None => false,
                };
                if !found {
                    return Err(OaiError::new(
                        "idDoesNotExist",
                        format!("{id:?} is not an identifier of this repository"),
                    )
                    .into());
                }
            }
            out.push_str("<ListMetadataFormats>");
            for f in [Format::OaiDc, Format::Marc21] {
                out.push_str("<metadataFormat>");
                elem(&mut out, "metadataPrefix", f.prefix());
                elem(&mut out, "schema", f.schema());
                elem(&mut out, "metadataNamespace", f.namespace());
                out.push_str("</metadataFormat>");
            }
            out.push_str("</ListMetadataFormats>");
        }
        OaiRequest::ListSets => {
            let (branches, formats) = lib.harvest_sets().await.map_err(internal)?;
            if branches.is_empty() && formats.is_empty() {
                // An empty ListSets element is not allowed.
                return Err(
                    OaiError::new("noSetHierarchy", "this repository has no sets yet").into(),
                );
            }
            out.push_str("<ListSets>");
            for (code, name) in branches {
                out.push_str("<set>");
                elem(&mut out, "setSpec", &Set::Branch(code).spec());
                elem(&mut out, "setName", &format!("Branch: {name}"));
                out.push_str("</set>");
            }
            for f in formats {
                out.push_str("<set>");
                elem(&mut out, "setSpec", &Set::Format(f.clone()).spec());
                elem(&mut out, "setName", &format!("Format: {f}"));
                out.push_str("</set>");
            }
            out.push_str("</ListSets>");
        }
        OaiRequest::GetRecord {
            identifier: id,
            format,
        } => {
            let rec = match parse_identifier(&cfg.repository_id, id) {
                Some(n) => lib.harvest_record(n).await.map_err(internal)?,
                None => None,
            };
            let rec = rec.ok_or_else(|| {
                OaiError::new(
                    "idDoesNotExist",
                    format!("{id:?} is not an identifier of this repository"),
                )
            })?;
            out.push_str("<GetRecord>");
            write_record(&mut out, &cfg.repository_id, &item(&rec), *format, false);
            out.push_str("</GetRecord>");
        }
        OaiRequest::List { headers_only, args } => {
            if args.unknown_set {
                return Err(
                    OaiError::new("noRecordsMatch", "this repository has no such set").into(),
                );
            }
            let page = cfg.page_size.max(1);
            let (branch, format) = match &args.set {
                Some(Set::Branch(b)) => (Some(b.as_str()), None),
                Some(Set::Format(f)) => (None, Some(f.as_str())),
                None => (None, None),
            };
            let q = HarvestQuery {
                after: args.after.unwrap_or((DateTime::<Utc>::UNIX_EPOCH, 0)),
                from: args.from,
                until_before: args.until_before,
                format,
                branch,
                limit: i64::try_from(page + 1).unwrap_or(i64::MAX),
            };
            let mut recs = lib.harvest(&q).await.map_err(internal)?;
            if recs.is_empty() {
                return Err(
                    OaiError::new("noRecordsMatch", "no records match the arguments").into(),
                );
            }
            let more = recs.len() > page;
            recs.truncate(page);
            let verb = if *headers_only {
                "ListIdentifiers"
            } else {
                "ListRecords"
            };
            out.push_str(&format!("<{verb}>"));
            for r in &recs {
                write_record(
                    &mut out,
                    &cfg.repository_id,
                    &item(r),
                    args.format,
                    *headers_only,
                );
            }
            if more || args.cursor > 0 {
                let total = lib
                    .harvest_count(&HarvestQuery {
                        after: (DateTime::<Utc>::UNIX_EPOCH, 0),
                        limit: 0,
                        ..q
                    })
                    .await
                    .map_err(internal)?;
                out.push_str(&format!(
                    "<resumptionToken completeListSize=\"{total}\" cursor=\"{}\">",
                    args.cursor
                ));
                if more && let Some(last) = recs.last() {
                    out.push_str(&args.token(
                        (last.row.updated_at, last.row.id),
                        args.cursor + recs.len() as u64,
                    ));
                }
                out.push_str("</resumptionToken>");
            }
            out.push_str(&format!("</{verb}>"));
        }
    }
    Ok(out)
}

/// What a header and record need of a harvested record.
#[derive(Debug, Clone, Copy)]
pub struct HarvestItem<'a> {
    /// Record id.
    pub id: i64,
    /// Last change (the datestamp).
    pub updated_at: DateTime<Utc>,
    /// Deleted or suppressed.
    pub deleted: bool,
    /// Format code (`format:` set).
    pub format: &'a str,
    /// Branch codes (`branch:` sets).
    pub branches: &'a [String],
    /// The stored ISO 2709 record.
    pub marc: &'a [u8],
}

#[cfg(feature = "service")]
fn item(r: &HarvestedRecord) -> HarvestItem<'_> {
    HarvestItem {
        id: r.row.id,
        updated_at: r.row.updated_at,
        deleted: r.deleted,
        format: &r.row.format,
        branches: &r.branches,
        marc: &r.row.marc,
    }
}

/// Appends a `<header>` (and, unless `headers_only` or deleted, a
/// `<record>` with metadata).
pub fn write_record(
    out: &mut String,
    repository_id: &str,
    rec: &HarvestItem<'_>,
    format: Format,
    headers_only: bool,
) {
    if !headers_only {
        out.push_str("<record>");
    }
    if rec.deleted {
        out.push_str("<header status=\"deleted\">");
    } else {
        out.push_str("<header>");
    }
    elem(out, "identifier", &identifier(repository_id, rec.id));
    elem(out, "datestamp", &datestamp(rec.updated_at));
    elem(out, "setSpec", &Set::Format(rec.format.to_string()).spec());
    for b in rec.branches {
        elem(out, "setSpec", &Set::Branch(b.clone()).spec());
    }
    out.push_str("</header>");
    if !headers_only {
        if !rec.deleted
            && let Some(m) = metadata(rec.marc, format)
        {
            out.push_str("<metadata>");
            out.push_str(&m);
            out.push_str("</metadata>");
        }
        out.push_str("</record>");
    }
}

/// The metadata element content of a stored record in a format.
pub fn metadata(marc: &[u8], format: Format) -> Option<String> {
    let (rec, _) = quire_marc::iso2709::parse_record(marc).ok()?;
    Some(match format {
        Format::OaiDc => crate::dc::oai_dc(&rec),
        Format::Marc21 => {
            let mut s = String::new();
            quire_marc::xml::write_record_into(&mut s, &rec, true);
            s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ps(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn code(p: &[(&str, &str)]) -> &'static str {
        parse_request(&ps(p)).unwrap_err()[0].code
    }

    #[test]
    fn request_errors() {
        assert_eq!(code(&[]), "badVerb");
        assert_eq!(code(&[("verb", "Dance")]), "badVerb");
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            "badVerb"
        );
        assert_eq!(code(&[("verb", "Identify"), ("x", "1")]), "badArgument");
        assert_eq!(code(&[("verb", "ListRecords")]), "badArgument");
        assert_eq!(
            code(&[("verb", "ListRecords"), ("metadataPrefix", "mods")]),
            "cannotDisseminateFormat"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2020-01-01"),
                ("until", "2020-01-01T00:00:00Z")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2020")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[("verb", "ListRecords"), ("resumptionToken", "zz")]),
            "badResumptionToken"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("resumptionToken", "00"),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[("verb", "GetRecord"), ("identifier", "x")]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "oai_dc"),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
    }

    #[test]
    fn until_is_inclusive_per_granularity() {
        let r = parse_request(&ps(&[
            ("verb", "ListIdentifiers"),
            ("metadataPrefix", "marc21"),
            ("from", "2020-01-01"),
            ("until", "2020-01-02"),
            ("set", "branch:MAIN"),
        ]))
        .unwrap();
        let OaiRequest::List { headers_only, args } = r else {
            panic!("not a list")
        };
        assert!(headers_only);
        assert_eq!(datestamp(args.from.unwrap()), "2020-01-01T00:00:00Z");
        assert_eq!(
            datestamp(args.until_before.unwrap()),
            "2020-01-03T00:00:00Z"
        );
        assert_eq!(args.set, Some(Set::Branch("MAIN".into())));
        let (t, g) = parse_datestamp("2020-01-01T10:11:12Z").unwrap();
        assert_eq!(g, chrono::Duration::seconds(1));
        assert_eq!(datestamp(t), "2020-01-01T10:11:12Z");
    }

    #[test]
    fn identifiers() {
        assert_eq!(
            parse_identifier("quire", &identifier("quire", 42)),
            Some(42)
        );
        assert_eq!(
            parse_identifier("lib.example.org", &identifier("lib.example.org", 7)),
            Some(7)
        );
        assert_eq!(parse_identifier("quire", "oai:quire:"), None);
        assert_eq!(parse_identifier("quire", "oai:other:4"), None);
        assert_eq!(parse_identifier("quire", "oai:quire:-4"), None);
        assert_eq!(parse_identifier("quire", "oai:quire:0"), None);
    }

    #[test]
    fn error_envelope_snapshot() {
        let now = DateTime::parse_from_rfc3339("2026-01-15T10:15:30Z")
            .unwrap()
            .with_timezone(&Utc);
        let x = error_response(
            now,
            "http://localhost/oai",
            &ps(&[("verb", "GetRecord")]),
            &[OaiError::new("idDoesNotExist", "\"x\" <unknown>")],
        );
        insta::assert_snapshot!(x);
    }

    #[test]
    fn headers_of_live_and_deleted_records() {
        let t = DateTime::parse_from_rfc3339("2026-01-15T10:15:30.75Z")
            .unwrap()
            .with_timezone(&Utc);
        let branches = vec!["MAIN".to_string(), "NORTH".to_string()];
        let marc = b"00000nam a2200000 a 4500".to_vec();
        let mut rec = HarvestItem {
            id: 7,
            updated_at: t,
            deleted: true,
            format: "book",
            branches: &branches,
            marc: &marc,
        };
        let mut out = String::new();
        write_record(&mut out, "quire", &rec, Format::OaiDc, false);
        insta::assert_snapshot!("deleted_record", out);
        assert!(!out.contains("<metadata>"));
        rec.deleted = false;
        let mut out = String::new();
        write_record(&mut out, "quire", &rec, Format::Marc21, true);
        assert!(out.starts_with("<header><identifier>oai:quire:7</identifier>"));
        assert!(out.contains("<datestamp>2026-01-15T10:15:30Z</datestamp>"));
        assert!(out.contains("<setSpec>branch:NORTH</setSpec>"));
        assert!(!out.contains("<record>"));
    }

    fn arb_args() -> impl Strategy<Value = ListArgs> {
        (
            any::<bool>(),
            proptest::option::of("[A-Za-z0-9|~:_-]{1,12}"),
            proptest::option::of(0i64..4_000_000_000),
            proptest::option::of(0i64..4_000_000_000),
            0i64..4_000_000_000,
            0u32..1_000_000_000,
            any::<i64>(),
            any::<u64>(),
        )
            .prop_map(|(dc, set, from, until, after_s, nanos, id, cursor)| {
                let t = |s: i64| DateTime::<Utc>::from_timestamp(s, 0).unwrap();
                ListArgs {
                    format: if dc { Format::OaiDc } else { Format::Marc21 },
                    set: set.map(Set::Branch),
                    unknown_set: false,
                    from: from.map(t),
                    until_before: until.map(t),
                    after: Some((DateTime::<Utc>::from_timestamp(after_s, nanos).unwrap(), id)),
                    cursor,
                }
            })
    }

    proptest! {
        #[test]
        fn token_round_trip(args in arb_args()) {
            let Some(after) = args.after else { unreachable!() };
            let tok = args.token(after, args.cursor);
            prop_assert!(tok.bytes().all(|b| b.is_ascii_hexdigit()));
            prop_assert_eq!(ListArgs::from_token(&tok), Some(args));
        }

        #[test]
        fn token_parser_never_panics(s in ".{0,300}") {
            let _ = ListArgs::from_token(&s);
            let _ = ListArgs::from_token(&hex(&s));
        }

        #[test]
        fn request_parser_never_panics(pairs in proptest::collection::vec((".{0,20}", ".{0,40}"), 0..6)) {
            let _ = parse_request(&pairs);
        }
    }
}
