//! The 18-character SIP2 date/time: `YYYYMMDDZZZZHHMMSS`.

use std::fmt;

/// Time zone part (`ZZZZ`) of a SIP2 date.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SipZone {
    /// Four blanks: local time of the sender.
    Local,
    /// `   Z`: UTC.
    Utc,
    /// Anything else, kept verbatim (4 characters).
    Other(String),
}

/// The parsed components of a SIP2 date/time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SipDateParts {
    /// Year (4 digits).
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31 (checked against the month, leap years included).
    pub day: u8,
    /// Hour 0-23.
    pub hour: u8,
    /// Minute 0-59.
    pub minute: u8,
    /// Second 0-60 (60 allows a leap second).
    pub second: u8,
    /// Time zone.
    pub zone: SipZone,
}

/// A SIP2 date/time field: keeps the raw 18 characters and, when they form
/// a valid date, its parsed parts. Eighteen blanks mean "no date".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SipDateTime {
    raw: String,
    parts: Option<SipDateParts>,
}

/// Why a string is not usable as an 18-character SIP2 date field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFieldError(pub String);

impl fmt::Display for DateFieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateFieldError {}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            if leap { 29 } else { 28 }
        }
        _ => 0,
    }
}

fn num(s: &str) -> Option<u16> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

impl SipDateTime {
    /// The blank date (18 spaces), used e.g. for an absent "nb due date".
    pub fn blank() -> SipDateTime {
        SipDateTime {
            raw: " ".repeat(18),
            parts: None,
        }
    }

    /// Builds a date from components; `None` if they are not a valid date.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        zone: SipZone,
    ) -> Option<SipDateTime> {
        let zone_text = match &zone {
            SipZone::Local => "    ".to_string(),
            SipZone::Utc => "   Z".to_string(),
            SipZone::Other(z) => z.clone(),
        };
        let raw = format!("{year:04}{month:02}{day:02}{zone_text}{hour:02}{minute:02}{second:02}");
        let parsed = SipDateTime::from_raw(&raw).ok()?;
        let expected = SipDateParts {
            year,
            month,
            day,
            hour,
            minute,
            second,
            zone,
        };
        (parsed.parts.as_ref() == Some(&expected)).then_some(parsed)
    }

    /// Wraps 18 raw characters from the wire. Fails only if `raw` is not
    /// exactly 18 ASCII characters; an unparseable date is kept raw.
    pub fn from_raw(raw: &str) -> Result<SipDateTime, DateFieldError> {
        if raw.len() != 18 || !raw.is_ascii() {
            return Err(DateFieldError(format!(
                "a date/time must be 18 ASCII characters, got {:?}",
                raw
            )));
        }
        let parts = Self::parse_parts(raw);
        Ok(SipDateTime {
            raw: raw.to_string(),
            parts,
        })
    }

    fn parse_parts(raw: &str) -> Option<SipDateParts> {
        let year = num(raw.get(0..4)?)?;
        let month = u8::try_from(num(raw.get(4..6)?)?).ok()?;
        let day = u8::try_from(num(raw.get(6..8)?)?).ok()?;
        let zone_text = raw.get(8..12)?;
        let hour = u8::try_from(num(raw.get(12..14)?)?).ok()?;
        let minute = u8::try_from(num(raw.get(14..16)?)?).ok()?;
        let second = u8::try_from(num(raw.get(16..18)?)?).ok()?;
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let zone = match zone_text {
            "    " => SipZone::Local,
            "   Z" => SipZone::Utc,
            other => SipZone::Other(other.to_string()),
        };
        Some(SipDateParts {
            year,
            month,
            day,
            hour,
            minute,
            second,
            zone,
        })
    }

    /// The 18 characters as on the wire.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The parsed components, when the raw text is a valid date.
    pub fn parts(&self) -> Option<&SipDateParts> {
        self.parts.as_ref()
    }

    /// True for 18 blanks (no date given).
    pub fn is_blank(&self) -> bool {
        self.raw.bytes().all(|b| b == b' ')
    }
}

/// How the free-text AH due date is written (a per-account setting: some
/// self-check vendors display it verbatim, others parse a SIP date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DueDateFormat {
    /// The 18-character SIP date, `YYYYMMDDZZZZHHMMSS`.
    #[default]
    Sip,
    /// ISO 8601, `YYYY-MM-DD HH:MM:SS` (plus `Z` when the date is UTC).
    Iso,
    /// ISO 8601 date only, `YYYY-MM-DD`.
    IsoDate,
}

impl DueDateFormat {
    /// Writes `date` in this format. A date that does not parse is written raw.
    pub fn format(self, date: &SipDateTime) -> String {
        let Some(p) = date.parts() else {
            return date.raw().to_string();
        };
        match self {
            DueDateFormat::Sip => date.raw().to_string(),
            DueDateFormat::Iso => {
                let z = if p.zone == SipZone::Utc { "Z" } else { "" };
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}{z}",
                    p.year, p.month, p.day, p.hour, p.minute, p.second
                )
            }
            DueDateFormat::IsoDate => format!("{:04}-{:02}-{:02}", p.year, p.month, p.day),
        }
    }
}

impl Default for SipDateTime {
    fn default() -> Self {
        SipDateTime::blank()
    }
}

impl fmt::Display for SipDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_local_and_utc() {
        let d = SipDateTime::from_raw("20260115    101530").unwrap();
        let p = d.parts().unwrap();
        assert_eq!(
            (p.year, p.month, p.day, p.hour, p.minute, p.second),
            (2026, 1, 15, 10, 15, 30)
        );
        assert_eq!(p.zone, SipZone::Local);
        let d = SipDateTime::from_raw("20260115   Z101530").unwrap();
        assert_eq!(d.parts().unwrap().zone, SipZone::Utc);
        let d = SipDateTime::from_raw("20260115 EST101530").unwrap();
        assert_eq!(d.parts().unwrap().zone, SipZone::Other(" EST".into()));
    }

    #[test]
    fn keeps_unparseable_raw() {
        let d = SipDateTime::from_raw("20260230    101530").unwrap();
        assert!(d.parts().is_none());
        assert_eq!(d.raw(), "20260230    101530");
        let b = SipDateTime::from_raw(&" ".repeat(18)).unwrap();
        assert!(b.is_blank() && b.parts().is_none());
        assert!(SipDateTime::from_raw("2026").is_err());
        assert!(SipDateTime::from_raw("2026011é    10153").is_err());
    }

    #[test]
    fn new_validates() {
        assert!(SipDateTime::new(2024, 2, 29, 0, 0, 0, SipZone::Local).is_some());
        assert!(SipDateTime::new(2023, 2, 29, 0, 0, 0, SipZone::Local).is_none());
        assert!(SipDateTime::new(2023, 1, 1, 24, 0, 0, SipZone::Utc).is_none());
        assert_eq!(
            SipDateTime::new(2023, 1, 2, 3, 4, 5, SipZone::Utc)
                .unwrap()
                .raw(),
            "20230102   Z030405"
        );
    }

    #[test]
    fn due_date_formats() {
        let d = SipDateTime::from_raw("20260205   Z235900").unwrap();
        assert_eq!(DueDateFormat::Sip.format(&d), "20260205   Z235900");
        assert_eq!(DueDateFormat::Iso.format(&d), "2026-02-05 23:59:00Z");
        assert_eq!(DueDateFormat::IsoDate.format(&d), "2026-02-05");
        let local = SipDateTime::from_raw("20260205    235900").unwrap();
        assert_eq!(DueDateFormat::Iso.format(&local), "2026-02-05 23:59:00");
        assert_eq!(
            DueDateFormat::Iso.format(&SipDateTime::blank()),
            " ".repeat(18)
        );
    }

    proptest! {
        #[test]
        fn from_raw_never_panics(s in "\\PC{0,20}") {
            let _ = SipDateTime::from_raw(&s);
        }

        #[test]
        fn new_round_trips(y in 0u16..10000, mo in 1u8..13, d in 1u8..29, h in 0u8..24, mi in 0u8..60, s in 0u8..60, utc: bool) {
            let zone = if utc { SipZone::Utc } else { SipZone::Local };
            let dt = SipDateTime::new(y, mo, d, h, mi, s, zone);
            prop_assert!(dt.is_some());
            let dt = dt.unwrap_or_default();
            let again = SipDateTime::from_raw(dt.raw());
            prop_assert_eq!(again, Ok(dt));
        }
    }
}
