//! Administration of the policy matrix (delete, "what applies?") and of
//! the branch calendars' closed days. Creating and replacing rules is
//! `Library::set_rule` (circulation.rs).

use chrono::NaiveDate;
use quire_domain::circ::policy::{Lookup, Resolution, resolve};
use quire_domain::error::{FieldError, Invalid, optional_text};
use quire_domain::org::Code;
use quire_domain::staff::Permission;
use quire_store::patrons::ClosedDayRow;
use serde::Serialize;

use crate::circulation::load_rules;
use crate::{Ctx, Error, Library, Result, audit};

/// Longest closed range added at once (days).
pub const MAX_CLOSED_RANGE: i64 = 366;

/// Raw fields of the "add closed days" form.
#[derive(Debug, Clone, Default)]
pub struct ClosedDaysForm {
    /// `YYYY-MM-DD`.
    pub from: String,
    /// `YYYY-MM-DD`; empty: the single day `from`.
    pub to: String,
    pub reason: String,
}

impl ClosedDaysForm {
    /// The days of the range (inclusive) and the reason.
    pub fn parse(&self) -> std::result::Result<(Vec<NaiveDate>, Option<String>), Invalid> {
        let mut inv = Invalid::default();
        let date = |field: &'static str, raw: &str| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
                FieldError::new(
                    field,
                    if raw.trim().is_empty() {
                        "required"
                    } else {
                        "invalid-date"
                    },
                )
            })
        };
        let from = inv.check(date("from", &self.from));
        let to = if self.to.trim().is_empty() {
            from.map(Some)
        } else {
            inv.check(date("to", &self.to).map(Some))
        };
        let reason = inv.check(optional_text("reason", &self.reason, 200));
        let (Some(from), Some(Some(to)), Some(reason)) = (from, to, reason) else {
            return Err(inv);
        };
        if to < from {
            return Err(Invalid::one(FieldError::new("to", "before-start")));
        }
        if (to - from).num_days() >= MAX_CLOSED_RANGE {
            return Err(Invalid::one(
                FieldError::new("to", "range-too-long").with_arg(MAX_CLOSED_RANGE),
            ));
        }
        Ok((from.iter_days().take_while(|d| *d <= to).collect(), reason))
    }
}

/// The answer of the "what applies?" tester.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTest {
    pub matched_rule_id: Option<i64>,
    #[serde(skip)]
    pub resolution: Resolution,
    /// Explanation steps as (code, args), translated as `policy-explain-<code>`.
    pub explanation: Vec<(String, Vec<(String, String)>)>,
}

impl Library {
    /// Deletes a rule of the matrix (permission `manage-policies`; audited).
    pub async fn delete_rule(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        let before = tx
            .circ_rule(id)
            .await?
            .ok_or_else(|| Error::not_found("rule"))?;
        tx.delete_circ_rule(id).await?;
        audit::record::<_, ()>(
            tx,
            self,
            ctx,
            "delete",
            "circ_rule",
            id,
            Some(&before),
            None,
        )
        .await?;
        crate::config_cache::bump(w.as_mut()).await?;
        w.commit().await?;
        Ok(())
    }

    /// Which rule applies to a patron category, item type and branch, and why.
    pub async fn test_rules(
        &self,
        ctx: &Ctx,
        patron_category: &str,
        item_type: &str,
        branch: &str,
    ) -> Result<RuleTest> {
        ctx.actor.require(Permission::ManagePolicies)?;
        let mut inv = Invalid::default();
        let mut code = |field: &'static str, raw: &str| {
            inv.check(if raw.trim().is_empty() {
                Err(FieldError::new(field, "required"))
            } else {
                Code::parse(field, raw)
            })
        };
        let (Some(patron_category), Some(item_type), Some(branch)) = (
            code("test_category", patron_category),
            code("test_item_type", item_type),
            code("test_branch", branch),
        ) else {
            return Err(inv.into());
        };
        let mut r = self.store().read().await?;
        let rules = load_rules(r.as_mut()).await?;
        let resolution = resolve(
            &rules,
            &Lookup {
                patron_category,
                item_type,
                branch,
            },
        );
        Ok(RuleTest {
            matched_rule_id: resolution.matched_rule_id,
            explanation: resolution
                .explanation
                .iter()
                .map(|s| {
                    (
                        s.code().to_owned(),
                        s.args()
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                })
                .collect(),
            resolution,
        })
    }

    /// The closed days of a branch (staff area).
    pub async fn closed_days(&self, ctx: &Ctx, branch_id: i64) -> Result<Vec<ClosedDayRow>> {
        ctx.actor.require(Permission::StaffArea)?;
        let mut r = self.store().read().await?;
        Ok(r.closed_days(branch_id).await?)
    }

    /// Closes a branch on a day or a range of days (permission
    /// `manage-branches`); due dates move off these days.
    pub async fn add_closed_days(
        &self,
        ctx: &Ctx,
        branch_id: i64,
        form: &ClosedDaysForm,
    ) -> Result<usize> {
        ctx.actor.require(Permission::ManageBranches)?;
        let (days, reason) = form.parse()?;
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        tx.branch(branch_id)
            .await?
            .ok_or_else(|| Error::not_found("branch"))?;
        for d in &days {
            tx.put_closed_day(
                branch_id,
                &d.format("%Y-%m-%d").to_string(),
                reason.as_deref(),
            )
            .await?;
        }
        #[derive(Serialize)]
        struct Closed<'a> {
            from: String,
            to: String,
            reason: Option<&'a str>,
        }
        let f = |d: Option<&NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        audit::record::<(), _>(
            tx,
            self,
            ctx,
            "create",
            "closed_day",
            branch_id,
            None,
            Some(&Closed {
                from: f(days.first()),
                to: f(days.last()),
                reason: reason.as_deref(),
            }),
        )
        .await?;
        crate::config_cache::bump(w.as_mut()).await?;
        w.commit().await?;
        Ok(days.len())
    }

    /// Re-opens a closed day (permission `manage-branches`).
    pub async fn remove_closed_day(&self, ctx: &Ctx, branch_id: i64, day: &str) -> Result<()> {
        ctx.actor.require(Permission::ManageBranches)?;
        let d = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .map_err(|_| Error::field("day", "invalid-date"))?;
        let day = d.format("%Y-%m-%d").to_string();
        let mut w = self.store().begin().await?;
        let tx = w.as_mut();
        tx.delete_closed_day(branch_id, &day)
            .await
            .map_err(|e| match e {
                quire_store::StoreError::NotFound => Error::not_found("closed day"),
                other => other.into(),
            })?;
        audit::record::<_, ()>(
            tx,
            self,
            ctx,
            "delete",
            "closed_day",
            branch_id,
            Some(&day),
            None,
        )
        .await?;
        crate::config_cache::bump(w.as_mut()).await?;
        w.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_range() {
        let (days, reason) = ClosedDaysForm {
            from: "2026-12-24".into(),
            to: "2026-12-26".into(),
            reason: "Pasko".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(days.len(), 3);
        assert_eq!(reason.as_deref(), Some("Pasko"));
        let one = ClosedDaysForm {
            from: "2026-12-30".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(one.0.len(), 1);
        let err = ClosedDaysForm {
            from: "2026-12-26".into(),
            to: "2026-12-24".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!((err.0[0].field, err.0[0].code), ("to", "before-start"));
        let err = ClosedDaysForm::default().parse().unwrap_err();
        assert_eq!((err.0[0].field, err.0[0].code), ("from", "required"));
        let err = ClosedDaysForm {
            from: "2026-01-01".into(),
            to: "2028-01-01".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(err.0[0].code, "range-too-long");
    }
}
