//! API: the shelf — shelving carts, "shelved" scans, shelf browse, shelf
//! reading (inventory) and its status fixes.

use axum::Json;
use axum::extract::{Query, State};
use quire_domain::staff::Permission;
use quire_library::Error;
use quire_library::shelf::{
    BrowseAt, BrowseView, CartAt, DEFAULT_CART_PAGE, InventoryForm, InventoryView, ShelfEntry,
    ShelvedOutcome, StatusFix, cart_cursor, parse_cart_cursor,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// Which cart, and which page of it.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CartQuery {
    /// Branch code.
    pub branch: String,
    /// Location code (empty or absent: every location of the branch).
    #[serde(default)]
    pub location: String,
    /// Items per page: 25, 50, 100, 200 or 500 (default 100).
    #[serde(default)]
    #[param(value_type = Option<u32>)]
    pub size: Option<String>,
    /// Where the page starts: the `next` of the previous page, passed
    /// back unchanged (absent: the start of the cart).
    #[serde(default)]
    pub cursor: Option<String>,
}

/// One page of a shelving cart, in shelf order (by location, then call
/// number; items without a call number last in their location).
#[derive(Serialize, ToSchema)]
pub struct CartPageOut {
    pub branch: String,
    pub branch_name: String,
    /// Location code when the cart is one location's, else `null` (all).
    pub location: Option<String>,
    /// This page's items, in shelf order.
    pub items: Vec<ShelfEntry>,
    /// Items on the whole cart.
    pub total: i64,
    /// Position on the cart of the page's first item (1-based; 0 when
    /// the page is empty).
    pub first_position: i64,
    /// The page size used.
    pub size: usize,
    /// Opaque cursor of the next page (`cursor=`); `null` on the last.
    pub next: Option<String>,
    /// Minutes after which an item leaves the cart by itself.
    pub reshelve_after_minutes: i64,
}

impl CartQuery {
    /// Where the page starts and its size (bad values: field `size` or
    /// `cursor`).
    fn position(&self) -> Result<(CartAt, usize), Error> {
        let size = match self.size.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_CART_PAGE,
            // Which sizes are offered is checked by the service.
            Some(s) => s
                .parse::<usize>()
                .map_err(|_| Error::field("size", "invalid-choice"))?,
        };
        let at = match self.cursor.as_deref().map(str::trim) {
            None | Some("") => CartAt::First,
            Some(c) => parse_cart_cursor(c)?,
        };
        Ok((at, size))
    }
}

/// The shelving cart of a branch or location, one page at a time: items
/// in status `reshelving`, in shelf order (permission `reshelve`). Pages
/// are read by keyset (call number sort key, item id), so every page costs
/// the same on a cart of any length; follow `next` until it is `null`.
#[utoipa::path(get, path = "/api/v1/shelf/carts", tag = "shelf", params(CartQuery),
    responses((status = 200, description = "One page of the cart in shelf order", body = CartPageOut),
        (status = 403, description = "Missing permission `reshelve`", body = crate::error::ErrorBody),
        (status = 422, description = "Unknown branch or location (field `branch`, `location`), a page size not offered (field `size`), or a cursor that is not one this API made or whose item left the branch (field `cursor`)", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn cart(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<CartQuery>,
) -> Result<Json<CartPageOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let (at, size) = q.position().or_api(&state, &req)?;
    let p = state
        .lib
        .shelving_cart_page(&ctx, &q.branch, &q.location, &at, size)
        .await
        // The cursor's item is no longer where the cursor says.
        .map_err(|e| {
            if e.fields.iter().any(|f| f.field == "after") {
                Error::field("cursor", "invalid-cursor")
            } else {
                e
            }
        })
        .or_api(&state, &req)?;
    Ok(Json(CartPageOut {
        branch: p.branch,
        branch_name: p.branch_name,
        location: p.location,
        items: p.items,
        total: p.total,
        first_position: p.first_position,
        size: p.size,
        next: p.next.map(cart_cursor),
        reshelve_after_minutes: p.reshelve_after_minutes,
    }))
}

/// Books put back on the shelf.
#[derive(Deserialize, ToSchema)]
pub struct ShelvedIn {
    /// Item barcodes, as scanned.
    pub barcodes: Vec<String>,
}

/// Confirm that scanned books are back on the shelf: items in status
/// `reshelving` become `available` (audited); others are listed as refused
/// (permission `reshelve`).
#[utoipa::path(post, path = "/api/v1/shelf/shelved", tag = "shelf", request_body = ShelvedIn,
    responses((status = 200, description = "What was shelved and what was refused", body = ShelvedOutcome),
        (status = 403, description = "Missing permission `reshelve`", body = crate::error::ErrorBody),
        (status = 422, description = "No barcodes", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn shelved(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<ShelvedIn>,
) -> Result<Json<ShelvedOutcome>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .mark_shelved(&ctx, &b.barcodes)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v))
}

/// Where to browse.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BrowseQuery {
    /// Item id to browse around.
    pub item: i64,
    /// Page forward: the items after this item id.
    pub after: Option<i64>,
    /// Page backward: the items before this item id.
    pub before: Option<i64>,
    /// Neighbours on each side (1–50, default 5).
    pub n: Option<usize>,
}

impl BrowseQuery {
    pub fn at(&self) -> BrowseAt {
        match (self.after, self.before) {
            (Some(a), _) => BrowseAt::After(a),
            (None, Some(b)) => BrowseAt::Before(b),
            (None, None) => BrowseAt::Around,
        }
    }
}

/// The neighbours of an item on its shelf (same branch and location, in
/// shelf order). Public: without a staff login, suppressed records are left
/// out.
#[utoipa::path(get, path = "/api/v1/shelf/browse", tag = "shelf", params(BrowseQuery),
    responses((status = 200, description = "A window of the shelf", body = BrowseView),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 422, description = "Unknown paging item", body = crate::error::ErrorBody)))]
pub async fn browse(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<BrowseQuery>,
) -> Result<Json<BrowseView>, ApiError> {
    let staff = req.can(Permission::ViewCatalog);
    let v = state
        .lib
        .shelf_browse(q.item, q.at(), q.n.unwrap_or(5), staff)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v))
}

/// A shelf-reading pass.
#[derive(Deserialize, ToSchema)]
pub struct InventoryIn {
    /// Branch code.
    pub branch: String,
    /// Location code (empty: items without a location).
    #[serde(default)]
    pub location: String,
    /// First call number of the section (inclusive).
    #[serde(default)]
    pub from: String,
    /// Last call number of the section (inclusive).
    #[serde(default)]
    pub to: String,
    /// Barcodes in the order the books stand on the shelf.
    pub barcodes: Vec<String>,
}

/// Read a shelf section: report books out of order (with where each
/// belongs), missing, shelved elsewhere or wrongly recorded; stamps the
/// inventory date of the section's books (permission `reshelve`).
#[utoipa::path(post, path = "/api/v1/shelf/inventory", tag = "shelf", request_body = InventoryIn,
    responses((status = 200, description = "The shelf-reading report", body = InventoryView),
        (status = 403, description = "Missing permission `reshelve`", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid input (field `branch`, `location`, `to`, `barcodes`)", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn inventory(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<InventoryIn>,
) -> Result<Json<InventoryView>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    if b.barcodes.iter().any(|s| s.contains(char::is_whitespace)) {
        return Err(Error::field("barcodes", "invalid-barcode")).or_api(&state, &req);
    }
    let form = InventoryForm {
        branch: b.branch,
        location: b.location,
        from: b.from,
        to: b.to,
        barcodes: b.barcodes.join("\n"),
    };
    let v = state
        .lib
        .read_shelf(&ctx, &form)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v))
}

/// One item.
#[derive(Deserialize, ToSchema)]
pub struct ItemIn {
    /// Item barcode.
    pub item: String,
}

/// A book found on the shelf whose record says on loan, lost, missing, …:
/// check it in (closing any loan) and make it available (permission
/// `circulate`; audited).
#[utoipa::path(post, path = "/api/v1/shelf/found", tag = "shelf", request_body = ItemIn,
    responses((status = 200, description = "The status change", body = StatusFix),
        (status = 403, description = "Missing permission `circulate`", body = crate::error::ErrorBody),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 422, description = "The item's status needs no fix", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn found(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<ItemIn>,
) -> Result<Json<StatusFix>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .fix_found_on_shelf(&ctx, &b.item)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v))
}

/// A book shelf reading did not find: mark it missing (permission
/// `reshelve`; audited).
#[utoipa::path(post, path = "/api/v1/shelf/missing", tag = "shelf", request_body = ItemIn,
    responses((status = 200, description = "The status change", body = StatusFix),
        (status = 403, description = "Missing permission `reshelve`", body = crate::error::ErrorBody),
        (status = 404, description = "No such item", body = crate::error::ErrorBody),
        (status = 422, description = "The item cannot be marked missing in its status", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn missing(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<ItemIn>,
) -> Result<Json<StatusFix>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .mark_missing(&ctx, &b.item)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v))
}
