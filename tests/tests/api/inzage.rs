//! Inzage ([I]): a parent downloads everything we hold about them — also what handlers wrote —
//! as one machine-readable document; never someone else's, never through a representative, and
//! never a secret (BSN only masked, no ciphertext, no storage keys).

use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

db_test! {
    async fn a_parent_gets_everything_held_about_them_and_nobody_else_does(backend) {
        let app = TestApp::spawn(backend).await;
        let (id, referentie, fatima) = app.submitted_claim(FATIMA).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let r = app.request(Method::PUT, &format!("/behandeling/aanvragen/{id}/toewijzing")).bearer_auth(&anouk).json(&json!({})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let r = app.request(Method::POST, &format!("/behandeling/aanvragen/{id}/notities")).bearer_auth(&anouk).json(&json!({"tekst": "Intern: gebeld met de ouder."})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201);

        let r = app.get_as(&fatima, "/mij/inzage").await;
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let tekst = r.text().await.unwrap();
        let doc: Value = serde_json::from_str(&tekst).unwrap();
        assert_eq!(doc["persoon"]["naam"], "Fatima El Amrani");
        assert_eq!(doc["persoon"]["bsn"], "******653");
        let o = &doc["onderdelen"];
        assert_eq!(o["aanvragen"][0]["id"], id.as_str());
        // Stored JSON comes out as JSON: the answers are an object, not a string.
        assert_eq!(o["aanvragen"][0]["antwoorden"]["start.erkend"], true, "{}", o["aanvragen"][0]);
        assert_eq!(o["indieningen"][0]["referentie"], referentie.as_str());
        assert_eq!(o["notities"][0]["tekst"], "Intern: gebeld met de ouder.");
        assert!(o["statusovergangen"].as_array().unwrap().len() >= 2);
        assert!(o["logboek"].as_array().unwrap().iter().any(|r| r["actie"] == "aanvraag-indienen"), "{}", o["logboek"]);
        for geheim in ["999993653", "bsn_versleuteld", "opslag_sleutel", "iban_verzegeld", "code_hash", "token_hash"] {
            assert!(!tekst.contains(geheim), "{geheim} in de inzage");
        }
        // The request itself is in the trail.
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'inzage-opvragen' AND uitkomst = 'gelukt'").await, 1);

        // Another parent gets their own (nothing of Fatima's); staff and a lawyer get 403; no
        // token 401.
        let jeroen = token(&app.login("digid", JEROEN).await);
        let eigen = app.get_as(&jeroen, "/mij/inzage").await.text().await.unwrap();
        assert!(!eigen.contains(&id) && !eigen.contains("Fatima"), "{eigen}");
        problem(app.get_as(&anouk, "/mij/inzage").await, 403).await;
        problem(app.get_as(&token(&app.login("advocaat", LOTTE).await), "/mij/inzage").await, 403).await;
        problem(app.get("/mij/inzage").await, 401).await;
    }
}
