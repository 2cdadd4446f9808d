#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Holds through the real binary and the JSON API (demo library, API
//! token): place a title-level hold on a lent copy, renewal refused, checkin
//! sends the copy to the pickup branch, receive puts it on the hold shelf
//! (slip), another patron is refused, the holder's checkout fulfils the
//! hold; an item-level hold shows on the pull list and is suspended,
//! resumed, moved and cancelled; `quire holds sweep` runs beside the server.

mod common;

use common::*;
use serde_json::{Value, json};

struct Api {
    c: reqwest::Client,
    auth: String,
    base: String,
}

impl Api {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut r = self
            .c
            .request(method, format!("{}{path}", self.base))
            .header("authorization", &self.auth);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
}

#[tokio::test]
async fn holds_over_the_api() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let demo: Value =
        serde_json::from_slice(&std::fs::read(s.data.join("demo.json")).unwrap()).unwrap();
    let patron = |i: usize| demo["patrons"][i]["barcode"].as_str().unwrap().to_owned();
    let (ana, ben, cruz) = (patron(0), patron(1), patron(2));
    let available: Vec<&Value> = demo["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "available")
        .collect();
    let item = available[0]["barcode"].as_str().unwrap().to_owned();
    let home = available[0]["branch"].as_str().unwrap().to_owned();
    let pickup = demo["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_owned())
        .find(|b| *b != home)
        .expect("a second demo branch");
    let admin = demo["staff"]["username"].as_str().unwrap().to_owned();
    let (ok, token, err) = s.cli(&[
        "admin",
        "create-token",
        "--username",
        &admin,
        "--name",
        "holds test",
    ]);
    assert!(ok, "{err}");
    let api = Api {
        c: client(),
        auth: format!("Bearer {}", token.trim()),
        base: s.url("").trim_end_matches('/').to_owned(),
    };

    // Ana borrows the copy; Ben asks for the title, to pick up elsewhere.
    let (st, loan) = api
        .post("/api/v1/checkouts", json!({"patron": ana, "item": item}))
        .await;
    assert_eq!(st, 201, "{loan}");
    let record = loan["record_id"].as_i64().unwrap();
    let (st, hold) = api
        .post(
            "/api/v1/holds",
            json!({"patron": ben, "record": record, "pickup": pickup}),
        )
        .await;
    assert_eq!(st, 201, "{hold}");
    assert_eq!(hold["status"], "placed");
    assert_eq!(hold["queue_position"], 1);
    assert_eq!(hold["pickup"], pickup.as_str());
    let hold_id = hold["id"].as_i64().unwrap();
    // Twice: refused with the code.
    let (st, e) = api
        .post("/api/v1/holds", json!({"patron": ben, "record": record}))
        .await;
    assert_eq!(st, 409);
    assert_eq!(e["error"]["refusals"][0]["code"], "hold-already-placed");
    // No record or item: which field.
    let (st, e) = api.post("/api/v1/holds", json!({"patron": ben})).await;
    assert_eq!(st, 422);
    assert_eq!(e["error"]["field"], "record");
    let (st, list) = api.get(&format!("/api/v1/holds?patron={ben}")).await;
    assert_eq!(st, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (st, queue) = api.get(&format!("/api/v1/records/{record}/holds")).await;
    assert_eq!(st, 200);
    assert_eq!(queue[0]["patron"], ben.as_str());

    // Ana cannot renew while Ben waits.
    let (st, e) = api.post("/api/v1/renewals", json!({"item": item})).await;
    assert_eq!(st, 409);
    let codes: Vec<&str> = e["error"]["refusals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"renewal-blocked-by-hold"), "{codes:?}");

    // Returned at its branch: in transit to Ben's pickup branch.
    let (st, ci) = api
        .post("/api/v1/checkins", json!({"item": item, "branch": home}))
        .await;
    assert_eq!(st, 200, "{ci}");
    assert_eq!(ci["route"], "transit");
    assert_eq!(ci["transit_to"], pickup.as_str());
    assert_eq!(ci["transit_reason"], "hold");
    let (_, incoming) = api
        .get(&format!(
            "/api/v1/branches/{pickup}/transits?direction=incoming"
        ))
        .await;
    assert_eq!(incoming[0]["item"], item.as_str());
    let (_, outgoing) = api
        .get(&format!(
            "/api/v1/branches/{home}/transits?direction=outgoing"
        ))
        .await;
    assert_eq!(outgoing.as_array().unwrap().len(), 1);
    let (st, e) = api
        .get(&format!(
            "/api/v1/branches/{home}/transits?direction=sideways"
        ))
        .await;
    assert_eq!(st, 422);
    assert_eq!(e["error"]["field"], "direction");

    // Received there: on the hold shelf, with the slip.
    let (st, got) = api
        .post(&format!("/api/v1/transits/{item}/receive"), json!({}))
        .await;
    assert_eq!(st, 200, "{got}");
    assert_eq!(got["route"], "hold-shelf");
    assert_eq!(got["hold"]["patron"], ben.as_str());
    assert_eq!(got["hold"]["pickup"], pickup.as_str());
    assert!(got["hold"]["shelf_expires_at"].is_string());
    let (st, _) = api
        .post(&format!("/api/v1/transits/{item}/receive"), json!({}))
        .await;
    assert_eq!(st, 409, "not in transit any more");
    let (_, shelf) = api
        .get(&format!("/api/v1/branches/{pickup}/hold-shelf"))
        .await;
    assert_eq!(shelf[0]["id"], hold_id);
    assert_eq!(shelf[0]["status"], "waiting");
    assert_eq!(shelf[0]["shelf_expired"], false);

    // Cruz is refused; Ben takes it and the hold is fulfilled.
    let (st, e) = api
        .post("/api/v1/checkouts", json!({"patron": cruz, "item": item}))
        .await;
    assert_eq!(st, 409);
    assert_eq!(
        e["error"]["refusals"][0]["code"],
        "item-on-hold-for-another"
    );
    let (st, _) = api
        .post("/api/v1/checkouts", json!({"patron": ben, "item": item}))
        .await;
    assert_eq!(st, 201);
    let (_, h) = api.get(&format!("/api/v1/holds/{hold_id}")).await;
    assert_eq!(h["status"], "fulfilled");

    // An item-level hold on a copy on the shelf: on its branch's pull list.
    let other = available
        .iter()
        .find(|i| i["barcode"] != item.as_str())
        .unwrap();
    let (obar, obranch) = (
        other["barcode"].as_str().unwrap(),
        other["branch"].as_str().unwrap(),
    );
    let (st, h2) = api
        .post("/api/v1/holds", json!({"patron": cruz, "item": obar}))
        .await;
    assert_eq!(st, 201, "{h2}");
    assert_eq!(h2["level"], "item");
    let id2 = h2["id"].as_i64().unwrap();
    let (st, pull) = api
        .get(&format!("/api/v1/branches/{obranch}/pull-list"))
        .await;
    assert_eq!(st, 200);
    assert!(
        pull.as_array()
            .unwrap()
            .iter()
            .any(|p| p["item"] == obar && p["hold_id"] == id2),
        "{pull}"
    );
    // Suspend, resume, move, cancel.
    let (st, v) = api
        .post(
            &format!("/api/v1/holds/{id2}/suspend"),
            json!({"until": "2099-01-01"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    assert!(v["suspended_until"].is_string());
    let (st, v) = api
        .post(&format!("/api/v1/holds/{id2}/resume"), json!({}))
        .await;
    assert_eq!(st, 200);
    assert!(v["suspended_until"].is_null());
    let (st, v) = api
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/holds/{id2}"),
            Some(json!({"pickup": pickup})),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["pickup"], pickup.as_str());
    let (st, v) = api
        .post(
            &format!("/api/v1/holds/{id2}/cancel"),
            json!({"reason": "no longer needed"}),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(v["status"], "cancelled");
    assert_eq!(v["cancel_reason"], "no longer needed");
    let (st, e) = api
        .post(&format!("/api/v1/holds/{id2}/cancel"), json!({}))
        .await;
    assert_eq!(st, 409);
    assert_eq!(e["error"]["code"], "conflict");

    // The staff pages render.
    let web = login(&s, &admin, "open-the-stacks").await;
    for path in [
        format!("/staff/holds/pull-list?branch={obranch}"),
        format!("/staff/holds/shelf?branch={pickup}"),
        format!("/staff/transits?branch={pickup}"),
        format!("/staff/holds/record/{record}"),
    ] {
        let (st, page) = get(&web, &s.url(&path)).await;
        assert_eq!(st, 200, "{path}: {page}");
    }

    // The sweep, from the command line beside the running server.
    let (ok, out, err) = s.cli(&["holds", "sweep"]);
    assert!(ok, "{err}");
    assert!(out.contains("Holds expired: 0"), "{out}");
    s.finish().await;
}
