//! API: circulation — checkout, checkin, renewal, a patron's loans.
//!
//! Refusals answer 409 with `error.code = "refused"` and
//! `error.refusals[] = {code, message, overridable}`; staff with the
//! `override-circulation` permission re-submit with `override: [codes]`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use quire_library::circulation::{CheckinView, LoanView, PatronLoans};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// A loan.
#[derive(Serialize, ToSchema)]
pub struct LoanOut {
    pub id: i64,
    /// Item barcode.
    pub item: String,
    pub record_id: i64,
    pub title: String,
    /// Patron card number.
    pub patron: Option<String>,
    pub checked_out_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
    pub renewals: i64,
    /// Renewals left under the loan's rule, when known.
    pub renewals_left: Option<u32>,
    /// The item's status (e.g. `checked-out`).
    pub item_status: String,
    /// Refusal codes overridden for this operation.
    pub overridden: Vec<String>,
    /// How the due date was computed (step codes such as `loan-period`,
    /// `end-of-day`, `moved-to-open-day`).
    pub due_explanation: Vec<String>,
}

impl From<LoanView> for LoanOut {
    fn from(v: LoanView) -> Self {
        LoanOut {
            id: v.loan.id,
            item: v.item_barcode,
            record_id: v.record_id,
            title: v.title,
            patron: v.patron_barcode,
            checked_out_at: v.loan.checked_out_at,
            due_at: v.loan.due_at,
            returned_at: v.loan.returned_at,
            renewals: v.loan.renewals,
            renewals_left: v.renewals_left,
            item_status: v.item_status,
            overridden: v.overridden,
            due_explanation: v.due_explanation,
        }
    }
}

/// Lend an item.
#[derive(Deserialize, ToSchema)]
pub struct CheckoutIn {
    /// Patron card number.
    pub patron: String,
    /// Item barcode.
    pub item: String,
    /// Refusal codes to override (permission `override-circulation`).
    #[serde(default, rename = "override")]
    pub overrides: Vec<String>,
}

/// Return an item.
#[derive(Deserialize, ToSchema)]
pub struct CheckinIn {
    /// Item barcode.
    pub item: String,
    /// Code of the branch where it is returned (default: the item's branch).
    #[serde(default)]
    pub branch: Option<String>,
}

/// What a checkin did.
#[derive(Serialize, ToSchema)]
pub struct CheckinOut {
    /// `reshelve`, `transit` or `hold-shelf`.
    pub route: String,
    /// Destination branch code of a transit.
    pub transit_to: Option<String>,
    /// `home` or `hold` for a transit.
    pub transit_reason: Option<String>,
    /// False when the item was not on loan (it is still routed).
    pub was_on_loan: bool,
    pub item: String,
    pub item_status: String,
    /// Card number of the borrower whose loan was closed.
    pub patron: Option<String>,
    /// The closed loan.
    pub loan_id: Option<i64>,
    pub due_at: Option<DateTime<Utc>>,
    /// Overdue fine charged, in minor currency units (0: none).
    pub fine_minor: i64,
    /// Route `hold-shelf`: the hold slip (patron, pickup branch, deadline).
    pub hold: Option<super::holds::HoldSlipOut>,
    /// Route `transit`: the transit opened.
    pub transit_id: Option<i64>,
    /// What the return resolved: `lost-found`, `claims-returned-found` or
    /// `missing-found` (`null`: nothing).
    pub resolved: Option<String>,
    /// Lost item found: the rule's treatment of the replacement cost
    /// (`refund`, `keep` or `waive-unpaid`).
    pub lost_found: Option<String>,
    /// Lost item found: amount credited to the patron (minor units).
    pub credit_minor: i64,
}

impl From<CheckinView> for CheckinOut {
    fn from(v: CheckinView) -> Self {
        CheckinOut {
            route: v.route,
            transit_to: v.transit_to,
            transit_reason: v.transit_reason,
            was_on_loan: v.was_on_loan,
            item: v.item_barcode,
            item_status: v.item_status,
            patron: v.patron_barcode,
            loan_id: v.loan.as_ref().map(|l| l.id),
            due_at: v.loan.as_ref().map(|l| l.due_at),
            fine_minor: v.fine_minor,
            hold: v.hold.map(Into::into),
            transit_id: v.transit_id,
            resolved: v.resolution.resolved,
            lost_found: v.resolution.lost_found,
            credit_minor: v.resolution.credit_minor,
        }
    }
}

/// Renew a loan.
#[derive(Deserialize, ToSchema)]
pub struct RenewIn {
    /// Item barcode.
    pub item: String,
    /// Refusal codes to override (permission `override-circulation`).
    #[serde(default, rename = "override")]
    pub overrides: Vec<String>,
}

/// A patron's loans.
#[derive(Serialize, ToSchema)]
pub struct PatronLoansOut {
    /// Patron card number.
    pub patron: String,
    /// Current loans, by due date.
    pub loans: Vec<LoanOut>,
    /// What the patron owes, in minor currency units.
    pub balance_minor: i64,
}

impl From<PatronLoans> for PatronLoansOut {
    fn from(p: PatronLoans) -> Self {
        PatronLoansOut {
            patron: p.patron.barcode,
            loans: p.current.into_iter().map(LoanOut::from).collect(),
            balance_minor: p.balance_minor,
        }
    }
}

/// Check an item out to a patron (permission `circulate`).
#[utoipa::path(post, path = "/api/v1/checkouts", tag = "circulation", request_body = CheckoutIn,
    responses((status = 201, description = "Lent; the loan with its due date", body = LoanOut),
        (status = 403, description = "Missing permission (`circulate`, or `override-circulation` for overrides)", body = crate::error::ErrorBody),
        (status = 404, description = "No such patron or item", body = crate::error::ErrorBody),
        (status = 409, description = "Refused by the circulation rules (`error.refusals`)", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input (e.g. an unknown override code)", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn checkout(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<CheckoutIn>,
) -> Result<(StatusCode, Json<LoanOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .checkout(&ctx, &b.patron, &b.item, &b.overrides)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Check an item in (permission `circulate`): closes its loan, charges any
/// overdue fine, and says where the item goes.
#[utoipa::path(post, path = "/api/v1/checkins", tag = "circulation", request_body = CheckinIn,
    responses((status = 200, description = "Returned (or routed when it was not on loan)", body = CheckinOut),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 409, description = "Refused (withdrawn, damaged or on-order items)", body = crate::error::ErrorBody),
        (status = 422, description = "Unknown branch", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn checkin(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<CheckinIn>,
) -> Result<Json<CheckinOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .checkin(&ctx, &b.item, b.branch.as_deref())
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// Renew the loan of an item (permission `circulate`).
#[utoipa::path(post, path = "/api/v1/renewals", tag = "circulation", request_body = RenewIn,
    responses((status = 200, description = "Renewed; the loan with its new due date", body = LoanOut),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 409, description = "Refused by the circulation rules (`error.refusals`)", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn renew(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<RenewIn>,
) -> Result<Json<LoanOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .renew_with(&ctx, &b.item, &b.overrides)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// A patron's current loans and balance (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/patrons/{barcode}/loans", tag = "circulation",
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 200, body = PatronLoansOut), (status = 404, description = "No such patron", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn patron_loans(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
) -> Result<Json<PatronLoansOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .patron_loans(&ctx, &barcode)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}
