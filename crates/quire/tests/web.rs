#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End-to-end tests of the real `quire` binary over HTTP, on every backend.

mod common;

use common::*;
use quire_store::testing::backends;

const ADMIN_PW: &str = "admin password 1";
const VOL_PW: &str = "volunteer password 1";

async fn started(backend: quire_store::Backend) -> Server {
    let mut s = Server::prepare(backend).await;
    let (ok, out, err) = s.cli(&["init"]);
    assert!(ok, "init: {out}{err}");
    s.create_user("root", "admin", ADMIN_PW);
    s.create_user("vic", "volunteer", VOL_PW);
    s.start("serve");
    s
}

#[tokio::test]
async fn health_404_and_security_headers() {
    for b in backends() {
        let s = started(b).await;
        let c = client();
        let r = c.get(s.url("/healthz")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let r = c.get(s.url("/no/such/page")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let rid = r.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert!(
            r.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
        assert_eq!(r.headers()["x-frame-options"], "DENY");
        let body = r.text().await.unwrap();
        assert!(
            body.contains("<h1>We could not find that page.</h1>"),
            "{body}"
        );
        assert!(body.contains(&rid), "the 404 page shows the request id");
        // The API answers 404 in JSON with the same request id header.
        let r = c.get(s.url("/api/v1/nothing-here")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let j: serde_json::Value = r.json().await.unwrap();
        assert_eq!(j["error"]["code"], "not-found");
        assert!(j["error"]["request_id"].as_str().unwrap().len() == 16);
        s.finish().await;
    }
}

#[tokio::test]
async fn login_csrf_logout() {
    for b in backends() {
        let s = started(b).await;
        // Staff pages send anonymous visitors to the login page.
        let c = client();
        let r = c.get(s.url("/staff/users")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login?next=%2Fstaff%2Fusers");
        // A form post without the CSRF token is refused, and does nothing.
        let r = c
            .post(s.url("/login"))
            .form(&[("username", "root"), ("password", ADMIN_PW)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("This form has expired"));
        // Wrong password: the form again, with the message, 401.
        let page = c
            .get(s.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf(&page);
        let r = c
            .post(s.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "root"),
                ("password", "nope"),
                ("next", "/staff"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("The user name or password is not correct.")
        );
        // Missing fields name the field.
        let r = c
            .post(s.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", ""),
                ("password", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("Enter your user name.") && body.contains(r#"aria-invalid="true""#));

        let c = login(&s, "root", ADMIN_PW).await;
        let (status, body) = get(&c, &s.url("/staff")).await;
        assert_eq!(status, 200);
        assert!(body.contains("Good to see you, root"));
        // The session cookie is HttpOnly and SameSite=Lax.
        let page = c
            .get(s.url("/staff/account"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf(&page);
        let r = c
            .post(s.url("/logout"))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Max-Age=0"),
            "{cookie}"
        );
        assert_eq!(
            c.get(s.url("/staff")).send().await.unwrap().status(),
            303,
            "logged out"
        );
        s.finish().await;
    }
}

#[tokio::test]
async fn session_cookie_flags() {
    let s = started(quire_store::Backend::Sqlite).await;
    let c = client();
    let page = c
        .get(s.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&page);
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "root"),
            ("password", ADMIN_PW),
        ])
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("quire_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "no Secure flag without --secure-cookies"
    );
    s.finish().await;
}

#[tokio::test]
async fn volunteer_cannot_reach_admin_pages_or_routes() {
    for b in backends() {
        let s = started(b).await;
        let vol = login(&s, "vic", VOL_PW).await;
        for page in [
            "/staff/users",
            "/staff/users/1",
            "/staff/audit",
            "/staff/api-tokens",
        ] {
            let (status, body) = get(&vol, &s.url(page)).await;
            assert_eq!(status, 403, "{page}");
            assert!(
                body.contains("You do not have permission to do that."),
                "{page}"
            );
        }
        // A forged form post with a valid CSRF token is still refused.
        let page = vol
            .get(s.url("/staff"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf(&page);
        let r = vol
            .post(s.url("/staff/users"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "evil"),
                ("display_name", "E"),
                ("roles", "admin"),
                ("password", "long enough password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        for (method, path) in [
            ("GET", "/api/v1/staff"),
            ("GET", "/api/v1/audit"),
            ("POST", "/api/v1/branches"),
        ] {
            let r = vol
                .request(method.parse().unwrap(), s.url(path))
                .header("x-csrf-token", &token)
                .json(&serde_json::json!({"code": "XX", "name": "Xylophone"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{method} {path}");
            let j: serde_json::Value = r.json().await.unwrap();
            assert_eq!(j["error"]["code"], "forbidden");
        }
        // The volunteer still has a dashboard and sees no admin links.
        let (status, body) = get(&vol, &s.url("/staff")).await;
        assert_eq!(status, 200);
        assert!(!body.contains("/staff/users"));
        // The admin reaches all of them.
        let admin = login(&s, "root", ADMIN_PW).await;
        for page in [
            "/staff/users",
            "/staff/audit",
            "/staff/api-tokens",
            "/staff/branches",
        ] {
            assert_eq!(get(&admin, &s.url(page)).await.0, 200, "{page}");
        }
        // …and the attempted user was never created.
        assert!(
            !get(&admin, &s.url("/staff/users"))
                .await
                .1
                .contains(">evil<")
        );
        s.finish().await;
    }
}

#[tokio::test]
async fn languages_by_header_switcher_and_saved_preference() {
    let s = started(quire_store::Backend::Sqlite).await;
    let c = client();
    let body = c
        .get(s.url("/"))
        .header("accept-language", "vi-VN,vi;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"<html lang="vi">"#));
    assert!(body.contains("Chào mừng"), "Vietnamese home page");
    let body = c
        .get(s.url("/"))
        .header("accept-language", "tl-PH")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"<html lang="fil">"#));
    // The switcher sets a cookie that beats the header.
    let token = csrf(&body);
    let r = c
        .post(s.url("/lang"))
        .form(&[("_csrf", token.as_str()), ("lang", "vi"), ("back", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let body = c
        .get(s.url("/"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains(r#"<html lang="vi">"#));

    // A logged-in user's choice is saved and comes back on the next login.
    let admin = login(&s, "root", ADMIN_PW).await;
    let page = admin
        .get(s.url("/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&page);
    admin
        .post(s.url("/lang"))
        .form(&[
            ("_csrf", token.as_str()),
            ("lang", "fil"),
            ("back", "/staff"),
        ])
        .send()
        .await
        .unwrap();
    let fresh = login(&s, "root", ADMIN_PW).await;
    let body = fresh
        .get(s.url("/staff"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(r#"<html lang="fil">"#),
        "saved preference applies after login"
    );
    s.finish().await;
}

#[tokio::test]
async fn forms_name_the_bad_field_and_write_nothing() {
    for b in backends() {
        let s = started(b).await;
        let admin = login(&s, "root", ADMIN_PW).await;
        let page = admin
            .get(s.url("/staff/branches"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf(&page);
        let r = admin
            .post(s.url("/staff/branches"))
            .header("accept-language", "en")
            .form(&[
                ("_csrf", token.as_str()),
                ("code", "x"),
                ("name", "Eastwood"),
                ("timezone", "Mars/Base"),
                ("email", "nope"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(
            body.contains("Code: must be at least 2 characters"),
            "{body}"
        );
        assert!(body.contains("E-mail: is not a valid e-mail address"));
        assert!(
            body.contains(r#"value="Eastwood""#),
            "the form keeps what was typed"
        );
        let (_, list) = get(&admin, &s.url("/staff/branches")).await;
        assert!(!list.contains("Eastwood"), "nothing was written");
        // In Vietnamese, the same error is Vietnamese.
        admin
            .post(s.url("/lang"))
            .form(&[("_csrf", token.as_str()), ("lang", "vi")])
            .send()
            .await
            .unwrap();
        let r = admin
            .post(s.url("/staff/branches"))
            .form(&[
                ("_csrf", token.as_str()),
                ("code", "x"),
                ("name", "Eastwood"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("Mã: phải có ít nhất 2 ký tự"), "{body}");
        admin
            .post(s.url("/lang"))
            .form(&[("_csrf", token.as_str()), ("lang", "en")])
            .send()
            .await
            .unwrap();
        // A valid branch is created, audited and shown.
        let r = admin
            .post(s.url("/staff/branches"))
            .form(&[
                ("_csrf", token.as_str()),
                ("code", "east"),
                ("name", "Eastwood"),
                ("timezone", "Asia/Manila"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let loc = r.headers()["location"].to_str().unwrap().to_owned();
        let (status, body) = get(&admin, &s.url(&loc)).await;
        assert_eq!(status, 200);
        assert!(body.contains("Created.") && body.contains("EAST"));
        let (_, audit) = get(&admin, &s.url("/staff/audit?entity=branch")).await;
        assert!(audit.contains("Eastwood"), "audit shows the new branch");
        s.finish().await;
    }
}

#[tokio::test]
async fn api_with_token_errors_and_openapi() {
    for b in backends() {
        let s = started(b).await;
        let (ok, token, err) = s.cli(&[
            "admin",
            "create-token",
            "--username",
            "root",
            "--name",
            "test script",
        ]);
        assert!(ok, "{err}");
        let token = token.trim().to_owned();
        let c = client();
        let auth = format!("Bearer {token}");
        let me: serde_json::Value = c
            .get(s.url("/api/v1/me"))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["username"], "root");
        assert!(
            me["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "manage-staff")
        );
        // Unknown tokens are refused outright.
        let r = c
            .get(s.url("/api/v1/me"))
            .header("authorization", "Bearer quire_bogus")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        // No credentials: 401 JSON (not a redirect) for the API.
        let r = c.get(s.url("/api/v1/branches")).send().await.unwrap();
        assert_eq!(r.status(), 401);
        // Validation error names the field.
        let r = c
            .post(s.url("/api/v1/branches"))
            .header("authorization", &auth)
            .json(&serde_json::json!({"code": "m", "name": "Main"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let j: serde_json::Value = r.json().await.unwrap();
        assert_eq!(j["error"]["code"], "invalid");
        assert_eq!(j["error"]["field"], "code");
        // Malformed JSON is a clear error too.
        let r = c
            .post(s.url("/api/v1/branches"))
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let j: serde_json::Value = r.json().await.unwrap();
        assert_eq!(j["error"]["field"], "body");
        // Create, then duplicate → 409.
        let body = serde_json::json!({"code": "main", "name": "Main Library", "timezone": "Asia/Ho_Chi_Minh"});
        let r = c
            .post(s.url("/api/v1/branches"))
            .header("authorization", &auth)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let created: serde_json::Value = r.json().await.unwrap();
        assert_eq!(created["code"], "MAIN");
        let r = c
            .post(s.url("/api/v1/branches"))
            .header("authorization", &auth)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        // Hours: overlapping intervals are refused with the field named.
        let id = created["id"].as_i64().unwrap();
        let r = c
            .put(s.url(&format!("/api/v1/branches/{id}/hours")))
            .header("authorization", &auth)
            .json(&serde_json::json!([{"weekday": 0, "opens": "09:00", "closes": "12:00"}, {"weekday": 0, "opens": "11:00", "closes": "13:00"}]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        // The OpenAPI document lists the routes.
        let doc: serde_json::Value = c
            .get(s.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            doc["openapi"].as_str().unwrap().split('.').next(),
            Some("3")
        );
        assert!(doc["paths"]["/api/v1/branches"]["post"].is_object());
        let (status, page) = get(&c, &s.url("/api")).await;
        assert_eq!(status, 200);
        assert!(page.contains("{id}") && page.contains("hours"));
        s.finish().await;
    }
}

#[tokio::test]
async fn login_rate_limited_over_http() {
    let s = started(quire_store::Backend::Sqlite).await;
    let c = client();
    let page = c
        .get(s.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&page);
    for _ in 0..5 {
        let r = c
            .post(s.url("/login"))
            .form(&[
                ("_csrf", token.as_str()),
                ("username", "root"),
                ("password", "wrong"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "root"),
            ("password", ADMIN_PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Too many failed attempts"));
    s.finish().await;
}

#[tokio::test]
async fn cli_admin_backup_restore_and_graceful_shutdown() {
    for b in backends() {
        let mut s = started(b).await;
        let (ok, _, err) = s.cli(&[
            "admin",
            "create-user",
            "--username",
            "x",
            "--password",
            "short",
        ]);
        assert!(!ok);
        assert!(err.contains("password: password-too-short"), "{err}");
        let (ok, out, err) = s.cli(&[
            "admin",
            "reset-password",
            "--username",
            "vic",
            "--password",
            "a brand new pw 22",
        ]);
        assert!(ok, "{err}");
        assert!(out.contains("Password changed for vic"));
        login(&s, "vic", "a brand new pw 22").await;
        let (ok, out, _) = s.cli(&["admin", "list-users"]);
        assert!(ok && out.contains("root") && out.contains("volunteer"));

        // SIGTERM: the server finishes and exits 0.
        assert!(s.terminate(), "graceful shutdown on SIGTERM");

        // Backup, then restore into a fresh SQLite data dir: the same users log in.
        let archive = s.data.join("b.tar.gz");
        let (ok, out, err) = s.cli(&["backup", "--output", archive.to_str().unwrap()]);
        assert!(ok, "{out}{err}");
        let mut t = Server::prepare(quire_store::Backend::Sqlite).await;
        let (ok, out, err) = t.cli(&["restore", archive.to_str().unwrap()]);
        assert!(ok, "{out}{err}");
        assert!(out.contains("Restored"));
        // Restoring twice refuses: the database is no longer empty.
        let (ok, _, err) = t.cli(&["restore", archive.to_str().unwrap()]);
        assert!(!ok && err.contains("not empty"), "{err}");
        t.start("serve");
        login(&t, "vic", "a brand new pw 22").await;
        t.finish().await;
        s.finish().await;
    }
}

#[tokio::test]
async fn demo_writes_demo_json_and_serves() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let raw = std::fs::read_to_string(s.data.join("demo.json")).unwrap();
    let j: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let user = j["staff"]["username"].as_str().unwrap().to_owned();
    let pw = j["staff"]["password"].as_str().unwrap().to_owned();
    assert!(j["patrons"].is_array() && j["items"].is_array());
    let c = login(&s, &user, &pw).await;
    let (_, body) = get(&c, &s.url("/staff/branches")).await;
    let before = body.matches("Saigon Reading Room").count();
    assert!(before > 0);
    // Every demo account logs in with its listed password.
    for a in j["staff_accounts"].as_array().unwrap() {
        login(
            &s,
            a["username"].as_str().unwrap(),
            a["password"].as_str().unwrap(),
        )
        .await;
    }
    // Starting the demo again reuses the data.
    assert!(s.terminate());
    s.start("demo");
    let c = login(&s, &user, &pw).await;
    let (_, body) = get(&c, &s.url("/staff/branches")).await;
    assert_eq!(
        body.matches("Saigon Reading Room").count(),
        before,
        "no duplicate branches"
    );
    s.finish().await;
}
