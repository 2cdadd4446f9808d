// Catalog queries, written once for both backends (see common.rs).

fn placeholders(n: usize, start: usize) -> String {
    (start..start + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[async_trait::async_trait]
impl crate::catalog::CatalogTx for BackendTx {
    async fn insert_record(&mut self, r: &crate::catalog::RecordWrite<'_>) -> crate::Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO bib_records (control_number, control_number_identifier, marc, title, title_sort, author, publisher, year, language, format, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(r.control_number)
        .bind(r.control_number_identifier)
        .bind(r.marc)
        .bind(r.title)
        .bind(r.title_sort)
        .bind(r.author)
        .bind(r.publisher)
        .bind(r.year)
        .bind(r.language)
        .bind(r.format)
        .bind(r.now)
        .fetch_one(&mut *self.tx)
        .await?;
        self.pending.fresh_records.insert(id);
        Ok(id)
    }

    async fn reserve_record_id(&mut self) -> crate::Result<i64> {
        self.reserve_record_id_impl().await
    }

    async fn insert_record_with_id(&mut self, id: i64, r: &crate::catalog::RecordWrite<'_>) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO bib_records (id, control_number, control_number_identifier, marc, title, title_sort, author, publisher, year, language, format, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(id)
        .bind(r.control_number)
        .bind(r.control_number_identifier)
        .bind(r.marc)
        .bind(r.title)
        .bind(r.title_sort)
        .bind(r.author)
        .bind(r.publisher)
        .bind(r.year)
        .bind(r.language)
        .bind(r.format)
        .bind(r.now)
        .execute(&mut *self.tx)
        .await?;
        self.pending.fresh_records.insert(id);
        Ok(())
    }

    async fn update_record(&mut self, id: i64, r: &crate::catalog::RecordWrite<'_>) -> crate::Result<()> {
        let done = sqlx::query(
            "UPDATE bib_records SET control_number = $2, control_number_identifier = $3, marc = $4, title = $5, title_sort = $6, \
             author = $7, publisher = $8, year = $9, language = $10, format = $11, updated_at = $12, deleted_at = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(r.control_number)
        .bind(r.control_number_identifier)
        .bind(r.marc)
        .bind(r.title)
        .bind(r.title_sort)
        .bind(r.author)
        .bind(r.publisher)
        .bind(r.year)
        .bind(r.language)
        .bind(r.format)
        .bind(r.now)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn record(&mut self, id: i64) -> crate::Result<Option<crate::catalog::RecordRow>> {
        Ok(sqlx::query_as("SELECT * FROM bib_records WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn records_by_ids(&mut self, ids: &[i64]) -> crate::Result<Vec<crate::catalog::RecordRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!("SELECT * FROM bib_records WHERE id IN ({})", placeholders(chunk.len(), 1));
            let mut q = sqlx::query_as::<_, crate::catalog::RecordRow>(&sql);
            for id in chunk {
                q = q.bind(id);
            }
            out.extend(q.fetch_all(&mut *self.tx).await?);
        }
        // Keep the caller's order (search relevance).
        let pos: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        out.sort_by_key(|r| pos.get(&r.id).copied().unwrap_or(usize::MAX));
        Ok(out)
    }

    async fn records_after(&mut self, after: i64, limit: i64) -> crate::Result<Vec<crate::catalog::RecordRow>> {
        Ok(sqlx::query_as("SELECT * FROM bib_records WHERE id > $1 AND deleted_at IS NULL ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn find_record_by_control_number(&mut self, cn: &str, cni: Option<&str>) -> crate::Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM bib_records WHERE control_number = $1 \
             AND (control_number_identifier = $2 OR ($2 IS NULL AND control_number_identifier IS NULL)) \
             ORDER BY id LIMIT 1",
        )
        .bind(cn)
        .bind(cni)
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    async fn find_records_by_control_number_any(&mut self, cn: &str) -> crate::Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM bib_records WHERE control_number = $1 AND deleted_at IS NULL ORDER BY id")
            .bind(cn)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn find_records_by_identifier(&mut self, kind: &str, value: &str) -> crate::Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT record_id FROM bib_identifiers WHERE kind = $1 AND value = $2 ORDER BY record_id")
            .bind(kind)
            .bind(value)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn replace_identifiers(&mut self, record_id: i64, ids: &[(&str, String)]) -> crate::Result<()> {
        // A record inserted by this transaction has no identifier rows yet
        // (ids are never reused while rows point at them: ON DELETE CASCADE).
        if !self.pending.fresh_records.remove(&record_id) {
            sqlx::query("DELETE FROM bib_identifiers WHERE record_id = $1")
                .bind(record_id)
                .execute(&mut *self.tx)
                .await?;
        }
        // One multi-row INSERT per record (a handful of rows: far below
        // the bind-parameter limits of both backends).
        for chunk in ids.chunks(200) {
            let mut sql = String::from("INSERT INTO bib_identifiers (record_id, kind, value) VALUES ");
            for k in 0..chunk.len() {
                if k > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("($1, ${}, ${})", 2 * k + 2, 2 * k + 3));
            }
            sql.push_str(" ON CONFLICT DO NOTHING");
            let mut q = sqlx::query(&sql).bind(record_id);
            for (kind, value) in chunk {
                q = q.bind(*kind).bind(value);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn count_records(&mut self) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM bib_records WHERE deleted_at IS NULL")
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn mark_record_deleted(&mut self, id: i64, now: DateTime<Utc>) -> crate::Result<()> {
        let done = sqlx::query("UPDATE bib_records SET deleted_at = $2, updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        Ok(())
    }

    async fn harvest_records(&mut self, q: &crate::catalog::HarvestQuery<'_>) -> crate::Result<Vec<crate::catalog::RecordRow>> {
        Ok(sqlx::query_as(
            "SELECT * FROM bib_records WHERE (updated_at > $1 OR (updated_at = $1 AND id > $2)) \
             AND ($3 IS NULL OR updated_at >= $3) AND ($4 IS NULL OR updated_at < $4) \
             AND ($5 IS NULL OR format = $5) \
             AND ($6 IS NULL OR EXISTS (SELECT 1 FROM items i JOIN branches b ON b.id = i.branch_id \
                                        WHERE i.record_id = bib_records.id AND b.code = $6)) \
             ORDER BY updated_at, id LIMIT $7",
        )
        .bind(q.after.0)
        .bind(q.after.1)
        .bind(q.from)
        .bind(q.until_before)
        .bind(q.format)
        .bind(q.branch)
        .bind(q.limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn count_harvest(&mut self, q: &crate::catalog::HarvestQuery<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM bib_records WHERE ($1 IS NULL OR updated_at >= $1) AND ($2 IS NULL OR updated_at < $2) \
             AND ($3 IS NULL OR format = $3) \
             AND ($4 IS NULL OR EXISTS (SELECT 1 FROM items i JOIN branches b ON b.id = i.branch_id \
                                        WHERE i.record_id = bib_records.id AND b.code = $4))",
        )
        .bind(q.from)
        .bind(q.until_before)
        .bind(q.format)
        .bind(q.branch)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn earliest_record_change(&mut self) -> crate::Result<Option<DateTime<Utc>>> {
        Ok(sqlx::query_scalar("SELECT MIN(updated_at) FROM bib_records")
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn record_formats(&mut self) -> crate::Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT DISTINCT format FROM bib_records WHERE deleted_at IS NULL ORDER BY format")
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn insert_item(&mut self, i: &crate::catalog::ItemWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO items (record_id, barcode, branch_id, location_id, call_number, call_number_scheme, call_number_sort, item_type, status, copy_number, price_minor, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(i.record_id)
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
        .bind(i.now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn items_of(&mut self, record_id: i64) -> crate::Result<Vec<crate::catalog::ItemRow>> {
        Ok(sqlx::query_as("SELECT * FROM items WHERE record_id = $1 ORDER BY branch_id, call_number_sort, barcode")
            .bind(record_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn items_of_records(&mut self, record_ids: &[i64]) -> crate::Result<Vec<crate::catalog::ItemRow>> {
        let mut out = Vec::new();
        for chunk in record_ids.chunks(500) {
            let sql = format!("SELECT * FROM items WHERE record_id IN ({}) ORDER BY record_id, id", placeholders(chunk.len(), 1));
            let mut q = sqlx::query_as::<_, crate::catalog::ItemRow>(&sql);
            for id in chunk {
                q = q.bind(id);
            }
            out.extend(q.fetch_all(&mut *self.tx).await?);
        }
        Ok(out)
    }

    async fn item_by_barcode(&mut self, barcode: &str) -> crate::Result<Option<crate::catalog::ItemRow>> {
        Ok(sqlx::query_as("SELECT * FROM items WHERE barcode = $1")
            .bind(barcode)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn item_with_title_by_barcode(&mut self, barcode: &str) -> crate::Result<Option<(crate::catalog::ItemRow, String)>> {
        #[derive(sqlx::FromRow)]
        struct Titled {
            #[sqlx(flatten)]
            item: crate::catalog::ItemRow,
            record_title: String,
        }
        Ok(sqlx::query_as::<_, Titled>(
            "SELECT i.*, r.title AS record_title FROM items i JOIN bib_records r ON r.id = i.record_id \
             WHERE i.barcode = $1",
        )
        .bind(barcode)
        .fetch_optional(&mut *self.tx)
        .await?
        .map(|t| (t.item, t.record_title)))
    }

    async fn count_items(&mut self) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM items").fetch_one(&mut *self.tx).await?)
    }

    /// Deferred: written with the other rows of this transaction in one
    /// multi-row INSERT before it reads the outbox or commits.
    async fn push_outbox(&mut self, entity: &str, entity_id: i64, op: &str, at: DateTime<Utc>) -> crate::Result<()> {
        self.pending.outbox.push((entity.to_owned(), entity_id, op.to_owned(), at));
        if self.pending.outbox.len() >= crate::pending::OUTBOX_FLUSH_AT {
            self.flush_pending().await?;
        }
        Ok(())
    }

    async fn outbox_after(&mut self, after: i64, limit: i64) -> crate::Result<Vec<crate::catalog::OutboxRow>> {
        self.flush_pending().await?;
        Ok(sqlx::query_as("SELECT * FROM outbox WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn outbox_max(&mut self) -> crate::Result<i64> {
        self.flush_pending().await?;
        Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM outbox")
            .fetch_one(&mut *self.tx)
            .await?
            .unwrap_or(0))
    }

    async fn insert_import_job(
        &mut self,
        source: &str,
        fingerprint: &str,
        format: &str,
        options_json: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO import_jobs (source, fingerprint, format, options_json, status, started_by, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'running', $5, $6, $6) RETURNING id",
        )
        .bind(source)
        .bind(fingerprint)
        .bind(format)
        .bind(options_json)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn running_import_job(&mut self, fingerprint: &str) -> crate::Result<Option<crate::catalog::ImportJobRow>> {
        Ok(sqlx::query_as("SELECT * FROM import_jobs WHERE fingerprint = $1 AND status = 'running' ORDER BY id DESC LIMIT 1")
            .bind(fingerprint)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn import_job(&mut self, id: i64) -> crate::Result<Option<crate::catalog::ImportJobRow>> {
        Ok(sqlx::query_as("SELECT * FROM import_jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn import_jobs(&mut self, limit: i64) -> crate::Result<Vec<crate::catalog::ImportJobRow>> {
        Ok(sqlx::query_as("SELECT * FROM import_jobs ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn update_import_job(&mut self, id: i64, c: &crate::catalog::JobCounts, status: &str, now: DateTime<Utc>) -> crate::Result<()> {
        sqlx::query(
            "UPDATE import_jobs SET records_done = $2, created = $3, replaced = $4, skipped = $5, quarantined = $6, items_created = $7, \
             status = $8, updated_at = $9, finished_at = CASE WHEN $8 = 'running' THEN NULL ELSE $9 END WHERE id = $1",
        )
        .bind(id)
        .bind(c.records_done)
        .bind(c.created)
        .bind(c.replaced)
        .bind(c.skipped)
        .bind(c.quarantined)
        .bind(c.items_created)
        .bind(status)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn insert_quarantine(
        &mut self,
        job_id: Option<i64>,
        source: &str,
        index: i64,
        offset: i64,
        raw: &[u8],
        reason: &str,
        now: DateTime<Utc>,
    ) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO quarantine (job_id, source, record_index, byte_offset, raw, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(job_id)
        .bind(source)
        .bind(index)
        .bind(offset)
        .bind(raw)
        .bind(reason)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn count_open_quarantine(&mut self) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM quarantine WHERE resolved_at IS NULL")
            .fetch_one(&mut *self.tx)
            .await?)
    }

    async fn quarantine_list(&mut self, only_open: bool, limit: i64) -> crate::Result<Vec<crate::catalog::QuarantineRow>> {
        Ok(sqlx::query_as("SELECT * FROM quarantine WHERE ($1 = FALSE OR resolved_at IS NULL) ORDER BY id DESC LIMIT $2")
            .bind(only_open)
            .bind(limit)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn quarantine_of_job(&mut self, job_id: i64) -> crate::Result<Vec<crate::catalog::QuarantineRow>> {
        Ok(sqlx::query_as("SELECT * FROM quarantine WHERE job_id = $1 ORDER BY record_index")
            .bind(job_id)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    async fn quarantine_entry(&mut self, id: i64) -> crate::Result<Option<crate::catalog::QuarantineRow>> {
        Ok(sqlx::query_as("SELECT * FROM quarantine WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn resolve_quarantine(&mut self, id: i64, resolution: &str, now: DateTime<Utc>) -> crate::Result<bool> {
        let r = sqlx::query("UPDATE quarantine SET resolved_at = $2, resolution = $3 WHERE id = $1 AND resolved_at IS NULL")
            .bind(id)
            .bind(now)
            .bind(resolution)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn insert_patron(&mut self, p: &crate::catalog::PatronWrite<'_>) -> crate::Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO patrons (barcode, pin_hash, first_name, last_name, category, home_branch_id, email, phone, birth_date, preferred_locale, expires_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(p.barcode)
        .bind(p.pin_hash)
        .bind(p.first_name)
        .bind(p.last_name)
        .bind(p.category)
        .bind(p.home_branch_id)
        .bind(p.email)
        .bind(p.phone)
        .bind(p.birth_date)
        .bind(p.preferred_locale)
        .bind(p.expires_on)
        .bind(p.now)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    async fn patron(&mut self, id: i64) -> crate::Result<Option<crate::catalog::PatronRow>> {
        Ok(sqlx::query_as("SELECT * FROM patrons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn patron_by_barcode(&mut self, barcode: &str) -> crate::Result<Option<crate::catalog::PatronRow>> {
        Ok(sqlx::query_as("SELECT * FROM patrons WHERE barcode = $1")
            .bind(barcode)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    async fn search_patrons(&mut self, q: &str, limit: i64) -> crate::Result<Vec<crate::catalog::PatronRow>> {
        let like = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
        Ok(sqlx::query_as(
            "SELECT * FROM patrons WHERE barcode = $1 OR lower(last_name) LIKE $2 OR lower(first_name) LIKE $2 \
             OR lower(email) LIKE $2 OR phone LIKE $2 ORDER BY last_name, first_name LIMIT $3",
        )
        .bind(q)
        .bind(like)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    async fn count_patrons(&mut self) -> crate::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM patrons").fetch_one(&mut *self.tx).await?)
    }
}
