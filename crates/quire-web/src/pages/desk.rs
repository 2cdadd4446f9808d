//! The staff circulation desk: checkout (patron summary, scan after scan,
//! overrides, renewals, due-date slip), checkin (working branch, one
//! outcome per scan, slips) and a patron's fees (payments, waivers, manual
//! fees, receipts).
//!
//! Every form works as a plain POST; with htmx the checkout and checkin
//! forms swap just the result line into the list (`HX-Request`), and the
//! item field keeps the focus (`quire.js`). Handlers only translate
//! between HTTP and `Library` calls.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use quire_domain::staff::Permission;
use quire_library::circulation::{CheckinView, LoanView};
use quire_library::desk::DeskPatron;
use quire_library::fees::{FeePosted, PAYMENT_METHODS, PatronRef};
use quire_library::{Ctx, Error, ErrorCode};
use serde::{Deserialize, Serialize};

use super::see_other;
use crate::AppState;
use crate::context::{Req, cookie, set_cookie};
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

/// Cookie remembering the checkin desk's working branch (a branch code).
pub const BRANCH_COOKIE: &str = "quire_desk_branch";

fn is_htmx(h: &HeaderMap) -> bool {
    h.get("hx-request").and_then(|v| v.to_str().ok()) == Some("true")
}

/// One refusal, translated.
#[derive(Serialize)]
struct RefusalLine {
    code: String,
    message: String,
    overridable: bool,
}

/// The outcome of one checkout scan or renewal.
#[derive(Serialize, Default)]
struct CircLine {
    /// `ok`, `refused` or `error`.
    kind: &'static str,
    /// `checkout` or `renew`.
    action: &'static str,
    item: String,
    title: String,
    due_at: Option<DateTime<Utc>>,
    /// Translated explanation of the due date.
    explanation: Vec<String>,
    overridden: Vec<String>,
    refusals: Vec<RefusalLine>,
    /// The error message (kind `error`, or the summary of a refusal).
    message: String,
    /// Every refusal may be overridden and the staff member may override.
    can_override: bool,
    /// The override form's reason field was missing.
    reason_missing: bool,
    /// Lost / claims returned: charged (mark) or credited (reversal).
    amount_minor: i64,
}

fn explain(state: &AppState, req: &Req, codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| state.i18n.s(req.locale, &format!("due-step-{c}")))
        .collect()
}

fn loan_line(state: &AppState, req: &Req, action: &'static str, v: LoanView) -> CircLine {
    CircLine {
        kind: "ok",
        action,
        explanation: explain(state, req, &v.due_explanation),
        item: v.item_barcode,
        title: v.title,
        due_at: Some(v.loan.due_at),
        overridden: v.overridden,
        ..CircLine::default()
    }
}

fn error_line(
    state: &AppState,
    req: &Req,
    action: &'static str,
    item: &str,
    e: &Error,
) -> CircLine {
    let body = crate::error::body(state, req.locale, e, &req.request_id);
    let refusals: Vec<RefusalLine> = body
        .error
        .refusals
        .into_iter()
        .map(|r| RefusalLine {
            code: r.code,
            message: r.message,
            overridable: r.overridable,
        })
        .collect();
    let refused = e.code == ErrorCode::Refused;
    CircLine {
        kind: if refused { "refused" } else { "error" },
        action,
        item: item.trim().to_owned(),
        can_override: refused
            && !refusals.is_empty()
            && refusals.iter().all(|r| r.overridable)
            && req.can(Permission::OverrideCirculation),
        reason_missing: e.first_field() == Some("override_reason"),
        refusals,
        message: body.error.message,
        ..CircLine::default()
    }
}

// ---- checkout ----

#[derive(Deserialize, Default)]
pub struct CheckoutQuery {
    /// Card number or name.
    #[serde(default)]
    patron: String,
    /// Start of this desk session (RFC 3339).
    #[serde(default)]
    since: String,
}

fn parse_since(raw: &str, state: &AppState) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| state.lib.now())
}

#[derive(Default)]
struct CheckoutPage {
    query: String,
    patron: Option<DeskPatron>,
    matches: Vec<minijinja::Value>,
    not_found: bool,
    since: Option<DateTime<Utc>>,
    lines: Vec<CircLine>,
}

async fn render_checkout(
    state: &AppState,
    req: &Req,
    mut p: CheckoutPage,
    status: StatusCode,
) -> PageResult {
    let since = p.since.unwrap_or_else(|| state.lib.now());
    let desk = p.patron.take();
    // Loans of this session: checked out since it began, newest first.
    let session: Vec<&LoanView> = desk
        .as_ref()
        .map(|d| {
            let mut v: Vec<&LoanView> = d
                .loans
                .current
                .iter()
                .filter(|l| l.loan.checked_out_at >= since)
                .collect();
            v.sort_by_key(|l| std::cmp::Reverse(l.loan.checked_out_at));
            v
        })
        .unwrap_or_default();
    let html = state
        .templates
        .render(
            req,
            "staff/desk/checkout.html",
            minijinja::context! {
                query => p.query,
                desk,
                matches => p.matches,
                not_found => p.not_found,
                since => since.to_rfc3339(),
                session,
                lines => p.lines,
                can_override => req.can(Permission::OverrideCirculation),
                can_fees => req.can(Permission::ViewPatrons),
            },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

/// Finds the patron for a scan or a typed name: a card number first, else
/// a name search (one match is taken, several are listed).
async fn find_patron(
    state: &AppState,
    req: &Req,
    ctx: &Ctx,
    q: &str,
    page: &mut CheckoutPage,
) -> Result<(), crate::error::Page> {
    let q = q.trim();
    page.query = q.to_owned();
    if q.is_empty() {
        return Ok(());
    }
    match state.lib.desk_patron(ctx, PatronRef::Barcode(q)).await {
        Ok(d) => {
            page.patron = Some(d);
            return Ok(());
        }
        Err(e) if e.code == ErrorCode::NotFound => {}
        Err(e) => return Err(e).or_page(state, req),
    }
    let found = state.lib.find_patrons(ctx, q).await.or_page(state, req)?;
    if let [one] = found.as_slice() {
        page.patron = Some(
            state
                .lib
                .desk_patron(ctx, PatronRef::Id(one.id))
                .await
                .or_page(state, req)?,
        );
    } else if found.is_empty() {
        page.not_found = true;
    } else {
        page.matches = found.iter().map(minijinja::Value::from_serialize).collect();
    }
    Ok(())
}

pub async fn checkout_page(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<CheckoutQuery>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let mut page = CheckoutPage {
        since: Some(parse_since(&q.since, &state)),
        ..CheckoutPage::default()
    };
    find_patron(&state, &req, &ctx, &q.patron, &mut page).await?;
    let status = if page.not_found {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    render_checkout(&state, &req, page, status).await
}

/// One scan: checks the item out (with overrides and their reason when
/// the override form was used).
pub async fn checkout(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let patron = f.get("patron");
    let item = f.get("item");
    let overrides = f.all("override");
    let reason = f.get("override_reason");
    let result = state
        .lib
        .checkout_with_reason(
            &ctx,
            &patron,
            &item,
            &overrides,
            (!overrides.is_empty()).then_some(reason.as_str()),
        )
        .await;
    let (line, status) = match result {
        Ok(v) => (loan_line(&state, &req, "checkout", v), StatusCode::OK),
        Err(e) if e.code == ErrorCode::Internal || e.code == ErrorCode::Forbidden => {
            return Err(e).or_page(&state, &req);
        }
        Err(e) => {
            let st = StatusCode::from_u16(e.code.spec().http_status)
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let mut line = error_line(&state, &req, "checkout", &item, &e);
            if line.reason_missing {
                // Show the override form again, asking for the reason.
                line.kind = "refused";
                line.refusals = overrides
                    .iter()
                    .map(|c| RefusalLine {
                        message: state.i18n.s(req.locale, &format!("refusal-{c}")),
                        code: c.clone(),
                        overridable: true,
                    })
                    .collect();
                line.can_override = req.can(Permission::OverrideCirculation);
            }
            line.overridden = overrides;
            (line, st)
        }
    };
    if is_htmx(&headers) {
        // The loan list is refreshed out of band (hx-swap-oob).
        let desk = state
            .lib
            .desk_patron(&ctx, PatronRef::Barcode(&patron))
            .await
            .ok();
        // htmx swaps only successful responses: always 200 here.
        let html = state
            .templates
            .render(
                &req,
                "staff/desk/checkout_line.html",
                minijinja::context! { line, patron_barcode => patron, since => f.get("since"), desk },
            )
            .or_page(&state, &req)?;
        return Ok(Html(html).into_response());
    }
    let mut page = CheckoutPage {
        since: Some(parse_since(&f.get("since"), &state)),
        lines: vec![line],
        ..CheckoutPage::default()
    };
    find_patron(&state, &req, &ctx, &patron, &mut page).await?;
    render_checkout(&state, &req, page, status).await
}

/// Renews one loan (`item`) or every loan of the patron (`all`).
pub async fn renew(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let patron = f.get("patron");
    let items: Vec<String> = if f.get("all") == "1" {
        state
            .lib
            .patron_loans(&ctx, &patron)
            .await
            .or_page(&state, &req)?
            .current
            .into_iter()
            .map(|l| l.item_barcode)
            .collect()
    } else {
        vec![f.get("item")]
    };
    let mut lines = Vec::new();
    for item in items {
        let line = match state.lib.renew(&ctx, &item).await {
            Ok(v) => loan_line(&state, &req, "renew", v),
            Err(e) if e.code == ErrorCode::Internal || e.code == ErrorCode::Forbidden => {
                return Err(e).or_page(&state, &req);
            }
            Err(e) => {
                let mut l = error_line(&state, &req, "renew", &item, &e);
                // Renewal overrides are not offered at the desk.
                l.can_override = false;
                l
            }
        };
        lines.push(line);
    }
    let mut page = CheckoutPage {
        since: Some(parse_since(&f.get("since"), &state)),
        lines,
        ..CheckoutPage::default()
    };
    find_patron(&state, &req, &ctx, &patron, &mut page).await?;
    render_checkout(&state, &req, page, StatusCode::OK).await
}

/// Marks a loan lost or claims returned (`kind`, `reason`), or reverses
/// its mark (`reverse=1`, `note`), from the patron's loans list.
pub async fn loan_mark(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let patron = f.get("patron");
    let item = f.get("item");
    let reversing = f.get("reverse") == "1";
    let action: &'static str = if reversing {
        "reverse-mark"
    } else if f.get("kind") == "claims-returned" {
        "claims-returned"
    } else {
        "mark-lost"
    };
    let result = if reversing {
        state
            .lib
            .reverse_loan_mark(&ctx, &item, &f.get("note"))
            .await
    } else {
        match quire_library::loss::MarkKind::parse(&f.get("kind")) {
            Ok(kind) => {
                state
                    .lib
                    .mark_loan(&ctx, &item, kind, &f.get("reason"))
                    .await
            }
            Err(e) => Err(e),
        }
    };
    let (line, status) = match result {
        Ok(v) => (
            CircLine {
                kind: "ok",
                action,
                item: v.item_barcode,
                title: v.title,
                amount_minor: v.amount_minor,
                ..CircLine::default()
            },
            StatusCode::OK,
        ),
        Err(e) if e.code == ErrorCode::Internal => return Err(e).or_page(&state, &req),
        Err(e) => {
            // Forbidden too: reversing needs `override-circulation`.
            let st = StatusCode::from_u16(e.code.spec().http_status)
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let mut l = error_line(&state, &req, action, &item, &e);
            l.can_override = false;
            (l, st)
        }
    };
    let mut page = CheckoutPage {
        since: Some(parse_since(&f.get("since"), &state)),
        lines: vec![line],
        ..CheckoutPage::default()
    };
    find_patron(&state, &req, &ctx, &patron, &mut page).await?;
    render_checkout(&state, &req, page, status).await
}

/// The due-date slip: the loans of this session.
pub async fn checkout_slip(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<CheckoutQuery>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let desk = state
        .lib
        .desk_patron(&ctx, PatronRef::Barcode(&q.patron))
        .await
        .or_page(&state, &req)?;
    let since = parse_since(&q.since, &state);
    let mut loans: Vec<&LoanView> = desk
        .loans
        .current
        .iter()
        .filter(|l| l.loan.checked_out_at >= since)
        .collect();
    loans.sort_by_key(|l| l.loan.checked_out_at);
    state
        .templates
        .page(
            &req,
            "staff/desk/checkout_slip.html",
            minijinja::context! { desk, loans, since => since.to_rfc3339(), printed_at => state.lib.now().to_rfc3339() },
        )
        .or_page(&state, &req)
}

// ---- checkin ----

/// Outcome fields a slip does not need.
const SLIP_SKIP: &[&str] = &["fine_minor", "record_id", "item_status", "was_on_loan"];

/// The outcome of one checkin scan, for display.
#[derive(Serialize, Default)]
struct CheckinLine {
    /// `ok` or `error`.
    kind: &'static str,
    item: String,
    /// The service's outcome, as it returned it (every field).
    outcome: Option<serde_json::Value>,
    /// `reshelve`, `transit`, `hold-shelf`, … (from the outcome).
    route: String,
    title: String,
    call_number: Option<String>,
    location: Option<String>,
    /// Translated fine explanation.
    fine_explanation: Vec<String>,
    message: String,
    /// Query string of the printable slip (`None`: no slip needed).
    slip: Option<String>,
}

fn checkin_line(state: &AppState, req: &Req, v: &CheckinView) -> CheckinLine {
    let outcome = serde_json::to_value(v).ok();
    let needs_slip = v.route != "reshelve";
    // The slip carries the outcome's plain fields, so outcomes added to
    // the service later (holds) print without changes here.
    let slip = needs_slip.then(|| {
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(serde_json::Value::Object(m)) = &outcome {
            for (k, v) in m {
                if SLIP_SKIP.contains(&k.as_str()) {
                    continue;
                }
                let s = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => continue,
                };
                q.push((k.clone(), s));
            }
        }
        // The hold slip is loaded by id (labelled fields, patron shortened).
        if let Some(h) = &v.hold {
            q.push(("hold_id".into(), h.hold_id.to_string()));
        }
        serde_urlencoded::to_string(&q).unwrap_or_default()
    });
    CheckinLine {
        kind: "ok",
        item: v.item_barcode.clone(),
        route: v.route.clone(),
        outcome,
        fine_explanation: v
            .fine_explanation
            .iter()
            .map(|c| state.i18n.s(req.locale, &format!("fine-step-{c}")))
            .collect(),
        slip,
        ..CheckinLine::default()
    }
}

#[derive(Deserialize, Default)]
pub struct CheckinQuery {
    #[serde(default)]
    branch: String,
}

async fn working_branch(
    state: &AppState,
    req: &Req,
    ctx: &Ctx,
    headers: &HeaderMap,
    asked: &str,
) -> Result<(Vec<quire_library::model::BranchRow>, String), crate::error::Page> {
    let branches = state.lib.branches(ctx).await.or_page(state, req)?;
    let known = |c: &str| branches.iter().any(|b| b.code == c);
    let chosen = [asked.trim(), cookie(headers, BRANCH_COOKIE).unwrap_or("")]
        .into_iter()
        .find(|c| !c.is_empty() && known(c))
        .map(str::to_owned)
        .or_else(|| branches.first().map(|b| b.code.clone()))
        .unwrap_or_default();
    Ok((branches, chosen))
}

fn with_branch_cookie(state: &AppState, mut resp: Response, branch: &str) -> Response {
    if !branch.is_empty()
        && branch
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(state, BRANCH_COOKIE, branch, Some(60 * 60 * 24 * 365)),
        );
    }
    resp
}

fn render_checkin(
    state: &AppState,
    req: &Req,
    branches: &[quire_library::model::BranchRow],
    branch: &str,
    lines: Vec<CheckinLine>,
    status: StatusCode,
) -> PageResult {
    let html = state
        .templates
        .render(
            req,
            "staff/desk/checkin.html",
            minijinja::context! { branches, branch, lines },
        )
        .or_page(state, req)?;
    Ok(with_branch_cookie(
        state,
        (status, Html(html)).into_response(),
        branch,
    ))
}

pub async fn checkin_page(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    Query(q): Query<CheckinQuery>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let (branches, branch) = working_branch(&state, &req, &ctx, &headers, &q.branch).await?;
    render_checkin(&state, &req, &branches, &branch, Vec::new(), StatusCode::OK)
}

pub async fn checkin(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let (branches, branch) = working_branch(&state, &req, &ctx, &headers, &f.get("branch")).await?;
    let item = f.get("item");
    let (line, status) = match state
        .lib
        .checkin(&ctx, &item, (!branch.is_empty()).then_some(branch.as_str()))
        .await
    {
        Ok(v) => {
            let mut line = checkin_line(&state, &req, &v);
            if let Ok(s) = state.lib.shelf_info(&ctx, &v.item_barcode).await {
                line.title = s.title;
                line.call_number = s.call_number;
                line.location = s.location;
            }
            (line, StatusCode::OK)
        }
        Err(e) if e.code == ErrorCode::Internal || e.code == ErrorCode::Forbidden => {
            return Err(e).or_page(&state, &req);
        }
        Err(e) => {
            let body = crate::error::body(&state, req.locale, &e, &req.request_id);
            let st = StatusCode::from_u16(e.code.spec().http_status)
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            (
                CheckinLine {
                    kind: "error",
                    item: item.trim().to_owned(),
                    message: body.error.message,
                    ..CheckinLine::default()
                },
                st,
            )
        }
    };
    if is_htmx(&headers) {
        let html = state
            .templates
            .render(
                &req,
                "staff/desk/checkin_line.html",
                minijinja::context! { line },
            )
            .or_page(&state, &req)?;
        return Ok(with_branch_cookie(
            &state,
            Html(html).into_response(),
            &branch,
        ));
    }
    render_checkin(&state, &req, &branches, &branch, vec![line], status)
}

/// A printable slip for a checkin outcome (hold shelf, transit): the
/// outcome's fields come in the query string.
pub async fn checkin_slip(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<Vec<(String, String)>>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let get = |k: &str| {
        q.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let shelf = state
        .lib
        .shelf_info(&ctx, &get("item_barcode"))
        .await
        .or_page(&state, &req)?;
    let to = get("transit_to");
    let branches = state.lib.branches(&ctx).await.or_page(&state, &req)?;
    let to_name = branches
        .iter()
        .find(|b| b.code == to)
        .map(|b| b.name.clone());
    const KNOWN: &[&str] = &[
        "item_barcode",
        "route",
        "transit_to",
        "transit_reason",
        "patron_barcode",
        "hold_id",
        "transit_id",
        "resolved",
        "lost_found",
        "credit_minor",
    ];
    let hold = match get("hold_id").parse::<i64>() {
        Ok(id) => Some(
            state
                .lib
                .hold_slip_print(&ctx, id)
                .await
                .or_page(&state, &req)?,
        ),
        Err(_) => None,
    };
    let credit_minor: i64 = get("credit_minor").parse().unwrap_or(0);
    let extras: Vec<&(String, String)> = q
        .iter()
        .filter(|(k, v)| !KNOWN.contains(&k.as_str()) && !v.is_empty())
        .collect();
    state
        .templates
        .page(
            &req,
            "staff/desk/checkin_slip.html",
            minijinja::context! {
                shelf, route => get("route"), to, to_name, reason => get("transit_reason"),
                extras, printed_at => state.lib.now().to_rfc3339(), hold,
                transit_id => get("transit_id"), resolved => get("resolved"),
                lost_found => get("lost_found"), credit_minor,
            },
        )
        .or_page(&state, &req)
}

// ---- fees ----

#[derive(Deserialize, Default)]
pub struct FeesQuery {
    #[serde(default)]
    paid: Option<i64>,
}

async fn render_fees(
    state: &AppState,
    req: &Req,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    form: &str,
    values: FormData,
    posted: Option<i64>,
) -> PageResult {
    let ledger = state
        .lib
        .patron_fees(ctx, PatronRef::Id(id))
        .await
        .or_page(state, req)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state
        .templates
        .render(
            req,
            "staff/desk/fees.html",
            minijinja::context! {
                ledger, errors, form, values => values.values(), posted,
                methods => PAYMENT_METHODS,
                can_pay => req.can(Permission::HandleFees),
                can_waive => req.can(Permission::WaiveFees),
                can_circulate => req.can(Permission::Circulate),
            },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

pub async fn fees_page(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<FeesQuery>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(&state, &req)?;
    render_fees(
        &state,
        &req,
        &ctx,
        id,
        FormErrors::default(),
        "",
        FormData::default(),
        q.paid,
    )
    .await
}

async fn fee_result(
    state: &AppState,
    req: &Req,
    ctx: &Ctx,
    id: i64,
    form: &str,
    f: FormData,
    r: quire_library::Result<FeePosted>,
) -> PageResult {
    match r {
        Ok(p) => Ok(see_other(&format!(
            "/staff/patrons/{id}/fees?paid={}#posted",
            p.line.id
        ))),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(state, req.locale, &e);
            render_fees(state, req, ctx, id, errors, form, f, None).await
        }
        Err(e) => Err(e).or_page(state, req),
    }
}

pub async fn pay(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::HandleFees).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state
        .lib
        .pay_fees(
            &ctx,
            PatronRef::Id(id),
            &f.get("amount"),
            &f.get("method"),
            &f.get("note"),
        )
        .await;
    fee_result(&state, &req, &ctx, id, "pay", f, r).await
}

pub async fn waive(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::WaiveFees).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state
        .lib
        .waive_fees(&ctx, PatronRef::Id(id), &f.get("amount"), &f.get("reason"))
        .await;
    fee_result(&state, &req, &ctx, id, "waive", f, r).await
}

pub async fn charge(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::HandleFees).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state
        .lib
        .add_fee(&ctx, PatronRef::Id(id), &f.get("amount"), &f.get("note"))
        .await;
    fee_result(&state, &req, &ctx, id, "charge", f, r).await
}

/// A printable receipt for one ledger line.
pub async fn receipt(
    State(state): State<AppState>,
    req: Req,
    Path((id, fee)): Path<(i64, i64)>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(&state, &req)?;
    let posted = state
        .lib
        .fee_line(&ctx, PatronRef::Id(id), fee)
        .await
        .or_page(&state, &req)?;
    state
        .templates
        .page(
            &req,
            "staff/desk/receipt.html",
            minijinja::context! { posted, printed_at => state.lib.now().to_rfc3339() },
        )
        .or_page(&state, &req)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use quire_domain::Locale;

    use super::*;
    use crate::context::Auth;

    fn req(locale: Locale) -> Req {
        Req {
            request_id: "r1".into(),
            locale,
            staff: None,
            patron: None,
            patron_token: None,
            auth: Auth::Anonymous,
            csrf_token: "tok".into(),
            client_ip: None,
            user_agent: None,
            path: "/staff/circ/checkin".into(),
            path_and_query: "/staff/circ/checkin".into(),
        }
    }

    /// Outcomes are rendered by kind, and fields the service adds later
    /// (holds: pickup branch, hold patron) still show and reach the slip.
    #[test]
    fn checkin_line_renders_any_outcome() {
        let i18n = Arc::new(quire_i18n::I18n::load().unwrap());
        let t = crate::render::Templates::new(i18n, "UTC").unwrap();
        let outcome = serde_json::json!({
            "route": "hold-shelf", "transit_to": null, "transit_reason": null,
            "was_on_loan": true, "loan": null, "patron_barcode": "21001000000011",
            "fine_minor": 6000, "fine_explanation": ["overdue", "charged"],
            "item_barcode": "31001000000019", "item_status": "on-hold-shelf", "record_id": 7,
            "pickup_branch": "NORTH",
        });
        let line = CheckinLine {
            kind: "ok",
            item: "31001000000019".into(),
            route: "hold-shelf".into(),
            slip: Some("item_barcode=31001000000019&route=hold-shelf&pickup_branch=NORTH".into()),
            fine_explanation: vec!["overdue".into()],
            outcome: Some(outcome),
            ..CheckinLine::default()
        };
        let html = t
            .render(
                &req(Locale::En),
                "staff/desk/checkin_line.html",
                minijinja::context! { line },
            )
            .unwrap();
        assert!(html.contains("Hold waiting"), "{html}");
        assert!(html.contains("Overdue fine charged: 60.00"), "{html}");
        assert!(html.contains("pickup_branch: NORTH"), "{html}");
        assert!(
            html.contains("/staff/circ/checkin/slip?item_barcode=31001000000019"),
            "{html}"
        );
        assert!(html.contains("21001000000011"), "{html}");
        // An outcome kind nobody knows yet still shows its code.
        let line = CheckinLine {
            kind: "ok",
            route: "claims-returned-resolved".into(),
            outcome: Some(serde_json::json!({
                "route": "claims-returned-resolved", "was_on_loan": false,
                "fine_minor": 0, "item_status": "available",
            })),
            ..CheckinLine::default()
        };
        let html = t
            .render(
                &req(Locale::Vi),
                "staff/desk/checkin_line.html",
                minijinja::context! { line },
            )
            .unwrap();
        assert!(html.contains("claims-returned-resolved"), "{html}");
        assert!(html.contains("Tài liệu này không được mượn"), "{html}");
        assert!(!html.contains("Đã tính tiền phạt"), "no fine line: {html}");
    }
}
