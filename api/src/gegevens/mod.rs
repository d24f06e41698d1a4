//! Consent-based retrieval of government-held data ([E]): the parent need not prove what the
//! state already knows, and keeps control. Sources are plugins behind one trait
//! ([`bron::Gegevensbron`]) in a registry built from configuration; each is a real HTTP client
//! ([`client`]) with a simulator for development and tests ([`simulator`]). The parent grants and
//! revokes consent per source, starts a retrieval (every source at once; one being down blocks
//! none of the others), and confirms or disputes each datum; confirmed data prefills the claim
//! through the questionnaire engine's retrieved-data input, marked with its source.

pub mod bevraging;
pub mod bron;
pub mod client;
pub mod instellingen;
pub mod model;
pub mod routes;
pub mod service;
pub mod simulator;
pub mod store;
pub mod vertaling;
pub mod vulling;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use bron::{BRONNEN, Gegevensbron};
use client::HttpBron;

use crate::config::{Mode, Settings};

/// The registry: the sources this server offers, by code.
pub struct Bronnen {
    bronnen: BTreeMap<String, Arc<dyn Gegevensbron>>,
}

impl Bronnen {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Bronnen> {
        let g = &settings.gegevens;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(g.timeout_ms))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let simulator = settings.mode == Mode::Development && g.simulator;
        let origin = settings.http.public_url.trim_end_matches("/v1");
        let mut bronnen: BTreeMap<String, Arc<dyn Gegevensbron>> = BTreeMap::new();
        for b in BRONNEN {
            let Some(s) = g.bronnen.get(b.code).filter(|s| s.aan) else {
                continue;
            };
            let url = match (s.url.is_empty(), simulator) {
                (false, _) => s.url.clone(),
                (true, true) => format!("{origin}/dev-bronnen/{}", b.code),
                (true, false) => {
                    tracing::warn!(
                        bron = b.code,
                        "bron staat aan maar heeft geen url; niet aangeboden"
                    );
                    continue;
                }
            };
            let vertaling = vertaling::van(b.code).expect("elke bron heeft een vertaling");
            bronnen.insert(
                b.code.to_string(),
                Arc::new(HttpBron {
                    beschrijving: b,
                    url,
                    client: client.clone(),
                    timeout: Duration::from_millis(g.timeout_ms),
                    pogingen: g.pogingen,
                    oin: g.oin.clone(),
                    vertaling,
                }),
            );
        }
        Ok(Bronnen { bronnen })
    }

    pub fn get(&self, code: &str) -> Option<&Arc<dyn Gegevensbron>> {
        self.bronnen.get(code)
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.bronnen.keys().map(String::as_str)
    }
}
