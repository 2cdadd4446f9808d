#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The overdue escalation sweep through the real binary, on every backend:
//! `quire circ escalate-overdue` declares a loan lost and another long
//! overdue and prints the summary (a second run does nothing), the server's
//! periodic sweep (`QUIRE_OVERDUE_SWEEP_SECS`) escalates a third, and the
//! desk's loans list shows both states.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use quire_domain::circ::policy::Policy;
use quire_library::Ctx;
use quire_store::testing::backends;

#[tokio::test]
async fn escalate_overdue_from_the_cli_and_the_server() {
    for b in backends() {
        let mut s = Server::prepare(b).await;
        s.start("demo");
        s.terminate();
        let demo = s.demo_json();
        let card = |i: usize| demo["patrons"][i]["barcode"].as_str().unwrap().to_owned();
        let items: Vec<String> = demo["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["status"] == "available")
            .map(|i| i["barcode"].as_str().unwrap().to_owned())
            .take(3)
            .collect();
        let sys = Ctx::system("test");

        // Every rule: long overdue after 10 days, lost after 30.
        let (lib, _) = s.library_at(Utc::now() - chrono::Duration::days(60)).await;
        for (key, policy) in quire_library::circulation::default_rules() {
            lib.set_rule(
                &sys,
                &key,
                &Policy {
                    long_overdue_after_days: Some(10),
                    lost_after_days: Some(30),
                    ..policy
                },
            )
            .await
            .unwrap();
        }
        // Borrowed 60 days ago (more than 30 days overdue) ...
        let lost = lib.checkout(&sys, &card(0), &items[0], &[]).await.unwrap();
        lib.close().await;
        // ... and 35 days ago (between 10 and 30 days overdue), twice.
        let (lib, _) = s.library_at(Utc::now() - chrono::Duration::days(35)).await;
        let late = lib.checkout(&sys, &card(1), &items[1], &[]).await.unwrap();
        lib.close().await;
        let days = |due: chrono::DateTime<Utc>| (Utc::now() - due).num_days();
        assert!(days(lost.loan.due_at) >= 30, "{:?}", lost.loan.due_at);
        assert!((10..30).contains(&days(late.loan.due_at)));

        let (ok, out, err) = s.cli(&["circ", "escalate-overdue"]);
        assert!(ok, "{out}{err}");
        let re =
            regex_lite::Regex::new(r"^Long overdue: 1, declared lost: 1, billed: (\d+)\.(\d\d)\n$")
                .unwrap();
        let c = re.captures(&out).unwrap_or_else(|| panic!("{out}"));
        let billed: i64 = c[1].parse::<i64>().unwrap() * 100 + c[2].parse::<i64>().unwrap();
        // Running it again does nothing more.
        let (ok, out, err) = s.cli(&["circ", "escalate-overdue"]);
        assert!(ok, "{out}{err}");
        assert_eq!(out, "Long overdue: 0, declared lost: 0, billed: 0.00\n");

        // What was billed is on the patron's account, as a lost mark.
        let (lib, _) = s.library_at(Utc::now()).await;
        assert!(billed > 0);
        assert_eq!(lib.patron_balance(&sys, &card(0)).await.unwrap(), billed);
        assert_eq!(lib.patron_balance(&sys, &card(1)).await.unwrap(), 0);
        // A third loan for the server's sweep.
        lib.close().await;
        let (lib, _) = s.library_at(Utc::now() - chrono::Duration::days(35)).await;
        lib.checkout(&sys, &card(2), &items[2], &[]).await.unwrap();
        lib.close().await;

        s.env = vec![("QUIRE_OVERDUE_SWEEP_SECS".into(), "1".into())];
        s.start("serve");
        let desk = login(&s, "circulation", "check-it-out-now").await;
        let loans = |i: usize| format!("/staff/circ/checkout?patron={}", card(i));
        let (st, page) = get(&desk, &s.url(&loans(0))).await;
        assert_eq!(st, 200);
        assert!(
            page.contains(r#"<span class="tag warn">Lost</span>"#),
            "{page}"
        );
        let (_, page) = get(&desk, &s.url(&loans(1))).await;
        assert!(
            page.contains(r#"<span class="tag warn">Long overdue</span>"#),
            "{page}"
        );
        // No renew button on a long-overdue loan (it would be refused).
        assert!(!page.contains(r#"aria-label="Renew "#), "{page}");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (_, page) = get(&desk, &s.url(&loans(2))).await;
            if page.contains(r#"<span class="tag warn">Long overdue</span>"#) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the server's sweep did not escalate the loan within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        s.finish().await;
    }
}
