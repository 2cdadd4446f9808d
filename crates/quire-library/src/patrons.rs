//! Patrons and their library cards.

use chrono::{Datelike, NaiveDate};
use quire_domain::ident::BarcodeScheme;
use quire_domain::patron::PatronForm;
use quire_domain::staff::Permission;
use quire_store::catalog::{PatronRow, PatronWrite};

use crate::auth::hash_password;
use crate::{Ctx, Error, ErrorCode, Library, Result, audit};

/// Library-card numbering: 14-digit Codabar style, type digit 2 (patron),
/// institution 1000, mod-10 check digit. The next sequence number lives in
/// the settings table and advances in the registering transaction.
fn card_scheme() -> Result<BarcodeScheme> {
    BarcodeScheme::codabar14(2, 1000)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("card scheme: {e:?}")))
}

/// Membership length for new registrations.
const MEMBERSHIP_YEARS: i32 = 3;

fn expiry(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        today.year() + MEMBERSHIP_YEARS,
        today.month(),
        today.day().min(28),
    )
    .unwrap_or(today)
}

impl Library {
    /// Registers a patron and issues a card (numbered by Quire unless given).
    pub async fn register_patron(&self, ctx: &Ctx, form: &PatronForm) -> Result<PatronRow> {
        ctx.actor.require(Permission::EditPatrons)?;
        let today = self.now().date_naive();
        let p = form.parse(today)?;
        let pin_hash = match &p.pin {
            Some(pin) => Some(hash_password(pin).await?),
            None => None,
        };
        let scheme = card_scheme()?;
        let mut w = self.store().begin().await?;
        let branch = w
            .branch_by_code(&p.home_branch)
            .await?
            .ok_or_else(|| Error::field("home_branch", "unknown-branch"))?;
        let barcode = match &p.barcode {
            Some(b) => {
                if w.patron_by_barcode(b).await?.is_some() {
                    return Err(Error::duplicate("barcode"));
                }
                b.clone()
            }
            None => loop {
                let next: u64 = w
                    .setting("patron_card_seq")
                    .await?
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                w.put_setting("patron_card_seq", &(next + 1).to_string())
                    .await?;
                let candidate = scheme
                    .generate(next)
                    .map_err(|e| Error::new(ErrorCode::Internal, format!("card number: {e:?}")))?;
                if w.patron_by_barcode(&candidate).await?.is_none() {
                    break candidate;
                }
            },
        };
        let birth = p.birth_date.map(|d| d.format("%Y-%m-%d").to_string());
        let expires = expiry(today).format("%Y-%m-%d").to_string();
        let id = w
            .insert_patron(&PatronWrite {
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
                now: self.now(),
            })
            .await
            .map_err(|e| match e {
                quire_store::StoreError::Duplicate(_) => Error::duplicate("barcode"),
                other => other.into(),
            })?;
        let row = w
            .patron(id)
            .await?
            .ok_or_else(|| Error::not_found("patron"))?;
        audit::record::<(), _>(
            w.as_mut(),
            self,
            ctx,
            "create",
            "patron",
            id,
            None,
            Some(&row),
        )
        .await?;
        w.commit().await?;
        Ok(row)
    }

    /// Finds patrons by card number, name, e-mail or phone.
    pub async fn find_patrons(&self, ctx: &Ctx, q: &str) -> Result<Vec<PatronRow>> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let q = q.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let mut r = self.store().read().await?;
        Ok(r.search_patrons(q, 50).await?)
    }

    pub async fn patron_by_barcode(&self, ctx: &Ctx, barcode: &str) -> Result<PatronRow> {
        ctx.actor.require(Permission::ViewPatrons)?;
        let mut r = self.store().read().await?;
        r.patron_by_barcode(barcode.trim())
            .await?
            .ok_or_else(|| Error::not_found("patron"))
    }
}
