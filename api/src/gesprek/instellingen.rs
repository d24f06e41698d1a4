//! Kinds of conversation and their rules, from configuration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tijden::Regels;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GesprekSettings {
    /// Kind code → its rules.
    pub typen: BTreeMap<String, Gesprekstype>,
    /// How many upcoming conversations a parent may have at once.
    pub max_komend_per_ouder: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gesprekstype {
    pub naam: String,
    pub duur_min: i64,
    pub buffer_voor_min: i64,
    pub buffer_na_min: i64,
    /// Book at least this many hours ahead.
    pub boeken_vooraf_uren: i64,
    /// Cancel or move at least this many hours ahead (a parent; the expert always may).
    pub wijzigen_vooraf_uren: i64,
    pub venster_dagen: i64,
    pub max_per_dag: usize,
}

impl Gesprekstype {
    pub fn regels(&self) -> Regels {
        Regels {
            duur_min: self.duur_min,
            buffer_voor_min: self.buffer_voor_min,
            buffer_na_min: self.buffer_na_min,
            min_vooraf_min: self.boeken_vooraf_uren * 60,
            venster_dagen: self.venster_dagen,
            max_per_dag: self.max_per_dag,
            stap_min: 30,
        }
    }
}

impl Default for GesprekSettings {
    fn default() -> Self {
        GesprekSettings {
            typen: BTreeMap::from([(
                "herstelrechtgesprek".to_string(),
                Gesprekstype {
                    naam: "Herstelrechtgesprek".into(),
                    duur_min: 90,
                    buffer_voor_min: 15,
                    buffer_na_min: 15,
                    boeken_vooraf_uren: 48,
                    wijzigen_vooraf_uren: 24,
                    venster_dagen: 60,
                    max_per_dag: 3,
                },
            )]),
            max_komend_per_ouder: 1,
        }
    }
}
