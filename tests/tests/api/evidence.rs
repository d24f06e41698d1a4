//! Evidence documents over HTTP ([D]): a phone uploads a photo or PDF once (Idempotency-Key),
//! the kind is read from the content, oversized and disguised files are refused with nothing
//! stored, the file comes back byte for byte with a safe name, and only the parent (and the
//! assigned behandelaar, for reading) gets near it.

use mijn_herstel_tests::login::*;
use mijn_herstel_tests::{TestApp, db_test, problem};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 0xFF, 0xD9,
];
const HEIC: &[u8] = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
/// A Windows executable's first bytes.
const EXE: &[u8] =
    b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run in DOS mode.";

fn token(tokens: &Value) -> String {
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn upload(
    app: &TestApp,
    t: &str,
    id: &str,
    key: &str,
    (naam, mediatype, body): (&str, &str, Vec<u8>),
    query: &str,
) -> reqwest::Response {
    app.request(
        Method::POST,
        &format!("/aanvragen/{id}/bewijsstukken{query}"),
    )
    .bearer_auth(t)
    .header("Idempotency-Key", key)
    .header("Content-Type", mediatype)
    .header(
        "Content-Disposition",
        format!("attachment; filename=\"{naam}\""),
    )
    .body(body)
    .send()
    .await
    .unwrap()
}

fn files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    count(&app.mail_dir().join("bewijs"))
}

async fn draft(app: &TestApp, persona: &str) -> (String, String) {
    let t = token(&app.login("digid", persona).await);
    let created = app.create_claim(&t).await;
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (t, id)
}

db_test! {
    async fn a_parent_uploads_evidence_once_and_gets_it_back(backend) {
        let app = TestApp::spawn(backend).await;
        let (t, id) = draft(&app, FATIMA).await;
        let key = Uuid::new_v4().to_string();
        let r = upload(&app, &t, &id, &key, ("vonnis ontruiming.pdf", "application/pdf", PDF.to_vec()), "?betreft=dakloosheid").await;
        assert_eq!(r.status().as_u16(), 201);
        let stuk: Value = r.json().await.unwrap();
        assert_eq!(stuk["soort"], "pdf");
        assert_eq!(stuk["betreft"], "dakloosheid");
        assert_eq!(stuk["bestandsnaam"], "vonnis ontruiming.pdf");
        assert_eq!(stuk["grootte"], PDF.len());
        assert_eq!(stuk["scan"], "niet-gescand");
        // The retry of a bad connection: the same answer, no second file.
        let again = upload(&app, &t, &id, &key, ("vonnis ontruiming.pdf", "application/pdf", PDF.to_vec()), "?betreft=dakloosheid").await;
        assert_eq!(again.status().as_u16(), 201);
        assert_eq!(again.json::<Value>().await.unwrap()["id"], stuk["id"]);
        assert_eq!(app.count("bewijsstuk").await, 1);
        assert_eq!(files(&app), 1);
        // The same key with another file is a mistake, not a replay.
        problem(upload(&app, &t, &id, &key, ("ander.jpg", "image/jpeg", JPEG.to_vec()), "").await, 422).await;

        // A photo from an iPhone, named by the phone, sent as octet-stream: read by content.
        let r = upload(&app, &t, &id, &Uuid::new_v4().to_string(), ("IMG_0001.HEIC", "application/octet-stream", HEIC.to_vec()), "").await;
        assert_eq!(r.status().as_u16(), 201);
        assert_eq!(r.json::<Value>().await.unwrap()["mediatype"], "image/heic");

        let lijst: Value = app.get_as(&t, &format!("/aanvragen/{id}/bewijsstukken")).await.json().await.unwrap();
        assert_eq!(lijst["resultaten"].as_array().unwrap().len(), 2);
        let inhoud = app.get_as(&t, stuk["inhoud"].as_str().unwrap().trim_start_matches("/v1")).await;
        assert_eq!(inhoud.status().as_u16(), 200);
        assert_eq!(inhoud.headers()["content-type"], "application/pdf");
        let disposition = inhoud.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.starts_with("attachment;") && disposition.contains("vonnis ontruiming.pdf"), "{disposition}");
        assert_eq!(inhoud.bytes().await.unwrap().as_ref(), PDF);

        // Deleting while a draft.
        let del = app.request(Method::DELETE, &format!("/aanvragen/{id}/bewijsstukken/{}", stuk["id"].as_str().unwrap())).bearer_auth(&t).send().await.unwrap();
        assert_eq!(del.status().as_u16(), 204);
        assert_eq!(app.count("bewijsstuk").await, 1);
        assert_eq!(files(&app), 1);
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'bewijsstuk-toevoegen' AND uitkomst = 'gelukt'").await, 2);
        assert_eq!(app.getal("SELECT COUNT(*) FROM auditregel WHERE actie = 'bewijsstuk-verwijderen' AND uitkomst = 'gelukt'").await, 1);
    }
}

db_test! {
    async fn disguised_oversized_and_misaddressed_files_are_refused_and_nothing_is_stored(backend) {
        let app = TestApp::spawn_with(backend, |s| s.bewijs.max_bytes = 4096).await;
        let (t, id) = draft(&app, FATIMA).await;
        let (jeroen, _) = draft(&app, JEROEN).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let nieuw = || Uuid::new_v4().to_string();

        // A renamed .exe is not a PDF, whatever its name and Content-Type say.
        let p = problem(upload(&app, &t, &id, &nieuw(), ("brief.pdf", "application/pdf", EXE.to_vec()), "").await, 400).await;
        assert_eq!(p["errors"][0]["code"], "bestandstype", "{p}");
        // Too large: 413, by the declared length and by what actually arrives.
        let mut groot = PDF.to_vec();
        groot.resize(5000, b' ');
        problem(upload(&app, &t, &id, &nieuw(), ("groot.pdf", "application/pdf", groot.clone()), "").await, 413).await;
        let chunked = app.request(Method::POST, &format!("/aanvragen/{id}/bewijsstukken"))
            .bearer_auth(&t)
            .header("Idempotency-Key", nieuw())
            .header("Content-Type", "application/pdf")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(groot.chunks(1000).map(|c| Ok::<_, std::io::Error>(c.to_vec())).collect::<Vec<_>>())))
            .send().await.unwrap();
        problem(chunked, 413).await;
        // An unknown post, no key, no token, someone else's claim, an unassigned behandelaar.
        let p = problem(upload(&app, &t, &id, &nieuw(), ("a.pdf", "application/pdf", PDF.to_vec()), "?betreft=bestaat.niet").await, 400).await;
        assert_eq!(p["errors"][0]["parameter"], "betreft", "{p}");
        let no_key = app.request(Method::POST, &format!("/aanvragen/{id}/bewijsstukken")).bearer_auth(&t).header("Content-Type", "application/pdf").body(PDF.to_vec()).send().await.unwrap();
        problem(no_key, 400).await;
        let anon = app.request(Method::POST, &format!("/aanvragen/{id}/bewijsstukken")).header("Idempotency-Key", nieuw()).body(PDF.to_vec()).send().await.unwrap();
        problem(anon, 401).await;
        problem(upload(&app, &jeroen, &id, &nieuw(), ("a.pdf", "application/pdf", PDF.to_vec()), "").await, 404).await;
        problem(upload(&app, &anouk, &id, &nieuw(), ("a.pdf", "application/pdf", PDF.to_vec()), "").await, 404).await;
        assert_eq!(app.count("bewijsstuk").await, 0);
        assert_eq!(files(&app), 0, "nothing stored");

        // Reading and deleting someone else's evidence: 404, never the file.
        let r = upload(&app, &t, &id, &nieuw(), ("../../etc/passwd", "application/pdf", PDF.to_vec()), "").await;
        assert_eq!(r.status().as_u16(), 201);
        let stuk: Value = r.json().await.unwrap();
        assert_eq!(stuk["bestandsnaam"], "passwd.pdf");
        let pad = format!("/aanvragen/{id}/bewijsstukken/{}", stuk["id"].as_str().unwrap());
        problem(app.get_as(&jeroen, &format!("{pad}/inhoud")).await, 404).await;
        problem(app.get_as(&jeroen, &format!("/aanvragen/{id}/bewijsstukken")).await, 404).await;
        problem(app.get_as(&anouk, &format!("{pad}/inhoud")).await, 404).await;
        problem(app.get(&format!("{pad}/inhoud")).await, 401).await;
        let del = app.request(Method::DELETE, &pad).bearer_auth(&jeroen).send().await.unwrap();
        problem(del, 404).await;
        problem(app.get_as(&t, &format!("/aanvragen/{id}/bewijsstukken/{}/inhoud", Uuid::now_v7())).await, 404).await;
        assert_eq!(app.count("bewijsstuk").await, 1);
    }
}

db_test! {
    async fn after_submission_evidence_can_be_added_and_read_by_the_behandelaar_but_not_deleted(backend) {
        let app = TestApp::spawn(backend).await;
        let (id, _, t) = app.submitted_claim(FATIMA).await;
        let r = upload(&app, &t, &id, &Uuid::new_v4().to_string(), ("huurcontract.jpg", "image/jpeg", JPEG.to_vec()), "").await;
        assert_eq!(r.status().as_u16(), 201, "the behandelaar may ask for more");
        let stuk: Value = r.json().await.unwrap();
        let pad = format!("/aanvragen/{id}/bewijsstukken/{}", stuk["id"].as_str().unwrap());
        let del = app.request(Method::DELETE, &pad).bearer_auth(&t).send().await.unwrap();
        problem(del, 409).await;
        let anouk = token(&app.login("medewerker", ANOUK).await);
        let r = app.request(Method::PUT, &format!("/behandeling/aanvragen/{id}/toewijzing")).bearer_auth(&anouk).json(&json!({})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let inhoud = app.get_as(&anouk, &format!("{pad}/inhoud")).await;
        assert_eq!(inhoud.status().as_u16(), 200);
        assert_eq!(inhoud.bytes().await.unwrap().as_ref(), JPEG);
        let del = app.request(Method::DELETE, &pad).bearer_auth(&anouk).send().await.unwrap();
        problem(del, 404).await;
        // Withdrawn: no more evidence.
        let r = app.request(Method::POST, &format!("/aanvragen/{id}/intrekkingen")).bearer_auth(&t).json(&json!({})).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        problem(upload(&app, &t, &id, &Uuid::new_v4().to_string(), ("laat.pdf", "application/pdf", PDF.to_vec()), "").await, 409).await;
    }
}
