//! Printed matter as PDF: spine and item labels (`/staff/shelf/labels`),
//! library cards (`/staff/patrons/{id}/card.pdf`, `/staff/cards.pdf`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use quire_domain::callnumber::Scheme;
use quire_domain::staff::Permission;
use quire_library::Error;
use quire_print::{ItemLabel, LibraryCard, PrintError, SheetLayout};

use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn print_error(e: PrintError) -> Error {
    match e.field {
        "start_at" => Error::field("start_at", "out-of-range"),
        "barcode" => Error::field("barcodes", "invalid-barcode"),
        _ => Error::field("layout", "invalid-choice"),
    }
}

fn scheme(s: &str) -> Scheme {
    match s {
        "lc" => Scheme::Lc,
        "dewey" => Scheme::Dewey,
        _ => Scheme::Other,
    }
}

async fn render_labels(
    state: &AppState,
    req: &Req,
    values: std::collections::BTreeMap<String, String>,
    errors: FormErrors,
) -> PageResult {
    let ctx = req.require(Permission::ViewItems).or_page(state, req)?;
    let places = state.lib.shelf_places(&ctx).await.or_page(state, req)?;
    let presets: Vec<&str> = SheetLayout::PRESETS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !n.starts_with("card"))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state
        .templates
        .render(
            req,
            "staff/shelf_labels.html",
            minijinja::context! { places, presets, values, errors },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

pub async fn labels_page(State(state): State<AppState>, req: Req) -> PageResult {
    render_labels(&state, &req, Default::default(), FormErrors::default()).await
}

/// The label PDF: items from the barcode list, or the shelving cart of a
/// branch/location, in that order.
pub async fn labels(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::ViewItems).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let result: Result<Vec<u8>, Error> = async {
        let items = if f.get("source") == "cart" {
            state
                .lib
                .shelving_cart(&ctx, &f.get("branch"), &f.get("location"))
                .await?
                .items
        } else {
            let codes = quire_library::shelf::parse_scans(&f.get("barcodes"))?;
            state.lib.items_for_labels(&ctx, &codes).await?
        };
        if items.is_empty() {
            return Err(Error::field("barcodes", "required"));
        }
        let layout = SheetLayout::preset(&f.get("layout"))
            .ok_or_else(|| Error::field("layout", "invalid-choice"))?;
        let start_at = match f.get("start_at").trim() {
            "" => 0,
            s => s
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .ok_or_else(|| Error::field("start_at", "out-of-range"))?,
        };
        if f.get("kind") == "item" {
            let labels: Vec<ItemLabel> = items
                .iter()
                .map(|i| ItemLabel {
                    barcode: i.barcode.clone(),
                    title: i.title.clone(),
                    call_number: i.call_number.clone().unwrap_or_default(),
                    library: i.location_name.clone().unwrap_or_default(),
                })
                .collect();
            quire_print::item_labels_pdf(&layout, &labels, start_at).map_err(print_error)
        } else {
            let labels: Vec<(Scheme, String)> = items
                .iter()
                .map(|i| (scheme(&i.scheme), i.call_number.clone().unwrap_or_default()))
                .collect();
            quire_print::spine_labels_pdf(&layout, &labels, start_at).map_err(print_error)
        }
    }
    .await;
    match result {
        Ok(bytes) => Ok(pdf(bytes, "labels.pdf")),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_labels(&state, &req, f.values(), errors).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

async fn cards_pdf(state: &AppState, req: &Req, ids: &[i64], layout: &str) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(state, req)?;
    let cards = state
        .lib
        .patron_cards(&ctx, ids)
        .await
        .or_page(state, req)?;
    let layout = SheetLayout::preset(layout)
        .ok_or_else(|| Error::field("layout", "invalid-choice"))
        .or_page(state, req)?;
    let cards: Vec<LibraryCard> = cards
        .into_iter()
        .map(|c| LibraryCard {
            library: c.library,
            patron_name: c.name,
            barcode: c.barcode,
        })
        .collect();
    let bytes = quire_print::library_cards_pdf(&layout, &cards)
        .map_err(|_| Error::field("patron", "invalid-barcode"))
        .or_page(state, req)?;
    Ok(pdf(bytes, "cards.pdf"))
}

/// One patron's card (ID-1 size page).
pub async fn card(State(state): State<AppState>, req: Req, Path(id): Path<i64>) -> PageResult {
    cards_pdf(&state, &req, &[id], "card").await
}

/// A sheet of cards: `?patron=ID&patron=ID…[&layout=cards-a4|card]`.
pub async fn cards(State(state): State<AppState>, req: Req, RawQuery(q): RawQuery) -> PageResult {
    let f = FormData::parse(q.unwrap_or_default().as_bytes());
    let ids: Result<Vec<i64>, _> = f
        .all("patron")
        .iter()
        .map(|s| s.trim().parse::<i64>())
        .collect();
    let ids = ids
        .map_err(|_| Error::field("patron", "invalid-number"))
        .or_page(&state, &req)?;
    let layout = match f.get("layout").as_str() {
        "" => "cards-a4".to_owned(),
        l => l.to_owned(),
    };
    cards_pdf(&state, &req, &ids, &layout).await
}
