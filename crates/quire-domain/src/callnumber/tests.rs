use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn cell(row: &[Vec<u8>], i: usize) -> String {
    String::from_utf8_lossy(row.get(i).map(Vec::as_slice).unwrap_or(b"")).into_owned()
}

fn key(s: &str) -> SortKey {
    sort_key(Scheme::Lc, s)
}

fn dkey(s: &str) -> SortKey {
    sort_key(Scheme::Dewey, s)
}

fn assert_increasing(scheme: Scheme, list: &[&str]) {
    for w in list.windows(2) {
        let (a, b) = (sort_key(scheme, w[0]), sort_key(scheme, w[1]));
        assert!(
            a < b,
            "{:?} ({a}) should sort before {:?} ({b})",
            w[0],
            w[1]
        );
        assert_eq!(compare(scheme, w[0], w[1]), Ordering::Less);
    }
}

#[test]
fn lc_protocol_order_rules() {
    assert_increasing(
        Scheme::Lc,
        &[
            "Q1",
            "QA9",
            "QA76",
            "QA76.5",
            "QA76.73",
            "QA76.73 .P98",
            "QA76.73 .P98 2019",
            "QA76.73 .P985",
            "QA76.73 .P99",
            "QA100",
            "QB1",
        ],
    );
    // cutters are decimals
    assert_increasing(Scheme::Lc, &["PN6231 .E29", "PN6231 .E295", "PN6231 .E4"]);
    // enumerations are numbers
    assert_increasing(
        Scheme::Lc,
        &[
            "QA76 .A1 v.2",
            "QA76 .A1 v.10",
            "QA76 .A1 v.10 c.2",
            "QA76 .A1 v.100",
        ],
    );
}

#[test]
fn lc_documented_key_shape() {
    // Library::CallNumber::LC's documented examples, in our encoding.
    assert_eq!(key("A 123.4 .c11").as_str(), "A01234 C11");
    assert_eq!(key("B11 .c13 .d11").as_str(), "B0011 C13 D11");
    assert_eq!(
        key("QA76.73.P98 L88 2019 v.2 c.3").as_str(),
        "QA007673 P98 L88 42019 V.12 C.13"
    );
}

#[test]
fn dewey_protocol_order_rules() {
    assert_increasing(
        Scheme::Dewey,
        &[
            "599.7",
            "599.75",
            "599.757",
            "599.757 SMI",
            "599.8",
            "823.914 ROW",
        ],
    );
    assert_eq!(dkey("J 599.75 SMI"), dkey("599.75 smi"));
    assert_eq!(dkey("823.914 ROW").as_str(), "823914 ROW");
    assert_eq!(dkey("1 .I39").as_str(), "001 I39");
    assert_eq!(dkey("364.1/523 B").as_str(), "3641523 B");
    assert_eq!(dkey("823/.914 ROW"), dkey("823.914 ROW"));
    assert_eq!(
        parse(Scheme::Dewey, "305.8/00973").unwrap().class_number(),
        "305.800973"
    );
}

#[test]
fn parse_structure_lc() {
    let c = parse(Scheme::Lc, "REF QA76.73.P98 L88 2019 v. 2 c.3").unwrap();
    assert_eq!(c.kind(), Kind::Classification);
    assert_eq!(c.prefixes(), ["REF"]);
    assert_eq!(c.class_letters(), "QA");
    assert_eq!(c.class_number(), "76.73");
    assert_eq!(c.cutters().collect::<Vec<_>>(), ["P98", "L88"]);
    let kinds: Vec<PartKind> = c.parts().iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PartKind::Cutter,
            PartKind::Cutter,
            PartKind::Date,
            PartKind::Enumeration,
            PartKind::Enumeration
        ]
    );
    assert_eq!(
        c.display_lines(),
        ["REF", "QA", "76.73", ".P98", "L88", "2019", "v.2", "c.3"]
    );
    assert_eq!(c.normalized(), "REF QA76.73 .P98 L88 2019 V.2 C.3");
    assert_eq!(c.to_string(), "REF QA76.73 .P98 L88 2019 v.2 c.3");
    // the prefix is not part of the key
    assert_eq!(c.sort_key(), &key("QA76.73 .P98 L88 2019 v.2 c.3"));
}

#[test]
fn parse_structure_dewey() {
    let c = parse(Scheme::Dewey, "J 599.757 T649h 2004 v.2").unwrap();
    assert_eq!(c.prefixes(), ["J"]);
    assert_eq!(c.class_number(), "599.757");
    assert_eq!(c.display_lines(), ["J", "599.757", "T649h", "2004", "v.2"]);
    let f = parse(Scheme::Dewey, "FIC SMI").unwrap();
    assert_eq!(f.kind(), Kind::PrefixOnly);
    assert!(dkey("FIC SMI") > dkey("999.99 ZZZ"));
    assert!(dkey("FIC SMI") < dkey("MC1 259"));
}

#[test]
fn single_letter_prefix_versus_lc_class() {
    // E is both a prefix (easy) and an LC class: the class reading wins.
    let e = parse(Scheme::Lc, "E 184 .S75").unwrap();
    assert!(e.prefixes().is_empty());
    assert_eq!(e.class_letters(), "E");
    let j = parse(Scheme::Lc, "J QA76 .B3").unwrap();
    assert_eq!(j.prefixes(), ["J"]);
    assert_eq!(j.class_letters(), "QA");
}

#[test]
fn configurable_prefixes() {
    let config = CallNumberConfig {
        prefixes: vec!["STACKS".into()],
        ..CallNumberConfig::default()
    };
    assert!(parse_with(Scheme::Lc, "STACKS QA76 .B3", &config).is_ok());
    assert!(parse_with(Scheme::Lc, "REF QA76 .B3", &config).is_err());
    assert!(parse(Scheme::Lc, "REF QA76 .B3").is_ok());
}

#[test]
fn errors_are_precise() {
    use CallNumberErrorReason as R;
    let e = |s| parse(Scheme::Lc, s).unwrap_err();
    assert_eq!(
        e("  "),
        CallNumberError {
            position: 0,
            reason: R::Empty
        }
    );
    assert_eq!(e("928.12").reason, R::MissingClassLetters);
    assert_eq!(
        e("AB 12345"),
        CallNumberError {
            position: 3,
            reason: R::ClassNumberTooLong(5)
        }
    );
    assert_eq!(e("X666 .S666").reason, R::InvalidClassLetter('X'));
    assert_eq!(
        e("GA 1.13:RCED-85-88"),
        CallNumberError {
            position: 7,
            reason: R::UnexpectedCharacter(':')
        }
    );
    assert_eq!(e("ICAO DOC 4444").reason, R::TooManyClassLetters(4));
    assert_eq!(
        e("NO CALL NUMBER"),
        CallNumberError {
            position: 3,
            reason: R::MissingClassNumber
        }
    );
    assert_eq!(
        parse(Scheme::Dewey, "1234.5").unwrap_err().reason,
        R::ClassNumberTooLong(4)
    );
    assert_eq!(
        parse(Scheme::Other, " -- ").unwrap_err().reason,
        R::NoContent
    );
    // the error displays
    assert!(e("X666").to_string().contains("'X'"));
}

#[test]
fn enumeration_period_may_be_followed_by_any_whitespace() {
    // found by fuzzing: whitespace other than ' ' after `v.` must not change the reading
    for scheme in [Scheme::Lc, Scheme::Dewey, Scheme::Other] {
        let k = sort_key(scheme, "QA76 .B3 v.\u{b}2");
        assert_eq!(k, sort_key(scheme, "QA76 .B3 v. 2"));
        assert_eq!(k, sort_key(scheme, "QA76 .B3 V.2"));
    }
    assert_eq!(
        sort_key(Scheme::Other, "J.\u{c}0A"),
        sort_key(Scheme::Other, "J. 0A")
    );
}

#[test]
fn other_scheme_is_generic() {
    let k = |s| sort_key(Scheme::Other, s);
    assert!(k("Box 9") < k("box 10"));
    assert_eq!(k("CD  Rock 12"), k("cd rock 12"));
    assert!(k("zzz") < k("--"));
    assert!(k("Ärger 2") > k("Zebra"));
    let c = parse(Scheme::Other, "Box 9 shelf 3").unwrap();
    assert_eq!(c.kind(), Kind::Free);
    assert_eq!(c.display_lines(), ["Box", "9", "shelf", "3"]);
}

#[test]
fn marc_scheme_selection() {
    let s = |t, i| scheme_from_marc(t, i).map(|m| (m.scheme, m.local));
    assert_eq!(s("050", ' '), Some((Scheme::Lc, false)));
    assert_eq!(s("090", ' '), Some((Scheme::Lc, true)));
    assert_eq!(s("082", '0'), Some((Scheme::Dewey, false)));
    assert_eq!(s("092", ' '), Some((Scheme::Dewey, true)));
    assert_eq!(s("852", '0'), Some((Scheme::Lc, true)));
    assert_eq!(s("852", '1'), Some((Scheme::Dewey, true)));
    assert_eq!(s("852", '8'), Some((Scheme::Other, true)));
    assert_eq!(s("852", ' '), None);
    assert_eq!(s("245", ' '), None);
}

#[test]
fn guessing_the_scheme() {
    assert_eq!(guess_scheme("QA76.73 .P98 2019"), Scheme::Lc);
    assert_eq!(guess_scheme("E 184 .S75"), Scheme::Lc);
    assert_eq!(guess_scheme("599.757 SMI"), Scheme::Dewey);
    assert_eq!(guess_scheme("J 599.75 SMI"), Scheme::Dewey);
    assert_eq!(guess_scheme("FIC SMI"), Scheme::Dewey);
    assert_eq!(guess_scheme("MLCS 2001/04716 (P)"), Scheme::Lc);
    assert_eq!(guess_scheme("Y 4.AG 8/1:108-16"), Scheme::Other);
}

#[test]
fn lc_shelving_control_numbers() {
    let c = parse(Scheme::Lc, "MLCS 2001/04716 (P)").unwrap();
    assert_eq!(c.kind(), Kind::ShelvingControl);
    assert!(key("MLCS 2001/04716 (P)") > key("ZA9999"));
    assert!(key("MLCS 2001/04716 (P)") < key("??"));
    assert!(key("MLCS 99/02503") < key("MLCS 2001/00001"));
}

// ---------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------

/// Upper-cased with spaces and periods removed: two call numbers with the same
/// squeezed form differ only in spacing/punctuation.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| *c != ' ' && *c != '.')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Pairs (group, lower-ranked, higher-ranked) where the source's order is
/// deliberately not followed; for these the test requires the *reverse*
/// order, so the behaviour stays pinned. Explained in ARCHITECTURE.md.
///
/// 1. lcsort puts a cutter's work letters before a following cutter
///    (`.A101mc` < `.A101 A101`); Stanford's list wants the opposite
///    "nothing before something" rule for the cutter as a unit
///    (`K240 DB` < `.K240A`). We follow Stanford (cutter compared whole).
/// 2. Stanford's librarian list interleaves cutters and Köchel enumerations
///    numerically (`K2` < `K.3` < `K.25` < `K.240` < `K240`); with cutters
///    compared as decimals (`K15` < `K2`) that rule is not a total order, so
///    no sort key can follow it. Enumerations sort before cutters of the
///    same letter.
fn known_deviation(group: &str, a: &str, b: &str) -> bool {
    let dev1 = group == "lcsort.test_cutter_suffixes.1"
        && ["QA 101.1 .A101m", "QA 101.1 .A101mb", "QA 101.1 .A101mc"].contains(&a)
        && ["QA 101.1 .A101 A101", "QA 101.1 .A101 A101zb"].contains(&b);
    let dev2 = group == "stanford.properOrderList"
        && (a.starts_with("M5 .L3 K2") || a.starts_with("M5.L3.K2"))
        && b.starts_with("M5 L3 K.");
    dev1 || dev2
}

fn check_order_file(file: &str, scheme: Scheme) -> usize {
    let Some((header, rows)) = quire_testdata::read_tsv(file) else {
        return 0;
    };
    assert_eq!(&header[..3], ["call_number", "expected_sort_rank", "group"]);
    let mut groups: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
    for row in &rows {
        let rank: u32 = cell(row, 1).parse().unwrap();
        groups
            .entry(cell(row, 2))
            .or_default()
            .push((cell(row, 0), rank));
    }
    let mut pairs = 0;
    let mut deviations = 0;
    let mut failures = Vec::new();
    for (group, items) in &groups {
        for (a, ra) in items {
            let ka = sort_key(scheme, a);
            for (b, rb) in items {
                let kb = sort_key(scheme, b);
                assert_eq!(
                    compare(scheme, a, b),
                    ka.cmp(&kb),
                    "compare() and sort_key() disagree on {a:?} vs {b:?}"
                );
                if ra == rb {
                    if ka != kb {
                        failures.push(format!(
                            "{group}: {a:?} == {b:?} expected, keys {ka} / {kb}"
                        ));
                    }
                } else if ra < rb {
                    pairs += 1;
                    let ok = if squeezed(a) == squeezed(b) {
                        // The sources disagree among themselves on spacing variants
                        // (marc4j and Stanford order `.M95`/`M95` oppositely); we only
                        // require that the source's order is not inverted.
                        ka <= kb
                    } else {
                        ka < kb
                    };
                    if known_deviation(group, a, b) {
                        deviations += 1;
                        if ka <= kb {
                            failures.push(format!(
                                "{group}: {a:?} / {b:?} listed as deviation but not reversed"
                            ));
                        }
                    } else if !ok {
                        failures.push(format!("{group}: {a:?} < {b:?} expected, keys {ka} / {kb}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    if scheme == Scheme::Lc {
        assert_eq!(
            deviations,
            6 + 20 * 6,
            "deviation rules no longer match the data"
        );
    }
    pairs
}

#[test]
fn lc_order_tsv() {
    let pairs = check_order_file("callnumbers/lc_order.tsv", Scheme::Lc);
    if quire_testdata::root().is_some() {
        assert!(pairs > 1000, "{pairs}");
    }
}

#[test]
fn dewey_order_tsv() {
    let pairs = check_order_file("callnumbers/dewey_order.tsv", Scheme::Dewey);
    if quire_testdata::root().is_some() {
        assert!(pairs > 50, "{pairs}");
    }
}

fn scheme_named(s: &str) -> Scheme {
    match s {
        "LC" => Scheme::Lc,
        "Dewey" => Scheme::Dewey,
        other => panic!("unknown scheme {other}"),
    }
}

#[test]
fn callnumber_reject_tsv() {
    let Some((_, rows)) = quire_testdata::read_tsv("callnumbers/callnumber_reject.tsv") else {
        return;
    };
    for row in &rows {
        let (s, scheme) = (cell(row, 0), scheme_named(&cell(row, 1)));
        let r = parse(scheme, &s);
        assert!(r.is_err(), "{s:?} accepted as {scheme:?}: {r:?}");
        assert!(
            sort_key(scheme, &s).as_str().starts_with(INVALID_MARK),
            "{s:?}"
        );
    }
    assert_eq!(rows.len(), 28);
}

#[test]
fn callnumber_valid_tsv() {
    let Some((_, rows)) = quire_testdata::read_tsv("callnumbers/callnumber_valid.tsv") else {
        return;
    };
    for row in &rows {
        let (s, scheme) = (cell(row, 0), scheme_named(&cell(row, 1)));
        let c = parse(scheme, &s).unwrap_or_else(|e| panic!("{s:?} rejected: {e}"));
        assert_eq!(c.kind(), Kind::Classification, "{s:?}");
        assert_eq!(guess_scheme(&s), scheme, "{s:?}");
    }
    assert_eq!(rows.len(), 29);
}

#[test]
fn lc_equivalent_tsv() {
    let Some((_, rows)) = quire_testdata::read_tsv("callnumbers/lc_equivalent.tsv") else {
        return;
    };
    let mut classes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &rows {
        classes.entry(cell(row, 1)).or_default().push(cell(row, 0));
    }
    let mut seen_keys = BTreeMap::new();
    for (class, members) in &classes {
        let k0 = key(&members[0]);
        for m in members {
            assert!(parse(Scheme::Lc, m).is_ok(), "{m:?}");
            assert_eq!(key(m), k0, "{class}: {m:?} vs {:?}", members[0]);
        }
        assert!(
            seen_keys.insert(k0, class).is_none(),
            "two classes share a key"
        );
    }
    assert_eq!(classes.len(), 4);
}

#[test]
fn lc_real_050_sample_tsv() {
    let Some((_, rows)) = quire_testdata::read_tsv("callnumbers/lc_real_050_sample.tsv") else {
        return;
    };
    let mut shelving = 0;
    let mut failures = Vec::new();
    for row in &rows {
        let s = cell(row, 0);
        match parse(Scheme::Lc, &s) {
            Ok(c) => {
                if c.kind() == Kind::ShelvingControl {
                    shelving += 1;
                }
                let again = parse(Scheme::Lc, &c.normalized()).unwrap();
                assert_eq!(again.sort_key(), c.sort_key(), "{s:?}");
                assert_eq!(again.normalized(), c.normalized(), "{s:?}");
            }
            Err(e) => failures.push(format!("{s:?}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(rows.len(), 2000);
    // MLCS / CPB Box / Microfiche / Incun. shelving numbers in this sample
    assert_eq!(shelving, 170);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum GenElem {
    Cutter(char, String, String),
    Date(u16, Option<char>),
    Ordinal(u16),
    Enum(&'static str, u32),
    Word(&'static str),
}

#[derive(Debug, Clone)]
struct GenLc {
    prefix: Option<&'static str>,
    letters: String,
    integer: u16,
    decimal: Option<String>,
    elems: Vec<GenElem>,
}

fn gen_elem() -> impl Strategy<Value = GenElem> {
    prop_oneof![
        3 => ("[A-Z]", "[0-9]{1,4}", "[a-z]{0,1}").prop_map(|(l, d, s)| GenElem::Cutter(l.chars().next().unwrap(), d, s)),
        1 => (1000u16..2100, prop::option::of(prop::sample::select(vec!['a', 'b', 'z']))).prop_map(|(y, s)| GenElem::Date(y, s)),
        1 => (1u16..120).prop_map(GenElem::Ordinal),
        1 => (prop::sample::select(vec!["v", "c", "pt", "no", "op", "K"]), 0u32..1000).prop_map(|(c, n)| GenElem::Enum(c, n)),
        1 => prop::sample::select(vec!["SVAR", "MAJ", "suppl", "index", "D"]).prop_map(GenElem::Word),
    ]
}

fn gen_lc() -> impl Strategy<Value = GenLc> {
    (
        prop::option::of(prop::sample::select(vec!["REF", "OVERSIZE", "YA"])),
        "[A-HJ-NP-VZ][A-Z]{0,2}",
        1u16..10000,
        prop::option::of("[0-9]{1,3}"),
        prop::collection::vec(gen_elem(), 0..5),
    )
        .prop_map(|(prefix, letters, integer, decimal, elems)| GenLc {
            prefix,
            letters,
            integer,
            decimal,
            elems,
        })
}

/// Renders a generated call number; `style` picks among equivalent spellings.
fn render(c: &GenLc, style: &[u8]) -> String {
    let mut st = style.iter().copied().cycle();
    let mut next = move || st.next().unwrap_or(0);
    let mut s = String::new();
    if let Some(p) = c.prefix {
        s.push_str(p);
        s.push_str(if next() % 2 == 0 { " " } else { "   " });
    }
    s.push_str(&c.letters);
    if next() % 2 == 0 {
        s.push(' ');
    }
    s.push_str(&c.integer.to_string());
    if let Some(d) = &c.decimal {
        s.push('.');
        s.push_str(d);
    }
    for e in &c.elems {
        let n = next();
        match e {
            GenElem::Cutter(l, d, suf) => {
                s.push_str([" ", " .", ".", ". ", "  .  "][usize::from(n % 5)]);
                s.push(*l);
                s.push_str(d);
                s.push_str(suf);
            }
            GenElem::Date(y, suf) => {
                s.push_str([" ", "  "][usize::from(n % 2)]);
                s.push_str(&y.to_string());
                if let Some(x) = suf {
                    s.push(*x);
                }
            }
            GenElem::Ordinal(o) => {
                s.push(' ');
                s.push_str(&o.to_string());
                s.push_str("th");
            }
            GenElem::Enum(cap, num) => {
                s.push_str([" ", "  "][usize::from(n % 2)]);
                s.push_str(cap);
                s.push_str([".", ". "][usize::from((n / 2) % 2)]);
                s.push_str(&num.to_string());
            }
            GenElem::Word(w) => {
                s.push_str([" ", " "][usize::from(n % 2)]);
                s.push_str(w);
            }
        }
    }
    if next() % 3 == 0 {
        s.push('.');
    }
    if next() % 3 == 0 {
        s = format!("  {s}  ");
    }
    if next() % 2 == 0 {
        s = s.to_lowercase();
    }
    s
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9 .,:/()\\-]{0,30}",
        "[A-Z]{1,3} ?[0-9]{1,5}(\\.[0-9]{1,3})?( \\.?[A-Z][0-9]{1,3}){0,3}( [0-9]{4})?",
        "(J |REF |FIC )?[0-9]{1,4}(\\.[0-9]{1,4})? ?[A-Z]{0,3}[0-9]{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsing_never_panics(s in any_text()) {
        for scheme in [Scheme::Lc, Scheme::Dewey, Scheme::Other] {
            let k = sort_key(scheme, &s);
            match parse(scheme, &s) {
                Ok(c) => {
                    prop_assert_eq!(c.sort_key(), &k);
                    let _ = c.display_lines();
                    let again = parse(scheme, &c.normalized()).unwrap();
                    prop_assert_eq!(again.sort_key(), &k, "normalized {:?}", c.normalized());
                    prop_assert_eq!(again.normalized(), c.normalized());
                }
                Err(e) => {
                    prop_assert!(e.position <= s.chars().count());
                    let _ = e.to_string();
                }
            }
        }
        let _ = guess_scheme(&s);
    }

    #[test]
    fn key_order_matches_compare(a in any_text(), b in any_text(), scheme in prop::sample::select(vec![Scheme::Lc, Scheme::Dewey, Scheme::Other])) {
        let (ka, kb) = (sort_key(scheme, &a), sort_key(scheme, &b));
        prop_assert_eq!(compare(scheme, &a, &b), ka.cmp(&kb), "{:?} {:?}", ka, kb);
        prop_assert_eq!(compare(scheme, &b, &a), kb.cmp(&ka));
    }

    #[test]
    fn generated_lc_key_order_matches_compare(a in gen_lc(), b in gen_lc(), c in gen_lc()) {
        let (sa, sb, sc) = (render(&a, &[0]), render(&b, &[0]), render(&c, &[0]));
        let (ka, kb, kc) = (key(&sa), key(&sb), key(&sc));
        prop_assert_eq!(compare(Scheme::Lc, &sa, &sb), ka.cmp(&kb), "{} | {}", sa, sb);
        // transitivity of the structural order (the key order is trivially transitive)
        if compare(Scheme::Lc, &sa, &sb) != Ordering::Greater && compare(Scheme::Lc, &sb, &sc) != Ordering::Greater {
            prop_assert_ne!(compare(Scheme::Lc, &sa, &sc), Ordering::Greater);
        }
        prop_assert!(kc.as_str().as_bytes()[0].is_ascii_uppercase());
    }

    #[test]
    fn generated_lc_is_valid_and_stable_under_spelling(c in gen_lc(), s1 in prop::collection::vec(any::<u8>(), 1..12), s2 in prop::collection::vec(any::<u8>(), 1..12)) {
        let a = render(&c, &s1);
        let b = render(&c, &s2);
        let pa = parse(Scheme::Lc, &a);
        prop_assert!(pa.is_ok(), "{:?}: {:?}", a, pa);
        prop_assert_eq!(key(&a), key(&b), "{:?} vs {:?}", a, b);
        // prefixes never change the key
        let mut bare = c.clone();
        bare.prefix = None;
        prop_assert_eq!(key(&a), key(&render(&bare, &s1)));
        // valid LC keys sort before every invalid key
        prop_assert!(key(&a) < key("1ST AMERICAN BANCORP"));
    }

    #[test]
    fn dewey_stable_under_spelling(int in 0u16..1000, dec in "[0-9]{0,6}", cutter in "[A-Z][0-9]{0,3}[a-z]?", upper in any::<bool>(), dot in any::<bool>()) {
        let num = if dec.is_empty() { format!("{int}") } else { format!("{int}.{dec}") };
        let a = format!("{num} {cutter}");
        let b = format!("  {}{}{}  ", format!("{int:03}") + if dec.is_empty() { "" } else { "." } + &dec, if dot { " ." } else { " " }, cutter);
        let b = if upper { b.to_uppercase() } else { b.to_lowercase() };
        prop_assert!(parse(Scheme::Dewey, &a).is_ok(), "{:?}", a);
        prop_assert_eq!(dkey(&a), dkey(&b), "{:?} vs {:?}", a, b);
    }
}

#[test]
fn effective_scheme_item_then_marc_then_default_then_guess() {
    let lc050 = scheme_from_marc("050", ' ');
    let dw082 = scheme_from_marc("082", '0');
    let marc = [("050", lc050, "QA76.73 .R87"), ("082", dw082, "005.133")];
    // The item's own scheme wins.
    assert_eq!(
        effective_scheme(
            Some(Scheme::Other),
            "QA76.73 .R87",
            &marc,
            Some(Scheme::Dewey)
        ),
        (Scheme::Other, SchemeSource::Item)
    );
    // The record's 050 (spacing and case ignored) decides over the default.
    assert_eq!(
        effective_scheme(None, "qa76.73  .r87", &marc, Some(Scheme::Dewey)),
        (Scheme::Lc, SchemeSource::Marc("050"))
    );
    assert_eq!(
        effective_scheme(None, "005.133", &marc, Some(Scheme::Lc)),
        (Scheme::Dewey, SchemeSource::Marc("082"))
    );
    // A local number: the library default, even where a guess would differ.
    assert_eq!(
        effective_scheme(None, "QA76.9 .D3", &marc, Some(Scheme::Dewey)),
        (Scheme::Dewey, SchemeSource::LibraryDefault)
    );
    // No default: guessed.
    assert_eq!(
        effective_scheme(None, "QA76.9 .D3", &marc, None),
        (Scheme::Lc, SchemeSource::Guessed)
    );
    // A MARC field whose tag does not say (852 with a blank indicator) does not decide.
    let blank = [("852", scheme_from_marc("852", ' '), "FIC SMI")];
    assert_eq!(
        effective_scheme(None, "FIC SMI", &blank, Some(Scheme::Other)),
        (Scheme::Other, SchemeSource::LibraryDefault)
    );
    assert_eq!(Scheme::parse(" Dewey "), Some(Scheme::Dewey));
    assert_eq!(Scheme::parse("local"), Some(Scheme::Other));
    assert_eq!(Scheme::parse("udc"), None);
    for s in [Scheme::Lc, Scheme::Dewey, Scheme::Other] {
        assert_eq!(Scheme::parse(s.as_str()), Some(s));
    }
}

#[test]
fn a_branch_default_comes_after_the_item_and_marc_and_before_the_library() {
    let marc = [("050", scheme_from_marc("050", ' '), "QA76.73 .R87")];
    let law = Some(Scheme::Other);
    let library = Some(Scheme::Dewey);
    // The item's own scheme, then the record's MARC field, still win.
    assert_eq!(
        effective_scheme_at_branch(Some(Scheme::Lc), "KF 1234", &marc, law, library),
        (Scheme::Lc, SchemeSource::Item)
    );
    assert_eq!(
        effective_scheme_at_branch(None, "QA76.73 .R87", &marc, law, library),
        (Scheme::Lc, SchemeSource::Marc("050"))
    );
    // Then the branch's default over the library's …
    assert_eq!(
        effective_scheme_at_branch(None, "KF 1234", &marc, law, library),
        (Scheme::Other, SchemeSource::BranchDefault)
    );
    // … the library's when the branch has none, then a guess.
    assert_eq!(
        effective_scheme_at_branch(None, "KF 1234", &marc, None, library),
        (Scheme::Dewey, SchemeSource::LibraryDefault)
    );
    assert_eq!(
        effective_scheme_at_branch(None, "KF 1234", &marc, None, None),
        (guess_scheme("KF 1234"), SchemeSource::Guessed)
    );
    // A branch default with no library default is still the branch's.
    assert_eq!(
        effective_scheme_at_branch(None, "KF 1234", &marc, law, None),
        (Scheme::Other, SchemeSource::BranchDefault)
    );
    assert_eq!(SchemeSource::BranchDefault.as_str(), "branch-default");
}
