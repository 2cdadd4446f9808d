//! API: cataloging for catalogers and scripts — create, replace and delete
//! bibliographic records (MARC-in-JSON or MARCXML, chosen by Content-Type),
//! add items to a record and change an item. The same service calls as the
//! MARC editor and the item pages: the same permissions (`edit-catalog`,
//! `edit-items`), validation, audit entries and outbox rows.
//!
//! Concurrency: `GET /api/v1/records/{id}` sends an `ETag`; `PUT` must send
//! it back in `If-Match` (`*` replaces whatever is there). A stale tag gets
//! 412, a missing one 428.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use quire_library::cataloging::{ItemEdit, ItemEditForm, MarcSaved, parse_record_body};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, MarcIssueMessage, OrApi, marc_issue_message};

/// Options of a record save.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct SaveParams {
    /// Save even though the record has warnings (errors always refuse it),
    /// as the cataloger confirms in the editor.
    #[serde(default)]
    pub accept_warnings: bool,
}

/// A record saved.
#[derive(Serialize, ToSchema)]
pub struct RecordSaved {
    pub id: i64,
    /// The new version; send it as `If-Match` to replace the record again.
    pub etag: String,
    /// The record in the API (`GET`).
    pub href: String,
    /// Warnings the caller accepted (`accept_warnings=true`).
    pub warnings: Vec<MarcIssueMessage>,
}

fn etag_value(version: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{version}\"")).ok()
}

fn saved_response(state: &AppState, req: &Req, status: StatusCode, s: MarcSaved) -> Response {
    let href = format!("/api/v1/records/{}", s.id);
    let body = RecordSaved {
        id: s.id,
        etag: format!("\"{}\"", s.version),
        href: href.clone(),
        warnings: s
            .warnings
            .iter()
            .map(|i| marc_issue_message(state, req.locale, i))
            .collect(),
    };
    let mut resp = (status, Json(body)).into_response();
    if let Some(v) = etag_value(&s.version) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    if status == StatusCode::CREATED
        && let Ok(v) = HeaderValue::from_str(&href)
    {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// The body's media type (without parameters).
fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

const RECORD_BODY: &str = "One bibliographic record: MARC-in-JSON with `Content-Type: \
    application/marc+json` (or `application/json`), or MARCXML (one `<record>`, optionally in a \
    `<collection>`) with `Content-Type: application/marcxml+xml` (or `application/xml`, `text/xml`).";

/// Create a bibliographic record (permission `edit-catalog`).
///
/// The body is validated like the MARC editor's: errors (and warnings
/// unless `accept_warnings=true`) answer 422 with every issue, its place
/// (`008/23`, `LDR/06`, `record`) and the allowed values. A record without
/// a 001 gets its Quire id as 001; 005 is set to now; leader/09 to `a`.
#[utoipa::path(post, path = "/api/v1/records", tag = "cataloging", params(SaveParams),
    request_body(description = RECORD_BODY, content(
        (Object = "application/marc+json"),
        (String = "application/marcxml+xml"))),
    responses(
        (status = 201, body = RecordSaved, headers(
            ("Location" = String, description = "The new record"),
            ("ETag" = String, description = "Its version"))),
        (status = 415, description = "Neither MARC-in-JSON nor MARCXML", body = crate::error::ErrorBody),
        (status = 422, description = "Unreadable body, or the record has errors or unaccepted warnings", body = crate::error::ErrorBody)
    ),
    security(("token" = []), ("session" = [])))]
pub async fn create_record(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<SaveParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let rec = parse_record_body(content_type(&headers), &body).or_api(&state, &req)?;
    let saved = state
        .lib
        .save_marc_record(&ctx, None, rec, p.accept_warnings, None)
        .await
        .or_api(&state, &req)?;
    Ok(saved_response(&state, &req, StatusCode::CREATED, saved))
}

/// Replace a bibliographic record (permission `edit-catalog`).
///
/// Send `If-Match` with the `ETag` of `GET /api/v1/records/{id}` (or `*`):
/// 412 when the record changed since, 428 without it. Same body and
/// validation as creating; a record sent without a 001 keeps its 001.
#[utoipa::path(put, path = "/api/v1/records/{id}", tag = "cataloging", params(
        ("id" = i64, Path, description = "Record id"),
        ("If-Match" = String, Header, description = "The ETag read with GET, or *"),
        SaveParams),
    request_body(description = RECORD_BODY, content(
        (Object = "application/marc+json"),
        (String = "application/marcxml+xml"))),
    responses(
        (status = 200, body = RecordSaved, headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such record", body = crate::error::ErrorBody),
        (status = 412, description = "The record changed since it was read", body = crate::error::ErrorBody),
        (status = 415, description = "Neither MARC-in-JSON nor MARCXML", body = crate::error::ErrorBody),
        (status = 422, description = "Unreadable body, or the record has errors or unaccepted warnings", body = crate::error::ErrorBody),
        (status = 428, description = "If-Match missing", body = crate::error::ErrorBody)
    ),
    security(("token" = []), ("session" = [])))]
pub async fn replace_record(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<SaveParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let rec = parse_record_body(content_type(&headers), &body).or_api(&state, &req)?;
    let if_match = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let saved = state
        .lib
        .save_marc_record(&ctx, Some(id), rec, p.accept_warnings, if_match.as_deref())
        .await
        .or_api(&state, &req)?;
    Ok(saved_response(&state, &req, StatusCode::OK, saved))
}

/// Delete a bibliographic record (permission `edit-catalog`).
///
/// Refused (409) while any of its items is on loan. The record stays as a
/// tombstone for OAI-PMH harvesters; its items are withdrawn.
#[utoipa::path(delete, path = "/api/v1/records/{id}", tag = "cataloging",
    params(("id" = i64, Path, description = "Record id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such record", body = crate::error::ErrorBody),
        (status = 409, description = "Items on loan", body = crate::error::ErrorBody)
    ),
    security(("token" = []), ("session" = [])))]
pub async fn delete_record(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    state
        .lib
        .delete_record(&ctx, id)
        .await
        .or_api(&state, &req)?;
    Ok(StatusCode::NO_CONTENT)
}

/// An item's fields. Creating needs `barcode`, `branch` and `item_type`;
/// a change sends only what changes.
#[derive(Deserialize, ToSchema, Default)]
pub struct ItemIn {
    pub barcode: Option<String>,
    /// Branch code.
    pub branch: Option<String>,
    /// Shelving location code of the branch.
    pub location: Option<String>,
    pub item_type: Option<String>,
    pub call_number: Option<String>,
    /// `lc`, `dewey` or `other`; empty: detected.
    pub call_number_scheme: Option<String>,
    pub copy_number: Option<String>,
    /// Price in the library's currency (`12.50`).
    pub price: Option<String>,
    pub notes: Option<String>,
    /// Creating: the initial status (`available`, `in-process`, `on-order`).
    /// Changing: a status event (`withdraw`, `mark-damaged`, `repaired`,
    /// `reinstate`, …) allowed by the item status rules.
    pub status: Option<String>,
}

impl ItemIn {
    fn over(self, base: ItemEditForm) -> ItemEditForm {
        ItemEditForm {
            barcode: self.barcode.unwrap_or(base.barcode),
            branch: self.branch.unwrap_or(base.branch),
            location: self.location.unwrap_or(base.location),
            item_type: self.item_type.unwrap_or(base.item_type),
            call_number: self.call_number.unwrap_or(base.call_number),
            call_number_scheme: self.call_number_scheme.unwrap_or(base.call_number_scheme),
            copy_number: self.copy_number.unwrap_or(base.copy_number),
            price: self.price.unwrap_or(base.price),
            notes: self.notes.unwrap_or(base.notes),
            status: self.status.unwrap_or(base.status),
        }
    }
}

/// An item as cataloging sees it.
#[derive(Serialize, ToSchema)]
pub struct ItemDetailOut {
    pub id: i64,
    pub record_id: i64,
    pub barcode: String,
    /// Branch code.
    pub branch: String,
    /// Location code (empty: none).
    pub location: String,
    pub item_type: String,
    pub call_number: String,
    pub call_number_scheme: String,
    pub copy_number: String,
    pub price: String,
    pub notes: String,
    pub status: String,
    pub on_loan: bool,
}

impl From<ItemEdit> for ItemDetailOut {
    fn from(e: ItemEdit) -> Self {
        let f = e.form();
        ItemDetailOut {
            id: e.item.id,
            record_id: e.item.record_id,
            barcode: f.barcode,
            branch: f.branch,
            location: f.location,
            item_type: f.item_type,
            call_number: f.call_number,
            call_number_scheme: f.call_number_scheme,
            copy_number: f.copy_number,
            price: f.price,
            notes: f.notes,
            status: e.item.status,
            on_loan: e.on_loan,
        }
    }
}

/// Add an item (copy) to a record (permission `edit-items`).
#[utoipa::path(post, path = "/api/v1/records/{id}/items", tag = "cataloging", request_body = ItemIn,
    params(("id" = i64, Path, description = "Record id")),
    responses(
        (status = 201, body = ItemDetailOut),
        (status = 404, description = "No such record", body = crate::error::ErrorBody),
        (status = 409, description = "Barcode in use", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid fields (call number for its scheme, branch, location, …)", body = crate::error::ErrorBody)
    ),
    security(("token" = []), ("session" = [])))]
pub async fn create_item(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<ItemIn>,
) -> Result<(StatusCode, Json<ItemDetailOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let item = state
        .lib
        .create_item(&ctx, id, &b.over(ItemEditForm::default()))
        .await
        .or_api(&state, &req)?;
    let e = state
        .lib
        .item_for_edit(&ctx, item.id)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// Change an item (permission `edit-items`): only the fields sent change;
/// `status` applies a status event.
#[utoipa::path(patch, path = "/api/v1/items/{barcode}", tag = "cataloging", request_body = ItemIn,
    params(("barcode" = String, Path, description = "Item barcode")),
    responses(
        (status = 200, body = ItemDetailOut),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 409, description = "Barcode in use, or the status rules refuse the event", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = crate::error::ErrorBody)
    ),
    security(("token" = []), ("session" = [])))]
pub async fn patch_item(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<ItemIn>,
) -> Result<Json<ItemDetailOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let id = state
        .lib
        .item_id_by_barcode(&ctx, &barcode)
        .await
        .or_api(&state, &req)?;
    let current = state
        .lib
        .item_for_edit(&ctx, id)
        .await
        .or_api(&state, &req)?;
    state
        .lib
        .update_item(&ctx, id, &b.over(current.form()))
        .await
        .or_api(&state, &req)?;
    let e = state
        .lib
        .item_for_edit(&ctx, id)
        .await
        .or_api(&state, &req)?;
    Ok(Json(e.into()))
}
