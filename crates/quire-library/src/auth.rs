//! Authentication: password hashing (argon2id), login with throttling,
//! server-side sessions, API tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use quire_domain::Locale;
use quire_domain::staff::{NewPassword, Permission, Role, permissions_of};
use quire_store::model::{SessionRow, StaffUserRow};
use quire_store::{Store, Tx};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{Ctx, Error, ErrorCode, Library, Result, StaffIdentity, audit};

pub(crate) async fn load_or_create_secret(store: &dyn Store) -> Result<[u8; 32]> {
    let mut tx = store.begin().await?;
    let existing = tx.setting("instance_secret").await?;
    let secret = match existing
        .as_deref()
        .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
    {
        Some(bytes) if bytes.len() == 32 => {
            let mut s = [0u8; 32];
            s.copy_from_slice(&bytes);
            s
        }
        _ => {
            let mut s = [0u8; 32];
            rand::rng().fill_bytes(&mut s);
            tx.put_setting("instance_secret", &URL_SAFE_NO_PAD.encode(s))
                .await?;
            s
        }
    };
    tx.commit().await?;
    Ok(secret)
}

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id (PHC string). Runs on a blocking thread.
pub async fn hash_password(password: &str) -> Result<String> {
    let pw = password.to_owned();
    crate::cpu::spawn_background(move || {
        let mut salt_bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut salt_bytes);
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        argon2()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
    })
    .await
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
}

/// Verifies a password against a stored PHC hash (constant time).
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let pw = password.to_owned();
    let h = hash.to_owned();
    crate::cpu::spawn_background(move || {
        PasswordHash::new(&h)
            .is_ok_and(|parsed| argon2().verify_password(pw.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A real hash of a random password, used to spend the same time on unknown
/// user names as on known ones (no user-name probing by timing).
pub(crate) async fn dummy_hash() -> String {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async { hash_password(&random_token()).await.unwrap_or_default() })
        .await
        .clone()
}

pub(crate) fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// SHA-256 hex of a bearer secret (sessions and API tokens are stored hashed,
/// so a database leak does not hand out live credentials).
pub fn token_hash(token: &str) -> String {
    let d = Sha256::digest(token.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A freshly created session: the raw token goes into the cookie, once.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub identity: StaffIdentity,
    pub expires_at: DateTime<Utc>,
}

/// A session found from its cookie.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    pub token_hash: String,
    pub identity: StaffIdentity,
    pub expires_at: DateTime<Utc>,
}

pub(crate) async fn identity(tx: &mut dyn Tx, user: &StaffUserRow) -> Result<StaffIdentity> {
    let roles: Vec<Role> = tx
        .staff_roles(user.id)
        .await?
        .iter()
        .filter_map(|r| Role::parse(r).ok())
        .collect();
    Ok(StaffIdentity {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        permissions: permissions_of(&roles),
        roles,
        locale: user.locale.as_deref().and_then(Locale::from_tag),
    })
}

/// Login throttling (staff and patron logins): refuses with `RateLimited`
/// when any key has reached its limit of failures since `since`. Failures
/// are counted in the database so every node of a cluster sees them.
pub(crate) async fn check_throttle(
    tx: &mut dyn Tx,
    limits: &[(&str, i64)],
    since: DateTime<Utc>,
    window: chrono::Duration,
) -> Result<()> {
    for (key, max) in limits {
        if tx.count_login_failures(key, since).await? >= *max {
            let mut e = Error::new(
                ErrorCode::RateLimited,
                "too many failed logins; try again later",
            );
            e.retry_after_secs = Some(window.num_seconds().max(0) as u64);
            return Err(e);
        }
    }
    Ok(())
}

/// Counts one failed login against every throttling key.
pub(crate) async fn add_failures(
    tx: &mut dyn Tx,
    limits: &[(&str, i64)],
    now: DateTime<Utc>,
) -> Result<()> {
    for (key, _) in limits {
        tx.add_login_failure(key, now).await?;
    }
    Ok(())
}

impl Library {
    /// Staff login. Throttled per account and per client address; failures
    /// are counted in the database so every node of a cluster sees them.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<NewSession> {
        let now = self.now();
        let s = self.settings().clone();
        let since = now - s.throttle_window;
        let uname = username.trim().to_ascii_lowercase();
        let user_key = format!("user:{uname}");
        let ip_key = ip.map(|i| format!("ip:{i}"));

        let mut tx = self.store().begin().await?;
        let mut limits = vec![(user_key.as_str(), s.max_failures_per_account)];
        if let Some(k) = &ip_key {
            limits.push((k.as_str(), s.max_failures_per_ip));
        }
        if let Err(e) = check_throttle(tx.as_mut(), &limits, since, s.throttle_window).await {
            tx.commit().await?;
            return Err(e);
        }
        let user = tx.staff_by_username(&uname).await?;
        // Verify outside the transaction: hashing is slow by design.
        tx.commit().await?;
        let ok = match &user {
            Some(u) => verify_password(password, &u.password_hash).await,
            None => {
                let _ = verify_password(password, &dummy_hash().await).await;
                false
            }
        };
        let mut tx = self.store().begin().await?;
        let user = match (ok, user) {
            (true, Some(u)) => u,
            _ => {
                add_failures(tx.as_mut(), &limits, now).await?;
                tx.commit().await?;
                return Err(Error::new(
                    ErrorCode::BadCredentials,
                    "unknown user name or wrong password",
                ));
            }
        };
        if !user.active {
            tx.commit().await?;
            return Err(Error::new(
                ErrorCode::AccountDisabled,
                "this account is disabled",
            ));
        }
        let ident = identity(tx.as_mut(), &user).await?;
        if !ident.permissions.contains(&Permission::StaffArea) {
            tx.commit().await?;
            return Err(Error::forbidden(Permission::StaffArea));
        }
        tx.clear_login_failures(&user_key).await?;
        let token = random_token();
        let expires_at = now + s.session_idle;
        tx.insert_session(&SessionRow {
            token_hash: token_hash(&token),
            user_id: user.id,
            created_at: now,
            last_seen_at: now,
            expires_at,
            ip: ip.map(str::to_owned),
            user_agent: user_agent.map(|u| u.chars().take(300).collect()),
        })
        .await?;
        let ctx = Ctx::staff(ident.clone(), None);
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            &ctx,
            "login",
            "staff_user",
            user.id,
            None,
            Some(&serde_json::json!({"ip": ip})),
        )
        .await?;
        tx.delete_expired_sessions(now).await?;
        tx.prune_login_failures(now - s.throttle_window * 4).await?;
        tx.commit().await?;
        Ok(NewSession {
            token,
            identity: ident,
            expires_at,
        })
    }

    /// Looks a session cookie up; extends it (sliding expiry). `None` when
    /// unknown, expired or the account is disabled.
    pub async fn session(&self, token: &str) -> Result<Option<ActiveSession>> {
        let now = self.now();
        let hash = token_hash(token);
        let mut tx = self.store().read().await?;
        let Some(sess) = tx.session(&hash).await? else {
            return Ok(None);
        };
        if sess.expires_at <= now {
            return Ok(None);
        }
        let Some(user) = tx.staff(sess.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let ident = identity(tx.as_mut(), &user).await?;
        drop(tx);
        let expires_at = now + self.settings().session_idle;
        // Write at most once a minute per session, not on every request.
        if now - sess.last_seen_at > chrono::Duration::minutes(1) {
            let mut w = self.store().begin().await?;
            w.touch_session(&hash, now, expires_at).await?;
            w.commit().await?;
        }
        Ok(Some(ActiveSession {
            token_hash: hash,
            identity: ident,
            expires_at,
        }))
    }

    /// Ends a session.
    pub async fn logout(&self, ctx: &Ctx, token: &str) -> Result<()> {
        let mut tx = self.store().begin().await?;
        tx.delete_session(&token_hash(token)).await?;
        if let Some(uid) = ctx.actor.user_id() {
            audit::record::<(), ()>(
                tx.as_mut(),
                self,
                ctx,
                "logout",
                "staff_user",
                uid,
                None,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A staff member changes their own password (must know the current
    /// one). Other sessions of the account end; `keep_token` stays valid.
    pub async fn change_own_password(
        &self,
        ctx: &Ctx,
        current: &str,
        new: &str,
        confirm: &str,
        keep_token: Option<&str>,
    ) -> Result<()> {
        let Some(uid) = ctx.actor.user_id() else {
            return Err(Error::new(ErrorCode::Unauthenticated, "no staff user"));
        };
        let mut tx = self.store().read().await?;
        let user = tx
            .staff(uid)
            .await?
            .ok_or_else(|| Error::not_found("staff user"))?;
        drop(tx);
        if !verify_password(current, &user.password_hash).await {
            return Err(Error::field("current_password", "wrong-password"));
        }
        let pw = NewPassword::parse("new_password", new, Some(&user.username))?;
        if new != confirm {
            return Err(Error::field("confirm_password", "passwords-differ"));
        }
        let hash = hash_password(pw.expose()).await?;
        let mut tx = self.store().begin().await?;
        tx.set_staff_password(uid, &hash, self.now()).await?;
        tx.delete_sessions_of(uid, keep_token.map(token_hash).as_deref())
            .await?;
        audit::record::<(), ()>(
            tx.as_mut(),
            self,
            ctx,
            "change-password",
            "staff_user",
            uid,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token for a staff user (admin). The token is returned
    /// once; only its hash is kept.
    pub async fn create_api_token(
        &self,
        ctx: &Ctx,
        username: &str,
        name: &str,
    ) -> Result<(i64, String)> {
        ctx.actor.require(Permission::ManageApiTokens)?;
        let name = quire_domain::error::text("name", name, 1, 80).map_err(Error::from)?;
        let token = format!("quire_{}", random_token());
        let prefix: String = token.chars().take(12).collect();
        let mut tx = self.store().begin().await?;
        let user = tx
            .staff_by_username(&username.trim().to_ascii_lowercase())
            .await?
            .ok_or_else(|| Error::field("username", "unknown-user"))?;
        let id = tx
            .insert_api_token(user.id, &name, &token_hash(&token), &prefix, self.now())
            .await?;
        audit::record::<(), _>(
            tx.as_mut(),
            self,
            ctx,
            "create",
            "api_token",
            id,
            None,
            Some(&serde_json::json!({"user": user.username, "name": name, "prefix": prefix})),
        )
        .await?;
        tx.commit().await?;
        Ok((id, token))
    }

    /// Lists API tokens (without secrets).
    pub async fn api_tokens(&self, ctx: &Ctx) -> Result<Vec<quire_store::model::ApiTokenRow>> {
        ctx.actor.require(Permission::ManageApiTokens)?;
        let mut tx = self.store().read().await?;
        Ok(tx.api_tokens().await?)
    }

    pub async fn revoke_api_token(&self, ctx: &Ctx, id: i64) -> Result<()> {
        ctx.actor.require(Permission::ManageApiTokens)?;
        let mut tx = self.store().begin().await?;
        let before = tx
            .api_token(id)
            .await?
            .ok_or_else(|| Error::not_found("API token"))?;
        if !tx.revoke_api_token(id, self.now()).await? {
            return Err(Error::new(ErrorCode::Conflict, "token already revoked"));
        }
        let after = tx.api_token(id).await?;
        audit::record(
            tx.as_mut(),
            self,
            ctx,
            "revoke",
            "api_token",
            id,
            Some(&before),
            after.as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Authenticates a bearer API token.
    pub async fn authenticate_token(&self, token: &str) -> Result<Option<StaffIdentity>> {
        let mut tx = self.store().read().await?;
        let Some(t) = tx.api_token_by_hash(&token_hash(token)).await? else {
            return Ok(None);
        };
        if t.revoked_at.is_some() {
            return Ok(None);
        }
        let Some(user) = tx.staff(t.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let ident = identity(tx.as_mut(), &user).await?;
        drop(tx);
        let now = self.now();
        if t.last_used_at
            .is_none_or(|l| now - l > chrono::Duration::minutes(5))
        {
            let mut w = self.store().begin().await?;
            w.touch_api_token(t.id, now).await?;
            w.commit().await?;
        }
        Ok(Some(ident))
    }
}
