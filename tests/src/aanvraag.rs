//! A parent's answers, step by step: the golden persona of the engine's unit tests, as an app
//! would send them.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::TestApp;

/// (step, answers) in questionnaire order.
pub fn golden_steps() -> Vec<(&'static str, Value)> {
    vec![
        (
            "start",
            json!({"start.erkend": true, "start.ib-definitief": true, "start.eerder-afgewikkeld": "nee", "start.advocaat": false, "start.taal": "nl"}),
        ),
        ("gegevens", json!({"gegevens.toestemming": []})),
        (
            "tijdlijn",
            json!({
                "tijdlijn.probleemstart": "2012-03-01",
                "tijdlijn.toeslagjaren": [{"jaar": 2010, "teruggevorderd": 300000, "terugbetaald": 150000, "datum-terugvordering": "2012-03-01"}],
                "tijdlijn.gezinsleden": 4,
                "tijdlijn.leefgebieden": ["wonen", "werk-inkomen", "schulden", "gezin", "gezondheid", "opleiding", "bezittingen", "kosten"]
            }),
        ),
        (
            "wonen",
            json!({"wonen.geraakt": true, "wonen.verlies-soort": "koopwoning", "wonen.verlies-datum": "2014-05-01",
            "wonen.noodgedwongen-verhuisd": true, "wonen.verhuis-datum": "2014-06-01",
            "wonen.dakloos": true, "wonen.dakloos-jaren": 2, "wonen.dakloos-sinds": "2014-06-01"}),
        ),
        (
            "werk-inkomen",
            json!({"werk-inkomen.geraakt": true, "werk-inkomen.baan-verloren": true, "werk-inkomen.baanverlies-datum": "2013-01-15",
            "werk-inkomen.minder-gewerkt": true, "werk-inkomen.minder-gewerkt-jaren": 3, "werk-inkomen.minder-gewerkt-sinds": "2013-02-01",
            "werk-inkomen.onderneming-beeindigd": false, "werk-inkomen.pensioen-gemist": false}),
        ),
        (
            "schulden",
            json!({"schulden.geraakt": true, "schulden.beslag": true, "schulden.beslag-datum": "2012-09-01", "schulden.beslag-duur": "lang", "schulden.deurwaarder": false}),
        ),
        (
            "gezin",
            json!({"gezin.geraakt": true, "gezin.relatiebreuk": true, "gezin.relatiebreuk-datum": "2011-06-01",
            "gezin.uithuisplaatsing": true, "gezin.uithuisgeplaatst-aantal": 2, "gezin.uithuisplaatsing-datum": "2015-01-01"}),
        ),
        (
            "gezondheid",
            json!({"gezondheid.geraakt": true, "gezondheid.ernst": "zwaar", "gezondheid.klachten-sinds": "2012-06-01"}),
        ),
        (
            "opleiding",
            json!({"opleiding.geraakt": true, "opleiding.vertraging-jaren": 1, "opleiding.sinds": "2013-09-01"}),
        ),
        (
            "bezittingen",
            json!({"bezittingen.geraakt": true, "bezittingen.waarde-klasse": "tot-5000", "bezittingen.datum": "2013-03-01"}),
        ),
        (
            "kosten",
            json!({"kosten.geraakt": true, "kosten.vervangende-opvang": false, "kosten.juridisch": "aanzienlijk"}),
        ),
        (
            "eigen-verhaal",
            json!({"eigen-verhaal.tekst": "Wij verloren ons huis en daarna bijna alles."}),
        ),
        (
            "ondersteuning",
            json!({"ondersteuning.herstelrechtgesprek": true}),
        ),
        ("overzicht", json!({"overzicht.naar-waarheid": true})),
    ]
}

pub fn etag(response: &Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("ETag")
        .to_string()
}

impl TestApp {
    pub async fn create_claim(&self, token: &str) -> Response {
        self.request(Method::POST, "/aanvragen")
            .bearer_auth(token)
            .send()
            .await
            .expect("aanvraag")
    }

    pub async fn save_step(
        &self,
        token: &str,
        id: &str,
        step: &str,
        etag: &str,
        answers: &Value,
    ) -> Response {
        self.request(Method::PUT, &format!("/aanvragen/{id}/stappen/{step}"))
            .bearer_auth(token)
            .header("If-Match", etag)
            .json(&json!({"antwoorden": answers}))
            .send()
            .await
            .expect("stap")
    }

    /// A complete claim of `persona`, submitted: (id, reference, the parent's access token).
    pub async fn submitted_claim(&self, persona: &str) -> (String, String, String) {
        let tokens = self.login("digid", persona).await;
        let t = tokens["access_token"].as_str().unwrap().to_string();
        let created = self.create_claim(&t).await;
        let mut tag = etag(&created);
        let id = created.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        for (step, answers) in golden_steps() {
            tag = etag(&self.save_step(&t, &id, step, &tag, &answers).await);
        }
        let r = self
            .request(Method::POST, &format!("/aanvragen/{id}/indieningen"))
            .bearer_auth(&t)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"verklaringNaarWaarheid": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        let referentie = r.json::<Value>().await.unwrap()["referentie"]
            .as_str()
            .unwrap()
            .to_string();
        (id, referentie, t)
    }
}

/// The posts of the golden claim that need a decision (it is a low-impact claim: the indicator
/// rule holds, so every indicator-sensitive post waits for the behandelaar), with their lump sums.
pub fn te_beoordelen(beoordeling: &Value) -> Vec<(String, i64)> {
    let open: Vec<&str> = beoordeling["nogTeBeoordelen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    beoordeling["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| open.contains(&p["id"].as_str().unwrap()))
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["forfaitair"].as_i64().unwrap(),
            )
        })
        .collect()
}

impl TestApp {
    /// The assigned behandelaar `t` accepts every post that still needs a decision.
    pub async fn accept_open_posts(&self, t: &str, id: &str) {
        let r = self
            .get_as(t, &format!("/behandeling/aanvragen/{id}/beoordeling"))
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let beoordeling: Value = r.json().await.unwrap();
        for (post, _) in te_beoordelen(&beoordeling) {
            let r = self
                .request(
                    Method::PUT,
                    &format!("/behandeling/aanvragen/{id}/posten/{post}/beoordeling"),
                )
                .bearer_auth(t)
                .json(&json!({"besluit": "geaccepteerd"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 200);
        }
    }
}
