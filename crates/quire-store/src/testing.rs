//! Test support: a fresh, migrated database per test, on either backend.
//!
//! SQLite always; PostgreSQL when `QUIRE_TEST_DATABASE_URL` points at a server
//! where the user may create databases (each test gets its own database,
//! dropped when the guard is dropped, best effort).

use std::path::PathBuf;

use rand::Rng;

/// The backends the integration suite must cover in this environment.
pub fn backends() -> Vec<crate::Backend> {
    let mut v = vec![crate::Backend::Sqlite];
    if pg_admin_url().is_some() {
        v.push(crate::Backend::Postgres);
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true but QUIRE_TEST_DATABASE_URL is not set: the PostgreSQL half of the suite would be skipped"
        );
    }
    v
}

pub fn pg_admin_url() -> Option<String> {
    std::env::var("QUIRE_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A database that exists for the life of the guard.
pub struct TestDb {
    pub url: String,
    pub backend: crate::Backend,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn new(backend: crate::Backend) -> TestDb {
        match backend {
            crate::Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path: PathBuf = dir.path().join("quire.db");
                TestDb {
                    url: format!("sqlite:{}", path.display()),
                    backend,
                    _dir: Some(dir),
                    pg: None,
                }
            }
            crate::Backend::Postgres => {
                let admin = pg_admin_url().expect("QUIRE_TEST_DATABASE_URL");
                let name = format!("quire_t_{:016x}", rand::rng().random::<u64>());
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .expect("connect to QUIRE_TEST_DATABASE_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let url = with_database(&admin, &name);
                TestDb {
                    url,
                    backend,
                    _dir: None,
                    pg: Some((admin, name)),
                }
            }
        }
    }

    pub async fn open(&self) -> std::sync::Arc<dyn crate::Store> {
        crate::open(&self.url).await.expect("open test database")
    }

    /// Runs raw SQL on the test database, outside the store (tests use it
    /// to install probes such as counting triggers).
    pub async fn exec(&self, sql: &str) {
        match self.backend {
            crate::Backend::Sqlite => {
                let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .expect("connect to the test database");
                sqlx::raw_sql(sql).execute(&mut c).await.expect("raw SQL");
            }
            crate::Backend::Postgres => {
                let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .expect("connect to the test database");
                sqlx::raw_sql(sql).execute(&mut c).await.expect("raw SQL");
            }
        }
    }

    /// One integer from a query run outside the store.
    pub async fn scalar(&self, sql: &str) -> i64 {
        match self.backend {
            crate::Backend::Sqlite => {
                let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .expect("connect to the test database");
                sqlx::query_scalar(sql)
                    .fetch_one(&mut c)
                    .await
                    .expect("query")
            }
            crate::Backend::Postgres => {
                let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .expect("connect to the test database");
                sqlx::query_scalar(sql)
                    .fetch_one(&mut c)
                    .await
                    .expect("query")
            }
        }
    }

    /// Installs a probe counting every INSERT and UPDATE of `bib_records`
    /// (see [`TestDb::record_writes`]).
    pub async fn count_record_writes(&self) {
        let sql = match self.backend {
            crate::Backend::Sqlite => {
                "CREATE TABLE t_record_writes (op TEXT NOT NULL);
                 CREATE TRIGGER t_record_ins AFTER INSERT ON bib_records BEGIN INSERT INTO t_record_writes VALUES ('insert'); END;
                 CREATE TRIGGER t_record_upd AFTER UPDATE ON bib_records BEGIN INSERT INTO t_record_writes VALUES ('update'); END;"
            }
            crate::Backend::Postgres => {
                "CREATE TABLE t_record_writes (op TEXT NOT NULL);
                 CREATE FUNCTION t_record_write() RETURNS trigger AS $$
                 BEGIN INSERT INTO t_record_writes VALUES (lower(TG_OP)); RETURN NULL; END $$ LANGUAGE plpgsql;
                 CREATE TRIGGER t_record_write AFTER INSERT OR UPDATE ON bib_records
                 FOR EACH ROW EXECUTE FUNCTION t_record_write();"
            }
        };
        self.exec(sql).await;
    }

    /// (inserts, updates) of `bib_records` since [`TestDb::count_record_writes`].
    pub async fn record_writes(&self) -> (i64, i64) {
        (
            self.scalar("SELECT COUNT(*) FROM t_record_writes WHERE op = 'insert'")
                .await,
            self.scalar("SELECT COUNT(*) FROM t_record_writes WHERE op = 'update'")
                .await,
        )
    }

    /// Drops the PostgreSQL database (call at the end of a test; SQLite files
    /// go with the temp dir).
    pub async fn cleanup(self) {
        if let Some((admin, name)) = &self.pg
            && let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(admin).await
        {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end);
    let host = match path_start {
        Some(p) => &base[..p],
        None => base,
    };
    match query {
        Some(q) => format!("{host}/{db}?{q}"),
        None => format!("{host}/{db}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_db_name() {
        assert_eq!(
            super::with_database("postgres://u:p@h:5/postgres", "x"),
            "postgres://u:p@h:5/x"
        );
        assert_eq!(
            super::with_database("postgres://h/postgres?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(
            super::with_database("postgresql:///postgres?host=/tmp", "x"),
            "postgresql:///x?host=/tmp"
        );
    }
}
