//! The questionnaire engine, pure: given content, answers and retrieved data, which steps and
//! questions apply, which are required, what is answered, what is invalid, and where to go next.
//!
//! Answers to questions that no longer apply (an earlier answer hid them) are kept but inactive:
//! they do not count anywhere, and toggling the earlier answer back restores them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::content::Tekst;
use super::{Inhoud, key_regel};

/// Answers by question id, as the parent gave them.
pub type Antwoorden = BTreeMap<String, Value>;

/// Data retrieved from government sources with consent and confirmed by the parent ([E]),
/// by question id. A parent's own answer would win; the claim drops it when a datum is confirmed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Opgehaald {
    pub waarden: BTreeMap<String, OpgehaaldeWaarde>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OpgehaaldeWaarde {
    pub waarde: Value,
    /// The data source, e.g. `uht`.
    pub bron: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Herkomst {
    Ouder,
    Opgehaald(String),
}

#[derive(Debug, Clone)]
pub struct VraagStand {
    pub id: String,
    pub zichtbaar: bool,
    pub verplicht: bool,
    pub beantwoord: bool,
    pub herkomst: Option<Herkomst>,
}

#[derive(Debug, Clone)]
pub struct StapStand {
    pub id: String,
    pub zichtbaar: bool,
    /// Every visible required question answered.
    pub compleet: bool,
    pub vragen: Vec<VraagStand>,
}

#[derive(Debug, Clone)]
pub struct Stand {
    pub stappen: Vec<StapStand>,
    /// Active answers by question id.
    pub actief: BTreeMap<String, Value>,
    /// Answered, but hidden by an earlier answer.
    pub inactief: Vec<String>,
    pub beantwoord: usize,
    pub totaal: usize,
}

/// One invalid answer: where (question id, then record index and field for lists), why.
#[derive(Debug, Clone, PartialEq)]
pub struct Veldfout {
    pub pad: Vec<String>,
    pub code: String,
    pub melding: Tekst,
}

pub(super) fn fout(
    pad: Vec<String>,
    code: &str,
    nl: impl Into<String>,
    en: impl Into<String>,
) -> Veldfout {
    Veldfout {
        pad,
        code: code.into(),
        melding: Tekst::new(nl, en),
    }
}

/// Where the parent stands. Single pass in questionnaire order: every condition only uses earlier
/// questions (the content check guarantees it), so each sees exactly the answers that apply.
pub fn stand(inhoud: &Inhoud, antwoorden: &Antwoorden, opgehaald: &Opgehaald) -> Stand {
    let mut actief = BTreeMap::new();
    let mut inactief = Vec::new();
    let mut stappen = Vec::new();
    let (mut beantwoord, mut totaal) = (0, 0);
    let mut eval = inhoud.evaluator();
    for (si, stap) in inhoud.vragenlijst.stappen.iter().enumerate() {
        let stap_zichtbaar = eval.holds_at(inhoud.bij_stap[si], &actief);
        let mut vragen = Vec::with_capacity(stap.vragen.len());
        for (qi, q) in stap.vragen.iter().enumerate() {
            let (toon, verplicht_als) = inhoud.bij_vraag[si][qi];
            let zichtbaar = stap_zichtbaar && eval.holds_at(toon, &actief);
            let verplicht = zichtbaar
                && (q.verplicht
                    || (q.verplicht_als.is_some() && eval.holds_at(verplicht_als, &actief)));
            let (waarde, herkomst) = match (antwoorden.get(&q.id), opgehaald.waarden.get(&q.id)) {
                (Some(v), _) if !v.is_null() => (Some(v.clone()), Some(Herkomst::Ouder)),
                (_, Some(o)) => (
                    Some(o.waarde.clone()),
                    Some(Herkomst::Opgehaald(o.bron.clone())),
                ),
                _ => (None, None),
            };
            let beantwoord_hier = waarde.is_some();
            match waarde {
                Some(v) if zichtbaar => {
                    actief.insert(q.id.clone(), v);
                }
                Some(_) if antwoorden.contains_key(&q.id) => inactief.push(q.id.clone()),
                _ => {}
            }
            if zichtbaar {
                totaal += 1;
                beantwoord += usize::from(beantwoord_hier);
            }
            vragen.push(VraagStand {
                id: q.id.clone(),
                zichtbaar,
                verplicht,
                beantwoord: zichtbaar && beantwoord_hier,
                herkomst: if zichtbaar { herkomst } else { None },
            });
        }
        let compleet = vragen
            .iter()
            .all(|v| !v.zichtbaar || !v.verplicht || v.beantwoord);
        stappen.push(StapStand {
            id: stap.id.clone(),
            zichtbaar: stap_zichtbaar,
            compleet,
            vragen,
        });
    }
    Stand {
        stappen,
        actief,
        inactief,
        beantwoord,
        totaal,
    }
}

impl Stand {
    /// The first visible step not yet saved or not complete; the last visible one when all are.
    pub fn volgende_stap(&self, opgeslagen: &BTreeSet<String>) -> Option<String> {
        let visible = || self.stappen.iter().filter(|s| s.zichtbaar);
        visible()
            .find(|s| !s.compleet || !opgeslagen.contains(&s.id))
            .or_else(|| visible().next_back())
            .map(|s| s.id.clone())
    }

    pub fn stap(&self, id: &str) -> Option<&StapStand> {
        self.stappen.iter().find(|s| s.id == id)
    }
}

fn opgehaald_fout(id: &str, bron: &str) -> Veldfout {
    let (nl, en) = match bron {
        "toestemmingen" => (
            "Dit antwoord volgt uit uw toestemmingen. Wijzig het bij Toestemmingen.".to_string(),
            "This answer follows from your consents. Change it under Consents.".to_string(),
        ),
        "oordelen" => (
            "Dit antwoord volgt uit wat u bij de opgehaalde gegevens koos.".to_string(),
            "This answer follows from your choices on the retrieved data.".to_string(),
        ),
        _ => (
            format!(
                "Dit antwoord komt uit gegevens van '{bron}' die u bevestigde. Klopt het niet? Betwist het gegeven bij Opgehaalde gegevens; daarna vult u het hier zelf in."
            ),
            format!(
                "This answer comes from '{bron}' data you confirmed. If it is wrong, dispute the datum under Retrieved data; then answer here yourself."
            ),
        ),
    };
    fout(vec![id.to_string()], "opgehaald-antwoord", nl, en)
}

/// Saves answers of one step: each given answer replaces the stored one, `null` clears it, and
/// answers left out stay (so a hidden answer comes back when its question applies again). Then
/// checks: unknown questions, questions that do not apply, values of the wrong shape, missing
/// required answers, and the content's own rules. All problems at once; on any, nothing changes.
pub fn sla_stap_op(
    inhoud: &Inhoud,
    antwoorden: &Antwoorden,
    opgehaald: &Opgehaald,
    stap_id: &str,
    nieuw: &Map<String, Value>,
) -> Result<(Antwoorden, Stand), Vec<Veldfout>> {
    let stap = inhoud
        .vragenlijst
        .stappen
        .iter()
        .find(|s| s.id == stap_id)
        .expect("de route controleert de stap");
    let mut fouten = Vec::new();
    let mut merged = antwoorden.clone();
    for (id, value) in nieuw {
        if !stap.vragen.iter().any(|q| &q.id == id) {
            fouten.push(fout(
                vec![id.clone()],
                "onbekende-vraag",
                format!("Vraag '{id}' hoort niet bij deze stap."),
                format!("Question '{id}' is not part of this step."),
            ));
        } else if let Some(o) = opgehaald
            .waarden
            .get(id)
            .filter(|_| !antwoorden.contains_key(id))
        {
            // A retrieved answer the parent confirmed is not changed in passing: sending it back
            // unchanged is fine, changing or clearing it is a dispute of the datum.
            if value != &o.waarde {
                fouten.push(opgehaald_fout(id, &o.bron));
            }
        } else if value.is_null() {
            merged.remove(id);
        } else {
            merged.insert(id.clone(), value.clone());
        }
    }
    let na = stand(inhoud, &merged, opgehaald);
    let stand_stap = na.stap(stap_id).expect("stap bestaat");
    if !stand_stap.zichtbaar {
        fouten.push(fout(
            vec![],
            "stap-niet-van-toepassing",
            "Deze stap is niet van toepassing op uw antwoorden.",
            "This step does not apply given your answers.",
        ));
        return Err(fouten);
    }
    for (q, qs) in stap.vragen.iter().zip(&stand_stap.vragen) {
        let given = nieuw.get(&q.id).filter(|v| !v.is_null());
        match given {
            Some(_) if !qs.zichtbaar => fouten.push(fout(
                vec![q.id.clone()],
                "niet-van-toepassing",
                "Deze vraag is niet van toepassing op uw eerdere antwoorden; laat haar leeg.",
                "This question does not apply given your earlier answers; leave it empty.",
            )),
            Some(v) => {
                let before = fouten.len();
                super::validate::valideer(q, v, &mut fouten);
                if fouten.len() == before {
                    for (i, regel) in q.regels.iter().enumerate() {
                        if !inhoud.holds(key_regel(&q.id, i), &na.actief) {
                            fouten.push(Veldfout {
                                pad: vec![q.id.clone()],
                                code: "regel".into(),
                                melding: regel.melding.clone(),
                            });
                        }
                    }
                }
            }
            None if qs.verplicht && !qs.beantwoord => fouten.push(fout(
                vec![q.id.clone()],
                "required",
                "Deze vraag is verplicht.",
                "This question is required.",
            )),
            None => {}
        }
    }
    if fouten.is_empty() {
        Ok((merged, na))
    } else {
        Err(fouten)
    }
}
