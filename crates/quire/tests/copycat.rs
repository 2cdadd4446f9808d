#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Copy cataloging through the real binary: staff configure targets, a
//! cataloger searches YAZ's test server `yaz-ztest` (started here, Debian
//! package yaz), Quire's own Z39.50 server and its SRU server at once, and
//! imports records with duplicate detection.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;

/// A `yaz-ztest` on a free port, killed on drop.
struct ZTest {
    child: Child,
    port: u16,
}

impl ZTest {
    fn start() -> Option<ZTest> {
        let ok = Command::new("sh")
            .args(["-c", "command -v yaz-ztest"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "yaz-ztest is required under CI=true (Debian package yaz)"
            );
            eprintln!("skipping: yaz-ztest is not installed (Debian package yaz)");
            return None;
        }
        let port = free_port();
        let child = Command::new("yaz-ztest")
            .arg(format!("tcp:127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("yaz-ztest");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "yaz-ztest did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(ZTest { child, port })
    }
}

impl Drop for ZTest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn post_form(
    c: &reqwest::Client,
    url: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf(page);
    let mut form: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    form.extend_from_slice(fields);
    c.post(url).form(&form).send().await.unwrap()
}

/// The section of the results page for one target.
fn section<'a>(html: &'a str, target: &str) -> &'a str {
    html.split("<section")
        .find(|s| s.contains(&format!(">{target}</h3>")))
        .unwrap_or_else(|| panic!("no results section for {target}:\n{html}"))
}

fn hidden(html: &str, name: &str) -> Vec<String> {
    let re = regex_lite::Regex::new(&format!(r#"name="{name}" value="([^"]*)""#)).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[tokio::test]
async fn copy_cataloging_from_yaz_ztest_and_quire() {
    let Some(zt) = ZTest::start() else { return };
    for b in quire_store::testing::backends() {
        scenario(b, zt.port).await;
    }
}

async fn scenario(backend: quire_store::Backend, ztest_port: u16) {
    let mut s = Server::prepare(backend).await;
    s.env.push(("QUIRE_Z3950".into(), "127.0.0.1:0".into()));
    s.start("demo");
    let z = s.z3950.clone().unwrap();
    let (zhost, zport) = z.rsplit_once(':').unwrap();

    // An administrator configures the targets; bad input is refused field by field.
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (st, page) = get(&admin, &s.url("/staff/z-targets")).await;
    assert_eq!(st, 200);
    let r = post_form(
        &admin,
        &s.url("/staff/z-targets"),
        &page,
        &[
            ("name", ""),
            ("host", "bad host!"),
            ("port", "99999"),
            ("syntax", "grs1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    for msg in [
        "Name: this is required",
        "Host: is not a host name or address",
        "Port: must be a number from 1 to 65535",
        "Record syntax: is not one of the choices",
    ] {
        assert!(body.contains(msg), "{msg}\n{body}");
    }
    let ztest_port = ztest_port.to_string();
    let dead_port = free_port().to_string();
    let sru = s.url("/sru");
    for fields in [
        vec![
            ("name", "YAZ test server"),
            ("host", "127.0.0.1"),
            ("port", ztest_port.as_str()),
            ("database", "Default"),
            ("syntax", "usmarc"),
            ("charset", "marc-8"),
            ("enabled", "on"),
        ],
        vec![
            ("name", "Quire Z39.50"),
            ("host", zhost),
            ("port", zport),
            ("database", "Default"),
            ("syntax", "marcxml"),
            ("charset", "auto"),
            ("enabled", "on"),
        ],
        vec![
            ("name", "Quire SRU"),
            ("sru_url", sru.as_str()),
            ("enabled", "on"),
        ],
        vec![
            ("name", "Closed server"),
            ("host", "127.0.0.1"),
            ("port", dead_port.as_str()),
            ("enabled", "on"),
        ],
    ] {
        let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
        let r = post_form(&admin, &s.url("/staff/z-targets"), &page, &fields).await;
        assert_eq!(r.status(), 303, "{:?}: {}", fields, r.text().await.unwrap());
    }
    // A duplicate name is refused.
    let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
    let r = post_form(
        &admin,
        &s.url("/staff/z-targets"),
        &page,
        &[("name", "Quire SRU"), ("sru_url", "http://x.example/sru")],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("is already in use"));
    let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
    assert!(
        page.contains("YAZ test server")
            && page.contains(&format!("127.0.0.1:{ztest_port}/Default"))
    );

    // The volunteer may not copy records; the cataloger may not manage targets.
    let volunteer = login(&s, "volunteer", "shelf-reading-1").await;
    assert_eq!(get(&volunteer, &s.url("/staff/catalog/copy")).await.0, 403);
    let cat = login(&s, "cataloger", "marc-and-more").await;
    let (st, page) = get(&cat, &s.url("/staff/z-targets")).await;
    assert_eq!(st, 200);
    assert!(
        !page.contains("action=\"/staff/z-targets\""),
        "no form for catalogers"
    );

    // Search all four targets at once by title and author.
    let (st, page) = get(&cat, &s.url("/staff/catalog/copy")).await;
    assert_eq!(st, 200);
    let ids: Vec<String> = regex_lite::Regex::new(r#"name="t" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(ids.len(), 4);
    let mut url = s.url("/staff/catalog/copy?kind=title&q=house&author=dickins");
    for id in &ids {
        url.push_str(&format!("&t={id}"));
    }
    let started = std::time::Instant::now();
    let (st, page) = get(&cat, &url).await;
    assert_eq!(st, 200, "{page}");
    assert!(started.elapsed() < Duration::from_secs(12));
    for target in ["Quire Z39.50", "Quire SRU"] {
        let sec = section(&page, target);
        assert!(sec.contains("The house of the Lord"), "{target}: {sec}");
        assert!(sec.contains("Dickins, Barry"), "{sec}");
        assert!(sec.contains("<code>00362905</code>"), "001 shown: {sec}");
    }
    let ysec = section(&page, "YAZ test server");
    assert!(ysec.contains("How to program a computer"), "{ysec}");
    let closed = section(&page, "Closed server");
    assert!(closed.contains("This server did not answer"), "{closed}");
    assert!(closed.contains("cannot connect"), "{closed}");

    // Import the record from yaz-ztest (MARC-8 → UTF-8): new record page.
    let record = hidden(ysec, "record").into_iter().next().unwrap();
    let r = post_form(
        &cat,
        &s.url("/staff/catalog/copy/import"),
        &page,
        &[("record", &record), ("source", "YAZ test server")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        loc.starts_with("/record/") && loc.ends_with("?notice=copy-imported"),
        "{loc}"
    );
    let id: i64 = loc["/record/".len()..loc.find('?').unwrap()]
        .parse()
        .unwrap();
    let (st, rec) = get(&cat, &s.url(&loc)).await;
    assert_eq!(st, 200);
    assert!(rec.contains("How to program a computer"));
    assert!(
        rec.contains("The record was copied into your catalog."),
        "{rec}"
    );
    assert!(
        rec.contains(&format!("/staff/catalog/records/{id}/edit")),
        "editor link"
    );
    // The source's 001 became an 035; the record has a local 001.
    let (_, marc) = get(&cat, &s.url(&format!("/record/{id}/marc"))).await;
    assert!(marc.contains("(DLC)11224466"), "{marc}");

    // Importing it again is caught as a duplicate (same LCCN) …
    let r = post_form(
        &cat,
        &s.url("/staff/catalog/copy/import"),
        &page,
        &[("record", &record), ("source", "YAZ test server")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let dup = r.text().await.unwrap();
    assert!(dup.contains("may already be in your catalog"), "{dup}");
    assert!(dup.contains(&format!("href=\"/record/{id}\"")), "{dup}");
    assert!(dup.contains("same LCCN"), "{dup}");
    // … and can still be imported as a new record.
    let r = post_form(
        &cat,
        &s.url("/staff/catalog/copy/import"),
        &dup,
        &[
            ("record", &record),
            ("source", "YAZ test server"),
            ("as_new", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let loc2 = r.headers()["location"].to_str().unwrap().to_string();
    assert_ne!(loc2, loc);

    // A record copied from Quire itself (by ISBN, any form) matches the local one.
    let mut url = s.url("/staff/catalog/copy?kind=isbn&q=978-1-86330-562-4");
    for id in &ids {
        url.push_str(&format!("&t={id}"));
    }
    let (_, page) = get(&cat, &url).await;
    let qsec = section(&page, "Quire Z39.50");
    assert!(qsec.contains("1 record found"), "{qsec}");
    let record = hidden(qsec, "record").into_iter().next().unwrap();
    let r = post_form(
        &cat,
        &s.url("/staff/catalog/copy/import"),
        &page,
        &[("record", &record), ("source", "Quire Z39.50")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let dup = r.text().await.unwrap();
    assert!(dup.contains("same ISBN"), "{dup}");

    // No target chosen / nothing typed: clear errors.
    let (st, page) = get(&cat, &s.url("/staff/catalog/copy?kind=isbn&q=")).await;
    assert_eq!(st, 422);
    assert!(page.contains("Search: this is required"), "{page}");
    assert!(
        page.contains("Servers: choose at least one server"),
        "{page}"
    );

    // Removing a target.
    let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
    let first = regex_lite::Regex::new(r#"href="/staff/z-targets/(\d+)""#)
        .unwrap()
        .captures(&page)
        .unwrap()[1]
        .to_string();
    let (_, tpage) = get(&admin, &s.url(&format!("/staff/z-targets/{first}"))).await;
    let r = post_form(
        &admin,
        &s.url(&format!("/staff/z-targets/{first}/delete")),
        &tpage,
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&admin, &s.url("/staff/z-targets?notice=target-deleted")).await;
    assert!(page.contains("The server was removed."));
    assert_eq!(page.matches("href=\"/staff/z-targets/").count(), 3);
    s.finish().await;
}
