//! Page-number pagination with an RFC 8288 Link header.

use mijn_herstel_tests::{TestApp, db_test};
use serde_json::{Value, json};

db_test!(
    async fn pages_link_to_first_prev_next_last_with_absolute_urls(backend) {
        let app = TestApp::spawn(backend).await;
        for i in 0..5 {
            assert_eq!(app.create_note(&json!({"tekst": format!("notitie {i}")})).await.0.status(), 201);
        }
        let response = app.get("/proef-notities?pageSize=2&page=2").await;
        assert_eq!(response.status(), 200);
        let link = response.headers()["link"].to_str().unwrap().to_string();
        let base = &app.settings.http.public_url;
        assert!(link.contains(&format!("<{base}/proef-notities?page=1&pageSize=2>; rel=\"first\"")), "{link}");
        assert!(link.contains("page=1&pageSize=2>; rel=\"prev\""), "{link}");
        assert!(link.contains("page=3&pageSize=2>; rel=\"next\""), "{link}");
        assert!(link.contains("page=3&pageSize=2>; rel=\"last\""), "{link}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["paginering"], json!({"page": 2, "pageSize": 2, "totaal": 5, "aantalPaginas": 3}));
        let texts: Vec<&str> = body["resultaten"].as_array().unwrap().iter().map(|n| n["tekst"].as_str().unwrap()).collect();
        assert_eq!(texts, vec!["notitie 2", "notitie 3"], "deterministic order: oldest first");

        let last: Value = app.get("/proef-notities?pageSize=2&page=3").await.json().await.unwrap();
        assert_eq!(last["resultaten"].as_array().unwrap().len(), 1);
        let default: Value = app.get("/proef-notities").await.json().await.unwrap();
        assert_eq!(default["paginering"]["pageSize"], 20);
        assert_eq!(default["resultaten"].as_array().unwrap().len(), 5);
    }
);
