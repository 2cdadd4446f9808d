//! API: holds and transits — place, list, cancel, suspend, resume, change
//! the pickup branch; a record's queue; a branch's pull list, hold shelf
//! and transits; receiving a transit.
//!
//! Placement refusals answer 409 with `error.code = "refused"` and
//! `error.refusals[]`, like checkouts. Actions a hold's status does not
//! allow (suspending a captured hold, cancelling a finished one) answer 409
//! `conflict`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use quire_library::holds::{CancelBy, HoldRequest, HoldSlip, HoldView, PullEntry, TransitView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use super::circ::CheckinOut;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// A hold.
#[derive(Serialize, ToSchema)]
pub struct HoldOut {
    pub id: i64,
    /// `placed`, `in-transit`, `waiting`, `fulfilled`, `cancelled` or `expired`.
    pub status: String,
    /// `title` (any copy of the record) or `item` (one copy).
    pub level: String,
    /// Patron card number.
    pub patron: String,
    pub patron_name: String,
    pub record_id: i64,
    pub title: String,
    /// The copy asked for (item-level holds).
    pub item: Option<String>,
    /// The copy captured for the hold (in transit or on the hold shelf).
    pub captured_item: Option<String>,
    /// Pickup branch code.
    pub pickup: String,
    pub placed_at: DateTime<Utc>,
    /// 1-based place in the record's queue (placed holds).
    pub queue_position: Option<usize>,
    /// Suspended until (the hold keeps its place but is skipped).
    pub suspended_until: Option<DateTime<Utc>>,
    /// Not needed after (expires if not captured by then).
    pub not_needed_after: Option<DateTime<Utc>>,
    /// Pickup deadline on the hold shelf.
    pub shelf_expires_at: Option<DateTime<Utc>>,
    /// Waiting past its pickup deadline (the expiry sweep has not run yet).
    pub shelf_expired: bool,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
}

impl From<HoldView> for HoldOut {
    fn from(v: HoldView) -> Self {
        let h = v.hold;
        HoldOut {
            id: h.id,
            status: h.status,
            level: v.level.to_owned(),
            patron: v.patron_barcode,
            patron_name: v.patron_name,
            record_id: h.record_id,
            title: v.title,
            item: v.item_barcode,
            captured_item: v.captured_item_barcode,
            pickup: v.pickup_branch,
            placed_at: h.placed_at,
            queue_position: v.queue_position,
            suspended_until: h.resumes_at.filter(|_| v.suspended),
            not_needed_after: h.expires_at,
            shelf_expires_at: h.shelf_expires_at,
            shelf_expired: v.shelf_expired,
            cancelled_by: h.cancelled_by,
            cancel_reason: h.cancel_reason,
        }
    }
}

/// The hold slip of a copy put on the hold shelf.
#[derive(Serialize, ToSchema)]
pub struct HoldSlipOut {
    pub hold_id: i64,
    /// Patron card number.
    pub patron: String,
    pub patron_name: String,
    /// Pickup branch code.
    pub pickup: String,
    /// Pickup deadline.
    pub shelf_expires_at: DateTime<Utc>,
}

impl From<HoldSlip> for HoldSlipOut {
    fn from(s: HoldSlip) -> Self {
        HoldSlipOut {
            hold_id: s.hold_id,
            patron: s.patron_barcode,
            patron_name: s.patron_name,
            pickup: s.pickup_branch,
            shelf_expires_at: s.shelf_expires_at,
        }
    }
}

/// Place a hold: `record` (title-level) or `item` (item-level).
#[derive(Deserialize, ToSchema)]
pub struct HoldIn {
    /// Patron card number.
    pub patron: String,
    /// Record id: any suitable copy.
    #[serde(default)]
    pub record: Option<i64>,
    /// Item barcode: this copy only.
    #[serde(default)]
    pub item: Option<String>,
    /// Pickup branch code (default: the patron's home branch).
    #[serde(default)]
    pub pickup: Option<String>,
    /// Not needed after this day (YYYY-MM-DD).
    #[serde(default)]
    pub not_needed_after: Option<NaiveDate>,
    /// Refusal codes to override (permission `override-circulation`).
    #[serde(default, rename = "override")]
    pub overrides: Vec<String>,
}

/// Cancel a hold.
#[derive(Deserialize, ToSchema, Default)]
pub struct CancelIn {
    /// Why (kept with the hold).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Suspend a hold.
#[derive(Deserialize, ToSchema)]
pub struct SuspendIn {
    /// Suspended until the start of this day (YYYY-MM-DD, after today).
    pub until: NaiveDate,
}

/// Change a hold.
#[derive(Deserialize, ToSchema)]
pub struct HoldPatchIn {
    /// New pickup branch code.
    pub pickup: String,
}

/// Receive a transit.
#[derive(Deserialize, ToSchema, Default)]
pub struct ReceiveIn {
    /// Branch code where it arrived (default: the transit's destination).
    #[serde(default)]
    pub branch: Option<String>,
}

/// Which holds to list.
#[derive(Deserialize, IntoParams)]
pub struct HoldsQuery {
    /// Patron card number.
    pub patron: String,
    /// Also fulfilled, cancelled and expired holds.
    #[serde(default)]
    pub all: bool,
}

/// Which transits to list.
#[derive(Deserialize, IntoParams)]
pub struct TransitsQuery {
    /// `incoming` (default) or `outgoing`.
    #[serde(default)]
    pub direction: Option<String>,
}

/// A copy to fetch from the shelves for a hold.
#[derive(Serialize, ToSchema)]
pub struct PullOut {
    pub hold_id: i64,
    pub placed_at: DateTime<Utc>,
    /// Patron card number.
    pub patron: String,
    /// Pickup branch code.
    pub pickup: String,
    /// Item barcode.
    pub item: String,
    pub record_id: i64,
    pub title: String,
    /// Shelving location name.
    pub location: Option<String>,
    pub call_number: Option<String>,
}

impl From<PullEntry> for PullOut {
    fn from(e: PullEntry) -> Self {
        PullOut {
            hold_id: e.hold_id,
            placed_at: e.placed_at,
            patron: e.patron_barcode,
            pickup: e.pickup_branch,
            item: e.item_barcode,
            record_id: e.record_id,
            title: e.title,
            location: e.location,
            call_number: e.call_number,
        }
    }
}

/// An item between branches.
#[derive(Serialize, ToSchema)]
pub struct TransitOut {
    pub id: i64,
    /// Item barcode.
    pub item: String,
    pub title: String,
    pub call_number: Option<String>,
    /// Branch codes.
    pub from: String,
    pub to: String,
    /// `hold` or `home`.
    pub reason: String,
    pub hold_id: Option<i64>,
    pub sent_at: DateTime<Utc>,
    pub sent_by: String,
}

impl From<TransitView> for TransitOut {
    fn from(v: TransitView) -> Self {
        TransitOut {
            id: v.transit.id,
            item: v.item_barcode,
            title: v.title,
            call_number: v.call_number,
            from: v.from_branch,
            to: v.to_branch,
            reason: v.transit.reason,
            hold_id: v.transit.hold_id,
            sent_at: v.transit.sent_at,
            sent_by: v.transit.sent_by,
        }
    }
}

fn many<T, U: From<T>>(v: Vec<T>) -> Json<Vec<U>> {
    Json(v.into_iter().map(U::from).collect())
}

/// Place a hold for a patron (permission `manage-holds`).
#[utoipa::path(post, path = "/api/v1/holds", tag = "holds", request_body = HoldIn,
    responses((status = 201, description = "Placed; the hold with its queue position", body = HoldOut),
        (status = 403, description = "Missing permission (`manage-holds`, or `override-circulation` for overrides)", body = crate::error::ErrorBody),
        (status = 404, description = "No such patron", body = crate::error::ErrorBody),
        (status = 409, description = "Refused by the rules (`error.refusals`: max holds, holds not allowed, already placed…)", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input (no record or item, unknown pickup branch…)", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn place(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<HoldIn>,
) -> Result<(StatusCode, Json<HoldOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .place_hold(
            &ctx,
            &HoldRequest {
                patron: b.patron,
                record_id: b.record,
                item: b.item,
                pickup: b.pickup,
                not_needed_after: b.not_needed_after,
                overrides: b.overrides,
            },
        )
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// A patron's holds, newest first (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/holds", tag = "holds", params(HoldsQuery),
    responses((status = 200, body = Vec<HoldOut>),
        (status = 404, description = "No such patron", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<HoldsQuery>,
) -> Result<Json<Vec<HoldOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .patron_holds(&ctx, &q.patron, q.all)
        .await
        .or_api(&state, &req)?;
    Ok(many(v))
}

/// One hold (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/holds/{id}", tag = "holds", params(("id" = i64, Path, description = "Hold id")),
    responses((status = 200, body = HoldOut), (status = 404, description = "No such hold", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn get_hold(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<HoldOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state.lib.hold(&ctx, id).await.or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// Change a placed hold's pickup branch (permission `manage-holds`).
#[utoipa::path(patch, path = "/api/v1/holds/{id}", tag = "holds", params(("id" = i64, Path, description = "Hold id")),
    request_body = HoldPatchIn,
    responses((status = 200, body = HoldOut),
        (status = 404, description = "No such hold", body = crate::error::ErrorBody),
        (status = 409, description = "A copy is already captured for it", body = crate::error::ErrorBody),
        (status = 422, description = "Unknown branch", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn patch(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<HoldPatchIn>,
) -> Result<Json<HoldOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .change_hold_pickup(&ctx, id, &b.pickup)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// Cancel an active hold as staff (permission `manage-holds`). A copy
/// waiting for it goes to the next patron or back to the shelf.
#[utoipa::path(post, path = "/api/v1/holds/{id}/cancel", tag = "holds", params(("id" = i64, Path, description = "Hold id")),
    request_body = CancelIn,
    responses((status = 200, body = HoldOut),
        (status = 404, description = "No such hold", body = crate::error::ErrorBody),
        (status = 409, description = "Already fulfilled, cancelled or expired", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<CancelIn>,
) -> Result<Json<HoldOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .cancel_hold(&ctx, id, CancelBy::Staff, b.reason.as_deref())
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// Suspend a placed hold until a day (permission `manage-holds`).
#[utoipa::path(post, path = "/api/v1/holds/{id}/suspend", tag = "holds", params(("id" = i64, Path, description = "Hold id")),
    request_body = SuspendIn,
    responses((status = 200, body = HoldOut),
        (status = 404, description = "No such hold", body = crate::error::ErrorBody),
        (status = 409, description = "Not a placed hold", body = crate::error::ErrorBody),
        (status = 422, description = "`until` is not after today", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn suspend(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<SuspendIn>,
) -> Result<Json<HoldOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .suspend_hold(&ctx, id, b.until)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// End a hold's suspension (permission `manage-holds`).
#[utoipa::path(post, path = "/api/v1/holds/{id}/resume", tag = "holds", params(("id" = i64, Path, description = "Hold id")),
    responses((status = 200, body = HoldOut),
        (status = 404, description = "No such hold", body = crate::error::ErrorBody),
        (status = 409, description = "Not a placed hold", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn resume(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<HoldOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state.lib.resume_hold(&ctx, id).await.or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// The hold queue of a record: captured holds, then placed ones in queue
/// order (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/records/{id}/holds", tag = "holds", params(("id" = i64, Path, description = "Record id")),
    responses((status = 200, body = Vec<HoldOut>), (status = 404, description = "No such record", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn record_queue(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Vec<HoldOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .record_holds(&ctx, id)
        .await
        .or_api(&state, &req)?;
    Ok(many(v))
}

/// A branch's pull list: copies on its shelves to fetch for holds, one per
/// hold (oldest first), in location and call-number shelf order
/// (permission `circulate`).
#[utoipa::path(get, path = "/api/v1/branches/{id}/pull-list", tag = "holds", params(("id" = String, Path, description = "Branch id or code")),
    responses((status = 200, body = Vec<PullOut>), (status = 422, description = "Unknown branch", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn pull_list(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<String>,
) -> Result<Json<Vec<PullOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state.lib.pull_list(&ctx, &id).await.or_api(&state, &req)?;
    Ok(many(v))
}

/// A branch's hold shelf: waiting holds by pickup deadline, the overdue
/// ones flagged `shelf_expired` (permission `circulate`).
#[utoipa::path(get, path = "/api/v1/branches/{id}/hold-shelf", tag = "holds", params(("id" = String, Path, description = "Branch id or code")),
    responses((status = 200, body = Vec<HoldOut>), (status = 422, description = "Unknown branch", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn hold_shelf(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<String>,
) -> Result<Json<Vec<HoldOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state.lib.hold_shelf(&ctx, &id).await.or_api(&state, &req)?;
    Ok(many(v))
}

/// Items in transit to (`incoming`) or from (`outgoing`) a branch
/// (permission `circulate`).
#[utoipa::path(get, path = "/api/v1/branches/{id}/transits", tag = "holds", params(("id" = String, Path, description = "Branch id or code"), TransitsQuery),
    responses((status = 200, body = Vec<TransitOut>), (status = 422, description = "Unknown branch or direction", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn transits(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<String>,
    Query(q): Query<TransitsQuery>,
) -> Result<Json<Vec<TransitOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let incoming = match q.direction.as_deref().map(str::trim) {
        None | Some("") | Some("incoming") => true,
        Some("outgoing") => false,
        Some(_) => {
            return Err(quire_library::Error::field("direction", "invalid-choice"))
                .or_api(&state, &req);
        }
    };
    let v = state
        .lib
        .transits(&ctx, &id, incoming)
        .await
        .or_api(&state, &req)?;
    Ok(many(v))
}

/// Receive an item in transit (permission `circulate`): it goes to the
/// hold shelf when its hold is picked up here (`hold`: the slip), on to
/// another branch, or back to the shelf.
#[utoipa::path(post, path = "/api/v1/transits/{barcode}/receive", tag = "holds", params(("barcode" = String, Path, description = "Item barcode")),
    request_body = ReceiveIn,
    responses((status = 200, description = "Received and routed", body = CheckinOut),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 409, description = "The item is not in transit", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn receive(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<ReceiveIn>,
) -> Result<Json<CheckinOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .receive_transit(&ctx, &barcode, b.branch.as_deref())
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}
