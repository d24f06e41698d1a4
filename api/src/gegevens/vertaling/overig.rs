//! DUO (study delay), Kadaster (a sold home), Raad voor de Kinderbescherming (out-of-home
//! placements) and CJIB/beslagregister (attachments, bailiffs).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::jaren;
use super::{Gegeven, dag, gegeven, lees, met};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Duo {
    opleidingen: Vec<Opleiding>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Opleiding {
    naam: String,
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
    nominale_duur_jaren: i64,
}

pub(super) fn duo(v: &Value) -> Result<Vec<Gegeven>, String> {
    let d: Duo = lees(v)?;
    let mut uit = Vec::new();
    for (i, o) in d.opleidingen.iter().enumerate() {
        let tot = o.tot.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let vertraging = jaren(o.vanaf, tot) - o.nominale_duur_jaren;
        let mut g = gegeven(
            &format!("duo.opleiding-{}", i + 1),
            "Opleiding",
            format!(
                "{} van {} tot {} (normaal {} jaar)",
                o.naam,
                dag(o.vanaf),
                dag(tot),
                o.nominale_duur_jaren
            ),
            json!({"naam": o.naam, "vanaf": o.vanaf, "tot": o.tot, "nominaleDuurJaren": o.nominale_duur_jaren}),
        );
        if vertraging >= 1 && !uit.iter().any(|g: &Gegeven| !g.antwoorden.is_empty()) {
            g = met(
                g,
                &[
                    ("opleiding.vertraging-jaren", json!(vertraging.min(8))),
                    ("opleiding.sinds", json!(o.vanaf)),
                ],
            );
        }
        uit.push(g);
    }
    Ok(uit)
}

#[derive(Deserialize)]
struct Kadaster {
    eigendommen: Vec<Eigendom>,
}

#[derive(Deserialize)]
struct Eigendom {
    woonplaats: String,
    verkregen: NaiveDate,
    vervreemd: Option<NaiveDate>,
}

pub(super) fn kadaster(v: &Value) -> Result<Vec<Gegeven>, String> {
    let k: Kadaster = lees(v)?;
    let Some(e) = k
        .eigendommen
        .iter()
        .filter(|e| e.vervreemd.is_some())
        .min_by_key(|e| e.vervreemd)
    else {
        return Ok(Vec::new());
    };
    let verkocht = e.vervreemd.expect("gefilterd");
    Ok(vec![met(
        gegeven(
            "kadaster.verkoop",
            "Koophuis verkocht",
            format!(
                "woning in {}: gekocht op {}, verkocht op {}",
                e.woonplaats,
                dag(e.verkregen),
                dag(verkocht)
            ),
            json!({"woonplaats": e.woonplaats, "verkregen": e.verkregen, "vervreemd": verkocht}),
        ),
        &[
            ("wonen.verlies-soort", json!("koopwoning")),
            ("wonen.verlies-datum", json!(verkocht)),
        ],
    )])
}

#[derive(Deserialize)]
struct Rvdk {
    uithuisplaatsingen: Vec<Uithuisplaatsing>,
}

#[derive(Deserialize)]
struct Uithuisplaatsing {
    kind: u32,
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
}

pub(super) fn rvdk(v: &Value) -> Result<Vec<Gegeven>, String> {
    let r: Rvdk = lees(v)?;
    let Some(eerste) = r.uithuisplaatsingen.iter().map(|u| u.vanaf).min() else {
        return Ok(Vec::new());
    };
    let mut kinderen: Vec<u32> = r.uithuisplaatsingen.iter().map(|u| u.kind).collect();
    kinderen.sort_unstable();
    kinderen.dedup();
    let aantal = kinderen.len().min(12);
    Ok(vec![met(
        gegeven(
            "rvdk.uithuisplaatsing",
            "Uithuisplaatsing van uw kinderen",
            format!("{aantal} kind(eren), de eerste keer op {}", dag(eerste)),
            json!(
                r.uithuisplaatsingen
                    .iter()
                    .map(|u| json!({"kind": u.kind, "vanaf": u.vanaf, "tot": u.tot}))
                    .collect::<Vec<_>>()
            ),
        ),
        &[
            ("gezin.uithuisplaatsing", json!(true)),
            ("gezin.uithuisgeplaatst-aantal", json!(aantal)),
            ("gezin.uithuisplaatsing-datum", json!(eerste)),
        ],
    )])
}

#[derive(Deserialize)]
struct Cjib {
    beslagen: Vec<Beslag>,
    deurwaarders: Vec<Deurwaarder>,
}

#[derive(Deserialize)]
struct Beslag {
    soort: String,
    vanaf: NaiveDate,
    tot: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct Deurwaarder {
    datum: NaiveDate,
}

pub(super) fn cjib(v: &Value) -> Result<Vec<Gegeven>, String> {
    let c: Cjib = lees(v)?;
    let mut uit = Vec::new();
    if let Some(eerste) = c.beslagen.iter().map(|b| b.vanaf).min() {
        let vandaag = chrono::Utc::now().date_naive();
        let dagen: i64 = c
            .beslagen
            .iter()
            .map(|b| (b.tot.unwrap_or(vandaag) - b.vanaf).num_days().max(0))
            .sum();
        let duur = if dagen >= 365 { "lang" } else { "kort" };
        uit.push(met(
            gegeven(
                "cjib.beslagen",
                "Beslagen",
                c.beslagen
                    .iter()
                    .map(|b| format!("{} vanaf {}", b.soort, dag(b.vanaf)))
                    .collect::<Vec<_>>()
                    .join("; "),
                json!(
                    c.beslagen
                        .iter()
                        .map(|b| json!({"soort": b.soort, "vanaf": b.vanaf, "tot": b.tot}))
                        .collect::<Vec<_>>()
                ),
            ),
            &[
                ("schulden.beslag", json!(true)),
                ("schulden.beslag-datum", json!(eerste)),
                ("schulden.beslag-duur", json!(duur)),
            ],
        ));
    }
    if let Some(eerste) = c.deurwaarders.iter().map(|d| d.datum).min() {
        uit.push(met(
            gegeven(
                "cjib.deurwaarder",
                "Bezoek van een deurwaarder",
                format!(
                    "{} keer, de eerste keer op {}",
                    c.deurwaarders.len(),
                    dag(eerste)
                ),
                json!(c.deurwaarders.iter().map(|d| d.datum).collect::<Vec<_>>()),
            ),
            &[
                ("schulden.deurwaarder", json!(true)),
                ("schulden.deurwaarder-datum", json!(eerste)),
            ],
        ));
    }
    Ok(uit)
}
