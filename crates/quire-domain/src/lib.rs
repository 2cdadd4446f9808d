//! Quire's library vocabulary and rules.
//!
//! Pure code only: no I/O, no clock, no database. Time is always passed in.
//! Types here are "parsed, not validated": a value of `Username`, `Code`,
//! `Isbn` or `CallNumber` is always well-formed, so the layers above never
//! re-check.

pub mod callnumber;
pub mod circ;
pub mod error;
pub mod ident;
pub mod locale;
pub mod notice;
pub mod org;
pub mod patron;
pub mod shelf;
pub mod staff;

pub use error::{FieldError, Invalid};
pub use locale::Locale;
