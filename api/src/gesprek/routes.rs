//! Conversations over HTTP: thin handlers over [`super::service`].

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::{boeking, rooster, service, wijziging};
use crate::AppState;
use crate::http::etag::{IfMatch, IfMatchHeader, etag_header};
use crate::http::idempotency::{IdempotencyKey, IdempotencyKeyHeader};
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Json, Query};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(typen)
        .service(rooster_lezen)
        .service(rooster_zetten)
        .service(rooster_van_lezen)
        .service(rooster_van_zetten)
        .service(tijden)
        .service(boeken)
        .service(lijst)
        .service(annuleren)
        .service(verplaatsen)
        .service(afronden)
        .service(toewijzen);
}

/// Soorten gesprek
///
/// Met hun duur en hoe ver vooraf u boekt of afzegt. Openbaar.
#[utoipa::path(tag = "Gesprekken", operation_id = "gesprekstypenOphalen", responses((status = 200, description = "De soorten.", body = Gesprekstypen)))]
#[get("/gesprekstypen")]
async fn typen(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(service::typen(&state))
}

/// Mijn rooster (gespreksleider)
///
/// Uw vastgelegde weekblokken, afwijkende dagen, afwezigheid, vormen en talen. Stuur de ETag terug
/// in `If-Match` als u het rooster wijzigt.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "roosterOphalen",
    security(("bearer" = [])),
    responses((status = 200, description = "Het rooster.", body = Rooster, headers(("ETag" = String, description = "De versie; gebruik haar in If-Match."))), (status = 403, description = "Alleen voor gespreksleiders en beheerders."), (status = 404, description = "Er is nog geen rooster vastgelegd, of u bent geen gespreksleider."))
)]
#[get("/gespreksleiders/mij/rooster")]
async fn rooster_lezen(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let (rooster, versie) = rooster::rooster(&state, &principal, principal.persoon_id).await?;
    let rooster = rooster.ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(rooster))
}

/// Mijn rooster vastleggen (gespreksleider)
///
/// Weekblokken in Nederlandse tijd (09:00 blijft 09:00, ook na de overgang naar zomer- of
/// wintertijd), dagen met andere tijden, afwezigheid, vormen en talen. De eerste keer met
/// `If-Match: *`.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "roosterVastleggen",
    security(("bearer" = [])),
    params(IfMatchHeader),
    request_body = Rooster,
    responses((status = 200, description = "Vastgelegd.", body = Rooster, headers(("ETag" = String, description = "De nieuwe versie."))), (status = 403, description = "Alleen voor gespreksleiders en beheerders."), (status = 404, description = "U bent geen gespreksleider."), (status = 412, description = "Het rooster is intussen gewijzigd: haal de nieuwste versie op."), (status = 428, description = "If-Match ontbreekt (de eerste keer: `If-Match: *`)."))
)]
#[put("/gespreksleiders/mij/rooster")]
async fn rooster_zetten(
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    body: Json<Rooster>,
) -> Result<HttpResponse, ApiError> {
    let versie =
        rooster::zet_rooster(&state, &principal, principal.persoon_id, &if_match, &body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(body.into_inner()))
}

/// Het rooster van een gespreksleider (beheerder)
///
/// Een beheerder ziet en houdt het rooster bij van iedere gespreksleider, bijvoorbeeld bij ziekte;
/// een gespreksleider alleen het eigen rooster.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "roosterVanOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de gespreksleider.")),
    responses((status = 200, description = "Het rooster.", body = Rooster, headers(("ETag" = String, description = "De versie; gebruik haar in If-Match."))), (status = 403, description = "Alleen voor gespreksleiders en beheerders."), (status = 404, description = "Deze gespreksleider bestaat niet, heeft nog geen rooster, of is niet de uwe."))
)]
#[get("/gespreksleiders/{id}/rooster")]
async fn rooster_van_lezen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (rooster, versie) = rooster::rooster(&state, &principal, *id).await?;
    let rooster = rooster.ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(rooster))
}

/// Het rooster van een gespreksleider vastleggen (beheerder)
///
/// Als bij het eigen rooster; de eerste keer met `If-Match: *`. Bestaande afspraken blijven staan.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "roosterVanVastleggen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de gespreksleider."), IfMatchHeader),
    request_body = Rooster,
    responses((status = 200, description = "Vastgelegd.", body = Rooster, headers(("ETag" = String, description = "De nieuwe versie."))), (status = 403, description = "Alleen voor gespreksleiders en beheerders."), (status = 404, description = "Deze gespreksleider bestaat niet of is niet de uwe."), (status = 412, description = "Het rooster is intussen gewijzigd: haal de nieuwste versie op."), (status = 428, description = "If-Match ontbreekt (de eerste keer: `If-Match: *`)."))
)]
#[put("/gespreksleiders/{id}/rooster")]
async fn rooster_van_zetten(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<Rooster>,
) -> Result<HttpResponse, ApiError> {
    let versie = rooster::zet_rooster(&state, &principal, *id, &if_match, &body).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(body.into_inner()))
}

/// Vrije tijden
///
/// Van alle gespreksleiders die deze vorm aanbieden, voor hoogstens 31 dagen. Tijden in UTC,
/// met de Nederlandse tijd erbij.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "tijdslotenOphalen",
    security(("bearer" = [])),
    params(TijdenVraag),
    responses((status = 200, description = "De vrije tijden.", body = Tijdsloten))
)]
#[get("/tijdsloten")]
async fn tijden(
    state: web::Data<AppState>,
    principal: Principal,
    vraag: Query<TijdenVraag>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::vrije_tijden(&state, &principal, &vraag).await?))
}

/// Een gesprek boeken
///
/// Een vrij tijdstip (zie `GET /tijdsloten`), met uw voorkeuren. Stuur een Idempotency-Key. Twee
/// boekingen op één tijdstip kan niet: de tweede krijgt 409.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "gesprekBoeken",
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    request_body = Boeking,
    responses(
        (status = 201, description = "Geboekt.", body = Gesprek),
        (status = 409, description = "Net door iemand anders geboekt, of u heeft al een gesprek gepland."),
        (status = 422, description = "Deze Idempotency-Key is gebruikt voor een ander verzoek."),
        (status = 403, description = "Alleen een ouder of diens gemachtigde boekt een gesprek.")
    )
)]
#[post("/gesprekken")]
async fn boeken(
    state: web::Data<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    body: Json<Boeking>,
) -> Result<HttpResponse, ApiError> {
    boeking::boek(&state, &principal, &key, body.fingerprint(), &body).await
}

/// Mijn gesprekken
///
/// Voor een ouder de eigen gesprekken; voor een gespreksleider de agenda, met de voorkeuren van
/// de ouders.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "gesprekkenOphalen",
    security(("bearer" = [])),
    params(Paginering, GesprekkenFilter),
    responses((status = 200, description = "De gesprekken, op begintijd.", body = Gesprekken, headers(("Link" = String, description = "RFC 8288."))))
)]
#[get("/gesprekken")]
async fn lijst(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
    filter: Query<GesprekkenFilter>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, totaal) = service::lijst(
        &state,
        &principal,
        filter.vanaf,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, totaal);
    Ok(HttpResponse::Ok().insert_header(link).json(Gesprekken {
        resultaten,
        paginering: info,
    }))
}

/// Een gesprek afzeggen
///
/// Een ouder kan afzeggen tot de ingestelde tijd voor het gesprek (anders 400 met de regel); de
/// gespreksleider altijd. De tijd komt meteen weer vrij.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "gesprekAnnuleren",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het gesprek.")),
    request_body = Annulering,
    responses((status = 200, description = "Afgezegd.", body = Gesprek), (status = 409, description = "Al afgezegd."))
)]
#[post("/gesprekken/{id}/annuleringen")]
async fn annuleren(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<Annulering>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(wijziging::annuleer(&state, &principal, *id, &body.reden).await?))
}

/// Een gesprek verzetten
///
/// Naar een ander vrij tijdstip van dezelfde gespreksleider, met dezelfde regel als afzeggen. De
/// agenda-uitnodiging wordt bijgewerkt (zelfde UID, hoger volgnummer).
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "gesprekVerplaatsen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het gesprek.")),
    request_body = Verplaatsing,
    responses((status = 200, description = "Verzet.", body = Gesprek), (status = 409, description = "Het nieuwe tijdstip is net geboekt, of het gesprek is voorbij."))
)]
#[post("/gesprekken/{id}/verplaatsingen")]
async fn verplaatsen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<Verplaatsing>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(wijziging::verplaats(&state, &principal, *id, &body).await?))
}

/// Een gesprek afronden (gespreksleider)
///
/// Na het begin: gehouden, of wie er niet kwam, en eventueel wat er is afgesproken (de ouder ziet
/// het). Nooit de inhoud van het gesprek.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "gesprekAfronden",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het gesprek.")),
    request_body = Afronding,
    responses((status = 200, description = "Afgerond.", body = Gesprek), (status = 409, description = "Nog niet begonnen, of al afgerond."))
)]
#[post("/gesprekken/{id}/afrondingen")]
async fn afronden(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<Afronding>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(wijziging::rond_af(&state, &principal, *id, &body).await?))
}

/// Een gesprek aan een andere gespreksleider geven
///
/// Door de gespreksleider zelf of een beheerder, op hetzelfde tijdstip, aan iemand die dan vrij is
/// en deze vorm aanbiedt. De ouder en de nieuwe gespreksleider krijgen de bijgewerkte uitnodiging,
/// de vorige een afzegging.
#[utoipa::path(
    tag = "Gesprekken",
    operation_id = "gesprekToewijzen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het gesprek.")),
    request_body = Toewijzing,
    responses((status = 200, description = "Toegewezen.", body = Gesprek), (status = 409, description = "Dat tijdstip is bij de nieuwe gespreksleider net geboekt, of het gesprek is voorbij."))
)]
#[post("/gesprekken/{id}/toewijzingen")]
async fn toewijzen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<Toewijzing>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(wijziging::wijs_toe(&state, &principal, *id, &body).await?))
}
