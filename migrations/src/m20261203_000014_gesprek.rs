//! Restorative conversations ([G]): the experts' schedules, the bookings, and the occupancy
//! cells that keep two bookings off one expert's time — a plain unique index, so the database
//! enforces it on SQLite and PostgreSQL alike, across server instances.

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
                    .table(Gespreksleider::Table)
                    .if_not_exists()
                    .col(string_len(Gespreksleider::PersoonId, 36).primary_key())
                    .col(text(Gespreksleider::Rooster))
                    .col(big_integer(Gespreksleider::Versie))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Gesprek::Table)
                    .if_not_exists()
                    .col(string_len(Gesprek::Id, 36).primary_key())
                    .col(string_len(Gesprek::OuderId, 36))
                    .col(string_len(Gesprek::GespreksleiderId, 36))
                    .col(string_len(Gesprek::Soort, 40))
                    .col(string_len(Gesprek::Vorm, 20))
                    .col(big_integer(Gesprek::StartOp))
                    .col(big_integer(Gesprek::EindOp))
                    .col(string_len(Gesprek::Status, 20))
                    .col(text(Gesprek::Voorkeuren))
                    .col(string_len(Gesprek::GeboektDoor, 36))
                    .col(string_len_null(Gesprek::Reden, 500))
                    .col(string_len_null(Gesprek::Afspraken, 2000))
                    .col(integer(Gesprek::Reeks))
                    .col(big_integer(Gesprek::AangemaaktOp))
                    .to_owned(),
            )
            .await?;
        for (naam, kolom) in [
            ("ix_gesprek_ouder", Gesprek::OuderId),
            ("ix_gesprek_gespreksleider", Gesprek::GespreksleiderId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(naam)
                        .table(Gesprek::Table)
                        .col(kolom)
                        .col(Gesprek::StartOp)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Bezetting::Table)
                    .if_not_exists()
                    .col(string_len(Bezetting::GespreksleiderId, 36))
                    .col(big_integer(Bezetting::Cel))
                    .col(string_len(Bezetting::GesprekId, 36))
                    .primary_key(
                        Index::create()
                            .col(Bezetting::GespreksleiderId)
                            .col(Bezetting::Cel),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Bezetting::Table.into_iden(),
            Gesprek::Table.into_iden(),
            Gespreksleider::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Gespreksleider {
    Table,
    PersoonId,
    Rooster,
    Versie,
}

#[derive(DeriveIden)]
enum Gesprek {
    Table,
    Id,
    OuderId,
    GespreksleiderId,
    Soort,
    Vorm,
    StartOp,
    EindOp,
    Status,
    Voorkeuren,
    GeboektDoor,
    Reden,
    Afspraken,
    Reeks,
    AangemaaktOp,
}

#[derive(DeriveIden)]
enum Bezetting {
    Table,
    GespreksleiderId,
    Cel,
    GesprekId,
}
