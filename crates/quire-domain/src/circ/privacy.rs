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

#[cfg(test)]
mod tests {
    use super::*;

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
