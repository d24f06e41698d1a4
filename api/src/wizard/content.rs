//! The content as written in `wizard-content/<versie>/`: the questionnaire (`vragenlijst.yaml`)
//! and the damage framework (`schadekader.yaml`). These types mirror the YAML; [`super::check`]
//! validates them and [`super::Inhoud`] is the checked, compiled form the engine uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A text in Dutch and English. Both are optional here so that a missing translation is a
/// precise content-check message, not a parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tekst {
    #[serde(default)]
    pub nl: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

impl Tekst {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Tekst {
        Tekst {
            nl: Some(nl.into()),
            en: Some(en.into()),
        }
    }

    pub fn nl(&self) -> &str {
        self.nl.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Vragenlijst {
    pub versie: String,
    pub vastgesteld: bool,
    pub bron: String,
    pub stappen: Vec<Stap>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Stap {
    pub id: String,
    pub titel: Tekst,
    #[serde(default)]
    pub uitleg: Option<Tekst>,
    #[serde(default)]
    pub toon_als: Option<Value>,
    pub vragen: Vec<Vraag>,
}

/// The kind of answer a question takes, and so its type in expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VraagType {
    JaNee,
    Keuze,
    Meerkeuze,
    /// `YYYY-MM-DD`.
    Datum,
    Jaar,
    Getal,
    /// Euro cents, never negative.
    Bedrag,
    Tekst,
    /// A list of records with the fields in `velden` (e.g. the toeslagjaren).
    Lijst,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Vraag {
    pub id: String,
    #[serde(rename = "type")]
    pub soort: VraagType,
    pub tekst: Tekst,
    #[serde(default)]
    pub hulp: Option<Tekst>,
    /// Why a sensitive question is asked.
    #[serde(default)]
    pub waarom: Option<Tekst>,
    #[serde(default)]
    pub verplicht: bool,
    #[serde(default)]
    pub verplicht_als: Option<Value>,
    #[serde(default)]
    pub toon_als: Option<Value>,
    #[serde(default)]
    pub opties: Vec<Optie>,
    /// Lower bound: a number, or a date for `datum`.
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
    #[serde(default)]
    pub max_lengte: Option<u32>,
    #[serde(default)]
    pub max_aantal: Option<u32>,
    #[serde(default)]
    pub velden: Vec<Veld>,
    #[serde(default)]
    pub regels: Vec<Regel>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Optie {
    pub waarde: String,
    pub tekst: Tekst,
}

/// A field of a `lijst` record.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Veld {
    pub id: String,
    #[serde(rename = "type")]
    pub soort: VraagType,
    #[serde(default)]
    pub verplicht: bool,
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
    pub tekst: Tekst,
}

/// A validation rule: `moet` must hold once the question is answered.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regel {
    pub moet: Value,
    pub melding: Tekst,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Schadekader {
    pub versie: String,
    pub vastgesteld: bool,
    pub bron: String,
    /// Net framework amounts against the IB compensation (policy setting, default off).
    #[serde(default)]
    pub verrekening: bool,
    /// The question holding the start of the parent's problems.
    pub probleemstart: String,
    pub indicator: Indicator,
    #[serde(default)]
    pub statussen: BTreeMap<String, Tekst>,
    pub posten: Vec<Post>,
}

/// The indicator rule's thresholds (DAMAGE-FRAMEWORK §3): content, not code.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Indicator {
    /// The `lijst` question with the toeslagjaren.
    pub toeslagjaren: String,
    pub max_jaren: u32,
    /// Cents repaid per year below which a year counts as low impact.
    pub drempel_terugbetaald: i64,
    pub hersteld_binnen_maanden: u32,
    /// Share of the amount shown while substantiation is needed.
    pub aandeel_procent: u32,
    pub uitleg: Tekst,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Post {
    pub id: String,
    pub naam: Tekst,
    pub omschrijving: Tekst,
    pub leefgebied: String,
    pub soort: String,
    pub voorwaarde: Value,
    /// The question with the date of the event (for `na-probleemstart`).
    #[serde(default)]
    pub gebeurtenisdatum: Option<String>,
    #[serde(default)]
    pub na_probleemstart: bool,
    #[serde(default)]
    pub indicatorgevoelig: bool,
    #[serde(default)]
    pub groep: Option<String>,
    #[serde(default)]
    pub maatwerk_mogelijk: bool,
    #[serde(default)]
    pub bedrag: Option<BedragRegel>,
    pub bewijs: Tekst,
    #[serde(default)]
    pub gegevensbronnen: Vec<String>,
}

/// The amount types of DAMAGE-FRAMEWORK §2, in cents. Written in YAML as a mapping with exactly
/// one of `vast`, `per-jaar`, `per-persoon`, `klasse`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "BedragVorm")]
pub enum BedragRegel {
    Vast(i64),
    PerJaar(PerJaar),
    PerPersoon(PerPersoon),
    Klasse(Klassen),
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct BedragVorm {
    vast: Option<i64>,
    per_jaar: Option<PerJaar>,
    per_persoon: Option<PerPersoon>,
    klasse: Option<Klassen>,
}

impl TryFrom<BedragVorm> for BedragRegel {
    type Error = String;

    fn try_from(v: BedragVorm) -> Result<Self, String> {
        match (v.vast, v.per_jaar, v.per_persoon, v.klasse) {
            (Some(b), None, None, None) => Ok(BedragRegel::Vast(b)),
            (None, Some(a), None, None) => Ok(BedragRegel::PerJaar(a)),
            (None, None, Some(a), None) => Ok(BedragRegel::PerPersoon(a)),
            (None, None, None, Some(k)) => Ok(BedragRegel::Klasse(k)),
            _ => Err("bedrag heeft precies één van: vast, per-jaar, per-persoon, klasse".into()),
        }
    }
}

/// `bedrag` per year of the duration in question `jaren`, capped at `maximum`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerJaar {
    pub bedrag: i64,
    pub jaren: String,
    pub maximum: i64,
}

/// `bedrag` per person counted in question `aantal`, capped at `maximum`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPersoon {
    pub bedrag: i64,
    pub aantal: String,
    pub maximum: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Klassen {
    pub vraag: String,
    pub klassen: BTreeMap<String, i64>,
}

impl BedragRegel {
    /// The question the amount depends on, if any.
    pub fn vraag(&self) -> Option<&str> {
        match self {
            BedragRegel::Vast(_) => None,
            BedragRegel::PerJaar(a) => Some(&a.jaren),
            BedragRegel::PerPersoon(a) => Some(&a.aantal),
            BedragRegel::Klasse(k) => Some(&k.vraag),
        }
    }
}

pub const LEEFGEBIEDEN: [&str; 9] = [
    "wonen",
    "werk-inkomen",
    "schulden",
    "gezin",
    "gezondheid",
    "opleiding",
    "bezittingen",
    "kosten",
    "immaterieel",
];

pub const STATUSSEN: [&str; 4] = [
    "toegekend",
    "onderbouwing-nodig",
    "niet-van-toepassing",
    "uitgesloten",
];
