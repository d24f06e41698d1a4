//! Prints an access token as bench/last signs them (the server's own key from the same
//! configuration, `MH_*` variables included): `bench_token ouder <i>` for seeded parent `i`'s
//! session, `bench_token persona <id>` for a test person. For bench/floors/vang.sh, which
//! captures the statements of one request per endpoint with curl.

use mijn_herstel::config::Settings;
use mijn_herstel::demo::populatie;
use mijn_herstel::identity::persona::PERSONAS;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = Settings::load(None).expect("configuratie");
    let tokens = mijn_herstel::identity::tokens_from(&settings).expect("sleutels");
    let token = match (args.first().map(String::as_str), args.get(1)) {
        (Some("ouder"), Some(i)) => populatie::toegangstoken(&tokens, i.parse().expect("index")),
        (Some("persona"), Some(id)) => PERSONAS
            .iter()
            .find(|p| p.id == id.as_str())
            .map(|p| populatie::persona_token(&tokens, p)),
        _ => None,
    };
    match token {
        Some(t) => println!("{t}"),
        None => {
            eprintln!("gebruik: bench_token ouder <i> | persona <id> (ouder: met sessie)");
            std::process::exit(2);
        }
    }
}
