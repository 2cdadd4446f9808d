//! `quire import` (with a progress bar and a report) and `quire marc dump /
//! convert` (MARC tools that need no library).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use clap::{Args, ValueEnum};
use quire_library::catalog::{Holdings, ImportOptions, Matching, OnMatch};
use quire_library::{Ctx, Library};
use sha2::Digest;

#[derive(Args)]
pub struct ImportArgs {
    /// MARC files: ISO 2709, MARCXML or MARC-in-JSON (detected), MARC-8 or UTF-8.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// How to find an existing record.
    #[arg(long = "match", value_enum, default_value = "control-number")]
    pub matching: MatchArg,
    /// What to do with a record that matches.
    #[arg(long, value_enum, default_value = "replace")]
    pub on_match: OnMatchArg,
    /// Which local fields describe items.
    #[arg(long, value_enum, default_value = "auto")]
    pub holdings: HoldingsArg,
    /// Branch code for items whose branch is missing or unknown.
    #[arg(long)]
    pub default_branch: Option<String>,
    /// Records per transaction.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// Write the quarantined records and item problems to this JSON file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// No progress bar (also when stderr is not a terminal).
    #[arg(long)]
    pub quiet: bool,
    /// Holdings mapping for this import: a JSON file like
    /// `{"952": {"barcode": "p", "call_number": "o", "branch": "a", …}}`
    /// (tags left out keep the configured mapping).
    #[arg(long, env = "QUIRE_IMPORT_HOLDINGS_MAP")]
    pub holdings_map: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MatchArg {
    ControlNumber,
    Isbn,
    None,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnMatchArg {
    Replace,
    Skip,
    MergeItems,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum HoldingsArg {
    Auto,
    None,
    Koha952,
    Marc852,
    Local949,
}

/// Counts bytes read, for the progress bar's ETA.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Identifies "the same file" across runs so an interrupted import resumes:
/// absolute path, size and a hash of the first megabyte.
fn fingerprint(path: &Path) -> anyhow::Result<String> {
    let abs = std::fs::canonicalize(path)?;
    let size = std::fs::metadata(&abs)?.len();
    let mut head = vec![0u8; 1 << 20];
    let mut f = std::fs::File::open(&abs)?;
    let mut n = 0;
    while n < head.len() {
        let k = f.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let digest = sha2::Sha256::digest(&head[..n]);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}:{size}:{hex}", abs.display()))
}

/// Documents indexed between two commits of the index while importing.
const INDEX_COMMIT_EVERY: u64 = 50_000;

/// Opens the search index of the data directory for indexing beside the
/// import, unless a running server holds it (it then indexes the new
/// records from the outbox itself) or it must be rebuilt (the next `quire
/// serve` does that).
fn index_beside_import(lib: &Library, data: &Path) -> Option<Arc<quire_search::SearchIndex>> {
    let dir = data.join("index");
    let index = match quire_search::SearchIndex::open(&dir) {
        Ok(index) => index,
        Err(e) => {
            eprintln!(
                "note: the search index in {} is not updated by this import ({e}); `quire serve` brings it up to date",
                dir.display()
            );
            return None;
        }
    };
    match index.try_acquire_writer() {
        Ok(true) => {
            let index = Arc::new(index);
            lib.set_index(index.clone());
            Some(index)
        }
        Ok(false) => {
            println!(
                "A server is running on this data directory: it indexes the imported records."
            );
            None
        }
        Err(e) => {
            eprintln!(
                "note: the search index in {} is not updated by this import ({e}); `quire serve` brings it up to date",
                dir.display()
            );
            None
        }
    }
}

/// `quire import`: when no server runs on the data directory, the records
/// committed by the import are indexed at the same time on another task
/// (the second core), so the catalog is searchable when the command ends.
pub async fn run(lib: &Library, data: &Path, args: &ImportArgs) -> anyhow::Result<()> {
    let indexer = index_beside_import(lib, data).map(|index| {
        let (done_tx, done_rx) = tokio::sync::watch::channel(false);
        let lib2 = lib.clone();
        let task =
            tokio::spawn(async move { lib2.index_follow(done_rx, INDEX_COMMIT_EVERY).await });
        (index, done_tx, task)
    });
    let started = std::time::Instant::now();
    let result = import_files(lib, args).await;
    if let Some((index, done_tx, task)) = indexer {
        let _ = done_tx.send(true);
        let indexed = match task.await {
            Ok(Ok(n)) => Some(n),
            Ok(Err(e)) => {
                eprintln!(
                    "warning: search index update failed ({}); `quire serve` catches up from the database",
                    e.detail
                );
                None
            }
            Err(e) => {
                eprintln!("warning: search index update failed ({e})");
                None
            }
        };
        // Waits for merges and releases the index for a server.
        let closed = tokio::task::spawn_blocking(move || index.close_writer()).await;
        if let Ok(Err(e)) = closed {
            eprintln!("warning: closing the search index: {e}");
        }
        if let Some(n) = indexed {
            println!(
                "Search index updated: {n} records indexed ({:.1} s in all)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    result
}

async fn import_files(lib: &Library, args: &ImportArgs) -> anyhow::Result<()> {
    let ctx = Ctx::system("import");
    let holdings_map = match &args.holdings_map {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            let base = lib
                .holdings_mapping()
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            Some(
                quire_library::holdings::HoldingsConfig::from_json(&text, &base)
                    .map_err(|e| anyhow::anyhow!("--holdings-map {}: {}", p.display(), e.detail))?,
            )
        }
        None => None,
    };
    let opts = ImportOptions {
        matching: match args.matching {
            MatchArg::ControlNumber => Matching::ControlNumber,
            MatchArg::Isbn => Matching::Isbn,
            MatchArg::None => Matching::None,
        },
        on_match: match args.on_match {
            OnMatchArg::Replace => OnMatch::Replace,
            OnMatchArg::Skip => OnMatch::Skip,
            OnMatchArg::MergeItems => OnMatch::MergeItems,
        },
        holdings: match args.holdings {
            HoldingsArg::Auto => Holdings::Auto,
            HoldingsArg::None => Holdings::None,
            HoldingsArg::Koha952 => Holdings::Koha952,
            HoldingsArg::Marc852 => Holdings::Marc852,
            HoldingsArg::Local949 => Holdings::Local949,
        },
        batch_size: args.batch,
        default_branch: args.default_branch.clone(),
        holdings_map,
    };
    let mut report = serde_json::json!({"files": []});
    let mut total_quarantined = 0;
    for file in &args.files {
        let fp = fingerprint(file).with_context(|| format!("cannot read {}", file.display()))?;
        let size = std::fs::metadata(file)?.len();
        let read = Arc::new(AtomicU64::new(0));
        let input = Counting {
            inner: std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(file)?),
            read: read.clone(),
        };
        let bar = progress_bar(args.quiet, size, file);
        let started = std::time::Instant::now();
        let source = file.display().to_string();
        let bar2 = bar.clone();
        let mut on_progress = move |p: &quire_library::catalog::ImportProgress| {
            let done = (p.counts.records_done - p.resumed_from).max(0) as f64;
            let rate = done / started.elapsed().as_secs_f64().max(0.001);
            bar2.set_position(read.load(Ordering::Relaxed));
            bar2.set_message(format!(
                "{} records, {:.0}/s, {} new, {} replaced, {} skipped, {} quarantined",
                p.counts.records_done,
                rate,
                p.counts.created,
                p.counts.replaced,
                p.counts.skipped,
                p.counts.quarantined
            ));
        };
        let r = lib
            .import_marc(&ctx, &source, &fp, input, &opts, &mut on_progress)
            .await
            .map_err(crate::explain)?;
        bar.finish_and_clear();
        let secs = started.elapsed().as_secs_f64();
        let c = r.counts;
        if r.resumed_from > 0 {
            println!(
                "{source}: resumed an interrupted import after record {}",
                r.resumed_from
            );
        }
        println!(
            "{source}: {} records in {:.1} s ({:.0}/s): {} new, {} replaced, {} skipped, {} quarantined, {} items, {} warnings",
            c.records_done,
            secs,
            (c.records_done - r.resumed_from) as f64 / secs.max(0.001),
            c.created,
            c.replaced,
            c.skipped,
            c.quarantined,
            c.items_created,
            r.warnings
        );
        for p in r.item_problems.iter().take(5) {
            eprintln!("  item: {p}");
        }
        if r.item_problems.len() > 5 {
            eprintln!(
                "  … and {} more item problems (see --report)",
                r.item_problems.len() - 5
            );
        }
        total_quarantined += c.quarantined;
        let q = lib
            .quarantine(&ctx, Some(r.job_id))
            .await
            .map_err(crate::explain)?;
        if let Some(files) = report["files"].as_array_mut() {
            files.push(serde_json::json!({
                "file": source,
                "job_id": r.job_id,
                "counts": c,
                "warnings": r.warnings,
                "item_problems": r.item_problems,
                "quarantined": q.iter().map(|e| serde_json::json!({
                    "record_index": e.record_index,
                    "byte_offset": e.byte_offset,
                    "reason": e.reason,
                    "raw_hex": e.raw.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                })).collect::<Vec<_>>(),
            }));
        }
    }
    if let Some(path) = &args.report {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Report written to {}", path.display());
    } else if total_quarantined > 0 {
        println!(
            "{total_quarantined} records were quarantined; review them in the staff interface or re-run with --report FILE"
        );
    }
    Ok(())
}

fn progress_bar(quiet: bool, size: u64, file: &Path) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {percent:>3}% eta {eta}  {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(
        file.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    bar
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MarcFormat {
    Binary,
    Marcxml,
    Json,
}

/// `quire marc dump FILE`: the records as text, one block each. With
/// `count`, only a summary line (records read, records with repairs,
/// warnings, unreadable stretches): a quick check of a file before an
/// import.
pub fn dump(file: &Path, count: bool) -> anyhow::Result<()> {
    let out = std::io::stdout();
    let mut lock = out.lock();
    if count {
        let mut tally = Tally::default();
        for_each_record(file, &mut tally, |_| Ok(()))?;
        writeln!(
            lock,
            "{}: {} records, {} with repairs ({} warnings), {} unreadable",
            file.display(),
            tally.records,
            tally.repaired,
            tally.warnings,
            tally.unreadable
        )?;
        return Ok(());
    }
    // The writer collects large blocks itself: no BufWriter needed.
    let mut w = quire_marc::TextWriter::new(lock);
    for_each_record(file, &mut Tally::default(), |rec| Ok(w.write(rec)?))?;
    w.finish()?.flush()?;
    Ok(())
}

/// `quire marc convert --to FORMAT FILE`: records to stdout (always UTF-8;
/// MARC-8 is converted on reading).
pub fn convert(file: &Path, to: MarcFormat) -> anyhow::Result<()> {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    match to {
        MarcFormat::Binary => {
            let mut w = quire_marc::Iso2709Writer::new(out);
            for_each_record(file, &mut Tally::default(), |rec| Ok(w.write(rec)?))?;
            w.finish()?.flush()?;
        }
        MarcFormat::Marcxml => {
            let mut w = quire_marc::MarcXmlWriter::new(out)?;
            for_each_record(file, &mut Tally::default(), |rec| Ok(w.write(rec)?))?;
            w.finish()?.flush()?;
        }
        MarcFormat::Json => {
            let mut w = quire_marc::MarcJsonWriter::new(out)?;
            for_each_record(file, &mut Tally::default(), |rec| Ok(w.write(rec)?))?;
            w.finish()?.flush()?;
        }
    }
    Ok(())
}

/// What [`for_each_record`] saw.
#[derive(Default)]
struct Tally {
    records: u64,
    repaired: u64,
    warnings: u64,
    unreadable: u64,
}

/// Reads every record leniently; warns on stderr per damaged record.
/// ISO 2709 goes through the reader's buffer-reusing path (one record
/// buffer for the whole file); the other formats through the iterator.
fn for_each_record(
    file: &Path,
    tally: &mut Tally,
    mut f: impl FnMut(&quire_marc::Record) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let open =
        || std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()));
    let mut head = [0u8; 1024];
    let mut n = 0;
    let mut probe = open()?;
    while n < head.len() {
        match probe.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    drop(probe);
    let stderr = std::io::stderr();
    let mut report = |item: Result<&quire_marc::ReadRecord, &quire_marc::BadRecord>| match item {
        Ok(rr) => {
            tally.records += 1;
            if !rr.warnings.is_empty() {
                tally.repaired += 1;
                tally.warnings += rr.warnings.len() as u64;
                let mut e = stderr.lock();
                for w in &rr.warnings {
                    let _ = writeln!(
                        e,
                        "warning: record {} (byte {}): {}",
                        rr.position.index + 1,
                        rr.position.byte_offset,
                        w.message
                    );
                }
            }
        }
        Err(bad) => {
            tally.unreadable += 1;
            let _ = writeln!(
                stderr.lock(),
                "warning: record {} (byte {}) skipped: {}",
                bad.position.index + 1,
                bad.position.byte_offset,
                bad.reason
            );
        }
    };
    if quire_marc::detect(&head[..n]) == quire_marc::Format::Iso2709 {
        let mut reader = quire_marc::Iso2709Reader::new(open()?);
        let mut rr = quire_marc::ReadRecord::default();
        while let Some(item) = reader.read_into(&mut rr) {
            match item {
                Ok(()) => {
                    report(Ok(&rr));
                    f(&rr.record)?;
                }
                Err(bad) => report(Err(&bad)),
            }
        }
        return Ok(());
    }
    for item in quire_marc::open_reader(std::io::BufReader::new(open()?)) {
        match &item {
            Ok(rr) => {
                report(Ok(rr));
                f(&rr.record)?;
            }
            Err(bad) => report(Err(bad)),
        }
    }
    Ok(())
}
