//! Fines and fees: a patron's ledger, payments (partial allowed), waivers
//! and manual fees, and the patron summary the circulation desk shows.
//!
//! The ledger (`fees`) is append-only: charges are positive lines,
//! payments and waivers negative ones, and the balance is their sum. A
//! payment or waiver never takes the balance below zero (no credit): it is
//! refused with `amount`/`exceeds-balance`. Every line is audited in the
//! same transaction.

use chrono::{DateTime, Utc};
use quire_domain::circ::form::parse_money;
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::catalog::PatronRow;
use quire_store::circ::{FeeRow, FeeWrite};

/// One line of the ledger (re-exported for the adapters).
pub use quire_store::circ::FeeRow as FeeLine;
use serde::Serialize;

use crate::circulation::MONEY_DECIMALS;
use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Ledger kind of a manual fee.
pub const FEE_MANUAL: &str = "manual";
/// Ledger kind of a waiver.
pub const FEE_WAIVER: &str = "waiver";
/// Payment methods; the ledger kind of a payment is `payment-<method>`.
pub const PAYMENT_METHODS: &[&str] = &["cash", "card", "other"];
/// Every ledger kind (translated as `fee-kind-<kind>`).
pub const FEE_KINDS: &[&str] = &[
    crate::circulation::FEE_OVERDUE,
    FEE_MANUAL,
    FEE_WAIVER,
    "payment-cash",
    "payment-card",
    "payment-other",
    crate::loss::FEE_LOST_REPLACEMENT,
    crate::loss::FEE_LOST_PROCESSING,
    crate::loss::FEE_LOST_FOUND,
    crate::loss::FEE_LOST_REVERSED,
];

/// Longest note / reason accepted on a ledger line.
const NOTE_MAX: usize = 500;

/// Which patron: by card number (API, desk) or by id (staff pages).
#[derive(Debug, Clone, Copy)]
pub enum PatronRef<'a> {
    Id(i64),
    Barcode(&'a str),
}

/// A patron's ledger.
#[derive(Debug, Clone, Serialize)]
pub struct FeeLedger {
    pub patron: PatronRow,
    /// Every line, oldest first.
    pub lines: Vec<FeeRow>,
    /// The sum of the lines (minor units; positive: the patron owes).
    pub balance_minor: i64,
}

/// A line just written, with the balance after it.
#[derive(Debug, Clone, Serialize)]
pub struct FeePosted {
    pub patron: PatronRow,
    pub line: FeeRow,
    pub balance_minor: i64,
}

fn note_text(field: &'static str, raw: &str, required: bool) -> Result<Option<String>> {
    let t = raw.trim();
    if t.is_empty() {
        return if required {
            Err(Error::field(field, "required"))
        } else {
            Ok(None)
        };
    }
    if t.chars().count() > NOTE_MAX {
        return Err(Error::from(quire_domain::error::Invalid::one(
            quire_domain::error::FieldError::new(field, "too-long").with_arg(NOTE_MAX),
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(Error::field(field, "control-characters"));
    }
    Ok(Some(t.to_owned()))
}

/// Keeps the value, or moves the error's field messages into `inv` (so a
/// form reports every bad field at once).
fn gather<T>(inv: &mut quire_domain::error::Invalid, r: Result<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            inv.0.extend(e.fields);
            None
        }
    }
}

fn positive_amount(raw: &str) -> Result<i64> {
    let v = parse_money("amount", raw, MONEY_DECIMALS)
        .map_err(|e| Error::from(quire_domain::error::Invalid::one(e)))?;
    if v == 0 {
        return Err(Error::field("amount", "must-be-positive"));
    }
    Ok(v)
}

impl Library {
    pub(crate) async fn patron_by_ref(
        &self,
        tx: &mut dyn Tx,
        who: PatronRef<'_>,
    ) -> Result<PatronRow> {
        let p = match who {
            PatronRef::Id(id) => tx.patron(id).await?,
            PatronRef::Barcode(b) => {
                let b = b.trim();
                if b.is_empty() {
                    return Err(Error::field("patron", "required"));
                }
                tx.patron_by_barcode(b).await?
            }
        };
        p.ok_or_else(|| Error::not_found("patron"))
    }

    /// A patron's fees ledger and balance (permission `view-patrons`).
    pub async fn patron_fees(&self, ctx: &Ctx, who: PatronRef<'_>) -> Result<FeeLedger> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = self.patron_by_ref(tx, who).await?;
        let lines = tx.fees_of_patron(patron.id).await?;
        let balance_minor = tx.fee_balance(patron.id).await?;
        Ok(FeeLedger {
            patron,
            lines,
            balance_minor,
        })
    }

    /// One ledger line of a patron (for a receipt; permission `view-patrons`).
    pub async fn fee_line(&self, ctx: &Ctx, who: PatronRef<'_>, fee_id: i64) -> Result<FeePosted> {
        let ledger = self.patron_fees(ctx, who).await?;
        let mut running = 0i64;
        let mut found = None;
        for l in &ledger.lines {
            running = running.saturating_add(l.amount_minor);
            if l.id == fee_id {
                found = Some((l.clone(), running));
                break;
            }
        }
        let (line, balance_minor) = found.ok_or_else(|| Error::not_found("fee"))?;
        Ok(FeePosted {
            patron: ledger.patron,
            line,
            balance_minor,
        })
    }

    /// Takes a payment (permission `handle-fees`): `amount` is a decimal in
    /// major units, at most the balance; `method` one of
    /// [`PAYMENT_METHODS`]. Partial payments are fine.
    pub async fn pay_fees(
        &self,
        ctx: &Ctx,
        who: PatronRef<'_>,
        amount: &str,
        method: &str,
        note: &str,
    ) -> Result<FeePosted> {
        ctx.actor.require(Permission::HandleFees)?;
        let method = method.trim();
        let mut inv = quire_domain::error::Invalid::default();
        let amount = gather(&mut inv, positive_amount(amount));
        if !PAYMENT_METHODS.contains(&method) {
            inv.0.push(quire_domain::error::FieldError::new(
                "method",
                "invalid-choice",
            ));
        }
        let note = gather(&mut inv, note_text("note", note, false)).flatten();
        let Some(amount) = amount.filter(|_| inv.0.is_empty()) else {
            return Err(Error::from(inv));
        };
        let kind = format!("payment-{method}");
        self.post_credit(ctx, who, amount, &kind, note.as_deref(), "pay")
            .await
    }

    /// Waives (forgives) part or all of the balance (permission
    /// `waive-fees`); the reason is required.
    pub async fn waive_fees(
        &self,
        ctx: &Ctx,
        who: PatronRef<'_>,
        amount: &str,
        reason: &str,
    ) -> Result<FeePosted> {
        ctx.actor.require(Permission::WaiveFees)?;
        let mut inv = quire_domain::error::Invalid::default();
        let amount = gather(&mut inv, positive_amount(amount));
        let reason = gather(&mut inv, note_text("reason", reason, true)).flatten();
        let (Some(amount), Some(reason)) = (amount, reason) else {
            return Err(Error::from(inv));
        };
        self.post_credit(ctx, who, amount, FEE_WAIVER, Some(&reason), "waive")
            .await
    }

    async fn post_credit(
        &self,
        ctx: &Ctx,
        who: PatronRef<'_>,
        amount: i64,
        kind: &str,
        note: Option<&str>,
        action: &str,
    ) -> Result<FeePosted> {
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let patron = self.patron_by_ref(tx, who).await?;
        let balance = tx.fee_balance(patron.id).await?;
        if amount > balance {
            return Err(Error::from(quire_domain::error::Invalid::one(
                quire_domain::error::FieldError::new("amount", "exceeds-balance").with_arg(
                    quire_domain::circ::form::format_money(balance.max(0), MONEY_DECIMALS),
                ),
            )));
        }
        let (line, balance_minor) = self
            .post_line(tx, ctx, &patron, -amount, kind, note, action, now)
            .await?;
        w.commit().await?;
        Ok(FeePosted {
            patron,
            line,
            balance_minor,
        })
    }

    /// Adds a manual fee (permission `handle-fees`); the note says what for.
    pub async fn add_fee(
        &self,
        ctx: &Ctx,
        who: PatronRef<'_>,
        amount: &str,
        note: &str,
    ) -> Result<FeePosted> {
        ctx.actor.require(Permission::HandleFees)?;
        let mut inv = quire_domain::error::Invalid::default();
        let amount = gather(&mut inv, positive_amount(amount));
        let note = gather(&mut inv, note_text("note", note, true)).flatten();
        let (Some(amount), Some(note)) = (amount, note) else {
            return Err(Error::from(inv));
        };
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let patron = self.patron_by_ref(tx, who).await?;
        let (line, balance_minor) = self
            .post_line(
                tx,
                ctx,
                &patron,
                amount,
                FEE_MANUAL,
                Some(&note),
                "charge",
                now,
            )
            .await?;
        w.commit().await?;
        Ok(FeePosted {
            patron,
            line,
            balance_minor,
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn post_line(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        patron: &PatronRow,
        amount_minor: i64,
        kind: &str,
        note: Option<&str>,
        action: &str,
        now: DateTime<Utc>,
    ) -> Result<(FeeRow, i64)> {
        let label = ctx.actor.label();
        let id = tx
            .insert_fee(&FeeWrite {
                patron_id: patron.id,
                loan_id: None,
                item_id: None,
                kind,
                amount_minor,
                note,
                created_at: now,
                created_by: &label,
            })
            .await?;
        let line = tx
            .fees_of_patron(patron.id)
            .await?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("fee {id} not written")))?;
        let balance = tx.fee_balance(patron.id).await?;
        #[derive(Serialize)]
        struct FeeAudit<'a> {
            line: &'a FeeRow,
            patron: &'a str,
            balance_minor: i64,
        }
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            action,
            "fee",
            id,
            None,
            Some(&FeeAudit {
                line: &line,
                patron: &patron.barcode,
                balance_minor: balance,
            }),
        )
        .await?;
        Ok((line, balance))
    }
}
