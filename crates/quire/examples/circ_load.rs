//! Load generator for the circulation benchmark (driven by `bench/circ.py`).
//!
//! Each of `--concurrency` clients takes its own patron and its own slice of
//! item barcodes and repeats checkout (`POST /api/v1/checkouts`) + checkin
//! (`POST /api/v1/checkins`) pairs through the JSON API for `--seconds`,
//! one request at a time, over a keep-alive connection. Prints one JSON line:
//! latencies (ms) of each request kind and of the pair, and pairs per second.
//!
//! cargo run --release -p quire --example circ_load -- --url http://127.0.0.1:8080 \
//!     --token quire_… --patrons patrons.txt --items items.txt --concurrency 10 --seconds 10
#![allow(clippy::unwrap_used, clippy::expect_used)] // an operator's tool: fail loudly

use std::time::{Duration, Instant};

use serde_json::json;

struct Args {
    url: String,
    token: String,
    patrons: Vec<String>,
    items: Vec<String>,
    concurrency: usize,
    seconds: u64,
}

fn lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn args() -> Args {
    let mut a = Args {
        url: "http://127.0.0.1:8080".into(),
        token: String::new(),
        patrons: Vec::new(),
        items: Vec::new(),
        concurrency: 1,
        seconds: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--url" => a.url = v,
            "--token" => a.token = v,
            "--patrons" => a.patrons = lines(&v),
            "--items" => a.items = lines(&v),
            "--concurrency" => a.concurrency = v.parse().expect("--concurrency N"),
            "--seconds" => a.seconds = v.parse().expect("--seconds N"),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(a.concurrency > 0, "--concurrency must be at least 1");
    assert!(
        a.patrons.len() >= a.concurrency,
        "need one patron per client ({} patrons for {} clients)",
        a.patrons.len(),
        a.concurrency
    );
    assert!(
        a.items.len() >= a.concurrency,
        "need at least one item per client"
    );
    a
}

#[derive(Default)]
struct Samples {
    checkout: Vec<f64>,
    checkin: Vec<f64>,
    pair: Vec<f64>,
    errors: u64,
    first_error: Option<String>,
}

async fn post(
    c: &reqwest::Client,
    url: &str,
    token: &str,
    body: serde_json::Value,
) -> Result<f64, String> {
    let t0 = Instant::now();
    let r = c
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let text = r.text().await.map_err(|e| e.to_string())?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    if status.is_success() {
        Ok(ms)
    } else {
        Err(format!("{url}: HTTP {status}: {text}"))
    }
}

async fn client(
    url: String,
    token: String,
    patron: String,
    items: Vec<String>,
    until: Instant,
) -> Samples {
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client");
    let checkout = format!("{url}/api/v1/checkouts");
    let checkin = format!("{url}/api/v1/checkins");
    let mut s = Samples::default();
    let mut n = 0usize;
    while Instant::now() < until {
        let item = &items[n % items.len()];
        n += 1;
        let t0 = Instant::now();
        match post(
            &c,
            &checkout,
            &token,
            json!({"patron": patron, "item": item}),
        )
        .await
        {
            Ok(ms) => s.checkout.push(ms),
            Err(e) => {
                s.errors += 1;
                s.first_error.get_or_insert(e);
                continue;
            }
        }
        match post(&c, &checkin, &token, json!({"item": item})).await {
            Ok(ms) => s.checkin.push(ms),
            Err(e) => {
                s.errors += 1;
                s.first_error.get_or_insert(e);
                continue;
            }
        }
        s.pair.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    s
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let i = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[i.min(v.len() - 1)]
}

#[tokio::main]
async fn main() {
    let a = args();
    let per = a.items.len() / a.concurrency;
    let start = Instant::now();
    let until = start + Duration::from_secs(a.seconds);
    let mut tasks = Vec::new();
    for i in 0..a.concurrency {
        let items = a.items[i * per..(i + 1) * per].to_vec();
        tasks.push(tokio::spawn(client(
            a.url.clone(),
            a.token.clone(),
            a.patrons[i].clone(),
            items,
            until,
        )));
    }
    let mut all = Samples::default();
    for t in tasks {
        let s = t.await.expect("client task");
        all.checkout.extend(s.checkout);
        all.checkin.extend(s.checkin);
        all.pair.extend(s.pair);
        all.errors += s.errors;
        if all.first_error.is_none() {
            all.first_error = s.first_error;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let pairs = all.pair.len();
    let out = json!({
        "concurrency": a.concurrency,
        "seconds": secs,
        "pairs": pairs,
        "pairs_per_s": pairs as f64 / secs,
        "requests_per_s": (all.checkout.len() + all.checkin.len()) as f64 / secs,
        "errors": all.errors,
        "first_error": all.first_error,
        "checkout_p50": pct(&mut all.checkout, 50.0),
        "checkout_p99": pct(&mut all.checkout, 99.0),
        "checkin_p50": pct(&mut all.checkin, 50.0),
        "checkin_p99": pct(&mut all.checkin, 99.0),
        "pair_p50": pct(&mut all.pair, 50.0),
        "pair_p99": pct(&mut all.pair, 99.0),
    });
    println!("{out}");
}
