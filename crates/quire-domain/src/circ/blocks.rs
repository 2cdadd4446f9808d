//! Patron blocks: automatic ones derived from the patron's standing and the
//! category's limits, plus manual staff blocks — each stating, as data, what
//! it stops and whether staff may override it.
//!
//! | block | stops | overridable |
//! |---|---|---|
//! | `card-expired` | checkout, renew, hold | yes |
//! | `card-lost` | checkout, renew, hold | no (the presented card is the lost one) |
//! | `fines-over-limit` | checkout, renew, hold | yes |
//! | `too-many-overdues` | checkout, renew | yes |
//! | `too-many-claims-returned` | checkout, hold | yes |
//! | `manual` | as set by staff | as set by staff |
//!
//! Limits are "over": a balance limit of 1000 blocks at 1001; a maximum of
//! 0 overdues blocks at the first overdue. The card is valid through its
//! expiry day.

use chrono::NaiveDate;

/// What a block stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stops {
    /// Stops checkouts.
    pub checkout: bool,
    /// Stops renewals.
    pub renew: bool,
    /// Stops placing holds.
    pub hold: bool,
}

impl Stops {
    /// Stops everything.
    pub const ALL: Stops = Stops {
        checkout: true,
        renew: true,
        hold: true,
    };
    /// Whether `action` is stopped.
    pub fn stops(self, action: Action) -> bool {
        match action {
            Action::Checkout => self.checkout,
            Action::Renew => self.renew,
            Action::Hold => self.hold,
        }
    }
}

/// A patron action that blocks may stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Borrowing an item.
    Checkout,
    /// Renewing a loan.
    Renew,
    /// Placing a hold.
    Hold,
}

/// Why a patron is blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockReason {
    /// The card's expiry day has passed.
    CardExpired,
    /// The card used was reported lost.
    CardLost,
    /// The balance is over the category's limit.
    FinesOverLimit,
    /// More overdue loans than the category allows.
    TooManyOverdues,
    /// More claims-returned than the category allows.
    TooManyClaimsReturned,
    /// Set by staff.
    Manual,
}

impl BlockReason {
    /// Stable kebab-case code (`block-<code>` for messages).
    pub fn as_str(self) -> &'static str {
        match self {
            BlockReason::CardExpired => "card-expired",
            BlockReason::CardLost => "card-lost",
            BlockReason::FinesOverLimit => "fines-over-limit",
            BlockReason::TooManyOverdues => "too-many-overdues",
            BlockReason::TooManyClaimsReturned => "too-many-claims-returned",
            BlockReason::Manual => "manual",
        }
    }
}

/// One block in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Why.
    pub reason: BlockReason,
    /// What it stops.
    pub stops: Stops,
    /// Staff with permission may override it.
    pub overridable: bool,
    /// Arguments for the message (`limit`, `value`, `expired-on`, `note`).
    pub args: Vec<(&'static str, String)>,
}

/// A block set by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualBlock {
    /// What it stops.
    pub stops: Stops,
    /// Staff with permission may override it.
    pub overridable: bool,
    /// Staff note, shown to staff (not sent over SIP2).
    pub note: String,
    /// Last day in force (`None`: until lifted).
    pub until: Option<NaiveDate>,
}

/// The patron category's limits (`None`: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlockLimits {
    /// Outstanding balance (minor units) above which the patron is blocked.
    pub max_balance: Option<i64>,
    /// Overdue loans above which the patron is blocked.
    pub max_overdues: Option<u32>,
    /// Claims-returned above which the patron is blocked.
    pub max_claims_returned: Option<u32>,
}

/// What the blocks are derived from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatronStanding {
    /// Last valid day of the card / privileges.
    pub expires_on: Option<NaiveDate>,
    /// Outstanding balance in minor units.
    pub balance: i64,
    /// Loans currently overdue.
    pub overdue_count: u32,
    /// Claims-returned on record.
    pub claims_returned_count: u32,
    /// The card used was reported lost.
    pub card_lost: bool,
    /// Manual blocks (expired ones are ignored).
    pub manual: Vec<ManualBlock>,
}

/// All blocks in force on `today` (local date of the branch), automatic
/// ones first in the order of [`BlockReason`], then manual ones.
pub fn patron_blocks(
    standing: &PatronStanding,
    limits: &BlockLimits,
    today: NaiveDate,
) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(exp) = standing.expires_on.filter(|e| *e < today) {
        out.push(Block {
            reason: BlockReason::CardExpired,
            stops: Stops::ALL,
            overridable: true,
            args: vec![("expired-on", exp.to_string())],
        });
    }
    if standing.card_lost {
        out.push(Block {
            reason: BlockReason::CardLost,
            stops: Stops::ALL,
            overridable: false,
            args: Vec::new(),
        });
    }
    if let Some(max) = limits.max_balance.filter(|m| standing.balance > *m) {
        out.push(Block {
            reason: BlockReason::FinesOverLimit,
            stops: Stops::ALL,
            overridable: true,
            args: vec![
                ("limit", max.to_string()),
                ("value", standing.balance.to_string()),
            ],
        });
    }
    if let Some(max) = limits.max_overdues.filter(|m| standing.overdue_count > *m) {
        out.push(Block {
            reason: BlockReason::TooManyOverdues,
            stops: Stops {
                checkout: true,
                renew: true,
                hold: false,
            },
            overridable: true,
            args: vec![
                ("limit", max.to_string()),
                ("value", standing.overdue_count.to_string()),
            ],
        });
    }
    if let Some(max) = limits
        .max_claims_returned
        .filter(|m| standing.claims_returned_count > *m)
    {
        out.push(Block {
            reason: BlockReason::TooManyClaimsReturned,
            stops: Stops {
                checkout: true,
                renew: false,
                hold: true,
            },
            overridable: true,
            args: vec![
                ("limit", max.to_string()),
                ("value", standing.claims_returned_count.to_string()),
            ],
        });
    }
    for m in &standing.manual {
        if m.until.is_some_and(|u| u < today) {
            continue;
        }
        out.push(Block {
            reason: BlockReason::Manual,
            stops: m.stops,
            overridable: m.overridable,
            args: vec![("note", m.note.clone())],
        });
    }
    out
}

/// The SIP2 patron status (messages 24 and 64) as 14 bits, bit `i` =
/// position `i` (the layout of `quire_sip2::PatronStatus::from_bits_truncate`).
/// Positions set here: 0 charge denied, 1 renewal denied, 3 hold denied,
/// 4 card reported lost, 5 too many items charged (`max_loans_reached`),
/// 6 too many overdue, 8 too many claims returned, 10 excessive
/// outstanding fines. Recall (2, 12), renewals (7), lost (9), fees (11)
/// and billed (13) are not modelled and stay clear.
pub fn sip2_patron_status_bits(blocks: &[Block], max_loans_reached: bool) -> u16 {
    let mut bits = 0u16;
    let mut set = |pos: u16, on: bool| {
        if on {
            bits |= 1 << pos;
        }
    };
    for b in blocks {
        set(0, b.stops.checkout);
        set(1, b.stops.renew);
        set(3, b.stops.hold);
        match b.reason {
            BlockReason::CardLost => set(4, true),
            BlockReason::TooManyOverdues => set(6, true),
            BlockReason::TooManyClaimsReturned => set(8, true),
            BlockReason::FinesOverLimit => set(10, true),
            BlockReason::CardExpired | BlockReason::Manual => {}
        }
    }
    set(5, max_loans_reached);
    bits
}

/// The same as a 14-character field (`Y` = set, space = clear).
pub fn sip2_patron_status(blocks: &[Block], max_loans_reached: bool) -> String {
    let bits = sip2_patron_status_bits(blocks, max_loans_reached);
    (0..14)
        .map(|i| if bits & (1 << i) != 0 { 'Y' } else { ' ' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circ::calendar::tests::date;

    fn limits() -> BlockLimits {
        BlockLimits {
            max_balance: Some(50_000),
            max_overdues: Some(3),
            max_claims_returned: Some(2),
        }
    }

    #[test]
    fn good_standing_has_no_blocks() {
        let s = PatronStanding {
            expires_on: Some(date("2026-11-30")),
            balance: 50_000,
            overdue_count: 3,
            claims_returned_count: 2,
            ..Default::default()
        };
        // Valid through the expiry day; limits are "over".
        assert!(patron_blocks(&s, &limits(), date("2026-11-30")).is_empty());
        assert_eq!(sip2_patron_status(&[], false), " ".repeat(14));
    }

    #[test]
    fn automatic_blocks_state_what_they_stop() {
        let s = PatronStanding {
            expires_on: Some(date("2026-11-29")),
            balance: 50_001,
            overdue_count: 4,
            claims_returned_count: 3,
            card_lost: true,
            manual: Vec::new(),
        };
        let b = patron_blocks(&s, &limits(), date("2026-11-30"));
        let reasons: Vec<_> = b.iter().map(|b| b.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "card-expired",
                "card-lost",
                "fines-over-limit",
                "too-many-overdues",
                "too-many-claims-returned"
            ]
        );
        assert!(!b[1].overridable);
        assert!(!b[3].stops.stops(Action::Hold));
        assert!(b[3].stops.stops(Action::Renew));
        assert!(!b[4].stops.stops(Action::Renew));
        assert_eq!(
            b[2].args,
            vec![("limit", "50000".to_owned()), ("value", "50001".to_owned())]
        );
        assert_eq!(sip2_patron_status(&b, true), "YY YYYY Y Y   ");
        assert_eq!(sip2_patron_status_bits(&b, true), 0b101_0111_1011);
    }

    #[test]
    fn manual_blocks_expire_after_their_last_day() {
        let s = PatronStanding {
            manual: vec![
                ManualBlock {
                    stops: Stops {
                        hold: true,
                        ..Stops::default()
                    },
                    overridable: false,
                    note: "ID check".into(),
                    until: Some(date("2026-11-30")),
                },
                ManualBlock {
                    stops: Stops::ALL,
                    overridable: true,
                    note: "old".into(),
                    until: Some(date("2026-11-01")),
                },
            ],
            ..Default::default()
        };
        let b = patron_blocks(&s, &BlockLimits::default(), date("2026-11-30"));
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].reason, BlockReason::Manual);
        assert_eq!(b[0].args, vec![("note", "ID check".to_owned())]);
        assert_eq!(sip2_patron_status(&b, false), "   Y          ");
    }
}
