//! SRU 1.2 and 2.0: `explain`, `searchRetrieve`, `scan`.
//!
//! [`sru_response`] answers one request given its parameters; the pure
//! parts ([`SruRequest::parse`], the XML writers) are separate so they can
//! be tested without a library. Fatal problems become a diagnostic in the
//! response (HTTP status stays 200, as SRU 1.2 clients expect).

use quire_cql::{Diagnostic, Node};
#[cfg(feature = "service")]
use quire_library::Library;
use quire_search::{BrowseEntry, BrowseField};

use crate::cql_map::INDEXES;
use crate::xml::{DECL, elem, esc};

/// SRU protocol version of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// SRU 1.2 (`http://www.loc.gov/zing/srw/`; 1.1 requests are answered as 1.2).
    V1_2,
    /// SRU 2.0 (OASIS searchRetrieve).
    V2_0,
}

impl Version {
    fn as_str(self) -> &'static str {
        match self {
            Version::V1_2 => "1.2",
            Version::V2_0 => "2.0",
        }
    }
    fn ns(self, op: Operation) -> &'static str {
        match (self, op) {
            (Version::V1_2, _) => "http://www.loc.gov/zing/srw/",
            (Version::V2_0, Operation::Scan) => "http://docs.oasis-open.org/ns/search-ws/scan",
            (Version::V2_0, _) => "http://docs.oasis-open.org/ns/search-ws/sruResponse",
        }
    }
    fn diag_ns(self) -> &'static str {
        match self {
            Version::V1_2 => "http://www.loc.gov/zing/srw/diagnostic/",
            Version::V2_0 => "http://docs.oasis-open.org/ns/search-ws/diagnostic",
        }
    }
    /// Element prefix used in responses.
    fn prefix(self, op: Operation) -> &'static str {
        match (self, op) {
            (Version::V1_2, _) => "zs",
            (Version::V2_0, Operation::Scan) => "scan",
            (Version::V2_0, _) => "sru",
        }
    }
}

/// SRU operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// ZeeRex description of the server.
    Explain,
    /// Search and retrieve records.
    SearchRetrieve,
    /// Browse an index.
    Scan,
}

impl Operation {
    fn root(self) -> &'static str {
        match self {
            Operation::Explain => "explainResponse",
            Operation::SearchRetrieve => "searchRetrieveResponse",
            Operation::Scan => "scanResponse",
        }
    }
}

/// A record schema Quire can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// MARC21-slim (`info:srw/schema/1/marcxml-v1.1`).
    MarcXml,
    /// Simple Dublin Core (`info:srw/schema/1/dc-v1.1`).
    Dc,
}

impl Schema {
    /// The schema URI.
    pub fn uri(self) -> &'static str {
        match self {
            Schema::MarcXml => "info:srw/schema/1/marcxml-v1.1",
            Schema::Dc => "info:srw/schema/1/dc-v1.1",
        }
    }
    /// Parses a short name or URI (case-insensitive short names).
    pub fn parse(s: &str) -> Option<Schema> {
        match s.to_ascii_lowercase().as_str() {
            "marcxml"
            | "marc21"
            | "marc"
            | "info:srw/schema/1/marcxml-v1.1"
            | "http://www.loc.gov/marc21/slim" => Some(Schema::MarcXml),
            "dc" | "info:srw/schema/1/dc-v1.1" | "info:srw/schema/1/dc-schema" => Some(Schema::Dc),
            _ => None,
        }
    }
}

/// Default page size for searchRetrieve.
pub const DEFAULT_MAXIMUM_RECORDS: usize = 10;
/// Largest page size served (larger requests are clamped).
pub const MAX_MAXIMUM_RECORDS: usize = 100;
/// Default and largest number of scan terms.
pub const DEFAULT_MAXIMUM_TERMS: usize = 20;
/// Largest number of scan terms served.
pub const MAX_MAXIMUM_TERMS: usize = 200;

/// A validated SRU request.
#[derive(Debug, Clone, PartialEq)]
pub struct SruRequest {
    /// Response version.
    pub version: Version,
    /// Operation.
    pub operation: Operation,
    /// CQL query (searchRetrieve) or scan clause (scan).
    pub query: String,
    /// 1-based first record (searchRetrieve) — or responsePosition (scan).
    pub start: usize,
    /// maximumRecords (searchRetrieve) or maximumTerms (scan).
    pub maximum: usize,
    /// Record schema.
    pub schema: Schema,
    /// Records embedded as escaped text (1.2 `recordPacking=string`, 2.0
    /// `recordXMLEscaping=string`).
    pub escape_records: bool,
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn number(params: &[(String, String)], name: &str, default: usize) -> Result<usize, Diagnostic> {
    match param(params, name) {
        None | Some("") => Ok(default),
        Some(v) => v.trim().parse::<usize>().map_err(|_| {
            Diagnostic::new(
                6,
                Some(format!("{name}: {v:?} is not a non-negative integer")),
            )
        }),
    }
}

impl SruRequest {
    /// Reads the request parameters. On error, the version to answer in and
    /// the fatal diagnostic.
    pub fn parse(
        params: &[(String, String)],
    ) -> Result<SruRequest, (Version, Operation, Diagnostic)> {
        let version = match param(params, "version") {
            None => {
                if param(params, "operation").is_some() {
                    Version::V1_2
                } else {
                    Version::V2_0
                }
            }
            Some("1.1" | "1.2") => Version::V1_2,
            Some("2.0") => Version::V2_0,
            Some(v) => {
                return Err((
                    Version::V2_0,
                    Operation::Explain,
                    Diagnostic::new(5, Some(format!("{v} (supported: 1.2, 2.0)"))),
                ));
            }
        };
        let operation = match param(params, "operation") {
            Some("searchRetrieve") => Operation::SearchRetrieve,
            Some("scan") => Operation::Scan,
            Some("explain") => Operation::Explain,
            Some(other) => {
                return Err((
                    version,
                    Operation::Explain,
                    Diagnostic::new(4, Some(other.to_string())),
                ));
            }
            None if param(params, "query").is_some() => Operation::SearchRetrieve,
            None if param(params, "scanClause").is_some() => Operation::Scan,
            None => Operation::Explain,
        };
        let fail = |d: Diagnostic| (version, operation, d);
        let mut req = SruRequest {
            version,
            operation,
            query: String::new(),
            start: 1,
            maximum: DEFAULT_MAXIMUM_RECORDS,
            schema: Schema::MarcXml,
            escape_records: false,
        };
        let escaping = match version {
            Version::V1_2 => param(params, "recordPacking"),
            Version::V2_0 => param(params, "recordXMLEscaping"),
        };
        req.escape_records = match escaping {
            None | Some("xml") => false,
            Some("string") => true,
            Some(other) => return Err(fail(Diagnostic::new(71, Some(other.to_string())))),
        };
        if version == Version::V2_0 {
            match param(params, "recordPacking") {
                None | Some("packed") => {}
                Some(other) => return Err(fail(Diagnostic::new(71, Some(other.to_string())))),
            }
        }
        match operation {
            Operation::Explain => {}
            Operation::SearchRetrieve => {
                if let Some(qt) = param(params, "queryType")
                    && qt != "cql"
                {
                    return Err(fail(Diagnostic::new(6, Some(format!("queryType={qt}")))));
                }
                req.query = param(params, "query")
                    .ok_or_else(|| fail(Diagnostic::new(7, Some("query".to_string()))))?
                    .to_string();
                req.start = number(params, "startRecord", 1).map_err(fail)?;
                if req.start == 0 {
                    return Err(fail(Diagnostic::new(
                        6,
                        Some("startRecord must be 1 or more".to_string()),
                    )));
                }
                req.maximum = number(params, "maximumRecords", DEFAULT_MAXIMUM_RECORDS)
                    .map_err(fail)?
                    .min(MAX_MAXIMUM_RECORDS);
                if let Some(s) = param(params, "recordSchema") {
                    req.schema = Schema::parse(s)
                        .ok_or_else(|| fail(Diagnostic::new(66, Some(s.to_string()))))?;
                }
            }
            Operation::Scan => {
                req.query = param(params, "scanClause")
                    .ok_or_else(|| fail(Diagnostic::new(7, Some("scanClause".to_string()))))?
                    .to_string();
                req.start = number(params, "responsePosition", 1).map_err(fail)?;
                req.maximum = number(params, "maximumTerms", DEFAULT_MAXIMUM_TERMS)
                    .map_err(fail)?
                    .min(MAX_MAXIMUM_TERMS);
            }
        }
        Ok(req)
    }
}

#[cfg(feature = "service")]
/// Answers one SRU request. `base_url` is the server's public `/sru` URL
/// (for explain).
pub async fn sru_response(lib: &Library, params: &[(String, String)], base_url: &str) -> String {
    let req = match SruRequest::parse(params) {
        Ok(r) => r,
        Err((v, op, d)) => return diagnostics_only(v, op, &[d]),
    };
    match req.operation {
        Operation::Explain => explain(req.version, base_url),
        Operation::SearchRetrieve => search_retrieve(lib, &req).await,
        Operation::Scan => scan(lib, &req).await,
    }
}

fn open(out: &mut String, v: Version, op: Operation) {
    let p = v.prefix(op);
    out.push_str(DECL);
    out.push_str(&format!(
        "<{p}:{root} xmlns:{p}=\"{ns}\">",
        root = op.root(),
        ns = v.ns(op)
    ));
    elem(out, &format!("{p}:version"), v.as_str());
}

fn close(out: &mut String, v: Version, op: Operation) {
    out.push_str(&format!("</{}:{}>", v.prefix(op), op.root()));
}

/// Writes `<diagnostics>` with the diagnostics in the version's namespace.
pub fn write_diagnostics(out: &mut String, v: Version, op: Operation, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let p = v.prefix(op);
    out.push_str(&format!("<{p}:diagnostics>"));
    for d in diags {
        write_diagnostic(out, v, d);
    }
    out.push_str(&format!("</{p}:diagnostics>"));
}

fn write_diagnostic(out: &mut String, v: Version, d: &Diagnostic) {
    out.push_str(&format!("<diag:diagnostic xmlns:diag=\"{}\">", v.diag_ns()));
    elem(out, "diag:uri", &d.uri());
    if let Some(det) = &d.details {
        elem(out, "diag:details", det);
    }
    elem(out, "diag:message", d.message());
    out.push_str("</diag:diagnostic>");
}

/// A response carrying only fatal diagnostics.
pub fn diagnostics_only(v: Version, op: Operation, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    open(&mut out, v, op);
    let p = v.prefix(op);
    if op == Operation::SearchRetrieve {
        elem(&mut out, &format!("{p}:numberOfRecords"), "0");
    }
    write_diagnostics(&mut out, v, op, diags);
    close(&mut out, v, op);
    out
}

/// The ZeeRex explain response.
pub fn explain(v: Version, base_url: &str) -> String {
    let op = Operation::Explain;
    let p = v.prefix(op);
    let mut out = String::new();
    open(&mut out, v, op);
    out.push_str(&format!("<{p}:record>"));
    elem(
        &mut out,
        &format!("{p}:recordSchema"),
        "http://explain.z3950.org/dtd/2.0/",
    );
    match v {
        Version::V1_2 => elem(&mut out, &format!("{p}:recordPacking"), "xml"),
        Version::V2_0 => elem(&mut out, &format!("{p}:recordXMLEscaping"), "xml"),
    }
    out.push_str(&format!("<{p}:recordData>"));
    out.push_str(&zeerex(base_url));
    out.push_str(&format!("</{p}:recordData>"));
    out.push_str(&format!("</{p}:record>"));
    close(&mut out, v, op);
    out
}

/// The ZeeRex record describing this server.
pub fn zeerex(base_url: &str) -> String {
    let (host, port, path) = split_url(base_url);
    let mut x = String::from("<explain xmlns=\"http://explain.z3950.org/dtd/2.0/\">");
    x.push_str("<serverInfo protocol=\"SRU\" version=\"1.2 2.0\">");
    elem(&mut x, "host", &host);
    elem(&mut x, "port", &port.to_string());
    elem(&mut x, "database", &path);
    x.push_str("</serverInfo>");
    x.push_str("<databaseInfo><title lang=\"en\" primary=\"true\">Quire library catalog</title>");
    x.push_str("<description lang=\"en\" primary=\"true\">Bibliographic records of this library, searchable with CQL.</description></databaseInfo>");
    x.push_str("<indexInfo>");
    for (prefix, uri) in [
        ("cql", "info:srw/cql-context-set/1/cql-v1.2"),
        ("dc", "info:srw/cql-context-set/1/dc-v1.1"),
        ("bath", "http://zing.z3950.org/cql/bath/2.0/"),
        ("rec", "info:srw/cql-context-set/2/rec-1.1"),
    ] {
        x.push_str(&format!(
            "<set name=\"{}\" identifier=\"{}\"/>",
            esc(prefix),
            esc(uri)
        ));
    }
    for (name, title) in INDEXES {
        let (set, n) = name.split_once('.').unwrap_or(("cql", name));
        let scan = matches!(*name, "dc.title" | "dc.creator" | "dc.subject");
        x.push_str(&format!(
            "<index search=\"true\" scan=\"{scan}\" sort=\"{}\"><title lang=\"en\">{}</title><map><name set=\"{}\">{}</name></map></index>",
            matches!(*name, "dc.title" | "dc.creator" | "dc.date"),
            esc(title),
            esc(set),
            esc(n)
        ));
    }
    x.push_str("</indexInfo>");
    x.push_str("<schemaInfo>");
    x.push_str("<schema identifier=\"info:srw/schema/1/marcxml-v1.1\" name=\"marcxml\" sort=\"false\" retrieve=\"true\"><title lang=\"en\">MARC21-slim (MARCXML)</title></schema>");
    x.push_str("<schema identifier=\"info:srw/schema/1/dc-v1.1\" name=\"dc\" sort=\"false\" retrieve=\"true\"><title lang=\"en\">Simple Dublin Core</title></schema>");
    x.push_str("</schemaInfo>");
    x.push_str("<configInfo>");
    x.push_str(&format!(
        "<default type=\"numberOfRecords\">{DEFAULT_MAXIMUM_RECORDS}</default>"
    ));
    x.push_str("<default type=\"retrieveSchema\">marcxml</default>");
    x.push_str("<default type=\"contextSet\">cql</default>");
    x.push_str("<default type=\"index\">cql.serverChoice</default>");
    x.push_str("<default type=\"relation\">=</default>");
    x.push_str(&format!(
        "<setting type=\"maximumRecords\">{MAX_MAXIMUM_RECORDS}</setting>"
    ));
    x.push_str(&format!(
        "<setting type=\"maximumTerms\">{MAX_MAXIMUM_TERMS}</setting>"
    ));
    x.push_str("</configInfo>");
    x.push_str("</explain>");
    x
}

/// (host, port, path) of an http(s) URL; lenient.
fn split_url(url: &str) -> (String, u16, String) {
    let (https, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.eq_ignore_ascii_case("https"), rest),
        None => (false, url),
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let default = if https { 443 } else { 80 };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            (h.to_string(), p.parse().unwrap_or(default))
        }
        _ => (hostport.to_string(), default),
    };
    (host, port, path.to_string())
}

/// Renders one stored record in a schema; `None` when the stored MARC
/// cannot be parsed (a surrogate diagnostic is sent instead).
pub fn render_record(marc: &[u8], schema: Schema) -> Option<String> {
    let (rec, _) = quire_marc::iso2709::parse_record(marc).ok()?;
    Some(match schema {
        Schema::MarcXml => {
            let mut s = String::new();
            quire_marc::xml::write_record_into(&mut s, &rec, true);
            s
        }
        Schema::Dc => crate::dc::srw_dc(&rec),
    })
}

/// The diagnostic of a service-layer error, from the one error table
/// (details: the code's stable name, never internal text).
#[cfg(feature = "service")]
fn service_diagnostic(e: &quire_library::Error) -> Diagnostic {
    let spec = e.code.spec();
    Diagnostic::new(
        u32::from(spec.sru_diagnostic.unwrap_or(1)),
        Some(spec.name.to_string()),
    )
}

#[cfg(feature = "service")]
async fn search_retrieve(lib: &Library, req: &SruRequest) -> String {
    let v = req.version;
    let op = Operation::SearchRetrieve;
    let mapped = match crate::cql_map::map_cql_text(&req.query) {
        Ok(m) => m,
        Err(d) => return diagnostics_only(v, op, &[d]),
    };
    let mut sr = quire_search::SearchRequest::new(mapped.query);
    sr.sort = mapped.sort;
    sr.offset = req.start - 1;
    sr.limit = req.maximum;
    let page = match lib.search_catalog(sr, false).await {
        Ok(p) => p,
        Err(e) => return diagnostics_only(v, op, &[service_diagnostic(&e)]),
    };
    let ids: Vec<i64> = page.cards.iter().map(|c| c.id).collect();
    let rows = if req.maximum == 0 {
        Vec::new()
    } else {
        match lib.public_records(&ids).await {
            Ok(r) => r,
            Err(e) => {
                return diagnostics_only(v, op, &[service_diagnostic(&e)]);
            }
        }
    };
    let records: Vec<Option<String>> = rows
        .iter()
        .map(|r| render_record(&r.marc, req.schema))
        .collect();
    let mut diags = Vec::new();
    if req.start > 1 && req.start as u64 > page.total {
        diags.push(Diagnostic::new(
            61,
            Some(format!("{} (of {})", req.start, page.total)),
        ));
    }
    search_retrieve_xml(req, page.total, &records, &diags)
}

/// The searchRetrieve response for rendered records (`None` = surrogate
/// diagnostic 67 for that position).
pub fn search_retrieve_xml(
    req: &SruRequest,
    total: u64,
    records: &[Option<String>],
    diags: &[Diagnostic],
) -> String {
    let v = req.version;
    let op = Operation::SearchRetrieve;
    let p = v.prefix(op);
    let mut out = String::new();
    open(&mut out, v, op);
    elem(
        &mut out,
        &format!("{p}:numberOfRecords"),
        &total.to_string(),
    );
    if !records.is_empty() {
        out.push_str(&format!("<{p}:records>"));
        for (i, r) in records.iter().enumerate() {
            out.push_str(&format!("<{p}:record>"));
            let (schema, data) = match r {
                Some(x) => (req.schema.uri(), x.clone()),
                None => {
                    let mut d = String::new();
                    write_diagnostic(
                        &mut d,
                        v,
                        &Diagnostic::new(67, Some(req.schema.uri().to_string())),
                    );
                    ("info:srw/schema/1/diagnostics-v1.1", d)
                }
            };
            elem(&mut out, &format!("{p}:recordSchema"), schema);
            let packing = if req.escape_records { "string" } else { "xml" };
            match v {
                Version::V1_2 => elem(&mut out, &format!("{p}:recordPacking"), packing),
                Version::V2_0 => elem(&mut out, &format!("{p}:recordXMLEscaping"), packing),
            }
            out.push_str(&format!("<{p}:recordData>"));
            if req.escape_records {
                out.push_str(&esc(&data));
            } else {
                out.push_str(&data);
            }
            out.push_str(&format!("</{p}:recordData>"));
            elem(
                &mut out,
                &format!("{p}:recordPosition"),
                &(req.start + i).to_string(),
            );
            out.push_str(&format!("</{p}:record>"));
        }
        out.push_str(&format!("</{p}:records>"));
    }
    let next = req.start + records.len();
    if !records.is_empty() && (next as u64) <= total {
        elem(
            &mut out,
            &format!("{p}:nextRecordPosition"),
            &next.to_string(),
        );
    }
    if v == Version::V1_2 {
        out.push_str(&format!("<{p}:echoedSearchRetrieveRequest>"));
        elem(&mut out, &format!("{p}:version"), "1.2");
        elem(&mut out, &format!("{p}:query"), &req.query);
        elem(
            &mut out,
            &format!("{p}:startRecord"),
            &req.start.to_string(),
        );
        elem(
            &mut out,
            &format!("{p}:maximumRecords"),
            &req.maximum.to_string(),
        );
        elem(&mut out, &format!("{p}:recordSchema"), req.schema.uri());
        out.push_str(&format!("</{p}:echoedSearchRetrieveRequest>"));
    }
    write_diagnostics(&mut out, v, op, diags);
    if v == Version::V2_0 && diags.is_empty() {
        elem(
            &mut out,
            &format!("{p}:resultCountPrecision"),
            "info:srw/vocabulary/resultCountPrecision/1/exact",
        );
    }
    close(&mut out, v, op);
    out
}

/// Parses a scan clause into (browse field, start term).
pub fn scan_target(clause: &str) -> Result<(BrowseField, String), Diagnostic> {
    let q = quire_cql::parse_cql(clause).map_err(|e| e.diagnostic())?;
    let Node::Clause(c) = &q.root else {
        return Err(Diagnostic::new(
            10,
            Some("scanClause must be a single index relation term".to_string()),
        ));
    };
    let set = c
        .index_prefix()
        .and_then(|p| {
            q.prefixes
                .iter()
                .rev()
                .find(|a| {
                    a.prefix
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(p))
                })
                .map(|a| a.uri.as_str())
        })
        .or_else(|| c.index_prefix().and_then(quire_cql::standard_context_set));
    let name = c.index_name().to_ascii_lowercase();
    let field = match (set, name.as_str()) {
        (Some("info:srw/cql-context-set/1/dc-v1.1"), "title") => BrowseField::Title,
        (Some("info:srw/cql-context-set/1/dc-v1.1"), "creator") => BrowseField::Author,
        (Some("info:srw/cql-context-set/1/dc-v1.1"), "subject") => BrowseField::Subject,
        (Some("http://zing.z3950.org/cql/bath/2.0/"), "keytitle") => BrowseField::Title,
        (Some("http://zing.z3950.org/cql/bath/2.0/"), "name") => BrowseField::Author,
        (Some("http://zing.z3950.org/cql/bath/2.0/"), "topicalsubject") => BrowseField::Subject,
        _ => return Err(Diagnostic::unsupported_index(c.index.clone())),
    };
    match &c.relation.comparitor {
        quire_cql::Comparitor::Symbol(quire_cql::Symbol::Eq | quire_cql::Symbol::ExactEq) => {}
        other => return Err(Diagnostic::unsupported_relation(other.as_str().to_string())),
    }
    Ok((field, c.term.value()))
}

#[cfg(feature = "service")]
async fn scan(lib: &Library, req: &SruRequest) -> String {
    let v = req.version;
    let op = Operation::Scan;
    let (field, from) = match scan_target(&req.query) {
        Ok(x) => x,
        Err(d) => return diagnostics_only(v, op, &[d]),
    };
    let before = req.start.saturating_sub(1).min(req.maximum);
    let after = req.maximum - before;
    match lib.browse(field, from, before, after).await {
        Ok(entries) => scan_xml(v, &entries),
        Err(e) => diagnostics_only(v, op, &[service_diagnostic(&e)]),
    }
}

/// The scan response for browse entries.
pub fn scan_xml(v: Version, entries: &[BrowseEntry]) -> String {
    let op = Operation::Scan;
    let p = v.prefix(op);
    let mut out = String::new();
    open(&mut out, v, op);
    out.push_str(&format!("<{p}:terms>"));
    for e in entries {
        out.push_str(&format!("<{p}:term>"));
        elem(&mut out, &format!("{p}:value"), &e.term);
        elem(
            &mut out,
            &format!("{p}:numberOfRecords"),
            &e.count.to_string(),
        );
        elem(&mut out, &format!("{p}:displayTerm"), &e.term);
        out.push_str(&format!("</{p}:term>"));
    }
    out.push_str(&format!("</{p}:terms>"));
    close(&mut out, v, op);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn well_formed(xml: &str) {
        let mut r = quick_xml::Reader::from_str(xml);
        r.config_mut().check_end_names = true;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed: {e}\n{xml}"),
            }
        }
    }

    #[test]
    fn parse_versions_and_operations() {
        let r = SruRequest::parse(&ps(&[])).unwrap();
        assert_eq!(
            (r.version, r.operation),
            (Version::V2_0, Operation::Explain)
        );
        let r = SruRequest::parse(&ps(&[("query", "a")])).unwrap();
        assert_eq!(r.operation, Operation::SearchRetrieve);
        let r = SruRequest::parse(&ps(&[
            ("operation", "searchRetrieve"),
            ("version", "1.2"),
            ("query", "a"),
            ("startRecord", "3"),
            ("maximumRecords", "5000"),
            ("recordSchema", "dc"),
        ]))
        .unwrap();
        assert_eq!(r.version, Version::V1_2);
        assert_eq!(
            (r.start, r.maximum, r.schema),
            (3, MAX_MAXIMUM_RECORDS, Schema::Dc)
        );
        let e = |p: &[(&str, &str)]| SruRequest::parse(&ps(p)).unwrap_err().2.number;
        assert_eq!(e(&[("version", "3.0")]), 5);
        assert_eq!(e(&[("operation", "update"), ("version", "1.2")]), 4);
        assert_eq!(e(&[("operation", "searchRetrieve"), ("version", "1.2")]), 7);
        assert_eq!(e(&[("query", "a"), ("recordSchema", "mods")]), 66);
        assert_eq!(e(&[("query", "a"), ("startRecord", "0")]), 6);
        assert_eq!(e(&[("query", "a"), ("startRecord", "x")]), 6);
        assert_eq!(e(&[("query", "a"), ("recordXMLEscaping", "json")]), 71);
    }

    #[test]
    fn explain_snapshots() {
        let x = explain(Version::V1_2, "http://localhost:8080/sru");
        well_formed(&x);
        insta::assert_snapshot!("explain_1_2", x);
        let x = explain(Version::V2_0, "http://localhost:8080/sru");
        well_formed(&x);
        assert!(x.contains("http://docs.oasis-open.org/ns/search-ws/sruResponse"));
    }

    #[test]
    fn diagnostic_namespaces() {
        let d = [Diagnostic::unsupported_index("dc.x")];
        let x = diagnostics_only(Version::V1_2, Operation::SearchRetrieve, &d);
        well_formed(&x);
        insta::assert_snapshot!("diag_1_2", x);
        let x = diagnostics_only(Version::V2_0, Operation::SearchRetrieve, &d);
        well_formed(&x);
        insta::assert_snapshot!("diag_2_0", x);
    }

    #[test]
    fn search_retrieve_snapshot() {
        let req = SruRequest::parse(&ps(&[
            ("version", "1.2"),
            ("operation", "searchRetrieve"),
            ("query", "dc.title = \"a & b\""),
            ("maximumRecords", "2"),
        ]))
        .unwrap();
        let recs = vec![
            Some(
                "<record xmlns=\"http://www.loc.gov/MARC21/slim\"><leader>x</leader></record>"
                    .to_string(),
            ),
            None,
        ];
        let x = search_retrieve_xml(&req, 5, &recs, &[]);
        well_formed(&x);
        insta::assert_snapshot!("search_1_2", x);
        let mut req2 = req.clone();
        req2.version = Version::V2_0;
        req2.escape_records = true;
        let x = search_retrieve_xml(&req2, 2, &recs, &[]);
        well_formed(&x);
        assert!(!x.contains("nextRecordPosition"));
        assert!(x.contains("&lt;record"));
    }

    #[test]
    fn scan_clause() {
        assert_eq!(
            scan_target("dc.title = hob").unwrap(),
            (BrowseField::Title, "hob".to_string())
        );
        assert_eq!(
            scan_target("dc.creator = \"smith, j\"").unwrap().0,
            BrowseField::Author
        );
        assert_eq!(scan_target("dc.date = 1900").unwrap_err().number, 16);
        assert_eq!(scan_target("a and b").unwrap_err().number, 10);
        let entries = vec![BrowseEntry {
            term: "Hobbit <The>".into(),
            sort_key: "hobbit".into(),
            count: 2,
        }];
        let x = scan_xml(Version::V2_0, &entries);
        well_formed(&x);
        insta::assert_snapshot!("scan_2_0", x);
    }

    #[test]
    fn url_split() {
        assert_eq!(
            split_url("http://example.org:8080/sru"),
            ("example.org".into(), 8080, "sru".into())
        );
        assert_eq!(
            split_url("https://example.org/sru"),
            ("example.org".into(), 443, "sru".into())
        );
    }
}
