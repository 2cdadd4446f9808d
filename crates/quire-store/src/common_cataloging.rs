// Cataloging queries, written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::cataloging::CatalogingTx for BackendTx {
    async fn update_item(&mut self, id: i64, i: &crate::cataloging::ItemUpdate<'_>) -> crate::Result<()> {
        let done = sqlx::query(
            "UPDATE items SET barcode = $2, branch_id = $3, location_id = $4, call_number = $5, call_number_scheme = $6, \
             call_number_sort = $7, item_type = $8, status = $9, copy_number = $10, price_minor = $11, notes = $12, updated_at = $13 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(i.barcode)
        .bind(i.branch_id)
        .bind(i.location_id)
        .bind(i.call_number)
        .bind(i.call_number_scheme)
        .bind(i.call_number_sort)
        .bind(i.item_type)
        .bind(i.status)
        .bind(i.copy_number)
        .bind(i.price_minor)
        .bind(i.notes)
        .bind(i.now)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_item(&mut self, id: i64) -> crate::Result<()> {
        let done = sqlx::query("DELETE FROM items WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn count_item_loans(&mut self, item_id: i64) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM loans WHERE item_id = $1")
            .bind(item_id)
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn count_open_loans_of_record(&mut self, record_id: i64) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id WHERE i.record_id = $1 AND l.returned_at IS NULL",
        )
        .bind(record_id)
        .fetch_one(&mut *self.tx)
        .await?)
    }
}
