#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Staff cataloging on every backend: editor round trip, validation,
//! delete refused while on loan, the OAI tombstone, item edits.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use quire_domain::org::{BranchForm, LocationInput};
use quire_library::cataloging::{ItemEditForm, RecordForm, SaveOutcome};
use quire_library::{Ctx, ErrorCode, Library, ManualClock, Settings};
use quire_search::{Query, SearchIndex, SearchRequest};
use quire_store::catalog::HarvestQuery;
use quire_store::testing::{TestDb, backends};

async fn library(db: &TestDb) -> Library {
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap(),
    ));
    let lib = Library::new(db.open().await, clock, Settings::default())
        .await
        .unwrap();
    lib.set_index(Arc::new(SearchIndex::in_memory().unwrap()));
    let sys = Ctx::system("test");
    let main = lib
        .create_branch(
            &sys,
            &BranchForm {
                code: "MAIN".into(),
                name: "Main".into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    lib.create_location(
        &sys,
        main.id,
        &LocationInput::parse("STACKS", "Stacks", true, true, true).unwrap(),
    )
    .await
    .unwrap();
    lib
}

const RECORD: &str = "LDR 00000nam a2200000 i 4500
008 261130s2019    nyu           000 0 eng d
020    $a9780316769488
100 1  $aSalinger, J. D.
245 14 $aThe catcher in the rye /$cJ.D. Salinger.
264  1 $aNew York :$bLittle, Brown,$c2019.
650  0 $aTeenage boys$vFiction.
";

fn text_form(text: &str) -> RecordForm {
    RecordForm {
        mode: "text".into(),
        text: text.into(),
        ..Default::default()
    }
}

async fn create(lib: &Library, text: &str) -> i64 {
    match lib
        .save_record(&Ctx::system("test"), None, &text_form(text))
        .await
        .unwrap()
    {
        SaveOutcome::Saved(id) => id,
        SaveOutcome::NeedsFixing(i) => panic!("not saved: {i:?}"),
    }
}

fn item_form(barcode: &str) -> ItemEditForm {
    ItemEditForm {
        barcode: barcode.into(),
        branch: "MAIN".into(),
        location: "STACKS".into(),
        item_type: "BOOK".into(),
        call_number: "PS3537.A426 C3 2019".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn editor_round_trip_audit_outbox_and_search() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        db.count_record_writes().await;
        let id = create(&lib, RECORD).await;
        // Written once: the id is reserved before the record is encoded.
        assert_eq!(
            db.record_writes().await,
            (1, 0),
            "{b:?}: (inserts, updates)"
        );
        // The editor opens what was saved; 001 = the Quire id, 005 set.
        let (meta, rec) = lib.record_for_edit(&sys, id).await.unwrap();
        assert_eq!(
            meta.control_number.as_deref(),
            Some(id.to_string().as_str())
        );
        assert_eq!(
            rec.first("005").and_then(|f| f.control_value()),
            Some("20261130090000.0")
        );
        let mut form = RecordForm::from_record(&rec);
        // Edit in the row form: change the title, add a subject, set 008/22.
        let title = form.rows.iter().position(|r| r.tag == "245").unwrap();
        form.rows[title].value = "$aThe catcher in the rye, revised /$cJ.D. Salinger.".into();
        form.apply("add");
        let last = form.rows.len() - 1;
        form.rows[last].tag = "650".into();
        form.rows[last].ind2 = "0".into();
        form.rows[last].value = "$aRunaways$vFiction.".into();
        form.f008.insert("f008-books-22".into(), "d".into());
        assert!(matches!(
            lib.save_record(&sys, Some(id), &form).await.unwrap(),
            SaveOutcome::Saved(x) if x == id
        ));
        let (meta, rec) = lib.record_for_edit(&sys, id).await.unwrap();
        assert_eq!(meta.title, "The catcher in the rye, revised");
        assert_eq!(rec.fields("650").count(), 2);
        assert_eq!(
            rec.first("008")
                .and_then(|f| f.control_value())
                .unwrap()
                .chars()
                .nth(22),
            Some('d')
        );
        // Every field survives a second round through the form unchanged.
        let again = RecordForm::from_record(&rec);
        let (rebuilt, issues) = again.build();
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(rebuilt.fields, rec.fields);
        // Audit: create then update, with before/after.
        let audit = lib
            .audit_log(
                &sys,
                &quire_library::model::AuditFilter {
                    entity: Some("record".into()),
                    entity_id: Some(id.to_string()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, vec!["update", "create"]);
        assert!(
            audit[0]
                .before_json
                .as_deref()
                .unwrap()
                .contains("catcher in the rye /")
        );
        // The index follows via the outbox.
        lib.index_catch_up().await.unwrap();
        let page = lib
            .search_catalog(SearchRequest::new(Query::parse_simple("runaways")), true)
            .await
            .unwrap();
        assert_eq!(
            page.cards.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![id]
        );
    }
}

#[tokio::test]
async fn validation_errors_and_warnings() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        // No 245, a short 008, a bad tag, a bad subfield code: nothing saved.
        let bad = "LDR 00000nam a2200000 i 4500\n008 short\n24 10 $aX\n100 1  $aA$Zb\n";
        let SaveOutcome::NeedsFixing(issues) =
            lib.save_record(&sys, None, &text_form(bad)).await.unwrap()
        else {
            panic!("saved an invalid record")
        };
        let codes: Vec<&str> = issues.iter().map(|i| i.code).collect();
        for c in ["required", "f008-length", "tag-syntax", "subfield-code"] {
            assert!(codes.contains(&c), "{c} missing from {codes:?}");
        }
        assert_eq!(lib.catalog_counts().await.unwrap().0, 0);
        // Warnings only (unusual indicator): saved once accepted.
        let warn = RECORD.replace("245 14", "245 94");
        let mut form = text_form(&warn);
        assert!(matches!(
            lib.save_record(&sys, None, &form).await.unwrap(),
            SaveOutcome::NeedsFixing(ref i) if !quire_marc::edit::has_errors(i)
        ));
        form.accept_warnings = true;
        assert!(matches!(
            lib.save_record(&sys, None, &form).await.unwrap(),
            SaveOutcome::Saved(_)
        ));
        // A volunteer may not edit the catalog.
        lib.create_staff(
            &sys,
            &quire_domain::staff::NewStaffForm {
                username: "vol".into(),
                display_name: "Vol".into(),
                roles: vec!["volunteer".into()],
                password: "long enough pass".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let vol = Ctx::staff(lib.staff_identity("vol").await.unwrap(), None);
        let e = lib
            .save_record(&vol, None, &text_form(RECORD))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
    }
}

#[tokio::test]
async fn delete_refused_on_loan_then_tombstone_over_oai() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        let id = create(&lib, RECORD).await;
        lib.create_item(&sys, id, &item_form("30001"))
            .await
            .unwrap();
        let patron = lib
            .register_patron(
                &sys,
                &quire_domain::patron::PatronForm {
                    first_name: "Ana".into(),
                    last_name: "Reyes".into(),
                    home_branch: "MAIN".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        lib.checkout(&sys, &patron.barcode, "30001", &[])
            .await
            .unwrap();
        let e = lib.delete_record(&sys, id).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.fields[0].code, "items-on-loan");
        assert_eq!(e.fields[0].arg.as_deref(), Some("1"));
        let e = lib
            .delete_item(&sys, lib.record(id).await.unwrap().1[0].id)
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "item-on-loan");
        lib.checkin(&sys, "30001", None).await.unwrap();
        lib.delete_record(&sys, id).await.unwrap();
        // Gone from the catalog, the item withdrawn, a tombstone for harvesters.
        assert_eq!(lib.record(id).await.unwrap_err().code, ErrorCode::NotFound);
        let h = lib.harvest_record(id).await.unwrap().unwrap();
        assert!(h.deleted && h.row.deleted_at.is_some());
        let list = lib
            .harvest(&HarvestQuery {
                after: (Utc.timestamp_opt(0, 0).unwrap(), 0),
                from: None,
                until_before: None,
                format: None,
                branch: None,
                limit: 10,
            })
            .await
            .unwrap();
        assert!(list.iter().any(|r| r.row.id == id && r.deleted));
        lib.index_catch_up().await.unwrap();
        let page = lib
            .search_catalog(SearchRequest::new(Query::parse_simple("catcher")), true)
            .await
            .unwrap();
        assert!(page.cards.is_empty());
        let audit = lib
            .audit_log(
                &sys,
                &quire_library::model::AuditFilter {
                    entity: Some("record".into()),
                    entity_id: Some(id.to_string()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(audit[0].action, "delete");
        assert!(audit[0].after_json.as_deref().unwrap().contains("30001"));
    }
}

#[tokio::test]
async fn item_edits_validate_call_numbers_barcodes_and_status_rules() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        let id = create(&lib, RECORD).await;
        let item = lib
            .create_item(&sys, id, &item_form("30001"))
            .await
            .unwrap();
        lib.create_item(&sys, id, &item_form("30002"))
            .await
            .unwrap();
        // A Dewey scheme with an LC call number: a field error, nothing changed.
        let e = lib
            .update_item(
                &sys,
                item.id,
                &ItemEditForm {
                    call_number: "PS3537.A426".into(),
                    call_number_scheme: "dewey".into(),
                    ..item_form("30001")
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Invalid);
        assert_eq!(e.fields[0].field, "call_number");
        assert!(e.fields[0].code.starts_with("cn-"), "{:?}", e.fields);
        // Another item's barcode: duplicate.
        let e = lib
            .update_item(&sys, item.id, &item_form("30002"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.code, e.fields[0].field),
            (ErrorCode::Duplicate, "barcode")
        );
        // A good edit with a status event the rules allow.
        let edited = lib
            .update_item(
                &sys,
                item.id,
                &ItemEditForm {
                    call_number: "813.54 SAL".into(),
                    call_number_scheme: String::new(),
                    price: "12.50".into(),
                    notes: "Gift of the Friends".into(),
                    status: "mark-damaged".into(),
                    ..item_form("30001")
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (
                edited.call_number_scheme.as_str(),
                edited.status.as_str(),
                edited.price_minor,
                edited.notes.as_deref()
            ),
            ("dewey", "damaged", Some(1250), Some("Gift of the Friends"))
        );
        // Not allowed from damaged: shelved.
        let e = lib
            .update_item(
                &sys,
                item.id,
                &ItemEditForm {
                    status: "shelved".into(),
                    ..item_form("30001")
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.fields[0].code, "transition-not-allowed");
        let view = lib.item_for_edit(&sys, item.id).await.unwrap();
        assert!(view.events.contains(&"repaired") && view.deletable);
        // Never lent: deleted for good.
        assert_eq!(lib.delete_item(&sys, item.id).await.unwrap(), id);
        assert_eq!(lib.record(id).await.unwrap().1.len(), 1);
    }
}

#[tokio::test]
async fn import_uses_the_configured_holdings_mapping() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        let (mut rec, _) = quire_marc::edit::parse_text(RECORD);
        rec.push(quire_marc::Field::data(
            quire_marc::Tag(*b"949"),
            ' ',
            ' ',
            vec![
                quire_marc::Subfield::new('i', "40001"),
                quire_marc::Subfield::new('d', "813.54 SAL"),
                quire_marc::Subfield::new('w', "MAIN"),
            ],
        ));
        let bytes = quire_marc::iso2709::to_bytes(&rec).unwrap();
        let import = |opts: quire_library::catalog::ImportOptions, name: &'static str| {
            let lib = lib.clone();
            let bytes = bytes.clone();
            async move {
                lib.import_marc(
                    &Ctx::system("test"),
                    name,
                    name,
                    std::io::Cursor::new(bytes),
                    &opts,
                    &mut |_| {},
                )
                .await
                .unwrap()
            }
        };
        // The default 949 layout reads the barcode from $b: no item.
        let r = import(Default::default(), "default").await;
        assert_eq!(r.counts.items_created, 0);
        // The saved mapping says $i/$d/$w.
        let mut config = quire_library::holdings::HoldingsConfig::default();
        config.local_949.barcode = "i".into();
        config.local_949.call_number = "d".into();
        config.local_949.branch = "w".into();
        config.local_949.item_type = String::new();
        lib.set_holdings_mapping(&sys, &config).await.unwrap();
        assert_eq!(lib.holdings_mapping().await.unwrap(), config);
        let r = import(Default::default(), "configured").await;
        assert_eq!(r.counts.items_created, 1);
        let id = lib.record_id_by_control_number("1").await.unwrap();
        assert!(id.is_some());
        // An invalid mapping is refused with the field named.
        config.local_949.copy = "i".into();
        let e = lib.set_holdings_mapping(&sys, &config).await.unwrap_err();
        assert_eq!(e.fields[0].field, "m949_copy");
    }
}

#[tokio::test]
async fn whole_records_from_the_api_share_the_editors_rules_and_versions() {
    use quire_library::cataloging::{parse_record_body, record_version, version_matches};
    let json = |title: &str| {
        format!(
            r#"{{"leader":"00000nam a2200000 i 4500","fields":[{{"008":"261130s2019    nyu           000 0 eng d"}},{{"245":{{"ind1":"1","ind2":"0","subfields":[{{"a":"{title}"}}]}}}}]}}"#
        )
    };
    // Content negotiation is the library's: JSON, XML, anything else 415.
    let rec = parse_record_body("application/marc+json", json("Uno").as_bytes()).unwrap();
    assert_eq!(rec.first_subfield("245", 'a'), Some("Uno"));
    let xml = r#"<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 i 4500</leader><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Dos</subfield></datafield></record>"#;
    let rec2 = parse_record_body("text/xml; charset=UTF-8", xml.as_bytes()).unwrap();
    assert_eq!(rec2.first_subfield("245", 'a'), Some("Dos"));
    assert_eq!(
        parse_record_body("text/plain", b"x").unwrap_err().code,
        ErrorCode::UnsupportedMediaType
    );
    assert_eq!(
        parse_record_body("application/json", b"[1,2")
            .unwrap_err()
            .first_field(),
        Some("body")
    );
    assert!(version_matches("*", "abc"));
    assert!(version_matches("W/\"x\", \"abc\"", "abc"));
    assert!(!version_matches("\"abd\"", "abc"));

    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        db.count_record_writes().await;
        let saved = lib
            .save_marc_record(&sys, None, rec.clone(), false, None)
            .await
            .unwrap();
        // Written once, 001 = id, leader/09 = a, version = the stored one.
        assert_eq!(db.record_writes().await, (1, 0), "{b:?}");
        let (row, _) = lib.record(saved.id).await.unwrap();
        assert_eq!(saved.version, record_version(&row));
        assert_eq!(
            lib.record_version_of(saved.id).await.unwrap(),
            saved.version
        );
        let (_, stored) = lib.record_for_edit(&sys, saved.id).await.unwrap();
        assert_eq!(stored.control_number(), Some(saved.id.to_string().as_str()));
        assert_eq!(stored.leader.get(9), 'a');
        // A record without a 008 has a warning: refused until accepted.
        let e = lib
            .save_marc_record(&sys, None, rec2.clone(), false, None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Invalid);
        assert_eq!(e.marc_issues.len(), 1, "{:?}", e.marc_issues);
        assert_eq!(e.marc_issues[0].code, "f008-missing");
        let ok = lib
            .save_marc_record(&sys, None, rec2.clone(), true, None)
            .await
            .unwrap();
        assert_eq!(ok.warnings.len(), 1);
        // Replace: If-Match required, stale refused, nothing written then.
        let v2 = parse_record_body("application/json", json("Uno y medio").as_bytes()).unwrap();
        let e = lib
            .save_marc_record(&sys, Some(saved.id), v2.clone(), false, None)
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::PreconditionRequired);
        let e = lib
            .save_marc_record(&sys, Some(saved.id), v2.clone(), false, Some("\"nope\""))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::PreconditionFailed);
        assert_eq!(
            lib.record_version_of(saved.id).await.unwrap(),
            saved.version
        );
        let quoted = format!("\"{}\"", saved.version);
        let again = lib
            .save_marc_record(&sys, Some(saved.id), v2, false, Some(&quoted))
            .await
            .unwrap();
        assert_ne!(again.version, saved.version);
        let (meta, _) = lib.record_for_edit(&sys, saved.id).await.unwrap();
        assert_eq!(meta.title, "Uno y medio");
        assert_eq!(
            meta.control_number.as_deref(),
            Some(saved.id.to_string().as_str()),
            "the 001 is kept when the body has none"
        );
        // Audit: create + update under the same record.
        let log = lib
            .audit_log(
                &sys,
                &quire_library::model::AuditFilter {
                    entity: Some("record".into()),
                    entity_id: Some(saved.id.to_string()),
                    actor_user_id: None,
                    before_id: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["update", "create"], "{b:?}");
        lib.close().await;
        db.cleanup().await;
    }
}
