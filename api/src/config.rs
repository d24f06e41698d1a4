//! Settings: built-in development defaults < optional config file (TOML) < `DATABASE_URL` <
//! `MH_*` environment variables (`MH_HTTP__PORT=9000` sets `http.port`).
//!
//! Production mode (`mode = "production"`) refuses to start with settings that only make sense on
//! a developer's machine, and names each one, so an operator never runs demo data by accident.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub mode: Mode,
    pub http: HttpSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub idempotency: IdempotencySettings,
    pub demo: DemoSettings,
    pub identity: IdentitySettings,
    pub tokens: TokenSettings,
    pub login: LoginSettings,
    pub limits: LimitSettings,
    pub content: ContentSettings,
    pub notify: NotifySettings,
    pub claims: ClaimSettings,
    pub bewijs: BewijsSettings,
    pub gegevens: crate::gegevens::instellingen::GegevensSettings,
    pub gesprekken: crate::gesprek::instellingen::GesprekSettings,
    pub bewaren: crate::bewaren::regels::BewaarSettings,
}

/// Evidence documents: where they are kept, how large they may be, who scans them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BewijsSettings {
    /// `map`: a local folder (development, one server); `s3`: S3-compatible object storage.
    pub opslag: String,
    /// Folder of the `map` storage.
    pub map: String,
    pub s3: S3Settings,
    /// Largest upload in bytes (a phone photo or a scanned letter).
    pub max_bytes: usize,
    /// Most documents per claim.
    pub max_per_aanvraag: u32,
    /// `geen`: accept without scanning (development only; says so in the log); `clamd`: ClamAV's
    /// daemon over TCP (INSTREAM).
    pub scanner: String,
    /// `host:port` of clamd.
    pub clamd: String,
    pub scan_timeout_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    pub bucket: String,
    pub region: String,
    /// For S3-compatible stores other than AWS (MinIO, Ceph); empty for AWS.
    pub endpoint: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// The claim lifecycle.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSettings {
    /// How long a status usually lasts, in days, shown in the parent's timeline (status code →
    /// days; a status without an entry shows none).
    pub verwachte_duur_dagen: BTreeMap<String, u32>,
    /// The last day (Europe/Amsterdam) applications are accepted. The cabinet's latest stated
    /// date was 31 March 2026; the development default lies later so the demo can submit.
    pub indienen_tot: chrono::NaiveDate,
    /// Parents recognised later, or after a decision on objection, may submit until this many
    /// months after that decision (DAMAGE-FRAMEWORK §5).
    pub maanden_na_besluit: u32,
    /// Offers of at least this many cents need a second behandelaar's approval (four eyes).
    pub vier_ogen_vanaf_cent: i64,
    /// How long the parent has to answer an offer, and how much longer on request (once).
    pub reactietermijn_dagen: u32,
    pub verlenging_dagen: u32,
    /// The reminder goes this many days before the response window ends.
    pub herinnering_dagen_voor_einde: u32,
    /// Accepting an offer needs a login at most this many minutes old (`auth_time`).
    pub herauthenticatie_minuten: u32,
    /// The latest end date of a mandate: the end of the recovery operation.
    pub machtiging_uiterlijk_tot: chrono::NaiveDate,
}

/// Notifications: how mail leaves the building and how the outbox worker behaves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    /// `bestand`: every mail becomes an `.eml` file in `map` (development, no mail server needed);
    /// `smtp`: delivered through `smtp` (production).
    pub mailer: String,
    /// Folder of the `bestand` mailer.
    pub map: String,
    /// The From address, e.g. `Mijn Herstel <noreply@mijn-herstel.nl>`; its domain also names the
    /// Message-IDs.
    pub afzender: String,
    /// Where a mail invites the reader to log in (the app or its website).
    pub app_url: String,
    pub smtp: SmtpSettings,
    /// Run the delivery worker in this process (several instances may all run one).
    pub worker: bool,
    /// How often the worker looks for due messages when nothing woke it.
    pub poll_ms: u64,
    /// Messages taken per round.
    pub batch: u32,
    /// How long a taken message stays reserved; after that another worker may take it.
    pub lease_secs: u32,
    /// Attempts the mail server answered with a temporary error before a message is marked failed.
    /// An unreachable server does not count: then nothing is lost, the worker waits.
    pub max_pogingen: u32,
    /// First retry delay; it doubles per attempt (with jitter) up to `backoff_max_ms`.
    pub backoff_basis_ms: u64,
    pub backoff_max_ms: u64,
    /// A reminder about an unfinished claim, this many days after the last change.
    pub herinnering_na_dagen: u32,
    /// E-mail verification: code lifetime, wrong guesses per code, codes per hour.
    pub verificatie_geldig_minuten: u32,
    pub verificatie_max_pogingen: u32,
    pub verificatie_codes_per_uur: u32,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `starttls` (required upgrade), `tls` (implicit TLS, port 465) or `geen` (only to a relay
    /// on this machine).
    pub tls: String,
    #[serde(default)]
    pub gebruiker: String,
    #[serde(default)]
    pub wachtwoord: String,
    pub timeout_secs: u64,
    /// Connections kept open to the server.
    pub pool_max: u32,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("gebruiker", &self.gebruiker)
            .finish_non_exhaustive()
    }
}

/// The questionnaire and damage framework.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    /// A folder with one subfolder per version (`vragenlijst.yaml`, `schadekader.yaml`); empty:
    /// the content shipped in the binary. The server refuses to start on invalid content.
    pub dir: String,
}

/// Abuse limits per minute (per server instance).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Login starts and provider callbacks per IP address.
    pub login_per_minute: u32,
    /// Token requests per IP address.
    pub token_per_minute: u32,
    /// Authenticated requests per person.
    pub subject_per_minute: u32,
    /// Expensive or sensitive actions per person, counted per kind: starting a retrieval,
    /// uploading a document, booking a conversation, inviting or asking for a mandate.
    pub gevoelig_per_minute: u32,
}

/// How people log in: the app's redirect URIs and the identity providers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginSettings {
    /// Where the app may receive its one-time code (RFC 8252 §7.2 claimed https links), compared
    /// by exact string match.
    pub app_redirect_uris: Vec<String>,
    /// The built-in development identity provider under `/dev-idp` (never in production).
    pub dev_idp: bool,
    /// Providers by name (`digid`, `advocaat`, `medewerker`, …): the name is the path segment of
    /// `/v1/inloggen/{provider}`. Empty in development means: the development IdP's three realms.
    pub providers: BTreeMap<String, ProviderSettings>,
}

/// One OpenID provider. Brokers differ in where they put the BSN and the level of assurance, so
/// the claim paths (dotted, e.g. `gemachtigde.bsn`) and the order of levels are configuration.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    /// Who logs in here: `ouder`, `advocaat` or `medewerker`.
    pub soort: String,
    /// Issuer URL; discovery is `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// `private_key_jwt` (NL GOV profile) or `client_secret_post` (fallback for brokers without it).
    #[serde(default = "default_client_auth")]
    pub client_auth: String,
    /// PKCS#8 PEM of the P-256 key that signs our client assertions (ES256).
    #[serde(default)]
    pub client_key: String,
    #[serde(default)]
    pub client_key_id: String,
    #[serde(default)]
    pub client_secret: String,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Levels of assurance, lowest first, as the provider writes them.
    #[serde(default)]
    pub acr_levels: Vec<String>,
    /// The lowest level accepted; requested as `acr_values` and checked in the ID token.
    #[serde(default)]
    pub minimum_acr: Option<String>,
    #[serde(default = "default_acr_claim")]
    pub acr_claim: String,
    #[serde(default = "default_bsn_claim")]
    pub bsn_claim: String,
    #[serde(default = "default_name_claim")]
    pub name_claim: String,
    #[serde(default = "default_roles_claim")]
    pub roles_claim: String,
    #[serde(default = "default_registration_claim")]
    pub registration_claim: String,
    /// DigiD Machtigen through this provider ([F]); off unless `dienst_id` is set.
    #[serde(default)]
    pub machtigen: MachtigenSettings,
}

/// How a broker passes a DigiD Machtigen login: the person acting, the person represented and
/// the service the mandate is for (all required; the service must be ours).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MachtigenSettings {
    /// Our service id at DigiD Machtigen; empty: such logins are refused.
    pub dienst_id: String,
    pub gemachtigde_bsn_claim: String,
    pub vertegenwoordigde_bsn_claim: String,
    pub dienst_claim: String,
}

impl Default for MachtigenSettings {
    fn default() -> Self {
        MachtigenSettings {
            dienst_id: String::new(),
            gemachtigde_bsn_claim: "gemachtigde.bsn".into(),
            vertegenwoordigde_bsn_claim: "aanvrager.bsn".into(),
            dienst_claim: "service_id".into(),
        }
    }
}

/// The DigiD Machtigen service id the development IdP uses.
pub const DEV_MACHTIGEN_DIENST: &str = "urn:mijn-herstel:dienst:route-b";

fn default_client_auth() -> String {
    "private_key_jwt".into()
}
fn default_scopes() -> Vec<String> {
    vec!["openid".into()]
}
fn default_acr_claim() -> String {
    "acr".into()
}
fn default_bsn_claim() -> String {
    "bsn".into()
}
fn default_name_claim() -> String {
    "name".into()
}
fn default_roles_claim() -> String {
    "roles".into()
}
fn default_registration_claim() -> String {
    "registratienummer".into()
}

/// Secrets never appear in debug output.
impl std::fmt::Debug for ProviderSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderSettings")
            .field("soort", &self.soort)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_auth", &self.client_auth)
            .finish_non_exhaustive()
    }
}

/// The DigiD levels of assurance as eIDAS URIs (NL GOV OIDC profile), lowest first.
pub const DIGID_LEVELS: [&str; 4] = [
    "urn:nl:digid:basis",
    "http://eidas.europa.eu/LoA/low",
    "http://eidas.europa.eu/LoA/substantial",
    "http://eidas.europa.eu/LoA/high",
];

/// Our own tokens (NL GOV OAuth profile limits: access ≤ 15 min, refresh idle ≤ 6 h, absolute ≤ 24 h).
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    /// `iss` of our access tokens (empty: the origin of `http.public_url`).
    pub issuer: String,
    /// `aud` of our access tokens: only this API reads them.
    pub audience: String,
    pub access_ttl_secs: u32,
    pub refresh_idle_secs: u32,
    pub refresh_absolute_secs: u32,
    /// Lifetime of the one-time code the app exchanges after login (RFC 8252 hand-off).
    pub code_ttl_secs: u32,
    /// How long a started login may take at the provider.
    pub login_ttl_secs: u32,
    /// ES256 signing keys: key id (`kid`) → PKCS#8 PEM. Keep retired keys until their tokens expired.
    pub signing_keys: BTreeMap<String, String>,
    pub active_key: String,
}

impl std::fmt::Debug for TokenSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSettings")
            .field("issuer", &self.issuer)
            .field(
                "signing_keys",
                &self.signing_keys.keys().collect::<Vec<_>>(),
            )
            .field("active_key", &self.active_key)
            .finish_non_exhaustive()
    }
}

/// Development-only keys, public in this repository: production refuses to start with them.
pub const DEV_BSN_KEY: &str = "bWlqbi1oZXJzdGVsIE9OVFdJS0tFTCBic24ta2V5MDE=";
pub const DEV_BSN_INDEX_KEY: &str = "bWlqbi1oZXJzdGVsIE9OVFdJS0tFTCBpbmRleC1rMDE=";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    pub host: String,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// Number of worker threads; 0 means one per core.
    pub workers: usize,
    /// The URL clients use to reach `/v1` (absolute `Link` headers, `servers` in the document).
    pub public_url: String,
    /// Largest accepted JSON body in bytes.
    pub max_json_bytes: usize,
    /// Origins allowed by CORS (exact match). `openapi.json` is open to every origin regardless.
    pub cors_origins: Vec<String>,
    /// Seconds a graceful shutdown waits for running requests.
    pub shutdown_timeout_secs: u64,
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client. Empty: the peer
    /// is the client and the header is ignored (anyone could write it).
    pub vertrouwde_proxies: Vec<std::net::IpAddr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://data/mijn-herstel.db` or `postgres://user@host:5432/db`.
    pub url: String,
    pub max_connections: u32,
    pub min_connections: u32,
    pub connect_timeout_secs: u64,
    pub acquire_timeout_secs: u64,
    /// How long a write waits for a lock before the request gets 503 (SQLite `busy_timeout`,
    /// PostgreSQL `lock_timeout`).
    pub busy_timeout_ms: u64,
    /// Apply pending migrations at start. Production runs `mijn-herstel migrate` as its own step
    /// so several instances never race on the schema.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter, e.g. `info,sqlx=warn`.
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdempotencySettings {
    /// How long a stored response is replayed for a repeated key (published in the API docs).
    pub key_ttl_hours: u32,
    /// How long a request holds its key before another attempt may take it over.
    pub lock_secs: u32,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitySettings {
    /// BSN encryption keys: key id → base64 of 32 bytes. Keep old keys to read old rows.
    pub bsn_keys: BTreeMap<String, String>,
    /// The key id new rows are encrypted with.
    pub bsn_active_key: String,
    /// Base64 key (≥ 32 bytes) of the HMAC blind index used to find a person by BSN.
    pub bsn_index_key: String,
}

/// Keys never appear in debug output (configuration dumps, panics).
impl std::fmt::Debug for IdentitySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentitySettings")
            .field("bsn_keys", &self.bsn_keys.keys().collect::<Vec<_>>())
            .field("bsn_active_key", &self.bsn_active_key)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSettings {
    /// Fill an empty database with the test persons and their demo data at start.
    pub seed_on_empty: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Development,
            http: HttpSettings {
                host: "127.0.0.1".into(),
                port: 8080,
                workers: 0,
                public_url: "http://127.0.0.1:8080/v1".into(),
                max_json_bytes: 256 * 1024,
                vertrouwde_proxies: Vec::new(),
                cors_origins: vec!["http://localhost:3000".into()],
                shutdown_timeout_secs: 10,
            },
            database: DatabaseSettings {
                url: "sqlite://data/mijn-herstel.db".into(),
                max_connections: 10,
                min_connections: 1,
                connect_timeout_secs: 5,
                acquire_timeout_secs: 5,
                busy_timeout_ms: 5_000,
                migrate_on_start: true,
            },
            log: LogSettings {
                filter: "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn".into(),
                format: LogFormat::Pretty,
            },
            idempotency: IdempotencySettings {
                key_ttl_hours: 24,
                lock_secs: 60,
            },
            demo: DemoSettings {
                seed_on_empty: true,
            },
            // Empty: development then uses the public development keys (see `bsn_keys()`);
            // production must configure its own. (A default map here could not be replaced from
            // the environment: configuration layers merge maps.)
            identity: IdentitySettings {
                bsn_keys: BTreeMap::new(),
                bsn_active_key: String::new(),
                bsn_index_key: String::new(),
            },
            tokens: TokenSettings {
                // Empty: the origin of `http.public_url`.
                issuer: String::new(),
                audience: "mijn-herstel-api".into(),
                access_ttl_secs: 900,
                refresh_idle_secs: 6 * 3600,
                refresh_absolute_secs: 24 * 3600,
                code_ttl_secs: 60,
                login_ttl_secs: 600,
                signing_keys: BTreeMap::new(),
                active_key: String::new(),
            },
            content: ContentSettings { dir: String::new() },
            claims: ClaimSettings {
                verwachte_duur_dagen: BTreeMap::from([
                    ("ingediend".to_string(), 14),
                    ("in-behandeling".to_string(), 90),
                    ("aanbod-gedaan".to_string(), 14),
                    ("akkoord".to_string(), 30),
                    ("doorverwezen".to_string(), 180),
                ]),
                indienen_tot: chrono::NaiveDate::from_ymd_opt(2027, 12, 31)
                    .expect("een geldige datum"),
                maanden_na_besluit: 6,
                vier_ogen_vanaf_cent: 5_000_000,
                reactietermijn_dagen: 14,
                verlenging_dagen: 14,
                herinnering_dagen_voor_einde: 3,
                herauthenticatie_minuten: 10,
                machtiging_uiterlijk_tot: chrono::NaiveDate::from_ymd_opt(2030, 12, 31)
                    .expect("een geldige datum"),
            },
            gegevens: Default::default(),
            gesprekken: Default::default(),
            bewaren: Default::default(),
            bewijs: BewijsSettings {
                opslag: "map".into(),
                map: "data/bewijs".into(),
                s3: S3Settings {
                    bucket: String::new(),
                    region: "eu-west-1".into(),
                    endpoint: String::new(),
                    access_key_id: String::new(),
                    secret_access_key: String::new(),
                },
                max_bytes: 10 * 1024 * 1024,
                max_per_aanvraag: 50,
                scanner: "geen".into(),
                clamd: "127.0.0.1:3310".into(),
                scan_timeout_secs: 30,
            },
            notify: NotifySettings {
                mailer: "bestand".into(),
                map: "data/mail".into(),
                afzender: "Mijn Herstel <noreply@mijn-herstel.nl>".into(),
                app_url: "http://localhost:3000".into(),
                smtp: SmtpSettings {
                    host: "localhost".into(),
                    port: 587,
                    tls: "starttls".into(),
                    gebruiker: String::new(),
                    wachtwoord: String::new(),
                    timeout_secs: 10,
                    pool_max: 4,
                },
                worker: true,
                poll_ms: 2_000,
                batch: 20,
                lease_secs: 120,
                max_pogingen: 8,
                backoff_basis_ms: 30_000,
                backoff_max_ms: 3_600_000,
                herinnering_na_dagen: 14,
                verificatie_geldig_minuten: 15,
                verificatie_max_pogingen: 5,
                verificatie_codes_per_uur: 5,
            },
            limits: LimitSettings {
                login_per_minute: 30,
                token_per_minute: 60,
                subject_per_minute: 600,
                gevoelig_per_minute: 20,
            },
            login: LoginSettings {
                app_redirect_uris: vec![
                    "https://app.mijn-herstel.example/inloggen/klaar".into(),
                    "http://localhost:3000/inloggen/klaar".into(),
                ],
                dev_idp: true,
                providers: BTreeMap::new(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuratiebestand {0} bestaat niet")]
    MissingFile(PathBuf),
    #[error("ongeldige configuratie: {0}")]
    Invalid(String),
    #[error(
        "productiemodus weigert te starten met instellingen die alleen voor ontwikkeling zijn:\n  - {}",
        .0.join("\n  - ")
    )]
    DevelopmentOnly(Vec<String>),
}

impl Settings {
    /// Loads the layers in order. `file` is the `--config` argument or `MH_CONFIG`.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::MissingFile(path.to_path_buf()));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        // The conventional variable of container platforms; `MH_DATABASE__URL` still wins.
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database.url", url));
        }
        let settings: Settings = figment
            // Unknown keys are refused (typos!), except the test harness's own variables.
            .merge(Env::prefixed("MH_").split("__").filter(|k| {
                let k = k.as_str().to_ascii_lowercase();
                !(k == "config" || k.starts_with("test_") || k.starts_with("require_"))
            }))
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks that hold in every mode, then the production-only ones.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |m: &str| Err(ConfigError::Invalid(m.to_string()));
        if !(self.database.url.starts_with("sqlite:") || self.database.url.starts_with("postgres"))
        {
            return invalid("database.url moet beginnen met sqlite: of postgres://");
        }
        if self.database.max_connections == 0
            || self.database.min_connections > self.database.max_connections
        {
            return invalid("database.max_connections moet ≥ 1 en ≥ database.min_connections zijn");
        }
        if !self.http.public_url.ends_with("/v1") {
            return invalid("http.public_url moet eindigen op /v1");
        }
        if self.http.max_json_bytes < 1024 {
            return invalid("http.max_json_bytes moet minstens 1024 zijn");
        }
        if self.idempotency.key_ttl_hours == 0 || self.idempotency.lock_secs == 0 {
            return invalid("idempotency.key_ttl_hours en idempotency.lock_secs moeten > 0 zijn");
        }
        let t = &self.tokens;
        if t.access_ttl_secs == 0 || t.access_ttl_secs > 900 {
            return invalid("tokens.access_ttl_secs moet tussen 1 en 900 (15 minuten) liggen");
        }
        if t.refresh_idle_secs == 0
            || t.refresh_idle_secs > 6 * 3600
            || t.refresh_absolute_secs > 24 * 3600
            || t.refresh_idle_secs > t.refresh_absolute_secs
        {
            return invalid(
                "tokens.refresh_idle_secs ≤ 6 uur en ≤ tokens.refresh_absolute_secs ≤ 24 uur",
            );
        }
        if t.code_ttl_secs == 0 || t.code_ttl_secs > 60 {
            return invalid("tokens.code_ttl_secs moet tussen 1 en 60 liggen");
        }
        for (name, p) in &self.login.providers {
            if !matches!(p.soort.as_str(), "ouder" | "advocaat" | "medewerker") {
                return Err(ConfigError::Invalid(format!(
                    "login.providers.{name}.soort moet ouder, advocaat of medewerker zijn"
                )));
            }
            if !matches!(
                p.client_auth.as_str(),
                "private_key_jwt" | "client_secret_post"
            ) {
                return Err(ConfigError::Invalid(format!(
                    "login.providers.{name}.client_auth moet private_key_jwt of client_secret_post zijn"
                )));
            }
            if let Some(min) = &p.minimum_acr
                && !p.acr_levels.contains(min)
            {
                return Err(ConfigError::Invalid(format!(
                    "login.providers.{name}.minimum_acr staat niet in acr_levels"
                )));
            }
        }
        let n = &self.notify;
        if !matches!(n.mailer.as_str(), "bestand" | "smtp") {
            return invalid("notify.mailer moet bestand of smtp zijn");
        }
        if !matches!(n.smtp.tls.as_str(), "starttls" | "tls" | "geen") {
            return invalid("notify.smtp.tls moet starttls, tls of geen zijn");
        }
        if n.afzender.parse::<lettre::message::Mailbox>().is_err() {
            return invalid("notify.afzender is geen geldig e-mailadres");
        }
        if n.batch == 0 || n.lease_secs == 0 || n.max_pogingen == 0 || n.poll_ms == 0 {
            return invalid(
                "notify.batch, notify.lease_secs, notify.max_pogingen en notify.poll_ms moeten > 0 zijn",
            );
        }
        if n.verificatie_geldig_minuten == 0
            || n.verificatie_max_pogingen == 0
            || n.verificatie_codes_per_uur == 0
        {
            return invalid("notify.verificatie_* moeten > 0 zijn");
        }
        let b = &self.bewijs;
        if !matches!(b.opslag.as_str(), "map" | "s3") {
            return invalid("bewijs.opslag moet map of s3 zijn");
        }
        if b.opslag == "s3" && b.s3.bucket.is_empty() {
            return invalid("bewijs.s3.bucket is verplicht bij bewijs.opslag = s3");
        }
        if !matches!(b.scanner.as_str(), "geen" | "clamd") {
            return invalid("bewijs.scanner moet geen of clamd zijn");
        }
        if b.scanner == "clamd" && b.clamd.is_empty() {
            return invalid("bewijs.clamd (host:poort) is verplicht bij bewijs.scanner = clamd");
        }
        if b.max_bytes == 0 || b.max_per_aanvraag == 0 {
            return invalid("bewijs.max_bytes en bewijs.max_per_aanvraag moeten > 0 zijn");
        }
        if let Some(m) = self.gegevens.fout() {
            return invalid(&m);
        }
        if self.mode == Mode::Production {
            let problems = self.development_only_settings();
            if !problems.is_empty() {
                return Err(ConfigError::DevelopmentOnly(problems));
            }
        }
        Ok(())
    }

    /// Settings that are fine on a laptop and wrong in production, each with the fix.
    fn development_only_settings(&self) -> Vec<String> {
        let mut found = Vec::new();
        if self.demo.seed_on_empty {
            found.push(
                "demo.seed_on_empty = true (demodata): zet MH_DEMO__SEED_ON_EMPTY=false".into(),
            );
        }
        if self.database.migrate_on_start {
            found.push(
                "database.migrate_on_start = true: draai `mijn-herstel migrate` als aparte stap en zet MH_DATABASE__MIGRATE_ON_START=false"
                    .into(),
            );
        }
        if self.notify.mailer == "bestand" {
            found.push(
                "notify.mailer = \"bestand\" (mail als bestanden): zet MH_NOTIFY__MAILER=smtp en de MH_NOTIFY__SMTP__*-instellingen".into(),
            );
        }
        if self.bewijs.scanner == "geen" {
            found.push(
                "bewijs.scanner = \"geen\" (bewijsstukken niet op virussen gescand): zet MH_BEWIJS__SCANNER=clamd en MH_BEWIJS__CLAMD".into(),
            );
        }
        let local_relay = matches!(
            self.notify.smtp.host.as_str(),
            "localhost" | "127.0.0.1" | "::1"
        );
        if self.notify.smtp.tls == "geen" && !local_relay {
            found.push(
                "notify.smtp.tls = \"geen\" naar een andere machine: gebruik starttls of tls"
                    .into(),
            );
        }
        found.extend(self.gegevens.alleen_ontwikkeling());
        if self.log.format == LogFormat::Pretty {
            found.push("log.format = \"pretty\": gebruik MH_LOG__FORMAT=json".into());
        }
        if self
            .http
            .cors_origins
            .iter()
            .any(|o| o == "*" || o.starts_with("http://"))
        {
            found.push(
                "http.cors_origins bevat * of een http://-origin: alleen https-origins".into(),
            );
        }
        if !self.http.public_url.starts_with("https://") {
            found.push("http.public_url is geen https-URL".into());
        }
        if self.identity.bsn_keys.is_empty()
            || self.identity.bsn_keys.values().any(|k| k == DEV_BSN_KEY)
        {
            found.push("identity.bsn_keys ontbreekt of bevat de ontwikkelsleutel: configureer eigen sleutels".into());
        }
        if self.identity.bsn_index_key.is_empty()
            || self.identity.bsn_index_key == DEV_BSN_INDEX_KEY
        {
            found.push("identity.bsn_index_key ontbreekt of is de ontwikkelsleutel: configureer een eigen sleutel".into());
        }
        let (token_keys, _) = self.token_keys();
        if token_keys.is_empty() || token_keys.values().any(|k| is_dev_key(k)) {
            found.push("tokens.signing_keys ontbreekt of bevat een ontwikkelsleutel: configureer eigen ES256-sleutels".into());
        }
        if self.login.dev_idp {
            found.push(
                "login.dev_idp = true (ontwikkel-inlogdienst): zet MH_LOGIN__DEV_IDP=false".into(),
            );
        }
        if self.login.providers.is_empty() {
            found.push("login.providers is leeg: configureer DigiD (via een broker) en de andere inlogdiensten".into());
        }
        for (name, p) in &self.login.providers {
            if !p.issuer.starts_with("https://") || p.issuer.contains("/dev-idp/") {
                found.push(format!("login.providers.{name}.issuer is geen https-URL of wijst naar de ontwikkel-inlogdienst"));
            }
            if is_dev_key(&p.client_key) {
                found.push(format!(
                    "login.providers.{name}.client_key is de ontwikkelsleutel"
                ));
            }
            // A parent's login must be at least DigiD Substantieel: without a minimum, any level
            // the broker sends would do.
            if p.soort == "ouder" && p.minimum_acr.is_none() {
                found.push(format!(
                    "login.providers.{name}.minimum_acr ontbreekt voor ouders: zet het minimale DigiD-niveau"
                ));
            }
        }
        if self.bewijs.opslag == "s3" && self.bewijs.s3.endpoint.starts_with("http://") {
            found.push("bewijs.s3.endpoint is http://: bewijsstukken alleen over https".into());
        }
        if self.database.url.starts_with("postgres")
            && !self.database.url.contains("sslmode=require")
            && !self.database.url.contains("sslmode=verify")
        {
            found.push("database.url zonder sslmode=require of verify-full: de verbinding met PostgreSQL onversleuteld".into());
        }
        if self
            .login
            .app_redirect_uris
            .iter()
            .any(|u| !u.starts_with("https://"))
        {
            found.push("login.app_redirect_uris bevat een niet-https-adres (RFC 8252 §7.2: claimed https links)".into());
        }
        found
    }

    /// The server's own origin (`public_url` without `/v1`).
    pub fn origin(&self) -> &str {
        self.http.public_url.trim_end_matches("/v1")
    }

    /// The providers in force: the configured ones, or in development (none configured, dev IdP
    /// on) the development IdP's realms, reached over HTTP like any other provider.
    pub fn login_providers(&self) -> BTreeMap<String, ProviderSettings> {
        if !(self.mode == Mode::Development
            && self.login.dev_idp
            && self.login.providers.is_empty())
        {
            return self.login.providers.clone();
        }
        ["digid", "advocaat", "medewerker"]
            .into_iter()
            .map(|realm| {
                let soort = if realm == "digid" { "ouder" } else { realm };
                let digid = realm == "digid";
                (
                    realm.to_string(),
                    ProviderSettings {
                        soort: soort.into(),
                        issuer: format!("{}/dev-idp/{realm}", self.origin()),
                        client_id: "mijn-herstel".into(),
                        client_auth: default_client_auth(),
                        client_key: crate::identity::dev_keys::DEV_CLIENT_KEY.into(),
                        client_key_id: "dev-client-1".into(),
                        client_secret: String::new(),
                        scopes: default_scopes(),
                        acr_levels: if digid {
                            DIGID_LEVELS.iter().map(|l| l.to_string()).collect()
                        } else {
                            Vec::new()
                        },
                        minimum_acr: digid.then(|| DIGID_LEVELS[2].to_string()),
                        acr_claim: default_acr_claim(),
                        bsn_claim: default_bsn_claim(),
                        name_claim: default_name_claim(),
                        roles_claim: default_roles_claim(),
                        registration_claim: default_registration_claim(),
                        machtigen: MachtigenSettings {
                            dienst_id: if digid {
                                DEV_MACHTIGEN_DIENST.into()
                            } else {
                                String::new()
                            },
                            ..MachtigenSettings::default()
                        },
                    },
                )
            })
            .collect()
    }

    /// The BSN keys in force: the configured ones, or in development (when none are configured)
    /// the public development keys. Production never gets here without its own (see `validate`).
    pub fn bsn_keys(&self) -> (BTreeMap<String, String>, String, String) {
        let id = &self.identity;
        if self.mode == Mode::Development && id.bsn_keys.is_empty() {
            let keys = BTreeMap::from([("dev-1".to_string(), DEV_BSN_KEY.to_string())]);
            let index = if id.bsn_index_key.is_empty() {
                DEV_BSN_INDEX_KEY.to_string()
            } else {
                id.bsn_index_key.clone()
            };
            return (keys, "dev-1".to_string(), index);
        }
        (
            id.bsn_keys.clone(),
            id.bsn_active_key.clone(),
            id.bsn_index_key.clone(),
        )
    }

    /// The token signing keys in force (development falls back to the public development key).
    pub fn token_keys(&self) -> (BTreeMap<String, String>, String) {
        let t = &self.tokens;
        if self.mode == Mode::Development && t.signing_keys.is_empty() {
            let keys = BTreeMap::from([(
                "dev-1".to_string(),
                crate::identity::dev_keys::DEV_TOKEN_KEY.to_string(),
            )]);
            return (keys, "dev-1".to_string());
        }
        (t.signing_keys.clone(), t.active_key.clone())
    }

    pub fn is_sqlite(&self) -> bool {
        self.database.url.starts_with("sqlite:")
    }

    pub fn busy_timeout(&self) -> Duration {
        Duration::from_millis(self.database.busy_timeout_ms)
    }
}

fn is_dev_key(pem: &str) -> bool {
    use crate::identity::dev_keys::{DEV_CLIENT_KEY, DEV_IDP_KEY, DEV_TOKEN_KEY};
    [DEV_TOKEN_KEY, DEV_IDP_KEY, DEV_CLIENT_KEY].contains(&pem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_defaults_are_valid() {
        Settings::default().validate().unwrap();
    }

    #[test]
    fn production_names_every_development_only_setting() {
        let s = Settings {
            mode: Mode::Production,
            ..Settings::default()
        };
        let err = s.validate().unwrap_err().to_string();
        for key in [
            "demo.seed_on_empty",
            "migrate_on_start",
            "log.format",
            "cors_origins",
            "public_url",
            "tokens.signing_keys",
            "login.dev_idp",
            "login.providers",
        ] {
            assert!(err.contains(key), "{key} missing from: {err}");
        }
    }

    /// A key made for this test only (not a development key, so production accepts it).
    const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXjgTJdL7uI7z98+p
lR4ft4aJ+hMU74q8+G/KVeLEG0GhRANCAAT5QQVr96VfUD4+oRfTYK1Uezuor7Jx
6nov/tVmGejrx7k3kKNflyVy+ROjh6eKValwqXbdpiLMfRoGyeRwqYxF
-----END PRIVATE KEY-----
";

    #[test]
    fn production_with_production_settings_starts() {
        let mut s = Settings {
            mode: Mode::Production,
            ..Settings::default()
        };
        s.demo.seed_on_empty = false;
        s.database.migrate_on_start = false;
        s.log.format = LogFormat::Json;
        s.http.cors_origins = vec!["https://mijnherstel.example".into()];
        s.http.public_url = "https://api.mijnherstel.example/v1".into();
        s.identity.bsn_keys = BTreeMap::from([(
            "2026-1".to_string(),
            "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0hISEhISEhISE=".to_string(),
        )]);
        s.identity.bsn_active_key = "2026-1".into();
        s.identity.bsn_index_key = "aW5kZXgta2V5LW9mLTMyLWJ5dGVzLSEhISEhISEhISE=".into();
        s.tokens.signing_keys = BTreeMap::from([("2026-1".to_string(), TEST_KEY.to_string())]);
        s.tokens.active_key = "2026-1".into();
        s.login.dev_idp = false;
        s.login.app_redirect_uris = vec!["https://app.mijnherstel.example/inloggen/klaar".into()];
        let mut digid = Settings::default().login_providers()["digid"].clone();
        digid.issuer = "https://broker.example/realms/digid".into();
        digid.client_key = TEST_KEY.into();
        s.login.providers = BTreeMap::from([("digid".to_string(), digid)]);
        s.notify.mailer = "smtp".into();
        s.notify.smtp.host = "smtp.mijnherstel.example".into();
        s.bewijs.scanner = "clamd".into();
        s.bewijs.clamd = "clamav.mijnherstel.internal:3310".into();
        s.gegevens.simulator = false;
        for (code, bron) in &mut s.gegevens.bronnen {
            bron.url = format!("https://{code}.bronnen.example/api");
        }
        s.validate().unwrap();
        s.notify.smtp.tls = "geen".into();
        assert!(s.validate().is_err(), "plain SMTP to another machine");
    }

    #[test]
    fn rejects_an_unknown_database_scheme() {
        let mut s = Settings::default();
        s.database.url = "mysql://x".into();
        assert!(
            s.validate()
                .unwrap_err()
                .to_string()
                .contains("database.url")
        );
    }
}
