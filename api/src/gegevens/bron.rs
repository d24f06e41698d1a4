//! The data-source plugin contract and the catalogue: what each source provides, for which
//! questions and posts, why we may ask (purpose and legal basis) and how long we keep it.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

/// One source in the catalogue. Texts are B1 Dutch: they are shown in the consent screen.
#[derive(Debug)]
pub struct Beschrijving {
    pub code: &'static str,
    pub naam: &'static str,
    pub levert: &'static str,
    pub vragen: &'static [&'static str],
    pub doel: &'static str,
    pub grondslag: &'static str,
    pub bewaartermijn: &'static str,
}

const DOEL: &str = "route-b-aanvullende-schade";
const GRONDSLAG_WET: &str = "Wet hersteloperatie kinderopvangtoeslag, hoofdstuk 2 (aanvullende schade); AVG art. 6 lid 1 sub a (uw toestemming)";
const BEWAREN: &str = "Tot 7 jaar na het afronden van uw aanvraag. Trekt u uw toestemming in, dan verwijderen wij het meteen.";

/// The purpose every consent is for.
pub const DOELBINDING: &str = DOEL;

pub static BRONNEN: &[Beschrijving] = &[
    Beschrijving {
        code: "uht",
        naam: "Uw dossier bij UHT",
        levert: "Of u erkend bent, uw integrale beoordeling, en per toeslagjaar: hoeveel er werd teruggevraagd, hoeveel u echt terugbetaalde en wanneer. Ook of een terugvordering werd teruggedraaid.",
        vragen: &[
            "start.erkend",
            "start.ib-definitief",
            "start.eerder-afgewikkeld",
            "tijdlijn.probleemstart",
            "tijdlijn.toeslagjaren",
        ],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "brp",
        naam: "Basisregistratie Personen (BRP)",
        levert: "Hoe groot uw huishouden was, uw adressen door de jaren heen (ook een briefadres), en of uw huwelijk of partnerschap eindigde.",
        vragen: &[
            "tijdlijn.gezinsleden",
            "wonen.verhuis-datum",
            "wonen.dakloos",
            "wonen.dakloos-sinds",
            "wonen.dakloos-jaren",
            "gezin.relatiebreuk",
            "gezin.relatiebreuk-datum",
        ],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "uwv",
        naam: "UWV",
        levert: "Uw banen met begin- en einddatum, of u minder uren ging werken, en uw uitkeringen.",
        vragen: &[
            "werk-inkomen.baan-verloren",
            "werk-inkomen.baanverlies-datum",
            "werk-inkomen.minder-gewerkt",
            "werk-inkomen.minder-gewerkt-sinds",
            "werk-inkomen.minder-gewerkt-jaren",
        ],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "belastingdienst",
        naam: "Belastingdienst (inkomen)",
        levert: "Uw inkomen per jaar, en of u een eigen bedrijf had en wanneer dat stopte.",
        vragen: &[
            "werk-inkomen.onderneming-beeindigd",
            "werk-inkomen.onderneming-datum",
        ],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "duo",
        naam: "DUO (opleiding)",
        levert: "Uw opleidingen: wanneer u begon, wanneer u stopte of klaar was, en hoe lang de opleiding normaal duurt.",
        vragen: &["opleiding.vertraging-jaren", "opleiding.sinds"],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "kadaster",
        naam: "Kadaster (huis kopen en verkopen)",
        levert: "Of u een koophuis had, en wanneer u het kocht en verkocht.",
        vragen: &["wonen.verlies-soort", "wonen.verlies-datum"],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "rvdk",
        naam: "Raad voor de Kinderbescherming",
        levert: "Of en wanneer kinderen van u uit huis werden geplaatst, en hoeveel.",
        vragen: &[
            "gezin.uithuisplaatsing",
            "gezin.uithuisgeplaatst-aantal",
            "gezin.uithuisplaatsing-datum",
        ],
        doel: DOEL,
        grondslag: "Wet hersteloperatie kinderopvangtoeslag; AVG art. 6 lid 1 sub a en art. 10 (gegevens over kinderbeschermingsmaatregelen, alleen met uw uitdrukkelijke toestemming)",
        bewaartermijn: BEWAREN,
    },
    Beschrijving {
        code: "cjib",
        naam: "CJIB en beslagregister",
        levert: "Beslagen op uw loon, uitkering of rekening, en bezoeken van een deurwaarder, met datums.",
        vragen: &[
            "schulden.beslag",
            "schulden.beslag-datum",
            "schulden.beslag-duur",
            "schulden.deurwaarder",
            "schulden.deurwaarder-datum",
        ],
        doel: DOEL,
        grondslag: GRONDSLAG_WET,
        bewaartermijn: BEWAREN,
    },
];

pub fn beschrijving(code: &str) -> Option<&'static Beschrijving> {
    BRONNEN.iter().find(|b| b.code == code)
}

/// One datum a source gave, as the parent will see it, with the answers it would prefill.
#[derive(Debug, Clone, PartialEq)]
pub struct Gegeven {
    /// Stable per parent and source, e.g. `uht.toeslagjaren`.
    pub sleutel: String,
    pub label: String,
    /// The value in words, e.g. "2 toeslagjaren: 2010 en 2011".
    pub weergave: String,
    /// The value as data.
    pub waarde: Value,
    /// Question id → answer, when confirmed.
    pub antwoorden: BTreeMap<String, Value>,
}

/// Why a source gave nothing usable. The codes are part of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bronfout {
    /// Unreachable, refused or answered 5xx after every attempt.
    Storing,
    /// No answer before the deadline.
    TeTraag,
    /// An answer we could not read; nothing of it is stored.
    Onleesbaar,
}

impl Bronfout {
    pub fn code(self) -> &'static str {
        match self {
            Bronfout::Storing => "storing",
            Bronfout::TeTraag => "te-traag",
            Bronfout::Onleesbaar => "onleesbaar",
        }
    }
}

/// What a retrieval asks a source: whose data, for which purpose, in which trace.
pub struct Verzoek<'a> {
    pub bsn: &'a str,
    pub traceparent: &'a str,
}

pub type Antwoord<'a> = Pin<Box<dyn Future<Output = Result<Vec<Gegeven>, Bronfout>> + Send + 'a>>;

/// A data source plugin: one call gives everything the source has on the parent that we use.
pub trait Gegevensbron: Send + Sync {
    fn beschrijving(&self) -> &'static Beschrijving;
    fn haal_op<'a>(&'a self, verzoek: &'a Verzoek<'a>) -> Antwoord<'a>;
}
