//! Case handling over HTTP ([D], first part): the behandelaar's queue (urgent, then oldest
//! first), search by reference, assignment (which lets the behandelaar read the claim, never
//! change the parent's answers), urgency; and who may not.

use mijn_herstel_tests::aanvraag::*;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

const RUUD: &str = "0193a6c2-0000-7000-8000-000000000022";

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

db_test! {
    async fn a_behandelaar_works_through_the_queue(backend) {
        let app = TestApp::spawn(backend).await;
        let (first, ref_first, parent) = app.submitted_claim(FATIMA).await;
        let (second, _, _) = app.submitted_claim(JEROEN).await;
        // A draft never shows up.
        let sanne = token(&app.login("digid", "0193a6c2-0000-7000-8000-000000000003").await);
        assert_eq!(app.create_claim(&sanne).await.status().as_u16(), 201);

        let anouk = token(&app.login("medewerker", ANOUK).await);
        let queue = app.get_as(&anouk, "/behandeling/aanvragen").await;
        assert_eq!(queue.status().as_u16(), 200);
        assert!(queue.headers().get("link").is_some());
        let queue: Value = queue.json().await.unwrap();
        let ids: Vec<&str> = queue["resultaten"].as_array().unwrap().iter().map(|r| r["aanvraag"].as_str().unwrap()).collect();
        assert_eq!(ids, [first.as_str(), second.as_str()], "oldest first, no drafts");
        assert_eq!(queue["resultaten"][0]["behandelaar"], Value::Null);
        assert!(queue["resultaten"][0].get("antwoorden").is_none(), "no personal data in the queue");

        // Not assigned yet: the behandelaar cannot read the claim.
        problem(app.get_as(&anouk, &format!("/aanvragen/{first}")).await, 404).await;

        // Urgent goes first.
        let r = send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{second}/urgentie"), json!({"urgent": true, "reden": "Gezin zonder woning."})).await;
        assert_eq!(r.status().as_u16(), 200);
        let queue: Value = app.get_as(&anouk, "/behandeling/aanvragen").await.json().await.unwrap();
        assert_eq!(queue["resultaten"][0]["aanvraag"], second.as_str());
        assert_eq!(queue["resultaten"][0]["urgent"], true);
        let urgent: Value = app.get_as(&anouk, "/behandeling/aanvragen?urgent=true").await.json().await.unwrap();
        assert_eq!(urgent["paginering"]["totaal"], 1);

        // Search by the reference the parent reads out over the phone.
        let found: Value = send(&app, Method::POST, &anouk, "/behandeling/zoekopdrachten", json!({"referentie": ref_first.to_lowercase()})).await.json().await.unwrap();
        assert_eq!(found["resultaten"][0]["aanvraag"], first.as_str());
        let none: Value = send(&app, Method::POST, &anouk, "/behandeling/zoekopdrachten", json!({"referentie": "MH-0000-0000"})).await.json().await.unwrap();
        assert_eq!(none["paginering"]["totaal"], 0);

        // Taking it on: in behandeling, the parent sees it, the behandelaar may read, not change.
        let r = send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{first}/toewijzing"), json!({})).await;
        assert_eq!(r.status().as_u16(), 200);
        let regel: Value = r.json().await.unwrap();
        assert_eq!(regel["status"], "in-behandeling");
        assert!(regel["behandelaar"].is_string());
        let mine: Value = app.get_as(&anouk, "/behandeling/aanvragen?toegewezen=mij").await.json().await.unwrap();
        assert_eq!(mine["paginering"]["totaal"], 1);
        let nobody: Value = app.get_as(&anouk, "/behandeling/aanvragen?toegewezen=niemand&status=ingediend").await.json().await.unwrap();
        assert_eq!(nobody["resultaten"][0]["aanvraag"], second.as_str(), "{nobody}");
        assert_eq!(app.get_as(&anouk, &format!("/aanvragen/{first}")).await.status().as_u16(), 200);
        assert_eq!(app.get_as(&anouk, &format!("/aanvragen/{first}/schadeposten")).await.status().as_u16(), 200);
        problem(app.get_as(&anouk, &format!("/aanvragen/{second}")).await, 404).await;
        let current = app.get_as(&parent, &format!("/aanvragen/{first}")).await;
        let tag = etag(&current);
        problem(app.save_step(&anouk, &first, "start", &tag, &golden_steps()[0].1).await, 404).await;
        let tl: Value = app.get_as(&parent, &format!("/aanvragen/{first}/tijdlijn")).await.json().await.unwrap();
        assert_eq!(tl["status"], "in-behandeling");
        assert_eq!(tl["overgangen"][2]["door"], "behandelaar");
        let inbox: Value = app.get_as(&parent, "/mij/berichten").await.json().await.unwrap();
        assert_eq!(inbox["resultaten"][0]["soort"], "aanvraag-in-behandeling");

        // Internal notes: the assigned behandelaar only; append-only.
        let r = send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{first}/notities"), json!({"tekst": "Gebeld met de ouder; bewijs volgt."})).await;
        assert_eq!(r.status().as_u16(), 201);
        let notes: Value = app.get_as(&anouk, &format!("/behandeling/aanvragen/{first}/notities")).await.json().await.unwrap();
        assert_eq!(notes["resultaten"][0]["tekst"], "Gebeld met de ouder; bewijs volgt.");
        let p = problem(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{first}/notities"), json!({"tekst": ""})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/tekst", "{p}");
        problem(app.get_as(&anouk, &format!("/behandeling/aanvragen/{second}/notities")).await, 404).await;
        problem(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{second}/notities"), json!({"tekst": "x"})).await, 404).await;
        problem(app.get_as(&parent, &format!("/behandeling/aanvragen/{first}/notities")).await, 403).await;
        problem(app.get(&format!("/behandeling/aanvragen/{first}/notities")).await, 401).await;
        // A withdrawn claim cannot be assigned again.
        let r = send(&app, Method::POST, &parent, &format!("/aanvragen/{first}/intrekkingen"), json!({})).await;
        assert_eq!(r.status().as_u16(), 200);
        problem(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{first}/toewijzing"), json!({})).await, 409).await;
    }
}

db_test! {
    async fn only_behandelaars_handle_and_bad_input_is_named(backend) {
        let app = TestApp::spawn(backend).await;
        let (id, _, parent) = app.submitted_claim(FATIMA).await;
        let ruud = token(&app.login("medewerker", RUUD).await);
        let lotte = token(&app.login("advocaat", LOTTE).await);
        for t in [&parent, &ruud, &lotte] {
            problem(app.get_as(t, "/behandeling/aanvragen").await, 403).await;
            problem(send(&app, Method::PUT, t, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 403).await;
            problem(send(&app, Method::PUT, t, &format!("/behandeling/aanvragen/{id}/urgentie"), json!({"urgent": true})).await, 403).await;
            problem(send(&app, Method::POST, t, "/behandeling/zoekopdrachten", json!({"referentie": "MH-0000-0000"})).await, 403).await;
        }
        for (method, path) in [
            (Method::GET, "/behandeling/aanvragen".to_string()),
            (Method::PUT, format!("/behandeling/aanvragen/{id}/toewijzing")),
            (Method::PUT, format!("/behandeling/aanvragen/{id}/urgentie")),
            (Method::POST, "/behandeling/zoekopdrachten".to_string()),
        ] {
            let r = app.request(method.clone(), &path).json(&json!({})).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 401, "{method} {path}");
        }
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let p = problem(app.get_as(&anouk, "/behandeling/aanvragen?toegewezen=iedereen").await, 400).await;
        assert_eq!(p["errors"][0]["parameter"], "toegewezen", "{p}");
        let p = problem(send(&app, Method::POST, &anouk, "/behandeling/zoekopdrachten", json!({"referentie": "kort"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/referentie", "{p}");
        // Assigning to someone who is not a behandelaar, or a claim that is not submitted.
        let p = problem(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({"behandelaar": RUUD})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/behandelaar", "{p}");
        problem(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{}/toewijzing", Uuid::now_v7()), json!({})).await, 404).await;
        let jeroen = token(&app.login("digid", JEROEN).await);
        let draft = app.create_claim(&jeroen).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        problem(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{draft}/urgentie"), json!({"urgent": true})).await, 404).await;
        // Nothing changed.
        let tl: Value = app.get_as(&parent, &format!("/aanvragen/{id}/tijdlijn")).await.json().await.unwrap();
        assert_eq!(tl["status"], "ingediend");
    }
}
