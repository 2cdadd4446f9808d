//! The holds queue: ordering, targeting an item, queue position and hold
//! shelf expiry.
//!
//! # Ordering
//!
//! Pending holds are ordered by priority (higher first: staff / ILL
//! requests), then request time (earlier first), then id. Expired holds
//! (`expires_at <= now`) leave the queue. Suspended holds keep their place
//! (and their position is reported) but are skipped when targeting until
//! `suspended_until` has passed.
//!
//! # Targeting
//!
//! [`next_hold_for_item`] first returns a hold already captured for the
//! item (a re-scan routes it to the same place). Otherwise it takes, among
//! the active pending holds that this item can fill (item-level holds on
//! this copy, title-level holds on its record), whose pickup branch the
//! [`PickupRule`] allows, the first in queue order — with
//! `HoldPolicy::local_first`, holds picked up at the item's current branch
//! come before the others (a copy returned here serves local patrons
//! without a van trip).

use chrono::{DateTime, Utc};

use super::calendar::BranchCalendar;
use crate::org::Code;

/// Database id of a hold.
pub type HoldId = i64;
/// Database id of a patron.
pub type PatronId = i64;
/// Database id of an item (copy).
pub type ItemId = i64;
/// Database id of a bibliographic record.
pub type RecordId = i64;

/// What a hold asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldTarget {
    /// Any suitable copy of the record.
    Title(RecordId),
    /// This copy only.
    Item(ItemId),
}

/// Where a hold is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldState {
    /// Waiting for a copy.
    Pending,
    /// A copy has been captured for it (in transit or on the hold shelf).
    Captured {
        /// The copy captured.
        item_id: ItemId,
    },
}

/// A hold as loaded by the service layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Its id.
    pub id: HoldId,
    /// Who asked.
    pub patron_id: PatronId,
    /// What for.
    pub target: HoldTarget,
    /// Where the patron collects it.
    pub pickup_branch: Code,
    /// When it was placed (queue order).
    pub placed_at: DateTime<Utc>,
    /// Higher first; 0 for ordinary patron holds.
    pub priority: i32,
    /// Suspended (frozen) until this instant.
    pub suspended_until: Option<DateTime<Utc>>,
    /// Not needed after this instant.
    pub expires_at: Option<DateTime<Utc>>,
    /// Pending or captured.
    pub state: HoldState,
}

impl Hold {
    /// The not-needed-after date has passed.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }
    /// Suspended at `now`.
    pub fn is_suspended(&self, now: DateTime<Utc>) -> bool {
        self.suspended_until.is_some_and(|s| s > now)
    }
    /// Pending, not expired, not suspended: may be filled now.
    pub fn is_fillable(&self, now: DateTime<Utc>) -> bool {
        self.state == HoldState::Pending && !self.is_expired(now) && !self.is_suspended(now)
    }
    /// Whether this copy can fill the hold (ignoring state and pickup).
    pub fn wants(&self, item_id: ItemId, record_id: RecordId) -> bool {
        match self.target {
            HoldTarget::Item(i) => i == item_id,
            HoldTarget::Title(r) => r == record_id,
        }
    }
}

/// The pending, unexpired holds in queue order (suspended ones included).
pub fn queue(holds: &[Hold], now: DateTime<Utc>) -> Vec<&Hold> {
    let mut q: Vec<&Hold> = holds
        .iter()
        .filter(|h| h.state == HoldState::Pending && !h.is_expired(now))
        .collect();
    q.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.placed_at.cmp(&b.placed_at))
            .then(a.id.cmp(&b.id))
    });
    q
}

/// 1-based position of a hold in [`queue`] (`None` if it is not pending
/// or has expired). Pass the holds of one record (and its items).
pub fn queue_position(holds: &[Hold], hold_id: HoldId, now: DateTime<Utc>) -> Option<usize> {
    queue(holds, now)
        .iter()
        .position(|h| h.id == hold_id)
        .map(|p| p + 1)
}

/// The copy being targeted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldableItem {
    /// The copy.
    pub id: ItemId,
    /// Its record.
    pub record_id: RecordId,
    /// Where the item is now (the checkin branch).
    pub current_branch: Code,
    /// The owning branch.
    pub home_branch: Code,
    /// Status, flags, location and policy allow holds on it
    /// (`status::holdable` && location holdable && `Policy::holds_allowed`).
    pub holdable: bool,
}

/// Which pickup branches an item may be sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickupRule {
    /// Any branch.
    AnyBranch,
    /// Only holds picked up at the item's home branch.
    HomeBranchOnly,
    /// Only holds picked up where the item is (no transits for holds).
    CurrentBranchOnly,
}

impl PickupRule {
    /// Stable storage string.
    pub fn as_str(self) -> &'static str {
        match self {
            PickupRule::AnyBranch => "any-branch",
            PickupRule::HomeBranchOnly => "home-branch-only",
            PickupRule::CurrentBranchOnly => "current-branch-only",
        }
    }
    /// Parses [`PickupRule::as_str`] (trimmed); error code `invalid-choice`.
    pub fn parse(raw: &str) -> Result<Self, crate::error::FieldError> {
        [
            PickupRule::AnyBranch,
            PickupRule::HomeBranchOnly,
            PickupRule::CurrentBranchOnly,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw.trim())
        .ok_or_else(|| crate::error::FieldError::new("pickup_rule", "invalid-choice"))
    }
}

/// Global hold targeting settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldPolicy {
    /// Which pickup branches an item may serve.
    pub pickup: PickupRule,
    /// Holds picked up where the item is come first.
    pub local_first: bool,
}

impl Default for HoldPolicy {
    fn default() -> Self {
        HoldPolicy {
            pickup: PickupRule::AnyBranch,
            local_first: false,
        }
    }
}

/// The hold this item should fill now, if any (see the module docs).
pub fn next_hold_for_item<'a>(
    item: &HoldableItem,
    holds: &'a [Hold],
    now: DateTime<Utc>,
    policy: HoldPolicy,
) -> Option<&'a Hold> {
    if let Some(h) = holds
        .iter()
        .filter(|h| h.state == HoldState::Captured { item_id: item.id })
        .min_by_key(|h| h.id)
    {
        return Some(h);
    }
    if !item.holdable {
        return None;
    }
    let candidates: Vec<&Hold> = queue(holds, now)
        .into_iter()
        .filter(|h| h.is_fillable(now) && h.wants(item.id, item.record_id))
        .filter(|h| match policy.pickup {
            PickupRule::AnyBranch => true,
            PickupRule::HomeBranchOnly => h.pickup_branch == item.home_branch,
            PickupRule::CurrentBranchOnly => h.pickup_branch == item.current_branch,
        })
        .collect();
    if policy.local_first
        && let Some(h) = candidates
            .iter()
            .find(|h| h.pickup_branch == item.current_branch)
    {
        return Some(h);
    }
    candidates.first().copied()
}

/// A stored hold's status. [`HoldStatus::as_str`] is the storage string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldStatus {
    /// In the queue, waiting for a copy.
    Placed,
    /// A copy is on its way to the pickup branch.
    InTransit,
    /// A copy is on the pickup branch's hold shelf.
    Waiting,
    /// The patron borrowed the copy.
    Fulfilled,
    /// Cancelled by the patron or staff.
    Cancelled,
    /// Not needed any more, or not collected in time.
    Expired,
}

/// Something done to an existing hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldAction {
    /// Cancel it.
    Cancel,
    /// Suspend (freeze) it until a date.
    Suspend,
    /// End a suspension.
    Resume,
    /// Change the pickup branch.
    ChangePickup,
}

impl HoldStatus {
    /// Every status.
    pub const ALL: [HoldStatus; 6] = [
        HoldStatus::Placed,
        HoldStatus::InTransit,
        HoldStatus::Waiting,
        HoldStatus::Fulfilled,
        HoldStatus::Cancelled,
        HoldStatus::Expired,
    ];
    /// Stable storage string.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldStatus::Placed => "placed",
            HoldStatus::InTransit => "in-transit",
            HoldStatus::Waiting => "waiting",
            HoldStatus::Fulfilled => "fulfilled",
            HoldStatus::Cancelled => "cancelled",
            HoldStatus::Expired => "expired",
        }
    }
    /// Parses [`HoldStatus::as_str`] (trimmed); error code `invalid-choice`.
    pub fn parse(raw: &str) -> Result<Self, crate::error::FieldError> {
        HoldStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| crate::error::FieldError::new("status", "invalid-choice"))
    }
    /// Still in play: counts against the patron's limit and keeps its copy.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            HoldStatus::Placed | HoldStatus::InTransit | HoldStatus::Waiting
        )
    }
    /// Whether `action` is allowed in this status. Any active hold may be
    /// cancelled; only a hold still in the queue (no copy captured) may be
    /// suspended, resumed or sent to another pickup branch — a captured
    /// copy is already on its way to (or waiting at) the old one.
    pub fn allows(self, action: HoldAction) -> bool {
        match action {
            HoldAction::Cancel => self.is_active(),
            HoldAction::Suspend | HoldAction::Resume | HoldAction::ChangePickup => {
                self == HoldStatus::Placed
            }
        }
    }
    /// The domain state of an active hold (`captured` is the stored
    /// captured copy); `None` for finished holds or a captured status
    /// without its copy.
    pub fn state(self, captured: Option<ItemId>) -> Option<HoldState> {
        match (self, captured) {
            (HoldStatus::Placed, _) => Some(HoldState::Pending),
            (HoldStatus::InTransit | HoldStatus::Waiting, Some(item_id)) => {
                Some(HoldState::Captured { item_id })
            }
            _ => None,
        }
    }
}

/// The pull list of a branch: `candidates` are (hold, copy) pairs — every
/// copy available at the branch that each fillable hold could take — in
/// queue order of the holds. Each hold gets at most one copy and each copy
/// serves at most one hold; earlier holds choose first (their first
/// candidate still free).
pub fn assign_pull_list(candidates: &[(HoldId, ItemId)]) -> Vec<(HoldId, ItemId)> {
    let mut out: Vec<(HoldId, ItemId)> = Vec::new();
    for &(h, i) in candidates {
        if out.iter().any(|(oh, oi)| *oh == h || *oi == i) {
            continue;
        }
        out.push((h, i));
    }
    out
}

/// The pickup deadline of a hold captured (put on the shelf) at
/// `captured_at`: the end (23:59:59 local) of the `open_days`-th open day
/// after the capture day, in the pickup branch's calendar. If the calendar
/// has no open day within a year, counts calendar days instead.
pub fn hold_shelf_expiry(
    captured_at: DateTime<Utc>,
    open_days: u32,
    calendar: &BranchCalendar,
) -> DateTime<Utc> {
    let d0 = calendar.local_date(captured_at);
    let day = calendar
        .nth_open_day_after(d0, open_days)
        .or_else(|| d0.checked_add_days(chrono::Days::new(u64::from(open_days))))
        .unwrap_or(d0);
    calendar.end_of_day(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circ::calendar::tests::{at, date, manila};
    use chrono::Duration;
    use chrono_tz::Tz;
    use proptest::prelude::*;

    fn code(s: &str) -> Code {
        Code::parse("t", s).unwrap()
    }
    fn t0() -> DateTime<Utc> {
        at(Tz::UTC, "2026-11-01 10:00")
    }
    fn hold(id: HoldId, patron: PatronId, target: HoldTarget, pickup: &str, mins: i64) -> Hold {
        Hold {
            id,
            patron_id: patron,
            target,
            pickup_branch: code(pickup),
            placed_at: t0() + Duration::minutes(mins),
            priority: 0,
            suspended_until: None,
            expires_at: None,
            state: HoldState::Pending,
        }
    }
    fn item() -> HoldableItem {
        HoldableItem {
            id: 77,
            record_id: 5,
            current_branch: code("EAST"),
            home_branch: code("MAIN"),
            holdable: true,
        }
    }

    #[test]
    fn ordering_priority_time_suspension_expiry() {
        let now = t0() + Duration::days(3);
        let mut a = hold(1, 100, HoldTarget::Title(5), "MAIN", 0);
        let b = hold(2, 101, HoldTarget::Title(5), "MAIN", 10);
        let mut c = hold(3, 102, HoldTarget::Title(5), "MAIN", 20);
        let mut d = hold(4, 103, HoldTarget::Title(5), "MAIN", 30);
        c.priority = 5; // staff priority jumps the queue
        a.suspended_until = Some(now + Duration::days(7));
        d.expires_at = Some(now - Duration::hours(1));
        let holds = vec![d.clone(), c.clone(), b.clone(), a.clone()];
        let q: Vec<_> = queue(&holds, now).iter().map(|h| h.id).collect();
        assert_eq!(q, vec![3, 1, 2]);
        assert_eq!(queue_position(&holds, 1, now), Some(2));
        assert_eq!(queue_position(&holds, 4, now), None);
        // Targeting skips the suspended hold 1 but takes priority hold 3.
        let h = next_hold_for_item(&item(), &holds, now, HoldPolicy::default());
        assert_eq!(h.map(|h| h.id), Some(3));
        let holds = vec![a.clone(), b.clone()];
        let h = next_hold_for_item(&item(), &holds, now, HoldPolicy::default());
        assert_eq!(h.map(|h| h.id), Some(2));
        // After the suspension ends, hold 1 is first again.
        let later = now + Duration::days(8);
        let h = next_hold_for_item(&item(), &holds, later, HoldPolicy::default());
        assert_eq!(h.map(|h| h.id), Some(1));
    }

    #[test]
    fn item_level_vs_title_level() {
        let now = t0() + Duration::days(1);
        let holds = vec![
            hold(1, 100, HoldTarget::Item(78), "MAIN", 0), // another copy
            hold(2, 101, HoldTarget::Title(6), "MAIN", 5), // another title
            hold(3, 102, HoldTarget::Item(77), "MAIN", 10),
            hold(4, 103, HoldTarget::Title(5), "MAIN", 20),
        ];
        let h = next_hold_for_item(&item(), &holds, now, HoldPolicy::default());
        assert_eq!(h.map(|h| h.id), Some(3));
        let mut not_holdable = item();
        not_holdable.holdable = false;
        assert!(next_hold_for_item(&not_holdable, &holds, now, HoldPolicy::default()).is_none());
    }

    #[test]
    fn pickup_rules_and_local_first() {
        let now = t0() + Duration::days(1);
        let holds = vec![
            hold(1, 100, HoldTarget::Title(5), "WEST", 0),
            hold(2, 101, HoldTarget::Title(5), "MAIN", 5),
            hold(3, 102, HoldTarget::Title(5), "EAST", 10),
        ];
        let pick = |pickup, local_first| {
            next_hold_for_item(
                &item(),
                &holds,
                now,
                HoldPolicy {
                    pickup,
                    local_first,
                },
            )
            .map(|h| h.id)
        };
        assert_eq!(pick(PickupRule::AnyBranch, false), Some(1));
        assert_eq!(pick(PickupRule::AnyBranch, true), Some(3));
        assert_eq!(pick(PickupRule::HomeBranchOnly, false), Some(2));
        assert_eq!(pick(PickupRule::CurrentBranchOnly, false), Some(3));
    }

    #[test]
    fn captured_hold_wins() {
        let now = t0() + Duration::days(1);
        let mut captured = hold(9, 100, HoldTarget::Title(5), "WEST", 50);
        captured.state = HoldState::Captured { item_id: 77 };
        let holds = vec![hold(1, 101, HoldTarget::Title(5), "EAST", 0), captured];
        let h = next_hold_for_item(&item(), &holds, now, HoldPolicy::default());
        assert_eq!(h.map(|h| h.id), Some(9));
    }

    #[test]
    fn pickup_rule_strings() {
        for r in [
            PickupRule::AnyBranch,
            PickupRule::HomeBranchOnly,
            PickupRule::CurrentBranchOnly,
        ] {
            assert_eq!(PickupRule::parse(r.as_str()), Ok(r));
        }
        assert!(PickupRule::parse("anywhere").is_err());
    }

    #[test]
    fn shelf_expiry_counts_open_days() {
        let cal = manila();
        // Captured Wed 2026-12-23; 3 open days: Thu 24, (Fri 25 holiday),
        // Sat 26, (Sun 27), Mon 28.
        let e = hold_shelf_expiry(at(cal.tz(), "2026-12-23 15:00"), 3, &cal);
        assert_eq!(e, cal.end_of_day(date("2026-12-28")));
        let e = hold_shelf_expiry(at(cal.tz(), "2026-12-23 15:00"), 0, &cal);
        assert_eq!(e, cal.end_of_day(date("2026-12-23")));
    }

    #[test]
    fn hold_status_strings_and_actions() {
        for s in HoldStatus::ALL {
            assert_eq!(HoldStatus::parse(s.as_str()), Ok(s));
        }
        assert!(HoldStatus::parse("done").is_err());
        use HoldAction::*;
        use HoldStatus::*;
        assert!(Placed.allows(Cancel) && Placed.allows(Suspend) && Placed.allows(ChangePickup));
        assert!(Waiting.allows(Cancel) && InTransit.allows(Cancel));
        assert!(!Waiting.allows(Suspend) && !InTransit.allows(ChangePickup));
        assert!(!Waiting.allows(Resume));
        for s in [Fulfilled, Cancelled, Expired] {
            assert!(!s.is_active());
            for a in [Cancel, Suspend, Resume, ChangePickup] {
                assert!(!s.allows(a), "{s:?} must not allow {a:?}");
            }
        }
        assert_eq!(Placed.state(None), Some(HoldState::Pending));
        assert_eq!(
            Waiting.state(Some(4)),
            Some(HoldState::Captured { item_id: 4 })
        );
        assert_eq!(InTransit.state(None), None);
        assert_eq!(Fulfilled.state(Some(4)), None);
    }

    #[test]
    fn pull_list_one_copy_per_hold_oldest_first() {
        // Hold 1 (oldest) could take copies 10 or 11; hold 2 only 10 (item
        // level); hold 3 copies 10, 11; hold 4 copy 12.
        let c = [(1, 10), (1, 11), (2, 10), (3, 10), (3, 11), (4, 12)];
        assert_eq!(assign_pull_list(&c), vec![(1, 10), (3, 11), (4, 12)]);
        assert!(assign_pull_list(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn queue_is_a_total_order_independent_of_input_order(
            spec in prop::collection::vec((0i32..3, 0i64..100, any::<bool>()), 0..15),
            rot in 0usize..15,
        ) {
            let holds: Vec<Hold> = spec.iter().enumerate().map(|(i, (p, m, s))| {
                let mut h = hold(i as i64, i as i64, HoldTarget::Title(5), "MAIN", *m);
                h.priority = *p;
                if *s { h.suspended_until = Some(t0() + Duration::days(400)); }
                h
            }).collect();
            let now = t0() + Duration::days(1);
            let mut rotated = holds.clone();
            if !rotated.is_empty() { let n = rotated.len(); rotated.rotate_left(rot % n); }
            let a: Vec<_> = queue(&holds, now).iter().map(|h| h.id).collect();
            let b: Vec<_> = queue(&rotated, now).iter().map(|h| h.id).collect();
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.len(), holds.len());
            let next = next_hold_for_item(&item(), &holds, now, HoldPolicy::default()).map(|h| h.id);
            let first_active = queue(&holds, now).into_iter().find(|h| !h.is_suspended(now)).map(|h| h.id);
            prop_assert_eq!(next, first_active);
        }

        #[test]
        fn pull_list_is_a_matching(pairs in prop::collection::vec((0i64..8, 0i64..8), 0..30)) {
            let got = assign_pull_list(&pairs);
            for (k, (h, i)) in got.iter().enumerate() {
                prop_assert!(pairs.contains(&(*h, *i)));
                prop_assert!(got[k + 1..].iter().all(|(h2, i2)| h2 != h && i2 != i));
            }
            // Maximal: every unassigned candidate conflicts with an assignment.
            for (h, i) in &pairs {
                prop_assert!(got.iter().any(|(h2, i2)| h2 == h || i2 == i));
            }
        }
    }
}
