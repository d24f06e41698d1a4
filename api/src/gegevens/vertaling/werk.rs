//! UWV (jobs, fewer hours, benefits) and the Belastingdienst (income, an own business).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Gegeven, dag, gegeven, lees, met};
use super::{euro, jaren};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Uwv {
    dienstverbanden: Vec<Dienstverband>,
    urenwijzigingen: Vec<Urenwijziging>,
    uitkeringen: Vec<Uitkering>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dienstverband {
    werkgever: String,
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
    reden_einde: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Urenwijziging {
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
    uren_voor: u32,
    uren_na: u32,
}

#[derive(Deserialize)]
struct Uitkering {
    soort: String,
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
}

pub(super) fn uwv(v: &Value) -> Result<Vec<Gegeven>, String> {
    let u: Uwv = lees(v)?;
    let mut uit = Vec::new();
    if let Some(d) = u
        .dienstverbanden
        .iter()
        .filter(|d| d.reden_einde.as_deref() == Some("ontslag"))
        .min_by_key(|d| d.tot)
    {
        let tot = d.tot.ok_or("ontslag zonder einddatum")?;
        uit.push(met(
            gegeven(
                "uwv.ontslag",
                "Baan verloren",
                format!("bij {} op {}", d.werkgever, dag(tot)),
                json!({"werkgever": d.werkgever, "vanaf": d.vanaf, "tot": tot}),
            ),
            &[
                ("werk-inkomen.baan-verloren", json!(true)),
                ("werk-inkomen.baanverlies-datum", json!(tot)),
            ],
        ));
    }
    if let Some(w) = u
        .urenwijzigingen
        .iter()
        .filter(|w| w.uren_na < w.uren_voor)
        .min_by_key(|w| w.vanaf)
    {
        let tot = w.tot.unwrap_or_else(|| chrono::Utc::now().date_naive());
        uit.push(met(
            gegeven(
                "uwv.minder-uren",
                "Minder uren gewerkt",
                format!("van {} naar {} uur per week, vanaf {}", w.uren_voor, w.uren_na, dag(w.vanaf)),
                json!({"vanaf": w.vanaf, "tot": w.tot, "urenVoor": w.uren_voor, "urenNa": w.uren_na}),
            ),
            &[
                ("werk-inkomen.minder-gewerkt", json!(true)),
                ("werk-inkomen.minder-gewerkt-sinds", json!(w.vanaf)),
                ("werk-inkomen.minder-gewerkt-jaren", json!(jaren(w.vanaf, tot).min(20))),
            ],
        ));
    }
    if !u.uitkeringen.is_empty() {
        uit.push(gegeven(
            "uwv.uitkeringen",
            "Uitkeringen",
            u.uitkeringen
                .iter()
                .map(|k| format!("{} vanaf {}", k.soort, dag(k.vanaf)))
                .collect::<Vec<_>>()
                .join("; "),
            json!(
                u.uitkeringen
                    .iter()
                    .map(|k| json!({"soort": k.soort, "vanaf": k.vanaf, "tot": k.tot}))
                    .collect::<Vec<_>>()
            ),
        ));
    }
    Ok(uit)
}

#[derive(Deserialize)]
struct Belastingdienst {
    inkomens: Vec<Inkomen>,
    onderneming: Option<Onderneming>,
}

#[derive(Deserialize)]
struct Inkomen {
    jaar: i32,
    bedrag: i64,
}

#[derive(Deserialize)]
struct Onderneming {
    gestart: NaiveDate,
    gestopt: Option<NaiveDate>,
}

pub(super) fn belastingdienst(v: &Value) -> Result<Vec<Gegeven>, String> {
    let b: Belastingdienst = lees(v)?;
    let mut uit = Vec::new();
    if !b.inkomens.is_empty() {
        uit.push(gegeven(
            "belastingdienst.inkomens",
            "Uw inkomen per jaar",
            b.inkomens
                .iter()
                .map(|i| format!("{}: {}", i.jaar, euro(i.bedrag)))
                .collect::<Vec<_>>()
                .join("; "),
            json!(
                b.inkomens
                    .iter()
                    .map(|i| json!({"jaar": i.jaar, "bedrag": i.bedrag}))
                    .collect::<Vec<_>>()
            ),
        ));
    }
    let g = match &b.onderneming {
        Some(Onderneming {
            gestart,
            gestopt: Some(gestopt),
        }) => met(
            gegeven(
                "belastingdienst.onderneming",
                "Eigen bedrijf",
                format!("gestart op {}, gestopt op {}", dag(*gestart), dag(*gestopt)),
                json!({"gestart": gestart, "gestopt": gestopt}),
            ),
            &[
                ("werk-inkomen.onderneming-beeindigd", json!(true)),
                ("werk-inkomen.onderneming-datum", json!(gestopt)),
            ],
        ),
        Some(Onderneming {
            gestart,
            gestopt: None,
        }) => met(
            gegeven(
                "belastingdienst.onderneming",
                "Eigen bedrijf",
                format!("sinds {}, nog actief", dag(*gestart)),
                json!({"gestart": gestart}),
            ),
            &[("werk-inkomen.onderneming-beeindigd", json!(false))],
        ),
        None => met(
            gegeven(
                "belastingdienst.onderneming",
                "Eigen bedrijf",
                "geen".into(),
                Value::Null,
            ),
            &[("werk-inkomen.onderneming-beeindigd", json!(false))],
        ),
    };
    uit.push(g);
    Ok(uit)
}
