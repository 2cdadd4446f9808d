//! Staff pages for patrons (search, registration, details, edits, notes,
//! blocks, card replacement, PIN), the policy matrix with its "what
//! applies?" tester, the card numbering settings and branch closed days.
//! Handlers only translate forms ↔ `Library` calls.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use quire_domain::circ::form::{PolicyForm, parse_rule_key};
use quire_domain::patron::{CATEGORIES, CardSchemeForm, NoticePref, PatronForm};
use quire_domain::staff::Permission;
use quire_library::circulation::MONEY_DECIMALS;
use quire_library::patrons::BlockForm;
use quire_library::policy_admin::ClosedDaysForm;
use serde::Deserialize;

use super::admin::page_with;
use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

/// Notices shown after a redirect (anything else is ignored).
fn notice_key(n: &str) -> Option<String> {
    match n {
        "saved" | "created" => Some(format!("notice-{n}")),
        "card-replaced" | "pin-set" | "pin-cleared" | "blocked" | "unblocked" | "deleted"
        | "closed-added" | "closed-removed" => Some(format!("patron-notice-{n}")),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    notice: String,
}

fn patron_form(f: &FormData) -> PatronForm {
    PatronForm {
        barcode: f.get("barcode"),
        first_name: f.get("first_name"),
        last_name: f.get("last_name"),
        category: f.get("category"),
        home_branch: f.get("home_branch"),
        email: f.get("email"),
        phone: f.get("phone"),
        birth_date: f.get("birth_date"),
        preferred_locale: f.get("preferred_locale"),
        pin: f.get("pin"),
        address: f.get("address"),
        guardian: f.get("guardian"),
        notice_pref: f.get("notice_pref"),
        keep_history: if f.checked("keep_history") {
            "on".into()
        } else {
            String::new()
        },
        expires_on: f.get("expires_on"),
    }
}

fn notice_prefs() -> Vec<&'static str> {
    NoticePref::ALL.iter().map(|n| n.as_str()).collect()
}

// ---- search ----

pub async fn search(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(&state, &req)?;
    let found = state
        .lib
        .search_patrons(&ctx, &q.q)
        .await
        .or_page(&state, &req)?;
    let can_edit = req.can(Permission::EditPatrons);
    page_with(
        &state,
        &req,
        "staff/patrons.html",
        &FormErrors::default(),
        minijinja::context! { q => q.q.trim(), found, can_edit, notice => notice_key(&q.notice) },
    )
}

// ---- registration and edit ----

async fn render_form(
    state: &AppState,
    req: &Req,
    patron_id: Option<i64>,
    errors: FormErrors,
    values: std::collections::BTreeMap<String, String>,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(state, req)?;
    let branches = state.lib.branches(&ctx).await.or_page(state, req)?;
    let duplicate = errors.fields.contains_key("confirm_duplicate");
    page_with(
        state,
        req,
        "staff/patron_form.html",
        &errors,
        minijinja::context! {
            patron_id, values, branches, duplicate,
            categories => CATEGORIES, notice_prefs => notice_prefs(),
        },
    )
}

pub async fn new_page(State(state): State<AppState>, req: Req) -> PageResult {
    let mut values = std::collections::BTreeMap::new();
    values.insert("category".to_owned(), "ADULT".to_owned());
    render_form(&state, &req, None, FormErrors::default(), values).await
}

pub async fn create(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let confirm = f.checked("confirm_duplicate");
    match state
        .lib
        .register_patron_with(&ctx, &patron_form(&f), confirm)
        .await
    {
        Ok(p) => Ok(see_other(&format!(
            "/staff/patrons/{}?notice=created",
            p.id
        ))),
        Err(e) if !e.fields.is_empty() => {
            let mut values = f.values();
            values.remove("pin");
            values.remove("confirm_duplicate");
            render_form(
                &state,
                &req,
                None,
                FormErrors::from_error(&state, req.locale, &e),
                values,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn edit_page(State(state): State<AppState>, req: Req, Path(id): Path<i64>) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let d = state
        .lib
        .patron_detail(&ctx, id)
        .await
        .or_page(&state, &req)?;
    let p = &d.patron;
    let mut v = std::collections::BTreeMap::new();
    let mut put = |k: &str, val: &str| {
        v.insert(k.to_owned(), val.to_owned());
    };
    put("first_name", &p.first_name);
    put("last_name", &p.last_name);
    put("category", &p.category);
    put("home_branch", &d.home_branch);
    put("email", p.email.as_deref().unwrap_or(""));
    put("phone", p.phone.as_deref().unwrap_or(""));
    put("birth_date", p.birth_date.as_deref().unwrap_or(""));
    put(
        "preferred_locale",
        p.preferred_locale.as_deref().unwrap_or(""),
    );
    put("expires_on", &p.expires_on);
    put("address", d.extra.address.as_deref().unwrap_or(""));
    put("guardian", d.extra.guardian.as_deref().unwrap_or(""));
    put("notice_pref", &d.extra.notice_pref);
    if d.extra.keep_history {
        put("keep_history", "on");
    }
    render_form(&state, &req, Some(id), FormErrors::default(), v).await
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let confirm = f.checked("confirm_duplicate");
    match state
        .lib
        .update_patron(&ctx, id, &patron_form(&f), confirm)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/staff/patrons/{id}?notice=saved"))),
        Err(e) if !e.fields.is_empty() => {
            let mut values = f.values();
            values.remove("confirm_duplicate");
            render_form(
                &state,
                &req,
                Some(id),
                FormErrors::from_error(&state, req.locale, &e),
                values,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

// ---- details and desk actions ----

#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

pub async fn detail(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    render_detail(
        &state,
        &req,
        id,
        FormErrors::default(),
        FormData::default(),
        notice_key(&q.notice),
    )
    .await
}

async fn render_detail(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    form: FormData,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(state, req)?;
    let d = state
        .lib
        .patron_detail(&ctx, id)
        .await
        .or_page(state, req)?;
    let can_edit = req.can(Permission::EditPatrons);
    let can_circulate = req.can(Permission::Circulate);
    let balance = quire_domain::circ::form::format_money(d.balance_minor, MONEY_DECIMALS);
    page_with(
        state,
        req,
        "staff/patron.html",
        &errors,
        minijinja::context! {
            d, can_edit, can_circulate, balance, notice, values => form.values(),
        },
    )
}

/// `?page=` of the staff reading-history page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HistoryPageQ {
    page: i64,
}

/// A patron's reading history for staff (view-patrons + circulate), only
/// when the patron opted in; newest first, paged like `/my/history`.
pub async fn history(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<HistoryPageQ>,
) -> PageResult {
    let ctx = req.require(Permission::ViewPatrons).or_page(&state, &req)?;
    let (patron, history) = state
        .lib
        .patron_reading_history_by_id(&ctx, id, q.page.max(1))
        .await
        .or_page(&state, &req)?;
    page_with(
        &state,
        &req,
        "staff/patron_history.html",
        &FormErrors::default(),
        minijinja::context! { who => patron, history },
    )
}

async fn detail_result<T>(
    state: &AppState,
    req: &Req,
    id: i64,
    form: FormData,
    r: Result<T, quire_library::Error>,
    notice: &str,
) -> PageResult {
    match r {
        Ok(_) => Ok(see_other(&format!("/staff/patrons/{id}?notice={notice}"))),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(state, req.locale, &e);
            render_detail(state, req, id, errors, form, None).await
        }
        Err(e) => Err(e).or_page(state, req),
    }
}

pub async fn set_notes(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state.lib.set_patron_notes(&ctx, id, &f.get("notes")).await;
    detail_result(&state, &req, id, f, r, "saved").await
}

pub async fn add_block(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = BlockForm {
        note: f.get("note"),
        stops_checkout: f.checked("stops_checkout"),
        stops_renew: f.checked("stops_renew"),
        stops_hold: f.checked("stops_hold"),
        overridable: f.checked("overridable"),
        until: f.get("until"),
    };
    let r = state.lib.add_patron_block(&ctx, id, &form).await;
    detail_result(&state, &req, id, f, r, "blocked").await
}

pub async fn lift_block(
    State(state): State<AppState>,
    req: Req,
    Path((id, block)): Path<(i64, i64)>,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let r = state.lib.lift_patron_block(&ctx, id, block).await;
    detail_result(&state, &req, id, FormData::default(), r, "unblocked").await
}

pub async fn replace_card(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let r = state
        .lib
        .replace_card(&ctx, id, &f.get("new_barcode"), &f.get("card_reason"))
        .await
        .map_err(|mut e| {
            // The form's field is `new_barcode`.
            for fe in &mut e.fields {
                if fe.field == "barcode" {
                    fe.field = "new_barcode";
                } else if fe.field == "reason" {
                    fe.field = "card_reason";
                }
            }
            e
        });
    detail_result(&state, &req, id, f, r, "card-replaced").await
}

pub async fn set_pin(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditPatrons).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let pin = f.get("pin");
    let notice = if pin.trim().is_empty() {
        "pin-cleared"
    } else {
        "pin-set"
    };
    let r = state.lib.set_patron_pin(&ctx, id, &pin).await;
    detail_result(&state, &req, id, FormData::default(), r, notice).await
}

// ---- policy matrix ----

#[derive(Debug, Default, Deserialize)]
pub struct RulesQuery {
    #[serde(default)]
    edit: Option<i64>,
    #[serde(default)]
    test_category: String,
    #[serde(default)]
    test_item_type: String,
    #[serde(default)]
    test_branch: String,
    #[serde(default)]
    notice: String,
}

/// Policy form fields in display order: (name, kind, choices).
fn policy_fields() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let text = |n| (n, "text", Vec::new());
    let check = |n| (n, "check", Vec::new());
    let choice = |n, c: &[&'static str]| (n, "choice", c.to_vec());
    vec![
        check("circulates"),
        text("loan_period"),
        choice("loan_unit", &["days", "hours"]),
        text("renewals_allowed"),
        text("renewal_period"),
        choice("renewal_unit", &["days", "hours"]),
        choice("renewal_base", &["now", "current-due-date"]),
        text("no_renewal_before_days"),
        text("max_loans_total"),
        text("max_loans_for_type"),
        text("fine_amount"),
        choice("fine_interval", &["day", "hour"]),
        text("max_fine"),
        text("grace_periods"),
        choice("grace_mode", &["forgiven", "retroactive"]),
        check("fines_skip_closed_days"),
        check("holds_allowed"),
        text("max_holds"),
        text("hold_shelf_open_days"),
        choice("due_on_closed_day", &["next-open-day", "previous-open-day"]),
        choice(
            "hourly_after_hours",
            &["shorten-to-closing", "extend-to-opening"],
        ),
        check("cap_at_expiry"),
        text("hard_due_date"),
        text("long_overdue_after_days"),
        text("lost_after_days"),
        text("lost_processing_fee"),
        text("lost_replacement_fee"),
        choice("lost_found", &["refund", "keep", "waive-unpaid"]),
    ]
}

fn policy_values(p: &PolicyForm) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(p) {
        for (k, v) in m {
            let s = match v {
                serde_json::Value::Bool(true) => "on".to_owned(),
                serde_json::Value::Bool(false) => String::new(),
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.insert(k, s);
        }
    }
    out
}

fn policy_form(f: &FormData) -> PolicyForm {
    let mut m = serde_json::Map::new();
    for (name, kind, _) in policy_fields() {
        let v = if kind == "check" {
            serde_json::Value::Bool(f.checked(name))
        } else {
            serde_json::Value::String(f.get(name))
        };
        m.insert(name.to_owned(), v);
    }
    serde_json::from_value(serde_json::Value::Object(m)).unwrap_or_default()
}

pub async fn rules(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<RulesQuery>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let mut values = std::collections::BTreeMap::new();
    if let Some(id) = q.edit {
        let list = state.lib.rules(&ctx).await.or_page(&state, &req)?;
        if let Some(r) = list.iter().find(|r| r.id == id) {
            values = policy_values(&PolicyForm::from_policy(&r.policy, MONEY_DECIMALS));
            let star = |o: &Option<String>| o.clone().unwrap_or_default();
            values.insert("patron_category".into(), star(&r.patron_category));
            values.insert("item_type".into(), star(&r.item_type));
            values.insert("branch".into(), star(&r.branch));
        }
    } else {
        values = policy_values(&PolicyForm::from_policy(
            &quire_domain::circ::policy::Policy::book_default(),
            MONEY_DECIMALS,
        ));
    }
    let mut errors = FormErrors::default();
    let mut test = None;
    let testing =
        !(q.test_category.is_empty() && q.test_item_type.is_empty() && q.test_branch.is_empty());
    if testing {
        match state
            .lib
            .test_rules(&ctx, &q.test_category, &q.test_item_type, &q.test_branch)
            .await
        {
            Ok(t) => test = Some(t),
            Err(e) if !e.fields.is_empty() => {
                errors = FormErrors::from_error(&state, req.locale, &e)
            }
            Err(e) => return Err(e).or_page(&state, &req),
        }
    }
    values.insert("test_category".into(), q.test_category.clone());
    values.insert("test_item_type".into(), q.test_item_type.clone());
    values.insert("test_branch".into(), q.test_branch.clone());
    render_rules(
        &state,
        &req,
        errors,
        values,
        q.edit,
        test,
        notice_key(&q.notice),
    )
    .await
}

async fn render_rules(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    values: std::collections::BTreeMap<String, String>,
    editing: Option<i64>,
    test: Option<quire_library::policy_admin::RuleTest>,
    notice: Option<String>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(state, req)?;
    let list = state.lib.rules(&ctx).await.or_page(state, req)?;
    // Most specific first: the order in which rules win.
    let mut rows: Vec<_> = list
        .iter()
        .map(|r| {
            let spec = u8::from(r.branch.is_some()) * 4
                + u8::from(r.item_type.is_some()) * 2
                + u8::from(r.patron_category.is_some());
            let p = PolicyForm::from_policy(&r.policy, MONEY_DECIMALS);
            minijinja::context! {
                id => r.id, patron_category => r.patron_category, item_type => r.item_type,
                branch => r.branch, specificity => spec, p,
            }
        })
        .collect();
    rows.sort_by_key(|r| {
        let spec = r
            .get_attr("specificity")
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .unwrap_or(0);
        let id = r
            .get_attr("id")
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .unwrap_or(0);
        (-spec, id)
    });
    let test = test.map(|t| {
        let policy = PolicyForm::from_policy(&t.resolution.policy, MONEY_DECIMALS);
        // Every step with all four message arguments (empty when unused).
        let explanation: Vec<(String, std::collections::BTreeMap<String, String>)> = t
            .explanation
            .iter()
            .map(|(code, args)| {
                let mut m: std::collections::BTreeMap<String, String> =
                    ["rule", "winner", "dimension", "specificity"]
                        .iter()
                        .map(|k| ((*k).to_owned(), String::new()))
                        .collect();
                for (k, v) in args {
                    m.insert(k.clone(), v.clone());
                }
                (code.clone(), m)
            })
            .collect();
        minijinja::context! { matched => t.matched_rule_id, explanation, policy }
    });
    page_with(
        state,
        req,
        "staff/rules.html",
        &errors,
        minijinja::context! {
            rules => rows, values, editing, test, notice,
            fields => policy_fields(), categories => CATEGORIES,
        },
    )
}

pub async fn save_rule(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let key = parse_rule_key(
        &f.get("patron_category"),
        &f.get("item_type"),
        &f.get("branch"),
    );
    let policy = policy_form(&f).parse(MONEY_DECIMALS);
    let r = match (key, policy) {
        (Ok(k), Ok(p)) => state.lib.set_rule(&ctx, &k, &p).await.map(|_| ()),
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            Err(a.into())
        }
        (Err(a), _) | (_, Err(a)) => Err(a.into()),
    };
    match r {
        Ok(()) => Ok(see_other("/staff/circ/rules?notice=saved")),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            let mut values = f.values();
            for k in ["test_category", "test_item_type", "test_branch"] {
                values.insert(k.into(), String::new());
            }
            let editing = f.get("editing").parse().ok();
            render_rules(&state, &req, errors, values, editing, None, None).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn delete_rule(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    state
        .lib
        .delete_rule(&ctx, id)
        .await
        .or_page(&state, &req)?;
    Ok(see_other("/staff/circ/rules?notice=deleted"))
}

// ---- card numbering ----

pub async fn cards(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let s = state.lib.card_settings(&ctx).await.or_page(&state, &req)?;
    render_cards(
        &state,
        &req,
        FormErrors::default(),
        &s,
        notice_key(&q.notice),
    )
}

fn render_cards(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    s: &CardSchemeForm,
    notice: Option<String>,
) -> PageResult {
    let example = s
        .parse()
        .ok()
        .and_then(|scheme| scheme.generate(1).ok())
        .unwrap_or_default();
    page_with(
        state,
        req,
        "staff/cards.html",
        &errors,
        minijinja::context! {
            values => minijinja::context! { prefix => s.prefix, length => s.length, check => s.check },
            example, notice,
        },
    )
}

pub async fn save_cards(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = CardSchemeForm {
        prefix: f.get("prefix"),
        length: f.get("length"),
        check: f.get("check"),
    };
    match state.lib.set_card_settings(&ctx, &form).await {
        Ok(_) => Ok(see_other("/staff/circ/cards?notice=saved")),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_cards(&state, &req, errors, &form, None)
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

// ---- closed days (shown on the branch page) ----

pub async fn add_closed(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageBranches)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = ClosedDaysForm {
        from: f.get("from"),
        to: f.get("to"),
        reason: f.get("reason"),
    };
    match state.lib.add_closed_days(&ctx, id, &form).await {
        Ok(_) => Ok(see_other(&format!(
            "/staff/branches/{id}?notice=closed-added#closed-h"
        ))),
        Err(e) if !e.fields.is_empty() => {
            super::admin::render_branch_with(
                &state,
                &req,
                id,
                FormErrors::from_error(&state, req.locale, &e),
                Some(f),
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn remove_closed(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManageBranches)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    state
        .lib
        .remove_closed_day(&ctx, id, &f.get("day"))
        .await
        .or_page(&state, &req)?;
    Ok(see_other(&format!(
        "/staff/branches/{id}?notice=closed-removed#closed-h"
    )))
}

/// For the branch page: notices of the closed-days forms.
pub(crate) fn closed_notice(n: &str) -> Option<String> {
    matches!(n, "closed-added" | "closed-removed").then(|| format!("patron-notice-{n}"))
}

/// Message keys these pages build at run time (`category-…`, `block-…`,
/// `notice-pref-…`, `choice-…`, `unit-…`, `rules-explain-…`, policy field
/// labels, notices, barcode reasons), for the i18n completeness test.
pub fn i18n_keys() -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        CATEGORIES
            .iter()
            .map(|c| format!("category-{}", c.to_lowercase())),
    );
    keys.extend(notice_prefs().iter().map(|n| format!("notice-pref-{n}")));
    for r in [
        "card-expired",
        "card-lost",
        "fines-over-limit",
        "too-many-overdues",
        "too-many-claims-returned",
        "manual",
    ] {
        keys.push(format!("block-{r}"));
    }
    for (name, _, choices) in policy_fields() {
        keys.push(format!("field-{}", name.replace('_', "-")));
        keys.extend(choices.iter().map(|c| format!("choice-{c}")));
    }
    keys.extend(["mod10", "none"].iter().map(|c| format!("choice-{c}")));
    keys.extend(
        ["days", "hours", "day", "hour"]
            .iter()
            .map(|u| format!("unit-{u}")),
    );
    for s in [
        "not-matching",
        "matches",
        "less-specific",
        "duplicate-key",
        "selected",
        "no-rule-matched",
    ] {
        keys.push(format!("rules-explain-{s}"));
    }
    for n in [
        "card-replaced",
        "pin-set",
        "pin-cleared",
        "blocked",
        "unblocked",
        "deleted",
        "closed-added",
        "closed-removed",
    ] {
        keys.extend(notice_key(n));
    }
    for r in ["characters", "length", "prefix", "check-digit"] {
        keys.push(format!("reason-barcode-{r}"));
    }
    keys
}
