//! Streams a MARC file (any supported format, auto-detected) and prints the
//! number of good and bad records, warnings, and records per second (on
//! stderr). Optionally re-serialises every record to stdout, for
//! like-for-like comparisons with `yaz-marcdump` (`-o line|marcxml|json|marc`).
//!
//! ```text
//! cargo run --release -p quire-marc --example marc_count -- FILE [--verbose] [--dump text|xml|json|marc]
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use quire_marc::{MarcJsonWriter, MarcXmlWriter, Record, TextWriter, iso2709};

enum Out<W: Write> {
    None,
    Text(TextWriter<W>),
    Xml(MarcXmlWriter<W>),
    Json(MarcJsonWriter<W>),
    Marc(W),
}

fn main() -> std::io::Result<()> {
    let mut path = None;
    let mut verbose = false;
    let mut dump = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--verbose" => verbose = true,
            "--dump" => dump = args.next(),
            _ => path = Some(a),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: marc_count FILE [--verbose] [--dump text|xml|json|marc]");
        std::process::exit(2);
    };
    let file = File::open(&path)?;
    let stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut out = match dump.as_deref() {
        None => Out::None,
        Some("text") => Out::Text(TextWriter::new(stdout)),
        Some("xml") => Out::Xml(MarcXmlWriter::new(stdout)?),
        Some("json") => Out::Json(MarcJsonWriter::new(stdout)?),
        Some("marc") => Out::Marc(stdout),
        Some(other) => {
            eprintln!("unknown --dump format {other}");
            std::process::exit(2);
        }
    };
    let t0 = Instant::now();
    let (mut good, mut bad, mut warnings, mut fields) = (0u64, 0u64, 0u64, 0u64);
    // ISO 2709: the buffer-reusing fast path. Other formats: the iterator.
    let mut head = [0u8; 64];
    let n = std::io::Read::read(&mut File::open(&path)?, &mut head)?;
    if quire_marc::detect(&head[..n]) == quire_marc::Format::Iso2709 {
        let mut reader = quire_marc::Iso2709Reader::new(file);
        let mut r = quire_marc::ReadRecord::default();
        while let Some(item) = reader.read_into(&mut r) {
            match item {
                Ok(()) => {
                    good += 1;
                    warnings += r.warnings.len() as u64;
                    fields += r.record.fields.len() as u64;
                    if verbose {
                        for w in &r.warnings {
                            eprintln!("{}: warning: {w}", r.position);
                        }
                    }
                    write(&mut out, &r.record)?;
                }
                Err(b) => {
                    bad += 1;
                    if verbose {
                        eprintln!("bad: {b}");
                    }
                }
            }
        }
        return finish(out, &path, t0, good, bad, warnings, fields);
    }
    for item in quire_marc::open_reader(file) {
        match item {
            Ok(r) => {
                good += 1;
                warnings += r.warnings.len() as u64;
                fields += r.record.fields.len() as u64;
                if verbose {
                    for w in &r.warnings {
                        eprintln!("{}: warning: {w}", r.position);
                    }
                }
                write(&mut out, &r.record)?;
            }
            Err(b) => {
                bad += 1;
                if verbose {
                    eprintln!("bad: {b}");
                }
            }
        }
    }
    finish(out, &path, t0, good, bad, warnings, fields)
}

fn finish<W: Write>(
    out: Out<W>,
    path: &str,
    t0: Instant,
    good: u64,
    bad: u64,
    warnings: u64,
    fields: u64,
) -> std::io::Result<()> {
    match out {
        Out::None => {}
        Out::Text(w) => drop(w.finish()?),
        Out::Xml(w) => drop(w.finish()?),
        Out::Json(w) => drop(w.finish()?),
        Out::Marc(mut w) => w.flush()?,
    }
    let secs = t0.elapsed().as_secs_f64();
    let total = good + bad;
    eprintln!(
        "{path}: {good} records, {bad} bad, {warnings} warnings, {fields} fields in {secs:.3} s ({:.0} records/s)",
        total as f64 / secs.max(1e-9)
    );
    Ok(())
}

fn write<W: Write>(out: &mut Out<W>, r: &Record) -> std::io::Result<()> {
    match out {
        Out::None => Ok(()),
        Out::Text(w) => w.write(r),
        Out::Xml(w) => w.write(r),
        Out::Json(w) => w.write(r),
        Out::Marc(w) => match iso2709::to_bytes(r) {
            Ok(b) => w.write_all(&b),
            Err(e) => {
                eprintln!("cannot write record: {e}");
                Ok(())
            }
        },
    }
}
