//! The login service: start at a provider, finish at its callback, hand a one-time code to the
//! app (RFC 8252), exchange it (and refresh tokens) for our tokens, log out. Every outcome,
//! success or refusal, is written to the audit log. Nothing is created before the provider's
//! answer is verified, and what is created happens in one transaction.

use std::collections::HashMap;

use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::login_store::{self, NewCode, NewLogin};
use super::model::{InloggenParams, TokenAntwoord, TokenVerzoek};
use super::oidc::OidcError;
use super::persona::Soort;
use super::provider::{LoginError, VerifiedIdentity};
use super::sessions::{self, RefreshError};
use super::store::{self, NewPersoon, Persoon};
use super::tokens::{is_valid_pkce_value, pkce_challenge, random_token};
use crate::AppState;
use crate::audit::{self, Regel, Uitkomst};
use crate::db;
use crate::http::{ApiError, FieldError, ProblemType};

/// One login event for the audit log.
struct Event<'a> {
    state: &'a AppState,
    trace_id: &'a str,
    actie: &'static str,
    resource: String,
    start_ms: i64,
}

impl<'a> Event<'a> {
    fn new(state: &'a AppState, trace_id: &'a str, actie: &'static str, resource: String) -> Self {
        Event {
            state,
            trace_id,
            actie,
            resource,
            start_ms: audit::now_ms(),
        }
    }

    fn regel<'b>(
        &'b self,
        who: Option<(Uuid, Soort)>,
        uitkomst: Uitkomst,
        reden: Option<&'b str>,
    ) -> Regel<'b> {
        Regel {
            actor: who,
            namens: who.map(|(id, _)| id),
            actie: self.actie,
            resource: &self.resource,
            uitkomst,
            reden,
            trace_id: self.trace_id,
            verwerkingsactiviteit: "inloggen/v1",
            start_ms: self.start_ms,
        }
    }

    /// Records a refusal and returns the error to answer with.
    async fn refuse(&self, who: Option<(Uuid, Soort)>, reason: &str, error: ApiError) -> ApiError {
        let uitkomst = if error.kind().status().is_server_error() {
            Uitkomst::Mislukt
        } else {
            Uitkomst::Geweigerd
        };
        let regel = self.regel(who, uitkomst, Some(reason));
        match audit::record(&self.state.db, &self.state.vault, &regel).await {
            Ok(()) => error,
            Err(db_err) => db_err.into(),
        }
    }
}

fn invalid(parameter: &str, detail: &str) -> ApiError {
    ApiError::invalid(vec![FieldError::parameter(parameter, "ongeldig", detail)])
}

fn provider_down() -> ApiError {
    ApiError::new(
        ProblemType::InlogdienstOnbereikbaar,
        ProblemType::InlogdienstOnbereikbaar.description(),
    )
    .with_header(RETRY_AFTER, HeaderValue::from_static("60"))
}

/// Starts a login: checks the app's hand-off data, prepares state, nonce and PKCE towards the
/// provider, and returns the provider's authorization URL.
pub async fn start(
    state: &AppState,
    provider_name: &str,
    params: &InloggenParams,
    trace_id: &str,
) -> Result<String, ApiError> {
    let provider = state
        .providers
        .get(provider_name)
        .ok_or_else(ApiError::not_found)?;
    let event = Event::new(
        state,
        trace_id,
        "inloggen-starten",
        format!("inloggen/{provider_name}"),
    );
    // Exact string match (RFC 8252 §8.4, NL GOV): never an open redirector.
    if !state
        .settings
        .login
        .app_redirect_uris
        .iter()
        .any(|u| u == &params.redirect_uri)
    {
        let error = invalid(
            "redirectUri",
            "Dit adres staat niet op de lijst van toegestane app-adressen.",
        );
        return Err(event
            .refuse(None, "redirectUri niet toegestaan", error)
            .await);
    }
    if !is_valid_pkce_value(&params.code_challenge) {
        return Err(invalid(
            "codeChallenge",
            "Een PKCE-challenge (S256) is 43 tot 128 tekens base64url.",
        ));
    }
    let login_state = random_token(32);
    let nonce = random_token(32);
    let verifier = random_token(32);
    let url = match provider
        .authorization_url(&login_state, &nonce, &pkce_challenge(&verifier))
        .await
    {
        Ok(url) => url,
        Err(err) => {
            tracing::warn!(provider = provider_name, error = %err, "inlogdienst onbereikbaar");
            return Err(event
                .refuse(None, "inlogdienst onbereikbaar", provider_down())
                .await);
        }
    };
    login_store::start(
        &state.db,
        NewLogin {
            state: &login_state,
            provider: provider_name,
            nonce: &nonce,
            pkce_verifier: &verifier,
            app_redirect_uri: &params.redirect_uri,
            app_code_challenge: &params.code_challenge,
            app_state: params.state.as_deref(),
            ttl_secs: state.settings.tokens.login_ttl_secs,
        },
    )
    .await?;
    Ok(url)
}

/// The provider's callback: verifies everything, finds or creates the person, and returns the
/// app's redirect URI with a one-time code.
pub async fn finish(
    state: &AppState,
    provider_name: &str,
    query: &HashMap<String, String>,
    trace_id: &str,
) -> Result<String, ApiError> {
    let provider = state
        .providers
        .get(provider_name)
        .ok_or_else(ApiError::not_found)?;
    let event = Event::new(
        state,
        trace_id,
        "inloggen",
        format!("inloggen/{provider_name}"),
    );
    let Some(login_state) = query.get("state").filter(|s| !s.is_empty()) else {
        let error = invalid(
            "state",
            "De parameter state ontbreekt. Begin opnieuw met inloggen.",
        );
        return Err(event.refuse(None, "state ontbreekt", error).await);
    };
    // Single use, bound to this provider (mix-up defence), not expired.
    let Some(attempt) = login_store::take(&state.db, provider_name, login_state).await? else {
        let error = ApiError::new(
            ProblemType::InloggenMislukt,
            "Deze inlogpoging is onbekend, verlopen of al afgerond. Begin opnieuw met inloggen.",
        );
        return Err(event
            .refuse(None, "state onbekend, verlopen of hergebruikt", error)
            .await);
    };
    let app_url = |pairs: &[(&str, &str)]| {
        let mut pairs = pairs.to_vec();
        if let Some(s) = attempt.app_state.as_deref() {
            pairs.push(("state", s));
        }
        reqwest::Url::parse_with_params(&attempt.app_redirect_uri, &pairs)
            .map(String::from)
            .map_err(ApiError::internal)
    };
    if let Some(error) = query.get("error") {
        // The person cancelled or the provider refused: tell the app, which decides what to show.
        let code = if error == "access_denied" {
            "access_denied"
        } else {
            "server_error"
        };
        let regel = event.regel(None, Uitkomst::Mislukt, Some("inlogdienst meldde een fout"));
        audit::record(&state.db, &state.vault, &regel).await?;
        return app_url(&[("error", code)]);
    }
    let Some(code) = query.get("code").filter(|c| !c.is_empty()) else {
        let error = invalid("code", "De parameter code ontbreekt.");
        return Err(event.refuse(None, "code ontbreekt", error).await);
    };
    let identity = match provider
        .finish(code, &attempt.pkce_verifier, &attempt.nonce)
        .await
    {
        Ok(identity) => identity,
        Err(err) => {
            tracing::info!(provider = provider_name, error = %err, "inloggen geweigerd");
            let (reason, error) = login_error(&err);
            return Err(event.refuse(None, reason, error).await);
        }
    };
    let one_time_code = random_token(32);
    let tx = db::begin_write(&state.db).await?;
    let persoon = find_or_create(&tx, state, provider_name, &identity).await?;
    let namens = match &identity.vertegenwoordigde {
        Some(bsn) => Some(crate::machtiging::digid::verbind(&tx, state, persoon.id, bsn).await?),
        None => None,
    };
    login_store::issue_code(
        &tx,
        NewCode {
            code: &one_time_code,
            persoon_id: persoon.id,
            acr: identity.acr.as_deref(),
            provider: provider_name,
            app_redirect_uri: &attempt.app_redirect_uri,
            app_code_challenge: &attempt.app_code_challenge,
            ttl_secs: state.settings.tokens.code_ttl_secs,
            namens,
        },
    )
    .await?;
    audit::record(
        &tx,
        &state.vault,
        &event.regel(Some((persoon.id, persoon.soort)), Uitkomst::Gelukt, None),
    )
    .await?;
    tx.commit().await?;
    app_url(&[("code", &one_time_code)])
}

fn login_error(err: &LoginError) -> (&'static str, ApiError) {
    let failed = |detail: &str| ApiError::new(ProblemType::InloggenMislukt, detail);
    match err {
        LoginError::Oidc(OidcError::Unreachable(_)) => {
            ("inlogdienst onbereikbaar", provider_down())
        }
        LoginError::Oidc(OidcError::Rejected(_)) => (
            "inlogdienst weigerde de code",
            failed("De inlogdienst accepteerde de inlog niet. Begin opnieuw met inloggen."),
        ),
        LoginError::Oidc(OidcError::InvalidIdToken(_)) => (
            "ID-token ongeldig",
            failed(
                "Het antwoord van de inlogdienst kon niet worden vertrouwd. Er is niets opgeslagen; begin opnieuw met inloggen.",
            ),
        ),
        LoginError::Oidc(OidcError::AcrTooLow) => (
            "betrouwbaarheidsniveau te laag",
            ApiError::new(
                ProblemType::NiveauTeLaag,
                ProblemType::NiveauTeLaag.description(),
            ),
        ),
        LoginError::Oidc(OidcError::Config(_)) => (
            "configuratiefout inlogdienst",
            ApiError::internal(anyhow::anyhow!("inlogdienst verkeerd geconfigureerd")),
        ),
        LoginError::Claim(_) => (
            "verplicht gegeven ontbreekt of ongeldig",
            failed(
                "De inlogdienst gaf een verplicht gegeven (zoals het BSN) niet of niet geldig door. Er is niets opgeslagen.",
            ),
        ),
        LoginError::NoRole => (
            "medewerker zonder bekende rol",
            ApiError::new(
                ProblemType::GeenToegang,
                "Uw account heeft geen rol in Mijn Herstel. Neem contact op met een beheerder.",
            ),
        ),
    }
}

async fn find_or_create(
    db: &impl ConnectionTrait,
    state: &AppState,
    provider_name: &str,
    identity: &VerifiedIdentity,
) -> Result<Persoon, ApiError> {
    let existing = match &identity.bsn {
        Some(bsn) => store::find_by_bsn(db, &state.vault, bsn).await?,
        None => store::find_by_external(db, provider_name, &identity.subject).await?,
    };
    if let Some(p) = existing {
        // Staff roles follow the staff IdP at every login.
        if p.soort == Soort::Medewerker && p.rollen != identity.rollen {
            store::update_rollen(db, p.id, &identity.rollen).await?;
            return Ok(Persoon {
                rollen: identity.rollen.clone(),
                ..p
            });
        }
        return Ok(p);
    }
    let naam = identity
        .naam
        .clone()
        .unwrap_or_else(|| match identity.soort {
            Soort::Ouder => "Ouder".into(),
            Soort::Advocaat => "Advocaat".into(),
            Soort::Medewerker => "Medewerker".into(),
        });
    Ok(store::insert(
        db,
        &state.vault,
        NewPersoon {
            id: Uuid::now_v7(),
            soort: identity.soort,
            naam: &naam,
            bsn: identity.bsn.as_ref(),
            external: identity
                .bsn
                .is_none()
                .then_some((provider_name, identity.subject.as_str())),
            registratienummer: identity.registratienummer.as_deref(),
            rollen: &identity.rollen,
            email: None,
        },
    )
    .await?)
}

fn grant_error(detail: &str) -> ApiError {
    ApiError::new(ProblemType::OngeldigeToekenning, detail).with_oauth("invalid_grant")
}

fn request_error(field: &str, detail: &str) -> ApiError {
    ApiError::invalid(vec![FieldError::body(
        &format!("/{field}"),
        "ongeldig",
        detail,
    )])
    .with_oauth("invalid_request")
}

/// The token endpoint (RFC 6749 §3.2): `authorization_code` (the app's one-time code, with its
/// PKCE verifier) and `refresh_token` (rotating, single use).
pub async fn token(
    state: &AppState,
    form: &TokenVerzoek,
    trace_id: &str,
) -> Result<TokenAntwoord, ApiError> {
    match form.grant_type.as_deref() {
        Some("authorization_code") => exchange_code(state, form, trace_id).await,
        Some("refresh_token") => refresh(state, form, trace_id).await,
        Some(_) => Err(ApiError::invalid(vec![FieldError::body(
            "/grant_type",
            "enum",
            "grant_type moet authorization_code of refresh_token zijn.",
        )])
        .with_oauth("unsupported_grant_type")),
        None => Err(request_error("grant_type", "grant_type ontbreekt.")),
    }
}

async fn exchange_code(
    state: &AppState,
    form: &TokenVerzoek,
    trace_id: &str,
) -> Result<TokenAntwoord, ApiError> {
    let event = Event::new(state, trace_id, "token-uitgifte", "token".into());
    let (Some(code), Some(verifier), Some(redirect_uri)) = (
        form.code.as_deref(),
        form.code_verifier.as_deref(),
        form.redirect_uri.as_deref(),
    ) else {
        let missing = [
            ("code", form.code.is_none()),
            ("code_verifier", form.code_verifier.is_none()),
            ("redirect_uri", form.redirect_uri.is_none()),
        ];
        let errors = missing
            .iter()
            .filter(|(_, m)| *m)
            .map(|(f, _)| FieldError::body(&format!("/{f}"), "required", "Dit veld is verplicht."))
            .collect();
        return Err(ApiError::invalid(errors).with_oauth("invalid_request"));
    };
    let tx = db::begin_write(&state.db).await?;
    let Some(issued) = login_store::redeem_code(&tx, code).await? else {
        drop(tx);
        let error = grant_error(
            "De code is onbekend, verlopen of al gebruikt. Begin opnieuw met inloggen.",
        );
        return Err(event
            .refuse(None, "code onbekend, verlopen of hergebruikt", error)
            .await);
    };
    let persoon_id: Uuid = issued.persoon_id.parse().map_err(ApiError::internal)?;
    let persoon = store::find(&tx, persoon_id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("persoon van code bestaat niet")))?;
    let who = Some((persoon.id, persoon.soort));
    if issued.app_redirect_uri != redirect_uri
        || pkce_challenge(verifier) != issued.app_code_challenge
    {
        // The code is spent either way (committed): a wrong guess cannot be retried.
        tx.commit().await?;
        let error = grant_error(
            "De PKCE-verifier of de redirect_uri hoort niet bij deze code. Begin opnieuw met inloggen.",
        );
        return Err(event
            .refuse(who, "PKCE-verifier of redirect_uri klopt niet", error)
            .await);
    }
    let (sessie, refresh_token) = sessions::create(
        &tx,
        persoon.id,
        &issued.provider,
        issued.betrouwbaarheidsniveau.clone(),
        issued.namens_id.clone(),
    )
    .await?;
    audit::record(&tx, &state.vault, &event.regel(who, Uitkomst::Gelukt, None)).await?;
    tx.commit().await?;
    Ok(answer(state, &persoon, &sessie, refresh_token))
}

async fn refresh(
    state: &AppState,
    form: &TokenVerzoek,
    trace_id: &str,
) -> Result<TokenAntwoord, ApiError> {
    let event = Event::new(state, trace_id, "token-vernieuwen", "token".into());
    let Some(presented) = form.refresh_token.as_deref() else {
        return Err(request_error("refresh_token", "refresh_token ontbreekt."));
    };
    let outcome = sessions::refresh(&state.db, &state.settings.tokens, presented).await?;
    let (sessie, next) = match outcome {
        Ok(pair) => pair,
        Err(err) => {
            let reason = match err {
                RefreshError::Unknown => "verversingstoken onbekend",
                RefreshError::Reused => "verversingstoken hergebruikt: sessie ingetrokken",
                RefreshError::Expired => "sessie verlopen",
                RefreshError::Revoked => "sessie ingetrokken",
            };
            let error = grant_error(
                "Het verversingstoken is ongeldig, verlopen of al gebruikt. Log opnieuw in.",
            );
            return Err(event.refuse(None, reason, error).await);
        }
    };
    let persoon_id: Uuid = sessie.persoon_id.parse().map_err(ApiError::internal)?;
    let persoon = store::find(&state.db, persoon_id)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("persoon van sessie bestaat niet")))?;
    audit::record(
        &state.db,
        &state.vault,
        &event.regel(Some((persoon.id, persoon.soort)), Uitkomst::Gelukt, None),
    )
    .await?;
    Ok(answer(state, &persoon, &sessie, next))
}

fn answer(
    state: &AppState,
    persoon: &Persoon,
    sessie: &sessions::Sessie,
    refresh_token: String,
) -> TokenAntwoord {
    let mut claims = state.tokens.access_claims(
        &persoon.id.to_string(),
        &sessie.id,
        persoon.soort.as_str(),
        persoon.rollen.clone(),
        sessie.betrouwbaarheidsniveau.clone(),
    );
    // A DigiD Machtigen session acts for the parent; the mandate is checked on every request.
    claims.represents = sessie.namens_id.clone();
    TokenAntwoord {
        access_token: state.tokens.issue(claims),
        token_type: "Bearer".into(),
        expires_in: state.settings.tokens.access_ttl_secs,
        refresh_token,
    }
}

/// Logout: the session and all its tokens stop working at once.
pub async fn logout(
    state: &AppState,
    principal: &crate::http::principal::Principal,
) -> Result<(), ApiError> {
    let tx = db::begin_write(&state.db).await?;
    sessions::revoke(&tx, principal.sessie_id, "uitgelogd").await?;
    let event = Event::new(state, &principal.trace_id, "uitloggen", "sessie".into());
    audit::record(
        &tx,
        &state.vault,
        &event.regel(principal.actor(), Uitkomst::Gelukt, None),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
