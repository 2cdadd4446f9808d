//! Z39.50 load generator for `bench/z3950`: N concurrent sessions, each
//! doing search + present of 10 USMARC records in a loop; prints p50/p99.
//!
//! Usage: z3950_bench HOST:PORT DATABASE CLIENTS REQUESTS_PER_CLIENT [TERMS…]
//!        z3950_bench --hits HOST:PORT DATABASE [TERMS…]   (hit count per term)
//!        z3950_bench --sru BASE_URL CLIENTS REQUESTS_PER_CLIENT [TERMS…]
//!
//! The SRU mode sends `searchRetrieve` of `dc.title=TERM`, 10 MARCXML
//! records, over one keep-alive HTTP connection per client.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use quire_z3950::{
    Apdu, BitString, ElementSetNames, InitRequest, PresentRequest, Query, RpnQuery, SearchRequest,
    oid::known, options, pdu_length,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn exchange(s: &mut TcpStream, a: &Apdu) -> Apdu {
    s.write_all(&a.encode()).await.expect("write");
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if let Some(n) = pdu_length(&buf, 64 << 20).expect("framing") {
            return Apdu::decode(&buf[..n]).expect("decode");
        }
        let n = s.read(&mut chunk).await.expect("read");
        assert!(n > 0, "server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn client(
    addr: String,
    db: String,
    n: usize,
    terms: Vec<String>,
    offset: usize,
) -> (Vec<Duration>, u64) {
    let mut s = TcpStream::connect(&addr).await.expect("connect");
    s.set_nodelay(true).ok();
    assert!(matches!(exchange(&mut s, &init()).await, Apdu::InitResponse(r) if r.result));
    let mut times = Vec::with_capacity(n);
    let mut records = 0u64;
    for i in 0..n {
        let term = &terms[(i + offset) % terms.len()];
        let pqf = quire_cql::pqf::parse_pqf(&format!("@attr 1=4 \"{term}\"")).unwrap();
        let started = Instant::now();
        let Apdu::SearchResponse(r) = exchange(&mut s, &search(&db, &pqf)).await else {
            panic!("search response expected")
        };
        if r.result_count > 0 {
            let present = Apdu::PresentRequest(PresentRequest {
                reference_id: None,
                result_set_id: "default".into(),
                start_point: 1,
                number_of_records: r.result_count.min(10),
                element_set_names: Some(ElementSetNames::Generic("F".into())),
                preferred_record_syntax: Some(known::usmarc()),
                max_segment_count: None,
                max_record_size: None,
                max_segment_size: None,
            });
            let Apdu::PresentResponse(p) = exchange(&mut s, &present).await else {
                panic!("present response expected")
            };
            records += p.number_of_records_returned as u64;
        }
        times.push(started.elapsed());
    }
    (times, records)
}

fn init() -> Apdu {
    Apdu::InitRequest(InitRequest {
        reference_id: None,
        protocol_version: BitString::from_bits(&[0, 1, 2]),
        options: BitString::from_bits(&[options::SEARCH, options::PRESENT]),
        preferred_message_size: 16 << 20,
        exceptional_record_size: 16 << 20,
        id_authentication: None,
        implementation_id: None,
        implementation_name: Some("quire z3950_bench".into()),
        implementation_version: None,
        user_information: None,
        other_info: None,
    })
}

fn search(db: &str, pqf: &quire_cql::pqf::PqfQuery) -> Apdu {
    Apdu::SearchRequest(SearchRequest {
        reference_id: None,
        small_set_upper_bound: 0,
        large_set_lower_bound: 1,
        medium_set_present_number: 0,
        replace_indicator: true,
        result_set_name: "default".into(),
        database_names: vec![db.to_string()],
        small_set_element_set_names: None,
        medium_set_element_set_names: None,
        preferred_record_syntax: Some(known::usmarc()),
        query: Query::Type1(RpnQuery::from_pqf(pqf).unwrap()),
    })
}

/// Hit count of `@attr 1=4 TERM` for each term, one session.
async fn hits(addr: &str, db: &str, terms: &[String]) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    assert!(matches!(exchange(&mut s, &init()).await, Apdu::InitResponse(r) if r.result));
    let mut total = 0;
    for term in terms {
        let pqf = quire_cql::pqf::parse_pqf(&format!("@attr 1=4 \"{term}\"")).unwrap();
        let Apdu::SearchResponse(r) = exchange(&mut s, &search(db, &pqf)).await else {
            panic!("search response expected")
        };
        total += r.result_count;
        println!("hits {term:>12} {}", r.result_count);
    }
    println!("hits {:>12} {total}", "(sum)");
}

/// SRU searchRetrieve of 10 MARCXML records per request.
async fn sru_client(
    base: String,
    n: usize,
    terms: Vec<String>,
    offset: usize,
) -> (Vec<Duration>, u64) {
    let http = reqwest::Client::builder().build().expect("http client");
    let mut times = Vec::with_capacity(n);
    let mut records = 0u64;
    for i in 0..n {
        let term = &terms[(i + offset) % terms.len()];
        let started = Instant::now();
        let body = http
            .get(&base)
            .query(&[
                ("version", "1.2"),
                ("operation", "searchRetrieve"),
                ("query", &format!("dc.title={term}")),
                ("maximumRecords", "10"),
                ("recordSchema", "marcxml"),
            ])
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body");
        times.push(started.elapsed());
        // <zs:recordPosition>…</zs:recordPosition>, one per record.
        records += (body.matches("recordPosition>").count() / 2) as u64;
        if i == 0 && offset == 0 && !body.contains("numberOfRecords>") {
            panic!("not an SRU response: {}", &body[..body.len().min(500)]);
        }
    }
    (times, records)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn default_terms() -> Vec<String> {
    [
        "the",
        "history",
        "philippine",
        "house",
        "war",
        "poems",
        "water",
        "life",
        "new",
        "vietnam",
    ]
    .map(String::from)
    .to_vec()
}

fn terms_from(args: &[String]) -> Vec<String> {
    if args.is_empty() {
        default_terms()
    } else {
        args.to_vec()
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--hits") && args.len() >= 4 {
        hits(&args[2], &args[3], &terms_from(&args[4..])).await;
        return;
    }
    let sru = args.get(1).map(String::as_str) == Some("--sru");
    let args: Vec<String> = if sru {
        // --sru BASE CLIENTS PER → the same positions as HOST DB CLIENTS PER.
        let mut a = vec![
            args[0].clone(),
            args.get(2).cloned().unwrap_or_default(),
            String::new(),
        ];
        a.extend(args.iter().skip(3).cloned());
        a
    } else {
        args
    };
    if args.len() < 5 {
        eprintln!(
            "usage: z3950_bench HOST:PORT DATABASE CLIENTS REQUESTS_PER_CLIENT [TERMS…]\n       \
             z3950_bench --hits HOST:PORT DATABASE [TERMS…]\n       \
             z3950_bench --sru BASE_URL CLIENTS REQUESTS_PER_CLIENT [TERMS…]"
        );
        std::process::exit(2);
    }
    let (addr, db) = (args[1].clone(), args[2].clone());
    let clients: usize = args[3].parse().expect("CLIENTS");
    let per: usize = args[4].parse().expect("REQUESTS_PER_CLIENT");
    let terms = terms_from(&args[5..]);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            if sru {
                tokio::spawn(sru_client(addr.clone(), per, terms.clone(), c))
            } else {
                tokio::spawn(client(addr.clone(), db.clone(), per, terms.clone(), c))
            }
        })
        .collect();
    let mut all = Vec::new();
    let mut records = 0;
    for t in tasks {
        let (times, n) = t.await.expect("client");
        all.extend(times);
        records += n;
    }
    let wall = started.elapsed().as_secs_f64();
    all.sort();
    println!(
        "{} clients={clients} requests={} records={records} p50={:.2}ms p99={:.2}ms max={:.2}ms throughput={:.0} req/s",
        if sru { "sru" } else { "z3950" },
        all.len(),
        pct(&all, 0.50),
        pct(&all, 0.99),
        pct(&all, 1.0),
        all.len() as f64 / wall
    );
}
