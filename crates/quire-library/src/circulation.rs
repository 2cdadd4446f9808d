//! Circulation: checkout, checkin, renewal, a patron's loans, and the policy
//! matrix (circulation rules).
//!
//! Every use case builds the snapshots the pure rules need
//! (`quire_domain::circ::decide`) from the database inside ONE write
//! transaction, calls the decision function, and writes what it says: the
//! loan row, the item status, the fine in the fees ledger, the audit entry
//! (with the explanation and any overrides) and an outbox entry so the
//! item's availability reaches the search index. The rules themselves live
//! in `quire-domain`; nothing here re-decides them.
//!
//! Which branch is which: a checkout happens at the item's branch (its
//! calendar sets the due date and keys the matrix); a checkin happens at the
//! given branch (default: the item's branch), and an item checked in
//! elsewhere goes into transit home. Every decision sees the active holds of
//! the item's record (`holds.rs`): checkin captures a copy for the next
//! hold (hold shelf or transit), checkout by the waiting patron fulfils
//! their hold, and renewals are refused while someone else waits.

use chrono::{DateTime, NaiveDate, Utc};
use quire_domain::circ::blocks::{BlockLimits, PatronStanding};
use quire_domain::circ::calendar::{BranchCalendar, parse_timezone};
use quire_domain::circ::decide::{
    self, CheckinOutcome, ItemSnapshot, LoanClosure, LoanSnapshot, PatronSnapshot, PatronStatus,
    Refusal, RefusalCode, Refused,
};
use quire_domain::circ::form::PolicyForm;
use quire_domain::circ::holds::HoldPolicy;
use quire_domain::circ::policy::{
    FineInterval, LoanPeriod, Lookup, Policy, Resolution, Rule, RuleKey, resolve,
};
use quire_domain::circ::status::{ItemFlags, ItemStatus};
use quire_domain::org::{Code, LocalTime, OpeningInterval, WeeklyHours};
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::catalog::{ItemRow, PatronRow};
use quire_store::circ::{CircRuleRow, FeeWrite, LoanRow, LoanWrite};
use quire_store::model::{BranchRow, LocationRow};
use serde::Serialize;

use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Fraction digits of the currency (PHP, VND shown with 2; amounts are
/// stored in minor units).
pub const MONEY_DECIMALS: u8 = 2;

/// Fees-ledger kind of an overdue fine.
pub const FEE_OVERDUE: &str = "overdue";

/// How many past loans `patron_loans` returns.
const HISTORY_LIMIT: i64 = 100;

/// A loan as shown to staff and the API.
#[derive(Debug, Clone, Serialize)]
pub struct LoanView {
    pub loan: LoanRow,
    pub item_barcode: String,
    pub record_id: i64,
    pub title: String,
    pub patron_barcode: Option<String>,
    /// Item status after the operation.
    pub item_status: String,
    /// Renewals left under the loan's rule (`None`: rule unknown).
    pub renewals_left: Option<u32>,
    /// Refusal codes staff overrode for this operation.
    pub overridden: Vec<String>,
    /// How the due date was computed (`DueStep` codes).
    pub due_explanation: Vec<String>,
}

/// What a checkin did.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinView {
    /// `reshelve`, `transit` or `hold-shelf`.
    pub route: String,
    /// Destination branch code for a transit.
    pub transit_to: Option<String>,
    /// `home` or `hold` for a transit.
    pub transit_reason: Option<String>,
    /// Whether the item was on loan (false: `not-on-loan`, still routed).
    pub was_on_loan: bool,
    /// The closed loan.
    pub loan: Option<LoanRow>,
    pub patron_barcode: Option<String>,
    /// Overdue fine charged to the patron's account (minor units; 0: none).
    pub fine_minor: i64,
    /// How the fine was computed (`FineStep` codes).
    pub fine_explanation: Vec<String>,
    pub item_barcode: String,
    pub item_status: String,
    pub record_id: i64,
    /// SIP2 CV alert type of the route (`CheckinOutcome::sip2_alert_type`).
    #[serde(skip)]
    pub sip2_alert_type: Option<&'static str>,
    /// SIP2 CT destination branch (`CheckinOutcome::sip2_destination`).
    #[serde(skip)]
    pub sip2_destination: Option<String>,
    /// Route `hold-shelf`: the hold slip (patron, pickup branch, deadline).
    pub hold: Option<crate::holds::HoldSlip>,
    /// Route `transit`: the transit opened.
    pub transit_id: Option<i64>,
    /// A lost / claims-returned / missing item found, and what that did.
    #[serde(flatten)]
    pub resolution: crate::loss::CheckinResolution,
    /// What a self-service device shows after a checkin, so it needs no
    /// second read (SIP2 AJ, AQ, CQ, CR, CL).
    #[serde(skip)]
    pub device: CheckinDeviceInfo,
}

/// The item facts a SIP2 checkin reply carries.
#[derive(Debug, Clone, Default)]
pub struct CheckinDeviceInfo {
    pub title: String,
    /// The item's home branch code.
    pub home_branch: String,
    pub location_code: Option<String>,
    pub call_number: Option<String>,
    pub item_type: String,
    /// The sort bin the checkin branch's rules pick for this checkin
    /// (`sip2::pick_sort_bin`).
    pub sort_bin: Option<String>,
}

/// A patron's current and past loans.
#[derive(Debug, Clone, Serialize)]
pub struct PatronLoans {
    pub patron: PatronRow,
    pub current: Vec<LoanView>,
    pub history: Vec<LoanRow>,
    /// What the patron owes (minor units).
    pub balance_minor: i64,
}

/// A rule of the matrix as edited by administrators.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub id: i64,
    /// `None` = any.
    pub patron_category: Option<String>,
    pub item_type: Option<String>,
    pub branch: Option<String>,
    #[serde(skip)]
    pub policy: Policy,
    pub row: CircRuleRow,
}

/// Block limits applied to every patron category (until categories get
/// their own settings): blocked above 500.00 owed or 10 overdue loans.
pub fn default_block_limits() -> BlockLimits {
    BlockLimits {
        max_balance: Some(50_000),
        max_overdues: Some(10),
        max_claims_returned: Some(3),
    }
}

/// The rules a new library starts with, so checkout works out of the box:
/// anything 21 days, 2 renewals, 10.00 a day after 1 day of grace, at most
/// 300.00 per item, 30 loans, a lost copy without a price billed 500.00
/// (refunded if it comes back); DVDs 7 days, 1 renewal, 20.00 a day; REF
/// (reference) does not circulate.
pub fn default_rules() -> Vec<(RuleKey, Policy)> {
    let any = Policy {
        loan_period: LoanPeriod::Days(21),
        renewals_allowed: 2,
        max_loans_total: Some(30),
        fine_per_interval: 1_000,
        fine_interval: FineInterval::Day,
        max_fine: Some(30_000),
        grace_periods: 1,
        lost_replacement_fee: 50_000,
        ..Policy::book_default()
    };
    let code = |s: &str| Code::parse("item_type", s).ok();
    vec![
        (RuleKey::default(), any.clone()),
        (
            RuleKey {
                item_type: code("DVD"),
                ..RuleKey::default()
            },
            Policy {
                loan_period: LoanPeriod::Days(7),
                renewals_allowed: 1,
                fine_per_interval: 2_000,
                max_loans_for_type: Some(5),
                ..any.clone()
            },
        ),
        (
            RuleKey {
                item_type: code("REF"),
                ..RuleKey::default()
            },
            Policy {
                circulates: false,
                holds_allowed: false,
                ..any
            },
        ),
    ]
}

pub(crate) fn policy_json(p: &Policy) -> Result<String> {
    serde_json::to_string(&PolicyForm::from_policy(p, MONEY_DECIMALS))
        .map_err(|e| Error::new(ErrorCode::Internal, format!("policy json: {e}")))
}

pub(crate) fn parse_rule(row: &CircRuleRow) -> Option<Rule> {
    let form: PolicyForm = serde_json::from_str(&row.policy_json).ok()?;
    let policy = form.parse(MONEY_DECIMALS).ok()?;
    let dim = |v: &Option<String>| -> Option<Option<Code>> {
        match v {
            None => Some(None),
            Some(s) => Code::parse("code", s).ok().map(Some),
        }
    };
    Some(Rule {
        id: row.id,
        key: RuleKey {
            patron_category: dim(&row.patron_category)?,
            item_type: dim(&row.item_type)?,
            branch: dim(&row.branch_code)?,
        },
        policy,
    })
}

pub(crate) async fn load_rules(tx: &mut dyn Tx) -> Result<Vec<Rule>> {
    let rows = tx.circ_rules().await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        match parse_rule(r) {
            Some(rule) => out.push(rule),
            None => tracing::warn!(rule = r.id, "circulation rule cannot be read; ignored"),
        }
    }
    Ok(out)
}

/// Inserts [`default_rules`] when the matrix is empty (called when the
/// library opens).
pub(crate) async fn seed_default_rules(
    store: &dyn quire_store::Store,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = store.begin().await?;
    if !tx.circ_rules().await?.is_empty() {
        return Ok(());
    }
    for (key, policy) in default_rules() {
        tx.insert_circ_rule(
            key.patron_category.as_ref().map(Code::as_str),
            key.item_type.as_ref().map(Code::as_str),
            key.branch.as_ref().map(Code::as_str),
            &policy_json(&policy)?,
            now,
        )
        .await?;
    }
    crate::config_cache::bump(tx.as_mut()).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) fn code(field: &'static str, raw: &str) -> Result<Code> {
    Code::parse(field, raw).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("stored {field} {raw:?} is not a code: {}", e.code),
        )
    })
}

pub(crate) async fn calendar(tx: &mut dyn Tx, branch: &BranchRow) -> Result<BranchCalendar> {
    let rows = tx.opening_hours(branch.id).await?;
    let intervals: Vec<OpeningInterval> = rows
        .iter()
        .filter_map(|h| {
            let t = |m: i64| u16::try_from(m).ok().and_then(LocalTime::from_minutes);
            Some(OpeningInterval {
                weekday: u8::try_from(h.weekday).ok()?,
                opens: t(h.opens_min)?,
                closes: t(h.closes_min)?,
            })
        })
        .collect();
    let hours = WeeklyHours::new(intervals).unwrap_or_default();
    let tz = parse_timezone(&branch.timezone).unwrap_or(chrono_tz::UTC);
    let closed: Vec<NaiveDate> = tx
        .closed_days(branch.id)
        .await?
        .iter()
        .filter_map(|d| NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok())
        .collect();
    Ok(BranchCalendar::new(hours, closed, tz))
}

pub(crate) async fn branch_row(tx: &mut dyn Tx, id: i64) -> Result<BranchRow> {
    tx.branch(id)
        .await?
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("branch {id} missing")))
}

pub(crate) async fn patron_snapshot(
    tx: &mut dyn Tx,
    p: &PatronRow,
    now: DateTime<Utc>,
) -> Result<PatronSnapshot> {
    let by_type = tx.open_loans_by_type(p.id).await?;
    let counts = tx.patron_circ_counts(p.id, now).await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    // Blocks are read only when there are some (most patrons have none).
    let manual = if counts.active_blocks > 0 {
        crate::patrons::manual_blocks(&tx.patron_blocks(p.id, true).await?)
    } else {
        Vec::new()
    };
    Ok(PatronSnapshot {
        id: p.id,
        status: PatronStatus::Active,
        category: code("category", &p.category)?,
        standing: PatronStanding {
            expires_on: NaiveDate::parse_from_str(&p.expires_on, "%Y-%m-%d").ok(),
            balance: counts.balance,
            // Lost / claims-returned loans are handled by their own rules.
            overdue_count: count(counts.overdue - counts.marked_overdue),
            claims_returned_count: count(counts.claims_returned),
            card_lost: false,
            manual,
        },
        limits: default_block_limits(),
        loans_total: count(counts.open_loans),
        loans_by_type: by_type
            .into_iter()
            .filter_map(|(t, n)| Code::parse("item_type", &t).ok().map(|c| (c, count(n))))
            .collect(),
        holds_count: count(counts.active_holds),
    })
}

fn loan_snapshot(l: &LoanRow) -> Option<LoanSnapshot> {
    Some(LoanSnapshot {
        id: l.id,
        // An open loan always has its patron (only returned loans are anonymised).
        patron_id: l.patron_id?,
        checked_out_at: l.checked_out_at,
        due_at: l.due_at,
        renewals: u32::try_from(l.renewals).unwrap_or(u32::MAX),
        claimed_returned_at: None,
    })
}

pub(crate) async fn item_snapshot(
    tx: &mut dyn Tx,
    item: &ItemRow,
    home: &BranchRow,
    loan: Option<&LoanRow>,
) -> Result<ItemSnapshot> {
    let location = match item.location_id {
        Some(id) => tx.location(id).await?,
        None => None,
    };
    item_snapshot_at(item, home, location.as_ref(), loan)
}

/// [`item_snapshot`] with the item's location already at hand.
pub(crate) fn item_snapshot_at(
    item: &ItemRow,
    home: &BranchRow,
    location: Option<&LocationRow>,
    loan: Option<&LoanRow>,
) -> Result<ItemSnapshot> {
    Ok(ItemSnapshot {
        id: item.id,
        record_id: item.record_id,
        status: ItemStatus::parse(&item.status).map_err(|_| {
            Error::new(
                ErrorCode::Internal,
                format!("item {} has unknown status {:?}", item.id, item.status),
            )
        })?,
        flags: ItemFlags::default(),
        item_type: code("item_type", &item.item_type)?,
        home_branch: code("branch", &home.code)?,
        location_circulates: location.is_none_or(|l| l.circulates),
        location_holdable: location.is_none_or(|l| l.holdable),
        floating: false,
        loan: loan.and_then(loan_snapshot),
    })
}

pub(crate) fn refused(r: Refused) -> Error {
    Error::refused(r.0)
}

pub(crate) fn parse_overrides(ctx: &Ctx, overrides: &[String]) -> Result<Vec<RefusalCode>> {
    let list: Vec<&str> = overrides
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    ctx.actor.require(Permission::OverrideCirculation)?;
    list.into_iter()
        .map(|s| RefusalCode::parse(s).ok_or_else(|| Error::field("override", "unknown-refusal")))
        .collect()
}

fn codes(rs: &[Refusal]) -> Vec<String> {
    rs.iter().map(|r| r.code.as_str().to_owned()).collect()
}

#[derive(Serialize)]
struct CircAudit<'a> {
    loan: &'a LoanRow,
    item_status: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    overridden: Vec<String>,
    explanation: Vec<(String, Vec<(&'static str, String)>)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    override_reason: Option<&'a str>,
}

/// A patron's open loans as shown to staff and to the patron, by due date.
pub(crate) async fn current_loan_views(
    tx: &mut dyn Tx,
    patron: &PatronRow,
) -> Result<Vec<LoanView>> {
    let rules = load_rules(tx).await?;
    let mut current = Vec::new();
    for l in tx.open_loans_of_patron(patron.id).await? {
        let Some(item) = tx.item(l.item_id).await? else {
            continue;
        };
        let title = tx
            .record(item.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        let allowed = l.rule_id.and_then(|id| {
            rules
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.policy.renewals_allowed)
        });
        let used = u32::try_from(l.renewals).unwrap_or(u32::MAX);
        current.push(LoanView {
            renewals_left: allowed.map(|a| a.saturating_sub(used)),
            loan: l,
            item_barcode: item.barcode,
            record_id: item.record_id,
            title,
            patron_barcode: Some(patron.barcode.clone()),
            item_status: item.status,
            overridden: Vec::new(),
            due_explanation: Vec::new(),
        });
    }
    Ok(current)
}

impl Library {
    pub(crate) async fn item_for_circ(&self, tx: &mut dyn Tx, barcode: &str) -> Result<ItemRow> {
        let b = barcode.trim();
        if b.is_empty() {
            return Err(Error::field("item", "required"));
        }
        tx.item_by_barcode(b)
            .await?
            .ok_or_else(|| Error::not_found("item"))
    }

    /// [`Library::item_for_circ`] with the title of its record.
    pub(crate) async fn item_for_circ_titled(
        &self,
        tx: &mut dyn Tx,
        barcode: &str,
    ) -> Result<(ItemRow, String)> {
        let b = barcode.trim();
        if b.is_empty() {
            return Err(Error::field("item", "required"));
        }
        tx.item_with_title_by_barcode(b)
            .await?
            .ok_or_else(|| Error::not_found("item"))
    }

    pub(crate) async fn patron_for_circ(
        &self,
        tx: &mut dyn Tx,
        barcode: &str,
    ) -> Result<PatronRow> {
        let b = barcode.trim();
        if b.is_empty() {
            return Err(Error::field("patron", "required"));
        }
        match tx.patron_by_barcode(b).await? {
            Some(p) => Ok(p),
            // A replaced card: refused with the reason, not "unknown".
            None => Err(crate::patrons::replaced_card_refusal(tx, b)
                .await?
                .unwrap_or_else(|| Error::not_found("patron"))),
        }
    }

    /// Lends an item to a patron (permission `circulate`; overrides need
    /// `override-circulation` and are audited). Refusals come back as
    /// `ErrorCode::Refused` listing every refusal code.
    pub async fn checkout(
        &self,
        ctx: &Ctx,
        patron_barcode: &str,
        item_barcode: &str,
        overrides: &[String],
    ) -> Result<LoanView> {
        self.checkout_with_reason(ctx, patron_barcode, item_barcode, overrides, None)
            .await
    }

    /// [`Library::checkout`] with the staff member's reason for the
    /// overrides (kept in the audit entry). With `Some`, a reason is
    /// required whenever something is overridden (field `override_reason`).
    pub async fn checkout_with_reason(
        &self,
        ctx: &Ctx,
        patron_barcode: &str,
        item_barcode: &str,
        overrides: &[String],
        override_reason: Option<&str>,
    ) -> Result<LoanView> {
        ctx.actor.require(Permission::Circulate)?;
        let overrides = parse_overrides(ctx, overrides)?;
        let override_reason = override_reason.map(str::trim);
        if !overrides.is_empty() && override_reason == Some("") {
            return Err(Error::field("override_reason", "required"));
        }
        if override_reason.is_some_and(|r| r.chars().count() > 500) {
            return Err(Error::from(quire_domain::error::Invalid::one(
                quire_domain::error::FieldError::new("override_reason", "too-long").with_arg(500),
            )));
        }
        let override_reason = override_reason.filter(|r| !overrides.is_empty() && !r.is_empty());
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let cfg = self.circ_config(tx).await?;
        let patron = self.patron_for_circ(tx, patron_barcode).await?;
        let (item, title) = self.item_for_circ_titled(tx, item_barcode).await?;
        let branch = cfg.branch(item.branch_id)?;
        let cal = cfg.calendar(branch.id)?;
        let open = tx.open_loan_of_item(item.id).await?;
        let ps = patron_snapshot(tx, &patron, now).await?;
        let is = item_snapshot_at(&item, branch, cfg.location_of(&item), open.as_ref())?;
        let branch_code = code("branch", &branch.code)?;
        let resolution = resolve(
            &cfg.rules,
            &Lookup {
                patron_category: ps.category.clone(),
                item_type: is.item_type.clone(),
                branch: branch_code.clone(),
            },
        );
        let holds = self.domain_holds_with(tx, &cfg, item.record_id).await?;
        let decision = decide::checkout(&decide::CheckoutRequest {
            patron: &ps,
            item: &is,
            resolution: &resolution,
            calendar: cal,
            branch: &branch_code,
            holds: &holds,
            hold_policy: HoldPolicy::default(),
            now,
            overrides: &overrides,
        })
        .map_err(refused)?;
        let label = ctx.actor.label();
        // Staff overrode "on loan to someone else": that loan ends here.
        if let Some(old) = open.as_ref().filter(|_| {
            decision
                .overridden
                .iter()
                .any(|r| r.code == RefusalCode::ItemOnLoanToOther)
        }) {
            tx.close_loan(old.id, now, branch.id, 0).await?;
            let closed = tx.loan(old.id).await?;
            audit::record::<(), _>(
                tx,
                self,
                ctx,
                "checkin",
                "loan",
                old.id,
                None,
                closed.as_ref(),
            )
            .await?;
        }
        let loan_id = tx
            .insert_loan(&LoanWrite {
                item_id: item.id,
                patron_id: patron.id,
                checkout_branch_id: branch.id,
                checked_out_at: now,
                due_at: decision.due.due_at,
                rule_id: decision.rule_id,
                created_by: &label,
            })
            .await
            .map_err(|e| match e {
                // Another checkout of the same item committed first.
                quire_store::StoreError::Duplicate(_) => Error::refused(vec![Refusal {
                    code: RefusalCode::ItemOnLoanToOther,
                    args: Vec::new(),
                    overridable: false,
                }]),
                other => other.into(),
            })?;
        let status = decision.new_status.as_str();
        tx.set_item_status(item.id, status, now).await?;
        tx.push_outbox("record", item.record_id, "upsert", now)
            .await?;
        self.checkout_settles_holds(
            tx,
            ctx,
            &item,
            branch,
            patron.id,
            decision.fulfils_hold,
            now,
        )
        .await?;
        let loan = tx
            .loan(loan_id)
            .await?
            .ok_or_else(|| Error::not_found("loan"))?;
        let overridden = codes(&decision.overridden);
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "checkout",
            "loan",
            loan_id,
            None,
            Some(&CircAudit {
                loan: &loan,
                item_status: status,
                overridden: overridden.clone(),
                explanation: decision
                    .due
                    .explanation
                    .iter()
                    .map(|s| (s.code().to_owned(), s.args()))
                    .collect(),
                rule_id: decision.rule_id,
                override_reason,
            }),
        )
        .await?;
        w.commit().await?;
        Ok(LoanView {
            renewals_left: Some(resolution.policy.renewals_allowed),
            loan,
            item_barcode: item.barcode,
            record_id: item.record_id,
            title,
            patron_barcode: Some(patron.barcode),
            item_status: status.to_owned(),
            overridden,
            due_explanation: decision
                .due
                .explanation
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
        })
    }

    /// Returns an item at `branch_code` (default: the item's branch): closes
    /// the loan, charges the overdue fine into the fees ledger, and routes
    /// the item (reshelve, or transit home when returned elsewhere).
    pub async fn checkin(
        &self,
        ctx: &Ctx,
        item_barcode: &str,
        branch_code: Option<&str>,
    ) -> Result<CheckinView> {
        ctx.actor.require(Permission::Circulate)?;
        let mut w = self.store().begin().await?;
        let view = self
            .checkin_in(w.as_mut(), ctx, item_barcode, branch_code)
            .await?;
        w.commit().await?;
        Ok(view)
    }

    /// [`Library::checkin`] inside the caller's transaction (also used to
    /// receive transits).
    pub(crate) async fn checkin_in(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item_barcode: &str,
        branch_code: Option<&str>,
    ) -> Result<CheckinView> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let cfg = self.circ_config(tx).await?;
        let (item, title) = self.item_for_circ_titled(tx, item_barcode).await?;
        let home = cfg.branch(item.branch_id)?;
        let here = match branch_code.map(str::trim).filter(|s| !s.is_empty()) {
            Some(c) => cfg
                .branch_by_code(&c.to_ascii_uppercase())
                .ok_or_else(|| Error::field("branch", "unknown-branch"))?,
            None => home,
        };
        let here_code = code("branch", &here.code)?;
        let open = tx.open_loan_of_item(item.id).await?;
        let mut is = item_snapshot_at(&item, home, cfg.location_of(&item), open.as_ref())?;
        let mark = crate::loss::mark_for_checkin(tx, &mut is).await?;
        // The loan's policy: its patron's category, at the checkout branch.
        let mut loan_patron = None;
        let mut loan_resolution: Option<Resolution> = None;
        let mut loan_cal = cfg.calendar(home.id)?;
        if let Some(l) = &open {
            if let Some(pid) = l.patron_id {
                loan_patron = tx.patron(pid).await?;
            }
            let lb = cfg.branch(l.checkout_branch_id)?;
            loan_cal = cfg.calendar(lb.id)?;
            if let Some(p) = &loan_patron {
                loan_resolution = Some(resolve(
                    &cfg.rules,
                    &Lookup {
                        patron_category: code("category", &p.category)?,
                        item_type: is.item_type.clone(),
                        branch: code("branch", &lb.code)?,
                    },
                ));
            }
        }
        let here_cal = cfg.calendar(here.id)?;
        let holds = self.domain_holds_with(tx, &cfg, item.record_id).await?;
        let item_policy = self
            .routing_policy_with(tx, &cfg.rules, &is, &here_code, &holds, now)
            .await?;
        let decision = decide::checkin(&decide::CheckinRequest {
            item: &is,
            branch: &here_code,
            now,
            backdated_to: None,
            loan_policy: loan_resolution.as_ref().map(|r| &r.policy),
            loan_calendar: loan_cal,
            branch_calendar: here_cal,
            item_policy: &item_policy,
            holds: &holds,
            hold_policy: HoldPolicy::default(),
            lost_policy: crate::loss::lost_return_policy(
                loan_resolution.as_ref().map(|r| &r.policy),
            ),
        })
        .map_err(refused)?;
        let label = ctx.actor.label();
        let mut resolution = crate::loss::CheckinResolution::default();
        let mut fine_minor = 0;
        let mut fine_explanation = Vec::new();
        let mut closed = None;
        if let LoanClosure::Closed {
            loan_id,
            patron_id,
            fine,
        } = &decision.loan
        {
            if let Some(f) = fine {
                fine_minor = f.amount;
                fine_explanation = f.explanation.iter().map(|s| s.code().to_owned()).collect();
            }
            tx.close_loan(*loan_id, now, here.id, fine_minor).await?;
            if fine_minor > 0 {
                tx.insert_fee(&FeeWrite {
                    patron_id: *patron_id,
                    loan_id: Some(*loan_id),
                    item_id: Some(item.id),
                    kind: FEE_OVERDUE,
                    amount_minor: fine_minor,
                    note: None,
                    created_at: now,
                    created_by: &label,
                })
                .await?;
            }
            resolution = self
                .resolve_mark_at_checkin(
                    tx,
                    ctx,
                    mark.as_ref(),
                    loan_resolution.as_ref().map(|r| &r.policy),
                    *loan_id,
                    item.id,
                    now,
                )
                .await?;
            // Privacy: a settled loan loses its patron link now unless the
            // patron keeps a reading history (the sweep does the rest).
            let owed = fine_minor + resolution.owed_minor;
            // The loan's patron was read above; a patron gone meanwhile
            // keeps nothing.
            let keeps = loan_patron
                .as_ref()
                .is_some_and(|p| p.id == *patron_id && p.keep_history);
            if crate::patrons::anonymise_at_checkin(tx, *loan_id, keeps, cfg.keep_days, owed, now)
                .await?
                && mark.is_some()
            {
                tx.detach_anonymised_marks().await?;
            }
            closed = tx.loan(*loan_id).await?;
        }
        if resolution.resolved.is_none() {
            resolution.resolved = decision.resolved.map(|r| {
                match r {
                    decide::Resolved::LostReturned { .. } => "lost-found",
                    decide::Resolved::ClaimsReturnedFound => "claims-returned-found",
                    decide::Resolved::MissingFound => "missing-found",
                }
                .to_owned()
            });
        }
        let status = decision.new_status.as_str();
        tx.set_item_status(item.id, status, now).await?;
        tx.push_outbox("record", item.record_id, "upsert", now)
            .await?;
        // Scanned somewhere: an open transit ends here; then holds and a
        // new transit follow the decision.
        self.close_transit_if_open(tx, ctx, item.id, here, now)
            .await?;
        let routed = self
            .apply_outcome(tx, ctx, &item, here, &decision.outcome, now)
            .await?;
        let (route, transit_to, transit_reason) = match &decision.outcome {
            CheckinOutcome::Reshelve => ("reshelve", None, None),
            CheckinOutcome::HoldShelf { .. } => ("hold-shelf", None, None),
            CheckinOutcome::Transit { to_branch, reason } => (
                "transit",
                Some(to_branch.as_str().to_owned()),
                Some(match reason {
                    decide::TransitReason::Home => "home",
                    decide::TransitReason::Hold { .. } => "hold",
                }),
            ),
        };
        #[derive(Serialize)]
        struct CheckinAudit<'a> {
            loan: Option<&'a LoanRow>,
            item_status: &'a str,
            route: &'a str,
            transit_to: Option<&'a str>,
            fine_minor: i64,
            fine_explanation: &'a [String],
            #[serde(flatten)]
            resolution: &'a crate::loss::CheckinResolution,
        }
        let entity_id = closed.as_ref().map_or(item.id, |l| l.id);
        let location_code = cfg.location_of(&item).map(|l| l.code.clone());
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "checkin",
            if closed.is_some() { "loan" } else { "item" },
            entity_id,
            None,
            Some(&CheckinAudit {
                loan: closed.as_ref(),
                item_status: status,
                route,
                transit_to: transit_to.as_deref(),
                fine_minor,
                fine_explanation: &fine_explanation,
                resolution: &resolution,
            }),
        )
        .await?;
        Ok(CheckinView {
            route: route.to_owned(),
            transit_to,
            transit_reason: transit_reason.map(str::to_owned),
            was_on_loan: closed.is_some(),
            loan: closed,
            patron_barcode: loan_patron.map(|p| p.barcode),
            fine_minor,
            fine_explanation,
            item_barcode: item.barcode,
            item_status: status.to_owned(),
            record_id: item.record_id,
            sip2_alert_type: decision.outcome.sip2_alert_type(),
            sip2_destination: decision
                .outcome
                .sip2_destination()
                .map(|c| c.as_str().to_owned()),
            hold: routed.hold,
            transit_id: routed.transit_id,
            resolution,
            device: CheckinDeviceInfo {
                title,
                home_branch: home.code.clone(),
                sort_bin: crate::sip2::pick_sort_bin(
                    &cfg.sort_bins,
                    here.id,
                    location_code.as_deref(),
                    &item.item_type,
                    route,
                )
                .map(str::to_owned),
                location_code,
                call_number: item.call_number.clone(),
                item_type: item.item_type.clone(),
            },
        })
    }

    /// Renews the open loan of an item for its borrower (permission
    /// `circulate`).
    pub async fn renew(&self, ctx: &Ctx, item_barcode: &str) -> Result<LoanView> {
        self.renew_with(ctx, item_barcode, &[]).await
    }

    /// [`Library::renew`] with staff overrides (permission
    /// `override-circulation`).
    pub async fn renew_with(
        &self,
        ctx: &Ctx,
        item_barcode: &str,
        overrides: &[String],
    ) -> Result<LoanView> {
        // A patron renews their own loans only; staff need `circulate`.
        let own = ctx.actor.patron().map(|p| p.patron_id);
        if own.is_none() {
            ctx.actor.require(Permission::Circulate)?;
        }
        let overrides = parse_overrides(ctx, overrides)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let cfg = self.circ_config(tx).await?;
        let item = self.item_for_circ(tx, item_barcode).await?;
        let home = cfg.branch(item.branch_id)?;
        let open = tx.open_loan_of_item(item.id).await?;
        if let Some(pid) = own
            && open.as_ref().and_then(|l| l.patron_id) != Some(pid)
        {
            // Not the patron's loan: say nothing about someone else's.
            return Err(Error::not_found("loan"));
        }
        let Some(open) = open else {
            return Err(Error::refused(vec![Refusal {
                code: RefusalCode::NotOnLoan,
                args: Vec::new(),
                overridable: false,
            }]));
        };
        let patron = match open.patron_id {
            Some(pid) => tx.patron(pid).await?,
            None => None,
        }
        .ok_or_else(|| Error::not_found("patron"))?;
        let lb = cfg.branch(open.checkout_branch_id)?;
        let cal = cfg.calendar(lb.id)?;
        let ps = patron_snapshot(tx, &patron, now).await?;
        let is = item_snapshot_at(&item, home, cfg.location_of(&item), Some(&open))?;
        let resolution = resolve(
            &cfg.rules,
            &Lookup {
                patron_category: ps.category.clone(),
                item_type: is.item_type.clone(),
                branch: code("branch", &lb.code)?,
            },
        );
        let holds = self.domain_holds_with(tx, &cfg, item.record_id).await?;
        let decision = decide::renew(&decide::RenewRequest {
            patron: &ps,
            item: &is,
            resolution: &resolution,
            calendar: cal,
            holds: &holds,
            now,
            overrides: &overrides,
        })
        .map_err(refused)?;
        tx.renew_loan(open.id, decision.due.due_at, i64::from(decision.renewals))
            .await?;
        let loan = tx
            .loan(open.id)
            .await?
            .ok_or_else(|| Error::not_found("loan"))?;
        let overridden = codes(&decision.overridden);
        audit::record(
            tx,
            self,
            ctx,
            "renew",
            "loan",
            open.id,
            Some(&open),
            Some(&CircAudit {
                loan: &loan,
                item_status: &item.status,
                overridden: overridden.clone(),
                explanation: decision
                    .due
                    .explanation
                    .iter()
                    .map(|s| (s.code().to_owned(), s.args()))
                    .collect(),
                rule_id: decision.rule_id,
                override_reason: None,
            }),
        )
        .await?;
        let title = tx
            .record(item.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        w.commit().await?;
        Ok(LoanView {
            loan,
            item_barcode: item.barcode,
            record_id: item.record_id,
            title,
            patron_barcode: Some(patron.barcode),
            item_status: item.status,
            renewals_left: Some(decision.renewals_left),
            overridden,
            due_explanation: decision
                .due
                .explanation
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
        })
    }

    /// A patron's current loans (by due date), recent history and balance
    /// (permission `view-patrons`).
    pub async fn patron_loans(&self, ctx: &Ctx, patron_barcode: &str) -> Result<PatronLoans> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = self.patron_for_circ(tx, patron_barcode).await?;
        let current = current_loan_views(tx, &patron).await?;
        // Reading history only for staff who circulate (privacy).
        let history = if ctx.actor.can(Permission::Circulate) {
            tx.loans_history(patron.id, HISTORY_LIMIT).await?
        } else {
            Vec::new()
        };
        let balance_minor = tx.fee_balance(patron.id).await?;
        Ok(PatronLoans {
            patron,
            current,
            history,
            balance_minor,
        })
    }

    /// The policy matrix (permission `manage-policies`).
    pub async fn rules(&self, ctx: &Ctx) -> Result<Vec<RuleView>> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let mut r = self.store().read().await?;
        let rows = r.circ_rules().await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let rule = parse_rule(&row)?;
                Some(RuleView {
                    id: row.id,
                    patron_category: row.patron_category.clone(),
                    item_type: row.item_type.clone(),
                    branch: row.branch_code.clone(),
                    policy: rule.policy,
                    row,
                })
            })
            .collect())
    }

    /// Creates the rule for `key`, or replaces the policy of the existing
    /// rule with exactly that key (permission `manage-policies`; audited).
    pub async fn set_rule(&self, ctx: &Ctx, key: &RuleKey, policy: &Policy) -> Result<RuleView> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let json = policy_json(policy)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let s = |c: &Option<Code>| c.as_ref().map(|c| c.as_str().to_owned());
        let (cat, ty, br) = (s(&key.patron_category), s(&key.item_type), s(&key.branch));
        let existing = tx
            .circ_rules()
            .await?
            .into_iter()
            .find(|r| r.patron_category == cat && r.item_type == ty && r.branch_code == br);
        let id = match &existing {
            Some(r) => {
                tx.update_circ_rule(r.id, &json, now).await?;
                r.id
            }
            None => {
                tx.insert_circ_rule(cat.as_deref(), ty.as_deref(), br.as_deref(), &json, now)
                    .await?
            }
        };
        let row = tx
            .circ_rule(id)
            .await?
            .ok_or_else(|| Error::not_found("rule"))?;
        audit::record(
            tx,
            self,
            ctx,
            if existing.is_some() {
                "update"
            } else {
                "create"
            },
            "circ_rule",
            id,
            existing.as_ref(),
            Some(&row),
        )
        .await?;
        crate::config_cache::bump(tx).await?;
        w.commit().await?;
        Ok(RuleView {
            id,
            patron_category: cat,
            item_type: ty,
            branch: br,
            policy: policy.clone(),
            row,
        })
    }

    /// The patron's ledger balance (minor units; positive = owes).
    pub async fn patron_balance(&self, ctx: &Ctx, patron_barcode: &str) -> Result<i64> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = self.patron_for_circ(tx, patron_barcode).await?;
        Ok(tx.fee_balance(patron.id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, key: &RuleKey, p: &Policy) -> CircRuleRow {
        let s = |c: &Option<Code>| c.as_ref().map(|c| c.as_str().to_owned());
        CircRuleRow {
            id,
            patron_category: s(&key.patron_category),
            item_type: s(&key.item_type),
            branch_code: s(&key.branch),
            policy_json: policy_json(p).unwrap(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn default_rules_round_trip_through_storage_and_resolve() {
        let rules: Vec<Rule> = default_rules()
            .iter()
            .enumerate()
            .map(|(i, (k, p))| {
                let r = parse_rule(&row(i as i64 + 1, k, p)).unwrap();
                assert_eq!(&r.policy, p, "stored policy reads back unchanged");
                assert_eq!(&r.key, k);
                r
            })
            .collect();
        let lookup = |t: &str| Lookup {
            patron_category: Code::parse("c", "ADULT").unwrap(),
            item_type: Code::parse("t", t).unwrap(),
            branch: Code::parse("b", "MAIN").unwrap(),
        };
        let book = resolve(&rules, &lookup("BOOK"));
        assert_eq!(book.matched_rule_id, Some(1));
        assert_eq!(book.policy.loan_period, LoanPeriod::Days(21));
        let dvd = resolve(&rules, &lookup("DVD"));
        assert_eq!(dvd.matched_rule_id, Some(2));
        assert_eq!(dvd.policy.loan_period, LoanPeriod::Days(7));
        assert!(!resolve(&rules, &lookup("REF")).policy.circulates);
    }

    #[test]
    fn unreadable_rules_are_skipped_not_fatal() {
        let mut r = row(1, &RuleKey::default(), &Policy::book_default());
        r.policy_json = "{not json".into();
        assert!(parse_rule(&r).is_none());
        let mut r = row(1, &RuleKey::default(), &Policy::book_default());
        r.item_type = Some("bad code!".into());
        assert!(parse_rule(&r).is_none());
    }
}
