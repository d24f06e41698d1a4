//! The full journey of the canary test: a parent logs in, starts a claim, consents and has data
//! retrieved (the BSN travels to the sources), a lawyer asks for a mandate with the parent's BSN
//! in the body, an expert opens a schedule and the parent books a conversation (calendar mail),
//! and the parent downloads everything we hold (inzage).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};

use super::{APP, Server, client, hidden_fields, location, pkce};

const LOTTE: &str = "0193a6c2-0000-7000-8000-000000000011";
const RUUD: &str = "0193a6c2-0000-7000-8000-000000000022";

/// Logs `persona` in at `provider` through the development IdP's pages; the access token.
pub async fn inloggen(server: &Server, provider: &str, persona: &str) -> String {
    let c = client();
    let (verifier, challenge) = pkce();
    let start = c
        .get(format!("{}/v1/inloggen/{provider}", server.base))
        .query(&[("redirectUri", APP), ("codeChallenge", &challenge)])
        .send()
        .await
        .unwrap();
    let page = c
        .get(location(&start))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = page
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let mut fields = hidden_fields(&page);
    fields.push(("persona".into(), persona.into()));
    fields.push((
        "acr".into(),
        "http://eidas.europa.eu/LoA/substantial".into(),
    ));
    let submitted = c
        .post(format!("{}{action}", server.base))
        .form(&fields)
        .send()
        .await
        .unwrap();
    let callback = c.get(location(&submitted)).send().await.unwrap();
    let app = location(&callback);
    let query: HashMap<String, String> =
        serde_urlencoded::from_str(app.split_once('?').unwrap().1).unwrap();
    let tokens: Value = c
        .post(format!("{}/v1/token", server.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &query["code"]),
            ("code_verifier", &verifier),
            ("redirect_uri", APP),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"]
        .as_str()
        .expect("access token")
        .to_string()
}

async fn stuur(
    server: &Server,
    methode: reqwest::Method,
    t: &str,
    pad: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = client()
        .request(methode, format!("{}/v1{pad}", server.base))
        .bearer_auth(t)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string());
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The journey of one parent (`persona`, whose BSN is `bsn`); returns the export's text and an
/// access token that was (wrongly) sent in a URL, which the log must not show.
pub async fn volledig(server: &Server, persona: &str, bsn: &str) -> (String, String) {
    use reqwest::Method as M;
    let ouder = inloggen(server, "digid", persona).await;
    let r = client()
        .get(format!("{}/v1/mij?access_token={ouder}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let (s, claim) = stuur(server, M::POST, &ouder, "/aanvragen", None).await;
    assert!(s == 201 || s == 409, "{s} {claim}");
    for bron in ["uht", "brp"] {
        let (s, b) = stuur(
            server,
            M::POST,
            &ouder,
            "/toestemmingen",
            Some(json!({"bron": bron})),
        )
        .await;
        assert_eq!(s, 201, "{b}");
    }
    let (s, b) = stuur(
        server,
        M::POST,
        &ouder,
        "/bevragingen",
        Some(json!({"bronnen": ["uht", "brp"]})),
    )
    .await;
    assert_eq!(s, 202, "{b}");
    let pad = format!("/bevragingen/{}", b["id"].as_str().unwrap());
    for _ in 0..200 {
        if stuur(server, M::GET, &ouder, &pad, None).await.1["klaar"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, gegevens) = stuur(server, M::GET, &ouder, "/opgehaalde-gegevens", None).await;
    assert!(
        !gegevens["resultaten"].as_array().unwrap().is_empty(),
        "positive control: data came back"
    );

    let advocaat = inloggen(server, "advocaat", LOTTE).await;
    let tot = (chrono::Utc::now().date_naive() + chrono::Days::new(60)).to_string();
    let (s, _) = stuur(
        server,
        M::POST,
        &advocaat,
        "/machtigingsverzoeken",
        Some(json!({"bsn": bsn, "bevoegdheden": ["aanvraag-inzien"], "geldigTot": tot})),
    )
    .await;
    assert_eq!(s, 202);

    let ruud = inloggen(server, "medewerker", RUUD).await;
    let week: Vec<Value> = ["ma", "di", "wo", "do", "vr", "za", "zo"]
        .iter()
        .map(|d| json!({"dag": d, "van": "09:00", "tot": "17:00"}))
        .collect();
    let rooster = json!({"vormen": ["video"], "talen": ["nl"], "week": week, "uitzonderingen": [], "afwezig": []});
    let r = client()
        .put(format!("{}/v1/gespreksleiders/mij/rooster", server.base))
        .bearer_auth(&ruud)
        .header("If-Match", "*")
        .json(&rooster)
        .send()
        .await
        .unwrap();
    let (_, mij) = stuur(server, M::GET, &ruud, "/mij", None).await;
    assert!([200, 412].contains(&r.status().as_u16()));
    let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let (_, tijden) = stuur(
        server,
        M::GET,
        &ouder,
        &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}"),
        None,
    )
    .await;
    let vrij: Vec<&Value> = tijden["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["gespreksleider"] == mij["id"])
        .collect();
    let start = vrij[vrij.len() / 2]["start"].clone();
    let (s, g) = stuur(server, M::POST, &ouder, "/gesprekken", Some(json!({"soort": "herstelrechtgesprek", "vorm": "video", "gespreksleider": mij["id"], "start": start}))).await;
    assert_eq!(s, 201, "{g}");

    let r = client()
        .get(format!("{}/v1/mij/inzage", server.base))
        .bearer_auth(&ouder)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let export = r.text().await.unwrap();
    assert!(
        export.contains(&format!("******{}", &bsn[6..])),
        "positive control: the masked BSN is there"
    );
    (export, ouder)
}
