//! Circulation rules as pure functions: item statuses and their protocol
//! mappings, the policy matrix, branch calendars and due dates, fines,
//! holds queues, patron blocks, and the checkout / renew / hold / checkin
//! decisions that the desk, SIP2 and the OPAC share.
//!
//! No I/O and no clock: the service layer loads rows, builds the snapshot
//! structs, passes `now`, and writes back what the decision says. Every
//! code in a refusal, block or explanation is a stable kebab-case string
//! with named arguments (for translations and protocol mappings), never
//! English text. See `ARCHITECTURE.md` in this directory for the module
//! map, the rules and the invariants.
//!
//! | module | what |
//! |---|---|
//! | [`status`] | `ItemStatus` + flags, storage strings, SIP2 status, transitions |
//! | [`policy`] | the matrix: `Rule`, `resolve`, explain trace |
//! | [`calendar`] | `BranchCalendar`, `due_date`, open days, closure reshift |
//! | [`fines`] | `overdue_fine` |
//! | [`holds`] | queue order, `next_hold_for_item`, shelf expiry |
//! | [`blocks`] | automatic and manual patron blocks, SIP2 patron status |
//! | [`decide`] | `checkout`, `renew`, `place_hold`, `checkin`, `route_item`, escalation |
//! | [`form`] | admin form parsing of policies and rule keys, money amounts |
//! | [`privacy`] | when to anonymise returned loans |

#![warn(missing_docs)]

pub mod blocks;
pub mod calendar;
pub mod decide;
pub mod fines;
pub mod form;
pub mod holds;
pub mod policy;
pub mod privacy;
pub mod status;
