//! The claim (aanvraag): its answers, post choices and stored calculation, pinned to the content
//! version it started with. `open_sleutel` holds the parent's id while the claim is open, so a
//! unique index allows one open claim per parent on SQLite and PostgreSQL alike (NULLs differ).

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
                    .table(Aanvraag::Table)
                    .if_not_exists()
                    .col(string_len(Aanvraag::Id, 36).primary_key())
                    .col(string_len(Aanvraag::OuderId, 36))
                    .col(string_len_null(Aanvraag::OpenSleutel, 36))
                    .col(string_len(Aanvraag::Status, 30))
                    .col(string_len(Aanvraag::InhoudVersie, 30))
                    .col(big_integer(Aanvraag::Versie))
                    .col(text(Aanvraag::Antwoorden))
                    .col(text(Aanvraag::Keuzes))
                    .col(text(Aanvraag::OpgeslagenStappen))
                    .col(text(Aanvraag::Berekening))
                    .col(big_integer(Aanvraag::AangemaaktOp))
                    .col(big_integer(Aanvraag::GewijzigdOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_aanvraag_open")
                    .table(Aanvraag::Table)
                    .col(Aanvraag::OpenSleutel)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_aanvraag_ouder")
                    .table(Aanvraag::Table)
                    .col(Aanvraag::OuderId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Aanvraag::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Aanvraag {
    Table,
    Id,
    OuderId,
    OpenSleutel,
    Status,
    InhoudVersie,
    Versie,
    Antwoorden,
    Keuzes,
    OpgeslagenStappen,
    Berekening,
    AangemaaktOp,
    GewijzigdOp,
}
