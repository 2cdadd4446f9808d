//! The public browse page: alphabetical lists of titles, authors, subjects
//! and call numbers from the search index, a page at a time.

use quire_domain::callnumber;
use quire_search::{BrowseEntry, BrowseField};
use serde::Serialize;

use crate::{Library, Result};

/// Entries per browse page.
pub const BROWSE_PAGE: usize = 20;

/// One page of a browse list.
#[derive(Debug, Clone, Serialize)]
pub struct BrowsePage {
    pub entries: Vec<BrowseEntry>,
    /// Sort key to pass as `key` with `dir=prev` for the page before.
    pub prev_key: Option<String>,
    /// Sort key to pass as `key` for the page after.
    pub next_key: Option<String>,
}

/// The browse index of a URL name (`title`, `author`, `subject`, `callnumber`).
pub fn browse_field(name: &str) -> Option<BrowseField> {
    Some(match name {
        "title" => BrowseField::Title,
        "author" => BrowseField::Author,
        "subject" => BrowseField::Subject,
        "callnumber" => BrowseField::CallNumber,
        _ => return None,
    })
}

impl Library {
    /// A page of `field` starting at what the patron typed (`from`) or at
    /// an exact sort key from a previous page (`key`); `backwards` gives
    /// the page that ends just before `key`.
    pub async fn browse_page(
        &self,
        field: BrowseField,
        from: &str,
        key: Option<&str>,
        backwards: bool,
    ) -> Result<BrowsePage> {
        let start = match key {
            Some(k) => k.to_owned(),
            None if field == BrowseField::CallNumber && !from.trim().is_empty() => {
                let f = from.trim();
                callnumber::sort_key(callnumber::guess_scheme(f), f).to_string()
            }
            None => from.trim().to_owned(),
        };
        if backwards {
            let entries = self.browse(field, start.clone(), BROWSE_PAGE, 0).await?;
            let prev_key = match entries.first() {
                Some(first) => self
                    .browse(field, first.sort_key.clone(), 1, 0)
                    .await?
                    .first()
                    .map(|_| first.sort_key.clone()),
                None => None,
            };
            return Ok(BrowsePage {
                entries,
                prev_key,
                next_key: Some(start),
            });
        }
        let mut entries = self
            .browse(field, start.clone(), 0, BROWSE_PAGE + 1)
            .await?;
        let next_key = (entries.len() > BROWSE_PAGE)
            .then(|| entries.pop().map(|e| e.sort_key))
            .flatten();
        let prev_key = if start.is_empty() {
            None
        } else {
            let before = self.browse(field, start.clone(), 1, 0).await?;
            (!before.is_empty()).then(|| {
                entries
                    .first()
                    .map(|e| e.sort_key.clone())
                    .unwrap_or(start.clone())
            })
        };
        Ok(BrowsePage {
            entries,
            prev_key,
            next_key,
        })
    }
}
