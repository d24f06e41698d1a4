//! The world the access matrix attacks: parents (Fatima, Sanne, Mohamed) with a real thing behind every kind
//! of identifier — a draft claim with a document, a claim with an offer, a claim under review
//! with a question and a note, a consent, a retrieval and its data, messages, a conversation,
//! mandates — each holding a canary text that must never appear in anyone else's answer.

use std::collections::BTreeMap;

use mijn_herstel_tests::TestApp;
use mijn_herstel_tests::aanvraag::{etag, golden_steps};
use mijn_herstel_tests::login::*;
use reqwest::Method;
use serde_json::{Value, json};

pub const RUUD: &str = "0193a6c2-0000-7000-8000-000000000022";
pub const INGRID: &str = "0193a6c2-0000-7000-8000-000000000023";
pub const KARIN: &str = "0193a6c2-0000-7000-8000-000000000025";
pub const SANNE: &str = "0193a6c2-0000-7000-8000-000000000003";
pub const MOHAMED: &str = "0193a6c2-0000-7000-8000-000000000004";
pub const PIETER: &str = "0193a6c2-0000-7000-8000-000000000012";
/// Text planted in the victim's data; a refusal that contains it is a leak.
pub const KANARIE: &str = "KANARIE-7Q";

pub fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

pub async fn send(
    app: &TestApp,
    method: Method,
    t: &str,
    path: &str,
    body: Value,
) -> reqwest::Response {
    app.request(method, path)
        .bearer_auth(t)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub async fn ok(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

pub fn over(dagen: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(dagen)).to_string()
}

/// Identifiers of the victim's things, by name, and the tokens of everyone in the play.
pub struct Wereld {
    pub ids: BTreeMap<&'static str, String>,
    pub tokens: BTreeMap<&'static str, String>,
}

impl Wereld {
    pub fn id(&self, naam: &str) -> &str {
        self.ids
            .get(naam)
            .unwrap_or_else(|| panic!("geen id {naam}"))
    }
    pub fn token(&self, naam: &str) -> &str {
        self.tokens
            .get(naam)
            .unwrap_or_else(|| panic!("geen token {naam}"))
    }
}

async fn pdf(app: &TestApp, t: &str, claim: &str) -> Value {
    let r = app
        .request(Method::POST, &format!("/aanvragen/{claim}/bewijsstukken"))
        .bearer_auth(t)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .header("Content-Type", "application/pdf")
        .header(
            "Content-Disposition",
            format!("attachment; filename=\"{KANARIE}.pdf\""),
        )
        .body(b"%PDF-1.4\n%%EOF\n".to_vec())
        .send()
        .await
        .unwrap();
    ok(r, 201).await
}

async fn ingediend(app: &TestApp, anouk: &str, ouder: &str) -> String {
    let (s, _, _) = app.submitted_claim(ouder).await;
    ok(
        send(
            app,
            Method::PUT,
            anouk,
            &format!("/behandeling/aanvragen/{s}/toewijzing"),
            json!({}),
        )
        .await,
        200,
    )
    .await;
    app.accept_open_posts(anouk, &s).await;
    s
}

pub async fn bouw(app: &TestApp) -> Wereld {
    let mut ids = BTreeMap::new();
    let mut tokens = BTreeMap::new();
    let fatima = token(&app.login("digid", FATIMA).await);
    let fatima_id = id(&ok(app.get_as(&fatima, "/mij").await, 200).await);
    mijn_herstel::notify::service::demo_adres(
        &app.db,
        fatima_id.parse().unwrap(),
        "fatima@example.nl",
    )
    .await
    .unwrap();
    let anouk = token(&app.login("medewerker", ANOUK).await);
    let bram = token(&app.login("medewerker", BRAM).await);
    let ruud = token(&app.login("medewerker", RUUD).await);
    let lotte = token(&app.login("advocaat", LOTTE).await);
    let pieter = token(&app.login("advocaat", PIETER).await);

    // A draft with every step answered and a document.
    let sanne = token(&app.login("digid", SANNE).await);
    let r = app.create_claim(&sanne).await;
    let mut tag = etag(&r);
    let concept = id(&r.json().await.unwrap());
    for (stap, antwoorden) in golden_steps() {
        let r = app
            .save_step(&sanne, &concept, stap, &tag, &antwoorden)
            .await;
        tag = etag(&r);
    }
    let stuk = pdf(app, &sanne, &concept).await;
    let posten = ok(
        app.get_as(&sanne, &format!("/aanvragen/{concept}/schadeposten"))
            .await,
        200,
    )
    .await;
    ids.insert(
        "post",
        posten["resultaten"][0]["id"].as_str().unwrap().to_string(),
    );
    ids.insert("concept", concept);
    ids.insert("bewijsstuk", id(&stuk));

    // A claim with an offer (four eyes: Bram approves), and one under review with a question.
    let met_aanbod = ingediend(app, &anouk, FATIMA).await;
    let aanbod = ok(send(app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{met_aanbod}/aanbiedingen"),
        json!({"toelichting": format!("Toegekend. {KANARIE}"), "procedures": [{"kenmerk": "BZ-2025-1187", "omschrijving": "Bezwaar"}]})).await, 201).await;
    ids.insert("aanbod", id(&aanbod));
    ok(
        send(
            app,
            Method::POST,
            &bram,
            &format!("/behandeling/aanbiedingen/{}/goedkeuringen", id(&aanbod)),
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ids.insert("met-aanbod", met_aanbod);
    let in_behandeling = ingediend(app, &anouk, MOHAMED).await;
    let mohamed = token(&app.login("digid", MOHAMED).await);
    let tl = ok(
        app.get_as(&mohamed, &format!("/aanvragen/{in_behandeling}/tijdlijn"))
            .await,
        200,
    )
    .await;
    ids.insert("referentie", tl["referentie"].as_str().unwrap().to_string());
    let beoordeling = ok(
        app.get_as(
            &anouk,
            &format!("/behandeling/aanvragen/{in_behandeling}/beoordeling"),
        )
        .await,
        200,
    )
    .await;
    let post = beoordeling["resultaten"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let vraag = ok(
        send(
            app,
            Method::POST,
            &anouk,
            &format!("/behandeling/aanvragen/{in_behandeling}/vragen"),
            json!({"vraag": format!("Hoe lang? {KANARIE}"), "betreft": post}),
        )
        .await,
        201,
    )
    .await;
    ids.insert("vraag", id(&vraag));
    ids.insert("beoordeelde-post", post);
    ok(
        send(
            app,
            Method::POST,
            &anouk,
            &format!("/behandeling/aanvragen/{in_behandeling}/notities"),
            json!({"tekst": format!("Notitie {KANARIE}")}),
        )
        .await,
        201,
    )
    .await;
    ids.insert("in-behandeling", in_behandeling);

    // Consent, a retrieval and its data.
    let toestemming = ok(
        send(
            app,
            Method::POST,
            &fatima,
            "/toestemmingen",
            json!({"bron": "uht"}),
        )
        .await,
        201,
    )
    .await;
    ids.insert("toestemming", id(&toestemming));
    let b = ok(
        send(
            app,
            Method::POST,
            &fatima,
            "/bevragingen",
            json!({"bronnen": ["uht"]}),
        )
        .await,
        202,
    )
    .await;
    let bevraging = id(&b);
    for _ in 0..200 {
        if ok(
            app.get_as(&fatima, &format!("/bevragingen/{bevraging}"))
                .await,
            200,
        )
        .await["klaar"]
            == true
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let gegevens = ok(app.get_as(&fatima, "/opgehaalde-gegevens").await, 200).await;
    ids.insert("gegeven", id(&gegevens["resultaten"][0]));
    ids.insert("bevraging", bevraging);
    let berichten = ok(app.get_as(&fatima, "/mij/berichten").await, 200).await;
    ids.insert("bericht", id(&berichten["resultaten"][0]));

    // Conversations with Ruud: one already past (to be recorded), one to come. Karin is free too.
    let week: Vec<Value> = ["ma", "di", "wo", "do", "vr", "za", "zo"]
        .iter()
        .map(|d| json!({"dag": d, "van": "09:00", "tot": "17:00"}))
        .collect();
    let rooster = json!({"vormen": ["video"], "talen": ["nl"], "week": week, "uitzonderingen": [], "afwezig": []});
    let karin = token(&app.login("medewerker", KARIN).await);
    for t in [&ruud, &karin] {
        ok(
            app.request(Method::PUT, "/gespreksleiders/mij/rooster")
                .bearer_auth(t)
                .header("If-Match", "*")
                .json(&rooster)
                .send()
                .await
                .unwrap(),
            200,
        )
        .await;
    }
    let ruud_id = id(&ok(app.get_as(&ruud, "/mij").await, 200).await);
    ids.insert(
        "karin",
        id(&ok(app.get_as(&karin, "/mij").await, 200).await),
    );
    let dag = over(5);
    let tijden = ok(
        app.get_as(
            &fatima,
            &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}"),
        )
        .await,
        200,
    )
    .await;
    let starts: Vec<String> = tijden["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["gespreksleider"] == ruud_id.as_str())
        .map(|s| s["start"].as_str().unwrap().to_string())
        .collect();
    let boek = |start: String| {
        let body = json!({"soort": "herstelrechtgesprek", "vorm": "video", "gespreksleider": ruud_id, "start": start, "voorkeuren": {"onderwerp": KANARIE}});
        app.request(Method::POST, "/gesprekken")
            .bearer_auth(&fatima)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&body)
            .send()
    };
    let voorbij = id(&ok(boek(starts[0].clone()).await.unwrap(), 201).await);
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared(&format!("UPDATE gesprek SET start_op = start_op - 864000000, eind_op = eind_op - 864000000 WHERE id = '{voorbij}'")).await.unwrap();
    ids.insert("voorbij-gesprek", voorbij);
    ids.insert(
        "gesprek",
        id(&ok(boek(starts[4].clone()).await.unwrap(), 201).await),
    );
    ids.insert("ander-tijdstip", starts[8].clone());
    ids.insert("derde-tijdstip", starts[12].clone());
    ids.insert("dag", dag);
    ids.insert("ruud", ruud_id);
    ids.insert("over-90", over(90));
    // Until the real one is read from the outbox, just before the rightful call.
    ids.insert("code", "123456".into());

    // A court-appointed representative on the claim under review.
    let v = ok(send(app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{}/vertegenwoordigers", ids["in-behandeling"]),
        json!({"bsn": "999990032", "soort": "bewindvoerder", "naam": "S. Jansen", "uitspraak": "C/16/512345 / FA RK 24-1234", "geldigTot": over(365)})).await, 201).await;
    ids.insert("vertegenwoordiging", id(&v));

    // Lotte: invited with every scope, not yet accepted.
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
    let m = ok(
        send(
            app,
            Method::POST,
            &fatima,
            "/machtigingen",
            json!({"registratienummer": "A-10234", "bevoegdheden": alles, "geldigTot": over(90)}),
        )
        .await,
        201,
    )
    .await;
    ids.insert("machtiging-lotte", id(&m));
    // One mail that could not be delivered, for the beheerder to send again.
    let mislukt = app
        .getal("SELECT MIN(aangemaakt_op) FROM uitgaand_bericht")
        .await;
    app.db.execute_unprepared(&format!("UPDATE uitgaand_bericht SET status = 'mislukt', laatste_fout = 'test' WHERE aangemaakt_op = {mislukt}")).await.unwrap();
    let rij = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT id FROM uitgaand_bericht WHERE aangemaakt_op = {mislukt}"),
        ))
        .await
        .unwrap()
        .unwrap();
    ids.insert("uitgaand", rij.try_get_by_index::<String>(0).unwrap());

    for (naam, t) in [
        ("fatima", fatima),
        ("anouk", anouk),
        ("bram", bram),
        ("ruud", ruud),
        ("lotte", lotte),
        ("pieter", pieter),
    ] {
        tokens.insert(naam, t);
    }
    tokens.insert("jeroen", token(&app.login("digid", JEROEN).await));
    tokens.insert("karin", karin);
    tokens.insert("sanne", sanne);
    tokens.insert("mohamed", mohamed);
    tokens.insert("fatima-uit", token(&app.login("digid", FATIMA).await));
    tokens.insert("ingrid", ingrid_of(app).await);
    Wereld { ids, tokens }
}

async fn ingrid_of(app: &TestApp) -> String {
    token(&app.login("medewerker", INGRID).await)
}
