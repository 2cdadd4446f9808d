// The queries of every `Tx` method, written once and compiled for both
// backends: `sqlite.rs` and `postgres.rs` each `include!` this file after
// defining `Db` (the sqlx database type) and `BackendTx` (holding
// `tx: sqlx::Transaction<'static, Db>`) with the backend-specific inherent
// methods `*_impl`. SQL here must be valid in both dialects: `$N`
// placeholders, `RETURNING`, `ON CONFLICT`, no backend-only functions.

impl BackendTx {
    /// Writes the deferred outbox rows (one multi-row INSERT per
    /// `OUTBOX_FLUSH_AT` rows). Called before anything reads the outbox in
    /// this transaction and before commit.
    async fn flush_pending(&mut self) -> crate::Result<()> {
        if self.pending.outbox.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.pending.outbox);
        for chunk in rows.chunks(crate::pending::OUTBOX_FLUSH_AT) {
            let mut sql = String::from("INSERT INTO outbox (entity, entity_id, op, at) VALUES ");
            for k in 0..chunk.len() {
                if k > 0 {
                    sql.push_str(", ");
                }
                let b = 4 * k;
                sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
            }
            let mut q = sqlx::query(&sql);
            for (entity, id, op, at) in chunk {
                q = q.bind(entity).bind(id).bind(op).bind(at);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl crate::Tx for BackendTx {
    async fn commit(mut self: Box<Self>) -> crate::Result<()> {
        self.flush_pending().await?;
        self.tx.commit().await?;
        Ok(())
    }

    async fn tables(&mut self) -> crate::Result<Vec<String>> {
        self.tables_impl().await
    }
    async fn dump_table(
        &mut self,
        table: &str,
        out: &mut (dyn FnMut(String) -> std::io::Result<()> + Send),
    ) -> crate::Result<u64> {
        self.flush_pending().await?;
        self.dump_table_impl(table, out).await
    }
    async fn restore_rows(&mut self, table: &str, rows: &[serde_json::Value]) -> crate::Result<()> {
        self.restore_rows_impl(table, rows).await
    }
    async fn columns(&mut self, table: &str) -> crate::Result<Vec<(String, String)>> {
        self.known_columns(table).await
    }
    async fn table_is_empty(&mut self, table: &str) -> crate::Result<bool> {
        let tables = self.tables_impl().await?;
        if !tables.iter().any(|t| t == table) {
            return Err(crate::StoreError::Database(format!("unknown table {table}")));
        }
        self.flush_pending().await?;
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS t");
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(&mut *self.tx).await?;
        Ok(n == 0)
    }
    async fn reset_sequences(&mut self) -> crate::Result<()> {
        self.reset_sequences_impl().await
    }

    async fn setting(&mut self, key: &str) -> crate::Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn put_setting(&mut self, key: &str, value: &str) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn insert_branch(
        &mut self,
        parent_id: Option<i64>,
        code: &str,
        name: &str,
        kind: &str,
        timezone: &str,
        address: Option<&str>,
        phone: Option<&str>,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO branches (parent_id, code, name, kind, timezone, address, phone, email, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(parent_id)
        .bind(code)
        .bind(name)
        .bind(kind)
        .bind(timezone)
        .bind(address)
        .bind(phone)
        .bind(email)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn update_branch(
        &mut self,
        id: i64,
        code: &str,
        name: &str,
        kind: &str,
        timezone: &str,
        address: Option<&str>,
        phone: Option<&str>,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> crate::Result<()> {
        let r = sqlx::query(
            "UPDATE branches SET code = $2, name = $3, kind = $4, timezone = $5, address = $6, \
             phone = $7, email = $8, updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(code)
        .bind(name)
        .bind(kind)
        .bind(timezone)
        .bind(address)
        .bind(phone)
        .bind(email)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_branch_default_scheme(
        &mut self,
        id: i64,
        scheme: Option<&str>,
        now: DateTime<Utc>,
    ) -> crate::Result<()> {
        let r = sqlx::query(
            "UPDATE branches SET default_call_number_scheme = $2, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(scheme)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn branch(&mut self, id: i64) -> crate::Result<Option<BranchRow>> {
        Ok(sqlx::query_as("SELECT * FROM branches WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn branch_by_code(&mut self, code: &str) -> crate::Result<Option<BranchRow>> {
        Ok(sqlx::query_as("SELECT * FROM branches WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn branches(&mut self) -> crate::Result<Vec<BranchRow>> {
        Ok(sqlx::query_as("SELECT * FROM branches ORDER BY name, id")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn opening_hours(&mut self, branch_id: i64) -> crate::Result<Vec<OpeningHoursRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM opening_hours WHERE branch_id = $1 ORDER BY weekday, opens_min",
        )
        .bind(branch_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn replace_opening_hours(&mut self, branch_id: i64, rows: &[(i64, i64, i64)]) -> crate::Result<()> {
        sqlx::query("DELETE FROM opening_hours WHERE branch_id = $1")
            .bind(branch_id)
            .execute(&mut *self.tx)
            .await?;
        for (weekday, opens, closes) in rows {
            sqlx::query(
                "INSERT INTO opening_hours (branch_id, weekday, opens_min, closes_min) VALUES ($1, $2, $3, $4)",
            )
            .bind(branch_id)
            .bind(weekday)
            .bind(opens)
            .bind(closes)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    async fn insert_location(
        &mut self,
        branch_id: i64,
        code: &str,
        name: &str,
        circulates: bool,
        holdable: bool,
        public: bool,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO locations (branch_id, code, name, circulates, holdable, public) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(branch_id)
        .bind(code)
        .bind(name)
        .bind(circulates)
        .bind(holdable)
        .bind(public)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn locations(&mut self, branch_id: Option<i64>) -> crate::Result<Vec<LocationRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM locations WHERE ($1 IS NULL OR branch_id = $1) ORDER BY branch_id, name",
        )
        .bind(branch_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn insert_staff(&mut self, new: &NewStaffRow<'_>) -> crate::Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff_users (username, display_name, email, password_hash, active, created_at, updated_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING id",
        )
        .bind(new.username)
        .bind(new.display_name)
        .bind(new.email)
        .bind(new.password_hash)
        .bind(true)
        .bind(new.now)
        .fetch_one(&mut *self.tx)
        .await?;
        self.set_staff_roles(id, new.roles).await?;
        Ok(id)
    }

    async fn staff(&mut self, id: i64) -> crate::Result<Option<StaffUserRow>> {
        Ok(sqlx::query_as("SELECT * FROM staff_users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn staff_by_username(&mut self, username: &str) -> crate::Result<Option<StaffUserRow>> {
        Ok(sqlx::query_as("SELECT * FROM staff_users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn staff_list(&mut self) -> crate::Result<Vec<StaffUserRow>> {
        Ok(sqlx::query_as("SELECT * FROM staff_users ORDER BY username")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn staff_roles(&mut self, user_id: i64) -> crate::Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT role FROM staff_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn set_staff_roles(&mut self, user_id: i64, roles: &[&str]) -> crate::Result<()> {
        sqlx::query("DELETE FROM staff_roles WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        for role in roles {
            sqlx::query("INSERT INTO staff_roles (user_id, role) VALUES ($1, $2)")
                .bind(user_id)
                .bind(*role)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    async fn set_staff_password(&mut self, user_id: i64, hash: &str, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query(
            "UPDATE staff_users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1",
        )
        .bind(user_id)
        .bind(hash)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_staff_active(&mut self, user_id: i64, active: bool, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query("UPDATE staff_users SET active = $2, updated_at = $3 WHERE id = $1")
            .bind(user_id)
            .bind(active)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_staff_locale(&mut self, user_id: i64, locale: Option<&str>) -> crate::Result<()> {
        sqlx::query("UPDATE staff_users SET locale = $2 WHERE id = $1")
            .bind(user_id)
            .bind(locale)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn insert_session(&mut self, s: &SessionRow) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.expires_at)
        .bind(&s.ip)
        .bind(&s.user_agent)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn session(&mut self, token_hash: &str) -> crate::Result<Option<SessionRow>> {
        Ok(sqlx::query_as("SELECT * FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn touch_session(&mut self, token_hash: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> crate::Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .bind(expires)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn delete_session(&mut self, token_hash: &str) -> crate::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn delete_sessions_of(&mut self, user_id: i64, keep: Option<&str>) -> crate::Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn delete_expired_sessions(&mut self, now: DateTime<Utc>) -> crate::Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn add_login_failure(&mut self, key: &str, at: DateTime<Utc>) -> crate::Result<()> {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn count_login_failures(&mut self, key: &str, since: DateTime<Utc>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
            .bind(key)
            .bind(since)
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn clear_login_failures(&mut self, key: &str) -> crate::Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn prune_login_failures(&mut self, before: DateTime<Utc>) -> crate::Result<u64> {
        let r = sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn insert_api_token(
        &mut self,
        user_id: i64,
        name: &str,
        hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(hash)
        .bind(prefix)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn api_token_by_hash(&mut self, hash: &str) -> crate::Result<Option<ApiTokenRow>> {
        Ok(sqlx::query_as("SELECT * FROM api_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn api_tokens(&mut self) -> crate::Result<Vec<ApiTokenRow>> {
        Ok(sqlx::query_as("SELECT * FROM api_tokens ORDER BY id DESC")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn api_token(&mut self, id: i64) -> crate::Result<Option<ApiTokenRow>> {
        Ok(sqlx::query_as("SELECT * FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn revoke_api_token(&mut self, id: i64, now: DateTime<Utc>) -> crate::Result<bool> {
        let r = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn touch_api_token(&mut self, id: i64, now: DateTime<Utc>) -> crate::Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn append_audit(&mut self, a: &NewAudit<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor_user_id, actor_label, action, entity, entity_id, before_json, after_json, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(a.at)
        .bind(a.actor_user_id)
        .bind(a.actor_label)
        .bind(a.action)
        .bind(a.entity)
        .bind(&a.entity_id)
        .bind(a.before.as_ref().map(|v| v.to_string()))
        .bind(a.after.as_ref().map(|v| v.to_string()))
        .bind(a.request_id)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn audit(&mut self, f: &AuditFilter) -> crate::Result<Vec<AuditRow>> {
        let limit = if f.limit <= 0 { 100 } else { f.limit.min(1000) };
        Ok(sqlx::query_as(
            "SELECT * FROM audit_log WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
             AND ($3 IS NULL OR actor_user_id = $3) AND ($4 IS NULL OR id < $4) ORDER BY id DESC LIMIT $5",
        )
        .bind(&f.entity)
        .bind(&f.entity_id)
        .bind(f.actor_user_id)
        .bind(f.before_id)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn count(&mut self, table: &str) -> crate::Result<i64> {
        let Some(t) = crate::COUNTABLE.iter().find(|t| **t == table) else {
            return Err(crate::StoreError::Database(format!("count of unknown table {table}")));
        };
        self.flush_pending().await?;
        Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut *self.tx)
            .await?)
    }
}
