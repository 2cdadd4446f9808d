//! Indexing throughput and query latency of `quire-search`.
//!
//! ```text
//! cargo run --release -p quire-search --example search_bench -- [--docs N] [--queries Q]
//!     [--jsonl FILE] [--dir DIR] [--threads T]
//! ```
//!
//! Without `--jsonl`, N synthetic records are generated (default 50 000);
//! with it, one JSON [`BibDoc`] per line is read (e.g. the 250k LoC records
//! converted by the lead's tooling). The index is built in DIR (default: a
//! fresh directory under the system temp dir, deleted at the end), then Q
//! queries of several kinds run (default 2 000) and p50/p90/p99 latencies
//! are printed per kind.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use quire_search::{
    BibDoc, BrowseField, Field, Filter, IndexOptions, MatchMode, Query, SearchIndex, SearchRequest,
    SortOrder,
};

/// Small deterministic PRNG (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "history",
    "library",
    "science",
    "philippines",
    "vietnam",
    "war",
    "peace",
    "children",
    "introduction",
    "guide",
    "poetry",
    "novel",
    "economics",
    "mathematics",
    "computer",
    "music",
    "art",
    "language",
    "grammar",
    "culture",
    "politics",
    "religion",
    "medicine",
    "law",
    "river",
    "mountain",
    "city",
    "village",
    "journey",
    "memoir",
    "revolution",
    "empire",
    "ocean",
    "forest",
    "tiếng",
    "việt",
    "lịch",
    "sử",
    "văn",
    "học",
    "kasaysayan",
    "wika",
    "panitikan",
    "bayan",
    "东京",
    "大学",
    "文学",
    "歴史",
    "dune",
    "rizal",
    "noli",
    "tangere",
    "engineering",
    "design",
];
const NAMES: &[&str] = &[
    "Smith, John",
    "Nguyễn, Văn An",
    "Trần, Thị Bích",
    "Rizal, José",
    "Santos, Maria",
    "García, Luis",
    "Müller, Jürgen",
    "Kowalski, Jan",
    "Tanaka, Hiroshi",
    "Herbert, Frank",
    "Ocampo, Ambeth",
    "Lê, Minh Khuê",
    "Reyes, Lualhati",
    "Brown, Alice",
    "Dupont, Émile",
];
const FORMATS: &[&str] = &[
    "book", "book", "book", "ebook", "serial", "video", "sound", "map",
];
const LANGS: &[&str] = &[
    "eng", "eng", "vie", "tgl", "fre", "ger", "jpn", "chi", "spa",
];
const BRANCHES: &[&str] = &["main", "north", "south", "east", "west"];

fn phrase(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    (0..n)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn synthetic(rng: &mut Rng, id: i64) -> BibDoc {
    let title = {
        let mut t = phrase(rng, 1, 5);
        if let Some(first) = t.get(..1) {
            t = first.to_uppercase() + t.get(1..).unwrap_or_default();
        }
        t
    };
    let branches: Vec<String> = (0..1 + rng.below(3))
        .map(|_| rng.pick(BRANCHES).to_string())
        .collect();
    let available: Vec<String> = branches
        .iter()
        .filter(|_| rng.below(3) > 0)
        .cloned()
        .collect();
    let class = format!("QA{}", 1 + rng.below(999));
    let cutter = format!(".{}{}", (b'A' + rng.below(26) as u8) as char, rng.below(99));
    BibDoc {
        record_id: id,
        title_sort: title.clone(),
        title,
        subtitle: if rng.below(2) == 0 {
            phrase(rng, 2, 6)
        } else {
            String::new()
        },
        authors: (0..1 + rng.below(2))
            .map(|_| rng.pick(NAMES).to_string())
            .collect(),
        subjects: (0..rng.below(4))
            .map(|_| format!("{} -- {}", phrase(rng, 1, 2), phrase(rng, 1, 1)))
            .collect(),
        series: if rng.below(5) == 0 {
            vec![phrase(rng, 2, 3)]
        } else {
            Vec::new()
        },
        publisher: vec![format!("{} Press", rng.pick(WORDS))],
        place: vec!["Manila".into()],
        year: Some(1850 + rng.below(175) as i32),
        languages: vec![rng.pick(LANGS).to_string()],
        format: rng.pick(FORMATS).to_string(),
        isbns: vec![format!("978{:010}", rng.next() % 10_000_000_000)],
        call_numbers: vec![format!("{class} {cutter} {}", 1900 + rng.below(125))],
        call_number_sort_keys: vec![format!("QA {:>4}{cutter}", &class[2..])],
        notes: vec![phrase(rng, 5, 20)],
        item_count: branches.len() as u32,
        available_count: available.len() as u32,
        branches,
        available_branches: available,
        suppressed: rng.below(100) == 0,
        ..BibDoc::default()
    }
}

struct Args {
    docs: usize,
    queries: usize,
    jsonl: Option<PathBuf>,
    dir: Option<PathBuf>,
    threads: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        docs: 50_000,
        queries: 2_000,
        jsonl: None,
        dir: None,
        threads: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => a.docs = value()?.parse().map_err(|e| format!("--docs: {e}"))?,
            "--queries" => a.queries = value()?.parse().map_err(|e| format!("--queries: {e}"))?,
            "--threads" => a.threads = value()?.parse().map_err(|e| format!("--threads: {e}"))?,
            "--jsonl" => a.jsonl = Some(PathBuf::from(value()?)),
            "--dir" => a.dir = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let (dir, temporary) = match &args.dir {
        Some(d) => (d.clone(), false),
        None => (
            std::env::temp_dir().join(format!("quire-search-bench-{}", std::process::id())),
            true,
        ),
    };
    let options = IndexOptions {
        writer_threads: args.threads,
        writer_memory_bytes: 128 * 1024 * 1024,
    };
    let index = SearchIndex::open_with(&dir, options)?;
    index.clear()?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    // ---- indexing
    let started = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    let mut indexed = 0u64;
    let flush =
        |batch: &mut Vec<BibDoc>, indexed: &mut u64| -> Result<(), Box<dyn std::error::Error>> {
            index.upsert(batch)?;
            *indexed += batch.len() as u64;
            batch.clear();
            index.commit(*indexed)?;
            Ok(())
        };
    match &args.jsonl {
        Some(path) => {
            let file = std::io::BufReader::new(std::fs::File::open(path)?);
            for (n, line) in file.lines().enumerate() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<BibDoc>(&line) {
                    Ok(d) => batch.push(d),
                    Err(e) => eprintln!("line {}: {e}", n + 1),
                }
                if batch.len() == 10_000 {
                    flush(&mut batch, &mut indexed)?;
                }
            }
        }
        None => {
            for id in 1..=args.docs as i64 {
                batch.push(synthetic(&mut rng, id));
                if batch.len() == 10_000 {
                    flush(&mut batch, &mut indexed)?;
                }
            }
        }
    }
    flush(&mut batch, &mut indexed)?;
    let elapsed = started.elapsed();
    println!(
        "indexed {indexed} docs in {:.1}s: {:.0} docs/s ({} live docs)",
        elapsed.as_secs_f64(),
        indexed as f64 / elapsed.as_secs_f64().max(1e-9),
        index.count()
    );

    // ---- queries
    let kinds = [
        "keyword",
        "keyword+facets",
        "phrase",
        "author",
        "sorted",
        "browse",
        "doc_ids",
    ];
    let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len()];
    let mut total_hits = 0u64;
    for i in 0..args.queries {
        let kind = i % kinds.len();
        let t = Instant::now();
        match kind {
            0 => {
                let q = Query::parse_simple(&phrase(&mut rng, 1, 3));
                total_hits += index.search(&SearchRequest::new(q))?.total;
            }
            1 => {
                let mut r = SearchRequest::new(Query::parse_simple(&phrase(&mut rng, 1, 2)));
                r.facets = true;
                r.filters = vec![Filter::Format("book".into())];
                total_hits += index.search(&r)?.total;
            }
            2 => {
                let q = Query::term(Field::Title, phrase(&mut rng, 2, 2), MatchMode::Phrase);
                total_hits += index.search(&SearchRequest::new(q))?.total;
            }
            3 => {
                let name = rng.pick(NAMES);
                let q = Query::term(Field::Author, name, MatchMode::Words);
                total_hits += index.search(&SearchRequest::new(q))?.total;
            }
            4 => {
                let mut r = SearchRequest::new(Query::parse_simple(rng.pick(WORDS)));
                r.sort = if i % 2 == 0 {
                    SortOrder::Title
                } else {
                    SortOrder::DateNewest
                };
                total_hits += index.search(&r)?.total;
            }
            5 => {
                let field = [
                    BrowseField::Title,
                    BrowseField::Author,
                    BrowseField::Subject,
                    BrowseField::CallNumber,
                ][rng.below(4)];
                let from = rng.pick(WORDS);
                total_hits += index.browse(field, from, 10, 10)?.len() as u64;
            }
            _ => {
                let q = Query::term(Field::Any, rng.pick(WORDS), MatchMode::Words);
                total_hits += index.doc_ids_for(&q)?.len() as u64;
            }
        }
        latencies[kind].push(t.elapsed());
    }
    println!(
        "{:<16} {:>7} {:>10} {:>10} {:>10}",
        "query kind", "n", "p50", "p90", "p99"
    );
    let mut all = Vec::new();
    for (name, mut l) in kinds.iter().zip(latencies) {
        l.sort();
        println!(
            "{name:<16} {:>7} {:>10.2?} {:>10.2?} {:>10.2?}",
            l.len(),
            percentile(&l, 0.5),
            percentile(&l, 0.9),
            percentile(&l, 0.99)
        );
        all.extend(l);
    }
    all.sort();
    println!(
        "{:<16} {:>7} {:>10.2?} {:>10.2?} {:>10.2?}   (hits/entries seen: {total_hits})",
        "all",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99)
    );
    drop(index);
    if temporary {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}
