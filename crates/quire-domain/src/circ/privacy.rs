//! Patron privacy (domain.md §20): when the link between a patron and a
//! returned loan must be broken. The nightly job loads closed loans and
//! anonymises those for which [`must_anonymise`] is true; statistics keep
//! the item side only.

use chrono::{DateTime, Duration, Utc};

/// The patron category's retention setting and the patron's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days a closed, settled loan keeps its patron link (0 = anonymise at
    /// the first run after settlement).
    pub keep_days: u32,
    /// The patron opted in to keep a reading history.
    pub patron_keeps_history: bool,
}

/// A closed loan as seen by the anonymisation job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClosedLoan {
    /// When the item came back.
    pub returned_at: DateTime<Utc>,
    /// Every charge of the loan is paid, waived or written off.
    pub settled: bool,
    /// Already anonymised.
    pub anonymised: bool,
}

/// Whether the loan's patron link must be removed at `now`: returned,
/// settled (the library still needs to know who owes for it), not kept by
/// the patron's own choice, and older than the retention period.
pub fn must_anonymise(loan: &ClosedLoan, retention: Retention, now: DateTime<Utc>) -> bool {
    if loan.anonymised || !loan.settled || retention.patron_keeps_history {
        return false;
    }
    let keep = Duration::days(i64::from(retention.keep_days));
    now.signed_duration_since(loan.returned_at) >= keep
}

/// How a patron appears on a hold slip left on an open shelf: enough for
/// staff to match the patron at pickup, not enough for passers-by to read
/// who reads what. `name`: the surname's first four letters in capitals and
/// the initials of the other names (`SANT M.C.`); `card`: the last four
/// characters of the card number after an ellipsis (`…0019`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SlipPatron {
    /// Shortened name.
    pub name: String,
    /// Shortened card number.
    pub card: String,
}

/// [`SlipPatron`] of a patron whose full name is `given` + `surname`.
pub fn slip_patron(given: &str, surname: &str, card: &str) -> SlipPatron {
    let short: String = surname
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(4)
        .flat_map(char::to_uppercase)
        .collect();
    let initials: String = given
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(|c| c.to_uppercase().chain(std::iter::once('.')))
        .collect();
    let name = match (short.is_empty(), initials.is_empty()) {
        (false, false) => format!("{short} {initials}"),
        (false, true) => short,
        (true, _) => initials,
    };
    let chars: Vec<char> = card.trim().chars().collect();
    let card = if chars.len() <= 4 {
        chars.iter().collect()
    } else {
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("…{tail}")
    };
    SlipPatron { name, card }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slip_patron_shortens_name_and_card() {
        assert_eq!(
            slip_patron("Maria Clara", "Santos", "29990000000019"),
            SlipPatron {
                name: "SANT M.C.".into(),
                card: "…0019".into()
            }
        );
        // Accents and short names survive; nothing to hide in a short card.
        let p = slip_patron("ánh", "Lê", "123");
        assert_eq!(p.name, "LÊ Á.");
        assert_eq!(p.card, "123");
        assert_eq!(slip_patron("", "", "").name, "");
        assert_eq!(slip_patron("Ana", "", "12345").card, "…2345");
    }

    #[test]
    fn anonymisation_rules() {
        let t = DateTime::<Utc>::from_timestamp(1_764_000_000, 0).unwrap();
        let loan = ClosedLoan {
            returned_at: t,
            settled: true,
            anonymised: false,
        };
        let r = Retention {
            keep_days: 30,
            patron_keeps_history: false,
        };
        assert!(!must_anonymise(&loan, r, t + Duration::days(29)));
        assert!(must_anonymise(&loan, r, t + Duration::days(30)));
        let unsettled = ClosedLoan {
            settled: false,
            ..loan
        };
        assert!(!must_anonymise(&unsettled, r, t + Duration::days(400)));
        let keeps = Retention {
            patron_keeps_history: true,
            ..r
        };
        assert!(!must_anonymise(&loan, keeps, t + Duration::days(400)));
        let done = ClosedLoan {
            anonymised: true,
            ..loan
        };
        assert!(!must_anonymise(&done, r, t + Duration::days(400)));
        let immediate = Retention { keep_days: 0, ..r };
        assert!(must_anonymise(&loan, immediate, t));
    }
}
