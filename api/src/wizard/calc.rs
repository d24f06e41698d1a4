//! The damage calculation of DAMAGE-FRAMEWORK §3–§4, pure: for every post of the framework its
//! status, amount in cents, and an explanation naming the rules and the answers it used; the
//! group rule (similar posts do not stack: only the highest counts), the exclusion of damage from
//! before the problems started, and the indicator rule. Same inputs, same output.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::bedrag::{bedrag, bedrag_reden};
use super::content::{Post, Tekst};
use super::engine::{Opgehaald, Stand};
use super::{Inhoud, key_post};

/// Fields the indicator rule reads from each toeslagjaar record.
pub const TOESLAGJAAR_VELDEN: [&str; 5] = [
    "jaar",
    "teruggevorderd",
    "terugbetaald",
    "datum-terugvordering",
    "datum-herstel",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Toegekend,
    OnderbouwingNodig,
    NietVanToepassing,
    Uitgesloten,
}

/// One reason: the rule applied and the questions it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reden {
    pub regel: String,
    pub tekst: Tekst,
    pub vragen: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostUitkomst {
    pub id: String,
    pub status: Status,
    /// Cents; for `onderbouwing-nodig` the configured share.
    pub bedrag: i64,
    /// What the framework amount would be without the indicator rule and the group rule.
    pub forfaitair_bedrag: i64,
    pub uitleg: Vec<Reden>,
    pub bewijs_nodig: Option<Tekst>,
    pub verdrongen_door: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Berekening {
    pub kaderversie: String,
    pub vastgesteld: bool,
    pub lage_impact: bool,
    pub posten: Vec<PostUitkomst>,
    /// Sum of the granted posts, in cents.
    pub totaal: i64,
    /// SHA-256 of the content and the active inputs.
    pub invoer_hash: String,
}

pub(super) fn reden(regel: &str, nl: String, en: String, vragen: Vec<String>) -> Reden {
    Reden {
        regel: regel.into(),
        tekst: Tekst::new(nl, en),
        vragen,
    }
}

pub(super) fn euro(cents: i64) -> String {
    let e = cents / 100;
    let c = cents % 100;
    let digits = e.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    if c == 0 {
        format!("€ {grouped}")
    } else {
        format!("€ {grouped},{c:02}")
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Bool(true) => "ja".into(),
        Value::Bool(false) => "nee".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether the indicator rule's presumption holds (DAMAGE-FRAMEWORK §3).
pub fn lage_impact(inhoud: &Inhoud, stand: &Stand) -> bool {
    let ind = &inhoud.kader.indicator;
    let Some(Value::Array(years)) = stand.actief.get(&ind.toeslagjaren) else {
        return false;
    };
    let reclaimed: Vec<&Value> = years
        .iter()
        .filter(|y| y["teruggevorderd"].as_i64().unwrap_or(0) > 0)
        .collect();
    if reclaimed.is_empty() {
        return false;
    }
    let few_and_small = reclaimed.len() <= ind.max_jaren as usize
        && reclaimed
            .iter()
            .all(|y| y["terugbetaald"].as_i64().unwrap_or(0) < ind.drempel_terugbetaald);
    let date = |v: &Value| {
        v.as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let quickly_reversed = reclaimed.iter().all(|y| {
        match (date(&y["datum-terugvordering"]), date(&y["datum-herstel"])) {
            (Some(from), Some(to)) => from
                .checked_add_months(chrono::Months::new(ind.hersteld_binnen_maanden))
                .is_some_and(|limit| to <= limit),
            _ => false,
        }
    });
    few_and_small || quickly_reversed
}

/// Calculates every post, with the explanation of each. `stand` must come from
/// [`super::engine::stand`] on the same content.
pub fn bereken(inhoud: &Inhoud, stand: &Stand, opgehaald: &Opgehaald) -> Berekening {
    bereken_met(inhoud, stand, opgehaald, true)
}

/// [`bereken`] without the explanation texts (`uitleg` stays empty): what a change to a claim
/// needs — statuses, amounts, total, input hash. The texts are made when someone reads them.
pub fn bereken_zonder_uitleg(inhoud: &Inhoud, stand: &Stand, opgehaald: &Opgehaald) -> Berekening {
    bereken_met(inhoud, stand, opgehaald, false)
}

fn bereken_met(inhoud: &Inhoud, stand: &Stand, opgehaald: &Opgehaald, uitleg: bool) -> Berekening {
    let kader = &inhoud.kader;
    let low = lage_impact(inhoud, stand);
    let start = stand
        .actief
        .get(&kader.probleemstart)
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut eval = inhoud.evaluator();
    let mut posten: Vec<PostUitkomst> = kader
        .posten
        .iter()
        .enumerate()
        .map(|(pi, post)| {
            let applies = eval.holds_at(inhoud.bij_post[pi], &stand.actief);
            one(inhoud, post, stand, applies, low, start.as_deref(), uitleg)
        })
        .collect();
    // Group rule: per group only the highest amount counts (first in the catalogue on a tie).
    let mut best: HashMap<&str, usize> = HashMap::new();
    for (i, post) in kader.posten.iter().enumerate() {
        let Some(group) = post.groep.as_deref() else {
            continue;
        };
        if !matches!(
            posten[i].status,
            Status::Toegekend | Status::OnderbouwingNodig
        ) {
            continue;
        }
        match best.get(group) {
            Some(&j) if posten[j].forfaitair_bedrag >= posten[i].forfaitair_bedrag => {}
            _ => {
                best.insert(group, i);
            }
        }
    }
    for (i, post) in kader.posten.iter().enumerate() {
        let Some(group) = post.groep.as_deref() else {
            continue;
        };
        let Some(&winner) = best.get(group) else {
            continue;
        };
        if winner != i
            && matches!(
                posten[i].status,
                Status::Toegekend | Status::OnderbouwingNodig
            )
        {
            let winner_id = kader.posten[winner].id.clone();
            let p = &mut posten[i];
            p.status = Status::NietVanToepassing;
            p.bedrag = 0;
            p.bewijs_nodig = None;
            if uitleg {
                p.uitleg.push(reden(
                "groep",
                format!("Valt in dezelfde groep ('{group}') als '{winner_id}', dat hoger is. Vergelijkbare posten tellen niet dubbel: alleen de hoogste telt."),
                format!("Same group ('{group}') as '{winner_id}', which is higher. Similar posts do not stack: only the highest counts."),
                vec![],
            ));
            }
            p.verdrongen_door = Some(winner_id);
        }
    }
    let totaal = posten
        .iter()
        .filter(|p| p.status == Status::Toegekend)
        .map(|p| p.bedrag)
        .sum();
    Berekening {
        kaderversie: kader.versie.clone(),
        vastgesteld: kader.vastgesteld,
        lage_impact: low,
        posten,
        totaal,
        invoer_hash: input_hash(inhoud, stand, opgehaald),
    }
}

fn one(
    inhoud: &Inhoud,
    post: &Post,
    stand: &Stand,
    applies: bool,
    low: bool,
    start: Option<&str>,
    uitleg: bool,
) -> PostUitkomst {
    let (used, answers): (Vec<String>, Vec<String>) = if uitleg {
        let used = inhoud.uses(key_post(&post.id)).to_vec();
        let answers = used
            .iter()
            .filter_map(|id| stand.actief.get(id).map(|v| format!("{id} = {}", show(v))))
            .collect();
        (used, answers)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut out = PostUitkomst {
        id: post.id.clone(),
        status: Status::NietVanToepassing,
        bedrag: 0,
        forfaitair_bedrag: 0,
        uitleg: Vec::new(),
        bewijs_nodig: None,
        verdrongen_door: None,
    };
    if !applies {
        if !uitleg {
            return out;
        }
        out.uitleg.push(reden(
            "voorwaarde",
            format!(
                "Uw antwoorden passen niet bij deze post ({}).",
                if answers.is_empty() {
                    "nog niet beantwoord".into()
                } else {
                    answers.join("; ")
                }
            ),
            format!(
                "Your answers do not match this item ({}).",
                if answers.is_empty() {
                    "not answered yet".into()
                } else {
                    answers.join("; ")
                }
            ),
            used,
        ));
        return out;
    }
    if uitleg {
        out.uitleg.push(reden(
            "voorwaarde",
            format!("Deze post geldt voor u: {}.", answers.join("; ")),
            format!("This item applies to you: {}.", answers.join("; ")),
            used,
        ));
    }
    if post.na_probleemstart
        && let (Some(field), Some(start)) = (&post.gebeurtenisdatum, start)
        && let Some(date) = stand.actief.get(field).and_then(Value::as_str)
    {
        let probleemstart = inhoud.kader.probleemstart.clone();
        if date < start {
            out.status = Status::Uitgesloten;
            if !uitleg {
                return out;
            }
            out.uitleg.push(reden(
                "na-probleemstart",
                format!("Dit gebeurde op {date} (vraag {field}); dat is vóór de start van uw problemen op {start} (vraag {probleemstart}). Schade van daarvóór komt niet door de toeslagenaffaire."),
                format!("This happened on {date} (question {field}), before your problems started on {start} (question {probleemstart})."),
                vec![field.clone(), probleemstart],
            ));
            return out;
        }
        if uitleg {
            out.uitleg.push(reden(
            "na-probleemstart",
            format!("Dit gebeurde op {date} (vraag {field}); dat is na de start van uw problemen op {start}."),
            format!("This happened on {date} (question {field}), after your problems started on {start}."),
            vec![field.clone(), probleemstart],
        ));
        }
    }
    let full = bedrag(post, stand);
    out.forfaitair_bedrag = full;
    if uitleg {
        out.uitleg.push(bedrag_reden(post, stand, full));
    }
    out.bewijs_nodig = Some(post.bewijs.clone());
    if low && post.indicatorgevoelig {
        let share = i64::from(inhoud.kader.indicator.aandeel_procent);
        out.status = Status::OnderbouwingNodig;
        out.bedrag = full * share / 100;
        if uitleg {
            out.uitleg.push(Reden {
                regel: "indicator".into(),
                tekst: inhoud.kader.indicator.uitleg.clone(),
                vragen: vec![inhoud.kader.indicator.toeslagjaren.clone()],
            });
        }
    } else {
        out.status = Status::Toegekend;
        out.bedrag = full;
    }
    out
}

/// The canonical input, serialised straight into the hash (no intermediate JSON tree). Field
/// order and shape are those of the JSON object hashed before, so stored hashes stay valid.
#[derive(Serialize)]
struct Invoer<'a> {
    actief: &'a BTreeMap<String, Value>,
    inhoud: &'a str,
    opgehaald: BTreeMap<&'a String, (&'a Value, &'a String)>,
}

struct HashSchrijver(Sha256);

impl std::io::Write for HashSchrijver {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn input_hash(inhoud: &Inhoud, stand: &Stand, opgehaald: &Opgehaald) -> String {
    let invoer = Invoer {
        inhoud: &inhoud.hash,
        actief: &stand.actief,
        opgehaald: opgehaald
            .waarden
            .iter()
            .map(|(k, v)| (k, (&v.waarde, &v.bron)))
            .collect(),
    };
    let mut w = HashSchrijver(Sha256::new());
    serde_json::to_writer(&mut w, &invoer).expect("serialiseren naar een hash faalt niet");
    hex::encode(w.0.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_input_hash_equals_the_hash_of_the_json_object() {
        use super::super::Catalogus;
        use super::super::engine::{OpgehaaldeWaarde, stand};
        let catalogus = Catalogus::shipped().unwrap();
        let inhoud = catalogus.actueel();
        let mut answers = BTreeMap::new();
        answers.insert(
            "tijdlijn.leefgebieden".to_string(),
            serde_json::json!(["wonen"]),
        );
        answers.insert("wonen.geraakt".to_string(), serde_json::json!(true));
        let mut opgehaald = Opgehaald::default();
        opgehaald.waarden.insert(
            "tijdlijn.probleemstart".into(),
            OpgehaaldeWaarde {
                waarde: serde_json::json!("2013-01-01"),
                bron: "uht".into(),
            },
        );
        let s = stand(inhoud, &answers, &opgehaald);
        let retrieved: BTreeMap<&String, (&Value, &String)> = opgehaald
            .waarden
            .iter()
            .map(|(k, v)| (k, (&v.waarde, &v.bron)))
            .collect();
        let object =
            serde_json::json!({"inhoud": inhoud.hash, "actief": s.actief, "opgehaald": retrieved});
        let before = hex::encode(Sha256::digest(object.to_string()));
        assert_eq!(input_hash(inhoud, &s, &opgehaald), before);
    }

    #[test]
    fn euros_are_written_the_dutch_way() {
        assert_eq!(euro(75000), "€ 750");
        assert_eq!(euro(1_250_000), "€ 12.500");
        assert_eq!(euro(123_456_789), "€ 1.234.567,89");
    }
}
