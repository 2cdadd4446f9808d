#![allow(clippy::unwrap_used, clippy::expect_used)]
//! SRU and OAI-PMH through the real binary, against `quire demo`.

mod common;

use std::collections::BTreeSet;

use common::*;

/// Checks well-formedness with quick-xml, and with `xmllint` when installed.
fn well_formed(xml: &str) {
    let mut r = quick_xml::Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}\n{xml}"),
        }
    }
    if let Ok(mut child) = std::process::Command::new("xmllint")
        .args(["--noout", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(xml.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "xmllint: {}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

async fn fetch(c: &reqwest::Client, url: &str) -> String {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    let ct = r.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(ct.starts_with("text/xml"), "{ct}");
    let body = r.text().await.unwrap();
    well_formed(&body);
    body
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    s.split(open)
        .skip(1)
        .filter_map(|x| x.split(close).next())
        .collect()
}

fn number_of_records(body: &str) -> u64 {
    between(body, "numberOfRecords>", "<")[0].parse().unwrap()
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Pages through a list verb; returns the identifiers in order and the
/// number of requests.
async fn harvest(c: &reqwest::Client, base: &str, first: &str) -> (Vec<String>, usize, String) {
    let mut ids = Vec::new();
    let mut url = format!("{base}/oai?{first}");
    let verb = first
        .split('&')
        .find_map(|p| p.strip_prefix("verb="))
        .unwrap()
        .to_owned();
    let mut requests = 0;
    let mut sample = String::new();
    loop {
        let body = fetch(c, &url).await;
        requests += 1;
        if sample.is_empty() {
            sample = body.clone();
        }
        assert!(!body.contains("<error"), "{body}");
        ids.extend(
            between(&body, "<identifier>", "</identifier>")
                .into_iter()
                .map(str::to_owned),
        );
        let token = between(&body, "<resumptionToken", "</resumptionToken>")
            .first()
            .and_then(|t| t.split_once('>'))
            .map(|(_, tok)| tok.to_owned())
            .unwrap_or_default();
        if token.is_empty() {
            break;
        }
        url = format!("{base}/oai?verb={verb}&resumptionToken={token}");
        assert!(requests < 1000, "endless harvest");
    }
    (ids, requests, sample)
}

#[tokio::test]
async fn sru_and_oai_against_the_demo() {
    for b in quire_store::testing::backends() {
        against_the_demo(b).await;
    }
}

async fn against_the_demo(backend: quire_store::Backend) {
    let mut s = Server::prepare(backend).await;
    s.env.push(("QUIRE_OAI_PAGE_SIZE".into(), "25".into()));
    s.start("demo");
    let c = client();
    let sru = s.url("/sru");

    // Explain: no parameters → SRU 2.0 explain; 1.2 on request.
    let body = fetch(&c, &sru).await;
    assert!(body.contains("http://docs.oasis-open.org/ns/search-ws/sruResponse"));
    assert!(body.contains("<explain xmlns=\"http://explain.z3950.org/dtd/2.0/\">"));
    for idx in ["title", "creator", "subject", "identifier", "isbn"] {
        assert!(
            body.contains(&format!(">{idx}</name>")),
            "explain lists {idx}"
        );
    }
    let body = fetch(&c, &format!("{sru}?operation=explain&version=1.2")).await;
    assert!(body.contains("<zs:explainResponse xmlns:zs=\"http://www.loc.gov/zing/srw/\">"));

    // A title search (the index may still be catching up right after start).
    let q = format!(
        "{sru}?version=1.2&operation=searchRetrieve&query={}&maximumRecords=5",
        enc("dc.title = rizal")
    );
    let mut body = String::new();
    for _ in 0..100 {
        body = fetch(&c, &q).await;
        if number_of_records(&body) > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(number_of_records(&body) >= 1, "{body}");
    assert!(body.contains("<zs:recordSchema>info:srw/schema/1/marcxml-v1.1</zs:recordSchema>"));
    assert!(body.contains("<record xmlns=\"http://www.loc.gov/MARC21/slim\">"));
    assert!(body.contains("Rizal"));
    assert!(body.contains("<zs:recordPosition>1</zs:recordPosition>"));
    // POST (form-encoded) answers exactly like GET.
    let posted = c
        .post(&sru)
        .form(&[
            ("version", "1.2"),
            ("operation", "searchRetrieve"),
            ("query", "dc.title = rizal"),
            ("maximumRecords", "5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    assert_eq!(posted.text().await.unwrap(), body);

    // Dublin Core, SRU 2.0.
    let body = fetch(
        &c,
        &format!("{sru}?query={}&recordSchema=dc", enc("dc.title = rizal")),
    )
    .await;
    assert!(body.contains("<sru:searchRetrieveResponse"));
    assert!(body.contains("info:srw/schema/1/dc-v1.1"));
    assert!(body.contains("<dc:title>") && body.contains("Rizal"));

    // Paging: a broad search, second page starts at 3.
    let body = fetch(
        &c,
        &format!(
            "{sru}?query={}&startRecord=3&maximumRecords=2",
            enc("vietnam")
        ),
    )
    .await;
    assert!(number_of_records(&body) > 4);
    assert!(body.contains("<sru:recordPosition>3</sru:recordPosition>"));
    assert!(body.contains("<sru:nextRecordPosition>5</sru:nextRecordPosition>"));

    // Diagnostics, in the namespace of the version asked for.
    for (query, extra, n) in [
        ("dc.nonsense = x", "", 16),
        ("dc.title exact x", "", 19),
        ("(dc.title = ", "", 10),
        ("dc.title = rizal", "&recordSchema=mods", 66),
        ("dc.title = rizal", "&startRecord=100000", 61),
    ] {
        let body = fetch(
            &c,
            &format!(
                "{sru}?version=1.2&operation=searchRetrieve&query={}{extra}",
                enc(query)
            ),
        )
        .await;
        assert!(
            body.contains(&format!("<diag:uri>info:srw/diagnostic/1/{n}</diag:uri>")),
            "{query}: {body}"
        );
        assert!(body.contains("xmlns:diag=\"http://www.loc.gov/zing/srw/diagnostic/\""));
    }
    let body = fetch(&c, &format!("{sru}?query={}", enc("dc.nonsense = x"))).await;
    assert!(body.contains("xmlns:diag=\"http://docs.oasis-open.org/ns/search-ws/diagnostic\""));
    let body = fetch(&c, &format!("{sru}?query={}", enc("(dc.title = "))).await;
    assert!(between(&body, "<diag:details>", "<")[0].len() > 3, "{body}");

    // Scan titles from "ang".
    let body = fetch(
        &c,
        &format!(
            "{sru}?version=1.2&operation=scan&scanClause={}&maximumTerms=5",
            enc("dc.title = ang")
        ),
    )
    .await;
    assert!(body.contains("<zs:scanResponse"), "{body}");
    let terms = between(&body, "<zs:value>", "</zs:value>");
    assert_eq!(terms.len(), 5, "{body}");
    assert!(terms[0].to_lowercase().starts_with("ang"), "{body}");
    let body = fetch(
        &c,
        &format!("{sru}?scanClause={}&maximumTerms=3", enc("dc.subject = a")),
    )
    .await;
    assert!(body.contains("<scan:scanResponse"), "{body}");
    assert_eq!(between(&body, "<scan:term>", "</scan:term>").len(), 3);

    // ---- OAI-PMH ----
    let base = s.base.clone();
    let oai = s.url("/oai");
    let body = fetch(&c, &format!("{oai}?verb=Identify")).await;
    for want in [
        "<protocolVersion>2.0</protocolVersion>",
        "<deletedRecord>persistent</deletedRecord>",
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>",
        "<repositoryIdentifier>quire</repositoryIdentifier>",
        "<earliestDatestamp>",
    ] {
        assert!(body.contains(want), "{want}: {body}");
    }
    let body = fetch(&c, &format!("{oai}?verb=ListMetadataFormats")).await;
    assert!(body.contains("<metadataPrefix>oai_dc</metadataPrefix>"));
    assert!(body.contains("<metadataPrefix>marc21</metadataPrefix>"));
    let body = fetch(&c, &format!("{oai}?verb=ListSets")).await;
    assert!(body.contains("<setSpec>branch:MAIN</setSpec>"), "{body}");
    assert!(body.contains("<setSpec>format:book</setSpec>"), "{body}");

    // Every record exactly once, through resumption tokens, in both formats.
    let (dc_ids, requests, first) =
        harvest(&c, &base, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    let total: usize = between(&first, "completeListSize=\"", "\"")[0]
        .parse()
        .unwrap();
    assert_eq!(dc_ids.len(), total);
    assert!(total >= 300, "the demo has 304 records, got {total}");
    assert_eq!(requests, total.div_ceil(25));
    let unique: BTreeSet<&String> = dc_ids.iter().collect();
    assert_eq!(unique.len(), dc_ids.len(), "no record twice");
    let (marc_ids, _, _) = harvest(&c, &base, "verb=ListIdentifiers&metadataPrefix=marc21").await;
    assert_eq!(marc_ids, dc_ids, "both formats list the same identifiers");
    let (rec_ids, _, sample) = harvest(&c, &base, "verb=ListRecords&metadataPrefix=marc21").await;
    assert_eq!(rec_ids, dc_ids);
    assert!(sample.contains("<metadata><record xmlns=\"http://www.loc.gov/MARC21/slim\">"));
    let (_, _, sample) = harvest(
        &c,
        &base,
        "verb=ListRecords&metadataPrefix=oai_dc&set=format:book",
    )
    .await;
    assert!(sample.contains("<oai_dc:dc") && sample.contains("<dc:title>"));
    // A branch set is a proper subset.
    let (main_ids, _, _) = harvest(
        &c,
        &base,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=branch:MAIN",
    )
    .await;
    assert!(!main_ids.is_empty() && main_ids.len() < dc_ids.len());
    // from/until: everything is from today; nothing from the far future.
    let body = fetch(
        &c,
        &format!("{oai}?verb=ListIdentifiers&metadataPrefix=oai_dc&from=2100-01-01"),
    )
    .await;
    assert!(body.contains("<error code=\"noRecordsMatch\">"), "{body}");
    let body = fetch(
        &c,
        &format!("{oai}?verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01T00:00:00Z"),
    )
    .await;
    assert!(body.contains("<error code=\"noRecordsMatch\">"), "{body}");
    let (ranged, _, _) = harvest(
        &c,
        &base,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2000-01-01&until=2099-12-31",
    )
    .await;
    assert_eq!(ranged, dc_ids);

    // GetRecord in both formats.
    let id = &dc_ids[0];
    let body = fetch(
        &c,
        &format!("{oai}?verb=GetRecord&identifier={id}&metadataPrefix=oai_dc"),
    )
    .await;
    assert!(
        body.contains(&format!("<identifier>{id}</identifier>")) && body.contains("<dc:title>")
    );
    let body = fetch(
        &c,
        &format!("{oai}?verb=GetRecord&identifier={id}&metadataPrefix=marc21"),
    )
    .await;
    assert!(body.contains("<leader>"));
    // POST works too.
    let posted = c
        .post(&oai)
        .form(&[
            ("verb", "GetRecord"),
            ("identifier", id.as_str()),
            ("metadataPrefix", "marc21"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(posted.contains("<leader>") && posted.contains("<GetRecord>"));

    // Errors.
    for (query, code) in [
        ("verb=Frobnicate", "badVerb"),
        ("", "badVerb"),
        ("verb=ListRecords", "badArgument"),
        ("verb=Identify&extra=1", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=mods",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&identifier=oai:quire:99999999&metadataPrefix=oai_dc",
            "idDoesNotExist",
        ),
        (
            "verb=GetRecord&identifier=nonsense&metadataPrefix=oai_dc",
            "idDoesNotExist",
        ),
        ("verb=ListRecords&resumptionToken=abc", "badResumptionToken"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=branch:NOWHERE",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2020-01-02T00:00:00Z",
            "badArgument",
        ),
    ] {
        let body = fetch(&c, &format!("{oai}?{query}")).await;
        assert!(
            body.contains(&format!("<error code=\"{code}\">")),
            "{query}: {body}"
        );
    }
    s.finish().await;
}
