//! The development identity provider: a real OpenID provider inside the server, one realm per
//! kind of person (`digid`, `advocaat`, `medewerker`), under `/dev-idp/{realm}` — outside `/v1`
//! and outside the OpenAPI document. Only mounted in development mode (production refuses to start
//! with `login.dev_idp = true`). Our client reaches it over HTTP like any broker and verifies its
//! tokens with the same code; it in turn verifies our `private_key_jwt` like a real broker.
//!
//! Its page lets you pick a test person, a level of assurance, and a simulation: a refusal, an
//! outage, or one of the broken answers a hostile or buggy provider could give (bad signature,
//! wrong issuer or audience, expired, `alg: none`, another nonce, an invalid BSN). App developers
//! can see how the app behaves; the black-box tests drive the attack list through it.
//!
//! Grants live in memory: a development provider on one instance needs no more.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};

use super::dev_keys::{DEV_CLIENT_KEY, DEV_IDP_KEY, DEV_TOKEN_KEY};
use super::persona::{PERSONAS, Persona, Soort};
use super::tokens::{pkce_challenge, random_token};
use crate::config::{DIGID_LEVELS, Settings};
use crate::http::{ApiError, FieldError, ProblemType};

pub const CLIENT_ID: &str = "mijn-herstel";
const KID: &str = "dev-idp-1";
const REALMS: [&str; 3] = ["digid", "advocaat", "medewerker"];
const CODE_TTL: Duration = Duration::from_secs(120);

/// What the page can make the provider do.
pub const SIMULATIES: [(&str, &str); 12] = [
    ("normaal", "Normaal inloggen"),
    ("weigeren", "Inloggen afbreken (error=access_denied)"),
    ("storing", "Storing: het token-endpoint antwoordt 503"),
    (
        "ongeldige-handtekening",
        "ID-token met ongeldige handtekening",
    ),
    ("andere-uitgever", "ID-token van een andere uitgever (iss)"),
    ("ander-publiek", "ID-token voor een andere client (aud)"),
    ("verlopen", "Verlopen ID-token"),
    ("alg-none", "Ongetekend ID-token (alg: none)"),
    ("andere-nonce", "ID-token met een andere nonce"),
    ("ongeldig-bsn", "BSN dat de 11-proef niet haalt"),
    (
        "machtigen",
        "DigiD Machtigen: inloggen namens Fatima (of Jeroen, als u Fatima kiest)",
    ),
    (
        "machtigen-andere-dienst",
        "DigiD Machtigen voor een andere dienst",
    ),
];

struct Grant {
    realm: String,
    persona: &'static Persona,
    acr: Option<String>,
    nonce: String,
    code_challenge: String,
    redirect_uri: String,
    simulatie: String,
    issued: Instant,
}

pub struct DevIdp {
    origin: String,
    public_url: String,
    key: EncodingKey,
    jwks: JwkSet,
    client_key: DecodingKey,
    grants: Mutex<HashMap<String, Grant>>,
    used_assertions: Mutex<HashSet<String>>,
}

impl DevIdp {
    pub fn new(settings: &Settings) -> DevIdp {
        let key = EncodingKey::from_ec_pem(DEV_IDP_KEY.as_bytes()).expect("ontwikkelsleutel");
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256).expect("ontwikkelsleutel");
        jwk.common.key_id = Some(KID.into());
        let client = EncodingKey::from_ec_pem(DEV_CLIENT_KEY.as_bytes()).expect("ontwikkelsleutel");
        let client_jwk =
            Jwk::from_encoding_key(&client, Algorithm::ES256).expect("ontwikkelsleutel");
        DevIdp {
            origin: settings.origin().to_string(),
            public_url: settings.http.public_url.clone(),
            key,
            jwks: JwkSet { keys: vec![jwk] },
            client_key: DecodingKey::from_jwk(&client_jwk).expect("ontwikkelsleutel"),
            grants: Mutex::new(HashMap::new()),
            used_assertions: Mutex::new(HashSet::new()),
        }
    }

    fn issuer(&self, realm: &str) -> String {
        format!("{}/dev-idp/{realm}", self.origin)
    }

    fn callback(&self, realm: &str) -> String {
        format!("{}/inloggen/{realm}/terugkeer", self.public_url)
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/dev-idp/{realm}")
            .route(
                "/.well-known/openid-configuration",
                web::get().to(discovery),
            )
            .route("/jwks", web::get().to(jwks))
            .route("/authorize", web::get().to(authorize_page))
            .route("/authorize", web::post().to(authorize_submit))
            .route("/token", web::post().to(token)),
    );
}

fn realm(path: &str) -> Result<&'static str, ApiError> {
    REALMS
        .into_iter()
        .find(|r| *r == path)
        .ok_or_else(ApiError::not_found)
}

fn soort_of(realm: &str) -> Soort {
    match realm {
        "digid" => Soort::Ouder,
        "advocaat" => Soort::Advocaat,
        _ => Soort::Medewerker,
    }
}

fn bad(detail: &str) -> ApiError {
    ApiError::invalid(vec![FieldError::parameter("verzoek", "ongeldig", detail)])
}

async fn discovery(
    idp: web::Data<DevIdp>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let realm = realm(&path)?;
    let issuer = idp.issuer(realm);
    Ok(HttpResponse::Ok().json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid"],
        "acr_values_supported": DIGID_LEVELS,
        "claims_supported": ["sub", "acr", "name", "bsn", "roles", "registratienummer"],
    })))
}

async fn jwks(idp: web::Data<DevIdp>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    realm(&path)?;
    Ok(HttpResponse::Ok().json(&idp.jwks))
}

/// Checks an authorization request as a strict broker would.
fn check_request(idp: &DevIdp, realm: &str, q: &HashMap<String, String>) -> Result<(), ApiError> {
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    if get("response_type") != "code" {
        return Err(bad("response_type moet code zijn"));
    }
    if get("client_id") != CLIENT_ID {
        return Err(bad("onbekende client_id"));
    }
    if get("redirect_uri") != idp.callback(realm) {
        return Err(bad("redirect_uri is niet geregistreerd voor deze client"));
    }
    if get("code_challenge_method") != "S256" || get("code_challenge").len() < 43 {
        return Err(bad("PKCE met S256 is verplicht"));
    }
    if get("state").len() < 22 || get("nonce").len() < 22 {
        return Err(bad("state en nonce van minstens 128 bits zijn verplicht"));
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn authorize_page(
    idp: web::Data<DevIdp>,
    path: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let realm = realm(&path)?;
    check_request(&idp, realm, &query)?;
    let hidden: String = [
        "client_id",
        "redirect_uri",
        "state",
        "nonce",
        "code_challenge",
    ]
    .iter()
    .map(|k| {
        format!(
            "<input type=\"hidden\" name=\"{k}\" value=\"{}\">\n",
            escape(query.get(*k).map(String::as_str).unwrap_or_default())
        )
    })
    .collect();
    let soort = soort_of(realm);
    let personas: String = PERSONAS
        .iter()
        .filter(|p| p.soort == soort)
        .enumerate()
        .map(|(i, p)| {
            format!(
                "<label><input type=\"radio\" name=\"persona\" value=\"{}\"{}> {} — {}</label><br>\n",
                p.id,
                if i == 0 { " checked" } else { "" },
                escape(p.naam),
                escape(p.toelichting)
            )
        })
        .collect();
    let requested = query.get("acr_values").cloned().unwrap_or_default();
    let levels: String = if soort == Soort::Ouder {
        let options: String = DIGID_LEVELS
            .iter()
            .map(|l| {
                format!(
                    "<option value=\"{l}\"{}>{l}</option>",
                    if *l == requested { " selected" } else { "" }
                )
            })
            .collect();
        format!(
            "<p><label>Betrouwbaarheidsniveau <select name=\"acr\">{options}</select></label></p>\n"
        )
    } else {
        String::new()
    };
    let simulaties: String = SIMULATIES
        .iter()
        .map(|(v, t)| format!("<option value=\"{v}\">{}</option>", escape(t)))
        .collect();
    let body = format!(
        "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Ontwikkel-inlogdienst: {realm}</title></head>\n<body>\n\
         <h1>Ontwikkel-inlogdienst ({realm})</h1>\n\
         <p>Alleen voor ontwikkeling en tests. Kies een testpersoon.</p>\n\
         <form method=\"post\" action=\"/dev-idp/{realm}/authorize\">\n{hidden}{personas}{levels}\
         <p><label>Simulatie <select name=\"simulatie\">{simulaties}</select></label></p>\n\
         <button type=\"submit\">Inloggen</button>\n</form>\n</body></html>\n"
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn authorize_submit(
    idp: web::Data<DevIdp>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let realm = realm(&path)?;
    let mut q = form.into_inner();
    q.insert("response_type".into(), "code".into());
    q.insert("code_challenge_method".into(), "S256".into());
    check_request(&idp, realm, &q)?;
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let redirect_uri = get("redirect_uri");
    let simulatie = q
        .get("simulatie")
        .cloned()
        .unwrap_or_else(|| "normaal".into());
    if !SIMULATIES.iter().any(|(v, _)| *v == simulatie) {
        return Err(bad("onbekende simulatie"));
    }
    let persona = PERSONAS
        .iter()
        .find(|p| p.id == get("persona") && p.soort == soort_of(realm))
        .ok_or_else(|| bad("kies een testpersoon van deze inlogdienst"))?;
    let location = if simulatie == "weigeren" {
        reqwest::Url::parse_with_params(
            &redirect_uri,
            &[("error", "access_denied"), ("state", &get("state"))],
        )
    } else {
        let code = random_token(32);
        let mut grants = idp.grants.lock().expect("geen vergiftigd slot");
        grants.retain(|_, g| g.issued.elapsed() < CODE_TTL);
        grants.insert(
            code.clone(),
            Grant {
                realm: realm.to_string(),
                persona,
                acr: (realm == "digid")
                    .then(|| get("acr"))
                    .filter(|a| !a.is_empty()),
                nonce: get("nonce"),
                code_challenge: get("code_challenge"),
                redirect_uri: redirect_uri.clone(),
                simulatie,
                issued: Instant::now(),
            },
        );
        reqwest::Url::parse_with_params(
            &redirect_uri,
            &[("code", code.as_str()), ("state", &get("state"))],
        )
    }
    .map_err(ApiError::internal)?;
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, location.to_string()))
        .finish())
}

fn oauth(kind: ProblemType, error: &'static str, detail: &str) -> ApiError {
    ApiError::new(kind, detail).with_oauth(error)
}

/// Verifies our client assertion (RFC 7523) as a broker would: signature with the registered
/// key, issuer and subject = client id, audience = this token endpoint, not expired, single use.
fn verify_client(
    idp: &DevIdp,
    realm: &str,
    form: &HashMap<String, String>,
) -> Result<(), ApiError> {
    let invalid = || {
        oauth(
            ProblemType::InloggenMislukt,
            "invalid_client",
            "clientauthenticatie mislukt",
        )
    };
    if form.get("client_assertion_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return Err(invalid());
    }
    let assertion = form.get("client_assertion").ok_or_else(invalid)?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[CLIENT_ID]);
    validation.sub = Some(CLIENT_ID.into());
    validation.set_audience(&[format!("{}/token", idp.issuer(realm)), idp.issuer(realm)]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let claims = jsonwebtoken::decode::<Value>(assertion, &idp.client_key, &validation)
        .map_err(|_| invalid())?
        .claims;
    let jti = claims["jti"]
        .as_str()
        .filter(|j| j.len() >= 22)
        .ok_or_else(invalid)?;
    if !idp
        .used_assertions
        .lock()
        .expect("geen vergiftigd slot")
        .insert(jti.to_string())
    {
        return Err(invalid());
    }
    Ok(())
}

async fn token(
    idp: web::Data<DevIdp>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let realm = realm(&path)?;
    let form = form.into_inner();
    verify_client(&idp, realm, &form)?;
    let invalid_grant = || {
        oauth(
            ProblemType::OngeldigeToekenning,
            "invalid_grant",
            "code ongeldig",
        )
    };
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return Err(oauth(
            ProblemType::OngeldigeInvoer,
            "unsupported_grant_type",
            "alleen authorization_code",
        ));
    }
    let code = form.get("code").ok_or_else(invalid_grant)?;
    let grant = idp
        .grants
        .lock()
        .expect("geen vergiftigd slot")
        .remove(code)
        .filter(|g| g.issued.elapsed() < CODE_TTL && g.realm == realm)
        .ok_or_else(invalid_grant)?;
    let verifier = form
        .get("code_verifier")
        .map(String::as_str)
        .unwrap_or_default();
    if pkce_challenge(verifier) != grant.code_challenge
        || form.get("redirect_uri") != Some(&grant.redirect_uri)
    {
        return Err(invalid_grant());
    }
    if grant.simulatie == "storing" {
        return Err(ApiError::new(
            ProblemType::TijdelijkNietBeschikbaar,
            "gesimuleerde storing",
        ));
    }
    let id_token = id_token(&idp, realm, &grant);
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .json(json!({
            "access_token": random_token(32),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        })))
}

fn id_token(idp: &DevIdp, realm: &str, grant: &Grant) -> String {
    let now = chrono::Utc::now().timestamp();
    let p = grant.persona;
    let sim = grant.simulatie.as_str();
    let mut claims = json!({
        "iss": if sim == "andere-uitgever" { format!("{}-nep", idp.issuer(realm)) } else { idp.issuer(realm) },
        "aud": if sim == "ander-publiek" { "een-andere-client" } else { CLIENT_ID },
        "sub": p.subject.map(str::to_string).unwrap_or_else(|| format!("digid-{}", p.id)),
        "iat": if sim == "verlopen" { now - 3600 } else { now },
        "exp": if sim == "verlopen" { now - 600 } else { now + 300 },
        "auth_time": now,
        "nonce": if sim == "andere-nonce" { random_token(32) } else { grant.nonce.clone() },
        "name": p.naam,
    });
    if let Some(acr) = &grant.acr {
        claims["acr"] = json!(acr);
    }
    match p.soort {
        Soort::Ouder if sim.starts_with("machtigen") => {
            let namens = if p.bsn == Some("999993653") {
                "999990019"
            } else {
                "999993653"
            };
            claims["gemachtigde"] = json!({"bsn": p.bsn.unwrap_or_default()});
            claims["aanvrager"] = json!({"bsn": namens});
            claims["service_id"] = json!(if sim == "machtigen" {
                crate::config::DEV_MACHTIGEN_DIENST
            } else {
                "een-andere-dienst"
            });
        }
        Soort::Ouder => {
            claims["bsn"] = json!(if sim == "ongeldig-bsn" {
                "123456789"
            } else {
                p.bsn.unwrap_or_default()
            });
        }
        Soort::Advocaat => claims["registratienummer"] = json!(p.registratienummer),
        Soort::Medewerker => claims["roles"] = json!(p.rollen),
    }
    match sim {
        "alg-none" => {
            let header = B64URL.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let body = B64URL.encode(claims.to_string());
            format!("{header}.{body}.")
        }
        "ongeldige-handtekening" => {
            // Signed by a key that is not in this provider's JWKS, under this provider's kid.
            let wrong =
                EncodingKey::from_ec_pem(DEV_TOKEN_KEY.as_bytes()).expect("ontwikkelsleutel");
            let mut header = Header::new(Algorithm::ES256);
            header.kid = Some(KID.into());
            jsonwebtoken::encode(&header, &claims, &wrong).expect("ES256")
        }
        _ => {
            let mut header = Header::new(Algorithm::ES256);
            header.kid = Some(KID.into());
            jsonwebtoken::encode(&header, &claims, &idp.key).expect("ES256")
        }
    }
}
