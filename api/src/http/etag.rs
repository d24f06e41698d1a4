//! Optimistic concurrency (RFC 9110 §8.8.3, §13.1.1; RFC 6585 §3). A mutable resource has an
//! integer version; its strong ETag is `"v<version>"`. Writes state the version they change in
//! `If-Match` and the store updates `WHERE versie = <that version>`, so two editors (a parent and
//! their lawyer) can never silently overwrite each other.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse};

use super::problem::{ApiError, FieldError, ProblemType};

pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

pub fn etag_header(version: i64) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&etag(version)).expect("ascii"),
    )
}

/// The `If-Match` precondition of a write. Missing → 428; present but not ours → 412 on check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Versions(Vec<i64>),
}

impl IfMatch {
    pub fn parse(value: &str) -> Result<IfMatch, ApiError> {
        let value = value.trim();
        if value == "*" {
            return Ok(IfMatch::Any);
        }
        let mut versions = Vec::new();
        for tag in value.split(',').map(str::trim) {
            // Weak tags never match under the strong comparison If-Match requires.
            if tag.starts_with("W/") {
                continue;
            }
            let Some(opaque) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
                return Err(ApiError::invalid(vec![FieldError::parameter(
                    "If-Match",
                    "format",
                    "Geef de ETag tussen aanhalingstekens, precies zoals ontvangen.",
                )]));
            };
            if let Some(version) = opaque.strip_prefix('v').and_then(|v| v.parse().ok()) {
                versions.push(version);
            }
        }
        Ok(IfMatch::Versions(versions))
    }

    /// The version the client means to change (`None` for `*`), or 412 when it is not `current`.
    pub fn check(&self, current: i64) -> Result<Option<i64>, ApiError> {
        match self {
            IfMatch::Any => Ok(None),
            IfMatch::Versions(v) if v.contains(&current) => Ok(Some(current)),
            IfMatch::Versions(_) => Err(stale(current)),
        }
    }
}

/// 412 with the current ETag, so the client knows which version to fetch.
pub fn stale(current: i64) -> ApiError {
    let (name, value) = etag_header(current);
    ApiError::new(
        ProblemType::VersieVerouderd,
        "Iemand anders heeft dit intussen gewijzigd. Haal de nieuwste versie op en probeer het opnieuw.",
    )
    .with_header(name, value)
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.headers().get(header::IF_MATCH) {
            None => Err(ApiError::new(
                ProblemType::VersieVereist,
                ProblemType::VersieVereist.description(),
            )),
            Some(v) => v
                .to_str()
                .map_err(|_| {
                    ApiError::invalid(vec![FieldError::parameter(
                        "If-Match",
                        "format",
                        "Ongeldige header.",
                    )])
                })
                .and_then(IfMatch::parse),
        })
    }
}

/// `If-None-Match` on a GET: a 304 (with the ETag) when the client already has this version.
pub fn not_modified(req: &HttpRequest, version: i64) -> Option<HttpResponse> {
    let header = req.headers().get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let current = etag(version);
    let matches = header.trim() == "*"
        || header
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == current);
    matches.then(|| {
        HttpResponse::NotModified()
            .insert_header(etag_header(version))
            .finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strong_tags_and_star() {
        assert_eq!(IfMatch::parse("*").unwrap(), IfMatch::Any);
        assert_eq!(
            IfMatch::parse("\"v3\"").unwrap(),
            IfMatch::Versions(vec![3])
        );
        assert_eq!(
            IfMatch::parse("\"v3\", \"v4\"").unwrap(),
            IfMatch::Versions(vec![3, 4])
        );
        assert_eq!(
            IfMatch::parse("W/\"v3\"").unwrap(),
            IfMatch::Versions(vec![])
        );
        assert_eq!(
            IfMatch::parse("\"iets-anders\"").unwrap(),
            IfMatch::Versions(vec![])
        );
        assert!(IfMatch::parse("v3").is_err());
    }

    #[test]
    fn check_is_strong() {
        assert_eq!(IfMatch::parse("\"v3\"").unwrap().check(3).unwrap(), Some(3));
        assert_eq!(IfMatch::parse("*").unwrap().check(9).unwrap(), None);
        let err = IfMatch::parse("W/\"v3\"").unwrap().check(3).unwrap_err();
        assert_eq!(err.kind(), ProblemType::VersieVerouderd);
    }
}

/// The documented header, for `params(...)` of operations that change a versioned resource.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfMatchHeader {
    /// De ETag van de versie die u wijzigt, precies zoals ontvangen.
    #[param(
        rename = "If-Match",
        pattern = r#"^(\*|(W/)?"[\x21\x23-\x2B\x2D-\x7E]*"(\s*,\s*(W/)?"[\x21\x23-\x2B\x2D-\x7E]*")*)$"#,
        example = "\"v3\""
    )]
    pub if_match: String,
}

/// The documented conditional-GET header, for `params(...)` of operations that answer 304.
/// Optional: without it the client simply gets the 200. Only documented, never validated: a
/// malformed value just does not match (RFC 9110 §13.1.2 lets a server ignore it).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfNoneMatchHeader {
    /// Een ETag die u eerder van dit adres ontving, precies zoals ontvangen (of `*`). Komt hij
    /// overeen met de huidige versie, dan volgt 304 zonder inhoud. Een waarde die geen ETag is,
    /// komt nooit overeen: dan volgt gewoon 200.
    #[param(rename = "If-None-Match", example = "\"v3\"", required = false)]
    pub if_none_match: String,
}
