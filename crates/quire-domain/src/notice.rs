//! Patron notices: what kinds exist, what a notice says (its arguments),
//! and the retry schedule of the sender. Pure: time is passed in.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A kind of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// A loan is due within the configured number of days.
    DueSoon,
    /// A loan is past its due date.
    Overdue,
    /// A hold is waiting on the hold shelf.
    HoldReady,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [
        NoticeKind::DueSoon,
        NoticeKind::Overdue,
        NoticeKind::HoldReady,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::DueSoon => "due-soon",
            NoticeKind::Overdue => "overdue",
            NoticeKind::HoldReady => "hold-ready",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Delivery states of an outbox notice.
pub const STATUSES: &[&str] = &["pending", "sent", "failed", "skipped"];

/// Why a notice was not sent.
pub const SKIP_REASONS: &[&str] = &["no-email"];

/// What a notice says; stored as JSON with the notice and rendered in the
/// patron's language when it is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeArgs {
    pub patron_name: String,
    pub title: String,
    pub item_barcode: String,
    /// Due date of the loan (due-soon, overdue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    /// Pickup branch name (hold-ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_branch: Option<String>,
    /// Last day on the hold shelf (hold-ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_until: Option<DateTime<Utc>>,
}

/// Attempts after which the sender gives up (status `failed`).
pub const MAX_ATTEMPTS: i64 = 8;

/// When to try again after the `attempts`-th failed attempt (1-based):
/// 1, 2, 4, … minutes, at most 6 hours; `None` once `MAX_ATTEMPTS` is reached.
pub fn retry_at(now: DateTime<Utc>, attempts: i64) -> Option<DateTime<Utc>> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let minutes = 2i64.saturating_pow(exp).min(6 * 60);
    Some(now + Duration::minutes(minutes))
}

/// The key that makes a loan notice unique: one per loan, kind and due
/// date (a renewed loan gets new notices for its new due date).
pub fn loan_notice_key(kind: NoticeKind, loan_id: i64, due_at: DateTime<Utc>) -> String {
    format!("{}:loan:{loan_id}:{}", kind.as_str(), due_at.timestamp())
}

/// The key of a hold-ready notice: one per hold and shelf time.
pub fn hold_notice_key(hold_id: i64, ready_at: DateTime<Utc>) -> String {
    format!("hold-ready:hold:{hold_id}:{}", ready_at.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn backoff_doubles_caps_and_gives_up() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let mins = |a| retry_at(t, a).map(|r| (r - t).num_minutes());
        assert_eq!(mins(1), Some(1));
        assert_eq!(mins(2), Some(2));
        assert_eq!(mins(3), Some(4));
        assert_eq!(mins(7), Some(64));
        assert_eq!(mins(MAX_ATTEMPTS), None);
        assert_eq!(mins(0), Some(1));
        assert_eq!(mins(i64::MIN), Some(1));
    }

    #[test]
    fn keys_and_kinds() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        assert_ne!(
            loan_notice_key(NoticeKind::DueSoon, 1, t),
            loan_notice_key(NoticeKind::DueSoon, 1, t + Duration::days(7))
        );
        assert_ne!(
            loan_notice_key(NoticeKind::DueSoon, 1, t),
            loan_notice_key(NoticeKind::Overdue, 1, t)
        );
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(NoticeKind::parse("nope"), None);
    }
}
