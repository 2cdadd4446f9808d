//! Circulation rules as pure functions. See `ARCHITECTURE.md` in this
//! directory.

pub mod calendar;
pub mod policy;
pub mod status;
