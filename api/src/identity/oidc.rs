//! Our OpenID Connect client (relying party), per the NL GOV OIDC profile: discovery, the
//! authorization-code flow with PKCE S256, `private_key_jwt` client authentication signed ES256,
//! and ID-token verification against the provider's JWKS (cached; refetched once on an unknown
//! `kid`, so key rotation at the provider just works).
//!
//! Built on reqwest + jsonwebtoken rather than the `oauth2` crate: that crate knows neither
//! `private_key_jwt` nor ID tokens, so it would only have built a URL and posted a form for us.

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};
use tokio::sync::RwLock;

use super::tokens::random_token;
use crate::config::ProviderSettings;

/// How long discovery metadata and keys are trusted before they are fetched again.
const CACHE_TTL: Duration = Duration::from_secs(3600);
/// Clock skew accepted on `exp`/`iat`.
const LEEWAY_SECS: u64 = 30;
/// Signature algorithms accepted on ID tokens: never `none`, never a shared-secret HMAC.
const ACCEPTED_ALGS: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::PS512,
    Algorithm::EdDSA,
];

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// Could not reach the provider, or it answered with a server error or nonsense.
    #[error("inlogdienst onbereikbaar: {0}")]
    Unreachable(String),
    /// The provider refused (an OAuth error at the token endpoint).
    #[error("inlogdienst weigerde: {0}")]
    Rejected(String),
    #[error("ID-token ongeldig: {0}")]
    InvalidIdToken(String),
    #[error("betrouwbaarheidsniveau te laag")]
    AcrTooLow,
    #[error("configuratie: {0}")]
    Config(String),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

struct Cached {
    metadata: Metadata,
    jwks: JwkSet,
    fetched: Instant,
}

pub struct OidcClient {
    settings: ProviderSettings,
    redirect_uri: String,
    http: reqwest::Client,
    assertion_key: Option<EncodingKey>,
    cache: RwLock<Option<Cached>>,
}

impl OidcClient {
    pub fn new(
        settings: ProviderSettings,
        redirect_uri: String,
        http: reqwest::Client,
    ) -> Result<OidcClient, OidcError> {
        let assertion_key = if settings.client_auth == "private_key_jwt" {
            Some(
                EncodingKey::from_ec_pem(settings.client_key.as_bytes()).map_err(|_| {
                    OidcError::Config("client_key is geen PKCS#8 P-256-sleutel".into())
                })?,
            )
        } else {
            None
        };
        Ok(OidcClient {
            settings,
            redirect_uri,
            http,
            assertion_key,
            cache: RwLock::new(None),
        })
    }

    pub fn settings(&self) -> &ProviderSettings {
        &self.settings
    }

    async fn fetch_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| OidcError::Unreachable(format!("{url}: {}", e.without_url())))?;
        if !response.status().is_success() {
            return Err(OidcError::Unreachable(format!(
                "{url}: status {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map_err(|e| OidcError::Unreachable(format!("{url}: {}", e.without_url())))
    }

    async fn fetch(&self) -> Result<Cached, OidcError> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let metadata: Metadata = self.fetch_json(&url).await?;
        // OpenID Connect Discovery §4.3: the issuer in the document must be the one we asked.
        if metadata.issuer != self.settings.issuer {
            return Err(OidcError::Unreachable(format!(
                "discovery noemt issuer {} in plaats van {}",
                metadata.issuer, self.settings.issuer
            )));
        }
        let jwks = self.fetch_json(&metadata.jwks_uri).await?;
        Ok(Cached {
            metadata,
            jwks,
            fetched: Instant::now(),
        })
    }

    /// Metadata from the cache, fetched when missing or stale (or `refresh` is asked for).
    async fn cached(&self, refresh: bool) -> Result<(Metadata, JwkSet), OidcError> {
        if !refresh
            && let Some(c) = self.cache.read().await.as_ref()
            && c.fetched.elapsed() < CACHE_TTL
        {
            return Ok((c.metadata.clone(), c.jwks.clone()));
        }
        let fresh = self.fetch().await?;
        let out = (fresh.metadata.clone(), fresh.jwks.clone());
        *self.cache.write().await = Some(fresh);
        Ok(out)
    }

    /// The provider's authorization URL for one login attempt.
    pub async fn authorization_url(
        &self,
        state: &str,
        nonce: &str,
        code_challenge: &str,
    ) -> Result<String, OidcError> {
        let (metadata, _) = self.cached(false).await?;
        let scope = self.settings.scopes.join(" ");
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", self.settings.client_id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("scope", scope.as_str()),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", code_challenge),
            ("code_challenge_method", "S256"),
        ];
        if let Some(acr) = &self.settings.minimum_acr {
            params.push(("acr_values", acr.as_str()));
        }
        reqwest::Url::parse_with_params(&metadata.authorization_endpoint, &params)
            .map(String::from)
            .map_err(|_| OidcError::Unreachable("authorization_endpoint is geen URL".into()))
    }

    /// Exchanges the provider's code and returns the verified ID-token claims.
    pub async fn exchange(
        &self,
        code: &str,
        code_verifier: &str,
        nonce: &str,
    ) -> Result<Map<String, Value>, OidcError> {
        let (metadata, _) = self.cached(false).await?;
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.to_string()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("code_verifier", code_verifier.to_string()),
            ("client_id", self.settings.client_id.clone()),
        ];
        match &self.assertion_key {
            Some(key) => {
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
                ));
                form.push((
                    "client_assertion",
                    self.client_assertion(key, &metadata.token_endpoint),
                ));
            }
            None => form.push(("client_secret", self.settings.client_secret.clone())),
        }
        let response = self
            .http
            .post(&metadata.token_endpoint)
            .form(&form)
            .send()
            .await
            .map_err(|e| OidcError::Unreachable(e.without_url().to_string()))?;
        let status = response.status();
        let body: Value = response.json().await.map_err(|_| {
            OidcError::Unreachable(format!("token-endpoint: status {status}, geen JSON"))
        })?;
        if status.is_server_error() {
            return Err(OidcError::Unreachable(format!(
                "token-endpoint: status {status}"
            )));
        }
        if !status.is_success() {
            let error = body["error"].as_str().unwrap_or("onbekend");
            return Err(OidcError::Rejected(format!("token-endpoint: {error}")));
        }
        let id_token = body["id_token"]
            .as_str()
            .ok_or_else(|| OidcError::InvalidIdToken("geen id_token in het antwoord".into()))?;
        self.verify_id_token(id_token, nonce).await
    }

    /// RFC 7523 client assertion: a fresh JWT per call, `aud` = the token endpoint.
    fn client_assertion(&self, key: &EncodingKey, token_endpoint: &str) -> String {
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({
            "iss": self.settings.client_id,
            "sub": self.settings.client_id,
            "aud": token_endpoint,
            "jti": random_token(32),
            "iat": now,
            "exp": now + 60,
        });
        let mut header = Header::new(Algorithm::ES256);
        header.kid =
            (!self.settings.client_key_id.is_empty()).then(|| self.settings.client_key_id.clone());
        jsonwebtoken::encode(&header, &claims, key).expect("ES256 ondertekent elke claimset")
    }

    /// Signature (JWKS), `iss`, `aud`, `exp`, `iat`, `nonce`, and `acr` ≥ the configured minimum.
    pub async fn verify_id_token(
        &self,
        token: &str,
        nonce: &str,
    ) -> Result<Map<String, Value>, OidcError> {
        let invalid = |m: &str| OidcError::InvalidIdToken(m.to_string());
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| invalid("kop onleesbaar of alg none"))?;
        if !ACCEPTED_ALGS.contains(&header.alg) {
            return Err(invalid("algoritme niet toegestaan"));
        }
        let (_, mut jwks) = self.cached(false).await?;
        let mut key = find_key(&jwks, header.kid.as_deref());
        if key.is_none() {
            // Perhaps the provider rotated its keys since we cached them.
            (_, jwks) = self.cached(true).await?;
            key = find_key(&jwks, header.kid.as_deref());
        }
        let key = key.ok_or_else(|| invalid("onbekende sleutel (kid)"))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.client_id]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(|e| OidcError::InvalidIdToken(e.to_string()))?
            .claims;
        let now = chrono::Utc::now().timestamp();
        if claims["iat"]
            .as_i64()
            .is_none_or(|iat| iat > now + LEEWAY_SECS as i64)
        {
            return Err(invalid("iat ligt in de toekomst"));
        }
        // Several audiences: `azp` must name us (OIDC Core §3.1.3.7).
        if claims["aud"].is_array()
            && claims.get("azp").and_then(Value::as_str) != Some(self.settings.client_id.as_str())
        {
            return Err(invalid("azp ontbreekt of klopt niet"));
        }
        if claims.get("nonce").and_then(Value::as_str) != Some(nonce) {
            return Err(invalid("nonce klopt niet"));
        }
        self.check_acr(&claims)?;
        Ok(claims)
    }

    fn check_acr(&self, claims: &Map<String, Value>) -> Result<(), OidcError> {
        let Some(minimum) = &self.settings.minimum_acr else {
            return Ok(());
        };
        let levels = &self.settings.acr_levels;
        let rank = |v: &str| levels.iter().position(|l| l == v);
        let got = claim_at(claims, &self.settings.acr_claim).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        match (got.as_deref().and_then(rank), rank(minimum)) {
            (Some(got), Some(min)) if got >= min => Ok(()),
            _ => Err(OidcError::AcrTooLow),
        }
    }
}

fn find_key(jwks: &JwkSet, kid: Option<&str>) -> Option<DecodingKey> {
    let jwk = match kid {
        Some(kid) => jwks.find(kid),
        // No kid: only unambiguous when the set holds one key.
        None if jwks.keys.len() == 1 => jwks.keys.first(),
        None => None,
    }?;
    DecodingKey::from_jwk(jwk).ok()
}

/// The value at a dotted claim path (`gemachtigde.bsn`); a literal key with dots wins, because
/// some brokers use URNs such as `urn:nl-eid-gdi:1.0:id:BSN` as flat claim names.
pub fn claim_at<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(path) {
        return Some(v);
    }
    let mut parts = path.split('.');
    let mut current = claims.get(parts.next()?)?;
    for part in parts {
        current = current.get(part)?;
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claim_paths_nest_and_allow_flat_urns() {
        let claims = json!({
            "gemachtigde": {"bsn": "1"},
            "urn:nl-eid-gdi:1.0:id:BSN": "2"
        });
        let claims = claims.as_object().unwrap();
        assert_eq!(claim_at(claims, "gemachtigde.bsn"), Some(&json!("1")));
        assert_eq!(
            claim_at(claims, "urn:nl-eid-gdi:1.0:id:BSN"),
            Some(&json!("2"))
        );
        assert_eq!(claim_at(claims, "gemachtigde.naam"), None);
    }
}
