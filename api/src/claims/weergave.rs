//! How a claim looks to the parent: the claim with progress, and the posts with explanations.

use super::model::*;
use super::service::{Toestand, corrupt, lees, opgehaald};
use super::store::Rij;
use crate::http::ApiError;
use crate::wizard::Inhoud;
use crate::wizard::calc::{Berekening, Status, bereken};
use crate::wizard::engine::{self, Stand};

/// The claim as the parent sees it, from what is stored.
pub fn aanvraag(rij: &Rij, inhoud: &Inhoud) -> Result<Aanvraag, ApiError> {
    let t = lees(rij)?;
    let stand = engine::stand(inhoud, &t.antwoorden, &opgehaald(rij));
    let berekening: Berekening = serde_json::from_str(&rij.berekening).map_err(corrupt)?;
    Ok(view(rij, inhoud, &t, &stand, berekening.totaal))
}

pub(super) fn view(
    rij: &Rij,
    inhoud: &Inhoud,
    t: &Toestand,
    stand: &Stand,
    totaal: i64,
) -> Aanvraag {
    Aanvraag {
        id: rij.id.parse().unwrap_or_default(),
        status: rij.status.clone(),
        inhoud_versie: rij.inhoud_versie.clone(),
        vastgesteld: inhoud.kader.vastgesteld,
        huidige_stap: stand.volgende_stap(&t.opgeslagen),
        voortgang: Voortgang {
            beantwoord: stand.beantwoord,
            totaal: stand.totaal,
        },
        stappen: stand
            .stappen
            .iter()
            .map(|s| StapVoortgang {
                id: s.id.clone(),
                zichtbaar: s.zichtbaar,
                compleet: s.compleet,
                opgeslagen: t.opgeslagen.contains(&s.id),
            })
            .collect(),
        antwoorden: stand.actief.clone(),
        opgehaalde_antwoorden: opgehaald(rij)
            .waarden
            .into_iter()
            .map(|(vraag, o)| {
                (
                    vraag,
                    OpgehaaldAntwoord {
                        bron: o.bron,
                        waarde: o.waarde,
                    },
                )
            })
            .collect(),
        inactieve_antwoorden: stand.inactief.clone(),
        totaal,
        aangemaakt_op: crate::db::tijdstip(rij.aangemaakt_op),
        gewijzigd_op: crate::db::tijdstip(rij.gewijzigd_op),
    }
}

/// The posts with their explanations. A change stores the calculation without texts (the
/// request stays quick); reading recalculates with texts from the stored answers, which gives the
/// same statuses, amounts and input hash (a property test in `wizard::tests` holds them equal).
pub fn schadeposten(rij: &Rij, inhoud: &Inhoud) -> Result<Schadeposten, ApiError> {
    let t = lees(rij)?;
    let opgehaald = opgehaald(rij);
    let stand = engine::stand(inhoud, &t.antwoorden, &opgehaald);
    let b = bereken(inhoud, &stand, &opgehaald);
    let posten = b
        .posten
        .iter()
        .filter_map(|p| {
            let post = inhoud.kader.posten.iter().find(|x| x.id == p.id)?;
            Some(Schadepost {
                id: p.id.clone(),
                naam: (&post.naam).into(),
                leefgebied: post.leefgebied.clone(),
                status: status_code(p.status).into(),
                bedrag: p.bedrag,
                forfaitair_bedrag: p.forfaitair_bedrag,
                uitleg: p
                    .uitleg
                    .iter()
                    .map(|r| Reden {
                        regel: r.regel.clone(),
                        tekst: (&r.tekst).into(),
                        vragen: r.vragen.clone(),
                    })
                    .collect(),
                bewijs_nodig: p.bewijs_nodig.as_ref().map(Into::into),
                verdrongen_door: p.verdrongen_door.clone(),
                maatwerk_mogelijk: post.maatwerk_mogelijk,
                keuze: t.keuzes.get(&p.id).cloned().unwrap_or(PostKeuze {
                    keuze: Keuze::Forfaitair,
                    bedrag: None,
                    toelichting: None,
                    beoordeling_nodig: false,
                }),
            })
        })
        .collect();
    Ok(Schadeposten {
        kaderversie: b.kaderversie,
        vastgesteld: b.vastgesteld,
        lage_impact: b.lage_impact,
        totaal: b.totaal,
        invoer_hash: b.invoer_hash,
        resultaten: posten,
    })
}

pub fn status_code(s: Status) -> &'static str {
    match s {
        Status::Toegekend => "toegekend",
        Status::OnderbouwingNodig => "onderbouwing-nodig",
        Status::NietVanToepassing => "niet-van-toepassing",
        Status::Uitgesloten => "uitgesloten",
    }
}
