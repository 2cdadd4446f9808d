// SIP2 account and sort-bin queries, written once for both backends (see common.rs).

#[async_trait::async_trait]
impl crate::sip2::Sip2Tx for BackendTx {
    async fn insert_sip2_account(&mut self, a: &crate::sip2::Sip2AccountWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO sip2_accounts (login, password_hash, institution, branch_id, location_code, locale, charset, \
             checksum_required, login_required, options_json, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11, $11) RETURNING id",
        )
        .bind(a.login)
        .bind(a.password_hash)
        .bind(a.institution)
        .bind(a.branch_id)
        .bind(a.location_code)
        .bind(a.locale)
        .bind(a.charset)
        .bind(a.checksum_required)
        .bind(a.login_required)
        .bind(a.options_json)
        .bind(a.now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn sip2_account(&mut self, id: i64) -> crate::Result<Option<crate::sip2::Sip2AccountRow>> {
        Ok(sqlx::query_as("SELECT * FROM sip2_accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn sip2_account_by_login(&mut self, login: &str) -> crate::Result<Option<crate::sip2::Sip2AccountRow>> {
        Ok(sqlx::query_as("SELECT * FROM sip2_accounts WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn sip2_accounts(&mut self) -> crate::Result<Vec<crate::sip2::Sip2AccountRow>> {
        Ok(sqlx::query_as("SELECT * FROM sip2_accounts ORDER BY login")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn set_sip2_password(&mut self, id: i64, password_hash: &str, now: DateTime<Utc>) -> crate::Result<()> {
        let done = sqlx::query("UPDATE sip2_accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_sip2_account(&mut self, id: i64) -> crate::Result<()> {
        let done = sqlx::query("DELETE FROM sip2_accounts WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn insert_sort_bin(
        &mut self,
        branch_id: Option<i64>,
        location_code: Option<&str>,
        item_type: Option<&str>,
        route: Option<&str>,
        bin: &str,
        now: DateTime<Utc>,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO sip2_sort_bins (branch_id, location_code, item_type, route, bin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(branch_id)
        .bind(location_code)
        .bind(item_type)
        .bind(route)
        .bind(bin)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn sort_bins(&mut self) -> crate::Result<Vec<crate::sip2::SortBinRow>> {
        Ok(sqlx::query_as("SELECT * FROM sip2_sort_bins ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn delete_sort_bin(&mut self, id: i64) -> crate::Result<()> {
        let done = sqlx::query("DELETE FROM sip2_sort_bins WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn item_sip2_properties(&mut self, item_id: i64) -> crate::Result<Option<String>> {
        let v: Option<Option<String>> = sqlx::query_scalar("SELECT sip2_properties FROM items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(v.flatten())
    }

    async fn set_item_sip2_properties(&mut self, item_id: i64, properties: &str) -> crate::Result<()> {
        let done = sqlx::query("UPDATE items SET sip2_properties = $2 WHERE id = $1")
            .bind(item_id)
            .bind(properties)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }
}
