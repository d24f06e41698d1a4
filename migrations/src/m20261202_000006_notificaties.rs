//! Notifications: the outbox (`uitgaand_bericht`) that the mail worker drains, the in-app inbox
//! (`bericht`), each person's settings (`meldingsinstelling`: verified address, language,
//! non-essential mail) and pending address verifications (`emailadres_verificatie`).
//!
//! The outbox is written in the same transaction as the change that causes a message; the worker
//! takes rows with a lease (`lease_tot`, `lease_houder`), so a crashed instance's rows return.

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
                    .table(UitgaandBericht::Table)
                    .if_not_exists()
                    .col(string_len(UitgaandBericht::Id, 36).primary_key())
                    .col(string_len_null(UitgaandBericht::PersoonId, 36))
                    .col(string_len(UitgaandBericht::Soort, 60))
                    .col(string_len(UitgaandBericht::Taal, 5))
                    .col(string_len(UitgaandBericht::Ontvanger, 254))
                    .col(text(UitgaandBericht::Onderwerp))
                    .col(text(UitgaandBericht::Tekst))
                    .col(text(UitgaandBericht::Html))
                    .col(text_null(UitgaandBericht::Bijlagen))
                    .col(string_len(UitgaandBericht::MessageId, 200))
                    .col(string_len_null(UitgaandBericht::Sleutel, 200))
                    .col(string_len(UitgaandBericht::Status, 20))
                    .col(integer(UitgaandBericht::Pogingen))
                    .col(big_integer(UitgaandBericht::NietVoor))
                    .col(big_integer_null(UitgaandBericht::LeaseTot))
                    .col(string_len_null(UitgaandBericht::LeaseHouder, 80))
                    .col(text_null(UitgaandBericht::LaatsteFout))
                    .col(big_integer(UitgaandBericht::AangemaaktOp))
                    .col(big_integer_null(UitgaandBericht::VerzondenOp))
                    .col(string_len_null(UitgaandBericht::VerzondenDoor, 80))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_uitgaand_bericht_wachtrij",
                vec![UitgaandBericht::Status, UitgaandBericht::NietVoor],
            ),
            (
                "ix_uitgaand_bericht_sleutel",
                vec![UitgaandBericht::Sleutel],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(UitgaandBericht::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Bericht::Table)
                    .if_not_exists()
                    .col(string_len(Bericht::Id, 36).primary_key())
                    .col(string_len(Bericht::PersoonId, 36))
                    .col(string_len(Bericht::Soort, 60))
                    .col(text(Bericht::Onderwerp))
                    .col(text(Bericht::Tekst))
                    .col(string_len_null(Bericht::Verwijzing, 300))
                    .col(string_len_null(Bericht::Sleutel, 200))
                    .col(big_integer(Bericht::ZichtbaarVanaf))
                    .col(big_integer(Bericht::AangemaaktOp))
                    .col(big_integer_null(Bericht::GelezenOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bericht_persoon")
                    .table(Bericht::Table)
                    .col(Bericht::PersoonId)
                    .col(Bericht::ZichtbaarVanaf)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_bericht_sleutel")
                    .table(Bericht::Table)
                    .col(Bericht::Sleutel)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meldingsinstelling::Table)
                    .if_not_exists()
                    .col(string_len(Meldingsinstelling::PersoonId, 36).primary_key())
                    .col(string_len_null(Meldingsinstelling::Email, 254))
                    .col(big_integer_null(Meldingsinstelling::EmailGeverifieerdOp))
                    .col(string_len(Meldingsinstelling::Taal, 5))
                    .col(boolean(Meldingsinstelling::NietEssentieel))
                    .col(big_integer(Meldingsinstelling::Versie))
                    .col(big_integer(Meldingsinstelling::GewijzigdOp))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailadresVerificatie::Table)
                    .if_not_exists()
                    .col(string_len(EmailadresVerificatie::PersoonId, 36).primary_key())
                    .col(string_len(EmailadresVerificatie::Email, 254))
                    .col(string_len(EmailadresVerificatie::CodeHash, 64))
                    .col(big_integer(EmailadresVerificatie::VerlooptOp))
                    .col(integer(EmailadresVerificatie::Pogingen))
                    .col(integer(EmailadresVerificatie::CodesInVenster))
                    .col(big_integer(EmailadresVerificatie::VensterStart))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UitgaandBericht::Table.into_iden(),
            Bericht::Table.into_iden(),
            Meldingsinstelling::Table.into_iden(),
            EmailadresVerificatie::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum UitgaandBericht {
    Table,
    Id,
    PersoonId,
    Soort,
    Taal,
    Ontvanger,
    Onderwerp,
    Tekst,
    Html,
    Bijlagen,
    MessageId,
    Sleutel,
    Status,
    Pogingen,
    NietVoor,
    LeaseTot,
    LeaseHouder,
    LaatsteFout,
    AangemaaktOp,
    VerzondenOp,
    VerzondenDoor,
}

#[derive(DeriveIden)]
enum Bericht {
    Table,
    Id,
    PersoonId,
    Soort,
    Onderwerp,
    Tekst,
    Verwijzing,
    Sleutel,
    ZichtbaarVanaf,
    AangemaaktOp,
    GelezenOp,
}

#[derive(DeriveIden)]
enum Meldingsinstelling {
    Table,
    PersoonId,
    Email,
    EmailGeverifieerdOp,
    Taal,
    NietEssentieel,
    Versie,
    GewijzigdOp,
}

#[derive(DeriveIden)]
enum EmailadresVerificatie {
    Table,
    PersoonId,
    Email,
    CodeHash,
    VerlooptOp,
    Pogingen,
    CodesInVenster,
    VensterStart,
}
