//! Restorative conversations ([G], second part): a beheerder keeps other experts' schedules,
//! conversations at a location carry the chosen place into the booking and the calendar file,
//! and the agenda is paginated.

use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

use super::gesprekken::{
    MOHAMED, RUUD, RUUD_ID, SANNE, app, boeking, book, ics_van, met_rooster, ok, rooster, token,
};

const INGRID: &str = "0193a6c2-0000-7000-8000-000000000023";
const KARIN: &str = "0193a6c2-0000-7000-8000-000000000025";

async fn zet(app: &TestApp, t: &str, pad: &str, versie: &str, body: &Value) -> reqwest::Response {
    app.request(Method::PUT, pad)
        .bearer_auth(t)
        .header("If-Match", versie)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn met_locaties() -> Value {
    let mut r = rooster();
    r["vormen"] = json!(["video", "op-locatie"]);
    r["locaties"] = json!([
        {"code": "utrecht", "naam": "Kantoor Utrecht", "adres": "Herculesplein 1, 3584 AA Utrecht"},
        {"code": "zwolle", "naam": "Kantoor Zwolle", "adres": "Stationsweg 2, 8011 CZ Zwolle"}
    ]);
    r
}

db_test! {
    async fn a_beheerder_keeps_another_experts_schedule_and_others_may_not(backend) {
        let app = app(backend).await;
        let ingrid = token(&app.login("medewerker", INGRID).await);
        let karin = token(&app.login("medewerker", KARIN).await);
        let ruud = token(&app.login("medewerker", RUUD).await);
        let fatima = token(&app.login("digid", FATIMA).await);
        let karin_id = ok(app.get_as(&karin, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        let ingrid_id = ok(app.get_as(&ingrid, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        let fatima_id = ok(app.get_as(&fatima, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        let pad = format!("/gespreksleiders/{karin_id}/rooster");

        // No schedule yet: 404 for the beheerder; the first write needs If-Match: *.
        problem(app.get_as(&ingrid, &pad).await, 404).await;
        let r = zet(&app, &ingrid, &pad, "*", &rooster()).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["etag"], "\"v1\"");
        // Karin sees what the beheerder set, as her own schedule, and keeps it from there.
        let eigen = app.get_as(&karin, "/gespreksleiders/mij/rooster").await;
        assert_eq!(eigen.headers()["etag"], "\"v1\"");
        assert_eq!(ok(eigen, 200).await["week"], rooster()["week"]);
        let mut minder = rooster();
        minder["week"] = json!([{"dag": "ma", "van": "13:00", "tot": "17:00"}]);
        ok(zet(&app, &karin, "/gespreksleiders/mij/rooster", "\"v1\"", &minder).await, 200).await;
        // The beheerder's stale version is refused; the current one works.
        problem(zet(&app, &ingrid, &pad, "\"v1\"", &rooster()).await, 412).await;
        ok(zet(&app, &ingrid, &pad, "\"v2\"", &rooster()).await, 200).await;

        // Bad input names the field; nothing is stored.
        let mut fout = rooster();
        fout["week"][0]["dag"] = json!("maandag");
        let p = problem(zet(&app, &ingrid, &pad, "\"v3\"", &fout).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/week/0/dag", "{p}");
        assert_eq!(app.get_as(&ingrid, &pad).await.headers()["etag"], "\"v3\"");

        // Another expert gets 404 (not 403: whose schedules exist is not theirs to learn), a parent
        // 403 for the function, no token 401; a person who is no expert is not found.
        problem(app.get_as(&ruud, &pad).await, 404).await;
        problem(zet(&app, &ruud, &pad, "\"v3\"", &rooster()).await, 404).await;
        problem(app.get_as(&fatima, &pad).await, 403).await;
        problem(app.request(Method::GET, &pad).send().await.unwrap(), 401).await;
        problem(app.get_as(&ingrid, &format!("/gespreksleiders/{fatima_id}/rooster")).await, 404).await;
        problem(zet(&app, &ingrid, &format!("/gespreksleiders/{ingrid_id}/rooster"), "*", &rooster()).await, 404).await;
        assert_eq!(app.getal("SELECT COUNT(*) FROM gespreksleider").await, 1);
        // Each change is in the audit log with the expert it concerned.
        assert_eq!(
            app.getal(&format!("SELECT COUNT(*) FROM auditregel WHERE actie = 'rooster-wijzigen' AND resource = 'gespreksleiders/{karin_id}/rooster'")).await,
            3
        );
    }
}

db_test! {
    async fn a_conversation_at_a_location_carries_the_place_into_booking_and_calendar(backend) {
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        // Offering op-locatie without a place, or one code twice: 400 naming the field.
        let mut fout = met_locaties();
        fout["locaties"] = json!([]);
        let p = problem(zet(&app, &ruud, "/gespreksleiders/mij/rooster", "\"v1\"", &fout).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/locaties", "{p}");
        let mut fout = met_locaties();
        fout["locaties"][1]["code"] = json!("utrecht");
        let p = problem(zet(&app, &ruud, "/gespreksleiders/mij/rooster", "\"v1\"", &fout).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/locaties/1/code", "{p}");
        ok(zet(&app, &ruud, "/gespreksleiders/mij/rooster", "\"v1\"", &met_locaties()).await, 200).await;

        let fatima = token(&app.login("digid", FATIMA).await);
        let fatima_id = ok(app.get_as(&fatima, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        mijn_herstel::notify::service::demo_adres(&app.db, fatima_id.parse().unwrap(), "fatima@example.nl").await.unwrap();
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(6)).to_string();
        // The free times at a location name the expert's places; other forms do not.
        let tijden = ok(app.get_as(&fatima, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=op-locatie&van={dag}&tot={dag}")).await, 200).await;
        let slot = &tijden["resultaten"][0];
        assert_eq!(slot["locaties"][1]["naam"], "Kantoor Zwolle", "{tijden}");
        let video = ok(app.get_as(&fatima, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}")).await, 200).await;
        assert!(video["resultaten"][0].get("locaties").is_none());

        let mut b = boeking(slot["start"].as_str().unwrap());
        b["vorm"] = json!("op-locatie");
        let key = || uuid::Uuid::new_v4().to_string();
        let p = problem(book(&app, &fatima, &b, &key()).await, 400).await;
        assert_eq!((p["errors"][0]["pointer"].as_str(), p["errors"][0]["code"].as_str()), (Some("#/locatie"), Some("verplicht")));
        b["locatie"] = json!("amsterdam");
        let p = problem(book(&app, &fatima, &b, &key()).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "onbekend");
        let mut v = b.clone();
        v["vorm"] = json!("video");
        v["locatie"] = json!("zwolle");
        let p = problem(book(&app, &fatima, &v, &key()).await, 400).await;
        assert_eq!(p["errors"][0]["code"], "niet-toegestaan");
        assert_eq!(app.getal("SELECT COUNT(*) FROM gesprek").await, 0);

        // A language the expert does not speak: 400 naming it; the slots can be filtered on it.
        let mut t = b.clone();
        t["locatie"] = json!("zwolle");
        t["voorkeuren"]["taal"] = json!("tr");
        let p = problem(book(&app, &fatima, &t, &key()).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/voorkeuren/taal", "{p}");
        let tr = ok(app.get_as(&fatima, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=op-locatie&van={dag}&tot={dag}&taal=tr")).await, 200).await;
        assert_eq!(tr["resultaten"], json!([]));
        let nl = ok(app.get_as(&fatima, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=op-locatie&van={dag}&tot={dag}&taal=nl")).await, 200).await;
        assert_eq!(nl["resultaten"], tijden["resultaten"]);

        b["locatie"] = json!("zwolle");
        let g = ok(book(&app, &fatima, &b, &key()).await, 201).await;
        assert_eq!(g["locatie"], json!({"code": "zwolle", "naam": "Kantoor Zwolle", "adres": "Stationsweg 2, 8011 CZ Zwolle"}));
        // The expert renames the place later: the booking keeps the place as chosen.
        let mut anders = met_locaties();
        anders["locaties"][1]["naam"] = json!("Kantoor Zwolle-Zuid");
        ok(zet(&app, &ruud, "/gespreksleiders/mij/rooster", "\"v2\"", &anders).await, 200).await;
        let mijn = ok(app.get_as(&fatima, "/gesprekken").await, 200).await;
        assert_eq!(mijn["resultaten"][0]["locatie"]["naam"], "Kantoor Zwolle");
        // The calendar file has the place (escaped per RFC 5545), read back by a real parser.
        let ics = ics_van(&app, "gesprek-geboekt").await;
        let tekst = icalendar::parser::unfold(&ics[0]);
        let cal = icalendar::parser::read_calendar(&tekst).unwrap();
        let event = cal.components.iter().find(|c| c.name == "VEVENT").unwrap();
        let plek = event.properties.iter().find(|p| p.name == "LOCATION").unwrap();
        assert_eq!(plek.val.as_str(), "Kantoor Zwolle, Stationsweg 2, 8011 CZ Zwolle");
    }
}

db_test! {
    async fn the_agenda_is_paginated_and_can_start_from_a_day(backend) {
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        // Four parents, each one conversation on its own day.
        let mut dagen = Vec::new();
        for (i, ouder) in [FATIMA, JEROEN, SANNE, MOHAMED].iter().enumerate() {
            let t = token(&app.login("digid", ouder).await);
            let dag = chrono::Utc::now().date_naive() + chrono::Days::new(3 + i as u64);
            let s = ok(app.get_as(&t, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}")).await, 200).await;
            ok(book(&app, &t, &boeking(s["resultaten"][0]["start"].as_str().unwrap()), &uuid::Uuid::new_v4().to_string()).await, 201).await;
            dagen.push(dag);
        }
        let r = app.get_as(&ruud, "/gesprekken?pageSize=3").await;
        let link = r.headers()["link"].to_str().unwrap().to_string();
        assert!(link.contains("rel=\"next\"") && link.contains("page=2"), "{link}");
        let eerste = ok(r, 200).await;
        assert_eq!(eerste["resultaten"].as_array().unwrap().len(), 3);
        // Each parent's conversation shown to the expert is an access decision on record.
        let besluiten = "SELECT COUNT(*) FROM auditregel WHERE actie = 'gesprekken-plannen' AND uitkomst = 'toegestaan' AND reden = 'gespreksleider of beheerder van het gesprek'";
        assert_eq!(app.getal(besluiten).await, 3);
        assert_eq!((eerste["paginering"]["totaal"].as_u64(), eerste["paginering"]["aantalPaginas"].as_u64()), (Some(4), Some(2)));
        let tweede = ok(app.get_as(&ruud, "/gesprekken?pageSize=3&page=2").await, 200).await;
        assert_eq!(tweede["resultaten"].as_array().unwrap().len(), 1);
        // In time order across the pages.
        let starts: Vec<String> = eerste["resultaten"].as_array().unwrap().iter().chain(tweede["resultaten"].as_array().unwrap())
            .map(|g| g["start"].as_str().unwrap().to_string()).collect();
        let mut gesorteerd = starts.clone();
        gesorteerd.sort();
        assert_eq!(starts, gesorteerd);
        // From a day on: only what is not yet over then.
        let vanaf = ok(app.get_as(&ruud, &format!("/gesprekken?vanaf={}", dagen[2])).await, 200).await;
        assert_eq!(vanaf["paginering"]["totaal"], 2);
        // A parent sees only their own; bad paging or date: 400 naming the parameter.
        let fatima = token(&app.login("digid", FATIMA).await);
        assert_eq!(ok(app.get_as(&fatima, "/gesprekken").await, 200).await["paginering"]["totaal"], 1);
        let p = problem(app.get_as(&ruud, "/gesprekken?pageSize=1000").await, 400).await;
        assert_eq!(p["errors"][0]["parameter"], "pageSize", "{p}");
        problem(app.get_as(&ruud, "/gesprekken?vanaf=morgen").await, 400).await;
        problem(app.request(Method::GET, "/gesprekken").send().await.unwrap(), 401).await;
    }
}

db_test! {
    async fn a_parent_cannot_pass_the_limit_with_parallel_bookings_of_different_times(backend) {
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let fatima = token(&app.login("digid", FATIMA).await);
        // Ten different free times on ten days, booked at once with ten keys: the limit is one.
        let mut bodies = Vec::new();
        for d in 3..13u64 {
            let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(d)).to_string();
            let s = ok(app.get_as(&fatima, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}")).await, 200).await;
            bodies.push(boeking(s["resultaten"][0]["start"].as_str().unwrap()));
        }
        let pogingen = bodies.iter().map(|b| {
            let (app, t) = (&app, fatima.clone());
            async move { book(app, &t, b, &uuid::Uuid::new_v4().to_string()).await.status().as_u16() }
        });
        let statussen = futures_util::future::join_all(pogingen).await;
        assert_eq!(statussen.iter().filter(|s| **s == 201).count(), 1, "{statussen:?}");
        assert!(statussen.iter().all(|s| [201, 409].contains(s)), "{statussen:?}");
        assert_eq!(app.getal("SELECT COUNT(*) FROM gesprek WHERE status = 'geboekt'").await, 1);
    }
}
