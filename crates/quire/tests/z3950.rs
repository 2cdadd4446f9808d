#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Z39.50 server of the real binary (`quire demo` with `QUIRE_Z3950`),
//! driven by YAZ's `yaz-client` and `zoomsh` (Debian package `yaz`,
//! installed by scripts/test) and by a raw BER client for the session
//! limits (idle timeout, bad input, concurrent sessions).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use quire_z3950::{Apdu, BitString, CloseReason, InitRequest, options, pdu_length};

/// Whether a YAZ tool is installed; under CI=true it must be.
fn have(tool: &str) -> bool {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{tool} is required under CI=true (Debian package yaz; scripts/test installs it)"
        );
        eprintln!("skipping: {tool} is not installed (Debian package yaz)");
    }
    ok
}

/// Runs a yaz-client script against `addr` (database Default); returns stdout.
fn yaz(addr: &str, script: &str) -> String {
    let mut child = Command::new("yaz-client")
        .arg(format!("tcp:{addr}/Default"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("yaz-client");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{script}\nclose\nquit\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The hit counts yaz-client reported, in order.
fn hits(out: &str) -> Vec<u64> {
    out.lines()
        .filter_map(|l| l.strip_prefix("Number of hits: "))
        .map(|l| l.split(',').next().unwrap().trim().parse().unwrap())
        .collect()
}

/// 001 values of the MARC records yaz-client printed (line form and XML).
fn control_numbers(out: &str) -> Vec<String> {
    let mut v = Vec::new();
    for l in out.lines() {
        if let Some(rest) = l.strip_prefix("001 ") {
            v.push(rest.trim().to_string());
        } else if let Some(rest) = l.trim().strip_prefix("<controlfield tag=\"001\">") {
            v.push(rest.trim_end_matches("</controlfield>").trim().to_string());
        }
    }
    v
}

#[tokio::test]
async fn z3950_against_the_demo() {
    for b in quire_store::testing::backends() {
        against_the_demo(b).await;
    }
}

async fn against_the_demo(backend: quire_store::Backend) {
    let mut s = Server::prepare(backend).await;
    s.env.push(("QUIRE_Z3950".into(), "127.0.0.1:0".into()));
    s.start("demo");
    let addr = s.z3950.clone().expect("Z39.50 address printed");
    raw_sessions(&addr).await;
    if have("yaz-client") {
        yaz_client(&addr);
    }
    if have("zoomsh") {
        zoomsh(&addr);
        zoomsh_sru(&s.base, &addr);
    }
    s.finish().await;
}

fn yaz_client(addr: &str) {
    // Init and the options granted.
    let out = yaz(addr, "");
    assert!(out.contains("Connection accepted by v3 target"), "{out}");
    assert!(out.contains("namedResultSets"), "{out}");

    // Title, ISBN in every form, 001 via use 12, standard identifier.
    // Demo record 00362905: "The house of the Lord", ISBN 1863305629.
    let out = yaz(
        addr,
        "find @attr 1=4 house\n\
         find @attr 1=7 1863305629\n\
         find @attr 1=7 1-86330-562-9\n\
         find @attr 1=7 9781863305624\n\
         find @attr 1=7 978-1-86330-562-4\n\
         find @attr 1=12 00362905\n\
         show 1\n\
         find @attr 1=1007 9781863305624\n\
         find @attr 1=12 0036290\n\
         find @and @attr 1=4 house @attr 1=1003 dickins\n\
         find @not @attr 1=4 house @attr 1=1003 dickins\n\
         find @or @attr 1=12 00362905 @attr 1=4 @attr 4=1 \"the house of the lord\"",
    );
    let h = hits(&out);
    assert_eq!(h.len(), 11, "{out}");
    assert!(h[0] >= 1, "title search finds the house of the Lord: {out}");
    assert_eq!(
        &h[1..6],
        &[1, 1, 1, 1, 1],
        "ISBN in every form + 001: {out}"
    );
    assert!(
        out.contains("001    00362905") || out.contains("001 00362905"),
        "{out}"
    );
    assert_eq!(h[6], 1, "use 1007 matches the ISBN: {out}");
    assert_eq!(
        h[7], 0,
        "use 12 matches the 001 exactly, not a prefix: {out}"
    );
    assert_eq!(h[8], 1, "AND: {out}");
    assert_eq!(h[9], h[0] - 1, "AND-NOT removes the one record: {out}");
    assert_eq!(h[10], 1, "OR of the 001 and the title phrase: {out}");

    // Unknown use attribute → Bib-1 114 with the value; other diagnostics.
    let out = yaz(
        addr,
        "find @attr 1=9999 x\n\
         find @attr 1=4 @attr 5=2 x\n\
         find @attrset exp-1 @attr 1=1 x\n\
         base Nowhere\n\
         find x",
    );
    assert!(
        out.contains("[114] Unsupported Use attribute -- v2 addinfo '9999'"),
        "{out}"
    );
    assert!(out.contains("[120]"), "{out}");
    assert!(out.contains("[121]"), "{out}");
    assert!(
        out.contains("[235] Database does not exist -- v2 addinfo 'Nowhere'"),
        "{out}"
    );

    // The same 10 records in the same order as USMARC F, USMARC B and
    // MARCXML; B leaves out the subject fields.
    let out = yaz(
        addr,
        "find @attr 1=1016 the\n\
         format usmarc\nelements F\nshow 1+10\n\
         format usmarc\nelements B\nshow 1+10\n\
         format xml\nelements marcxml\nshow 1+10",
    );
    let h = hits(&out);
    assert!(h[0] > 10, "{out}");
    let cns = control_numbers(&out);
    assert_eq!(cns.len(), 30, "{out}");
    assert_eq!(cns[0..10], cns[10..20], "F and B: same records, same order");
    assert_eq!(cns[0..10], cns[20..30], "USMARC and MARCXML: same order");
    // yaz-client does not echo commands: split at each present.
    let parts: Vec<&str> = out.split("Sent presentRequest").collect();
    assert_eq!(parts.len(), 4, "{out}");
    assert!(parts[1].contains("\n650 "), "full records have subjects");
    assert!(
        !parts[2].contains("\n650 "),
        "brief records have no subjects"
    );
    assert!(parts[2].contains("\n245 "), "brief records have titles");
    assert!(parts[3].contains("<record xmlns=\"http://www.loc.gov/MARC21/slim\">"));

    // OPAC syntax with holdings and availability; SUTRS.
    let out = yaz(
        addr,
        "find @attr 1=12 00362905\n\
         format opac\nshow 1\n\
         format sutrs\nelements F\nshow 1",
    );
    assert!(out.contains("Record type: OPAC"), "{out}");
    assert!(out.contains("nucCode: MAIN"), "{out}");
    assert!(out.contains("availableNow: 1"), "{out}");
    assert!(out.contains("itemId: "), "{out}");
    assert!(out.contains("Record type: SUTRS"), "{out}");
    assert!(out.contains("245 14 $a The house of the Lord"), "{out}");

    // Named result sets (yaz-client names them 1, 2, …) and @set; present
    // out of range; unknown set.
    let out = yaz(
        addr,
        "find @attr 1=4 house\n\
         find @and @set 1 @attr 1=1003 dickins\n\
         show 99\n\
         find @set nosuch",
    );
    let h = hits(&out);
    assert_eq!(h[1], 1, "{out}");
    assert!(out.contains("[13]"), "present out of range: {out}");
    assert!(out.contains("[30]"), "unknown result set: {out}");

    // Scan over the author and title browse lists; unsupported index.
    let out = yaz(
        addr,
        "scan @attr 1=1003 dickins\nscan @attr 1=4 house\nscan @attr 1=7 1",
    );
    assert!(out.contains("Dickins, Barry, 1949- (1)"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("* ") && l.to_lowercase().contains("house")),
        "scan marks the start term: {out}"
    );
    assert!(out.contains("[114]"), "{out}");
}

fn zoomsh(addr: &str) {
    let out = Command::new("zoomsh")
        .args([
            &format!("connect {addr}/Default"),
            "set preferredRecordSyntax xml",
            "set elementSetName marcxml",
            "search @attr 1=12 00362905",
            "show 0 1",
            "quit",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 hits"), "{text}");
    let start = text.find("<record").expect("an XML record");
    let end = text.rfind("</record>").expect("record end") + "</record>".len();
    let xml = &text[start..end];
    assert!(xml.contains("The house of the Lord"), "{xml}");
    // Well-formed MARCXML (xmllint from libxml2-utils).
    if have("xmllint") {
        let mut child = Command::new("xmllint")
            .args(["--noout", "-"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(xml.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

fn zoomsh_out(args: &[&str]) -> String {
    let out = Command::new("zoomsh").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// SRU through ZOOM (GET and POST, 1.2 and 2.0) and CQL over Z39.50
/// (type-104): the same search service, so the same hit counts.
fn zoomsh_sru(http_base: &str, addr: &str) {
    let z = zoomsh_out(&[
        &format!("connect {addr}/Default"),
        "search @attr 1=4 house",
        "search cql:dc.title=house",
        "search cql:dc.title=",
        "search cql:nosuch.title=x",
        "quit",
    ]);
    let counts: Vec<&str> = z
        .lines()
        .filter_map(|l| l.strip_suffix(" hits"))
        .map(|l| l.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(counts.len(), 2, "{z}");
    assert_eq!(counts[0], counts[1], "RPN and CQL over Z39.50 agree: {z}");
    assert!(z.contains("Bib-1:108"), "malformed CQL → 108: {z}");
    assert!(z.contains("Bib-1:121"), "unknown context set → 121: {z}");
    for (method, version) in [
        ("get", "1.2"),
        ("post", "1.2"),
        ("get", "2.0"),
        ("post", "2.0"),
    ] {
        let out = zoomsh_out(&[
            &format!("set sru {method}"),
            &format!("set sru_version {version}"),
            &format!("connect {http_base}/sru"),
            "search cql:dc.title=house",
            "show 0 1",
            "quit",
        ]);
        assert!(
            out.contains(&format!("/sru: {} hits", counts[0])),
            "SRU {method} {version}: {out}"
        );
        assert!(
            out.contains("<record xmlns=\"http://www.loc.gov/MARC21/slim\">"),
            "{out}"
        );
    }
}

fn init() -> Apdu {
    Apdu::InitRequest(InitRequest {
        reference_id: Some(b"r1".to_vec()),
        protocol_version: BitString::from_bits(&[0, 1, 2]),
        options: BitString::from_bits(&[options::SEARCH, options::PRESENT]),
        preferred_message_size: 1 << 20,
        exceptional_record_size: 1 << 20,
        id_authentication: None,
        implementation_id: None,
        implementation_name: Some("quire test".into()),
        implementation_version: None,
        user_information: None,
        other_info: None,
    })
}

async fn read_apdu(s: &mut tokio::net::TcpStream) -> Option<Apdu> {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(n) = pdu_length(&buf, 1 << 24).unwrap() {
            return Some(Apdu::decode(&buf[..n]).unwrap());
        }
        let n = tokio::time::timeout(Duration::from_secs(20), s.read(&mut chunk))
            .await
            .expect("answer in time")
            .unwrap();
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn raw_sessions(addr: &str) {
    use tokio::io::AsyncWriteExt;
    // Undecodable input → Close(protocolError).
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(&[0xB4, 0x03, 0xFF, 0xFF, 0xFF]).await.unwrap();
    match read_apdu(&mut s).await {
        Some(Apdu::Close(c)) => assert_eq!(c.close_reason, CloseReason::ProtocolError),
        other => panic!("expected Close, got {other:?}"),
    }
    // A search before Init → Close(protocolError).
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let q = quire_cql::pqf::parse_pqf("@attr 1=4 house").unwrap();
    let search = Apdu::SearchRequest(quire_z3950::SearchRequest {
        reference_id: None,
        small_set_upper_bound: 0,
        large_set_lower_bound: 1,
        medium_set_present_number: 0,
        replace_indicator: true,
        result_set_name: "default".into(),
        database_names: vec!["Default".into()],
        small_set_element_set_names: None,
        medium_set_element_set_names: None,
        preferred_record_syntax: None,
        query: quire_z3950::Query::Type1(quire_z3950::RpnQuery::from_pqf(&q).unwrap()),
    });
    s.write_all(&search.encode()).await.unwrap();
    assert!(matches!(read_apdu(&mut s).await, Some(Apdu::Close(_))));

    // 20 concurrent sessions: Init, then a search with piggybacked records
    // (small set upper bound 5 → all hits of a small result).
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let addr = addr.to_string();
        let mut search = search.clone();
        if let Apdu::SearchRequest(r) = &mut search {
            r.small_set_upper_bound = 5;
            r.small_set_element_set_names = Some(quire_z3950::ElementSetNames::Generic("F".into()));
        }
        tasks.push(tokio::spawn(async move {
            let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
            s.write_all(&init().encode()).await.unwrap();
            let Some(Apdu::InitResponse(r)) = read_apdu(&mut s).await else {
                panic!("init response")
            };
            assert!(r.result);
            assert_eq!(r.reference_id.as_deref(), Some(&b"r1"[..]));
            // No namedResultSets asked for → none granted.
            assert!(!r.options.get(options::NAMED_RESULT_SETS));
            s.write_all(&search.encode()).await.unwrap();
            let Some(Apdu::SearchResponse(r)) = read_apdu(&mut s).await else {
                panic!("search response")
            };
            assert!(r.search_status);
            assert!(r.result_count >= 1 && r.result_count <= 5, "{r:?}");
            assert_eq!(r.number_of_records_returned, r.result_count);
            r.result_count
        }));
    }
    let mut counts = Vec::new();
    for t in tasks {
        counts.push(t.await.unwrap());
    }
    assert!(counts.windows(2).all(|w| w[0] == w[1]));
}

#[tokio::test]
async fn idle_sessions_are_closed() {
    use tokio::io::AsyncWriteExt;
    let mut s = Server::prepare(quire_store::Backend::Sqlite).await;
    s.env.push(("QUIRE_Z3950".into(), "127.0.0.1:0".into()));
    s.env.push(("QUIRE_Z3950_IDLE_TIMEOUT".into(), "1".into()));
    s.env.push(("QUIRE_Z3950_DATABASE".into(), "Books".into()));
    s.start("serve");
    let addr = s.z3950.clone().unwrap();
    let mut c = tokio::net::TcpStream::connect(&addr).await.unwrap();
    c.write_all(&init().encode()).await.unwrap();
    assert!(matches!(
        read_apdu(&mut c).await,
        Some(Apdu::InitResponse(_))
    ));
    let started = std::time::Instant::now();
    match read_apdu(&mut c).await {
        Some(Apdu::Close(x)) => assert_eq!(x.close_reason, CloseReason::LackOfActivity),
        other => panic!("expected Close(7), got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(900));
    // The configured database name is the one searched.
    if have("yaz-client") {
        let out = yaz(&addr, "find x\nbase Books\nfind x");
        assert!(out.contains("[235]"), "{out}");
        assert!(out.contains("Number of hits: 0, setno 2"), "{out}");
    }
    s.finish().await;
}
