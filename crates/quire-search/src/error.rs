//! Errors of the search index.

use std::path::PathBuf;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong with the search index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The index on disk was built by another schema/analysis version. It
    /// is derived data: delete it (or call
    /// [`SearchIndex::open_or_recreate`](crate::SearchIndex::open_or_recreate))
    /// and re-index from the database.
    #[error(
        "search index at {path} has schema version {found}, this build needs version {expected}: \
         the index must be rebuilt from the database"
    )]
    NeedsRebuild {
        /// Index directory.
        path: PathBuf,
        /// Version found on disk (`"none"` if the version file is missing).
        found: String,
        /// Version this build writes.
        expected: u32,
    },
    /// A directory exists at the path but does not hold a Quire search
    /// index, so it is not touched.
    #[error("{path} is not empty and does not hold a Quire search index")]
    NotAnIndex {
        /// The directory.
        path: PathBuf,
    },
    /// File-system error.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// File or directory concerned.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The commit payload (watermark) on disk is not what this crate writes.
    #[error("unreadable commit payload {payload:?}: {reason}")]
    BadPayload {
        /// The payload text.
        payload: String,
        /// Why it could not be read.
        reason: String,
    },
    /// A query nests deeper than the supported depth.
    #[error("query nests deeper than {max} levels")]
    QueryTooDeep {
        /// The limit.
        max: usize,
    },
    /// The writer lock was poisoned by a panic in another thread.
    #[error("the index writer lock was poisoned by a panicking thread")]
    Poisoned,
    /// Error from tantivy.
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Error opening the index directory.
    #[error("opening index directory: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
}
