//! SRU diagnostics (`info:srw/diagnostic/1/N`).
//!
//! Parse errors map onto these via [`crate::CqlError::diagnostic`]; the
//! constructors for the semantic diagnostics (unsupported index, relation,
//! ...) are here so that the search service can report what it cannot map
//! with the same type.

use std::fmt;

/// URI prefix of the standard SRU diagnostic set.
pub const SRU_DIAGNOSTIC_PREFIX: &str = "info:srw/diagnostic/1/";

/// One SRU diagnostic: a number from the standard set plus optional details.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Diagnostic number `N` in `info:srw/diagnostic/1/N`.
    pub number: u32,
    /// The `details` element (format depends on the number, see the SRU list).
    pub details: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the given number and details.
    pub fn new(number: u32, details: impl Into<Option<String>>) -> Self {
        Diagnostic {
            number,
            details: details.into(),
        }
    }

    /// The full diagnostic URI, e.g. `info:srw/diagnostic/1/10`.
    pub fn uri(&self) -> String {
        format!("{SRU_DIAGNOSTIC_PREFIX}{}", self.number)
    }

    /// The standard human-readable message for this number (for the
    /// `message` element); `"Unknown diagnostic"` for numbers not listed.
    pub fn message(&self) -> &'static str {
        message_for(self.number)
    }

    /// 1/10 Query syntax error.
    pub fn syntax_error(details: impl Into<String>) -> Self {
        Self::new(10, Some(details.into()))
    }
    /// 1/15 Unsupported context set (details: URI or short name).
    pub fn unsupported_context_set(set: impl Into<String>) -> Self {
        Self::new(15, Some(set.into()))
    }
    /// 1/16 Unsupported index (details: index name).
    pub fn unsupported_index(index: impl Into<String>) -> Self {
        Self::new(16, Some(index.into()))
    }
    /// 1/19 Unsupported relation (details: the relation).
    pub fn unsupported_relation(relation: impl Into<String>) -> Self {
        Self::new(19, Some(relation.into()))
    }
    /// 1/20 Unsupported relation modifier (details: the modifier).
    pub fn unsupported_relation_modifier(modifier: impl Into<String>) -> Self {
        Self::new(20, Some(modifier.into()))
    }
    /// 1/22 Unsupported combination of relation and index.
    pub fn unsupported_relation_for_index(index: &str, relation: &str) -> Self {
        Self::new(22, Some(format!("{index} {relation}")))
    }
    /// 1/27 Empty term unsupported.
    pub fn empty_term() -> Self {
        Self::new(27, None)
    }
    /// 1/28 Masking character not supported.
    pub fn masking_not_supported() -> Self {
        Self::new(28, None)
    }
    /// 1/37 Unsupported boolean operator (details: the operator).
    pub fn unsupported_boolean(op: impl Into<String>) -> Self {
        Self::new(37, Some(op.into()))
    }
    /// 1/39 Proximity not supported.
    pub fn proximity_not_supported() -> Self {
        Self::new(39, None)
    }
    /// 1/40 Unsupported proximity relation.
    pub fn unsupported_proximity_relation(relation: impl Into<String>) -> Self {
        Self::new(40, Some(relation.into()))
    }
    /// 1/42 Unsupported proximity unit.
    pub fn unsupported_proximity_unit(unit: impl Into<String>) -> Self {
        Self::new(42, Some(unit.into()))
    }
    /// 1/46 Unsupported boolean modifier.
    pub fn unsupported_boolean_modifier(modifier: impl Into<String>) -> Self {
        Self::new(46, Some(modifier.into()))
    }
    /// 1/80 Sort not supported.
    pub fn sort_not_supported() -> Self {
        Self::new(80, None)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.uri(), self.message())?;
        if let Some(d) = &self.details {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

/// Standard message for an SRU diagnostic number (the CQL, general and
/// sort ranges that Quire uses).
pub fn message_for(number: u32) -> &'static str {
    match number {
        1 => "General system error",
        2 => "System temporarily unavailable",
        3 => "Authentication error",
        4 => "Unsupported operation",
        5 => "Unsupported version",
        6 => "Unsupported parameter value",
        7 => "Mandatory parameter not supplied",
        8 => "Unsupported parameter",
        10 => "Query syntax error",
        12 => "Too many characters in query",
        13 => "Invalid or unsupported use of parentheses",
        14 => "Invalid or unsupported use of quotes",
        15 => "Unsupported context set",
        16 => "Unsupported index",
        18 => "Unsupported combination of indexes",
        19 => "Unsupported relation",
        20 => "Unsupported relation modifier",
        21 => "Unsupported combination of relation modifers",
        22 => "Unsupported combination of relation and index",
        23 => "Too many characters in term",
        24 => "Unsupported combination of relation and term",
        26 => "Non special character escaped in term",
        27 => "Empty term unsupported",
        28 => "Masking character not supported",
        29 => "Masked words too short",
        30 => "Too many masking characters in term",
        31 => "Anchoring character not supported",
        32 => "Anchoring character in unsupported position",
        33 => "Combination of proximity/adjacency and masking characters not supported",
        34 => "Combination of proximity/adjacency and anchoring characters not supported",
        35 => "Term contains only stopwords",
        36 => "Term in invalid format for index or relation",
        37 => "Unsupported boolean operator",
        38 => "Too many boolean operators in query",
        39 => "Proximity not supported",
        40 => "Unsupported proximity relation",
        41 => "Unsupported proximity distance",
        42 => "Unsupported proximity unit",
        43 => "Unsupported proximity ordering",
        44 => "Unsupported combination of proximity modifiers",
        46 => "Unsupported boolean modifier",
        47 => "Cannot process query; reason unknown",
        48 => "Query feature unsupported",
        49 => "Masking character in unsupported position",
        50 => "Result sets not supported",
        51 => "Result set does not exist",
        61 => "First record position out of range",
        64 => "Record temporarily unavailable",
        65 => "Record does not exist",
        66 => "Unknown schema for retrieval",
        67 => "Record not available in this schema",
        68 => "Not authorised to send record",
        71 => "Unsupported record packing",
        80 => "Sort not supported",
        82 => "Unsupported sort sequence",
        84 => "Too many sort keys",
        90 => "Unsupported direction",
        91 => "Unsupported case",
        92 => "Unsupported missing value action",
        93 => "Sort ended due to missing value",
        _ => "Unknown diagnostic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_and_message() {
        let d = Diagnostic::unsupported_index("dc.foo");
        assert_eq!(d.uri(), "info:srw/diagnostic/1/16");
        assert_eq!(d.message(), "Unsupported index");
        assert_eq!(d.details.as_deref(), Some("dc.foo"));
        assert_eq!(
            d.to_string(),
            "info:srw/diagnostic/1/16 (Unsupported index): dc.foo"
        );
        assert_eq!(Diagnostic::empty_term().number, 27);
        assert_eq!(Diagnostic::new(9999, None).message(), "Unknown diagnostic");
    }
}
