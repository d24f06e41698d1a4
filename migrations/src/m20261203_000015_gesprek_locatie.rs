//! Locations of conversations held `op-locatie` ([G]): the booking keeps the place as it was
//! chosen, so a later change to the expert's list does not move an appointment.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Gesprek::Table)
                    .add_column(text_null(Gesprek::Locatie))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Gesprek::Table)
                    .drop_column(Gesprek::Locatie)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Gesprek {
    Table,
    Locatie,
}
