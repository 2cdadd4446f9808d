//! API: the caller, staff accounts, audit log.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use quire_domain::staff::{NewStaffForm, Permission};
use quire_library::model::AuditFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// The authenticated staff member.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    /// Every permission the roles grant.
    pub permissions: Vec<String>,
    /// Saved interface language (`en`, `fil`, `vi`), if any.
    pub locale: Option<String>,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "staff",
    responses((status = 200, body = Me), (status = 401, description = "Not logged in", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn me(State(state): State<AppState>, req: Req) -> Result<Json<Me>, ApiError> {
    let ctx = req.require(Permission::StaffArea).or_api(&state, &req)?;
    let quire_library::Actor::Staff(s) = ctx.actor else {
        return Err(quire_library::Error::new(
            quire_library::ErrorCode::Unauthenticated,
            "no staff",
        ))
        .or_api(&state, &req);
    };
    Ok(Json(Me {
        id: s.user_id,
        username: s.username,
        display_name: s.display_name,
        roles: s.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        permissions: s
            .permissions
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
        locale: s.locale.map(|l| l.tag().to_owned()),
    }))
}

/// A staff account.
#[derive(Serialize, ToSchema)]
pub struct StaffOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub active: bool,
    pub locale: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<quire_library::staff::StaffUser> for StaffOut {
    fn from(u: quire_library::staff::StaffUser) -> Self {
        StaffOut {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            roles: u.roles,
            active: u.active,
            locale: u.locale,
            created_at: u.created_at,
        }
    }
}

/// List staff accounts (permission `manage-staff`).
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff",
    responses((status = 200, body = Vec<StaffOut>), (status = 403, description = "Missing permission", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn list_staff(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Vec<StaffOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let users = state.lib.staff_list(&ctx).await.or_api(&state, &req)?;
    Ok(Json(users.into_iter().map(StaffOut::from).collect()))
}

/// A new staff account.
#[derive(Deserialize, ToSchema)]
pub struct NewStaffIn {
    /// 3–64 characters: lower-case letters, digits, `.`, `_`, `-`.
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    /// One or more of `admin`, `cataloger`, `circulation`, `volunteer`.
    pub roles: Vec<String>,
    /// At least 10 characters, not containing the user name.
    pub password: String,
}

/// Create a staff account (permission `manage-staff`).
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", request_body = NewStaffIn,
    responses((status = 201, body = StaffOut), (status = 409, description = "User name taken", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input; `field` names the first bad field", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn create_staff(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<NewStaffIn>,
) -> Result<(StatusCode, Json<StaffOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let form = NewStaffForm {
        username: b.username,
        display_name: b.display_name,
        email: b.email,
        roles: b.roles,
        password: b.password,
    };
    let u = state
        .lib
        .create_staff(&ctx, &form)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(u.into())))
}

/// One audit log entry.
#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only this kind of entity (`staff_user`, `branch`, …).
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Entries older than this id (paging).
    pub before: Option<i64>,
    /// At most this many (default 100, max 1000).
    pub limit: Option<i64>,
}

/// Read the audit log, newest first (permission `view-audit`).
#[utoipa::path(get, path = "/api/v1/audit", tag = "staff", params(AuditQuery),
    responses((status = 200, body = Vec<AuditOut>), (status = 403, description = "Missing permission", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditOut>>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let f = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
        actor_user_id: None,
        before_id: q.before,
        limit: q.limit.unwrap_or(100),
    };
    let rows = state.lib.audit_log(&ctx, &f).await.or_api(&state, &req)?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditOut {
                id: r.id,
                at: r.at,
                actor_user_id: r.actor_user_id,
                actor: r.actor_label,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                before: parse(r.before_json),
                after: parse(r.after_json),
                request_id: r.request_id,
            })
            .collect(),
    ))
}
