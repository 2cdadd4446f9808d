//! Benchmark (run by `bench/shelf`): shelf-order sort keys for N generated
//! call numbers (realistic LC and Dewey shapes), sorting by key versus
//! sorting the raw strings (which is fast but wrong: `QA76.9` before
//! `QA9`). Prints a Markdown table. `N` is the first argument (default
//! 1,000,000).

use std::time::Instant;

use quire_domain::callnumber::{Scheme, sort_key};

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn letter(&mut self) -> char {
        char::from(b'A' + self.below(26) as u8)
    }
}

const LC_CLASSES: [&str; 16] = [
    "QA", "PS", "PR", "HV", "BF", "DS", "E", "F", "HN", "KF", "ML", "N", "QH", "TK", "Z", "GV",
];
const DEWEY_PREFIXES: [&str; 5] = ["", "", "J ", "REF ", "YA "];

fn lc(r: &mut Rng) -> String {
    let class = LC_CLASSES[r.below(16) as usize];
    let mut s = format!("{class}{}", 1 + r.below(9999));
    if r.below(3) == 0 {
        s.push_str(&format!(".{}", r.below(999)));
    }
    s.push_str(&format!(" .{}{}", r.letter(), 1 + r.below(999)));
    if r.below(2) == 0 {
        s.push_str(&format!(" {}{}", r.letter(), 1 + r.below(99)));
    }
    if r.below(4) != 0 {
        s.push_str(&format!(" {}", 1900 + r.below(126)));
    }
    if r.below(10) == 0 {
        s.push_str(&format!(" v.{}", 1 + r.below(20)));
    }
    s
}

fn dewey(r: &mut Rng) -> String {
    let p = DEWEY_PREFIXES[r.below(5) as usize];
    let mut s = format!("{p}{:03}", r.below(1000));
    if r.below(3) != 0 {
        s.push_str(&format!(".{}", r.below(99_999)));
    }
    let c: String = (0..3).map(|_| r.letter()).collect();
    format!("{s} {c}")
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let input: Vec<(Scheme, String)> = (0..n)
        .map(|i| {
            if i % 10 < 7 {
                (Scheme::Lc, lc(&mut r))
            } else {
                (Scheme::Dewey, dewey(&mut r))
            }
        })
        .collect();

    let t = Instant::now();
    let keys: Vec<String> = input
        .iter()
        .map(|(s, cn)| sort_key(*s, cn).into_string())
        .collect();
    let key_time = t.elapsed();

    let mut by_key: Vec<&String> = keys.iter().collect();
    let t = Instant::now();
    by_key.sort_unstable();
    let sort_keys = t.elapsed();

    let mut raw: Vec<&String> = input.iter().map(|(_, cn)| cn).collect();
    let t = Instant::now();
    raw.sort_unstable();
    let sort_raw = t.elapsed();

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!("| step ({n} call numbers, 70% LC / 30% Dewey) | time |");
    println!("|---|---:|");
    println!(
        "| compute sort keys | {:.0} ms ({:.2} µs each) |",
        ms(key_time),
        ms(key_time) * 1000.0 / n as f64
    );
    println!("| sort by key (shelf order) | {:.0} ms |", ms(sort_keys));
    println!(
        "| keys + sort, total | {:.0} ms |",
        ms(key_time) + ms(sort_keys)
    );
    println!(
        "| sort the raw strings (wrong order) | {:.0} ms |",
        ms(sort_raw)
    );
}
