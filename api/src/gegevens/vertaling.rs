//! Each source's answer, read strictly into data the parent can check, and the answers each
//! datum would give to the questionnaire once confirmed. An answer that does not match what the
//! source promised is refused as a whole: nothing of a half-understood answer is kept.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::bron::Gegeven;
use super::client::Vertaling;

pub fn van(code: &str) -> Option<Vertaling> {
    Some(match code {
        "uht" => uht,
        "brp" => brp,
        "uwv" => uwv,
        "belastingdienst" => belastingdienst,
        "duo" => duo,
        "kadaster" => kadaster,
        "rvdk" => rvdk,
        "cjib" => cjib,
        _ => return None,
    })
}

fn lees<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| e.to_string())
}

const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

fn dag(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MAANDEN[d.month0() as usize], d.year())
}

fn euro(cent: i64) -> String {
    let euros = (cent / 100).to_string();
    let mut out = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("€ {out}")
}

/// Whole years from `van` to `tot`, rounded up, at least 1 (the questionnaire's convention).
fn jaren(van: NaiveDate, tot: NaiveDate) -> i64 {
    let dagen = (tot - van).num_days().max(1);
    (dagen + 364) / 365
}

fn gegeven(sleutel: &str, label: &str, weergave: String, waarde: Value) -> Gegeven {
    Gegeven {
        sleutel: sleutel.into(),
        label: label.into(),
        weergave,
        waarde,
        antwoorden: BTreeMap::new(),
    }
}

fn met(mut g: Gegeven, antwoorden: &[(&str, Value)]) -> Gegeven {
    g.antwoorden = antwoorden
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    g
}

fn ja_nee(b: bool) -> &'static str {
    if b { "ja" } else { "nee" }
}

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

fn uht(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn brp(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn uwv(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn belastingdienst(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn duo(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn kadaster(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn rvdk(v: &Value) -> Result<Vec<Gegeven>, String> {
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

fn cjib(v: &Value) -> Result<Vec<Gegeven>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_dates_read_as_dutch() {
        assert_eq!(euro(300_000), "€ 3.000");
        assert_eq!(euro(123_456_789), "€ 1.234.567");
        assert_eq!(
            dag(NaiveDate::from_ymd_opt(2012, 3, 1).unwrap()),
            "1 maart 2012"
        );
    }

    #[test]
    fn a_uht_answer_prefills_the_indicator_inputs() {
        let g = uht(&json!({"erkend": true, "integraleBeoordeling": {"definitief": true, "datum": "2021-06-01"},
            "eerdereAfwikkeling": "nee", "toeslagjaren": [
                {"jaar": 2011, "teruggevorderd": 250000, "terugbetaald": 150000, "datumTerugvordering": "2012-04-01"},
                {"jaar": 2010, "teruggevorderd": 300000, "terugbetaald": 300000, "datumTerugvordering": "2012-03-01", "datumHerstel": null}]}))
        .unwrap();
        let jaren = g.iter().find(|g| g.sleutel == "uht.toeslagjaren").unwrap();
        assert_eq!(
            jaren.antwoorden["tijdlijn.toeslagjaren"][1]["datum-terugvordering"],
            "2012-03-01"
        );
        let start = g
            .iter()
            .find(|g| g.sleutel == "uht.eerste-terugvordering")
            .unwrap();
        assert_eq!(start.antwoorden["tijdlijn.probleemstart"], "2012-03-01");
    }

    #[test]
    fn answers_that_break_the_promise_are_refused_whole() {
        assert!(
            uht(&json!({"erkend": "ja", "eerdereAfwikkeling": "nee", "toeslagjaren": []})).is_err()
        );
        assert!(uht(&json!({"erkend": true, "eerdereAfwikkeling": "nee", "toeslagjaren": [{"jaar": 2010}]})).is_err());
        assert!(brp(&json!({"huishoudens": [], "adressen": [{"vanaf": "2010-13-01", "soort": "woonadres", "woonplaats": "X"}], "partnerschappen": []})).is_err());
        assert!(cjib(&json!([])).is_err());
    }
}
