//! The staff member's own account: password change.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use quire_domain::staff::Permission;

use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    pub notice: String,
}

/// Notices that may be shown after a redirect (anything else is ignored).
pub(crate) fn notice_key(n: &str) -> Option<String> {
    [
        "saved",
        "created",
        "password-changed",
        "revoked",
        "still-bad",
        "copy-imported",
        "target-deleted",
    ]
    .contains(&n)
    .then(|| format!("notice-{n}"))
}

pub async fn page(State(state): State<AppState>, req: Req, Query(q): Query<Notice>) -> PageResult {
    req.require(Permission::StaffArea).or_page(&state, &req)?;
    render(&state, &req, FormErrors::default(), notice_key(&q.notice))
}

fn render(state: &AppState, req: &Req, errors: FormErrors, notice: Option<String>) -> PageResult {
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state
        .templates
        .render(
            req,
            "staff/account.html",
            minijinja::context! { errors, notice },
        )
        .or_page(state, req)?;
    Ok((status, axum::response::Html(html)).into_response())
}

pub async fn change_password(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::StaffArea).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state
        .lib
        .change_own_password(
            &ctx,
            &f.get("current_password"),
            &f.get("new_password"),
            &f.get("confirm_password"),
            req.session_token(),
        )
        .await
    {
        Ok(()) => Ok(see_other("/staff/account?notice=password-changed")),
        Err(e) if !e.fields.is_empty() => render(
            &state,
            &req,
            FormErrors::from_error(&state, req.locale, &e),
            None,
        ),
        Err(e) => Err(e).or_page(&state, &req),
    }
}
