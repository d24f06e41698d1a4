//! BRP: household size, addresses over time (a briefadres means no home of one's own), and
//! the end of a marriage or partnership.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::jaren;
use super::{Gegeven, dag, gegeven, lees, met};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Brp {
    huishoudens: Vec<Huishouden>,
    adressen: Vec<Adres>,
    partnerschappen: Vec<Partnerschap>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Huishouden {
    vanaf: NaiveDate,
    aantal_personen: i64,
}

#[derive(Deserialize)]
struct Adres {
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
    soort: String,
    woonplaats: String,
}

#[derive(Deserialize)]
struct Partnerschap {
    aangegaan: NaiveDate,
    ontbonden: Option<NaiveDate>,
}

pub(super) fn brp(v: &Value) -> Result<Vec<Gegeven>, String> {
    let b: Brp = lees(v)?;
    if b.adressen
        .iter()
        .any(|a| !matches!(a.soort.as_str(), "woonadres" | "briefadres"))
    {
        return Err("onbekende adressoort".into());
    }
    let mut uit = Vec::new();
    // The household in the first period the BRP gives: the time the problems began.
    if let Some(h) = b.huishoudens.iter().min_by_key(|h| h.vanaf) {
        if !(1..=15).contains(&h.aantal_personen) {
            return Err("aantalPersonen buiten 1..15".into());
        }
        uit.push(met(
            gegeven(
                "brp.huishouden",
                "Grootte van uw huishouden",
                format!("{} personen vanaf {}", h.aantal_personen, dag(h.vanaf)),
                json!(
                    b.huishoudens
                        .iter()
                        .map(|h| json!({"vanaf": h.vanaf, "aantalPersonen": h.aantal_personen}))
                        .collect::<Vec<_>>()
                ),
            ),
            &[("tijdlijn.gezinsleden", json!(h.aantal_personen))],
        ));
    }
    let mut adressen: Vec<&Adres> = b.adressen.iter().collect();
    adressen.sort_by_key(|a| a.vanaf);
    if adressen.len() > 1 {
        let weergave = adressen
            .iter()
            .map(|a| format!("{} ({}) vanaf {}", a.woonplaats, a.soort, dag(a.vanaf)))
            .collect::<Vec<_>>()
            .join("; ");
        uit.push(met(
            gegeven(
                "brp.verhuizing",
                "Uw adressen",
                weergave,
                json!(adressen.iter().map(|a| json!({"vanaf": a.vanaf, "tot": a.tot, "soort": a.soort, "woonplaats": a.woonplaats})).collect::<Vec<_>>()),
            ),
            &[("wonen.verhuis-datum", json!(adressen[1].vanaf))],
        ));
    }
    if let Some(brief) = adressen.iter().find(|a| a.soort == "briefadres") {
        let tot = brief.tot.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let j = jaren(brief.vanaf, tot).min(20);
        uit.push(met(
            gegeven(
                "brp.briefadres",
                "Briefadres (geen eigen woonadres)",
                format!("vanaf {} tot {}", dag(brief.vanaf), dag(tot)),
                json!({"vanaf": brief.vanaf, "tot": brief.tot}),
            ),
            &[
                ("wonen.dakloos", json!(true)),
                ("wonen.dakloos-sinds", json!(brief.vanaf)),
                ("wonen.dakloos-jaren", json!(j)),
            ],
        ));
    }
    if let Some(p) = b
        .partnerschappen
        .iter()
        .filter(|p| p.ontbonden.is_some())
        .min_by_key(|p| p.ontbonden)
    {
        let ontbonden = p.ontbonden.expect("gefilterd");
        uit.push(met(
            gegeven(
                "brp.partnerschap",
                "Einde van uw huwelijk of partnerschap",
                format!(
                    "aangegaan op {}, ontbonden op {}",
                    dag(p.aangegaan),
                    dag(ontbonden)
                ),
                json!({"aangegaan": p.aangegaan, "ontbonden": ontbonden}),
            ),
            &[
                ("gezin.relatiebreuk", json!(true)),
                ("gezin.relatiebreuk-datum", json!(ontbonden)),
            ],
        ));
    }
    Ok(uit)
}
