//! SRU (`/sru`) and OAI-PMH (`/oai`): HTTP plumbing only. Parameters come
//! from the query string and, for form-encoded POST, the body; the XML is
//! produced by `quire-interop` over the same search service as the OPAC.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// Paths of the protocol endpoints (exempt from CSRF checks: read-only).
pub(crate) const PATHS: &[&str] = &["/sru", "/oai"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sru", get(sru).post(sru))
        .route("/oai", get(oai).post(oai))
}

/// Query-string parameters followed by those of a form-encoded body.
fn params(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form && !body.is_empty() {
        out.extend(serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default());
    }
    out
}

/// The public URL of `path` on this server, from the Host header.
fn base_url(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if state.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{path}")
}

fn xml(body: String) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    resp
}

async fn sru(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let params = params(&headers, query.as_deref(), &body);
    let base = base_url(&state, &headers, "/sru");
    xml(quire_interop::sru_response(&state.lib, &params, &base).await)
}

async fn oai(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let params = params(&headers, query.as_deref(), &body);
    let mut cfg = (*state.oai).clone();
    cfg.base_url = base_url(&state, &headers, "/oai");
    let answer = quire_interop::oai_response(&state.lib, &params, &cfg).await;
    if answer.status == 200 {
        xml(answer.body)
    } else {
        // The repository itself failed (no OAI-PMH error code fits).
        let status = axum::http::StatusCode::from_u16(answer.status)
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, answer.body).into_response()
    }
}
