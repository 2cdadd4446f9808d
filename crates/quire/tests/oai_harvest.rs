#![allow(clippy::unwrap_used, clippy::expect_used)]
//! OAI-PMH harvest of the whole demo catalog with a real third-party
//! harvester: the PyPI package `sickle`, in the virtualenv scripts/test
//! creates (`target/venv`, or `QUIRE_TEST_PYTHON`). Small pages force many
//! resumption tokens; the repository settings come from the CLI flags.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use common::*;

/// The Python interpreter with sickle installed, if any (required under CI=true).
fn python() -> Option<PathBuf> {
    let py = std::env::var_os("QUIRE_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python")
        });
    let ok = Command::new(&py)
        .args(["-c", "import sickle"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} with the PyPI package sickle is required under CI=true (scripts/test creates target/venv)",
        py.display()
    );
    eprintln!("skipping: no Python with sickle at {}", py.display());
    None
}

#[tokio::test]
async fn sickle_harvests_the_demo_catalog() {
    let Some(py) = python() else { return };
    for b in quire_store::testing::backends() {
        let mut s = Server::prepare(b).await;
        s.env.push(("QUIRE_OAI_PAGE_SIZE".into(), "40".into()));
        s.env.push((
            "QUIRE_OAI_REPOSITORY_NAME".into(),
            "Bayan Public Library".into(),
        ));
        s.env
            .push(("QUIRE_OAI_REPOSITORY_ID".into(), "bayan.example.org".into()));
        s.env.push((
            "QUIRE_OAI_ADMIN_EMAIL".into(),
            "catalog@bayan.example.org".into(),
        ));
        s.start("demo");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/oai_harvest.py");
        let out = Command::new(&py)
            .arg(&script)
            .arg(s.url("/oai"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "sickle failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["repositoryName"], "Bayan Public Library");
        assert_eq!(v["adminEmail"], "catalog@bayan.example.org");
        assert_eq!(v["granularity"], "YYYY-MM-DDThh:mm:ssZ");
        assert_eq!(v["deletedRecord"], "persistent");
        let formats: Vec<&str> = v["formats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert!(formats.contains(&"oai_dc") && formats.contains(&"marc21"));
        assert!(
            !v["sets"].as_array().unwrap().is_empty(),
            "at least one set"
        );
        assert!(v["first_set"]["count"].as_u64().unwrap() > 0);

        let ids = |prefix: &str| -> Vec<String> {
            v[prefix]["identifiers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        };
        let dc = ids("oai_dc");
        let marc = ids("marc21");
        // The whole demo catalog (304 records), each once, through tokens.
        assert_eq!(dc.len(), 304, "identifiers harvested");
        let unique: BTreeSet<&String> = dc.iter().collect();
        assert_eq!(unique.len(), dc.len(), "no identifier twice");
        assert!(
            v["oai_dc"]["pages"].as_u64().unwrap() >= 8,
            "304 / 40 → 8 pages"
        );
        assert!(dc.iter().all(|i| i.starts_with("oai:bayan.example.org:")));
        // oai_dc and marc21 list the same identifiers.
        assert_eq!(
            dc.iter().collect::<BTreeSet<_>>(),
            marc.iter().collect::<BTreeSet<_>>()
        );
        for prefix in ["oai_dc", "marc21"] {
            let r = &v[prefix]["records"];
            let rids: BTreeSet<&str> = r["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .collect();
            assert_eq!(rids.len(), 304, "{prefix} ListRecords");
            assert_eq!(r["with_metadata"].as_u64().unwrap(), 304, "{prefix}");
        }
        assert_eq!(v["oai_dc"]["records"]["titles"].as_u64().unwrap(), 304);
        s.finish().await;
    }
}

#[test]
fn bad_oai_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    for (flag, value, needle) in [
        ("--oai-repository-id", "not an id", "--oai-repository-id"),
        ("--oai-admin-email", "nobody", "--oai-admin-email"),
        ("--oai-page-size", "0", "--oai-page-size"),
    ] {
        let (ok, _out, err) = run(&[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--http",
            "127.0.0.1:0",
            flag,
            value,
        ]);
        assert!(!ok, "{flag} {value} accepted");
        assert!(err.contains(needle), "{err}");
    }
}
