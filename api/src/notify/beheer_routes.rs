//! The administrator's view of outgoing mail: list by status (failed by default), put a failed
//! message back in the queue. Audited; no content, masked addresses.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::store::{self, UitgaandRij};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, ProblemType, Query};
use crate::identity::toegang;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(uitgaande_berichten).service(nieuwe_poging);
}

/// `fatima@example.nl` → `f***@example.nl`: enough to recognise, not to harvest.
fn maskeer(adres: &str) -> String {
    match adres.split_once('@') {
        Some((lokaal, domein)) => {
            let eerste: String = lokaal.chars().take(1).collect();
            format!("{eerste}***@{domein}")
        }
        None => "***".into(),
    }
}

fn uitgaand_view(rij: UitgaandRij) -> UitgaandBericht {
    UitgaandBericht {
        id: rij.id.parse().unwrap_or_default(),
        ontvanger: maskeer(&rij.ontvanger),
        soort: rij.soort,
        status: rij.status,
        pogingen: rij.pogingen,
        laatste_fout: rij.laatste_fout,
        aangemaakt_op: db::tijdstip(rij.aangemaakt_op),
        volgende_poging_op: db::tijdstip(rij.niet_voor),
        verzonden_op: rij.verzonden_op.map(db::tijdstip),
    }
}

/// Uitgaande e-mail (beheer)
///
/// Voor beheerders: berichten per status, standaard de mislukte, nieuwste eerst. Zonder inhoud
/// en met een gemaskeerd adres.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "uitgaandeBerichtenOphalen",
    security(("bearer" = [])),
    params(Paginering, UitgaandFilter),
    responses(
        (status = 200, description = "De berichten.", body = UitgaandeBerichten, headers(("Link" = String, description = "RFC 8288."))),
        (status = 403, description = "Alleen voor beheerders.")
    )
)]
#[get("/beheer/uitgaande-berichten")]
async fn uitgaande_berichten(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
    filter: Query<UitgaandFilter>,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(
        &state,
        &principal,
        &["beheerder"],
        "uitgaande-berichten-inzien",
    )
    .await?;
    let status = filter.status.unwrap_or(UitgaandStatus::Mislukt);
    audit::gelukt(
        &state.db,
        &state.vault,
        &principal,
        None,
        "uitgaande-berichten-inzien",
        &format!("beheer/uitgaande-berichten?status={}", status.code()),
        "uitgaande-berichten-beheren/v1",
    )
    .await?;
    let (rows, total) = store::uitgaand_met_status(
        &state.db,
        status.code(),
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok()
        .insert_header(link)
        .json(UitgaandeBerichten {
            resultaten: rows.into_iter().map(uitgaand_view).collect(),
            paginering: info,
        }))
}

/// Mislukte e-mail opnieuw versturen (beheer)
///
/// Zet een mislukt bericht terug in de wachtrij met nieuwe pogingen, bijvoorbeeld nadat het
/// adres of de mailserver is hersteld.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "uitgaandBerichtOpnieuw",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het uitgaande bericht.")),
    responses(
        (status = 202, description = "Terug in de wachtrij.", body = UitgaandBericht),
        (status = 403, description = "Alleen voor beheerders."),
        (status = 409, description = "Het bericht is niet mislukt.")
    )
)]
#[post("/beheer/uitgaande-berichten/{id}/nieuwe-pogingen")]
async fn nieuwe_poging(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(
        &state,
        &principal,
        &["beheerder"],
        "uitgaand-bericht-herhalen",
    )
    .await?;
    let key = id.to_string();
    let rij = store::uitgaand(&state.db, &key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let namens = rij.persoon_id.as_deref().and_then(|p| p.parse().ok());
    audit::gelukt(
        &state.db,
        &state.vault,
        &principal,
        namens,
        "uitgaand-bericht-herhalen",
        &format!("beheer/uitgaande-berichten/{key}"),
        "uitgaande-berichten-beheren/v1",
    )
    .await?;
    let tx = db::begin_write(&state.db).await?;
    if !store::opnieuw_in_wachtrij(&tx, &key, db::now_ms()).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Alleen een mislukt bericht kan opnieuw worden verstuurd.",
        ));
    }
    tx.commit().await?;
    state.notify.wek();
    let rij = store::uitgaand(&state.db, &key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Accepted().json(uitgaand_view(rij)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_addresses() {
        assert_eq!(maskeer("fatima@example.nl"), "f***@example.nl");
        assert_eq!(maskeer("geen-adres"), "***");
    }
}
