//! Where the money goes ([I], found by the threat model): a gemachtigde with the default scopes
//! (inzien, antwoorden invullen, bewijs toevoegen) cannot change the payout account; with the
//! scope to answer the offer they can.

use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

async fn send(app: &TestApp, m: Method, t: &str, pad: &str, body: Value) -> reqwest::Response {
    app.request(m, pad)
        .bearer_auth(t)
        .json(&body)
        .send()
        .await
        .unwrap()
}

db_test! {
    async fn only_a_gemachtigde_who_may_answer_the_offer_sets_the_payout_account(backend) {
        let app = TestApp::spawn(backend).await;
        let (id, _, fatima) = app.submitted_claim(FATIMA).await;
        let lotte = app.login("advocaat", LOTTE).await["access_token"].as_str().unwrap().to_string();
        let tot = (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string();
        let m: Value = send(&app, Method::POST, &fatima, "/machtigingen", json!({"registratienummer": "A-10234", "geldigTot": tot})).await.json().await.unwrap();
        let mid = m["id"].as_str().unwrap().to_string();
        assert_eq!(send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await.status().as_u16(), 200);
        let namens: Value = send(&app, Method::POST, &lotte, &format!("/machtigingen/{mid}/vertegenwoordigingen"), json!({})).await.json().await.unwrap();
        let namens = namens["access_token"].as_str().unwrap().to_string();
        let rek = format!("/aanvragen/{id}/bankrekening");
        let body = json!({"iban": "NL91ABNA0417164300", "rekeninghouder": "Derdengeldrekening Visser"});
        // Default scopes: she reads the claim, but the account is out of reach.
        assert_eq!(app.get_as(&namens, &format!("/aanvragen/{id}")).await.status().as_u16(), 200);
        problem(send(&app, Method::PUT, &namens, &rek, body.clone()).await, 404).await;
        assert_eq!(app.getal("SELECT COUNT(*) FROM bankrekening").await, 0);
        // Fatima adds the scope to answer the offer; now she may.
        let tag = app.get_as(&fatima, &format!("/machtigingen/{mid}")).await.headers()["etag"].to_str().unwrap().to_string();
        let r = app.request(Method::PUT, &format!("/machtigingen/{mid}/bevoegdheden")).bearer_auth(&fatima).header("If-Match", tag)
            .json(&json!({"bevoegdheden": ["aanvraag-inzien", "aanbod-beantwoorden"]})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(send(&app, Method::PUT, &namens, &rek, body).await.status().as_u16(), 200);
    }
}

db_test! {
    async fn a_draft_has_no_offers_and_answering_one_is_a_conflict_not_a_404(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = app.login("digid", FATIMA).await["access_token"].as_str().unwrap().to_string();
        let id = app.create_claim(&fatima).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let lijst: Value = app.get_as(&fatima, &format!("/aanvragen/{id}/aanbiedingen")).await.json().await.unwrap();
        assert_eq!(lijst["resultaten"], json!([]));
        let nee = json!({"aanbod": uuid::Uuid::now_v7(), "reden": "x", "vervolg": "nieuwe-beoordeling"});
        let p = problem(send(&app, Method::POST, &fatima, &format!("/aanvragen/{id}/afwijzingen"), nee).await, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("nog niet ingediend"), "{p}");
    }
}
