//! Changing a booked conversation: cancel or move (the parent within the notice rule, the
//! expert always; the calendar invitation follows with the same UID and a higher SEQUENCE), and
//! afterwards the expert records how it went.

use chrono::{Duration, Utc};
use uuid::Uuid;

use super::boeking::bezet_fout;
use super::ics;
use super::instellingen::Gesprekstype as Type;
use super::model::*;
use super::rooster::lees_rooster;
use super::service::{bezet, herinnering_sleutel, meld, meld_aan, toon};
use super::store::{self, GesprekRij};
use super::tijden;
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self, Actie};
use crate::notify;

/// The conversation, its parent, and whether the principal is its expert; anyone else must pass
/// the authorisation function for the parent (404 otherwise). `alleen_leider`: the function is
/// the expert's (or a beheerder's), refused (403) before anything about the conversation's state
/// is said.
async fn wie(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    alleen_leider: Option<&str>,
) -> Result<(GesprekRij, Uuid, bool), ApiError> {
    let rij = store::een(&state.db, id).await?;
    let ouder = rij
        .as_ref()
        .and_then(|r| r.ouder_id.parse().ok())
        .unwrap_or_else(Uuid::nil);
    // The conversation's own expert, or a beheerder who manages the experts' agendas; decided,
    // like everyone else's access, by the one function (and so in the audit log).
    let leider = rij.as_ref().and_then(|r| r.gespreksleider_id.parse().ok());
    let door_leider = principal.represents.is_none()
        && (principal.has_role("beheerder")
            || principal.has_role("gespreksleider") && leider == Some(principal.persoon_id));
    toegang::beslis_met(
        state,
        principal,
        Actie::GesprekkenPlannen,
        ouder,
        &format!("gesprekken/{id}"),
        &toegang::Relatie {
            gespreksleider: leider,
            ..toegang::Relatie::default()
        },
    )
    .await?;
    let rij = rij.ok_or_else(ApiError::not_found)?;
    if let Some(uitleg) = alleen_leider
        && !door_leider
    {
        return Err(ApiError::new(ProblemType::GeenToegang, uitleg));
    }
    if rij.status != "geboekt" {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Dit gesprek is al geannuleerd of voorbij.",
        ));
    }
    Ok((rij, ouder, door_leider))
}

/// A parent changes a booking only up to the configured time before it; the expert always.
fn te_laat(soort: &Type, rij: &GesprekRij, door_leider: bool) -> Result<(), ApiError> {
    let grens = rij.start_op - soort.wijzigen_vooraf_uren * 3_600_000;
    if door_leider || db::now_ms() <= grens {
        return Ok(());
    }
    Err(ApiError::invalid(vec![FieldError::body(
        "",
        "te-laat",
        format!(
            "Afzeggen of verzetten kan tot {} uur voor het gesprek. Bel ons als het echt niet gaat; dan zoeken we samen een oplossing.",
            soort.wijzigen_vooraf_uren
        ),
    )]))
}

pub async fn annuleer(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    reden: &str,
) -> Result<Gesprek, ApiError> {
    let (mut rij, ouder, door_leider) = wie(state, principal, id, None).await?;
    if let Some(soort) = state.settings.gesprekken.typen.get(&rij.soort) {
        te_laat(soort, &rij, door_leider)?;
    }
    let tx = db::begin_write(&state.db).await?;
    if !store::annuleer(&tx, &rij.id, reden.trim()).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Dit gesprek is al geannuleerd.",
        ));
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(ouder),
        "gesprek-annuleren",
        &format!("gesprekken/{id}"),
        "herstelrechtgesprekken/v1",
    )
    .await?;
    rij.reeks += 1;
    meld(&tx, state, &rij, ics::Methode::Cancel).await?;
    tx.commit().await?;
    state.notify.wek();
    rij.status = "geannuleerd".into();
    rij.reden = Some(reden.trim().to_string());
    toon(state, &rij).await
}

/// Moves a conversation to another free time of the same expert (same UID, SEQUENCE + 1): the
/// parent within the notice rule, the expert always. The reminder moves with it.
pub async fn verplaats(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    v: &Verplaatsing,
) -> Result<Gesprek, ApiError> {
    let (mut rij, ouder, door_leider) = wie(state, principal, id, None).await?;
    let soort = state
        .settings
        .gesprekken
        .typen
        .get(&rij.soort)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("onbekende soort")))?;
    te_laat(soort, &rij, door_leider)?;
    let leider = store::leider(&state.db, rij.gespreksleider_id.parse().unwrap_or_default())
        .await?
        .ok_or_else(ApiError::not_found)?;
    let r: Rooster = serde_json::from_str(&leider.rooster).map_err(ApiError::internal)?;
    let dag = tijden::lokale_dag(v.start);
    let rijen: Vec<GesprekRij> = store::geboekt(
        &state.db,
        &leider.persoon_id,
        (v.start - Duration::days(2)).timestamp_millis(),
        (v.start + Duration::days(2)).timestamp_millis(),
    )
    .await?
    .into_iter()
    .filter(|g| g.id != rij.id)
    .collect();
    let vrij = tijden::tijdsloten(
        &soort.regels(),
        &lees_rooster(&r)?,
        &bezet(state, &rijen),
        dag,
        dag,
        Utc::now(),
    );
    if !vrij.iter().any(|s| s.start == v.start) {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/start",
            "geen-tijdslot",
            "Dit is geen vrij tijdstip van deze gespreksleider (zie GET /v1/tijdsloten).",
        )]));
    }
    rij.start_op = v.start.timestamp_millis();
    rij.eind_op = (v.start + Duration::minutes(soort.duur_min)).timestamp_millis();
    rij.reeks += 1;
    rij.reden = Some(v.reden.trim().to_string());
    let tx = db::begin_write(&state.db).await?;
    if !store::verplaats(
        &tx,
        &rij,
        &tijden::cellen(&tijden::beslag(&soort.regels(), v.start)),
    )
    .await?
    {
        return Err(bezet_fout());
    }
    notify::store::annuleer(&tx, &herinnering_sleutel(&rij.id), db::now_ms()).await?;
    meld(&tx, state, &rij, ics::Methode::Request).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(ouder),
        "gesprek-verplaatsen",
        &format!("gesprekken/{id}"),
        "herstelrechtgesprekken/v1",
    )
    .await?;
    tx.commit().await?;
    state.notify.wek();
    toon(state, &rij).await
}

/// The expert records how it went, after the start; the parent sees the outcome and what was
/// agreed, never the content.
pub async fn rond_af(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    a: &Afronding,
) -> Result<Gesprek, ApiError> {
    let (mut rij, ouder, door_leider) = wie(
        state,
        principal,
        id,
        Some("Alleen de gespreksleider legt vast hoe het gesprek ging."),
    )
    .await?;
    if !door_leider || !principal.has_role("gespreksleider") {
        return Err(ApiError::new(
            ProblemType::GeenToegang,
            "Alleen de gespreksleider legt vast hoe het gesprek ging.",
        ));
    }
    if db::now_ms() < rij.start_op {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Het gesprek is nog niet begonnen.",
        ));
    }
    let afspraken = a
        .afspraken
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let tx = db::begin_write(&state.db).await?;
    if !store::rond_af(&tx, &rij.id, a.uitkomst.code(), afspraken.clone()).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Dit gesprek is al afgerond of geannuleerd.",
        ));
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(ouder),
        "gesprek-afronden",
        &format!("gesprekken/{id}"),
        "herstelrechtgesprekken/v1",
    )
    .await?;
    tx.commit().await?;
    rij.status = a.uitkomst.code().into();
    rij.afspraken = afspraken;
    toon(state, &rij).await
}

/// Gives the conversation, at the same time, to another expert who is free then and offers the
/// form: the conversation's expert or a beheerder. The old expert gets a cancellation, the
/// parent and the new expert the updated invitation.
pub async fn wijs_toe(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    w: &Toewijzing,
) -> Result<Gesprek, ApiError> {
    let (mut rij, ouder, _) = wie(
        state,
        principal,
        id,
        Some("Alleen de gespreksleider of een beheerder geeft een gesprek aan een ander."),
    )
    .await?;
    let soort = state
        .settings
        .gesprekken
        .typen
        .get(&rij.soort)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("onbekende soort")))?;
    let geen = |detail: &str| {
        ApiError::invalid(vec![FieldError::body(
            "/gespreksleider",
            "niet-beschikbaar",
            detail,
        )])
    };
    let nieuw = store::leider(&state.db, w.gespreksleider)
        .await?
        .ok_or_else(|| geen("Deze gespreksleider bestaat niet."))?;
    if nieuw.persoon_id == rij.gespreksleider_id {
        return Err(geen("Het gesprek is al van deze gespreksleider."));
    }
    let r: Rooster = serde_json::from_str(&nieuw.rooster).map_err(ApiError::internal)?;
    if !r.vormen.iter().any(|v| v.code() == rij.vorm) {
        return Err(geen("Deze gespreksleider biedt deze vorm niet aan."));
    }
    let start = db::tijdstip(rij.start_op);
    let dag = tijden::lokale_dag(start);
    let rijen = store::geboekt(
        &state.db,
        &nieuw.persoon_id,
        (start - Duration::days(2)).timestamp_millis(),
        (start + Duration::days(2)).timestamp_millis(),
    )
    .await?;
    // The booking already exists: the notice for new bookings does not apply to handing it over.
    let mut regels = soort.regels();
    regels.min_vooraf_min = 0;
    let vrij = tijden::tijdsloten(
        &regels,
        &lees_rooster(&r)?,
        &bezet(state, &rijen),
        dag,
        dag,
        Utc::now(),
    );
    if !vrij.iter().any(|s| s.start == start) {
        return Err(geen("Deze gespreksleider is dan niet beschikbaar."));
    }
    let oud = rij.clone();
    if rij.vorm == Vorm::OpLocatie.code() {
        // The parent chose a place: the new expert must hold conversations there too.
        let code = rij
            .locatie
            .as_deref()
            .and_then(|l| serde_json::from_str::<Locatie>(l).ok())
            .map(|l| l.code);
        let plek = r
            .locaties
            .iter()
            .find(|l| Some(&l.code) == code.as_ref())
            .ok_or_else(|| geen("Deze gespreksleider houdt geen gesprekken op deze locatie."))?;
        rij.locatie = Some(serde_json::to_string(plek).map_err(ApiError::internal)?);
    }
    rij.gespreksleider_id = nieuw.persoon_id.clone();
    rij.reeks += 1;
    rij.reden = Some(w.reden.trim().to_string());
    let tx = db::begin_write(&state.db).await?;
    if !store::verplaats(&tx, &rij, &tijden::cellen(&tijden::beslag(&regels, start))).await? {
        return Err(bezet_fout());
    }
    let oude_leider = oud.gespreksleider_id.clone();
    let afgezegd = GesprekRij {
        reeks: rij.reeks,
        ..oud
    };
    meld_aan(&tx, state, &afgezegd, ics::Methode::Cancel, &oude_leider).await?;
    meld(&tx, state, &rij, ics::Methode::Request).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(ouder),
        "gesprek-toewijzen",
        &format!("gesprekken/{id}"),
        "herstelrechtgesprekken/v1",
    )
    .await?;
    tx.commit().await?;
    state.notify.wek();
    toon(state, &rij).await
}
