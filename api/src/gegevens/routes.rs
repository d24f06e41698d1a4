//! Data sources, consents, retrievals and retrieved data over HTTP: thin handlers over
//! [`super::service`] and [`super::bevraging`].

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::{bevraging, service};
use crate::AppState;
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Json, Query};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(catalogus)
        .service(toestemming_geven)
        .service(toestemmingen)
        .service(toestemming_intrekken)
        .service(bevraging_starten)
        .service(bevragingen)
        .service(bevraging_volgen)
        .service(gegevens)
        .service(oordeel)
        .service(gegevens_van_aanvraag);
}

/// De gegevensbronnen
///
/// Welke bronnen gegevens over u kunnen leveren, wat ze leveren, bij welke vragen en
/// schadeposten ze helpen, waarom wij ze mogen vragen (doel en grondslag) en hoe lang wij de
/// gegevens bewaren. Openbaar: dit staat ook in het toestemmingsscherm.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "gegevensbronnenOphalen",
    responses((status = 200, description = "De bronnen.", body = Gegevensbronnen))
)]
#[get("/gegevensbronnen")]
async fn catalogus(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(service::catalogus(&state))
}

/// Toestemming geven
///
/// Voor één bron, voor het doel van route B, tot een datum die u kiest (standaard een jaar, hoogstens
/// de ingestelde termijn). Alleen de ouder zelf geeft toestemming, ook als een advocaat helpt.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "toestemmingGeven",
    security(("bearer" = [])),
    request_body = NieuweToestemming,
    responses(
        (status = 201, description = "Gegeven.", body = Toestemming, headers(("Location" = String, description = "De toestemming."))),
        (status = 409, description = "Voor deze bron is al een geldige toestemming."),
        (status = 403, description = "Deze functie is niet beschikbaar voor uw rol.")
    )
)]
#[post("/toestemmingen")]
async fn toestemming_geven(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NieuweToestemming>,
) -> Result<HttpResponse, ApiError> {
    let t = service::geef(&state, &principal, &body).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("{}/toestemmingen/{}", state.settings.http.public_url, t.id),
        ))
        .json(t))
}

/// Mijn toestemmingen
///
/// Alle toestemmingen, ook verlopen en ingetrokken, nieuwste eerst.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "toestemmingenOphalen",
    security(("bearer" = [])),
    params(Paginering),
    responses((status = 200, description = "Uw toestemmingen.", body = Toestemmingen, headers(("Link" = String, description = "RFC 8288."))), (status = 403, description = "Deze functie is niet beschikbaar voor uw rol."))
)]
#[get("/toestemmingen")]
async fn toestemmingen(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, totaal) = service::lijst(
        &state,
        &principal,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, totaal);
    Ok(HttpResponse::Ok().insert_header(link).json(Toestemmingen {
        resultaten,
        paginering: info,
    }))
}

/// Een toestemming intrekken
///
/// Werkt meteen: er wordt niets meer opgehaald (ook niet door een bevraging die nog loopt), de
/// gegevens van deze bron worden verwijderd, en antwoorden die daaruit kwamen staan in uw
/// concept-aanvraag weer open. U krijgt een bericht. Een ingediende aanvraag blijft zoals u haar
/// indiende.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "toestemmingIntrekken",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de toestemming.")),
    responses(
        (status = 200, description = "Ingetrokken.", body = Intrekking),
        (status = 409, description = "Al ingetrokken."),
        (status = 403, description = "Deze functie is niet beschikbaar voor uw rol.")
    )
)]
#[post("/toestemmingen/{id}/intrekkingen")]
async fn toestemming_intrekken(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::trek_in(&state, &principal, *id).await?))
}

/// Gegevens ophalen
///
/// Haalt bij elke gekozen bron tegelijk op (standaard: alle bronnen met een geldige
/// toestemming). Het antwoord komt meteen (202); volg de stand per bron met de
/// `Location`. Een bron die niet werkt houdt de andere niet op; bij `mislukt` staat wat er
/// gebeurde en wat u kunt doen.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "bevragingStarten",
    security(("bearer" = [])),
    request_body = NieuweBevraging,
    responses(
        (status = 202, description = "Gestart.", body = Bevraging, headers(("Location" = String, description = "Volg de bevraging hier."))),
        (status = 409, description = "Er loopt al een bevraging, of u gaf voor geen bron toestemming."),
        (status = 403, description = "Deze functie is niet beschikbaar voor uw rol.")
    )
)]
#[post("/bevragingen")]
async fn bevraging_starten(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NieuweBevraging>,
) -> Result<HttpResponse, ApiError> {
    let public_url = state.settings.http.public_url.clone();
    let b = bevraging::start(state, &principal, &body).await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("{public_url}/bevragingen/{}", b.id)))
        .json(b))
}

/// Mijn bevragingen
///
/// Elke keer dat gegevens over u zijn opgehaald, nieuwste eerst; ook als een gemachtigde dat deed
/// (`doorGemachtigde`).
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "bevragingenOphalen",
    security(("bearer" = [])),
    params(Paginering),
    responses((status = 200, description = "Uw bevragingen.", body = Bevragingen, headers(("Link" = String, description = "RFC 8288."))), (status = 403, description = "Deze functie is niet beschikbaar voor uw rol."))
)]
#[get("/bevragingen")]
async fn bevragingen(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, totaal) = bevraging::lijst(
        &state,
        &principal,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, totaal);
    Ok(HttpResponse::Ok().insert_header(link).json(Bevragingen {
        resultaten,
        paginering: info,
    }))
}

/// Een bevraging volgen
///
/// Het ophalen loopt op de achtergrond; hier ziet u per gegevensbron de stand (`bezig`, `gelukt`
/// of `mislukt`, met de reden en wat u kunt doen). Vraag opnieuw op tot geen bron meer bezig is.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "bevragingOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de bevraging.")),
    responses((status = 200, description = "De stand per bron.", body = Bevraging), (status = 403, description = "Deze functie is niet beschikbaar voor uw rol."))
)]
#[get("/bevragingen/{id}")]
async fn bevraging_volgen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(bevraging::lees(&state, &principal, *id).await?))
}

/// Opgehaalde gegevens
///
/// Elk gegeven met waar het vandaan komt (bron, moment, toestemming) en uw oordeel. Een
/// bevestigd gegeven vult de vragen in die erbij staan.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "opgehaaldeGegevensOphalen",
    security(("bearer" = [])),
    params(GegevensFilter),
    responses((status = 200, description = "De gegevens.", body = OpgehaaldeGegevens), (status = 403, description = "Deze functie is niet beschikbaar voor uw rol."))
)]
#[get("/opgehaalde-gegevens")]
async fn gegevens(
    state: web::Data<AppState>,
    principal: Principal,
    filter: Query<GegevensFilter>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(service::gegevens(&state, &principal, filter.bron.as_deref()).await?))
}

/// Een opgehaald gegeven bevestigen of betwisten
///
/// `bevestigd`: het gegeven vult de vragen in (gemarkeerd met de bron; een antwoord dat u zelf
/// typte, wordt erdoor vervangen). `betwist`: schrijf op wat niet klopt; u beantwoordt de vragen
/// zelf en kunt bewijs toevoegen, en de behandelaar ziet dat u het betwist. U kunt later van
/// oordeel veranderen.
#[utoipa::path(
    tag = "Gegevens",
    operation_id = "gegevenBeoordelen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het gegeven.")),
    request_body = NieuwOordeel,
    responses((status = 200, description = "Het gegeven met uw oordeel.", body = OpgehaaldGegeven), (status = 403, description = "Deze functie is niet beschikbaar voor uw rol."))
)]
#[post("/opgehaalde-gegevens/{id}/oordelen")]
async fn oordeel(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<NieuwOordeel>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::oordeel(&state, &principal, *id, &body).await?))
}

/// Opgehaalde gegevens bij een aanvraag
///
/// Voor de ouder, en voor de behandelaar aan wie de aanvraag is toegewezen: zo ziet die wat de
/// ouder bevestigde en wat de ouder betwist.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanvraagGegevensOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses((status = 200, description = "De gegevens.", body = OpgehaaldeGegevens))
)]
#[get("/aanvragen/{id}/opgehaalde-gegevens")]
async fn gegevens_van_aanvraag(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::gegevens_van_aanvraag(&state, &principal, *id).await?))
}
