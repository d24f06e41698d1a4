//! The development data sources: one small HTTP service per source inside the server, under
//! `/dev-bronnen/{bron}/bevragingen` — outside `/v1` and the OpenAPI document, and only mounted in
//! development (production refuses `gegevens.simulator = true`). The plugins reach it over HTTP
//! exactly as they reach a real source. It knows the test persons of [B] by BSN, each with a
//! different life, and per source it can be set to an outage, slow answers or malformed answers
//! (`gegevens.simulator_modi`), so app developers and tests see every way a retrieval can go.

use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::bron::{BRONNEN, DOELBINDING};
use super::instellingen::GegevensSettings;

pub struct Simulator {
    modi: BTreeMap<String, String>,
    traag: Duration,
}

impl Simulator {
    pub fn new(s: &GegevensSettings) -> Simulator {
        Simulator {
            modi: s.simulator_modi.clone(),
            traag: Duration::from_millis(s.simulator_traag_ms),
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/dev-bronnen/{bron}/bevragingen", web::post().to(bevraging));
}

#[derive(Deserialize)]
struct Vraag {
    burgerservicenummer: String,
}

async fn bevraging(
    sim: web::Data<Simulator>,
    bron: web::Path<String>,
    req: HttpRequest,
    body: web::Json<Vraag>,
) -> HttpResponse {
    let bron = bron.into_inner();
    if !BRONNEN.iter().any(|b| b.code == bron) {
        return HttpResponse::NotFound().finish();
    }
    // A real source refuses a request without purpose binding; so does this one.
    let doel = req
        .headers()
        .get("x-doelbinding")
        .and_then(|v| v.to_str().ok());
    if doel != Some(DOELBINDING) || !req.headers().contains_key("traceparent") {
        return HttpResponse::BadRequest()
            .json(json!({"fout": "x-doelbinding en traceparent zijn verplicht"}));
    }
    match sim.modi.get(&bron).map(String::as_str) {
        Some("storing") => {
            return HttpResponse::ServiceUnavailable().json(json!({"fout": "onderhoud"}));
        }
        Some("traag") => tokio::time::sleep(sim.traag).await,
        Some("onleesbaar") => {
            return HttpResponse::Ok()
                .json(json!({"resultaat": "<html>fout</html>", "toeslagjaren": "onbekend"}));
        }
        _ => {}
    }
    match gegevens(&bron, &body.burgerservicenummer) {
        Some(v) => HttpResponse::Ok().json(v),
        None => HttpResponse::NotFound().json(json!({"fout": "persoon onbekend"})),
    }
}

const FATIMA: &str = "999993653";
const JEROEN: &str = "999990019";
const SANNE: &str = "999990032";
const MOHAMED: &str = "999990044";

/// What each source knows about each test person. Fatima lost nearly everything; Jeroen's
/// reclaim was large but his life held; Sanne's reclaim was reversed within months; Mohamed
/// repaid less than €2,000 in one year (the indicator rule's low-impact case).
fn gegevens(bron: &str, bsn: &str) -> Option<Value> {
    Some(match (bron, bsn) {
        ("uht", FATIMA) => json!({
            "erkend": true,
            "integraleBeoordeling": {"definitief": true, "datum": "2021-06-14"},
            "eerdereAfwikkeling": "nee",
            "toeslagjaren": [
                {"jaar": 2010, "teruggevorderd": 1_240_000, "terugbetaald": 980_000, "datumTerugvordering": "2012-03-01"},
                {"jaar": 2011, "teruggevorderd": 1_310_000, "terugbetaald": 1_310_000, "datumTerugvordering": "2012-11-15"},
                {"jaar": 2012, "teruggevorderd": 870_000, "terugbetaald": 420_000, "datumTerugvordering": "2013-09-02"}
            ]
        }),
        ("uht", JEROEN) => json!({
            "erkend": true,
            "integraleBeoordeling": {"definitief": true, "datum": "2022-02-01"},
            "eerdereAfwikkeling": "nee",
            "toeslagjaren": [
                {"jaar": 2014, "teruggevorderd": 960_000, "terugbetaald": 610_000, "datumTerugvordering": "2016-05-10"},
                {"jaar": 2015, "teruggevorderd": 720_000, "terugbetaald": 540_000, "datumTerugvordering": "2016-05-10"}
            ]
        }),
        ("uht", SANNE) => json!({
            "erkend": true,
            "integraleBeoordeling": {"definitief": true, "datum": "2022-09-30"},
            "eerdereAfwikkeling": "nee",
            "toeslagjaren": [
                {"jaar": 2017, "teruggevorderd": 410_000, "terugbetaald": 0, "datumTerugvordering": "2018-03-12", "datumHerstel": "2018-06-01"}
            ]
        }),
        ("uht", MOHAMED) => json!({
            "erkend": true,
            "integraleBeoordeling": {"definitief": true, "datum": "2023-01-20"},
            "eerdereAfwikkeling": "nee",
            "toeslagjaren": [
                {"jaar": 2013, "teruggevorderd": 380_000, "terugbetaald": 150_000, "datumTerugvordering": "2014-10-01"}
            ]
        }),
        ("brp", FATIMA) => json!({
            "huishoudens": [{"vanaf": "2009-05-01", "aantalPersonen": 4}, {"vanaf": "2011-06-01", "aantalPersonen": 3}],
            "adressen": [
                {"vanaf": "2006-03-01", "tot": "2014-06-01", "soort": "woonadres", "woonplaats": "Almere"},
                {"vanaf": "2014-06-01", "tot": "2016-06-01", "soort": "briefadres", "woonplaats": "Almere"},
                {"vanaf": "2016-06-01", "soort": "woonadres", "woonplaats": "Lelystad"}
            ],
            "partnerschappen": [{"aangegaan": "2004-05-01", "ontbonden": "2011-06-01"}]
        }),
        ("brp", JEROEN) => json!({
            "huishoudens": [{"vanaf": "2012-01-01", "aantalPersonen": 5}],
            "adressen": [{"vanaf": "2012-01-01", "soort": "woonadres", "woonplaats": "Zwolle"}],
            "partnerschappen": [{"aangegaan": "2010-08-14"}]
        }),
        ("brp", SANNE) => json!({
            "huishoudens": [{"vanaf": "2015-02-01", "aantalPersonen": 2}],
            "adressen": [{"vanaf": "2015-02-01", "soort": "woonadres", "woonplaats": "Utrecht"}],
            "partnerschappen": []
        }),
        ("brp", MOHAMED) => json!({
            "huishoudens": [{"vanaf": "2011-01-01", "aantalPersonen": 3}],
            "adressen": [
                {"vanaf": "2011-01-01", "tot": "2015-08-01", "soort": "woonadres", "woonplaats": "Rotterdam"},
                {"vanaf": "2015-08-01", "soort": "woonadres", "woonplaats": "Schiedam"}
            ],
            "partnerschappen": []
        }),
        ("uwv", FATIMA) => json!({
            "dienstverbanden": [{"werkgever": "Zorggroep Flevoland", "vanaf": "2007-01-01", "tot": "2013-01-15", "redenEinde": "ontslag"}],
            "urenwijzigingen": [{"vanaf": "2013-02-01", "tot": "2016-01-31", "urenVoor": 32, "urenNa": 16}],
            "uitkeringen": [{"soort": "WW", "vanaf": "2013-01-16", "tot": "2014-01-15"}, {"soort": "bijstand", "vanaf": "2014-01-16", "tot": "2016-01-31"}]
        }),
        ("uwv", JEROEN) => json!({
            "dienstverbanden": [{"werkgever": "Transport Oost", "vanaf": "2009-04-01", "redenEinde": null}],
            "urenwijzigingen": [],
            "uitkeringen": []
        }),
        ("belastingdienst", FATIMA) => json!({
            "inkomens": [{"jaar": 2011, "bedrag": 3_120_000}, {"jaar": 2013, "bedrag": 1_890_000}, {"jaar": 2015, "bedrag": 1_410_000}],
            "onderneming": null
        }),
        ("belastingdienst", JEROEN) => json!({
            "inkomens": [{"jaar": 2015, "bedrag": 4_050_000}, {"jaar": 2017, "bedrag": 4_210_000}],
            "onderneming": {"gestart": "2013-01-01", "gestopt": "2017-06-30"}
        }),
        ("duo", FATIMA) => json!({
            "opleidingen": [{"naam": "mbo Verpleegkunde niveau 4", "vanaf": "2012-09-01", "tot": "2017-07-01", "nominaleDuurJaren": 3}]
        }),
        ("kadaster", FATIMA) => json!({
            "eigendommen": [{"woonplaats": "Almere", "verkregen": "2006-03-01", "vervreemd": "2014-05-01"}]
        }),
        ("kadaster", JEROEN) => {
            json!({"eigendommen": [{"woonplaats": "Zwolle", "verkregen": "2012-01-01", "vervreemd": null}]})
        }
        ("rvdk", FATIMA) => json!({
            "uithuisplaatsingen": [{"kind": 1, "vanaf": "2015-01-12", "tot": "2018-06-01"}, {"kind": 2, "vanaf": "2015-01-12", "tot": "2019-02-01"}]
        }),
        ("cjib", FATIMA) => json!({
            "beslagen": [{"soort": "loonbeslag", "vanaf": "2012-09-01", "tot": "2013-01-15"}, {"soort": "beslag op uitkering", "vanaf": "2013-02-01", "tot": "2015-12-01"}],
            "deurwaarders": [{"datum": "2013-04-08"}, {"datum": "2014-02-17"}]
        }),
        ("cjib", MOHAMED) => json!({
            "beslagen": [{"soort": "bankbeslag", "vanaf": "2015-02-01", "tot": "2015-07-01"}],
            "deurwaarders": []
        }),
        // The source knows the person but has nothing: an empty, well-formed answer.
        (_, FATIMA | JEROEN | SANNE | MOHAMED) => match bron {
            "uwv" => json!({"dienstverbanden": [], "urenwijzigingen": [], "uitkeringen": []}),
            "belastingdienst" => json!({"inkomens": [], "onderneming": null}),
            "duo" => json!({"opleidingen": []}),
            "kadaster" => json!({"eigendommen": []}),
            "rvdk" => json!({"uithuisplaatsingen": []}),
            "cjib" => json!({"beslagen": [], "deurwaarders": []}),
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_reads_as_its_source_promises() {
        for b in BRONNEN {
            let vertaling = super::super::vertaling::van(b.code).expect("vertaling");
            for bsn in [FATIMA, JEROEN, SANNE, MOHAMED] {
                if let Some(v) = gegevens(b.code, bsn) {
                    vertaling(&v).unwrap_or_else(|e| panic!("{} {bsn}: {e}", b.code));
                }
            }
        }
    }
}
