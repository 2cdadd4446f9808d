#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The shelf through the real binary (demo library): returned books appear
//! on the shelving cart in true shelf order (JSON API and the printable
//! page), a volunteer scans them back onto the shelf, a shelf-reading pass
//! flags the one misshelved book, and patrons browse the shelf.

mod common;

use common::*;
use quire_domain::callnumber::{Scheme, sort_key};

/// (barcode, call number) of available demo items at MAIN / STACKS.
fn main_stacks(demo: &serde_json::Value) -> Vec<(String, String)> {
    let available: std::collections::HashSet<&str> = demo["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "available")
        .map(|i| i["barcode"].as_str().unwrap())
        .collect();
    include_str!("../demo/items.tsv")
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c[2] == "MAIN" && c[3] == "STACKS" && c[6] == "lc" && !c[5].is_empty())
        .filter(|c| available.contains(c[1]))
        .map(|c| (c[1].to_owned(), c[5].to_owned()))
        .collect()
}

fn shelf_order(mut v: Vec<(String, String)>) -> Vec<String> {
    v.sort_by_key(|(_, cn)| sort_key(Scheme::Lc, cn));
    v.into_iter().map(|(b, _)| b).collect()
}

/// Text of a PDF via poppler's pdftotext (installed by scripts/test) in a
/// mode (`-layout`; `-raw`: content-stream order, which is label order);
/// `None` outside CI when it is missing.
fn pdftotext(pdf: &[u8], mode: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg(mode)
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) => {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            Some(String::from_utf8_lossy(&o.stdout).into_owned())
        }
        Err(e) => {
            assert!(
                std::env::var("CI").is_err(),
                "pdftotext is required under CI: {e}"
            );
            None
        }
    }
}

#[tokio::test]
async fn carts_inventory_and_browse_in_the_demo_library() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let demo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.data.join("demo.json")).unwrap()).unwrap();
    let stacks = main_stacks(&demo);
    assert!(
        stacks.len() >= 20,
        "demo MAIN/STACKS items: {}",
        stacks.len()
    );
    let admin = demo["staff"]["username"].as_str().unwrap().to_owned();
    let (ok, token, err) = s.cli(&[
        "admin",
        "create-token",
        "--username",
        &admin,
        "--name",
        "shelf",
    ]);
    assert!(ok, "{err}");
    let auth = format!("Bearer {}", token.trim());
    let c = client();

    // Five books come back in an order unrelated to the shelf.
    let returned: Vec<(String, String)> = stacks.iter().step_by(4).take(5).cloned().collect();
    for (b, _) in returned.iter().rev() {
        let r = c
            .post(s.url("/api/v1/checkins"))
            .header("authorization", &auth)
            .json(&serde_json::json!({"item": b}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
    }
    let expected = shelf_order(returned.clone());
    let r = c
        .get(s.url("/api/v1/shelf/carts?branch=MAIN&location=STACKS"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cart: serde_json::Value = r.json().await.unwrap();
    let got: Vec<&str> = cart["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["barcode"].as_str().unwrap())
        .collect();
    assert_eq!(got, expected, "cart in shelf order");

    // The printable page, as a volunteer: same order; scan two as shelved
    // (no-JS form post), one unknown barcode refused.
    let vol = login(&s, "volunteer", "shelf-reading-1").await;
    let (status, page) = get(
        &vol,
        &s.url("/staff/shelf/carts?branch=MAIN&location=STACKS"),
    )
    .await;
    assert_eq!(status, 200);
    let positions: Vec<usize> = expected
        .iter()
        .map(|b| page.find(b.as_str()).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "page in shelf order"
    );
    assert!(page.contains("data-print"));
    assert!(page.contains("Items 1–5 of 5"), "{page}");
    // Jump to the third book's call number: the page starts there.
    let third = &returned.iter().find(|(b, _)| *b == expected[2]).unwrap().1;
    let (status, other) = get(
        &vol,
        &s.url(&format!(
            "/staff/shelf/carts?branch=MAIN&location=STACKS&size=25&jump={}",
            third.replace(' ', "%20")
        )),
    )
    .await;
    assert_eq!(status, 200);
    assert!(other.contains("Items 3–5 of 5"), "{other}");
    assert!(!other.contains(expected[0].as_str()) && other.contains(expected[4].as_str()));
    // A page size that is not offered: the field says so.
    let (status, other) = get(
        &vol,
        &s.url("/staff/shelf/carts?branch=MAIN&location=STACKS&size=7"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(other.contains(r#"id="e-size""#), "{other}");
    // The whole cart, streamed for printing, in shelf order.
    let (status, other) = get(
        &vol,
        &s.url("/staff/shelf/carts/print?branch=MAIN&location=STACKS"),
    )
    .await;
    assert_eq!(status, 200);
    let positions: Vec<usize> = expected
        .iter()
        .map(|b| other.find(b.as_str()).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{other}");
    assert!(other.trim_end().ends_with("</html>"));
    let r = vol
        .post(s.url("/staff/shelf/carts/shelved"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("branch", "MAIN"),
            ("location", "STACKS"),
            (
                "barcodes",
                &format!("{}\n{} NOPE123", expected[0], expected[1]),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("2 books are back on the shelf"), "{page}");
    assert!(page.contains("No item has the barcode NOPE123"));
    // Without the CSRF token the form is refused.
    let r = vol
        .post(s.url("/staff/shelf/carts/shelved"))
        .form(&[("branch", "MAIN"), ("barcodes", expected[2].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let cart: serde_json::Value = c
        .get(s.url("/api/v1/shelf/carts?branch=MAIN&location=STACKS"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cart["items"].as_array().unwrap().len(), 3);

    // Shelf reading of the first twelve books of MAIN/STACKS with one
    // misshelved: every other book stays unflagged.
    let section = shelf_order(stacks.clone());
    let mut scanned: Vec<String> = section[..12].to_vec();
    let moved = scanned.remove(2);
    scanned.insert(9, moved.clone());
    let to_cn = &stacks.iter().find(|(b, _)| *b == section[11]).unwrap().1;
    let r = c
        .post(s.url("/api/v1/shelf/inventory"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"branch": "MAIN", "location": "STACKS", "to": to_cn, "barcodes": scanned}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let rep: serde_json::Value = r.json().await.unwrap();
    let flagged: Vec<&str> = rep["out_of_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["item"]["barcode"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, [moved.as_str()]);
    assert_eq!(
        rep["out_of_order"][0]["after"]["barcode"],
        section[1].as_str()
    );
    assert_eq!(
        rep["out_of_order"][0]["before"]["barcode"],
        section[3].as_str()
    );
    // Books still on the cart are not expected on the shelf.
    let missing: Vec<&str> = rep["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["barcode"].as_str().unwrap())
        .collect();
    assert!(
        missing
            .iter()
            .all(|m| !section[..12].contains(&m.to_string()))
    );
    // Bad input names the field.
    let r = c
        .post(s.url("/api/v1/shelf/inventory"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"branch": "MAIN", "location": "STACKS", "from": "QB1", "to": "QA1", "barcodes": ["X1"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["error"]["field"], "to");

    // The staff page shows the same report with where the book belongs.
    let (_, page) = get(&vol, &s.url("/staff/shelf/inventory")).await;
    let r = vol
        .post(s.url("/staff/shelf/inventory"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("branch", "MAIN"),
            ("location", "STACKS"),
            ("to", to_cn.as_str()),
            ("barcodes", &scanned.join("\n")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Out of order: 1."), "{page}");
    assert!(page.contains(&moved));

    // Shelf browse, public: neighbours in shelf order, paging links.
    let anon = client();
    let pick = c
        .get(s.url("/api/v1/shelf/carts?branch=MAIN&location=STACKS"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"][0]
        .clone();
    let item_id = pick["item_id"].as_i64().unwrap();
    let record_id = pick["record_id"].as_i64().unwrap();
    let r = anon
        .get(s.url(&format!("/api/v1/shelf/browse?item={item_id}&n=3")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let b: serde_json::Value = r.json().await.unwrap();
    let keys: Vec<String> = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| sort_key(Scheme::Lc, i["call_number"].as_str().unwrap()).into_string())
        .collect();
    assert!(
        keys.len() >= 4 && keys.windows(2).all(|w| w[0] <= w[1]),
        "{keys:?}"
    );
    let (status, page) = get(&anon, &s.url(&format!("/shelf/browse?item={item_id}&n=3"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("aria-current=\"true\""));
    assert!(page.contains("rel=\"next\""));
    let (status, page) = get(&anon, &s.url(&format!("/record/{record_id}"))).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("/shelf/browse?item="),
        "record page links the shelf"
    );
    let (status, _) = get(&anon, &s.url("/shelf/browse?item=99999999")).await;
    assert_eq!(status, 404);
    // Spine labels for the cart, as PDF; pdftotext shows the call number
    // broken over lines (first line: the LC class letters).
    let (_, page) = get(&vol, &s.url("/staff/shelf/labels")).await;
    let r = vol
        .post(s.url("/staff/shelf/labels"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("kind", "spine"),
            ("source", "cart"),
            ("branch", "MAIN"),
            ("location", "STACKS"),
            ("layout", "avery-l7651"),
            ("start_at", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if let Some(text) = pdftotext(&bytes, "-layout") {
        let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap();
        assert!(
            first.chars().all(|c| c.is_ascii_uppercase() || c == ' '),
            "{text}"
        );
    }
    // An unknown barcode is reported on the form.
    let r = vol
        .post(s.url("/staff/shelf/labels"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("kind", "item"),
            ("source", "barcodes"),
            ("barcodes", "NOSUCH1"),
            ("layout", "avery-5160"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("no item has this barcode"));

    // Library cards: one, and a sheet; volunteers may not print them.
    let admin_c = login(&s, &admin, demo["staff"]["password"].as_str().unwrap()).await;
    let r = admin_c
        .get(s.url("/staff/patrons/1/card.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let card = r.bytes().await.unwrap();
    let r = admin_c
        .get(s.url("/staff/cards.pdf?patron=1&patron=2&patron=3"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let sheet = r.bytes().await.unwrap();
    if let (Some(one), Some(many)) = (pdftotext(&card, "-layout"), pdftotext(&sheet, "-layout")) {
        let barcodes: Vec<&str> = demo["patrons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["barcode"].as_str().unwrap())
            .collect();
        let shown: Vec<&&str> = barcodes.iter().filter(|b| many.contains(**b)).collect();
        assert_eq!(shown.len(), 3, "{many}");
        assert!(barcodes.iter().any(|b| one.contains(b)), "{one}");
    }
    let r = vol
        .get(s.url("/staff/patrons/1/card.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = admin_c
        .get(s.url("/staff/cards.pdf?patron=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);

    // Staff pages need a login.
    let r = anon.get(s.url("/staff/shelf/carts")).send().await.unwrap();
    assert_ne!(r.status().as_u16(), 200);
    s.finish().await;
}

/// Posts NORTH's default scheme with the form of the settings page.
async fn branch_form(
    c: &reqwest::Client,
    s: &Server,
    page: &str,
    scheme: &str,
) -> reqwest::Response {
    c.post(s.url("/staff/catalog/call-numbers/branch"))
        .form(&[
            ("_csrf", csrf(page).as_str()),
            ("branch", "NORTH"),
            ("branch_scheme", scheme),
        ])
        .send()
        .await
        .unwrap()
}

/// What the call-number settings page says a branch's default is.
fn branch_cell(page: &str, code: &str) -> String {
    page.split(&format!(r#"<td data-branch="{code}">"#))
        .nth(1)
        .and_then(|t| t.split("</td>").next())
        .unwrap_or_else(|| panic!("no row for {code}: {page}"))
        .to_owned()
}

#[tokio::test]
async fn default_call_number_scheme_from_the_admin_page_and_the_cli() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (status, page) = get(&admin, &s.url("/staff/catalog/call-numbers")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<option value="guess" selected>"#),
        "{page}"
    );
    let r = admin
        .post(s.url("/staff/catalog/call-numbers"))
        .form(&[("_csrf", csrf(&page).as_str()), ("scheme", "dewey")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = get(&admin, &s.url("/staff/catalog/call-numbers")).await;
    assert!(
        page.contains(r#"<option value="dewey" selected>"#),
        "{page}"
    );
    // A value that is not offered: the field says why.
    let r = admin
        .post(s.url("/staff/catalog/call-numbers"))
        .form(&[("_csrf", csrf(&page).as_str()), ("scheme", "udc")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains(r#"aria-invalid="true""#));
    // Volunteers may not change it.
    let vol = login(&s, "volunteer", "shelf-reading-1").await;
    let (status, _) = get(&vol, &s.url("/staff/catalog/call-numbers")).await;
    assert_eq!(status, 403);
    // The CLI sets it too (and "guess" clears it).
    let (ok, out, err) = s.cli(&["admin", "set-default-scheme", "lc"]);
    assert!(ok, "{err}");
    assert!(out.contains("lc"), "{out}");
    let (_, page) = get(&admin, &s.url("/staff/catalog/call-numbers")).await;
    assert!(page.contains(r#"<option value="lc" selected>"#));
    let (ok, _, err) = s.cli(&["admin", "set-default-scheme", "udc"]);
    assert!(!ok);
    assert!(err.contains("scheme"), "{err}");

    // A branch's own default, from the same page: NORTH reads "other".
    let (_, page) = get(&admin, &s.url("/staff/catalog/call-numbers")).await;
    assert!(page.contains(r#"id="branch-schemes""#), "{page}");
    assert_eq!(
        branch_cell(&page, "NORTH"),
        "The library&#x27;s default (Library of Congress)"
    );
    let r = branch_form(&admin, &s, &page, "other").await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = get(&admin, &s.url("/staff/catalog/call-numbers")).await;
    assert_eq!(branch_cell(&page, "NORTH"), "Other or local");
    // The library-wide default is untouched.
    assert!(page.contains(r#"<option value="lc" selected>"#));
    // A scheme that is not offered: that form's field says why.
    let r = branch_form(&admin, &s, &page, "udc").await;
    assert_eq!(r.status().as_u16(), 422);
    let bad = r.text().await.unwrap();
    assert!(bad.contains(r#"id="e-branch_scheme""#), "{bad}");
    assert!(bad.contains(r##"href="#f-branch_scheme""##), "{bad}");
    // Without the CSRF token the form is refused.
    let r = admin
        .post(s.url("/staff/catalog/call-numbers/branch"))
        .form(&[("branch", "NORTH"), ("branch_scheme", "lc")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // The item editor of a NORTH item says why its number reads as "other".
    let api = {
        let (ok, token, err) = s.cli(&[
            "admin",
            "create-token",
            "--username",
            "admin",
            "--name",
            "schemes",
        ]);
        assert!(ok, "{err}");
        format!("Bearer {}", token.trim())
    };
    let anchor: serde_json::Value = client()
        .get(s.url("/api/v1/shelf/browse?item=1&n=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let record = anchor["anchor"]["record_id"].as_i64().unwrap();
    let r = client()
        .post(s.url(&format!("/api/v1/records/{record}/items")))
        .header("authorization", &api)
        .json(
            &serde_json::json!({"barcode": "NORTHLAW1", "branch": "NORTH",
            "item_type": "BOOK", "call_number": "KF 27 .A1 2020"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let item: serde_json::Value = r.json().await.unwrap();
    assert_eq!(item["call_number_scheme"], "other", "{item}");
    let (status, page) = get(&admin, &s.url(&format!("/staff/items/{}/edit", item["id"]))).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("the default scheme of the item&#x27;s branch"),
        "{page}"
    );
    assert!(page.contains(r#"id="scheme-branch-defaults""#));

    // The CLI sets and clears a branch's default; unknown branches and
    // schemes are refused with the field.
    let (ok, out, err) = s.cli(&["admin", "set-default-scheme", "--branch", "saigon", "dewey"]);
    assert!(ok, "{err}");
    assert!(out.contains("SAIGON: dewey"), "{out}");
    let (ok, out, err) = s.cli(&[
        "admin",
        "set-default-scheme",
        "--branch",
        "NORTH",
        "library",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("the library's applies"), "{out}");
    let (_, page) = get(&admin, &s.url("/staff/catalog/call-numbers")).await;
    assert_eq!(
        branch_cell(&page, "NORTH"),
        "The library&#x27;s default (Library of Congress)"
    );
    assert_eq!(branch_cell(&page, "SAIGON"), "Dewey Decimal");
    let (ok, _, err) = s.cli(&["admin", "set-default-scheme", "--branch", "NOPE", "lc"]);
    assert!(!ok);
    assert!(err.contains("branch"), "{err}");
    let (ok, _, err) = s.cli(&["admin", "set-default-scheme", "--branch", "NORTH", "udc"]);
    assert!(!ok);
    assert!(err.contains("scheme"), "{err}");
    // The NORTH item saved under "other" keeps its scheme after the change.
    let r = client()
        .get(s.url(&format!("/api/v1/shelf/browse?item={}&n=1", item["id"])))
        .send()
        .await
        .unwrap();
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["anchor"]["scheme"], "other", "{b}");
}

/// A cart of a few hundred books: the JSON API pages through it by cursor
/// (every book once, in shelf order, with the total), refuses a bad cursor
/// or size with the field, and the label PDF of the whole cart (streamed a
/// sheet at a time) has one label per book in shelf order.
#[tokio::test]
async fn a_cart_of_hundreds_pages_through_the_api_and_prints_labels_in_shelf_order() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let (ok, token, err) = s.cli(&[
        "admin",
        "create-token",
        "--username",
        "admin",
        "--name",
        "cart",
    ]);
    assert!(ok, "{err}");
    let auth = format!("Bearer {}", token.trim());
    let c = client();
    let cart_page = |query: String| {
        let c = c.clone();
        let auth = auth.clone();
        let url = s.url(&format!(
            "/api/v1/shelf/carts?branch=MAIN&location=REF{query}"
        ));
        async move {
            let r = c
                .get(url)
                .header("authorization", &auth)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, empty) = cart_page(String::new()).await;
    assert_eq!(status, 200, "{empty}");
    assert_eq!(empty["total"], 0, "the REF cart starts empty: {empty}");
    assert_eq!(empty["next"], serde_json::Value::Null);

    // 260 books at MAIN/REF, added in an order unrelated to the shelf
    // (97 is prime to 260: every class number once), then returned.
    let anchor: serde_json::Value = c
        .get(s.url("/api/v1/shelf/browse?item=1&n=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let record = anchor["anchor"]["record_id"].as_i64().unwrap();
    let n = 260;
    let mut books: Vec<(String, String)> = Vec::new();
    for i in 0..n {
        let barcode = format!("REFCART{i:04}");
        let cn = format!("QA{} .B{}", 100 + (i * 97) % n, i % 7 + 1);
        let r = c
            .post(s.url(&format!("/api/v1/records/{record}/items")))
            .header("authorization", &auth)
            .json(
                &serde_json::json!({"barcode": barcode, "branch": "MAIN", "location": "REF",
                "item_type": "BOOK", "call_number": cn, "call_number_scheme": "lc"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
        let r = c
            .post(s.url("/api/v1/checkins"))
            .header("authorization", &auth)
            .json(&serde_json::json!({"item": barcode}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        books.push((barcode, cn));
    }
    let expected = shelf_order(books);

    // Paging by cursor: 100 + 100 + 60, every book once, in shelf order.
    let mut got: Vec<String> = Vec::new();
    let mut query = "&size=100".to_owned();
    let mut pages = 0;
    loop {
        let (status, page) = cart_page(query.clone()).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], n);
        assert_eq!(page["size"], 100);
        assert_eq!(page["first_position"], got.len() + 1);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 100);
        got.extend(
            items
                .iter()
                .map(|i| i["barcode"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match page["next"].as_str() {
            Some(cursor) => query = format!("&size=100&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(got, expected, "the API pages are the cart in shelf order");
    // The default page size is 100.
    let (_, first) = cart_page(String::new()).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 100);
    // Bad input: the field and a 422.
    for (query, field) in [
        ("&size=7", "size"),
        ("&size=lots", "size"),
        ("&cursor=not-a-cursor", "cursor"),
        ("&cursor=Y2FydDotNQ", "cursor"),       // "cart:-5"
        ("&cursor=Y2FydDo5OTk5OTk5", "cursor"), // "cart:9999999": no such item
    ] {
        let (status, e) = cart_page(query.to_owned()).await;
        assert_eq!(status, 422, "{query}: {e}");
        assert_eq!(e["error"]["field"], field, "{query}: {e}");
    }

    // Item labels for the whole cart (Avery 5160: 30 a sheet, starting at
    // slot 5): one label per book, in shelf order, on nine sheets.
    let vol = login(&s, "volunteer", "shelf-reading-1").await;
    let (_, page) = get(&vol, &s.url("/staff/shelf/labels")).await;
    let r = vol
        .post(s.url("/staff/shelf/labels"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("kind", "item"),
            ("source", "cart"),
            ("branch", "MAIN"),
            ("location", "REF"),
            ("layout", "avery-5160"),
            ("start_at", "5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF"));
    if let Some(text) = pdftotext(&pdf, "-raw") {
        let printed: Vec<&str> = text
            .split_whitespace()
            .filter(|w| w.starts_with("REFCART"))
            .collect();
        assert_eq!(printed, expected, "one label per book, in shelf order");
        // (4 empty slots + 260 labels) / 30 a sheet = 9 sheets.
        assert_eq!(text.matches('\u{c}').count(), 9, "page breaks");
    }
    // Spine labels for the same cart: 260 labels, the class number of
    // each on its own line, in shelf order.
    let r = vol
        .post(s.url("/staff/shelf/labels"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("kind", "spine"),
            ("source", "cart"),
            ("branch", "MAIN"),
            ("location", "REF"),
            ("layout", "avery-l7651"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let pdf = r.bytes().await.unwrap();
    if let Some(text) = pdftotext(&pdf, "-raw") {
        let numbers: Vec<i64> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()))
            .map(|l| l.parse().unwrap())
            .collect();
        let want: Vec<i64> = (100..100 + n).collect();
        assert_eq!(numbers, want, "spine labels in shelf order");
    }
    // An empty cart: the form says so.
    let r = vol
        .post(s.url("/staff/shelf/labels"))
        .form(&[
            ("_csrf", csrf(&page).as_str()),
            ("kind", "spine"),
            ("source", "cart"),
            ("branch", "MAIN"),
            ("location", "CHILD"),
            ("layout", "avery-l7651"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    s.finish().await;
}
