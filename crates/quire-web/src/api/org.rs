//! API: branches, opening hours, locations.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use quire_domain::org::{BranchForm, LocationInput, parse_day};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// A library unit.
#[derive(Serialize, ToSchema)]
pub struct BranchOut {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    /// `consortium`, `system` or `branch`.
    pub kind: String,
    pub timezone: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<quire_library::model::BranchRow> for BranchOut {
    fn from(b: quire_library::model::BranchRow) -> Self {
        BranchOut {
            id: b.id,
            parent_id: b.parent_id,
            code: b.code,
            name: b.name,
            kind: b.kind,
            timezone: b.timezone,
            address: b.address,
            phone: b.phone,
            email: b.email,
        }
    }
}

/// One opening interval; weekday 0 = Monday.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct HoursOut {
    pub weekday: u8,
    /// `HH:MM`
    pub opens: String,
    /// `HH:MM`
    pub closes: String,
}

#[derive(Serialize, ToSchema)]
pub struct LocationOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub circulates: bool,
    pub holdable: bool,
    pub public: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BranchDetailOut {
    pub branch: BranchOut,
    pub hours: Vec<HoursOut>,
    pub locations: Vec<LocationOut>,
}

fn hhmm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn hours_out(rows: Vec<quire_library::model::OpeningHoursRow>) -> Vec<HoursOut> {
    rows.into_iter()
        .map(|h| HoursOut {
            weekday: u8::try_from(h.weekday).unwrap_or(0),
            opens: hhmm(h.opens_min),
            closes: hhmm(h.closes_min),
        })
        .collect()
}

/// Fields of a branch.
#[derive(Deserialize, ToSchema)]
pub struct BranchIn {
    /// 2–16 characters: letters, digits, `-`, `_` (stored upper-case).
    pub code: String,
    pub name: String,
    /// `consortium`, `system` or `branch` (default).
    #[serde(default)]
    pub kind: String,
    /// IANA time zone such as `Asia/Manila` (default `UTC`).
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Code of the parent unit, if any.
    #[serde(default)]
    pub parent: Option<String>,
}

impl BranchIn {
    fn form(&self) -> BranchForm {
        BranchForm {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            timezone: self.timezone.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
        }
    }
}

/// List branches (any staff member).
#[utoipa::path(get, path = "/api/v1/branches", tag = "organisation",
    responses((status = 200, body = Vec<BranchOut>)), security(("token" = []), ("session" = [])))]
pub async fn list_branches(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Vec<BranchOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let rows = state.lib.branches(&ctx).await.or_api(&state, &req)?;
    Ok(Json(rows.into_iter().map(BranchOut::from).collect()))
}

/// One branch with its hours and locations.
#[utoipa::path(get, path = "/api/v1/branches/{id}", tag = "organisation", params(("id" = i64, Path, description = "Branch id")),
    responses((status = 200, body = BranchDetailOut), (status = 404, description = "No such branch", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn get_branch(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<BranchDetailOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let d = state.lib.branch(&ctx, id).await.or_api(&state, &req)?;
    Ok(Json(BranchDetailOut {
        branch: d.branch.into(),
        hours: hours_out(d.hours),
        locations: d
            .locations
            .into_iter()
            .map(|l| LocationOut {
                id: l.id,
                code: l.code,
                name: l.name,
                circulates: l.circulates,
                holdable: l.holdable,
                public: l.public,
            })
            .collect(),
    }))
}

/// Create a branch (permission `manage-branches`).
#[utoipa::path(post, path = "/api/v1/branches", tag = "organisation", request_body = BranchIn,
    responses((status = 201, body = BranchOut), (status = 409, description = "Code taken", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn create_branch(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<BranchIn>,
) -> Result<(StatusCode, Json<BranchOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let row = state
        .lib
        .create_branch(&ctx, &b.form(), b.parent.as_deref())
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Update a branch (permission `manage-branches`).
#[utoipa::path(put, path = "/api/v1/branches/{id}", tag = "organisation", request_body = BranchIn, params(("id" = i64, Path, description = "Branch id")),
    responses((status = 200, body = BranchOut), (status = 404, description = "No such branch", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn update_branch(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<BranchIn>,
) -> Result<Json<BranchOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let row = state
        .lib
        .update_branch(&ctx, id, &b.form())
        .await
        .or_api(&state, &req)?;
    Ok(Json(row.into()))
}

/// Replace the weekly opening hours (permission `manage-branches`).
#[utoipa::path(put, path = "/api/v1/branches/{id}/hours", tag = "organisation", request_body = Vec<HoursOut>, params(("id" = i64, Path, description = "Branch id")),
    responses((status = 200, body = Vec<HoursOut>), (status = 422, description = "Invalid or overlapping hours", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn set_hours(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<Vec<HoursOut>>,
) -> Result<Json<Vec<HoursOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let mut intervals = Vec::new();
    for h in &b {
        if h.weekday > 6 {
            return Err(quire_library::Error::field("weekday", "invalid-choice"))
                .or_api(&state, &req);
        }
        match parse_day(h.weekday, &h.opens, &h.closes)
            .map_err(quire_library::Error::from)
            .or_api(&state, &req)?
        {
            Some(i) => intervals.push(i),
            None => {
                return Err(quire_library::Error::field("opens", "required")).or_api(&state, &req);
            }
        }
    }
    let rows = state
        .lib
        .set_opening_hours(&ctx, id, intervals)
        .await
        .or_api(&state, &req)?;
    Ok(Json(hours_out(rows)))
}

#[derive(Deserialize, ToSchema)]
pub struct LocationIn {
    pub code: String,
    pub name: String,
    #[serde(default = "yes")]
    pub circulates: bool,
    #[serde(default = "yes")]
    pub holdable: bool,
    #[serde(default = "yes")]
    pub public: bool,
}

fn yes() -> bool {
    true
}

/// Add a shelving location to a branch (permission `manage-branches`).
#[utoipa::path(post, path = "/api/v1/branches/{id}/locations", tag = "organisation", request_body = LocationIn, params(("id" = i64, Path, description = "Branch id")),
    responses((status = 201, body = LocationOut), (status = 409, description = "Code taken in this branch", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn create_location(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<LocationIn>,
) -> Result<(StatusCode, Json<LocationOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let input = LocationInput::parse(&b.code, &b.name, b.circulates, b.holdable, b.public)
        .map_err(quire_library::Error::from)
        .or_api(&state, &req)?;
    let l = state
        .lib
        .create_location(&ctx, id, &input)
        .await
        .or_api(&state, &req)?;
    Ok((
        StatusCode::CREATED,
        Json(LocationOut {
            id: l.id,
            code: l.code,
            name: l.name,
            circulates: l.circulates,
            holdable: l.holdable,
            public: l.public,
        }),
    ))
}
