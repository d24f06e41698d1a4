//! Our own tokens. Access tokens: ES256 JWTs with `kid`, ≤ 15 minutes, read only by this API
//! (hence ES256, not the NL GOV profile's RS256: no RSA private-key operations, RUSTSEC-2023-0071).
//! Refresh tokens and one-time codes are random opaque strings; only their SHA-256 is stored.

use std::collections::{BTreeMap, HashMap};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::TokenSettings;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("sleutel {0} is geen PKCS#8 P-256-sleutel")]
    BadKey(String),
    #[error("actieve sleutel {0} is niet geconfigureerd")]
    UnknownActiveKey(String),
    #[error("token ongeldig: {0}")]
    Invalid(String),
}

/// The claims of our access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// Internal person id (a UUID), never a BSN.
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    /// The session (refresh-token family): checked on every request, so logout works at once.
    pub sid: String,
    /// `ouder`, `advocaat` or `medewerker`.
    pub soort: String,
    /// Staff roles: behandelaar, gespreksleider, beheerder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollen: Vec<String>,
    /// Level of assurance the provider vouched for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
    /// NL GOV `represents`: the parent a gemachtigde acts for (`sub` stays the actor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub represents: Option<String>,
}

pub struct TokenKeys {
    active: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    jwks: JwkSet,
    /// Tokens whose signature checked out, by their SHA-256, with their claims (see `verify`).
    geverifieerd: std::sync::Mutex<HashMap<[u8; 32], AccessClaims>>,
}

/// Clock skew allowed on `exp`, in seconds.
const LEEWAY: i64 = 5;

/// At most this many remembered tokens (a few MB); tokens live 15 minutes.
const ONTHOUDEN_MAX: usize = 10_000;

impl TokenKeys {
    /// `keys`: kid → PKCS#8 PEM of a P-256 private key.
    pub fn from_pems(
        keys: &BTreeMap<String, String>,
        active: &str,
    ) -> Result<TokenKeys, TokenError> {
        let mut decoding = HashMap::new();
        let mut jwks = Vec::new();
        let mut active_encoding = None;
        for (kid, pem) in keys {
            let encoding = EncodingKey::from_ec_pem(pem.as_bytes())
                .map_err(|_| TokenError::BadKey(kid.clone()))?;
            let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::ES256)
                .map_err(|_| TokenError::BadKey(kid.clone()))?;
            jwk.common.key_id = Some(kid.clone());
            decoding.insert(
                kid.clone(),
                DecodingKey::from_jwk(&jwk).map_err(|_| TokenError::BadKey(kid.clone()))?,
            );
            jwks.push(jwk);
            if kid == active {
                active_encoding = Some(encoding);
            }
        }
        let encoding =
            active_encoding.ok_or_else(|| TokenError::UnknownActiveKey(active.to_string()))?;
        Ok(TokenKeys {
            active: active.to_string(),
            encoding,
            decoding,
            jwks: JwkSet { keys: jwks },
            geverifieerd: std::sync::Mutex::default(),
        })
    }

    pub fn active_kid(&self) -> &str {
        &self.active
    }

    /// Public keys, for a JWKS document.
    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    pub fn sign<T: Serialize>(&self, claims: &T) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.active.clone());
        header.typ = Some("at+jwt".into());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .expect("ES256 ondertekent elke claimset")
    }
}

pub struct TokenService {
    pub keys: TokenKeys,
    pub settings: TokenSettings,
}

impl TokenService {
    pub fn issue(&self, claims: AccessClaims) -> String {
        self.keys.sign(&claims)
    }

    /// Strict: ES256 only (so `alg: none` and HMAC confusion fail), a known `kid`, our issuer and
    /// audience, not expired (no leeway beyond a few seconds of clock skew).
    ///
    /// Checking the signature is nearly half of the server's own CPU per request (P-256
    /// arithmetic, bench/README.md), and a client sends the same token until it expires: a token
    /// that checked out is remembered by its SHA-256 and only its expiry is checked again. The
    /// session (logout, revocation) and a mandate are still checked on every request.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let sleutel: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let nu = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let mut onthouden = self
            .keys
            .geverifieerd
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(claims) = onthouden.get(&sleutel) {
            if claims.exp >= nu - LEEWAY {
                return Ok(claims.clone());
            }
            onthouden.remove(&sleutel);
        }
        drop(onthouden);
        let claims = self.verify_handtekening(token)?;
        let mut onthouden = self
            .keys
            .geverifieerd
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if onthouden.len() >= ONTHOUDEN_MAX {
            onthouden.retain(|_, c| c.exp >= nu - LEEWAY);
            if onthouden.len() >= ONTHOUDEN_MAX {
                onthouden.clear();
            }
        }
        onthouden.insert(sleutel, claims.clone());
        Ok(claims)
    }

    fn verify_handtekening(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| TokenError::Invalid(format!("kop: {e}")))?;
        if header.alg != Algorithm::ES256 {
            return Err(TokenError::Invalid("algoritme".into()));
        }
        let kid = header
            .kid
            .ok_or_else(|| TokenError::Invalid("kid ontbreekt".into()))?;
        let key = self
            .keys
            .decoding
            .get(&kid)
            .ok_or_else(|| TokenError::Invalid("onbekende kid".into()))?;
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY.unsigned_abs();
        jsonwebtoken::decode::<AccessClaims>(token, key, &validation)
            .map(|data| data.claims)
            .map_err(|e| TokenError::Invalid(e.to_string()))
    }

    pub fn access_claims(
        &self,
        sub: &str,
        sid: &str,
        soort: &str,
        rollen: Vec<String>,
        acr: Option<String>,
    ) -> AccessClaims {
        let now = chrono::Utc::now().timestamp();
        AccessClaims {
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            sub: sub.to_string(),
            exp: now + i64::from(self.settings.access_ttl_secs),
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
            sid: sid.to_string(),
            soort: soort.to_string(),
            rollen,
            acr,
            represents: None,
        }
    }
}

/// `bytes` of randomness as base64url (32 bytes = 256 bits for codes and refresh tokens).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("besturingssysteem levert willekeur");
    B64URL.encode(buf)
}

pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// PKCE S256 (RFC 7636 §4.2): BASE64URL(SHA256(verifier)).
pub fn pkce_challenge(verifier: &str) -> String {
    B64URL.encode(Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 §4.1: 43–128 characters from the unreserved set.
pub fn is_valid_pkce_value(value: &str) -> bool {
    (43..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::identity::dev_keys::{DEV_IDP_KEY, DEV_TOKEN_KEY};

    fn service() -> TokenService {
        let keys = BTreeMap::from([
            ("a".to_string(), DEV_TOKEN_KEY.to_string()),
            ("b".to_string(), DEV_IDP_KEY.to_string()),
        ]);
        TokenService {
            keys: TokenKeys::from_pems(&keys, "a").unwrap(),
            settings: Settings::default().tokens,
        }
    }

    #[test]
    fn signs_and_verifies() {
        let s = service();
        let token =
            s.issue(s.access_claims("p1", "s1", "ouder", vec![], Some("substantieel".into())));
        let claims = s.verify(&token).unwrap();
        assert_eq!(claims.sub, "p1");
        assert_eq!(claims.acr.as_deref(), Some("substantieel"));
        assert_eq!(
            jsonwebtoken::decode_header(&token).unwrap().kid.as_deref(),
            Some("a")
        );
        assert_eq!(s.keys.jwks().keys.len(), 2);
    }

    #[test]
    fn rejects_tampering_expiry_other_keys_and_alg_none() {
        let s = service();
        let mut claims = s.access_claims("p1", "s1", "ouder", vec![], None);
        let token = s.issue(claims.clone());
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = B64URL.encode(serde_json::to_vec(&serde_json::json!({"sub": "p2"})).unwrap());
        assert!(s.verify(&parts.join(".")).is_err(), "tampered payload");

        claims.exp = chrono::Utc::now().timestamp() - 60;
        assert!(s.verify(&s.issue(claims.clone())).is_err(), "expired");

        let other = TokenKeys::from_pems(
            &BTreeMap::from([("a".to_string(), DEV_IDP_KEY.to_string())]),
            "a",
        )
        .unwrap();
        claims.exp = chrono::Utc::now().timestamp() + 60;
        assert!(
            s.verify(&other.sign(&claims)).is_err(),
            "same kid, other key"
        );

        let header = B64URL.encode(br#"{"alg":"none","typ":"JWT","kid":"a"}"#);
        let payload = B64URL.encode(serde_json::to_vec(&claims).unwrap());
        assert!(
            s.verify(&format!("{header}.{payload}.")).is_err(),
            "alg none"
        );
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(is_valid_pkce_value(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!is_valid_pkce_value("kort"));
    }

    #[test]
    fn random_tokens_carry_256_bits() {
        let t = random_token(32);
        assert_eq!(t.len(), 43);
        assert_ne!(t, random_token(32));
    }
}
