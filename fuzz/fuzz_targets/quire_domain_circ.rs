#![no_main]
//! Circulation: the storage-string and form parsers never panic and
//! round-trip; due dates and fines computed from arbitrary instants and
//! periods never panic and keep their invariants.
use libfuzzer_sys::fuzz_target;
use quire_domain::circ::calendar::{BranchCalendar, due_date, parse_timezone};
use quire_domain::circ::decide::{PatronStatus, RefusalCode};
use quire_domain::circ::fines::overdue_fine;
use quire_domain::circ::form::{PolicyForm, format_money, parse_money, parse_rule_key};
use quire_domain::circ::policy::{FineInterval, LoanPeriod, Policy};
use quire_domain::circ::status::ItemStatus;
use quire_domain::org::{OpeningInterval, WeeklyHours, parse_day};

fn i64_at(data: &[u8], i: usize) -> i64 {
    let mut b = [0u8; 8];
    for (k, x) in b.iter_mut().enumerate() {
        *x = data.get(i + k).copied().unwrap_or(0);
    }
    i64::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(st) = ItemStatus::parse(s) {
            assert_eq!(ItemStatus::parse(st.as_str()), Ok(st));
        }
        if let Some(c) = RefusalCode::parse(s) {
            assert_eq!(RefusalCode::parse(c.as_str()), Some(c));
        }
        let _ = PatronStatus::parse(s);
        if let Ok(tz) = parse_timezone(s) {
            assert_eq!(parse_timezone(tz.name()), Ok(tz));
        }
        for d in 0..=4 {
            if let Ok(v) = parse_money("f", s, d) {
                assert_eq!(parse_money("f", &format_money(v, d), d), Ok(v));
            }
        }
        let f: Vec<&str> = s.split('|').collect();
        let g = |i: usize| f.get(i).copied().unwrap_or("").to_owned();
        let form = PolicyForm {
            circulates: true,
            loan_period: g(0),
            loan_unit: g(1),
            renewals_allowed: g(2),
            renewal_period: g(3),
            fine_amount: g(4),
            fine_interval: g(5),
            max_fine: g(6),
            grace_periods: g(7),
            grace_mode: g(8),
            hold_shelf_open_days: g(9),
            due_on_closed_day: g(10),
            lost_after_days: g(11),
            ..Default::default()
        };
        if let Ok(p) = form.parse(2) {
            assert_eq!(PolicyForm::from_policy(&p, 2).parse(2), Ok(p));
        }
        let _ = parse_rule_key(&g(0), &g(1), &g(2));
    }
    // Structured part: instants, periods and a calendar from the bytes.
    if data.len() < 24 {
        return;
    }
    let lo = chrono::DateTime::<chrono::Utc>::MIN_UTC.timestamp();
    let hi = chrono::DateTime::<chrono::Utc>::MAX_UTC.timestamp();
    let t = |v: i64| {
        chrono::DateTime::<chrono::Utc>::from_timestamp(v.clamp(lo, hi), 0).unwrap_or_default()
    };
    let a = t(i64_at(data, 0));
    let b = t(i64_at(data, 8));
    let n = u32::from_le_bytes([data[16], data[17], data[18], data[19]]);
    let flags = data[20];
    let open_days = data[21];
    let intervals: Vec<OpeningInterval> = (0..7u8)
        .filter(|d| open_days & (1 << d) != 0)
        .filter_map(|d| parse_day(d, "09:00", "17:00").ok().flatten())
        .collect();
    let Ok(hours) = WeeklyHours::new(intervals) else {
        return;
    };
    let tz = if flags & 1 == 0 {
        chrono_tz::Asia::Manila
    } else {
        chrono_tz::America::New_York
    };
    let cal = BranchCalendar::new(hours, [], tz);
    let policy = Policy {
        loan_period: if flags & 2 == 0 {
            LoanPeriod::Days(n)
        } else {
            LoanPeriod::Hours(n)
        },
        fine_per_interval: i64::from(data[22]) * 25,
        fine_interval: if flags & 4 == 0 {
            FineInterval::Day
        } else {
            FineInterval::Hour
        },
        max_fine: (flags & 8 != 0).then_some(i64::from(data[23]) * 100),
        grace_periods: u32::from(flags >> 4),
        ..Policy::book_default()
    };
    let d = due_date(a, &policy, &cal, None);
    assert!(d.due_at >= a);
    let f = overdue_fine(a, b, &policy, &cal, flags & 16 != 0);
    assert!(f.amount >= 0);
    if let Some(m) = policy.max_fine {
        assert!(f.amount <= m);
    }
});
