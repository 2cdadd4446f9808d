//! The `quire` command: serve the library, run the demo, administer.

mod callnumber;
mod demo;
mod import;

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
    /// Seconds between two runs of the hold expiry sweep (expired pickup
    /// deadlines and not-needed-after dates); 0 turns it off.
    #[arg(long, env = "QUIRE_HOLDS_SWEEP_SECS", default_value_t = 300)]
    holds_sweep_secs: u64,
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
    Dump { file: PathBuf },
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
    /// Create an API token acting as a staff account; prints it once.
    CreateToken {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
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

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
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
            let r = import::run(&lib, &args).await;
            lib.close().await;
            r?;
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
        Command::Marc(MarcCommand::Dump { file }) => import::dump(&file)?,
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
    let state = quire_web::AppState::new(
        lib.clone(),
        s.secure_cookies,
        &s.timezone,
        s.data.data.join("uploads"),
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    open_index(&lib, &s.data.data).await?;
    let indexer = tokio::spawn(index_loop(lib.clone()));
    let sweeper = (s.holds_sweep_secs > 0).then(|| {
        tokio::spawn(holds_loop(
            lib.clone(),
            std::time::Duration::from_secs(s.holds_sweep_secs),
        ))
    });
    let listener = tokio::net::TcpListener::bind(s.http)
        .await
        .with_context(|| format!("cannot listen on {}", s.http))?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}/");
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
    tracing::info!(%addr, backend = lib.backend().as_str(), "serving");
    quire_web::serve(listener, state, shutdown_signal()).await?;
    indexer.abort();
    if let Some(s) = sweeper {
        s.abort();
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
    lib.set_index(std::sync::Arc::new(index));
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
async fn index_loop(lib: Library) {
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        if let Err(e) = lib.index_catch_up().await {
            tracing::warn!(error = %e.detail, "search index update failed; retrying");
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
