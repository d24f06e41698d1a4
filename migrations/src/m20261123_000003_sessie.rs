//! Login state that any instance must be able to finish or check: login attempts (state, nonce,
//! PKCE towards the provider), one-time codes for the app hand-off, sessions (a refresh-token
//! family) and refresh tokens (stored as SHA-256, single use).

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
                    .table(Inlogpoging::Table)
                    .if_not_exists()
                    .col(string_len(Inlogpoging::StateHash, 64).primary_key())
                    .col(string_len(Inlogpoging::Provider, 40))
                    .col(string_len(Inlogpoging::Nonce, 64))
                    .col(string_len(Inlogpoging::PkceVerifier, 128))
                    .col(string_len(Inlogpoging::AppRedirectUri, 500))
                    .col(string_len(Inlogpoging::AppCodeChallenge, 128))
                    .col(string_len_null(Inlogpoging::AppState, 500))
                    .col(big_integer(Inlogpoging::VerlooptOp))
                    .col(big_integer_null(Inlogpoging::GebruiktOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EenmaligeCode::Table)
                    .if_not_exists()
                    .col(string_len(EenmaligeCode::CodeHash, 64).primary_key())
                    .col(string_len(EenmaligeCode::PersoonId, 36))
                    .col(string_len_null(EenmaligeCode::Betrouwbaarheidsniveau, 100))
                    .col(string_len(EenmaligeCode::Provider, 40))
                    .col(string_len(EenmaligeCode::AppRedirectUri, 500))
                    .col(string_len(EenmaligeCode::AppCodeChallenge, 128))
                    .col(big_integer(EenmaligeCode::VerlooptOp))
                    .col(big_integer_null(EenmaligeCode::GebruiktOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessie::Table)
                    .if_not_exists()
                    .col(string_len(Sessie::Id, 36).primary_key())
                    .col(string_len(Sessie::PersoonId, 36))
                    .col(string_len(Sessie::Provider, 40))
                    .col(string_len_null(Sessie::Betrouwbaarheidsniveau, 100))
                    .col(big_integer(Sessie::AangemaaktOp))
                    .col(big_integer(Sessie::LaatstGebruiktOp))
                    .col(big_integer_null(Sessie::IngetrokkenOp))
                    .col(string_len_null(Sessie::RedenIntrekking, 40))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessie_persoon")
                    .table(Sessie::Table)
                    .col(Sessie::PersoonId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Verversingstoken::Table)
                    .if_not_exists()
                    .col(string_len(Verversingstoken::TokenHash, 64).primary_key())
                    .col(string_len(Verversingstoken::SessieId, 36))
                    .col(big_integer(Verversingstoken::AangemaaktOp))
                    .col(big_integer_null(Verversingstoken::GebruiktOp))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_verversingstoken_sessie")
                    .table(Verversingstoken::Table)
                    .col(Verversingstoken::SessieId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Verversingstoken::Table.into_iden(),
            Sessie::Table.into_iden(),
            EenmaligeCode::Table.into_iden(),
            Inlogpoging::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Inlogpoging {
    Table,
    StateHash,
    Provider,
    Nonce,
    PkceVerifier,
    AppRedirectUri,
    AppCodeChallenge,
    AppState,
    VerlooptOp,
    GebruiktOp,
}

#[derive(DeriveIden)]
enum EenmaligeCode {
    Table,
    CodeHash,
    PersoonId,
    Betrouwbaarheidsniveau,
    Provider,
    AppRedirectUri,
    AppCodeChallenge,
    VerlooptOp,
    GebruiktOp,
}

#[derive(DeriveIden)]
enum Sessie {
    Table,
    Id,
    PersoonId,
    Provider,
    Betrouwbaarheidsniveau,
    AangemaaktOp,
    LaatstGebruiktOp,
    IngetrokkenOp,
    RedenIntrekking,
}

#[derive(DeriveIden)]
enum Verversingstoken {
    Table,
    TokenHash,
    SessieId,
    AangemaaktOp,
    GebruiktOp,
}
