//! Per-request context: request id, language, authentication, CSRF.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quire_domain::Locale;
use quire_domain::staff::Permission;
use quire_library::{Ctx, Error, ErrorCode, PatronIdentity, StaffIdentity};
use rand::RngCore;

use crate::error::WebError;
use crate::{AppState, csrf};

pub const SESSION_COOKIE: &str = "quire_session";
/// The patron's OPAC session (separate from staff sessions).
pub const PATRON_COOKIE: &str = "quire_patron";
pub const ANON_COOKIE: &str = "quire_anon";
pub const LANG_COOKIE: &str = "quire_lang";
/// Largest urlencoded form body read to find the CSRF field.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// How the request authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    Anonymous,
    Session { token: String },
    ApiToken,
}

/// Everything a handler needs to know about the request.
#[derive(Debug, Clone)]
pub struct Req {
    pub request_id: String,
    pub locale: Locale,
    pub staff: Option<StaffIdentity>,
    /// The patron signed in to the public catalog (own cookie and session).
    pub patron: Option<PatronIdentity>,
    /// The raw patron session token (for logout and PIN change).
    pub patron_token: Option<String>,
    pub auth: Auth,
    pub csrf_token: String,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
    pub path: String,
    /// The path with its query string (where the language switch returns).
    pub path_and_query: String,
}

impl Req {
    /// The service-layer context for this request; anonymous requests get
    /// an error (handlers for public pages do not call this).
    pub fn ctx(&self) -> Result<Ctx, WebError> {
        match &self.staff {
            Some(s) => Ok(Ctx::staff(s.clone(), Some(self.request_id.clone()))),
            None => Err(WebError::new(Error::new(
                ErrorCode::Unauthenticated,
                "login required",
            ))),
        }
    }

    /// Page guard: the staff member must hold `p` (the service layer checks
    /// again; this gives the right page early).
    pub fn require(&self, p: Permission) -> Result<Ctx, WebError> {
        let ctx = self.ctx()?;
        ctx.actor.require(p).map_err(WebError::new)?;
        Ok(ctx)
    }

    /// The service-layer context of the signed-in patron (`/my` pages). A
    /// staff session does not count: `/my` is only ever the patron's own.
    pub fn patron_ctx(&self) -> Result<Ctx, WebError> {
        match &self.patron {
            Some(p) => Ok(Ctx::patron(p.clone(), Some(self.request_id.clone()))),
            None => Err(WebError::new(Error::new(
                ErrorCode::Unauthenticated,
                "patron login required",
            ))
            .with_req(self)),
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|s| s.permissions.contains(&p))
    }

    pub fn session_token(&self) -> Option<&str> {
        match &self.auth {
            Auth::Session { token } => Some(token),
            _ => None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Req {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Req>().cloned().ok_or_else(|| {
            WebError::new(Error::new(ErrorCode::Internal, "request context missing"))
        })
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with Quire's defaults: HttpOnly, SameSite=Lax,
/// Path=/, plus Secure behind TLS.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.secure_cookies {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

fn random_id(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Read-only protocol endpoints that accept form-encoded POST from any
/// client (SRU, OAI-PMH): they change nothing and use no session, so CSRF
/// protection does not apply.
fn is_protocol_endpoint(path: &str) -> bool {
    crate::interop::PATHS.contains(&path)
}

/// The middleware every request passes through.
pub async fn middleware(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let request_id = random_id(8);
    let span = tracing::info_span!("http", id = %request_id, method = %req.method(), path = %req.uri().path());
    let _enter = span.enter();
    drop(_enter);
    let started = std::time::Instant::now();
    let (mut parts, body) = req.into_parts();

    // Authentication: bearer token, else session cookie.
    let mut auth = Auth::Anonymous;
    let mut staff = None;
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    if let Some(token) = bearer {
        match state.lib.authenticate_token(&token).await {
            Ok(Some(id)) => {
                staff = Some(id);
                auth = Auth::ApiToken;
            }
            Ok(None) => {
                return WebError::new(Error::new(
                    ErrorCode::Unauthenticated,
                    "unknown or revoked API token",
                ))
                .json()
                .into_response();
            }
            Err(e) => return WebError::new(e).json().into_response(),
        }
    } else if let Some(tok) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned) {
        match state.lib.session(&tok).await {
            Ok(Some(s)) => {
                staff = Some(s.identity);
                auth = Auth::Session { token: tok };
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "session lookup failed"),
        }
    }

    // The patron's OPAC session (independent of any staff session).
    let mut patron = None;
    let mut patron_token = None;
    if let Some(tok) = cookie(&parts.headers, PATRON_COOKIE).map(str::to_owned)
        && !tok.is_empty()
    {
        match state.lib.patron_session(&tok).await {
            Ok(Some(p)) => {
                patron = Some(p);
                patron_token = Some(tok);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "patron session lookup failed"),
        }
    }

    // CSRF binding: the session, or a per-browser random cookie.
    let mut new_anon = None;
    let binding = match (&auth, &patron_token) {
        (Auth::Session { token }, _) => format!("sess:{token}"),
        (_, Some(token)) => format!("patron:{token}"),
        _ => {
            let anon = cookie(&parts.headers, ANON_COOKIE)
                .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let id = random_id(16);
                    new_anon = Some(id.clone());
                    id
                });
            format!("anon:{anon}")
        }
    };
    let csrf_token = csrf::token(&state.csrf_key, &binding);

    // Language: explicit switch (cookie) > saved preference > Accept-Language.
    let locale = cookie(&parts.headers, LANG_COOKIE)
        .and_then(Locale::from_tag)
        .or(staff.as_ref().and_then(|s| s.locale))
        .or(patron.as_ref().and_then(|p| p.locale))
        .or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default();

    let client_ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let ctx = Req {
        request_id: request_id.clone(),
        locale,
        staff,
        patron,
        patron_token,
        auth: auth.clone(),
        csrf_token,
        client_ip,
        user_agent,
        path: parts.uri.path().to_owned(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
    };
    let wants_json = parts.uri.path().starts_with("/api/");

    // CSRF check on state-changing requests not authenticated by a bearer token.
    let mut body = body;
    if !is_safe(&parts.method) && auth != Auth::ApiToken && !is_protocol_endpoint(parts.uri.path())
    {
        let mut presented = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if presented.is_none() {
            presented = parts
                .uri
                .query()
                .and_then(|q| form_field(q.as_bytes(), "_csrf"));
        }
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if presented.is_none() && is_form {
            match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
                Ok(bytes) => {
                    presented = form_field(&bytes, "_csrf");
                    body = Body::from(bytes);
                }
                Err(_) => {
                    let e = WebError::new(Error::field("body", "too-large")).with_req(&ctx);
                    return e.into_response_for(&state, wants_json);
                }
            }
        }
        let ok = presented.is_some_and(|p| csrf::verify(&state.csrf_key, &binding, &p));
        if !ok {
            tracing::warn!("CSRF check failed");
            let e = WebError::new(Error::new(
                ErrorCode::CsrfFailed,
                "missing or wrong CSRF token",
            ))
            .with_req(&ctx);
            return e.into_response_for(&state, wants_json);
        }
    }

    parts.extensions.insert(ctx);
    parts.extensions.insert(state.clone());
    let req = Request::from_parts(parts, body);
    let mut resp = next.run(req).await;

    let h = resp.headers_mut();
    if let Some(anon) = new_anon {
        h.append(
            header::SET_COOKIE,
            set_cookie(&state, ANON_COOKIE, &anon, None),
        );
    }
    h.insert(
        "x-request-id",
        HeaderValue::from_str(&request_id).unwrap_or(HeaderValue::from_static("-")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    tracing::info!(parent: &span, status = resp.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    resp
}

/// Finds one field of an urlencoded body or query string.
pub fn form_field(raw: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}
