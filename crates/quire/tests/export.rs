#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `quire export`: the round trip of the UTF-8 fixtures (import, export,
//! same records field by field), items in 952/852, queries.

mod common;

use common::*;
use quire_marc::Record;
use quire_store::testing::backends;

fn read_all(path: &std::path::Path) -> Vec<Record> {
    let f = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    quire_marc::open_reader(f)
        .filter_map(Result::ok)
        .map(|r| r.record)
        .collect()
}

/// The UTF-8 fixtures without defects, from the data set's manifest.
fn utf8_fixtures() -> Vec<std::path::PathBuf> {
    let Some((header, rows)) = quire_testdata::read_tsv("marc/MANIFEST.tsv") else {
        return Vec::new();
    };
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (file, enc, defects) = (
        col("file"),
        col("leader09_encoding"),
        col("defects_seen_by_pymarc_5.4"),
    );
    rows.iter()
        .filter(|r| r[enc] == b"UTF-8" && r[defects].is_empty())
        .filter_map(|r| {
            quire_testdata::fixture(&format!("marc/{}", String::from_utf8_lossy(&r[file])))
        })
        .collect()
}

/// Quire changes on purpose: the leader's computed positions (record
/// length 00-04, indicator and subfield-code counts 10-11, base address
/// 12-16, entry map 20-23, always `2`, `2`, `4500` as MARC 21 fixes them)
/// and 09 (always `a`: records are stored and written as UTF-8); a record
/// without 001 gets its Quire id as 001 (so it can be matched on the next
/// import and identified over OAI-PMH). Text is stored in NFC with
/// Vietnamese vowel marks before tone marks (`quire_marc::normalize`), so
/// the input is compared in that form: the same characters, composed.
fn comparable(r: &Record) -> (String, Vec<quire_marc::Field>) {
    let l: String = r
        .leader
        .as_str()
        .char_indices()
        .map(|(i, c)| {
            if (0..5).contains(&i) || (9..17).contains(&i) || i >= 20 {
                '_'
            } else {
                c
            }
        })
        .collect();
    (l, r.fields.clone())
}

#[tokio::test]
async fn utf8_fixtures_round_trip_field_by_field() {
    let files = utf8_fixtures();
    if files.is_empty() {
        return;
    }
    for b in backends() {
        let s = Server::prepare(b).await;
        assert!(s.cli(&["init"]).0);
        let mut args = vec!["import", "--match", "none", "--holdings", "none", "--quiet"];
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        args.extend(names.iter().map(String::as_str));
        let (ok, out, err) = s.cli(&args);
        assert!(ok, "{out}{err}");
        // What the import read: every record with a title (the others are
        // quarantined), in file order.
        let input: Vec<Record> = files
            .iter()
            .flat_map(|f| read_all(f))
            .filter(|r| r.first("245").is_some())
            .collect();
        assert!(input.len() > 300, "{} records", input.len());
        for format in ["json", "marcxml", "binary"] {
            let out_file = s.data.join(format!("export.{format}"));
            let (ok, _, err) = s.cli(&[
                "export",
                "--format",
                format,
                "-o",
                out_file.to_str().unwrap(),
            ]);
            assert!(ok, "{err}");
            assert!(
                err.contains(&format!("Exported {} records", input.len())),
                "{err}"
            );
            let exported = read_all(&out_file);
            assert_eq!(exported.len(), input.len());
            let mut added_001 = 0;
            for (i, (a, e)) in input.iter().zip(&exported).enumerate() {
                let mut a = a.clone();
                quire_marc::normalize::normalize_record(&mut a);
                let a = &a;
                let (la, fa) = comparable(a);
                let (le, mut fe) = comparable(e);
                assert_eq!(le, la, "{format} record {i}: leader");
                assert_eq!(e.leader.get(9), 'a');
                if a.control_number().is_none() {
                    // A Quire id as 001, in front of the fields.
                    assert!(fe[0].tag().as_str() == "001" && fe[0].control_value().is_some());
                    fe.remove(0);
                    added_001 += 1;
                }
                assert_eq!(fe, fa, "{format} record {i}: fields");
            }
            assert!(added_001 < input.len());
        }
    }
}

#[tokio::test]
async fn items_and_queries() {
    for b in backends() {
        let mut s = Server::prepare(b).await;
        s.start("demo");
        s.terminate();
        let out = s.data.join("nguyen.mrc");
        let (ok, _, err) = s.cli(&[
            "export",
            "--items",
            "--query",
            "dc.creator = nguyen",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        let recs = read_all(&out);
        assert!(!recs.is_empty(), "{err}");
        for r in &recs {
            let authors: String = ["100", "110", "700", "710"]
                .iter()
                .flat_map(|t| r.fields(t))
                .flat_map(|f| f.subfields('a'))
                .collect();
            assert!(authors.to_lowercase().contains("nguy"), "{authors}");
        }
        let items: Vec<_> = recs.iter().flat_map(|r| r.fields("952")).collect();
        assert!(!items.is_empty(), "items written into 952");
        assert!(
            items
                .iter()
                .all(|f| f.subfield('p').is_some() && f.subfield('a').is_some())
        );
        // 852 on request; keywords work too.
        let (ok, _, err) = s.cli(&[
            "export",
            "--items",
            "--items-as",
            "852",
            "--query",
            "nguyen",
            "--format",
            "marcxml",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        let recs = read_all(&out);
        assert!(
            recs.iter()
                .any(|r| r.first("852").and_then(|f| f.subfield('p')).is_some())
        );
        assert!(
            recs.iter()
                .all(|r| r.first("952").is_none() || r.first("852").is_some())
        );
        // A bad query says why.
        let (ok, _, err) = s.cli(&["export", "--query", "dc.title = (unbalanced"]);
        assert!(!ok);
        assert!(err.contains("CQL"), "{err}");
        s.finish().await;
    }
}
