//! The overdue escalation sweep (issue 5): open loans far past due are
//! marked long overdue, then declared lost, as the loan's rule says
//! (`long_overdue_after_days`, `lost_after_days`; the decision is
//! [`quire_domain::circ::decide::overdue_escalation`]).
//!
//! * Long overdue: the item status changes (the loan stays open, cannot be
//!   renewed, and the fine keeps accruing up to the rule's maximum until
//!   the item comes back; the checkin charges it).
//! * Lost: the same machinery as a desk-marked loss
//!   ([`Library::apply_mark`](crate::Library)): the fine up to now (over
//!   the loan branch's calendar, as every fine), the replacement cost and
//!   the processing fee are charged and a `loan_marks` row is written, so a
//!   later checkin resolves it exactly like a loss marked at the desk.
//!
//! Claims-returned and lost loans are never touched; running the sweep
//! twice does nothing more. Each loan is escalated in its own transaction,
//! re-read and re-decided there, and audited with the caller (the server's
//! sweep runs as the system).

use chrono::{DateTime, Duration, Utc};
use quire_domain::circ::decide::overdue_escalation;
use quire_domain::circ::policy::{Lookup, Policy, resolve};
use quire_domain::circ::status::{ItemEvent, ItemStatus};
use quire_domain::staff::Permission;
use quire_store::Tx;
use serde::Serialize;

use crate::circulation::code;
use crate::config_cache::CircConfig;
use crate::loss::MarkKind;
use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Candidates read per batch.
const BATCH: i64 = 200;

/// What one run of the sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EscalationSummary {
    /// Loans whose item became long overdue.
    pub long_overdue: u64,
    /// Loans declared lost.
    pub lost: u64,
    /// Charged for the lost loans (fine up to now + replacement +
    /// processing), minor units.
    pub billed_minor: i64,
}

/// What happened to one loan.
enum Escalated {
    Nothing,
    LongOverdue,
    Lost { billed_minor: i64 },
}

fn status_of(raw: &str) -> Result<ItemStatus> {
    ItemStatus::parse(raw)
        .map_err(|_| Error::new(ErrorCode::Internal, format!("unknown item status {raw:?}")))
}

/// The rule of a loan: its patron's category and item type at the
/// checkout branch.
fn loan_policy(
    cfg: &CircConfig,
    category: &str,
    item_type: &str,
    checkout_branch_id: i64,
) -> Result<Policy> {
    Ok(resolve(
        &cfg.rules,
        &Lookup {
            patron_category: code("category", category)?,
            item_type: code("item_type", item_type)?,
            branch: code("branch", &cfg.branch(checkout_branch_id)?.code)?,
        },
    )
    .policy)
}

impl Library {
    /// Runs the overdue escalation sweep once at the current time
    /// (permission `manage-policies`; the server's periodic sweep and
    /// `quire circ escalate-overdue` run as the system). See the module docs.
    pub async fn escalate_overdue(&self, ctx: &Ctx) -> Result<EscalationSummary> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let now = self.now();
        let mut sum = EscalationSummary::default();
        let cfg = {
            let mut r = self.store().read().await?;
            self.circ_config(r.as_mut()).await?
        };
        // Only loans past the smallest threshold of any rule can escalate.
        let Some(min_days) = cfg
            .rules
            .iter()
            .flat_map(|r| [r.policy.long_overdue_after_days, r.policy.lost_after_days])
            .flatten()
            .min()
        else {
            return Ok(sum);
        };
        let due_before = now - Duration::days(i64::from(min_days));
        let mut after = 0i64;
        loop {
            let rows = {
                let mut r = self.store().read().await?;
                r.escalation_candidates(due_before, after, BATCH).await?
            };
            for c in &rows {
                after = after.max(c.loan_id);
                let policy =
                    loan_policy(&cfg, &c.patron_category, &c.item_type, c.checkout_branch_id)?;
                if overdue_escalation(status_of(&c.item_status)?, c.due_at, now, &policy).is_none()
                {
                    continue;
                }
                let mut w = self.store().begin().await?;
                let done = self
                    .escalate_loan(w.as_mut(), ctx, &c.item_barcode, c.loan_id, now)
                    .await?;
                w.commit().await?;
                match done {
                    Escalated::Nothing => {}
                    Escalated::LongOverdue => sum.long_overdue += 1,
                    Escalated::Lost { billed_minor } => {
                        sum.lost += 1;
                        sum.billed_minor += billed_minor;
                    }
                }
            }
            if rows.len() < BATCH as usize {
                return Ok(sum);
            }
        }
    }

    /// Re-reads one loan in `tx` and escalates it if the rule still says
    /// so (it may have been returned, renewed or marked in the meantime).
    async fn escalate_loan(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item_barcode: &str,
        loan_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Escalated> {
        let cfg = self.circ_config(tx).await?;
        let item = self.item_for_circ(tx, item_barcode).await?;
        let Some(loan) = tx
            .open_loan_of_item(item.id)
            .await?
            .filter(|l| l.id == loan_id)
        else {
            return Ok(Escalated::Nothing);
        };
        let Some(patron_id) = loan.patron_id else {
            return Ok(Escalated::Nothing);
        };
        let Some(patron) = tx.patron(patron_id).await? else {
            return Ok(Escalated::Nothing);
        };
        let status = status_of(&item.status)?;
        let policy = loan_policy(
            &cfg,
            &patron.category,
            &item.item_type,
            loan.checkout_branch_id,
        )?;
        let days = now.signed_duration_since(loan.due_at).num_days();
        match overdue_escalation(status, loan.due_at, now, &policy) {
            Some(ItemEvent::LongOverdue) => {
                let new_status = ItemStatus::LongOverdue;
                tx.set_item_status(item.id, new_status.as_str(), now)
                    .await?;
                tx.push_outbox("record", item.record_id, "upsert", now)
                    .await?;
                audit::record(
                    tx,
                    self,
                    ctx,
                    "mark-long-overdue",
                    "loan",
                    loan.id,
                    Some(&serde_json::json!({ "item_status": status.as_str() })),
                    Some(&serde_json::json!({
                        "item_status": new_status.as_str(),
                        "days_overdue": days,
                        "long_overdue_after_days": policy.long_overdue_after_days,
                    })),
                )
                .await?;
                Ok(Escalated::LongOverdue)
            }
            Some(ItemEvent::DeclareLost) => {
                let reason = format!("overdue sweep: {days} days overdue");
                let (_, _, billed_minor) = self
                    .apply_mark(tx, ctx, &item, &loan, &patron, MarkKind::Lost, &reason, now)
                    .await?;
                Ok(Escalated::Lost { billed_minor })
            }
            _ => Ok(Escalated::Nothing),
        }
    }
}
