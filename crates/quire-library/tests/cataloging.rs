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
    add_branch(&lib, "MAIN", "Main").await;
    lib
}

/// A volunteer (no cataloging or policy permissions).
async fn volunteer(lib: &Library) -> Ctx {
    lib.create_staff(
        &Ctx::system("test"),
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
    Ctx::staff(lib.staff_identity("vol").await.unwrap(), None)
}

/// A branch with a STACKS location; its id.
async fn add_branch(lib: &Library, code: &str, name: &str) -> i64 {
    let sys = Ctx::system("test");
    let b = lib
        .create_branch(
            &sys,
            &BranchForm {
                code: code.into(),
                name: name.into(),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    lib.create_location(
        &sys,
        b.id,
        &LocationInput::parse("STACKS", "Stacks", true, true, true).unwrap(),
    )
    .await
    .unwrap();
    b.id
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
        let vol = volunteer(&lib).await;
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

#[tokio::test]
async fn default_call_number_scheme_decides_after_the_item_and_marc() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        // The record's 050 and 082.
        let with_cn = format!("{RECORD}050 00 $aPS3537.A426$bC3 2019\n082 04 $a813.54$223\n");
        let id = create(&lib, &with_cn).await;
        let explained = |lib: &Library, item: i64| {
            let lib = lib.clone();
            async move {
                let e = lib.item_for_edit(&Ctx::system("test"), item).await.unwrap();
                let s = e.scheme.unwrap();
                (e.item.call_number_scheme, s.scheme, s.source, s.tag)
            }
        };
        let form = |barcode: &str, cn: &str, scheme: &str| ItemEditForm {
            call_number: cn.into(),
            call_number_scheme: scheme.into(),
            ..item_form(barcode)
        };
        assert_eq!(lib.default_call_number_scheme(&sys).await.unwrap(), None);

        // No default: the record's 050 decides its own number, a guess the rest.
        let a = lib
            .create_item(&sys, id, &form("40001", "PS3537.A426 C3 2019", ""))
            .await
            .unwrap();
        assert_eq!(
            explained(&lib, a.id).await,
            ("lc".into(), "lc", "marc", Some("050")),
            "{b:?}"
        );
        let d = lib
            .create_item(&sys, id, &form("40002", "813.54", ""))
            .await
            .unwrap();
        assert_eq!(
            explained(&lib, d.id).await,
            ("dewey".into(), "dewey", "marc", Some("082"))
        );
        let g = lib
            .create_item(&sys, id, &form("40003", "599.75 SMI", ""))
            .await
            .unwrap();
        assert_eq!(
            explained(&lib, g.id).await,
            ("dewey".into(), "dewey", "guessed", None)
        );

        // A default of "other": local numbers follow it, MARC and the item still win.
        assert_eq!(
            lib.set_default_call_number_scheme(&sys, "other")
                .await
                .unwrap(),
            Some(quire_domain::callnumber::Scheme::Other)
        );
        let o = lib
            .create_item(&sys, id, &form("40004", "599.75 SMI", ""))
            .await
            .unwrap();
        assert_eq!(
            explained(&lib, o.id).await,
            ("other".into(), "other", "library-default", None)
        );
        let m = lib
            .create_item(&sys, id, &form("40005", "PS3537.A426  c3 2019", ""))
            .await
            .unwrap();
        assert_eq!(
            explained(&lib, m.id).await,
            ("lc".into(), "lc", "marc", Some("050"))
        );
        let i = lib
            .create_item(&sys, id, &form("40006", "599.75 SMI", "dewey"))
            .await
            .unwrap();
        assert_eq!(
            explained(&lib, i.id).await,
            ("dewey".into(), "dewey", "item", None)
        );
        // The item saved under "guess" keeps its scheme; re-saved with "detect" it follows the default.
        assert_eq!(explained(&lib, g.id).await.0, "dewey");
        let again = form("40003", "599.75 SMI", "");
        let g2 = lib.update_item(&sys, g.id, &again).await.unwrap();
        assert_eq!(g2.call_number_scheme, "other");
        // A Dewey default rejects an LC-only number the item does not mark as LC.
        lib.set_default_call_number_scheme(&sys, "dewey")
            .await
            .unwrap();
        let e = lib
            .create_item(&sys, id, &form("40007", "QA76.73 .R87", ""))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("call_number"));
        lib.create_item(&sys, id, &form("40007", "QA76.73 .R87", "lc"))
            .await
            .unwrap();

        // Back to guessing; bad values and missing permission are refused.
        assert_eq!(
            lib.set_default_call_number_scheme(&sys, "guess")
                .await
                .unwrap(),
            None
        );
        assert_eq!(lib.default_call_number_scheme(&sys).await.unwrap(), None);
        let e = lib
            .set_default_call_number_scheme(&sys, "udc")
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("scheme"));
        let vol = volunteer(&lib).await;
        let e = lib
            .set_default_call_number_scheme(&vol, "lc")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        // Every change is audited.
        let changes = lib
            .audit_log(
                &sys,
                &quire_library::model::AuditFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.entity_id.as_deref() == Some("callnumber.default_scheme"))
            .count();
        assert_eq!(changes, 3, "{b:?}");
    }
}

#[tokio::test]
async fn a_branch_default_scheme_comes_before_the_librarys_and_keeps_saved_items() {
    use quire_domain::callnumber::Scheme;
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        let law = add_branch(&lib, "LAW", "Law library").await;
        let id = create(&lib, RECORD).await;
        let with_082 = create(&lib, &format!("{RECORD}082 04 $a345.73$223\n")).await;
        let at = |branch: &str, barcode: &str, cn: &str, scheme: &str| ItemEditForm {
            branch: branch.into(),
            call_number: cn.into(),
            call_number_scheme: scheme.into(),
            ..item_form(barcode)
        };
        let explained = |item: i64| {
            let lib = lib.clone();
            async move {
                let e = lib.item_for_edit(&Ctx::system("test"), item).await.unwrap();
                let s = e.scheme.unwrap();
                (e.item.call_number_scheme, s.source)
            }
        };
        lib.set_default_call_number_scheme(&sys, "dewey")
            .await
            .unwrap();
        // Items saved at LAW before it has a default of its own: Dewey.
        let mut before = Vec::new();
        for (bc, cn) in [
            ("50001", "345.73 SMI"),
            ("50002", "340 ABC"),
            ("50003", "347.9 Z"),
        ] {
            let it = lib
                .create_item(&sys, id, &at("LAW", bc, cn, ""))
                .await
                .unwrap();
            assert_eq!(it.call_number_scheme, "dewey", "{b:?}");
            before.push((it.id, it.call_number_sort.clone()));
        }
        assert_eq!(
            explained(before[0].0).await,
            ("dewey".into(), "library-default")
        );

        // LAW reads call numbers as "other" from now on.
        assert_eq!(
            lib.set_branch_call_number_scheme(&sys, "law", "other")
                .await
                .unwrap(),
            Some(Scheme::Other)
        );
        let listed = lib.branch_call_number_schemes(&sys).await.unwrap();
        let scheme_of = |code: &str| listed.iter().find(|b| b.code == code).unwrap().scheme;
        assert_eq!(scheme_of("LAW"), Some("other"));
        assert_eq!(scheme_of("MAIN"), None);
        // A number Dewey cannot read is fine at LAW, and says why.
        let k = lib
            .create_item(&sys, id, &at("LAW", "50004", "KF 27 .A1", ""))
            .await
            .unwrap();
        assert_eq!(explained(k.id).await, ("other".into(), "branch-default"));
        assert_eq!(
            k.call_number_sort.as_deref(),
            Some(quire_domain::callnumber::sort_key(Scheme::Other, "KF 27 .A1").as_str())
        );
        // … but not at MAIN, where the library's Dewey default applies.
        let e = lib
            .create_item(&sys, id, &at("MAIN", "50005", "KF 27 .A1", ""))
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("call_number"), "{b:?}");
        let m = lib
            .create_item(&sys, id, &at("MAIN", "50005", "345.73 SMI", ""))
            .await
            .unwrap();
        assert_eq!(explained(m.id).await, ("dewey".into(), "library-default"));
        // The item's own scheme and the record's MARC field still win.
        let own = lib
            .create_item(&sys, id, &at("LAW", "50006", "345.73 SMI", "dewey"))
            .await
            .unwrap();
        assert_eq!(explained(own.id).await, ("dewey".into(), "item"));
        let marc = lib
            .create_item(&sys, with_082, &at("LAW", "50007", "345.73", ""))
            .await
            .unwrap();
        assert_eq!(explained(marc.id).await, ("dewey".into(), "marc"));
        // An item moved to LAW with "detect" is read in LAW's scheme.
        let moved = lib
            .update_item(&sys, m.id, &at("LAW", "50005", "345.73 SMI", ""))
            .await
            .unwrap();
        assert_eq!(moved.call_number_scheme, "other");

        // Items saved before the change keep their scheme and sort key:
        // their shelf order is what it was.
        for (item, sort) in &before {
            let e = lib.item_for_edit(&sys, *item).await.unwrap();
            assert_eq!(e.item.call_number_scheme, "dewey");
            assert_eq!(&e.item.call_number_sort, sort, "{b:?}");
        }
        let shelf = lib
            .shelf_browse(
                before[0].0,
                quire_library::shelf::BrowseAt::Around,
                10,
                true,
            )
            .await
            .unwrap();
        let order: Vec<&str> = shelf
            .items
            .iter()
            .filter(|i| ["50001", "50002", "50003"].contains(&i.barcode.as_str()))
            .map(|i| i.barcode.as_str())
            .collect();
        assert_eq!(order, ["50002", "50001", "50003"], "Dewey order at LAW");

        // Cleared: the library's default again.
        assert_eq!(
            lib.set_branch_call_number_scheme(&sys, "LAW", "library")
                .await
                .unwrap(),
            None
        );
        let again = lib
            .create_item(&sys, id, &at("LAW", "50008", "340 XYZ", ""))
            .await
            .unwrap();
        assert_eq!(
            explained(again.id).await,
            ("dewey".into(), "library-default")
        );
        assert_eq!(
            explained(k.id).await.0,
            "other",
            "the LAW item saved under 'other' keeps it"
        );

        // Bad input names the field; volunteers may not change it.
        let e = lib
            .set_branch_call_number_scheme(&sys, "LAW", "udc")
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("scheme"));
        let e = lib
            .set_branch_call_number_scheme(&sys, "NOPE", "lc")
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("branch"));
        let e = lib
            .set_branch_call_number_scheme(&sys, " ", "lc")
            .await
            .unwrap_err();
        assert_eq!(e.first_field(), Some("branch"));
        let vol = volunteer(&lib).await;
        let e = lib
            .set_branch_call_number_scheme(&vol, "LAW", "lc")
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        // Both changes are audited on the branch, with before and after.
        let changes: Vec<_> = lib
            .audit_log(
                &sys,
                &quire_library::model::AuditFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .filter(|a| {
                a.entity == "branch"
                    && a.entity_id.as_deref() == Some(law.to_string().as_str())
                    && a.action == "update"
            })
            .collect();
        assert_eq!(changes.len(), 2, "{b:?}");
        let afters: Vec<String> = changes
            .iter()
            .map(|a| {
                let after: serde_json::Value =
                    serde_json::from_str(a.after_json.as_deref().unwrap()).unwrap();
                after["default_call_number_scheme"].to_string()
            })
            .collect();
        assert!(afters.contains(&"\"other\"".to_owned()), "{afters:?}");
        assert!(afters.contains(&"\"library\"".to_owned()), "{afters:?}");
    }
}

#[tokio::test]
async fn imported_items_are_read_in_their_branchs_default_scheme() {
    for b in backends() {
        let db = TestDb::new(b).await;
        let lib = library(&db).await;
        let sys = Ctx::system("test");
        let mut config = quire_library::holdings::HoldingsConfig::default();
        config.local_949.barcode = "i".into();
        config.local_949.call_number = "d".into();
        config.local_949.branch = "w".into();
        config.local_949.item_type = String::new();
        lib.set_holdings_mapping(&sys, &config).await.unwrap();
        lib.set_default_call_number_scheme(&sys, "dewey")
            .await
            .unwrap();
        lib.set_branch_call_number_scheme(&sys, "MAIN", "other")
            .await
            .unwrap();
        let (mut rec, _) = quire_marc::edit::parse_text(RECORD);
        rec.push(quire_marc::Field::data(
            quire_marc::Tag(*b"949"),
            ' ',
            ' ',
            vec![
                quire_marc::Subfield::new('i', "60001"),
                quire_marc::Subfield::new('d', "813.54 SAL"),
                quire_marc::Subfield::new('w', "MAIN"),
            ],
        ));
        let bytes = quire_marc::iso2709::to_bytes(&rec).unwrap();
        let r = lib
            .import_marc(
                &sys,
                "branch-scheme",
                "branch-scheme",
                std::io::Cursor::new(bytes),
                &Default::default(),
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(r.counts.items_created, 1, "{b:?}");
        let id = lib.item_id_by_barcode(&sys, "60001").await.unwrap();
        let item = lib.item_for_edit(&sys, id).await.unwrap();
        // MAIN's "other", not the library's Dewey (the record has no 082).
        assert_eq!(item.item.call_number_scheme, "other", "{b:?}");
        assert_eq!(
            item.item.call_number_sort.as_deref(),
            Some(
                quire_domain::callnumber::sort_key(
                    quire_domain::callnumber::Scheme::Other,
                    "813.54 SAL"
                )
                .as_str()
            )
        );
        assert_eq!(item.scheme.unwrap().source, "branch-default");
    }
}
