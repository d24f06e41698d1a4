//! The binary as an operator meets it: commands, configuration layers, clear errors, exit codes.

use std::process::{Command, Output};

fn mijn_herstel(args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mijn-herstel"));
    cmd.args(args).current_dir(dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("MH_") || k == "DATABASE_URL" {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn help_lists_the_commands() {
    let out = mijn_herstel(&["--help"], &[]);
    assert!(out.status.success());
    for command in [
        "serve",
        "migrate",
        "openapi",
        "check-config",
        "seed-demo",
        "healthcheck",
    ] {
        assert!(text(&out).contains(command), "{command}");
    }
}

#[test]
fn openapi_prints_the_committed_document() {
    let out = mijn_herstel(&["openapi"], &[]);
    assert!(out.status.success());
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.json"
    ))
    .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

#[test]
fn layers_defaults_then_file_then_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mh.toml");
    std::fs::write(&file, "[http]\nport = 9001\nhost = \"0.0.0.0\"\n").unwrap();
    let out = mijn_herstel(&["--config", file.to_str().unwrap(), "check-config"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("http = 0.0.0.0:9001"), "{}", text(&out));
    let out = mijn_herstel(
        &["check-config"],
        &[
            ("MH_CONFIG", file.to_str().unwrap()),
            ("MH_HTTP__PORT", "9002"),
        ],
    );
    assert!(text(&out).contains("http = 0.0.0.0:9002"), "{}", text(&out));
    let out = mijn_herstel(
        &["check-config"],
        &[("DATABASE_URL", "postgres://app:geheim@db:5432/mh")],
    );
    assert!(
        text(&out).contains("database.url = postgres://app@db:5432/mh"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("geheim"), "no password in output");
}

#[test]
fn a_bad_configuration_is_a_clear_error_and_a_failing_exit() {
    let out = mijn_herstel(&["check-config"], &[("MH_HTTP__PORT", "achtduizend")]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("ongeldige configuratie"),
        "{}",
        text(&out)
    );
    let out = mijn_herstel(
        &["check-config"],
        &[
            ("MH_TEST_DATABASE_URL", "postgres://x"),
            ("MH_REQUIRE_POSTGRES", "1"),
        ],
    );
    assert!(
        out.status.success(),
        "the test harness's variables are not settings: {}",
        text(&out)
    );
    let out = mijn_herstel(&["check-config"], &[("MH_HTTP__POORT", "1")]);
    assert!(
        !out.status.success(),
        "unknown keys are refused: {}",
        text(&out)
    );
    let out = mijn_herstel(&["--config", "bestaat-niet.toml", "check-config"], &[]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("bestaat-niet.toml bestaat niet"),
        "{}",
        text(&out)
    );
}

#[test]
fn production_refuses_development_settings_and_names_them() {
    let out = mijn_herstel(&["serve"], &[("MH_MODE", "production")]);
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("productiemodus weigert"), "{t}");
    for setting in [
        "demo.seed_on_empty",
        "database.migrate_on_start",
        "log.format",
        "http.public_url",
    ] {
        assert!(t.contains(setting), "{setting} in {t}");
    }
}

#[test]
fn an_unreachable_database_is_a_clear_error_without_the_password() {
    let out = mijn_herstel(
        &["migrate"],
        &[
            ("MH_DATABASE__URL", "postgres://app:geheim@127.0.0.1:1/mh"),
            ("MH_DATABASE__CONNECT_TIMEOUT_SECS", "2"),
        ],
    );
    assert!(!out.status.success());
    let t = text(&out);
    assert!(
        t.contains("database niet bereikbaar (postgres://app@127.0.0.1:1/mh)"),
        "{t}"
    );
    assert!(!t.contains("geheim"), "{t}");
}

#[test]
fn migrate_creates_the_sqlite_database_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/sub/mh.db", dir.path().display());
    let out = mijn_herstel(&["migrate"], &[("MH_DATABASE__URL", &url)]);
    assert!(out.status.success(), "{}", text(&out));
    let applied = text(&out);
    assert!(
        applied.contains(" migratie(s) toegepast") && !applied.starts_with("0 "),
        "{applied}"
    );
    assert!(dir.path().join("sub/mh.db").exists());
    let again = mijn_herstel(&["migrate"], &[("MH_DATABASE__URL", &url)]);
    assert!(
        text(&again).contains("0 migratie(s) toegepast"),
        "{}",
        text(&again)
    );
}

#[test]
fn healthcheck_fails_when_nothing_listens() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = mijn_herstel(&["healthcheck"], &[("MH_HTTP__PORT", &port.to_string())]);
    assert!(!out.status.success());
}

#[test]
fn serve_starts_on_a_fresh_sqlite_database_and_passes_its_healthcheck() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let mut server = Command::new(env!("CARGO_BIN_EXE_mijn-herstel"))
        .current_dir(dir.path())
        .env("MH_HTTP__PORT", &port)
        .env("MH_HTTP__WORKERS", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut healthy = false;
    for _ in 0..100 {
        if mijn_herstel(&["healthcheck"], &[("MH_HTTP__PORT", &port)])
            .status
            .success()
        {
            healthy = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server.kill().unwrap();
    let _ = server.wait();
    assert!(healthy, "server answered /v1/health within 10 s");
    assert!(
        dir.path().join("data/mijn-herstel.db").exists(),
        "the development database is created under ./data/"
    );
}

#[test]
fn seed_demo_creates_the_test_persons_once_and_stores_no_bsn_in_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/mh.db", dir.path().display());
    let out = mijn_herstel(&["seed-demo"], &[("MH_DATABASE__URL", &url)]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("11 testperso(o)n(en) aangemaakt"),
        "{}",
        text(&out)
    );
    let again = mijn_herstel(&["seed-demo"], &[("MH_DATABASE__URL", &url)]);
    assert!(
        text(&again).contains("0 testperso(o)n(en) aangemaakt"),
        "{}",
        text(&again)
    );
    // The canaries: the test persons' BSNs must not be anywhere in the database file.
    let mut bytes = std::fs::read(dir.path().join("mh.db")).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("mh.db-wal")) {
        bytes.extend(wal);
    }
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(
        haystack.contains("Fatima El Amrani"),
        "positive control: the seeded rows are in this file"
    );
    for bsn in ["999993653", "999990019", "999990032", "999990044"] {
        assert!(
            !haystack.contains(bsn),
            "BSN {bsn} in plaintext in the SQLite file"
        );
    }
}

/// A complete production configuration, as an operator would write it.
const PRODUCTION_TOML: &str = r#"
mode = "production"
[demo]
seed_on_empty = false
[database]
migrate_on_start = false
[log]
format = "json"
[http]
cors_origins = ["https://app.example"]
public_url = "https://api.example/v1"
[identity]
bsn_keys = { p1 = "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0hISEhISEhISE=" }
bsn_active_key = "p1"
bsn_index_key = "aW5kZXgta2V5LW9mLTMyLWJ5dGVzLSEhISEhISEhISE="
[tokens]
active_key = "t1"
[tokens.signing_keys]
t1 = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXjgTJdL7uI7z98+p
lR4ft4aJ+hMU74q8+G/KVeLEG0GhRANCAAT5QQVr96VfUD4+oRfTYK1Uezuor7Jx
6nov/tVmGejrx7k3kKNflyVy+ROjh6eKValwqXbdpiLMfRoGyeRwqYxF
-----END PRIVATE KEY-----
"""
[login]
dev_idp = false
app_redirect_uris = ["https://app.example/inloggen/klaar"]
[login.providers.digid]
soort = "ouder"
issuer = "https://broker.example/realms/digid"
client_id = "mijn-herstel"
client_auth = "client_secret_post"
client_secret = "geheim"
acr_levels = ["urn:nl:digid:basis", "http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/high"]
minimum_acr = "http://eidas.europa.eu/LoA/substantial"
[notify]
mailer = "smtp"
afzender = "Mijn Herstel <noreply@herstel.example>"
app_url = "https://app.example"
[notify.smtp]
host = "smtp.herstel.example"
port = 587
tls = "starttls"
timeout_secs = 10
pool_max = 4
[bewijs]
opslag = "s3"
scanner = "clamd"
clamd = "clamav.herstel.internal:3310"
[bewijs.s3]
bucket = "mijn-herstel-bewijs"
[gegevens]
simulator = false
[gegevens.bronnen.uht]
url = "https://uht.bronnen.example/api"
aan = true
[gegevens.bronnen.brp]
url = "https://brp.bronnen.example/api"
aan = true
[gegevens.bronnen.uwv]
url = "https://uwv.bronnen.example/api"
aan = true
[gegevens.bronnen.belastingdienst]
url = "https://belastingdienst.bronnen.example/api"
aan = true
[gegevens.bronnen.duo]
url = "https://duo.bronnen.example/api"
aan = true
[gegevens.bronnen.kadaster]
url = "https://kadaster.bronnen.example/api"
aan = true
[gegevens.bronnen.rvdk]
url = "https://rvdk.bronnen.example/api"
aan = true
[gegevens.bronnen.cjib]
url = "https://cjib.bronnen.example/api"
aan = true
"#;

#[test]
fn seed_demo_is_refused_in_production() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("productie.toml");
    std::fs::write(&config, PRODUCTION_TOML).unwrap();
    let out = mijn_herstel(&["seed-demo"], &[("MH_CONFIG", config.to_str().unwrap())]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("alleen in ontwikkelmodus"),
        "{}",
        text(&out)
    );
}
