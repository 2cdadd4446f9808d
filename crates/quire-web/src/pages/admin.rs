//! Administration pages: staff accounts, branches, audit log, API tokens.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use quire_domain::org::{BranchForm, LocationInput, parse_day};
use quire_domain::staff::{NewStaffForm, Permission, Role};
use quire_library::model::AuditFilter;
use serde::Serialize;

use super::account::{Notice, notice_key};
use super::{see_other, weekdays};
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

pub(crate) fn page_with<D: Serialize>(
    state: &AppState,
    req: &Req,
    name: &str,
    errors: &FormErrors,
    data: D,
) -> PageResult {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state
        .templates
        .render(
            req,
            name,
            minijinja::context! { errors, ..minijinja::Value::from_serialize(&data) },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

fn roles() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

// ---- staff accounts ----

pub async fn users(State(state): State<AppState>, req: Req, Query(q): Query<Notice>) -> PageResult {
    render_users(
        &state,
        &req,
        FormErrors::default(),
        FormData::default(),
        notice_key(&q.notice),
    )
    .await
}

async fn render_users(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    form: FormData,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(state, req)?;
    let users = state.lib.staff_list(&ctx).await.or_page(state, req)?;
    let checked = form.all("roles");
    page_with(
        state,
        req,
        "staff/users.html",
        &errors,
        minijinja::context! { users, roles => roles(), values => form.values(), checked, notice },
    )
}

pub async fn create_user(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = NewStaffForm {
        username: f.get("username"),
        display_name: f.get("display_name"),
        email: f.get("email"),
        roles: f.all("roles"),
        password: f.get("password"),
    };
    match state.lib.create_staff(&ctx, &form).await {
        Ok(u) => Ok(see_other(&format!("/staff/users/{}?notice=created", u.id))),
        Err(e) if !e.fields.is_empty() => {
            render_users(
                &state,
                &req,
                FormErrors::from_error(&state, req.locale, &e),
                f,
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn user(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> PageResult {
    render_user(
        &state,
        &req,
        id,
        FormErrors::default(),
        notice_key(&q.notice),
    )
    .await
}

async fn render_user(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(state, req)?;
    let user = state.lib.staff_user(&ctx, id).await.or_page(state, req)?;
    let is_self = req.staff.as_ref().is_some_and(|s| s.user_id == id);
    page_with(
        state,
        req,
        "staff/user.html",
        &errors,
        minijinja::context! { user, roles => roles(), notice, is_self },
    )
}

async fn user_action(
    state: &AppState,
    req: &Req,
    id: i64,
    r: Result<(), quire_library::Error>,
) -> PageResult {
    match r {
        Ok(()) => Ok(see_other(&format!("/staff/users/{id}?notice=saved"))),
        Err(e) if !e.fields.is_empty() => {
            render_user(
                state,
                req,
                id,
                FormErrors::from_error(state, req.locale, &e),
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(state, req),
    }
}

pub async fn set_roles(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state
        .lib
        .set_staff_roles(&ctx, id, &f.all("roles"))
        .await
        .map(|_| ());
    user_action(&state, &req, id, r).await
}

pub async fn set_active(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state
        .lib
        .set_staff_active(&ctx, id, f.get("active") == "true")
        .await
        .map(|_| ());
    user_action(&state, &req, id, r).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let user = state.lib.staff_user(&ctx, id).await.or_page(&state, &req)?;
    let r = state
        .lib
        .reset_staff_password(&ctx, &user.username, &f.get("password"))
        .await;
    user_action(&state, &req, id, r).await
}

// ---- branches ----

fn branch_form(f: &FormData) -> BranchForm {
    BranchForm {
        code: f.get("code"),
        name: f.get("name"),
        kind: f.get("kind"),
        timezone: f.get("timezone"),
        address: f.get("address"),
        phone: f.get("phone"),
        email: f.get("email"),
    }
}

pub async fn branches(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<Notice>,
) -> PageResult {
    render_branches(
        &state,
        &req,
        FormErrors::default(),
        FormData::default(),
        notice_key(&q.notice),
    )
    .await
}

async fn render_branches(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    form: FormData,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::StaffArea).or_page(state, req)?;
    let branches = state.lib.branches(&ctx).await.or_page(state, req)?;
    let can_edit = req.can(Permission::ManageBranches);
    page_with(
        state,
        req,
        "staff/branches.html",
        &errors,
        minijinja::context! { branches, can_edit, values => form.values(), notice },
    )
}

pub async fn create_branch(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ManageBranches)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let parent = f.get("parent");
    match state
        .lib
        .create_branch(&ctx, &branch_form(&f), Some(parent.as_str()))
        .await
    {
        Ok(b) => Ok(see_other(&format!(
            "/staff/branches/{}?notice=created",
            b.id
        ))),
        Err(e) if !e.fields.is_empty() => {
            render_branches(
                &state,
                &req,
                FormErrors::from_error(&state, req.locale, &e),
                f,
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn branch(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> PageResult {
    render_branch(
        &state,
        &req,
        id,
        FormErrors::default(),
        None,
        notice_key(&q.notice).or_else(|| super::patrons::closed_notice(&q.notice)),
    )
    .await
}

/// The branch page with errors of one of its forms (closed days too).
pub(crate) async fn render_branch_with(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    form: Option<FormData>,
) -> PageResult {
    render_branch(state, req, id, errors, form, None).await
}

async fn render_branch(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    form: Option<FormData>,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::StaffArea).or_page(state, req)?;
    let detail = state.lib.branch(&ctx, id).await.or_page(state, req)?;
    let can_edit = req.can(Permission::ManageBranches);
    // Hours as one row per weekday for the form (first interval of the day).
    let hours: Vec<(u8, String, String, String)> = weekdays()
        .into_iter()
        .map(|(d, key)| {
            let first = detail.hours.iter().find(|h| h.weekday == i64::from(d));
            let fmt = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
            (
                d,
                key,
                first.map(|h| fmt(h.opens_min)).unwrap_or_default(),
                first.map(|h| fmt(h.closes_min)).unwrap_or_default(),
            )
        })
        .collect();
    let values = form.map(|f| f.values()).unwrap_or_default();
    let closed = state.lib.closed_days(&ctx, id).await.or_page(state, req)?;
    page_with(
        state,
        req,
        "staff/branch.html",
        &errors,
        minijinja::context! { detail, can_edit, hours, values, notice, closed },
    )
}

async fn branch_result<T>(
    state: &AppState,
    req: &Req,
    id: i64,
    form: FormData,
    r: Result<T, quire_library::Error>,
) -> PageResult {
    match r {
        Ok(_) => Ok(see_other(&format!("/staff/branches/{id}?notice=saved"))),
        Err(e) if !e.fields.is_empty() => {
            render_branch(
                state,
                req,
                id,
                FormErrors::from_error(state, req.locale, &e),
                Some(form),
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(state, req),
    }
}

pub async fn update_branch(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageBranches)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state.lib.update_branch(&ctx, id, &branch_form(&f)).await;
    branch_result(&state, &req, id, f, r).await
}

pub async fn set_hours(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageBranches)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let mut intervals = Vec::new();
    for d in 0u8..7 {
        match parse_day(
            d,
            &f.get(&format!("opens_{d}")),
            &f.get(&format!("closes_{d}")),
        ) {
            Ok(Some(i)) => intervals.push(i),
            Ok(None) => {}
            Err(e) => {
                let r: Result<(), _> = Err(quire_library::Error::from(e));
                return branch_result(&state, &req, id, f, r).await;
            }
        }
    }
    let r = state.lib.set_opening_hours(&ctx, id, intervals).await;
    branch_result(&state, &req, id, f, r).await
}

pub async fn create_location(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageBranches)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = match LocationInput::parse(
        &f.get("loc_code"),
        &f.get("loc_name"),
        f.checked("circulates"),
        f.checked("holdable"),
        f.checked("public"),
    ) {
        Ok(input) => state
            .lib
            .create_location(&ctx, id, &input)
            .await
            .map(|_| ()),
        Err(mut inv) => {
            // The branch's own edit form on the same page also has code/name.
            for e in &mut inv.0 {
                e.field = match e.field {
                    "code" => "loc_code",
                    "name" => "loc_name",
                    other => other,
                };
            }
            Err(quire_library::Error::from(inv))
        }
    };
    branch_result(&state, &req, id, f, r).await
}

// ---- audit log ----

#[derive(serde::Deserialize, Default)]
pub struct AuditQ {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    before: Option<i64>,
}

pub async fn audit(State(state): State<AppState>, req: Req, Query(q): Query<AuditQ>) -> PageResult {
    let ctx = req.require(Permission::ViewAudit).or_page(&state, &req)?;
    let filter = AuditFilter {
        entity: Some(q.entity.clone()).filter(|e| !e.is_empty()),
        before_id: q.before,
        limit: 50,
        ..Default::default()
    };
    let entries = state
        .lib
        .audit_log(&ctx, &filter)
        .await
        .or_page(&state, &req)?;
    let next = if entries.len() == 50 {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    state
        .templates
        .page(&req, "staff/audit.html", minijinja::context! {
            entries, next, entity => q.entity,
            actions => quire_library::audit::ACTIONS, entities => quire_library::audit::ENTITIES,
        })
        .or_page(&state, &req)
}

// ---- API tokens ----

pub async fn tokens(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<Notice>,
) -> PageResult {
    render_tokens(
        &state,
        &req,
        FormErrors::default(),
        None,
        notice_key(&q.notice),
    )
    .await
}

async fn render_tokens(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    new_token: Option<String>,
    notice: Option<String>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageApiTokens)
        .or_page(state, req)?;
    let tokens = state.lib.api_tokens(&ctx).await.or_page(state, req)?;
    let users = state.lib.staff_list(&ctx).await.or_page(state, req)?;
    page_with(
        state,
        req,
        "staff/tokens.html",
        &errors,
        minijinja::context! { tokens, users, new_token, notice },
    )
}

pub async fn create_token(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ManageApiTokens)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state
        .lib
        .create_api_token(&ctx, &f.get("username"), &f.get("name"))
        .await
    {
        // Shown once, on this response only.
        Ok((_, token)) => {
            render_tokens(
                &state,
                &req,
                FormErrors::default(),
                Some(token),
                Some("notice-created".into()),
            )
            .await
        }
        Err(e) if !e.fields.is_empty() => {
            render_tokens(
                &state,
                &req,
                FormErrors::from_error(&state, req.locale, &e),
                None,
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageApiTokens)
        .or_page(&state, &req)?;
    state
        .lib
        .revoke_api_token(&ctx, id)
        .await
        .or_page(&state, &req)?;
    Ok(see_other("/staff/api-tokens?notice=revoked"))
}
