//! Login, tokens and "who am I": thin handlers over [`super::login`].

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::login;
use super::model::{InloggenParams, Mij, TerugkeerParams, TokenAntwoord, TokenVerzoek};
use super::store;
use super::toegang::{self, Actie};
use crate::AppState;
use crate::http::principal::Principal;
use crate::http::rate_limit::client_ip;
use crate::http::trace::trace_id_of as trace_id;
use crate::http::{ApiError, FieldError, ProblemType, Query};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(inloggen)
        .service(terugkeer)
        .service(token)
        .service(mij)
        .service(uitloggen);
}

fn redirect(location: String) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Inloggen starten
///
/// De app opent dit adres in de systeembrowser (nooit in een webview), met een eigen
/// PKCE-challenge en een redirect-adres van de toegestane lijst. De API stuurt door naar de
/// inlogdienst (`digid` voor ouders, `advocaat`, `medewerker`); na het inloggen volgt een redirect
/// naar `redirectUri` met `code` (eenmalig, 60 seconden geldig) en de `state` van de app, of met
/// `error` als het inloggen werd afgebroken. Wissel de code in bij `POST /token`.
#[utoipa::path(
    tag = "Inloggen",
    operation_id = "inloggenStarten",
    params(
        ("provider" = String, Path, description = "De inlogdienst: `digid`, `advocaat` of `medewerker`.", example = "digid"),
        InloggenParams
    ),
    responses(
        (status = 302, description = "Door naar de inlogdienst.", headers(("Location" = String, description = "Het adres van de inlogdienst."))),
        (status = 400, description = "Het redirect-adres staat niet op de lijst of de PKCE-challenge klopt niet."),
        (status = 404, description = "Deze inlogdienst bestaat niet."),
        (status = 429, description = "Te veel inlogpogingen vanaf dit adres."),
        (status = 502, description = "De inlogdienst is niet bereikbaar; er is niets opgeslagen.")
    )
)]
#[get("/inloggen/{provider}")]
async fn inloggen(
    req: HttpRequest,
    state: web::Data<AppState>,
    provider: web::Path<String>,
    params: Query<InloggenParams>,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .login
        .check(&client_ip(&req, &state.settings.http.vertrouwde_proxies))?;
    let url = login::start(&state, &provider, &params, &trace_id(&req)).await?;
    Ok(redirect(url))
}

/// Terugkeer van de inlogdienst
///
/// Alleen voor de inlogdienst (elke dienst heeft een eigen terugkeeradres). Controleert state,
/// nonce, handtekening, uitgever, publiek, geldigheid en betrouwbaarheidsniveau, en stuurt dan
/// door naar de app met een eenmalige code.
#[utoipa::path(
    tag = "Inloggen",
    operation_id = "inloggenTerugkeer",
    params(
        ("provider" = String, Path, description = "De inlogdienst.", example = "digid"),
        TerugkeerParams
    ),
    responses(
        (status = 302, description = "Door naar de app, met `code` (of `error`) en de `state` van de app.", headers(("Location" = String, description = "Het redirect-adres van de app."))),
        (status = 400, description = "state of code ontbreekt."),
        (status = 401, description = "De inlogpoging is onbekend, verlopen of al afgerond, of het antwoord van de inlogdienst is niet te vertrouwen."),
        (status = 403, description = "Het betrouwbaarheidsniveau is te laag, of een medewerker heeft geen rol."),
        (status = 404, description = "Deze inlogdienst bestaat niet."),
        (status = 429, description = "Te veel inlogpogingen vanaf dit adres."),
        (status = 502, description = "De inlogdienst is niet bereikbaar; er is niets opgeslagen.")
    )
)]
#[get("/inloggen/{provider}/terugkeer")]
async fn terugkeer(
    req: HttpRequest,
    state: web::Data<AppState>,
    provider: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .login
        .check(&client_ip(&req, &state.settings.http.vertrouwde_proxies))?;
    let url = login::finish(&state, &provider, &query, &trace_id(&req)).await?;
    Ok(redirect(url))
}

/// Tokens ophalen of vernieuwen
///
/// OAuth 2.0-token-endpoint. `grant_type=authorization_code` wisselt de eenmalige code uit de
/// redirect in (met `code_verifier` en hetzelfde `redirect_uri`); `grant_type=refresh_token`
/// vernieuwt. Een verversingstoken is eenmalig: bewaar steeds het nieuwe. Fouten zijn
/// problem+json met daarnaast OAuth's `error` en `error_description`.
#[utoipa::path(
    tag = "Inloggen",
    operation_id = "tokenOphalen",
    request_body(content = TokenVerzoek, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "De tokens.", body = TokenAntwoord),
        (status = 400, description = "Ongeldig verzoek (`invalid_request`, `unsupported_grant_type`) of ongeldige code of verversingstoken (`invalid_grant`)."),
        (status = 429, description = "Te veel tokenverzoeken vanaf dit adres.")
    )
)]
#[post("/token")]
async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    state
        .limits
        .token
        .check(&client_ip(&req, &state.settings.http.vertrouwde_proxies))
        .map_err(|e| e.with_oauth("slow_down"))?;
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(ApiError::new(
            ProblemType::MediatypeNietOndersteund,
            "Stuur het tokenverzoek als application/x-www-form-urlencoded (RFC 6749).",
        )
        .with_oauth("invalid_request"));
    }
    let form: TokenVerzoek = serde_urlencoded::from_bytes(&body).map_err(|_| {
        ApiError::invalid(vec![FieldError::body(
            "",
            "form",
            "Het formulier kon niet worden gelezen.",
        )])
        .with_oauth("invalid_request")
    })?;
    let answer: TokenAntwoord = login::token(&state, &form, &trace_id(&req)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::PRAGMA, "no-cache"))
        .json(answer))
}

/// Wie ben ik?
///
/// Wie er is ingelogd, met rollen en betrouwbaarheidsniveau. Een ouder ziet het eigen BSN
/// gemaskeerd; anderen zien nooit een BSN.
#[utoipa::path(
    tag = "Mijn gegevens",
    operation_id = "mijOphalen",
    security(("bearer" = [])),
    responses((status = 200, description = "Uw gegevens.", body = Mij))
)]
#[get("/mij")]
async fn mij(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    let toegang = toegang::beslis(
        &state,
        &principal,
        Actie::ProfielInzien,
        principal.persoon_id,
        "mij",
    )
    .await?;
    let (persoon, bsn) = store::profiel(&state.db, &state.vault, &toegang).await?;
    Ok(HttpResponse::Ok().json(Mij {
        id: persoon.id,
        soort: persoon.soort.as_str().to_string(),
        rollen: principal.roles(),
        naam: persoon.naam,
        bsn: bsn.map(|b| b.masked()),
        registratienummer: persoon.registratienummer,
        betrouwbaarheidsniveau: principal.acr.clone(),
        namens: principal.represents,
    }))
}

/// Uitloggen
///
/// Beëindigt deze sessie: het toegangstoken en alle verversingstokens ervan werken direct niet
/// meer.
#[utoipa::path(
    tag = "Inloggen",
    operation_id = "uitloggen",
    security(("bearer" = [])),
    responses((status = 204, description = "Uitgelogd."))
)]
#[delete("/mij/sessie")]
async fn uitloggen(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    login::logout(&state, &principal).await?;
    Ok(HttpResponse::NoContent().finish())
}
