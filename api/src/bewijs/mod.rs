//! Evidence documents (bewijsstukken, [D]): uploaded from a phone per claim and optionally per
//! post, type checked by content, scanned, stored under a server-generated key in a storage
//! plugin (local folder or S3-compatible), listed, downloaded with a safe name, and deleted
//! while the claim is a draft.

pub mod model;
pub mod opslag;
pub mod routes;
pub mod scan;
pub mod service;
pub mod soort;
pub mod store;

use crate::config::BewijsSettings;

/// The storage and the scanner, built once from configuration.
pub struct Bewijsopslag {
    pub opslag: opslag::Opslag,
    pub scanner: Box<dyn scan::Virusscanner>,
}

impl Bewijsopslag {
    pub fn new(settings: &BewijsSettings) -> anyhow::Result<Bewijsopslag> {
        Ok(Bewijsopslag {
            opslag: opslag::Opslag::from_settings(settings)?,
            scanner: scan::scanner_from(settings),
        })
    }
}
