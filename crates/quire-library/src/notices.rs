//! Patron notices: the idempotent sweep that writes due-soon and overdue
//! notices into the outbox (`notices` table), the hook the holds code calls
//! when a hold becomes ready, and the delivery bookkeeping of the sender.
//!
//! Each notice has a `dedupe_key` (unique in the database): the sweep may
//! run any number of times, on any number of nodes, and a notice is
//! generated at most once. A notice stores its arguments and the patron's
//! language; the sender (`quire serve --smtp-url`) renders it with
//! `quire_i18n::notices` and reports back with [`Library::notice_sent`] /
//! [`Library::notice_failed`]. Patrons without an e-mail address get their
//! notice recorded as `skipped` (`no-email`), never sent.
//!
//! ## For the holds code
//! When a hold becomes waiting on the hold shelf, call [`enqueue_hold_ready`]
//! inside the same transaction that changes the hold:
//!
//! ```ignore
//! crate::notices::enqueue_hold_ready(tx, &HoldReady {
//!     hold_id, patron_id, item_id, pickup_branch_id, ready_at: now, pickup_until,
//! }).await?;
//! ```
//!
//! It is idempotent per (hold, ready time).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use quire_domain::notice::{self, NoticeArgs, NoticeKind};
use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::catalog::PatronRow;
use quire_store::portal::{NoticeDelivery, NoticeRow, NoticeWrite};
use serde::Serialize;

use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// How long a sender holds a claimed notice before another may try it.
pub const SEND_LEASE: Duration = Duration::minutes(10);

/// Sweep settings.
#[derive(Debug, Clone)]
pub struct NoticeSettings {
    /// Days before the due date when the due-soon notice goes out.
    pub due_soon_days: i64,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        NoticeSettings { due_soon_days: 2 }
    }
}

/// What one sweep generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub due_soon: u32,
    pub overdue: u32,
    /// Of those, recorded as skipped (no e-mail address).
    pub skipped: u32,
}

/// A notice with its patron's card number (staff outbox page).
#[derive(Debug, Clone, Serialize)]
pub struct NoticeView {
    pub notice: NoticeRow,
    pub patron_barcode: String,
    #[serde(skip)]
    pub args: NoticeArgs,
}

/// A hold that just became ready for pickup.
#[derive(Debug, Clone)]
pub struct HoldReady {
    pub hold_id: i64,
    pub patron_id: i64,
    pub item_id: i64,
    pub pickup_branch_id: i64,
    pub ready_at: DateTime<Utc>,
    /// Last moment the item waits on the hold shelf.
    pub pickup_until: Option<DateTime<Utc>>,
}

fn args_json(a: &NoticeArgs) -> Result<String> {
    serde_json::to_string(a).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
}

/// Parses a stored notice's arguments (unreadable ones come back empty).
pub fn notice_args(n: &NoticeRow) -> NoticeArgs {
    serde_json::from_str(&n.args_json).unwrap_or_default()
}

/// Why a notice is recorded as `skipped` instead of sent.
pub const SKIP_REASONS: &[&str] = &["no-email", "opted-out", "print", "sms"];

/// Writes one notice unless its key exists. `Some(id)` when new.
async fn enqueue(
    tx: &mut dyn Tx,
    patron: &PatronRow,
    kind: NoticeKind,
    key: &str,
    loan_id: Option<i64>,
    hold_id: Option<i64>,
    args: &NoticeArgs,
    now: DateTime<Utc>,
) -> Result<Option<(i64, bool)>> {
    let email = patron
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    // The patron's choice first: only `email` is sent by Quire; `print`
    // notices are kept for staff to print, `sms` has no gateway yet, `none`
    // is an opt-out.
    let pref = tx
        .patron_extra(patron.id)
        .await?
        .map(|x| x.notice_pref)
        .unwrap_or_else(|| "email".to_owned());
    let skip_reason = match pref.as_str() {
        "print" => Some("print"),
        "sms" => Some("sms"),
        // Registration defaults the preference to `none` without an
        // address, so say the more useful thing first.
        _ if email.is_none() => Some("no-email"),
        "none" => Some("opted-out"),
        _ => None,
    };
    let skipped = skip_reason.is_some();
    let locale = patron
        .preferred_locale
        .as_deref()
        .and_then(quire_domain::Locale::from_tag)
        .unwrap_or_default();
    let id = tx
        .insert_notice(&NoticeWrite {
            patron_id: patron.id,
            kind: kind.as_str(),
            dedupe_key: key,
            loan_id,
            hold_id,
            locale: locale.tag(),
            recipient: email,
            args_json: &args_json(args)?,
            status: if skipped { "skipped" } else { "pending" },
            skip_reason,
            created_at: now,
        })
        .await?;
    Ok(id.map(|id| (id, skipped)))
}

fn name(p: &PatronRow) -> String {
    format!("{} {}", p.first_name, p.last_name)
}

/// Enqueues the hold-ready notice for a hold that is now waiting. Call it
/// inside the transaction that puts the hold on the shelf. Returns the new
/// notice id, or `None` when this notice was already generated.
pub async fn enqueue_hold_ready(tx: &mut dyn Tx, h: &HoldReady) -> Result<Option<i64>> {
    let patron = tx
        .patron(h.patron_id)
        .await?
        .ok_or_else(|| Error::not_found("patron"))?;
    let item = tx
        .item(h.item_id)
        .await?
        .ok_or_else(|| Error::not_found("item"))?;
    let title = tx
        .record(item.record_id)
        .await?
        .map(|r| r.title)
        .unwrap_or_default();
    let branch = tx
        .branch(h.pickup_branch_id)
        .await?
        .ok_or_else(|| Error::not_found("branch"))?;
    let args = NoticeArgs {
        patron_name: name(&patron),
        title,
        item_barcode: item.barcode,
        due_at: None,
        pickup_branch: Some(branch.name),
        pickup_until: h.pickup_until,
    };
    let key = notice::hold_notice_key(h.hold_id, h.ready_at);
    Ok(enqueue(
        tx,
        &patron,
        NoticeKind::HoldReady,
        &key,
        None,
        Some(h.hold_id),
        &args,
        h.ready_at,
    )
    .await?
    .map(|(id, _)| id))
}

impl Library {
    /// Generates due-soon notices (loans due within `due_soon_days`) and
    /// overdue notices, as of the library clock's now. Idempotent: every
    /// notice is generated once (per loan, kind and due date).
    pub async fn notice_sweep(&self, ctx: &Ctx, s: &NoticeSettings) -> Result<SweepReport> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let mut report = SweepReport::default();
        let mut patrons: HashMap<i64, PatronRow> = HashMap::new();
        let overdue = tx.open_loans_due_between(None, now).await?;
        let soon = tx
            .open_loans_due_between(Some(now), now + Duration::days(s.due_soon_days.max(0)))
            .await?;
        let all = overdue
            .into_iter()
            .map(|l| (NoticeKind::Overdue, l))
            .chain(soon.into_iter().map(|l| (NoticeKind::DueSoon, l)));
        for (kind, l) in all {
            if s.due_soon_days <= 0 && kind == NoticeKind::DueSoon {
                continue;
            }
            let patron = match patrons.get(&l.patron_id) {
                Some(p) => p.clone(),
                None => {
                    let Some(p) = tx.patron(l.patron_id).await? else {
                        continue;
                    };
                    patrons.insert(p.id, p.clone());
                    p
                }
            };
            let args = NoticeArgs {
                patron_name: name(&patron),
                title: l.title.clone(),
                item_barcode: l.item_barcode.clone(),
                due_at: Some(l.due_at),
                pickup_branch: None,
                pickup_until: None,
            };
            let key = notice::loan_notice_key(kind, l.loan_id, l.due_at);
            if let Some((_, skipped)) =
                enqueue(tx, &patron, kind, &key, Some(l.loan_id), None, &args, now).await?
            {
                match kind {
                    NoticeKind::Overdue => report.overdue += 1,
                    _ => report.due_soon += 1,
                }
                report.skipped += u32::from(skipped);
            }
        }
        w.commit().await?;
        Ok(report)
    }

    /// Pending notices whose (next) attempt is due, oldest first, claimed
    /// for this sender for [`SEND_LEASE`]: a second sender (another node)
    /// does not get them, so a notice is not sent twice. The sender reports
    /// each with [`Library::notice_sent`] or [`Library::notice_failed`].
    pub async fn notices_to_send(&self, ctx: &Ctx, limit: i64) -> Result<Vec<NoticeView>> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let mut claimed = Vec::new();
        for n in w.due_notices(now, limit).await? {
            if w.claim_notice(n.id, now, now + SEND_LEASE).await? {
                claimed.push(n);
            }
        }
        let out = views(w.as_mut(), claimed).await?;
        w.commit().await?;
        Ok(out)
    }

    /// The sender delivered notice `id`.
    pub async fn notice_sent(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let n = w
            .notice(id)
            .await?
            .ok_or_else(|| Error::not_found("notice"))?;
        w.update_notice_delivery(
            id,
            &NoticeDelivery {
                status: "sent",
                attempts: n.attempts + 1,
                last_error: None,
                next_attempt_at: None,
                sent_at: Some(now),
            },
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The sender failed to deliver notice `id`: retry later with backoff
    /// (`quire_domain::notice::retry_at`), or give up (`failed`).
    pub async fn notice_failed(&self, ctx: &Ctx, id: i64, error: &str) -> Result<NoticeRow> {
        ctx.actor.require(Permission::Circulate)?;
        let now = self.now();
        let mut w = self.store().begin().await?;
        let n = w
            .notice(id)
            .await?
            .ok_or_else(|| Error::not_found("notice"))?;
        let attempts = n.attempts + 1;
        let next = notice::retry_at(now, attempts);
        let err: String = error.chars().take(1000).collect();
        w.update_notice_delivery(
            id,
            &NoticeDelivery {
                status: if next.is_some() { "pending" } else { "failed" },
                attempts,
                last_error: Some(&err),
                next_attempt_at: next,
                sent_at: None,
            },
        )
        .await?;
        let row = w
            .notice(id)
            .await?
            .ok_or_else(|| Error::not_found("notice"))?;
        w.commit().await?;
        Ok(row)
    }

    /// The outbox for staff, newest first (permission `view-patrons`).
    pub async fn notices(&self, ctx: &Ctx, status: Option<&str>) -> Result<Vec<NoticeView>> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let status = status.filter(|s| notice::STATUSES.contains(s));
        let mut r = self.store().read().await?;
        let rows = r.notices(status, 200).await?;
        views(r.as_mut(), rows).await
    }

    /// Sends a notice again (permission `circulate`; audited): back to
    /// `pending` with a fresh attempt count. A notice without a recipient
    /// cannot be sent.
    pub async fn resend_notice(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::Circulate)?;
        let mut w = self.store().begin().await?;
        let before = w
            .notice(id)
            .await?
            .ok_or_else(|| Error::not_found("notice"))?;
        if before.recipient.is_none() {
            return Err(Error::new(
                ErrorCode::Conflict,
                "the notice has no recipient (the patron had no e-mail address)",
            ));
        }
        w.update_notice_delivery(
            id,
            &NoticeDelivery {
                status: "pending",
                attempts: 0,
                last_error: None,
                next_attempt_at: None,
                sent_at: None,
            },
        )
        .await?;
        let after = w.notice(id).await?;
        audit::record(
            w.as_mut(),
            self,
            ctx,
            "resend",
            "notice",
            id,
            Some(&before),
            after.as_ref(),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }
}

async fn views(tx: &mut dyn Tx, rows: Vec<NoticeRow>) -> Result<Vec<NoticeView>> {
    let mut cards: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for n in rows {
        let card = match cards.get(&n.patron_id) {
            Some(c) => c.clone(),
            None => {
                let c = tx
                    .patron(n.patron_id)
                    .await?
                    .map(|p| p.barcode)
                    .unwrap_or_default();
                cards.insert(n.patron_id, c.clone());
                c
            }
        };
        out.push(NoticeView {
            args: notice_args(&n),
            notice: n,
            patron_barcode: card,
        });
    }
    Ok(out)
}
