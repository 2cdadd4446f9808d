//! The circulation test fixture shared by the service suites
//! (`circulation.rs`, `holds.rs`): a library on a manual clock with
//! branches MAIN and EAST, a small generated catalog, and helpers for
//! items, patrons and staff.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use quire_domain::org::BranchForm;
use quire_domain::staff::NewStaffForm;
use quire_library::catalog::{Holdings, ImportOptions, ItemForm};
use quire_library::{Ctx, Error, ErrorCode, Library, ManualClock, Settings};
use quire_marc::{Field, Record, Subfield, Tag};
use quire_store::testing::TestDb;
use std::sync::Arc;

/// Monday 2026-11-30 09:00 UTC.
pub fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

pub struct Fixture {
    pub lib: Library,
    pub clock: Arc<ManualClock>,
    /// Record ids of the generated catalog.
    pub records: Vec<i64>,
}

pub fn marc(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let mut r = Record::new();
        r.push(Field::control(
            Tag::parse("001").unwrap(),
            format!("circ{i}"),
        ));
        r.push(Field::data(
            Tag::parse("245").unwrap(),
            '1',
            '0',
            vec![Subfield::new('a', format!("Circulation test title {i}"))],
        ));
        out.extend(quire_marc::iso2709::to_bytes(&r).unwrap());
    }
    out
}

/// Branches MAIN and EAST (UTC), a small catalog, no opening hours (open
/// every day) unless a test sets them.
pub async fn setup(db: &TestDb) -> Fixture {
    let clock = Arc::new(ManualClock::at(start()));
    let lib = Library::new(db.open().await, clock.clone(), Settings::default())
        .await
        .unwrap();
    let sys = Ctx::system("test");
    for code in ["MAIN", "EAST"] {
        lib.create_branch(
            &sys,
            &BranchForm {
                code: code.into(),
                name: format!("{code} branch"),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    }
    lib.import_marc(
        &sys,
        "circ",
        "circ",
        std::io::Cursor::new(marc(3)),
        &ImportOptions {
            holdings: Holdings::None,
            ..Default::default()
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    let mut records = Vec::new();
    for i in 0..3 {
        records.push(
            lib.record_id_by_control_number(&format!("circ{i}"))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    Fixture {
        lib,
        clock,
        records,
    }
}

impl Fixture {
    pub async fn item(&self, record: usize, barcode: &str, item_type: &str) {
        self.lib
            .add_item(
                &Ctx::system("test"),
                self.records[record],
                &ItemForm {
                    barcode: barcode.into(),
                    branch: "MAIN".into(),
                    item_type: item_type.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }

    pub async fn patron(&self, first: &str) -> String {
        self.lib
            .register_patron(
                &Ctx::system("test"),
                &quire_domain::patron::PatronForm {
                    first_name: first.into(),
                    last_name: "Reyes".into(),
                    home_branch: "MAIN".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .barcode
    }

    pub async fn staff(&self, username: &str, role: &str) -> Ctx {
        self.lib
            .create_staff(
                &Ctx::system("test"),
                &NewStaffForm {
                    username: username.into(),
                    display_name: username.into(),
                    roles: vec![role.into()],
                    password: "long enough pass".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        Ctx::staff(self.lib.staff_identity(username).await.unwrap(), None)
    }

    pub async fn item_status(&self, record: usize) -> Vec<String> {
        self.lib
            .record(self.records[record])
            .await
            .unwrap()
            .1
            .into_iter()
            .map(|i| i.status)
            .collect()
    }
}

pub fn refusal_codes(e: &Error) -> Vec<&'static str> {
    assert_eq!(e.code, ErrorCode::Refused, "{e}");
    e.refusal_codes()
}
