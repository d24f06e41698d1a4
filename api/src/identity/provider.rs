//! Identity providers as plugins: one trait, a registry built from configuration. Each provider
//! has its own callback URI (`/v1/inloggen/{provider}/terugkeer`), the mix-up defence of the
//! NL GOV OIDC profile when several providers are configured.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::bsn::Bsn;
use super::oidc::{OidcClient, OidcError, claim_at};
use super::persona::Soort;
use crate::config::Settings;

/// Staff roles we know; anything else a staff IdP sends is ignored.
pub const STAFF_ROLES: [&str; 3] = ["behandelaar", "gespreksleider", "beheerder"];

/// Who the provider vouched for, checked and mapped to our terms.
#[derive(Debug)]
pub struct VerifiedIdentity {
    /// The provider's subject (for lawyers and staff, how we find them again).
    pub subject: String,
    pub soort: Soort,
    /// Parents only.
    pub bsn: Option<Bsn>,
    pub naam: Option<String>,
    pub rollen: Vec<String>,
    pub registratienummer: Option<String>,
    pub acr: Option<String>,
    /// DigiD Machtigen: the parent this person acts for (`bsn` is then the person acting).
    pub vertegenwoordigde: Option<Bsn>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Oidc(#[from] OidcError),
    /// A required claim is missing or malformed (e.g. a BSN that fails the 11-proef).
    #[error("claim {0} ontbreekt of is ongeldig")]
    Claim(String),
    /// A staff member without any role we know.
    #[error("geen bekende rol")]
    NoRole,
}

#[async_trait]
pub trait IdentityProvider: Send + Sync {
    fn soort(&self) -> Soort;
    /// Where to send the browser for one login attempt.
    async fn authorization_url(
        &self,
        state: &str,
        nonce: &str,
        code_challenge: &str,
    ) -> Result<String, OidcError>;
    /// Finishes the login: exchanges the code and verifies who logged in.
    async fn finish(
        &self,
        code: &str,
        code_verifier: &str,
        nonce: &str,
    ) -> Result<VerifiedIdentity, LoginError>;
}

/// An OpenID provider (DigiD broker, the lawyers' and the staff IdP, the development IdP).
pub struct OidcProvider {
    soort: Soort,
    client: OidcClient,
}

#[async_trait]
impl IdentityProvider for OidcProvider {
    fn soort(&self) -> Soort {
        self.soort
    }

    async fn authorization_url(
        &self,
        state: &str,
        nonce: &str,
        code_challenge: &str,
    ) -> Result<String, OidcError> {
        self.client
            .authorization_url(state, nonce, code_challenge)
            .await
    }

    async fn finish(
        &self,
        code: &str,
        code_verifier: &str,
        nonce: &str,
    ) -> Result<VerifiedIdentity, LoginError> {
        let claims = self.client.exchange(code, code_verifier, nonce).await?;
        map_claims(self.soort, self.client.settings(), &claims)
    }
}

fn text(claims: &Map<String, Value>, path: &str) -> Option<String> {
    claim_at(claims, path)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Maps verified claims to our terms; pure, so the rules are unit-tested.
pub fn map_claims(
    soort: Soort,
    settings: &crate::config::ProviderSettings,
    claims: &Map<String, Value>,
) -> Result<VerifiedIdentity, LoginError> {
    let subject = text(claims, "sub").ok_or_else(|| LoginError::Claim("sub".into()))?;
    let acr = claim_at(claims, &settings.acr_claim).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let mut identity = VerifiedIdentity {
        subject,
        soort,
        bsn: None,
        naam: text(claims, &settings.name_claim),
        rollen: Vec::new(),
        registratienummer: None,
        acr,
        vertegenwoordigde: None,
    };
    let m = &settings.machtigen;
    match soort {
        Soort::Ouder if claim_at(claims, &m.vertegenwoordigde_bsn_claim).is_some() => {
            // DigiD Machtigen: only for our service, and every part must be there.
            let dienst = text(claims, &m.dienst_claim);
            if m.dienst_id.is_empty() || dienst.as_deref() != Some(m.dienst_id.as_str()) {
                return Err(LoginError::Claim(m.dienst_claim.clone()));
            }
            let bsn = |path: &String| {
                text(claims, path)
                    .and_then(|raw| Bsn::parse(&raw).ok())
                    .ok_or_else(|| LoginError::Claim(path.clone()))
            };
            identity.bsn = Some(bsn(&m.gemachtigde_bsn_claim)?);
            identity.vertegenwoordigde = Some(bsn(&m.vertegenwoordigde_bsn_claim)?);
        }
        Soort::Ouder => {
            let raw = text(claims, &settings.bsn_claim)
                .ok_or_else(|| LoginError::Claim(settings.bsn_claim.clone()))?;
            identity.bsn =
                Some(Bsn::parse(&raw).map_err(|_| LoginError::Claim(settings.bsn_claim.clone()))?);
        }
        Soort::Advocaat => {
            identity.registratienummer = Some(
                text(claims, &settings.registration_claim)
                    .ok_or_else(|| LoginError::Claim(settings.registration_claim.clone()))?,
            );
        }
        Soort::Medewerker => {
            let roles = match claim_at(claims, &settings.roles_claim) {
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                Some(Value::String(s)) => s.split([' ', ',']).map(str::to_string).collect(),
                _ => Vec::new(),
            };
            identity.rollen = STAFF_ROLES
                .iter()
                .filter(|r| roles.iter().any(|x: &String| x == *r))
                .map(|r| r.to_string())
                .collect();
            if identity.rollen.is_empty() {
                return Err(LoginError::NoRole);
            }
        }
    }
    Ok(identity)
}

/// The configured providers by name.
pub struct Providers {
    by_name: BTreeMap<String, Arc<dyn IdentityProvider>>,
}

impl Providers {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Providers> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .connect_timeout(std::time::Duration::from_secs(3))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut by_name: BTreeMap<String, Arc<dyn IdentityProvider>> = BTreeMap::new();
        for (name, p) in settings.login_providers() {
            let soort = Soort::parse(&p.soort)
                .ok_or_else(|| anyhow::anyhow!("login.providers.{name}.soort is onbekend"))?;
            let redirect = format!("{}/inloggen/{name}/terugkeer", settings.http.public_url);
            let client = OidcClient::new(p, redirect, http.clone())
                .map_err(|e| anyhow::anyhow!("login.providers.{name}: {e}"))?;
            by_name.insert(name, Arc::new(OidcProvider { soort, client }));
        }
        Ok(Providers { by_name })
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn IdentityProvider>> {
        self.by_name.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(name: &str) -> crate::config::ProviderSettings {
        Settings::default().login_providers()[name].clone()
    }

    #[test]
    fn digid_machtigen_needs_our_service_and_both_persons() {
        let s = settings("digid");
        let ok = json!({"sub": "x", "gemachtigde": {"bsn": "999990032"}, "aanvrager": {"bsn": "999993653"},
            "service_id": crate::config::DEV_MACHTIGEN_DIENST});
        let id = map_claims(Soort::Ouder, &s, ok.as_object().unwrap()).unwrap();
        assert_eq!(id.bsn.unwrap().expose(), "999990032");
        assert_eq!(id.vertegenwoordigde.unwrap().expose(), "999993653");
        for bad in [
            json!({"sub": "x", "gemachtigde": {"bsn": "999990032"}, "aanvrager": {"bsn": "999993653"}, "service_id": "een-andere-dienst"}),
            json!({"sub": "x", "gemachtigde": {"bsn": "999990032"}, "aanvrager": {"bsn": "999993653"}}),
            json!({"sub": "x", "aanvrager": {"bsn": "999993653"}, "service_id": crate::config::DEV_MACHTIGEN_DIENST}),
        ] {
            assert!(
                matches!(
                    map_claims(Soort::Ouder, &s, bad.as_object().unwrap()),
                    Err(LoginError::Claim(_))
                ),
                "{bad}"
            );
        }
        let mut zonder = s.clone();
        zonder.machtigen.dienst_id.clear();
        assert!(map_claims(Soort::Ouder, &zonder, ok.as_object().unwrap()).is_err());
    }

    #[test]
    fn a_parent_needs_a_valid_bsn() {
        let ok = json!({"sub": "x", "bsn": "999993653", "acr": "a"});
        let id = map_claims(Soort::Ouder, &settings("digid"), ok.as_object().unwrap()).unwrap();
        assert_eq!(id.bsn.unwrap().expose(), "999993653");
        let bad = json!({"sub": "x", "bsn": "999993654"});
        assert!(matches!(
            map_claims(Soort::Ouder, &settings("digid"), bad.as_object().unwrap()),
            Err(LoginError::Claim(_))
        ));
    }

    #[test]
    fn staff_keep_only_known_roles_and_need_one() {
        let s = settings("medewerker");
        let c = json!({"sub": "m", "roles": ["behandelaar", "koffie"]});
        let id = map_claims(Soort::Medewerker, &s, c.as_object().unwrap()).unwrap();
        assert_eq!(id.rollen, vec!["behandelaar"]);
        let none = json!({"sub": "m", "roles": ["koffie"]});
        assert!(matches!(
            map_claims(Soort::Medewerker, &s, none.as_object().unwrap()),
            Err(LoginError::NoRole)
        ));
    }

    #[test]
    fn a_lawyer_needs_a_registration_number() {
        let s = settings("advocaat");
        let c = json!({"sub": "a"});
        assert!(map_claims(Soort::Advocaat, &s, c.as_object().unwrap()).is_err());
    }
}
