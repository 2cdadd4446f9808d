//! Organisation: libraries (a tree of consortium → system → branch),
//! opening hours and shelving locations.

use crate::error::{FieldError, Invalid, optional_text, text};

/// Short code of a library unit or location: 2–16 characters, upper-case
/// ASCII letters, digits, `-` and `_` (as printed on slips and sent over SIP2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(String);

impl Code {
    pub fn parse(field: &'static str, raw: &str) -> Result<Code, FieldError> {
        let t = raw.trim().to_ascii_uppercase();
        if t.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if t.len() < 2 {
            return Err(FieldError::new(field, "too-short").with_arg(2));
        }
        if t.len() > 16 {
            return Err(FieldError::new(field, "too-long").with_arg(16));
        }
        if !t
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(FieldError::new(field, "code-characters"));
        }
        Ok(Code(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The level of a unit in the organisation tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Consortium,
    System,
    Branch,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Consortium => "consortium",
            UnitKind::System => "system",
            UnitKind::Branch => "branch",
        }
    }
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "consortium" => Ok(UnitKind::Consortium),
            "system" => Ok(UnitKind::System),
            "branch" => Ok(UnitKind::Branch),
            _ => Err(FieldError::new("kind", "invalid-choice")),
        }
    }
}

/// A validated new or edited branch (library unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchInput {
    pub code: Code,
    pub name: String,
    pub kind: UnitKind,
    /// IANA time zone name, e.g. `Asia/Manila`.
    pub timezone: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Raw form/API fields for a branch, before validation.
#[derive(Debug, Clone, Default)]
pub struct BranchForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub timezone: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

impl BranchForm {
    /// Validates every field, collecting all errors at once.
    pub fn parse(&self) -> Result<BranchInput, Invalid> {
        let mut inv = Invalid::default();
        let code = inv.check(Code::parse("code", &self.code));
        let name = inv.check(text("name", &self.name, 2, 120));
        let kind = if self.kind.trim().is_empty() {
            Some(UnitKind::Branch)
        } else {
            inv.check(UnitKind::parse(&self.kind))
        };
        let timezone = inv.check(timezone(&self.timezone));
        let address = inv.check(optional_text("address", &self.address, 400));
        let phone = inv.check(optional_text("phone", &self.phone, 40));
        let email = inv.check(optional_email("email", &self.email));
        match (code, name, kind, timezone, address, phone, email) {
            (
                Some(code),
                Some(name),
                Some(kind),
                Some(timezone),
                Some(address),
                Some(phone),
                Some(email),
            ) if inv.is_empty() => Ok(BranchInput {
                code,
                name,
                kind,
                timezone,
                address,
                phone,
                email,
            }),
            _ => Err(inv),
        }
    }
}

/// Checks the shape of an IANA time zone name (`Area/City`, or `UTC`).
/// The service layer additionally resolves it against the time zone database.
pub fn timezone(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok("UTC".to_owned());
    }
    let ok_chars = t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'));
    if !ok_chars || t.len() > 64 || t.starts_with('/') || t.ends_with('/') {
        return Err(FieldError::new("timezone", "invalid-timezone"));
    }
    Ok(t.to_owned())
}

/// A lenient e-mail check: one `@`, something on both sides, a dot in the
/// domain, no spaces. Real verification is sending mail.
pub fn optional_email(field: &'static str, raw: &str) -> Result<Option<String>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let valid = t.len() <= 254
        && !t.chars().any(char::is_whitespace)
        && match t.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
    if valid {
        Ok(Some(t.to_owned()))
    } else {
        Err(FieldError::new(field, "invalid-email"))
    }
}

/// Minutes since local midnight, 0..=1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime(u16);

impl LocalTime {
    /// Parses `HH:MM` (24-hour; `24:00` allowed as end of day).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
        let t = raw.trim();
        let (h, m) = t
            .split_once(':')
            .ok_or_else(|| FieldError::new(field, "invalid-time"))?;
        let h: u16 = h
            .parse()
            .map_err(|_| FieldError::new(field, "invalid-time"))?;
        let m: u16 = m
            .parse()
            .map_err(|_| FieldError::new(field, "invalid-time"))?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) || t.len() > 5 {
            return Err(FieldError::new(field, "invalid-time"));
        }
        Ok(LocalTime(h * 60 + m))
    }
    pub fn from_minutes(m: u16) -> Option<Self> {
        (m <= 1440).then_some(LocalTime(m))
    }
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One opening interval on a weekday (0 = Monday … 6 = Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningInterval {
    pub weekday: u8,
    pub opens: LocalTime,
    pub closes: LocalTime,
}

/// A branch's weekly opening hours: zero or more non-overlapping intervals per
/// weekday (a day without intervals is closed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours(Vec<OpeningInterval>);

impl WeeklyHours {
    /// Validates intervals: weekday 0..=6, opens < closes, no overlaps.
    pub fn new(mut intervals: Vec<OpeningInterval>) -> Result<Self, FieldError> {
        for i in &intervals {
            if i.weekday > 6 {
                return Err(FieldError::new("weekday", "invalid-choice"));
            }
            if i.opens >= i.closes {
                return Err(FieldError::new("closes", "closes-before-opens"));
            }
        }
        intervals.sort_by_key(|i| (i.weekday, i.opens));
        for w in intervals.windows(2) {
            if w[0].weekday == w[1].weekday && w[1].opens < w[0].closes {
                return Err(FieldError::new("opens", "hours-overlap"));
            }
        }
        Ok(WeeklyHours(intervals))
    }
    pub fn intervals(&self) -> &[OpeningInterval] {
        &self.0
    }
    /// Intervals of one weekday (0 = Monday).
    pub fn on(&self, weekday: u8) -> impl Iterator<Item = &OpeningInterval> {
        self.0.iter().filter(move |i| i.weekday == weekday)
    }
    /// Whether the library is open on `weekday` at local time `t`.
    pub fn is_open_at(&self, weekday: u8, t: LocalTime) -> bool {
        self.on(weekday).any(|i| i.opens <= t && t < i.closes)
    }
}

/// Parses one row of the opening-hours form: either both times empty
/// (closed) or both valid.
pub fn parse_day(
    weekday: u8,
    opens: &str,
    closes: &str,
) -> Result<Option<OpeningInterval>, FieldError> {
    if opens.trim().is_empty() && closes.trim().is_empty() {
        return Ok(None);
    }
    let o = LocalTime::parse("opens", opens)?;
    let c = LocalTime::parse("closes", closes)?;
    if o >= c {
        return Err(FieldError::new("closes", "closes-before-opens"));
    }
    Ok(Some(OpeningInterval {
        weekday,
        opens: o,
        closes: c,
    }))
}

/// A validated shelving location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationInput {
    pub code: Code,
    pub name: String,
    pub circulates: bool,
    pub holdable: bool,
    pub public: bool,
}

impl LocationInput {
    pub fn parse(
        code: &str,
        name: &str,
        circulates: bool,
        holdable: bool,
        public: bool,
    ) -> Result<Self, Invalid> {
        let mut inv = Invalid::default();
        let code = inv.check(Code::parse("code", code));
        let name = inv.check(text("name", name, 2, 120));
        match (code, name) {
            (Some(code), Some(name)) => Ok(LocationInput {
                code,
                name,
                circulates,
                holdable,
                public,
            }),
            _ => Err(inv),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(Code::parse("code", " main ").unwrap().as_str(), "MAIN");
        assert_eq!(Code::parse("code", "M").unwrap_err().code, "too-short");
        assert_eq!(
            Code::parse("code", "a b").unwrap_err().code,
            "code-characters"
        );
        assert_eq!(Code::parse("code", "").unwrap_err().code, "required");
    }

    #[test]
    fn branch_form_collects_every_error() {
        let f = BranchForm {
            code: "x".into(),
            name: "".into(),
            email: "not-an-email".into(),
            timezone: "Asia/Manila".into(),
            ..Default::default()
        };
        let err = f.parse().unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["code", "name", "email"]);
        let ok = BranchForm {
            code: "main".into(),
            name: "Main Library".into(),
            timezone: "".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.timezone, "UTC");
        assert_eq!(ok.kind, UnitKind::Branch);
    }

    #[test]
    fn hours_validate() {
        assert_eq!(LocalTime::parse("opens", "09:30").unwrap().minutes(), 570);
        assert!(LocalTime::parse("opens", "24:00").is_ok());
        assert!(LocalTime::parse("opens", "24:01").is_err());
        assert!(LocalTime::parse("opens", "9h").is_err());
        assert_eq!(parse_day(0, "", "").unwrap(), None);
        assert_eq!(
            parse_day(0, "17:00", "09:00").unwrap_err().code,
            "closes-before-opens"
        );
        let a = parse_day(1, "09:00", "12:00").unwrap().unwrap();
        let b = parse_day(1, "11:00", "17:00").unwrap().unwrap();
        assert_eq!(
            WeeklyHours::new(vec![a, b]).unwrap_err().code,
            "hours-overlap"
        );
        let c = parse_day(1, "13:00", "17:00").unwrap().unwrap();
        let h = WeeklyHours::new(vec![c, a]).unwrap();
        assert!(h.is_open_at(1, LocalTime::parse("t", "10:00").unwrap()));
        assert!(!h.is_open_at(1, LocalTime::parse("t", "12:30").unwrap()));
        assert!(!h.is_open_at(2, LocalTime::parse("t", "10:00").unwrap()));
    }

    #[test]
    fn emails() {
        assert_eq!(optional_email("email", "").unwrap(), None);
        assert!(optional_email("email", "ana@lib.ph").unwrap().is_some());
        for bad in ["ana", "ana@", "@lib.ph", "ana@lib", "a b@lib.ph", "a@b@c.d"] {
            assert!(optional_email("email", bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn time_parse_never_panics(s in ".*") { let _ = LocalTime::parse("t", &s); }
        #[test]
        fn time_roundtrip(m in 0u16..=1440) {
            let t = LocalTime::from_minutes(m).unwrap();
            prop_assert_eq!(LocalTime::parse("t", &t.to_string()).unwrap(), t);
        }
    }
}
