#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Starts the real `quire` binary on port 0 with its own temp data dir, on
//! SQLite or (when QUIRE_TEST_DATABASE_URL is set) a fresh PostgreSQL
//! database.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use quire_store::Backend;
use quire_store::testing::TestDb;

pub const BIN: &str = env!("CARGO_BIN_EXE_quire");

pub struct Server {
    pub base: String,
    pub data: PathBuf,
    pub db: Option<TestDb>,
    pub database_url: Option<String>,
    /// Extra environment variables for the server process.
    pub env: Vec<(String, String)>,
    /// `host:port` of the Z39.50 server, when started with `QUIRE_Z3950`.
    pub z3950: Option<String>,
    child: Option<Child>,
    /// Every line the server printed on stdout so far.
    stdout: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

/// Runs `quire` with the server's data/database flags; returns (status, stdout, stderr).
pub fn cli(data: &Path, database: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--data")
        .arg(data)
        .env_remove("QUIRE_PASSWORD")
        .env("RUST_LOG", "warn");
    if let Some(u) = database {
        cmd.arg("--database").arg(u);
    }
    let out = cmd.output().expect("run quire");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

impl Server {
    /// A data dir (and database) ready for `start`.
    pub async fn prepare(backend: Backend) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let (db, database_url) = match backend {
            Backend::Sqlite => (None, None),
            Backend::Postgres => {
                let db = TestDb::new(Backend::Postgres).await;
                let url = db.url.clone();
                (Some(db), Some(url))
            }
        };
        Server {
            base: String::new(),
            data,
            db,
            database_url,
            env: Vec::new(),
            z3950: None,
            child: None,
            stdout: Default::default(),
            _dir: dir,
        }
    }

    pub fn cli(&self, args: &[&str]) -> (bool, String, String) {
        cli(&self.data, self.database_url.as_deref(), args)
    }

    /// Creates a staff account through the CLI.
    pub fn create_user(&self, username: &str, roles: &str, password: &str) {
        let (ok, out, err) = self.cli(&[
            "admin",
            "create-user",
            "--username",
            username,
            "--roles",
            roles,
            "--password",
            password,
        ]);
        assert!(ok, "create-user {username}: {out} {err}");
    }

    /// Starts `quire <cmd> --http 127.0.0.1:0` and waits until it listens.
    pub fn start(&mut self, cmd: &str) {
        let mut c = Command::new(BIN);
        c.arg(cmd)
            .arg("--data")
            .arg(&self.data)
            .arg("--http")
            .arg("127.0.0.1:0")
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        if let Some(u) = &self.database_url {
            c.arg("--database").arg(u);
        }
        let mut child = c
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn quire");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = self.stdout.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                lines
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(line.clone());
                if let Some(rest) = line.strip_prefix("Quire is listening on ") {
                    let _ = tx.send((true, rest.trim().trim_end_matches('/').to_owned()));
                } else if let Some(rest) = line.strip_prefix("Z39.50 is listening on ") {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    let _ = tx.send((false, addr.to_owned()));
                }
            }
        });
        loop {
            let (http, addr) = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("quire did not start listening within 60 s");
            if http {
                self.base = addr;
                break;
            }
            self.z3950 = Some(addr);
        }
        self.child = Some(child);
    }

    /// Waits (up to 60 s) for a stdout line starting with `prefix`; returns
    /// the rest of the line.
    pub fn stdout_line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(l) = self
                .stdout
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .find_map(|l| l.strip_prefix(prefix))
            {
                return l.trim().to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "quire printed no line starting with {prefix:?} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Process id of the running server.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The database URL the server uses.
    pub fn database(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data.join("quire.db").display()))
    }

    /// The service layer over the server's database with a manual clock at
    /// `at` (to put data "in the past", e.g. an overdue loan).
    pub async fn library_at(
        &self,
        at: chrono::DateTime<chrono::Utc>,
    ) -> (
        quire_library::Library,
        std::sync::Arc<quire_library::ManualClock>,
    ) {
        let clock = std::sync::Arc::new(quire_library::ManualClock::at(at));
        let store = quire_library::open_store(&self.database()).await.unwrap();
        let lib =
            quire_library::Library::new(store, clock.clone(), quire_library::Settings::default())
                .await
                .unwrap();
        (lib, clock)
    }

    /// The demo library's `demo.json`.
    pub fn demo_json(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.data.join("demo.json")).unwrap()).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits; returns whether it exited successfully in time.
    pub fn terminate(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub async fn finish(mut self) {
        self.terminate();
        if let Some(db) = self.db.take() {
            db.cleanup().await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A browser-like client: cookies on, redirects off (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The CSRF token from a page's `<meta name="csrf-token">`.
pub fn csrf(html: &str) -> String {
    let re = regex_lite::Regex::new(r#"name="csrf-token" content="([^"]+)""#).expect("regex");
    re.captures(html)
        .map(|c| c[1].to_owned())
        .expect("page has a CSRF token")
}

/// Logs in through the form; returns the client with the session cookie.
pub async fn login(s: &Server, username: &str, password: &str) -> reqwest::Client {
    let c = client();
    let page = c
        .get(s.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&page);
    let r = c
        .post(s.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/staff"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "login as {username} should redirect");
    c
}

/// GET a page and return (status, body).
pub async fn get(c: &reqwest::Client, url: &str) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Runs `quire` with exactly these arguments; returns (success, stdout, stderr).
pub fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run quire");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
