//! Abuse limits: a fixed window per key (an IP address, a person). In-process, so each server
//! instance counts for itself: with N instances behind a load balancer the effective limit is up
//! to N times higher (written down in the README). Enough to stop guessing and hammering; a
//! shared limiter belongs in the load balancer.

use std::collections::HashMap;
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
}

/// The client's address as the server sees it (the peer; a proxy's `Forwarded` header is not
/// trusted by default).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "onbekend".into())
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
}
