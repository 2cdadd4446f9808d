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

/// Text of a PDF via poppler's pdftotext (installed by scripts/test);
/// `None` outside CI when it is missing.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
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
    if let Some(text) = pdftotext(&bytes) {
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
    if let (Some(one), Some(many)) = (pdftotext(&card), pdftotext(&sheet)) {
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
}
