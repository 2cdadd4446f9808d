//! The Z39.50 server: a tokio TCP adapter over the catalog search service.
//!
//! One task per connection (a Z-association). Each session keeps its
//! named result sets: the mapped query, the total, and the record ids of
//! the first [`SNAPSHOT`] hits taken at search time (so repeated Presents
//! in different syntaxes give the same records in the same order); later
//! positions re-run the same search with an offset. Searching goes through
//! `Library::search_hits` (the OPAC's search, public records only),
//! presenting through `Library::public_records` and `Library::record_view`
//! (holdings for the OPAC syntax), scanning through `Library::browse`.
//!
//! Record syntaxes: USMARC/MARC21 (element sets F, B), XML (`marcxml`, F,
//! B → MARC21-slim; `dc` → simple Dublin Core), SUTRS (the `245 10 $a…`
//! text form), OPAC (MARC + holdings with availability). The stored MARC is
//! UTF-8 (leader/09 `a`); there is no character-set negotiation.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use quire_library::Library;
use quire_search::{BrowseField, Query, SearchRequest, SortOrder};
use quire_z3950::{
    Apdu, BitString, Close, CloseReason, DefaultDiagFormat, DeleteResultSetRequest,
    DeleteResultSetResponse, DiagRec, ElementSetNames, External, HoldingsAndCirc, HoldingsRecord,
    InitRequest, NamePlusRecord, OpacRecord, PresentRequest, PresentResponse, RecordContent,
    Records, ScanEntry, ScanRequest, ScanResponse, SearchRequest as ZSearch, SearchResponse, Term,
    TermInfo, accept_init, oid::known, options, pdu_length, protocol_error_close,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::bib1::{Bib1Diag, map_rpn, scan_target};

/// Record ids remembered per result set at search time.
pub const SNAPSHOT: usize = 1000;
/// Most records in one Present.
pub const MAX_PRESENT: i64 = 1000;
/// Most terms in one Scan.
pub const MAX_SCAN_TERMS: i64 = 200;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Z3950Config {
    /// The database name clients search (`Default`), compared
    /// case-insensitively.
    pub database: String,
    /// A session without any request for this long is closed (Close 7).
    pub idle_timeout: Duration,
    /// Largest APDU accepted, and the largest message size granted at Init.
    pub max_message_size: usize,
    /// Largest single record granted at Init (exceptionalRecordSize).
    pub max_record_size: usize,
    /// Most concurrent sessions; further connections are closed at once.
    pub max_sessions: usize,
    /// Most result sets a session may hold.
    pub max_result_sets: usize,
}

impl Default for Z3950Config {
    fn default() -> Self {
        Z3950Config {
            database: "Default".into(),
            idle_timeout: Duration::from_secs(600),
            max_message_size: 8 << 20,
            max_record_size: 8 << 20,
            max_sessions: 200,
            max_result_sets: 32,
        }
    }
}

/// Accepts connections until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    lib: Library,
    config: Z3950Config,
    shutdown: impl Future<Output = ()>,
) {
    let config = Arc::new(config);
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_sessions));
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "z39.50 accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let Ok(permit) = slots.clone().try_acquire_owned() else {
                    tracing::warn!(%peer, "z39.50: too many sessions; connection refused");
                    drop(stream);
                    continue;
                };
                let lib = lib.clone();
                let config = config.clone();
                tokio::spawn(async move {
                    let _ = stream.set_nodelay(true);
                    let mut s = Session::new(lib, config);
                    if let Err(e) = s.run(stream).await {
                        tracing::debug!(%peer, error = %e, "z39.50 session ended");
                    }
                    drop(permit);
                });
            }
        }
    }
}

/// A result set of a session.
#[derive(Debug, Clone)]
struct ResultSet {
    query: Query,
    total: u64,
    /// Record ids of the first hits, in result order.
    ids: Vec<i64>,
}

struct Session {
    lib: Library,
    config: Arc<Z3950Config>,
    initialized: bool,
    named_sets: bool,
    message_size: usize,
    record_size: usize,
    sets: HashMap<String, ResultSet>,
}

enum Flow {
    Continue,
    Stop,
}

impl Session {
    fn new(lib: Library, config: Arc<Z3950Config>) -> Self {
        Session {
            message_size: config.max_message_size,
            record_size: config.max_record_size,
            lib,
            config,
            initialized: false,
            named_sets: false,
            sets: HashMap::new(),
        }
    }

    async fn run(&mut self, mut stream: TcpStream) -> std::io::Result<()> {
        let mut buf: Vec<u8> = Vec::with_capacity(4096);
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            match pdu_length(&buf, self.config.max_message_size) {
                Ok(Some(n)) => {
                    let pdu: Vec<u8> = buf.drain(..n).collect();
                    let reply = match Apdu::decode(&pdu) {
                        Ok(apdu) => self.handle(apdu).await,
                        Err(e) => (Some(protocol_error_close(&e)), Flow::Stop),
                    };
                    if let Some(out) = reply.0 {
                        stream.write_all(&out.encode()).await?;
                    }
                    if let Flow::Stop = reply.1 {
                        return Ok(());
                    }
                    continue;
                }
                Ok(None) => {}
                Err(e) => {
                    stream.write_all(&protocol_error_close(&e).encode()).await?;
                    return Ok(());
                }
            }
            let read =
                tokio::time::timeout(self.config.idle_timeout, stream.read(&mut chunk)).await;
            match read {
                Err(_) => {
                    let close = Apdu::Close(Close {
                        reference_id: None,
                        close_reason: CloseReason::LackOfActivity,
                        diagnostic_information: Some("session idle too long".into()),
                    });
                    stream.write_all(&close.encode()).await?;
                    return Ok(());
                }
                Ok(Ok(0)) => return Ok(()),
                Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
                Ok(Err(e)) => return Err(e),
            }
        }
    }

    async fn handle(&mut self, apdu: Apdu) -> (Option<Apdu>, Flow) {
        match apdu {
            Apdu::InitRequest(req) => (Some(self.init(&req)), Flow::Continue),
            Apdu::Close(c) => (
                Some(Apdu::Close(Close {
                    reference_id: c.reference_id,
                    close_reason: CloseReason::Finished,
                    diagnostic_information: None,
                })),
                Flow::Stop,
            ),
            _ if !self.initialized => (
                Some(Apdu::Close(Close {
                    reference_id: None,
                    close_reason: CloseReason::ProtocolError,
                    diagnostic_information: Some("Init must come first".into()),
                })),
                Flow::Stop,
            ),
            Apdu::SearchRequest(req) => (
                Some(Apdu::SearchResponse(self.search(req).await)),
                Flow::Continue,
            ),
            Apdu::PresentRequest(req) => (
                Some(Apdu::PresentResponse(self.present(req).await)),
                Flow::Continue,
            ),
            Apdu::DeleteResultSetRequest(req) => (
                Some(Apdu::DeleteResultSetResponse(self.delete_sets(req))),
                Flow::Continue,
            ),
            Apdu::ScanRequest(req) => (
                Some(Apdu::ScanResponse(self.scan(req).await)),
                Flow::Continue,
            ),
            _ => (
                Some(Apdu::Close(Close {
                    reference_id: None,
                    close_reason: CloseReason::ProtocolError,
                    diagnostic_information: Some("unexpected APDU".into()),
                })),
                Flow::Stop,
            ),
        }
    }

    fn init(&mut self, req: &InitRequest) -> Apdu {
        let supported = BitString::from_bits(&[
            options::SEARCH,
            options::PRESENT,
            options::DEL_SET,
            options::SCAN,
            options::NAMED_RESULT_SETS,
        ]);
        let mut resp = accept_init(
            req,
            &supported,
            self.config.max_message_size as i64,
            self.config.max_record_size as i64,
            "Quire",
            env!("CARGO_PKG_VERSION"),
        );
        if resp.preferred_message_size <= 0 {
            resp.preferred_message_size = self.config.max_message_size as i64;
        }
        if resp.exceptional_record_size <= 0 {
            resp.exceptional_record_size = self.config.max_record_size as i64;
        }
        self.message_size = resp.preferred_message_size as usize;
        self.record_size = (resp.exceptional_record_size as usize).max(self.message_size);
        self.named_sets = resp.options.get(options::NAMED_RESULT_SETS);
        self.initialized = true;
        Apdu::InitResponse(resp)
    }

    fn check_databases(&self, names: &[String]) -> Result<(), Bib1Diag> {
        if names.is_empty() {
            return Err(Bib1Diag::new(235, ""));
        }
        for n in names {
            if !n.eq_ignore_ascii_case(&self.config.database) {
                return Err(Bib1Diag::new(235, n.clone()));
            }
        }
        Ok(())
    }

    async fn search(&mut self, req: ZSearch) -> SearchResponse {
        let fail = |d: Bib1Diag| SearchResponse {
            reference_id: req.reference_id.clone(),
            result_count: 0,
            number_of_records_returned: 0,
            next_result_set_position: 0,
            search_status: false,
            result_set_status: Some(3),
            present_status: None,
            records: Some(Records::NonSurrogateDiagnostic(diag(&d))),
        };
        let name = req.result_set_name.clone();
        if let Err(d) = self.check_databases(&req.database_names) {
            return fail(d);
        }
        if !self.named_sets && name != "default" {
            return fail(Bib1Diag::new(22, name));
        }
        if !req.replace_indicator && self.sets.contains_key(&name) {
            return fail(Bib1Diag::new(21, name));
        }
        if !self.sets.contains_key(&name) && self.sets.len() >= self.config.max_result_sets {
            return fail(Bib1Diag::new(112, self.config.max_result_sets.to_string()));
        }
        let query = match self.map_query(&req.query) {
            Ok(q) => q,
            Err(d) => {
                self.sets.remove(&name);
                return fail(d);
            }
        };
        let mut sr = SearchRequest::new(query.clone());
        sr.sort = SortOrder::Relevance;
        sr.limit = SNAPSHOT;
        let res = match self.lib.search_hits(sr, false).await {
            Ok(r) => r,
            Err(e) => {
                self.sets.remove(&name);
                return fail(service_diag(&e));
            }
        };
        let set = ResultSet {
            query,
            total: res.total,
            ids: res.hits.iter().map(|h| h.record_id).collect(),
        };
        let total = set.total as i64;
        self.sets.insert(name.clone(), set);

        // Piggybacked records (Z39.50 §3.2.2.1.4).
        let (count, esn) = if total <= req.small_set_upper_bound {
            (total, req.small_set_element_set_names.clone())
        } else if total >= req.large_set_lower_bound {
            (0, None)
        } else {
            (
                req.medium_set_present_number.clamp(0, total),
                req.medium_set_element_set_names.clone(),
            )
        };
        let mut resp = SearchResponse {
            reference_id: req.reference_id.clone(),
            result_count: total,
            number_of_records_returned: 0,
            next_result_set_position: 1,
            search_status: true,
            result_set_status: None,
            present_status: None,
            records: None,
        };
        if count > 0 {
            let (records, returned, status) = self
                .records(
                    &name,
                    1,
                    count,
                    esn.as_ref(),
                    req.preferred_record_syntax.as_ref(),
                )
                .await;
            resp.number_of_records_returned = returned;
            resp.next_result_set_position = 1 + returned;
            resp.present_status = Some(status);
            resp.records = Some(records);
        }
        resp
    }

    fn map_query(&self, q: &quire_z3950::Query) -> Result<Query, Bib1Diag> {
        let sets = |name: &str| self.sets.get(name).map(|s| s.query.clone());
        match q {
            quire_z3950::Query::Type1(rpn) | quire_z3950::Query::Type101(rpn) => {
                map_rpn(rpn, &sets)
            }
            quire_z3950::Query::Type104(_) => match q.as_cql() {
                Some(text) => crate::cql_map::map_cql_text(&text)
                    .map(|m| m.query)
                    .map_err(|d| {
                        let code = match d.number {
                            15 => 121,
                            16 => 114,
                            19 | 20 => 117,
                            27 => 125,
                            28 => 120,
                            39 | 46 => 110,
                            _ => 108,
                        };
                        Bib1Diag::new(code, d.details.unwrap_or_default())
                    }),
                None => Err(Bib1Diag::new(107, "104")),
            },
            quire_z3950::Query::Other { tag, .. } => Err(Bib1Diag::new(107, tag.to_string())),
        }
    }

    async fn present(&mut self, req: PresentRequest) -> PresentResponse {
        let fail = |d: Bib1Diag| PresentResponse {
            reference_id: req.reference_id.clone(),
            number_of_records_returned: 0,
            next_result_set_position: 0,
            present_status: 5,
            records: Some(Records::NonSurrogateDiagnostic(diag(&d))),
        };
        let Some(set) = self.sets.get(&req.result_set_id) else {
            return fail(Bib1Diag::new(30, req.result_set_id.clone()));
        };
        let total = set.total as i64;
        if req.start_point < 1 || req.start_point > total {
            return fail(Bib1Diag::new(13, req.start_point.to_string()));
        }
        if req.number_of_records < 0 {
            return fail(Bib1Diag::new(13, req.number_of_records.to_string()));
        }
        let count = req
            .number_of_records
            .min(total - req.start_point + 1)
            .min(MAX_PRESENT);
        let (records, returned, status) = self
            .records(
                &req.result_set_id,
                req.start_point,
                count,
                req.element_set_names.as_ref(),
                req.preferred_record_syntax.as_ref(),
            )
            .await;
        PresentResponse {
            reference_id: req.reference_id.clone(),
            number_of_records_returned: returned,
            next_result_set_position: req.start_point + returned,
            present_status: status,
            records: Some(records),
        }
    }

    /// Records `start..start+count` (1-based) of a result set in a syntax:
    /// (records, how many, presentStatus).
    async fn records(
        &self,
        set_name: &str,
        start: i64,
        count: i64,
        esn: Option<&ElementSetNames>,
        syntax: Option<&quire_z3950::Oid>,
    ) -> (Records, i64, i64) {
        let fail = |d: Bib1Diag| (Records::NonSurrogateDiagnostic(diag(&d)), 0, 5);
        let Some(set) = self.sets.get(set_name) else {
            return fail(Bib1Diag::new(30, set_name.to_string()));
        };
        let format = match Format::choose(syntax, esn) {
            Ok(f) => f,
            Err(d) => return fail(d),
        };
        let from = (start - 1) as usize;
        let to = from + count as usize;
        let ids: Vec<i64> = if to <= set.ids.len() {
            set.ids[from..to].to_vec()
        } else {
            let mut sr = SearchRequest::new(set.query.clone());
            sr.offset = from;
            sr.limit = count as usize;
            match self.lib.search_hits(sr, false).await {
                Ok(r) => r.hits.iter().map(|h| h.record_id).collect(),
                Err(e) => return fail(service_diag(&e)),
            }
        };
        let rows = match self.lib.public_records(&ids).await {
            Ok(r) => r,
            Err(e) => return fail(service_diag(&e)),
        };
        let by_id: HashMap<i64, &[u8]> = rows.iter().map(|r| (r.id, r.marc.as_slice())).collect();
        let mut out = Vec::with_capacity(ids.len());
        let mut size = 0usize;
        let mut status = 0;
        for id in &ids {
            let record = match by_id.get(id) {
                // Deleted or suppressed since the search.
                None => RecordContent::SurrogateDiagnostic(DiagRec::Default(
                    DefaultDiagFormat::bib1(1028, "record deleted"),
                )),
                Some(marc) => match self.render(*id, marc, format).await {
                    Some(ext) => {
                        let len = ext_len(&ext);
                        if len > self.record_size {
                            RecordContent::SurrogateDiagnostic(DiagRec::Default(
                                DefaultDiagFormat::bib1(17, &len.to_string()),
                            ))
                        } else {
                            RecordContent::Retrieval(ext)
                        }
                    }
                    None => RecordContent::SurrogateDiagnostic(DiagRec::Default(
                        DefaultDiagFormat::bib1(14, &format!("record {id} is not readable")),
                    )),
                },
            };
            let len = match &record {
                RecordContent::Retrieval(e) => ext_len(e),
                RecordContent::SurrogateDiagnostic(_) => 64,
            };
            if !out.is_empty() && size + len > self.message_size {
                status = 1; // partial-1: message size
                break;
            }
            size += len;
            out.push(NamePlusRecord {
                name: Some(self.config.database.clone()),
                record,
            });
        }
        let n = out.len() as i64;
        (Records::ResponseRecords(out), n, status)
    }

    async fn render(&self, id: i64, marc: &[u8], format: Format) -> Option<External> {
        let full = || quire_marc::iso2709::parse_record(marc).ok().map(|(r, _)| r);
        Some(match format {
            Format::Marc { brief: false } => {
                // Check it parses; send the stored bytes as they are.
                full()?;
                External::octets(known::usmarc(), marc.to_vec())
            }
            Format::Marc { brief: true } => {
                let rec = brief(&full()?);
                External::octets(known::usmarc(), quire_marc::iso2709::to_bytes(&rec).ok()?)
            }
            Format::MarcXml { brief: b } => {
                let mut rec = full()?;
                if b {
                    rec = brief(&rec);
                }
                let mut s = String::new();
                quire_marc::xml::write_record_into(&mut s, &rec, true);
                External::octets(known::xml(), s.into_bytes())
            }
            Format::Dc => External::octets(known::xml(), crate::dc::oai_dc(&full()?).into_bytes()),
            Format::Sutrs { brief: b } => {
                let rec = full()?;
                let text = if b {
                    brief_text(&rec)
                } else {
                    quire_marc::text::to_string(&rec)
                };
                External::sutrs(&text)
            }
            Format::Opac => {
                full()?;
                let view = self.lib.record_view(id, false).await.ok()?;
                let holdings = view
                    .items
                    .iter()
                    .map(|it| {
                        HoldingsRecord::HoldingsAndCirc(Box::new(HoldingsAndCirc {
                            nuc_code: Some(it.branch_code.clone()),
                            local_location: Some(it.branch.clone()),
                            shelving_location: it.location.clone(),
                            call_number: it.call_number.clone(),
                            copy_number: it.copy_number.clone(),
                            circulation: Some(vec![quire_z3950::CircRecord {
                                available_now: quire_library::search::AVAILABLE_STATUSES
                                    .contains(&it.status.as_str()),
                                item_id: Some(it.barcode.clone()),
                                restrictions: (!quire_library::search::AVAILABLE_STATUSES
                                    .contains(&it.status.as_str()))
                                .then(|| it.status.clone()),
                                ..Default::default()
                            }]),
                            ..Default::default()
                        }))
                    })
                    .collect::<Vec<_>>();
                External::opac(&OpacRecord {
                    bibliographic_record: Some(External::octets(known::usmarc(), marc.to_vec())),
                    holdings: (!holdings.is_empty()).then_some(holdings),
                })
            }
        })
    }

    fn delete_sets(&mut self, req: DeleteResultSetRequest) -> DeleteResultSetResponse {
        let mut statuses = Vec::new();
        let mut all_ok = true;
        if req.delete_function == 1 {
            self.sets.clear();
        } else {
            for name in req.result_set_list.clone().unwrap_or_default() {
                // 0 success, 1 resultSetDidNotExist
                let st = if self.sets.remove(&name).is_some() {
                    0
                } else {
                    all_ok = false;
                    1
                };
                statuses.push((name, st));
            }
        }
        DeleteResultSetResponse {
            reference_id: req.reference_id,
            delete_operation_status: if all_ok { 0 } else { 1 },
            delete_list_statuses: (!statuses.is_empty()).then_some(statuses),
            number_not_deleted: None,
            bulk_statuses: None,
            delete_message: None,
        }
    }

    async fn scan(&mut self, req: ScanRequest) -> ScanResponse {
        let fail = |d: Bib1Diag| ScanResponse {
            reference_id: req.reference_id.clone(),
            step_size: None,
            scan_status: 6,
            number_of_entries_returned: 0,
            position_of_term: None,
            entries: None,
            diagnostics: Some(vec![DiagRec::Default(diag(&d))]),
            attribute_set: None,
        };
        if let Err(d) = self.check_databases(&req.database_names) {
            return fail(d);
        }
        if let Some(set) = &req.attribute_set
            && *set != known::bib1_attributes()
        {
            return fail(Bib1Diag::new(121, set.to_string()));
        }
        if req.step_size.is_some_and(|s| s != 0) {
            return fail(Bib1Diag::new(205, ""));
        }
        let (field, from) = match scan_target(&req.term_list_and_start_point) {
            Ok(x) => x,
            Err(d) => return fail(d),
        };
        let n = req.number_of_terms_requested.clamp(0, MAX_SCAN_TERMS) as usize;
        let pos = req
            .preferred_position_in_response
            .unwrap_or(1)
            .clamp(1, n as i64 + 1) as usize;
        let before = (pos - 1).min(n);
        let after = n - before;
        let entries = match self.lib.browse(field, from.clone(), before, after).await {
            Ok(e) => e,
            Err(e) => return fail(service_diag(&e)),
        };
        let start_key = BrowseField::start_key(field, &from);
        let preceding = entries
            .iter()
            .filter(|e| e.sort_key.as_str() < start_key.as_str())
            .count();
        let list: Vec<ScanEntry> = entries
            .iter()
            .map(|e| {
                ScanEntry::TermInfo(TermInfo {
                    term: Term::General(e.term.clone().into_bytes()),
                    display_term: None,
                    global_occurrences: Some(e.count as i64),
                })
            })
            .collect();
        ScanResponse {
            reference_id: req.reference_id.clone(),
            step_size: Some(0),
            scan_status: 0,
            number_of_entries_returned: list.len() as i64,
            position_of_term: Some(preceding as i64 + 1),
            entries: Some(list),
            diagnostics: None,
            attribute_set: None,
        }
    }
}

/// What a Present returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Marc { brief: bool },
    MarcXml { brief: bool },
    Dc,
    Sutrs { brief: bool },
    Opac,
}

impl Format {
    fn choose(
        syntax: Option<&quire_z3950::Oid>,
        esn: Option<&ElementSetNames>,
    ) -> Result<Format, Bib1Diag> {
        let name = match esn {
            None => "F".to_string(),
            Some(ElementSetNames::Generic(n)) => n.clone(),
            Some(ElementSetNames::DatabaseSpecific(list)) => list
                .first()
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| "F".into()),
        };
        let lower = name.to_ascii_lowercase();
        let brief = match lower.as_str() {
            "f" | "" => false,
            "b" => true,
            "marcxml" | "dc" => false,
            _ => return Err(Bib1Diag::new(25, name)),
        };
        let usmarc = known::usmarc();
        let xml = known::xml();
        let app_xml = known::application_xml();
        match syntax {
            None => Ok(if lower == "marcxml" {
                Format::MarcXml { brief }
            } else if lower == "dc" {
                Format::Dc
            } else {
                Format::Marc { brief }
            }),
            Some(s) if *s == usmarc && lower != "dc" => Ok(Format::Marc { brief }),
            Some(s) if *s == xml || *s == app_xml => Ok(if lower == "dc" {
                Format::Dc
            } else {
                Format::MarcXml { brief }
            }),
            Some(s) if *s == known::sutrs() && lower != "dc" => Ok(Format::Sutrs { brief }),
            Some(s) if *s == known::opac() && lower != "dc" => Ok(Format::Opac),
            Some(s) if *s == usmarc || *s == known::sutrs() || *s == known::opac() => {
                Err(Bib1Diag::new(25, name))
            }
            Some(s) => Err(Bib1Diag::new(239, s.to_string())),
        }
    }
}

/// Fields of a brief (element set B) record.
const BRIEF_TAGS: &[&str] = &[
    "001", "003", "005", "008", "010", "020", "022", "035", "040", "050", "082", "100", "110",
    "111", "130", "245", "250", "260", "264", "300", "490",
];

fn brief(rec: &quire_marc::Record) -> quire_marc::Record {
    quire_marc::Record {
        leader: rec.leader,
        fields: rec
            .fields
            .iter()
            .filter(|f| BRIEF_TAGS.contains(&f.tag().as_str()))
            .cloned()
            .collect(),
    }
}

fn brief_text(rec: &quire_marc::Record) -> String {
    let s = quire_marc::bib::summarize(rec);
    let mut out = String::new();
    if let Some(t) = &s.title {
        out.push_str(&format!("Title: {t}\n"));
    }
    for a in &s.authors {
        out.push_str(&format!("Author: {}\n", a.name));
    }
    if let Some(p) = &s.publisher {
        out.push_str(&format!("Publisher: {p}\n"));
    }
    if let Some(d) = &s.date {
        out.push_str(&format!("Date: {d}\n"));
    }
    for i in &s.isbns {
        out.push_str(&format!("ISBN: {}\n", i.value));
    }
    if let Some(cn) = rec.control_number() {
        out.push_str(&format!("Control number: {cn}\n"));
    }
    out
}

fn ext_len(e: &External) -> usize {
    match &e.encoding {
        quire_z3950::ExternalEncoding::OctetAligned(b)
        | quire_z3950::ExternalEncoding::SingleAsn1Type(b)
        | quire_z3950::ExternalEncoding::Arbitrary(b) => b.len() + 32,
    }
}

fn diag(d: &Bib1Diag) -> DefaultDiagFormat {
    DefaultDiagFormat::bib1(d.code, &d.addinfo)
}

/// A service failure as a Bib-1 diagnostic: 2 (temporary) when the
/// library is busy, 1 otherwise; the addinfo is the error code's name.
fn service_diag(e: &quire_library::Error) -> Bib1Diag {
    let spec = e.code.spec();
    let code = if spec.name == "busy" { 2 } else { 1 };
    Bib1Diag::new(code, spec.name)
}
