//! The rules of evidence: who may add, read and delete (the one authorisation function), in
//! which statuses, how many, how large; the file is checked by content and scanned before it is
//! stored, and an upload is done once per Idempotency-Key.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::model::*;
use super::scan::Uitslag;
use super::soort::{self, Bestandssoort};
use super::store::{self, BewijsRij};
use crate::AppState;
use crate::audit;
use crate::claims::levensloop::Status;
use crate::claims::service::{laad, toegang};
use crate::db;
use crate::http::idempotency::{self, Begin, IdempotencyKey, Scope, StoredResponse};
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::Actie;

fn toon(rij: &BewijsRij) -> Bewijsstuk {
    let soort = Bestandssoort::parse(&rij.soort).unwrap_or(Bestandssoort::Pdf);
    Bewijsstuk {
        id: rij.id.parse().unwrap_or_default(),
        betreft: rij.post_id.clone(),
        bestandsnaam: rij.bestandsnaam.clone(),
        soort,
        mediatype: soort.mediatype().into(),
        grootte: rij.grootte,
        sha256: rij.sha256.clone(),
        scan: rij.scan.clone(),
        geupload_op: db::tijdstip(rij.geupload_op),
        inhoud: format!(
            "/v1/aanvragen/{}/bewijsstukken/{}/inhoud",
            rij.aanvraag_id, rij.id
        ),
    }
}

/// A parent adds evidence while the claim is a draft, and later when the behandelaar asks for
/// it (submitted, being handled, or after a rejected offer); not once it is settled or closed.
fn toevoegen_kan(status: Status) -> bool {
    matches!(
        status,
        Status::Concept | Status::Ingediend | Status::InBehandeling | Status::NietAkkoord
    )
}

pub struct Upload<'a> {
    pub inhoud: Bytes,
    pub betreft: Option<&'a str>,
    pub bestandsnaam: Option<&'a str>,
}

pub async fn voeg_toe(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    key: &IdempotencyKey,
    upload: Upload<'_>,
) -> Result<HttpResponse, ApiError> {
    let t = toegang(state, principal, id, Actie::BewijsToevoegen).await?;
    state.limits.gevoelig("upload", principal.persoon_id)?;
    let mut hasher = Sha256::new();
    hasher.update(&upload.inhoud);
    let sha256 = hex::encode(hasher.finalize());
    // The stored fingerprint is one SHA-256: of the file, the post and the name together.
    let mut hasher = Sha256::new();
    for deel in [
        sha256.as_str(),
        upload.betreft.unwrap_or(""),
        upload.bestandsnaam.unwrap_or(""),
    ] {
        hasher.update(deel.as_bytes());
        hasher.update([0u8]);
    }
    let fingerprint = hex::encode(hasher.finalize());
    let scope = Scope {
        principal: format!("{}:{id}", principal.persoon_id),
        operation: "bewijsstuk.toevoegen",
    };
    let claim = match idempotency::begin(
        &state.db,
        &state.settings.idempotency,
        &scope,
        key,
        &fingerprint,
    )
    .await?
    {
        Begin::Replay(response) => return Ok(response),
        Begin::Proceed(claim) => claim,
    };
    let result = async {
        let (rij, inhoud) = laad(state, &t, id).await?;
        let Some(soort) = soort::herken(&upload.inhoud) else {
            return Err(ApiError::invalid(vec![FieldError::body(
                "",
                "bestandstype",
                "Dit bestand is geen foto (JPEG, PNG, HEIC) of PDF. Maak een foto of scan van het document.",
            )]));
        };
        if let Some(post) = upload.betreft
            && !inhoud.kader.posten.iter().any(|p| p.id == post)
        {
            return Err(ApiError::invalid(vec![FieldError::parameter(
                "betreft",
                "onbekende-post",
                format!("Schadepost '{post}' bestaat niet."),
            )]));
        }
        let status = Status::parse(&rij.status).unwrap_or(Status::Concept);
        if !toevoegen_kan(status) {
            return Err(ApiError::new(
                ProblemType::Conflict,
                format!(
                    "Bij een aanvraag met status '{}' kunt u geen bewijs meer toevoegen.",
                    status.code()
                ),
            ));
        }
        let max = state.settings.bewijs.max_per_aanvraag;
        if store::aantal(&state.db, id).await? >= u64::from(max) {
            return Err(ApiError::new(
                ProblemType::Conflict,
                format!("Er zijn al {max} bewijsstukken bij deze aanvraag; verwijder er eerst een."),
            ));
        }
        let scan = state
            .bewijs
            .scanner
            .scan(&upload.inhoud)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "virusscanner niet bereikbaar");
                ApiError::new(
                    ProblemType::TijdelijkNietBeschikbaar,
                    "De virusscan werkt nu niet. Er is niets opgeslagen; probeer het over enkele minuten opnieuw.",
                )
            })?;
        if let Uitslag::Besmet(naam) = &scan {
            tracing::warn!(virus = %naam, "besmet bewijsstuk geweigerd");
            return Err(ApiError::invalid(vec![FieldError::body(
                "",
                "virus",
                "In dit bestand is een virus gevonden. Het is niet opgeslagen.",
            )]));
        }
        let bewijs_id = Uuid::now_v7();
        let sleutel = format!("aanvragen/{id}/{bewijs_id}");
        let nieuw = BewijsRij {
            id: bewijs_id.to_string(),
            aanvraag_id: id.to_string(),
            post_id: upload.betreft.map(str::to_string),
            bestandsnaam: soort::veilige_naam(upload.bestandsnaam, soort),
            soort: soort.code().into(),
            grootte: i64::try_from(upload.inhoud.len()).unwrap_or(i64::MAX),
            sha256,
            opslag_sleutel: sleutel.clone(),
            scan: scan.code().into(),
            geupload_door: principal.persoon_id.to_string(),
            geupload_op: db::now_ms(),
        };
        state
            .bewijs
            .opslag
            .bewaar(&sleutel, upload.inhoud.clone())
            .await
            .map_err(ApiError::internal)?;
        let vastgelegd = async {
            let tx = db::begin_write(&state.db).await?;
            // Counted again under the claim's lock: parallel uploads cannot pass the limit.
            db::vergrendel(&tx, &format!("bewijs:{id}")).await?;
            if store::aantal(&tx, id).await? >= u64::from(max) {
                return Err(ApiError::new(
                    ProblemType::Conflict,
                    format!("Er zijn al {max} bewijsstukken bij deze aanvraag; verwijder er eerst een."),
                ));
            }
            store::voeg_toe(&tx, nieuw.clone()).await?;
            audit::gelukt(
                &tx,
                &state.vault,
                principal,
                Some(t.ouder()),
                "bewijsstuk-toevoegen",
                &format!("aanvragen/{id}/bewijsstukken/{bewijs_id}"),
                "aanvraag-wijzigen/v1",
            )
            .await?;
            let stored = StoredResponse::json(StatusCode::CREATED, &toon(&nieuw));
            claim.complete(&tx, &stored).await?;
            tx.commit().await?;
            Ok::<_, ApiError>(stored)
        }
        .await;
        match vastgelegd {
            Ok(stored) => Ok(stored.to_response()),
            Err(e) => {
                // Nothing half-stored: the row did not land, so the file goes too.
                if let Err(err) = state.bewijs.opslag.verwijder(&sleutel).await {
                    tracing::error!(error = %err, "bestand van mislukte upload niet verwijderd");
                }
                Err(e)
            }
        }
    }
    .await;
    if result.is_err() {
        claim.release(&state.db).await;
    }
    result
}

pub async fn lijst(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Bewijsstukken, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagInzien).await?;
    laad(state, &t, id).await?;
    let rows = store::van_aanvraag(&state.db, id).await?;
    Ok(Bewijsstukken {
        resultaten: rows.iter().map(toon).collect(),
    })
}

/// The file, with its kind and a safe name.
pub async fn inhoud(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    bewijs: Uuid,
) -> Result<(Bewijsstuk, Bytes), ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagInzien).await?;
    laad(state, &t, id).await?;
    let rij = store::een(&state.db, id, bewijs)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let bytes = state
        .bewijs
        .opslag
        .lees(&rij.opslag_sleutel)
        .await
        .map_err(ApiError::internal)?;
    Ok((toon(&rij), bytes))
}

/// Deleting is for drafts: once submitted, the evidence is part of what was assessed.
pub async fn verwijder(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    bewijs: Uuid,
) -> Result<(), ApiError> {
    let t = toegang(state, principal, id, Actie::BewijsToevoegen).await?;
    let (rij, _) = laad(state, &t, id).await?;
    let stuk = store::een(&state.db, id, bewijs)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if Status::parse(&rij.status) != Some(Status::Concept) {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Na indienen hoort dit bewijs bij wat wordt beoordeeld en kan het niet meer worden verwijderd.",
        ));
    }
    let tx = db::begin_write(&state.db).await?;
    if !store::verwijder(&tx, &stuk.id).await? {
        return Err(ApiError::not_found());
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "bewijsstuk-verwijderen",
        &format!("aanvragen/{id}/bewijsstukken/{bewijs}"),
        "aanvraag-wijzigen/v1",
    )
    .await?;
    tx.commit().await?;
    if let Err(e) = state.bewijs.opslag.verwijder(&stuk.opslag_sleutel).await {
        tracing::error!(error = %e, "bestand van verwijderd bewijsstuk blijft staan");
    }
    Ok(())
}
