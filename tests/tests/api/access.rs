//! Our access token as a protected resource checks it: signature, key, issuer, audience, expiry,
//! session; only in the Authorization header. And nobody reads another person's trail.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use mijn_herstel::identity::dev_keys::{DEV_IDP_KEY, DEV_TOKEN_KEY};
use mijn_herstel::identity::tokens::{TokenKeys, TokenService};
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeMap;

fn signer(pem: &str, issuer: &str) -> TokenService {
    let mut settings = mijn_herstel::config::Settings::default().tokens;
    settings.issuer = issuer.to_string();
    TokenService {
        keys: TokenKeys::from_pems(
            &BTreeMap::from([("dev-1".to_string(), pem.to_string())]),
            "dev-1",
        )
        .unwrap(),
        settings,
    }
}

db_test! {
    async fn forged_expired_and_misplaced_tokens_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let tokens = app.login("digid", FATIMA).await;
        let good = tokens["access_token"].as_str().unwrap().to_string();
        let me: Value = app.get_as(&good, "/mij").await.json().await.unwrap();
        let (sub, issuer) = (me["id"].as_str().unwrap().to_string(), app.origin());
        let parts: Vec<&str> = good.split('.').collect();
        let mut claims: Value = serde_json::from_slice(&B64URL.decode(parts[1]).unwrap()).unwrap();
        let sid = claims["sid"].as_str().unwrap().to_string();

        // Tampered payload (another person), original signature.
        claims["sub"] = Value::String(uuid::Uuid::now_v7().to_string());
        let tampered = format!("{}.{}.{}", parts[0], B64URL.encode(claims.to_string()), parts[2]);
        // alg: none.
        let none = format!("{}.{}.", B64URL.encode(br#"{"alg":"none","typ":"at+jwt"}"#), parts[1]);
        // Signed with another key under our kid.
        let other = signer(DEV_IDP_KEY, &issuer);
        let foreign = other.issue(other.access_claims(&sub, &sid, "ouder", vec![], None));
        // Ours, but expired.
        let ours = signer(DEV_TOKEN_KEY, &issuer);
        let mut old = ours.access_claims(&sub, &sid, "ouder", vec![], None);
        old.exp -= 3600;
        old.iat -= 3600;
        let expired = ours.issue(old);
        // Ours, but from another issuer.
        let elsewhere = signer(DEV_TOKEN_KEY, "https://elders.example");
        let wrong_iss = elsewhere.issue(elsewhere.access_claims(&sub, &sid, "ouder", vec![], None));

        for (name, token) in [("tampered", &tampered), ("none", &none), ("foreign", &foreign), ("expired", &expired), ("wrong-iss", &wrong_iss), ("garbage", &"abc".to_string())] {
            let before = app.count("auditregel WHERE actie = 'api-toegang'").await;
            let response = app.get_as(token, "/mij").await;
            let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            assert!(challenge.contains("invalid_token"), "{name}: {challenge}");
            assert_eq!(problem(response, 401).await["code"], "niet-ingelogd", "{name}");
            assert_eq!(app.count("auditregel WHERE actie = 'api-toegang'").await, before + 1, "{name}");
        }
        // Never in the query string, even a good one.
        let in_url = app.get(&format!("/mij?access_token={good}")).await;
        assert_eq!(problem(in_url, 400).await["errors"][0]["parameter"], "access_token");
        // The good one still works.
        assert_eq!(app.get_as(&good, "/mij").await.status().as_u16(), 200);
    }
}

db_test! {
    async fn without_a_token_every_personal_endpoint_answers_401(backend) {
        let app = TestApp::spawn(backend).await;
        for (method, path) in [(Method::GET, "/mij"), (Method::GET, "/mij/logboek"), (Method::DELETE, "/mij/sessie")] {
            let response = app.request(method.clone(), path).send().await.unwrap();
            assert_eq!(response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer realm=\"mijn-herstel\""), "{path}");
            problem(response, 401).await;
        }
        let tokens = app.login("digid", FATIMA).await;
        let bad_page = app.get_as(tokens["access_token"].as_str().unwrap(), "/mij/logboek?pageSize=0").await;
        assert_eq!(problem(bad_page, 400).await["errors"][0]["parameter"], "pageSize");
    }
}

db_test! {
    async fn a_trail_shows_only_what_concerns_its_owner(backend) {
        let app = TestApp::spawn(backend).await;
        let fatima = app.login("digid", FATIMA).await;
        let jeroen = app.login("digid", JEROEN).await;
        let f_token = fatima["access_token"].as_str().unwrap();
        let j_token = jeroen["access_token"].as_str().unwrap();
        let f_id = app.get_as(f_token, "/mij").await.json::<Value>().await.unwrap()["id"].clone();
        let j_log: Value = app.get_as(j_token, "/mij/logboek?pageSize=100").await.json().await.unwrap();
        let f_log: Value = app.get_as(f_token, "/mij/logboek?pageSize=100").await.json().await.unwrap();
        let j_traces: Vec<&Value> = j_log["resultaten"].as_array().unwrap().iter().map(|r| &r["traceId"]).collect();
        assert!(!j_traces.is_empty());
        for entry in f_log["resultaten"].as_array().unwrap() {
            assert!(!j_traces.contains(&&entry["traceId"]), "Fatima's trail holds Jeroen's entry");
        }
        assert!(!j_log.to_string().contains(f_id.as_str().unwrap()));
    }
}

db_test! {
    async fn the_logs_are_append_only_in_the_database(backend) {
        let app = TestApp::spawn(backend).await;
        app.login("digid", FATIMA).await;
        assert!(app.count("auditregel").await > 0);
        assert!(app.count("verwerking").await > 0);
        use sea_orm::ConnectionTrait;
        for sql in [
            "UPDATE auditregel SET uitkomst = 'toegestaan'",
            "DELETE FROM auditregel",
            "UPDATE verwerking SET naam = 'x'",
            "DELETE FROM verwerking",
        ] {
            assert!(app.db.execute_unprepared(sql).await.is_err(), "{sql} must be refused");
        }
        assert!(app.count("auditregel").await > 0);
    }
}
