//! schemathesis against the access matrix's world (issue [I] item 2).
//!
//! A random identifier only ever reaches a 404, and a random body rarely passes a state rule, so
//! the fuzzer alone cannot reach most operations' success. This test builds the matrix's world
//! (a draft with a document, a claim with an offer, one under review with a question, consents,
//! retrieved data, conversations, mandates), writes it with the matrix table to
//! `target/schemathesis/wereld.json` and hands over to `tests/schemathesis/wereld.py`, which
//! first sends every table row as a schemathesis case (the rightful caller, in the table's order,
//! every response through all of schemathesis' checks), then runs `schemathesis run` over every
//! operation with the world's identifiers pinned and the rightful caller's token.
//!
//! Needs the venv `tests/schemathesis/run.sh` makes: set `MH_SCHEMATHESIS_PYTHON` to its python.
//! Without it the test says so and passes, like the other tests that need an installed tool.

use std::collections::BTreeMap;

use mijn_herstel_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

use crate::matrix_tabel::zaken;
use crate::matrix_wereld::{bouw, ok, over, send};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_over_every_operation() {
    let Ok(python) = std::env::var("MH_SCHEMATHESIS_PYTHON") else {
        eprintln!(
            "schemathesis overgeslagen: MH_SCHEMATHESIS_PYTHON niet gezet (bash tests/schemathesis/run.sh)"
        );
        return;
    };
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        // The matrix's settings: four eyes on every offer, bookable an hour ahead.
        s.claims.vier_ogen_vanaf_cent = 1;
        let t = s.gesprekken.typen.get_mut("herstelrechtgesprek").unwrap();
        t.boeken_vooraf_uren = 1;
        t.wijzigen_vooraf_uren = 1;
        // The fuzzer sends thousands of requests a minute as one person; the limits have tests.
        s.limits.login_per_minute = 100_000;
        s.limits.token_per_minute = 100_000;
        s.limits.subject_per_minute = 1_000_000;
        s.limits.gevoelig_per_minute = 100_000;
    })
    .await;
    let mut w = bouw(&app).await;
    // Pieter's pending invitation, which he refuses in the table (as the matrix sets it up).
    let m = ok(
        send(
            &app,
            Method::POST,
            w.token("fatima"),
            "/machtigingen",
            json!({"registratienummer": "A-20871", "bevoegdheden": ["gesprekken-plannen"], "geldigTot": over(90)}),
        )
        .await,
        201,
    )
    .await;
    w.ids
        .insert("machtiging-pieter", m["id"].as_str().unwrap().to_string());

    let rijen: Vec<Value> = zaken()
        .iter()
        .map(|z| {
            json!({
                "op": z.op,
                "methode": z.methode.as_str(),
                "pad": z.pad,
                "body": z.body,
                "wie": z.wie,
                "status": z.status,
                "etagVan": z.etag_van,
                "bewaar": z.bewaar,
            })
        })
        .collect();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let uit = std::path::PathBuf::from(root).join("target/schemathesis");
    let _ = std::fs::remove_dir_all(&uit);
    std::fs::create_dir_all(&uit).unwrap();
    let database = app
        .settings
        .database
        .url
        .trim_start_matches("sqlite://")
        .to_string();
    let wereld = json!({
        "origin": app.settings.http.public_url.trim_end_matches("/v1"),
        "ids": w.ids.iter().collect::<BTreeMap<_, _>>(),
        "tokens": w.tokens.iter().collect::<BTreeMap<_, _>>(),
        "rijen": rijen,
        "database": database,
        "mailMap": app.mail_dir().display().to_string(),
        "spec": format!("{root}/openapi/openapi.json"),
    });
    let pad = uit.join("wereld.json");
    std::fs::write(&pad, serde_json::to_vec_pretty(&wereld).unwrap()).unwrap();

    let script = format!("{root}/tests/schemathesis/wereld.py");
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .arg(pad)
            .status()
            .expect("python start")
    })
    .await
    .unwrap();
    assert!(
        status.success(),
        "schemathesis vond fouten: zie target/schemathesis/"
    );
}
