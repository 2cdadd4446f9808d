#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

#[test]
fn lc_call_numbers_break_like_spine_labels() {
    assert_eq!(
        spine_lines(Scheme::Lc, "QA76.73.R87 K53 2019", 10, 8),
        ["QA", "76.73", ".R87", "K53", "2019"]
    );
    assert_eq!(
        spine_lines(Scheme::Lc, "PS3545.I345 Z46 1999 v.2", 10, 8),
        ["PS", "3545", ".I345", "Z46", "1999", "v.2"]
    );
}

#[test]
fn dewey_call_numbers_break_into_prefix_number_cutter() {
    assert_eq!(
        spine_lines(Scheme::Dewey, "J 599.75 SMI", 10, 8),
        ["J", "599.75", "SMI"]
    );
    assert_eq!(
        spine_lines(Scheme::Dewey, "REF 030 WOR 2020", 10, 8),
        ["REF", "030", "WOR", "2020"]
    );
}

#[test]
fn long_pieces_are_broken_and_extra_lines_joined() {
    assert_eq!(
        spine_lines(Scheme::Other, "OVERSIZEDCOLLECTION 12", 8, 8),
        ["OVERSIZE", "DCOLLECT", "ION", "12"]
    );
    assert_eq!(
        spine_lines(Scheme::Lc, "QA76.73.R87 K53 2019", 10, 3),
        ["QA", "76.73", ".R87 K53 2019"]
    );
    assert!(spine_lines(Scheme::Lc, "", 10, 3).is_empty());
}

#[test]
fn text_maps_to_glyphs_of_the_embedded_font() {
    let mut f = font::EmbeddedFont::regular().unwrap();
    // Two bytes per character; precomposed and decomposed Vietnamese give
    // the same glyphs (NFC first).
    let pre = f.encode("Nguyễn");
    assert_eq!(pre.len(), 12);
    assert_eq!(f.encode("Nguye\u{302}\u{303}n"), pre);
    // Distinct letters, distinct glyphs; .notdef (0) is never used for them.
    let cids: Vec<u16> = f
        .encode("ăâđêôơư")
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    assert!(cids.iter().all(|c| *c != 0));
    let mut uniq = cids.clone();
    uniq.sort_unstable();
    uniq.dedup();
    assert_eq!(uniq.len(), cids.len());
    // Other scripts print as "?", controls as spaces.
    assert_eq!(f.encode("日"), f.encode("?"));
    assert_eq!(f.encode("\n"), f.encode(" "));
    // Widths come from the font: "W" is wider than "i".
    assert!(f.width("W", 10.0) > 2.0 * f.width("i", 10.0));
}

/// The names of the issue, with every mark.
const NAMES: [&str; 3] = [
    "Nguyễn Thị Ánh",
    "Trần Đức Hưng",
    "Dela Cruz, Ma. Teresa Ñ.",
];

#[test]
fn vietnamese_and_filipino_names_come_back_exactly_from_the_pdf() {
    let cards: Vec<LibraryCard> = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| LibraryCard {
            library: "Thư viện Quận Một".into(),
            patron_name: (*n).into(),
            barcode: format!("2100100000001{i}"),
        })
        .collect();
    let pdf = library_cards_pdf(&SheetLayout::preset("cards-a4").unwrap(), &cards).unwrap();
    // The font is embedded as a CID font with a ToUnicode map.
    let raw = String::from_utf8_lossy(&pdf);
    for needle in [
        "/Type0",
        "/CIDFontType2",
        "/Identity-H",
        "/ToUnicode",
        "/FontFile2",
        "DejaVuSans",
    ] {
        assert!(raw.contains(needle), "{needle}");
    }
    // A subset: far smaller than the two embedded fonts (~130 KB).
    assert!(pdf.len() < 40_000, "{} bytes", pdf.len());
    let labels: Vec<(Scheme, String)> = NAMES
        .iter()
        .map(|n| (Scheme::Other, (*n).to_owned()))
        .collect();
    let spine = spine_labels_pdf(&SheetLayout::preset("avery-5160").unwrap(), &labels, 0).unwrap();
    if let (Some(cards), Some(spines)) = (pdftotext(&pdf), pdftotext(&spine)) {
        for n in NAMES {
            assert!(cards.contains(n), "{n:?} not in {cards}");
            // Spine labels break at spaces: each word comes back whole
            // (the labels stand side by side, so a text line crosses them).
            for w in n.split_whitespace() {
                assert!(
                    spines.split_whitespace().any(|t| t == w),
                    "{w:?} not in {spines}"
                );
            }
        }
        assert!(cards.contains("Thư viện Quận Một"), "{cards}");
    }
}

#[test]
fn layouts_validate_and_presets_fit_their_pages() {
    for (name, l) in SheetLayout::PRESETS {
        assert_eq!(l.validate(), Ok(()), "{name}");
    }
    let mut l = SheetLayout::preset("avery-5160").unwrap();
    l.columns = 4;
    assert_eq!(l.validate().unwrap_err(), err("columns", "does-not-fit"));
    l.columns = 0;
    assert_eq!(l.validate().unwrap_err().field, "columns");
    let mut l = SheetLayout::preset("avery-5160").unwrap();
    l.label_width = f32::NAN;
    assert_eq!(l.validate().unwrap_err().field, "label_width");
    assert!(SheetLayout::preset("nope").is_none());
}

#[test]
fn barcodes_are_validated() {
    assert!(code128_modules("31001000000019").unwrap().len() > 50);
    assert_eq!(code128_modules("").unwrap_err().field, "barcode");
    assert_eq!(code128_modules("é").unwrap_err().code, "invalid-barcode");
    assert!(codabar_modules("21001000000017").unwrap().len() > 50);
    assert!(codabar_modules("12AB").is_err());
}

/// Text of a PDF through poppler's `pdftotext -layout` (installed by
/// scripts/test); `None` when the tool is missing outside CI.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("quire-print-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("t{}.pdf", pdf.len()));
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) => {
            assert!(
                o.status.success(),
                "pdftotext failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            Some(String::from_utf8(o.stdout).unwrap())
        }
        Err(e) => {
            assert!(
                std::env::var("CI").is_err(),
                "pdftotext (poppler-utils) is required under CI: {e}"
            );
            eprintln!("skipping PDF text check: pdftotext not available ({e})");
            None
        }
    }
}

fn page_count(pdf: &[u8]) -> usize {
    let s = String::from_utf8_lossy(pdf);
    s.matches("/Type /Page").count() - s.matches("/Type /Pages").count()
}

#[test]
fn spine_label_pdf_prints_each_line_of_the_call_number() {
    let layout = SheetLayout::preset("avery-l7651").unwrap();
    let labels = vec![
        (Scheme::Lc, "QA76.73.R87 K53 2019".to_owned()),
        (Scheme::Dewey, "J 599.75 SMI".to_owned()),
    ];
    let pdf = spine_labels_pdf(&layout, &labels, 0).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(page_count(&pdf), 1);
    let raw = String::from_utf8_lossy(&pdf);
    // One text show per line: 5 for the LC number, 3 for the Dewey one.
    assert_eq!(raw.matches(" Tj").count(), 8);
    for (label, expect) in [
        (&labels[0], &["QA", "76.73", ".R87", "K53", "2019"][..]),
        (&labels[1], &["J", "599.75", "SMI"][..]),
    ] {
        let one = spine_labels_pdf(&layout, std::slice::from_ref(label), 0).unwrap();
        if let Some(text) = pdftotext(&one) {
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(lines, expect);
        }
    }
    // Starting at slot 64 of a 65-slot sheet: the second label goes on page 2.
    let pdf = spine_labels_pdf(&layout, &labels, 64).unwrap();
    assert_eq!(page_count(&pdf), 2);
    assert_eq!(
        spine_labels_pdf(&layout, &labels, 65).unwrap_err().field,
        "start_at"
    );
}

#[test]
fn item_labels_and_cards_contain_their_text() {
    let layout = SheetLayout::preset("avery-5160").unwrap();
    let items: Vec<ItemLabel> = (0..31)
        .map(|i| ItemLabel {
            barcode: format!("3100100000{i:04}"),
            title: "Lịch sử Việt Nam".into(),
            call_number: "DS556.5 .T7 1999".into(),
            library: "Quire Public Library".into(),
        })
        .collect();
    let pdf = item_labels_pdf(&layout, &items, 0).unwrap();
    assert_eq!(page_count(&pdf), 2, "31 labels on 30-label sheets");
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("31001000000000"), "{text}");
        assert!(text.contains("Lịch sử Việt Nam"), "{text}");
        assert!(text.contains("DS556.5 .T7 1999"));
    }
    let bad = ItemLabel {
        barcode: "bad barcode é".into(),
        ..items[0].clone()
    };
    assert_eq!(
        item_labels_pdf(&layout, &[bad], 0).unwrap_err().field,
        "barcode"
    );

    let card = LibraryCard {
        library: "Quire Public Library".into(),
        patron_name: "Trần Văn Minh".into(),
        barcode: "21001000000017".into(),
    };
    let one = library_cards_pdf(
        &SheetLayout::preset("card").unwrap(),
        std::slice::from_ref(&card),
    )
    .unwrap();
    assert_eq!(page_count(&one), 1);
    let sheet = library_cards_pdf(
        &SheetLayout::preset("cards-a4").unwrap(),
        &vec![card.clone(); 12],
    )
    .unwrap();
    assert_eq!(page_count(&sheet), 2);
    if let Some(text) = pdftotext(&one) {
        assert!(text.contains("Quire Public Library"), "{text}");
        assert!(text.contains("Trần Văn Minh"), "{text}");
        assert!(text.contains("21001000000017"), "{text}");
    }
    // Bars are drawn: many filled rectangles.
    assert!(String::from_utf8_lossy(&one).matches(" re").count() > 20);
}

proptest! {
    #[test]
    fn spine_lines_never_panic_and_respect_the_limits(
        s in "\\PC{0,60}", max_chars in 0usize..20, max_lines in 0usize..10, scheme in 0u8..3,
    ) {
        let scheme = [Scheme::Lc, Scheme::Dewey, Scheme::Other][scheme as usize];
        let lines = spine_lines(scheme, &s, max_chars, max_lines);
        prop_assert!(lines.len() <= max_lines.max(1));
        if lines.len() > 1 {
            for l in &lines[..lines.len() - 1] {
                prop_assert!(l.chars().count() <= max_chars.max(1));
            }
        }
    }

    #[test]
    fn any_text_prints_two_bytes_a_character(s in "\\PC{0,40}") {
        use unicode_normalization::UnicodeNormalization;
        let mut f = font::EmbeddedFont::regular().unwrap();
        let b = f.encode(&s);
        prop_assert_eq!(b.len(), 2 * s.nfc().count());
    }
}

/// Every entry of the cross-reference table points at its object, and the
/// trailer's `startxref` at the table (a viewer that trusts the table, not
/// a repairing one, can open the file).
fn assert_xref_valid(pdf: &[u8]) {
    // The tail is ASCII; offsets are bytes of the whole file.
    let find_last = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle);
    let sx = find_last(b"startxref\n").unwrap();
    let tail = std::str::from_utf8(&pdf[sx..]).unwrap();
    let at: usize = tail[10..].lines().next().unwrap().parse().unwrap();
    let table = std::str::from_utf8(&pdf[at..]).unwrap();
    assert!(
        table.starts_with("xref\n0 "),
        "startxref points at the table"
    );
    let mut lines = table.lines();
    lines.next();
    let size: usize = lines.next().unwrap()[2..].parse().unwrap();
    assert!(size > 5);
    for id in 0..size {
        let e = lines.next().unwrap();
        assert_eq!(e.len(), 18, "entry {id}: {e:?}"); // 20 bytes with \r\n
        let off: usize = e[..10].parse().unwrap();
        if e.ends_with('n') {
            let head = format!("{id} 0 obj");
            assert!(
                pdf[off..].starts_with(head.as_bytes()),
                "object {id} not at {off}"
            );
        }
    }
    assert!(table.ends_with("%%EOF"));
}

#[test]
fn a_sheet_is_written_a_page_at_a_time() {
    let layout = SheetLayout::preset("avery-l7651").unwrap(); // 65 per page
    let mut sheet = LabelSheet::spine_labels(&layout, 3).unwrap();
    let mut parts = vec![sheet.take_bytes()];
    assert!(parts[0].starts_with(b"%PDF-1.7"));
    // The first page fills after 62 labels (three slots skipped): its bytes
    // are ready before the document ends; nothing more until the next.
    for n in 0..62 {
        sheet.push_spine(Scheme::Lc, &format!("QA{} .B{n}", 100 + n));
    }
    let page = sheet.take_bytes();
    assert!(
        String::from_utf8_lossy(&page).contains("/Type /Page"),
        "a full page is written out at once"
    );
    parts.push(page);
    for n in 62..200 {
        sheet.push_spine(Scheme::Lc, &format!("QA{} .B{n}", 100 + n));
        // Mid-page: nothing new to send.
        if n == 100 {
            assert!(sheet.take_bytes().is_empty());
        }
    }
    assert_eq!(sheet.labels(), 200);
    parts.push(sheet.take_bytes());
    parts.push(sheet.finish().unwrap());
    let pdf: Vec<u8> = parts.concat();
    assert_xref_valid(&pdf);
    // 3 + 200 slots on sheets of 65: four pages, the same file as the
    // one-call function makes.
    let labels: Vec<(Scheme, String)> = (0..200)
        .map(|n| (Scheme::Lc, format!("QA{} .B{n}", 100 + n)))
        .collect();
    assert_eq!(pdf, spine_labels_pdf(&layout, &labels, 3).unwrap());
    assert_eq!(
        String::from_utf8_lossy(&pdf)
            .matches("/Type /Page\n")
            .count()
            + String::from_utf8_lossy(&pdf)
                .matches("/Type /Page\r")
                .count()
            + String::from_utf8_lossy(&pdf)
                .matches("/Type /Page ")
                .count(),
        4,
        "four pages"
    );
}

#[test]
fn every_document_has_a_valid_cross_reference_table() {
    let layout = SheetLayout::preset("avery-5160").unwrap();
    let items = [ItemLabel {
        barcode: "31001000000019".into(),
        title: "Nguyễn Thị Ánh".into(),
        call_number: "QA76.73 .R87".into(),
        library: "Main".into(),
    }];
    assert_xref_valid(&item_labels_pdf(&layout, &items, 0).unwrap());
    assert_xref_valid(&spine_labels_pdf(&layout, &[], 0).unwrap());
    let cards = [LibraryCard {
        library: "Main".into(),
        patron_name: "Trần Đức".into(),
        barcode: "21001000000017".into(),
    }];
    assert_xref_valid(&library_cards_pdf(&SheetLayout::preset("card").unwrap(), &cards).unwrap());
}
