//! Mandates ([F]): a representative (a lawyer, or a court-appointed bewindvoerder, curator or
//! mentor with the court decision's reference) acting for a parent, with a fixed set of scopes,
//! a mandatory end date, and who started it (the other party confirms; for a court appointment
//! the behandelaar registers the decision). Lawyers' office names live on their person row.

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
                    .table(Machtiging::Table)
                    .if_not_exists()
                    .col(string_len(Machtiging::Id, 36).primary_key())
                    .col(string_len(Machtiging::OuderId, 36))
                    .col(string_len(Machtiging::GemachtigdeId, 36))
                    .col(string_len(Machtiging::Soort, 30))
                    .col(text(Machtiging::Bevoegdheden))
                    .col(string_len(Machtiging::Status, 20))
                    .col(string_len(Machtiging::GestartDoor, 20))
                    .col(string_len_null(Machtiging::Uitspraak, 120))
                    .col(big_integer(Machtiging::GeldigTot))
                    .col(big_integer(Machtiging::AangemaaktOp))
                    .col(big_integer_null(Machtiging::BevestigdOp))
                    .col(big_integer_null(Machtiging::BeeindigdOp))
                    .col(big_integer(Machtiging::Versie))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_machtiging_gemachtigde")
                    .table(Machtiging::Table)
                    .col(Machtiging::GemachtigdeId)
                    .col(Machtiging::OuderId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_machtiging_ouder")
                    .table(Machtiging::Table)
                    .col(Machtiging::OuderId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Persoon::Table)
                    .add_column(string_len_null(Persoon::Kantoor, 120))
                    .to_owned(),
            )
            .await?;
        // A DigiD Machtigen login acts for someone from the start: the one-time code and the
        // session carry whom, so every token of that session says `represents`.
        manager
            .alter_table(
                Table::alter()
                    .table(EenmaligeCode::Table)
                    .add_column(string_len_null(EenmaligeCode::NamensId, 36))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessie::Table)
                    .add_column(string_len_null(Sessie::NamensId, 36))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessie::Table)
                    .drop_column(Sessie::NamensId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(EenmaligeCode::Table)
                    .drop_column(EenmaligeCode::NamensId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Persoon::Table)
                    .drop_column(Persoon::Kantoor)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Machtiging::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Machtiging {
    Table,
    Id,
    OuderId,
    GemachtigdeId,
    Soort,
    Bevoegdheden,
    Status,
    GestartDoor,
    Uitspraak,
    GeldigTot,
    AangemaaktOp,
    BevestigdOp,
    BeeindigdOp,
    Versie,
}

#[derive(DeriveIden)]
enum EenmaligeCode {
    Table,
    NamensId,
}

#[derive(DeriveIden)]
enum Sessie {
    Table,
    NamensId,
}

#[derive(DeriveIden)]
enum Persoon {
    Table,
    Kantoor,
}
