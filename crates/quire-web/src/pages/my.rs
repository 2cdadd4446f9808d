//! Patron self-service (`/my`): login with card number and PIN, my loans
//! with renewals, my fines, PIN and language. Every page works on the
//! signed-in patron only (`Req::patron_ctx`); there is no route parameter
//! naming a patron. The outbox page for staff (`/staff/notices`) is here too.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse};
use quire_domain::Locale;
use quire_domain::notice::NoticeKind;
use quire_domain::staff::Permission;
use quire_library::Error;
use serde::{Deserialize, Serialize};

use super::{local_path, see_other};
use crate::AppState;
use crate::context::{LANG_COOKIE, PATRON_COOKIE, Req, set_cookie};
use crate::error::{OrPage, PageResult, WebError};
use crate::forms::{FormData, FormErrors};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MyQ {
    next: String,
    done: String,
}

fn html_status(status: StatusCode, html: String) -> PageResult {
    Ok((status, Html(html)).into_response())
}

pub async fn login_page(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<MyQ>,
) -> PageResult {
    if req.patron.is_some() {
        return Ok(see_other(&local_path(&q.next, "/my")));
    }
    render_login(
        &state,
        &req,
        &q.next,
        "",
        FormErrors::default(),
        StatusCode::OK,
    )
}

fn render_login(
    state: &AppState,
    req: &Req,
    next: &str,
    card: &str,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let html = state
        .templates
        .render(
            req,
            "public/my_login.html",
            minijinja::context! { next, card, errors },
        )
        .or_page(state, req)?;
    html_status(status, html)
}

pub async fn login(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let form = FormData::parse(&body);
    let card = form.get("card").trim().to_owned();
    let pin = form.get("pin");
    let next = local_path(&form.get("next"), "/my");
    let mut errors = FormErrors::default();
    if card.is_empty() {
        let msg = state.i18n.s(req.locale, "my-login-card-required");
        errors.fields.insert("card".into(), msg.clone());
        errors.summary.push(("card".into(), msg));
    }
    if pin.is_empty() {
        let msg = state.i18n.s(req.locale, "my-login-pin-required");
        errors.fields.insert("pin".into(), msg.clone());
        errors.summary.push(("pin".into(), msg));
    }
    if !errors.is_empty() {
        return render_login(
            &state,
            &req,
            &next,
            &card,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match state
        .lib
        .patron_login(
            &card,
            &pin,
            req.client_ip.as_deref(),
            req.user_agent.as_deref(),
        )
        .await
    {
        Ok(session) => {
            let mut resp = see_other(&next);
            let max_age = state.lib.settings().patron_session_idle.num_seconds();
            let h = resp.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, PATRON_COOKIE, &session.token, Some(max_age)),
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
            let message = match e.code {
                quire_library::ErrorCode::BadCredentials => {
                    state.i18n.s(req.locale, "my-login-failed")
                }
                other => state.i18n.s(req.locale, &format!("error-{}", other.name())),
            };
            let errors = FormErrors {
                general: Some(message),
                ..Default::default()
            };
            let status = WebError::new(e.clone()).status();
            let mut resp = render_login(&state, &req, &next, &card, errors, status)?;
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
    if let (Some(token), Ok(ctx)) = (req.patron_token.as_deref(), req.patron_ctx()) {
        state
            .lib
            .patron_logout(&ctx, token)
            .await
            .or_page(&state, &req)?;
    }
    let mut resp = see_other("/");
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, PATRON_COOKIE, "", Some(0)),
    );
    Ok(resp)
}

/// One loan row of "My loans".
#[derive(Serialize)]
struct LoanLine {
    title: String,
    record_id: i64,
    barcode: String,
    due_at: String,
    overdue: bool,
    renewals_left: Option<u32>,
}

async fn render_loans(
    state: &AppState,
    req: &Req,
    done: &str,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let ctx = req.patron_ctx().or_page(state, req)?;
    let account = state.lib.my_account(&ctx).await.or_page(state, req)?;
    let now = state.lib.now();
    let loans: Vec<LoanLine> = account
        .loans
        .iter()
        .map(|l| LoanLine {
            title: l.title.clone(),
            record_id: l.record_id,
            barcode: l.item_barcode.clone(),
            due_at: l.loan.due_at.to_rfc3339(),
            overdue: l.loan.due_at < now,
            renewals_left: l.renewals_left,
        })
        .collect();
    let html = state
        .templates
        .render(
            req,
            "public/my_loans.html",
            minijinja::context! {
                loans,
                balance_minor => account.balance_minor,
                done,
                errors,
            },
        )
        .or_page(state, req)?;
    html_status(status, html)
}

pub async fn loans(State(state): State<AppState>, req: Req, Query(q): Query<MyQ>) -> PageResult {
    let done = if q.done == "renewed" { "renewed" } else { "" };
    render_loans(&state, &req, done, FormErrors::default(), StatusCode::OK).await
}

pub async fn renew(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let form = FormData::parse(&body);
    match state.lib.renew_my_loan(&ctx, &form.get("item")).await {
        Ok(_) => Ok(see_other("/my?done=renewed")),
        Err(e) => {
            let status = WebError::new(e.clone()).status();
            let message = crate::error::body(&state, req.locale, &e, &req.request_id)
                .error
                .message;
            let errors = FormErrors {
                general: Some(message),
                ..Default::default()
            };
            render_loans(&state, &req, "", errors, status).await
        }
    }
}

pub async fn fines(State(state): State<AppState>, req: Req) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let fines = state.lib.my_fines(&ctx).await.or_page(&state, &req)?;
    state
        .templates
        .page(&req, "public/my_fines.html", minijinja::context! { fines })
        .or_page(&state, &req)
}

fn render_settings(
    state: &AppState,
    req: &Req,
    done: &str,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let preferred = req
        .patron
        .as_ref()
        .and_then(|p| p.locale)
        .map(|l| l.tag())
        .unwrap_or("");
    let html = state
        .templates
        .render(
            req,
            "public/my_settings.html",
            minijinja::context! { done, errors, preferred },
        )
        .or_page(state, req)?;
    html_status(status, html)
}

pub async fn settings(State(state): State<AppState>, req: Req, Query(q): Query<MyQ>) -> PageResult {
    req.patron_ctx().or_page(&state, &req)?;
    let done = match q.done.as_str() {
        "pin" => "pin",
        "language" => "language",
        _ => "",
    };
    render_settings(&state, &req, done, FormErrors::default(), StatusCode::OK)
}

pub async fn change_pin(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let form = FormData::parse(&body);
    match state
        .lib
        .change_my_pin(
            &ctx,
            &form.get("current_pin"),
            &form.get("new_pin"),
            &form.get("confirm_pin"),
            req.patron_token.as_deref(),
        )
        .await
    {
        Ok(()) => Ok(see_other("/my/account?done=pin")),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_settings(&state, &req, "", errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn set_language(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let form = FormData::parse(&body);
    let Some(locale) = Locale::from_tag(&form.get("language")) else {
        let e = Error::field("language", "unknown-language");
        let errors = FormErrors::from_error(&state, req.locale, &e);
        return render_settings(&state, &req, "", errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    state
        .lib
        .set_my_locale(&ctx, Some(locale))
        .await
        .or_page(&state, &req)?;
    let mut resp = see_other("/my/account?done=language");
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, locale.tag(), Some(31_536_000)),
    );
    Ok(resp)
}

// ---- holds ----

/// One hold row of "My holds".
#[derive(Serialize)]
struct HoldLine {
    id: i64,
    title: String,
    record_id: i64,
    status: String,
    queue_position: Option<usize>,
    pickup_branch: String,
    shelf_expires_at: Option<String>,
    /// The pickup branch can still change (not captured yet).
    can_change: bool,
}

async fn render_holds(
    state: &AppState,
    req: &Req,
    done: &str,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let ctx = req.patron_ctx().or_page(state, req)?;
    let holds: Vec<HoldLine> = state
        .lib
        .my_holds(&ctx)
        .await
        .or_page(state, req)?
        .into_iter()
        .map(|v| HoldLine {
            id: v.hold.id,
            title: v.title,
            record_id: v.hold.record_id,
            can_change: v.hold.status == "placed",
            status: v.hold.status,
            queue_position: v.queue_position,
            pickup_branch: v.pickup_branch,
            shelf_expires_at: v.hold.shelf_expires_at.map(|t| t.to_rfc3339()),
        })
        .collect();
    let branches = state.lib.public_branches().await.or_page(state, req)?;
    let html = state
        .templates
        .render(
            req,
            "public/my_holds.html",
            minijinja::context! { holds, branches, done, errors },
        )
        .or_page(state, req)?;
    html_status(status, html)
}

pub async fn holds(State(state): State<AppState>, req: Req, Query(q): Query<MyQ>) -> PageResult {
    let done = q.done.as_str();
    let done = if matches!(done, "placed" | "cancelled" | "pickup") {
        done
    } else {
        ""
    };
    render_holds(&state, &req, done, FormErrors::default(), StatusCode::OK).await
}

async fn hold_result(
    state: &AppState,
    req: &Req,
    r: Result<quire_library::holds::HoldView, Error>,
    done: &str,
) -> PageResult {
    match r {
        Ok(_) => Ok(see_other(&format!("/my/holds?done={done}"))),
        Err(e) if e.code == quire_library::ErrorCode::Unauthenticated => Err(e).or_page(state, req),
        Err(e) => {
            let status = WebError::new(e.clone()).status();
            let message = crate::error::body(state, req.locale, &e, &req.request_id)
                .error
                .message;
            let errors = FormErrors {
                general: Some(message),
                ..Default::default()
            };
            render_holds(state, req, "", errors, status).await
        }
    }
}

pub async fn place_hold(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let form = FormData::parse(&body);
    let Ok(record) = form.get("record").trim().parse::<i64>() else {
        return Err(Error::field("record", "required")).or_page(&state, &req);
    };
    let r = state
        .lib
        .place_my_hold(&ctx, record, &form.get("pickup"))
        .await;
    hold_result(&state, &req, r, "placed").await
}

pub async fn cancel_hold(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let r = state.lib.cancel_my_hold(&ctx, id).await;
    hold_result(&state, &req, r, "cancelled").await
}

pub async fn change_pickup(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let form = FormData::parse(&body);
    let r = state
        .lib
        .change_my_hold_pickup(&ctx, id, &form.get("pickup"))
        .await;
    hold_result(&state, &req, r, "pickup").await
}

// ---- staff: the notices outbox ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoticesQ {
    status: String,
}

#[derive(Serialize)]
struct NoticeLine {
    id: i64,
    created_at: String,
    kind: String,
    patron: String,
    recipient: Option<String>,
    locale: String,
    subject: String,
    status: String,
    skip_reason: Option<String>,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_at: Option<String>,
    sent_at: Option<String>,
}

pub async fn notices(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<NoticesQ>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(&state, &req)?;
    let status = Some(q.status.as_str()).filter(|s| !s.is_empty());
    let rows = state
        .lib
        .notices(&ctx, status)
        .await
        .or_page(&state, &req)?;
    let tz = state.templates.timezone();
    let lines: Vec<NoticeLine> = rows
        .into_iter()
        .map(|v| {
            let n = v.notice;
            let locale = Locale::from_tag(&n.locale).unwrap_or_default();
            let subject = NoticeKind::parse(&n.kind)
                .map(|k| quire_i18n::notices::render(&state.i18n, k, locale, &v.args, tz).subject)
                .unwrap_or_default();
            NoticeLine {
                id: n.id,
                created_at: n.created_at.to_rfc3339(),
                kind: n.kind,
                patron: v.patron_barcode,
                recipient: n.recipient,
                locale: n.locale,
                subject,
                status: n.status,
                skip_reason: n.skip_reason,
                attempts: n.attempts,
                last_error: n.last_error,
                next_attempt_at: n.next_attempt_at.map(|t| t.to_rfc3339()),
                sent_at: n.sent_at.map(|t| t.to_rfc3339()),
            }
        })
        .collect();
    state
        .templates
        .page(
            &req,
            "staff/notices.html",
            minijinja::context! {
                notices => lines,
                status => q.status,
                can_resend => req.can(Permission::Circulate),
            },
        )
        .or_page(&state, &req)
}

pub async fn resend(State(state): State<AppState>, req: Req, Path(id): Path<i64>) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    state
        .lib
        .resend_notice(&ctx, id)
        .await
        .or_page(&state, &req)?;
    Ok(see_other("/staff/notices"))
}

// ---- reading history ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HistoryQ {
    page: i64,
    done: String,
}

fn render_history(
    state: &AppState,
    req: &Req,
    history: &quire_library::loss::ReadingHistory,
    done: &str,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let html = state
        .templates
        .render(
            req,
            "public/my_history.html",
            minijinja::context! { history, done, errors },
        )
        .or_page(state, req)?;
    html_status(status, html)
}

/// The patron's reading history (returned loans kept because they opted
/// in), newest first, paged; the opt-in / opt-out form.
pub async fn history(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<HistoryQ>,
) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let h = state
        .lib
        .my_reading_history(&ctx, q.page.max(1))
        .await
        .or_page(&state, &req)?;
    // Only the two known notices are shown.
    let done = ["kept", "forgotten"]
        .into_iter()
        .find(|d| *d == q.done)
        .unwrap_or_default();
    render_history(
        &state,
        &req,
        &h,
        done,
        FormErrors::default(),
        StatusCode::OK,
    )
}

/// Opt in (`keep=1`) or out (`keep=0`, needs `confirm`: the history is
/// anonymised) of a reading history.
pub async fn set_history(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.patron_ctx().or_page(&state, &req)?;
    let form = FormData::parse(&body);
    let keep = form.get("keep") == "1";
    match state
        .lib
        .set_my_keep_history(&ctx, keep, form.checked("confirm"))
        .await
    {
        Ok(_) => Ok(see_other(if keep {
            "/my/history?done=kept"
        } else {
            "/my/history?done=forgotten"
        })),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            let h = state
                .lib
                .my_reading_history(&ctx, 1)
                .await
                .or_page(&state, &req)?;
            render_history(
                &state,
                &req,
                &h,
                "",
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}
