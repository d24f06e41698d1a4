//! Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for writes a flaky mobile
//! connection may repeat.
//!
//! 1. [`begin`] records the key with a lock in its own short transaction, so a concurrent duplicate
//!    sees it at once (409) instead of waiting behind the first request's transaction.
//! 2. The handler does its effect in one write transaction and calls [`Claim::complete`] in that
//!    same transaction: the effect and the stored response commit together or not at all.
//!    `complete` only succeeds while this request still holds the lock it took (a fencing check),
//!    so a request that overran its lock and was taken over rolls back instead of writing twice.
//! 3. On failure [`Claim::release`] removes the record: nothing was written, and the client may
//!    retry with the same key.
//!
//! A replay with the same key and payload gets the stored response; a different payload gets 422;
//! a record past its expiry, or whose lock has run out without a response, may be taken over.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DatabaseTransaction};

use super::problem::{ApiError, FieldError, ProblemType};
use crate::config::IdempotencySettings;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotentie_sleutel")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub principaal: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub operatie: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub sleutel: String,
        pub verzoek_hash: String,
        /// Epoch milliseconds.
        pub vergrendeld_tot: i64,
        pub verloopt_op: i64,
        pub aangemaakt_op: i64,
        pub status: Option<i16>,
        pub headers: Option<String>,
        pub body: Option<Vec<u8>>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

use entity::{ActiveModel, Column, Entity};

/// Response headers worth replaying; others (dates, trace ids) belong to the new response.
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// The `Idempotency-Key` request header: a Structured Field string (`"…"`), or the bare token
/// many clients send; 1–255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const HEADER: &'static str = "Idempotency-Key";

    pub fn parse(value: &str) -> Result<Self, ApiError> {
        let value = value.trim();
        let inner = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        let valid = !inner.is_empty()
            && inner.len() <= 255
            && inner
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
        if valid {
            Ok(IdempotencyKey(inner.to_string()))
        } else {
            Err(ApiError::invalid(vec![FieldError::parameter(
                Self::HEADER,
                "format",
                "Gebruik 1 tot 255 zichtbare tekens, bij voorkeur een UUID.",
            )]))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut values = req.headers().get_all(Self::HEADER);
        ready(match (values.next(), values.next()) {
            (None, _) => Err(ApiError::invalid(vec![FieldError::parameter(
                Self::HEADER,
                "required",
                "Deze operatie vraagt een Idempotency-Key, zodat een herhaald verzoek niets dubbel doet.",
            )])),
            (Some(_), Some(_)) => Err(ApiError::invalid(vec![FieldError::parameter(
                Self::HEADER,
                "multiple",
                "Stuur precies één Idempotency-Key.",
            )])),
            (Some(v), None) => v
                .to_str()
                .map_err(|_| {
                    ApiError::invalid(vec![FieldError::parameter(
                        Self::HEADER,
                        "format",
                        "Ongeldige header.",
                    )])
                })
                .and_then(IdempotencyKey::parse),
        })
    }
}

/// Who and what a key belongs to: one person's key never returns another's response, and one
/// key cannot be reused across operations.
#[derive(Debug, Clone)]
pub struct Scope {
    pub principal: String,
    pub operation: &'static str,
}

/// What [`begin`] decided.
pub enum Begin {
    /// First time (or a take-over): do the effect, then [`Claim::complete`].
    Proceed(Claim),
    /// Seen before and finished: send this stored response again.
    Replay(HttpResponse),
}

/// The right to perform the effect for one key, held until `locked_until`.
#[derive(Debug)]
pub struct Claim {
    principal: String,
    operation: &'static str,
    key: String,
    locked_until: i64,
}

/// A response as stored for replays.
pub struct StoredResponse {
    pub status: StatusCode,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Vec<u8>,
}

impl StoredResponse {
    pub fn json<T: serde::Serialize>(status: StatusCode, body: &T) -> Self {
        StoredResponse {
            status,
            headers: vec![(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body: serde_json::to_vec(body).expect("serialiseerbaar"),
        }
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn to_response(&self) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            builder.insert_header((name.clone(), value.clone()));
        }
        builder.body(self.body.clone())
    }
}

/// Step 1: record the key, or decide what a repeated key gets.
pub async fn begin(
    db: &DatabaseConnection,
    settings: &IdempotencySettings,
    scope: &Scope,
    key: &IdempotencyKey,
    fingerprint: &str,
) -> Result<Begin, ApiError> {
    let now = crate::db::now_ms();
    let locked_until = now + i64::from(settings.lock_secs) * 1000;
    let expires = now + i64::from(settings.key_ttl_hours) * 3_600_000;
    let claim = Claim {
        principal: scope.principal.clone(),
        operation: scope.operation,
        key: key.as_str().to_string(),
        locked_until,
    };
    let fresh = ActiveModel {
        principaal: Set(claim.principal.clone()),
        operatie: Set(claim.operation.to_string()),
        sleutel: Set(claim.key.clone()),
        verzoek_hash: Set(fingerprint.to_string()),
        vergrendeld_tot: Set(locked_until),
        verloopt_op: Set(expires),
        aangemaakt_op: Set(now),
        status: Set(None),
        headers: Set(None),
        body: Set(None),
    };
    let inserted = Entity::insert(fresh)
        .on_conflict(
            OnConflict::columns([Column::Principaal, Column::Operatie, Column::Sleutel])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(Begin::Proceed(claim));
    }
    let Some(existing) = Entity::find_by_id((
        claim.principal.clone(),
        claim.operation.to_string(),
        claim.key.clone(),
    ))
    .one(db)
    .await?
    else {
        // Released between our insert and this read: the other request failed; try again.
        return Err(in_flight(1));
    };
    let expired = existing.verloopt_op <= now;
    if !expired && existing.verzoek_hash != fingerprint {
        return Err(ApiError::new(
            ProblemType::SleutelHergebruikt,
            "Deze Idempotency-Key is al gebruikt voor een verzoek met andere inhoud. Gebruik een nieuwe sleutel.",
        ));
    }
    if !expired && let Some(status) = existing.status {
        return Ok(Begin::Replay(replay(&existing, status)));
    }
    if !expired && existing.vergrendeld_tot > now {
        return Err(in_flight(
            (existing.vergrendeld_tot - now).div_euclid(1000) + 1,
        ));
    }
    // Expired, or abandoned without a response: take it over, unless someone else just did.
    let taken = Entity::update_many()
        .col_expr(Column::VerzoekHash, Expr::value(fingerprint))
        .col_expr(Column::VergrendeldTot, Expr::value(locked_until))
        .col_expr(Column::VerlooptOp, Expr::value(expires))
        .col_expr(Column::AangemaaktOp, Expr::value(now))
        .col_expr(Column::Status, Expr::value(Option::<i16>::None))
        .col_expr(Column::Headers, Expr::value(Option::<String>::None))
        .col_expr(Column::Body, Expr::value(Option::<Vec<u8>>::None))
        .filter(Column::Principaal.eq(&claim.principal))
        .filter(Column::Operatie.eq(claim.operation))
        .filter(Column::Sleutel.eq(&claim.key))
        .filter(Column::VergrendeldTot.eq(existing.vergrendeld_tot))
        .filter(Column::VerlooptOp.eq(existing.verloopt_op))
        .exec(db)
        .await?;
    if taken.rows_affected == 1 {
        Ok(Begin::Proceed(claim))
    } else {
        Err(in_flight(1))
    }
}

fn in_flight(retry_after_secs: i64) -> ApiError {
    ApiError::new(
        ProblemType::VerzoekLoopt,
        "Een verzoek met deze Idempotency-Key wordt nog verwerkt. Probeer het zo opnieuw.",
    )
    .with_header(
        header::RETRY_AFTER,
        HeaderValue::from(retry_after_secs.max(1)),
    )
}

fn replay(row: &entity::Model, status: i16) -> HttpResponse {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut builder = HttpResponse::build(status);
    let headers: Vec<(String, String)> = row
        .headers
        .as_deref()
        .and_then(|h| serde_json::from_str(h).ok())
        .unwrap_or_default();
    for (name, value) in headers {
        builder.insert_header((name, value));
    }
    builder.insert_header(("Idempotent-Replayed", "true"));
    builder.body(row.body.clone().unwrap_or_default())
}

impl Claim {
    /// Step 2: store the response in the effect's transaction. Fails (and so rolls the effect
    /// back) when this request no longer holds the lock.
    pub async fn complete(
        &self,
        tx: &DatabaseTransaction,
        response: &StoredResponse,
    ) -> Result<(), ApiError> {
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .filter(|(n, _)| REPLAYED_HEADERS.contains(n))
            .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let stored = Entity::update_many()
            .col_expr(
                Column::Status,
                Expr::value(Some(response.status.as_u16() as i16)),
            )
            .col_expr(
                Column::Headers,
                Expr::value(Some(
                    serde_json::to_string(&headers).expect("serialiseerbaar"),
                )),
            )
            .col_expr(Column::Body, Expr::value(Some(response.body.clone())))
            .filter(Column::Principaal.eq(&self.principal))
            .filter(Column::Operatie.eq(self.operation))
            .filter(Column::Sleutel.eq(&self.key))
            .filter(Column::VergrendeldTot.eq(self.locked_until))
            .filter(Column::Status.is_null())
            .exec(tx)
            .await?;
        if stored.rows_affected == 1 {
            Ok(())
        } else {
            Err(in_flight(1))
        }
    }

    /// Step 3 (on failure): forget the key so the client can retry it. Best effort: if this
    /// fails too, the lock simply runs out.
    pub async fn release(self, db: &DatabaseConnection) {
        let result = Entity::delete_many()
            .filter(Column::Principaal.eq(&self.principal))
            .filter(Column::Operatie.eq(self.operation))
            .filter(Column::Sleutel.eq(&self.key))
            .filter(Column::VergrendeldTot.eq(self.locked_until))
            .filter(Column::Status.is_null())
            .exec(db)
            .await;
        if let Err(err) = result {
            tracing::warn!(error = %err, "idempotency-sleutel niet vrijgegeven; het slot verloopt vanzelf");
        }
    }
}

/// Removes records past their expiry; returns how many.
pub async fn purge_expired(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::VerlooptOp.lte(crate::db::now_ms()))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_quoted_and_bare_keys() {
        assert_eq!(
            IdempotencyKey::parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")
                .unwrap()
                .as_str(),
            "8e03978e-40d5-43e8-bc93-6894a57f9324"
        );
        assert_eq!(
            IdempotencyKey::parse("abc-123").unwrap().as_str(),
            "abc-123"
        );
    }

    #[test]
    fn rejects_empty_long_or_odd_keys() {
        for bad in ["", "\"\"", "met spatie", "a\\b", &"x".repeat(256)] {
            assert!(IdempotencyKey::parse(bad).is_err(), "{bad}");
        }
    }
}

/// The documented header, for `params(...)` of operations that take an Idempotency-Key.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKeyHeader {
    /// Unieke sleutel per bedoelde handeling (bij voorkeur een UUID), 24 uur geldig. Herhaal een
    /// verzoek met dezelfde sleutel als u niet weet of het is aangekomen.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 257,
        pattern = r#"^("[\x21\x23-\x5B\x5D-\x7E]{1,255}"|[\x21\x23-\x5B\x5D-\x7E]{1,255})$"#,
        example = "8e03978e-40d5-43e8-bc93-6894a57f9324"
    )]
    pub idempotency_key: String,
}
