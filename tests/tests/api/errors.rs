//! Every error shape: the framework's own and ours, all problem+json, none leaking internals.

use mijn_herstel_tests::fixture::FAIL_AFTER_WRITE;
use mijn_herstel_tests::{Backend, TestApp, db_test, problem};
use reqwest::Method;
use serde_json::json;

db_test!(
    async fn unknown_address_is_404_problem(backend) {
        let app = TestApp::spawn(backend).await;
        let body = problem(app.get("/bestaat-niet").await, 404).await;
        assert_eq!(body["code"], "onbekend-adres");
        let outside = app.client.get(format!("http://127.0.0.1:{}/", app.port)).send().await.unwrap();
        problem(outside, 404).await;
    }
);

db_test!(
    async fn trailing_slash_is_404_not_a_redirect(backend) {
        let app = TestApp::spawn(backend).await;
        let body = problem(app.get("/health/").await, 404).await;
        assert!(body["detail"].as_str().unwrap().contains("schuine streep"), "{body}");
        problem(app.get("/proef-notities/").await, 404).await;
    }
);

db_test!(
    async fn wrong_method_is_405_with_allow(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.request(Method::DELETE, "/health").send().await.unwrap();
        assert_eq!(response.headers()["allow"], "GET");
        let body = problem(response, 405).await;
        assert_eq!(body["code"], "methode-niet-toegestaan");

        let response = app.request(Method::DELETE, "/proef-notities").send().await.unwrap();
        let allow = response.headers()["allow"].to_str().unwrap().to_string();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
        problem(response, 405).await;

        let response = app.request(Method::PATCH, &format!("/proef-notities/{}", uuid::Uuid::now_v7())).send().await.unwrap();
        let allow = response.headers()["allow"].to_str().unwrap().to_string();
        assert!(allow.contains("GET") && allow.contains("PUT"), "{allow}");
        problem(response, 405).await;
    }
);

db_test!(
    async fn malformed_json_is_400_with_position(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app
            .request(Method::POST, "/proef-notities")
            .header("Idempotency-Key", "k1")
            .header("Content-Type", "application/json")
            .body("{\"tekst\": ")
            .send()
            .await
            .unwrap();
        let body = problem(response, 400).await;
        assert_eq!(body["errors"][0]["pointer"], "#");
        assert_eq!(body["errors"][0]["code"], "json");
        assert!(body["errors"][0]["detail"].as_str().unwrap().contains("regel 1"), "{body}");
        assert_eq!(app.count("proef_notitie").await, 0);
    }
);

db_test!(
    async fn wrong_content_type_is_415(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app
            .request(Method::POST, "/proef-notities")
            .header("Idempotency-Key", "k1")
            .header("Content-Type", "text/plain")
            .body("tekst=hallo")
            .send()
            .await
            .unwrap();
        let body = problem(response, 415).await;
        assert!(body["detail"].as_str().unwrap().contains("text/plain"), "{body}");
        let response = app.request(Method::POST, "/proef-notities").header("Idempotency-Key", "k2").body("{}").send().await.unwrap();
        problem(response, 415).await;
    }
);

db_test!(
    async fn body_over_the_limit_is_413(backend) {
        let app = TestApp::spawn_with(backend, |s| s.http.max_json_bytes = 2048).await;
        let big = json!({"tekst": "x".repeat(5000)});
        let response = app.request(Method::POST, "/proef-notities").header("Idempotency-Key", "k1").json(&big).send().await.unwrap();
        let body = problem(response, 413).await;
        assert!(body["detail"].as_str().unwrap().contains("2048"), "{body}");
        // Also when the client does not say how long the body is (chunked).
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"{\"tekst\": \"".to_vec()), Ok(vec![b'x'; 4000]), Ok(b"\"}".to_vec())];
        let response = app
            .request(Method::POST, "/proef-notities")
            .header("Idempotency-Key", "k2")
            .header("Content-Type", "application/json")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
            .send()
            .await
            .unwrap();
        problem(response, 413).await;
        assert_eq!(app.count("proef_notitie").await, 0);
    }
);

db_test!(
    async fn all_invalid_fields_are_reported_at_once(backend) {
        let app = TestApp::spawn(backend).await;
        let (response, _) = app.create_note(&json!({"prioriteit": 9, "datum": "gisteren", "kleur": "rood"})).await;
        let body = problem(response, 400).await;
        assert_eq!(body["code"], "ongeldige-invoer");
        let found: Vec<(String, String)> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["pointer"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
            .collect();
        for expected in [("#/tekst", "required"), ("#/prioriteit", "maximum"), ("#/datum", "format"), ("#/kleur", "additionalProperties")] {
            assert!(found.contains(&(expected.0.to_string(), expected.1.to_string())), "{expected:?} in {found:?}");
        }
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(body["errors"].as_array().unwrap().iter().all(|e| !e["detail"].as_str().unwrap().is_empty()));
        assert_eq!(app.count("proef_notitie").await, 0);
    }
);

db_test!(
    async fn wrong_types_and_validator_rules_are_400(backend) {
        let app = TestApp::spawn(backend).await;
        let (response, _) = app.create_note(&json!({"tekst": 12, "prioriteit": "hoog"})).await;
        let body = problem(response, 400).await;
        assert_eq!(body["errors"].as_array().unwrap().len(), 2, "{body}");
        assert_eq!(body["errors"][0]["code"], "type");

        let (response, _) = app.create_note(&json!({"tekst": "   "})).await;
        let body = problem(response, 400).await;
        assert_eq!(body["errors"][0]["pointer"], "#/tekst");
        assert_eq!(body["errors"][0]["code"], "blank");
        assert_eq!(body["errors"][0]["detail"], "Vul meer in dan alleen spaties.");

        let (response, _) = app.create_note(&json!([1, 2])).await;
        problem(response, 400).await;
    }
);

db_test!(
    async fn invalid_query_and_path_parameters_are_400(backend) {
        let app = TestApp::spawn(backend).await;
        let body = problem(app.get("/proef-notities?page=0&pageSize=101").await, 400).await;
        let params: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["parameter"].as_str().unwrap()).collect();
        assert_eq!(params, vec!["page", "pageSize"]);
        let body = problem(app.get("/proef-notities?page=twee").await, 400).await;
        assert_eq!(body["errors"][0]["parameter"], "page");
        assert_eq!(body["errors"][0]["code"], "type");
        let body = problem(app.get("/proef-notities/geen-uuid").await, 400).await;
        assert_eq!(body["errors"][0]["parameter"], "pad");
    }
);

db_test!(
    async fn a_failure_after_writing_leaves_nothing_and_no_internals(backend) {
        let app = TestApp::spawn(backend).await;
        let (response, key) = app.create_note(&json!({"tekst": FAIL_AFTER_WRITE})).await;
        let body = problem(response, 500).await;
        assert_eq!(body["code"], "interne-fout");
        let text = body.to_string();
        for leak in ["proef:", "sqlx", "sea_orm", "panicked", ".rs"] {
            assert!(!text.contains(leak), "{leak} leaked in {text}");
        }
        assert_eq!(app.count("proef_notitie").await, 0, "the insert was rolled back");
        assert_eq!(app.count("idempotentie_sleutel").await, 0, "the key was released for a retry");
        let retry = app
            .request(Method::POST, "/proef-notities")
            .header("Idempotency-Key", &key)
            .json(&json!({"tekst": FAIL_AFTER_WRITE}))
            .send()
            .await
            .unwrap();
        problem(retry, 500).await;
    }
);

db_test!(
    async fn a_busy_database_is_503_with_retry_after_and_writes_nothing(backend) {
        let app = TestApp::spawn(backend.clone()).await;
        // Another connection holds the write lock for longer than the server waits for it.
        let blocker = mijn_herstel::db::connect(&app.settings).await.unwrap();
        let tx = mijn_herstel::db::begin_write(&blocker).await.unwrap();
        use sea_orm::ConnectionTrait;
        match backend {
            Backend::Sqlite => tx.execute_unprepared("INSERT INTO proef_notitie VALUES ('x', 'x', NULL, NULL, 1)").await.unwrap(),
            Backend::Postgres(_) => tx.execute_unprepared("LOCK TABLE idempotentie_sleutel IN EXCLUSIVE MODE").await.unwrap(),
        };
        let (response, key) = app.create_note(&json!({"tekst": "in de wacht"})).await;
        assert_eq!(response.headers()["retry-after"], "1");
        let body = problem(response, 503).await;
        assert_eq!(body["code"], "tijdelijk-niet-beschikbaar");
        tx.rollback().await.unwrap();
        assert_eq!(app.count("proef_notitie").await, 0);
        // After the lock is gone the same request, same key, succeeds.
        let retry = app.request(Method::POST, "/proef-notities").header("Idempotency-Key", &key).json(&json!({"tekst": "in de wacht"})).send().await.unwrap();
        assert_eq!(retry.status(), 201);
        assert_eq!(app.count("proef_notitie").await, 1);
    }
);

db_test!(
    async fn an_accept_header_that_rules_out_json_is_406(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.request(Method::GET, "/health").header("Accept", "text/html").send().await.unwrap();
        assert_eq!(problem(response, 406).await["code"], "niet-acceptabel");
        let before = app.count("proef_notitie").await;
        let response = app
            .request(Method::POST, "/proef-notities")
            .header("Accept", "application/xml")
            .header("Idempotency-Key", "k")
            .json(&json!({"tekst": "x"}))
            .send()
            .await
            .unwrap();
        problem(response, 406).await;
        assert_eq!(app.count("proef_notitie").await, before, "refused before the handler ran");
        let ok = app.request(Method::GET, "/health").header("Accept", "application/json").send().await.unwrap();
        assert_eq!(ok.status(), 200);
    }
);
