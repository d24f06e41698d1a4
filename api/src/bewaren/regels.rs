//! The retention terms (configuration) and the cut-off instants they give; pure.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BewaarSettings {
    /// A draft nobody changed for this many months is deleted, with its documents.
    pub concept_maanden: u32,
    /// A claim that ended (akkoord or ingetrokken) is anonymised this many months after its last
    /// change: answers, documents, bank account, notes and questions go; status, dates and
    /// amounts stay for accountability.
    pub afgerond_maanden: u32,
    /// Ended or idle sessions and used login steps are removed after this many days.
    pub sessies_dagen: u32,
    /// Minutes between rounds in the server; 0: only on request or from the command line.
    pub interval_minuten: u64,
}

impl Default for BewaarSettings {
    fn default() -> Self {
        BewaarSettings {
            concept_maanden: 12,
            afgerond_maanden: 84,
            sessies_dagen: 30,
            interval_minuten: 1440,
        }
    }
}

/// The instants (epoch ms) before which each rule applies, seen from `nu`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grenzen {
    pub concept: i64,
    pub afgerond: i64,
    pub sessies: i64,
}

pub fn grenzen(s: &BewaarSettings, nu: DateTime<Utc>) -> Grenzen {
    let maanden = |m: u32| {
        nu.checked_sub_months(Months::new(m))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
            .timestamp_millis()
    };
    Grenzen {
        concept: maanden(s.concept_maanden),
        afgerond: maanden(s.afgerond_maanden),
        sessies: (nu - chrono::Duration::days(i64::from(s.sessies_dagen))).timestamp_millis(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_calendar_months_and_days_are_days() {
        let nu: DateTime<Utc> = "2026-03-31T12:00:00Z".parse().unwrap();
        let g = grenzen(&BewaarSettings::default(), nu);
        // 12 months before 31 March is 31 March; 84 months is 7 years.
        assert_eq!(
            g.concept,
            "2025-03-31T12:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp_millis()
        );
        assert_eq!(
            g.afgerond,
            "2019-03-31T12:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp_millis()
        );
        assert_eq!(
            g.sessies,
            "2026-03-01T12:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp_millis()
        );
        // A month that is shorter clamps to its last day.
        let s = BewaarSettings {
            concept_maanden: 1,
            ..BewaarSettings::default()
        };
        let g = grenzen(&s, nu);
        assert_eq!(
            g.concept,
            "2026-02-28T12:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp_millis()
        );
    }
}
