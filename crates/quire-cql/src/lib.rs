//! Pure query-language crate for Quire's protocol front ends.
//!
//! * [`cql`]: CQL 1.2 / 2.0 (the SRU query language) — [`parse_cql`] turns
//!   text into a [`Query`] AST, `Query`'s `Display` prints it back
//!   (`parse_cql(&q.to_string()) == Ok(q)`), and [`CqlError::diagnostic`]
//!   maps parse errors onto SRU diagnostics.
//! * [`pqf`]: YAZ Prefix Query Format, the textual form of Z39.50 type-1
//!   (RPN) queries — [`pqf::parse_pqf`] and a printer.
//!
//! No I/O, no async, no index mapping: the search service maps these ASTs
//! onto Quire's indexes.

#![warn(missing_docs)]

pub mod cql;
pub mod diagnostic;
pub mod pqf;

pub use cql::ast::{
    BooleanOp, Comparitor, InvalidRawTerm, Modifier, Node, PrefixAssignment, PrefixScope, Query,
    Relation, SERVER_CHOICE, SearchClause, SortKey, Symbol, Term, TermPiece, standard_context_set,
};
pub use cql::error::{CqlError, CqlErrorKind};
pub use cql::parse::{CqlLimits, parse_cql, parse_cql_with_limits};
pub use diagnostic::Diagnostic;
