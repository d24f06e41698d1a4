//! The engine against the shipped content: a golden persona whose outcome is worked out by hand,
//! and properties that must hold for any answers.

use serde_json::{Value, json};

use super::Catalogus;
use super::calc::{Status, bereken};
use super::content::VraagType;
use super::engine::{Antwoorden, Opgehaald, sla_stap_op, stand};

fn answers(pairs: Value) -> Antwoorden {
    pairs
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Every life domain touched; one toeslagjaar with € 1.500 repaid (the indicator rule holds);
/// the relationship ended before the problems started.
pub fn golden() -> Antwoorden {
    answers(serde_json::from_str(r#"{
        "start.erkend": true, "start.ib-definitief": true, "start.eerder-afgewikkeld": "nee",
        "start.advocaat": false, "start.taal": "nl",
        "gegevens.toestemming": [],
        "tijdlijn.probleemstart": "2012-03-01",
        "tijdlijn.toeslagjaren": [{"jaar": 2010, "teruggevorderd": 300000, "terugbetaald": 150000, "datum-terugvordering": "2012-03-01"}],
        "tijdlijn.gezinsleden": 4,
        "tijdlijn.leefgebieden": ["wonen", "werk-inkomen", "schulden", "gezin", "gezondheid", "opleiding", "bezittingen", "kosten"],
        "wonen.geraakt": true, "wonen.verlies-soort": "koopwoning", "wonen.verlies-datum": "2014-05-01",
        "wonen.noodgedwongen-verhuisd": true, "wonen.verhuis-datum": "2014-06-01",
        "wonen.dakloos": true, "wonen.dakloos-jaren": 2, "wonen.dakloos-sinds": "2014-06-01",
        "werk-inkomen.geraakt": true, "werk-inkomen.baan-verloren": true, "werk-inkomen.baanverlies-datum": "2013-01-15",
        "werk-inkomen.minder-gewerkt": true, "werk-inkomen.minder-gewerkt-jaren": 3, "werk-inkomen.minder-gewerkt-sinds": "2013-02-01",
        "werk-inkomen.onderneming-beeindigd": false, "werk-inkomen.pensioen-gemist": false,
        "schulden.geraakt": true, "schulden.beslag": true, "schulden.beslag-datum": "2012-09-01", "schulden.beslag-duur": "lang",
        "schulden.deurwaarder": false,
        "gezin.geraakt": true, "gezin.relatiebreuk": true, "gezin.relatiebreuk-datum": "2011-06-01",
        "gezin.uithuisplaatsing": true, "gezin.uithuisgeplaatst-aantal": 2, "gezin.uithuisplaatsing-datum": "2015-01-01",
        "gezondheid.geraakt": true, "gezondheid.ernst": "zwaar", "gezondheid.klachten-sinds": "2012-06-01",
        "opleiding.geraakt": true, "opleiding.vertraging-jaren": 1, "opleiding.sinds": "2013-09-01",
        "bezittingen.geraakt": true, "bezittingen.waarde-klasse": "tot-5000", "bezittingen.datum": "2013-03-01",
        "kosten.geraakt": true, "kosten.vervangende-opvang": false, "kosten.juridisch": "aanzienlijk",
        "eigen-verhaal.tekst": "Wij verloren alles.",
        "ondersteuning.herstelrechtgesprek": true,
        "overzicht.naar-waarheid": true
    }"#).unwrap())
}

#[test]
fn the_golden_persona_gets_what_the_framework_says() {
    let catalogus = Catalogus::shipped().unwrap();
    let inhoud = catalogus.actueel();
    let s = stand(inhoud, &golden(), &Opgehaald::default());
    for domain in [
        "wonen",
        "werk-inkomen",
        "schulden",
        "gezin",
        "gezondheid",
        "opleiding",
        "bezittingen",
        "kosten",
    ] {
        assert!(s.stap(domain).unwrap().zichtbaar, "{domain} visible");
    }
    assert!(s.inactief.is_empty());
    let b = bereken(inhoud, &s, &Opgehaald::default());
    assert!(b.lage_impact);
    let post = |id: &str| b.posten.iter().find(|p| p.id == id).unwrap();
    let expect = [
        ("beslaglegging", Status::OnderbouwingNodig),
        ("schuldeisers-aan-de-deur", Status::NietVanToepassing),
        ("verlies-huurwoning", Status::NietVanToepassing),
        ("gedwongen-verkoop-koopwoning", Status::OnderbouwingNodig),
        ("noodgedwongen-verhuizing", Status::NietVanToepassing),
        ("dakloosheid", Status::Toegekend),
        ("baanverlies", Status::NietVanToepassing),
        ("inkomensschade", Status::OnderbouwingNodig),
        ("verlies-onderneming", Status::NietVanToepassing),
        ("pensioenschade", Status::NietVanToepassing),
        ("relatiebreuk", Status::Uitgesloten),
        ("uithuisplaatsing", Status::Toegekend),
        ("gezondheidsschade", Status::OnderbouwingNodig),
        ("studievertraging", Status::OnderbouwingNodig),
        ("bezittingen-onder-waarde", Status::OnderbouwingNodig),
        ("vervangende-kinderopvang", Status::NietVanToepassing),
        ("reis-en-juridische-kosten", Status::Toegekend),
        ("immateriele-schade-gezin", Status::OnderbouwingNodig),
    ];
    for (id, status) in expect {
        assert_eq!(post(id).status, status, "{id}");
    }
    // Group displacement: the forced sale (€ 7.500) beats the forced move (€ 2.000), and three
    // years of income loss (€ 4.500) beat the job loss (€ 4.000).
    assert_eq!(
        post("noodgedwongen-verhuizing").verdrongen_door.as_deref(),
        Some("gedwongen-verkoop-koopwoning")
    );
    assert_eq!(
        post("baanverlies").verdrongen_door.as_deref(),
        Some("inkomensschade")
    );
    // The indicator rule: the amount waits for substantiation, and the reason says why.
    assert_eq!(post("beslaglegging").bedrag, 0);
    assert_eq!(post("beslaglegging").forfaitair_bedrag, 250000);
    assert!(
        post("beslaglegging")
            .uitleg
            .iter()
            .any(|r| r.regel == "indicator")
    );
    // Excluded: the explanation names the dates and the questions.
    let excluded = post("relatiebreuk")
        .uitleg
        .iter()
        .find(|r| r.regel == "na-probleemstart")
        .unwrap();
    assert!(
        excluded.tekst.nl().contains("2011-06-01") && excluded.tekst.nl().contains("2012-03-01")
    );
    assert!(
        excluded
            .vragen
            .contains(&"gezin.relatiebreuk-datum".to_string())
    );
    // By hand: dakloosheid 2 × € 3.000 = € 6.000; uithuisplaatsing 2 × € 15.000 = € 30.000;
    // reis- en juridische kosten (aanzienlijk) € 2.500. Total € 38.500.
    assert_eq!(post("dakloosheid").bedrag, 600_000);
    assert_eq!(post("uithuisplaatsing").bedrag, 3_000_000);
    assert_eq!(post("reis-en-juridische-kosten").bedrag, 250_000);
    assert_eq!(b.totaal, 600_000 + 3_000_000 + 250_000);
}

#[test]
fn without_the_indicator_the_posts_are_granted() {
    let catalogus = Catalogus::shipped().unwrap();
    let inhoud = catalogus.actueel();
    let mut a = golden();
    a.insert(
        "tijdlijn.toeslagjaren".into(),
        json!([
            {"jaar": 2009, "teruggevorderd": 900000, "terugbetaald": 400000, "datum-terugvordering": "2012-03-01"},
            {"jaar": 2010, "teruggevorderd": 800000, "terugbetaald": 300000, "datum-terugvordering": "2012-03-01"},
            {"jaar": 2011, "teruggevorderd": 700000, "terugbetaald": 250000, "datum-terugvordering": "2012-03-01"}
        ]),
    );
    let s = stand(inhoud, &a, &Opgehaald::default());
    let b = bereken(inhoud, &s, &Opgehaald::default());
    assert!(!b.lage_impact);
    let post = |id: &str| b.posten.iter().find(|p| p.id == id).unwrap();
    assert_eq!(post("beslaglegging").status, Status::Toegekend);
    assert_eq!(post("beslaglegging").bedrag, 250_000);
    // Immaterial: € 1.000 per household member × 4.
    assert_eq!(post("immateriele-schade-gezin").bedrag, 400_000);
}

#[test]
fn hiding_a_step_keeps_its_answers_inactive_and_toggling_back_restores_them() {
    let catalogus = Catalogus::shipped().unwrap();
    let inhoud = catalogus.actueel();
    let mut a = golden();
    a.insert("wonen.geraakt".into(), json!(false));
    let hidden = stand(inhoud, &a, &Opgehaald::default());
    assert!(hidden.inactief.contains(&"wonen.verlies-soort".to_string()));
    let b = bereken(inhoud, &hidden, &Opgehaald::default());
    assert!(
        b.posten
            .iter()
            .filter(|p| p.id.contains("woning") || p.id == "dakloosheid")
            .all(|p| p.status == Status::NietVanToepassing)
    );
    a.insert("wonen.geraakt".into(), json!(true));
    let back = stand(inhoud, &a, &Opgehaald::default());
    assert!(back.inactief.is_empty());
    assert_eq!(
        bereken(inhoud, &back, &Opgehaald::default()).totaal,
        3_850_000
    );
}

#[test]
fn saving_a_step_reports_every_problem_at_once() {
    let catalogus = Catalogus::shipped().unwrap();
    let inhoud = catalogus.actueel();
    let before: Antwoorden = golden()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("wonen."))
        .collect();
    let body = json!({
        "wonen.geraakt": true,
        "wonen.verlies-soort": "kasteel",
        "wonen.dakloos-jaren": 2,
        "wonen.bestaat-niet": 1,
        "gezin.geraakt": true
    });
    let errors = sla_stap_op(
        inhoud,
        &before,
        &Opgehaald::default(),
        "wonen",
        body.as_object().unwrap(),
    )
    .unwrap_err();
    let codes: Vec<(String, String)> = errors
        .iter()
        .map(|e| (e.pad.join("/"), e.code.clone()))
        .collect();
    for expected in [
        ("wonen.verlies-soort", "enum"),
        ("wonen.bestaat-niet", "onbekende-vraag"),
        ("gezin.geraakt", "onbekende-vraag"),
        ("wonen.noodgedwongen-verhuisd", "required"),
        ("wonen.dakloos", "required"),
        ("wonen.dakloos-jaren", "niet-van-toepassing"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {codes:?}"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A value of the right type for every question (seeded), or none.
    fn answers_from(seeds: &[(bool, u16)]) -> Antwoorden {
        let catalogus = Catalogus::shipped().unwrap();
        let inhoud = catalogus.actueel();
        let mut a = Antwoorden::new();
        for (q, (include, seed)) in inhoud
            .vragenlijst
            .stappen
            .iter()
            .flat_map(|s| &s.vragen)
            .zip(seeds)
        {
            if !include {
                continue;
            }
            let n = i64::from(*seed);
            let v = match q.soort {
                VraagType::JaNee => json!(seed % 2 == 0),
                VraagType::Keuze => json!(q.opties[*seed as usize % q.opties.len()].waarde),
                VraagType::Meerkeuze => json!([q.opties[*seed as usize % q.opties.len()].waarde]),
                VraagType::Datum => json!(format!("{}-{:02}-01", 2005 + n % 15, 1 + n % 12)),
                VraagType::Jaar => json!(2005 + n % 15),
                VraagType::Getal => json!(1 + n % 6),
                VraagType::Bedrag => json!(n * 100),
                VraagType::Tekst => json!("tekst"),
                VraagType::Lijst => {
                    json!([{"jaar": 2010, "teruggevorderd": n * 50, "terugbetaald": n * 20, "datum-terugvordering": "2012-01-01"}])
                }
            };
            a.insert(q.id.clone(), v);
        }
        a
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_calculation_keeps_its_promises(seeds in proptest::collection::vec((any::<bool>(), any::<u16>()), 80)) {
            let catalogus = Catalogus::shipped().unwrap();
            let inhoud = catalogus.actueel();
            let a = answers_from(&seeds);
            let none = Opgehaald::default();
            let s = stand(inhoud, &a, &none);
            let b = bereken(inhoud, &s, &none);
            // Same inputs, same output.
            prop_assert_eq!(&b, &bereken(inhoud, &stand(inhoud, &a, &none), &none));
            // Without the texts, everything else is the same.
            let mut kort = b.clone();
            kort.posten.iter_mut().for_each(|p| p.uitleg.clear());
            prop_assert_eq!(&kort, &super::super::calc::bereken_zonder_uitleg(inhoud, &s, &none));
            // The total is the sum of the granted posts; nothing is negative.
            let sum: i64 = b.posten.iter().filter(|p| p.status == Status::Toegekend).map(|p| p.bedrag).sum();
            prop_assert_eq!(b.totaal, sum);
            prop_assert!(b.posten.iter().all(|p| p.bedrag >= 0 && p.forfaitair_bedrag >= 0));
            // No post granted whose condition is false.
            for p in &b.posten {
                if matches!(p.status, Status::Toegekend | Status::OnderbouwingNodig) {
                    prop_assert!(inhoud.holds(super::super::key_post(&p.id), &s.actief), "{}", p.id);
                }
            }
            // Answers to hidden questions never count: dropping them changes nothing.
            let only_active: Antwoorden = a.iter().filter(|(k, _)| s.actief.contains_key(*k)).map(|(k, v)| (k.clone(), v.clone())).collect();
            let b2 = bereken(inhoud, &stand(inhoud, &only_active, &none), &none);
            prop_assert_eq!(b.totaal, b2.totaal);
            prop_assert_eq!(&b.posten, &b2.posten);
        }
    }

    fn waarde() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::json;
        let leaf = prop_oneof![
            Just(json!(null)),
            any::<bool>().prop_map(|b| json!(b)),
            (-2i64..3).prop_map(|n| json!(n)),
            Just(json!(0.0)),
            Just(json!(1.5)),
            prop::sample::select(vec![
                "",
                "0",
                "1",
                "true",
                "huurwoning",
                "koopwoning",
                "wonen",
                "gezin",
                "beperkt",
                "aanzienlijk",
                "geen",
                "x"
            ])
            .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(1, 6, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                inner.prop_map(|v| json!({"a": v})),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Wherever the native fast path decides a condition, JSONLogic decides the same.
        #[test]
        fn the_fast_path_agrees_with_jsonlogic(values in proptest::collection::vec(waarde(), 32), absent in proptest::collection::vec(any::<bool>(), 32)) {
            let catalogus = Catalogus::shipped().unwrap();
            let inhoud = catalogus.actueel();
            let mut keys = inhoud.snelle_sleutels();
            keys.sort_by_key(|k| k.to_string());
            prop_assert!(keys.len() > 40, "the fast path covers most conditions ({})", keys.len());
            let mut eval = inhoud.evaluator();
            for (i, key) in keys.iter().enumerate() {
                let mut answers = std::collections::BTreeMap::new();
                for q in inhoud.uses(*key) {
                    if !absent[i % 32] {
                        answers.insert(q.clone(), values[i % 32].clone());
                    }
                }
                let reference = eval.holds_jsonlogic(*key, &answers);
                prop_assert_eq!(eval.holds(*key, &answers), reference, "{} with {:?}", key, answers);
            }
        }
    }
}
