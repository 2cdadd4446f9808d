//! Rendering patron notices (e-mail) in the patron's language: a subject,
//! a plain-text body and a simple HTML body, from the notice's kind and
//! arguments (`quire_domain::notice`). Dates appear in the library's time
//! zone.

use chrono::{DateTime, Utc};
use quire_domain::Locale;
use quire_domain::notice::{NoticeArgs, NoticeKind};

use crate::{Arg, I18n, format};

/// A notice ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedNotice {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn local(i18n: &I18n, locale: Locale, t: Option<DateTime<Utc>>, tz: chrono_tz::Tz) -> String {
    t.map(|t| format::datetime(i18n, locale, t.with_timezone(&tz).naive_local()))
        .unwrap_or_default()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders a notice in `locale`.
pub fn render(
    i18n: &I18n,
    kind: NoticeKind,
    locale: Locale,
    a: &NoticeArgs,
    tz: chrono_tz::Tz,
) -> RenderedNotice {
    let due = local(i18n, locale, a.due_at, tz);
    let until = local(i18n, locale, a.pickup_until, tz);
    let branch = a.pickup_branch.clone().unwrap_or_default();
    let args: Vec<(&str, Arg)> = vec![
        ("name", Arg::Str(&a.patron_name)),
        ("title", Arg::Str(&a.title)),
        ("barcode", Arg::Str(&a.item_barcode)),
        ("due", Arg::Str(&due)),
        ("branch", Arg::Str(&branch)),
        ("until", Arg::Str(&until)),
    ];
    let (subject, body) = match kind {
        NoticeKind::DueSoon => (
            i18n.t(locale, "mail-due-soon-subject", &args),
            i18n.t(locale, "mail-due-soon-body", &args),
        ),
        NoticeKind::Overdue => (
            i18n.t(locale, "mail-overdue-subject", &args),
            i18n.t(locale, "mail-overdue-body", &args),
        ),
        NoticeKind::HoldReady if a.pickup_until.is_some() => (
            i18n.t(locale, "mail-hold-ready-subject", &args),
            i18n.t(locale, "mail-hold-ready-body-until", &args),
        ),
        NoticeKind::HoldReady => (
            i18n.t(locale, "mail-hold-ready-subject", &args),
            i18n.t(locale, "mail-hold-ready-body", &args),
        ),
    };
    let greeting = i18n.t(locale, "mail-greeting", &args);
    let footer = i18n.t(locale, "mail-footer", &args);
    let text = format!("{greeting}\n\n{body}\n\n-- \n{footer}\n");
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{s}</title></head>\
         <body><p>{g}</p><p>{b}</p><p>{f}</p></body></html>\n",
        lang = locale.tag(),
        s = escape_html(&subject),
        g = escape_html(&greeting),
        b = escape_html(&body),
        f = escape_html(&footer),
    );
    RenderedNotice {
        subject,
        text,
        html,
    }
}
