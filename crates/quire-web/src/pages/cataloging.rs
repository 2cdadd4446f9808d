//! Staff cataloging pages: the record page for staff (items, actions), the
//! MARC editor (new, edit, duplicate), delete, and the item forms. Every
//! editor action (add/remove/move a row, switch to the text form, apply a
//! new 008 layout) is a submit button, so the editor works without
//! JavaScript and by keyboard alone; the handlers only translate the form
//! into library calls.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use quire_domain::staff::Permission;
use quire_library::cataloging::{
    EditorView, INITIAL_STATUSES, ItemEditForm, RecordForm, SaveOutcome,
};
use quire_library::marc_edit::Row;
use serde::Deserialize;

use super::account::{Notice, notice_key};
use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::{FormData, FormErrors};

fn status_of(unprocessable: bool) -> StatusCode {
    if unprocessable {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

// ---- staff record page ----

pub async fn record_page(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> PageResult {
    render_record(
        &state,
        &req,
        id,
        FormErrors::default(),
        notice_key(&q.notice),
        StatusCode::OK,
    )
    .await
}

async fn render_record(
    state: &AppState,
    req: &Req,
    id: i64,
    errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let ctx = req.require(Permission::EditCatalog).or_page(state, req)?;
    let (meta, _) = state
        .lib
        .record_for_edit(&ctx, id)
        .await
        .or_page(state, req)?;
    let view = state.lib.record_view(id, true).await.or_page(state, req)?;
    let items: Vec<_> = meta
        .items
        .iter()
        .zip(view.items.iter())
        .map(|(row, v)| minijinja::context! { id => row.id, row, view => v })
        .collect();
    let can_edit_items = req.can(Permission::EditItems);
    let html = state
        .templates
        .render(
            req,
            "staff/record.html",
            minijinja::context! { meta, view, items, errors, notice, can_edit_items },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

pub async fn delete_record(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req.require(Permission::EditCatalog).or_page(&state, &req)?;
    match state.lib.delete_record(&ctx, id).await {
        Ok(()) => Ok(see_other("/staff/catalog/records/deleted")),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_record(&state, &req, id, errors, None, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn deleted_page(State(state): State<AppState>, req: Req) -> PageResult {
    req.require(Permission::EditCatalog).or_page(&state, &req)?;
    state
        .templates
        .page(&req, "staff/record_deleted.html", minijinja::context! {})
        .or_page(&state, &req)
}

// ---- the MARC editor ----

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    from: Option<i64>,
}

pub async fn new_record(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let ctx = req.require(Permission::EditCatalog).or_page(&state, &req)?;
    let form = state
        .lib
        .new_record_form(&ctx, q.from)
        .await
        .or_page(&state, &req)?;
    render_editor(&state, &req, None, &form, &[], q.from)
}

pub async fn edit_record(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req.require(Permission::EditCatalog).or_page(&state, &req)?;
    let (_, rec) = state
        .lib
        .record_for_edit(&ctx, id)
        .await
        .or_page(&state, &req)?;
    let form = RecordForm::from_record(&rec);
    render_editor(&state, &req, Some(id), &form, &[], None)
}

fn render_editor(
    state: &AppState,
    req: &Req,
    id: Option<i64>,
    form: &RecordForm,
    issues: &[quire_library::marc_edit::Issue],
    from: Option<i64>,
) -> PageResult {
    let editor = EditorView::of(form, issues);
    let action = match id {
        Some(id) => format!("/staff/catalog/records/{id}/edit"),
        None => "/staff/catalog/records/new".to_owned(),
    };
    let html = state
        .templates
        .render(
            req,
            "staff/editor.html",
            minijinja::context! { editor, id, action, from },
        )
        .or_page(state, req)?;
    Ok((status_of(!issues.is_empty()), Html(html)).into_response())
}

/// Reads the editor form (rows keep their order).
fn read_form(f: &FormData) -> RecordForm {
    let tags = f.all("row_tag");
    let ind1 = f.all("row_ind1");
    let ind2 = f.all("row_ind2");
    let values = f.all("row_value");
    let rows = tags
        .into_iter()
        .enumerate()
        .map(|(i, tag)| Row {
            tag,
            ind1: ind1.get(i).cloned().unwrap_or_default(),
            ind2: ind2.get(i).cloned().unwrap_or_default(),
            value: values.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let mut leader = BTreeMap::new();
    let mut f008 = BTreeMap::new();
    for (k, v) in &f.0 {
        if let Some(key) = k.strip_prefix("pos_") {
            if key.starts_with("ldr-") {
                leader.insert(key.to_owned(), v.clone());
            } else if key.starts_with("f008-") {
                f008.insert(key.to_owned(), v.clone());
            }
        }
    }
    RecordForm {
        mode: if f.get("mode") == "text" {
            "text"
        } else {
            "rows"
        }
        .into(),
        text: f.get("text"),
        leader,
        f008_raw: f.get("f008_raw"),
        f008,
        rows,
        accept_warnings: f.checked("accept_warnings"),
    }
}

async fn submit(state: AppState, req: Req, id: Option<i64>, body: Bytes) -> PageResult {
    let ctx = req.require(Permission::EditCatalog).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let mut form = read_form(&f);
    let action = f.get("action");
    let from = f.get("from").parse::<i64>().ok();
    if !action.is_empty() && action != "save" {
        form.apply(&action);
        let html = render_editor(&state, &req, id, &form, &[], from)?;
        return Ok(html);
    }
    match state
        .lib
        .save_record(&ctx, id, &form)
        .await
        .or_page(&state, &req)?
    {
        SaveOutcome::Saved(rid) => Ok(see_other(&format!(
            "/staff/catalog/records/{rid}?notice=saved"
        ))),
        SaveOutcome::NeedsFixing(issues) => render_editor(&state, &req, id, &form, &issues, from),
    }
}

pub async fn save_new(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    submit(state, req, None, body).await
}

pub async fn save_existing(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    submit(state, req, Some(id), body).await
}

// ---- items ----

fn item_form(f: &FormData) -> ItemEditForm {
    ItemEditForm {
        barcode: f.get("barcode"),
        branch: f.get("branch"),
        location: f.get("location"),
        item_type: f.get("item_type"),
        call_number: f.get("call_number"),
        call_number_scheme: f.get("call_number_scheme"),
        copy_number: f.get("copy_number"),
        price: f.get("price"),
        notes: f.get("notes"),
        status: f.get("status"),
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_item(
    state: &AppState,
    req: &Req,
    record_id: i64,
    item_id: Option<i64>,
    values: BTreeMap<String, String>,
    errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let ctx = req.require(Permission::EditItems).or_page(state, req)?;
    let (branches, locations) = state
        .lib
        .item_form_choices(&ctx)
        .await
        .or_page(state, req)?;
    let edit = match item_id {
        Some(id) => Some(
            state
                .lib
                .item_for_edit(&ctx, id)
                .await
                .or_page(state, req)?,
        ),
        None => None,
    };
    let title = match &edit {
        Some(e) => e.record_title.clone(),
        None => {
            state
                .lib
                .record(record_id)
                .await
                .or_page(state, req)?
                .0
                .title
        }
    };
    let mut location_list: Vec<(String, String, String)> = Vec::new();
    for (b, ls) in &locations {
        for (code, name) in ls {
            location_list.push((b.clone(), code.clone(), name.clone()));
        }
    }
    location_list.sort();
    let default_scheme = state
        .lib
        .default_call_number_scheme(&ctx)
        .await
        .or_page(state, req)?
        .map(|s| s.as_str());
    // Branches whose own default replaces the library's.
    let branch_defaults: Vec<(String, &str)> = state
        .lib
        .branch_call_number_schemes(&ctx)
        .await
        .or_page(state, req)?
        .into_iter()
        .filter_map(|b| Some((b.code, b.scheme?)))
        .collect();
    let html = state
        .templates
        .render(
            req,
            "staff/item.html",
            minijinja::context! {
                record_id, item_id, title, edit, values, errors, notice, branches,
                locations => location_list, initial_statuses => INITIAL_STATUSES,
                default_scheme, branch_defaults,
            },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

fn values_of(i: &quire_library::cataloging::ItemEdit) -> BTreeMap<String, String> {
    let it = &i.item;
    let mut v = BTreeMap::new();
    v.insert("barcode".into(), it.barcode.clone());
    v.insert("branch".into(), i.branch_code.clone());
    v.insert("location".into(), i.location_code.clone());
    v.insert("item_type".into(), it.item_type.clone());
    v.insert(
        "call_number".into(),
        it.call_number.clone().unwrap_or_default(),
    );
    v.insert("call_number_scheme".into(), it.call_number_scheme.clone());
    v.insert(
        "copy_number".into(),
        it.copy_number.clone().unwrap_or_default(),
    );
    v.insert(
        "price".into(),
        it.price_minor
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
    );
    v.insert("notes".into(), it.notes.clone().unwrap_or_default());
    v
}

pub async fn new_item(
    State(state): State<AppState>,
    req: Req,
    Path(record_id): Path<i64>,
) -> PageResult {
    let mut values = BTreeMap::new();
    values.insert("item_type".to_owned(), "BOOK".to_owned());
    render_item(
        &state,
        &req,
        record_id,
        None,
        values,
        FormErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn create_item(
    State(state): State<AppState>,
    req: Req,
    Path(record_id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditItems).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state.lib.create_item(&ctx, record_id, &item_form(&f)).await {
        Ok(_) => Ok(see_other(&format!(
            "/staff/catalog/records/{record_id}?notice=created"
        ))),
        Err(e) if !e.fields.is_empty() => {
            render_item(
                &state,
                &req,
                record_id,
                None,
                f.values(),
                FormErrors::from_error(&state, req.locale, &e),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn edit_item(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(q): Query<Notice>,
) -> PageResult {
    let ctx = req.require(Permission::EditItems).or_page(&state, &req)?;
    let edit = state
        .lib
        .item_for_edit(&ctx, id)
        .await
        .or_page(&state, &req)?;
    render_item(
        &state,
        &req,
        edit.item.record_id,
        Some(id),
        values_of(&edit),
        FormErrors::default(),
        notice_key(&q.notice),
        StatusCode::OK,
    )
    .await
}

pub async fn update_item(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let ctx = req.require(Permission::EditItems).or_page(&state, &req)?;
    let f = FormData::parse(&body);
    match state.lib.update_item(&ctx, id, &item_form(&f)).await {
        Ok(item) => Ok(see_other(&format!(
            "/staff/catalog/records/{}?notice=saved",
            item.record_id
        ))),
        Err(e) if !e.fields.is_empty() => {
            let edit = state
                .lib
                .item_for_edit(&ctx, id)
                .await
                .or_page(&state, &req)?;
            render_item(
                &state,
                &req,
                edit.item.record_id,
                Some(id),
                f.values(),
                FormErrors::from_error(&state, req.locale, &e),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

pub async fn delete_item(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req.require(Permission::EditItems).or_page(&state, &req)?;
    match state.lib.delete_item(&ctx, id).await {
        Ok(record_id) => Ok(see_other(&format!(
            "/staff/catalog/records/{record_id}?notice=saved"
        ))),
        Err(e) if !e.fields.is_empty() => {
            let edit = state
                .lib
                .item_for_edit(&ctx, id)
                .await
                .or_page(&state, &req)?;
            render_item(
                &state,
                &req,
                edit.item.record_id,
                Some(id),
                values_of(&edit),
                FormErrors::from_error(&state, req.locale, &e),
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

// ---- holdings mapping (administrators) ----

async fn render_holdings(
    state: &AppState,
    req: &Req,
    values: BTreeMap<String, String>,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    req.require(Permission::ManagePolicies)
        .or_page(state, req)?;
    let config = state.lib.holdings_mapping().await.or_page(state, req)?;
    let status = status_of(!errors.is_empty());
    let html = state
        .templates
        .render(
            req,
            "staff/holdings.html",
            minijinja::context! {
                rows => config.rows(), export_tag => config.export_tag, values, errors, notice,
            },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

pub async fn holdings_page(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<Notice>,
) -> PageResult {
    render_holdings(
        &state,
        &req,
        BTreeMap::new(),
        FormErrors::default(),
        notice_key(&q.notice),
    )
    .await
}

pub async fn save_holdings(State(state): State<AppState>, req: Req, body: Bytes) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let config = quire_library::holdings::HoldingsConfig::from_form(&|k| f.get(k));
    match state.lib.set_holdings_mapping(&ctx, &config).await {
        Ok(()) => Ok(see_other("/staff/catalog/holdings?notice=saved")),
        Err(e) if !e.fields.is_empty() => {
            render_holdings(
                &state,
                &req,
                f.values(),
                FormErrors::from_error(&state, req.locale, &e),
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

// ---- default call number schemes: the library's and each branch's (administrators) ----

/// What the branch form holds when it is shown again with errors.
#[derive(Default, serde::Serialize)]
struct BranchSchemeForm {
    branch: String,
    branch_scheme: String,
}

async fn render_scheme_settings(
    state: &AppState,
    req: &Req,
    chosen: Option<String>,
    branch_form: BranchSchemeForm,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(state, req)?;
    let current = state
        .lib
        .default_call_number_scheme(&ctx)
        .await
        .or_page(state, req)?;
    let branches = state
        .lib
        .branch_call_number_schemes(&ctx)
        .await
        .or_page(state, req)?;
    let chosen = chosen.unwrap_or_else(|| current.map_or("guess", |s| s.as_str()).to_owned());
    let status = status_of(!errors.is_empty());
    let html = state
        .templates
        .render(
            req,
            "staff/scheme_settings.html",
            minijinja::context! {
                chosen, errors, notice, branches, branch_form,
                library_default => current.map(|s| s.as_str()),
            },
        )
        .or_page(state, req)?;
    Ok((status, Html(html)).into_response())
}

/// The default call number scheme forms (the library's, each branch's).
pub async fn scheme_settings_page(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<Notice>,
) -> PageResult {
    render_scheme_settings(
        &state,
        &req,
        None,
        BranchSchemeForm::default(),
        FormErrors::default(),
        notice_key(&q.notice),
    )
    .await
}

/// Saves the default call number scheme.
pub async fn save_scheme_settings(
    State(state): State<AppState>,
    req: Req,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let raw = f.get("scheme");
    match state.lib.set_default_call_number_scheme(&ctx, &raw).await {
        Ok(_) => Ok(see_other("/staff/catalog/call-numbers?notice=saved")),
        Err(e) if !e.fields.is_empty() => {
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_scheme_settings(
                &state,
                &req,
                Some(raw),
                BranchSchemeForm::default(),
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}

/// Sets or clears (`library`) one branch's default call number scheme.
pub async fn save_branch_scheme(
    State(state): State<AppState>,
    req: Req,
    body: Bytes,
) -> PageResult {
    let ctx = req
        .require(Permission::ManagePolicies)
        .or_page(&state, &req)?;
    let f = FormData::parse(&body);
    let form = BranchSchemeForm {
        branch: f.get("branch"),
        branch_scheme: f.get("branch_scheme"),
    };
    match state
        .lib
        .set_branch_call_number_scheme(&ctx, &form.branch, &form.branch_scheme)
        .await
    {
        Ok(_) => Ok(see_other("/staff/catalog/call-numbers?notice=saved")),
        Err(mut e) if !e.fields.is_empty() => {
            // This form's scheme field is not the library's.
            for fe in &mut e.fields {
                fe.field = match fe.field {
                    "scheme" => "branch_scheme",
                    other => other,
                };
            }
            let errors = FormErrors::from_error(&state, req.locale, &e);
            render_scheme_settings(&state, &req, None, form, errors, None).await
        }
        Err(e) => Err(e).or_page(&state, &req),
    }
}
