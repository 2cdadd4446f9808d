//! Shelf pages: shelving carts (printable, scan to confirm "shelved"),
//! shelf reading (inventory) with one-click fixes, and the public shelf
//! browse. Forms work without JavaScript; with htmx the scan forms swap
//! only their result area so the scanner can keep going.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use quire_domain::staff::Permission;
use quire_library::shelf::{CartView, InventoryForm, ShelvedOutcome, parse_scans};
use serde::Deserialize;

use crate::AppState;
use crate::api::shelf::BrowseQuery;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/shelf/carts", get(carts))
        .route("/staff/shelf/carts/shelved", post(shelved))
        .route(
            "/staff/shelf/inventory",
            get(inventory_page).post(inventory),
        )
        .route("/staff/shelf/inventory/found", post(found))
        .route("/staff/shelf/inventory/missing", post(missing))
        .route("/shelf/browse", get(browse))
        .route(
            "/staff/shelf/labels",
            get(super::print::labels_page).post(super::print::labels),
        )
        .route("/staff/patrons/{id}/card.pdf", get(super::print::card))
        .route("/staff/cards.pdf", get(super::print::cards))
}

#[derive(Deserialize, Default)]
pub struct CartQuery {
    #[serde(default)]
    pub branch: String,
    #[serde(default)]
    pub location: String,
}

fn status_for(errors: &FormErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

async fn render_carts(
    state: &AppState,
    req: &Req,
    q: CartQuery,
    outcome: Option<ShelvedOutcome>,
    errors: FormErrors,
) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(state, req)?;
    let places = state.lib.shelf_places(&ctx).await.or_page(state, req)?;
    let branch = if q.branch.trim().is_empty() {
        places.first().map(|p| p.branch.clone()).unwrap_or_default()
    } else {
        q.branch.clone()
    };
    let mut errors = errors;
    let cart: Option<CartView> = if branch.is_empty() {
        None
    } else {
        match state.lib.shelving_cart(&ctx, &branch, &q.location).await {
            Ok(c) => Some(c),
            Err(e) if !e.fields.is_empty() => {
                errors = FormErrors::from_error(state, req.locale, &e);
                None
            }
            Err(e) => return Err(e).or_page(state, req),
        }
    };
    let status = status_for(&errors);
    let html = state
        .templates
        .render(
            req,
            "staff/shelf_carts.html",
            minijinja::context! {
                places, cart, outcome, errors,
                branch => branch, location => q.location.trim(),
            },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

pub async fn carts(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<CartQuery>,
) -> PageResult {
    render_carts(&state, &req, q, None, FormErrors::default()).await
}

/// "Shelved": scanned barcodes (one field, or many lines) leave the cart.
pub async fn shelved(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let q = CartQuery {
        branch: f.get("branch"),
        location: f.get("location"),
    };
    let result = match parse_scans(&f.get("barcodes")) {
        Ok(codes) => state.lib.mark_shelved(&ctx, &codes).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => render_carts(&state, &req, q, Some(out), FormErrors::default()).await,
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_carts(&state, &req, q, None, errors).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

async fn render_inventory(
    state: &AppState,
    req: &Req,
    values: std::collections::BTreeMap<String, String>,
    report: Option<quire_library::shelf::InventoryView>,
    errors: FormErrors,
) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(state, req)?;
    let places = state.lib.shelf_places(&ctx).await.or_page(state, req)?;
    let can_fix = req.can(Permission::Circulate);
    let status = status_for(&errors);
    let html = state
        .templates
        .render(
            req,
            "staff/shelf_inventory.html",
            minijinja::context! { places, values, report, errors, can_fix },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

pub async fn inventory_page(State(state): State<AppState>, req: Req) -> PageResult {
    render_inventory(
        &state,
        &req,
        Default::default(),
        None,
        FormErrors::default(),
    )
    .await
}

/// Runs a shelf-reading pass and shows its report.
pub async fn inventory(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = InventoryForm {
        branch: f.get("branch"),
        location: f.get("location"),
        from: f.get("from"),
        to: f.get("to"),
        barcodes: f.get("barcodes"),
    };
    let mut values = f.values();
    match state.lib.read_shelf(&ctx, &form).await {
        Ok(report) => {
            // The next section starts empty; the place stays chosen.
            values.remove("barcodes");
            render_inventory(&state, &req, values, Some(report), FormErrors::default()).await
        }
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_inventory(&state, &req, values, None, errors).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

async fn render_fix(
    state: &AppState,
    req: &Req,
    fix: Result<quire_library::shelf::StatusFix, quire_library::Error>,
) -> PageResult {
    let (fix, errors) = match fix {
        Ok(f) => (Some(f), FormErrors::default()),
        Err(e) if !e.fields.is_empty() => (None, FormErrors::from_error(state, req.locale, &e)),
        Err(e) => return Err(e).or_page(state, req),
    };
    let status = status_for(&errors);
    let html = state
        .templates
        .render(
            req,
            "staff/shelf_fix.html",
            minijinja::context! { fix, errors },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

/// One click: a book on the shelf recorded as on loan/lost/missing is
/// checked in and made available.
pub async fn found(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Circulate).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let fix = state.lib.fix_found_on_shelf(&ctx, &f.get("barcode")).await;
    render_fix(&state, &req, fix).await
}

/// One click: a book not found on the shelf is marked missing.
pub async fn missing(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let fix = state.lib.mark_missing(&ctx, &f.get("barcode")).await;
    render_fix(&state, &req, fix).await
}

/// The virtual shelf: an item's neighbours, with paging.
pub async fn browse(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<BrowseQuery>,
) -> PageResult {
    let staff = req.can(Permission::ViewCatalog);
    let view = state
        .lib
        .shelf_browse(q.item, q.at(), q.n.unwrap_or(5), staff)
        .await
        .or_page(&state, &req)?;
    let n = q.n.unwrap_or(5);
    state
        .templates
        .page(
            &req,
            "public/shelf_browse.html",
            minijinja::context! { view, n, staff },
        )
        .or_page(&state, &req)
}
