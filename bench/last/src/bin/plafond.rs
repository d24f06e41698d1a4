//! The ceiling of bench/last.sh: a minimal actix-web server, built and run like the product
//! (release profile, mimalloc, same actix features, one worker per core), that answers
//! `GET /{bytes}` with a fixed JSON body of that many bytes. The load client asks it for the size
//! of the endpoint it compares with, so the ratio compares like with like.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use actix_web::web::{Bytes, Path};
use actix_web::{App, HttpResponse, HttpServer, get};
use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 8090)]
    port: u16,
    /// Worker threads; 0 = one per core, as the product's default.
    #[arg(long, default_value_t = 0)]
    workers: usize,
}

/// Bodies by size, made once: the ceiling does no work per request beyond HTTP itself.
static BODIES: LazyLock<RwLock<HashMap<usize, Bytes>>> = LazyLock::new(Default::default);

fn body(n: usize) -> Bytes {
    if let Some(b) = BODIES.read().ok().and_then(|m| m.get(&n).cloned()) {
        return b;
    }
    let mut s = String::with_capacity(n);
    s.push_str("{\"d\":\"");
    s.extend(std::iter::repeat_n('x', n.saturating_sub(8)));
    s.push_str("\"}");
    let b = Bytes::from(s);
    if let Ok(mut m) = BODIES.write() {
        m.insert(n, b.clone());
    }
    b
}

#[get("/{bytes}")]
async fn vast(bytes: Path<usize>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body(bytes.into_inner().clamp(8, 8 << 20)))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut server = HttpServer::new(|| App::new().service(vast));
    if args.workers > 0 {
        server = server.workers(args.workers);
    }
    println!("plafond op http://127.0.0.1:{}", args.port);
    server.bind(("127.0.0.1", args.port))?.run().await
}
