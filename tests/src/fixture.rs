//! A small resource mounted only on test servers (`/v1/proef-notities`), so the shared HTTP
//! helpers — validated JSON and query parameters, ETag/If-Match, Idempotency-Key, pagination,
//! write transactions — are proven over real HTTP and real databases before any capability
//! relies on them. It is built exactly like a capability's routes, and appears in the test
//! server's OpenAPI document (not in the committed one).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use mijn_herstel::http::etag::{IfMatch, IfMatchHeader, etag_header, not_modified, stale};
use mijn_herstel::http::idempotency::{
    self, Begin, IdempotencyKey, IdempotencyKeyHeader, Scope, StoredResponse,
};
use mijn_herstel::http::pagination::{PaginaInfo, Paginering};
use mijn_herstel::http::{ApiError, Json, Query};
use mijn_herstel::{AppState, db};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

/// The text that makes the fixture fail *after* writing, to prove nothing partial is kept.
pub const FAIL_AFTER_WRITE: &str = "faal-na-schrijven";

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proef_notitie")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub tekst: String,
        pub prioriteit: Option<i32>,
        pub datum: Option<String>,
        pub versie: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn create_table(db: &sea_orm::DatabaseConnection) {
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS proef_notitie (id VARCHAR(36) PRIMARY KEY, tekst TEXT NOT NULL, \
         prioriteit INTEGER NULL, datum VARCHAR(10) NULL, versie BIGINT NOT NULL)",
    )
    .await
    .expect("proef_notitie");
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(read)
        .service(update);
}

/// Een nieuwe of gewijzigde proefnotitie.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schema(example = json!({"tekst": "Eerste notitie", "prioriteit": 2, "datum": "2026-03-29"}))]
pub struct NieuweProefNotitie {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200), custom(function = "niet_alleen_spaties"))]
    pub tekst: String,
    #[schema(minimum = 1, maximum = 5)]
    pub prioriteit: Option<u8>,
    pub datum: Option<chrono::NaiveDate>,
}

/// A rule a schema cannot express, to exercise the `validator` step.
fn niet_alleen_spaties(tekst: &str) -> Result<(), validator::ValidationError> {
    if tekst.trim().is_empty() {
        let mut e = validator::ValidationError::new("blank");
        e.message = Some("Vul meer in dan alleen spaties.".into());
        return Err(e);
    }
    Ok(())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProefNotitie {
    pub id: uuid::Uuid,
    pub tekst: String,
    pub prioriteit: Option<u8>,
    pub datum: Option<chrono::NaiveDate>,
    pub versie: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProefNotities {
    pub resultaten: Vec<ProefNotitie>,
    pub paginering: PaginaInfo,
}

impl From<entity::Model> for ProefNotitie {
    fn from(m: entity::Model) -> Self {
        ProefNotitie {
            id: m.id.parse().expect("uuid"),
            tekst: m.tekst,
            prioriteit: m.prioriteit.map(|p| p as u8),
            datum: m.datum.and_then(|d| d.parse().ok()),
            versie: m.versie,
        }
    }
}

#[utoipa::path(
    tag = "Proef",
    params(IdempotencyKeyHeader),
    request_body = NieuweProefNotitie,
    responses(
        (status = 201, description = "Aangemaakt.", body = ProefNotitie),
        (status = 409, description = "Verzoek met deze sleutel loopt nog."),
        (status = 422, description = "Sleutel hergebruikt met andere inhoud.")
    )
)]
#[post("/proef-notities")]
async fn create(
    state: web::Data<AppState>,
    key: IdempotencyKey,
    body: Json<NieuweProefNotitie>,
) -> Result<HttpResponse, ApiError> {
    let scope = Scope {
        principal: "proef".into(),
        operation: "proef-notitie.aanmaken",
    };
    let claim = match idempotency::begin(
        &state.db,
        &state.settings.idempotency,
        &scope,
        &key,
        body.fingerprint(),
    )
    .await?
    {
        Begin::Replay(response) => return Ok(response),
        Begin::Proceed(claim) => claim,
    };
    let result = async {
        let tx = db::begin_write(&state.db).await?;
        let id = uuid::Uuid::now_v7();
        entity::ActiveModel {
            id: Set(id.to_string()),
            tekst: Set(body.tekst.clone()),
            prioriteit: Set(body.prioriteit.map(i32::from)),
            datum: Set(body.datum.map(|d| d.to_string())),
            versie: Set(1),
        }
        .insert(&tx)
        .await?;
        if body.tekst == FAIL_AFTER_WRITE {
            return Err(ApiError::internal(anyhow::anyhow!(
                "proef: fout na het schrijven"
            )));
        }
        let notitie = ProefNotitie {
            id,
            tekst: body.tekst.clone(),
            prioriteit: body.prioriteit,
            datum: body.datum,
            versie: 1,
        };
        let (etag_name, etag_value) = etag_header(1);
        let stored = StoredResponse::json(StatusCode::CREATED, &notitie)
            .with_header(
                header::LOCATION,
                HeaderValue::from_str(&format!("/v1/proef-notities/{id}")).expect("ascii"),
            )
            .with_header(etag_name, etag_value);
        claim.complete(&tx, &stored).await?;
        tx.commit().await?;
        Ok(stored.to_response())
    }
    .await;
    if result.is_err() {
        claim.release(&state.db).await;
    }
    result
}

#[utoipa::path(tag = "Proef", params(Paginering), responses((status = 200, description = "Een pagina.", body = ProefNotities)))]
#[get("/proef-notities")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    paging: Query<Paginering>,
) -> Result<HttpResponse, ApiError> {
    let total = entity::Entity::find().count(&state.db).await?;
    let rows = entity::Entity::find()
        .order_by_asc(entity::Column::Id)
        .offset(paging.offset())
        .limit(u64::from(paging.page_size()))
        .all(&state.db)
        .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    let body = ProefNotities {
        resultaten: rows.into_iter().map(ProefNotitie::from).collect(),
        paginering: info,
    };
    Ok(HttpResponse::Ok().insert_header(link).json(body))
}

#[utoipa::path(
    tag = "Proef",
    params(("id" = uuid::Uuid, Path, description = "De id van de notitie.")),
    responses((status = 200, description = "De notitie.", body = ProefNotitie), (status = 304, description = "Niet gewijzigd."))
)]
#[get("/proef-notities/{id}")]
async fn read(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let row = entity::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(response) = not_modified(&req, row.versie) {
        return Ok(response);
    }
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(row.versie))
        .json(ProefNotitie::from(row)))
}

#[utoipa::path(
    tag = "Proef",
    params(("id" = uuid::Uuid, Path, description = "De id van de notitie."), IfMatchHeader),
    request_body = NieuweProefNotitie,
    responses(
        (status = 200, description = "Gewijzigd.", body = ProefNotitie),
        (status = 412, description = "Verouderde versie."),
        (status = 428, description = "If-Match ontbreekt.")
    )
)]
#[put("/proef-notities/{id}")]
async fn update(
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: Json<NieuweProefNotitie>,
) -> Result<HttpResponse, ApiError> {
    let tx = db::begin_write(&state.db).await?;
    let current = entity::Entity::find_by_id(id.to_string())
        .one(&tx)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if_match.check(current.versie)?;
    let changed = entity::Entity::update_many()
        .col_expr(entity::Column::Tekst, Expr::value(body.tekst.clone()))
        .col_expr(
            entity::Column::Prioriteit,
            Expr::value(body.prioriteit.map(i32::from)),
        )
        .col_expr(
            entity::Column::Datum,
            Expr::value(body.datum.map(|d| d.to_string())),
        )
        .col_expr(entity::Column::Versie, Expr::value(current.versie + 1))
        .filter(entity::Column::Id.eq(id.to_string()))
        .filter(entity::Column::Versie.eq(current.versie))
        .exec(&tx)
        .await?;
    if changed.rows_affected != 1 {
        return Err(stale(current.versie + 1));
    }
    tx.commit().await?;
    let notitie = ProefNotitie {
        id: *id,
        tekst: body.tekst.clone(),
        prioriteit: body.prioriteit,
        datum: body.datum,
        versie: current.versie + 1,
    };
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(notitie.versie))
        .json(notitie))
}
