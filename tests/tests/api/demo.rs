//! Demo data on an empty development database, on both databases, with the BSN canaries.

use mijn_herstel::identity::persona::{PERSONAS, Soort};
use mijn_herstel::identity::{self, bsn::Bsn};
use mijn_herstel_tests::{TestApp, db_test};
use sea_orm::{ConnectionTrait, Statement};

db_test!(
    async fn an_empty_development_database_gets_the_test_persons_with_encrypted_bsns(backend) {
        let app = TestApp::spawn_with(backend, |s| s.demo.seed_on_empty = true).await;
        assert_eq!(app.count("persoon").await, PERSONAS.len() as i64);
        let vault = identity::vault_from(&app.settings).unwrap();
        for persona in PERSONAS.iter().filter(|p| p.soort == Soort::Ouder) {
            let bsn = Bsn::parse(persona.bsn.unwrap()).unwrap();
            // Positive control: the stored ciphertext opens to the canary, and the index finds it.
            let found = identity::store::find_by_bsn(&app.db, &vault, &bsn).await.unwrap().expect("found by blind index");
            assert_eq!(found.naam, persona.naam);
            assert_eq!(identity::store::bsn_of(&app.db, &vault, found.id).await.unwrap(), Some(bsn));
        }
        // No column holds a canary in plaintext.
        let backend = app.db.get_database_backend();
        let rows = app
            .db
            .query_all_raw(Statement::from_string(backend, "SELECT id, naam, bsn_index, bsn_sleutel_id, externe_sleutel FROM persoon".to_string()))
            .await
            .unwrap();
        let mut text = String::new();
        for row in rows {
            for column in ["id", "naam", "bsn_index", "bsn_sleutel_id", "externe_sleutel"] {
                text.push_str(&row.try_get::<Option<String>>("", column).unwrap().unwrap_or_default());
            }
        }
        assert!(text.contains("Fatima El Amrani"));
        for persona in PERSONAS.iter().filter_map(|p| p.bsn) {
            assert!(!text.contains(persona), "BSN in plaintext");
        }
        // The demo experts keep office hours: a parent finds free times in the coming weeks.
        let fatima = app.login("digid", "0193a6c2-0000-7000-8000-000000000001").await;
        let t = fatima["access_token"].as_str().unwrap();
        let van = chrono::Utc::now().date_naive() + chrono::Days::new(7);
        let tot = van + chrono::Days::new(6);
        let r = app.get_as(t, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={van}&tot={tot}")).await;
        assert_eq!(r.status().as_u16(), 200);
        let vrij: serde_json::Value = r.json().await.unwrap();
        assert!(vrij["resultaten"].as_array().is_some_and(|a| !a.is_empty()), "geen vrije tijden: {vrij}");
        // A second start seeds nothing more.
        assert_eq!(mijn_herstel::demo::seed_if_empty(&app.db, &vault).await.unwrap(), None);
    }
);
