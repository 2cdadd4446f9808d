//! What the circulation desk shows around the transactions: the patron
//! summary (loans, balance, blocks with reasons) and where a returned item
//! goes on the shelf. Read-only; the transactions themselves are in
//! `circulation` and `fees`.

use chrono::NaiveDate;
use quire_domain::circ::blocks::{PatronStanding, patron_blocks};
use quire_domain::staff::Permission;
use serde::Serialize;

use crate::circulation::{PatronLoans, default_block_limits};
use crate::fees::PatronRef;
use crate::{Ctx, Error, Library, Result};

/// One block in force, for display (`reason` translated as
/// `block-<reason>`, with `args`).
#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    pub reason: String,
    pub overridable: bool,
    pub args: Vec<(String, String)>,
}

/// What the desk shows about a patron: loans, balance and blocks.
#[derive(Debug, Clone, Serialize)]
pub struct DeskPatron {
    #[serde(flatten)]
    pub loans: PatronLoans,
    pub blocks: Vec<BlockView>,
    /// Code of the patron's home branch.
    pub home_branch: String,
    /// Open loans already overdue.
    pub overdue_count: i64,
}

/// Where an item lives, for checkin slips and the reshelving outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ShelfInfo {
    pub barcode: String,
    pub title: String,
    pub call_number: Option<String>,
    pub branch: String,
    pub branch_name: String,
    pub location: Option<String>,
}

impl Library {
    /// The desk's view of a patron: current loans, balance, and the blocks
    /// in force today (permission `view-patrons`).
    pub async fn desk_patron(&self, ctx: &Ctx, who: PatronRef<'_>) -> Result<DeskPatron> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let barcode = match who {
            PatronRef::Barcode(b) => b.trim().to_owned(),
            PatronRef::Id(_) => {
                let mut r = self.store().read().await?;
                self.patron_by_ref(r.as_mut(), who).await?.barcode
            }
        };
        let loans = self.patron_loans(ctx, &barcode).await?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let overdue_count = tx.count_overdue(loans.patron.id, now).await?;
        let home_branch = tx
            .branch(loans.patron.home_branch_id)
            .await?
            .map(|b| b.code)
            .unwrap_or_default();
        let standing = PatronStanding {
            expires_on: NaiveDate::parse_from_str(&loans.patron.expires_on, "%Y-%m-%d").ok(),
            balance: loans.balance_minor,
            overdue_count: u32::try_from(overdue_count).unwrap_or(u32::MAX),
            ..PatronStanding::default()
        };
        let blocks = patron_blocks(&standing, &default_block_limits(), now.date_naive())
            .into_iter()
            .map(|b| BlockView {
                reason: b.reason.as_str().to_owned(),
                overridable: b.overridable,
                args: b.args.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            })
            .collect();
        Ok(DeskPatron {
            loans,
            blocks,
            home_branch,
            overdue_count,
        })
    }

    /// Title, call number, branch and shelving location of an item
    /// (permission `view-items`).
    pub async fn shelf_info(&self, ctx: &Ctx, item_barcode: &str) -> Result<ShelfInfo> {
        ctx.actor.require(Permission::ViewItems)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let item = tx
            .item_by_barcode(item_barcode.trim())
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        let title = tx
            .record(item.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        let branch = tx.branch(item.branch_id).await?;
        let location = match item.location_id {
            Some(id) => tx.location(id).await?.map(|l| l.name),
            None => None,
        };
        Ok(ShelfInfo {
            barcode: item.barcode,
            title,
            call_number: item.call_number,
            branch: branch.as_ref().map(|b| b.code.clone()).unwrap_or_default(),
            branch_name: branch.map(|b| b.name).unwrap_or_default(),
            location,
        })
    }
}
