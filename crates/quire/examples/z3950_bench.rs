//! Z39.50 load generator for `bench/z3950`: N concurrent sessions, each
//! doing search + present of 10 USMARC records in a loop; prints p50/p99.
//!
//! Usage: z3950_bench HOST:PORT DATABASE CLIENTS REQUESTS_PER_CLIENT [TERMS…]

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
    let init = Apdu::InitRequest(InitRequest {
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
    });
    assert!(matches!(exchange(&mut s, &init).await, Apdu::InitResponse(r) if r.result));
    let mut times = Vec::with_capacity(n);
    let mut records = 0u64;
    for i in 0..n {
        let term = &terms[(i + offset) % terms.len()];
        let pqf = quire_cql::pqf::parse_pqf(&format!("@attr 1=4 \"{term}\"")).unwrap();
        let started = Instant::now();
        let search = Apdu::SearchRequest(SearchRequest {
            reference_id: None,
            small_set_upper_bound: 0,
            large_set_lower_bound: 1,
            medium_set_present_number: 0,
            replace_indicator: true,
            result_set_name: "default".into(),
            database_names: vec![db.clone()],
            small_set_element_set_names: None,
            medium_set_element_set_names: None,
            preferred_record_syntax: Some(known::usmarc()),
            query: Query::Type1(RpnQuery::from_pqf(&pqf).unwrap()),
        });
        let Apdu::SearchResponse(r) = exchange(&mut s, &search).await else {
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

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: z3950_bench HOST:PORT DATABASE CLIENTS REQUESTS_PER_CLIENT [TERMS…]");
        std::process::exit(2);
    }
    let (addr, db) = (args[1].clone(), args[2].clone());
    let clients: usize = args[3].parse().expect("CLIENTS");
    let per: usize = args[4].parse().expect("REQUESTS_PER_CLIENT");
    let mut terms: Vec<String> = args[5..].to_vec();
    if terms.is_empty() {
        terms = [
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
        .to_vec();
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| tokio::spawn(client(addr.clone(), db.clone(), per, terms.clone(), c)))
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
        "clients={clients} requests={} records={records} p50={:.2}ms p99={:.2}ms max={:.2}ms throughput={:.0} req/s",
        all.len(),
        pct(&all, 0.50),
        pct(&all, 0.99),
        pct(&all, 1.0),
        all.len() as f64 / wall
    );
}
