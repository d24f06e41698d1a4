//! Consent-based retrieval of government-held data over HTTP ([E]): the in-server simulator
//! answers for the test persons, reached over real HTTP by the real source clients. A parent
//! consents, retrieves, confirms or disputes, and the claim is prefilled with provenance; one
//! source down, slow or malformed blocks none of the others and stores nothing; revoking deletes
//! the data and reopens the answers; and the measure of the issue: how many questions a parent
//! still answers by hand with every consent, against none.

use std::collections::BTreeMap;
use std::time::Duration;

use mijn_herstel_tests::aanvraag::{etag, golden_steps};
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

const MOHAMED: &str = "0193a6c2-0000-7000-8000-000000000004";
const ALLE_BRONNEN: [&str; 8] = [
    "uht",
    "brp",
    "uwv",
    "belastingdienst",
    "duo",
    "kadaster",
    "rvdk",
    "cjib",
];

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn send(
    app: &TestApp,
    method: Method,
    t: &str,
    path: &str,
    body: Value,
) -> reqwest::Response {
    app.request(method, path)
        .bearer_auth(t)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

async fn consent(app: &TestApp, t: &str, bronnen: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for bron in bronnen {
        let r = ok(
            send(
                app,
                Method::POST,
                t,
                "/toestemmingen",
                json!({"bron": bron}),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(r["status"], "geldig");
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    ids
}

/// Starts a retrieval and follows it until every source is done.
async fn retrieve(app: &TestApp, t: &str, body: Value) -> Value {
    let r = send(app, Method::POST, t, "/bevragingen", body).await;
    assert_eq!(r.status().as_u16(), 202);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let path = location.split("/v1").nth(1).unwrap().to_string();
    let started: Value = r.json().await.unwrap();
    assert!(
        started["bronnen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["status"] == "bezig"),
        "{started}"
    );
    for _ in 0..200 {
        let b = ok(app.get_as(t, &path).await, 200).await;
        if b["klaar"] == true {
            return b;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("bevraging niet klaar");
}

fn status_of<'a>(bevraging: &'a Value, bron: &str) -> &'a Value {
    bevraging["bronnen"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["bron"] == bron)
        .unwrap()
}

async fn data(app: &TestApp, t: &str, query: &str) -> Vec<Value> {
    ok(
        app.get_as(t, &format!("/opgehaalde-gegevens{query}")).await,
        200,
    )
    .await["resultaten"]
        .as_array()
        .unwrap()
        .clone()
}

async fn judge_all(app: &TestApp, t: &str, oordeel: &str) {
    for g in data(app, t, "").await {
        let body = if oordeel == "betwist" {
            json!({"oordeel": oordeel, "toelichting": "Klopt niet."})
        } else {
            json!({"oordeel": oordeel})
        };
        ok(
            send(
                app,
                Method::POST,
                t,
                &format!(
                    "/opgehaalde-gegevens/{}/oordelen",
                    g["id"].as_str().unwrap()
                ),
                body,
            )
            .await,
            200,
        )
        .await;
    }
}

async fn new_claim(app: &TestApp, t: &str) -> (String, String) {
    let r = app.create_claim(t).await;
    assert_eq!(r.status().as_u16(), 201);
    let tag = etag(&r);
    let body: Value = r.json().await.unwrap();
    (body["id"].as_str().unwrap().to_string(), tag)
}

async fn claim(app: &TestApp, t: &str, id: &str) -> (Value, String) {
    let r = app.get_as(t, &format!("/aanvragen/{id}")).await;
    assert_eq!(r.status().as_u16(), 200);
    let tag = etag(&r);
    (r.json().await.unwrap(), tag)
}

/// Answers the golden journey, leaving out what retrieved data already answered; returns how
/// many answers the parent typed.
async fn answer_by_hand(app: &TestApp, t: &str, id: &str) -> usize {
    let mut by_hand = 0;
    for (step, answers) in golden_steps() {
        let (c, tag) = claim(app, t, id).await;
        let prefilled = c["opgehaaldeAntwoorden"].as_object().unwrap().clone();
        let own: serde_json::Map<String, Value> = answers
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| !prefilled.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        by_hand += own.len();
        let r = app.save_step(t, id, step, &tag, &Value::Object(own)).await;
        let status = r.status().as_u16();
        assert_eq!(status, 200, "{step}: {}", r.text().await.unwrap());
    }
    by_hand
}

db_test! {
    async fn a_parent_consents_retrieves_confirms_and_the_claim_is_prefilled_with_provenance(backend) {
        let app = TestApp::spawn(backend).await;
        let catalogus = ok(app.get("/gegevensbronnen").await, 200).await;
        let codes: Vec<&str> = catalogus["resultaten"].as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ALLE_BRONNEN);
        let uht = &catalogus["resultaten"][0];
        assert!(uht["levert"].as_str().unwrap().contains("terugbetaalde"));
        assert!(uht["grondslag"].as_str().unwrap().contains("AVG"));
        assert!(uht["vragen"].as_array().unwrap().contains(&json!("tijdlijn.toeslagjaren")));

        let fatima = token(&app.login("digid", FATIMA).await);
        let (id, _) = new_claim(&app, &fatima).await;
        // Not logged in, bad input, an unknown source, a retrieval without consent.
        problem(app.post_json("/toestemmingen", &json!({"bron": "uht"})).await, 401).await;
        let p = problem(send(&app, Method::POST, &fatima, "/toestemmingen", json!({"bron": "kvk"})).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "onbekende-bron");
        let p = problem(send(&app, Method::POST, &fatima, "/toestemmingen", json!({"bron": "uht", "geldigTot": "2020-01-01"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/geldigTot");
        let p = problem(send(&app, Method::POST, &fatima, "/bevragingen", json!({"bronnen": ["uht"]})).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "geen-toestemming");
        problem(send(&app, Method::POST, &fatima, "/bevragingen", json!({})).await, 409).await;

        let ids = consent(&app, &fatima, &["uht", "brp"]).await;
        problem(send(&app, Method::POST, &fatima, "/toestemmingen", json!({"bron": "uht"})).await, 409).await;
        let bevraging = retrieve(&app, &fatima, json!({})).await;
        for bron in ["uht", "brp"] {
            let s = status_of(&bevraging, bron);
            assert_eq!(s["status"], "gelukt", "{bevraging}");
            assert!(s["aantalGegevens"].as_i64().unwrap() > 0);
        }
        let lijst = ok(app.get_as(&fatima, "/bevragingen").await, 200).await;
        assert_eq!(lijst["resultaten"][0]["id"], bevraging["id"]);
        assert_eq!(lijst["resultaten"][0]["doorGemachtigde"], false);
        problem(app.get("/bevragingen").await, 401).await;
        problem(app.get_as(&fatima, "/bevragingen?pageSize=0").await, 400).await;
        // Provenance per datum: source, moment, consent and retrieval.
        let gegevens = data(&app, &fatima, "").await;
        let jaren = gegevens.iter().find(|g| g["sleutel"] == "uht.toeslagjaren").unwrap();
        assert_eq!(jaren["herkomst"]["bron"], "uht");
        assert_eq!(jaren["herkomst"]["toestemming"], ids[0].as_str());
        assert_eq!(jaren["herkomst"]["bevraging"], bevraging["id"]);
        assert_eq!(jaren["oordeel"], "open");
        assert_eq!(jaren["vragen"], json!(["tijdlijn.toeslagjaren"]));
        assert!(jaren["weergave"].as_str().unwrap().contains("€ 12.400"), "{jaren}");
        assert_eq!(data(&app, &fatima, "?bron=brp").await.len(), gegevens.iter().filter(|g| g["herkomst"]["bron"] == "brp").count());

        // Unconfirmed data fills nothing; the consents answer the consent question.
        let (c, _) = claim(&app, &fatima, &id).await;
        assert_eq!(c["opgehaaldeAntwoorden"]["gegevens.toestemming"], json!({"bron": "toestemmingen", "waarde": ["brp", "uht"]}));
        assert!(c["opgehaaldeAntwoorden"].get("tijdlijn.toeslagjaren").is_none());

        judge_all(&app, &fatima, "bevestigd").await;
        let (c, tag) = claim(&app, &fatima, &id).await;
        assert_eq!(c["opgehaaldeAntwoorden"]["tijdlijn.toeslagjaren"]["bron"], "uht");
        assert_eq!(c["opgehaaldeAntwoorden"]["tijdlijn.gezinsleden"]["bron"], "brp");
        assert_eq!(c["antwoorden"]["gegevens.toestemming"], json!(["brp", "uht"]));
        assert_eq!(c["antwoorden"]["tijdlijn.probleemstart"], "2012-03-01");
        assert_eq!(c["antwoorden"]["tijdlijn.toeslagjaren"].as_array().unwrap().len(), 3);
        assert_eq!(c["antwoorden"]["gegevens.bevestigd"], true);

        // A prefilled answer is not changed in passing: that is a dispute.
        let r = app.save_step(&fatima, &id, "tijdlijn", &tag, &json!({"tijdlijn.gezinsleden": 2, "tijdlijn.leefgebieden": ["wonen"]})).await;
        let p = problem(r, 400).await;
        assert_eq!(p["errors"][0]["code"], "opgehaald-antwoord");
        assert_eq!(p["errors"][0]["pointer"], "#/antwoorden/tijdlijn.gezinsleden");
        // Sending it back unchanged is fine.
        let r = app.save_step(&fatima, &id, "tijdlijn", &tag, &json!({"tijdlijn.gezinsleden": 4, "tijdlijn.leefgebieden": ["wonen"]})).await;
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());

        // Another parent sees none of it; a behandelaar is refused the parent's function.
        let jeroen = token(&app.login("digid", JEROEN).await);
        assert!(data(&app, &jeroen, "").await.is_empty());
        problem(app.get_as(&jeroen, &format!("/bevragingen/{}", bevraging["id"].as_str().unwrap())).await, 404).await;
        problem(send(&app, Method::POST, &jeroen, &format!("/opgehaalde-gegevens/{}/oordelen", jaren["id"].as_str().unwrap()), json!({"oordeel": "betwist", "toelichting": "x"})).await, 404).await;
        problem(send(&app, Method::POST, &jeroen, &format!("/toestemmingen/{}/intrekkingen", ids[0]), json!({})).await, 404).await;
        problem(app.get_as(&jeroen, &format!("/aanvragen/{id}/opgehaalde-gegevens")).await, 404).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        problem(app.get_as(&anouk, "/opgehaalde-gegevens").await, 403).await;

        // Audited: consents, the retrieval per source, the judgements.
        for (actie, n) in [("toestemming-geven", 2), ("gegevens-ophalen", 3), ("gegeven-bevestigd", gegevens.len() as i64)] {
            let got = app.getal(&format!("SELECT COUNT(*) FROM auditregel WHERE actie = '{actie}' AND uitkomst = 'gelukt'")).await;
            assert_eq!(got, n, "{actie}");
        }
    }
}

db_test! {
    async fn the_indicator_rule_and_the_deadline_react_to_the_uht_file(backend) {
        // The general deadline has passed; a decision less than 60 months ago extends it.
        let app = TestApp::spawn_with(backend, |s| {
            s.claims.indienen_tot = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
            s.claims.maanden_na_besluit = 60;
        })
        .await;
        // Mohamed repaid € 1.500 in his one toeslagjaar: the low-impact presumption holds.
        let mohamed = token(&app.login("digid", MOHAMED).await);
        let (id, _) = new_claim(&app, &mohamed).await;
        let posts = ok(app.get_as(&mohamed, &format!("/aanvragen/{id}/schadeposten")).await, 200).await;
        assert_eq!(posts["lageImpact"], false);
        let tijdlijn = ok(app.get_as(&mohamed, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tijdlijn["indienenUiterlijk"], "2020-01-01");
        consent(&app, &mohamed, &["uht"]).await;
        retrieve(&app, &mohamed, json!({"bronnen": ["uht"]})).await;
        // His integral assessment was decided on 20 January 2023.
        let tijdlijn = ok(app.get_as(&mohamed, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tijdlijn["indienenUiterlijk"], "2028-01-20");
        judge_all(&app, &mohamed, "bevestigd").await;
        let posts = ok(app.get_as(&mohamed, &format!("/aanvragen/{id}/schadeposten")).await, 200).await;
        assert_eq!(posts["lageImpact"], true, "{posts}");
        // Disputing the reclaims takes them out again: the parent answers themself.
        let jaren = data(&app, &mohamed, "?bron=uht").await.into_iter().find(|g| g["sleutel"] == "uht.toeslagjaren").unwrap();
        let pad = format!("/opgehaalde-gegevens/{}/oordelen", jaren["id"].as_str().unwrap());
        let p = problem(send(&app, Method::POST, &mohamed, &pad, json!({"oordeel": "betwist"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/toelichting");
        problem(send(&app, Method::POST, &mohamed, &pad, json!({"oordeel": "open"})).await, 400).await;
        let g = ok(send(&app, Method::POST, &mohamed, &pad, json!({"oordeel": "betwist", "toelichting": "Er was ook beslag op mijn loon."})).await, 200).await;
        assert_eq!(g["oordeel"], "betwist");
        let posts = ok(app.get_as(&mohamed, &format!("/aanvragen/{id}/schadeposten")).await, 200).await;
        assert_eq!(posts["lageImpact"], false);
        let (c, tag) = claim(&app, &mohamed, &id).await;
        assert!(c["antwoorden"].get("tijdlijn.toeslagjaren").is_none());
        assert_eq!(c["antwoorden"]["gegevens.bevestigd"], false);
        let eigen = json!({"tijdlijn.probleemstart": "2014-10-01", "tijdlijn.gezinsleden": 3, "tijdlijn.leefgebieden": ["schulden"],
            "tijdlijn.toeslagjaren": [{"jaar": 2013, "teruggevorderd": 380000, "terugbetaald": 380000, "datum-terugvordering": "2014-10-01"}]});
        let r = app.save_step(&mohamed, &id, "tijdlijn", &tag, &eigen).await;
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    }
}

db_test! {
    async fn a_source_down_slow_or_malformed_fails_alone_and_stores_nothing(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.gegevens.simulator_modi = BTreeMap::from([
                ("kadaster".to_string(), "storing".to_string()),
                ("duo".to_string(), "onleesbaar".to_string()),
                ("rvdk".to_string(), "traag".to_string()),
            ]);
            s.gegevens.timeout_ms = 300;
            s.gegevens.simulator_traag_ms = 3_000;
            s.gegevens.deadline_secs = 2;
        })
        .await;
        let fatima = token(&app.login("digid", FATIMA).await);
        consent(&app, &fatima, &["uht", "kadaster", "duo", "rvdk"]).await;
        let bevraging = retrieve(&app, &fatima, json!({})).await;
        assert_eq!(status_of(&bevraging, "uht")["status"], "gelukt", "{bevraging}");
        for (bron, reden) in [("kadaster", "storing"), ("duo", "onleesbaar"), ("rvdk", "te-traag")] {
            let s = status_of(&bevraging, bron);
            assert_eq!(s["status"], "mislukt", "{bevraging}");
            assert_eq!(s["reden"], reden, "{bevraging}");
            assert!(s["uitleg"].as_str().unwrap().len() > 10);
            assert!(s["watUKuntDoen"].as_str().unwrap().contains("zelf beantwoorden"));
            assert!(data(&app, &fatima, &format!("?bron={bron}")).await.is_empty(), "{bron}");
        }
        assert!(!data(&app, &fatima, "?bron=uht").await.is_empty());
        // The failures are in the audit trail as failures, not as server errors.
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'gegevens-ophalen' AND uitkomst = 'mislukt'").await, 3);
    }
}

db_test! {
    async fn revoking_deletes_the_data_reopens_the_answers_and_is_audited(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let ids = consent(&app, &fatima, &["uht", "cjib"]).await;
        retrieve(&app, &fatima, json!({})).await;
        judge_all(&app, &fatima, "bevestigd").await;
        // Data confirmed before the claim exists prefills it from the start.
        let (id, _) = new_claim(&app, &fatima).await;
        let (c, _) = claim(&app, &fatima, &id).await;
        assert_eq!(c["opgehaaldeAntwoorden"]["tijdlijn.toeslagjaren"]["bron"], "uht");

        problem(send(&app, Method::POST, &fatima, &format!("/toestemmingen/{}/intrekkingen", uuid::Uuid::now_v7()), json!({})).await, 404).await;
        let r = ok(send(&app, Method::POST, &fatima, &format!("/toestemmingen/{}/intrekkingen", ids[0]), json!({})).await, 200).await;
        assert_eq!(r["toestemming"]["status"], "ingetrokken");
        assert!(r["verwijderdeGegevens"].as_u64().unwrap() >= 4, "{r}");
        let leeg: Vec<&str> = r["leeggemaakteVragen"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(leeg.contains(&"tijdlijn.toeslagjaren") && leeg.contains(&"start.erkend"), "{r}");
        assert!(r["melding"].as_str().unwrap().contains("zelf in"));
        assert!(data(&app, &fatima, "?bron=uht").await.is_empty());
        assert!(!data(&app, &fatima, "?bron=cjib").await.is_empty());
        let (c, _) = claim(&app, &fatima, &id).await;
        assert!(c["opgehaaldeAntwoorden"].get("tijdlijn.toeslagjaren").is_none());
        assert_eq!(c["opgehaaldeAntwoorden"]["gegevens.toestemming"]["waarde"], json!(["cjib"]));
        assert_eq!(c["opgehaaldeAntwoorden"]["schulden.beslag"]["bron"], "cjib");

        problem(send(&app, Method::POST, &fatima, &format!("/toestemmingen/{}/intrekkingen", ids[0]), json!({})).await, 409).await;
        let p = problem(send(&app, Method::POST, &fatima, "/bevragingen", json!({"bronnen": ["uht"]})).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "geen-toestemming");
        let lijst = ok(app.get_as(&fatima, "/toestemmingen").await, 200).await;
        assert_eq!(lijst["paginering"]["totaal"], 2);
        // Told in the inbox, audited.
        let berichten = ok(app.get_as(&fatima, "/mij/berichten").await, 200).await;
        assert!(berichten["resultaten"].as_array().unwrap().iter().any(|b| b["soort"] == "toestemming-ingetrokken"), "{berichten}");
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'toestemming-intrekken' AND uitkomst = 'gelukt'").await, 1);
    }
}

db_test! {
    async fn the_assigned_behandelaar_sees_what_the_parent_disputed(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        consent(&app, &fatima, &["uht"]).await;
        retrieve(&app, &fatima, json!({})).await;
        let (id, _) = new_claim(&app, &fatima).await;
        judge_all(&app, &fatima, "betwist").await;
        answer_by_hand(&app, &fatima, &id).await;
        ok(app.request(Method::POST, &format!("/aanvragen/{id}/indieningen")).bearer_auth(&fatima)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"verklaringNaarWaarheid": true})).send().await.unwrap(), 201).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let bram = token(&app.login("medewerker", BRAM).await);
        problem(app.get_as(&anouk, &format!("/aanvragen/{id}/opgehaalde-gegevens")).await, 404).await;
        ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 200).await;
        let g = ok(app.get_as(&anouk, &format!("/aanvragen/{id}/opgehaalde-gegevens")).await, 200).await;
        let g = g["resultaten"].as_array().unwrap();
        assert!(!g.is_empty() && g.iter().all(|d| d["oordeel"] == "betwist" && d["toelichting"] == "Klopt niet."), "{g:?}");
        problem(app.get_as(&bram, &format!("/aanvragen/{id}/opgehaalde-gegevens")).await, 404).await;
        problem(app.get(&format!("/aanvragen/{id}/opgehaalde-gegevens")).await, 401).await;
    }
}

db_test! {
    async fn with_every_consent_a_parent_answers_at_most_half_the_questions_by_hand(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let (zonder, _) = new_claim(&app, &fatima).await;
        let by_hand_none = answer_by_hand(&app, &fatima, &zonder).await;
        ok(send(&app, Method::POST, &fatima, &format!("/aanvragen/{zonder}/intrekkingen"), json!({"reden": "opnieuw, met gegevens"})).await, 200).await;

        consent(&app, &fatima, &ALLE_BRONNEN).await;
        let bevraging = retrieve(&app, &fatima, json!({})).await;
        assert!(bevraging["bronnen"].as_array().unwrap().iter().all(|b| b["status"] == "gelukt"), "{bevraging}");
        judge_all(&app, &fatima, "bevestigd").await;
        let (met, _) = new_claim(&app, &fatima).await;
        let by_hand_all = answer_by_hand(&app, &fatima, &met).await;
        let (c, _) = claim(&app, &fatima, &met).await;
        let prefilled = c["opgehaaldeAntwoorden"].as_object().unwrap().len();
        eprintln!("MEASURE vragen met de hand: zonder toestemming {by_hand_none}, met alle toestemmingen {by_hand_all} ({prefilled} ingevuld uit bronnen)");
        assert!(by_hand_all * 2 <= by_hand_none, "{by_hand_all} of {by_hand_none}");
        // The prefilled claim is complete and valid: it can be submitted.
        ok(app.request(Method::POST, &format!("/aanvragen/{met}/indieningen")).bearer_auth(&fatima)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"verklaringNaarWaarheid": true})).send().await.unwrap(), 201).await;
    }
}

db_test! {
    async fn every_data_endpoint_refuses_strangers_and_bad_input(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let ids = consent(&app, &fatima, &["uht"]).await;
        let bevraging = retrieve(&app, &fatima, json!({})).await;
        let b = bevraging["id"].as_str().unwrap();
        let g = data(&app, &fatima, "").await[0]["id"].as_str().unwrap().to_string();
        let t = &ids[0];
        let calls: [(Method, String, Value); 8] = [
            (Method::POST, "/toestemmingen".into(), json!({"bron": "brp"})),
            (Method::GET, "/toestemmingen".into(), Value::Null),
            (Method::POST, format!("/toestemmingen/{t}/intrekkingen"), json!({})),
            (Method::POST, "/bevragingen".into(), json!({})),
            (Method::GET, "/bevragingen".into(), Value::Null),
            (Method::GET, format!("/bevragingen/{b}"), Value::Null),
            (Method::GET, "/opgehaalde-gegevens".into(), Value::Null),
            (Method::POST, format!("/opgehaalde-gegevens/{g}/oordelen"), json!({"oordeel": "bevestigd"})),
        ];
        for (method, path, body) in &calls {
            let mut r = app.request(method.clone(), path);
            if !body.is_null() {
                r = r.json(body);
            }
            problem(r.send().await.unwrap(), 401).await;
        }
        // Staff are refused the parent's functions; another parent sees nothing of Fatima's.
        let anouk = token(&app.login("medewerker", ANOUK).await);
        problem(send(&app, Method::POST, &anouk, "/toestemmingen", json!({"bron": "uht"})).await, 403).await;
        problem(send(&app, Method::POST, &anouk, "/bevragingen", json!({})).await, 403).await;
        let jeroen = token(&app.login("digid", JEROEN).await);
        assert_eq!(ok(app.get_as(&jeroen, "/toestemmingen").await, 200).await["paginering"]["totaal"], 0);
        assert_eq!(ok(app.get_as(&jeroen, "/bevragingen").await, 200).await["paginering"]["totaal"], 0);
        // Bad input: malformed ids, unknown fields, too long, wrong types.
        problem(app.get_as(&fatima, "/bevragingen/geen-uuid").await, 400).await;
        problem(send(&app, Method::POST, &fatima, "/toestemmingen/geen-uuid/intrekkingen", json!({})).await, 400).await;
        problem(app.get_as(&fatima, &format!("/opgehaalde-gegevens?bron={}", "x".repeat(31))).await, 400).await;
        problem(app.get_as(&fatima, "/aanvragen/geen-uuid/opgehaalde-gegevens").await, 400).await;
        problem(app.get_as(&fatima, "/toestemmingen?page=0").await, 400).await;
        problem(send(&app, Method::POST, &fatima, "/toestemmingen", json!({"bron": "brp", "extra": 1})).await, 400).await;
        problem(send(&app, Method::POST, &fatima, "/bevragingen", json!({"bronnen": "uht"})).await, 400).await;
        let p = problem(send(&app, Method::POST, &fatima, "/bevragingen", json!({"bronnen": ["uht", "kvk"]})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/bronnen/1");
        problem(send(&app, Method::POST, &fatima, &format!("/opgehaalde-gegevens/{g}/oordelen"), json!({"oordeel": "misschien"})).await, 400).await;
        problem(send(&app, Method::POST, &fatima, &format!("/opgehaalde-gegevens/{g}/oordelen"), json!({"oordeel": "betwist", "toelichting": "x".repeat(2001)})).await, 400).await;
        // Nothing changed by any of it.
        assert_eq!(data(&app, &fatima, "").await.iter().filter(|d| d["oordeel"] != "open").count(), 0);
        assert_eq!(app.getal("SELECT COUNT(*) FROM toestemming").await, 1);
    }
}
