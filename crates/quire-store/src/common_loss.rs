// Lost / claims-returned marks, reading history and the privacy sweep,
// written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::loss::LossTx for BackendTx {
    async fn insert_loan_mark(&mut self, m: &crate::loss::LoanMarkWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO loan_marks (loan_id, patron_id, kind, reason, marked_at, marked_by, replacement_minor, \
             processing_minor, fine_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(m.loan_id)
        .bind(m.patron_id)
        .bind(m.kind)
        .bind(m.reason)
        .bind(m.marked_at)
        .bind(m.marked_by)
        .bind(m.replacement_minor)
        .bind(m.processing_minor)
        .bind(m.fine_minor)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn open_loan_mark(&mut self, loan_id: i64) -> crate::Result<Option<crate::loss::LoanMarkRow>> {
        Ok(sqlx::query_as("SELECT * FROM loan_marks WHERE loan_id = $1 AND cleared_at IS NULL")
            .bind(loan_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn open_marks_of_patron(&mut self, patron_id: i64) -> crate::Result<Vec<crate::loss::LoanMarkRow>> {
        Ok(sqlx::query_as(
            "SELECT m.* FROM loan_marks m JOIN loans l ON l.id = m.loan_id \
             WHERE l.patron_id = $1 AND l.returned_at IS NULL AND m.cleared_at IS NULL ORDER BY m.id",
        )
        .bind(patron_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn clear_loan_mark(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        how: &str,
        by: &str,
        note: Option<&str>,
    ) -> crate::Result<()> {
        let r = sqlx::query(
            "UPDATE loan_marks SET cleared_at = $2, cleared_how = $3, cleared_by = $4, cleared_note = $5 \
             WHERE id = $1 AND cleared_at IS NULL",
        )
        .bind(id)
        .bind(at)
        .bind(how)
        .bind(by)
        .bind(note)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn detach_anonymised_marks(&mut self) -> crate::Result<u64> {
        let r = sqlx::query(
            "UPDATE loan_marks SET loan_id = NULL WHERE loan_id IN (SELECT id FROM loans WHERE patron_id IS NULL)",
        )
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected())
    }

    async fn set_keep_history(&mut self, patron_id: i64, keep: bool, now: DateTime<Utc>) -> crate::Result<()> {
        let r = sqlx::query("UPDATE patrons SET keep_history = $2, updated_at = $3 WHERE id = $1")
            .bind(patron_id)
            .bind(keep)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn reading_history(
        &mut self,
        patron_id: i64,
        limit: i64,
        offset: i64,
    ) -> crate::Result<Vec<crate::loss::HistoryRow>> {
        Ok(sqlx::query_as(
            "SELECT l.id AS loan_id, i.record_id, r.title, i.barcode AS item_barcode, l.checked_out_at, \
               l.returned_at \
             FROM loans l JOIN items i ON i.id = l.item_id JOIN bib_records r ON r.id = i.record_id \
             WHERE l.patron_id = $1 AND l.returned_at IS NOT NULL \
             ORDER BY l.returned_at DESC, l.id DESC LIMIT $2 OFFSET $3",
        )
        .bind(patron_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn count_reading_history(&mut self, patron_id: i64) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM loans WHERE patron_id = $1 AND returned_at IS NOT NULL",
        )
        .bind(patron_id)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn attributed_loans_of(&mut self, patron_id: i64) -> crate::Result<Vec<crate::loss::AttributedLoanRow>> {
        Ok(sqlx::query_as(
            "SELECT l.id, l.returned_at, \
               CAST(COALESCE((SELECT SUM(f.amount_minor) FROM fees f WHERE f.loan_id = l.id), 0) AS BIGINT) AS owed_minor \
             FROM loans l WHERE l.patron_id = $1 AND l.returned_at IS NOT NULL ORDER BY l.id",
        )
        .bind(patron_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn attributed_loans(
        &mut self,
        before: DateTime<Utc>,
        after_id: i64,
        limit: i64,
    ) -> crate::Result<Vec<crate::loss::AttributedLoanRow>> {
        Ok(sqlx::query_as(
            "SELECT l.id, l.returned_at, \
               CAST(COALESCE((SELECT SUM(f.amount_minor) FROM fees f WHERE f.loan_id = l.id), 0) AS BIGINT) AS owed_minor \
             FROM loans l JOIN patrons p ON p.id = l.patron_id \
             WHERE l.returned_at IS NOT NULL AND l.returned_at <= $1 AND l.id > $2 AND NOT p.keep_history \
             ORDER BY l.id LIMIT $3",
        )
        .bind(before)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn escalation_candidates(
        &mut self,
        due_before: DateTime<Utc>,
        after_id: i64,
        limit: i64,
    ) -> crate::Result<Vec<crate::loss::EscalationCandidate>> {
        Ok(sqlx::query_as(
            "SELECT l.id AS loan_id, i.barcode AS item_barcode, i.status AS item_status, l.due_at, \
               l.checkout_branch_id, p.category AS patron_category, i.item_type \
             FROM loans l JOIN items i ON i.id = l.item_id JOIN patrons p ON p.id = l.patron_id \
             WHERE l.returned_at IS NULL AND l.due_at <= $1 AND l.id > $2 \
               AND i.status IN ('checked-out', 'long-overdue') \
             ORDER BY l.id LIMIT $3",
        )
        .bind(due_before)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }
}
