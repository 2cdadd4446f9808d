//! Copy cataloging: the Z39.50/SRU targets (`/staff/z-targets`) and the
//! screen that searches them and imports a record (`/staff/catalog/copy`).
//! The protocol client is quire-interop's `copycat`; targets, duplicate
//! detection and the import are `Library` calls.

use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use base64::Engine;
use quire_domain::staff::Permission;
use quire_interop::copycat::{CopyQuery, Target, TargetResult, search_all};
use quire_library::copycat::{CHARSETS, CopyImport, SYNTAXES, ZTargetForm, ZTargetRow};
use serde::Serialize;

use super::account::{Notice, notice_key};
use super::admin::page_with;
use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

/// Records fetched from each target.
const PER_TARGET: usize = 10;

fn target_form(f: &FormData) -> ZTargetForm {
    ZTargetForm {
        name: f.get("name"),
        host: f.get("host"),
        port: f.get("port"),
        database: f.get("database"),
        syntax: f.get("syntax"),
        charset: f.get("charset"),
        sru_url: f.get("sru_url"),
        enabled: f.checked("enabled"),
    }
}

// ---- targets ----

pub async fn targets(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<Notice>,
) -> PageResult {
    let mut defaults = FormData::default();
    defaults.0.push(("enabled".into(), "on".into()));
    defaults.0.push(("port".into(), "210".into()));
    defaults.0.push(("database".into(), "Default".into()));
    render_targets(
        &state,
        &req,
        FormErrors::default(),
        defaults,
        notice_key(&q.notice),
    )
    .await
}

async fn render_targets(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    form: FormData,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ImportRecords).or_page(state, req)?;
    let targets = state.lib.z_targets(&ctx).await.or_page(state, req)?;
    let can_edit = req.can(Permission::ManagePolicies);
    page_with(
        state,
        req,
        "staff/z_targets.html",
        &errors,
        minijinja::context! {
            targets, can_edit, values => form.values(), notice,
            syntaxes => SYNTAXES, charsets => CHARSETS,
        },
    )
}

pub async fn create_target(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state.lib.save_z_target(&ctx, None, &target_form(&f)).await {
        Ok(_) => Ok(see_other("/staff/z-targets?notice=created")),
        Err(e) if !e.fields.is_empty() => {
            render_targets(
                &state,
                &req,
                FormErrors::from_error(&state, req.locale, &e),
                f,
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn target(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> PageResult {
    render_target(
        &state,
        &req,
        id,
        FormErrors::default(),
        None,
        notice_key(&q.notice),
    )
    .await
}

async fn render_target(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    form: Option<FormData>,
    notice: Option<String>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(state, req)?;
    let t = state.lib.z_target(&ctx, id).await.or_page(state, req)?;
    let values = match form {
        Some(f) => f.values(),
        None => {
            let mut f = FormData::default();
            let mut put = |k: &str, v: String| f.0.push((k.to_string(), v));
            put("name", t.name.clone());
            put("host", t.host.clone().unwrap_or_default());
            put("port", t.port.map(|p| p.to_string()).unwrap_or_default());
            put("database", t.database_name.clone());
            put("syntax", t.syntax.clone());
            put("charset", t.charset.clone());
            put("sru_url", t.sru_url.clone().unwrap_or_default());
            if t.enabled {
                put("enabled", "on".into());
            }
            f.values()
        }
    };
    page_with(
        state,
        req,
        "staff/z_target.html",
        &errors,
        minijinja::context! {
            target => t, values, notice, syntaxes => SYNTAXES, charsets => CHARSETS,
        },
    )
}

pub async fn update_target(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state
        .lib
        .save_z_target(&ctx, Some(id), &target_form(&f))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/staff/z-targets/{id}?notice=saved"))),
        Err(e) if !e.fields.is_empty() => {
            render_target(
                &state,
                &req,
                id,
                FormErrors::from_error(&state, req.locale, &e),
                Some(f),
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn delete_target(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    state
        .lib
        .delete_z_target(&ctx, id)
        .await
        .or_page(&state, &req)?;
    Ok(see_other("/staff/z-targets?notice=target-deleted"))
}

// ---- the copy cataloging screen ----

/// One hit as the page shows it, with the record to import.
#[derive(Serialize)]
struct HitView {
    title: String,
    author: Option<String>,
    date: Option<String>,
    isbn: Option<String>,
    control_number: Option<String>,
    source: String,
    record: String,
}

#[derive(Serialize)]
struct ResultView {
    target: String,
    total: u64,
    error: Option<String>,
    error_kind: Option<&'static str>,
    hits: Vec<HitView>,
}

fn view(r: TargetResult) -> ResultView {
    let b64 = base64::engine::general_purpose::STANDARD;
    ResultView {
        hits: r
            .hits
            .into_iter()
            .map(|h| HitView {
                record: b64.encode(&h.marc),
                title: h.title,
                author: h.author,
                date: h.date,
                isbn: h.isbn,
                control_number: h.control_number,
                source: r.target.clone(),
            })
            .collect(),
        target: r.target,
        total: r.total,
        error: r.error,
        error_kind: r.error_kind,
    }
}

fn to_target(state: &AppState, t: &ZTargetRow) -> Target {
    Target {
        tls: state.copy.tls.clone(),
        name: t.name.clone(),
        host: t.host.clone(),
        port: t.port.and_then(|p| u16::try_from(p).ok()),
        database: t.database_name.clone(),
        syntax: t.syntax.clone(),
        charset: t.charset.clone(),
        sru_url: t.sru_url.clone(),
    }
}

pub async fn copy_page(
    State(state): State<AppState>,
    req: Req,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    let q = FormData::parse(raw.as_deref().unwrap_or("").as_bytes());
    let all = state.lib.z_targets(&ctx).await.or_page(&state, &req)?;
    let enabled: Vec<ZTargetRow> = all.into_iter().filter(|t| t.enabled).collect();
    let chosen_ids: Vec<i64> = q.all("t").iter().filter_map(|v| v.parse().ok()).collect();
    let requested = q.get("kind");
    let kind = ["title", "lccn"]
        .into_iter()
        .find(|k| *k == requested)
        .unwrap_or("isbn");
    let term = q.get("q").trim().to_string();
    let author = q.get("author").trim().to_string();
    let searched = !term.is_empty() || !author.is_empty();
    let mut errors = FormErrors::default();
    let mut results = Vec::new();
    if q.0.iter().any(|(k, _)| k == "q" || k == "author") {
        let query = match kind {
            "title" => CopyQuery::TitleAuthor {
                title: term.clone(),
                author: author.clone(),
            },
            "lccn" => CopyQuery::Lccn(term.clone()),
            _ => CopyQuery::Isbn(term.clone()),
        };
        let targets: Vec<Target> = enabled
            .iter()
            .filter(|t| chosen_ids.contains(&t.id))
            .map(|t| to_target(&state, t))
            .collect();
        let mut problems = Vec::new();
        if !searched {
            problems.push(quire_domain::error::FieldError::new("q", "required"));
        }
        if targets.is_empty() {
            problems.push(quire_domain::error::FieldError::new("t", "choose-target"));
        }
        if problems.is_empty() {
            results = search_all(&targets, &query, PER_TARGET, state.copy.timeout)
                .await
                .into_iter()
                .map(view)
                .collect();
        } else {
            let e = quire_library::Error::from(quire_domain::error::Invalid(problems));
            errors = FormErrors::from_error(&state, req.locale, &e);
        }
    }
    let checked: Vec<i64> = if chosen_ids.is_empty() {
        enabled.iter().map(|t| t.id).collect()
    } else {
        chosen_ids
    };
    page_with(
        &state,
        &req,
        "staff/copy.html",
        &errors,
        minijinja::context! {
            targets => enabled, checked, kind, term, author, results,
            can_manage => req.can(Permission::ManagePolicies),
            duplicates => Option::<()>::None,
        },
    )
}

pub async fn import(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let record = f.get("record");
    let source = f.get("source");
    let as_new = f.checked("as_new");
    let marc = base64::engine::general_purpose::STANDARD
        .decode(record.trim())
        .map_err(|_| quire_library::Error::field("record", "unreadable-marc"))
        .or_page(&state, &req)?;
    match state
        .lib
        .import_copied_record(&ctx, &marc, source.trim(), as_new)
        .await
        .or_page(&state, &req)?
    {
        CopyImport::Created(id) => Ok(see_other(&format!("/record/{id}?notice=copy-imported"))),
        CopyImport::Duplicates { title, matches: d } => page_with(
            &state,
            &req,
            "staff/copy_duplicates.html",
            &FormErrors::default(),
            minijinja::context! { duplicates => d, record, source, title },
        ),
    }
}
