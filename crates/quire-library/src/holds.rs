//! Holds and transits: placing, cancelling, suspending and moving holds,
//! the queue of a record, capture of copies (at checkin, when a transit is
//! received, when a hold shelf item is released), the pull list, the hold
//! shelf, transit lists and the expiry sweep.
//!
//! The rules (queue order, which hold a copy fills, where it goes, the
//! pickup deadline, which actions a hold's status allows) are pure functions
//! in `quire_domain::circ::{holds, decide}`; this module loads their inputs,
//! writes what they decide, audits every change and keeps each use case in
//! one transaction.
//!
//! Entry points for other adapters (desk, OPAC, SIP2), all on [`Library`]:
//! [`Library::place_hold`], [`Library::cancel_hold`],
//! [`Library::suspend_hold`], [`Library::resume_hold`],
//! [`Library::change_hold_pickup`], [`Library::patron_holds`],
//! [`Library::record_holds`], [`Library::pull_list`],
//! [`Library::hold_shelf`], [`Library::transits`],
//! [`Library::receive_transit`] and [`Library::sweep_holds`]. Checkout,
//! checkin and renewal (`circulation.rs`) see the holds through
//! [`Library::domain_holds`].

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use quire_domain::callnumber;
use quire_domain::circ::decide::{self, CheckinOutcome, ItemSnapshot, TransitReason};
use quire_domain::circ::holds::{
    Hold, HoldAction, HoldPolicy, HoldStatus, HoldTarget, assign_pull_list, queue_position,
};
use quire_domain::circ::policy::{Lookup, Policy, Rule, resolve};
use quire_domain::circ::status::{ItemEvent, ItemStatus, transition};
use quire_domain::org::Code;
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::catalog::ItemRow;
use quire_store::holds::{HoldRow, HoldWrite, TransitRow, TransitWrite};
use quire_store::model::BranchRow;
use serde::Serialize;

use crate::circulation::{
    CheckinView, branch_row, calendar, code, item_snapshot, load_rules, parse_overrides,
    patron_snapshot, refused,
};
use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Staff need `p`; a patron (OPAC) is let through and returned, for the
/// caller to check that the hold is their own.
fn staff_or_patron(ctx: &Ctx, p: Permission) -> Result<Option<&crate::PatronIdentity>> {
    match ctx.actor.patron() {
        Some(me) => Ok(Some(me)),
        None => ctx.actor.require(p).map(|()| None),
    }
}

/// A hold as shown to staff, the API and (later) the patron.
#[derive(Debug, Clone, Serialize)]
pub struct HoldView {
    pub hold: HoldRow,
    /// `title` or `item`.
    pub level: &'static str,
    pub patron_barcode: String,
    pub patron_name: String,
    pub title: String,
    /// The copy asked for (item-level holds).
    pub item_barcode: Option<String>,
    /// The copy captured for it (in transit or on the hold shelf).
    pub captured_item_barcode: Option<String>,
    /// Pickup branch code.
    pub pickup_branch: String,
    /// 1-based place in the record's queue (placed holds only).
    pub queue_position: Option<usize>,
    /// Suspended at the time of the request.
    pub suspended: bool,
    /// Waiting past its pickup deadline (the sweep has not run yet).
    pub shelf_expired: bool,
}

/// What staff (or the patron) asks for.
#[derive(Debug, Clone, Default)]
pub struct HoldRequest {
    /// Patron card number.
    pub patron: String,
    /// Title-level hold on this record…
    pub record_id: Option<i64>,
    /// …or item-level hold on this copy (barcode).
    pub item: Option<String>,
    /// Pickup branch code (default: the patron's home branch).
    pub pickup: Option<String>,
    /// Not needed after this day (end of day at the pickup branch).
    pub not_needed_after: Option<NaiveDate>,
    /// Refusal codes staff accept (permission `override-circulation`).
    pub overrides: Vec<String>,
}

/// Who cancels a hold.
#[derive(Debug, Clone, Copy)]
pub enum CancelBy<'a> {
    /// Staff (or a system job) acting on any hold.
    Staff,
    /// The patron with this card number (the hold must be theirs). The OPAC
    /// calls this after authenticating the patron.
    Patron(&'a str),
}

/// The hold slip of a copy put on the hold shelf.
#[derive(Debug, Clone, Serialize)]
pub struct HoldSlip {
    pub hold_id: i64,
    pub patron_barcode: String,
    pub patron_name: String,
    /// Pickup branch code.
    pub pickup_branch: String,
    /// Pickup deadline.
    pub shelf_expires_at: DateTime<Utc>,
}

/// One line of a pull list: fetch this copy for this hold.
#[derive(Debug, Clone, Serialize)]
pub struct PullEntry {
    pub hold_id: i64,
    pub placed_at: DateTime<Utc>,
    pub patron_barcode: String,
    /// Pickup branch code.
    pub pickup_branch: String,
    pub item_barcode: String,
    pub record_id: i64,
    pub title: String,
    pub location: Option<String>,
    pub call_number: Option<String>,
}

/// An item between branches.
#[derive(Debug, Clone, Serialize)]
pub struct TransitView {
    pub transit: TransitRow,
    pub item_barcode: String,
    pub title: String,
    pub call_number: Option<String>,
    pub from_branch: String,
    pub to_branch: String,
}

/// What one run of [`Library::sweep_holds`] did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SweepReport {
    /// Placed holds past their not-needed-after date.
    pub expired_unneeded: usize,
    /// Waiting holds not collected by their deadline.
    pub expired_uncollected: usize,
    /// Released copies captured for the next patron (hold shelf or transit).
    pub moved_to_next: usize,
    /// Released copies sent back to the shelf or home.
    pub back_to_shelf: usize,
}

/// Where routing sent an item (for checkin views and audit).
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteDone {
    pub hold: Option<HoldSlip>,
    pub transit_id: Option<i64>,
}

#[derive(Serialize)]
struct TransitAudit<'a> {
    transit: &'a TransitRow,
}

fn hold_status(h: &HoldRow) -> Result<HoldStatus> {
    HoldStatus::parse(&h.status).map_err(|_| {
        Error::new(
            ErrorCode::Internal,
            format!("hold {} has unknown status {:?}", h.id, h.status),
        )
    })
}

/// Saves `h` if the stored hold still has `before`'s status; otherwise a
/// concurrent change won (two copies captured for one hold at once, two
/// sweeps): `conflict`, nothing written, the caller's transaction rolls
/// back.
async fn store_hold(tx: &mut dyn Tx, before: &HoldRow, h: &HoldRow) -> Result<()> {
    if tx.save_hold(h, &before.status).await? {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::Conflict,
            format!("hold {} was changed meanwhile; try again", h.id),
        ))
    }
}

fn not_allowed(h: &HoldRow, action: &str) -> Error {
    Error::new(
        ErrorCode::Conflict,
        format!("hold {} is {}: cannot {action} it", h.id, h.status),
    )
}

async fn branch_codes(tx: &mut dyn Tx) -> Result<HashMap<i64, String>> {
    Ok(tx
        .branches()
        .await?
        .into_iter()
        .map(|b| (b.id, b.code))
        .collect())
}

/// A branch by code, or by id when `raw` is a number (the API's
/// `/branches/{id}` paths take either).
pub(crate) async fn branch_by_ref(tx: &mut dyn Tx, raw: &str) -> Result<BranchRow> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Error::field("branch", "required"));
    }
    let found = match raw.parse::<i64>() {
        Ok(id) => tx.branch(id).await?,
        Err(_) => tx.branch_by_code(&raw.to_ascii_uppercase()).await?,
    };
    found.ok_or_else(|| Error::field("branch", "unknown-branch"))
}

fn scheme(s: &str) -> callnumber::Scheme {
    match s {
        "lc" => callnumber::Scheme::Lc,
        "dewey" => callnumber::Scheme::Dewey,
        _ => callnumber::Scheme::Other,
    }
}

impl Library {
    /// The active holds of a record (and of its copies) as the domain rules
    /// see them.
    pub(crate) async fn domain_holds(&self, tx: &mut dyn Tx, record_id: i64) -> Result<Vec<Hold>> {
        let rows = tx.active_holds_of_record(record_id).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let codes = branch_codes(tx).await?;
        holds_of_rows(rows, &codes)
    }

    /// [`Library::domain_holds`] with the branch codes from the cached
    /// circulation configuration.
    pub(crate) async fn domain_holds_with(
        &self,
        tx: &mut dyn Tx,
        cfg: &crate::config_cache::CircConfig,
        record_id: i64,
    ) -> Result<Vec<Hold>> {
        let rows = tx.active_holds_of_record(record_id).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        holds_of_rows(rows, &cfg.branch_codes())
    }
}

fn holds_of_rows(rows: Vec<HoldRow>, codes: &HashMap<i64, String>) -> Result<Vec<Hold>> {
    let mut out = Vec::with_capacity(rows.len());
    for h in rows {
        let Some(state) = hold_status(&h)?.state(h.captured_item_id) else {
            continue;
        };
        let pickup = codes
            .get(&h.pickup_branch_id)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "hold pickup branch missing"))?;
        out.push(Hold {
            id: h.id,
            patron_id: h.patron_id,
            target: match h.item_id {
                Some(i) => HoldTarget::Item(i),
                None => HoldTarget::Title(h.record_id),
            },
            pickup_branch: code("branch", pickup)?,
            placed_at: h.placed_at,
            priority: i32::try_from(h.priority).unwrap_or(0),
            suspended_until: h.resumes_at,
            expires_at: h.expires_at,
            state,
        });
    }
    Ok(out)
}

impl Library {
    /// The item's policy at `branch` for routing holds (holds allowed, hold
    /// shelf days): resolved for the patron category of the first placed
    /// hold in the queue (the one most likely to be filled), or for a
    /// category matching only wildcard rules when nobody waits.
    pub(crate) async fn routing_policy(
        &self,
        tx: &mut dyn Tx,
        item: &ItemSnapshot,
        branch: &Code,
        holds: &[Hold],
        now: DateTime<Utc>,
    ) -> Result<Policy> {
        let rules = load_rules(tx).await?;
        self.routing_policy_with(tx, &rules, item, branch, holds, now)
            .await
    }

    /// [`Library::routing_policy`] with the rules at hand.
    pub(crate) async fn routing_policy_with(
        &self,
        tx: &mut dyn Tx,
        rules: &[Rule],
        item: &ItemSnapshot,
        branch: &Code,
        holds: &[Hold],
        now: DateTime<Utc>,
    ) -> Result<Policy> {
        let mut category = code("category", "ANY")?;
        if let Some(first) = quire_domain::circ::holds::queue(holds, now).first()
            && let Some(p) = tx.patron(first.patron_id).await?
        {
            category = code("category", &p.category)?;
        }
        Ok(resolve(
            rules,
            &Lookup {
                patron_category: category,
                item_type: item.item_type.clone(),
                branch: branch.clone(),
            },
        )
        .policy)
    }

    /// Closes the item's open transit (it was scanned at `here`).
    pub(crate) async fn close_transit_if_open(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item_id: i64,
        here: &BranchRow,
        now: DateTime<Utc>,
    ) -> Result<Option<TransitRow>> {
        let Some(t) = tx.open_transit_of_item(item_id).await? else {
            return Ok(None);
        };
        tx.receive_transit(t.id, now, &ctx.actor.label(), here.id)
            .await?;
        let after = tx.transit(t.id).await?;
        audit::record(
            tx,
            self,
            ctx,
            "receive-transit",
            "transit",
            t.id,
            Some(&TransitAudit { transit: &t }),
            after.as_ref().map(|t| TransitAudit { transit: t }).as_ref(),
        )
        .await?;
        Ok(after)
    }

    /// Writes what a routing decision says about holds and transits (the
    /// item status is the caller's): a hold captured here becomes `waiting`
    /// with its pickup deadline (and [`Library::hold_ready_notice`] runs);
    /// a transit row is opened, and a hold captured elsewhere becomes
    /// `in-transit`.
    pub(crate) async fn apply_outcome(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item: &ItemRow,
        here: &BranchRow,
        outcome: &CheckinOutcome,
        now: DateTime<Utc>,
    ) -> Result<RouteDone> {
        let mut done = RouteDone::default();
        match outcome {
            CheckinOutcome::Reshelve => {}
            CheckinOutcome::HoldShelf {
                hold_id,
                patron_id,
                pickup_branch,
                expires_at,
            } => {
                let before = tx
                    .hold(*hold_id)
                    .await?
                    .ok_or_else(|| Error::not_found("hold"))?;
                let mut h = before.clone();
                let rescan = before.status == HoldStatus::Waiting.as_str()
                    && before.captured_item_id == Some(item.id);
                if !rescan {
                    h.status = HoldStatus::Waiting.as_str().to_owned();
                    h.captured_item_id = Some(item.id);
                    h.captured_at = h.captured_at.or(Some(now));
                    h.shelf_expires_at = Some(*expires_at);
                    h.updated_at = now;
                    store_hold(tx, &before, &h).await?;
                    audit::record(
                        tx,
                        self,
                        ctx,
                        "capture-hold",
                        "hold",
                        h.id,
                        Some(&before),
                        Some(&h),
                    )
                    .await?;
                    self.hold_ready_notice(tx, ctx, &h).await?;
                }
                let patron = tx
                    .patron(*patron_id)
                    .await?
                    .ok_or_else(|| Error::not_found("patron"))?;
                done.hold = Some(HoldSlip {
                    hold_id: h.id,
                    patron_barcode: patron.barcode,
                    patron_name: format!("{} {}", patron.first_name, patron.last_name),
                    pickup_branch: pickup_branch.as_str().to_owned(),
                    shelf_expires_at: h.shelf_expires_at.unwrap_or(*expires_at),
                });
            }
            CheckinOutcome::Transit { to_branch, reason } => {
                let to = tx
                    .branch_by_code(to_branch.as_str())
                    .await?
                    .ok_or_else(|| Error::not_found("branch"))?;
                let hold_id = match reason {
                    TransitReason::Hold { hold_id } => Some(*hold_id),
                    TransitReason::Home => None,
                };
                let label = ctx.actor.label();
                let id = tx
                    .insert_transit(&TransitWrite {
                        item_id: item.id,
                        from_branch_id: here.id,
                        to_branch_id: to.id,
                        reason: if hold_id.is_some() { "hold" } else { "home" },
                        hold_id,
                        sent_at: now,
                        sent_by: &label,
                    })
                    .await?;
                let t = tx
                    .transit(id)
                    .await?
                    .ok_or_else(|| Error::not_found("transit"))?;
                audit::record::<(), _>(
                    tx,
                    self,
                    ctx,
                    "send-transit",
                    "transit",
                    id,
                    None,
                    Some(&TransitAudit { transit: &t }),
                )
                .await?;
                done.transit_id = Some(id);
                if let Some(hid) = hold_id {
                    let before = tx
                        .hold(hid)
                        .await?
                        .ok_or_else(|| Error::not_found("hold"))?;
                    let mut h = before.clone();
                    h.status = HoldStatus::InTransit.as_str().to_owned();
                    h.captured_item_id = Some(item.id);
                    h.captured_at = h.captured_at.or(Some(now));
                    h.shelf_expires_at = None;
                    h.updated_at = now;
                    if h != before {
                        store_hold(tx, &before, &h).await?;
                        audit::record(
                            tx,
                            self,
                            ctx,
                            "capture-hold",
                            "hold",
                            h.id,
                            Some(&before),
                            Some(&h),
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(done)
    }

    /// After a checkout of `item` by `patron_id` at `branch`: a hold of
    /// another patron that had captured the copy (staff overrode
    /// `item-on-hold-for-another`) goes back to the queue; an open transit
    /// ends; the borrower's own hold (`fulfils`, from the checkout
    /// decision) is fulfilled.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn checkout_settles_holds(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item: &ItemRow,
        branch: &BranchRow,
        patron_id: i64,
        fulfils: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if let Some(before) = tx.hold_captured_item(item.id).await?
            && before.patron_id != patron_id
        {
            let mut h = before.clone();
            h.status = HoldStatus::Placed.as_str().to_owned();
            h.captured_item_id = None;
            h.captured_at = None;
            h.shelf_expires_at = None;
            h.updated_at = now;
            store_hold(tx, &before, &h).await?;
            audit::record(
                tx,
                self,
                ctx,
                "release-hold",
                "hold",
                h.id,
                Some(&before),
                Some(&h),
            )
            .await?;
        }
        self.close_transit_if_open(tx, ctx, item.id, branch, now)
            .await?;
        if let Some(hid) = fulfils {
            let before = self.load_hold(tx, hid).await?;
            let mut h = before.clone();
            h.status = HoldStatus::Fulfilled.as_str().to_owned();
            h.fulfilled_at = Some(now);
            h.captured_item_id = Some(item.id);
            h.captured_at = h.captured_at.or(Some(now));
            h.updated_at = now;
            store_hold(tx, &before, &h).await?;
            audit::record(
                tx,
                self,
                ctx,
                "fulfil-hold",
                "hold",
                h.id,
                Some(&before),
                Some(&h),
            )
            .await?;
        }
        Ok(())
    }

    /// THE place where "your hold is ready" reaches the patron: called once
    /// each time a hold becomes `waiting` (inside the capturing
    /// transaction). Appends a `hold-ready` audit entry and writes the
    /// hold-ready notice into the outbox (`notices::enqueue_hold_ready`,
    /// idempotent per hold and capture time).
    pub(crate) async fn hold_ready_notice(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        hold: &HoldRow,
    ) -> Result<()> {
        #[derive(Serialize)]
        struct Ready {
            patron_id: i64,
            pickup_branch_id: i64,
            shelf_expires_at: Option<DateTime<Utc>>,
        }
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "hold-ready",
            "hold",
            hold.id,
            None,
            Some(&Ready {
                patron_id: hold.patron_id,
                pickup_branch_id: hold.pickup_branch_id,
                shelf_expires_at: hold.shelf_expires_at,
            }),
        )
        .await?;
        if let Some(item_id) = hold.captured_item_id {
            crate::notices::enqueue_hold_ready(
                tx,
                &crate::notices::HoldReady {
                    hold_id: hold.id,
                    patron_id: hold.patron_id,
                    item_id,
                    pickup_branch_id: hold.pickup_branch_id,
                    ready_at: hold.captured_at.unwrap_or_else(|| self.now()),
                    pickup_until: hold.shelf_expires_at,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Routes a copy that just left the hold shelf at `here` (its hold was
    /// cancelled or expired, and is no longer active): next patron (hold
    /// shelf or transit), else the shelf or home. Returns whether it went
    /// to another patron.
    async fn release_from_shelf(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item_id: i64,
        here: &BranchRow,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let item = tx
            .item(item_id)
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        let status = ItemStatus::parse(&item.status).unwrap_or(ItemStatus::Available);
        if status != ItemStatus::OnHoldShelf {
            // The copy is elsewhere (lent with an override, in transit…):
            // nothing to move.
            return Ok(false);
        }
        let home = branch_row(tx, item.branch_id).await?;
        let here_code = code("branch", &here.code)?;
        let is = item_snapshot(tx, &item, &home, None).await?;
        let holds = self.domain_holds(tx, item.record_id).await?;
        let policy = self
            .routing_policy(tx, &is, &here_code, &holds, now)
            .await?;
        let cal = calendar(tx, here).await?;
        let outcome = decide::route_item(
            &is,
            &here_code,
            &policy,
            &holds,
            HoldPolicy::default(),
            now,
            &cal,
        );
        let new_status = transition(status, ItemEvent::HoldShelfExpired(outcome.route()))
            .map_err(|e| Error::new(ErrorCode::Internal, format!("hold shelf release: {e:?}")))?;
        tx.set_item_status(item.id, new_status.as_str(), now)
            .await?;
        tx.push_outbox("record", item.record_id, "upsert", now)
            .await?;
        let to_patron = matches!(
            outcome,
            CheckinOutcome::HoldShelf { .. }
                | CheckinOutcome::Transit {
                    reason: TransitReason::Hold { .. },
                    ..
                }
        );
        self.apply_outcome(tx, ctx, &item, here, &outcome, now)
            .await?;
        Ok(to_patron)
    }

    async fn hold_view(
        &self,
        tx: &mut dyn Tx,
        h: HoldRow,
        now: DateTime<Utc>,
        codes: &HashMap<i64, String>,
    ) -> Result<HoldView> {
        let patron = tx
            .patron(h.patron_id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let title = tx
            .record(h.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        let item_barcode = match h.item_id {
            Some(i) => tx.item(i).await?.map(|i| i.barcode),
            None => None,
        };
        let captured_item_barcode = match h.captured_item_id {
            Some(i) => tx.item(i).await?.map(|i| i.barcode),
            None => None,
        };
        let queue_position = if h.status == HoldStatus::Placed.as_str() {
            let holds = self.domain_holds(tx, h.record_id).await?;
            queue_position(&holds, h.id, now)
        } else {
            None
        };
        Ok(HoldView {
            level: if h.item_id.is_some() { "item" } else { "title" },
            patron_barcode: patron.barcode,
            patron_name: format!("{} {}", patron.first_name, patron.last_name),
            title,
            item_barcode,
            captured_item_barcode,
            pickup_branch: codes.get(&h.pickup_branch_id).cloned().unwrap_or_default(),
            queue_position,
            suspended: h.resumes_at.is_some_and(|r| r > now),
            shelf_expired: h.status == HoldStatus::Waiting.as_str()
                && h.shelf_expires_at.is_some_and(|d| d <= now),
            hold: h,
        })
    }

    /// Places a hold for a patron (permission `manage-holds`; overrides
    /// need `override-circulation`). Title-level with `record_id`,
    /// item-level with `item`. Checked by `decide::place_hold`: patron
    /// blocks, holds allowed and max holds (policy of the patron's category
    /// × the copy's type × its branch), a holdable copy exists, no second
    /// active hold on the same title or copy.
    pub async fn place_hold(&self, ctx: &Ctx, req: &HoldRequest) -> Result<HoldView> {
        // A patron (OPAC) places holds for themselves only.
        if let Some(me) = staff_or_patron(ctx, Permission::ManageHolds)?
            && req.patron.trim() != me.barcode
        {
            return Err(Error::not_found("patron"));
        }
        let overrides = parse_overrides(ctx, &req.overrides)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let patron = self.patron_for_circ(tx, &req.patron).await?;
        let item_barcode = req.item.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let (record_id, target_item, copies) = match (req.record_id, item_barcode) {
            (_, Some(b)) => {
                let item = tx
                    .item_by_barcode(b)
                    .await?
                    .ok_or_else(|| Error::field("item", "unknown-item"))?;
                (item.record_id, Some(item.id), vec![item])
            }
            (Some(r), None) => {
                tx.record(r)
                    .await?
                    .ok_or_else(|| Error::field("record", "unknown-record"))?;
                (r, None, tx.items_of(r).await?)
            }
            (None, None) => return Err(Error::field("record", "required")),
        };
        let pickup = match req
            .pickup
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(p) => tx
                .branch_by_code(&p.to_ascii_uppercase())
                .await?
                .ok_or_else(|| Error::field("pickup", "unknown-branch"))?,
            None => branch_row(tx, patron.home_branch_id).await?,
        };
        let pickup_cal = calendar(tx, &pickup).await?;
        let ps = patron_snapshot(tx, &patron, now).await?;
        let rules = load_rules(tx).await?;
        // The policy of each copy for this patron; the first holdable copy's
        // policy decides (else the first copy's).
        let mut resolution = None;
        let mut any_holdable = false;
        for item in &copies {
            let home = branch_row(tx, item.branch_id).await?;
            let is = item_snapshot(tx, item, &home, None).await?;
            let r = resolve(
                &rules,
                &Lookup {
                    patron_category: ps.category.clone(),
                    item_type: is.item_type.clone(),
                    branch: code("branch", &home.code)?,
                },
            );
            let holdable = quire_domain::circ::status::holdable(is.status, is.flags)
                && is.location_holdable
                && r.policy.holds_allowed;
            if holdable && !any_holdable {
                any_holdable = true;
                resolution = Some(r);
            } else if resolution.is_none() {
                resolution = Some(r);
            }
        }
        let resolution = match resolution {
            Some(r) => r,
            None => resolve(
                &rules,
                &Lookup {
                    patron_category: ps.category.clone(),
                    item_type: code("item_type", "ANY")?,
                    branch: code("branch", &pickup.code)?,
                },
            ),
        };
        let already =
            tx.holds_of_patron(patron.id, true).await?.iter().any(|h| {
                h.record_id == record_id && (h.item_id.is_none() || h.item_id == target_item)
            });
        let overridden = decide::place_hold(&decide::PlaceHoldRequest {
            patron: &ps,
            resolution: &resolution,
            calendar: &pickup_cal,
            any_holdable_copy: any_holdable,
            already_requested: already,
            now,
            overrides: &overrides,
        })
        .map_err(refused)?;
        let expires_at = req
            .not_needed_after
            .map(|d| pickup_cal.end_of_day(d))
            .filter(|e| *e > now);
        if req.not_needed_after.is_some() && expires_at.is_none() {
            return Err(Error::field("not_needed_after", "must-be-future"));
        }
        let label = ctx.actor.label();
        let id = tx
            .insert_hold(&HoldWrite {
                patron_id: patron.id,
                record_id,
                item_id: target_item,
                pickup_branch_id: pickup.id,
                priority: 0,
                placed_at: now,
                expires_at,
                created_by: &label,
            })
            .await?;
        let row = tx.hold(id).await?.ok_or_else(|| Error::not_found("hold"))?;
        #[derive(Serialize)]
        struct Placed<'a> {
            hold: &'a HoldRow,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            overridden: Vec<&'static str>,
        }
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "place-hold",
            "hold",
            id,
            None,
            Some(&Placed {
                hold: &row,
                overridden: overridden.iter().map(|r| r.code.as_str()).collect(),
            }),
        )
        .await?;
        let codes = branch_codes(tx).await?;
        let view = self.hold_view(tx, row, now, &codes).await?;
        w.commit().await?;
        Ok(view)
    }

    async fn load_hold(&self, tx: &mut dyn Tx, id: i64) -> Result<HoldRow> {
        tx.hold(id).await?.ok_or_else(|| Error::not_found("hold"))
    }

    /// Cancels an active hold (permission `manage-holds`). A copy waiting
    /// on the hold shelf for it goes to the next patron or back to the
    /// shelf / home at once; a copy in transit for it is routed again when
    /// it arrives.
    pub async fn cancel_hold(
        &self,
        ctx: &Ctx,
        hold_id: i64,
        by: CancelBy<'_>,
        reason: Option<&str>,
    ) -> Result<HoldView> {
        // A patron cancels as themselves (the hold must be theirs, below).
        if let Some(me) = staff_or_patron(ctx, Permission::ManageHolds)?
            && !matches!(by, CancelBy::Patron(b) if b.trim() == me.barcode)
        {
            return Err(Error::not_found("hold"));
        }
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = self.load_hold(tx, hold_id).await?;
        let who = match by {
            CancelBy::Staff => ctx.actor.label(),
            CancelBy::Patron(barcode) => {
                let p = self.patron_for_circ(tx, barcode).await?;
                if p.id != before.patron_id {
                    // Never reveal another patron's hold.
                    return Err(Error::not_found("hold"));
                }
                "patron".to_owned()
            }
        };
        let status = hold_status(&before)?;
        if !status.allows(HoldAction::Cancel) {
            return Err(not_allowed(&before, "cancel"));
        }
        let mut h = before.clone();
        h.status = HoldStatus::Cancelled.as_str().to_owned();
        h.cancelled_at = Some(now);
        h.cancelled_by = Some(who);
        h.cancel_reason = reason
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(500).collect());
        h.updated_at = now;
        store_hold(tx, &before, &h).await?;
        audit::record(
            tx,
            self,
            ctx,
            "cancel-hold",
            "hold",
            h.id,
            Some(&before),
            Some(&h),
        )
        .await?;
        if status == HoldStatus::Waiting
            && let Some(item_id) = h.captured_item_id
        {
            let here = branch_row(tx, h.pickup_branch_id).await?;
            self.release_from_shelf(tx, ctx, item_id, &here, now)
                .await?;
        }
        let codes = branch_codes(tx).await?;
        let view = self.hold_view(tx, h, now, &codes).await?;
        w.commit().await?;
        Ok(view)
    }

    async fn change_placed_hold(
        &self,
        ctx: &Ctx,
        hold_id: i64,
        action: HoldAction,
        audit_action: &str,
        change: impl FnOnce(&mut HoldRow),
    ) -> Result<HoldView> {
        let me = staff_or_patron(ctx, Permission::ManageHolds)?.map(|p| p.patron_id);
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = self.load_hold(tx, hold_id).await?;
        if me.is_some_and(|id| id != before.patron_id) {
            // Never reveal another patron's hold.
            return Err(Error::not_found("hold"));
        }
        if !hold_status(&before)?.allows(action) {
            return Err(not_allowed(&before, audit_action));
        }
        let mut h = before.clone();
        change(&mut h);
        h.updated_at = now;
        store_hold(tx, &before, &h).await?;
        audit::record(
            tx,
            self,
            ctx,
            audit_action,
            "hold",
            h.id,
            Some(&before),
            Some(&h),
        )
        .await?;
        let codes = branch_codes(tx).await?;
        let view = self.hold_view(tx, h, now, &codes).await?;
        w.commit().await?;
        Ok(view)
    }

    /// Suspends a placed hold until the start of `until` (UTC day; it
    /// keeps its queue place but is skipped meanwhile). Permission
    /// `manage-holds`; `until` must be after today.
    pub async fn suspend_hold(
        &self,
        ctx: &Ctx,
        hold_id: i64,
        until: NaiveDate,
    ) -> Result<HoldView> {
        let resumes = until
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .filter(|t| *t > self.now())
            .ok_or_else(|| Error::field("until", "must-be-future"))?;
        self.change_placed_hold(ctx, hold_id, HoldAction::Suspend, "suspend-hold", |h| {
            h.resumes_at = Some(resumes);
        })
        .await
    }

    /// Ends the suspension of a placed hold (permission `manage-holds`).
    pub async fn resume_hold(&self, ctx: &Ctx, hold_id: i64) -> Result<HoldView> {
        self.change_placed_hold(ctx, hold_id, HoldAction::Resume, "resume-hold", |h| {
            h.resumes_at = None;
        })
        .await
    }

    /// Moves a placed hold to another pickup branch (permission
    /// `manage-holds`); refused once a copy is captured.
    pub async fn change_hold_pickup(
        &self,
        ctx: &Ctx,
        hold_id: i64,
        pickup: &str,
    ) -> Result<HoldView> {
        let branch = {
            let mut r = self.store().read().await?;
            let p = pickup.trim();
            if p.is_empty() {
                return Err(Error::field("pickup", "required"));
            }
            r.branch_by_code(&p.to_ascii_uppercase())
                .await?
                .ok_or_else(|| Error::field("pickup", "unknown-branch"))?
        };
        self.change_placed_hold(
            ctx,
            hold_id,
            HoldAction::ChangePickup,
            "change-pickup",
            |h| {
                h.pickup_branch_id = branch.id;
            },
        )
        .await
    }

    /// One hold (permission `view-patrons`).
    pub async fn hold(&self, ctx: &Ctx, hold_id: i64) -> Result<HoldView> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let h = self.load_hold(tx, hold_id).await?;
        let codes = branch_codes(tx).await?;
        self.hold_view(tx, h, now, &codes).await
    }

    /// A patron's holds, newest first: active ones, then (with
    /// `include_finished`) fulfilled, cancelled and expired ones
    /// (permission `view-patrons`).
    pub async fn patron_holds(
        &self,
        ctx: &Ctx,
        patron_barcode: &str,
        include_finished: bool,
    ) -> Result<Vec<HoldView>> {
        if let Some(me) = staff_or_patron(ctx, Permission::ViewPatrons)?
            && patron_barcode.trim() != me.barcode
        {
            return Err(Error::not_found("patron"));
        }
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = self.patron_for_circ(tx, patron_barcode).await?;
        let codes = branch_codes(tx).await?;
        let mut out = Vec::new();
        for h in tx.holds_of_patron(patron.id, !include_finished).await? {
            out.push(self.hold_view(tx, h, now, &codes).await?);
        }
        Ok(out)
    }

    /// The hold queue of a record: active holds in queue order (captured
    /// ones first, then placed ones by priority and time; suspended ones
    /// keep their place). Permission `view-patrons`.
    pub async fn record_holds(&self, ctx: &Ctx, record_id: i64) -> Result<Vec<HoldView>> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        tx.record(record_id)
            .await?
            .ok_or_else(|| Error::not_found("record"))?;
        let codes = branch_codes(tx).await?;
        let mut out = Vec::new();
        for h in tx.active_holds_of_record(record_id).await? {
            out.push(self.hold_view(tx, h, now, &codes).await?);
        }
        out.sort_by_key(|v| {
            (
                v.queue_position.is_some(),
                v.queue_position.unwrap_or(0),
                v.hold.id,
            )
        });
        Ok(out)
    }

    /// The pull list of a branch (code or id): copies available on its
    /// shelves to fetch for placed holds — one per hold, oldest hold first
    /// (`holds::assign_pull_list`) — sorted by location, then call number
    /// shelf order. Permission `circulate`.
    pub async fn pull_list(&self, ctx: &Ctx, branch: &str) -> Result<Vec<PullEntry>> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let b = branch_by_ref(tx, branch).await?;
        let candidates = tx.pull_candidates(b.id, now).await?;
        let codes = branch_codes(tx).await?;
        let mut rows = Vec::new();
        for (hold_id, item_id) in assign_pull_list(&candidates) {
            let (Some(h), Some(item)) = (tx.hold(hold_id).await?, tx.item(item_id).await?) else {
                continue;
            };
            let patron = tx
                .patron(h.patron_id)
                .await?
                .ok_or_else(|| Error::not_found("patron"))?;
            let location = match item.location_id {
                Some(l) => tx.location(l).await?.map(|l| l.name),
                None => None,
            };
            let title = tx
                .record(item.record_id)
                .await?
                .map(|r| r.title)
                .unwrap_or_default();
            let key = item
                .call_number
                .as_deref()
                .map(|c| callnumber::sort_key(scheme(&item.call_number_scheme), c));
            rows.push((
                (location.clone(), key),
                PullEntry {
                    hold_id,
                    placed_at: h.placed_at,
                    patron_barcode: patron.barcode,
                    pickup_branch: codes.get(&h.pickup_branch_id).cloned().unwrap_or_default(),
                    item_barcode: item.barcode,
                    record_id: item.record_id,
                    title,
                    location,
                    call_number: item.call_number,
                },
            ));
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(rows.into_iter().map(|(_, e)| e).collect())
    }

    /// The hold shelf of a branch (code or id): waiting holds by pickup
    /// deadline, those past it flagged `shelf_expired`. Permission
    /// `circulate`.
    pub async fn hold_shelf(&self, ctx: &Ctx, branch: &str) -> Result<Vec<HoldView>> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let b = branch_by_ref(tx, branch).await?;
        let codes = branch_codes(tx).await?;
        let mut out = Vec::new();
        for h in tx.waiting_holds_at(b.id).await? {
            out.push(self.hold_view(tx, h, now, &codes).await?);
        }
        Ok(out)
    }

    /// Open transits to (`incoming`) or from a branch (code or id), oldest
    /// first. Permission `circulate`.
    pub async fn transits(
        &self,
        ctx: &Ctx,
        branch: &str,
        incoming: bool,
    ) -> Result<Vec<TransitView>> {
        ctx.actor.require(Permission::Circulate)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let b = branch_by_ref(tx, branch).await?;
        let codes = branch_codes(tx).await?;
        let mut out = Vec::new();
        for t in tx.open_transits(b.id, incoming).await? {
            let Some(item) = tx.item(t.item_id).await? else {
                continue;
            };
            let title = tx
                .record(item.record_id)
                .await?
                .map(|r| r.title)
                .unwrap_or_default();
            out.push(TransitView {
                item_barcode: item.barcode,
                title,
                call_number: item.call_number,
                from_branch: codes.get(&t.from_branch_id).cloned().unwrap_or_default(),
                to_branch: codes.get(&t.to_branch_id).cloned().unwrap_or_default(),
                transit: t,
            });
        }
        Ok(out)
    }

    /// Receives an item in transit at `branch` (default: the transit's
    /// destination; permission `circulate`): closes the transit, then
    /// routes the item like a checkin — its hold's pickup branch → hold
    /// shelf (`hold` in the view: the slip), another branch → transit
    /// again, else reshelve. Refused (`conflict`) if the item is not in
    /// transit.
    pub async fn receive_transit(
        &self,
        ctx: &Ctx,
        item_barcode: &str,
        branch: Option<&str>,
    ) -> Result<CheckinView> {
        ctx.actor.require(Permission::Circulate)?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let item = self.item_for_circ(tx, item_barcode).await?;
        let Some(t) = tx.open_transit_of_item(item.id).await? else {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("item {} is not in transit", item.barcode),
            ));
        };
        let here = match branch.map(str::trim).filter(|s| !s.is_empty()) {
            Some(b) => b.to_owned(),
            None => branch_row(tx, t.to_branch_id).await?.code,
        };
        let view = self.checkin_in(tx, ctx, item_barcode, Some(&here)).await?;
        w.commit().await?;
        Ok(view)
    }

    /// The expiry sweep (idempotent; time from the library clock): placed
    /// holds past their not-needed-after date expire; waiting holds past
    /// their pickup deadline expire and their copy goes to the next patron
    /// (hold shelf or transit) or back to the shelf / home. One
    /// transaction. Run periodically by `quire serve` and by `quire holds
    /// sweep`. Permission `manage-holds`.
    pub async fn sweep_holds(&self, ctx: &Ctx) -> Result<SweepReport> {
        ctx.actor.require(Permission::ManageHolds)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let mut report = SweepReport::default();
        for before in tx.holds_due_for_sweep(now).await? {
            let status = hold_status(&before)?;
            let mut h = before.clone();
            h.status = HoldStatus::Expired.as_str().to_owned();
            h.expired_at = Some(now);
            h.updated_at = now;
            h.cancel_reason = Some(
                if status == HoldStatus::Waiting {
                    "not-collected"
                } else {
                    "not-needed"
                }
                .to_owned(),
            );
            store_hold(tx, &before, &h).await?;
            audit::record(
                tx,
                self,
                ctx,
                "expire-hold",
                "hold",
                h.id,
                Some(&before),
                Some(&h),
            )
            .await?;
            if status == HoldStatus::Waiting {
                report.expired_uncollected += 1;
                if let Some(item_id) = h.captured_item_id {
                    let here = branch_row(tx, h.pickup_branch_id).await?;
                    if self
                        .release_from_shelf(tx, ctx, item_id, &here, now)
                        .await?
                    {
                        report.moved_to_next += 1;
                    } else {
                        report.back_to_shelf += 1;
                    }
                }
            } else {
                report.expired_unneeded += 1;
            }
        }
        w.commit().await?;
        Ok(report)
    }
}
