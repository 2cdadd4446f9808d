#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Circulation through the real binary: the demo library lends and takes
//! back an item over the JSON API with an API token, and the record page
//! shows the item's availability.

mod common;

use common::*;

#[tokio::test]
async fn demo_checkout_and_checkin_over_the_api() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let demo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.data.join("demo.json")).unwrap()).unwrap();
    let patron = demo["patrons"][0]["barcode"].as_str().unwrap().to_owned();
    let item = demo["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "available")
        .expect("an available demo item")["barcode"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = demo["staff"]["username"].as_str().unwrap().to_owned();
    let (ok, token, err) = s.cli(&[
        "admin",
        "create-token",
        "--username",
        &admin,
        "--name",
        "circulation test",
    ]);
    assert!(ok, "{err}");
    let auth = format!("Bearer {}", token.trim());
    let c = client();

    // Lend it: 201 with the due date.
    let r = c
        .post(s.url("/api/v1/checkouts"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"patron": patron, "item": item}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let loan: serde_json::Value = r.json().await.unwrap();
    assert_eq!(loan["item"], item.as_str());
    assert_eq!(loan["item_status"], "checked-out");
    assert!(
        loan["due_at"]
            .as_str()
            .is_some_and(|d| d > loan["checked_out_at"].as_str().unwrap())
    );
    let record = loan["record_id"].as_i64().unwrap();
    let (status, page) = get(&c, &s.url(&format!("/record/{record}"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("Checked out"), "{page}");

    // Again: 409 with the refusal code and a translated message.
    let r = c
        .post(s.url("/api/v1/checkouts"))
        .header("authorization", &auth)
        .header("accept-language", "vi")
        .json(&serde_json::json!({"patron": patron, "item": item}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 409);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "refused");
    assert_eq!(e["error"]["refusals"][0]["code"], "item-on-loan-to-patron");
    assert_eq!(e["error"]["message"], "Bạn đọc đang mượn tài liệu này rồi.");

    // The patron's loans.
    let r = c
        .get(s.url(&format!("/api/v1/patrons/{patron}/loans")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let loans: serde_json::Value = r.json().await.unwrap();
    assert_eq!(loans["loans"].as_array().unwrap().len(), 1);

    // Return it: 200, back on the cart, the record page says so.
    let r = c
        .post(s.url("/api/v1/checkins"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"item": item}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let back: serde_json::Value = r.json().await.unwrap();
    assert_eq!(back["was_on_loan"], true);
    assert_eq!(back["route"], "reshelve");
    assert_eq!(back["fine_minor"], 0);
    let (_, page) = get(&c, &s.url(&format!("/record/{record}"))).await;
    assert!(!page.contains("Checked out"), "{page}");
    assert!(page.contains("Just returned"), "{page}");

    // Without a token: 401 for reads; writes without a session fail the
    // CSRF check first (403).
    let r = c
        .get(s.url(&format!("/api/v1/patrons/{patron}/loans")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = c
        .post(s.url("/api/v1/checkins"))
        .json(&serde_json::json!({"item": item}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    s.finish().await;
}
