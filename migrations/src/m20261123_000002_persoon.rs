//! Persons known to the system: parents (found by the blind index of their BSN), lawyers and
//! staff (found by provider + subject). The BSN is only ever stored encrypted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Persoon::Table)
                    .if_not_exists()
                    .col(string_len(Persoon::Id, 36).primary_key())
                    .col(string_len(Persoon::Soort, 20))
                    .col(string_len(Persoon::Naam, 200))
                    .col(blob_null(Persoon::BsnVersleuteld))
                    .col(string_len_null(Persoon::BsnSleutelId, 40))
                    .col(string_len_null(Persoon::BsnIndex, 64))
                    .col(string_len_null(Persoon::ExterneSleutel, 300))
                    .col(string_len_null(Persoon::Registratienummer, 50))
                    .col(string_len_null(Persoon::Rollen, 200))
                    .col(string_len_null(Persoon::Email, 254))
                    .col(big_integer(Persoon::AangemaaktOp))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("uq_persoon_bsn_index", Persoon::BsnIndex),
            ("uq_persoon_externe_sleutel", Persoon::ExterneSleutel),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Persoon::Table)
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Persoon::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Persoon {
    Table,
    Id,
    Soort,
    Naam,
    BsnVersleuteld,
    BsnSleutelId,
    BsnIndex,
    ExterneSleutel,
    Registratienummer,
    Rollen,
    Email,
    AangemaaktOp,
}
