//! Mandates over HTTP: thin handlers over [`super::service`] and [`super::inzage`].

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::store::MachtigingRij;
use super::{inzage, rechter, service, wijziging};
use crate::AppState;
use crate::http::etag::{IfMatch, IfMatchHeader, etag_header};
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Json, Query};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(uitnodigen)
        .service(aanvragen)
        .service(lijst)
        .service(een)
        .service(aanvaarden)
        .service(weigeren)
        .service(bevoegdheden)
        .service(intrekken)
        .service(beeindigen)
        .service(vertegenwoordigen)
        .service(handelingen)
        .service(clienten)
        .service(kantoor)
        .service(vertegenwoordiger_vastleggen)
        .service(vertegenwoordiger_beeindigen);
}

async fn antwoord(
    state: &AppState,
    principal: &Principal,
    rij: &MachtigingRij,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, ApiError> {
    let body = inzage::toon(state, principal, rij).await?;
    Ok(HttpResponse::build(status)
        .insert_header(etag_header(rij.versie))
        .json(body))
}

/// Een advocaat uitnodigen
///
/// De ouder nodigt een advocaat uit die al een account heeft (gevonden op registratienummer), met
/// bevoegdheden (standaard: inzien, antwoorden invullen, bewijs toevoegen) en een verplichte
/// einddatum. De advocaat moet aanvaarden.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "advocaatUitnodigen",
    security(("bearer" = [])),
    request_body = Uitnodiging,
    responses(
        (status = 201, description = "Uitgenodigd.", body = Machtiging, headers(("ETag" = String, description = "De versie."))),
        (status = 409, description = "Met deze advocaat is al een machtiging of uitnodiging."),
        (status = 403, description = "Alleen een ouder nodigt een advocaat uit.")
    )
)]
#[post("/machtigingen")]
async fn uitnodigen(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<Uitnodiging>,
) -> Result<HttpResponse, ApiError> {
    let rij = service::nodig_uit(&state, &principal, &body).await?;
    antwoord(
        &state,
        &principal,
        &rij,
        actix_web::http::StatusCode::CREATED,
    )
    .await
}

/// Een ouder om een machtiging vragen (advocaat)
///
/// Met het BSN van de cliënt in de body (nooit in een URL). Het antwoord is altijd hetzelfde:
/// u hoort pas iets over de ouder als die heeft aanvaard.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingAanvragen",
    security(("bearer" = [])),
    request_body = Machtigingsverzoek,
    responses((status = 202, description = "Ontvangen.", body = VerzoekOntvangen), (status = 403, description = "Alleen een advocaat vraagt om een machtiging."))
)]
#[post("/machtigingsverzoeken")]
async fn aanvragen(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<Machtigingsverzoek>,
) -> Result<HttpResponse, ApiError> {
    service::vraag_aan(&state, &principal, &body).await?;
    Ok(HttpResponse::Accepted().json(VerzoekOntvangen {
        melding: service::VERZOEK_ONTVANGEN.into(),
    }))
}

/// Mijn machtigingen
///
/// Als ouder: wie u machtigde of wilde machtigen. Als advocaat: uw machtigingen en uitnodigingen.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingenOphalen",
    security(("bearer" = [])),
    params(Paginering),
    responses((status = 200, description = "De machtigingen.", body = Machtigingen, headers(("Link" = String, description = "RFC 8288."))))
)]
#[get("/machtigingen")]
async fn lijst(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, totaal) = inzage::lijst(
        &state,
        &principal,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, totaal);
    Ok(HttpResponse::Ok().insert_header(link).json(Machtigingen {
        resultaten,
        paginering: info,
    }))
}

/// Een machtiging
///
/// Voor de ouder en de gemachtigde: wie, welke bevoegdheden, hoe lang en de status. Stuur de ETag
/// terug in `If-Match` als u de bevoegdheden wijzigt.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging.")),
    responses((status = 200, description = "De machtiging.", body = Machtiging, headers(("ETag" = String, description = "De versie; gebruik haar in If-Match."))))
)]
#[get("/machtigingen/{id}")]
async fn een(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rij = inzage::lees(&state, &principal, *id).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}

/// Een machtiging aanvaarden
///
/// Door de partij die niet begon: de advocaat bij een uitnodiging, de ouder bij een verzoek. De
/// ouder kiest daarbij eventueel de bevoegdheden en de einddatum.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingAanvaarden",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging.")),
    request_body = Aanvaarding,
    responses((status = 200, description = "Actief.", body = Machtiging), (status = 409, description = "Wacht niet op uw aanvaarding."))
)]
#[post("/machtigingen/{id}/aanvaardingen")]
async fn aanvaarden(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<Aanvaarding>,
) -> Result<HttpResponse, ApiError> {
    let rij = wijziging::aanvaard(&state, &principal, *id, &body).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}

/// Een machtiging weigeren
///
/// Door de partij die niet begon: de advocaat weigert een uitnodiging, de ouder een verzoek. Kan
/// alleen zolang de machtiging op uw antwoord wacht.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingWeigeren",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging.")),
    responses((status = 200, description = "Geweigerd.", body = Machtiging), (status = 409, description = "Wacht niet op uw antwoord."))
)]
#[post("/machtigingen/{id}/weigeringen")]
async fn weigeren(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rij = wijziging::weiger(&state, &principal, *id).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}

/// De bevoegdheden wijzigen (ouder)
///
/// Werkt meteen, ook voor tokens die de advocaat al heeft.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "bevoegdhedenWijzigen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging."), IfMatchHeader),
    request_body = NieuweBevoegdheden,
    responses((status = 200, description = "Gewijzigd.", body = Machtiging, headers(("ETag" = String, description = "De nieuwe versie."))), (status = 409, description = "De machtiging is niet meer geldig (ingetrokken, beëindigd of verlopen)."), (status = 412, description = "De machtiging is intussen gewijzigd: haal de nieuwste versie op."), (status = 428, description = "If-Match ontbreekt."))
)]
#[put("/machtigingen/{id}/bevoegdheden")]
async fn bevoegdheden(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<NieuweBevoegdheden>,
) -> Result<HttpResponse, ApiError> {
    let rij = wijziging::wijzig(&state, &principal, *id, &if_match, &body).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}

/// Een machtiging intrekken (ouder)
///
/// Werkt meteen: het volgende verzoek van de advocaat krijgt 404, ook met een token dat nog
/// geldig is. De advocaat krijgt bericht.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingIntrekken",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging.")),
    responses((status = 200, description = "Ingetrokken.", body = Machtiging), (status = 409, description = "Al afgelopen."))
)]
#[post("/machtigingen/{id}/intrekkingen")]
async fn intrekken(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rij = wijziging::stop(&state, &principal, *id, true).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}

/// Een machtiging beëindigen (advocaat)
///
/// De gemachtigde stopt zelf; de ouder krijgt bericht. Werkt meteen, ook voor tokens die al zijn
/// uitgegeven. Een vertegenwoordiging die de rechter aanwees, beëindigt alleen de behandelaar.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "machtigingBeeindigen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging.")),
    responses((status = 200, description = "Beëindigd.", body = Machtiging), (status = 409, description = "Al afgelopen."))
)]
#[post("/machtigingen/{id}/beeindigingen")]
async fn beeindigen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rij = wijziging::stop(&state, &principal, *id, false).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}

/// Namens een cliënt werken (advocaat)
///
/// Geeft een toegangstoken met `sub` = u en `represents` = de ouder. Elk verzoek ermee wordt
/// getoetst aan de machtiging zoals die op dat moment is.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "namensClientWerken",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging.")),
    responses((status = 201, description = "Het token.", body = Vertegenwoordiging), (status = 409, description = "De machtiging is niet actief."))
)]
#[post("/machtigingen/{id}/vertegenwoordigingen")]
async fn vertegenwoordigen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(inzage::vertegenwoordig(&state, &principal, *id).await?))
}

/// Wat de gemachtigde deed (ouder)
///
/// Alles wat de gemachtigde met uw gegevens deed, in gewone woorden, nieuwste eerst.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "handelingenOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de machtiging."), Paginering),
    responses((status = 200, description = "De handelingen.", body = Handelingen, headers(("Link" = String, description = "RFC 8288."))))
)]
#[get("/machtigingen/{id}/handelingen")]
async fn handelingen(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, totaal) = inzage::handelingen(
        &state,
        &principal,
        *id,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, totaal);
    Ok(HttpResponse::Ok().insert_header(link).json(Handelingen {
        resultaten,
        paginering: info,
    }))
}

/// Mijn cliënten (advocaat)
///
/// Actieve machtigingen met per cliënt de status van de aanvraag en open vragen (als uw
/// bevoegdheden inzien toestaan).
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "clientenOphalen",
    security(("bearer" = [])),
    params(ClientFilter, Paginering),
    responses((status = 200, description = "Uw cliënten.", body = Clienten, headers(("Link" = String, description = "RFC 8288."))), (status = 403, description = "Alleen voor advocaten."))
)]
#[get("/clienten")]
async fn clienten(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    filter: Query<ClientFilter>,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, totaal) = inzage::clienten(
        &state,
        &principal,
        filter.status.as_deref(),
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, totaal);
    Ok(HttpResponse::Ok().insert_header(link).json(Clienten {
        resultaten,
        paginering: info,
    }))
}

/// Mijn kantoor (advocaat)
///
/// Legt de naam van uw kantoor vast; ouders zien die bij u als gemachtigde in hun machtigingen,
/// zodat zij weten met wie zij te maken hebben. Vervangt wat er stond.
#[utoipa::path(
    tag = "Machtigingen",
    operation_id = "kantoorWijzigen",
    security(("bearer" = [])),
    request_body = Kantoor,
    responses((status = 200, description = "Bewaard.", body = Kantoor), (status = 403, description = "Alleen voor advocaten."))
)]
#[put("/advocaten/mij/kantoor")]
async fn kantoor(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<Kantoor>,
) -> Result<HttpResponse, ApiError> {
    inzage::zet_kantoor(&state, &principal, &body.kantoor).await?;
    Ok(HttpResponse::Ok().json(body.into_inner()))
}

/// Een door de rechter aangewezen vertegenwoordiger vastleggen (behandelaar)
///
/// Een bewindvoerder, curator of mentor, vastgelegd uit de uitspraak door de behandelaar aan wie
/// de aanvraag is toegewezen. De uitspraak is de bevestiging: de machtiging is meteen actief. De
/// vertegenwoordiger logt in met DigiD en werkt daarna namens de ouder.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "vertegenwoordigerVastleggen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = Vertegenwoordiger,
    responses(
        (status = 201, description = "Vastgelegd.", body = Machtiging),
        (status = 409, description = "Deze persoon vertegenwoordigt de ouder al."),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[post("/behandeling/aanvragen/{id}/vertegenwoordigers")]
async fn vertegenwoordiger_vastleggen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<Vertegenwoordiger>,
) -> Result<HttpResponse, ApiError> {
    let rij = rechter::leg_vast(&state, &principal, *id, &body).await?;
    antwoord(
        &state,
        &principal,
        &rij,
        actix_web::http::StatusCode::CREATED,
    )
    .await
}

/// Een door de rechter aangewezen vertegenwoordiger beëindigen (behandelaar)
///
/// Als de uitspraak is vervallen of herroepen. Werkt meteen: de vertegenwoordiger kan daarna niet
/// meer namens de ouder werken. De ouder en de vertegenwoordiger krijgen allebei bericht.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "vertegenwoordigerBeeindigen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), ("machtiging" = Uuid, Path, description = "De id van de machtiging.")),
    responses((status = 200, description = "Beëindigd.", body = Machtiging), (status = 409, description = "Al afgelopen."), (status = 403, description = "Alleen voor behandelaars."))
)]
#[post("/behandeling/aanvragen/{id}/vertegenwoordigers/{machtiging}/beeindigingen")]
async fn vertegenwoordiger_beeindigen(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, machtiging) = path.into_inner();
    let rij = rechter::beeindig(&state, &principal, id, machtiging).await?;
    antwoord(&state, &principal, &rij, actix_web::http::StatusCode::OK).await
}
