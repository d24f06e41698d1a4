//! The server as a value (zero2prod style): `main` and the tests build the same [`Application`].

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::config::Mode;
use crate::config::Settings;
use crate::db;
use crate::http::contract::Contract;
use crate::http::rate_limit::{Limits, RateLimiter};
use crate::http::{
    ApiError, FieldError, fallback::fallback, finalize::Finalize, trace::MhRootSpan,
};
use crate::identity::provider::Providers;
use crate::identity::tokens::TokenService;
use crate::identity::{self, dev_idp::DevIdp, vault::BsnVault};
use crate::notify::{Notificaties, mailer, worker::Bezorger};
use crate::openapi::{self, BASE_PATH};
use crate::wizard::Catalogus;

/// Everything a handler may need, shared by all workers.
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub contract: Arc<Contract>,
    pub vault: Arc<BsnVault>,
    pub tokens: Arc<TokenService>,
    pub providers: Arc<Providers>,
    pub limits: Arc<Limits>,
    pub inhoud: Arc<Catalogus>,
    pub notify: Arc<Notificaties>,
    pub bewijs: Arc<crate::bewijs::Bewijsopslag>,
    pub bronnen: Arc<crate::gegevens::Bronnen>,
}

/// Extra documented routes mounted under `/v1` next to the product's own. The product passes
/// none; the black-box tests mount a small fixture resource to exercise the shared HTTP helpers
/// (ETag, Idempotency-Key, pagination) over real HTTP before any capability uses them.
pub type ExtraRoutes = Arc<dyn Fn(&mut ServiceConfig) + Send + Sync>;

pub struct Application {
    port: u16,
    server: Server,
    bezorger: Option<Bezorger>,
}

impl Application {
    /// Connects, migrates when configured, and binds; the server starts with [`Self::run_until_stopped`].
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        Self::build_with_routes(settings, None).await
    }

    /// [`Self::build`] with extra routes (see [`ExtraRoutes`]).
    pub async fn build_with_routes(
        settings: Settings,
        extra: Option<ExtraRoutes>,
    ) -> anyhow::Result<Application> {
        Self::build_on(settings, None, extra).await
    }

    /// [`Self::build_with_routes`] on a listener bound beforehand, so that the settings
    /// (`public_url`, token issuer, provider callbacks) can name its real port.
    pub async fn build_on(
        settings: Settings,
        listener: Option<TcpListener>,
        extra: Option<ExtraRoutes>,
    ) -> anyhow::Result<Application> {
        let db = db::connect(&settings).await?;
        if settings.database.migrate_on_start {
            db::migrate(&db).await?;
        } else {
            let pending = db::pending_migrations(&db).await?;
            if !pending.is_empty() {
                tracing::warn!(
                    count = pending.len(),
                    "migraties niet toegepast; /v1/ready meldt 503 tot `mijn-herstel migrate` draait"
                );
            }
        }
        if settings.demo.seed_on_empty {
            let vault = identity::vault_from(&settings)?;
            if let Some(report) = crate::demo::seed_if_empty(&db, &vault).await? {
                tracing::info!(
                    personen = report.personen,
                    "lege database: demodata aangemaakt"
                );
            }
        }
        Self::build_with(settings, db, listener, extra)
    }

    pub fn build_with(
        settings: Settings,
        db: DatabaseConnection,
        listener: Option<TcpListener>,
        extra: Option<ExtraRoutes>,
    ) -> anyhow::Result<Application> {
        let settings = Arc::new(settings);
        let contract = Arc::new(Contract::build_with(extra.clone()));
        let vault = Arc::new(identity::vault_from(&settings)?);
        let tokens = Arc::new(identity::tokens_from(&settings)?);
        let providers = Arc::new(Providers::from_settings(&settings)?);
        let inhoud = Arc::new(load_content(&settings)?);
        let notify = Arc::new(Notificaties::new(&settings.notify)?);
        let bewijs = Arc::new(crate::bewijs::Bewijsopslag::new(&settings.bewijs)?);
        let bronnen = Arc::new(crate::gegevens::Bronnen::from_settings(&settings)?);
        let bezorger = if settings.notify.worker {
            let mailer = mailer::mailer_from(&settings.notify)?;
            Some(Bezorger::start(db.clone(), Arc::clone(&notify), mailer))
        } else {
            None
        };
        let state = web::Data::new(AppState {
            db: db.clone(),
            settings: Arc::clone(&settings),
            contract,
            vault,
            tokens,
            providers,
            inhoud,
            notify,
            bewijs,
            bronnen,
            limits: Arc::new(Limits {
                login: RateLimiter::per_minute(settings.limits.login_per_minute),
                token: RateLimiter::per_minute(settings.limits.token_per_minute),
                subject: RateLimiter::per_minute(settings.limits.subject_per_minute),
                gevoelig: RateLimiter::per_minute(settings.limits.gevoelig_per_minute),
            }),
        });
        // Development only; `Settings::validate` already refuses `login.dev_idp` in production.
        let dev_idp = (settings.mode == Mode::Development && settings.login.dev_idp)
            .then(|| web::Data::new(DevIdp::new(&settings)));
        // Likewise the simulated data sources (`gegevens.simulator` is refused in production).
        let simulator =
            (settings.mode == Mode::Development && settings.gegevens.simulator).then(|| {
                web::Data::new(crate::gegevens::simulator::Simulator::new(
                    &settings.gegevens,
                ))
            });
        let listener = match listener {
            Some(listener) => listener,
            None => TcpListener::bind((settings.http.host.as_str(), settings.http.port)).map_err(
                |e| {
                    anyhow::anyhow!(
                        "kan niet luisteren op {}:{}: {e}",
                        settings.http.host,
                        settings.http.port
                    )
                },
            )?,
        };
        let port = listener.local_addr()?.port();
        let workers = match settings.http.workers {
            0 => std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(2),
            n => n,
        };
        let app_settings = Arc::clone(&settings);
        let bewaren = state.clone();
        let server = HttpServer::new(move || {
            build_app(
                state.clone(),
                Arc::clone(&app_settings),
                extra.clone(),
                dev_idp.clone(),
                simulator.clone(),
            )
        })
        .workers(workers)
        .shutdown_timeout(settings.http.shutdown_timeout_secs)
        .listen(listener)?
        .run();
        spawn_housekeeping(db);
        spawn_retention(bewaren);
        Ok(Application {
            port,
            server,
            bezorger,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests; signals do this in production).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Runs until stopped; on SIGINT/SIGTERM running requests get `shutdown_timeout_secs`, then
    /// the mail worker finishes what it is sending and gives back what it holds.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Some(bezorger) = self.bezorger {
            bezorger.stop(Duration::from_secs(30)).await;
        }
        result
    }
}

fn build_app(
    state: web::Data<AppState>,
    settings: Arc<Settings>,
    extra: Option<ExtraRoutes>,
    dev_idp: Option<web::Data<DevIdp>>,
    simulator: Option<web::Data<crate::gegevens::simulator::Simulator>>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    // The undocumented routes go first: the `/v1` scope below answers everything under its prefix.
    let (app, _) = App::new()
        .service(
            web::resource(format!("{BASE_PATH}/openapi.json")).route(web::get().to(openapi_json)),
        )
        .service(web::resource(format!("{BASE_PATH}/docs")).route(web::get().to(docs_redirect)))
        .configure(|cfg| {
            if let Some(idp) = &dev_idp {
                cfg.app_data(idp.clone());
                identity::dev_idp::configure(cfg);
            }
            if let Some(sim) = &simulator {
                cfg.app_data(sim.clone());
                crate::gegevens::simulator::configure(cfg);
            }
        })
        .service(
            SwaggerUi::new(format!("{BASE_PATH}/docs/{{_:.*}}"))
                // Swagger UI otherwise sends the whole document to validator.swagger.io on every
                // page load: a third party learning our contract, and a broken badge offline.
                .config(
                    SwaggerConfig::new([format!("{BASE_PATH}/openapi.json")]).validator_url("none"),
                ),
        )
        .into_utoipa_app()
        .service(utoipa_actix_web::scope(BASE_PATH).configure(|cfg| {
            openapi::routes(cfg);
            if let Some(extra) = &extra {
                extra(cfg);
            }
        }))
        .split_for_parts();
    app.app_data(state)
        .app_data(web::PathConfig::default().error_handler(|err, _| {
            tracing::debug!(error = %err, "ongeldige padparameter");
            ApiError::invalid(vec![FieldError::parameter(
                "pad",
                "format",
                "Een deel van het adres heeft niet de juiste vorm.",
            )])
            .into()
        }))
        .default_service(web::to(fallback))
        .wrap(crate::http::cors(&settings.http.cors_origins))
        .wrap(Finalize)
        .wrap(TracingLogger::<MhRootSpan>::new())
}

/// The content in force; every problem is named when it is invalid.
fn load_content(settings: &Settings) -> anyhow::Result<Catalogus> {
    let result = if settings.content.dir.is_empty() {
        Catalogus::shipped()
    } else {
        Catalogus::from_dir(std::path::Path::new(&settings.content.dir))
    };
    result.map_err(|found| {
        let lines: Vec<String> = found.iter().map(|b| format!("  - {b}")).collect();
        anyhow::anyhow!(
            "de inhoud (content.dir) is ongeldig; controleer met `mijn-herstel content check`:\n{}",
            lines.join("\n")
        )
    })
}

/// The document is public and open to every origin (ADR /core/publish-openapi).
async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(state.contract.text().to_string())
}

/// The viewer's assets are relative to `/v1/docs/`.
async fn docs_redirect(_: HttpRequest) -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, format!("{BASE_PATH}/docs/")))
        .finish()
}

/// Applies the retention terms on their interval (the first round after one interval, so a
/// starting server does its work first).
fn spawn_retention(state: web::Data<AppState>) {
    let minuten = state.settings.bewaren.interval_minuten;
    if minuten == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(minuten * 60));
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(err) = crate::bewaren::taak::ronde(&state).await {
                tracing::warn!(error = %err, "bewaarronde mislukt; volgende keer opnieuw");
            }
        }
    });
}

/// Removes expired Idempotency-Key records once an hour.
fn spawn_housekeeping(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match crate::http::idempotency::purge_expired(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "verlopen idempotency-sleutels opgeruimd"),
                Err(err) => tracing::warn!(error = %err, "opruimen idempotency-sleutels mislukt"),
            }
        }
    });
}
