//! The claim's rules: create (one open claim per parent, pinned to the current content), save a
//! step (validated by the engine, recalculated, stored with the calculation), choose per post,
//! and move a draft to new content. Every access goes through the authorisation function first.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::model::*;
use super::store::{self, Rij};
use super::weergave::view;
pub use super::weergave::{aanvraag, schadeposten, status_code};
use crate::AppState;
use crate::db;
use crate::http::etag::{IfMatch, stale};
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self, Actie, Toegang};
use crate::notify::{self, Melding, Soort};
use crate::wizard::calc::bereken_zonder_uitleg;
use crate::wizard::engine::{self, Antwoorden, Opgehaald, Stand, Veldfout};
use crate::wizard::{Inhoud, content};

pub const CONCEPT: &str = "concept";

/// What is stored of a claim, parsed.
#[derive(Debug, Clone, Default)]
pub struct Toestand {
    pub antwoorden: Antwoorden,
    pub keuzes: BTreeMap<String, PostKeuze>,
    pub opgeslagen: BTreeSet<String>,
}

pub(super) fn corrupt(e: serde_json::Error) -> ApiError {
    ApiError::internal(anyhow::anyhow!("opgeslagen aanvraag onleesbaar: {e}"))
}

pub fn lees(rij: &Rij) -> Result<Toestand, ApiError> {
    Ok(Toestand {
        antwoorden: serde_json::from_str(&rij.antwoorden).map_err(corrupt)?,
        keuzes: serde_json::from_str(&rij.keuzes).map_err(corrupt)?,
        opgeslagen: serde_json::from_str(&rij.opgeslagen_stappen).map_err(corrupt)?,
    })
}

/// The confirmed government data that prefills the claim ([E], `gegevens::vulling`).
pub(super) fn opgehaald(rij: &Rij) -> Opgehaald {
    serde_json::from_str(&rij.opgehaald).unwrap_or_else(|e| {
        tracing::error!(aanvraag = %rij.id, fout = %e, "opgehaalde gegevens van aanvraag onleesbaar");
        Opgehaald::default()
    })
}

/// Puts the parent's current consents and confirmed data into their draft claim (`db` is the
/// change's transaction). A confirmed datum replaces what the parent typed for its questions;
/// returns the questions that lost their retrieved answer, so the parent can be told.
pub async fn vul_opgehaald_in(
    db: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    toegang: &Toegang,
    vulling: &Opgehaald,
) -> Result<Vec<String>, ApiError> {
    let Some(mut rij) = store::open_van(db, toegang).await? else {
        return Ok(Vec::new());
    };
    let oud = opgehaald(&rij);
    if rij.status != CONCEPT || &oud == vulling {
        return Ok(Vec::new());
    }
    let inhoud = inhoud_van(state, &rij.inhoud_versie)?;
    let mut t = lees(&rij)?;
    for vraag in vulling.waarden.keys() {
        t.antwoorden.remove(vraag);
    }
    rij.opgehaald = to_json(vulling)?;
    let vorige = rij.versie;
    bewaar(&mut rij, &inhoud, &t, None)?;
    if !store::werk_bij(db, toegang, vorige, &rij).await? {
        return Err(ApiError::new(
            ProblemType::TijdelijkNietBeschikbaar,
            "Uw aanvraag werd net tegelijk gewijzigd. Probeer het opnieuw.",
        ));
    }
    Ok(oud
        .waarden
        .keys()
        .filter(|k| !vulling.waarden.contains_key(*k))
        .cloned()
        .collect())
}

fn inhoud_van(state: &AppState, versie: &str) -> Result<Arc<Inhoud>, ApiError> {
    state.inhoud.get(versie).cloned().ok_or_else(|| {
        ApiError::internal(anyhow::anyhow!(
            "inhoudsversie {versie} ontbreekt op deze server"
        ))
    })
}

/// Recalculates (from `stand` when the caller already has it), serialises everything that is
/// stored, and returns the claim as the parent will see it: one pass of the engine per change.
fn bewaar(
    rij: &mut Rij,
    inhoud: &Inhoud,
    t: &Toestand,
    stand: Option<Stand>,
) -> Result<Aanvraag, ApiError> {
    let stand = stand.unwrap_or_else(|| engine::stand(inhoud, &t.antwoorden, &opgehaald(rij)));
    let berekening = bereken_zonder_uitleg(inhoud, &stand, &opgehaald(rij));
    rij.antwoorden = to_json(&t.antwoorden)?;
    rij.keuzes = to_json(&t.keuzes)?;
    rij.opgeslagen_stappen = to_json(&t.opgeslagen)?;
    rij.berekening = to_json(&berekening)?;
    rij.gewijzigd_op = crate::db::now_ms();
    Ok(view(rij, inhoud, t, &stand, berekening.totaal))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(ApiError::internal)
}

/// Authorises `actie` on claim `id`; 404 when it does not exist or is not yours.
pub async fn toegang(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    actie: Actie,
) -> Result<Toegang, ApiError> {
    let eigenaar = super::behandeling::eigenaar_en_behandelaar(&state.db, id).await?;
    // An unknown id is decided against the principal themself, so it is audited like a refusal
    // and answers the same 404 as someone else's claim.
    let ouder = eigenaar.map_or_else(Uuid::nil, |(o, _)| o);
    let relatie = toegang::Relatie {
        toegewezen_behandelaar: eigenaar.and_then(|(_, b)| b),
        ..toegang::Relatie::default()
    };
    let t = toegang::beslis_met(
        state,
        principal,
        actie,
        ouder,
        &format!("aanvragen/{id}"),
        &relatie,
    )
    .await?;
    if eigenaar.is_none() {
        return Err(ApiError::not_found());
    }
    Ok(t)
}

pub async fn laad(
    state: &AppState,
    toegang: &Toegang,
    id: Uuid,
) -> Result<(Rij, Arc<Inhoud>), ApiError> {
    let rij = store::laad(&state.db, toegang, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let inhoud = inhoud_van(state, &rij.inhoud_versie)?;
    Ok((rij, inhoud))
}

/// A new claim for the parent themself, on the current content.
pub async fn maak(state: &AppState, principal: &Principal) -> Result<(Rij, Aanvraag), ApiError> {
    toegang::vereis_rol(state, principal, &["ouder"], "aanvraag-aanmaken").await?;
    let t = toegang::beslis(
        state,
        principal,
        Actie::AanvraagWijzigen,
        principal.persoon_id,
        "aanvragen",
    )
    .await?;
    let inhoud = state.inhoud.actueel().clone();
    let now = chrono::Utc::now().timestamp_millis();
    let mut rij = Rij {
        id: Uuid::now_v7().to_string(),
        ouder_id: t.ouder().to_string(),
        open_sleutel: None,
        status: CONCEPT.into(),
        inhoud_versie: inhoud.versie().to_string(),
        versie: 1,
        antwoorden: String::new(),
        keuzes: String::new(),
        opgeslagen_stappen: String::new(),
        berekening: String::new(),
        opgehaald: String::new(),
        aangemaakt_op: now,
        gewijzigd_op: now,
    };
    let tx = db::begin_write(&state.db).await?;
    // Data the parent retrieved and confirmed before starting prefills the new claim at once.
    rij.opgehaald = to_json(&crate::gegevens::service::vulling_van(&tx, &t).await?)?;
    let view = bewaar(&mut rij, &inhoud, &Toestand::default(), None)?;
    if let Some(open) = store::open_van(&tx, &t).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            format!(
                "U heeft al een open aanvraag ({}). Ga daarmee verder.",
                open.id
            ),
        ));
    }
    let rij = store::voeg_toe(&tx, &t, rij).await?;
    store::voeg_overgang_toe(
        &tx,
        super::indiening::overgang(
            &rij.id,
            None,
            super::levensloop::Status::Concept,
            principal,
            super::levensloop::Wie::Ouder,
            None,
            now,
        ),
    )
    .await?;
    let mut gestart = Melding::new(t.ouder(), Soort::AanvraagGestart);
    gestart.verwijzing = Some(format!("/v1/aanvragen/{}", rij.id));
    notify::meld(&tx, &state.notify, gestart).await?;
    let mut herinnering = Melding::new(t.ouder(), Soort::AanvraagHerinnering);
    herinnering.verwijzing = Some(format!("/v1/aanvragen/{}", rij.id));
    herinnering.niet_voor = Some(herinnering_op(state, now));
    herinnering.sleutel = Some(herinnering_sleutel(&rij.id));
    notify::meld(&tx, &state.notify, herinnering).await?;
    tx.commit().await?;
    state.notify.wek();
    Ok((rij, view))
}

/// The reminder about an unfinished claim: `herinnering_na_dagen` after its last change.
fn herinnering_op(state: &AppState, now: i64) -> i64 {
    now + i64::from(state.settings.notify.herinnering_na_dagen) * 86_400_000
}

pub(super) fn herinnering_sleutel(aanvraag: &str) -> String {
    format!("aanvraag-herinnering:{aanvraag}")
}

fn veldfouten(fouten: Vec<Veldfout>) -> ApiError {
    ApiError::invalid(
        fouten
            .into_iter()
            .map(|f| {
                let path: String = std::iter::once("antwoorden".to_string())
                    .chain(f.pad)
                    .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
                    .collect();
                FieldError::body(&path, f.code, f.melding.nl())
            })
            .collect(),
    )
}

/// Writes `rij` (already changed) when its version still matches; 412 otherwise.
async fn schrijf(
    state: &AppState,
    toegang: &Toegang,
    vorige: i64,
    rij: &Rij,
) -> Result<(), ApiError> {
    let tx = db::begin_write(&state.db).await?;
    if !store::werk_bij(&tx, toegang, vorige, rij).await? {
        return Err(stale(vorige + 1));
    }
    // Every change moves the reminder: it is about a claim left alone, not one in progress.
    let now = db::now_ms();
    notify::store::verschuif(
        &tx,
        &herinnering_sleutel(&rij.id),
        now,
        herinnering_op(state, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn open(rij: &Rij) -> Result<(), ApiError> {
    if rij.status != CONCEPT {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Deze aanvraag is geen concept meer (ingediend of ingetrokken) en kan niet meer worden gewijzigd.",
        ));
    }
    Ok(())
}

pub async fn sla_stap_op(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    stap: &str,
    if_match: &IfMatch,
    antwoorden: &Map<String, Value>,
) -> Result<(Rij, Aanvraag), ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagWijzigen).await?;
    let (mut rij, inhoud) = laad(state, &t, id).await?;
    if !inhoud.vragenlijst.stappen.iter().any(|s| s.id == stap) {
        return Err(ApiError::not_found());
    }
    let vorige = rij.versie;
    if_match.check(vorige)?;
    open(&rij)?;
    let mut toestand = lees(&rij)?;
    let (antwoorden, stand) = engine::sla_stap_op(
        &inhoud,
        &toestand.antwoorden,
        &opgehaald(&rij),
        stap,
        antwoorden,
    )
    .map_err(veldfouten)?;
    toestand.antwoorden = antwoorden;
    toestand.opgeslagen.insert(stap.to_string());
    let view = bewaar(&mut rij, &inhoud, &toestand, Some(stand))?;
    schrijf(state, &t, vorige, &rij).await?;
    if principal.represents.is_some() {
        // What a gemachtigde changed, per step, for the parent's transparency view ([F]).
        crate::audit::gelukt(
            &state.db,
            &state.vault,
            principal,
            Some(t.ouder()),
            "aanvraag-wijzigen",
            &format!("aanvragen/{id}/stappen/{stap}"),
            "aanvraag-wijzigen/v1",
        )
        .await?;
    }
    rij.versie = vorige + 1;
    Ok((rij, view))
}

pub async fn kies(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    post_id: &str,
    if_match: &IfMatch,
    verzoek: &PostKeuzeVerzoek,
) -> Result<Rij, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagWijzigen).await?;
    let (mut rij, inhoud) = laad(state, &t, id).await?;
    let Some(post) = inhoud.kader.posten.iter().find(|p| p.id == post_id) else {
        return Err(ApiError::not_found());
    };
    let vorige = rij.versie;
    if_match.check(vorige)?;
    open(&rij)?;
    let keuze = match verzoek.keuze {
        Keuze::Forfaitair => PostKeuze {
            keuze: Keuze::Forfaitair,
            bedrag: None,
            toelichting: None,
            beoordeling_nodig: false,
        },
        Keuze::Maatwerk => {
            let mut errors = Vec::new();
            if !post.maatwerk_mogelijk {
                errors.push(FieldError::body(
                    "/keuze",
                    "niet-mogelijk",
                    "Voor deze post is geen eigen berekening mogelijk.",
                ));
            }
            if verzoek.bedrag.is_none() {
                errors.push(FieldError::body(
                    "/bedrag",
                    "required",
                    "Vul bij maatwerk het bedrag in (in centen).",
                ));
            }
            if verzoek
                .toelichting
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
            {
                errors.push(FieldError::body(
                    "/toelichting",
                    "required",
                    "Leg bij maatwerk uit hoe de schade samenhangt met de affaire.",
                ));
            }
            if !errors.is_empty() {
                return Err(ApiError::invalid(errors));
            }
            PostKeuze {
                keuze: Keuze::Maatwerk,
                bedrag: verzoek.bedrag,
                toelichting: verzoek.toelichting.clone(),
                beoordeling_nodig: true,
            }
        }
    };
    let mut toestand = lees(&rij)?;
    toestand.keuzes.insert(post_id.to_string(), keuze);
    bewaar(&mut rij, &inhoud, &toestand, None)?;
    schrijf(state, &t, vorige, &rij).await?;
    rij.versie = vorige + 1;
    Ok(rij)
}

/// Moves a draft to `naar`: answers to questions that no longer exist, or no longer fit their
/// question, are dropped and reported; the rest carries over. Audited as a change.
pub async fn migreer(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    if_match: &IfMatch,
    naar: &str,
) -> Result<(Rij, Inhoudsmigratie), ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagWijzigen).await?;
    let (mut rij, _) = laad(state, &t, id).await?;
    let Some(nieuw) = state.inhoud.get(naar).cloned() else {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/naarVersie",
            "enum",
            "Deze inhoudsversie bestaat niet.",
        )]));
    };
    let vorige = rij.versie;
    if_match.check(vorige)?;
    open(&rij)?;
    let van = rij.inhoud_versie.clone();
    let mut toestand = lees(&rij)?;
    let mut vervallen = Vec::new();
    toestand.antwoorden.retain(|vraag_id, waarde| {
        let fits = nieuw.vraag(vraag_id).is_some_and(|q: &content::Vraag| {
            let mut fouten = Vec::new();
            crate::wizard::validate::valideer(q, waarde, &mut fouten);
            fouten.is_empty()
        });
        if !fits {
            vervallen.push(vraag_id.clone());
        }
        fits
    });
    toestand
        .keuzes
        .retain(|post, _| nieuw.kader.posten.iter().any(|p| &p.id == post));
    rij.inhoud_versie = nieuw.versie().to_string();
    let aanvraag = bewaar(&mut rij, &nieuw, &toestand, None)?;
    schrijf(state, &t, vorige, &rij).await?;
    rij.versie = vorige + 1;
    Ok((
        rij,
        Inhoudsmigratie {
            van_versie: van,
            naar_versie: nieuw.versie().to_string(),
            vervallen_antwoorden: vervallen,
            aanvraag,
        },
    ))
}
