#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Catalog use cases on every backend: import (matching, quarantine,
//! resume), items, search through the derived index, record pages.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use quire_domain::org::{BranchForm, LocationInput};
use quire_library::catalog::{Holdings, ImportOptions, ItemForm, Matching, OnMatch};
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_search::{Query, SearchIndex, SearchRequest};
use quire_store::testing::{TestDb, backends};

async fn library(db: &TestDb) -> Library {
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    ));
    let lib = Library::new(db.open().await, clock, Settings::default())
        .await
        .unwrap();
    lib.set_index(Arc::new(SearchIndex::in_memory().unwrap()));
    let sys = Ctx::system("test");
    let main = lib
        .create_branch(
            &sys,
            &BranchForm {
                code: "MAIN".into(),
                name: "Main".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    lib.create_location(
        &sys,
        main.id,
        &LocationInput::parse("STACKS", "Stacks", true, true, true).unwrap(),
    )
    .await
    .unwrap();
    lib
}

fn fixture(name: &str) -> Option<Vec<u8>> {
    quire_testdata::fixture(&format!("marc/{name}")).map(|p| std::fs::read(p).unwrap())
}

async fn import(
    lib: &Library,
    name: &str,
    bytes: Vec<u8>,
    opts: &ImportOptions,
) -> quire_library::catalog::ImportReport {
    lib.import_marc(
        &Ctx::system("test"),
        name,
        name,
        std::io::Cursor::new(bytes),
        opts,
        &mut |_| {},
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn import_matches_quarantines_and_searches_with_or_without_diacritics() {
    let (Some(viet), Some(bad)) = (
        fixture("loc__books2016_vietnamese.mrc"),
        fixture("pymarc__bad_records.mrc"),
    ) else {
        return;
    };
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let opts = ImportOptions::default();
        let r = import(&lib, "viet", viet.clone(), &opts).await;
        assert_eq!(
            (
                r.counts.records_done,
                r.counts.created,
                r.counts.quarantined
            ),
            (30, 30, 0)
        );
        // The same file again: matched by 001, replaced, nothing duplicated.
        let again = import(&lib, "viet-again", viet.clone(), &opts).await;
        assert_eq!((again.counts.created, again.counts.replaced), (0, 30));
        assert_eq!(lib.catalog_counts().await.unwrap().0, 30);
        // Skip on match.
        let skip = import(
            &lib,
            "viet-skip",
            viet.clone(),
            &ImportOptions {
                on_match: OnMatch::Skip,
                ..opts.clone()
            },
        )
        .await;
        assert_eq!(skip.counts.skipped, 30);
        // Always new.
        let new = import(
            &lib,
            "viet-new",
            viet.clone(),
            &ImportOptions {
                matching: Matching::None,
                ..opts.clone()
            },
        )
        .await;
        assert_eq!(new.counts.created, 30);
        assert_eq!(lib.catalog_counts().await.unwrap().0, 60);

        // Damaged records go to quarantine with the raw bytes and a reason.
        let r = import(&lib, "bad", bad.clone(), &opts).await;
        assert!(r.counts.quarantined >= 1, "{:?}", r.counts);
        let q = lib
            .quarantine(&Ctx::system("test"), Some(r.job_id))
            .await
            .unwrap();
        assert_eq!(q.len() as i64, r.counts.quarantined);
        assert!(q.iter().all(|e| !e.raw.is_empty() && !e.reason.is_empty()));
        assert_eq!(
            r.counts.created + r.counts.replaced + r.counts.quarantined + r.counts.skipped,
            r.counts.records_done
        );

        // The index catches up from the outbox; folding makes accents optional.
        lib.index_catch_up().await.unwrap();
        let search = |q: &str| {
            let lib = lib.clone();
            let q = q.to_owned();
            async move {
                lib.search_catalog(SearchRequest::new(Query::parse_simple(&q)), false)
                    .await
                    .unwrap()
            }
        };
        let plain = search("lich su").await;
        assert!(plain.total > 0);
        for variant in ["lịch sử", "LỊCH SỬ", "Lịch Sử"] {
            assert_eq!(search(variant).await.total, plain.total, "{variant}");
        }
        // Every hit really has both words somewhere in its description.
        for c in &plain.cards {
            let v = lib.record_view(c.id, false).await.unwrap();
            let text = quire_search::analysis::fold(
                &[
                    vec![v.title, v.responsibility.unwrap_or_default()],
                    v.subjects,
                    v.notes,
                    v.series,
                    v.contents,
                ]
                .concat()
                .join(" "),
            );
            assert!(text.contains("lich") && text.contains("su"), "{text}");
        }
        // Nothing is indexed twice: a second catch-up is a no-op.
        assert_eq!(lib.index_catch_up().await.unwrap(), 0);
        lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn interrupted_import_resumes_without_duplicates() {
    let Some(viet) = fixture("loc__books2016_vietnamese.mrc") else {
        return;
    };
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let opts = ImportOptions {
            batch_size: 7,
            matching: Matching::None,
            ..Default::default()
        };
        // Simulate a crash: the reader fails after 16 records (two batches of 7 committed).
        struct Failing {
            inner: std::io::Cursor<Vec<u8>>,
            left: usize,
        }
        impl std::io::Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.left == 0 {
                    return Err(std::io::Error::other("disk unplugged"));
                }
                let max = buf.len().min(self.left);
                let n = self.inner.read(&mut buf[..max])?;
                self.left -= n;
                Ok(n)
            }
        }
        // Byte length of the first 16 records.
        let mut cut = 0;
        for _ in 0..16 {
            let len: usize = std::str::from_utf8(&viet[cut..cut + 5])
                .unwrap()
                .parse()
                .unwrap();
            cut += len;
        }
        let failing = Failing {
            inner: std::io::Cursor::new(viet.clone()),
            left: cut + 10,
        };
        let err = lib
            .import_marc(
                &Ctx::system("test"),
                "viet",
                "same-file",
                failing,
                &opts,
                &mut |_| {},
            )
            .await
            .unwrap_err();
        assert!(err.detail.contains("disk unplugged"), "{err}");
        let committed = lib.catalog_counts().await.unwrap().0;
        assert_eq!(
            committed, 14,
            "two full batches were committed before the failure"
        );
        // The same command again resumes after the committed records.
        let r = lib
            .import_marc(
                &Ctx::system("test"),
                "viet",
                "same-file",
                std::io::Cursor::new(viet.clone()),
                &opts,
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(r.resumed_from, 14);
        assert_eq!(r.counts.records_done, 30);
        assert_eq!(
            lib.catalog_counts().await.unwrap().0,
            30,
            "no duplicates even with matching off"
        );
        lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn items_validate_and_show_on_the_record_page() {
    let Some(viet) = fixture("loc__books2016_vietnamese.mrc") else {
        return;
    };
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        import(
            &lib,
            "viet",
            viet.clone(),
            &ImportOptions {
                holdings: Holdings::None,
                ..Default::default()
            },
        )
        .await;
        lib.index_catch_up().await.unwrap();
        let first = lib
            .search_catalog(SearchRequest::new(Query::All), false)
            .await
            .unwrap()
            .cards[0]
            .id;
        let form = ItemForm {
            barcode: "31001000000019".into(),
            branch: "main".into(),
            location: "stacks".into(),
            item_type: "book".into(),
            call_number: "PL4378.9 .V825 1999".into(),
            ..Default::default()
        };
        let item = lib.add_item(&sys, first, &form).await.unwrap();
        assert_eq!(
            (
                item.item_type.as_str(),
                item.call_number_scheme.as_str(),
                item.status.as_str()
            ),
            ("BOOK", "lc", "available")
        );
        assert!(item.call_number_sort.is_some());
        assert_eq!(
            lib.add_item(&sys, first, &form).await.unwrap_err().code,
            ErrorCode::Duplicate
        );
        let e = lib
            .add_item(
                &sys,
                first,
                &ItemForm {
                    barcode: "x y".into(),
                    branch: "NOPE".into(),
                    item_type: "".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        let fields: Vec<_> = e.fields.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["barcode", "item_type"]);
        let e = lib
            .add_item(
                &sys,
                first,
                &ItemForm {
                    branch: "NOPE".into(),
                    ..form.clone()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "branch");
        // Availability reaches the index through the outbox.
        lib.index_catch_up().await.unwrap();
        let v = lib.record_view(first, false).await.unwrap();
        assert_eq!(v.items.len(), 1);
        assert_eq!(v.available, 1);
        assert!(v.marc_text.is_none(), "patrons do not get the MARC view");
        assert!(
            lib.record_view(first, true)
                .await
                .unwrap()
                .marc_text
                .unwrap()
                .contains("245")
        );
        let mut req = SearchRequest::new(Query::All);
        req.filters.push(quire_search::Filter::AvailableOnly);
        let avail = lib.search_catalog(req, false).await.unwrap();
        assert_eq!(avail.total, 1);
        assert_eq!(avail.cards[0].available_at, vec![("MAIN".to_owned(), 1)]);
        // Volunteers cannot add items.
        let vol = quire_domain::staff::NewStaffForm {
            username: "vic".into(),
            display_name: "Vic".into(),
            roles: vec!["volunteer".into()],
            password: "long enough pass".into(),
            ..Default::default()
        };
        lib.create_staff(&sys, &vol).await.unwrap();
        let vctx = Ctx::staff(lib.staff_identity("vic").await.unwrap(), None);
        assert_eq!(
            lib.add_item(
                &vctx,
                first,
                &ItemForm {
                    barcode: "2".into(),
                    ..form
                }
            )
            .await
            .unwrap_err()
            .code,
            ErrorCode::Forbidden
        );
        lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn patrons_get_numbered_cards_and_validated_fields() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        let form = quire_domain::patron::PatronForm {
            first_name: "Thị Lan".into(),
            last_name: "Nguyễn".into(),
            home_branch: "main".into(),
            pin: "2468".into(),
            preferred_locale: "vi".into(),
            ..Default::default()
        };
        let p1 = lib.register_patron(&sys, &form).await.unwrap();
        let p2 = lib.register_patron(&sys, &form).await.unwrap();
        assert_eq!(p1.barcode.len(), 14);
        assert_ne!(p1.barcode, p2.barcode);
        let scheme = quire_domain::ident::BarcodeScheme::codabar14(2, 1000).unwrap();
        assert!(scheme.validate(&p1.barcode).is_ok());
        // Adults: three years to the day.
        assert_eq!(p1.expires_on, "2029-11-30");
        assert_eq!(lib.find_patrons(&sys, "nguyễn").await.unwrap().len(), 2);
        assert_eq!(
            lib.patron_by_barcode(&sys, &p2.barcode).await.unwrap().id,
            p2.id
        );
        let dup = quire_domain::patron::PatronForm {
            barcode: p1.barcode.clone(),
            ..form.clone()
        };
        assert_eq!(
            lib.register_patron(&sys, &dup).await.unwrap_err().code,
            ErrorCode::Duplicate
        );
        let bad = quire_domain::patron::PatronForm {
            home_branch: "XX".into(),
            ..form
        };
        assert_eq!(
            lib.register_patron(&sys, &bad).await.unwrap_err().fields[0].field,
            "home_branch"
        );
        lib.close().await;
        db.cleanup().await;
    }
}

/// One ISO 2709 record built by hand: `fields` are (tag, raw data without the
/// field terminator).
fn raw_record(fields: &[(&str, &[u8])]) -> Vec<u8> {
    let mut dir = Vec::new();
    let mut data = Vec::new();
    for (tag, value) in fields {
        let start = data.len();
        data.extend_from_slice(value);
        data.push(0x1E);
        dir.extend_from_slice(format!("{tag}{:04}{start:05}", value.len() + 1).as_bytes());
    }
    dir.push(0x1E);
    data.push(0x1D);
    let base = 24 + dir.len();
    let len = base + data.len();
    let mut out = format!("{len:05}nam a22{base:05}   4500").into_bytes();
    out.extend_from_slice(&dir);
    out.extend_from_slice(&data);
    out
}

#[tokio::test]
async fn a_record_that_cannot_be_stored_is_quarantined_and_the_import_goes_on() {
    // Seen in the LoC books file: a reader-recovered 001 holding a subfield
    // delimiter, which ISO 2709 cannot store. It stopped the whole import.
    let good = raw_record(&[("001", b"good1"), ("245", b"10\x1faA good title")]);
    let bad = raw_record(&[("001", b"bad\x1fone"), ("245", b"10\x1faA bad one")]);
    let after = raw_record(&[("001", b"good2"), ("245", b"10\x1faAnother title")]);
    let file = [good, bad, after].concat();
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let r = import(&lib, "delim", file.clone(), &ImportOptions::default()).await;
        assert_eq!(
            (
                r.counts.records_done,
                r.counts.created,
                r.counts.quarantined
            ),
            (3, 2, 1),
            "{b:?}"
        );
        let q = lib
            .quarantine(&Ctx::system("test"), Some(r.job_id))
            .await
            .unwrap();
        assert_eq!(q.len(), 1);
        assert!(q[0].reason.contains("cannot be stored"), "{}", q[0].reason);
    }
}

#[tokio::test]
async fn a_record_without_001_is_written_once_with_its_id_as_001() {
    // Two records without a 001 and one with: each becomes exactly one
    // INSERT (no follow-up UPDATE to store the Quire id as 001).
    let a = raw_record(&[("245", b"10\x1faNo control number")]);
    let b = raw_record(&[("001", b"keep-me"), ("245", b"10\x1faHas one")]);
    let c = raw_record(&[("245", b"10\x1faAnother without")]);
    let file = [a, b, c].concat();
    for be in backends() {
        let db = TestDb::new(be).await;
        let lib = library(&db).await;
        db.count_record_writes().await;
        let r = import(&lib, "no001", file.clone(), &ImportOptions::default()).await;
        assert_eq!(r.counts.created, 3, "{be:?}");
        assert_eq!(
            db.record_writes().await,
            (3, 0),
            "{be:?}: (inserts, updates)"
        );
        let ids = [
            lib.record_id_by_control_number("keep-me").await.unwrap(),
            lib.record_id_by_control_number("1").await.unwrap(),
            lib.record_id_by_control_number("3").await.unwrap(),
        ];
        assert_eq!(ids, [Some(2), Some(1), Some(3)], "{be:?}");
        for id in [1, 3] {
            let (row, _) = lib.record(id).await.unwrap();
            let (rec, _) = quire_marc::iso2709::parse_record(&row.marc).unwrap();
            assert_eq!(
                rec.control_number(),
                Some(id.to_string().as_str()),
                "{be:?}"
            );
        }
        lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn imported_text_is_stored_composed_with_vietnamese_marks_in_order() {
    // Decomposed, with the tone mark before the circumflex (seen in LoC
    // Vietnamese records): stored as "Tiếng Việt", found either way.
    let title =
        "Tie\u{301}\u{302}ng Vie\u{323}\u{302}t co\u{302}\u{300}n da\u{301}\u{306}ng".as_bytes();
    let mut f245 = b"10\x1fa".to_vec();
    f245.extend_from_slice(title);
    let file = raw_record(&[("001", b"vi-1"), ("245", &f245)]);
    for be in backends() {
        let db = TestDb::new(be).await;
        let lib = library(&db).await;
        let r = import(&lib, "vi", file.clone(), &ImportOptions::default()).await;
        assert_eq!(r.counts.created, 1, "{be:?}");
        let id = lib
            .record_id_by_control_number("vi-1")
            .await
            .unwrap()
            .unwrap();
        let (row, _) = lib.record(id).await.unwrap();
        assert_eq!(row.title, "Tiếng Việt cồn dắng", "{be:?}");
        let (rec, _) = quire_marc::iso2709::parse_record(&row.marc).unwrap();
        assert_eq!(rec.first_subfield("245", 'a'), Some("Tiếng Việt cồn dắng"));
        lib.close().await;
        db.cleanup().await;
    }
}
