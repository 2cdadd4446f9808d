//! Patron notices in `quire serve`: the sweep loop (due-soon and overdue
//! notices into the outbox, `Library::notice_sweep`) and the sender loop
//! (renders each pending notice in the patron's language with
//! `quire_i18n::notices` and sends it over SMTP with lettre; failures are
//! retried with backoff by the service layer).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use quire_domain::Locale;
use quire_domain::notice::NoticeKind;
use quire_i18n::I18n;
use quire_library::notices::{NoticeSettings, NoticeView};
use quire_library::{Ctx, Library};

/// How `quire serve` sends notices.
#[derive(Clone)]
pub struct NoticeConfig {
    /// `smtp://host:port`, `smtps://…` or `smtp://…?tls=required` (lettre URL).
    pub smtp_url: String,
    /// The From address.
    pub from: String,
    pub settings: NoticeSettings,
    /// Time between sweeps.
    pub sweep_every: Duration,
    /// Time zone in which notices show dates.
    pub timezone: chrono_tz::Tz,
}

type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// Builds the SMTP transport; fails on a malformed URL or From address.
pub fn transport(cfg: &NoticeConfig) -> anyhow::Result<(Transport, Mailbox)> {
    let t = Transport::from_url(&cfg.smtp_url)
        .map_err(|e| anyhow::anyhow!("--smtp-url {:?}: {e}", cfg.smtp_url))?
        .timeout(Some(Duration::from_secs(30)))
        .build();
    let from: Mailbox = cfg
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("--smtp-from {:?}: {e}", cfg.from))?;
    Ok((t, from))
}

/// Generates notices now and every `sweep_every`.
pub async fn sweep_loop(lib: Library, cfg: NoticeConfig) {
    let ctx = Ctx::system("notices");
    loop {
        match lib.notice_sweep(&ctx, &cfg.settings).await {
            Ok(r) if r.due_soon + r.overdue > 0 => {
                tracing::info!(
                    due_soon = r.due_soon,
                    overdue = r.overdue,
                    skipped = r.skipped,
                    "notices generated"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.detail, "notice sweep failed; retrying"),
        }
        tokio::time::sleep(cfg.sweep_every).await;
    }
}

fn message(
    i18n: &I18n,
    from: &Mailbox,
    n: &NoticeView,
    tz: chrono_tz::Tz,
) -> Result<Message, String> {
    let kind = NoticeKind::parse(&n.notice.kind)
        .ok_or_else(|| format!("unknown notice kind {:?}", n.notice.kind))?;
    let locale = Locale::from_tag(&n.notice.locale).unwrap_or_default();
    let to: Mailbox = n
        .notice
        .recipient
        .as_deref()
        .ok_or("no recipient")?
        .parse()
        .map_err(|e| format!("recipient address: {e}"))?;
    let r = quire_i18n::notices::render(i18n, kind, locale, &n.args, tz);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(r.subject)
        .multipart(MultiPart::alternative_plain_html(r.text, r.html))
        .map_err(|e| format!("message: {e}"))
}

/// Sends due notices every two seconds.
pub async fn sender_loop(lib: Library, cfg: NoticeConfig, t: Transport, from: Mailbox) {
    let ctx = Ctx::system("notices");
    let i18n = match I18n::load() {
        Ok(i) => Arc::new(i),
        Err(e) => {
            tracing::error!(error = %e, "translations do not load; notices are not sent");
            return;
        }
    };
    loop {
        match lib.notices_to_send(&ctx, 50).await {
            Ok(batch) => {
                for n in batch {
                    let id = n.notice.id;
                    let outcome = match message(&i18n, &from, &n, cfg.timezone) {
                        Ok(m) => t.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
                        Err(e) => Err(e),
                    };
                    let recorded = match outcome {
                        Ok(()) => lib.notice_sent(&ctx, id).await,
                        Err(e) => {
                            tracing::warn!(notice = id, error = %e, "notice not sent; will retry");
                            lib.notice_failed(&ctx, id, &e).await.map(|_| ())
                        }
                    };
                    if let Err(e) = recorded {
                        tracing::warn!(notice = id, error = %e.detail, "notice status not saved");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e.detail, "reading the notices outbox failed"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
