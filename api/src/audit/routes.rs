//! A person reads their own trail.

use actix_web::{HttpRequest, HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{Logboek, Logregel};
use super::store;
use crate::AppState;
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, Query};
use crate::identity::toegang::{self, Actie};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(logboek);
}

/// Mijn logboek
///
/// Wie wat deed met uw gegevens en wanneer, nieuwste eerst: inloggen, inzien, wijzigen, ook
/// geweigerde pogingen. Medewerkers en advocaten staan erin met hun rol, niet met hun naam.
#[utoipa::path(
    tag = "Mijn gegevens",
    operation_id = "logboekOphalen",
    security(("bearer" = [])),
    params(Paginering),
    responses((status = 200, description = "Een pagina van uw logboek.", body = Logboek, headers(("Link" = String, description = "RFC 8288: first, prev, next, last."))))
)]
#[get("/mij/logboek")]
async fn logboek(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let toegang = toegang::beslis(
        &state,
        &principal,
        Actie::LogboekInzien,
        principal.persoon_id,
        "mij/logboek",
    )
    .await?;
    let (rows, total) = store::page_for(
        &state.db,
        &toegang,
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let me = toegang.ouder().to_string();
    let resultaten = rows
        .into_iter()
        .map(|r| Logregel {
            id: r.id.parse().unwrap_or_default(),
            tijdstip: chrono::DateTime::from_timestamp_millis(r.tijdstip).unwrap_or_default(),
            door: match (r.actor_id.as_deref(), r.actor_soort.as_deref()) {
                (Some(a), _) if a == me => "uzelf".into(),
                (Some(_), Some(soort)) => soort.to_string(),
                _ => "onbekend".into(),
            },
            actie: r.actie,
            resource: r.resource,
            uitkomst: r.uitkomst,
            trace_id: r.trace_id,
        })
        .collect();
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok().insert_header(link).json(Logboek {
        resultaten,
        paginering: info,
    }))
}
