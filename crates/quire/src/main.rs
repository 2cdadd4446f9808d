//! The `quire` command: serve the library, run the demo, administer.

mod callnumber;
mod demo;
mod export;
mod import;
mod notify;
mod sip2;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use quire_domain::staff::NewStaffForm;
use quire_library::{Ctx, Library};

#[derive(Parser)]
#[command(
    name = "quire",
    version,
    about = "Quire — an integrated library system that runs on one small server."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the library's data lives.
#[derive(Args, Clone)]
struct DataArgs {
    /// Data directory (SQLite database, search index, backups).
    #[arg(long = "data", env = "QUIRE_DATA", default_value = "./quire-data")]
    data: PathBuf,
    /// PostgreSQL URL (postgres://…) instead of the embedded SQLite file.
    #[arg(long = "database", env = "QUIRE_DATABASE_URL")]
    database: Option<String>,
}

impl DataArgs {
    fn url(&self) -> anyhow::Result<String> {
        std::fs::create_dir_all(&self.data)
            .with_context(|| format!("cannot create data directory {}", self.data.display()))?;
        Ok(match &self.database {
            Some(u) if !u.is_empty() => u.clone(),
            _ => format!("sqlite:{}", self.data.join("quire.db").display()),
        })
    }
    async fn open(&self) -> anyhow::Result<Library> {
        let url = self.url()?;
        Library::open(&url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database: {}", e.detail))
    }
}

#[derive(Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Address for the web interface and API (port 0 picks a free port).
    #[arg(long = "http", env = "QUIRE_HTTP", default_value = "127.0.0.1:8080")]
    http: SocketAddr,
    /// Time zone in which staff pages show times (IANA name).
    #[arg(long, env = "QUIRE_TIMEZONE", default_value = "UTC")]
    timezone: String,
    /// Mark cookies Secure (set when Quire is served over HTTPS by a proxy).
    #[arg(long, env = "QUIRE_SECURE_COOKIES", default_value_t = false)]
    secure_cookies: bool,
    #[command(flatten)]
    sip2: sip2::Sip2Args,
    /// Seconds between two runs of the hold expiry sweep (expired pickup
    /// deadlines and not-needed-after dates); 0 turns it off.
    #[arg(long, env = "QUIRE_HOLDS_SWEEP_SECS", default_value_t = 300)]
    holds_sweep_secs: u64,
    /// Seconds between two runs of the privacy sweep (returned loans of
    /// patrons who keep no reading history lose their patron link after the
    /// retention period); 0 turns it off.
    #[arg(long, env = "QUIRE_PRIVACY_SWEEP_SECS", default_value_t = 3600)]
    privacy_sweep_secs: u64,
    /// Seconds between two runs of the overdue escalation sweep (loans past
    /// the rule's long-overdue / lost days become long overdue or are
    /// declared lost and billed); 0 turns it off.
    #[arg(long, env = "QUIRE_OVERDUE_SWEEP_SECS", default_value_t = 3600)]
    overdue_sweep_secs: u64,
    /// SMTP server for patron notices: smtp://host:port (plain),
    /// smtp://host:587?tls=required (STARTTLS) or smtps://host:465; user and
    /// password go in the URL. Without it no notices are generated or sent.
    #[arg(long = "smtp-url", env = "QUIRE_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender address of notices.
    #[arg(
        long = "smtp-from",
        env = "QUIRE_SMTP_FROM",
        default_value = "Quire library <quire@localhost>"
    )]
    smtp_from: String,
    /// Days before the due date when the due-soon notice goes out (0: none).
    #[arg(
        long = "due-soon-days",
        env = "QUIRE_DUE_SOON_DAYS",
        default_value_t = 2
    )]
    due_soon_days: i64,
    /// Seconds between notice sweeps (due-soon and overdue).
    #[arg(
        long = "notice-sweep-secs",
        env = "QUIRE_NOTICE_SWEEP_SECS",
        default_value_t = 300
    )]
    notice_sweep_secs: u64,
    /// Seconds between sweeps that make items left on a shelving cart
    /// available (the time on the cart is `quire admin set-reshelve-after`).
    #[arg(long, env = "QUIRE_RESHELVE_SWEEP_EVERY", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    reshelve_sweep_every: u64,
    /// Shortest time in milliseconds between two search-index commits while
    /// changes keep coming (a busy desk); 0 commits at every check (0.7 s).
    #[arg(long, env = "QUIRE_INDEX_COMMIT_GAP_MS", default_value_t = 2000)]
    index_commit_gap_ms: u64,
    /// CPU for the threads that serve requests on SQLite: `auto` picks one
    /// (by process id) when there are two or more, a number picks that CPU,
    /// `off` lets them run anywhere. Index building, searches and password
    /// checks still use every CPU. With the request threads on one CPU a
    /// statement's hand-off to SQLite's connection thread does not wake
    /// another CPU, which doubled checkouts per second on two cores.
    #[arg(long, env = "QUIRE_REQUEST_CPU", default_value = "auto")]
    request_cpu: String,
    #[command(flatten)]
    z3950: Z3950Args,
    #[command(flatten)]
    oai: OaiArgs,
    #[command(flatten)]
    copy: CopyArgs,
}

/// The copy-cataloging client (staff search of other Z39.50/SRU servers).
#[derive(Args, Clone)]
struct CopyArgs {
    /// Seconds each Z39.50/SRU target gets to answer a copy-cataloging
    /// search (connect + search + records); a target that takes longer is
    /// shown as not answering.
    #[arg(
        long = "copy-timeout-secs",
        env = "QUIRE_COPY_TIMEOUT_SECS",
        default_value_t = 10.0
    )]
    copy_timeout_secs: f64,
    /// PEM file of CA certificates to trust for https SRU targets, in
    /// addition to the built-in Mozilla roots: a consortium's own CA, or a
    /// small private CA that signed one target's certificate ("trust this
    /// target"). A bare self-signed server certificate is not accepted as a
    /// CA; verification itself is never turned off.
    #[arg(long = "copy-ca-file", env = "QUIRE_COPY_CA_FILE")]
    copy_ca_file: Option<PathBuf>,
}

impl CopyArgs {
    fn client(&self) -> anyhow::Result<quire_web::CopyClient> {
        let secs = self.copy_timeout_secs;
        if !(secs.is_finite() && (0.05..=600.0).contains(&secs)) {
            anyhow::bail!("--copy-timeout-secs must be between 0.05 and 600, not {secs}");
        }
        let tls = match &self.copy_ca_file {
            None => quire_interop::copycat::ClientTls::default(),
            Some(path) => {
                let pem = std::fs::read(path)
                    .with_context(|| format!("cannot read --copy-ca-file {}", path.display()))?;
                quire_interop::copycat::ClientTls::with_extra_pem(&pem)
                    .map_err(|e| anyhow::anyhow!("--copy-ca-file {}: {e}", path.display()))?
            }
        };
        Ok(quire_web::CopyClient {
            timeout: std::time::Duration::from_secs_f64(secs),
            tls,
        })
    }
}

/// The OAI-PMH repository at /oai.
#[derive(Args, Clone)]
struct OaiArgs {
    /// Repository name shown by OAI-PMH Identify.
    #[arg(
        long = "oai-repository-name",
        env = "QUIRE_OAI_REPOSITORY_NAME",
        default_value = "Quire library catalog"
    )]
    oai_repository_name: String,
    /// Repository identifier in OAI identifiers (oai:ID:record), by convention the library's domain name.
    #[arg(
        long = "oai-repository-id",
        env = "QUIRE_OAI_REPOSITORY_ID",
        default_value = "quire"
    )]
    oai_repository_id: String,
    /// Administrator e-mail address shown by OAI-PMH Identify.
    #[arg(
        long = "oai-admin-email",
        env = "QUIRE_OAI_ADMIN_EMAIL",
        default_value = "admin@example.invalid"
    )]
    oai_admin_email: String,
    /// Records per OAI-PMH ListRecords/ListIdentifiers page.
    #[arg(
        long = "oai-page-size",
        env = "QUIRE_OAI_PAGE_SIZE",
        default_value_t = 100
    )]
    oai_page_size: usize,
}

impl OaiArgs {
    fn config(&self) -> anyhow::Result<quire_interop::OaiConfig> {
        let id = self.oai_repository_id.trim();
        let id_ok = !id.is_empty()
            && id.split('.').all(|part| {
                !part.is_empty()
                    && part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !id_ok {
            anyhow::bail!(
                "--oai-repository-id {id:?}: must be a domain-name-like identifier (letters, digits, '-', parts separated by '.', each starting with a letter), e.g. library.example.org"
            );
        }
        let email = self.oai_admin_email.trim();
        if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
            anyhow::bail!("--oai-admin-email {email:?}: not an e-mail address");
        }
        if self.oai_page_size == 0 || self.oai_page_size > 1000 {
            anyhow::bail!(
                "--oai-page-size {}: must be between 1 and 1000",
                self.oai_page_size
            );
        }
        let mut cfg = quire_interop::OaiConfig::new(String::new());
        cfg.repository_name = self.oai_repository_name.trim().to_string();
        cfg.repository_id = id.to_string();
        cfg.admin_email = email.to_string();
        cfg.page_size = self.oai_page_size;
        Ok(cfg)
    }
}

/// The Z39.50 server (off unless an address is given).
#[derive(Args, Clone)]
struct Z3950Args {
    /// Address for the Z39.50 server, e.g. 0.0.0.0:210 (port 0 picks a free port).
    #[arg(long = "z3950", env = "QUIRE_Z3950")]
    z3950_addr: Option<SocketAddr>,
    /// Database name Z39.50 clients search.
    #[arg(
        long = "z3950-database",
        env = "QUIRE_Z3950_DATABASE",
        default_value = "Default"
    )]
    z3950_database: String,
    /// Seconds a Z39.50 session may stay idle before it is closed.
    #[arg(
        long = "z3950-idle-timeout",
        env = "QUIRE_Z3950_IDLE_TIMEOUT",
        default_value_t = 600
    )]
    z3950_idle_timeout: u64,
    /// Most concurrent Z39.50 sessions.
    #[arg(
        long = "z3950-max-sessions",
        env = "QUIRE_Z3950_MAX_SESSIONS",
        default_value_t = 200
    )]
    z3950_max_sessions: usize,
    /// Largest Z39.50 message (bytes) accepted and granted at Init.
    #[arg(long = "z3950-max-message-size", env = "QUIRE_Z3950_MAX_MESSAGE_SIZE", default_value_t = 8 << 20)]
    z3950_max_message_size: usize,
}

#[derive(Subcommand)]
enum Command {
    /// Create the data directory and database (idempotent).
    Init(DataArgs),
    /// Serve the library over HTTP.
    Serve(ServeArgs),
    /// Create (or reuse) the demo library and serve it; writes DATA/demo.json.
    Demo(ServeArgs),
    /// Staff accounts and API tokens.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import MARC records (and their items) into the catalog.
    Import {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        args: import::ImportArgs,
    },
    /// Export MARC records (all or a query's), optionally with their items.
    Export {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        args: export::ExportArgs,
    },
    /// Call-number tools.
    #[command(subcommand, name = "call-number")]
    CallNumber(CallNumberCommand),
    /// Rebuild the search index from the database.
    Reindex {
        #[command(flatten)]
        data: DataArgs,
    },
    /// MARC tools that need no library: dump and convert files.
    #[command(subcommand)]
    Marc(MarcCommand),
    /// Write a consistent backup archive of the database.
    Backup {
        #[command(flatten)]
        data: DataArgs,
        /// Archive to write (default: DATA/backups/quire-<time>.tar.gz).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Holds maintenance.
    #[command(subcommand)]
    Holds(HoldsCommand),
    /// Circulation maintenance.
    #[command(subcommand)]
    Circ(CircCommand),
    /// Restore a backup archive into a new, empty database.
    Restore {
        #[command(flatten)]
        data: DataArgs,
        /// The archive made by `quire backup`.
        archive: PathBuf,
    },
}

#[derive(Subcommand)]
enum HoldsCommand {
    /// Run the hold expiry sweep once now (what `quire serve` does
    /// periodically): uncollected holds expire and their copies go to the
    /// next patron or back to the shelf; unneeded holds expire.
    Sweep {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand)]
enum CircCommand {
    /// Anonymise returned, settled loans of patrons who keep no reading
    /// history (what `quire serve` does periodically).
    Anonymise {
        #[command(flatten)]
        data: DataArgs,
        /// Only loans returned at least this many days ago (default: the
        /// library's retention setting).
        #[arg(long = "older-than", env = "QUIRE_ANONYMISE_OLDER_THAN")]
        older_than: Option<u32>,
    },
    /// Run the overdue escalation sweep once now (what `quire serve` does
    /// periodically): loans past the rule's long-overdue days become long
    /// overdue, loans past its lost days are declared lost and billed.
    EscalateOverdue {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand)]
enum CallNumberCommand {
    /// Read call numbers from stdin (one per line) and print them in shelf order.
    Sort {
        #[arg(long, value_enum, default_value = "lc")]
        scheme: callnumber::SchemeArg,
        /// Print each call number with its sort key.
        #[arg(long)]
        keys: bool,
    },
}

#[derive(Subcommand)]
enum MarcCommand {
    /// Print records in the line form `245 10 $aTitle`, one block per record.
    Dump {
        /// Print only how many records were read, repaired and unreadable
        /// (check a file before importing it; warnings still go to stderr).
        #[arg(long, env = "QUIRE_MARC_DUMP_COUNT")]
        count: bool,
        file: PathBuf,
    },
    /// Convert a file to another MARC serialisation (UTF-8) on stdout.
    Convert {
        #[arg(long, value_enum)]
        to: import::MarcFormat,
        /// Accepted for compatibility: records are always converted to UTF-8.
        #[arg(long)]
        utf8: bool,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account.
    CreateUser {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        /// Full name (defaults to the user name).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "")]
        email: String,
        /// Roles, comma-separated: admin, cataloger, circulation, volunteer.
        #[arg(long, default_value = "admin")]
        roles: String,
        /// The password (or set QUIRE_PASSWORD; read from stdin if neither).
        #[arg(long, env = "QUIRE_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a new password for a staff account (ends its sessions).
    ResetPassword {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long, env = "QUIRE_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List staff accounts.
    ListUsers {
        #[command(flatten)]
        data: DataArgs,
    },
    /// SIP2 device accounts (self-check machines, sorters) and sort bins.
    #[command(subcommand)]
    Sip2(sip2::Sip2Command),
    /// Create an API token acting as a staff account; prints it once.
    CreateToken {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
    },
    /// Minutes a returned item stays on the shelving cart before it becomes
    /// available by itself (default 1440).
    SetReshelveAfter {
        #[command(flatten)]
        data: DataArgs,
        /// Minutes (1 to 86400).
        #[arg(env = "QUIRE_RESHELVE_AFTER")]
        minutes: String,
    },
    /// The library's default call number scheme, used when an item names
    /// none and the record's 050/082/090/092 do not decide: `lc`, `dewey`,
    /// `other`, or `guess` (none: guess from each call number). With
    /// `--branch CODE`: that branch's own default, used for its items
    /// before the library's: `lc`, `dewey`, `other`, or `library` (clear
    /// it: the library's default applies). Items already saved keep their
    /// scheme and shelf order.
    SetDefaultScheme {
        #[command(flatten)]
        data: DataArgs,
        /// Set the default of this branch (code) instead of the library's.
        #[arg(long, env = "QUIRE_DEFAULT_SCHEME_BRANCH")]
        branch: Option<String>,
        #[arg(env = "QUIRE_DEFAULT_SCHEME")]
        scheme: String,
    },
}

fn read_password(given: Option<String>) -> anyhow::Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    eprintln!("Password (then Enter):");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Turns a service error into a message naming the field.
fn explain(e: quire_library::Error) -> anyhow::Error {
    if e.fields.is_empty() {
        anyhow::anyhow!("{}", e.detail)
    } else {
        let parts: Vec<String> = e
            .fields
            .iter()
            .map(|f| match &f.arg {
                Some(a) => format!("{}: {} ({a})", f.field, f.code),
                None => format!("{}: {}", f.field, f.code),
            })
            .collect();
        anyhow::anyhow!("{}", parts.join("; "))
    }
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // Before the runtime exists: its threads inherit the CPU mask.
    if let Command::Serve(s) | Command::Demo(s) = &cli.command
        && let Err(e) = pin_request_threads(s)
    {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(cli)) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// `--request-cpu`: on SQLite, the threads that serve requests share one
/// CPU (see `quire_library::cpu`); PostgreSQL has no connection threads to
/// hand statements to, so nothing is pinned there.
fn pin_request_threads(s: &ServeArgs) -> anyhow::Result<()> {
    let sqlite = s.data.database.as_deref().is_none_or(str::is_empty);
    let cpu = match s.request_cpu.trim() {
        "off" => return Ok(()),
        "auto" if !sqlite => return Ok(()),
        "auto" => match quire_library::cpu::default_request_cpu() {
            Some(c) => c,
            None => return Ok(()),
        },
        n => {
            let cpu = n.parse::<usize>().map_err(|_| {
                anyhow::anyhow!("--request-cpu: expected auto, off or a CPU number, got {n:?}")
            })?;
            // Asked for by number: a CPU that cannot be used is an error.
            quire_library::cpu::pin_requests(cpu)
                .map_err(|e| anyhow::anyhow!("--request-cpu {cpu}: {e}"))?;
            tracing::info!(cpu, "request threads pinned to one CPU");
            return Ok(());
        }
    };
    // Chosen automatically: where the system refuses (a container that
    // forbids it), serve unpinned rather than not at all.
    match quire_library::cpu::pin_requests(cpu) {
        Ok(()) => tracing::info!(cpu, "request threads pinned to one CPU"),
        Err(e) => tracing::warn!(cpu, error = %e, "request threads not pinned to one CPU"),
    }
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let sys = Ctx::system("cli");
    match cli.command {
        Command::Init(d) => {
            let lib = d.open().await?;
            println!(
                "Quire data directory ready: {} ({} database)",
                d.data.display(),
                lib.backend().as_str()
            );
            lib.close().await;
        }
        Command::Serve(s) => {
            let lib = s.data.open().await?;
            serve(lib, &s, None).await?;
        }
        Command::Demo(s) => {
            let lib = s.data.open().await?;
            let info = demo::ensure(&lib, &s.data.data).await?;
            serve(lib, &s, Some(info)).await?;
        }
        Command::Admin(a) => admin(a, &sys).await?,
        Command::Import { data, args } => {
            let lib = data.open().await?;
            let r = import::run(&lib, &data.data, &args).await;
            lib.close().await;
            r?;
        }
        Command::Export { data, args } => {
            let lib = data.open().await?;
            let r = export::run(&lib, &data.data, &args).await;
            lib.close().await;
            let n = r?;
            eprintln!("Exported {n} records");
        }
        Command::CallNumber(CallNumberCommand::Sort { scheme, keys }) => {
            callnumber::sort(scheme, keys)?;
        }
        Command::Reindex { data } => {
            let lib = data.open().await?;
            let dir = data.data.join("index");
            let (index, _) = quire_search::SearchIndex::open_or_recreate(&dir)
                .map_err(|e| anyhow::anyhow!("cannot open the search index in {}: {e} (is `quire serve` running? stop it first)", dir.display()))?;
            lib.set_index(std::sync::Arc::new(index));
            let bar = indicatif::ProgressBar::new(0);
            let started = std::time::Instant::now();
            let n = lib
                .reindex(&mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .map_err(explain)?;
            bar.finish_and_clear();
            println!(
                "Indexed {n} records in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            lib.close().await;
        }
        Command::Holds(HoldsCommand::Sweep { data }) => {
            let lib = data.open().await?;
            let r = lib
                .sweep_holds(&Ctx::system("holds-sweep"))
                .await
                .map_err(explain);
            lib.close().await;
            let r = r?;
            println!(
                "Holds expired: {} not needed any more, {} not collected ({} copies to the next patron, {} back to the shelf)",
                r.expired_unneeded, r.expired_uncollected, r.moved_to_next, r.back_to_shelf
            );
        }
        Command::Circ(CircCommand::Anonymise { data, older_than }) => {
            let lib = data.open().await?;
            let r = lib
                .anonymise_attributed_loans(&Ctx::system("privacy-sweep"), older_than)
                .await
                .map_err(explain);
            lib.close().await;
            println!("Loans anonymised: {}", r?);
        }
        Command::Circ(CircCommand::EscalateOverdue { data }) => {
            let lib = data.open().await?;
            let r = lib
                .escalate_overdue(&Ctx::system("overdue-sweep"))
                .await
                .map_err(explain);
            lib.close().await;
            let r = r?;
            println!(
                "Long overdue: {}, declared lost: {}, billed: {}",
                r.long_overdue,
                r.lost,
                quire_domain::circ::form::format_money(
                    r.billed_minor,
                    quire_library::circulation::MONEY_DECIMALS
                )
            );
        }
        Command::Marc(MarcCommand::Dump { count, file }) => import::dump(&file, count)?,
        Command::Marc(MarcCommand::Convert { to, utf8: _, file }) => import::convert(&file, to)?,
        Command::Backup { data, output } => {
            let lib = data.open().await?;
            let dest = match output {
                Some(p) => p,
                None => {
                    let dir = data.data.join("backups");
                    std::fs::create_dir_all(&dir)?;
                    dir.join(format!(
                        "quire-{}.tar.gz",
                        lib.now().format("%Y%m%dT%H%M%SZ")
                    ))
                }
            };
            let m = lib.backup(&sys, &dest).await.map_err(explain)?;
            let rows: u64 = m.tables.values().sum();
            println!(
                "Backup written to {} ({} tables, {rows} rows)",
                dest.display(),
                m.tables.len()
            );
            lib.close().await;
        }
        Command::Restore { data, archive } => {
            let url = data.url()?;
            // Open the store without the service layer: the service layer would
            // create an installation secret, and restore wants an empty database.
            let store = quire_library::open_store(&url).await.map_err(explain)?;
            let m = quire_library::restore_into(store.as_ref(), &archive)
                .await
                .map_err(explain)?;
            let rows: u64 = m.tables.values().sum();
            println!(
                "Restored {} ({} rows, taken {} from {}) into {}",
                archive.display(),
                rows,
                m.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                m.backend,
                data.database
                    .as_deref()
                    .map(|_| "PostgreSQL")
                    .unwrap_or("SQLite")
            );
            store.close().await;
        }
    }
    Ok(())
}

async fn admin(a: AdminCommand, sys: &Ctx) -> anyhow::Result<()> {
    match a {
        AdminCommand::Sip2(c) => sip2::admin(c, sys).await?,
        AdminCommand::CreateUser {
            data,
            username,
            name,
            email,
            roles,
            password,
        } => {
            let password = read_password(password)?;
            let lib = data.open().await?;
            let form = NewStaffForm {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                email,
                roles: vec![roles],
                password,
            };
            let u = lib.create_staff(sys, &form).await.map_err(explain)?;
            println!(
                "Created staff account {} ({})",
                u.username,
                u.roles.join(", ")
            );
            lib.close().await;
        }
        AdminCommand::ResetPassword {
            data,
            username,
            password,
        } => {
            let password = read_password(password)?;
            let lib = data.open().await?;
            lib.reset_staff_password(sys, &username, &password)
                .await
                .map_err(explain)?;
            println!("Password changed for {username}; their sessions have ended.");
            lib.close().await;
        }
        AdminCommand::ListUsers { data } => {
            let lib = data.open().await?;
            for u in lib.staff_list(sys).await.map_err(explain)? {
                println!(
                    "{:<20} {:<30} {:<28} {}",
                    u.username,
                    u.display_name,
                    u.roles.join(","),
                    if u.active { "active" } else { "disabled" }
                );
            }
            lib.close().await;
        }
        AdminCommand::SetReshelveAfter { data, minutes } => {
            let lib = data.open().await?;
            let m = lib
                .set_reshelve_after(sys, &minutes)
                .await
                .map_err(explain)?;
            println!("Items leave the shelving cart after {m} minutes.");
            lib.close().await;
        }
        AdminCommand::SetDefaultScheme {
            data,
            branch: Some(branch),
            scheme,
        } => {
            let lib = data.open().await?;
            let s = lib
                .set_branch_call_number_scheme(sys, &branch, &scheme)
                .await
                .map_err(explain)?;
            let code = branch.trim().to_ascii_uppercase();
            match s {
                Some(s) => println!("Default call number scheme of {code}: {}.", s.as_str()),
                None => println!("{code} has no default of its own: the library's applies."),
            }
            lib.close().await;
        }
        AdminCommand::SetDefaultScheme {
            data,
            branch: None,
            scheme,
        } => {
            let lib = data.open().await?;
            let s = lib
                .set_default_call_number_scheme(sys, &scheme)
                .await
                .map_err(explain)?;
            match s {
                Some(s) => println!("Default call number scheme: {}.", s.as_str()),
                None => {
                    println!("No default call number scheme: each call number's scheme is guessed.")
                }
            }
            lib.close().await;
        }
        AdminCommand::CreateToken {
            data,
            username,
            name,
        } => {
            let lib = data.open().await?;
            let (_, token) = lib
                .create_api_token(sys, &username, &name)
                .await
                .map_err(explain)?;
            println!("{token}");
            lib.close().await;
        }
    }
    Ok(())
}

async fn serve(lib: Library, s: &ServeArgs, demo: Option<demo::DemoInfo>) -> anyhow::Result<()> {
    let mut state = quire_web::AppState::new(
        lib.clone(),
        s.secure_cookies,
        &s.timezone,
        s.data.data.join("uploads"),
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    state.oai = std::sync::Arc::new(s.oai.config()?);
    state.copy = s.copy.client()?;
    open_index(&lib, &s.data.data).await?;
    let indexer = tokio::spawn(index_loop(
        lib.clone(),
        std::time::Duration::from_millis(s.index_commit_gap_ms),
    ));
    let sweeper = (s.holds_sweep_secs > 0).then(|| {
        tokio::spawn(holds_loop(
            lib.clone(),
            std::time::Duration::from_secs(s.holds_sweep_secs),
        ))
    });
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut zaddr = None;
    let z3950 = match s.z3950.z3950_addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for Z39.50"))?;
            let bound = listener.local_addr()?;
            zaddr = Some(bound);
            println!(
                "Z39.50 is listening on {bound} (database {})",
                s.z3950.z3950_database
            );
            let config = quire_interop::z3950::Z3950Config {
                database: s.z3950.z3950_database.clone(),
                idle_timeout: std::time::Duration::from_secs(s.z3950.z3950_idle_timeout.max(1)),
                max_sessions: s.z3950.z3950_max_sessions.max(1),
                max_message_size: s.z3950.z3950_max_message_size.max(64 * 1024),
                max_record_size: s.z3950.z3950_max_message_size.max(64 * 1024),
                ..Default::default()
            };
            let mut stop = stop_rx.clone();
            Some(tokio::spawn(quire_interop::z3950::serve(
                listener,
                lib.clone(),
                config,
                async move {
                    let _ = stop.wait_for(|v| *v).await;
                },
            )))
        }
        None => None,
    };
    let privacy = (s.privacy_sweep_secs > 0).then(|| {
        tokio::spawn(privacy_loop(
            lib.clone(),
            std::time::Duration::from_secs(s.privacy_sweep_secs),
        ))
    });
    let overdue = (s.overdue_sweep_secs > 0).then(|| {
        tokio::spawn(overdue_loop(
            lib.clone(),
            std::time::Duration::from_secs(s.overdue_sweep_secs),
        ))
    });
    let reshelver = tokio::spawn(reshelve_loop(
        lib.clone(),
        std::time::Duration::from_secs(s.reshelve_sweep_every),
    ));
    let mut notice_tasks = Vec::new();
    if let Some(url) = s.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
        let cfg = notify::NoticeConfig {
            smtp_url: url.trim().to_owned(),
            from: s.smtp_from.clone(),
            settings: quire_library::notices::NoticeSettings {
                due_soon_days: s.due_soon_days,
            },
            sweep_every: std::time::Duration::from_secs(s.notice_sweep_secs.max(1)),
            timezone: s.timezone.parse().unwrap_or(chrono_tz::UTC),
        };
        let (transport, from) = notify::transport(&cfg)?;
        notice_tasks.push(tokio::spawn(notify::sweep_loop(lib.clone(), cfg.clone())));
        notice_tasks.push(tokio::spawn(notify::sender_loop(
            lib.clone(),
            cfg,
            transport,
            from,
        )));
        tracing::info!("patron notices: sweeping and sending over SMTP");
    }
    // SIP2 first: a bad TLS certificate stops start-up before anything listens.
    let sip2_tasks =
        sip2::start(&lib, &s.sip2, demo.as_ref().map(|_| s.data.data.as_path())).await?;
    let listener = tokio::net::TcpListener::bind(s.http)
        .await
        .with_context(|| format!("cannot listen on {}", s.http))?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}/");
    if demo.is_some() {
        let z = zaddr.map(|a| (a, s.z3950.z3950_database.as_str()));
        demo::ensure_targets(&lib, addr, z).await?;
    }
    println!("Quire is listening on {url}");
    if let Some(d) = &demo {
        println!("Demo library ready. Open {url} in your browser.");
        println!(
            "Staff login: {} / {}  (more in {})",
            d.staff_username,
            d.staff_password,
            d.json_path.display()
        );
    }
    if let Some(d) = &demo
        && let Some(a) = &d.sip2
    {
        println!(
            "SIP2 account: {} / {} (institution {}, location {})",
            a.login, a.password, a.institution, a.location
        );
    }
    tracing::info!(%addr, backend = lib.backend().as_str(), "serving");
    quire_web::serve(listener, state, shutdown_signal()).await?;
    let _ = stop_tx.send(true);
    if let Some(z) = z3950 {
        let _ = z.await;
    }
    for t in sip2_tasks {
        t.abort();
    }
    indexer.abort();
    if let Some(s) = sweeper {
        s.abort();
    }
    reshelver.abort();
    if let Some(p) = privacy {
        p.abort();
    }
    if let Some(o) = overdue {
        o.abort();
    }
    for t in notice_tasks {
        t.abort();
    }
    tracing::info!("shut down cleanly");
    lib.close().await;
    Ok(())
}

/// Opens (or creates) the search index in DATA/index and brings it up to
/// date. An index of an older schema is rebuilt from the database.
async fn open_index(lib: &Library, data: &std::path::Path) -> anyhow::Result<()> {
    let dir = data.join("index");
    let (index, recreated) = quire_search::SearchIndex::open_or_recreate(&dir)
        .map_err(|e| anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display()))?;
    // Hold the writer (and its lock) from the start: `quire import` sees
    // the lock and leaves the indexing of what it imports to this server.
    // Taken on a background thread, whose CPU set the writer's own threads
    // inherit (all CPUs, see `quire_library::cpu`).
    let index = std::sync::Arc::new(index);
    let i2 = index.clone();
    let owner = quire_library::cpu::spawn_background(move || i2.try_acquire_writer())
        .await
        .unwrap_or(Err(quire_search::Error::Poisoned))
        .map_err(|e| anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display()))?;
    lib.set_index(index);
    if !owner {
        tracing::info!(
            "another process (`quire import`) is updating the search index; this server takes over when it ends"
        );
        return Ok(());
    }
    if recreated {
        tracing::info!("search index created; building it from the database");
        lib.reindex(&mut |_, _| {}).await.map_err(explain)?;
    }
    let n = lib.index_catch_up().await.map_err(explain)?;
    tracing::info!(records = n, "search index up to date");
    Ok(())
}

/// Keeps the index in step with the database (records imported by another
/// process, e.g. `quire import`, appear within about a second).
///
/// Under a steady stream of changes (a busy circulation desk: every
/// checkout and checkin changes a record's availability) it commits at
/// most every `min_gap`: a record changed many times meanwhile is indexed
/// once, and fewer commits mean fewer segments to merge — index work that
/// otherwise takes CPU from the transactions (BENCHMARKS.md).
async fn index_loop(lib: Library, min_gap: std::time::Duration) {
    let mut last_work: Option<std::time::Instant> = None;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        // While `quire import` holds the index writer it indexes what it
        // imports: only show its commits here until it is done.
        if let Ok(index) = lib.index() {
            // Taken on a background thread: the index writer's own threads
            // inherit its CPU set (all of them, see `quire_library::cpu`).
            let i2 = index.clone();
            let acquired = quire_library::cpu::spawn_background(move || i2.try_acquire_writer())
                .await
                .unwrap_or(Err(quire_search::Error::Poisoned));
            match acquired {
                Ok(true) => {}
                Ok(false) => {
                    if let Err(e) = index.reload() {
                        tracing::warn!(error = %e, "search index reload failed; retrying");
                    }
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "search index writer unavailable; retrying");
                    continue;
                }
            }
        }
        if let Some(rest) = last_work.and_then(|t| min_gap.checked_sub(t.elapsed())) {
            tokio::time::sleep(rest).await;
        }
        match lib.index_catch_up().await {
            Ok(0) => last_work = None,
            Ok(_) => last_work = Some(std::time::Instant::now()),
            Err(e) => tracing::warn!(error = %e.detail, "search index update failed; retrying"),
        }
    }
}

/// Runs the hold expiry sweep every `every` (first run after one period).
async fn holds_loop(lib: Library, every: std::time::Duration) {
    let ctx = Ctx::system("holds-sweep");
    loop {
        tokio::time::sleep(every).await;
        match lib.sweep_holds(&ctx).await {
            Ok(r) if r != Default::default() => tracing::info!(?r, "hold sweep"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e.detail, "hold sweep failed; retrying"),
        }
    }
}

/// Runs the overdue escalation sweep at start and then every `every`.
async fn overdue_loop(lib: Library, every: std::time::Duration) {
    let ctx = Ctx::system("overdue-sweep");
    loop {
        match lib.escalate_overdue(&ctx).await {
            Ok(r) if r == Default::default() => {}
            Ok(r) => tracing::info!(
                long_overdue = r.long_overdue,
                lost = r.lost,
                billed_minor = r.billed_minor,
                "overdue sweep"
            ),
            Err(e) => tracing::warn!(error = %e.detail, "overdue sweep failed; retrying"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Runs the privacy sweep at start and then every `every`.
async fn privacy_loop(lib: Library, every: std::time::Duration) {
    let ctx = Ctx::system("privacy-sweep");
    loop {
        match lib.anonymise_attributed_loans(&ctx, None).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(loans = n, "privacy sweep: loans anonymised"),
            Err(e) => tracing::warn!(error = %e.detail, "privacy sweep failed; retrying"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Makes items left on a shelving cart longer than the configured time
/// available (idempotent; the first sweep runs at start).
async fn reshelve_loop(lib: Library, every: std::time::Duration) {
    let ctx = quire_library::Ctx::system("reshelve-sweep");
    loop {
        match lib.sweep_reshelving(&ctx, lib.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(items = n, "shelving cart sweep: items now available"),
            Err(e) => tracing::warn!(error = %e.detail, "shelving cart sweep failed; retrying"),
        }
        tokio::time::sleep(every).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing requests");
}
