#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Patron self-service and notices on every backend: patron login with
//! card + PIN (throttled, separate from staff sessions), the patron's own
//! loans / fines / PIN / language (never another patron's), and the notice
//! sweep (idempotent, in the patron's language, skip rules) with the
//! sender's bookkeeping (backoff, give up, resend).

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use quire_domain::Locale;
use quire_domain::notice::{MAX_ATTEMPTS, NoticeKind};
use quire_domain::org::BranchForm;
use quire_domain::staff::NewStaffForm;
use quire_library::catalog::{Holdings, ImportOptions, ItemForm};
use quire_library::notices::NoticeSettings;
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_marc::{Field, Record, Subfield, Tag};
use quire_store::testing::{TestDb, backends};

/// Monday 2026-11-30 09:00 UTC.
fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

struct Fixture {
    lib: Library,
    clock: Arc<ManualClock>,
    records: Vec<i64>,
    desk: Ctx,
}

fn marc(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let mut r = Record::new();
        r.push(Field::control(
            Tag::parse("001").unwrap(),
            format!("opac{i}"),
        ));
        r.push(Field::data(
            Tag::parse("245").unwrap(),
            '1',
            '0',
            vec![Subfield::new('a', format!("Portal title {i}"))],
        ));
        out.extend(quire_marc::iso2709::to_bytes(&r).unwrap());
    }
    out
}

async fn setup(db: &TestDb) -> Fixture {
    let clock = Arc::new(ManualClock::at(start()));
    let lib = Library::new(db.open().await, clock.clone(), Settings::default())
        .await
        .unwrap();
    let sys = Ctx::system("test");
    lib.create_branch(
        &sys,
        &BranchForm {
            code: "MAIN".into(),
            name: "Main library".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    lib.import_marc(
        &sys,
        "opac",
        "opac",
        std::io::Cursor::new(marc(4)),
        &ImportOptions {
            holdings: Holdings::None,
            ..Default::default()
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    let mut records = Vec::new();
    for i in 0..4 {
        let id = lib
            .record_id_by_control_number(&format!("opac{i}"))
            .await
            .unwrap()
            .unwrap();
        lib.add_item(
            &sys,
            id,
            &ItemForm {
                barcode: format!("I000{i}"),
                branch: "MAIN".into(),
                item_type: "BOOK".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        records.push(id);
    }
    lib.create_staff(
        &sys,
        &NewStaffForm {
            username: "desk".into(),
            display_name: "Desk".into(),
            roles: vec!["circulation".into()],
            password: "long enough pass".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let desk = Ctx::staff(lib.staff_identity("desk").await.unwrap(), None);
    Fixture {
        lib,
        clock,
        records,
        desk,
    }
}

impl Fixture {
    async fn patron(&self, first: &str, pin: &str, email: &str, lang: &str) -> String {
        self.lib
            .register_patron(
                &Ctx::system("test"),
                &quire_domain::patron::PatronForm {
                    first_name: first.into(),
                    last_name: "Santos".into(),
                    home_branch: "MAIN".into(),
                    pin: pin.into(),
                    email: email.into(),
                    preferred_locale: lang.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .barcode
    }

    async fn login(&self, card: &str, pin: &str) -> (String, Ctx) {
        let s = self
            .lib
            .patron_login(card, pin, Some("10.0.0.1"), None)
            .await
            .unwrap();
        (s.token, Ctx::patron(s.identity, None))
    }
}

#[tokio::test]
async fn patron_login_is_throttled_and_separate_from_staff_sessions() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let ana = f.patron("Ana", "1234", "ana@example.org", "fil").await;
        let ben = f.patron("Ben", "", "", "").await;

        for (card, pin) in [
            (&ana, "9999"),
            (&"NO-SUCH-CARD".to_owned(), "1234"),
            (&ben, ""),
        ] {
            let e = f
                .lib
                .patron_login(card, pin, Some("10.0.0.2"), None)
                .await
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::BadCredentials, "{b:?} {card}");
        }
        let (token, ctx) = f.login(&ana, "1234").await;
        let me = ctx.actor.patron().unwrap();
        assert_eq!(me.barcode, ana);
        assert_eq!(me.locale, Some(Locale::Fil));
        let found = f.lib.patron_session(&token).await.unwrap().unwrap();
        assert_eq!(found.barcode, ana);
        // Staff and patron tokens live in different tables.
        let staff = f
            .lib
            .login("desk", "long enough pass", None, None)
            .await
            .unwrap();
        assert!(f.lib.patron_session(&staff.token).await.unwrap().is_none());
        assert!(f.lib.session(&token).await.unwrap().is_none());
        // Sessions end after 30 idle minutes.
        f.clock.advance(Duration::minutes(31));
        assert!(f.lib.patron_session(&token).await.unwrap().is_none());
        let (token, ctx) = f.login(&ana, "1234").await;
        f.lib.patron_logout(&ctx, &token).await.unwrap();
        assert!(f.lib.patron_session(&token).await.unwrap().is_none());

        // Five wrong PINs lock the card, even against the right PIN.
        for _ in 0..5 {
            f.lib
                .patron_login(&ana, "0000", Some("10.0.0.3"), None)
                .await
                .unwrap_err();
        }
        let e = f
            .lib
            .patron_login(&ana, "1234", Some("10.0.0.4"), None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert!(e.retry_after_secs.is_some());
        // … for that card only; and the window passes.
        let dina = f.patron("Dina", "4321", "", "").await;
        f.login(&dina, "4321").await;
        f.clock.advance(Duration::minutes(16));
        f.login(&ana, "1234").await;

        // Too many failures from one address (guessing many cards) lock that address.
        let carla = f.patron("Carla", "2468", "", "").await;
        for i in 0..20 {
            f.lib
                .patron_login(&format!("2100000000{i:04}"), "1111", Some("10.9.9.9"), None)
                .await
                .unwrap_err();
        }
        let e = f
            .lib
            .patron_login(&carla, "2468", Some("10.9.9.9"), None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_patron_sees_and_renews_only_their_own_loans_and_fines() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let ana = f.patron("Ana", "1234", "ana@example.org", "en").await;
        let ben = f.patron("Ben", "5678", "ben@example.org", "vi").await;
        f.lib.checkout(&f.desk, &ana, "I0000", &[]).await.unwrap();
        f.lib.checkout(&f.desk, &ben, "I0001", &[]).await.unwrap();
        f.lib.checkout(&f.desk, &ben, "I0002", &[]).await.unwrap();
        // Ben brings one back late: a fine on his account only.
        f.clock.advance(Duration::days(25));
        let back = f.lib.checkin(&f.desk, "I0002", None).await.unwrap();
        assert!(back.fine_minor > 0);

        let (_, a) = f.login(&ana, "1234").await;
        let (_, bctx) = f.login(&ben, "5678").await;
        let mine = f.lib.my_account(&a).await.unwrap();
        assert_eq!(mine.patron.barcode, ana);
        let items: Vec<&str> = mine.loans.iter().map(|l| l.item_barcode.as_str()).collect();
        assert_eq!(items, ["I0000"]);
        assert_eq!(mine.balance_minor, 0);
        assert!(f.lib.my_fines(&a).await.unwrap().lines.is_empty());
        let bens = f.lib.my_fines(&bctx).await.unwrap();
        assert_eq!(bens.lines.len(), 1);
        assert_eq!(bens.balance_minor, back.fine_minor);
        let ben_id = f.lib.patron_by_barcode(&f.desk, &ben).await.unwrap().id;
        assert!(bens.lines.iter().all(|l| l.patron_id == ben_id));

        // Ana cannot renew Ben's loan, nor learn anything about it.
        let e = f.lib.renew_my_loan(&a, "I0001").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let e = f.lib.renew_my_loan(&a, "I0003").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound, "an item on no loan");
        // Her own (overdue by now) loan: the rules decide as at the desk.
        let before = mine.loans[0].loan.due_at;
        let renewed = f.lib.renew_my_loan(&a, "I0000").await.unwrap();
        assert!(renewed.loan.due_at > before);
        assert_eq!(renewed.loan.renewals, 1);
        let audit = f
            .lib
            .audit_log(
                &Ctx::system("test"),
                &quire_library::model::AuditFilter::default(),
            )
            .await
            .unwrap();
        let entry = audit.iter().find(|r| r.action == "renew").unwrap();
        assert_eq!(entry.actor_label, format!("patron:{}", mine.patron.id));

        // A staff context is not a patron: the /my use cases refuse it, and
        // patrons hold no staff permission.
        let e = f.lib.my_account(&f.desk).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Unauthenticated);
        let e = f.lib.my_fines(&f.desk).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Unauthenticated);
        let e = f.lib.patron_loans(&a, &ben).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = f.lib.checkout(&a, &ana, "I0003", &[]).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = f.lib.notices(&a, None).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_patron_changes_their_pin_and_language() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let ana = f.patron("Ana", "1234", "ana@example.org", "en").await;
        let (keep, a) = f.login(&ana, "1234").await;
        let (other, _) = f.login(&ana, "1234").await;
        let field = |e: quire_library::Error| (e.fields[0].field, e.fields[0].code);
        let e = f
            .lib
            .change_my_pin(&a, "0000", "5555", "5555", Some(&keep))
            .await
            .unwrap_err();
        assert_eq!(field(e), ("current_pin", "wrong-pin"));
        let e = f
            .lib
            .change_my_pin(&a, "1234", "12", "12", Some(&keep))
            .await
            .unwrap_err();
        assert_eq!(field(e), ("new_pin", "invalid-pin"));
        let e = f
            .lib
            .change_my_pin(&a, "1234", "5555", "5556", Some(&keep))
            .await
            .unwrap_err();
        assert_eq!(field(e), ("confirm_pin", "pins-differ"));
        f.lib
            .change_my_pin(&a, "1234", "5555", "5555", Some(&keep))
            .await
            .unwrap();
        assert!(f.lib.patron_session(&keep).await.unwrap().is_some());
        assert!(f.lib.patron_session(&other).await.unwrap().is_none());
        let e = f
            .lib
            .patron_login(&ana, "1234", None, None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::BadCredentials);
        f.login(&ana, "5555").await;

        f.lib.set_my_locale(&a, Some(Locale::Vi)).await.unwrap();
        let found = f.lib.patron_session(&keep).await.unwrap().unwrap();
        assert_eq!(found.locale, Some(Locale::Vi));
        let e = f
            .lib
            .set_my_locale(&f.desk, Some(Locale::Vi))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Unauthenticated);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_notice_sweep_is_idempotent_localized_and_skips_patrons_without_email() {
    let i18n = quire_i18n::I18n::load().unwrap();
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        let s = NoticeSettings { due_soon_days: 2 };
        let ana = f.patron("Ana", "1234", "ana@example.org", "fil").await;
        let ben = f.patron("Ben", "5678", "", "en").await;
        let chi = f.patron("Chi", "2468", "chi@example.org", "vi").await;
        f.lib.checkout(&f.desk, &ana, "I0000", &[]).await.unwrap();
        f.lib.checkout(&f.desk, &ben, "I0001", &[]).await.unwrap();
        f.lib.checkout(&f.desk, &chi, "I0002", &[]).await.unwrap();

        // Nothing is due yet.
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (0, 0));
        // 20 days on, the 21-day loans are due within two days.
        f.clock.advance(Duration::days(20));
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((r.due_soon, r.overdue, r.skipped), (3, 0, 1));
        let again = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((again.due_soon, again.overdue), (0, 0), "idempotent");

        let all = f.lib.notices(&f.desk, None).await.unwrap();
        assert_eq!(all.len(), 3);
        let of = |card: &str| all.iter().find(|n| n.patron_barcode == card).unwrap();
        let (na, nb, nc) = (of(&ana), of(&ben), of(&chi));
        assert_eq!(na.notice.kind, "due-soon");
        assert_eq!(na.notice.locale, "fil");
        assert_eq!(na.notice.recipient.as_deref(), Some("ana@example.org"));
        assert_eq!(na.notice.status, "pending");
        assert_eq!(nb.notice.status, "skipped");
        assert_eq!(nb.notice.skip_reason.as_deref(), Some("no-email"));
        assert_eq!(nb.notice.recipient, None);
        assert_eq!(nc.notice.locale, "vi");
        // Rendered in the patron's language.
        let fil = quire_i18n::notices::render(
            &i18n,
            NoticeKind::DueSoon,
            Locale::Fil,
            &na.args,
            chrono_tz::UTC,
        );
        assert_eq!(fil.subject, "Malapit nang ibalik: Portal title 0");
        assert!(fil.text.starts_with("Mahal na Ana Santos,"), "{}", fil.text);
        assert!(fil.html.contains("lang=\"fil\""));
        let vi = quire_i18n::notices::render(
            &i18n,
            NoticeKind::DueSoon,
            Locale::Vi,
            &nc.args,
            chrono_tz::UTC,
        );
        assert_eq!(vi.subject, "Sắp đến hạn trả: Portal title 2");
        assert!(vi.text.contains("thg 12"), "Vietnamese date: {}", vi.text);

        // Only the two with an address are to be sent.
        let to_send = f.lib.notices_to_send(&sys, 50).await.unwrap();
        let mut cards: Vec<&str> = to_send.iter().map(|n| n.patron_barcode.as_str()).collect();
        cards.sort();
        let mut want = vec![ana.as_str(), chi.as_str()];
        want.sort();
        assert_eq!(cards, want);
        // Claimed by that sender: nobody else gets them meanwhile.
        assert!(f.lib.notices_to_send(&sys, 50).await.unwrap().is_empty());

        // Sent once, never again.
        f.lib.notice_sent(&sys, na.notice.id).await.unwrap();
        // A failure is retried after a backoff, and given up after MAX_ATTEMPTS.
        let failed = f
            .lib
            .notice_failed(&sys, nc.notice.id, "450 mailbox busy")
            .await
            .unwrap();
        assert_eq!(failed.status, "pending");
        assert_eq!(failed.attempts, 1);
        assert_eq!(failed.last_error.as_deref(), Some("450 mailbox busy"));
        assert!(failed.next_attempt_at.unwrap() > f.lib.now());
        assert!(f.lib.notices_to_send(&sys, 50).await.unwrap().is_empty());
        f.clock.advance(Duration::minutes(2));
        let retry = f.lib.notices_to_send(&sys, 50).await.unwrap();
        assert_eq!(retry.len(), 1);
        assert_eq!(retry[0].notice.id, nc.notice.id);
        let mut last = failed;
        while last.status == "pending" {
            last = f
                .lib
                .notice_failed(&sys, nc.notice.id, "550 no such user")
                .await
                .unwrap();
        }
        assert_eq!(last.status, "failed");
        assert_eq!(last.attempts, MAX_ATTEMPTS);
        // Staff may send it again; a skipped notice (no address) cannot be.
        f.lib.resend_notice(&f.desk, nc.notice.id).await.unwrap();
        let n = &f.lib.notices(&f.desk, Some("pending")).await.unwrap()[0];
        assert_eq!((n.notice.id, n.notice.attempts), (nc.notice.id, 0));
        let e = f
            .lib
            .resend_notice(&f.desk, nb.notice.id)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        let volunteer = {
            f.lib
                .create_staff(
                    &sys,
                    &NewStaffForm {
                        username: "vol".into(),
                        display_name: "Vol".into(),
                        roles: vec!["volunteer".into()],
                        password: "long enough pass".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            Ctx::staff(f.lib.staff_identity("vol").await.unwrap(), None)
        };
        let e = f
            .lib
            .resend_notice(&volunteer, nc.notice.id)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);

        // Past the due date: one overdue notice each, once.
        f.clock.advance(Duration::days(2));
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((r.due_soon, r.overdue, r.skipped), (0, 3, 1));
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (0, 0));
        // A renewed loan has a new due date: new notices for it, later.
        let (_, a) = f.login(&ana, "1234").await;
        f.lib.renew_my_loan(&a, "I0000").await.unwrap();
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (0, 0));
        f.clock.advance(Duration::days(20));
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!(r.due_soon, 1);
        // Returned loans get no notices.
        f.lib.checkin(&f.desk, "I0000", None).await.unwrap();
        f.clock.advance(Duration::days(5));
        let r = f.lib.notice_sweep(&sys, &s).await.unwrap();
        assert_eq!((r.due_soon, r.overdue), (0, 0));
        assert_eq!(f.lib.notices(&f.desk, None).await.unwrap().len(), 7);
        let _ = &f.records;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_notice_sweep_honours_each_patrons_notice_preference() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let sys = Ctx::system("test");
        let mut cards = Vec::new();
        for (i, pref) in ["email", "none", "print"].into_iter().enumerate() {
            let p = f
                .lib
                .register_patron(
                    &sys,
                    &quire_domain::patron::PatronForm {
                        first_name: format!("Pref{i}"),
                        last_name: "Reyes".into(),
                        home_branch: "MAIN".into(),
                        email: format!("pref{i}@example.org"),
                        notice_pref: pref.into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            f.lib
                .checkout(&f.desk, &p.barcode, &format!("I000{i}"), &[])
                .await
                .unwrap();
            cards.push((pref, p.barcode));
        }
        f.clock.advance(Duration::days(20));
        let r = f
            .lib
            .notice_sweep(&sys, &NoticeSettings { due_soon_days: 2 })
            .await
            .unwrap();
        assert_eq!((r.due_soon, r.skipped), (3, 2), "{b:?}");
        let all = f.lib.notices(&f.desk, None).await.unwrap();
        for (pref, card) in &cards {
            let n = &all
                .iter()
                .find(|n| &n.patron_barcode == card)
                .unwrap()
                .notice;
            let (status, reason) = match *pref {
                "email" => ("pending", None),
                "none" => ("skipped", Some("opted-out")),
                _ => ("skipped", Some("print")),
            };
            assert_eq!(n.status, status, "{pref} on {b:?}");
            assert_eq!(n.skip_reason.as_deref(), reason, "{pref} on {b:?}");
        }
    }
}

#[tokio::test]
async fn hold_ready_notices_are_enqueued_once_per_shelving() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let ana = f.patron("Ana", "1234", "ana@example.org", "vi").await;
        let patron = f.lib.patron_by_barcode(&f.desk, &ana).await.unwrap();
        let store = f.lib.store();
        let mut tx = store.begin().await.unwrap();
        let item = tx.item_by_barcode("I0001").await.unwrap().unwrap();
        let branch = tx.branch_by_code("MAIN").await.unwrap().unwrap();
        let h = quire_library::notices::HoldReady {
            hold_id: 42,
            patron_id: patron.id,
            item_id: item.id,
            pickup_branch_id: branch.id,
            ready_at: f.lib.now(),
            pickup_until: Some(f.lib.now() + Duration::days(7)),
        };
        let first = quire_library::notices::enqueue_hold_ready(tx.as_mut(), &h)
            .await
            .unwrap();
        assert!(first.is_some());
        let second = quire_library::notices::enqueue_hold_ready(tx.as_mut(), &h)
            .await
            .unwrap();
        assert_eq!(second, None);
        tx.commit().await.unwrap();
        let all = f.lib.notices(&f.desk, None).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].notice.kind, "hold-ready");
        assert_eq!(all[0].notice.hold_id, Some(42));
        assert_eq!(all[0].args.pickup_branch.as_deref(), Some("Main library"));
        assert_eq!(all[0].args.title, "Portal title 1");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_copy_captured_for_a_hold_at_checkin_enqueues_the_hold_ready_notice() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let ana = f.patron("Ana", "1234", "ana@example.org", "en").await;
        let ben = f.patron("Ben", "5678", "ben@example.org", "fil").await;
        f.lib.checkout(&f.desk, &ana, "I0001", &[]).await.unwrap();
        f.lib
            .place_hold(
                &f.desk,
                &quire_library::holds::HoldRequest {
                    patron: ben.clone(),
                    record_id: Some(f.records[1]),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(f.lib.notices(&f.desk, None).await.unwrap().is_empty());
        let back = f.lib.checkin(&f.desk, "I0001", None).await.unwrap();
        assert_eq!(back.route, "hold-shelf");
        let all = f.lib.notices(&f.desk, None).await.unwrap();
        assert_eq!(all.len(), 1);
        let n = &all[0];
        assert_eq!(n.notice.kind, "hold-ready");
        assert_eq!(n.patron_barcode, ben);
        assert_eq!(n.notice.locale, "fil");
        assert_eq!(n.notice.status, "pending");
        assert_eq!(n.args.pickup_branch.as_deref(), Some("Main library"));
        assert!(n.args.pickup_until.is_some());
        // Scanning the waiting copy again does not notify twice.
        f.lib.checkin(&f.desk, "I0001", None).await.unwrap();
        assert_eq!(f.lib.notices(&f.desk, None).await.unwrap().len(), 1);
        db.cleanup().await;
    }
}
