#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The connection loop over an in-memory stream, against a real `Library`
//! on every available backend: login, status, the replies the session and
//! the adapter build (snapshots, with the clock fixed), and bad input —
//! bad checksum, garbage, overlong and truncated messages, unknown
//! commands — answered without touching the data.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use quire_domain::org::BranchForm;
use quire_library::sip2::Sip2AccountForm;
use quire_library::{Ctx, Library, ManualClock, Settings};
use quire_sip2_server::{Config, Shared, run_connection, run_connection_as};
use quire_store::testing::{TestDb, backends};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-15T02:15:30Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn setup(db: &TestDb) -> Arc<Shared> {
    let lib = Library::new(
        db.open().await,
        Arc::new(ManualClock::at(start())),
        Settings::default(),
    )
    .await
    .unwrap();
    let sys = Ctx::system("test");
    lib.create_branch(
        &sys,
        &BranchForm {
            code: "MAIN".into(),
            name: "Main".into(),
            timezone: "Asia/Manila".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    lib.create_sip2_account(
        &sys,
        &Sip2AccountForm {
            login: "sc01".into(),
            password: "secret".into(),
            institution: "QUIRE".into(),
            branch: "MAIN".into(),
            location: "SC1".into(),
            locale: "vi".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    Shared::new(
        lib,
        Config {
            partial_timeout: Duration::from_millis(200),
            max_message_len: 512,
            currency: "PHP".into(),
            library_name: "Quire Test".into(),
            ..Config::default()
        },
    )
    .unwrap()
}

struct Peer(DuplexStream);

impl Peer {
    async fn send(&mut self, bytes: &[u8]) {
        self.0.write_all(bytes).await.unwrap();
    }
    /// The next reply (up to CR), or `None` if nothing comes within 1 s.
    async fn reply(&mut self) -> Option<String> {
        let mut out = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match tokio::time::timeout(Duration::from_secs(1), self.0.read(&mut b)).await {
                Ok(Ok(1)) => {
                    out.push(b[0]);
                    if b[0] == b'\r' {
                        return Some(String::from_utf8(out).unwrap());
                    }
                }
                _ => return None,
            }
        }
    }
    async fn call(&mut self, msg: &str) -> String {
        self.send(format!("{msg}\r").as_bytes()).await;
        self.reply().await.expect("a reply")
    }
}

fn connect(shared: &Arc<Shared>) -> Peer {
    let (client, server) = tokio::io::duplex(64 * 1024);
    let shared = shared.clone();
    tokio::spawn(async move {
        let _ = run_connection(server, shared).await;
    });
    Peer(client)
}

#[tokio::test]
async fn protocol_replies_and_bad_input() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let shared = setup(&db).await;
        let mut p = connect(&shared);
        let mut transcript = Vec::new();
        let mut log =
            |req: &str, rep: &str| transcript.push(format!("→ {req}\n← {}", rep.trim_end()));

        // Before login: 99 is answered (off-line circulation), others refused.
        let r = p.call("9900302.00AY0AZFCA6").await;
        log("9900302.00AY0AZFCA6", &r);
        let r = p.call("1720060110    215612AOQUIRE|AB123|").await;
        log("1720060110    215612AOQUIRE|AB123|", &r);
        // Wrong password → 940; right one → 941 with the sequence echoed.
        let r = p.call("9300CNsc01|COwrong|").await;
        log("9300CNsc01|COwrong|", &r);
        let r = p.call("9300CNsc01|COsecret|CPSC1|AY1AZF620").await;
        log("9300CNsc01|COsecret|CPSC1|AY1AZF620", &r);
        let r = p.call("9900302.00AY2AZFCA4").await;
        log("9900302.00AY2AZFCA4", &r);
        // Unknown patron and item: refusals in Vietnamese (the account's language).
        let r = p
            .call("6300020260115    101531          AOQUIRE|AA999|")
            .await;
        log("6300020260115    101531          AOQUIRE|AA999|", &r);
        let r = p
            .call("11YN20260115    101532                  AOQUIRE|AA999|AB42|")
            .await;
        log(
            "11YN20260115    101532                  AOQUIRE|AA999|AB42|",
            &r,
        );
        let r = p
            .call("09N20260115    10153220260115    101532AP|AOQUIRE|AB42|")
            .await;
        log(
            "09N20260115    10153220260115    101532AP|AOQUIRE|AB42|",
            &r,
        );
        let r = p.call("15+20260115    101532|AOQUIRE|AA999|AB42|").await;
        log("15+20260115    101532|AOQUIRE|AA999|AB42|", &r);
        // Bad checksum → 96 (with AZ, as the connection uses error detection).
        let r = p.call("9900302.00AY3AZ0000").await;
        log("9900302.00AY3AZ0000", &r);
        // 97 → the last reply again.
        let r = p.call("97").await;
        log("97", &r);
        // Unknown command: ignored; the next 99 is answered.
        p.send(b"42HELLO|\r").await;
        let r = p.call("9900302.00").await;
        log("42HELLO| then 9900302.00", &r);
        // Garbage bytes: not a command (ignored) or malformed (96), never a hang.
        p.send(b"\x00\xff\xfe\x01|||\r").await;
        let r = p.call("9900302.00").await;
        log("<garbage> then 9900302.00", &r);
        // Overlong (512 allowed here): 96, and the connection keeps working.
        let long = format!(
            "63000{}{}AA{}|",
            "20260115    101531",
            " ".repeat(10),
            "9".repeat(100_000)
        );
        let r = p.call(&long).await;
        log("<100 kB 63>", &r);
        // Truncated: no CR; after the partial timeout it is taken as ended → 96.
        p.send(b"11YN2026").await;
        let r = p.reply().await.unwrap_or_default();
        log("11YN2026 <no CR>", &r);
        let r = p.call("9900302.00").await;
        log("9900302.00", &r);
        let r = p.call("3520260115    101532AOQUIRE|AA999|").await;
        log("3520260115    101532AOQUIRE|AA999|", &r);

        insta::assert_snapshot!("protocol", transcript.join("\n"));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_listener_bound_to_a_login_free_account() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let shared = setup(&db).await;
        shared
            .lib
            .create_sip2_account(
                &Ctx::system("test"),
                &Sip2AccountForm {
                    login: "gate".into(),
                    password: "unused-secret".into(),
                    institution: "GATES".into(),
                    branch: "MAIN".into(),
                    login_optional: true,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let bound = |login: Option<&'static str>| {
            let (client, server) = tokio::io::duplex(64 * 1024);
            let shared = shared.clone();
            tokio::spawn(async move {
                let _ = run_connection_as(server, shared, login).await;
            });
            Peer(client)
        };
        let item_info = "1720260115    101532AOGATES|AB123|";

        // Bound to "gate": answered as that account without a 93 (the
        // unknown item is "not found", not "log in first").
        let mut p = bound(Some("gate"));
        let r = p.call(item_info).await;
        assert!(
            r.starts_with("18") && r.contains("AFNot found."),
            "{b:?}: {r}"
        );
        let r = p.call("9900302.00").await;
        assert!(r.starts_with("98YYY") && r.contains("AOGATES|"), "{r}");
        // A 93 switches to the account it names; a failed one leaves the
        // connection without an account.
        let r = p.call("9300CNsc01|COsecret|").await;
        assert!(r.starts_with("941"), "{r}");
        let r = p.call("9900302.00").await;
        assert!(r.contains("AOQUIRE|"), "{r}");
        let r = p.call("9300CNsc01|COwrong|").await;
        assert!(r.starts_with("940"), "{r}");
        let r = p.call(item_info).await;
        assert!(r.contains("AFMachine not logged in."), "{r}");

        // An account that requires a login cannot be bound; nor can an
        // unknown one: those connections must log in first.
        for login in [Some("sc01"), Some("nobody"), None] {
            let mut p = bound(login);
            let r = p.call(item_info).await;
            assert!(r.contains("AFMachine not logged in."), "{login:?}: {r}");
        }
        db.cleanup().await;
    }
}

/// A checkin (09) of a lost item and of a claims-returned item: the 10
/// reply says what was resolved in the device's language (Vietnamese
/// here), with the credit, and asks for staff attention.
#[tokio::test]
async fn a_checkin_reports_the_resolved_mark() {
    use quire_domain::circ::policy::{LostFound, Policy, RuleKey};
    use quire_library::catalog::{Holdings, ImportOptions, ItemForm};
    use quire_library::loss::MarkKind;
    for b in backends() {
        let db = TestDb::new(b).await;
        let shared = setup(&db).await;
        let lib = &shared.lib;
        let sys = Ctx::system("test");
        lib.set_rule(
            &sys,
            &RuleKey::default(),
            &Policy {
                lost_replacement_fee: 40_000,
                lost_found: LostFound::Refund,
                ..Policy::book_default()
            },
        )
        .await
        .unwrap();
        let xml = r#"<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">sip2-lost</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Truyện Kiều</subfield></datafield></record></collection>"#;
        lib.import_marc(
            &sys,
            "t",
            "t",
            std::io::Cursor::new(xml.as_bytes().to_vec()),
            &ImportOptions {
                holdings: Holdings::None,
                ..Default::default()
            },
            &mut |_| {},
        )
        .await
        .unwrap();
        let record = lib
            .record_id_by_control_number("sip2-lost")
            .await
            .unwrap()
            .unwrap();
        for bc in ["L1", "C1"] {
            lib.add_item(
                &sys,
                record,
                &ItemForm {
                    barcode: bc.into(),
                    branch: "MAIN".into(),
                    item_type: "BOOK".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let patron = lib
            .register_patron(
                &sys,
                &quire_domain::patron::PatronForm {
                    first_name: "Lan".into(),
                    last_name: "Nguyễn".into(),
                    home_branch: "MAIN".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .barcode;
        for bc in ["L1", "C1"] {
            lib.checkout(&sys, &patron, bc, &[]).await.unwrap();
        }
        lib.mark_loan(&sys, "L1", MarkKind::Lost, "lost on the bus")
            .await
            .unwrap();
        lib.mark_loan(&sys, "C1", MarkKind::ClaimsReturned, "book drop")
            .await
            .unwrap();

        let mut p = connect(&shared);
        let r = p.call("9300CNsc01|COsecret|CPSC1|").await;
        assert!(r.starts_with("941"), "{r}");
        let r = p
            .call("09N20260115    10153220260115    101532AP|AOQUIRE|ABL1|")
            .await;
        assert!(r.starts_with("101YUY"), "{b:?}: {r}");
        assert!(
            r.contains("|AFĐã tìm thấy tài liệu bị mất: hoàn lại 400.00 cho bạn đọc.|"),
            "{b:?}: {r}"
        );
        assert!(r.len() < 4096);
        let r = p
            .call("09N20260115    10153220260115    101532AP|AOQUIRE|ABC1|")
            .await;
        assert!(r.starts_with("101YUY"), "{b:?}: {r}");
        assert!(
            r.contains("|AFĐã tìm thấy tài liệu bạn đọc báo đã trả: đã hủy báo cáo đó.|"),
            "{b:?}: {r}"
        );
        // An ordinary checkin says nothing of the kind.
        lib.checkout(&sys, &patron, "L1", &[]).await.unwrap();
        let r = p
            .call("09N20260115    10153220260115    101532AP|AOQUIRE|ABL1|")
            .await;
        assert!(r.starts_with("101YUN"), "{b:?}: {r}");
        assert!(!r.contains("AF"), "{b:?}: {r}");
        db.cleanup().await;
    }
}
