#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Lost / claims-returned loans, the hold slip, the reading history and the
//! privacy sweep through the real binary, on every backend: the JSON API
//! (marks, reversal, checkin outcome), the desk pages (mark from the
//! patron's loans, checkin outcome, printable hold slip), `/my/history`
//! with opt-in and confirmed opt-out, and `quire circ anonymise`.

mod common;

use common::*;
use quire_store::testing::backends;
use serde_json::{Value, json};

struct Api {
    c: reqwest::Client,
    auth: String,
}

impl Api {
    async fn post(&self, s: &Server, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .c
            .post(s.url(path))
            .header("authorization", &self.auth)
            .json(&body)
            .send()
            .await
            .unwrap();
        let st = r.status().as_u16();
        (st, r.json().await.unwrap_or(Value::Null))
    }
}

async fn form(
    c: &reqwest::Client,
    s: &Server,
    page: &str,
    path: &str,
    f: &[(&str, &str)],
) -> (u16, String, String) {
    let (_, html) = get(c, &s.url(page)).await;
    let token = csrf(&html);
    let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    all.extend_from_slice(f);
    let r = c.post(s.url(path)).form(&all).send().await.unwrap();
    let st = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (st, loc, r.text().await.unwrap())
}

#[tokio::test]
async fn lost_claims_history_and_sweep_through_the_binary() {
    for b in backends() {
        let mut s = Server::prepare(b).await;
        s.start("demo");
        let demo = s.demo_json();
        let patron = |i: usize, k: &str| demo["patrons"][i][k].as_str().unwrap().to_owned();
        let (ana, ben) = (patron(0, "barcode"), patron(1, "barcode"));
        let items: Vec<String> = demo["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["status"] == "available")
            .map(|i| i["barcode"].as_str().unwrap().to_owned())
            .take(3)
            .collect();
        let admin = demo["staff"]["username"].as_str().unwrap().to_owned();
        let (ok, token, err) = s.cli(&[
            "admin",
            "create-token",
            "--username",
            &admin,
            "--name",
            "loss",
        ]);
        assert!(ok, "{err}");
        let api = Api {
            c: client(),
            auth: format!("Bearer {}", token.trim()),
        };
        let (lost_item, claimed_item, kept_item) = (&items[0], &items[1], &items[2]);
        for it in [lost_item, claimed_item] {
            let (st, l) = api
                .post(&s, "/api/v1/checkouts", json!({"patron": ana, "item": it}))
                .await;
            assert_eq!(st, 201, "{l}");
        }

        // --- API: bad input, then a lost mark ---
        let (st, e) = api
            .post(
                &s,
                "/api/v1/loan-marks",
                json!({"item": lost_item, "kind": "lost", "reason": ""}),
            )
            .await;
        assert_eq!(st, 422, "{e}");
        assert_eq!(e["error"]["field"], "reason", "{e}");
        let (st, e) = api
            .post(
                &s,
                "/api/v1/loan-marks",
                json!({"item": lost_item, "kind": "stolen", "reason": "x"}),
            )
            .await;
        assert_eq!(st, 422, "{e}");
        assert_eq!(e["error"]["field"], "kind", "{e}");
        let (st, e) = api
            .post(
                &s,
                "/api/v1/loan-marks",
                json!({"item": kept_item, "kind": "lost", "reason": "x"}),
            )
            .await;
        assert_eq!(st, 409, "not on loan: {e}");
        let (st, m) = api
            .post(
                &s,
                "/api/v1/loan-marks",
                json!({"item": lost_item, "kind": "lost", "reason": "Dropped in the river"}),
            )
            .await;
        assert_eq!(st, 201, "{m}");
        assert_eq!(m["item_status"], "lost");
        assert_eq!(m["patron"], ana.as_str());
        let replacement = m["replacement_minor"].as_i64().unwrap();
        assert!(replacement > 0, "{m}");
        assert_eq!(m["balance_minor"], m["amount_minor"]);

        // --- desk: the patron's loans show the lost copy and the forms ---
        let desk = login(&s, "circulation", "check-it-out-now").await;
        let loans_url = format!("/staff/circ/checkout?patron={ana}");
        let (st, page) = get(&desk, &s.url(&loans_url)).await;
        assert_eq!(st, 200);
        assert!(page.contains(r#"action="/staff/circ/loan-mark""#), "{page}");
        assert!(page.contains("Undo lost &#x2f; claims returned"), "{page}");
        assert!(page.contains("Lost or claims returned"), "{page}");
        // Mark the other loan claims returned from the page.
        let (st, _, page) = form(
            &desk,
            &s,
            &loans_url,
            "/staff/circ/loan-mark",
            &[
                ("patron", &ana),
                ("item", claimed_item),
                ("kind", "claims-returned"),
                ("reason", "Says it was returned"),
            ],
        )
        .await;
        assert_eq!(st, 200, "{page}");
        assert!(page.contains("Marked claims returned"), "{page}");
        // Without a reason: the page says which field.
        let (st, _, page) = form(
            &desk,
            &s,
            &loans_url,
            "/staff/circ/loan-mark",
            &[
                ("patron", &ana),
                ("item", claimed_item),
                ("kind", "lost"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(st, 422, "{page}");
        // The desk role may not undo a mark; the refusal is shown, nothing changes.
        let (st, _, page) = form(
            &desk,
            &s,
            &loans_url,
            "/staff/circ/loan-mark",
            &[
                ("patron", &ana),
                ("item", claimed_item),
                ("reverse", "1"),
                ("note", "oops"),
            ],
        )
        .await;
        assert_eq!(st, 403, "{page}");

        // --- a hold waits on the lost copy's title ---
        let (st, loans) = {
            let r = api
                .c
                .get(s.url(&format!("/api/v1/patrons/{ana}/loans")))
                .header("authorization", &api.auth)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        };
        assert_eq!(st, 200, "{loans}");
        let record = loans["loans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["item"] == lost_item.as_str())
            .expect("lost loan listed")["record_id"]
            .as_i64()
            .unwrap();
        let (st, h) = api
            .post(
                &s,
                "/api/v1/holds",
                // Its only copy is lost: staff override "not holdable".
                json!({"patron": ben, "record": record, "override": ["item-not-holdable"]}),
            )
            .await;
        assert_eq!(st, 201, "{h}");
        let pickup = h["pickup"].as_str().unwrap().to_owned();

        // --- checkin at the pickup branch: lost item found, the hold filled ---
        let (st, page) = get(
            &desk,
            &s.url(&format!("/staff/circ/checkin?branch={pickup}")),
        )
        .await;
        assert_eq!(st, 200);
        let token = csrf(&page);
        let r = desk
            .post(s.url("/staff/circ/checkin"))
            .form(&[
                ("_csrf", token.as_str()),
                ("item", lost_item.as_str()),
                ("branch", pickup.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("Lost item found"), "{page}");
        assert!(page.contains("Replacement fee refunded"), "{page}");
        let slip = regex_lite::Regex::new(r#"href="(/staff/circ/checkin/slip\?[^"]+)""#)
            .unwrap()
            .captures(&page)
            .unwrap_or_else(|| panic!("no slip link: {page}"))[1]
            .replace("&amp;", "&");
        assert!(slip.contains("hold_id="), "{slip}");
        let (st, slip_page) = get(&desk, &s.url(&slip)).await;
        assert_eq!(st, 200, "{slip_page}");
        assert!(slip_page.contains("Pick up at"), "{slip_page}");
        assert!(slip_page.contains("Hold until"), "{slip_page}");
        let tail = &ben[ben.len() - 4..];
        assert!(
            slip_page.contains(&format!("…{tail}")),
            "shortened card: {slip_page}"
        );
        assert!(
            !slip_page.contains(&ben),
            "the full card number is not printed"
        );

        // --- API checkin of the claimed copy says what it resolved ---
        let (st, c) = api
            .post(&s, "/api/v1/checkins", json!({"item": claimed_item}))
            .await;
        assert_eq!(st, 200, "{c}");
        assert_eq!(c["resolved"], "claims-returned-found", "{c}");
        assert_eq!(c["credit_minor"], 0);

        // --- /my/history: opt in, see the loan, opt out with confirmation ---
        let me = client();
        let (_, page) = get(&me, &s.url("/my/login")).await;
        let r = me
            .post(s.url("/my/login"))
            .form(&[
                ("_csrf", csrf(&page).as_str()),
                ("card", ben.as_str()),
                ("pin", patron(1, "pin").as_str()),
                ("next", "/my"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let (st, page) = get(&me, &s.url("/my/history")).await;
        assert_eq!(st, 200);
        // (The demo patron reads in their own language: check the forms.)
        assert!(
            page.contains(r#"name="keep" value="1""#),
            "opt-in form: {page}"
        );
        let (st, loc, _) = form(&me, &s, "/my/history", "/my/history", &[("keep", "1")]).await;
        assert_eq!((st, loc.as_str()), (303, "/my/history?done=kept"));
        let (st, l) = api
            .post(
                &s,
                "/api/v1/checkouts",
                json!({"patron": ben, "item": kept_item}),
            )
            .await;
        assert_eq!(st, 201, "{l}");
        let title = l["title"].as_str().unwrap().to_owned();
        let (st, c) = api
            .post(&s, "/api/v1/checkins", json!({"item": kept_item}))
            .await;
        assert_eq!(st, 200, "{c}");
        let (_, page) = get(&me, &s.url("/my/history")).await;
        let start: String = title
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        assert!(page.contains(start.trim()), "{start} in {page}");
        // Staff with `circulate` see it over the API.
        let r = api
            .c
            .get(s.url(&format!("/api/v1/patrons/{ben}/history")))
            .header("authorization", &api.auth)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let h: Value = r.json().await.unwrap();
        assert_eq!(h["total"], 1, "{h}");
        assert_eq!(h["keep_history"], true);
        // ... and on the staff page, linked from the patron's page.
        let (_, found) = get(&desk, &s.url(&format!("/staff/patrons?q={ben}"))).await;
        let ben_id = regex_lite::Regex::new(r#"href="/staff/patrons/(\d+)""#)
            .unwrap()
            .captures(&found)
            .unwrap_or_else(|| panic!("{found}"))[1]
            .to_owned();
        let history_url = format!("/staff/patrons/{ben_id}/history");
        let (_, pp) = get(&desk, &s.url(&format!("/staff/patrons/{ben_id}"))).await;
        assert!(pp.contains(&format!(r#"href="{history_url}""#)), "{pp}");
        let (st, hp) = get(&desk, &s.url(&history_url)).await;
        assert_eq!(st, 200);
        assert!(hp.contains(start.trim()), "{start} in {hp}");
        assert!(hp.contains(kept_item.as_str()), "{hp}");
        // Without `circulate` (a volunteer): refused.
        let vol = login(&s, "volunteer", "shelf-reading-1").await;
        let (st, _) = get(&vol, &s.url(&history_url)).await;
        assert_eq!(st, 403);
        // Opting out without the box ticked: 422, the history is still there.
        let (st, _, page) = form(&me, &s, "/my/history", "/my/history", &[("keep", "0")]).await;
        assert_eq!(st, 422);
        assert!(page.contains(r#"aria-invalid="true""#), "{page}");
        let (st, loc, _) = form(
            &me,
            &s,
            "/my/history",
            "/my/history",
            &[("keep", "0"), ("confirm", "on")],
        )
        .await;
        assert_eq!((st, loc.as_str()), (303, "/my/history?done=forgotten"));
        let (_, page) = get(&me, &s.url("/my/history")).await;
        assert!(!page.contains(start.trim()), "erased: {page}");
        assert!(page.contains(r#"name="keep" value="1""#), "{page}");
        // Staff see no history of a patron who does not keep one, and no link.
        let (st, hp) = get(&desk, &s.url(&history_url)).await;
        assert_eq!(st, 200);
        assert!(hp.contains("does not keep a reading history"), "{hp}");
        assert!(!hp.contains(start.trim()), "{hp}");
        let (_, pp) = get(&desk, &s.url(&format!("/staff/patrons/{ben_id}"))).await;
        assert!(!pp.contains(&format!(r#"href="{history_url}""#)), "{pp}");

        // --- the sweep from the CLI (and the API, same use case) ---
        let (ok, out, err) = s.cli(&["circ", "anonymise", "--older-than", "0"]);
        assert!(ok, "{out}{err}");
        assert!(out.starts_with("Loans anonymised: "), "{out}");
        let (st, r) = api.post(&s, "/api/v1/anonymise", json!({})).await;
        assert_eq!(st, 200, "{r}");
        assert_eq!(r["anonymised"], 0, "nothing left after the CLI run: {r}");
        s.finish().await;
    }
}
