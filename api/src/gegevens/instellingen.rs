//! Settings of the data sources: which sources exist (the registry), where each lives, how long
//! a retrieval may take, and how long a consent lasts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bron::BRONNEN;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GegevensSettings {
    /// The simulated sources inside this server under `/dev-bronnen/<bron>` (development only).
    pub simulator: bool,
    /// Per source, how the simulator behaves: `normaal`, `storing` (503), `traag` (answers after
    /// `simulator_traag_ms`) or `onleesbaar` (a 200 that is not what was promised).
    pub simulator_modi: BTreeMap<String, String>,
    pub simulator_traag_ms: u64,
    /// The registry: source code → its settings. A source left out is not offered.
    pub bronnen: BTreeMap<String, BronSettings>,
    /// One attempt's timeout, and how many attempts a read gets (reads are idempotent).
    pub timeout_ms: u64,
    pub pogingen: u32,
    /// A source that has not answered after this long counts as failed.
    pub deadline_secs: u64,
    /// Our organisation number (OIN), sent to every source.
    pub oin: String,
    /// How long a consent lasts unless the parent chooses shorter; the longest they may choose.
    pub toestemming_standaard_dagen: u32,
    pub toestemming_max_dagen: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BronSettings {
    /// Base URL of the source's API; empty in development means this server's simulator.
    pub url: String,
    pub aan: bool,
}

impl Default for GegevensSettings {
    fn default() -> Self {
        GegevensSettings {
            simulator: true,
            simulator_modi: BTreeMap::new(),
            simulator_traag_ms: 3_000,
            bronnen: BRONNEN
                .iter()
                .map(|b| {
                    (
                        b.code.to_string(),
                        BronSettings {
                            url: String::new(),
                            aan: true,
                        },
                    )
                })
                .collect(),
            timeout_ms: 2_000,
            pogingen: 2,
            deadline_secs: 10,
            oin: "00000001234567890000".into(),
            toestemming_standaard_dagen: 365,
            toestemming_max_dagen: 730,
        }
    }
}

impl GegevensSettings {
    /// What is wrong regardless of mode.
    pub fn fout(&self) -> Option<String> {
        if let Some(code) = self
            .bronnen
            .keys()
            .find(|c| !BRONNEN.iter().any(|b| b.code == c.as_str()))
        {
            return Some(format!(
                "gegevens.bronnen.{code}: onbekende bron (bekend: {})",
                BRONNEN
                    .iter()
                    .map(|b| b.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some((code, modus)) = self
            .simulator_modi
            .iter()
            .find(|(_, m)| !matches!(m.as_str(), "normaal" | "storing" | "traag" | "onleesbaar"))
        {
            return Some(format!(
                "gegevens.simulator_modi.{code} = {modus}: kies normaal, storing, traag of onleesbaar"
            ));
        }
        if self.timeout_ms == 0 || self.pogingen == 0 || self.deadline_secs == 0 {
            return Some("gegevens.timeout_ms, pogingen en deadline_secs moeten > 0 zijn".into());
        }
        if self.toestemming_standaard_dagen == 0
            || self.toestemming_standaard_dagen > self.toestemming_max_dagen
        {
            return Some(
                "gegevens.toestemming_standaard_dagen moet > 0 en ≤ toestemming_max_dagen zijn"
                    .into(),
            );
        }
        None
    }

    /// What only development may have.
    pub fn alleen_ontwikkeling(&self) -> Vec<String> {
        let mut found = Vec::new();
        if self.simulator {
            found.push(
                "gegevens.simulator = true (gesimuleerde bronnen): zet MH_GEGEVENS__SIMULATOR=false"
                    .into(),
            );
        }
        for (code, b) in self.bronnen.iter().filter(|(_, b)| b.aan) {
            if !b.url.starts_with("https://") {
                found.push(format!(
                    "gegevens.bronnen.{code}.url is geen https-URL: zet MH_GEGEVENS__BRONNEN__{}__URL",
                    code.to_uppercase()
                ));
            }
        }
        found
    }
}
