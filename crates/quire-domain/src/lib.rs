//! Quire's library vocabulary and rules.
//!
//! Pure code only: no I/O, no clock, no database. Time is always passed in.

pub mod callnumber;
pub mod ident;
