//! Abuse limits ([I]): expensive or sensitive actions are limited per person (429 problem+json
//! with Retry-After, the limit checked before anything is read), and behind a reverse proxy the
//! client's address comes from `X-Forwarded-For` only when the proxy is trusted.

use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

const PIETER: &str = "0193a6c2-0000-7000-8000-000000000012";

async fn verzoek(app: &TestApp, t: &str, bsn: &str) -> reqwest::Response {
    let tot = (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string();
    app.request(Method::POST, "/machtigingsverzoeken")
        .bearer_auth(t)
        .json(&json!({"bsn": bsn, "bevoegdheden": ["aanvraag-inzien"], "geldigTot": tot}))
        .send()
        .await
        .unwrap()
}

db_test! {
    async fn sensitive_actions_are_limited_per_person_before_anything_is_read(backend) {
        let app = TestApp::spawn_with(backend, |s| s.limits.gevoelig_per_minute = 2).await;
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let pieter = token(&app.login("advocaat", PIETER).await);
        for _ in 0..2 {
            assert_eq!(verzoek(&app, &lotte, "999990019").await.status().as_u16(), 202);
        }
        // The third, even with a number that fails the elfproef: refused for the limit, not read.
        let r = verzoek(&app, &lotte, "123456789").await;
        let wacht: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wacht), "{wacht}");
        let p = problem(r, 429).await;
        assert_eq!(p["code"], "te-veel-verzoeken", "{p}");
        // Per person: another lawyer is not held back; other kinds of action are counted apart.
        assert_eq!(verzoek(&app, &pieter, "999990019").await.status().as_u16(), 202);
        let fatima = token(&app.login("digid", FATIMA).await);
        let t = app.request(Method::POST, "/toestemmingen").bearer_auth(&fatima).json(&json!({"bron": "uht"})).send().await.unwrap();
        assert_eq!(t.status().as_u16(), 201);
        let mut statussen = Vec::new();
        for _ in 0..3 {
            let b = app.request(Method::POST, "/bevragingen").bearer_auth(&fatima).json(&json!({"bronnen": ["uht"]})).send().await.unwrap();
            statussen.push(b.status().as_u16());
        }
        // The second may find the first still running (409) or done (202); the third is over
        // the limit either way.
        assert!(statussen[0] == 202 && [202, 409].contains(&statussen[1]) && statussen[2] == 429, "{statussen:?}");
    }
}

async fn inloggen(app: &TestApp, van: Option<&str>) -> u16 {
    let pkce = Pkce::new();
    let mut r = app.request(Method::GET, "/inloggen/digid").query(&[
        ("redirectUri", APP_REDIRECT),
        ("codeChallenge", pkce.challenge.as_str()),
        ("codeChallengeMethod", "S256"),
        ("state", APP_STATE),
    ]);
    if let Some(x) = van {
        r = r.header("X-Forwarded-For", x);
    }
    r.send().await.unwrap().status().as_u16()
}

db_test! {
    async fn the_client_address_comes_from_a_trusted_proxy_only(backend) {
        // Behind our proxy (the test client is 127.0.0.1): each client counted apart.
        let app = TestApp::spawn_with(backend.clone(), |s| {
            s.limits.login_per_minute = 2;
            s.http.vertrouwde_proxies = vec!["127.0.0.1".parse().unwrap()];
        })
        .await;
        for _ in 0..2 {
            assert_ne!(inloggen(&app, Some("203.0.113.5")).await, 429);
        }
        assert_eq!(inloggen(&app, Some("203.0.113.5")).await, 429);
        assert_ne!(inloggen(&app, Some("203.0.113.6")).await, 429);
        // A client cannot hide behind a made-up header: without a trusted proxy it is ignored.
        let app = TestApp::spawn_with(backend, |s| s.limits.login_per_minute = 2).await;
        for (i, x) in ["198.51.100.1", "198.51.100.2"].iter().enumerate() {
            assert_ne!(inloggen(&app, Some(x)).await, 429, "{i}");
        }
        assert_eq!(inloggen(&app, Some("198.51.100.3")).await, 429);
    }
}

db_test! {
    async fn forged_tokens_cannot_flood_the_audit_log(backend) {
        let app = TestApp::spawn_with(backend, |s| s.limits.login_per_minute = 5).await;
        let voor = app.getal("SELECT COUNT(*) FROM auditregel").await;
        let mut statussen = Vec::new();
        for i in 0..8 {
            statussen.push(app.get_as(&format!("vervalst.{i}.token"), "/mij").await.status().as_u16());
        }
        assert_eq!(statussen, [401, 401, 401, 401, 401, 429, 429, 429]);
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel").await, voor + 5, "only the refusals within the limit");
        // A real login from elsewhere is not affected by this address's forgeries.
        let fatima = token(&app.login("digid", FATIMA).await);
        assert_eq!(app.get_as(&fatima, "/mij").await.status().as_u16(), 200);
    }
}

db_test! {
    async fn every_person_has_a_request_budget(backend) {
        let app = TestApp::spawn_with(backend, |s| s.limits.subject_per_minute = 3).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let jeroen = token(&app.login("digid", JEROEN).await);
        let mut statussen = Vec::new();
        for _ in 0..4 {
            statussen.push(app.get_as(&fatima, "/mij").await.status().as_u16());
        }
        assert_eq!(statussen, [200, 200, 200, 429]);
        let r = app.get_as(&fatima, "/mij").await;
        assert!(r.headers().contains_key("retry-after"));
        problem(r, 429).await;
        // Someone else's budget is their own.
        assert_eq!(app.get_as(&jeroen, "/mij").await.status().as_u16(), 200);
    }
}
