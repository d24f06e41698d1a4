//! Cross-cutting HTTP conventions, in one place: problem+json errors, request extractors that
//! validate against the OpenAPI document, ETag/If-Match, Idempotency-Key, pagination, trace ids,
//! the standard response headers and CORS.

pub mod contract;
pub mod etag;
pub mod fallback;
pub mod finalize;
pub mod idempotency;
pub mod json;
pub mod pagination;
pub mod principal;
pub mod problem;
pub mod query;
pub mod rate_limit;
pub mod schema_errors;
pub mod trace;

use actix_cors::Cors;
use actix_web::http::{Method, header};

pub use json::Json;
pub use problem::{ApiError, FieldError, Problem, ProblemType};
pub use query::Query;

/// Headers a browser client may read: without this list it sees none of them.
pub const EXPOSED_HEADERS: [&str; 6] = [
    "API-Version",
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "Idempotent-Replayed",
];

/// CORS with an exact-match allowlist; other origins get no CORS headers at all (the browser then
/// blocks the response). `openapi.json` adds `Access-Control-Allow-Origin: *` itself.
pub fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("traceparent"),
        ])
        .expose_headers(EXPOSED_HEADERS)
        .max_age(600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
