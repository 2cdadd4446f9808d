#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Service-layer integration tests, run against every available backend
//! (SQLite always; PostgreSQL when QUIRE_TEST_DATABASE_URL is set).

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use quire_domain::org::{BranchForm, LocationInput, parse_day};
use quire_domain::staff::NewStaffForm;
use quire_library::model::AuditFilter;
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_store::testing::{TestDb, backends};

async fn library(db: &TestDb) -> (Library, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    ));
    let lib = Library::new(db.open().await, clock.clone(), Settings::default())
        .await
        .unwrap();
    (lib, clock)
}

fn staff_form(username: &str, roles: &[&str]) -> NewStaffForm {
    NewStaffForm {
        username: username.into(),
        display_name: format!("{username} Test"),
        email: format!("{username}@library.example"),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        password: "correct horse battery".into(),
    }
}

async fn each_backend<F, Fut>(f: F)
where
    F: Fn(Library, Arc<ManualClock>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, clock) = library(&db).await;
        eprintln!("backend {b:?}");
        f(lib.clone(), clock).await;
        lib.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn login_session_logout() {
    each_backend(|lib, clock| async move {
        let sys = Ctx::system("test");
        lib.create_staff(&sys, &staff_form("ana", &["circulation"]))
            .await
            .unwrap();
        // Wrong password and unknown user look the same.
        let e = lib
            .login("ana", "wrong password!", Some("10.0.0.1"), None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::BadCredentials);
        let e = lib
            .login("nobody", "correct horse battery", Some("10.0.0.1"), None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::BadCredentials);
        // User names are case-insensitive.
        let s = lib
            .login(
                "ANA",
                "correct horse battery",
                Some("10.0.0.1"),
                Some("test"),
            )
            .await
            .unwrap();
        assert_eq!(s.identity.username, "ana");
        let found = lib.session(&s.token).await.unwrap().expect("session");
        assert_eq!(found.identity.user_id, s.identity.user_id);
        assert!(lib.session("not-a-token").await.unwrap().is_none());
        // Idle timeout.
        clock.advance(Duration::hours(9));
        assert!(
            lib.session(&s.token).await.unwrap().is_none(),
            "session must expire after the idle time"
        );
        let s2 = lib
            .login("ana", "correct horse battery", None, None)
            .await
            .unwrap();
        let ctx = Ctx::staff(s2.identity.clone(), None);
        lib.logout(&ctx, &s2.token).await.unwrap();
        assert!(lib.session(&s2.token).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn login_is_throttled_per_account_and_per_ip() {
    each_backend(|lib, clock| async move {
        let sys = Ctx::system("test");
        lib.create_staff(&sys, &staff_form("ben", &["cataloger"]))
            .await
            .unwrap();
        for _ in 0..5 {
            let e = lib
                .login("ben", "nope nope nope", Some("10.0.0.2"), None)
                .await
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::BadCredentials);
        }
        // Even the right password is refused while the account is throttled.
        let e = lib
            .login("ben", "correct horse battery", Some("10.0.0.3"), None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert!(e.retry_after_secs.unwrap() > 0);
        clock.advance(Duration::minutes(16));
        lib.login("ben", "correct horse battery", Some("10.0.0.3"), None)
            .await
            .unwrap();

        // Per address: 20 failures over many user names block the address.
        for i in 0..20 {
            let _ = lib
                .login(&format!("guess{i}"), "x", Some("10.9.9.9"), None)
                .await;
        }
        let e = lib
            .login("ben", "correct horse battery", Some("10.9.9.9"), None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        lib.login("ben", "correct horse battery", Some("10.0.0.4"), None)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn volunteers_cannot_administer() {
    each_backend(|lib, _| async move {
        let sys = Ctx::system("test");
        lib.create_staff(&sys, &staff_form("vic", &["volunteer"]))
            .await
            .unwrap();
        let vic = Ctx::staff(lib.staff_identity("vic").await.unwrap(), None);
        let checks = [
            lib.create_staff(&vic, &staff_form("evil", &["admin"]))
                .await
                .map(|_| ())
                .unwrap_err()
                .code,
            lib.staff_list(&vic).await.map(|_| ()).unwrap_err().code,
            lib.create_branch(
                &vic,
                &BranchForm {
                    code: "X1".into(),
                    name: "Xylo".into(),
                    ..Default::default()
                },
                None,
            )
            .await
            .map(|_| ())
            .unwrap_err()
            .code,
            lib.audit_log(&vic, &AuditFilter::default())
                .await
                .map(|_| ())
                .unwrap_err()
                .code,
            lib.create_api_token(&vic, "vic", "mine")
                .await
                .map(|_| ())
                .unwrap_err()
                .code,
            lib.reset_staff_password(&vic, "vic", "a brand new password")
                .await
                .unwrap_err()
                .code,
        ];
        assert!(
            checks.iter().all(|c| *c == ErrorCode::Forbidden),
            "{checks:?}"
        );
        // …but can read the branch list and the dashboard.
        lib.branches(&vic).await.unwrap();
        lib.dashboard(&vic).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn staff_management_validates_and_audits() {
    each_backend(|lib, _| async move {
        let sys = Ctx::system("test");
        let admin = lib
            .create_staff(&sys, &staff_form("root", &["admin"]))
            .await
            .unwrap();
        let actx = Ctx::staff(
            lib.staff_identity("root").await.unwrap(),
            Some("req-1".into()),
        );
        // Invalid input names every bad field and writes nothing.
        let before = lib.staff_list(&actx).await.unwrap().len();
        let err = lib
            .create_staff(
                &actx,
                &NewStaffForm {
                    username: "x".into(),
                    password: "short".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Invalid);
        let fields: Vec<_> = err.fields.iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            vec!["username", "display_name", "roles", "password"]
        );
        assert_eq!(lib.staff_list(&actx).await.unwrap().len(), before);
        // Duplicate user name.
        lib.create_staff(&actx, &staff_form("cora", &["cataloger"]))
            .await
            .unwrap();
        let dup = lib
            .create_staff(&actx, &staff_form("Cora", &["volunteer"]))
            .await
            .unwrap_err();
        assert_eq!(dup.code, ErrorCode::Duplicate);
        assert_eq!(dup.first_field(), Some("username"));
        // An admin cannot demote or disable themselves.
        let e = lib
            .set_staff_roles(&actx, admin.id, &["cataloger".into()])
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "cannot-remove-own-admin");
        assert_eq!(
            lib.set_staff_active(&actx, admin.id, false)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Invalid
        );
        // Disabling a user ends their sessions and blocks login.
        let cora = lib
            .login("cora", "correct horse battery", None, None)
            .await
            .unwrap();
        let cora_id = cora.identity.user_id;
        lib.set_staff_active(&actx, cora_id, false).await.unwrap();
        assert!(lib.session(&cora.token).await.unwrap().is_none());
        assert_eq!(
            lib.login("cora", "correct horse battery", None, None)
                .await
                .unwrap_err()
                .code,
            ErrorCode::AccountDisabled
        );
        // The audit trail shows who did what, with before and after.
        let log = lib
            .audit_log(
                &actx,
                &AuditFilter {
                    entity: Some("staff_user".into()),
                    entity_id: Some(cora_id.to_string()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let actions: Vec<_> = log.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, vec!["disable", "login", "create"]);
        assert_eq!(log[0].actor_label, "root");
        assert_eq!(log[0].request_id.as_deref(), Some("req-1"));
        assert!(
            log[0]
                .before_json
                .as_deref()
                .unwrap()
                .contains("\"active\":true")
        );
        assert!(
            log[0]
                .after_json
                .as_deref()
                .unwrap()
                .contains("\"active\":false")
        );
    })
    .await;
}

#[tokio::test]
async fn password_change_and_reset() {
    each_backend(|lib, _| async move {
        let sys = Ctx::system("test");
        lib.create_staff(&sys, &staff_form("dina", &["circulation"]))
            .await
            .unwrap();
        let a = lib
            .login("dina", "correct horse battery", None, None)
            .await
            .unwrap();
        let b = lib
            .login("dina", "correct horse battery", None, None)
            .await
            .unwrap();
        let ctx = Ctx::staff(a.identity.clone(), None);
        let e = lib
            .change_own_password(
                &ctx,
                "wrong",
                "another long password",
                "another long password",
                Some(&a.token),
            )
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "current_password");
        let e = lib
            .change_own_password(
                &ctx,
                "correct horse battery",
                "another long password",
                "different",
                Some(&a.token),
            )
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "confirm_password");
        let e = lib
            .change_own_password(
                &ctx,
                "correct horse battery",
                "short",
                "short",
                Some(&a.token),
            )
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "password-too-short");
        lib.change_own_password(
            &ctx,
            "correct horse battery",
            "another long password",
            "another long password",
            Some(&a.token),
        )
        .await
        .unwrap();
        assert!(
            lib.session(&a.token).await.unwrap().is_some(),
            "the session that changed the password stays"
        );
        assert!(
            lib.session(&b.token).await.unwrap().is_none(),
            "other sessions end"
        );
        assert_eq!(
            lib.login("dina", "correct horse battery", None, None)
                .await
                .unwrap_err()
                .code,
            ErrorCode::BadCredentials
        );
        lib.reset_staff_password(&sys, "dina", "reset by the admin 1")
            .await
            .unwrap();
        assert!(lib.session(&a.token).await.unwrap().is_none());
        lib.login("dina", "reset by the admin 1", None, None)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn branches_hours_locations() {
    each_backend(|lib, _| async move {
        let sys = Ctx::system("test");
        let form = BranchForm {
            code: "main".into(),
            name: "Main Library".into(),
            timezone: "Asia/Manila".into(),
            email: "main@library.example".into(),
            ..Default::default()
        };
        let main = lib.create_branch(&sys, &form, None).await.unwrap();
        assert_eq!(main.code, "MAIN");
        assert_eq!(
            lib.create_branch(&sys, &form, None).await.unwrap_err().code,
            ErrorCode::Duplicate
        );
        let bad_tz = BranchForm {
            code: "north".into(),
            name: "North".into(),
            timezone: "Mars/Olympus".into(),
            ..Default::default()
        };
        let e = lib.create_branch(&sys, &bad_tz, None).await.unwrap_err();
        assert_eq!(
            (e.code, e.fields[0].field),
            (ErrorCode::Invalid, "timezone")
        );
        let e = lib
            .create_branch(
                &sys,
                &BranchForm {
                    code: "north".into(),
                    name: "North".into(),
                    ..Default::default()
                },
                Some("NOPE"),
            )
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "parent");
        let north = lib
            .create_branch(
                &sys,
                &BranchForm {
                    code: "north".into(),
                    name: "North".into(),
                    ..Default::default()
                },
                Some("main"),
            )
            .await
            .unwrap();
        assert_eq!(north.parent_id, Some(main.id));

        let mon = parse_day(0, "09:00", "12:00").unwrap().unwrap();
        let mon2 = parse_day(0, "13:00", "18:00").unwrap().unwrap();
        let sat = parse_day(5, "10:00", "14:00").unwrap().unwrap();
        let hours = lib
            .set_opening_hours(&sys, main.id, vec![sat, mon2, mon])
            .await
            .unwrap();
        assert_eq!(
            hours
                .iter()
                .map(|h| (h.weekday, h.opens_min))
                .collect::<Vec<_>>(),
            vec![(0, 540), (0, 780), (5, 600)]
        );
        let overlap = parse_day(0, "11:00", "14:00").unwrap().unwrap();
        assert_eq!(
            lib.set_opening_hours(&sys, main.id, vec![mon, overlap])
                .await
                .unwrap_err()
                .code,
            ErrorCode::Invalid
        );
        assert_eq!(
            lib.branch(&sys, main.id).await.unwrap().hours.len(),
            3,
            "a refused change leaves the hours alone"
        );

        let loc = LocationInput::parse("adult-fic", "Adult Fiction", true, true, true).unwrap();
        lib.create_location(&sys, main.id, &loc).await.unwrap();
        assert_eq!(
            lib.create_location(&sys, main.id, &loc)
                .await
                .unwrap_err()
                .code,
            ErrorCode::Duplicate
        );
        lib.create_location(&sys, north.id, &loc).await.unwrap();
        let d = lib.branch(&sys, main.id).await.unwrap();
        assert_eq!(d.locations.len(), 1);
        assert_eq!(lib.dashboard(&sys).await.unwrap().locations, 2);
    })
    .await;
}

#[tokio::test]
async fn api_tokens() {
    each_backend(|lib, _| async move {
        let sys = Ctx::system("test");
        lib.create_staff(&sys, &staff_form("bot", &["circulation"]))
            .await
            .unwrap();
        let (id, token) = lib
            .create_api_token(&sys, "bot", "self-check kiosk")
            .await
            .unwrap();
        assert!(token.starts_with("quire_"));
        let who = lib.authenticate_token(&token).await.unwrap().unwrap();
        assert_eq!(who.username, "bot");
        assert!(
            lib.authenticate_token("quire_forged")
                .await
                .unwrap()
                .is_none()
        );
        let listed = lib.api_tokens(&sys).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(token.starts_with(&listed[0].prefix));
        lib.revoke_api_token(&sys, id).await.unwrap();
        assert!(lib.authenticate_token(&token).await.unwrap().is_none());
        assert_eq!(
            lib.revoke_api_token(&sys, id).await.unwrap_err().code,
            ErrorCode::Conflict
        );
    })
    .await;
}

#[tokio::test]
async fn backup_restores_across_backends() {
    let dir = tempfile::tempdir().unwrap();
    let mut archives = Vec::new();
    for b in backends() {
        let db = TestDb::new(b).await;
        let (lib, _) = library(&db).await;
        let sys = Ctx::system("test");
        lib.create_staff(&sys, &staff_form("erin", &["admin", "cataloger"]))
            .await
            .unwrap();
        let br = lib
            .create_branch(
                &sys,
                &BranchForm {
                    code: "main".into(),
                    name: "Thư viện Trung tâm".into(),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap();
        lib.set_opening_hours(
            &sys,
            br.id,
            vec![parse_day(2, "08:00", "17:00").unwrap().unwrap()],
        )
        .await
        .unwrap();
        // A branch default call number scheme (migration 0015) comes back too.
        lib.set_branch_call_number_scheme(&sys, "MAIN", "other")
            .await
            .unwrap();
        let path = dir.path().join(format!("{b:?}.tar.gz"));
        let m = lib.backup(&sys, &path).await.unwrap();
        assert_eq!(m.tables["staff_users"], 1);
        archives.push(path);
        lib.close().await;
        db.cleanup().await;
    }
    // Every archive restores into every backend, and the data comes back.
    for archive in &archives {
        for b in backends() {
            let db = TestDb::new(b).await;
            let (lib, _) = library(&db).await;
            let sys = Ctx::system("test");
            // The target already has its own secret setting: restore refuses
            // a non-empty database, so restore into one made by `open` alone.
            let err = lib.restore(&sys, archive).await.unwrap_err();
            assert!(err.detail.contains("not empty"), "{err}");
            lib.close().await;
            db.cleanup().await;

            let db = TestDb::new(b).await;
            let store = db.open().await;
            quire_store::backup::restore(store.as_ref(), archive)
                .await
                .unwrap();
            let lib = Library::new(
                store,
                Arc::new(ManualClock::at(Utc::now())),
                Settings::default(),
            )
            .await
            .unwrap();
            let s = lib
                .login("erin", "correct horse battery", None, None)
                .await
                .unwrap();
            assert_eq!(s.identity.roles.len(), 2);
            let branches = lib.branches(&sys).await.unwrap();
            assert_eq!(branches[0].name, "Thư viện Trung tâm");
            let schemes = lib.branch_call_number_schemes(&sys).await.unwrap();
            assert_eq!(
                schemes.iter().find(|b| b.code == "MAIN").unwrap().scheme,
                Some("other"),
                "{b:?}"
            );
            assert_eq!(
                lib.branch(&sys, branches[0].id).await.unwrap().hours.len(),
                1
            );
            // Sequences continue after the restored ids.
            let nb = lib
                .create_branch(
                    &sys,
                    &BranchForm {
                        code: "b2".into(),
                        name: "Second".into(),
                        ..Default::default()
                    },
                    None,
                )
                .await
                .unwrap();
            assert!(nb.id > branches[0].id);
            lib.close().await;
            db.cleanup().await;
        }
    }
}
