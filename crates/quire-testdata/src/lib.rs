//! Locates the shared, third-party test fixtures (`../shared/data` next to the
//! repository clone; override with `QUIRE_SHARED_DATA`).
//!
//! Under `CI=true` a missing fixture is a test failure (CI always has the
//! data); elsewhere the caller gets `None` and should skip with the message
//! this crate prints.

use std::path::{Path, PathBuf};

/// Root of the shared data folder, if it exists.
pub fn root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("QUIRE_SHARED_DATA") {
        let p = PathBuf::from(dir);
        return p.is_dir().then_some(p);
    }
    // crates/<name>/ -> repo root -> sibling `shared/data`
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidate = repo.join("../shared/data");
    candidate
        .is_dir()
        .then(|| candidate.canonicalize().unwrap_or(candidate))
}

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Path of a fixture relative to the shared data root (e.g. `"marc/yaz__marc1.marc"`).
///
/// Returns `None` (after printing why) when the fixture is absent outside CI;
/// panics when it is absent under `CI=true`.
pub fn fixture(relative: &str) -> Option<PathBuf> {
    let found = root().map(|r| r.join(relative)).filter(|p| p.exists());
    match found {
        Some(p) => Some(p),
        None if in_ci() => panic!(
            "fixture {relative} is missing from ../shared/data (set QUIRE_SHARED_DATA); CI must have it"
        ),
        None => {
            eprintln!("SKIP: fixture {relative} not found (../shared/data or QUIRE_SHARED_DATA)");
            None
        }
    }
}

/// A TSV file as read by [`read_tsv`]: header names and rows of raw cells.
pub type Tsv = (Vec<String>, Vec<Vec<Vec<u8>>>);

/// Reads a shared TSV file and undoes its escapes (`\\`, `\t`, `\n`, `\r`,
/// `\xNN`). Returns the header and the rows, each cell as raw bytes (a cell
/// may hold MARC-8 or other non-UTF-8 bytes after unescaping).
pub fn read_tsv(relative: &str) -> Option<Tsv> {
    let path = fixture(relative)?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split('\t')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(unescape).collect())
        .collect();
    Some((header, rows))
}

/// Undoes the TSV cell escapes described in `../shared/data/README.md`.
pub fn unescape(cell: &str) -> Vec<u8> {
    let b = cell.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'\\' => {
                    out.push(b'\\');
                    i += 2;
                }
                b't' => {
                    out.push(b'\t');
                    i += 2;
                }
                b'n' => {
                    out.push(b'\n');
                    i += 2;
                }
                b'r' => {
                    out.push(b'\r');
                    i += 2;
                }
                b'x' if i + 3 < b.len() => {
                    let hex = std::str::from_utf8(&b[i + 2..i + 4]).ok();
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(v) => {
                            out.push(v);
                            i += 4;
                        }
                        None => {
                            out.push(b'\\');
                            i += 1;
                        }
                    }
                }
                _ => {
                    out.push(b'\\');
                    i += 1;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn unescapes_all_forms() {
        assert_eq!(unescape(r"a\tb\\c\x1Fd\n"), b"a\tb\\c\x1fd\n".to_vec());
        assert_eq!(unescape(r"trailing\"), b"trailing\\".to_vec());
        assert_eq!(unescape(r"\xZZ"), b"\\xZZ".to_vec());
        assert_eq!(unescape(r"\x1"), b"\\x1".to_vec());
    }
}
