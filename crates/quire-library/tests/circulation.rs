#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Circulation on every backend: checkout (due dates from the rules and
//! the branch calendar, refusals, overrides, permissions), checkin (loan
//! closed, routing, overdue fines into the ledger), renewal, and 100
//! concurrent checkouts of one item.

use chrono::{Duration, TimeZone, Utc};
use quire_domain::circ::policy::{LoanPeriod, Policy, RuleKey};
use quire_domain::org::parse_day;
use quire_library::model::AuditFilter;
use quire_library::{Ctx, ErrorCode};
use quire_store::testing::{TestDb, backends};

mod common;
use common::*;

#[tokio::test]
async fn checkout_uses_rule_and_calendar_and_refuses_what_the_rules_refuse() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        // MAIN is closed on Mondays: 21 days from Monday 30 Nov is Monday
        // 21 Dec, moved to Tuesday 22 Dec, end of day (UTC branch).
        let main = f
            .lib
            .branches(&sys)
            .await
            .unwrap()
            .into_iter()
            .find(|b| b.code == "MAIN")
            .unwrap()
            .id;
        let hours = (1..=6)
            .map(|d| parse_day(d, "09:00", "18:00").unwrap().unwrap())
            .collect();
        f.lib.set_opening_hours(&sys, main, hours).await.unwrap();
        f.item(0, "I0001", "BOOK").await;
        f.item(1, "I0002", "BOOK").await;
        f.item(2, "I0003", "REF").await;
        let ana = f.patron("Ana").await;
        let ben = f.patron("Ben").await;
        let desk = f.staff("desk", "circulation").await;

        let loan = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        assert_eq!(
            loan.loan.due_at,
            Utc.with_ymd_and_hms(2026, 12, 22, 23, 59, 59).unwrap()
        );
        assert!(
            loan.due_explanation
                .iter()
                .any(|s| s == "moved-to-open-day"),
            "{:?}",
            loan.due_explanation
        );
        assert_eq!(loan.item_status, "checked-out");
        assert_eq!(loan.renewals_left, Some(2));
        assert_eq!(f.item_status(0).await, vec!["checked-out"]);

        // The same item again: to someone else, or to the same patron.
        let e = f.lib.checkout(&desk, &ben, "I0001", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["item-on-loan-to-other"]);
        let e = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["item-on-loan-to-patron"]);
        // Reference items do not circulate (default rule).
        let e = f.lib.checkout(&desk, &ben, "I0003", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["item-not-circulating"]);
        // Unknown barcodes.
        assert_eq!(
            f.lib
                .checkout(&desk, &ben, "NOPE", &[])
                .await
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );

        // Volunteers cannot lend.
        let vol = f.staff("vic", "volunteer").await;
        assert_eq!(
            f.lib
                .checkout(&vol, &ben, "I0002", &[])
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );

        // Loan limit 1: Ana's second loan is refused; the desk may not
        // override, an administrator may, and the override is audited.
        f.lib
            .set_rule(
                &sys,
                &RuleKey::default(),
                &Policy {
                    max_loans_total: Some(1),
                    ..Policy::book_default()
                },
            )
            .await
            .unwrap();
        let e = f.lib.checkout(&desk, &ana, "I0002", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["max-loans-reached"]);
        assert!(e.refusals[0].overridable);
        let over = vec!["max-loans-reached".to_owned()];
        assert_eq!(
            f.lib
                .checkout(&desk, &ana, "I0002", &over)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        assert_eq!(
            f.lib
                .checkout(&sys, &ana, "I0002", &["no-such-code".to_owned()])
                .await
                .unwrap_err()
                .fields[0]
                .field,
            "override"
        );
        let boss = f.staff("boss", "admin").await;
        let l2 = f.lib.checkout(&boss, &ana, "I0002", &over).await.unwrap();
        assert_eq!(l2.overridden, over);
        let audit = f
            .lib
            .audit_log(
                &sys,
                &AuditFilter {
                    entity: Some("loan".into()),
                    entity_id: Some(l2.loan.id.to_string()),
                    actor_user_id: None,
                    before_id: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "checkout");
        assert_eq!(audit[0].actor_label, "boss");
        let after = audit[0].after_json.as_deref().unwrap_or_default();
        assert!(after.contains("max-loans-reached"), "{after}");

        let loans = f.lib.patron_loans(&desk, &ana).await.unwrap();
        assert_eq!(loans.current.len(), 2);
        assert_eq!(loans.balance_minor, 0);

        // Overriding "on loan to someone else" ends that loan first.
        let moved = f
            .lib
            .checkout(&boss, &ben, "I0001", &["item-on-loan-to-other".to_owned()])
            .await
            .unwrap();
        assert_eq!(moved.patron_barcode.as_deref(), Some(ben.as_str()));
        let loans = f.lib.patron_loans(&desk, &ana).await.unwrap();
        assert_eq!(loans.current.len(), 1);
        assert_eq!(loans.history.len(), 2);
        assert!(loans.history.iter().any(|l| l.returned_at.is_some()));
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn expired_card_is_refused_unless_overridden() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(0, "I0001", "BOOK").await;
        let ana = f.patron("Ana").await;
        // Cards last three years.
        f.clock.advance(Duration::days(4 * 365));
        let desk = f.staff("desk", "circulation").await;
        let e = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["patron-expired"]);
        let l = f
            .lib
            .checkout(
                &Ctx::system("test"),
                &ana,
                "I0001",
                &["patron-expired".to_owned()],
            )
            .await
            .unwrap();
        assert_eq!(l.overridden, vec!["patron-expired"]);
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn checkin_closes_routes_and_charges_overdue_fines() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(0, "I0001", "BOOK").await;
        f.item(1, "I0002", "DVD").await;
        let ana = f.patron("Ana").await;
        let desk = f.staff("desk", "circulation").await;

        // Not on loan: still routed, nothing closed.
        let c = f.lib.checkin(&desk, "I0001", None).await.unwrap();
        assert!(!c.was_on_loan);
        assert_eq!(c.route, "reshelve");

        // On time, at home: reshelving.
        f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        f.clock.advance(Duration::days(3));
        let c = f.lib.checkin(&desk, "I0001", None).await.unwrap();
        assert!(c.was_on_loan);
        assert_eq!((c.route.as_str(), c.fine_minor), ("reshelve", 0));
        assert_eq!(c.item_status, "reshelving");
        assert_eq!(f.item_status(0).await, vec!["reshelving"]);
        let loan = c.loan.unwrap();
        assert!(loan.returned_at.is_some());
        assert_eq!(c.patron_barcode.as_deref(), Some(ana.as_str()));

        // Returned at another branch: in transit home.
        f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        let c = f.lib.checkin(&desk, "I0001", Some("east")).await.unwrap();
        assert_eq!(c.route, "transit");
        assert_eq!(c.transit_to.as_deref(), Some("MAIN"));
        assert_eq!(c.item_status, "in-transit");
        assert_eq!(
            f.lib
                .checkin(&desk, "I0001", Some("NOPE"))
                .await
                .unwrap_err()
                .fields[0]
                .field,
            "branch"
        );

        // A DVD (7 days, 20.00 a day, 1 day of grace forgiven) returned
        // 4 days late: 3 days charged = 60.00, into the ledger.
        let now = f.lib.now();
        let l = f.lib.checkout(&desk, &ana, "I0002", &[]).await.unwrap();
        let due = l.loan.due_at;
        assert!(due > now + Duration::days(6) && due <= now + Duration::days(8));
        f.clock
            .advance(due - f.lib.now() + Duration::days(3) + Duration::hours(12));
        let c = f.lib.checkin(&desk, "I0002", None).await.unwrap();
        assert_eq!(c.fine_minor, 6_000, "{:?}", c.fine_explanation);
        assert!(c.fine_explanation.iter().any(|s| s == "grace-forgiven"));
        assert_eq!(c.loan.unwrap().fine_minor, 6_000);
        let loans = f.lib.patron_loans(&desk, &ana).await.unwrap();
        assert_eq!(loans.balance_minor, 6_000);
        assert!(loans.current.is_empty());
        // Privacy: the two settled returns were anonymised at checkin; the
        // one with a fine owed keeps its patron link.
        assert_eq!(loans.history.len(), 1);
        // The ledger is append-only.
        let store = f.lib.store();
        let mut tx = store.begin().await.unwrap();
        let fees = tx.fees_of_patron(loans.patron.id).await.unwrap();
        assert_eq!(fees.len(), 1);
        assert_eq!(fees[0].kind, "overdue");
        drop(tx);
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn renew_extends_and_counts() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(0, "I0001", "BOOK").await;
        f.item(1, "I0002", "BOOK").await;
        let ana = f.patron("Ana").await;
        let desk = f.staff("desk", "circulation").await;
        let l = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        f.clock.advance(Duration::days(10));
        let r1 = f.lib.renew(&desk, "I0001").await.unwrap();
        assert!(r1.loan.due_at > l.loan.due_at);
        assert_eq!((r1.loan.renewals, r1.renewals_left), (1, Some(1)));
        f.clock.advance(Duration::days(1));
        let r2 = f.lib.renew(&desk, "I0001").await.unwrap();
        assert!(r2.loan.due_at > r1.loan.due_at);
        assert_eq!((r2.loan.renewals, r2.renewals_left), (2, Some(0)));
        f.clock.advance(Duration::days(1));
        let e = f.lib.renew(&desk, "I0001").await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["renewal-limit-reached"]);
        let e = f.lib.renew(&desk, "I0002").await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["not-on-loan"]);
        // Setting the rule of an existing key replaces it.
        f.lib
            .set_rule(
                &Ctx::system("test"),
                &RuleKey::default(),
                &Policy {
                    loan_period: LoanPeriod::Days(14),
                    ..Policy::book_default()
                },
            )
            .await
            .unwrap();
        assert_eq!(f.lib.rules(&Ctx::system("test")).await.unwrap().len(), 3);
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_checkouts_of_one_item_make_one_loan() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(0, "HOT1", "BOOK").await;
        let mut patrons = Vec::new();
        for i in 0..100 {
            patrons.push(f.patron(&format!("P{i}")).await);
        }
        let desk = f.staff("desk", "circulation").await;
        let mut tasks = Vec::new();
        for p in patrons {
            let lib = f.lib.clone();
            let ctx = desk.clone();
            tasks.push(tokio::spawn(async move {
                lib.checkout(&ctx, &p, "HOT1", &[]).await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => {
                    assert_eq!(e.code, ErrorCode::Refused, "{b:?}: {e}");
                    assert_eq!(e.refusal_codes(), vec!["item-on-loan-to-other"]);
                }
            }
        }
        assert_eq!(ok, 1, "{b:?}");
        let store = f.lib.store();
        let mut tx = store.read().await.unwrap();
        assert_eq!(tx.count("loans").await.unwrap(), 1);
        drop(tx);
        assert_eq!(f.item_status(0).await, vec!["checked-out"]);
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn override_reason_is_required_and_audited() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(0, "I0001", "BOOK").await;
        let ana = f.patron("Ana").await;
        f.clock.advance(Duration::days(4 * 365));
        let boss = f.staff("boss", "admin").await;
        let over = vec!["patron-expired".to_owned()];
        // The desk form always sends a reason field: empty is refused.
        let e = f
            .lib
            .checkout_with_reason(&boss, &ana, "I0001", &over, Some("  "))
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "override_reason");
        assert_eq!(e.fields[0].code, "required");
        let l = f
            .lib
            .checkout_with_reason(&boss, &ana, "I0001", &over, Some("renewal form signed"))
            .await
            .unwrap();
        assert_eq!(l.overridden, over);
        let audit = f
            .lib
            .audit_log(
                &Ctx::system("test"),
                &AuditFilter {
                    entity: Some("loan".into()),
                    entity_id: Some(l.loan.id.to_string()),
                    actor_user_id: None,
                    before_id: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        let after = audit[0].after_json.as_deref().unwrap_or_default();
        assert!(
            after.contains("\"override_reason\":\"renewal form signed\""),
            "{after}"
        );
        f.lib.close().await;
        db.cleanup().await;
    }
}
