use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{Gereedheid, Gezondheid};
use crate::AppState;
use crate::db;
use crate::http::{ApiError, ProblemType};
use crate::openapi::API_VERSION;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health).service(ready);
}

/// Draait de dienst?
///
/// Liveness: antwoordt zonder de database te raadplegen, zodat een trage database niet tot
/// herstarts leidt.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "gezondheid",
    responses((status = 200, description = "De dienst draait.", body = Gezondheid))
)]
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Gezondheid {
        status: "ok",
        versie: API_VERSION,
    })
}

/// Kan de dienst verzoeken verwerken?
///
/// Readiness: de database is bereikbaar en alle migraties zijn toegepast. Zo niet, dan 503 met
/// wat er ontbreekt.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "gereedheid",
    responses(
        (status = 200, description = "De dienst is gereed.", body = Gereedheid),
        (status = 503, description = "De database is niet bereikbaar of de migraties zijn niet actueel.")
    )
)]
#[get("/ready")]
async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let unavailable = |detail: String| {
        ApiError::new(ProblemType::TijdelijkNietBeschikbaar, detail).with_header(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("5"),
        )
    };
    if let Err(err) = db::ping(&state.db).await {
        tracing::warn!(error = %err, "database niet bereikbaar");
        return Err(unavailable("De database is niet bereikbaar.".into()));
    }
    let pending = db::pending_migrations(&state.db).await.map_err(|err| {
        tracing::warn!(error = %err, "migratiestatus onbekend");
        unavailable("De migratiestatus kon niet worden gelezen.".into())
    })?;
    if !pending.is_empty() {
        return Err(unavailable(format!(
            "{} migratie(s) nog niet toegepast; draai `mijn-herstel migrate`.",
            pending.len()
        )));
    }
    Ok(HttpResponse::Ok().json(Gereedheid {
        status: "ok",
        database: "bereikbaar",
        migraties: "actueel",
    }))
}
