//! Patrons (borrowers): registration input and its validation.

use chrono::NaiveDate;

use crate::Locale;
use crate::error::{FieldError, Invalid, optional_text, text};
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
