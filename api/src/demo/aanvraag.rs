//! The claim of one seeded parent, from draft to where it stands now: the answers saved step by
//! step through the engine (as `PUT …/stappen/{stap}` does), the stored calculation, every
//! status transition with who made it, the submission with its frozen, explained calculation,
//! the assignment to a demo behandelaar, decisions per post and the offer with the parent's
//! response — the rows the app's own services write at each of those moments.

use std::collections::BTreeSet;

use sea_orm::DbErr;

use super::aanbod::{beoordeel, besluiten, bied_aan};
use super::logboek::Logboek;
use super::ouder::{DAG, UUR, behandelaars};
use super::profiel::{self, Toeval};
use super::rijen::Rijen;
use super::sleutel;
use crate::claims::afwikkeling::AanbodStatus;
use crate::claims::behandeling::entity as behandeling;
use crate::claims::levensloop::{Status, Wie};
use crate::claims::store::{entity as aanvraag, indiening, overgang};
use crate::identity::persona::Soort;
use crate::wizard::calc::{bereken, bereken_zonder_uitleg};
use crate::wizard::engine::{self, Antwoorden, Opgehaald};

/// The statuses a claim went through, each with its moment (epoch ms), oldest first.
pub struct Tijdlijn {
    pub stappen: Vec<(Status, i64)>,
    /// The last change: the last status change, or for a draft the last saved step.
    pub gewijzigd: i64,
}

impl Tijdlijn {
    pub fn begin(&self) -> i64 {
        self.stappen.first().map_or(0, |s| s.1)
    }

    pub fn status(&self) -> Status {
        self.stappen.last().map_or(Status::Concept, |s| s.0)
    }
}

/// How long before `naar` the previous status began.
fn wachttijd(naar: Status, r: &mut Toeval) -> i64 {
    match naar {
        Status::Ingediend => r.tussen(3 * DAG, 90 * DAG),
        Status::InBehandeling | Status::Doorverwezen => r.tussen(2 * DAG, 60 * DAG),
        Status::AanbodGedaan => r.tussen(10 * DAG, 120 * DAG),
        Status::Akkoord | Status::NietAkkoord => r.tussen(UUR, 13 * DAG),
        Status::Ingetrokken => r.tussen(DAG, 60 * DAG),
        Status::Concept => 0,
    }
}

/// A path through the lifecycle to `status` (every step one `levensloop::mag` allows), laid out
/// backwards from now: drafts were touched in the last five months (younger than the retention
/// term), an offer awaiting an answer is inside its response window.
pub fn tijdlijn(status: Status, r: &mut Toeval, nu: i64) -> Tijdlijn {
    use Status::*;
    let pad = match status {
        Concept => vec![Concept],
        Ingediend => vec![Concept, Ingediend],
        InBehandeling => vec![Concept, Ingediend, InBehandeling],
        AanbodGedaan => vec![Concept, Ingediend, InBehandeling, AanbodGedaan],
        Akkoord | NietAkkoord => vec![Concept, Ingediend, InBehandeling, AanbodGedaan, status],
        Ingetrokken if r.kans(60) => vec![Concept, Ingetrokken],
        Ingetrokken => vec![Concept, Ingediend, Ingetrokken],
        Doorverwezen if r.kans(50) => vec![Concept, Ingediend, Doorverwezen],
        Doorverwezen => vec![Concept, Ingediend, InBehandeling, Doorverwezen],
    };
    let laatste = match status {
        Concept => nu - r.tussen(UUR, 150 * DAG),
        AanbodGedaan => nu - r.tussen(UUR, 12 * DAG),
        _ => nu - r.tussen(UUR, 240 * DAG),
    };
    let mut t = laatste;
    let mut stappen = Vec::with_capacity(pad.len());
    for s in pad.iter().rev() {
        if *s == Concept && status == Concept {
            t -= r.tussen(0, 90 * DAG);
        }
        stappen.push((*s, t));
        t -= wachttijd(*s, r);
    }
    stappen.reverse();
    Tijdlijn {
        stappen,
        gewijzigd: laatste,
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, DbErr> {
    serde_json::to_string(v).map_err(|e| DbErr::Custom(e.to_string()))
}

pub fn bouw(
    log: &mut Logboek,
    rijen: &mut Rijen,
    r: &mut Toeval,
    leven: &profiel::Leven,
    opgehaald: &Opgehaald,
    t: Tijdlijn,
) -> Result<(), DbErr> {
    let (ctx, i, ouder) = (log.ctx, log.i, log.ouder);
    let inhoud = ctx.inhoud;
    let id = sleutel::aanvraag(i).to_string();
    let alle = profiel::stappen(leven);
    let ingediend = t.stappen.iter().any(|(s, _)| *s == Status::Ingediend);
    let aantal = if ingediend {
        alle.len()
    } else {
        usize::try_from(r.tussen(0, i64::try_from(alle.len()).unwrap_or(0))).unwrap_or(0)
    };
    let mut antwoorden = Antwoorden::new();
    let mut opgeslagen = BTreeSet::new();
    let mut stand = None;
    for (stap, mut a) in alle.into_iter().take(aantal) {
        // Confirmed data already answers its questions (the app drops a typed answer then).
        a.retain(|vraag, _| !opgehaald.waarden.contains_key(vraag));
        let (nieuw, s) = engine::sla_stap_op(inhoud, &antwoorden, opgehaald, stap, &a)
            .map_err(|f| DbErr::Custom(format!("populatie {i}: stap {stap} geweigerd: {f:?}")))?;
        antwoorden = nieuw;
        stand = Some(s);
        opgeslagen.insert(stap.to_string());
    }
    let stand = stand.unwrap_or_else(|| engine::stand(inhoud, &antwoorden, opgehaald));
    let status = t.status();
    let behandelaar = *r.kies(&behandelaars());
    let collega = behandelaars()
        .into_iter()
        .find(|b| *b != behandelaar)
        .unwrap_or(behandelaar);
    let wijzigingen = i64::try_from(aantal + t.stappen.len()).unwrap_or(1);
    rijen.aanvraag.push(aanvraag::Model {
        id: id.clone(),
        ouder_id: ouder.to_string(),
        open_sleutel: status.open().then(|| ouder.to_string()),
        status: status.code().into(),
        inhoud_versie: inhoud.versie().into(),
        versie: wijzigingen,
        antwoorden: json(&antwoorden)?,
        keuzes: "{}".into(),
        opgeslagen_stappen: json(&opgeslagen)?,
        berekening: json(&bereken_zonder_uitleg(inhoud, &stand, opgehaald))?,
        opgehaald: json(opgehaald)?,
        aangemaakt_op: t.begin(),
        gewijzigd_op: t.gewijzigd,
    });
    let ingediende = ingediend.then(|| bereken(inhoud, &stand, opgehaald));
    let resource = format!("aanvragen/{id}");
    let o = (ouder, Soort::Ouder);
    let bh = (behandelaar, Soort::Medewerker);
    let mut van: Option<Status> = None;
    for (k, (naar, op)) in t.stappen.iter().copied().enumerate() {
        let wie = match naar {
            Status::InBehandeling | Status::AanbodGedaan | Status::Doorverwezen => Wie::Behandelaar,
            _ => Wie::Ouder,
        };
        let reden: Option<String> = match naar {
            Status::Ingetrokken if r.kans(50) => Some("Ik heb er nu geen kracht voor.".into()),
            Status::Doorverwezen => {
                Some("Doorverwezen naar de Commissie Werkelijke Schade.".into())
            }
            _ => None,
        };
        rijen.overgang.push(overgang::Model {
            id: sleutel::id(&format!("overgang/{k}"), i).to_string(),
            aanvraag_id: id.clone(),
            van: van.map(|s| s.code().to_string()),
            naar: naar.code().into(),
            door_persoon: Some(match wie {
                Wie::Ouder => ouder.to_string(),
                Wie::Behandelaar => behandelaar.to_string(),
            }),
            door_rol: wie.code().into(),
            reden,
            op,
        });
        van = Some(naar);
        match naar {
            Status::Ingediend => {
                let b = ingediende
                    .as_ref()
                    .ok_or_else(|| DbErr::Custom("ingediend".into()))?;
                rijen.indiening.push(indiening::Model {
                    aanvraag_id: id.clone(),
                    referentie: sleutel::referentie(i),
                    ingediend_op: op,
                    ingediend_door: ouder.to_string(),
                    verklaring_op: op,
                    kaderversie: b.kaderversie.clone(),
                    invoer_hash: b.invoer_hash.clone(),
                    totaal: b.totaal,
                    berekening: json(b)?,
                    lage_impact: b.lage_impact,
                });
                log.regel(
                    rijen,
                    op,
                    o,
                    "aanvraag-indienen",
                    resource.clone(),
                    "aanvraag-indienen/v1",
                );
                // Some submitted claims are flagged urgent before anyone takes them.
                if status == Status::Ingediend && r.kans(8) {
                    rijen.behandeling.push(behandeling::Model {
                        aanvraag_id: id.clone(),
                        behandelaar_id: None,
                        urgent: true,
                        urgentie_reden: Some("Ouder dreigt de woning te verliezen.".into()),
                        bijgewerkt_op: op + DAG,
                    });
                }
            }
            Status::InBehandeling => {
                rijen.behandeling.push(behandeling::Model {
                    aanvraag_id: id.clone(),
                    behandelaar_id: Some(behandelaar.to_string()),
                    urgent: r.kans(5),
                    urgentie_reden: None,
                    bijgewerkt_op: op,
                });
            }
            Status::AanbodGedaan => {
                let b = ingediende
                    .as_ref()
                    .ok_or_else(|| DbErr::Custom("aanbod".into()))?;
                let aanbod = bied_aan(log, rijen, r, b, (behandelaar, collega), op)?;
                rijen.aanbod.push(aanbod);
            }
            Status::Akkoord | Status::NietAkkoord => {
                let akkoord = naar == Status::Akkoord;
                if let Some(a) = rijen.aanbod.last_mut() {
                    a.status = if akkoord {
                        AanbodStatus::Aanvaard
                    } else {
                        AanbodStatus::Afgewezen
                    }
                    .code()
                    .into();
                    a.reactie_op = Some(op);
                    a.reactie_door = Some(ouder.to_string());
                    a.reden = (!akkoord).then(|| "Het bedrag voor wonen is te laag.".into());
                    let actie = if akkoord {
                        "aanbod-aanvaarden"
                    } else {
                        "aanbod-afwijzen"
                    };
                    let res = format!("{resource}/aanbiedingen/{}", a.id);
                    log.regel(rijen, op, o, actie, res, "aanbod-beantwoorden/v1");
                }
            }
            Status::Ingetrokken => {
                log.regel(
                    rijen,
                    op,
                    o,
                    "aanvraag-intrekken",
                    resource.clone(),
                    "aanvraag-intrekken/v1",
                );
            }
            Status::Doorverwezen => {
                if !rijen.behandeling.iter().any(|x| x.aanvraag_id == id) {
                    rijen.behandeling.push(behandeling::Model {
                        aanvraag_id: id.clone(),
                        behandelaar_id: Some(behandelaar.to_string()),
                        urgent: false,
                        urgentie_reden: None,
                        bijgewerkt_op: op,
                    });
                }
                let activiteit = "aanvraag-behandelen/v1";
                log.regel(
                    rijen,
                    op,
                    bh,
                    "aanvraag-doorverwijzen",
                    resource.clone(),
                    activiteit,
                );
            }
            Status::Concept => {}
        }
        // A claim being handled already has some of its posts decided.
        if naar == Status::InBehandeling
            && status == Status::InBehandeling
            && let Some(b) = &ingediende
        {
            let besluiten = besluiten(b, r, 40);
            beoordeel(log, rijen, &besluiten, behandelaar, op + DAG);
        }
    }
    Ok(())
}
