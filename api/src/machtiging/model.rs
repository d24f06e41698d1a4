//! Mandates over HTTP.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::bevoegdheid::{Bevoegdheid, Machtigingsstatus};
use crate::http::pagination::PaginaInfo;

/// Een advocaat uitnodigen als gemachtigde.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"registratienummer": "A-10234", "bevoegdheden": ["aanvraag-inzien", "antwoorden-invullen"], "geldigTot": "2027-06-30"}))]
pub struct Uitnodiging {
    /// Het registratienummer van de advocaat (zie het tableau van de Orde van Advocaten).
    #[schema(min_length = 1, max_length = 40)]
    #[validate(length(min = 1, max = 40))]
    pub registratienummer: String,
    /// Leeg: de standaard (inzien, antwoorden invullen, bewijs toevoegen).
    #[schema(max_items = 8)]
    #[validate(length(max = 8))]
    pub bevoegdheden: Option<Vec<Bevoegdheid>>,
    /// Tot en met deze dag; verplicht, hoogstens het einde van de hersteloperatie.
    pub geldig_tot: NaiveDate,
}

/// Een advocaat vraagt een ouder om een machtiging.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"bsn": "999990111", "bevoegdheden": ["aanvraag-inzien", "antwoorden-invullen"], "geldigTot": "2027-06-30"}))]
pub struct Machtigingsverzoek {
    /// Het BSN van uw cliënt (alleen in deze body, nooit in een URL).
    #[schema(min_length = 9, max_length = 9, pattern = "^[0-9]{9}$")]
    #[validate(length(equal = 9))]
    pub bsn: String,
    #[schema(max_items = 8)]
    #[validate(length(max = 8))]
    pub bevoegdheden: Option<Vec<Bevoegdheid>>,
    pub geldig_tot: NaiveDate,
}

/// Het antwoord op een verzoek: altijd hetzelfde, of de ouder bestaat of niet.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"melding": "Als deze ouder route B gebruikt, ziet die uw verzoek na het inloggen. U ziet de machtiging in uw overzicht zodra de ouder heeft aanvaard."}))]
pub struct VerzoekOntvangen {
    pub melding: String,
}

/// Aanvaarden; de ouder kiest daarbij eventueel de bevoegdheden en einddatum.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"bevoegdheden": ["aanvraag-inzien"], "geldigTot": "2027-03-31"}))]
pub struct Aanvaarding {
    #[schema(max_items = 8)]
    #[validate(length(max = 8))]
    pub bevoegdheden: Option<Vec<Bevoegdheid>>,
    pub geldig_tot: Option<NaiveDate>,
}

/// De bevoegdheden van een machtiging wijzigen (alleen de ouder; werkt meteen).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"bevoegdheden": ["aanvraag-inzien", "indienen"]}))]
pub struct NieuweBevoegdheden {
    #[schema(min_items = 1, max_items = 8)]
    #[validate(length(min = 1, max = 8))]
    pub bevoegdheden: Vec<Bevoegdheid>,
}

/// De andere partij van een machtiging.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "0193a6c2-0000-7000-8000-000000000011", "naam": "mr. Lotte Visser", "kantoor": "Visser Advocaten", "registratienummer": "A-10234"}))]
pub struct Partij {
    pub id: Uuid,
    pub naam: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kantoor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registratienummer: Option<String>,
}

/// Een machtiging.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9b01", "soort": "advocaat", "status": "actief", "uwRol": "ouder",
    "ouder": {"id": "0193a6c2-0000-7000-8000-000000000001", "naam": "Fatima El Amrani"},
    "gemachtigde": {"id": "0193a6c2-0000-7000-8000-000000000011", "naam": "mr. Lotte Visser", "kantoor": "Visser Advocaten", "registratienummer": "A-10234"},
    "bevoegdheden": ["aanvraag-inzien", "antwoorden-invullen"], "gestartDoor": "ouder",
    "geldigTot": "2027-06-30T22:00:00Z", "aangemaaktOp": "2026-12-03T09:00:00Z", "bevestigdOp": "2026-12-03T10:00:00Z"
}))]
pub struct Machtiging {
    pub id: Uuid,
    /// `advocaat` (later ook bewindvoerder, curator, mentor).
    pub soort: String,
    pub status: Machtigingsstatus,
    /// `ouder` of `gemachtigde`: wie u bent in deze machtiging.
    pub uw_rol: String,
    pub ouder: Partij,
    pub gemachtigde: Partij,
    pub bevoegdheden: Vec<Bevoegdheid>,
    /// `ouder` of `gemachtigde`: wie het initiatief nam (de ander bevestigt); `behandelaar` bij
    /// een vertegenwoordiger die de rechter aanwees.
    pub gestart_door: String,
    /// Het kenmerk van de uitspraak (bewindvoerder, curator, mentor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uitspraak: Option<String>,
    pub geldig_tot: DateTime<Utc>,
    pub aangemaakt_op: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bevestigd_op: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beeindigd_op: Option<DateTime<Utc>>,
}

/// Een pagina machtigingen, met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": [], "paginering": {"page": 1, "pageSize": 20, "totaal": 0, "aantalPaginas": 1}}))]
pub struct Machtigingen {
    pub resultaten: Vec<Machtiging>,
    pub paginering: PaginaInfo,
}

/// Een door de rechter aangewezen vertegenwoordiger vastleggen (behandelaar).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"soort": "bewindvoerder", "bsn": "999990123", "naam": "S. Jansen", "uitspraak": "C/16/512345 / FA RK 24-1234", "geldigTot": "2028-12-31"}))]
pub struct Vertegenwoordiger {
    pub soort: SoortVertegenwoordiger,
    /// Het BSN van de vertegenwoordiger (die logt in met DigiD).
    #[schema(min_length = 9, max_length = 9, pattern = "^[0-9]{9}$")]
    #[validate(length(equal = 9))]
    pub bsn: String,
    #[schema(min_length = 1, max_length = 120)]
    #[validate(length(min = 1, max = 120))]
    pub naam: String,
    /// Het kenmerk van de uitspraak van de rechter.
    #[schema(min_length = 1, max_length = 120)]
    #[validate(length(min = 1, max = 120))]
    pub uitspraak: String,
    /// Leeg: alle bevoegdheden (de rechter wees de vertegenwoordiger aan).
    #[schema(max_items = 8)]
    #[validate(length(max = 8))]
    pub bevoegdheden: Option<Vec<Bevoegdheid>>,
    pub geldig_tot: NaiveDate,
}

/// Het soort vertegenwoordiger dat de rechter aanwijst.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "bewindvoerder")]
pub enum SoortVertegenwoordiger {
    Bewindvoerder,
    Curator,
    Mentor,
}

impl SoortVertegenwoordiger {
    pub fn code(self) -> &'static str {
        match self {
            SoortVertegenwoordiger::Bewindvoerder => "bewindvoerder",
            SoortVertegenwoordiger::Curator => "curator",
            SoortVertegenwoordiger::Mentor => "mentor",
        }
    }
}

/// Een toegangstoken om namens een cliënt te werken.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMSJ9.e30.sig", "token_type": "Bearer", "expires_in": 900, "represents": "0193a6c2-0000-7000-8000-000000000001"}))]
pub struct Vertegenwoordiging {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u32,
    /// De ouder namens wie dit token werkt.
    pub represents: Uuid,
}

/// Eén handeling van een gemachtigde, in gewone woorden.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"tijdstip": "2027-03-03T10:12:00Z", "tekst": "mr. Lotte Visser heeft op 3 maart 2027 uw antwoorden bij wonen gewijzigd.", "actie": "aanvraag-wijzigen"}))]
pub struct Handeling {
    pub tijdstip: DateTime<Utc>,
    pub tekst: String,
    pub actie: String,
}

/// Een pagina handelingen die een gemachtigde namens de ouder deed, met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": [], "paginering": {"page": 1, "pageSize": 20, "totaal": 0, "aantalPaginas": 1}}))]
pub struct Handelingen {
    pub resultaten: Vec<Handeling>,
    pub paginering: PaginaInfo,
}

/// Een cliënt op het dashboard van de gemachtigde.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"machtiging": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9b01", "ouder": {"id": "0193a6c2-0000-7000-8000-000000000001", "naam": "Fatima El Amrani"},
    "bevoegdheden": ["aanvraag-inzien"], "geldigTot": "2027-06-30T22:00:00Z", "aanvraag": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "status": "concept", "openVragen": 0, "afspraken": []}))]
pub struct Client {
    pub machtiging: Uuid,
    pub ouder: Partij,
    pub bevoegdheden: Vec<Bevoegdheid>,
    pub geldig_tot: DateTime<Utc>,
    /// De open aanvraag, als de ouder die heeft en u haar mag inzien.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aanvraag: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub open_vragen: u32,
    /// Het begin (UTC) van komende herstelrechtgesprekken, als u gesprekken mag plannen.
    pub afspraken: Vec<String>,
}

/// Een pagina cliënten van de advocaat, met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": [], "paginering": {"page": 1, "pageSize": 20, "totaal": 0, "aantalPaginas": 1}}))]
pub struct Clienten {
    pub resultaten: Vec<Client>,
    pub paginering: PaginaInfo,
}

/// Filter op de status van de aanvraag van de cliënt.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct ClientFilter {
    /// Alleen cliënten met een aanvraag in deze status.
    #[param(example = "concept", max_length = 30)]
    #[validate(length(max = 30))]
    pub status: Option<String>,
}

/// Het kantoor van de advocaat.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kantoor": "Visser Advocaten"}))]
pub struct Kantoor {
    #[schema(min_length = 1, max_length = 120)]
    #[validate(length(min = 1, max = 120))]
    pub kantoor: String,
}
