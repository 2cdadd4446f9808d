//! Parse errors.

use std::fmt;

/// Why a message could not be parsed. Parsing never panics; every error
/// says which message and, for malformed input, which field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The message is empty (or holds only an error-detection trailer).
    Empty,
    /// The 2-character identifier is not a SIP2 message the parser knows.
    /// A server may answer or ignore it; see the session.
    UnknownCommand {
        /// The identifier as received (up to 2 characters).
        command: String,
    },
    /// The identifier is a known SIP2 message that travels the other way
    /// (e.g. a 96 or 98 sent to the ACS).
    WrongDirection {
        /// The identifier.
        command: String,
        /// The message's name.
        name: &'static str,
    },
    /// A field is malformed.
    Malformed {
        /// The message identifier.
        command: String,
        /// Which field (name, and for fixed fields the character offset).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A field the message cannot be understood without is absent.
    MissingField {
        /// The message identifier.
        command: String,
        /// The 2-letter field code.
        code: &'static str,
        /// The field's name.
        name: &'static str,
    },
}

impl ParseError {
    /// True for [`ParseError::UnknownCommand`] and [`ParseError::WrongDirection`]:
    /// the message itself may be fine, we just do not handle it.
    pub fn is_unsupported(&self) -> bool {
        matches!(
            self,
            ParseError::UnknownCommand { .. } | ParseError::WrongDirection { .. }
        )
    }

    pub(crate) fn malformed(
        command: &str,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> ParseError {
        ParseError::Malformed {
            command: command.to_string(),
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => f.write_str("empty message"),
            ParseError::UnknownCommand { command } => {
                write!(f, "unknown message identifier {command:?}")
            }
            ParseError::WrongDirection { command, name } => write!(
                f,
                "message {command} ({name}) is not expected in this direction"
            ),
            ParseError::Malformed {
                command,
                field,
                reason,
            } => write!(f, "message {command}: {field}: {reason}"),
            ParseError::MissingField {
                command,
                code,
                name,
            } => write!(
                f,
                "message {command}: required field {code} ({name}) is missing"
            ),
        }
    }
}

impl std::error::Error for ParseError {}
