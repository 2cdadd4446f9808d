//! The circulation policy matrix: rules keyed by (patron category, item
//! type, branch), each dimension possibly a wildcard, resolved with a
//! deterministic precedence and an "explain why" trace.
//!
//! # Precedence
//!
//! Every matching rule gets a *specificity* — a 3-bit number where the
//! branch is worth 4, the item type 2 and the patron category 1 (a wildcard
//! is worth 0). The highest specificity wins, so:
//!
//! 1. `(cat, type, branch)`   7
//! 2. `(*,   type, branch)`   6
//! 3. `(cat, *,    branch)`   5
//! 4. `(*,   *,    branch)`   4
//! 5. `(cat, type, *)`        3
//! 6. `(*,   type, *)`        2
//! 7. `(cat, *,    *)`        1
//! 8. `(*,   *,    *)`        0  (the default rule)
//!
//! i.e. branch > item type > patron category, lexicographically. Two
//! different keys can never have the same specificity *and* both match one
//! lookup, so the only possible tie is between rules with identical keys
//! (a data-entry mistake); it is broken by the lowest rule id, and the trace
//! records it ([`ExplainStep::DuplicateKey`]). The result therefore does not
//! depend on the order of the slice.
//!
//! Each rule carries a complete [`Policy`] (no per-field inheritance): what
//! staff see in the matrix is exactly what applies.

use crate::error::FieldError;
use crate::org::Code;

/// Identifier of a stored rule.
pub type RuleId = i64;

/// A loan (or renewal) period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanPeriod {
    /// Due at the end of the local day, N days after checkout.
    Days(u32),
    /// Due N hours after checkout (capped by closing time, see `calendar`).
    Hours(u32),
}

impl LoanPeriod {
    /// `days` or `hours` (storage / explanation argument).
    pub fn unit_str(self) -> &'static str {
        match self {
            LoanPeriod::Days(_) => "days",
            LoanPeriod::Hours(_) => "hours",
        }
    }
    /// The number of units.
    pub fn count(self) -> u32 {
        match self {
            LoanPeriod::Days(n) | LoanPeriod::Hours(n) => n,
        }
    }
    /// Rebuilds a period from its storage columns (`days` / `hours`, count
    /// 0..=[`MAX_PERIOD`]). Errors name `field`.
    pub fn from_parts(field: &'static str, unit: &str, count: i64) -> Result<Self, FieldError> {
        let n = u32::try_from(count)
            .ok()
            .filter(|n| *n <= MAX_PERIOD)
            .ok_or_else(|| FieldError::new(field, "out-of-range").with_arg(MAX_PERIOD))?;
        match unit.trim() {
            "days" => Ok(LoanPeriod::Days(n)),
            "hours" => Ok(LoanPeriod::Hours(n)),
            _ => Err(FieldError::new(field, "invalid-choice")),
        }
    }
}

/// Largest loan or renewal period count accepted from storage and forms
/// (days or hours).
pub const MAX_PERIOD: u32 = 36_600;

/// Storage strings of the simple policy enums: `as_str` / `parse` pairs
/// (parse trims, is exact otherwise; error code `invalid-choice`).
macro_rules! choice {
    ($t:ty, $field:literal, $($v:path => $s:literal),+ $(,)?) => {
        impl $t {
            /// Stable storage string.
            pub fn as_str(self) -> &'static str {
                match self { $($v => $s),+ }
            }
            /// Parses [`Self::as_str`].
            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                match raw.trim() {
                    $($s => Ok($v),)+
                    _ => Err(FieldError::new($field, "invalid-choice")),
                }
            }
        }
    };
}

choice!(FineInterval, "fine_interval", FineInterval::Day => "day", FineInterval::Hour => "hour");
choice!(GraceMode, "grace_mode", GraceMode::Forgiven => "forgiven", GraceMode::Retroactive => "retroactive");
choice!(ClosedDayShift, "due_on_closed_day",
    ClosedDayShift::NextOpenDay => "next-open-day",
    ClosedDayShift::PreviousOpenDay => "previous-open-day");
choice!(HourlyAfterHours, "hourly_after_hours",
    HourlyAfterHours::ShortenToClosing => "shorten-to-closing",
    HourlyAfterHours::ExtendToOpening => "extend-to-opening");
choice!(LostFound, "lost_found",
    LostFound::Refund => "refund",
    LostFound::Keep => "keep",
    LostFound::WaiveUnpaid => "waive-unpaid");
choice!(RenewalBase, "renewal_base",
    RenewalBase::Now => "now",
    RenewalBase::CurrentDueDate => "current-due-date");

/// What happens to the replacement fee of a lost item that comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostFound {
    /// Credit the whole replacement fee (a paid fee becomes a credit).
    Refund,
    /// Keep it (the patron paid for the copy).
    Keep,
    /// Waive what is still unpaid of it; nothing paid is given back.
    WaiveUnpaid,
}

/// The unit in which overdue fines accrue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FineInterval {
    /// Per day.
    Day,
    /// Per hour.
    Hour,
}

/// What happens after the grace period is exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraceMode {
    /// The grace periods are never charged: an item 5 days late with 2 days
    /// of grace is charged 3 days.
    Forgiven,
    /// Once the grace is exceeded, the fine is charged from the due date: 5
    /// days late with 2 days of grace is charged 5 days.
    Retroactive,
}

/// Where a day-based due date goes when it falls on a closed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedDayShift {
    /// The next open day (the common choice).
    NextOpenDay,
    /// The previous open day, unless that is the checkout day or earlier, in
    /// which case the next open day.
    PreviousOpenDay,
}

/// What an hourly loan does when the branch is closed at checkout + period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HourlyAfterHours {
    /// Due at the latest closing time between checkout and checkout +
    /// period (a 3-hour loan at 17:55 with closing at 18:00 → 18:00).
    ShortenToClosing,
    /// Due at the first opening time after checkout + period (the patron
    /// can only return it when the branch opens).
    ExtendToOpening,
}

/// Where a renewal's new due date is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalBase {
    /// From the moment of renewal.
    Now,
    /// From the current due date (or from now if that is already past).
    CurrentDueDate,
}

/// The outputs of one rule of the matrix. Money is in minor currency units
/// (centavos, cents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Whether items under this rule may be lent at all.
    pub circulates: bool,
    /// The loan period.
    pub loan_period: LoanPeriod,
    /// How many times a loan may be renewed.
    pub renewals_allowed: u32,
    /// The renewal period; `None` means the loan period.
    pub renewal_period: Option<LoanPeriod>,
    /// Where renewals count from.
    pub renewal_base: RenewalBase,
    /// Renewal refused earlier than this many days before the due date
    /// (`None`: any time).
    pub no_renewal_before_days: Option<u32>,
    /// The patron's maximum number of loans in total (`None`: unlimited).
    pub max_loans_total: Option<u32>,
    /// The patron's maximum number of loans of this rule's item type.
    pub max_loans_for_type: Option<u32>,
    /// Fine per interval (0 = fine-free).
    pub fine_per_interval: i64,
    /// The unit of `fine_per_interval` and `grace_periods`.
    pub fine_interval: FineInterval,
    /// Maximum overdue fine per item (`None`: no cap).
    pub max_fine: Option<i64>,
    /// Grace, in fine intervals (days or hours).
    pub grace_periods: u32,
    /// What happens after the grace.
    pub grace_mode: GraceMode,
    /// Whether the closed days of the calendar are skipped when counting
    /// overdue periods.
    pub fines_skip_closed_days: bool,
    /// Holds may be placed on items under this rule.
    pub holds_allowed: bool,
    /// Maximum active holds of the patron (`None`: unlimited).
    pub max_holds: Option<u32>,
    /// Open days a captured hold waits on the shelf.
    pub hold_shelf_open_days: u32,
    /// Where a day-loan due date on a closed day goes.
    pub due_on_closed_day: ClosedDayShift,
    /// Where an hourly due time outside opening hours goes.
    pub hourly_after_hours: HourlyAfterHours,
    /// Cap due dates at the end of the patron's card expiry day.
    pub cap_at_expiry: bool,
    /// No loan under this rule is due after the end of this day (end of
    /// term); `None`: no hard due date.
    pub hard_due_date: Option<chrono::NaiveDate>,
    /// Whole days overdue after which a loan becomes long overdue.
    pub long_overdue_after_days: Option<u32>,
    /// Whole days overdue after which the item is declared lost.
    pub lost_after_days: Option<u32>,
    /// Processing fee billed with a lost item's replacement cost.
    pub lost_processing_fee: i64,
    /// Replacement cost billed for a lost item without a price.
    pub lost_replacement_fee: i64,
    /// The replacement fee when a lost item comes back.
    pub lost_found: LostFound,
}

impl Policy {
    /// The policy used when no rule matches: nothing circulates, no holds.
    /// `Resolution::matched_rule_id` is `None` in that case.
    pub fn not_circulating() -> Policy {
        Policy {
            circulates: false,
            loan_period: LoanPeriod::Days(0),
            renewals_allowed: 0,
            renewal_period: None,
            renewal_base: RenewalBase::Now,
            no_renewal_before_days: None,
            max_loans_total: Some(0),
            max_loans_for_type: Some(0),
            fine_per_interval: 0,
            fine_interval: FineInterval::Day,
            max_fine: Some(0),
            grace_periods: 0,
            grace_mode: GraceMode::Forgiven,
            fines_skip_closed_days: true,
            holds_allowed: false,
            max_holds: Some(0),
            hold_shelf_open_days: 0,
            due_on_closed_day: ClosedDayShift::NextOpenDay,
            hourly_after_hours: HourlyAfterHours::ShortenToClosing,
            cap_at_expiry: true,
            hard_due_date: None,
            long_overdue_after_days: None,
            lost_after_days: None,
            lost_processing_fee: 0,
            lost_replacement_fee: 0,
            lost_found: LostFound::Refund,
        }
    }

    /// A typical book rule: 21 days, 2 renewals, fine-free, holds allowed.
    /// Handy for tests and as a template for the admin form.
    pub fn book_default() -> Policy {
        Policy {
            circulates: true,
            loan_period: LoanPeriod::Days(21),
            renewals_allowed: 2,
            renewal_period: None,
            renewal_base: RenewalBase::Now,
            no_renewal_before_days: None,
            max_loans_total: Some(50),
            max_loans_for_type: None,
            fine_per_interval: 0,
            fine_interval: FineInterval::Day,
            max_fine: None,
            grace_periods: 0,
            grace_mode: GraceMode::Forgiven,
            fines_skip_closed_days: true,
            holds_allowed: true,
            max_holds: Some(20),
            hold_shelf_open_days: 7,
            due_on_closed_day: ClosedDayShift::NextOpenDay,
            hourly_after_hours: HourlyAfterHours::ShortenToClosing,
            cap_at_expiry: true,
            hard_due_date: None,
            long_overdue_after_days: None,
            lost_after_days: None,
            lost_processing_fee: 0,
            lost_replacement_fee: 0,
            lost_found: LostFound::Refund,
        }
    }

    /// The period used for renewals.
    pub fn effective_renewal_period(&self) -> LoanPeriod {
        self.renewal_period.unwrap_or(self.loan_period)
    }
}

/// The key of a stored rule: `None` is the wildcard `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RuleKey {
    /// Patron category, or any.
    pub patron_category: Option<Code>,
    /// Item type, or any.
    pub item_type: Option<Code>,
    /// Branch, or any.
    pub branch: Option<Code>,
}

impl RuleKey {
    /// 0..=7: branch 4 + item type 2 + patron category 1.
    pub fn specificity(&self) -> u8 {
        u8::from(self.branch.is_some()) * 4
            + u8::from(self.item_type.is_some()) * 2
            + u8::from(self.patron_category.is_some())
    }
}

/// A rule of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its id (the tie-breaker).
    pub id: RuleId,
    /// Where it applies.
    pub key: RuleKey,
    /// What it says.
    pub policy: Policy,
}

/// What to look up: the concrete patron category, item type and branch.
/// Which branch (checkout branch, item's home or patron's home) is a
/// global setting applied by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lookup {
    /// The patron's category.
    pub patron_category: Code,
    /// The item's type.
    pub item_type: Code,
    /// The branch (per the global setting).
    pub branch: Code,
}

/// A dimension of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Patron category.
    PatronCategory,
    /// Item type.
    ItemType,
    /// Branch.
    Branch,
}

impl Dimension {
    /// Stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::PatronCategory => "patron-category",
            Dimension::ItemType => "item-type",
            Dimension::Branch => "branch",
        }
    }
}

/// One step of the "explain why" trace, as data: [`ExplainStep::code`] is a
/// stable kebab-case key (translated as `policy-explain-<code>`) and
/// [`ExplainStep::args`] its named arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainStep {
    /// The rule does not apply: `dimension` differs from the lookup.
    NotMatching {
        /// The rule.
        rule_id: RuleId,
        /// The first dimension that differs (branch, item type, category).
        dimension: Dimension,
    },
    /// The rule applies with this specificity.
    Matches {
        /// The rule.
        rule_id: RuleId,
        /// Its specificity (0..=7).
        specificity: u8,
    },
    /// A matching rule lost to a more specific one.
    LessSpecific {
        /// The losing rule.
        rule_id: RuleId,
        /// The winner.
        winner: RuleId,
        /// The loser's specificity.
        specificity: u8,
        /// The winner's specificity.
        winner_specificity: u8,
    },
    /// A matching rule has the same key as the winner; the lower id won.
    DuplicateKey {
        /// The losing rule.
        rule_id: RuleId,
        /// The winner (lower id).
        winner: RuleId,
    },
    /// The winner.
    Selected {
        /// The winning rule.
        rule_id: RuleId,
        /// Its specificity.
        specificity: u8,
    },
    /// No rule matched: the non-circulating fallback applies.
    NoRuleMatched,
}

impl ExplainStep {
    /// Stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            ExplainStep::NotMatching { .. } => "not-matching",
            ExplainStep::Matches { .. } => "matches",
            ExplainStep::LessSpecific { .. } => "less-specific",
            ExplainStep::DuplicateKey { .. } => "duplicate-key",
            ExplainStep::Selected { .. } => "selected",
            ExplainStep::NoRuleMatched => "no-rule-matched",
        }
    }
    /// Named arguments, in a fixed order.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            ExplainStep::NotMatching { rule_id, dimension } => vec![
                ("rule", rule_id.to_string()),
                ("dimension", dimension.as_str().to_owned()),
            ],
            ExplainStep::Matches {
                rule_id,
                specificity,
            }
            | ExplainStep::Selected {
                rule_id,
                specificity,
            } => vec![
                ("rule", rule_id.to_string()),
                ("specificity", specificity.to_string()),
            ],
            ExplainStep::LessSpecific {
                rule_id,
                winner,
                specificity,
                winner_specificity,
            } => vec![
                ("rule", rule_id.to_string()),
                ("winner", winner.to_string()),
                ("specificity", specificity.to_string()),
                ("winner-specificity", winner_specificity.to_string()),
            ],
            ExplainStep::DuplicateKey { rule_id, winner } => vec![
                ("rule", rule_id.to_string()),
                ("winner", winner.to_string()),
            ],
            ExplainStep::NoRuleMatched => Vec::new(),
        }
    }
}

/// The result of [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The winning rule's policy, or [`Policy::not_circulating`].
    pub policy: Policy,
    /// `None` when no rule matched.
    pub matched_rule_id: Option<RuleId>,
    /// The trace: every rule in ascending id order (not-matching / matches),
    /// then the losers (less-specific / duplicate-key), then the winner
    /// (selected) or no-rule-matched.
    pub explanation: Vec<ExplainStep>,
}

fn mismatch(rule: &RuleKey, key: &Lookup) -> Option<Dimension> {
    let differs = |r: &Option<Code>, k: &Code| r.as_ref().is_some_and(|r| r != k);
    if differs(&rule.branch, &key.branch) {
        Some(Dimension::Branch)
    } else if differs(&rule.item_type, &key.item_type) {
        Some(Dimension::ItemType)
    } else if differs(&rule.patron_category, &key.patron_category) {
        Some(Dimension::PatronCategory)
    } else {
        None
    }
}

/// Resolves the policy for `key` (see the module docs for the precedence).
/// Deterministic and independent of the order of `rules`.
pub fn resolve(rules: &[Rule], key: &Lookup) -> Resolution {
    let mut sorted: Vec<&Rule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.id);
    let mut explanation = Vec::new();
    let mut matching: Vec<&Rule> = Vec::new();
    for r in &sorted {
        match mismatch(&r.key, key) {
            Some(dimension) => explanation.push(ExplainStep::NotMatching {
                rule_id: r.id,
                dimension,
            }),
            None => {
                explanation.push(ExplainStep::Matches {
                    rule_id: r.id,
                    specificity: r.key.specificity(),
                });
                matching.push(r);
            }
        }
    }
    // Highest specificity, then lowest id.
    let winner = matching.iter().copied().max_by(|a, b| {
        a.key
            .specificity()
            .cmp(&b.key.specificity())
            .then(b.id.cmp(&a.id))
    });
    let Some(w) = winner else {
        explanation.push(ExplainStep::NoRuleMatched);
        return Resolution {
            policy: Policy::not_circulating(),
            matched_rule_id: None,
            explanation,
        };
    };
    let ws = w.key.specificity();
    for r in &matching {
        if std::ptr::eq(*r, w) {
            continue;
        }
        let s = r.key.specificity();
        if s == ws {
            explanation.push(ExplainStep::DuplicateKey {
                rule_id: r.id,
                winner: w.id,
            });
        } else {
            explanation.push(ExplainStep::LessSpecific {
                rule_id: r.id,
                winner: w.id,
                specificity: s,
                winner_specificity: ws,
            });
        }
    }
    explanation.push(ExplainStep::Selected {
        rule_id: w.id,
        specificity: ws,
    });
    Resolution {
        policy: w.policy.clone(),
        matched_rule_id: Some(w.id),
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> Code {
        Code::parse("t", s).unwrap()
    }
    fn key(c: Option<&str>, t: Option<&str>, b: Option<&str>) -> RuleKey {
        RuleKey {
            patron_category: c.map(code),
            item_type: t.map(code),
            branch: b.map(code),
        }
    }
    fn rule(id: RuleId, k: RuleKey, days: u32) -> Rule {
        Rule {
            id,
            key: k,
            policy: Policy {
                loan_period: LoanPeriod::Days(days),
                ..Policy::book_default()
            },
        }
    }
    fn lookup(c: &str, t: &str, b: &str) -> Lookup {
        Lookup {
            patron_category: code(c),
            item_type: code(t),
            branch: code(b),
        }
    }

    #[test]
    fn most_specific_wins_and_trace_says_why() {
        let rules = vec![
            rule(1, key(None, None, None), 21),
            rule(2, key(None, Some("DVD"), None), 7),
            rule(3, key(Some("CHILD"), Some("DVD"), None), 3),
            rule(4, key(None, None, Some("EAST")), 14),
        ];
        let r = resolve(&rules, &lookup("CHILD", "DVD", "MAIN"));
        assert_eq!(r.matched_rule_id, Some(3));
        assert_eq!(r.policy.loan_period, LoanPeriod::Days(3));
        assert_eq!(
            r.explanation,
            vec![
                ExplainStep::Matches {
                    rule_id: 1,
                    specificity: 0
                },
                ExplainStep::Matches {
                    rule_id: 2,
                    specificity: 2
                },
                ExplainStep::Matches {
                    rule_id: 3,
                    specificity: 3
                },
                ExplainStep::NotMatching {
                    rule_id: 4,
                    dimension: Dimension::Branch
                },
                ExplainStep::LessSpecific {
                    rule_id: 1,
                    winner: 3,
                    specificity: 0,
                    winner_specificity: 3
                },
                ExplainStep::LessSpecific {
                    rule_id: 2,
                    winner: 3,
                    specificity: 2,
                    winner_specificity: 3
                },
                ExplainStep::Selected {
                    rule_id: 3,
                    specificity: 3
                },
            ]
        );
        // At EAST the branch-only rule beats (category, type).
        let r = resolve(&rules, &lookup("CHILD", "DVD", "EAST"));
        assert_eq!(r.matched_rule_id, Some(4));
        // An adult DVD elsewhere: the item-type rule.
        assert_eq!(
            resolve(&rules, &lookup("ADULT", "DVD", "MAIN")).matched_rule_id,
            Some(2)
        );
        assert_eq!(
            resolve(&rules, &lookup("ADULT", "BOOK", "MAIN")).matched_rule_id,
            Some(1)
        );
    }

    #[test]
    fn item_type_beats_patron_category() {
        // (ADULT, *, *) vs (*, BOOK, *): both match an adult book; the item
        // type rule wins, whatever the ids or order.
        for (a, b) in [(1, 2), (2, 1)] {
            let rules = vec![
                rule(a, key(Some("ADULT"), None, None), 28),
                rule(b, key(None, Some("BOOK"), None), 14),
            ];
            let r = resolve(&rules, &lookup("ADULT", "BOOK", "MAIN"));
            assert_eq!(r.matched_rule_id, Some(b));
            assert_eq!(r.policy.loan_period, LoanPeriod::Days(14));
        }
        // Branch beats both combined.
        let rules = vec![
            rule(1, key(Some("ADULT"), Some("BOOK"), None), 28),
            rule(2, key(None, None, Some("MAIN")), 10),
        ];
        assert_eq!(
            resolve(&rules, &lookup("ADULT", "BOOK", "MAIN")).matched_rule_id,
            Some(2)
        );
    }

    #[test]
    fn duplicate_keys_tie_break_on_lowest_id() {
        let rules = vec![
            rule(9, key(None, Some("BOOK"), None), 10),
            rule(5, key(None, Some("BOOK"), None), 20),
        ];
        let r = resolve(&rules, &lookup("ADULT", "BOOK", "MAIN"));
        assert_eq!(r.matched_rule_id, Some(5));
        assert_eq!(r.policy.loan_period, LoanPeriod::Days(20));
        assert!(r.explanation.contains(&ExplainStep::DuplicateKey {
            rule_id: 9,
            winner: 5
        }));
    }

    #[test]
    fn no_rule_means_not_circulating() {
        let rules = vec![rule(1, key(None, Some("DVD"), None), 7)];
        let r = resolve(&rules, &lookup("ADULT", "BOOK", "MAIN"));
        assert_eq!(r.matched_rule_id, None);
        assert!(!r.policy.circulates);
        assert_eq!(
            r.explanation.last().map(ExplainStep::code),
            Some("no-rule-matched")
        );
        assert_eq!(
            r.explanation[0].args(),
            vec![
                ("rule", "1".to_owned()),
                ("dimension", "item-type".to_owned())
            ]
        );
    }

    #[test]
    fn storage_strings_round_trip() {
        for v in [FineInterval::Day, FineInterval::Hour] {
            assert_eq!(FineInterval::parse(v.as_str()), Ok(v));
        }
        for v in [GraceMode::Forgiven, GraceMode::Retroactive] {
            assert_eq!(GraceMode::parse(v.as_str()), Ok(v));
        }
        for v in [ClosedDayShift::NextOpenDay, ClosedDayShift::PreviousOpenDay] {
            assert_eq!(ClosedDayShift::parse(v.as_str()), Ok(v));
        }
        for v in [
            HourlyAfterHours::ShortenToClosing,
            HourlyAfterHours::ExtendToOpening,
        ] {
            assert_eq!(HourlyAfterHours::parse(v.as_str()), Ok(v));
        }
        for v in [RenewalBase::Now, RenewalBase::CurrentDueDate] {
            assert_eq!(RenewalBase::parse(v.as_str()), Ok(v));
        }
        assert_eq!(GraceMode::parse("x").unwrap_err().field, "grace_mode");
        assert_eq!(
            LoanPeriod::from_parts("loan", "hours", 3),
            Ok(LoanPeriod::Hours(3))
        );
        assert_eq!(
            LoanPeriod::from_parts("loan", "days", -1).unwrap_err().code,
            "out-of-range"
        );
        assert_eq!(
            LoanPeriod::from_parts("loan", "weeks", 1).unwrap_err().code,
            "invalid-choice"
        );
    }

    fn opt_code(vals: &'static [&'static str]) -> impl Strategy<Value = Option<Code>> {
        prop::option::of(prop::sample::select(vals).prop_map(code))
    }

    fn arb_rules() -> impl Strategy<Value = Vec<Rule>> {
        prop::collection::vec(
            (
                opt_code(&["ADULT", "CHILD"]),
                opt_code(&["BOOK", "DVD"]),
                opt_code(&["MAIN", "EAST"]),
                1u32..60,
            ),
            0..12,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (c, t, b, d))| Rule {
                    id: (i as i64) * 7 % 13,
                    key: RuleKey {
                        patron_category: c,
                        item_type: t,
                        branch: b,
                    },
                    policy: Policy {
                        loan_period: LoanPeriod::Days(d),
                        ..Policy::book_default()
                    },
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn resolve_is_independent_of_rule_order(
            rules in arb_rules(),
            seed in any::<u64>(),
            c in prop::sample::select(&["ADULT", "CHILD"][..]),
            t in prop::sample::select(&["BOOK", "DVD"][..]),
            b in prop::sample::select(&["MAIN", "EAST"][..]),
        ) {
            let k = lookup(c, t, b);
            let a = resolve(&rules, &k);
            let mut shuffled = rules.clone();
            // Deterministic shuffle from the seed.
            let n = shuffled.len();
            if n > 1 {
                let mut s = seed;
                for i in (1..n).rev() {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    shuffled.swap(i, (s >> 33) as usize % (i + 1));
                }
            }
            let b2 = resolve(&shuffled, &k);
            prop_assert_eq!(&a, &b2);
            prop_assert_eq!(&a, &resolve(&rules, &k));
            // The winner matches and no matching rule is more specific.
            if let Some(id) = a.matched_rule_id {
                let w = rules.iter().filter(|r| r.id == id).find(|r| r.policy == a.policy);
                prop_assert!(w.is_some());
                let ws = w.map(|r| r.key.specificity()).unwrap_or(0);
                for r in &rules {
                    if mismatch(&r.key, &k).is_none() {
                        prop_assert!(r.key.specificity() < ws
                            || (r.key.specificity() == ws && r.id >= id));
                    }
                }
            } else {
                prop_assert!(rules.iter().all(|r| mismatch(&r.key, &k).is_some()));
            }
        }
    }
}
