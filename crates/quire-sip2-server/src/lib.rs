//! Quire's SIP2 server: one tokio task per connection, the pure
//! `quire-sip2` codec and session for the protocol, and [`handler`] for the
//! mapping of each message onto the same `Library` calls as the desk.
//!
//! Robustness rules (issue 7, "what real clients rely on"):
//! * each reply goes out in one `write_all` of the whole message;
//! * a message longer than [`Config::max_message_len`] is discarded while it
//!   streams in (bounded memory) and answered with 96;
//! * a message without its terminator is completed after
//!   [`Config::partial_timeout`] so a truncated message gets a reply (96)
//!   instead of hanging the device;
//! * an idle connection is closed after [`Config::idle_timeout`];
//! * a failing connection never affects another one.

pub mod handler;
pub mod tls;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use quire_i18n::I18n;
use quire_library::Library;
use quire_sip2::{Action, Charset, FrameDecoder, Session, SessionConfig};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

pub use handler::Connection;
pub use tokio_rustls::TlsAcceptor;

/// Server settings (from the command line).
#[derive(Debug, Clone)]
pub struct Config {
    /// A connection without any message for this long is closed.
    pub idle_timeout: Duration,
    /// An incomplete message (no CR yet) is taken as ended after this long.
    pub partial_timeout: Duration,
    /// Longest accepted message in bytes (terminator excluded).
    pub max_message_len: usize,
    /// ISO 4217 code sent in BH with amounts.
    pub currency: String,
    /// AM library name in 98.
    pub library_name: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            idle_timeout: Duration::from_secs(3600),
            partial_timeout: Duration::from_secs(2),
            max_message_len: quire_sip2::DEFAULT_MAX_MESSAGE_LEN,
            currency: "USD".into(),
            library_name: "Quire".into(),
        }
    }
}

/// What every connection shares.
pub struct Shared {
    pub lib: Library,
    pub i18n: I18n,
    pub config: Config,
}

impl Shared {
    pub fn new(lib: Library, config: Config) -> Result<Arc<Shared>, String> {
        Ok(Arc::new(Shared {
            lib,
            i18n: I18n::load()?,
            config,
        }))
    }
}

/// What differs between listeners (plain TCP, TLS).
#[derive(Clone, Default)]
pub struct Listener {
    /// TLS handshake first (SIP2 over TLS); plain TCP when `None`.
    pub tls: Option<TlsAcceptor>,
    /// Login id of a "login not required" account that connections of this
    /// listener act as until (unless) they log in with 93. `None`: every
    /// connection must log in first.
    pub open_account: Option<String>,
}

/// A TLS handshake that has not finished in this time is dropped.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections until `shutdown` resolves; each connection runs in
/// its own task.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with(listener, Listener::default(), shared, shutdown).await
}

/// [`serve`] with per-listener settings (TLS, the account of connections
/// that do not log in).
pub async fn serve_with(
    listener: TcpListener,
    settings: Listener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        tracing::warn!(error = %e, "sip2 accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let settings = settings.clone();
                tokio::spawn(async move {
                    tracing::debug!(%peer, tls = settings.tls.is_some(), "sip2 connection opened");
                    let open = settings.open_account.as_deref();
                    let result = match &settings.tls {
                        None => run_connection_as(stream, shared, open).await,
                        Some(acceptor) => {
                            match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                                Ok(Ok(tls)) => run_connection_as(tls, shared, open).await,
                                Ok(Err(e)) => Err(e),
                                Err(_) => Err(std::io::Error::new(
                                    std::io::ErrorKind::TimedOut,
                                    "TLS handshake timed out",
                                )),
                            }
                        }
                    };
                    match result {
                        Ok(()) => tracing::debug!(%peer, "sip2 connection closed"),
                        Err(e) => tracing::debug!(%peer, error = %e, "sip2 connection ended"),
                    }
                });
            }
        }
    }
}

/// Serves one connection (plain TCP or TLS) until the peer closes it, it
/// idles out or the session gives up on it.
pub async fn run_connection<S>(stream: S, shared: Arc<Shared>) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    run_connection_as(stream, shared, None).await
}

/// [`run_connection`] for a listener whose connections act as the
/// "login not required" account `open_account` until they log in.
pub async fn run_connection_as<S>(
    mut stream: S,
    shared: Arc<Shared>,
    open_account: Option<&str>,
) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let cfg = &shared.config;
    let mut decoder = FrameDecoder::new(cfg.max_message_len, Charset::Utf8);
    let mut session = Session::new(SessionConfig::default());
    let mut conn = Connection::new(shared.clone());
    if let Some(login) = open_account {
        // Bound to the listener's account: no 93 needed. If the account is
        // gone or now requires a login, the connection must log in.
        conn.bind_open_account(login).await;
        if let Some(account) = conn.take_new_account() {
            let sc = session.config_mut();
            sc.login_required = false;
            sc.charset = account.charset;
            sc.checksum = account.checksum;
            decoder.set_charset(account.charset);
        }
    }
    session.config_mut().login_required_message = conn.text("sip2-login-required");
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let partial = decoder.buffered_len() > 0 || decoder.discarding_len().is_some();
        let wait = if partial {
            cfg.partial_timeout
        } else {
            cfg.idle_timeout
        };
        let n = match tokio::time::timeout(wait, stream.read(&mut buf)).await {
            Ok(Ok(0)) => return Ok(()),
            Ok(Ok(n)) => n,
            Ok(Err(e)) => return Err(e),
            Err(_) if partial => {
                // A truncated message: take what came as the whole message
                // (it will fail its checksum or parse and get a 96).
                decoder.feed(b"\r");
                0
            }
            Err(_) => {
                tracing::debug!("sip2 connection idle; closing");
                return Ok(());
            }
        };
        if let Some(data) = buf.get(..n) {
            decoder.feed(data);
        }
        while let Some(frame) = decoder.next_frame() {
            let now = conn.sip_now();
            let action = match frame {
                Ok(frame) => session.feed(&frame, &now),
                Err(e) => {
                    tracing::debug!(error = %e, "sip2 message too long");
                    session.feed_error(e)
                }
            };
            match action {
                Action::Reply { bytes, reason } => {
                    tracing::debug!(?reason, "sip2 protocol reply");
                    stream.write_all(&bytes).await?;
                }
                Action::Handle(request) => {
                    let response = conn.handle(request).await;
                    if let Some(account) = conn.take_new_account() {
                        let sc = session.config_mut();
                        sc.charset = account.charset;
                        sc.checksum = account.checksum;
                        sc.login_required_message = conn.text("sip2-login-required");
                        decoder.set_charset(account.charset);
                    }
                    let bytes = session.respond(&response);
                    stream.write_all(&bytes).await?;
                }
                Action::Ignore(reason) => {
                    tracing::debug!(?reason, "sip2 message ignored");
                }
                Action::Close(reason) => {
                    tracing::info!(%reason, "sip2 connection closed by the server");
                    let _ = stream.shutdown().await;
                    return Ok(());
                }
            }
        }
        stream.flush().await?;
    }
}
