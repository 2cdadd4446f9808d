#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The cataloging JSON API through the real binary: records in MARC-in-JSON
//! and MARCXML (content negotiation), validation as 422 with positions and
//! allowed values, optimistic concurrency (ETag / If-Match), delete refused
//! while on loan, items added and changed, permissions, search via the outbox.

mod common;

use common::*;
use quire_store::testing::backends;
use serde_json::{Value, json};

fn token(s: &Server, user: &str) -> String {
    let (ok, out, err) = s.cli(&[
        "admin",
        "create-token",
        "--username",
        user,
        "--name",
        "cataloging api test",
    ]);
    assert!(ok, "{err}");
    format!("Bearer {}", out.trim())
}

/// MARC-in-JSON of a small book; `f008` must be 40 characters.
fn book(title: &str, f008: &str) -> Value {
    json!({
        "leader": "00000nam a2200000 i 4500",
        "fields": [
            {"008": f008},
            {"020": {"ind1": " ", "ind2": " ", "subfields": [{"a": "9780306406157"}]}},
            {"100": {"ind1": "1", "ind2": " ", "subfields": [{"a": "Reyes, Maria."}]}},
            {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": title}]}},
        ]
    })
}

const F008: &str = "261201s2026    ph a   j      000 1 eng d";

struct Api {
    c: reqwest::Client,
    auth: String,
    base: String,
}

impl Api {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: Option<&str>,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut r = self
            .c
            .request(method, format!("{}{path}", self.base))
            .header("authorization", &self.auth);
        if let Some(ct) = content_type {
            r = r.header("content-type", ct);
        }
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        if let Some(b) = body {
            r = r.body(b);
        }
        let resp = r.send().await.unwrap();
        let status = resp.status().as_u16();
        let h = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let v = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, h, v)
    }

    async fn post_json_marc(
        &self,
        path: &str,
        v: &Value,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        self.send(
            reqwest::Method::POST,
            path,
            Some("application/marc+json"),
            Some(v.to_string()),
            &[],
        )
        .await
    }

    async fn json(&self, method: reqwest::Method, path: &str, v: &Value) -> (u16, Value) {
        let (s, _, b) = self
            .send(
                method,
                path,
                Some("application/json"),
                Some(v.to_string()),
                &[],
            )
            .await;
        (s, b)
    }
}

async fn put(
    api: &Api,
    path: &str,
    body: &Value,
    if_match: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let headers: Vec<(&str, &str)> = if_match.map(|t| vec![("if-match", t)]).unwrap_or_default();
    api.send(
        reqwest::Method::PUT,
        path,
        Some("application/marc+json"),
        Some(body.to_string()),
        &headers,
    )
    .await
}

fn header(h: &reqwest::header::HeaderMap, name: &str) -> String {
    h.get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn records_and_items_over_the_json_api() {
    for b in backends() {
        let mut s = Server::prepare(b).await;
        s.start("demo");
        let base = s.url("");
        let base = base.trim_end_matches('/').to_owned();
        let api = Api {
            c: client(),
            auth: token(&s, "cataloger"),
            base: base.clone(),
        };
        use reqwest::Method as M;

        // Create from MARC-in-JSON: 201, Location, ETag; the record has its id as 001.
        let (status, h, body) = api
            .post_json_marc("/api/v1/records", &book("Mga ibon ng Luzon", F008))
            .await;
        assert_eq!(status, 201, "{b:?} {body}");
        let id = body["id"].as_i64().unwrap();
        let location = header(&h, "location");
        assert_eq!(location, format!("/api/v1/records/{id}"));
        let etag = header(&h, "etag");
        assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
        assert_eq!(body["etag"], etag.as_str());
        let (status, h, rec) = api.send(M::GET, &location, None, None, &[]).await;
        assert_eq!(status, 200);
        assert_eq!(header(&h, "etag"), etag, "GET sends the same version");
        assert_eq!(rec["control_number"], id.to_string().as_str());
        assert_eq!(rec["title"], "Mga ibon ng Luzon");

        // The record itself, by Accept, in the format PUT takes back: a
        // round trip (GET MARC-in-JSON, edit, PUT with its ETag).
        let (status, h, marc) = api
            .send(
                M::GET,
                &location,
                None,
                None,
                &[("accept", "application/marc+json")],
            )
            .await;
        assert_eq!(status, 200, "{marc}");
        assert_eq!(header(&h, "content-type"), "application/marc+json");
        assert_eq!(header(&h, "etag"), etag, "the MARC has the view's version");
        assert_eq!(header(&h, "vary"), "Accept");
        let fields = marc["fields"].as_array().unwrap();
        assert_eq!(fields[0]["001"], id.to_string().as_str(), "{marc}");
        let mut edited = marc.clone();
        for f in edited["fields"].as_array_mut().unwrap() {
            if let Some(t) = f.get_mut("245") {
                t["subfields"][0]["a"] = json!("Mga ibon ng Luzon at Visayas");
            }
        }
        let (status, h, saved) = put(&api, &location, &edited, Some(&etag)).await;
        assert_eq!(status, 200, "{saved}");
        let etag = header(&h, "etag");
        let (status, h, xml) = api
            .send(
                M::GET,
                &location,
                None,
                None,
                &[("accept", "application/marcxml+xml")],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(header(&h, "content-type"), "application/marcxml+xml");
        assert_eq!(header(&h, "etag"), etag);
        let xml = xml.as_str().unwrap().to_owned();
        assert!(xml.contains("Mga ibon ng Luzon at Visayas"), "{xml}");
        assert!(
            xml.contains(&format!(r#"<controlfield tag="001">{id}</controlfield>"#)),
            "{xml}"
        );

        // Errors: 422 with every issue, its place and (for codes) the allowed values.
        let mut bad = book("Walang 008", "short");
        bad["fields"].as_array_mut().unwrap().pop(); // no 245 either
        let (status, _, e) = api.post_json_marc("/api/v1/records", &bad).await;
        assert_eq!(status, 422, "{e}");
        assert_eq!(e["error"]["code"], "invalid");
        let issues = e["error"]["issues"].as_array().unwrap();
        let has = |code: &str, place: &str| {
            issues
                .iter()
                .any(|i| i["code"] == code && i["place"] == place && i["severity"] == "error")
        };
        assert!(has("f008-length", "008"), "{issues:?}");
        assert!(has("required", "record"), "{issues:?}");

        // Warnings only (008/23 form of item "x"): refused until accepted.
        let mut f = F008.to_owned();
        f.replace_range(23..24, "x");
        let warn = book("Isang babala", &f);
        let (status, _, e) = api.post_json_marc("/api/v1/records", &warn).await;
        assert_eq!(status, 422, "{e}");
        let i = &e["error"]["issues"][0];
        assert_eq!(i["severity"], "warning");
        assert_eq!(i["place"], "008/23");
        assert_eq!(i["position"], 23);
        assert_eq!(i["value"], "x");
        assert_eq!(i["allowed"], "#, a, b, c, d, f, o, q, r, s, |");
        assert!(
            i["message"]
                .as_str()
                .unwrap()
                .starts_with("008/23: “x” is not a defined value"),
            "{i}"
        );
        assert_eq!(e["error"]["field"], "008/23");
        let (status, _, ok) = api
            .post_json_marc("/api/v1/records?accept_warnings=true", &warn)
            .await;
        assert_eq!(status, 201, "{ok}");
        assert_eq!(ok["warnings"][0]["place"], "008/23");

        // The same validation messages in Vietnamese.
        let (status, _, e) = api
            .send(
                M::POST,
                "/api/v1/records",
                Some("application/marc+json"),
                Some(warn.to_string()),
                &[("accept-language", "vi")],
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            e["error"]["issues"][0]["message"]
                .as_str()
                .unwrap()
                .contains("(giá trị cho phép: #, a, b"),
            "{e}"
        );

        // MARCXML by Content-Type.
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<record xmlns="http://www.loc.gov/MARC21/slim">
  <leader>00000nam a2200000 i 4500</leader>
  <controlfield tag="001">xml-1</controlfield>
  <controlfield tag="008">{F008}</controlfield>
  <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Tiếng Việt cho người nước ngoài</subfield></datafield>
</record>"#
        );
        let (status, h, x) = api
            .send(
                M::POST,
                "/api/v1/records",
                Some("application/marcxml+xml; charset=utf-8"),
                Some(xml.clone()),
                &[],
            )
            .await;
        assert_eq!(status, 201, "{x}");
        let xml_id = x["id"].as_i64().unwrap();
        assert_eq!(header(&h, "location"), format!("/api/v1/records/{xml_id}"));
        let (_, _, rec) = api
            .send(
                M::GET,
                &format!("/api/v1/records/{xml_id}"),
                None,
                None,
                &[],
            )
            .await;
        assert_eq!(rec["control_number"], "xml-1");
        assert_eq!(rec["title"], "Tiếng Việt cho người nước ngoài");
        // Two records in one body, unreadable bodies, other media types.
        let two = format!(
            "<collection xmlns=\"http://www.loc.gov/MARC21/slim\">{}{}</collection>",
            &xml[xml.find("<record").unwrap()..],
            &xml[xml.find("<record").unwrap()..]
        );
        let (status, _, e) = api
            .send(
                M::POST,
                "/api/v1/records",
                Some("application/xml"),
                Some(two),
                &[],
            )
            .await;
        assert_eq!(status, 422, "{e}");
        assert_eq!(e["error"]["field"], "body");
        let (status, _, e) = api
            .send(
                M::POST,
                "/api/v1/records",
                Some("application/marc+json"),
                Some("{not json".into()),
                &[],
            )
            .await;
        assert_eq!(status, 422, "{e}");
        assert_eq!(e["error"]["field"], "body");
        let (status, _, e) = api
            .send(
                M::POST,
                "/api/v1/records",
                Some("text/plain"),
                Some("245 00 $aX".into()),
                &[],
            )
            .await;
        assert_eq!(status, 415, "{e}");
        assert_eq!(e["error"]["code"], "unsupported-media-type");

        // Replace: If-Match required (428), a stale one refused (412).
        let path = format!("/api/v1/records/{id}");
        let v2 = book("Mga ibon ng Luzon at Visayas", F008);
        let (status, _, e) = put(&api, &path, &v2, None).await;
        assert_eq!(status, 428, "{e}");
        let (status, _, e) = put(&api, &path, &v2, Some("\"0000\"")).await;
        assert_eq!(status, 412, "{e}");
        let (status, h, ok) = put(&api, &path, &v2, Some(&etag)).await;
        assert_eq!(status, 200, "{ok}");
        let etag2 = header(&h, "etag");
        assert_ne!(etag2, etag);
        // The first version's tag is stale now: a lost update is refused.
        let (status, _, _) = put(&api, &path, &v2, Some(&etag)).await;
        assert_eq!(status, 412);
        let (_, h, rec) = api.send(M::GET, &path, None, None, &[]).await;
        assert_eq!(header(&h, "etag"), etag2);
        assert_eq!(rec["title"], "Mga ibon ng Luzon at Visayas");
        assert_eq!(rec["control_number"], id.to_string().as_str(), "001 kept");

        // The change reached the search index through the outbox.
        let mut found = false;
        for _ in 0..50 {
            let (_, _, r) = api
                .send(M::GET, "/api/v1/search?q=ibon%20visayas", None, None, &[])
                .await;
            if r["hits"]
                .as_array()
                .is_some_and(|h| h.iter().any(|x| x["id"] == id))
            {
                found = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(found, "{b:?}: the replaced record is searchable");

        // Items: add one, change it partly.
        let (status, item) = api
            .json(
                M::POST,
                &format!("/api/v1/records/{id}/items"),
                &json!({"barcode": "API0001", "branch": "MAIN", "item_type": "BOOK",
                        "call_number": "QL691.P5 R49 2026"}),
            )
            .await;
        assert_eq!(status, 201, "{item}");
        assert_eq!(item["status"], "available");
        assert_eq!(item["call_number_scheme"], "lc");
        let (status, e) = api
            .json(
                M::POST,
                &format!("/api/v1/records/{id}/items"),
                &json!({"barcode": "API0001", "branch": "MAIN", "item_type": "BOOK"}),
            )
            .await;
        assert_eq!(status, 409, "duplicate barcode: {e}");
        let (status, e) = api
            .json(
                M::POST,
                &format!("/api/v1/records/{id}/items"),
                &json!({"barcode": "API0002", "branch": "MAIN", "item_type": "BOOK",
                        "call_number": "123 not lc", "call_number_scheme": "lc"}),
            )
            .await;
        assert_eq!(status, 422, "{e}");
        assert_eq!(e["error"]["field"], "call_number");
        let (status, item) = api
            .json(
                M::PATCH,
                "/api/v1/items/API0001",
                &json!({"copy_number": "c.2", "notes": "gift"}),
            )
            .await;
        assert_eq!(status, 200, "{item}");
        assert_eq!(item["copy_number"], "c.2");
        assert_eq!(
            item["call_number"], "QL691.P5 R49 2026",
            "untouched fields stay"
        );
        let (status, _) = api
            .json(M::PATCH, "/api/v1/items/NO-SUCH", &json!({"notes": "x"}))
            .await;
        assert_eq!(status, 404);

        // Delete: refused while the item is on loan, then a tombstone.
        let admin = Api {
            c: client(),
            auth: token(&s, "admin"),
            base: base.clone(),
        };
        let demo = s.demo_json();
        let patron = demo["patrons"][0]["barcode"].as_str().unwrap().to_owned();
        let (status, loan) = admin
            .json(
                M::POST,
                "/api/v1/checkouts",
                &json!({"patron": patron, "item": "API0001"}),
            )
            .await;
        assert_eq!(status, 201, "{loan}");
        let (status, _, e) = api.send(M::DELETE, &path, None, None, &[]).await;
        assert_eq!(status, 409, "{e}");
        assert_eq!(e["error"]["code"], "conflict");
        let (status, _) = admin
            .json(M::POST, "/api/v1/checkins", &json!({"item": "API0001"}))
            .await;
        assert_eq!(status, 200);
        let (status, _, _) = api.send(M::DELETE, &path, None, None, &[]).await;
        assert_eq!(status, 204);
        let (status, _, _) = api.send(M::GET, &path, None, None, &[]).await;
        assert_eq!(status, 404);
        let (status, _, _) = api.send(M::DELETE, &path, None, None, &[]).await;
        assert_eq!(status, 404);

        // The audit log has the API's changes under the cataloger's name.
        let (status, _, audit) = admin
            .send(M::GET, "/api/v1/audit?entity=record", None, None, &[])
            .await;
        assert_eq!(status, 200, "{audit}");
        let text = audit.to_string();
        for action in ["create", "update", "delete"] {
            assert!(text.contains(&format!("\"{action}\"")), "{action}: {text}");
        }

        // Permissions: a volunteer may not catalog; nobody without a login.
        let vol = Api {
            c: client(),
            auth: token(&s, "volunteer"),
            base: base.clone(),
        };
        let (status, _, _) = vol
            .post_json_marc("/api/v1/records", &book("Nope", F008))
            .await;
        assert_eq!(status, 403);
        let (status, _) = vol
            .json(
                M::PATCH,
                &format!("/api/v1/items/{}", "API0001"),
                &json!({"notes": "x"}),
            )
            .await;
        assert_eq!(status, 403);
        let anon = Api {
            c: client(),
            auth: String::new(),
            base: base.clone(),
        };
        let (status, _, _) = anon
            .post_json_marc("/api/v1/records", &book("Nope", F008))
            .await;
        assert!(status == 401 || status == 403, "{status}");
        s.finish().await;
    }
}
