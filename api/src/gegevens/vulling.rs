//! Which answers the parent's government data fills in, pure: the confirmed data, what they
//! consented to, and whether they have judged everything. The claim stores the result; the
//! questionnaire engine takes it as its retrieved-data input (a parent's own answer would win,
//! so confirming a datum removes the typed answer it replaces).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::model::Oordeel;
use super::store::{GegevenRij, ToestemmingRij};
use crate::wizard::engine::{Opgehaald, OpgehaaldeWaarde};

/// The sources a parent consented to answer "Welke gegevens mogen wij ophalen?".
pub const TOESTEMMINGEN: &str = "toestemmingen";
/// Their judgements answer "Kloppen de opgehaalde gegevens?".
pub const OORDELEN: &str = "oordelen";

const VRAAG_TOESTEMMING: &str = "gegevens.toestemming";
const VRAAG_BEVESTIGD: &str = "gegevens.bevestigd";

pub fn antwoorden_van(rij: &GegevenRij) -> BTreeMap<String, Value> {
    rij.antwoorden
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

pub fn vulling(gegevens: &[GegevenRij], geldig: &[ToestemmingRij]) -> Opgehaald {
    let mut waarden = BTreeMap::new();
    for g in gegevens {
        if Oordeel::parse(&g.oordeel) != Oordeel::Bevestigd {
            continue;
        }
        for (vraag, waarde) in antwoorden_van(g) {
            waarden.insert(
                vraag,
                OpgehaaldeWaarde {
                    waarde,
                    bron: g.bron.clone(),
                },
            );
        }
    }
    if !geldig.is_empty() {
        let mut bronnen: Vec<&str> = geldig.iter().map(|t| t.bron.as_str()).collect();
        bronnen.sort_unstable();
        bronnen.dedup();
        waarden.insert(
            VRAAG_TOESTEMMING.into(),
            OpgehaaldeWaarde {
                waarde: json!(bronnen),
                bron: TOESTEMMINGEN.into(),
            },
        );
    }
    let te_beoordelen: Vec<Oordeel> = gegevens
        .iter()
        .filter(|g| !antwoorden_van(g).is_empty())
        .map(|g| Oordeel::parse(&g.oordeel))
        .collect();
    if !te_beoordelen.is_empty() && !te_beoordelen.contains(&Oordeel::Open) {
        waarden.insert(
            VRAAG_BEVESTIGD.into(),
            OpgehaaldeWaarde {
                waarde: json!(!te_beoordelen.contains(&Oordeel::Betwist)),
                bron: OORDELEN.into(),
            },
        );
    }
    Opgehaald { waarden }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gegeven(bron: &str, oordeel: &str, antwoorden: Value) -> GegevenRij {
        GegevenRij {
            id: uuid::Uuid::now_v7().to_string(),
            ouder_id: String::new(),
            bron: bron.into(),
            sleutel: format!("{bron}.x"),
            label: String::new(),
            weergave: String::new(),
            waarde: "null".into(),
            antwoorden: Some(antwoorden.to_string()),
            toestemming_id: String::new(),
            bevraging_id: String::new(),
            opgehaald_op: 0,
            oordeel: oordeel.into(),
            toelichting: None,
            geoordeeld_op: None,
        }
    }

    fn toestemming(bron: &str) -> ToestemmingRij {
        ToestemmingRij {
            id: String::new(),
            ouder_id: String::new(),
            bron: bron.into(),
            doel: String::new(),
            verleend_op: 0,
            verleend_door: String::new(),
            geldig_tot: 1,
            ingetrokken_op: None,
        }
    }

    #[test]
    fn only_confirmed_data_fills_answers() {
        let g = [
            gegeven("uht", "bevestigd", json!({"start.erkend": true})),
            gegeven("brp", "open", json!({"tijdlijn.gezinsleden": 4})),
            gegeven("cjib", "betwist", json!({"schulden.beslag": true})),
        ];
        let v = vulling(&g, &[toestemming("uht"), toestemming("brp")]);
        assert_eq!(v.waarden["start.erkend"].bron, "uht");
        assert!(!v.waarden.contains_key("tijdlijn.gezinsleden"));
        assert!(!v.waarden.contains_key("schulden.beslag"));
        assert_eq!(
            v.waarden["gegevens.toestemming"].waarde,
            json!(["brp", "uht"])
        );
        // One datum is still open: whether everything is right is not known yet.
        assert!(!v.waarden.contains_key("gegevens.bevestigd"));
    }

    #[test]
    fn judging_everything_answers_whether_it_is_right() {
        let alles_goed = [gegeven("uht", "bevestigd", json!({"start.erkend": true}))];
        assert_eq!(
            vulling(&alles_goed, &[]).waarden["gegevens.bevestigd"].waarde,
            json!(true)
        );
        let iets_fout = [
            gegeven("uht", "bevestigd", json!({"start.erkend": true})),
            gegeven("cjib", "betwist", json!({"schulden.beslag": true})),
        ];
        assert_eq!(
            vulling(&iets_fout, &[]).waarden["gegevens.bevestigd"].waarde,
            json!(false)
        );
        assert!(vulling(&[], &[]).waarden.is_empty());
    }
}
