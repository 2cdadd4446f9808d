//! SIP2 load generator: N connections, each logged in and doing
//! checkout + checkin pairs of its own item for a fixed time; prints
//! transactions/s and p50/p99 latency per request as a table row.
//!
//! `cargo run --release -p quire-sip2-server --example sip2_bench -- \
//!    ADDR DEMO_JSON CONNECTIONS SECONDS [LABEL]`
//! (see `bench/sip2`, which starts the demo and runs 1 and 50 connections).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use quire_sip2::checksum::append_trailer;

struct Conn {
    sock: TcpStream,
    seq: u8,
    buf: Vec<u8>,
}

impl Conn {
    fn open(addr: &str) -> std::io::Result<Conn> {
        let sock = TcpStream::connect(addr)?;
        sock.set_nodelay(true)?;
        sock.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Conn {
            sock,
            seq: 0,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends one message (with AY/AZ) and returns the reply without CR.
    fn call(&mut self, msg: &str) -> std::io::Result<String> {
        let mut m = msg.as_bytes().to_vec();
        append_trailer(&mut m, Some(self.seq));
        self.seq = (self.seq + 1) % 10;
        m.push(b'\r');
        self.sock.write_all(&m)?;
        self.buf.clear();
        let mut chunk = [0u8; 4096];
        loop {
            let n = self.sock.read(&mut chunk)?;
            if n == 0 {
                return Err(std::io::Error::other("connection closed"));
            }
            self.buf
                .extend_from_slice(chunk.get(..n).unwrap_or_default());
            if self.buf.last() == Some(&b'\r') {
                break;
            }
        }
        Ok(String::from_utf8_lossy(&self.buf).trim_end().to_owned())
    }
}

const DATE: &str = "20260115    101532";

fn checkout(inst: &str, patron: &str, item: &str) -> String {
    format!("11YN{DATE}{:18}AO{inst}|AA{patron}|AB{item}|AC|", "")
}

fn checkin(inst: &str, item: &str) -> String {
    format!("09N{DATE}{DATE}AP|AO{inst}|AB{item}|AC|")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, demo, conns, secs, rest @ ..] = args.as_slice() else {
        eprintln!("usage: sip2_bench ADDR DEMO_JSON CONNECTIONS SECONDS [LABEL]");
        std::process::exit(2);
    };
    let label = rest.first().cloned().unwrap_or_default();
    let demo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo).expect("read demo.json")).expect("demo.json");
    let conns: usize = conns.parse().expect("CONNECTIONS");
    let secs: u64 = secs.parse().expect("SECONDS");
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let sip2 = &demo["sip2"];
    let (login, password, inst, branch) = (
        s(&sip2["login"]),
        s(&sip2["password"]),
        s(&sip2["institution"]),
        s(&sip2["branch"]),
    );
    // Items of the device's branch, so that a checkin reshelves them.
    let items: Vec<String> = demo["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| {
            i["status"] == "available" && (branch.is_empty() || i["branch"] == branch.as_str())
        })
        .map(|i| s(&i["barcode"]))
        .collect();
    let patrons: Vec<String> = demo["patrons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| s(&p["barcode"]))
        .collect();
    assert!(
        items.len() >= conns,
        "only {} items for {conns} connections",
        items.len()
    );
    let deadline = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..conns)
        .map(|i| {
            let (addr, login, password, inst) =
                (addr.clone(), login.clone(), password.clone(), inst.clone());
            let item = items[i].clone();
            let patrons = patrons.clone();
            std::thread::spawn(move || -> (Vec<Duration>, usize) {
                let mut c = Conn::open(&addr).expect("connect");
                let r = c
                    .call(&format!("9300CN{login}|CO{password}|"))
                    .expect("login");
                assert!(r.starts_with("941"), "login refused: {r}");
                // A patron who may borrow (some demo patrons are blocked).
                let patron = (0..patrons.len())
                    .map(|k| patrons[(i + k) % patrons.len()].clone())
                    .find(|p| {
                        let ok = c
                            .call(&checkout(&inst, p, &item))
                            .is_ok_and(|r| r.starts_with("121"));
                        if ok {
                            let _ = c.call(&checkin(&inst, &item));
                        }
                        ok
                    })
                    .expect("a patron who can borrow");
                let mut lat = Vec::new();
                let mut errors = 0;
                while Instant::now() < deadline {
                    for msg in [checkout(&inst, &patron, &item), checkin(&inst, &item)] {
                        let t = Instant::now();
                        let r = c.call(&msg).expect("reply");
                        lat.push(t.elapsed());
                        if !(r.starts_with("121") || r.starts_with("101")) {
                            errors += 1;
                        }
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let started = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.join().expect("worker");
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64().max(secs as f64);
    all.sort();
    let pct = |p: f64| {
        let i = ((all.len() as f64 * p).ceil() as usize).saturating_sub(1);
        all.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "| {label:<10} | {conns:>11} | {:>12} | {:>8.0} | {:>8.2} | {:>8.2} | {errors:>6} |",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
    );
}
