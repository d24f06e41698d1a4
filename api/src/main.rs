//! `mijn-herstel`: the server and its operator commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mijn_herstel::config::Settings;
use mijn_herstel::{Application, db, openapi, telemetry, wizard};

/// mimalloc instead of glibc malloc: the questionnaire engine and the JSON work allocate many
/// small strings; a full recalculation ran 1.65x faster (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "mijn-herstel",
    version,
    about = "Mijn Herstel API: route B van de hersteloperatie toeslagen"
)]
struct Cli {
    /// Configuratiebestand (TOML); MH_*-omgevingsvariabelen gaan erboven.
    #[arg(long, global = true, env = "MH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start de server (standaard).
    Serve,
    /// Pas openstaande databasemigraties toe en stop.
    Migrate,
    /// Druk het OpenAPI-document af (of schrijf het naar --output).
    Openapi {
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Controleer de configuratie en stop.
    CheckConfig,
    /// Maak de testpersonen en hun demodata aan (wat er al is blijft staan).
    SeedDemo {
        /// Voeg ook een populatie van zoveel ouders toe (voor benchmarks; zie bench/README.md).
        #[arg(long)]
        ouders: Option<u64>,
        /// Ouders per transactie bij --ouders.
        #[arg(long, default_value_t = mijn_herstel::demo::populatie::STANDAARD_PER_TRANSACTIE)]
        per_transactie: u64,
    },
    /// Vragenlijst en schadekader: controleer de inhoud.
    Content {
        #[command(subcommand)]
        action: ContentCommand,
    },
    /// Vraag /v1/health op bij de server op deze machine (voor de HEALTHCHECK van de container).
    Healthcheck,
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Controleer de inhoud (standaard: de meegeleverde); meldt elk probleem met bestand, regel en pad.
    Check {
        /// Map met een submap per versie (vragenlijst.yaml en schadekader.yaml).
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fout: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi { output } = &command {
        let text = openapi::document_text();
        match output {
            Some(path) => std::fs::write(path, text)?,
            None => print!("{text}"),
        }
        return Ok(());
    }
    if let Command::Content {
        action: ContentCommand::Check { dir },
    } = &command
    {
        let result = match dir {
            Some(dir) => wizard::Catalogus::from_dir(dir),
            None => wizard::Catalogus::shipped(),
        };
        return match result {
            Ok(catalogus) => {
                let versies: Vec<&str> = catalogus.versies().collect();
                println!("inhoud in orde: versie(s) {}", versies.join(", "));
                Ok(())
            }
            Err(found) => {
                for bevinding in &found {
                    eprintln!("{bevinding}");
                }
                anyhow::bail!("{} probleem/problemen in de inhoud", found.len())
            }
        };
    }
    let settings = Settings::load(cli.config.as_deref())?;
    if let Command::Healthcheck = command {
        return healthcheck(settings.http.port);
    }
    telemetry::init(&settings.log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match command {
            Command::CheckConfig => {
                println!("configuratie in orde");
                println!("mode = {:?}", settings.mode);
                println!("http = {}:{}", settings.http.host, settings.http.port);
                println!("database.url = {}", db::redact_url(&settings.database.url));
                println!(
                    "database.migrate_on_start = {}",
                    settings.database.migrate_on_start
                );
                println!("demo.seed_on_empty = {}", settings.demo.seed_on_empty);
                Ok(())
            }
            Command::SeedDemo {
                ouders,
                per_transactie,
            } => {
                anyhow::ensure!(
                    settings.mode == mijn_herstel::config::Mode::Development,
                    "seed-demo maakt testpersonen aan en werkt alleen in ontwikkelmodus"
                );
                let conn = db::connect(&settings).await?;
                db::migrate(&conn).await?;
                let vault = mijn_herstel::identity::vault_from(&settings)?;
                let report = mijn_herstel::demo::seed(&conn, &vault).await?;
                println!("demodata: {} testperso(o)n(en) aangemaakt", report.personen);
                if let Some(ouders) = ouders {
                    seed_populatie(conn, settings, vault, ouders, per_transactie).await?;
                }
                Ok(())
            }
            Command::Migrate => {
                let conn = db::connect(&settings).await?;
                let pending = db::pending_migrations(&conn).await?;
                db::migrate(&conn).await?;
                println!("{} migratie(s) toegepast", pending.len());
                Ok(())
            }
            Command::Serve => {
                let app = Application::build(settings.clone()).await?;
                tracing::info!(
                    url = %format!("http://{}:{}/v1", settings.http.host, app.port()),
                    docs = %format!("http://{}:{}/v1/docs", settings.http.host, app.port()),
                    "Mijn Herstel API gestart"
                );
                app.run_until_stopped().await?;
                Ok(())
            }
            Command::Openapi { .. } | Command::Healthcheck | Command::Content { .. } => {
                unreachable!("handled above")
            }
        }
    })
}

/// `seed-demo --ouders N`: the population on the content in force (as the server loads it).
async fn seed_populatie(
    conn: sea_orm::DatabaseConnection,
    settings: Settings,
    vault: mijn_herstel::identity::vault::BsnVault,
    ouders: u64,
    per_transactie: u64,
) -> anyhow::Result<()> {
    use mijn_herstel::demo::populatie;
    let catalogus = if settings.content.dir.is_empty() {
        wizard::Catalogus::shipped()
    } else {
        wizard::Catalogus::from_dir(std::path::Path::new(&settings.content.dir))
    }
    .map_err(|found| anyhow::anyhow!("{} probleem/problemen in de inhoud", found.len()))?;
    let bronnen = populatie::Bronnen {
        vault: std::sync::Arc::new(vault),
        inhoud: catalogus.actueel().clone(),
        settings: std::sync::Arc::new(settings),
    };
    let opties = populatie::Opties {
        ouders,
        per_transactie,
    };
    let r = populatie::seed(&conn, bronnen, &opties).await?;
    let seconden = r.duur.as_secs_f64();
    println!(
        "populatie: {} ouder(s) nieuw, {} waren er al; {} rijen in {seconden:.1} s ({:.0} rijen/s)",
        r.nieuw,
        r.aanwezig,
        r.totaal_rijen(),
        r.totaal_rijen() as f64 / seconden.max(0.001)
    );
    println!(
        "  rijen maken: {:.1} s (naast het schrijven)",
        r.maken.as_secs_f64()
    );
    for (tabel, (n, tijd)) in &r.rijen {
        println!("  {tabel:<20} {n:>9} rijen {:>7.1} s", tijd.as_secs_f64());
    }
    Ok(())
}

/// A plain HTTP/1.1 GET over loopback, so the runtime image needs no curl.
fn healthcheck(port: u16) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    use std::time::Duration;
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(3))?;
    stream.set_read_timeout(Some(Duration::from_secs(3)))?;
    stream.write_all(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response.lines().next().unwrap_or_default();
    anyhow::ensure!(status.contains(" 200 "), "onverwacht antwoord: {status}");
    println!("gezond");
    Ok(())
}
