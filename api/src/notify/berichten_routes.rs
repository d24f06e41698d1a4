//! The in-app inbox over HTTP: every notification, also for who gets no e-mail.

use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::routes::eigen;
use super::soort::Soort;
use super::store::{self, BerichtRij};
use crate::AppState;
use crate::db;
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Query};
use crate::identity::toegang::Actie;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(berichten)
        .service(bericht)
        .service(bericht_gelezen)
        .service(bericht_ongelezen);
}

fn bericht_view(rij: BerichtRij) -> Bericht {
    Bericht {
        id: rij.id.parse().unwrap_or_default(),
        soort: Soort::parse(&rij.soort).unwrap_or(Soort::AanvraagGestart),
        onderwerp: rij.onderwerp,
        tekst: rij.tekst,
        verwijzing: rij.verwijzing,
        ontvangen_op: db::tijdstip(rij.zichtbaar_vanaf),
        gelezen_op: rij.gelezen_op.map(db::tijdstip),
    }
}

/// Mijn berichten
///
/// De berichtenbox, nieuwste eerst: alles wat wij u lieten weten, ook als u geen e-mail krijgt.
/// `ongelezen` telt de ongelezen berichten op alle pagina's.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtenOphalen",
    security(("bearer" = [])),
    params(Paginering, BerichtenFilter),
    responses((status = 200, description = "De berichten.", body = Berichten, headers(("Link" = String, description = "RFC 8288."))))
)]
#[get("/mij/berichten")]
async fn berichten(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
    filter: Query<BerichtenFilter>,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::BerichtenInzien).await?;
    let now = db::now_ms();
    let (rows, total) = store::berichten(
        &state.db,
        t.ouder(),
        now,
        filter.ongelezen.unwrap_or(false),
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let ongelezen = store::ongelezen(&state.db, t.ouder(), now).await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok().insert_header(link).json(Berichten {
        resultaten: rows.into_iter().map(bericht_view).collect(),
        ongelezen,
        paginering: info,
    }))
}

/// Eén bericht
///
/// Een bericht uit uw berichtenbox, met het moment waarop u het las. Ophalen markeert het niet als
/// gelezen; dat doet `PUT /mij/berichten/{id}/gelezen`.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het bericht.")),
    responses((status = 200, description = "Het bericht.", body = Bericht))
)]
#[get("/mij/berichten/{id}")]
async fn bericht(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::BerichtenInzien).await?;
    let rij = store::bericht(&state.db, t.ouder(), *id, db::now_ms())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(bericht_view(rij)))
}

/// Bericht als gelezen markeren
///
/// Herhalen mag; het eerste leesmoment blijft staan.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtGelezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het bericht.")),
    responses((status = 204, description = "Gemarkeerd als gelezen."))
)]
#[put("/mij/berichten/{id}/gelezen")]
async fn bericht_gelezen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    markeer(&state, &principal, *id, true).await
}

/// Bericht weer als ongelezen markeren
///
/// Het bericht telt weer mee bij de ongelezen berichten. Herhalen mag.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtOngelezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het bericht.")),
    responses((status = 204, description = "Gemarkeerd als ongelezen."))
)]
#[delete("/mij/berichten/{id}/gelezen")]
async fn bericht_ongelezen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    markeer(&state, &principal, *id, false).await
}

async fn markeer(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    gelezen: bool,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(state, principal, Actie::BerichtenInzien).await?;
    let tx = db::begin_write(&state.db).await?;
    let found = store::markeer(&tx, t.ouder(), id, db::now_ms(), gelezen).await?;
    if !found {
        return Err(ApiError::not_found());
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
