//! API: the catalog — search (same engine and parameters as the public
//! catalog page) and one record with its items.
//!
//! Both are public like the OPAC: without a session or token they show what a
//! patron sees; staff also see suppressed records.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use quire_domain::staff::Permission;
use quire_library::catalog::{ItemView, RecordView};
use quire_library::search::{CatalogPage, RecordCard};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};
use crate::pages::opac::{PAGE_SIZE, SearchParams};

/// A value of a facet with the number of matching records.
#[derive(Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

fn counts(v: &[(String, u64)]) -> Vec<FacetCount> {
    v.iter()
        .map(|(value, count)| FacetCount {
            value: value.clone(),
            count: *count,
        })
        .collect()
}

/// Facet counts over the whole result (not just this page).
#[derive(Serialize, ToSchema)]
pub struct FacetsOut {
    /// Format codes (`book`, `ebook`, `serial`, `map`, `score`, …).
    pub format: Vec<FacetCount>,
    /// MARC language codes (`eng`, `vie`, `tgl`, …).
    pub language: Vec<FacetCount>,
    /// Decades such as `1990-1999` (usable as the `decade` parameter).
    pub decade: Vec<FacetCount>,
    pub subject: Vec<FacetCount>,
    /// Branch codes holding items.
    pub branch: Vec<FacetCount>,
    /// `available` / `unavailable`.
    pub availability: Vec<FacetCount>,
}

/// Copies available at one branch.
#[derive(Serialize, ToSchema)]
pub struct BranchAvailability {
    pub branch: String,
    pub available: u32,
}

/// One search hit.
#[derive(Serialize, ToSchema)]
pub struct HitOut {
    pub id: i64,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i64>,
    pub language: Option<String>,
    pub format: String,
    /// Number of items (copies).
    pub items: u32,
    /// Copies on the shelf now.
    pub available: u32,
    pub available_at: Vec<BranchAvailability>,
    pub call_number: Option<String>,
    /// The record's permalink in the public catalog.
    pub href: String,
}

impl From<RecordCard> for HitOut {
    fn from(c: RecordCard) -> Self {
        HitOut {
            href: format!("/record/{}", c.id),
            id: c.id,
            title: c.title,
            author: c.author,
            publisher: c.publisher,
            year: c.year,
            language: c.language,
            format: c.format,
            items: c.items,
            available: c.available,
            available_at: c
                .available_at
                .into_iter()
                .map(|(branch, available)| BranchAvailability { branch, available })
                .collect(),
            call_number: c.call_number,
        }
    }
}

/// A page of search results.
#[derive(Serialize, ToSchema)]
pub struct SearchOut {
    /// Matching records in all.
    pub total: u64,
    pub page: usize,
    pub page_size: usize,
    pub hits: Vec<HitOut>,
    pub facets: FacetsOut,
}

impl SearchOut {
    fn new(p: CatalogPage, page: usize) -> Self {
        SearchOut {
            total: p.total,
            page,
            page_size: PAGE_SIZE,
            hits: p.cards.into_iter().map(HitOut::from).collect(),
            facets: FacetsOut {
                format: counts(&p.facets.format),
                language: counts(&p.facets.language),
                decade: counts(&p.facets.year_ranges),
                subject: counts(&p.facets.subject),
                branch: counts(&p.facets.branch),
                availability: counts(&p.facets.availability),
            },
        }
    }
}

/// Search the catalog.
///
/// The same engine and parameters as the public search page `/search`:
/// diacritic- and case-insensitive (`tieng viet` finds `Tiếng Việt`),
/// ISBNs in any form, relevance with exact title/author matches first.
/// With no search terms at all the whole catalog matches.
#[utoipa::path(get, path = "/api/v1/search", tag = "catalog", params(SearchParams),
    responses(
        (status = 200, body = SearchOut),
        (status = 422, description = "Query too complex", body = crate::error::ErrorBody),
        (status = 503, description = "Search index not open yet", body = crate::error::ErrorBody)
    ))]
pub async fn search(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchOut>, ApiError> {
    let staff = req.can(Permission::ViewCatalog);
    let page = state
        .lib
        .search_catalog(p.request(), staff)
        .await
        .or_api(&state, &req)?;
    Ok(Json(SearchOut::new(page, p.page.max(1))))
}

/// One copy of a record.
#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub barcode: String,
    pub branch_code: String,
    pub branch: String,
    pub location: Option<String>,
    pub call_number: Option<String>,
    pub item_type: String,
    /// `available`, `checked-out`, `reshelving`, `in-transit`, …
    pub status: String,
    pub copy_number: Option<String>,
}

impl From<ItemView> for ItemOut {
    fn from(i: ItemView) -> Self {
        ItemOut {
            barcode: i.barcode,
            branch_code: i.branch_code,
            branch: i.branch,
            location: i.location,
            call_number: i.call_number,
            item_type: i.item_type,
            status: i.status,
            copy_number: i.copy_number,
        }
    }
}

/// An author with their relator terms.
#[derive(Serialize, ToSchema)]
pub struct AuthorOut {
    pub name: String,
    pub roles: Vec<String>,
}

/// A bibliographic record as the public catalog describes it.
#[derive(Serialize, ToSchema)]
pub struct RecordOut {
    pub id: i64,
    /// The MARC 001.
    pub control_number: Option<String>,
    pub title: String,
    pub responsibility: Option<String>,
    pub authors: Vec<AuthorOut>,
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
    pub items: Vec<ItemOut>,
    /// Copies on the shelf now.
    pub available: usize,
    /// Hidden from the public catalog (staff only see it).
    pub suppressed: bool,
    /// The MARC record in the `245 10 $a…` line form (staff only).
    pub marc_text: Option<String>,
}

impl From<RecordView> for RecordOut {
    fn from(v: RecordView) -> Self {
        RecordOut {
            id: v.id,
            control_number: v.control_number,
            title: v.title,
            responsibility: v.responsibility,
            authors: v
                .authors
                .into_iter()
                .map(|(name, roles)| AuthorOut { name, roles })
                .collect(),
            subjects: v.subjects,
            series: v.series,
            edition: v.edition,
            publisher: v.publisher,
            place: v.place,
            date: v.date,
            year: v.year,
            physical_description: v.physical_description,
            languages: v.languages,
            format: v.format,
            isbns: v.isbns,
            issns: v.issns,
            lccn: v.lccn,
            notes: v.notes,
            contents: v.contents,
            summary: v.summary,
            items: v.items.into_iter().map(ItemOut::from).collect(),
            available: v.available,
            suppressed: v.suppressed,
            marc_text: v.marc_text,
        }
    }
}

/// The MARC formats `GET /api/v1/records/{id}` answers in, by `Accept`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MarcFormat {
    Json,
    Xml,
}

const MARC_JSON: &str = "application/marc+json";
const MARCXML: &str = "application/marcxml+xml";

/// The MARC format asked for in `Accept` (media types compared without
/// parameters or case); `None`: the record view.
fn marc_format(headers: &axum::http::HeaderMap) -> Option<MarcFormat> {
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?;
    accept.split(',').find_map(|part| {
        let media = part.split(';').next().unwrap_or_default().trim();
        if media.eq_ignore_ascii_case(MARC_JSON) {
            Some(MarcFormat::Json)
        } else if media.eq_ignore_ascii_case(MARCXML) {
            Some(MarcFormat::Xml)
        } else {
            None
        }
    })
}

/// One record with its items and their availability, or the MARC record.
///
/// With `Accept: application/marc+json` or `application/marcxml+xml` the
/// answer is the record itself as stored, in the format `PUT` takes back
/// (with the `ETag` to send in `If-Match`).
#[utoipa::path(get, path = "/api/v1/records/{id}", tag = "catalog",
    params(("id" = i64, Path, description = "Record id (as in `/record/{id}`)"),
        ("Accept" = Option<String>, Header,
         description = "`application/marc+json` (MARC-in-JSON) or `application/marcxml+xml` (MARCXML) for the MARC record; anything else gives the record view")),
    responses(
        (status = 200, content(
            (RecordOut = "application/json"),
            (Object = "application/marc+json"),
            (String = "application/marcxml+xml")), headers(
            ("ETag" = String, description = "The record's version, for If-Match when replacing it (PUT)"))),
        (status = 404, description = "No such record (or suppressed and not staff)", body = crate::error::ErrorBody)
    ))]
pub async fn record(
    State(state): State<AppState>,
    req: Req,
    headers: axum::http::HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let staff = req.can(Permission::ViewCatalog);
    if let Some(format) = marc_format(&headers) {
        let (rec, version) = state
            .lib
            .record_marc(id, staff)
            .await
            .or_api(&state, &req)?;
        let (body, media) = match format {
            MarcFormat::Json => (quire_marc::json::to_string(&rec), MARC_JSON),
            MarcFormat::Xml => (quire_marc::xml::to_string(&rec), MARCXML),
        };
        let mut resp = ([(header::CONTENT_TYPE, media)], body).into_response();
        if let Ok(tag) = HeaderValue::from_str(&format!("\"{version}\"")) {
            resp.headers_mut().insert(header::ETAG, tag);
        }
        resp.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Accept"));
        return Ok(resp);
    }
    let v = state
        .lib
        .record_view(id, staff)
        .await
        .or_api(&state, &req)?;
    let version = state.lib.record_version_of(id).await.or_api(&state, &req)?;
    let mut resp = Json(RecordOut::from(v)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        resp.headers_mut().insert(header::ETAG, tag);
    }
    resp.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(resp)
}
