//! What answers when no handler matched: 405 with `Allow` for a known address with the wrong
//! method (ADR /core/http-methods), 404 for an unknown address (including a trailing slash: ADR
//! /core/no-trailing-slash wants 404, never a redirect).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use super::problem::{ApiError, ProblemType};
use crate::AppState;

pub async fn fallback(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Err(match state.contract.allowed_methods(req.path()) {
        Some(methods) => {
            let allow = methods
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            ApiError::new(
                ProblemType::MethodeNietToegestaan,
                format!("{} kan niet op dit adres. Wel: {allow}.", req.method()),
            )
            .with_header(header::ALLOW, HeaderValue::from_str(&allow).expect("ascii"))
        }
        None => {
            let hint = if req.path().len() > 1 && req.path().ends_with('/') {
                " Laat de schuine streep aan het eind weg."
            } else {
                ""
            };
            ApiError::new(
                ProblemType::OnbekendAdres,
                format!("Op dit adres is geen operatie.{hint}"),
            )
        }
    })
}
