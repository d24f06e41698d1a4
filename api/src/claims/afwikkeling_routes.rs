//! Assessment and settlement over HTTP: thin handlers over [`super::beoordeling_service`],
//! [`super::aanbod_service`] and [`super::uitbetaling_service`].

use actix_web::{HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::afwikkeling_model::*;
use super::{aanbod_service, beoordeling_service, uitbetaling_service};
use crate::AppState;
use crate::http::principal::Principal;
use crate::http::{ApiError, Json};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(beoordeling_lezen)
        .service(post_beoordelen)
        .service(vraag_stellen)
        .service(doorverwijzen)
        .service(aanbod_doen)
        .service(goedkeuringen)
        .service(goedkeuren)
        .service(betaling_vastleggen)
        .service(vragen)
        .service(vraag_beantwoorden)
        .service(aanbiedingen)
        .service(aanvaarden)
        .service(afwijzen)
        .service(verlengen)
        .service(rekening)
        .service(rekening_zetten);
}

/// De beoordeling per schadepost
///
/// Voor de toegewezen behandelaar: per post wat de bevroren berekening gaf en het besluit tot nu
/// toe, en welke posten nog een besluit vragen vóór een aanbod.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "beoordelingLezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses(
        (status = 200, description = "Gelukt.", body = Beoordeling),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[get("/behandeling/aanvragen/{id}/beoordeling")]
async fn beoordeling_lezen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(beoordeling_service::beoordeling(&state, &principal, *id).await?))
}

/// Een schadepost beoordelen
///
/// Accepteren (het bedrag van de berekening; bij een post die onderbouwing nodig had het volle
/// vaste bedrag) of aanpassen (bedrag in centen en een reden die de ouder leest). Een nieuw besluit
/// vervangt het vorige; het logboek bewaart beide. Kan bij status `in-behandeling` en `niet-
/// akkoord` (heroverweging), niet terwijl een aanbod op goedkeuring wacht.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "postBeoordelen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), ("post" = String, Path, description = "De id van de schadepost, bijvoorbeeld `wonen.verhuizing`.")),
    request_body = PostbeoordelingVerzoek,
    responses(
        (status = 200, description = "Gelukt.", body = Postbeoordeling),
        (status = 403, description = "Alleen voor behandelaars."),
        (status = 409, description = "De aanvraag is nu niet te beoordelen.")
    )
)]
#[put("/behandeling/aanvragen/{id}/posten/{post}/beoordeling")]
async fn post_beoordelen(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, String)>,
    body: Json<PostbeoordelingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        beoordeling_service::beoordeel_post(&state, &principal, path.0, &path.1, &body).await?,
    ))
}

/// De ouder een vraag stellen
///
/// De ouder krijgt een e-mail en leest en beantwoordt de vraag via `GET/POST
/// /aanvragen/{id}/vragen`. Zolang er vragen open staan, kan er geen aanbod worden gedaan.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "vraagStellen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = NieuweVraag,
    responses(
        (status = 201, description = "Vastgelegd.", body = Vraag),
        (status = 403, description = "Alleen voor behandelaars."),
        (status = 409, description = "De aanvraag is nu niet te beoordelen.")
    )
)]
#[post("/behandeling/aanvragen/{id}/vragen")]
async fn vraag_stellen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<NieuweVraag>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created()
        .json(beoordeling_service::stel_vraag(&state, &principal, *id, &body).await?))
}

/// Doorverwijzen naar de commissie voor complexe schade
///
/// De aanvraag krijgt status `doorverwezen`; de ouder krijgt bericht. Kan bij `ingediend` en `in-
/// behandeling`.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "aanvraagDoorverwijzen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = DoorverwijzingVerzoek,
    responses(
        (status = 204, description = "Gelukt."),
        (status = 403, description = "Alleen voor behandelaars."),
        (status = 409, description = "Deze overgang kan niet vanuit de huidige status.")
    )
)]
#[post("/behandeling/aanvragen/{id}/doorverwijzingen")]
async fn doorverwijzen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<DoorverwijzingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    beoordeling_service::verwijs_door(&state, &principal, *id, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Een aanbod doen
///
/// Het aanbod volgt uit de besluiten per post (een post zonder besluit: het berekende bedrag) met
/// de voorwaarden van de vaststellingsovereenkomst en de lopende procedures die de ouder bij
/// akkoord intrekt. Vanaf het ingestelde bedrag (vier ogen) krijgt het status `wacht-op-
/// goedkeuring` tot een tweede behandelaar het goedkeurt; anders gaat het meteen naar de ouder
/// (status `uitgebracht`, aanvraag `aanbod-gedaan`, e-mail, en een herinnering vóór het einde van
/// de termijn). Niet zolang er vragen open staan of posten die onderbouwing nodig hadden geen
/// besluit hebben (400, met `pointer` `#/posten/<post>`).
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "aanbodDoen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = NieuwAanbod,
    responses(
        (status = 201, description = "Vastgelegd.", body = Aanbod),
        (status = 403, description = "Alleen voor behandelaars."),
        (status = 409, description = "Er staan vragen open, er wacht al een aanbod, of de status laat geen aanbod toe.")
    )
)]
#[post("/behandeling/aanvragen/{id}/aanbiedingen")]
async fn aanbod_doen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<NieuwAanbod>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(aanbod_service::maak(&state, &principal, *id, &body).await?))
}

/// Aanbiedingen die op goedkeuring wachten
///
/// Vier ogen: de aanbiedingen boven het ingestelde bedrag die een tweede behandelaar moet
/// goedkeuren, zonder de eigen aanbiedingen van de vrager.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "aanbiedingenTeKeuren",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Gelukt.", body = Aanbiedingen),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[get("/behandeling/goedkeuringen")]
async fn goedkeuringen(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(aanbod_service::te_keuren(&state, &principal).await?))
}

/// Een aanbod goedkeuren (vier ogen)
///
/// Een andere behandelaar dan wie het aanbod maakte keurt het goed; het gaat dan naar de ouder.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "aanbodGoedkeuren",
    security(("bearer" = [])),
    params(("aanbod" = Uuid, Path, description = "De id van het aanbod.")),
    responses(
        (status = 200, description = "Gelukt.", body = Aanbod),
        (status = 403, description = "Alleen voor behandelaars, en niet voor wie het aanbod maakte."),
        (status = 409, description = "Het aanbod wacht niet (meer) op goedkeuring.")
    )
)]
#[post("/behandeling/aanbiedingen/{aanbod}/goedkeuringen")]
async fn goedkeuren(
    state: web::Data<AppState>,
    principal: Principal,
    aanbod: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(aanbod_service::keur_goed(&state, &principal, *aanbod).await?))
}

/// De betaalstatus vastleggen
///
/// Na akkoord: eerst `opdracht-gegeven` (vraagt het rekeningnummer van de ouder), dan `betaald` (de
/// ouder krijgt bericht). Elke status één keer; de ouder ziet ze in de tijdlijn.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "betalingVastleggen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = BetalingVerzoek,
    responses(
        (status = 201, description = "Vastgelegd.", body = Betaling),
        (status = 403, description = "Alleen voor behandelaars."),
        (status = 409, description = "Niet akkoord, geen rekeningnummer, verkeerde volgorde of al vastgelegd.")
    )
)]
#[post("/behandeling/aanvragen/{id}/betalingen")]
async fn betaling_vastleggen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<BetalingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created()
        .json(uitbetaling_service::leg_betaling_vast(&state, &principal, *id, &body).await?))
}

/// De vragen van de behandelaar
///
/// Alle vragen over deze aanvraag met de antwoorden; `open` telt wat nog op uw antwoord wacht.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "vragenLezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses(
        (status = 200, description = "Gelukt.", body = Vragen)
    )
)]
#[get("/aanvragen/{id}/vragen")]
async fn vragen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(beoordeling_service::vragen(&state, &principal, *id).await?))
}

/// Een vraag beantwoorden
///
/// Eén antwoord per vraag. Heeft u later nog iets toe te voegen, dan kan dat in een nieuw gesprek
/// met uw behandelaar.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "vraagBeantwoorden",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), ("vraag" = Uuid, Path, description = "De id van de vraag.")),
    request_body = VraagAntwoord,
    responses(
        (status = 201, description = "Vastgelegd.", body = Vraag),
        (status = 409, description = "De vraag is al beantwoord, of de aanvraag is afgesloten.")
    )
)]
#[post("/aanvragen/{id}/vragen/{vraag}/antwoorden")]
async fn vraag_beantwoorden(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<VraagAntwoord>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created()
        .json(beoordeling_service::beantwoord(&state, &principal, path.0, path.1, &body).await?))
}

/// De aanbiedingen
///
/// Per aanbod het bedrag per schadepost met de reden van elke aanpassing, de voorwaarden van de
/// vaststellingsovereenkomst, de procedures die u bij akkoord intrekt, en tot wanneer u kunt
/// antwoorden (`reagerenVoor`).
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanbiedingenLezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses(
        (status = 200, description = "Gelukt.", body = Aanbiedingen)
    )
)]
#[get("/aanvragen/{id}/aanbiedingen")]
async fn aanbiedingen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(aanbod_service::aanbiedingen(&state, &principal, *id).await?))
}

/// Akkoord gaan met het aanbod
///
/// Sluit de vaststellingsovereenkomst: u bevestigt de voorwaarden en noemt de procedures die u
/// intrekt (alle procedures van het aanbod). Vraagt een verse DigiD-inlog: is uw inlog ouder dan
/// het ingestelde aantal minuten, dan volgt 401 `opnieuw-inloggen` met `WWW-Authenticate: Bearer
/// error="insufficient_user_authentication", max_age=…` (RFC 9470) en is er niets opgeslagen.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanbodAanvaarden",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = AanvaardingVerzoek,
    responses(
        (status = 200, description = "Gelukt.", body = Aanbod),
        (status = 409, description = "Op dit aanbod is al geantwoord.")
    )
)]
#[post("/aanvragen/{id}/aanvaardingen")]
async fn aanvaarden(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<AanvaardingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(aanbod_service::aanvaard(&state, &principal, *id, &body).await?))
}

/// Niet akkoord gaan met het aanbod
///
/// Met een reden als u wilt, en wat u daarna wilt: een nieuwe beoordeling, een bestuursrechtelijke
/// beoordeling, of dat weet u nog niet. De aanvraag krijgt status `niet-akkoord`.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanbodAfwijzen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = AfwijzingVerzoek,
    responses(
        (status = 200, description = "Gelukt.", body = Aanbod),
        (status = 409, description = "Op dit aanbod is al geantwoord.")
    )
)]
#[post("/aanvragen/{id}/afwijzingen")]
async fn afwijzen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<AfwijzingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(aanbod_service::wijs_af(&state, &principal, *id, &body).await?))
}

/// Meer tijd vragen voor uw antwoord
///
/// Verlengt de termijn één keer met het ingestelde aantal dagen; de herinnering schuift mee.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "aanbodtermijnVerlengen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = VerlengingVerzoek,
    responses(
        (status = 200, description = "Gelukt.", body = Aanbod),
        (status = 409, description = "Al verlengd, of al geantwoord.")
    )
)]
#[post("/aanvragen/{id}/verlengingen")]
async fn verlengen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<VerlengingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(aanbod_service::verleng(&state, &principal, *id, &body).await?))
}

/// Het rekeningnummer voor de uitbetaling
///
/// Gemaskeerd: alleen het land en de laatste vier tekens.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "bankrekeningLezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses(
        (status = 200, description = "Gelukt.", body = Bankrekening)
    )
)]
#[get("/aanvragen/{id}/bankrekening")]
async fn rekening(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(uitbetaling_service::rekening(&state, &principal, *id).await?))
}

/// Het rekeningnummer opgeven of wijzigen
///
/// Een IBAN (gecontroleerd met het controlegetal) en de rekeninghouder; staat u onder bewind, dan
/// de rekening van de bewindvoerder. Te wijzigen tot u akkoord gaat met een aanbod. Elke wijziging
/// komt in het logboek en u krijgt er een e-mail over.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "bankrekeningOpgeven",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = BankrekeningVerzoek,
    responses(
        (status = 200, description = "Gelukt.", body = Bankrekening),
        (status = 409, description = "De aanvraag is afgesloten.")
    )
)]
#[put("/aanvragen/{id}/bankrekening")]
async fn rekening_zetten(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<BankrekeningVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(uitbetaling_service::zet_rekening(&state, &principal, *id, &body).await?))
}
