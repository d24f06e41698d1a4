//! The audit log (who did what, for whom) and the processing log in the shape of the Logboek
//! Dataverwerkingen (what was processed about whom, without the user), linked by trace id.
//! Both are append-only: triggers refuse UPDATE and DELETE. On PostgreSQL the one allowed path is
//! the age-based retention purge, which sets `mijn_herstel.bewaartermijn = 'aan'` for its own
//! transaction; on SQLite (no session settings) that purge drops and re-creates the delete
//! trigger inside its transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Auditregel::Table)
                    .if_not_exists()
                    .col(string_len(Auditregel::Id, 36).primary_key())
                    .col(big_integer(Auditregel::Tijdstip))
                    .col(string_len_null(Auditregel::ActorId, 36))
                    .col(string_len_null(Auditregel::ActorSoort, 20))
                    .col(string_len_null(Auditregel::NamensId, 36))
                    .col(string_len(Auditregel::Actie, 60))
                    .col(string_len(Auditregel::Resource, 200))
                    .col(string_len(Auditregel::Uitkomst, 20))
                    .col(string_len_null(Auditregel::Reden, 200))
                    .col(string_len(Auditregel::TraceId, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_auditregel_namens")
                    .table(Auditregel::Table)
                    .col(Auditregel::NamensId)
                    .col(Auditregel::Tijdstip)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Verwerking::Table)
                    .if_not_exists()
                    .col(string_len(Verwerking::Id, 36).primary_key())
                    .col(string_len(Verwerking::TraceId, 32))
                    .col(string_len(Verwerking::SpanId, 16))
                    .col(string_len(Verwerking::Naam, 100))
                    .col(big_integer(Verwerking::StartTijd))
                    .col(big_integer(Verwerking::EindTijd))
                    .col(string_len(Verwerking::Status, 10))
                    .col(string_len(Verwerking::VerwerkingsactiviteitId, 200))
                    .col(string_len(Verwerking::BetrokkeneId, 64))
                    .col(string_len(Verwerking::BetrokkeneIdType, 60))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_verwerking_trace")
                    .table(Verwerking::Table)
                    .col(Verwerking::TraceId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE OR REPLACE FUNCTION logboek_alleen_toevoegen() RETURNS trigger AS $$ \
                 BEGIN \
                   IF TG_OP = 'DELETE' AND current_setting('mijn_herstel.bewaartermijn', true) = 'aan' THEN \
                     RETURN OLD; \
                   END IF; \
                   RAISE EXCEPTION 'het logboek is alleen aanvulbaar (%)', TG_TABLE_NAME; \
                 END $$ LANGUAGE plpgsql",
            )
            .await?;
        }
        for table in ["auditregel", "verwerking"] {
            match manager.get_database_backend() {
                DbBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_alleen_toevoegen BEFORE UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION logboek_alleen_toevoegen()"
                    ))
                    .await?;
                }
                _ => {
                    for op in ["UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER IF NOT EXISTS {table}_geen_{} BEFORE {op} ON {table} \
                             BEGIN SELECT RAISE(ABORT, 'het logboek is alleen aanvulbaar'); END",
                            op.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Verwerking::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Auditregel::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Auditregel {
    Table,
    Id,
    Tijdstip,
    ActorId,
    ActorSoort,
    NamensId,
    Actie,
    Resource,
    Uitkomst,
    Reden,
    TraceId,
}

#[derive(DeriveIden)]
enum Verwerking {
    Table,
    Id,
    TraceId,
    SpanId,
    Naam,
    StartTijd,
    EindTijd,
    Status,
    VerwerkingsactiviteitId,
    BetrokkeneId,
    BetrokkeneIdType,
}
