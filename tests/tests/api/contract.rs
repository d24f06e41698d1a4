//! The OpenAPI document is the contract: committed, equal to what the code generates, and equal
//! to what the router answers.

use mijn_herstel::openapi;
use mijn_herstel_tests::{TestApp, db_test};
use reqwest::Method;
use serde_json::Value;

#[test]
fn committed_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = openapi::document_text();
    assert!(
        committed == generated,
        "openapi/openapi.json wijkt af van de code. Ververs het met:\n\n    cargo run -q -p mijn-herstel -- openapi --output openapi/openapi.json\n"
    );
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

db_test!(
    async fn every_documented_operation_is_routed_and_every_other_method_is_405(backend) {
        let app = TestApp::spawn(backend).await;
        let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.contains_key("/proef-notities"), "the test server documents its fixture too");
        let mut checked = 0;
        for (template, item) in paths {
            let path = template
                .split('/')
                .map(|s| if s.starts_with('{') { uuid::Uuid::now_v7().to_string() } else { s.to_string() })
                .collect::<Vec<_>>()
                .join("/");
            let documented: Vec<&str> = METHODS.iter().copied().filter(|m| item.get(*m).is_some()).collect();
            for method in METHODS {
                let response = app.request(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), &path).send().await.unwrap();
                let status = response.status().as_u16();
                let code = if status >= 400 { response.json::<Value>().await.unwrap()["code"].as_str().unwrap_or_default().to_string() } else { String::new() };
                if documented.contains(&method) {
                    assert!(code != "onbekend-adres" && code != "methode-niet-toegestaan", "{method} {template} is documented but not routed ({status} {code})");
                } else {
                    assert_eq!(status, 405, "{method} {template} is not documented but answered {status}");
                }
                checked += 1;
            }
        }
        assert!(checked >= 15, "{checked}");
    }
);

#[test]
fn committed_document_covers_what_the_product_serves() {
    let doc = openapi::document();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/health") && paths.contains_key("/ready"));
    assert!(
        !paths.contains_key("/proef-notities"),
        "the fixture is not part of the product"
    );
    for item in paths.values() {
        for op in item.as_object().unwrap().values() {
            assert!(op["operationId"].is_string());
            assert!(
                op["description"].as_str().is_some_and(|d| !d.is_empty())
                    || op["summary"].is_string()
            );
        }
    }
}
