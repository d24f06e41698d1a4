//! The questionnaire and the claim over HTTP: a parent walks every step, goes back, hides and
//! restores a step, resumes on another device, sees posts with explanations; and every way to get
//! it wrong answers a clear problem and changes nothing.

use mijn_herstel_tests::aanvraag::*;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

fn post<'a>(posts: &'a Value, id: &str) -> &'a Value {
    posts["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

db_test! {
    async fn a_parent_walks_every_step_and_ends_at_the_overview(backend) {
        let app = TestApp::spawn(backend).await;
        // The questionnaire is public and cacheable.
        let doc = app.get("/vragenlijsten/actueel").await;
        assert_eq!(doc.status().as_u16(), 200);
        let tag = etag(&doc);
        let doc: Value = doc.json().await.unwrap();
        assert_eq!(doc["vastgesteld"], false);
        assert!(doc["schadekader"].as_array().unwrap().len() >= 15);
        let cached = app.request(Method::GET, "/vragenlijsten/actueel").header("If-None-Match", &tag).send().await.unwrap();
        assert_eq!(cached.status().as_u16(), 304);

        let t = token(&app.login("digid", FATIMA).await);
        let created = app.create_claim(&t).await;
        assert_eq!(created.status().as_u16(), 201);
        assert!(created.headers().get("location").is_some());
        let mut tag = etag(&created);
        let claim: Value = created.json().await.unwrap();
        let id = claim["id"].as_str().unwrap().to_string();
        assert_eq!(claim["status"], "concept");
        assert_eq!(claim["inhoudVersie"], "2026.1");
        assert_eq!(claim["huidigeStap"], "start");
        // One open claim per parent.
        problem(app.create_claim(&t).await, 409).await;

        for (step, answers) in golden_steps() {
            let saved = app.save_step(&t, &id, step, &tag, &answers).await;
            assert_eq!(saved.status().as_u16(), 200, "{step}: {}", saved.text().await.unwrap_or_default());
            tag = etag(&saved);
            if step == "wonen" {
                // Posts appear with explanations as soon as their step is answered.
                let posts: Value = app.get_as(&t, &format!("/aanvragen/{id}/schadeposten")).await.json().await.unwrap();
                let sale = post(&posts, "gedwongen-verkoop-koopwoning");
                // One toeslagjaar with € 1.500 repaid: the indicator rule asks for substantiation.
                assert_eq!(sale["status"], "onderbouwing-nodig");
                assert!(sale["uitleg"].as_array().unwrap().iter().any(|r| r["regel"] == "indicator" && r["tekst"]["nl"].as_str().unwrap().contains("€ 2.000")));
                assert_eq!(post(&posts, "noodgedwongen-verhuizing")["verdrongenDoor"], "gedwongen-verkoop-koopwoning");
                assert_eq!(post(&posts, "dakloosheid")["status"], "toegekend");
            }
        }
        let claim: Value = app.get_as(&t, &format!("/aanvragen/{id}")).await.json().await.unwrap();
        assert_eq!(claim["huidigeStap"], "overzicht");
        let (done, all) = (claim["voortgang"]["beantwoord"].as_u64().unwrap(), claim["voortgang"]["totaal"].as_u64().unwrap());
        assert_eq!(all - done, 1, "only the optional support question is left open");
        let posts: Value = app.get_as(&t, &format!("/aanvragen/{id}/schadeposten")).await.json().await.unwrap();
        assert_eq!(post(&posts, "relatiebreuk")["status"], "uitgesloten");
        assert_eq!(post(&posts, "verlies-onderneming")["status"], "niet-van-toepassing");
        // € 6.000 + € 30.000 + € 2.500, worked out by hand.
        assert_eq!(posts["totaal"], 3_850_000);
        assert_eq!(claim["totaal"], 3_850_000);

        // Going back: housing no longer affected hides the rest of the step; the answers stay,
        // inactive, and stop counting.
        let hidden = app.save_step(&t, &id, "wonen", &tag, &json!({"wonen.geraakt": false})).await;
        assert_eq!(hidden.status().as_u16(), 200);
        tag = etag(&hidden);
        let claim: Value = hidden.json().await.unwrap();
        assert!(claim["inactieveAntwoorden"].as_array().unwrap().contains(&json!("wonen.verlies-soort")));
        assert_eq!(claim["totaal"], 3_250_000);
        // Toggling back restores them.
        let restored = app.save_step(&t, &id, "wonen", &tag, &json!({"wonen.geraakt": true})).await;
        tag = etag(&restored);
        let claim: Value = restored.json().await.unwrap();
        assert!(claim["inactieveAntwoorden"].as_array().unwrap().is_empty());
        assert_eq!(claim["totaal"], 3_850_000);

        // Changing an earlier answer that hides a whole step: housing is deselected in the
        // timeline, so the housing step disappears and its answers stop counting.
        let mut timeline = golden_steps()[2].1.clone();
        timeline["tijdlijn.leefgebieden"] = json!(["werk-inkomen", "schulden", "gezin", "gezondheid", "opleiding", "bezittingen", "kosten"]);
        let without = app.save_step(&t, &id, "tijdlijn", &tag, &timeline).await;
        assert_eq!(without.status().as_u16(), 200);
        tag = etag(&without);
        let claim: Value = without.json().await.unwrap();
        let housing = claim["stappen"].as_array().unwrap().iter().find(|s| s["id"] == "wonen").unwrap();
        assert_eq!(housing["zichtbaar"], false);
        assert!(claim["inactieveAntwoorden"].as_array().unwrap().contains(&json!("wonen.dakloos-jaren")));
        assert_eq!(claim["totaal"], 3_250_000);
        let posts: Value = app.get_as(&t, &format!("/aanvragen/{id}/schadeposten")).await.json().await.unwrap();
        assert_eq!(post(&posts, "dakloosheid")["status"], "niet-van-toepassing");
        let back = app.save_step(&t, &id, "tijdlijn", &tag, &golden_steps()[2].1).await;
        tag = etag(&back);
        assert_eq!(back.json::<Value>().await.unwrap()["totaal"], 3_850_000);

        // Another device: a fresh login finds the claim where it was.
        let t2 = token(&app.login("digid", FATIMA).await);
        let mine: Value = app.get_as(&t2, "/aanvragen").await.json().await.unwrap();
        assert_eq!(mine["resultaten"][0]["id"], id.as_str());
        assert_eq!(mine["resultaten"][0]["huidigeStap"], "overzicht");
        let fresh = app.get_as(&t2, &format!("/aanvragen/{id}")).await;
        assert_eq!(etag(&fresh), tag);

        // Choose a precise calculation for one post.
        let chosen = app.request(Method::PUT, &format!("/aanvragen/{id}/schadeposten/uithuisplaatsing/keuze"))
            .bearer_auth(&t2).header("If-Match", &tag)
            .json(&json!({"keuze": "maatwerk", "bedrag": 5_000_000, "toelichting": "Twee kinderen waren drie jaar uit huis."}))
            .send().await.unwrap();
        assert_eq!(chosen.status().as_u16(), 200);
        let posts: Value = chosen.json().await.unwrap();
        assert_eq!(post(&posts, "uithuisplaatsing")["keuze"]["beoordelingNodig"], true);
        // Everything was audited for the parent.
        assert!(app.count("auditregel WHERE actie = 'aanvraag-wijzigen' AND uitkomst = 'toegestaan'").await >= 15);
    }
}

db_test! {
    async fn saving_a_step_checks_everything_and_changes_nothing_on_error(backend) {
        let app = TestApp::spawn(backend).await;
        let t = token(&app.login("digid", FATIMA).await);
        let created = app.create_claim(&t).await;
        let tag = etag(&created);
        let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let steps = golden_steps();
        let start = app.save_step(&t, &id, "start", &tag, &steps[0].1).await;
        let tag = etag(&start);

        // Four problems at once, each with its pointer.
        let bad = app.save_step(&t, &id, "tijdlijn", &tag, &json!({
            "tijdlijn.probleemstart": "1 maart 2012",
            "tijdlijn.gezinsleden": 40,
            "tijdlijn.bestaat-niet": 1,
            "tijdlijn.toeslagjaren": [{"jaar": 2010, "teruggevorderd": -5}]
        })).await;
        let body = problem(bad, 400).await;
        let pointers: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        for p in ["#/antwoorden/tijdlijn.probleemstart", "#/antwoorden/tijdlijn.gezinsleden", "#/antwoorden/tijdlijn.bestaat-niet",
                  "#/antwoorden/tijdlijn.toeslagjaren/0/teruggevorderd", "#/antwoorden/tijdlijn.toeslagjaren/0/terugbetaald"] {
            assert!(pointers.contains(&p), "{p} in {pointers:?}");
        }
        // A question that does not apply is refused.
        let hidden = app.save_step(&t, &id, "gegevens", &tag, &json!({"gegevens.toestemming": [], "gegevens.bevestigd": true})).await;
        assert_eq!(problem(hidden, 400).await["errors"][0]["code"], "niet-van-toepassing");
        // So is a step that does not apply (housing was not chosen in the timeline).
        let step = app.save_step(&t, &id, "wonen", &tag, &json!({"wonen.geraakt": false})).await;
        assert_eq!(problem(step, 400).await["errors"][0]["code"], "stap-niet-van-toepassing");
        // A rule of the content: only recognised parents.
        let rule = app.save_step(&t, &id, "start", &tag, &json!({"start.erkend": false})).await;
        assert!(problem(rule, 400).await["errors"][0]["detail"].as_str().unwrap().contains("erkende ouders"));
        // Unknown step; no If-Match; stale If-Match; wrong shape.
        problem(app.save_step(&t, &id, "bestaat-niet", &tag, &json!({})).await, 404).await;
        let no_match = app.request(Method::PUT, &format!("/aanvragen/{id}/stappen/start")).bearer_auth(&t).json(&json!({"antwoorden": {}})).send().await.unwrap();
        problem(no_match, 428).await;
        problem(app.save_step(&t, &id, "start", "\"v1\"", &steps[0].1).await, 412).await;
        let shape = app.request(Method::PUT, &format!("/aanvragen/{id}/stappen/start")).bearer_auth(&t).header("If-Match", &tag).json(&json!({"antwoorden": 5})).send().await.unwrap();
        problem(shape, 400).await;
        // Nothing changed.
        let now = app.get_as(&t, &format!("/aanvragen/{id}")).await;
        assert_eq!(etag(&now), tag);
        let claim: Value = now.json().await.unwrap();
        assert!(claim["antwoorden"].get("tijdlijn.gezinsleden").is_none());
        // Maatwerk needs an amount and an explanation, and a post that allows it.
        let incomplete = app.request(Method::PUT, &format!("/aanvragen/{id}/schadeposten/uithuisplaatsing/keuze"))
            .bearer_auth(&t).header("If-Match", &tag).json(&json!({"keuze": "maatwerk"})).send().await.unwrap();
        assert_eq!(problem(incomplete, 400).await["errors"].as_array().unwrap().len(), 2);
        let not_allowed = app.request(Method::PUT, &format!("/aanvragen/{id}/schadeposten/beslaglegging/keuze"))
            .bearer_auth(&t).header("If-Match", &tag).json(&json!({"keuze": "maatwerk", "bedrag": 1, "toelichting": "x"})).send().await.unwrap();
        assert_eq!(problem(not_allowed, 400).await["errors"][0]["pointer"], "#/keuze");
    }
}

db_test! {
    async fn nobody_else_sees_or_changes_a_claim(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let created = app.create_claim(&fatima).await;
        let tag = etag(&created);
        let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let jeroen = token(&app.login("digid", JEROEN).await);
        let lawyer = token(&app.login("advocaat", LOTTE).await);
        for other in [&jeroen, &lawyer] {
            problem(app.get_as(other, &format!("/aanvragen/{id}")).await, 404).await;
            problem(app.get_as(other, &format!("/aanvragen/{id}/schadeposten")).await, 404).await;
            problem(app.save_step(other, &id, "start", &tag, &json!({"start.erkend": true})).await, 404).await;
        }
        // An unknown id looks the same as someone else's.
        problem(app.get_as(&jeroen, &format!("/aanvragen/{}", uuid::Uuid::now_v7())).await, 404).await;
        // Jeroen's own list is empty; a lawyer cannot start a claim.
        let list: Value = app.get_as(&jeroen, "/aanvragen").await.json().await.unwrap();
        assert_eq!(list["resultaten"].as_array().unwrap().len(), 0);
        assert_eq!(problem(app.create_claim(&lawyer).await, 403).await["code"], "geen-toegang");
        // Without a token.
        problem(app.get(&format!("/aanvragen/{id}")).await, 401).await;
        problem(app.request(Method::POST, "/aanvragen").send().await.unwrap(), 401).await;
        // Refusals are in the audit log.
        assert!(app.count("auditregel WHERE actie LIKE 'aanvraag-%' AND uitkomst = 'geweigerd'").await >= 6);
    }
}

/// A copy of the shipped content as `versions`; 2026.2 allows a shorter own story.
fn content_dir(versions: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wizard-content/2026.1");
    for version in versions {
        let target = dir.path().join(version);
        std::fs::create_dir_all(&target).unwrap();
        for file in ["vragenlijst.yaml", "schadekader.yaml"] {
            let mut text = std::fs::read_to_string(shipped.join(file)).unwrap();
            if *version != "2026.1" {
                text = text
                    .replace("versie: \"2026.1\"", &format!("versie: \"{version}\""))
                    .replace("max-lengte: 20000", "max-lengte: 10");
            }
            std::fs::write(target.join(file), text).unwrap();
        }
    }
    dir
}

db_test! {
    async fn a_claim_keeps_its_content_version_until_it_is_moved(backend) {
        let old = content_dir(&["2026.1"]);
        let old_dir = old.path().display().to_string();
        let app = TestApp::spawn_with(backend, move |s| s.content.dir = old_dir).await;
        let t = token(&app.login("digid", FATIMA).await);
        let created = app.create_claim(&t).await;
        let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let mut tag = "\"v1\"".to_string();
        for (step, answers) in golden_steps().into_iter().take(3).chain(golden_steps().into_iter().filter(|(s, _)| *s == "eigen-verhaal")) {
            let saved = app.save_step(&t, &id, step, &tag, &answers).await;
            assert_eq!(saved.status().as_u16(), 200, "{step}");
            tag = etag(&saved);
        }
        // New content ships (the next release of the server, same database).
        let both = content_dir(&["2026.1", "2026.2"]);
        let both_dir = both.path().display().to_string();
        let next = app.spawn_sharing(move |s| s.content.dir = both_dir).await;
        let t = token(&next.login("digid", FATIMA).await);
        let claim: Value = next.get_as(&t, &format!("/aanvragen/{id}")).await.json().await.unwrap();
        assert_eq!(claim["inhoudVersie"], "2026.1", "pinned");
        let doc: Value = next.get("/vragenlijsten/actueel").await.json().await.unwrap();
        assert_eq!(doc["versie"], "2026.2");
        let saved = next.save_step(&t, &id, "wonen", &tag, &json!({"wonen.geraakt": false})).await;
        assert_eq!(saved.status().as_u16(), 200, "the old version keeps working");
        tag = etag(&saved);
        // The explicit, audited move reports what no longer fits.
        let bad = next.request(Method::POST, &format!("/aanvragen/{id}/inhoudsmigraties")).bearer_auth(&t).header("If-Match", &tag)
            .json(&json!({"naarVersie": "2099.1"})).send().await.unwrap();
        problem(bad, 400).await;
        let moved = next.request(Method::POST, &format!("/aanvragen/{id}/inhoudsmigraties")).bearer_auth(&t).header("If-Match", &tag)
            .json(&json!({"naarVersie": "2026.2"})).send().await.unwrap();
        assert_eq!(moved.status().as_u16(), 200);
        let report: Value = moved.json().await.unwrap();
        assert_eq!(report["vanVersie"], "2026.1");
        assert_eq!(report["aanvraag"]["inhoudVersie"], "2026.2");
        assert_eq!(report["vervallenAntwoorden"], json!(["eigen-verhaal.tekst"]));
        assert!(report["aanvraag"]["antwoorden"].get("tijdlijn.probleemstart").is_some());
        drop(next);
    }
}
