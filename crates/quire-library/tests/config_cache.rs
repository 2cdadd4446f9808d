#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The circulation configuration is cached between transactions: an edit
//! of the rules, the calendar, the branches or the sort bins takes effect
//! on the very next transaction — also when another `Library` (another
//! process) on the same database made it — on every backend.

use chrono::NaiveDate;
use quire_domain::circ::policy::{LoanPeriod, Policy, RuleKey};
use quire_domain::org::BranchForm;
use quire_library::policy_admin::ClosedDaysForm;
use quire_library::{Ctx, Library, Settings};
use quire_store::testing::{TestDb, backends};

mod common;
use common::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn days(n: u32) -> Policy {
    Policy {
        loan_period: LoanPeriod::Days(n),
        ..Policy::book_default()
    }
}

#[tokio::test]
async fn rule_and_calendar_edits_apply_to_the_next_checkout() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        f.item(0, "I0001", "BOOK").await;
        let ana = f.patron("Ana").await;
        let desk = f.staff("desk", "circulation").await;
        let due = |l: &quire_library::circulation::LoanView| l.loan.due_at.date_naive();

        // Warm the cache: the default rule lends for 21 days (from Monday 30 Nov).
        let l = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        assert_eq!(due(&l), day(2026, 12, 21), "{b:?}");
        f.lib.checkin(&desk, "I0001", None).await.unwrap();

        // An administrator shortens the default rule: the next checkout uses it.
        f.lib
            .set_rule(&sys, &RuleKey::default(), &days(7))
            .await
            .unwrap();
        let l = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        assert_eq!(due(&l), day(2026, 12, 7), "{b:?}");
        f.lib.checkin(&desk, "I0001", None).await.unwrap();

        // Closing MAIN on the due day moves the next due date.
        let main = f
            .lib
            .branches(&sys)
            .await
            .unwrap()
            .into_iter()
            .find(|b| b.code == "MAIN")
            .unwrap()
            .id;
        f.lib
            .add_closed_days(
                &sys,
                main,
                &ClosedDaysForm {
                    from: "2026-12-07".into(),
                    to: String::new(),
                    reason: "holiday".into(),
                },
            )
            .await
            .unwrap();
        let l = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        assert_eq!(due(&l), day(2026, 12, 8), "{b:?}");
        f.lib.checkin(&desk, "I0001", None).await.unwrap();
        // ... and re-opening it moves it back.
        f.lib
            .remove_closed_day(&sys, main, "2026-12-07")
            .await
            .unwrap();
        let l = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        assert_eq!(due(&l), day(2026, 12, 7), "{b:?}");
        f.lib.checkin(&desk, "I0001", None).await.unwrap();

        // Another process on the same database edits the rule: this
        // library's next checkout sees it.
        let other = Library::new(db.open().await, f.clock.clone(), Settings::default())
            .await
            .unwrap();
        other
            .set_rule(&sys, &RuleKey::default(), &days(14))
            .await
            .unwrap();
        let l = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        assert_eq!(due(&l), day(2026, 12, 14), "{b:?}");
        // Renewal reads the same configuration: 14 days from now.
        f.clock.advance(chrono::Duration::days(3));
        let r = f.lib.renew(&desk, "I0001").await.unwrap();
        assert_eq!(due(&r), day(2026, 12, 17), "{b:?}");
        // Deleting every rule leaves nothing matching: the next checkout is
        // refused, not served from the cached rules.
        f.lib.checkin(&desk, "I0001", None).await.unwrap();
        let rules = f.lib.rules(&sys).await.unwrap();
        for r in &rules {
            f.lib.delete_rule(&sys, r.id).await.unwrap();
        }
        let e = f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["no-circulation-rule"], "{b:?}");
    }
}

#[tokio::test]
async fn sort_bins_and_new_branches_apply_to_the_next_checkin() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        f.item(0, "I0001", "BOOK").await;
        let ana = f.patron("Ana").await;
        let desk = f.staff("desk", "circulation").await;

        f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        let v = f.lib.checkin(&desk, "I0001", Some("MAIN")).await.unwrap();
        assert_eq!(v.route, "reshelve");
        assert_eq!(v.device.sort_bin, None, "{b:?}: no rules yet");
        assert_eq!(v.device.title, "Circulation test title 0");
        assert_eq!(v.device.home_branch, "MAIN");
        assert_eq!(v.device.item_type, "BOOK");

        let bin = f
            .lib
            .add_sort_bin(&sys, "MAIN", "", "", "reshelve", "A1")
            .await
            .unwrap();
        f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        let v = f.lib.checkin(&desk, "I0001", Some("MAIN")).await.unwrap();
        assert_eq!(v.device.sort_bin.as_deref(), Some("A1"), "{b:?}");

        f.lib.delete_sort_bin(&sys, bin.id).await.unwrap();
        f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        let v = f.lib.checkin(&desk, "I0001", Some("MAIN")).await.unwrap();
        assert_eq!(v.device.sort_bin, None, "{b:?}");

        // A branch created after the cache was filled can take returns
        // (and sends the item home).
        f.lib
            .create_branch(
                &sys,
                &BranchForm {
                    code: "WEST".into(),
                    name: "WEST branch".into(),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap();
        f.lib.checkout(&desk, &ana, "I0001", &[]).await.unwrap();
        let v = f.lib.checkin(&desk, "I0001", Some("WEST")).await.unwrap();
        assert_eq!(v.route, "transit", "{b:?}");
        assert_eq!(v.transit_to.as_deref(), Some("MAIN"));
    }
}
