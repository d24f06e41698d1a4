//! Benchmark for issue [C]: the full recalculation of a claim with every step answered, next to
//! the whole `PUT /v1/aanvragen/{id}/stappen/{stap}` request that triggers it (goal: < 1%), and
//! the content parse + check + compile at start-up. Medians, measured in one run.
//!   bench/claims.sh [n]

use std::time::{Duration, Instant};

use mijn_herstel::wizard::Catalogus;
use mijn_herstel::wizard::calc::{bereken, bereken_zonder_uitleg};
use mijn_herstel::wizard::engine::{Antwoorden, Opgehaald, stand};
use mijn_herstel_tests::aanvraag::{etag, golden_steps};
use mijn_herstel_tests::login::FATIMA;
use mijn_herstel_tests::{Backend, TestApp};
use serde_json::json;

/// The server binary's allocator (api/src/main.rs), so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);

    let compile = median(
        (0..20)
            .map(|_| {
                let t = Instant::now();
                Catalogus::shipped().expect("content");
                t.elapsed()
            })
            .collect(),
    );

    let catalogus = Catalogus::shipped().expect("content");
    let inhoud = catalogus.actueel();
    let mut answers = Antwoorden::new();
    for (_, step) in golden_steps() {
        for (k, v) in step.as_object().unwrap() {
            answers.insert(k.clone(), v.clone());
        }
    }
    let none = Opgehaald::default();
    // What a PUT runs: the state and the calculation without explanation texts.
    let recalc = median(
        (0..n * 5)
            .map(|_| {
                let t = Instant::now();
                let s = stand(inhoud, &answers, &none);
                std::hint::black_box(bereken_zonder_uitleg(inhoud, &s, &none));
                t.elapsed()
            })
            .collect(),
    );
    // What reading the posts runs: the same with every explanation written out.
    let explained = median(
        (0..n * 5)
            .map(|_| {
                let t = Instant::now();
                let s = stand(inhoud, &answers, &none);
                std::hint::black_box(bereken(inhoud, &s, &none));
                t.elapsed()
            })
            .collect(),
    );

    let s = stand(inhoud, &answers, &none);
    let stand_only = median(
        (0..n * 5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(stand(inhoud, &answers, &none));
                t.elapsed()
            })
            .collect(),
    );
    let calc_only = median(
        (0..n * 5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(bereken_zonder_uitleg(inhoud, &s, &none));
                t.elapsed()
            })
            .collect(),
    );
    let app = TestApp::spawn(Backend::Sqlite).await;
    let token = app.login("digid", FATIMA).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let created = app.create_claim(&token).await;
    let mut tag = etag(&created);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (step, body) in golden_steps() {
        tag = etag(&app.save_step(&token, &id, step, &tag, &body).await);
    }
    let mut puts = Vec::with_capacity(n);
    for i in 0..n {
        let body = json!({"eigen-verhaal.tekst": format!("Versie {i} van mijn verhaal.")});
        let t = Instant::now();
        let response = app
            .save_step(&token, &id, "eigen-verhaal", &tag, &body)
            .await;
        let elapsed = t.elapsed();
        assert_eq!(response.status().as_u16(), 200);
        tag = etag(&response);
        puts.push(elapsed);
    }
    let put = median(puts);
    println!("content parse + check + compile (shipped, median of 20): {compile:?}");
    println!(
        "full recalculation, every step answered (median of {}): {recalc:?}",
        n * 5
    );
    println!("  of which visibility/validation state: {stand_only:?}, calculation: {calc_only:?}");
    println!(
        "with every explanation written out (GET …/schadeposten, median of {}): {explained:?}",
        n * 5
    );
    println!("PUT /v1/aanvragen/{{id}}/stappen/eigen-verhaal, SQLite (median of {n}): {put:?}");
    println!(
        "recalculation / PUT request: {:.2}% (goal < 1%)",
        recalc.as_secs_f64() / put.as_secs_f64() * 100.0
    );
}
