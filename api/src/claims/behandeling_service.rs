//! The rules of case handling: only behandelaars, only submitted claims (a draft is invisible to
//! staff: 404), every look at the queue and every change audited, the parent told when their
//! claim is taken on.

use uuid::Uuid;

use super::behandeling::{self, Filter};
use super::indiening::overgang;
use super::levensloop::{Status, Wie};
use super::levensloop_model::*;
use super::store;
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self, Actie};
use crate::notify::{self, Melding, Soort};

pub fn regel(w: behandeling::Wachtrij) -> Wachtrijregel {
    Wachtrijregel {
        aanvraag: w.aanvraag.parse().unwrap_or_default(),
        referentie: w.referentie,
        status: Status::parse(&w.status).unwrap_or(Status::Ingediend),
        ingediend_op: db::tijdstip(w.ingediend_op),
        totaal: w.totaal,
        behandelaar: w.behandelaar.and_then(|b| b.parse().ok()),
        urgent: w.urgent,
        lage_impact: w.lage_impact,
    }
}

pub async fn wachtrij(
    state: &AppState,
    principal: &Principal,
    filter: &WachtrijFilter,
    referentie: Option<String>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Wachtrijregel>, u64), ApiError> {
    toegang::vereis_rol(
        state,
        principal,
        &["behandelaar"],
        "behandelwachtrij-inzien",
    )
    .await?;
    audit::gelukt(
        &state.db,
        &state.vault,
        principal,
        None,
        "behandelwachtrij-inzien",
        "behandeling/aanvragen",
        "aanvraag-behandelen/v1",
    )
    .await?;
    let f = Filter {
        status: filter.status.map(|s| s.code().to_string()),
        urgent: filter.urgent,
        lage_impact: filter.lage_impact,
        met_gemachtigde: filter.met_gemachtigde,
        toegewezen: filter.toegewezen.map(|t| match t {
            Toegewezen::Mij => Some(principal.persoon_id),
            Toegewezen::Niemand => None,
        }),
        referentie,
        aanvraag: None,
        ingediend_voor: filter
            .ingediend_voor
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc().timestamp_millis()),
    };
    let (rows, total) = behandeling::wachtrij(&state.db, &f, offset, limit).await?;
    Ok((rows.into_iter().map(regel).collect(), total))
}

/// The queue row of one submitted claim, or 404 (also for drafts).
async fn ingediende(state: &AppState, id: Uuid) -> Result<(Wachtrijregel, Uuid), ApiError> {
    let f = Filter {
        aanvraag: Some(id),
        ..Filter::default()
    };
    let (rows, _) = behandeling::wachtrij(&state.db, &f, 0, 1).await?;
    let w = rows.into_iter().next().ok_or_else(ApiError::not_found)?;
    let ouder = store::eigenaar(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((regel(w), ouder))
}

/// Assigns a submitted claim (to the caller, or another behandelaar); a claim still `ingediend`
/// becomes `in-behandeling` and the parent hears about it.
pub async fn wijs_toe(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &ToewijzingVerzoek,
) -> Result<Wachtrijregel, ApiError> {
    toegang::vereis_rol(state, principal, &["behandelaar"], "aanvraag-toewijzen").await?;
    let behandelaar = verzoek.behandelaar.unwrap_or(principal.persoon_id);
    let is_behandelaar = crate::identity::store::find(&state.db, behandelaar)
        .await?
        .is_some_and(|p| p.rollen.iter().any(|r| r == "behandelaar"));
    if !is_behandelaar {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/behandelaar",
            "geen-behandelaar",
            "Deze persoon is geen behandelaar.",
        )]));
    }
    let (_, ouder) = ingediende(state, id).await?;
    let t = toegang::beslis_met(
        state,
        principal,
        Actie::AanvraagToewijzen,
        ouder,
        &format!("aanvragen/{id}"),
        &toegewezen_aan(state, id).await?,
    )
    .await?;
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    // Decided on the row as it is inside the transaction: a withdrawal or a colleague's
    // assignment a moment ago is seen, and the version check catches anything later.
    let rij = store::laad(&tx, &t, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let status = Status::parse(&rij.status).unwrap_or(Status::Concept);
    if !matches!(
        status,
        Status::Ingediend | Status::InBehandeling | Status::NietAkkoord
    ) {
        return Err(ApiError::new(
            ProblemType::Conflict,
            format!(
                "Een aanvraag met status '{}' kan niet worden toegewezen.",
                status.code()
            ),
        ));
    }
    behandeling::wijs_toe(&tx, id, behandelaar, now).await?;
    if status == Status::Ingediend {
        if !store::zet_status(
            &tx,
            &t,
            &rij.id,
            rij.versie,
            Status::InBehandeling.code(),
            true,
            now,
        )
        .await?
        {
            return Err(ApiError::busy());
        }
        store::voeg_overgang_toe(
            &tx,
            overgang(
                &rij.id,
                Some(Status::Ingediend),
                Status::InBehandeling,
                principal,
                Wie::Behandelaar,
                None,
                now,
            ),
        )
        .await?;
        let mut melding = Melding::new(ouder, Soort::AanvraagInBehandeling);
        melding.verwijzing = Some(format!("/v1/aanvragen/{id}"));
        notify::meld(&tx, &state.notify, melding).await?;
    }
    tx.commit().await?;
    state.notify.wek();
    Ok(ingediende(state, id).await?.0)
}

pub async fn zet_urgentie(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &UrgentieVerzoek,
) -> Result<Wachtrijregel, ApiError> {
    toegang::vereis_rol(state, principal, &["behandelaar"], "urgentie-wijzigen").await?;
    let (_, ouder) = ingediende(state, id).await?;
    toegang::beslis_met(
        state,
        principal,
        Actie::AanvraagToewijzen,
        ouder,
        &format!("behandeling/aanvragen/{id}/urgentie"),
        &toegewezen_aan(state, id).await?,
    )
    .await?;
    audit::gelukt(
        &state.db,
        &state.vault,
        principal,
        Some(ouder),
        "urgentie-wijzigen",
        &format!("behandeling/aanvragen/{id}"),
        "aanvraag-behandelen/v1",
    )
    .await?;
    let tx = db::begin_write(&state.db).await?;
    behandeling::zet_urgentie(
        &tx,
        id,
        verzoek.urgent,
        verzoek.reden.clone().filter(|r| !r.trim().is_empty()),
        db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(ingediende(state, id).await?.0)
}

/// Who the claim is assigned to, as the authorisation function weighs it.
async fn toegewezen_aan(state: &AppState, id: Uuid) -> Result<toegang::Relatie, ApiError> {
    Ok(toegang::Relatie {
        toegewezen_behandelaar: behandeling::van(&state.db, id)
            .await?
            .and_then(|b| b.behandelaar_id)
            .and_then(|b| b.parse().ok()),
        ..toegang::Relatie::default()
    })
}

/// Notes are for the behandelaar assigned to the claim (404 for anyone else, like the claim).
async fn toegewezen(state: &AppState, principal: &Principal, id: Uuid) -> Result<(), ApiError> {
    toegang::vereis_rol(state, principal, &["behandelaar"], "notities").await?;
    let eigenaar = behandeling::eigenaar_en_behandelaar(&state.db, id).await?;
    let ouder = eigenaar.map_or_else(Uuid::nil, |(o, _)| o);
    let relatie = toegang::Relatie {
        toegewezen_behandelaar: eigenaar.and_then(|(_, b)| b),
        ..toegang::Relatie::default()
    };
    toegang::beslis_met(
        state,
        principal,
        Actie::AanvraagInzien,
        ouder,
        &format!("aanvragen/{id}/notities"),
        &relatie,
    )
    .await?;
    Ok(())
}

fn notitie(rij: behandeling::NotitieRij) -> Notitie {
    Notitie {
        id: rij.id.parse().unwrap_or_default(),
        door: rij.door_persoon.parse().unwrap_or_default(),
        tekst: rij.tekst,
        op: db::tijdstip(rij.op),
    }
}

pub async fn notities(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Notities, ApiError> {
    toegewezen(state, principal, id).await?;
    let rows = behandeling::notities(&state.db, id).await?;
    Ok(Notities {
        resultaten: rows.into_iter().map(notitie).collect(),
    })
}

pub async fn noteer(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    nieuw: &NieuweNotitie,
) -> Result<Notitie, ApiError> {
    toegewezen(state, principal, id).await?;
    let tekst = nieuw.tekst.trim();
    if tekst.is_empty() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/tekst",
            "minLength",
            "Schrijf een notitie.",
        )]));
    }
    let rij = behandeling::NotitieRij {
        id: Uuid::now_v7().to_string(),
        aanvraag_id: id.to_string(),
        door_persoon: principal.persoon_id.to_string(),
        tekst: tekst.to_string(),
        op: db::now_ms(),
    };
    let tx = db::begin_write(&state.db).await?;
    behandeling::voeg_notitie_toe(&tx, rij.clone()).await?;
    tx.commit().await?;
    Ok(notitie(rij))
}
