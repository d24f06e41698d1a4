//! The rules of consent and retrieved data: the parent grants and revokes per source (and a
//! revocation deletes what was retrieved and reopens the answers it filled), sees every datum
//! with its provenance, and confirms or disputes it. Every access goes through the one
//! authorisation function; every change is audited.

use chrono::{Days, NaiveDate, TimeZone};
use uuid::Uuid;

use super::bron::{self, BRONNEN, DOELBINDING};
use super::model::*;
use super::store::{self, GegevenRij, ToestemmingRij};
use super::vulling;
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self, Actie, Toegang};
use crate::notify::{self, Melding, Soort};

/// Whose data: the parent themself, or the parent a gemachtigde acts for ([F]).
pub fn ouder_van(principal: &Principal) -> Uuid {
    principal.represents.unwrap_or(principal.persoon_id)
}

pub async fn toegang(
    state: &AppState,
    principal: &Principal,
    actie: Actie,
    resource: &str,
) -> Result<Toegang, ApiError> {
    toegang::vereis_rol(state, principal, &["ouder", "advocaat"], actie.code()).await?;
    toegang::beslis(state, principal, actie, ouder_van(principal), resource).await
}

pub fn catalogus(state: &AppState) -> Gegevensbronnen {
    Gegevensbronnen {
        resultaten: BRONNEN
            .iter()
            .map(|b| Gegevensbron {
                code: b.code.into(),
                naam: b.naam.into(),
                levert: b.levert.into(),
                vragen: b.vragen.iter().map(|v| v.to_string()).collect(),
                helpt_bij_schade: state
                    .inhoud
                    .actueel()
                    .kader
                    .posten
                    .iter()
                    .filter(|p| p.gegevensbronnen.iter().any(|g| g == b.code))
                    .map(|p| p.id.clone())
                    .collect(),
                doel: b.doel.into(),
                grondslag: b.grondslag.into(),
                bewaartermijn: b.bewaartermijn.into(),
                beschikbaar: state.bronnen.get(b.code).is_some(),
            })
            .collect(),
    }
}

fn status_van(t: &ToestemmingRij, nu: i64) -> Toestemmingsstatus {
    if t.ingetrokken_op.is_some() {
        Toestemmingsstatus::Ingetrokken
    } else if t.geldig_tot <= nu {
        Toestemmingsstatus::Verlopen
    } else {
        Toestemmingsstatus::Geldig
    }
}

pub fn toon_toestemming(t: &ToestemmingRij) -> Toestemming {
    Toestemming {
        id: t.id.parse().unwrap_or_default(),
        bron: t.bron.clone(),
        doel: t.doel.clone(),
        status: status_van(t, db::now_ms()),
        verleend_op: db::tijdstip(t.verleend_op),
        geldig_tot: db::tijdstip(t.geldig_tot),
        ingetrokken_op: t.ingetrokken_op.map(db::tijdstip),
    }
}

/// The end (exclusive) of `dag` in Europe/Amsterdam, as epoch ms.
fn einde_van(dag: NaiveDate) -> i64 {
    let volgende = dag.checked_add_days(Days::new(1)).unwrap_or(dag);
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&volgende.and_hms_opt(0, 0, 0).expect("middernacht"))
        .earliest()
        .map_or(i64::MAX, |t| t.timestamp_millis())
}

fn onbekende_bron(pad: &str, code: &str) -> FieldError {
    FieldError::body(
        pad,
        "onbekende-bron",
        format!("'{code}' is geen bron die nu beschikbaar is. Zie GET /v1/gegevensbronnen."),
    )
}

pub async fn geef(
    state: &AppState,
    principal: &Principal,
    verzoek: &NieuweToestemming,
) -> Result<Toestemming, ApiError> {
    // Consent stays the parent's own choice, also when a lawyer helps ("de ouder houdt de regie").
    let t = toegang(state, principal, Actie::ToestemmingBeheren, "toestemmingen").await?;
    if state.bronnen.get(&verzoek.bron).is_none() {
        return Err(ApiError::invalid(vec![onbekende_bron(
            "/bron",
            &verzoek.bron,
        )]));
    }
    let nu = db::now_ms();
    let vandaag = db::tijdstip(nu)
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let g = &state.settings.gegevens;
    let max = vandaag + Days::new(u64::from(g.toestemming_max_dagen));
    let geldig_tot = match verzoek.geldig_tot {
        Some(d) if d < vandaag => {
            return Err(ApiError::invalid(vec![FieldError::body(
                "/geldigTot",
                "verleden",
                "Deze datum is al voorbij.",
            )]));
        }
        Some(d) if d > max => {
            return Err(ApiError::invalid(vec![FieldError::body(
                "/geldigTot",
                "te-lang",
                format!(
                    "Een toestemming geldt hoogstens {} dagen, tot en met {max}.",
                    g.toestemming_max_dagen
                ),
            )]));
        }
        Some(d) => d,
        None => vandaag + Days::new(u64::from(g.toestemming_standaard_dagen)),
    };
    let tx = db::begin_write(&state.db).await?;
    if let Some(bestaand) = store::geldige_toestemmingen(&tx, &t, Some(&verzoek.bron), nu)
        .await?
        .first()
    {
        return Err(ApiError::new(
            ProblemType::Conflict,
            format!(
                "U gaf al toestemming voor deze bron ({}), geldig tot {}.",
                bestaand.id,
                db::tijdstip(bestaand.geldig_tot).date_naive()
            ),
        ));
    }
    let rij = ToestemmingRij {
        id: Uuid::now_v7().to_string(),
        ouder_id: t.ouder().to_string(),
        bron: verzoek.bron.clone(),
        doel: DOELBINDING.into(),
        verleend_op: nu,
        verleend_door: principal.persoon_id.to_string(),
        geldig_tot: einde_van(geldig_tot),
        ingetrokken_op: None,
    };
    store::voeg_toestemming_toe(&tx, rij.clone()).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "toestemming-geven",
        &format!("toestemmingen/{}", rij.id),
        "toestemming-gegevensbronnen/v1",
    )
    .await?;
    ververs(&tx, state, &t).await?;
    tx.commit().await?;
    Ok(toon_toestemming(&rij))
}

pub async fn lijst(
    state: &AppState,
    principal: &Principal,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Toestemming>, u64), ApiError> {
    let t = toegang(state, principal, Actie::GegevensInzien, "toestemmingen").await?;
    let (rijen, totaal) = store::toestemmingen(&state.db, &t, offset, limit).await?;
    Ok((rijen.iter().map(toon_toestemming).collect(), totaal))
}

pub async fn trek_in(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Intrekking, ApiError> {
    let t = toegang(
        state,
        principal,
        Actie::ToestemmingBeheren,
        &format!("toestemmingen/{id}"),
    )
    .await?;
    let tx = db::begin_write(&state.db).await?;
    let rij = store::toestemming(&tx, &t, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let nu = db::now_ms();
    if !store::trek_in(&tx, &t, &rij.id, nu).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Deze toestemming is al ingetrokken.",
        ));
    }
    // Revoking stops retrieval at once (a running one checks again before it stores) and
    // deletes what this source gave.
    let verwijderd = store::verwijder_gegevens(&tx, &t, &rij.bron).await?;
    let leeg = ververs(&tx, state, &t).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "toestemming-intrekken",
        &format!("toestemmingen/{id}"),
        "toestemming-gegevensbronnen/v1",
    )
    .await?;
    let mut melding = Melding::new(t.ouder(), Soort::ToestemmingIngetrokken);
    melding.verwijzing = Some(format!("/v1/toestemmingen/{id}"));
    notify::meld(&tx, &state.notify, melding).await?;
    tx.commit().await?;
    state.notify.wek();
    let naam = bron::beschrijving(&rij.bron).map_or(rij.bron.as_str(), |b| b.naam);
    let mut tekst = format!(
        "Wij halen niets meer op bij {naam} en hebben de {verwijderd} opgehaalde gegevens verwijderd."
    );
    if !leeg.is_empty() {
        tekst.push_str(&format!(
            " Deze vragen vult u nu zelf in: {}.",
            leeg.join(", ")
        ));
    }
    let mut na = rij;
    na.ingetrokken_op = Some(nu);
    Ok(Intrekking {
        toestemming: toon_toestemming(&na),
        verwijderde_gegevens: verwijderd,
        leeggemaakte_vragen: leeg,
        melding: tekst,
    })
}

/// Brings the parent's draft claim in line with their consents and confirmed data; returns the
/// questions that lost their retrieved answer.
pub async fn ververs(
    db: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    t: &Toegang,
) -> Result<Vec<String>, ApiError> {
    let vulling = vulling_van(db, t).await?;
    crate::claims::service::vul_opgehaald_in(db, state, t, &vulling).await
}

pub async fn vulling_van(
    db: &impl sea_orm::ConnectionTrait,
    t: &Toegang,
) -> Result<crate::wizard::engine::Opgehaald, ApiError> {
    let gegevens = store::gegevens(db, t, None).await?;
    let geldig = store::geldige_toestemmingen(db, t, None, db::now_ms()).await?;
    Ok(vulling::vulling(&gegevens, &geldig))
}

/// The date of the parent's integral-assessment decision, when their UHT file was retrieved: a
/// later decision extends the submission deadline.
pub async fn besluitdatum(
    db: &impl sea_orm::ConnectionTrait,
    t: &Toegang,
) -> Result<Option<NaiveDate>, ApiError> {
    let gegevens = store::gegevens(db, t, Some("uht")).await?;
    Ok(gegevens
        .iter()
        .find(|g| g.sleutel == "uht.integrale-beoordeling")
        .and_then(|g| serde_json::from_str::<serde_json::Value>(&g.waarde).ok())
        .and_then(|v| v["datum"].as_str().and_then(|d| d.parse().ok())))
}

pub fn toon_gegeven(g: &GegevenRij) -> OpgehaaldGegeven {
    OpgehaaldGegeven {
        id: g.id.parse().unwrap_or_default(),
        sleutel: g.sleutel.clone(),
        label: g.label.clone(),
        weergave: g.weergave.clone(),
        waarde: serde_json::from_str(&g.waarde).unwrap_or_default(),
        vragen: vulling::antwoorden_van(g).into_keys().collect(),
        herkomst: Herkomst {
            bron: g.bron.clone(),
            opgehaald_op: db::tijdstip(g.opgehaald_op),
            toestemming: g.toestemming_id.parse().unwrap_or_default(),
            bevraging: g.bevraging_id.parse().unwrap_or_default(),
        },
        oordeel: Oordeel::parse(&g.oordeel),
        toelichting: g.toelichting.clone(),
        geoordeeld_op: g.geoordeeld_op.map(db::tijdstip),
    }
}

pub async fn gegevens(
    state: &AppState,
    principal: &Principal,
    bron: Option<&str>,
) -> Result<OpgehaaldeGegevens, ApiError> {
    let t = toegang(
        state,
        principal,
        Actie::GegevensInzien,
        "opgehaalde-gegevens",
    )
    .await?;
    gegevens_met(state, &t, bron).await
}

/// The retrieved data behind a claim: for the parent, and for the behandelaar assigned to it
/// (who needs to see what the parent disputed).
pub async fn gegevens_van_aanvraag(
    state: &AppState,
    principal: &Principal,
    aanvraag: Uuid,
) -> Result<OpgehaaldeGegevens, ApiError> {
    let t =
        crate::claims::service::toegang(state, principal, aanvraag, Actie::AanvraagInzien).await?;
    gegevens_met(state, &t, None).await
}

async fn gegevens_met(
    state: &AppState,
    t: &Toegang,
    bron: Option<&str>,
) -> Result<OpgehaaldeGegevens, ApiError> {
    let rijen = store::gegevens(&state.db, t, bron).await?;
    Ok(OpgehaaldeGegevens {
        resultaten: rijen.iter().map(toon_gegeven).collect(),
    })
}

pub async fn oordeel(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &NieuwOordeel,
) -> Result<OpgehaaldGegeven, ApiError> {
    let t = toegang(
        state,
        principal,
        Actie::GegevensBeoordelen,
        &format!("opgehaalde-gegevens/{id}"),
    )
    .await?;
    let toelichting = verzoek
        .toelichting
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let oordeel = Oordeel::from(verzoek.oordeel);
    if oordeel == Oordeel::Betwist && toelichting.is_none() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/toelichting",
            "required",
            "Schrijf kort op wat er niet klopt. De behandelaar leest het.",
        )]));
    }
    let tx = db::begin_write(&state.db).await?;
    let rij = store::gegeven(&tx, &t, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let nu = db::now_ms();
    let toelichting =
        (oordeel == Oordeel::Betwist).then(|| toelichting.unwrap_or_default().to_string());
    store::zet_oordeel(&tx, &t, &rij.id, oordeel.code(), toelichting.clone(), nu).await?;
    ververs(&tx, state, &t).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        &format!("gegeven-{}", oordeel.code()),
        &format!("opgehaalde-gegevens/{id}"),
        "aanvraag-wijzigen/v1",
    )
    .await?;
    tx.commit().await?;
    let mut na = rij;
    na.oordeel = oordeel.code().into();
    na.toelichting = toelichting;
    na.geoordeeld_op = Some(nu);
    Ok(toon_gegeven(&na))
}
