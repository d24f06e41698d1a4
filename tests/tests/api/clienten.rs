//! `GET /v1/clienten` on a seeded population ([J]): the database pages and filters, and the
//! result is the same as reading every client: pages add up to the whole list in a stable order,
//! the status filter counts exactly the clients whose claim the lawyer may read, a mandate
//! without the scope to read the claim neither shows nor matches a status, and only the clients
//! on the page are decided on (and audited).

use std::sync::Arc;

use mijn_herstel::demo::populatie;
use mijn_herstel::identity;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test};
use sea_orm::ConnectionTrait;
use serde_json::Value;

const N: u64 = 200;

async fn seed(app: &TestApp) {
    let catalogus = mijn_herstel::wizard::Catalogus::shipped().expect("inhoud");
    let bronnen = populatie::Bronnen {
        vault: Arc::new(identity::vault_from(&app.settings).unwrap()),
        inhoud: catalogus.actueel().clone(),
        settings: Arc::new(app.settings.clone()),
    };
    populatie::seed(&app.db, bronnen, &populatie::Opties::new(N))
        .await
        .unwrap();
}

async fn lijst(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get_as(token, path).await;
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap()
}

fn rijen(v: &Value) -> Vec<Value> {
    v["resultaten"].as_array().unwrap().clone()
}

/// Clients whose mandate may read the claim, with an open claim in `status`, counted in SQL.
async fn met_status(app: &TestApp, status: &str) -> i64 {
    app.getal(&format!(
        "SELECT COUNT(*) FROM machtiging m JOIN aanvraag a ON a.open_sleutel = m.ouder_id \
         WHERE m.gemachtigde_id = '{LOTTE}' AND m.status = 'actief' \
         AND m.bevoegdheden LIKE '%\"aanvraag-inzien\"%' AND a.status = '{status}'"
    ))
    .await
}

db_test!(
    async fn the_database_pages_and_filters_the_lawyers_clients(backend) {
        let app = TestApp::spawn(backend).await;
        seed(&app).await;
        let lotte = app.login("advocaat", LOTTE).await["access_token"].as_str().unwrap().to_string();
        let alle = lijst(&app, &lotte, "/clienten?pageSize=100").await;
        let totaal = alle["paginering"]["totaal"].as_i64().unwrap();
        assert_eq!(totaal, app.count("machtiging").await);
        assert!(totaal > 10, "{totaal}");

        // Pages of 7 add up to the whole list, in the same order.
        let mut gepagineerd = Vec::new();
        for page in 1..=(totaal + 6) / 7 {
            let p = lijst(&app, &lotte, &format!("/clienten?pageSize=7&page={page}")).await;
            assert_eq!(p["paginering"]["totaal"], totaal);
            gepagineerd.extend(rijen(&p));
        }
        assert_eq!(gepagineerd, rijen(&alle));

        // Only the page is decided on: two decisions (claim, conversations) per client shown.
        let voor = app.getal("SELECT COUNT(*) FROM auditregel WHERE resource = 'clienten'").await;
        lijst(&app, &lotte, "/clienten?pageSize=5").await;
        let na = app.getal("SELECT COUNT(*) FROM auditregel WHERE resource = 'clienten'").await;
        assert_eq!(na - voor, 10);

        // The status filter counts what SQL counts, and every row has that status.
        for status in ["concept", "ingediend", "in-behandeling", "aanbod-gedaan"] {
            let f = lijst(&app, &lotte, &format!("/clienten?status={status}&pageSize=100")).await;
            assert_eq!(f["paginering"]["totaal"], met_status(&app, status).await, "{status}");
            assert!(rijen(&f).iter().all(|c| c["status"] == status), "{f}");
        }

        // A client whose mandate does not allow reading the claim: listed, without the claim,
        // and not found by a status filter.
        let concept = rijen(&alle).into_iter().find(|c| c["status"] == "concept").expect("a draft");
        let mid = concept["machtiging"].as_str().unwrap();
        let voor_filter = lijst(&app, &lotte, "/clienten?status=concept&pageSize=100").await["paginering"]["totaal"].as_i64().unwrap();
        app.db
            .execute_unprepared(&format!(
                "UPDATE machtiging SET bevoegdheden = '[\"bewijs-toevoegen\"]' WHERE id = '{mid}'"
            ))
            .await
            .unwrap();
        let na_alle = lijst(&app, &lotte, "/clienten?pageSize=100").await;
        assert_eq!(na_alle["paginering"]["totaal"], totaal);
        let zonder = rijen(&na_alle).into_iter().find(|c| c["machtiging"] == mid).unwrap();
        assert_eq!(zonder["status"], Value::Null);
        assert_eq!(zonder["aanvraag"], Value::Null);
        assert_eq!(zonder["openVragen"], 0);
        let f = lijst(&app, &lotte, "/clienten?status=concept&pageSize=100").await;
        assert_eq!(f["paginering"]["totaal"], voor_filter - 1);
        assert!(!rijen(&f).iter().any(|c| c["machtiging"] == mid));
    }
);
