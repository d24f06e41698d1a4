//! The real HTTP client every source plugin uses: JSON over HTTPS, a timeout per attempt,
//! retries for what is safe to repeat (a read), purpose-binding headers and W3C `traceparent`.

use std::time::Duration;

use serde_json::Value;

use super::bron::{Antwoord, Beschrijving, Bronfout, DOELBINDING, Gegeven, Gegevensbron, Verzoek};

/// Turns a source's answer into data; `Err` when the answer is not what the source promised.
pub type Vertaling = fn(&Value) -> Result<Vec<Gegeven>, String>;

/// The largest answer we read from a source; anything larger is not what was promised.
const MAX_ANTWOORD: usize = 1024 * 1024;

pub struct HttpBron {
    pub beschrijving: &'static Beschrijving,
    pub url: String,
    pub client: reqwest::Client,
    pub timeout: Duration,
    pub pogingen: u32,
    pub oin: String,
    pub vertaling: Vertaling,
}

enum Poging {
    Klaar(Result<Vec<Gegeven>, Bronfout>),
    Opnieuw(Bronfout),
}

impl HttpBron {
    async fn poging(&self, verzoek: &Verzoek<'_>) -> Poging {
        let code = self.beschrijving.code;
        let request = self
            .client
            .post(format!("{}/bevragingen", self.url.trim_end_matches('/')))
            .timeout(self.timeout)
            .header("Accept", "application/json")
            .header("x-doelbinding", DOELBINDING)
            .header("x-verwerking", format!("bevraging-{code}"))
            .header("x-oin", &self.oin)
            .header("traceparent", verzoek.traceparent)
            // In the body, never in the URL: a BSN must not end up in access logs.
            .json(&serde_json::json!({ "burgerservicenummer": verzoek.bsn }));
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Poging::Opnieuw(Bronfout::TeTraag),
            Err(e) => {
                tracing::warn!(bron = code, fout = %without_url(&e), "bron niet bereikbaar");
                return Poging::Opnieuw(Bronfout::Storing);
            }
        };
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            // The source knows nothing about this person: a normal, empty answer.
            return Poging::Klaar(Ok(Vec::new()));
        }
        if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            tracing::warn!(
                bron = code,
                status = status.as_u16(),
                "bron gaf een storing"
            );
            return Poging::Opnieuw(Bronfout::Storing);
        }
        if !status.is_success() {
            tracing::warn!(
                bron = code,
                status = status.as_u16(),
                "bron weigerde de bevraging"
            );
            return Poging::Klaar(Err(Bronfout::Storing));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_ANTWOORD {
                        tracing::warn!(bron = code, "antwoord van bron te groot");
                        return Poging::Klaar(Err(Bronfout::Onleesbaar));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.is_timeout() => return Poging::Opnieuw(Bronfout::TeTraag),
                Err(_) => return Poging::Opnieuw(Bronfout::Storing),
            }
        }
        let gegevens = serde_json::from_slice::<Value>(&body)
            .map_err(|e| e.to_string())
            .and_then(|v| (self.vertaling)(&v));
        Poging::Klaar(gegevens.map_err(|reden| {
            tracing::warn!(bron = code, %reden, "antwoord van bron onleesbaar; niets bewaard");
            Bronfout::Onleesbaar
        }))
    }
}

/// reqwest's errors name the URL; ours carry no personal data, but keep logs to the cause.
fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(url) = e.url() {
        s = s.replace(url.as_str(), "<bron>");
    }
    s
}

impl Gegevensbron for HttpBron {
    fn beschrijving(&self) -> &'static Beschrijving {
        self.beschrijving
    }

    fn haal_op<'a>(&'a self, verzoek: &'a Verzoek<'a>) -> Antwoord<'a> {
        Box::pin(async move {
            let mut laatste = Bronfout::Storing;
            for poging in 0..self.pogingen {
                if poging > 0 {
                    // A short, growing pause: a source that is briefly down gets a moment.
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(poging))).await;
                }
                match self.poging(verzoek).await {
                    Poging::Klaar(uitkomst) => return uitkomst,
                    Poging::Opnieuw(fout) => laatste = fout,
                }
            }
            Err(laatste)
        })
    }
}
