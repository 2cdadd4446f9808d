//! `quire serve --sip2 ADDR`: the SIP2 listener, and `quire admin sip2 …`.

use std::net::SocketAddr;
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
}

/// Starts the SIP2 listener when `--sip2` is given; prints
/// `SIP2 is listening on ADDR`.
pub async fn start(
    lib: &Library,
    args: &Sip2Args,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let Some(addr) = args.addr else {
        return Ok(Vec::new());
    };
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
    let shared =
        quire_sip2_server::Shared::new(lib.clone(), config).map_err(|e| anyhow::anyhow!(e))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen for SIP2 on {addr}"))?;
    let local = listener.local_addr()?;
    println!("SIP2 is listening on {local}");
    tracing::info!(%local, "sip2 listening");
    let task = tokio::spawn(async move {
        if let Err(e) = quire_sip2_server::serve(listener, shared, std::future::pending()).await {
            tracing::error!(error = %e, "sip2 listener stopped");
        }
    });
    Ok(vec![task])
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
                login_optional: false,
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
                    "{:<20} {:<12} {:<8} {:<10} {:<4} {:<10} checksum {}",
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
