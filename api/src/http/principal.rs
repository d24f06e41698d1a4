//! `Principal`: who is calling, from our access token in the `Authorization` header (never the
//! query string), with the session checked on every request so logout works at once. Every
//! handler that touches personal data takes one; a refused token is written to the audit log.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, web};
use uuid::Uuid;

use super::problem::{ApiError, FieldError, ProblemType};
use super::trace::trace_id_of;
use crate::AppState;
use crate::audit::{self, Regel, Uitkomst};
use crate::identity::persona::Soort;
use crate::identity::sessions;

#[derive(Debug, Clone)]
pub struct Principal {
    pub persoon_id: Uuid,
    pub soort: Soort,
    /// Staff roles (behandelaar, gespreksleider, beheerder).
    pub rollen: Vec<String>,
    pub acr: Option<String>,
    /// The parent a gemachtigde acts for (NL GOV `represents`); `persoon_id` stays the actor.
    pub represents: Option<Uuid>,
    pub sessie_id: Uuid,
    pub trace_id: String,
}

impl Principal {
    /// The roles of the architecture: ouder, advocaat, gemachtigde, behandelaar, gespreksleider,
    /// beheerder.
    pub fn roles(&self) -> Vec<String> {
        let mut roles = match self.soort {
            Soort::Ouder => vec!["ouder".to_string()],
            Soort::Advocaat => vec!["advocaat".to_string()],
            Soort::Medewerker => self.rollen.clone(),
        };
        if self.represents.is_some() {
            roles.push("gemachtigde".into());
        }
        roles
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles().iter().any(|r| r == role)
    }

    pub fn actor(&self) -> Option<(Uuid, Soort)> {
        Some((self.persoon_id, self.soort))
    }
}

pub fn unauthorized(detail: &str, invalid_token: bool) -> ApiError {
    let challenge = if invalid_token {
        "Bearer realm=\"mijn-herstel\", error=\"invalid_token\""
    } else {
        "Bearer realm=\"mijn-herstel\""
    };
    ApiError::new(ProblemType::NietIngelogd, detail).with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    )
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { extract(&req).await })
    }
}

async fn extract(req: &HttpRequest) -> Result<Principal, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is geregistreerd")
        .clone();
    let trace_id = trace_id_of(req);
    // NL GOV OAuth Protected Resource profile: tokens never in a URL (they end up in logs).
    if serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .iter()
        .any(|(k, _)| k == "access_token")
    {
        return Err(ApiError::invalid(vec![FieldError::parameter(
            "access_token",
            "niet-toegestaan",
            "Stuur het token alleen in de header Authorization, nooit in het adres.",
        )]));
    }
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(unauthorized(
            "Log in en stuur het toegangstoken mee in de header Authorization.",
            false,
        ));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let start_ms = audit::now_ms();
    let ip = crate::http::rate_limit::client_ip(req, &state.settings.http.vertrouwde_proxies);
    let refuse = |actor: Option<(Uuid, Soort)>, reason: &'static str| {
        let state = state.clone();
        let trace_id = trace_id.clone();
        let ip = ip.clone();
        async move {
            // Each refusal is audited; past the login limit per address, forged tokens get 429
            // and write nothing, so they cannot flood the audit log.
            state.limits.login.check(&format!("geweigerd-token:{ip}"))?;
            audit::record(
                &state.db,
                &state.vault,
                &Regel {
                    actor,
                    namens: None,
                    actie: "api-toegang",
                    resource: "toegangstoken",
                    uitkomst: Uitkomst::Geweigerd,
                    reden: Some(reason),
                    trace_id: &trace_id,
                    verwerkingsactiviteit: "api-toegang/v1",
                    start_ms,
                },
            )
            .await?;
            Err::<Principal, ApiError>(unauthorized(
                "Het toegangstoken is ongeldig of verlopen, of de sessie is beëindigd. Vernieuw het token of log opnieuw in.",
                true,
            ))
        }
    };
    let Some(token) = token else {
        return refuse(None, "geen Bearer-token").await;
    };
    let claims = match state.tokens.verify(token) {
        Ok(claims) => claims,
        Err(err) => {
            tracing::info!(error = %err, "toegangstoken geweigerd");
            return refuse(
                None,
                "token ongeldig (handtekening, sleutel, uitgever, publiek of verlopen)",
            )
            .await;
        }
    };
    let (Ok(persoon_id), Some(soort), Ok(sessie_id)) = (
        claims.sub.parse::<Uuid>(),
        Soort::parse(&claims.soort),
        claims.sid.parse::<Uuid>(),
    ) else {
        return refuse(None, "token met onbekende inhoud").await;
    };
    let represents = match claims.represents.as_deref().map(str::parse::<Uuid>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return refuse(None, "token met onbekende inhoud").await,
    };
    state.limits.subject.check(&claims.sub)?;
    if !sessions::is_active(&state.db, &state.settings.tokens, &claims.sid).await? {
        return refuse(Some((persoon_id, soort)), "sessie beëindigd of verlopen").await;
    }
    Ok(Principal {
        persoon_id,
        soort,
        rollen: claims.rollen,
        acr: claims.acr,
        represents,
        sessie_id,
        trace_id,
    })
}
