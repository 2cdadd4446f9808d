//! Checkout, renewal, hold placement and checkin decisions.
//!
//! Each function takes a snapshot of everything relevant (loaded by the
//! service layer), never reads a clock, and returns either a decision (with
//! its due date and explanation) or every [`Refusal`] that applies. The
//! desk, SIP2 and the OPAC call the same functions; they differ only in the
//! overrides they may pass (staff with permission re-submit with the
//! refusal codes they accept in `overrides`; only refusals marked
//! `overridable` can be overridden).
//!
//! Refusal codes are stable kebab-case strings ([`RefusalCode::as_str`]);
//! messages are translated as `refusal-<code>` with the refusal's `args`.

use chrono::{DateTime, Duration, Utc};

use super::blocks::{Action, BlockReason, PatronStanding, patron_blocks};
use super::blocks::{Block, BlockLimits};
use super::calendar::{BranchCalendar, DueDate, add_utc, due_date_for};
use super::fines::{FineCalc, overdue_fine};
use super::holds::{
    Hold, HoldId, HoldPolicy, HoldState, HoldableItem, ItemId, PatronId, RecordId,
    hold_shelf_expiry, next_hold_for_item,
};
use super::policy::{Policy, Resolution, RuleId};
use super::status::{ItemEvent, ItemFlags, ItemStatus, Route};
use crate::org::Code;

/// Identifier of a loan.
pub type LoanId = i64;

/// A patron record's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatronStatus {
    /// May use the library.
    Active,
    /// Self-registered, not yet verified.
    Pending,
    /// Deactivated, archived or deleted.
    Inactive,
}

impl PatronStatus {
    /// Stable storage string.
    pub fn as_str(self) -> &'static str {
        match self {
            PatronStatus::Active => "active",
            PatronStatus::Pending => "pending",
            PatronStatus::Inactive => "inactive",
        }
    }
    /// Parses [`PatronStatus::as_str`] (trimmed); error code `invalid-choice`.
    pub fn parse(raw: &str) -> Result<Self, crate::error::FieldError> {
        [
            PatronStatus::Active,
            PatronStatus::Pending,
            PatronStatus::Inactive,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw.trim())
        .ok_or_else(|| crate::error::FieldError::new("status", "invalid-choice"))
    }
}

/// Everything about the patron that the decisions need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatronSnapshot {
    /// The patron.
    pub id: PatronId,
    /// Record state.
    pub status: PatronStatus,
    /// Policy category (the matrix key).
    pub category: Code,
    /// Expiry, balance, overdue and claims counts, lost card, manual blocks.
    pub standing: PatronStanding,
    /// The category's block limits.
    pub limits: BlockLimits,
    /// Current loans, all types.
    pub loans_total: u32,
    /// Current loans per item type.
    pub loans_by_type: Vec<(Code, u32)>,
    /// Active (pending or captured) holds.
    pub holds_count: u32,
}

impl PatronSnapshot {
    /// Current loans of one item type.
    pub fn loans_of_type(&self, item_type: &Code) -> u32 {
        self.loans_by_type
            .iter()
            .filter(|(t, _)| t == item_type)
            .map(|(_, n)| *n)
            .sum()
    }
}

/// The open loan on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanSnapshot {
    /// The loan.
    pub id: LoanId,
    /// The borrower.
    pub patron_id: PatronId,
    /// When it was lent.
    pub checked_out_at: DateTime<Utc>,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// Renewals done so far.
    pub renewals: u32,
    /// When the patron claimed to have returned it (fines stop there).
    pub claimed_returned_at: Option<DateTime<Utc>>,
}

/// Everything about the item that the decisions need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSnapshot {
    /// The copy.
    pub id: ItemId,
    /// Its record.
    pub record_id: RecordId,
    /// Primary status.
    pub status: ItemStatus,
    /// Orthogonal flags.
    pub flags: ItemFlags,
    /// Item type (the matrix key).
    pub item_type: Code,
    /// Owning branch.
    pub home_branch: Code,
    /// The shelving location lends items.
    pub location_circulates: bool,
    /// The shelving location allows holds.
    pub location_holdable: bool,
    /// Floating collection: stays where it is returned.
    pub floating: bool,
    /// The open loan, if any.
    pub loan: Option<LoanSnapshot>,
}

/// Why an action is refused. [`RefusalCode::as_str`] is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalCode {
    /// The patron record is pending or inactive.
    PatronInactive,
    /// The card has expired.
    PatronExpired,
    /// The card was reported lost.
    CardLost,
    /// A manual block.
    PatronBlocked,
    /// The balance is over the limit.
    FinesOverLimit,
    /// Too many overdue loans.
    TooManyOverdues,
    /// Too many claims-returned.
    TooManyClaimsReturned,
    /// No rule of the matrix matches.
    NoCirculationRule,
    /// Policy, location or not-for-loan flag forbids lending.
    ItemNotCirculating,
    /// The patron's total loan limit is reached.
    MaxLoansReached,
    /// The patron's loan limit for this item type is reached.
    MaxLoansForType,
    /// Already on loan to this patron (renew instead).
    ItemOnLoanToPatron,
    /// On loan to another patron.
    ItemOnLoanToOther,
    /// Captured for, or next in line for, another patron's hold.
    ItemOnHoldForAnother,
    /// The item is lost.
    ItemLost,
    /// The item is missing.
    ItemMissing,
    /// The item is withdrawn.
    ItemWithdrawn,
    /// The item is damaged (status or flag).
    ItemDamaged,
    /// The item's status does not allow it (on order, in process, in transit, …).
    ItemNotAvailable,
    /// Renewal of an item that is not on loan.
    NotOnLoan,
    /// Renewal of someone else's loan.
    NotOnLoanToPatron,
    /// The loan's status (long overdue, claims returned) does not allow renewal.
    ItemNotRenewable,
    /// No renewals left.
    RenewalLimitReached,
    /// Another patron is waiting for it.
    RenewalBlockedByHold,
    /// Earlier than the policy allows.
    RenewalTooEarly,
    /// The new due date would not be later than the current one.
    RenewalNoExtension,
    /// The policy does not allow holds.
    HoldsNotAllowed,
    /// The patron's hold limit is reached.
    MaxHoldsReached,
    /// No copy can take a hold.
    ItemNotHoldable,
    /// The patron already has an active hold on this title or copy.
    HoldAlreadyPlaced,
}

impl RefusalCode {
    /// Every code.
    pub const ALL: [RefusalCode; 30] = [
        RefusalCode::PatronInactive,
        RefusalCode::PatronExpired,
        RefusalCode::CardLost,
        RefusalCode::PatronBlocked,
        RefusalCode::FinesOverLimit,
        RefusalCode::TooManyOverdues,
        RefusalCode::TooManyClaimsReturned,
        RefusalCode::NoCirculationRule,
        RefusalCode::ItemNotCirculating,
        RefusalCode::MaxLoansReached,
        RefusalCode::MaxLoansForType,
        RefusalCode::ItemOnLoanToPatron,
        RefusalCode::ItemOnLoanToOther,
        RefusalCode::ItemOnHoldForAnother,
        RefusalCode::ItemLost,
        RefusalCode::ItemMissing,
        RefusalCode::ItemWithdrawn,
        RefusalCode::ItemDamaged,
        RefusalCode::ItemNotAvailable,
        RefusalCode::NotOnLoan,
        RefusalCode::NotOnLoanToPatron,
        RefusalCode::ItemNotRenewable,
        RefusalCode::RenewalLimitReached,
        RefusalCode::RenewalBlockedByHold,
        RefusalCode::RenewalTooEarly,
        RefusalCode::RenewalNoExtension,
        RefusalCode::HoldsNotAllowed,
        RefusalCode::MaxHoldsReached,
        RefusalCode::ItemNotHoldable,
        RefusalCode::HoldAlreadyPlaced,
    ];

    /// Stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::PatronInactive => "patron-inactive",
            RefusalCode::PatronExpired => "patron-expired",
            RefusalCode::CardLost => "card-lost",
            RefusalCode::PatronBlocked => "patron-blocked",
            RefusalCode::FinesOverLimit => "fines-over-limit",
            RefusalCode::TooManyOverdues => "too-many-overdues",
            RefusalCode::TooManyClaimsReturned => "too-many-claims-returned",
            RefusalCode::NoCirculationRule => "no-circulation-rule",
            RefusalCode::ItemNotCirculating => "item-not-circulating",
            RefusalCode::MaxLoansReached => "max-loans-reached",
            RefusalCode::MaxLoansForType => "max-loans-for-type",
            RefusalCode::ItemOnLoanToPatron => "item-on-loan-to-patron",
            RefusalCode::ItemOnLoanToOther => "item-on-loan-to-other",
            RefusalCode::ItemOnHoldForAnother => "item-on-hold-for-another",
            RefusalCode::ItemLost => "item-lost",
            RefusalCode::ItemMissing => "item-missing",
            RefusalCode::ItemWithdrawn => "item-withdrawn",
            RefusalCode::ItemDamaged => "item-damaged",
            RefusalCode::ItemNotAvailable => "item-not-available",
            RefusalCode::NotOnLoan => "not-on-loan",
            RefusalCode::NotOnLoanToPatron => "not-on-loan-to-patron",
            RefusalCode::ItemNotRenewable => "item-not-renewable",
            RefusalCode::RenewalLimitReached => "renewal-limit-reached",
            RefusalCode::RenewalBlockedByHold => "renewal-blocked-by-hold",
            RefusalCode::RenewalTooEarly => "renewal-too-early",
            RefusalCode::RenewalNoExtension => "renewal-no-extension",
            RefusalCode::HoldsNotAllowed => "holds-not-allowed",
            RefusalCode::MaxHoldsReached => "max-holds-reached",
            RefusalCode::ItemNotHoldable => "item-not-holdable",
            RefusalCode::HoldAlreadyPlaced => "hold-already-placed",
        }
    }

    /// Parses [`RefusalCode::as_str`] (for overrides coming back from a form).
    pub fn parse(raw: &str) -> Option<RefusalCode> {
        RefusalCode::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
    }
}

impl std::fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason an action is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What.
    pub code: RefusalCode,
    /// Named arguments for the message, in a fixed order.
    pub args: Vec<(&'static str, String)>,
    /// Staff with permission may override it.
    pub overridable: bool,
}

impl Refusal {
    fn new(code: RefusalCode, overridable: bool) -> Self {
        Refusal {
            code,
            args: Vec::new(),
            overridable,
        }
    }
    fn arg(mut self, name: &'static str, v: impl ToString) -> Self {
        self.args.push((name, v.to_string()));
        self
    }
}

/// All refusals of one request (never empty). The first is the primary one
/// (for one-message channels such as SIP2): non-overridable refusals come
/// before overridable ones, otherwise the order of the checks (patron,
/// item, policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub Vec<Refusal>);

impl Refused {
    /// The primary refusal.
    pub fn primary(&self) -> Option<&Refusal> {
        self.0.first()
    }
    /// Whether every refusal may be overridden.
    pub fn all_overridable(&self) -> bool {
        self.0.iter().all(|r| r.overridable)
    }
    /// The codes, in order.
    pub fn codes(&self) -> Vec<RefusalCode> {
        self.0.iter().map(|r| r.code).collect()
    }
}

impl std::fmt::Display for Refused {
    /// The codes, comma-separated (for logs; users see translated messages).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(r.code.as_str())?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// Splits refusals into (still refusing, overridden).
fn apply_overrides(
    refusals: Vec<Refusal>,
    overrides: &[RefusalCode],
) -> Result<Vec<Refusal>, Refused> {
    let (overridden, mut left): (Vec<_>, Vec<_>) = refusals
        .into_iter()
        .partition(|r| r.overridable && overrides.contains(&r.code));
    if left.is_empty() {
        Ok(overridden)
    } else {
        left.sort_by_key(|r| r.overridable);
        Err(Refused(left))
    }
}

fn block_code(reason: BlockReason) -> RefusalCode {
    match reason {
        BlockReason::CardExpired => RefusalCode::PatronExpired,
        BlockReason::CardLost => RefusalCode::CardLost,
        BlockReason::FinesOverLimit => RefusalCode::FinesOverLimit,
        BlockReason::TooManyOverdues => RefusalCode::TooManyOverdues,
        BlockReason::TooManyClaimsReturned => RefusalCode::TooManyClaimsReturned,
        BlockReason::Manual => RefusalCode::PatronBlocked,
    }
}

/// Patron status and the blocks stopping `action`.
fn patron_refusals(
    patron: &PatronSnapshot,
    action: Action,
    now: DateTime<Utc>,
    calendar: &BranchCalendar,
) -> Vec<Refusal> {
    let mut out = Vec::new();
    if patron.status != PatronStatus::Active {
        out.push(
            Refusal::new(RefusalCode::PatronInactive, false).arg("status", patron.status.as_str()),
        );
    }
    let today = calendar.local_date(now);
    let blocks: Vec<Block> = patron_blocks(&patron.standing, &patron.limits, today);
    for b in blocks.into_iter().filter(|b| b.stops.stops(action)) {
        out.push(Refusal {
            code: block_code(b.reason),
            args: b.args,
            overridable: b.overridable,
        });
    }
    out
}

/// The patron's expiry, if it is to cap a due date: only when it has not
/// passed (an overridden expired card gets a normal loan).
fn expiry_cap(
    patron: &PatronSnapshot,
    now: DateTime<Utc>,
    calendar: &BranchCalendar,
) -> Option<chrono::NaiveDate> {
    let today = calendar.local_date(now);
    patron.standing.expires_on.filter(|e| *e >= today)
}

fn holdable_item(item: &ItemSnapshot, branch: &Code, policy: &Policy) -> HoldableItem {
    HoldableItem {
        id: item.id,
        record_id: item.record_id,
        current_branch: branch.clone(),
        home_branch: item.home_branch.clone(),
        holdable: policy.holds_allowed
            && item.location_holdable
            && !item.flags.damaged
            && !item.flags.suppressed,
    }
}

/// A checkout request.
#[derive(Debug, Clone)]
pub struct CheckoutRequest<'a> {
    /// The borrower.
    pub patron: &'a PatronSnapshot,
    /// The copy.
    pub item: &'a ItemSnapshot,
    /// The policy resolved for (patron category, item type, branch).
    pub resolution: &'a Resolution,
    /// The checkout branch's calendar.
    pub calendar: &'a BranchCalendar,
    /// The checkout branch.
    pub branch: &'a Code,
    /// Holds on the item's record and on the item.
    pub holds: &'a [Hold],
    /// Hold targeting settings.
    pub hold_policy: HoldPolicy,
    /// The transaction time.
    pub now: DateTime<Utc>,
    /// Refusal codes staff accepted.
    pub overrides: &'a [RefusalCode],
}

/// A granted checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutDecision {
    /// The due date and its explanation.
    pub due: DueDate,
    /// The matrix rule applied.
    pub rule_id: Option<RuleId>,
    /// The patron's hold this checkout fills (mark it fulfilled).
    pub fulfils_hold: Option<HoldId>,
    /// Refusals that were overridden (for the audit log).
    pub overridden: Vec<Refusal>,
    /// Always `CheckedOut`.
    pub new_status: ItemStatus,
}

/// Item-state refusals shared by checkout.
fn item_state_refusals(item: &ItemSnapshot, patron: PatronId) -> Vec<Refusal> {
    let mut out = Vec::new();
    let status = item.status.as_str();
    if let Some(loan) = &item.loan {
        if loan.patron_id == patron {
            out.push(
                Refusal::new(RefusalCode::ItemOnLoanToPatron, false)
                    .arg("due", loan.due_at.to_rfc3339()),
            );
        } else {
            out.push(
                Refusal::new(RefusalCode::ItemOnLoanToOther, true)
                    .arg("due", loan.due_at.to_rfc3339()),
            );
        }
        return out;
    }
    match item.status {
        ItemStatus::Available | ItemStatus::Reshelving | ItemStatus::OnHoldShelf => {}
        ItemStatus::Lost => out.push(Refusal::new(RefusalCode::ItemLost, true)),
        ItemStatus::Missing => out.push(Refusal::new(RefusalCode::ItemMissing, true)),
        ItemStatus::Withdrawn => out.push(Refusal::new(RefusalCode::ItemWithdrawn, false)),
        ItemStatus::Damaged => {
            out.push(Refusal::new(RefusalCode::ItemDamaged, false).arg("status", status))
        }
        ItemStatus::InProcess | ItemStatus::InTransit => {
            out.push(Refusal::new(RefusalCode::ItemNotAvailable, true).arg("status", status));
        }
        ItemStatus::OnOrder
        | ItemStatus::CheckedOut
        | ItemStatus::LongOverdue
        | ItemStatus::ClaimsReturned => {
            // On order cannot be lent; a loan status without a loan row is
            // inconsistent data: refuse, staff must check it in first.
            out.push(Refusal::new(RefusalCode::ItemNotAvailable, false).arg("status", status));
        }
    }
    if item.flags.damaged && item.status != ItemStatus::Damaged {
        out.push(Refusal::new(RefusalCode::ItemDamaged, true).arg("status", status));
    }
    out
}

/// Decides a checkout. Checks, in order: patron (status, blocks stopping
/// checkout), item (loan, status, damage), holds (captured for or next in
/// line for someone else), policy (a rule exists, circulates, location,
/// not-for-loan, loan limits). The due date follows `calendar::due_date`,
/// capped at the card expiry when it has not passed.
pub fn checkout(req: &CheckoutRequest<'_>) -> Result<CheckoutDecision, Refused> {
    let CheckoutRequest {
        patron,
        item,
        resolution,
        calendar,
        branch,
        holds,
        hold_policy,
        now,
        overrides,
    } = *req;
    let policy = &resolution.policy;
    let mut refusals = patron_refusals(patron, Action::Checkout, now, calendar);
    refusals.extend(item_state_refusals(item, patron.id));

    // Holds: the hold this copy would fill now, and the patron's own hold.
    let next = next_hold_for_item(
        &holdable_item(item, branch, policy),
        holds,
        now,
        hold_policy,
    );
    let own = holds
        .iter()
        .filter(|h| h.patron_id == patron.id && h.wants(item.id, item.record_id))
        .filter(|h| h.state == (HoldState::Captured { item_id: item.id }) || h.is_fillable(now))
        .min_by_key(|h| (h.state == HoldState::Pending, h.placed_at, h.id))
        .map(|h| h.id);
    let fulfils_hold = match next {
        Some(h) if h.patron_id != patron.id => {
            refusals.push(
                Refusal::new(RefusalCode::ItemOnHoldForAnother, true)
                    .arg("hold", h.id)
                    .arg("pickup", h.pickup_branch.as_str()),
            );
            own
        }
        Some(h) => Some(h.id),
        None => own,
    };

    // Policy.
    if resolution.matched_rule_id.is_none() {
        refusals.push(Refusal::new(RefusalCode::NoCirculationRule, false));
    } else {
        let reason = if !policy.circulates {
            Some("policy")
        } else if !item.location_circulates {
            Some("location")
        } else if item.flags.not_for_loan {
            Some("not-for-loan")
        } else {
            None
        };
        if let Some(r) = reason {
            refusals.push(Refusal::new(RefusalCode::ItemNotCirculating, true).arg("reason", r));
        }
        let own_loan = item.loan.as_ref().is_some_and(|l| l.patron_id == patron.id);
        if !own_loan {
            if let Some(max) = policy.max_loans_total.filter(|m| patron.loans_total >= *m) {
                refusals.push(
                    Refusal::new(RefusalCode::MaxLoansReached, true)
                        .arg("limit", max)
                        .arg("value", patron.loans_total),
                );
            }
            let n = patron.loans_of_type(&item.item_type);
            if let Some(max) = policy.max_loans_for_type.filter(|m| n >= *m) {
                refusals.push(
                    Refusal::new(RefusalCode::MaxLoansForType, true)
                        .arg("limit", max)
                        .arg("value", n)
                        .arg("item-type", item.item_type.as_str()),
                );
            }
        }
    }
    let overridden = apply_overrides(refusals, overrides)?;
    let due = due_date_for(
        now,
        policy.loan_period,
        policy,
        calendar,
        expiry_cap(patron, now, calendar),
    );
    Ok(CheckoutDecision {
        due,
        rule_id: resolution.matched_rule_id,
        fulfils_hold,
        overridden,
        new_status: ItemStatus::CheckedOut,
    })
}

/// A renewal request.
#[derive(Debug, Clone)]
pub struct RenewRequest<'a> {
    /// The borrower.
    pub patron: &'a PatronSnapshot,
    /// The copy (with its loan).
    pub item: &'a ItemSnapshot,
    /// The policy of the loan (resolved as at checkout).
    pub resolution: &'a Resolution,
    /// The calendar of the loan's branch.
    pub calendar: &'a BranchCalendar,
    /// Holds on the item's record and on the item.
    pub holds: &'a [Hold],
    /// The transaction time.
    pub now: DateTime<Utc>,
    /// Refusal codes staff accepted.
    pub overrides: &'a [RefusalCode],
}

/// A granted renewal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewDecision {
    /// The new due date and its explanation.
    pub due: DueDate,
    /// Renewals done including this one.
    pub renewals: u32,
    /// Renewals left after this one.
    pub renewals_left: u32,
    /// The matrix rule applied.
    pub rule_id: Option<RuleId>,
    /// Refusals that were overridden (for the audit log).
    pub overridden: Vec<Refusal>,
}

/// Decides a renewal: the loan must be this patron's and in `checked-out`
/// status; blocks stopping renewal, the renewal count, any fillable hold of
/// another patron that this copy could fill (item-level or title-level —
/// whether other copies could fill it is not considered), the earliest
/// renewal day and "the new due date must be later than the current one"
/// are checked. The new due date counts from now or from the current due
/// date (`Policy::renewal_base`; from now if that date has passed).
pub fn renew(req: &RenewRequest<'_>) -> Result<RenewDecision, Refused> {
    let RenewRequest {
        patron,
        item,
        resolution,
        calendar,
        holds,
        now,
        overrides,
    } = *req;
    let policy = &resolution.policy;
    let Some(loan) = &item.loan else {
        return Err(Refused(vec![Refusal::new(RefusalCode::NotOnLoan, false)]));
    };
    if loan.patron_id != patron.id {
        return Err(Refused(vec![Refusal::new(
            RefusalCode::NotOnLoanToPatron,
            false,
        )]));
    }
    let mut refusals = patron_refusals(patron, Action::Renew, now, calendar);
    if item.status != ItemStatus::CheckedOut {
        refusals.push(
            Refusal::new(RefusalCode::ItemNotRenewable, false).arg("status", item.status.as_str()),
        );
    }
    if resolution.matched_rule_id.is_none() {
        refusals.push(Refusal::new(RefusalCode::NoCirculationRule, false));
    } else if !policy.circulates {
        refusals.push(Refusal::new(RefusalCode::ItemNotCirculating, true).arg("reason", "policy"));
    }
    if loan.renewals >= policy.renewals_allowed {
        refusals.push(
            Refusal::new(RefusalCode::RenewalLimitReached, true)
                .arg("limit", policy.renewals_allowed)
                .arg("value", loan.renewals),
        );
    }
    if let Some(h) = holds
        .iter()
        .filter(|h| h.patron_id != patron.id && h.is_fillable(now))
        .find(|h| h.wants(item.id, item.record_id))
    {
        refusals.push(Refusal::new(RefusalCode::RenewalBlockedByHold, true).arg("hold", h.id));
    }
    if let Some(days) = policy.no_renewal_before_days {
        let earliest = add_utc(loan.due_at, -Duration::days(i64::from(days)));
        if now < earliest {
            refusals.push(
                Refusal::new(RefusalCode::RenewalTooEarly, true)
                    .arg("earliest", earliest.to_rfc3339()),
            );
        }
    }
    let base = match policy.renewal_base {
        super::policy::RenewalBase::Now => now,
        super::policy::RenewalBase::CurrentDueDate => loan.due_at.max(now),
    };
    let due = due_date_for(
        base,
        policy.effective_renewal_period(),
        policy,
        calendar,
        expiry_cap(patron, now, calendar),
    );
    if due.due_at <= loan.due_at {
        refusals.push(
            Refusal::new(RefusalCode::RenewalNoExtension, false)
                .arg("due", loan.due_at.to_rfc3339())
                .arg("new-due", due.due_at.to_rfc3339()),
        );
    }
    let overridden = apply_overrides(refusals, overrides)?;
    let renewals = loan.renewals.saturating_add(1);
    Ok(RenewDecision {
        due,
        renewals,
        renewals_left: policy.renewals_allowed.saturating_sub(renewals),
        rule_id: resolution.matched_rule_id,
        overridden,
    })
}

/// A hold placement request (the patron side; whether the item or title
/// has holdable copies is the caller's `any_holdable_copy`).
#[derive(Debug, Clone)]
pub struct PlaceHoldRequest<'a> {
    /// The patron.
    pub patron: &'a PatronSnapshot,
    /// The policy for the patron and the item / title's type.
    pub resolution: &'a Resolution,
    /// The patron's branch calendar (for the expiry check).
    pub calendar: &'a BranchCalendar,
    /// At least one copy is holdable (`status::holdable`, location, policy).
    pub any_holdable_copy: bool,
    /// The patron already has an active hold on the same title or copy
    /// (a second one is refused, not overridable).
    pub already_requested: bool,
    /// The transaction time.
    pub now: DateTime<Utc>,
    /// Refusal codes staff accepted.
    pub overrides: &'a [RefusalCode],
}

/// Decides whether a hold may be placed; `Ok` carries the overridden refusals.
pub fn place_hold(req: &PlaceHoldRequest<'_>) -> Result<Vec<Refusal>, Refused> {
    let policy = &req.resolution.policy;
    let mut refusals = patron_refusals(req.patron, Action::Hold, req.now, req.calendar);
    if req.resolution.matched_rule_id.is_none() {
        refusals.push(Refusal::new(RefusalCode::NoCirculationRule, false));
    } else if !policy.holds_allowed {
        refusals.push(Refusal::new(RefusalCode::HoldsNotAllowed, true));
    }
    if let Some(max) = policy.max_holds.filter(|m| req.patron.holds_count >= *m) {
        refusals.push(
            Refusal::new(RefusalCode::MaxHoldsReached, true)
                .arg("limit", max)
                .arg("value", req.patron.holds_count),
        );
    }
    if !req.any_holdable_copy {
        refusals.push(Refusal::new(RefusalCode::ItemNotHoldable, true));
    }
    if req.already_requested {
        refusals.push(Refusal::new(RefusalCode::HoldAlreadyPlaced, false));
    }
    apply_overrides(refusals, req.overrides)
}

/// What the nightly overdue job should do with a loan: the whole days
/// overdue at `now` (floor of elapsed time since `due_at`) against
/// `Policy::lost_after_days` (→ [`ItemEvent::DeclareLost`], from checked out
/// or long overdue) and `Policy::long_overdue_after_days` (→
/// [`ItemEvent::LongOverdue`], from checked out). Claims-returned and other
/// statuses are never escalated. `None`: nothing to do.
pub fn overdue_escalation(
    status: ItemStatus,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Option<ItemEvent> {
    if now <= due_at {
        return None;
    }
    let days = now.signed_duration_since(due_at).num_days();
    let reached = |t: Option<u32>| t.is_some_and(|t| days >= i64::from(t));
    match status {
        ItemStatus::CheckedOut | ItemStatus::LongOverdue if reached(policy.lost_after_days) => {
            Some(ItemEvent::DeclareLost)
        }
        ItemStatus::CheckedOut if reached(policy.long_overdue_after_days) => {
            Some(ItemEvent::LongOverdue)
        }
        _ => None,
    }
}

/// What happens to a lost or long-overdue item when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LostReturnPolicy {
    /// Refund the replacement cost billed.
    pub refund_replacement: bool,
    /// Charge the overdue fine (up to the return) on the reopened loan.
    pub charge_overdue_fine: bool,
}

impl Default for LostReturnPolicy {
    fn default() -> Self {
        LostReturnPolicy {
            refund_replacement: true,
            charge_overdue_fine: false,
        }
    }
}

/// Why an item is sent to another branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitReason {
    /// To fill a hold picked up there.
    Hold {
        /// The hold.
        hold_id: HoldId,
    },
    /// Back to its home branch.
    Home,
}

/// Where a checked-in item goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckinOutcome {
    /// To the reshelving cart.
    Reshelve,
    /// Captured for a hold picked up here.
    HoldShelf {
        /// The hold captured.
        hold_id: HoldId,
        /// Its patron.
        patron_id: PatronId,
        /// Here.
        pickup_branch: Code,
        /// Pickup deadline (`holds::hold_shelf_expiry`).
        expires_at: DateTime<Utc>,
    },
    /// To another branch.
    Transit {
        /// Destination.
        to_branch: Code,
        /// Why.
        reason: TransitReason,
    },
}

impl CheckinOutcome {
    /// The route for `status::transition`.
    pub fn route(&self) -> Route {
        match self {
            CheckinOutcome::Reshelve => Route::Reshelve,
            CheckinOutcome::HoldShelf { .. } => Route::HoldShelf,
            CheckinOutcome::Transit { .. } => Route::Transit,
        }
    }
    /// SIP2 CV alert type (3M extension): `01` hold here, `02` hold
    /// elsewhere (transit), `04` send home; `None` for a plain reshelve.
    pub fn sip2_alert_type(&self) -> Option<&'static str> {
        match self {
            CheckinOutcome::Reshelve => None,
            CheckinOutcome::HoldShelf { .. } => Some("01"),
            CheckinOutcome::Transit {
                reason: TransitReason::Hold { .. },
                ..
            } => Some("02"),
            CheckinOutcome::Transit {
                reason: TransitReason::Home,
                ..
            } => Some("04"),
        }
    }
    /// SIP2 CT destination (pickup or home branch), if any.
    pub fn sip2_destination(&self) -> Option<&Code> {
        match self {
            CheckinOutcome::Reshelve => None,
            CheckinOutcome::HoldShelf { pickup_branch, .. } => Some(pickup_branch),
            CheckinOutcome::Transit { to_branch, .. } => Some(to_branch),
        }
    }
}

/// The loan side of a checkin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoanClosure {
    /// The item was not on loan (still routed; clears missing etc.).
    NotOnLoan,
    /// The loan is closed.
    Closed {
        /// The loan closed.
        loan_id: LoanId,
        /// Its borrower.
        patron_id: PatronId,
        /// `None` when no fine is computed (no policy given, or a lost item
        /// under a policy that does not charge fines on return).
        fine: Option<FineCalc>,
    },
}

/// A status the checkin resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// A lost or long-overdue item came back.
    LostReturned {
        /// Refund the replacement cost billed.
        refund_replacement: bool,
    },
    /// A claims-returned item was found; fines stopped at the claim.
    ClaimsReturnedFound,
    /// A missing item was found.
    MissingFound,
}

/// A checkin request.
#[derive(Debug, Clone)]
pub struct CheckinRequest<'a> {
    /// The copy scanned.
    pub item: &'a ItemSnapshot,
    /// Where the item was scanned.
    pub branch: &'a Code,
    /// The transaction time (hold capture, shelf expiry).
    pub now: DateTime<Utc>,
    /// Effective return time for a backdated checkin (book drop); `None`: now.
    pub backdated_to: Option<DateTime<Utc>>,
    /// The loan's policy, for the fine (`None`: no fine computed).
    pub loan_policy: Option<&'a Policy>,
    /// The calendar of the loan's branch (fines).
    pub loan_calendar: &'a BranchCalendar,
    /// The checkin branch's calendar (hold shelf expiry).
    pub branch_calendar: &'a BranchCalendar,
    /// The current policy of the item at this branch (holds allowed, shelf days).
    pub item_policy: &'a Policy,
    /// Holds on the item's record and on the item.
    pub holds: &'a [Hold],
    /// Hold targeting settings.
    pub hold_policy: HoldPolicy,
    /// Lost items coming back.
    pub lost_policy: LostReturnPolicy,
}

/// The decision of a checkin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinDecision {
    /// Where the item goes.
    pub outcome: CheckinOutcome,
    /// The loan side.
    pub loan: LoanClosure,
    /// A status resolved by the return.
    pub resolved: Option<Resolved>,
    /// The item's status afterwards (`status::transition` of the route).
    pub new_status: ItemStatus,
}

/// Routes an item that is free at `branch` (after a checkin, or released
/// from the hold shelf with the expired hold no longer pending in `holds`):
/// a hold (captured or next in line) here → hold shelf; a hold elsewhere →
/// transit; else home unless floating or already home → reshelve.
#[allow(clippy::too_many_arguments)]
pub fn route_item(
    item: &ItemSnapshot,
    branch: &Code,
    item_policy: &Policy,
    holds: &[Hold],
    hold_policy: HoldPolicy,
    now: DateTime<Utc>,
    branch_calendar: &BranchCalendar,
) -> CheckinOutcome {
    let target = holdable_item(item, branch, item_policy);
    match next_hold_for_item(&target, holds, now, hold_policy) {
        Some(h) if &h.pickup_branch == branch => CheckinOutcome::HoldShelf {
            hold_id: h.id,
            patron_id: h.patron_id,
            pickup_branch: h.pickup_branch.clone(),
            expires_at: hold_shelf_expiry(now, item_policy.hold_shelf_open_days, branch_calendar),
        },
        Some(h) => CheckinOutcome::Transit {
            to_branch: h.pickup_branch.clone(),
            reason: TransitReason::Hold { hold_id: h.id },
        },
        None if item.floating || &item.home_branch == branch => CheckinOutcome::Reshelve,
        None => CheckinOutcome::Transit {
            to_branch: item.home_branch.clone(),
            reason: TransitReason::Home,
        },
    }
}

/// Decides a checkin: closes the loan (with the overdue fine up to the
/// effective return time, or up to the claim for claims-returned items),
/// resolves lost / long overdue / claims returned / missing, and routes the
/// item ([`route_item`]). Refused for withdrawn (reinstate first), damaged
/// (repair first) and on-order (receive first) items — never overridable.
pub fn checkin(req: &CheckinRequest<'_>) -> Result<CheckinDecision, Refused> {
    let item = req.item;
    let refuse = |code| {
        Err(Refused(vec![
            Refusal::new(code, false).arg("status", item.status.as_str()),
        ]))
    };
    match item.status {
        ItemStatus::Withdrawn => return refuse(RefusalCode::ItemWithdrawn),
        ItemStatus::Damaged => return refuse(RefusalCode::ItemDamaged),
        ItemStatus::OnOrder => return refuse(RefusalCode::ItemNotAvailable),
        _ => {}
    }
    let returned_at = req.backdated_to.map_or(req.now, |b| b.min(req.now));
    let resolved = match item.status {
        ItemStatus::Lost | ItemStatus::LongOverdue => Some(Resolved::LostReturned {
            refund_replacement: req.lost_policy.refund_replacement,
        }),
        ItemStatus::ClaimsReturned => Some(Resolved::ClaimsReturnedFound),
        ItemStatus::Missing => Some(Resolved::MissingFound),
        _ => None,
    };
    let loan = match &item.loan {
        None => LoanClosure::NotOnLoan,
        Some(l) => {
            let lost = matches!(item.status, ItemStatus::Lost | ItemStatus::LongOverdue);
            let fine = req
                .loan_policy
                .filter(|_| !lost || req.lost_policy.charge_overdue_fine)
                .map(|p| {
                    let end = l
                        .claimed_returned_at
                        .map_or(returned_at, |c| c.min(returned_at));
                    overdue_fine(
                        l.due_at,
                        end,
                        p,
                        req.loan_calendar,
                        p.fines_skip_closed_days,
                    )
                });
            LoanClosure::Closed {
                loan_id: l.id,
                patron_id: l.patron_id,
                fine,
            }
        }
    };
    let outcome = route_item(
        item,
        req.branch,
        req.item_policy,
        req.holds,
        req.hold_policy,
        req.now,
        req.branch_calendar,
    );
    let new_status = super::status::transition(
        item.status,
        super::status::ItemEvent::CheckIn(outcome.route()),
    )
    .map_err(|_| {
        Refused(vec![
            Refusal::new(RefusalCode::ItemNotAvailable, false).arg("status", item.status.as_str()),
        ])
    })?;
    Ok(CheckinDecision {
        outcome,
        loan,
        resolved,
        new_status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circ::blocks::ManualBlock;
    use crate::circ::calendar::tests::{at, date, manila};
    use crate::circ::holds::HoldTarget;
    use crate::circ::policy::{FineInterval, LoanPeriod, Lookup, Rule, RuleKey, resolve};
    use proptest::prelude::*;

    fn code(s: &str) -> Code {
        Code::parse("t", s).unwrap()
    }
    fn now() -> DateTime<Utc> {
        // Monday 2026-11-30 10:00 in Manila.
        at(manila().tz(), "2026-11-30 10:00")
    }
    fn rules() -> Vec<Rule> {
        vec![
            Rule {
                id: 1,
                key: RuleKey::default(),
                policy: Policy {
                    fine_per_interval: 500,
                    max_fine: Some(10_000),
                    max_loans_total: Some(10),
                    ..Policy::book_default()
                },
            },
            Rule {
                id: 2,
                key: RuleKey {
                    item_type: Some(code("LAPTOP")),
                    ..RuleKey::default()
                },
                policy: Policy {
                    loan_period: LoanPeriod::Hours(3),
                    renewals_allowed: 0,
                    max_loans_for_type: Some(1),
                    fine_per_interval: 2000,
                    fine_interval: FineInterval::Hour,
                    holds_allowed: false,
                    ..Policy::book_default()
                },
            },
            Rule {
                id: 3,
                key: RuleKey {
                    item_type: Some(code("REF")),
                    ..RuleKey::default()
                },
                policy: Policy {
                    circulates: false,
                    ..Policy::book_default()
                },
            },
        ]
    }
    fn res(item_type: &str) -> Resolution {
        resolve(
            &rules(),
            &Lookup {
                patron_category: code("ADULT"),
                item_type: code(item_type),
                branch: code("MAIN"),
            },
        )
    }
    fn patron() -> PatronSnapshot {
        PatronSnapshot {
            id: 100,
            status: PatronStatus::Active,
            category: code("ADULT"),
            standing: PatronStanding {
                expires_on: Some(date("2027-06-30")),
                ..Default::default()
            },
            limits: BlockLimits {
                max_balance: Some(20_000),
                max_overdues: Some(2),
                max_claims_returned: Some(1),
            },
            loans_total: 0,
            loans_by_type: Vec::new(),
            holds_count: 0,
        }
    }
    fn item() -> ItemSnapshot {
        ItemSnapshot {
            id: 7,
            record_id: 50,
            status: ItemStatus::Available,
            flags: ItemFlags::default(),
            item_type: code("BOOK"),
            home_branch: code("MAIN"),
            location_circulates: true,
            location_holdable: true,
            floating: false,
            loan: None,
        }
    }
    fn loan(patron_id: PatronId, due_at: DateTime<Utc>) -> LoanSnapshot {
        LoanSnapshot {
            id: 900,
            patron_id,
            checked_out_at: due_at - Duration::days(21),
            due_at,
            renewals: 0,
            claimed_returned_at: None,
        }
    }
    fn hold(id: HoldId, patron_id: PatronId, target: HoldTarget, pickup: &str) -> Hold {
        Hold {
            id,
            patron_id,
            target,
            pickup_branch: code(pickup),
            placed_at: now() - Duration::days(5) + Duration::minutes(id),
            priority: 0,
            suspended_until: None,
            expires_at: None,
            state: HoldState::Pending,
        }
    }

    fn co(
        p: &PatronSnapshot,
        i: &ItemSnapshot,
        r: &Resolution,
        holds: &[Hold],
        overrides: &[RefusalCode],
    ) -> Result<CheckoutDecision, Refused> {
        co_at(p, i, r, holds, overrides, now())
    }
    fn co_at(
        p: &PatronSnapshot,
        i: &ItemSnapshot,
        r: &Resolution,
        holds: &[Hold],
        overrides: &[RefusalCode],
        at_: DateTime<Utc>,
    ) -> Result<CheckoutDecision, Refused> {
        let cal = manila();
        let main = code("MAIN");
        checkout(&CheckoutRequest {
            patron: p,
            item: i,
            resolution: r,
            calendar: &cal,
            branch: &main,
            holds,
            hold_policy: HoldPolicy::default(),
            now: at_,
            overrides,
        })
    }

    #[test]
    fn refusal_codes_are_stable_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in RefusalCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "duplicate {s}");
            assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{s}"
            );
            assert_eq!(RefusalCode::parse(s), Some(c));
        }
        assert_eq!(RefusalCode::parse("nope"), None);
        assert_eq!(
            RefusalCode::ItemOnHoldForAnother.to_string(),
            "item-on-hold-for-another"
        );
    }

    #[test]
    fn ordinary_book_checkout() {
        let d = co(&patron(), &item(), &res("BOOK"), &[], &[]).unwrap();
        let cal = manila();
        // Mon 2026-11-30 + 21 days = Mon 2026-12-21.
        assert_eq!(d.due.due_at, cal.end_of_day(date("2026-12-21")));
        assert_eq!(d.rule_id, Some(1));
        assert_eq!(d.new_status, ItemStatus::CheckedOut);
        assert_eq!(d.fulfils_hold, None);
        assert!(d.overridden.is_empty());
    }

    #[test]
    fn laptop_checkout_friday_evening_in_manila() {
        let mut i = item();
        i.item_type = code("LAPTOP");
        let tz = manila().tz();
        let d = co_at(
            &patron(),
            &i,
            &res("LAPTOP"),
            &[],
            &[],
            at(tz, "2026-12-04 17:55"),
        )
        .unwrap();
        assert_eq!(d.due.due_at, at(tz, "2026-12-04 18:00"));
        assert_eq!(d.rule_id, Some(2));
        // A second laptop: per-type limit.
        let mut p = patron();
        p.loans_total = 1;
        p.loans_by_type = vec![(code("LAPTOP"), 1)];
        let e = co(&p, &i, &res("LAPTOP"), &[], &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::MaxLoansForType]);
        assert_eq!(
            e.0[0].args,
            vec![
                ("limit", "1".to_owned()),
                ("value", "1".to_owned()),
                ("item-type", "LAPTOP".to_owned())
            ]
        );
    }

    #[test]
    fn expired_patron_refused_unless_overridden() {
        let mut p = patron();
        p.standing.expires_on = Some(date("2026-11-29"));
        let e = co(&p, &item(), &res("BOOK"), &[], &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::PatronExpired]);
        assert!(e.all_overridable());
        let d = co(
            &p,
            &item(),
            &res("BOOK"),
            &[],
            &[RefusalCode::PatronExpired],
        )
        .unwrap();
        assert_eq!(d.overridden.len(), 1);
        // Not capped at the past expiry: a normal 21-day loan.
        assert_eq!(d.due.due_at, manila().end_of_day(date("2026-12-21")));
        // A card expiring in a week caps the loan.
        p.standing.expires_on = Some(date("2026-12-07"));
        let d = co(&p, &item(), &res("BOOK"), &[], &[]).unwrap();
        assert_eq!(d.due.due_at, manila().end_of_day(date("2026-12-07")));
    }

    #[test]
    fn blocks_refuse_and_lost_card_cannot_be_overridden() {
        let mut p = patron();
        p.standing.balance = 25_000;
        p.standing.overdue_count = 3;
        p.standing.card_lost = true;
        let e = co(&p, &item(), &res("BOOK"), &[], &[]).unwrap_err();
        assert_eq!(
            e.codes(),
            vec![
                RefusalCode::CardLost,
                RefusalCode::FinesOverLimit,
                RefusalCode::TooManyOverdues
            ]
        );
        assert_eq!(e.primary().map(|r| r.overridable), Some(false));
        let all = RefusalCode::ALL;
        let e = co(&p, &item(), &res("BOOK"), &[], &all).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::CardLost]);
        // Manual block that stops only holds does not stop checkout.
        let mut p = patron();
        p.standing.manual.push(ManualBlock {
            stops: crate::circ::blocks::Stops {
                hold: true,
                ..Default::default()
            },
            overridable: true,
            note: "x".into(),
            until: None,
        });
        assert!(co(&p, &item(), &res("BOOK"), &[], &[]).is_ok());
        p.status = PatronStatus::Pending;
        let e = co(&p, &item(), &res("BOOK"), &[], &all).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::PatronInactive]);
    }

    #[test]
    fn max_loans_total() {
        let mut p = patron();
        p.loans_total = 10;
        let e = co(&p, &item(), &res("BOOK"), &[], &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::MaxLoansReached]);
        p.loans_total = 9;
        assert!(co(&p, &item(), &res("BOOK"), &[], &[]).is_ok());
    }

    #[test]
    fn item_state_refusals() {
        let r = res("BOOK");
        let p = patron();
        let cases = [
            (ItemStatus::Lost, RefusalCode::ItemLost, true),
            (ItemStatus::Missing, RefusalCode::ItemMissing, true),
            (ItemStatus::Withdrawn, RefusalCode::ItemWithdrawn, false),
            (ItemStatus::Damaged, RefusalCode::ItemDamaged, false),
            (ItemStatus::InTransit, RefusalCode::ItemNotAvailable, true),
            (ItemStatus::OnOrder, RefusalCode::ItemNotAvailable, false),
        ];
        for (status, want, overridable) in cases {
            let mut i = item();
            i.status = status;
            let e = co(&p, &i, &r, &[], &[]).unwrap_err();
            assert_eq!(e.codes(), vec![want], "{status}");
            assert_eq!(e.0[0].overridable, overridable, "{status}");
        }
        let mut i = item();
        i.status = ItemStatus::CheckedOut;
        i.loan = Some(loan(100, now() + Duration::days(3)));
        let e = co(&p, &i, &r, &[], &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::ItemOnLoanToPatron]);
        assert!(!e.all_overridable());
        i.loan = Some(loan(101, now() + Duration::days(3)));
        let e = co(&p, &i, &r, &[], &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::ItemOnLoanToOther]);
        assert!(e.all_overridable());
        // Not circulating: policy, location, not-for-loan flag.
        let e = co(&p, &item(), &res("REF"), &[], &[]).unwrap_err();
        assert_eq!(e.0[0].args, vec![("reason", "policy".to_owned())]);
        let mut i = item();
        i.location_circulates = false;
        let e = co(&p, &i, &r, &[], &[]).unwrap_err();
        assert_eq!(e.0[0].args, vec![("reason", "location".to_owned())]);
        let mut i = item();
        i.flags.not_for_loan = true;
        let e = co(&p, &i, &r, &[], &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::ItemNotCirculating]);
        // No rule at all.
        let none = resolve(
            &[],
            &Lookup {
                patron_category: code("ADULT"),
                item_type: code("BOOK"),
                branch: code("MAIN"),
            },
        );
        let e = co(&p, &item(), &none, &[], &RefusalCode::ALL).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::NoCirculationRule]);
    }

    #[test]
    fn holds_at_checkout() {
        let r = res("BOOK");
        // Captured for another patron on the hold shelf.
        let mut i = item();
        i.status = ItemStatus::OnHoldShelf;
        let mut captured = hold(1, 200, HoldTarget::Title(50), "MAIN");
        captured.state = HoldState::Captured { item_id: 7 };
        let e = co(&patron(), &i, &r, std::slice::from_ref(&captured), &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::ItemOnHoldForAnother]);
        // The hold's own patron: fulfils it.
        captured.patron_id = 100;
        let d = co(&patron(), &i, &r, &[captured], &[]).unwrap();
        assert_eq!(d.fulfils_hold, Some(1));
        // Available copy, another patron first in the title queue.
        let holds = vec![
            hold(2, 200, HoldTarget::Title(50), "EAST"),
            hold(3, 100, HoldTarget::Title(50), "MAIN"),
        ];
        let e = co(&patron(), &item(), &r, &holds, &[]).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::ItemOnHoldForAnother]);
        let d = co(
            &patron(),
            &item(),
            &r,
            &holds,
            &[RefusalCode::ItemOnHoldForAnother],
        )
        .unwrap();
        assert_eq!(d.fulfils_hold, Some(3));
        // The other patron's hold is suspended: ours is next.
        let mut holds = holds;
        holds[0].suspended_until = Some(now() + Duration::days(10));
        let d = co(&patron(), &item(), &r, &holds, &[]).unwrap();
        assert_eq!(d.fulfils_hold, Some(3));
        // Item-level hold on another copy does not matter.
        let holds = vec![hold(4, 200, HoldTarget::Item(8), "MAIN")];
        assert_eq!(
            co(&patron(), &item(), &r, &holds, &[])
                .unwrap()
                .fulfils_hold,
            None
        );
    }

    fn rn(
        p: &PatronSnapshot,
        i: &ItemSnapshot,
        r: &Resolution,
        holds: &[Hold],
        at_: DateTime<Utc>,
    ) -> Result<RenewDecision, Refused> {
        let cal = manila();
        renew(&RenewRequest {
            patron: p,
            item: i,
            resolution: r,
            calendar: &cal,
            holds,
            now: at_,
            overrides: &[],
        })
    }

    fn on_loan(due: DateTime<Utc>) -> ItemSnapshot {
        let mut i = item();
        i.status = ItemStatus::CheckedOut;
        i.loan = Some(loan(100, due));
        i
    }

    #[test]
    fn renewals() {
        let cal = manila();
        let due = cal.end_of_day(date("2026-12-01"));
        let r = res("BOOK");
        let d = rn(&patron(), &on_loan(due), &r, &[], now()).unwrap();
        assert_eq!(d.due.due_at, cal.end_of_day(date("2026-12-21")));
        assert_eq!((d.renewals, d.renewals_left), (1, 1));
        // Limit.
        let mut i = on_loan(due);
        if let Some(l) = i.loan.as_mut() {
            l.renewals = 2;
        }
        let e = rn(&patron(), &i, &r, &[], now()).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::RenewalLimitReached]);
        // A hold by someone else blocks; a suspended one does not; our own does not.
        let mut h = hold(1, 200, HoldTarget::Title(50), "MAIN");
        let e = rn(
            &patron(),
            &on_loan(due),
            &r,
            std::slice::from_ref(&h),
            now(),
        )
        .unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::RenewalBlockedByHold]);
        h.suspended_until = Some(now() + Duration::days(30));
        assert!(rn(&patron(), &on_loan(due), &r, &[h], now()).is_ok());
        let own = hold(2, 100, HoldTarget::Title(50), "MAIN");
        assert!(rn(&patron(), &on_loan(due), &r, &[own], now()).is_ok());
        // Someone else's loan / not on loan.
        let mut i = on_loan(due);
        if let Some(l) = i.loan.as_mut() {
            l.patron_id = 5;
        }
        assert_eq!(
            rn(&patron(), &i, &r, &[], now()).unwrap_err().codes(),
            vec![RefusalCode::NotOnLoanToPatron]
        );
        assert_eq!(
            rn(&patron(), &item(), &r, &[], now()).unwrap_err().codes(),
            vec![RefusalCode::NotOnLoan]
        );
        // Claims returned loans are not renewable.
        let mut i = on_loan(due);
        i.status = ItemStatus::ClaimsReturned;
        assert_eq!(
            rn(&patron(), &i, &r, &[], now()).unwrap_err().codes(),
            vec![RefusalCode::ItemNotRenewable]
        );
    }

    #[test]
    fn renewal_base_too_early_and_no_extension() {
        let cal = manila();
        let due = cal.end_of_day(date("2026-12-10"));
        let mut rule = res("BOOK");
        rule.policy.renewal_base = crate::circ::policy::RenewalBase::CurrentDueDate;
        rule.policy.renewal_period = Some(LoanPeriod::Days(7));
        let d = rn(&patron(), &on_loan(due), &rule, &[], now()).unwrap();
        assert_eq!(d.due.due_at, cal.end_of_day(date("2026-12-17")));
        rule.policy.no_renewal_before_days = Some(3);
        let e = rn(&patron(), &on_loan(due), &rule, &[], now()).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::RenewalTooEarly]);
        assert!(
            rn(
                &patron(),
                &on_loan(due),
                &rule,
                &[],
                at(cal.tz(), "2026-12-08 09:00")
            )
            .is_ok()
        );
        // Card expires on the due date: a renewal cannot extend the loan.
        let mut p = patron();
        p.standing.expires_on = Some(date("2026-12-10"));
        let e = rn(&p, &on_loan(due), &res("BOOK"), &[], now()).unwrap_err();
        assert_eq!(e.codes(), vec![RefusalCode::RenewalNoExtension]);
        assert!(!e.all_overridable());
    }

    #[test]
    fn hold_placement() {
        let cal = manila();
        let place = |p: &PatronSnapshot, r: &Resolution, any: bool| {
            place_hold(&PlaceHoldRequest {
                patron: p,
                resolution: r,
                calendar: &cal,
                any_holdable_copy: any,
                already_requested: false,
                now: now(),
                overrides: &[],
            })
        };
        // A second hold on the same title: refused, even with overrides.
        let twice = place_hold(&PlaceHoldRequest {
            patron: &patron(),
            resolution: &res("BOOK"),
            calendar: &cal,
            any_holdable_copy: true,
            already_requested: true,
            now: now(),
            overrides: &[RefusalCode::HoldAlreadyPlaced],
        })
        .unwrap_err();
        assert_eq!(twice.codes(), vec![RefusalCode::HoldAlreadyPlaced]);
        assert!(!twice.all_overridable());
        assert_eq!(place(&patron(), &res("BOOK"), true), Ok(Vec::new()));
        let mut p = patron();
        p.holds_count = 20;
        assert_eq!(
            place(&p, &res("BOOK"), true).unwrap_err().codes(),
            vec![RefusalCode::MaxHoldsReached]
        );
        assert_eq!(
            place(&patron(), &res("LAPTOP"), false).unwrap_err().codes(),
            vec![RefusalCode::HoldsNotAllowed, RefusalCode::ItemNotHoldable]
        );
        // Too many overdues does not stop holds; fines do.
        let mut p = patron();
        p.standing.overdue_count = 5;
        assert!(place(&p, &res("BOOK"), true).is_ok());
        p.standing.balance = 30_000;
        assert_eq!(
            place(&p, &res("BOOK"), true).unwrap_err().codes(),
            vec![RefusalCode::FinesOverLimit]
        );
    }

    struct In {
        item: ItemSnapshot,
        branch: &'static str,
        at: DateTime<Utc>,
        backdated: Option<DateTime<Utc>>,
        holds: Vec<Hold>,
        lost: LostReturnPolicy,
    }
    fn ci(x: &In) -> Result<CheckinDecision, Refused> {
        let cal = manila();
        let branch = code(x.branch);
        let pol = Policy {
            fine_per_interval: 500,
            max_fine: Some(10_000),
            ..Policy::book_default()
        };
        checkin(&CheckinRequest {
            item: &x.item,
            branch: &branch,
            now: x.at,
            backdated_to: x.backdated,
            loan_policy: Some(&pol),
            loan_calendar: &cal,
            branch_calendar: &cal,
            item_policy: &pol,
            holds: &x.holds,
            hold_policy: HoldPolicy::default(),
            lost_policy: x.lost,
        })
    }
    fn inp(item: ItemSnapshot, branch: &'static str) -> In {
        In {
            item,
            branch,
            at: now(),
            backdated: None,
            holds: Vec::new(),
            lost: LostReturnPolicy::default(),
        }
    }
    fn fine_of(d: &CheckinDecision) -> Option<i64> {
        match &d.loan {
            LoanClosure::Closed { fine, .. } => fine.as_ref().map(|f| f.amount),
            LoanClosure::NotOnLoan => None,
        }
    }

    #[test]
    fn checkin_routes() {
        let cal = manila();
        // Due Thu 2026-11-26; returned Mon 30 at home: Fri, Sat, Mon = 3 open days.
        let due = cal.end_of_day(date("2026-11-26"));
        let d = ci(&inp(on_loan(due), "MAIN")).unwrap();
        assert_eq!(d.outcome, CheckinOutcome::Reshelve);
        assert_eq!(d.new_status, ItemStatus::Reshelving);
        assert_eq!(fine_of(&d), Some(1500));
        assert_eq!(d.outcome.sip2_alert_type(), None);
        // Backdated to Saturday morning (book drop): Fri + Sat = 2 days.
        let mut x = inp(on_loan(due), "MAIN");
        x.backdated = Some(at(cal.tz(), "2026-11-28 08:00"));
        assert_eq!(fine_of(&ci(&x).unwrap()), Some(1000));
        // Returned at another branch: home via transit (CV 04).
        let d = ci(&inp(on_loan(due), "EAST")).unwrap();
        assert_eq!(
            d.outcome,
            CheckinOutcome::Transit {
                to_branch: code("MAIN"),
                reason: TransitReason::Home
            }
        );
        assert_eq!(d.outcome.sip2_alert_type(), Some("04"));
        assert_eq!(d.new_status, ItemStatus::InTransit);
        // Floating: stays.
        let mut i = on_loan(due);
        i.floating = true;
        assert_eq!(
            ci(&inp(i, "EAST")).unwrap().outcome,
            CheckinOutcome::Reshelve
        );
        // A hold picked up here: hold shelf (CV 01), 7 open days.
        let mut x = inp(on_loan(due), "EAST");
        x.holds = vec![hold(5, 300, HoldTarget::Title(50), "EAST")];
        let d = ci(&x).unwrap();
        assert_eq!(
            d.outcome,
            CheckinOutcome::HoldShelf {
                hold_id: 5,
                patron_id: 300,
                pickup_branch: code("EAST"),
                expires_at: cal.end_of_day(date("2026-12-08")),
            }
        );
        assert_eq!(d.outcome.sip2_alert_type(), Some("01"));
        assert_eq!(d.new_status, ItemStatus::OnHoldShelf);
        // A hold picked up elsewhere: transit (CV 02), CT = pickup.
        let mut x = inp(on_loan(due), "MAIN");
        x.holds = vec![hold(6, 300, HoldTarget::Item(7), "WEST")];
        let d = ci(&x).unwrap();
        assert_eq!(d.outcome.sip2_alert_type(), Some("02"));
        assert_eq!(d.outcome.sip2_destination(), Some(&code("WEST")));
    }

    #[test]
    fn checkin_resolves_lost_claims_missing() {
        let cal = manila();
        let due = cal.end_of_day(date("2026-11-02"));
        // Lost, refund, no fine by default.
        let mut i = on_loan(due);
        i.status = ItemStatus::Lost;
        let d = ci(&inp(i.clone(), "MAIN")).unwrap();
        assert_eq!(
            d.resolved,
            Some(Resolved::LostReturned {
                refund_replacement: true
            })
        );
        assert_eq!(fine_of(&d), None);
        assert!(matches!(d.loan, LoanClosure::Closed { loan_id: 900, .. }));
        let mut x = inp(i, "MAIN");
        x.lost = LostReturnPolicy {
            refund_replacement: false,
            charge_overdue_fine: true,
        };
        assert_eq!(fine_of(&ci(&x).unwrap()), Some(10_000));
        // Claims returned: fines stop at the claim (Wed 2026-11-04 → 2 days).
        let mut i = on_loan(due);
        i.status = ItemStatus::ClaimsReturned;
        if let Some(l) = i.loan.as_mut() {
            l.claimed_returned_at = Some(at(cal.tz(), "2026-11-04 12:00"));
        }
        let d = ci(&inp(i, "MAIN")).unwrap();
        assert_eq!(d.resolved, Some(Resolved::ClaimsReturnedFound));
        assert_eq!(fine_of(&d), Some(1000));
        // Missing item found, not on loan.
        let mut i = item();
        i.status = ItemStatus::Missing;
        let d = ci(&inp(i, "MAIN")).unwrap();
        assert_eq!(d.resolved, Some(Resolved::MissingFound));
        assert_eq!(d.loan, LoanClosure::NotOnLoan);
        assert_eq!(d.new_status, ItemStatus::Reshelving);
        // Withdrawn / damaged: refused, not overridable.
        for (s, c) in [
            (ItemStatus::Withdrawn, RefusalCode::ItemWithdrawn),
            (ItemStatus::Damaged, RefusalCode::ItemDamaged),
        ] {
            let mut i = item();
            i.status = s;
            let e = ci(&inp(i, "MAIN")).unwrap_err();
            assert_eq!(e.codes(), vec![c]);
            assert!(!e.all_overridable());
        }
    }

    #[test]
    fn in_transit_item_arrives_for_its_captured_hold() {
        let mut i = item();
        i.status = ItemStatus::InTransit;
        let mut h = hold(8, 300, HoldTarget::Title(50), "EAST");
        h.state = HoldState::Captured { item_id: 7 };
        let mut x = inp(i, "EAST");
        x.holds = vec![hold(9, 301, HoldTarget::Title(50), "MAIN"), h];
        let d = ci(&x).unwrap();
        assert!(matches!(
            d.outcome,
            CheckinOutcome::HoldShelf { hold_id: 8, .. }
        ));
        assert_eq!(d.new_status, ItemStatus::OnHoldShelf);
    }

    #[test]
    fn escalation_to_long_overdue_and_lost() {
        let p = Policy {
            long_overdue_after_days: Some(30),
            lost_after_days: Some(60),
            ..Policy::book_default()
        };
        let due = now();
        let e = |s, days: i64| overdue_escalation(s, due, due + Duration::days(days), &p);
        assert_eq!(e(ItemStatus::CheckedOut, 29), None);
        assert_eq!(e(ItemStatus::CheckedOut, 30), Some(ItemEvent::LongOverdue));
        assert_eq!(e(ItemStatus::LongOverdue, 45), None);
        assert_eq!(e(ItemStatus::LongOverdue, 60), Some(ItemEvent::DeclareLost));
        assert_eq!(e(ItemStatus::CheckedOut, 90), Some(ItemEvent::DeclareLost));
        assert_eq!(e(ItemStatus::ClaimsReturned, 90), None);
        assert_eq!(e(ItemStatus::CheckedOut, -5), None);
        assert_eq!(
            overdue_escalation(
                ItemStatus::CheckedOut,
                due,
                due + Duration::days(900),
                &Policy::book_default()
            ),
            None
        );
        // Every escalation is an allowed transition.
        for s in ItemStatus::ALL {
            for d in [0, 30, 60, 90] {
                if let Some(ev) = e(s, d) {
                    assert!(crate::circ::status::transition(s, ev).is_ok());
                }
            }
        }
    }

    #[test]
    fn patron_status_strings() {
        for s in [
            PatronStatus::Active,
            PatronStatus::Pending,
            PatronStatus::Inactive,
        ] {
            assert_eq!(PatronStatus::parse(s.as_str()), Ok(s));
        }
        assert!(PatronStatus::parse("gone").is_err());
    }

    #[test]
    fn uncollected_hold_goes_to_the_next_patron() {
        let cal = manila();
        // Item on the EAST hold shelf for hold 1, whose pickup deadline
        // passed; the service marks hold 1 expired and routes again.
        let mut i = item();
        i.status = ItemStatus::OnHoldShelf;
        let mut expired = hold(1, 300, HoldTarget::Title(50), "EAST");
        expired.state = HoldState::Captured { item_id: 7 };
        let next = hold(2, 301, HoldTarget::Title(50), "MAIN");
        let east = code("EAST");
        let pol = Policy::book_default();
        let all = vec![expired.clone(), next.clone()];
        // While hold 1 is still captured, the item stays for it.
        let o = route_item(&i, &east, &pol, &all, HoldPolicy::default(), now(), &cal);
        assert!(matches!(o, CheckinOutcome::HoldShelf { hold_id: 1, .. }));
        let o = route_item(&i, &east, &pol, &[next], HoldPolicy::default(), now(), &cal);
        assert_eq!(
            o,
            CheckinOutcome::Transit {
                to_branch: code("MAIN"),
                reason: TransitReason::Hold { hold_id: 2 }
            }
        );
        assert_eq!(
            crate::circ::status::transition(i.status, ItemEvent::HoldShelfExpired(o.route())),
            Ok(ItemStatus::InTransit)
        );
        // No one else waiting: home.
        let o = route_item(&i, &east, &pol, &[], HoldPolicy::default(), now(), &cal);
        assert_eq!(o.sip2_alert_type(), Some("04"));
        let e = Refused(vec![
            Refusal::new(RefusalCode::CardLost, false),
            Refusal::new(RefusalCode::ItemLost, true),
        ]);
        assert_eq!(e.to_string(), "card-lost, item-lost");
    }

    proptest! {
        /// Whatever the patron's standing, overriding every overridable
        /// refusal either grants the checkout (and reports exactly those
        /// overrides) or leaves only non-overridable refusals.
        #[test]
        fn overrides_are_exact(
            expired in any::<bool>(),
            balance in 0i64..40_000,
            overdues in 0u32..5,
            loans in 0u32..12,
            status in 0usize..ItemStatus::ALL.len(),
            damaged in any::<bool>(),
            other_hold in any::<bool>(),
        ) {
            let mut p = patron();
            if expired { p.standing.expires_on = Some(date("2026-01-01")); }
            p.standing.balance = balance;
            p.standing.overdue_count = overdues;
            p.loans_total = loans;
            let mut i = item();
            i.status = ItemStatus::ALL[status];
            i.flags.damaged = damaged;
            let holds = if other_hold { vec![hold(1, 200, HoldTarget::Item(7), "MAIN")] } else { vec![] };
            let r = res("BOOK");
            match co(&p, &i, &r, &holds, &[]) {
                Ok(d) => prop_assert!(d.overridden.is_empty()),
                Err(e) => {
                    prop_assert!(!e.0.is_empty());
                    // Non-overridable first.
                    let flags: Vec<bool> = e.0.iter().map(|r| r.overridable).collect();
                    let mut sorted = flags.clone();
                    sorted.sort();
                    prop_assert_eq!(&flags, &sorted);
                    let codes = e.codes();
                    match co(&p, &i, &r, &holds, &codes) {
                        Ok(d) => {
                            prop_assert!(e.all_overridable());
                            let got: Vec<_> = d.overridden.iter().map(|r| r.code).collect();
                            let mut a = got.clone(); a.sort_by_key(|c| c.as_str());
                            let mut b = codes.clone(); b.sort_by_key(|c| c.as_str());
                            prop_assert_eq!(a, b);
                            prop_assert!(d.due.due_at > now());
                        }
                        Err(e2) => {
                            prop_assert!(!e.all_overridable());
                            prop_assert!(e2.0.iter().all(|r| !r.overridable));
                        }
                    }
                }
            }
        }
    }
}
