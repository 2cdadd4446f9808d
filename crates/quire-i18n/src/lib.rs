//! Quire's interface languages.
//!
//! Every user-visible string lives in `locales/<lang>/*.ftl` (Fluent), for
//! English, Filipino and Vietnamese, embedded in the binary. [`I18n::t`]
//! formats a message; a missing key falls back to English and is logged
//! (and the `keys` test fails the build first). Dates and numbers are
//! formatted per locale by [`format`] with patterns from CLDR and month names
//! from the resource files.

pub mod format;
pub mod notices;

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use quire_domain::Locale;

/// The resource files, per language: (file name, contents).
pub const RESOURCES: &[(Locale, &str, &str)] = &[
    (
        Locale::En,
        "main.ftl",
        include_str!("../locales/en/main.ftl"),
    ),
    (
        Locale::Fil,
        "main.ftl",
        include_str!("../locales/fil/main.ftl"),
    ),
    (
        Locale::Vi,
        "main.ftl",
        include_str!("../locales/vi/main.ftl"),
    ),
    (
        Locale::En,
        "circ.ftl",
        include_str!("../locales/en/circ.ftl"),
    ),
    (
        Locale::Fil,
        "circ.ftl",
        include_str!("../locales/fil/circ.ftl"),
    ),
    (
        Locale::Vi,
        "circ.ftl",
        include_str!("../locales/vi/circ.ftl"),
    ),
    (
        Locale::En,
        "sip2.ftl",
        include_str!("../locales/en/sip2.ftl"),
    ),
    (
        Locale::Fil,
        "sip2.ftl",
        include_str!("../locales/fil/sip2.ftl"),
    ),
    (
        Locale::Vi,
        "sip2.ftl",
        include_str!("../locales/vi/sip2.ftl"),
    ),
    (
        Locale::En,
        "cataloging.ftl",
        include_str!("../locales/en/cataloging.ftl"),
    ),
    (
        Locale::Fil,
        "cataloging.ftl",
        include_str!("../locales/fil/cataloging.ftl"),
    ),
    (
        Locale::Vi,
        "cataloging.ftl",
        include_str!("../locales/vi/cataloging.ftl"),
    ),
    (
        Locale::En,
        "cataloging-008.ftl",
        include_str!("../locales/en/cataloging-008.ftl"),
    ),
    (
        Locale::Fil,
        "cataloging-008.ftl",
        include_str!("../locales/fil/cataloging-008.ftl"),
    ),
    (
        Locale::Vi,
        "cataloging-008.ftl",
        include_str!("../locales/vi/cataloging-008.ftl"),
    ),
    (
        Locale::En,
        "patrons.ftl",
        include_str!("../locales/en/patrons.ftl"),
    ),
    (
        Locale::Fil,
        "patrons.ftl",
        include_str!("../locales/fil/patrons.ftl"),
    ),
    (
        Locale::Vi,
        "patrons.ftl",
        include_str!("../locales/vi/patrons.ftl"),
    ),
    (
        Locale::En,
        "holds.ftl",
        include_str!("../locales/en/holds.ftl"),
    ),
    (
        Locale::Fil,
        "holds.ftl",
        include_str!("../locales/fil/holds.ftl"),
    ),
    (
        Locale::Vi,
        "holds.ftl",
        include_str!("../locales/vi/holds.ftl"),
    ),
    (
        Locale::En,
        "interop.ftl",
        include_str!("../locales/en/interop.ftl"),
    ),
    (
        Locale::Fil,
        "interop.ftl",
        include_str!("../locales/fil/interop.ftl"),
    ),
    (
        Locale::Vi,
        "interop.ftl",
        include_str!("../locales/vi/interop.ftl"),
    ),
    (
        Locale::En,
        "opac.ftl",
        include_str!("../locales/en/opac.ftl"),
    ),
    (
        Locale::Fil,
        "opac.ftl",
        include_str!("../locales/fil/opac.ftl"),
    ),
    (
        Locale::Vi,
        "opac.ftl",
        include_str!("../locales/vi/opac.ftl"),
    ),
    (
        Locale::En,
        "desk.ftl",
        include_str!("../locales/en/desk.ftl"),
    ),
    (
        Locale::Fil,
        "desk.ftl",
        include_str!("../locales/fil/desk.ftl"),
    ),
    (
        Locale::Vi,
        "desk.ftl",
        include_str!("../locales/vi/desk.ftl"),
    ),
    (
        Locale::En,
        "shelf.ftl",
        include_str!("../locales/en/shelf.ftl"),
    ),
    (
        Locale::Fil,
        "shelf.ftl",
        include_str!("../locales/fil/shelf.ftl"),
    ),
    (
        Locale::Vi,
        "shelf.ftl",
        include_str!("../locales/vi/shelf.ftl"),
    ),
    (
        Locale::En,
        "shelf-settings.ftl",
        include_str!("../locales/en/shelf-settings.ftl"),
    ),
    (
        Locale::Fil,
        "shelf-settings.ftl",
        include_str!("../locales/fil/shelf-settings.ftl"),
    ),
    (
        Locale::Vi,
        "shelf-settings.ftl",
        include_str!("../locales/vi/shelf-settings.ftl"),
    ),
    (
        Locale::En,
        "shelf-branch-scheme.ftl",
        include_str!("../locales/en/shelf-branch-scheme.ftl"),
    ),
    (
        Locale::Fil,
        "shelf-branch-scheme.ftl",
        include_str!("../locales/fil/shelf-branch-scheme.ftl"),
    ),
    (
        Locale::Vi,
        "shelf-branch-scheme.ftl",
        include_str!("../locales/vi/shelf-branch-scheme.ftl"),
    ),
    (
        Locale::En,
        "circ-lost.ftl",
        include_str!("../locales/en/circ-lost.ftl"),
    ),
    (
        Locale::Fil,
        "circ-lost.ftl",
        include_str!("../locales/fil/circ-lost.ftl"),
    ),
    (
        Locale::Vi,
        "circ-lost.ftl",
        include_str!("../locales/vi/circ-lost.ftl"),
    ),
    (
        Locale::En,
        "interop-targets.ftl",
        include_str!("../locales/en/interop-targets.ftl"),
    ),
    (
        Locale::Fil,
        "interop-targets.ftl",
        include_str!("../locales/fil/interop-targets.ftl"),
    ),
    (
        Locale::Vi,
        "interop-targets.ftl",
        include_str!("../locales/vi/interop-targets.ftl"),
    ),
    (
        Locale::En,
        "circ-overdue.ftl",
        include_str!("../locales/en/circ-overdue.ftl"),
    ),
    (
        Locale::Fil,
        "circ-overdue.ftl",
        include_str!("../locales/fil/circ-overdue.ftl"),
    ),
    (
        Locale::Vi,
        "circ-overdue.ftl",
        include_str!("../locales/vi/circ-overdue.ftl"),
    ),
];

/// Loaded message bundles for every supported language.
pub struct I18n {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

/// Message arguments: name → value (strings or numbers).
pub type Args<'a> = [(&'a str, Arg<'a>)];

/// One message argument.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Str(&'a str),
    String(String),
    Int(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}
impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::String(s)
    }
}
impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

impl I18n {
    /// Parses the embedded resources. Fails on a syntax error in any file.
    pub fn load() -> Result<Self, String> {
        let mut bundles = HashMap::new();
        for locale in Locale::ALL {
            let langid: unic_langid::LanguageIdentifier = locale
                .tag()
                .parse()
                .map_err(|e| format!("{locale}: {e:?}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // No Unicode isolation marks around arguments: they show up as
            // stray characters in plain-text contexts (SIP2 screens, e-mail).
            bundle.set_use_isolating(false);
            for (l, name, src) in RESOURCES {
                if *l != locale {
                    continue;
                }
                let res = FluentResource::try_new((*src).to_owned())
                    .map_err(|(_, errs)| format!("{locale}/{name}: {errs:?}"))?;
                bundle
                    .add_resource(res)
                    .map_err(|errs| format!("{locale}/{name}: {errs:?}"))?;
            }
            bundles.insert(locale, bundle);
        }
        Ok(I18n { bundles })
    }

    /// Whether `key` exists in `locale`.
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundles
            .get(&locale)
            .is_some_and(|b| b.has_message(key))
    }

    /// Formats message `key` in `locale`, falling back to English, then to
    /// the key itself (never panics, never empty).
    pub fn t(&self, locale: Locale, key: &str, args: &Args<'_>) -> String {
        self.try_t(locale, key, args)
            .or_else(|| {
                tracing::warn!(key, %locale, "missing translation");
                self.try_t(Locale::En, key, args)
            })
            .unwrap_or_else(|| key.to_owned())
    }

    /// A message without arguments.
    pub fn s(&self, locale: Locale, key: &str) -> String {
        self.t(locale, key, &[])
    }

    fn try_t(&self, locale: Locale, key: &str, args: &Args<'_>) -> Option<String> {
        let bundle = self.bundles.get(&locale)?;
        let (id, attr) = match key.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (key, None),
        };
        let msg = bundle.get_message(id)?;
        let pattern = match attr {
            Some(a) => msg.get_attribute(a)?.value(),
            None => msg.value()?,
        };
        let mut fargs = FluentArgs::new();
        for (name, v) in args {
            let fv: FluentValue = match v {
                Arg::Str(s) => FluentValue::from(*s),
                Arg::String(s) => FluentValue::from(s.as_str()),
                Arg::Int(n) => FluentValue::from(*n),
            };
            fargs.set(*name, fv);
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, %locale, ?errors, "translation formatting problem");
        }
        Some(out.into_owned())
    }

    /// Every message id of a locale (for the key-consistency tests).
    pub fn keys(locale: Locale) -> Vec<String> {
        let mut out = Vec::new();
        for (l, _, src) in RESOURCES {
            if *l != locale {
                continue;
            }
            if let Ok(res) = FluentResource::try_new((*src).to_owned()) {
                for entry in res.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        out.push(m.id.name.to_owned());
                    }
                }
            }
        }
        out.sort();
        out
    }
}
