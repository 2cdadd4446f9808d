//! Patrons and their library cards: registration with duplicate warning,
//! edits, search (also by replaced cards), desk notes, manual blocks with
//! the automatic ones derived by the domain, card numbering settings, card
//! replacement, PINs, and the privacy sweep that anonymises returned loans.

use chrono::{DateTime, NaiveDate, Utc};
use quire_domain::circ::blocks::{Block, ManualBlock, PatronStanding, Stops, patron_blocks};
use quire_domain::circ::privacy::{ClosedLoan, Retention, must_anonymise};
use quire_domain::error::{FieldError, Invalid, optional_text, text};
use quire_domain::ident::{BarcodeError, BarcodeScheme};
use quire_domain::patron::{CardSchemeForm, NewPatron, PatronForm, default_expiry};
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::catalog::PatronRow;
use quire_store::circ::LoanRow;
use quire_store::patrons::{
    OldCardRow, PatronBlockRow, PatronBlockWrite, PatronExtra, PatronUpdate,
};
use serde::Serialize;

use crate::auth::hash_password;
use crate::circulation::default_block_limits;
use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Settings keys of the card numbering.
const SET_PREFIX: &str = "patron_card_prefix";
const SET_LENGTH: &str = "patron_card_length";
const SET_CHECK: &str = "patron_card_check";
const SET_SEQ: &str = "patron_card_seq";
/// Days a returned, settled loan keeps its patron link (default 0).
pub(crate) const SET_KEEP_DAYS: &str = "privacy_keep_days";

/// How many past loans the patron page shows.
const HISTORY_LIMIT: i64 = 50;

/// The library's card numbering (settings, or the 14-digit Codabar default).
pub(crate) async fn card_scheme(tx: &mut dyn Tx) -> Result<BarcodeScheme> {
    let (Some(prefix), Some(length), Some(check)) = (
        tx.setting(SET_PREFIX).await?,
        tx.setting(SET_LENGTH).await?,
        tx.setting(SET_CHECK).await?,
    ) else {
        return Ok(CardSchemeForm::default_scheme());
    };
    CardSchemeForm {
        prefix,
        length,
        check,
    }
    .parse()
    .map_err(|e| Error::new(ErrorCode::Internal, format!("stored card scheme: {e}")))
}

fn barcode_error(e: &BarcodeError) -> FieldError {
    let f = |code| FieldError::new("barcode", code);
    match e {
        BarcodeError::InvalidCharacter { .. } => f("barcode-characters"),
        BarcodeError::WrongLength { expected, .. } => f("barcode-length").with_arg(expected),
        BarcodeError::WrongPrefix { expected } => f("barcode-prefix").with_arg(expected),
        BarcodeError::BadCheckDigit { .. } => f("barcode-check-digit"),
        BarcodeError::SequenceTooLarge { .. } | BarcodeError::BadScheme(_) => {
            f("barcode-characters")
        }
    }
}

/// A patron with everything the staff patron page shows.
#[derive(Debug, Clone, Serialize)]
pub struct PatronDetail {
    pub patron: PatronRow,
    pub extra: PatronExtra,
    pub home_branch: String,
    /// Every block in force (automatic first, then manual), as codes + args.
    pub blocks: Vec<BlockView>,
    /// Manual blocks, lifted ones included (newest first).
    pub manual_blocks: Vec<PatronBlockRow>,
    pub old_cards: Vec<OldCardRow>,
    pub balance_minor: i64,
    pub open_loans: i64,
    pub overdue_loans: i64,
    /// Past loans; `None` when the viewer may not see reading history.
    pub history: Option<Vec<LoanRow>>,
    /// Age in years today (from the birth date).
    pub age: Option<u32>,
    /// A PIN is set.
    pub has_pin: bool,
}

/// A block in force.
#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    /// `card-expired`, `fines-over-limit`, `too-many-overdues`, `manual`, …
    pub reason: String,
    pub overridable: bool,
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    pub args: Vec<(String, String)>,
}

impl From<&Block> for BlockView {
    fn from(b: &Block) -> Self {
        BlockView {
            reason: b.reason.as_str().to_owned(),
            overridable: b.overridable,
            stops_checkout: b.stops.checkout,
            stops_renew: b.stops.renew,
            stops_hold: b.stops.hold,
            args: b
                .args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }
}

/// A patron search: the matches, and the card's owner when the query is a
/// replaced card number.
#[derive(Debug, Clone, Serialize)]
pub struct PatronSearch {
    pub patrons: Vec<PatronRow>,
    /// The query was a replaced card: which, and whose.
    pub replaced_card: Option<ReplacedCard>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplacedCard {
    pub card: OldCardRow,
    pub patron: PatronRow,
}

/// Raw fields of a manual block.
#[derive(Debug, Clone, Default)]
pub struct BlockForm {
    /// Why (shown to staff): required.
    pub note: String,
    /// Checkboxes; all empty means "stops everything".
    pub stops_checkout: bool,
    pub stops_renew: bool,
    pub stops_hold: bool,
    pub overridable: bool,
    /// `YYYY-MM-DD`, optional last day.
    pub until: String,
}

/// Manual blocks read into the domain's form (lifted ones left out).
pub(crate) fn manual_blocks(rows: &[PatronBlockRow]) -> Vec<ManualBlock> {
    rows.iter()
        .filter(|b| b.lifted_at.is_none())
        .map(|b| ManualBlock {
            stops: Stops {
                checkout: b.stops_checkout,
                renew: b.stops_renew,
                hold: b.stops_hold,
            },
            overridable: b.overridable,
            note: b.note.clone(),
            until: b
                .until_on
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        })
        .collect()
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[derive(Serialize)]
struct PatronAudit<'a> {
    patron: &'a PatronRow,
    extra: &'a PatronExtra,
}

impl Library {
    /// Registers a patron and issues a card (numbered by Quire unless
    /// given), without the duplicate warning (imports, the demo).
    pub async fn register_patron(&self, ctx: &Ctx, form: &PatronForm) -> Result<PatronRow> {
        self.register_patron_with(ctx, form, true).await
    }

    /// Registers a patron. Unless `confirm_duplicate`, a patron with the
    /// same name and birth date or the same e-mail stops the registration
    /// with a `Conflict` naming the field `confirm_duplicate` (argument: the
    /// matching patrons) so staff can look and confirm.
    pub async fn register_patron_with(
        &self,
        ctx: &Ctx,
        form: &PatronForm,
        confirm_duplicate: bool,
    ) -> Result<PatronRow> {
        ctx.actor.require(Permission::EditPatrons)?;
        let today = self.now().date_naive();
        let p = form.parse(today)?;
        let pin_hash = match &p.pin {
            Some(pin) => Some(hash_password(pin).await?),
            None => None,
        };
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let branch = tx
            .branch_by_code(&p.home_branch)
            .await?
            .ok_or_else(|| Error::field("home_branch", "unknown-branch"))?;
        let scheme = card_scheme(tx).await?;
        let barcode = match &p.barcode {
            Some(b) => {
                scheme
                    .validate(b)
                    .map_err(|e| Error::from(Invalid::one(barcode_error(&e))))?;
                if tx.patron_by_barcode(b).await?.is_some() || tx.old_card(b).await?.is_some() {
                    return Err(Error::duplicate("barcode"));
                }
                b.clone()
            }
            None => next_card(tx, &scheme).await?,
        };
        if !confirm_duplicate {
            check_duplicates(tx, &p, None).await?;
        }
        let birth = p.birth_date.map(ymd);
        let expires = ymd(p
            .expires_on
            .unwrap_or_else(|| default_expiry(&p.category, p.birth_date, today)));
        let id = tx
            .insert_patron(&quire_store::catalog::PatronWrite {
                barcode: &barcode,
                pin_hash: pin_hash.as_deref(),
                first_name: &p.first_name,
                last_name: &p.last_name,
                category: &p.category,
                home_branch_id: branch.id,
                email: p.email.as_deref(),
                phone: p.phone.as_deref(),
                birth_date: birth.as_deref(),
                preferred_locale: p.preferred_locale.map(|l| l.tag()),
                expires_on: &expires,
                now,
            })
            .await
            .map_err(|e| match e {
                quire_store::StoreError::Duplicate(_) => Error::duplicate("barcode"),
                other => other.into(),
            })?;
        tx.update_patron(
            id,
            &update_of(&p, branch.id, &expires, birth.as_deref(), now),
        )
        .await?;
        let row = tx
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let extra = tx
            .patron_extra(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "create",
            "patron",
            id,
            None,
            Some(&PatronAudit {
                patron: &row,
                extra: &extra,
            }),
        )
        .await?;
        w.commit().await?;
        Ok(row)
    }

    /// Edits a patron's details (not the card number or PIN: see
    /// [`Library::replace_card`], [`Library::set_patron_pin`]); the same
    /// validation and duplicate warning as registration.
    pub async fn update_patron(
        &self,
        ctx: &Ctx,
        id: i64,
        form: &PatronForm,
        confirm_duplicate: bool,
    ) -> Result<PatronRow> {
        ctx.actor.require(Permission::EditPatrons)?;
        let today = self.now().date_naive();
        let form = PatronForm {
            barcode: String::new(),
            pin: String::new(),
            ..form.clone()
        };
        let p = form.parse(today)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = tx
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let before_extra = tx
            .patron_extra(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let branch = tx
            .branch_by_code(&p.home_branch)
            .await?
            .ok_or_else(|| Error::field("home_branch", "unknown-branch"))?;
        let birth = p.birth_date.map(ymd);
        // Warn only when what identifies the person changed (a confirmed
        // twin must not warn on every later edit).
        let identity_changed = !before.first_name.eq_ignore_ascii_case(&p.first_name)
            || !before.last_name.eq_ignore_ascii_case(&p.last_name)
            || before.birth_date != birth
            || before.email.as_deref().map(str::to_lowercase)
                != p.email.as_deref().map(str::to_lowercase);
        if identity_changed && !confirm_duplicate {
            check_duplicates(tx, &p, Some(id)).await?;
        }
        // Blank expiry on edit keeps the current one.
        let expires = p
            .expires_on
            .map(ymd)
            .unwrap_or_else(|| before.expires_on.clone());
        tx.update_patron(
            id,
            &update_of(&p, branch.id, &expires, birth.as_deref(), now),
        )
        .await?;
        let row = tx
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let extra = tx
            .patron_extra(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "patron",
            id,
            Some(&PatronAudit {
                patron: &before,
                extra: &before_extra,
            }),
            Some(&PatronAudit {
                patron: &row,
                extra: &extra,
            }),
        )
        .await?;
        w.commit().await?;
        Ok(row)
    }

    /// Sets the desk notes (shown prominently to staff).
    pub async fn set_patron_notes(&self, ctx: &Ctx, id: i64, notes: &str) -> Result<()> {
        ctx.actor.require(Permission::EditPatrons)?;
        let notes =
            optional_text("notes", notes, 2000).map_err(|e| Error::from(Invalid::one(e)))?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = tx
            .patron_extra(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        tx.set_patron_notes(id, notes.as_deref(), self.now())
            .await?;
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "patron",
            id,
            Some(&before.notes),
            Some(&notes),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Finds patrons by card number (current or replaced), name, e-mail or
    /// phone.
    pub async fn find_patrons(&self, ctx: &Ctx, q: &str) -> Result<Vec<PatronRow>> {
        Ok(self.search_patrons(ctx, q).await?.patrons)
    }

    /// [`Library::find_patrons`], also saying when the query is a replaced card.
    pub async fn search_patrons(&self, ctx: &Ctx, q: &str) -> Result<PatronSearch> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let q = q.trim();
        if q.is_empty() {
            return Ok(PatronSearch {
                patrons: Vec::new(),
                replaced_card: None,
            });
        }
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patrons = tx.search_patrons_any(q, 50).await?;
        let replaced_card = match tx.old_card(q).await? {
            Some(card) => tx
                .patron(card.patron_id)
                .await?
                .map(|patron| ReplacedCard { card, patron }),
            None => None,
        };
        Ok(PatronSearch {
            patrons,
            replaced_card,
        })
    }

    pub async fn patron_by_barcode(&self, ctx: &Ctx, barcode: &str) -> Result<PatronRow> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let mut r = self.store().read().await?;
        r.patron_by_barcode(barcode.trim())
            .await?
            .ok_or_else(|| Error::not_found("patron"))
    }

    /// Everything the staff patron page shows (permission `view-patrons`;
    /// the reading history only for staff who circulate).
    pub async fn patron_detail(&self, ctx: &Ctx, id: i64) -> Result<PatronDetail> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let now = self.now();
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = tx
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let extra = tx
            .patron_extra(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let home_branch = tx
            .branch(patron.home_branch_id)
            .await?
            .map(|b| b.code)
            .unwrap_or_default();
        let manual = tx.patron_blocks(id, false).await?;
        let balance_minor = tx.fee_balance(id).await?;
        let open_loans = tx.count_open_loans(id).await?;
        let overdue_loans = tx.count_overdue(id, now).await?;
        let standing = PatronStanding {
            expires_on: NaiveDate::parse_from_str(&patron.expires_on, "%Y-%m-%d").ok(),
            balance: balance_minor,
            overdue_count: u32::try_from(overdue_loans).unwrap_or(u32::MAX),
            claims_returned_count: 0,
            card_lost: false,
            manual: manual_blocks(&manual),
        };
        let today = now.date_naive();
        let blocks = patron_blocks(&standing, &default_block_limits(), today)
            .iter()
            .map(BlockView::from)
            .collect();
        let history = if ctx.actor.can(Permission::Circulate) {
            Some(tx.loans_history(id, HISTORY_LIMIT).await?)
        } else {
            None
        };
        let age = patron
            .birth_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|b| quire_domain::patron::age_on(b, today));
        let has_pin = patron.pin_hash.is_some();
        Ok(PatronDetail {
            old_cards: tx.old_cards_of_patron(id).await?,
            patron,
            extra,
            home_branch,
            blocks,
            manual_blocks: manual,
            balance_minor,
            open_loans,
            overdue_loans,
            history,
            age,
            has_pin,
        })
    }

    /// The patron's id from a current card number.
    pub async fn patron_id(&self, ctx: &Ctx, barcode: &str) -> Result<i64> {
        Ok(self.patron_by_barcode(ctx, barcode).await?.id)
    }

    /// Replaces a lost or worn card: the old number moves to the replaced
    /// cards (still found by a search, refused at checkout), the patron gets
    /// `new_barcode` (validated) or the next number.
    pub async fn replace_card(
        &self,
        ctx: &Ctx,
        id: i64,
        new_barcode: &str,
        reason: &str,
    ) -> Result<PatronRow> {
        ctx.actor.require(Permission::EditPatrons)?;
        let reason = match reason.trim() {
            "" => "lost".to_owned(),
            r => text("reason", r, 1, 200).map_err(|e| Error::from(Invalid::one(e)))?,
        };
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = tx
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let scheme = card_scheme(tx).await?;
        let new = match new_barcode.trim() {
            "" => next_card(tx, &scheme).await?,
            b => {
                scheme
                    .validate(b)
                    .map_err(|e| Error::from(Invalid::one(barcode_error(&e))))?;
                if tx.patron_by_barcode(b).await?.is_some() || tx.old_card(b).await?.is_some() {
                    return Err(Error::duplicate("barcode"));
                }
                b.to_owned()
            }
        };
        let label = ctx.actor.label();
        tx.insert_old_card(&before.barcode, id, &reason, now, &label)
            .await?;
        tx.set_patron_barcode(id, &new, now).await?;
        let row = tx
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        #[derive(Serialize)]
        struct CardAudit<'a> {
            barcode: &'a str,
            reason: &'a str,
        }
        audit::record(
            tx,
            self,
            ctx,
            "replace-card",
            "patron",
            id,
            Some(&CardAudit {
                barcode: &before.barcode,
                reason: &reason,
            }),
            Some(&CardAudit {
                barcode: &row.barcode,
                reason: &reason,
            }),
        )
        .await?;
        w.commit().await?;
        Ok(row)
    }

    /// Sets (or with an empty `pin`, clears) the patron's PIN, hashed with
    /// argon2id like staff passwords (the demo's PINs are stored the same way).
    pub async fn set_patron_pin(&self, ctx: &Ctx, id: i64, pin: &str) -> Result<()> {
        ctx.actor.require(Permission::EditPatrons)?;
        let pin = quire_domain::patron::pin(pin).map_err(|e| Error::from(Invalid::one(e)))?;
        let hash = match &pin {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        tx.patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        tx.set_patron_pin(id, hash.as_deref(), self.now()).await?;
        #[derive(Serialize)]
        struct PinAudit {
            pin_set: bool,
        }
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "set-pin",
            "patron",
            id,
            None,
            Some(&PinAudit {
                pin_set: hash.is_some(),
            }),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Whether `pin` is the patron's PIN (card number + PIN logins).
    pub async fn check_patron_pin(&self, barcode: &str, pin: &str) -> Result<bool> {
        let mut r = self.store().read().await?;
        let Some(p) = r.patron_by_barcode(barcode.trim()).await? else {
            return Ok(false);
        };
        Ok(match &p.pin_hash {
            Some(h) => crate::auth::verify_password(pin.trim(), h).await,
            None => false,
        })
    }

    /// Adds a manual block.
    pub async fn add_patron_block(
        &self,
        ctx: &Ctx,
        id: i64,
        form: &BlockForm,
    ) -> Result<PatronBlockRow> {
        ctx.actor.require(Permission::EditPatrons)?;
        let mut inv = Invalid::default();
        let note = inv.check(text("note", &form.note, 1, 500));
        let until = inv.check(match form.until.trim() {
            "" => Ok(None),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| FieldError::new("until", "invalid-date")),
        });
        let (Some(note), Some(until)) = (note, until) else {
            return Err(inv.into());
        };
        let all = !form.stops_checkout && !form.stops_renew && !form.stops_hold;
        let now = self.now();
        let until_s = until.map(ymd);
        let label = ctx.actor.label();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        tx.patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let row = self
            .insert_block_audited(
                tx,
                ctx,
                &PatronBlockWrite {
                    patron_id: id,
                    note: &note,
                    stops_checkout: all || form.stops_checkout,
                    stops_renew: all || form.stops_renew,
                    stops_hold: all || form.stops_hold,
                    overridable: form.overridable,
                    until_on: until_s.as_deref(),
                    now,
                    created_by: &label,
                },
            )
            .await?;
        w.commit().await?;
        Ok(row)
    }

    /// Inserts a manual block and audits it (`create`), in `tx`. Also used
    /// by SIP2 01 Block Patron.
    pub(crate) async fn insert_block_audited(
        &self,
        tx: &mut dyn quire_store::Tx,
        ctx: &Ctx,
        block: &PatronBlockWrite<'_>,
    ) -> Result<PatronBlockRow> {
        let block_id = tx.insert_patron_block(block).await?;
        let row = tx
            .patron_block(block_id)
            .await?
            .ok_or_else(|| Error::not_found("block"))?;
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "create",
            "patron_block",
            block_id,
            None,
            Some(&row),
        )
        .await?;
        Ok(row)
    }

    /// Lifts a manual block and audits it (`lift`, before and after), in
    /// `tx`. Also used by SIP2 25 Patron Enable.
    pub(crate) async fn lift_block_audited(
        &self,
        tx: &mut dyn quire_store::Tx,
        ctx: &Ctx,
        before: &PatronBlockRow,
    ) -> Result<()> {
        tx.lift_patron_block(before.id, self.now(), &ctx.actor.label())
            .await?;
        let after = tx.patron_block(before.id).await?;
        audit::record(
            tx,
            self,
            ctx,
            "lift",
            "patron_block",
            before.id,
            Some(before),
            after.as_ref(),
        )
        .await
    }

    /// Lifts a manual block of patron `patron_id`.
    pub async fn lift_patron_block(&self, ctx: &Ctx, patron_id: i64, block_id: i64) -> Result<()> {
        ctx.actor.require(Permission::EditPatrons)?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = tx
            .patron_block(block_id)
            .await?
            .filter(|b| b.patron_id == patron_id && b.lifted_at.is_none())
            .ok_or_else(|| Error::not_found("block"))?;
        self.lift_block_audited(tx, ctx, &before).await?;
        w.commit().await?;
        Ok(())
    }

    /// The card numbering settings (permission `manage-policies`).
    pub async fn card_settings(&self, ctx: &Ctx) -> Result<CardSchemeForm> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let mut r = self.store().read().await?;
        Ok(CardSchemeForm::from_scheme(&card_scheme(r.as_mut()).await?))
    }

    /// Changes the card numbering (new cards only; existing cards stay valid).
    pub async fn set_card_settings(
        &self,
        ctx: &Ctx,
        form: &CardSchemeForm,
    ) -> Result<CardSchemeForm> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let scheme = form.parse()?;
        let saved = CardSchemeForm::from_scheme(&scheme);
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = CardSchemeForm::from_scheme(&card_scheme(tx).await?);
        tx.put_setting(SET_PREFIX, &saved.prefix).await?;
        tx.put_setting(SET_LENGTH, &saved.length).await?;
        tx.put_setting(SET_CHECK, &saved.check).await?;
        #[derive(Serialize)]
        struct SchemeAudit<'a> {
            prefix: &'a str,
            length: &'a str,
            check: &'a str,
        }
        fn a(f: &CardSchemeForm) -> SchemeAudit<'_> {
            SchemeAudit {
                prefix: &f.prefix,
                length: &f.length,
                check: &f.check,
            }
        }
        audit::record(
            tx,
            self,
            ctx,
            "update",
            "setting",
            SET_PREFIX,
            Some(&a(&before)),
            Some(&a(&saved)),
        )
        .await?;
        w.commit().await?;
        Ok(saved)
    }

    /// Removes the patron link of returned, settled loans older than the
    /// retention period, unless the patron keeps a reading history
    /// (`quire_domain::circ::privacy`). Returns how many were anonymised.
    /// Runs as the system; staff need `manage-policies` to start it.
    pub async fn anonymise_returned_loans(&self, ctx: &Ctx) -> Result<u64> {
        // One use case for the CLI, the periodic sweep and this entry point.
        self.anonymise_attributed_loans(ctx, None).await
    }
}

/// Anonymises a loan just closed at checkin when the privacy rules say so
/// (retention 0 days, settled, patron not keeping history).
/// `keeps`: the patron keeps a reading history; `keep_days`: the library's
/// retention (`CircConfig::keep_days`).
pub(crate) async fn anonymise_at_checkin(
    tx: &mut dyn Tx,
    loan_id: i64,
    keeps: bool,
    keep_days: u32,
    owed_minor: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let anon = must_anonymise(
        &ClosedLoan {
            returned_at: now,
            settled: owed_minor <= 0,
            anonymised: false,
        },
        Retention {
            keep_days,
            patron_keeps_history: keeps,
        },
        now,
    );
    if anon {
        tx.anonymise_loan(loan_id).await?;
    }
    Ok(anon)
}

/// A refusal for a replaced card presented at the desk, if it is one.
pub(crate) async fn replaced_card_refusal(tx: &mut dyn Tx, barcode: &str) -> Result<Option<Error>> {
    Ok(tx.old_card(barcode).await?.map(|c| {
        Error::refused(vec![quire_domain::circ::decide::Refusal {
            code: quire_domain::circ::decide::RefusalCode::CardLost,
            args: vec![("reason", c.reason)],
            overridable: false,
        }])
    }))
}

async fn next_card(tx: &mut dyn Tx, scheme: &BarcodeScheme) -> Result<String> {
    loop {
        let next: u64 = tx
            .setting(SET_SEQ)
            .await?
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        tx.put_setting(SET_SEQ, &(next + 1).to_string()).await?;
        let candidate = scheme
            .generate(next)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("card number: {e}")))?;
        if tx.patron_by_barcode(&candidate).await?.is_none()
            && tx.old_card(&candidate).await?.is_none()
        {
            return Ok(candidate);
        }
    }
}

async fn check_duplicates(tx: &mut dyn Tx, p: &NewPatron, exclude: Option<i64>) -> Result<()> {
    let birth = p.birth_date.map(ymd);
    let dups = tx
        .duplicate_patrons(
            &p.first_name,
            &p.last_name,
            birth.as_deref(),
            p.email.as_deref(),
            exclude,
        )
        .await?;
    if dups.is_empty() {
        return Ok(());
    }
    let list = dups
        .iter()
        .map(|d| format!("{} {} ({})", d.first_name, d.last_name, d.barcode))
        .collect::<Vec<_>>()
        .join(", ");
    let mut e = Error::new(ErrorCode::Conflict, format!("possible duplicate of {list}"));
    e.fields = vec![FieldError::new("confirm_duplicate", "possible-duplicate").with_arg(list)];
    Err(e)
}

fn update_of<'a>(
    p: &'a NewPatron,
    branch_id: i64,
    expires: &'a str,
    birth: Option<&'a str>,
    now: DateTime<Utc>,
) -> PatronUpdate<'a> {
    PatronUpdate {
        first_name: &p.first_name,
        last_name: &p.last_name,
        category: &p.category,
        home_branch_id: branch_id,
        email: p.email.as_deref(),
        phone: p.phone.as_deref(),
        birth_date: birth,
        preferred_locale: p.preferred_locale.map(|l| l.tag()),
        expires_on: expires,
        address: p.address.as_deref(),
        guardian: p.guardian.as_deref(),
        notice_pref: p.notice_pref.as_str(),
        keep_history: p.keep_history,
        now,
    }
}
