//! Backend-neutral backup and restore.
//!
//! A backup is a gzip'd tar archive: `manifest.json` plus one
//! `tables/<name>.jsonl` per table (one JSON object per row), all read inside
//! one read-only transaction, so it is a consistent snapshot. Because rows are
//! JSON, a backup taken from SQLite restores into PostgreSQL and back — which
//! is also how a library moves from a laptop to a consortium server.
//! Derived data (the search index) is not in the archive: it is rebuilt from
//! the database after a restore.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::{Result, Store, StoreError};

/// Archive format version written into the manifest.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub created_at: DateTime<Utc>,
    pub backend: String,
    pub quire_version: String,
    /// Table → row count.
    pub tables: BTreeMap<String, u64>,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(e.to_string())
}

/// Writes a consistent snapshot of every table to `dest` (a `.tar.gz` file).
pub async fn backup(
    store: &dyn Store,
    dest: &Path,
    now: DateTime<Utc>,
    version: &str,
) -> Result<Manifest> {
    let staging = tempfile::tempdir_in(
        dest.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .map_err(io)?;
    std::fs::create_dir(staging.path().join("tables")).map_err(io)?;
    let mut tx = store.read().await?;
    let mut counts = BTreeMap::new();
    for table in tx.tables().await? {
        let file =
            std::fs::File::create(staging.path().join("tables").join(format!("{table}.jsonl")))
                .map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        let n = tx
            .dump_table(&table, &mut |line| {
                w.write_all(line.as_bytes())?;
                w.write_all(b"\n")
            })
            .await?;
        w.flush().map_err(io)?;
        counts.insert(table, n);
    }
    drop(tx);
    let manifest = Manifest {
        format: FORMAT,
        created_at: now,
        backend: store.backend().as_str().to_owned(),
        quire_version: version.to_owned(),
        tables: counts,
    };
    let tmp = dest.with_extension("partial");
    {
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        let json = serde_json::to_vec_pretty(&manifest).map_err(io)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(now.timestamp().max(0) as u64);
        header.set_cksum();
        tar.append_data(&mut header, "manifest.json", json.as_slice())
            .map_err(io)?;
        tar.append_dir_all("tables", staging.path().join("tables"))
            .map_err(io)?;
        let gz = tar.into_inner().map_err(io)?;
        gz.finish().map_err(io)?.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, dest).map_err(io)?;
    Ok(manifest)
}

/// Restores an archive made by [`backup`] into `store`, which must be empty
/// (freshly migrated). All or nothing: one transaction.
pub async fn restore(store: &dyn Store, src: &Path) -> Result<Manifest> {
    let staging = tempfile::tempdir().map_err(io)?;
    let file = std::fs::File::open(src).map_err(io)?;
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(staging.path())
        .map_err(|e| {
            StoreError::Io(format!(
                "{}: not a Quire backup archive ({e})",
                src.display()
            ))
        })?;
    let mut raw = String::new();
    std::fs::File::open(staging.path().join("manifest.json"))
        .and_then(|mut f| f.read_to_string(&mut raw))
        .map_err(|e| StoreError::Io(format!("{}: missing manifest.json ({e})", src.display())))?;
    let manifest: Manifest =
        serde_json::from_str(&raw).map_err(|e| StoreError::Io(format!("manifest.json: {e}")))?;
    if manifest.format != FORMAT {
        return Err(StoreError::Io(format!(
            "backup format {} is not supported (expected {FORMAT})",
            manifest.format
        )));
    }
    let mut tx = store.begin().await?;
    let tables = tx.tables().await?;
    for t in &tables {
        if !tx.table_is_empty(t).await? {
            return Err(StoreError::Io(format!(
                "the target database is not empty (table {t} has rows); restore needs a new, empty database"
            )));
        }
    }
    for t in manifest.tables.keys() {
        if !tables.contains(t) {
            return Err(StoreError::Io(format!(
                "backup has table {t}, which this version of Quire does not know"
            )));
        }
    }
    for table in &tables {
        let path = staging.path().join("tables").join(format!("{table}.jsonl"));
        let Ok(file) = std::fs::File::open(&path) else {
            continue; // table created by a newer migration than the backup: stays empty
        };
        let mut batch = Vec::with_capacity(500);
        let mut restored = 0u64;
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io)?;
            if line.is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(&line)
                .map_err(|e| StoreError::Io(format!("tables/{table}.jsonl line {}: {e}", i + 1)))?;
            batch.push(v);
            if batch.len() == 500 {
                tx.restore_rows(table, &batch).await?;
                restored += batch.len() as u64;
                batch.clear();
            }
        }
        tx.restore_rows(table, &batch).await?;
        restored += batch.len() as u64;
        if let Some(expected) = manifest.tables.get(table)
            && *expected != restored
        {
            return Err(StoreError::Io(format!(
                "tables/{table}.jsonl has {restored} rows, the manifest says {expected}"
            )));
        }
    }
    tx.reset_sequences().await?;
    tx.commit().await?;
    Ok(manifest)
}

/// Orders tables so that every table comes after the tables it references.
pub(crate) fn dependency_order(names: Vec<String>, edges: &[(String, String)]) -> Vec<String> {
    let mut deps: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (child, parent) in edges {
        if child != parent {
            deps.entry(child.as_str())
                .or_default()
                .insert(parent.as_str());
        }
    }
    let mut done: Vec<String> = Vec::with_capacity(names.len());
    let mut placed: HashSet<String> = HashSet::new();
    let mut remaining = names;
    while !remaining.is_empty() {
        let before = remaining.len();
        let mut next = Vec::new();
        for t in remaining {
            let ready = deps
                .get(t.as_str())
                .is_none_or(|ps| ps.iter().all(|p| placed.contains(*p)));
            if ready {
                placed.insert(t.clone());
                done.push(t);
            } else {
                next.push(t);
            }
        }
        if next.len() == before {
            // A cycle: keep the rest in name order rather than loop forever.
            done.extend(next);
            break;
        }
        remaining = next;
    }
    done
}

/// Decodes `\x0a1b…` (PostgreSQL's bytea text form, also used for SQLite
/// blobs in backups).
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let h = s.strip_prefix("\\x")?;
    if h.len() % 2 != 0 {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Parses a timestamp as SQLite stores it (RFC 3339, or `YYYY-MM-DD HH:MM:SS`).
pub(crate) fn parse_sqlite_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_parents_first() {
        let names = vec!["c".to_owned(), "b".to_owned(), "a".to_owned()];
        let edges = vec![
            ("c".to_owned(), "b".to_owned()),
            ("b".to_owned(), "a".to_owned()),
            ("a".to_owned(), "a".to_owned()),
        ];
        assert_eq!(dependency_order(names, &edges), vec!["a", "b", "c"]);
    }

    #[test]
    fn hex_roundtrip() {
        assert_eq!(unhex("\\x00ff1e"), Some(vec![0, 255, 30]));
        assert_eq!(unhex("00ff"), None);
        assert_eq!(unhex("\\x0"), None);
        assert_eq!(unhex("\\xzz"), None);
    }

    #[test]
    fn times() {
        assert!(parse_sqlite_time("2026-11-30T21:10:14.123+00:00").is_some());
        assert!(parse_sqlite_time("2026-11-30 21:10:14").is_some());
        assert!(parse_sqlite_time("yesterday").is_none());
    }
}
