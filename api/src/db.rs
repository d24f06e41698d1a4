//! Database connection for SQLite and PostgreSQL, migrations, and the write-transaction rule.
//!
//! SQLite allows one writer at a time. A deferred transaction that reads first and writes later
//! can fail with SQLITE_BUSY halfway, after work was done; `BEGIN IMMEDIATE` takes the write lock
//! up front, so a busy database fails before anything happens and `busy_timeout` can wait for it.

use std::str::FromStr;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("database niet bereikbaar ({url}): {source}")]
    Unreachable { url: String, source: DbErr },
    #[error("migraties mislukt: {0}")]
    Migration(DbErr),
    #[error("ongeldige database-URL: {0}")]
    BadUrl(String),
}

/// Connects with the pool settings from configuration. For SQLite the file and its folder are
/// created on first run, and WAL + busy_timeout are set on every pooled connection.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbSetupError> {
    let db = &settings.database;
    let mut options = ConnectOptions::new(db.url.clone());
    options
        .max_connections(db.max_connections)
        .min_connections(db.min_connections)
        .connect_timeout(Duration::from_secs(db.connect_timeout_secs))
        .acquire_timeout(Duration::from_secs(db.acquire_timeout_secs))
        // Statements may carry personal data as parameters; never log them.
        .sqlx_logging(false);
    if settings.is_sqlite() {
        let path = sqlite_path(&db.url).ok_or_else(|| DbSetupError::BadUrl(redact_url(&db.url)))?;
        if let Some(parent) = std::path::Path::new(&path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| DbSetupError::Unreachable {
                url: redact_url(&db.url),
                source: DbErr::Custom(format!("map {} aanmaken: {e}", parent.display())),
            })?;
        }
        SqliteConnectOptions::from_str(&db.url)
            .map_err(|e| DbSetupError::BadUrl(format!("{}: {e}", redact_url(&db.url))))?;
        let busy = settings.busy_timeout();
        options.map_sqlx_sqlite_opts(move |o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(busy)
        });
    }
    if settings.database.url.starts_with("postgres") {
        // The PostgreSQL counterpart of busy_timeout: a write waiting this long for a lock gives
        // up, and the client gets 503 + Retry-After instead of a hanging request.
        let lock_timeout = format!("{}ms", settings.database.busy_timeout_ms);
        options
            .map_sqlx_postgres_opts(move |o| o.options([("lock_timeout", lock_timeout.as_str())]));
    }
    Database::connect(options)
        .await
        .map_err(|source| DbSetupError::Unreachable {
            url: redact_url(&db.url),
            source,
        })
}

/// `sqlite://data/x.db?mode=rwc` → `data/x.db`; `sqlite::memory:` has no file.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return None;
    }
    Some(if path == ":memory:" {
        String::new()
    } else {
        path.to_string()
    })
}

/// A URL without its password, for error messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{}@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbSetupError> {
    Migrator::up(db, None)
        .await
        .map_err(DbSetupError::Migration)
}

/// Names of migrations the database has not applied yet (readiness reports them).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_string())
        .collect())
}

pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// Starts a transaction that will write: `BEGIN IMMEDIATE` on SQLite, a plain `BEGIN` elsewhere.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// True when the database could not do the work right now — busy, the pool exhausted, or the
/// connection lost (a restart or failover): the client should retry shortly (503 +
/// Retry-After), it did nothing wrong. Mostly nothing was written; only a connection lost during
/// COMMIT leaves the outcome open, which is why every change carries If-Match or an
/// Idempotency-Key: the retry then learns what happened (412, or the stored answer).
pub fn is_busy(err: &DbErr) -> bool {
    let text = err.to_string().to_lowercase();
    matches!(err, DbErr::ConnectionAcquire(_) | DbErr::Conn(_))
        // SQLite: SQLITE_BUSY / SQLITE_LOCKED
        || text.contains("database is locked")
        || text.contains("database table is locked")
        // PostgreSQL: lock_timeout (55P03), deadlock (40P01), serialization failure (40001)
        || text.contains("lock timeout")
        || text.contains("could not obtain lock")
        || text.contains("deadlock detected")
        || text.contains("could not serialize access")
        // The connection went away: admin shutdown/restart (57P01–57P03), reset, closed pipe.
        || text.contains("terminating connection")
        || text.contains("the database system is")
        || text.contains("error communicating with database")
        || text.contains("connection reset")
        || text.contains("broken pipe")
        || text.contains("connection closed")
        || text.contains("unexpected eof")
}

/// Serialises, until the end of `tx`, everyone who locks the same `sleutel`: for a limit that is
/// counted and then written ("at most N per parent"), so two requests cannot both count N-1.
/// SQLite needs nothing: `BEGIN IMMEDIATE` already lets one writer in at a time.
pub async fn vergrendel(tx: &DatabaseTransaction, sleutel: &str) -> Result<(), DbErr> {
    if tx.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        tx.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [sleutel.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Runs `poging` again, after a short growing pause, while the database answers "busy" (up to
/// `POGINGEN` times). For writes that race on purpose — many clients grabbing one time slot —
/// where the loser should hear the real outcome (409: taken) once the winner has committed,
/// instead of a 503 because it queued behind the winner's lock. `poging` must be safe to repeat:
/// a busy answer means nothing was written.
pub async fn opnieuw_bij_drukte<T, F, Fut>(mut poging: F) -> Result<T, crate::http::ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::http::ApiError>>,
{
    const POGINGEN: u64 = 8;
    for n in 1.. {
        match poging().await {
            Err(e)
                if e.kind() == crate::http::ProblemType::TijdelijkNietBeschikbaar
                    && n < POGINGEN =>
            {
                let mut ruis = [0u8; 1];
                let _ = getrandom::fill(&mut ruis);
                tokio::time::sleep(Duration::from_millis(n * 20 + u64::from(ruis[0] % 32))).await;
            }
            uitkomst => return uitkomst,
        }
    }
    unreachable!("de lus eindigt bij de laatste poging")
}

/// Now, as stored: epoch milliseconds (see `migrations/src/lib.rs` for why not timestamps).
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A stored instant (epoch ms) as the API shows it.
pub fn tijdstip(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite://data/x.db?mode=rwc").as_deref(),
            Some("data/x.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:").as_deref(), Some(""));
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[test]
    fn a_lost_connection_is_busy_not_an_internal_error() {
        use sea_orm::RuntimeErr::Internal;
        for seen in [
            "error returned from database: terminating connection due to administrator command",
            "error communicating with database: Connection reset by peer (os error 104)",
            "error returned from database: the database system is shutting down",
        ] {
            assert!(is_busy(&DbErr::Query(Internal(seen.into()))), "{seen}");
            assert!(is_busy(&DbErr::Exec(Internal(seen.into()))), "{seen}");
        }
        assert!(!is_busy(&DbErr::Query(Internal(
            "error returned from database: syntax error at or near".into()
        ))));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
