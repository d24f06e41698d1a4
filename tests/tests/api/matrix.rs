//! The access matrix ([I]): every operation in the OpenAPI document × every kind of wrong
//! caller, aimed at *real* things of another parent, must answer 401/403/404 with none of her
//! data in the body and without changing anything — and the rightful caller gets the documented
//! 2xx on the same operation (so a 404 for an unknown id cannot pass as protection). An operation
//! added to the document without a row here fails the test.

use std::collections::{BTreeMap, BTreeSet};

use mijn_herstel_tests::{TestApp, db_test};
use reqwest::Method;
use serde_json::{Value, json};

use super::matrix_wereld::*;

/// What an operation is about, which decides what a wrong caller may hear.
#[derive(Clone, Copy, PartialEq)]
enum Soort {
    /// The victim's thing by id: 401 without a valid token, else 403 or 404.
    Van,
    /// The caller's own collection or self: others read their own (2xx allowed, no leak);
    /// writes by others are theirs and are not sent.
    Eigen,
    /// No login needed: only the no-leak check.
    Openbaar,
}

struct Zaak {
    op: &'static str,
    methode: Method,
    /// With `{naam}` placeholders from the world's ids, filled in when sent.
    pad: String,
    body: Option<Value>,
    /// The rightful caller (a token name) and what they get.
    wie: &'static str,
    status: u16,
    soort: Soort,
    /// Callers who are rightful here too (their function), skipped as attackers.
    vrij: &'static [&'static str],
    /// GET this path as the rightful caller for the If-Match value.
    etag_van: Option<String>,
    /// Store the response's `id` under this name (later rows use it).
    bewaar: Option<&'static str>,
}

fn zaak(
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

fn vul(tekst: &str, ids: &BTreeMap<&'static str, String>) -> String {
    let mut uit = tekst.to_string();
    for (k, v) in ids {
        uit = uit.replace(&format!("{{{k}}}"), v);
    }
    uit
}

/// The table, in the order the rightful calls can follow each other.
fn zaken() -> Vec<Zaak> {
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

/// A token that is ours in form but must never be accepted: tampered, expired, `alg: none`.
fn vervalst(goed: &str, issuer: &str) -> Vec<(&'static str, String)> {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use mijn_herstel::identity::dev_keys::DEV_TOKEN_KEY;
    use mijn_herstel::identity::tokens::{TokenKeys, TokenService};
    let delen: Vec<&str> = goed.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&B64.decode(delen[1]).unwrap()).unwrap();
    let (sub, sid) = (
        claims["sub"].as_str().unwrap().to_string(),
        claims["sid"].as_str().unwrap().to_string(),
    );
    claims["rol"] = json!("behandelaar");
    let gemanipuleerd = format!(
        "{}.{}.{}",
        delen[0],
        B64.encode(claims.to_string()),
        delen[2]
    );
    let none = format!(
        "{}.{}.",
        B64.encode(br#"{"alg":"none","typ":"at+jwt"}"#),
        delen[1]
    );
    let mut settings = mijn_herstel::config::Settings::default().tokens;
    settings.issuer = issuer.to_string();
    let ons = TokenService {
        keys: TokenKeys::from_pems(
            &BTreeMap::from([("dev-1".to_string(), DEV_TOKEN_KEY.to_string())]),
            "dev-1",
        )
        .unwrap(),
        settings,
    };
    let mut oud = ons.access_claims(&sub, &sid, "ouder", vec![], None);
    oud.exp -= 3600;
    oud.iat -= 3600;
    vec![
        ("gemanipuleerd", gemanipuleerd),
        ("alg-none", none),
        ("verlopen-token", ons.issue(oud)),
    ]
}

async fn verstuur(
    app: &TestApp,
    z: &Zaak,
    token: Option<&str>,
    ids: &BTreeMap<&'static str, String>,
    etag: Option<&str>,
) -> (u16, String) {
    let mut r = app.request(z.methode.clone(), &vul(&z.pad, ids));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(e) = etag {
        r = r.header("If-Match", e);
    }
    r = r.header("Idempotency-Key", uuid::Uuid::new_v4().to_string());
    r = match (&z.body, z.op) {
        (_, "bewijsstukToevoegen") => r
            .header("Content-Type", "application/pdf")
            .header("Content-Disposition", "attachment; filename=\"brief.pdf\"")
            .body(b"%PDF-1.4\n%%EOF\n".to_vec()),
        (Some(b), _) => r.json(&serde_json::from_str::<Value>(&vul(&b.to_string(), ids)).unwrap()),
        (None, _) if [Method::POST, Method::PUT].contains(&z.methode) => r.json(&json!({})),
        (None, _) => r,
    };
    let resp = r.send().await.unwrap();
    (
        resp.status().as_u16(),
        resp.text().await.unwrap_or_default(),
    )
}

/// What must never be in an answer to someone else: the canary, her name, her BSN.
fn lekt(body: &str) -> Option<&'static str> {
    [
        "KANARIE-7Q",
        "Fatima",
        "El Amrani",
        "Sanne",
        "Mohamed",
        "999993653",
        "999990032",
        "999990044",
        "0417164300",
    ]
    .into_iter()
    .find(|m| body.contains(m))
}

/// What a refused request may not change: the row counts of every table except the logs.
async fn vingerafdruk(app: &TestApp) -> Vec<(String, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = if app.db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    } else {
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    };
    let rijen = app
        .db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap();
    let mut uit = Vec::new();
    for r in rijen {
        let naam: String = r.try_get_by_index(0).unwrap();
        if [
            "auditregel",
            "verwerking",
            "idempotentie_sleutel",
            "sessie",
            "seaql_migrations",
            "notitie_fixture",
        ]
        .contains(&naam.as_str())
        {
            continue;
        }
        uit.push((
            naam.clone(),
            app.getal(&format!("SELECT COUNT(*) FROM {naam}")).await,
        ));
    }
    uit
}

/// Every row × one wrong caller; returns the number of requests sent.
async fn etag_van(
    app: &TestApp,
    z: &Zaak,
    pad: &str,
    ids: &BTreeMap<&'static str, String>,
    tokens: &BTreeMap<&'static str, String>,
) -> String {
    let r = app.get_as(&tokens[z.wie], &vul(pad, ids)).await;
    r.headers()
        .get("etag")
        .map(|e| e.to_str().unwrap().to_string())
        .unwrap_or_else(|| "*".into())
}

async fn aanval(
    app: &TestApp,
    zaken: &[Zaak],
    w: &Wereld,
    wie: &str,
    token: Option<&str>,
    fouten: &mut Vec<String>,
) -> usize {
    let (ids, tokens) = (&w.ids, &w.tokens);
    let geldig = token.is_some() && !["gemanipuleerd", "alg-none", "verlopen-token"].contains(&wie);
    let mut n = 0;
    for z in zaken {
        if z.vrij.contains(&wie) || z.wie == wie || vul(&z.pad, ids).contains('{') {
            continue;
        }
        let schrijft = z.methode != Method::GET;
        if geldig && z.soort == Soort::Eigen && schrijft {
            continue;
        }
        // With the rightful caller's current version: the strongest attempt, and it keeps the
        // version check from answering before the access check.
        let etag = match &z.etag_van {
            Some(p) => Some(etag_van(app, z, p, ids, tokens).await),
            None => None,
        };
        let (status, body) = verstuur(app, z, token, ids, etag.as_deref()).await;
        n += 1;
        let toegestaan: &[u16] = match (z.soort, geldig) {
            (Soort::Openbaar, _) => &[200, 302, 303, 400, 404, 415, 429],
            (_, false) => &[401],
            (Soort::Eigen, true) => &[200, 403, 404],
            (Soort::Van, true) => &[403, 404],
        };
        if !toegestaan.contains(&status) {
            fouten.push(format!(
                "{} als {wie}: {status} (verwacht {toegestaan:?}) {}",
                z.op,
                &body[..body.len().min(200)]
            ));
        }
        if let Some(m) = lekt(&body) {
            fouten.push(format!("{} als {wie}: lekt {m:?}", z.op));
        }
    }
    n
}

db_test! {
    async fn every_operation_refuses_everyone_but_the_rightful_actor(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            s.claims.vier_ogen_vanaf_cent = 1;
            // The sweep sends the login steps some hundred times; the limit has its own tests.
            s.limits.login_per_minute = 100_000;
            let t = s.gesprekken.typen.get_mut("herstelrechtgesprek").unwrap();
            t.boeken_vooraf_uren = 1;
            t.wijzigen_vooraf_uren = 1;
        }).await;
        let mut w = bouw(&app).await;
        let zaken = zaken();

        // The table covers the document exactly: a new operation cannot slip past.
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap()).unwrap();
        let in_doc: BTreeSet<String> = doc["paths"].as_object().unwrap().values()
            .flat_map(|ops| ops.as_object().unwrap().values().filter_map(|o| o["operationId"].as_str().map(String::from)))
            .collect();
        let in_tabel: BTreeSet<String> = zaken.iter().map(|z| z.op.to_string()).collect();
        assert_eq!(in_doc.difference(&in_tabel).collect::<Vec<_>>(), Vec::<&String>::new(), "operations without a matrix row");
        assert_eq!(in_tabel.difference(&in_doc).collect::<Vec<_>>(), Vec::<&String>::new(), "rows for operations that do not exist");
        assert_eq!(zaken.len(), in_doc.len(), "one row per operation");

        let mut fouten = Vec::new();
        let mut verzoeken = 0;
        let concept_tag = app.get_as(w.token("sanne"), &format!("/aanvragen/{}", w.id("concept"))).await.headers()["etag"].clone();

        // A lawyer without any mandate; then invited (pending).
        verzoeken += aanval(&app, &zaken, &w, "pieter-zonder", Some(w.token("pieter")), &mut fouten).await;
        let m = ok(send(&app, Method::POST, w.token("fatima"), "/machtigingen", json!({"registratienummer": "A-20871", "bevoegdheden": ["gesprekken-plannen"], "geldigTot": over(90)})).await, 201).await;
        w.ids.insert("machtiging-pieter", m["id"].as_str().unwrap().to_string());
        let voor = vingerafdruk(&app).await;
        let issuer = app.settings.http.public_url.trim_end_matches("/v1").to_string();
        let mut aanvallers: Vec<(&str, Option<String>)> = vec![("geen", None)];
        aanvallers.extend(vervalst(w.token("fatima"), &issuer).into_iter().map(|(n, t)| (n, Some(t))));
        for naam in ["jeroen", "pieter", "lotte", "bram", "karin", "ingrid"] {
            aanvallers.push((naam, Some(w.token(naam).to_string())));
        }
        for (naam, t) in &aanvallers {
            verzoeken += aanval(&app, &zaken, &w, naam, t.as_deref(), &mut fouten).await;
        }
        let na = vingerafdruk(&app).await;
        if na != voor {
            fouten.push(format!("geweigerde verzoeken veranderden iets: {:?}", na.iter().zip(&voor).filter(|(a, b)| a != b).collect::<Vec<_>>()));
        }
        let na_tag = app.get_as(w.token("sanne"), &format!("/aanvragen/{}", w.id("concept"))).await.headers()["etag"].clone();
        if na_tag != concept_tag {
            fouten.push("het concept veranderde".into());
        }
        assert!(fouten.is_empty(), "{}:\n{}", fouten.len(), fouten.join("\n"));

        // The rightful callers, in order; the lawyer states are set up along the way.
        let mut gedaan = BTreeSet::new();
        for z in &zaken {
            match z.op {
                "machtigingWeigeren" => {
                    // Pieter refuses the pending invitation (the rightful call), is invited again
                    // with one scope and accepts: now he acts with the wrong scope.
                    positief(&app, z, &mut w, &mut gedaan).await;
                    let m = ok(send(&app, Method::POST, w.token("fatima"), "/machtigingen", json!({"registratienummer": "A-20871", "bevoegdheden": ["gesprekken-plannen"], "geldigTot": over(90)})).await, 201).await;
                    let mid = m["id"].as_str().unwrap().to_string();
                    ok(send(&app, Method::POST, w.token("pieter"), &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await, 200).await;
                    let namens = ok(send(&app, Method::POST, w.token("pieter"), &format!("/machtigingen/{mid}/vertegenwoordigingen"), json!({})).await, 201).await;
                    let namens = namens["access_token"].as_str().unwrap().to_string();
                    let voor = vingerafdruk(&app).await;
                    verzoeken += aanval(&app, &zaken, &w, "pieter-verkeerde-scope", Some(&namens), &mut fouten).await;
                    assert_eq!(vingerafdruk(&app).await, voor);
                    // Revoked (the rightful call of that row): the same token, refused.
                    w.ids.insert("machtiging-pieter", mid);
                    let intrekken = zaken.iter().find(|z| z.op == "machtigingIntrekken").unwrap();
                    positief(&app, intrekken, &mut w, &mut gedaan).await;
                    verzoeken += aanval(&app, &zaken, &w, "pieter-ingetrokken", Some(&namens), &mut fouten).await;
                    // Expired: every scope, but past its end date.
                    let m = ok(send(&app, Method::POST, w.token("fatima"), "/machtigingen", json!({"registratienummer": "A-20871", "bevoegdheden": ["aanvraag-inzien", "antwoorden-invullen", "indienen"], "geldigTot": over(90)})).await, 201).await;
                    let mid = m["id"].as_str().unwrap().to_string();
                    ok(send(&app, Method::POST, w.token("pieter"), &format!("/machtigingen/{mid}/aanvaardingen"), json!({})).await, 200).await;
                    let namens = ok(send(&app, Method::POST, w.token("pieter"), &format!("/machtigingen/{mid}/vertegenwoordigingen"), json!({})).await, 201).await;
                    use sea_orm::ConnectionTrait;
                    app.db.execute_unprepared(&format!("UPDATE machtiging SET geldig_tot = 1 WHERE id = '{mid}'")).await.unwrap();
                    verzoeken += aanval(&app, &zaken, &w, "pieter-verlopen", namens["access_token"].as_str(), &mut fouten).await;
                }
                "emailadresBevestigen" => {
                    let code = verificatiecode(&app).await;
                    w.ids.insert("code", code);
                    positief(&app, z, &mut w, &mut gedaan).await;
                }
                _ if gedaan.contains(z.op) => {}
                _ => positief(&app, z, &mut w, &mut gedaan).await,
            }
        }
        assert_eq!(gedaan.len(), zaken.len());
        assert!(fouten.is_empty(), "{} van {verzoeken} verzoeken fout:\n{}", fouten.len(), fouten.join("\n"));
        println!("toegangsmatrix: {} operaties, {verzoeken} geweigerde verzoeken, 0 lekken", zaken.len());
    }
}

async fn positief(app: &TestApp, z: &Zaak, w: &mut Wereld, gedaan: &mut BTreeSet<&'static str>) {
    let token = (!z.wie.is_empty()).then(|| w.token(z.wie).to_string());
    let etag = match &z.etag_van {
        Some(p) => Some(etag_van(app, z, p, &w.ids, &w.tokens).await),
        None => None,
    };
    let (status, body) = verstuur(app, z, token.as_deref(), &w.ids, etag.as_deref()).await;
    assert_eq!(status, z.status, "{} als {}: {body}", z.op, z.wie);
    if let Some(naam) = z.bewaar {
        let v: Value = serde_json::from_str(&body).unwrap();
        w.ids.insert(naam, v["id"].as_str().unwrap().to_string());
    }
    if z.op == "namensClientWerken" {
        let v: Value = serde_json::from_str(&body).unwrap();
        w.tokens.insert(
            "lotte-namens",
            v["access_token"].as_str().unwrap().to_string(),
        );
    }
    gedaan.insert(z.op);
}

/// The code of the address confirmation: in the outbox until sent, then in the mail folder.
async fn verificatiecode(app: &TestApp) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let regel = |tekst: &str| {
        tekst
            .lines()
            .map(str::trim)
            .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
    };
    for _ in 0..100 {
        let rij = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(),
            "SELECT tekst FROM uitgaand_bericht WHERE soort = 'emailadres-verificatie' ORDER BY aangemaakt_op DESC")).await.unwrap();
        if let Some(code) = rij
            .and_then(|r| r.try_get_by_index::<String>(0).ok())
            .and_then(|t| regel(&t))
        {
            return code;
        }
        for f in std::fs::read_dir(app.mail_dir()).unwrap().flatten() {
            let tekst = std::fs::read_to_string(f.path()).unwrap_or_default();
            if tekst.contains("fatima2@example.nl")
                && let Some(code) = regel(&tekst)
            {
                return code;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("geen code in de mail")
}
