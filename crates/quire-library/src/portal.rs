//! Patron self-service in the public catalog: login with card number and
//! PIN, OPAC sessions (separate from staff sessions), and the patron's own
//! account: loans, fines, PIN and language.
//!
//! Every method here takes the patron from `ctx.actor` (`Actor::Patron`) and
//! reads only that patron's rows: there is no parameter naming another
//! patron, so a patron cannot ask for someone else's data. Staff actors are
//! refused (`Unauthenticated`): a staff session does not open `/my`.

use chrono::{DateTime, Utc};
use quire_domain::Locale;
use quire_store::Tx;
use quire_store::catalog::PatronRow;
use quire_store::circ::FeeRow;
use quire_store::portal::PatronSessionRow;

use crate::auth::{
    add_failures, check_throttle, hash_password, random_token, token_hash, verify_password,
};
use crate::circulation::{LoanView, current_loan_views};
use crate::{Ctx, Error, ErrorCode, Library, PatronIdentity, Result, audit};

/// A freshly created patron session: the raw token goes into the cookie, once.
#[derive(Debug, Clone)]
pub struct NewPatronSession {
    pub token: String,
    pub identity: PatronIdentity,
    pub expires_at: DateTime<Utc>,
}

/// The patron's money: ledger lines (newest first) and the balance.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MyFines {
    pub lines: Vec<FeeRow>,
    /// What the patron owes (minor units; negative = credit).
    pub balance_minor: i64,
}

/// The patron's own account summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MyAccount {
    pub patron: PatronRow,
    pub loans: Vec<LoanView>,
    pub balance_minor: i64,
}

fn identity(p: &PatronRow) -> PatronIdentity {
    PatronIdentity {
        patron_id: p.id,
        barcode: p.barcode.clone(),
        display_name: format!("{} {}", p.first_name, p.last_name),
        locale: p.preferred_locale.as_deref().and_then(Locale::from_tag),
    }
}

/// The patron of a request, or `Unauthenticated`.
fn me(ctx: &Ctx) -> Result<i64> {
    ctx.actor
        .patron()
        .map(|p| p.patron_id)
        .ok_or_else(|| Error::new(ErrorCode::Unauthenticated, "patron login required"))
}

/// The card number of the request's patron, or `Unauthenticated`.
fn my_card(ctx: &Ctx) -> Result<String> {
    ctx.actor
        .patron()
        .map(|p| p.barcode.clone())
        .ok_or_else(|| Error::new(ErrorCode::Unauthenticated, "patron login required"))
}

async fn my_row(tx: &mut dyn Tx, id: i64) -> Result<PatronRow> {
    tx.patron(id)
        .await?
        .ok_or_else(|| Error::new(ErrorCode::Unauthenticated, "patron no longer exists"))
}

impl Library {
    /// Patron login with card number and PIN. Throttled per card and per
    /// client address (failures counted in the database, keys `card:` and
    /// `patron-ip:`, apart from staff logins). Unknown cards, cards without
    /// a PIN and wrong PINs all answer `BadCredentials` after the same work.
    pub async fn patron_login(
        &self,
        card: &str,
        pin: &str,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<NewPatronSession> {
        let now = self.now();
        let s = self.settings().clone();
        let since = now - s.throttle_window;
        let card = card.trim();
        let card_key = format!("card:{card}");
        let ip_key = ip.map(|i| format!("patron-ip:{i}"));

        let mut tx = self.store().begin().await?;
        let mut limits = vec![(card_key.as_str(), s.max_failures_per_card)];
        if let Some(k) = &ip_key {
            limits.push((k.as_str(), s.max_failures_per_ip));
        }
        if let Err(e) = check_throttle(tx.as_mut(), &limits, since, s.throttle_window).await {
            tx.commit().await?;
            return Err(e);
        }
        let patron = if card.is_empty() {
            None
        } else {
            tx.patron_by_barcode(card).await?
        };
        tx.commit().await?;
        // PINs are argon2id hashes (set at registration); verify outside
        // the transaction, with a dummy hash when there is nothing to check.
        let stored = patron.as_ref().and_then(|p| p.pin_hash.clone());
        let ok = match &stored {
            Some(h) => verify_password(pin, h).await,
            None => {
                let _ = verify_password(pin, &crate::auth::dummy_hash().await).await;
                false
            }
        };
        let mut tx = self.store().begin().await?;
        let patron = match (ok, patron) {
            (true, Some(p)) => p,
            _ => {
                add_failures(tx.as_mut(), &limits, now).await?;
                tx.commit().await?;
                return Err(Error::new(
                    ErrorCode::BadCredentials,
                    "unknown card number or wrong PIN",
                ));
            }
        };
        tx.clear_login_failures(&card_key).await?;
        let token = random_token();
        let expires_at = now + s.patron_session_idle;
        tx.insert_patron_session(&PatronSessionRow {
            token_hash: token_hash(&token),
            patron_id: patron.id,
            created_at: now,
            last_seen_at: now,
            expires_at,
            ip: ip.map(str::to_owned),
            user_agent: user_agent.map(|u| u.chars().take(300).collect()),
        })
        .await?;
        let ident = identity(&patron);
        let ctx = Ctx::patron(ident.clone(), None);
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            &ctx,
            "login",
            "patron",
            patron.id,
            None,
            Some(&serde_json::json!({"ip": ip, "opac": true})),
        )
        .await?;
        tx.delete_expired_patron_sessions(now).await?;
        tx.commit().await?;
        Ok(NewPatronSession {
            token,
            identity: ident,
            expires_at,
        })
    }

    /// Looks a patron session cookie up; extends it (sliding expiry).
    pub async fn patron_session(&self, token: &str) -> Result<Option<PatronIdentity>> {
        let now = self.now();
        let hash = token_hash(token);
        let mut tx = self.store().read().await?;
        let Some(sess) = tx.patron_session(&hash).await? else {
            return Ok(None);
        };
        if sess.expires_at <= now {
            return Ok(None);
        }
        let Some(p) = tx.patron(sess.patron_id).await? else {
            return Ok(None);
        };
        drop(tx);
        if now - sess.last_seen_at > chrono::Duration::minutes(1) {
            let mut w = self.store().begin().await?;
            w.touch_patron_session(&hash, now, now + self.settings().patron_session_idle)
                .await?;
            w.commit().await?;
        }
        Ok(Some(identity(&p)))
    }

    /// Ends a patron session.
    pub async fn patron_logout(&self, ctx: &Ctx, token: &str) -> Result<()> {
        let mut tx = self.store().begin().await?;
        tx.delete_patron_session(&token_hash(token)).await?;
        if let Ok(id) = me(ctx) {
            audit::record::<(), ()>(tx.as_mut(), self, ctx, "logout", "patron", id, None, None)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The signed-in patron's account: their open loans and balance.
    pub async fn my_account(&self, ctx: &Ctx) -> Result<MyAccount> {
        let id = me(ctx)?;
        let mut r = self.store().read().await?;
        let tx = r.as_mut();
        let patron = my_row(tx, id).await?;
        let loans = current_loan_views(tx, &patron).await?;
        let balance_minor = tx.fee_balance(id).await?;
        Ok(MyAccount {
            patron,
            loans,
            balance_minor,
        })
    }

    /// The signed-in patron's fees ledger and balance.
    pub async fn my_fines(&self, ctx: &Ctx) -> Result<MyFines> {
        let id = me(ctx)?;
        let mut r = self.store().read().await?;
        let mut lines = r.fees_of_patron(id).await?;
        lines.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        let balance_minor = r.fee_balance(id).await?;
        Ok(MyFines {
            lines,
            balance_minor,
        })
    }

    /// Renews one of the signed-in patron's loans (by item barcode); the
    /// circulation rules decide as at the desk.
    pub async fn renew_my_loan(&self, ctx: &Ctx, item_barcode: &str) -> Result<LoanView> {
        me(ctx)?;
        self.renew(ctx, item_barcode).await
    }

    /// The patron changes their PIN (the current PIN is required). Their
    /// other OPAC sessions end; `keep_token` stays valid.
    pub async fn change_my_pin(
        &self,
        ctx: &Ctx,
        current: &str,
        new: &str,
        confirm: &str,
        keep_token: Option<&str>,
    ) -> Result<()> {
        let id = me(ctx)?;
        let mut r = self.store().read().await?;
        let patron = my_row(r.as_mut(), id).await?;
        drop(r);
        let ok = match &patron.pin_hash {
            Some(h) => verify_password(current, h).await,
            None => false,
        };
        if !ok {
            return Err(Error::field("current_pin", "wrong-pin"));
        }
        let Some(pin) =
            quire_domain::patron::pin(new).map_err(|_| Error::field("new_pin", "invalid-pin"))?
        else {
            return Err(Error::field("new_pin", "required"));
        };
        if new.trim() != confirm.trim() {
            return Err(Error::field("confirm_pin", "pins-differ"));
        }
        let hash = hash_password(&pin).await?;
        let mut w = self.store().begin().await?;
        w.set_patron_pin(id, Some(&hash), self.now()).await?;
        w.delete_patron_sessions_of(id, keep_token.map(token_hash).as_deref())
            .await?;
        audit::record::<(), ()>(
            w.as_mut(),
            self,
            ctx,
            "change-pin",
            "patron",
            id,
            None,
            None,
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The patron's preferred language (notices and the catalog's language).
    pub async fn set_my_locale(&self, ctx: &Ctx, locale: Option<Locale>) -> Result<()> {
        let id = me(ctx)?;
        let mut w = self.store().begin().await?;
        let before = my_row(w.as_mut(), id).await?.preferred_locale;
        let tag = locale.map(|l| l.tag());
        w.set_patron_locale(id, tag, self.now()).await?;
        audit::record(
            w.as_mut(),
            self,
            ctx,
            "set-locale",
            "patron",
            id,
            Some(&serde_json::json!({ "locale": before })),
            Some(&serde_json::json!({ "locale": tag })),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// The signed-in patron's active holds (queue place, pickup branch).
    pub async fn my_holds(&self, ctx: &Ctx) -> Result<Vec<crate::holds::HoldView>> {
        let card = my_card(ctx)?;
        self.patron_holds(ctx, &card, false).await
    }

    /// Places a title-level hold on a record for the signed-in patron,
    /// with the rules the desk uses.
    pub async fn place_my_hold(
        &self,
        ctx: &Ctx,
        record_id: i64,
        pickup: &str,
    ) -> Result<crate::holds::HoldView> {
        let card = my_card(ctx)?;
        self.place_hold(
            ctx,
            &crate::holds::HoldRequest {
                patron: card,
                record_id: Some(record_id),
                pickup: Some(pickup.to_owned()).filter(|p| !p.trim().is_empty()),
                ..Default::default()
            },
        )
        .await
    }

    /// Cancels one of the signed-in patron's holds.
    pub async fn cancel_my_hold(&self, ctx: &Ctx, hold_id: i64) -> Result<crate::holds::HoldView> {
        let card = my_card(ctx)?;
        self.cancel_hold(ctx, hold_id, crate::holds::CancelBy::Patron(&card), None)
            .await
    }

    /// Moves one of the signed-in patron's (not yet captured) holds to
    /// another pickup branch.
    pub async fn change_my_hold_pickup(
        &self,
        ctx: &Ctx,
        hold_id: i64,
        pickup: &str,
    ) -> Result<crate::holds::HoldView> {
        my_card(ctx)?;
        self.change_hold_pickup(ctx, hold_id, pickup).await
    }
}
