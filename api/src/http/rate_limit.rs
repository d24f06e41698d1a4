//! Abuse limits: a fixed window per key (an IP address, a person). In-process, so each server
//! instance counts for itself: with N instances behind a load balancer the effective limit is up
//! to N times higher (written down in the README). Enough to stop guessing and hammering; a
//! shared limiter belongs in the load balancer.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};

use super::problem::{ApiError, ProblemType};

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn per_minute(limit: u32) -> RateLimiter {
        RateLimiter {
            limit,
            window: Duration::from_secs(60),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key`; 429 with `Retry-After` once the window's limit is reached.
    pub fn check(&self, key: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut counts = self.counts.lock().expect("geen vergiftigd slot");
        if counts.len() > 10_000 {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = counts.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 <= self.limit {
            return Ok(());
        }
        let wait = self
            .window
            .saturating_sub(now.duration_since(entry.0))
            .as_secs()
            .max(1);
        Err(ApiError::new(
            ProblemType::TeVeelVerzoeken,
            format!("Te veel verzoeken. Probeer het over {wait} seconden opnieuw."),
        )
        .with_header(
            RETRY_AFTER,
            HeaderValue::from_str(&wait.to_string()).expect("getal"),
        ))
    }
}

/// The limiters of the server, sized by configuration.
pub struct Limits {
    /// Login start and provider callback, per IP address.
    pub login: RateLimiter,
    /// Token endpoint, per IP address.
    pub token: RateLimiter,
    /// Authenticated requests, per person.
    pub subject: RateLimiter,
    /// Expensive or sensitive actions, per person and kind.
    pub gevoelig: RateLimiter,
}

impl Limits {
    /// One expensive or sensitive action (`soort`: `bevraging`, `upload`, …) by this person.
    pub fn gevoelig(&self, soort: &str, persoon: uuid::Uuid) -> Result<(), ApiError> {
        self.gevoelig.check(&format!("{soort}:{persoon}"))
    }
}

/// The client's address: the peer, unless the peer is one of our reverse proxies — then the
/// right-most address in `X-Forwarded-For` that is not one of them (the left part of that header
/// is whatever the client wrote, so it is never believed).
pub fn client_ip(req: &HttpRequest, vertrouwd: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "onbekend".into();
    };
    if !vertrouwd.contains(&peer) {
        return peer.to_string();
    }
    let doorgestuurd: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map_while(|a| a.trim().parse().ok())
        .collect();
    doorgestuurd
        .iter()
        .rev()
        .find(|a| !vertrouwd.contains(a))
        .unwrap_or(&peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_the_limit_per_key() {
        let limiter = RateLimiter::per_minute(2);
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").is_ok());
        let refused = limiter.check("a").unwrap_err();
        assert_eq!(refused.kind(), ProblemType::TeVeelVerzoeken);
        assert!(limiter.check("b").is_ok());
    }

    fn verzoek(peer: &str, xff: Option<&str>) -> HttpRequest {
        let mut t = actix_web::test::TestRequest::default().peer_addr(peer.parse().unwrap());
        if let Some(x) = xff {
            t = t.insert_header(("X-Forwarded-For", x));
        }
        t.to_http_request()
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // Without a trusted proxy, the header is anyone's invention.
        assert_eq!(
            client_ip(&verzoek("10.0.0.2:1", Some("203.0.113.5")), &[]),
            "10.0.0.2"
        );
        // Behind it: the right-most address that is not a proxy of ours.
        assert_eq!(
            client_ip(
                &verzoek("10.0.0.2:1", Some("1.2.3.4, 203.0.113.5")),
                &[proxy]
            ),
            "203.0.113.5"
        );
        assert_eq!(
            client_ip(
                &verzoek("10.0.0.2:1", Some("203.0.113.5, 10.0.0.2")),
                &[proxy]
            ),
            "203.0.113.5"
        );
        // A direct client cannot pretend to be someone else.
        assert_eq!(
            client_ip(&verzoek("198.51.100.7:1", Some("203.0.113.5")), &[proxy]),
            "198.51.100.7"
        );
        assert_eq!(
            client_ip(&verzoek("10.0.0.2:1", None), &[proxy]),
            "10.0.0.2"
        );
    }
}
