//! The service layer's error type and THE error-code table.
//!
//! Every failure a user can see has a stable code. This table is the one
//! place that says how each code surfaces in each protocol: HTTP status,
//! the SIP2 screen-message key, the SRU diagnostic number and the OAI-PMH
//! error code. Adapters look codes up here; they never invent statuses.

use quire_domain::{FieldError, Invalid};
use quire_store::StoreError;

/// A stable error code (the `error.code` of the JSON API, the key of the
/// translated message `error-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Duplicate,
    Conflict,
    /// A circulation rule refuses the action (the refusals say why).
    Refused,
    Unauthenticated,
    BadCredentials,
    AccountDisabled,
    Forbidden,
    RateLimited,
    CsrfFailed,
    Busy,
    Internal,
    /// The resource changed since the caller read it (HTTP If-Match).
    PreconditionFailed,
    /// A replace needs the version the caller read (HTTP If-Match).
    PreconditionRequired,
    /// The body's format is not one this operation reads.
    UnsupportedMediaType,
}

/// How one error code surfaces in each protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSpec {
    pub code: ErrorCode,
    /// Stable machine name (kebab-case).
    pub name: &'static str,
    pub http_status: u16,
    /// Fluent key of the SIP2 screen message (AF), when the code can occur there.
    pub sip2_screen: Option<&'static str>,
    /// SRU diagnostic (info:srw/diagnostic/1/N).
    pub sru_diagnostic: Option<u16>,
    /// OAI-PMH error code.
    pub oai_error: Option<&'static str>,
}

/// The table. Order is irrelevant; each code appears exactly once (tested).
pub const ERROR_TABLE: &[ErrorSpec] = &[
    ErrorSpec {
        code: ErrorCode::Invalid,
        name: "invalid",
        http_status: 422,
        sip2_screen: Some("sip2-invalid"),
        sru_diagnostic: Some(6),
        oai_error: Some("badArgument"),
    },
    ErrorSpec {
        code: ErrorCode::NotFound,
        name: "not-found",
        http_status: 404,
        sip2_screen: Some("sip2-not-found"),
        sru_diagnostic: None,
        oai_error: Some("idDoesNotExist"),
    },
    ErrorSpec {
        code: ErrorCode::Duplicate,
        name: "duplicate",
        http_status: 409,
        sip2_screen: None,
        sru_diagnostic: None,
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::Conflict,
        name: "conflict",
        http_status: 409,
        sip2_screen: Some("sip2-conflict"),
        sru_diagnostic: None,
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::Refused,
        name: "refused",
        http_status: 409,
        sip2_screen: Some("sip2-refused"),
        sru_diagnostic: None,
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::Unauthenticated,
        name: "unauthenticated",
        http_status: 401,
        sip2_screen: Some("sip2-login-required"),
        sru_diagnostic: Some(3),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::BadCredentials,
        name: "bad-credentials",
        http_status: 401,
        sip2_screen: Some("sip2-bad-credentials"),
        sru_diagnostic: Some(3),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::AccountDisabled,
        name: "account-disabled",
        http_status: 403,
        sip2_screen: Some("sip2-bad-credentials"),
        sru_diagnostic: Some(3),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::Forbidden,
        name: "forbidden",
        http_status: 403,
        sip2_screen: Some("sip2-forbidden"),
        sru_diagnostic: Some(3),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::RateLimited,
        name: "rate-limited",
        http_status: 429,
        sip2_screen: Some("sip2-try-later"),
        sru_diagnostic: Some(2),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::CsrfFailed,
        name: "csrf-failed",
        http_status: 403,
        sip2_screen: None,
        sru_diagnostic: None,
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::Busy,
        name: "busy",
        http_status: 503,
        sip2_screen: Some("sip2-try-later"),
        sru_diagnostic: Some(2),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::Internal,
        name: "internal",
        http_status: 500,
        sip2_screen: Some("sip2-try-later"),
        sru_diagnostic: Some(1),
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::PreconditionFailed,
        name: "precondition-failed",
        http_status: 412,
        sip2_screen: None,
        sru_diagnostic: None,
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::PreconditionRequired,
        name: "precondition-required",
        http_status: 428,
        sip2_screen: None,
        sru_diagnostic: None,
        oai_error: None,
    },
    ErrorSpec {
        code: ErrorCode::UnsupportedMediaType,
        name: "unsupported-media-type",
        http_status: 415,
        sip2_screen: None,
        sru_diagnostic: None,
        oai_error: None,
    },
];

impl ErrorCode {
    pub fn spec(self) -> &'static ErrorSpec {
        ERROR_TABLE
            .iter()
            .find(|s| s.code == self)
            .unwrap_or(&ERROR_TABLE[ERROR_TABLE.len() - 1])
    }
    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

/// An error of the service layer.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code:?}: {detail}")]
pub struct Error {
    pub code: ErrorCode,
    /// English detail for logs and operators (never shown raw to patrons).
    pub detail: String,
    /// Per-field problems (for `Invalid`, `Duplicate`).
    pub fields: Vec<FieldError>,
    /// For `RateLimited`: seconds until the next attempt is allowed.
    pub retry_after_secs: Option<u64>,
    /// For `Refused`: every circulation refusal (stable codes, message
    /// arguments, whether staff may override), primary first.
    pub refusals: Vec<quire_domain::circ::decide::Refusal>,
    /// For an invalid MARC record: every issue (errors, and warnings not
    /// accepted), with its place and the allowed values.
    pub marc_issues: Vec<quire_marc::edit::Issue>,
}

impl Error {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error {
            code,
            detail: detail.into(),
            fields: Vec::new(),
            retry_after_secs: None,
            refusals: Vec::new(),
            marc_issues: Vec::new(),
        }
    }
    pub fn not_found(what: &str) -> Self {
        Error::new(ErrorCode::NotFound, format!("{what} not found"))
    }
    pub fn forbidden(perm: quire_domain::staff::Permission) -> Self {
        Error::new(
            ErrorCode::Forbidden,
            format!("missing permission {}", perm.as_str()),
        )
    }
    pub fn field(field: &'static str, code: &'static str) -> Self {
        Error::from(Invalid::one(FieldError::new(field, code)))
    }
    pub fn duplicate(field: &'static str) -> Self {
        Error {
            code: ErrorCode::Duplicate,
            detail: format!("{field} already in use"),
            fields: vec![FieldError::new(field, "already-taken")],
            retry_after_secs: None,
            refusals: Vec::new(),
            marc_issues: Vec::new(),
        }
    }
    /// A circulation refusal (`Refused`); never empty in practice.
    pub fn refused(refusals: Vec<quire_domain::circ::decide::Refusal>) -> Self {
        let codes: Vec<&str> = refusals.iter().map(|r| r.code.as_str()).collect();
        Error {
            code: ErrorCode::Refused,
            detail: format!("refused: {}", codes.join(", ")),
            fields: Vec::new(),
            retry_after_secs: None,
            refusals,
            marc_issues: Vec::new(),
        }
    }
    /// The refusal codes (for `Refused`), primary first.
    pub fn refusal_codes(&self) -> Vec<&'static str> {
        self.refusals.iter().map(|r| r.code.as_str()).collect()
    }
    /// The first field named by this error, if any (the `field` of the API body).
    pub fn first_field(&self) -> Option<&'static str> {
        self.fields.first().map(|f| f.field)
    }
}

impl From<Invalid> for Error {
    fn from(inv: Invalid) -> Self {
        Error {
            code: ErrorCode::Invalid,
            detail: inv.to_string(),
            fields: inv.0,
            retry_after_secs: None,
            refusals: Vec::new(),
            marc_issues: Vec::new(),
        }
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::from(Invalid::one(e))
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::new(ErrorCode::NotFound, "not found"),
            StoreError::Duplicate(c) => Error::new(ErrorCode::Duplicate, format!("duplicate: {c}")),
            StoreError::Reference(c) => Error::new(
                ErrorCode::Conflict,
                format!("still referenced or missing reference: {c}"),
            ),
            StoreError::Check(c) => {
                Error::new(ErrorCode::Invalid, format!("rejected by the database: {c}"))
            }
            StoreError::Busy(c) => Error::new(ErrorCode::Busy, c),
            other => {
                tracing::error!(error = %other, "storage failure");
                Error::new(ErrorCode::Internal, other.to_string())
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_once_with_unique_names() {
        let codes = [
            ErrorCode::Invalid,
            ErrorCode::NotFound,
            ErrorCode::Duplicate,
            ErrorCode::Conflict,
            ErrorCode::Refused,
            ErrorCode::Unauthenticated,
            ErrorCode::BadCredentials,
            ErrorCode::AccountDisabled,
            ErrorCode::Forbidden,
            ErrorCode::RateLimited,
            ErrorCode::CsrfFailed,
            ErrorCode::Busy,
            ErrorCode::Internal,
            ErrorCode::PreconditionFailed,
            ErrorCode::PreconditionRequired,
            ErrorCode::UnsupportedMediaType,
        ];
        assert_eq!(codes.len(), ERROR_TABLE.len());
        for c in codes {
            assert_eq!(
                ERROR_TABLE.iter().filter(|s| s.code == c).count(),
                1,
                "{c:?}"
            );
            assert_eq!(c.spec().code, c);
        }
        let mut names: Vec<_> = ERROR_TABLE.iter().map(|s| s.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ERROR_TABLE.len());
        for s in ERROR_TABLE {
            assert!((400..600).contains(&s.http_status));
        }
    }
}
