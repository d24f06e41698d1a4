//! One throwaway PostgreSQL database per test, copied from a template migrated once per process.

use std::sync::OnceLock;

use sea_orm::{ConnectionTrait, Database};

const TEMPLATE: &str = "mh_test_template";

/// A database that is dropped (with its connections) when this value is dropped, also when the
/// test panics.
pub struct PgDatabase {
    pub url: String,
    admin: String,
    name: String,
}

/// `postgres://u@h:5432/postgres?x` → `postgres://u@h:5432/<name>?x`
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map(|(b, q)| (b, Some(q)))
        .unwrap_or((url, None));
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

impl PgDatabase {
    pub async fn create(admin: &str) -> PgDatabase {
        ensure_template(admin);
        let name = format!("mh_t_{}", uuid::Uuid::new_v4().simple());
        let conn = Database::connect(admin)
            .await
            .expect("PostgreSQL bereikbaar via MH_TEST_DATABASE_URL");
        // Two tests copying the template at the same instant can collide; a retry settles it.
        let mut attempt = 0;
        loop {
            match conn
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
                .await
            {
                Ok(_) => break,
                Err(e)
                    if attempt < 20
                        && e.to_string().contains("is being accessed by other users") =>
                {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("testdatabase aanmaken: {e}"),
            }
        }
        let _ = conn.close().await;
        PgDatabase {
            url: with_database(admin, &name),
            admin: admin.to_string(),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop runs inside the test's runtime, where blocking on async is not allowed.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(conn) = Database::connect(&admin).await {
                    let _ = conn
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// Creates and migrates the template once per process, in its own runtime (each test has one of
/// its own, and a pool must not outlive the runtime that made it).
fn ensure_template(admin: &str) {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let admin = admin.to_string();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let conn = Database::connect(&admin)
                    .await
                    .expect("PostgreSQL bereikbaar via MH_TEST_DATABASE_URL");
                conn.execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"
                ))
                .await
                .expect("oude template weg");
                conn.execute_unprepared(&format!("CREATE DATABASE {TEMPLATE}"))
                    .await
                    .expect("template aanmaken");
                let _ = conn.close().await;
                let template = Database::connect(&with_database(&admin, TEMPLATE))
                    .await
                    .expect("template verbinden");
                mijn_herstel::db::migrate(&template)
                    .await
                    .expect("template migreren");
                let _ = template.close().await;
            });
        })
        .join()
        .expect("template");
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://p@h/postgres?sslmode=disable", "x"),
            "postgres://p@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://p@h:1", "x"), "postgres://p@h:1/x");
    }
}
