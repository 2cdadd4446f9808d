#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Lost and claims-returned loans on every backend: marking (charges,
//! fines stop, reasons, permissions, audit), the claims-returned block,
//! reversal, checkin resolution (refund / keep / waive the unpaid part,
//! hold capture), the reading history with opt-out, and the privacy sweep.

use chrono::Duration;
use quire_domain::circ::policy::{LostFound, Policy, RuleKey};
use quire_library::holds::HoldRequest;
use quire_library::loss::MarkKind;
use quire_library::model::AuditFilter;
use quire_library::{Ctx, ErrorCode, PatronIdentity};
use quire_store::testing::{TestDb, backends};

mod common;
use common::*;

/// 10.00 a day, no grace, lost items cost 400.00 (+ 50.00 processing).
fn policy(found: LostFound) -> Policy {
    Policy {
        fine_per_interval: 1_000,
        lost_replacement_fee: 40_000,
        lost_processing_fee: 5_000,
        lost_found: found,
        ..Policy::book_default()
    }
}

async fn audit_actions(f: &Fixture, loan_id: i64) -> Vec<String> {
    f.lib
        .audit_log(
            &Ctx::system("test"),
            &AuditFilter {
                entity: Some("loan".into()),
                entity_id: Some(loan_id.to_string()),
                actor_user_id: None,
                before_id: None,
                limit: 20,
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect()
}

#[tokio::test]
async fn lost_and_claims_returned_from_mark_to_checkin() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        f.lib
            .set_rule(&sys, &RuleKey::default(), &policy(LostFound::Refund))
            .await
            .unwrap();
        for (rec, bc) in [
            (0, "I0001"),
            (1, "I0002"),
            (2, "I0003"),
            (1, "I0004"),
            (2, "I0005"),
            (0, "I0006"),
            (0, "I0007"),
        ] {
            f.item(rec, bc, "BOOK").await;
        }
        let ana = f.patron("Ana").await;
        let ben = f.patron("Ben").await;
        let desk = f.staff("desk", "circulation").await;
        let vol = f.staff("vic", "volunteer").await;
        for bc in ["I0001"] {
            f.lib.checkout(&desk, &ana, bc, &[]).await.unwrap();
        }
        for bc in ["I0002", "I0003", "I0004", "I0007"] {
            f.lib.checkout(&desk, &ben, bc, &[]).await.unwrap();
        }
        // Due 21 Dec end of day; 25 Dec 09:00 is 4 days overdue.
        f.clock.advance(Duration::days(25));

        // --- mark lost: input, permissions ---
        let e = f
            .lib
            .mark_loan(&desk, "I0001", MarkKind::Lost, "  ")
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("reason"), "{e}");
        let e = f
            .lib
            .mark_loan(&vol, "I0001", MarkKind::Lost, "gone")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = f
            .lib
            .mark_loan(&desk, "I0006", MarkKind::Lost, "gone")
            .await
            .unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["not-on-loan"]);

        let lost = f
            .lib
            .mark_loan(&desk, "I0001", MarkKind::Lost, "Patron reports it lost")
            .await
            .unwrap();
        assert_eq!(lost.item_status, "lost");
        assert_eq!(lost.mark.kind, "lost");
        assert_eq!(
            lost.mark.replacement_minor, 40_000,
            "no price: the rule's default"
        );
        assert_eq!(lost.mark.processing_minor, 5_000);
        assert_eq!(
            lost.mark.fine_minor, 4_000,
            "4 days at 10.00, then fines stop"
        );
        assert_eq!(lost.amount_minor, 49_000);
        assert_eq!(lost.balance_minor, 49_000);
        assert_eq!(
            f.item_status(0).await,
            vec!["lost", "available", "checked-out"]
        );
        // Already lost: refused, nothing charged twice.
        let e = f
            .lib
            .mark_loan(&desk, "I0001", MarkKind::Lost, "again")
            .await
            .unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["item-not-available"]);
        assert_eq!(f.lib.patron_balance(&desk, &ana).await.unwrap(), 49_000);
        // The loan stays on the patron's list, shown as lost.
        let loans = f.lib.patron_loans(&desk, &ana).await.unwrap();
        assert_eq!(loans.current.len(), 1);
        assert_eq!(loans.current[0].item_status, "lost");

        // --- claims returned: a fourth claim (over 3) blocks Ben; a reversal lifts it ---
        for bc in ["I0002", "I0003", "I0004", "I0007"] {
            let v = f
                .lib
                .mark_loan(
                    &desk,
                    bc,
                    MarkKind::ClaimsReturned,
                    "Says it went in the book drop",
                )
                .await
                .unwrap();
            assert_eq!(v.item_status, "claims-returned");
            assert_eq!(v.amount_minor, 0, "a claim charges nothing");
        }
        assert_eq!(f.lib.patron_balance(&desk, &ben).await.unwrap(), 0);
        let e = f.lib.checkout(&desk, &ben, "I0005", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["too-many-claims-returned"]);
        // Reversal needs override-circulation and a note.
        let e = f
            .lib
            .reverse_loan_mark(&desk, "I0002", "entered by mistake")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = f
            .lib
            .reverse_loan_mark(&sys, "I0002", "")
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("note"));
        let back = f
            .lib
            .reverse_loan_mark(&sys, "I0002", "entered by mistake")
            .await
            .unwrap();
        assert_eq!(back.item_status, "checked-out");
        assert_eq!(back.mark.cleared_how.as_deref(), Some("reversed"));
        f.lib.checkout(&desk, &ben, "I0005", &[]).await.unwrap();

        // --- lost item found: replacement refunded, no second fine ---
        f.clock.advance(Duration::days(10));
        let c = f.lib.checkin(&desk, "I0001", None).await.unwrap();
        assert_eq!(c.route, "reshelve");
        assert_eq!(c.resolution.resolved.as_deref(), Some("lost-found"));
        assert_eq!(c.resolution.lost_found.as_deref(), Some("refund"));
        assert_eq!(c.resolution.credit_minor, 40_000);
        assert_eq!(
            c.fine_minor, 0,
            "the fine was charged when it was marked lost"
        );
        assert_eq!(c.item_status, "reshelving");
        // Processing fee and the fine up to the loss remain.
        assert_eq!(f.lib.patron_balance(&desk, &ana).await.unwrap(), 9_000);
        let actions = audit_actions(&f, lost.loan.id).await;
        assert!(actions.contains(&"mark-lost".to_owned()), "{actions:?}");
        assert!(actions.contains(&"checkin".to_owned()), "{actions:?}");

        // --- claimed item found: the fine stops at the claim ---
        let c = f.lib.checkin(&desk, "I0003", None).await.unwrap();
        assert_eq!(
            c.resolution.resolved.as_deref(),
            Some("claims-returned-found")
        );
        assert_eq!(
            c.fine_minor, 4_000,
            "4 days to the claim, not 14 to the return"
        );
        assert_eq!(c.resolution.credit_minor, 0);

        // --- a claim becomes lost; the copy comes back for a waiting hold ---
        f.lib
            .set_rule(&sys, &RuleKey::default(), &policy(LostFound::WaiveUnpaid))
            .await
            .unwrap();
        let l = f
            .lib
            .mark_loan(&desk, "I0004", MarkKind::Lost, "Not found after a search")
            .await
            .unwrap();
        assert_eq!(l.mark.fine_minor, 4_000, "fine ends at the earlier claim");
        f.lib
            .place_hold(
                &sys,
                &HoldRequest {
                    patron: ana.clone(),
                    record_id: Some(f.records[1]),
                    pickup: Some("MAIN".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let before = f.lib.patron_balance(&desk, &ben).await.unwrap();
        let c = f.lib.checkin(&desk, "I0004", None).await.unwrap();
        assert_eq!(
            c.route, "hold-shelf",
            "found copies fill holds like any other"
        );
        assert!(c.hold.is_some());
        assert_eq!(c.resolution.resolved.as_deref(), Some("lost-found"));
        assert_eq!(c.resolution.lost_found.as_deref(), Some("waive-unpaid"));
        assert_eq!(
            c.resolution.credit_minor, 40_000,
            "nothing paid: all of it waived"
        );
        assert_eq!(
            f.lib.patron_balance(&desk, &ben).await.unwrap(),
            before - 40_000
        );

        // --- a lost mark reversed: every charge credited back ---
        let before = f.lib.patron_balance(&desk, &ben).await.unwrap();
        let l = f
            .lib
            .mark_loan(&desk, "I0002", MarkKind::Lost, "Reported lost")
            .await
            .unwrap();
        assert!(l.amount_minor > 45_000);
        let r = f
            .lib
            .reverse_loan_mark(&sys, "I0002", "Found at home")
            .await
            .unwrap();
        assert_eq!(r.amount_minor, l.amount_minor);
        assert_eq!(r.balance_minor, before);
        assert!(
            audit_actions(&f, l.loan.id)
                .await
                .contains(&"reverse-mark".to_owned())
        );
        // Nothing left to reverse.
        let e = f
            .lib
            .reverse_loan_mark(&sys, "I0002", "again")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn keep_lost_fee_when_found() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        f.lib
            .set_rule(&sys, &RuleKey::default(), &policy(LostFound::Keep))
            .await
            .unwrap();
        f.item(0, "K0001", "BOOK").await;
        let ana = f.patron("Ana").await;
        f.lib.checkout(&sys, &ana, "K0001", &[]).await.unwrap();
        f.lib
            .mark_loan(&sys, "K0001", MarkKind::Lost, "lost on the bus")
            .await
            .unwrap();
        let c = f.lib.checkin(&sys, "K0001", None).await.unwrap();
        assert_eq!(c.resolution.lost_found.as_deref(), Some("keep"));
        assert_eq!(c.resolution.credit_minor, 0);
        assert_eq!(f.lib.patron_balance(&sys, &ana).await.unwrap(), 45_000);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn reading_history_opt_out_and_privacy_sweep() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        for i in 0..30 {
            f.item(i % 3, &format!("H{i:04}"), "BOOK").await;
        }
        let ana = f.patron("Ana").await;
        let ben = f.patron("Ben").await;
        let ana_id = f.lib.patron_loans(&sys, &ana).await.unwrap().patron.id;
        let me = Ctx::patron(
            PatronIdentity {
                patron_id: ana_id,
                barcode: ana.clone(),
                display_name: "Ana Reyes".into(),
                locale: None,
            },
            None,
        );
        // Ana opts in from /my; Ben does not.
        assert_eq!(
            f.lib.set_my_keep_history(&me, true, false).await.unwrap(),
            0
        );
        for i in 0..27 {
            f.lib
                .checkout(&sys, &ana, &format!("H{i:04}"), &[])
                .await
                .unwrap();
            f.clock.advance(Duration::hours(1));
            f.lib
                .checkin(&sys, &format!("H{i:04}"), None)
                .await
                .unwrap();
        }
        let h = f.lib.my_reading_history(&me, 1).await.unwrap();
        assert!(h.keep_history);
        assert_eq!(h.total, 27);
        assert_eq!(h.pages, 2);
        assert_eq!(h.rows.len(), 25);
        assert_eq!(h.rows[0].item_barcode, "H0026", "newest first");
        let h2 = f.lib.my_reading_history(&me, 2).await.unwrap();
        assert_eq!(h2.rows.len(), 2);
        assert_eq!(h2.rows[1].item_barcode, "H0000");
        // Staff need `circulate` (patron privacy): cataloguers may view
        // patrons but not what they read.
        let cat = f.staff("cat", "cataloger").await;
        assert_eq!(
            f.lib
                .patron_reading_history(&cat, &ana, 1)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        let desk = f.staff("desk", "circulation").await;
        assert_eq!(
            f.lib
                .patron_reading_history(&desk, &ana, 1)
                .await
                .unwrap()
                .total,
            27
        );
        // By id (the staff page), paged the same way.
        let (p, h) = f
            .lib
            .patron_reading_history_by_id(&desk, ana_id, 2)
            .await
            .unwrap();
        assert_eq!(p.barcode, ana);
        assert_eq!((h.page, h.pages, h.rows.len()), (2, 2, 2));
        assert_eq!(
            f.lib
                .patron_reading_history_by_id(&cat, ana_id, 1)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        // Staff cannot use the patron's own entry points.
        assert_eq!(
            f.lib.my_reading_history(&desk, 1).await.unwrap_err().code,
            ErrorCode::Unauthenticated
        );

        // Opting out needs the confirmation, then erases the history.
        let e = f
            .lib
            .set_my_keep_history(&me, false, false)
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("confirm"));
        assert_eq!(f.lib.my_reading_history(&me, 1).await.unwrap().total, 27);
        assert_eq!(
            f.lib.set_my_keep_history(&me, false, true).await.unwrap(),
            27
        );
        let h = f.lib.my_reading_history(&me, 1).await.unwrap();
        assert!(!h.keep_history);
        assert_eq!(h.total, 0);

        // The sweep: a settled loan older than the threshold is anonymised;
        // a recent one waits (--older-than), then goes with the retention
        // setting (0 days by default).
        let ben_id = f.lib.patron_loans(&sys, &ben).await.unwrap().patron.id;
        let ben_me = Ctx::patron(
            PatronIdentity {
                patron_id: ben_id,
                barcode: ben.clone(),
                display_name: "Ben Reyes".into(),
                locale: None,
            },
            None,
        );
        // Returned while Ben kept a history, then the library changed his
        // record back (staff edit): still attributed.
        f.lib
            .set_my_keep_history(&ben_me, true, false)
            .await
            .unwrap();
        f.lib.checkout(&sys, &ben, "H0027", &[]).await.unwrap();
        f.lib.checkin(&sys, "H0027", None).await.unwrap();
        f.clock.advance(Duration::days(10));
        f.lib.checkout(&sys, &ben, "H0028", &[]).await.unwrap();
        f.lib.checkin(&sys, "H0028", None).await.unwrap();
        assert_eq!(
            f.lib
                .anonymise_attributed_loans(&desk, Some(5))
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        let mut w = f.lib.store().begin().await.unwrap();
        w.set_keep_history(ben_id, false, f.lib.now())
            .await
            .unwrap();
        w.commit().await.unwrap();
        // Staff see a history only while the patron keeps one: not these
        // two loans, though they are still linked until the sweep.
        let h = f.lib.patron_reading_history(&desk, &ben, 1).await.unwrap();
        assert!(!h.keep_history);
        assert_eq!((h.total, h.rows.len()), (0, 0));
        assert_eq!(
            f.lib
                .patron_reading_history_by_id(&desk, ben_id, 1)
                .await
                .unwrap()
                .1
                .total,
            0
        );
        assert_eq!(
            f.lib
                .anonymise_attributed_loans(&sys, Some(5))
                .await
                .unwrap(),
            1
        );
        // (What is still linked, read from the store: staff no longer see it.)
        let linked = |f: &Fixture| {
            let lib = f.lib.clone();
            async move {
                let mut r = lib.store().read().await.unwrap();
                r.attributed_loans_of(ben_id).await.unwrap()
            }
        };
        let left = linked(&f).await;
        assert_eq!(left.len(), 1);
        assert!(
            left[0].returned_at > f.lib.now() - Duration::days(5),
            "the recent loan (H0028) waits"
        );
        assert_eq!(
            f.lib.anonymise_attributed_loans(&sys, None).await.unwrap(),
            1
        );
        assert!(linked(&f).await.is_empty());
        // Idempotent.
        assert_eq!(
            f.lib.anonymise_attributed_loans(&sys, None).await.unwrap(),
            0
        );
        db.cleanup().await;
    }
}
