#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The fees ledger on every backend: manual fees, partial payments,
//! waivers with reasons and permissions, overpayment refused, every line
//! audited, balance derived from the ledger; and the desk's patron summary
//! (blocks with reasons).

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use quire_domain::org::BranchForm;
use quire_domain::staff::NewStaffForm;
use quire_library::fees::PatronRef;
use quire_library::model::AuditFilter;
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_store::testing::{TestDb, backends};

async fn library(db: &TestDb) -> Library {
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    ));
    let lib = Library::new(db.open().await, clock, Settings::default())
        .await
        .unwrap();
    lib.create_branch(
        &Ctx::system("test"),
        &BranchForm {
            code: "MAIN".into(),
            name: "Main".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    lib
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

async fn patron(lib: &Library) -> (i64, String) {
    let p = lib
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
        .unwrap();
    (p.id, p.barcode)
}

#[tokio::test]
async fn payments_waivers_and_manual_fees() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let (id, card) = patron(&lib).await;
        let desk = staff(&lib, "desk", "circulation").await;
        let boss = staff(&lib, "boss", "admin").await;
        let vol = staff(&lib, "vic", "volunteer").await;
        let who = PatronRef::Barcode(&card);

        // A manual fee needs a note and a positive amount.
        let e = lib.add_fee(&desk, who, "0", "").await.unwrap_err();
        let mut fields: Vec<(&str, &str)> = e.fields.iter().map(|f| (f.field, f.code)).collect();
        fields.sort();
        assert_eq!(
            fields,
            vec![("amount", "must-be-positive"), ("note", "required")]
        );
        let e = lib
            .add_fee(&desk, who, "12.345", "Lost card")
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "too-many-decimals");
        let f = lib
            .add_fee(&desk, who, "150.50", "Replacement card")
            .await
            .unwrap();
        assert_eq!(f.line.amount_minor, 15_050);
        assert_eq!(f.line.kind, "manual");
        assert_eq!(f.balance_minor, 15_050);

        // Partial payment by card; by id works the same.
        let p = lib
            .pay_fees(&desk, PatronRef::Id(id), "50", "card", "")
            .await
            .unwrap();
        assert_eq!(p.line.amount_minor, -5_000);
        assert_eq!(p.line.kind, "payment-card");
        assert_eq!(p.balance_minor, 10_050);

        // Overpaying is refused, with the balance in the message argument;
        // nothing is written.
        let e = lib
            .pay_fees(&desk, who, "100.51", "cash", "")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Invalid);
        assert_eq!(e.fields[0].field, "amount");
        assert_eq!(e.fields[0].code, "exceeds-balance");
        assert_eq!(e.fields[0].arg.as_deref(), Some("100.50"));
        let e = lib
            .pay_fees(&desk, who, "1", "cheque", "")
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "method");

        // Waivers: the circulation role lacks `waive-fees`, volunteers too;
        // a reason is required; more than the balance is refused.
        for ctx in [&desk, &vol] {
            let e = lib.waive_fees(ctx, who, "1", "goodwill").await.unwrap_err();
            assert_eq!(e.code, ErrorCode::Forbidden);
        }
        let e = lib.waive_fees(&boss, who, "1", " ").await.unwrap_err();
        assert_eq!(
            (e.fields[0].field, e.fields[0].code),
            ("reason", "required")
        );
        let e = lib
            .waive_fees(&boss, who, "200", "goodwill")
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "exceeds-balance");
        let w = lib
            .waive_fees(&boss, who, "0.50", "rounding at the desk")
            .await
            .unwrap();
        assert_eq!((w.line.kind.as_str(), w.balance_minor), ("waiver", 10_000));

        // Paying the rest in cash brings the balance to exactly zero; the
        // ledger has every line, in order, and sums to the balance.
        let p = lib
            .pay_fees(&desk, who, "100", "cash", "paid in full")
            .await
            .unwrap();
        assert_eq!(p.balance_minor, 0);
        let ledger = lib.patron_fees(&desk, who).await.unwrap();
        let kinds: Vec<&str> = ledger.lines.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(
            kinds,
            vec!["manual", "payment-card", "waiver", "payment-cash"]
        );
        assert_eq!(
            ledger.lines.iter().map(|l| l.amount_minor).sum::<i64>(),
            ledger.balance_minor
        );
        assert_eq!(ledger.balance_minor, 0);
        let e = lib
            .pay_fees(&desk, who, "0.01", "cash", "")
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "exceeds-balance");
        // Volunteers cannot see or take money.
        assert_eq!(
            lib.patron_fees(&vol, who).await.unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert_eq!(
            lib.pay_fees(&vol, who, "1", "cash", "")
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );

        // A receipt line carries the running balance after it.
        let r = lib
            .fee_line(&desk, PatronRef::Id(id), ledger.lines[1].id)
            .await
            .unwrap();
        assert_eq!(r.balance_minor, 10_050);
        assert_eq!(
            lib.fee_line(&desk, PatronRef::Id(id), 999_999)
                .await
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );

        // Every line is audited with who did it.
        let audit = lib
            .audit_log(
                &Ctx::system("test"),
                &AuditFilter {
                    entity: Some("fee".into()),
                    entity_id: None,
                    actor_user_id: None,
                    before_id: None,
                    limit: 20,
                },
            )
            .await
            .unwrap();
        let mut actions: Vec<(&str, &str)> = audit
            .iter()
            .map(|a| (a.action.as_str(), a.actor_label.as_str()))
            .collect();
        actions.reverse();
        assert_eq!(
            actions,
            vec![
                ("charge", "desk"),
                ("pay", "desk"),
                ("waive", "boss"),
                ("pay", "desk")
            ]
        );
        assert!(audit.iter().any(|a| {
            a.after_json
                .as_deref()
                .unwrap_or("")
                .contains("rounding at the desk")
        }));
        lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn desk_summary_shows_blocks_with_reasons() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let (id, card) = patron(&lib).await;
        let desk = staff(&lib, "desk", "circulation").await;
        let d = lib.desk_patron(&desk, PatronRef::Id(id)).await.unwrap();
        assert!(d.blocks.is_empty());
        assert_eq!(d.home_branch, "MAIN");
        assert_eq!(d.loans.patron.barcode, card);
        // Over the 500.00 limit: blocked, with the limit and the value.
        lib.add_fee(&desk, PatronRef::Barcode(&card), "500.01", "damaged book")
            .await
            .unwrap();
        let d = lib
            .desk_patron(&desk, PatronRef::Barcode(&card))
            .await
            .unwrap();
        assert_eq!(d.loans.balance_minor, 50_001);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].reason, "fines-over-limit");
        assert!(
            d.blocks[0]
                .args
                .contains(&("value".to_owned(), "50001".to_owned()))
        );
        assert_eq!(
            lib.desk_patron(&desk, PatronRef::Barcode("NOPE"))
                .await
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        lib.close().await;
        db.cleanup().await;
    }
}
