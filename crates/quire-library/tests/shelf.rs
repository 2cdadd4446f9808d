#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Shelf use cases on every backend: the shelving cart in shelf order, the
//! "shelved" scan, the automatic revert sweep (idempotent), shelf browse
//! with paging, and a shelf-reading pass (out of order, missing,
//! elsewhere, wrong status, one-click fixes, inventory dates).

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use quire_domain::org::{BranchForm, LocationInput};
use quire_domain::staff::NewStaffForm;
use quire_library::catalog::{Holdings, ImportOptions, ItemForm};
use quire_library::model::AuditFilter;
use quire_library::shelf::{BrowseAt, InventoryForm};
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_marc::{Field, Record, Subfield, Tag};
use quire_store::testing::{TestDb, backends};

/// LC call numbers in true shelf order (the raw strings do not sort so:
/// QA76.9 < QA76.73 as strings, class numbers compare as numbers).
const SHELF: [&str; 8] = [
    "QA9 .B4 1990",
    "QA76.73 .R87 K53 2019",
    "QA76.9 .D3 D38",
    "QA76.9 .D3 D4",
    "QA268 .S5",
    "QA268.5 .A1",
    "QB43 .S2",
    "QB43.2 .M3 v.2",
];

struct Fixture {
    lib: Library,
    clock: Arc<ManualClock>,
    record: i64,
    main_id: i64,
}

fn marc() -> Vec<u8> {
    let mut r = Record::new();
    r.push(Field::control(Tag::parse("001").unwrap(), "shelf0"));
    r.push(Field::data(
        Tag::parse("245").unwrap(),
        '1',
        '0',
        vec![Subfield::new('a', "Shelf order")],
    ));
    quire_marc::iso2709::to_bytes(&r).unwrap()
}

async fn setup(db: &TestDb) -> Fixture {
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    ));
    let lib = Library::new(db.open().await, clock.clone(), Settings::default())
        .await
        .unwrap();
    let sys = Ctx::system("test");
    let mut main_id = 0;
    for code in ["MAIN", "EAST"] {
        let b = lib
            .create_branch(
                &sys,
                &BranchForm {
                    code: code.into(),
                    name: format!("{code} branch"),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap();
        if code == "MAIN" {
            main_id = b.id;
        }
        for loc in ["STACKS", "REF"] {
            lib.create_location(
                &sys,
                b.id,
                &LocationInput::parse(loc, &format!("{loc} shelves"), true, true, true).unwrap(),
            )
            .await
            .unwrap();
        }
    }
    lib.import_marc(
        &sys,
        "shelf",
        "shelf",
        std::io::Cursor::new(marc()),
        &ImportOptions {
            holdings: Holdings::None,
            ..Default::default()
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    let record = lib
        .record_id_by_control_number("shelf0")
        .await
        .unwrap()
        .unwrap();
    Fixture {
        lib,
        clock,
        record,
        main_id,
    }
}

impl Fixture {
    async fn item(&self, barcode: &str, branch: &str, location: &str, cn: &str) -> i64 {
        self.lib
            .add_item(
                &Ctx::system("test"),
                self.record,
                &ItemForm {
                    barcode: barcode.into(),
                    branch: branch.into(),
                    location: location.into(),
                    item_type: "BOOK".into(),
                    call_number: cn.into(),
                    call_number_scheme: "lc".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .id
    }

    /// Items S0..S7 with the SHELF call numbers, created in reverse order.
    async fn shelf(&self) -> Vec<i64> {
        let mut ids = vec![0; SHELF.len()];
        for (i, cn) in SHELF.iter().enumerate().rev() {
            ids[i] = self.item(&format!("S{i}"), "MAIN", "STACKS", cn).await;
        }
        ids
    }

    async fn staff(&self, username: &str, role: &str) -> Ctx {
        self.lib
            .create_staff(
                &Ctx::system("test"),
                &NewStaffForm {
                    username: username.into(),
                    display_name: username.into(),
                    roles: vec![role.into()],
                    password: "long enough pass".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        Ctx::staff(self.lib.staff_identity(username).await.unwrap(), None)
    }

    async fn status(&self, barcode: &str) -> String {
        self.lib
            .record(self.record)
            .await
            .unwrap()
            .1
            .into_iter()
            .find(|i| i.barcode == barcode)
            .unwrap()
            .status
    }

    async fn audit_count(&self, action: &str) -> usize {
        self.lib
            .audit_log(
                &Ctx::system("test"),
                &AuditFilter {
                    limit: 1000,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.action == action)
            .count()
    }
}

fn barcodes(v: &[quire_library::shelf::ShelfEntry]) -> Vec<&str> {
    v.iter().map(|e| e.barcode.as_str()).collect()
}

#[tokio::test]
async fn cart_lists_returns_in_shelf_order_and_shelving_makes_them_available() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.shelf().await;
        f.item("R1", "MAIN", "REF", "QA1 .A1").await;
        let desk = f.staff("desk", "circulation").await;
        let volunteer = f.staff("vol", "volunteer").await;
        // Return in a scrambled order.
        for bc in ["S5", "S1", "R1", "S7", "S2", "S0"] {
            f.lib.checkin(&desk, bc, None).await.unwrap();
            f.clock.advance(Duration::minutes(1));
        }
        let cart = f
            .lib
            .shelving_cart(&volunteer, "main", "STACKS")
            .await
            .unwrap();
        assert_eq!(
            barcodes(&cart.items),
            ["S0", "S1", "S2", "S5", "S7"],
            "{b:?}"
        );
        assert_eq!(cart.items[0].call_number_lines, ["QA", "9", ".B4", "1990"]);
        // The whole branch: by location, then shelf order.
        let all = f.lib.shelving_cart(&volunteer, "MAIN", "").await.unwrap();
        assert_eq!(all.items.len(), 6);
        let err = f
            .lib
            .shelving_cart(&volunteer, "MAIN", "NOPE")
            .await
            .unwrap_err();
        assert_eq!(err.first_field(), Some("location"));

        // Scan two back onto the shelf; an unknown and an available one are refused.
        let out = f
            .lib
            .mark_shelved(
                &volunteer,
                &["S1".into(), "S2".into(), "NOPE".into(), "S3".into()],
            )
            .await
            .unwrap();
        assert_eq!(out.shelved, ["S1", "S2"]);
        let reasons: Vec<_> = out
            .refused
            .iter()
            .map(|r| (r.barcode.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [("NOPE", "unknown-item"), ("S3", "not-reshelving")]
        );
        assert_eq!(f.status("S1").await, "available");
        assert_eq!(f.status("S5").await, "reshelving");
        assert_eq!(f.audit_count("shelve").await, 2);

        // Sweep: nothing is due before the interval, everything after; a
        // second sweep does nothing.
        let sys = Ctx::system("sweeper");
        assert_eq!(f.lib.sweep_reshelving(&sys, f.lib.now()).await.unwrap(), 0);
        f.lib.set_reshelve_after(&sys, "30").await.unwrap();
        let later = f.lib.now() + Duration::minutes(27);
        // Returns at +0 (S5), +2 (R1), +3 (S7), +5 (S0) minutes; now is +6.
        // At +33 the cutoff is +3: S5, R1 and S7 are due, S0 is not.
        let n = f.lib.sweep_reshelving(&sys, later).await.unwrap();
        assert_eq!(n, 3, "{b:?}");
        assert_eq!(f.status("S5").await, "available");
        assert_eq!(f.status("S0").await, "reshelving");
        assert_eq!(f.lib.sweep_reshelving(&sys, later).await.unwrap(), 0);
        assert_eq!(
            f.lib
                .sweep_reshelving(&sys, later + Duration::minutes(5))
                .await
                .unwrap(),
            1
        );
        assert_eq!(f.audit_count("auto-shelve").await, 4);
        assert_eq!(
            f.lib
                .set_reshelve_after(&sys, "0")
                .await
                .unwrap_err()
                .first_field(),
            Some("minutes")
        );
        let _ = f.main_id;
    }
}

#[tokio::test]
async fn browse_shows_neighbours_in_shelf_order_with_paging() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let ids = f.shelf().await;
        f.item("E1", "EAST", "STACKS", "QA76.9 .D3 D39").await;
        f.item("R1", "MAIN", "REF", "QA76.9 .D3 D39").await;
        let v = f
            .lib
            .shelf_browse(ids[3], BrowseAt::Around, 2, false)
            .await
            .unwrap();
        assert_eq!(barcodes(&v.items), ["S1", "S2", "S3", "S4", "S5"], "{b:?}");
        assert_eq!(v.anchor.barcode, "S3");
        assert_eq!((v.prev, v.next), (Some(ids[1]), Some(ids[5])));
        // At the start of the shelf there is nothing before.
        let v = f
            .lib
            .shelf_browse(ids[0], BrowseAt::Around, 2, false)
            .await
            .unwrap();
        assert_eq!(barcodes(&v.items), ["S0", "S1", "S2"]);
        assert_eq!(v.prev, None);
        // Next page after S5 (pages of 2n+1 = 5): S6, S7 and no more.
        let v = f
            .lib
            .shelf_browse(ids[3], BrowseAt::After(ids[5]), 2, false)
            .await
            .unwrap();
        assert_eq!(barcodes(&v.items), ["S6", "S7"]);
        assert_eq!(v.next, None);
        assert_eq!(v.prev, Some(ids[6]));
        let v = f
            .lib
            .shelf_browse(ids[3], BrowseAt::Before(ids[6]), 2, false)
            .await
            .unwrap();
        assert_eq!(barcodes(&v.items), ["S1", "S2", "S3", "S4", "S5"]);
        assert_eq!(v.prev, Some(ids[1]));
        let e = f
            .lib
            .shelf_browse(ids[3], BrowseAt::After(999_999), 2, false)
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("after"));
        let e = f
            .lib
            .shelf_browse(999_999, BrowseAt::Around, 2, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
    }
}

#[tokio::test]
async fn shelf_reading_flags_the_misshelved_book_and_fixes_statuses() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.shelf().await;
        f.item("E1", "EAST", "STACKS", "QA76.9 .D3 D39").await;
        let desk = f.staff("desk", "circulation").await;
        let vol = f.staff("vol", "volunteer").await;
        let pat = f
            .lib
            .register_patron(
                &Ctx::system("test"),
                &quire_domain::patron::PatronForm {
                    first_name: "Ana".into(),
                    last_name: "Reyes".into(),
                    home_branch: "MAIN".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .barcode;
        // S4 is recorded on loan but stands on the shelf.
        f.lib.checkout(&desk, &pat, "S4", &[]).await.unwrap();
        // The shelf as found: S6 misshelved between S1 and S2, S5 not there,
        // E1 (EAST) on this shelf, one unknown barcode.
        let form = InventoryForm {
            branch: "MAIN".into(),
            location: "STACKS".into(),
            from: "QA1".into(),
            to: "QB43.2".into(),
            barcodes: "S0\nS1\nS6\nS2 S3\nE1\nS4\nXX99\nS7".into(),
        };
        let r = f.lib.read_shelf(&vol, &form).await.unwrap();
        let ooo: Vec<_> = r
            .out_of_order
            .iter()
            .map(|m| m.item.barcode.as_str())
            .collect();
        assert_eq!(ooo, ["S6"], "{b:?}: one misplaced book flags one book");
        let m = &r.out_of_order[0];
        assert_eq!(m.position, 3);
        assert_eq!(
            (
                m.after.as_ref().unwrap().barcode.as_str(),
                m.before.as_ref().unwrap().barcode.as_str()
            ),
            ("S5", "S7")
        );
        assert_eq!(barcodes(&r.missing), ["S5"]);
        assert_eq!(r.elsewhere.len(), 1);
        assert_eq!(
            (
                r.elsewhere[0].item.barcode.as_str(),
                r.elsewhere[0].branch.as_str()
            ),
            ("E1", "EAST")
        );
        assert_eq!(barcodes(&r.wrong_status), ["S4"]);
        assert_eq!(r.unknown, ["XX99"]);
        assert_eq!(r.scanned, 9);
        // Inventory dates on every section item scanned, none on the others.
        let (_, items) = f.lib.record(f.record).await.unwrap();
        for i in &items {
            let expect = !matches!(i.barcode.as_str(), "S5" | "E1");
            assert_eq!(i.inventory_at.is_some(), expect, "{}", i.barcode);
        }
        assert_eq!(f.audit_count("inventory").await, 1);

        // A range narrows the section: QB only.
        let r2 = f
            .lib
            .read_shelf(
                &vol,
                &InventoryForm {
                    from: "QB1".into(),
                    to: "".into(),
                    barcodes: "S7".into(),
                    ..form.clone()
                },
            )
            .await
            .unwrap();
        assert_eq!(barcodes(&r2.missing), ["S6"]);
        // Bad input: reversed range, no scans, unknown location.
        let bad = |from: &str, to: &str, codes: &str, loc: &str| InventoryForm {
            from: from.into(),
            to: to.into(),
            barcodes: codes.into(),
            location: loc.into(),
            ..form.clone()
        };
        let e = f
            .lib
            .read_shelf(&vol, &bad("QB1", "QA1", "S1", "STACKS"))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("to"));
        let e = f
            .lib
            .read_shelf(&vol, &bad("", "", "  ", "STACKS"))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("barcodes"));
        let e = f
            .lib
            .read_shelf(&vol, &bad("", "", "S1", "ATTIC"))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("location"));
        let e = f
            .lib
            .read_shelf(&vol, &bad("", "", "S1 <b>", "STACKS"))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("barcodes"));

        // One-click fixes: the loan is closed and the book is available;
        // a volunteer may not close loans.
        let e = f.lib.fix_found_on_shelf(&vol, "S4").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let fix = f.lib.fix_found_on_shelf(&desk, "S4").await.unwrap();
        assert_eq!(
            (fix.from.as_str(), fix.to.as_str(), fix.loan_closed),
            ("checked-out", "available", true)
        );
        assert_eq!(f.status("S4").await, "available");
        let e = f.lib.fix_found_on_shelf(&desk, "S4").await.unwrap_err();
        assert_eq!(e.first_field(), Some("item"));
        let fix = f.lib.mark_missing(&vol, "S5").await.unwrap();
        assert_eq!(fix.to, "missing");
        assert_eq!(f.audit_count("mark-missing").await, 1);
        // Found again at the next reading: a missing book on the shelf is
        // a wrong status, fixed to available.
        let r3 = f
            .lib
            .read_shelf(
                &vol,
                &InventoryForm {
                    barcodes: "S5".into(),
                    ..form.clone()
                },
            )
            .await
            .unwrap();
        assert_eq!(barcodes(&r3.wrong_status), ["S5"]);
        let fix = f.lib.fix_found_on_shelf(&desk, "S5").await.unwrap();
        assert_eq!(
            (fix.from.as_str(), fix.to.as_str()),
            ("missing", "available")
        );
    }
}

/// Puts `n` items straight on a cart (status reshelving) through the
/// store, with LC call numbers `QA{k} .B{k}` (or none), in scrambled order.
async fn cart_items(f: &Fixture, prefix: &str, location: &str, n: usize, with_cn: bool) {
    use quire_store::catalog::ItemWrite;
    let loc = f
        .lib
        .store()
        .read()
        .await
        .unwrap()
        .locations(Some(f.main_id))
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.code == location)
        .unwrap()
        .id;
    let now = f.lib.now();
    let mut w = f.lib.store().begin().await.unwrap();
    for i in 0..n {
        let k = (i * 7) % n;
        let cn = format!("QA{} .B{}", 10 + k, k % 3);
        let key = quire_domain::callnumber::sort_key(quire_domain::callnumber::Scheme::Lc, &cn)
            .into_string();
        let barcode = format!("{prefix}{k:03}");
        w.insert_item(&ItemWrite {
            record_id: f.record,
            barcode: &barcode,
            branch_id: f.main_id,
            location_id: Some(loc),
            call_number: with_cn.then_some(cn.as_str()),
            call_number_scheme: "lc",
            call_number_sort: with_cn.then_some(key.as_str()),
            item_type: "BOOK",
            status: "reshelving",
            copy_number: None,
            price_minor: None,
            now,
        })
        .await
        .unwrap();
    }
    w.commit().await.unwrap();
}

#[tokio::test]
async fn cart_pages_walk_the_whole_cart_in_shelf_order_both_ways() {
    use quire_library::shelf::CartAt;
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        // 30 with call numbers and 3 without in STACKS, 5 in REF.
        cart_items(&f, "A", "STACKS", 30, true).await;
        cart_items(&f, "N", "STACKS", 3, false).await;
        cart_items(&f, "R", "REF", 5, true).await;
        let vol = f.staff("vol", "volunteer").await;
        let whole = f.lib.shelving_cart(&vol, "MAIN", "").await.unwrap();
        let whole = barcodes(&whole.items);
        assert_eq!(whole.len(), 38);
        // Shelf order: STACKS by call number (A000, A001, … since QA10 < QA11 …),
        // then STACKS without call number (by id), then REF.
        assert_eq!(&whole[..3], ["A000", "A001", "A002"], "{b:?}");
        assert_eq!(&whole[29..33], ["A029", "N000", "N001", "N002"], "{b:?}");

        // Forward, 25 a page.
        let p1 = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::First, 25)
            .await
            .unwrap();
        assert_eq!((p1.total, p1.first_position, p1.prev), (38, 1, None));
        assert_eq!(barcodes(&p1.items), whole[..25]);
        let next = p1.next.expect("a second page");
        let p2 = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::After(next), 25)
            .await
            .unwrap();
        assert_eq!(barcodes(&p2.items), whole[25..], "{b:?}");
        assert_eq!((p2.first_position, p2.next), (26, None));
        // Back again.
        let back = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::Before(p2.prev.unwrap()), 25)
            .await
            .unwrap();
        assert_eq!(barcodes(&back.items), whole[..25]);
        assert_eq!((back.first_position, back.prev), (1, None));
        // The last page is the last 25; the same page again from its first item.
        let last = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::Last, 25)
            .await
            .unwrap();
        assert_eq!(barcodes(&last.items), whole[13..]);
        assert_eq!(last.first_position, 14);
        let again = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::From(p2.items[0].item_id), 25)
            .await
            .unwrap();
        assert_eq!(barcodes(&again.items), whole[25..]);
        // Jump to a call number: the first item at or after it.
        let jump = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::Jump("QA 20".into()), 25)
            .await
            .unwrap();
        assert_eq!(jump.items[0].barcode, "A010", "{b:?}");
        assert_eq!(jump.first_position, 11);
        assert_eq!(barcodes(&jump.items), whole[10..35]);
        // Within one location, past its end: the last page, flagged.
        let past = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "REF", &CartAt::Jump("Z 9".into()), 25)
            .await
            .unwrap();
        assert!(past.jump_past_end);
        assert_eq!(barcodes(&past.items), whole[33..]);
        assert_eq!(past.total, 5);
        // One location only: REF's items.
        let refp = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "REF", &CartAt::First, 25)
            .await
            .unwrap();
        assert_eq!(barcodes(&refp.items), whole[33..]);
        // Bad input: page size, paging item of another location.
        let err = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::First, 7)
            .await
            .unwrap_err();
        assert_eq!(err.first_field(), Some("size"));
        let err = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "REF", &CartAt::After(p1.items[0].item_id), 25)
            .await
            .unwrap_err();
        assert_eq!(err.first_field(), Some("after"));
        let err = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::Jump(" ".into()), 25)
            .await
            .unwrap_err();
        assert_eq!(err.first_field(), Some("jump"));
        // Shelving the first page's first item: the same page starts one later.
        f.lib.mark_shelved(&vol, &["A000".into()]).await.unwrap();
        let p1b = f
            .lib
            .shelving_cart_page(&vol, "MAIN", "", &CartAt::From(p1.items[0].item_id), 25)
            .await
            .unwrap();
        assert_eq!(barcodes(&p1b.items), whole[1..26]);
        assert_eq!((p1b.total, p1b.first_position), (37, 1));
    }
}
