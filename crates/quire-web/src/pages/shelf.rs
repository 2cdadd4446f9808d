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
use quire_library::shelf::{
    CART_PAGE_SIZES, CartAt, CartPage, DEFAULT_CART_PAGE, InventoryForm, ShelvedOutcome,
    parse_scans,
};
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
        .route("/staff/shelf/carts/print", get(cart_print))
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
    /// Items per page (one of `CART_PAGE_SIZES`; empty: the default).
    #[serde(default)]
    pub size: String,
    /// Page forward from this item id.
    #[serde(default)]
    pub after: String,
    /// Page backward from this item id.
    #[serde(default)]
    pub before: String,
    /// The page starting with this item id.
    #[serde(default)]
    pub from: String,
    /// Jump to the first item at or after this call number.
    #[serde(default)]
    pub jump: String,
    /// `1`: the last page.
    #[serde(default)]
    pub last: String,
}

impl CartQuery {
    /// Where the page starts and its size (bad numbers: the field).
    fn position(&self) -> Result<(CartAt, usize), quire_library::Error> {
        let id = |field: &'static str, raw: &str| {
            raw.trim()
                .parse::<i64>()
                .map_err(|_| quire_library::Error::field(field, "unknown-item"))
        };
        let size = match self.size.trim() {
            "" => DEFAULT_CART_PAGE,
            s => s
                .parse()
                .map_err(|_| quire_library::Error::field("size", "invalid-choice"))?,
        };
        let at = if !self.jump.trim().is_empty() {
            CartAt::Jump(self.jump.trim().to_owned())
        } else if !self.after.trim().is_empty() {
            CartAt::After(id("after", &self.after)?)
        } else if !self.from.trim().is_empty() {
            CartAt::From(id("from", &self.from)?)
        } else if !self.before.trim().is_empty() {
            CartAt::Before(id("before", &self.before)?)
        } else if self.last.trim() == "1" {
            CartAt::Last
        } else {
            CartAt::First
        };
        Ok((at, size))
    }
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
    let cart: Option<CartPage> = if branch.is_empty() {
        None
    } else {
        let page = match q.position() {
            Ok((at, size)) => {
                state
                    .lib
                    .shelving_cart_page(&ctx, &branch, &q.location, &at, size)
                    .await
            }
            Err(e) => Err(e),
        };
        match page {
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
                sizes => CART_PAGE_SIZES, jump => q.jump.trim(),
                size => q.size.trim().parse::<usize>().unwrap_or(DEFAULT_CART_PAGE),
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

/// Pages of this many items make up the printable whole cart (the list
/// and the label sheets).
pub(crate) const PRINT_CHUNK: usize = 500;

/// The pages of a whole cart that follow `first`, each read from the
/// service (keyset: after the last item of the page before) only when the
/// stream is polled, so a 100,000-item cart never sits in memory at once.
/// A failed read ends the stream with its error.
pub(crate) fn later_cart_pages(
    state: AppState,
    ctx: quire_library::Ctx,
    branch: String,
    location: String,
    first: &CartPage,
) -> impl futures_util::Stream<Item = Result<CartPage, quire_library::Error>> + Send + 'static {
    struct Walk {
        state: AppState,
        ctx: quire_library::Ctx,
        branch: String,
        location: String,
        next: Option<i64>,
    }
    let walk = Walk {
        state,
        ctx,
        branch,
        location,
        next: first.next,
    };
    futures_util::stream::unfold(walk, |mut w| async move {
        let after = w.next.take()?;
        let page = w
            .state
            .lib
            .shelving_cart_page(
                &w.ctx,
                &w.branch,
                &w.location,
                &CartAt::After(after),
                PRINT_CHUNK,
            )
            .await;
        if let Ok(p) = &page {
            w.next = p.next;
        }
        Some((page, w))
    })
}

/// The whole cart as one printable page, streamed: the service is asked
/// for one page of [`PRINT_CHUNK`] items at a time and each is sent as it
/// is rendered.
pub async fn cart_print(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<CartQuery>,
) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(&state, &req)?;
    let first = state
        .lib
        .shelving_cart_page(&ctx, &q.branch, &q.location, &CartAt::First, PRINT_CHUNK)
        .await
        .or_page(&state, &req)?;
    let render = |state: &AppState, req: &Req, part: &str, cart: Option<&CartPage>, failed| {
        state
            .templates
            .render(
                req,
                "staff/shelf_cart_print.html",
                minijinja::context! { part, cart, failed },
            )
            .unwrap_or_default()
    };
    let head = state
        .templates
        .render(
            &req,
            "staff/shelf_cart_print.html",
            minijinja::context! { part => "head", cart => &first },
        )
        .or_page(&state, &req)?;
    let head = head + &render(&state, &req, "rows", Some(&first), false);
    let pages = Box::pin(later_cart_pages(
        state.clone(),
        ctx,
        q.branch.clone(),
        q.location.clone(),
        &first,
    ));
    drop(first);
    let rest = futures_util::stream::unfold(
        (pages, state, req, false),
        move |(mut pages, state, req, done)| async move {
            if done {
                return None;
            }
            let html = match futures_util::StreamExt::next(&mut pages).await {
                Some(Ok(p)) => {
                    return Some((
                        Ok::<_, std::convert::Infallible>(render(
                            &state,
                            &req,
                            "rows",
                            Some(&p),
                            false,
                        )),
                        (pages, state, req, false),
                    ));
                }
                // The list is cut short: say so at its end.
                Some(Err(e)) => {
                    tracing::warn!(error = %e.detail, "printing a cart stopped");
                    render(&state, &req, "tail", None, true)
                }
                None => render(&state, &req, "tail", None, false),
            };
            Some((Ok(html), (pages, state, req, true)))
        },
    );
    let body =
        futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(head) }), rest);
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// "Shelved": scanned barcodes (one field, or many lines) leave the cart.
pub async fn shelved(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::Reshelve).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    // The page the scan was made on stays on screen.
    let q = CartQuery {
        branch: f.get("branch"),
        location: f.get("location"),
        size: f.get("size"),
        from: f.get("from"),
        ..Default::default()
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
