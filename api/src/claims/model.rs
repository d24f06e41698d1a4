//! Request and response types of the questionnaire and the claim (camelCase, not the YAML's own
//! keys), each with an example.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::http::pagination::PaginaInfo;
use crate::wizard::content::Tekst;

/// Een tekst in het Nederlands en het Engels.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[schema(example = json!({"nl": "Wonen", "en": "Housing"}))]
pub struct Vertaald {
    pub nl: String,
    pub en: String,
}

impl From<&Tekst> for Vertaald {
    fn from(t: &Tekst) -> Self {
        Vertaald {
            nl: t.nl.clone().unwrap_or_default(),
            en: t.en.clone().unwrap_or_default(),
        }
    }
}

/// De vragenlijst van één inhoudsversie, om te tonen.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "versie": "2026.1", "vastgesteld": false,
    "bron": "Illustratieve vragenlijst en bedragen; niet het officiële schadekader.",
    "stappen": [{"id": "wonen", "titel": {"nl": "Wonen", "en": "Housing"},
        "toonAls": {"==": [{"var": "start.erkend"}, true]},
        "vragen": [{"id": "wonen.geraakt", "type": "ja-nee", "verplicht": true,
            "tekst": {"nl": "Had de affaire gevolgen voor uw woning?", "en": "Did the affair affect your home?"},
            "hulp": {"nl": "Bijvoorbeeld: u moest verhuizen.", "en": "For example: you had to move."},
            "opties": [], "velden": [], "regels": []}]}],
    "schadekader": [{"id": "verlies-huurwoning", "naam": {"nl": "Verlies van uw huurwoning", "en": "Loss of your rented home"},
        "omschrijving": {"nl": "U raakte uw huurwoning kwijt.", "en": "You lost your rented home."},
        "leefgebied": "wonen", "soort": "materieel", "maatwerkMogelijk": true,
        "bewijs": {"nl": "Het vonnis.", "en": "The judgment."}, "gegevensbronnen": ["brp"]}]
}))]
pub struct VragenlijstDoc {
    pub versie: String,
    /// `false` zolang de bedragen illustratief zijn: toon ze dan nooit als officieel.
    pub vastgesteld: bool,
    pub bron: String,
    pub stappen: Vec<StapDoc>,
    /// De schadeposten van het schadekader van deze versie.
    pub schadekader: Vec<PostDoc>,
}

/// Een stap van de vragenlijst: titel, uitleg, wanneer zij zichtbaar is en haar vragen.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "wonen", "titel": {"nl": "Wonen", "en": "Housing"}, "toonAls": {"in": ["wonen", {"var": "tijdlijn.leefgebieden"}]}, "vragen": []}))]
pub struct StapDoc {
    pub id: String,
    pub titel: Vertaald,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uitleg: Option<Vertaald>,
    /// JSONLogic over eerdere antwoorden; ontbreekt: altijd zichtbaar.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::HashMap<String, serde_json::Value>>, additional_properties)]
    pub toon_als: Option<Value>,
    pub vragen: Vec<VraagDoc>,
}

/// Een vraag van de vragenlijst: type, teksten, of zij verplicht en zichtbaar is, opties, grenzen
/// en velden.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "wonen.verlies-soort", "type": "keuze", "tekst": {"nl": "Raakte u uw woning kwijt?", "en": "Did you lose your home?"}, "hulp": {"nl": "Kies wat het best past.", "en": "Choose what fits best."}, "verplicht": true, "toonAls": {"==": [{"var": "wonen.geraakt"}, true]}, "opties": [{"waarde": "geen", "tekst": {"nl": "Nee", "en": "No"}}, {"waarde": "huurwoning", "tekst": {"nl": "Ja, mijn huurwoning", "en": "Yes, my rented home"}}], "velden": [], "regels": []}))]
pub struct VraagDoc {
    /// `<stap>.<naam>`: de sleutel in `antwoorden`.
    pub id: String,
    /// ja-nee, keuze, meerkeuze, datum, jaar, getal, bedrag (centen), tekst of lijst.
    #[serde(rename = "type")]
    pub soort: String,
    pub tekst: Vertaald,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hulp: Option<Vertaald>,
    /// Waarom een gevoelige vraag gesteld wordt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waarom: Option<Vertaald>,
    pub verplicht: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::HashMap<String, serde_json::Value>>, additional_properties)]
    pub verplicht_als: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::HashMap<String, serde_json::Value>>, additional_properties)]
    pub toon_als: Option<Value>,
    pub opties: Vec<OptieDoc>,
    /// Ondergrens: een getal (getal, jaar, bedrag in centen) of een datum `JJJJ-MM-DD` (datum).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    /// Bovengrens, als `min`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_lengte: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_aantal: Option<u32>,
    /// Alleen bij type lijst: de velden van een regel.
    pub velden: Vec<VeldDoc>,
    /// Controles op het antwoord, met de melding als ze niet gelden.
    pub regels: Vec<RegelDoc>,
}

/// Een antwoordmogelijkheid bij een keuzevraag: de waarde die u stuurt en de tekst die u toont.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"waarde": "huurwoning", "tekst": {"nl": "Ja, mijn huurwoning", "en": "Yes, my rented home"}}))]
pub struct OptieDoc {
    pub waarde: String,
    pub tekst: Vertaald,
}

/// Een veld van een lijstvraag: elk item van het antwoord heeft deze velden.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "terugbetaald", "type": "bedrag", "verplicht": true, "tekst": {"nl": "Wat u echt terugbetaalde", "en": "What you actually repaid"}}))]
pub struct VeldDoc {
    pub id: String,
    #[serde(rename = "type")]
    pub soort: String,
    pub verplicht: bool,
    pub tekst: Vertaald,
}

/// Een controle over de antwoorden van een stap: een JSONLogic-regel die waar moet zijn, en de
/// melding als dat niet zo is.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"moet": {"==": [{"var": "start.erkend"}, true]}, "melding": {"nl": "Route B is alleen voor erkende ouders.", "en": "Route B is only for recognised parents."}}))]
pub struct RegelDoc {
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, additional_properties)]
    pub moet: Value,
    pub melding: Vertaald,
}

/// Een schadepost uit het schadekader, om te tonen: naam, omschrijving, leefgebied, welk bewijs
/// helpt en uit welke bronnen gegevens komen.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "verlies-huurwoning", "naam": {"nl": "Verlies van uw huurwoning", "en": "Loss of your rented home"}, "omschrijving": {"nl": "U raakte uw huurwoning kwijt.", "en": "You lost your rented home."}, "leefgebied": "wonen", "soort": "materieel", "maatwerkMogelijk": true, "bewijs": {"nl": "Het vonnis.", "en": "The judgment."}, "gegevensbronnen": ["brp"]}))]
pub struct PostDoc {
    pub id: String,
    pub naam: Vertaald,
    pub omschrijving: Vertaald,
    pub leefgebied: String,
    /// materieel of immaterieel.
    pub soort: String,
    pub maatwerk_mogelijk: bool,
    pub bewijs: Vertaald,
    pub gegevensbronnen: Vec<String>,
}

/// Een antwoord uit een opgehaald gegeven.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"bron": "uht", "waarde": "2012-03-01"}))]
pub struct OpgehaaldAntwoord {
    /// `uht`, `brp`, …; `toestemmingen` en `oordelen` voor de vragen over gegevens zelf.
    pub bron: String,
    /// Het antwoord, in de vorm die de vraag vraagt.
    pub waarde: Value,
}

/// Een aanvraag zoals de ouder eraan werkt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "status": "concept", "inhoudVersie": "2026.1",
    "vastgesteld": false, "huidigeStap": "wonen",
    "voortgang": {"beantwoord": 9, "totaal": 14},
    "stappen": [{"id": "start", "zichtbaar": true, "compleet": true, "opgeslagen": true},
                {"id": "wonen", "zichtbaar": true, "compleet": false, "opgeslagen": false}],
    "antwoorden": {"start.erkend": true, "tijdlijn.probleemstart": "2012-03-01"},
    "opgehaaldeAntwoorden": {"start.erkend": {"bron": "uht", "waarde": true}, "tijdlijn.probleemstart": {"bron": "uht", "waarde": "2012-03-01"}},
    "inactieveAntwoorden": [], "totaal": 0,
    "aangemaaktOp": "2026-11-23T09:41:12Z", "gewijzigdOp": "2026-11-23T09:45:03Z"
}))]
pub struct Aanvraag {
    pub id: Uuid,
    /// concept, ingediend, in-behandeling, …
    pub status: String,
    /// De inhoudsversie waaraan deze aanvraag vastzit.
    pub inhoud_versie: String,
    /// `false`: de bedragen zijn illustratief, niet officieel.
    pub vastgesteld: bool,
    /// Waar de ouder verder gaat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huidige_stap: Option<String>,
    pub voortgang: Voortgang,
    pub stappen: Vec<StapVoortgang>,
    /// De antwoorden die meetellen.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, additional_properties)]
    pub antwoorden: BTreeMap<String, Value>,
    /// Antwoorden die uit opgehaalde, door de ouder bevestigde gegevens komen, ook voor vragen
    /// die (nog) niet zichtbaar zijn: zo toont de app ze meteen als een vraag verschijnt. Zo'n
    /// antwoord stuurt u niet mee (of ongewijzigd); wijzigen gaat door het gegeven te betwisten.
    pub opgehaalde_antwoorden: BTreeMap<String, OpgehaaldAntwoord>,
    /// Bewaard maar niet meetellend: een eerder antwoord maakte deze vragen onzichtbaar.
    pub inactieve_antwoorden: Vec<String>,
    /// Som van de toegekende posten, in centen.
    pub totaal: i64,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
}

/// Hoeveel vragen die van toepassing zijn al beantwoord zijn.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"beantwoord": 9, "totaal": 14}))]
pub struct Voortgang {
    /// Beantwoorde vragen die van toepassing zijn.
    pub beantwoord: usize,
    /// Alle vragen die van toepassing zijn.
    pub totaal: usize,
}

/// De stand van één stap van een aanvraag: zichtbaar, compleet en opgeslagen.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "wonen", "zichtbaar": true, "compleet": false, "opgeslagen": false}))]
pub struct StapVoortgang {
    pub id: String,
    pub zichtbaar: bool,
    /// Alle verplichte vragen die gelden zijn beantwoord.
    pub compleet: bool,
    /// De ouder heeft deze stap opgeslagen.
    pub opgeslagen: bool,
}

/// Een pagina aanvragen, met de paginering.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": [{"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "status": "concept", "inhoudVersie": "2026.1",
    "vastgesteld": false, "huidigeStap": "wonen", "voortgang": {"beantwoord": 9, "totaal": 14},
    "stappen": [{"id": "wonen", "zichtbaar": true, "compleet": false, "opgeslagen": false}],
    "antwoorden": {"start.erkend": true}, "opgehaaldeAntwoorden": {}, "inactieveAntwoorden": [], "totaal": 0,
    "aangemaaktOp": "2026-11-23T09:41:12Z", "gewijzigdOp": "2026-11-23T09:45:03Z"}],
    "paginering": {"page": 1, "pageSize": 20, "totaal": 1, "aantalPaginas": 1}}))]
pub struct Aanvragen {
    pub resultaten: Vec<Aanvraag>,
    pub paginering: PaginaInfo,
}

/// De antwoorden van één stap; vervangt de antwoorden van die stap (weggelaten vragen worden
/// gewist).
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[schema(example = json!({"antwoorden": {"wonen.geraakt": true, "wonen.verlies-soort": "huurwoning", "wonen.verlies-datum": "2014-05-01"}}))]
pub struct StapAntwoorden {
    /// Vraag-id → antwoord (type volgens de vraag; bedragen in centen; datums JJJJ-MM-DD).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, additional_properties)]
    pub antwoorden: Map<String, Value>,
}

/// Hoe een schadepost wordt berekend: `forfaitair` (het vaste bedrag) of `maatwerk` (een eigen
/// berekening).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "forfaitair")]
pub enum Keuze {
    /// Het vaste bedrag van het schadekader.
    Forfaitair,
    /// Een eigen berekening: bedrag en toelichting, beoordeeld door een behandelaar.
    Maatwerk,
}

/// A choice per post.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"keuze": "maatwerk", "bedrag": 1250000, "toelichting": "Mijn huur was hoger dan gemiddeld; zie de bijgevoegde huurcontracten."}))]
pub struct PostKeuzeVerzoek {
    pub keuze: Keuze,
    /// Bij maatwerk: het gevraagde bedrag in centen.
    #[validate(range(min = 0, max = 10_000_000_000_i64))]
    #[schema(minimum = 0, maximum = 10000000000_i64)]
    pub bedrag: Option<i64>,
    /// Bij maatwerk: hoe de schade en het bedrag samenhangen met de affaire.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub toelichting: Option<String>,
}

/// De keuze van de ouder bij een schadepost: forfaitair, of maatwerk met bedrag (centen) en
/// toelichting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"keuze": "maatwerk", "bedrag": 1250000, "toelichting": "Zie de huurcontracten.", "beoordelingNodig": true}))]
pub struct PostKeuze {
    pub keuze: Keuze,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bedrag: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toelichting: Option<String>,
    /// Maatwerk wordt altijd door een behandelaar beoordeeld.
    pub beoordeling_nodig: bool,
}

/// Eén reden in een uitleg: de regel en de vragen waarop zij steunt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"regel": "na-probleemstart", "tekst": {"nl": "Dit gebeurde op 2014-05-01 (vraag wonen.verlies-datum); dat is na de start van uw problemen op 2012-03-01.", "en": "This happened on 2014-05-01, after your problems started on 2012-03-01."}, "vragen": ["wonen.verlies-datum", "tijdlijn.probleemstart"]}))]
pub struct Reden {
    /// voorwaarde, na-probleemstart, bedrag-vast, bedrag-per-jaar, bedrag-per-persoon,
    /// bedrag-klasse, indicator of groep.
    pub regel: String,
    pub tekst: Vertaald,
    pub vragen: Vec<String>,
}

/// Een berekende schadepost van een aanvraag: status, bedrag in centen, de uitleg per regel en de
/// keuze van de ouder.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "beslaglegging", "naam": {"nl": "Beslaglegging", "en": "Attachment"}, "leefgebied": "schulden", "status": "onderbouwing-nodig", "bedrag": 0, "forfaitairBedrag": 250000, "uitleg": [{"regel": "indicator", "tekst": {"nl": "Uit uw toeslagjaren blijkt dat de terugvordering beperkt was…", "en": "Your benefit years show the reclaim was limited…"}, "vragen": ["tijdlijn.toeslagjaren"]}], "bewijsNodig": {"nl": "Brieven van de deurwaarder.", "en": "Letters from the bailiff."}, "maatwerkMogelijk": false, "keuze": {"keuze": "forfaitair", "beoordelingNodig": false}}))]
pub struct Schadepost {
    pub id: String,
    pub naam: Vertaald,
    pub leefgebied: String,
    /// toegekend, onderbouwing-nodig, niet-van-toepassing of uitgesloten.
    pub status: String,
    /// In centen; bij onderbouwing-nodig het deel dat al geldt.
    pub bedrag: i64,
    /// Het bedrag volgens het schadekader, vóór de indicator- en groepsregel.
    pub forfaitair_bedrag: i64,
    pub uitleg: Vec<Reden>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bewijs_nodig: Option<Vertaald>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdrongen_door: Option<String>,
    pub maatwerk_mogelijk: bool,
    pub keuze: PostKeuze,
}

/// De persoonlijke schadeposten, herberekend bij elke wijziging.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "kaderversie": "2026.1", "vastgesteld": false, "lageImpact": false, "totaal": 3850000,
    "invoerHash": "9f2c…", "resultaten": [{"id": "uithuisplaatsing", "naam": {"nl": "Uithuisplaatsing van kinderen", "en": "Children placed out of home"},
      "leefgebied": "gezin", "status": "toegekend", "bedrag": 3000000, "forfaitairBedrag": 3000000,
      "uitleg": [{"regel": "bedrag-per-persoon", "tekst": {"nl": "€ 15.000 per persoon × 2 (vraag gezin.uithuisgeplaatst-aantal), hoogstens € 60.000: € 30.000.", "en": "€ 15,000 per person × 2, at most € 60,000: € 30,000."}, "vragen": ["gezin.uithuisgeplaatst-aantal"]}],
      "bewijsNodig": {"nl": "De beschikking van de rechter.", "en": "The court order."}, "maatwerkMogelijk": true,
      "keuze": {"keuze": "forfaitair", "beoordelingNodig": false}}]
}))]
pub struct Schadeposten {
    pub kaderversie: String,
    /// `false`: illustratieve bedragen, niet het officiële schadekader.
    pub vastgesteld: bool,
    /// De indicatorregel geldt (beperkte terugvordering of snel hersteld).
    pub lage_impact: bool,
    /// Som van de toegekende posten, in centen.
    pub totaal: i64,
    /// Hash van inhoud en antwoorden: dezelfde invoer geeft dezelfde berekening.
    pub invoer_hash: String,
    /// Elke post van het schadekader, in de volgorde van het kader.
    pub resultaten: Vec<Schadepost>,
}

/// Move a draft to another content version.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"naarVersie": "2026.2"}))]
pub struct InhoudsmigratieVerzoek {
    #[validate(length(min = 1, max = 30))]
    #[schema(min_length = 1, max_length = 30)]
    pub naar_versie: String,
}

/// Het resultaat van het overzetten van een aanvraag naar een nieuwe inhoudsversie: welke
/// antwoorden vervielen, en de aanvraag zoals zij nu is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"vanVersie": "2026.1", "naarVersie": "2026.2", "vervallenAntwoorden": ["wonen.dakloos-sinds"],
    "aanvraag": {"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "status": "concept", "inhoudVersie": "2026.2",
        "vastgesteld": false, "huidigeStap": "wonen", "voortgang": {"beantwoord": 9, "totaal": 14},
        "stappen": [{"id": "wonen", "zichtbaar": true, "compleet": false, "opgeslagen": false}],
        "antwoorden": {"start.erkend": true}, "opgehaaldeAntwoorden": {}, "inactieveAntwoorden": [], "totaal": 0,
        "aangemaaktOp": "2026-11-23T09:41:12Z", "gewijzigdOp": "2026-11-23T09:45:03Z"}}))]
pub struct Inhoudsmigratie {
    pub van_versie: String,
    pub naar_versie: String,
    /// Antwoorden op vragen die in de nieuwe versie niet meer bestaan of niet meer passen.
    pub vervallen_antwoorden: Vec<String>,
    pub aanvraag: Aanvraag,
}
