#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Patrons and cards on every backend: duplicate warning, card numbering
//! and replacement, PINs, manual blocks, privacy (anonymisation with and
//! without the opt-in), and the policy matrix administration.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use quire_domain::circ::form::parse_rule_key;
use quire_domain::circ::policy::{LoanPeriod, Policy, RuleKey};
use quire_domain::org::BranchForm;
use quire_domain::patron::{CardSchemeForm, PatronForm};
use quire_domain::staff::NewStaffForm;
use quire_library::catalog::{Holdings, ImportOptions, ItemForm};
use quire_library::patrons::BlockForm;
use quire_library::policy_admin::ClosedDaysForm;
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_marc::{Field, Record, Subfield, Tag};
use quire_store::testing::{TestDb, backends};

fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

async fn setup(db: &TestDb) -> (Library, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(start()));
    let lib = Library::new(db.open().await, clock.clone(), Settings::default())
        .await
        .unwrap();
    let sys = Ctx::system("test");
    lib.create_branch(
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
    (lib, clock)
}

async fn staff(lib: &Library, username: &str, role: &str) -> Ctx {
    lib.create_staff(
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
    Ctx::staff(lib.staff_identity(username).await.unwrap(), None)
}

fn maria() -> PatronForm {
    PatronForm {
        first_name: "Maria".into(),
        last_name: "Santos".into(),
        home_branch: "MAIN".into(),
        birth_date: "1990-05-01".into(),
        email: "maria@example.ph".into(),
        phone: "+63 917 555 0199".into(),
        ..Default::default()
    }
}

async fn with_items(lib: &Library, n: usize) {
    let sys = Ctx::system("test");
    let mut bytes = Vec::new();
    for i in 0..n {
        let mut r = Record::new();
        r.push(Field::control(Tag::parse("001").unwrap(), format!("p{i}")));
        r.push(Field::data(
            Tag::parse("245").unwrap(),
            '1',
            '0',
            vec![Subfield::new('a', format!("Book {i}"))],
        ));
        bytes.extend(quire_marc::iso2709::to_bytes(&r).unwrap());
    }
    lib.import_marc(
        &sys,
        "p",
        "p",
        std::io::Cursor::new(bytes),
        &ImportOptions {
            holdings: Holdings::None,
            ..Default::default()
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    for i in 0..n {
        let rid = lib
            .record_id_by_control_number(&format!("p{i}"))
            .await
            .unwrap()
            .unwrap();
        lib.add_item(
            &sys,
            rid,
            &ItemForm {
                barcode: format!("I{i:04}"),
                branch: "MAIN".into(),
                item_type: "BOOK".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn registration_numbers_cards_warns_of_duplicates_and_edits() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, _clock) = setup(&db).await;
        let desk = staff(&lib, "desk", "circulation").await;
        let p = lib
            .register_patron_with(&desk, &maria(), false)
            .await
            .unwrap();
        // Default numbering: 14-digit Codabar, prefix 21000, mod 10.
        assert_eq!(p.barcode, "21000000000013", "{b:?}");
        assert!(
            CardSchemeForm::default_scheme()
                .validate(&p.barcode)
                .is_ok()
        );
        assert_eq!(p.expires_on, "2029-11-30", "adult: three years");

        // Same name + birth date: a warning naming the other patron.
        let again = PatronForm {
            email: String::new(),
            ..maria()
        };
        let e = lib
            .register_patron_with(&desk, &again, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.first_field(), Some("confirm_duplicate"));
        assert!(e.fields[0].arg.as_deref().unwrap().contains(&p.barcode));
        // Same e-mail, different person: also a warning.
        let same_mail = PatronForm {
            first_name: "Marites".into(),
            birth_date: String::new(),
            email: "MARIA@example.ph".into(),
            ..maria()
        };
        let e = lib
            .register_patron_with(&desk, &same_mail, false)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        // Staff confirm: registered.
        let twin = lib.register_patron_with(&desk, &again, true).await.unwrap();
        assert_ne!(twin.barcode, p.barcode);

        // A typed card number is validated against the scheme.
        let typed = |barcode: &str| PatronForm {
            barcode: barcode.into(),
            first_name: "Jose".into(),
            email: String::new(),
            ..maria()
        };
        let e = lib
            .register_patron_with(&desk, &typed("21000000000014"), true)
            .await
            .unwrap_err();
        assert_eq!(
            (e.fields[0].field, e.fields[0].code),
            ("barcode", "barcode-check-digit")
        );
        let e = lib
            .register_patron_with(&desk, &typed("31000000000013"), true)
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "barcode-prefix");
        let e = lib
            .register_patron_with(&desk, &typed("2100000000001"), true)
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "barcode-length");
        let e = lib
            .register_patron_with(&desk, &typed(&p.barcode), true)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Duplicate);

        // Juvenile without guardian: the guardian field is named.
        let child = PatronForm {
            first_name: "Bea".into(),
            email: String::new(),
            birth_date: "2016-01-01".into(),
            category: "CHILD".into(),
            ..maria()
        };
        let e = lib
            .register_patron_with(&desk, &child, false)
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("guardian"));

        // Edit: keep-history opt-in, notes; search by name, e-mail, phone.
        let edited = PatronForm {
            address: "12 Rizal St, Quezon City".into(),
            keep_history: "on".into(),
            notice_pref: "email".into(),
            ..maria()
        };
        lib.update_patron(&desk, p.id, &edited, false)
            .await
            .unwrap();
        // Renaming the twin into someone else's e-mail warns again.
        let e = lib
            .update_patron(
                &desk,
                twin.id,
                &PatronForm {
                    email: "maria@example.ph".into(),
                    ..again.clone()
                },
                false,
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        lib.set_patron_notes(&desk, p.id, "Prefers large print")
            .await
            .unwrap();
        let d = lib.patron_detail(&desk, p.id).await.unwrap();
        assert!(d.extra.keep_history);
        assert_eq!(d.extra.address.as_deref(), Some("12 Rizal St, Quezon City"));
        assert_eq!(d.extra.notes.as_deref(), Some("Prefers large print"));
        assert_eq!(d.patron.barcode, p.barcode, "edit keeps the card");
        for q in [
            "santos",
            "Maria Santos",
            "Santos, Maria",
            "maria@example",
            "0917 555 0199",
            &p.barcode,
        ] {
            let found = lib.find_patrons(&desk, q).await.unwrap();
            assert!(found.iter().any(|x| x.id == p.id), "{q} on {b:?}");
        }

        // A volunteer may not register or see patrons.
        let vol = staff(&lib, "vol", "volunteer").await;
        let e = lib
            .register_patron_with(&vol, &maria(), true)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
    }
}

#[tokio::test]
async fn replaced_card_is_findable_and_refused_at_checkout() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, _clock) = setup(&db).await;
        with_items(&lib, 1).await;
        let desk = staff(&lib, "desk", "circulation").await;
        let p = lib
            .register_patron_with(&desk, &maria(), false)
            .await
            .unwrap();
        let old = p.barcode.clone();
        let new = lib
            .replace_card(&desk, p.id, "", "lost on the jeepney")
            .await
            .unwrap();
        assert_ne!(new.barcode, old);
        assert!(
            CardSchemeForm::default_scheme()
                .validate(&new.barcode)
                .is_ok()
        );
        // Searching the old number shows whose replaced card it is.
        let s = lib.search_patrons(&desk, &old).await.unwrap();
        let rc = s.replaced_card.expect("replaced card");
        assert_eq!(rc.patron.id, p.id);
        assert_eq!(rc.card.reason, "lost on the jeepney");
        assert_eq!(s.patrons.len(), 1);
        // Checkout with the old card: refused with card-lost.
        let e = lib.checkout(&desk, &old, "I0000", &[]).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Refused, "{b:?}");
        assert_eq!(e.refusal_codes(), vec!["card-lost"]);
        lib.checkout(&desk, &new.barcode, "I0000", &[])
            .await
            .unwrap();
        // The old number can never be issued again.
        let e = lib.replace_card(&desk, p.id, &old, "").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Duplicate);
        let d = lib.patron_detail(&desk, p.id).await.unwrap();
        assert_eq!(d.old_cards.len(), 1);

        // Card numbering settings: a new prefix numbers the next card.
        let admin = staff(&lib, "boss", "admin").await;
        let e = lib
            .set_card_settings(
                &admin,
                &CardSchemeForm {
                    prefix: "x".into(),
                    length: "14".into(),
                    check: "mod10".into(),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("prefix"));
        lib.set_card_settings(
            &admin,
            &CardSchemeForm {
                prefix: "29999".into(),
                length: "14".into(),
                check: "mod10".into(),
            },
        )
        .await
        .unwrap();
        let q = lib
            .register_patron_with(
                &desk,
                &PatronForm {
                    first_name: "Quyen".into(),
                    email: String::new(),
                    ..maria()
                },
                true,
            )
            .await
            .unwrap();
        assert!(q.barcode.starts_with("29999"), "{}", q.barcode);
        let e = lib.card_settings(&desk).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
    }
}

#[tokio::test]
async fn pin_is_hashed_and_checked_and_blocks_stop_checkout() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, _clock) = setup(&db).await;
        with_items(&lib, 1).await;
        let desk = staff(&lib, "desk", "circulation").await;
        let p = lib
            .register_patron_with(
                &desk,
                &PatronForm {
                    pin: "1234".into(),
                    ..maria()
                },
                false,
            )
            .await
            .unwrap();
        let stored = lib
            .patron_by_barcode(&desk, &p.barcode)
            .await
            .unwrap()
            .pin_hash
            .unwrap();
        assert!(
            stored.starts_with("$argon2id$"),
            "hashed like staff passwords"
        );
        assert!(lib.check_patron_pin(&p.barcode, "1234").await.unwrap());
        lib.set_patron_pin(&desk, p.id, "987654").await.unwrap();
        assert!(!lib.check_patron_pin(&p.barcode, "1234").await.unwrap());
        assert!(lib.check_patron_pin(&p.barcode, "987654").await.unwrap());
        let e = lib.set_patron_pin(&desk, p.id, "12ab").await.unwrap_err();
        assert_eq!(e.first_field(), Some("pin"));

        // Manual block: refuses checkout; lifted: checkout works.
        let e = lib
            .add_patron_block(&desk, p.id, &BlockForm::default())
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("note"));
        let block = lib
            .add_patron_block(
                &desk,
                p.id,
                &BlockForm {
                    note: "Damaged two books".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(
            block.stops_checkout && block.stops_hold,
            "no choice: stops everything"
        );
        let d = lib.patron_detail(&desk, p.id).await.unwrap();
        assert_eq!(
            d.blocks
                .iter()
                .map(|b| b.reason.as_str())
                .collect::<Vec<_>>(),
            vec!["manual"]
        );
        let e = lib
            .checkout(&desk, &p.barcode, "I0000", &[])
            .await
            .unwrap_err();
        assert_eq!(e.refusal_codes(), vec!["patron-blocked"], "{b:?}");
        lib.lift_patron_block(&desk, p.id, block.id).await.unwrap();
        assert_eq!(
            lib.lift_patron_block(&desk, p.id, block.id)
                .await
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        lib.checkout(&desk, &p.barcode, "I0000", &[]).await.unwrap();
    }
}

#[tokio::test]
async fn returned_loans_are_anonymised_unless_the_patron_keeps_history() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, clock) = setup(&db).await;
        with_items(&lib, 3).await;
        let desk = staff(&lib, "desk", "circulation").await;
        let private = lib
            .register_patron_with(&desk, &maria(), false)
            .await
            .unwrap();
        let keeper = lib
            .register_patron_with(
                &desk,
                &PatronForm {
                    first_name: "Lan".into(),
                    last_name: "Nguyen".into(),
                    email: "lan@example.vn".into(),
                    keep_history: "on".into(),
                    ..maria()
                },
                false,
            )
            .await
            .unwrap();
        lib.checkout(&desk, &private.barcode, "I0000", &[])
            .await
            .unwrap();
        lib.checkout(&desk, &keeper.barcode, "I0001", &[])
            .await
            .unwrap();
        lib.checkout(&desk, &private.barcode, "I0002", &[])
            .await
            .unwrap();
        clock.advance(Duration::days(2));
        let c = lib.checkin(&desk, "I0000", None).await.unwrap();
        assert_eq!(
            c.loan.as_ref().unwrap().patron_id,
            None,
            "anonymised at checkin ({b:?})"
        );
        assert_eq!(
            c.patron_barcode.as_deref(),
            Some(private.barcode.as_str()),
            "slip still names the patron"
        );
        let c = lib.checkin(&desk, "I0001", None).await.unwrap();
        assert_eq!(
            c.loan.as_ref().unwrap().patron_id,
            Some(keeper.id),
            "opted in: kept"
        );
        // Overdue: the fine is owed, so the link stays until it is settled.
        clock.advance(Duration::days(40));
        let c = lib.checkin(&desk, "I0002", None).await.unwrap();
        assert!(c.fine_minor > 0);
        assert_eq!(c.loan.as_ref().unwrap().patron_id, Some(private.id));
        let hist = lib
            .patron_detail(&desk, private.id)
            .await
            .unwrap()
            .history
            .unwrap();
        assert_eq!(hist.len(), 1, "only the unsettled loan is still linked");
        // The sweep keeps the unsettled one and the opted-in one.
        let admin = staff(&lib, "boss", "admin").await;
        assert_eq!(lib.anonymise_returned_loans(&admin).await.unwrap(), 0);
        assert_eq!(
            lib.patron_detail(&desk, keeper.id)
                .await
                .unwrap()
                .history
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            lib.anonymise_returned_loans(&desk).await.unwrap_err().code,
            ErrorCode::Forbidden
        );
        // A cataloger sees the patron but not the reading history.
        let cat = staff(&lib, "cat", "cataloger").await;
        assert!(
            lib.patron_detail(&cat, keeper.id)
                .await
                .unwrap()
                .history
                .is_none()
        );
    }
}

#[tokio::test]
async fn rule_administration_precedence_and_closed_days() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, _clock) = setup(&db).await;
        with_items(&lib, 1).await;
        let admin = staff(&lib, "boss", "admin").await;
        let desk = staff(&lib, "desk", "circulation").await;
        // Default rules: the wildcard applies to an adult's book.
        let t = lib
            .test_rules(&admin, "ADULT", "BOOK", "MAIN")
            .await
            .unwrap();
        let wildcard = t.matched_rule_id.unwrap();
        assert_eq!(t.resolution.policy.loan_period, LoanPeriod::Days(21));
        // A category rule and a more specific branch + category rule.
        let key = |c: &str, t: &str, br: &str| parse_rule_key(c, t, br).unwrap();
        let p14 = Policy {
            loan_period: LoanPeriod::Days(14),
            ..Policy::book_default()
        };
        let p28 = Policy {
            loan_period: LoanPeriod::Days(28),
            ..Policy::book_default()
        };
        let child = lib
            .set_rule(&admin, &key("ADULT", "*", ""), &p14)
            .await
            .unwrap();
        let main = lib
            .set_rule(&admin, &key("ADULT", "", "MAIN"), &p28)
            .await
            .unwrap();
        let t = lib
            .test_rules(&admin, "ADULT", "BOOK", "MAIN")
            .await
            .unwrap();
        assert_eq!(t.matched_rule_id, Some(main.id), "branch beats category");
        assert_eq!(t.explanation.last().unwrap().0, "selected");
        assert!(t.explanation.iter().any(|(c, _)| c == "less-specific"));
        let t = lib
            .test_rules(&admin, "ADULT", "BOOK", "EAST")
            .await
            .unwrap();
        assert_eq!(t.matched_rule_id, Some(child.id));
        let t = lib
            .test_rules(&admin, "CHILD", "BOOK", "EAST")
            .await
            .unwrap();
        assert_eq!(t.matched_rule_id, Some(wildcard));
        // Delete: the next most specific applies again.
        lib.delete_rule(&admin, main.id).await.unwrap();
        let t = lib
            .test_rules(&admin, "ADULT", "BOOK", "MAIN")
            .await
            .unwrap();
        assert_eq!(t.matched_rule_id, Some(child.id));
        assert_eq!(
            lib.delete_rule(&admin, main.id).await.unwrap_err().code,
            ErrorCode::NotFound
        );
        let e = lib
            .test_rules(&admin, "", "bad code!", "MAIN")
            .await
            .unwrap_err();
        assert_eq!(
            e.fields.iter().map(|f| f.field).collect::<Vec<_>>(),
            vec!["test_category", "test_item_type"]
        );
        // Circulation staff cannot edit the matrix.
        assert_eq!(
            lib.delete_rule(&desk, child.id).await.unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert_eq!(
            lib.set_rule(&desk, &RuleKey::default(), &p14)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );

        // Closed days move the due date: 14 days from Mon 30 Nov is Mon 14
        // Dec; closed 14-15 Dec → due Wed 16 Dec.
        let branch = lib.branches(&admin).await.unwrap()[0].id;
        let n = lib
            .add_closed_days(
                &admin,
                branch,
                &ClosedDaysForm {
                    from: "2026-12-14".into(),
                    to: "2026-12-15".into(),
                    reason: "Fiesta".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(lib.closed_days(&desk, branch).await.unwrap().len(), 2);
        let p = lib
            .register_patron_with(&desk, &maria(), false)
            .await
            .unwrap();
        let loan = lib.checkout(&desk, &p.barcode, "I0000", &[]).await.unwrap();
        assert_eq!(
            loan.loan.due_at.date_naive().to_string(),
            "2026-12-16",
            "{b:?}"
        );
        lib.remove_closed_day(&admin, branch, "2026-12-15")
            .await
            .unwrap();
        assert_eq!(
            lib.remove_closed_day(&admin, branch, "2026-12-15")
                .await
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        assert_eq!(
            lib.add_closed_days(
                &desk,
                branch,
                &ClosedDaysForm {
                    from: "2026-12-31".into(),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
            .code,
            ErrorCode::Forbidden
        );
    }
}
