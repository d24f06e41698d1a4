//! Schema migrations, run on SQLite and PostgreSQL alike.
//!
//! Rules (SQLite cannot add constraints or alter columns after the fact):
//! - migrations are additive: new tables, new nullable columns, new indexes;
//! - a change that needs an altered column rebuilds the table explicitly (create new, copy,
//!   drop, rename) instead of `modify_column`, which sea-query cannot emit for SQLite;
//! - instants that SQL compares (`<`, `>`) are stored as epoch milliseconds (BIGINT): SQLite
//!   keeps timestamps as text, and text comparison breaks when fractional seconds differ in length.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_idempotentie_sleutel;
mod m20261123_000002_persoon;
mod m20261123_000003_sessie;
mod m20261123_000004_logboek;
mod m20261123_000005_aanvraag;
mod m20261202_000006_notificaties;
mod m20261202_000007_indiening;
mod m20261202_000008_behandeling;
mod m20261202_000009_notitie;
mod m20261202_000010_beoordeling_aanbod;
mod m20261202_000011_bewijsstuk;
mod m20261203_000012_gegevens;
mod m20261203_000013_machtiging;
mod m20261203_000014_gesprek;
mod m20261203_000015_gesprek_locatie;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_idempotentie_sleutel::Migration),
            Box::new(m20261123_000002_persoon::Migration),
            Box::new(m20261123_000003_sessie::Migration),
            Box::new(m20261123_000004_logboek::Migration),
            Box::new(m20261123_000005_aanvraag::Migration),
            Box::new(m20261202_000006_notificaties::Migration),
            Box::new(m20261202_000007_indiening::Migration),
            Box::new(m20261202_000008_behandeling::Migration),
            Box::new(m20261202_000009_notitie::Migration),
            Box::new(m20261202_000010_beoordeling_aanbod::Migration),
            Box::new(m20261202_000011_bewijsstuk::Migration),
            Box::new(m20261203_000012_gegevens::Migration),
            Box::new(m20261203_000013_machtiging::Migration),
            Box::new(m20261203_000014_gesprek::Migration),
            Box::new(m20261203_000015_gesprek_locatie::Migration),
        ]
    }
}
