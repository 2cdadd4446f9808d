//! Patrons (borrowers): registration input and its validation.

use chrono::{Datelike, NaiveDate};

use crate::Locale;
use crate::error::{FieldError, Invalid, optional_text, text};
use crate::ident::{BarcodeScheme, CheckDigit};
use crate::org::optional_email;

/// Patron categories Quire ships with (libraries add rules per category).
pub const CATEGORIES: &[&str] = &["ADULT", "CHILD", "STUDENT", "SENIOR", "STAFF"];

/// A validated registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPatron {
    /// `None`: Quire numbers the card.
    pub barcode: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub category: String,
    pub home_branch: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub preferred_locale: Option<Locale>,
    pub pin: Option<String>,
    pub address: Option<String>,
    /// Parent or guardian (required for juveniles, see [`JUVENILE_AGE`]).
    pub guardian: Option<String>,
    pub notice_pref: NoticePref,
    /// Opted in to keep a reading history.
    pub keep_history: bool,
    /// `None`: the category's default ([`default_expiry`]).
    pub expires_on: Option<NaiveDate>,
}

/// Raw registration fields.
#[derive(Debug, Clone, Default)]
pub struct PatronForm {
    pub barcode: String,
    pub first_name: String,
    pub last_name: String,
    pub category: String,
    pub home_branch: String,
    pub email: String,
    pub phone: String,
    pub birth_date: String,
    pub preferred_locale: String,
    pub pin: String,
    pub address: String,
    pub guardian: String,
    /// `email` (default), `sms`, `print` or `none`.
    pub notice_pref: String,
    /// Checkbox: any of `on`, `true`, `1`, `yes` is checked.
    pub keep_history: String,
    /// `YYYY-MM-DD`; empty: the category's default.
    pub expires_on: String,
}

/// Under this age (in years, on the registration day) a patron needs a
/// guardian on record.
pub const JUVENILE_AGE: u32 = 18;

/// How the patron wants notices (due soon, overdue, hold ready).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoticePref {
    #[default]
    Email,
    Sms,
    Print,
    None,
}

impl NoticePref {
    pub const ALL: [NoticePref; 4] = [
        NoticePref::Email,
        NoticePref::Sms,
        NoticePref::Print,
        NoticePref::None,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            NoticePref::Email => "email",
            NoticePref::Sms => "sms",
            NoticePref::Print => "print",
            NoticePref::None => "none",
        }
    }
    pub fn parse(raw: &str) -> Option<NoticePref> {
        let t = raw.trim().to_ascii_lowercase();
        if t.is_empty() {
            return Some(NoticePref::Email);
        }
        NoticePref::ALL.into_iter().find(|n| n.as_str() == t)
    }
}

/// Membership length of a category in years (cards of juveniles also end
/// on the day they come of age, see [`default_expiry`]).
pub fn membership_years(category: &str) -> i32 {
    match category {
        "CHILD" | "STUDENT" => 1,
        "SENIOR" | "STAFF" => 5,
        _ => 3,
    }
}

/// The card's default expiry for a category registered on `today`: today
/// plus the category's membership years (29 February → 28 February), but
/// not past a juvenile's coming of age.
pub fn default_expiry(
    category: &str,
    birth_date: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    let plus_years = |d: NaiveDate, y: i32| {
        NaiveDate::from_ymd_opt(d.year() + y, d.month(), d.day())
            .or_else(|| NaiveDate::from_ymd_opt(d.year() + y, d.month(), 28))
            .unwrap_or(d)
    };
    let normal = plus_years(today, membership_years(category));
    match birth_date {
        Some(b) if age_on(b, today) < JUVENILE_AGE => {
            let adult = plus_years(b, JUVENILE_AGE as i32);
            if adult > today {
                normal.min(adult)
            } else {
                normal
            }
        }
        _ => normal,
    }
}

/// Age in whole years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth).unwrap_or(0)
}

fn checkbox(raw: &str) -> bool {
    matches!(
        raw.trim().to_ascii_lowercase().as_str(),
        "on" | "true" | "1" | "yes"
    )
}

impl PatronForm {
    /// Validates every field against `today` (no clock here).
    pub fn parse(&self, today: NaiveDate) -> Result<NewPatron, Invalid> {
        let mut inv = Invalid::default();
        let barcode = inv.check(optional_barcode(&self.barcode));
        let first_name = inv.check(text("first_name", &self.first_name, 1, 80));
        let last_name = inv.check(text("last_name", &self.last_name, 1, 80));
        let category = inv.check(category(&self.category));
        let home_branch = inv
            .check(text("home_branch", &self.home_branch, 2, 16).map(|s| s.to_ascii_uppercase()));
        let email = inv.check(optional_email("email", &self.email));
        let phone = inv.check(phone(&self.phone));
        let birth_date = inv.check(birth_date(&self.birth_date, today));
        let preferred_locale = inv.check(if self.preferred_locale.trim().is_empty() {
            Ok(None)
        } else {
            Locale::from_tag(&self.preferred_locale)
                .map(Some)
                .ok_or_else(|| FieldError::new("preferred_locale", "unsupported-language"))
        });
        let pin = inv.check(pin(&self.pin));
        let address = inv.check(optional_text("address", &self.address, 300));
        let guardian = inv.check(optional_text("guardian", &self.guardian, 160));
        // Blank: e-mail notices when there is an address, otherwise none.
        let notice_pref = inv.check(if self.notice_pref.trim().is_empty() {
            Ok(if self.email.trim().is_empty() {
                NoticePref::None
            } else {
                NoticePref::Email
            })
        } else {
            NoticePref::parse(&self.notice_pref)
                .ok_or_else(|| FieldError::new("notice_pref", "invalid-choice"))
        });
        let keep_history = checkbox(&self.keep_history);
        let expires_on = inv.check(expires_on(&self.expires_on, today));
        // Cross-field rules, each reported on the field to fix.
        if let (Some(Some(b)), Some(None)) = (&birth_date, &guardian)
            && age_on(*b, today) < JUVENILE_AGE
        {
            inv.push(FieldError::new("guardian", "guardian-required"));
        }
        match (notice_pref, &email, &phone) {
            (Some(NoticePref::Email), Some(None), _) => {
                inv.push(FieldError::new("email", "required-for-notices"));
            }
            (Some(NoticePref::Sms), _, Some(None)) => {
                inv.push(FieldError::new("phone", "required-for-notices"));
            }
            _ => {}
        }
        let (Some(address), Some(guardian), Some(notice_pref), Some(expires_on)) =
            (address, guardian, notice_pref, expires_on)
        else {
            return Err(inv);
        };
        match (
            barcode,
            first_name,
            last_name,
            category,
            home_branch,
            email,
            phone,
            birth_date,
            preferred_locale,
            pin,
        ) {
            (
                Some(barcode),
                Some(first_name),
                Some(last_name),
                Some(category),
                Some(home_branch),
                Some(email),
                Some(phone),
                Some(birth_date),
                Some(preferred_locale),
                Some(pin),
            ) if inv.is_empty() => Ok(NewPatron {
                barcode,
                first_name,
                last_name,
                category,
                home_branch,
                email,
                phone,
                birth_date,
                preferred_locale,
                pin,
                address,
                guardian,
                notice_pref,
                keep_history,
                expires_on,
            }),
            _ => Err(inv),
        }
    }
}

fn optional_barcode(raw: &str) -> Result<Option<String>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() > 32 || !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FieldError::new("barcode", "barcode-characters"));
    }
    Ok(Some(t.to_owned()))
}

fn category(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim().to_ascii_uppercase();
    if t.is_empty() {
        return Ok("ADULT".into());
    }
    if CATEGORIES.contains(&t.as_str()) {
        Ok(t)
    } else {
        Err(FieldError::new("category", "invalid-choice"))
    }
}

fn phone(raw: &str) -> Result<Option<String>, FieldError> {
    let t = optional_text("phone", raw, 40)?;
    if let Some(p) = &t
        && (!p
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            || p.chars().filter(char::is_ascii_digit).count() < 5)
    {
        return Err(FieldError::new("phone", "invalid-phone"));
    }
    Ok(t)
}

fn birth_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| FieldError::new("birth_date", "invalid-date"))?;
    if d > today {
        return Err(FieldError::new("birth_date", "date-in-future"));
    }
    if today.years_since(d).unwrap_or(0) > 130 {
        return Err(FieldError::new("birth_date", "invalid-date"));
    }
    Ok(Some(d))
}

fn expires_on(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| FieldError::new("expires_on", "invalid-date"))?;
    if today.years_since(d).is_some_and(|y| y > 1) || d.years_since(today).is_some_and(|y| y > 20) {
        return Err(FieldError::new("expires_on", "date-out-of-range"));
    }
    Ok(Some(d))
}

/// A PIN: 4 to 8 digits.
pub fn pin(raw: &str) -> Result<Option<String>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !(4..=8).contains(&t.len()) || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new("pin", "invalid-pin"));
    }
    Ok(Some(t.to_owned()))
}

/// Raw fields of the library-card numbering settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardSchemeForm {
    /// Leading digits of every card (e.g. `21000`: type 2 + institution 1000).
    pub prefix: String,
    /// Total digits, check digit included (6 to 20).
    pub length: String,
    /// `mod10` or `none`.
    pub check: String,
}

impl CardSchemeForm {
    /// The default: 14-digit Codabar, patron type digit 2, institution 1000, mod 10.
    pub fn default_scheme() -> BarcodeScheme {
        BarcodeScheme {
            length: 14,
            prefix: "21000".into(),
            check: CheckDigit::Mod10,
        }
    }

    pub fn from_scheme(s: &BarcodeScheme) -> CardSchemeForm {
        CardSchemeForm {
            prefix: s.prefix.clone(),
            length: s.length.to_string(),
            check: match s.check {
                CheckDigit::Mod10 => "mod10".into(),
                CheckDigit::None => "none".into(),
            },
        }
    }

    /// Validates the settings; the prefix must leave at least 4 digits of sequence.
    pub fn parse(&self) -> Result<BarcodeScheme, Invalid> {
        let mut inv = Invalid::default();
        let prefix = self.prefix.trim().to_owned();
        if prefix.len() > 12 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            inv.push(FieldError::new("prefix", "digits-only"));
        }
        let length = match self.length.trim().parse::<usize>() {
            Ok(n) if (6..=20).contains(&n) => Some(n),
            _ => {
                inv.push(FieldError::new("length", "out-of-range").with_arg("6–20"));
                None
            }
        };
        let check = match self.check.trim() {
            "" | "mod10" => Some(CheckDigit::Mod10),
            "none" => Some(CheckDigit::None),
            _ => {
                inv.push(FieldError::new("check", "invalid-choice"));
                None
            }
        };
        if let (Some(length), Some(check)) = (length, check) {
            let payload = if check == CheckDigit::Mod10 {
                length - 1
            } else {
                length
            };
            if prefix.len() + 4 > payload {
                inv.push(FieldError::new("prefix", "prefix-too-long"));
            }
            if inv.is_empty() {
                return Ok(BarcodeScheme {
                    length,
                    prefix,
                    check,
                });
            }
        }
        Err(inv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn valid_registration() {
        let p = PatronForm {
            first_name: " Maria ".into(),
            last_name: "Dela Cruz".into(),
            home_branch: "main".into(),
            email: "maria@example.ph".into(),
            phone: "+63 917 123 4567".into(),
            birth_date: "1990-05-01".into(),
            preferred_locale: "tl".into(),
            pin: "1234".into(),
            ..Default::default()
        }
        .parse(today())
        .unwrap();
        assert_eq!(p.first_name, "Maria");
        assert_eq!(p.category, "ADULT");
        assert_eq!(p.home_branch, "MAIN");
        assert_eq!(p.preferred_locale, Some(Locale::Fil));
    }

    #[test]
    fn every_bad_field_is_named() {
        let err = PatronForm {
            barcode: "12 34".into(),
            category: "ALIEN".into(),
            email: "x@".into(),
            phone: "call me".into(),
            birth_date: "2030-01-01".into(),
            preferred_locale: "de".into(),
            pin: "12".into(),
            ..Default::default()
        }
        .parse(today())
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("barcode", "barcode-characters"),
                ("first_name", "required"),
                ("last_name", "required"),
                ("category", "invalid-choice"),
                ("home_branch", "required"),
                ("email", "invalid-email"),
                ("phone", "invalid-phone"),
                ("birth_date", "date-in-future"),
                ("preferred_locale", "unsupported-language"),
                ("pin", "invalid-pin"),
            ]
        );
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn adult() -> PatronForm {
        PatronForm {
            first_name: "Tran".into(),
            last_name: "Van An".into(),
            home_branch: "MAIN".into(),
            ..Default::default()
        }
    }

    #[test]
    fn juveniles_need_a_guardian() {
        let today = day(2026, 11, 30);
        let child = PatronForm {
            birth_date: "2015-02-01".into(),
            category: "CHILD".into(),
            ..adult()
        };
        let err = child.parse(today).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(
            (err.0[0].field, err.0[0].code),
            ("guardian", "guardian-required")
        );
        let ok = PatronForm {
            guardian: "Nguyen Thi Mai (mother)".into(),
            ..child
        }
        .parse(today)
        .unwrap();
        assert_eq!(ok.guardian.as_deref(), Some("Nguyen Thi Mai (mother)"));
        // Eighteen today: no guardian needed.
        let eighteen = PatronForm {
            birth_date: "2008-11-30".into(),
            ..adult()
        };
        assert!(eighteen.parse(today).is_ok());
    }

    #[test]
    fn notice_preferences_need_their_channel() {
        let today = day(2026, 11, 30);
        let p = adult().parse(today).unwrap();
        assert_eq!(
            p.notice_pref,
            NoticePref::None,
            "blank without e-mail: none"
        );
        let err = PatronForm {
            notice_pref: "email".into(),
            ..adult()
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(
            (err.0[0].field, err.0[0].code),
            ("email", "required-for-notices")
        );
        let err = PatronForm {
            notice_pref: "sms".into(),
            ..adult()
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(
            (err.0[0].field, err.0[0].code),
            ("phone", "required-for-notices")
        );
        let err = PatronForm {
            notice_pref: "pigeon".into(),
            ..adult()
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(
            (err.0[0].field, err.0[0].code),
            ("notice_pref", "invalid-choice")
        );
        let p = PatronForm {
            email: "an@example.vn".into(),
            keep_history: "on".into(),
            expires_on: "2027-06-30".into(),
            ..adult()
        }
        .parse(today)
        .unwrap();
        assert_eq!(p.notice_pref, NoticePref::Email);
        assert!(p.keep_history);
        assert_eq!(p.expires_on, Some(day(2027, 6, 30)));
        let err = PatronForm {
            expires_on: "30/06/2027".into(),
            ..adult()
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(
            (err.0[0].field, err.0[0].code),
            ("expires_on", "invalid-date")
        );
    }

    #[test]
    fn default_expiry_by_category_and_age() {
        let today = day(2026, 11, 30);
        assert_eq!(default_expiry("ADULT", None, today), day(2029, 11, 30));
        assert_eq!(default_expiry("SENIOR", None, today), day(2031, 11, 30));
        assert_eq!(default_expiry("STUDENT", None, today), day(2027, 11, 30));
        // A 17-year-old's adult card ends on the 18th birthday.
        assert_eq!(
            default_expiry("ADULT", Some(day(2009, 3, 1)), today),
            day(2027, 3, 1)
        );
        // Leap day.
        assert_eq!(
            default_expiry("ADULT", None, day(2028, 2, 29)),
            day(2031, 2, 28)
        );
    }

    #[test]
    fn card_scheme_settings() {
        let s = CardSchemeForm {
            prefix: "21000".into(),
            length: "14".into(),
            check: "mod10".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(s, CardSchemeForm::default_scheme());
        assert_eq!(CardSchemeForm::from_scheme(&s).parse().unwrap(), s);
        let err = CardSchemeForm {
            prefix: "21A".into(),
            length: "3".into(),
            check: "crc".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("prefix", "digits-only"),
                ("length", "out-of-range"),
                ("check", "invalid-choice")
            ]
        );
        let err = CardSchemeForm {
            prefix: "1234567".into(),
            length: "10".into(),
            check: "".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            (err.0[0].field, err.0[0].code),
            ("prefix", "prefix-too-long")
        );
    }

    proptest! {
        /// Every generated card validates, and any single-digit error is caught
        /// by the mod-10 check digit.
        #[test]
        fn check_digit_catches_single_digit_errors(
            seq in 0u64..100_000_000,
            pos in 0usize..14,
            delta in 1u8..10,
        ) {
            let scheme = CardSchemeForm::default_scheme();
            let card = scheme.generate(seq).unwrap();
            prop_assert_eq!(card.len(), 14);
            prop_assert!(scheme.validate(&card).is_ok());
            let mut bytes = card.clone().into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert!(scheme.validate(&typo).is_err(), "{} accepted", typo);
        }

        /// Swapping two adjacent different digits is caught too (except 0↔9,
        /// the known blind spot of Luhn).
        #[test]
        fn check_digit_catches_most_transpositions(seq in 0u64..100_000_000, pos in 5usize..12) {
            let scheme = CardSchemeForm::default_scheme();
            let card = scheme.generate(seq).unwrap();
            let mut b = card.clone().into_bytes();
            let (x, y) = (b[pos], b[pos + 1]);
            prop_assume!(x != y && !matches!((x, y), (b'0', b'9') | (b'9', b'0')));
            b.swap(pos, pos + 1);
            let swapped = String::from_utf8(b).unwrap();
            prop_assert!(scheme.validate(&swapped).is_err());
        }

        #[test]
        fn patron_form_never_panics(
            name in ".{0,100}", date in ".{0,20}", notice in ".{0,10}", exp in ".{0,12}"
        ) {
            let f = PatronForm {
                first_name: name.clone(),
                last_name: name,
                birth_date: date,
                notice_pref: notice,
                expires_on: exp,
                ..Default::default()
            };
            let _ = f.parse(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        }
    }
}
