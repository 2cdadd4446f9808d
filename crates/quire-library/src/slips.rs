//! Printable desk slips that need more than the checkin outcome: the hold
//! slip put in a copy waiting on the hold shelf, with the patron shortened
//! for privacy (`quire_domain::circ::privacy::slip_patron`).

use chrono::{DateTime, Utc};
use quire_domain::circ::privacy::{SlipPatron, slip_patron};
use quire_domain::staff::Permission;
use serde::Serialize;

use crate::{Ctx, Error, Library, Result};

/// What a hold slip prints.
#[derive(Debug, Clone, Serialize)]
pub struct HoldSlipPrint {
    pub hold_id: i64,
    /// `waiting`, `in-transit`, …
    pub status: String,
    pub patron: SlipPatron,
    pub pickup_branch: String,
    pub pickup_branch_name: String,
    /// Pickup deadline (waiting holds).
    pub shelf_expires_at: Option<DateTime<Utc>>,
    pub title: String,
    /// The copy captured for the hold.
    pub item_barcode: Option<String>,
}

impl Library {
    /// The hold slip of a captured hold (permission `circulate`).
    pub async fn hold_slip_print(&self, ctx: &Ctx, hold_id: i64) -> Result<HoldSlipPrint> {
        ctx.actor.require(Permission::Circulate)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let h = tx
            .hold(hold_id)
            .await?
            .ok_or_else(|| Error::not_found("hold"))?;
        let patron = tx
            .patron(h.patron_id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let branch = crate::circulation::branch_row(tx, h.pickup_branch_id).await?;
        let title = tx
            .record(h.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        let item_barcode = match h.captured_item_id {
            Some(id) => tx.item(id).await?.map(|i| i.barcode),
            None => None,
        };
        Ok(HoldSlipPrint {
            hold_id: h.id,
            status: h.status,
            patron: slip_patron(&patron.first_name, &patron.last_name, &patron.barcode),
            pickup_branch: branch.code,
            pickup_branch_name: branch.name,
            shelf_expires_at: h.shelf_expires_at,
            title,
            item_barcode,
        })
    }
}
