//! The questionnaire and the claim over HTTP: thin handlers over [`super::service`].

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::service;
use super::store;
use crate::AppState;
use crate::http::etag::{IfMatch, IfMatchHeader, IfNoneMatchHeader, etag_header, not_modified};
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Json, Query};
use crate::identity::toegang::{self, Actie};
use crate::wizard::Inhoud;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(vragenlijst_actueel)
        .service(vragenlijst)
        .service(aanvraag_maken)
        .service(aanvragen)
        .service(aanvraag)
        .service(stap_opslaan)
        .service(schadeposten)
        .service(keuze)
        .service(inhoudsmigratie);
    super::levensloop_routes::configure(cfg);
    super::behandeling_routes::configure(cfg);
    super::afwikkeling_routes::configure(cfg);
}

fn publish(req: &HttpRequest, inhoud: &Inhoud) -> HttpResponse {
    let tag = format!("\"{}\"", &inhoud.hash[..20]);
    let cache = (header::CACHE_CONTROL, "public, max-age=300");
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, tag))
            .insert_header(cache)
            .finish();
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, tag))
        .insert_header(cache)
        .json(super::vragenlijst::vragenlijst_doc(inhoud))
}

/// De actuele vragenlijst
///
/// De vragenlijst en de schadeposten waarmee nieuwe aanvragen beginnen, om te tonen. Openbaar
/// en cachebaar; stuur de ETag terug in `If-None-Match` voor een 304.
#[utoipa::path(
    tag = "Vragenlijst",
    operation_id = "vragenlijstActueel",
    params(IfNoneMatchHeader),
    responses(
        (status = 200, description = "De vragenlijst.", body = VragenlijstDoc, headers(("ETag" = String, description = "Verandert als de inhoud verandert."))),
        (status = 304, description = "Niet gewijzigd: uw versie is de actuele.", headers(("ETag" = String, description = "De actuele versie, gelijk aan die uit If-None-Match.")))
    )
)]
#[get("/vragenlijsten/actueel")]
async fn vragenlijst_actueel(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    publish(&req, state.inhoud.actueel())
}

/// Een vragenlijst per versie
///
/// Een aanvraag blijft aan haar versie vastzitten; deze geeft de vragenlijst van die versie.
#[utoipa::path(
    tag = "Vragenlijst",
    operation_id = "vragenlijstOphalen",
    params(("versie" = String, Path, description = "De inhoudsversie.", example = "2026.1"), IfNoneMatchHeader),
    responses(
        (status = 200, description = "De vragenlijst.", body = VragenlijstDoc, headers(("ETag" = String, description = "Verandert als de inhoud verandert."))),
        (status = 304, description = "Niet gewijzigd: uw versie is de actuele.", headers(("ETag" = String, description = "De actuele versie, gelijk aan die uit If-None-Match."))),
        (status = 404, description = "Deze versie bestaat niet.")
    )
)]
#[get("/vragenlijsten/{versie}")]
async fn vragenlijst(
    req: HttpRequest,
    state: web::Data<AppState>,
    versie: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let inhoud = state.inhoud.get(&versie).ok_or_else(ApiError::not_found)?;
    Ok(publish(&req, inhoud))
}

fn aanvraag_response(
    status: actix_web::http::StatusCode,
    rij: &store::Rij,
    inhoud: &Inhoud,
) -> Result<HttpResponse, ApiError> {
    let body = service::aanvraag(rij, inhoud)?;
    Ok(HttpResponse::build(status)
        .insert_header(etag_header(rij.versie))
        .json(body))
}

/// Een aanvraag beginnen
///
/// Alleen voor een ouder, één open aanvraag tegelijk. De aanvraag zit vast aan de actuele
/// inhoudsversie; nieuwe inhoud verandert haar niet.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanvraagMaken",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "De nieuwe aanvraag.", body = Aanvraag, headers(("Location" = String, description = "Het adres van de aanvraag."), ("ETag" = String, description = "De versie."))),
        (status = 400, description = "Ongeldig verzoek."),
        (status = 403, description = "Alleen een ouder kan een aanvraag beginnen."),
        (status = 409, description = "Er is al een open aanvraag.")
    )
)]
#[post("/aanvragen")]
async fn aanvraag_maken(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let (rij, body) = service::maak(&state, &principal).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag_header(rij.versie))
        .insert_header((
            header::LOCATION,
            format!("{}/aanvragen/{}", state.settings.http.public_url, rij.id),
        ))
        .json(body))
}

/// Mijn aanvragen
///
/// Zo vindt de app de aanvraag terug na inloggen op een ander apparaat.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanvragenOphalen",
    security(("bearer" = [])),
    params(Paginering),
    responses((status = 200, description = "Uw aanvragen, nieuwste eerst.", body = Aanvragen, headers(("Link" = String, description = "RFC 8288."))))
)]
#[get("/aanvragen")]
async fn aanvragen(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let t = toegang::beslis(
        &state,
        &principal,
        Actie::AanvraagInzien,
        principal.represents.unwrap_or(principal.persoon_id),
        "aanvragen",
    )
    .await?;
    let (rows, total) = store::pagina(
        &state.db,
        &t,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let mut resultaten = Vec::new();
    for rij in &rows {
        let inhoud = state
            .inhoud
            .get(&rij.inhoud_versie)
            .ok_or_else(ApiError::not_found)?;
        resultaten.push(service::aanvraag(rij, inhoud)?);
    }
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok().insert_header(link).json(Aanvragen {
        resultaten,
        paginering: info,
    }))
}

/// Een aanvraag
///
/// Antwoorden, welke stappen gelden, voortgang en de stap waar de ouder verder gaat.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanvraagOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), IfNoneMatchHeader),
    responses(
        (status = 200, description = "De aanvraag.", body = Aanvraag, headers(("ETag" = String, description = "De versie; gebruik haar in If-Match."))),
        (status = 304, description = "Niet gewijzigd: uw versie is de actuele.", headers(("ETag" = String, description = "De actuele versie, gelijk aan die uit If-None-Match.")))
    )
)]
#[get("/aanvragen/{id}")]
async fn aanvraag(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let t = service::toegang(&state, &principal, *id, Actie::AanvraagInzien).await?;
    let (rij, inhoud) = service::laad(&state, &t, *id).await?;
    if let Some(r) = not_modified(&req, rij.versie) {
        return Ok(r);
    }
    aanvraag_response(actix_web::http::StatusCode::OK, &rij, &inhoud)
}

/// De antwoorden van één stap opslaan
///
/// Elk meegestuurd antwoord vervangt het opgeslagen antwoord; `null` wist het; weggelaten
/// antwoorden blijven staan. Alle fouten komen tegelijk terug (400, met `pointer` naar
/// `#/antwoorden/<vraag-id>`); dan verandert er niets. Onbekende vragen en vragen die door
/// eerdere antwoorden niet gelden worden geweigerd, ontbrekende verplichte antwoorden ook.
/// Verbergt een antwoord latere vragen, dan blijven hun antwoorden bewaard maar tellen ze niet
/// mee (`inactieveAntwoorden`); gelden ze weer, dan tellen ze weer. De eigen verhaal-tekst is de
/// stap `eigen-verhaal`.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "stapOpslaan",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "De id van de aanvraag."),
        ("stap" = String, Path, description = "De id van de stap.", example = "wonen"),
        IfMatchHeader
    ),
    request_body = StapAntwoorden,
    responses(
        (status = 200, description = "Opgeslagen en herberekend.", body = Aanvraag, headers(("ETag" = String, description = "De nieuwe versie."))),
        (status = 409, description = "De aanvraag is al ingediend."),
        (status = 412, description = "Iemand anders wijzigde de aanvraag intussen."),
        (status = 428, description = "If-Match ontbreekt.")
    )
)]
#[put("/aanvragen/{id}/stappen/{stap}")]
async fn stap_opslaan(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, String)>,
    if_match: IfMatch,
    body: Json<StapAntwoorden>,
) -> Result<HttpResponse, ApiError> {
    let (id, stap) = path.into_inner();
    let (rij, body) =
        service::sla_stap_op(&state, &principal, id, &stap, &if_match, &body.antwoorden).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(rij.versie))
        .json(body))
}

/// Mijn schadeposten
///
/// Elke post van het schadekader met status, bedrag (centen) en uitleg die de regels en uw
/// antwoorden noemt. Herberekend bij elke wijziging. Let op `vastgesteld`: zolang die `false` is
/// zijn de bedragen illustratief.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "schadepostenOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), IfNoneMatchHeader),
    responses(
        (status = 200, description = "De schadeposten.", body = Schadeposten, headers(("ETag" = String, description = "De versie van de aanvraag."))),
        (status = 304, description = "Niet gewijzigd: uw versie is de actuele.", headers(("ETag" = String, description = "De actuele versie, gelijk aan die uit If-None-Match.")))
    )
)]
#[get("/aanvragen/{id}/schadeposten")]
async fn schadeposten(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let t = service::toegang(&state, &principal, *id, Actie::AanvraagInzien).await?;
    let (rij, inhoud) = service::laad(&state, &t, *id).await?;
    if let Some(r) = not_modified(&req, rij.versie) {
        return Ok(r);
    }
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(rij.versie))
        .json(service::schadeposten(&rij, &inhoud)?))
}

/// Vast bedrag of eigen berekening kiezen
///
/// Per post: `forfaitair` (het vaste bedrag) of `maatwerk` (eigen bedrag en toelichting; een
/// behandelaar beoordeelt het). Alleen bij posten met `maatwerkMogelijk`.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "keuzeOpslaan",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "De id van de aanvraag."),
        ("post" = String, Path, description = "De id van de schadepost.", example = "verlies-huurwoning"),
        IfMatchHeader
    ),
    request_body = PostKeuzeVerzoek,
    responses(
        (status = 200, description = "De schadeposten met de keuze.", body = Schadeposten, headers(("ETag" = String, description = "De nieuwe versie."))),
        (status = 409, description = "De aanvraag is al ingediend."),
        (status = 412, description = "Iemand anders wijzigde de aanvraag intussen."),
        (status = 428, description = "If-Match ontbreekt.")
    )
)]
#[put("/aanvragen/{id}/schadeposten/{post}/keuze")]
async fn keuze(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, String)>,
    if_match: IfMatch,
    body: Json<PostKeuzeVerzoek>,
) -> Result<HttpResponse, ApiError> {
    let (id, post) = path.into_inner();
    let rij = service::kies(&state, &principal, id, &post, &if_match, &body).await?;
    let inhoud = state
        .inhoud
        .get(&rij.inhoud_versie)
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(rij.versie))
        .json(service::schadeposten(&rij, inhoud)?))
}

/// Naar nieuwe inhoud overstappen
///
/// Zet een concept-aanvraag over naar een andere inhoudsversie. Antwoorden die niet meer passen
/// vervallen en worden genoemd. De overstap komt in het logboek.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "inhoudsmigratieUitvoeren",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), IfMatchHeader),
    request_body = InhoudsmigratieVerzoek,
    responses(
        (status = 200, description = "Overgezet.", body = Inhoudsmigratie, headers(("ETag" = String, description = "De nieuwe versie."))),
        (status = 409, description = "De aanvraag is al ingediend."),
        (status = 412, description = "Iemand anders wijzigde de aanvraag intussen."),
        (status = 428, description = "If-Match ontbreekt.")
    )
)]
#[post("/aanvragen/{id}/inhoudsmigraties")]
async fn inhoudsmigratie(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<InhoudsmigratieVerzoek>,
) -> Result<HttpResponse, ApiError> {
    let (rij, body) =
        service::migreer(&state, &principal, *id, &if_match, &body.naar_versie).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(rij.versie))
        .json(body))
}
