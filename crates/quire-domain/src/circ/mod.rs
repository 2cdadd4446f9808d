//! Circulation rules as pure functions. See `ARCHITECTURE.md` in this
//! directory.

pub mod blocks;
pub mod calendar;
pub mod decide;
pub mod fines;
pub mod form;
pub mod holds;
pub mod policy;
pub mod status;
