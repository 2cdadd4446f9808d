//! Overdue fines.
//!
//! # Counting
//!
//! * **Daily fines** (`FineInterval::Day`): one period per local date from
//!   the date of the first overdue second (`due_at + 1 s`) up to and
//!   including the local date of return. A book due Friday 23:59:59 and
//!   returned Saturday morning is one day late; a laptop due 18:00 and
//!   returned 19:00 the same evening is also one day late. With
//!   `skip_closed_days`, closed dates are not counted.
//! * **Hourly fines** (`FineInterval::Hour`): the overdue time rounded up
//!   to whole hours; with `skip_closed_days` only the time during opening
//!   hours counts (a laptop due at Friday's closing and returned 5 minutes
//!   after Monday's opening is one hour late).
//! * **Grace** (`Policy::grace_periods`, in the same periods, counted the
//!   same way): nothing is charged while `periods <= grace`. Beyond it,
//!   `GraceMode::Forgiven` charges `periods - grace`, and
//!   `GraceMode::Retroactive` charges all periods.
//! * amount = charged periods × `fine_per_interval` (saturating), capped at
//!   `max_fine`. A rate ≤ 0 means fine-free.
//!
//! The calendar is the one of the branch that owns the loan (checkout
//! branch) — the caller decides. For backdated checkins pass the effective
//! return time; for claims-returned pass the claim time.

use chrono::{DateTime, Duration, Utc};

use super::calendar::{BranchCalendar, MAX_SPAN_DAYS, add_days, add_utc};
use super::policy::{FineInterval, GraceMode, LostFound, Policy};

/// One step of the fine explanation, as data ([`FineStep::code`],
/// [`FineStep::args`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FineStep {
    /// Returned on time.
    NotOverdue,
    /// Overdue periods counted (after skipping closed time, if asked).
    Overdue {
        /// Periods counted.
        periods: u32,
        /// Their unit.
        interval: FineInterval,
    },
    /// Closed days (or closed hours) not counted.
    ClosedSkipped {
        /// Periods not counted.
        periods: u32,
    },
    /// Within the grace period: nothing charged.
    WithinGrace {
        /// Grace periods.
        grace: u32,
    },
    /// Grace periods subtracted (forgiven).
    GraceForgiven {
        /// Grace periods.
        grace: u32,
    },
    /// Grace exceeded: charged from the due date.
    GraceRetroactive {
        /// Grace periods.
        grace: u32,
    },
    /// The policy charges nothing for overdues.
    FineFree,
    /// Periods × rate.
    Charged {
        /// Periods charged.
        periods: u32,
        /// Fine per period (minor units).
        rate: i64,
    },
    /// Capped at the item's replacement price.
    CappedAtReplacement {
        /// The replacement price (minor units).
        price: i64,
    },
    /// Capped at the maximum fine.
    CappedAtMax {
        /// The maximum fine (minor units).
        max: i64,
    },
}

impl FineStep {
    /// Stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            FineStep::NotOverdue => "not-overdue",
            FineStep::Overdue { .. } => "overdue",
            FineStep::ClosedSkipped { .. } => "closed-skipped",
            FineStep::WithinGrace { .. } => "within-grace",
            FineStep::GraceForgiven { .. } => "grace-forgiven",
            FineStep::GraceRetroactive { .. } => "grace-retroactive",
            FineStep::FineFree => "fine-free",
            FineStep::Charged { .. } => "charged",
            FineStep::CappedAtMax { .. } => "capped-at-max",
            FineStep::CappedAtReplacement { .. } => "capped-at-replacement",
        }
    }
    /// Named arguments, in a fixed order.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            FineStep::NotOverdue | FineStep::FineFree => Vec::new(),
            FineStep::Overdue { periods, interval } => vec![
                ("periods", periods.to_string()),
                ("interval", interval.as_str().to_owned()),
            ],
            FineStep::ClosedSkipped { periods } => vec![("periods", periods.to_string())],
            FineStep::WithinGrace { grace }
            | FineStep::GraceForgiven { grace }
            | FineStep::GraceRetroactive { grace } => vec![("grace", grace.to_string())],
            FineStep::Charged { periods, rate } => {
                vec![("periods", periods.to_string()), ("rate", rate.to_string())]
            }
            FineStep::CappedAtMax { max } => vec![("max", max.to_string())],
            FineStep::CappedAtReplacement { price } => vec![("price", price.to_string())],
        }
    }
}

/// The result of [`overdue_fine`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FineCalc {
    /// Minor currency units, `0..=max_fine`.
    pub amount: i64,
    /// Overdue periods counted (before grace).
    pub periods_overdue: u32,
    /// Periods charged (after grace).
    pub periods_charged: u32,
    /// How it was computed, in order.
    pub explanation: Vec<FineStep>,
}

impl FineCalc {
    /// Caps the amount at the item's replacement price (many libraries
    /// never charge more in overdue fines than the item costs). `None` or a
    /// negative price leaves the fine unchanged.
    pub fn capped_at_replacement(mut self, price: Option<i64>) -> FineCalc {
        if let Some(p) = price.filter(|p| *p >= 0 && self.amount > *p) {
            self.amount = p;
            self.explanation
                .push(FineStep::CappedAtReplacement { price: p });
        }
        self
    }
}

/// What to bill when an item is declared lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LostBill {
    /// Replacement cost (minor units): the item's price, else the default.
    pub replacement: i64,
    /// `Policy::lost_processing_fee`.
    pub processing_fee: i64,
}

/// The bill for a lost item: its own price if recorded (and ≥ 0), else
/// `default_price` (the item type's or library's default), plus the
/// policy's processing fee.
pub fn lost_bill(item_price: Option<i64>, default_price: i64, policy: &Policy) -> LostBill {
    LostBill {
        replacement: item_price
            .filter(|p| *p >= 0)
            .unwrap_or(default_price.max(0)),
        processing_fee: policy.lost_processing_fee.max(0),
    }
}

/// The credit due when a lost item comes back: the whole replacement fee
/// billed (`Refund`), nothing (`Keep`), or the part of it still unpaid
/// (`WaiveUnpaid`: the patron's balance is counted against this fee first,
/// so a paid fee gets nothing back). Never negative, never more than billed.
pub fn lost_found_credit(mode: LostFound, replacement_billed: i64, balance: i64) -> i64 {
    let billed = replacement_billed.max(0);
    match mode {
        LostFound::Refund => billed,
        LostFound::Keep => 0,
        LostFound::WaiveUnpaid => billed.min(balance.max(0)),
    }
}

fn sat_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Counts (all periods, chargeable periods) between due and return.
fn count_periods(
    due_at: DateTime<Utc>,
    returned_at: DateTime<Utc>,
    interval: FineInterval,
    calendar: &BranchCalendar,
    skip_closed_days: bool,
) -> (u32, u32) {
    match interval {
        FineInterval::Day => {
            let first = calendar.local_date(add_utc(due_at, Duration::seconds(1)));
            let last = calendar
                .local_date(returned_at)
                .min(add_days(first, MAX_SPAN_DAYS));
            let mut all = 0u32;
            let mut open = 0u32;
            let mut d = first;
            while d <= last {
                all = all.saturating_add(1);
                if calendar.is_open_day(d) {
                    open = open.saturating_add(1);
                }
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
            (all, if skip_closed_days { open } else { all })
        }
        FineInterval::Hour => {
            let hours = |secs: i64| sat_u32((secs + 3599) / 3600);
            let span = (returned_at - due_at).min(Duration::days(MAX_SPAN_DAYS));
            let all = hours(span.num_seconds());
            let open = if skip_closed_days {
                hours(calendar.open_seconds_between(due_at, returned_at))
            } else {
                all
            };
            (all, open)
        }
    }
}

/// The overdue fine for an item due at `due_at` and returned at
/// `returned_at` (see the module docs).
pub fn overdue_fine(
    due_at: DateTime<Utc>,
    returned_at: DateTime<Utc>,
    policy: &Policy,
    calendar: &BranchCalendar,
    skip_closed_days: bool,
) -> FineCalc {
    let mut explanation = Vec::new();
    if returned_at <= due_at {
        explanation.push(FineStep::NotOverdue);
        return FineCalc {
            amount: 0,
            periods_overdue: 0,
            periods_charged: 0,
            explanation,
        };
    }
    let (all, periods) = count_periods(
        due_at,
        returned_at,
        policy.fine_interval,
        calendar,
        skip_closed_days,
    );
    explanation.push(FineStep::Overdue {
        periods,
        interval: policy.fine_interval,
    });
    if all > periods {
        explanation.push(FineStep::ClosedSkipped {
            periods: all - periods,
        });
    }
    let grace = policy.grace_periods;
    let charged = if periods <= grace {
        if grace > 0 {
            explanation.push(FineStep::WithinGrace { grace });
        }
        0
    } else if grace == 0 {
        periods
    } else {
        match policy.grace_mode {
            GraceMode::Forgiven => {
                explanation.push(FineStep::GraceForgiven { grace });
                periods - grace
            }
            GraceMode::Retroactive => {
                explanation.push(FineStep::GraceRetroactive { grace });
                periods
            }
        }
    };
    let rate = policy.fine_per_interval;
    let mut amount = 0;
    if rate <= 0 {
        explanation.push(FineStep::FineFree);
    } else if charged > 0 {
        explanation.push(FineStep::Charged {
            periods: charged,
            rate,
        });
        amount = rate.saturating_mul(i64::from(charged));
        if let Some(max) = policy.max_fine {
            let max = max.max(0);
            if amount > max {
                explanation.push(FineStep::CappedAtMax { max });
                amount = max;
            }
        }
    }
    FineCalc {
        amount,
        periods_overdue: periods,
        periods_charged: if rate <= 0 { 0 } else { charged },
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circ::calendar::tests::{at, date, manila};
    use crate::circ::policy::LoanPeriod;
    use proptest::prelude::*;

    fn daily(rate: i64, max: Option<i64>, grace: u32, mode: GraceMode) -> Policy {
        Policy {
            fine_per_interval: rate,
            max_fine: max,
            grace_periods: grace,
            grace_mode: mode,
            ..Policy::book_default()
        }
    }

    #[test]
    fn fines_across_a_closed_weekend() {
        let cal = manila();
        let tz = cal.tz();
        // Due Friday 2026-12-04 23:59:59; returned Monday 12-07 10:00.
        // Sat (open), Sun (closed), Mon (open).
        let due = cal.end_of_day(date("2026-12-04"));
        let back = at(tz, "2026-12-07 10:00");
        let p = daily(500, None, 0, GraceMode::Forgiven);
        let f = overdue_fine(due, back, &p, &cal, true);
        assert_eq!(
            (f.periods_overdue, f.periods_charged, f.amount),
            (2, 2, 1000)
        );
        assert_eq!(
            f.explanation,
            vec![
                FineStep::Overdue {
                    periods: 2,
                    interval: FineInterval::Day
                },
                FineStep::ClosedSkipped { periods: 1 },
                FineStep::Charged {
                    periods: 2,
                    rate: 500
                },
            ]
        );
        let f = overdue_fine(due, back, &p, &cal, false);
        assert_eq!(f.amount, 1500);
        // Returned on the due day: nothing.
        let f = overdue_fine(due, at(tz, "2026-12-04 20:00"), &p, &cal, true);
        assert_eq!(f.amount, 0);
        assert_eq!(f.explanation, vec![FineStep::NotOverdue]);
    }

    #[test]
    fn grace_forgiven_vs_retroactive() {
        let cal = manila();
        let tz = cal.tz();
        let due = cal.end_of_day(date("2026-11-30")); // Monday
        // Returned Wednesday: 2 open days late.
        let wed = at(tz, "2026-12-02 11:00");
        let fri = at(tz, "2026-12-04 11:00"); // 4 days late
        let forgiven = daily(100, None, 2, GraceMode::Forgiven);
        let retro = daily(100, None, 2, GraceMode::Retroactive);
        assert_eq!(overdue_fine(due, wed, &forgiven, &cal, true).amount, 0);
        assert_eq!(overdue_fine(due, wed, &retro, &cal, true).amount, 0);
        assert_eq!(
            overdue_fine(due, wed, &retro, &cal, true).explanation[1],
            FineStep::WithinGrace { grace: 2 }
        );
        assert_eq!(overdue_fine(due, fri, &forgiven, &cal, true).amount, 200);
        assert_eq!(overdue_fine(due, fri, &retro, &cal, true).amount, 400);
    }

    #[test]
    fn max_fine_caps() {
        let cal = manila();
        let tz = cal.tz();
        let due = cal.end_of_day(date("2026-11-02"));
        let p = daily(2500, Some(10_000), 0, GraceMode::Forgiven);
        let f = overdue_fine(due, at(tz, "2026-11-20 10:00"), &p, &cal, true);
        assert_eq!(f.amount, 10_000);
        assert_eq!(
            f.explanation.last(),
            Some(&FineStep::CappedAtMax { max: 10_000 })
        );
        assert_eq!(f.periods_charged, 16); // 18 days minus 2 Sundays
    }

    #[test]
    fn lost_found_credit_per_mode() {
        use LostFound::*;
        // Billed 400.00; the patron owes 500.00 in all (nothing paid).
        assert_eq!(lost_found_credit(Refund, 40_000, 50_000), 40_000);
        assert_eq!(lost_found_credit(Keep, 40_000, 50_000), 0);
        assert_eq!(lost_found_credit(WaiveUnpaid, 40_000, 50_000), 40_000);
        // 150.00 paid: owes 250.00 → waive 250.00; refund still gives 400.00.
        assert_eq!(lost_found_credit(WaiveUnpaid, 40_000, 25_000), 25_000);
        assert_eq!(lost_found_credit(Refund, 40_000, 25_000), 40_000);
        // Fully paid (balance 0 or in credit): nothing to waive.
        assert_eq!(lost_found_credit(WaiveUnpaid, 40_000, 0), 0);
        assert_eq!(lost_found_credit(WaiveUnpaid, 40_000, -1_000), 0);
        // Nonsense input never gives a negative credit.
        assert_eq!(lost_found_credit(Refund, -5, 10), 0);
    }

    #[test]
    fn replacement_price_cap_and_lost_bill() {
        let cal = manila();
        let due = cal.end_of_day(date("2026-11-02"));
        let p = daily(2500, None, 0, GraceMode::Forgiven);
        let f = overdue_fine(due, due + Duration::days(30), &p, &cal, false);
        assert_eq!(f.amount, 75_000);
        let c = f.clone().capped_at_replacement(Some(39_900));
        assert_eq!(c.amount, 39_900);
        assert_eq!(
            c.explanation.last(),
            Some(&FineStep::CappedAtReplacement { price: 39_900 })
        );
        assert_eq!(f.clone().capped_at_replacement(None), f);
        assert_eq!(f.clone().capped_at_replacement(Some(100_000)), f);
        let p = Policy {
            lost_processing_fee: 5000,
            ..Policy::book_default()
        };
        assert_eq!(
            lost_bill(Some(39_900), 20_000, &p),
            LostBill {
                replacement: 39_900,
                processing_fee: 5000
            }
        );
        assert_eq!(lost_bill(None, 20_000, &p).replacement, 20_000);
        assert_eq!(lost_bill(Some(-1), 20_000, &p).replacement, 20_000);
    }

    #[test]
    fn fine_free_policies_charge_nothing() {
        let cal = manila();
        let due = cal.end_of_day(date("2026-11-02"));
        let f = overdue_fine(
            due,
            due + Duration::days(30),
            &Policy::book_default(),
            &cal,
            true,
        );
        assert_eq!((f.amount, f.periods_charged), (0, 0));
        assert!(f.explanation.contains(&FineStep::FineFree));
        assert!(f.periods_overdue > 0);
    }

    #[test]
    fn hourly_fines_for_laptops() {
        let cal = manila();
        let tz = cal.tz();
        let p = Policy {
            loan_period: LoanPeriod::Hours(3),
            fine_per_interval: 2000,
            fine_interval: FineInterval::Hour,
            max_fine: Some(50_000),
            ..Policy::book_default()
        };
        // Due Friday 18:00 (closing); back Monday 09:05: open time in
        // between is Saturday 09:00–12:00 plus 5 minutes → 3 h 5 min → 4 h.
        let due = at(tz, "2026-12-04 18:00");
        let back = at(tz, "2026-12-07 09:05");
        let f = overdue_fine(due, back, &p, &cal, true);
        assert_eq!((f.periods_overdue, f.amount), (4, 8000));
        assert_eq!(f.explanation[1], FineStep::ClosedSkipped { periods: 60 });
        // Due Saturday 12:00 (closing), back Monday 09:05 → 5 min → 1 h.
        let f = overdue_fine(at(tz, "2026-12-05 12:00"), back, &p, &cal, true);
        assert_eq!((f.periods_overdue, f.amount), (1, 2000));
        // Without skipping closed time: 63 h 5 min → 64 h → capped.
        let f = overdue_fine(due, back, &p, &cal, false);
        assert_eq!(f.periods_overdue, 64);
        assert_eq!(f.amount, 50_000);
        // Due 14:00, back 16:30 → 3 hours.
        let f = overdue_fine(
            at(tz, "2026-12-04 14:00"),
            at(tz, "2026-12-04 16:30"),
            &p,
            &cal,
            true,
        );
        assert_eq!(f.amount, 6000);
    }

    #[test]
    fn daily_fine_for_hourly_loan_counts_the_due_day() {
        let cal = manila();
        let tz = cal.tz();
        let p = daily(1000, None, 0, GraceMode::Forgiven);
        let f = overdue_fine(
            at(tz, "2026-12-04 18:00"),
            at(tz, "2026-12-04 19:00"),
            &p,
            &cal,
            true,
        );
        assert_eq!(f.amount, 1000);
    }

    proptest! {
        #[test]
        fn extreme_instants_never_panic(
            a in any::<i64>(),
            b in any::<i64>(),
            hourly in any::<bool>(),
            skip in any::<bool>(),
            rate in any::<i64>(),
            grace in any::<u32>(),
            max in prop::option::of(any::<i64>()),
        ) {
            let lo = DateTime::<Utc>::MIN_UTC.timestamp();
            let hi = DateTime::<Utc>::MAX_UTC.timestamp();
            let t = |s: i64| DateTime::<Utc>::from_timestamp(s.clamp(lo, hi), 0).unwrap_or_default();
            let p = Policy {
                fine_per_interval: rate,
                max_fine: max,
                grace_periods: grace,
                fine_interval: if hourly { FineInterval::Hour } else { FineInterval::Day },
                ..Policy::book_default()
            };
            let f = overdue_fine(t(a), t(b), &p, &manila(), skip);
            prop_assert!(f.amount >= 0);
            prop_assert!(f.periods_charged <= f.periods_overdue);
            if let Some(m) = max { prop_assert!(f.amount <= m.max(0)); }
        }

        #[test]
        fn fine_bounded_and_monotonic(
            rate in 0i64..10_000,
            max in prop::option::of(0i64..100_000),
            grace in 0u32..5,
            retro in any::<bool>(),
            hourly in any::<bool>(),
            skip in any::<bool>(),
            due_min in 0i64..(60 * 1440),
            late1 in 0i64..(90 * 1440),
            late2 in 0i64..(90 * 1440),
        ) {
            let cal = manila();
            let p = Policy {
                fine_per_interval: rate,
                max_fine: max,
                grace_periods: grace,
                grace_mode: if retro { GraceMode::Retroactive } else { GraceMode::Forgiven },
                fine_interval: if hourly { FineInterval::Hour } else { FineInterval::Day },
                ..Policy::book_default()
            };
            let due = at(cal.tz(), "2026-11-01 00:00") + Duration::minutes(due_min);
            let (a, b) = (late1.min(late2), late1.max(late2));
            let fa = overdue_fine(due, due + Duration::minutes(a), &p, &cal, skip);
            let fb = overdue_fine(due, due + Duration::minutes(b), &p, &cal, skip);
            prop_assert!(fa.amount >= 0);
            if let Some(m) = max {
                prop_assert!(fb.amount <= m);
            }
            prop_assert!(fa.amount <= fb.amount, "{} > {}", fa.amount, fb.amount);
            prop_assert!(fa.periods_overdue <= fb.periods_overdue);
            prop_assert!(fb.amount <= rate * i64::from(fb.periods_overdue));
        }
    }
}
