//! Branches (library units), opening hours and shelving locations.

use chrono_tz::Tz;
use quire_domain::FieldError;
use quire_domain::org::{BranchForm, BranchInput, LocationInput, OpeningInterval, WeeklyHours};
use quire_domain::staff::Permission;
use quire_store::model::{BranchRow, LocationRow, OpeningHoursRow};
use serde::Serialize;

use crate::{Ctx, Error, Library, Result, audit};

/// A branch with its weekly hours and locations (detail page / API).
#[derive(Debug, Clone, Serialize)]
pub struct BranchDetail {
    pub branch: BranchRow,
    pub hours: Vec<OpeningHoursRow>,
    pub locations: Vec<LocationRow>,
}

fn check_timezone(input: &BranchInput) -> Result<()> {
    input
        .timezone
        .parse::<Tz>()
        .map(|_| ())
        .map_err(|_| FieldError::new("timezone", "invalid-timezone").into())
}

fn map_dup(e: quire_store::StoreError) -> Error {
    match e {
        quire_store::StoreError::Duplicate(_) => Error::duplicate("code"),
        other => other.into(),
    }
}

impl Library {
    /// Every branch; readable by any staff member.
    pub async fn branches(&self, ctx: &Ctx) -> Result<Vec<BranchRow>> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut tx = self.store().read().await?;
        Ok(tx.branches().await?)
    }

    pub async fn branch(&self, ctx: &Ctx, id: i64) -> Result<BranchDetail> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut tx = self.store().read().await?;
        let branch = tx
            .branch(id)
            .await?
            .ok_or_else(|| Error::not_found("branch"))?;
        Ok(BranchDetail {
            hours: tx.opening_hours(id).await?,
            locations: tx.locations(Some(id)).await?,
            branch,
        })
    }

    pub async fn create_branch(
        &self,
        ctx: &Ctx,
        form: &BranchForm,
        parent_code: Option<&str>,
    ) -> Result<BranchRow> {
        ctx.actor.require(Permission::ManageBranches)?;
        let input = form.parse()?;
        check_timezone(&input)?;
        let mut tx = self.store().begin().await?;
        let parent_id = match parent_code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(
                tx.branch_by_code(&code.to_ascii_uppercase())
                    .await?
                    .ok_or_else(|| Error::field("parent", "unknown-branch"))?
                    .id,
            ),
            None => None,
        };
        let id = tx
            .insert_branch(
                parent_id,
                input.code.as_str(),
                &input.name,
                input.kind.as_str(),
                &input.timezone,
                input.address.as_deref(),
                input.phone.as_deref(),
                input.email.as_deref(),
                self.now(),
            )
            .await
            .map_err(map_dup)?;
        let row = tx
            .branch(id)
            .await?
            .ok_or_else(|| Error::not_found("branch"))?;
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            ctx,
            "create",
            "branch",
            id,
            None,
            Some(&row),
        )
        .await?;
        crate::config_cache::bump(tx.as_mut()).await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn update_branch(&self, ctx: &Ctx, id: i64, form: &BranchForm) -> Result<BranchRow> {
        ctx.actor.require(Permission::ManageBranches)?;
        let input = form.parse()?;
        check_timezone(&input)?;
        let mut tx = self.store().begin().await?;
        let before = tx
            .branch(id)
            .await?
            .ok_or_else(|| Error::not_found("branch"))?;
        tx.update_branch(
            id,
            input.code.as_str(),
            &input.name,
            input.kind.as_str(),
            &input.timezone,
            input.address.as_deref(),
            input.phone.as_deref(),
            input.email.as_deref(),
            self.now(),
        )
        .await
        .map_err(map_dup)?;
        let after = tx
            .branch(id)
            .await?
            .ok_or_else(|| Error::not_found("branch"))?;
        audit::record(
            tx.as_mut(),
            self,
            ctx,
            "update",
            "branch",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        crate::config_cache::bump(tx.as_mut()).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Replaces a branch's weekly opening hours.
    pub async fn set_opening_hours(
        &self,
        ctx: &Ctx,
        id: i64,
        intervals: Vec<OpeningInterval>,
    ) -> Result<Vec<OpeningHoursRow>> {
        ctx.actor.require(Permission::ManageBranches)?;
        let hours = WeeklyHours::new(intervals)?;
        let rows: Vec<(i64, i64, i64)> = hours
            .intervals()
            .iter()
            .map(|i| {
                (
                    i64::from(i.weekday),
                    i64::from(i.opens.minutes()),
                    i64::from(i.closes.minutes()),
                )
            })
            .collect();
        let mut tx = self.store().begin().await?;
        tx.branch(id)
            .await?
            .ok_or_else(|| Error::not_found("branch"))?;
        let before = tx.opening_hours(id).await?;
        tx.replace_opening_hours(id, &rows).await?;
        let after = tx.opening_hours(id).await?;
        audit::record(
            tx.as_mut(),
            self,
            ctx,
            "set-hours",
            "branch",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        crate::config_cache::bump(tx.as_mut()).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn create_location(
        &self,
        ctx: &Ctx,
        branch_id: i64,
        input: &LocationInput,
    ) -> Result<LocationRow> {
        ctx.actor.require(Permission::ManageBranches)?;
        let mut tx = self.store().begin().await?;
        tx.branch(branch_id)
            .await?
            .ok_or_else(|| Error::field("branch", "unknown-branch"))?;
        let id = tx
            .insert_location(
                branch_id,
                input.code.as_str(),
                &input.name,
                input.circulates,
                input.holdable,
                input.public,
            )
            .await
            .map_err(map_dup)?;
        let row = tx
            .locations(Some(branch_id))
            .await?
            .into_iter()
            .find(|l| l.id == id)
            .ok_or_else(|| Error::not_found("location"))?;
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            ctx,
            "create",
            "location",
            id,
            None,
            Some(&row),
        )
        .await?;
        crate::config_cache::bump(tx.as_mut()).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Figures for the staff dashboard.
    pub async fn dashboard(&self, ctx: &Ctx) -> Result<Dashboard> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut tx = self.store().read().await?;
        Ok(Dashboard {
            branches: tx.count("branches").await?,
            locations: tx.count("locations").await?,
            staff: tx.count("staff_users").await?,
            active_sessions: tx.count("sessions").await?,
            records: tx.count_records().await?,
            items: tx.count("items").await?,
            patrons: tx.count("patrons").await?,
            quarantined: tx.count_open_quarantine().await?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub branches: i64,
    pub locations: i64,
    pub staff: i64,
    pub active_sessions: i64,
    pub records: i64,
    pub items: i64,
    pub patrons: i64,
    /// Quarantined records waiting for review.
    pub quarantined: i64,
}

/// What the public catalog shows about a branch: name, contact, hours.
#[derive(Debug, Clone, Serialize)]
pub struct PublicBranch {
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hours: Vec<OpeningHoursRow>,
}

impl Library {
    /// Branches with opening hours, for the public catalog (no login).
    pub async fn public_branches(&self) -> Result<Vec<PublicBranch>> {
        let mut tx = self.store().read().await?;
        let mut out = Vec::new();
        for b in tx.branches().await? {
            if b.kind != "branch" {
                continue;
            }
            let hours = tx.opening_hours(b.id).await?;
            out.push(PublicBranch {
                code: b.code,
                name: b.name,
                address: b.address,
                phone: b.phone,
                email: b.email,
                hours,
            });
        }
        Ok(out)
    }
}
