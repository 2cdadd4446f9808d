// Patron queries, written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::patrons::PatronTx for BackendTx {
    async fn patron_extra(&mut self, id: i64) -> crate::Result<Option<crate::patrons::PatronExtra>> {
        Ok(sqlx::query_as("SELECT address, guardian, notice_pref, keep_history, notes FROM patrons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn update_patron(&mut self, id: i64, p: &crate::patrons::PatronUpdate<'_>) -> crate::Result<()> {
        let r = sqlx::query(
            "UPDATE patrons SET first_name = $2, last_name = $3, category = $4, home_branch_id = $5, email = $6, \
             phone = $7, birth_date = $8, preferred_locale = $9, expires_on = $10, address = $11, guardian = $12, \
             notice_pref = $13, keep_history = $14, updated_at = $15 WHERE id = $1",
        )
        .bind(id)
        .bind(p.first_name)
        .bind(p.last_name)
        .bind(p.category)
        .bind(p.home_branch_id)
        .bind(p.email)
        .bind(p.phone)
        .bind(p.birth_date)
        .bind(p.preferred_locale)
        .bind(p.expires_on)
        .bind(p.address)
        .bind(p.guardian)
        .bind(p.notice_pref)
        .bind(p.keep_history)
        .bind(p.now)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_patron_notes(&mut self, id: i64, notes: Option<&str>, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query("UPDATE patrons SET notes = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(notes)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_patron_barcode(&mut self, id: i64, barcode: &str, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query("UPDATE patrons SET barcode = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(barcode)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_patron_pin(&mut self, id: i64, pin_hash: Option<&str>, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query("UPDATE patrons SET pin_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(pin_hash)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn search_patrons_any(&mut self, q: &str, limit: i64) -> crate::Result<Vec<crate::catalog::PatronRow>> {
        let q = q.trim();
        let lower = q.to_lowercase().replace(['%', '_'], "");
        let like = format!("%{lower}%");
        // "Dela Cruz, Maria" and "Maria Dela Cruz" both find her.
        let full = format!("%{}%", lower.replace(',', " ").split_whitespace().collect::<Vec<_>>().join("%"));
        // Phone digits; a national trunk 0 is dropped so "0917 555 0199"
        // finds "+63 917 555 0199".
        let all_digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let digits = all_digits.trim_start_matches('0');
        let phone_like = if digits.len() >= 5 { format!("%{digits}%") } else { "\u{1}".to_owned() };
        Ok(sqlx::query_as(
            "SELECT * FROM patrons WHERE barcode = $1 \
             OR id IN (SELECT patron_id FROM patron_old_cards WHERE barcode = $1) \
             OR lower(first_name || ' ' || last_name) LIKE $3 OR lower(last_name || ' ' || first_name) LIKE $3 \
             OR lower(email) LIKE $2 \
             OR replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', '') LIKE $4 \
             ORDER BY last_name, first_name, id LIMIT $5",
        )
        .bind(q)
        .bind(like)
        .bind(full)
        .bind(phone_like)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn duplicate_patrons(
        &mut self,
        first_name: &str,
        last_name: &str,
        birth_date: Option<&str>,
        email: Option<&str>,
        exclude: Option<i64>,
    ) -> crate::Result<Vec<crate::catalog::PatronRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM patrons WHERE id <> $5 AND ( \
               (lower(first_name) = lower($1) AND lower(last_name) = lower($2) AND birth_date = $3) \
               OR (lower(email) = lower($4))) ORDER BY id LIMIT 20",
        )
        .bind(first_name)
        .bind(last_name)
        .bind(birth_date)
        .bind(email)
        .bind(exclude.unwrap_or(-1))
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn insert_old_card(
        &mut self,
        barcode: &str,
        patron_id: i64,
        reason: &str,
        now: DateTime<Utc>,
        created_by: &str,
    ) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO patron_old_cards (barcode, patron_id, reason, replaced_at, created_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(barcode)
        .bind(patron_id)
        .bind(reason)
        .bind(now)
        .bind(created_by)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn old_card(&mut self, barcode: &str) -> crate::Result<Option<crate::patrons::OldCardRow>> {
        Ok(sqlx::query_as("SELECT * FROM patron_old_cards WHERE barcode = $1")
            .bind(barcode)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn old_cards_of_patron(&mut self, patron_id: i64) -> crate::Result<Vec<crate::patrons::OldCardRow>> {
        Ok(sqlx::query_as("SELECT * FROM patron_old_cards WHERE patron_id = $1 ORDER BY replaced_at DESC, barcode")
            .bind(patron_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn insert_patron_block(&mut self, b: &crate::patrons::PatronBlockWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO patron_blocks (patron_id, note, stops_checkout, stops_renew, stops_hold, overridable, until_on, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(b.patron_id)
        .bind(b.note)
        .bind(b.stops_checkout)
        .bind(b.stops_renew)
        .bind(b.stops_hold)
        .bind(b.overridable)
        .bind(b.until_on)
        .bind(b.now)
        .bind(b.created_by)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn patron_block(&mut self, id: i64) -> crate::Result<Option<crate::patrons::PatronBlockRow>> {
        Ok(sqlx::query_as("SELECT * FROM patron_blocks WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn patron_blocks(&mut self, patron_id: i64, active_only: bool) -> crate::Result<Vec<crate::patrons::PatronBlockRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM patron_blocks WHERE patron_id = $1 AND (lifted_at IS NULL OR NOT $2) ORDER BY created_at DESC, id DESC",
        )
        .bind(patron_id)
        .bind(active_only)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn lift_patron_block(&mut self, id: i64, now: DateTime<Utc>, by: &str) -> crate::Result<()> {
        let r = sqlx::query("UPDATE patron_blocks SET lifted_at = $2, lifted_by = $3 WHERE id = $1 AND lifted_at IS NULL")
            .bind(id)
            .bind(now)
            .bind(by)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn returned_loans_linked(
        &mut self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> crate::Result<Vec<crate::patrons::ReturnedLoanRow>> {
        Ok(sqlx::query_as(
            "SELECT l.id, l.patron_id, l.returned_at, p.keep_history, \
               CAST(COALESCE((SELECT SUM(f.amount_minor) FROM fees f WHERE f.loan_id = l.id), 0) AS BIGINT) AS owed_minor \
             FROM loans l JOIN patrons p ON p.id = l.patron_id \
             WHERE l.returned_at IS NOT NULL AND l.returned_at <= $1 ORDER BY l.id LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn anonymise_loan(&mut self, loan_id: i64) -> crate::Result<()> {
        let r = sqlx::query("UPDATE loans SET patron_id = NULL WHERE id = $1 AND returned_at IS NOT NULL")
            .bind(loan_id)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn closed_days(&mut self, branch_id: i64) -> crate::Result<Vec<crate::patrons::ClosedDayRow>> {
        Ok(sqlx::query_as("SELECT branch_id, day, reason FROM closed_days WHERE branch_id = $1 ORDER BY day")
            .bind(branch_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn put_closed_day(&mut self, branch_id: i64, day: &str, reason: Option<&str>) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO closed_days (branch_id, day, reason) VALUES ($1, $2, $3) \
             ON CONFLICT (branch_id, day) DO UPDATE SET reason = excluded.reason",
        )
        .bind(branch_id)
        .bind(day)
        .bind(reason)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn delete_closed_day(&mut self, branch_id: i64, day: &str) -> crate::Result<()> {
        let r = sqlx::query("DELETE FROM closed_days WHERE branch_id = $1 AND day = $2")
            .bind(branch_id)
            .bind(day)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_circ_rule(&mut self, id: i64) -> crate::Result<()> {
        let r = sqlx::query("DELETE FROM circ_rules WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }
}
