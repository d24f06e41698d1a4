//! Mandates over HTTP ([F]): both ways in, each confirmed by the other party; a lawyer acts with
//! a `represents` token strictly within the scopes, and loses access at once on revocation,
//! ending or expiry — also with a token still valid — always against real resources of real
//! parents with a positive control; the parent reads everything the lawyer did; and the lawyer
//! cases other issues deferred here (government data with the scope, the queue's has-lawyer
//! filter, a gemachtigde answering an offer).

use mijn_herstel_tests::aanvraag::{etag, golden_steps};
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

const PIETER: &str = "0193a6c2-0000-7000-8000-000000000012";
const FATIMA_BSN: &str = "999993653";

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

fn over(dagen: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(dagen)).to_string()
}

async fn claim_of(app: &TestApp, t: &str) -> (String, String) {
    let r = app.create_claim(t).await;
    assert_eq!(r.status().as_u16(), 201);
    let tag = etag(&r);
    (
        r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string(),
        tag,
    )
}

/// Fatima invites Lotte with `scopes`; Lotte accepts. Returns the mandate id.
async fn active_mandate(app: &TestApp, fatima: &str, lotte: &str, scopes: Value) -> String {
    let m = ok(
        send(
            app,
            Method::POST,
            fatima,
            "/machtigingen",
            json!({"registratienummer": "A-10234", "bevoegdheden": scopes, "geldigTot": over(90)}),
        )
        .await,
        201,
    )
    .await;
    let id = m["id"].as_str().unwrap().to_string();
    ok(
        send(
            app,
            Method::POST,
            lotte,
            &format!("/machtigingen/{id}/aanvaardingen"),
            json!({}),
        )
        .await,
        200,
    )
    .await;
    id
}

async fn act_for(app: &TestApp, lotte: &str, mandate: &str) -> String {
    let v = ok(
        send(
            app,
            Method::POST,
            lotte,
            &format!("/machtigingen/{mandate}/vertegenwoordigingen"),
            json!({}),
        )
        .await,
        201,
    )
    .await;
    v["access_token"].as_str().unwrap().to_string()
}

db_test! {
    async fn a_lawyer_invited_by_the_parent_acts_only_within_the_scopes_until_revoked(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let jeroen = token(&app.login("digid", JEROEN).await);
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let (id, _) = claim_of(&app, &fatima).await;
        let (jeroen_claim, _) = claim_of(&app, &jeroen).await;

        // Bad input and the wrong people.
        let p = problem(send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-00000", "geldigTot": over(30)})).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "onbekend-registratienummer");
        let p = problem(send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-10234", "geldigTot": "2099-01-01"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/geldigTot");
        problem(send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-10234"})).await, 400).await;
        problem(send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-10234", "geldigTot": over(30), "bevoegdheden": ["alles"]})).await, 400).await;
        problem(app.post_json("/machtigingen", &json!({"registratienummer": "A-10234", "geldigTot": over(30)})).await, 401).await;
        problem(send(&app, Method::POST, &lotte, "/machtigingen", json!({"registratienummer": "A-10234", "geldigTot": over(30)})).await, 403).await;

        let m = ok(send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-10234", "geldigTot": over(90)})).await, 201).await;
        let mid = m["id"].as_str().unwrap().to_string();
        assert_eq!(m["status"], "uitgenodigd");
        assert_eq!(m["bevoegdheden"], json!(["aanvraag-inzien", "antwoorden-invullen", "bewijs-toevoegen"]));
        problem(send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-10234", "geldigTot": over(90)})).await, 409).await;
        // Pending: the lawyer cannot act yet; the parent cannot accept her own invitation.
        problem(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/vertegenwoordigingen"), json!({})).await, 409).await;
        problem(send(&app, Method::POST, &fatima, &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await, 409).await;
        problem(send(&app, Method::POST, &jeroen, &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await, 404).await;
        let lijst = ok(app.get_as(&lotte, "/machtigingen").await, 200).await;
        assert_eq!(lijst["resultaten"][0]["uwRol"], "gemachtigde");
        assert_eq!(lijst["resultaten"][0]["ouder"]["naam"], "Fatima El Amrani");
        let a = ok(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await, 200).await;
        assert_eq!(a["status"], "actief");
        let lotte_namens = act_for(&app, &lotte, &mid).await;

        // Within the scopes: read, save a step (positive controls).
        let r = app.get_as(&lotte_namens, &format!("/aanvragen/{id}")).await;
        assert_eq!(r.status().as_u16(), 200);
        let tag = etag(&r);
        let (step, answers) = golden_steps()[0].clone();
        let r = app.save_step(&lotte_namens, &id, step, &tag, &answers).await;
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
        // Outside them: submitting, withdrawing, consent, retrieval; never another client's claim.
        problem(send(&app, Method::POST, &lotte_namens, &format!("/aanvragen/{id}/indieningen"), json!({"verklaringNaarWaarheid": true})).await, 400).await;
        let sub = app.request(Method::POST, &format!("/aanvragen/{id}/indieningen")).bearer_auth(&lotte_namens)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string()).json(&json!({"verklaringNaarWaarheid": true})).send().await.unwrap();
        problem(sub, 404).await;
        problem(send(&app, Method::POST, &lotte_namens, &format!("/aanvragen/{id}/intrekkingen"), json!({"reden": "x"})).await, 404).await;
        problem(send(&app, Method::POST, &lotte_namens, "/toestemmingen", json!({"bron": "uht"})).await, 404).await;
        ok(send(&app, Method::POST, &fatima, "/toestemmingen", json!({"bron": "uht"})).await, 201).await;
        problem(send(&app, Method::POST, &lotte_namens, "/bevragingen", json!({})).await, 404).await;
        problem(app.get_as(&lotte_namens, &format!("/aanvragen/{jeroen_claim}")).await, 404).await;
        assert_eq!(app.get_as(&jeroen, &format!("/aanvragen/{jeroen_claim}")).await.status().as_u16(), 200);
        // The lawyer's own token (not acting for anyone) reaches no parent's claim.
        problem(app.get_as(&lotte, &format!("/aanvragen/{id}")).await, 404).await;

        // The parent adds a scope: it works at once, with the token already issued.
        let r = app.get_as(&fatima, &format!("/machtigingen/{mid}")).await;
        let mtag = etag(&r);
        problem(send(&app, Method::PUT, &fatima, &format!("/machtigingen/{mid}/bevoegdheden"), json!({"bevoegdheden": ["aanvraag-inzien", "gegevens-ophalen"]})).await, 428).await;
        problem(app.request(Method::PUT, &format!("/machtigingen/{mid}/bevoegdheden")).bearer_auth(&lotte).header("If-Match", &mtag)
            .json(&json!({"bevoegdheden": ["aanvraag-inzien", "indienen"]})).send().await.unwrap(), 403).await;
        ok(app.request(Method::PUT, &format!("/machtigingen/{mid}/bevoegdheden")).bearer_auth(&fatima).header("If-Match", &mtag)
            .json(&json!({"bevoegdheden": ["aanvraag-inzien", "gegevens-ophalen"]})).send().await.unwrap(), 200).await;
        problem(app.request(Method::PUT, &format!("/machtigingen/{mid}/bevoegdheden")).bearer_auth(&fatima).header("If-Match", &mtag)
            .json(&json!({"bevoegdheden": ["aanvraag-inzien"]})).send().await.unwrap(), 412).await;
        let b = ok(send(&app, Method::POST, &lotte_namens, "/bevragingen", json!({})).await, 202).await;
        // ... and answering is no longer allowed.
        let r = app.get_as(&lotte_namens, &format!("/aanvragen/{id}")).await;
        let tag = etag(&r);
        problem(app.save_step(&lotte_namens, &id, step, &tag, &answers).await, 404).await;

        // The parent sees what happened, in words, and who started the retrieval.
        let lijst = ok(app.get_as(&fatima, "/bevragingen").await, 200).await;
        assert_eq!(lijst["resultaten"][0]["id"], b["id"]);
        assert_eq!(lijst["resultaten"][0]["doorGemachtigde"], true);
        let h = ok(app.get_as(&fatima, &format!("/machtigingen/{mid}/handelingen")).await, 200).await;
        let teksten: Vec<&str> = h["resultaten"].as_array().unwrap().iter().map(|r| r["tekst"].as_str().unwrap()).collect();
        assert!(teksten.iter().any(|t| t.starts_with("mr. Lotte Visser heeft op ") && t.ends_with("uw antwoorden bij Kunt u route B gebruiken? gewijzigd.")), "{teksten:?}");
        assert!(teksten.iter().any(|t| t.contains("uw aanvraag bekeken")), "{teksten:?}");
        assert!(teksten.iter().any(|t| t.contains("gegevens over u opgehaald")), "{teksten:?}");
        // Refused attempts are not shown as done.
        assert!(!teksten.iter().any(|t| t.contains("ingediend")), "{teksten:?}");
        problem(app.get_as(&lotte, &format!("/machtigingen/{mid}/handelingen")).await, 403).await;
        problem(app.get_as(&jeroen, &format!("/machtigingen/{mid}/handelingen")).await, 404).await;

        // The dashboard.
        let c = ok(app.get_as(&lotte, "/clienten").await, 200).await;
        assert_eq!(c["resultaten"][0]["aanvraag"], id.as_str());
        assert_eq!(c["resultaten"][0]["status"], "concept");
        assert_eq!(ok(app.get_as(&lotte, "/clienten?status=ingediend").await, 200).await["paginering"]["totaal"], 0);
        problem(app.get_as(&fatima, "/clienten").await, 403).await;

        // Revocation: at once, with the still-valid token; the lawyer is told.
        problem(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/intrekkingen"), json!({})).await, 403).await;
        let r = ok(send(&app, Method::POST, &fatima, &format!("/machtigingen/{mid}/intrekkingen"), json!({})).await, 200).await;
        assert_eq!(r["status"], "ingetrokken");
        problem(app.get_as(&lotte_namens, &format!("/aanvragen/{id}")).await, 404).await;
        problem(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/vertegenwoordigingen"), json!({})).await, 409).await;
        let berichten = ok(app.get_as(&lotte, "/mij/berichten").await, 200).await;
        assert!(berichten["resultaten"].as_array().unwrap().iter().any(|b| b["soort"] == "machtiging-beeindigd"), "{berichten}");
        assert_eq!(ok(app.get_as(&lotte, "/clienten").await, 200).await["paginering"]["totaal"], 0);
        // Audited with both identities.
        let fatima_id = ok(app.get_as(&fatima, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        let n = app.getal(&format!("SELECT COUNT(*) FROM auditregel WHERE actor_soort = 'advocaat' AND namens_id = '{fatima_id}' AND uitkomst = 'geweigerd'")).await;
        assert!(n >= 5, "{n}");
    }
}

db_test! {
    async fn a_lawyer_requests_a_mandate_and_learns_nothing_until_the_parent_accepts(backend) {
        let app = TestApp::spawn(backend).await;
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let pieter = token(&app.login("advocaat", PIETER).await);
        let fatima = token(&app.login("digid", FATIMA).await);
        let verzoek = |bsn: &str| json!({"bsn": bsn, "bevoegdheden": ["aanvraag-inzien", "indienen"], "geldigTot": over(60)});
        let echt = ok(send(&app, Method::POST, &lotte, "/machtigingsverzoeken", verzoek(FATIMA_BSN)).await, 202).await;
        // A valid BSN of nobody here gets the very same answer.
        let niemand = ok(send(&app, Method::POST, &lotte, "/machtigingsverzoeken", verzoek("111222333")).await, 202).await;
        assert_eq!(echt, niemand);
        let p = problem(send(&app, Method::POST, &lotte, "/machtigingsverzoeken", verzoek("123456789")).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/bsn");
        problem(send(&app, Method::POST, &fatima, "/machtigingsverzoeken", verzoek(FATIMA_BSN)).await, 403).await;
        problem(app.post_json("/machtigingsverzoeken", &verzoek(FATIMA_BSN)).await, 401).await;
        assert_eq!(ok(app.get_as(&lotte, "/machtigingen").await, 200).await["paginering"]["totaal"], 0);

        let lijst = ok(app.get_as(&fatima, "/machtigingen").await, 200).await;
        let m = &lijst["resultaten"][0];
        assert_eq!(m["status"], "aangevraagd");
        assert_eq!(m["gestartDoor"], "gemachtigde");
        assert_eq!(m["gemachtigde"]["registratienummer"], "A-10234");
        let mid = m["id"].as_str().unwrap().to_string();
        problem(app.get_as(&lotte, &format!("/machtigingen/{mid}")).await, 404).await;
        problem(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await, 404).await;
        // The parent accepts, narrowing the scopes.
        let a = ok(send(&app, Method::POST, &fatima, &format!("/machtigingen/{mid}/aanvaardingen"), json!({"bevoegdheden": ["aanvraag-inzien"]})).await, 200).await;
        assert_eq!(a["status"], "actief");
        assert_eq!(a["bevoegdheden"], json!(["aanvraag-inzien"]));
        assert_eq!(ok(app.get_as(&lotte, &format!("/machtigingen/{mid}")).await, 200).await["ouder"]["naam"], "Fatima El Amrani");

        // Two lawyers for one parent: allowed, each with their own scopes.
        ok(send(&app, Method::POST, &pieter, "/machtigingsverzoeken", verzoek(FATIMA_BSN)).await, 202).await;
        let lijst = ok(app.get_as(&fatima, "/machtigingen").await, 200).await;
        let tweede = lijst["resultaten"].as_array().unwrap().iter().find(|m| m["status"] == "aangevraagd").unwrap()["id"].as_str().unwrap().to_string();
        ok(send(&app, Method::POST, &fatima, &format!("/machtigingen/{tweede}/weigeringen"), json!({})).await, 200).await;
        problem(send(&app, Method::POST, &fatima, &format!("/machtigingen/{tweede}/aanvaardingen"), json!({})).await, 409).await;
        ok(send(&app, Method::POST, &pieter, "/machtigingsverzoeken", verzoek(FATIMA_BSN)).await, 202).await;
        let lijst = ok(app.get_as(&fatima, "/machtigingen").await, 200).await;
        let derde = lijst["resultaten"].as_array().unwrap().iter().find(|m| m["status"] == "aangevraagd").unwrap()["id"].as_str().unwrap().to_string();
        ok(send(&app, Method::POST, &fatima, &format!("/machtigingen/{derde}/aanvaardingen"), json!({})).await, 200).await;
        let actief = ok(app.get_as(&fatima, "/machtigingen").await, 200).await["resultaten"].as_array().unwrap().iter().filter(|m| m["status"] == "actief").count();
        assert_eq!(actief, 2);

        // The lawyer ends it; the parent is told; acting stops.
        let namens = act_for(&app, &lotte, &mid).await;
        problem(send(&app, Method::POST, &fatima, &format!("/machtigingen/{mid}/beeindigingen"), json!({})).await, 403).await;
        ok(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/beeindigingen"), json!({})).await, 200).await;
        problem(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/beeindigingen"), json!({})).await, 409).await;
        problem(app.get_as(&namens, "/opgehaalde-gegevens").await, 404).await;
        let berichten = ok(app.get_as(&fatima, "/mij/berichten").await, 200).await;
        assert!(berichten["resultaten"].as_array().unwrap().iter().any(|b| b["soort"] == "machtiging-beeindigd"), "{berichten}");
    }
}

db_test! {
    async fn an_expired_mandate_stops_at_once_and_the_queue_knows_who_has_a_lawyer(backend) {
        let app = TestApp::spawn(backend).await;
        let (id, _, fatima) = app.submitted_claim(FATIMA).await;
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let mid = active_mandate(&app, &fatima, &lotte, json!(["aanvraag-inzien", "aanbod-beantwoorden"])).await;
        let namens = act_for(&app, &lotte, &mid).await;
        assert_eq!(app.get_as(&namens, &format!("/aanvragen/{id}")).await.status().as_u16(), 200);

        let met = ok(app.get_as(&anouk, "/behandeling/aanvragen?metGemachtigde=true").await, 200).await;
        assert_eq!(met["resultaten"][0]["aanvraag"], id.as_str(), "{met}");
        assert_eq!(ok(app.get_as(&anouk, "/behandeling/aanvragen?metGemachtigde=false").await, 200).await["paginering"]["totaal"], 0);
        problem(app.get_as(&anouk, "/behandeling/aanvragen?metGemachtigde=misschien").await, 400).await;

        // Past its end date (set behind the API): the next request fails, token or not.
        use sea_orm::ConnectionTrait;
        app.db.execute_unprepared(&format!("UPDATE machtiging SET geldig_tot = 1 WHERE id = '{mid}'")).await.unwrap();
        problem(app.get_as(&namens, &format!("/aanvragen/{id}")).await, 404).await;
        assert_eq!(ok(app.get_as(&fatima, &format!("/machtigingen/{mid}")).await, 200).await["status"], "verlopen");
        assert_eq!(ok(app.get_as(&anouk, "/behandeling/aanvragen?metGemachtigde=true").await, 200).await["paginering"]["totaal"], 0);
    }
}

db_test! {
    async fn a_lawyer_with_the_scopes_submits_and_answers_the_offer_and_the_parent_is_told(backend) {
        // One behandelaar suffices: the offer stays below the four-eyes threshold.
        let app = TestApp::spawn_with(backend, |s| s.claims.vier_ogen_vanaf_cent = 100_000_000).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let (id, mut tag) = claim_of(&app, &fatima).await;
        for (step, answers) in golden_steps() {
            let r = app.save_step(&fatima, &id, step, &tag, &answers).await;
            tag = etag(&r);
        }
        let mid = active_mandate(&app, &fatima, &lotte, json!(["aanvraag-inzien", "antwoorden-invullen", "indienen", "aanbod-beantwoorden", "correspondentie-ontvangen"])).await;
        let namens = act_for(&app, &lotte, &mid).await;

        // Parent and lawyer edit the same claim: the second with the old ETag gets 412, nothing lost.
        let (step, answers) = golden_steps()[0].clone();
        assert_eq!(app.save_step(&fatima, &id, step, &tag, &answers).await.status().as_u16(), 200);
        problem(app.save_step(&namens, &id, step, &tag, &answers).await, 412).await;

        let sub = app.request(Method::POST, &format!("/aanvragen/{id}/indieningen")).bearer_auth(&namens)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string()).json(&json!({"verklaringNaarWaarheid": true})).send().await.unwrap();
        ok(sub, 201).await;
        ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 200).await;
        app.accept_open_posts(&anouk, &id).await;
        let aanbod = ok(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{id}/aanbiedingen"), json!({"toelichting": "Wij kennen uw posten toe.", "procedures": []})).await, 201).await;
        let aanbod_id = aanbod["id"].as_str().unwrap();
        // Another lawyer's token, or this one for another action, gets nowhere.
        let af = json!({"aanbod": aanbod_id, "reden": "De uithuisplaatsing ontbreekt.", "vervolg": "nieuwe-beoordeling"});
        problem(send(&app, Method::POST, &lotte, &format!("/aanvragen/{id}/afwijzingen"), af.clone()).await, 404).await;
        ok(send(&app, Method::POST, &namens, &format!("/aanvragen/{id}/afwijzingen"), af).await, 200).await;

        let berichten = ok(app.get_as(&fatima, "/mij/berichten").await, 200).await;
        let namens_gedaan = berichten["resultaten"].as_array().unwrap().iter().filter(|b| b["soort"] == "gemachtigde-handelde").count();
        assert_eq!(namens_gedaan, 2, "{berichten}");
        // With the correspondence scope the lawyer reads the parent's inbox, never their settings.
        let gelezen = ok(app.get_as(&namens, "/mij/berichten").await, 200).await;
        assert_eq!(gelezen["resultaten"], berichten["resultaten"]);
        problem(app.get_as(&namens, "/mij/meldingsinstellingen").await, 404).await;
        let h = ok(app.get_as(&fatima, &format!("/machtigingen/{mid}/handelingen")).await, 200).await;
        let teksten: Vec<&str> = h["resultaten"].as_array().unwrap().iter().map(|r| r["tekst"].as_str().unwrap()).collect();
        assert!(teksten.iter().any(|t| t.ends_with("uw aanvraag ingediend.")), "{teksten:?}");
        assert!(teksten.iter().any(|t| t.ends_with("namens u het aanbod afgewezen.")), "{teksten:?}");
    }
}

db_test! {
    async fn a_court_appointed_bewindvoerder_is_registered_by_the_behandelaar_and_ended_only_there(backend) {
        const SANNE: &str = "0193a6c2-0000-7000-8000-000000000003";
        let app = TestApp::spawn(backend).await;
        let (id, _, fatima) = app.submitted_claim(FATIMA).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let bram = token(&app.login("medewerker", BRAM).await);
        let pad = format!("/behandeling/aanvragen/{id}/vertegenwoordigers");
        let body = json!({"soort": "bewindvoerder", "bsn": "999990032", "naam": "S. Jansen", "uitspraak": "C/16/512345 / FA RK 24-1234", "geldigTot": over(365)});
        // Only the assigned behandelaar; never the parent; bad input refused.
        problem(send(&app, Method::POST, &anouk, &pad, body.clone()).await, 404).await;
        ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 200).await;
        problem(send(&app, Method::POST, &bram, &pad, body.clone()).await, 404).await;
        problem(send(&app, Method::POST, &fatima, &pad, body.clone()).await, 403).await;
        problem(app.post_json(&pad, &body).await, 401).await;
        let mut fout = body.clone();
        fout["soort"] = json!("voogd");
        problem(send(&app, Method::POST, &anouk, &pad, fout).await, 400).await;
        let p = problem(send(&app, Method::POST, &anouk, &pad, json!({"soort": "curator", "bsn": "999993653", "naam": "x", "uitspraak": "x", "geldigTot": over(30)})).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "zelf");

        let m = ok(send(&app, Method::POST, &anouk, &pad, body.clone()).await, 201).await;
        let mid = m["id"].as_str().unwrap().to_string();
        assert_eq!((m["status"].as_str(), m["soort"].as_str(), m["gestartDoor"].as_str()), (Some("actief"), Some("bewindvoerder"), Some("behandelaar")));
        assert_eq!(m["uitspraak"], "C/16/512345 / FA RK 24-1234");
        problem(send(&app, Method::POST, &anouk, &pad, body).await, 409).await;

        // The bewindvoerder logs in with DigiD and acts for the parent.
        let sanne = token(&app.login("digid", SANNE).await);
        let lijst = ok(app.get_as(&sanne, "/machtigingen").await, 200).await;
        assert_eq!(lijst["resultaten"][0]["uwRol"], "gemachtigde");
        let namens = act_for(&app, &sanne, &mid).await;
        assert_eq!(app.get_as(&namens, &format!("/aanvragen/{id}")).await.status().as_u16(), 200);
        // The parent sees it and cannot revoke a court decision here; nor can the representative.
        let lijst = ok(app.get_as(&fatima, "/machtigingen").await, 200).await;
        assert_eq!(lijst["resultaten"][0]["soort"], "bewindvoerder");
        problem(send(&app, Method::POST, &fatima, &format!("/machtigingen/{mid}/intrekkingen"), json!({})).await, 409).await;
        problem(send(&app, Method::POST, &sanne, &format!("/machtigingen/{mid}/beeindigingen"), json!({})).await, 409).await;

        let einde = format!("{pad}/{mid}/beeindigingen");
        problem(send(&app, Method::POST, &bram, &einde, json!({})).await, 404).await;
        ok(send(&app, Method::POST, &anouk, &einde, json!({})).await, 200).await;
        problem(send(&app, Method::POST, &anouk, &einde, json!({})).await, 409).await;
        problem(app.get_as(&namens, &format!("/aanvragen/{id}")).await, 404).await;
    }
}

/// Logs in through the development DigiD with a simulation; the app's redirect location.
async fn digid_met(app: &TestApp, persona: &str, simulatie: &str) -> (String, Pkce) {
    let pkce = Pkce::new();
    let r = app
        .browser_login("digid", &pkce, Choice::simulate(persona, simulatie))
        .await;
    (location(&r), pkce)
}

db_test! {
    async fn a_person_authorised_through_digid_machtigen_acts_for_the_parent_only_for_our_service(backend) {
        const SANNE: &str = "0193a6c2-0000-7000-8000-000000000003";
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let (id, _) = claim_of(&app, &fatima).await;

        // Another service's mandate is refused, and nothing is recorded.
        let refused = app.browser_login("digid", &Pkce::new(), Choice::simulate(SANNE, "machtigen-andere-dienst")).await;
        assert_eq!(problem(refused, 401).await["code"], "inloggen-mislukt");
        assert_eq!(app.count("machtiging").await, 0);

        let (app_url, pkce) = digid_met(&app, SANNE, "machtigen").await;
        let code = query_of(&app_url)["code"].clone();
        let tokens: Value = ok(app.token_request(&[("grant_type", "authorization_code"), ("code", &code),
            ("code_verifier", &pkce.verifier), ("redirect_uri", APP_REDIRECT)]).await, 200).await;
        let namens = token(&tokens);
        // The token is Sanne's (`sub`) acting for Fatima (`represents`).
        let me = ok(app.get_as(&namens, "/mij").await, 200).await;
        let fatima_id = ok(app.get_as(&fatima, "/mij").await, 200).await["id"].clone();
        assert_eq!(me["naam"], "Sanne Jansen");
        assert_eq!(me["namens"], fatima_id);
        let r = app.get_as(&namens, &format!("/aanvragen/{id}")).await;
        assert_eq!(r.status().as_u16(), 200);
        // It never reaches another parent's claim, and refreshing keeps acting for Fatima only.
        let jeroen = token(&app.login("digid", JEROEN).await);
        let (jeroen_claim, _) = claim_of(&app, &jeroen).await;
        problem(app.get_as(&namens, &format!("/aanvragen/{jeroen_claim}")).await, 404).await;
        let refreshed: Value = ok(app.token_request(&[("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap())]).await, 200).await;
        assert_eq!(app.get_as(&token(&refreshed), &format!("/aanvragen/{id}")).await.status().as_u16(), 200);

        // Fatima sees the mandate, of its own kind, and can revoke it here too: at once.
        let lijst = ok(app.get_as(&fatima, "/machtigingen").await, 200).await;
        let m = &lijst["resultaten"][0];
        assert_eq!(m["soort"], "digid-machtigen");
        assert_eq!(m["gestartDoor"], "digid");
        let mid = m["id"].as_str().unwrap();
        ok(send(&app, Method::POST, &fatima, &format!("/machtigingen/{mid}/intrekkingen"), json!({})).await, 200).await;
        problem(app.get_as(&token(&refreshed), &format!("/aanvragen/{id}")).await, 404).await;
    }
}
