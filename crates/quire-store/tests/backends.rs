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
