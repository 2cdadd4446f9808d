//! HTML pages: the public landing page, login, and the staff area.

mod account;
mod admin;
mod auth;
mod catalog;
mod cataloging;
mod copycat;
mod desk;
mod holds;
mod my;
pub(crate) mod opac;
mod patrons;
mod print;
mod shelf;
mod sip2;

pub use patrons::i18n_keys as patron_i18n_keys;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use quire_library::{Error, ErrorCode};

use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(healthz))
        .route("/search", get(opac::search))
        .route("/record/{id}", get(opac::record))
        .route("/record/{id}/marc", get(opac::record_marc))
        .route("/help", get(opac::help))
        .route("/browse", get(opac::browse))
        .route("/my", get(my::loans))
        .route("/my/login", get(my::login_page).post(my::login))
        .route("/my/logout", post(my::logout))
        .route("/my/renew", post(my::renew))
        .route("/my/fines", get(my::fines))
        .route("/my/history", get(my::history).post(my::set_history))
        .route("/my/holds", get(my::holds).post(my::place_hold))
        .route("/my/holds/{id}/cancel", post(my::cancel_hold))
        .route("/my/holds/{id}/pickup", post(my::change_pickup))
        .route("/my/account", get(my::settings))
        .route("/my/pin", post(my::change_pin))
        .route("/my/language", post(my::set_language))
        .route("/staff/notices", get(my::notices))
        .route("/staff/notices/{id}/resend", post(my::resend))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::switch_language))
        .route("/staff", get(dashboard))
        .route("/staff/account", get(account::page))
        .route("/staff/account/password", post(account::change_password))
        .route("/staff/users", get(admin::users).post(admin::create_user))
        .route("/staff/users/{id}", get(admin::user))
        .route("/staff/users/{id}/roles", post(admin::set_roles))
        .route("/staff/users/{id}/active", post(admin::set_active))
        .route("/staff/users/{id}/password", post(admin::reset_password))
        .route(
            "/staff/branches",
            get(admin::branches).post(admin::create_branch),
        )
        .route(
            "/staff/branches/{id}",
            get(admin::branch).post(admin::update_branch),
        )
        .route("/staff/branches/{id}/hours", post(admin::set_hours))
        .route(
            "/staff/branches/{id}/locations",
            post(admin::create_location),
        )
        .route(
            "/staff/branches/{id}/closed-days",
            post(patrons::add_closed),
        )
        .route(
            "/staff/branches/{id}/closed-days/remove",
            post(patrons::remove_closed),
        )
        .route("/staff/patrons", get(patrons::search))
        .route(
            "/staff/patrons/new",
            get(patrons::new_page).post(patrons::create),
        )
        .route("/staff/patrons/{id}", get(patrons::detail))
        .route(
            "/staff/patrons/{id}/edit",
            get(patrons::edit_page).post(patrons::update),
        )
        .route("/staff/patrons/{id}/notes", post(patrons::set_notes))
        .route("/staff/patrons/{id}/history", get(patrons::history))
        .route("/staff/patrons/{id}/blocks", post(patrons::add_block))
        .route(
            "/staff/patrons/{id}/blocks/{block}/lift",
            post(patrons::lift_block),
        )
        .route(
            "/staff/patrons/{id}/replace-card",
            post(patrons::replace_card),
        )
        .route("/staff/patrons/{id}/pin", post(patrons::set_pin))
        .route(
            "/staff/circ/rules",
            get(patrons::rules).post(patrons::save_rule),
        )
        .route("/staff/circ/rules/{id}/delete", post(patrons::delete_rule))
        .route(
            "/staff/circ/cards",
            get(patrons::cards).post(patrons::save_cards),
        )
        .route("/staff/audit", get(admin::audit))
        .route("/staff/sip2", get(sip2::page).post(sip2::create))
        .route("/staff/sip2/password", post(sip2::reset_password))
        .route("/staff/sip2/delete", post(sip2::delete))
        .route(
            "/staff/catalog/import",
            get(catalog::import_page)
                .post(catalog::start_import)
                .layer(axum::extract::DefaultBodyLimit::max(catalog::MAX_UPLOAD)),
        )
        .route("/staff/catalog/import/{id}", get(catalog::job_page))
        .route("/staff/catalog/quarantine", get(catalog::quarantine_page))
        .route("/staff/catalog/copy", get(copycat::copy_page))
        .route("/staff/catalog/copy/import", post(copycat::import))
        .route(
            "/staff/z-targets",
            get(copycat::targets).post(copycat::create_target),
        )
        .route(
            "/staff/z-targets/{id}",
            get(copycat::target).post(copycat::update_target),
        )
        .route("/staff/z-targets/{id}/delete", post(copycat::delete_target))
        .route(
            "/staff/catalog/quarantine/{id}",
            get(catalog::quarantine_entry),
        )
        .route(
            "/staff/catalog/quarantine/{id}/discard",
            post(catalog::discard),
        )
        .route("/staff/catalog/quarantine/{id}/retry", post(catalog::retry))
        .route(
            "/staff/catalog/records/new",
            get(cataloging::new_record).post(cataloging::save_new),
        )
        .route(
            "/staff/catalog/records/deleted",
            get(cataloging::deleted_page),
        )
        .route("/staff/catalog/records/{id}", get(cataloging::record_page))
        .route(
            "/staff/catalog/records/{id}/edit",
            get(cataloging::edit_record).post(cataloging::save_existing),
        )
        .route(
            "/staff/catalog/records/{id}/delete",
            post(cataloging::delete_record),
        )
        .route(
            "/staff/catalog/records/{id}/items/new",
            get(cataloging::new_item).post(cataloging::create_item),
        )
        .route(
            "/staff/items/{id}/edit",
            get(cataloging::edit_item).post(cataloging::update_item),
        )
        .route("/staff/items/{id}/delete", post(cataloging::delete_item))
        .route(
            "/staff/catalog/holdings",
            get(cataloging::holdings_page).post(cataloging::save_holdings),
        )
        .route(
            "/staff/catalog/call-numbers",
            get(cataloging::scheme_settings_page).post(cataloging::save_scheme_settings),
        )
        .route(
            "/staff/catalog/call-numbers/branch",
            post(cataloging::save_branch_scheme),
        )
        .route(
            "/staff/api-tokens",
            get(admin::tokens).post(admin::create_token),
        )
        .route("/staff/api-tokens/{id}/revoke", post(admin::revoke_token))
        .route("/staff/holds/pull-list", get(holds::pull_list))
        .route("/staff/holds/shelf", get(holds::hold_shelf))
        .route(
            "/staff/holds/record/{id}",
            get(holds::record).post(holds::place),
        )
        .route("/staff/holds/{id}/cancel", post(holds::cancel))
        .route("/staff/transits", get(holds::transits).post(holds::receive))
        .route(
            "/staff/circ/checkout",
            get(desk::checkout_page).post(desk::checkout),
        )
        .route("/staff/circ/checkout/slip", get(desk::checkout_slip))
        .route("/staff/circ/renew", post(desk::renew))
        .route("/staff/circ/loan-mark", post(desk::loan_mark))
        .route(
            "/staff/circ/checkin",
            get(desk::checkin_page).post(desk::checkin),
        )
        .route("/staff/circ/checkin/slip", get(desk::checkin_slip))
        .route("/staff/patrons/{id}/fees", get(desk::fees_page))
        .route("/staff/patrons/{id}/fees/payments", post(desk::pay))
        .route("/staff/patrons/{id}/fees/waivers", post(desk::waive))
        .route("/staff/patrons/{id}/fees/charges", post(desk::charge))
        .route("/staff/patrons/{id}/fees/{fee}/receipt", get(desk::receipt))
        .merge(shelf::routes())
}

async fn home(State(state): State<AppState>, req: Req) -> PageResult {
    let branches = state.lib.public_branches().await.or_page(&state, &req)?;
    state
        .templates
        .page(
            &req,
            "public/home.html",
            minijinja::context! { branches, weekdays => weekdays() },
        )
        .or_page(&state, &req)
}

/// Weekday numbers 0 (Monday) … 6 with their message keys.
pub(crate) fn weekdays() -> Vec<(u8, String)> {
    (0u8..7).map(|d| (d, format!("weekday-{d}"))).collect()
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.lib.healthy().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

async fn dashboard(State(state): State<AppState>, req: Req) -> PageResult {
    let ctx = req
        .require(quire_domain::staff::Permission::StaffArea)
        .or_page(&state, &req)?;
    let figures = state.lib.dashboard(&ctx).await.or_page(&state, &req)?;
    state
        .templates
        .page(
            &req,
            "staff/dashboard.html",
            minijinja::context! { figures },
        )
        .or_page(&state, &req)
}

/// The 404 page (and JSON 404 under /api).
pub async fn not_found(State(state): State<AppState>, req: Req) -> Response {
    let e = WebError::new(Error::new(
        ErrorCode::NotFound,
        format!("no page at {}", req.path),
    ))
    .with_req(&req);
    let json = req.path.starts_with("/api/");
    e.into_response_for(&state, json)
}

/// Only same-site paths are followed after login / language switch.
pub(crate) fn local_path(p: &str, default: &str) -> String {
    if p.starts_with('/')
        && !p.starts_with("//")
        && !p.starts_with("/\\")
        && !p.contains(['\r', '\n'])
    {
        p.to_owned()
    } else {
        default.to_owned()
    }
}

pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_redirects() {
        assert_eq!(super::local_path("/staff/users", "/"), "/staff/users");
        assert_eq!(super::local_path("//evil.example", "/"), "/");
        assert_eq!(super::local_path("https://evil.example", "/"), "/");
        assert_eq!(super::local_path("/\\evil.example", "/"), "/");
        assert_eq!(super::local_path("", "/staff"), "/staff");
    }
}
