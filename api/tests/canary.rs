//! The test persons' BSNs are canaries. The real binary runs with TRACE logging on SQLite and on
//! PostgreSQL; parents log in through the development IdP over HTTP. Afterwards the server's log
//! output, the SQLite file (with its WAL) and a `pg_dump` must not contain any canary in
//! plaintext. Positive control: the canary really went through — it is in the ID token the
//! provider issues (fetched here with the same client credentials the server uses).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use mijn_herstel::identity::dev_keys::DEV_CLIENT_KEY;
use sha2::{Digest, Sha256};

#[path = "canary/reis.rs"]
mod reis;

const CANARIES: [&str; 4] = ["999993653", "999990019", "999990032", "999990044"];
const PARENTS: [&str; 2] = [
    "0193a6c2-0000-7000-8000-000000000001",
    "0193a6c2-0000-7000-8000-000000000002",
];
const APP: &str = "https://app.mijn-herstel.example/inloggen/klaar";

struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
    /// Access tokens that went into a URL; the log must not show them.
    tokens: std::sync::Mutex<Vec<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(dir: &Path, database_url: &str) -> Server {
    let port = free_port();
    let log = dir.join(format!("server-{port}.log"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mijn-herstel"));
    for (k, _) in std::env::vars() {
        if k.starts_with("MH_") || k == "DATABASE_URL" || k == "RUST_LOG" {
            cmd.env_remove(k);
        }
    }
    let child = cmd
        .current_dir(dir)
        .env("MH_DATABASE__URL", database_url)
        .env("MH_HTTP__PORT", port.to_string())
        .env("MH_HTTP__PUBLIC_URL", format!("http://127.0.0.1:{port}/v1"))
        .env("MH_LOG__FILTER", "trace")
        .env("MH_NOTIFY__MAP", dir.join("mail"))
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::options().append(true).open(&log).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
        tokens: Default::default(),
    };
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{}/v1/health", server.base)).await
            && r.status().is_success()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not start; log:\n{}", read(&server.log));
}

fn read(path: &Path) -> String {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A PKCE verifier and its S256 challenge.
fn pkce() -> (String, String) {
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let challenge = B64URL.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    assert_eq!(r.status().as_u16(), 302, "redirect expected");
    r.headers()["location"].to_str().unwrap().to_string()
}

fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|chunk| {
            let attr = |n: &str| {
                chunk
                    .split(&format!("{n}=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap()
                    .replace("&amp;", "&")
            };
            (attr("name"), attr("value"))
        })
        .collect()
}

/// Positive control: exchange a code at the dev IdP ourselves (with the public development client
/// key) and read the BSN from the ID token.
async fn bsn_in_id_token(server: &Server, persona: &str) -> String {
    // Our own authorization request at the IdP, as the server makes one.
    let c = client();
    let (verifier, challenge) = pkce();
    let callback = format!("{}/v1/inloggen/digid/terugkeer", server.base);
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let state = uuid::Uuid::new_v4().simple().to_string();
    let fields = [
        ("client_id", "mijn-herstel"),
        ("redirect_uri", callback.as_str()),
        ("state", state.as_str()),
        ("nonce", nonce.as_str()),
        ("code_challenge", challenge.as_str()),
        ("persona", persona),
        ("acr", "http://eidas.europa.eu/LoA/substantial"),
    ];
    let submitted = c
        .post(format!("{}/dev-idp/digid/authorize", server.base))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let back: HashMap<String, String> =
        serde_urlencoded::from_str(location(&submitted).split_once('?').unwrap().1).unwrap();
    let token_endpoint = format!("{}/dev-idp/digid/token", server.base);
    let now = chrono::Utc::now().timestamp();
    let assertion = jsonwebtoken::encode(
        &Header::new(Algorithm::ES256),
        &serde_json::json!({
            "iss": "mijn-herstel", "sub": "mijn-herstel", "aud": token_endpoint,
            "jti": uuid::Uuid::new_v4().simple().to_string(), "iat": now, "exp": now + 60
        }),
        &EncodingKey::from_ec_pem(DEV_CLIENT_KEY.as_bytes()).unwrap(),
    )
    .unwrap();
    let answer: serde_json::Value = c
        .post(&token_endpoint)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", back["code"].as_str()),
            ("redirect_uri", callback.as_str()),
            ("code_verifier", verifier.as_str()),
            ("client_id", "mijn-herstel"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_token = answer["id_token"].as_str().expect("id_token");
    let payload = id_token.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&B64URL.decode(payload).unwrap()).unwrap();
    claims["bsn"].as_str().unwrap().to_string()
}

/// Every mail file as text, with its base64 parts (attachments, encoded bodies) decoded.
fn mail_text(dir: &Path) -> String {
    let mut text = String::new();
    for f in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let raw = read(&f.path());
        let mut blob = String::new();
        for line in raw.lines().chain([""]) {
            let line = line.trim_end();
            if line.len() >= 8
                && line
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
            {
                blob.push_str(line);
            } else if !blob.is_empty() {
                if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&blob) {
                    text.push_str(&String::from_utf8_lossy(&bytes));
                }
                blob.clear();
            }
        }
        text.push_str(&raw);
    }
    text
}

fn assert_no_canary(what: &str, haystack: &str) {
    for bsn in CANARIES {
        assert!(!haystack.contains(bsn), "BSN {bsn} in plaintext in {what}");
    }
}

async fn exercise(server: &Server) {
    for (persona, canary) in PARENTS.iter().zip(CANARIES) {
        assert_eq!(
            bsn_in_id_token(server, persona).await,
            canary,
            "positive control"
        );
        let (export, token) = reis::volledig(server, persona, canary).await;
        assert_no_canary("the parent's export (inzage)", &export);
        server.tokens.lock().unwrap().push(token);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_bsn_in_logs_sqlite_file_or_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("canary.db");
    let sqlite = start(dir.path(), &format!("sqlite://{}", db.display())).await;
    exercise(&sqlite).await;
    let tokens = sqlite.tokens.lock().unwrap().clone();
    drop(sqlite);
    let log = read(
        &dir.path().join(
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with("server-"))
                .unwrap(),
        ),
    );
    assert!(
        log.contains("TRACE") && log.contains("/v1/token"),
        "the log is really at TRACE"
    );
    assert_no_canary("the server log (SQLite run)", &log);
    assert!(
        log.contains("access_token=***"),
        "positive control: the token was in a URL"
    );
    for t in tokens {
        assert!(!log.contains(&t), "an access token from a URL in the log");
    }
    let mut file = read(&db);
    if let Ok(wal) = std::fs::read(dir.path().join("canary.db-wal")) {
        file.push_str(&String::from_utf8_lossy(&wal));
    }
    assert!(
        file.contains("Fatima El Amrani"),
        "positive control: the rows are in this file"
    );
    assert_no_canary("the SQLite file", &file);
    let mail = mail_text(&dir.path().join("mail"));
    assert!(
        mail.contains("BEGIN:VCALENDAR"),
        "positive control: the invitations were sent"
    );
    assert_no_canary("the mail and its calendar files", &mail);
    let openapi = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json"));
    assert_no_canary("the OpenAPI document's examples", &openapi);

    let Ok(admin) = std::env::var("MH_TEST_DATABASE_URL") else {
        assert_ne!(
            std::env::var("MH_REQUIRE_POSTGRES").as_deref(),
            Ok("1"),
            "PostgreSQL required"
        );
        eprintln!("PostgreSQL-deel overgeslagen: MH_TEST_DATABASE_URL is niet gezet");
        return;
    };
    let name = format!("mh_canary_{}", uuid::Uuid::new_v4().simple());
    let conn = sea_orm::Database::connect(&admin).await.unwrap();
    use sea_orm::ConnectionTrait;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    let pg_dir = tempfile::tempdir().unwrap();
    let pg = start(pg_dir.path(), &url).await;
    exercise(&pg).await;
    let log_path = pg.log.clone();
    drop(pg);
    assert_no_canary("the server log (PostgreSQL run)", &read(&log_path));
    let dump = Command::new("pg_dump").arg(&url).output().expect("pg_dump");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let dump = String::from_utf8_lossy(&dump.stdout).into_owned();
    assert!(
        dump.contains("Fatima El Amrani"),
        "positive control: the rows are in the dump"
    );
    assert_no_canary("pg_dump", &dump);
    conn.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}
