//! `quire serve --sip2 ADDR`: the SIP2 listener, and `quire admin sip2 …`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use quire_library::sip2::{Sip2AccountForm, Sip2Options};
use quire_library::{Ctx, Library};

use crate::{DataArgs, explain, read_password};

/// SIP2 listener settings of `serve` and `demo`.
#[derive(Args, Clone, Debug)]
pub struct Sip2Args {
    /// Address for SIP2 over raw TCP (self-check machines, sorters); off when absent.
    #[arg(long = "sip2", env = "QUIRE_SIP2")]
    pub addr: Option<SocketAddr>,
    /// Close a SIP2 connection after this many seconds without a message.
    #[arg(
        long = "sip2-idle-timeout",
        env = "QUIRE_SIP2_IDLE_TIMEOUT",
        default_value_t = 3600
    )]
    pub idle_timeout: u64,
    /// Longest SIP2 message accepted, in bytes (longer ones get a 96).
    #[arg(long = "sip2-max-message", env = "QUIRE_SIP2_MAX_MESSAGE", default_value_t = quire_sip2::DEFAULT_MAX_MESSAGE_LEN)]
    pub max_message: usize,
    /// Currency code sent with amounts (BH) and accepted in fee payments.
    #[arg(
        long = "sip2-currency",
        env = "QUIRE_SIP2_CURRENCY",
        default_value = "USD"
    )]
    pub currency: String,
    /// Library name sent in the ACS status (AM).
    #[arg(
        long = "sip2-library-name",
        env = "QUIRE_SIP2_LIBRARY_NAME",
        default_value = "Quire"
    )]
    pub library_name: String,
    /// Connections to the plain listener that send no login (93) act as
    /// this SIP2 account, which must have "login not required" set.
    #[arg(long = "sip2-open-account", env = "QUIRE_SIP2_OPEN_ACCOUNT")]
    pub open_account: Option<String>,
    /// Address for SIP2 over TLS (needs --sip2-tls-cert and --sip2-tls-key;
    /// `quire demo` makes a self-signed pair in the data directory).
    #[arg(long = "sip2-tls", env = "QUIRE_SIP2_TLS")]
    pub tls_addr: Option<SocketAddr>,
    /// PEM file with the TLS certificate (chain, leaf first) for --sip2-tls.
    #[arg(long = "sip2-tls-cert", env = "QUIRE_SIP2_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// PEM file with the TLS private key (PKCS#8, PKCS#1 or SEC1) for --sip2-tls.
    #[arg(long = "sip2-tls-key", env = "QUIRE_SIP2_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// Like --sip2-open-account, for the TLS listener.
    #[arg(long = "sip2-tls-open-account", env = "QUIRE_SIP2_TLS_OPEN_ACCOUNT")]
    pub tls_open_account: Option<String>,
}

/// Where `quire demo --sip2-tls` keeps its self-signed certificate.
pub fn demo_tls_paths(data: &Path) -> (PathBuf, PathBuf) {
    let dir = data.join("sip2-tls");
    (dir.join("cert.pem"), dir.join("key.pem"))
}

/// A self-signed certificate for `localhost`/127.0.0.1 in the data
/// directory (kept across restarts: devices that pinned it keep working).
fn demo_tls_files(data: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (cert, key) = demo_tls_paths(data);
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    let made = rcgen::generate_simple_self_signed(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ])
    .context("cannot make a self-signed certificate for the demo")?;
    if let Some(dir) = cert.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&cert, made.cert.pem())
        .with_context(|| format!("cannot write {}", cert.display()))?;
    write_private(&key, made.signing_key.serialize_pem().as_bytes())
        .with_context(|| format!("cannot write {}", key.display()))?;
    println!(
        "SIP2 TLS: made a self-signed demo certificate {} (key {})",
        cert.display(),
        key.display()
    );
    Ok((cert, key))
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Checks a listener's login-free account at start-up.
async fn check_open_account(lib: &Library, flag: &str, login: &str) -> anyhow::Result<()> {
    lib.sip2_open_account(login).await.map_err(|e| {
        anyhow::anyhow!(
            "{flag} {login}: {}",
            match e.code {
                quire_library::ErrorCode::NotFound => "no SIP2 account has this login",
                quire_library::ErrorCode::AccountDisabled => "this SIP2 account is disabled",
                _ =>
                    "this SIP2 account requires a login; create it with --login-not-required \
                     (or tick \"Login not required\" on /staff/sip2)",
            }
        )
    })?;
    Ok(())
}

/// Starts the SIP2 listeners: plain TCP when `--sip2` is given (prints
/// `SIP2 is listening on ADDR`), TLS when `--sip2-tls` is given (prints
/// `SIP2 over TLS is listening on ADDR`). `demo_data`: the demo's data
/// directory, where a self-signed certificate is made when none is given.
pub async fn start(
    lib: &Library,
    args: &Sip2Args,
    demo_data: Option<&Path>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    if args.addr.is_none() && args.tls_addr.is_none() {
        for (flag, set) in [
            ("--sip2-tls-cert", args.tls_cert.is_some()),
            ("--sip2-tls-key", args.tls_key.is_some()),
            ("--sip2-open-account", args.open_account.is_some()),
            ("--sip2-tls-open-account", args.tls_open_account.is_some()),
        ] {
            anyhow::ensure!(!set, "{flag} needs --sip2 or --sip2-tls");
        }
        return Ok(Vec::new());
    }
    anyhow::ensure!(
        (64..=1_048_576).contains(&args.max_message),
        "--sip2-max-message must be between 64 and 1048576 bytes"
    );
    anyhow::ensure!(
        args.idle_timeout > 0,
        "--sip2-idle-timeout must be at least 1 second"
    );
    anyhow::ensure!(
        quire_sip2::codes::Currency::new(&args.currency).is_some(),
        "--sip2-currency must be a three-letter code such as PHP"
    );
    let config = quire_sip2_server::Config {
        idle_timeout: Duration::from_secs(args.idle_timeout),
        max_message_len: args.max_message,
        currency: args.currency.to_ascii_uppercase(),
        library_name: args.library_name.clone(),
        ..quire_sip2_server::Config::default()
    };
    // Everything is checked before any listener opens.
    let tls = match args.tls_addr {
        None => {
            anyhow::ensure!(
                args.tls_cert.is_none() && args.tls_key.is_none(),
                "--sip2-tls-cert and --sip2-tls-key need --sip2-tls ADDR"
            );
            anyhow::ensure!(
                args.tls_open_account.is_none(),
                "--sip2-tls-open-account needs --sip2-tls ADDR"
            );
            None
        }
        Some(tls_addr) => {
            let (cert, key) = match (&args.tls_cert, &args.tls_key, demo_data) {
                (Some(c), Some(k), _) => (c.clone(), k.clone()),
                (None, None, Some(data)) => demo_tls_files(data)?,
                (None, _, _) => anyhow::bail!(
                    "--sip2-tls needs --sip2-tls-cert FILE (PEM certificate) and --sip2-tls-key FILE (PEM private key)"
                ),
                (Some(_), None, _) => {
                    anyhow::bail!("--sip2-tls needs --sip2-tls-key FILE (PEM private key)")
                }
            };
            let acceptor =
                quire_sip2_server::tls::acceptor(&cert, &key).map_err(|e| anyhow::anyhow!(e))?;
            Some((tls_addr, acceptor))
        }
    };
    anyhow::ensure!(
        args.addr.is_some() || args.open_account.is_none(),
        "--sip2-open-account needs --sip2 ADDR"
    );
    if let Some(login) = &args.open_account {
        check_open_account(lib, "--sip2-open-account", login).await?;
    }
    if let Some(login) = &args.tls_open_account {
        check_open_account(lib, "--sip2-tls-open-account", login).await?;
    }
    let shared =
        quire_sip2_server::Shared::new(lib.clone(), config).map_err(|e| anyhow::anyhow!(e))?;
    let mut tasks = Vec::new();
    let mut listeners = Vec::new();
    if let Some(addr) = args.addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen for SIP2 on {addr}"))?;
        let settings = quire_sip2_server::Listener {
            tls: None,
            open_account: args.open_account.clone(),
        };
        listeners.push(("SIP2", listener, settings));
    }
    if let Some((addr, acceptor)) = tls {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen for SIP2 over TLS on {addr}"))?;
        let settings = quire_sip2_server::Listener {
            tls: Some(acceptor),
            open_account: args.tls_open_account.clone(),
        };
        listeners.push(("SIP2 over TLS", listener, settings));
    }
    for (name, listener, settings) in listeners {
        let local = listener.local_addr()?;
        println!("{name} is listening on {local}");
        tracing::info!(%local, tls = settings.tls.is_some(), "sip2 listening");
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            if let Err(e) =
                quire_sip2_server::serve_with(listener, settings, shared, std::future::pending())
                    .await
            {
                tracing::error!(error = %e, "sip2 listener stopped");
            }
        }));
    }
    Ok(tasks)
}

#[derive(Subcommand)]
pub enum Sip2Command {
    /// Create a SIP2 account for a device.
    Create {
        #[command(flatten)]
        data: DataArgs,
        /// Login id the device sends (CN).
        #[arg(long, env = "QUIRE_SIP2_LOGIN")]
        login: String,
        /// Password (CO); or QUIRE_SIP2_PASSWORD; read from stdin if neither.
        #[arg(long, env = "QUIRE_SIP2_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Institution id (AO).
        #[arg(long, env = "QUIRE_SIP2_INSTITUTION")]
        institution: String,
        /// Branch code where the device stands (checkins happen there).
        #[arg(long, env = "QUIRE_SIP2_BRANCH")]
        branch: String,
        /// Location code of the device (AN/CP), optional.
        #[arg(long, env = "QUIRE_SIP2_LOCATION", default_value = "")]
        location: String,
        /// Language of screen messages: en, fil or vi.
        #[arg(long, env = "QUIRE_SIP2_LANGUAGE", default_value = "en")]
        language: String,
        /// Character set: utf-8, iso-8859-1 or cp850.
        #[arg(long, env = "QUIRE_SIP2_CHARSET", default_value = "utf-8")]
        charset: String,
        /// Every message must carry a valid checksum (AZ).
        #[arg(long, env = "QUIRE_SIP2_CHECKSUM_REQUIRED", default_value_t = false)]
        checksum_required: bool,
        /// Do not send the 3M extension fields (CR, CS, CT, CV) in 10 and 18.
        #[arg(long, env = "QUIRE_SIP2_NO_EXTENSIONS", default_value_t = false)]
        no_extensions: bool,
        /// Send CV00 on a clean checkin (sorters that always want CV).
        #[arg(long, env = "QUIRE_SIP2_CV_ON_SUCCESS", default_value_t = false)]
        cv_on_success: bool,
        /// Field codes never sent to this device, comma-separated (e.g. BE,BF).
        #[arg(long, env = "QUIRE_SIP2_HIDE_FIELDS", default_value = "")]
        hide_fields: String,
        /// The device may skip the login (93): a listener started with
        /// --sip2-open-account LOGIN (or --sip2-tls-open-account) binds its
        /// connections to this account.
        #[arg(long, env = "QUIRE_SIP2_LOGIN_NOT_REQUIRED", default_value_t = false)]
        login_not_required: bool,
    },
    /// List SIP2 accounts.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Delete a SIP2 account.
    Delete {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long, env = "QUIRE_SIP2_LOGIN")]
        login: String,
    },
    /// Set a new password for a SIP2 account.
    ResetPassword {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long, env = "QUIRE_SIP2_LOGIN")]
        login: String,
        #[arg(long, env = "QUIRE_SIP2_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Add a sort-bin rule for checkins (CL); empty dimensions match anything.
    AddSortBin {
        #[command(flatten)]
        data: DataArgs,
        /// Bin name sent to the sorter.
        #[arg(long)]
        bin: String,
        #[arg(long, default_value = "")]
        branch: String,
        #[arg(long, default_value = "")]
        location: String,
        #[arg(long = "item-type", default_value = "")]
        item_type: String,
        /// reshelve, transit or hold-shelf.
        #[arg(long, default_value = "")]
        route: String,
    },
    /// List sort-bin rules.
    SortBins {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Delete a sort-bin rule by id.
    DeleteSortBin {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        id: i64,
    },
}

pub async fn admin(c: Sip2Command, sys: &Ctx) -> anyhow::Result<()> {
    match c {
        Sip2Command::Create {
            data,
            login,
            password,
            institution,
            branch,
            location,
            language,
            charset,
            checksum_required,
            no_extensions,
            cv_on_success,
            hide_fields,
            login_not_required,
        } => {
            let password = read_password(password)?;
            let lib = data.open().await?;
            let form = Sip2AccountForm {
                login,
                password,
                institution,
                branch,
                location,
                locale: language,
                charset,
                checksum_required,
                login_optional: login_not_required,
                options: Sip2Options {
                    extensions: !no_extensions,
                    cv_on_success,
                    hide_fields: hide_fields
                        .split(',')
                        .map(|f| f.trim().to_ascii_uppercase())
                        .filter(|f| !f.is_empty())
                        .collect(),
                },
            };
            let a = lib.create_sip2_account(sys, &form).await.map_err(explain);
            lib.close().await;
            let a = a?;
            println!(
                "Created SIP2 account {} (institution {}, branch {})",
                a.row.login, a.row.institution, a.branch_code
            );
        }
        Sip2Command::List { data } => {
            let lib = data.open().await?;
            let list = lib.sip2_accounts(sys).await.map_err(explain);
            lib.close().await;
            for a in list? {
                println!(
                    "{:<20} {:<12} {:<8} {:<10} {:<4} {:<10} checksum {} login {}",
                    a.row.login,
                    a.row.institution,
                    a.branch_code,
                    a.row.location_code.as_deref().unwrap_or("-"),
                    a.row.locale,
                    a.row.charset,
                    if a.row.checksum_required {
                        "required"
                    } else {
                        "optional"
                    },
                    if a.row.login_required {
                        "required"
                    } else {
                        "not-required"
                    }
                );
            }
        }
        Sip2Command::Delete { data, login } => {
            let lib = data.open().await?;
            let r = lib.delete_sip2_account(sys, &login).await.map_err(explain);
            lib.close().await;
            r?;
            println!("Deleted SIP2 account {login}");
        }
        Sip2Command::ResetPassword {
            data,
            login,
            password,
        } => {
            let password = read_password(password)?;
            let lib = data.open().await?;
            let r = lib
                .reset_sip2_password(sys, &login, &password)
                .await
                .map_err(explain);
            lib.close().await;
            r?;
            println!("Password changed for SIP2 account {login}");
        }
        Sip2Command::AddSortBin {
            data,
            bin,
            branch,
            location,
            item_type,
            route,
        } => {
            let lib = data.open().await?;
            let r = lib
                .add_sort_bin(sys, &branch, &location, &item_type, &route, &bin)
                .await
                .map_err(explain);
            lib.close().await;
            println!("Added sort-bin rule {}", r?.id);
        }
        Sip2Command::SortBins { data } => {
            let lib = data.open().await?;
            let r = lib.sort_bins(sys).await.map_err(explain);
            lib.close().await;
            for b in r? {
                let any = |v: Option<String>| v.unwrap_or_else(|| "*".into());
                println!(
                    "{:<5} branch-id {:<4} location {:<8} item-type {:<6} route {:<10} → {}",
                    b.id,
                    any(b.branch_id.map(|i| i.to_string())),
                    any(b.location_code),
                    any(b.item_type),
                    any(b.route),
                    b.bin
                );
            }
        }
        Sip2Command::DeleteSortBin { data, id } => {
            let lib = data.open().await?;
            let r = lib.delete_sort_bin(sys, id).await.map_err(explain);
            lib.close().await;
            r?;
            println!("Deleted sort-bin rule {id}");
        }
    }
    Ok(())
}
