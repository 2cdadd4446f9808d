// Shelf queries, written once for both backends (see common.rs).

const SHELF_COLUMNS: &str = "i.id, i.record_id, i.barcode, i.branch_id, i.location_id, i.call_number, \
     i.call_number_scheme, i.call_number_sort, i.item_type, i.status, i.copy_number, i.updated_at, \
     i.status_changed_at, i.inventory_at, r.title, r.author, r.suppressed \
     FROM items i JOIN bib_records r ON r.id = i.record_id";

#[async_trait::async_trait]
impl crate::shelf::ShelfTx for BackendTx {
    async fn items_in_status(
        &mut self,
        branch_id: i64,
        location_id: Option<i64>,
        status: &str,
    ) -> crate::Result<Vec<crate::shelf::ShelfRow>> {
        let sql = format!(
            "SELECT {SHELF_COLUMNS} WHERE i.branch_id = $1 AND ($2 IS NULL OR i.location_id = $2) \
             AND i.status = $3 \
             ORDER BY i.location_id IS NULL, i.location_id, i.call_number_sort IS NULL, i.call_number_sort, i.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(branch_id)
            .bind(location_id)
            .bind(status)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn shelf_window(&mut self, q: &crate::shelf::ShelfQuery<'_>) -> crate::Result<Vec<crate::shelf::ShelfRow>> {
        let (cmp, order) = if q.backward { ("<", "DESC") } else { (">", "ASC") };
        let sql = format!(
            "SELECT {SHELF_COLUMNS} WHERE i.branch_id = $1 AND i.location_id IS NOT DISTINCT FROM $2 \
             AND i.call_number_sort IS NOT NULL AND i.status <> 'withdrawn' AND r.deleted_at IS NULL \
             AND ($3 IS NULL OR i.status = $3) \
             AND ($4 IS NULL OR i.call_number_sort >= $4) \
             AND ($5 IS NULL OR i.call_number_sort < $5) \
             AND ($6 IS NULL OR (i.call_number_sort, i.id) {cmp} ($6, $7)) \
             AND (NOT $8 OR r.suppressed = FALSE) \
             ORDER BY i.call_number_sort {order}, i.id {order} LIMIT $9"
        );
        Ok(sqlx::query_as(&sql)
            .bind(q.branch_id)
            .bind(q.location_id)
            .bind(q.status)
            .bind(q.from_key)
            .bind(q.to_key)
            .bind(q.cursor.map(|c| c.0))
            .bind(q.cursor.map_or(0, |c| c.1))
            .bind(q.public)
            .bind(q.limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn shelf_item(&mut self, barcode: &str) -> crate::Result<Option<crate::shelf::ShelfRow>> {
        let sql = format!("SELECT {SHELF_COLUMNS} WHERE i.barcode = $1");
        Ok(sqlx::query_as(&sql)
            .bind(barcode)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn reshelving_due(&mut self, cutoff: DateTime<Utc>, limit: i64) -> crate::Result<Vec<crate::shelf::ShelfRow>> {
        let sql = format!(
            "SELECT {SHELF_COLUMNS} WHERE i.status = 'reshelving' \
             AND COALESCE(i.status_changed_at, i.updated_at) <= $1 \
             ORDER BY COALESCE(i.status_changed_at, i.updated_at), i.id LIMIT $2"
        );
        Ok(sqlx::query_as(&sql)
            .bind(cutoff)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn mark_inventoried(&mut self, item_id: i64, at: DateTime<Utc>) -> crate::Result<()> {
        let done = sqlx::query("UPDATE items SET inventory_at = $2, last_seen_at = $2 WHERE id = $1")
            .bind(item_id)
            .bind(at)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn insert_inventory_run(&mut self, r: &crate::shelf::InventoryRunWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO inventory_runs (branch_id, location_id, from_call_number, to_call_number, scanned, \
             out_of_order, missing, elsewhere, wrong_status, report_json, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(r.branch_id)
        .bind(r.location_id)
        .bind(r.from_call_number)
        .bind(r.to_call_number)
        .bind(r.scanned)
        .bind(r.out_of_order)
        .bind(r.missing)
        .bind(r.elsewhere)
        .bind(r.wrong_status)
        .bind(r.report_json)
        .bind(r.created_by)
        .bind(r.created_at)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn inventory_runs(&mut self, branch_id: i64, limit: i64) -> crate::Result<Vec<crate::shelf::InventoryRunRow>> {
        Ok(sqlx::query_as("SELECT * FROM inventory_runs WHERE branch_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(branch_id)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn inventory_run(&mut self, id: i64) -> crate::Result<Option<crate::shelf::InventoryRunRow>> {
        Ok(sqlx::query_as("SELECT * FROM inventory_runs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }
}
