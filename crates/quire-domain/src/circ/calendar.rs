//! Branch calendars (weekly hours + closed dates + time zone) and due-date
//! computation.
//!
//! # Rules
//!
//! * **Day-based loans** (`LoanPeriod::Days(n)`): the due day is the local
//!   date of checkout plus `n` days; the item is due at 23:59:59 local time
//!   on that day. If the due day is closed it moves to the next open day
//!   (or, with `ClosedDayShift::PreviousOpenDay`, to the previous open day
//!   as long as that is after the checkout day — otherwise the next one).
//!   Open days are searched up to [`SEARCH_DAYS`] days away; if none is
//!   found the unshifted day is kept (explained as `no-open-day`).
//! * **Hourly loans** (`LoanPeriod::Hours(n)`): due exactly `n` hours after
//!   checkout if the library is open at that instant. Otherwise the loan
//!   ends at the latest closing time that falls after checkout and not after
//!   that instant (a 3-hour loan at 17:55 when the branch closes at 18:00 is
//!   due at 18:00; a loan running into the lunch break ends when the
//!   morning session closes). If no closing time lies in between (checkout
//!   while closed, e.g. at an after-hours self-check), the exact time is
//!   kept (explained as `closed-at-due-time`). With
//!   `HourlyAfterHours::ExtendToOpening` the loan instead runs to the first
//!   opening time after that instant (`extended-to-opening`). This rule,
//!   rather than "never past today's closing", keeps 24- and 48-hour loans
//!   meaningful: a 24-hour loan at 10:00 is due at 10:00 the next open day
//!   if the branch is open then.
//! * **Hard due date** (`Policy::hard_due_date`, e.g. end of semester):
//!   the same cap as the expiry cap below, whichever is earlier.
//! * **Expiry cap** (`Policy::cap_at_expiry`): the due date is never after
//!   the end of the patron's card expiry day (and, for day loans, moves back
//!   to the last open day not after the expiry day, if there is one after
//!   the checkout day). Never before the checkout instant.
//! * A calendar with **no weekly hours at all** means "hours not
//!   configured": every day that is not an explicit closed date is open all
//!   day (00:00–24:00). An empty `WeeklyHours` is the default for new
//!   branches, and treating it as "always closed" would stop fines and
//!   shift every due date by a year.
//!
//! Times are stored in UTC and computed in the branch's zone. Local times
//! that do not exist (DST gap) are moved forward to the first existing
//! instant; ambiguous ones (DST overlap) take the earlier instant, except
//! the end of day, which takes the later one.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::policy::{ClosedDayShift, HourlyAfterHours, LoanPeriod, Policy};
use crate::org::WeeklyHours;

/// How far open days are searched from a closed due day.
pub const SEARCH_DAYS: u32 = 366;

/// Longest span of days that day-by-day counts look at (100 years): open
/// days, open time and overdue periods beyond it are not counted. Keeps
/// every function bounded on absurd inputs; any maximum fine applies long
/// before.
pub const MAX_SPAN_DAYS: i64 = 36_600;

/// `t + d`, saturating at the ends of the representable range.
pub(crate) fn add_utc(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < Duration::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

fn add_naive(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    t.checked_add_signed(d).unwrap_or(if d < Duration::zero() {
        NaiveDateTime::MIN
    } else {
        NaiveDateTime::MAX
    })
}

/// `d + days`, saturating.
pub(crate) fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Resolves an IANA time zone name (`Asia/Manila`, `UTC`) against the
/// compiled-in database (the check `org::timezone` leaves to this layer).
/// Exact, case-sensitive after trimming. Error: field `timezone`, code
/// `invalid-timezone`.
pub fn parse_timezone(name: &str) -> Result<Tz, crate::error::FieldError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| crate::error::FieldError::new("timezone", "invalid-timezone"))
}

/// A branch's calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchCalendar {
    hours: WeeklyHours,
    closed: BTreeSet<NaiveDate>,
    tz: Tz,
}

/// Minutes since local midnight of one opening interval (`closes` may be 1440).
type Span = (u16, u16);

impl BranchCalendar {
    /// A calendar from weekly hours, explicit closed dates (holidays,
    /// emergency closures) and the branch's time zone.
    pub fn new(hours: WeeklyHours, closed: impl IntoIterator<Item = NaiveDate>, tz: Tz) -> Self {
        BranchCalendar {
            hours,
            closed: closed.into_iter().collect(),
            tz,
        }
    }
    /// The branch's time zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }
    /// The weekly opening hours.
    pub fn hours(&self) -> &WeeklyHours {
        &self.hours
    }
    /// Whether `date` is an explicit closed date.
    pub fn is_closed_date(&self, date: NaiveDate) -> bool {
        self.closed.contains(&date)
    }
    /// Opening intervals of a local date (empty when closed).
    fn spans(&self, date: NaiveDate) -> Vec<Span> {
        if self.closed.contains(&date) {
            return Vec::new();
        }
        if self.hours.intervals().is_empty() {
            return vec![(0, 1440)];
        }
        let wd = date.weekday().num_days_from_monday() as u8;
        self.hours
            .on(wd)
            .map(|i| (i.opens.minutes(), i.closes.minutes()))
            .collect()
    }
    /// Whether the branch opens at all on `date`.
    pub fn is_open_day(&self, date: NaiveDate) -> bool {
        !self.spans(date).is_empty()
    }
    /// `t` in the branch's zone. Instants within two days of the ends of
    /// chrono's range are clamped first (their local time would not be
    /// representable).
    fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        let lo = add_utc(DateTime::<Utc>::MIN_UTC, Duration::days(2));
        let hi = add_utc(DateTime::<Utc>::MAX_UTC, -Duration::days(2));
        t.clamp(lo, hi).with_timezone(&self.tz)
    }
    /// The local date of an instant.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        self.local(t).date_naive()
    }
    /// Whether the branch is open at instant `t`.
    pub fn is_open_at(&self, t: DateTime<Utc>) -> bool {
        let local = self.local(t);
        let m = (local.hour_min()) as u16;
        self.spans(local.date_naive())
            .iter()
            .any(|&(o, c)| o <= m && m < c)
    }
    /// The instant of local `date` + `minutes` (0..=1440) in this zone.
    pub fn local_instant(&self, date: NaiveDate, minutes: u16) -> DateTime<Utc> {
        let naive = add_naive(
            date.and_time(NaiveTime::MIN),
            Duration::minutes(i64::from(minutes)),
        );
        to_utc_earliest(self.tz, naive)
    }
    /// 23:59:59 local time on `date`, in UTC.
    pub fn end_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        let naive = add_naive(date.and_time(NaiveTime::MIN), Duration::seconds(86_399));
        match self.tz.from_local_datetime(&naive).latest() {
            Some(t) => t.with_timezone(&Utc),
            None => to_utc_earliest(self.tz, naive),
        }
    }
    /// The first open day on or after (`inclusive`) / after `from`, within
    /// [`SEARCH_DAYS`].
    pub fn next_open_day(&self, from: NaiveDate, inclusive: bool) -> Option<NaiveDate> {
        let start = u32::from(!inclusive);
        (start..=SEARCH_DAYS)
            .filter_map(|k| from.checked_add_signed(Duration::days(i64::from(k))))
            .find(|d| self.is_open_day(*d))
    }
    /// The last open day on or before (`inclusive`) / before `from`, within
    /// [`SEARCH_DAYS`].
    pub fn previous_open_day(&self, from: NaiveDate, inclusive: bool) -> Option<NaiveDate> {
        let start = u32::from(!inclusive);
        (start..=SEARCH_DAYS)
            .filter_map(|k| from.checked_sub_signed(Duration::days(i64::from(k))))
            .find(|d| self.is_open_day(*d))
    }
    /// The `n`-th open day after `date` (n = 0: `date` itself, open or
    /// not); `n` is capped at [`SEARCH_DAYS`].
    pub fn nth_open_day_after(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut d = date;
        for _ in 0..n.min(SEARCH_DAYS) {
            d = self.next_open_day(d, false)?;
        }
        Some(d)
    }
    /// Opening instants of the opening intervals of local `date`.
    fn openings(&self, date: NaiveDate) -> Vec<DateTime<Utc>> {
        self.spans(date)
            .into_iter()
            .map(|(o, _)| self.local_instant(date, o))
            .collect()
    }
    /// Closing instants of the opening intervals of local `date`.
    fn closings(&self, date: NaiveDate) -> Vec<DateTime<Utc>> {
        self.spans(date)
            .into_iter()
            .map(|(_, c)| self.local_instant(date, c))
            .collect()
    }
    /// Sum of open seconds within the UTC range `(from, to]` (at most
    /// [`MAX_SPAN_DAYS`] days from `from` are looked at).
    pub fn open_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let mut d = self.local_date(from);
        let last = self.local_date(to).min(add_days(d, MAX_SPAN_DAYS));
        while d <= last {
            for (o, c) in self.spans(d) {
                let a = self.local_instant(d, o).max(from);
                let b = self.local_instant(d, c).min(to);
                if b > a {
                    total += (b - a).num_seconds();
                }
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        total
    }
}

trait HourMin {
    fn hour_min(&self) -> u32;
}
impl<T: chrono::Timelike> HourMin for T {
    fn hour_min(&self) -> u32 {
        self.hour() * 60 + self.minute()
    }
}

/// Local → UTC: the earlier instant when ambiguous; in a DST gap, the first
/// existing instant after it (searched in 15-minute steps, then the UTC
/// offset of the naive time as a last resort).
fn to_utc_earliest(tz: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    for k in 0..=16 {
        let n = add_naive(naive, Duration::minutes(15 * k));
        if let Some(t) = tz.from_local_datetime(&n).earliest() {
            return t.with_timezone(&Utc);
        }
    }
    let off = tz.offset_from_utc_datetime(&naive);
    let fixed = chrono::Offset::fix(&off);
    Utc.from_utc_datetime(&add_naive(
        naive,
        Duration::seconds(-i64::from(fixed.local_minus_utc())),
    ))
}

/// Number of open days `d` with `from < d <= to` (0 when `to <= from`;
/// at most [`MAX_SPAN_DAYS`] days are looked at). Used for fines ("closed
/// days are not charged") and notices.
pub fn open_days_between(calendar: &BranchCalendar, from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    let mut d = from;
    let to = to.min(add_days(from, MAX_SPAN_DAYS));
    while d < to {
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
        if calendar.is_open_day(d) {
            n += 1;
        }
    }
    n
}

/// One step of the due-date explanation, as data: [`DueStep::code`] is a
/// stable kebab-case key (`due-explain-<code>`), [`DueStep::args`] its
/// arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueStep {
    /// The period applied.
    Period(LoanPeriod),
    /// Day loan: due at the end of this local day.
    EndOfDay {
        /// The due day.
        date: NaiveDate,
    },
    /// The due day was closed; moved.
    MovedToOpenDay {
        /// The closed day.
        from: NaiveDate,
        /// The open day used instead.
        to: NaiveDate,
    },
    /// The due day was closed and no open day was found within a year.
    NoOpenDay {
        /// The closed day kept.
        date: NaiveDate,
    },
    /// Hourly loan due exactly at checkout + period.
    ExactTime,
    /// Hourly loan cut to a closing time.
    CappedAtClosing {
        /// The closing instant used.
        at: DateTime<Utc>,
    },
    /// Hourly loan extended to the next opening time.
    ExtendedToOpening {
        /// The opening instant used.
        at: DateTime<Utc>,
    },
    /// Hourly loan: closed at the due time but no closing time in between.
    ClosedAtDueTime,
    /// Capped at the policy's hard due date (end of term).
    CappedAtHardDueDate {
        /// The hard due date.
        date: NaiveDate,
    },
    /// Capped at the patron's card expiry.
    CappedAtExpiry {
        /// The card's expiry day.
        expiry: NaiveDate,
    },
}

impl DueStep {
    /// Stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            DueStep::Period(_) => "loan-period",
            DueStep::EndOfDay { .. } => "end-of-day",
            DueStep::MovedToOpenDay { .. } => "moved-to-open-day",
            DueStep::NoOpenDay { .. } => "no-open-day",
            DueStep::ExactTime => "exact-time",
            DueStep::CappedAtClosing { .. } => "capped-at-closing",
            DueStep::ExtendedToOpening { .. } => "extended-to-opening",
            DueStep::ClosedAtDueTime => "closed-at-due-time",
            DueStep::CappedAtExpiry { .. } => "capped-at-expiry",
            DueStep::CappedAtHardDueDate { .. } => "capped-at-hard-due-date",
        }
    }
    /// Named arguments, in a fixed order.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            DueStep::Period(p) => vec![
                ("count", p.count().to_string()),
                ("unit", p.unit_str().to_owned()),
            ],
            DueStep::EndOfDay { date } | DueStep::NoOpenDay { date } => {
                vec![("date", date.to_string())]
            }
            DueStep::MovedToOpenDay { from, to } => {
                vec![("from", from.to_string()), ("to", to.to_string())]
            }
            DueStep::CappedAtClosing { at } | DueStep::ExtendedToOpening { at } => {
                vec![("at", at.to_rfc3339())]
            }
            DueStep::CappedAtExpiry { expiry } => vec![("expiry", expiry.to_string())],
            DueStep::CappedAtHardDueDate { date } => vec![("date", date.to_string())],
            DueStep::ExactTime | DueStep::ClosedAtDueTime => Vec::new(),
        }
    }
}

/// A computed due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDate {
    /// The due instant.
    pub due_at: DateTime<Utc>,
    /// How it was computed, in order.
    pub explanation: Vec<DueStep>,
}

/// The due date of a checkout at `checkout_at` under `policy` (its loan
/// period), in `calendar` (the branch where the loan is made). See the
/// module docs for the rules.
pub fn due_date(
    checkout_at: DateTime<Utc>,
    policy: &Policy,
    calendar: &BranchCalendar,
    patron_expiry: Option<NaiveDate>,
) -> DueDate {
    due_date_for(
        checkout_at,
        policy.loan_period,
        policy,
        calendar,
        patron_expiry,
    )
}

/// Like [`due_date`] with an explicit period (renewals use
/// `Policy::effective_renewal_period`).
pub fn due_date_for(
    start: DateTime<Utc>,
    period: LoanPeriod,
    policy: &Policy,
    calendar: &BranchCalendar,
    patron_expiry: Option<NaiveDate>,
) -> DueDate {
    let mut explanation = vec![DueStep::Period(period)];
    let d0 = calendar.local_date(start);
    // The earliest cap: the card expiry (if the policy caps at it) or the
    // hard due date; on a tie the hard due date is reported.
    let expiry = patron_expiry.filter(|_| policy.cap_at_expiry);
    let cap = match (expiry, policy.hard_due_date) {
        (Some(e), Some(h)) if e < h => Some((e, DueStep::CappedAtExpiry { expiry: e })),
        (_, Some(h)) => Some((h, DueStep::CappedAtHardDueDate { date: h })),
        (Some(e), None) => Some((e, DueStep::CappedAtExpiry { expiry: e })),
        (None, None) => None,
    };
    let due_at = match period {
        LoanPeriod::Days(n) => {
            let target = add_days(d0, i64::from(n));
            let mut day = target;
            if !calendar.is_open_day(target) {
                let next = calendar.next_open_day(target, false);
                let shifted = match policy.due_on_closed_day {
                    ClosedDayShift::NextOpenDay => next,
                    ClosedDayShift::PreviousOpenDay => calendar
                        .previous_open_day(target, false)
                        .filter(|p| *p > d0)
                        .or(next),
                };
                match shifted {
                    Some(to) => {
                        explanation.push(DueStep::MovedToOpenDay { from: target, to });
                        day = to;
                    }
                    None => explanation.push(DueStep::NoOpenDay { date: target }),
                }
            }
            if let Some((exp, step)) = cap.filter(|(e, _)| *e < day) {
                let capped = if exp <= d0 {
                    d0
                } else {
                    calendar
                        .previous_open_day(exp, true)
                        .filter(|p| *p > d0)
                        .unwrap_or(exp)
                };
                explanation.push(step);
                day = capped;
            }
            explanation.push(DueStep::EndOfDay { date: day });
            calendar.end_of_day(day).max(start)
        }
        LoanPeriod::Hours(h) => {
            let end = add_utc(start, Duration::hours(i64::from(h)));
            let mut due = if calendar.is_open_at(end) {
                explanation.push(DueStep::ExactTime);
                end
            } else if policy.hourly_after_hours == HourlyAfterHours::ExtendToOpening {
                let last = add_days(calendar.local_date(end), i64::from(SEARCH_DAYS));
                let mut d = calendar.local_date(end);
                let mut found = None;
                while d <= last && found.is_none() {
                    found = calendar.openings(d).into_iter().filter(|o| *o > end).min();
                    match d.succ_opt() {
                        Some(n) => d = n,
                        None => break,
                    }
                }
                match found {
                    Some(at) => {
                        explanation.push(DueStep::ExtendedToOpening { at });
                        at
                    }
                    None => {
                        explanation.push(DueStep::ClosedAtDueTime);
                        end
                    }
                }
            } else {
                // The latest closing in (start, end]: search backwards from
                // the day of `end`, at most a year and a week.
                let mut best: Option<DateTime<Utc>> = None;
                let mut d = calendar.local_date(end);
                let stop = d0.max(add_days(d, -(i64::from(SEARCH_DAYS) + 7)));
                while d >= stop && best.is_none() {
                    best = calendar
                        .closings(d)
                        .into_iter()
                        .filter(|c| *c > start && *c <= end)
                        .max();
                    match d.pred_opt() {
                        Some(p) => d = p,
                        None => break,
                    }
                }
                match best {
                    Some(at) => {
                        explanation.push(DueStep::CappedAtClosing { at });
                        at
                    }
                    None => {
                        explanation.push(DueStep::ClosedAtDueTime);
                        end
                    }
                }
            };
            if let Some((exp, step)) = cap {
                let cap_at = calendar.end_of_day(exp).max(start);
                if due > cap_at {
                    explanation.push(step);
                    due = cap_at;
                }
            }
            due
        }
    };
    DueDate {
        due_at,
        explanation,
    }
}

/// Re-checks an existing due date (or hold shelf expiry) after closed
/// dates were added (emergency closure): if its local day is now closed,
/// returns the new instant — the end of the next open day (or previous,
/// with `ClosedDayShift::PreviousOpenDay`, if that is on or after
/// `not_before`, usually today) for day loans and shelf expiries, the last
/// closing time of that day for hourly loans (`hourly`). `None`: unchanged
/// (the day is open, or no open day within [`SEARCH_DAYS`]).
pub fn reshift_for_closure(
    due_at: DateTime<Utc>,
    hourly: bool,
    shift: ClosedDayShift,
    calendar: &BranchCalendar,
    not_before: NaiveDate,
) -> Option<DateTime<Utc>> {
    let day = calendar.local_date(due_at);
    if calendar.is_open_day(day) {
        return None;
    }
    let next = calendar.next_open_day(day, false);
    let to = match shift {
        ClosedDayShift::NextOpenDay => next,
        ClosedDayShift::PreviousOpenDay => calendar
            .previous_open_day(day, false)
            .filter(|p| *p >= not_before)
            .or(next),
    }?;
    if hourly {
        calendar.closings(to).into_iter().max()
    } else {
        Some(calendar.end_of_day(to))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::org::{LocalTime, OpeningInterval};
    use proptest::prelude::*;

    pub(crate) fn t(h: &str) -> LocalTime {
        LocalTime::parse("t", h).unwrap()
    }
    pub(crate) fn iv(weekday: u8, o: &str, c: &str) -> OpeningInterval {
        OpeningInterval {
            weekday,
            opens: t(o),
            closes: t(c),
        }
    }
    pub(crate) fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    /// Local time in `tz` → UTC.
    pub(crate) fn at(tz: Tz, s: &str) -> DateTime<Utc> {
        let n = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        tz.from_local_datetime(&n).unwrap().with_timezone(&Utc)
    }
    /// Mon–Fri 09:00–18:00, Sat 09:00–12:00, Sunday closed; Asia/Manila.
    pub(crate) fn manila() -> BranchCalendar {
        let mut v: Vec<_> = (0..5).map(|d| iv(d, "09:00", "18:00")).collect();
        v.push(iv(5, "09:00", "12:00"));
        BranchCalendar::new(
            WeeklyHours::new(v).unwrap(),
            [date("2026-12-25"), date("2026-12-30")],
            chrono_tz::Asia::Manila,
        )
    }
    fn hourly(h: u32) -> Policy {
        Policy {
            loan_period: LoanPeriod::Hours(h),
            ..Policy::book_default()
        }
    }

    #[test]
    fn laptop_loan_friday_1755_is_cut_to_closing() {
        let cal = manila();
        let tz = cal.tz();
        // 2026-12-04 is a Friday.
        let out = at(tz, "2026-12-04 17:55");
        let d = due_date(out, &hourly(3), &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-12-04 18:00"));
        assert_eq!(
            d.explanation,
            vec![
                DueStep::Period(LoanPeriod::Hours(3)),
                DueStep::CappedAtClosing {
                    at: at(tz, "2026-12-04 18:00")
                }
            ]
        );
        // Earlier in the day the exact time stands.
        let d = due_date(at(tz, "2026-12-04 10:15"), &hourly(3), &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-12-04 13:15"));
        assert_eq!(d.explanation[1], DueStep::ExactTime);
        // 18:00 in Manila is 10:00 UTC.
        assert_eq!(d.due_at.to_rfc3339(), "2026-12-04T05:15:00+00:00");
    }

    #[test]
    fn hourly_loan_extended_to_next_opening() {
        let cal = manila();
        let tz = cal.tz();
        let p = Policy {
            hourly_after_hours: HourlyAfterHours::ExtendToOpening,
            ..hourly(3)
        };
        // Saturday 11:00 + 3 h = 14:00, closed (Saturday closes 12:00,
        // Sunday closed) → Monday 09:00.
        let d = due_date(at(tz, "2026-12-05 11:00"), &p, &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-12-07 09:00"));
        assert_eq!(d.explanation[1].code(), "extended-to-opening");
        // Open at the due time: exact.
        let d = due_date(at(tz, "2026-12-04 10:00"), &p, &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-12-04 13:00"));
    }

    #[test]
    fn hourly_loan_into_lunch_break_and_after_hours() {
        let hours =
            WeeklyHours::new(vec![iv(0, "09:00", "12:00"), iv(0, "13:00", "17:00")]).unwrap();
        let cal = BranchCalendar::new(hours, [], chrono_tz::Europe::Berlin);
        let tz = cal.tz();
        // Monday 2026-11-30, 10:30 + 2h = 12:30 (lunch) → 12:00.
        let d = due_date(at(tz, "2026-11-30 10:30"), &hourly(2), &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-11-30 12:00"));
        // 11:30 + 2h = 13:30, open again → exact.
        let d = due_date(at(tz, "2026-11-30 11:30"), &hourly(2), &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-11-30 13:30"));
        // After hours: 19:00 + 3h, no closing in between → exact time kept.
        let d = due_date(at(tz, "2026-11-30 19:00"), &hourly(3), &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-11-30 22:00"));
        assert_eq!(d.explanation[1], DueStep::ClosedAtDueTime);
        // 24-hour loan on Monday 10:00 → Tuesday closed all day → capped at
        // Monday's 17:00 closing.
        let d = due_date(at(tz, "2026-11-30 10:00"), &hourly(24), &cal, None);
        assert_eq!(d.due_at, at(tz, "2026-11-30 17:00"));
    }

    #[test]
    fn book_loan_due_on_closed_sunday_moves_to_monday() {
        let cal = manila();
        let tz = cal.tz();
        // Sunday 2026-11-08 + 21 days = Sunday 2026-11-29 (closed).
        let d = due_date(
            at(tz, "2026-11-08 15:00"),
            &Policy::book_default(),
            &cal,
            None,
        );
        assert_eq!(
            d.due_at,
            cal.end_of_day(date("2026-11-30")),
            "Monday 23:59:59"
        );
        assert_eq!(d.due_at.to_rfc3339(), "2026-11-30T15:59:59+00:00");
        assert_eq!(
            d.explanation,
            vec![
                DueStep::Period(LoanPeriod::Days(21)),
                DueStep::MovedToOpenDay {
                    from: date("2026-11-29"),
                    to: date("2026-11-30")
                },
                DueStep::EndOfDay {
                    date: date("2026-11-30")
                },
            ]
        );
        let prev = Policy {
            due_on_closed_day: ClosedDayShift::PreviousOpenDay,
            ..Policy::book_default()
        };
        let d = due_date(at(tz, "2026-11-08 15:00"), &prev, &cal, None);
        assert_eq!(d.due_at, cal.end_of_day(date("2026-11-28")), "Saturday");
    }

    #[test]
    fn holidays_chain_forward() {
        let cal = manila();
        let tz = cal.tz();
        // Due Fri 2026-12-25 (holiday) → Sat 26.
        let p = Policy {
            loan_period: LoanPeriod::Days(14),
            ..Policy::book_default()
        };
        let d = due_date(at(tz, "2026-12-11 09:30"), &p, &cal, None);
        assert_eq!(d.due_at, cal.end_of_day(date("2026-12-26")));
        // Previous-open-day never goes back to the checkout day: a 1-day loan
        // on Saturday due Sunday → previous is Saturday (checkout day) → Monday.
        let p = Policy {
            loan_period: LoanPeriod::Days(1),
            due_on_closed_day: ClosedDayShift::PreviousOpenDay,
            ..Policy::book_default()
        };
        let d = due_date(at(tz, "2026-12-05 10:00"), &p, &cal, None);
        assert_eq!(d.due_at, cal.end_of_day(date("2026-12-07")));
    }

    #[test]
    fn capped_at_card_expiry() {
        let cal = manila();
        let tz = cal.tz();
        // Expiry on Sunday 2026-11-15 (closed) → last open day Saturday 14.
        let d = due_date(
            at(tz, "2026-11-02 10:00"),
            &Policy::book_default(),
            &cal,
            Some(date("2026-11-15")),
        );
        assert_eq!(d.due_at, cal.end_of_day(date("2026-11-14")));
        assert!(d.explanation.contains(&DueStep::CappedAtExpiry {
            expiry: date("2026-11-15")
        }));
        // Without the policy flag: no cap.
        let p = Policy {
            cap_at_expiry: false,
            ..Policy::book_default()
        };
        let d = due_date(
            at(tz, "2026-11-02 10:00"),
            &p,
            &cal,
            Some(date("2026-11-15")),
        );
        assert_eq!(d.due_at, cal.end_of_day(date("2026-11-23")));
        // Hourly loan capped at the end of the expiry day.
        let d = due_date(
            at(tz, "2026-11-02 10:00"),
            &hourly(48),
            &cal,
            Some(date("2026-11-02")),
        );
        assert_eq!(d.due_at, cal.end_of_day(date("2026-11-02")));
    }

    #[test]
    fn hard_due_date_caps_like_expiry() {
        let cal = manila();
        let tz = cal.tz();
        let p = Policy {
            hard_due_date: Some(date("2026-12-12")), // Saturday
            ..Policy::book_default()
        };
        let d = due_date(
            at(tz, "2026-12-01 10:00"),
            &p,
            &cal,
            Some(date("2027-06-30")),
        );
        assert_eq!(d.due_at, cal.end_of_day(date("2026-12-12")));
        assert_eq!(d.explanation[1].code(), "capped-at-hard-due-date");
        // An earlier card expiry wins.
        let d = due_date(
            at(tz, "2026-12-01 10:00"),
            &p,
            &cal,
            Some(date("2026-12-05")),
        );
        assert_eq!(d.due_at, cal.end_of_day(date("2026-12-05")));
        assert_eq!(d.explanation[1].code(), "capped-at-expiry");
        // Past the hard due date: due at the end of the checkout day.
        let d = due_date(at(tz, "2026-12-14 10:00"), &p, &cal, None);
        assert_eq!(d.due_at, cal.end_of_day(date("2026-12-14")));
    }

    #[test]
    fn unconfigured_hours_mean_open_every_day_except_closed_dates() {
        let cal = BranchCalendar::new(WeeklyHours::default(), [date("2026-11-29")], Tz::UTC);
        assert!(cal.is_open_day(date("2026-11-28")));
        assert!(!cal.is_open_day(date("2026-11-29")));
        let d = due_date(
            at(Tz::UTC, "2026-11-08 15:00"),
            &Policy::book_default(),
            &cal,
            None,
        );
        assert_eq!(d.due_at, cal.end_of_day(date("2026-11-30")));
    }

    #[test]
    fn dst_end_of_day_and_gap() {
        // New York, DST starts 2026-03-08 at 02:00 → 03:00.
        let cal = BranchCalendar::new(WeeklyHours::default(), [], chrono_tz::America::New_York);
        let i = cal.local_instant(date("2026-03-08"), 150); // 02:30 does not exist
        assert_eq!(i.to_rfc3339(), "2026-03-08T07:00:00+00:00"); // 03:00 EDT
        assert_eq!(
            cal.end_of_day(date("2026-03-08")).to_rfc3339(),
            "2026-03-09T03:59:59+00:00"
        );
    }

    #[test]
    fn emergency_closure_reshifts_existing_due_dates() {
        let before = manila();
        let tz = before.tz();
        let due = before.end_of_day(date("2026-12-09")); // Wednesday
        let laptop_due = at(tz, "2026-12-09 15:00");
        let after = BranchCalendar::new(
            before.hours().clone(),
            [date("2026-12-09"), date("2026-12-10")],
            tz,
        );
        let today = date("2026-12-08");
        assert_eq!(
            reshift_for_closure(due, false, ClosedDayShift::NextOpenDay, &after, today),
            Some(after.end_of_day(date("2026-12-11")))
        );
        assert_eq!(
            reshift_for_closure(due, false, ClosedDayShift::PreviousOpenDay, &after, today),
            Some(after.end_of_day(date("2026-12-08")))
        );
        assert_eq!(
            reshift_for_closure(laptop_due, true, ClosedDayShift::NextOpenDay, &after, today),
            Some(at(tz, "2026-12-11 18:00"))
        );
        // Unaffected loans stay.
        assert_eq!(
            reshift_for_closure(due, false, ClosedDayShift::NextOpenDay, &before, today),
            None
        );
    }

    #[test]
    fn time_zone_names() {
        assert_eq!(parse_timezone(" Asia/Manila "), Ok(chrono_tz::Asia::Manila));
        assert_eq!(parse_timezone("UTC"), Ok(Tz::UTC));
        assert_eq!(
            parse_timezone("Mars/Olympus_Mons").unwrap_err().code,
            "invalid-timezone"
        );
        assert!(parse_timezone("").is_err());
    }

    #[test]
    fn open_days_and_nth() {
        let cal = manila();
        // Fri 2026-12-04 → Mon 2026-12-07: Sat open, Sun closed, Mon open.
        assert_eq!(
            open_days_between(&cal, date("2026-12-04"), date("2026-12-07")),
            2
        );
        assert_eq!(
            open_days_between(&cal, date("2026-12-07"), date("2026-12-04")),
            0
        );
        assert_eq!(
            cal.nth_open_day_after(date("2026-12-23"), 3),
            Some(date("2026-12-28"))
        );
    }

    fn arb_calendar() -> impl Strategy<Value = BranchCalendar> {
        (
            prop::collection::vec(any::<bool>(), 7),
            prop::collection::vec(0i64..400, 0..60),
            prop::sample::select(vec![
                chrono_tz::Asia::Manila,
                chrono_tz::Europe::Berlin,
                chrono_tz::America::New_York,
                Tz::UTC,
            ]),
        )
            .prop_map(|(open, closed, tz)| {
                let ivs: Vec<_> = (0u8..7)
                    .filter(|d| open[*d as usize])
                    .map(|d| iv(d, "09:00", "17:00"))
                    .collect();
                // All-closed weeks: use one open day so hours are "configured".
                let ivs = if ivs.is_empty() {
                    vec![iv(2, "10:00", "11:00")]
                } else {
                    ivs
                };
                let base = date("2026-01-01");
                BranchCalendar::new(
                    WeeklyHours::new(ivs).unwrap(),
                    closed.into_iter().map(|k| base + Duration::days(k)),
                    tz,
                )
            })
    }

    proptest! {
        #[test]
        fn timezone_parse_never_panics_and_round_trips(s in ".*") {
            if let Ok(tz) = parse_timezone(&s) {
                prop_assert_eq!(parse_timezone(tz.name()), Ok(tz));
            }
        }

        #[test]
        fn due_day_is_open_when_an_open_day_exists(
            cal in arb_calendar(),
            start_min in 0i64..(300 * 1440),
            days in 0u32..60,
            prev in any::<bool>(),
        ) {
            let start = at(Tz::UTC, "2026-01-01 00:00") + Duration::minutes(start_min);
            let p = Policy {
                loan_period: LoanPeriod::Days(days),
                due_on_closed_day: if prev { ClosedDayShift::PreviousOpenDay } else { ClosedDayShift::NextOpenDay },
                ..Policy::book_default()
            };
            let d = due_date(start, &p, &cal, None);
            let day = cal.local_date(d.due_at);
            let target = cal.local_date(start) + Duration::days(i64::from(days));
            let any_open = cal.next_open_day(target, true).is_some();
            prop_assert!(d.due_at >= start);
            if any_open {
                prop_assert!(cal.is_open_day(day), "{day} closed");
            }
            prop_assert_eq!(d.due_at, cal.end_of_day(day));
        }

        #[test]
        fn extreme_instants_never_panic(
            cal in arb_calendar(),
            secs in any::<i64>(),
            n in any::<u32>(),
            hourly_loan in any::<bool>(),
            prev in any::<bool>(),
            expiry in prop::option::of(any::<i32>()),
        ) {
            let lo = DateTime::<Utc>::MIN_UTC.timestamp();
            let hi = DateTime::<Utc>::MAX_UTC.timestamp();
            let start = DateTime::<Utc>::from_timestamp(secs.clamp(lo, hi), 0).unwrap_or_default();
            let p = Policy {
                loan_period: if hourly_loan { LoanPeriod::Hours(n) } else { LoanPeriod::Days(n) },
                due_on_closed_day: if prev { ClosedDayShift::PreviousOpenDay } else { ClosedDayShift::NextOpenDay },
                hourly_after_hours: if prev { HourlyAfterHours::ExtendToOpening } else { HourlyAfterHours::ShortenToClosing },
                ..Policy::book_default()
            };
            let exp = expiry.and_then(NaiveDate::from_num_days_from_ce_opt);
            let d = due_date(start, &p, &cal, exp);
            prop_assert!(!d.explanation.is_empty());
            let _ = cal.nth_open_day_after(cal.local_date(start), n);
            let _ = open_days_between(&cal, cal.local_date(start), cal.local_date(d.due_at));
        }

        #[test]
        fn hourly_due_never_after_checkout_plus_period(
            cal in arb_calendar(),
            start_min in 0i64..(300 * 1440),
            hours in 0u32..72,
        ) {
            let start = at(Tz::UTC, "2026-01-01 00:00") + Duration::minutes(start_min);
            let d = due_date(start, &hourly(hours), &cal, None);
            prop_assert!(d.due_at >= start);
            prop_assert!(d.due_at <= start + Duration::hours(i64::from(hours)));
        }
    }
}
