//! Issue [K]: an integrator can work from the committed `openapi/openapi.json` alone. This test
//! reads that file (the drift test in `contract.rs` keeps it equal to the code) and fails with the
//! full list of what is missing, so the count is visible.
//!
//! The rule, strict but achievable:
//! - **every operation** has a non-empty `description` in Dutch, and, when it carries a body at
//!   all (a request body or content in a 2xx response), at least one example: on the media type
//!   or on its schema (followed through `$ref`, array `items` and `allOf`/`oneOf`/`anyOf`).
//!   Operations without any body (a 204 or a redirect only) have nothing to exemplify;
//! - **every component schema** has a Dutch `description`, and every object schema (`type`
//!   object or `properties`) an `example` or `examples`;
//! - **every problem `type` URI** the server can answer ([`ProblemType::ALL`]) appears in the
//!   document, so a client can look each one up.
//!
//! "Dutch" is checked by a heuristic: a description may not contain English function words
//! ("the", "and", "with", ...) outside `code spans`. It catches the doc comments written for
//! engineers that leaked into the API's language.

use mijn_herstel::http::problem::ProblemType;
use serde_json::{Map, Value};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Words that do not occur in Dutch prose; one is enough to call a description English.
const ENGLISH: [&str; 12] = [
    "the", "and", "with", "which", "this", "that", "from", "are", "when", "where", "one", "its",
];

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let text = std::fs::read_to_string(path).expect("openapi/openapi.json");
    serde_json::from_str(&text).expect("JSON")
}

/// The English words in `text`, ignoring `code spans` (field names, URLs and media types).
fn english_words(text: &str) -> Vec<String> {
    let prose: String = text
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    prose
        .split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

fn check_description(what: &str, description: Option<&Value>, missing: &mut Vec<String>) {
    match description.and_then(Value::as_str).map(str::trim) {
        None | Some("") => missing.push(format!("{what}: geen description")),
        Some(text) => {
            let english = english_words(text);
            if !english.is_empty() {
                missing.push(format!(
                    "{what}: description niet in het Nederlands ({english:?})"
                ));
            }
        }
    }
}

fn has_example(schema: &Value, schemas: &Map<String, Value>, depth: usize) -> bool {
    if depth > 5 || !schema.is_object() {
        return false;
    }
    if schema.get("example").is_some() || schema.get("examples").is_some() {
        return true;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or_default();
        return schemas
            .get(name)
            .is_some_and(|s| has_example(s, schemas, depth + 1));
    }
    if let Some(items) = schema.get("items") {
        return has_example(items, schemas, depth + 1);
    }
    ["allOf", "oneOf", "anyOf"].iter().any(|k| {
        schema
            .get(*k)
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().any(|s| has_example(s, schemas, depth + 1)))
    })
}

/// True when some media type of `content` has an example, itself or through its schema.
fn content_has_example(content: &Map<String, Value>, schemas: &Map<String, Value>) -> bool {
    content.values().any(|media| {
        media.get("example").is_some()
            || media.get("examples").is_some()
            || media
                .get("schema")
                .is_some_and(|s| has_example(s, schemas, 0))
    })
}

fn missing_in_operations(doc: &Value, schemas: &Map<String, Value>) -> Vec<String> {
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let name = format!(
                "operatie {} ({method} {path})",
                op["operationId"].as_str().unwrap_or("?")
            );
            check_description(&name, op.get("description"), &mut missing);
            let mut bodies: Vec<&Map<String, Value>> = Vec::new();
            if let Some(content) = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            {
                bodies.push(content);
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                if status.starts_with('2')
                    && let Some(content) = response.get("content").and_then(Value::as_object)
                {
                    bodies.push(content);
                }
            }
            if !bodies.is_empty() && !bodies.iter().any(|c| content_has_example(c, schemas)) {
                missing.push(format!("{name}: geen voorbeeld"));
            }
        }
    }
    missing
}

fn missing_in_schemas(schemas: &Map<String, Value>) -> Vec<String> {
    let mut missing = Vec::new();
    for (name, schema) in schemas {
        let what = format!("schema {name}");
        check_description(&what, schema.get("description"), &mut missing);
        let is_object = schema.get("properties").is_some()
            || match &schema["type"] {
                Value::String(t) => t == "object",
                Value::Array(ts) => ts.iter().any(|t| t == "object"),
                _ => false,
            };
        if is_object && schema.get("example").is_none() && schema.get("examples").is_none() {
            missing.push(format!("{what}: geen example"));
        }
    }
    missing
}

fn missing_problem_types(doc: &Value) -> Vec<String> {
    let text = doc.to_string();
    ProblemType::ALL
        .iter()
        .map(|kind| kind.uri())
        .filter(|uri| !text.contains(uri.as_str()))
        .map(|uri| format!("probleemtype {uri}: niet beschreven"))
        .collect()
}

#[test]
fn every_operation_schema_and_problem_type_is_documented() {
    let doc = document();
    let empty = Map::new();
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut missing = missing_in_operations(&doc, schemas);
    missing.extend(missing_in_schemas(schemas));
    missing.extend(missing_problem_types(&doc));
    assert!(
        missing.is_empty(),
        "{} ontbreken in openapi/openapi.json:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

/// The checks themselves, so the test above cannot pass by checking nothing.
#[test]
fn the_checks_notice_what_is_missing() {
    assert_eq!(
        english_words("The answers of one step; `the` stays"),
        ["the", "one"]
    );
    assert!(english_words("De antwoorden van één stap (`the`).").is_empty());
    let schemas: Map<String, Value> = serde_json::from_value(serde_json::json!({
        "Met": {"type": "object", "description": "Een ding.", "example": {"a": 1}},
        "Zonder": {"type": "object", "properties": {"a": {"type": "string"}}}
    }))
    .unwrap();
    assert!(has_example(
        &serde_json::json!({"$ref": "#/components/schemas/Met"}),
        &schemas,
        0
    ));
    assert!(has_example(
        &serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/Met"}}),
        &schemas,
        0
    ));
    assert!(!has_example(
        &serde_json::json!({"$ref": "#/components/schemas/Zonder"}),
        &schemas,
        0
    ));
    assert_eq!(
        missing_in_schemas(&schemas),
        [
            "schema Zonder: geen description",
            "schema Zonder: geen example"
        ]
    );
    let doc = document();
    assert!(
        doc["paths"].as_object().is_some_and(|p| p.len() > 50),
        "the real document is read"
    );
    assert!(missing_problem_types(&serde_json::json!({})).len() == ProblemType::ALL.len());
}

/// Defect D2 of the TypeScript client: an operation that can answer 304 documents the
/// `If-None-Match` header that asks for it, and the `ETag` the 304 carries.
#[test]
fn conditional_gets_document_if_none_match_and_the_etag() {
    let doc = document();
    let mut seen = 0;
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            let Some(not_modified) = op.pointer("/responses/304") else {
                continue;
            };
            seen += 1;
            let name = op["operationId"].as_str().unwrap_or("?");
            let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
            assert!(
                parameters.iter().any(|p| p["in"] == "header"
                    && p["name"] == "If-None-Match"
                    && p["required"] == false),
                "{name}: If-None-Match ontbreekt"
            );
            assert!(
                not_modified.pointer("/headers/ETag").is_some(),
                "{name}: 304 zonder ETag"
            );
        }
    }
    assert_eq!(seen, 5, "the five conditional GETs");
}
