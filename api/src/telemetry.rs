//! Logging: pretty in development, JSON in production; one root span per request carrying the
//! trace id. Log output passes through [`RedactingWriter`], which masks anything shaped like a
//! BSN (9 digits passing the 11-proef) as a last line of defence: code must never log one.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, fmt};

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber. `RUST_LOG`, when set, overrides the configured filter.
pub fn init(settings: &LogSettings) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.filter));
    let registry = tracing_subscriber::registry().with(filter);
    let writer = RedactingMakeWriter;
    let result = match settings.format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().with_target(false).with_writer(writer))
            .try_init(),
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
}

#[derive(Clone, Copy)]
pub struct RedactingMakeWriter;

impl<'a> MakeWriter<'a> for RedactingMakeWriter {
    type Writer = RedactingWriter;
    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter
    }
}

pub struct RedactingWriter;

impl Write for RedactingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stderr().write_all(redact(&verberg_parameters(&text)).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Masks every run of exactly nine digits (not part of a longer word or number) that passes
/// the 11-proef.
pub fn redact(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let end = (i..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            let bounded = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
            if end - i == 9 && bounded && elfproef(&bytes[i..end]) {
                out.push_str("*********");
            } else {
                out.push_str(&text[i..end]);
            }
            i = end;
        } else {
            let ch = text[i..].chars().next().expect("char boundary");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Query parameters that are credentials (a token someone put in a URL, the login's one-time
/// code and state) are logged as `***`: the access log writes request targets with their query.
const GEHEIME_PARAMETERS: [&str; 7] = [
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "code_verifier",
    "state",
    "client_assertion",
];

pub fn verberg_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['?', '&']) {
        out.push_str(&rest[..=pos]);
        rest = &rest[pos + 1..];
        let Some(naam) = GEHEIME_PARAMETERS
            .iter()
            .find(|n| rest.starts_with(*n) && rest[n.len()..].starts_with('='))
        else {
            continue;
        };
        out.push_str(naam);
        out.push_str("=***");
        let waarde = &rest[naam.len() + 1..];
        let einde = waarde
            .find(|c: char| c == '&' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(waarde.len());
        rest = &waarde[einde..];
    }
    out.push_str(rest);
    out
}

fn elfproef(digits: &[u8]) -> bool {
    let sum: i32 = digits
        .iter()
        .enumerate()
        .map(|(pos, d)| {
            let weight = if pos == 8 { -1 } else { 9 - pos as i32 };
            weight * i32::from(d - b'0')
        })
        .sum();
    sum % 11 == 0 && digits.iter().any(|d| *d != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_valid_bsns_only() {
        // 111222333 passes the 11-proef; 123456789 does not.
        assert_eq!(redact("bsn=111222333 klaar"), "bsn=********* klaar");
        assert_eq!(redact("nummer 123456789"), "nummer 123456789");
        assert_eq!(
            redact("1112223334 en x111222333"),
            "1112223334 en x111222333"
        );
        assert_eq!(redact("€ 111222333."), "€ *********.");
    }

    #[test]
    fn hides_credentials_in_query_strings_only() {
        assert_eq!(
            verberg_parameters("GET /v1/mij?access_token=eyJ.abc.def&x=1 200"),
            "GET /v1/mij?access_token=***&x=1 200"
        );
        assert_eq!(
            verberg_parameters("http.target=\"/v1/inloggen/digid/terugkeer?state=s3&code=c0de\""),
            "http.target=\"/v1/inloggen/digid/terugkeer?state=***&code=***\""
        );
        // Words that merely contain a name, and other parameters, stay.
        assert_eq!(
            verberg_parameters("postcode=1234AB ?encode=x &page=2"),
            "postcode=1234AB ?encode=x &page=2"
        );
    }
}
