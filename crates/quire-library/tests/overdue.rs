#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The overdue escalation sweep on every backend: long overdue, then lost
//! with the same charges and mark as a desk-marked loss (fine over the
//! calendar), idempotent, claims-returned loans untouched, permissions and
//! audit, and the checkin of a long-overdue or swept-lost item.

use chrono::Duration;
use quire_domain::circ::policy::{LostFound, Policy, RuleKey};
use quire_library::loss::MarkKind;
use quire_library::model::AuditFilter;
use quire_library::overdue::EscalationSummary;
use quire_library::policy_admin::ClosedDaysForm;
use quire_library::{Ctx, ErrorCode};
use quire_store::testing::{TestDb, backends};

mod common;
use common::*;

/// 10.00 a day, long overdue after 10 days, lost after 30; lost items cost
/// 400.00 + 50.00 processing.
fn policy() -> Policy {
    Policy {
        fine_per_interval: 1_000,
        lost_replacement_fee: 40_000,
        lost_processing_fee: 5_000,
        lost_found: LostFound::Refund,
        long_overdue_after_days: Some(10),
        lost_after_days: Some(30),
        ..Policy::book_default()
    }
}

async fn audit_actions(f: &Fixture, loan_id: i64) -> Vec<(String, String)> {
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
        .map(|a| (a.action, a.actor_label))
        .collect()
}

#[tokio::test]
async fn long_overdue_then_lost_then_found() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        let sweep = Ctx::system("overdue-sweep");
        f.lib
            .set_rule(&sys, &RuleKey::default(), &policy())
            .await
            .unwrap();
        let main = f
            .lib
            .branches(&sys)
            .await
            .unwrap()
            .into_iter()
            .find(|b| b.code == "MAIN")
            .unwrap()
            .id;
        // Two closed days after the due date: no fine for them.
        f.lib
            .add_closed_days(
                &sys,
                main,
                &ClosedDaysForm {
                    from: "2026-12-24".into(),
                    to: "2026-12-25".into(),
                    reason: "Christmas".into(),
                },
            )
            .await
            .unwrap();
        for (rec, bc) in [(0, "A0001"), (1, "A0002"), (2, "B0001"), (0, "B0002")] {
            f.item(rec, bc, "BOOK").await;
        }
        let ana = f.patron("Ana").await;
        let ben = f.patron("Ben").await;
        let desk = f.staff("desk", "circulation").await;
        let a1 = f.lib.checkout(&desk, &ana, "A0001", &[]).await.unwrap();
        f.lib.checkout(&desk, &ana, "A0002", &[]).await.unwrap();
        f.lib.checkout(&desk, &ben, "B0001", &[]).await.unwrap();
        f.lib.checkout(&desk, &ben, "B0002", &[]).await.unwrap();
        let due = a1.loan.due_at;

        // Staff without manage-policies cannot run it.
        let e = f.lib.escalate_overdue(&desk).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);

        // Not yet due, then 5 days overdue: nothing to do.
        assert_eq!(
            f.lib.escalate_overdue(&sweep).await.unwrap(),
            EscalationSummary::default()
        );
        f.clock.advance(due + Duration::days(5) - f.lib.now());
        assert_eq!(
            f.lib.escalate_overdue(&sweep).await.unwrap(),
            EscalationSummary::default()
        );
        // Ben says B0001 went back: a claim is never escalated.
        f.lib
            .mark_loan(&desk, "B0001", MarkKind::ClaimsReturned, "book drop")
            .await
            .unwrap();

        // 11 days overdue: the three other loans become long overdue.
        f.clock.advance(due + Duration::days(11) - f.lib.now());
        let s = f.lib.escalate_overdue(&sweep).await.unwrap();
        assert_eq!(
            s,
            EscalationSummary {
                long_overdue: 3,
                lost: 0,
                billed_minor: 0
            }
        );
        // Idempotent.
        assert_eq!(
            f.lib.escalate_overdue(&sweep).await.unwrap(),
            EscalationSummary::default()
        );
        assert_eq!(f.lib.patron_balance(&desk, &ana).await.unwrap(), 0);
        let loans = f.lib.patron_loans(&desk, &ana).await.unwrap();
        let statuses: Vec<_> = loans
            .current
            .iter()
            .map(|l| l.item_status.as_str())
            .collect();
        assert_eq!(statuses, vec!["long-overdue", "long-overdue"]);
        let loans = f.lib.patron_loans(&desk, &ben).await.unwrap();
        let mut statuses: Vec<_> = loans
            .current
            .iter()
            .map(|l| (l.item_barcode.as_str(), l.item_status.as_str()))
            .collect();
        statuses.sort();
        assert_eq!(
            statuses,
            vec![("B0001", "claims-returned"), ("B0002", "long-overdue")]
        );
        assert!(
            audit_actions(&f, a1.loan.id)
                .await
                .contains(&("mark-long-overdue".into(), "system:overdue-sweep".into()))
        );
        // A long-overdue loan cannot be renewed.
        let e = f.lib.renew(&desk, "A0001").await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["item-not-renewable"]);

        // A long-overdue item comes back: the fine up to the return (11
        // days less the 2 closed days), no lost charges.
        let c = f.lib.checkin(&desk, "A0002", None).await.unwrap();
        assert_eq!(c.fine_minor, 9_000, "{:?}", c.fine_explanation);
        assert_eq!(c.resolution.resolved.as_deref(), Some("lost-found"));
        assert_eq!(c.resolution.credit_minor, 0);
        assert_eq!(c.item_status, "reshelving");
        assert_eq!(f.lib.patron_balance(&desk, &ana).await.unwrap(), 9_000);

        // 31 days and 2 hours overdue: the long-overdue loans are declared
        // lost, billed as a desk-marked loss (fine for the 32 started days
        // less the 2 closed ones, replacement, processing).
        f.clock
            .advance(due + Duration::days(31) + Duration::hours(2) - f.lib.now());
        let s = f.lib.escalate_overdue(&sweep).await.unwrap();
        assert_eq!(s.long_overdue, 0);
        assert_eq!(s.lost, 2);
        assert_eq!(s.billed_minor, 2 * (30_000 + 40_000 + 5_000));
        assert_eq!(
            f.lib.escalate_overdue(&sweep).await.unwrap(),
            EscalationSummary::default(),
            "running it twice bills nothing more"
        );
        assert_eq!(
            f.lib.patron_balance(&desk, &ana).await.unwrap(),
            9_000 + 75_000
        );
        assert_eq!(f.lib.patron_balance(&desk, &ben).await.unwrap(), 75_000);
        let marks = f.lib.patron_loans(&desk, &ana).await.unwrap();
        assert_eq!(marks.current[0].item_status, "lost");
        let actions = audit_actions(&f, a1.loan.id).await;
        assert!(
            actions.contains(&("mark-lost".into(), "system:overdue-sweep".into())),
            "{actions:?}"
        );
        // Claims returned: still untouched, nothing billed.
        assert_eq!(
            f.lib
                .patron_loans(&desk, &ben)
                .await
                .unwrap()
                .current
                .iter()
                .find(|l| l.item_barcode == "B0001")
                .unwrap()
                .item_status,
            "claims-returned"
        );

        // Found: resolved exactly like a desk-marked loss (replacement
        // refunded, no second fine).
        let c = f.lib.checkin(&desk, "A0001", None).await.unwrap();
        assert_eq!(c.resolution.resolved.as_deref(), Some("lost-found"));
        assert_eq!(c.resolution.lost_found.as_deref(), Some("refund"));
        assert_eq!(c.resolution.credit_minor, 40_000);
        assert_eq!(c.fine_minor, 0);
        assert_eq!(
            f.lib.patron_balance(&desk, &ana).await.unwrap(),
            9_000 + 35_000
        );
        // Staff may also reverse a swept loss like any other.
        let r = f
            .lib
            .reverse_loan_mark(&sys, "B0002", "found on the shelf")
            .await
            .unwrap();
        assert_eq!(r.amount_minor, 75_000);
        assert_eq!(f.lib.patron_balance(&desk, &ben).await.unwrap(), 0);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn rules_without_thresholds_escalate_nothing() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        f.item(0, "N0001", "BOOK").await;
        let ana = f.patron("Ana").await;
        f.lib.checkout(&sys, &ana, "N0001", &[]).await.unwrap();
        f.clock.advance(Duration::days(400));
        assert_eq!(
            f.lib.escalate_overdue(&sys).await.unwrap(),
            EscalationSummary::default()
        );
        assert_eq!(f.item_status(0).await, vec!["checked-out"]);
        db.cleanup().await;
    }
}
