//! API: the shelf — shelving carts, "shelved" scans, shelf browse, shelf
//! reading (inventory) and its status fixes.

use axum::Json;
use axum::extract::{Query, State};
use quire_domain::staff::Permission;
use quire_library::Error;
use quire_library::shelf::{
    BrowseAt, BrowseView, CartView, InventoryForm, InventoryView, ShelvedOutcome, StatusFix,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// Which cart.
#[derive(Deserialize, IntoParams)]
pub struct CartQuery {
    /// Branch code.
    pub branch: String,
    /// Location code (empty or absent: every location of the branch).
    #[serde(default)]
    pub location: String,
}

/// The shelving cart of a branch or location: items in status
/// `reshelving`, in shelf order (permission `reshelve`).
#[utoipa::path(get, path = "/api/v1/shelf/carts", tag = "shelf", params(CartQuery),
    responses((status = 200, description = "The cart in shelf order", body = CartView),
        (status = 403, description = "Missing permission `reshelve`", body = crate::error::ErrorBody),
        (status = 422, description = "Unknown branch or location", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn cart(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<CartQuery>,
) -> Result<Json<CartView>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let v = state
        .lib
        .shelving_cart(&ctx, &q.branch, &q.location)
        .await
        .or_api(&state, &req)?;
    Ok(Json(v))
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
