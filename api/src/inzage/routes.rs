//! The export over HTTP.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::service::{self, Inzage};
use crate::AppState;
use crate::http::ApiError;
use crate::http::principal::Principal;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(inzage);
}

/// Alles wat wij over u bewaren (inzage)
///
/// Uw recht op inzage (AVG artikel 15): één document met alles wat Mijn Herstel over u bewaart —
/// uw aanvragen met antwoorden en berekeningen, wat behandelaars vastlegden (ook hun notities),
/// opgehaalde gegevens met hun bron, toestemmingen, machtigingen, gesprekken, berichten, de
/// e-mail die wij stuurden en het logboek van wie wat met uw gegevens deed. Alleen voor uzelf,
/// niet voor een gemachtigde.
#[utoipa::path(
    tag = "Mijn gegevens",
    operation_id = "inzageOphalen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Het document (ook om te bewaren: `Content-Disposition: attachment`).", body = Inzage),
        (status = 403, description = "Alleen een ouder vraagt inzage, voor zichzelf."),
    )
)]
#[get("/mij/inzage")]
async fn inzage(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let document = service::inzage(&state, &principal).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"mijn-herstel-inzage.json\"",
        ))
        .json(document))
}
