//! `quire export`: the catalog's MARC records (all, or what a query finds)
//! to a file or stdout, streaming, with items in the holdings field on
//! request.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use quire_library::export::ExportOptions;
use quire_library::{Ctx, Library};
use quire_marc::holdings::HoldingsMapping;

use crate::import::MarcFormat;

#[derive(Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(
        long,
        value_enum,
        default_value = "binary",
        env = "QUIRE_EXPORT_FORMAT"
    )]
    pub format: MarcFormat,
    /// Only records this search finds: CQL (`dc.title = hobbit`, anything
    /// with a relation) or plain keywords as in the catalog's search box.
    #[arg(long, env = "QUIRE_EXPORT_QUERY")]
    pub query: Option<String>,
    /// Write the items Quire holds into the item field (replacing the
    /// record's own item fields of that tag).
    #[arg(long, env = "QUIRE_EXPORT_ITEMS")]
    pub items: bool,
    /// Item field layout: the configured holdings mapping (default), or a
    /// preset.
    #[arg(long, value_enum, env = "QUIRE_EXPORT_ITEMS_AS")]
    pub items_as: Option<ItemsAs>,
    /// Output file (default: stdout).
    #[arg(short = 'o', long = "output", env = "QUIRE_EXPORT_OUTPUT")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ItemsAs {
    #[value(name = "952")]
    Koha952,
    #[value(name = "852")]
    Marc852,
    #[value(name = "949")]
    Local949,
}

/// Parses the query: CQL when it has a relation, keywords otherwise.
pub fn parse_query(q: &str) -> anyhow::Result<quire_search::Query> {
    let looks_cql = q.contains(['=', '<', '>']) || q.contains(" any ") || q.contains(" all ");
    if looks_cql {
        quire_interop::cql_map::map_cql_text(q)
            .map(|m| m.query)
            .map_err(|d| {
                anyhow::anyhow!(
                    "--query: CQL diagnostic {}: {}",
                    d.number,
                    d.details.unwrap_or_default()
                )
            })
    } else {
        Ok(quire_search::Query::parse_simple(q))
    }
}

pub async fn run(lib: &Library, data: &std::path::Path, args: &ExportArgs) -> anyhow::Result<u64> {
    let query = args.query.as_deref().map(parse_query).transpose()?;
    if query.is_some() {
        // The server's index when it can be brought up to date; otherwise
        // (e.g. `quire serve` holds its writer) one built in memory.
        let dir = data.join("index");
        let on_disk = quire_search::SearchIndex::open(&dir).ok();
        let mut ready = false;
        if let Some(index) = on_disk {
            lib.set_index(std::sync::Arc::new(index));
            ready = lib.index_catch_up().await.is_ok();
        }
        if !ready {
            eprintln!("note: building a temporary search index for --query");
            let mem = quire_search::SearchIndex::in_memory()
                .map_err(|e| anyhow::anyhow!("search index: {e}"))?;
            lib.set_index(std::sync::Arc::new(mem));
            lib.reindex(&mut |_, _| {})
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
        }
    }
    let mapping = match args.items_as {
        Some(ItemsAs::Koha952) => HoldingsMapping::koha_952(),
        Some(ItemsAs::Marc852) => HoldingsMapping::marc_852(),
        Some(ItemsAs::Local949) => HoldingsMapping::local_949(),
        None => lib
            .holdings_mapping()
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?
            .mapping(),
    };
    let opts = ExportOptions {
        query,
        with_items: args.items,
        mapping,
    };
    let out: Box<dyn Write + Send> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    let out = std::io::BufWriter::new(out);
    let sys = Ctx::system("export");
    let n = match args.format {
        MarcFormat::Binary => {
            let mut w = quire_marc::Iso2709Writer::new(out);
            let n = lib
                .export_records(&sys, &opts, &mut |r| {
                    w.write(r).map_err(std::io::Error::other)
                })
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            w.finish()?.flush()?;
            n
        }
        MarcFormat::Marcxml => {
            let mut w = quire_marc::MarcXmlWriter::new(out)?;
            let n = lib
                .export_records(&sys, &opts, &mut |r| w.write(r))
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            w.finish()?.flush()?;
            n
        }
        MarcFormat::Json => {
            let mut w = quire_marc::MarcJsonWriter::new(out)?;
            let n = lib
                .export_records(&sys, &opts, &mut |r| w.write(r))
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            w.finish()?.flush()?;
            n
        }
    };
    Ok(n)
}
