// Patron sessions and notices, written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::portal::PortalTx for BackendTx {
    async fn insert_patron_session(&mut self, s: &crate::portal::PatronSessionRow) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO patron_sessions (token_hash, patron_id, created_at, last_seen_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&s.token_hash)
        .bind(s.patron_id)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.expires_at)
        .bind(&s.ip)
        .bind(&s.user_agent)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn patron_session(&mut self, token_hash: &str) -> crate::Result<Option<crate::portal::PatronSessionRow>> {
        Ok(sqlx::query_as("SELECT * FROM patron_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn touch_patron_session(&mut self, token_hash: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> crate::Result<()> {
        sqlx::query("UPDATE patron_sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .bind(expires)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn delete_patron_session(&mut self, token_hash: &str) -> crate::Result<()> {
        sqlx::query("DELETE FROM patron_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    async fn delete_patron_sessions_of(&mut self, patron_id: i64, keep: Option<&str>) -> crate::Result<u64> {
        let r = sqlx::query("DELETE FROM patron_sessions WHERE patron_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
            .bind(patron_id)
            .bind(keep)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn delete_expired_patron_sessions(&mut self, now: DateTime<Utc>) -> crate::Result<u64> {
        let r = sqlx::query("DELETE FROM patron_sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn set_patron_locale(&mut self, patron_id: i64, locale: Option<&str>, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query("UPDATE patrons SET preferred_locale = $2, updated_at = $3 WHERE id = $1")
            .bind(patron_id)
            .bind(locale)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn open_loans_due_between(&mut self, after: Option<DateTime<Utc>>, until: DateTime<Utc>) -> crate::Result<Vec<crate::portal::LoanNoticeRow>> {
        Ok(sqlx::query_as(
            "SELECT l.id AS loan_id, l.patron_id AS patron_id, l.due_at AS due_at, i.barcode AS item_barcode, r.title AS title \
             FROM loans l JOIN items i ON i.id = l.item_id JOIN bib_records r ON r.id = i.record_id \
             WHERE l.returned_at IS NULL AND l.patron_id IS NOT NULL \
             AND ($1 IS NULL OR l.due_at > $1) AND l.due_at <= $2 ORDER BY l.id",
        )
        .bind(after)
        .bind(until)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn insert_notice(&mut self, n: &crate::portal::NoticeWrite<'_>) -> crate::Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "INSERT INTO notices (patron_id, kind, dedupe_key, loan_id, hold_id, locale, recipient, args_json, status, skip_reason, attempts, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(n.patron_id)
        .bind(n.kind)
        .bind(n.dedupe_key)
        .bind(n.loan_id)
        .bind(n.hold_id)
        .bind(n.locale)
        .bind(n.recipient)
        .bind(n.args_json)
        .bind(n.status)
        .bind(n.skip_reason)
        .bind(n.created_at)
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    async fn notice(&mut self, id: i64) -> crate::Result<Option<crate::portal::NoticeRow>> {
        Ok(sqlx::query_as("SELECT * FROM notices WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn notices(&mut self, status: Option<&str>, limit: i64) -> crate::Result<Vec<crate::portal::NoticeRow>> {
        Ok(sqlx::query_as("SELECT * FROM notices WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2")
            .bind(status)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn due_notices(&mut self, now: DateTime<Utc>, limit: i64) -> crate::Result<Vec<crate::portal::NoticeRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM notices WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1) \
             ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn claim_notice(&mut self, id: i64, now: DateTime<Utc>, until: DateTime<Utc>) -> crate::Result<bool> {
        let r = sqlx::query(
            "UPDATE notices SET next_attempt_at = $3 WHERE id = $1 AND status = 'pending' \
             AND (next_attempt_at IS NULL OR next_attempt_at <= $2)",
        )
        .bind(id)
        .bind(now)
        .bind(until)
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn update_notice_delivery(&mut self, id: i64, d: &crate::portal::NoticeDelivery<'_>) -> crate::Result<()> {
        let r = sqlx::query(
            "UPDATE notices SET status = $2, attempts = $3, last_error = $4, next_attempt_at = $5, sent_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(d.status)
        .bind(d.attempts)
        .bind(d.last_error)
        .bind(d.next_attempt_at)
        .bind(d.sent_at)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }
}
