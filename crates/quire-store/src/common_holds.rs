// Hold and transit queries, written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::holds::HoldTx for BackendTx {
    async fn insert_hold(&mut self, h: &crate::holds::HoldWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO holds (patron_id, record_id, item_id, pickup_branch_id, status, priority, placed_at, expires_at, created_by, updated_at) \
             VALUES ($1, $2, $3, $4, 'placed', $5, $6, $7, $8, $6) RETURNING id",
        )
        .bind(h.patron_id)
        .bind(h.record_id)
        .bind(h.item_id)
        .bind(h.pickup_branch_id)
        .bind(h.priority)
        .bind(h.placed_at)
        .bind(h.expires_at)
        .bind(h.created_by)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn hold(&mut self, id: i64) -> crate::Result<Option<crate::holds::HoldRow>> {
        Ok(sqlx::query_as("SELECT * FROM holds WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn save_hold(&mut self, h: &crate::holds::HoldRow, expected_status: &str) -> crate::Result<bool> {
        let done = sqlx::query(
            "UPDATE holds SET status = $2, pickup_branch_id = $3, priority = $4, resumes_at = $5, expires_at = $6, \
             captured_item_id = $7, captured_at = $8, shelf_expires_at = $9, fulfilled_at = $10, cancelled_at = $11, \
             cancelled_by = $12, cancel_reason = $13, expired_at = $14, updated_at = $15 WHERE id = $1 AND status = $16",
        )
        .bind(h.id)
        .bind(&h.status)
        .bind(h.pickup_branch_id)
        .bind(h.priority)
        .bind(h.resumes_at)
        .bind(h.expires_at)
        .bind(h.captured_item_id)
        .bind(h.captured_at)
        .bind(h.shelf_expires_at)
        .bind(h.fulfilled_at)
        .bind(h.cancelled_at)
        .bind(&h.cancelled_by)
        .bind(&h.cancel_reason)
        .bind(h.expired_at)
        .bind(h.updated_at)
        .bind(expected_status)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn active_holds_of_record(&mut self, record_id: i64) -> crate::Result<Vec<crate::holds::HoldRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM holds WHERE record_id = $1 AND status IN ('placed', 'in-transit', 'waiting') ORDER BY id",
        )
        .bind(record_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn holds_of_patron(&mut self, patron_id: i64, active_only: bool) -> crate::Result<Vec<crate::holds::HoldRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM holds WHERE patron_id = $1 AND ($2 = 0 OR status IN ('placed', 'in-transit', 'waiting')) \
             ORDER BY placed_at DESC, id DESC",
        )
        .bind(patron_id)
        .bind(i64::from(active_only))
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn count_active_holds(&mut self, patron_id: i64) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM holds WHERE patron_id = $1 AND status IN ('placed', 'in-transit', 'waiting')",
        )
        .bind(patron_id)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn hold_captured_item(&mut self, item_id: i64) -> crate::Result<Option<crate::holds::HoldRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM holds WHERE captured_item_id = $1 AND status IN ('in-transit', 'waiting')",
        )
        .bind(item_id)
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    async fn waiting_holds_at(&mut self, branch_id: i64) -> crate::Result<Vec<crate::holds::HoldRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM holds WHERE pickup_branch_id = $1 AND status = 'waiting' ORDER BY shelf_expires_at, id",
        )
        .bind(branch_id)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn holds_due_for_sweep(&mut self, now: DateTime<Utc>) -> crate::Result<Vec<crate::holds::HoldRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM holds WHERE (status = 'waiting' AND shelf_expires_at <= $1) \
             OR (status = 'placed' AND expires_at <= $1) ORDER BY id",
        )
        .bind(now)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn pull_candidates(&mut self, branch_id: i64, now: DateTime<Utc>) -> crate::Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT h.id, i.id FROM holds h \
             JOIN items i ON (h.item_id = i.id OR (h.item_id IS NULL AND i.record_id = h.record_id)) \
             LEFT JOIN locations l ON l.id = i.location_id \
             WHERE h.status = 'placed' AND i.branch_id = $1 AND i.status = 'available' \
             AND (h.resumes_at IS NULL OR h.resumes_at <= $2) AND (h.expires_at IS NULL OR h.expires_at > $2) \
             AND (l.id IS NULL OR l.holdable) \
             ORDER BY h.priority DESC, h.placed_at, h.id, i.id",
        )
        .bind(branch_id)
        .bind(now)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn insert_transit(&mut self, t: &crate::holds::TransitWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO transits (item_id, from_branch_id, to_branch_id, reason, hold_id, sent_at, sent_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(t.item_id)
        .bind(t.from_branch_id)
        .bind(t.to_branch_id)
        .bind(t.reason)
        .bind(t.hold_id)
        .bind(t.sent_at)
        .bind(t.sent_by)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn transit(&mut self, id: i64) -> crate::Result<Option<crate::holds::TransitRow>> {
        Ok(sqlx::query_as("SELECT * FROM transits WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn open_transit_of_item(&mut self, item_id: i64) -> crate::Result<Option<crate::holds::TransitRow>> {
        Ok(sqlx::query_as("SELECT * FROM transits WHERE item_id = $1 AND received_at IS NULL")
            .bind(item_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn receive_transit(&mut self, id: i64, at: DateTime<Utc>, by: &str, branch_id: i64) -> crate::Result<()> {
        let done = sqlx::query(
            "UPDATE transits SET received_at = $2, received_by = $3, received_branch_id = $4 WHERE id = $1 AND received_at IS NULL",
        )
        .bind(id)
        .bind(at)
        .bind(by)
        .bind(branch_id)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn open_transits(&mut self, branch_id: i64, incoming: bool) -> crate::Result<Vec<crate::holds::TransitRow>> {
        let sql = if incoming {
            "SELECT * FROM transits WHERE to_branch_id = $1 AND received_at IS NULL ORDER BY sent_at, id"
        } else {
            "SELECT * FROM transits WHERE from_branch_id = $1 AND received_at IS NULL ORDER BY sent_at, id"
        };
        Ok(sqlx::query_as(sql)
            .bind(branch_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }
}
