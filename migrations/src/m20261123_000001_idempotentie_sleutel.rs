//! Idempotency-Key records: one row per (principal, operation, key), holding the request
//! fingerprint, a lock while the first request runs, and the stored response for replays.

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
                    .table(IdempotentieSleutel::Table)
                    .if_not_exists()
                    .col(string_len(IdempotentieSleutel::Principaal, 200))
                    .col(string_len(IdempotentieSleutel::Operatie, 100))
                    .col(string_len(IdempotentieSleutel::Sleutel, 255))
                    .col(string_len(IdempotentieSleutel::VerzoekHash, 64))
                    .col(big_integer(IdempotentieSleutel::VergrendeldTot))
                    .col(big_integer(IdempotentieSleutel::VerlooptOp))
                    .col(big_integer(IdempotentieSleutel::AangemaaktOp))
                    .col(small_integer_null(IdempotentieSleutel::Status))
                    .col(text_null(IdempotentieSleutel::Headers))
                    .col(blob_null(IdempotentieSleutel::Body))
                    .primary_key(
                        Index::create()
                            .col(IdempotentieSleutel::Principaal)
                            .col(IdempotentieSleutel::Operatie)
                            .col(IdempotentieSleutel::Sleutel),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotentie_sleutel_verloopt_op")
                    .table(IdempotentieSleutel::Table)
                    .col(IdempotentieSleutel::VerlooptOp)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotentieSleutel::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum IdempotentieSleutel {
    Table,
    Principaal,
    Operatie,
    Sleutel,
    VerzoekHash,
    VergrendeldTot,
    VerlooptOp,
    AangemaaktOp,
    Status,
    Headers,
    Body,
}
