//! The copy-cataloging client: searches Z39.50 targets (or SRU servers)
//! for records, several at once, each with its own timeout, and returns
//! the records as UTF-8 ISO 2709 (MARC-8 converted by quire-marc) with a
//! summary for the result list.

use std::time::Duration;

use quire_z3950::{
    Apdu, BitString, Close, CloseReason, ElementSetNames, External, InitRequest, PresentRequest,
    Query, RecordContent, Records, RpnQuery, SearchRequest, oid::known, options, pdu_length,
};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
    /// SRU base URL (`http://` only), used instead of Z39.50 when set.
    pub sru_url: Option<String>,
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
    /// What went wrong (connection, timeout, diagnostic), in English.
    pub error: Option<String>,
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
                    },
                    Ok(Err(e)) => TargetResult {
                        target: name,
                        total: 0,
                        hits: Vec::new(),
                        error: Some(e),
                    },
                    Err(_) => TargetResult {
                        target: name,
                        total: 0,
                        hits: Vec::new(),
                        error: Some(format!("no answer within {} s", timeout.as_secs())),
                    },
                }
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for (t, task) in targets.iter().zip(tasks) {
        out.push(task.await.unwrap_or_else(|e| TargetResult {
            target: t.name.clone(),
            total: 0,
            hits: Vec::new(),
            error: Some(format!("search failed: {e}")),
        }));
    }
    out
}

async fn search_one(t: &Target, q: &CopyQuery, max: usize) -> Result<(u64, Vec<CopyHit>), String> {
    if let Some(url) = &t.sru_url {
        return sru_search(t, url, q, max).await;
    }
    let host = t.host.as_deref().ok_or("no host configured")?;
    let port = t.port.unwrap_or(210);
    let mut s = TcpStream::connect((host, port))
        .await
        .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
    let _ = s.set_nodelay(true);
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
        other => return Err(unexpected(&other)),
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
                return Err(records_error(r.records.as_ref())
                    .unwrap_or_else(|| "search failed".to_string()));
            }
            r.result_count.max(0) as u64
        }
        other => return Err(unexpected(&other)),
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
                        return Err(e);
                    }
                }
            },
            other => return Err(unexpected(&other)),
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

/// searchRetrieve over HTTP/1.0 GET (plain `http://` URLs).
async fn sru_search(
    t: &Target,
    url: &str,
    q: &CopyQuery,
    max: usize,
) -> Result<(u64, Vec<CopyHit>), String> {
    let _ = t;
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// SRU URLs are supported")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| "bad port in the SRU URL")?)
        }
        _ => (authority, 80),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    let target = format!(
        "{path}{sep}version=1.2&operation=searchRetrieve&recordSchema=marcxml&maximumRecords={max}&query={}",
        url_encode(&q.cql())
    );
    let mut s = TcpStream::connect((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| format!("cannot connect to {authority}: {e}"))?;
    let req = format!(
        "GET {target} HTTP/1.0\r\nHost: {authority}\r\nAccept: text/xml\r\nUser-Agent: Quire/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    s.write_all(req.as_bytes())
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let mut body = Vec::new();
    (&mut s)
        .take(MAX_RESPONSE as u64)
        .read_to_end(&mut body)
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let split = body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("bad HTTP answer")?;
    let head = String::from_utf8_lossy(&body[..split]).to_string();
    let xml = &body[split + 4..];
    let status = head.split_whitespace().nth(1).unwrap_or("");
    if status != "200" {
        return Err(format!("HTTP status {status}"));
    }
    let text = String::from_utf8_lossy(xml);
    if let Some(d) = text
        .split("<diag:message>")
        .nth(1)
        .or_else(|| text.split(":message>").nth(1))
        && !text.contains("numberOfRecords>")
    {
        return Err(format!(
            "SRU diagnostic: {}",
            d.split('<').next().unwrap_or_default()
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
}
