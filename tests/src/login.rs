//! Logging in as a browser and an app would: follow the redirects by hand, submit the
//! development IdP's form, exchange the one-time code at the token endpoint.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use reqwest::{Method, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::TestApp;

/// On the default allowlist.
pub const APP_REDIRECT: &str = "https://app.mijn-herstel.example/inloggen/klaar";
pub const APP_STATE: &str = "app-state-42";
pub const SUBSTANTIAL: &str = "http://eidas.europa.eu/LoA/substantial";

/// Test persons (see `identity::persona`).
pub const FATIMA: &str = "0193a6c2-0000-7000-8000-000000000001";
pub const JEROEN: &str = "0193a6c2-0000-7000-8000-000000000002";
pub const LOTTE: &str = "0193a6c2-0000-7000-8000-000000000011";
pub const ANOUK: &str = "0193a6c2-0000-7000-8000-000000000021";
pub const BRAM: &str = "0193a6c2-0000-7000-8000-000000000024";

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Pkce {
        let verifier = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        let challenge = B64URL.encode(Sha256::digest(verifier.as_bytes()));
        Pkce {
            verifier,
            challenge,
        }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

/// What the person does on the development IdP's page.
pub struct Choice<'a> {
    pub persona: &'a str,
    pub acr: &'a str,
    pub simulatie: &'a str,
}

impl<'a> Choice<'a> {
    pub fn normal(persona: &'a str) -> Choice<'a> {
        Choice {
            persona,
            acr: SUBSTANTIAL,
            simulatie: "normaal",
        }
    }

    pub fn simulate(persona: &'a str, simulatie: &'a str) -> Choice<'a> {
        Choice {
            simulatie,
            ..Choice::normal(persona)
        }
    }
}

pub fn location(response: &Response) -> String {
    assert_eq!(response.status().as_u16(), 302, "redirect expected");
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_string()
}

/// The query parameters of a URL.
pub fn query_of(url: &str) -> HashMap<String, String> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    serde_urlencoded::from_str(query).expect("query")
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden inputs and the action of the page's form.
pub fn parse_form(html: &str) -> (String, Vec<(String, String)>) {
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("form action")
        .to_string();
    let fields = html
        .split("<input type=\"hidden\" ")
        .skip(1)
        .map(|chunk| {
            let attr = |name: &str| {
                chunk
                    .split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .map(unescape)
                    .expect("attribute")
            };
            (attr("name"), attr("value"))
        })
        .collect();
    (action, fields)
}

impl TestApp {
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The browser's part, from the app opening the login URL to the callback's answer: a 302
    /// to the app, or an error.
    pub async fn browser_login(&self, provider: &str, pkce: &Pkce, choice: Choice<'_>) -> Response {
        let start = self
            .client
            .get(self.url(&format!("/inloggen/{provider}")))
            .query(&[
                ("redirectUri", APP_REDIRECT),
                ("codeChallenge", pkce.challenge.as_str()),
                ("codeChallengeMethod", "S256"),
                ("state", APP_STATE),
            ])
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .expect("start");
        let authorize = location(&start);
        let page = self.client.get(&authorize).send().await.expect("page");
        assert_eq!(page.status().as_u16(), 200, "dev IdP page");
        let (action, mut fields) = parse_form(&page.text().await.expect("html"));
        fields.push(("persona".into(), choice.persona.into()));
        fields.push(("acr".into(), choice.acr.into()));
        fields.push(("simulatie".into(), choice.simulatie.into()));
        let submitted = self
            .client
            .post(format!("{}{action}", self.origin()))
            .form(&fields)
            .send()
            .await
            .expect("submit");
        let callback = location(&submitted);
        assert!(callback.starts_with(&self.address), "{callback}");
        self.client.get(&callback).send().await.expect("callback")
    }

    /// The one-time code from a successful browser login.
    pub async fn login_code(&self, provider: &str, pkce: &Pkce, persona: &str) -> String {
        let response = self
            .browser_login(provider, pkce, Choice::normal(persona))
            .await;
        let app = location(&response);
        assert!(app.starts_with(APP_REDIRECT), "{app}");
        let query = query_of(&app);
        assert_eq!(query["state"], APP_STATE);
        query["code"].clone()
    }

    pub async fn token_request(&self, form: &[(&str, &str)]) -> Response {
        self.request(Method::POST, "/token")
            .form(form)
            .send()
            .await
            .expect("token")
    }

    /// Logs in and returns the token response.
    pub async fn login(&self, provider: &str, persona: &str) -> Value {
        let pkce = Pkce::new();
        let code = self.login_code(provider, &pkce, persona).await;
        let response = self
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("code_verifier", &pkce.verifier),
                ("redirect_uri", APP_REDIRECT),
            ])
            .await;
        assert_eq!(response.status().as_u16(), 200);
        response.json().await.expect("tokens")
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.request(Method::GET, path)
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }
}
