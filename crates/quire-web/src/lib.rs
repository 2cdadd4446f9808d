//! Quire's HTTP adapter.
//!
//! Server-rendered HTML for staff and patrons, and the JSON API under
//! `/api/v1`. Handlers translate HTTP to [`quire_library::Library`] calls and
//! back; they hold no business rules. Every request passes through
//! [`context::middleware`], which assigns a request id, resolves the
//! language, authenticates (session cookie or API token) and enforces CSRF
//! protection on state-changing requests.

pub mod api;
mod assets;
pub mod context;
mod csrf;
pub mod error;
mod forms;
mod interop;
mod pages;
pub mod render;

use std::sync::Arc;

use axum::Router;
use quire_i18n::I18n;
use quire_library::Library;

pub use context::Req;
pub use pages::patron_i18n_keys;

/// Shared state of the HTTP adapter.
#[derive(Clone)]
pub struct AppState {
    pub lib: Library,
    pub i18n: Arc<I18n>,
    pub templates: Arc<render::Templates>,
    /// Add `Secure` to cookies (set when served behind TLS).
    pub secure_cookies: bool,
    /// Where uploaded files are kept (inside the data directory).
    pub upload_dir: std::path::PathBuf,
    /// OAI-PMH repository settings (the base URL is filled in per request
    /// from the Host header).
    pub oai: Arc<quire_interop::OaiConfig>,
    /// How the copy-cataloging client reaches targets.
    pub copy: CopyClient,
    csrf_key: Arc<[u8; 32]>,
}

/// Settings of the copy-cataloging client (`--copy-timeout-secs`,
/// `--copy-ca-file`).
#[derive(Debug, Clone)]
pub struct CopyClient {
    /// Time each target gets for connect + search + present.
    pub timeout: std::time::Duration,
    /// Certificates trusted for https SRU targets.
    pub tls: quire_interop::copycat::ClientTls,
}

impl Default for CopyClient {
    fn default() -> Self {
        CopyClient {
            timeout: std::time::Duration::from_secs(10),
            tls: quire_interop::copycat::ClientTls::default(),
        }
    }
}

impl AppState {
    pub fn new(
        lib: Library,
        secure_cookies: bool,
        timezone: &str,
        upload_dir: std::path::PathBuf,
    ) -> Result<Self, String> {
        if timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!(
                "time zone {timezone:?} is not a known IANA time zone (e.g. Asia/Manila)"
            ));
        }
        let i18n = Arc::new(I18n::load()?);
        let templates = Arc::new(render::Templates::new(i18n.clone(), timezone)?);
        let csrf_key = Arc::new(lib.derive_key("csrf"));
        Ok(AppState {
            lib,
            i18n,
            templates,
            secure_cookies,
            upload_dir,
            oai: Arc::new(quire_interop::OaiConfig::new(String::new())),
            copy: CopyClient::default(),
            csrf_key,
        })
    }
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .merge(interop::routes())
        .merge(assets::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
