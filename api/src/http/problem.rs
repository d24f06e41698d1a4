//! RFC 9457 problem details: the one error shape of this API.
//!
//! Handlers return [`ApiError`]. Its response carries the [`Problem`] in the response extensions
//! and no body yet; [`super::finalize`] renders every 4xx/5xx (ours and the framework's) in one
//! place, where the request's trace id is known for `instance`.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, TransactionError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Base of every problem `type` URI; the catalogue is [`ProblemType::ALL`].
pub const PROBLEM_BASE: &str = "https://mijn-herstel.nl/problemen/";

/// Every kind of problem this API returns. `title` is fixed per kind (RFC 9457 §3.1.3);
/// `detail` explains the occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemType {
    OngeldigeInvoer,
    NietGevonden,
    OnbekendAdres,
    MethodeNietToegestaan,
    NietAcceptabel,
    VerzoekLoopt,
    Conflict,
    VersieVerouderd,
    VerzoekTeGroot,
    MediatypeNietOndersteund,
    SleutelHergebruikt,
    VersieVereist,
    TeVeelVerzoeken,
    InterneFout,
    TijdelijkNietBeschikbaar,
    NietIngelogd,
    GeenToegang,
    InloggenMislukt,
    NiveauTeLaag,
    InlogdienstOnbereikbaar,
    OngeldigeToekenning,
    OpnieuwInloggen,
}

impl ProblemType {
    pub const ALL: [ProblemType; 22] = [
        ProblemType::OngeldigeInvoer,
        ProblemType::NietGevonden,
        ProblemType::OnbekendAdres,
        ProblemType::MethodeNietToegestaan,
        ProblemType::NietAcceptabel,
        ProblemType::VerzoekLoopt,
        ProblemType::Conflict,
        ProblemType::VersieVerouderd,
        ProblemType::VerzoekTeGroot,
        ProblemType::MediatypeNietOndersteund,
        ProblemType::SleutelHergebruikt,
        ProblemType::VersieVereist,
        ProblemType::TeVeelVerzoeken,
        ProblemType::InterneFout,
        ProblemType::TijdelijkNietBeschikbaar,
        ProblemType::NietIngelogd,
        ProblemType::GeenToegang,
        ProblemType::InloggenMislukt,
        ProblemType::NiveauTeLaag,
        ProblemType::InlogdienstOnbereikbaar,
        ProblemType::OngeldigeToekenning,
        ProblemType::OpnieuwInloggen,
    ];

    /// Machine-readable code, also the last segment of the `type` URI.
    pub fn code(self) -> &'static str {
        use ProblemType::*;
        match self {
            OngeldigeInvoer => "ongeldige-invoer",
            NietGevonden => "niet-gevonden",
            OnbekendAdres => "onbekend-adres",
            MethodeNietToegestaan => "methode-niet-toegestaan",
            NietAcceptabel => "niet-acceptabel",
            VerzoekLoopt => "verzoek-loopt-nog",
            Conflict => "conflict",
            VersieVerouderd => "versie-verouderd",
            VerzoekTeGroot => "verzoek-te-groot",
            MediatypeNietOndersteund => "mediatype-niet-ondersteund",
            SleutelHergebruikt => "idempotency-key-hergebruikt",
            VersieVereist => "if-match-vereist",
            TeVeelVerzoeken => "te-veel-verzoeken",
            InterneFout => "interne-fout",
            TijdelijkNietBeschikbaar => "tijdelijk-niet-beschikbaar",
            NietIngelogd => "niet-ingelogd",
            GeenToegang => "geen-toegang",
            InloggenMislukt => "inloggen-mislukt",
            NiveauTeLaag => "betrouwbaarheidsniveau-te-laag",
            InlogdienstOnbereikbaar => "inlogdienst-onbereikbaar",
            OngeldigeToekenning => "ongeldige-toekenning",
            OpnieuwInloggen => "opnieuw-inloggen",
        }
    }

    pub fn status(self) -> StatusCode {
        use ProblemType::*;
        match self {
            OngeldigeInvoer => StatusCode::BAD_REQUEST,
            NietGevonden | OnbekendAdres => StatusCode::NOT_FOUND,
            MethodeNietToegestaan => StatusCode::METHOD_NOT_ALLOWED,
            NietAcceptabel => StatusCode::NOT_ACCEPTABLE,
            VerzoekLoopt | Conflict => StatusCode::CONFLICT,
            VersieVerouderd => StatusCode::PRECONDITION_FAILED,
            VerzoekTeGroot => StatusCode::PAYLOAD_TOO_LARGE,
            MediatypeNietOndersteund => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            SleutelHergebruikt => StatusCode::UNPROCESSABLE_ENTITY,
            VersieVereist => StatusCode::PRECONDITION_REQUIRED,
            TeVeelVerzoeken => StatusCode::TOO_MANY_REQUESTS,
            InterneFout => StatusCode::INTERNAL_SERVER_ERROR,
            TijdelijkNietBeschikbaar => StatusCode::SERVICE_UNAVAILABLE,
            NietIngelogd | InloggenMislukt | OpnieuwInloggen => StatusCode::UNAUTHORIZED,
            GeenToegang | NiveauTeLaag => StatusCode::FORBIDDEN,
            InlogdienstOnbereikbaar => StatusCode::BAD_GATEWAY,
            OngeldigeToekenning => StatusCode::BAD_REQUEST,
        }
    }

    pub fn title(self) -> &'static str {
        use ProblemType::*;
        match self {
            OngeldigeInvoer => "Ongeldige invoer",
            NietGevonden => "Niet gevonden",
            OnbekendAdres => "Onbekend adres",
            MethodeNietToegestaan => "Methode niet toegestaan",
            NietAcceptabel => "Gevraagd formaat niet beschikbaar",
            VerzoekLoopt => "Verzoek wordt nog verwerkt",
            Conflict => "Conflict",
            VersieVerouderd => "Verouderde versie",
            VerzoekTeGroot => "Verzoek te groot",
            MediatypeNietOndersteund => "Mediatype niet ondersteund",
            SleutelHergebruikt => "Idempotency-Key hergebruikt",
            VersieVereist => "If-Match vereist",
            TeVeelVerzoeken => "Te veel verzoeken",
            InterneFout => "Interne fout",
            TijdelijkNietBeschikbaar => "Tijdelijk niet beschikbaar",
            NietIngelogd => "Niet ingelogd",
            GeenToegang => "Geen toegang",
            InloggenMislukt => "Inloggen mislukt",
            NiveauTeLaag => "Betrouwbaarheidsniveau te laag",
            InlogdienstOnbereikbaar => "Inlogdienst niet bereikbaar",
            OngeldigeToekenning => "Code of token ongeldig",
            OpnieuwInloggen => "Opnieuw inloggen nodig",
        }
    }

    /// What the problem means for a client, for the documentation of the catalogue.
    pub fn description(self) -> &'static str {
        use ProblemType::*;
        match self {
            OngeldigeInvoer => {
                "De invoer klopt niet. `errors` noemt alle velden of parameters die niet kloppen, tegelijk."
            }
            NietGevonden => "De gevraagde resource bestaat niet, of u heeft er geen toegang toe.",
            OnbekendAdres => {
                "Op dit adres is geen operatie. Let op: adressen eindigen nooit op een schuine streep."
            }
            MethodeNietToegestaan => {
                "Deze HTTP-methode kan hier niet. De header `Allow` noemt wat wel kan."
            }
            NietAcceptabel => "Het formaat in `Accept` kan niet worden geleverd.",
            VerzoekLoopt => {
                "Een eerder verzoek met dezelfde Idempotency-Key wordt nog verwerkt. Probeer het zo opnieuw."
            }
            Conflict => "Het verzoek botst met de huidige toestand van de resource.",
            VersieVerouderd => {
                "De resource is intussen gewijzigd. Haal hem opnieuw op en gebruik de nieuwe ETag in If-Match."
            }
            VerzoekTeGroot => "Het verzoek is groter dan toegestaan.",
            MediatypeNietOndersteund => "Stuur de inhoud als `application/json`.",
            SleutelHergebruikt => {
                "Deze Idempotency-Key is al gebruikt voor een ander verzoek. Gebruik een nieuwe sleutel."
            }
            VersieVereist => {
                "Deze wijziging vraagt de header If-Match met de ETag van de versie die u wijzigt."
            }
            TeVeelVerzoeken => {
                "U doet te veel verzoeken. Wacht het aantal seconden uit `Retry-After`."
            }
            InterneFout => {
                "Er ging bij ons iets mis. Er is niets opgeslagen; probeer het later opnieuw."
            }
            TijdelijkNietBeschikbaar => {
                "De dienst is even druk of niet bereikbaar. Er is niets opgeslagen; probeer het opnieuw na `Retry-After` seconden."
            }
            NietIngelogd => {
                "Dit vraagt een geldig toegangstoken in de header `Authorization: Bearer …`. Het token ontbreekt, is verlopen, of de sessie is beëindigd: vernieuw het token of log opnieuw in."
            }
            GeenToegang => "U bent ingelogd, maar deze functie is niet voor uw rol.",
            InloggenMislukt => {
                "Het inloggen kon niet worden afgerond of het token is niet (meer) geldig. Er is geen sessie gemaakt; begin opnieuw met inloggen. Bij het token-endpoint staan ook `error` en `error_description` (OAuth 2.0)."
            }
            NiveauTeLaag => {
                "U logde in met een lager betrouwbaarheidsniveau dan deze dienst vraagt. Log opnieuw in, bijvoorbeeld met de DigiD-app met ID-check."
            }
            OngeldigeToekenning => {
                "De eenmalige code of het verversingstoken is onbekend, verlopen of al gebruikt, of de PKCE-verifier of redirect-URI klopt niet. Begin opnieuw met inloggen. Ook als OAuth `error` = `invalid_grant`."
            }
            OpnieuwInloggen => {
                "Voor deze stap (zoals akkoord gaan met een aanbod) moet u kort geleden opnieuw zijn ingelogd met DigiD. Log opnieuw in en probeer het dan nog eens; er is niets opgeslagen. De header `WWW-Authenticate` noemt `max_age` in seconden (RFC 9470)."
            }
            InlogdienstOnbereikbaar => {
                "De inlogdienst (bijvoorbeeld DigiD) antwoordt nu niet of niet goed. Er is niets opgeslagen; probeer het over enkele minuten opnieuw."
            }
        }
    }

    pub fn uri(self) -> String {
        format!("{PROBLEM_BASE}{}", self.code())
    }

    /// The kind that belongs to a bare status, for errors the framework raises itself.
    pub fn for_status(status: StatusCode) -> ProblemType {
        ProblemType::ALL
            .into_iter()
            .find(|t| {
                t.status() == status
                    && !matches!(
                        t,
                        ProblemType::OnbekendAdres
                            | ProblemType::VerzoekLoopt
                            | ProblemType::InloggenMislukt
                            | ProblemType::NiveauTeLaag
                            | ProblemType::InlogdienstOnbereikbaar
                            | ProblemType::OngeldigeToekenning
                            | ProblemType::OpnieuwInloggen
                    )
            })
            .unwrap_or(if status.is_client_error() {
                ProblemType::OngeldigeInvoer
            } else {
                ProblemType::InterneFout
            })
    }
}

/// Een foutmelding volgens RFC 9457, verstuurd als `Content-Type: application/problem+json`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "https://mijn-herstel.nl/problemen/ongeldige-invoer",
    "title": "Ongeldige invoer",
    "status": 400,
    "detail": "2 velden kloppen niet.",
    "instance": "urn:uuid:0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "code": "ongeldige-invoer",
    "errors": [
        {"pointer": "#/tekst", "detail": "Dit veld is verplicht.", "code": "required"},
        {"parameter": "pageSize", "detail": "De waarde mag hoogstens 100 zijn.", "code": "maximum"}
    ]
}))]
pub struct Problem {
    /// URI die het soort probleem aanduidt; de laatste padsegment is gelijk aan `code`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// Korte, vaste omschrijving van het soort probleem (Nederlands).
    pub title: String,
    /// De HTTP-statuscode van dit antwoord.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// Uitleg bij dit voorval, bedoeld om het verzoek te kunnen herstellen.
    pub detail: String,
    /// Kenmerk van dit voorval: `urn:uuid:` gevolgd door de trace-id van het verzoek.
    pub instance: String,
    /// Machineleesbare code van het soort probleem.
    pub code: String,
    /// Alle ongeldige velden of parameters tegelijk (alleen bij ongeldige invoer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Alleen bij het token-endpoint: de OAuth 2.0-foutcode (RFC 6749 §5.2), zodat standaard
    /// OAuth-clients de fout begrijpen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "invalid_grant")]
    pub error: Option<String>,
    /// Alleen bij het token-endpoint: de OAuth 2.0-foutomschrijving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// Eén ongeldig veld (`pointer`, een JSON Pointer in de body van het verzoek) of parameter
/// (`parameter`, de naam van een queryparameter of header); precies één van de twee is er.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"pointer": "#/antwoorden/tijdlijn.gezinsleden", "detail": "Het getal mag hoogstens 15 zijn.", "code": "maximum"}))]
pub struct FieldError {
    /// JSON Pointer (RFC 6901, als URI-fragment) naar het veld in de body, bijvoorbeeld `#/tekst`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Naam van de query-parameter of header die niet klopt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Wat er niet klopt, in het Nederlands.
    pub detail: String,
    /// Machineleesbare code, zoals `required`, `type`, `maxLength`.
    pub code: String,
}

impl FieldError {
    /// `path` is a JSON Pointer without the `#` (`/tekst`, or `` for the whole body).
    pub fn body(path: &str, code: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            pointer: Some(format!("#{path}")),
            parameter: None,
            detail: detail.into(),
            code: code.into(),
        }
    }

    pub fn parameter(
        name: impl Into<String>,
        code: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            pointer: None,
            parameter: Some(name.into()),
            detail: detail.into(),
            code: code.into(),
        }
    }
}

/// The error every handler returns. Internal causes are logged, never sent.
#[derive(Debug)]
pub struct ApiError {
    kind: ProblemType,
    detail: String,
    errors: Vec<FieldError>,
    headers: Vec<(HeaderName, HeaderValue)>,
    source: Option<anyhow::Error>,
    // Boxed: rare, and keeps `Result<_, ApiError>` small.
    oauth: Option<Box<(&'static str, String)>>,
}

impl ApiError {
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        ApiError {
            kind,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
            source: None,
            oauth: None,
        }
    }

    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let detail = match errors.len() {
            1 => "1 veld of parameter klopt niet.".to_string(),
            n => format!("{n} velden of parameters kloppen niet."),
        };
        ApiError {
            errors,
            ..ApiError::new(ProblemType::OngeldigeInvoer, detail)
        }
    }

    pub fn not_found() -> Self {
        ApiError::new(
            ProblemType::NietGevonden,
            "Deze resource bestaat niet of u heeft er geen toegang toe.",
        )
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        ApiError {
            source: Some(source.into()),
            ..ApiError::new(
                ProblemType::InterneFout,
                ProblemType::InterneFout.description(),
            )
        }
    }

    pub fn busy() -> Self {
        ApiError::new(
            ProblemType::TijdelijkNietBeschikbaar,
            ProblemType::TijdelijkNietBeschikbaar.description(),
        )
        .with_header(
            actix_web::http::header::RETRY_AFTER,
            HeaderValue::from_static("1"),
        )
    }

    /// Adds OAuth 2.0's `error` / `error_description` (token-endpoint errors).
    pub fn with_oauth(mut self, error: &'static str) -> Self {
        self.oauth = Some(Box::new((error, self.detail.clone())));
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn kind(&self) -> ProblemType {
        self.kind
    }

    pub fn field_errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// The problem without `instance`, which [`super::finalize`] fills in.
    pub fn problem(&self) -> Problem {
        Problem {
            r#type: self.kind.uri(),
            title: self.kind.title().to_string(),
            status: self.kind.status().as_u16(),
            detail: self.detail.clone(),
            instance: String::new(),
            code: self.kind.code().to_string(),
            errors: self.errors.clone(),
            error: self.oauth.as_ref().map(|o| o.0.to_string()),
            error_description: self.oauth.as_ref().map(|o| o.1.clone()),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(source) = &self.source {
            tracing::error!(error = ?source, "interne fout");
        }
        let mut response = HttpResponse::new(self.status_code());
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        response.extensions_mut().insert(self.problem());
        response
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        if crate::db::is_busy(&err) {
            tracing::warn!(error = %err, "database bezet");
            ApiError::busy()
        } else {
            ApiError::internal(err)
        }
    }
}

impl From<TransactionError<ApiError>> for ApiError {
    fn from(err: TransactionError<ApiError>) -> Self {
        match err {
            TransactionError::Connection(db) => db.into(),
            TransactionError::Transaction(api) => api,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_distinct_code_and_an_error_status() {
        let mut codes: Vec<_> = ProblemType::ALL.iter().map(|t| t.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ProblemType::ALL.len());
        assert!(ProblemType::ALL.iter().all(|t| t.status().as_u16() >= 400));
    }

    #[test]
    fn framework_statuses_map_to_their_own_type() {
        assert_eq!(
            ProblemType::for_status(StatusCode::NOT_FOUND),
            ProblemType::NietGevonden
        );
        assert_eq!(
            ProblemType::for_status(StatusCode::CONFLICT),
            ProblemType::Conflict
        );
        assert_eq!(
            ProblemType::for_status(StatusCode::PAYLOAD_TOO_LARGE),
            ProblemType::VerzoekTeGroot
        );
        assert_eq!(
            ProblemType::for_status(StatusCode::IM_A_TEAPOT),
            ProblemType::OngeldigeInvoer
        );
        assert_eq!(
            ProblemType::for_status(StatusCode::BAD_GATEWAY),
            ProblemType::InterneFout
        );
    }

    #[test]
    fn invalid_input_counts_its_fields() {
        let err = ApiError::invalid(vec![
            FieldError::body("/a", "required", "x"),
            FieldError::parameter("page", "minimum", "y"),
        ]);
        let p = err.problem();
        assert_eq!(p.status, 400);
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[0].pointer.as_deref(), Some("#/a"));
        assert!(p.detail.starts_with('2'));
    }
}
