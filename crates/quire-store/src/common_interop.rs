// Interoperability queries (copy-cataloging targets), written once for
// both backends (see common.rs).

#[async_trait::async_trait]
impl crate::interop::InteropTx for BackendTx {
    async fn z_targets(&mut self) -> crate::Result<Vec<crate::interop::ZTargetRow>> {
        Ok(sqlx::query_as("SELECT * FROM z_targets ORDER BY name, id")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn z_target(&mut self, id: i64) -> crate::Result<Option<crate::interop::ZTargetRow>> {
        Ok(sqlx::query_as("SELECT * FROM z_targets WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn insert_z_target(&mut self, t: &crate::interop::ZTargetWrite<'_>, now: DateTime<Utc>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO z_targets (name, host, port, database_name, syntax, charset, sru_url, enabled, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(t.name)
        .bind(t.host)
        .bind(t.port)
        .bind(t.database_name)
        .bind(t.syntax)
        .bind(t.charset)
        .bind(t.sru_url)
        .bind(t.enabled)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn update_z_target(&mut self, id: i64, t: &crate::interop::ZTargetWrite<'_>, now: DateTime<Utc>) -> crate::Result<()> {
        let done = sqlx::query(
            "UPDATE z_targets SET name = $2, host = $3, port = $4, database_name = $5, syntax = $6, \
             charset = $7, sru_url = $8, enabled = $9, updated_at = $10 WHERE id = $1",
        )
        .bind(id)
        .bind(t.name)
        .bind(t.host)
        .bind(t.port)
        .bind(t.database_name)
        .bind(t.syntax)
        .bind(t.charset)
        .bind(t.sru_url)
        .bind(t.enabled)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_z_target(&mut self, id: i64) -> crate::Result<()> {
        let done = sqlx::query("DELETE FROM z_targets WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }
}
