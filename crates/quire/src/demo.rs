//! The demo library: deterministic branches, hours, locations and staff,
//! created on first start (reused afterwards), described in DATA/demo.json
//! for people, tests and checks.

use std::path::{Path, PathBuf};

use anyhow::Context;
use quire_domain::org::{BranchForm, LocationInput, parse_day};
use quire_domain::staff::NewStaffForm;
use quire_library::{Ctx, Library};
use serde::Serialize;

pub struct DemoInfo {
    pub staff_username: String,
    pub staff_password: String,
    pub json_path: PathBuf,
    pub sip2: Option<DemoSip2>,
}

/// The demo's SIP2 device account (`"sip2"` in demo.json).
#[derive(Serialize, Clone)]
pub struct DemoSip2 {
    pub login: String,
    pub password: String,
    pub institution: String,
    pub location: String,
    /// Branch code where the device stands.
    pub branch: String,
}

const SIP2_LOGIN: &str = "selfcheck";
const SIP2_PASSWORD: &str = "scan-and-go-42";
const SIP2_INSTITUTION: &str = "QUIRE";
/// Used when no demo item is available.
const SIP2_BRANCH: &str = "MAIN";
const SIP2_LOCATION: &str = "SC1";

#[derive(Serialize)]
struct DemoJson {
    staff: Login,
    /// Every demo staff account, one per role.
    staff_accounts: Vec<Account>,
    patrons: Vec<DemoPatron>,
    items: Vec<DemoItem>,
    branches: Vec<String>,
    sip2: DemoSip2,
}

#[derive(Serialize)]
struct DemoPatron {
    barcode: String,
    pin: String,
    name: String,
}

#[derive(Serialize)]
struct DemoItem {
    barcode: String,
    title: String,
    status: String,
    branch: String,
}

#[derive(Serialize)]
struct Login {
    username: String,
    password: String,
}

#[derive(Serialize)]
struct Account {
    username: String,
    password: String,
    roles: Vec<String>,
}

/// (username, full name, roles, password). Demo passwords are public by design.
const STAFF: &[(&str, &str, &str, &str)] = &[
    ("admin", "Amihan Reyes", "admin", "open-the-stacks"),
    ("cataloger", "Nguyễn Thị Lan", "cataloger", "marc-and-more"),
    (
        "circulation",
        "Jose Santos",
        "circulation",
        "check-it-out-now",
    ),
    ("volunteer", "Trần Văn Minh", "volunteer", "shelf-reading-1"),
];

struct DemoBranch {
    code: &'static str,
    name: &'static str,
    tz: &'static str,
    address: &'static str,
    phone: &'static str,
    /// (weekday, opens, closes)
    hours: &'static [(u8, &'static str, &'static str)],
    locations: &'static [(&'static str, &'static str, bool)],
}

const WEEKDAYS_9_TO_6: &[(u8, &str, &str)] = &[
    (0, "09:00", "18:00"),
    (1, "09:00", "18:00"),
    (2, "09:00", "18:00"),
    (3, "09:00", "18:00"),
    (4, "09:00", "18:00"),
    (5, "09:00", "13:00"),
];

const BRANCHES: &[DemoBranch] = &[
    DemoBranch {
        code: "MAIN",
        name: "Main Library",
        tz: "Asia/Manila",
        address: "1 Rizal Avenue, Quezon City",
        phone: "+63 2 8123 4567",
        hours: WEEKDAYS_9_TO_6,
        locations: &[
            ("STACKS", "Adult Stacks", true),
            ("REF", "Reference", false),
            ("CHILD", "Children's Room", true),
        ],
    },
    DemoBranch {
        code: "NORTH",
        name: "North Branch",
        tz: "Asia/Manila",
        address: "45 Mabini Street, Caloocan",
        phone: "+63 2 8765 4321",
        hours: &[
            (1, "10:00", "17:00"),
            (2, "10:00", "17:00"),
            (3, "10:00", "17:00"),
            (4, "10:00", "17:00"),
            (5, "10:00", "15:00"),
        ],
        locations: &[
            ("STACKS", "Stacks", true),
            ("CHILD", "Children's Corner", true),
        ],
    },
    DemoBranch {
        code: "SAIGON",
        name: "Saigon Reading Room",
        tz: "Asia/Ho_Chi_Minh",
        address: "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
        phone: "+84 28 3822 1234",
        hours: &[
            (0, "08:00", "11:30"),
            (0, "13:30", "17:00"),
            (2, "08:00", "11:30"),
            (2, "13:30", "17:00"),
            (4, "08:00", "17:00"),
            (6, "08:00", "12:00"),
        ],
        locations: &[
            ("STACKS", "Kho sách", true),
            ("VIET", "Vietnamese Collection", true),
        ],
    },
];

/// Creates the demo data if the database has none, then writes demo.json.
pub async fn ensure(lib: &Library, data_dir: &Path) -> anyhow::Result<DemoInfo> {
    let sys = Ctx::system("demo");
    let existing = lib.branches(&sys).await.map_err(crate::explain)?;
    if existing.is_empty() {
        tracing::info!("creating the demo library");
        // The demo renews from the current due date, so a loan can be
        // renewed at once (a self-check machine's first try).
        for (key, policy) in quire_library::circulation::default_rules() {
            let policy = quire_domain::circ::policy::Policy {
                renewal_base: quire_domain::circ::policy::RenewalBase::CurrentDueDate,
                ..policy
            };
            lib.set_rule(&sys, &key, &policy)
                .await
                .map_err(crate::explain)?;
        }
        for b in BRANCHES {
            let form = BranchForm {
                code: b.code.into(),
                name: b.name.into(),
                kind: "branch".into(),
                timezone: b.tz.into(),
                address: b.address.into(),
                phone: b.phone.into(),
                email: format!("{}@demo.quire.invalid", b.code.to_lowercase()),
            };
            let row = lib
                .create_branch(&sys, &form, None)
                .await
                .map_err(crate::explain)?;
            let mut intervals = Vec::new();
            for (d, o, c) in b.hours {
                if let Some(i) = parse_day(*d, o, c).map_err(|e| anyhow::anyhow!("{e:?}"))? {
                    intervals.push(i);
                }
            }
            lib.set_opening_hours(&sys, row.id, intervals)
                .await
                .map_err(crate::explain)?;
            for (code, name, circulates) in b.locations {
                let input = LocationInput::parse(code, name, *circulates, *circulates, true)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                lib.create_location(&sys, row.id, &input)
                    .await
                    .map_err(crate::explain)?;
            }
        }
    }
    for (username, name, roles, password) in STAFF {
        if lib.staff_identity(username).await.is_err() {
            let form = NewStaffForm {
                username: (*username).into(),
                display_name: (*name).into(),
                email: format!("{username}@demo.quire.invalid"),
                roles: vec![(*roles).into()],
                password: (*password).into(),
            };
            lib.create_staff(&sys, &form)
                .await
                .map_err(crate::explain)?;
        }
    }
    let (patrons, items) = ensure_catalog(lib, &sys).await?;
    let accounts = lib.sip2_accounts(&sys).await.map_err(crate::explain)?;
    // The device stands where the first available demo item lives, so a
    // checkin reshelves it (no transit) and the pair can be repeated.
    let sip2_branch = items
        .iter()
        .find(|i| i.status == "available")
        .map_or(SIP2_BRANCH, |i| i.branch.as_str())
        .to_owned();
    if !accounts.iter().any(|a| a.row.login == SIP2_LOGIN) {
        lib.create_sip2_account(
            &sys,
            &quire_library::sip2::Sip2AccountForm {
                login: SIP2_LOGIN.into(),
                password: SIP2_PASSWORD.into(),
                institution: SIP2_INSTITUTION.into(),
                branch: sip2_branch.clone(),
                location: SIP2_LOCATION.into(),
                locale: "en".into(),
                ..Default::default()
            },
        )
        .await
        .map_err(crate::explain)?;
    }
    let sip2 = DemoSip2 {
        login: SIP2_LOGIN.into(),
        password: SIP2_PASSWORD.into(),
        institution: SIP2_INSTITUTION.into(),
        location: SIP2_LOCATION.into(),
        branch: accounts
            .iter()
            .find(|a| a.row.login == SIP2_LOGIN)
            .map_or(sip2_branch, |a| a.branch_code.clone()),
    };
    let json = DemoJson {
        staff: Login {
            username: STAFF[0].0.into(),
            password: STAFF[0].3.into(),
        },
        staff_accounts: STAFF
            .iter()
            .map(|(u, _, r, p)| Account {
                username: (*u).into(),
                password: (*p).into(),
                roles: vec![(*r).into()],
            })
            .collect(),
        patrons,
        items,
        branches: BRANCHES.iter().map(|b| b.code.to_owned()).collect(),
        sip2: sip2.clone(),
    };
    let path = data_dir.join("demo.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&json)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(DemoInfo {
        staff_username: STAFF[0].0.into(),
        staff_password: STAFF[0].3.into(),
        json_path: path,
        sip2: Some(sip2),
    })
}

/// Name of the demo's target for its own Z39.50 server.
pub const OWN_Z3950_TARGET: &str = "This library (Z39.50)";
/// Name of the demo's target for its own SRU server.
pub const OWN_SRU_TARGET: &str = "This library (SRU)";

/// Well-known public copy-cataloging targets (from the Library of
/// Congress' "LC Z39.50/SRW/SRU Server Configuration Guidelines"). They
/// need internet access, so the demo adds them switched off: a cataloger
/// with a connection ticks "enabled" on the targets page.
/// (name, host, port, database, charset, SRU base URL)
const PUBLIC_TARGETS: &[(&str, &str, u16, &str, &str, &str)] = &[
    (
        "Library of Congress (Z39.50, needs internet)",
        "z3950.loc.gov",
        7090,
        "Voyager",
        "auto",
        "",
    ),
    (
        "Library of Congress LCDB (Z39.50, needs internet)",
        "lx2.loc.gov",
        210,
        "LCDB",
        "utf-8",
        "",
    ),
    (
        "Library of Congress (SRU, needs internet)",
        "",
        0,
        "LCDB",
        "utf-8",
        "http://lx2.loc.gov:210/LCDB",
    ),
];

/// The demo's copy-cataloging targets, called once the listeners are
/// bound (ports may be picked at start-up): this library's own SRU server
/// and, with `--z3950`, its Z39.50 server (pointed at the current ports
/// on every start, the Z39.50 one switched off when started without
/// `--z3950`), plus the public targets, created once and off.
pub async fn ensure_targets(
    lib: &Library,
    http: std::net::SocketAddr,
    z3950: Option<(std::net::SocketAddr, &str)>,
) -> anyhow::Result<()> {
    use quire_library::copycat::ZTargetForm;
    let sys = Ctx::system("demo");
    let existing = lib.z_targets(&sys).await.map_err(crate::explain)?;
    let local = |a: std::net::SocketAddr| {
        if a.ip().is_unspecified() {
            std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), a.port())
        } else {
            a
        }
    };
    let mut wanted: Vec<ZTargetForm> = Vec::new();
    let z_form = match z3950 {
        Some((addr, db)) => {
            let a = local(addr);
            Some(ZTargetForm {
                name: OWN_Z3950_TARGET.into(),
                host: a.ip().to_string(),
                port: a.port().to_string(),
                database: db.into(),
                syntax: "usmarc".into(),
                charset: "utf-8".into(),
                sru_url: String::new(),
                enabled: true,
            })
        }
        None => existing
            .iter()
            .find(|t| t.name == OWN_Z3950_TARGET)
            .map(|t| ZTargetForm {
                name: t.name.clone(),
                host: t.host.clone().unwrap_or_default(),
                port: t.port.map(|p| p.to_string()).unwrap_or_default(),
                database: t.database_name.clone(),
                syntax: t.syntax.clone(),
                charset: t.charset.clone(),
                sru_url: t.sru_url.clone().unwrap_or_default(),
                enabled: false,
            }),
    };
    wanted.extend(z_form);
    let h = local(http);
    let host = match h {
        std::net::SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
        std::net::SocketAddr::V4(v4) => v4.ip().to_string(),
    };
    wanted.push(ZTargetForm {
        name: OWN_SRU_TARGET.into(),
        host: String::new(),
        port: String::new(),
        database: "Default".into(),
        syntax: "marcxml".into(),
        charset: "utf-8".into(),
        sru_url: format!("http://{host}:{}/sru", h.port()),
        enabled: true,
    });
    for form in &wanted {
        let id = existing.iter().find(|t| t.name == form.name).map(|t| t.id);
        lib.save_z_target(&sys, id, form)
            .await
            .map_err(crate::explain)?;
    }
    for (name, host, port, db, charset, sru) in PUBLIC_TARGETS {
        if existing.iter().any(|t| t.name == *name) {
            continue;
        }
        let form = ZTargetForm {
            name: (*name).into(),
            host: (*host).into(),
            port: if *port == 0 {
                String::new()
            } else {
                port.to_string()
            },
            database: (*db).into(),
            syntax: "usmarc".into(),
            charset: (*charset).into(),
            sru_url: (*sru).into(),
            enabled: false,
        };
        lib.save_z_target(&sys, None, &form)
            .await
            .map_err(crate::explain)?;
    }
    Ok(())
}

/// The shipped catalog: real LoC records, their planned copies and patrons.
const CATALOG: &[u8] = include_bytes!("../demo/catalog.mrc");
const ITEMS: &str = include_str!("../demo/items.tsv");
const PATRONS: &str = include_str!("../demo/patrons.tsv");

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// Loads the catalog, items and patrons once; returns what demo.json lists.
async fn ensure_catalog(
    lib: &Library,
    sys: &Ctx,
) -> anyhow::Result<(Vec<DemoPatron>, Vec<DemoItem>)> {
    let (records, _) = lib.catalog_counts().await.map_err(crate::explain)?;
    if records == 0 {
        tracing::info!("loading the demo catalog");
        let opts = quire_library::catalog::ImportOptions {
            holdings: quire_library::catalog::Holdings::None,
            ..Default::default()
        };
        let report = lib
            .import_marc(
                sys,
                "demo/catalog.mrc",
                "demo-catalog",
                std::io::Cursor::new(CATALOG),
                &opts,
                &mut |_| {},
            )
            .await
            .map_err(crate::explain)?;
        anyhow::ensure!(
            report.counts.quarantined == 0,
            "the demo catalog has quarantined records"
        );
        for r in rows(ITEMS) {
            let [
                cn,
                barcode,
                branch,
                location,
                item_type,
                call_number,
                scheme,
            ] = r[..]
            else {
                anyhow::bail!("demo/items.tsv: bad line {r:?}");
            };
            let record_id = lib
                .record_id_by_control_number(cn)
                .await
                .map_err(crate::explain)?
                .ok_or_else(|| anyhow::anyhow!("demo/items.tsv: no record {cn}"))?;
            let form = quire_library::catalog::ItemForm {
                barcode: barcode.into(),
                branch: branch.into(),
                location: location.into(),
                item_type: item_type.into(),
                call_number: call_number.into(),
                call_number_scheme: scheme.into(),
                copy_number: String::new(),
            };
            lib.add_item(sys, record_id, &form)
                .await
                .map_err(crate::explain)?;
        }
        // The demo library's cards: type 2, institution 1001, mod 10.
        lib.set_card_settings(
            sys,
            &quire_domain::patron::CardSchemeForm {
                prefix: "21001".into(),
                length: "14".into(),
                check: "mod10".into(),
            },
        )
        .await
        .map_err(crate::explain)?;
        for r in rows(PATRONS) {
            let [
                barcode,
                pin,
                first,
                last,
                category,
                branch,
                email,
                phone,
                lang,
                birth,
            ] = r[..]
            else {
                anyhow::bail!("demo/patrons.tsv: bad line {r:?}");
            };
            let form = quire_domain::patron::PatronForm {
                barcode: barcode.into(),
                pin: pin.into(),
                first_name: first.into(),
                last_name: last.into(),
                category: category.into(),
                home_branch: branch.into(),
                email: email.into(),
                phone: phone.into(),
                preferred_locale: lang.into(),
                birth_date: birth.into(),
                // Juveniles need a guardian on record; the demo file has no
                // column for it, so the demo names the family.
                guardian: if category == "CHILD" {
                    format!("{last} family")
                } else {
                    String::new()
                },
                ..Default::default()
            };
            lib.register_patron(sys, &form)
                .await
                .map_err(crate::explain)?;
        }
    }
    let patrons = rows(PATRONS)
        .map(|r| DemoPatron {
            barcode: r.first().copied().unwrap_or_default().into(),
            pin: r.get(1).copied().unwrap_or_default().into(),
            name: format!(
                "{} {}",
                r.get(2).copied().unwrap_or_default(),
                r.get(3).copied().unwrap_or_default()
            ),
        })
        .collect();
    let mut items = Vec::new();
    for r in rows(ITEMS) {
        let barcode = r.get(1).copied().unwrap_or_default();
        if let Some(id) = lib
            .record_id_by_control_number(r.first().copied().unwrap_or_default())
            .await
            .map_err(crate::explain)?
        {
            let (rec, its) = lib.record(id).await.map_err(crate::explain)?;
            if let Some(it) = its.iter().find(|i| i.barcode == barcode) {
                items.push(DemoItem {
                    barcode: barcode.into(),
                    title: rec.title.clone(),
                    status: it.status.clone(),
                    branch: r.get(2).copied().unwrap_or_default().into(),
                });
            }
        }
    }
    Ok((patrons, items))
}
