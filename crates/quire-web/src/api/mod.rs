//! The JSON API (`/api/v1`), its OpenAPI 3.1 document (generated from the
//! code with utoipa) and a browsable page describing it.
//!
//! Same permission model as the pages: a session cookie (with the CSRF
//! header for writes) or an API token (`Authorization: Bearer quire_…`).

mod catalog;
mod cataloging;
mod circ;
mod fees;
mod holds;
mod org;
mod patrons;
pub(crate) mod shelf;
mod staff;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;
use crate::context::Req;
use crate::error::{ApiError, ErrorBody, ErrorDetail, FieldMessage, OrApi, OrPage, PageResult};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Quire API",
        description = "JSON API of the Quire integrated library system. Errors always have the body \
                       `{\"error\": {\"code\", \"message\", \"field\"?, \"fields\"?, \"request_id\"}}`; \
                       `code` comes from one table shared with the HTML pages, SIP2, SRU and OAI-PMH.",
        license(name = "Apache-2.0 OR MIT")
    ),
    paths(
        staff::me,
        staff::list_staff,
        staff::create_staff,
        org::list_branches,
        org::get_branch,
        org::create_branch,
        org::update_branch,
        org::set_hours,
        org::create_location,
        staff::audit,
        circ::checkout,
        circ::checkin,
        circ::renew,
        circ::patron_loans,
        patrons::search,
        patrons::create,
        patrons::get_patron,
        patrons::patch_patron,
        patrons::replace_card,
        patrons::set_pin,
        patrons::blocks,
        patrons::add_block,
        patrons::lift_block,
        holds::place,
        holds::list,
        holds::get_hold,
        holds::patch,
        holds::cancel,
        holds::suspend,
        holds::resume,
        holds::record_queue,
        holds::pull_list,
        holds::hold_shelf,
        holds::transits,
        holds::receive,
        fees::patron_fees,
        fees::pay_fees,
        fees::waive_fees,
        fees::add_fee,
        catalog::search,
        catalog::record,
        cataloging::create_record,
        cataloging::replace_record,
        cataloging::delete_record,
        cataloging::create_item,
        cataloging::patch_item,
        shelf::cart,
        shelf::shelved,
        shelf::browse,
        shelf::inventory,
        shelf::found,
        shelf::missing,
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldMessage, crate::error::RefusalMessage, crate::error::MarcIssueMessage)),
    modifiers(&Security),
    tags(
        (name = "staff", description = "Staff accounts and the audit log"),
        (name = "organisation", description = "Branches, opening hours and shelving locations"),
        (name = "circulation", description = "Checkout, checkin, renewal and loans"),
        (name = "patrons", description = "Patrons, library cards, PINs and blocks"),
        (name = "holds", description = "Holds, pull lists, hold shelves and transits"),
        (name = "fees", description = "A patron's fees ledger: payments, waivers, manual fees"),
        (name = "catalog", description = "Catalog search and records (public, like the OPAC)"),
        (name = "cataloging", description = "Creating, replacing and deleting records (MARC-in-JSON or MARCXML); adding and changing items"),
        (name = "shelf", description = "Shelving carts, shelf browse and shelf reading (inventory)")
    )
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token created by an administrator"))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("quire_session"))),
        );
    }
}

/// The OpenAPI document as served (and snapshot-tested).
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api", get(browse))
        .route("/api/v1/me", get(staff::me))
        .route(
            "/api/v1/staff",
            get(staff::list_staff).post(staff::create_staff),
        )
        .route("/api/v1/audit", get(staff::audit))
        .route(
            "/api/v1/branches",
            get(org::list_branches).post(org::create_branch),
        )
        .route(
            "/api/v1/branches/{id}",
            get(org::get_branch).put(org::update_branch),
        )
        .route(
            "/api/v1/branches/{id}/hours",
            axum::routing::put(org::set_hours),
        )
        .route(
            "/api/v1/branches/{id}/locations",
            axum::routing::post(org::create_location),
        )
        .route("/api/v1/search", get(catalog::search))
        .route(
            "/api/v1/records",
            axum::routing::post(cataloging::create_record),
        )
        .route(
            "/api/v1/records/{id}",
            get(catalog::record)
                .put(cataloging::replace_record)
                .delete(cataloging::delete_record),
        )
        .route(
            "/api/v1/records/{id}/items",
            axum::routing::post(cataloging::create_item),
        )
        .route(
            "/api/v1/items/{barcode}",
            axum::routing::patch(cataloging::patch_item),
        )
        .route("/api/v1/checkouts", axum::routing::post(circ::checkout))
        .route("/api/v1/checkins", axum::routing::post(circ::checkin))
        .route("/api/v1/renewals", axum::routing::post(circ::renew))
        .route("/api/v1/patrons/{barcode}/loans", get(circ::patron_loans))
        .route(
            "/api/v1/patrons",
            get(patrons::search).post(patrons::create),
        )
        .route(
            "/api/v1/patrons/{barcode}",
            get(patrons::get_patron).patch(patrons::patch_patron),
        )
        .route(
            "/api/v1/patrons/{barcode}/replace-card",
            axum::routing::post(patrons::replace_card),
        )
        .route(
            "/api/v1/patrons/{barcode}/pin",
            axum::routing::put(patrons::set_pin),
        )
        .route(
            "/api/v1/patrons/{barcode}/blocks",
            get(patrons::blocks).post(patrons::add_block),
        )
        .route(
            "/api/v1/patrons/{barcode}/blocks/{block_id}",
            axum::routing::delete(patrons::lift_block),
        )
        .route("/api/v1/holds", get(holds::list).post(holds::place))
        .route(
            "/api/v1/holds/{id}",
            get(holds::get_hold).patch(holds::patch),
        )
        .route(
            "/api/v1/holds/{id}/cancel",
            axum::routing::post(holds::cancel),
        )
        .route(
            "/api/v1/holds/{id}/suspend",
            axum::routing::post(holds::suspend),
        )
        .route(
            "/api/v1/holds/{id}/resume",
            axum::routing::post(holds::resume),
        )
        .route("/api/v1/records/{id}/holds", get(holds::record_queue))
        .route("/api/v1/branches/{id}/pull-list", get(holds::pull_list))
        .route("/api/v1/branches/{id}/hold-shelf", get(holds::hold_shelf))
        .route("/api/v1/branches/{id}/transits", get(holds::transits))
        .route(
            "/api/v1/transits/{barcode}/receive",
            axum::routing::post(holds::receive),
        )
        .route(
            "/api/v1/patrons/{barcode}/fees",
            get(fees::patron_fees).post(fees::add_fee),
        )
        .route(
            "/api/v1/patrons/{barcode}/payments",
            axum::routing::post(fees::pay_fees),
        )
        .route(
            "/api/v1/patrons/{barcode}/waivers",
            axum::routing::post(fees::waive_fees),
        )
        .route("/api/v1/shelf/carts", get(shelf::cart))
        .route("/api/v1/shelf/shelved", axum::routing::post(shelf::shelved))
        .route("/api/v1/shelf/browse", get(shelf::browse))
        .route(
            "/api/v1/shelf/inventory",
            axum::routing::post(shelf::inventory),
        )
        .route("/api/v1/shelf/found", axum::routing::post(shelf::found))
        .route("/api/v1/shelf/missing", axum::routing::post(shelf::missing))
        .route("/api/v1/{*rest}", axum::routing::any(api_not_found))
}

async fn openapi_json() -> Response {
    Json(openapi()).into_response()
}

async fn api_not_found(State(state): State<AppState>, req: Req) -> Result<Response, ApiError> {
    Err(quire_library::Error::new(
        quire_library::ErrorCode::NotFound,
        format!("no API route {}", req.path),
    ))
    .or_api(&state, &req)
}

/// A JSON body that reports malformed JSON as a proper API error.
pub struct JsonBody<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let r = req.extensions().get::<Req>().cloned();
        let app = req.extensions().get::<AppState>().cloned();
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(rej) => {
                let e = quire_library::Error::field("body", "invalid-json");
                let mut e2 = e.clone();
                e2.detail = rej.body_text();
                let we = crate::error::WebError::new(e2).json();
                Err(match (r, app) {
                    (Some(r), Some(app)) => we.with_req(&r).into_response_for(&app, true),
                    _ => we.into_response(),
                })
            }
        }
    }
}

/// One operation of the document, flattened for the browsable page.
#[derive(serde::Serialize)]
struct Op {
    method: String,
    path: String,
    summary: String,
    description: String,
    params: Vec<(String, String, bool)>,
    body: Option<String>,
    responses: Vec<(String, String)>,
}

/// A readable page of the API, rendered from the same OpenAPI document.
async fn browse(State(state): State<AppState>, req: Req) -> PageResult {
    let doc = serde_json::to_value(openapi()).unwrap_or_default();
    let mut ops = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let Some(methods) = item.as_object() else {
                continue;
            };
            for (method, op) in methods {
                let s = |k: &str| {
                    op.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let params = op
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .map(|a| {
                        a.iter()
                            .map(|p| {
                                (
                                    p.get("name")
                                        .and_then(|v| v.as_str())
                                        .unwrap_or_default()
                                        .to_owned(),
                                    p.get("in")
                                        .and_then(|v| v.as_str())
                                        .unwrap_or_default()
                                        .to_owned(),
                                    p.get("required").and_then(|v| v.as_bool()).unwrap_or(false),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let body = op
                    .pointer("/requestBody/content/application~1json/schema")
                    .map(|s| serde_json::to_string_pretty(s).unwrap_or_default());
                let responses = op
                    .get("responses")
                    .and_then(|r| r.as_object())
                    .map(|r| {
                        r.iter()
                            .map(|(code, v)| {
                                (
                                    code.clone(),
                                    v.get("description")
                                        .and_then(|d| d.as_str())
                                        .unwrap_or_default()
                                        .to_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                ops.push(Op {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: s("summary"),
                    description: s("description"),
                    params,
                    body,
                    responses,
                });
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        serde_json::to_string_pretty(v).unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    state
        .templates
        .page(&req, "api.html", minijinja::context! { ops, schemas })
        .or_page(&state, &req)
}
