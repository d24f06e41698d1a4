//! The only place that touches schedules, conversations and occupancy cells.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ConnectionTrait, DbErr, PaginatorTrait, QueryOrder, QuerySelect};
use uuid::Uuid;

pub mod gespreksleider {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "gespreksleider")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub persoon_id: String,
        pub rooster: String,
        pub versie: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod gesprek {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "gesprek")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub ouder_id: String,
        pub gespreksleider_id: String,
        pub soort: String,
        pub vorm: String,
        pub start_op: i64,
        pub eind_op: i64,
        pub status: String,
        pub voorkeuren: String,
        pub geboekt_door: String,
        pub reden: Option<String>,
        /// What was agreed, for the parent to see — never the content of the conversation.
        pub afspraken: Option<String>,
        pub reeks: i32,
        pub aangemaakt_op: i64,
        /// The chosen location as it was when booked (JSON), for `op-locatie`.
        pub locatie: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bezetting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bezetting")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub gespreksleider_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub cel: i64,
        pub gesprek_id: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use gesprek::Model as GesprekRij;
pub use gespreksleider::Model as LeiderRij;

pub async fn leider(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<LeiderRij>, DbErr> {
    gespreksleider::Entity::find_by_id(id.to_string())
        .one(db)
        .await
}

pub async fn leiders(db: &impl ConnectionTrait) -> Result<Vec<LeiderRij>, DbErr> {
    gespreksleider::Entity::find()
        .order_by_asc(gespreksleider::Column::PersoonId)
        .all(db)
        .await
}

/// Writes the schedule if the version is still `vorige` (0: not there yet).
pub async fn zet_rooster(
    db: &impl ConnectionTrait,
    id: Uuid,
    rooster: &str,
    vorige: i64,
) -> Result<bool, DbErr> {
    if vorige == 0 {
        return gespreksleider::ActiveModel {
            persoon_id: Set(id.to_string()),
            rooster: Set(rooster.to_string()),
            versie: Set(1),
        }
        .insert(db)
        .await
        .map(|_| true)
        .or_else(|e| {
            if e.sql_err().is_some() {
                Ok(false)
            } else {
                Err(e)
            }
        });
    }
    let r = gespreksleider::Entity::update_many()
        .col_expr(gespreksleider::Column::Rooster, Expr::value(rooster))
        .col_expr(gespreksleider::Column::Versie, Expr::value(vorige + 1))
        .filter(gespreksleider::Column::PersoonId.eq(id.to_string()))
        .filter(gespreksleider::Column::Versie.eq(vorige))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Booked conversations of an expert that touch `van..tot` (epoch ms).
pub async fn geboekt(
    db: &impl ConnectionTrait,
    leider: &str,
    van: i64,
    tot: i64,
) -> Result<Vec<GesprekRij>, DbErr> {
    gesprek::Entity::find()
        .filter(gesprek::Column::GespreksleiderId.eq(leider))
        .filter(gesprek::Column::Status.eq("geboekt"))
        .filter(gesprek::Column::EindOp.gt(van))
        .filter(gesprek::Column::StartOp.lt(tot))
        .all(db)
        .await
}

/// Stores a booking and its occupancy cells; `Ok(false)` when a cell is taken (the database's
/// unique index said so), in which case the caller rolls back.
pub async fn boek(
    db: &impl ConnectionTrait,
    rij: GesprekRij,
    cellen: &[i64],
) -> Result<bool, DbErr> {
    let leider = rij.gespreksleider_id.clone();
    let id = rij.id.clone();
    gesprek::ActiveModel::from(rij).insert(db).await?;
    let rijen = cellen.iter().map(|c| bezetting::ActiveModel {
        gespreksleider_id: Set(leider.clone()),
        cel: Set(*c),
        gesprek_id: Set(id.clone()),
    });
    match bezetting::Entity::insert_many(rijen).exec(db).await {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

pub async fn een(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<GesprekRij>, DbErr> {
    gesprek::Entity::find_by_id(id.to_string()).one(db).await
}

/// Cancels a booked conversation and frees its time; false when it was no longer booked.
pub async fn annuleer(db: &impl ConnectionTrait, id: &str, reden: &str) -> Result<bool, DbErr> {
    let r = gesprek::Entity::update_many()
        .col_expr(gesprek::Column::Status, Expr::value("geannuleerd"))
        .col_expr(gesprek::Column::Reden, Expr::value(reden))
        .col_expr(
            gesprek::Column::Reeks,
            Expr::col(gesprek::Column::Reeks).add(1),
        )
        .filter(gesprek::Column::Id.eq(id))
        .filter(gesprek::Column::Status.eq("geboekt"))
        .exec(db)
        .await?;
    bezetting::Entity::delete_many()
        .filter(bezetting::Column::GesprekId.eq(id))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves a booked conversation: its old cells are freed and the new ones claimed in the same
/// transaction; `Ok(false)` when a new cell is taken.
pub async fn verplaats(
    db: &impl ConnectionTrait,
    rij: &GesprekRij,
    cellen: &[i64],
) -> Result<bool, DbErr> {
    bezetting::Entity::delete_many()
        .filter(bezetting::Column::GesprekId.eq(rij.id.clone()))
        .exec(db)
        .await?;
    let rijen = cellen.iter().map(|c| bezetting::ActiveModel {
        gespreksleider_id: Set(rij.gespreksleider_id.clone()),
        cel: Set(*c),
        gesprek_id: Set(rij.id.clone()),
    });
    match bezetting::Entity::insert_many(rijen).exec(db).await {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Ok(false);
        }
        Err(e) => return Err(e),
    }
    gesprek::Entity::update_many()
        .col_expr(
            gesprek::Column::GespreksleiderId,
            Expr::value(rij.gespreksleider_id.clone()),
        )
        .col_expr(gesprek::Column::StartOp, Expr::value(rij.start_op))
        .col_expr(gesprek::Column::EindOp, Expr::value(rij.eind_op))
        .col_expr(gesprek::Column::Reeks, Expr::value(rij.reeks))
        .col_expr(gesprek::Column::Reden, Expr::value(rij.reden.clone()))
        .col_expr(gesprek::Column::Locatie, Expr::value(rij.locatie.clone()))
        .filter(gesprek::Column::Id.eq(rij.id.clone()))
        .exec(db)
        .await?;
    Ok(true)
}

/// Records how it went; false when it was not a booked conversation any more.
pub async fn rond_af(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    afspraken: Option<String>,
) -> Result<bool, DbErr> {
    let r = gesprek::Entity::update_many()
        .col_expr(gesprek::Column::Status, Expr::value(status))
        .col_expr(gesprek::Column::Afspraken, Expr::value(afspraken))
        .filter(gesprek::Column::Id.eq(id))
        .filter(gesprek::Column::Status.eq("geboekt"))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// How many booked conversations of the parent are still to come.
pub async fn komend_van_ouder(
    db: &impl ConnectionTrait,
    ouder: Uuid,
    nu: i64,
) -> Result<u64, DbErr> {
    gesprek::Entity::find()
        .filter(gesprek::Column::OuderId.eq(ouder.to_string()))
        .filter(gesprek::Column::Status.eq("geboekt"))
        .filter(gesprek::Column::StartOp.gt(nu))
        .count(db)
        .await
}

/// The booked conversations still to come of these parents, as (parent, start), by start time,
/// in one query.
pub async fn komend_van_ouders(
    db: &impl ConnectionTrait,
    toegangen: &[crate::identity::toegang::Toegang],
    nu: i64,
) -> Result<Vec<(String, i64)>, DbErr> {
    if toegangen.is_empty() {
        return Ok(Vec::new());
    }
    gesprek::Entity::find()
        .select_only()
        .column(gesprek::Column::OuderId)
        .column(gesprek::Column::StartOp)
        .filter(gesprek::Column::OuderId.is_in(toegangen.iter().map(|t| t.ouder().to_string())))
        .filter(gesprek::Column::Status.eq("geboekt"))
        .filter(gesprek::Column::StartOp.gt(nu))
        .order_by_asc(gesprek::Column::StartOp)
        .into_tuple()
        .all(db)
        .await
}

/// Whose conversations a page lists.
pub enum Van {
    Ouder(Uuid),
    Leider(Uuid),
}

/// One page of a parent's conversations or an expert's agenda, by start time, from `vanaf`
/// (epoch ms) when given; with the total.
pub async fn pagina(
    db: &impl ConnectionTrait,
    van: Van,
    vanaf: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<GesprekRij>, u64), DbErr> {
    let mut q = match van {
        Van::Ouder(id) => {
            gesprek::Entity::find().filter(gesprek::Column::OuderId.eq(id.to_string()))
        }
        Van::Leider(id) => {
            gesprek::Entity::find().filter(gesprek::Column::GespreksleiderId.eq(id.to_string()))
        }
    };
    if let Some(vanaf) = vanaf {
        q = q.filter(gesprek::Column::EindOp.gt(vanaf));
    }
    let totaal = q.clone().count(db).await?;
    let rijen = q
        .order_by_asc(gesprek::Column::StartOp)
        .order_by_asc(gesprek::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rijen, totaal))
}
