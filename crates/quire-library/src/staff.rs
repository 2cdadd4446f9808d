//! Staff account management.

use quire_domain::Locale;
use quire_domain::staff::{NewPassword, NewStaffForm, Permission, Role, parse_roles};
use quire_store::model::NewStaffRow;
use serde::Serialize;

use crate::auth::{hash_password, identity};
use crate::{Ctx, Error, Library, Result, StaffIdentity, audit};

/// A staff account as listed and shown (no secrets).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub active: bool,
    pub locale: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl Library {
    /// Creates a staff account (admin, or the operator at the CLI).
    pub async fn create_staff(&self, ctx: &Ctx, form: &NewStaffForm) -> Result<StaffUser> {
        ctx.actor.require(Permission::ManageStaff)?;
        let new = form.parse()?;
        let hash = hash_password(new.password.expose()).await?;
        let roles: Vec<&str> = new.roles.iter().map(|r| r.as_str()).collect();
        let mut tx = self.store().begin().await?;
        if tx.staff_by_username(new.username.as_str()).await?.is_some() {
            return Err(Error::duplicate("username"));
        }
        let id = tx
            .insert_staff(&NewStaffRow {
                username: new.username.as_str(),
                display_name: &new.display_name,
                email: new.email.as_deref(),
                password_hash: &hash,
                roles: &roles,
                now: self.now(),
            })
            .await
            .map_err(|e| match e {
                quire_store::StoreError::Duplicate(_) => Error::duplicate("username"),
                other => other.into(),
            })?;
        let user = load(tx.as_mut(), id).await?;
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            ctx,
            "create",
            "staff_user",
            id,
            None,
            Some(&user),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn staff_list(&self, ctx: &Ctx) -> Result<Vec<StaffUser>> {
        ctx.actor.require(Permission::ManageStaff)?;
        let mut tx = self.store().read().await?;
        let rows = tx.staff_list().await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let roles = tx.staff_roles(r.id).await?;
            out.push(to_user(r, roles));
        }
        Ok(out)
    }

    pub async fn staff_user(&self, ctx: &Ctx, id: i64) -> Result<StaffUser> {
        ctx.actor.require(Permission::ManageStaff)?;
        let mut tx = self.store().read().await?;
        load(tx.as_mut(), id).await
    }

    /// Replaces a user's roles. An admin cannot remove their own admin role
    /// (so the library never locks itself out by accident).
    pub async fn set_staff_roles(&self, ctx: &Ctx, id: i64, roles: &[String]) -> Result<StaffUser> {
        ctx.actor.require(Permission::ManageStaff)?;
        let roles = parse_roles(roles)?;
        if ctx.actor.user_id() == Some(id) && !roles.contains(&Role::Admin) {
            return Err(Error::field("roles", "cannot-remove-own-admin"));
        }
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        let mut tx = self.store().begin().await?;
        let before = load(tx.as_mut(), id).await?;
        tx.set_staff_roles(id, &names).await?;
        let after = load(tx.as_mut(), id).await?;
        audit::record(
            tx.as_mut(),
            self,
            ctx,
            "set-roles",
            "staff_user",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Enables or disables an account; disabling ends its sessions.
    pub async fn set_staff_active(&self, ctx: &Ctx, id: i64, active: bool) -> Result<StaffUser> {
        ctx.actor.require(Permission::ManageStaff)?;
        if ctx.actor.user_id() == Some(id) && !active {
            return Err(Error::field("active", "cannot-disable-self"));
        }
        let mut tx = self.store().begin().await?;
        let before = load(tx.as_mut(), id).await?;
        tx.set_staff_active(id, active, self.now()).await?;
        if !active {
            tx.delete_sessions_of(id, None).await?;
        }
        let after = load(tx.as_mut(), id).await?;
        audit::record(
            tx.as_mut(),
            self,
            ctx,
            if active { "enable" } else { "disable" },
            "staff_user",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets another user's password (admin, or the CLI's `reset-password`);
    /// all of that user's sessions end.
    pub async fn reset_staff_password(
        &self,
        ctx: &Ctx,
        username: &str,
        new_password: &str,
    ) -> Result<()> {
        ctx.actor.require(Permission::ManageStaff)?;
        let uname = username.trim().to_ascii_lowercase();
        let pw = NewPassword::parse("password", new_password, Some(&uname))?;
        let hash = hash_password(pw.expose()).await?;
        let mut tx = self.store().begin().await?;
        let user = tx
            .staff_by_username(&uname)
            .await?
            .ok_or_else(|| Error::field("username", "unknown-user"))?;
        tx.set_staff_password(user.id, &hash, self.now()).await?;
        tx.delete_sessions_of(user.id, None).await?;
        tx.clear_login_failures(&format!("user:{uname}")).await?;
        audit::record::<(), ()>(
            tx.as_mut(),
            self,
            ctx,
            "reset-password",
            "staff_user",
            user.id,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves the user's preferred interface language.
    pub async fn set_own_locale(&self, ctx: &Ctx, locale: Option<Locale>) -> Result<()> {
        let Some(uid) = ctx.actor.user_id() else {
            return Ok(());
        };
        let mut tx = self.store().begin().await?;
        tx.set_staff_locale(uid, locale.map(|l| l.tag())).await?;
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            ctx,
            "set-locale",
            "staff_user",
            uid,
            None,
            Some(&locale.map(|l| l.tag())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Identity of a staff member by user name (CLI and tests).
    pub async fn staff_identity(&self, username: &str) -> Result<StaffIdentity> {
        let mut tx = self.store().read().await?;
        let u = tx
            .staff_by_username(&username.trim().to_ascii_lowercase())
            .await?
            .ok_or_else(|| Error::field("username", "unknown-user"))?;
        identity(tx.as_mut(), &u).await
    }
}

async fn load(tx: &mut dyn quire_store::Tx, id: i64) -> Result<StaffUser> {
    let r = tx
        .staff(id)
        .await?
        .ok_or_else(|| Error::not_found("staff user"))?;
    let roles = tx.staff_roles(id).await?;
    Ok(to_user(r, roles))
}

fn to_user(r: quire_store::model::StaffUserRow, roles: Vec<String>) -> StaffUser {
    StaffUser {
        id: r.id,
        username: r.username,
        display_name: r.display_name,
        email: r.email,
        roles,
        active: r.active,
        locale: r.locale,
        created_at: r.created_at,
    }
}
