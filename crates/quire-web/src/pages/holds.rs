//! Staff pages for holds and transits: the pull list and the hold shelf of
//! a branch, transits in and out with a receive form (scan and Enter), and
//! the hold queue of a record (place a hold for a patron, cancel).
//! Everything is a call to the `Library` holds service.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use quire_domain::staff::Permission;
use quire_library::holds::{CancelBy, HoldRequest};
use quire_library::{Error, ErrorCode};
use serde::Deserialize;

use super::admin::page_with as render;
use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

/// `?branch=CODE` (default: the first branch).
#[derive(Deserialize, Default)]
pub struct BranchQ {
    #[serde(default)]
    pub branch: String,
    #[serde(default)]
    pub notice: String,
}

/// Form errors, with the translated refusal messages of a refused request
/// as the general message.
fn errors_of(state: &AppState, req: &Req, e: &Error) -> FormErrors {
    let mut errors = FormErrors::from_error(state, req.locale, e);
    if e.code == ErrorCode::Refused || e.code == ErrorCode::Conflict {
        let b = crate::error::body(state, req.locale, e, &req.request_id);
        let msgs: Vec<String> = b.error.refusals.into_iter().map(|r| r.message).collect();
        errors.general = Some(if msgs.is_empty() {
            b.error.message
        } else {
            msgs.join(" ")
        });
    }
    errors
}

/// The branches for the chooser and the chosen branch code.
async fn branches(
    state: &AppState,
    req: &Req,
    ctx: &quire_library::Ctx,
    wanted: &str,
) -> Result<(Vec<quire_library::model::BranchRow>, String), crate::error::Page> {
    let list = state.lib.branches(ctx).await.or_page(state, req)?;
    let wanted = wanted.trim().to_ascii_uppercase();
    let code = list
        .iter()
        .find(|b| b.code == wanted)
        .or_else(|| list.first())
        .map(|b| b.code.clone())
        .unwrap_or_default();
    Ok((list, code))
}

pub async fn pull_list(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<BranchQ>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let (list, branch) = branches(&state, &req, &ctx, &q.branch).await?;
    let entries = if branch.is_empty() {
        Vec::new()
    } else {
        state
            .lib
            .pull_list(&ctx, &branch)
            .await
            .or_page(&state, &req)?
    };
    state
        .templates
        .page(
            &req,
            "staff/holds/pull_list.html",
            minijinja::context! { branches => list, branch, entries, action => "/staff/holds/pull-list" },
        )
        .or_page(&state, &req)
}

pub async fn hold_shelf(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<BranchQ>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let (list, branch) = branches(&state, &req, &ctx, &q.branch).await?;
    let holds = if branch.is_empty() {
        Vec::new()
    } else {
        state
            .lib
            .hold_shelf(&ctx, &branch)
            .await
            .or_page(&state, &req)?
    };
    let notice: Option<String> = match q.notice.as_str() {
        "cancelled" => Some("notice-hold-cancelled".into()),
        _ => None,
    };
    state
        .templates
        .page(
            &req,
            "staff/holds/shelf.html",
            minijinja::context! { branches => list, branch, holds, notice, action => "/staff/holds/shelf" },
        )
        .or_page(&state, &req)
}

async fn render_transits(
    state: &AppState,
    req: &Req,
    wanted: &str,
    errors: FormErrors,
    received: Option<quire_library::circulation::CheckinView>,
) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(state, req)?;
    let (list, branch) = branches(state, req, &ctx, wanted).await?;
    let (incoming, outgoing) = if branch.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            state
                .lib
                .transits(&ctx, &branch, true)
                .await
                .or_page(state, req)?,
            state
                .lib
                .transits(&ctx, &branch, false)
                .await
                .or_page(state, req)?,
        )
    };
    render(
        state,
        req,
        "staff/holds/transits.html",
        &errors,
        minijinja::context! { branches => list, branch, incoming, outgoing, received, action => "/staff/transits" },
    )
}

pub async fn transits(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<BranchQ>,
) -> PageResult {
    render_transits(&state, &req, &q.branch, FormErrors::default(), None).await
}

/// The receive form: scan a barcode, Enter; the page comes back with the
/// outcome and the focus in the barcode field for the next scan.
pub async fn receive(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let branch = f.get("branch");
    let item = f.get("item");
    if item.trim().is_empty() {
        let e = Error::field("item", "required");
        return render_transits(&state, &req, &branch, errors_of(&state, &req, &e), None).await;
    }
    match state
        .lib
        .receive_transit(&ctx, &item, Some(branch.as_str()).filter(|b| !b.is_empty()))
        .await
    {
        Ok(v) => render_transits(&state, &req, &branch, FormErrors::default(), Some(v)).await,
        Err(e)
            if !e.fields.is_empty()
                || matches!(e.code, ErrorCode::Conflict | ErrorCode::NotFound) =>
        {
            let mut errors = errors_of(&state, &req, &e);
            if e.code == ErrorCode::NotFound {
                errors = errors_of(&state, &req, &Error::field("item", "unknown-item"));
            }
            render_transits(&state, &req, &branch, errors, None).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

async fn render_record(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    form: FormData,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(state, req)?;
    let (record, items) = state.lib.record(id).await.or_page(state, req)?;
    let record = minijinja::context! { id => record.id, title => record.title };
    let items: Vec<_> = items
        .into_iter()
        .map(|i| minijinja::context! { barcode => i.barcode, status => i.status })
        .collect();
    let holds = state.lib.record_holds(&ctx, id).await.or_page(state, req)?;
    let (list, _) = branches(state, req, &ctx, "").await?;
    render(
        state,
        req,
        "staff/holds/record.html",
        &errors,
        minijinja::context! {
            record, items, holds, branches => list, values => form.values(), notice,
            can_manage => req.can(Permission::ManageHolds),
        },
    )
}

pub async fn record(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<BranchQ>,
) -> PageResult {
    let notice: Option<String> = match q.notice.as_str() {
        "placed" => Some("notice-hold-placed".into()),
        "cancelled" => Some("notice-hold-cancelled".into()),
        _ => None,
    };
    render_record(
        &state,
        &req,
        id,
        FormErrors::default(),
        FormData::default(),
        notice,
    )
    .await
}

/// Place a hold for a patron (card number) on this record.
pub async fn place(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::ManageHolds).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let patron = f.get("patron");
    if patron.trim().is_empty() {
        let e = Error::field("patron", "required");
        return render_record(&state, &req, id, errors_of(&state, &req, &e), f, None).await;
    }
    let r = HoldRequest {
        patron,
        record_id: Some(id),
        pickup: Some(f.get("pickup")).filter(|p| !p.is_empty()),
        ..Default::default()
    };
    match state.lib.place_hold(&ctx, &r).await {
        Ok(_) => Ok(see_other(&format!(
            "/staff/holds/record/{id}?notice=placed"
        ))),
        Err(e)
            if !e.fields.is_empty()
                || matches!(e.code, ErrorCode::Refused | ErrorCode::NotFound) =>
        {
            let e = if e.code == ErrorCode::NotFound {
                Error::field("patron", "unknown-patron")
            } else {
                e
            };
            render_record(&state, &req, id, errors_of(&state, &req, &e), f, None).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

/// Cancel a hold as staff; back to the page the form came from.
pub async fn cancel(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::ManageHolds).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let reason = f.get("reason");
    let v = state
        .lib
        .cancel_hold(&ctx, id, CancelBy::Staff, Some(reason.as_str()))
        .await
        .or_page(&state, &req)?;
    let back = f.get("back");
    let to = if back == "shelf" {
        format!(
            "/staff/holds/shelf?branch={}&notice=cancelled",
            v.pickup_branch
        )
    } else {
        format!("/staff/holds/record/{}?notice=cancelled", v.hold.record_id)
    };
    Ok(see_other(&to))
}
