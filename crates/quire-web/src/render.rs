//! Templates (minijinja, embedded) and the shared page context.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};
use quire_domain::Locale;
use quire_domain::staff::Permission;
use quire_i18n::{Arg, I18n};
use quire_library::Error;
use serde::Serialize;

use crate::context::Req;

/// Every template, embedded at compile time.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("api.html", include_str!("../templates/api.html")),
    (
        "staff/holds/branch_chooser.html",
        include_str!("../templates/staff/holds/branch_chooser.html"),
    ),
    (
        "staff/holds/pull_list.html",
        include_str!("../templates/staff/holds/pull_list.html"),
    ),
    (
        "staff/holds/shelf.html",
        include_str!("../templates/staff/holds/shelf.html"),
    ),
    (
        "staff/holds/transits.html",
        include_str!("../templates/staff/holds/transits.html"),
    ),
    (
        "staff/holds/record.html",
        include_str!("../templates/staff/holds/record.html"),
    ),
    (
        "public/home.html",
        include_str!("../templates/public/home.html"),
    ),
    (
        "public/browse.html",
        include_str!("../templates/public/browse.html"),
    ),
    (
        "public/search.html",
        include_str!("../templates/public/search.html"),
    ),
    (
        "staff/import.html",
        include_str!("../templates/staff/import.html"),
    ),
    (
        "staff/import_job.html",
        include_str!("../templates/staff/import_job.html"),
    ),
    (
        "staff/import_progress.html",
        include_str!("../templates/staff/import_progress.html"),
    ),
    (
        "staff/sip2.html",
        include_str!("../templates/staff/sip2.html"),
    ),
    (
        "staff/quarantine.html",
        include_str!("../templates/staff/quarantine.html"),
    ),
    (
        "staff/quarantine_entry.html",
        include_str!("../templates/staff/quarantine_entry.html"),
    ),
    (
        "staff/z_targets.html",
        include_str!("../templates/staff/z_targets.html"),
    ),
    (
        "staff/z_target.html",
        include_str!("../templates/staff/z_target.html"),
    ),
    (
        "staff/z_target_form.html",
        include_str!("../templates/staff/z_target_form.html"),
    ),
    (
        "staff/copy.html",
        include_str!("../templates/staff/copy.html"),
    ),
    (
        "staff/copy_duplicates.html",
        include_str!("../templates/staff/copy_duplicates.html"),
    ),
    (
        "public/record.html",
        include_str!("../templates/public/record.html"),
    ),
    (
        "public/marc.html",
        include_str!("../templates/public/marc.html"),
    ),
    (
        "public/help.html",
        include_str!("../templates/public/help.html"),
    ),
    (
        "staff/record.html",
        include_str!("../templates/staff/record.html"),
    ),
    (
        "staff/record_deleted.html",
        include_str!("../templates/staff/record_deleted.html"),
    ),
    (
        "staff/editor.html",
        include_str!("../templates/staff/editor.html"),
    ),
    (
        "staff/holdings.html",
        include_str!("../templates/staff/holdings.html"),
    ),
    (
        "staff/shelf_cart_print.html",
        include_str!("../templates/staff/shelf_cart_print.html"),
    ),
    (
        "staff/scheme_settings.html",
        include_str!("../templates/staff/scheme_settings.html"),
    ),
    (
        "staff/item.html",
        include_str!("../templates/staff/item.html"),
    ),
    (
        "staff/dashboard.html",
        include_str!("../templates/staff/dashboard.html"),
    ),
    (
        "staff/account.html",
        include_str!("../templates/staff/account.html"),
    ),
    (
        "staff/users.html",
        include_str!("../templates/staff/users.html"),
    ),
    (
        "staff/user.html",
        include_str!("../templates/staff/user.html"),
    ),
    (
        "staff/branches.html",
        include_str!("../templates/staff/branches.html"),
    ),
    (
        "staff/branch.html",
        include_str!("../templates/staff/branch.html"),
    ),
    (
        "staff/audit.html",
        include_str!("../templates/staff/audit.html"),
    ),
    (
        "staff/tokens.html",
        include_str!("../templates/staff/tokens.html"),
    ),
    (
        "public/my_macros.html",
        include_str!("../templates/public/my_macros.html"),
    ),
    (
        "public/my_login.html",
        include_str!("../templates/public/my_login.html"),
    ),
    (
        "public/my_loans.html",
        include_str!("../templates/public/my_loans.html"),
    ),
    (
        "public/my_holds.html",
        include_str!("../templates/public/my_holds.html"),
    ),
    (
        "public/my_fines.html",
        include_str!("../templates/public/my_fines.html"),
    ),
    (
        "public/my_history.html",
        include_str!("../templates/public/my_history.html"),
    ),
    (
        "public/my_settings.html",
        include_str!("../templates/public/my_settings.html"),
    ),
    (
        "staff/notices.html",
        include_str!("../templates/staff/notices.html"),
    ),
    (
        "staff/patrons.html",
        include_str!("../templates/staff/patrons.html"),
    ),
    (
        "staff/patron.html",
        include_str!("../templates/staff/patron.html"),
    ),
    (
        "staff/patron_history.html",
        include_str!("../templates/staff/patron_history.html"),
    ),
    (
        "staff/patron_form.html",
        include_str!("../templates/staff/patron_form.html"),
    ),
    (
        "staff/rules.html",
        include_str!("../templates/staff/rules.html"),
    ),
    (
        "staff/cards.html",
        include_str!("../templates/staff/cards.html"),
    ),
    (
        "staff/desk/macros.html",
        include_str!("../templates/staff/desk/macros.html"),
    ),
    (
        "staff/desk/loss.html",
        include_str!("../templates/staff/desk/loss.html"),
    ),
    (
        "staff/desk/checkout.html",
        include_str!("../templates/staff/desk/checkout.html"),
    ),
    (
        "staff/desk/checkout_line.html",
        include_str!("../templates/staff/desk/checkout_line.html"),
    ),
    (
        "staff/desk/checkout_slip.html",
        include_str!("../templates/staff/desk/checkout_slip.html"),
    ),
    (
        "staff/desk/checkin.html",
        include_str!("../templates/staff/desk/checkin.html"),
    ),
    (
        "staff/desk/checkin_line.html",
        include_str!("../templates/staff/desk/checkin_line.html"),
    ),
    (
        "staff/desk/checkin_slip.html",
        include_str!("../templates/staff/desk/checkin_slip.html"),
    ),
    (
        "staff/desk/fees.html",
        include_str!("../templates/staff/desk/fees.html"),
    ),
    (
        "staff/desk/receipt.html",
        include_str!("../templates/staff/desk/receipt.html"),
    ),
    (
        "staff/shelf_carts.html",
        include_str!("../templates/staff/shelf_carts.html"),
    ),
    (
        "staff/shelf_inventory.html",
        include_str!("../templates/staff/shelf_inventory.html"),
    ),
    (
        "staff/shelf_fix.html",
        include_str!("../templates/staff/shelf_fix.html"),
    ),
    (
        "public/shelf_browse.html",
        include_str!("../templates/public/shelf_browse.html"),
    ),
    (
        "staff/shelf_labels.html",
        include_str!("../templates/staff/shelf_labels.html"),
    ),
];

/// MARC language codes with a translated name (`language-<code>`); other
/// codes are shown as they are.
pub const LANGUAGES: &[&str] = &[
    "eng", "vie", "tgl", "fil", "phi", "spa", "fre", "ger", "chi", "jpn", "kor", "rus", "ara",
    "heb", "tha", "ita", "por", "lat",
];

/// Item statuses with a translated name (`status-<status>`).
pub const ITEM_STATUSES: &[&str] = &[
    "available",
    "checked-out",
    "reshelving",
    "in-transit",
    "on-hold-shelf",
    "on-order",
    "in-process",
    "lost",
    "long-overdue",
    "claims-returned",
    "missing",
    "damaged",
    "withdrawn",
];

pub struct Templates {
    env: Environment<'static>,
    i18n: Arc<I18n>,
    /// IANA zone in which staff pages show times.
    timezone: String,
}

fn locale_of(state: &State) -> Locale {
    state
        .lookup("locale")
        .and_then(|v| v.as_str().and_then(Locale::from_tag))
        .unwrap_or_default()
}

impl Templates {
    pub fn new(i18n: Arc<I18n>, timezone: &str) -> Result<Self, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, src) in TEMPLATES {
            env.add_template(name, src)
                .map_err(|e| format!("template {name}: {e}"))?;
        }
        // Code lists whose values have translations (`format-…`, `language-…`, `status-…`).
        env.add_global(
            "formats",
            Value::from_serialize(quire_library::catalog::FORMATS),
        );
        env.add_global("languages", Value::from_serialize(LANGUAGES));
        env.add_global("statuses", Value::from_serialize(ITEM_STATUSES));
        let i = i18n.clone();
        // {{ t("key", name=value) }}: a message in the page's language.
        env.add_function(
            "t",
            move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
                let mut args: Vec<(String, Value)> = Vec::new();
                for k in kwargs.args() {
                    args.push((k.to_owned(), kwargs.get::<Value>(k)?));
                }
                let owned: Vec<(String, String, Option<i64>)> = args
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.to_string(),
                            i64::try_from(v.clone()).ok().filter(|_| v.is_number()),
                        )
                    })
                    .collect();
                let fargs: Vec<(&str, Arg)> = owned
                    .iter()
                    .map(|(k, s, n)| (k.as_str(), n.map(Arg::Int).unwrap_or(Arg::Str(s.as_str()))))
                    .collect();
                Ok(i.t(locale_of(state), key, &fargs))
            },
        );
        let i = i18n.clone();
        // {{ ts | datetime }}: an RFC 3339 timestamp in the display time zone.
        env.add_filter("datetime", move |state: &State, v: Value| -> String {
            let tz: chrono_tz::Tz = state
                .lookup("timezone")
                .and_then(|t| t.as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(chrono_tz::UTC);
            match v
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            {
                Some(t) => quire_i18n::format::datetime(
                    &i,
                    locale_of(state),
                    t.with_timezone(&tz).naive_local(),
                ),
                None => v.to_string(),
            }
        });
        env.add_filter("number", move |state: &State, v: i64| -> String {
            quire_i18n::format::integer(locale_of(state), v)
        });
        // {{ minor | money }}: minor currency units as a decimal amount.
        env.add_filter("money", move |state: &State, v: i64| -> String {
            quire_i18n::format::hundredths(locale_of(state), v)
        });
        env.add_filter("hhmm", |m: i64| -> String {
            format!("{:02}:{:02}", m / 60, m % 60)
        });
        Ok(Templates {
            env,
            i18n,
            timezone: timezone.to_owned(),
        })
    }

    /// Renders `name` with the shared page context plus `data`.
    pub fn render<D: Serialize>(&self, req: &Req, name: &str, data: D) -> Result<String, Error> {
        let mut base = PageCtx::from(req);
        base.timezone = self.timezone.clone();
        let ctx =
            minijinja::context! { ..Value::from_serialize(&base), ..Value::from_serialize(&data) };
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| {
                let mut msg = format!("template {name}: {e}");
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg.push_str(&format!(": {s}"));
                    src = s.source();
                }
                Error::new(quire_library::ErrorCode::Internal, msg)
            })
    }

    /// A full HTML response.
    pub fn page<D: Serialize>(&self, req: &Req, name: &str, data: D) -> Result<Response, Error> {
        Ok(Html(self.render(req, name, data)?).into_response())
    }

    pub fn error_page(&self, req: &Req, status: StatusCode, e: &Error) -> String {
        let key = format!("error-{}", e.code.name());
        let data = minijinja::context! { status => status.as_u16(), message_key => key };
        self.render(req, "error.html", data).unwrap_or_else(|err| {
            tracing::error!(error = %err.detail, "error page failed to render");
            format!(
                "<!doctype html><title>{status}</title><p>{status} ({})</p>",
                req.request_id
            )
        })
    }

    /// The time zone pages show times in.
    pub fn timezone(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::UTC)
    }

    pub fn i18n(&self) -> &I18n {
        &self.i18n
    }
}

/// What every page gets: language, user, CSRF token, navigation rights.
#[derive(Serialize)]
struct PageCtx {
    locale: &'static str,
    locales: Vec<(&'static str, &'static str)>,
    staff: Option<StaffNav>,
    patron: Option<PatronNav>,
    csrf: String,
    request_id: String,
    path: String,
    back: String,
    timezone: String,
}

#[derive(Serialize)]
struct PatronNav {
    display_name: String,
}

#[derive(Serialize)]
struct StaffNav {
    username: String,
    display_name: String,
    can_manage_staff: bool,
    can_manage_branches: bool,
    can_view_audit: bool,
    can_manage_tokens: bool,
    can_import: bool,
    can_view_patrons: bool,
    can_manage_policies: bool,
    can_circulate: bool,
    can_reshelve: bool,
    can_view_notices: bool,
}

impl From<&Req> for PageCtx {
    fn from(r: &Req) -> Self {
        PageCtx {
            locale: r.locale.tag(),
            locales: Locale::ALL.iter().map(|l| (l.tag(), l.endonym())).collect(),
            staff: r.staff.as_ref().map(|s| StaffNav {
                username: s.username.clone(),
                display_name: s.display_name.clone(),
                can_manage_staff: r.can(Permission::ManageStaff),
                can_manage_branches: r.can(Permission::ManageBranches),
                can_view_audit: r.can(Permission::ViewAudit),
                can_manage_tokens: r.can(Permission::ManageApiTokens),
                can_import: r.can(Permission::ImportRecords),
                can_view_patrons: r.can(Permission::ViewPatrons),
                can_manage_policies: r.can(Permission::ManagePolicies),
                can_circulate: r.can(Permission::Circulate),
                can_reshelve: r.can(Permission::Reshelve),
                can_view_notices: r.can(Permission::ViewPatrons),
            }),
            patron: r.patron.as_ref().map(|p| PatronNav {
                display_name: p.display_name.clone(),
            }),
            csrf: r.csrf_token.clone(),
            request_id: r.request_id.clone(),
            path: r.path.clone(),
            back: r.path_and_query.clone(),
            timezone: "UTC".into(),
        }
    }
}
