//! Assessment by the assigned behandelaar: a decision per post (accept or adjust with a reason),
//! questions to the parent and the parent's answers, referral to the committee for complex
//! damage, and the payment status after a settlement. Every change is audited and decided on the
//! row as it is inside the transaction.

use std::sync::Arc;

use uuid::Uuid;

use super::afwikkeling::{self, Besluit, PostBesluit};
use super::afwikkeling_model::*;
use super::afwikkeling_store::{self as opslag, BeoordelingRij, VraagRij};
use super::indiening::overgang;
use super::levensloop::{self, Status, Wie};
use super::service::{laad, toegang};
use super::store::{self, IndieningRij, Rij};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self as regels, Actie, Toegang};
use crate::notify::{self, Melding, Soort};
use crate::wizard::Inhoud;
use crate::wizard::calc::Berekening;

/// A submitted claim with its frozen calculation.
pub(super) struct Bevroren {
    pub rij: Rij,
    pub berekening: Berekening,
    pub inhoud: Arc<Inhoud>,
}

impl Bevroren {
    pub fn status(&self) -> Status {
        Status::parse(&self.rij.status).unwrap_or(Status::Concept)
    }

    pub fn naam(&self, post: &str) -> String {
        self.inhoud
            .kader
            .posten
            .iter()
            .find(|p| p.id == post)
            .map_or_else(|| post.to_string(), |p| p.naam.nl().to_string())
    }
}

pub(super) async fn bevroren(
    state: &AppState,
    t: &Toegang,
    id: Uuid,
) -> Result<Bevroren, ApiError> {
    let (rij, inhoud) = laad(state, t, id).await?;
    // Access is settled by now: a claim that exists but was never submitted is a state, not
    // an unknown thing (409, not 404).
    let indiening: IndieningRij = store::indiening_van(&state.db, t, &rij.id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                crate::http::ProblemType::Conflict,
                "Deze aanvraag is nog niet ingediend.",
            )
        })?;
    let berekening = serde_json::from_str(&indiening.berekening).map_err(ApiError::internal)?;
    Ok(Bevroren {
        rij,
        berekening,
        inhoud,
    })
}

/// Staff access to a claim: the behandelaar role (403 otherwise), then the assignment (404).
pub(super) async fn als_behandelaar(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    functie: &str,
) -> Result<Toegang, ApiError> {
    regels::vereis_rol(state, principal, &["behandelaar"], functie).await?;
    toegang(state, principal, id, Actie::AanvraagBeoordelen).await
}

pub(super) fn conflict(detail: impl Into<String>) -> ApiError {
    ApiError::new(ProblemType::Conflict, detail)
}

/// Moves the claim from `b`'s status to `naar` inside `tx`, if the lifecycle allows it and the
/// claim did not change since it was read, and records the transition.
#[allow(clippy::too_many_arguments)]
pub(super) async fn verplaats(
    tx: &impl sea_orm::ConnectionTrait,
    t: &Toegang,
    rij: &Rij,
    naar: Status,
    principal: &Principal,
    wie: Wie,
    reden: Option<String>,
    now: i64,
) -> Result<(), ApiError> {
    let van = Status::parse(&rij.status).unwrap_or(Status::Concept);
    if !levensloop::mag(van, naar, wie) {
        return Err(conflict(format!(
            "Een aanvraag met status '{}' kan niet naar '{}'.",
            van.code(),
            naar.code()
        )));
    }
    if !store::zet_status(tx, t, &rij.id, rij.versie, naar.code(), naar.open(), now).await? {
        return Err(conflict(
            "De aanvraag is intussen gewijzigd. Haal haar opnieuw op.",
        ));
    }
    store::voeg_overgang_toe(
        tx,
        overgang(&rij.id, Some(van), naar, principal, wie, reden, now),
    )
    .await?;
    Ok(())
}

pub(super) fn besluiten(rows: &[BeoordelingRij]) -> Vec<PostBesluit> {
    rows.iter()
        .filter_map(|r| {
            Some(PostBesluit {
                post: r.post_id.clone(),
                besluit: Besluit::parse(&r.besluit)?,
                bedrag: r.bedrag,
                reden: r.reden.clone(),
            })
        })
        .collect()
}

fn beoordelen_kan(status: Status) -> Result<(), ApiError> {
    if matches!(status, Status::InBehandeling | Status::NietAkkoord) {
        Ok(())
    } else {
        Err(conflict(format!(
            "Een aanvraag met status '{}' kan nu niet worden beoordeeld. Wijs haar eerst toe.",
            status.code()
        )))
    }
}

pub async fn beoordeling(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Beoordeling, ApiError> {
    let t = als_behandelaar(state, principal, id, "aanvraag-beoordelen").await?;
    let b = bevroren(state, &t, id).await?;
    let rows = opslag::beoordelingen(&state.db, id).await?;
    let (_, open) = afwikkeling::aanbodregels(&b.berekening, &besluiten(&rows));
    let resultaten = b
        .berekening
        .posten
        .iter()
        .map(|p| {
            let r = rows.iter().find(|r| r.post_id == p.id);
            Postbeoordeling {
                id: p.id.clone(),
                naam: b.naam(&p.id),
                berekende_status: super::weergave::status_code(p.status).into(),
                berekend: p.bedrag,
                forfaitair: p.forfaitair_bedrag,
                besluit: r.and_then(|r| Besluit::parse(&r.besluit)),
                bedrag: r.map(|r| r.bedrag),
                reden: r.and_then(|r| r.reden.clone()),
                op: r.map(|r| db::tijdstip(r.op)),
            }
        })
        .collect();
    Ok(Beoordeling {
        resultaten,
        nog_te_beoordelen: open,
    })
}

/// Accept or adjust one post. Only while the claim is being handled and no offer waits for a
/// second behandelaar (that offer was made from the decisions as they were).
pub async fn beoordeel_post(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    post: &str,
    verzoek: &PostbeoordelingVerzoek,
) -> Result<Postbeoordeling, ApiError> {
    let t = als_behandelaar(state, principal, id, "aanvraag-beoordelen").await?;
    let b = bevroren(state, &t, id).await?;
    let uitkomst = b
        .berekening
        .posten
        .iter()
        .find(|p| p.id == post)
        .ok_or_else(ApiError::not_found)?;
    let reden = verzoek
        .reden
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mut fouten = Vec::new();
    match verzoek.besluit {
        Besluit::Aangepast => {
            if verzoek.bedrag.is_none() {
                fouten.push(FieldError::body(
                    "/bedrag",
                    "required",
                    "Geef het aangepaste bedrag in centen.",
                ));
            }
            if reden.is_none() {
                fouten.push(FieldError::body(
                    "/reden",
                    "required",
                    "Leg uit waarom het bedrag anders is; de ouder leest dit.",
                ));
            }
        }
        Besluit::Geaccepteerd if verzoek.bedrag.is_some() => fouten.push(FieldError::body(
            "/bedrag",
            "niet-bij-accepteren",
            "Bij accepteren geldt het bedrag van de berekening; kies 'aangepast' voor een ander bedrag.",
        )),
        Besluit::Geaccepteerd => {}
    }
    if !fouten.is_empty() {
        return Err(ApiError::invalid(fouten));
    }
    beoordelen_kan(b.status())?;
    let bedrag = afwikkeling::bedrag_bij_besluit(verzoek.besluit, verzoek.bedrag, uitkomst)
        .unwrap_or_default();
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    let wacht = opslag::aanbiedingen(&tx, id)
        .await?
        .into_iter()
        .any(|a| a.status == afwikkeling::AanbodStatus::WachtOpGoedkeuring.code());
    if wacht {
        return Err(conflict(
            "Er wacht een aanbod op goedkeuring. Laat dat eerst goedkeuren of maak een nieuw aanbod nadat het is uitgebracht.",
        ));
    }
    let rij = BeoordelingRij {
        aanvraag_id: id.to_string(),
        post_id: post.to_string(),
        besluit: verzoek.besluit.code().into(),
        bedrag,
        reden: reden.map(str::to_string),
        door_persoon: principal.persoon_id.to_string(),
        op: now,
    };
    opslag::beoordeel(&tx, rij.clone()).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "post-beoordelen",
        &format!("aanvragen/{id}/posten/{post}"),
        "aanvraag-behandelen/v1",
    )
    .await?;
    tx.commit().await?;
    Ok(Postbeoordeling {
        id: post.to_string(),
        naam: b.naam(post),
        berekende_status: super::weergave::status_code(uitkomst.status).into(),
        berekend: uitkomst.bedrag,
        forfaitair: uitkomst.forfaitair_bedrag,
        besluit: Some(verzoek.besluit),
        bedrag: Some(rij.bedrag),
        reden: rij.reden,
        op: Some(db::tijdstip(now)),
    })
}

fn vraag(r: VraagRij) -> Vraag {
    Vraag {
        id: r.id.parse().unwrap_or_default(),
        betreft: r.post_id,
        vraag: r.vraag,
        gesteld_op: db::tijdstip(r.gesteld_op),
        open: r.beantwoord_op.is_none(),
        antwoord: r.antwoord,
        beantwoord_op: r.beantwoord_op.map(db::tijdstip),
    }
}

pub async fn stel_vraag(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    nieuw: &NieuweVraag,
) -> Result<Vraag, ApiError> {
    let t = als_behandelaar(state, principal, id, "aanvraag-beoordelen").await?;
    let b = bevroren(state, &t, id).await?;
    let tekst = nieuw.vraag.trim();
    let mut fouten = Vec::new();
    if tekst.is_empty() {
        fouten.push(FieldError::body("/vraag", "minLength", "Schrijf de vraag."));
    }
    if let Some(post) = &nieuw.betreft
        && !b.berekening.posten.iter().any(|p| &p.id == post)
    {
        fouten.push(FieldError::body(
            "/betreft",
            "onbekende-post",
            format!("Post '{post}' hoort niet bij deze aanvraag."),
        ));
    }
    if !fouten.is_empty() {
        return Err(ApiError::invalid(fouten));
    }
    beoordelen_kan(b.status())?;
    let rij = VraagRij {
        id: Uuid::now_v7().to_string(),
        aanvraag_id: id.to_string(),
        post_id: nieuw.betreft.clone(),
        vraag: tekst.to_string(),
        gesteld_door: principal.persoon_id.to_string(),
        gesteld_op: db::now_ms(),
        antwoord: None,
        beantwoord_door: None,
        beantwoord_op: None,
    };
    let tx = db::begin_write(&state.db).await?;
    opslag::stel_vraag(&tx, rij.clone()).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "vraag-stellen",
        &format!("aanvragen/{id}/vragen/{}", rij.id),
        "aanvraag-behandelen/v1",
    )
    .await?;
    let mut melding = Melding::new(t.ouder(), Soort::VraagGesteld);
    melding.verwijzing = Some(format!("/v1/aanvragen/{id}/vragen"));
    notify::meld(&tx, &state.notify, melding).await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(vraag(rij))
}

/// The questions on a claim: for the parent and for the assigned behandelaar.
pub async fn vragen(state: &AppState, principal: &Principal, id: Uuid) -> Result<Vragen, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagInzien).await?;
    laad(state, &t, id).await?;
    let resultaten: Vec<Vraag> = opslag::vragen(&state.db, id)
        .await?
        .into_iter()
        .map(vraag)
        .collect();
    let open = resultaten.iter().filter(|v| v.open).count();
    Ok(Vragen {
        open: u32::try_from(open).unwrap_or(u32::MAX),
        resultaten,
    })
}

pub async fn beantwoord(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    vraag_id: Uuid,
    body: &VraagAntwoord,
) -> Result<Vraag, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagWijzigen).await?;
    let (rij, _) = laad(state, &t, id).await?;
    let antwoord = body.antwoord.trim();
    if antwoord.is_empty() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/antwoord",
            "minLength",
            "Schrijf uw antwoord.",
        )]));
    }
    let status = Status::parse(&rij.status).unwrap_or(Status::Concept);
    if !status.open() {
        return Err(conflict(format!(
            "Een aanvraag met status '{}' neemt geen antwoorden meer aan.",
            status.code()
        )));
    }
    let bestaande = opslag::vragen(&state.db, id)
        .await?
        .into_iter()
        .find(|v| v.id == vraag_id.to_string())
        .ok_or_else(ApiError::not_found)?;
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    if !opslag::beantwoord(&tx, id, vraag_id, antwoord, principal.persoon_id, now).await? {
        return Err(conflict("Deze vraag is al beantwoord."));
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "vraag-beantwoorden",
        &format!("aanvragen/{id}/vragen/{vraag_id}"),
        "aanvraag-wijzigen/v1",
    )
    .await?;
    tx.commit().await?;
    Ok(vraag(VraagRij {
        antwoord: Some(antwoord.to_string()),
        beantwoord_door: Some(principal.persoon_id.to_string()),
        beantwoord_op: Some(now),
        ..bestaande
    }))
}

/// Refers the claim to the committee for complex damage.
pub async fn verwijs_door(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &DoorverwijzingVerzoek,
) -> Result<(), ApiError> {
    let t = als_behandelaar(state, principal, id, "aanvraag-doorverwijzen").await?;
    let reden = verzoek.reden.trim();
    if reden.is_empty() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/reden",
            "minLength",
            "Noem de reden van de doorverwijzing.",
        )]));
    }
    let (rij, _) = laad(state, &t, id).await?;
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    verplaats(
        &tx,
        &t,
        &rij,
        Status::Doorverwezen,
        principal,
        Wie::Behandelaar,
        Some(reden.to_string()),
        now,
    )
    .await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "aanvraag-doorverwijzen",
        &format!("aanvragen/{id}"),
        "aanvraag-behandelen/v1",
    )
    .await?;
    let mut melding = Melding::new(t.ouder(), Soort::AanvraagDoorverwezen);
    melding.verwijzing = Some(format!("/v1/aanvragen/{id}"));
    notify::meld(&tx, &state.notify, melding).await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(())
}
