//! Checks the demo data shipped in `crates/quire/demo` (built by
//! `examples/select_demo.rs` from the LoC BooksAll 2016 file): the catalog
//! reads cleanly with quire-marc and has the promised mix, and the item and
//! patron plans refer to real records and carry valid barcodes.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use quire_domain::callnumber::{self, Kind, Scheme};
use quire_domain::ident::{BarcodeScheme, CheckDigit};
use quire_marc::{Iso2709Reader, Record, iso2709};

const PHILIPPINE_LANGS: &[&str] = &[
    "tgl", "fil", "ceb", "ilo", "hil", "pag", "war", "bik", "pam", "phi",
];

fn demo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../quire/demo")
}

/// Reads the catalog, asserting that every record is clean.
fn catalog() -> Vec<Record> {
    let bytes = std::fs::read(demo_dir().join("catalog.mrc")).unwrap();
    let mut out = Vec::new();
    for res in Iso2709Reader::new(bytes.as_slice()) {
        let r = res.unwrap_or_else(|e| panic!("unreadable record: {e}"));
        assert!(
            r.warnings.is_empty(),
            "{}: warnings {:?}",
            r.position,
            r.warnings
        );
        assert_eq!(r.raw.get(9), Some(&b'a'), "{}: leader/09", r.position);
        assert!(
            std::str::from_utf8(&r.raw).is_ok(),
            "{}: not UTF-8",
            r.position
        );
        // Written by quire-marc: re-serialising gives the same bytes.
        assert_eq!(
            iso2709::to_bytes(&r.record).unwrap(),
            r.raw,
            "{}: not in quire-marc's canonical form",
            r.position
        );
        out.push(r.record);
    }
    out
}

fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            other => panic!("unsupported escape \\{other:?} in {cell:?}"),
        }
    }
    out
}

/// Header and rows of a demo TSV (each row checked to have the header's width).
fn tsv(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(demo_dir().join(name)).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split('\t').map(unescape).collect();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split('\t').map(unescape).collect::<Vec<_>>())
        .collect();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), header.len(), "{name} line {}: {r:?}", i + 2);
    }
    (header, rows)
}

fn control_number(r: &Record) -> String {
    r.control_number().unwrap_or("").trim().to_owned()
}

fn lang(r: &Record) -> String {
    r.first("008")
        .and_then(|f| f.control_value())
        .and_then(|v| v.get(35..38))
        .unwrap_or("")
        .to_owned()
}

fn about_philippines(r: &Record) -> bool {
    r.fields("650").chain(r.fields("651")).any(|f| {
        f.subfield_list()
            .iter()
            .any(|s| s.value.contains("Philippines"))
    })
}

fn barcode_scheme(prefix: &str) -> BarcodeScheme {
    BarcodeScheme {
        length: 14,
        prefix: prefix.to_owned(),
        check: CheckDigit::Mod10,
    }
}

#[test]
fn catalog_reads_cleanly_and_has_the_promised_mix() {
    let recs = catalog();
    assert!(recs.len() >= 250, "only {} records", recs.len());
    let mut seen = HashSet::new();
    for r in &recs {
        let cn = control_number(r);
        assert!(!cn.is_empty(), "record without 001: {r:?}");
        assert!(r.first("245").is_some(), "{cn}: no 245");
        assert!(seen.insert(cn.clone()), "duplicate 001 {cn}");
    }
    let vie = recs.iter().filter(|r| lang(r) == "vie").count();
    assert!(vie >= 20, "only {vie} Vietnamese records");
    let phil_lang = recs
        .iter()
        .filter(|r| PHILIPPINE_LANGS.contains(&lang(r).as_str()))
        .count();
    assert!(
        phil_lang >= 10,
        "only {phil_lang} Philippine-language records"
    );
    let phil = recs
        .iter()
        .filter(|r| PHILIPPINE_LANGS.contains(&lang(r).as_str()) || about_philippines(r))
        .count();
    assert!(phil >= 25, "only {phil} Philippine records");
    // The realistic mix: most have ISBNs and LC call numbers, some Dewey,
    // some original-script fields and children's books.
    let with = |tag: &str| recs.iter().filter(|r| r.first(tag).is_some()).count();
    assert!(with("020") * 2 > recs.len(), "ISBNs: {}", with("020"));
    assert!(with("050") * 2 > recs.len(), "050: {}", with("050"));
    assert!(with("082") >= 20, "082: {}", with("082"));
    assert!(with("880") >= 20, "880: {}", with("880"));
    let children = recs
        .iter()
        .filter(|r| {
            r.first("008")
                .and_then(|f| f.control_value())
                .and_then(|v| v.as_bytes().get(22).copied())
                .is_some_and(|c| matches!(c, b'a' | b'b' | b'c' | b'j'))
        })
        .count();
    assert!(children >= 20, "children's: {children}");
    let languages: HashSet<String> = recs.iter().map(lang).collect();
    for l in [
        "eng", "spa", "fre", "ger", "chi", "jpn", "kor", "rus", "ara", "heb",
    ] {
        assert!(languages.contains(l), "no {l} record");
    }
}

#[test]
fn items_refer_to_catalog_records_and_have_valid_barcodes() {
    let recs = catalog();
    let by_cn: HashMap<String, &Record> = recs.iter().map(|r| (control_number(r), r)).collect();
    let (header, rows) = tsv("items.tsv");
    assert_eq!(
        header,
        [
            "record_control_number",
            "barcode",
            "branch",
            "location",
            "item_type",
            "call_number",
            "call_number_scheme"
        ]
    );
    let scheme = barcode_scheme("3");
    let places: HashSet<(&str, &str)> = [
        ("MAIN", "STACKS"),
        ("MAIN", "REF"),
        ("MAIN", "CHILD"),
        ("NORTH", "STACKS"),
        ("NORTH", "CHILD"),
        ("SAIGON", "STACKS"),
        ("SAIGON", "VIET"),
    ]
    .into_iter()
    .collect();
    let mut barcodes = HashSet::new();
    let mut per_record: HashMap<&str, usize> = HashMap::new();
    let mut vie_items = 0;
    let mut vie_at_saigon = 0;
    for row in &rows {
        let [cn, barcode, branch, location, item_type, call, call_scheme] = row.as_slice() else {
            unreachable!("width checked by tsv()");
        };
        let rec = by_cn
            .get(cn.as_str())
            .unwrap_or_else(|| panic!("items.tsv: {cn} is not in the catalog"));
        *per_record.entry(cn).or_default() += 1;
        scheme
            .validate(barcode)
            .unwrap_or_else(|e| panic!("item barcode {barcode}: {e}"));
        assert!(
            barcodes.insert(barcode.clone()),
            "duplicate barcode {barcode}"
        );
        assert!(
            places.contains(&(branch.as_str(), location.as_str())),
            "{cn}: unknown place {branch}/{location}"
        );
        assert!(
            ["BOOK", "DVD", "SERIAL", "REF", "CHILD"].contains(&item_type.as_str()),
            "{cn}: item type {item_type}"
        );
        assert!(!call.trim().is_empty(), "{cn}: empty call number");
        let parsed = match call_scheme.as_str() {
            "lc" => callnumber::parse(Scheme::Lc, call),
            "dewey" => callnumber::parse(Scheme::Dewey, call),
            "local" => callnumber::parse(Scheme::Other, call),
            other => panic!("{cn}: call number scheme {other}"),
        };
        let parsed = parsed.unwrap_or_else(|e| panic!("{cn}: call number {call:?}: {e}"));
        if call_scheme != "local" {
            assert_eq!(parsed.kind(), Kind::Classification, "{cn}: {call}");
        }
        if lang(rec) == "vie" {
            vie_items += 1;
            vie_at_saigon += usize::from(branch == "SAIGON");
        }
    }
    for r in &recs {
        let n = per_record
            .get(control_number(r).as_str())
            .copied()
            .unwrap_or(0);
        assert!((1..=3).contains(&n), "{}: {n} items", control_number(r));
    }
    assert!(
        vie_at_saigon * 10 >= vie_items * 7,
        "Vietnamese items mostly at SAIGON: {vie_at_saigon} of {vie_items}"
    );
}

#[test]
fn patrons_are_well_formed() {
    let (header, rows) = tsv("patrons.tsv");
    assert_eq!(
        header,
        [
            "barcode",
            "pin",
            "first_name",
            "last_name",
            "category",
            "home_branch",
            "email",
            "phone",
            "preferred_language",
            "birth_date"
        ]
    );
    assert!((30..=60).contains(&rows.len()), "{} patrons", rows.len());
    let scheme = barcode_scheme("2");
    let mut barcodes = HashSet::new();
    let mut emails = HashSet::new();
    let mut langs = HashSet::new();
    for row in &rows {
        let [
            barcode,
            pin,
            first,
            last,
            category,
            branch,
            email,
            phone,
            lang,
            birth,
        ] = row.as_slice()
        else {
            unreachable!("width checked by tsv()");
        };
        scheme
            .validate(barcode)
            .unwrap_or_else(|e| panic!("patron barcode {barcode}: {e}"));
        assert!(barcodes.insert(barcode.clone()), "duplicate {barcode}");
        assert!(
            pin.len() == 4 && pin.bytes().all(|b| b.is_ascii_digit()),
            "{barcode}: pin {pin:?}"
        );
        assert!(!first.is_empty() && !last.is_empty(), "{barcode}: name");
        assert!(
            ["ADULT", "CHILD", "STUDENT", "STAFF", "SENIOR"].contains(&category.as_str()),
            "{barcode}: category {category}"
        );
        assert!(
            ["MAIN", "NORTH", "SAIGON"].contains(&branch.as_str()),
            "{barcode}: branch {branch}"
        );
        assert!(
            email.ends_with("@demo.quire.invalid") && email.is_ascii(),
            "{barcode}: email {email}"
        );
        assert!(emails.insert(email.clone()), "duplicate email {email}");
        assert!(phone.starts_with('+'), "{barcode}: phone {phone}");
        assert!(
            ["en", "fil", "vi"].contains(&lang.as_str()),
            "{barcode}: language {lang}"
        );
        langs.insert(lang.clone());
        let parts: Vec<u32> = birth.split('-').map(|p| p.parse().unwrap()).collect();
        assert!(
            birth.len() == 10
                && parts.len() == 3
                && (1..=12).contains(&parts[1])
                && (1..=31).contains(&parts[2]),
            "{barcode}: birth date {birth}"
        );
        // Children are under 13 (on 2026-12-31, when this data was made);
        // everybody else is at least 13.
        if category == "CHILD" {
            assert!(parts[0] >= 2014, "{barcode}: child born {birth}");
        } else {
            assert!(parts[0] <= 2012, "{barcode}: {category} born {birth}");
        }
    }
    assert_eq!(langs.len(), 3, "all three languages used: {langs:?}");
}
