//! SIP2 device accounts (self-check machines, sorters): list, create,
//! change password, delete. Administrators only (`manage-staff`).

use axum::body::Bytes;
use axum::extract::{Query, State};
use quire_domain::staff::Permission;
use quire_library::sip2::{CHARSETS, Sip2AccountForm, Sip2Options};

use super::account::{Notice, notice_key};
use super::admin::page_with;
use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

pub async fn page(State(state): State<AppState>, req: Req, Query(q): Query<Notice>) -> PageResult {
    render(&state, &req, FormErrors::default(), notice_key(&q.notice)).await
}

async fn render(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(state, req)?;
    let accounts = state.lib.sip2_accounts(&ctx).await.or_page(state, req)?;
    let branches = state.lib.branches(&ctx).await.or_page(state, req)?;
    page_with(
        state,
        req,
        "staff/sip2.html",
        &errors,
        minijinja::context! { accounts, branches, charsets => CHARSETS, notice },
    )
}

pub async fn create(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = Sip2AccountForm {
        login: f.get("login"),
        password: f.get("password"),
        institution: f.get("institution"),
        branch: f.get("branch"),
        location: f.get("location"),
        locale: f.get("locale"),
        charset: f.get("charset"),
        checksum_required: f.checked("checksum_required"),
        login_optional: f.checked("login_optional"),
        options: Sip2Options {
            extensions: f.checked("extensions"),
            cv_on_success: f.checked("cv_on_success"),
            hide_fields: f
                .get("hide_fields")
                .split(',')
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty())
                .collect(),
        },
    };
    match state.lib.create_sip2_account(&ctx, &form).await {
        Ok(_) => Ok(see_other("/staff/sip2?notice=created")),
        Err(e) if !e.fields.is_empty() => {
            render(
                &state,
                &req,
                FormErrors::from_error(&state, req.locale, &e),
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn reset_password(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state
        .lib
        .reset_sip2_password(&ctx, &f.get("login"), &f.get("password"))
        .await
    {
        Ok(()) => Ok(see_other("/staff/sip2?notice=password-changed")),
        Err(e) if !e.fields.is_empty() => {
            render(
                &state,
                &req,
                FormErrors::from_error(&state, req.locale, &e),
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn delete(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::ManageStaff).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    state
        .lib
        .delete_sip2_account(&ctx, &f.get("login"))
        .await
        .or_page(&state, &req)?;
    Ok(see_other("/staff/sip2?notice=saved"))
}
