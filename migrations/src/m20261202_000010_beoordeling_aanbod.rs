//! Assessment and settlement ([D]): the behandelaar's decision per post (`postbeoordeling`),
//! questions to the parent and their answers (`behandelvraag`), offers with the VSO terms and the
//! four-eyes approval (`aanbod`), the payout account (`bankrekening`, IBAN sealed) and the payment
//! status (`betaling`).

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
                    .table(Postbeoordeling::Table)
                    .if_not_exists()
                    .col(string_len(Postbeoordeling::AanvraagId, 36))
                    .col(string_len(Postbeoordeling::PostId, 80))
                    .col(string_len(Postbeoordeling::Besluit, 20))
                    .col(big_integer(Postbeoordeling::Bedrag))
                    .col(text_null(Postbeoordeling::Reden))
                    .col(string_len(Postbeoordeling::DoorPersoon, 36))
                    .col(big_integer(Postbeoordeling::Op))
                    .primary_key(
                        Index::create()
                            .col(Postbeoordeling::AanvraagId)
                            .col(Postbeoordeling::PostId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Behandelvraag::Table)
                    .if_not_exists()
                    .col(string_len(Behandelvraag::Id, 36).primary_key())
                    .col(string_len(Behandelvraag::AanvraagId, 36))
                    .col(string_len_null(Behandelvraag::PostId, 80))
                    .col(text(Behandelvraag::Vraag))
                    .col(string_len(Behandelvraag::GesteldDoor, 36))
                    .col(big_integer(Behandelvraag::GesteldOp))
                    .col(text_null(Behandelvraag::Antwoord))
                    .col(string_len_null(Behandelvraag::BeantwoordDoor, 36))
                    .col(big_integer_null(Behandelvraag::BeantwoordOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_behandelvraag_aanvraag")
                    .table(Behandelvraag::Table)
                    .col(Behandelvraag::AanvraagId)
                    .col(Behandelvraag::GesteldOp)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Aanbod::Table)
                    .if_not_exists()
                    .col(string_len(Aanbod::Id, 36).primary_key())
                    .col(string_len(Aanbod::AanvraagId, 36))
                    .col(integer(Aanbod::Volgnummer))
                    .col(string_len(Aanbod::Status, 30))
                    .col(big_integer(Aanbod::Totaal))
                    .col(text(Aanbod::Posten))
                    .col(text(Aanbod::Procedures))
                    .col(text(Aanbod::Toelichting))
                    .col(string_len(Aanbod::GemaaktDoor, 36))
                    .col(big_integer(Aanbod::GemaaktOp))
                    .col(string_len_null(Aanbod::GoedgekeurdDoor, 36))
                    .col(big_integer_null(Aanbod::UitgebrachtOp))
                    .col(big_integer_null(Aanbod::ReagerenVoor))
                    .col(boolean(Aanbod::Verlengd).default(false))
                    .col(big_integer_null(Aanbod::ReactieOp))
                    .col(string_len_null(Aanbod::ReactieDoor, 36))
                    .col(text_null(Aanbod::Reden))
                    .col(text_null(Aanbod::IngetrokkenProcedures))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_aanbod_volgnummer")
                    .table(Aanbod::Table)
                    .col(Aanbod::AanvraagId)
                    .col(Aanbod::Volgnummer)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Bankrekening::Table)
                    .if_not_exists()
                    .col(string_len(Bankrekening::AanvraagId, 36).primary_key())
                    .col(text(Bankrekening::IbanVerzegeld))
                    .col(string_len(Bankrekening::IbanLaatste, 6))
                    .col(string_len(Bankrekening::Rekeninghouder, 200))
                    .col(boolean(Bankrekening::Bewindvoerder))
                    .col(string_len(Bankrekening::GewijzigdDoor, 36))
                    .col(big_integer(Bankrekening::GewijzigdOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Betaling::Table)
                    .if_not_exists()
                    .col(string_len(Betaling::Id, 36).primary_key())
                    .col(string_len(Betaling::AanvraagId, 36))
                    .col(string_len(Betaling::Status, 30))
                    .col(big_integer(Betaling::Bedrag))
                    .col(string_len(Betaling::DoorPersoon, 36))
                    .col(big_integer(Betaling::Op))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_betaling_status")
                    .table(Betaling::Table)
                    .col(Betaling::AanvraagId)
                    .col(Betaling::Status)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Betaling::Table.into_iden(),
            Bankrekening::Table.into_iden(),
            Aanbod::Table.into_iden(),
            Behandelvraag::Table.into_iden(),
            Postbeoordeling::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Postbeoordeling {
    Table,
    AanvraagId,
    PostId,
    Besluit,
    Bedrag,
    Reden,
    DoorPersoon,
    Op,
}

#[derive(DeriveIden)]
enum Behandelvraag {
    Table,
    Id,
    AanvraagId,
    PostId,
    Vraag,
    GesteldDoor,
    GesteldOp,
    Antwoord,
    BeantwoordDoor,
    BeantwoordOp,
}

#[derive(DeriveIden)]
enum Aanbod {
    Table,
    Id,
    AanvraagId,
    Volgnummer,
    Status,
    Totaal,
    Posten,
    Procedures,
    Toelichting,
    GemaaktDoor,
    GemaaktOp,
    GoedgekeurdDoor,
    UitgebrachtOp,
    ReagerenVoor,
    Verlengd,
    ReactieOp,
    ReactieDoor,
    Reden,
    IngetrokkenProcedures,
}

#[derive(DeriveIden)]
enum Bankrekening {
    Table,
    AanvraagId,
    IbanVerzegeld,
    IbanLaatste,
    Rekeninghouder,
    Bewindvoerder,
    GewijzigdDoor,
    GewijzigdOp,
}

#[derive(DeriveIden)]
enum Betaling {
    Table,
    Id,
    AanvraagId,
    Status,
    Bedrag,
    DoorPersoon,
    Op,
}
