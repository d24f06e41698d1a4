//! UHT: the integral-assessment file — recognition, the assessment, and per toeslagjaar the
//! reclaim, what was really repaid, and any reversal (the indicator rule's inputs).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Gegeven, dag, gegeven, lees, met};
use super::{euro, ja_nee};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Uht {
    erkend: bool,
    integrale_beoordeling: Option<Ib>,
    eerdere_afwikkeling: String,
    toeslagjaren: Vec<Toeslagjaar>,
}

#[derive(Deserialize)]
struct Ib {
    definitief: bool,
    datum: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Toeslagjaar {
    jaar: i32,
    teruggevorderd: i64,
    terugbetaald: i64,
    datum_terugvordering: NaiveDate,
    datum_herstel: Option<NaiveDate>,
}

pub(super) fn uht(v: &Value) -> Result<Vec<Gegeven>, String> {
    let u: Uht = lees(v)?;
    if !matches!(
        u.eerdere_afwikkeling.as_str(),
        "nee" | "route-a" | "sgh" | "cws"
    ) {
        return Err(format!(
            "eerdereAfwikkeling '{}' onbekend",
            u.eerdere_afwikkeling
        ));
    }
    if u.toeslagjaren
        .iter()
        .any(|j| j.teruggevorderd < 0 || j.terugbetaald < 0)
    {
        return Err("negatief bedrag".into());
    }
    let mut uit = vec![
        met(
            gegeven(
                "uht.erkend",
                "Erkend als gedupeerde ouder",
                ja_nee(u.erkend).into(),
                json!(u.erkend),
            ),
            &[("start.erkend", json!(u.erkend))],
        ),
        met(
            gegeven(
                "uht.eerdere-afwikkeling",
                "Extra schade al op een andere manier geregeld",
                match u.eerdere_afwikkeling.as_str() {
                    "nee" => "nee".into(),
                    andere => format!("ja, via {andere}"),
                },
                json!(u.eerdere_afwikkeling),
            ),
            &[("start.eerder-afgewikkeld", json!(u.eerdere_afwikkeling))],
        ),
    ];
    if let Some(ib) = &u.integrale_beoordeling {
        let weergave = match (ib.definitief, ib.datum) {
            (true, Some(d)) => format!("klaar sinds {}", dag(d)),
            (true, None) => "klaar".into(),
            (false, _) => "nog niet klaar".into(),
        };
        uit.push(met(
            gegeven(
                "uht.integrale-beoordeling",
                "Integrale beoordeling",
                weergave,
                json!({"definitief": ib.definitief, "datum": ib.datum}),
            ),
            &[("start.ib-definitief", json!(ib.definitief))],
        ));
    }
    if !u.toeslagjaren.is_empty() {
        let regels: Vec<Value> = u
            .toeslagjaren
            .iter()
            .map(|j| {
                let mut r = json!({"jaar": j.jaar, "teruggevorderd": j.teruggevorderd,
                    "terugbetaald": j.terugbetaald, "datum-terugvordering": j.datum_terugvordering});
                if let Some(h) = j.datum_herstel {
                    r["datum-herstel"] = json!(h);
                }
                r
            })
            .collect();
        let weergave = u
            .toeslagjaren
            .iter()
            .map(|j| {
                let herstel = j
                    .datum_herstel
                    .map(|h| format!(", teruggedraaid op {}", dag(h)))
                    .unwrap_or_default();
                format!(
                    "{}: {} teruggevraagd op {}, {} terugbetaald{herstel}",
                    j.jaar,
                    euro(j.teruggevorderd),
                    dag(j.datum_terugvordering),
                    euro(j.terugbetaald)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        uit.push(met(
            gegeven(
                "uht.toeslagjaren",
                "Toeslagjaren met terugvordering",
                weergave,
                json!(regels),
            ),
            &[("tijdlijn.toeslagjaren", json!(regels))],
        ));
        let eerste = u.toeslagjaren.iter().map(|j| j.datum_terugvordering).min();
        if let Some(eerste) = eerste {
            uit.push(met(
                gegeven(
                    "uht.eerste-terugvordering",
                    "Eerste terugvordering",
                    dag(eerste),
                    json!(eerste),
                ),
                &[("tijdlijn.probleemstart", json!(eerste))],
            ));
        }
    }
    Ok(uit)
}
