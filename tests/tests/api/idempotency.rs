//! Idempotency-Key: replay, in-flight duplicate, other payload, expiry and take-over.

use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn post(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.request(Method::POST, "/proef-notities")
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Puts a key record in place as another request would have left it.
async fn plant(app: &TestApp, key: &str, body: &Value, locked_for_ms: i64, expires_in_ms: i64) {
    use sha2::Digest;
    let hash = hex::encode(sha2::Sha256::digest(serde_json::to_vec(body).unwrap()));
    let now = chrono::Utc::now().timestamp_millis();
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO idempotentie_sleutel (principaal, operatie, sleutel, verzoek_hash, vergrendeld_tot, verloopt_op, aangemaakt_op) \
             VALUES ('proef', 'proef-notitie.aanmaken', '{key}', '{hash}', {}, {}, {now})",
            now + locked_for_ms,
            now + expires_in_ms
        ))
        .await
        .unwrap();
}

db_test!(
    async fn missing_or_malformed_key_is_400(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.post_json("/proef-notities", &json!({"tekst": "a"})).await;
        let body = problem(response, 400).await;
        assert_eq!(body["errors"][0]["parameter"], "Idempotency-Key");
        assert_eq!(body["errors"][0]["code"], "required");
        let body = problem(post(&app, "met spatie", &json!({"tekst": "a"})).await, 400).await;
        assert_eq!(body["errors"][0]["code"], "format");
        assert_eq!(app.count("proef_notitie").await, 0);
    }
);

db_test!(
    async fn a_repeated_request_gets_the_stored_response_and_writes_once(backend) {
        let app = TestApp::spawn(backend).await;
        let body = json!({"tekst": "één keer"});
        let first = post(&app, "\"sleutel-1\"", &body).await;
        assert_eq!(first.status(), 201);
        let location = first.headers()["location"].clone();
        let first_body: Value = first.json().await.unwrap();
        let again = post(&app, "sleutel-1", &body).await;
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.headers()["location"], location);
        assert_eq!(again.headers()["etag"], "\"v1\"");
        assert_eq!(again.json::<Value>().await.unwrap(), first_body);
        assert_eq!(app.count("proef_notitie").await, 1);
    }
);

db_test!(
    async fn the_same_key_with_another_payload_is_422(backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(post(&app, "k", &json!({"tekst": "a"})).await.status(), 201);
        let body = problem(post(&app, "k", &json!({"tekst": "b"})).await, 422).await;
        assert_eq!(body["code"], "idempotency-key-hergebruikt");
        assert_eq!(app.count("proef_notitie").await, 1);
    }
);

db_test!(
    async fn a_duplicate_while_the_first_runs_is_409(backend) {
        let app = TestApp::spawn(backend).await;
        let body = json!({"tekst": "bezig"});
        plant(&app, "k", &body, 30_000, 3_600_000).await;
        let response = post(&app, "k", &body).await;
        assert!(response.headers()["retry-after"].to_str().unwrap().parse::<u32>().unwrap() >= 1);
        assert_eq!(problem(response, 409).await["code"], "verzoek-loopt-nog");
        assert_eq!(app.count("proef_notitie").await, 0);
    }
);

db_test!(
    async fn an_abandoned_lock_or_an_expired_key_may_be_taken_over(backend) {
        let app = TestApp::spawn(backend).await;
        let body = json!({"tekst": "overgenomen"});
        plant(&app, "verlaten", &body, -1, 3_600_000).await;
        assert_eq!(post(&app, "verlaten", &body).await.status(), 201);
        // Expired: even another payload may use the key again.
        plant(&app, "verlopen", &json!({"tekst": "oud"}), -1, -1).await;
        assert_eq!(post(&app, "verlopen", &json!({"tekst": "nieuw"})).await.status(), 201);
        assert_eq!(app.count("proef_notitie").await, 2);
    }
);

db_test!(
    async fn concurrent_duplicates_write_exactly_once(backend) {
        let app = TestApp::spawn(backend).await;
        let body = json!({"tekst": "tegelijk"});
        let mut handles = Vec::new();
        for _ in 0..8 {
            let request = app.request(Method::POST, "/proef-notities").header("Idempotency-Key", "zelfde").json(&body);
            handles.push(tokio::spawn(async move { request.send().await.unwrap().status().as_u16() }));
        }
        let mut statuses = Vec::new();
        for h in handles {
            statuses.push(h.await.unwrap());
        }
        assert!(statuses.contains(&201), "{statuses:?}");
        assert!(statuses.iter().all(|s| matches!(s, 201 | 409 | 503)), "{statuses:?}");
        assert_eq!(app.count("proef_notitie").await, 1);
    }
);

db_test!(
    async fn keys_are_scoped_per_operation_and_principal(backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(post(&app, "gedeeld", &json!({"tekst": "a"})).await.status(), 201);
        use sea_orm::ConnectionTrait;
        let rows = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT principaal, operatie FROM idempotentie_sleutel WHERE sleutel = 'gedeeld'".to_string(),
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rows.try_get::<String>("", "principaal").unwrap(), "proef");
        assert_eq!(rows.try_get::<String>("", "operatie").unwrap(), "proef-notitie.aanmaken");
    }
);
