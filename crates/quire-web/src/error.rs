//! How service errors become HTTP responses: an HTML page (with a request
//! id, never a stack trace) or the JSON body
//! `{"error": {"code", "message", "field"?, "fields"?, "request_id"}}`.
//! Status codes come from the library's one error table.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use quire_domain::{FieldError, Locale};
use quire_library::{Error, ErrorCode};
use serde::Serialize;

use crate::AppState;
use crate::context::Req;

/// An error on its way out, with what is needed to render it.
#[derive(Debug)]
pub struct WebError {
    pub error: Error,
    req: Option<Box<Req>>,
    json: bool,
}

impl WebError {
    pub fn new(error: Error) -> Self {
        WebError {
            error,
            req: None,
            json: false,
        }
    }
    pub fn with_req(mut self, req: &Req) -> Self {
        self.req = Some(Box::new(req.clone()));
        self
    }
    pub fn json(mut self) -> Self {
        self.json = true;
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.error.code.spec().http_status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Renders with the app's templates and translations.
    pub fn into_response_for(self, state: &AppState, json: bool) -> Response {
        let locale = self.req.as_ref().map(|r| r.locale).unwrap_or_default();
        let request_id = self
            .req
            .as_ref()
            .map(|r| r.request_id.clone())
            .unwrap_or_default();
        if self.error.code == ErrorCode::Internal {
            tracing::error!(request_id, detail = %self.error.detail, "internal error");
        }
        let status = self.status();
        let mut resp = if json || self.json {
            (status, Json(body(state, locale, &self.error, &request_id))).into_response()
        } else if self.error.code == ErrorCode::Unauthenticated {
            let next = self
                .req
                .as_ref()
                .map(|r| r.path.clone())
                .unwrap_or_else(|| "/staff".into());
            // The patron's pages have their own login (card number + PIN).
            let login = if next == "/my" || next.starts_with("/my/") {
                "/my/login"
            } else {
                "/login"
            };
            let target = format!("{login}?next={}", urlencode(&next));
            Redirect::to(&target).into_response()
        } else {
            let html = match &self.req {
                Some(r) => state.templates.error_page(r, status, &self.error),
                None => format!("<!doctype html><title>{status}</title><p>{status}</p>"),
            };
            (status, axum::response::Html(html)).into_response()
        };
        if let Some(secs) = self.error.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        WebError::new(e)
    }
}

/// Without state at hand (extractor rejections), fall back to a bare
/// response; handlers normally return `Result<_, Page>` / `ApiError`.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.error.code.name();
        if self.json {
            (
                status,
                Json(serde_json::json!({"error": {"code": code, "message": self.error.detail}})),
            )
                .into_response()
        } else {
            (status, code.to_owned()).into_response()
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code from Quire's error table.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    /// The first offending input field, when the error is about input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every offending field with its own message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
    /// For `refused`: every circulation refusal, primary first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<RefusalMessage>,
    /// For an invalid MARC record: every issue, errors first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<MarcIssueMessage>,
    pub request_id: String,
}

/// One problem of a MARC record sent to the cataloging API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MarcIssueMessage {
    /// `error` (never saved) or `warning` (saved with `accept_warnings=true`).
    pub severity: String,
    /// Stable kebab-case code (`position-value`, `f008-length`, `required`, …).
    pub code: String,
    /// Where: `LDR/06`, `008/23`, `008`, `record`.
    pub place: String,
    /// The character position in the leader or the 008, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    /// The offending value or detail (a tag, a length, a code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The position's allowed values (`#` = blank), when it has a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// Human-readable message in the request's language.
    pub message: String,
}

/// A MARC issue with its translated message ("008/23: “x” is not a
/// defined value here. Allowed: #, a, b …").
pub fn marc_issue_message(
    state: &AppState,
    locale: Locale,
    i: &quire_library::marc_edit::Issue,
) -> MarcIssueMessage {
    use quire_library::marc_edit::{Place, Severity};
    let mut message = state.i18n.t(
        locale,
        &format!("marc-{}", i.code),
        &[("arg", quire_i18n::Arg::Str(i.arg.as_deref().unwrap_or("")))],
    );
    if let Some(a) = &i.allowed {
        message.push(' ');
        message.push_str(&state.i18n.t(
            locale,
            "cat-allowed-values",
            &[("allowed", quire_i18n::Arg::Str(a))],
        ));
    }
    MarcIssueMessage {
        severity: match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
        .into(),
        code: i.code.into(),
        place: i.place.label(),
        position: match i.place {
            Place::Leader(p) | Place::Fixed008(p) => p,
            _ => None,
        },
        value: i.arg.clone(),
        allowed: i.allowed.clone(),
        message: format!("{}: {message}", i.place.label()),
    }
}

/// One reason a circulation rule refuses the request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefusalMessage {
    /// Stable kebab-case refusal code (e.g. `item-on-loan-to-other`); pass it
    /// back in `override` to override it.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    /// Staff with the `override-circulation` permission may override it.
    pub overridable: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub code: String,
    pub message: String,
}

pub fn body(state: &AppState, locale: Locale, e: &Error, request_id: &str) -> ErrorBody {
    let fields: Vec<FieldMessage> = e
        .fields
        .iter()
        .map(|f| FieldMessage {
            field: f.field.to_owned(),
            code: f.code.to_owned(),
            message: field_message(state, locale, f),
        })
        .collect();
    let refusals: Vec<RefusalMessage> = e
        .refusals
        .iter()
        .map(|r| {
            let args: Vec<(&str, quire_i18n::Arg)> = r
                .args
                .iter()
                .map(|(k, v)| (*k, quire_i18n::Arg::Str(v.as_str())))
                .collect();
            RefusalMessage {
                code: r.code.as_str().to_owned(),
                message: state
                    .i18n
                    .t(locale, &format!("refusal-{}", r.code.as_str()), &args),
                overridable: r.overridable,
            }
        })
        .collect();
    let mut issues: Vec<MarcIssueMessage> = e
        .marc_issues
        .iter()
        .map(|i| marc_issue_message(state, locale, i))
        .collect();
    issues.sort_by_key(|i| i.severity != "error");
    let message = match (fields.first(), refusals.first()) {
        (None, None) if issues.len() == 1 => issues[0].message.clone(),
        (Some(f), _) if fields.len() == 1 => f.message.clone(),
        (None, Some(r)) => r.message.clone(),
        _ => state.i18n.s(locale, &format!("error-{}", e.code.name())),
    };
    ErrorBody {
        error: ErrorDetail {
            code: e.code.name().to_owned(),
            message,
            field: e
                .first_field()
                .map(str::to_owned)
                .or_else(|| issues.first().map(|i| i.place.clone())),
            fields,
            refusals,
            issues,
            request_id: request_id.to_owned(),
        },
    }
}

/// "Username: must be at least 3 characters" in the request's language.
pub fn field_message(state: &AppState, locale: Locale, f: &FieldError) -> String {
    let label = state
        .i18n
        .s(locale, &format!("field-{}", f.field.replace('_', "-")));
    let reason = state.i18n.t(
        locale,
        &format!("reason-{}", f.code),
        &[("arg", quire_i18n::Arg::Str(f.arg.as_deref().unwrap_or("")))],
    );
    state.i18n.t(
        locale,
        "field-error",
        &[
            ("field", quire_i18n::Arg::String(label)),
            ("reason", quire_i18n::Arg::String(reason)),
        ],
    )
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// A handler result for HTML pages.
pub type PageResult = Result<Response, Page>;

/// An error from an HTML handler; rendered by [`Page::into_response`] via the
/// state captured in the request context.
pub struct Page(pub WebError, pub AppState);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        self.0.into_response_for(&self.1, false)
    }
}

/// Extension to attach state and request to an error in HTML handlers.
pub trait OrPage<T> {
    fn or_page(self, state: &AppState, req: &Req) -> Result<T, Page>;
}

impl<T, E: Into<WebError>> OrPage<T> for Result<T, E> {
    fn or_page(self, state: &AppState, req: &Req) -> Result<T, Page> {
        self.map_err(|e| Page(e.into().with_req(req), state.clone()))
    }
}

/// JSON API error: carries the state to translate the message.
pub struct ApiError(pub WebError, pub AppState);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_response_for(&self.1, true)
    }
}

pub trait OrApi<T> {
    fn or_api(self, state: &AppState, req: &Req) -> Result<T, ApiError>;
}

impl<T, E: Into<WebError>> OrApi<T> for Result<T, E> {
    fn or_api(self, state: &AppState, req: &Req) -> Result<T, ApiError> {
        self.map_err(|e| ApiError(e.into().with_req(req).json(), state.clone()))
    }
}

pub fn status_only(code: StatusCode) -> Response {
    code.into_response()
}
