//! Login attempts (state → nonce, PKCE verifier, the app's hand-off data) and the one-time codes
//! the app exchanges. Both are stored by hash, single use, short-lived, and in the database so
//! any instance can finish a login another one started.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::tokens::sha256_hex;

pub mod inlogpoging {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inlogpoging")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub state_hash: String,
        pub provider: String,
        pub nonce: String,
        pub pkce_verifier: String,
        pub app_redirect_uri: String,
        pub app_code_challenge: String,
        pub app_state: Option<String>,
        pub verloopt_op: i64,
        pub gebruikt_op: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod eenmalige_code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "eenmalige_code")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code_hash: String,
        pub persoon_id: String,
        pub betrouwbaarheidsniveau: Option<String>,
        pub provider: String,
        pub app_redirect_uri: String,
        pub app_code_challenge: String,
        pub verloopt_op: i64,
        pub gebruikt_op: Option<i64>,
        /// DigiD Machtigen: the parent this login acts for.
        pub namens_id: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub struct NewLogin<'a> {
    pub state: &'a str,
    pub provider: &'a str,
    pub nonce: &'a str,
    pub pkce_verifier: &'a str,
    pub app_redirect_uri: &'a str,
    pub app_code_challenge: &'a str,
    pub app_state: Option<&'a str>,
    pub ttl_secs: u32,
}

pub async fn start(db: &impl ConnectionTrait, new: NewLogin<'_>) -> Result<(), DbErr> {
    inlogpoging::ActiveModel {
        state_hash: Set(sha256_hex(new.state)),
        provider: Set(new.provider.to_string()),
        nonce: Set(new.nonce.to_string()),
        pkce_verifier: Set(new.pkce_verifier.to_string()),
        app_redirect_uri: Set(new.app_redirect_uri.to_string()),
        app_code_challenge: Set(new.app_code_challenge.to_string()),
        app_state: Set(new.app_state.map(str::to_string)),
        verloopt_op: Set(crate::db::now_ms() + i64::from(new.ttl_secs) * 1000),
        gebruikt_op: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Takes the login attempt for `state` at `provider` — once. `None` when unknown, used, expired
/// or started at another provider (mix-up defence).
pub async fn take(
    db: &impl ConnectionTrait,
    provider: &str,
    state: &str,
) -> Result<Option<inlogpoging::Model>, DbErr> {
    let hash = sha256_hex(state);
    let now = crate::db::now_ms();
    let taken = inlogpoging::Entity::update_many()
        .col_expr(inlogpoging::Column::GebruiktOp, Expr::value(Some(now)))
        .filter(inlogpoging::Column::StateHash.eq(hash.clone()))
        .filter(inlogpoging::Column::Provider.eq(provider))
        .filter(inlogpoging::Column::GebruiktOp.is_null())
        .filter(inlogpoging::Column::VerlooptOp.gt(now))
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    inlogpoging::Entity::find_by_id(hash).one(db).await
}

pub struct NewCode<'a> {
    pub code: &'a str,
    pub persoon_id: Uuid,
    pub acr: Option<&'a str>,
    pub provider: &'a str,
    pub app_redirect_uri: &'a str,
    pub app_code_challenge: &'a str,
    pub ttl_secs: u32,
    pub namens: Option<Uuid>,
}

pub async fn issue_code(db: &impl ConnectionTrait, new: NewCode<'_>) -> Result<(), DbErr> {
    eenmalige_code::ActiveModel {
        code_hash: Set(sha256_hex(new.code)),
        persoon_id: Set(new.persoon_id.to_string()),
        betrouwbaarheidsniveau: Set(new.acr.map(str::to_string)),
        provider: Set(new.provider.to_string()),
        app_redirect_uri: Set(new.app_redirect_uri.to_string()),
        app_code_challenge: Set(new.app_code_challenge.to_string()),
        verloopt_op: Set(crate::db::now_ms() + i64::from(new.ttl_secs) * 1000),
        gebruikt_op: Set(None),
        namens_id: Set(new.namens.map(|n| n.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Redeems a one-time code — once, before it expires. The caller still checks PKCE and the
/// redirect URI against what the code was bound to.
pub async fn redeem_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<eenmalige_code::Model>, DbErr> {
    let hash = sha256_hex(code);
    let now = crate::db::now_ms();
    let taken = eenmalige_code::Entity::update_many()
        .col_expr(eenmalige_code::Column::GebruiktOp, Expr::value(Some(now)))
        .filter(eenmalige_code::Column::CodeHash.eq(hash.clone()))
        .filter(eenmalige_code::Column::GebruiktOp.is_null())
        .filter(eenmalige_code::Column::VerlooptOp.gt(now))
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    eenmalige_code::Entity::find_by_id(hash).one(db).await
}
