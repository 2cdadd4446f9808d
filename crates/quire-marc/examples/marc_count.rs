//! Streams a MARC file (any supported format, auto-detected) and prints the
//! number of good and bad records, warnings, and records per second.
//!
//! ```text
//! cargo run --release -p quire-marc --example marc_count -- FILE [--verbose]
//! ```

use std::fs::File;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: marc_count FILE [--verbose]");
        std::process::exit(2);
    };
    let verbose = args.next().as_deref() == Some("--verbose");
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let t0 = Instant::now();
    let (mut good, mut bad, mut warnings, mut fields) = (0u64, 0u64, 0u64, 0u64);
    for item in quire_marc::open_reader(file) {
        match item {
            Ok(r) => {
                good += 1;
                warnings += r.warnings.len() as u64;
                fields += r.record.fields.len() as u64;
                if verbose {
                    for w in &r.warnings {
                        println!("{}: warning: {w}", r.position);
                    }
                }
            }
            Err(b) => {
                bad += 1;
                if verbose {
                    println!("bad: {b}");
                }
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let total = good + bad;
    println!(
        "{path}: {good} records, {bad} bad, {warnings} warnings, {fields} fields in {secs:.3} s ({:.0} records/s)",
        total as f64 / secs.max(1e-9)
    );
}
