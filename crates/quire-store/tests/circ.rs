#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Circulation tables on every backend: the database itself refuses a
//! second open loan of an item, a second active capture or open transit of
//! a copy, and the fees ledger is append-only.

use chrono::{Duration, Utc};
use quire_store::catalog::{ItemWrite, PatronWrite, RecordWrite};
use quire_store::circ::{FeeWrite, LoanWrite};
use quire_store::holds::{HoldWrite, TransitWrite};
use quire_store::testing::{TestDb, backends};
use quire_store::{Backend, StoreError};

#[tokio::test]
async fn one_open_loan_per_item_and_an_append_only_ledger() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let store = db.open().await;
        let now = Utc::now();
        let mut tx = store.begin().await.unwrap();
        let branch = tx
            .insert_branch(None, "MAIN", "Main", "branch", "UTC", None, None, None, now)
            .await
            .unwrap();
        let record = tx
            .insert_record(&RecordWrite {
                control_number: None,
                control_number_identifier: None,
                marc: b"x",
                title: "T",
                title_sort: "t",
                author: None,
                publisher: None,
                year: None,
                language: None,
                format: "book",
                now,
            })
            .await
            .unwrap();
        let item = tx
            .insert_item(&ItemWrite {
                record_id: record,
                barcode: "I1",
                branch_id: branch,
                location_id: None,
                call_number: None,
                call_number_scheme: "other",
                call_number_sort: None,
                item_type: "BOOK",
                status: "available",
                copy_number: None,
                price_minor: None,
                now,
            })
            .await
            .unwrap();
        let mut patrons = Vec::new();
        for card in ["P1", "P2"] {
            patrons.push(
                tx.insert_patron(&PatronWrite {
                    barcode: card,
                    pin_hash: None,
                    first_name: "A",
                    last_name: "B",
                    category: "ADULT",
                    home_branch_id: branch,
                    email: None,
                    phone: None,
                    birth_date: None,
                    preferred_locale: None,
                    expires_on: "2030-01-01",
                    now,
                })
                .await
                .unwrap(),
            );
        }
        let loan = |patron_id| LoanWrite {
            item_id: item,
            patron_id,
            checkout_branch_id: branch,
            checked_out_at: now,
            due_at: now + Duration::days(21),
            rule_id: None,
            created_by: "test",
        };
        let first = tx.insert_loan(&loan(patrons[0])).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let e = tx.insert_loan(&loan(patrons[1])).await.unwrap_err();
        assert!(matches!(e, StoreError::Duplicate(_)), "{b:?}: {e}");
        drop(tx);
        // Closed, the item may be lent again; history keeps both.
        let mut tx = store.begin().await.unwrap();
        tx.close_loan(first, now, branch, 500).await.unwrap();
        assert!(matches!(
            tx.close_loan(first, now, branch, 0).await,
            Err(StoreError::NotFound)
        ));
        let second = tx.insert_loan(&loan(patrons[1])).await.unwrap();
        assert_eq!(
            tx.open_loan_of_item(item).await.unwrap().unwrap().id,
            second
        );
        assert_eq!(tx.count_open_loans(patrons[1]).await.unwrap(), 1);
        assert_eq!(
            tx.open_loans_by_type(patrons[1]).await.unwrap(),
            vec![("BOOK".to_owned(), 1)]
        );
        assert_eq!(
            tx.count_overdue(patrons[1], now + Duration::days(22))
                .await
                .unwrap(),
            1
        );
        for amount in [500, -200] {
            tx.insert_fee(&FeeWrite {
                patron_id: patrons[0],
                loan_id: Some(first),
                item_id: Some(item),
                kind: if amount > 0 { "overdue" } else { "payment" },
                amount_minor: amount,
                note: None,
                created_at: now,
                created_by: "test",
            })
            .await
            .unwrap();
        }
        assert_eq!(tx.fee_balance(patrons[0]).await.unwrap(), 300);
        assert_eq!(tx.fee_balance(patrons[1]).await.unwrap(), 0);

        // Holds: the optimistic status check, one active capture per copy,
        // one open transit per copy.
        let hw = |patron_id| HoldWrite {
            patron_id,
            record_id: record,
            item_id: None,
            pickup_branch_id: branch,
            priority: 0,
            placed_at: now,
            expires_at: None,
            created_by: "test",
        };
        let tw = TransitWrite {
            item_id: item,
            from_branch_id: branch,
            to_branch_id: branch,
            reason: "home",
            hold_id: None,
            sent_at: now,
            sent_by: "test",
        };
        let h1 = tx.insert_hold(&hw(patrons[0])).await.unwrap();
        let h2 = tx.insert_hold(&hw(patrons[1])).await.unwrap();
        let mut row = tx.hold(h1).await.unwrap().unwrap();
        row.status = "waiting".into();
        row.captured_item_id = Some(item);
        assert!(tx.save_hold(&row, "placed").await.unwrap());
        assert!(
            !tx.save_hold(&row, "placed").await.unwrap(),
            "{b:?}: the status changed: nothing written"
        );
        assert_eq!(tx.hold_captured_item(item).await.unwrap().unwrap().id, h1);
        assert_eq!(tx.count_active_holds(patrons[0]).await.unwrap(), 1);
        let t = tx.insert_transit(&tw).await.unwrap();
        assert_eq!(tx.open_transit_of_item(item).await.unwrap().unwrap().id, t);
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let mut row2 = tx.hold(h2).await.unwrap().unwrap();
        row2.status = "waiting".into();
        row2.captured_item_id = Some(item);
        let e = tx.save_hold(&row2, "placed").await.unwrap_err();
        assert!(matches!(e, StoreError::Duplicate(_)), "{b:?}: {e}");
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        let e = tx.insert_transit(&tw).await.unwrap_err();
        assert!(matches!(e, StoreError::Duplicate(_)), "{b:?}: {e}");
        drop(tx);
        let mut tx = store.begin().await.unwrap();
        tx.receive_transit(t, now, "test", branch).await.unwrap();
        assert!(tx.open_transit_of_item(item).await.unwrap().is_none());
        tx.insert_transit(&tw).await.unwrap();
        tx.commit().await.unwrap();
        store.close().await;

        // The ledger cannot be edited or deleted, whoever asks.
        for sql in ["UPDATE fees SET amount_minor = 0", "DELETE FROM fees"] {
            let res = match b {
                Backend::Sqlite => {
                    let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&db.url)
                        .await
                        .unwrap();
                    sqlx::query(sql).execute(&mut c).await.map(|_| ())
                }
                Backend::Postgres => {
                    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
                        .await
                        .unwrap();
                    sqlx::query(sql).execute(&mut c).await.map(|_| ())
                }
            };
            let e = res.expect_err(sql).to_string();
            assert!(e.contains("append-only"), "{b:?} {sql}: {e}");
        }
        db.cleanup().await;
    }
}
