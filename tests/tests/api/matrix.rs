//! The access matrix ([I]): every operation in the OpenAPI document × every kind of wrong
//! caller, aimed at *real* things of another parent, must answer 401/403/404 with none of her
//! data in the body and without changing anything — and the rightful caller gets the documented
//! 2xx on the same operation (so a 404 for an unknown id cannot pass as protection). An operation
//! added to the document without a row here fails the test.

use std::collections::{BTreeMap, BTreeSet};

use mijn_herstel_tests::{TestApp, db_test};
use reqwest::Method;
use serde_json::{Value, json};

use super::matrix_tabel::*;
use super::matrix_wereld::*;

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
