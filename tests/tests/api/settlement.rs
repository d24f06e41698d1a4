//! Assessment and settlement over HTTP ([D]): the whole journey from a submitted claim (with
//! evidence) to a paid settlement, with the mails on a real SMTP server and the audit trail; and the refusals on the
//! way (wrong person, bad input, four eyes, a stale login, mass assignment).

use std::time::Duration;

use mijn_herstel_tests::aanvraag::te_beoordelen;
use mijn_herstel_tests::login::*;
use mijn_herstel_tests::smtp::{SmtpSink, mail_to};
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use uuid::Uuid;

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn send(
    app: &TestApp,
    method: Method,
    t: &str,
    path: &str,
    body: Value,
) -> reqwest::Response {
    app.request(method, path)
        .bearer_auth(t)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

async fn persoon(app: &TestApp, t: &str) -> Uuid {
    let me: Value = app.get_as(t, "/mij").await.json().await.unwrap();
    me["id"].as_str().unwrap().parse().unwrap()
}

db_test! {
    async fn a_claim_goes_from_submission_to_a_paid_settlement(backend) {
        let Some(sink) = SmtpSink::start() else { return };
        let app = TestApp::spawn_with(backend, |s| {
            mail_to(s, sink.port);
            s.claims.vier_ogen_vanaf_cent = 100_000_000;
        })
        .await;
        let fatima = token(&app.login("digid", FATIMA).await);
        let ouder = persoon(&app, &fatima).await;
        mijn_herstel::notify::service::demo_adres(&app.db, ouder, "fatima@example.nl").await.unwrap();
        let (id, referentie, _) = app.submitted_claim(FATIMA).await;
        let jeroen = token(&app.login("digid", JEROEN).await);
        let anouk = token(&app.login("medewerker", ANOUK).await);

        // Not yet assigned: the behandelaar cannot assess; a parent never can.
        problem(app.get_as(&anouk, &format!("/behandeling/aanvragen/{id}/beoordeling")).await, 404).await;
        problem(app.get_as(&fatima, &format!("/behandeling/aanvragen/{id}/beoordeling")).await, 403).await;
        problem(app.get(&format!("/behandeling/aanvragen/{id}/beoordeling")).await, 401).await;
        ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 200).await;

        // Assess: adjust one post (amount + reason), accept another.
        let beoordeling = ok(app.get_as(&anouk, &format!("/behandeling/aanvragen/{id}/beoordeling")).await, 200).await;
        let open = te_beoordelen(&beoordeling);
        assert!(open.len() >= 2, "{beoordeling}");
        let (aangepast, forfaitair) = open[0].clone();
        let (geaccepteerd, _) = open[1].clone();
        let pad = format!("/behandeling/aanvragen/{id}/posten/{aangepast}/beoordeling");
        let p = problem(send(&app, Method::PUT, &anouk, &pad, json!({"besluit": "aangepast"})).await, 400).await;
        let pointers: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        assert_eq!(pointers, ["#/bedrag", "#/reden"], "{p}");
        problem(send(&app, Method::PUT, &anouk, &pad, json!({"besluit": "aangepast", "bedrag": -5, "reden": "x"})).await, 400).await;
        problem(send(&app, Method::PUT, &anouk, &pad, json!({"besluit": "misschien"})).await, 400).await;
        problem(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/posten/bestaat.niet/beoordeling"), json!({"besluit": "geaccepteerd"})).await, 404).await;
        problem(send(&app, Method::PUT, &fatima, &pad, json!({"besluit": "aangepast", "bedrag": 99_999_999, "reden": "meer"})).await, 403).await;
        let nieuw_bedrag = forfaitair / 2;
        let besluit = ok(send(&app, Method::PUT, &anouk, &pad, json!({"besluit": "aangepast", "bedrag": nieuw_bedrag, "reden": "Het beslag duurde korter dan opgegeven."})).await, 200).await;
        assert_eq!(besluit["bedrag"], nieuw_bedrag);
        assert_eq!(besluit["berekendeStatus"], "onderbouwing-nodig");
        let geaccepteerd = ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/posten/{geaccepteerd}/beoordeling"), json!({"besluit": "geaccepteerd"})).await, 200).await;
        assert_eq!(geaccepteerd["bedrag"], geaccepteerd["forfaitair"], "accepting grants the full lump sum");
        // An offer before every post is decided names the ones still open.
        let p = problem(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{id}/aanbiedingen"), json!({"toelichting": "Te vroeg."})).await, 400).await;
        assert!(p["errors"].as_array().unwrap().iter().all(|e| e["code"] == "nog-te-beoordelen"), "{p}");
        assert_eq!(p["errors"].as_array().unwrap().len(), open.len() - 2, "{p}");
        app.accept_open_posts(&anouk, &id).await;

        // Ask the parent a question; no offer while it is open.
        let vraag = ok(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{id}/vragen"), json!({"vraag": "Hoe lang woonde u bij familie?", "betreft": aangepast})).await, 201).await;
        let p = problem(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{id}/vragen"), json!({"vraag": "x", "betreft": "bestaat.niet"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/betreft");
        let aanbod_pad = format!("/behandeling/aanvragen/{id}/aanbiedingen");
        let aanbod_body = json!({"toelichting": "Wij kennen uw posten toe; de verhuizing één keer.", "procedures": [{"kenmerk": "BZ-2025-1187", "omschrijving": "Bezwaar tegen de integrale beoordeling"}]});
        problem(send(&app, Method::POST, &anouk, &aanbod_pad, aanbod_body.clone()).await, 409).await;

        // The parent reads and answers; nobody else can.
        let vragen = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/vragen")).await, 200).await;
        assert_eq!(vragen["open"], 1);
        assert_eq!(vragen["resultaten"][0]["vraag"], "Hoe lang woonde u bij familie?");
        let tl = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tl["openVragen"], 1);
        problem(app.get_as(&jeroen, &format!("/aanvragen/{id}/vragen")).await, 404).await;
        let vraag_id = vraag["id"].as_str().unwrap();
        let antwoord_pad = format!("/aanvragen/{id}/vragen/{vraag_id}/antwoorden");
        problem(send(&app, Method::POST, &jeroen, &antwoord_pad, json!({"antwoord": "Niet van mij."})).await, 404).await;
        let p = problem(send(&app, Method::POST, &fatima, &antwoord_pad, json!({"antwoord": ""})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/antwoord");
        problem(send(&app, Method::POST, &fatima, &format!("/aanvragen/{id}/vragen/{}/antwoorden", Uuid::now_v7()), json!({"antwoord": "x"})).await, 404).await;
        let beantwoord = ok(send(&app, Method::POST, &fatima, &antwoord_pad, json!({"antwoord": "Ongeveer acht maanden."})).await, 201).await;
        assert_eq!(beantwoord["open"], false);
        problem(send(&app, Method::POST, &fatima, &antwoord_pad, json!({"antwoord": "Nog iets."})).await, 409).await;
        // With the answer, a document for the post; the behandelaar reads it.
        let bewijs = app.request(Method::POST, &format!("/aanvragen/{id}/bewijsstukken?betreft={aangepast}"))
            .bearer_auth(&fatima)
            .header("Idempotency-Key", Uuid::new_v4().to_string())
            .header("Content-Type", "application/pdf")
            .header("Content-Disposition", "attachment; filename=\"beslagbrief.pdf\"")
            .body(b"%PDF-1.4\n%%EOF\n".to_vec())
            .send().await.unwrap();
        let bewijs = ok(bewijs, 201).await;
        let stukken = ok(app.get_as(&anouk, &format!("/aanvragen/{id}/bewijsstukken")).await, 200).await;
        assert_eq!(stukken["resultaten"][0]["id"], bewijs["id"]);
        assert_eq!(stukken["resultaten"][0]["betreft"], aangepast.as_str());

        // The offer: per post, with the adjusted amount and its reason, and the VSO terms.
        problem(send(&app, Method::POST, &anouk, &aanbod_pad, json!({"toelichting": ""})).await, 400).await;
        let aanbod = ok(send(&app, Method::POST, &anouk, &aanbod_pad, aanbod_body.clone()).await, 201).await;
        assert_eq!(aanbod["status"], "uitgebracht", "{aanbod}");
        let regel = aanbod["regels"].as_array().unwrap().iter().find(|r| r["id"] == aangepast.as_str()).unwrap();
        assert_eq!(regel["bedrag"], nieuw_bedrag);
        assert_eq!(regel["reden"], "Het beslag duurde korter dan opgegeven.");
        let som: i64 = aanbod["regels"].as_array().unwrap().iter().map(|r| r["bedrag"].as_i64().unwrap()).sum();
        assert_eq!(aanbod["totaal"], som);
        assert!(!aanbod["voorwaarden"].as_array().unwrap().is_empty());
        assert!(aanbod["reagerenVoor"].is_string());
        let aanbod_id = aanbod["id"].as_str().unwrap().to_string();
        problem(send(&app, Method::POST, &anouk, &aanbod_pad, aanbod_body.clone()).await, 409).await;

        // The parent sees it; another parent does not.
        let lijst = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/aanbiedingen")).await, 200).await;
        assert_eq!(lijst["resultaten"][0]["id"], aanbod_id.as_str());
        problem(app.get_as(&jeroen, &format!("/aanvragen/{id}/aanbiedingen")).await, 404).await;
        let tl = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tl["status"], "aanbod-gedaan");
        assert_eq!(tl["aanZet"], "ouder");

        // Bank account: IBAN checked, stored sealed, shown masked, changes mailed.
        let rek = format!("/aanvragen/{id}/bankrekening");
        let p = problem(send(&app, Method::PUT, &fatima, &rek, json!({"iban": "NL91ABNA0417164301", "rekeninghouder": "F. el Amrani"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/iban");
        assert_eq!(p["errors"][0]["code"], "iban-controlegetal");
        problem(send(&app, Method::PUT, &jeroen, &rek, json!({"iban": "NL91ABNA0417164300", "rekeninghouder": "J"})).await, 404).await;
        let r = ok(send(&app, Method::PUT, &fatima, &rek, json!({"iban": "nl91 abna 0417 1643 00", "rekeninghouder": "F. el Amrani"})).await, 200).await;
        assert_eq!(r["iban"], "NL** **** **** **4300");
        assert_eq!(app.getal("SELECT COUNT(*) FROM bankrekening WHERE iban_verzegeld LIKE '%0417164300%'").await, 0);

        // Mass assignment: the parent cannot set an amount or a status on the way.
        let aanvaarden = format!("/aanvragen/{id}/aanvaardingen");
        problem(send(&app, Method::POST, &fatima, &aanvaarden, json!({"aanbod": aanbod_id, "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"], "totaal": 99_999_999})).await, 400).await;
        // Terms not confirmed, a procedure left out: both named.
        let p = problem(send(&app, Method::POST, &fatima, &aanvaarden, json!({"aanbod": aanbod_id, "voorwaardenBevestigd": false, "ingetrokkenProcedures": []})).await, 400).await;
        let pointers: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        assert_eq!(pointers, ["#/voorwaardenBevestigd", "#/ingetrokkenProcedures"], "{p}");
        problem(send(&app, Method::POST, &jeroen, &aanvaarden, json!({"aanbod": aanbod_id, "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"]})).await, 404).await;
        // A login of an hour ago is not fresh enough: 401 with the step-up challenge, nothing saved.
        app.db.execute_unprepared("UPDATE sessie SET aangemaakt_op = aangemaakt_op - 3600000").await.unwrap();
        let stale = send(&app, Method::POST, &fatima, &aanvaarden, json!({"aanbod": aanbod_id, "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"]})).await;
        let challenge = stale.headers().get("www-authenticate").unwrap().to_str().unwrap().to_string();
        assert!(challenge.contains("insufficient_user_authentication") && challenge.contains("max_age=600"), "{challenge}");
        let p = problem(stale, 401).await;
        assert!(p["type"].as_str().unwrap().ends_with("opnieuw-inloggen"));
        assert_eq!(ok(app.get_as(&fatima, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await["status"], "aanbod-gedaan");

        // A fresh DigiD login, and the parent agrees.
        let vers = token(&app.login("digid", FATIMA).await);
        let akkoord = ok(send(&app, Method::POST, &vers, &aanvaarden, json!({"aanbod": aanbod_id, "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"]})).await, 200).await;
        assert_eq!(akkoord["status"], "aanvaard");
        assert_eq!(akkoord["totaal"], aanbod["totaal"]);
        problem(send(&app, Method::POST, &vers, &aanvaarden, json!({"aanbod": aanbod_id, "voorwaardenBevestigd": true, "ingetrokkenProcedures": ["BZ-2025-1187"]})).await, 409).await;
        problem(send(&app, Method::POST, &vers, &format!("/aanvragen/{id}/intrekkingen"), json!({})).await, 409).await;
        problem(send(&app, Method::PUT, &vers, &rek, json!({"iban": "NL91ABNA0417164300", "rekeninghouder": "F. el Amrani"})).await, 409).await;

        // Payout: the order is given, then paid; each once; the parent sees it in the timeline.
        let betalingen = format!("/behandeling/aanvragen/{id}/betalingen");
        problem(send(&app, Method::POST, &anouk, &betalingen, json!({"status": "betaald"})).await, 409).await;
        ok(send(&app, Method::POST, &anouk, &betalingen, json!({"status": "opdracht-gegeven"})).await, 201).await;
        let betaald = ok(send(&app, Method::POST, &anouk, &betalingen, json!({"status": "betaald"})).await, 201).await;
        assert_eq!(betaald["bedrag"], aanbod["totaal"]);
        problem(send(&app, Method::POST, &anouk, &betalingen, json!({"status": "betaald"})).await, 409).await;
        problem(send(&app, Method::POST, &vers, &betalingen, json!({"status": "betaald"})).await, 403).await;

        let tl = ok(app.get_as(&vers, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tl["status"], "akkoord");
        assert_eq!(tl["referentie"], referentie.as_str());
        let statussen: Vec<&str> = tl["overgangen"].as_array().unwrap().iter().map(|o| o["naar"].as_str().unwrap()).collect();
        assert_eq!(statussen, ["concept", "ingediend", "in-behandeling", "aanbod-gedaan", "akkoord"]);
        assert_eq!(tl["betalingen"].as_array().unwrap().len(), 2);
        assert_eq!(tl["openVragen"], 0);

        // The mails, on the real SMTP server; the offer reminder was cancelled by the answer.
        let onderwerpen = [
            "Wij hebben uw aanvraag ontvangen",
            "Een behandelaar werkt nu aan uw aanvraag",
            "De behandelaar heeft een vraag voor u",
            "U heeft een aanbod gekregen",
            "Het rekeningnummer voor uw uitbetaling is gewijzigd",
            "U bent akkoord gegaan met het aanbod",
            "Wij hebben uw vergoeding betaald",
        ];
        let mails = sink.wait_for(onderwerpen.len() + 1, Duration::from_secs(15)).await;
        for o in onderwerpen {
            assert!(mails.iter().any(|m| m["headers"]["subject"] == o), "missing mail {o:?}");
        }
        assert!(mails.iter().all(|m| !m.to_string().contains("0417164300")), "no account number in mail");
        assert_eq!(app.getal("SELECT COUNT(*) FROM uitgaand_bericht WHERE soort = 'aanbod-herinnering' AND status = 'geannuleerd'").await, 1);

        // The audit trail has every step, each by its actor.
        for actie in ["aanvraag-indienen", "post-beoordelen", "vraag-stellen", "vraag-beantwoorden", "bewijsstuk-toevoegen", "aanbod-doen", "bankrekening-wijzigen", "aanbod-aanvaarden", "betaling-vastleggen"] {
            assert!(app.getal(&format!("SELECT COUNT(*) FROM auditregel WHERE actie = '{actie}' AND uitkomst = 'gelukt'")).await >= 1, "{actie}");
        }
    }
}

db_test! {
    async fn a_large_offer_needs_a_second_behandelaar(backend) {
        let app = TestApp::spawn_with(backend, |s| s.claims.vier_ogen_vanaf_cent = 1).await;
        let (id, _, fatima) = app.submitted_claim(FATIMA).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let bram = token(&app.login("medewerker", BRAM).await);
        ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 200).await;
        app.accept_open_posts(&anouk, &id).await;
        let aanbod = ok(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{id}/aanbiedingen"), json!({"toelichting": "Alles toegekend."})).await, 201).await;
        assert_eq!(aanbod["status"], "wacht-op-goedkeuring");
        let aanbod_id = aanbod["id"].as_str().unwrap();
        // Not yet with the parent.
        let lijst = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/aanbiedingen")).await, 200).await;
        assert_eq!(lijst["resultaten"].as_array().unwrap().len(), 0);
        assert_eq!(ok(app.get_as(&fatima, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await["status"], "in-behandeling");
        // The maker cannot approve; the parent cannot; a colleague can.
        let goedkeuren = format!("/behandeling/aanbiedingen/{aanbod_id}/goedkeuringen");
        problem(send(&app, Method::POST, &anouk, &goedkeuren, json!({})).await, 403).await;
        problem(send(&app, Method::POST, &fatima, &goedkeuren, json!({})).await, 403).await;
        let te_keuren = ok(app.get_as(&anouk, "/behandeling/goedkeuringen").await, 200).await;
        assert_eq!(te_keuren["resultaten"].as_array().unwrap().len(), 0, "not one's own");
        let te_keuren = ok(app.get_as(&bram, "/behandeling/goedkeuringen").await, 200).await;
        assert_eq!(te_keuren["resultaten"][0]["id"], aanbod_id);
        let goed = ok(send(&app, Method::POST, &bram, &goedkeuren, json!({})).await, 200).await;
        assert_eq!(goed["status"], "uitgebracht");
        assert_eq!(goed["vierOgen"], true);
        problem(send(&app, Method::POST, &bram, &goedkeuren, json!({})).await, 409).await;
        problem(send(&app, Method::POST, &bram, &format!("/behandeling/aanbiedingen/{}/goedkeuringen", Uuid::now_v7()), json!({})).await, 404).await;
        // Bram is not assigned: he cannot assess the claim.
        problem(app.get_as(&bram, &format!("/behandeling/aanvragen/{id}/beoordeling")).await, 404).await;

        // More time once; then the parent rejects and asks for a new review.
        let verleng = ok(send(&app, Method::POST, &fatima, &format!("/aanvragen/{id}/verlengingen"), json!({"aanbod": aanbod_id})).await, 200).await;
        assert_eq!(verleng["verlengd"], true);
        assert!(verleng["reagerenVoor"].as_str().unwrap() > goed["reagerenVoor"].as_str().unwrap());
        problem(send(&app, Method::POST, &fatima, &format!("/aanvragen/{id}/verlengingen"), json!({"aanbod": aanbod_id})).await, 409).await;
        let p = problem(send(&app, Method::POST, &fatima, &format!("/aanvragen/{id}/afwijzingen"), json!({"aanbod": Uuid::now_v7(), "vervolg": "nieuwe-beoordeling"})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/aanbod");
        let af = ok(send(&app, Method::POST, &fatima, &format!("/aanvragen/{id}/afwijzingen"), json!({"aanbod": aanbod_id, "reden": "De uithuisplaatsing ontbreekt.", "vervolg": "nieuwe-beoordeling"})).await, 200).await;
        assert_eq!(af["status"], "afgewezen");
        let tl = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tl["status"], "niet-akkoord");
        assert!(tl["overgangen"].as_array().unwrap().last().unwrap()["reden"].as_str().unwrap().starts_with("nieuwe-beoordeling"));
        // Reconsideration: the behandelaar may assess again and make a new offer.
        let nieuw = ok(send(&app, Method::POST, &anouk, &format!("/behandeling/aanvragen/{id}/aanbiedingen"), json!({"toelichting": "Heroverwogen."})).await, 201).await;
        assert_eq!(nieuw["volgnummer"], 2);
    }
}

db_test! {
    async fn a_claim_is_referred_to_the_committee(backend) {
        let app = TestApp::spawn(backend).await;
        let (id, _, fatima) = app.submitted_claim(FATIMA).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let pad = format!("/behandeling/aanvragen/{id}/doorverwijzingen");
        problem(send(&app, Method::POST, &anouk, &pad, json!({"reden": "Complex."})).await, 404).await;
        ok(send(&app, Method::PUT, &anouk, &format!("/behandeling/aanvragen/{id}/toewijzing"), json!({})).await, 200).await;
        let p = problem(send(&app, Method::POST, &anouk, &pad, json!({"reden": " "})).await, 400).await;
        assert_eq!(p["errors"][0]["pointer"], "#/reden");
        problem(send(&app, Method::POST, &fatima, &pad, json!({"reden": "Zelf."})).await, 403).await;
        let r = send(&app, Method::POST, &anouk, &pad, json!({"reden": "Uithuisplaatsing van twee kinderen."})).await;
        assert_eq!(r.status().as_u16(), 204);
        problem(send(&app, Method::POST, &anouk, &pad, json!({"reden": "Nog eens."})).await, 409).await;
        let tl = ok(app.get_as(&fatima, &format!("/aanvragen/{id}/tijdlijn")).await, 200).await;
        assert_eq!(tl["status"], "doorverwezen");
        assert_eq!(tl["aanZet"], "commissie");
        let inbox: Value = app.get_as(&fatima, "/mij/berichten").await.json().await.unwrap();
        assert_eq!(inbox["resultaten"][0]["soort"], "aanvraag-doorverwezen");
    }
}
