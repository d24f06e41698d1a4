//! Request and response types of submission, withdrawal and the status timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::levensloop::Status;
use super::model::Vertaald;

/// Indienen: de ouder verklaart dat de antwoorden juist en volledig zijn.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"verklaringNaarWaarheid": true}))]
pub struct IndieningVerzoek {
    /// "Ik verklaar dat ik alles naar waarheid heb ingevuld." Moet `true` zijn.
    pub verklaring_naar_waarheid: bool,
}

/// De ingediende aanvraag: haar referentie en de berekening zoals die bij het indienen vastlag.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "aanvraag": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "referentie": "MH-7KQ4-X2MB",
    "status": "ingediend",
    "ingediendOp": "2026-12-02T15:30:00Z",
    "totaal": 3850000,
    "kaderversie": "2026.1",
    "invoerHash": "9f2c4e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"
}))]
pub struct Indiening {
    pub aanvraag: uuid::Uuid,
    /// Het kenmerk voor brieven en telefoon: niet te raden, zonder verwarrende tekens.
    pub referentie: String,
    pub status: Status,
    pub ingediend_op: DateTime<Utc>,
    /// Het totaal van de toegekende posten bij indienen, in centen.
    pub totaal: i64,
    pub kaderversie: String,
    /// SHA-256 van inhoud en antwoorden: bewijst op welke invoer de berekening rust.
    pub invoer_hash: String,
}

/// Een aanvraag intrekken, eventueel met de reden.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"reden": "Ik wil eerst met mijn advocaat praten."}))]
pub struct IntrekkingVerzoek {
    /// Waarom (mag leeg blijven).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reden: Option<String>,
}

/// Waar de aanvraag staat en hoe zij daar kwam.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "status": "ingediend",
    "referentie": "MH-7KQ4-X2MB",
    "betekenis": {"nl": "Wij hebben uw aanvraag ontvangen. U kunt niets meer wijzigen.", "en": "We have received your application. You can no longer change it."},
    "volgendeStap": {"nl": "Een behandelaar neemt uw aanvraag in behandeling. U krijgt bericht als dat gebeurt.", "en": "A case handler will take up your application. You will hear from us when that happens."},
    "aanZet": "behandelaar",
    "verwachteDuurDagen": 14,
    "overgangen": [
        {"van": null, "naar": "concept", "op": "2026-11-20T10:00:00Z", "door": "ouder", "reden": null},
        {"van": "concept", "naar": "ingediend", "op": "2026-12-02T15:30:00Z", "door": "ouder", "reden": null}
    ],
    "indienenUiterlijk": null,
    "openVragen": 0,
    "betalingen": []
}))]
pub struct Tijdlijn {
    pub status: Status,
    pub referentie: Option<String>,
    /// Wat deze status voor u betekent.
    pub betekenis: Vertaald,
    /// Wat er nu gebeurt.
    pub volgende_stap: Vertaald,
    /// Wie nu iets moet doen: `ouder`, `behandelaar`, `commissie` of `niemand`.
    pub aan_zet: String,
    /// Hoe lang deze stap meestal duurt, in dagen (als dat bekend is).
    pub verwachte_duur_dagen: Option<u32>,
    pub overgangen: Vec<Overgang>,
    /// Zolang de aanvraag een concept is: de laatste dag om haar in te dienen (Nederlandse tijd).
    pub indienen_uiterlijk: Option<chrono::NaiveDate>,
    /// Vragen van de behandelaar die op uw antwoord wachten.
    pub open_vragen: u32,
    /// Na akkoord: hoe ver de uitbetaling is.
    pub betalingen: Vec<super::afwikkeling_model::Betaling>,
}

/// Een statuswijziging in de tijdlijn: van, naar, wanneer, door welke rol en eventueel waarom.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"van": "concept", "naar": "ingediend", "op": "2026-12-02T15:30:00Z", "door": "ouder", "reden": null}))]
pub struct Overgang {
    pub van: Option<Status>,
    pub naar: Status,
    pub op: DateTime<Utc>,
    /// Wie het deed, als rol.
    pub door: String,
    pub reden: Option<String>,
}

/// Een ingediende aanvraag in de wachtrij van de behandelaar: geen persoonsgegevens, alleen wat
/// nodig is om te kiezen.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "aanvraag": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "referentie": "MH-7KQ4-X2MB",
    "status": "in-behandeling",
    "ingediendOp": "2026-12-02T15:30:00Z",
    "totaal": 3850000,
    "behandelaar": "0193a6c2-0000-7000-8000-000000000021",
    "urgent": true,
    "lageImpact": false
}))]
pub struct Wachtrijregel {
    pub aanvraag: uuid::Uuid,
    pub referentie: String,
    pub status: Status,
    pub ingediend_op: DateTime<Utc>,
    /// Het totaal bij indienen, in centen.
    pub totaal: i64,
    /// De toegewezen behandelaar (leeg: nog niemand).
    pub behandelaar: Option<uuid::Uuid>,
    pub urgent: bool,
    /// De indicatorregel gold bij indienen: posten wachten op onderbouwing en een besluit.
    pub lage_impact: bool,
}

/// Een pagina van de wachtrij van ingediende aanvragen, urgente eerst, met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "resultaten": [{"aanvraag": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "referentie": "MH-7KQ4-X2MB", "status": "ingediend", "ingediendOp": "2026-12-02T15:30:00Z", "totaal": 3850000, "behandelaar": null, "urgent": false, "lageImpact": true}],
    "paginering": {"page": 1, "pageSize": 20, "totaal": 1, "aantalPaginas": 1}
}))]
pub struct Wachtrij {
    pub resultaten: Vec<Wachtrijregel>,
    pub paginering: crate::http::pagination::PaginaInfo,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct WachtrijFilter {
    /// Alleen aanvragen met deze status.
    #[param(inline, example = "ingediend")]
    pub status: Option<Status>,
    /// Alleen urgente (`true`) of niet-urgente (`false`) aanvragen.
    #[param(example = true)]
    pub urgent: Option<bool>,
    /// `mij`: aan mij toegewezen; `niemand`: nog niet toegewezen.
    #[param(inline, example = "niemand")]
    pub toegewezen: Option<Toegewezen>,
    /// Alleen aanvragen waarbij de indicatorregel gold (`true`) of niet (`false`).
    #[param(example = true)]
    pub lage_impact: Option<bool>,
    /// Alleen aanvragen van ouders met (`true`) of zonder (`false`) een actieve gemachtigde.
    #[param(example = true)]
    pub met_gemachtigde: Option<bool>,
    /// Alleen aanvragen die vóór deze datum zijn ingediend (ouder dan).
    #[param(example = "2026-11-01")]
    pub ingediend_voor: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "mij")]
pub enum Toegewezen {
    Mij,
    Niemand,
}

/// Zoeken op referentie (in de body: de referentie wordt aan de telefoon genoemd en hoort niet in
/// een URL).
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"referentie": "MH-7KQ4-X2MB"}))]
pub struct ReferentieZoekvraag {
    #[validate(length(min = 12, max = 12))]
    #[schema(
        min_length = 12,
        max_length = 12,
        pattern = "^[Mm][Hh]-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}$"
    )]
    pub referentie: String,
}

/// Een aanvraag toewijzen aan een behandelaar (leeg: aan uzelf).
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"behandelaar": "0193a6c2-0000-7000-8000-000000000021"}))]
pub struct ToewijzingVerzoek {
    /// Aan wie; leeg: aan uzelf.
    pub behandelaar: Option<uuid::Uuid>,
}

/// Een aanvraag wel of niet urgent maken, eventueel met een interne reden.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"urgent": true, "reden": "Het gezin is de grip op het leven kwijt."}))]
pub struct UrgentieVerzoek {
    pub urgent: bool,
    /// Waarom (intern).
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reden: Option<String>,
}

/// Een interne notitie van een behandelaar (niet zichtbaar in de app; wel onderdeel van de inzage
/// van de ouder).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "door": "0193a6c2-0000-7000-8000-000000000021", "tekst": "Gebeld met de ouder; bewijs van de verhuizing volgt.", "op": "2026-12-02T15:30:00Z"}))]
pub struct Notitie {
    pub id: uuid::Uuid,
    pub door: uuid::Uuid,
    pub tekst: String,
    pub op: DateTime<Utc>,
}

/// De interne notities bij een aanvraag, oudste eerst.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": [{"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "door": "0193a6c2-0000-7000-8000-000000000021", "tekst": "Gebeld met de ouder; bewijs van de verhuizing volgt.", "op": "2026-12-02T15:30:00Z"}]}))]
pub struct Notities {
    /// Oudste eerst.
    pub resultaten: Vec<Notitie>,
}

/// Een nieuwe interne notitie van de behandelaar.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"tekst": "Gebeld met de ouder; bewijs van de verhuizing volgt."}))]
pub struct NieuweNotitie {
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub tekst: String,
}
