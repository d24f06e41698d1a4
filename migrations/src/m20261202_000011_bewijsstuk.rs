//! Evidence documents (`bewijsstuk`): per claim and optionally per post; the file itself lives
//! in the storage plugin under a server-generated key. And the indicator outcome of a submitted
//! claim (`indiening.lage_impact`), so the behandelaar's queue can filter on it.

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
                    .table(Bewijsstuk::Table)
                    .if_not_exists()
                    .col(string_len(Bewijsstuk::Id, 36).primary_key())
                    .col(string_len(Bewijsstuk::AanvraagId, 36))
                    .col(string_len_null(Bewijsstuk::PostId, 80))
                    .col(string_len(Bewijsstuk::Bestandsnaam, 120))
                    .col(string_len(Bewijsstuk::Soort, 10))
                    .col(big_integer(Bewijsstuk::Grootte))
                    .col(string_len(Bewijsstuk::Sha256, 64))
                    .col(string_len(Bewijsstuk::OpslagSleutel, 120))
                    .col(string_len(Bewijsstuk::Scan, 20))
                    .col(string_len(Bewijsstuk::GeuploadDoor, 36))
                    .col(big_integer(Bewijsstuk::GeuploadOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bewijsstuk_aanvraag")
                    .table(Bewijsstuk::Table)
                    .col(Bewijsstuk::AanvraagId)
                    .col(Bewijsstuk::GeuploadOp)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Indiening::Table)
                    .add_column(boolean(Indiening::LageImpact).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Indiening::Table)
                    .drop_column(Indiening::LageImpact)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Bewijsstuk::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Bewijsstuk {
    Table,
    Id,
    AanvraagId,
    PostId,
    Bestandsnaam,
    Soort,
    Grootte,
    Sha256,
    OpslagSleutel,
    Scan,
    GeuploadDoor,
    GeuploadOp,
}

#[derive(DeriveIden)]
enum Indiening {
    Table,
    LageImpact,
}
