//! Reading urlencoded forms (with repeated fields such as checkboxes) and
//! turning field errors into what the form templates show.

use std::collections::BTreeMap;

use quire_domain::Locale;
use quire_library::Error;

use crate::AppState;
use crate::error::field_message;

/// A decoded form: every (name, value) pair in order.
#[derive(Debug, Default, Clone)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> Self {
        FormData(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }
    /// First value of a field, or "".
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub fn checked(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| k == name && (v == "on" || v == "true" || v == "1"))
    }
    /// The values to re-fill the form with (without secrets).
    pub fn values(&self) -> BTreeMap<String, String> {
        self.0
            .iter()
            .filter(|(k, _)| !k.contains("password") && k != "_csrf")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Field name → translated message, plus a summary for the error box.
#[derive(Debug, Default, serde::Serialize)]
pub struct FormErrors {
    pub fields: BTreeMap<String, String>,
    pub summary: Vec<(String, String)>,
    /// A form-level message (error not tied to a field).
    pub general: Option<String>,
}

impl FormErrors {
    pub fn from_error(state: &AppState, locale: Locale, e: &Error) -> Self {
        let mut out = FormErrors::default();
        for f in &e.fields {
            let msg = field_message(state, locale, f);
            out.fields
                .entry(f.field.to_owned())
                .or_insert_with(|| msg.clone());
            out.summary.push((f.field.to_owned(), msg));
        }
        if e.fields.is_empty() {
            out.general = Some(state.i18n.s(locale, &format!("error-{}", e.code.name())));
        }
        out
    }
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }
}
