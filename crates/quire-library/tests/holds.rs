#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Holds and transits on every backend: queue order, capture at checkin,
//! transit then receive then waiting, checkout fulfils, other patrons
//! refused, renewals refused while someone waits, suspension skipped,
//! pickup changes, cancellation, the expiry sweep (next patron, back to
//! the shelf, not-needed-after), max holds, the pull list and permissions.

use chrono::{Duration, TimeZone, Utc};
use quire_domain::circ::policy::{LoanPeriod, Policy, RuleKey};
use quire_library::model::AuditFilter;
use quire_library::{Ctx, ErrorCode};
use quire_store::testing::{TestDb, backends};

mod common;
use common::*;

use quire_library::holds::{CancelBy, HoldRequest};

fn req(patron: &str, record: i64, pickup: &str) -> HoldRequest {
    HoldRequest {
        patron: patron.into(),
        record_id: Some(record),
        pickup: Some(pickup.into()),
        ..Default::default()
    }
}

async fn status_of(f: &Fixture, id: i64) -> String {
    f.lib.hold(&Ctx::system("t"), id).await.unwrap().hold.status
}

#[tokio::test]
async fn queue_capture_transit_receive_and_checkout_fulfils() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(0, "I1", "BOOK").await;
        let (ana, ben, cruz) = (
            f.patron("Ana").await,
            f.patron("Ben").await,
            f.patron("Cruz").await,
        );
        let desk = f.staff("desk", "circulation").await;
        let rec = f.records[0];
        f.lib.checkout(&desk, &ana, "I1", &[]).await.unwrap();

        let hb = f
            .lib
            .place_hold(&desk, &req(&ben, rec, "EAST"))
            .await
            .unwrap();
        f.clock.advance(Duration::minutes(5));
        let hc = f
            .lib
            .place_hold(&desk, &req(&cruz, rec, "main"))
            .await
            .unwrap();
        assert_eq!(hb.hold.status, "placed");
        assert_eq!(hb.level, "title");
        assert_eq!(hb.queue_position, Some(1));
        assert_eq!(hc.queue_position, Some(2));
        assert_eq!(hc.pickup_branch, "MAIN");
        let q: Vec<_> = f
            .lib
            .record_holds(&desk, rec)
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.patron_barcode)
            .collect();
        assert_eq!(q, vec![ben.clone(), cruz.clone()]);
        // A second hold on the same title is refused, not overridable.
        let e = f
            .lib
            .place_hold(&desk, &req(&ben, rec, "EAST"))
            .await
            .unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["hold-already-placed"]);
        // Bad input names its field.
        let e = f
            .lib
            .place_hold(
                &desk,
                &HoldRequest {
                    patron: ben.clone(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("record"));
        let e = f
            .lib
            .place_hold(&desk, &req(&ben, rec, "NOWHERE"))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("pickup"));

        // Three days later Ana cannot renew: Ben waits.
        f.clock.advance(Duration::days(3));
        let e = f.lib.renew(&desk, "I1").await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["renewal-blocked-by-hold"]);

        // Returned at MAIN: captured for Ben, sent to EAST.
        let ci = f.lib.checkin(&desk, "I1", Some("MAIN")).await.unwrap();
        assert_eq!(ci.route, "transit");
        assert_eq!(ci.transit_to.as_deref(), Some("EAST"));
        assert_eq!(ci.transit_reason.as_deref(), Some("hold"));
        assert!(ci.transit_id.is_some());
        assert_eq!(status_of(&f, hb.hold.id).await, "in-transit");
        assert_eq!(f.lib.transits(&desk, "MAIN", false).await.unwrap().len(), 1);
        let incoming = f.lib.transits(&desk, "EAST", true).await.unwrap();
        assert_eq!(incoming.len(), 1);
        assert_eq!(incoming[0].item_barcode, "I1");
        assert!(
            f.lib
                .transits(&desk, "EAST", false)
                .await
                .unwrap()
                .is_empty()
        );
        // Cruz cannot take it meanwhile.
        let e = f.lib.checkout(&desk, &cruz, "I1", &[]).await.unwrap_err();
        assert!(
            refusal_codes(&e).contains(&"item-on-hold-for-another"),
            "{e}"
        );

        // Received at EAST: waiting for Ben, 7 open days (open every day).
        let got = f.lib.receive_transit(&desk, "I1", None).await.unwrap();
        assert_eq!(got.route, "hold-shelf");
        assert_eq!(got.item_status, "on-hold-shelf");
        let slip = got.hold.unwrap();
        assert_eq!(slip.patron_barcode, ben);
        assert_eq!(slip.patron_name, "Ben Reyes");
        assert_eq!(slip.pickup_branch, "EAST");
        assert_eq!(
            slip.shelf_expires_at,
            Utc.with_ymd_and_hms(2026, 12, 10, 23, 59, 59).unwrap()
        );
        assert!(
            f.lib
                .transits(&desk, "EAST", true)
                .await
                .unwrap()
                .is_empty()
        );
        let shelf = f.lib.hold_shelf(&desk, "EAST").await.unwrap();
        assert_eq!(shelf.len(), 1);
        assert!(!shelf[0].shelf_expired);
        assert_eq!(shelf[0].captured_item_barcode.as_deref(), Some("I1"));
        // Receiving again: not in transit.
        assert_eq!(
            f.lib
                .receive_transit(&desk, "I1", None)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        // The hold-ready hook ran once, audited.
        let audit = f
            .lib
            .audit_log(
                &Ctx::system("t"),
                &AuditFilter {
                    entity: Some("hold".into()),
                    entity_id: Some(hb.hold.id.to_string()),
                    actor_user_id: None,
                    before_id: None,
                    limit: 50,
                },
            )
            .await
            .unwrap();
        let actions: Vec<_> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "hold-ready").count(), 1);
        assert!(actions.contains(&"place-hold") && actions.contains(&"capture-hold"));

        // Someone else: refused (overridable); Ben: fulfils his hold.
        let e = f.lib.checkout(&desk, &cruz, "I1", &[]).await.unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["item-on-hold-for-another"]);
        assert!(e.refusals[0].overridable);
        f.lib.checkout(&desk, &ben, "I1", &[]).await.unwrap();
        assert_eq!(status_of(&f, hb.hold.id).await, "fulfilled");
        assert!(f.lib.hold_shelf(&desk, "EAST").await.unwrap().is_empty());
        let q = f.lib.record_holds(&desk, rec).await.unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].queue_position, Some(1));
        assert_eq!(
            f.lib.patron_holds(&desk, &ben, false).await.unwrap().len(),
            0
        );
        assert_eq!(
            f.lib.patron_holds(&desk, &ben, true).await.unwrap().len(),
            1
        );
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn sweep_moves_uncollected_items_on_then_back_to_the_shelf() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(1, "I2", "BOOK").await;
        let (ana, ben, cruz) = (
            f.patron("Ana").await,
            f.patron("Ben").await,
            f.patron("Cruz").await,
        );
        let desk = f.staff("desk", "circulation").await;
        let sys = Ctx::system("sweep");
        let rec = f.records[1];
        let ha = f
            .lib
            .place_hold(&desk, &req(&ana, rec, "MAIN"))
            .await
            .unwrap();
        f.clock.advance(Duration::minutes(1));
        let hb = f
            .lib
            .place_hold(&desk, &req(&ben, rec, "MAIN"))
            .await
            .unwrap();
        // Cruz needs it only until tomorrow.
        let hc = f
            .lib
            .place_hold(
                &desk,
                &HoldRequest {
                    not_needed_after: Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
                    ..req(&cruz, rec, "EAST")
                },
            )
            .await
            .unwrap();
        // The pull list of MAIN: the one copy, for the oldest hold.
        let pull = f.lib.pull_list(&desk, "MAIN").await.unwrap();
        assert_eq!(pull.len(), 1);
        assert_eq!(
            (pull[0].hold_id, pull[0].item_barcode.as_str()),
            (ha.hold.id, "I2")
        );
        assert!(f.lib.pull_list(&desk, "EAST").await.unwrap().is_empty());
        // Pulled and scanned: Ana's hold waits on the shelf.
        let ci = f.lib.checkin(&desk, "I2", None).await.unwrap();
        assert_eq!(ci.route, "hold-shelf");
        assert_eq!(ci.hold.as_ref().unwrap().hold_id, ha.hold.id);
        assert!(f.lib.pull_list(&desk, "MAIN").await.unwrap().is_empty());

        // Nothing to do yet.
        assert_eq!(f.lib.sweep_holds(&sys).await.unwrap(), Default::default());
        // Two days later Cruz's hold is no longer needed.
        f.clock.advance(Duration::days(2));
        let r = f.lib.sweep_holds(&sys).await.unwrap();
        assert_eq!(r.expired_unneeded, 1);
        assert_eq!(status_of(&f, hc.hold.id).await, "expired");
        // Ana does not come: past the deadline the shelf list flags it, and
        // the sweep moves the copy to Ben.
        f.clock.advance(Duration::days(6));
        let shelf = f.lib.hold_shelf(&desk, "MAIN").await.unwrap();
        assert!(shelf[0].shelf_expired);
        let r = f.lib.sweep_holds(&sys).await.unwrap();
        assert_eq!(
            (r.expired_uncollected, r.moved_to_next, r.back_to_shelf),
            (1, 1, 0)
        );
        assert_eq!(status_of(&f, ha.hold.id).await, "expired");
        let next = f.lib.hold(&desk, hb.hold.id).await.unwrap();
        assert_eq!(next.hold.status, "waiting");
        assert!(next.hold.shelf_expires_at.unwrap() > f.lib.now());
        assert_eq!(f.item_status(1).await, vec!["on-hold-shelf"]);
        // Idempotent.
        assert_eq!(f.lib.sweep_holds(&sys).await.unwrap(), Default::default());
        // Ben does not come either: back to the shelf.
        f.clock.advance(Duration::days(8));
        let r = f.lib.sweep_holds(&sys).await.unwrap();
        assert_eq!(
            (r.expired_uncollected, r.moved_to_next, r.back_to_shelf),
            (1, 0, 1)
        );
        assert_eq!(f.item_status(1).await, vec!["reshelving"]);
        assert!(f.lib.record_holds(&desk, rec).await.unwrap().is_empty());
        f.lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn suspension_pickup_changes_cancellation_limits_and_permissions() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        f.item(2, "I3", "BOOK").await;
        f.item(0, "I4", "BOOK").await;
        f.item(1, "I5", "BOOK").await;
        let (ana, ben, cruz) = (
            f.patron("Ana").await,
            f.patron("Ben").await,
            f.patron("Cruz").await,
        );
        let desk = f.staff("desk", "circulation").await;
        let rec = f.records[2];
        let ha = f
            .lib
            .place_hold(&desk, &req(&ana, rec, "MAIN"))
            .await
            .unwrap();
        f.clock.advance(Duration::minutes(1));
        let hb = f
            .lib
            .place_hold(&desk, &req(&ben, rec, "MAIN"))
            .await
            .unwrap();
        let until = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let s = f.lib.suspend_hold(&desk, ha.hold.id, until).await.unwrap();
        assert!(s.suspended);
        assert_eq!(
            s.queue_position,
            Some(1),
            "a suspended hold keeps its place"
        );
        let past = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(
            f.lib
                .suspend_hold(&desk, ha.hold.id, past)
                .await
                .unwrap_err()
                .first_field(),
            Some("until")
        );
        // The copy skips suspended Ana and goes to Ben.
        let ci = f.lib.checkin(&desk, "I3", None).await.unwrap();
        assert_eq!(ci.hold.unwrap().hold_id, hb.hold.id);
        // Ana resumes and moves her pickup to EAST; Ben's hold is captured:
        // it can be neither suspended nor moved.
        assert!(
            !f.lib
                .resume_hold(&desk, ha.hold.id)
                .await
                .unwrap()
                .suspended
        );
        let moved = f
            .lib
            .change_hold_pickup(&desk, ha.hold.id, "east")
            .await
            .unwrap();
        assert_eq!(moved.pickup_branch, "EAST");
        assert_eq!(
            f.lib
                .change_hold_pickup(&desk, hb.hold.id, "EAST")
                .await
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        assert_eq!(
            f.lib
                .suspend_hold(&desk, hb.hold.id, until)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        // A patron cannot cancel someone else's hold.
        assert_eq!(
            f.lib
                .cancel_hold(&desk, hb.hold.id, CancelBy::Patron(&cruz), None)
                .await
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
        // Ben cancels: the copy goes on to Ana, in transit to EAST.
        let c = f
            .lib
            .cancel_hold(&desk, hb.hold.id, CancelBy::Patron(&ben), Some("bought it"))
            .await
            .unwrap();
        assert_eq!(c.hold.status, "cancelled");
        assert_eq!(c.hold.cancelled_by.as_deref(), Some("patron"));
        assert_eq!(c.hold.cancel_reason.as_deref(), Some("bought it"));
        assert_eq!(status_of(&f, ha.hold.id).await, "in-transit");
        assert_eq!(f.item_status(2).await, vec!["in-transit"]);
        // Cancelling twice is a conflict; staff cancel records who.
        assert_eq!(
            f.lib
                .cancel_hold(&desk, hb.hold.id, CancelBy::Staff, None)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        let c = f
            .lib
            .cancel_hold(&desk, ha.hold.id, CancelBy::Staff, None)
            .await
            .unwrap();
        assert_eq!(c.hold.cancelled_by.as_deref(), Some("desk"));
        // The copy in transit, received at EAST with nobody waiting, goes home.
        let got = f.lib.receive_transit(&desk, "I3", None).await.unwrap();
        assert_eq!(got.route, "transit");
        assert_eq!(got.transit_to.as_deref(), Some("MAIN"));
        assert_eq!(got.transit_reason.as_deref(), Some("home"));

        // Max holds 1 for everyone.
        f.lib
            .set_rule(
                &Ctx::system("t"),
                &RuleKey::default(),
                &Policy {
                    max_holds: Some(1),
                    ..Policy::book_default()
                },
            )
            .await
            .unwrap();
        f.lib
            .place_hold(&desk, &req(&cruz, f.records[0], "MAIN"))
            .await
            .unwrap();
        let e = f
            .lib
            .place_hold(
                &desk,
                &HoldRequest {
                    patron: cruz.clone(),
                    item: Some("I5".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(refusal_codes(&e), vec!["max-holds-reached"]);
        // Volunteers may not place holds; cataloguers may not cancel them.
        let vol = f.staff("vic", "volunteer").await;
        assert_eq!(
            f.lib
                .place_hold(&vol, &req(&ana, rec, "MAIN"))
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        let cat = f.staff("cat", "cataloger").await;
        assert_eq!(
            f.lib
                .cancel_hold(&cat, ha.hold.id, CancelBy::Staff, None)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        let _ = LoanPeriod::Days(1);
        f.lib.close().await;
        db.cleanup().await;
    }
}
