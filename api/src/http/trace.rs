//! Trace id per request: taken from a valid W3C `traceparent` header, otherwise new. It is in the
//! root span (so in every log line of the request) and in each problem's `instance`.

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};

/// 16 bytes as 32 lowercase hex digits, the W3C trace-id form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceId(String);

impl TraceId {
    pub fn new() -> Self {
        TraceId(uuid::Uuid::new_v4().simple().to_string())
    }

    /// `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`; all-zero ids are invalid.
    pub fn from_traceparent(header: &str) -> Option<Self> {
        let mut parts = header.trim().split('-');
        let (version, trace, parent, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let hex = |s: &str, len: usize| {
            s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        };
        let valid = version == "00"
            && parts.next().is_none()
            && hex(trace, 32)
            && hex(parent, 16)
            && hex(flags, 2)
            && trace.bytes().any(|b| b != b'0')
            && parent.bytes().any(|b| b != b'0');
        valid.then(|| TraceId(trace.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The problem `instance`: the trace id written as a UUID.
    pub fn urn(&self) -> String {
        let uuid = uuid::Uuid::parse_str(&self.0).unwrap_or_default();
        format!("urn:uuid:{}", uuid.hyphenated())
    }
}

impl Default for TraceId {
    fn default() -> Self {
        TraceId::new()
    }
}

pub struct MhRootSpan;

impl RootSpanBuilder for MhRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let trace_id = request
            .headers()
            .get("traceparent")
            .and_then(|v| v.to_str().ok())
            .and_then(TraceId::from_traceparent)
            .unwrap_or_default();
        let span = tracing_actix_web::root_span!(request, trace_id = %trace_id.as_str());
        request.extensions_mut().insert(trace_id);
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span.clone(), outcome);
        // One access-log line per request, inside the request's span (so with its trace id).
        let status = match outcome {
            Ok(res) => res.status().as_u16(),
            Err(err) => err.as_response_error().status_code().as_u16(),
        };
        span.in_scope(|| tracing::info!(status, "verzoek afgehandeld"));
    }
}

/// The request's trace id (set by the root span), for audit entries.
pub fn trace_id_of(req: &actix_web::HttpRequest) -> String {
    use actix_web::HttpMessage;
    req.extensions()
        .get::<TraceId>()
        .map(|t| t.as_str().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_valid_traceparent() {
        let t =
            TraceId::from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .unwrap();
        assert_eq!(t.as_str(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(t.urn(), "urn:uuid:4bf92f35-77b3-4da6-a3ce-929d0e0e4736");
    }

    #[test]
    fn rejects_malformed_traceparents() {
        for bad in [
            "",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        ] {
            assert!(TraceId::from_traceparent(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn new_ids_are_32_hex() {
        let t = TraceId::new();
        assert_eq!(t.as_str().len(), 32);
        assert!(t.urn().starts_with("urn:uuid:"));
    }
}
