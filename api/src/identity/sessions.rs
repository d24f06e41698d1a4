//! Sessions: a refresh-token family per login. Refresh tokens are single use; presenting a used
//! one means it was stolen or replayed, so the whole family is revoked (RFC 9700 §4.14.2).
//! Access tokens name their session (`sid`), which is checked on every request: logout and
//! revocation take effect at once, not when the access token expires.

use sea_orm::ActiveValue::Set;
use sea_orm::DatabaseConnection;
use sea_orm::entity::prelude::*;

use super::tokens::{random_token, sha256_hex};
use crate::config::TokenSettings;
use crate::db;

pub mod sessie {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessie")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub persoon_id: String,
        pub provider: String,
        pub betrouwbaarheidsniveau: Option<String>,
        pub aangemaakt_op: i64,
        pub laatst_gebruikt_op: i64,
        pub ingetrokken_op: Option<i64>,
        pub reden_intrekking: Option<String>,
        /// DigiD Machtigen: every token of this session acts for this parent.
        pub namens_id: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod verversingstoken {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "verversingstoken")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub sessie_id: String,
        pub aangemaakt_op: i64,
        pub gebruikt_op: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub type Sessie = sessie::Model;

#[derive(Debug, PartialEq, Eq)]
pub enum RefreshError {
    Unknown,
    /// A used token came back: the family is now revoked.
    Reused,
    Expired,
    Revoked,
}

/// A new session and its first refresh token (returned once, stored only as a hash).
pub async fn create(
    tx: &impl ConnectionTrait,
    persoon_id: Uuid,
    provider: &str,
    acr: Option<String>,
    namens: Option<String>,
) -> Result<(Sessie, String), DbErr> {
    let now = crate::db::now_ms();
    let sessie = sessie::ActiveModel {
        id: Set(Uuid::now_v7().to_string()),
        persoon_id: Set(persoon_id.to_string()),
        provider: Set(provider.to_string()),
        betrouwbaarheidsniveau: Set(acr),
        aangemaakt_op: Set(now),
        laatst_gebruikt_op: Set(now),
        ingetrokken_op: Set(None),
        reden_intrekking: Set(None),
        namens_id: Set(namens),
    }
    .insert(tx)
    .await?;
    let token = new_refresh_token(tx, &sessie.id, now).await?;
    Ok((sessie, token))
}

async fn new_refresh_token(
    tx: &impl ConnectionTrait,
    sessie_id: &str,
    now: i64,
) -> Result<String, DbErr> {
    let token = random_token(32);
    verversingstoken::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        sessie_id: Set(sessie_id.to_string()),
        aangemaakt_op: Set(now),
        gebruikt_op: Set(None),
    }
    .insert(tx)
    .await?;
    Ok(token)
}

fn expired(s: &Sessie, settings: &TokenSettings, now: i64) -> bool {
    now - s.laatst_gebruikt_op > i64::from(settings.refresh_idle_secs) * 1000
        || now - s.aangemaakt_op > i64::from(settings.refresh_absolute_secs) * 1000
}

/// Exchanges a refresh token for a new one (rotation). Revocations it causes are committed even
/// though the exchange itself fails.
pub async fn refresh(
    db: &DatabaseConnection,
    settings: &TokenSettings,
    presented: &str,
) -> Result<Result<(Sessie, String), RefreshError>, DbErr> {
    let tx = db::begin_write(db).await?;
    let now = crate::db::now_ms();
    let Some(token) = verversingstoken::Entity::find_by_id(sha256_hex(presented))
        .one(&tx)
        .await?
    else {
        return Ok(Err(RefreshError::Unknown));
    };
    let Some(sessie) = sessie::Entity::find_by_id(token.sessie_id.clone())
        .one(&tx)
        .await?
    else {
        return Ok(Err(RefreshError::Unknown));
    };
    if sessie.ingetrokken_op.is_some() {
        return Ok(Err(if token.gebruikt_op.is_some() {
            RefreshError::Reused
        } else {
            RefreshError::Revoked
        }));
    }
    let outcome = if token.gebruikt_op.is_some() {
        revoke_in(&tx, &sessie.id, "hergebruik-verversingstoken", now).await?;
        Err(RefreshError::Reused)
    } else if expired(&sessie, settings, now) {
        revoke_in(&tx, &sessie.id, "verlopen", now).await?;
        Err(RefreshError::Expired)
    } else {
        let marked = verversingstoken::Entity::update_many()
            .col_expr(verversingstoken::Column::GebruiktOp, Expr::value(Some(now)))
            .filter(verversingstoken::Column::TokenHash.eq(token.token_hash.clone()))
            .filter(verversingstoken::Column::GebruiktOp.is_null())
            .exec(&tx)
            .await?;
        if marked.rows_affected != 1 {
            revoke_in(&tx, &sessie.id, "hergebruik-verversingstoken", now).await?;
            Err(RefreshError::Reused)
        } else {
            let next = new_refresh_token(&tx, &sessie.id, now).await?;
            sessie::Entity::update_many()
                .col_expr(sessie::Column::LaatstGebruiktOp, Expr::value(now))
                .filter(sessie::Column::Id.eq(sessie.id.clone()))
                .exec(&tx)
                .await?;
            Ok((sessie, next))
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn revoke_in(
    tx: &impl ConnectionTrait,
    sessie_id: &str,
    reason: &str,
    now: i64,
) -> Result<(), DbErr> {
    sessie::Entity::update_many()
        .col_expr(sessie::Column::IngetrokkenOp, Expr::value(Some(now)))
        .col_expr(
            sessie::Column::RedenIntrekking,
            Expr::value(Some(reason.to_string())),
        )
        .filter(sessie::Column::Id.eq(sessie_id))
        .filter(sessie::Column::IngetrokkenOp.is_null())
        .exec(tx)
        .await?;
    Ok(())
}

/// Logout: the session and every token of it stop working.
pub async fn revoke(db: &impl ConnectionTrait, sessie_id: Uuid, reason: &str) -> Result<(), DbErr> {
    revoke_in(db, &sessie_id.to_string(), reason, crate::db::now_ms()).await
}

/// Whether an access token's session still counts (not revoked, within the absolute limit).
pub async fn is_active(
    db: &impl ConnectionTrait,
    settings: &TokenSettings,
    sessie_id: &str,
) -> Result<bool, DbErr> {
    let Some(s) = sessie::Entity::find_by_id(sessie_id.to_string())
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let now = crate::db::now_ms();
    Ok(s.ingetrokken_op.is_none()
        && now - s.aangemaakt_op <= i64::from(settings.refresh_absolute_secs) * 1000)
}

/// When the person of this session logged in (the session starts at the login and refreshing
/// keeps it): a step that needs a fresh login compares against this.
pub async fn ingelogd_op(db: &impl ConnectionTrait, sessie_id: Uuid) -> Result<Option<i64>, DbErr> {
    Ok(sessie::Entity::find_by_id(sessie_id.to_string())
        .one(db)
        .await?
        .map(|s| s.aangemaakt_op))
}
