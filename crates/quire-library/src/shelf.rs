//! Shelf use cases: shelving carts (items in status "reshelving" in shelf
//! order, "shelved" by scanning, automatic revert after a configurable
//! time), virtual shelf browse, and shelf reading (inventory) with its
//! one-click status fixes.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use quire_domain::callnumber::{self, Scheme};
use quire_domain::circ::status::{ItemEvent, ItemStatus, transition};
use quire_domain::shelf::{self as dshelf, Scan, ShelfItem};
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::model::{BranchRow, LocationRow};
use quire_store::shelf::{InventoryRunWrite, ShelfQuery, ShelfRow};
use serde::{Deserialize, Serialize};

use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Setting key: minutes an item stays on the cart before it becomes
/// available by itself.
pub const RESHELVE_AFTER_SETTING: &str = "shelf.reshelve_after_minutes";
/// Default of [`RESHELVE_AFTER_SETTING`]: one day.
pub const DEFAULT_RESHELVE_AFTER_MINUTES: i64 = 24 * 60;
/// Most barcodes one shelf-reading pass or one "shelved" scan list takes.
pub const MAX_SCANS: usize = 5000;
/// Most neighbours on each side in a shelf browse.
pub const MAX_BROWSE: usize = 50;

/// One item as shelf lists show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShelfEntry {
    pub item_id: i64,
    pub record_id: i64,
    pub barcode: String,
    pub call_number: Option<String>,
    /// The call number broken over lines as on the spine label.
    pub call_number_lines: Vec<String>,
    pub scheme: String,
    pub title: String,
    pub author: Option<String>,
    pub status: String,
    pub location: Option<String>,
    pub location_name: Option<String>,
    /// When the item entered its current status.
    pub since: DateTime<Utc>,
    pub inventory_at: Option<DateTime<Utc>>,
}

fn scheme_of(raw: &str) -> Scheme {
    match raw {
        "lc" => Scheme::Lc,
        "dewey" => Scheme::Dewey,
        _ => Scheme::Other,
    }
}

fn entry(row: &ShelfRow, locations: &HashMap<i64, LocationRow>) -> ShelfEntry {
    let loc = row.location_id.and_then(|l| locations.get(&l));
    let lines = row
        .call_number
        .as_deref()
        .map(|cn| call_number_lines(&row.call_number_scheme, cn))
        .unwrap_or_default();
    ShelfEntry {
        item_id: row.id,
        record_id: row.record_id,
        barcode: row.barcode.clone(),
        call_number: row.call_number.clone(),
        call_number_lines: lines,
        scheme: row.call_number_scheme.clone(),
        title: row.title.clone(),
        author: row.author.clone(),
        status: row.status.clone(),
        location: loc.map(|l| l.code.clone()),
        location_name: loc.map(|l| l.name.clone()),
        since: row.status_changed_at.unwrap_or(row.updated_at),
        inventory_at: row.inventory_at,
    }
}

/// The lines of a spine label for a stored call number (invalid numbers:
/// split at spaces).
pub fn call_number_lines(scheme: &str, call_number: &str) -> Vec<String> {
    match callnumber::parse(scheme_of(scheme), call_number) {
        Ok(cn) => cn.display_lines(),
        Err(_) => call_number.split_whitespace().map(str::to_owned).collect(),
    }
}

/// A shelving cart: what is in status "reshelving" at a branch.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartView {
    pub branch: String,
    pub branch_name: String,
    /// Location code when the cart is one location's, else `None` (all).
    pub location: Option<String>,
    /// In shelf order: by location, then call number.
    pub items: Vec<ShelfEntry>,
    /// Minutes after which an item leaves the cart by itself.
    pub reshelve_after_minutes: i64,
}

/// Page sizes staff can choose for a cart list.
pub const CART_PAGE_SIZES: [usize; 5] = [25, 50, 100, 200, 500];
/// The page size when none is chosen.
pub const DEFAULT_CART_PAGE: usize = 100;

/// Where a page of a cart starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartAt {
    /// The start of the cart.
    First,
    /// The end of the cart (the last page).
    Last,
    /// The items after this item (by id) in shelf order.
    After(i64),
    /// The items before this item (by id).
    Before(i64),
    /// This item and the items after it (the same page again, e.g. after
    /// some of it was shelved; the item itself may have left the cart).
    From(i64),
    /// The first item whose call number sorts at or after this one.
    Jump(String),
}

/// The opaque cursor of the cart page that follows item `id` (for APIs:
/// clients pass it back unchanged).
pub fn cart_cursor(id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("cart:{id}"))
}

/// Reads a cursor made by [`cart_cursor`] (anything else: field `cursor`,
/// `invalid-cursor`).
pub fn parse_cart_cursor(raw: &str) -> Result<CartAt> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("cart:")?.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .map(CartAt::After)
        .ok_or_else(|| Error::field("cursor", "invalid-cursor"))
}

/// One page of a shelving cart, in shelf order (by location, then call
/// number; items without a call number last in their location).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartPage {
    pub branch: String,
    pub branch_name: String,
    /// Location code when the cart is one location's, else `None` (all).
    pub location: Option<String>,
    pub items: Vec<ShelfEntry>,
    /// Items on the whole cart.
    pub total: i64,
    /// Position on the cart of the first item of the page (1-based; 0
    /// when the page is empty).
    pub first_position: i64,
    /// Item id to page backwards from (`before=`), when there is more.
    pub prev: Option<i64>,
    /// Item id to page forwards from (`after=`), when there is more.
    pub next: Option<i64>,
    pub size: usize,
    /// A "jump to call number" found nothing at or after it (the last
    /// page is shown).
    pub jump_past_end: bool,
    /// Minutes after which an item leaves the cart by itself.
    pub reshelve_after_minutes: i64,
}

/// One run of a cart in shelf order: a location's items with a call
/// number (by sort key), or without one (by id).
#[derive(Debug, Clone, Copy)]
struct Segment {
    location_id: Option<i64>,
    keyed: bool,
    count: i64,
}

impl Segment {
    /// Order of segments: by location id (no location last), keyed first.
    fn rank(location_id: Option<i64>, keyed: bool) -> (bool, i64, bool) {
        (location_id.is_none(), location_id.unwrap_or(0), !keyed)
    }
    fn query<'a>(
        &self,
        branch_id: i64,
        status: &'a str,
        backward: bool,
        limit: usize,
    ) -> ShelfQuery<'a> {
        ShelfQuery {
            branch_id,
            location_id: self.location_id,
            status: Some(status),
            without_call_number: !self.keyed,
            from_key: None,
            to_key: None,
            cursor: None,
            backward,
            public: false,
            limit: i64::try_from(limit).unwrap_or(i64::MAX),
        }
    }
}

/// Up to `size` cart rows from segment `start` on (forward), or from the
/// segments before `start` backwards (`backward`, returned in descending
/// order). The first segment read starts at `cursor` (key, id) or at
/// `from_key`.
#[allow(clippy::too_many_arguments)]
async fn cart_fill(
    tx: &mut dyn Tx,
    branch_id: i64,
    status: &str,
    segments: &[Segment],
    start: usize,
    cursor: Option<&(String, i64)>,
    from_key: Option<&str>,
    backward: bool,
    size: usize,
) -> Result<Vec<ShelfRow>> {
    let mut rows: Vec<ShelfRow> = Vec::with_capacity(size);
    let order: Vec<usize> = if backward {
        (0..start.min(segments.len())).rev().collect()
    } else {
        (start..segments.len()).collect()
    };
    for (n, i) in order.into_iter().enumerate() {
        if rows.len() >= size {
            break;
        }
        let s = &segments[i];
        let mut q = s.query(branch_id, status, backward, size - rows.len());
        if n == 0 {
            q.cursor = cursor.map(|(k, id)| (k.as_str(), *id));
            q.from_key = from_key;
        }
        rows.extend(tx.shelf_window(&q).await?);
    }
    Ok(rows)
}

/// What a "shelved" scan list did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShelvedOutcome {
    /// Barcodes now available.
    pub shelved: Vec<String>,
    /// Barcodes refused, with the reason code (`unknown-item`,
    /// `not-reshelving`).
    pub refused: Vec<ShelvedRefusal>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShelvedRefusal {
    pub barcode: String,
    pub reason: String,
    /// The item's current status, when it exists.
    pub status: Option<String>,
}

/// Which window of a shelf to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowseAt {
    /// Centred on the item.
    Around,
    /// The page after this item (by id).
    After(i64),
    /// The page before this item (by id).
    Before(i64),
}

/// A window of a shelf.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrowseView {
    /// The item the browse started from.
    pub anchor: ShelfEntry,
    pub branch: String,
    pub branch_name: String,
    pub location_name: Option<String>,
    /// In shelf order.
    pub items: Vec<ShelfEntry>,
    /// Item id to page backwards from (`before=`), when there is more.
    pub prev: Option<i64>,
    /// Item id to page forwards from (`after=`), when there is more.
    pub next: Option<i64>,
}

/// A shelf-reading pass as entered by staff.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InventoryForm {
    pub branch: String,
    #[serde(default)]
    pub location: String,
    /// First call number of the section (inclusive; empty: start of shelf).
    #[serde(default)]
    pub from: String,
    /// Last call number of the section (inclusive, with everything that
    /// starts with it; empty: end of shelf).
    #[serde(default)]
    pub to: String,
    /// Scanned barcodes in shelf order (one per line or separated by spaces).
    #[serde(default)]
    pub barcodes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MisplacedView {
    pub item: ShelfEntry,
    /// Position in the scan list (1-based).
    pub position: usize,
    /// It belongs after this item …
    pub after: Option<ShelfEntry>,
    /// … and before this one.
    pub before: Option<ShelfEntry>,
}

/// The report of one shelf-reading pass.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InventoryView {
    pub run_id: i64,
    pub branch: String,
    pub location: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub scanned: usize,
    /// Items of the section expected on the shelf.
    pub expected: usize,
    pub out_of_order: Vec<MisplacedView>,
    pub missing: Vec<ShelfEntry>,
    /// Scanned items shelved elsewhere (their branch/location/call number
    /// says where they belong).
    pub elsewhere: Vec<ElsewhereView>,
    /// Scanned items whose status says they cannot be on the shelf.
    pub wrong_status: Vec<ShelfEntry>,
    pub unknown: Vec<String>,
    pub duplicates: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ElsewhereView {
    pub item: ShelfEntry,
    pub branch: String,
}

/// What a one-click status fix did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusFix {
    pub barcode: String,
    pub from: String,
    pub to: String,
    /// Whether an open loan was closed (the book was on the shelf).
    pub loan_closed: bool,
}

/// Parses scanned barcodes: one per line, or separated by spaces/commas.
pub fn parse_scans(raw: &str) -> Result<Vec<String>> {
    let v: Vec<String> = raw
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if v.len() > MAX_SCANS {
        return Err(Error::field("barcodes", "too-many"));
    }
    if v.iter()
        .any(|b| b.len() > 32 || !b.bytes().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(Error::field("barcodes", "invalid-barcode"));
    }
    Ok(v)
}

async fn branch_by_code(tx: &mut dyn Tx, raw: &str) -> Result<BranchRow> {
    let c = raw.trim().to_ascii_uppercase();
    if c.is_empty() {
        return Err(Error::field("branch", "required"));
    }
    tx.branch_by_code(&c)
        .await?
        .ok_or_else(|| Error::field("branch", "unknown-branch"))
}

async fn location_map(tx: &mut dyn Tx) -> Result<HashMap<i64, LocationRow>> {
    Ok(tx
        .locations(None)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect())
}

fn location_by_code(
    locations: &HashMap<i64, LocationRow>,
    branch_id: i64,
    raw: &str,
) -> Result<Option<i64>> {
    let c = raw.trim();
    if c.is_empty() {
        return Ok(None);
    }
    locations
        .values()
        .find(|l| l.branch_id == branch_id && l.code.eq_ignore_ascii_case(c))
        .map(|l| Some(l.id))
        .ok_or_else(|| Error::field("location", "unknown-location"))
}

fn status_of(row: &ShelfRow) -> Result<ItemStatus> {
    ItemStatus::parse(&row.status).map_err(|_| {
        Error::new(
            ErrorCode::Internal,
            format!("item {} has unknown status {:?}", row.id, row.status),
        )
    })
}

fn shelf_item(row: &ShelfRow) -> Result<ShelfItem> {
    Ok(ShelfItem {
        barcode: row.barcode.clone(),
        sort_key: row.call_number_sort.clone(),
        status: status_of(row)?,
    })
}

/// A branch and its shelving locations (for the shelf forms).
#[derive(Debug, Clone, Serialize)]
pub struct ShelfPlace {
    pub branch: String,
    pub branch_name: String,
    /// (code, name) of each location.
    pub locations: Vec<(String, String)>,
}

impl Library {
    /// Branches (kind `branch`) with their locations, for choosing a cart
    /// or a section (permission `staff-area`).
    pub async fn shelf_places(&self, ctx: &Ctx) -> Result<Vec<ShelfPlace>> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let mut locations = tx.locations(None).await?;
        locations.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(tx
            .branches()
            .await?
            .into_iter()
            .filter(|b| b.kind == "branch")
            .map(|b| ShelfPlace {
                locations: locations
                    .iter()
                    .filter(|l| l.branch_id == b.id)
                    .map(|l| (l.code.clone(), l.name.clone()))
                    .collect(),
                branch: b.code,
                branch_name: b.name,
            })
            .collect())
    }

    /// The shelf around a record's first shelved copy (an available copy
    /// with a call number if there is one), for the record page.
    pub async fn record_shelf(
        &self,
        record_id: i64,
        n: usize,
        staff: bool,
    ) -> Result<Option<BrowseView>> {
        let items = {
            let mut r = self.store().read().await?;
            r.items_of(record_id).await?
        };
        let pick = items
            .iter()
            .filter(|i| i.call_number_sort.is_some() && i.status != ItemStatus::Withdrawn.as_str())
            .min_by_key(|i| (i.status != ItemStatus::Available.as_str(), i.id));
        match pick {
            Some(i) => Ok(Some(
                self.shelf_browse(i.id, BrowseAt::Around, n, staff).await?,
            )),
            None => Ok(None),
        }
    }
}

impl Library {
    async fn reshelve_after(&self, tx: &mut dyn Tx) -> Result<i64> {
        Ok(tx
            .setting(RESHELVE_AFTER_SETTING)
            .await?
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|m| *m > 0)
            .unwrap_or(DEFAULT_RESHELVE_AFTER_MINUTES))
    }

    /// Sets the time after which items leave the cart by themselves
    /// (permission `manage-policies`).
    pub async fn set_reshelve_after(&self, ctx: &Ctx, minutes: &str) -> Result<i64> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let m: i64 = minutes
            .trim()
            .parse()
            .ok()
            .filter(|m| (1..=60 * 24 * 60).contains(m))
            .ok_or_else(|| Error::field("minutes", "out-of-range"))?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = self.reshelve_after(tx).await?;
        tx.put_setting(RESHELVE_AFTER_SETTING, &m.to_string())
            .await?;
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "setting",
            RESHELVE_AFTER_SETTING,
            Some(&before),
            Some(&m),
        )
        .await?;
        w.commit().await?;
        Ok(m)
    }

    /// The shelving cart of a branch (one location, or all): items in
    /// status "reshelving" in shelf order (permission `reshelve`).
    pub async fn shelving_cart(&self, ctx: &Ctx, branch: &str, location: &str) -> Result<CartView> {
        ctx.actor.require(Permission::Reshelve)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let b = branch_by_code(tx, branch).await?;
        let locations = location_map(tx).await?;
        let loc = location_by_code(&locations, b.id, location)?;
        let rows = tx
            .items_in_status(b.id, loc, ItemStatus::Reshelving.as_str())
            .await?;
        let reshelve_after_minutes = self.reshelve_after(tx).await?;
        Ok(CartView {
            branch: b.code,
            branch_name: b.name,
            location: loc.and_then(|l| locations.get(&l)).map(|l| l.code.clone()),
            items: rows.iter().map(|r| entry(r, &locations)).collect(),
            reshelve_after_minutes,
        })
    }

    /// One page of the shelving cart of a branch (one location, or all),
    /// in shelf order, by keyset on (location, sort key, id): every query
    /// is an index range scan, so a page costs the same on a cart of 100
    /// or 100,000 items (permission `reshelve`). `size` is one of
    /// [`CART_PAGE_SIZES`] (others: field `size`).
    pub async fn shelving_cart_page(
        &self,
        ctx: &Ctx,
        branch: &str,
        location: &str,
        at: &CartAt,
        size: usize,
    ) -> Result<CartPage> {
        ctx.actor.require(Permission::Reshelve)?;
        if !CART_PAGE_SIZES.contains(&size) {
            return Err(Error::field("size", "invalid-choice"));
        }
        let status = ItemStatus::Reshelving.as_str();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let b = branch_by_code(tx, branch).await?;
        let locations = location_map(tx).await?;
        let loc = location_by_code(&locations, b.id, location)?;
        let mut segments = Vec::new();
        for (l, all, keyed) in tx.status_counts(b.id, status).await? {
            if loc.is_some() && l != loc {
                continue;
            }
            segments.push(Segment {
                location_id: l,
                keyed: true,
                count: keyed,
            });
            segments.push(Segment {
                location_id: l,
                keyed: false,
                count: all - keyed,
            });
        }
        segments.retain(|s| s.count > 0);
        let total: i64 = segments.iter().map(|s| s.count).sum();
        // Where the page starts: a segment index and a cursor inside it.
        let mut jump_past_end = false;
        let (rows, backward) = match at {
            CartAt::First => (
                cart_fill(tx, b.id, status, &segments, 0, None, None, false, size).await?,
                false,
            ),
            CartAt::Last => (
                cart_fill(
                    tx,
                    b.id,
                    status,
                    &segments,
                    segments.len(),
                    None,
                    None,
                    true,
                    size,
                )
                .await?,
                true,
            ),
            CartAt::After(id) | CartAt::Before(id) | CartAt::From(id) => {
                let backward = matches!(at, CartAt::Before(_));
                let field = if backward { "before" } else { "after" };
                let item = tx
                    .item(*id)
                    .await?
                    .filter(|i| i.branch_id == b.id && (loc.is_none() || i.location_id == loc))
                    .ok_or_else(|| Error::field(field, "unknown-item"))?;
                let rank = Segment::rank(item.location_id, item.call_number_sort.is_some());
                // Segments at or after the item's (forward) / at or before
                // it (backward); the item's own segment takes the cursor.
                let start = segments
                    .iter()
                    .position(|s| Segment::rank(s.location_id, s.keyed) >= rank)
                    .unwrap_or(segments.len());
                let own = segments
                    .get(start)
                    .is_some_and(|s| Segment::rank(s.location_id, s.keyed) == rank);
                // Ids are integers: "from id" is "after id - 1" on the same key.
                let after_id = if matches!(at, CartAt::From(_)) {
                    item.id - 1
                } else {
                    item.id
                };
                let cursor = (item.call_number_sort.clone().unwrap_or_default(), after_id);
                let rows = if backward {
                    let end = if own { start + 1 } else { start };
                    cart_fill(
                        tx,
                        b.id,
                        status,
                        &segments,
                        end,
                        own.then_some(&cursor),
                        None,
                        true,
                        size,
                    )
                    .await?
                } else {
                    cart_fill(
                        tx,
                        b.id,
                        status,
                        &segments,
                        start,
                        own.then_some(&cursor),
                        None,
                        false,
                        size,
                    )
                    .await?
                };
                (rows, backward)
            }
            CartAt::Jump(cn) => {
                let cn = cn.trim();
                if cn.is_empty() {
                    return Err(Error::field("jump", "required"));
                }
                let key = callnumber::sort_key(callnumber::guess_scheme(cn), cn).into_string();
                // The first location whose shelf has an item at or after it.
                let mut found = None;
                for (i, s) in segments.iter().enumerate().filter(|(_, s)| s.keyed) {
                    let q = ShelfQuery {
                        from_key: Some(&key),
                        ..s.query(b.id, status, false, 1)
                    };
                    if !tx.shelf_window(&q).await?.is_empty() {
                        found = Some(i);
                        break;
                    }
                }
                match found {
                    Some(i) => (
                        cart_fill(
                            tx,
                            b.id,
                            status,
                            &segments,
                            i,
                            None,
                            Some(&key),
                            false,
                            size,
                        )
                        .await?,
                        false,
                    ),
                    None => {
                        jump_past_end = true;
                        (
                            cart_fill(
                                tx,
                                b.id,
                                status,
                                &segments,
                                segments.len(),
                                None,
                                None,
                                true,
                                size,
                            )
                            .await?,
                            true,
                        )
                    }
                }
            }
        };
        let mut rows = rows;
        if backward {
            rows.reverse();
        }
        // Position of the page's first item: the segments before it, and
        // its place in its own segment (an index range count).
        let first_position = match rows.first() {
            None => 0,
            Some(first) => {
                let rank = Segment::rank(first.location_id, first.call_number_sort.is_some());
                let mut before = 0;
                for s in &segments {
                    if Segment::rank(s.location_id, s.keyed) < rank {
                        before += s.count;
                    } else if Segment::rank(s.location_id, s.keyed) == rank {
                        let cursor = first.call_number_sort.as_deref().unwrap_or_default();
                        let q = ShelfQuery {
                            cursor: Some((cursor, first.id)),
                            ..s.query(b.id, status, true, 0)
                        };
                        before += tx.shelf_count(&q).await?;
                    }
                }
                before + 1
            }
        };
        let shown = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        let prev = (first_position > 1)
            .then(|| rows.first().map(|r| r.id))
            .flatten();
        let next = (first_position > 0 && first_position - 1 + shown < total)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        let reshelve_after_minutes = self.reshelve_after(tx).await?;
        Ok(CartPage {
            branch: b.code,
            branch_name: b.name,
            location: loc.and_then(|l| locations.get(&l)).map(|l| l.code.clone()),
            items: rows.iter().map(|r| entry(r, &locations)).collect(),
            total,
            first_position,
            prev,
            next,
            size,
            jump_past_end,
            reshelve_after_minutes,
        })
    }

    /// Staff scanned these books back onto the shelf: each one in status
    /// "reshelving" becomes available (audited, one transaction); others
    /// are reported, not changed (permission `reshelve`).
    pub async fn mark_shelved(&self, ctx: &Ctx, barcodes: &[String]) -> Result<ShelvedOutcome> {
        ctx.actor.require(Permission::Reshelve)?;
        self.shelve_unchecked(ctx, barcodes).await
    }

    /// [`Library::mark_shelved`] after the caller checked its permission.
    async fn shelve_unchecked(&self, ctx: &Ctx, barcodes: &[String]) -> Result<ShelvedOutcome> {
        if barcodes.is_empty() {
            return Err(Error::field("barcodes", "required"));
        }
        if barcodes.len() > MAX_SCANS {
            return Err(Error::field("barcodes", "too-many"));
        }
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let mut out = ShelvedOutcome::default();
        for raw in barcodes {
            let b = raw.trim();
            let Some(row) = tx.shelf_item(b).await? else {
                out.refused.push(ShelvedRefusal {
                    barcode: b.to_owned(),
                    reason: "unknown-item".into(),
                    status: None,
                });
                continue;
            };
            let status = status_of(&row)?;
            match transition(status, ItemEvent::Shelved) {
                Ok(to) => {
                    self.apply_shelved(tx, ctx, &row, to, now, "shelve").await?;
                    out.shelved.push(row.barcode);
                }
                Err(_) => out.refused.push(ShelvedRefusal {
                    barcode: row.barcode,
                    reason: "not-reshelving".into(),
                    status: Some(row.status),
                }),
            }
        }
        w.commit().await?;
        Ok(out)
    }

    async fn apply_shelved(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        row: &ShelfRow,
        to: ItemStatus,
        now: DateTime<Utc>,
        action: &str,
    ) -> Result<()> {
        tx.set_item_status(row.id, to.as_str(), now).await?;
        tx.push_outbox("record", row.record_id, "upsert", now)
            .await?;
        #[derive(Serialize)]
        struct S<'a> {
            barcode: &'a str,
            status: &'a str,
        }
        audit::record(
            tx,
            self,
            ctx,
            action,
            "item",
            row.id,
            Some(&S {
                barcode: &row.barcode,
                status: &row.status,
            }),
            Some(&S {
                barcode: &row.barcode,
                status: to.as_str(),
            }),
        )
        .await
    }

    /// Items on a cart longer than the configured time (setting
    /// [`RESHELVE_AFTER_SETTING`]) become available. Idempotent; `now` is
    /// passed in (the server calls it periodically). Returns how many.
    pub async fn sweep_reshelving(&self, ctx: &Ctx, now: DateTime<Utc>) -> Result<usize> {
        ctx.actor.require(Permission::Reshelve)?;
        let mut done = 0;
        loop {
            let mut w = self.store().begin().await?;
            let tx = w.as_mut();
            let after = Duration::minutes(self.reshelve_after(tx).await?);
            let due = tx.reshelving_due(now - after, 500).await?;
            let n = due.len();
            for row in &due {
                let to = transition(status_of(row)?, ItemEvent::Shelved)
                    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
                self.apply_shelved(tx, ctx, row, to, now, "auto-shelve")
                    .await?;
            }
            w.commit().await?;
            done += n;
            if n < 500 {
                return Ok(done);
            }
        }
    }

    /// The neighbours of an item on its shelf (same branch and location, in
    /// shelf order): `n` on each side (at most [`MAX_BROWSE`]), or the
    /// page after/before another item. Public (`staff == false`) browses
    /// leave out suppressed records and refuse suppressed anchors.
    pub async fn shelf_browse(
        &self,
        item_id: i64,
        at: BrowseAt,
        n: usize,
        staff: bool,
    ) -> Result<BrowseView> {
        let n = n.clamp(1, MAX_BROWSE);
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let anchor_item = tx
            .item(item_id)
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        let anchor = tx
            .shelf_item(&anchor_item.barcode)
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        if anchor.suppressed && !staff {
            return Err(Error::not_found("item"));
        }
        let branch = tx
            .branch(anchor.branch_id)
            .await?
            .ok_or_else(|| Error::new(ErrorCode::Internal, "item branch missing"))?;
        let locations = location_map(tx).await?;
        let base = ShelfQuery {
            branch_id: anchor.branch_id,
            location_id: anchor.location_id,
            status: None,
            without_call_number: false,
            from_key: None,
            to_key: None,
            cursor: None,
            backward: false,
            public: !staff,
            limit: 0,
        };
        fn window<'a>(
            base: &ShelfQuery<'a>,
            cursor: Option<(&'a str, i64)>,
            backward: bool,
            limit: usize,
        ) -> ShelfQuery<'a> {
            ShelfQuery {
                cursor,
                backward,
                limit: i64::try_from(limit).unwrap_or(i64::MAX),
                ..*base
            }
        }
        let page = 2 * n + 1;
        let (items_rows, prev, next) = match at {
            BrowseAt::Around => {
                // Items without a call number are not in shelf order: the
                // browse then starts at the beginning of the shelf.
                let key = anchor.call_number_sort.as_deref();
                let mut before = match key {
                    Some(k) => {
                        tx.shelf_window(&window(&base, Some((k, anchor.id)), true, n + 1))
                            .await?
                    }
                    None => Vec::new(),
                };
                let more_before = before.len() > n;
                before.truncate(n);
                before.reverse();
                let limit = if key.is_some() { n + 1 } else { page + 1 };
                let mut after = tx
                    .shelf_window(&window(&base, key.map(|k| (k, anchor.id)), false, limit))
                    .await?;
                let more_after = after.len() + 1 > limit;
                after.truncate(limit - 1);
                let mut all = before;
                if key.is_some() {
                    all.push(anchor.clone());
                }
                all.extend(after);
                let prev = if more_before {
                    all.first().map(|r| r.id)
                } else {
                    None
                };
                let next = if more_after {
                    all.last().map(|r| r.id)
                } else {
                    None
                };
                (all, prev, next)
            }
            BrowseAt::After(from) | BrowseAt::Before(from) => {
                let backward = matches!(at, BrowseAt::Before(_));
                let unknown = || {
                    if backward {
                        Error::field("before", "unknown-item")
                    } else {
                        Error::field("after", "unknown-item")
                    }
                };
                let from_item = tx
                    .item(from)
                    .await?
                    .filter(|i| {
                        i.branch_id == anchor.branch_id && i.location_id == anchor.location_id
                    })
                    .ok_or_else(unknown)?;
                let k = from_item.call_number_sort.ok_or_else(unknown)?;
                let mut rows = tx
                    .shelf_window(&window(&base, Some((&k, from)), backward, page + 1))
                    .await?;
                let more = rows.len() > page;
                rows.truncate(page);
                if backward {
                    rows.reverse();
                    let prev = if more {
                        rows.first().map(|r| r.id)
                    } else {
                        None
                    };
                    let next = rows.last().map(|r| r.id);
                    (rows, prev, next)
                } else {
                    let prev = rows.first().map(|r| r.id);
                    let next = if more {
                        rows.last().map(|r| r.id)
                    } else {
                        None
                    };
                    (rows, prev, next)
                }
            }
        };
        Ok(BrowseView {
            anchor: entry(&anchor, &locations),
            branch: branch.code,
            branch_name: branch.name,
            location_name: anchor
                .location_id
                .and_then(|l| locations.get(&l))
                .map(|l| l.name.clone()),
            items: items_rows.iter().map(|r| entry(r, &locations)).collect(),
            prev,
            next,
        })
    }

    /// Reads a shelf section: compares the scanned barcodes with the
    /// section's items in shelf order, stamps the inventory date of every
    /// section item scanned, records the run (audited) and reports what is
    /// out of order, missing, shelved elsewhere or wrongly recorded
    /// (permission `reshelve`).
    pub async fn read_shelf(&self, ctx: &Ctx, form: &InventoryForm) -> Result<InventoryView> {
        ctx.actor.require(Permission::Reshelve)?;
        let scans = parse_scans(&form.barcodes)?;
        if scans.is_empty() {
            return Err(Error::field("barcodes", "required"));
        }
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let b = branch_by_code(tx, &form.branch).await?;
        let locations = location_map(tx).await?;
        let loc = location_by_code(&locations, b.id, &form.location)?;
        let from = form.from.trim();
        let to = form.to.trim();
        // The range's scheme: guessed from the bounds (the section's items
        // carry their own keys).
        let from_key = (!from.is_empty())
            .then(|| callnumber::sort_key(callnumber::guess_scheme(from), from).into_string());
        // Inclusive: everything that starts with the last call number.
        let to_key = (!to.is_empty()).then(|| {
            format!(
                "{}\u{7f}",
                callnumber::sort_key(callnumber::guess_scheme(to), to).as_str()
            )
        });
        if let (Some(f), Some(t)) = (&from_key, &to_key)
            && f > t
        {
            return Err(Error::field("to", "range-reversed"));
        }
        // The whole section, in pages.
        let mut section_rows: Vec<ShelfRow> = Vec::new();
        loop {
            let cursor = section_rows
                .last()
                .and_then(|r| r.call_number_sort.as_deref().map(|k| (k, r.id)));
            let page = tx
                .shelf_window(&ShelfQuery {
                    branch_id: b.id,
                    location_id: loc,
                    status: None,
                    without_call_number: false,
                    from_key: from_key.as_deref(),
                    to_key: to_key.as_deref(),
                    cursor,
                    backward: false,
                    public: false,
                    limit: 2000,
                })
                .await?;
            let n = page.len();
            section_rows.extend(page);
            if n < 2000 {
                break;
            }
        }
        let by_barcode: HashMap<&str, &ShelfRow> = section_rows
            .iter()
            .map(|r| (r.barcode.as_str(), r))
            .collect();
        let section: Vec<ShelfItem> = section_rows.iter().map(shelf_item).collect::<Result<_>>()?;
        let mut others: HashMap<String, ShelfRow> = HashMap::new();
        let mut resolved = Vec::with_capacity(scans.len());
        for s in &scans {
            if let Some(r) = by_barcode.get(s.as_str()) {
                resolved.push(Scan::InSection(shelf_item(r)?));
            } else if let Some(r) = tx.shelf_item(s).await? {
                resolved.push(Scan::Elsewhere(shelf_item(&r)?));
                others.insert(r.barcode.clone(), r);
            } else {
                resolved.push(Scan::Unknown(s.clone()));
            }
        }
        let report = dshelf::read_shelf(&section, &resolved);
        for bc in &report.seen {
            if let Some(r) = by_barcode.get(bc.as_str()) {
                tx.mark_inventoried(r.id, now).await?;
            }
        }
        let e = |bc: &str| -> Option<ShelfEntry> {
            by_barcode
                .get(bc)
                .map(|r| entry(r, &locations))
                .or_else(|| others.get(bc).map(|r| entry(r, &locations)))
        };
        let mut branch_codes: HashMap<i64, String> = HashMap::new();
        for r in others.values() {
            if let std::collections::hash_map::Entry::Vacant(v) = branch_codes.entry(r.branch_id)
                && let Some(br) = tx.branch(r.branch_id).await?
            {
                v.insert(br.code);
            }
        }
        let out_of_order: Vec<MisplacedView> = report
            .out_of_order
            .iter()
            .filter_map(|m| {
                Some(MisplacedView {
                    item: e(&m.barcode)?,
                    position: m.scanned_at + 1,
                    after: m.after.as_deref().and_then(e),
                    before: m.before.as_deref().and_then(e),
                })
            })
            .collect();
        let missing: Vec<ShelfEntry> = report
            .missing
            .iter()
            .filter_map(|i| e(&i.barcode))
            .collect();
        let elsewhere: Vec<ElsewhereView> = report
            .elsewhere
            .iter()
            .filter_map(|i| {
                let r = others.get(&i.barcode)?;
                Some(ElsewhereView {
                    item: entry(r, &locations),
                    branch: branch_codes.get(&r.branch_id).cloned().unwrap_or_default(),
                })
            })
            .collect();
        let wrong_status: Vec<ShelfEntry> = report
            .wrong_status
            .iter()
            .filter_map(|i| e(&i.barcode))
            .collect();
        let expected = section
            .iter()
            .filter(|i| dshelf::expected_on_shelf(i.status))
            .count();
        #[derive(Serialize)]
        struct Stored<'a> {
            scans: &'a [String],
            out_of_order: Vec<&'a str>,
            missing: Vec<&'a str>,
            elsewhere: Vec<&'a str>,
            wrong_status: Vec<&'a str>,
            unknown: &'a [String],
        }
        let stored = Stored {
            scans: &scans,
            out_of_order: report
                .out_of_order
                .iter()
                .map(|m| m.barcode.as_str())
                .collect(),
            missing: report.missing.iter().map(|i| i.barcode.as_str()).collect(),
            elsewhere: report
                .elsewhere
                .iter()
                .map(|i| i.barcode.as_str())
                .collect(),
            wrong_status: report
                .wrong_status
                .iter()
                .map(|i| i.barcode.as_str())
                .collect(),
            unknown: &report.unknown,
        };
        let json = serde_json::to_string(&stored)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let label = ctx.actor.label();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let run_id = tx
            .insert_inventory_run(&InventoryRunWrite {
                branch_id: b.id,
                location_id: loc,
                from_call_number: (!from.is_empty()).then_some(from),
                to_call_number: (!to.is_empty()).then_some(to),
                scanned: count(scans.len()),
                out_of_order: count(out_of_order.len()),
                missing: count(missing.len()),
                elsewhere: count(elsewhere.len()),
                wrong_status: count(wrong_status.len()),
                report_json: &json,
                created_by: &label,
                created_at: now,
            })
            .await?;
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "inventory",
            "inventory_run",
            run_id,
            None,
            Some(&stored),
        )
        .await?;
        w.commit().await?;
        Ok(InventoryView {
            run_id,
            branch: b.code,
            location: loc.and_then(|l| locations.get(&l)).map(|l| l.code.clone()),
            from: (!from.is_empty()).then(|| from.to_owned()),
            to: (!to.is_empty()).then(|| to.to_owned()),
            scanned: scans.len(),
            expected,
            out_of_order,
            missing,
            elsewhere,
            wrong_status,
            unknown: report.unknown,
            duplicates: report.duplicates,
        })
    }

    /// One-click fix for a book found on the shelf whose record says it is
    /// on loan, lost, missing, …: checks it in at its branch (closing any
    /// loan, audited as a checkin) and puts it straight back on the shelf
    /// (available, audited) when the checkin sends it to the shelf.
    /// Permission `circulate` (it may close a loan).
    pub async fn fix_found_on_shelf(&self, ctx: &Ctx, barcode: &str) -> Result<StatusFix> {
        ctx.actor.require(Permission::Circulate)?;
        let b = barcode.trim();
        let row = {
            let mut r = self.store().read().await?;
            r.shelf_item(b)
                .await?
                .ok_or_else(|| Error::not_found("item"))?
        };
        let from = status_of(&row)?;
        if !dshelf::wrong_status_on_shelf(from) || from == ItemStatus::Reshelving {
            if from == ItemStatus::Reshelving {
                let out = self
                    .shelve_unchecked(ctx, std::slice::from_ref(&row.barcode))
                    .await?;
                if out.shelved.is_empty() {
                    return Err(Error::field("item", "not-reshelving"));
                }
                return Ok(StatusFix {
                    barcode: row.barcode,
                    from: from.as_str().into(),
                    to: ItemStatus::Available.as_str().into(),
                    loan_closed: false,
                });
            }
            return Err(Error::field("item", "status-ok"));
        }
        let branch = {
            let mut r = self.store().read().await?;
            r.branch(row.branch_id)
                .await?
                .ok_or_else(|| Error::new(ErrorCode::Internal, "item branch missing"))?
                .code
        };
        let out = self.checkin(ctx, &row.barcode, Some(&branch)).await?;
        let mut to = out.item_status.clone();
        if to == ItemStatus::Reshelving.as_str() {
            let s = self
                .shelve_unchecked(ctx, std::slice::from_ref(&row.barcode))
                .await?;
            if !s.shelved.is_empty() {
                to = ItemStatus::Available.as_str().into();
            }
        }
        Ok(StatusFix {
            barcode: row.barcode,
            from: from.as_str().into(),
            to,
            loan_closed: out.was_on_loan,
        })
    }

    /// Marks an available item that shelf reading did not find as missing
    /// (audited; permission `reshelve`).
    pub async fn mark_missing(&self, ctx: &Ctx, barcode: &str) -> Result<StatusFix> {
        ctx.actor.require(Permission::Reshelve)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let row = tx
            .shelf_item(barcode.trim())
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        let from = status_of(&row)?;
        let to = transition(from, ItemEvent::NotFound)
            .map_err(|_| Error::field("item", "cannot-mark-missing"))?;
        self.apply_shelved(tx, ctx, &row, to, now, "mark-missing")
            .await?;
        w.commit().await?;
        Ok(StatusFix {
            barcode: row.barcode,
            from: from.as_str().into(),
            to: to.as_str().into(),
            loan_closed: false,
        })
    }
}

/// What a library card shows.
#[derive(Debug, Clone, Serialize)]
pub struct CardData {
    pub patron_id: i64,
    pub name: String,
    pub barcode: String,
    /// The patron's home branch (its name heads the card).
    pub library: String,
}

/// Most labels or cards in one PDF.
pub const MAX_PRINT: usize = 2000;

impl Library {
    /// Items to print labels for, in the order given (permission
    /// `view-items`). Unknown barcodes: field `barcodes`.
    pub async fn items_for_labels(
        &self,
        ctx: &Ctx,
        barcodes: &[String],
    ) -> Result<Vec<ShelfEntry>> {
        ctx.actor.require(Permission::ViewItems)?;
        if barcodes.is_empty() {
            return Err(Error::field("barcodes", "required"));
        }
        if barcodes.len() > MAX_PRINT {
            return Err(Error::field("barcodes", "too-many"));
        }
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let locations = location_map(tx).await?;
        let mut out = Vec::with_capacity(barcodes.len());
        for b in barcodes {
            let row = tx
                .shelf_item(b.trim())
                .await?
                .ok_or_else(|| Error::field("barcodes", "unknown-barcode"))?;
            out.push(entry(&row, &locations));
        }
        Ok(out)
    }

    /// Name, card number and home branch of patrons, for printing cards
    /// (permission `view-patrons`).
    pub async fn patron_cards(&self, ctx: &Ctx, ids: &[i64]) -> Result<Vec<CardData>> {
        ctx.actor.require(Permission::ViewPatrons)?;
        if ids.is_empty() {
            return Err(Error::field("patron", "required"));
        }
        if ids.len() > MAX_PRINT {
            return Err(Error::field("patron", "too-many"));
        }
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let p = tx
                .patron(*id)
                .await?
                .ok_or_else(|| Error::not_found("patron"))?;
            let library = tx
                .branch(p.home_branch_id)
                .await?
                .map(|b| b.name)
                .unwrap_or_default();
            out.push(CardData {
                patron_id: p.id,
                name: format!("{} {}", p.first_name, p.last_name),
                barcode: p.barcode,
                library,
            });
        }
        Ok(out)
    }
}
