#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The staff circulation desk through the real binary, as a browser
//! without JavaScript would use it (plain form posts with the CSRF field)
//! and as htmx does (`HX-Request`: only the result line comes back):
//! patron lookup, checkout scans, refusals and overrides, renewals, the
//! due-date slip, checkin with the working-branch cookie, and the fees
//! pages and API with their permissions.

mod common;

use common::*;

struct Demo {
    patrons: Vec<(String, String)>,
    /// (barcode, title, branch) of available items.
    items: Vec<(String, String, String)>,
    branches: Vec<String>,
}

fn demo(s: &Server) -> Demo {
    let d: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.data.join("demo.json")).unwrap()).unwrap();
    let patrons = d["patrons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["barcode"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let items = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "available")
        .map(|i| {
            (
                i["barcode"].as_str().unwrap().to_owned(),
                i["title"].as_str().unwrap().to_owned(),
                i["branch"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let branches = d["branches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_owned())
        .collect();
    Demo {
        patrons,
        items,
        branches,
    }
}

/// The start of a title up to the first character HTML escaping could
/// change, to look for in a page.
fn esc(s: &str) -> String {
    let t: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ' ' || *c == ',' || *c == '.')
        .collect();
    assert!(t.len() >= 3, "title {s:?} starts with punctuation");
    t
}

fn capture(re: &str, html: &str) -> String {
    regex_lite::Regex::new(re)
        .unwrap()
        .captures(html)
        .unwrap_or_else(|| panic!("no match for {re} in {html}"))[1]
        .to_owned()
}

async fn post(c: &reqwest::Client, url: &str, form: &[(&str, &str)], htmx: bool) -> (u16, String) {
    let mut r = c.post(url).form(form);
    if htmx {
        r = r.header("hx-request", "true");
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn desk_checkout_checkin_renew_and_fees() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let d = demo(&s);
    let (card, name) = d.patrons[0].clone();
    let (other_card, _) = d.patrons[1].clone();
    let desk = login(&s, "circulation", "check-it-out-now").await;

    // The navigation and the dashboard lead to the desk.
    let (_, dash) = get(&desk, &s.url("/staff")).await;
    assert!(dash.contains(r#"href="/staff/circ/checkout""#), "{dash}");
    assert!(dash.contains(r#"href="/staff/circ/checkin""#));

    // Scan the patron: the summary with the scan form.
    let (st, page) = get(
        &desk,
        &s.url(&format!("/staff/circ/checkout?patron={card}")),
    )
    .await;
    assert_eq!(st, 200);
    assert!(page.contains(&esc(&name)), "{page}");
    assert!(page.contains(r#"id="f-item""#));
    let token = csrf(&page);
    let since = capture(r#"name="since" value="([^"]+)""#, &page);
    let patron_id = capture(r#"/staff/patrons/(\d+)/fees"#, &page);

    // A name that matches nobody: a clear 404 message.
    let (st, page) = get(&desk, &s.url("/staff/circ/checkout?patron=Zzyzx%20Nobody")).await;
    assert_eq!(st, 404);
    assert!(page.contains("No patron matches"), "{page}");

    // Without the CSRF field the post is refused.
    let url = s.url("/staff/circ/checkout");
    let (i1, t1, _) = d.items[0].clone();
    let (st, _) = post(&desk, &url, &[("patron", &card), ("item", &i1)], false).await;
    assert_eq!(st, 403);

    // No-JS checkout: the whole page, with the line, due date and "why".
    let form = |item: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("_csrf", token.clone()),
            ("patron", card.clone()),
            ("since", since.clone()),
            ("item", item.to_owned()),
        ]
    };
    let owned = form(Box::leak(i1.clone().into_boxed_str()));
    let f: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (st, page) = post(&desk, &url, &f, false).await;
    assert_eq!(st, 200, "{page}");
    assert!(page.contains("<html"), "a full page without htmx");
    assert!(page.contains("Checked out"), "{page}");
    assert!(page.contains(&esc(&t1)), "{page}");
    assert!(
        page.contains("loan period of the circulation rule"),
        "{page}"
    );
    assert!(page.contains("Checked out in this session"));

    // htmx: only the result line comes back, status 200 even for refusals.
    let (i2, t2, _) = d.items[1].clone();
    let owned = form(Box::leak(i2.clone().into_boxed_str()));
    let f: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (st, line) = post(&desk, &url, &f, true).await;
    assert_eq!(st, 200);
    assert!(!line.contains("<html"), "{line}");
    assert!(line.trim_start().starts_with("<li"), "{line}");
    assert!(line.contains(&esc(&t2)), "{line}");
    // …with the patron's loan list refreshed out of band.
    assert!(
        line.contains(r#"<section id="loans" aria-labelledby="loans-h" hx-swap-oob="true">"#),
        "{line}"
    );
    assert!(line.contains("Current loans (2)"), "{line}");
    let (st, line) = post(&desk, &url, &f, true).await;
    assert_eq!(st, 200);
    assert!(line.contains("Refused"), "{line}");
    assert!(line.contains("The patron already has this item."), "{line}");
    // Without htmx the same refusal is a 409 page.
    let (st, page) = post(&desk, &url, &f, false).await;
    assert_eq!(st, 409);
    assert!(page.contains("The patron already has this item."));
    // An unknown barcode: not found, said plainly.
    let owned = form("NO-SUCH-ITEM");
    let f: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (st, page) = post(&desk, &url, &f, false).await;
    assert_eq!(st, 404, "{page}");

    // Another patron scans an item on loan: refused; the circulation role
    // may not override, so no override form.
    let (st, page) = post(
        &desk,
        &url,
        &[
            ("_csrf", &token),
            ("patron", &other_card),
            ("since", &since),
            ("item", &i1),
        ],
        false,
    )
    .await;
    assert_eq!(st, 409);
    assert!(
        page.contains("This item is on loan to someone else."),
        "{page}"
    );
    assert!(!page.contains("override_reason"));

    // An administrator gets the override form, which wants a reason.
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (_, page) = get(
        &admin,
        &s.url(&format!("/staff/circ/checkout?patron={other_card}")),
    )
    .await;
    let atoken = csrf(&page);
    let base = [
        ("_csrf", atoken.as_str()),
        ("patron", other_card.as_str()),
        ("since", since.as_str()),
        ("item", i1.as_str()),
    ];
    let (st, page) = post(&admin, &url, &base, false).await;
    assert_eq!(st, 409);
    assert!(page.contains(r#"name="override_reason""#), "{page}");
    assert!(page.contains(r#"name="override" value="item-on-loan-to-other""#));
    let mut with = base.to_vec();
    with.push(("override", "item-on-loan-to-other"));
    with.push(("override_reason", ""));
    let (st, page) = post(&admin, &url, &with, false).await;
    assert_eq!(st, 422, "{page}");
    assert!(page.contains(r#"aria-invalid="true""#));
    with.pop();
    with.push(("override_reason", "first borrower phoned: returned it"));
    let (st, line) = post(&admin, &url, &with, true).await;
    assert_eq!(st, 200);
    assert!(line.contains("Checked out"), "{line}");
    assert!(line.contains("item-on-loan-to-other"), "{line}");

    // Renew from the loan list (the demo rules renew from the current due
    // date, so renewing at once moves it).
    let (st, page) = post(
        &desk,
        &s.url("/staff/circ/renew"),
        &[
            ("_csrf", &token),
            ("patron", &card),
            ("since", &since),
            ("item", &i2),
        ],
        false,
    )
    .await;
    assert_eq!(st, 200);
    assert!(page.contains("Renewed"), "{page}");
    assert!(!page.contains("Refused"), "{page}");
    let (st, page) = post(
        &desk,
        &s.url("/staff/circ/renew"),
        &[
            ("_csrf", &token),
            ("patron", &card),
            ("since", &since),
            ("all", "1"),
        ],
        false,
    )
    .await;
    assert_eq!(st, 200);
    assert!(page.contains(&esc(&t2)));
    // That used the last renewal: the next one is refused, with its reason.
    let (st, page) = post(
        &desk,
        &s.url("/staff/circ/renew"),
        &[
            ("_csrf", &token),
            ("patron", &card),
            ("since", &since),
            ("item", &i2),
        ],
        false,
    )
    .await;
    assert_eq!(st, 200);
    assert!(page.contains("Refused"), "{page}");

    // The slip lists what was checked out in this session (item 1 went to
    // the other patron by override).
    let (st, slip) = get(
        &desk,
        &s.url(&format!(
            "/staff/circ/checkout/slip?patron={card}&since={}",
            since.replace('+', "%2B")
        )),
    )
    .await;
    assert_eq!(st, 200);
    assert!(slip.contains("Due-date slip"));
    assert!(slip.contains(&esc(&t2)), "{slip}");
    assert!(slip.contains("Items checked out (1)"), "{slip}");
    assert!(slip.contains("data-print"));

    // Checkin: the working branch is remembered in a cookie.
    let (_, home_branch_item, item_branch) = ((), i2.clone(), d.items[1].2.clone());
    let r = desk
        .get(s.url(&format!("/staff/circ/checkin?branch={item_branch}")))
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("quire_desk_branch="))
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with(&format!("quire_desk_branch={item_branch};")),
        "{cookie}"
    );
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!(r#"value="{item_branch}" selected"#)),
        "{page}"
    );
    let (_, page) = get(&desk, &s.url("/staff/circ/checkin")).await;
    assert!(
        page.contains(&format!(r#"value="{item_branch}" selected"#)),
        "cookie remembered"
    );
    let curl = s.url("/staff/circ/checkin");
    let (st, page) = post(
        &desk,
        &curl,
        &[("_csrf", &token), ("item", &home_branch_item)],
        false,
    )
    .await;
    assert_eq!(st, 200, "{page}");
    assert!(page.contains("Back to the shelf"), "{page}");
    assert!(page.contains(&card), "returned by the borrower");
    // Again: not on loan, handled gracefully (htmx line).
    let (st, line) = post(
        &desk,
        &curl,
        &[("_csrf", &token), ("item", &home_branch_item)],
        true,
    )
    .await;
    assert_eq!(st, 200);
    assert!(line.contains("was not on loan"), "{line}");
    // At another branch: a transit slip.
    let other_branch = d
        .branches
        .iter()
        .find(|b| **b != item_branch)
        .expect("the demo has several branches")
        .as_str();
    {
        let (st, line) = post(
            &desk,
            &curl,
            &[
                ("_csrf", &token),
                ("item", &home_branch_item),
                ("branch", other_branch),
            ],
            true,
        )
        .await;
        assert_eq!(st, 200);
        assert!(line.contains("Send to another branch"), "{line}");
        let href =
            capture(r#"href="(/staff/circ/checkin/slip\?[^"]+)""#, &line).replace("&amp;", "&");
        let (st, slip) = get(&desk, &s.url(&href)).await;
        assert_eq!(st, 200);
        assert!(slip.contains("Transit slip"), "{slip}");
        assert!(slip.contains(&item_branch), "{slip}");
    }
    let (st, page) = post(
        &desk,
        &curl,
        &[("_csrf", &token), ("item", "NOPE-1")],
        false,
    )
    .await;
    assert_eq!(st, 404, "{page}");

    // Fees: a manual fee, an overpayment refused, a partial payment with
    // a receipt; the circulation role and volunteers cannot waive.
    let furl = s.url(&format!("/staff/patrons/{patron_id}/fees"));
    let (st, page) = get(&desk, &furl).await;
    assert_eq!(st, 200);
    assert!(page.contains("Fees ledger"));
    assert!(
        !page.contains("/fees/waivers"),
        "no waiver form without the permission"
    );
    let r = desk
        .post(format!("{furl}/charges"))
        .form(&[
            ("_csrf", token.as_str()),
            ("amount", "75.50"),
            ("note", "Lost card"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (st, page) = post(
        &desk,
        &format!("{furl}/payments"),
        &[("_csrf", &token), ("amount", "80"), ("method", "cash")],
        false,
    )
    .await;
    assert_eq!(st, 422);
    assert!(page.contains("is more than the balance (75.50)"), "{page}");
    let r = desk
        .post(format!("{furl}/payments"))
        .form(&[
            ("_csrf", token.as_str()),
            ("amount", "25.50"),
            ("method", "card"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = get(&desk, &s.url(&loc)).await;
    assert!(
        page.contains(r#"<strong id="balance">50.00</strong>"#),
        "{page}"
    );
    let receipt = capture(
        r#"href="(/staff/patrons/\d+/fees/\d+/receipt)">[^<]*</a></div>"#,
        &page,
    );
    let (st, rpage) = get(&desk, &s.url(&receipt)).await;
    assert_eq!(st, 200);
    assert!(
        rpage.contains("-25.50") && rpage.contains("50.00"),
        "{rpage}"
    );
    let (st, _) = post(
        &desk,
        &format!("{furl}/waivers"),
        &[("_csrf", &token), ("amount", "1"), ("reason", "goodwill")],
        false,
    )
    .await;
    assert_eq!(st, 403);
    let vol = login(&s, "volunteer", "shelf-reading-1").await;
    let (_, vpage) = get(&vol, &s.url("/staff")).await;
    let vtoken = csrf(&vpage);
    assert!(
        !vpage.contains("/staff/circ/checkout"),
        "volunteers get no desk link"
    );
    let (st, _) = post(
        &vol,
        &format!("{furl}/waivers"),
        &[("_csrf", &vtoken), ("amount", "1"), ("reason", "goodwill")],
        false,
    )
    .await;
    assert_eq!(st, 403);
    let (st, _) = get(&vol, &s.url("/staff/circ/checkout")).await;
    assert_eq!(st, 403);
    // The administrator may waive, with a reason.
    let (st, page) = post(
        &admin,
        &format!("{furl}/waivers"),
        &[("_csrf", &atoken), ("amount", "10"), ("reason", "")],
        false,
    )
    .await;
    assert_eq!(st, 422);
    assert!(page.contains(r#"id="e-waive-reason""#), "{page}");
    let r = admin
        .post(format!("{furl}/waivers"))
        .form(&[
            ("_csrf", atoken.as_str()),
            ("amount", "10"),
            ("reason", "first offence"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);

    // The JSON API over the same ledger (session + CSRF header).
    let api = s.url(&format!("/api/v1/patrons/{card}"));
    let r = admin.get(format!("{api}/fees")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let ledger: serde_json::Value = r.json().await.unwrap();
    assert_eq!(ledger["balance_minor"], 4_000);
    let kinds: Vec<&str> = ledger["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["manual", "payment-card", "waiver"]);
    let r = admin
        .post(format!("{api}/payments"))
        .header("x-csrf-token", &atoken)
        .json(&serde_json::json!({"amount": "40.01", "method": "cash"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["field"], "amount");
    assert_eq!(e["error"]["fields"][0]["code"], "exceeds-balance");
    let r = admin
        .post(format!("{api}/payments"))
        .header("x-csrf-token", &atoken)
        .json(&serde_json::json!({"amount": "40", "method": "cash", "note": "settled"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["balance_minor"], 0);
    assert_eq!(p["line"]["amount_minor"], -4_000);
    let r = admin
        .post(format!("{api}/fees"))
        .header("x-csrf-token", &atoken)
        .json(&serde_json::json!({"amount": "5", "note": "printing"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = admin
        .post(format!("{api}/waivers"))
        .header("x-csrf-token", &atoken)
        .json(&serde_json::json!({"amount": "5", "reason": "printer broke"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    s.finish().await;
}

#[tokio::test]
async fn desk_pages_in_every_language() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let d = demo(&s);
    let desk = login(&s, "circulation", "check-it-out-now").await;
    let (card, _) = d.patrons[0].clone();
    let (_, page) = get(&desk, &s.url("/staff")).await;
    let token = csrf(&page);
    for (lang, checkout, checkin) in [
        ("en", "Check out", "Check in"),
        ("fil", "Pagpapahiram", "Pagtanggap ng ibinalik"),
        ("vi", "Cho mượn", "Nhận trả"),
    ] {
        let r = desk
            .post(s.url("/lang"))
            .form(&[
                ("_csrf", token.as_str()),
                ("lang", lang),
                ("back", "/staff"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        let (st, page) = get(
            &desk,
            &s.url(&format!("/staff/circ/checkout?patron={card}")),
        )
        .await;
        assert_eq!(st, 200);
        assert!(page.contains(&format!(r#"<html lang="{lang}">"#)), "{page}");
        assert!(
            page.contains(&format!("<h1>{checkout}</h1>")),
            "{lang}: {page}"
        );
        let (_, page) = get(&desk, &s.url("/staff/circ/checkin")).await;
        assert!(
            page.contains(&format!("<h1>{checkin}</h1>")),
            "{lang}: {page}"
        );
    }
    s.finish().await;
}
