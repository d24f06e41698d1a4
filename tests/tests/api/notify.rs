//! Notifications over HTTP with a real SMTP server: address verification by code, mails in the
//! person's language with both parts and no BSN, the inbox, preferences, and the outbox under
//! faults (server down, 4xx, 5xx, two instances, graceful stop).

use std::collections::HashSet;
use std::time::Duration;

use mijn_herstel::notify::{self, Melding, Notificaties, Soort};
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::smtp::{SmtpSink, mail_to};
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

const FATIMA_BSN: &str = "999993653";
const BEHEERDER: &str = "0193a6c2-0000-7000-8000-000000000023";

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn send(
    app: &TestApp,
    method: Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app.request(method, path).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// Gives the person a confirmed address and queues `n` messages for them in one transaction,
/// the way another capability does inside its own change.
async fn queue(app: &TestApp, n: usize, adres: &str) -> Uuid {
    let persoon = Uuid::now_v7();
    let notificaties = Notificaties::new(&app.settings.notify).unwrap();
    notify::service::demo_adres(&app.db, persoon, adres)
        .await
        .unwrap();
    let tx = sea_orm::TransactionTrait::begin(&app.db).await.unwrap();
    for _ in 0..n {
        notify::meld(
            &tx,
            &notificaties,
            Melding::new(persoon, Soort::AanvraagGestart),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    persoon
}

fn code_of(mail: &Value) -> String {
    let text = mail["text"].as_str().unwrap();
    text.lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .expect("code in de mail")
        .to_string()
}

fn assert_no_bsn(mail: &Value) {
    assert!(
        !mail["raw"].as_str().unwrap().contains(FATIMA_BSN),
        "BSN in mail"
    );
    for part in ["text", "html"] {
        assert!(!mail[part].as_str().unwrap_or_default().contains(FATIMA_BSN));
    }
}

db_test! {
    async fn a_parent_confirms_an_address_and_gets_mail_in_her_language(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        let t = token(&app.login("digid", FATIMA).await);

        // No address yet: settings say so, a claim start only lands in the inbox.
        let settings = app.get_as(&t, "/mij/meldingsinstellingen").await;
        assert_eq!(settings.status().as_u16(), 200);
        let settings: Value = settings.json().await.unwrap();
        assert_eq!(settings["emailadres"], Value::Null);
        assert_eq!(settings["taal"], "nl");

        let r = send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": "Fatima@Example.NL"}))).await;
        assert_eq!(r.status().as_u16(), 202);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["teBevestigen"]["emailadres"], "Fatima@example.nl");
        assert_eq!(body["emailadres"], Value::Null, "not before the code");

        let mails = sink.wait_for(1, Duration::from_secs(10)).await;
        let verificatie = &mails[0];
        assert_eq!(verificatie["rcpt_tos"], json!(["Fatima@example.nl"]));
        let h = &verificatie["headers"];
        assert!(h["message-id"].as_str().unwrap().ends_with("@mijn-herstel.nl>"), "{h}");
        assert_eq!(h["content-language"], "nl");
        assert_eq!(h["auto-submitted"], "auto-generated");
        assert!(h["from"].as_str().unwrap().contains("noreply@mijn-herstel.nl"));
        assert!(verificatie["content_types"].as_array().unwrap().contains(&json!("text/plain")));
        assert!(verificatie["content_types"].as_array().unwrap().contains(&json!("text/html")));
        // No name to an address nobody has proven yet.
        assert!(verificatie["text"].as_str().unwrap().contains("Beste lezer"));
        assert!(verificatie["html"].as_str().unwrap().contains("<html lang=\"nl\">"));
        assert_no_bsn(verificatie);
        let code = code_of(verificatie);
        let mut tries = 0;
        while app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'emailadres-verificatie' AND tekst = ''").await != 1 {
            tries += 1;
            assert!(tries < 50, "the code stays in the outbox after sending");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // A wrong code is counted and says how many tries are left; the right one confirms.
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let p = problem(send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": wrong}))).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/code", "{p}");
        assert!(p["errors"][0]["detail"].as_str().unwrap().contains("nog 4 keer"), "{p}");
        let ok = send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": code}))).await;
        assert_eq!(ok.status().as_u16(), 200);
        let ok: Value = ok.json().await.unwrap();
        assert_eq!(ok["emailadres"], "Fatima@example.nl");
        assert_eq!(ok["teBevestigen"], Value::Null);

        // English from now on; starting a claim sends an English notice and fills the inbox.
        let current = app.get_as(&t, "/mij/meldingsinstellingen").await;
        let tag = current.headers().get("etag").unwrap().to_str().unwrap().to_string();
        let r = app.request(Method::PUT, "/mij/meldingsinstellingen").bearer_auth(&t)
            .header("If-Match", &tag).json(&json!({"taal": "en", "nietEssentieleEmail": true})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let stale = app.request(Method::PUT, "/mij/meldingsinstellingen").bearer_auth(&t)
            .header("If-Match", &tag).json(&json!({"taal": "nl", "nietEssentieleEmail": true})).send().await.unwrap();
        problem(stale, 412).await;

        assert_eq!(app.create_claim(&t).await.status().as_u16(), 201);
        let mails = sink.wait_for(2, Duration::from_secs(10)).await;
        let gestart = &mails[1];
        assert_eq!(gestart["headers"]["content-language"], "en");
        assert_eq!(gestart["headers"]["subject"], "You have started your application");
        assert!(gestart["text"].as_str().unwrap().contains("Dear Fatima"));
        assert!(gestart["text"].as_str().unwrap().contains("http://localhost:3000"), "login invitation");
        assert!(gestart["html"].as_str().unwrap().contains("localhost:3000"), "login button");
        assert_no_bsn(gestart);
        assert_ne!(gestart["headers"]["message-id"], verificatie["headers"]["message-id"]);

        // The inbox has the notice; the reminder is scheduled and not shown before its time.
        let inbox: Value = app.get_as(&t, "/mij/berichten").await.json().await.unwrap();
        assert_eq!(inbox["paginering"]["totaal"], 1, "{inbox}");
        assert_eq!(inbox["ongelezen"], 1);
        let bericht = &inbox["resultaten"][0];
        assert_eq!(bericht["soort"], "aanvraag-gestart");
        assert_eq!(bericht["onderwerp"], "You have started your application");
        assert!(bericht["verwijzing"].as_str().unwrap().starts_with("/v1/aanvragen/"));
        let id = bericht["id"].as_str().unwrap().to_string();
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'aanvraag-herinnering' AND status = 'wachtend'").await, 1);

        let r = send(&app, Method::PUT, &t, &format!("/mij/berichten/{id}/gelezen"), None).await;
        assert_eq!(r.status().as_u16(), 204);
        let inbox: Value = app.get_as(&t, "/mij/berichten?ongelezen=true").await.json().await.unwrap();
        assert_eq!(inbox["ongelezen"], 0);
        assert_eq!(inbox["paginering"]["totaal"], 0);
        let one: Value = app.get_as(&t, &format!("/mij/berichten/{id}")).await.json().await.unwrap();
        assert!(one["gelezenOp"].is_string());
        let r = send(&app, Method::DELETE, &t, &format!("/mij/berichten/{id}/gelezen"), None).await;
        assert_eq!(r.status().as_u16(), 204);
        let inbox: Value = app.get_as(&t, "/mij/berichten").await.json().await.unwrap();
        assert_eq!(inbox["ongelezen"], 1);

        // Another person, a lawyer, and nobody: never this message.
        let jeroen = token(&app.login("digid", JEROEN).await);
        problem(app.get_as(&jeroen, &format!("/mij/berichten/{id}")).await, 404).await;
        problem(send(&app, Method::PUT, &jeroen, &format!("/mij/berichten/{id}/gelezen"), None).await, 404).await;
        let lotte = token(&app.login("advocaat", LOTTE).await);
        problem(app.get_as(&lotte, &format!("/mij/berichten/{id}")).await, 404).await;
        let jeroen_inbox: Value = app.get_as(&jeroen, "/mij/berichten").await.json().await.unwrap();
        assert_eq!(jeroen_inbox["paginering"]["totaal"], 0);
        problem(app.get(&format!("/mij/berichten/{id}")).await, 401).await;
        problem(app.get("/mij/meldingsinstellingen").await, 401).await;
        problem(app.request(Method::PUT, "/mij/emailadres").json(&json!({"emailadres": "a@b.nl"})).send().await.unwrap(), 401).await;
    }
}

db_test! {
    async fn opting_out_keeps_essential_mail_and_a_new_address_warns_the_old_one(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        let t = token(&app.login("digid", FATIMA).await);
        for (i, adres) in ["oud@example.nl", "nieuw@example.nl"].iter().enumerate() {
            let r = send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": adres}))).await;
            assert_eq!(r.status().as_u16(), 202);
            let mails = sink.wait_for(i + 1, Duration::from_secs(10)).await;
            let code = code_of(mails.last().unwrap());
            let ok = send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": code}))).await;
            assert_eq!(ok.status().as_u16(), 200);
            if i == 1 {
                // The old address hears about the change, essential mail.
                let mails = sink.wait_for(3, Duration::from_secs(10)).await;
                assert_eq!(mails[2]["rcpt_tos"], json!(["oud@example.nl"]));
                assert!(mails[2]["headers"]["subject"].as_str().unwrap().contains("gewijzigd"));
            } else {
                // Opt out of non-essential mail.
                let current = app.get_as(&t, "/mij/meldingsinstellingen").await;
                let tag = current.headers().get("etag").unwrap().to_str().unwrap().to_string();
                let r = app.request(Method::PUT, "/mij/meldingsinstellingen").bearer_auth(&t).header("If-Match", &tag)
                    .json(&json!({"taal": "nl", "nietEssentieleEmail": false})).send().await.unwrap();
                let body: Value = r.json().await.unwrap();
                let gestart = body["soorten"].as_array().unwrap().iter().find(|s| s["soort"] == "aanvraag-gestart").unwrap();
                assert_eq!(gestart["perEmail"], false);
            }
        }
        // Opted out: starting a claim mails nothing but still lands in the inbox.
        assert_eq!(app.create_claim(&t).await.status().as_u16(), 201);
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(sink.messages().len(), 3, "geen niet-noodzakelijke mail");
        let inbox: Value = app.get_as(&t, "/mij/berichten").await.json().await.unwrap();
        let soorten: Vec<&str> = inbox["resultaten"].as_array().unwrap().iter().map(|b| b["soort"].as_str().unwrap()).collect();
        assert_eq!(soorten, ["aanvraag-gestart", "emailadres-gewijzigd"]);

        // Removing the address stops mail.
        let r = send(&app, Method::DELETE, &t, "/mij/emailadres", None).await;
        assert_eq!(r.status().as_u16(), 204);
        let s: Value = app.get_as(&t, "/mij/meldingsinstellingen").await.json().await.unwrap();
        assert_eq!(s["emailadres"], Value::Null);
    }
}

db_test! {
    async fn in_development_mail_becomes_eml_files(backend) {
        let app = TestApp::spawn(backend).await;
        let t = token(&app.login("digid", FATIMA).await);
        let r = send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": "fatima@example.nl"}))).await;
        assert_eq!(r.status().as_u16(), 202);
        let mut tries = 0;
        let eml = loop {
            let files: Vec<_> = std::fs::read_dir(app.mail_dir()).unwrap().filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "eml")).collect();
            if let Some(file) = files.first() {
                break std::fs::read_to_string(file).unwrap();
            }
            tries += 1;
            assert!(tries < 100, "geen .eml");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(eml.contains("To: fatima@example.nl"), "{eml}");
        assert!(eml.contains("Message-ID: <") && eml.contains("@mijn-herstel.nl>"));
        assert!(eml.contains("multipart/alternative"));
        assert!(!eml.contains(FATIMA_BSN));
    }
}

db_test! {
    async fn bad_input_is_named_and_changes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let t = token(&app.login("digid", FATIMA).await);
        let p = problem(send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": "geen-adres"}))).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/emailadres", "{p}");
        let p = problem(send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": "12"}))).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/code", "{p}");
        // No code was asked for: a state, not a wrong field.
        let p = problem(send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": "123456"}))).await, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("Geef eerst"), "{p}");
        let p = problem(app.request(Method::PUT, "/mij/meldingsinstellingen").bearer_auth(&t).header("If-Match", "\"v0\"")
            .json(&json!({"taal": "fr", "nietEssentieleEmail": true})).send().await.unwrap(), 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/taal", "{p}");
        problem(app.request(Method::PUT, "/mij/meldingsinstellingen").bearer_auth(&t)
            .json(&json!({"taal": "en", "nietEssentieleEmail": true})).send().await.unwrap(), 428).await;
        let p = problem(app.get_as(&t, "/mij/berichten?ongelezen=misschien").await, 400).await;
        assert_eq!(p["errors"][0]["parameter"], "ongelezen", "{p}");
        problem(app.get_as(&t, &format!("/mij/berichten/{}", Uuid::now_v7())).await, 404).await;
        problem(send(&app, Method::PUT, &t, &format!("/mij/berichten/{}/gelezen", Uuid::now_v7()), None).await, 404).await;
        let p = problem(app.get_as(&t, "/mij/berichten/geen-uuid").await, 400).await;
        assert_eq!(p["errors"][0]["parameter"], "pad", "{p}");
        // Without a token, every notification endpoint answers 401.
        let some = Uuid::now_v7();
        for (method, path) in [
            (Method::GET, "/mij/meldingsinstellingen".to_string()),
            (Method::PUT, "/mij/meldingsinstellingen".to_string()),
            (Method::PUT, "/mij/emailadres".to_string()),
            (Method::DELETE, "/mij/emailadres".to_string()),
            (Method::POST, "/mij/emailadres/bevestigingen".to_string()),
            (Method::GET, "/mij/berichten".to_string()),
            (Method::GET, format!("/mij/berichten/{some}")),
            (Method::PUT, format!("/mij/berichten/{some}/gelezen")),
            (Method::DELETE, format!("/mij/berichten/{some}/gelezen")),
            (Method::GET, "/beheer/uitgaande-berichten".to_string()),
            (Method::POST, format!("/beheer/uitgaande-berichten/{some}/nieuwe-pogingen")),
        ] {
            let r = app.request(method.clone(), &path).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 401, "{method} {path}");
        }
        let s: Value = app.get_as(&t, "/mij/meldingsinstellingen").await.json().await.unwrap();
        assert_eq!(s["taal"], "nl");
        assert_eq!(s["teBevestigen"], Value::Null);

        // Codes are limited per hour; the sixth request in the hour is 429 with Retry-After.
        for _ in 0..5 {
            let r = send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": "f@example.nl"}))).await;
            assert_eq!(r.status().as_u16(), 202);
        }
        let r = send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": "f@example.nl"}))).await;
        assert!(r.headers().get("retry-after").is_some());
        problem(r, 429).await;
    }
}

db_test! {
    async fn five_wrong_codes_void_the_code(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        let t = token(&app.login("digid", FATIMA).await);
        send(&app, Method::PUT, &t, "/mij/emailadres", Some(json!({"emailadres": "f@example.nl"}))).await;
        let code = code_of(&sink.wait_for(1, Duration::from_secs(10)).await[0]);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            problem(send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": wrong}))).await, 400).await;
        }
        let p = problem(send(&app, Method::POST, &t, "/mij/emailadres/bevestigingen", Some(json!({"code": code}))).await, 400).await;
        assert!(p["errors"][0]["detail"].as_str().unwrap().contains("werkt niet meer"), "{p}");
        let s: Value = app.get_as(&t, "/mij/meldingsinstellingen").await.json().await.unwrap();
        assert_eq!(s["emailadres"], Value::Null);
    }
}

db_test! {
    async fn smtp_down_loses_nothing_and_delivers_when_it_returns(backend) {
        let Some(mut sink) = SmtpSink::prepared() else { return };
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        queue(&app, 100, "ouder@example.nl").await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        // Down: nothing sent, nothing failed, no attempt used up.
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status IN ('verzonden', 'mislukt')").await, 0);
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE pogingen > 0").await, 0);
        assert!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE laatste_fout IS NOT NULL").await > 0, "the outage is recorded");
        sink.up();
        let mails = sink.wait_for(100, Duration::from_secs(30)).await;
        let ids: HashSet<&str> = mails.iter().map(|m| m["headers"]["message-id"].as_str().unwrap()).collect();
        assert_eq!((mails.len(), ids.len()), (100, 100));
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'verzonden'").await, 100);
    }
}

db_test! {
    async fn a_temporary_refusal_is_retried(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        sink.control(json!({"tijdelijk": 2}));
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        queue(&app, 1, "ouder@example.nl").await;
        let mails = sink.wait_for(1, Duration::from_secs(20)).await;
        assert_eq!(mails.len(), 1);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'verzonden' AND pogingen = 3").await, 1);
    }
}

db_test! {
    async fn a_permanent_refusal_fails_and_an_administrator_retries_it(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        sink.control(json!({"permanent_voor": "weiger"}));
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        queue(&app, 1, "weiger@example.nl").await;
        let mut tries = 0;
        while app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'mislukt'").await == 0 {
            tries += 1;
            assert!(tries < 100, "niet mislukt");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let admin = token(&app.login("medewerker", BEHEERDER).await);
        let list = app.get_as(&admin, "/beheer/uitgaande-berichten").await;
        assert_eq!(list.status().as_u16(), 200);
        assert!(list.headers().get("link").is_some());
        let list: Value = list.json().await.unwrap();
        assert_eq!(list["paginering"]["totaal"], 1, "{list}");
        let failed = &list["resultaten"][0];
        assert_eq!(failed["status"], "mislukt");
        assert_eq!(failed["ontvanger"], "w***@example.nl");
        assert_eq!(failed["pogingen"], 1, "5xx is not retried");
        assert!(failed["laatsteFout"].as_str().unwrap().contains("550"), "{failed}");
        assert!(!failed["laatsteFout"].as_str().unwrap().contains("weiger@"), "{failed}");
        let id = failed["id"].as_str().unwrap().to_string();

        // Parents and lawyers may not; nobody without a token; bad input and unknown ids named.
        let parent = token(&app.login("digid", FATIMA).await);
        problem(app.get_as(&parent, "/beheer/uitgaande-berichten").await, 403).await;
        problem(send(&app, Method::POST, &parent, &format!("/beheer/uitgaande-berichten/{id}/nieuwe-pogingen"), None).await, 403).await;
        problem(app.get("/beheer/uitgaande-berichten").await, 401).await;
        let p = problem(app.get_as(&admin, "/beheer/uitgaande-berichten?status=kapot").await, 400).await;
        assert_eq!(p["errors"][0]["parameter"], "status", "{p}");
        problem(send(&app, Method::POST, &admin, &format!("/beheer/uitgaande-berichten/{}/nieuwe-pogingen", Uuid::now_v7()), None).await, 404).await;

        // The address is fixed at the receiving end; the administrator retries; it arrives.
        sink.control(json!({}));
        let r = send(&app, Method::POST, &admin, &format!("/beheer/uitgaande-berichten/{id}/nieuwe-pogingen"), None).await;
        assert_eq!(r.status().as_u16(), 202);
        let mails = sink.wait_for(1, Duration::from_secs(10)).await;
        assert_eq!(mails[0]["rcpt_tos"], json!(["weiger@example.nl"]));
        problem(send(&app, Method::POST, &admin, &format!("/beheer/uitgaande-berichten/{id}/nieuwe-pogingen"), None).await, 409).await;
        // Audited: the parent's refusal and the administrator's two attempts.
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'uitgaand-bericht-herhalen'").await, 3);
    }
}

db_test! {
    async fn two_instances_deliver_500_messages_once(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        // A realistic (slightly slow) server, so the run lasts longer than one poll interval and
        // the positive control below measures sharing, not who happened to be awake.
        sink.control(json!({"vertraging_ms": 5}));
        // Two delivery workers and the test's own 500-row insert share SQLite's single writer: wait
        // for it rather than give up after the tests' usual 200 ms.
        let first = TestApp::spawn_with(backend, |s| { mail_to(s, sink.port); s.notify.batch = 10; s.database.busy_timeout_ms = 5_000; }).await;
        let second = first.spawn_sharing(|_| {}).await;
        let started = std::time::Instant::now();
        queue(&first, 500, "ouder@example.nl").await;
        let mails = sink.wait_for(500, Duration::from_secs(90)).await;
        eprintln!("500 berichten bezorgd in {:?} (twee instanties)", started.elapsed());
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mails_after = sink.messages();
        let ids: HashSet<&str> = mails_after.iter().map(|m| m["headers"]["message-id"].as_str().unwrap()).collect();
        assert_eq!((mails.len(), mails_after.len(), ids.len()), (500, 500, 500), "no duplicates");
        assert_eq!(first.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'verzonden'").await, 500);
        // Positive control: both instances really delivered.
        let door = first.getal("SELECT COUNT(DISTINCT verzonden_door) FROM uitgaand_bericht").await;
        let meeste = first.getal("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM uitgaand_bericht GROUP BY verzonden_door) t").await;
        eprintln!("instanties: {door}, de drukste bezorgde {meeste} van 500");
        assert_eq!(door, 2);
        drop(second);
    }
}

db_test! {
    async fn a_graceful_stop_finishes_or_gives_back_what_it_holds(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        sink.control(json!({"vertraging_ms": 100}));
        let app = TestApp::spawn_with(backend, |s| { mail_to(s, sink.port); s.notify.smtp.pool_max = 1; }).await;
        queue(&app, 30, "ouder@example.nl").await;
        sink.wait_for(1, Duration::from_secs(10)).await;
        let started = std::time::Instant::now();
        app.stop().await;
        eprintln!("gestopt in {:?}", started.elapsed());
        // Nothing is left reserved by the stopped instance; what was sent is recorded as sent.
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'bezig'").await, 0);
        let sent = app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'verzonden'").await;
        assert_eq!(sent as usize, sink.messages().len());
        assert!(sent < 30, "stopped midway ({sent})");
        // The next instance delivers the rest, each message once.
        let next = app.spawn_sharing(|_| {}).await;
        let mails = sink.wait_for(30, Duration::from_secs(30)).await;
        let ids: HashSet<&str> = mails.iter().map(|m| m["headers"]["message-id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 30);
        drop(next);
    }
}

db_test! {
    async fn a_queued_message_follows_the_settings_of_when_it_is_sent(backend) {
        let Some(mut sink) = SmtpSink::prepared() else { return };
        let app = TestApp::spawn_with(backend, |s| mail_to(s, sink.port)).await;
        let persoon = queue(&app, 3, "ouder@example.nl").await;
        // While the mail server is down, the person turns non-essential mail off.
        mijn_herstel::notify::service::wijzig_voorkeuren(&app.db, persoon, None, mijn_herstel::notify::templates::Taal::Nl, false).await.unwrap();
        sink.up();
        let mut tries = 0;
        while app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE status = 'geannuleerd'").await < 3 {
            tries += 1;
            assert!(tries < 100, "niet vervallen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(sink.messages().is_empty(), "nothing sent after the opt-out");
    }
}
