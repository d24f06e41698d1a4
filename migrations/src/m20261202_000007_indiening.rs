//! The claim lifecycle: the submission (`indiening`: public reference, the statement of truth, the
//! calculation frozen with its explanation and input hash) and every status transition
//! (`statusovergang`: when, from, to, by whom, why) that the parent's timeline shows.

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
                    .table(Indiening::Table)
                    .if_not_exists()
                    .col(string_len(Indiening::AanvraagId, 36).primary_key())
                    .col(string_len(Indiening::Referentie, 20))
                    .col(big_integer(Indiening::IngediendOp))
                    .col(string_len(Indiening::IngediendDoor, 36))
                    .col(big_integer(Indiening::VerklaringOp))
                    .col(string_len(Indiening::Kaderversie, 30))
                    .col(string_len(Indiening::InvoerHash, 64))
                    .col(big_integer(Indiening::Totaal))
                    .col(text(Indiening::Berekening))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_indiening_referentie")
                    .table(Indiening::Table)
                    .col(Indiening::Referentie)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Statusovergang::Table)
                    .if_not_exists()
                    .col(string_len(Statusovergang::Id, 36).primary_key())
                    .col(string_len(Statusovergang::AanvraagId, 36))
                    .col(string_len_null(Statusovergang::Van, 30))
                    .col(string_len(Statusovergang::Naar, 30))
                    .col(string_len_null(Statusovergang::DoorPersoon, 36))
                    .col(string_len(Statusovergang::DoorRol, 30))
                    .col(text_null(Statusovergang::Reden))
                    .col(big_integer(Statusovergang::Op))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_statusovergang_aanvraag")
                    .table(Statusovergang::Table)
                    .col(Statusovergang::AanvraagId)
                    .col(Statusovergang::Op)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Statusovergang::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Indiening::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Indiening {
    Table,
    AanvraagId,
    Referentie,
    IngediendOp,
    IngediendDoor,
    VerklaringOp,
    Kaderversie,
    InvoerHash,
    Totaal,
    Berekening,
}

#[derive(DeriveIden)]
enum Statusovergang {
    Table,
    Id,
    AanvraagId,
    Van,
    Naar,
    DoorPersoon,
    DoorRol,
    Reden,
    Op,
}
