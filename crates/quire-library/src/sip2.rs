//! SIP2 devices (self-check machines, sorters): their accounts, and the use
//! cases SIP2 needs beyond the desk's circulation calls — patron account by
//! card + PIN, item information, fee payment, sort bins.
//!
//! A logged-in device acts as [`Actor::Device`] with [`DEVICE_PERMISSIONS`]:
//! every call checks permissions and audits exactly like a staff call, so
//! the SIP2 adapter holds no business rules.

use chrono::{DateTime, NaiveDate, Utc};
use quire_domain::Locale;
use quire_domain::circ::blocks::{Block, patron_blocks};
use quire_domain::circ::status::{ItemFlags, ItemStatus, sip2_circulation_status};
use quire_domain::staff::Permission;
use quire_store::catalog::{ItemRow, PatronRow};
use quire_store::model::BranchRow;
use quire_store::patrons::{PatronBlockRow, PatronBlockWrite};
use quire_store::sip2::{Sip2AccountRow, Sip2AccountWrite, SortBinRow};
use serde::{Deserialize, Serialize};

use crate::auth::{hash_password, verify_password};
use crate::circulation::default_block_limits;
use crate::{Actor, Ctx, DeviceIdentity, Error, ErrorCode, Library, Result, audit};

/// What a logged-in SIP2 device may do.
pub const DEVICE_PERMISSIONS: &[Permission] = &[
    Permission::ViewCatalog,
    Permission::ViewItems,
    Permission::ViewPatrons,
    Permission::Circulate,
    Permission::HandleFees,
    Permission::ManageHolds,
];

/// Actor labels of SIP2 devices start with this (staff usernames cannot
/// contain `:`), so blocks a device set are told apart from staff blocks.
pub const DEVICE_LABEL_PREFIX: &str = "sip2:";

/// Longest item properties value (CH) stored by 19 Item Status Update.
pub const MAX_ITEM_PROPERTIES: usize = 255;

/// Character sets a device may use.
pub const CHARSETS: &[&str] = &["utf-8", "iso-8859-1", "cp850"];

/// Which optional fields and extensions a device gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sip2Options {
    /// Send the 3M extension fields (CR, CS, CT, CV, CY, DA) in 10 and 18.
    pub extensions: bool,
    /// Send `CV00` on a clean checkin (some sorters need the field).
    pub cv_on_success: bool,
    /// Field codes never sent to this device (e.g. `BD` address, `BE` e-mail).
    pub hide_fields: Vec<String>,
}

impl Default for Sip2Options {
    fn default() -> Self {
        Sip2Options {
            extensions: true,
            cv_on_success: false,
            hide_fields: Vec::new(),
        }
    }
}

/// An account as the form and the CLI give it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sip2AccountForm {
    pub login: String,
    pub password: String,
    pub institution: String,
    /// Branch code.
    pub branch: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub locale: String,
    #[serde(default)]
    pub charset: String,
    #[serde(default)]
    pub checksum_required: bool,
    #[serde(default)]
    pub login_optional: bool,
    #[serde(default)]
    pub options: Sip2Options,
}

/// A SIP2 account with what a connection needs from it.
#[derive(Debug, Clone, Serialize)]
pub struct Sip2Account {
    pub row: Sip2AccountRow,
    pub branch_code: String,
    /// IANA time zone of the branch (dates on the wire are in it).
    pub timezone: String,
    pub locale: Locale,
    pub options: Sip2Options,
}

impl Sip2Account {
    /// The request context of this device.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            actor: Actor::Device(DeviceIdentity {
                label: format!("{DEVICE_LABEL_PREFIX}{}", self.row.login),
                permissions: DEVICE_PERMISSIONS.to_vec(),
            }),
            request_id: None,
        }
    }
}

/// One loan in a patron's account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountLoan {
    pub item_barcode: String,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
}

/// A patron's account as a self-check machine shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PatronAccount {
    pub patron: PatronRow,
    /// `None`: no PIN was given.
    pub pin_ok: Option<bool>,
    #[serde(skip)]
    pub blocks: Vec<Block>,
    /// The loan limit is reached.
    pub max_loans_reached: bool,
    pub loan_limit: Option<u32>,
    pub overdue_limit: Option<u32>,
    /// Open loans by due date.
    pub loans: Vec<AccountLoan>,
    /// Barcodes of items with an unpaid charge.
    pub fine_items: Vec<String>,
    /// What the patron owes (minor units).
    pub balance_minor: i64,
    /// The balance above which the patron is blocked (minor units).
    pub balance_limit: Option<i64>,
}

/// An item as a device asks about it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemInfo {
    pub item: ItemRow,
    pub title: String,
    pub branch_code: String,
    pub timezone: String,
    pub location_code: Option<String>,
    /// SIP2 circulation status (`01`–`13`).
    pub sip2_status: &'static str,
    pub due_at: Option<DateTime<Utc>>,
    /// SIP2 item properties (CH), when the caller loaded them
    /// ([`Library::item_sip2_properties`]); `item_info` leaves it `None`.
    pub sip2_properties: Option<String>,
}

fn text(field: &'static str, raw: &str, max: usize, required: bool) -> Result<Option<String>> {
    let v = raw.trim();
    if v.is_empty() {
        return if required {
            Err(Error::field(field, "required"))
        } else {
            Ok(None)
        };
    }
    if v.chars().count() > max {
        return Err(Error::field(field, "too-long"));
    }
    if v.chars().any(|c| c.is_control() || c == '|') {
        return Err(Error::field(field, "control-characters"));
    }
    Ok(Some(v.to_owned()))
}

async fn account_view(tx: &mut dyn quire_store::Tx, row: Sip2AccountRow) -> Result<Sip2Account> {
    let branch = tx
        .branch(row.branch_id)
        .await?
        .ok_or_else(|| Error::new(ErrorCode::Internal, "sip2 account branch missing"))?;
    Ok(Sip2Account {
        branch_code: branch.code,
        timezone: branch.timezone,
        locale: Locale::from_tag(&row.locale).unwrap_or(Locale::En),
        options: serde_json::from_str(&row.options_json).unwrap_or_default(),
        row,
    })
}

/// The most specific sort-bin rule matching the checkin: a rule matches
/// when each of its set dimensions equals the checkin's; more set
/// dimensions win, then the older rule.
pub fn pick_sort_bin<'a>(
    rules: &'a [SortBinRow],
    branch_id: i64,
    location_code: Option<&str>,
    item_type: &str,
    route: &str,
) -> Option<&'a str> {
    rules
        .iter()
        .filter(|r| {
            r.branch_id.is_none_or(|b| b == branch_id)
                && r.location_code
                    .as_deref()
                    .is_none_or(|l| Some(l) == location_code)
                && r.item_type.as_deref().is_none_or(|t| t == item_type)
                && r.route.as_deref().is_none_or(|x| x == route)
        })
        .max_by_key(|r| {
            let n = usize::from(r.branch_id.is_some())
                + usize::from(r.location_code.is_some())
                + usize::from(r.item_type.is_some())
                + usize::from(r.route.is_some());
            (n, std::cmp::Reverse(r.id))
        })
        .map(|r| r.bin.as_str())
}

/// The acting SIP2 device's label (permission `circulate`); anyone else is
/// refused: 01 and 25 are device reports, staff use the patron page.
fn device_only(ctx: &Ctx) -> Result<String> {
    ctx.actor.require(Permission::Circulate)?;
    let label = ctx.actor.label();
    if !label.starts_with(DEVICE_LABEL_PREFIX) {
        return Err(Error::new(
            ErrorCode::Forbidden,
            "only SIP2 devices block (01) or enable (25) patrons",
        ));
    }
    Ok(label)
}

/// The patron with this card number.
async fn patron_by_card(tx: &mut dyn quire_store::Tx, barcode: &str) -> Result<PatronRow> {
    let b = barcode.trim();
    if b.is_empty() {
        return Err(Error::field("patron", "required"));
    }
    tx.patron_by_barcode(b)
        .await?
        .ok_or_else(|| Error::not_found("patron"))
}

impl Library {
    /// Creates a SIP2 account (permission `manage-staff`; audited).
    pub async fn create_sip2_account(
        &self,
        ctx: &Ctx,
        form: &Sip2AccountForm,
    ) -> Result<Sip2Account> {
        ctx.actor.require(Permission::ManageStaff)?;
        let mut problems = Vec::new();
        let mut check = |r: Result<Option<String>>| match r {
            Ok(v) => v,
            Err(e) => {
                problems.extend(e.fields);
                None
            }
        };
        let login = check(text("login", &form.login, 64, true));
        let institution = check(text("institution", &form.institution, 64, true));
        let location = check(text("location", &form.location, 64, false));
        let _ = check(text("password", &form.password, 128, true));
        let locale = if form.locale.trim().is_empty() {
            Some(Locale::En)
        } else {
            Locale::from_tag(form.locale.trim())
        };
        if locale.is_none() {
            problems.push(quire_domain::FieldError::new(
                "locale",
                "unsupported-language",
            ));
        }
        let charset = if form.charset.trim().is_empty() {
            "utf-8".to_owned()
        } else {
            form.charset.trim().to_ascii_lowercase()
        };
        if !CHARSETS.contains(&charset.as_str()) {
            problems.push(quire_domain::FieldError::new("charset", "invalid-choice"));
        }
        let mut w = self.store().begin().await?;
        let branch = w
            .branch_by_code(&form.branch.trim().to_ascii_uppercase())
            .await?;
        if branch.is_none() {
            problems.push(quire_domain::FieldError::new("branch", "unknown-branch"));
        }
        if !problems.is_empty() {
            return Err(quire_domain::Invalid(problems).into());
        }
        let (Some(login), Some(institution), Some(locale), Some(branch)) =
            (login, institution, locale, branch)
        else {
            return Err(Error::new(
                ErrorCode::Internal,
                "validated sip2 form incomplete",
            ));
        };
        let options_json = serde_json::to_string(&form.options)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let hash = hash_password(&form.password).await?;
        let id = w
            .insert_sip2_account(&Sip2AccountWrite {
                login: &login,
                password_hash: &hash,
                institution: &institution,
                branch_id: branch.id,
                location_code: location.as_deref(),
                locale: locale.tag(),
                charset: &charset,
                checksum_required: form.checksum_required,
                login_required: !form.login_optional,
                options_json: &options_json,
                now: self.now(),
            })
            .await
            .map_err(|e| match e {
                quire_store::StoreError::Duplicate(_) => Error::duplicate("login"),
                other => other.into(),
            })?;
        let row = w
            .sip2_account(id)
            .await?
            .ok_or_else(|| Error::not_found("sip2 account"))?;
        audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "create",
            "sip2_account",
            id,
            None,
            Some(&row),
        )
        .await?;
        let view = account_view(w.as_mut(), row).await?;
        w.commit().await?;
        Ok(view)
    }

    /// Every SIP2 account (permission `manage-staff`).
    pub async fn sip2_accounts(&self, ctx: &Ctx) -> Result<Vec<Sip2Account>> {
        ctx.actor.require(Permission::ManageStaff)?;
        let mut r = self.store().read().await?;
        let mut out = Vec::new();
        for row in r.sip2_accounts().await? {
            out.push(account_view(r.as_mut(), row).await?);
        }
        Ok(out)
    }

    async fn sip2_account_row(
        &self,
        tx: &mut dyn quire_store::Tx,
        login: &str,
    ) -> Result<Sip2AccountRow> {
        tx.sip2_account_by_login(login.trim())
            .await?
            .ok_or_else(|| Error::not_found("sip2 account"))
    }

    /// Deletes a SIP2 account (permission `manage-staff`; audited). Devices
    /// already connected keep their connection until it ends.
    pub async fn delete_sip2_account(&self, ctx: &Ctx, login: &str) -> Result<()> {
        ctx.actor.require(Permission::ManageStaff)?;
        let mut w = self.store().begin().await?;
        let row = self.sip2_account_row(w.as_mut(), login).await?;
        w.delete_sip2_account(row.id).await?;
        audit::record::<_, ()>(
            w.as_mut(),
            self,
            ctx,
            "delete",
            "sip2_account",
            row.id,
            Some(&row),
            None,
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Sets a new password for a SIP2 account (permission `manage-staff`; audited).
    pub async fn reset_sip2_password(&self, ctx: &Ctx, login: &str, password: &str) -> Result<()> {
        ctx.actor.require(Permission::ManageStaff)?;
        text("password", password, 128, true)?;
        let hash = hash_password(password).await?;
        let mut w = self.store().begin().await?;
        let row = self.sip2_account_row(w.as_mut(), login).await?;
        w.set_sip2_password(row.id, &hash, self.now()).await?;
        audit::record::<(), ()>(
            w.as_mut(),
            self,
            ctx,
            "reset-password",
            "sip2_account",
            row.id,
            None,
            None,
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Checks a device's login (93 CN/CO). Unknown logins cost the same
    /// time as wrong passwords.
    pub async fn sip2_login(&self, login: &str, password: &str) -> Result<Sip2Account> {
        let row = {
            let mut r = self.store().read().await?;
            r.sip2_account_by_login(login.trim()).await?
        };
        let Some(row) = row else {
            let _ = verify_password(password, &crate::auth::dummy_hash().await).await;
            return Err(Error::new(ErrorCode::BadCredentials, "unknown sip2 login"));
        };
        if !verify_password(password, &row.password_hash).await {
            return Err(Error::new(ErrorCode::BadCredentials, "wrong sip2 password"));
        }
        if !row.active {
            return Err(Error::new(
                ErrorCode::AccountDisabled,
                "sip2 account disabled",
            ));
        }
        let mut r = self.store().read().await?;
        account_view(r.as_mut(), row).await
    }

    /// Checks a patron's PIN (the SIP2 AD field); false when the patron has
    /// none or is unknown (permission `view-patrons`).
    pub async fn verify_patron_pin(&self, ctx: &Ctx, barcode: &str, pin: &str) -> Result<bool> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let hash = {
            let mut r = self.store().read().await?;
            r.patron_by_barcode(barcode.trim())
                .await?
                .and_then(|p| p.pin_hash)
        };
        Ok(match hash {
            Some(h) => verify_password(pin, &h).await,
            None => false,
        })
    }

    /// A patron's account: blocks, loans, fines, balance; with `pin`, whether
    /// it is right (permission `view-patrons`).
    pub async fn patron_account(
        &self,
        ctx: &Ctx,
        barcode: &str,
        pin: Option<&str>,
    ) -> Result<PatronAccount> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let b = barcode.trim();
        if b.is_empty() {
            return Err(Error::field("patron", "required"));
        }
        let patron = tx
            .patron_by_barcode(b)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let limits = default_block_limits();
        let standing = quire_domain::circ::blocks::PatronStanding {
            expires_on: NaiveDate::parse_from_str(&patron.expires_on, "%Y-%m-%d").ok(),
            balance: tx.fee_balance(patron.id).await?,
            overdue_count: u32::try_from(tx.count_overdue(patron.id, now).await?)
                .unwrap_or(u32::MAX),
            claims_returned_count: 0,
            card_lost: false,
            // Staff blocks and blocks a device set (01 Block Patron).
            manual: crate::patrons::manual_blocks(&tx.patron_blocks(patron.id, true).await?),
        };
        let blocks = patron_blocks(&standing, &limits, now.date_naive());
        let mut loans = Vec::new();
        for l in tx.open_loans_of_patron(patron.id).await? {
            let Some(item) = tx.item(l.item_id).await? else {
                continue;
            };
            let title = tx
                .record(item.record_id)
                .await?
                .map(|r| r.title)
                .unwrap_or_default();
            loans.push(AccountLoan {
                item_barcode: item.barcode,
                title,
                due_at: l.due_at,
                overdue: l.due_at < now,
            });
        }
        let mut owed: Vec<(i64, i64)> = Vec::new();
        for f in tx.fees_of_patron(patron.id).await? {
            if let Some(item) = f.item_id {
                match owed.iter_mut().find(|(i, _)| *i == item) {
                    Some((_, sum)) => *sum += f.amount_minor,
                    None => owed.push((item, f.amount_minor)),
                }
            }
        }
        let mut fine_items = Vec::new();
        for (item, sum) in owed {
            if sum > 0
                && let Some(it) = tx.item(item).await?
            {
                fine_items.push(it.barcode);
            }
        }
        // The loan limit of the default rule (categories have no own limit yet).
        let rules = crate::circulation::default_rules();
        let loan_limit = rules.first().and_then(|(_, p)| p.max_loans_total);
        let open = u32::try_from(loans.len()).unwrap_or(u32::MAX);
        drop(r);
        let pin_ok = match pin {
            Some(p) => Some(match &patron.pin_hash {
                Some(h) => verify_password(p, h).await,
                None => false,
            }),
            None => None,
        };
        Ok(PatronAccount {
            pin_ok,
            blocks,
            max_loans_reached: loan_limit.is_some_and(|l| open >= l),
            loan_limit,
            overdue_limit: limits.max_overdues,
            balance_minor: standing.balance,
            balance_limit: limits.max_balance,
            loans,
            fine_items,
            patron,
        })
    }

    /// An item with its title, status and due date (permission `view-items`).
    pub async fn item_info(&self, ctx: &Ctx, barcode: &str) -> Result<ItemInfo> {
        ctx.actor.require(Permission::ViewItems)?;
        let b = barcode.trim();
        if b.is_empty() {
            return Err(Error::field("item", "required"));
        }
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let item = tx
            .item_by_barcode(b)
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        let title = tx
            .record(item.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        let branch: BranchRow = tx
            .branch(item.branch_id)
            .await?
            .ok_or_else(|| Error::new(ErrorCode::Internal, "item branch missing"))?;
        let location_code = match item.location_id {
            Some(id) => tx.location(id).await?.map(|l| l.code),
            None => None,
        };
        let due_at = tx.open_loan_of_item(item.id).await?.map(|l| l.due_at);
        let sip2_status = ItemStatus::parse(&item.status)
            .map(|s| sip2_circulation_status(s, ItemFlags::default()))
            .unwrap_or("01");
        Ok(ItemInfo {
            title,
            branch_code: branch.code,
            timezone: branch.timezone,
            location_code,
            sip2_status,
            due_at,
            sip2_properties: None,
            item,
        })
    }

    /// The account a listener binds its connections to when they do not
    /// log in: it must exist, be active and have "login not required" set.
    pub async fn sip2_open_account(&self, login: &str) -> Result<Sip2Account> {
        let mut r = self.store().read().await?;
        let row = r
            .sip2_account_by_login(login.trim())
            .await?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, "no such sip2 account"))?;
        if !row.active {
            return Err(Error::new(
                ErrorCode::AccountDisabled,
                "sip2 account disabled",
            ));
        }
        if row.login_required {
            return Err(Error::new(
                ErrorCode::BadCredentials,
                "sip2 account requires a login (93)",
            ));
        }
        account_view(r.as_mut(), row).await
    }

    /// 01 Block Patron: a device reports a suspicious or retained card. Adds
    /// a manual block (stops checkout, renewal and holds; staff may
    /// override) with the device's message, audited with the device as
    /// actor (permission `circulate`, devices only).
    pub async fn sip2_block_patron(
        &self,
        ctx: &Ctx,
        barcode: &str,
        card_retained: bool,
        message: &str,
    ) -> Result<PatronBlockRow> {
        let device = device_only(ctx)?;
        let message: String = message
            .chars()
            .filter(|c| !c.is_control())
            .take(400)
            .collect();
        let mut note = format!("SIP2 {device}");
        if card_retained {
            note.push_str(" (card retained)");
        }
        if !message.trim().is_empty() {
            note.push_str(": ");
            note.push_str(message.trim());
        }
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let patron = patron_by_card(tx, barcode).await?;
        let row = self
            .insert_block_audited(
                tx,
                ctx,
                &PatronBlockWrite {
                    patron_id: patron.id,
                    note: &note,
                    stops_checkout: true,
                    stops_renew: true,
                    stops_hold: true,
                    overridable: true,
                    until_on: None,
                    now: self.now(),
                    created_by: &device,
                },
            )
            .await?;
        w.commit().await?;
        Ok(row)
    }

    /// 25 Patron Enable: lifts the blocks SIP2 devices set (never staff
    /// blocks), each audited. Returns how many were lifted (permission
    /// `circulate`, devices only).
    pub async fn sip2_enable_patron(&self, ctx: &Ctx, barcode: &str) -> Result<usize> {
        device_only(ctx)?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let patron = patron_by_card(tx, barcode).await?;
        let mut lifted = 0;
        for before in tx.patron_blocks(patron.id, true).await? {
            if before.created_by.starts_with(DEVICE_LABEL_PREFIX) {
                self.lift_block_audited(tx, ctx, &before).await?;
                lifted += 1;
            }
        }
        w.commit().await?;
        Ok(lifted)
    }

    /// 19 Item Status Update: stores the item properties (CH) on the item
    /// (permission `circulate`; audited as an item update). Properties are
    /// device data kept verbatim: at most [`MAX_ITEM_PROPERTIES`]
    /// characters, no control characters or `|`.
    pub async fn set_item_sip2_properties(
        &self,
        ctx: &Ctx,
        barcode: &str,
        properties: &str,
    ) -> Result<ItemInfo> {
        ctx.actor.require(Permission::Circulate)?;
        let b = barcode.trim();
        if b.is_empty() {
            return Err(Error::field("item", "required"));
        }
        if properties.chars().count() > MAX_ITEM_PROPERTIES {
            return Err(Error::field("item_properties", "too-long"));
        }
        if properties.chars().any(|c| c.is_control() || c == '|') {
            return Err(Error::field("item_properties", "control-characters"));
        }
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let item = tx
            .item_by_barcode(b)
            .await?
            .ok_or_else(|| Error::not_found("item"))?;
        let before = tx.item_sip2_properties(item.id).await?;
        tx.set_item_sip2_properties(item.id, properties).await?;
        #[derive(Serialize)]
        struct Props<'a> {
            sip2_properties: Option<&'a str>,
        }
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "item",
            item.id,
            Some(&Props {
                sip2_properties: before.as_deref(),
            }),
            Some(&Props {
                sip2_properties: Some(properties),
            }),
        )
        .await?;
        w.commit().await?;
        let mut info = self.item_info(ctx, b).await?;
        info.sip2_properties = Some(properties.to_owned());
        Ok(info)
    }

    /// The SIP2 item properties (CH) stored on an item (permission
    /// `view-items`); `None` when never set.
    pub async fn item_sip2_properties(&self, ctx: &Ctx, item_id: i64) -> Result<Option<String>> {
        ctx.actor.require(Permission::ViewItems)?;
        let mut r = self.store().read().await?;
        Ok(r.item_sip2_properties(item_id).await?)
    }

    /// Every sort-bin rule (permission `circulate`: devices read them).
    pub async fn sort_bins(&self, ctx: &Ctx) -> Result<Vec<SortBinRow>> {
        ctx.actor.require(Permission::Circulate)?;
        let mut r = self.store().read().await?;
        Ok(r.sort_bins().await?)
    }

    /// Adds a sort-bin rule (permission `manage-policies`; audited). Empty
    /// dimensions match anything; `route` is `reshelve`, `transit` or
    /// `hold-shelf`.
    pub async fn add_sort_bin(
        &self,
        ctx: &Ctx,
        branch: &str,
        location: &str,
        item_type: &str,
        route: &str,
        bin: &str,
    ) -> Result<SortBinRow> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let bin = text("bin", bin, 32, true)?.unwrap_or_default();
        let location = text("location", location, 32, false)?.map(|s| s.to_ascii_uppercase());
        let item_type = text("item_type", item_type, 32, false)?.map(|s| s.to_ascii_uppercase());
        let route = text("route", route, 16, false)?;
        if route
            .as_deref()
            .is_some_and(|r| !["reshelve", "transit", "hold-shelf"].contains(&r))
        {
            return Err(Error::field("route", "invalid-choice"));
        }
        let mut w = self.store().begin().await?;
        let branch_id = match text("branch", branch, 32, false)? {
            Some(code) => Some(
                w.branch_by_code(&code.to_ascii_uppercase())
                    .await?
                    .ok_or_else(|| Error::field("branch", "unknown-branch"))?
                    .id,
            ),
            None => None,
        };
        let id = w
            .insert_sort_bin(
                branch_id,
                location.as_deref(),
                item_type.as_deref(),
                route.as_deref(),
                &bin,
                self.now(),
            )
            .await?;
        let row = w
            .sort_bins()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::not_found("sort bin"))?;
        audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "create",
            "sort_bin",
            id,
            None,
            Some(&row),
        )
        .await?;
        w.commit().await?;
        Ok(row)
    }

    /// Deletes a sort-bin rule (permission `manage-policies`; audited).
    pub async fn delete_sort_bin(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let mut w = self.store().begin().await?;
        let row = w
            .sort_bins()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::not_found("sort bin"))?;
        w.delete_sort_bin(id).await?;
        audit::record::<_, ()>(
            w.as_mut(),
            self,
            ctx,
            "delete",
            "sort_bin",
            id,
            Some(&row),
            None,
        )
        .await?;
        w.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(
        id: i64,
        branch: Option<i64>,
        loc: Option<&str>,
        route: Option<&str>,
        bin: &str,
    ) -> SortBinRow {
        SortBinRow {
            id,
            branch_id: branch,
            location_code: loc.map(str::to_owned),
            item_type: None,
            route: route.map(str::to_owned),
            bin: bin.into(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn most_specific_sort_bin_wins() {
        let rules = vec![
            rule(1, None, None, None, "A"),
            rule(2, Some(1), None, None, "B"),
            rule(3, Some(1), Some("CHILD"), None, "C"),
            rule(4, None, None, Some("transit"), "T"),
            rule(5, Some(1), None, Some("hold-shelf"), "H"),
        ];
        assert_eq!(
            pick_sort_bin(&rules, 2, None, "BOOK", "reshelve"),
            Some("A")
        );
        assert_eq!(
            pick_sort_bin(&rules, 1, Some("STACKS"), "BOOK", "reshelve"),
            Some("B")
        );
        assert_eq!(
            pick_sort_bin(&rules, 1, Some("CHILD"), "BOOK", "reshelve"),
            Some("C")
        );
        assert_eq!(pick_sort_bin(&rules, 2, None, "BOOK", "transit"), Some("T"));
        assert_eq!(
            pick_sort_bin(&rules, 1, None, "BOOK", "hold-shelf"),
            Some("H")
        );
        assert_eq!(pick_sort_bin(&[], 1, None, "BOOK", "reshelve"), None);
        // Ties go to the older rule.
        let tie = vec![
            rule(7, Some(1), None, None, "X"),
            rule(6, None, Some("REF"), None, "Y"),
        ];
        assert_eq!(
            pick_sort_bin(&tie, 1, Some("REF"), "BOOK", "reshelve"),
            Some("Y")
        );
    }
}
