//! The claim lifecycle over HTTP ([D], first part): submitting once (complete, statement of
//! truth, Idempotency-Key), the frozen calculation and reference, the confirmation mail, the
//! status timeline, and withdrawing.

use std::time::Duration;

use mijn_herstel_tests::aanvraag::*;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::smtp::{SmtpSink, mail_to};
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn new_claim(app: &TestApp, t: &str) -> (String, String) {
    let created = app.create_claim(t).await;
    assert_eq!(created.status().as_u16(), 201);
    let tag = etag(&created);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (id, tag)
}

async fn complete(app: &TestApp, t: &str, id: &str, mut tag: String) -> String {
    for (step, answers) in golden_steps() {
        let saved = app.save_step(t, id, step, &tag, &answers).await;
        assert_eq!(saved.status().as_u16(), 200, "{step}");
        tag = etag(&saved);
    }
    tag
}

async fn submit(app: &TestApp, t: &str, id: &str, key: &str, body: Value) -> reqwest::Response {
    app.request(Method::POST, &format!("/aanvragen/{id}/indieningen"))
        .bearer_auth(t)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

db_test! {
    async fn a_parent_submits_once_and_follows_the_timeline(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        let t = token(&app.login("digid", FATIMA).await);
        let me: Value = app.get_as(&t, "/mij").await.json().await.unwrap();
        let persoon: Uuid = me["id"].as_str().unwrap().parse().unwrap();
        mijn_herstel::notify::service::demo_adres(&app.db, persoon, "fatima@example.nl").await.unwrap();
        let (id, tag) = new_claim(&app, &t).await;

        let tl: Value = app.get_as(&t, &format!("/aanvragen/{id}/tijdlijn")).await.json().await.unwrap();
        assert_eq!(tl["status"], "concept");
        assert_eq!(tl["aanZet"], "ouder");
        assert_eq!(tl["overgangen"].as_array().unwrap().len(), 1);
        assert_eq!(tl["referentie"], Value::Null);

        // Incomplete and without the statement: everything missing at once, nothing changes.
        let p = problem(submit(&app, &t, &id, &Uuid::new_v4().to_string(), json!({"verklaringNaarWaarheid": false})).await, 400).await;
        let pointers: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        assert_eq!(pointers[0], "#/verklaringNaarWaarheid", "{p}");
        assert!(pointers.contains(&"#/stappen/start"), "{p}");
        assert!(pointers.iter().any(|p| p.starts_with("#/antwoorden/")), "{p}");
        let missing_key = app.request(Method::POST, &format!("/aanvragen/{id}/indieningen")).bearer_auth(&t)
            .json(&json!({"verklaringNaarWaarheid": true})).send().await.unwrap();
        assert_eq!(missing_key.status().as_u16(), 400);
        let p = problem(submit(&app, &t, &id, &Uuid::new_v4().to_string(), json!({"verklaringNaarWaarheid": "ja"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/verklaringNaarWaarheid", "{p}");

        complete(&app, &t, &id, tag).await;
        let before: Value = app.get_as(&t, &format!("/aanvragen/{id}")).await.json().await.unwrap();
        let key = Uuid::new_v4().to_string();
        let first = submit(&app, &t, &id, &key, json!({"verklaringNaarWaarheid": true})).await;
        assert_eq!(first.status().as_u16(), 201);
        let body: Value = first.json().await.unwrap();
        let referentie = body["referentie"].as_str().unwrap().to_string();
        assert!(referentie.starts_with("MH-") && referentie.len() == 12, "{body}");
        assert_eq!(body["status"], "ingediend");
        assert_eq!(body["totaal"], before["totaal"]);
        assert_eq!(body["invoerHash"].as_str().unwrap().len(), 64);

        // A retry on a bad connection: the same answer, not a second submission.
        let again = submit(&app, &t, &id, &key, json!({"verklaringNaarWaarheid": true})).await;
        assert_eq!(again.status().as_u16(), 201);
        assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
        assert_eq!(again.json::<Value>().await.unwrap(), body);
        problem(submit(&app, &t, &id, &Uuid::new_v4().to_string(), json!({"verklaringNaarWaarheid": true})).await, 409).await;
        assert_eq!(app.getal("SELECT COUNT(*) FROM indiening").await, 1);
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'aanvraag-indienen' AND uitkomst = 'gelukt'").await, 1);

        // Submitted: no more changes; the reminder is cancelled; the timeline says what is next.
        let current = app.get_as(&t, &format!("/aanvragen/{id}")).await;
        let tag = etag(&current);
        let blocked = app.save_step(&t, &id, "start", &tag, &golden_steps()[0].1).await;
        problem(blocked, 409).await;
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'aanvraag-herinnering' AND status = 'geannuleerd'").await, 1);
        let tl: Value = app.get_as(&t, &format!("/aanvragen/{id}/tijdlijn")).await.json().await.unwrap();
        assert_eq!(tl["status"], "ingediend");
        assert_eq!(tl["referentie"], referentie.as_str());
        assert_eq!(tl["aanZet"], "behandelaar");
        assert_eq!(tl["verwachteDuurDagen"], 14);
        let steps: Vec<(&Value, &Value)> = tl["overgangen"].as_array().unwrap().iter().map(|o| (&o["van"], &o["naar"])).collect();
        assert_eq!(steps, [(&Value::Null, &json!("concept")), (&json!("concept"), &json!("ingediend"))]);

        // The confirmation mail (after the start notice), without the amount or the BSN.
        let mails = sink.wait_for(2, Duration::from_secs(10)).await;
        let bevestiging = mails.iter().find(|m| m["headers"]["subject"] == "Wij hebben uw aanvraag ontvangen").expect("bevestiging");
        let text = bevestiging["text"].as_str().unwrap();
        assert!(!text.contains("38.500") && !text.contains("999993653"), "{text}");
        let inbox: Value = app.get_as(&t, "/mij/berichten").await.json().await.unwrap();
        assert_eq!(inbox["resultaten"][0]["soort"], "aanvraag-ingediend");
    }
}

db_test! {
    async fn one_key_sent_twice_at_once_submits_once(backend) {
        let app = TestApp::spawn(backend).await;
        let t = token(&app.login("digid", FATIMA).await);
        let (id, tag) = new_claim(&app, &t).await;
        complete(&app, &t, &id, tag).await;
        let key = Uuid::new_v4().to_string();
        let (a, b) = tokio::join!(
            submit(&app, &t, &id, &key, json!({"verklaringNaarWaarheid": true})),
            submit(&app, &t, &id, &key, json!({"verklaringNaarWaarheid": true}))
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert!(statuses == [201, 201] || statuses == [201, 409], "{statuses:?}");
        assert_eq!(app.getal("SELECT COUNT(*) FROM indiening").await, 1);
        assert_eq!(app.getal("SELECT COUNT(*) FROM statusovergang WHERE naar = 'ingediend'").await, 1);
    }
}

db_test! {
    async fn withdrawing_ends_the_claim_and_frees_the_way_for_a_new_one(backend) {
        let app = TestApp::spawn(backend).await;
        let t = token(&app.login("digid", FATIMA).await);
        let (id, tag) = new_claim(&app, &t).await;
        let p = problem(app.request(Method::POST, &format!("/aanvragen/{id}/intrekkingen")).bearer_auth(&t)
            .json(&json!({"reden": "x".repeat(2001)})).send().await.unwrap(), 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/reden", "{p}");
        let r = app.request(Method::POST, &format!("/aanvragen/{id}/intrekkingen")).bearer_auth(&t)
            .json(&json!({"reden": "Ik wil eerst met mijn advocaat praten."})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let tl: Value = r.json().await.unwrap();
        assert_eq!(tl["status"], "ingetrokken");
        assert_eq!(tl["overgangen"][1]["reden"], "Ik wil eerst met mijn advocaat praten.");
        assert_eq!(tl["aanZet"], "niemand");
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'aanvraag-intrekken' AND uitkomst = 'gelukt'").await, 1);
        problem(app.request(Method::POST, &format!("/aanvragen/{id}/intrekkingen")).bearer_auth(&t)
            .json(&json!({})).send().await.unwrap(), 409).await;
        problem(app.save_step(&t, &id, "start", &tag, &golden_steps()[0].1).await, 412).await;
        let current = app.get_as(&t, &format!("/aanvragen/{id}")).await;
        let tag = etag(&current);
        problem(app.save_step(&t, &id, "start", &tag, &golden_steps()[0].1).await, 409).await;
        let (second, _) = new_claim(&app, &t).await;
        assert_ne!(second, id);
    }
}

db_test! {
    async fn only_the_parent_reaches_submission_withdrawal_and_timeline(backend) {
        let app = TestApp::spawn(backend).await;
        let t = token(&app.login("digid", FATIMA).await);
        let (id, _) = new_claim(&app, &t).await;
        let jeroen = token(&app.login("digid", JEROEN).await);
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let anouk = token(&app.login("medewerker", ANOUK).await);
        for other in [&jeroen, &lotte, &anouk] {
            problem(app.get_as(other, &format!("/aanvragen/{id}/tijdlijn")).await, 404).await;
            problem(submit(&app, other, &id, &Uuid::new_v4().to_string(), json!({"verklaringNaarWaarheid": true})).await, 404).await;
            problem(app.request(Method::POST, &format!("/aanvragen/{id}/intrekkingen")).bearer_auth(other)
                .json(&json!({})).send().await.unwrap(), 404).await;
        }
        problem(app.get_as(&t, &format!("/aanvragen/{}/tijdlijn", Uuid::now_v7())).await, 404).await;
        problem(app.get(&format!("/aanvragen/{id}/tijdlijn")).await, 401).await;
        let r = app.request(Method::POST, &format!("/aanvragen/{id}/indieningen"))
            .header("Idempotency-Key", "k1").json(&json!({"verklaringNaarWaarheid": true})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
        let r = app.request(Method::POST, &format!("/aanvragen/{id}/intrekkingen")).json(&json!({})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
        // Nothing happened to the claim.
        let tl: Value = app.get_as(&t, &format!("/aanvragen/{id}/tijdlijn")).await.json().await.unwrap();
        assert_eq!(tl["status"], "concept");
    }
}
