#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Staff cataloging through the real binary: the MARC editor (new, edit,
//! validation messages, no-JS row actions), items, delete, CSRF, languages.

mod common;

use common::*;
use quire_store::testing::backends;

async fn post_form(c: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let r = c.post(url).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, loc, r.text().await.unwrap())
}

#[tokio::test]
async fn editor_items_delete_with_csrf_and_languages() {
    for b in backends() {
        let mut s = Server::prepare(b).await;
        s.start("demo");
        let c = login(&s, "cataloger", "marc-and-more").await;
        let (status, page) = get(&c, &s.url("/staff/catalog/records/new")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Type of record") && page.contains("Nature of contents"));
        let token = csrf(&page);

        // Without the CSRF token: refused.
        let (status, _, _) = post_form(
            &c,
            &s.url("/staff/catalog/records/new"),
            &[("mode", "text"), ("text", "245 00 $aX")],
        )
        .await;
        assert_eq!(status, 403);

        // Text form with mistakes: 422, every problem named with its line.
        let bad = "LDR 00000nam a2200000 i 4500\n008 short\n24 10 $aNo tag\n100 1  $aName$Zx\n";
        let (status, _, body) = post_form(
            &c,
            &s.url("/staff/catalog/records/new"),
            &[("_csrf", &token), ("mode", "text"), ("text", bad)],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("field 245 is required"), "{body}");
        assert!(body.contains("the 008 has 5 characters instead of 40"));
        assert!(body.contains("Line 3"));
        assert!(body.contains("is not a valid subfield code"));

        // Row form: leader and 008 helpers plus rows.
        let form: Vec<(&str, &str)> = vec![
            ("_csrf", &token),
            ("mode", "rows"),
            ("pos_ldr-05", "n"),
            ("pos_ldr-06", "a"),
            ("pos_ldr-07", "m"),
            ("pos_f008-00", "261201"),
            ("pos_f008-06", "s"),
            ("pos_f008-07", "2025"),
            ("pos_f008-15", "pr#"),
            ("pos_f008-35", "spa"),
            ("row_tag", "100"),
            ("row_ind1", "1"),
            ("row_ind2", "#"),
            ("row_value", "$aRizal, José,$d1861-1896."),
            ("row_tag", "245"),
            ("row_ind1", "1"),
            ("row_ind2", "0"),
            (
                "row_value",
                "$aNoli me tángere :$bnovela tagala /$cJosé Rizal.",
            ),
            ("action", "save"),
        ];
        // A no-JS row action re-renders the form with one more row.
        let mut add = form.clone();
        add.pop();
        add.push(("action", "add-after:0"));
        let (status, _, body) = post_form(&c, &s.url("/staff/catalog/records/new"), &add).await;
        assert_eq!(status, 200);
        assert!(body.contains("id=\"f-row-2-tag\""), "three rows now");
        // Blank 008/29-33 are warnings: shown, saved once accepted.
        let (status, _, body) = post_form(&c, &s.url("/staff/catalog/records/new"), &form).await;
        assert_eq!(status, 422);
        assert!(body.contains("Please check these warnings"));
        // The summary names the position and lists the allowed values.
        assert!(
            body.contains(
                "href=\"#f-f008-books-29\">Conference publication (008&#x2f;29) — Warning"
            ),
            "{body}"
        );
        assert!(
            body.contains("is not a defined value here (allowed: 0, 1, |)"),
            "{body}"
        );
        assert!(body.contains("name=\"accept_warnings\""));
        let mut form = form;
        form.insert(1, ("accept_warnings", "on"));
        let (status, loc, body) = post_form(&c, &s.url("/staff/catalog/records/new"), &form).await;
        assert_eq!(status, 303, "saved: {body}");
        assert!(loc.starts_with("/staff/catalog/records/"), "{loc}");
        let id: i64 = loc
            .trim_start_matches("/staff/catalog/records/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let (status, staff_page) = get(&c, &s.url(&loc)).await;
        assert_eq!(status, 200);
        assert!(staff_page.contains("Noli me tángere"));

        // Editing: the editor shows the saved fields; the 008 kept its helpers.
        let (status, edit) = get(&c, &s.url(&format!("/staff/catalog/records/{id}/edit"))).await;
        assert_eq!(status, 200);
        assert!(edit.contains("$aNoli me tángere :$bnovela tagala"));
        assert!(edit.contains("value=\"spa\""));

        // Items: a bad call number for its scheme is a field error.
        let item_url = s.url(&format!("/staff/catalog/records/{id}/items/new"));
        let (status, item_page) = get(&c, &item_url).await;
        assert_eq!(status, 200);
        let item = |cn: &'static str, scheme: &'static str| {
            vec![
                ("_csrf", token.clone()),
                ("barcode", "39999000001234".to_owned()),
                ("branch", "MAIN".to_owned()),
                ("item_type", "BOOK".to_owned()),
                ("call_number", cn.to_owned()),
                ("call_number_scheme", scheme.to_owned()),
                ("price", "9.75".to_owned()),
                ("status", "available".to_owned()),
            ]
        };
        assert!(item_page.contains("name=\"barcode\""));
        let r = c
            .post(&item_url)
            .form(&item("PQ8897 .R5", "dewey"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("aria-invalid=\"true\""), "{body}");
        assert!(body.contains("Call number"), "the field is named");
        let r = c
            .post(&item_url)
            .form(&item("PQ8897.R5 N6 2025", ""))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let (_, staff_page) = get(&c, &s.url(&format!("/staff/catalog/records/{id}"))).await;
        assert!(staff_page.contains("39999000001234"));
        assert!(staff_page.contains("PQ8897.R5 N6 2025"));
        let item_id: String = regex_lite::Regex::new(r#"/staff/items/(\d+)/edit"#)
            .unwrap()
            .captures(&staff_page)
            .unwrap()[1]
            .to_owned();
        let (status, edit_item) = get(&c, &s.url(&format!("/staff/items/{item_id}/edit"))).await;
        assert_eq!(status, 200);
        assert!(edit_item.contains("Withdraw from the collection"));

        // The public record page links a logged-in cataloger to the editor.
        let (_, public) = get(&c, &s.url(&format!("/record/{id}"))).await;
        assert!(public.contains(&format!("/staff/catalog/records/{id}/edit")));
        let anon = client();
        let (_, public) = get(&anon, &s.url(&format!("/record/{id}"))).await;
        assert!(!public.contains("/staff/catalog/records/"));
        assert_eq!(
            get(&anon, &s.url(&format!("/staff/catalog/records/{id}/edit")))
                .await
                .0,
            303,
            "anonymous users are sent to the login page"
        );

        // The new record becomes searchable (outbox → index).
        let mut found = false;
        for _ in 0..50 {
            let (_, res) = get(&anon, &s.url("/search?q=noli+me+tangere")).await;
            if res.contains(&format!("/record/{id}\"")) {
                found = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(found, "the saved record is searchable");

        // Other languages.
        for (lang, word) in [("vi", "Loại biểu ghi"), ("fil", "Uri ng rekord")] {
            let fresh = login(&s, "cataloger", "marc-and-more").await;
            let r = fresh
                .get(s.url(&format!("/staff/catalog/records/{id}/edit")))
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            let page = r.text().await.unwrap();
            assert!(page.contains(word), "{lang}: {word}");
        }

        // Holdings mapping: administrators only, validated per field.
        assert_eq!(get(&c, &s.url("/staff/catalog/holdings")).await.0, 403);
        let admin = login(&s, "admin", "open-the-stacks").await;
        let (status, page) = get(&admin, &s.url("/staff/catalog/holdings")).await;
        assert_eq!(status, 200);
        assert!(page.contains("value=\"p\""), "952 barcode $p by default");
        let atoken = csrf(&page);
        let mut form: Vec<(String, String)> =
            regex_lite::Regex::new(r#"name="(m\d{3}_[a-z_]+)" value="([^"]*)""#)
                .unwrap()
                .captures_iter(&page)
                .map(|c| (c[1].to_owned(), c[2].to_owned()))
                .collect();
        assert_eq!(form.len(), 27);
        form.push(("_csrf".into(), atoken.clone()));
        form.push(("export_tag".into(), "952".into()));
        let mut bad = form.clone();
        for (k, v) in &mut bad {
            if k == "m949_barcode" {
                *v = "A".into();
            }
        }
        let r = admin
            .post(s.url("/staff/catalog/holdings"))
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("“A” is not a subfield code")
        );
        for (k, v) in &mut form {
            if k == "m949_barcode" {
                *v = "i".into();
            }
        }
        let r = admin
            .post(s.url("/staff/catalog/holdings"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let (_, page) = get(&admin, &s.url("/staff/catalog/holdings")).await;
        assert!(page.contains("id=\"f-m949_barcode\" name=\"m949_barcode\" value=\"i\""));

        // Delete: refused without CSRF, then done; the public page is gone.
        let del = s.url(&format!("/staff/catalog/records/{id}/delete"));
        assert_eq!(post_form(&c, &del, &[]).await.0, 403);
        let (status, loc, _) = post_form(&c, &del, &[("_csrf", &token)]).await;
        assert_eq!(
            (status, loc.as_str()),
            (303, "/staff/catalog/records/deleted")
        );
        assert_eq!(get(&anon, &s.url(&format!("/record/{id}"))).await.0, 404);
        s.finish().await;
    }
}

#[tokio::test]
async fn browse_lists_page_and_link_to_searches() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let c = client();
    let (_, search) = get(&c, &s.url("/search")).await;
    assert!(search.contains("href=\"/browse\""));
    let (_, help) = get(&c, &s.url("/help")).await;
    assert!(help.contains("href=\"/browse\""));
    // The index catches up with the demo catalog within seconds.
    let mut page = String::new();
    for _ in 0..50 {
        let (status, p) = get(&c, &s.url("/browse?index=author&from=nguyen")).await;
        assert_eq!(status, 200);
        page = p;
        // (The demo's headings are decomposed: match the ASCII part.)
        if page.contains("/search?author=Nguy") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        page.contains("/search?author=Nguy"),
        "author list from “nguyen”: {}",
        page.split("<main").nth(1).unwrap_or(&page)
    );
    assert!(page.contains("rel=\"prev\""), "names before N exist");
    let next = regex_lite::Regex::new(r#"href="(/browse\?index=author&amp;key=[^"]+)" rel="next""#)
        .unwrap()
        .captures(&page)
        .map(|m| m[1].replace("&amp;", "&"))
        .expect("a next page");
    let (status, p2) = get(&c, &s.url(&next)).await;
    assert_eq!(status, 200);
    assert!(p2.contains("rel=\"prev\""));
    assert_ne!(p2, page);
    // Titles from the start, call numbers in shelf order, bad index named.
    let (status, titles) = get(&c, &s.url("/browse")).await;
    assert_eq!(status, 200);
    assert!(
        !titles.contains("rel=\"prev\""),
        "the first page has no previous"
    );
    assert_eq!(
        get(&c, &s.url("/browse?index=callnumber&from=PL")).await.0,
        200
    );
    assert_eq!(get(&c, &s.url("/browse?index=nonsense")).await.0, 422);
    let r = c
        .get(s.url("/browse?index=subject"))
        .header("accept-language", "vi")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Duyệt mục lục"));
    s.finish().await;
}
