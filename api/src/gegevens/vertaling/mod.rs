//! Each source's answer, read strictly into data the parent can check, and the answers each
//! datum would give to the questionnaire once confirmed. An answer that does not match what the
//! source promised is refused as a whole: nothing of a half-understood answer is kept.

mod brp;
mod overig;
mod uht;
mod werk;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::bron::Gegeven;
use super::client::Vertaling;
use brp::brp;
use overig::{cjib, duo, kadaster, rvdk};
use uht::uht;
use werk::{belastingdienst, uwv};

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

/// A day as Dutch readers write it: "3 maart 2027".
pub(crate) fn dag(d: NaiveDate) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
