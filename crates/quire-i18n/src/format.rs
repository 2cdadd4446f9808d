//! Locale-aware formatting of dates, times and numbers for the three
//! interface languages. Patterns follow CLDR (medium date, short time,
//! decimal symbols); month names come from the resource files so that
//! translators own them.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use quire_domain::Locale;

use crate::I18n;

/// Decimal and grouping separators (CLDR): en/fil `1,234.5`, vi `1.234,5`.
fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::Vi => (',', '.'),
        Locale::En | Locale::Fil => ('.', ','),
    }
}

/// An integer with grouping separators.
pub fn integer(locale: Locale, n: i64) -> String {
    let (_, group) = separators(locale);
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

/// A fixed-point amount given in hundredths (money): `123456` → `1,234.56`.
pub fn hundredths(locale: Locale, n: i64) -> String {
    let (dec, _) = separators(locale);
    let whole = integer(locale, (n / 100).abs());
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{whole}{dec}{:02}", (n % 100).abs())
}

/// A calendar date, CLDR medium form: en `Nov 30, 2026`, fil `Nob 30, 2026`,
/// vi `30 thg 11, 2026`.
pub fn date(i18n: &I18n, locale: Locale, d: NaiveDate) -> String {
    let month = i18n.s(locale, &format!("month-short-{}", d.month()));
    match locale {
        Locale::Vi => format!("{} {}, {}", d.day(), month, d.year()),
        Locale::En | Locale::Fil => format!("{} {}, {}", month, d.day(), d.year()),
    }
}

/// A time of day, CLDR short form: en/fil `9:05 PM`, vi `21:05`.
pub fn time(i18n: &I18n, locale: Locale, hour: u32, minute: u32) -> String {
    match locale {
        Locale::Vi => format!("{hour:02}:{minute:02}"),
        Locale::En | Locale::Fil => {
            let h12 = match hour % 12 {
                0 => 12,
                h => h,
            };
            let ampm = i18n.s(locale, if hour < 12 { "time-am" } else { "time-pm" });
            format!("{h12}:{minute:02} {ampm}")
        }
    }
}

/// Date and time (already in the library's local time).
pub fn datetime(i18n: &I18n, locale: Locale, t: NaiveDateTime) -> String {
    let d = date(i18n, locale, t.date());
    let tm = time(i18n, locale, t.hour(), t.minute());
    match locale {
        Locale::Vi => format!("{tm} {d}"),
        Locale::En | Locale::Fil => format!("{d}, {tm}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_per_locale() {
        assert_eq!(integer(Locale::En, 1234567), "1,234,567");
        assert_eq!(integer(Locale::Vi, 1234567), "1.234.567");
        assert_eq!(integer(Locale::Fil, -1234), "-1,234");
        assert_eq!(integer(Locale::En, 999), "999");
        assert_eq!(integer(Locale::En, i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(hundredths(Locale::En, 123456), "1,234.56");
        assert_eq!(hundredths(Locale::Vi, 123456), "1.234,56");
        assert_eq!(hundredths(Locale::En, -5), "-0.05");
    }

    #[test]
    fn dates_per_locale() {
        let i = I18n::load().unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date(&i, Locale::En, d), "Nov 30, 2026");
        assert_eq!(date(&i, Locale::Fil, d), "Nob 30, 2026");
        assert_eq!(date(&i, Locale::Vi, d), "30 thg 11, 2026");
        let t = d.and_hms_opt(21, 5, 0).unwrap();
        assert_eq!(datetime(&i, Locale::En, t), "Nov 30, 2026, 9:05 PM");
        assert_eq!(datetime(&i, Locale::Vi, t), "21:05 30 thg 11, 2026");
        assert_eq!(time(&i, Locale::Fil, 0, 7), "12:07 AM");
    }
}
