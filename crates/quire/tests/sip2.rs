#![allow(clippy::unwrap_used, clippy::expect_used)]
//! SIP2 through the real binary: `quire demo --sip2` driven by the
//! third-party PyPI `sip2` client (installed by scripts/test into
//! target/venv) — login, status, patron information, checkout, renew,
//! checkin repeated on one connection, hold, fee paid, and malformed input
//! (bad checksum, garbage, a 100 kB field, a truncated message, an unknown
//! command) — on every available backend. Also the `quire admin sip2` CLI.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;
use quire_store::Backend;
use quire_store::circ::FeeWrite;

/// The Python with the `sip2` package, or `None` (skip) outside CI.
fn python() -> Option<PathBuf> {
    let p = std::env::var_os("QUIRE_SIP2_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python")
        });
    let has_client = Command::new(&p)
        .args(["-c", "import Sip2.sip2"])
        .status()
        .is_ok_and(|s| s.success());
    if has_client {
        return Some(p);
    }
    assert!(
        std::env::var("CI").ok().as_deref() != Some("true"),
        "CI=true but {} cannot import the PyPI sip2 client (scripts/test installs it)",
        p.display()
    );
    eprintln!(
        "skipping: no Python with the PyPI sip2 client at {} (run scripts/test or set QUIRE_SIP2_PYTHON)",
        p.display()
    );
    None
}

fn database_url(s: &Server) -> String {
    s.database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", s.data.join("quire.db").display()))
}

#[tokio::test]
async fn a_third_party_sip2_client_against_the_demo() {
    let Some(python) = python() else { return };
    for b in quire_store::testing::backends() {
        against_the_demo(b, &python).await;
    }
}

async fn against_the_demo(backend: Backend, python: &PathBuf) {
    let mut s = Server::prepare(backend).await;
    s.env.push(("QUIRE_SIP2".into(), "127.0.0.1:0".into()));
    s.env.push(("QUIRE_SIP2_CURRENCY".into(), "PHP".into()));
    s.start("demo");
    let addr = s.stdout_line("SIP2 is listening on ");
    let (host, port) = addr.rsplit_once(':').unwrap();
    let demo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.data.join("demo.json")).unwrap()).unwrap();
    let sip2 = &demo["sip2"];
    let patron = &demo["patrons"][0];
    let item = demo["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "available")
        .expect("an available demo item");

    // The patron owes 12.50 (a damage charge), to be paid at the machine.
    let store = quire_store::open(&database_url(&s)).await.unwrap();
    let patron_id = {
        let mut w = store.begin().await.unwrap();
        let p = w
            .patron_by_barcode(patron["barcode"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        w.insert_fee(&FeeWrite {
            patron_id: p.id,
            loan_id: None,
            item_id: None,
            kind: "damage",
            amount_minor: 1250,
            note: None,
            created_at: chrono::Utc::now(),
            created_by: "test",
        })
        .await
        .unwrap();
        w.commit().await.unwrap();
        p.id
    };

    let record = {
        let mut r = store.read().await.unwrap();
        r.item_by_barcode(item["barcode"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap()
            .record_id
    };
    let config = serde_json::json!({
        "record": record,
        "host": host,
        "port": port,
        "login": sip2["login"],
        "password": sip2["password"],
        "institution": sip2["institution"],
        "location": sip2["location"],
        "patron": patron["barcode"],
        "pin": patron["pin"],
        "patron_name": patron["name"],
        "item": item["barcode"],
        "title": item["title"],
        "fee": "12.50",
        "currency": "PHP",
        "repeat": 20,
        "holds": true,
    });
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sip2_client.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(config.to_string())
        .output()
        .expect("run the sip2 client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{backend:?}: the sip2 client checks failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all SIP2 client checks passed"));

    // The payment is in the fees ledger, written by the device, and the
    // circulation went through the audited service calls.
    let mut r = store.read().await.unwrap();
    let fees = r.fees_of_patron(patron_id).await.unwrap();
    let payment = fees
        .iter()
        .find(|f| f.kind == "payment-cash")
        .expect("a payment line");
    assert_eq!(payment.amount_minor, -1250);
    assert_eq!(
        payment.created_by,
        format!("sip2:{}", sip2["login"].as_str().unwrap())
    );
    assert_eq!(r.fee_balance(patron_id).await.unwrap(), 0);
    // One loan per checkout round, each returned and anonymised at checkin
    // (the demo patron did not opt in to keeping a reading history).
    let it = r
        .item_by_barcode(item["barcode"].as_str().unwrap())
        .await
        .unwrap()
        .expect("the demo item");
    assert_eq!(r.count_item_loans(it.id).await.unwrap(), 20);
    assert!(r.open_loan_of_item(it.id).await.unwrap().is_none());
    assert!(r.loans_history(patron_id, 100).await.unwrap().is_empty());
    // 01 left a manual block by the device, and 25 lifted it.
    let device = format!("sip2:{}", sip2["login"].as_str().unwrap());
    let blocks = r.patron_blocks(patron_id, false).await.unwrap();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert_eq!(blocks[0].created_by, device);
    assert_eq!(blocks[0].lifted_by.as_deref(), Some(device.as_str()));
    assert!(blocks[0].note.contains("Card left in the machine"));
    // 19 stored the item properties on the item.
    assert_eq!(
        r.item_sip2_properties(it.id).await.unwrap().as_deref(),
        Some("AFI=07;bin 3")
    );
    drop(r);
    store.close().await;
    s.finish().await;
}

#[tokio::test]
async fn sip2_accounts_from_the_command_line() {
    let mut s = Server::prepare(Backend::Sqlite).await;
    let (ok, _, err) = s.cli(&["init"]);
    assert!(ok, "{err}");
    let (ok, _, err) = s.cli(&[
        "admin",
        "sip2",
        "create",
        "--login",
        "sorter1",
        "--password",
        "x",
        "--institution",
        "QUIRE",
        "--branch",
        "NOPE",
    ]);
    assert!(!ok);
    assert!(err.contains("branch: unknown-branch"), "{err}");
    // A library with a branch.
    s.env.push(("QUIRE_SIP2".into(), "127.0.0.1:0".into()));
    s.start("demo");
    let (ok, out, err) = s.cli(&[
        "admin",
        "sip2",
        "create",
        "--login",
        "sorter1",
        "--password",
        "belt-7",
        "--institution",
        "QUIRE",
        "--branch",
        "north",
        "--language",
        "vi",
        "--checksum-required",
        "--cv-on-success",
        "--login-not-required",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Created SIP2 account sorter1"), "{out}");
    let (ok, _, err) = s.cli(&[
        "admin",
        "sip2",
        "create",
        "--login",
        "sorter1",
        "--password",
        "again",
        "--institution",
        "QUIRE",
        "--branch",
        "MAIN",
    ]);
    assert!(!ok);
    assert!(err.contains("login: already-taken"), "{err}");
    let (ok, out, _) = s.cli(&["admin", "sip2", "list"]);
    assert!(ok);
    assert!(
        out.contains("selfcheck") && out.contains("sorter1"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("sorter1")
            && l.contains("NORTH")
            && l.contains(" vi ")
            && l.contains("checksum required")
            && l.contains("login not-required")),
        "{out}"
    );
    let (ok, _, err) = s.cli(&[
        "admin",
        "sip2",
        "add-sort-bin",
        "--bin",
        "B7",
        "--branch",
        "NORTH",
        "--route",
        "reshelve",
    ]);
    assert!(ok, "{err}");
    let (ok, _, err) = s.cli(&[
        "admin",
        "sip2",
        "add-sort-bin",
        "--bin",
        "B8",
        "--route",
        "sideways",
    ]);
    assert!(!ok);
    assert!(err.contains("route: invalid-choice"), "{err}");
    let (ok, out, _) = s.cli(&["admin", "sip2", "sort-bins"]);
    assert!(ok && out.contains("B7") && !out.contains("B8"), "{out}");

    // The new account logs in; a changed password takes effect; a deleted
    // account cannot log in.
    let addr = s.stdout_line("SIP2 is listening on ");
    let login = |pw: &str| {
        let mut c = quire_sip2_test_client(&addr);
        c(&format!("9300CNsorter1|CO{pw}|"))
    };
    assert!(login("belt-7").starts_with("941"));
    let (ok, _, err) = s.cli(&[
        "admin",
        "sip2",
        "reset-password",
        "--login",
        "sorter1",
        "--password",
        "belt-8",
    ]);
    assert!(ok, "{err}");
    assert!(login("belt-7").starts_with("940"));
    assert!(login("belt-8").starts_with("941"));
    let (ok, _, err) = s.cli(&["admin", "sip2", "delete", "--login", "sorter1"]);
    assert!(ok, "{err}");
    assert!(login("belt-8").starts_with("940"));

    // The same through the staff pages (/staff/sip2), as an administrator.
    let c = common::login(&s, "admin", "open-the-stacks").await;
    let (status, page) = get(&c, &s.url("/staff/sip2")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("selfcheck") && !page.contains("sorter1"),
        "{page}"
    );
    let token = csrf(&page);
    let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let c = c.clone();
        let url = s.url(path);
        let token = token.clone();
        async move {
            let mut form = form;
            form.push(("_csrf", Box::leak(token.into_boxed_str())));
            c.post(url).form(&form).send().await.unwrap()
        }
    };
    // A bad form: every problem reported, nothing created.
    let r = post(
        "/staff/sip2",
        vec![
            ("login", ""),
            ("password", "pw"),
            ("institution", "Q"),
            ("branch", "NOPE"),
            ("charset", "ebcdic"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    assert!(
        body.contains("id=\"e-login\"")
            && body.contains("id=\"e-branch\"")
            && body.contains("id=\"e-charset\""),
        "{body}"
    );
    let r = post(
        "/staff/sip2",
        vec![
            ("login", "gate2"),
            ("password", "tag-reader"),
            ("institution", "QUIRE"),
            ("branch", "MAIN"),
            ("locale", "fil"),
            ("charset", "utf-8"),
            ("extensions", "on"),
            ("login_optional", "on"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&c, &s.url("/staff/sip2")).await;
    let row = page
        .split("<tr>")
        .find(|r| r.contains("<code>gate2</code>"))
        .expect("gate2 listed");
    assert!(row.contains("<td>not required</td>"), "{row}");
    let mut sc = quire_sip2_test_client(&addr);
    assert!(sc("9300CNgate2|COtag-reader|").starts_with("941"));
    // Screen messages come in the account's language (Filipino).
    let reply = sc("3520260115    101532AOQUIRE|AA21001000000011|");
    assert!(reply.contains("AFSalamat po. Paalam."), "{reply}");
    let r = post(
        "/staff/sip2/password",
        vec![("login", "gate2"), ("password", "new-reader")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = post("/staff/sip2/delete", vec![("login", "gate2")]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = get(&c, &s.url("/staff/sip2")).await;
    assert!(!page.contains("gate2"));
    // Without the CSRF token nothing happens.
    let r = c
        .post(s.url("/staff/sip2/delete"))
        .form(&[("login", "selfcheck")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Circulation staff may not manage devices.
    let circ = common::login(&s, "circulation", "check-it-out-now").await;
    let (status, _) = get(&circ, &s.url("/staff/sip2")).await;
    assert_eq!(status, 403);
    s.finish().await;
}

/// A minimal line client: send one message, read one reply.
fn quire_sip2_test_client(addr: &str) -> impl FnMut(&str) -> String {
    use std::io::{Read, Write};
    let mut sock = std::net::TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    move |msg: &str| {
        sock.write_all(format!("{msg}\r").as_bytes()).unwrap();
        let mut out = Vec::new();
        let mut b = [0u8; 1];
        while out.last() != Some(&b'\r') {
            if sock.read(&mut b).unwrap() == 0 {
                break;
            }
            out.push(b[0]);
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// A self-signed certificate and key for `localhost`/127.0.0.1, made with
/// the openssl command-line tool (installed by scripts/test).
fn openssl_pair(dir: &std::path::Path, name: &str) -> (PathBuf, PathBuf) {
    let cert = dir.join(format!("{name}-cert.pem"));
    let key = dir.join(format!("{name}-key.pem"));
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .arg("ec_paramgen_curve:prime256v1")
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("run openssl (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

fn tls_client(python: &PathBuf, s: &Server, port: &str, cafile: Option<&std::path::Path>) {
    let demo = s.demo_json();
    let item = demo["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "available")
        .expect("an available demo item");
    let mut config = serde_json::json!({
        "host": "localhost",
        "port": port,
        "login": demo["sip2"]["login"],
        "password": demo["sip2"]["password"],
        "institution": demo["sip2"]["institution"],
        "location": demo["sip2"]["location"],
        "patron": demo["patrons"][0]["barcode"],
        "pin": demo["patrons"][0]["pin"],
        "item": item["barcode"],
    });
    if let Some(f) = cafile {
        config["cafile"] = f.display().to_string().into();
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sip2_tls_client.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(config.to_string())
        .output()
        .expect("run the sip2 TLS client");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("all SIP2 TLS checks passed"),
        "the SIP2 TLS checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn sip2_over_tls() {
    let Some(python) = python() else { return };
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = openssl_pair(certs.path(), "a");
    let (other_cert, other_key) = openssl_pair(certs.path(), "b");
    for b in quire_store::testing::backends() {
        // Given certificate and key (flags as environment variables), next
        // to the plain listener; the PyPI sip2 client's own TLS.
        let mut s = Server::prepare(b).await;
        s.env.push(("QUIRE_SIP2".into(), "127.0.0.1:0".into()));
        s.env.push(("QUIRE_SIP2_TLS".into(), "127.0.0.1:0".into()));
        s.env
            .push(("QUIRE_SIP2_TLS_CERT".into(), cert.display().to_string()));
        s.env
            .push(("QUIRE_SIP2_TLS_KEY".into(), key.display().to_string()));
        s.start("demo");
        let plain = s.stdout_line("SIP2 is listening on ");
        let tls = s.stdout_line("SIP2 over TLS is listening on ");
        assert_ne!(plain, tls);
        let port = tls.rsplit_once(':').unwrap().1.to_owned();
        tls_client(&python, &s, &port, None);
        // …and Python's ssl module trusting exactly this certificate.
        tls_client(&python, &s, &port, Some(&cert));
        s.finish().await;
    }

    // The demo makes (and keeps) a self-signed certificate when none is given.
    let mut s = Server::prepare(Backend::Sqlite).await;
    s.env.push(("QUIRE_SIP2_TLS".into(), "127.0.0.1:0".into()));
    s.start("demo");
    let tls = s.stdout_line("SIP2 over TLS is listening on ");
    let made = s.data.join("sip2-tls/cert.pem");
    assert!(made.exists() && s.data.join("sip2-tls/key.pem").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.data.join("sip2-tls/key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key is private: {mode:o}");
    }
    let port = tls.rsplit_once(':').unwrap().1.to_owned();
    tls_client(&python, &s, &port, Some(&made));
    s.finish().await;

    // Start-up refuses bad TLS settings with the file and the reason.
    let failing = tempfile::tempdir().unwrap();
    let data = failing.path().join("data");
    let (ok, _, err) = common::cli(&data, None, &["init"]);
    assert!(ok, "{err}");
    let serve = |extra: &[&str]| {
        let mut args = vec![
            "serve",
            "--http",
            "127.0.0.1:0",
            "--sip2-tls",
            "127.0.0.1:0",
        ];
        args.extend_from_slice(extra);
        let (ok, _, err) = common::cli(&data, None, &args);
        assert!(!ok, "started with {extra:?}");
        err
    };
    let c = cert.display().to_string();
    let k = key.display().to_string();
    let missing = certs.path().join("nope.pem").display().to_string();
    let err = serve(&["--sip2-tls-cert", &missing, "--sip2-tls-key", &k]);
    assert!(
        err.contains("cannot read the SIP2 TLS certificate file") && err.contains("nope.pem"),
        "{err}"
    );
    let err = serve(&["--sip2-tls-cert", &c, "--sip2-tls-key", &missing]);
    assert!(
        err.contains("cannot read the SIP2 TLS key file") && err.contains("nope.pem"),
        "{err}"
    );
    // Certificate and key swapped: each file lacks what it should hold.
    let err = serve(&["--sip2-tls-cert", &k, "--sip2-tls-key", &c]);
    assert!(err.contains("holds no certificate"), "{err}");
    let err = serve(&[
        "--sip2-tls-cert",
        &c,
        "--sip2-tls-key",
        &other_key.display().to_string(),
    ]);
    assert!(
        err.contains("does not fit the certificate") && err.contains("b-key.pem"),
        "{err}"
    );
    let err = serve(&["--sip2-tls-cert", &other_cert.display().to_string()]);
    assert!(err.contains("--sip2-tls-key"), "{err}");
    let err = serve(&[]);
    assert!(
        err.contains("--sip2-tls-cert") && err.contains("--sip2-tls-key"),
        "{err}"
    );
    // A login-free listener must name a login-free account.
    let (ok, _, err) = common::cli(
        &data,
        None,
        &[
            "serve",
            "--http",
            "127.0.0.1:0",
            "--sip2",
            "127.0.0.1:0",
            "--sip2-open-account",
            "selfcheck",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("--sip2-open-account selfcheck") && err.contains("no SIP2 account"),
        "{err}"
    );
}
