#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every user-visible string comes from the resource files:
//! - every key used by a template or by Rust code exists in every language;
//! - every key in a resource file is used somewhere (no dead strings);
//! - Filipino and Vietnamese are real translations, not English copies
//!   (except ids listed on the file's `# same-as-english:` line).

use std::collections::BTreeSet;
use std::path::Path;

use quire_domain::Locale;
use quire_domain::staff::Role;
use quire_i18n::{I18n, RESOURCES};

fn read_tree(dir: &Path, ext: &str, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            read_tree(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push((
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
}

/// (path, contents) of source files.
type Files = Vec<(String, String)>;

/// Source files whose strings reach users.
fn sources() -> (Files, Files) {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut templates = Vec::new();
    read_tree(&crates.join("quire-web/templates"), "html", &mut templates);
    let mut rust = Vec::new();
    for c in [
        "quire-web/src",
        "quire-library/src",
        "quire-domain/src",
        "quire-i18n/src",
        "quire-sip2-server/src",
    ] {
        read_tree(&crates.join(c), "rs", &mut rust);
    }
    (templates, rust)
}

/// Keys referenced literally.
fn literal_keys() -> BTreeSet<String> {
    let (templates, rust) = sources();
    let mut keys = BTreeSet::new();
    let tpl = regex_lite::Regex::new(r#"\bt\(\s*["']([a-z0-9_-]+)["']"#).unwrap();
    for (_, s) in &templates {
        // `t("role-" ~ r)` builds a key from a prefix: covered by generated_keys.
        keys.extend(
            tpl.captures_iter(s)
                .map(|c| c[1].to_owned())
                .filter(|k| !k.ends_with('-')),
        );
    }
    let rs = regex_lite::Regex::new(r#"\.(?:s|t)\(\s*[^,()]+,\s*"([a-z0-9_-]+)""#).unwrap();
    let notice = regex_lite::Regex::new(r#"Some\("(notice-[a-z-]+)"\.into\(\)\)"#).unwrap();
    let login = regex_lite::Regex::new(r#""(login-[a-z-]+)""#).unwrap();
    for (_, s) in &rust {
        keys.extend(rs.captures_iter(s).map(|c| c[1].to_owned()));
        keys.extend(notice.captures_iter(s).map(|c| c[1].to_owned()));
        keys.extend(login.captures_iter(s).map(|c| c[1].to_owned()));
    }
    keys
}

/// Keys built at run time from code tables and field errors.
fn generated_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for s in quire_library::ERROR_TABLE {
        keys.insert(format!("error-{}", s.name));
        if let Some(k) = s.sip2_screen {
            keys.insert(k.to_owned());
        }
    }
    for c in quire_domain::circ::decide::RefusalCode::ALL {
        keys.insert(format!("refusal-{}", c.as_str()));
    }
    for r in Role::ALL {
        keys.insert(format!("role-{}", r.as_str()));
    }
    for k in ["branch", "system", "consortium"] {
        keys.insert(format!("kind-{k}"));
    }
    for a in quire_library::audit::ACTIONS {
        keys.insert(format!("audit-action-{a}"));
    }
    for e in quire_library::audit::ENTITIES {
        keys.insert(format!("entity-{e}"));
    }
    for d in 0..7 {
        keys.insert(format!("weekday-{d}"));
    }
    for m in 1..=12 {
        keys.insert(format!("month-short-{m}"));
    }
    for f in quire_library::catalog::FORMATS {
        keys.insert(format!("format-{f}"));
    }
    for l in quire_web::render::LANGUAGES {
        keys.insert(format!("language-{l}"));
    }
    for st in quire_web::render::ITEM_STATUSES {
        keys.insert(format!("status-{st}"));
    }
    // Families spelled out in templates as literal lists.
    for f in ["format", "language", "decade", "branch"] {
        keys.insert(format!("facet-{f}"));
    }
    for s in ["relevance", "title", "author", "newest", "oldest"] {
        keys.insert(format!("sort-{s}"));
    }
    for f in ["title", "author", "subject", "series", "isbn"] {
        keys.insert(format!("search-field-{f}"));
    }
    for h in ["auto", "koha-952", "marc-852", "local-949", "none"] {
        keys.insert(format!("import-holdings-{h}"));
    }
    for st in ["running", "done", "failed"] {
        keys.insert(format!("import-state-{st}"));
    }
    // Copy cataloging (interop.ftl).
    for s in quire_library::copycat::SYNTAXES {
        keys.insert(format!("syntax-{s}"));
    }
    for c in quire_library::copycat::CHARSETS {
        keys.insert(format!("charset-{c}"));
    }
    for k in quire_interop::copycat::ERROR_KINDS {
        keys.insert(format!("copy-error-{k}"));
    }
    for k in ["isbn", "title", "lccn"] {
        keys.insert(format!("copy-kind-{k}"));
    }
    for m in ["isbn", "lccn", "control-number"] {
        keys.insert(format!("copy-match-{m}"));
    }
    keys.extend(quire_library::cataloging::message_keys());
    // Why a notice was not sent (staff/notices.html builds the key).
    for r in quire_library::notices::SKIP_REASONS {
        keys.insert(format!("notice-skip-{r}"));
    }
    // Circulation desk: due-date and fine explanations, blocks, ledger kinds.
    for c in [
        "loan-period",
        "end-of-day",
        "moved-to-open-day",
        "no-open-day",
        "exact-time",
        "capped-at-closing",
        "extended-to-opening",
        "closed-at-due-time",
        "capped-at-expiry",
        "capped-at-hard-due-date",
    ] {
        keys.insert(format!("due-step-{c}"));
    }
    for c in [
        "not-overdue",
        "overdue",
        "closed-skipped",
        "within-grace",
        "grace-forgiven",
        "grace-retroactive",
        "fine-free",
        "charged",
        "capped-at-max",
        "capped-at-replacement",
    ] {
        keys.insert(format!("fine-step-{c}"));
    }
    for b in [
        "card-expired",
        "card-lost",
        "fines-over-limit",
        "too-many-overdues",
        "too-many-claims-returned",
        "manual",
    ] {
        keys.insert(format!("block-{b}"));
    }
    for k in quire_library::fees::FEE_KINDS {
        keys.insert(format!("fee-kind-{k}"));
    }
    // Why an item's call number has its scheme (`SchemeSource::as_str`;
    // `marc` is spelled out in the template).
    for k in ["item", "branch-default", "library-default", "guessed"] {
        keys.insert(format!("scheme-why-{k}"));
    }
    for k in ["home", "hold"] {
        keys.insert(format!("desk-transit-reason-{k}"));
    }
    for k in ["limit", "value"] {
        keys.insert(format!("desk-block-arg-{k}"));
    }
    keys.insert("time-am".into());
    keys.insert("time-pm".into());
    keys.insert("field-error".into());
    for n in [
        "saved",
        "created",
        "password-changed",
        "revoked",
        "still-bad",
        "copy-imported",
        "target-deleted",
    ] {
        keys.insert(format!("notice-{n}"));
    }
    // Field errors: FieldError::new("field", "code"), Error::field("field", "code"),
    // remapped field names (`"x" => "loc_x"`), and Error::duplicate.
    let (_, rust) = sources();
    let fe = regex_lite::Regex::new(
        r#"(?:FieldError::new|Error::field)\(\s*"([a-z_]+)",\s*"([a-z-]+)",?\s*\)"#,
    )
    .unwrap();
    let field_only = regex_lite::Regex::new(r#"\b(?:text|optional_text|optional_email|Code::parse|LocalTime::parse|NewPassword::parse)\(\s*"([a-z_]+)""#).unwrap();
    let remap = regex_lite::Regex::new(r#""[a-z_]+" => "([a-z_]+)""#).unwrap();
    let codes =
        regex_lite::Regex::new(r#"FieldError::new\(\s*[a-z_]+,\s*"([a-z-]+)",?\s*\)"#).unwrap();
    for (_, s) in &rust {
        for c in fe.captures_iter(s) {
            keys.insert(format!("field-{}", c[1].replace('_', "-")));
            keys.insert(format!("reason-{}", &c[2]));
        }
        // (one-letter names are test scaffolding such as `LocalTime::parse("t", …)`)
        for c in field_only.captures_iter(s).filter(|c| c[1].len() > 1) {
            keys.insert(format!("field-{}", c[1].replace('_', "-")));
        }
        for c in remap.captures_iter(s) {
            keys.insert(format!("field-{}", c[1].replace('_', "-")));
        }
        for c in codes.captures_iter(s) {
            keys.insert(format!("reason-{}", &c[1]));
        }
    }
    keys.insert("reason-already-taken".into()); // Error::duplicate
    keys.extend(quire_web::patron_i18n_keys());
    keys
}

#[test]
fn every_used_key_exists_in_every_language() {
    let i18n = I18n::load().expect("resources parse");
    let used: BTreeSet<String> = literal_keys().union(&generated_keys()).cloned().collect();
    assert!(
        used.len() > 150,
        "the scan found suspiciously few keys: {}",
        used.len()
    );
    let mut missing = Vec::new();
    for l in Locale::ALL {
        for k in &used {
            if !i18n.has(l, k) {
                missing.push(format!("{l}: {k}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys used but not translated:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_key_is_used() {
    let used: BTreeSet<String> = literal_keys().union(&generated_keys()).cloned().collect();
    for l in Locale::ALL {
        let unused: Vec<String> = I18n::keys(l)
            .into_iter()
            .filter(|k| !used.contains(k))
            .collect();
        assert!(
            unused.is_empty(),
            "{l}: keys nobody uses (delete them or use them):\n{}",
            unused.join("\n")
        );
    }
}

#[test]
fn languages_have_the_same_keys() {
    let en = I18n::keys(Locale::En);
    for l in [Locale::Fil, Locale::Vi] {
        assert_eq!(I18n::keys(l), en, "{l} has different keys from en");
    }
}

#[test]
fn translations_are_not_english_copies() {
    let i18n = I18n::load().unwrap();
    for l in [Locale::Fil, Locale::Vi] {
        let src = RESOURCES.iter().find(|(loc, _, _)| *loc == l).unwrap().2;
        let allowed: BTreeSet<&str> = src
            .lines()
            .find_map(|line| line.strip_prefix("# same-as-english:"))
            .map(|rest| rest.split_whitespace().collect())
            .unwrap_or_default();
        let mut copies = Vec::new();
        for k in I18n::keys(Locale::En) {
            let args: [(&str, quire_i18n::Arg); 0] = [];
            if i18n.t(l, &k, &args) == i18n.t(Locale::En, &k, &args)
                && !allowed.contains(k.as_str())
            {
                copies.push(k);
            }
        }
        assert!(
            copies.is_empty(),
            "{l}: identical to English (translate, or list on the same-as-english line): {copies:?}"
        );
        assert!(allowed.len() < 20, "{l}: too many messages left in English");
    }
}

/// Every template file on disk is registered (a missing entry is a 500 at run time).
#[test]
fn every_template_is_registered() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    read_tree(&dir, "html", &mut files);
    for (path, _) in files {
        let rel = Path::new(&path)
            .strip_prefix(&dir)
            .unwrap()
            .display()
            .to_string();
        assert!(
            quire_web::render::TEMPLATES
                .iter()
                .any(|(name, _)| *name == rel),
            "template {rel} is not in render::TEMPLATES"
        );
    }
}
