//! Login, logout and the language switcher.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use quire_domain::Locale;

use super::{local_path, see_other};
use crate::AppState;
use crate::context::{LANG_COOKIE, Req, SESSION_COOKIE, set_cookie};
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

#[derive(serde::Deserialize)]
pub struct NextQ {
    #[serde(default)]
    next: String,
}

pub async fn login_page(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<NextQ>,
) -> PageResult {
    if req.staff.is_some() {
        return Ok(see_other(&local_path(&q.next, "/staff")));
    }
    render_login(&state, &req, &q.next, "", FormErrors::default())
}

fn render_login(
    state: &AppState,
    req: &Req,
    next: &str,
    username: &str,
    errors: FormErrors,
) -> PageResult {
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state
        .templates
        .render(
            req,
            "login.html",
            minijinja::context! { next, username, errors },
        )
        .or_page(state, req)?;
    Ok((status, axum::response::Html(html)).into_response())
}

pub async fn login(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let form = FormData::parse(&body);
    let username = form.get("username");
    let next = local_path(&form.get("next"), "/staff");
    let mut errors = FormErrors::default();
    if username.trim().is_empty() {
        errors.fields.insert(
            "username".into(),
            state.i18n.s(req.locale, "login-username-required"),
        );
    }
    if form.get("password").is_empty() {
        errors.fields.insert(
            "password".into(),
            state.i18n.s(req.locale, "login-password-required"),
        );
    }
    if !errors.is_empty() {
        return render_login(&state, &req, &next, &username, errors);
    }
    match state
        .lib
        .login(
            &username,
            &form.get("password"),
            req.client_ip.as_deref(),
            req.user_agent.as_deref(),
        )
        .await
    {
        Ok(session) => {
            let mut resp = see_other(&next);
            let max_age = state.lib.settings().session_idle.num_seconds();
            let h = resp.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &session.token, Some(max_age)),
            );
            if let Some(l) = session.identity.locale {
                h.append(
                    header::SET_COOKIE,
                    set_cookie(&state, LANG_COOKIE, l.tag(), Some(31_536_000)),
                );
            }
            Ok(resp)
        }
        Err(e) => {
            let errors = FormErrors {
                general: Some(
                    state
                        .i18n
                        .s(req.locale, &format!("error-{}", e.code.name())),
                ),
                ..Default::default()
            };
            let mut resp = render_login(&state, &req, &next, &username, errors)?;
            *resp.status_mut() = crate::error::WebError::new(e.clone()).status();
            if let Some(secs) = e.retry_after_secs
                && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
            {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(resp)
        }
    }
}

pub async fn logout(State(state): State<AppState>, req: Req) -> PageResult {
    if let (Some(token), Ok(ctx)) = (req.session_token(), req.ctx()) {
        state.lib.logout(&ctx, token).await.or_page(&state, &req)?;
    }
    let mut resp = see_other("/");
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(resp)
}

pub async fn switch_language(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let form = FormData::parse(&body);
    let back = local_path(&form.get("back"), "/");
    let Some(locale) = Locale::from_tag(&form.get("lang")) else {
        return Ok(see_other(&back));
    };
    if let Ok(ctx) = req.ctx() {
        state
            .lib
            .set_own_locale(&ctx, Some(locale))
            .await
            .or_page(&state, &req)?;
    }
    let mut resp = see_other(&back);
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, locale.tag(), Some(31_536_000)),
    );
    Ok(resp)
}
