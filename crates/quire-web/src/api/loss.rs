//! API: lost and claims-returned loans, a patron's reading history, the
//! privacy sweep.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use quire_library::loss::{MarkKind, MarkView, ReadingHistory};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// Mark an item's open loan lost or claims returned.
#[derive(Deserialize, ToSchema)]
pub struct MarkIn {
    /// Item barcode.
    pub item: String,
    /// `lost` or `claims-returned`.
    pub kind: String,
    /// Why (required; kept with the mark and in the audit log).
    pub reason: String,
}

/// Reverse the mark of an item's loan.
#[derive(Deserialize, ToSchema)]
pub struct ReverseIn {
    /// Item barcode.
    pub item: String,
    /// Why (required).
    pub note: String,
}

/// A loan marked lost / claims returned, or a mark reversed.
#[derive(Serialize, ToSchema)]
pub struct MarkOut {
    /// `lost` or `claims-returned`.
    pub kind: String,
    pub reason: String,
    pub marked_at: DateTime<Utc>,
    /// `reversed` once reversed.
    pub cleared_how: Option<String>,
    pub loan_id: i64,
    pub item: String,
    pub title: String,
    /// Patron card number.
    pub patron: String,
    pub item_status: String,
    /// Replacement cost charged (lost), minor units.
    pub replacement_minor: i64,
    /// Processing fee charged (lost), minor units.
    pub processing_minor: i64,
    /// Overdue fine charged up to the loss, minor units.
    pub fine_minor: i64,
    /// Charged by a mark, credited by a reversal (minor units).
    pub amount_minor: i64,
    /// The patron's balance afterwards.
    pub balance_minor: i64,
}

impl From<MarkView> for MarkOut {
    fn from(v: MarkView) -> Self {
        MarkOut {
            kind: v.mark.kind,
            reason: v.mark.reason,
            marked_at: v.mark.marked_at,
            cleared_how: v.mark.cleared_how,
            loan_id: v.loan.id,
            item: v.item_barcode,
            title: v.title,
            patron: v.patron_barcode,
            item_status: v.item_status,
            replacement_minor: v.mark.replacement_minor,
            processing_minor: v.mark.processing_minor,
            fine_minor: v.mark.fine_minor,
            amount_minor: v.amount_minor,
            balance_minor: v.balance_minor,
        }
    }
}

/// Mark the open loan of an item lost (replacement cost, processing fee and
/// the overdue fine so far are charged; fines stop) or claims returned
/// (fines stop; counts towards the patron's claims limit). Permission
/// `circulate`.
#[utoipa::path(post, path = "/api/v1/loan-marks", tag = "circulation", request_body = MarkIn,
    responses((status = 201, description = "Marked", body = MarkOut),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 409, description = "Refused: not on loan, or already lost", body = crate::error::ErrorBody),
        (status = 422, description = "Missing reason or unknown kind", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn mark(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<MarkIn>,
) -> Result<(StatusCode, Json<MarkOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let kind = MarkKind::parse(&b.kind).or_api(&state, &req)?;
    let v = state
        .lib
        .mark_loan(&ctx, &b.item, kind, &b.reason)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Reverse the lost / claims-returned mark of an item's loan: the item is on
/// loan again and lost charges are credited. Permission
/// `override-circulation`.
#[utoipa::path(post, path = "/api/v1/loan-marks/reverse", tag = "circulation", request_body = ReverseIn,
    responses((status = 200, description = "Reversed", body = MarkOut),
        (status = 404, description = "No such item, or its loan is not marked", body = crate::error::ErrorBody),
        (status = 409, description = "Refused: not on loan", body = crate::error::ErrorBody),
        (status = 422, description = "Missing note", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn reverse(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<ReverseIn>,
) -> Result<Json<MarkOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .reverse_loan_mark(&ctx, &b.item, &b.note)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// Which page.
#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page (25 loans a page).
    #[serde(default)]
    pub page: Option<i64>,
}

/// One past loan.
#[derive(Serialize, ToSchema)]
pub struct HistoryLoanOut {
    pub record_id: i64,
    pub title: String,
    /// Item barcode.
    pub item: String,
    pub checked_out_at: DateTime<Utc>,
    pub returned_at: DateTime<Utc>,
}

/// A page of a reading history, newest first.
#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    pub loans: Vec<HistoryLoanOut>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The patron keeps a reading history (opted in).
    pub keep_history: bool,
}

impl From<ReadingHistory> for HistoryOut {
    fn from(h: ReadingHistory) -> Self {
        HistoryOut {
            loans: h
                .rows
                .into_iter()
                .map(|r| HistoryLoanOut {
                    record_id: r.record_id,
                    title: r.title,
                    item: r.item_barcode,
                    checked_out_at: r.checked_out_at,
                    returned_at: r.returned_at,
                })
                .collect(),
            page: h.page,
            pages: h.pages,
            total: h.total,
            keep_history: h.keep_history,
        }
    }
}

/// A patron's reading history: returned loans still linked to them (kept
/// only for patrons who opted in). Permissions `view-patrons` and
/// `circulate` (patron privacy).
#[utoipa::path(get, path = "/api/v1/patrons/{barcode}/history", tag = "circulation",
    params(("barcode" = String, Path, description = "Patron card number"), PageQuery),
    responses((status = 200, body = HistoryOut),
        (status = 403, description = "Not allowed to see reading histories", body = crate::error::ErrorBody),
        (status = 404, description = "No such patron", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn history(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Json<HistoryOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let h = state
        .lib
        .patron_reading_history(&ctx, &barcode, q.page.unwrap_or(1))
        .await
        .or_api(&state, &req)?;
    Ok(Json(h.into()))
}

/// Run the privacy sweep.
#[derive(Deserialize, ToSchema)]
pub struct AnonymiseIn {
    /// Only loans returned at least this many days ago (default: the
    /// library's retention setting).
    #[serde(default)]
    pub older_than_days: Option<u32>,
}

/// What the sweep did.
#[derive(Serialize, ToSchema)]
pub struct AnonymiseOut {
    /// Loans whose patron link was removed.
    pub anonymised: u64,
}

/// Anonymise returned, settled loans of patrons who do not keep a reading
/// history (the same sweep as `quire circ anonymise` and the server's
/// periodic run). Permission `manage-policies`.
#[utoipa::path(post, path = "/api/v1/anonymise", tag = "circulation", request_body = AnonymiseIn,
    responses((status = 200, body = AnonymiseOut),
        (status = 403, description = "Not allowed", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn anonymise(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<AnonymiseIn>,
) -> Result<Json<AnonymiseOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let anonymised = state
        .lib
        .anonymise_attributed_loans(&ctx, b.older_than_days)
        .await
        .or_api(&state, &req)?;
    Ok(Json(AnonymiseOut { anonymised }))
}
