//! Internal notes of behandelaars on a claim (part of the parent's data export, as the law
//! requires; append-only).

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
                    .table(Notitie::Table)
                    .if_not_exists()
                    .col(string_len(Notitie::Id, 36).primary_key())
                    .col(string_len(Notitie::AanvraagId, 36))
                    .col(string_len(Notitie::DoorPersoon, 36))
                    .col(text(Notitie::Tekst))
                    .col(big_integer(Notitie::Op))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notitie_aanvraag")
                    .table(Notitie::Table)
                    .col(Notitie::AanvraagId)
                    .col(Notitie::Op)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notitie::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Notitie {
    Table,
    Id,
    AanvraagId,
    DoorPersoon,
    Tekst,
    Op,
}
