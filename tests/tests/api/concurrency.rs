//! ETag / If-Match / If-None-Match on a versioned resource.

use mijn_herstel::openapi::API_VERSION;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

async fn created(app: &TestApp) -> (String, String) {
    let (response, _) = app.create_note(&json!({"tekst": "eerste versie"})).await;
    assert_eq!(response.status(), 201);
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let location = response.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/v1")
        .to_string();
    (location, etag)
}

db_test!(
    async fn reads_carry_a_strong_etag_and_honour_if_none_match(backend) {
        let app = TestApp::spawn(backend).await;
        let (path, etag) = created(&app).await;
        assert_eq!(etag, "\"v1\"");
        let response = app.get(&path).await;
        assert_eq!(response.headers()["etag"], "\"v1\"");
        let cached = app.request(Method::GET, &path).header("If-None-Match", &etag).send().await.unwrap();
        assert_eq!(cached.status(), 304);
        assert_eq!(cached.headers()["etag"], "\"v1\"");
        assert_eq!(cached.headers()["api-version"], API_VERSION, "API-Version on 304 too");
        let other = app.request(Method::GET, &path).header("If-None-Match", "\"v9\"").send().await.unwrap();
        assert_eq!(other.status(), 200);
    }
);

db_test!(
    async fn writes_need_if_match_and_lose_nothing_on_a_stale_version(backend) {
        let app = TestApp::spawn(backend).await;
        let (path, etag) = created(&app).await;
        let missing = app.request(Method::PUT, &path).json(&json!({"tekst": "zonder"})).send().await.unwrap();
        assert_eq!(problem(missing, 428).await["code"], "if-match-vereist");

        let first = app.request(Method::PUT, &path).header("If-Match", &etag).json(&json!({"tekst": "door ouder"})).send().await.unwrap();
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["etag"], "\"v2\"");

        // The lawyer still holds v1: their change is refused, the parent's is kept.
        let stale = app.request(Method::PUT, &path).header("If-Match", &etag).json(&json!({"tekst": "door advocaat"})).send().await.unwrap();
        assert_eq!(stale.headers()["etag"], "\"v2\"", "412 says which version is current");
        assert_eq!(problem(stale, 412).await["code"], "versie-verouderd");
        let weak = app.request(Method::PUT, &path).header("If-Match", "W/\"v2\"").json(&json!({"tekst": "zwak"})).send().await.unwrap();
        problem(weak, 412).await;
        let current: Value = app.get(&path).await.json().await.unwrap();
        assert_eq!(current["tekst"], "door ouder");
        assert_eq!(current["versie"], 2);
    }
);

db_test!(
    async fn concurrent_writers_with_the_same_version_get_exactly_one_success(backend) {
        let app = TestApp::spawn(backend).await;
        let (path, etag) = created(&app).await;
        let mut handles = Vec::new();
        for i in 0..6 {
            let request = app.request(Method::PUT, &path).header("If-Match", &etag).json(&json!({"tekst": format!("schrijver {i}")}));
            handles.push(tokio::spawn(async move { request.send().await.unwrap().status().as_u16() }));
        }
        let mut statuses = Vec::new();
        for h in handles {
            statuses.push(h.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| matches!(s, 200 | 412 | 503)), "{statuses:?}");
        let current: Value = app.get(&path).await.json().await.unwrap();
        assert_eq!(current["versie"], 2);
    }
);

db_test!(
    async fn another_resource_is_404_and_a_malformed_if_match_is_400(backend) {
        let app = TestApp::spawn(backend).await;
        let (path, _) = created(&app).await;
        let unknown = format!("/proef-notities/{}", uuid::Uuid::now_v7());
        assert_eq!(problem(app.get(&unknown).await, 404).await["code"], "niet-gevonden");
        let put = app.request(Method::PUT, &unknown).header("If-Match", "\"v1\"").json(&json!({"tekst": "x"})).send().await.unwrap();
        problem(put, 404).await;
        let bad = app.request(Method::PUT, &path).header("If-Match", "v1").json(&json!({"tekst": "x"})).send().await.unwrap();
        assert_eq!(problem(bad, 400).await["errors"][0]["parameter"], "If-Match");
    }
);
