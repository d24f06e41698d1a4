//! The access matrix's table: one row per operation of the OpenAPI document — what it is about,
//! who may call it and what they get, in the order the rightful calls can follow each other.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

/// What an operation is about, which decides what a wrong caller may hear.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Soort {
    /// The victim's thing by id: 401 without a valid token, else 403 or 404.
    Van,
    /// The caller's own collection or self: others read their own (2xx allowed, no leak);
    /// writes by others are theirs and are not sent.
    Eigen,
    /// No login needed: only the no-leak check.
    Openbaar,
}

pub(crate) struct Zaak {
    pub(crate) op: &'static str,
    pub(crate) methode: Method,
    /// With `{naam}` placeholders from the world's ids, filled in when sent.
    pub(crate) pad: String,
    pub(crate) body: Option<Value>,
    /// The rightful caller (a token name) and what they get.
    pub(crate) wie: &'static str,
    pub(crate) status: u16,
    pub(crate) soort: Soort,
    /// Callers who are rightful here too (their function), skipped as attackers.
    pub(crate) vrij: &'static [&'static str],
    /// GET this path as the rightful caller for the If-Match value.
    pub(crate) etag_van: Option<String>,
    /// Store the response's `id` under this name (later rows use it).
    pub(crate) bewaar: Option<&'static str>,
}

pub(crate) fn zaak(
    op: &'static str,
    methode: Method,
    pad: &str,
    wie: &'static str,
    status: u16,
    soort: Soort,
) -> Zaak {
    Zaak {
        op,
        methode,
        pad: pad.to_string(),
        body: None,
        wie,
        status,
        soort,
        vrij: &[],
        etag_van: None,
        bewaar: None,
    }
}

impl Zaak {
    fn body(mut self, b: Value) -> Zaak {
        self.body = Some(b);
        self
    }
    fn vrij(mut self, v: &'static [&'static str]) -> Zaak {
        self.vrij = v;
        self
    }
    fn etag(mut self, pad: &str) -> Zaak {
        self.etag_van = Some(pad.to_string());
        self
    }
    fn bewaar(mut self, naam: &'static str) -> Zaak {
        self.bewaar = Some(naam);
        self
    }
}

pub(crate) fn vul(tekst: &str, ids: &BTreeMap<&'static str, String>) -> String {
    let mut uit = tekst.to_string();
    for (k, v) in ids {
        uit = uit.replace(&format!("{{{k}}}"), v);
    }
    uit
}

/// The table, in the order the rightful calls can follow each other.
pub(crate) fn zaken() -> Vec<Zaak> {
    use Method as M;
    use Soort::*;
    let alles = json!([
        "aanvraag-inzien",
        "antwoorden-invullen",
        "bewijs-toevoegen",
        "gegevens-ophalen",
        "indienen",
        "aanbod-beantwoorden",
        "gesprekken-plannen",
        "correspondentie-ontvangen"
    ]);
    let start = mijn_herstel_tests::aanvraag::golden_steps()[0].1.clone();
    let week: Vec<Value> = ["ma", "di", "wo", "do", "vr", "za", "zo"]
        .iter()
        .map(|d| json!({"dag": d, "van": "09:00", "tot": "17:00"}))
        .collect();
    let rooster = json!({"vormen": ["video"], "talen": ["nl"], "week": week, "uitzonderingen": [], "afwezig": []});
    vec![
        // Public.
        zaak("gezondheid", M::GET, "/health", "", 200, Openbaar),
        zaak("gereedheid", M::GET, "/ready", "", 200, Openbaar),
        zaak("gesprekstypenOphalen", M::GET, "/gesprekstypen", "", 200, Openbaar),
        zaak("gegevensbronnenOphalen", M::GET, "/gegevensbronnen", "", 200, Openbaar),
        zaak("vragenlijstActueel", M::GET, "/vragenlijsten/actueel", "", 200, Openbaar),
        zaak("vragenlijstOphalen", M::GET, "/vragenlijsten/2026.1", "", 200, Openbaar),
        // The login flow's steps are public by nature; login.rs drives them end to end.
        zaak("inloggenStarten", M::GET, "/inloggen/digid", "", 400, Openbaar),
        zaak("inloggenTerugkeer", M::GET, "/inloggen/digid/terugkeer", "", 400, Openbaar),
        zaak("tokenOphalen", M::POST, "/token", "", 415, Openbaar),
        // The parent's own things.
        zaak("mijOphalen", M::GET, "/mij", "fatima", 200, Eigen),
        zaak("aanvragenOphalen", M::GET, "/aanvragen", "fatima", 200, Eigen),
        zaak("aanvraagOphalen", M::GET, "/aanvragen/{concept}", "sanne", 200, Van),
        zaak("schadepostenOphalen", M::GET, "/aanvragen/{concept}/schadeposten", "sanne", 200, Van),
        zaak("bewijsstukkenLezen", M::GET, "/aanvragen/{concept}/bewijsstukken", "sanne", 200, Van),
        zaak("bewijsstukInhoud", M::GET, "/aanvragen/{concept}/bewijsstukken/{bewijsstuk}/inhoud", "sanne", 200, Van),
        zaak("tijdlijnOphalen", M::GET, "/aanvragen/{met-aanbod}/tijdlijn", "fatima", 200, Van),
        zaak("aanbiedingenLezen", M::GET, "/aanvragen/{met-aanbod}/aanbiedingen", "fatima", 200, Van),
        zaak("vragenLezen", M::GET, "/aanvragen/{in-behandeling}/vragen", "mohamed", 200, Van),
        zaak("bankrekeningOpgeven", M::PUT, "/aanvragen/{met-aanbod}/bankrekening", "fatima", 200, Van)
            .body(json!({"iban": "NL91ABNA0417164300", "rekeninghouder": "F. el Amrani"})),
        zaak("bankrekeningLezen", M::GET, "/aanvragen/{met-aanbod}/bankrekening", "fatima", 200, Van),
        zaak("stapOpslaan", M::PUT, "/aanvragen/{concept}/stappen/start", "sanne", 200, Van)
            .body(json!({"antwoorden": start})).etag("/aanvragen/{concept}"),
        zaak("keuzeOpslaan", M::PUT, "/aanvragen/{concept}/schadeposten/{post}/keuze", "sanne", 200, Van)
            .body(json!({"keuze": "forfaitair"})).etag("/aanvragen/{concept}"),
        zaak("inhoudsmigratieUitvoeren", M::POST, "/aanvragen/{concept}/inhoudsmigraties", "sanne", 200, Van)
            .body(json!({"naarVersie": "2026.1"})).etag("/aanvragen/{concept}"),
        zaak("bewijsstukToevoegen", M::POST, "/aanvragen/{concept}/bewijsstukken", "sanne", 201, Van),
        zaak("bewijsstukVerwijderen", M::DELETE, "/aanvragen/{concept}/bewijsstukken/{bewijsstuk}", "sanne", 204, Van),
        zaak("aanvraagIndienen", M::POST, "/aanvragen/{concept}/indieningen", "sanne", 201, Van)
            .body(json!({"verklaringNaarWaarheid": true})),
        zaak("aanvraagIntrekken", M::POST, "/aanvragen/{concept}/intrekkingen", "sanne", 200, Van)
            .body(json!({"reden": "Ik wil eerst praten."})),
        zaak("aanvraagMaken", M::POST, "/aanvragen", "sanne", 201, Eigen),
        zaak("vraagBeantwoorden", M::POST, "/aanvragen/{in-behandeling}/vragen/{vraag}/antwoorden", "mohamed", 201, Van)
            .body(json!({"antwoord": "Acht maanden."})),
        // Case handling (Anouk is assigned; Bram is the second pair of eyes).
        zaak("behandelwachtrij", M::GET, "/behandeling/aanvragen", "anouk", 200, Eigen),
        zaak("zoekenOpKenmerk", M::POST, "/behandeling/zoekopdrachten", "anouk", 200, Van)
            .body(json!({"referentie": "{referentie}"})).vrij(&["bram"]),
        zaak("beoordelingLezen", M::GET, "/behandeling/aanvragen/{in-behandeling}/beoordeling", "anouk", 200, Van),
        zaak("aanvraagGegevensOphalen", M::GET, "/aanvragen/{in-behandeling}/opgehaalde-gegevens", "anouk", 200, Van),
        zaak("notitiesOphalen", M::GET, "/behandeling/aanvragen/{in-behandeling}/notities", "anouk", 200, Van),
        zaak("notitieMaken", M::POST, "/behandeling/aanvragen/{in-behandeling}/notities", "anouk", 201, Van)
            .body(json!({"tekst": "Gebeld."})),
        zaak("postBeoordelen", M::PUT, "/behandeling/aanvragen/{in-behandeling}/posten/{beoordeelde-post}/beoordeling", "anouk", 200, Van)
            .body(json!({"besluit": "geaccepteerd"})),
        zaak("urgentieZetten", M::PUT, "/behandeling/aanvragen/{in-behandeling}/urgentie", "anouk", 200, Van)
            .body(json!({"urgent": true, "reden": "Dakloos."})),
        zaak("aanvraagToewijzen", M::PUT, "/behandeling/aanvragen/{in-behandeling}/toewijzing", "anouk", 200, Van).body(json!({})),
        zaak("vraagStellen", M::POST, "/behandeling/aanvragen/{in-behandeling}/vragen", "anouk", 201, Van)
            .body(json!({"vraag": "En daarna?", "betreft": "{beoordeelde-post}"})),
        zaak("vertegenwoordigerVastleggen", M::POST, "/behandeling/aanvragen/{in-behandeling}/vertegenwoordigers", "anouk", 201, Van)
            .body(json!({"bsn": "999990019", "soort": "bewindvoerder", "naam": "J. de Boer", "uitspraak": "C/16/1 / FA RK 24-1", "geldigTot": "{over-90}"})),
        zaak("vertegenwoordigerBeeindigen", M::POST, "/behandeling/aanvragen/{in-behandeling}/vertegenwoordigers/{vertegenwoordiging}/beeindigingen", "anouk", 200, Van),
        zaak("aanvraagDoorverwijzen", M::POST, "/behandeling/aanvragen/{in-behandeling}/doorverwijzingen", "anouk", 204, Van)
            .body(json!({"reden": "Uithuisplaatsing."})),
        // The offer: reject, a new one, four eyes, more time, accept, pay.
        zaak("aanbodAfwijzen", M::POST, "/aanvragen/{met-aanbod}/afwijzingen", "fatima", 200, Van)
            .body(json!({"aanbod": "{aanbod}", "reden": "De uithuisplaatsing ontbreekt.", "vervolg": "nieuwe-beoordeling"})),
        zaak("aanbodDoen", M::POST, "/behandeling/aanvragen/{met-aanbod}/aanbiedingen", "anouk", 201, Van)
            .body(json!({"toelichting": "Heroverwogen.", "procedures": [{"kenmerk": "BZ-2025-1187", "omschrijving": "Bezwaar"}]})).bewaar("aanbod"),
        zaak("aanbiedingenTeKeuren", M::GET, "/behandeling/goedkeuringen", "bram", 200, Eigen),
        zaak("aanbodGoedkeuren", M::POST, "/behandeling/aanbiedingen/{aanbod}/goedkeuringen", "bram", 200, Van),
        zaak("aanbodtermijnVerlengen", M::POST, "/aanvragen/{met-aanbod}/verlengingen", "fatima", 200, Van)
            .body(json!({"aanbod": "{aanbod}"})),
        zaak("aanbodAanvaarden", M::POST, "/aanvragen/{met-aanbod}/aanvaardingen", "fatima", 200, Van)
            .body(json!({"aanbod": "{aanbod}", "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"]})),
        zaak("betalingVastleggen", M::POST, "/behandeling/aanvragen/{met-aanbod}/betalingen", "anouk", 201, Van)
            .body(json!({"status": "opdracht-gegeven"})),
        // Data from the government.
        zaak("toestemmingenOphalen", M::GET, "/toestemmingen", "fatima", 200, Eigen),
        zaak("bevragingenOphalen", M::GET, "/bevragingen", "fatima", 200, Eigen),
        zaak("bevragingOphalen", M::GET, "/bevragingen/{bevraging}", "fatima", 200, Van),
        zaak("opgehaaldeGegevensOphalen", M::GET, "/opgehaalde-gegevens", "fatima", 200, Eigen),
        zaak("gegevenBeoordelen", M::POST, "/opgehaalde-gegevens/{gegeven}/oordelen", "fatima", 200, Van)
            .body(json!({"oordeel": "bevestigd"})),
        zaak("toestemmingGeven", M::POST, "/toestemmingen", "fatima", 201, Eigen).body(json!({"bron": "brp"})),
        zaak("bevragingStarten", M::POST, "/bevragingen", "fatima", 202, Eigen).body(json!({"bronnen": ["brp"]})),
        zaak("toestemmingIntrekken", M::POST, "/toestemmingen/{toestemming}/intrekkingen", "fatima", 200, Van),
        // Conversations.
        zaak("tijdslotenOphalen", M::GET, "/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}", "fatima", 200, Eigen),
        zaak("gesprekkenOphalen", M::GET, "/gesprekken", "fatima", 200, Eigen).vrij(&["pieter-verkeerde-scope"]),
        zaak("roosterOphalen", M::GET, "/gespreksleiders/mij/rooster", "ruud", 200, Eigen),
        zaak("roosterVastleggen", M::PUT, "/gespreksleiders/mij/rooster", "ruud", 200, Eigen)
            .body(rooster.clone()).etag("/gespreksleiders/mij/rooster"),
        zaak("roosterVanOphalen", M::GET, "/gespreksleiders/{ruud}/rooster", "ingrid", 200, Van).vrij(&["ruud"]),
        zaak("roosterVanVastleggen", M::PUT, "/gespreksleiders/{ruud}/rooster", "ingrid", 200, Van)
            .body(rooster).etag("/gespreksleiders/{ruud}/rooster").vrij(&["ruud"]),
        zaak("gesprekAfronden", M::POST, "/gesprekken/{voorbij-gesprek}/afrondingen", "ruud", 200, Van)
            .body(json!({"uitkomst": "gehouden", "afspraken": "Over drie maanden weer."})),
        zaak("gesprekVerplaatsen", M::POST, "/gesprekken/{gesprek}/verplaatsingen", "fatima", 200, Van)
            .body(json!({"start": "{ander-tijdstip}", "reden": "Werk."})).vrij(&["ruud", "ingrid", "pieter-verkeerde-scope"]),
        zaak("gesprekToewijzen", M::POST, "/gesprekken/{gesprek}/toewijzingen", "ruud", 200, Van)
            .body(json!({"gespreksleider": "{karin}", "reden": "Afwezig."})).vrij(&["ingrid"]),
        zaak("gesprekAnnuleren", M::POST, "/gesprekken/{gesprek}/annuleringen", "fatima", 200, Van)
            .body(json!({"reden": "Ziek."})).vrij(&["ingrid", "pieter-verkeerde-scope"]),
        zaak("gesprekBoeken", M::POST, "/gesprekken", "fatima", 201, Eigen)
            .body(json!({"soort": "herstelrechtgesprek", "vorm": "video", "gespreksleider": "{ruud}", "start": "{derde-tijdstip}"})),
        // Messages and settings.
        zaak("berichtenOphalen", M::GET, "/mij/berichten", "fatima", 200, Eigen).vrij(&["lotte", "pieter"]),
        zaak("berichtOphalen", M::GET, "/mij/berichten/{bericht}", "fatima", 200, Van),
        zaak("berichtGelezen", M::PUT, "/mij/berichten/{bericht}/gelezen", "fatima", 204, Van),
        zaak("berichtOngelezen", M::DELETE, "/mij/berichten/{bericht}/gelezen", "fatima", 204, Van),
        zaak("logboekOphalen", M::GET, "/mij/logboek", "fatima", 200, Eigen),
        zaak("inzageOphalen", M::GET, "/mij/inzage", "fatima", 200, Eigen),
        zaak("meldingsinstellingenOphalen", M::GET, "/mij/meldingsinstellingen", "fatima", 200, Eigen),
        zaak("meldingsinstellingenWijzigen", M::PUT, "/mij/meldingsinstellingen", "fatima", 200, Eigen)
            .body(json!({"nietEssentieleEmail": false, "taal": "nl"})).etag("/mij/meldingsinstellingen"),
        zaak("emailadresOpgeven", M::PUT, "/mij/emailadres", "fatima", 202, Eigen).body(json!({"emailadres": "fatima2@example.nl"})),
        zaak("emailadresBevestigen", M::POST, "/mij/emailadres/bevestigingen", "fatima", 200, Eigen).body(json!({"code": "{code}"})),
        zaak("emailadresVerwijderen", M::DELETE, "/mij/emailadres", "fatima", 204, Eigen),
        zaak("bewaartermijnenToepassen", M::POST, "/beheer/bewaarrondes", "ingrid", 200, Van),
        zaak("uitgaandeBerichtenOphalen", M::GET, "/beheer/uitgaande-berichten", "ingrid", 200, Eigen),
        zaak("uitgaandBerichtOpnieuw", M::POST, "/beheer/uitgaande-berichten/{uitgaand}/nieuwe-pogingen", "ingrid", 202, Van),
        // Mandates.
        zaak("machtigingenOphalen", M::GET, "/machtigingen", "fatima", 200, Eigen).vrij(&["lotte", "pieter"]),
        zaak("machtigingOphalen", M::GET, "/machtigingen/{machtiging-lotte}", "fatima", 200, Van).vrij(&["lotte"]),
        zaak("machtigingAanvaarden", M::POST, "/machtigingen/{machtiging-lotte}/aanvaardingen", "lotte", 200, Van).body(json!({})).vrij(&["lotte"]),
        zaak("namensClientWerken", M::POST, "/machtigingen/{machtiging-lotte}/vertegenwoordigingen", "lotte", 201, Van).vrij(&["lotte"]),
        zaak("bevoegdhedenWijzigen", M::PUT, "/machtigingen/{machtiging-lotte}/bevoegdheden", "fatima", 200, Van)
            .body(json!({"bevoegdheden": alles})).etag("/machtigingen/{machtiging-lotte}"),
        zaak("handelingenOphalen", M::GET, "/machtigingen/{machtiging-lotte}/handelingen", "fatima", 200, Van),
        zaak("clientenOphalen", M::GET, "/clienten", "lotte", 200, Eigen).vrij(&["pieter-verkeerde-scope"]),
        zaak("kantoorWijzigen", M::PUT, "/advocaten/mij/kantoor", "lotte", 200, Eigen).body(json!({"kantoor": "Visser Advocaten"})),
        zaak("machtigingWeigeren", M::POST, "/machtigingen/{machtiging-pieter}/weigeringen", "pieter", 200, Van).vrij(&["pieter"]),
        zaak("machtigingIntrekken", M::POST, "/machtigingen/{machtiging-pieter}/intrekkingen", "fatima", 200, Van),
        zaak("machtigingBeeindigen", M::POST, "/machtigingen/{machtiging-lotte}/beeindigingen", "lotte", 200, Van).vrij(&["lotte"]),
        zaak("advocaatUitnodigen", M::POST, "/machtigingen", "fatima", 201, Eigen)
            .body(json!({"registratienummer": "A-10234", "bevoegdheden": ["aanvraag-inzien"], "geldigTot": "{over-90}"})),
        zaak("machtigingAanvragen", M::POST, "/machtigingsverzoeken", "pieter", 202, Eigen)
            .body(json!({"bsn": "999993653", "bevoegdheden": ["aanvraag-inzien"], "geldigTot": "{over-90}"})),
        zaak("uitloggen", M::DELETE, "/mij/sessie", "fatima-uit", 204, Eigen),
    ]
}
