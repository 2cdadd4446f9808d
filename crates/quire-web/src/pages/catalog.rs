//! Staff catalog pages: import files (a background job with live
//! progress), review quarantined records.

use axum::extract::{Multipart, Path, State};
use axum::response::IntoResponse;
use quire_domain::staff::Permission;
use quire_library::catalog::{Holdings, ImportOptions, Matching, OnMatch};

use super::account::{Notice, notice_key};
use super::see_other;
use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};
use crate::forms::FormErrors;

/// Largest file accepted by the upload form (bigger files: `quire import`).
pub const MAX_UPLOAD: usize = 512 * 1024 * 1024;

pub async fn import_page(
    State(state): State<AppState>,
    req: Req,
    axum::extract::Query(q): axum::extract::Query<Notice>,
) -> PageResult {
    render_import(&state, &req, FormErrors::default(), notice_key(&q.notice)).await
}

async fn render_import(
    state: &AppState,
    req: &Req,
    errors: FormErrors,
    notice: Option<String>,
) -> PageResult {
    let ctx = req.require(Permission::ImportRecords).or_page(state, req)?;
    let jobs = state.lib.import_jobs(&ctx).await.or_page(state, req)?;
    let branches = state.lib.branches(&ctx).await.or_page(state, req)?;
    let (records, items) = state.lib.catalog_counts().await.or_page(state, req)?;
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = state
        .templates
        .render(
            req,
            "staff/import.html",
            minijinja::context! { jobs, branches, errors, notice, records, items },
        )
        .or_page(state, req)?;
    Ok((status, axum::response::Html(html)).into_response())
}

/// Receives the upload, stores it in the data directory and starts the
/// import in the background; answers with the job page.
pub async fn start_import(
    State(state): State<AppState>,
    req: Req,
    mut mp: Multipart,
) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    let mut opts = ImportOptions::default();
    let mut saved: Option<(std::path::PathBuf, String)> = None;
    let mut invalid = quire_domain::Invalid::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "upload failed");
                invalid.push(quire_domain::FieldError::new("file", "upload-failed"));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field
                .file_name()
                .unwrap_or("upload")
                .chars()
                .filter(|c| c.is_alphanumeric() || ".-_".contains(*c))
                .collect::<String>();
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(_) => {
                    invalid.push(quire_domain::FieldError::new("file", "upload-failed"));
                    continue;
                }
            };
            if bytes.is_empty() {
                invalid.push(quire_domain::FieldError::new("file", "required"));
                continue;
            }
            if let Err(e) = std::fs::create_dir_all(&state.upload_dir) {
                return Err(quire_library::Error::new(
                    quire_library::ErrorCode::Internal,
                    format!("upload dir: {e}"),
                ))
                .or_page(&state, &req);
            }
            let stamp = state.lib.now().format("%Y%m%dT%H%M%S%.3f");
            let path = state.upload_dir.join(format!("{stamp}-{file_name}"));
            if let Err(e) = std::fs::write(&path, &bytes) {
                return Err(quire_library::Error::new(
                    quire_library::ErrorCode::Internal,
                    format!("saving upload: {e}"),
                ))
                .or_page(&state, &req);
            }
            saved = Some((path, file_name));
        } else {
            let value = field.text().await.unwrap_or_default();
            match (name.as_str(), value.as_str()) {
                ("matching", "isbn") => opts.matching = Matching::Isbn,
                ("matching", "none") => opts.matching = Matching::None,
                ("on_match", "skip") => opts.on_match = OnMatch::Skip,
                ("on_match", "merge-items") => opts.on_match = OnMatch::MergeItems,
                ("holdings", "none") => opts.holdings = Holdings::None,
                ("holdings", "koha-952") => opts.holdings = Holdings::Koha952,
                ("holdings", "marc-852") => opts.holdings = Holdings::Marc852,
                ("holdings", "local-949") => opts.holdings = Holdings::Local949,
                ("default_branch", b) if !b.is_empty() => opts.default_branch = Some(b.to_owned()),
                _ => {}
            }
        }
    }
    let Some((path, file_name)) = saved.filter(|_| invalid.is_empty()) else {
        if invalid.is_empty() {
            invalid.push(quire_domain::FieldError::new("file", "required"));
        }
        let e = quire_library::Error::from(invalid);
        return render_import(
            &state,
            &req,
            FormErrors::from_error(&state, req.locale, &e),
            None,
        )
        .await;
    };
    let file = std::fs::File::open(&path)
        .map_err(|e| quire_library::Error::new(quire_library::ErrorCode::Internal, e.to_string()))
        .or_page(&state, &req)?;
    let lib = state.lib.clone();
    let fingerprint = path.display().to_string();
    let (id_tx, id_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut id_tx = Some(id_tx);
        let mut progress = move |p: &quire_library::catalog::ImportProgress| {
            if let Some(tx) = id_tx.take() {
                let _ = tx.send(p.job_id);
            }
        };
        match lib
            .import_marc(
                &ctx,
                &file_name,
                &fingerprint,
                std::io::BufReader::new(file),
                &opts,
                &mut progress,
            )
            .await
        {
            Ok(r) => tracing::info!(
                job = r.job_id,
                records = r.counts.records_done,
                "web import finished"
            ),
            Err(e) => tracing::warn!(error = %e.detail, "web import failed"),
        }
    });
    // The job id arrives with the first committed batch (or the job ends).
    match tokio::time::timeout(std::time::Duration::from_secs(30), id_rx).await {
        Ok(Ok(id)) => Ok(see_other(&format!("/staff/catalog/import/{id}"))),
        _ => Ok(see_other("/staff/catalog/import")),
    }
}

/// The job page; with `?fragment=1` only the live progress block (htmx polls it).
pub async fn job_page(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    let (job, quarantined) = state.lib.import_job(&ctx, id).await.or_page(&state, &req)?;
    let template = if q.contains_key("fragment") {
        "staff/import_progress.html"
    } else {
        "staff/import_job.html"
    };
    state
        .templates
        .page(&req, template, minijinja::context! { job, quarantined })
        .or_page(&state, &req)
}

pub async fn quarantine_page(
    State(state): State<AppState>,
    req: Req,
    axum::extract::Query(q): axum::extract::Query<Notice>,
) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    let entries = state
        .lib
        .quarantine(&ctx, None)
        .await
        .or_page(&state, &req)?;
    state
        .templates
        .page(
            &req,
            "staff/quarantine.html",
            minijinja::context! { entries, notice => notice_key(&q.notice) },
        )
        .or_page(&state, &req)
}

pub async fn quarantine_entry(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    let (entry, text) = state
        .lib
        .quarantine_entry(&ctx, id)
        .await
        .or_page(&state, &req)?;
    state
        .templates
        .page(
            &req,
            "staff/quarantine_entry.html",
            minijinja::context! { entry, text },
        )
        .or_page(&state, &req)
}

pub async fn discard(State(state): State<AppState>, req: Req, Path(id): Path<i64>) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    state
        .lib
        .discard_quarantined(&ctx, id)
        .await
        .or_page(&state, &req)?;
    Ok(see_other("/staff/catalog/quarantine?notice=saved"))
}

pub async fn retry(State(state): State<AppState>, req: Req, Path(id): Path<i64>) -> PageResult {
    let ctx = req
        .require(Permission::ImportRecords)
        .or_page(&state, &req)?;
    match state
        .lib
        .retry_quarantined(&ctx, id)
        .await
        .or_page(&state, &req)?
    {
        Some(record) => Ok(see_other(&format!("/record/{record}"))),
        None => Ok(see_other(&format!(
            "/staff/catalog/quarantine/{id}?notice=still-bad"
        ))),
    }
}
