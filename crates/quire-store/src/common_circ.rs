// Circulation queries, written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::circ::CircTx for BackendTx {
    async fn insert_loan(&mut self, l: &crate::circ::LoanWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO loans (item_id, patron_id, checkout_branch_id, checked_out_at, due_at, renewals, rule_id, fine_minor, created_by) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, 0, $7) RETURNING id",
        )
        .bind(l.item_id)
        .bind(l.patron_id)
        .bind(l.checkout_branch_id)
        .bind(l.checked_out_at)
        .bind(l.due_at)
        .bind(l.rule_id)
        .bind(l.created_by)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn close_loan(&mut self, id: i64, returned_at: DateTime<Utc>, checkin_branch_id: i64, fine_minor: i64) -> crate::Result<()> {
        let done = sqlx::query(
            "UPDATE loans SET returned_at = $2, checkin_branch_id = $3, fine_minor = $4 WHERE id = $1 AND returned_at IS NULL",
        )
        .bind(id)
        .bind(returned_at)
        .bind(checkin_branch_id)
        .bind(fine_minor)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn renew_loan(&mut self, id: i64, due_at: DateTime<Utc>, renewals: i64) -> crate::Result<()> {
        let done = sqlx::query("UPDATE loans SET due_at = $2, renewals = $3 WHERE id = $1 AND returned_at IS NULL")
            .bind(id)
            .bind(due_at)
            .bind(renewals)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn loan(&mut self, id: i64) -> crate::Result<Option<crate::circ::LoanRow>> {
        Ok(sqlx::query_as("SELECT * FROM loans WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn open_loan_of_item(&mut self, item_id: i64) -> crate::Result<Option<crate::circ::LoanRow>> {
        Ok(sqlx::query_as("SELECT * FROM loans WHERE item_id = $1 AND returned_at IS NULL")
            .bind(item_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn open_loans_of_patron(&mut self, patron_id: i64) -> crate::Result<Vec<crate::circ::LoanRow>> {
        Ok(sqlx::query_as("SELECT * FROM loans WHERE patron_id = $1 AND returned_at IS NULL ORDER BY due_at, id")
            .bind(patron_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn count_open_loans(&mut self, patron_id: i64) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM loans WHERE patron_id = $1 AND returned_at IS NULL")
            .bind(patron_id)
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn open_loans_by_type(&mut self, patron_id: i64) -> crate::Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT i.item_type, COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id \
             WHERE l.patron_id = $1 AND l.returned_at IS NULL GROUP BY i.item_type ORDER BY i.item_type",
        )
        .bind(patron_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn count_overdue(&mut self, patron_id: i64, now: DateTime<Utc>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM loans WHERE patron_id = $1 AND returned_at IS NULL AND due_at < $2")
            .bind(patron_id)
            .bind(now)
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn patron_circ_counts(&mut self, patron_id: i64, now: DateTime<Utc>) -> crate::Result<crate::circ::PatronCircCounts> {
        // The same queries as count_open_loans, count_overdue, fee_balance,
        // count_active_holds, mark_counts and the unlifted patron_blocks, as
        // one statement.
        Ok(sqlx::query_as(
            "SELECT \
             (SELECT COUNT(*) FROM loans WHERE patron_id = $1 AND returned_at IS NULL) AS open_loans, \
             (SELECT COUNT(*) FROM loans WHERE patron_id = $1 AND returned_at IS NULL AND due_at < $2) AS overdue, \
             (SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM fees WHERE patron_id = $1) AS balance, \
             (SELECT COUNT(*) FROM holds WHERE patron_id = $1 AND status IN ('placed', 'in-transit', 'waiting')) AS active_holds, \
             (SELECT COUNT(*) FROM loan_marks WHERE patron_id = $1 AND kind = 'claims-returned' \
                AND (cleared_how IS NULL OR cleared_how <> 'reversed')) AS claims_returned, \
             (SELECT COUNT(*) FROM loan_marks m JOIN loans l ON l.id = m.loan_id \
                WHERE m.patron_id = $1 AND m.cleared_at IS NULL AND l.returned_at IS NULL AND l.due_at < $2) AS marked_overdue, \
             (SELECT COUNT(*) FROM patron_blocks WHERE patron_id = $1 AND lifted_at IS NULL) AS active_blocks",
        )
        .bind(patron_id)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn loans_history(&mut self, patron_id: i64, limit: i64) -> crate::Result<Vec<crate::circ::LoanRow>> {
        Ok(sqlx::query_as("SELECT * FROM loans WHERE patron_id = $1 ORDER BY checked_out_at DESC, id DESC LIMIT $2")
            .bind(patron_id)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn set_item_status(&mut self, item_id: i64, status: &str, now: DateTime<Utc>) -> crate::Result<()> {
        let done = sqlx::query("UPDATE items SET status = $2, updated_at = $3, last_seen_at = $3, \
             status_changed_at = CASE WHEN status = $2 THEN status_changed_at ELSE $3 END WHERE id = $1")
            .bind(item_id)
            .bind(status)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn item(&mut self, id: i64) -> crate::Result<Option<crate::catalog::ItemRow>> {
        Ok(sqlx::query_as("SELECT * FROM items WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn location(&mut self, id: i64) -> crate::Result<Option<crate::model::LocationRow>> {
        Ok(sqlx::query_as("SELECT * FROM locations WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn circ_rules(&mut self) -> crate::Result<Vec<crate::circ::CircRuleRow>> {
        Ok(sqlx::query_as("SELECT * FROM circ_rules ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn circ_rule(&mut self, id: i64) -> crate::Result<Option<crate::circ::CircRuleRow>> {
        Ok(sqlx::query_as("SELECT * FROM circ_rules WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn insert_circ_rule(
        &mut self,
        patron_category: Option<&str>,
        item_type: Option<&str>,
        branch_code: Option<&str>,
        policy_json: &str,
        now: DateTime<Utc>,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO circ_rules (patron_category, item_type, branch_code, policy_json, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(patron_category)
        .bind(item_type)
        .bind(branch_code)
        .bind(policy_json)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn update_circ_rule(&mut self, id: i64, policy_json: &str, now: DateTime<Utc>) -> crate::Result<()> {
        let done = sqlx::query("UPDATE circ_rules SET policy_json = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(policy_json)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn insert_fee(&mut self, f: &crate::circ::FeeWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO fees (patron_id, loan_id, item_id, kind, amount_minor, note, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(f.patron_id)
        .bind(f.loan_id)
        .bind(f.item_id)
        .bind(f.kind)
        .bind(f.amount_minor)
        .bind(f.note)
        .bind(f.created_at)
        .bind(f.created_by)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn fee_balance(&mut self, patron_id: i64) -> crate::Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM fees WHERE patron_id = $1")
            .bind(patron_id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(v.unwrap_or(0))
    }

    async fn fees_of_patron(&mut self, patron_id: i64) -> crate::Result<Vec<crate::circ::FeeRow>> {
        Ok(sqlx::query_as("SELECT * FROM fees WHERE patron_id = $1 ORDER BY id")
            .bind(patron_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn patron_exists(&mut self, barcode: &str) -> crate::Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM patrons WHERE barcode = $1")
            .bind(barcode)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(n > 0)
    }
}
