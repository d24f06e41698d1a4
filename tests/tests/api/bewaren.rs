//! Retention ([I]): a draft nobody touched for its term is deleted with its documents; a claim
//! that ended is anonymised after the retention period (what the parent told us goes, the
//! settlement's status and amounts stay); ended sessions go; each step is in the audit log; a
//! second round does nothing; only a beheerder starts one.

use mijn_herstel_tests::aanvraag::etag;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const INGRID: &str = "0193a6c2-0000-7000-8000-000000000023";
const SANNE: &str = "0193a6c2-0000-7000-8000-000000000003";
const JAAR_MS: i64 = 366 * 24 * 3_600_000;

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

fn bestanden(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |e| {
        e.flatten()
            .map(|e| {
                if e.path().is_dir() {
                    bestanden(&e.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

async fn ronde(app: &TestApp, t: &str) -> Value {
    let r = app
        .request(Method::POST, "/beheer/bewaarrondes")
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

db_test! {
    async fn past_their_term_drafts_go_and_ended_claims_are_anonymised(backend) {
        let app = TestApp::spawn(backend).await;
        let ingrid = token(&app.login("medewerker", INGRID).await);
        // Sanne: a draft with a document, last touched 13 months ago.
        let sanne = token(&app.login("digid", SANNE).await);
        let r = app.create_claim(&sanne).await;
        let tag = etag(&r);
        let concept = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let (stap, antwoorden) = mijn_herstel_tests::aanvraag::golden_steps()[0].clone();
        let r = app.save_step(&sanne, &concept, stap, &tag, &antwoorden).await;
        assert_eq!(r.status().as_u16(), 200);
        let stuk = app.request(Method::POST, &format!("/aanvragen/{concept}/bewijsstukken"))
            .bearer_auth(&sanne).header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .header("Content-Type", "application/pdf").header("Content-Disposition", "attachment; filename=\"brief.pdf\"")
            .body(b"%PDF-1.4\n%%EOF\n".to_vec()).send().await.unwrap();
        assert_eq!(stuk.status().as_u16(), 201);
        assert_eq!(bestanden(&app.mail_dir().join("bewijs")), 1);
        // Fatima: a submitted claim with a note, then withdrawn, 8 years ago. Jeroen: a fresh draft.
        let (ingetrokken, _, fatima) = app.submitted_claim(FATIMA).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        app.request(Method::PUT, &format!("/behandeling/aanvragen/{ingetrokken}/toewijzing")).bearer_auth(&anouk).json(&json!({})).send().await.unwrap();
        let n = app.request(Method::POST, &format!("/behandeling/aanvragen/{ingetrokken}/notities")).bearer_auth(&anouk).json(&json!({"tekst": "Intern."})).send().await.unwrap();
        assert_eq!(n.status().as_u16(), 201);
        let w = app.request(Method::POST, &format!("/aanvragen/{ingetrokken}/intrekkingen")).bearer_auth(&fatima).json(&json!({"reden": "Ik stop."})).send().await.unwrap();
        assert_eq!(w.status().as_u16(), 200);
        let jeroen = token(&app.login("digid", JEROEN).await);
        let vers = app.create_claim(&jeroen).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();

        // Not yet past any term: nothing happens.
        assert_eq!(ronde(&app, &ingrid).await, json!({"conceptenVerwijderd": 0, "afgerondGeanonimiseerd": 0, "sessiesOpgeruimd": 0}));
        app.db.execute_unprepared(&format!("UPDATE aanvraag SET gewijzigd_op = gewijzigd_op - {} WHERE id = '{concept}'", 13 * JAAR_MS / 12)).await.unwrap();
        app.db.execute_unprepared(&format!("UPDATE aanvraag SET gewijzigd_op = gewijzigd_op - {} WHERE id = '{ingetrokken}'", 8 * JAAR_MS)).await.unwrap();
        app.db.execute_unprepared(&format!("UPDATE sessie SET laatst_gebruikt_op = laatst_gebruikt_op - {JAAR_MS}")).await.unwrap();

        // A dry run counts and changes nothing; a bad value is refused.
        let r = app.request(Method::POST, "/beheer/bewaarrondes?proef=true").bearer_auth(&ingrid).send().await.unwrap();
        let telling: Value = r.json().await.unwrap();
        assert_eq!((telling["conceptenVerwijderd"].as_u64(), telling["afgerondGeanonimiseerd"].as_u64()), (Some(1), Some(1)), "{telling}");
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM aanvraag WHERE id = '{concept}'")).await, 1);
        problem(app.request(Method::POST, "/beheer/bewaarrondes?proef=misschien").bearer_auth(&ingrid).send().await.unwrap(), 400).await;
        let r = ronde(&app, &ingrid).await;
        assert_eq!((r["conceptenVerwijderd"].as_u64(), r["afgerondGeanonimiseerd"].as_u64()), (Some(1), Some(1)), "{r}");
        assert!(r["sessiesOpgeruimd"].as_u64().unwrap() >= 5, "{r}");
        // The draft is gone, file and all; the fresh one stays.
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM aanvraag WHERE id = '{concept}'")).await, 0);
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM bewijsstuk WHERE aanvraag_id = '{concept}'")).await, 0);
        assert_eq!(bestanden(&app.mail_dir().join("bewijs")), 0);
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM aanvraag WHERE id = '{vers}'")).await, 1);
        // The ended claim keeps its status and submission, not what the parent told us.
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM aanvraag WHERE id = '{ingetrokken}' AND status = 'ingetrokken' AND antwoorden = '{{}}'")).await, 1);
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM notitie WHERE aanvraag_id = '{ingetrokken}'")).await, 0);
        assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM indiening WHERE aanvraag_id = '{ingetrokken}'")).await, 1);
        // Audited, each with whose data it was.
        for actie in ["bewaartermijn-concept-verwijderd", "bewaartermijn-aanvraag-geanonimiseerd", "bewaartermijn-sessies-opgeruimd"] {
            assert_eq!(app.getal(&format!("SELECT COUNT(*) FROM auditregel WHERE actie = '{actie}' AND uitkomst = 'gelukt'")).await, 1, "{actie}");
        }
        // The sessions went: the old tokens no longer work (log in again).
        problem(app.get_as(&sanne, "/mij").await, 401).await;
        let ingrid = token(&app.login("medewerker", INGRID).await);
        // Once is enough.
        assert_eq!(ronde(&app, &ingrid).await, json!({"conceptenVerwijderd": 0, "afgerondGeanonimiseerd": 0, "sessiesOpgeruimd": 0}));
        // Only a beheerder.
        let fatima = token(&app.login("digid", FATIMA).await);
        problem(app.request(Method::POST, "/beheer/bewaarrondes").bearer_auth(&fatima).send().await.unwrap(), 403).await;
        problem(app.request(Method::POST, "/beheer/bewaarrondes").send().await.unwrap(), 401).await;
    }
}
