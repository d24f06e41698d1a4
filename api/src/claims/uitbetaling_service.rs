//! The payout: the parent's bank account (IBAN checked by mod-97, sealed at rest, shown masked;
//! changeable until the offer is accepted, every change audited and mailed) and the payment
//! status a behandelaar records after the settlement.

use uuid::Uuid;

use super::afwikkeling::{self, AanbodStatus};
use super::afwikkeling_model::*;
use super::afwikkeling_store::{self as opslag, BetalingRij, RekeningRij};
use super::beoordeling_service::{als_behandelaar, conflict};
use super::levensloop::Status;
use super::service::{laad, toegang};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError};
use crate::identity::toegang::Actie;
use crate::notify::{self, Melding, Soort};

fn eigenaar(id: Uuid) -> String {
    format!("bankrekening:{id}")
}

fn toon(r: &RekeningRij) -> Bankrekening {
    Bankrekening {
        iban: afwikkeling::iban_gemaskeerd(&r.iban_laatste),
        rekeninghouder: r.rekeninghouder.clone(),
        bewindvoerder: r.bewindvoerder,
        gewijzigd_op: db::tijdstip(r.gewijzigd_op),
    }
}

pub async fn rekening(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Bankrekening, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagInzien).await?;
    laad(state, &t, id).await?;
    let r = opslag::rekening(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(toon(&r))
}

pub async fn zet_rekening(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &BankrekeningVerzoek,
) -> Result<Bankrekening, ApiError> {
    // Where the money goes belongs with answering the offer: a gemachtigde needs that scope,
    // not just the one to fill in answers.
    let t = toegang(state, principal, id, Actie::AanbodBeantwoorden).await?;
    let (rij, _) = laad(state, &t, id).await?;
    let iban = afwikkeling::iban(&verzoek.iban).map_err(|code| {
        ApiError::invalid(vec![FieldError::body(
            "/iban",
            code,
            "Dit is geen geldig IBAN. Controleer de letters en cijfers.",
        )])
    })?;
    let houder = verzoek.rekeninghouder.trim();
    if houder.is_empty() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/rekeninghouder",
            "minLength",
            "Noem de naam van de rekeninghouder.",
        )]));
    }
    let status = Status::parse(&rij.status).unwrap_or(Status::Concept);
    if !status.open() {
        return Err(conflict(format!(
            "Bij een aanvraag met status '{}' kan het rekeningnummer niet meer worden gewijzigd.",
            status.code()
        )));
    }
    let now = db::now_ms();
    let nieuw = RekeningRij {
        aanvraag_id: id.to_string(),
        iban_verzegeld: state.vault.seal_text(&iban, &eigenaar(id)),
        iban_laatste: afwikkeling::iban_kort(&iban),
        rekeninghouder: houder.to_string(),
        bewindvoerder: verzoek.bewindvoerder,
        gewijzigd_door: principal.persoon_id.to_string(),
        gewijzigd_op: now,
    };
    let tx = db::begin_write(&state.db).await?;
    opslag::zet_rekening(&tx, nieuw.clone()).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "bankrekening-wijzigen",
        &format!("aanvragen/{id}/bankrekening"),
        "uitbetaling/v1",
    )
    .await?;
    let mut melding = Melding::new(t.ouder(), Soort::BankrekeningGewijzigd);
    melding.verwijzing = Some(format!("/v1/aanvragen/{id}/bankrekening"));
    notify::meld(&tx, &state.notify, melding).await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(toon(&nieuw))
}

/// Records a payment status of a settled claim: first `opdracht-gegeven` (needs the parent's
/// bank account), then `betaald` (the parent is told). Each once.
pub async fn leg_betaling_vast(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &BetalingVerzoek,
) -> Result<Betaling, ApiError> {
    let t = als_behandelaar(state, principal, id, "betaling-vastleggen").await?;
    let (rij, _) = laad(state, &t, id).await?;
    if Status::parse(&rij.status) != Some(Status::Akkoord) {
        return Err(conflict(
            "Alleen een aanvraag met status 'akkoord' wordt uitbetaald.",
        ));
    }
    let aanvaard = opslag::aanbiedingen(&state.db, id)
        .await?
        .into_iter()
        .find(|a| a.status == AanbodStatus::Aanvaard.code())
        .ok_or_else(|| conflict("Er is geen aanvaard aanbod."))?;
    let eerdere = opslag::betalingen(&state.db, id).await?;
    match verzoek.status {
        Betaalstatus::OpdrachtGegeven => {
            if opslag::rekening(&state.db, id).await?.is_none() {
                return Err(conflict(
                    "De ouder heeft nog geen rekeningnummer opgegeven.",
                ));
            }
        }
        Betaalstatus::Betaald => {
            if !eerdere
                .iter()
                .any(|b| b.status == Betaalstatus::OpdrachtGegeven.code())
            {
                return Err(conflict("Leg eerst vast dat de betaalopdracht is gegeven."));
            }
        }
    }
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    let nieuw = opslag::voeg_betaling_toe(
        &tx,
        BetalingRij {
            id: Uuid::now_v7().to_string(),
            aanvraag_id: id.to_string(),
            status: verzoek.status.code().into(),
            bedrag: aanvaard.totaal,
            door_persoon: principal.persoon_id.to_string(),
            op: now,
        },
    )
    .await?;
    if !nieuw {
        return Err(conflict(format!(
            "Betaalstatus '{}' is al vastgelegd.",
            verzoek.status.code()
        )));
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "betaling-vastleggen",
        &format!("aanvragen/{id}/betalingen/{}", verzoek.status.code()),
        "aanvraag-behandelen/v1",
    )
    .await?;
    if verzoek.status == Betaalstatus::Betaald {
        let mut melding = Melding::new(t.ouder(), Soort::BetalingGedaan);
        melding.verwijzing = Some(format!("/v1/aanvragen/{id}/tijdlijn"));
        notify::meld(&tx, &state.notify, melding).await?;
    }
    tx.commit().await?;
    state.notify.wek();
    Ok(Betaling {
        status: verzoek.status,
        bedrag: aanvaard.totaal,
        op: db::tijdstip(now),
    })
}
