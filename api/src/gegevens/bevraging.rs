//! A retrieval (bevraging): every chosen source at once, each with its own deadline, so one
//! source being down or slow blocks none of the others. It runs after the request has been
//! answered (202); the app follows it per source. What a source gives is stored only when the
//! consent still holds at that moment, and only whole: a malformed answer stores nothing.

use std::time::Duration;

use actix_web::web;
use uuid::Uuid;

use super::bron::{self, Bronfout, Gegeven, Verzoek};
use super::model::*;
use super::service::{toegang, ververs};
use super::store::{self, BevragingRij, BronStatusRij, GegevenRij};
use crate::AppState;
use crate::audit::{self, Regel, Uitkomst};
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{Actie, Toegang};

const ALTERNATIEF: &str = "Probeer het later nog eens. U kunt de vragen ook zelf beantwoorden, en een document (bijvoorbeeld een brief) toevoegen als bewijs.";

fn uitleg(reden: &str, naam: &str) -> String {
    match reden {
        "storing" => format!("{naam} is nu niet bereikbaar."),
        "te-traag" => format!("{naam} gaf niet op tijd antwoord."),
        "onleesbaar" => format!(
            "{naam} stuurde een antwoord dat wij niet konden lezen. Wij hebben daar niets van bewaard."
        ),
        "toestemming-ingetrokken" => {
            format!("U trok uw toestemming voor {naam} in; wij hebben niets opgehaald.")
        }
        _ => format!("Het ophalen bij {naam} werd onderbroken."),
    }
}

fn toon(b: &BevragingRij, bronnen: &[BronStatusRij]) -> Bevraging {
    let verlopen = db::now_ms() > b.uiterlijk_op + 5_000;
    let resultaten: Vec<BronResultaat> = bronnen
        .iter()
        .map(|r| {
            let naam = bron::beschrijving(&r.bron).map_or(r.bron.clone(), |d| d.naam.to_string());
            // A retrieval cut off by a restart never finishes: past its deadline it has failed.
            let (status, reden) = match (r.status.as_str(), verlopen) {
                ("gelukt", _) => (Bronstatus::Gelukt, None),
                ("mislukt", _) => (Bronstatus::Mislukt, r.reden.clone()),
                (_, true) => (Bronstatus::Mislukt, Some("onderbroken".to_string())),
                _ => (Bronstatus::Bezig, None),
            };
            BronResultaat {
                uitleg: reden.as_deref().map(|r| uitleg(r, &naam)),
                wat_u_kunt_doen: reden.as_ref().map(|_| ALTERNATIEF.to_string()),
                bron: r.bron.clone(),
                naam,
                status,
                reden,
                aantal_gegevens: r.aantal,
            }
        })
        .collect();
    Bevraging {
        id: b.id.parse().unwrap_or_default(),
        gestart_op: db::tijdstip(b.gestart_op),
        uiterlijk_op: db::tijdstip(b.uiterlijk_op),
        klaar: resultaten.iter().all(|r| r.status != Bronstatus::Bezig),
        door_gemachtigde: b.gestart_door != b.ouder_id,
        bronnen: resultaten,
    }
}

pub async fn lees(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Bevraging, ApiError> {
    let t = toegang(
        state,
        principal,
        Actie::GegevensInzien,
        &format!("bevragingen/{id}"),
    )
    .await?;
    let (b, bronnen) = store::bevraging(&state.db, &t, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(toon(&b, &bronnen))
}

/// Every retrieval of the parent's data, newest first: also the ones a gemachtigde started.
pub async fn lijst(
    state: &AppState,
    principal: &Principal,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Bevraging>, u64), ApiError> {
    let t = toegang(state, principal, Actie::GegevensInzien, "bevragingen").await?;
    let (rijen, totaal) = store::bevragingen(&state.db, &t, offset, limit).await?;
    Ok((rijen.iter().map(|(b, s)| toon(b, s)).collect(), totaal))
}

/// Starts a retrieval from the sources asked for (default: every source with valid consent).
pub async fn start(
    state: web::Data<AppState>,
    principal: &Principal,
    verzoek: &NieuweBevraging,
) -> Result<Bevraging, ApiError> {
    let t = toegang(&state, principal, Actie::GegevensOphalen, "bevragingen").await?;
    state.limits.gevoelig("bevraging", principal.persoon_id)?;
    let nu = db::now_ms();
    let geldig = store::geldige_toestemmingen(&state.db, &t, None, nu).await?;
    let gevraagd: Vec<String> = match &verzoek.bronnen {
        Some(b) if !b.is_empty() => b.clone(),
        _ => geldig.iter().map(|t| t.bron.clone()).collect(),
    };
    let mut fouten = Vec::new();
    let mut taken = Vec::new();
    for (i, code) in gevraagd.iter().enumerate() {
        match geldig.iter().find(|t| &t.bron == code) {
            _ if state.bronnen.get(code).is_none() => fouten.push(FieldError::body(
                &format!("/bronnen/{i}"),
                "onbekende-bron",
                format!("'{code}' is geen bron die nu beschikbaar is."),
            )),
            None => fouten.push(FieldError::body(
                &format!("/bronnen/{i}"),
                "geen-toestemming",
                format!("U gaf (nog) geen geldige toestemming voor '{code}'. Geef die eerst met POST /v1/toestemmingen."),
            )),
            Some(toestemming) if !taken.iter().any(|(c, _): &(String, String)| c == code) => {
                taken.push((code.clone(), toestemming.id.clone()));
            }
            Some(_) => {}
        }
    }
    if !fouten.is_empty() {
        return Err(ApiError::invalid(fouten));
    }
    if taken.is_empty() {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "U gaf voor geen enkele bron toestemming. Geef eerst toestemming (POST /v1/toestemmingen), of beantwoord de vragen zelf.",
        ));
    }
    let bsn = crate::identity::store::bsn_of(&state.db, &state.vault, t.ouder())
        .await?
        .ok_or_else(|| {
            ApiError::new(
                ProblemType::Conflict,
                "Van u is geen BSN bekend; beantwoord de vragen zelf.",
            )
        })?;
    let deadline = Duration::from_secs(state.settings.gegevens.deadline_secs);
    let rij = BevragingRij {
        id: Uuid::now_v7().to_string(),
        ouder_id: t.ouder().to_string(),
        gestart_door: principal.persoon_id.to_string(),
        gestart_op: nu,
        uiterlijk_op: nu + i64::try_from(deadline.as_millis()).unwrap_or(i64::MAX),
    };
    let statussen: Vec<BronStatusRij> = taken
        .iter()
        .map(|(code, toestemming)| BronStatusRij {
            bevraging_id: rij.id.clone(),
            bron: code.clone(),
            toestemming_id: toestemming.clone(),
            status: "bezig".into(),
            reden: None,
            aantal: 0,
            klaar_op: None,
        })
        .collect();
    let tx = db::begin_write(&state.db).await?;
    if let Some(lopend) = store::lopende_bevraging(&tx, &t, nu).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            format!("Er loopt al een bevraging ({lopend}). Wacht tot die klaar is."),
        ));
    }
    store::voeg_bevraging_toe(&tx, rij.clone(), statussen.clone()).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "gegevens-ophalen",
        &format!("bevragingen/{}", rij.id),
        "gegevens-ophalen/v1",
    )
    .await?;
    tx.commit().await?;
    let antwoord = toon(&rij, &statussen);
    let uitvoering = Uitvoering {
        state: state.clone(),
        toegang: t,
        bevraging: rij.id,
        bsn: bsn.expose(),
        actor: principal.actor(),
        trace_id: principal.trace_id.clone(),
        deadline,
    };
    actix_web::rt::spawn(async move { uitvoering.voer_uit(taken).await });
    Ok(antwoord)
}

struct Uitvoering {
    state: web::Data<AppState>,
    toegang: Toegang,
    bevraging: String,
    bsn: String,
    actor: Option<(Uuid, crate::identity::persona::Soort)>,
    trace_id: String,
    deadline: Duration,
}

impl Uitvoering {
    async fn voer_uit(self, taken: Vec<(String, String)>) {
        let per_bron = taken
            .iter()
            .map(|(code, toestemming)| self.bron(code, toestemming));
        futures_util::future::join_all(per_bron).await;
    }

    async fn bron(&self, code: &str, toestemming: &str) {
        let Some(plugin) = self.state.bronnen.get(code) else {
            return;
        };
        let span = &Uuid::new_v4().simple().to_string()[..16];
        let traceparent = format!("00-{}-{span}-01", self.trace_id);
        let verzoek = Verzoek {
            bsn: &self.bsn,
            traceparent: &traceparent,
        };
        let uitkomst = match tokio::time::timeout(self.deadline, plugin.haal_op(&verzoek)).await {
            Ok(u) => u,
            Err(_) => Err(Bronfout::TeTraag),
        };
        // A concurrent save of the claim can make the prefill step lose its race: try again.
        for poging in 0..3 {
            match self.bewaar(code, toestemming, &uitkomst).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(bron = code, poging, fout = ?e, "bevraging niet bewaard");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    async fn bewaar(
        &self,
        code: &str,
        toestemming: &str,
        uitkomst: &Result<Vec<Gegeven>, Bronfout>,
    ) -> Result<(), ApiError> {
        let state = &self.state;
        let t = &self.toegang;
        let tx = db::begin_write(&state.db).await?;
        let nog_geldig = store::geldige_toestemmingen(&tx, t, Some(code), db::now_ms())
            .await?
            .iter()
            .any(|g| g.id == toestemming);
        let (status, reden, aantal) = match uitkomst {
            _ if !nog_geldig => ("mislukt", Some("toestemming-ingetrokken"), 0),
            Ok(gegevens) => {
                vervang(&tx, t, code, toestemming, &self.bevraging, gegevens).await?;
                (
                    "gelukt",
                    None,
                    i32::try_from(gegevens.len()).unwrap_or(i32::MAX),
                )
            }
            Err(f) => ("mislukt", Some(f.code()), 0),
        };
        store::zet_bronstatus(&tx, &self.bevraging, code, status, reden, aantal).await?;
        ververs(&tx, state, t).await?;
        audit::record(
            &tx,
            &state.vault,
            &Regel {
                actor: self.actor,
                namens: Some(t.ouder()),
                actie: "gegevens-ophalen",
                resource: &format!("bevragingen/{}/{code}", self.bevraging),
                uitkomst: if status == "gelukt" {
                    Uitkomst::Gelukt
                } else {
                    Uitkomst::Mislukt
                },
                reden,
                trace_id: &self.trace_id,
                verwerkingsactiviteit: "gegevens-ophalen/v1",
                start_ms: db::now_ms(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Replaces what this source gave before. A datum that did not change keeps its id and the
/// parent's judgement; a changed one must be looked at again.
async fn vervang(
    db: &impl sea_orm::ConnectionTrait,
    t: &Toegang,
    code: &str,
    toestemming: &str,
    bevraging: &str,
    nieuw: &[Gegeven],
) -> Result<(), ApiError> {
    let oud = store::gegevens(db, t, Some(code)).await?;
    store::verwijder_gegevens(db, t, code).await?;
    let nu = db::now_ms();
    for g in nieuw {
        let waarde = g.waarde.to_string();
        let antwoorden = (!g.antwoorden.is_empty())
            .then(|| serde_json::to_string(&g.antwoorden).unwrap_or_default());
        let vorige = oud
            .iter()
            .find(|o| o.sleutel == g.sleutel && o.waarde == waarde && o.antwoorden == antwoorden);
        store::voeg_gegeven_toe(
            db,
            GegevenRij {
                id: vorige.map_or_else(|| Uuid::now_v7().to_string(), |v| v.id.clone()),
                ouder_id: t.ouder().to_string(),
                bron: code.into(),
                sleutel: g.sleutel.clone(),
                label: g.label.clone(),
                weergave: g.weergave.clone(),
                waarde,
                antwoorden,
                toestemming_id: toestemming.into(),
                bevraging_id: bevraging.into(),
                opgehaald_op: nu,
                oordeel: vorige.map_or_else(|| "open".into(), |v| v.oordeel.clone()),
                toelichting: vorige.and_then(|v| v.toelichting.clone()),
                geoordeeld_op: vorige.and_then(|v| v.geoordeeld_op),
            },
        )
        .await?;
    }
    Ok(())
}
