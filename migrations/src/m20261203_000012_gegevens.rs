//! Consent-based retrieval of government-held data ([E]): the parent's consents per source, each
//! retrieval with a status per source, the retrieved data with its provenance and the parent's
//! judgement, and per claim the confirmed answers that prefill it (`aanvraag.opgehaald`).

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
                    .table(Toestemming::Table)
                    .if_not_exists()
                    .col(string_len(Toestemming::Id, 36).primary_key())
                    .col(string_len(Toestemming::OuderId, 36))
                    .col(string_len(Toestemming::Bron, 30))
                    .col(string_len(Toestemming::Doel, 60))
                    .col(big_integer(Toestemming::VerleendOp))
                    .col(string_len(Toestemming::VerleendDoor, 36))
                    .col(big_integer(Toestemming::GeldigTot))
                    .col(big_integer_null(Toestemming::IngetrokkenOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_toestemming_ouder")
                    .table(Toestemming::Table)
                    .col(Toestemming::OuderId)
                    .col(Toestemming::Bron)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Bevraging::Table)
                    .if_not_exists()
                    .col(string_len(Bevraging::Id, 36).primary_key())
                    .col(string_len(Bevraging::OuderId, 36))
                    .col(string_len(Bevraging::GestartDoor, 36))
                    .col(big_integer(Bevraging::GestartOp))
                    .col(big_integer(Bevraging::UiterlijkOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bevraging_ouder")
                    .table(Bevraging::Table)
                    .col(Bevraging::OuderId)
                    .col(Bevraging::GestartOp)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BevragingBron::Table)
                    .if_not_exists()
                    .col(string_len(BevragingBron::BevragingId, 36))
                    .col(string_len(BevragingBron::Bron, 30))
                    .col(string_len(BevragingBron::ToestemmingId, 36))
                    .col(string_len(BevragingBron::Status, 20))
                    .col(string_len_null(BevragingBron::Reden, 30))
                    .col(integer(BevragingBron::Aantal).default(0))
                    .col(big_integer_null(BevragingBron::KlaarOp))
                    .primary_key(
                        Index::create()
                            .col(BevragingBron::BevragingId)
                            .col(BevragingBron::Bron),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OpgehaaldGegeven::Table)
                    .if_not_exists()
                    .col(string_len(OpgehaaldGegeven::Id, 36).primary_key())
                    .col(string_len(OpgehaaldGegeven::OuderId, 36))
                    .col(string_len(OpgehaaldGegeven::Bron, 30))
                    .col(string_len(OpgehaaldGegeven::Sleutel, 80))
                    .col(string_len(OpgehaaldGegeven::Label, 200))
                    .col(text(OpgehaaldGegeven::Weergave))
                    .col(text(OpgehaaldGegeven::Waarde))
                    .col(text_null(OpgehaaldGegeven::Antwoorden))
                    .col(string_len(OpgehaaldGegeven::ToestemmingId, 36))
                    .col(string_len(OpgehaaldGegeven::BevragingId, 36))
                    .col(big_integer(OpgehaaldGegeven::OpgehaaldOp))
                    .col(string_len(OpgehaaldGegeven::Oordeel, 20))
                    .col(text_null(OpgehaaldGegeven::Toelichting))
                    .col(big_integer_null(OpgehaaldGegeven::GeoordeeldOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_opgehaald_gegeven_sleutel")
                    .table(OpgehaaldGegeven::Table)
                    .col(OpgehaaldGegeven::OuderId)
                    .col(OpgehaaldGegeven::Sleutel)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Aanvraag::Table)
                    .add_column(text(Aanvraag::Opgehaald).default("{}"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Aanvraag::Table)
                    .drop_column(Aanvraag::Opgehaald)
                    .to_owned(),
            )
            .await?;
        for table in [
            OpgehaaldGegeven::Table.into_iden(),
            BevragingBron::Table.into_iden(),
            Bevraging::Table.into_iden(),
            Toestemming::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Toestemming {
    Table,
    Id,
    OuderId,
    Bron,
    Doel,
    VerleendOp,
    VerleendDoor,
    GeldigTot,
    IngetrokkenOp,
}

#[derive(DeriveIden)]
enum Bevraging {
    Table,
    Id,
    OuderId,
    GestartDoor,
    GestartOp,
    UiterlijkOp,
}

#[derive(DeriveIden)]
enum BevragingBron {
    Table,
    BevragingId,
    Bron,
    ToestemmingId,
    Status,
    Reden,
    Aantal,
    KlaarOp,
}

#[derive(DeriveIden)]
enum OpgehaaldGegeven {
    Table,
    Id,
    OuderId,
    Bron,
    Sleutel,
    Label,
    Weergave,
    Waarde,
    Antwoorden,
    ToestemmingId,
    BevragingId,
    OpgehaaldOp,
    Oordeel,
    Toelichting,
    GeoordeeldOp,
}

#[derive(DeriveIden)]
enum Aanvraag {
    Table,
    Opgehaald,
}
