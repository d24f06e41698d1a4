//! `seed-demo --ouders N` ([J]): a small population seeded into the test database by the library
//! function the CLI calls, then looked at over HTTP: the behandelaar's queue, the lawyer's
//! clients, a seeded parent's own claim. Counts per status are exact (the seeder spreads statuses
//! over every hundred parents), no BSN is stored readable, and a second run adds nothing.

use std::sync::Arc;

use mijn_herstel::demo::{ouder, populatie, sleutel};
use mijn_herstel::identity;
use mijn_herstel_tests::aanvraag::etag;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test};
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const N: u64 = 200;

fn bronnen(app: &TestApp) -> populatie::Bronnen {
    let catalogus = mijn_herstel::wizard::Catalogus::shipped().expect("inhoud");
    populatie::Bronnen {
        vault: Arc::new(identity::vault_from(&app.settings).unwrap()),
        inhoud: catalogus.actueel().clone(),
        settings: Arc::new(app.settings.clone()),
    }
}

/// The first column of the first row of `sql` as text.
async fn tekst(app: &TestApp, sql: &str) -> String {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_string()))
        .await
        .unwrap()
        .expect("row");
    row.try_get_by_index::<String>(0).unwrap()
}

async fn totaal(app: &TestApp, token: &str, path: &str) -> i64 {
    let r = app.get_as(token, path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json::<Value>().await.unwrap()["paginering"]["totaal"]
        .as_i64()
        .unwrap()
}

db_test!(
    async fn a_seeded_population_fills_the_queue_and_stays_sealed(backend) {
        let app = TestApp::spawn(backend).await;
        let r = populatie::seed(&app.db, bronnen(&app), &populatie::Opties::new(N)).await.unwrap();
        assert_eq!((r.nieuw, r.aanwezig), (N, 0));
        assert_eq!(app.count("persoon").await, N as i64 + 11, "the parents and the test persons");

        // Exact shares per hundred parents: every status is there.
        for (status, per_honderd) in [("concept", 25), ("ingediend", 15), ("in-behandeling", 20), ("aanbod-gedaan", 8),
            ("akkoord", 13), ("niet-akkoord", 3), ("ingetrokken", 5), ("doorverwezen", 3)] {
            let n = app.getal(&format!("SELECT COUNT(*) FROM aanvraag WHERE status = '{status}'")).await;
            assert_eq!(n, per_honderd * N as i64 / 100, "{status}");
        }
        assert_eq!(app.count("aanbod").await, app.getal("SELECT COUNT(*) FROM aanvraag WHERE status IN ('aanbod-gedaan', 'akkoord', 'niet-akkoord')").await);

        // The behandelaar sees every submitted claim in the queue, some of them assigned to her.
        let anouk = app.login("medewerker", ANOUK).await["access_token"].as_str().unwrap().to_string();
        let ingediend = app.count("indiening").await;
        assert!(ingediend > 100);
        assert_eq!(totaal(&app, &anouk, "/behandeling/aanvragen").await, ingediend);
        assert_eq!(totaal(&app, &anouk, "/behandeling/aanvragen?status=ingediend").await, 15 * N as i64 / 100);
        assert!(totaal(&app, &anouk, "/behandeling/aanvragen?toegewezen=mij").await > 10);
        // A claim assigned to her opens, with its posts recalculated with explanations.
        let id = tekst(&app, &format!("SELECT b.aanvraag_id FROM behandeling b JOIN aanvraag a ON a.id = b.aanvraag_id WHERE b.behandelaar_id = '{ANOUK}' AND a.status = 'akkoord'")).await;
        assert_eq!(app.get_as(&anouk, &format!("/aanvragen/{id}")).await.status().as_u16(), 200);
        let posten = app.get_as(&anouk, &format!("/aanvragen/{id}/schadeposten")).await;
        assert_eq!(posten.status().as_u16(), 200);

        // About one parent in ten has an active mandate, all with the demo lawyer.
        let machtigingen = app.count("machtiging").await;
        assert!((N as i64 / 20..=N as i64 * 3 / 20).contains(&machtigingen), "{machtigingen}");
        let lotte = app.login("advocaat", LOTTE).await["access_token"].as_str().unwrap().to_string();
        assert_eq!(totaal(&app, &lotte, "/clienten?pageSize=100").await, machtigingen);

        // A seeded parent with a session acts over HTTP: reads their draft and saves a step with
        // the ETag it got.
        let tokens = identity::tokens_from(&app.settings).unwrap();
        let i = (0..N).find(|i| ouder::status_van(*i).is_some_and(|s| s.code() == "concept")).unwrap();
        let t = populatie::toegangstoken(&tokens, i).expect("session");
        let claim = app.get_as(&t, &format!("/aanvragen/{}", sleutel::aanvraag(i))).await;
        assert_eq!(claim.status().as_u16(), 200);
        let tag = etag(&claim);
        let r = app.request(Method::PUT, &format!("/aanvragen/{}/stappen/start", sleutel::aanvraag(i)))
            .bearer_auth(&t).header("If-Match", tag)
            .json(&json!({"antwoorden": {"start.erkend": true, "start.ib-definitief": true,
                "start.eerder-afgewikkeld": "nee", "start.advocaat": false, "start.taal": "nl"}}))
            .send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());

        // No BSN readable anywhere in the person rows; the vault opens and finds them.
        let vault = identity::vault_from(&app.settings).unwrap();
        let backend = app.db.get_database_backend();
        let rows = app.db.query_all_raw(Statement::from_string(backend, "SELECT id, naam, email, bsn_index, bsn_versleuteld FROM persoon".to_string())).await.unwrap();
        let mut tekst = String::new();
        for row in rows {
            for kolom in ["id", "naam", "email", "bsn_index"] {
                tekst.push_str(&row.try_get::<Option<String>>("", kolom).unwrap().unwrap_or_default());
            }
            let blob = row.try_get::<Option<Vec<u8>>>("", "bsn_versleuteld").unwrap().unwrap_or_default();
            tekst.push_str(&String::from_utf8_lossy(&blob));
        }
        for i in 0..N {
            assert!(!tekst.contains(&sleutel::bsn(i).expose()), "BSN of parent {i} in plaintext");
        }
        let bsn = sleutel::bsn(7);
        let gevonden = identity::store::find_by_bsn(&app.db, &vault, &bsn).await.unwrap().expect("blind index");
        assert_eq!(gevonden.id, sleutel::ouder(7));
        assert_eq!(identity::store::bsn_of(&app.db, &vault, gevonden.id).await.unwrap(), Some(bsn));

        // A second run adds nothing.
        let (personen, audit) = (app.count("persoon").await, app.count("auditregel").await);
        let r = populatie::seed(&app.db, bronnen(&app), &populatie::Opties::new(N)).await.unwrap();
        assert_eq!((r.nieuw, r.aanwezig, r.totaal_rijen()), (0, N, 0));
        assert_eq!((app.count("persoon").await, app.count("auditregel").await), (personen, audit));
    }
);
