//! Offers and the settlement: the assigned behandelaar makes an offer from the decisions per post
//! (a second behandelaar approves a large one), the parent accepts it with a fresh login and
//! re-confirmed terms, rejects it, or asks for more time. A reminder goes before the window ends.

use actix_web::http::header::{self, HeaderValue};
use uuid::Uuid;

use super::afwikkeling::{self, AanbodStatus};
use super::afwikkeling_model::*;
use super::afwikkeling_store::{self as opslag, AanbodRij, aanbod};
use super::beoordeling_service::{
    Bevroren, als_behandelaar, besluiten, bevroren, conflict, verplaats,
};
use super::levensloop::{Status, Wie};
use super::service::toegang;
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::persona::Soort as Persoonsoort;
use crate::identity::sessions;
use crate::identity::toegang::{self as regels, Actie, Toegang};
use crate::notify::{self, Melding, Soort};

const DAG_MS: i64 = 24 * 3600 * 1000;

/// The terms of the settlement agreement (VSO) the parent confirms.
pub fn voorwaarden() -> Vec<String> {
    vec![
        "Met het totale bedrag van dit aanbod is al uw aanvullende schade door de toeslagenaffaire vergoed. U kunt daarna voor deze schade niets meer vragen (finale kwijting).".into(),
        "U trekt de lopende bezwaren en beroepen over dezelfde schade in die bij dit aanbod staan.".into(),
        "Het bedrag wordt uitbetaald op de rekening die u opgeeft, binnen de termijn die in Mijn Herstel staat.".into(),
        "Het bedrag komt bovenop uw herstelbedrag uit de integrale beoordeling en wordt daar niet mee verrekend, tenzij dat bij het aanbod staat.".into(),
    ]
}

fn herinnering_sleutel(aanbod: &str) -> String {
    format!("aanbod-herinnering:{aanbod}")
}

fn naar_dto(a: &AanbodRij, b: &Bevroren) -> Result<Aanbod, ApiError> {
    let regels: Vec<afwikkeling::Aanbodregel> =
        serde_json::from_str(&a.posten).map_err(ApiError::internal)?;
    let procedures: Vec<Procedure> =
        serde_json::from_str(&a.procedures).map_err(ApiError::internal)?;
    Ok(Aanbod {
        id: a.id.parse().unwrap_or_default(),
        aanvraag: a.aanvraag_id.parse().unwrap_or_default(),
        volgnummer: a.volgnummer,
        status: AanbodStatus::parse(&a.status).unwrap_or(AanbodStatus::Vervangen),
        totaal: a.totaal,
        regels: regels
            .into_iter()
            .map(|r| Aanbodregel {
                naam: b.naam(&r.post),
                id: r.post,
                berekend: r.berekend,
                bedrag: r.bedrag,
                reden: r.reden,
            })
            .collect(),
        toelichting: a.toelichting.clone(),
        voorwaarden: voorwaarden(),
        procedures,
        uitgebracht_op: a.uitgebracht_op.map(db::tijdstip),
        reageren_voor: a.reageren_voor.map(db::tijdstip),
        verlengd: a.verlengd,
        vier_ogen: a.goedgekeurd_door.is_some(),
        reactie_op: a.reactie_op.map(db::tijdstip),
        reden: a.reden.clone(),
    })
}

/// Puts an offer before the parent inside `tx`: the claim to `aanbod-gedaan`, the window, the
/// mail and the reminder.
async fn breng_uit(
    state: &AppState,
    tx: &impl sea_orm::ConnectionTrait,
    t: &Toegang,
    b: &Bevroren,
    a: &AanbodRij,
    principal: &Principal,
    goedgekeurd_door: Option<Uuid>,
) -> Result<(), ApiError> {
    let now = db::now_ms();
    let c = &state.settings.claims;
    let reageren_voor = now + i64::from(c.reactietermijn_dagen) * DAG_MS;
    let moved = opslag::zet_aanbod(
        tx,
        &a.id,
        &a.status,
        AanbodStatus::Uitgebracht.code(),
        vec![
            (aanbod::Column::UitgebrachtOp, now.into()),
            (aanbod::Column::ReagerenVoor, reageren_voor.into()),
            (
                aanbod::Column::GoedgekeurdDoor,
                goedgekeurd_door.map(|g| g.to_string()).into(),
            ),
        ],
    )
    .await?;
    if !moved {
        return Err(conflict("Het aanbod is intussen gewijzigd."));
    }
    verplaats(
        tx,
        t,
        &b.rij,
        Status::AanbodGedaan,
        principal,
        Wie::Behandelaar,
        None,
        now,
    )
    .await?;
    let id = &b.rij.id;
    let mut melding = Melding::new(t.ouder(), Soort::AanbodGedaan);
    melding.verwijzing = Some(format!("/v1/aanvragen/{id}/aanbiedingen"));
    notify::meld(tx, &state.notify, melding).await?;
    let mut herinnering = Melding::new(t.ouder(), Soort::AanbodHerinnering);
    herinnering.verwijzing = Some(format!("/v1/aanvragen/{id}/aanbiedingen"));
    herinnering.niet_voor =
        Some(reageren_voor - i64::from(c.herinnering_dagen_voor_einde) * DAG_MS);
    herinnering.sleutel = Some(herinnering_sleutel(&a.id));
    notify::meld(tx, &state.notify, herinnering).await?;
    Ok(())
}

/// Makes an offer from the decisions per post. Refused while questions are open, posts that
/// need substantiation are undecided, or another offer waits for approval.
pub async fn maak(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    nieuw: &NieuwAanbod,
) -> Result<Aanbod, ApiError> {
    let t = als_behandelaar(state, principal, id, "aanbod-doen").await?;
    let b = bevroren(state, &t, id).await?;
    if !matches!(b.status(), Status::InBehandeling | Status::NietAkkoord) {
        return Err(conflict(format!(
            "Bij een aanvraag met status '{}' kan geen aanbod worden gedaan.",
            b.status().code()
        )));
    }
    let open_vragen = opslag::vragen(&state.db, id)
        .await?
        .iter()
        .filter(|v| v.beantwoord_op.is_none())
        .count();
    if open_vragen > 0 {
        return Err(conflict(format!(
            "Er staan nog {open_vragen} vraag/vragen aan de ouder open. Wacht op het antwoord."
        )));
    }
    let rows = opslag::beoordelingen(&state.db, id).await?;
    let (posten, open) = afwikkeling::aanbodregels(&b.berekening, &besluiten(&rows));
    if !open.is_empty() {
        return Err(ApiError::invalid(
            open.iter()
                .map(|p| {
                    FieldError::body(
                        &format!("/posten/{p}"),
                        "nog-te-beoordelen",
                        format!("Post '{p}' vraagt eerst een besluit (accepteren of aanpassen)."),
                    )
                })
                .collect(),
        ));
    }
    let totaal = afwikkeling::totaal(&posten);
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    let eerdere = opslag::aanbiedingen(&tx, id).await?;
    if eerdere
        .iter()
        .any(|a| a.status == AanbodStatus::WachtOpGoedkeuring.code())
    {
        return Err(conflict("Er wacht al een aanbod op goedkeuring."));
    }
    let rij = AanbodRij {
        id: Uuid::now_v7().to_string(),
        aanvraag_id: id.to_string(),
        volgnummer: eerdere.iter().map(|a| a.volgnummer).max().unwrap_or(0) + 1,
        status: AanbodStatus::WachtOpGoedkeuring.code().into(),
        totaal,
        posten: serde_json::to_string(&posten).map_err(ApiError::internal)?,
        procedures: serde_json::to_string(&nieuw.procedures).map_err(ApiError::internal)?,
        toelichting: nieuw.toelichting.trim().to_string(),
        gemaakt_door: principal.persoon_id.to_string(),
        gemaakt_op: now,
        goedgekeurd_door: None,
        uitgebracht_op: None,
        reageren_voor: None,
        verlengd: false,
        reactie_op: None,
        reactie_door: None,
        reden: None,
        ingetrokken_procedures: None,
    };
    opslag::voeg_aanbod_toe(&tx, rij.clone()).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "aanbod-doen",
        &format!("aanvragen/{id}/aanbiedingen/{}", rij.id),
        "aanvraag-behandelen/v1",
    )
    .await?;
    if !afwikkeling::vier_ogen_nodig(totaal, state.settings.claims.vier_ogen_vanaf_cent) {
        breng_uit(state, &tx, &t, &b, &rij, principal, None).await?;
    }
    tx.commit().await?;
    state.notify.wek();
    let opgeslagen = opslag::aanbod_van(&state.db, rij.id.parse().unwrap_or_default())
        .await?
        .ok_or_else(ApiError::not_found)?;
    naar_dto(&opgeslagen, &b)
}

/// Offers waiting for a second behandelaar (not the caller's own).
pub async fn te_keuren(state: &AppState, principal: &Principal) -> Result<Aanbiedingen, ApiError> {
    regels::vereis_rol(state, principal, &["behandelaar"], "aanbod-goedkeuren").await?;
    audit::gelukt(
        &state.db,
        &state.vault,
        principal,
        None,
        "goedkeuringen-inzien",
        "behandeling/goedkeuringen",
        "aanvraag-behandelen/v1",
    )
    .await?;
    let mut resultaten = Vec::new();
    for a in opslag::wachtend_op_goedkeuring(&state.db).await? {
        if a.gemaakt_door == principal.persoon_id.to_string() {
            continue;
        }
        let id: Uuid = a.aanvraag_id.parse().unwrap_or_default();
        let t = toegang(state, principal, id, Actie::AanbodGoedkeuren).await?;
        let b = bevroren(state, &t, id).await?;
        resultaten.push(naar_dto(&a, &b)?);
    }
    Ok(Aanbiedingen { resultaten })
}

/// The second behandelaar approves: the offer goes to the parent.
pub async fn keur_goed(
    state: &AppState,
    principal: &Principal,
    aanbod_id: Uuid,
) -> Result<Aanbod, ApiError> {
    regels::vereis_rol(state, principal, &["behandelaar"], "aanbod-goedkeuren").await?;
    let a = opslag::aanbod_van(&state.db, aanbod_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let id: Uuid = a.aanvraag_id.parse().unwrap_or_default();
    let t = toegang(state, principal, id, Actie::AanbodGoedkeuren).await?;
    if a.status != AanbodStatus::WachtOpGoedkeuring.code() {
        return Err(conflict("Dit aanbod wacht niet (meer) op goedkeuring."));
    }
    if a.gemaakt_door == principal.persoon_id.to_string() {
        return Err(ApiError::new(
            ProblemType::GeenToegang,
            "Vier ogen: een ander dan wie het aanbod maakte, keurt het goed.",
        ));
    }
    let b = bevroren(state, &t, id).await?;
    let tx = db::begin_write(&state.db).await?;
    breng_uit(
        state,
        &tx,
        &t,
        &b,
        &a,
        principal,
        Some(principal.persoon_id),
    )
    .await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "aanbod-goedkeuren",
        &format!("aanvragen/{id}/aanbiedingen/{aanbod_id}"),
        "aanvraag-behandelen/v1",
    )
    .await?;
    tx.commit().await?;
    state.notify.wek();
    let a = opslag::aanbod_van(&state.db, aanbod_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    naar_dto(&a, &b)
}

/// The offers of a claim: the parent sees those that reached them; the assigned behandelaar all.
pub async fn aanbiedingen(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Aanbiedingen, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagInzien).await?;
    // A claim not yet submitted has no offers: an empty list, not an error.
    if super::store::indiening_van(&state.db, &t, &id.to_string())
        .await?
        .is_none()
    {
        return Ok(Aanbiedingen { resultaten: vec![] });
    }
    let b = bevroren(state, &t, id).await?;
    let alles = principal.has_role("behandelaar");
    let resultaten = opslag::aanbiedingen(&state.db, id)
        .await?
        .iter()
        .filter(|a| alles || a.uitgebracht_op.is_some())
        .map(|a| naar_dto(a, &b))
        .collect::<Result<_, _>>()?;
    Ok(Aanbiedingen { resultaten })
}

/// The offer the parent answers: the one named, still with them.
async fn open_aanbod(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    aanbod_id: Uuid,
) -> Result<(Toegang, Bevroren, AanbodRij), ApiError> {
    let t = toegang(state, principal, id, Actie::AanbodBeantwoorden).await?;
    let b = bevroren(state, &t, id).await?;
    let a = opslag::aanbod_van(&state.db, aanbod_id)
        .await?
        .filter(|a| a.aanvraag_id == id.to_string() && a.uitgebracht_op.is_some())
        .ok_or_else(|| {
            ApiError::invalid(vec![FieldError::body(
                "/aanbod",
                "onbekend-aanbod",
                "Dit aanbod hoort niet bij deze aanvraag.",
            )])
        })?;
    if a.status != AanbodStatus::Uitgebracht.code() {
        return Err(conflict(format!(
            "Op dit aanbod is al geantwoord (status '{}').",
            a.status
        )));
    }
    Ok((t, b, a))
}

/// Accepting binds the parent: it needs a login of at most a few minutes ago (RFC 9470 step-up).
async fn vereis_verse_login(state: &AppState, principal: &Principal) -> Result<(), ApiError> {
    let minuten = state.settings.claims.herauthenticatie_minuten;
    let ingelogd = sessions::ingelogd_op(&state.db, principal.sessie_id).await?;
    let vers = ingelogd.is_some_and(|op| db::now_ms() - op <= i64::from(minuten) * 60_000);
    if vers && principal.soort == Persoonsoort::Ouder {
        return Ok(());
    }
    let challenge = format!(
        "Bearer realm=\"mijn-herstel\", error=\"insufficient_user_authentication\", error_description=\"Log opnieuw in met DigiD\", max_age={}",
        minuten * 60
    );
    Err(ApiError::new(
        ProblemType::OpnieuwInloggen,
        format!("Log opnieuw in met DigiD om akkoord te gaan; uw inlog mag niet ouder zijn dan {minuten} minuten."),
    )
    .with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_str(&challenge).map_err(ApiError::internal)?,
    ))
}

pub async fn aanvaard(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &AanvaardingVerzoek,
) -> Result<Aanbod, ApiError> {
    let (t, b, a) = open_aanbod(state, principal, id, verzoek.aanbod).await?;
    let procedures: Vec<Procedure> =
        serde_json::from_str(&a.procedures).map_err(ApiError::internal)?;
    let mut fouten = Vec::new();
    if !verzoek.voorwaarden_bevestigd {
        fouten.push(FieldError::body(
            "/voorwaardenBevestigd",
            "bevestiging",
            "Bevestig dat u de voorwaarden van de vaststellingsovereenkomst heeft gelezen en aanvaardt.",
        ));
    }
    for p in &procedures {
        if !verzoek.ingetrokken_procedures.contains(&p.kenmerk) {
            fouten.push(FieldError::body(
                "/ingetrokkenProcedures",
                "procedure-ontbreekt",
                format!("Bij akkoord trekt u procedure {} in; noem die.", p.kenmerk),
            ));
        }
    }
    for k in &verzoek.ingetrokken_procedures {
        if !procedures.iter().any(|p| &p.kenmerk == k) {
            fouten.push(FieldError::body(
                "/ingetrokkenProcedures",
                "onbekende-procedure",
                format!("Procedure {k} hoort niet bij dit aanbod."),
            ));
        }
    }
    if !fouten.is_empty() {
        return Err(ApiError::invalid(fouten));
    }
    vereis_verse_login(state, principal).await?;
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    let ingetrokken =
        serde_json::to_string(&verzoek.ingetrokken_procedures).map_err(ApiError::internal)?;
    beantwoord(
        state,
        &tx,
        &t,
        &b,
        &a,
        principal,
        AanbodStatus::Aanvaard,
        None,
        Some(ingetrokken),
        now,
    )
    .await?;
    verplaats(
        &tx,
        &t,
        &b.rij,
        Status::Akkoord,
        principal,
        Wie::Ouder,
        None,
        now,
    )
    .await?;
    let mut melding = Melding::new(t.ouder(), Soort::AanbodAanvaard);
    melding.verwijzing = Some(format!("/v1/aanvragen/{id}/aanbiedingen"));
    notify::meld(&tx, &state.notify, melding).await?;
    tx.commit().await?;
    state.notify.wek();
    herlees(state, &b, verzoek.aanbod).await
}

pub async fn wijs_af(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &AfwijzingVerzoek,
) -> Result<Aanbod, ApiError> {
    let (t, b, a) = open_aanbod(state, principal, id, verzoek.aanbod).await?;
    let reden = verzoek
        .reden
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let overgangsreden = match reden {
        Some(r) => format!("{} — {r}", verzoek.vervolg.code()),
        None => verzoek.vervolg.code().to_string(),
    };
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    beantwoord(
        state,
        &tx,
        &t,
        &b,
        &a,
        principal,
        AanbodStatus::Afgewezen,
        reden.map(str::to_string),
        None,
        now,
    )
    .await?;
    verplaats(
        &tx,
        &t,
        &b.rij,
        Status::NietAkkoord,
        principal,
        Wie::Ouder,
        Some(overgangsreden),
        now,
    )
    .await?;
    let mut melding = Melding::new(t.ouder(), Soort::AanbodAfgewezen);
    melding.verwijzing = Some(format!("/v1/aanvragen/{id}/tijdlijn"));
    notify::meld(&tx, &state.notify, melding).await?;
    tx.commit().await?;
    state.notify.wek();
    herlees(state, &b, verzoek.aanbod).await
}

#[allow(clippy::too_many_arguments)]
async fn beantwoord(
    state: &AppState,
    tx: &impl sea_orm::ConnectionTrait,
    t: &Toegang,
    b: &Bevroren,
    a: &AanbodRij,
    principal: &Principal,
    naar: AanbodStatus,
    reden: Option<String>,
    ingetrokken: Option<String>,
    now: i64,
) -> Result<(), ApiError> {
    let moved = opslag::zet_aanbod(
        tx,
        &a.id,
        AanbodStatus::Uitgebracht.code(),
        naar.code(),
        vec![
            (aanbod::Column::ReactieOp, now.into()),
            (
                aanbod::Column::ReactieDoor,
                principal.persoon_id.to_string().into(),
            ),
            (aanbod::Column::Reden, reden.into()),
            (aanbod::Column::IngetrokkenProcedures, ingetrokken.into()),
        ],
    )
    .await?;
    if !moved {
        return Err(conflict("Op dit aanbod is intussen al geantwoord."));
    }
    notify::store::annuleer(tx, &herinnering_sleutel(&a.id), now).await?;
    audit::gelukt(
        tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        if naar == AanbodStatus::Aanvaard {
            "aanbod-aanvaarden"
        } else {
            "aanbod-afwijzen"
        },
        &format!("aanvragen/{}/aanbiedingen/{}", b.rij.id, a.id),
        "aanbod-beantwoorden/v1",
    )
    .await?;
    crate::machtiging::wijziging::meld_namens(
        tx,
        state,
        principal,
        t.ouder(),
        format!("/v1/aanvragen/{}/aanbiedingen", b.rij.id),
    )
    .await?;
    Ok(())
}

/// More time, once: the window and the reminder move on.
pub async fn verleng(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &VerlengingVerzoek,
) -> Result<Aanbod, ApiError> {
    let (t, b, a) = open_aanbod(state, principal, id, verzoek.aanbod).await?;
    if a.verlengd {
        return Err(conflict(
            "De termijn is al eens verlengd. Neem contact op met uw behandelaar als u meer tijd nodig heeft.",
        ));
    }
    let c = &state.settings.claims;
    let now = db::now_ms();
    let nieuw = a.reageren_voor.unwrap_or(now).max(now) + i64::from(c.verlenging_dagen) * DAG_MS;
    let tx = db::begin_write(&state.db).await?;
    let moved = opslag::zet_aanbod(
        &tx,
        &a.id,
        AanbodStatus::Uitgebracht.code(),
        AanbodStatus::Uitgebracht.code(),
        vec![
            (aanbod::Column::ReagerenVoor, nieuw.into()),
            (aanbod::Column::Verlengd, true.into()),
        ],
    )
    .await?;
    if !moved {
        return Err(conflict("Op dit aanbod is intussen al geantwoord."));
    }
    let herinnering = nieuw - i64::from(c.herinnering_dagen_voor_einde) * DAG_MS;
    notify::store::verschuif(&tx, &herinnering_sleutel(&a.id), now, herinnering).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "aanbod-verlengen",
        &format!("aanvragen/{id}/aanbiedingen/{}", a.id),
        "aanbod-beantwoorden/v1",
    )
    .await?;
    tx.commit().await?;
    herlees(state, &b, verzoek.aanbod).await
}

async fn herlees(state: &AppState, b: &Bevroren, aanbod_id: Uuid) -> Result<Aanbod, ApiError> {
    let a = opslag::aanbod_van(&state.db, aanbod_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    naar_dto(&a, b)
}
