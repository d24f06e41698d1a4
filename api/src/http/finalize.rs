//! The outermost response step: every 4xx/5xx becomes `application/problem+json` (our own
//! errors and the framework's: unknown route, bad payload, body too large), and every response
//! gets `API-Version` and the security headers of ADR /core/transport/security-headers.

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;

use super::problem::{ApiError, Problem, ProblemType};
use super::trace::TraceId;
use crate::openapi::API_VERSION;

pub const PROBLEM_JSON: &str = "application/problem+json";

pub struct Finalize;

impl<S, B> Transform<S, ServiceRequest> for Finalize
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = Error;
    type Transform = FinalizeMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FinalizeMiddleware {
            service: Rc::new(service),
        }))
    }
}

pub struct FinalizeMiddleware<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for FinalizeMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        // Read before the call: cloning the request here would break routing, which needs it
        // unshared.
        let trace = req
            .extensions()
            .get::<TraceId>()
            .cloned()
            .unwrap_or_default();
        if !accepts_json(&req) {
            // Refused before any handler runs, so nothing happens that the client cannot read.
            let error = ApiError::new(
                ProblemType::NietAcceptabel,
                "Deze API levert application/json (en fouten als application/problem+json); pas de Accept-header aan.",
            );
            let response = render(error.error_response(), &trace);
            return Box::pin(async move { Ok(req.into_response(response).map_into_right_body()) });
        }
        Box::pin(async move {
            match service.call(req).await {
                Ok(res) if res.status().as_u16() >= 400 && !is_problem(res.headers()) => {
                    let (req, response) = res.into_parts();
                    Ok(ServiceResponse::new(req, render(response, &trace)).map_into_right_body())
                }
                Ok(mut res) => {
                    add_standard_headers(res.headers_mut());
                    Ok(res.map_into_left_body())
                }
                // An error that escaped as `Err` (from a middleware) gets the same treatment when
                // actix turns it into a response.
                Err(mut err) => {
                    err.add_response_mapper(move |response| render(response, &trace));
                    Err(err)
                }
            }
        })
    }
}

fn render<B>(response: HttpResponse<B>, trace: &TraceId) -> HttpResponse<BoxBody> {
    let status = response.status();
    let mut problem = response
        .extensions()
        .get::<Problem>()
        .cloned()
        .unwrap_or_else(|| framework_problem(status));
    // `status` must equal the real status (RFC 9457 §3.1.2), whatever produced the response.
    problem.status = status.as_u16();
    problem.instance = trace.urn();
    let mut rendered = HttpResponse::build(status);
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::CONTENT_ENCODING
        {
            rendered.append_header((name.clone(), value.clone()));
        }
    }
    let mut rendered = rendered
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .insert_header((header::CONTENT_LANGUAGE, "nl"))
        .body(serde_json::to_vec(&problem).unwrap_or_default());
    add_standard_headers(rendered.headers_mut());
    rendered
}

/// ADR "validate content types": an `Accept` that rules out JSON gets 406. Exempt are the docs
/// viewer (HTML) and what a browser opens by navigating: the two login redirects, whose only
/// answer is a 302 (a browser-like client may send just `Accept: text/html`, and refusing it
/// would break the login), and the development IdP's pages.
fn accepts_json(req: &ServiceRequest) -> bool {
    if req.path().starts_with("/v1/docs") || is_browser_navigation(req) {
        return true;
    }
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let refused = parts.any(|p| {
            matches!(
                p.trim().replace(' ', "").as_str(),
                "q=0" | "q=0.0" | "q=0.00" | "q=0.000"
            )
        });
        !refused
            && (media.is_empty()
                || matches!(
                    media.as_str(),
                    "*/*" | "application/*" | "application/json" | "application/problem+json"
                ))
    })
}

/// `GET /v1/inloggen/{provider}` and `GET /v1/inloggen/{provider}/terugkeer` (redirect-only), and
/// anything under `/dev-idp/` (mounted only in development; its form is submitted by a POST).
fn is_browser_navigation(req: &ServiceRequest) -> bool {
    let path = req.path();
    if path.starts_with("/dev-idp/") {
        return true;
    }
    if req.method() != actix_web::http::Method::GET {
        return false;
    }
    let Some(rest) = path.strip_prefix("/v1/inloggen/") else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        [provider] => !provider.is_empty(),
        [provider, "terugkeer"] => !provider.is_empty(),
        _ => false,
    }
}

fn is_problem(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(PROBLEM_JSON))
}

/// A problem for a status the framework chose, with a detail that says what to do and nothing
/// about our internals.
fn framework_problem(status: StatusCode) -> Problem {
    let kind = ProblemType::for_status(status);
    let detail = match kind {
        ProblemType::VerzoekTeGroot => {
            "Het verzoek is groter dan deze operatie toestaat.".to_string()
        }
        ProblemType::OngeldigeInvoer => "Het verzoek kon niet worden gelezen.".to_string(),
        _ => kind.description().to_string(),
    };
    Problem {
        r#type: kind.uri(),
        title: kind.title().to_string(),
        status: status.as_u16(),
        detail,
        instance: String::new(),
        code: kind.code().to_string(),
        errors: Vec::new(),
        error: None,
        error_description: None,
    }
}

fn add_standard_headers(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    headers.insert(
        HeaderName::from_static("api-version"),
        HeaderValue::from_static(API_VERSION),
    );
    set(headers, header::CACHE_CONTROL, "no-store");
    set(
        headers,
        header::STRICT_TRANSPORT_SECURITY,
        "max-age=31536000; includeSubDomains",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors 'none'",
    );
    set(headers, header::REFERRER_POLICY, "no-referrer");
    headers.remove(header::SERVER);
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accepts(accept: Option<&str>, path: &str) -> bool {
        let mut req = TestRequest::get().uri(path);
        if let Some(a) = accept {
            req = req.insert_header((header::ACCEPT, a));
        }
        accepts_json(&req.to_srv_request())
    }

    #[test]
    fn json_or_anything_is_acceptable() {
        assert!(accepts(None, "/v1/health"));
        assert!(accepts(Some("*/*"), "/v1/health"));
        assert!(accepts(Some("application/json"), "/v1/health"));
        assert!(accepts(
            Some("text/html, application/json;q=0.5"),
            "/v1/health"
        ));
        assert!(accepts(Some("application/problem+json"), "/v1/health"));
    }

    #[test]
    fn only_other_types_are_not() {
        assert!(!accepts(Some("text/html"), "/v1/health"));
        assert!(!accepts(Some("application/xml, text/csv"), "/v1/health"));
        assert!(!accepts(Some("application/json;q=0"), "/v1/health"));
        assert!(
            accepts(Some("text/html"), "/v1/docs/"),
            "the docs viewer is HTML"
        );
    }

    #[test]
    fn login_redirects_take_any_accept() {
        assert!(accepts(Some("text/html"), "/v1/inloggen/digid"));
        assert!(accepts(Some("text/html"), "/v1/inloggen/digid/terugkeer"));
        assert!(!accepts(Some("text/html"), "/v1/inloggen/digid/iets"));
        assert!(!accepts(Some("text/html"), "/v1/token"));
        let post = TestRequest::post()
            .uri("/v1/inloggen/digid")
            .insert_header((header::ACCEPT, "text/html"))
            .to_srv_request();
        assert!(!accepts_json(&post), "only the GET is a browser navigation");
    }
}
