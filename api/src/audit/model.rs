//! What a person sees of their own trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::pagination::PaginaInfo;

/// Eén regel uit het logboek over u.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "tijdstip": "2026-11-23T09:41:12.512Z",
    "actie": "profiel-inzien",
    "resource": "mij",
    "uitkomst": "toegestaan",
    "door": "uzelf",
    "traceId": "4bf92f3577b34da6a3ce929d0e0e4736"
}))]
pub struct Logregel {
    pub id: Uuid,
    /// Wanneer (UTC).
    pub tijdstip: DateTime<Utc>,
    /// Wat er gebeurde, bijvoorbeeld `inloggen`, `profiel-inzien`, `token-vernieuwen`.
    pub actie: String,
    /// Waarop.
    pub resource: String,
    /// `toegestaan`, `geweigerd`, `gelukt` of `mislukt`.
    pub uitkomst: String,
    /// Wie: `uzelf`, `advocaat`, `medewerker` of `onbekend`.
    pub door: String,
    /// Kenmerk om deze handeling terug te vinden (bijvoorbeeld bij een vraag of klacht).
    pub trace_id: String,
}

/// Eén pagina van uw logboek, nieuwste eerst.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": [{"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "tijdstip": "2026-11-23T09:41:12.512Z",
    "actie": "profiel-inzien", "resource": "mij", "uitkomst": "toegestaan", "door": "uzelf", "traceId": "4bf92f3577b34da6a3ce929d0e0e4736"}],
    "paginering": {"page": 1, "pageSize": 20, "totaal": 1, "aantalPaginas": 1}}))]
pub struct Logboek {
    pub resultaten: Vec<Logregel>,
    pub paginering: PaginaInfo,
}
