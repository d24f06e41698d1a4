//! The load client of bench/last.sh: fixed numbers of connections, a fixed time per cell, every
//! connection its own client, person and claim, and for saves the ETag carried from response to
//! request. Prints requests per second, p50 and p99 per scenario and concurrency, and, when a
//! ceiling server runs, the same against it with a body of the endpoint's size (the ratio).
//!
//! Persons: seeded parents act through the sessions `seed-demo --ouders` gave them; their access
//! tokens are signed here with the server's own key (from the same configuration: development
//! default or `MH_TOKENS__…`), exactly what a login would hand out. The development IdP cannot
//! log in 256 different parents, and logging in is measured on its own (bench/login.sh).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use mijn_herstel::claims::levensloop::Status;
use mijn_herstel::config::Settings;
use mijn_herstel::demo::{ouder, populatie, sleutel};
use mijn_herstel::identity::persona::{PERSONAS, Soort};
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ALLE: &str = "health,openapi,get-claim,get-posts,save-answers,slots-week,lawyer-clients";

#[derive(Parser)]
struct Args {
    /// The API, as `http.public_url`.
    #[arg(long, default_value = "http://127.0.0.1:8080/v1")]
    url: String,
    #[arg(long, value_delimiter = ',', default_value = ALLE)]
    scenarios: Vec<String>,
    #[arg(long, value_delimiter = ',', default_value = "1,16,64,256")]
    clients: Vec<usize>,
    /// Seconds measured per cell (after one second of warm-up).
    #[arg(long, default_value_t = 10)]
    seconden: u64,
    /// The size of the seeded population (`seed-demo --ouders`).
    #[arg(long, default_value_t = 70_000)]
    ouders: u64,
    /// The ceiling server (`plafond`), e.g. http://127.0.0.1:8090; measured beside each cell.
    #[arg(long)]
    plafond: Option<String>,
    /// The server's process id: its resident memory is reported after each cell.
    #[arg(long)]
    pid: Option<u32>,
    /// The server's configuration file (its token keys); `MH_*` variables apply as for the server.
    #[arg(long, env = "MH_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Health,
    Openapi,
    GetClaim,
    GetPosts,
    SaveAnswers,
    SlotsWeek,
    LawyerClients,
    /// The ceiling with a body of this many bytes.
    Plafond(usize),
}

impl Scenario {
    fn parse(s: &str) -> Option<Scenario> {
        Some(match s {
            "health" => Scenario::Health,
            "openapi" => Scenario::Openapi,
            "get-claim" => Scenario::GetClaim,
            "get-posts" => Scenario::GetPosts,
            "save-answers" => Scenario::SaveAnswers,
            "slots-week" => Scenario::SlotsWeek,
            "lawyer-clients" => Scenario::LawyerClients,
            _ => return None,
        })
    }
}

/// One connection: its own HTTP client (so its own keep-alive connection), person and claim.
struct Verbinding {
    http: Client,
    token: String,
    aanvraag: String,
    etag: Option<String>,
}

#[derive(Default)]
struct Uitslag {
    latencies_us: Vec<u32>,
    fouten: u64,
    bytes: u64,
    eerste_fout: Option<String>,
}

struct Omgeving {
    args: Args,
    tokens: mijn_herstel::identity::tokens::TokenService,
    /// Parents with a session, by the status of their claim, spread over the population.
    concept: Vec<u64>,
    aanbod: Vec<u64>,
}

fn verspreid(ouders: u64, status: Status) -> Vec<u64> {
    let alle: Vec<u64> = (0..ouders)
        .filter(|i| ouder::heeft_sessie(*i) && ouder::status_van(*i) == Some(status))
        .collect();
    let stap = (alle.len() / 256).max(1);
    alle.into_iter().step_by(stap).take(256).collect()
}

impl Omgeving {
    fn verbinding(&self, scenario: Scenario, k: usize) -> Verbinding {
        let persona = |soort: Soort, rol: Option<&str>| {
            let p = PERSONAS
                .iter()
                .find(|p| p.soort == soort && rol.is_none_or(|r| p.rollen.contains(&r)))
                .expect("testpersoon");
            populatie::persona_token(&self.tokens, p)
        };
        let ouders = if scenario == Scenario::SaveAnswers || scenario == Scenario::SlotsWeek {
            &self.concept
        } else {
            &self.aanbod
        };
        let i = ouders[k % ouders.len().max(1)];
        let token = match scenario {
            Scenario::LawyerClients => persona(Soort::Advocaat, None),
            _ => populatie::toegangstoken(&self.tokens, i).unwrap_or_default(),
        };
        Verbinding {
            http: Client::builder()
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP-client"),
            token,
            aanvraag: sleutel::aanvraag(i).to_string(),
            etag: None,
        }
    }

    /// One request; the response body is read in full. Returns its size.
    async fn verzoek(&self, s: Scenario, v: &mut Verbinding) -> Result<usize, String> {
        let url = &self.args.url;
        let (method, pad) = match s {
            Scenario::Health => (Method::GET, format!("{url}/health")),
            Scenario::Openapi => (Method::GET, format!("{url}/openapi.json")),
            Scenario::GetClaim => (Method::GET, format!("{url}/aanvragen/{}", v.aanvraag)),
            Scenario::GetPosts => (
                Method::GET,
                format!("{url}/aanvragen/{}/schadeposten", v.aanvraag),
            ),
            Scenario::SaveAnswers => (
                Method::PUT,
                format!("{url}/aanvragen/{}/stappen/start", v.aanvraag),
            ),
            Scenario::SlotsWeek => {
                let van = chrono::Utc::now().date_naive() + chrono::Days::new(7);
                let tot = van + chrono::Days::new(6);
                (
                    Method::GET,
                    format!(
                        "{url}/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={van}&tot={tot}"
                    ),
                )
            }
            Scenario::LawyerClients => (Method::GET, format!("{url}/clienten?pageSize=20")),
            Scenario::Plafond(n) => (
                Method::GET,
                format!("{}/{n}", self.args.plafond.as_deref().unwrap_or_default()),
            ),
        };
        let mut req = v.http.request(method, pad).bearer_auth(&v.token);
        if s == Scenario::SaveAnswers {
            if v.etag.is_none() {
                let r = v
                    .http
                    .get(format!("{url}/aanvragen/{}", v.aanvraag))
                    .bearer_auth(&v.token)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                v.etag = etag(&r);
                r.bytes().await.map_err(|e| e.to_string())?;
            }
            req = req
                .header("If-Match", v.etag.clone().unwrap_or_default())
                .json(&json!({"antwoorden": {"start.erkend": true, "start.ib-definitief": true,
                    "start.eerder-afgewikkeld": "nee", "start.advocaat": false, "start.taal": "nl"}}));
        }
        let r = req.send().await.map_err(|e| e.to_string())?;
        let status = r.status();
        if s == Scenario::SaveAnswers {
            // The next save goes with this version; a stale one (412) is fetched again.
            v.etag = if status == StatusCode::OK {
                etag(&r)
            } else {
                None
            };
        }
        let body = r.bytes().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body.len())
        } else {
            Err(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            ))
        }
    }

    /// `n` connections for `seconden` seconds (after one second of warm-up).
    async fn cel(&'static self, s: Scenario, n: usize) -> (Uitslag, f64) {
        let begin = Instant::now() + Duration::from_secs(1);
        let einde = begin + Duration::from_secs(self.args.seconden);
        let taken: Vec<_> = (0..n)
            .map(|k| {
                let mut v = self.verbinding(s, k);
                tokio::spawn(async move {
                    let mut u = Uitslag::default();
                    loop {
                        let t0 = Instant::now();
                        if t0 >= einde {
                            break;
                        }
                        let r = self.verzoek(s, &mut v).await;
                        // Counted when it ends inside the window: a request slower than the
                        // warm-up still shows.
                        if Instant::now() < begin {
                            continue;
                        }
                        match r {
                            Ok(bytes) => {
                                let us = t0.elapsed().as_micros();
                                u.latencies_us.push(u32::try_from(us).unwrap_or(u32::MAX));
                                u.bytes += bytes as u64;
                            }
                            Err(e) => {
                                u.fouten += 1;
                                u.eerste_fout.get_or_insert(e);
                            }
                        }
                    }
                    u
                })
            })
            .collect();
        let mut totaal = Uitslag::default();
        for t in taken {
            if let Ok(u) = t.await {
                totaal.latencies_us.extend(u.latencies_us);
                totaal.fouten += u.fouten;
                totaal.bytes += u.bytes;
                totaal.eerste_fout = totaal.eerste_fout.or(u.eerste_fout);
            }
        }
        // Requests still running at the end count when they finish: the window is the real one.
        let duur = (Instant::now().max(einde) - begin).as_secs_f64();
        (totaal, duur)
    }
}

fn etag(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn percentiel(gesorteerd: &[u32], p: f64) -> f64 {
    if gesorteerd.is_empty() {
        return f64::NAN;
    }
    let k = ((gesorteerd.len() as f64 - 1.0) * p).round() as usize;
    f64::from(gesorteerd[k]) / 1000.0
}

fn rss_mib(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let veld = |naam: &str| -> Option<f64> {
        let regel = status.lines().find(|l| l.starts_with(naam))?;
        let kb: f64 = regel.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((veld("VmRSS:")?, veld("VmHWM:")?))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let settings = Settings::load(args.config.as_deref())?;
    let tokens = mijn_herstel::identity::tokens_from(&settings)?;
    let omgeving: &'static Omgeving = Box::leak(Box::new(Omgeving {
        concept: verspreid(args.ouders, Status::Concept),
        aanbod: verspreid(args.ouders, Status::AanbodGedaan),
        args,
        tokens,
    }));
    let a = &omgeving.args;
    println!(
        "{:<15} {:>7} {:>9} {:>8} {:>8} {:>6} {:>8} {:>10} {:>7} {:>9}",
        "scenario",
        "clients",
        "req/s",
        "p50 ms",
        "p99 ms",
        "fout",
        "bytes",
        "plafond/s",
        "ratio",
        "RSS MiB"
    );
    for naam in &a.scenarios {
        let Some(s) = Scenario::parse(naam) else {
            anyhow::bail!("onbekend scenario {naam}; kies uit {ALLE}");
        };
        for &n in &a.clients {
            let (mut u, duur) = omgeving.cel(s, n).await;
            u.latencies_us.sort_unstable();
            let ok = u.latencies_us.len();
            let per_s = ok as f64 / duur;
            let grootte = (u.bytes as usize).checked_div(ok).unwrap_or(0);
            let plafond = match &a.plafond {
                Some(_) if ok > 0 => {
                    let (p, d) = omgeving.cel(Scenario::Plafond(grootte), n).await;
                    Some(p.latencies_us.len() as f64 / d)
                }
                _ => None,
            };
            let rss = a.pid.and_then(rss_mib);
            println!(
                "{:<15} {:>7} {:>9.0} {:>8.2} {:>8.2} {:>6} {:>8} {:>10} {:>7} {:>9}",
                naam,
                n,
                per_s,
                percentiel(&u.latencies_us, 0.50),
                percentiel(&u.latencies_us, 0.99),
                u.fouten,
                grootte,
                plafond.map_or("-".into(), |p| format!("{p:.0}")),
                plafond.map_or("-".into(), |p| format!("{:.1}%", 100.0 * per_s / p)),
                rss.map_or("-".into(), |(nu, piek)| format!("{nu:.0}/{piek:.0}")),
            );
            if let Some(e) = u.eerste_fout {
                println!("  eerste fout: {e}");
            }
        }
    }
    Ok(())
}
