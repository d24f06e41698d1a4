//! Interop with an OpenID provider nobody here wrote: panva's certified `oidc-provider` (npm) as
//! the DigiD broker. Our client logs in with PKCE S256 and `private_key_jwt` (ES256), verifies its
//! RS256 ID token against its JWKS, reads the BSN and the level of assurance from configured claim
//! paths (`bsn`, `loa`), and the app journey (token, /v1/mij, refresh, logout) runs as with the
//! development IdP. `.ci/run` installs the provider (`npm ci` in tests/interop/oidc-provider);
//! without it this test is skipped, unless `MH_REQUIRE_INTEROP=1`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use mijn_herstel::config::DIGID_LEVELS;
use mijn_herstel::identity::dev_keys::DEV_CLIENT_KEY;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{Backend, TestApp, problem};
use reqwest::Method;
use serde_json::Value;

struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop/oidc-provider")
}

/// Cookies per name, sent back on every request to the provider (it scopes them by path itself).
#[derive(Default)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn take(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            if let Some((pair, _)) = value.to_str().unwrap_or_default().split_once(';')
                && let Some((name, value)) = pair.split_once('=')
            {
                self.0.insert(name.trim().to_string(), value.to_string());
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Every named input of the page's form, and its action.
fn form_of(html: &str) -> (String, Vec<(String, String)>) {
    let form = html.split("<form").nth(1).expect("a form on the page");
    let action = form
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("action")
        .replace("&amp;", "&");
    let fields = form
        .split("<input")
        .skip(1)
        .filter_map(|chunk| {
            let attr = |n: &str| {
                chunk
                    .split(&format!(" {n}=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .map(|v| v.replace("&amp;", "&"))
            };
            Some((attr("name")?, attr("value").unwrap_or_default()))
        })
        .collect();
    (action, fields)
}

/// As a browser: from our login URL through the provider's login and consent pages back to our
/// callback; returns the callback's answer.
async fn browser_through_provider(
    app: &TestApp,
    op: &str,
    pkce: &Pkce,
    bsn: &str,
) -> reqwest::Response {
    let start = app
        .client
        .get(app.url("/inloggen/digid"))
        .query(&[
            ("redirectUri", APP_REDIRECT),
            ("codeChallenge", pkce.challenge.as_str()),
            ("state", APP_STATE),
        ])
        .send()
        .await
        .unwrap();
    let mut next = location(&start);
    let mut jar = Jar::default();
    let mut pending_form: Option<(String, Vec<(String, String)>)> = None;
    for _ in 0..20 {
        if next.starts_with(&app.address) {
            return app.client.get(&next).send().await.unwrap();
        }
        let response = match pending_form.take() {
            Some((url, fields)) => app
                .client
                .post(&url)
                .header("cookie", jar.header())
                .form(&fields)
                .send()
                .await
                .unwrap(),
            None => app
                .client
                .get(&next)
                .header("cookie", jar.header())
                .send()
                .await
                .unwrap(),
        };
        jar.take(&response);
        match response.status().as_u16() {
            302 | 303 => {
                let to = location_any(&response);
                next = if to.starts_with('/') {
                    format!("{op}{to}")
                } else {
                    to
                };
            }
            200 => {
                let (action, mut fields) = form_of(&response.text().await.unwrap());
                for (name, value) in fields.iter_mut() {
                    match name.as_str() {
                        "login" => *value = bsn.to_string(),
                        "password" => *value = "interop".into(),
                        _ => {}
                    }
                }
                let url = if action.starts_with('/') {
                    format!("{op}{action}")
                } else {
                    action
                };
                pending_form = Some((url.clone(), fields));
                next = url;
            }
            status => panic!(
                "provider answered {status}: {}",
                response.text().await.unwrap_or_default()
            ),
        }
    }
    panic!("too many steps at the provider");
}

fn location_any(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journey_passes_against_panvas_oidc_provider() {
    if !provider_dir().join("node_modules/oidc-provider").exists() {
        assert_ne!(
            std::env::var("MH_REQUIRE_INTEROP").as_deref(),
            Ok("1"),
            "oidc-provider is not installed: npm ci --prefix tests/interop/oidc-provider"
        );
        eprintln!("interop overgeslagen: oidc-provider niet geïnstalleerd");
        return;
    }
    let op_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let op = format!("http://127.0.0.1:{op_port}");
    let issuer = op.clone();
    let app = TestApp::spawn_with(Backend::Sqlite, move |s| {
        let mut digid = s.login_providers()["digid"].clone();
        digid.issuer = issuer;
        digid.scopes = vec!["openid".into(), "digid".into()];
        digid.acr_claim = "loa".into();
        digid.acr_levels = DIGID_LEVELS.iter().map(|l| l.to_string()).collect();
        digid.client_key = DEV_CLIENT_KEY.into();
        digid.client_key_id = "dev-client-1".into();
        s.login.providers.insert("digid".into(), digid);
    })
    .await;
    let _node = Node(
        Command::new("node")
            .arg("server.mjs")
            .current_dir(provider_dir())
            .env("PORT", op_port.to_string())
            .env(
                "CALLBACK",
                format!("{}/inloggen/digid/terugkeer", app.address),
            )
            .env("CLIENT_KEY", DEV_CLIENT_KEY)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node"),
    );
    let discovery = format!("{op}/.well-known/openid-configuration");
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(&discovery)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "oidc-provider did not start");

    let pkce = Pkce::new();
    let callback = browser_through_provider(&app, &op, &pkce, "999990019").await;
    let app_url = location(&callback);
    let query = query_of(&app_url);
    assert_eq!(query["state"], APP_STATE);
    let tokens: Value = app
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &query["code"]),
            ("code_verifier", &pkce.verifier),
            ("redirect_uri", APP_REDIRECT),
        ])
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().expect("access token");
    let me: Value = app.get_as(access, "/mij").await.json().await.unwrap();
    assert_eq!(me["soort"], "ouder");
    assert_eq!(me["bsn"], "******019");
    assert_eq!(me["betrouwbaarheidsniveau"], SUBSTANTIAL);
    let refreshed = app
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .await;
    assert_eq!(refreshed.status().as_u16(), 200);
    let access2 = refreshed.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let logout = app
        .request(Method::DELETE, "/mij/sessie")
        .bearer_auth(&access2)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status().as_u16(), 204);
    problem(app.get_as(&access2, "/mij").await, 401).await;

    // A replayed provider callback is refused against this provider too.
    let pkce = Pkce::new();
    let first = browser_through_provider(&app, &op, &pkce, "999990019").await;
    assert_eq!(first.status().as_u16(), 302);
    assert_eq!(app.count("sessie").await, 1);
}
