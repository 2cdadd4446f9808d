//! Lost and claims-returned loans (issue 5), the patron's reading history
//! and the privacy sweep.
//!
//! Marking a loan lost or claims returned keeps the loan open (the item
//! status says which) and writes a `loan_marks` row with the reason:
//! * lost: the overdue fine accrued so far is charged and stops there, the
//!   replacement cost (the item's price, else the rule's
//!   `lost_replacement_fee`) and the rule's processing fee are charged;
//! * claims returned: no charge; the fine stops at the claim (the checkin
//!   charges it up to the claim) and the claim counts towards the patron's
//!   `max_claims_returned` block.
//!
//! Staff with `override-circulation` reverse a mark (the lost charges are
//! credited back). At checkin the mark is resolved: a lost item found gets
//! the rule's `lost_found` treatment of its replacement fee (refund, keep,
//! waive the unpaid part); a claim found is cleared. Every change is
//! audited in the same transaction.

use chrono::{DateTime, Duration, Utc};
use quire_domain::circ::decide::{ItemSnapshot, Refusal, RefusalCode};
use quire_domain::circ::fines::{lost_bill, lost_found_credit, overdue_fine};
use quire_domain::circ::policy::{Lookup, LostFound, Policy, resolve};
use quire_domain::circ::privacy::{ClosedLoan, Retention, must_anonymise};
use quire_domain::circ::status::{ItemEvent, ItemStatus, transition};
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::circ::{FeeWrite, LoanRow};
use quire_store::loss::{HistoryRow, LoanMarkRow, LoanMarkWrite};
use serde::Serialize;

use crate::circulation::{branch_row, calendar, code, load_rules};
use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Fees-ledger kind of a lost item's replacement cost.
pub const FEE_LOST_REPLACEMENT: &str = "lost-replacement";
/// Fees-ledger kind of a lost item's processing fee.
pub const FEE_LOST_PROCESSING: &str = "lost-processing";
/// Credit of a lost item found (refund or waiver of the replacement cost).
pub const FEE_LOST_FOUND: &str = "lost-found";
/// Credit of the charges of a lost mark reversed by staff.
pub const FEE_LOST_REVERSED: &str = "lost-reversed";

/// Longest reason accepted.
const REASON_MAX: usize = 500;
/// Reading history page size.
pub const HISTORY_PAGE: i64 = 25;

/// What staff mark a loan as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkKind {
    Lost,
    ClaimsReturned,
}

impl MarkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Lost => "lost",
            MarkKind::ClaimsReturned => "claims-returned",
        }
    }

    /// `lost` or `claims-returned`; else a `kind` field error.
    pub fn parse(raw: &str) -> Result<MarkKind> {
        match raw.trim() {
            "lost" => Ok(MarkKind::Lost),
            "claims-returned" => Ok(MarkKind::ClaimsReturned),
            _ => Err(Error::field("kind", "invalid-choice")),
        }
    }
}

/// A mark just made or reversed.
#[derive(Debug, Clone, Serialize)]
pub struct MarkView {
    pub mark: LoanMarkRow,
    pub loan: LoanRow,
    pub item_barcode: String,
    pub title: String,
    pub patron_barcode: String,
    /// Item status afterwards.
    pub item_status: String,
    /// Charged (lost) or credited (reversed) by this operation, minor units.
    pub amount_minor: i64,
    /// The patron's balance afterwards.
    pub balance_minor: i64,
}

/// What a checkin resolved (see [`crate::circulation::CheckinView`]).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckinResolution {
    /// `lost-found`, `claims-returned-found` or `missing-found`.
    pub resolved: Option<String>,
    /// Lost found: `refund`, `keep` or `waive-unpaid` (the rule's setting).
    pub lost_found: Option<String>,
    /// Lost found: credited to the patron (minor units).
    pub credit_minor: i64,
    /// Still owed for the loan's lost charges (privacy: keeps the link).
    #[serde(skip)]
    pub(crate) owed_minor: i64,
}

/// One page of a reading history.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingHistory {
    pub rows: Vec<HistoryRow>,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The patron keeps a history (opted in).
    pub keep_history: bool,
}

fn reason_text(field: &'static str, raw: &str) -> Result<String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Error::field(field, "required"));
    }
    if t.chars().count() > REASON_MAX {
        return Err(Error::from(quire_domain::error::Invalid::one(
            quire_domain::error::FieldError::new(field, "too-long").with_arg(REASON_MAX),
        )));
    }
    Ok(t.to_owned())
}

fn not_on_loan() -> Error {
    Error::refused(vec![Refusal {
        code: RefusalCode::NotOnLoan,
        args: Vec::new(),
        overridable: false,
    }])
}

fn item_status(raw: &str) -> Result<ItemStatus> {
    ItemStatus::parse(raw)
        .map_err(|_| Error::new(ErrorCode::Internal, format!("unknown item status {raw:?}")))
}

/// The policy of an open loan: its patron's category, the item type, at
/// the checkout branch.
async fn loan_policy(
    tx: &mut dyn Tx,
    loan: &LoanRow,
    category: &str,
    item_type: &str,
) -> Result<Policy> {
    let rules = load_rules(tx).await?;
    let lb = branch_row(tx, loan.checkout_branch_id).await?;
    Ok(resolve(
        &rules,
        &Lookup {
            patron_category: code("category", category)?,
            item_type: code("item_type", item_type)?,
            branch: code("branch", &lb.code)?,
        },
    )
    .policy)
}

/// Before deciding a checkin: the open mark of the item's loan, and for a
/// claim the time fines stopped (`LoanSnapshot::claimed_returned_at`).
pub(crate) async fn mark_for_checkin(
    tx: &mut dyn Tx,
    is: &mut ItemSnapshot,
) -> Result<Option<LoanMarkRow>> {
    if !matches!(is.status, ItemStatus::Lost | ItemStatus::ClaimsReturned) {
        return Ok(None);
    }
    let Some(loan) = is.loan.as_mut() else {
        return Ok(None);
    };
    let mark = tx.open_loan_mark(loan.id).await?;
    if let Some(m) = mark.as_ref().filter(|m| m.kind == "claims-returned") {
        loan.claimed_returned_at = Some(m.marked_at);
    }
    Ok(mark)
}

/// The policy's lost-found setting as the domain's checkin wants it.
/// `lost_marked`: the loan has a lost mark, whose fine up to the loss was
/// charged when it was marked; a long-overdue (or unmarked lost) item is
/// charged its overdue fine up to the return.
pub(crate) fn lost_return_policy(
    policy: Option<&Policy>,
    lost_marked: bool,
) -> quire_domain::circ::decide::LostReturnPolicy {
    quire_domain::circ::decide::LostReturnPolicy {
        refund_replacement: policy.is_none_or(|p| p.lost_found != LostFound::Keep),
        charge_overdue_fine: !lost_marked,
    }
}

impl Library {
    /// Marks the open loan of an item lost or claims returned, with the
    /// reason (permission `circulate`; audited). See the module docs.
    pub async fn mark_loan(
        &self,
        ctx: &Ctx,
        item_barcode: &str,
        kind: MarkKind,
        reason: &str,
    ) -> Result<MarkView> {
        ctx.actor.require(Permission::Circulate)?;
        let reason = reason_text("reason", reason)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let item = self.item_for_circ(tx, item_barcode).await?;
        let loan = tx
            .open_loan_of_item(item.id)
            .await?
            .ok_or_else(not_on_loan)?;
        let patron = match loan.patron_id {
            Some(id) => tx.patron(id).await?,
            None => None,
        }
        .ok_or_else(|| Error::not_found("patron"))?;
        let (mark, new_status, amount) = self
            .apply_mark(tx, ctx, &item, &loan, &patron, kind, &reason, now)
            .await?;
        let view = self
            .mark_view(tx, mark, loan, item, patron.barcode, new_status, amount)
            .await?;
        w.commit().await?;
        Ok(view)
    }

    /// Marks `loan` (open, of `item` and `patron`) lost or claims returned
    /// inside the caller's transaction: the status change, the charges of
    /// a lost mark, the `loan_marks` row and the audit entry. Shared by
    /// the desk ([`Library::mark_loan`]) and the overdue escalation sweep.
    /// Returns the mark, the item's new status and the amount charged.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn apply_mark(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        item: &quire_store::catalog::ItemRow,
        loan: &LoanRow,
        patron: &quire_store::catalog::PatronRow,
        kind: MarkKind,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(LoanMarkRow, ItemStatus, i64)> {
        let label = ctx.actor.label();
        let status = item_status(&item.status)?;
        let event = match kind {
            MarkKind::Lost => ItemEvent::DeclareLost,
            MarkKind::ClaimsReturned => ItemEvent::ClaimReturned,
        };
        let new_status = transition(status, event).map_err(|_| {
            Error::refused(vec![Refusal {
                code: RefusalCode::ItemNotAvailable,
                args: vec![("status", status.as_str().to_owned())],
                overridable: false,
            }])
        })?;
        // A claim that becomes lost: the fine stopped at the claim.
        let previous = tx.open_loan_mark(loan.id).await?;
        let mut fine_end = now;
        if let Some(p) = &previous {
            if p.kind == "claims-returned" {
                fine_end = fine_end.min(p.marked_at);
            }
            tx.clear_loan_mark(p.id, now, "lost", &label, Some(reason))
                .await?;
        }
        let (mut replacement, mut processing, mut fine) = (0, 0, 0);
        if kind == MarkKind::Lost {
            let policy = loan_policy(tx, loan, &patron.category, &item.item_type).await?;
            let lb = branch_row(tx, loan.checkout_branch_id).await?;
            let cal = calendar(tx, &lb).await?;
            fine = overdue_fine(
                loan.due_at,
                fine_end,
                &policy,
                &cal,
                policy.fines_skip_closed_days,
            )
            .amount;
            let bill = lost_bill(item.price_minor, policy.lost_replacement_fee, &policy);
            replacement = bill.replacement;
            processing = bill.processing_fee;
            for (kind, amount) in [
                (crate::circulation::FEE_OVERDUE, fine),
                (FEE_LOST_REPLACEMENT, replacement),
                (FEE_LOST_PROCESSING, processing),
            ] {
                if amount > 0 {
                    tx.insert_fee(&FeeWrite {
                        patron_id: patron.id,
                        loan_id: Some(loan.id),
                        item_id: Some(item.id),
                        kind,
                        amount_minor: amount,
                        note: Some(reason),
                        created_at: now,
                        created_by: &label,
                    })
                    .await?;
                }
            }
        }
        let mark_id = tx
            .insert_loan_mark(&LoanMarkWrite {
                loan_id: loan.id,
                patron_id: patron.id,
                kind: kind.as_str(),
                reason,
                marked_at: now,
                marked_by: &label,
                replacement_minor: replacement,
                processing_minor: processing,
                fine_minor: fine,
            })
            .await?;
        tx.set_item_status(item.id, new_status.as_str(), now)
            .await?;
        tx.push_outbox("record", item.record_id, "upsert", now)
            .await?;
        let mark = tx
            .open_loan_mark(loan.id)
            .await?
            .filter(|m| m.id == mark_id)
            .ok_or_else(|| Error::not_found("mark"))?;
        audit::record(
            tx,
            self,
            ctx,
            match kind {
                MarkKind::Lost => "mark-lost",
                MarkKind::ClaimsReturned => "claim-returned",
            },
            "loan",
            loan.id,
            previous.as_ref(),
            Some(&mark),
        )
        .await?;
        Ok((mark, new_status, replacement + processing + fine))
    }

    /// Reverses the open lost / claims-returned mark of an item's loan with
    /// a note (permission `override-circulation`; audited): the item is
    /// checked out again and the charges of a lost mark are credited.
    pub async fn reverse_loan_mark(
        &self,
        ctx: &Ctx,
        item_barcode: &str,
        note: &str,
    ) -> Result<MarkView> {
        ctx.actor.require(Permission::OverrideCirculation)?;
        let note = reason_text("note", note)?;
        let now = self.now();
        let label = ctx.actor.label();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let item = self.item_for_circ(tx, item_barcode).await?;
        let loan = tx
            .open_loan_of_item(item.id)
            .await?
            .ok_or_else(not_on_loan)?;
        let mark = tx
            .open_loan_mark(loan.id)
            .await?
            .ok_or_else(|| Error::not_found("mark"))?;
        let patron = tx
            .patron(mark.patron_id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let credit = mark.replacement_minor + mark.processing_minor + mark.fine_minor;
        if credit > 0 {
            tx.insert_fee(&FeeWrite {
                patron_id: patron.id,
                loan_id: Some(loan.id),
                item_id: Some(item.id),
                kind: FEE_LOST_REVERSED,
                amount_minor: -credit,
                note: Some(&note),
                created_at: now,
                created_by: &label,
            })
            .await?;
        }
        tx.clear_loan_mark(mark.id, now, "reversed", &label, Some(&note))
            .await?;
        let status = ItemStatus::CheckedOut;
        tx.set_item_status(item.id, status.as_str(), now).await?;
        tx.push_outbox("record", item.record_id, "upsert", now)
            .await?;
        let after = LoanMarkRow {
            cleared_at: Some(now),
            cleared_how: Some("reversed".into()),
            cleared_by: Some(label.clone()),
            cleared_note: Some(note.clone()),
            ..mark.clone()
        };
        audit::record(
            tx,
            self,
            ctx,
            "reverse-mark",
            "loan",
            loan.id,
            Some(&mark),
            Some(&after),
        )
        .await?;
        let view = self
            .mark_view(tx, after, loan, item, patron.barcode, status, credit)
            .await?;
        w.commit().await?;
        Ok(view)
    }

    #[allow(clippy::too_many_arguments)]
    async fn mark_view(
        &self,
        tx: &mut dyn Tx,
        mark: LoanMarkRow,
        loan: LoanRow,
        item: quire_store::catalog::ItemRow,
        patron_barcode: String,
        status: ItemStatus,
        amount_minor: i64,
    ) -> Result<MarkView> {
        let title = tx
            .record(item.record_id)
            .await?
            .map(|r| r.title)
            .unwrap_or_default();
        let balance_minor = tx.fee_balance(mark.patron_id).await?;
        Ok(MarkView {
            mark,
            loan,
            item_barcode: item.barcode,
            title,
            patron_barcode,
            item_status: status.as_str().to_owned(),
            amount_minor,
            balance_minor,
        })
    }

    /// At checkin, after the loan is closed: clears the open mark as found
    /// and, for a lost item, credits the replacement cost as the rule says.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn resolve_mark_at_checkin(
        &self,
        tx: &mut dyn Tx,
        ctx: &Ctx,
        mark: Option<&LoanMarkRow>,
        policy: Option<&Policy>,
        loan_id: i64,
        item_id: i64,
        now: DateTime<Utc>,
    ) -> Result<CheckinResolution> {
        let Some(mark) = mark else {
            return Ok(CheckinResolution::default());
        };
        let label = ctx.actor.label();
        let mut out = CheckinResolution::default();
        if mark.kind == "lost" {
            let mode = policy.map_or(LostFound::Refund, |p| p.lost_found);
            let balance = tx.fee_balance(mark.patron_id).await?;
            let credit = lost_found_credit(mode, mark.replacement_minor, balance);
            if credit > 0 {
                tx.insert_fee(&FeeWrite {
                    patron_id: mark.patron_id,
                    loan_id: Some(loan_id),
                    item_id: Some(item_id),
                    kind: FEE_LOST_FOUND,
                    amount_minor: -credit,
                    note: Some(mode.as_str()),
                    created_at: now,
                    created_by: &label,
                })
                .await?;
            }
            out.resolved = Some("lost-found".into());
            out.lost_found = Some(mode.as_str().into());
            out.credit_minor = credit;
            out.owed_minor =
                (mark.replacement_minor + mark.processing_minor + mark.fine_minor - credit).max(0);
        } else {
            out.resolved = Some("claims-returned-found".into());
        }
        tx.clear_loan_mark(mark.id, now, "found", &label, None)
            .await?;
        Ok(out)
    }

    /// The signed-in patron's reading history, newest first, one page
    /// (1-based) of [`HISTORY_PAGE`].
    pub async fn my_reading_history(&self, ctx: &Ctx, page: i64) -> Result<ReadingHistory> {
        let id = ctx
            .actor
            .patron()
            .map(|p| p.patron_id)
            .ok_or_else(|| Error::new(ErrorCode::Unauthenticated, "patron login required"))?;
        let mut r = self.store().read().await?;
        history_page(r.as_mut(), id, page).await
    }

    /// A patron's reading history for staff (permissions `view-patrons`
    /// and `circulate`), only if the patron opted in to keeping one: for
    /// any other patron the page is empty (`keep_history` false), even if
    /// some returned loans are still linked to them (unpaid, or waiting
    /// for the privacy sweep).
    pub async fn patron_reading_history(
        &self,
        ctx: &Ctx,
        patron_barcode: &str,
        page: i64,
    ) -> Result<ReadingHistory> {
        ctx.actor.require(Permission::ViewPatrons)?;
        ctx.actor.require(Permission::Circulate)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = self.patron_for_circ(tx, patron_barcode).await?;
        staff_history_page(tx, patron.id, page).await
    }

    /// [`Library::patron_reading_history`] by patron id, with the patron
    /// (the staff page `/staff/patrons/{id}/history`).
    pub async fn patron_reading_history_by_id(
        &self,
        ctx: &Ctx,
        patron_id: i64,
        page: i64,
    ) -> Result<(quire_store::catalog::PatronRow, ReadingHistory)> {
        ctx.actor.require(Permission::ViewPatrons)?;
        ctx.actor.require(Permission::Circulate)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = tx
            .patron(patron_id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        let h = staff_history_page(tx, patron.id, page).await?;
        Ok((patron, h))
    }

    /// The signed-in patron opts in to (`true`) or out of a reading
    /// history. Opting out anonymises their returned, settled loans now and
    /// must be `confirmed` (field `confirm`). Returns how many loans were
    /// anonymised.
    pub async fn set_my_keep_history(&self, ctx: &Ctx, keep: bool, confirmed: bool) -> Result<u64> {
        if !keep && !confirmed {
            return Err(Error::field("confirm", "required"));
        }
        let id = ctx
            .actor
            .patron()
            .map(|p| p.patron_id)
            .ok_or_else(|| Error::new(ErrorCode::Unauthenticated, "patron login required"))?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = tx.patron_extra(id).await?.is_some_and(|e| e.keep_history);
        tx.set_keep_history(id, keep, now).await?;
        let mut n = 0u64;
        if !keep {
            for l in tx.attributed_loans_of(id).await? {
                if must_anonymise(
                    &ClosedLoan {
                        returned_at: l.returned_at,
                        settled: l.owed_minor <= 0,
                        anonymised: false,
                    },
                    Retention {
                        keep_days: 0,
                        patron_keeps_history: false,
                    },
                    now,
                ) {
                    tx.anonymise_loan(l.id).await?;
                    n += 1;
                }
            }
            if n > 0 {
                tx.detach_anonymised_marks().await?;
            }
        }
        audit::record(
            tx,
            self,
            ctx,
            "set-keep-history",
            "patron",
            id,
            Some(&serde_json::json!({ "keep_history": before })),
            Some(&serde_json::json!({ "keep_history": keep, "anonymised": n })),
        )
        .await?;
        w.commit().await?;
        Ok(n)
    }

    /// The privacy sweep: returned, settled loans still attributed to a
    /// patron who does not keep a reading history are anonymised when
    /// returned at least `older_than_days` ago (`None`: the library's
    /// retention setting). Permission `manage-policies` (the server's
    /// periodic sweep runs as the system). Returns how many were anonymised.
    pub async fn anonymise_attributed_loans(
        &self,
        ctx: &Ctx,
        older_than_days: Option<u32>,
    ) -> Result<u64> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let now = self.now();
        let mut after = 0i64;
        let mut done = 0u64;
        loop {
            let mut w = self.store().begin().await?;
            let tx = w.as_mut();
            let keep_days = match older_than_days {
                Some(d) => d,
                None => tx
                    .setting(crate::patrons::SET_KEEP_DAYS)
                    .await?
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
            };
            let before = now - Duration::days(i64::from(keep_days));
            let rows = tx.attributed_loans(before, after, 500).await?;
            let mut n = 0u64;
            for l in &rows {
                after = after.max(l.id);
                if must_anonymise(
                    &ClosedLoan {
                        returned_at: l.returned_at,
                        settled: l.owed_minor <= 0,
                        anonymised: false,
                    },
                    Retention {
                        keep_days,
                        patron_keeps_history: false,
                    },
                    now,
                ) {
                    tx.anonymise_loan(l.id).await?;
                    n += 1;
                }
            }
            if n > 0 {
                tx.detach_anonymised_marks().await?;
                audit::record::<(), _>(
                    tx,
                    self,
                    ctx,
                    "anonymise",
                    "loan",
                    0,
                    None,
                    Some(&serde_json::json!({ "anonymised": n, "older_than_days": keep_days })),
                )
                .await?;
            }
            w.commit().await?;
            done += n;
            if rows.len() < 500 {
                return Ok(done);
            }
        }
    }
}

/// A history page for staff: empty unless the patron keeps a history.
async fn staff_history_page(tx: &mut dyn Tx, patron_id: i64, page: i64) -> Result<ReadingHistory> {
    let keeps = tx
        .patron_extra(patron_id)
        .await?
        .is_some_and(|e| e.keep_history);
    if !keeps {
        return Ok(ReadingHistory {
            rows: Vec::new(),
            page: 1,
            pages: 1,
            total: 0,
            keep_history: false,
        });
    }
    history_page(tx, patron_id, page).await
}

async fn history_page(tx: &mut dyn Tx, patron_id: i64, page: i64) -> Result<ReadingHistory> {
    let total = tx.count_reading_history(patron_id).await?;
    let pages = ((total + HISTORY_PAGE - 1) / HISTORY_PAGE).max(1);
    let page = page.clamp(1, pages);
    let rows = tx
        .reading_history(patron_id, HISTORY_PAGE, (page - 1) * HISTORY_PAGE)
        .await?;
    let keep_history = tx
        .patron_extra(patron_id)
        .await?
        .is_some_and(|e| e.keep_history);
    Ok(ReadingHistory {
        rows,
        page,
        pages,
        total,
        keep_history,
    })
}
