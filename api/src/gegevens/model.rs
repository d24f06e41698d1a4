//! Data sources, consents, retrievals and retrieved data over HTTP.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::http::pagination::PaginaInfo;

/// Een bron van gegevens die de overheid al heeft.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "code": "uht", "naam": "Uw dossier bij UHT",
    "levert": "Of u erkend bent, uw integrale beoordeling, en per toeslagjaar: hoeveel er werd teruggevraagd, hoeveel u echt terugbetaalde en wanneer.",
    "vragen": ["start.erkend", "tijdlijn.toeslagjaren"], "helptBijSchade": [],
    "doel": "route-b-aanvullende-schade",
    "grondslag": "Wet hersteloperatie kinderopvangtoeslag, hoofdstuk 2 (aanvullende schade); AVG art. 6 lid 1 sub a (uw toestemming)",
    "bewaartermijn": "Tot 7 jaar na het afronden van uw aanvraag. Trekt u uw toestemming in, dan verwijderen wij het meteen.",
    "beschikbaar": true
}))]
pub struct Gegevensbron {
    /// De code van de bron; gebruik haar bij toestemmingen en bevragingen.
    pub code: String,
    pub naam: String,
    /// Wat de bron over u weet en wij ophalen (taalniveau B1).
    pub levert: String,
    /// De vragen die deze bron voor u kan invullen.
    pub vragen: Vec<String>,
    /// De schadeposten (id's) waarbij deze bron helpt.
    pub helpt_bij_schade: Vec<String>,
    /// Het doel waarvoor u toestemming geeft.
    pub doel: String,
    /// De wettelijke grondslag.
    pub grondslag: String,
    /// Hoe lang wij opgehaalde gegevens bewaren.
    pub bewaartermijn: String,
    /// Of de bron nu aan staat.
    pub beschikbaar: bool,
}

/// De gegevensbronnen waaruit de API met uw toestemming gegevens kan ophalen.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": []}))]
pub struct Gegevensbronnen {
    pub resultaten: Vec<Gegevensbron>,
}

/// Toestemming geven om gegevens bij één bron op te halen.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"bron": "uht", "geldigTot": "2027-12-31"}))]
pub struct NieuweToestemming {
    /// De code van de bron (zie `GET /gegevensbronnen`).
    #[schema(min_length = 1, max_length = 30, example = "uht")]
    #[validate(length(min = 1, max = 30))]
    pub bron: String,
    /// Tot en met welke dag de toestemming geldt. Leeg: de standaardtermijn (een jaar).
    pub geldig_tot: Option<NaiveDate>,
}

/// De status van een toestemming.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "geldig")]
pub enum Toestemmingsstatus {
    Geldig,
    Verlopen,
    Ingetrokken,
}

/// Een toestemming van de ouder voor één bron en één doel.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a01", "bron": "uht", "doel": "route-b-aanvullende-schade",
    "status": "geldig", "verleendOp": "2026-12-03T09:00:00Z", "geldigTot": "2027-12-03T23:00:00Z"
}))]
pub struct Toestemming {
    pub id: Uuid,
    pub bron: String,
    pub doel: String,
    pub status: Toestemmingsstatus,
    pub verleend_op: DateTime<Utc>,
    /// Het einde van de dag waarop de toestemming vervalt.
    pub geldig_tot: DateTime<Utc>,
    /// Alleen bij een ingetrokken toestemming.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingetrokken_op: Option<DateTime<Utc>>,
}

/// Een pagina toestemmingen om gegevens op te halen, met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": [], "paginering": {"page": 1, "pageSize": 20, "totaal": 0, "aantalPaginas": 1}}))]
pub struct Toestemmingen {
    pub resultaten: Vec<Toestemming>,
    pub paginering: PaginaInfo,
}

/// Wat het intrekken van een toestemming deed.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "toestemming": {"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a01", "bron": "uht", "doel": "route-b-aanvullende-schade",
        "status": "ingetrokken", "verleendOp": "2026-12-03T09:00:00Z", "geldigTot": "2027-12-03T23:00:00Z", "ingetrokkenOp": "2026-12-04T10:00:00Z"},
    "verwijderdeGegevens": 4,
    "leeggemaakteVragen": ["tijdlijn.toeslagjaren", "tijdlijn.probleemstart"],
    "melding": "Wij halen niets meer op bij Uw dossier bij UHT en hebben de 4 opgehaalde gegevens verwijderd. Deze vragen vult u nu zelf in: tijdlijn.toeslagjaren, tijdlijn.probleemstart."
}))]
pub struct Intrekking {
    pub toestemming: Toestemming,
    /// Hoeveel opgehaalde gegevens zijn verwijderd.
    pub verwijderde_gegevens: u64,
    /// Vragen in uw concept-aanvraag die hierdoor weer open staan.
    pub leeggemaakte_vragen: Vec<String>,
    pub melding: String,
}

/// Gegevens ophalen bij de bronnen waarvoor u toestemming gaf.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"bronnen": ["uht", "brp"]}))]
pub struct NieuweBevraging {
    /// Welke bronnen. Leeg: alle bronnen met een geldige toestemming.
    #[schema(max_items = 10)]
    #[validate(length(max = 10))]
    pub bronnen: Option<Vec<String>>,
}

/// De stand van het ophalen bij één bron.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "gelukt")]
pub enum Bronstatus {
    Bezig,
    Gelukt,
    Mislukt,
}

/// De stand van het ophalen bij één gegevensbron, en bij `mislukt` wat er gebeurde en wat u kunt
/// doen.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"bron": "kadaster", "naam": "Kadaster (huis kopen en verkopen)", "status": "mislukt", "reden": "storing",
    "uitleg": "Kadaster (huis kopen en verkopen) is nu niet bereikbaar.",
    "watUKuntDoen": "Probeer het later nog eens. U kunt de vragen ook zelf beantwoorden, en een document (bijvoorbeeld een brief) toevoegen als bewijs.",
    "aantalGegevens": 0}))]
pub struct BronResultaat {
    pub bron: String,
    pub naam: String,
    pub status: Bronstatus,
    /// Bij `mislukt`: `storing`, `te-traag`, `onleesbaar`, `onderbroken` of `toestemming-ingetrokken`.
    pub reden: Option<String>,
    /// Bij `mislukt`: wat er gebeurde, in gewone woorden.
    pub uitleg: Option<String>,
    /// Bij `mislukt`: wat u in plaats daarvan kunt doen.
    pub wat_u_kunt_doen: Option<String>,
    pub aantal_gegevens: i32,
}

/// Eén keer gegevens ophalen, met de stand per bron.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a02", "gestartOp": "2026-12-03T09:01:00Z",
    "uiterlijkOp": "2026-12-03T09:01:10Z", "klaar": false, "doorGemachtigde": false,
    "bronnen": [{"bron": "uht", "naam": "Uw dossier bij UHT", "status": "bezig", "reden": null, "uitleg": null, "watUKuntDoen": null, "aantalGegevens": 0}]}))]
pub struct Bevraging {
    pub id: Uuid,
    pub gestart_op: DateTime<Utc>,
    /// Na dit moment geldt een bron die nog niet antwoordde als mislukt.
    pub uiterlijk_op: DateTime<Utc>,
    /// Of alle bronnen klaar zijn (gelukt of mislukt).
    pub klaar: bool,
    /// `true` als een gemachtigde (bijvoorbeeld uw advocaat) deze bevraging startte.
    pub door_gemachtigde: bool,
    pub bronnen: Vec<BronResultaat>,
}

/// Een pagina bevragingen (het ophalen van gegevens bij bronnen), met de paginering.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": [], "paginering": {"page": 1, "pageSize": 20, "totaal": 0, "aantalPaginas": 1}}))]
pub struct Bevragingen {
    pub resultaten: Vec<Bevraging>,
    pub paginering: PaginaInfo,
}

/// Het oordeel van de ouder over een opgehaald gegeven.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "bevestigd")]
pub enum Oordeel {
    /// Nog niet bekeken.
    Open,
    /// Klopt; vult de bijbehorende vragen in.
    Bevestigd,
    /// Klopt niet; u beantwoordt de vragen zelf, de behandelaar ziet het.
    Betwist,
}

impl Oordeel {
    pub fn code(self) -> &'static str {
        match self {
            Oordeel::Open => "open",
            Oordeel::Bevestigd => "bevestigd",
            Oordeel::Betwist => "betwist",
        }
    }

    pub fn parse(s: &str) -> Oordeel {
        match s {
            "bevestigd" => Oordeel::Bevestigd,
            "betwist" => Oordeel::Betwist,
            _ => Oordeel::Open,
        }
    }
}

/// Waar een gegeven vandaan komt.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"bron": "uht", "opgehaaldOp": "2026-12-03T09:01:02Z", "toestemming": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a01", "bevraging": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a02"}))]
pub struct Herkomst {
    pub bron: String,
    pub opgehaald_op: DateTime<Utc>,
    pub toestemming: Uuid,
    pub bevraging: Uuid,
}

/// Eén gegeven dat met uw toestemming is opgehaald.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a03", "sleutel": "uht.toeslagjaren", "label": "Toeslagjaren met terugvordering",
    "weergave": "2010: € 12.400 teruggevraagd op 1 maart 2012, € 9.800 terugbetaald",
    "waarde": [{"jaar": 2010, "teruggevorderd": 1240000, "terugbetaald": 980000, "datum-terugvordering": "2012-03-01"}],
    "vragen": ["tijdlijn.toeslagjaren"],
    "herkomst": {"bron": "uht", "opgehaaldOp": "2026-12-03T09:01:02Z", "toestemming": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a01", "bevraging": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a02"},
    "oordeel": "open", "toelichting": null, "geoordeeldOp": null
}))]
pub struct OpgehaaldGegeven {
    pub id: Uuid,
    pub sleutel: String,
    pub label: String,
    /// Het gegeven in woorden.
    pub weergave: String,
    /// Het gegeven als data, zoals de bron het gaf.
    pub waarde: Value,
    /// De vragen die dit gegeven invult zodra u het bevestigt.
    pub vragen: Vec<String>,
    pub herkomst: Herkomst,
    pub oordeel: Oordeel,
    /// Bij `betwist`: wat er volgens u niet klopt.
    pub toelichting: Option<String>,
    pub geoordeeld_op: Option<DateTime<Utc>>,
}

/// De opgehaalde gegevens, elk met herkomst en uw oordeel.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"resultaten": []}))]
pub struct OpgehaaldeGegevens {
    pub resultaten: Vec<OpgehaaldGegeven>,
}

/// Wat de ouder van een gegeven vindt.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "bevestigd")]
pub enum OordeelKeuze {
    /// Het klopt: het gegeven vult de bijbehorende vragen in.
    Bevestigd,
    /// Het klopt niet: u beantwoordt de vragen zelf.
    Betwist,
}

impl From<OordeelKeuze> for Oordeel {
    fn from(k: OordeelKeuze) -> Oordeel {
        match k {
            OordeelKeuze::Bevestigd => Oordeel::Bevestigd,
            OordeelKeuze::Betwist => Oordeel::Betwist,
        }
    }
}

/// Klopt het gegeven?
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"oordeel": "betwist", "toelichting": "In 2011 betaalde ik meer terug: ook via beslag op mijn loon."}))]
pub struct NieuwOordeel {
    pub oordeel: OordeelKeuze,
    /// Verplicht bij `betwist`: wat klopt er niet?
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    pub toelichting: Option<String>,
}

/// Filter op bron.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct GegevensFilter {
    /// Alleen gegevens van deze bron.
    #[param(example = "uht", max_length = 30)]
    #[validate(length(max = 30))]
    pub bron: Option<String>,
}
