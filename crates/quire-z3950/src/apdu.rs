//! The Z39.50 APDUs Quire implements, with their BER codec.

use crate::ber::{
    BitString, Class, Element, Tag, Writer, read_element, to_definite, universal as u,
};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::external::{External, decode_external, decode_external_body, encode_external};
use crate::oid::{Oid, known};
use crate::query::{
    AttributesPlusTerm, Query, Term, decode_apt, decode_query, decode_term, encode_apt,
    encode_query, encode_term,
};

/// A Z39.50 APDU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Apdu {
    /// `[20]`
    InitRequest(InitRequest),
    /// `[21]`
    InitResponse(InitResponse),
    /// `[22]`
    SearchRequest(SearchRequest),
    /// `[23]`
    SearchResponse(SearchResponse),
    /// `[24]`
    PresentRequest(PresentRequest),
    /// `[25]`
    PresentResponse(PresentResponse),
    /// `[26]`
    DeleteResultSetRequest(DeleteResultSetRequest),
    /// `[27]`
    DeleteResultSetResponse(DeleteResultSetResponse),
    /// `[35]`
    ScanRequest(ScanRequest),
    /// `[36]`
    ScanResponse(ScanResponse),
    /// `[48]`
    Close(Close),
}

/// APDU tag numbers.
pub mod tags {
    /// initRequest
    pub const INIT_REQUEST: u32 = 20;
    /// initResponse
    pub const INIT_RESPONSE: u32 = 21;
    /// searchRequest
    pub const SEARCH_REQUEST: u32 = 22;
    /// searchResponse
    pub const SEARCH_RESPONSE: u32 = 23;
    /// presentRequest
    pub const PRESENT_REQUEST: u32 = 24;
    /// presentResponse
    pub const PRESENT_RESPONSE: u32 = 25;
    /// deleteResultSetRequest
    pub const DELETE_RESULT_SET_REQUEST: u32 = 26;
    /// deleteResultSetResponse
    pub const DELETE_RESULT_SET_RESPONSE: u32 = 27;
    /// scanRequest
    pub const SCAN_REQUEST: u32 = 35;
    /// scanResponse
    pub const SCAN_RESPONSE: u32 = 36;
    /// close
    pub const CLOSE: u32 = 48;
}

/// Init option bit numbers (`Options` BIT STRING).
pub mod options {
    /// search
    pub const SEARCH: usize = 0;
    /// present
    pub const PRESENT: usize = 1;
    /// delSet
    pub const DEL_SET: usize = 2;
    /// resourceReport
    pub const RESOURCE_REPORT: usize = 3;
    /// triggerResourceCtrl
    pub const TRIGGER_RESOURCE_CTRL: usize = 4;
    /// resourceCtrl
    pub const RESOURCE_CTRL: usize = 5;
    /// accessCtrl
    pub const ACCESS_CTRL: usize = 6;
    /// scan
    pub const SCAN: usize = 7;
    /// sort
    pub const SORT: usize = 8;
    /// extendedServices
    pub const EXTENDED_SERVICES: usize = 10;
    /// level-1Segmentation
    pub const LEVEL1_SEGMENTATION: usize = 11;
    /// level-2Segmentation
    pub const LEVEL2_SEGMENTATION: usize = 12;
    /// concurrentOperations
    pub const CONCURRENT_OPERATIONS: usize = 13;
    /// namedResultSets
    pub const NAMED_RESULT_SETS: usize = 14;
    /// encapsulation
    pub const ENCAPSULATION: usize = 15;
    /// resultCount
    pub const RESULT_COUNT: usize = 16;
    /// negotiationModel
    pub const NEGOTIATION_MODEL: usize = 17;
    /// duplicateDetection
    pub const DUPLICATE_DETECTION: usize = 18;
    /// queryType104
    pub const QUERY_TYPE_104: usize = 19;
    /// pQESCorrection
    pub const PQES_CORRECTION: usize = 20;
    /// stringSchema
    pub const STRING_SCHEMA: usize = 21;
}

/// `IdAuthentication ::= CHOICE` (`[7]`, explicit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdAuthentication {
    /// `open VisibleString` — YAZ sends `user/password`.
    Open(String),
    /// `idPass SEQUENCE { groupId [0], userId [1], password [2] }`.
    IdPass {
        /// groupId
        group_id: Option<String>,
        /// userId
        user_id: Option<String>,
        /// password
        password: Option<String>,
    },
    /// `anonymous NULL`
    Anonymous,
    /// `other EXTERNAL`
    Other(External),
}

/// `InitializeRequest` (`[20]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitRequest {
    /// `referenceId [2]` — echo in the response.
    pub reference_id: Option<Vec<u8>>,
    /// `protocolVersion [3]`: bit 0 v1, 1 v2, 2 v3.
    pub protocol_version: BitString,
    /// `options [4]`: see [`options`].
    pub options: BitString,
    /// `preferredMessageSize [5]`
    pub preferred_message_size: i64,
    /// `exceptionalRecordSize [6]`
    pub exceptional_record_size: i64,
    /// `idAuthentication [7]`
    pub id_authentication: Option<IdAuthentication>,
    /// `implementationId [110]`
    pub implementation_id: Option<String>,
    /// `implementationName [111]`
    pub implementation_name: Option<String>,
    /// `implementationVersion [112]`
    pub implementation_version: Option<String>,
    /// `userInformationField [11]`
    pub user_information: Option<External>,
    /// `otherInfo [201]`, undecoded (complete BER of the element). Carries
    /// character-set negotiation (1.2.840.10003.15.3) from YAZ clients.
    pub other_info: Option<Vec<u8>>,
}

/// `InitializeResponse` (`[21]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitResponse {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `protocolVersion [3]`
    pub protocol_version: BitString,
    /// `options [4]`
    pub options: BitString,
    /// `preferredMessageSize [5]`
    pub preferred_message_size: i64,
    /// `exceptionalRecordSize [6]`
    pub exceptional_record_size: i64,
    /// `result [12]`: accept (true) or reject.
    pub result: bool,
    /// `implementationId [110]`
    pub implementation_id: Option<String>,
    /// `implementationName [111]`
    pub implementation_name: Option<String>,
    /// `implementationVersion [112]`
    pub implementation_version: Option<String>,
    /// `userInformationField [11]` (e.g. a diagnostic on reject).
    pub user_information: Option<External>,
    /// `otherInfo [201]`, undecoded.
    pub other_info: Option<Vec<u8>>,
}

/// `ElementSetNames ::= CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElementSetNames {
    /// `genericElementSetName [0]` — `F` full, `B` brief.
    Generic(String),
    /// `databaseSpecific [1]`: (database, element set name) pairs.
    DatabaseSpecific(Vec<(String, String)>),
}

/// `SearchRequest` (`[22]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `smallSetUpperBound [13]`
    pub small_set_upper_bound: i64,
    /// `largeSetLowerBound [14]`
    pub large_set_lower_bound: i64,
    /// `mediumSetPresentNumber [15]`
    pub medium_set_present_number: i64,
    /// `replaceIndicator [16]`
    pub replace_indicator: bool,
    /// `resultSetName [17]` (usually `default`).
    pub result_set_name: String,
    /// `databaseNames [18]`
    pub database_names: Vec<String>,
    /// `smallSetElementSetNames [100]`
    pub small_set_element_set_names: Option<ElementSetNames>,
    /// `mediumSetElementSetNames [101]`
    pub medium_set_element_set_names: Option<ElementSetNames>,
    /// `preferredRecordSyntax [104]`
    pub preferred_record_syntax: Option<Oid>,
    /// `query [21]`
    pub query: Query,
}

/// `SearchResponse` (`[23]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResponse {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `resultCount [23]`
    pub result_count: i64,
    /// `numberOfRecordsReturned [24]`
    pub number_of_records_returned: i64,
    /// `nextResultSetPosition [25]`
    pub next_result_set_position: i64,
    /// `searchStatus [22]`
    pub search_status: bool,
    /// `resultSetStatus [26]`: 1 subset, 2 interim, 3 none (only when
    /// searchStatus is false).
    pub result_set_status: Option<i64>,
    /// `presentStatus [27]`: 0 success ... 5 failure.
    pub present_status: Option<i64>,
    /// Records or diagnostics.
    pub records: Option<Records>,
}

/// `PresentRequest` (`[24]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentRequest {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `resultSetId [31]`
    pub result_set_id: String,
    /// `resultSetStartPoint [30]` (1-based).
    pub start_point: i64,
    /// `numberOfRecordsRequested [29]`
    pub number_of_records: i64,
    /// `recordComposition simple [19]` (complex `[209]` is not supported
    /// and is reported as [`DecodeErrorKind::Unsupported`]).
    pub element_set_names: Option<ElementSetNames>,
    /// `preferredRecordSyntax [104]`
    pub preferred_record_syntax: Option<Oid>,
    /// `maxSegmentCount [204]`
    pub max_segment_count: Option<i64>,
    /// `maxRecordSize [206]`
    pub max_record_size: Option<i64>,
    /// `maxSegmentSize [207]`
    pub max_segment_size: Option<i64>,
}

/// `PresentResponse` (`[25]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentResponse {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `numberOfRecordsReturned [24]`
    pub number_of_records_returned: i64,
    /// `nextResultSetPosition [25]`
    pub next_result_set_position: i64,
    /// `presentStatus [27]`
    pub present_status: i64,
    /// Records or diagnostics.
    pub records: Option<Records>,
}

/// `DeleteResultSetRequest` (`[26]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteResultSetRequest {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `deleteFunction [32]`: 0 list, 1 all.
    pub delete_function: i64,
    /// `resultSetList` (for `list`).
    pub result_set_list: Option<Vec<String>>,
}

/// `DeleteResultSetResponse` (`[27]`).
///
/// Status values (`DeleteSetStatus`): 0 success, 1 resultSetDidNotExist,
/// 2 previouslyDeletedByTarget, 3 systemProblemAtTarget, 4 accessNotAllowed,
/// 5 resourceControlAtOrigin, 6 resourceControlAtTarget,
/// 7 bulkDeleteNotSupported, 8 notAllRsltSetsDeletedOnBulkDlte,
/// 9 notAllRequestedResultSetsDeleted, 10 resultSetInUse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteResultSetResponse {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `deleteOperationStatus [0]`
    pub delete_operation_status: i64,
    /// `deleteListStatuses [1]`: (result set, status) pairs.
    pub delete_list_statuses: Option<Vec<(String, i64)>>,
    /// `numberNotDeleted [34]`
    pub number_not_deleted: Option<i64>,
    /// `bulkStatuses [35]`
    pub bulk_statuses: Option<Vec<(String, i64)>>,
    /// `deleteMessage [36]`
    pub delete_message: Option<String>,
}

/// `Records ::= CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Records {
    /// `responseRecords [28]`
    ResponseRecords(Vec<NamePlusRecord>),
    /// `nonSurrogateDiagnostic [130]`
    NonSurrogateDiagnostic(DefaultDiagFormat),
    /// `multipleNonSurDiagnostics [205]`
    MultipleNonSurDiagnostics(Vec<DiagRec>),
}

/// `NamePlusRecord`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePlusRecord {
    /// `name [0]`: database name.
    pub name: Option<String>,
    /// `record [1]`
    pub record: RecordContent,
}

/// `record CHOICE` of NamePlusRecord (fragments are not supported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordContent {
    /// `retrievalRecord [1] EXTERNAL`
    Retrieval(External),
    /// `surrogateDiagnostic [2] DiagRec` (e.g. Bib-1 238/239 for one record).
    SurrogateDiagnostic(DiagRec),
}

/// `DiagRec ::= CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagRec {
    /// `defaultFormat`
    Default(DefaultDiagFormat),
    /// `externallyDefined EXTERNAL`
    External(External),
}

/// `DefaultDiagFormat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultDiagFormat {
    /// `diagnosticSetId` — Bib-1 diagnostics 1.2.840.10003.4.1.
    pub diagnostic_set_id: Oid,
    /// `condition` — the diagnostic number.
    pub condition: i64,
    /// `addinfo`, always sent (the ASN.1 makes it mandatory and YAZ
    /// rejects a diagnostic without it; empty = nothing to add). Encoded as
    /// v2 VisibleString when ASCII, else v3 InternationalString; a missing
    /// addinfo on input decodes as empty.
    pub addinfo: String,
}

impl DefaultDiagFormat {
    /// A Bib-1 diagnostic.
    ///
    /// ```
    /// let d = quire_z3950::DefaultDiagFormat::bib1(114, "1016");
    /// assert_eq!(d.diagnostic_set_id.to_string(), "1.2.840.10003.4.1");
    /// ```
    pub fn bib1(condition: i64, addinfo: &str) -> Self {
        DefaultDiagFormat {
            diagnostic_set_id: known::bib1_diagnostics(),
            condition,
            addinfo: addinfo.to_string(),
        }
    }
}

/// `ScanRequest` (`[35]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRequest {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `databaseNames [3]`
    pub database_names: Vec<String>,
    /// `attributeSet` (optional default set).
    pub attribute_set: Option<Oid>,
    /// `termListAndStartPoint`
    pub term_list_and_start_point: AttributesPlusTerm,
    /// `stepSize [5]`
    pub step_size: Option<i64>,
    /// `numberOfTermsRequested [6]`
    pub number_of_terms_requested: i64,
    /// `preferredPositionInResponse [7]` (1-based).
    pub preferred_position_in_response: Option<i64>,
}

/// `ScanResponse` (`[36]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanResponse {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `stepSize [3]`
    pub step_size: Option<i64>,
    /// `scanStatus [4]`: 0 success, 1-5 partial, 6 failure.
    pub scan_status: i64,
    /// `numberOfEntriesReturned [5]`
    pub number_of_entries_returned: i64,
    /// `positionOfTerm [6]`
    pub position_of_term: Option<i64>,
    /// `entries [7] ListEntries { entries [1] }`
    pub entries: Option<Vec<ScanEntry>>,
    /// `entries [7] ListEntries { nonsurrogateDiagnostics [2] }`
    pub diagnostics: Option<Vec<DiagRec>>,
    /// `attributeSet [8]`
    pub attribute_set: Option<Oid>,
}

/// `Entry ::= CHOICE` of a scan list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanEntry {
    /// `termInfo [1]`
    TermInfo(TermInfo),
    /// `surrogateDiagnostic [2]`
    SurrogateDiagnostic(DiagRec),
}

/// `TermInfo` (the parts Quire uses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermInfo {
    /// `term`
    pub term: Term,
    /// `displayTerm [0]`
    pub display_term: Option<String>,
    /// `globalOccurrences [2]`
    pub global_occurrences: Option<i64>,
}

/// `Close` (`[48]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    /// `referenceId [2]`
    pub reference_id: Option<Vec<u8>>,
    /// `closeReason [211]`
    pub close_reason: CloseReason,
    /// `diagnosticInformation [3]`
    pub diagnostic_information: Option<String>,
}

/// `CloseReason` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// 0
    Finished,
    /// 1
    Shutdown,
    /// 2
    SystemProblem,
    /// 3
    CostLimit,
    /// 4
    Resources,
    /// 5
    SecurityViolation,
    /// 6 — send on undecodable input.
    ProtocolError,
    /// 7 — send on idle timeout.
    LackOfActivity,
    /// 8
    PeerAbort,
    /// 9
    Unspecified,
    /// Any other value received.
    Other(i64),
}

impl CloseReason {
    /// The wire value.
    pub fn code(self) -> i64 {
        match self {
            CloseReason::Finished => 0,
            CloseReason::Shutdown => 1,
            CloseReason::SystemProblem => 2,
            CloseReason::CostLimit => 3,
            CloseReason::Resources => 4,
            CloseReason::SecurityViolation => 5,
            CloseReason::ProtocolError => 6,
            CloseReason::LackOfActivity => 7,
            CloseReason::PeerAbort => 8,
            CloseReason::Unspecified => 9,
            CloseReason::Other(n) => n,
        }
    }

    /// From the wire value.
    pub fn from_code(n: i64) -> CloseReason {
        match n {
            0 => CloseReason::Finished,
            1 => CloseReason::Shutdown,
            2 => CloseReason::SystemProblem,
            3 => CloseReason::CostLimit,
            4 => CloseReason::Resources,
            5 => CloseReason::SecurityViolation,
            6 => CloseReason::ProtocolError,
            7 => CloseReason::LackOfActivity,
            8 => CloseReason::PeerAbort,
            9 => CloseReason::Unspecified,
            n => CloseReason::Other(n),
        }
    }
}

// ================================================================== encode

impl Apdu {
    /// The APDU's context tag number.
    pub fn tag_number(&self) -> u32 {
        match self {
            Apdu::InitRequest(_) => tags::INIT_REQUEST,
            Apdu::InitResponse(_) => tags::INIT_RESPONSE,
            Apdu::SearchRequest(_) => tags::SEARCH_REQUEST,
            Apdu::SearchResponse(_) => tags::SEARCH_RESPONSE,
            Apdu::PresentRequest(_) => tags::PRESENT_REQUEST,
            Apdu::PresentResponse(_) => tags::PRESENT_RESPONSE,
            Apdu::DeleteResultSetRequest(_) => tags::DELETE_RESULT_SET_REQUEST,
            Apdu::DeleteResultSetResponse(_) => tags::DELETE_RESULT_SET_RESPONSE,
            Apdu::ScanRequest(_) => tags::SCAN_REQUEST,
            Apdu::ScanResponse(_) => tags::SCAN_RESPONSE,
            Apdu::Close(_) => tags::CLOSE,
        }
    }

    /// The APDU's referenceId, if any.
    pub fn reference_id(&self) -> Option<&[u8]> {
        match self {
            Apdu::InitRequest(x) => x.reference_id.as_deref(),
            Apdu::InitResponse(x) => x.reference_id.as_deref(),
            Apdu::SearchRequest(x) => x.reference_id.as_deref(),
            Apdu::SearchResponse(x) => x.reference_id.as_deref(),
            Apdu::PresentRequest(x) => x.reference_id.as_deref(),
            Apdu::PresentResponse(x) => x.reference_id.as_deref(),
            Apdu::DeleteResultSetRequest(x) => x.reference_id.as_deref(),
            Apdu::DeleteResultSetResponse(x) => x.reference_id.as_deref(),
            Apdu::ScanRequest(x) => x.reference_id.as_deref(),
            Apdu::ScanResponse(x) => x.reference_id.as_deref(),
            Apdu::Close(x) => x.reference_id.as_deref(),
        }
    }

    /// BER-encode (definite lengths).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.constructed(Tag::ctx_c(self.tag_number()), |w| match self {
            Apdu::InitRequest(r) => enc_init_request(w, r),
            Apdu::InitResponse(r) => enc_init_response(w, r),
            Apdu::SearchRequest(r) => enc_search_request(w, r),
            Apdu::SearchResponse(r) => enc_search_response(w, r),
            Apdu::PresentRequest(r) => enc_present_request(w, r),
            Apdu::PresentResponse(r) => enc_present_response(w, r),
            Apdu::DeleteResultSetRequest(r) => enc_delete_request(w, r),
            Apdu::DeleteResultSetResponse(r) => enc_delete_response(w, r),
            Apdu::ScanRequest(r) => enc_scan_request(w, r),
            Apdu::ScanResponse(r) => enc_scan_response(w, r),
            Apdu::Close(r) => enc_close(w, r),
        });
        w.into_bytes()
    }

    /// Decode exactly one APDU from `bytes` (use [`crate::pdu_length`] to
    /// frame a stream first). Unknown APDU tags give
    /// [`DecodeErrorKind::UnsupportedApdu`]; nothing here panics.
    pub fn decode(bytes: &[u8]) -> Result<Apdu, DecodeError> {
        let (el, n) = read_element(bytes, 0)?;
        if n != bytes.len() {
            return Err(DecodeError::new(DecodeErrorKind::TrailingData, n, "APDU"));
        }
        if el.tag.class != Class::Context || !el.tag.constructed {
            return Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "APDU"));
        }
        Ok(match el.tag.number {
            tags::INIT_REQUEST => Apdu::InitRequest(dec_init_request(&el)?),
            tags::INIT_RESPONSE => Apdu::InitResponse(dec_init_response(&el)?),
            tags::SEARCH_REQUEST => Apdu::SearchRequest(dec_search_request(&el)?),
            tags::SEARCH_RESPONSE => Apdu::SearchResponse(dec_search_response(&el)?),
            tags::PRESENT_REQUEST => Apdu::PresentRequest(dec_present_request(&el)?),
            tags::PRESENT_RESPONSE => Apdu::PresentResponse(dec_present_response(&el)?),
            tags::DELETE_RESULT_SET_REQUEST => {
                Apdu::DeleteResultSetRequest(dec_delete_request(&el)?)
            }
            tags::DELETE_RESULT_SET_RESPONSE => {
                Apdu::DeleteResultSetResponse(dec_delete_response(&el)?)
            }
            tags::SCAN_REQUEST => Apdu::ScanRequest(dec_scan_request(&el)?),
            tags::SCAN_RESPONSE => Apdu::ScanResponse(dec_scan_response(&el)?),
            tags::CLOSE => Apdu::Close(dec_close(&el)?),
            n => return Err(el.err(DecodeErrorKind::UnsupportedApdu(n), "APDU")),
        })
    }
}

fn ref_id(w: &mut Writer, r: &Option<Vec<u8>>) {
    if let Some(r) = r {
        w.primitive(Tag::ctx(2), r);
    }
}

/// InternationalString fields: GeneralString under an implicit tag.
fn istr(w: &mut Writer, n: u32, v: &Option<String>) {
    w.opt_string(Tag::ctx(n), v.as_deref());
}

fn enc_init_request(w: &mut Writer, r: &InitRequest) {
    ref_id(w, &r.reference_id);
    w.bits(Tag::ctx(3), &r.protocol_version);
    w.bits(Tag::ctx(4), &r.options);
    w.integer(Tag::ctx(5), r.preferred_message_size);
    w.integer(Tag::ctx(6), r.exceptional_record_size);
    if let Some(a) = &r.id_authentication {
        w.constructed(Tag::ctx_c(7), |w| match a {
            IdAuthentication::Open(s) => w.primitive(Tag::univ(u::VISIBLE_STRING), s.as_bytes()),
            IdAuthentication::IdPass {
                group_id,
                user_id,
                password,
            } => w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                istr(w, 0, group_id);
                istr(w, 1, user_id);
                istr(w, 2, password);
            }),
            IdAuthentication::Anonymous => w.null(Tag::univ(u::NULL)),
            IdAuthentication::Other(e) => encode_external(w, e),
        });
    }
    istr(w, 110, &r.implementation_id);
    istr(w, 111, &r.implementation_name);
    istr(w, 112, &r.implementation_version);
    if let Some(e) = &r.user_information {
        w.constructed(Tag::ctx_c(11), |w| encode_external(w, e));
    }
    if let Some(o) = &r.other_info {
        w.raw(o);
    }
}

fn enc_init_response(w: &mut Writer, r: &InitResponse) {
    ref_id(w, &r.reference_id);
    w.bits(Tag::ctx(3), &r.protocol_version);
    w.bits(Tag::ctx(4), &r.options);
    w.integer(Tag::ctx(5), r.preferred_message_size);
    w.integer(Tag::ctx(6), r.exceptional_record_size);
    w.boolean(Tag::ctx(12), r.result);
    istr(w, 110, &r.implementation_id);
    istr(w, 111, &r.implementation_name);
    istr(w, 112, &r.implementation_version);
    if let Some(e) = &r.user_information {
        w.constructed(Tag::ctx_c(11), |w| encode_external(w, e));
    }
    if let Some(o) = &r.other_info {
        w.raw(o);
    }
}

fn enc_esn(w: &mut Writer, tag: Tag, e: &ElementSetNames) {
    w.constructed(tag, |w| match e {
        ElementSetNames::Generic(s) => w.primitive(Tag::ctx(0), s.as_bytes()),
        ElementSetNames::DatabaseSpecific(list) => w.constructed(Tag::ctx_c(1), |w| {
            for (db, esn) in list {
                w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                    w.primitive(Tag::ctx(105), db.as_bytes());
                    w.primitive(Tag::ctx(103), esn.as_bytes());
                });
            }
        }),
    });
}

fn enc_search_request(w: &mut Writer, r: &SearchRequest) {
    ref_id(w, &r.reference_id);
    w.integer(Tag::ctx(13), r.small_set_upper_bound);
    w.integer(Tag::ctx(14), r.large_set_lower_bound);
    w.integer(Tag::ctx(15), r.medium_set_present_number);
    w.boolean(Tag::ctx(16), r.replace_indicator);
    w.primitive(Tag::ctx(17), r.result_set_name.as_bytes());
    w.constructed(Tag::ctx_c(18), |w| {
        for db in &r.database_names {
            w.primitive(Tag::ctx(105), db.as_bytes());
        }
    });
    if let Some(e) = &r.small_set_element_set_names {
        enc_esn(w, Tag::ctx_c(100), e);
    }
    if let Some(e) = &r.medium_set_element_set_names {
        enc_esn(w, Tag::ctx_c(101), e);
    }
    if let Some(o) = &r.preferred_record_syntax {
        w.oid(Tag::ctx(104), o);
    }
    w.constructed(Tag::ctx_c(21), |w| encode_query(w, &r.query));
}

fn enc_diag_format(w: &mut Writer, tag: Tag, d: &DefaultDiagFormat) {
    w.constructed(tag, |w| {
        w.oid(Tag::univ(u::OID), &d.diagnostic_set_id);
        w.integer(Tag::univ(u::INTEGER), d.condition);
        let t = if d.addinfo.is_ascii() {
            u::VISIBLE_STRING
        } else {
            u::GENERAL_STRING
        };
        w.primitive(Tag::univ(t), d.addinfo.as_bytes());
    });
}

fn enc_diag_rec(w: &mut Writer, d: &DiagRec) {
    match d {
        DiagRec::Default(f) => enc_diag_format(w, Tag::univ_c(u::SEQUENCE), f),
        DiagRec::External(e) => encode_external(w, e),
    }
}

fn enc_records(w: &mut Writer, r: &Records) {
    match r {
        Records::ResponseRecords(list) => w.constructed(Tag::ctx_c(28), |w| {
            for npr in list {
                w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                    if let Some(n) = &npr.name {
                        w.primitive(Tag::ctx(0), n.as_bytes());
                    }
                    w.constructed(Tag::ctx_c(1), |w| match &npr.record {
                        RecordContent::Retrieval(e) => {
                            w.constructed(Tag::ctx_c(1), |w| encode_external(w, e))
                        }
                        RecordContent::SurrogateDiagnostic(d) => {
                            w.constructed(Tag::ctx_c(2), |w| enc_diag_rec(w, d))
                        }
                    });
                });
            }
        }),
        Records::NonSurrogateDiagnostic(d) => enc_diag_format(w, Tag::ctx_c(130), d),
        Records::MultipleNonSurDiagnostics(list) => w.constructed(Tag::ctx_c(205), |w| {
            for d in list {
                enc_diag_rec(w, d);
            }
        }),
    }
}

fn enc_search_response(w: &mut Writer, r: &SearchResponse) {
    ref_id(w, &r.reference_id);
    w.integer(Tag::ctx(23), r.result_count);
    w.integer(Tag::ctx(24), r.number_of_records_returned);
    w.integer(Tag::ctx(25), r.next_result_set_position);
    w.boolean(Tag::ctx(22), r.search_status);
    w.opt_integer(Tag::ctx(26), r.result_set_status);
    w.opt_integer(Tag::ctx(27), r.present_status);
    if let Some(rec) = &r.records {
        enc_records(w, rec);
    }
}

fn enc_present_request(w: &mut Writer, r: &PresentRequest) {
    ref_id(w, &r.reference_id);
    w.primitive(Tag::ctx(31), r.result_set_id.as_bytes());
    w.integer(Tag::ctx(30), r.start_point);
    w.integer(Tag::ctx(29), r.number_of_records);
    if let Some(e) = &r.element_set_names {
        enc_esn(w, Tag::ctx_c(19), e);
    }
    if let Some(o) = &r.preferred_record_syntax {
        w.oid(Tag::ctx(104), o);
    }
    w.opt_integer(Tag::ctx(204), r.max_segment_count);
    w.opt_integer(Tag::ctx(206), r.max_record_size);
    w.opt_integer(Tag::ctx(207), r.max_segment_size);
}

fn enc_present_response(w: &mut Writer, r: &PresentResponse) {
    ref_id(w, &r.reference_id);
    w.integer(Tag::ctx(24), r.number_of_records_returned);
    w.integer(Tag::ctx(25), r.next_result_set_position);
    w.integer(Tag::ctx(27), r.present_status);
    if let Some(rec) = &r.records {
        enc_records(w, rec);
    }
}

fn enc_delete_request(w: &mut Writer, r: &DeleteResultSetRequest) {
    ref_id(w, &r.reference_id);
    w.integer(Tag::ctx(32), r.delete_function);
    if let Some(list) = &r.result_set_list {
        w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
            for name in list {
                w.primitive(Tag::ctx(31), name.as_bytes());
            }
        });
    }
}

fn enc_list_statuses(w: &mut Writer, tag: Tag, list: &[(String, i64)]) {
    w.constructed(tag, |w| {
        for (id, status) in list {
            w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                w.primitive(Tag::ctx(31), id.as_bytes());
                w.integer(Tag::ctx(33), *status);
            });
        }
    });
}

fn enc_delete_response(w: &mut Writer, r: &DeleteResultSetResponse) {
    ref_id(w, &r.reference_id);
    w.integer(Tag::ctx(0), r.delete_operation_status);
    if let Some(l) = &r.delete_list_statuses {
        enc_list_statuses(w, Tag::ctx_c(1), l);
    }
    w.opt_integer(Tag::ctx(34), r.number_not_deleted);
    if let Some(l) = &r.bulk_statuses {
        enc_list_statuses(w, Tag::ctx_c(35), l);
    }
    istr(w, 36, &r.delete_message);
}

fn enc_scan_request(w: &mut Writer, r: &ScanRequest) {
    ref_id(w, &r.reference_id);
    w.constructed(Tag::ctx_c(3), |w| {
        for db in &r.database_names {
            w.primitive(Tag::ctx(105), db.as_bytes());
        }
    });
    if let Some(o) = &r.attribute_set {
        w.oid(Tag::univ(u::OID), o);
    }
    encode_apt(w, &r.term_list_and_start_point);
    w.opt_integer(Tag::ctx(5), r.step_size);
    w.integer(Tag::ctx(6), r.number_of_terms_requested);
    w.opt_integer(Tag::ctx(7), r.preferred_position_in_response);
}

fn enc_scan_response(w: &mut Writer, r: &ScanResponse) {
    ref_id(w, &r.reference_id);
    w.opt_integer(Tag::ctx(3), r.step_size);
    w.integer(Tag::ctx(4), r.scan_status);
    w.integer(Tag::ctx(5), r.number_of_entries_returned);
    w.opt_integer(Tag::ctx(6), r.position_of_term);
    if r.entries.is_some() || r.diagnostics.is_some() {
        w.constructed(Tag::ctx_c(7), |w| {
            if let Some(es) = &r.entries {
                w.constructed(Tag::ctx_c(1), |w| {
                    for e in es {
                        match e {
                            ScanEntry::TermInfo(ti) => w.constructed(Tag::ctx_c(1), |w| {
                                encode_term(w, &ti.term);
                                istr(w, 0, &ti.display_term);
                                w.opt_integer(Tag::ctx(2), ti.global_occurrences);
                            }),
                            ScanEntry::SurrogateDiagnostic(d) => {
                                w.constructed(Tag::ctx_c(2), |w| enc_diag_rec(w, d))
                            }
                        }
                    }
                });
            }
            if let Some(ds) = &r.diagnostics {
                w.constructed(Tag::ctx_c(2), |w| {
                    for d in ds {
                        enc_diag_rec(w, d);
                    }
                });
            }
        });
    }
    if let Some(o) = &r.attribute_set {
        w.oid(Tag::ctx(8), o);
    }
}

fn enc_close(w: &mut Writer, r: &Close) {
    ref_id(w, &r.reference_id);
    w.integer(Tag::ctx(211), r.close_reason.code());
    istr(w, 3, &r.diagnostic_information);
}

// ================================================================== decode

fn missing(el: &Element<'_>, field: &'static str) -> DecodeError {
    el.err(DecodeErrorKind::MissingField, field)
}

fn need<T>(v: Option<T>, el: &Element<'_>, field: &'static str) -> Result<T, DecodeError> {
    v.ok_or_else(|| missing(el, field))
}

fn dec_id_auth(el: &Element<'_>) -> Result<IdAuthentication, DecodeError> {
    let i = el.explicit_inner("idAuthentication")?;
    match (i.tag.class, i.tag.number) {
        (Class::Universal, u::VISIBLE_STRING) | (Class::Universal, u::GENERAL_STRING) => {
            Ok(IdAuthentication::Open(i.string("idAuthentication.open")?))
        }
        (Class::Universal, u::SEQUENCE) => {
            let (mut g, mut us, mut p) = (None, None, None);
            for c in i.children("idAuthentication.idPass")? {
                let c = c?;
                match (c.tag.class, c.tag.number) {
                    (Class::Context, 0) => g = Some(c.string("idPass.groupId")?),
                    (Class::Context, 1) => us = Some(c.string("idPass.userId")?),
                    (Class::Context, 2) => p = Some(c.string("idPass.password")?),
                    _ => {}
                }
            }
            Ok(IdAuthentication::IdPass {
                group_id: g,
                user_id: us,
                password: p,
            })
        }
        (Class::Universal, u::NULL) => Ok(IdAuthentication::Anonymous),
        (Class::Universal, u::EXTERNAL) => Ok(IdAuthentication::Other(decode_external(&i)?)),
        _ => Err(i.err(DecodeErrorKind::UnexpectedTag(i.tag), "idAuthentication")),
    }
}

struct InitCommon {
    reference_id: Option<Vec<u8>>,
    protocol_version: Option<BitString>,
    options: Option<BitString>,
    pms: Option<i64>,
    ers: Option<i64>,
    id_auth: Option<IdAuthentication>,
    result: Option<bool>,
    impl_id: Option<String>,
    impl_name: Option<String>,
    impl_version: Option<String>,
    user_info: Option<External>,
    other_info: Option<Vec<u8>>,
}

fn dec_init_common(el: &Element<'_>, what: &'static str) -> Result<InitCommon, DecodeError> {
    let mut r = InitCommon {
        reference_id: None,
        protocol_version: None,
        options: None,
        pms: None,
        ers: None,
        id_auth: None,
        result: None,
        impl_id: None,
        impl_name: None,
        impl_version: None,
        user_info: None,
        other_info: None,
    };
    for c in el.children(what)? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => r.reference_id = Some(c.octets("referenceId")?),
            3 => r.protocol_version = Some(c.bits("protocolVersion")?),
            4 => r.options = Some(c.bits("options")?),
            5 => r.pms = Some(c.integer("preferredMessageSize")?),
            6 => r.ers = Some(c.integer("exceptionalRecordSize")?),
            7 => r.id_auth = Some(dec_id_auth(&c)?),
            11 => r.user_info = Some(decode_external(&c.explicit_inner("userInformationField")?)?),
            12 => r.result = Some(c.boolean("result")?),
            110 => r.impl_id = Some(c.string("implementationId")?),
            111 => r.impl_name = Some(c.string("implementationName")?),
            112 => r.impl_version = Some(c.string("implementationVersion")?),
            201 => r.other_info = Some(to_definite(&c)?),
            _ => {}
        }
    }
    Ok(r)
}

fn dec_init_request(el: &Element<'_>) -> Result<InitRequest, DecodeError> {
    let r = dec_init_common(el, "InitializeRequest")?;
    Ok(InitRequest {
        reference_id: r.reference_id,
        protocol_version: need(r.protocol_version, el, "InitializeRequest.protocolVersion")?,
        options: need(r.options, el, "InitializeRequest.options")?,
        preferred_message_size: need(r.pms, el, "InitializeRequest.preferredMessageSize")?,
        exceptional_record_size: need(r.ers, el, "InitializeRequest.exceptionalRecordSize")?,
        id_authentication: r.id_auth,
        implementation_id: r.impl_id,
        implementation_name: r.impl_name,
        implementation_version: r.impl_version,
        user_information: r.user_info,
        other_info: r.other_info,
    })
}

fn dec_init_response(el: &Element<'_>) -> Result<InitResponse, DecodeError> {
    let r = dec_init_common(el, "InitializeResponse")?;
    Ok(InitResponse {
        reference_id: r.reference_id,
        protocol_version: need(r.protocol_version, el, "InitializeResponse.protocolVersion")?,
        options: need(r.options, el, "InitializeResponse.options")?,
        preferred_message_size: need(r.pms, el, "InitializeResponse.preferredMessageSize")?,
        exceptional_record_size: need(r.ers, el, "InitializeResponse.exceptionalRecordSize")?,
        result: need(r.result, el, "InitializeResponse.result")?,
        implementation_id: r.impl_id,
        implementation_name: r.impl_name,
        implementation_version: r.impl_version,
        user_information: r.user_info,
        other_info: r.other_info,
    })
}

fn dec_esn(el: &Element<'_>) -> Result<ElementSetNames, DecodeError> {
    let i = el.explicit_inner("ElementSetNames")?;
    if i.tag.is_ctx(0) {
        Ok(ElementSetNames::Generic(i.string("genericElementSetName")?))
    } else if i.tag.is_ctx(1) {
        let mut out = Vec::new();
        for pair in i.children("databaseSpecific")? {
            let pair = pair?;
            let (mut db, mut esn) = (None, None);
            for c in pair.children("databaseSpecific")? {
                let c = c?;
                if c.tag.is_ctx(105) {
                    db = Some(c.string("dbName")?);
                } else if c.tag.is_ctx(103) {
                    esn = Some(c.string("esn")?);
                }
            }
            out.push((need(db, &pair, "dbName")?, need(esn, &pair, "esn")?));
        }
        Ok(ElementSetNames::DatabaseSpecific(out))
    } else {
        Err(i.err(DecodeErrorKind::UnexpectedTag(i.tag), "ElementSetNames"))
    }
}

fn dec_db_names(el: &Element<'_>) -> Result<Vec<String>, DecodeError> {
    let mut v = Vec::new();
    for c in el.children("databaseNames")? {
        v.push(c?.string("DatabaseName")?);
    }
    Ok(v)
}

fn dec_search_request(el: &Element<'_>) -> Result<SearchRequest, DecodeError> {
    const F: &str = "SearchRequest";
    let (mut rid, mut ssub, mut lslb, mut mspn, mut ri, mut rsn, mut dbs) =
        (None, None, None, None, None, None, None);
    let (mut sesn, mut mesn, mut prs, mut query) = (None, None, None, None);
    for c in el.children(F)? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => rid = Some(c.octets("referenceId")?),
            13 => ssub = Some(c.integer("smallSetUpperBound")?),
            14 => lslb = Some(c.integer("largeSetLowerBound")?),
            15 => mspn = Some(c.integer("mediumSetPresentNumber")?),
            16 => ri = Some(c.boolean("replaceIndicator")?),
            17 => rsn = Some(c.string("resultSetName")?),
            18 => dbs = Some(dec_db_names(&c)?),
            100 => sesn = Some(dec_esn(&c)?),
            101 => mesn = Some(dec_esn(&c)?),
            104 => prs = Some(c.oid("preferredRecordSyntax")?),
            21 => query = Some(decode_query(&c.explicit_inner("query")?)?),
            _ => {}
        }
    }
    Ok(SearchRequest {
        reference_id: rid,
        small_set_upper_bound: need(ssub, el, "SearchRequest.smallSetUpperBound")?,
        large_set_lower_bound: need(lslb, el, "SearchRequest.largeSetLowerBound")?,
        medium_set_present_number: need(mspn, el, "SearchRequest.mediumSetPresentNumber")?,
        replace_indicator: need(ri, el, "SearchRequest.replaceIndicator")?,
        result_set_name: need(rsn, el, "SearchRequest.resultSetName")?,
        database_names: need(dbs, el, "SearchRequest.databaseNames")?,
        small_set_element_set_names: sesn,
        medium_set_element_set_names: mesn,
        preferred_record_syntax: prs,
        query: need(query, el, "SearchRequest.query")?,
    })
}

fn dec_diag_format(el: &Element<'_>) -> Result<DefaultDiagFormat, DecodeError> {
    let (mut set, mut cond, mut add) = (None, None, None);
    for c in el.children("DefaultDiagFormat")? {
        let c = c?;
        match (c.tag.class, c.tag.number) {
            (Class::Universal, u::OID) => set = Some(c.oid("DefaultDiagFormat.diagnosticSetId")?),
            (Class::Universal, u::INTEGER) => {
                cond = Some(c.integer("DefaultDiagFormat.condition")?)
            }
            (Class::Universal, u::VISIBLE_STRING) | (Class::Universal, u::GENERAL_STRING) => {
                add = Some(c.string("DefaultDiagFormat.addinfo")?)
            }
            _ => {}
        }
    }
    Ok(DefaultDiagFormat {
        diagnostic_set_id: need(set, el, "DefaultDiagFormat.diagnosticSetId")?,
        condition: need(cond, el, "DefaultDiagFormat.condition")?,
        addinfo: add.unwrap_or_default(),
    })
}

fn dec_diag_rec(el: &Element<'_>) -> Result<DiagRec, DecodeError> {
    match (el.tag.class, el.tag.number) {
        (Class::Universal, u::SEQUENCE) => Ok(DiagRec::Default(dec_diag_format(el)?)),
        (Class::Universal, u::EXTERNAL) => Ok(DiagRec::External(decode_external(el)?)),
        _ => Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "DiagRec")),
    }
}

fn dec_diag_list(el: &Element<'_>, what: &'static str) -> Result<Vec<DiagRec>, DecodeError> {
    let mut v = Vec::new();
    for c in el.children(what)? {
        v.push(dec_diag_rec(&c?)?);
    }
    Ok(v)
}

/// Decode a `Records` CHOICE alternative; `None` if the tag is not one.
fn dec_records(el: &Element<'_>) -> Result<Option<Records>, DecodeError> {
    if el.tag.is_ctx(28) {
        let mut list = Vec::new();
        for npr in el.children("responseRecords")? {
            let npr = npr?;
            let (mut name, mut rec) = (None, None);
            for c in npr.children("NamePlusRecord")? {
                let c = c?;
                if c.tag.is_ctx(0) {
                    name = Some(c.string("NamePlusRecord.name")?);
                } else if c.tag.is_ctx(1) {
                    let choice = c.explicit_inner("NamePlusRecord.record")?;
                    rec = Some(match (choice.tag.class, choice.tag.number) {
                        (Class::Context, 1) => {
                            let e = choice.explicit_inner("retrievalRecord")?;
                            if e.tag.is(Class::Universal, u::EXTERNAL) {
                                RecordContent::Retrieval(decode_external(&e)?)
                            } else {
                                // Lenient: IMPLICIT-tagged EXTERNAL seen in the wild.
                                RecordContent::Retrieval(decode_external_body(&choice)?)
                            }
                        }
                        (Class::Context, 2) => RecordContent::SurrogateDiagnostic(dec_diag_rec(
                            &choice.explicit_inner("surrogateDiagnostic")?,
                        )?),
                        (Class::Context, 3..=5) => {
                            return Err(choice.err(
                                DecodeErrorKind::Unsupported("record fragments (segmentation)"),
                                "NamePlusRecord.record",
                            ));
                        }
                        _ => {
                            return Err(choice.err(
                                DecodeErrorKind::UnexpectedTag(choice.tag),
                                "NamePlusRecord.record",
                            ));
                        }
                    });
                }
            }
            list.push(NamePlusRecord {
                name,
                record: need(rec, &npr, "NamePlusRecord.record")?,
            });
        }
        Ok(Some(Records::ResponseRecords(list)))
    } else if el.tag.is_ctx(130) {
        Ok(Some(Records::NonSurrogateDiagnostic(dec_diag_format(el)?)))
    } else if el.tag.is_ctx(205) {
        Ok(Some(Records::MultipleNonSurDiagnostics(dec_diag_list(
            el,
            "multipleNonSurDiagnostics",
        )?)))
    } else {
        Ok(None)
    }
}

fn dec_search_response(el: &Element<'_>) -> Result<SearchResponse, DecodeError> {
    let (mut rid, mut count, mut nret, mut next, mut status, mut rss, mut ps, mut recs) =
        (None, None, None, None, None, None, None, None);
    for c in el.children("SearchResponse")? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => rid = Some(c.octets("referenceId")?),
            23 => count = Some(c.integer("resultCount")?),
            24 => nret = Some(c.integer("numberOfRecordsReturned")?),
            25 => next = Some(c.integer("nextResultSetPosition")?),
            22 => status = Some(c.boolean("searchStatus")?),
            26 => rss = Some(c.integer("resultSetStatus")?),
            27 => ps = Some(c.integer("presentStatus")?),
            _ => {
                if let Some(r) = dec_records(&c)? {
                    recs = Some(r);
                }
            }
        }
    }
    Ok(SearchResponse {
        reference_id: rid,
        result_count: need(count, el, "SearchResponse.resultCount")?,
        number_of_records_returned: need(nret, el, "SearchResponse.numberOfRecordsReturned")?,
        next_result_set_position: need(next, el, "SearchResponse.nextResultSetPosition")?,
        search_status: need(status, el, "SearchResponse.searchStatus")?,
        result_set_status: rss,
        present_status: ps,
        records: recs,
    })
}

fn dec_present_request(el: &Element<'_>) -> Result<PresentRequest, DecodeError> {
    let (mut rid, mut rs, mut start, mut num, mut esn, mut prs) =
        (None, None, None, None, None, None);
    let (mut msc, mut mrs, mut mss) = (None, None, None);
    for c in el.children("PresentRequest")? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => rid = Some(c.octets("referenceId")?),
            31 => rs = Some(c.string("resultSetId")?),
            30 => start = Some(c.integer("resultSetStartPoint")?),
            29 => num = Some(c.integer("numberOfRecordsRequested")?),
            19 => esn = Some(dec_esn(&c)?),
            209 => {
                return Err(c.err(
                    DecodeErrorKind::Unsupported("complex record composition (CompSpec)"),
                    "PresentRequest.recordComposition",
                ));
            }
            104 => prs = Some(c.oid("preferredRecordSyntax")?),
            204 => msc = Some(c.integer("maxSegmentCount")?),
            206 => mrs = Some(c.integer("maxRecordSize")?),
            207 => mss = Some(c.integer("maxSegmentSize")?),
            _ => {}
        }
    }
    Ok(PresentRequest {
        reference_id: rid,
        result_set_id: need(rs, el, "PresentRequest.resultSetId")?,
        start_point: need(start, el, "PresentRequest.resultSetStartPoint")?,
        number_of_records: need(num, el, "PresentRequest.numberOfRecordsRequested")?,
        element_set_names: esn,
        preferred_record_syntax: prs,
        max_segment_count: msc,
        max_record_size: mrs,
        max_segment_size: mss,
    })
}

fn dec_present_response(el: &Element<'_>) -> Result<PresentResponse, DecodeError> {
    let (mut rid, mut nret, mut next, mut ps, mut recs) = (None, None, None, None, None);
    for c in el.children("PresentResponse")? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => rid = Some(c.octets("referenceId")?),
            24 => nret = Some(c.integer("numberOfRecordsReturned")?),
            25 => next = Some(c.integer("nextResultSetPosition")?),
            27 => ps = Some(c.integer("presentStatus")?),
            _ => {
                if let Some(r) = dec_records(&c)? {
                    recs = Some(r);
                }
            }
        }
    }
    Ok(PresentResponse {
        reference_id: rid,
        number_of_records_returned: need(nret, el, "PresentResponse.numberOfRecordsReturned")?,
        next_result_set_position: need(next, el, "PresentResponse.nextResultSetPosition")?,
        present_status: need(ps, el, "PresentResponse.presentStatus")?,
        records: recs,
    })
}

fn dec_delete_request(el: &Element<'_>) -> Result<DeleteResultSetRequest, DecodeError> {
    let (mut rid, mut func, mut list) = (None, None, None);
    for c in el.children("DeleteResultSetRequest")? {
        let c = c?;
        match (c.tag.class, c.tag.number) {
            (Class::Context, 2) => rid = Some(c.octets("referenceId")?),
            (Class::Context, 32) => func = Some(c.integer("deleteFunction")?),
            (Class::Universal, u::SEQUENCE) => {
                let mut v = Vec::new();
                for n in c.children("resultSetList")? {
                    v.push(n?.string("ResultSetId")?);
                }
                list = Some(v);
            }
            _ => {}
        }
    }
    Ok(DeleteResultSetRequest {
        reference_id: rid,
        delete_function: need(func, el, "DeleteResultSetRequest.deleteFunction")?,
        result_set_list: list,
    })
}

fn dec_list_statuses(el: &Element<'_>) -> Result<Vec<(String, i64)>, DecodeError> {
    let mut out = Vec::new();
    for pair in el.children("ListStatuses")? {
        let pair = pair?;
        let (mut id, mut status) = (None, None);
        for c in pair.children("ListStatuses")? {
            let c = c?;
            if c.tag.is_ctx(31) {
                id = Some(c.string("ListStatuses.id")?);
            } else if c.tag.is_ctx(33) {
                status = Some(c.integer("ListStatuses.status")?);
            }
        }
        out.push((
            need(id, &pair, "ListStatuses.id")?,
            need(status, &pair, "ListStatuses.status")?,
        ));
    }
    Ok(out)
}

fn dec_delete_response(el: &Element<'_>) -> Result<DeleteResultSetResponse, DecodeError> {
    let mut r = DeleteResultSetResponse {
        reference_id: None,
        delete_operation_status: 0,
        delete_list_statuses: None,
        number_not_deleted: None,
        bulk_statuses: None,
        delete_message: None,
    };
    let mut status = None;
    for c in el.children("DeleteResultSetResponse")? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => r.reference_id = Some(c.octets("referenceId")?),
            0 => status = Some(c.integer("deleteOperationStatus")?),
            1 => r.delete_list_statuses = Some(dec_list_statuses(&c)?),
            34 => r.number_not_deleted = Some(c.integer("numberNotDeleted")?),
            35 => r.bulk_statuses = Some(dec_list_statuses(&c)?),
            36 => r.delete_message = Some(c.string("deleteMessage")?),
            _ => {}
        }
    }
    r.delete_operation_status = need(status, el, "DeleteResultSetResponse.deleteOperationStatus")?;
    Ok(r)
}

fn dec_scan_request(el: &Element<'_>) -> Result<ScanRequest, DecodeError> {
    let (mut rid, mut dbs, mut set, mut apt, mut step, mut num, mut pos) =
        (None, None, None, None, None, None, None);
    for c in el.children("ScanRequest")? {
        let c = c?;
        match (c.tag.class, c.tag.number) {
            (Class::Context, 2) => rid = Some(c.octets("referenceId")?),
            (Class::Context, 3) => dbs = Some(dec_db_names(&c)?),
            (Class::Universal, u::OID) => set = Some(c.oid("ScanRequest.attributeSet")?),
            (Class::Context, 102) => apt = Some(decode_apt(&c)?),
            (Class::Context, 5) => step = Some(c.integer("stepSize")?),
            (Class::Context, 6) => num = Some(c.integer("numberOfTermsRequested")?),
            (Class::Context, 7) => pos = Some(c.integer("preferredPositionInResponse")?),
            _ => {}
        }
    }
    Ok(ScanRequest {
        reference_id: rid,
        database_names: need(dbs, el, "ScanRequest.databaseNames")?,
        attribute_set: set,
        term_list_and_start_point: need(apt, el, "ScanRequest.termListAndStartPoint")?,
        step_size: step,
        number_of_terms_requested: need(num, el, "ScanRequest.numberOfTermsRequested")?,
        preferred_position_in_response: pos,
    })
}

fn dec_scan_response(el: &Element<'_>) -> Result<ScanResponse, DecodeError> {
    let mut r = ScanResponse {
        reference_id: None,
        step_size: None,
        scan_status: 0,
        number_of_entries_returned: 0,
        position_of_term: None,
        entries: None,
        diagnostics: None,
        attribute_set: None,
    };
    let (mut status, mut num) = (None, None);
    for c in el.children("ScanResponse")? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => r.reference_id = Some(c.octets("referenceId")?),
            3 => r.step_size = Some(c.integer("stepSize")?),
            4 => status = Some(c.integer("scanStatus")?),
            5 => num = Some(c.integer("numberOfEntriesReturned")?),
            6 => r.position_of_term = Some(c.integer("positionOfTerm")?),
            7 => {
                for part in c.children("ListEntries")? {
                    let part = part?;
                    if part.tag.is_ctx(1) {
                        let mut es = Vec::new();
                        for e in part.children("ListEntries.entries")? {
                            let e = e?;
                            if e.tag.is_ctx(1) {
                                let (mut term, mut disp, mut occ) = (None, None, None);
                                for x in e.children("TermInfo")? {
                                    let x = x?;
                                    match (x.tag.class, x.tag.number) {
                                        (Class::Context, 0) => {
                                            disp = Some(x.string("TermInfo.displayTerm")?)
                                        }
                                        (Class::Context, 2) => {
                                            occ = Some(x.integer("TermInfo.globalOccurrences")?)
                                        }
                                        (Class::Context, 45 | 215..=221) => {
                                            term = Some(decode_term(&x)?)
                                        }
                                        _ => {}
                                    }
                                }
                                es.push(ScanEntry::TermInfo(TermInfo {
                                    term: need(term, &e, "TermInfo.term")?,
                                    display_term: disp,
                                    global_occurrences: occ,
                                }));
                            } else if e.tag.is_ctx(2) {
                                es.push(ScanEntry::SurrogateDiagnostic(dec_diag_rec(
                                    &e.explicit_inner("Entry.surrogateDiagnostic")?,
                                )?));
                            } else {
                                return Err(e.err(DecodeErrorKind::UnexpectedTag(e.tag), "Entry"));
                            }
                        }
                        r.entries = Some(es);
                    } else if part.tag.is_ctx(2) {
                        r.diagnostics = Some(dec_diag_list(&part, "nonsurrogateDiagnostics")?);
                    }
                }
            }
            8 => r.attribute_set = Some(c.oid("ScanResponse.attributeSet")?),
            _ => {}
        }
    }
    r.scan_status = need(status, el, "ScanResponse.scanStatus")?;
    r.number_of_entries_returned = need(num, el, "ScanResponse.numberOfEntriesReturned")?;
    Ok(r)
}

fn dec_close(el: &Element<'_>) -> Result<Close, DecodeError> {
    let (mut rid, mut reason, mut diag) = (None, None, None);
    for c in el.children("Close")? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            2 => rid = Some(c.octets("referenceId")?),
            211 => reason = Some(CloseReason::from_code(c.integer("closeReason")?)),
            3 => diag = Some(c.string("diagnosticInformation")?),
            _ => {}
        }
    }
    Ok(Close {
        reference_id: rid,
        close_reason: need(reason, el, "Close.closeReason")?,
        diagnostic_information: diag,
    })
}

/// Build an `InitResponse` that accepts `req`: highest common version
/// (v1–v3 offered), options = requested ∩ `supported`, sizes no larger
/// than requested nor than the server's maxima, referenceId echoed.
pub fn accept_init(
    req: &InitRequest,
    supported: &BitString,
    max_message_size: i64,
    max_record_size: i64,
    implementation_name: &str,
    implementation_version: &str,
) -> InitResponse {
    let ours = BitString::from_bits(&[0, 1, 2]);
    InitResponse {
        reference_id: req.reference_id.clone(),
        protocol_version: req.protocol_version.intersect(&ours),
        options: req.options.intersect(supported),
        preferred_message_size: req.preferred_message_size.clamp(0, max_message_size),
        exceptional_record_size: req.exceptional_record_size.clamp(0, max_record_size),
        result: true,
        implementation_id: Some("Quire".into()),
        implementation_name: Some(implementation_name.into()),
        implementation_version: Some(implementation_version.into()),
        user_information: None,
        other_info: None,
    }
}

/// The Close to send on undecodable input: `Close(protocolError)` with
/// the decoding error as diagnosticInformation.
pub fn protocol_error_close(err: &DecodeError) -> Apdu {
    Apdu::Close(Close {
        reference_id: None,
        close_reason: CloseReason::ProtocolError,
        diagnostic_information: Some(err.to_string()),
    })
}
