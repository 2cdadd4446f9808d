//! API: patrons and their cards — search, registration (with the duplicate
//! warning: 409 `conflict` on field `confirm_duplicate` until the caller
//! confirms), details, partial edits, card replacement, PIN, manual blocks.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use quire_domain::patron::PatronForm;
use quire_library::patrons::{BlockForm, BlockView, PatronDetail};
use quire_library::rows::{PatronBlockRow, PatronRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::JsonBody;
use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, OrApi};

/// A patron as found by a search.
#[derive(Serialize, ToSchema)]
pub struct PatronSummary {
    pub id: i64,
    /// Card number.
    pub barcode: String,
    pub first_name: String,
    pub last_name: String,
    pub category: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub expires_on: String,
}

impl From<PatronRow> for PatronSummary {
    fn from(p: PatronRow) -> Self {
        PatronSummary {
            id: p.id,
            barcode: p.barcode,
            first_name: p.first_name,
            last_name: p.last_name,
            category: p.category,
            email: p.email,
            phone: p.phone,
            expires_on: p.expires_on,
        }
    }
}

/// A block in force (automatic or manual).
#[derive(Serialize, ToSchema)]
pub struct BlockOut {
    /// `card-expired`, `card-lost`, `fines-over-limit`, `too-many-overdues`,
    /// `too-many-claims-returned` or `manual`.
    pub reason: String,
    pub overridable: bool,
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    /// Message arguments (`expired-on`, `limit`, `value`, `note`).
    pub args: Vec<(String, String)>,
}

impl From<BlockView> for BlockOut {
    fn from(b: BlockView) -> Self {
        BlockOut {
            reason: b.reason,
            overridable: b.overridable,
            stops_checkout: b.stops_checkout,
            stops_renew: b.stops_renew,
            stops_hold: b.stops_hold,
            args: b.args,
        }
    }
}

/// A manual block set by staff.
#[derive(Serialize, ToSchema)]
pub struct ManualBlockOut {
    pub id: i64,
    pub note: String,
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    pub overridable: bool,
    /// Last day in force, `YYYY-MM-DD`.
    pub until: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub lifted_at: Option<DateTime<Utc>>,
}

impl From<PatronBlockRow> for ManualBlockOut {
    fn from(b: PatronBlockRow) -> Self {
        ManualBlockOut {
            id: b.id,
            note: b.note,
            stops_checkout: b.stops_checkout,
            stops_renew: b.stops_renew,
            stops_hold: b.stops_hold,
            overridable: b.overridable,
            until: b.until_on,
            created_at: b.created_at,
            created_by: b.created_by,
            lifted_at: b.lifted_at,
        }
    }
}

/// A patron with everything staff see.
#[derive(Serialize, ToSchema)]
pub struct PatronOut {
    pub id: i64,
    pub barcode: String,
    pub first_name: String,
    pub last_name: String,
    pub category: String,
    /// Home branch code.
    pub home_branch: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub guardian: Option<String>,
    /// `en`, `fil` or `vi`.
    pub preferred_locale: Option<String>,
    /// `email`, `sms`, `print` or `none`.
    pub notice_pref: String,
    /// Opted in to keep a reading history.
    pub keep_history: bool,
    /// Desk notes.
    pub notes: Option<String>,
    /// `YYYY-MM-DD`.
    pub expires_on: String,
    pub has_pin: bool,
    /// Balance owed, minor units.
    pub balance_minor: i64,
    pub blocks: Vec<BlockOut>,
    /// Card numbers this patron had before (no longer valid).
    pub old_cards: Vec<String>,
}

impl From<PatronDetail> for PatronOut {
    fn from(d: PatronDetail) -> Self {
        PatronOut {
            id: d.patron.id,
            barcode: d.patron.barcode,
            first_name: d.patron.first_name,
            last_name: d.patron.last_name,
            category: d.patron.category,
            home_branch: d.home_branch,
            email: d.patron.email,
            phone: d.patron.phone,
            address: d.extra.address,
            birth_date: d.patron.birth_date,
            guardian: d.extra.guardian,
            preferred_locale: d.patron.preferred_locale,
            notice_pref: d.extra.notice_pref,
            keep_history: d.extra.keep_history,
            notes: d.extra.notes,
            expires_on: d.patron.expires_on,
            has_pin: d.has_pin,
            balance_minor: d.balance_minor,
            blocks: d.blocks.into_iter().map(Into::into).collect(),
            old_cards: d.old_cards.into_iter().map(|c| c.barcode).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct SearchParams {
    /// Card number (current or replaced), name, e-mail or phone.
    #[serde(default)]
    pub q: String,
}

/// A replaced card and whose it was.
#[derive(Serialize, ToSchema)]
pub struct ReplacedCardOut {
    /// The replaced (invalid) card number.
    pub barcode: String,
    pub reason: String,
    pub replaced_at: DateTime<Utc>,
    pub patron: PatronSummary,
}

#[derive(Serialize, ToSchema)]
pub struct PatronSearchOut {
    pub patrons: Vec<PatronSummary>,
    /// Set when the query is a replaced card number.
    pub replaced_card: Option<ReplacedCardOut>,
}

/// Search patrons (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/patrons", tag = "patrons", params(SearchParams),
    responses((status = 200, body = PatronSearchOut)),
    security(("token" = []), ("session" = [])))]
pub async fn search(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<SearchParams>,
) -> Result<Json<PatronSearchOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let s = state
        .lib
        .search_patrons(&ctx, &p.q)
        .await
        .or_api(&state, &req)?;
    Ok(Json(PatronSearchOut {
        patrons: s.patrons.into_iter().map(Into::into).collect(),
        replaced_card: s.replaced_card.map(|r| ReplacedCardOut {
            barcode: r.card.barcode,
            reason: r.card.reason,
            replaced_at: r.card.replaced_at,
            patron: r.patron.into(),
        }),
    }))
}

/// Registration or edit fields; omitted fields are empty (POST) or
/// unchanged (PATCH).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PatronIn {
    /// Card number; omitted on registration: Quire numbers the card.
    /// Ignored by PATCH (use replace-card).
    pub barcode: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `ADULT` (default), `CHILD`, `STUDENT`, `SENIOR`, `STAFF`.
    pub category: Option<String>,
    /// Branch code.
    pub home_branch: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Required under 18.
    pub guardian: Option<String>,
    /// `en`, `fil` or `vi`.
    pub preferred_locale: Option<String>,
    /// `email`, `sms`, `print` or `none`.
    pub notice_pref: Option<String>,
    pub keep_history: Option<bool>,
    /// `YYYY-MM-DD`; default from the category.
    pub expires_on: Option<String>,
    /// 4–8 digits (registration only; use PUT …/pin later).
    pub pin: Option<String>,
    /// Register/save even though a possible duplicate exists.
    #[serde(default)]
    pub confirm_duplicate: bool,
}

impl PatronIn {
    /// The form, starting from `base` (empty for a registration).
    fn form(self, base: PatronForm) -> (PatronForm, bool) {
        let o = |v: Option<String>, old: String| v.unwrap_or(old);
        let f = PatronForm {
            barcode: o(self.barcode, base.barcode),
            first_name: o(self.first_name, base.first_name),
            last_name: o(self.last_name, base.last_name),
            category: o(self.category, base.category),
            home_branch: o(self.home_branch, base.home_branch),
            email: o(self.email, base.email),
            phone: o(self.phone, base.phone),
            birth_date: o(self.birth_date, base.birth_date),
            preferred_locale: o(self.preferred_locale, base.preferred_locale),
            pin: o(self.pin, base.pin),
            address: o(self.address, base.address),
            guardian: o(self.guardian, base.guardian),
            notice_pref: o(self.notice_pref, base.notice_pref),
            keep_history: match self.keep_history {
                Some(true) => "on".into(),
                Some(false) => String::new(),
                None => base.keep_history,
            },
            expires_on: o(self.expires_on, base.expires_on),
        };
        (f, self.confirm_duplicate)
    }
}

async fn detail_by_barcode(
    state: &AppState,
    req: &Req,
    barcode: &str,
) -> Result<PatronDetail, ApiError> {
    let ctx = req.ctx().or_api(state, req)?;
    let id = state
        .lib
        .patron_id(&ctx, barcode)
        .await
        .or_api(state, req)?;
    state.lib.patron_detail(&ctx, id).await.or_api(state, req)
}

/// Register a patron (permission `edit-patrons`). A possible duplicate
/// (same name and birth date, or same e-mail) answers 409 naming
/// `confirm_duplicate`; send again with `"confirm_duplicate": true`.
#[utoipa::path(post, path = "/api/v1/patrons", tag = "patrons", request_body = PatronIn,
    responses((status = 201, body = PatronOut),
        (status = 409, description = "Possible duplicate", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    JsonBody(b): JsonBody<PatronIn>,
) -> Result<(StatusCode, Json<PatronOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let (form, confirm) = b.form(PatronForm::default());
    let p = state
        .lib
        .register_patron_with(&ctx, &form, confirm)
        .await
        .or_api(&state, &req)?;
    let d = state
        .lib
        .patron_detail(&ctx, p.id)
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// A patron by current card number (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/patrons/{barcode}", tag = "patrons",
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 200, body = PatronOut), (status = 404, description = "No such patron", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn get_patron(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
) -> Result<Json<PatronOut>, ApiError> {
    Ok(Json(
        detail_by_barcode(&state, &req, &barcode).await?.into(),
    ))
}

/// Change some of a patron's details (permission `edit-patrons`).
#[utoipa::path(patch, path = "/api/v1/patrons/{barcode}", tag = "patrons", request_body = PatronIn,
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 200, body = PatronOut),
        (status = 409, description = "Possible duplicate", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn patch_patron(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<PatronIn>,
) -> Result<Json<PatronOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let d = detail_by_barcode(&state, &req, &barcode).await?;
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let base = PatronForm {
        barcode: String::new(),
        first_name: d.patron.first_name.clone(),
        last_name: d.patron.last_name.clone(),
        category: d.patron.category.clone(),
        home_branch: d.home_branch.clone(),
        email: s(&d.patron.email),
        phone: s(&d.patron.phone),
        birth_date: s(&d.patron.birth_date),
        preferred_locale: s(&d.patron.preferred_locale),
        pin: String::new(),
        address: s(&d.extra.address),
        guardian: s(&d.extra.guardian),
        notice_pref: d.extra.notice_pref.clone(),
        keep_history: if d.extra.keep_history {
            "on".into()
        } else {
            String::new()
        },
        expires_on: d.patron.expires_on.clone(),
    };
    let (form, confirm) = PatronIn {
        barcode: None,
        pin: None,
        ..b
    }
    .form(base);
    state
        .lib
        .update_patron(&ctx, d.patron.id, &form, confirm)
        .await
        .or_api(&state, &req)?;
    Ok(Json(
        state
            .lib
            .patron_detail(&ctx, d.patron.id)
            .await
            .or_api(&state, &req)?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct ReplaceCardIn {
    /// The new card number; omitted: Quire numbers it.
    pub barcode: Option<String>,
    /// Why (default `lost`).
    pub reason: Option<String>,
}

/// Replace a patron's card (permission `edit-patrons`). The old number is
/// refused at checkout from now on but still found by a search.
#[utoipa::path(post, path = "/api/v1/patrons/{barcode}/replace-card", tag = "patrons", request_body = ReplaceCardIn,
    params(("barcode" = String, Path, description = "Current card number")),
    responses((status = 200, body = PatronOut), (status = 409, description = "Card number in use", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn replace_card(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<ReplaceCardIn>,
) -> Result<Json<PatronOut>, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let id = state
        .lib
        .patron_id(&ctx, &barcode)
        .await
        .or_api(&state, &req)?;
    state
        .lib
        .replace_card(
            &ctx,
            id,
            b.barcode.as_deref().unwrap_or(""),
            b.reason.as_deref().unwrap_or(""),
        )
        .await
        .or_api(&state, &req)?;
    Ok(Json(
        state
            .lib
            .patron_detail(&ctx, id)
            .await
            .or_api(&state, &req)?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct PinIn {
    /// 4–8 digits; empty clears the PIN.
    pub pin: String,
}

/// Set or reset a patron's PIN (permission `edit-patrons`; stored hashed).
#[utoipa::path(put, path = "/api/v1/patrons/{barcode}/pin", tag = "patrons", request_body = PinIn,
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 204, description = "PIN set"), (status = 422, description = "Invalid PIN", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn set_pin(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<PinIn>,
) -> Result<StatusCode, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let id = state
        .lib
        .patron_id(&ctx, &barcode)
        .await
        .or_api(&state, &req)?;
    state
        .lib
        .set_patron_pin(&ctx, id, &b.pin)
        .await
        .or_api(&state, &req)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct BlocksOut {
    /// Every block in force, automatic ones first.
    pub in_force: Vec<BlockOut>,
    /// Manual blocks, lifted ones included (newest first).
    pub manual: Vec<ManualBlockOut>,
}

/// A patron's blocks (permission `view-patrons`).
#[utoipa::path(get, path = "/api/v1/patrons/{barcode}/blocks", tag = "patrons",
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 200, body = BlocksOut)),
    security(("token" = []), ("session" = [])))]
pub async fn blocks(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
) -> Result<Json<BlocksOut>, ApiError> {
    let d = detail_by_barcode(&state, &req, &barcode).await?;
    Ok(Json(BlocksOut {
        in_force: d.blocks.into_iter().map(Into::into).collect(),
        manual: d.manual_blocks.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct BlockIn {
    /// Why (required).
    pub note: String,
    /// None of the three: stops everything.
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    pub overridable: bool,
    /// Last day, `YYYY-MM-DD`.
    pub until: String,
}

/// Block a patron (permission `edit-patrons`).
#[utoipa::path(post, path = "/api/v1/patrons/{barcode}/blocks", tag = "patrons", request_body = BlockIn,
    params(("barcode" = String, Path, description = "Patron card number")),
    responses((status = 201, body = ManualBlockOut), (status = 422, description = "Invalid fields", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn add_block(
    State(state): State<AppState>,
    req: Req,
    Path(barcode): Path<String>,
    JsonBody(b): JsonBody<BlockIn>,
) -> Result<(StatusCode, Json<ManualBlockOut>), ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let id = state
        .lib
        .patron_id(&ctx, &barcode)
        .await
        .or_api(&state, &req)?;
    let row = state
        .lib
        .add_patron_block(
            &ctx,
            id,
            &BlockForm {
                note: b.note,
                stops_checkout: b.stops_checkout,
                stops_renew: b.stops_renew,
                stops_hold: b.stops_hold,
                overridable: b.overridable,
                until: b.until,
            },
        )
        .await
        .or_api(&state, &req)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// Lift a manual block (permission `edit-patrons`).
#[utoipa::path(delete, path = "/api/v1/patrons/{barcode}/blocks/{block_id}", tag = "patrons",
    params(("barcode" = String, Path, description = "Patron card number"), ("block_id" = i64, Path, description = "Block id")),
    responses((status = 204, description = "Lifted"), (status = 404, description = "No such block in force", body = crate::error::ErrorBody)),
    security(("token" = []), ("session" = [])))]
pub async fn lift_block(
    State(state): State<AppState>,
    req: Req,
    Path((barcode, block_id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    let ctx = req.ctx().or_api(&state, &req)?;
    let id = state
        .lib
        .patron_id(&ctx, &barcode)
        .await
        .or_api(&state, &req)?;
    state
        .lib
        .lift_patron_block(&ctx, id, block_id)
        .await
        .or_api(&state, &req)?;
    Ok(StatusCode::NO_CONTENT)
}
