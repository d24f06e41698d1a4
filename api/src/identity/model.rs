//! Request and response types of login, tokens and "who am I".

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

/// The app's hand-off data (RFC 8252): where to return, and its own PKCE challenge.
#[derive(Debug, Clone, Deserialize, IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct InloggenParams {
    /// Waar de app de eenmalige code ontvangt: exact een adres van de toegestane lijst
    /// (claimed https-link van de app).
    #[param(
        max_length = 500,
        example = "https://app.mijn-herstel.example/inloggen/klaar"
    )]
    pub redirect_uri: String,
    /// De PKCE-challenge van de app: BASE64URL(SHA-256(code_verifier)), 43 tekens.
    #[param(
        min_length = 43,
        max_length = 128,
        pattern = "^[A-Za-z0-9._~-]{43,128}$",
        example = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )]
    pub code_challenge: String,
    /// Alleen `S256` (`plain` wordt geweigerd).
    #[param(pattern = "^S256$", example = "S256")]
    pub code_challenge_method: Option<String>,
    /// Een waarde van de app die ongewijzigd terugkomt bij de redirect.
    #[param(max_length = 500, example = "b1f3c2")]
    pub state: Option<String>,
}

/// What a provider sends back to its callback (OAuth 2.0 names).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TerugkeerParams {
    /// De code van de inlogdienst.
    pub code: Option<String>,
    /// De state van deze inlogpoging (verplicht: zonder state volgt 400).
    #[param(required = true, min_length = 1)]
    pub state: Option<String>,
    /// Een foutcode van de inlogdienst, bijvoorbeeld `access_denied`.
    pub error: Option<String>,
}

/// Tokenverzoek, `application/x-www-form-urlencoded` (RFC 6749 §4.1.3 en §6). De veldnamen zijn
/// die van OAuth, zodat gangbare OAuth-bibliotheken zonder aanpassing werken.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[schema(example = json!({
    "grant_type": "authorization_code",
    "code": "qL0pYw2b9V3sX8cJ4mN6tR1uE5oA7iK2gH0fD3sB9zQ",
    "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    "redirect_uri": "https://app.mijn-herstel.example/inloggen/klaar"
}))]
pub struct TokenVerzoek {
    /// `authorization_code` of `refresh_token`.
    #[schema(example = "authorization_code")]
    pub grant_type: Option<String>,
    /// De eenmalige code uit de redirect (bij `authorization_code`).
    pub code: Option<String>,
    /// De PKCE-verifier van de app (bij `authorization_code`).
    pub code_verifier: Option<String>,
    /// Hetzelfde adres als bij het starten van de inlog (bij `authorization_code`).
    pub redirect_uri: Option<String>,
    /// Het verversingstoken (bij `refresh_token`); het is eenmalig bruikbaar.
    pub refresh_token: Option<String>,
    /// Genegeerd: de app is een publieke client, PKCE bindt de code aan de app.
    pub client_id: Option<String>,
}

/// Our tokens (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMSIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiIwMTkzYTZjMi0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDEifQ.c2lnbmF0dXVy",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "c4Yt7nq2ZK0r8bW1xJ5mP3vL6hD9sF2gA0uE4oI7kQw"
}))]
pub struct TokenAntwoord {
    /// Toegangstoken (JWT, ES256), mee te sturen als `Authorization: Bearer …`.
    pub access_token: String,
    /// Altijd `Bearer`.
    pub token_type: String,
    /// Geldigheid van het toegangstoken in seconden (hoogstens 900).
    pub expires_in: u32,
    /// Verversingstoken: eenmalig bruikbaar; elk gebruik levert een nieuw. Hergebruik van een
    /// oud token beëindigt de hele sessie.
    pub refresh_token: String,
}

/// Who is logged in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-0000-7000-8000-000000000001",
    "soort": "ouder",
    "rollen": ["ouder"],
    "naam": "Fatima El Amrani",
    "bsn": "******653",
    "betrouwbaarheidsniveau": "http://eidas.europa.eu/LoA/substantial"
}))]
pub struct Mij {
    /// Uw kenmerk in Mijn Herstel (geen BSN).
    pub id: Uuid,
    /// `ouder`, `advocaat` of `medewerker`.
    pub soort: String,
    /// Uw rollen: ouder, advocaat, gemachtigde, behandelaar, gespreksleider, beheerder.
    pub rollen: Vec<String>,
    pub naam: String,
    /// Alleen voor een ouder zelf, gemaskeerd: alleen de laatste drie cijfers van het eigen BSN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bsn: Option<String>,
    /// Registratienummer bij de Orde van Advocaten (alleen advocaten).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registratienummer: Option<String>,
    /// Het betrouwbaarheidsniveau waarmee u inlogde.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betrouwbaarheidsniveau: Option<String>,
    /// Als gemachtigde: het kenmerk van de ouder voor wie u handelt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namens: Option<Uuid>,
}
