//! `quire call-number sort`: shelf order for catalogers and scripts.

use std::io::{BufRead, Write};

use clap::ValueEnum;
use quire_domain::callnumber::{self, Scheme};

#[derive(Clone, Copy, ValueEnum)]
pub enum SchemeArg {
    Lc,
    Dewey,
    Other,
}

impl From<SchemeArg> for Scheme {
    fn from(s: SchemeArg) -> Scheme {
        match s {
            SchemeArg::Lc => Scheme::Lc,
            SchemeArg::Dewey => Scheme::Dewey,
            SchemeArg::Other => Scheme::Other,
        }
    }
}

/// Reads call numbers (one per line) from stdin and prints them in shelf
/// order; with `keys`, each line is `KEY<TAB>CALL NUMBER`. Invalid call
/// numbers are reported on stderr (line number and reason) and still sorted
/// (after the valid ones).
pub fn sort(scheme: SchemeArg, keys: bool) -> anyhow::Result<usize> {
    let scheme: Scheme = scheme.into();
    let stdin = std::io::stdin();
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut invalid = 0;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        let cn = line.trim();
        if cn.is_empty() {
            continue;
        }
        if let Err(e) = callnumber::parse(scheme, cn) {
            invalid += 1;
            eprintln!("line {}: {cn:?} is not a valid call number: {e}", n + 1);
        }
        rows.push((callnumber::sort_key(scheme, cn).to_string(), cn.to_owned()));
    }
    rows.sort();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for (key, cn) in &rows {
        if keys {
            writeln!(out, "{key}\t{cn}")?;
        } else {
            writeln!(out, "{cn}")?;
        }
    }
    out.flush()?;
    Ok(invalid)
}
