//! Submission, withdrawal and the status timeline over HTTP: thin handlers over
//! [`super::indiening`].

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::indiening;
use super::levensloop_model::*;
use crate::AppState;
use crate::http::idempotency::{IdempotencyKey, IdempotencyKeyHeader};
use crate::http::principal::Principal;
use crate::http::{ApiError, Json};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(indienen).service(intrekken).service(tijdlijn);
}

/// Een aanvraag indienen
///
/// Alleen een complete aanvraag (elke stap opgeslagen, elke verplichte vraag beantwoord) met de
/// verklaring naar waarheid. Ontbreekt er iets, dan komt alles wat ontbreekt tegelijk terug
/// (400, met `pointer` naar `#/stappen/<stap>` of `#/antwoorden/<vraag>`). De berekening wordt
/// bevroren met haar invoer-hash en kaderversie; u krijgt een kenmerk en een bevestiging per
/// e-mail. Stuur een Idempotency-Key: een herhaald verzoek (slechte verbinding) dient niet
/// dubbel in; een tweede indiening met een andere sleutel krijgt 409.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanvraagIndienen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), IdempotencyKeyHeader),
    request_body = IndieningVerzoek,
    responses(
        (status = 201, description = "Ingediend.", body = Indiening),
        (status = 409, description = "Al ingediend, of een verzoek met deze sleutel loopt nog."),
        (status = 422, description = "Deze Idempotency-Key is gebruikt voor een ander verzoek.")
    )
)]
#[post("/aanvragen/{id}/indieningen")]
async fn indienen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    key: IdempotencyKey,
    body: Json<IndieningVerzoek>,
) -> Result<HttpResponse, ApiError> {
    indiening::dien_in(&state, &principal, *id, &key, body.fingerprint(), &body).await
}

/// Een aanvraag intrekken
///
/// Kan tot u akkoord gaat met een aanbod. Daarna gebeurt er niets meer met deze aanvraag en kunt
/// u een nieuwe beginnen.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanvraagIntrekken",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = IntrekkingVerzoek,
    responses(
        (status = 200, description = "Ingetrokken; de tijdlijn.", body = Tijdlijn),
        (status = 409, description = "De aanvraag kan niet (meer) worden ingetrokken.")
    )
)]
#[post("/aanvragen/{id}/intrekkingen")]
async fn intrekken(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<IntrekkingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    let na = indiening::trek_in(&state, &principal, *id, &body).await?;
    Ok(HttpResponse::Ok().json(na))
}

/// De tijdlijn van een aanvraag
///
/// Waar de aanvraag staat: wat dat betekent, wat er nu gebeurt, wie aan zet is en hoe lang dat
/// meestal duurt; en elke eerdere stap (wanneer, door wie, waarom).
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "tijdlijnOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses((status = 200, description = "De tijdlijn.", body = Tijdlijn))
)]
#[get("/aanvragen/{id}/tijdlijn")]
async fn tijdlijn(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(indiening::tijdlijn(&state, &principal, *id).await?))
}
