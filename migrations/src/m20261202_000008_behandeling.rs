//! Case handling of a submitted claim: who handles it and whether it goes first (urgency, e.g.
//! families who lost control of their lives).

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
                    .table(Behandeling::Table)
                    .if_not_exists()
                    .col(string_len(Behandeling::AanvraagId, 36).primary_key())
                    .col(string_len_null(Behandeling::BehandelaarId, 36))
                    .col(boolean(Behandeling::Urgent))
                    .col(text_null(Behandeling::UrgentieReden))
                    .col(big_integer(Behandeling::BijgewerktOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_behandeling_behandelaar")
                    .table(Behandeling::Table)
                    .col(Behandeling::BehandelaarId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Behandeling::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Behandeling {
    Table,
    AanvraagId,
    BehandelaarId,
    Urgent,
    UrgentieReden,
    BijgewerktOp,
}
