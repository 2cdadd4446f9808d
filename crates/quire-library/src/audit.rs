//! The append-only audit log: who changed what, when, before and after.

use quire_domain::staff::Permission;
use quire_store::Tx;
use quire_store::model::{AuditFilter, AuditRow, NewAudit};
use serde::Serialize;

use crate::{Ctx, Library, Result};

/// Every action name the audit log uses (translated as `audit-action-<name>`).
pub const ACTIONS: &[&str] = &[
    "create",
    "update",
    "login",
    "logout",
    "enable",
    "disable",
    "set-roles",
    "reset-password",
    "change-password",
    "set-locale",
    "set-hours",
    "revoke",
    "import",
    "discard",
    "checkout",
    "checkin",
    "renew",
    "remove",
    "delete",
    "replace-card",
    "set-pin",
    "lift",
    "anonymise",
    "place-hold",
    "cancel-hold",
    "suspend-hold",
    "resume-hold",
    "change-pickup",
    "capture-hold",
    "release-hold",
    "fulfil-hold",
    "expire-hold",
    "hold-ready",
    "send-transit",
    "receive-transit",
    "change-pin",
    "resend",
    "pay",
    "waive",
    "charge",
    "shelve",
    "auto-shelve",
    "inventory",
    "mark-missing",
    "mark-lost",
    "claim-returned",
    "reverse-mark",
    "mark-long-overdue",
    "set-keep-history",
];

/// Every entity kind the audit log records (translated as `entity-<name>`).
pub const ENTITIES: &[&str] = &[
    "staff_user",
    "branch",
    "location",
    "api_token",
    "import_job",
    "record",
    "item",
    "patron",
    "quarantine",
    "loan",
    "circ_rule",
    "z_target",
    "sip2_account",
    "sort_bin",
    "patron_block",
    "closed_day",
    "setting",
    "hold",
    "transit",
    "notice",
    "fee",
    "inventory_run",
];

/// Appends one audit entry inside the caller's transaction.
pub(crate) async fn record<B: Serialize, A: Serialize>(
    tx: &mut dyn Tx,
    lib: &Library,
    ctx: &Ctx,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<()> {
    debug_assert!(
        ACTIONS.contains(&action),
        "audit action {action} missing from ACTIONS"
    );
    debug_assert!(
        ENTITIES.contains(&entity),
        "audit entity {entity} missing from ENTITIES"
    );
    let label = ctx.actor.label();
    tx.append_audit(&NewAudit {
        at: lib.now(),
        actor_user_id: ctx.actor.user_id(),
        actor_label: &label,
        action,
        entity,
        entity_id: Some(entity_id.to_string()),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: after.and_then(|a| serde_json::to_value(a).ok()),
        request_id: ctx.request_id.as_deref(),
    })
    .await?;
    Ok(())
}

impl Library {
    /// Reads the audit log, newest first.
    pub async fn audit_log(&self, ctx: &Ctx, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        ctx.actor.require(Permission::ViewAudit)?;
        let mut tx = self.store().read().await?;
        Ok(tx.audit(filter).await?)
    }
}
