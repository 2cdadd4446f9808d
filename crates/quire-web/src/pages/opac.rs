//! The public catalog (OPAC): search with facets, record detail, help.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use quire_domain::staff::Permission;
use quire_search::{Field, Filter, MatchMode, Query as Q, SearchRequest, SortOrder};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::context::Req;
use crate::error::{OrPage, PageResult};

pub const PAGE_SIZE: usize = 20;

/// Search parameters, as in the URL (so every result page is a permalink).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The simple search box: words, `"phrases"`, `title:`/`author:`/`subject:`
    /// prefixes; diacritics and case do not matter.
    pub q: String,
    // advanced search
    pub title: String,
    pub author: String,
    pub subject: String,
    pub isbn: String,
    pub series: String,
    pub year_from: String,
    pub year_to: String,
    // facets
    pub format: String,
    pub language: String,
    pub decade: String,
    pub branch: String,
    pub available: String,
    /// `relevance` (default), `title`, `author`, `newest` or `oldest`.
    pub sort: String,
    /// 1-based page number.
    pub page: usize,
}

impl SearchParams {
    pub(crate) fn is_empty(&self) -> bool {
        [
            &self.q,
            &self.title,
            &self.author,
            &self.subject,
            &self.isbn,
            &self.series,
            &self.year_from,
            &self.year_to,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    fn query(&self) -> Q {
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(Q::parse_simple(&self.q));
        }
        for (field, text) in [
            (Field::Title, &self.title),
            (Field::Author, &self.author),
            (Field::Subject, &self.subject),
            (Field::Isbn, &self.isbn),
            (Field::Series, &self.series),
        ] {
            if !text.trim().is_empty() {
                parts.push(Q::term(field, text.trim(), MatchMode::Words));
            }
        }
        let from = self.year_from.trim().parse().ok();
        let to = self.year_to.trim().parse().ok();
        if from.is_some() || to.is_some() {
            parts.push(Q::YearRange { from, to });
        }
        match parts.len() {
            0 => Q::All,
            1 => parts.remove(0),
            _ => Q::And(parts),
        }
    }

    pub(crate) fn request(&self) -> SearchRequest {
        let mut req = SearchRequest::new(self.query());
        if !self.format.is_empty() {
            req.filters.push(Filter::Format(self.format.clone()));
        }
        if !self.language.is_empty() {
            req.filters.push(Filter::Language(self.language.clone()));
        }
        if let Some((a, b)) = self.decade.split_once('-') {
            req.filters.push(Filter::YearRange {
                from: a.parse().ok(),
                to: b.parse().ok(),
            });
        }
        if !self.branch.is_empty() {
            req.filters.push(Filter::Branch(self.branch.clone()));
        }
        if self.available == "yes" {
            req.filters.push(Filter::AvailableOnly);
        }
        req.sort = match self.sort.as_str() {
            "title" => SortOrder::Title,
            "author" => SortOrder::Author,
            "newest" => SortOrder::DateNewest,
            "oldest" => SortOrder::DateOldest,
            _ => SortOrder::Relevance,
        };
        req.offset = self.page.saturating_sub(1).min(500) * PAGE_SIZE;
        req.limit = PAGE_SIZE;
        req.facets = true;
        req
    }

    /// This search as a query string, with one parameter changed.
    fn with(&self, key: &str, value: &str) -> String {
        let mut p = self.clone();
        match key {
            "format" => p.format = value.into(),
            "language" => p.language = value.into(),
            "decade" => p.decade = value.into(),
            "branch" => p.branch = value.into(),
            "available" => p.available = value.into(),
            "sort" => p.sort = value.into(),
            "page" => p.page = value.parse().unwrap_or(1),
            _ => {}
        }
        if key != "page" {
            p.page = 0;
        }
        let pairs: Vec<(&str, String)> = [
            ("q", p.q),
            ("title", p.title),
            ("author", p.author),
            ("subject", p.subject),
            ("isbn", p.isbn),
            ("series", p.series),
            ("year_from", p.year_from),
            ("year_to", p.year_to),
            ("format", p.format),
            ("language", p.language),
            ("decade", p.decade),
            ("branch", p.branch),
            ("available", p.available),
            ("sort", p.sort),
            (
                "page",
                if p.page > 1 {
                    p.page.to_string()
                } else {
                    String::new()
                },
            ),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        format!(
            "/search?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

#[derive(Serialize)]
struct FacetLink {
    value: String,
    /// Display label (branch name for branch codes; else the value).
    label: String,
    count: u64,
    href: String,
    selected: bool,
}

fn facet(p: &SearchParams, key: &str, current: &str, values: &[(String, u64)]) -> Vec<FacetLink> {
    values
        .iter()
        .map(|(v, n)| FacetLink {
            label: v.clone(),
            value: v.clone(),
            count: *n,
            selected: current == v,
            href: p.with(key, if current == v { "" } else { v }),
        })
        .collect()
}

pub async fn search(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<SearchParams>,
) -> PageResult {
    let staff = req.can(Permission::ViewCatalog);
    let searched = !p.is_empty() || !p.format.is_empty() || !p.language.is_empty();
    let page = if searched {
        Some(
            state
                .lib
                .search_catalog(p.request(), staff)
                .await
                .or_page(&state, &req)?,
        )
    } else {
        None
    };
    let current_page = p.page.max(1);
    let (facets, total) = match &page {
        Some(pg) => (
            Some(minijinja::context! {
                format => facet(&p, "format", &p.format, &pg.facets.format),
                language => facet(&p, "language", &p.language, &pg.facets.language),
                decade => facet(&p, "decade", &p.decade, &pg.facets.year_ranges),
                branch => {
                    let names = state.lib.public_branches().await.unwrap_or_default();
                    let mut links = facet(&p, "branch", &p.branch, &pg.facets.branch);
                    for l in &mut links {
                        if let Some(b) = names.iter().find(|b| b.code.eq_ignore_ascii_case(&l.value)) {
                            l.label = b.name.clone();
                        }
                    }
                    links
                },
            }),
            pg.total,
        ),
        None => (None, 0),
    };
    let pages = (total as usize).div_ceil(PAGE_SIZE).min(25);
    let prev = (current_page > 1).then(|| p.with("page", &(current_page - 1).to_string()));
    let next = (current_page < pages).then(|| p.with("page", &(current_page + 1).to_string()));
    let sorts: Vec<(&str, String, bool)> = ["relevance", "title", "author", "newest", "oldest"]
        .iter()
        .map(|s| {
            (
                *s,
                p.with("sort", s),
                p.sort == *s || (p.sort.is_empty() && *s == "relevance"),
            )
        })
        .collect();
    let available_href = p.with("available", if p.available == "yes" { "" } else { "yes" });
    let first = page
        .as_ref()
        .map(|_| (current_page - 1) * PAGE_SIZE + 1)
        .unwrap_or(0);
    let html = state
        .templates
        .render(
            &req,
            "public/search.html",
            minijinja::context! {
                params => p, page, facets, total, first, current_page, pages, prev, next, sorts, available_href, searched,
            },
        )
        .or_page(&state, &req)?;
    Ok((StatusCode::OK, Html(html)).into_response())
}

pub async fn record(State(state): State<AppState>, req: Req, Path(id): Path<i64>) -> PageResult {
    let staff = req.can(Permission::ViewCatalog);
    let view = state
        .lib
        .record_view(id, staff)
        .await
        .or_page(&state, &req)?;
    state
        .templates
        .page(
            &req,
            "public/record.html",
            minijinja::context! { view, staff },
        )
        .or_page(&state, &req)
}

pub async fn record_marc(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> PageResult {
    req.require(Permission::ViewCatalog).or_page(&state, &req)?;
    let view = state
        .lib
        .record_view(id, true)
        .await
        .or_page(&state, &req)?;
    state
        .templates
        .page(&req, "public/marc.html", minijinja::context! { view })
        .or_page(&state, &req)
}

pub async fn help(State(state): State<AppState>, req: Req) -> PageResult {
    state
        .templates
        .page(&req, "public/help.html", minijinja::context! {})
        .or_page(&state, &req)
}
