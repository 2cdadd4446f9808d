use super::*;
use proptest::prelude::*;

fn cell(row: &[Vec<u8>], i: usize) -> String {
    String::from_utf8_lossy(row.get(i).map(Vec::as_slice).unwrap_or(b"")).into_owned()
}

#[test]
fn isbn_worked_examples_from_protocols() {
    let a = Isbn::parse("0-306-40615-2").unwrap();
    assert_eq!(a.as_str(), "0306406152");
    assert_eq!(a.to_isbn13(), "9780306406157");
    let b = Isbn::parse("978-0-8044-2957-3").unwrap();
    assert_eq!(b.to_isbn10().as_deref(), Some("080442957X"));
    assert_eq!(
        Isbn::parse("0-8044-2957-x").unwrap().to_isbn13(),
        "9780804429573"
    );
}

#[test]
fn isbn_qualifiers_labels_and_errors() {
    assert_eq!(
        Isbn::parse("0306406152 (pbk.)").unwrap().as_str(),
        "0306406152"
    );
    assert_eq!(
        Isbn::parse("0306406152(pbk.)").unwrap().as_str(),
        "0306406152"
    );
    assert_eq!(
        Isbn::parse("ISBN-13: 978-0-306-40615-7").unwrap().as_str(),
        "9780306406157"
    );
    assert_eq!(
        Isbn::parse("isbn 0306406152 v. 2").unwrap().as_str(),
        "0306406152"
    );
    assert_eq!(Isbn::parse("   "), Err(IsbnError::Empty));
    assert_eq!(
        Isbn::parse("978-902453827"),
        Err(IsbnError::WrongLength { length: 12 })
    );
    assert_eq!(
        Isbn::parse("978-9024538²70"),
        Err(IsbnError::InvalidCharacter {
            position: 11,
            found: '²'
        })
    );
    assert_eq!(
        Isbn::parse("08515x-629-2"),
        Err(IsbnError::MisplacedX { position: 5 })
    );
    assert_eq!(
        Isbn::parse("0306406153"),
        Err(IsbnError::BadCheckDigit {
            expected: '2',
            found: '3'
        })
    );
    assert_eq!(
        Isbn::parse("9780306406154"),
        Err(IsbnError::BadCheckDigit {
            expected: '7',
            found: '4'
        })
    );
    assert!(matches!(
        Isbn::parse("1000000000012"),
        Err(IsbnError::InvalidPrefix { .. })
    ));
}

#[test]
fn isbn_hyphenation() {
    let h = |s: &str| Isbn::parse(s).unwrap().hyphenated();
    assert_eq!(h("0306406152").as_deref(), Some("0-306-40615-2"));
    assert_eq!(h("9780306406157").as_deref(), Some("978-0-306-40615-7"));
    assert_eq!(h("080442957x").as_deref(), Some("0-8044-2957-X"));
    // 979-0 is the ISMN (music) block: no ISBN registration group
    let body = b"979000000000";
    let c = char::from(ean13_check(body));
    assert_eq!(h(&format!("979000000000{c}")), None);
}

#[test]
fn isbn_979_has_no_isbn10() {
    // 979-10-90636-07-1 (a French 979-10 ISBN); check digit computed by ean13_check.
    let body = b"979109063607";
    let c = char::from(ean13_check(body));
    let s = format!("979109063607{c}");
    let i = Isbn::parse(&s).unwrap();
    assert_eq!(i.to_isbn10(), None);
    assert_eq!(i.search_forms(), vec![s]);
}

#[test]
fn isbn_search_forms_hold_both_lengths() {
    let i = Isbn::parse("0-306-40615-2").unwrap();
    assert_eq!(i.search_forms(), vec!["9780306406157", "0306406152"]);
    let j = Isbn::parse("9780306406157").unwrap();
    assert_eq!(i.search_forms(), j.search_forms());
}

fn check_identifier_rows(file: &str) {
    let Some((header, rows)) = quire_testdata::read_tsv(file) else {
        return;
    };
    assert_eq!(&header[..4], ["input", "kind", "valid", "normalized"]);
    let mut checked = 0;
    for row in &rows {
        let input = cell(row, 0);
        let kind = cell(row, 1);
        let valid = cell(row, 2) == "1";
        let normalized = cell(row, 3);
        let hyphenated = cell(row, 4);
        match kind.as_str() {
            "isbn" | "isbn10" | "isbn13" => {
                let r = Isbn::parse(&input);
                assert_eq!(r.is_ok(), valid, "{file}: ISBN {input:?} -> {r:?}");
                if let Ok(i) = r {
                    assert_eq!(i.as_str(), normalized, "{file}: {input:?}");
                    assert_eq!(i.is_isbn10(), kind == "isbn10", "{file}: {input:?}");
                    assert_eq!(
                        i.hyphenated().as_deref(),
                        Some(hyphenated.as_str()),
                        "{file}: {input:?}"
                    );
                    // 10 <-> 13 consistency
                    let thirteen = Isbn::parse(&i.to_isbn13()).unwrap();
                    if let Some(ten) = thirteen.to_isbn10() {
                        assert!(Isbn::is_valid(&ten));
                    }
                }
            }
            "issn" => {
                let r = Issn::parse(&input);
                assert_eq!(r.is_ok(), valid, "{file}: ISSN {input:?} -> {r:?}");
                if let Ok(i) = r {
                    assert_eq!(i.as_str(), normalized, "{file}: {input:?}");
                    assert_eq!(i.hyphenated(), hyphenated, "{file}: {input:?}");
                }
            }
            other => panic!("{file}: unknown kind {other:?}"),
        }
        checked += 1;
    }
    assert_eq!(checked, rows.len());
    assert!(checked > 100);
}

#[test]
fn isbn_issn_tsv_every_row() {
    check_identifier_rows("identifiers/isbn_issn.tsv");
}

#[test]
fn isbn_issn_loc_real_tsv_every_row() {
    check_identifier_rows("identifiers/isbn_issn_loc_real.tsv");
}

#[test]
fn issn_examples_and_errors() {
    for ok in [
        "0378-5955",
        "0317-8471",
        "2049-3630",
        "1145-363x",
        "ISSN 0378-5955",
        "ISSN-L: 0378-5955",
        "0378-5955 (Print)",
    ] {
        assert!(Issn::is_valid(ok), "{ok}");
    }
    assert_eq!(Issn::parse("0378-5955").unwrap().to_string(), "0378-5955");
    assert_eq!(
        Issn::parse("1456-0976;"),
        Err(IssnError::InvalidCharacter {
            position: 9,
            found: ';'
        })
    );
    assert_eq!(
        Issn::parse("0032147X"),
        Err(IssnError::BadCheckDigit {
            expected: '8',
            found: 'X'
        })
    );
    assert_eq!(
        Issn::parse("003214712"),
        Err(IssnError::WrongLength { length: 9 })
    );
    assert_eq!(Issn::parse("ISSN"), Err(IssnError::Empty));
    assert_eq!(
        Issn::parse("00X21471"),
        Err(IssnError::MisplacedX { position: 2 })
    );
}

#[test]
fn lccn_tsv_every_row() {
    let Some((header, rows)) = quire_testdata::read_tsv("identifiers/lccn.tsv") else {
        return;
    };
    assert_eq!(&header[..4], ["input", "normalized", "valid", "canonical"]);
    let mut checked = 0;
    for row in &rows {
        let input = cell(row, 0);
        let normalized = cell(row, 1);
        let valid = cell(row, 2);
        let canonical = cell(row, 3);
        if !normalized.is_empty() {
            assert_eq!(
                normalize_lccn(&input).as_deref(),
                Ok(normalized.as_str()),
                "{input:?}"
            );
            // every expected normalised form is itself a valid LCCN
            let l = Lccn::parse(&input).unwrap();
            assert_eq!(l.as_str(), normalized);
            checked += 1;
        }
        if !valid.is_empty() {
            assert_eq!(Lccn::is_valid(&input), valid == "1", "{input:?}");
            checked += 1;
        }
        if !canonical.is_empty() {
            assert_eq!(
                Lccn::parse(&input).unwrap().canonical(),
                canonical,
                "{input:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= rows.len());
}

#[test]
fn lccn_protocol_examples() {
    assert_eq!(normalize_lccn("n78-89035").unwrap(), "n78089035");
    assert_eq!(normalize_lccn(" 85-2 ").unwrap(), "85000002");
    assert_eq!(normalize_lccn("2001-12//r").unwrap(), "2001000012");
    assert_eq!(normalize_lccn("sn 83-1234").unwrap(), "sn83001234");
    let l = Lccn::parse("sn 83-1234").unwrap();
    assert_eq!(l.permalink(), "https://lccn.loc.gov/sn83001234");
    assert_eq!(l.info_uri(), "info:lccn/sn83001234");
    assert_eq!(
        Lccn::parse("n78-1234567"),
        Err(LccnError::BadSerialAfterHyphen)
    );
    assert_eq!(
        Lccn::parse("n078-890351"),
        Err(LccnError::BadPrefix {
            prefix: "n0".into()
        })
    );
    assert_eq!(
        Lccn::parse("n78"),
        Err(LccnError::WrongLength { length: 3 })
    );
    assert_eq!(Lccn::parse(" / "), Err(LccnError::Empty));
}

#[test]
fn codabar_worked_example() {
    assert_eq!(mod10_check_digit("3123400056789"), Some('9'));
    let items = BarcodeScheme::codabar14(3, 1234).unwrap();
    assert_eq!(items.generate(56789).unwrap(), "31234000567899");
    assert_eq!(items.validate("31234000567899"), Ok(()));
    assert_eq!(items.validate(" A31234000567899B "), Ok(()));
    assert_eq!(
        items.validate("31234000567898"),
        Err(BarcodeError::BadCheckDigit {
            expected: '9',
            found: '8'
        })
    );
    assert_eq!(
        items.validate("21234000567899"),
        Err(BarcodeError::WrongPrefix {
            expected: "31234".into()
        })
    );
    assert_eq!(
        items.validate("3123400056789"),
        Err(BarcodeError::WrongLength {
            expected: 14,
            found: 13
        })
    );
    assert_eq!(
        items.validate("3123400O567899"),
        Err(BarcodeError::InvalidCharacter {
            position: 7,
            found: 'O'
        })
    );
    assert_eq!(
        items.generate(100_000_000),
        Err(BarcodeError::SequenceTooLarge { max: 99_999_999 })
    );
}

#[test]
fn barcode_without_check_digit() {
    let s = BarcodeScheme {
        length: 8,
        prefix: "77".into(),
        check: CheckDigit::None,
    };
    assert_eq!(s.generate(42).unwrap(), "77000042");
    assert_eq!(s.validate("77000042"), Ok(()));
    assert!(s.validate("7700004").is_err());
}

/// Strings that look like ISBNs with arbitrary separators.
fn isbn_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('-'),
            Just(' '),
            Just('x'),
            Just('X'),
            (0u8..10).prop_map(|d| char::from(b'0' + d))
        ],
        0..20,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn valid_isbn10() -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, 9).prop_map(|ds| {
        let body: Vec<u8> = ds.iter().map(|d| b'0' + d).collect();
        let c = isbn10_check(&body);
        let mut s = String::from_utf8(body).unwrap();
        s.push(char::from(c));
        s
    })
}

proptest! {
    #[test]
    fn identifier_parsers_never_panic(s in any::<String>()) {
        let _ = Isbn::parse(&s);
        let _ = Issn::parse(&s);
        let _ = Lccn::parse(&s);
        let _ = normalize_lccn(&s);
        let _ = BarcodeScheme::default().validate(&s);
        let _ = mod10_check_digit(&s);
    }

    #[test]
    fn isbn_parse_never_panics_on_isbn_like(s in isbn_like()) {
        if let Ok(i) = Isbn::parse(&s) {
            let reparsed = Isbn::parse(i.as_str()).unwrap();
            prop_assert_eq!(reparsed, i);
        }
    }

    #[test]
    fn isbn_normalise_is_idempotent(s in valid_isbn10(), seps in prop::collection::vec(prop_oneof![Just(""), Just("-"), Just(" ")], 10)) {
        let mut dressed = String::new();
        for (c, sep) in s.chars().zip(&seps) {
            dressed.push(c.to_ascii_lowercase());
            dressed.push_str(sep);
        }
        let once = Isbn::parse(dressed.trim_end_matches(['-', ' '])).unwrap();
        let twice = Isbn::parse(once.as_str()).unwrap();
        prop_assert_eq!(once.as_str(), s.as_str());
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn isbn_hyphenated_form_reparses(s in valid_isbn10()) {
        let i = Isbn::parse(&s).unwrap();
        if let Some(h) = i.hyphenated() {
            prop_assert_eq!(h.matches('-').count(), 3);
            prop_assert_eq!(Isbn::parse(&h).unwrap(), i.clone());
            let t = Isbn::parse(&i.to_isbn13()).unwrap();
            prop_assert_eq!(t.hyphenated().unwrap(), format!("978-{h}")[..16].to_owned() + &t.as_str()[12..]);
        }
    }

    #[test]
    fn isbn_10_13_10_round_trips(s in valid_isbn10()) {
        let ten = Isbn::parse(&s).unwrap();
        let thirteen = Isbn::parse(&ten.to_isbn13()).unwrap();
        prop_assert!(thirteen.as_str().starts_with("978"));
        prop_assert_eq!(thirteen.to_isbn10(), Some(s.clone()));
        prop_assert_eq!(ten.search_forms(), thirteen.search_forms());
    }

    #[test]
    fn isbn_single_digit_change_is_detected(s in valid_isbn10(), pos in 0usize..13, delta in 1u8..10, use13 in any::<bool>()) {
        let base = if use13 { Isbn::parse(&s).unwrap().to_isbn13() } else { s.clone() };
        let pos = pos % base.len();
        let mut bytes = base.into_bytes();
        if bytes[pos] == b'X' {
            bytes[pos] = b'0' + delta;
        } else {
            let d = bytes[pos] - b'0';
            bytes[pos] = b'0' + (d + delta) % 10;
        }
        let changed = String::from_utf8(bytes).unwrap();
        // Changing one of the 978 prefix digits may give InvalidPrefix; any error is fine.
        prop_assert!(Isbn::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn issn_single_digit_change_is_detected(ds in prop::collection::vec(0u8..10, 7), pos in 0usize..7, delta in 1u8..10) {
        let mut b: Vec<u8> = ds.iter().map(|d| b'0' + d).collect();
        let c = issn_check(&b);
        b.push(c);
        let good = String::from_utf8(b.clone()).unwrap();
        let issn = Issn::parse(&good).unwrap();
        prop_assert_eq!(Issn::parse(&issn.hyphenated()).unwrap(), issn);
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        prop_assert!(Issn::parse(std::str::from_utf8(&b).unwrap()).is_err());
    }

    #[test]
    fn lccn_normalise_is_idempotent(s in "[a-z]{0,3} ?[0-9]{2,4}-?[0-9]{1,6}( ?//r[0-9]{2})?") {
        if let Ok(n) = normalize_lccn(&s) {
            prop_assert_eq!(normalize_lccn(&n).unwrap(), n.clone());
            if let Ok(l) = Lccn::parse(&s) {
                prop_assert_eq!(Lccn::parse(l.as_str()).unwrap().as_str().to_owned(), l.as_str());
                prop_assert_eq!(Lccn::parse(&l.canonical()).unwrap().as_str().to_owned(), l.as_str());
            }
        }
    }

    #[test]
    fn barcode_generate_validates_and_detects_single_errors(inst in 0u16..10000, seq in 0u64..100_000_000, pos in 0usize..14, delta in 1u8..10) {
        let scheme = BarcodeScheme::codabar14(2, inst).unwrap();
        let code = scheme.generate(seq).unwrap();
        prop_assert_eq!(code.len(), 14);
        prop_assert_eq!(scheme.validate(&code), Ok(()));
        let mut b = code.into_bytes();
        b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
        let bad = String::from_utf8(b).unwrap();
        // Luhn catches every single-digit substitution.
        prop_assert!(scheme.validate(&bad).is_err());
    }
}
