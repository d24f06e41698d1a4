//! A life per seeded parent, and the answers they give step by step. The shape is the golden
//! persona of the engine's tests (`tests/src/aanvraag.rs`, `golden_steps`), varied per parent:
//! other years and amounts, other areas of life, other dates. The seeder sends these answers
//! through the engine's own step validation (`engine::sla_stap_op`), so every seeded claim is one
//! the app could have made.

use chrono::{Days, NaiveDate};
use serde_json::{Map, Value, json};

/// SplitMix64: small, fast, and the same sequence for the same parent on every run and machine
/// (the population is reproducible; no dependency on a random-number crate).
pub struct Toeval(u64);

impl Toeval {
    pub fn new(zaad: u64) -> Toeval {
        Toeval(zaad)
    }

    pub fn volgende(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `van..=tot`.
    pub fn tussen(&mut self, van: i64, tot: i64) -> i64 {
        let breedte = u64::try_from(tot - van + 1).unwrap_or(1).max(1);
        van + i64::try_from(self.volgende() % breedte).unwrap_or(0)
    }

    pub fn kans(&mut self, procent: u64) -> bool {
        self.volgende() % 100 < procent
    }

    pub fn kies<'a, T>(&mut self, opties: &'a [T]) -> &'a T {
        let n = u64::try_from(opties.len()).unwrap_or(1).max(1);
        &opties[usize::try_from(self.volgende() % n).unwrap_or(0)]
    }
}

#[derive(Debug, Clone)]
pub struct Jaar {
    pub jaar: i32,
    pub teruggevorderd: i64,
    pub terugbetaald: i64,
    pub terugvordering: NaiveDate,
    pub herstel: Option<NaiveDate>,
}

/// What happened to one parent: the inputs of their answers and of their UHT file.
#[derive(Debug, Clone)]
pub struct Leven {
    pub jaren: Vec<Jaar>,
    pub probleemstart: NaiveDate,
    pub gezinsleden: i64,
    pub leefgebieden: Vec<&'static str>,
    pub taal: &'static str,
    pub advocaat: bool,
    /// Asks for a restorative conversation in the questionnaire.
    pub gesprek: bool,
    /// Seeds the details of each step, so they do not shift when the life above changes.
    detail: u64,
}

/// Areas of life in questionnaire order, with how often a parent names each (%).
const LEEFGEBIEDEN: [(&str, u64); 8] = [
    ("wonen", 45),
    ("werk-inkomen", 55),
    ("schulden", 75),
    ("gezin", 50),
    ("gezondheid", 60),
    ("opleiding", 15),
    ("bezittingen", 30),
    ("kosten", 40),
];

/// Dates in the answers stay before this day: the damage lies in the past.
fn laatste_dag() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 12, 31).expect("geldige datum")
}

fn datum(jaar: i32, r: &mut Toeval) -> NaiveDate {
    let maand = u32::try_from(r.tussen(1, 12)).unwrap_or(1);
    let dag = u32::try_from(r.tussen(1, 28)).unwrap_or(1);
    NaiveDate::from_ymd_opt(jaar, maand, dag).expect("dag 1-28 bestaat altijd")
}

/// A day between `na` and some years later, never after [`laatste_dag`].
fn later(na: NaiveDate, r: &mut Toeval, max_dagen: i64) -> NaiveDate {
    let dagen = u64::try_from(r.tussen(10, max_dagen)).unwrap_or(10);
    na.checked_add_days(Days::new(dagen))
        .unwrap_or(na)
        .min(laatste_dag())
        .max(na)
}

pub fn leven(r: &mut Toeval, advocaat: bool) -> Leven {
    let aantal = *r.kies(&[1, 1, 1, 2, 2, 3]);
    let eerste = i32::try_from(r.tussen(2006, 2016)).unwrap_or(2010);
    // One in ten reclaims was reversed within months and repaid in small part: the indicator
    // rule's low-impact case, so the queue's filter has something to find.
    let laag = r.kans(10);
    let jaren: Vec<Jaar> = (0..aantal)
        .map(|k| {
            let jaar = eerste + k;
            let teruggevorderd = if laag {
                r.tussen(500, 3_000) * 100
            } else {
                r.tussen(1_500, 25_000) * 100
            };
            let terugvordering = datum(jaar + i32::from(r.kans(50)) + 1, r);
            Jaar {
                jaar,
                teruggevorderd,
                terugbetaald: if laag {
                    r.tussen(0, 150) * 100
                } else {
                    teruggevorderd * r.tussen(20, 100) / 100 / 100 * 100
                },
                terugvordering,
                herstel: laag.then(|| later(terugvordering, r, 200)),
            }
        })
        .collect();
    let probleemstart = jaren
        .iter()
        .map(|j| j.terugvordering)
        .min()
        .unwrap_or_else(laatste_dag);
    let mut leefgebieden: Vec<&'static str> = LEEFGEBIEDEN
        .iter()
        .filter(|(_, p)| r.kans(*p))
        .map(|(g, _)| *g)
        .collect();
    if leefgebieden.is_empty() {
        leefgebieden.push("schulden");
    }
    Leven {
        jaren,
        probleemstart,
        gezinsleden: *r.kies(&[2, 3, 3, 4, 4, 5, 6]),
        leefgebieden,
        taal: if r.kans(8) { "en" } else { "nl" },
        advocaat,
        gesprek: r.kans(35),
        detail: r.volgende(),
    }
}

/// The parent's UHT file as the source answers it (the development simulator's shape).
pub fn uht_bron(l: &Leven) -> Value {
    let jaren: Vec<Value> = l
        .jaren
        .iter()
        .map(|j| {
            let mut v = json!({"jaar": j.jaar, "teruggevorderd": j.teruggevorderd,
                "terugbetaald": j.terugbetaald, "datumTerugvordering": j.terugvordering});
            if let Some(h) = j.herstel {
                v["datumHerstel"] = json!(h);
            }
            v
        })
        .collect();
    json!({
        "erkend": true,
        "integraleBeoordeling": {"definitief": true, "datum": later(l.probleemstart, &mut Toeval::new(l.detail), 3000)},
        "eerdereAfwikkeling": "nee",
        "toeslagjaren": jaren,
    })
}

fn stap(antwoorden: Value) -> Map<String, Value> {
    match antwoorden {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

const VERHALEN: [&str; 4] = [
    "Wij verloren ons huis en daarna bijna alles.",
    "Door de terugvordering kwamen wij in de schulden en raakte ik mijn werk kwijt.",
    "De spanning thuis werd te veel; mijn relatie ging eraan kapot.",
    "Ik schaamde mij jarenlang en durfde niemand om hulp te vragen.",
];

/// The steps in questionnaire order, each with the answers the parent sends. Steps of areas of
/// life they did not name are not sent: they do not apply.
pub fn stappen(l: &Leven) -> Vec<(&'static str, Map<String, Value>)> {
    let r = &mut Toeval::new(l.detail);
    let start = l.probleemstart;
    let d = |r: &mut Toeval| later(start, r, 2500).to_string();
    let toeslagjaren: Vec<Value> = l
        .jaren
        .iter()
        .map(|j| {
            let mut v = json!({"jaar": j.jaar, "teruggevorderd": j.teruggevorderd,
                "terugbetaald": j.terugbetaald, "datum-terugvordering": j.terugvordering});
            if let Some(h) = j.herstel {
                v["datum-herstel"] = json!(h);
            }
            v
        })
        .collect();
    let mut uit = vec![
        (
            "start",
            stap(json!({"start.erkend": true, "start.ib-definitief": true,
                "start.eerder-afgewikkeld": "nee", "start.advocaat": l.advocaat, "start.taal": l.taal})),
        ),
        ("gegevens", stap(json!({"gegevens.toestemming": []}))),
        (
            "tijdlijn",
            stap(
                json!({"tijdlijn.probleemstart": start, "tijdlijn.toeslagjaren": toeslagjaren,
                "tijdlijn.gezinsleden": l.gezinsleden, "tijdlijn.leefgebieden": l.leefgebieden}),
            ),
        ),
    ];
    for gebied in &l.leefgebieden {
        let antwoorden = match *gebied {
            "wonen" => {
                let soort = *r.kies(&["geen", "huurwoning", "huurwoning", "koopwoning"]);
                let mut a = json!({"wonen.geraakt": true, "wonen.verlies-soort": soort});
                if soort != "geen" {
                    a["wonen.verlies-datum"] = json!(d(r));
                }
                let verhuisd = r.kans(50);
                a["wonen.noodgedwongen-verhuisd"] = json!(verhuisd);
                if verhuisd {
                    a["wonen.verhuis-datum"] = json!(d(r));
                }
                let dakloos = r.kans(15);
                a["wonen.dakloos"] = json!(dakloos);
                if dakloos {
                    a["wonen.dakloos-jaren"] = json!(r.tussen(1, 3));
                    a["wonen.dakloos-sinds"] = json!(d(r));
                }
                a
            }
            "werk-inkomen" => {
                let mut a = json!({"werk-inkomen.geraakt": true});
                for (vraag, datumvraag, kans) in [
                    ("baan-verloren", "baanverlies-datum", 50),
                    ("onderneming-beeindigd", "onderneming-datum", 10),
                ] {
                    let ja = r.kans(kans);
                    a[format!("werk-inkomen.{vraag}")] = json!(ja);
                    if ja {
                        a[format!("werk-inkomen.{datumvraag}")] = json!(d(r));
                    }
                }
                let minder = r.kans(60);
                a["werk-inkomen.minder-gewerkt"] = json!(minder);
                if minder {
                    a["werk-inkomen.minder-gewerkt-jaren"] = json!(r.tussen(1, 6));
                    a["werk-inkomen.minder-gewerkt-sinds"] = json!(d(r));
                }
                a["werk-inkomen.pensioen-gemist"] = json!(r.kans(20));
                a
            }
            "schulden" => {
                let mut a = json!({"schulden.geraakt": true});
                let beslag = r.kans(70);
                a["schulden.beslag"] = json!(beslag);
                if beslag {
                    a["schulden.beslag-datum"] = json!(d(r));
                    a["schulden.beslag-duur"] = json!(r.kies(&["kort", "lang"]));
                }
                let deurwaarder = r.kans(55);
                a["schulden.deurwaarder"] = json!(deurwaarder);
                if deurwaarder {
                    a["schulden.deurwaarder-datum"] = json!(d(r));
                }
                a
            }
            "gezin" => {
                let mut a = json!({"gezin.geraakt": true});
                let breuk = r.kans(45);
                a["gezin.relatiebreuk"] = json!(breuk);
                if breuk {
                    a["gezin.relatiebreuk-datum"] = json!(d(r));
                }
                let uithuis = r.kans(12);
                a["gezin.uithuisplaatsing"] = json!(uithuis);
                if uithuis {
                    a["gezin.uithuisgeplaatst-aantal"] = json!(r.tussen(1, 3));
                    a["gezin.uithuisplaatsing-datum"] = json!(d(r));
                }
                a
            }
            "gezondheid" => json!({"gezondheid.geraakt": true,
                "gezondheid.ernst": r.kies(&["licht", "middel", "middel", "zwaar"]),
                "gezondheid.klachten-sinds": d(r)}),
            "opleiding" => json!({"opleiding.geraakt": true,
                "opleiding.vertraging-jaren": r.tussen(1, 4), "opleiding.sinds": d(r)}),
            "bezittingen" => json!({"bezittingen.geraakt": true,
                "bezittingen.waarde-klasse": r.kies(&["tot-5000", "tot-5000", "tot-25000", "boven-25000"]),
                "bezittingen.datum": d(r)}),
            _ => {
                let mut a = json!({"kosten.geraakt": true});
                let opvang = r.kans(30);
                a["kosten.vervangende-opvang"] = json!(opvang);
                if opvang {
                    a["kosten.opvang-jaren"] = json!(r.tussen(1, 5));
                    a["kosten.opvang-sinds"] = json!(d(r));
                }
                a["kosten.juridisch"] = json!(r.kies(&["geen", "beperkt", "aanzienlijk"]));
                a
            }
        };
        uit.push((gebied, stap(antwoorden)));
    }
    uit.push((
        "eigen-verhaal",
        stap(json!({"eigen-verhaal.tekst": r.kies(&VERHALEN)})),
    ));
    uit.push((
        "ondersteuning",
        stap(json!({"ondersteuning.herstelrechtgesprek": l.gesprek})),
    ));
    uit.push(("overzicht", stap(json!({"overzicht.naar-waarheid": true}))));
    uit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::Catalogus;
    use crate::wizard::engine::{self, Antwoorden, Opgehaald};

    /// Every life's answers pass the engine's step validation and complete the questionnaire.
    #[test]
    fn every_life_answers_validly_and_completely() {
        let catalogus = Catalogus::shipped().unwrap();
        let inhoud = catalogus.actueel();
        let geen = Opgehaald::default();
        for zaad in 0..300 {
            let l = leven(&mut Toeval::new(zaad), zaad % 7 == 0);
            let mut antwoorden = Antwoorden::new();
            for (stap, a) in stappen(&l) {
                antwoorden = engine::sla_stap_op(inhoud, &antwoorden, &geen, stap, &a)
                    .unwrap_or_else(|f| panic!("leven {zaad}, stap {stap}: {f:?}"))
                    .0;
            }
            let stand = engine::stand(inhoud, &antwoorden, &geen);
            assert!(
                stand
                    .stappen
                    .iter()
                    .filter(|s| s.zichtbaar)
                    .all(|s| s.compleet),
                "leven {zaad}"
            );
        }
    }
}
