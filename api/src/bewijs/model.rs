//! Evidence over HTTP.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::soort::Bestandssoort;

/// Een bewijsstuk bij een aanvraag.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a55",
    "betreft": "verlies-huurwoning",
    "bestandsnaam": "vonnis-ontruiming.pdf",
    "soort": "pdf",
    "mediatype": "application/pdf",
    "grootte": 482113,
    "sha256": "9f2c1a0e5b7d4c3e8a6f1b2d0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e",
    "scan": "schoon",
    "geuploadOp": "2026-12-02T15:00:00Z",
    "inhoud": "/v1/aanvragen/0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87/bewijsstukken/0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a55/inhoud"
}))]
pub struct Bewijsstuk {
    pub id: Uuid,
    /// De id van de schadepost waar het bewijs bij hoort (leeg: de hele aanvraag).
    pub betreft: Option<String>,
    /// Een veilige versie van de naam die u het bestand gaf.
    pub bestandsnaam: String,
    /// Vastgesteld aan de inhoud, niet aan de naam.
    pub soort: Bestandssoort,
    pub mediatype: String,
    /// In bytes.
    pub grootte: i64,
    /// SHA-256 van de inhoud (hex): zo ziet u dat het bestand heel is aangekomen.
    pub sha256: String,
    /// `schoon` (gescand), of `niet-gescand` (alleen in ontwikkeling).
    pub scan: String,
    pub geupload_op: DateTime<Utc>,
    /// Waar u de inhoud ophaalt.
    pub inhoud: String,
}

/// De bewijsstukken bij een aanvraag.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": []}))]
pub struct Bewijsstukken {
    pub resultaten: Vec<Bewijsstuk>,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct UploadParams {
    /// De id van de schadepost waar het bewijs bij hoort (leeg: de hele aanvraag).
    #[param(example = "verlies-huurwoning", max_length = 80)]
    #[validate(length(max = 80))]
    pub betreft: Option<String>,
}

/// De inhoud van een bestand (binair): de ruwe bytes als body, met het mediatype van het bestand
/// als Content-Type.
// OpenAPI 3.1 describes raw bytes with `contentMediaType`; `format: binary` is the 3.0 idiom that
// generators such as openapi-typescript read as a plain text string.
#[derive(Debug, Clone, ToSchema)]
#[schema(
    value_type = String,
    content_media_type = "application/octet-stream",
    example = "%PDF-1.7 …"
)]
pub struct Bestand(pub Vec<u8>);
