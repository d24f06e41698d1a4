//! Conversations over HTTP.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// Een vorm van gesprek.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "video")]
pub enum Vorm {
    Video,
    Telefoon,
    OpLocatie,
    Thuis,
}

impl Vorm {
    pub fn code(self) -> &'static str {
        match self {
            Vorm::Video => "video",
            Vorm::Telefoon => "telefoon",
            Vorm::OpLocatie => "op-locatie",
            Vorm::Thuis => "thuis",
        }
    }
}

/// Een blok in de week, in Nederlandse tijd.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"dag": "ma", "van": "09:00", "tot": "12:00"}))]
pub struct Weekblok {
    /// ma, di, wo, do, vr, za, zo.
    #[schema(pattern = "^(ma|di|wo|do|vr|za|zo)$")]
    pub dag: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub van: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub tot: String,
}

/// Een dag met andere tijden (leeg: die dag niet beschikbaar).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"datum": "2026-12-24", "blokken": []}))]
pub struct Uitzondering {
    pub datum: NaiveDate,
    pub blokken: Vec<Dagblok>,
}

/// Een tijdblok op een dag, in Nederlandse tijd (`UU:MM`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"van": "13:00", "tot": "15:00"}))]
pub struct Dagblok {
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub van: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub tot: String,
}

/// Een periode waarin de gespreksleider afwezig is (datums, Nederlandse tijd); er worden dan geen
/// gesprekken geboekt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"van": "2026-12-28", "tot": "2027-01-01"}))]
pub struct Afwezigheid {
    pub van: NaiveDate,
    pub tot: NaiveDate,
}

/// Een plek waar een gespreksleider gesprekken houdt (bij de vorm `op-locatie`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "utrecht", "naam": "Kantoor Utrecht", "adres": "Herculesplein 1, 3584 AA Utrecht"}))]
pub struct Locatie {
    /// Kort en vast; hiermee kiest de ouder de plek bij het boeken.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z0-9-]+$")]
    pub code: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub naam: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub adres: String,
}

/// Het rooster van een gespreksleider: wanneer, welke vormen, welke talen.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"vormen": ["video", "telefoon"], "talen": ["nl", "en"],
    "week": [{"dag": "ma", "van": "09:00", "tot": "12:00"}], "uitzonderingen": [], "afwezig": []}))]
pub struct Rooster {
    #[validate(length(min = 1, max = 4))]
    #[schema(min_items = 1, max_items = 4)]
    pub vormen: Vec<Vorm>,
    #[validate(length(min = 1, max = 10))]
    #[schema(min_items = 1, max_items = 10)]
    pub talen: Vec<String>,
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub week: Vec<Weekblok>,
    #[validate(length(max = 200))]
    #[schema(max_items = 200)]
    pub uitzonderingen: Vec<Uitzondering>,
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub afwezig: Vec<Afwezigheid>,
    /// Waar gesprekken `op-locatie` plaatsvinden; nodig zodra die vorm wordt aangeboden.
    #[validate(length(max = 10), nested)]
    #[schema(max_items = 10)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locaties: Vec<Locatie>,
}

/// Een soort gesprek met zijn regels.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"code": "herstelrechtgesprek", "naam": "Herstelrechtgesprek", "duurMin": 90,
    "boekenVooraf": "48 uur", "wijzigenVooraf": "24 uur", "vensterDagen": 60}))]
pub struct Gesprekstype {
    pub code: String,
    pub naam: String,
    pub duur_min: i64,
    /// Zo ver vooraf boekt u minstens.
    pub boeken_vooraf: String,
    /// Zo ver vooraf zegt u af of verzet u minstens.
    pub wijzigen_vooraf: String,
    pub venster_dagen: i64,
}

/// De soorten gesprek die u kunt boeken.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": []}))]
pub struct Gesprekstypen {
    pub resultaten: Vec<Gesprekstype>,
}

/// Vrije tijden opvragen.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct TijdenVraag {
    /// De soort gesprek.
    #[param(example = "herstelrechtgesprek", min_length = 1, max_length = 40)]
    #[validate(length(min = 1, max = 40))]
    pub soort: String,
    #[param(inline, example = "video")]
    pub vorm: Vorm,
    /// Eerste dag (Nederlandse tijd).
    #[param(example = "2026-12-07")]
    pub van: NaiveDate,
    /// Laatste dag, hoogstens 31 dagen na `van`.
    #[param(example = "2026-12-13")]
    pub tot: NaiveDate,
    /// Alleen gespreksleiders die deze taal spreken (taalcode, bijvoorbeeld `nl`, `en`, `tr`).
    #[param(example = "nl", min_length = 1, max_length = 10)]
    #[validate(length(min = 1, max = 10))]
    pub taal: Option<String>,
}

/// Een vrij tijdstip.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"gespreksleider": "0193a6c2-0000-7000-8000-000000000022", "naam": "Ruud Mulder",
    "start": "2026-12-07T08:00:00Z", "eind": "2026-12-07T09:30:00Z", "startLokaal": "2026-12-07T09:00:00+01:00"}))]
pub struct Tijdslot {
    pub gespreksleider: Uuid,
    pub naam: String,
    /// UTC.
    pub start: DateTime<Utc>,
    pub eind: DateTime<Utc>,
    /// Hetzelfde moment in Nederlandse tijd, met de verschuiving.
    pub start_lokaal: String,
    /// Bij `op-locatie`: de plekken van deze gespreksleider (kies er één bij het boeken).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locaties: Vec<Locatie>,
}

/// De vrije tijdsloten waarin u een gesprek kunt boeken.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": []}))]
pub struct Tijdsloten {
    pub resultaten: Vec<Tijdslot>,
}

/// Wat de ouder wil bij het gesprek (alles mag leeg).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"taal": "nl", "begeleider": "mijn zus", "toegankelijkheid": "rolstoel", "onderwerp": "Hoe het met de kinderen ging."}))]
pub struct Voorkeuren {
    #[validate(length(max = 10))]
    #[schema(max_length = 10)]
    pub taal: Option<String>,
    /// Wie er meekomt.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub begeleider: Option<String>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub toegankelijkheid: Option<String>,
    /// Kort: waarover u wilt praten.
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub onderwerp: Option<String>,
}

/// Een gesprek boeken.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"soort": "herstelrechtgesprek", "vorm": "video", "gespreksleider": "0193a6c2-0000-7000-8000-000000000022",
    "start": "2026-12-07T08:00:00Z", "voorkeuren": {"taal": "nl"}}))]
pub struct Boeking {
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40)]
    pub soort: String,
    pub vorm: Vorm,
    pub gespreksleider: Uuid,
    pub start: DateTime<Utc>,
    /// De code van een locatie van de gespreksleider; alleen, en dan verplicht, bij `op-locatie`.
    #[validate(length(min = 1, max = 40))]
    #[schema(
        min_length = 1,
        max_length = 40,
        pattern = "^[a-z0-9-]+$",
        example = "utrecht"
    )]
    pub locatie: Option<String>,
    #[validate(nested)]
    #[serde(default)]
    pub voorkeuren: Voorkeuren,
}

/// Een gesprek.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9c01", "soort": "herstelrechtgesprek", "vorm": "video",
    "gespreksleider": {"id": "0193a6c2-0000-7000-8000-000000000022", "naam": "Ruud Mulder"},
    "start": "2026-12-07T08:00:00Z", "eind": "2026-12-07T09:30:00Z", "startLokaal": "2026-12-07T09:00:00+01:00",
    "status": "geboekt", "voorkeuren": {"taal": "nl"}}))]
pub struct Gesprek {
    pub id: Uuid,
    pub soort: String,
    pub vorm: String,
    pub gespreksleider: Deelnemer,
    pub start: DateTime<Utc>,
    pub eind: DateTime<Utc>,
    pub start_lokaal: String,
    /// geboekt of geannuleerd.
    pub status: String,
    pub voorkeuren: Voorkeuren,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reden: Option<String>,
    /// Wat er na het gesprek is afgesproken (de gespreksleider schrijft het op).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub afspraken: Option<String>,
    /// Waar het gesprek is (alleen bij `op-locatie`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locatie: Option<Locatie>,
}

/// Een gesprek verzetten naar een ander vrij tijdstip van dezelfde gespreksleider.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"start": "2026-12-08T08:00:00Z", "reden": "Ik moet die dag werken."}))]
pub struct Verplaatsing {
    pub start: DateTime<Utc>,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reden: String,
}

/// Een gesprek aan een andere gespreksleider geven (de gespreksleider zelf of een beheerder).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"gespreksleider": "0193a6c2-0000-7000-8000-000000000025", "reden": "Ik ben die week afwezig."}))]
pub struct Toewijzing {
    pub gespreksleider: Uuid,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reden: String,
}

/// Hoe het gesprek ging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "gehouden")]
pub enum Uitkomst {
    Gehouden,
    /// De ouder kwam niet.
    OuderNietVerschenen,
    /// De gespreksleider kwam niet.
    GespreksleiderNietVerschenen,
}

impl Uitkomst {
    pub fn code(self) -> &'static str {
        match self {
            Uitkomst::Gehouden => "gehouden",
            Uitkomst::OuderNietVerschenen => "ouder-niet-verschenen",
            Uitkomst::GespreksleiderNietVerschenen => "gespreksleider-niet-verschenen",
        }
    }
}

/// Na het gesprek (gespreksleider): de uitkomst en eventueel de afspraken — nooit de inhoud.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"uitkomst": "gehouden", "afspraken": "Over drie maanden nog een keer praten."}))]
pub struct Afronding {
    pub uitkomst: Uitkomst,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub afspraken: Option<String>,
}

/// Een deelnemer aan een gesprek: id en naam.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6c2-0000-7000-8000-000000000022", "naam": "Ruud Mulder"}))]
pub struct Deelnemer {
    pub id: Uuid,
    pub naam: String,
}

/// Een pagina gesprekken, met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": [], "paginering": {"page": 1, "pageSize": 20, "totaal": 0, "aantalPaginas": 1}}))]
pub struct Gesprekken {
    pub resultaten: Vec<Gesprek>,
    pub paginering: crate::http::pagination::PaginaInfo,
}

/// Welke gesprekken.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct GesprekkenFilter {
    /// Alleen gesprekken die op of na deze dag (Nederlandse tijd) nog niet voorbij zijn; zonder:
    /// alle, ook voorbije en afgezegde.
    #[param(example = "2026-12-07")]
    pub vanaf: Option<NaiveDate>,
}

/// Afzeggen, met een reden.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reden": "Ik ben ziek."}))]
pub struct Annulering {
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reden: String,
}
