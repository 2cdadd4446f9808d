#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Store-level checks on every available backend.

use chrono::Utc;
use quire_store::Backend;
use quire_store::model::NewAudit;
use quire_store::testing::{TestDb, backends};

/// Table name → column names.
type Schema = Vec<(String, Vec<String>)>;

#[tokio::test]
async fn migrations_give_both_backends_the_same_tables_and_columns() {
    let mut schemas: Vec<(Backend, Schema)> = Vec::new();
    for b in backends() {
        let db = TestDb::new(b).await;
        let store = db.open().await;
        let mut tx = store.read().await.unwrap();
        let mut tables = tx.tables().await.unwrap();
        tables.sort();
        let mut schema = Vec::new();
        for t in tables {
            let cols = tx
                .columns(&t)
                .await
                .unwrap()
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            schema.push((t, cols));
        }
        drop(tx);
        store.close().await;
        // Opening again re-runs the migrator: a no-op, not an error.
        let again = db.open().await;
        again.close().await;
        db.cleanup().await;
        schemas.push((b, schema));
    }
    assert!(
        schemas[0]
            .1
            .iter()
            .any(|(t, c)| t == "audit_log" && c.contains(&"before_json".to_owned()))
    );
    for (b, s) in &schemas[1..] {
        assert_eq!(s, &schemas[0].1, "{b:?} schema differs from SQLite's");
    }
}

#[tokio::test]
async fn audit_log_is_append_only_in_the_database() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let store = db.open().await;
        let mut tx = store.begin().await.unwrap();
        tx.append_audit(&NewAudit {
            at: Utc::now(),
            actor_user_id: None,
            actor_label: "test",
            action: "create",
            entity: "thing",
            entity_id: Some("1".into()),
            before: None,
            after: Some(serde_json::json!({"a": 1})),
            request_id: None,
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        // Neither UPDATE nor DELETE gets through, whatever the caller.
        for sql in ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"] {
            let err = match b {
                Backend::Sqlite => {
                    let path = db.url.strip_prefix("sqlite:").unwrap();
                    let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
                        "sqlite://{path}"
                    ))
                    .await
                    .unwrap();
                    sqlx::query(sql).execute(&mut c).await.unwrap_err()
                }
                Backend::Postgres => {
                    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
                        .await
                        .unwrap();
                    sqlx::query(sql).execute(&mut c).await.unwrap_err()
                }
            };
            assert!(err.to_string().contains("append-only"), "{b:?}: {err}");
        }
        store.close().await;
        db.cleanup().await;
    }
}

fn record_write(
    title: &str,
    format: &'static str,
    now: chrono::DateTime<Utc>,
) -> quire_store::catalog::RecordWrite<'static> {
    let title: &'static str = Box::leak(title.to_owned().into_boxed_str());
    quire_store::catalog::RecordWrite {
        control_number: None,
        control_number_identifier: None,
        marc: b"00000nam a2200000 a 4500",
        title,
        title_sort: title,
        author: None,
        publisher: None,
        year: None,
        language: None,
        format,
        now,
    }
}

#[tokio::test]
async fn harvest_pages_are_stable_under_edits_and_keep_tombstones() {
    use quire_store::catalog::HarvestQuery;
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-03-01T10:00:00.250Z")
        .unwrap()
        .with_timezone(&Utc);
    let at = |ms: i64| t0 + chrono::Duration::milliseconds(ms);
    for b in backends() {
        let db = TestDb::new(b).await;
        let store = db.open().await;
        let mut w = store.begin().await.unwrap();
        // Five records; the last two share a timestamp (ties broken by id).
        let mut ids = Vec::new();
        for (i, ms) in [0, 1500, 2000, 3000, 3000].into_iter().enumerate() {
            let format = if i % 2 == 0 { "book" } else { "map" };
            ids.push(
                w.insert_record(&record_write(&format!("r{i}"), format, at(ms)))
                    .await
                    .unwrap(),
            );
        }
        w.commit().await.unwrap();

        let q = |after, limit| HarvestQuery {
            after,
            from: None,
            until_before: None,
            format: None,
            branch: None,
            limit,
        };
        let start = (chrono::DateTime::<Utc>::UNIX_EPOCH, 0);
        let mut r = store.read().await.unwrap();
        assert_eq!(
            r.earliest_record_change().await.unwrap(),
            Some(at(0)),
            "{b:?}"
        );
        assert_eq!(r.record_formats().await.unwrap(), vec!["book", "map"]);
        let page1 = r.harvest_records(&q(start, 2)).await.unwrap();
        assert_eq!(
            page1.iter().map(|x| x.id).collect::<Vec<_>>(),
            ids[..2],
            "{b:?}"
        );
        let last = page1.last().map(|x| (x.updated_at, x.id)).unwrap();
        assert_eq!(last.0, at(1500), "{b:?}: sub-second precision survives");
        let page2 = r.harvest_records(&q(last, 3)).await.unwrap();
        assert_eq!(
            page2.iter().map(|x| x.id).collect::<Vec<_>>(),
            ids[2..5],
            "{b:?}"
        );
        // Keyset inside a tie: after the 4th record comes the 5th.
        let tie = (page2[1].updated_at, page2[1].id);
        let rest = r.harvest_records(&q(tie, 10)).await.unwrap();
        assert_eq!(
            rest.iter().map(|x| x.id).collect::<Vec<_>>(),
            ids[4..],
            "{b:?}"
        );
        drop(r);

        // Mid-harvest (after page 1), record 0 is edited and record 2 deleted:
        // both move to the end; nothing is skipped or shifted.
        let mut w = store.begin().await.unwrap();
        w.update_record(ids[0], &record_write("r0 edited", "book", at(10_000)))
            .await
            .unwrap();
        w.mark_record_deleted(ids[2], at(11_000)).await.unwrap();
        w.commit().await.unwrap();
        let mut r = store.read().await.unwrap();
        let page2 = r.harvest_records(&q(last, 10)).await.unwrap();
        assert_eq!(
            page2.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![ids[3], ids[4], ids[0], ids[2]],
            "{b:?}"
        );
        assert!(page2[3].deleted_at.is_some(), "{b:?}: tombstone kept");
        assert_eq!(r.count_records().await.unwrap(), 4);

        // from (inclusive) / until (exclusive bound), format; counts agree.
        let sel = HarvestQuery {
            from: Some(at(1500)),
            until_before: Some(at(10_000)),
            ..q(start, 10)
        };
        let got = r.harvest_records(&sel).await.unwrap();
        assert_eq!(
            got.iter().map(|x| x.id).collect::<Vec<_>>(),
            vec![ids[1], ids[3], ids[4]],
            "{b:?}"
        );
        assert_eq!(r.count_harvest(&sel).await.unwrap(), 3);
        let maps = HarvestQuery {
            format: Some("map"),
            ..q(start, 10)
        };
        assert_eq!(r.count_harvest(&maps).await.unwrap(), 2, "{b:?}");
        let nowhere = HarvestQuery {
            branch: Some("NOWHERE"),
            ..q(start, 10)
        };
        assert!(r.harvest_records(&nowhere).await.unwrap().is_empty());
        drop(r);
        store.close().await;
        db.cleanup().await;
    }
}

/// A write transaction dropped without commit (a refused checkout, an
/// error) leaves nothing behind, and the database lock is free again for
/// the next writer of this process and for another process.
#[tokio::test]
async fn a_dropped_write_transaction_rolls_back_and_frees_the_writer() {
    fn audit(label: &str) -> NewAudit<'_> {
        NewAudit {
            at: Utc::now(),
            actor_user_id: None,
            actor_label: label,
            action: "create",
            entity: "thing",
            entity_id: None,
            before: None,
            after: None,
            request_id: None,
        }
    }
    for b in backends() {
        let db = TestDb::new(b).await;
        let store = db.open().await;
        for _ in 0..3 {
            let mut tx = store.begin().await.unwrap();
            tx.append_audit(&audit("dropped")).await.unwrap();
            drop(tx);
        }
        // The next writer begins (it would wait forever if the lock were
        // kept) and sees none of the dropped rows.
        let mut tx = tokio::time::timeout(std::time::Duration::from_secs(5), store.begin())
            .await
            .expect("the next writer is not kept waiting")
            .unwrap();
        tx.append_audit(&audit("kept")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            db.scalar("SELECT COUNT(*) FROM audit_log WHERE actor_label = 'dropped'")
                .await,
            0
        );
        assert_eq!(
            db.scalar("SELECT COUNT(*) FROM audit_log WHERE actor_label = 'kept'")
                .await,
            1
        );
        // Dropped once more and left alone: another connection (another
        // process, on SQLite) can still write soon after.
        let mut tx = store.begin().await.unwrap();
        tx.append_audit(&audit("dropped")).await.unwrap();
        drop(tx);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if b == Backend::Sqlite {
            let path = db.url.strip_prefix("sqlite:").unwrap();
            let mut c =
                <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{path}"))
                    .await
                    .unwrap();
            // No busy timeout on this connection: a held lock fails at once.
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut c)
                .await
                .unwrap();
            sqlx::query("ROLLBACK").execute(&mut c).await.unwrap();
        }
        store.close().await;
        db.cleanup().await;
    }
}
