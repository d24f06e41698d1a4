//! `Json<T>`: the request-body extractor every handler uses.
//!
//! Order of checks: media type (415), size (413), JSON syntax (400), the request schema from the
//! OpenAPI document (400 listing *all* problems, because serde stops at the first), then serde,
//! then `validator` for rules a schema cannot say. Nothing is written before all of them pass.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use validator::Validate;

use super::problem::{ApiError, FieldError, ProblemType};
use super::schema_errors;
use crate::AppState;

pub struct Json<T> {
    value: T,
    fingerprint: String,
}

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.value
    }

    /// SHA-256 of the raw body: the request fingerprint for Idempotency-Key.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> FromRequest for Json<T>
where
    T: DeserializeOwned + ToSchema + Validate + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .expect("AppState is geregistreerd");
            check_content_type(&req)?;
            let limit = state.settings.http.max_json_bytes;
            let too_large = || {
                ApiError::new(
                    ProblemType::VerzoekTeGroot,
                    format!("De body mag hoogstens {limit} bytes zijn."),
                )
            };
            if let Some(length) = req
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<usize>().ok())
                && length > limit
            {
                return Err(too_large());
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| {
                    ApiError::new(
                        ProblemType::OngeldigeInvoer,
                        "De body kon niet worden gelezen.",
                    )
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            let fingerprint = hex::encode(Sha256::digest(&body));
            let raw: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
                let detail = if body.is_empty() {
                    "De body is leeg; stuur een JSON-object.".to_string()
                } else {
                    format!(
                        "Geen geldige JSON (regel {}, kolom {}).",
                        e.line(),
                        e.column()
                    )
                };
                ApiError::invalid(vec![FieldError::body("", "json", detail)])
            })?;
            let validator = state.contract.body_validator(&T::name());
            let errors = schema_errors::body_errors(&validator, &raw);
            if !errors.is_empty() {
                return Err(ApiError::invalid(errors));
            }
            let value: T = serde_json::from_value(raw).map_err(|e| {
                ApiError::invalid(vec![FieldError::body(
                    "",
                    "json",
                    format!("De inhoud past niet: {e}."),
                )])
            })?;
            value
                .validate()
                .map_err(|e| ApiError::invalid(validation_errors(&e, "")))?;
            Ok(Json { value, fingerprint })
        })
    }
}

fn check_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else {
        let given = if essence.is_empty() {
            "geen Content-Type".to_string()
        } else {
            format!("Content-Type {essence}")
        };
        Err(ApiError::new(
            ProblemType::MediatypeNietOndersteund,
            format!("Deze operatie neemt application/json; het verzoek had {given}."),
        ))
    }
}

/// `validator` errors as field errors with pointers (nested structs and lists included).
pub fn validation_errors(errors: &validator::ValidationErrors, base: &str) -> Vec<FieldError> {
    use validator::ValidationErrorsKind as Kind;
    let mut out = Vec::new();
    for (field, kind) in errors.errors() {
        let path = format!("{base}/{field}");
        match kind {
            Kind::Field(list) => out.extend(list.iter().map(|e| {
                let detail = e
                    .message
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "Deze waarde is niet toegestaan.".into());
                FieldError::body(&path, e.code.to_string(), detail)
            })),
            Kind::Struct(inner) => out.extend(validation_errors(inner, &path)),
            Kind::List(items) => {
                for (index, inner) in items {
                    out.extend(validation_errors(inner, &format!("{path}/{index}")));
                }
            }
        }
    }
    out
}
