#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The SIP2 device use cases beyond the desk's calls, on every available
//! backend: 01 Block Patron / 25 Patron Enable (a device's block is a manual
//! block that only a device lifts; staff blocks stay), 19 Item Status
//! Update (item properties kept on the item, audited), and the
//! "login not required" account a listener may bind to.

mod common;

use common::*;
use quire_library::patrons::BlockForm;
use quire_library::sip2::Sip2AccountForm;
use quire_library::{Ctx, ErrorCode, Library};
use quire_store::model::AuditFilter;
use quire_store::testing::{TestDb, backends};

async fn device(lib: &Library, login: &str, login_optional: bool) -> Ctx {
    lib.create_sip2_account(
        &Ctx::system("test"),
        &Sip2AccountForm {
            login: login.into(),
            password: "pw-of-the-device".into(),
            institution: "QUIRE".into(),
            branch: "MAIN".into(),
            login_optional,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    lib.sip2_login(login, "pw-of-the-device")
        .await
        .unwrap()
        .ctx()
}

async fn audit(lib: &Library, entity: &str) -> Vec<(String, String)> {
    lib.audit_log(
        &Ctx::system("test"),
        &AuditFilter {
            entity: Some(entity.into()),
            limit: 100,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|a| (a.actor_label, a.action))
    .collect()
}

#[tokio::test]
async fn a_device_blocks_a_card_and_lifts_only_its_own_blocks() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let lib = &f.lib;
        let dev = device(lib, "kiosk1", false).await;
        let card = f.patron("Ana").await;
        f.item(0, "31000000000001", "BOOK").await;

        let acc = lib.patron_account(&dev, &card, None).await.unwrap();
        assert!(acc.blocks.is_empty(), "{b:?}");
        let row = lib
            .sip2_block_patron(&dev, &card, true, "Card left in the machine")
            .await
            .unwrap();
        assert_eq!(row.created_by, "sip2:kiosk1");
        assert!(row.lifted_at.is_none());
        assert!(
            row.note.contains("Card left in the machine") && row.note.contains("card retained"),
            "{}",
            row.note
        );
        // The block is in force: in the SIP2 account view and at checkout.
        let acc = lib.patron_account(&dev, &card, None).await.unwrap();
        assert!(
            acc.blocks
                .iter()
                .any(|b| b.stops.checkout && b.stops.renew && b.stops.hold),
            "{b:?}: {:?}",
            acc.blocks
        );
        let e = lib
            .checkout(&dev, &card, "31000000000001", &[])
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Refused, "{e}");

        // Staff add their own block; the device's 25 lifts only its own.
        let patron_id = acc.patron.id;
        let staff = f.staff("desk1", "circulation").await;
        let admin = f.staff("boss", "admin").await;
        lib.add_patron_block(
            &admin,
            patron_id,
            &BlockForm {
                note: "Unpaid damage, see manager".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(lib.sip2_enable_patron(&dev, &card).await.unwrap(), 1);
        assert_eq!(lib.sip2_enable_patron(&dev, &card).await.unwrap(), 0);
        let detail = lib.patron_detail(&admin, patron_id).await.unwrap();
        let active: Vec<_> = detail
            .manual_blocks
            .iter()
            .filter(|b| b.lifted_at.is_none())
            .collect();
        assert_eq!(active.len(), 1, "{b:?}");
        assert_eq!(active[0].created_by, "boss");
        let lifted = detail
            .manual_blocks
            .iter()
            .find(|b| b.created_by == "sip2:kiosk1")
            .unwrap();
        assert_eq!(lifted.lifted_by.as_deref(), Some("sip2:kiosk1"));

        // Audited with the device as actor.
        let log = audit(lib, "patron_block").await;
        assert!(
            log.contains(&("sip2:kiosk1".into(), "create".into())),
            "{log:?}"
        );
        assert!(
            log.contains(&("sip2:kiosk1".into(), "lift".into())),
            "{log:?}"
        );
        assert!(log.contains(&("boss".into(), "create".into())), "{log:?}");

        // Only devices use these calls; unknown cards are not found.
        let e = lib
            .sip2_block_patron(&staff, &card, false, "x")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = lib.sip2_enable_patron(&staff, &card).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        let e = lib
            .sip2_block_patron(&dev, "29999999999999", false, "x")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let e = lib
            .sip2_block_patron(&dev, " ", false, "x")
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].field, "patron");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn item_properties_are_kept_on_the_item() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let lib = &f.lib;
        let dev = device(lib, "sorter1", false).await;
        f.item(1, "31000000000002", "BOOK").await;
        let id = lib.item_info(&dev, "31000000000002").await.unwrap().item.id;
        assert_eq!(lib.item_sip2_properties(&dev, id).await.unwrap(), None);

        let info = lib
            .set_item_sip2_properties(&dev, "31000000000002", "RFID:AFI=07;bin 3")
            .await
            .unwrap();
        assert_eq!(info.sip2_properties.as_deref(), Some("RFID:AFI=07;bin 3"));
        assert_eq!(info.title, "Circulation test title 1");
        assert_eq!(
            lib.item_sip2_properties(&dev, id).await.unwrap().as_deref(),
            Some("RFID:AFI=07;bin 3")
        );
        // Replaced, not appended; the change is audited with before/after.
        lib.set_item_sip2_properties(&dev, "31000000000002", "AFI=C2")
            .await
            .unwrap();
        assert_eq!(
            lib.item_sip2_properties(&dev, id).await.unwrap().as_deref(),
            Some("AFI=C2")
        );
        let log = audit(lib, "item").await;
        assert_eq!(
            log.iter()
                .filter(|e| *e == &("sip2:sorter1".to_owned(), "update".to_owned()))
                .count(),
            2,
            "{log:?}"
        );

        // Bad input: a clear field error and nothing stored.
        for bad in ["a|b", "line\nbreak", &"x".repeat(256)] {
            let e = lib
                .set_item_sip2_properties(&dev, "31000000000002", bad)
                .await
                .unwrap_err();
            assert_eq!(e.fields[0].field, "item_properties", "{bad:?}");
        }
        assert_eq!(
            lib.item_sip2_properties(&dev, id).await.unwrap().as_deref(),
            Some("AFI=C2")
        );
        let e = lib
            .set_item_sip2_properties(&dev, "39999999999999", "x")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn only_login_free_accounts_bind_a_listener() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let f = setup(&db).await;
        let lib = &f.lib;
        device(lib, "gate", true).await;
        device(lib, "kiosk", false).await;
        let a = lib.sip2_open_account("gate").await.unwrap();
        assert!(!a.row.login_required);
        assert_eq!(a.branch_code, "MAIN");
        assert_eq!(
            lib.sip2_open_account("kiosk").await.unwrap_err().code,
            ErrorCode::BadCredentials
        );
        assert_eq!(
            lib.sip2_open_account("nobody").await.unwrap_err().code,
            ErrorCode::NotFound
        );
        db.cleanup().await;
    }
}
