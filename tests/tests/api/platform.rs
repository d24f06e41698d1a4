use mijn_herstel::openapi::API_VERSION;
use mijn_herstel_tests::{TestApp, db_test, problem};
use serde_json::Value;

db_test!(
    async fn health_answers_without_the_database(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/health").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["api-version"], API_VERSION);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["versie"], API_VERSION);
    }
);

db_test!(
    async fn ready_reports_database_and_migrations(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/ready").await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["database"], "bereikbaar");
        assert_eq!(body["migraties"], "actueel");
    }
);

db_test!(
    async fn ready_is_503_while_migrations_are_pending(backend) {
        // A production-like start: no migrations at start, and one is outstanding.
        let app = TestApp::spawn_with(backend, |s| s.database.migrate_on_start = false).await;
        use sea_orm::ConnectionTrait;
        // SQLite starts empty; the PostgreSQL copy of the template is migrated: forget that.
        let _ = app.db.execute_unprepared("DELETE FROM seaql_migrations").await;
        let body = problem(app.get("/ready").await, 503).await;
        assert!(body["detail"].as_str().unwrap().contains("mijn-herstel migrate"), "{body}");
        assert_eq!(app.get("/health").await.status(), 200, "liveness does not depend on migrations");
    }
);

db_test!(
    async fn every_response_carries_version_and_security_headers(backend) {
        let app = TestApp::spawn(backend).await;
        for response in [app.get("/health").await, app.get("/bestaat-niet").await] {
            let h = response.headers();
            assert_eq!(h["api-version"], API_VERSION);
            assert_eq!(h["cache-control"], "no-store");
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(h["x-frame-options"], "DENY");
            assert_eq!(h["content-security-policy"], "frame-ancestors 'none'");
            assert!(h["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
            assert!(h.get("server").is_none(), "no server banner");
        }
    }
);

db_test!(
    async fn cors_echoes_allowed_origins_only(backend) {
        let app = TestApp::spawn_with(backend, |s| s.http.cors_origins = vec!["https://app.mijn-herstel.example".into()]).await;
        let allowed = app.request(reqwest::Method::GET, "/health").header("Origin", "https://app.mijn-herstel.example").send().await.unwrap();
        assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.mijn-herstel.example");
        let exposed = allowed.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
        for header in ["api-version", "etag", "link", "location"] {
            assert!(exposed.contains(header), "{header} exposed: {exposed}");
        }
        let other = app.request(reqwest::Method::GET, "/health").header("Origin", "https://evil.example").send().await.unwrap();
        assert_eq!(other.status(), 200);
        assert!(other.headers().get("access-control-allow-origin").is_none());

        let preflight = app
            .request(reqwest::Method::OPTIONS, "/proef-notities")
            .header("Origin", "https://app.mijn-herstel.example")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "idempotency-key, content-type")
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), 200);
        let allowed_headers = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
        assert!(allowed_headers.contains("idempotency-key"), "{allowed_headers}");
    }
);

db_test!(
    async fn openapi_document_is_public_and_open_to_every_origin(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.request(reqwest::Method::GET, "/openapi.json").header("Origin", "https://ergens.example").send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert_eq!(response.headers()["api-version"], API_VERSION);
        let doc: Value = response.json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], API_VERSION);
        assert_eq!(doc["servers"][0]["url"], "/v1");
    }
);

db_test!(
    async fn docs_viewer_works_without_internet(backend) {
        let app = TestApp::spawn(backend).await;
        let redirect = app.get("/docs").await;
        assert_eq!(redirect.status(), 308);
        assert_eq!(redirect.headers()["location"], "/v1/docs/");
        let page = app.get("/docs/").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("swagger-ui-bundle.js"));
        assert!(!html.contains("http://") && !html.contains("https://cdn"), "no external assets");
        let init = app.get("/docs/swagger-initializer.js").await.text().await.unwrap();
        assert!(init.contains("/v1/openapi.json"), "{init}");
        // The page must not send our document to validator.swagger.io (nor break offline).
        assert!(init.contains(r#""validatorUrl": "none""#), "{init}");
        let bundle = app.get("/docs/swagger-ui-bundle.js").await;
        assert_eq!(bundle.status(), 200);
        assert!(bundle.bytes().await.unwrap().len() > 100_000, "bundle served from the binary");
    }
);

db_test!(
    async fn trace_id_from_traceparent_becomes_the_problem_instance(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app
            .request(reqwest::Method::GET, "/bestaat-niet")
            .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .send()
            .await
            .unwrap();
        let body = problem(response, 404).await;
        assert_eq!(body["instance"], "urn:uuid:4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
        // Without one, every request gets its own id.
        let a = problem(app.get("/bestaat-niet").await, 404).await;
        let b = problem(app.get("/bestaat-niet").await, 404).await;
        assert_ne!(a["instance"], b["instance"]);
    }
);
