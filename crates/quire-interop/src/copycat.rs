//! The copy-cataloging client: searches Z39.50 targets (or SRU servers)
//! for records, several at once, each with its own timeout, and returns
//! the records as UTF-8 ISO 2709 (MARC-8 converted by quire-marc) with a
//! summary for the result list.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use quire_z3950::{
    Apdu, BitString, Close, CloseReason, ElementSetNames, External, InitRequest, PresentRequest,
    Query, RecordContent, Records, RpnQuery, SearchRequest, oid::known, options, pdu_length,
};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// Largest response accepted from a target.
const MAX_RESPONSE: usize = 16 << 20;

/// Where and how to search (from a configured target).
#[derive(Debug, Clone)]
pub struct Target {
    /// Shown with its results.
    pub name: String,
    /// Z39.50 host and port.
    pub host: Option<String>,
    /// Z39.50 port.
    pub port: Option<u16>,
    /// Database name.
    pub database: String,
    /// `usmarc` or `marcxml`.
    pub syntax: String,
    /// `auto`, `utf-8` or `marc-8`.
    pub charset: String,
    /// SRU base URL (`http://` or `https://`), used instead of Z39.50 when
    /// set.
    pub sru_url: Option<String>,
    /// Certificates trusted for `https://` SRU targets.
    pub tls: ClientTls,
}

/// The certificates the SRU client trusts over https: the Mozilla root
/// programme (webpki-roots, built in) plus any extra certificates the
/// library configures (`--copy-ca-file`: a consortium CA, or a private CA
/// that signed one target's certificate; webpki takes no self-signed
/// end-entity certificate as an anchor). Verification is never turned off.
#[derive(Debug, Clone)]
pub struct ClientTls(Arc<rustls::ClientConfig>);

impl Default for ClientTls {
    fn default() -> Self {
        Self::with_roots(Self::mozilla_roots())
    }
}

impl ClientTls {
    fn mozilla_roots() -> rustls::RootCertStore {
        rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        }
    }

    fn with_roots(roots: rustls::RootCertStore) -> Self {
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map(|b| b.with_root_certificates(roots).with_no_client_auth());
        match config {
            Ok(c) => ClientTls(Arc::new(c)),
            // The ring provider supports the default versions; unreachable
            // in practice, but never panic: an empty config fails handshakes.
            Err(_) => ClientTls(Arc::new(
                rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            )),
        }
    }

    /// The Mozilla roots plus every certificate in `pem` (one or more
    /// `-----BEGIN CERTIFICATE-----` blocks). Errors name what is wrong.
    pub fn with_extra_pem(pem: &[u8]) -> Result<Self, String> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let mut roots = Self::mozilla_roots();
        let mut n = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| format!("not a PEM certificate: {e}"))?;
            roots
                .add(cert)
                .map_err(|e| format!("certificate not usable as a trust anchor: {e}"))?;
            n += 1;
        }
        if n == 0 {
            return Err("no -----BEGIN CERTIFICATE----- block found".into());
        }
        Ok(Self::with_roots(roots))
    }
}

/// What the cataloger looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyQuery {
    /// An ISBN in any form.
    Isbn(String),
    /// Title and/or author words.
    TitleAuthor {
        /// Title words (may be empty if author is given).
        title: String,
        /// Author words (may be empty if title is given).
        author: String,
    },
    /// A Library of Congress control number.
    Lccn(String),
}

/// Strips characters that would end a quoted PQF or CQL term.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '"' && *c != '\\' && !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

impl CopyQuery {
    /// The type-1 query in PQF (Bib-1).
    pub fn pqf(&self) -> String {
        match self {
            CopyQuery::Isbn(i) => format!("@attr 1=7 \"{}\"", clean(i).replace('-', "")),
            CopyQuery::Lccn(l) => format!("@attr 1=9 \"{}\"", clean(l)),
            CopyQuery::TitleAuthor { title, author } => {
                let t = clean(title);
                let a = clean(author);
                match (t.is_empty(), a.is_empty()) {
                    (false, false) => {
                        format!("@and @attr 1=4 \"{t}\" @attr 1=1003 \"{a}\"")
                    }
                    (false, true) => format!("@attr 1=4 \"{t}\""),
                    _ => format!("@attr 1=1003 \"{a}\""),
                }
            }
        }
    }

    /// The same search in CQL (for SRU targets).
    pub fn cql(&self) -> String {
        match self {
            CopyQuery::Isbn(i) => format!("bath.isbn=\"{}\"", clean(i).replace('-', "")),
            CopyQuery::Lccn(l) => format!("bath.lccn=\"{}\"", clean(l)),
            CopyQuery::TitleAuthor { title, author } => {
                let t = clean(title);
                let a = clean(author);
                match (t.is_empty(), a.is_empty()) {
                    (false, false) => format!("dc.title=\"{t}\" and dc.creator=\"{a}\""),
                    (false, true) => format!("dc.title=\"{t}\""),
                    _ => format!("dc.creator=\"{a}\""),
                }
            }
        }
    }
}

/// One record found.
#[derive(Debug, Clone, Serialize)]
pub struct CopyHit {
    /// Title proper (245).
    pub title: String,
    /// Main or first author.
    pub author: Option<String>,
    /// Date of publication.
    pub date: Option<String>,
    /// First ISBN.
    pub isbn: Option<String>,
    /// The source's 001.
    pub control_number: Option<String>,
    /// The record, ISO 2709 in UTF-8.
    #[serde(skip)]
    pub marc: Vec<u8>,
}

/// The answer of one target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    /// The target's name.
    pub target: String,
    /// Hits reported by the target.
    pub total: u64,
    /// The records fetched (at most the requested number).
    pub hits: Vec<CopyHit>,
    /// What went wrong (connection, timeout, diagnostic), in English:
    /// the technical detail shown under the translated message.
    pub error: Option<String>,
    /// The kind of failure (one of [`ERROR_KINDS`]), for a translated
    /// message (`copy-error-KIND`).
    pub error_kind: Option<&'static str>,
}

/// Kinds of failure of one target: `timeout` (no complete answer in
/// time), `dns` (the host name does not resolve), `refused` (nothing
/// listens on the port), `unreachable` (no route to the host), `connect`
/// (another connection error), `tls` (https handshake or certificate),
/// `http` (an HTTP status other than 200), `diagnostic` (the server
/// answered with a Z39.50/SRU diagnostic), `protocol` (anything else).
pub const ERROR_KINDS: &[&str] = &[
    "timeout",
    "dns",
    "refused",
    "unreachable",
    "connect",
    "tls",
    "http",
    "diagnostic",
    "protocol",
];

/// Why a target gave no records.
#[derive(Debug)]
struct Failure {
    kind: &'static str,
    detail: String,
}

impl Failure {
    fn new(kind: &'static str, detail: impl Into<String>) -> Self {
        Failure {
            kind,
            detail: detail.into(),
        }
    }
}

impl From<String> for Failure {
    fn from(detail: String) -> Self {
        Failure::new("protocol", detail)
    }
}

impl From<&str> for Failure {
    fn from(detail: &str) -> Self {
        Failure::new("protocol", detail)
    }
}

fn failed(target: String, kind: &'static str, detail: String) -> TargetResult {
    TargetResult {
        target,
        total: 0,
        hits: Vec::new(),
        error: Some(detail),
        error_kind: Some(kind),
    }
}

/// Resolves `host` and connects to the first address that accepts,
/// telling a name that does not resolve from a refused or unreachable port.
async fn connect(host: &str, port: u16) -> Result<TcpStream, Failure> {
    let host = host.trim_matches(['[', ']']);
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| Failure::new("dns", format!("cannot resolve {host}: {e}")))?
        .collect();
    let mut last = None;
    for a in &addrs {
        match TcpStream::connect(a).await {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    let Some(e) = last else {
        return Err(Failure::new("dns", format!("{host} has no address")));
    };
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::ConnectionRefused => "refused",
        K::NetworkUnreachable | K::HostUnreachable | K::TimedOut => "unreachable",
        _ => "connect",
    };
    Err(Failure::new(
        kind,
        format!("cannot connect to {host}:{port}: {e}"),
    ))
}

/// Searches every target concurrently; each gets `timeout` for the whole
/// exchange. Results come back in the order of `targets`.
pub async fn search_all(
    targets: &[Target],
    q: &CopyQuery,
    max: usize,
    timeout: Duration,
) -> Vec<TargetResult> {
    let tasks: Vec<_> = targets
        .iter()
        .cloned()
        .map(|t| {
            let q = q.clone();
            tokio::spawn(async move {
                let name = t.name.clone();
                match tokio::time::timeout(timeout, search_one(&t, &q, max)).await {
                    Ok(Ok((total, hits))) => TargetResult {
                        target: name,
                        total,
                        hits,
                        error: None,
                        error_kind: None,
                    },
                    Ok(Err(e)) => failed(name, e.kind, e.detail),
                    Err(_) => failed(
                        name,
                        "timeout",
                        format!("no answer within {} s", timeout.as_secs_f64()),
                    ),
                }
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for (t, task) in targets.iter().zip(tasks) {
        out.push(
            task.await.unwrap_or_else(|e| {
                failed(t.name.clone(), "protocol", format!("search failed: {e}"))
            }),
        );
    }
    out
}

async fn search_one(t: &Target, q: &CopyQuery, max: usize) -> Result<(u64, Vec<CopyHit>), Failure> {
    if let Some(url) = &t.sru_url {
        return sru_search(t, url, q, max).await;
    }
    let host = t.host.as_deref().ok_or("no host configured")?;
    let port = t.port.unwrap_or(210);
    let mut s = connect(host, port).await?;
    let init = Apdu::InitRequest(InitRequest {
        reference_id: None,
        protocol_version: BitString::from_bits(&[0, 1, 2]),
        options: BitString::from_bits(&[options::SEARCH, options::PRESENT]),
        preferred_message_size: MAX_RESPONSE as i64,
        exceptional_record_size: MAX_RESPONSE as i64,
        id_authentication: None,
        implementation_id: Some("Quire".into()),
        implementation_name: Some("Quire copy cataloging".into()),
        implementation_version: Some(env!("CARGO_PKG_VERSION").into()),
        user_information: None,
        other_info: None,
    });
    match exchange(&mut s, &init).await? {
        Apdu::InitResponse(r) if r.result => {}
        Apdu::InitResponse(_) => return Err("the target refused the connection (Init)".into()),
        other => return Err(unexpected(&other).into()),
    }
    let pqf = quire_cql::pqf::parse_pqf(&q.pqf()).map_err(|e| format!("query: {e}"))?;
    let rpn = RpnQuery::from_pqf(&pqf).map_err(|e| format!("query: {e:?}"))?;
    let syntax = if t.syntax == "marcxml" {
        known::xml()
    } else {
        known::usmarc()
    };
    let search = Apdu::SearchRequest(SearchRequest {
        reference_id: None,
        small_set_upper_bound: 0,
        large_set_lower_bound: 1,
        medium_set_present_number: 0,
        replace_indicator: true,
        result_set_name: "default".into(),
        database_names: vec![t.database.clone()],
        small_set_element_set_names: None,
        medium_set_element_set_names: None,
        preferred_record_syntax: Some(syntax.clone()),
        query: Query::Type1(rpn),
    });
    let total = match exchange(&mut s, &search).await? {
        Apdu::SearchResponse(r) => {
            if !r.search_status {
                return Err(Failure::new(
                    "diagnostic",
                    records_error(r.records.as_ref())
                        .unwrap_or_else(|| "search failed".to_string()),
                ));
            }
            r.result_count.max(0) as u64
        }
        other => return Err(unexpected(&other).into()),
    };
    let mut hits = Vec::new();
    let n = (total as usize).min(max);
    if n > 0 {
        let present = Apdu::PresentRequest(PresentRequest {
            reference_id: None,
            result_set_id: "default".into(),
            start_point: 1,
            number_of_records: n as i64,
            element_set_names: Some(ElementSetNames::Generic(if t.syntax == "marcxml" {
                "marcxml".into()
            } else {
                "F".into()
            })),
            preferred_record_syntax: Some(syntax),
            max_segment_count: None,
            max_record_size: None,
            max_segment_size: None,
        });
        match exchange(&mut s, &present).await? {
            Apdu::PresentResponse(r) => match &r.records {
                Some(Records::ResponseRecords(list)) => {
                    for npr in list {
                        if let RecordContent::Retrieval(ext) = &npr.record
                            && let Some(hit) = hit_from_external(ext, &t.charset)
                        {
                            hits.push(hit);
                        }
                    }
                }
                other => {
                    if let Some(e) = records_error(other.as_ref()) {
                        return Err(Failure::new("diagnostic", e));
                    }
                }
            },
            other => return Err(unexpected(&other).into()),
        }
    }
    let close = Apdu::Close(Close {
        reference_id: None,
        close_reason: CloseReason::Finished,
        diagnostic_information: None,
    });
    let _ = s.write_all(&close.encode()).await;
    Ok((total, hits))
}

fn unexpected(a: &Apdu) -> String {
    match a {
        Apdu::Close(c) => format!(
            "the target closed the connection ({:?}{})",
            c.close_reason,
            c.diagnostic_information
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        _ => "unexpected answer from the target".into(),
    }
}

fn records_error(r: Option<&Records>) -> Option<String> {
    let d = match r? {
        Records::NonSurrogateDiagnostic(d) => d.clone(),
        Records::MultipleNonSurDiagnostics(v) => match v.first()? {
            quire_z3950::DiagRec::Default(d) => d.clone(),
            quire_z3950::DiagRec::External(_) => return Some("diagnostic".into()),
        },
        Records::ResponseRecords(_) => return None,
    };
    Some(if d.addinfo.is_empty() {
        format!("Bib-1 diagnostic {}", d.condition)
    } else {
        format!("Bib-1 diagnostic {}: {}", d.condition, d.addinfo)
    })
}

async fn exchange(s: &mut TcpStream, a: &Apdu) -> Result<Apdu, String> {
    s.write_all(&a.encode())
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        match pdu_length(&buf, MAX_RESPONSE) {
            Ok(Some(n)) => {
                return Apdu::decode(&buf[..n]).map_err(|e| format!("bad answer: {e}"));
            }
            Ok(None) => {}
            Err(e) => return Err(format!("bad answer: {e}")),
        }
        let n = s
            .read(&mut chunk)
            .await
            .map_err(|e| format!("connection lost: {e}"))?;
        if n == 0 {
            return Err("the target closed the connection".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A record from an EXTERNAL: ISO 2709 (charset as configured) or MARCXML.
fn hit_from_external(ext: &External, charset: &str) -> Option<CopyHit> {
    let bytes = ext.as_octets()?;
    let is_xml = ext
        .direct_reference
        .as_ref()
        .is_some_and(|o| *o == known::xml() || *o == known::application_xml())
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    if is_xml {
        xml_hits(bytes).into_iter().next()
    } else {
        iso_hit(bytes, charset)
    }
}

/// Parses an ISO 2709 record, forcing leader/09 for a configured charset,
/// and re-encodes it in UTF-8.
pub fn iso_hit(raw: &[u8], charset: &str) -> Option<CopyHit> {
    let mut raw = raw.to_vec();
    if raw.len() > 9 {
        match charset {
            "marc-8" => raw[9] = b' ',
            "utf-8" => raw[9] = b'a',
            _ => {}
        }
    }
    let (rec, _) = quire_marc::iso2709::parse_record(&raw).ok()?;
    hit_from_record(rec)
}

fn hit_from_record(mut rec: quire_marc::Record) -> Option<CopyHit> {
    rec.set_leader_pos(9, 'a');
    let s = quire_marc::bib::summarize(&rec);
    let marc = quire_marc::iso2709::to_bytes(&rec).ok()?;
    Some(CopyHit {
        title: s.title.clone().unwrap_or_default(),
        author: s
            .authors
            .iter()
            .find(|a| a.main_entry)
            .or(s.authors.first())
            .map(|a| a.name.clone()),
        date: s.date.clone(),
        isbn: s.isbns.first().map(|i| i.value.clone()),
        control_number: rec.control_number().map(|c| c.trim().to_string()),
        marc,
    })
}

/// Every MARC21-slim record in an XML document (MARCXML, or an SRU
/// response with MARCXML records).
pub fn xml_hits(xml: &[u8]) -> Vec<CopyHit> {
    quire_marc::xml::MarcXmlReader::new(std::io::BufReader::new(xml))
        .filter_map(|r| r.ok())
        .filter_map(|r| hit_from_record(r.record))
        .collect()
}

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An SRU base URL split into its parts.
#[derive(Debug, PartialEq, Eq)]
struct SruUrl<'a> {
    https: bool,
    /// As written in the URL (for the Host header), brackets included.
    authority: &'a str,
    host: &'a str,
    port: u16,
    path: &'a str,
}

fn parse_sru_url(url: &str) -> Result<SruUrl<'_>, Failure> {
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err("only http:// and https:// SRU URLs are supported".into());
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('?') => (&rest[..i], "/"),
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let default_port = if https { 443 } else { 80 };
    let bad_port = || Failure::from("bad port in the SRU URL");
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        // [v6] or [v6]:port
        let (h, after) = rest.split_once(']').ok_or("bad host in the SRU URL")?;
        let port = match after {
            "" => default_port,
            p => p
                .strip_prefix(':')
                .and_then(|p| p.parse::<u16>().ok())
                .ok_or_else(bad_port)?,
        };
        (h, port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad_port())?),
            None => (authority, default_port),
        }
    };
    if host.is_empty() {
        return Err("no host in the SRU URL".into());
    }
    Ok(SruUrl {
        https,
        authority,
        host,
        port,
        path: if path.is_empty() { "/" } else { path },
    })
}

/// searchRetrieve over HTTP/1.0 GET, plain or over TLS.
async fn sru_search(
    t: &Target,
    url: &str,
    q: &CopyQuery,
    max: usize,
) -> Result<(u64, Vec<CopyHit>), Failure> {
    let u = parse_sru_url(url)?;
    let sep = if u.path.contains('?') { '&' } else { '?' };
    let target = format!(
        "{}{sep}version=1.2&operation=searchRetrieve&recordSchema=marcxml&maximumRecords={max}&query={}",
        u.path,
        url_encode(&q.cql())
    );
    let req = format!(
        "GET {target} HTTP/1.0\r\nHost: {}\r\nAccept: text/xml\r\nUser-Agent: Quire/{}\r\nConnection: close\r\n\r\n",
        u.authority,
        env!("CARGO_PKG_VERSION")
    );
    let tcp = connect(u.host, u.port).await?;
    let body = if u.https {
        let name = rustls::pki_types::ServerName::try_from(u.host.to_string())
            .map_err(|e| Failure::new("tls", format!("{}: {e}", u.host)))?;
        let tls = tokio_rustls::TlsConnector::from(t.tls.0.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| Failure::new("tls", format!("TLS with {}: {e}", u.authority)))?;
        http_exchange(tls, &req).await?
    } else {
        http_exchange(tcp, &req).await?
    };
    sru_answer(&body)
}

/// Sends one HTTP/1.0 request and reads the answer until the server
/// closes the connection.
async fn http_exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut s: S,
    req: &str,
) -> Result<Vec<u8>, Failure> {
    s.write_all(req.as_bytes())
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let _ = s.flush().await;
    let mut body = Vec::new();
    match (&mut s)
        .take(MAX_RESPONSE as u64)
        .read_to_end(&mut body)
        .await
    {
        Ok(_) => {}
        // A TLS server that closes without close_notify after a complete
        // HTTP/1.0 answer: the body is what it sent.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !body.is_empty() => {}
        Err(e) => return Err(format!("connection lost: {e}").into()),
    }
    Ok(body)
}

/// The total and the records of an SRU searchRetrieve answer (with its
/// HTTP head).
fn sru_answer(body: &[u8]) -> Result<(u64, Vec<CopyHit>), Failure> {
    let split = body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("bad HTTP answer")?;
    let head = String::from_utf8_lossy(&body[..split]).to_string();
    let xml = &body[split + 4..];
    let status = head.split_whitespace().nth(1).unwrap_or("");
    if status != "200" {
        return Err(Failure::new("http", format!("HTTP status {status}")));
    }
    let text = String::from_utf8_lossy(xml);
    if let Some(d) = text
        .split("<diag:message>")
        .nth(1)
        .or_else(|| text.split(":message>").nth(1))
        && !text.contains("numberOfRecords>")
    {
        return Err(Failure::new(
            "diagnostic",
            format!(
                "SRU diagnostic: {}",
                d.split('<').next().unwrap_or_default()
            ),
        ));
    }
    let total = text
        .split("numberOfRecords>")
        .nth(1)
        .and_then(|x| x.split('<').next())
        .and_then(|n| n.trim().parse::<u64>().ok())
        .unwrap_or(0);
    Ok((total, xml_hits(xml)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// An ISO 2709 record from (tag, field bytes) pairs; leader/09 as given.
    fn iso(fields: &[(&str, &[u8])], leader9: u8) -> Vec<u8> {
        let mut dir = Vec::new();
        let mut data = Vec::new();
        for (tag, body) in fields {
            let mut f = body.to_vec();
            f.push(0x1e);
            dir.extend_from_slice(format!("{tag}{:04}{:05}", f.len(), data.len()).as_bytes());
            data.extend_from_slice(&f);
        }
        dir.push(0x1e);
        let base = 24 + dir.len();
        let total = base + data.len() + 1;
        let mut out = format!("{total:05}nam  22{base:05} a 4500").into_bytes();
        out[9] = leader9;
        out.extend_from_slice(&dir);
        out.extend_from_slice(&data);
        out.push(0x1d);
        out
    }

    #[test]
    fn marc8_records_become_utf8() {
        // MARC-8: combining acute (0xE2) before the base letter.
        let raw = iso(
            &[
                ("001", b"42"),
                ("245", b"10\x1faCaf\xe2e society /\x1fcJos\xe2e."),
            ],
            b' ',
        );
        for charset in ["auto", "marc-8"] {
            let hit = iso_hit(&raw, charset).unwrap();
            assert_eq!(hit.title, "Café society", "{charset}");
            assert_eq!(hit.control_number.as_deref(), Some("42"));
            let (back, _) = quire_marc::iso2709::parse_record(&hit.marc).unwrap();
            assert_eq!(back.leader.get(9), 'a', "stored as UTF-8");
            assert_eq!(back.first_subfield("245", 'a'), Some("Café society /"));
        }
        // The same bytes declared UTF-8 are not MARC-8-decoded.
        let utf8 = iso(&[("245", "10\x1faCafé".as_bytes())], b'a');
        assert_eq!(iso_hit(&utf8, "utf-8").unwrap().title, "Café");
    }

    #[test]
    fn queries() {
        assert_eq!(
            CopyQuery::Isbn("978-0-306-40615-7".into()).pqf(),
            "@attr 1=7 \"9780306406157\""
        );
        assert_eq!(
            CopyQuery::TitleAuthor {
                title: "the \"hobbit".into(),
                author: "tolkien".into()
            }
            .pqf(),
            "@and @attr 1=4 \"the hobbit\" @attr 1=1003 \"tolkien\""
        );
        assert_eq!(
            CopyQuery::TitleAuthor {
                title: String::new(),
                author: "tolkien".into()
            }
            .cql(),
            "dc.creator=\"tolkien\""
        );
        assert_eq!(
            CopyQuery::Lccn("n78-890351".into()).cql(),
            "bath.lccn=\"n78-890351\""
        );
        for q in [
            CopyQuery::Isbn("\\\"".into()),
            CopyQuery::Lccn("a b".into()),
        ] {
            assert!(quire_cql::pqf::parse_pqf(&q.pqf()).is_ok());
            assert!(quire_cql::parse_cql(&q.cql()).is_ok());
        }
    }

    #[test]
    fn sru_urls() {
        let u = parse_sru_url("https://sru.example.org/lcdb").unwrap();
        assert_eq!(
            u,
            SruUrl {
                https: true,
                authority: "sru.example.org",
                host: "sru.example.org",
                port: 443,
                path: "/lcdb"
            }
        );
        let u = parse_sru_url("http://lx2.loc.gov:210/LCDB?x-info=1").unwrap();
        assert_eq!(
            (u.https, u.host, u.port, u.path),
            (false, "lx2.loc.gov", 210, "/LCDB?x-info=1")
        );
        let u = parse_sru_url("https://[::1]:8443/sru").unwrap();
        assert_eq!((u.authority, u.host, u.port), ("[::1]:8443", "::1", 8443));
        let u = parse_sru_url("http://[::1]").unwrap();
        assert_eq!((u.host, u.port, u.path), ("::1", 80, "/"));
        let u = parse_sru_url("http://host?q").unwrap();
        assert_eq!((u.host, u.path), ("host", "/"));
        for bad in ["ftp://x/", "https://", "http://:80/", "http://h:99999/"] {
            assert!(parse_sru_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn extra_certificates_must_be_pem() {
        assert!(ClientTls::with_extra_pem(b"").is_err());
        assert!(ClientTls::with_extra_pem(b"hello").is_err());
        let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(ClientTls::with_extra_pem(garbage).is_err());
    }
}
