#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Notices end to end: a real SMTP server (Python `aiosmtpd`, installed in
//! `target/venv` by `scripts/test`) receives the overdue notice that
//! `quire serve --smtp-url` generates for a loan made overdue in the
//! database, in the patron's language; the staff outbox shows it as sent.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use quire_library::Ctx;

fn venv_python() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python");
    let ok = Command::new(&p)
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(p)
}

/// aiosmtpd writing every message into a Maildir; killed on drop.
struct SmtpSink {
    child: Child,
    port: u16,
    maildir: PathBuf,
    python: PathBuf,
}

impl SmtpSink {
    fn start(python: &Path, dir: &Path) -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let maildir = dir.join("maildir");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        SmtpSink {
            child,
            port,
            maildir,
            python: python.to_owned(),
        }
    }

    /// Every received message, parsed by Python's `email` package:
    /// to, subject (decoded), content type, plain and HTML parts.
    fn messages(&self) -> Vec<serde_json::Value> {
        let script = r#"
import email, email.policy, json, mailbox, sys
out = []
for key, msg in sorted(mailbox.Maildir(sys.argv[1], create=False).items()):
    m = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    plain = m.get_body(preferencelist=('plain',))
    html = m.get_body(preferencelist=('html',))
    out.append({
        "to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
        "content_type": m.get_content_type(),
        "text": plain.get_content() if plain else None,
        "html": html.get_content() if html else None,
    })
print(json.dumps(out))
"#;
        if !self.maildir.join("new").exists() {
            return Vec::new();
        }
        let out = Command::new(&self.python)
            .args(["-c", script])
            .arg(&self.maildir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn an_overdue_loan_reaches_a_real_smtp_server_in_the_patrons_language() {
    let Some(python) = venv_python() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "target/venv with aiosmtpd is missing (scripts/test creates it)"
        );
        eprintln!("skipped: no target/venv with aiosmtpd (run scripts/test once)");
        return;
    };
    for backend in quire_store::testing::backends() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = SmtpSink::start(&python, tmp.path());
        let mut s = Server::prepare(backend).await;
        s.start("demo");
        s.terminate();
        let demo = s.demo_json();
        let card = demo["patrons"][0]["barcode"].as_str().unwrap().to_owned();
        let item = demo["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["status"] == "available")
            .unwrap()["barcode"]
            .as_str()
            .unwrap()
            .to_owned();

        // A checkout 40 days ago: the 21-day loan is overdue today.
        let (lib, _) = s
            .library_at(chrono::Utc::now() - chrono::Duration::days(40))
            .await;
        let sys = Ctx::system("test");
        let patron = lib.patron_by_barcode(&sys, &card).await.unwrap();
        assert_eq!(patron.preferred_locale.as_deref(), Some("fil"));
        let email = patron.email.clone().unwrap();
        let loan = lib.checkout(&sys, &card, &item, &[]).await.unwrap();
        assert!(loan.loan.due_at < chrono::Utc::now());
        lib.close().await;

        s.env = vec![
            (
                "QUIRE_SMTP_URL".into(),
                format!("smtp://127.0.0.1:{}", sink.port),
            ),
            (
                "QUIRE_SMTP_FROM".into(),
                "Aklatan <desk@library.test>".into(),
            ),
            ("QUIRE_NOTICE_SWEEP_SECS".into(), "1".into()),
        ];
        s.start("serve");
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut got = Vec::new();
        while got.is_empty() {
            assert!(Instant::now() < deadline, "no notice arrived within 60 s");
            tokio::time::sleep(Duration::from_millis(300)).await;
            got = sink.messages();
        }
        let m = &got[0];
        assert_eq!(m["to"], email.as_str());
        assert_eq!(m["from"], "Aklatan <desk@library.test>");
        assert_eq!(
            m["subject"],
            format!("Lampas na sa takdang petsa: {}", loan.title)
        );
        assert_eq!(m["content_type"], "multipart/alternative");
        let text = m["text"].as_str().unwrap();
        assert!(text.starts_with("Mahal na Maria Clara"), "{text}");
        assert!(text.contains(&item), "{text}");
        let html = m["html"].as_str().unwrap();
        assert!(html.contains("lang=\"fil\""), "{html}");

        // Sweeps keep running (every second): the notice is not sent twice.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(sink.messages().len(), 1);

        // The staff outbox shows it as sent.
        let admin = demo["staff"]["username"].as_str().unwrap();
        let password = demo["staff"]["password"].as_str().unwrap();
        let c = login(&s, admin, password).await;
        let r = c
            .get(s.url("/staff/notices?status=sent"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains(&card), "{page}");
        assert!(page.contains("Overdue"), "{page}");

        // "Send again" from the outbox page: a second, identical message.
        let re = regex_lite::Regex::new(r#"action="(/staff/notices/\d+/resend)""#).unwrap();
        let action = re.captures(&page).expect("a resend button")[1].to_owned();
        let r = c
            .post(s.url(&action))
            .form(&[("_csrf", csrf(&page).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let deadline = Instant::now() + Duration::from_secs(30);
        while sink.messages().len() < 2 {
            assert!(
                Instant::now() < deadline,
                "the resent notice did not arrive"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let again = &sink.messages()[1];
        assert_eq!(again["to"], email.as_str());
        assert_eq!(again["subject"], m["subject"]);
        s.finish().await;
    }
}
