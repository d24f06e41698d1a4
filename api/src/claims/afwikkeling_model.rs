//! What assessment and settlement look like over HTTP: post decisions, questions, offers, the
//! payout account and payments. Requests have only the fields the caller may set (the amount of
//! a post is never a parent's field: mass assignment is impossible by construction).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::afwikkeling::{AanbodStatus, Besluit};

/// Het besluit van de behandelaar over één schadepost.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"besluit": "aangepast", "bedrag": 150000, "reden": "De verhuizing was één keer, niet twee keer."}))]
pub struct PostbeoordelingVerzoek {
    pub besluit: Besluit,
    /// Het toegekende bedrag in centen; alleen (en dan verplicht) bij `aangepast`.
    #[validate(range(min = 0, max = 100_000_000))]
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub bedrag: Option<i64>,
    /// Waarom; verplicht bij `aangepast`. De ouder leest dit bij het aanbod.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reden: Option<String>,
}

/// Eén schadepost zoals de behandelaar hem beoordeelt.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "wonen.verhuizing",
    "naam": "Gedwongen verhuizing",
    "berekendeStatus": "toegekend",
    "berekend": 200000,
    "forfaitair": 200000,
    "besluit": "aangepast",
    "bedrag": 150000,
    "reden": "De verhuizing was één keer, niet twee keer.",
    "op": "2026-12-03T09:00:00Z"
}))]
pub struct Postbeoordeling {
    /// De id van de schadepost.
    pub id: String,
    pub naam: String,
    /// Wat de berekening bij indienen gaf: `toegekend`, `onderbouwing-nodig`,
    /// `niet-van-toepassing` of `uitgesloten`.
    pub berekende_status: String,
    pub berekend: i64,
    /// Het vaste bedrag van deze post in het schadekader.
    pub forfaitair: i64,
    pub besluit: Option<Besluit>,
    /// Het bedrag volgens het besluit (centen).
    pub bedrag: Option<i64>,
    pub reden: Option<String>,
    pub op: Option<DateTime<Utc>>,
}

/// De beoordeling per schadepost door de behandelaar: berekend, besloten en wat nog een besluit
/// vraagt.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": [{
    "id": "wonen.verhuizing", "naam": "Gedwongen verhuizing", "berekendeStatus": "toegekend",
    "berekend": 200000, "forfaitair": 200000, "besluit": null, "bedrag": null, "reden": null, "op": null
}], "nogTeBeoordelen": ["gezin.uithuisplaatsing"]}))]
pub struct Beoordeling {
    pub resultaten: Vec<Postbeoordeling>,
    /// Posten die onderbouwing nodig hadden en nog een besluit vragen vóór een aanbod.
    pub nog_te_beoordelen: Vec<String>,
}

/// Een vraag van de behandelaar aan de ouder.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"vraag": "Hoe lang woonde u na de verhuizing bij familie?", "betreft": "wonen.verhuizing"}))]
pub struct NieuweVraag {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub vraag: String,
    /// De id van de schadepost waar de vraag over gaat (optioneel).
    #[validate(length(max = 80))]
    #[schema(max_length = 80)]
    pub betreft: Option<String>,
}

/// Een vraag van de behandelaar aan de ouder, met het antwoord zodra dat er is.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a99",
    "betreft": "wonen.verhuizing",
    "vraag": "Hoe lang woonde u na de verhuizing bij familie?",
    "gesteldOp": "2026-12-03T09:00:00Z",
    "open": false,
    "antwoord": "Ongeveer acht maanden.",
    "beantwoordOp": "2026-12-04T18:30:00Z"
}))]
pub struct Vraag {
    pub id: Uuid,
    /// De id van de schadepost waar de vraag over gaat.
    pub betreft: Option<String>,
    pub vraag: String,
    pub gesteld_op: DateTime<Utc>,
    /// Nog niet beantwoord.
    pub open: bool,
    pub antwoord: Option<String>,
    pub beantwoord_op: Option<DateTime<Utc>>,
}

/// De vragen van de behandelaar bij een aanvraag, en hoeveel er nog open staan.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": [], "open": 0}))]
pub struct Vragen {
    pub resultaten: Vec<Vraag>,
    /// Hoeveel vragen nog op een antwoord wachten.
    pub open: u32,
}

/// Het antwoord van de ouder op een vraag van de behandelaar.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"antwoord": "Ongeveer acht maanden."}))]
pub struct VraagAntwoord {
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub antwoord: String,
}

/// Doorverwijzen naar de commissie voor complexe schade, met de reden.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"reden": "Uithuisplaatsing van twee kinderen en langdurige dakloosheid."}))]
pub struct DoorverwijzingVerzoek {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reden: String,
}

/// Een lopende procedure over dezelfde schade (bezwaar, beroep) die de ouder bij akkoord intrekt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"kenmerk": "BZ-2025-1187", "omschrijving": "Bezwaar tegen de beslissing op de integrale beoordeling"}))]
pub struct Procedure {
    #[validate(length(min = 1, max = 60))]
    #[schema(min_length = 1, max_length = 60)]
    pub kenmerk: String,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub omschrijving: String,
}

/// Een nieuw aanbod (vaststellingsovereenkomst): de toelichting voor de ouder en de lopende
/// procedures die bij akkoord worden ingetrokken.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "toelichting": "Wij kennen alle posten toe; de verhuizing één keer.",
    "procedures": [{"kenmerk": "BZ-2025-1187", "omschrijving": "Bezwaar tegen de beslissing op de integrale beoordeling"}]
}))]
pub struct NieuwAanbod {
    /// Een toelichting voor de ouder, in gewone taal.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub toelichting: String,
    /// Lopende procedures over dezelfde schade die bij akkoord worden ingetrokken.
    #[validate(length(max = 20), nested)]
    #[serde(default)]
    #[schema(max_items = 20)]
    pub procedures: Vec<Procedure>,
}

/// Eén regel van het aanbod.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "wonen.verhuizing", "naam": "Gedwongen verhuizing", "berekend": 200000, "bedrag": 150000, "reden": "De verhuizing was één keer."}))]
pub struct Aanbodregel {
    /// De id van de schadepost.
    pub id: String,
    pub naam: String,
    /// Wat de berekening bij indienen gaf (centen).
    pub berekend: i64,
    /// Wat wij aanbieden (centen).
    pub bedrag: i64,
    pub reden: Option<String>,
}

/// Een aanbod: het bedrag per post en de voorwaarden van de vaststellingsovereenkomst.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a77",
    "aanvraag": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "volgnummer": 1,
    "status": "uitgebracht",
    "totaal": 3800000,
    "regels": [{"id": "wonen.verhuizing", "naam": "Gedwongen verhuizing", "berekend": 200000, "bedrag": 150000, "reden": "De verhuizing was één keer."}],
    "toelichting": "Wij kennen alle posten toe; de verhuizing één keer.",
    "voorwaarden": ["Met dit bedrag is al uw aanvullende schade door de toeslagenaffaire vergoed (finale kwijting)."],
    "procedures": [{"kenmerk": "BZ-2025-1187", "omschrijving": "Bezwaar tegen de beslissing op de integrale beoordeling"}],
    "uitgebrachtOp": "2026-12-05T10:00:00Z",
    "reagerenVoor": "2026-12-19T10:00:00Z",
    "verlengd": false,
    "vierOgen": false,
    "reactieOp": null,
    "reden": null
}))]
pub struct Aanbod {
    pub id: Uuid,
    pub aanvraag: Uuid,
    pub volgnummer: i32,
    pub status: AanbodStatus,
    pub totaal: i64,
    /// Per schadepost het bedrag.
    pub regels: Vec<Aanbodregel>,
    pub toelichting: String,
    /// De voorwaarden van de vaststellingsovereenkomst, zoals de ouder ze bevestigt.
    pub voorwaarden: Vec<String>,
    pub procedures: Vec<Procedure>,
    pub uitgebracht_op: Option<DateTime<Utc>>,
    /// Tot wanneer de ouder kan antwoorden.
    pub reageren_voor: Option<DateTime<Utc>>,
    pub verlengd: bool,
    /// Of een tweede behandelaar het aanbod moest goedkeuren.
    pub vier_ogen: bool,
    pub reactie_op: Option<DateTime<Utc>>,
    /// De reden van de ouder bij niet akkoord.
    pub reden: Option<String>,
}

/// Akkoord met het aanbod: de ouder bevestigt de voorwaarden en noemt de procedures die zij
/// intrekt (alle procedures van het aanbod).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"aanbod": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a77", "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"]}))]
pub struct AanvaardingVerzoek {
    /// Het aanbod waarmee de ouder akkoord gaat (zo gaat niemand akkoord met een ander aanbod dan
    /// het aanbod dat hij las).
    pub aanbod: Uuid,
    pub voorwaarden_bevestigd: bool,
    /// De kenmerken van de procedures die de ouder intrekt.
    #[validate(length(max = 20))]
    #[serde(default)]
    #[schema(max_items = 20)]
    pub ingetrokken_procedures: Vec<String>,
}

/// Wat de ouder na niet akkoord wil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "nieuwe-beoordeling")]
pub enum Vervolg {
    NieuweBeoordeling,
    BestuursrechtelijkeBeoordeling,
    WeetIkNog,
}

impl Vervolg {
    pub fn code(self) -> &'static str {
        match self {
            Vervolg::NieuweBeoordeling => "nieuwe-beoordeling",
            Vervolg::BestuursrechtelijkeBeoordeling => "bestuursrechtelijke-beoordeling",
            Vervolg::WeetIkNog => "weet-ik-nog-niet",
        }
    }
}

/// Niet akkoord gaan met een aanbod: welk aanbod, eventueel waarom, en wat de ouder daarna wil.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"aanbod": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a77", "reden": "De uithuisplaatsing is niet meegenomen.", "vervolg": "nieuwe-beoordeling"}))]
pub struct AfwijzingVerzoek {
    pub aanbod: Uuid,
    /// Waarom niet (optioneel).
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub reden: Option<String>,
    pub vervolg: Vervolg,
}

/// Meer tijd vragen om op een aanbod te antwoorden.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"aanbod": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a77"}))]
pub struct VerlengingVerzoek {
    pub aanbod: Uuid,
}

/// Het rekeningnummer voor de uitbetaling.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"iban": "NL91 ABNA 0417 1643 00", "rekeninghouder": "F. el Amrani", "bewindvoerder": false}))]
pub struct BankrekeningVerzoek {
    /// IBAN; spaties mogen, kleine letters ook. Daarnaast gelden de lengte per land en het
    /// controlegetal (mod 97).
    #[validate(length(min = 15, max = 42))]
    #[schema(
        min_length = 15,
        max_length = 42,
        pattern = r"^\s*[A-Za-z]\s*[A-Za-z]\s*[0-9]\s*[0-9](\s*[A-Za-z0-9])+\s*$"
    )]
    pub iban: String,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub rekeninghouder: String,
    /// Staat de ouder onder bewind? Dan de rekening van de bewindvoerder.
    #[serde(default)]
    pub bewindvoerder: bool,
}

/// De rekening waarop de ouder het bedrag ontvangt, afgeschermd getoond.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"iban": "NL** **** **** **4300", "rekeninghouder": "F. el Amrani", "bewindvoerder": false, "gewijzigdOp": "2026-12-05T10:00:00Z"}))]
pub struct Bankrekening {
    /// Gemaskeerd: genoeg om de eigen rekening te herkennen.
    pub iban: String,
    pub rekeninghouder: String,
    pub bewindvoerder: bool,
    pub gewijzigd_op: DateTime<Utc>,
}

/// Hoe ver de uitbetaling is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "betaald")]
pub enum Betaalstatus {
    OpdrachtGegeven,
    Betaald,
}

impl Betaalstatus {
    pub fn code(self) -> &'static str {
        match self {
            Betaalstatus::OpdrachtGegeven => "opdracht-gegeven",
            Betaalstatus::Betaald => "betaald",
        }
    }

    pub fn parse(code: &str) -> Option<Betaalstatus> {
        [Betaalstatus::OpdrachtGegeven, Betaalstatus::Betaald]
            .into_iter()
            .find(|b| b.code() == code)
    }
}

/// De betaalstatus die de behandelaar vastlegt.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"status": "betaald"}))]
pub struct BetalingVerzoek {
    pub status: Betaalstatus,
}

/// Een stap in de uitbetaling: de status, het bedrag in centen en wanneer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"status": "betaald", "bedrag": 3800000, "op": "2026-12-20T08:00:00Z"}))]
pub struct Betaling {
    pub status: Betaalstatus,
    pub bedrag: i64,
    pub op: DateTime<Utc>,
}

/// De aanbiedingen (vaststellingsovereenkomsten) bij een aanvraag.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"resultaten": []}))]
pub struct Aanbiedingen {
    pub resultaten: Vec<Aanbod>,
}
