//! CQL parse errors.

use std::fmt;

use crate::Diagnostic;

/// A CQL parse error: what went wrong and the byte offset in the query
/// where it was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CqlError {
    /// What went wrong.
    pub kind: CqlErrorKind,
    /// Byte offset into the query text.
    pub position: usize,
}

/// Kinds of CQL parse errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CqlErrorKind {
    /// The query is empty or only whitespace.
    EmptyQuery,
    /// The query is longer than [`crate::CqlLimits::max_length`] bytes.
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Parentheses nest deeper than [`crate::CqlLimits::max_depth`].
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// More boolean operators than [`crate::CqlLimits::max_booleans`].
    TooManyBooleans {
        /// The limit.
        max: usize,
    },
    /// A `"` without its closing quote.
    UnterminatedQuote,
    /// A backslash at the very end of the query.
    DanglingEscape,
    /// A `)` with no matching `(`.
    UnmatchedCloseParen,
    /// A `(` whose `)` is missing; `open` is the offset of the `(`.
    MissingCloseParen {
        /// Offset of the unmatched `(`.
        open: usize,
    },
    /// `()`: parentheses with nothing inside.
    EmptyParens,
    /// `sortBy` inside parentheses.
    SortByNotAtTopLevel,
    /// `sortBy` followed by no sort key.
    MissingSortKey,
    /// A token that cannot appear here; `expected` says what could.
    Unexpected {
        /// The offending token as written (`"end of query"` at the end).
        found: String,
        /// What the parser expected.
        expected: &'static str,
    },
}

impl CqlError {
    pub(crate) fn new(kind: CqlErrorKind, position: usize) -> Self {
        CqlError { kind, position }
    }

    /// The SRU diagnostic to report for this error:
    /// 12 (too long), 13 (parentheses), 14 (quotes), 38 (too many
    /// booleans) or 10 (any other syntax error). The details follow the SRU
    /// diagnostics list (maximum for 12/38, offset for 13/14, a message with
    /// the offset for 10).
    pub fn diagnostic(&self) -> Diagnostic {
        use CqlErrorKind::*;
        match &self.kind {
            TooLong { max } => Diagnostic::new(12, Some(max.to_string())),
            TooManyBooleans { max } => Diagnostic::new(38, Some(max.to_string())),
            TooDeep { .. } | UnmatchedCloseParen | MissingCloseParen { .. } | EmptyParens => {
                Diagnostic::new(13, Some(self.position.to_string()))
            }
            UnterminatedQuote => Diagnostic::new(14, Some(self.position.to_string())),
            _ => Diagnostic::syntax_error(self.to_string()),
        }
    }
}

impl fmt::Display for CqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CqlErrorKind::*;
        match &self.kind {
            EmptyQuery => write!(f, "empty query"),
            TooLong { max } => write!(f, "query longer than {max} bytes"),
            TooDeep { max } => write!(
                f,
                "parentheses nested deeper than {max} at byte {}",
                self.position
            ),
            TooManyBooleans { max } => write!(
                f,
                "more than {max} boolean operators (at byte {})",
                self.position
            ),
            UnterminatedQuote => write!(
                f,
                "unterminated quoted string starting at byte {}",
                self.position
            ),
            DanglingEscape => write!(f, "backslash at end of query (byte {})", self.position),
            UnmatchedCloseParen => write!(f, "unmatched ')' at byte {}", self.position),
            MissingCloseParen { open } => write!(
                f,
                "missing ')' at byte {} for '(' at byte {open}",
                self.position
            ),
            EmptyParens => write!(f, "empty parentheses at byte {}", self.position),
            SortByNotAtTopLevel => write!(
                f,
                "sortBy is only allowed at the end of the whole query (byte {})",
                self.position
            ),
            MissingSortKey => write!(f, "sortBy without a sort key at byte {}", self.position),
            Unexpected { found, expected } => write!(
                f,
                "expected {expected} at byte {}, found {found}",
                self.position
            ),
        }
    }
}

impl std::error::Error for CqlError {}
