//! Printed matter as PDF: spine and item labels (`/staff/shelf/labels`),
//! library cards (`/staff/patrons/{id}/card.pdf`, `/staff/cards.pdf`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use quire_domain::callnumber::Scheme;
use quire_domain::staff::Permission;
use quire_library::Error;
use quire_library::shelf::{CartAt, CartPage, ShelfEntry};
use quire_print::{ItemLabel, LabelSheet, LibraryCard, PrintError, SheetLayout};

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

/// Adds one label per item (spine or item label). `strict`: an item label
/// that cannot be printed (its barcode) is an error; otherwise it is left
/// out with a warning in the log (the PDF is already being sent).
fn add_labels(
    sheet: &mut LabelSheet,
    items: &[ShelfEntry],
    item_labels: bool,
    strict: bool,
) -> Result<(), PrintError> {
    for i in items {
        if item_labels {
            let label = ItemLabel {
                barcode: i.barcode.clone(),
                title: i.title.clone(),
                call_number: i.call_number.clone().unwrap_or_default(),
                library: i.location_name.clone().unwrap_or_default(),
            };
            match sheet.push_item(&label) {
                Ok(()) => {}
                Err(e) if strict => return Err(e),
                Err(e) => tracing::warn!(barcode = %i.barcode, error = %e, "label left out"),
            }
        } else {
            sheet.push_spine(
                scheme(&i.scheme),
                i.call_number.as_deref().unwrap_or_default(),
            );
        }
    }
    Ok(())
}

/// A label PDF sent as it is made: `sheet` holds the first page of the
/// cart; every later page is read from `pages` when the client has taken
/// what came before, and each filled sheet page goes out at once. A
/// failed read aborts the download (a cut-short PDF must not look whole).
fn streamed_pdf(
    sheet: LabelSheet,
    pages: impl futures_util::Stream<Item = Result<CartPage, Error>> + Send + 'static,
    item_labels: bool,
    name: &str,
) -> Response {
    let pages = Box::pin(pages);
    let body = futures_util::stream::unfold(Some((sheet, pages)), move |state| async move {
        let (mut sheet, mut pages) = state?;
        match futures_util::StreamExt::next(&mut pages).await {
            Some(Ok(p)) => {
                // Item barcodes were checked when the items were saved.
                let _ = add_labels(&mut sheet, &p.items, item_labels, false);
                let bytes = sheet.take_bytes();
                Some((Ok(bytes), Some((sheet, pages))))
            }
            Some(Err(e)) => {
                tracing::warn!(error = %e.detail, "printing labels stopped");
                Some((
                    Err(std::io::Error::other(
                        "the cart could not be read to its end",
                    )),
                    None,
                ))
            }
            None => {
                let mut bytes = sheet.take_bytes();
                match sheet.finish() {
                    Ok(rest) => {
                        bytes.extend(rest);
                        Some((Ok(bytes), None))
                    }
                    Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}

/// The label PDF: items from the barcode list, or the whole shelving cart
/// of a branch/location in shelf order. The cart is read a page at a time
/// (keyset) and the PDF streamed as its sheets fill, so a cart of any
/// length never sits in memory at once.
pub async fn labels(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::ViewItems).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let result: Result<Response, Error> = async {
        let item_labels = f.get("kind") == "item";
        let from_cart = f.get("source") == "cart";
        let first = if from_cart {
            let page = state
                .lib
                .shelving_cart_page(
                    &ctx,
                    &f.get("branch"),
                    &f.get("location"),
                    &CartAt::First,
                    super::shelf::PRINT_CHUNK,
                )
                .await?;
            if page.items.is_empty() {
                return Err(Error::field("barcodes", "required"));
            }
            Some(page)
        } else {
            None
        };
        let items = match &first {
            Some(_) => Vec::new(),
            None => {
                let codes = quire_library::shelf::parse_scans(&f.get("barcodes"))?;
                let items = state.lib.items_for_labels(&ctx, &codes).await?;
                if items.is_empty() {
                    return Err(Error::field("barcodes", "required"));
                }
                items
            }
        };
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
        let mut sheet = if item_labels {
            LabelSheet::item_labels(&layout, start_at)
        } else {
            LabelSheet::spine_labels(&layout, start_at)
        }
        .map_err(print_error)?;
        match first {
            Some(first) => {
                add_labels(&mut sheet, &first.items, item_labels, true).map_err(print_error)?;
                let pages = super::shelf::later_cart_pages(
                    state.clone(),
                    ctx.clone(),
                    f.get("branch"),
                    f.get("location"),
                    &first,
                );
                Ok(streamed_pdf(sheet, pages, item_labels, "labels.pdf"))
            }
            None => {
                add_labels(&mut sheet, &items, item_labels, true).map_err(print_error)?;
                let mut bytes = sheet.take_bytes();
                bytes.extend(sheet.finish().map_err(print_error)?);
                Ok(pdf(bytes, "labels.pdf"))
            }
        }
    }
    .await;
    match result {
        Ok(r) => Ok(r),
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
