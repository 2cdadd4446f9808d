#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The catalog through the real binary: `quire import` while the server
//! runs, the public catalog pages, the MARC tools.

mod common;

use common::*;
use quire_store::testing::backends;

fn fixture(name: &str) -> Option<std::path::PathBuf> {
    quire_testdata::fixture(&format!("marc/{name}"))
}

async fn wait_for_hits(c: &reqwest::Client, url: &str, want_at_least: usize) -> usize {
    let re = regex_lite::Regex::new(r#"<h3><a href="/record/\d+">"#).unwrap();
    for _ in 0..100 {
        let body = c.get(url).send().await.unwrap().text().await.unwrap();
        let n = re.find_iter(&body).count();
        if n >= want_at_least {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    0
}

#[tokio::test]
async fn import_while_serving_is_searchable_within_seconds() {
    let (Some(viet), Some(bad)) = (
        fixture("loc__books2016_vietnamese.mrc"),
        fixture("pymarc__bad_records.mrc"),
    ) else {
        return;
    };
    for b in backends() {
        let mut s = Server::prepare(b).await;
        assert!(s.cli(&["init"]).0);
        s.create_user("root", "admin", "admin password 1");
        s.start("serve");
        let c = client();
        let url = s.url("/search?q=lich+su");
        let (_, body) = get(&c, &url).await;
        assert!(body.contains("Nothing found"));

        let report = s.data.join("report.json");
        let (ok, out, err) = s.cli(&[
            "import",
            viet.to_str().unwrap(),
            bad.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ]);
        assert!(ok, "{out}{err}");
        assert!(
            out.contains("30 records") && out.contains("30 new"),
            "{out}"
        );
        let started = std::time::Instant::now();
        let hits = wait_for_hits(&c, &url, 1).await;
        assert!(
            hits > 0,
            "imported records are searchable while the server runs"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        // Accents and capitals are optional.
        for q in ["L%E1%BB%8ACH+S%E1%BB%AC", "l%E1%BB%8Bch+s%E1%BB%AD"] {
            let n = wait_for_hits(&c, &s.url(&format!("/search?q={q}")), hits).await;
            assert_eq!(n, hits, "{q}");
        }
        // The report names the quarantined records.
        let r: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        let q = r["files"][1]["quarantined"].as_array().unwrap();
        assert!(!q.is_empty());
        assert!(q.iter().all(|e| !e["reason"].as_str().unwrap().is_empty()
            && !e["raw_hex"].as_str().unwrap().is_empty()));
        // Record page with details; the MARC view is for staff only.
        let body = c.get(&url).send().await.unwrap().text().await.unwrap();
        let id = regex_lite::Regex::new(r#"/record/(\d+)"#)
            .unwrap()
            .captures(&body)
            .unwrap()[1]
            .to_owned();
        let (status, page) = get(&c, &s.url(&format!("/record/{id}"))).await;
        assert_eq!(status, 200);
        assert!(page.contains("Link to this page") && !page.contains("MARC record (staff view)"));
        assert_eq!(
            c.get(s.url(&format!("/record/{id}/marc")))
                .send()
                .await
                .unwrap()
                .status(),
            303,
            "anonymous users go to login"
        );
        let staff = login(&s, "root", "admin password 1").await;
        let (status, marc) = get(&staff, &s.url(&format!("/record/{id}/marc"))).await;
        assert_eq!(status, 200);
        assert!(marc.contains("245 "), "{marc}");
        assert_eq!(get(&c, &s.url("/record/999999")).await.0, 404);
        s.finish().await;
    }
}

#[tokio::test]
async fn import_without_a_server_indexes_what_it_imports() {
    let Some(viet) = fixture("loc__books2016_vietnamese.mrc") else {
        return;
    };
    for b in backends() {
        let mut s = Server::prepare(b).await;
        assert!(s.cli(&["init"]).0);
        let (ok, out, err) = s.cli(&["import", viet.to_str().unwrap()]);
        assert!(ok, "{out}{err}");
        assert!(out.contains("30 new"), "{out}");
        assert!(
            out.contains("Search index updated: 30 records indexed"),
            "{out}"
        );
        // The index on disk holds the records and the outbox position they
        // reflect, without a `quire reindex` or a server.
        let dir = s.data.join("index");
        {
            let index = quire_search::SearchIndex::open(&dir).unwrap();
            assert_eq!(index.count(), 30);
            assert!(index.last_watermark().unwrap().unwrap() >= 30);
        }
        // Importing the same file again replaces the records: still 30
        // documents, none twice.
        let (ok, out, err) = s.cli(&["import", viet.to_str().unwrap()]);
        assert!(ok, "{out}{err}");
        assert!(out.contains("30 replaced"), "{out}");
        {
            let index = quire_search::SearchIndex::open(&dir).unwrap();
            assert_eq!(index.count(), 30);
        }
        // A server started afterwards finds them at once.
        s.start("serve");
        let c = client();
        let (_, body) = get(&c, &s.url("/search?q=lich+su")).await;
        assert!(body.contains("/record/"), "{body}");
        // While the server runs, `quire import` leaves the indexing to it
        // (it holds the index writer).
        let (ok, out, err) = s.cli(&["import", viet.to_str().unwrap()]);
        assert!(ok, "{out}{err}");
        assert!(
            out.contains("A server is running on this data directory"),
            "{out}"
        );
        assert!(!out.contains("Search index updated"), "{out}");
        s.finish().await;
    }
}

#[tokio::test]
async fn demo_catalog_search_facets_and_availability() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let c = client();
    let (status, body) = get(&c, &s.url("/search?q=vietnam")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Results 1–20 of"), "{body}");
    assert!(body.contains("facet-format") && body.contains("facet-language"));
    assert!(body.contains("copies available") || body.contains("copy available"));
    // Narrowing by language keeps only Vietnamese-language records.
    let (_, viet) = get(&c, &s.url("/search?q=vietnam&language=vie")).await;
    assert!(
        viet.contains(r#"aria-current="true" class="selected">Vietnamese</a>"#),
        "{viet}"
    );
    // Only items on the shelf, at one branch.
    let (_, saigon) = get(&c, &s.url("/search?q=vietnam&branch=SAIGON&available=yes")).await;
    assert!(saigon.contains("SAIGON:"));
    // Advanced search by author, and an empty result with help.
    let (_, by_author) = get(&c, &s.url("/search?author=vu+ngoc+dinh")).await;
    // (the record's text is not NFC, so compare what the author search returns by count)
    assert!(by_author.contains("Results 1–1 of 1"), "{by_author}");
    let (_, title_word) = get(&c, &s.url("/search?title=rizal")).await;
    assert!(title_word.contains("Ang paglilitis kay Dr. Jose P. Rizal"));
    let (_, none) = get(&c, &s.url("/search?q=zzzzqqqq")).await;
    assert!(none.contains("Nothing found") && none.contains("/help"));
    // The help page exists in three languages.
    for (lang, text) in [
        ("en", "How to search"),
        ("vi", "Hướng dẫn tra cứu"),
        ("fil", "Paano"),
    ] {
        let body = c
            .get(s.url("/help"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains(text), "{lang}: help page");
    }
    // The JSON search API: same engine, diacritics folded, facets counted.
    let api = |q: &str| {
        let c = c.clone();
        let url = s.url(&format!("/api/v1/search?{q}"));
        let q = q.to_owned();
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{q}");
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    let folded = api("q=viet+nam").await;
    let accented = api("q=Vi%E1%BB%87t+Nam").await;
    let upper = api("q=VI%E1%BB%86T+NAM").await;
    let total = folded["total"].as_u64().unwrap();
    assert!(total > 0, "{folded}");
    assert_eq!(accented["total"].as_u64(), Some(total));
    assert_eq!(upper["total"].as_u64(), Some(total));
    let hit = &folded["hits"][0];
    let id = hit["id"].as_i64().unwrap();
    assert_eq!(hit["href"], format!("/record/{id}"));
    assert!(
        folded["facets"]["language"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"] == "vie" && f["count"].as_u64().unwrap() > 0),
        "{folded}"
    );
    let vie = api("q=viet+nam&language=vie&page=1").await;
    assert!(vie["total"].as_u64().unwrap() <= total);
    assert_eq!(vie["page"], 1);
    // One record with its items; the MARC text is staff-only.
    let rec: serde_json::Value = c
        .get(s.url(&format!("/api/v1/records/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rec["id"], id);
    assert_eq!(rec["title"], hit["title"]);
    assert!(rec["marc_text"].is_null());
    assert_eq!(
        rec["items"].as_array().unwrap().len() as u64,
        hit["items"].as_u64().unwrap()
    );
    let missing = c.get(s.url("/api/v1/records/999999")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not-found");
    s.finish().await;
}

#[tokio::test]
async fn marc_dump_and_convert() {
    let Some(file) = fixture("loc__books2016_vietnamese.mrc") else {
        return;
    };
    let (ok, out, _) = run(&["marc", "dump", file.to_str().unwrap()]);
    assert!(ok);
    assert_eq!(
        out.matches("\nLDR ").count() + usize::from(out.starts_with("LDR ")),
        30
    );
    assert!(out.contains("245 1"));
    let (ok, xml, _) = run(&["marc", "convert", "--to", "marcxml", file.to_str().unwrap()]);
    assert!(ok);
    assert_eq!(xml.matches("<record").count(), 30);
    let (ok, json, _) = run(&["marc", "convert", "--to", "json", file.to_str().unwrap()]);
    assert!(ok);
    assert!(json.contains("\"leader\""));
    // A damaged file: warnings on stderr, good records still out.
    if let Some(bad) = fixture("pymarc__bad_records.mrc") {
        let (ok, out, err) = run(&["marc", "dump", bad.to_str().unwrap()]);
        assert!(ok);
        assert!(err.contains("warning: record"), "{err}");
        assert!(out.contains("245 "));
    }
}

#[tokio::test]
async fn staff_upload_import_job_and_quarantine_review() {
    let Some(bad) = fixture("pymarc__bad_records.mrc") else {
        return;
    };
    for b in backends() {
        let mut s = Server::prepare(b).await;
        assert!(s.cli(&["init"]).0);
        s.create_user("cat", "cataloger", "marc records 22");
        s.create_user("vic", "volunteer", "shelves and carts");
        let (ok, _, err) = s.cli(&["import", "--holdings", "none", bad.to_str().unwrap()]);
        assert!(ok, "{err}");
        s.start("serve");
        // Volunteers cannot import.
        let vic = login(&s, "vic", "shelves and carts").await;
        assert_eq!(get(&vic, &s.url("/staff/catalog/import")).await.0, 403);
        let c = login(&s, "cat", "marc records 22").await;
        let (status, page) = get(&c, &s.url("/staff/catalog/import")).await;
        assert_eq!(status, 200);
        let token = csrf(&page);
        // No file: the form says which field.
        let form = reqwest::multipart::Form::new().text("matching", "control-number");
        let r = c
            .post(s.url(&format!("/staff/catalog/import?_csrf={token}")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("File: this is required"));
        // Upload: a background job, a job page with live progress.
        let bytes = std::fs::read(&bad).unwrap();
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("bad records.mrc"),
            )
            .text("matching", "none")
            .text("holdings", "none");
        let r = c
            .post(s.url(&format!("/staff/catalog/import?_csrf={token}")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let job_url = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(job_url.starts_with("/staff/catalog/import/"), "{job_url}");
        let mut done = String::new();
        for _ in 0..100 {
            let (_, frag) = get(&c, &s.url(&format!("{job_url}?fragment=1"))).await;
            if frag.contains("Finished") {
                done = frag;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(done.contains("Finished"), "the job finishes");
        // Quarantine review: both imports quarantined the damaged records.
        let (_, list) = get(&c, &s.url("/staff/catalog/quarantine")).await;
        let ids: Vec<String> = regex_lite::Regex::new(r#"/staff/catalog/quarantine/(\d+)""#)
            .unwrap()
            .captures_iter(&list)
            .map(|m| m[1].to_owned())
            .collect();
        assert!(ids.len() >= 2, "{list}");
        let (status, entry) =
            get(&c, &s.url(&format!("/staff/catalog/quarantine/{}", ids[0]))).await;
        assert_eq!(status, 200);
        assert!(entry.contains("Reason"));
        let r = c
            .post(s.url(&format!("/staff/catalog/quarantine/{}/discard", ids[0])))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let (_, list) = get(&c, &s.url("/staff/catalog/quarantine")).await;
        assert!(
            !list.contains(&format!("/staff/catalog/quarantine/{}\"", ids[0])),
            "discarded records leave the list"
        );
        s.finish().await;
    }
}
