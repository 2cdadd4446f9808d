//! Admin form parsing for the policy matrix: raw strings → [`Policy`] /
//! [`RuleKey`], collecting every field error at once (as `org::BranchForm`
//! does), and the reverse for editing. Money is entered as a decimal amount
//! in major units (`0.25`) and stored in minor units (`25`).

use super::policy::{
    ClosedDayShift, FineInterval, GraceMode, HourlyAfterHours, LoanPeriod, LostFound, MAX_PERIOD,
    Policy, RenewalBase, RuleKey,
};
use crate::error::{FieldError, Invalid};
use crate::org::Code;

/// Largest amount accepted, in minor units (10^13: ten billion major units
/// with two decimals).
pub const MAX_AMOUNT: i64 = 10_000_000_000_000;

/// Parses a non-negative decimal amount (`5`, `5.2`, `0.25`, `,` accepted
/// as the decimal mark) into minor units with `decimals` fraction digits
/// (0..=4). Errors: `required`, `invalid-amount`, `too-many-decimals`
/// (arg: decimals), `out-of-range`.
pub fn parse_money(field: &'static str, raw: &str, decimals: u8) -> Result<i64, FieldError> {
    let decimals = decimals.min(4);
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    let (int, frac) = match t.split_once(['.', ',']) {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
        return Err(FieldError::new(field, "invalid-amount"));
    }
    if frac.len() > usize::from(decimals) {
        return Err(FieldError::new(field, "too-many-decimals").with_arg(decimals));
    }
    let out_of_range = || FieldError::new(field, "out-of-range");
    let scale = 10i64.pow(u32::from(decimals));
    let int_v: i64 = if int.is_empty() {
        0
    } else if int.len() > 15 {
        return Err(out_of_range());
    } else {
        int.parse()
            .map_err(|_| FieldError::new(field, "invalid-amount"))?
    };
    let mut frac_v: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse()
            .map_err(|_| FieldError::new(field, "invalid-amount"))?
    };
    for _ in frac.len()..usize::from(decimals) {
        frac_v *= 10;
    }
    let v = int_v
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac_v))
        .filter(|v| *v <= MAX_AMOUNT)
        .ok_or_else(out_of_range)?;
    Ok(v)
}

/// Formats minor units as a decimal amount (`25`, 2 → `0.25`); the inverse
/// of [`parse_money`] for non-negative amounts.
pub fn format_money(minor: i64, decimals: u8) -> String {
    let decimals = decimals.min(4);
    let neg = minor < 0;
    let m = minor.unsigned_abs();
    let scale = 10u64.pow(u32::from(decimals));
    let sign = if neg { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{m}")
    } else {
        format!(
            "{sign}{}.{:0width$}",
            m / scale,
            m % scale,
            width = usize::from(decimals)
        )
    }
}

fn count(field: &'static str, raw: &str, max: u32) -> Result<u32, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(field, "invalid-number"));
    }
    t.parse::<u32>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| FieldError::new(field, "out-of-range").with_arg(max))
}

fn optional_count(field: &'static str, raw: &str, max: u32) -> Result<Option<u32>, FieldError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        count(field, raw, max).map(Some)
    }
}

fn period(field: &'static str, n: &str, unit: &str) -> Result<LoanPeriod, FieldError> {
    let n = count(field, n, MAX_PERIOD)?;
    match unit.trim() {
        "days" | "" => Ok(LoanPeriod::Days(n)),
        "hours" => Ok(LoanPeriod::Hours(n)),
        _ => Err(FieldError::new(field, "invalid-choice")),
    }
}

fn choice<T>(
    raw: &str,
    default: T,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Result<T, FieldError> {
    if raw.trim().is_empty() {
        Ok(default)
    } else {
        parse(raw)
    }
}

/// An optional ISO date (`YYYY-MM-DD`, years 1000–9999). Error:
/// `invalid-date`.
fn optional_date(field: &'static str, raw: &str) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let ok_shape = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !ok_shape || t.starts_with('0') {
        return Err(FieldError::new(field, "invalid-date"));
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError::new(field, "invalid-date"))
}

/// Largest count accepted for limits (loans, holds, renewals, days).
pub const MAX_COUNT: u32 = 100_000;

/// Raw fields of the policy form. Empty optional fields mean "no limit" /
/// "same as loan" / the default choice.
///
/// Serialisable (every field defaults when missing), so a policy can be
/// stored as this form's JSON and re-validated by [`PolicyForm::parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PolicyForm {
    /// Items circulate.
    pub circulates: bool,
    /// Loan period count.
    pub loan_period: String,
    /// `days` (default) or `hours`.
    pub loan_unit: String,
    /// Renewals allowed.
    pub renewals_allowed: String,
    /// Empty: same as the loan period.
    pub renewal_period: String,
    /// `days` (default) or `hours`.
    pub renewal_unit: String,
    /// `now` (default) or `current-due-date`.
    pub renewal_base: String,
    /// Earliest renewal, days before due; empty: any time.
    pub no_renewal_before_days: String,
    /// Total loan limit; empty: none.
    pub max_loans_total: String,
    /// Loan limit for the item type; empty: none.
    pub max_loans_for_type: String,
    /// Decimal amount per interval; empty = 0 (fine-free).
    pub fine_amount: String,
    /// `day` (default) or `hour`.
    pub fine_interval: String,
    /// Maximum fine (decimal amount); empty: none.
    pub max_fine: String,
    /// Empty = 0.
    pub grace_periods: String,
    /// `forgiven` (default) or `retroactive`.
    pub grace_mode: String,
    /// Closed days are not charged.
    pub fines_skip_closed_days: bool,
    /// Holds allowed.
    pub holds_allowed: bool,
    /// Hold limit; empty: none.
    pub max_holds: String,
    /// Empty = 7.
    pub hold_shelf_open_days: String,
    /// `next-open-day` (default) or `previous-open-day`.
    pub due_on_closed_day: String,
    /// `shorten-to-closing` (default) or `extend-to-opening`.
    pub hourly_after_hours: String,
    /// Cap due dates at card expiry.
    pub cap_at_expiry: bool,
    /// Hard due date, `YYYY-MM-DD`; empty: none.
    pub hard_due_date: String,
    /// Days overdue before long overdue; empty: never.
    pub long_overdue_after_days: String,
    /// Days overdue before lost; empty: never.
    pub lost_after_days: String,
    /// Empty = 0.
    pub lost_processing_fee: String,
    /// Replacement cost of a lost item without a price; empty = 0.
    pub lost_replacement_fee: String,
    /// `refund` (default), `keep` or `waive-unpaid`.
    pub lost_found: String,
}

impl PolicyForm {
    /// Validates every field (money with `decimals` fraction digits),
    /// collecting all errors. Field names are the struct's field names.
    pub fn parse(&self, decimals: u8) -> Result<Policy, Invalid> {
        let mut inv = Invalid::default();
        let money_or_zero = |field, raw: &str| {
            if raw.trim().is_empty() {
                Ok(0)
            } else {
                parse_money(field, raw, decimals)
            }
        };
        let optional_money = |field, raw: &str| {
            if raw.trim().is_empty() {
                Ok(None)
            } else {
                parse_money(field, raw, decimals).map(Some)
            }
        };
        let loan_period = inv.check(period("loan_period", &self.loan_period, &self.loan_unit));
        let renewals_allowed =
            inv.check(count("renewals_allowed", &self.renewals_allowed, MAX_COUNT));
        let renewal_period = inv.check(if self.renewal_period.trim().is_empty() {
            Ok(None)
        } else {
            period("renewal_period", &self.renewal_period, &self.renewal_unit).map(Some)
        });
        let renewal_base = inv.check(choice(
            &self.renewal_base,
            RenewalBase::Now,
            RenewalBase::parse,
        ));
        let no_renewal_before_days = inv.check(optional_count(
            "no_renewal_before_days",
            &self.no_renewal_before_days,
            MAX_COUNT,
        ));
        let max_loans_total = inv.check(optional_count(
            "max_loans_total",
            &self.max_loans_total,
            MAX_COUNT,
        ));
        let max_loans_for_type = inv.check(optional_count(
            "max_loans_for_type",
            &self.max_loans_for_type,
            MAX_COUNT,
        ));
        let fine_per_interval = inv.check(money_or_zero("fine_amount", &self.fine_amount));
        let fine_interval = inv.check(choice(
            &self.fine_interval,
            FineInterval::Day,
            FineInterval::parse,
        ));
        let max_fine = inv.check(optional_money("max_fine", &self.max_fine));
        let grace_periods = inv.check(if self.grace_periods.trim().is_empty() {
            Ok(0)
        } else {
            count("grace_periods", &self.grace_periods, MAX_COUNT)
        });
        let grace_mode = inv.check(choice(
            &self.grace_mode,
            GraceMode::Forgiven,
            GraceMode::parse,
        ));
        let max_holds = inv.check(optional_count("max_holds", &self.max_holds, MAX_COUNT));
        let hold_shelf_open_days = inv.check(if self.hold_shelf_open_days.trim().is_empty() {
            Ok(7)
        } else {
            count("hold_shelf_open_days", &self.hold_shelf_open_days, 366)
        });
        let due_on_closed_day = inv.check(choice(
            &self.due_on_closed_day,
            ClosedDayShift::NextOpenDay,
            ClosedDayShift::parse,
        ));
        let hourly_after_hours = inv.check(choice(
            &self.hourly_after_hours,
            HourlyAfterHours::ShortenToClosing,
            HourlyAfterHours::parse,
        ));
        let hard_due_date = inv.check(optional_date("hard_due_date", &self.hard_due_date));
        let long_overdue_after_days = inv.check(optional_count(
            "long_overdue_after_days",
            &self.long_overdue_after_days,
            MAX_COUNT,
        ));
        let lost_after_days = inv.check(optional_count(
            "lost_after_days",
            &self.lost_after_days,
            MAX_COUNT,
        ));
        let lost_processing_fee = inv.check(money_or_zero(
            "lost_processing_fee",
            &self.lost_processing_fee,
        ));
        let lost_replacement_fee = inv.check(money_or_zero(
            "lost_replacement_fee",
            &self.lost_replacement_fee,
        ));
        let lost_found = inv.check(choice(
            &self.lost_found,
            LostFound::Refund,
            LostFound::parse,
        ));
        if let (Some(Some(lo)), Some(Some(lost))) = (long_overdue_after_days, lost_after_days)
            && lost < lo
        {
            inv.push(FieldError::new("lost_after_days", "lost-before-long-overdue").with_arg(lo));
        }
        match (
            loan_period,
            renewals_allowed,
            renewal_period,
            renewal_base,
            no_renewal_before_days,
            max_loans_total,
            max_loans_for_type,
            fine_per_interval,
            fine_interval,
            max_fine,
            grace_periods,
            grace_mode,
            max_holds,
            hold_shelf_open_days,
            due_on_closed_day,
            hourly_after_hours,
            hard_due_date,
            long_overdue_after_days,
            lost_after_days,
            lost_processing_fee,
            lost_replacement_fee,
            lost_found,
        ) {
            (
                Some(loan_period),
                Some(renewals_allowed),
                Some(renewal_period),
                Some(renewal_base),
                Some(no_renewal_before_days),
                Some(max_loans_total),
                Some(max_loans_for_type),
                Some(fine_per_interval),
                Some(fine_interval),
                Some(max_fine),
                Some(grace_periods),
                Some(grace_mode),
                Some(max_holds),
                Some(hold_shelf_open_days),
                Some(due_on_closed_day),
                Some(hourly_after_hours),
                Some(hard_due_date),
                Some(long_overdue_after_days),
                Some(lost_after_days),
                Some(lost_processing_fee),
                Some(lost_replacement_fee),
                Some(lost_found),
            ) if inv.is_empty() => Ok(Policy {
                circulates: self.circulates,
                loan_period,
                renewals_allowed,
                renewal_period,
                renewal_base,
                no_renewal_before_days,
                max_loans_total,
                max_loans_for_type,
                fine_per_interval,
                fine_interval,
                max_fine,
                grace_periods,
                grace_mode,
                fines_skip_closed_days: self.fines_skip_closed_days,
                holds_allowed: self.holds_allowed,
                max_holds,
                hold_shelf_open_days,
                due_on_closed_day,
                hourly_after_hours,
                cap_at_expiry: self.cap_at_expiry,
                hard_due_date,
                long_overdue_after_days,
                lost_after_days,
                lost_processing_fee,
                lost_replacement_fee,
                lost_found,
            }),
            _ => Err(inv),
        }
    }

    /// The form showing an existing policy (money with `decimals`).
    pub fn from_policy(p: &Policy, decimals: u8) -> PolicyForm {
        let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        PolicyForm {
            circulates: p.circulates,
            loan_period: p.loan_period.count().to_string(),
            loan_unit: p.loan_period.unit_str().to_owned(),
            renewals_allowed: p.renewals_allowed.to_string(),
            renewal_period: p
                .renewal_period
                .map(|r| r.count().to_string())
                .unwrap_or_default(),
            renewal_unit: p
                .renewal_period
                .map(|r| r.unit_str().to_owned())
                .unwrap_or_default(),
            renewal_base: p.renewal_base.as_str().to_owned(),
            no_renewal_before_days: opt(p.no_renewal_before_days),
            max_loans_total: opt(p.max_loans_total),
            max_loans_for_type: opt(p.max_loans_for_type),
            fine_amount: format_money(p.fine_per_interval, decimals),
            fine_interval: p.fine_interval.as_str().to_owned(),
            max_fine: p
                .max_fine
                .map(|m| format_money(m, decimals))
                .unwrap_or_default(),
            grace_periods: p.grace_periods.to_string(),
            grace_mode: p.grace_mode.as_str().to_owned(),
            fines_skip_closed_days: p.fines_skip_closed_days,
            holds_allowed: p.holds_allowed,
            max_holds: opt(p.max_holds),
            hold_shelf_open_days: p.hold_shelf_open_days.to_string(),
            due_on_closed_day: p.due_on_closed_day.as_str().to_owned(),
            hourly_after_hours: p.hourly_after_hours.as_str().to_owned(),
            cap_at_expiry: p.cap_at_expiry,
            hard_due_date: p.hard_due_date.map(|d| d.to_string()).unwrap_or_default(),
            long_overdue_after_days: opt(p.long_overdue_after_days),
            lost_after_days: opt(p.lost_after_days),
            lost_processing_fee: format_money(p.lost_processing_fee, decimals),
            lost_replacement_fee: format_money(p.lost_replacement_fee, decimals),
            lost_found: p.lost_found.as_str().to_owned(),
        }
    }
}

/// Parses a rule key from three form fields; empty or `*` is the wildcard.
/// Fields: `patron_category`, `item_type`, `branch`.
pub fn parse_rule_key(
    patron_category: &str,
    item_type: &str,
    branch: &str,
) -> Result<RuleKey, Invalid> {
    let mut inv = Invalid::default();
    let mut dim = |field: &'static str, raw: &str| -> Option<Code> {
        let t = raw.trim();
        if t.is_empty() || t == "*" {
            None
        } else {
            inv.check(Code::parse(field, t))
        }
    };
    let key = RuleKey {
        patron_category: dim("patron_category", patron_category),
        item_type: dim("item_type", item_type),
        branch: dim("branch", branch),
    };
    inv.into_result().map(|()| key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn money() {
        assert_eq!(parse_money("f", "0.25", 2), Ok(25));
        assert_eq!(parse_money("f", "5", 2), Ok(500));
        assert_eq!(parse_money("f", "5.2", 2), Ok(520));
        assert_eq!(parse_money("f", " 1,50 ", 2), Ok(150));
        assert_eq!(parse_money("f", ".5", 2), Ok(50));
        assert_eq!(parse_money("f", "12", 0), Ok(12));
        assert_eq!(
            parse_money("f", "0.255", 2).unwrap_err().code,
            "too-many-decimals"
        );
        assert_eq!(
            parse_money("f", "-1", 2).unwrap_err().code,
            "invalid-amount"
        );
        assert_eq!(
            parse_money("f", "1.2.3", 2).unwrap_err().code,
            "invalid-amount"
        );
        assert_eq!(parse_money("f", ".", 2).unwrap_err().code, "invalid-amount");
        assert_eq!(parse_money("f", "", 2).unwrap_err().code, "required");
        assert_eq!(
            parse_money("f", "99999999999999999999", 2)
                .unwrap_err()
                .code,
            "out-of-range"
        );
        assert_eq!(format_money(25, 2), "0.25");
        assert_eq!(format_money(500, 2), "5.00");
        assert_eq!(format_money(7, 0), "7");
        assert_eq!(format_money(-150, 2), "-1.50");
    }

    #[test]
    fn policy_form_defaults_and_errors() {
        let f = PolicyForm {
            circulates: true,
            loan_period: "21".into(),
            renewals_allowed: "2".into(),
            fine_amount: "0.25".into(),
            max_fine: "5".into(),
            holds_allowed: true,
            ..Default::default()
        };
        let p = f.parse(2).unwrap();
        assert_eq!(p.loan_period, LoanPeriod::Days(21));
        assert_eq!((p.fine_per_interval, p.max_fine), (25, Some(500)));
        assert_eq!(p.hold_shelf_open_days, 7);
        assert_eq!(p.max_loans_total, None);
        let with_date = PolicyForm {
            hard_due_date: " 2027-05-31 ".into(),
            ..f.clone()
        };
        assert_eq!(
            with_date.parse(2).unwrap().hard_due_date,
            chrono::NaiveDate::from_ymd_opt(2027, 5, 31)
        );
        for bad in ["2027-5-31", "31/05/2027", "0999-01-01", "2027-02-30"] {
            let f = PolicyForm {
                hard_due_date: bad.into(),
                ..f.clone()
            };
            assert_eq!(f.parse(2).unwrap_err().0[0].code, "invalid-date", "{bad}");
        }
        let bad = PolicyForm {
            loan_period: "".into(),
            loan_unit: "weeks".into(),
            renewals_allowed: "x".into(),
            fine_amount: "0.255".into(),
            grace_mode: "lenient".into(),
            long_overdue_after_days: "30".into(),
            lost_after_days: "10".into(),
            hard_due_date: "2026-13-01".into(),
            ..Default::default()
        };
        let e = bad.parse(2).unwrap_err();
        let got: Vec<_> = e.0.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("loan_period", "required"),
                ("renewals_allowed", "invalid-number"),
                ("fine_amount", "too-many-decimals"),
                ("grace_mode", "invalid-choice"),
                ("hard_due_date", "invalid-date"),
                ("lost_after_days", "lost-before-long-overdue"),
            ]
        );
    }

    #[test]
    fn rule_keys() {
        let k = parse_rule_key("adult", "*", "").unwrap();
        assert_eq!(k.patron_category.as_ref().map(Code::as_str), Some("ADULT"));
        assert_eq!((k.item_type, k.branch), (None, None));
        let e = parse_rule_key("a b", "x", "*").unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["patron_category", "item_type"]);
    }

    fn arb_policy() -> impl Strategy<Value = Policy> {
        let period = (any::<bool>(), 0..=MAX_PERIOD).prop_map(|(h, n)| {
            if h {
                LoanPeriod::Hours(n)
            } else {
                LoanPeriod::Days(n)
            }
        });
        let cnt = || prop::option::of(0..=MAX_COUNT);
        let money = || 0..=MAX_AMOUNT;
        (
            (
                any::<bool>(),
                period.clone(),
                0..=MAX_COUNT,
                prop::option::of(period),
            ),
            (any::<bool>(), cnt(), cnt(), cnt(), money(), any::<bool>()),
            (
                prop::option::of(money()),
                0..=MAX_COUNT,
                any::<bool>(),
                any::<bool>(),
            ),
            (
                any::<bool>(),
                cnt(),
                0u32..=366,
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
            ),
            (prop::option::of(0..=MAX_COUNT), money()),
        )
            .prop_map(
                |(
                    (c, lp, ra, rp),
                    (rb, nrb, mlt, mlft, fine, hourly),
                    (mf, gp, gm, skip),
                    (ha, mh, hs, prev, cap, ext),
                    (lost, fee),
                )| {
                    Policy {
                        circulates: c,
                        loan_period: lp,
                        renewals_allowed: ra,
                        renewal_period: rp,
                        renewal_base: if rb {
                            RenewalBase::Now
                        } else {
                            RenewalBase::CurrentDueDate
                        },
                        no_renewal_before_days: nrb,
                        max_loans_total: mlt,
                        max_loans_for_type: mlft,
                        fine_per_interval: fine,
                        fine_interval: if hourly {
                            FineInterval::Hour
                        } else {
                            FineInterval::Day
                        },
                        max_fine: mf,
                        grace_periods: gp,
                        grace_mode: if gm {
                            GraceMode::Retroactive
                        } else {
                            GraceMode::Forgiven
                        },
                        fines_skip_closed_days: skip,
                        holds_allowed: ha,
                        max_holds: mh,
                        hold_shelf_open_days: hs,
                        due_on_closed_day: if prev {
                            ClosedDayShift::PreviousOpenDay
                        } else {
                            ClosedDayShift::NextOpenDay
                        },
                        cap_at_expiry: cap,
                        hard_due_date: lost.and_then(|l| {
                            chrono::NaiveDate::from_num_days_from_ce_opt(730_000 + l as i32)
                        }),
                        hourly_after_hours: if ext {
                            HourlyAfterHours::ExtendToOpening
                        } else {
                            HourlyAfterHours::ShortenToClosing
                        },
                        long_overdue_after_days: lost.map(|l| l / 2),
                        lost_after_days: lost,
                        lost_processing_fee: fee,
                        lost_replacement_fee: fee / 2,
                        lost_found: if cap {
                            LostFound::WaiveUnpaid
                        } else {
                            LostFound::Keep
                        },
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn money_round_trips(v in 0..=MAX_AMOUNT, d in 0u8..=4) {
            prop_assert_eq!(parse_money("f", &format_money(v, d), d), Ok(v));
        }

        #[test]
        fn money_never_panics(s in ".*", d in any::<u8>()) {
            if let Ok(v) = parse_money("f", &s, d) {
                prop_assert!((0..=MAX_AMOUNT).contains(&v));
            }
        }

        #[test]
        fn policy_form_round_trips(p in arb_policy(), d in 0u8..=4) {
            let f = PolicyForm::from_policy(&p, d);
            prop_assert_eq!(f.parse(d), Ok(p));
        }

        #[test]
        fn policy_form_never_panics(
            fields in prop::collection::vec(".{0,12}", 19),
            d in any::<u8>(),
        ) {
            let f = PolicyForm {
                loan_period: fields[0].clone(),
                loan_unit: fields[1].clone(),
                renewals_allowed: fields[2].clone(),
                renewal_period: fields[3].clone(),
                renewal_unit: fields[4].clone(),
                renewal_base: fields[5].clone(),
                no_renewal_before_days: fields[6].clone(),
                max_loans_total: fields[7].clone(),
                max_loans_for_type: fields[8].clone(),
                fine_amount: fields[9].clone(),
                fine_interval: fields[10].clone(),
                max_fine: fields[11].clone(),
                grace_periods: fields[12].clone(),
                grace_mode: fields[13].clone(),
                max_holds: fields[14].clone(),
                hold_shelf_open_days: fields[15].clone(),
                due_on_closed_day: fields[16].clone(),
                long_overdue_after_days: fields[17].clone(),
                lost_processing_fee: fields[18].clone(),
                ..Default::default()
            };
            match f.parse(d) {
                Ok(p) => prop_assert_eq!(PolicyForm::from_policy(&p, d).parse(d), Ok(p)),
                Err(e) => prop_assert!(!e.is_empty()),
            }
            let _ = parse_rule_key(&fields[0], &fields[1], &fields[2]);
        }
    }
}
