//! Black-box test harness (zero2prod style): each test starts the real server on a random port
//! with a fresh database and talks to it over HTTP.
//!
//! Every test runs on SQLite, and on PostgreSQL when `MH_TEST_DATABASE_URL` names a server
//! (an admin URL such as `postgres://postgres@127.0.0.1:5432/postgres`). Each PostgreSQL test gets
//! its own database, copied from a template that is migrated once per test process, and dropped
//! afterwards. With `MH_REQUIRE_POSTGRES=1` (CI) a missing PostgreSQL fails instead of skipping.

pub mod aanvraag;
pub mod fixture;
pub mod login;
mod postgres;
pub mod smtp;

use std::sync::Arc;

use mijn_herstel::config::Settings;
use mijn_herstel::{Application, ExtraRoutes};
use reqwest::{Method, RequestBuilder, Response};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

pub use postgres::PgDatabase;

/// Generates `mod name { fn sqlite(); fn postgres(); }` from one async test body that takes a
/// [`Backend`]. Test names end in `::sqlite` / `::postgres`, which CI counts.
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(#[$meta])*
            async fn run($backend: $crate::Backend) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(backend) = $crate::Backend::postgres() {
                    run(backend).await
                }
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// Admin URL of the PostgreSQL server.
    Postgres(String),
}

impl Backend {
    /// The PostgreSQL backend, or `None` (skip) when it is not configured and not required.
    pub fn postgres() -> Option<Backend> {
        match std::env::var("MH_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ if std::env::var("MH_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
                panic!("MH_REQUIRE_POSTGRES=1 maar MH_TEST_DATABASE_URL is niet gezet")
            }
            _ => {
                eprintln!("PostgreSQL overgeslagen: MH_TEST_DATABASE_URL is niet gezet");
                None
            }
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Backend::Sqlite)
    }
}

pub struct TestApp {
    /// `http://127.0.0.1:<port>/v1`
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    /// A separate connection to the same database, for looking behind the API.
    pub db: DatabaseConnection,
    pub settings: Settings,
    // Dropped last: the database outlives the server's use of it.
    _sqlite_dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
    _mail_dir: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
    task: std::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<()>>>>,
}

/// Settings every test server starts from: development defaults, a free port, one worker,
/// no demo data, a short lock wait so busy-database tests are quick.
pub fn test_settings() -> Settings {
    let mut s = Settings::default();
    s.http.port = 0;
    s.http.workers = 1;
    s.demo.seed_on_empty = false;
    s.database.busy_timeout_ms = 200;
    s.database.max_connections = 4;
    // Mail goes to files in a folder of the test (see `TestApp::mail_dir`) unless a test points
    // it at a real SMTP server (`smtp::mail_to`).
    s.notify.poll_ms = 200;
    s
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts a server with the fixture routes mounted and `adjust` applied to the settings.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        init_logging();
        let mut settings = test_settings();
        let (sqlite_dir, pg) = match &backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                settings.database.url = format!("sqlite://{}/test.db", dir.path().display());
                (Some(dir), None)
            }
            Backend::Postgres(admin) => {
                let database = PgDatabase::create(admin).await;
                settings.database.url = database.url.clone();
                (None, Some(database))
            }
        };
        Self::start(settings, adjust, sqlite_dir, pg).await
    }

    /// A second server on the same database (another instance, or the next release of the
    /// server): `adjust` changes its settings, e.g. the content it ships.
    pub async fn spawn_sharing(&self, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        Self::start(self.settings.clone(), adjust, None, None).await
    }

    async fn start(
        mut settings: Settings,
        adjust: impl FnOnce(&mut Settings),
        sqlite_dir: Option<tempfile::TempDir>,
        pg: Option<PgDatabase>,
    ) -> TestApp {
        // Bound first, so the settings can name the real port (public URL, token issuer, the
        // development IdP's issuer and callbacks).
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("vrije poort");
        let port = listener.local_addr().expect("adres").port();
        settings.http.port = port;
        settings.http.public_url = format!("http://127.0.0.1:{port}/v1");
        let mail_dir = tempfile::tempdir().expect("tempdir");
        settings.notify.map = mail_dir.path().display().to_string();
        settings.bewijs.map = mail_dir.path().join("bewijs").display().to_string();
        adjust(&mut settings);
        let extra: ExtraRoutes = Arc::new(fixture::configure);
        let app = Application::build_on(settings.clone(), Some(listener), Some(extra))
            .await
            .expect("server start");
        let handle = app.handle();
        let task = tokio::spawn(app.run_until_stopped());
        let db = mijn_herstel::db::connect(&settings)
            .await
            .expect("test connection");
        fixture::create_table(&db).await;
        TestApp {
            address: format!("http://127.0.0.1:{port}/v1"),
            port,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            db,
            settings,
            _sqlite_dir: sqlite_dir,
            _mail_dir: mail_dir,
            handle,
            task: std::sync::Mutex::new(Some(task)),
            _pg: pg,
        }
    }

    /// Stops the server as SIGTERM would: running requests finish, then the mail worker finishes
    /// its sends and gives back what it holds. Returns when all of that is done.
    pub async fn stop(&self) {
        self.handle.stop(true).await;
        let task = self.task.lock().expect("lock").take();
        if let Some(task) = task {
            task.await.expect("server-taak").expect("server");
        }
    }

    /// The first column of the first row of `sql` as a number (`SELECT COUNT(*) …`), read behind
    /// the API.
    pub async fn getal(&self, sql: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                sql.to_string(),
            ))
            .await
            .expect("query")
            .expect("row");
        row.try_get_by_index::<i64>(0).expect("number")
    }

    /// Where the development mailer (`notify.mailer = "bestand"`) writes its `.eml` files.
    pub fn mail_dir(&self) -> &std::path::Path {
        self._mail_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Creates a fixture note with a fresh Idempotency-Key; returns (response, key).
    pub async fn create_note(&self, body: &Value) -> (Response, String) {
        let key = uuid::Uuid::new_v4().to_string();
        let response = self
            .request(Method::POST, "/proef-notities")
            .header("Idempotency-Key", &key)
            .json(body)
            .send()
            .await
            .expect("request");
        (response, key)
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.getal(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .await
    }
}

/// Reads a problem+json body and checks the members every problem must have.
pub async fn problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let headers = response.headers().clone();
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert!(
        headers.get("api-version").is_some(),
        "API-Version on an error response"
    );
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(body["status"], status, "{body}");
    for member in ["type", "title", "detail", "instance", "code"] {
        assert!(
            body[member].as_str().is_some_and(|s| !s.is_empty()),
            "{member} in {body}"
        );
    }
    assert!(body["instance"].as_str().unwrap().starts_with("urn:uuid:"));
    assert!(
        body["type"]
            .as_str()
            .unwrap()
            .ends_with(body["code"].as_str().unwrap())
    );
    body
}

fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let mut log = mijn_herstel::config::Settings::default().log;
            log.filter = "info,sqlx=warn".into();
            mijn_herstel::telemetry::init(&log);
        }
    });
}
