//! The only place that touches the `aanvraag` table. Reads and writes take the [`Toegang`] that
//! the authorisation function handed out, so no handler can reach a claim without a decision.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};

use crate::identity::toegang::Toegang;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "aanvraag")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub ouder_id: String,
        pub open_sleutel: Option<String>,
        pub status: String,
        pub inhoud_versie: String,
        pub versie: i64,
        pub antwoorden: String,
        pub keuzes: String,
        pub opgeslagen_stappen: String,
        pub berekening: String,
        /// The confirmed government data that prefills this claim (JSON, question id → value
        /// and source); kept as it was once the claim is submitted.
        pub opgehaald: String,
        pub aangemaakt_op: i64,
        pub gewijzigd_op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as Rij;
use entity::{Column, Entity};

/// Whose claim this is: the one fact the authorisation decision needs, and nothing personal.
pub async fn eigenaar(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(Entity::find_by_id(id.to_string())
        .select_only()
        .column(Column::OuderId)
        .into_tuple::<String>()
        .one(db)
        .await?
        .and_then(|s| s.parse().ok()))
}

pub async fn laad(
    db: &impl ConnectionTrait,
    toegang: &Toegang,
    id: Uuid,
) -> Result<Option<Rij>, DbErr> {
    Entity::find_by_id(id.to_string())
        .filter(Column::OuderId.eq(toegang.ouder().to_string()))
        .one(db)
        .await
}

pub async fn open_van(db: &impl ConnectionTrait, toegang: &Toegang) -> Result<Option<Rij>, DbErr> {
    Entity::find()
        .filter(Column::OpenSleutel.eq(toegang.ouder().to_string()))
        .one(db)
        .await
}

/// Id and status of the open claims of the parents in `toegangen` (one page of a
/// representative's clients) in one query, by parent id; the large columns stay where they are.
pub async fn open_status_van(
    db: &impl ConnectionTrait,
    toegangen: &[Toegang],
) -> Result<Vec<(String, String, String)>, DbErr> {
    if toegangen.is_empty() {
        return Ok(Vec::new());
    }
    Entity::find()
        .select_only()
        .column(Column::OuderId)
        .column(Column::Id)
        .column(Column::Status)
        .filter(Column::OpenSleutel.is_in(toegangen.iter().map(|t| t.ouder().to_string())))
        .into_tuple()
        .all(db)
        .await
}

pub async fn pagina(
    db: &impl ConnectionTrait,
    toegang: &Toegang,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Rij>, u64), DbErr> {
    let query = Entity::find().filter(Column::OuderId.eq(toegang.ouder().to_string()));
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(Column::AangemaaktOp)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

pub async fn voeg_toe(
    db: &impl ConnectionTrait,
    toegang: &Toegang,
    rij: Rij,
) -> Result<Rij, DbErr> {
    debug_assert_eq!(rij.ouder_id, toegang.ouder().to_string());
    entity::ActiveModel {
        id: Set(rij.id),
        ouder_id: Set(toegang.ouder().to_string()),
        open_sleutel: Set(Some(toegang.ouder().to_string())),
        status: Set(rij.status),
        inhoud_versie: Set(rij.inhoud_versie),
        versie: Set(1),
        antwoorden: Set(rij.antwoorden),
        keuzes: Set(rij.keuzes),
        opgeslagen_stappen: Set(rij.opgeslagen_stappen),
        berekening: Set(rij.berekening),
        opgehaald: Set(rij.opgehaald),
        aangemaakt_op: Set(rij.aangemaakt_op),
        gewijzigd_op: Set(rij.gewijzigd_op),
    }
    .insert(db)
    .await
}

/// Writes the new state if the version is still `vorige` (optimistic concurrency); false when
/// someone else changed it first.
pub async fn werk_bij(
    db: &impl ConnectionTrait,
    toegang: &Toegang,
    vorige: i64,
    rij: &Rij,
) -> Result<bool, DbErr> {
    let result = Entity::update_many()
        .col_expr(Column::InhoudVersie, Expr::value(rij.inhoud_versie.clone()))
        .col_expr(Column::Antwoorden, Expr::value(rij.antwoorden.clone()))
        .col_expr(Column::Keuzes, Expr::value(rij.keuzes.clone()))
        .col_expr(
            Column::OpgeslagenStappen,
            Expr::value(rij.opgeslagen_stappen.clone()),
        )
        .col_expr(Column::Berekening, Expr::value(rij.berekening.clone()))
        .col_expr(Column::Opgehaald, Expr::value(rij.opgehaald.clone()))
        .col_expr(Column::Versie, Expr::value(vorige + 1))
        .col_expr(Column::GewijzigdOp, Expr::value(rij.gewijzigd_op))
        .filter(Column::Id.eq(rij.id.clone()))
        .filter(Column::OuderId.eq(toegang.ouder().to_string()))
        .filter(Column::Versie.eq(vorige))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Moves the claim to `status` (and out of the parent's one open slot when it is no longer open)
/// if its version is still `vorige`.
pub async fn zet_status(
    db: &impl ConnectionTrait,
    toegang: &Toegang,
    id: &str,
    vorige: i64,
    status: &str,
    open: bool,
    now: i64,
) -> Result<bool, DbErr> {
    let open_sleutel = open.then(|| toegang.ouder().to_string());
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::OpenSleutel, Expr::value(open_sleutel))
        .col_expr(Column::Versie, Expr::value(vorige + 1))
        .col_expr(Column::GewijzigdOp, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::OuderId.eq(toegang.ouder().to_string()))
        .filter(Column::Versie.eq(vorige))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub mod indiening {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "indiening")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub aanvraag_id: String,
        pub referentie: String,
        pub ingediend_op: i64,
        pub ingediend_door: String,
        pub verklaring_op: i64,
        pub kaderversie: String,
        pub invoer_hash: String,
        pub totaal: i64,
        pub berekening: String,
        /// The indicator rule held at submission (DAMAGE-FRAMEWORK §3).
        pub lage_impact: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod overgang {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statusovergang")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub aanvraag_id: String,
        pub van: Option<String>,
        pub naar: String,
        pub door_persoon: Option<String>,
        pub door_rol: String,
        pub reden: Option<String>,
        pub op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use indiening::Model as IndieningRij;
pub use overgang::Model as OvergangRij;

pub async fn voeg_indiening_toe(db: &impl ConnectionTrait, rij: IndieningRij) -> Result<(), DbErr> {
    indiening::ActiveModel::from(rij)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn referentie_bestaat(
    db: &impl ConnectionTrait,
    referentie: &str,
) -> Result<bool, DbErr> {
    Ok(indiening::Entity::find()
        .filter(indiening::Column::Referentie.eq(referentie))
        .count(db)
        .await?
        > 0)
}

/// The submission of a claim the caller already has access to (`toegang` proves it).
pub async fn indiening_van(
    db: &impl ConnectionTrait,
    _toegang: &Toegang,
    aanvraag: &str,
) -> Result<Option<IndieningRij>, DbErr> {
    indiening::Entity::find_by_id(aanvraag.to_string())
        .one(db)
        .await
}

pub async fn voeg_overgang_toe(db: &impl ConnectionTrait, rij: OvergangRij) -> Result<(), DbErr> {
    overgang::ActiveModel::from(rij)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn overgangen(
    db: &impl ConnectionTrait,
    _toegang: &Toegang,
    aanvraag: &str,
) -> Result<Vec<OvergangRij>, DbErr> {
    overgang::Entity::find()
        .filter(overgang::Column::AanvraagId.eq(aanvraag))
        .order_by_asc(overgang::Column::Op)
        .order_by_asc(overgang::Column::Id)
        .all(db)
        .await
}
