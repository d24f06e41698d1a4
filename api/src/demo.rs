//! Demo data for development: `mijn-herstel seed-demo`, and automatically on an empty development
//! database. Idempotent: what exists is left alone. Each capability adds its own part here.
//! `seed-demo --ouders N` adds a whole population on top ([`populatie`], for benchmarks).

mod aanbod;
pub mod aanvraag;
mod gegevens;
mod gesprekken;
mod logboek;
pub mod ouder;
pub mod populatie;
mod profiel;
mod rijen;
pub mod sleutel;

use sea_orm::DatabaseConnection;

use crate::identity::persona::{PERSONAS, Soort};
use crate::identity::vault::BsnVault;
use crate::identity::{self};

/// The provider names test persons log in through (their subjects are stored per provider).
pub fn provider_for(soort: Soort) -> &'static str {
    match soort {
        Soort::Ouder => "digid",
        Soort::Advocaat => "advocaat",
        Soort::Medewerker => "medewerker",
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub personen: usize,
}

pub async fn seed(db: &DatabaseConnection, vault: &BsnVault) -> Result<SeedReport, sea_orm::DbErr> {
    let mut report = SeedReport::default();
    for persona in &PERSONAS {
        if identity::store::ensure_persona(db, vault, persona, provider_for(persona.soort)).await? {
            report.personen += 1;
            // Demo persons have a confirmed address, so mails show up in `data/mail` at once.
            let id = persona.id.parse().expect("persona-id is een UUID");
            crate::notify::service::demo_adres(db, id, persona.email).await?;
        }
    }
    // The demo experts keep office hours, so `GET /v1/tijdsloten` has free times right after
    // `cargo run` and a parent can book without first logging in as an expert.
    gesprekken::zorg_voor_roosters(db).await?;
    Ok(report)
}

/// At start in development: only when nobody exists yet, so a developer's own data is never mixed.
pub async fn seed_if_empty(
    db: &DatabaseConnection,
    vault: &BsnVault,
) -> Result<Option<SeedReport>, sea_orm::DbErr> {
    if identity::store::count(db).await? > 0 {
        return Ok(None);
    }
    seed(db, vault).await.map(Some)
}
