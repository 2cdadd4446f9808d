//! Builds the generated library of the circulation benchmark (`bench/circ.py`)
//! through the library service itself: one branch, `--items` items spread
//! over generated bibliographic records (five copies each, imported as MARC
//! with Koha-style 952 item fields by the normal import engine), and
//! `--patrons` registered patrons. Writes the patron and item barcodes, one
//! per line, to `OUT/patrons.txt` and `OUT/items.txt`.
//!
//! cargo run --release -p quire --example circ_fixture -- --url sqlite:DIR/quire.db \
//!     --patrons 100000 --items 1000000 --out DIR
#![allow(clippy::unwrap_used, clippy::expect_used)] // an operator's tool: fail loudly

use std::io::Write;
use std::time::Instant;

use quire_domain::org::BranchForm;
use quire_domain::patron::PatronForm;
use quire_library::catalog::{Holdings, ImportOptions};
use quire_library::{Ctx, Library};
use quire_marc::{Field, Record, Subfield, Tag};

const COPIES: usize = 5;
const WORDS: &[&str] = &[
    "river", "mountain", "history", "garden", "island", "city", "songs", "letters", "journey",
    "harvest", "lamp", "bridge", "ocean", "market", "school", "village", "stars", "winter",
];

fn tag(s: &str) -> Tag {
    Tag::parse(s).unwrap()
}

fn record(n: usize) -> Record {
    let mut r = Record::new();
    r.push(Field::control(tag("001"), format!("bench{n:08}")));
    r.push(Field::control(tag("003"), "QUIRE-BENCH"));
    r.push(Field::control(
        tag("008"),
        "200101s2020    xx            000 0 eng d",
    ));
    let w = |k: usize| WORDS[(n / WORDS.len().pow(k as u32)) % WORDS.len()];
    r.push(Field::data(
        tag("100"),
        '1',
        ' ',
        vec![Subfield::new('a', format!("Author {}, {}", w(1), n % 997))],
    ));
    r.push(Field::data(
        tag("245"),
        '1',
        '0',
        vec![Subfield::new(
            'a',
            format!("The {} of the {} {} /", w(0), w(1), n),
        )],
    ));
    for c in 0..COPIES {
        r.push(Field::data(
            tag("952"),
            ' ',
            ' ',
            vec![
                Subfield::new('a', "BENCH"),
                Subfield::new('b', "BENCH"),
                Subfield::new('o', format!("PS{}.B{} 2020", 100 + n % 3000, n % 97)),
                Subfield::new('p', format!("B{:09}", n * COPIES + c)),
                Subfield::new('y', "BOOK"),
            ],
        ));
    }
    r
}

#[tokio::main]
async fn main() {
    let mut url = String::new();
    let mut patrons = 100_000usize;
    let mut items = 1_000_000usize;
    let mut out = std::path::PathBuf::from(".");
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--url" => url = v,
            "--patrons" => patrons = v.parse().unwrap(),
            "--items" => items = v.parse().unwrap(),
            "--out" => out = v.into(),
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !url.is_empty(),
        "--url sqlite:… or postgres://… is required"
    );
    let lib = Library::open(&url).await.expect("open the database");
    let sys = &Ctx::system("bench");
    lib.create_branch(
        sys,
        &BranchForm {
            code: "BENCH".into(),
            name: "Benchmark branch".into(),
            kind: "branch".into(),
            timezone: "UTC".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("create the branch");

    let t0 = Instant::now();
    let records = items.div_ceil(COPIES);
    let mut marc = Vec::with_capacity(records * 400);
    {
        let mut w = quire_marc::Iso2709Writer::new(&mut marc);
        for n in 0..records {
            w.write(&record(n)).unwrap();
        }
        w.finish().unwrap();
    }
    let opts = ImportOptions {
        holdings: Holdings::Auto,
        batch_size: 2000,
        ..Default::default()
    };
    let report = lib
        .import_marc(
            sys,
            "bench.mrc",
            "bench-fixture",
            std::io::Cursor::new(marc),
            &opts,
            &mut |_| {},
        )
        .await
        .expect("import");
    eprintln!(
        "imported {records} records with {} items in {:.1}s ({} item problems)",
        records * COPIES,
        t0.elapsed().as_secs_f64(),
        report.item_problems.len()
    );
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("items.txt")).unwrap());
    for i in 0..records * COPIES {
        writeln!(f, "B{i:09}").unwrap();
    }
    f.flush().unwrap();

    let t0 = Instant::now();
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("patrons.txt")).unwrap());
    for n in 0..patrons {
        // The card number is assigned by the library's card scheme.
        let p = lib
            .register_patron(
                sys,
                &PatronForm {
                    first_name: format!("Reader{}", n % 1000),
                    last_name: format!("Bench{n}"),
                    category: "ADULT".into(),
                    home_branch: "BENCH".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("patron {n}: {e:?}"));
        writeln!(f, "{}", p.barcode).unwrap();
    }
    f.flush().unwrap();
    eprintln!(
        "registered {patrons} patrons in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    lib.close().await;
}
