//! Case handling over HTTP (role behandelaar): the queue, search by reference, assignment and
//! urgency. Thin handlers over [`super::behandeling_service`].

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::behandeling_service as service;
use super::levensloop_model::*;
use crate::AppState;
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Json, Query};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(wachtrij)
        .service(zoeken)
        .service(toewijzen)
        .service(urgentie)
        .service(notities)
        .service(noteren);
}

/// De behandelwachtrij
///
/// Ingediende aanvragen, urgente eerst en dan de oudste eerst. Filters: status, urgent, aan wie
/// toegewezen (`mij`, `niemand`), ingediend vóór een datum. Zonder persoonsgegevens; wie een
/// aanvraag toegewezen krijgt, leest haar via `GET /aanvragen/{id}`.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "behandelwachtrij",
    security(("bearer" = [])),
    params(Paginering, WachtrijFilter),
    responses(
        (status = 200, description = "De wachtrij.", body = Wachtrij, headers(("Link" = String, description = "RFC 8288."))),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[get("/behandeling/aanvragen")]
async fn wachtrij(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
    filter: Query<WachtrijFilter>,
) -> Result<HttpResponse, ApiError> {
    let (resultaten, total) = service::wachtrij(
        &state,
        &principal,
        &filter,
        None,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok().insert_header(link).json(Wachtrij {
        resultaten,
        paginering: info,
    }))
}

/// Zoeken op kenmerk
///
/// Het kenmerk dat de ouder aan de telefoon noemt (in de body, niet in de URL).
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "zoekenOpKenmerk",
    security(("bearer" = [])),
    request_body = ReferentieZoekvraag,
    responses(
        (status = 200, description = "Nul of één aanvraag.", body = Wachtrij),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[post("/behandeling/zoekopdrachten")]
async fn zoeken(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<ReferentieZoekvraag>,
) -> Result<HttpResponse, ApiError> {
    let filter = WachtrijFilter {
        status: None,
        urgent: None,
        toegewezen: None,
        lage_impact: None,
        met_gemachtigde: None,
        ingediend_voor: None,
    };
    let referentie = body.referentie.trim().to_ascii_uppercase();
    let (resultaten, total) =
        service::wachtrij(&state, &principal, &filter, Some(referentie), 0, 1).await?;
    Ok(HttpResponse::Ok().json(Wachtrij {
        resultaten,
        paginering: crate::http::pagination::PaginaInfo {
            page: 1,
            page_size: 1,
            totaal: total,
            aantal_paginas: 1,
        },
    }))
}

/// Een aanvraag toewijzen
///
/// Aan uzelf (lege body-waarde) of aan een andere behandelaar. Een ingediende aanvraag gaat dan
/// naar `in-behandeling` en de ouder krijgt bericht.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "aanvraagToewijzen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = ToewijzingVerzoek,
    responses(
        (status = 200, description = "Toegewezen.", body = Wachtrijregel),
        (status = 403, description = "Alleen voor behandelaars."),
        (status = 409, description = "De aanvraag is in deze status niet (meer) toe te wijzen, bijvoorbeeld doorverwezen of afgerond.")
    )
)]
#[put("/behandeling/aanvragen/{id}/toewijzing")]
async fn toewijzen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<ToewijzingVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::wijs_toe(&state, &principal, *id, &body).await?))
}

/// Urgentie zetten
///
/// Urgente aanvragen staan vooraan in de wachtrij (bijvoorbeeld gezinnen die de grip op hun
/// leven kwijt zijn).
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "urgentieZetten",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = UrgentieVerzoek,
    responses(
        (status = 200, description = "Gezet.", body = Wachtrijregel),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[put("/behandeling/aanvragen/{id}/urgentie")]
async fn urgentie(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<UrgentieVerzoek>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::zet_urgentie(&state, &principal, *id, &body).await?))
}

/// Interne notities
///
/// Alleen voor de behandelaar aan wie de aanvraag is toegewezen. Notities zijn niet zichtbaar in
/// de app, maar horen bij de gegevens die de ouder kan opvragen.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "notitiesOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses(
        (status = 200, description = "De notities, oudste eerst.", body = Notities),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[get("/behandeling/aanvragen/{id}/notities")]
async fn notities(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::notities(&state, &principal, *id).await?))
}

/// Een interne notitie maken
///
/// Notities blijven staan; een correctie is een nieuwe notitie.
#[utoipa::path(
    tag = "Behandeling",
    operation_id = "notitieMaken",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    request_body = NieuweNotitie,
    responses(
        (status = 201, description = "Gemaakt.", body = Notitie),
        (status = 403, description = "Alleen voor behandelaars.")
    )
)]
#[post("/behandeling/aanvragen/{id}/notities")]
async fn noteren(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    body: Json<NieuweNotitie>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(service::noteer(&state, &principal, *id, &body).await?))
}
