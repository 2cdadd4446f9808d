//! `bib` and `holdings` helpers on real records. Expected values were read
//! off the raw fixture bytes (008, 041, 260/264, 007, 852, 952).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::fs::File;

use quire_marc::bib::{self, MaterialFormat};
use quire_marc::holdings::HoldingsMapping;
use quire_marc::{Record, open_reader};

fn first(name: &str) -> Option<Record> {
    let path = quire_testdata::fixture(&format!("marc/{name}"))?;
    open_reader(File::open(path).unwrap())
        .next()
        .map(|r| r.unwrap().record)
}

#[test]
fn years_from_008_and_fallbacks() {
    // 008/07-10 "19uu" (too vague) -> 260 $c "1980-".
    let Some(r) = first("traject__date_resort_to_260.marc") else {
        return;
    };
    assert_eq!(bib::year(&r), Some(1980));
    assert_eq!(bib::format(&r), MaterialFormat::Serial); // leader "cas"
    // "184u" -> decade 1840 (no 260 $c at all).
    let Some(r) = first("traject__date_with_u.marc") else {
        return;
    };
    assert_eq!(bib::year(&r), Some(1840));
    // "20uu" -> 264 _1 $c "2015."
    let Some(r) = first("traject__date_resort_to_264.marc") else {
        return;
    };
    assert_eq!(bib::year(&r), Some(2015));
    // Map, 008 "q1678".
    let Some(r) = first("traject__missing-second-date.marc") else {
        return;
    };
    assert_eq!(bib::year(&r), Some(1678));
    assert_eq!(bib::format(&r), MaterialFormat::Map);
    assert_eq!(bib::languages(&r), vec!["fre"]);
}

#[test]
fn packed_041_languages() {
    // 008/35-37 "eng", 041 $a "engfregeritasparus".
    let Some(r) = first("traject__packed_041a_lang.marc") else {
        return;
    };
    assert_eq!(
        bib::languages(&r),
        vec!["eng", "fre", "ger", "ita", "spa", "rus"]
    );
}

#[test]
fn formats_from_leader_and_007() {
    // "nam" + 007 "cr -n---" + 008/23 's' -> e-book; 856 $u with $z text.
    let Some(r) = first("traject__online_only.marc") else {
        return;
    };
    assert_eq!(bib::format(&r), MaterialFormat::EBook);
    let links = bib::links(&r);
    assert_eq!(
        links[0].url,
        "http://JHU.eblib.com/patron/FullRecord.aspx?p=894955"
    );
    assert_eq!(links[0].text.as_deref(), Some("Click here to view book"));
    // leader/06 't' -> manuscript.
    let Some(r) = first("traject__manuscript_online_thesis.marc") else {
        return;
    };
    assert_eq!(bib::format(&r), MaterialFormat::Manuscript);
    // leader/06 'j'.
    let Some(r) = first("traject__louis_armstrong.marc") else {
        return;
    };
    assert_eq!(bib::format(&r), MaterialFormat::MusicRecording);
}

#[test]
fn title_and_items_from_koha_style_records() {
    // 245 00 $aGreen Eggs and Ham; 852 $aCT $d2/21/02 $fGEN $hE SEU $l220
    // $p2200001741 $97.99; 020 $a0394800168 $c$7.99.
    let Some(r) = first("marcperl__baddir.usmarc") else {
        return;
    };
    let s = bib::summarize(&r);
    assert_eq!(s.title.as_deref(), Some("Green Eggs and Ham"));
    assert_eq!(s.sort_title.as_deref(), Some("green eggs and ham"));
    assert_eq!(s.isbns[0].value, "0394800168");
    assert_eq!(s.authors[0].name, "Seuss, Dr.");
    let items = HoldingsMapping::marc_852().extract(&r);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].barcode.as_deref(), Some("2200001741"));
    assert_eq!(items[0].branch.as_deref(), Some("CT"));
    assert_eq!(items[0].call_number.as_deref(), Some("E SEU"));
    // 952 $a20571 $cR $dALL in sample1.
    let Some(r) = first("marcperl__sample1.usmarc") else {
        return;
    };
    let items = HoldingsMapping::koha_952().extract(&r);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].branch.as_deref(), Some("20571"));
    assert_eq!(items[0].location.as_deref(), Some("R"));
    // 245 ind2 "0" ("All about whales.")
    assert_eq!(bib::title(&r).as_deref(), Some("All about whales"));
}

#[test]
fn summaries_of_every_fixture_do_not_panic() {
    let Some(dir) = quire_testdata::fixture("marc") else {
        return;
    };
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "tsv") {
            continue;
        }
        for r in open_reader(File::open(&p).unwrap()).flatten() {
            let s = bib::summarize(&r.record);
            if s.title.is_some() {
                n += 1;
            }
            let _ = quire_marc::holdings::all_items(&r.record);
        }
    }
    assert!(n > 500, "{n} records with a title");
}
