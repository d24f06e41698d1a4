//! The OpenAPI document: generated from the handlers' annotations by utoipa, then finished in one
//! place so that every operation documents the conventions it really follows (`API-Version` on
//! every 2xx/3xx, the problem responses our extractors and the database can produce).
//! `mijn-herstel openapi` prints it; `openapi/openapi.json` is that output, committed.

use actix_web::App;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::problem::{FieldError, Problem, ProblemType};

/// `info.version` and the `API-Version` header (ADR /core/version-header, /core/semver).
pub const API_VERSION: &str = "1.0.0-alpha.1";

/// Base path of the API; the document's `servers` entry, stripped from its `paths`.
pub const BASE_PATH: &str = "/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mijn Herstel API",
        description = include_str!("openapi_description.md"),
        contact(
            name = "Team Mijn Herstel",
            url = "https://mijn-herstel.nl/ontwikkelaars",
            email = "api@mijn-herstel.nl"
        ),
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    servers((url = "/v1", description = "Deze server (relatief aan de host die dit document serveert)")),
    tags(
        (name = "Beheer", description = "Gezondheid en gereedheid van de dienst, voor monitoring en load balancers; mislukte e-mail bekijken en opnieuw versturen (beheerders)."),
        (name = "Inloggen", description = "Inloggen via DigiD (ouders), de inlogdienst voor advocaten of die voor medewerkers; tokens ophalen, vernieuwen en uitloggen. Zie de README voor het verloop in de app."),
        (name = "Mijn gegevens", description = "Wie er is ingelogd, en het logboek: wie wat deed met uw gegevens."),
        (name = "Vragenlijst", description = "De vragenlijst en het schadekader om te tonen (openbaar, per inhoudsversie)."),
        (name = "Aanvragen", description = "De aanvraag van een ouder: stap voor stap antwoorden, de persoonlijke schadeposten met bedragen en uitleg, keuzes per post."),
        (name = "Gegevens", description = "Gegevens die de overheid al heeft: welke bronnen er zijn, toestemming geven en intrekken, ophalen (per bron, een bron die niet werkt houdt de rest niet op), en per gegeven bevestigen of betwisten. Bevestigde gegevens vullen de vragenlijst in, met de bron erbij."),
        (name = "Gesprekken", description = "Herstelrechtgesprekken: soorten gesprek, het rooster van gespreksleiders, vrije tijden (ook rond de overgang naar zomer- en wintertijd), boeken en afzeggen."),
        (name = "Machtigingen", description = "Een advocaat die namens de ouder werkt: uitnodigen of aanvragen (de ander bevestigt), bevoegdheden, einddatum, intrekken en beëindigen, namens een cliënt werken, en voor de ouder: alles wat de gemachtigde deed, in gewone woorden."),
        (name = "Behandeling", description = "Voor behandelaars: de wachtrij van ingediende aanvragen (urgent en oudste eerst), zoeken op kenmerk, toewijzen en urgentie."),
        (name = "Meldingen", description = "De berichtenbox (alles wat wij u lieten weten), het e-mailadres met bevestigingscode, taal en welke e-mail u krijgt. E-mail zegt alleen dat er iets is gebeurd; de inhoud staat in de app.")
    ),
    modifiers(&BearerAuth),
    components(schemas(Problem, FieldError))
)]
struct ApiDoc;

/// Our access token, in the `Authorization` header only (never in a URL).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Het toegangstoken van `POST /token` (ES256-JWT, hoogstens 15 minuten geldig)."))
                    .build(),
            ),
        );
    }
}

/// Registers every documented operation. The server and [`document`] both call this, so the
/// document lists exactly the routes the server answers.
pub fn routes(cfg: &mut ServiceConfig) {
    crate::health::routes::configure(cfg);
    crate::identity::routes::configure(cfg);
    crate::audit::routes::configure(cfg);
    crate::claims::routes::configure(cfg);
    crate::bewijs::routes::configure(cfg);
    crate::notify::routes::configure(cfg);
    crate::gegevens::routes::configure(cfg);
    crate::machtiging::routes::configure(cfg);
    crate::gesprek::routes::configure(cfg);
    crate::inzage::routes::configure(cfg);
    crate::bewaren::routes::configure(cfg);
}

/// The finished document as JSON.
pub fn document() -> Value {
    document_with(None)
}

/// The document of a server that also mounts `extra` routes (see [`crate::ExtraRoutes`]).
pub fn document_with(extra: Option<crate::ExtraRoutes>) -> Value {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope(BASE_PATH).configure(|cfg| {
            routes(cfg);
            if let Some(extra) = &extra {
                extra(cfg);
            }
        }))
        .split_for_parts();
    let mut doc = serde_json::to_value(api).expect("het OpenAPI-document is serialiseerbaar");
    finish(&mut doc);
    doc
}

/// The document as the server serves it and `openapi/openapi.json` stores it.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("serialiseerbaar");
    text.push('\n');
    text
}

fn finish(doc: &mut Value) {
    doc["info"]["version"] = json!(API_VERSION);
    let components = doc["components"].as_object_mut().expect("components");
    components.insert(
        "headers".into(),
        json!({
            "API-Version": {
                "description": "De volledige versie van deze API (semver), op elk antwoord.",
                "required": true,
                "schema": {"type": "string", "example": API_VERSION}
            },
            "Retry-After": {
                "description": "Na hoeveel seconden u het opnieuw kunt proberen.",
                "schema": {"type": "integer", "minimum": 0, "example": 1}
            },
            "Allow": {
                "description": "De methoden die op dit adres wel kunnen.",
                "schema": {"type": "string", "example": "GET"}
            }
        }),
    );
    let mut responses = Map::new();
    for kind in ProblemType::ALL {
        responses.insert(response_name(kind), problem_response(kind));
    }
    components.insert("responses".into(), Value::Object(responses));

    let paths = std::mem::take(doc["paths"].as_object_mut().expect("paths"));
    let mut finished = Map::new();
    for (path, mut item) in paths {
        let relative = path.strip_prefix(BASE_PATH).unwrap_or(&path).to_string();
        let has_path_params = relative.contains('{');
        for (method, operation) in item.as_object_mut().expect("path item") {
            if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                continue;
            }
            finish_operation(operation, has_path_params);
            specific_problems(operation);
        }
        finished.insert(relative, item);
    }
    doc["paths"] = Value::Object(finished);
}

fn finish_operation(operation: &mut Value, has_path_params: bool) {
    let has_params = operation["parameters"]
        .as_array()
        .is_some_and(|p| !p.is_empty());
    let has_body = operation.get("requestBody").is_some();
    let secured = operation.get("security").is_some();
    let responses = operation["responses"].as_object_mut().expect("responses");
    for (status, response) in responses.iter_mut() {
        if status.starts_with('2') || status.starts_with('3') {
            let headers = response
                .as_object_mut()
                .expect("response")
                .entry("headers")
                .or_insert_with(|| json!({}));
            headers["API-Version"] = json!({"$ref": "#/components/headers/API-Version"});
        }
    }
    let mut ensure = |kind: ProblemType| {
        let status = kind.status().as_u16().to_string();
        let reference = json!({"$ref": format!("#/components/responses/{}", response_name(kind))});
        match responses.get(&status) {
            // A handler that names a status without content gets the standard problem response.
            Some(existing)
                if existing.get("content").is_some() || existing.get("$ref").is_some() => {}
            _ => {
                responses.insert(status, reference);
            }
        }
    };
    if has_params || has_body {
        ensure(ProblemType::OngeldigeInvoer);
    }
    if has_body {
        ensure(ProblemType::VerzoekTeGroot);
        ensure(ProblemType::MediatypeNietOndersteund);
    }
    if has_path_params {
        ensure(ProblemType::NietGevonden);
    }
    if secured {
        ensure(ProblemType::NietIngelogd);
        ensure(ProblemType::TeVeelVerzoeken);
    }
    ensure(ProblemType::InterneFout);
    ensure(ProblemType::TijdelijkNietBeschikbaar);
    // Statuses a handler declared without content (e.g. 404, 409, 412) point at the catalogue.
    let declared: Vec<String> = responses
        .iter()
        .filter(|(s, r)| {
            (s.starts_with('4') || s.starts_with('5'))
                && r.get("content").is_none()
                && r.get("$ref").is_none()
        })
        .map(|(s, _)| s.clone())
        .collect();
    for status in declared {
        if let Some(kind) = actix_web::http::StatusCode::from_bytes(status.as_bytes())
            .ok()
            .map(ProblemType::for_status)
        {
            responses.insert(
                status,
                json!({"$ref": format!("#/components/responses/{}", response_name(kind))}),
            );
        }
    }
}

/// Statuses whose problem type is not the generic one for that status.
fn specific_problems(operation: &mut Value) {
    let specific: &[(&str, &str, ProblemType)] = &[
        ("inloggenTerugkeer", "401", ProblemType::InloggenMislukt),
        ("inloggenTerugkeer", "403", ProblemType::NiveauTeLaag),
        (
            "inloggenTerugkeer",
            "502",
            ProblemType::InlogdienstOnbereikbaar,
        ),
        (
            "inloggenStarten",
            "502",
            ProblemType::InlogdienstOnbereikbaar,
        ),
    ];
    let id = operation["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for (op, status, kind) in specific {
        if *op == id {
            operation["responses"][*status] =
                json!({"$ref": format!("#/components/responses/{}", response_name(*kind))});
        }
    }
}

fn response_name(kind: ProblemType) -> String {
    kind.code()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn problem_response(kind: ProblemType) -> Value {
    let mut example = json!({
        "type": kind.uri(),
        "title": kind.title(),
        "status": kind.status().as_u16(),
        "detail": kind.description(),
        "instance": "urn:uuid:4bf92f35-77b3-4da6-a3ce-929d0e0e4736",
        "code": kind.code()
    });
    if kind == ProblemType::OngeldigeInvoer {
        example["detail"] = json!("1 veld of parameter klopt niet.");
        example["errors"] =
            json!([{"pointer": "#/tekst", "detail": "Dit veld is verplicht.", "code": "required"}]);
    }
    let mut headers = json!({"API-Version": {"$ref": "#/components/headers/API-Version"}});
    match kind {
        ProblemType::TijdelijkNietBeschikbaar
        | ProblemType::TeVeelVerzoeken
        | ProblemType::VerzoekLoopt => {
            headers["Retry-After"] = json!({"$ref": "#/components/headers/Retry-After"});
        }
        ProblemType::MethodeNietToegestaan => {
            headers["Allow"] = json!({"$ref": "#/components/headers/Allow"});
        }
        _ => {}
    }
    json!({
        "description": format!("{}: {}", kind.title(), kind.description()),
        "headers": headers,
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": example
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_names_are_pascal_case() {
        assert_eq!(
            response_name(ProblemType::OngeldigeInvoer),
            "OngeldigeInvoer"
        );
        assert_eq!(
            response_name(ProblemType::SleutelHergebruikt),
            "IdempotencyKeyHergebruikt"
        );
    }

    #[test]
    fn document_is_openapi_3_1_with_relative_paths() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], API_VERSION);
        assert_eq!(doc["servers"][0]["url"], "/v1");
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.contains_key("/health"), "{:?}", paths.keys());
        assert!(paths.keys().all(|p| !p.starts_with("/v1")));
    }

    #[test]
    fn every_schema_has_an_example() {
        let doc = document();
        let missing: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, schema)| {
                schema.get("example").is_none() && schema.get("examples").is_none()
            })
            .map(|(name, _)| name)
            .collect();
        assert!(
            missing.is_empty(),
            "schemas without an example: {missing:?}"
        );
    }

    #[test]
    fn every_success_documents_api_version_and_every_error_is_a_problem() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (status, response) in op["responses"].as_object().unwrap() {
                    if status.starts_with('2') || status.starts_with('3') {
                        assert!(
                            response["headers"]["API-Version"].is_object(),
                            "{method} {path} {status}"
                        );
                    } else {
                        let reference = response["$ref"].as_str().unwrap_or_default();
                        assert!(
                            reference.starts_with("#/components/responses/"),
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }
}
