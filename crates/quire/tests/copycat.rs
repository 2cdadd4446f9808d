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

    // Search the six enabled targets at once by title and author.
    let (st, page) = get(&cat, &s.url("/staff/catalog/copy")).await;
    assert_eq!(st, 200);
    let ids: Vec<String> = regex_lite::Regex::new(r#"name="t" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| c[1].to_string())
        .collect();
    // The four above plus the demo's own Z39.50 and SRU targets.
    assert_eq!(ids.len(), 6);
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
    assert!(
        closed.contains("It refused the connection: nothing is listening on that port."),
        "translated reason: {closed}"
    );
    // The demo's own targets answer too.
    for target in ["This library (Z39.50)", "This library (SRU)"] {
        let sec = section(&page, target);
        assert!(sec.contains("The house of the Lord"), "{target}: {sec}");
    }

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
    // 4 added + 2 own + 3 public demo targets, one removed.
    assert_eq!(page.matches("href=\"/staff/z-targets/").count(), 8);
    s.finish().await;
}

/// The demo configures its own servers as targets (at the ports of this
/// start) and the Library of Congress ones switched off, marked as needing
/// internet.
#[tokio::test]
async fn demo_targets() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.env.push(("QUIRE_Z3950".into(), "127.0.0.1:0".into()));
    s.start("demo");
    let z = s.z3950.clone().unwrap();
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (st, page) = get(&admin, &s.url("/staff/z-targets")).await;
    assert_eq!(st, 200);
    let row = |name: &str| -> String {
        page.split("<tr")
            .find(|r| r.contains(&format!(">{name}</a>")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{page}"))
            .to_string()
    };
    let own = row("This library (Z39.50)");
    assert!(own.contains(&format!("{z}/Default")), "{own}");
    assert!(own.contains(">In use<"), "{own}");
    let sru = row("This library (SRU)").replace("&#x2f;", "/");
    assert!(sru.contains(&s.url("/sru")), "{sru}");
    let loc = row("Library of Congress (Z39.50, needs internet)");
    assert!(loc.contains("z3950.loc.gov:7090/Voyager"), "{loc}");
    assert!(!loc.contains(">In use<"), "off by default: {loc}");
    assert!(
        row("Library of Congress (SRU, needs internet)")
            .replace("&#x2f;", "/")
            .contains("http://lx2.loc.gov:210/LCDB")
    );

    // The cataloger's screen offers the enabled ones, all checked: one
    // search by ISBN finds the record in this library.
    let cat = login(&s, "cataloger", "marc-and-more").await;
    let (_, page) = get(&cat, &s.url("/staff/catalog/copy")).await;
    assert_eq!(page.matches("name=\"t\"").count(), 2, "{page}");
    assert!(!page.contains("needs internet"), "{page}");
    let ids: Vec<String> = regex_lite::Regex::new(r#"name="t" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| format!("&t={}", &c[1]))
        .collect();
    let (st, page) = get(
        &cat,
        &s.url(&format!(
            "/staff/catalog/copy?kind=isbn&q=9781863305624{}",
            ids.concat()
        )),
    )
    .await;
    assert_eq!(st, 200);
    for t in ["This library (Z39.50)", "This library (SRU)"] {
        assert!(section(&page, t).contains("1 record found"), "{t}: {page}");
    }

    // Restarted without --z3950, its Z39.50 target is switched off.
    assert!(s.terminate());
    s.env.retain(|(k, _)| k != "QUIRE_Z3950");
    s.start("demo");
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
    let own = page
        .split("<tr")
        .find(|r| r.contains(">This library (Z39.50)</a>"))
        .unwrap();
    assert!(!own.contains(">In use<"), "{own}");
    s.finish().await;
}

/// Targets that cannot be reached answer at once with a translated
/// reason, not after a hang: a closed local port (refused), a
/// non-routable address (timeout, with a short --copy-timeout-secs) and a
/// name that does not resolve.
#[tokio::test]
async fn unreachable_targets_fail_fast_with_a_translated_reason() {
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.env.push(("QUIRE_COPY_TIMEOUT_SECS".into(), "1.5".into()));
    s.start("demo");
    let admin = login(&s, "admin", "open-the-stacks").await;
    let closed = free_port().to_string();
    // A server that accepts connections (the kernel's backlog) and never
    // answers: the search must give up after the timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port().to_string();
    for fields in [
        vec![
            ("name", "Silent server"),
            ("host", "127.0.0.1"),
            ("port", silent_port.as_str()),
        ],
        vec![
            ("name", "Closed port"),
            ("host", "127.0.0.1"),
            ("port", closed.as_str()),
        ],
        // A private address nobody routes: the connect hangs (or, behind a
        // transparent proxy, connects and never answers).
        vec![
            ("name", "Non-routable"),
            ("host", "10.255.255.1"),
            ("port", "210"),
        ],
        vec![
            ("name", "No such host"),
            ("host", "no-such-host.invalid"),
            ("port", "210"),
        ],
        vec![
            ("name", "Closed https SRU"),
            ("sru_url", &format!("https://127.0.0.1:{closed}/sru")),
        ],
    ] {
        let mut fields = fields;
        fields.push(("enabled", "on"));
        let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
        let r = post_form(&admin, &s.url("/staff/z-targets"), &page, &fields).await;
        assert_eq!(r.status(), 303, "{fields:?}");
    }
    let cat = login(&s, "cataloger", "marc-and-more").await;
    let (_, page) = get(&cat, &s.url("/staff/catalog/copy")).await;
    let ids: String = regex_lite::Regex::new(r#"name="t" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| format!("&t={}", &c[1]))
        .collect();
    let url = s.url(&format!(
        "/staff/catalog/copy?kind=isbn&q=9781863305624{ids}"
    ));
    let started = std::time::Instant::now();
    let (st, page) = get(&cat, &url).await;
    let took = started.elapsed();
    assert_eq!(st, 200, "{page}");
    assert!(took < Duration::from_secs(5), "no hang: took {took:?}");
    // The reachable targets still give their results.
    assert!(section(&page, "This library (SRU)").contains("1 record found"));
    let refused = section(&page, "Closed port");
    assert!(
        refused.contains("It refused the connection: nothing is listening on that port.")
            && refused.contains("cannot connect to 127.0.0.1:"),
        "{refused}"
    );
    let silent_sec = section(&page, "Silent server");
    assert!(
        silent_sec.contains("It did not answer in time.")
            && silent_sec.contains("no answer within 1.5 s"),
        "{silent_sec}"
    );
    // The non-routable address hangs at connect on a real network (timeout)
    // or fails at once; in a sandbox a proxy may even answer it. Whatever
    // happens, the page names a reason in the reader's language.
    let slow = section(&page, "Non-routable");
    assert!(
        [
            "It did not answer in time.",
            "It cannot be reached from this network",
            "It refused the connection",
            "Its answer could not be understood.",
        ]
        .iter()
        .any(|m| slow.contains(m)),
        "{slow}"
    );
    // Resolving .invalid fails at once with a resolver, or runs into the
    // timeout where no resolver answers (a sandbox): either way a reason.
    let dns = section(&page, "No such host");
    assert!(
        dns.contains("Its host name could not be found.")
            || dns.contains("It did not answer in time."),
        "{dns}"
    );
    let https = section(&page, "Closed https SRU");
    assert!(https.contains("It refused the connection"), "{https}");
    for sec in [refused, silent_sec, slow, dns, https] {
        assert!(sec.contains("role=\"alert\""), "{sec}");
    }

    // The same page in Vietnamese and Filipino.
    for (lang, text) in [
        ("vi", "Máy chủ từ chối kết nối"),
        ("fil", "Tinanggihan nito ang koneksyon"),
    ] {
        let body = cat
            .get(&url)
            .header("Accept-Language", lang)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            section(&body, "Closed port").contains(text),
            "{lang}: {body}"
        );
    }
    s.finish().await;
}

/// A local https server (Python's http.server wrapped in ssl) answering
/// every GET with `body`, with a certificate for `localhost` signed by a
/// throwaway CA made by openssl (`cert` is the CA to trust); killed on drop.
struct HttpsFixture {
    child: Child,
    port: u16,
    cert: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl HttpsFixture {
    fn start(body: &[u8]) -> Option<HttpsFixture> {
        let have = |cmd: &str| {
            Command::new("sh")
                .args(["-c", &format!("command -v {cmd}")])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !(have("openssl") && have("python3")) {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "openssl and python3 are required under CI=true"
            );
            eprintln!("skipping: openssl or python3 missing");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        // A private CA and a certificate for `localhost` it signed (webpki
        // does not take a self-signed end-entity certificate as its own
        // trust anchor).
        let p = |f: &str| dir.path().join(f);
        std::fs::write(
            p("leaf.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\n",
        )
        .unwrap();
        let openssl = |args: &[&str]| {
            let ok = Command::new("openssl")
                .current_dir(dir.path())
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(ok.success(), "openssl {args:?} failed");
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Quire test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "key.pem",
            "-out",
            "leaf.csr",
        ]);
        openssl(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "leaf.ext",
            "-out",
            "cert.pem",
        ]);
        let cert = p("ca.pem");
        let key = p("key.pem");
        let chain = p("cert.pem");
        let body_path = dir.path().join("body.xml");
        std::fs::write(&body_path, body).unwrap();
        let port = free_port();
        let script = r#"
import http.server, ssl, sys
port, cert, key, body = int(sys.argv[1]), sys.argv[2], sys.argv[3], open(sys.argv[4], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        print(self.path, flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
"#;
        let child = Command::new("python3")
            .args(["-c", script, &port.to_string()])
            .arg(&chain)
            .arg(&key)
            .arg(&body_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "https fixture did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(HttpsFixture {
            child,
            port,
            cert,
            _dir: dir,
        })
    }
}

impl Drop for HttpsFixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The SRU client speaks https: a target whose self-signed certificate is
/// trusted through --copy-ca-file gives its records; the same server under
/// a name its certificate does not carry is refused (verification stays on).
#[tokio::test]
async fn sru_targets_over_https() {
    // The fixture answer: this demo's own SRU response for one ISBN.
    let mut first = Server::prepare(quire_store::Backend::Sqlite).await;
    first.start("demo");
    let answer = client()
        .get(first.url(
            "/sru?version=1.2&operation=searchRetrieve&recordSchema=marcxml&query=bath.isbn%3D9781863305624",
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    first.finish().await;
    assert!(String::from_utf8_lossy(&answer).contains("numberOfRecords>1<"));
    let Some(fx) = HttpsFixture::start(&answer) else {
        return;
    };

    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.env
        .push(("QUIRE_COPY_CA_FILE".into(), fx.cert.display().to_string()));
    s.env.push(("QUIRE_COPY_TIMEOUT_SECS".into(), "5".into()));
    s.start("demo");
    let admin = login(&s, "admin", "open-the-stacks").await;
    let trusted = format!("https://localhost:{}/sru", fx.port);
    let wrong_name = format!("https://127.0.0.1:{}/sru", fx.port);
    for (name, url) in [("Secure SRU", &trusted), ("Wrong name", &wrong_name)] {
        let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
        let r = post_form(
            &admin,
            &s.url("/staff/z-targets"),
            &page,
            &[("name", name), ("sru_url", url), ("enabled", "on")],
        )
        .await;
        assert_eq!(r.status(), 303);
    }
    let cat = login(&s, "cataloger", "marc-and-more").await;
    let (_, page) = get(&cat, &s.url("/staff/catalog/copy")).await;
    let ids: String = regex_lite::Regex::new(r#"name="t" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| format!("&t={}", &c[1]))
        .collect();
    let (st, page) = get(
        &cat,
        &s.url(&format!(
            "/staff/catalog/copy?kind=isbn&q=978-1-86330-562-4{ids}"
        )),
    )
    .await;
    assert_eq!(st, 200);
    let ok = section(&page, "Secure SRU");
    assert!(ok.contains("1 record found"), "{ok}");
    assert!(ok.contains("The house of the Lord"), "{ok}");
    assert!(!hidden(ok, "record").is_empty(), "importable: {ok}");
    let bad = section(&page, "Wrong name");
    assert!(
        bad.contains("The secure (https) connection failed"),
        "certificate checked: {bad}"
    );
    assert!(bad.contains("TLS with 127.0.0.1:"), "{bad}");
    s.finish().await;
    drop(fx);

    // A server started without the certificate does not trust it.
    let Some(fx) = HttpsFixture::start(&answer) else {
        return;
    };
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.start("demo");
    let admin = login(&s, "admin", "open-the-stacks").await;
    let (_, page) = get(&admin, &s.url("/staff/z-targets")).await;
    let url = format!("https://localhost:{}/sru", fx.port);
    let r = post_form(
        &admin,
        &s.url("/staff/z-targets"),
        &page,
        &[("name", "Untrusted"), ("sru_url", &url), ("enabled", "on")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&admin, &s.url("/staff/catalog/copy")).await;
    let ids: String = regex_lite::Regex::new(r#"name="t" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page)
        .map(|c| format!("&t={}", &c[1]))
        .collect();
    let (_, page) = get(
        &admin,
        &s.url(&format!(
            "/staff/catalog/copy?kind=isbn&q=9781863305624{ids}"
        )),
    )
    .await;
    let sec = section(&page, "Untrusted");
    assert!(
        sec.contains("The secure (https) connection failed"),
        "{sec}"
    );
    assert!(
        sec.contains("UnknownIssuer") || sec.contains("certificate"),
        "{sec}"
    );
    s.finish().await;
}
