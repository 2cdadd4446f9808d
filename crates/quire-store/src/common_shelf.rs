// Shelf queries, written once for both backends (see common.rs).

const SHELF_COLUMNS: &str = "i.id, i.record_id, i.barcode, i.branch_id, i.location_id, i.call_number, \
     i.call_number_scheme, i.call_number_sort, i.item_type, i.status, i.copy_number, i.updated_at, \
     i.status_changed_at, i.inventory_at, r.title, r.author, r.suppressed \
     FROM items i JOIN bib_records r ON r.id = i.record_id";

/// A value bound to a shelf query, in placeholder order.
enum ShelfBind<'a> {
    Int(i64),
    Text(&'a str),
}

/// The WHERE clause of a shelf window (only the filters that are set, so
/// that each query is a plain index range scan) and its values in
/// placeholder order. Needs `r` (the record) joined unless the query is a
/// staff cart (`status` set, not public).
fn shelf_filter<'a>(q: &crate::shelf::ShelfQuery<'a>) -> (String, Vec<ShelfBind<'a>>) {
    fn add<'a>(sql: &mut String, binds: &mut Vec<ShelfBind<'a>>, clause: &str, b: ShelfBind<'a>) {
        binds.push(b);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    }
    let mut sql = String::from("i.branch_id = $1");
    let mut binds = vec![ShelfBind::Int(q.branch_id)];
    match q.location_id {
        Some(l) => add(&mut sql, &mut binds, " AND i.location_id = ?", ShelfBind::Int(l)),
        None => sql.push_str(" AND i.location_id IS NULL"),
    }
    match q.status {
        Some(st) => add(&mut sql, &mut binds, " AND i.status = ?", ShelfBind::Text(st)),
        None => sql.push_str(" AND i.status <> 'withdrawn' AND r.deleted_at IS NULL"),
    }
    if q.public {
        sql.push_str(" AND r.suppressed = FALSE");
    }
    let (cmp, cmp_eq) = if q.backward { ("<", "<=") } else { (">", ">=") };
    if q.without_call_number {
        sql.push_str(" AND i.call_number_sort IS NULL");
        if let Some((_, id)) = q.cursor {
            add(&mut sql, &mut binds, &format!(" AND i.id {cmp} ?"), ShelfBind::Int(id));
        }
    } else {
        sql.push_str(" AND i.call_number_sort IS NOT NULL");
        if let Some(f) = q.from_key {
            add(&mut sql, &mut binds, " AND i.call_number_sort >= ?", ShelfBind::Text(f));
        }
        if let Some(t) = q.to_key {
            add(&mut sql, &mut binds, " AND i.call_number_sort < ?", ShelfBind::Text(t));
        }
        if let Some((k, id)) = q.cursor {
            // A range on the key (the index), then the tie-break on the id.
            add(&mut sql, &mut binds, &format!(" AND i.call_number_sort {cmp_eq} ?"), ShelfBind::Text(k));
            let key_at = binds.len();
            add(
                &mut sql,
                &mut binds,
                &format!(" AND (i.call_number_sort <> ${key_at} OR i.id {cmp} ?)"),
                ShelfBind::Int(id),
            );
        }
    }
    (sql, binds)
}

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
        let order = if q.backward { "DESC" } else { "ASC" };
        let (filter, binds) = shelf_filter(q);
        let n = binds.len() + 1;
        let sql = if q.without_call_number {
            format!("SELECT {SHELF_COLUMNS} WHERE {filter} ORDER BY i.id {order} LIMIT ${n}")
        } else {
            format!(
                "SELECT {SHELF_COLUMNS} WHERE {filter} \
                 ORDER BY i.call_number_sort {order}, i.id {order} LIMIT ${n}"
            )
        };
        let mut query = sqlx::query_as(&sql);
        for b in &binds {
            query = match b {
                ShelfBind::Int(v) => query.bind(*v),
                ShelfBind::Text(v) => query.bind(*v),
            };
        }
        Ok(query.bind(q.limit).fetch_all(&mut *self.tx).await?)
    }

    async fn shelf_count(&mut self, q: &crate::shelf::ShelfQuery<'_>) -> crate::Result<i64> {
        let (filter, binds) = shelf_filter(q);
        let from = if q.status.is_some() && !q.public {
            "FROM items i"
        } else {
            "FROM items i JOIN bib_records r ON r.id = i.record_id"
        };
        let sql = format!("SELECT COUNT(*) {from} WHERE {filter}");
        let mut query = sqlx::query_scalar(&sql);
        for b in &binds {
            query = match b {
                ShelfBind::Int(v) => query.bind(*v),
                ShelfBind::Text(v) => query.bind(*v),
            };
        }
        Ok(query.fetch_one(&mut *self.tx).await?)
    }

    async fn status_counts(&mut self, branch_id: i64, status: &str) -> crate::Result<Vec<(Option<i64>, i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT location_id, COUNT(*), COUNT(call_number_sort) FROM items \
             WHERE status = $1 AND branch_id = $2 GROUP BY location_id \
             ORDER BY location_id IS NULL, location_id",
        )
        .bind(status)
        .bind(branch_id)
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
