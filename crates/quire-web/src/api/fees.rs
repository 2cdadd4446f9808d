//! API: a patron's fees ledger — list, payments, waivers, manual fees.
//!
//! Amounts are decimal strings in major units (`"12.50"`) on the way in
//! and minor units (`1250`) on the way out. A payment or waiver larger than
//! the balance is refused with 422 on field `amount` (`exceeds-balance`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use quire_library::fees::{FeeLedger, FeePosted, PatronRef};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// One ledger line (positive: a charge; negative: a payment or waiver).
#[derive(Serialize, ToSchema)]
pub struct FeeLineOut {
    pub id: i64,
    /// `overdue`, `manual`, `waiver`, `payment-cash`, `payment-card`, `payment-other`.
    pub kind: String,
    /// Minor currency units.
    pub amount_minor: i64,
    pub note: Option<String>,
    pub loan_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Who wrote the line (staff user name).
    pub created_by: String,
}

impl From<quire_library::fees::FeeLine> for FeeLineOut {
    fn from(l: quire_library::fees::FeeLine) -> Self {
        FeeLineOut {
            id: l.id,
            kind: l.kind,
            amount_minor: l.amount_minor,
            note: l.note,
            loan_id: l.loan_id,
            created_at: l.created_at,
            created_by: l.created_by,
        }
    }
}

/// A patron's ledger.
#[derive(Serialize, ToSchema)]
pub struct FeesOut {
    /// Patron card number.
    pub patron: String,
    /// Every line, oldest first.
    pub lines: Vec<FeeLineOut>,
    /// The sum of the lines: what the patron owes, in minor units.
    pub balance_minor: i64,
}

impl From<FeeLedger> for FeesOut {
    fn from(l: FeeLedger) -> Self {
        FeesOut {
            patron: l.patron.barcode,
            lines: l.lines.into_iter().map(FeeLineOut::from).collect(),
            balance_minor: l.balance_minor,
        }
    }
}

/// A line just written.
#[derive(Serialize, ToSchema)]
pub struct FeePostedOut {
    /// Patron card number.
    pub patron: String,
    pub line: FeeLineOut,
    /// The balance after this line, in minor units.
    pub balance_minor: i64,
}

impl From<FeePosted> for FeePostedOut {
    fn from(p: FeePosted) -> Self {
        FeePostedOut {
            patron: p.patron.barcode,
            line: p.line.into(),
            balance_minor: p.balance_minor,
        }
    }
}

/// Take a payment.
#[derive(Deserialize, ToSchema)]
pub struct PaymentIn {
    /// Decimal amount in major units, e.g. `"12.50"`; at most the balance.
    pub amount: String,
    /// `cash`, `card` or `other`.
    pub method: String,
    #[serde(default)]
    pub note: String,
}

/// Waive part or all of the balance.
#[derive(Deserialize, ToSchema)]
pub struct WaiverIn {
    /// Decimal amount in major units; at most the balance.
    pub amount: String,
    /// Why (required).
    pub reason: String,
}

/// Add a manual fee.
#[derive(Deserialize, ToSchema)]
pub struct FeeIn {
    /// Decimal amount in major units.
    pub amount: String,
    /// What the fee is for (required).
    pub note: String,
}

/// A patron's fees ledger and balance (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/patrons/{barcode}/fees", tag = "fees",
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 200, body = FeesOut), (status = 404, description = "No such patron", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn patron_fees(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
) -> Result<Json<FeesOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .patron_fees(&ctx, PatronRef::Barcode(&barcode))
        .await
        .or_api(&state, &req)?;
    Ok(Json(v.into()))
}

/// Take a payment, partial or in full (permission `handle-fees`).
#[utoipa::path(post, path = "/api/v1/patrons/{barcode}/payments", tag = "fees", request_body = PaymentIn,
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 201, description = "Paid; the ledger line and the new balance", body = FeePostedOut),
        (status = 403, description = "Missing permission `handle-fees`", body = crate::error::ErrorBody),
        (status = 404, description = "No such patron", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid amount or method, or more than the balance", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn pay_fees(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<PaymentIn>,
) -> Result<(StatusCode, Json<FeePostedOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .pay_fees(
            &ctx,
            PatronRef::Barcode(&barcode),
            &b.amount,
            &b.method,
            &b.note,
        )
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Waive part or all of the balance with a reason (permission `waive-fees`).
#[utoipa::path(post, path = "/api/v1/patrons/{barcode}/waivers", tag = "fees", request_body = WaiverIn,
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 201, description = "Waived; the ledger line and the new balance", body = FeePostedOut),
        (status = 403, description = "Missing permission `waive-fees`", body = crate::error::ErrorBody),
        (status = 404, description = "No such patron", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid amount, missing reason, or more than the balance", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn waive_fees(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<WaiverIn>,
) -> Result<(StatusCode, Json<FeePostedOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .waive_fees(&ctx, PatronRef::Barcode(&barcode), &b.amount, &b.reason)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Add a manual fee (permission `handle-fees`).
#[utoipa::path(post, path = "/api/v1/patrons/{barcode}/fees", tag = "fees", request_body = FeeIn,
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 201, description = "Charged; the ledger line and the new balance", body = FeePostedOut),
        (status = 403, description = "Missing permission `handle-fees`", body = crate::error::ErrorBody),
        (status = 404, description = "No such patron", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid amount or missing note", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn add_fee(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<FeeIn>,
) -> Result<(StatusCode, Json<FeePostedOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .add_fee(&ctx, PatronRef::Barcode(&barcode), &b.amount, &b.note)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(v.into())))
}
