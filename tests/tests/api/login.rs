//! Login through the development IdP over real HTTP redirects, our tokens, and the attack list
//! of issue [B]: every refusal answers problem+json, writes an audit entry and creates no session.

use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{Backend, TestApp, db_test, problem};
use reqwest::Method;
use serde_json::Value;

async fn audit_refusals(app: &TestApp) -> i64 {
    app.count("auditregel WHERE uitkomst IN ('geweigerd', 'mislukt')")
        .await
}

db_test! {
    async fn a_parent_logs_in_refreshes_and_logs_out(backend) {
        let app = TestApp::spawn(backend).await;
        let tokens = app.login("digid", FATIMA).await;
        assert_eq!(tokens["token_type"], "Bearer");
        assert_eq!(tokens["expires_in"], 900);
        let access = tokens["access_token"].as_str().unwrap();

        let me = app.get_as(access, "/mij").await;
        assert_eq!(me.status().as_u16(), 200);
        let me: Value = me.json().await.unwrap();
        assert_eq!(me["soort"], "ouder");
        assert_eq!(me["rollen"], serde_json::json!(["ouder"]));
        assert_eq!(me["naam"], "Fatima El Amrani");
        assert_eq!(me["bsn"], "******653");
        assert_eq!(me["betrouwbaarheidsniveau"], SUBSTANTIAL);
        // Our `sub` is the internal id, never the BSN.
        assert!(!access.contains("999993653"));

        let refreshed = app
            .token_request(&[("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())])
            .await;
        assert_eq!(refreshed.status().as_u16(), 200);
        let refreshed: Value = refreshed.json().await.unwrap();
        assert_ne!(refreshed["refresh_token"], tokens["refresh_token"]);
        let access2 = refreshed["access_token"].as_str().unwrap();
        assert_eq!(app.get_as(access2, "/mij").await.status().as_u16(), 200);

        let logout = app.request(Method::DELETE, "/mij/sessie").bearer_auth(access2).send().await.unwrap();
        assert_eq!(logout.status().as_u16(), 204);
        // Both access tokens of the session stop at once, and so does the refresh token.
        for token in [access, access2] {
            let after = app.get_as(token, "/mij").await;
            assert!(after.headers().get("www-authenticate").is_some());
            problem(after, 401).await;
        }
        let again = app
            .token_request(&[("grant_type", "refresh_token"), ("refresh_token", refreshed["refresh_token"].as_str().unwrap())])
            .await;
        let body = problem(again, 400).await;
        assert_eq!(body["error"], "invalid_grant");

        // The trail: a new login shows the earlier events, newest first, paginated.
        let tokens = app.login("digid", FATIMA).await;
        let log = app.get_as(tokens["access_token"].as_str().unwrap(), "/mij/logboek?pageSize=50").await;
        assert_eq!(log.status().as_u16(), 200);
        assert!(log.headers().get("link").is_some());
        let log: Value = log.json().await.unwrap();
        let actions: Vec<&str> = log["resultaten"].as_array().unwrap().iter().map(|r| r["actie"].as_str().unwrap()).collect();
        for action in ["inloggen", "token-uitgifte", "token-vernieuwen", "profiel-inzien", "uitloggen"] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
        assert!(log["resultaten"].as_array().unwrap().iter().all(|r| r["door"] == "uzelf"));
        // Processing records name a pseudonym, never the person id or the BSN.
        assert!(app.count("verwerking").await > 0);
        assert_eq!(app.count("verwerking WHERE betrokkene_id LIKE '%999993653%'").await, 0);
    }
}

db_test! {
    async fn lawyers_and_staff_log_in_at_their_own_providers(backend) {
        let app = TestApp::spawn(backend).await;
        let lawyer = app.login("advocaat", LOTTE).await;
        let me: Value = app.get_as(lawyer["access_token"].as_str().unwrap(), "/mij").await.json().await.unwrap();
        assert_eq!(me["soort"], "advocaat");
        assert_eq!(me["rollen"], serde_json::json!(["advocaat"]));
        assert!(me["registratienummer"].is_string());
        assert!(me.get("bsn").is_none());

        let staff = app.login("medewerker", ANOUK).await;
        let me: Value = app.get_as(staff["access_token"].as_str().unwrap(), "/mij").await.json().await.unwrap();
        assert_eq!(me["soort"], "medewerker");
        assert_eq!(me["rollen"], serde_json::json!(["behandelaar"]));
        assert!(me.get("bsn").is_none());

        // Logging in again finds the same person.
        let again = app.login("advocaat", LOTTE).await;
        let me2: Value = app.get_as(again["access_token"].as_str().unwrap(), "/mij").await.json().await.unwrap();
        assert_eq!(app.count("persoon").await, 2);
        assert_eq!(me2["id"], app.get_as(lawyer["access_token"].as_str().unwrap(), "/mij").await.json::<Value>().await.unwrap()["id"]);
    }
}

db_test! {
    async fn a_reused_refresh_token_revokes_the_whole_family(backend) {
        let app = TestApp::spawn(backend).await;
        let first = app.login("digid", JEROEN).await;
        let old = first["refresh_token"].as_str().unwrap();
        let second: Value = app.token_request(&[("grant_type", "refresh_token"), ("refresh_token", old)]).await.json().await.unwrap();
        let before = audit_refusals(&app).await;
        // The old one again: theft or replay. Refused, and the family is revoked.
        let reuse = app.token_request(&[("grant_type", "refresh_token"), ("refresh_token", old)]).await;
        assert_eq!(problem(reuse, 400).await["error"], "invalid_grant");
        assert_eq!(audit_refusals(&app).await, before + 1);
        let newest = app
            .token_request(&[("grant_type", "refresh_token"), ("refresh_token", second["refresh_token"].as_str().unwrap())])
            .await;
        problem(newest, 400).await;
        problem(app.get_as(second["access_token"].as_str().unwrap(), "/mij").await, 401).await;
        assert_eq!(app.count("sessie WHERE ingetrokken_op IS NULL").await, 0);
    }
}

db_test! {
    async fn state_must_be_present_known_unused_and_from_the_same_provider(backend) {
        let app = TestApp::spawn(backend).await;
        // Missing.
        problem(app.get("/inloggen/digid/terugkeer?code=abc").await, 400).await;
        // Unknown.
        let unknown = app.get("/inloggen/digid/terugkeer?code=abc&state=bedacht-door-een-aanvaller").await;
        assert_eq!(problem(unknown, 401).await["code"], "inloggen-mislukt");

        // Reused: replay the provider's callback after a successful login.
        let pkce = Pkce::new();
        let start = app.client.get(app.url("/inloggen/digid")).query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", pkce.challenge.as_str())]).send().await.unwrap();
        let page = app.client.get(location(&start)).send().await.unwrap().text().await.unwrap();
        let (action, mut fields) = parse_form(&page);
        fields.push(("persona".into(), FATIMA.into()));
        fields.push(("acr".into(), SUBSTANTIAL.into()));
        let submitted = app.client.post(format!("{}{action}", app.origin())).form(&fields).send().await.unwrap();
        let callback = location(&submitted);
        // Mix-up: the state presented at another provider's callback is refused.
        let other = callback.replace("/inloggen/digid/", "/inloggen/advocaat/");
        problem(app.client.get(&other).send().await.unwrap(), 401).await;
        assert_eq!(app.count("persoon").await, 0);
        // The right callback works once; replaying it is refused.
        assert_eq!(app.client.get(&callback).send().await.unwrap().status().as_u16(), 302);
        problem(app.client.get(&callback).send().await.unwrap(), 401).await;
        assert_eq!(app.count("eenmalige_code").await, 1);
        assert_eq!(app.count("sessie").await, 0);
        assert_eq!(audit_refusals(&app).await, 4);
    }
}

db_test! {
    async fn untrustworthy_id_tokens_are_refused_and_create_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        for simulatie in ["ongeldige-handtekening", "andere-uitgever", "ander-publiek", "verlopen", "alg-none", "andere-nonce", "ongeldig-bsn"] {
            let before = audit_refusals(&app).await;
            let response = app.browser_login("digid", &Pkce::new(), Choice::simulate(FATIMA, simulatie)).await;
            let body = problem(response, 401).await;
            assert_eq!(body["code"], "inloggen-mislukt", "{simulatie}");
            assert_eq!(audit_refusals(&app).await, before + 1, "{simulatie}");
        }
        // Too low a level of assurance.
        let low = app
            .browser_login("digid", &Pkce::new(), Choice { persona: FATIMA, acr: "http://eidas.europa.eu/LoA/low", simulatie: "normaal" })
            .await;
        assert_eq!(problem(low, 403).await["code"], "betrouwbaarheidsniveau-te-laag");
        assert_eq!(app.count("persoon").await, 0);
        assert_eq!(app.count("sessie").await, 0);
        assert_eq!(app.count("eenmalige_code").await, 0);
    }
}

db_test! {
    async fn a_provider_outage_is_a_clear_502_and_nothing_is_half_created(backend) {
        let app = TestApp::spawn(backend).await;
        // The provider's token endpoint fails after the person logged in.
        let response = app.browser_login("digid", &Pkce::new(), Choice::simulate(FATIMA, "storing")).await;
        let body = problem(response, 502).await;
        assert_eq!(body["code"], "inlogdienst-onbereikbaar");
        assert_eq!(app.count("persoon").await, 0);
        assert_eq!(app.count("sessie").await, 0);
        assert_eq!(app.count("eenmalige_code").await, 0);

        // A provider that cannot be reached at all.
        let down = TestApp::spawn_with(Backend::Sqlite, |s| {
            let mut digid = s.login_providers()["digid"].clone();
            digid.issuer = "http://127.0.0.1:9/niet-bereikbaar".into();
            s.login.providers.insert("digid".into(), digid);
        })
        .await;
        let start = down.client.get(down.url("/inloggen/digid")).query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", Pkce::new().challenge.as_str())]).send().await.unwrap();
        let body = problem(start, 502).await;
        assert_eq!(body["code"], "inlogdienst-onbereikbaar");
        assert_eq!(down.count("inlogpoging").await, 0);
        assert_eq!(audit_refusals(&down).await, 1);
    }
}

db_test! {
    async fn a_cancelled_login_returns_to_the_app_with_an_error(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.browser_login("digid", &Pkce::new(), Choice::simulate(FATIMA, "weigeren")).await;
        let query = query_of(&location(&response));
        assert_eq!(query["error"], "access_denied");
        assert_eq!(query["state"], APP_STATE);
        assert!(!query.contains_key("code"));
        assert_eq!(app.count("sessie").await, 0);
    }
}

db_test! {
    async fn the_one_time_code_is_single_use_short_lived_and_bound_to_the_app(backend) {
        let app = TestApp::spawn_with(backend, |s| s.tokens.code_ttl_secs = 2).await;
        let exchange = |code: String, verifier: String, redirect: &'static str| {
            let app = &app;
            async move {
                app.token_request(&[("grant_type", "authorization_code"), ("code", &code), ("code_verifier", &verifier), ("redirect_uri", redirect)]).await
            }
        };
        // Wrong PKCE verifier: refused, and the code is spent.
        let pkce = Pkce::new();
        let code = app.login_code("digid", &pkce, FATIMA).await;
        let wrong = exchange(code.clone(), Pkce::new().verifier, APP_REDIRECT).await;
        assert_eq!(problem(wrong, 400).await["error"], "invalid_grant");
        problem(exchange(code, pkce.verifier.clone(), APP_REDIRECT).await, 400).await;

        // Another redirect URI than the login started with.
        let pkce = Pkce::new();
        let code = app.login_code("digid", &pkce, FATIMA).await;
        problem(exchange(code, pkce.verifier.clone(), "http://localhost:3000/inloggen/klaar").await, 400).await;

        // Replayed.
        let pkce = Pkce::new();
        let code = app.login_code("digid", &pkce, FATIMA).await;
        assert_eq!(exchange(code.clone(), pkce.verifier.clone(), APP_REDIRECT).await.status().as_u16(), 200);
        let replay = exchange(code, pkce.verifier.clone(), APP_REDIRECT).await;
        assert_eq!(problem(replay, 400).await["code"], "ongeldige-toekenning");

        // Expired.
        let pkce = Pkce::new();
        let code = app.login_code("digid", &pkce, FATIMA).await;
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        problem(exchange(code, pkce.verifier.clone(), APP_REDIRECT).await, 400).await;

        assert_eq!(app.count("sessie").await, 1, "only the one good exchange made a session");
        assert!(app.count("auditregel WHERE actie = 'token-uitgifte' AND uitkomst = 'geweigerd'").await >= 5);
    }
}

db_test! {
    async fn login_start_checks_the_apps_redirect_and_challenge(backend) {
        let app = TestApp::spawn(backend).await;
        let challenge = Pkce::new().challenge;
        let evil = app.client.get(app.url("/inloggen/digid")).query(&[("redirectUri", "https://aanvaller.example/vang"), ("codeChallenge", challenge.as_str())]).send().await.unwrap();
        assert!(evil.headers().get("location").is_none());
        let body = problem(evil, 400).await;
        assert_eq!(body["errors"][0]["parameter"], "redirectUri");
        let plain = app.client.get(app.url("/inloggen/digid")).query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", challenge.as_str()), ("codeChallengeMethod", "plain")]).send().await.unwrap();
        assert_eq!(problem(plain, 400).await["errors"][0]["parameter"], "codeChallengeMethod");
        let short = app.client.get(app.url("/inloggen/digid")).query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", "te-kort")]).send().await.unwrap();
        problem(short, 400).await;
        let unknown = app.client.get(app.url("/inloggen/onbekend")).query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", challenge.as_str())]).send().await.unwrap();
        problem(unknown, 404).await;
        assert_eq!(app.count("inlogpoging").await, 0);
    }
}

db_test! {
    async fn the_token_endpoint_speaks_oauth_errors(backend) {
        let app = TestApp::spawn(backend).await;
        let json = app.post_json("/token", &serde_json::json!({"grant_type": "refresh_token"})).await;
        assert_eq!(problem(json, 415).await["error"], "invalid_request");
        let unknown = app.token_request(&[("grant_type", "password")]).await;
        assert_eq!(problem(unknown, 400).await["error"], "unsupported_grant_type");
        let missing = app.token_request(&[("grant_type", "authorization_code")]).await;
        let body = problem(missing, 400).await;
        assert_eq!(body["error"], "invalid_request");
        assert_eq!(body["errors"].as_array().unwrap().len(), 3);
        let forged = app.token_request(&[("grant_type", "refresh_token"), ("refresh_token", "bedacht")]).await;
        assert_eq!(problem(forged, 400).await["error"], "invalid_grant");
    }
}

db_test! {
    async fn login_and_token_endpoints_are_rate_limited(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.limits.login_per_minute = 2;
            s.limits.token_per_minute = 2;
        })
        .await;
        let challenge = Pkce::new().challenge;
        let start = || app.client.get(app.url("/inloggen/digid")).query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", challenge.as_str())]).send();
        assert_eq!(start().await.unwrap().status().as_u16(), 302);
        assert_eq!(start().await.unwrap().status().as_u16(), 302);
        let limited = start().await.unwrap();
        assert!(limited.headers().get("retry-after").is_some());
        assert_eq!(problem(limited, 429).await["code"], "te-veel-verzoeken");

        for _ in 0..2 {
            problem(app.token_request(&[("grant_type", "refresh_token"), ("refresh_token", "x")]).await, 400).await;
        }
        let limited = app.token_request(&[("grant_type", "refresh_token"), ("refresh_token", "x")]).await;
        assert_eq!(problem(limited, 429).await["error"], "slow_down");
    }
}

db_test! {
    // Issue [K]: a browser-like client that sends only `Accept: text/html` on every navigation
    // still logs in: the redirect-only operations do not answer 406. JSON operations still do.
    async fn a_browser_accepting_only_html_gets_the_login_redirects(backend) {
        let app = TestApp::spawn(backend).await;
        let pkce = Pkce::new();
        let html = |url: String| app.client.get(url).header("accept", "text/html");
        let start = html(app.url("/inloggen/digid"))
            .query(&[("redirectUri", APP_REDIRECT), ("codeChallenge", pkce.challenge.as_str()), ("codeChallengeMethod", "S256"), ("state", APP_STATE)])
            .send()
            .await
            .unwrap();
        let authorize = location(&start);
        let page = html(authorize).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200, "dev IdP page");
        let (action, mut fields) = parse_form(&page.text().await.unwrap());
        fields.push(("persona".into(), FATIMA.into()));
        fields.push(("acr".into(), SUBSTANTIAL.into()));
        fields.push(("simulatie".into(), "normaal".into()));
        let submitted = app.client.post(format!("{}{action}", app.origin())).header("accept", "text/html").form(&fields).send().await.unwrap();
        let callback = html(location(&submitted)).send().await.unwrap();
        let back = location(&callback);
        assert!(back.starts_with(APP_REDIRECT), "{back}");
        assert_eq!(query_of(&back)["state"], APP_STATE);

        // A refusal on the same operation is still readable problem+json, not a 406.
        let refused = html(app.url("/inloggen/digid")).query(&[("redirectUri", "https://evil.example/"), ("codeChallenge", pkce.challenge.as_str())]).send().await.unwrap();
        problem(refused, 400).await;
        // Operations that answer JSON keep refusing an Accept that rules JSON out.
        problem(html(app.url("/mij")).send().await.unwrap(), 406).await;
    }
}
