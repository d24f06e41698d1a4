//! Restorative conversations over HTTP ([G], first part): an expert's schedule, free times
//! across the DST changes (UTC instants written out by hand), booking once per key, never two
//! bookings on one time (the database decides, also under a burst of concurrent requests), and
//! cancelling within the notice rule.

use std::collections::BTreeMap;

use mijn_herstel::gesprek::instellingen::Gesprekstype;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};

pub(crate) const RUUD: &str = "0193a6c2-0000-7000-8000-000000000022";
pub(crate) const SANNE: &str = "0193a6c2-0000-7000-8000-000000000003";
pub(crate) const MOHAMED: &str = "0193a6c2-0000-7000-8000-000000000004";

pub(crate) fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

pub(crate) async fn ok(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

pub(crate) async fn app(backend: mijn_herstel_tests::Backend) -> TestApp {
    TestApp::spawn_with(backend, |s| {
        s.gesprekken.typen = BTreeMap::from([(
            "herstelrechtgesprek".to_string(),
            Gesprekstype {
                naam: "Herstelrechtgesprek".into(),
                duur_min: 90,
                buffer_voor_min: 15,
                buffer_na_min: 15,
                boeken_vooraf_uren: 1,
                wijzigen_vooraf_uren: 720,
                venster_dagen: 400,
                max_per_dag: 3,
            },
        )]);
    })
    .await
}

pub(crate) fn rooster() -> Value {
    let week: Vec<Value> = ["ma", "di", "wo", "do", "vr", "za", "zo"]
        .iter()
        .map(|d| json!({"dag": d, "van": "09:00", "tot": "10:30"}))
        .collect();
    json!({"vormen": ["video", "telefoon"], "talen": ["nl"], "week": week, "uitzonderingen": [], "afwezig": []})
}

pub(crate) async fn met_rooster(app: &TestApp) -> String {
    let ruud = token(&app.login("medewerker", RUUD).await);
    problem(
        app.request(Method::PUT, "/gespreksleiders/mij/rooster")
            .bearer_auth(&ruud)
            .json(&rooster())
            .send()
            .await
            .unwrap(),
        428,
    )
    .await;
    let mut fout = rooster();
    fout["week"][0]["van"] = json!("9 uur");
    let p = problem(
        app.request(Method::PUT, "/gespreksleiders/mij/rooster")
            .bearer_auth(&ruud)
            .header("If-Match", "*")
            .json(&fout)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert_eq!(p["errors"][0]["pointer"], "#/week/0/van", "{p}");
    let mut fout = rooster();
    fout["week"][1]["tot"] = json!("08:00");
    fout["week"][2]["tot"] = json!("09:00");
    let p = problem(
        app.request(Method::PUT, "/gespreksleiders/mij/rooster")
            .bearer_auth(&ruud)
            .header("If-Match", "*")
            .json(&fout)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2, "{p}");
    assert_eq!(p["errors"][0]["code"], "volgorde", "{p}");
    let r = app
        .request(Method::PUT, "/gespreksleiders/mij/rooster")
        .bearer_auth(&ruud)
        .header("If-Match", "*")
        .json(&rooster())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["etag"], "\"v1\"");
    ruud
}

pub(crate) async fn starts(app: &TestApp, t: &str, van: &str, tot: &str) -> Vec<String> {
    let s = ok(
        app.get_as(
            t,
            &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={van}&tot={tot}"),
        )
        .await,
        200,
    )
    .await;
    s["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) fn boeking(start: &str) -> Value {
    json!({"soort": "herstelrechtgesprek", "vorm": "video", "gespreksleider": RUUD_ID.with(|id| id.borrow().clone()), "start": start, "voorkeuren": {"taal": "nl", "onderwerp": "Hoe het met de kinderen ging."}})
}

thread_local! {
    pub(crate) static RUUD_ID: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The status, with a failure counted only when it is problem+json (else 0).
fn status_van(r: reqwest::Response) -> u16 {
    let s = r.status().as_u16();
    let problem = r
        .headers()
        .get("content-type")
        .is_some_and(|c| c == "application/problem+json");
    if s < 400 || problem { s } else { 0 }
}

pub(crate) async fn book(app: &TestApp, t: &str, body: &Value, key: &str) -> reqwest::Response {
    app.request(Method::POST, "/gesprekken")
        .bearer_auth(t)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

db_test! {
    async fn free_times_keep_to_local_time_across_the_dst_changes(backend) {
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let fatima = token(&app.login("digid", FATIMA).await);
        // Last Sunday of March 2027: 09:00 is 08:00 UTC on Saturday (CET), 07:00 UTC on Sunday (CEST).
        assert_eq!(starts(&app, &fatima, "2027-03-27", "2027-03-28").await, ["2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z"]);
        // Last Sunday of October 2027: 07:00 UTC on Saturday (CEST), 08:00 UTC on Sunday (CET).
        assert_eq!(starts(&app, &fatima, "2027-10-30", "2027-10-31").await, ["2027-10-30T07:00:00Z", "2027-10-31T08:00:00Z"]);
        let s = ok(app.get_as(&fatima, "/tijdsloten?soort=herstelrechtgesprek&vorm=video&van=2027-03-28&tot=2027-03-28").await, 200).await;
        assert_eq!(s["resultaten"][0]["startLokaal"], "2027-03-28T09:00:00+02:00");
        // Bad input; the expert's own schedule needs the role.
        problem(app.get_as(&fatima, "/tijdsloten?soort=onbekend&vorm=video&van=2027-03-27&tot=2027-03-28").await, 400).await;
        problem(app.get_as(&fatima, "/tijdsloten?soort=herstelrechtgesprek&vorm=video&van=2027-03-27&tot=2027-06-28").await, 400).await;
        problem(app.get_as(&fatima, "/tijdsloten?soort=herstelrechtgesprek&vorm=duif&van=2027-03-27&tot=2027-03-28").await, 400).await;
        problem(app.get("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van=2027-03-27&tot=2027-03-28").await, 401).await;
        problem(app.get_as(&fatima, "/gespreksleiders/mij/rooster").await, 403).await;
        assert_eq!(app.get_as(&ruud, "/gespreksleiders/mij/rooster").await.status().as_u16(), 200);
        assert!(starts(&app, &fatima, "2027-03-27", "2027-03-28").await.len() == 2);
        assert!(ok(app.get("/gesprekstypen").await, 200).await["resultaten"][0]["duurMin"] == 90);
    }
}

db_test! {
    async fn one_time_is_booked_once_and_cancelling_keeps_to_the_notice_rule(backend) {
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let fatima = token(&app.login("digid", FATIMA).await);
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
        let vrij = starts(&app, &fatima, &dag, &dag).await;
        assert_eq!(vrij.len(), 1, "{vrij:?}");
        let body = boeking(&vrij[0]);
        let key = uuid::Uuid::new_v4().to_string();
        let g = ok(book(&app, &fatima, &body, &key).await, 201).await;
        assert_eq!(g["status"], "geboekt");
        // A retry with the same key replays; the time is no longer free.
        assert_eq!(ok(book(&app, &fatima, &body, &key).await, 201).await["id"], g["id"]);
        assert!(starts(&app, &fatima, &dag, &dag).await.is_empty());
        problem(app.request(Method::POST, "/gesprekken").bearer_auth(&fatima).json(&body).send().await.unwrap(), 400).await;
        problem(app.post_json("/gesprekken", &body).await, 401).await;
        let mut fout = body.clone();
        fout["start"] = json!(format!("{dag}T11:00:00Z"));
        // Another parent, the taken time: 409; a time that is no slot: 400.
        let jeroen = token(&app.login("digid", JEROEN).await);
        problem(book(&app, &jeroen, &body, &uuid::Uuid::new_v4().to_string()).await, 409).await;
        let p = problem(book(&app, &jeroen, &fout, &uuid::Uuid::new_v4().to_string()).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/start");

        // 50 concurrent bookings of one time by three parents: exactly one lands, 49 hear 409.
        let dag2 = (chrono::Utc::now().date_naive() + chrono::Days::new(11)).to_string();
        let tweede = boeking(&starts(&app, &fatima, &dag2, &dag2).await[0]);
        let ouders = [jeroen.clone(), token(&app.login("digid", SANNE).await), token(&app.login("digid", MOHAMED).await)];
        let pogingen = (0..50).map(|i| {
            let (app, t, body) = (&app, ouders[i % 3].clone(), tweede.clone());
            async move { status_van(book(app, &t, &body, &uuid::Uuid::new_v4().to_string()).await) }
        });
        let statussen = futures_util::future::join_all(pogingen).await;
        assert_eq!(statussen.iter().filter(|s| **s == 201).count(), 1, "{statussen:?}");
        assert_eq!(statussen.iter().filter(|s| **s == 409).count(), 49, "{statussen:?}");
        // The database itself refuses a second claim on a taken cell.
        let cel = app.getal("SELECT MIN(cel) FROM bezetting").await;
        use sea_orm::ConnectionTrait;
        let dubbel = app.db.execute_unprepared(&format!("INSERT INTO bezetting (gespreksleider_id, cel, gesprek_id) VALUES ('{ruud_id}', {cel}, 'x')")).await;
        assert!(dubbel.is_err());

        // Cancelling: another parent gets 404; within the notice window the parent gets 400 with
        // the rule; the expert may; the time is free again.
        let pad = format!("/gesprekken/{}/annuleringen", g["id"].as_str().unwrap());
        problem(app.request(Method::POST, &pad).bearer_auth(&jeroen).json(&json!({"reden": "x"})).send().await.unwrap(), 404).await;
        let p = problem(app.request(Method::POST, &pad).bearer_auth(&fatima).json(&json!({"reden": "Ik ben ziek."})).send().await.unwrap(), 400).await;
        assert!(p["errors"][0]["detail"].as_str().unwrap().contains("720 uur"), "{p}");
        problem(app.request(Method::POST, &pad).bearer_auth(&fatima).json(&json!({"reden": ""})).send().await.unwrap(), 400).await;
        let agenda = ok(app.get_as(&ruud, "/gesprekken").await, 200).await;
        assert_eq!(agenda["resultaten"][0]["voorkeuren"]["onderwerp"], "Hoe het met de kinderen ging.");
        let a = ok(app.request(Method::POST, &pad).bearer_auth(&ruud).json(&json!({"reden": "Ziek."})).send().await.unwrap(), 200).await;
        assert_eq!(a["status"], "geannuleerd");
        assert_eq!(starts(&app, &fatima, &dag, &dag).await.len(), 1);
        // A beheerder may cancel any conversation, also inside the notice window.
        const INGRID: &str = "0193a6c2-0000-7000-8000-000000000023";
        let ingrid = token(&app.login("medewerker", INGRID).await);
        let derde = ok(book(&app, &fatima, &boeking(&starts(&app, &fatima, &dag, &dag).await[0]), &uuid::Uuid::new_v4().to_string()).await, 201).await;
        let pad3 = format!("/gesprekken/{}/annuleringen", derde["id"].as_str().unwrap());
        problem(app.request(Method::POST, &pad3).bearer_auth(&fatima).json(&json!({"reden": "x"})).send().await.unwrap(), 400).await;
        ok(app.request(Method::POST, &pad3).bearer_auth(&ingrid).json(&json!({"reden": "Gespreksleider ziek; wij bellen u."})).send().await.unwrap(), 200).await;
        let mijn = ok(app.get_as(&fatima, "/gesprekken").await, 200).await;
        assert_eq!(mijn["resultaten"][0]["status"], "geannuleerd");
        assert_eq!(ok(app.get_as(&jeroen, "/gesprekken").await, 200).await["resultaten"].as_array().unwrap().iter().filter(|g| g["id"] == a["id"]).count(), 0);
    }
}

/// (METHOD, UID, SEQUENCE, has VTIMEZONE) of an iCalendar text, read by a real parser.
fn lees_ics(tekst: &str) -> (String, String, String, bool) {
    let unfolded = icalendar::parser::unfold(tekst);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("geldige iCalendar");
    let prop = |props: &[icalendar::parser::Property<'_>], naam: &str| {
        props
            .iter()
            .find(|p| p.name == naam)
            .map(|p| p.val.as_str().to_string())
            .unwrap_or_default()
    };
    let event = cal
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("VEVENT");
    (
        prop(&cal.properties, "METHOD"),
        prop(&event.properties, "UID"),
        prop(&event.properties, "SEQUENCE"),
        cal.components.iter().any(|c| c.name == "VTIMEZONE"),
    )
}

pub(crate) async fn ics_van(app: &TestApp, soort: &str) -> Vec<String> {
    use base64::Engine;
    use sea_orm::{ConnectionTrait, Statement};
    let rijen = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT bijlagen FROM uitgaand_bericht WHERE soort = '{soort}'"),
        ))
        .await
        .unwrap();
    rijen
        .iter()
        .map(|r| {
            let json: String = r.try_get_by_index(0).unwrap();
            let b: Value = serde_json::from_str(&json).unwrap();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(b[0]["inhoud"].as_str().unwrap())
                    .unwrap(),
            )
            .unwrap()
        })
        .collect()
}

db_test! {
    async fn invitations_and_cancellations_reach_both_calendars_and_the_reminder_is_withdrawn(backend) {
        use mijn_herstel_tests::smtp::{SmtpSink, mail_to};
        let Some(sink) = SmtpSink::start() else { return };
        let app = TestApp::spawn_with(backend, |s| {
            mail_to(s, sink.port);
            s.gesprekken.typen.get_mut("herstelrechtgesprek").unwrap().boeken_vooraf_uren = 1;
        })
        .await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let fatima = token(&app.login("digid", FATIMA).await);
        let fatima_id = ok(app.get_as(&fatima, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        mijn_herstel::notify::service::demo_adres(&app.db, fatima_id.parse().unwrap(), "fatima@example.nl").await.unwrap();
        mijn_herstel::notify::service::demo_adres(&app.db, ruud_id.parse().unwrap(), "ruud@example.nl").await.unwrap();
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(5)).to_string();
        let start = starts(&app, &fatima, &dag, &dag).await[0].clone();
        let g = ok(book(&app, &fatima, &boeking(&start), &uuid::Uuid::new_v4().to_string()).await, 201).await;
        let id = g["id"].as_str().unwrap();

        let mails = sink.wait_for(2, std::time::Duration::from_secs(15)).await;
        let uitnodigingen: Vec<&Value> = mails.iter().filter(|m| m["headers"]["subject"] == "Uw herstelrechtgesprek is gepland").collect();
        assert_eq!(uitnodigingen.len(), 2, "parent and expert");
        for m in &uitnodigingen {
            assert!(m["content_types"].as_array().unwrap().contains(&json!("text/calendar")), "{m}");
            assert!(m["raw"].as_str().unwrap().contains("method=REQUEST"));
            assert!(!m["raw"].as_str().unwrap().contains("999993653"), "no BSN in any mail");
        }
        for ics in ics_van(&app, "gesprek-geboekt").await {
            assert_eq!(lees_ics(&ics), ("REQUEST".into(), format!("{id}@mijn-herstel.nl"), "0".into(), true));
        }
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'gesprek-herinnering' AND status = 'wachtend'").await, 1);

        let pad = format!("/gesprekken/{id}/annuleringen");
        ok(app.request(Method::POST, &pad).bearer_auth(&ruud).json(&json!({"reden": "Ziek."})).send().await.unwrap(), 200).await;
        let mails = sink.wait_for(4, std::time::Duration::from_secs(15)).await;
        let afzeggingen: Vec<&Value> = mails.iter().filter(|m| m["headers"]["subject"] == "Uw herstelrechtgesprek gaat niet door").collect();
        assert_eq!(afzeggingen.len(), 2);
        assert!(afzeggingen.iter().all(|m| m["raw"].as_str().unwrap().contains("method=CANCEL")));
        for ics in ics_van(&app, "gesprek-geannuleerd").await {
            assert_eq!(lees_ics(&ics), ("CANCEL".into(), format!("{id}@mijn-herstel.nl"), "1".into(), true));
            assert!(ics.contains("STATUS:CANCELLED"));
        }
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'gesprek-herinnering' AND status = 'geannuleerd'").await, 1);
        assert!(sink.messages().iter().all(|m| m["headers"]["subject"] != "Morgen is uw herstelrechtgesprek"));
    }
}

db_test! {
    async fn a_conversation_moves_to_a_free_time_and_the_expert_records_how_it_went(backend) {
        let app = TestApp::spawn_with(backend, |s| {
            let t = s.gesprekken.typen.get_mut("herstelrechtgesprek").unwrap();
            t.boeken_vooraf_uren = 1;
            t.wijzigen_vooraf_uren = 24;
        })
        .await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let fatima = token(&app.login("digid", FATIMA).await);
        let jeroen = token(&app.login("digid", JEROEN).await);
        let fatima_id = ok(app.get_as(&fatima, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        mijn_herstel::notify::service::demo_adres(&app.db, fatima_id.parse().unwrap(), "fatima@example.nl").await.unwrap();
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(5)).to_string();
        let nieuw = (chrono::Utc::now().date_naive() + chrono::Days::new(6)).to_string();
        let g = ok(book(&app, &fatima, &boeking(&starts(&app, &fatima, &dag, &dag).await[0]), &uuid::Uuid::new_v4().to_string()).await, 201).await;
        let id = g["id"].as_str().unwrap();
        let doel = starts(&app, &fatima, &nieuw, &nieuw).await[0].clone();
        let pad = format!("/gesprekken/{id}/verplaatsingen");
        problem(app.request(Method::POST, &pad).bearer_auth(&jeroen).json(&json!({"start": doel, "reden": "x"})).send().await.unwrap(), 404).await;
        let p = problem(app.request(Method::POST, &pad).bearer_auth(&fatima).json(&json!({"start": format!("{nieuw}T11:00:00Z"), "reden": "Werk."})).send().await.unwrap(), 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/start");
        let v = ok(app.request(Method::POST, &pad).bearer_auth(&fatima).json(&json!({"start": doel, "reden": "Ik moet werken."})).send().await.unwrap(), 200).await;
        assert_eq!(v["id"], g["id"]);
        assert_eq!(v["start"], doel.as_str());
        // The old time is free again, the new one taken.
        assert_eq!(starts(&app, &fatima, &dag, &dag).await.len(), 1);
        assert!(starts(&app, &fatima, &nieuw, &nieuw).await.is_empty());
        // The updated invitation: same UID, a higher SEQUENCE.
        let seqs: Vec<(String, String, String, bool)> = ics_van(&app, "gesprek-geboekt").await.iter().map(|i| lees_ics(i)).collect();
        assert!(seqs.iter().any(|s| s.2 == "1" && s.1 == format!("{id}@mijn-herstel.nl")), "{seqs:?}");
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'gesprek-herinnering' AND status = 'wachtend'").await, 1);

        // After the start the expert records how it went; the parent sees what was agreed.
        let afronden = format!("/gesprekken/{id}/afrondingen");
        let body = json!({"uitkomst": "gehouden", "afspraken": "Over drie maanden nog een keer praten."});
        problem(app.request(Method::POST, &afronden).bearer_auth(&ruud).json(&body).send().await.unwrap(), 409).await;
        use sea_orm::ConnectionTrait;
        app.db.execute_unprepared(&format!("UPDATE gesprek SET start_op = 1000, eind_op = 2000 WHERE id = '{id}'")).await.unwrap();
        problem(app.request(Method::POST, &afronden).bearer_auth(&fatima).json(&body).send().await.unwrap(), 403).await;
        problem(app.request(Method::POST, &afronden).bearer_auth(&ruud).json(&json!({"uitkomst": "misschien"})).send().await.unwrap(), 400).await;
        let a = ok(app.request(Method::POST, &afronden).bearer_auth(&ruud).json(&body).send().await.unwrap(), 200).await;
        assert_eq!(a["status"], "gehouden");
        problem(app.request(Method::POST, &afronden).bearer_auth(&ruud).json(&body).send().await.unwrap(), 409).await;
        let mijn = ok(app.get_as(&fatima, "/gesprekken").await, 200).await;
        assert_eq!(mijn["resultaten"][0]["afspraken"], "Over drie maanden nog een keer praten.");
    }
}

db_test! {
    async fn two_server_instances_never_book_one_time_twice(backend) {
        if backend.is_sqlite() {
            // One SQLite file has one writer; the race between instances is PostgreSQL's case.
            return;
        }
        let app = app(backend).await;
        // Both instances trust the same issuer, as behind one load balancer.
        let issuer = app.settings.http.public_url.trim_end_matches("/v1").to_string();
        let tweede = app.spawn_sharing(|s| s.tokens.issuer = issuer).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let ouders = [
            token(&app.login("digid", FATIMA).await),
            token(&app.login("digid", JEROEN).await),
            token(&app.login("digid", SANNE).await),
            token(&app.login("digid", MOHAMED).await),
        ];
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(9)).to_string();
        let body = boeking(&starts(&app, &ouders[0], &dag, &dag).await[0]);
        let pogingen = (0..50).map(|i| {
            let (server, t, body) = (if i % 2 == 0 { &app } else { &tweede }, ouders[i % 4].clone(), body.clone());
            async move { status_van(book(server, &t, &body, &uuid::Uuid::new_v4().to_string()).await) }
        });
        let statussen = futures_util::future::join_all(pogingen).await;
        assert_eq!(statussen.iter().filter(|s| **s == 201).count(), 1, "{statussen:?}");
        // The losers hear the time is taken, also those that queued behind the winner's lock.
        assert_eq!(statussen.iter().filter(|s| **s == 409).count(), 49, "{statussen:?}");
        assert_eq!(app.getal("SELECT COUNT(*) FROM gesprek WHERE status = 'geboekt'").await, 1);
        tweede.stop().await;
    }
}

db_test! {
    async fn a_lawyer_with_the_scope_books_for_the_client_and_sees_it_on_the_dashboard(backend) {
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let fatima = token(&app.login("digid", FATIMA).await);
        let lotte = token(&app.login("advocaat", LOTTE).await);
        let geldig = (chrono::Utc::now().date_naive() + chrono::Days::new(90)).to_string();
        let m = ok(app.request(Method::POST, "/machtigingen").bearer_auth(&fatima)
            .json(&json!({"registratienummer": "A-10234", "bevoegdheden": ["aanvraag-inzien"], "geldigTot": geldig})).send().await.unwrap(), 201).await;
        let mid = m["id"].as_str().unwrap();
        ok(app.request(Method::POST, &format!("/machtigingen/{mid}/aanvaardingen")).bearer_auth(&lotte).json(&json!({})).send().await.unwrap(), 200).await;
        let namens = ok(app.request(Method::POST, &format!("/machtigingen/{mid}/vertegenwoordigingen")).bearer_auth(&lotte).json(&json!({})).send().await.unwrap(), 201).await;
        let namens = namens["access_token"].as_str().unwrap().to_string();
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(7)).to_string();
        let start = starts(&app, &fatima, &dag, &dag).await[0].clone();
        // Without the scope: refused; with it: booked for Fatima.
        problem(book(&app, &namens, &boeking(&start), &uuid::Uuid::new_v4().to_string()).await, 404).await;
        let r = app.get_as(&fatima, &format!("/machtigingen/{mid}")).await;
        let tag = r.headers()["etag"].to_str().unwrap().to_string();
        ok(app.request(Method::PUT, &format!("/machtigingen/{mid}/bevoegdheden")).bearer_auth(&fatima).header("If-Match", tag)
            .json(&json!({"bevoegdheden": ["aanvraag-inzien", "gesprekken-plannen"]})).send().await.unwrap(), 200).await;
        ok(book(&app, &namens, &boeking(&start), &uuid::Uuid::new_v4().to_string()).await, 201).await;
        assert_eq!(ok(app.get_as(&fatima, "/gesprekken").await, 200).await["resultaten"][0]["start"], start.as_str());
        let c = ok(app.get_as(&lotte, "/clienten").await, 200).await;
        assert_eq!(c["resultaten"][0]["afspraken"], json!([start]));
    }
}

db_test! {
    async fn a_conversation_is_handed_to_another_free_expert(backend) {
        const KARIN: &str = "0193a6c2-0000-7000-8000-000000000025";
        let app = app(backend).await;
        let ruud = met_rooster(&app).await;
        let ruud_id = ok(app.get_as(&ruud, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        RUUD_ID.with(|id| *id.borrow_mut() = ruud_id.clone());
        let karin = token(&app.login("medewerker", KARIN).await);
        let karin_id = ok(app.get_as(&karin, "/mij").await, 200).await["id"].as_str().unwrap().to_string();
        let fatima = token(&app.login("digid", FATIMA).await);
        let dag = (chrono::Utc::now().date_naive() + chrono::Days::new(8)).to_string();
        let g = ok(book(&app, &fatima, &boeking(&starts(&app, &fatima, &dag, &dag).await[0]), &uuid::Uuid::new_v4().to_string()).await, 201).await;
        let pad = format!("/gesprekken/{}/toewijzingen", g["id"].as_str().unwrap());
        let naar_karin = json!({"gespreksleider": karin_id, "reden": "Ik ben die week afwezig."});
        // Karin has no schedule yet: not available. The parent may not hand it over.
        let p = problem(app.request(Method::POST, &pad).bearer_auth(&ruud).json(&naar_karin).send().await.unwrap(), 400).await;
        assert_eq!(p["errors"][0]["code"], "niet-beschikbaar");
        problem(app.request(Method::POST, &pad).bearer_auth(&fatima).json(&naar_karin).send().await.unwrap(), 403).await;
        let r = app.request(Method::PUT, "/gespreksleiders/mij/rooster").bearer_auth(&karin).header("If-Match", "*").json(&rooster()).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let t = ok(app.request(Method::POST, &pad).bearer_auth(&ruud).json(&naar_karin).send().await.unwrap(), 200).await;
        assert_eq!(t["gespreksleider"]["id"], karin_id.as_str());
        assert_eq!(t["start"], g["start"]);
        // Karin's time is taken now, Ruud's free again; Karin has it in her agenda.
        let tijden = ok(app.get_as(&fatima, &format!("/tijdsloten?soort=herstelrechtgesprek&vorm=video&van={dag}&tot={dag}")).await, 200).await;
        let bij: Vec<&str> = tijden["resultaten"].as_array().unwrap().iter().map(|s| s["gespreksleider"].as_str().unwrap()).collect();
        assert_eq!(bij, [ruud_id.as_str()]);
        assert_eq!(ok(app.get_as(&karin, "/gesprekken").await, 200).await["resultaten"][0]["id"], g["id"]);
        problem(app.request(Method::POST, &pad).bearer_auth(&ruud).json(&naar_karin).send().await.unwrap(), 404).await;
    }
}
