//! Booking a conversation: once per Idempotency-Key, at most the configured number of upcoming
//! conversations per parent, and only a time that is free at that moment. The database's
//! occupancy cells settle any race; a loser that queued behind the winner's lock tries again, so
//! it hears the real outcome (409: taken) rather than "busy".

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{Duration, Utc};
use uuid::Uuid;

use super::ics;
use super::model::*;
use super::rooster::lees_rooster;
use super::service::{bezet, meld, soort, toon};
use super::store::{self, GesprekRij};
use super::tijden;
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::idempotency::{self, Begin, Claim, IdempotencyKey, Scope, StoredResponse};
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self, Actie};

pub(super) fn bezet_fout() -> ApiError {
    ApiError::new(
        ProblemType::Conflict,
        "Dit tijdstip is net door iemand anders geboekt. Kies een ander tijdstip.",
    )
}

fn al_gepland() -> ApiError {
    ApiError::new(
        ProblemType::Conflict,
        "U heeft al een gesprek gepland. Verzet of annuleer dat eerst.",
    )
}

/// The location a booking `op-locatie` names, checked against the expert's list; none for the
/// other forms.
pub(super) fn locatie_van(
    r: &Rooster,
    vorm: Vorm,
    code: Option<&str>,
) -> Result<Option<Locatie>, ApiError> {
    let fout = |code: &str, detail: &str| {
        ApiError::invalid(vec![FieldError::body("/locatie", code, detail)])
    };
    match (vorm, code) {
        (Vorm::OpLocatie, None) => Err(fout(
            "verplicht",
            "Kies een locatie van deze gespreksleider (zie locaties bij GET /v1/tijdsloten).",
        )),
        (Vorm::OpLocatie, Some(code)) => r
            .locaties
            .iter()
            .find(|l| l.code == code)
            .cloned()
            .map(Some)
            .ok_or_else(|| {
                fout(
                    "onbekend",
                    "Deze gespreksleider heeft geen locatie met deze code.",
                )
            }),
        (_, Some(_)) => Err(fout(
            "niet-toegestaan",
            "Een locatie hoort alleen bij de vorm op-locatie.",
        )),
        (_, None) => Ok(None),
    }
}

pub async fn boek(
    state: &AppState,
    principal: &Principal,
    key: &IdempotencyKey,
    fingerprint: &str,
    b: &Boeking,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(state, principal, &["ouder", "advocaat"], "gesprek-boeken").await?;
    let ouder = principal.represents.unwrap_or(principal.persoon_id);
    let t = db::opnieuw_bij_drukte(|| {
        toegang::beslis(
            state,
            principal,
            Actie::GesprekkenPlannen,
            ouder,
            "gesprekken",
        )
    })
    .await?;
    state.limits.gevoelig("boeking", principal.persoon_id)?;
    let scope = Scope {
        principal: format!("{}:{ouder}", principal.persoon_id),
        operation: "gesprek.boeken",
    };
    let begin = db::opnieuw_bij_drukte(|| {
        idempotency::begin(
            &state.db,
            &state.settings.idempotency,
            &scope,
            key,
            fingerprint,
        )
    })
    .await?;
    let claim = match begin {
        Begin::Replay(response) => return Ok(response),
        Begin::Proceed(claim) => claim,
    };
    let result = db::opnieuw_bij_drukte(|| poging(state, principal, t.ouder(), b, &claim)).await;
    if result.is_err() {
        claim.release(&state.db).await;
    }
    result
}

/// One attempt; safe to repeat, as a busy database wrote nothing.
async fn poging(
    state: &AppState,
    principal: &Principal,
    ouder: Uuid,
    b: &Boeking,
    claim: &Claim,
) -> Result<HttpResponse, ApiError> {
    let soort = soort(
        state,
        &b.soort,
        FieldError::body(
            "/soort",
            "enum",
            "Onbekende soort gesprek; zie GET /v1/gesprekstypen.",
        ),
    )?;
    let leider = store::leider(&state.db, b.gespreksleider)
        .await?
        .ok_or_else(|| {
            ApiError::invalid(vec![FieldError::body(
                "/gespreksleider",
                "onbekend",
                "Deze gespreksleider bestaat niet.",
            )])
        })?;
    let r: Rooster = serde_json::from_str(&leider.rooster).map_err(ApiError::internal)?;
    if !r.vormen.contains(&b.vorm) {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/vorm",
            "vorm",
            "Deze gespreksleider biedt deze vorm niet aan.",
        )]));
    }
    if let Some(taal) = &b.voorkeuren.taal
        && !r.talen.contains(taal)
    {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/voorkeuren/taal",
            "taal",
            format!(
                "Deze gespreksleider spreekt {}; kies een andere gespreksleider (zie GET /v1/tijdsloten?taal=…).",
                r.talen.join(", ")
            ),
        )]));
    }
    let locatie = locatie_van(&r, b.vorm, b.locatie.as_deref())?;
    let rooster = lees_rooster(&r)?;
    let dag = tijden::lokale_dag(b.start);
    let nu = Utc::now();
    let rijen = store::geboekt(
        &state.db,
        &leider.persoon_id,
        (b.start - Duration::days(2)).timestamp_millis(),
        (b.start + Duration::days(2)).timestamp_millis(),
    )
    .await?;
    let vrij = tijden::tijdsloten(
        &soort.regels(),
        &rooster,
        &bezet(state, &rijen),
        dag,
        dag,
        nu,
    );
    if !vrij.iter().any(|s| s.start == b.start) {
        return Err(
            if rijen
                .iter()
                .any(|g| g.start_op == b.start.timestamp_millis())
            {
                bezet_fout()
            } else {
                ApiError::invalid(vec![FieldError::body(
                    "/start",
                    "geen-tijdslot",
                    "Dit is geen vrij tijdstip van deze gespreksleider (zie GET /v1/tijdsloten).",
                )])
            },
        );
    }
    let max_komend = state.settings.gesprekken.max_komend_per_ouder as u64;
    if store::komend_van_ouder(&state.db, ouder, nu.timestamp_millis()).await? >= max_komend {
        return Err(al_gepland());
    }
    let beslag = tijden::beslag(&soort.regels(), b.start);
    let rij = GesprekRij {
        id: Uuid::now_v7().to_string(),
        ouder_id: ouder.to_string(),
        gespreksleider_id: leider.persoon_id.clone(),
        soort: b.soort.clone(),
        vorm: b.vorm.code().into(),
        start_op: b.start.timestamp_millis(),
        eind_op: (b.start + Duration::minutes(soort.duur_min)).timestamp_millis(),
        status: "geboekt".into(),
        voorkeuren: serde_json::to_string(&b.voorkeuren).map_err(ApiError::internal)?,
        geboekt_door: principal.persoon_id.to_string(),
        reden: None,
        afspraken: None,
        reeks: 0,
        aangemaakt_op: db::now_ms(),
        locatie: locatie
            .map(|l| serde_json::to_string(&l))
            .transpose()
            .map_err(ApiError::internal)?,
    };
    let tx = db::begin_write(&state.db).await?;
    // Counted again under the parent's lock: parallel bookings with different keys cannot pass
    // the limit (the count above only spares a write in the common case).
    db::vergrendel(&tx, &format!("gesprekken:{ouder}")).await?;
    if store::komend_van_ouder(&tx, ouder, nu.timestamp_millis()).await? >= max_komend {
        return Err(al_gepland());
    }
    if !store::boek(&tx, rij.clone(), &tijden::cellen(&beslag)).await? {
        return Err(bezet_fout());
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(ouder),
        "gesprek-boeken",
        &format!("gesprekken/{}", rij.id),
        "herstelrechtgesprekken/v1",
    )
    .await?;
    meld(&tx, state, &rij, ics::Methode::Request).await?;
    let stored = StoredResponse::json(StatusCode::CREATED, &toon(state, &rij).await?);
    claim.complete(&tx, &stored).await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(stored.to_response())
}
