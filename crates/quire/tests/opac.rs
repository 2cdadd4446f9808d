#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Patron self-service through the real binary, with two demo patrons:
//! every `/my` route shows and changes only the signed-in patron's data;
//! staff sessions do not open `/my`; patron sessions do not open `/staff`.

mod common;

use common::*;
use quire_library::Ctx;

/// Signs a patron in through the form; returns the client.
async fn patron_login(s: &Server, card: &str, pin: &str) -> reqwest::Client {
    let c = client();
    let (status, page) = get(&c, &s.url("/my/login")).await;
    assert_eq!(status, 200);
    let r = c
        .post(s.url("/my/login"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("card", card),
            ("pin", pin),
            ("next", "/my"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "patron login {card}");
    assert_eq!(r.headers()["location"], "/my");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("quire_patron="))
        .expect("patron cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    c
}

async fn post_form(
    c: &reqwest::Client,
    s: &Server,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = get(c, &s.url(page)).await;
    let token = csrf(&html);
    let mut form: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    form.extend_from_slice(fields);
    c.post(s.url(path)).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn my_pages_show_and_change_only_the_signed_in_patrons_data() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    s.terminate();
    let demo = s.demo_json();
    let card = |i: usize| demo["patrons"][i]["barcode"].as_str().unwrap().to_owned();
    let pin = |i: usize| demo["patrons"][i]["pin"].as_str().unwrap().to_owned();
    let (ana, ana_pin, ben, ben_pin) = (card(0), pin(0), card(1), pin(1));
    let available: Vec<String> = demo["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "available")
        .map(|i| i["barcode"].as_str().unwrap().to_owned())
        .take(3)
        .collect();
    let (ana_item, ben_item, ben_late) = (&available[0], &available[1], &available[2]);

    // Loans made 30 days ago; Ben returns one late today (a fine).
    let (lib, clock) = s
        .library_at(chrono::Utc::now() - chrono::Duration::days(30))
        .await;
    let sys = Ctx::system("test");
    let ana_loan = lib.checkout(&sys, &ana, ana_item, &[]).await.unwrap();
    let ben_loan = lib.checkout(&sys, &ben, ben_item, &[]).await.unwrap();
    lib.checkout(&sys, &ben, ben_late, &[]).await.unwrap();
    clock.advance(chrono::Duration::days(30));
    let late = lib.checkin(&sys, ben_late, None).await.unwrap();
    assert!(late.fine_minor > 0);
    lib.close().await;
    s.start("serve");

    // Anonymous: /my pages send to the patron login; forms need CSRF.
    let anon = client();
    for path in ["/my", "/my/holds", "/my/fines", "/my/account"] {
        let r = anon.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(
            r.headers()["location"],
            format!("/my/login?next=%2Fmy{}", &path[3..].replace('/', "%2F"))
        );
    }
    let r = anon
        .post(s.url("/my/login"))
        .form(&[("card", ana.as_str()), ("pin", ana_pin.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "login without CSRF token");
    let r = post_form(
        &anon,
        &s,
        "/my/login",
        "/my/login",
        &[("card", &ana), ("pin", "0000")],
    )
    .await;
    assert_eq!(r.status(), 401);
    let page = r.text().await.unwrap();
    assert!(page.contains("aria-invalid") || page.contains("role=\"alert\""));

    let a = patron_login(&s, &ana, &ana_pin).await;
    let b = patron_login(&s, &ben, &ben_pin).await;

    // /my: own loans only.
    let (status, page) = get(&a, &s.url("/my")).await;
    assert_eq!(status, 200);
    assert!(page.contains(ana_item.as_str()), "{page}");
    assert!(!page.contains(ben_item.as_str()));
    assert!(!page.contains(&ben));
    let (_, bpage) = get(&b, &s.url("/my")).await;
    assert!(bpage.contains(ben_item.as_str()));
    assert!(!bpage.contains(ana_item.as_str()));

    // /my/renew: Ana cannot renew Ben's loan; her own works.
    let r = post_form(&a, &s, "/my", "/my/renew", &[("item", ben_item)]).await;
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(!page.contains(ben_item.as_str()));
    let r = post_form(&a, &s, "/my", "/my/renew", &[("item", ana_item)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/my?done=renewed");
    let (lib, _) = s.library_at(chrono::Utc::now()).await;
    let ben_loans = lib.patron_loans(&sys, &ben).await.unwrap();
    let still = ben_loans
        .current
        .iter()
        .find(|l| l.item_barcode == *ben_item)
        .unwrap();
    assert_eq!(
        still.loan.due_at, ben_loan.loan.due_at,
        "Ben's loan untouched"
    );
    assert_eq!(still.loan.renewals, 0);
    let ana_loans = lib.patron_loans(&sys, &ana).await.unwrap();
    assert_eq!(ana_loans.current[0].loan.renewals, 1);
    assert!(ana_loans.current[0].loan.due_at > ana_loan.loan.due_at);
    lib.close().await;

    // /my/fines: Ben's fine is his alone.
    let (status, apage) = get(&a, &s.url("/my/fines")).await;
    assert_eq!(status, 200);
    let (_, bpage) = get(&b, &s.url("/my/fines")).await;
    let amount = format!("{}.{:02}", late.fine_minor / 100, late.fine_minor % 100);
    assert!(bpage.contains(&amount), "{amount} in {bpage}");
    assert!(!apage.contains(&amount), "{apage}");

    // /my/pin: Ana's new PIN; Ben's PIN unchanged.
    let r = post_form(
        &a,
        &s,
        "/my/account",
        "/my/pin",
        &[
            ("current_pin", &ana_pin),
            ("new_pin", "97531"),
            ("confirm_pin", "97531"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = post_form(
        &a,
        &s,
        "/my/account",
        "/my/pin",
        &[
            ("current_pin", "0000"),
            ("new_pin", "1111"),
            ("confirm_pin", "1111"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("aria-invalid=\"true\""));
    patron_login(&s, &ana, "97531").await;
    patron_login(&s, &ben, &ben_pin).await;

    // /my/language: Ana's language (and her pages) change; Ben's do not.
    let r = post_form(&a, &s, "/my/account", "/my/language", &[("language", "vi")]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&a, &s.url("/my")).await;
    assert!(page.contains("<html lang=\"vi\""), "{page}");
    let (_, page) = get(&b, &s.url("/my")).await;
    assert!(!page.contains("<html lang=\"vi\""));
    let (lib, _) = s.library_at(chrono::Utc::now()).await;
    let pa = lib.patron_by_barcode(&sys, &ana).await.unwrap();
    let pb = lib.patron_by_barcode(&sys, &ben).await.unwrap();
    assert_eq!(pa.preferred_locale.as_deref(), Some("vi"));
    assert_eq!(pb.preferred_locale.as_deref(), Some("fil"));
    lib.close().await;

    // /my/holds: Ana places a hold from the record page's form on the
    // title Ben has out; only she sees it, only she can change or cancel it.
    let record = ben_loan.record_id;
    let (_, rpage) = get(&a, &s.url(&format!("/record/{record}"))).await;
    assert!(
        rpage.contains("action=\"/my/holds\""),
        "hold form on the record page"
    );
    let r = post_form(
        &a,
        &s,
        &format!("/record/{record}"),
        "/my/holds",
        &[("record", &record.to_string()), ("pickup", "MAIN")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/my/holds?done=placed");
    let (status, apage) = get(&a, &s.url("/my/holds")).await;
    assert_eq!(status, 200);
    assert!(apage.contains(&ben_loan.title), "{apage}");
    let re = regex_lite::Regex::new(r#"action="/my/holds/(\d+)/cancel""#).unwrap();
    let hold_id = re.captures(&apage).expect("a cancel button")[1].to_owned();
    let (_, bpage) = get(&b, &s.url("/my/holds")).await;
    assert!(!bpage.contains(&format!("/my/holds/{hold_id}/")), "{bpage}");
    for action in ["cancel", "pickup"] {
        let r = post_form(
            &b,
            &s,
            "/my/holds",
            &format!("/my/holds/{hold_id}/{action}"),
            &[("pickup", "NORTH")],
        )
        .await;
        assert_eq!(r.status(), 404, "Ben on Ana's hold: {action}");
    }
    let r = post_form(
        &a,
        &s,
        "/my/holds",
        &format!("/my/holds/{hold_id}/pickup"),
        &[("pickup", "NORTH")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (lib, _) = s.library_at(chrono::Utc::now()).await;
    let holds = lib.patron_holds(&sys, &ana, false).await.unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!(holds[0].pickup_branch, "NORTH");
    lib.close().await;
    let r = post_form(
        &a,
        &s,
        "/my/holds",
        &format!("/my/holds/{hold_id}/cancel"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, apage) = get(&a, &s.url("/my/holds")).await;
    assert!(!apage.contains(&format!("/my/holds/{hold_id}/")));

    // A staff session does not open /my, and cannot act there.
    let admin = demo["staff"]["username"].as_str().unwrap();
    let password = demo["staff"]["password"].as_str().unwrap();
    let staff = login(&s, admin, password).await;
    let r = staff.get(s.url("/my")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/my/login")
    );
    let r = post_form(&staff, &s, "/staff", "/my/renew", &[("item", ben_item)]).await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/my/login")
    );
    // A patron session does not open the staff area.
    let r = a.get(s.url("/staff")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );

    // Logout ends the patron session.
    let r = post_form(&a, &s, "/my", "/my/logout", &[]).await;
    assert_eq!(r.status(), 303);
    let r = a.get(s.url("/my")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    s.finish().await;
}
