//! Evidence over HTTP. The upload body is the file itself (`Content-Type` of the file, or
//! `application/octet-stream`), so a phone can send it as it is, without multipart; the name goes
//! in `Content-Disposition`, never in the URL.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::StreamExt;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::service::{self, Upload};
use crate::AppState;
use crate::http::idempotency::{IdempotencyKey, IdempotencyKeyHeader};
use crate::http::principal::Principal;
use crate::http::{ApiError, ProblemType, Query};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(uploaden)
        .service(lijst)
        .service(inhoud)
        .service(verwijderen);
}

fn te_groot(max: usize) -> ApiError {
    ApiError::new(
        ProblemType::VerzoekTeGroot,
        format!(
            "Het bestand is te groot: hoogstens {} MB. Maak de foto kleiner of scan met een lagere resolutie.",
            max / (1024 * 1024)
        ),
    )
}

/// The file name from `Content-Disposition: attachment; filename="…"` (or RFC 5987
/// `filename*=UTF-8''…`, which wins).
fn bestandsnaam(req: &HttpRequest) -> Option<String> {
    let waarde = req
        .headers()
        .get(header::CONTENT_DISPOSITION)?
        .to_str()
        .ok()?;
    let mut gewoon = None;
    for deel in waarde.split(';').map(str::trim) {
        if let Some(v) = deel.strip_prefix("filename*=") {
            let v = v
                .strip_prefix("UTF-8''")
                .or_else(|| v.strip_prefix("utf-8''"))?;
            return percent_decode(v);
        }
        if let Some(v) = deel.strip_prefix("filename=") {
            gewoon = Some(v.trim_matches('"').to_string());
        }
    }
    gewoon
}

fn percent_decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// Een bewijsstuk toevoegen
///
/// Stuur het bestand zelf als body: een foto (JPEG, PNG, HEIC) of een PDF, hoogstens de
/// ingestelde grootte (anders 413, en er is niets opgeslagen). Het soort wordt aan de inhoud
/// vastgesteld, niet aan de naam: een ander bestand krijgt 400 (`bestandstype`). De naam mag mee
/// in `Content-Disposition: attachment; filename="brief.pdf"`. Elk bestand wordt op virussen
/// gescand voordat het wordt bewaard. Stuur een Idempotency-Key: een herhaalde upload over een
/// slechte verbinding levert geen tweede exemplaar op. Kan bij een concept, en na indienen zolang
/// de aanvraag in behandeling is (bijvoorbeeld als de behandelaar om bewijs vraagt).
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "bewijsstukToevoegen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), UploadParams, IdempotencyKeyHeader,
        ("Content-Disposition" = Option<String>, Header, description = "De naam van het bestand: `attachment; filename=\"brief.pdf\"`.", example = "attachment; filename=\"brief.pdf\"")),
    request_body(content = Bestand, description = "Het bestand.", content(
        (Bestand = "application/pdf"),
        (Bestand = "image/jpeg"),
        (Bestand = "image/png"),
        (Bestand = "image/heic"),
        (Bestand = "application/octet-stream")
    )),
    responses(
        (status = 201, description = "Bewaard.", body = Bewijsstuk),
        (status = 409, description = "De aanvraag neemt geen bewijs (meer) aan, of het maximum is bereikt."),
        (status = 413, description = "Het bestand is te groot; er is niets opgeslagen."),
        (status = 422, description = "Deze Idempotency-Key is gebruikt voor een ander bestand."),
        (status = 503, description = "De virusscan werkt nu niet; er is niets opgeslagen.")
    )
)]
#[post("/aanvragen/{id}/bewijsstukken")]
async fn uploaden(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
    key: IdempotencyKey,
    params: Query<UploadParams>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let max = state.settings.bewijs.max_bytes;
    let gemeld = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if gemeld.is_some_and(|n| n > max) {
        return Err(te_groot(max));
    }
    let mut data = web::BytesMut::with_capacity(gemeld.unwrap_or(0).min(max));
    while let Some(brok) = payload.next().await {
        let brok = brok.map_err(|_| {
            ApiError::new(
                ProblemType::OngeldigeInvoer,
                "Het bestand kwam niet helemaal aan. Probeer het opnieuw met dezelfde Idempotency-Key.",
            )
        })?;
        if data.len() + brok.len() > max {
            return Err(te_groot(max));
        }
        data.extend_from_slice(&brok);
    }
    let naam = bestandsnaam(&req);
    service::voeg_toe(
        &state,
        &principal,
        *id,
        &key,
        Upload {
            inhoud: data.freeze(),
            betreft: params.betreft.as_deref(),
            bestandsnaam: naam.as_deref(),
        },
    )
    .await
}

/// De bewijsstukken van een aanvraag
///
/// Voor de ouder en voor de toegewezen behandelaar.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "bewijsstukkenLezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag.")),
    responses((status = 200, description = "De bewijsstukken.", body = Bewijsstukken))
)]
#[get("/aanvragen/{id}/bewijsstukken")]
async fn lijst(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(service::lijst(&state, &principal, *id).await?))
}

/// De inhoud van een bewijsstuk
///
/// Het bestand zelf, met `Content-Disposition: attachment` en een veilige naam.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "bewijsstukInhoud",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), ("bewijsstuk" = Uuid, Path, description = "De id van het bewijsstuk.")),
    responses((status = 200, description = "Het bestand.", content(
        (Bestand = "application/pdf"),
        (Bestand = "image/jpeg"),
        (Bestand = "image/png"),
        (Bestand = "image/heic")
    ), headers(("Content-Disposition" = String, description = "`attachment` met de bestandsnaam."))))
)]
#[get("/aanvragen/{id}/bewijsstukken/{bewijsstuk}/inhoud")]
async fn inhoud(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (stuk, bytes) = service::inhoud(&state, &principal, path.0, path.1).await?;
    let ascii: String = stuk
        .bestandsnaam
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let utf8: String = stuk
        .bestandsnaam
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}");
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(stuk.soort.mediatype()),
        ))
        .insert_header((
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// Een bewijsstuk verwijderen
///
/// Alleen zolang de aanvraag een concept is.
#[utoipa::path(
    tag = "Aanvragen",
    operation_id = "bewijsstukVerwijderen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van de aanvraag."), ("bewijsstuk" = Uuid, Path, description = "De id van het bewijsstuk.")),
    responses(
        (status = 204, description = "Verwijderd."),
        (status = 409, description = "De aanvraag is al ingediend.")
    )
)]
#[delete("/aanvragen/{id}/bewijsstukken/{bewijsstuk}")]
async fn verwijderen(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    service::verwijder(&state, &principal, path.0, path.1).await?;
    Ok(HttpResponse::NoContent().finish())
}
