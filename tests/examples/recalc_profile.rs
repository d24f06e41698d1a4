//! Runs the recalculation of a PUT in a loop, for a profiler: `perf record -g target/release/examples/recalc_profile`.

use mijn_herstel::wizard::Catalogus;
use mijn_herstel::wizard::calc::bereken_zonder_uitleg;
use mijn_herstel::wizard::engine::{Antwoorden, Opgehaald, stand};
use mijn_herstel_tests::aanvraag::golden_steps;

/// The server binary's allocator (api/src/main.rs), so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let catalogus = Catalogus::shipped().expect("content");
    let inhoud = catalogus.actueel();
    let mut answers = Antwoorden::new();
    for (_, step) in golden_steps() {
        for (k, v) in step.as_object().unwrap() {
            answers.insert(k.clone(), v.clone());
        }
    }
    let none = Opgehaald::default();
    let start = std::time::Instant::now();
    for _ in 0..n {
        let s = stand(inhoud, &answers, &none);
        std::hint::black_box(bereken_zonder_uitleg(inhoud, &s, &none));
    }
    println!("{:?} per recalculation", start.elapsed() / n as u32);
}
