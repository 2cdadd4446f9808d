#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Patrons through the real binary (demo library): registration through
//! the page with CSRF (validation errors name the field, duplicate warning
//! confirmed past), the patron page and its links, card replacement (old
//! card found by search, refused at checkout), the policy matrix page and
//! its tester (a volunteer and a circulation clerk cannot edit rules), and
//! the patrons JSON API.

mod common;

use common::*;

async fn form_page(c: &reqwest::Client, url: &str) -> String {
    let (status, body) = get(c, url).await;
    assert_eq!(status, 200, "{url}");
    csrf(&body)
}

#[tokio::test]
async fn patrons_pages_rules_and_api() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let desk = login(&s, "circulation", "check-it-out-now").await;

    // 1. Registration with errors: each bad field is named and marked.
    let token = form_page(&desk, &s.url("/staff/patrons/new")).await;
    let r = desk
        .post(s.url("/staff/patrons/new"))
        .form(&[
            ("_csrf", token.as_str()),
            ("first_name", ""),
            ("last_name", "Santos"),
            ("email", "not-an-email"),
            ("home_branch", "MAIN"),
            ("birth_date", "2015-04-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains(r#"aria-invalid="true" aria-describedby="e-first_name""#),
        "{body}"
    );
    assert!(
        body.contains(r##"href="#f-first_name">First name: this is required"##),
        "{body}"
    );
    assert!(body.contains(r##"href="#f-email">E-mail:"##), "{body}");
    assert!(
        body.contains(r##"href="#f-guardian">Guardian: is required for patrons under 18"##),
        "{body}"
    );
    assert!(
        body.contains(r#"aria-invalid="true" aria-describedby="e-guardian"#),
        "{body}"
    );
    assert!(body.contains(r#"value="Santos""#), "values kept");

    // Without CSRF: refused.
    let r = desk
        .post(s.url("/staff/patrons/new"))
        .form(&[
            ("first_name", "No"),
            ("last_name", "Token"),
            ("home_branch", "MAIN"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // 2. A valid registration: redirected to the new patron's page.
    let fields = |token: &str, confirm: bool| {
        let mut v = vec![
            ("_csrf".to_owned(), token.to_owned()),
            ("first_name".to_owned(), "Ligaya".to_owned()),
            ("last_name".to_owned(), "Santos".to_owned()),
            ("email".to_owned(), "ligaya.santos@example.ph".to_owned()),
            ("home_branch".to_owned(), "MAIN".to_owned()),
            ("birth_date".to_owned(), "1992-08-15".to_owned()),
            ("category".to_owned(), "ADULT".to_owned()),
            ("preferred_locale".to_owned(), "fil".to_owned()),
            ("keep_history".to_owned(), "on".to_owned()),
        ];
        if confirm {
            v.push(("confirm_duplicate".to_owned(), "on".to_owned()));
        }
        v
    };
    let token = form_page(&desk, &s.url("/staff/patrons/new")).await;
    let r = desk
        .post(s.url("/staff/patrons/new"))
        .form(&fields(&token, false))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(loc.starts_with("/staff/patrons/"), "{loc}");
    let (status, page) = get(&desk, &s.url(&loc)).await;
    assert_eq!(status, 200);
    let re = regex_lite::Regex::new(r"\((2\d{13})\)").unwrap();
    let card = re.captures(&page).expect("card number on the page")[1].to_owned();
    assert!(page.contains(&format!("/staff/circ/checkout?patron={card}")));
    assert!(page.contains("/fees\""));
    assert!(page.contains("/card.pdf\""));
    let id = loc
        .trim_start_matches("/staff/patrons/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    // 3. The same person again: a duplicate warning, then confirmed.
    let r = desk
        .post(s.url("/staff/patrons/new"))
        .form(&fields(&token, false))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("confirm_duplicate"), "{body}");
    assert!(body.contains(&card), "the warning names the other patron");
    let r = desk
        .post(s.url("/staff/patrons/new"))
        .form(&fields(&token, true))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);

    // 4. Search by name finds both.
    let (_, body) = get(&desk, &s.url("/staff/patrons?q=ligaya+santos")).await;
    assert!(body.contains("2 patrons found"), "{body}");

    // 5. Replace the card; the old one is found and refused at checkout.
    let token = form_page(&desk, &s.url(&format!("/staff/patrons/{id}"))).await;
    let r = desk
        .post(s.url(&format!("/staff/patrons/{id}/replace-card")))
        .form(&[
            ("_csrf", token.as_str()),
            ("new_barcode", "123"),
            ("card_reason", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "a typed number is checked");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(r##"href="#f-new_barcode">New card number: must have 14 digits"##)
    );
    let r = desk
        .post(s.url(&format!("/staff/patrons/{id}/replace-card")))
        .form(&[
            ("_csrf", token.as_str()),
            ("new_barcode", ""),
            ("card_reason", "stolen"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, body) = get(&desk, &s.url(&format!("/staff/patrons?q={card}"))).await;
    assert!(
        body.contains(&format!(
            "Card {card} was replaced: it belonged to Ligaya Santos"
        )),
        "{body}"
    );
    let r = desk
        .post(s.url("/api/v1/checkouts"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"patron": card, "item": "no-such-item"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["error"]["refusals"][0]["code"], "card-lost", "{j}");

    // 6. Rules: a volunteer and a clerk may not; the admin may.
    let vol = login(&s, "volunteer", "shelf-reading-1").await;
    let (status, _) = get(&vol, &s.url("/staff/circ/rules")).await;
    assert_eq!(status, 403);
    let vtoken = form_page(&vol, &s.url("/staff")).await;
    let r = vol
        .post(s.url("/staff/circ/rules"))
        .form(&[("_csrf", vtoken.as_str()), ("loan_period", "99")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (status, _) = get(&vol, &s.url("/staff/patrons")).await;
    assert_eq!(status, 403, "volunteers do not see patrons");
    let (status, _) = get(&desk, &s.url("/staff/circ/rules")).await;
    assert_eq!(status, 403);
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (status, body) = get(
        &admin,
        &s.url("/staff/circ/rules?test_category=ADULT&test_item_type=DVD&test_branch=MAIN"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("Rule 2 applies."), "{body}");
    assert!(
        body.contains("Rule 1 is less specific than rule 2."),
        "{body}"
    );
    let token = csrf(&body);
    let r = admin
        .post(s.url("/staff/circ/rules"))
        .form(&[
            ("_csrf", token.as_str()),
            ("patron_category", "CHILD"),
            ("item_type", "bad type!"),
            ("loan_period", "abc"),
            ("circulates", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains(r##"href="#f-item_type">Item type:"##),
        "{body}"
    );
    assert!(
        body.contains(r##"href="#f-loan_period">Loan period:"##),
        "{body}"
    );
    let r = admin
        .post(s.url("/staff/circ/rules"))
        .form(&[
            ("_csrf", token.as_str()),
            ("patron_category", "CHILD"),
            ("item_type", "DVD"),
            ("loan_period", "3"),
            ("renewals_allowed", "0"),
            ("circulates", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, body) = get(
        &admin,
        &s.url("/staff/circ/rules?test_category=CHILD&test_item_type=DVD&test_branch=MAIN"),
    )
    .await;
    assert!(body.contains("Rule 4 applies."), "{body}");

    // 7. The JSON API with a token.
    let (ok, tok, err) = s.cli(&[
        "admin",
        "create-token",
        "--username",
        "admin",
        "--name",
        "patrons test",
    ]);
    assert!(ok, "{err}");
    let auth = format!("Bearer {}", tok.trim());
    let api = client();
    let r = api
        .post(s.url("/api/v1/patrons"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"first_name": "Hoa", "last_name": "Pham", "home_branch": "MAIN", "email": "hoa@example.vn", "preferred_locale": "vi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let p: serde_json::Value = r.json().await.unwrap();
    let bc = p["barcode"].as_str().unwrap().to_owned();
    assert_eq!(p["notice_pref"], "email");
    let r = api
        .post(s.url("/api/v1/patrons"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"first_name": "Hoa", "last_name": "Pham", "home_branch": "MAIN", "email": "HOA@example.vn"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let j: serde_json::Value = r.json().await.unwrap();
    assert_eq!(j["error"]["field"], "confirm_duplicate", "{j}");
    let r = api
        .patch(s.url(&format!("/api/v1/patrons/{bc}")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"phone": "+84 90 123 4567", "keep_history": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["keep_history"], true);
    assert_eq!(
        p["email"], "hoa@example.vn",
        "PATCH keeps what it does not name"
    );
    let r = api
        .put(s.url(&format!("/api/v1/patrons/{bc}/pin")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"pin": "12"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = api
        .put(s.url(&format!("/api/v1/patrons/{bc}/pin")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"pin": "2468"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = api
        .post(s.url(&format!("/api/v1/patrons/{bc}/blocks")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"note": "Library card misuse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let block: serde_json::Value = r.json().await.unwrap();
    let r = api
        .get(s.url(&format!("/api/v1/patrons/{bc}/blocks")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    let blocks: serde_json::Value = r.json().await.unwrap();
    assert_eq!(blocks["in_force"][0]["reason"], "manual");
    let r = api
        .delete(s.url(&format!("/api/v1/patrons/{bc}/blocks/{}", block["id"])))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = api
        .post(s.url(&format!("/api/v1/patrons/{bc}/replace-card")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"reason": "damaged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["old_cards"][0], bc.as_str());
    let r = api
        .get(s.url(&format!("/api/v1/patrons?q={bc}")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    let found: serde_json::Value = r.json().await.unwrap();
    assert_eq!(found["replaced_card"]["reason"], "damaged");
    assert_eq!(
        api.get(s.url(&format!("/api/v1/patrons/{bc}")))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "the old card no longer names a patron"
    );
    s.finish().await;
}
