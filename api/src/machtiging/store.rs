//! The only place that touches `machtiging` (and a lawyer's office on `persoon`).

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr, PaginatorTrait, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::bevoegdheid::{Bevoegdheid, masker};

pub mod machtiging {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "machtiging")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub ouder_id: String,
        pub gemachtigde_id: String,
        pub soort: String,
        pub bevoegdheden: String,
        pub status: String,
        pub gestart_door: String,
        /// The court decision of a bewindvoerder, curator or mentor.
        pub uitspraak: Option<String>,
        pub geldig_tot: i64,
        pub aangemaakt_op: i64,
        pub bevestigd_op: Option<i64>,
        pub beeindigd_op: Option<i64>,
        pub versie: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The columns of `persoon` a mandate shows: who the other party is.
pub mod partij {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "persoon")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub soort: String,
        pub naam: String,
        pub registratienummer: Option<String>,
        pub kantoor: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use machtiging::Model as MachtigingRij;
use machtiging::{Column, Entity};
pub use partij::Model as PartijRij;

pub fn bevoegdheden(rij: &MachtigingRij) -> Vec<Bevoegdheid> {
    serde_json::from_str::<Vec<String>>(&rij.bevoegdheden)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| Bevoegdheid::parse(c))
        .collect()
}

/// The scopes of the active, unexpired mandate `gemachtigde` holds for `ouder`, as bits.
pub async fn actief_masker(
    db: &impl ConnectionTrait,
    gemachtigde: Uuid,
    ouder: Uuid,
    nu: i64,
) -> Result<Option<u16>, DbErr> {
    Ok(Entity::find()
        .filter(Column::GemachtigdeId.eq(gemachtigde.to_string()))
        .filter(Column::OuderId.eq(ouder.to_string()))
        .filter(Column::Status.eq("actief"))
        .filter(Column::GeldigTot.gt(nu))
        .one(db)
        .await?
        .map(|m| masker(&bevoegdheden(&m))))
}

pub async fn voeg_toe(db: &impl ConnectionTrait, rij: MachtigingRij) -> Result<(), DbErr> {
    machtiging::ActiveModel::from(rij)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn een(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<MachtigingRij>, DbErr> {
    Entity::find_by_id(id.to_string()).one(db).await
}

/// An open or active mandate between these two (at most one at a time).
pub async fn lopend(
    db: &impl ConnectionTrait,
    ouder: Uuid,
    gemachtigde: Uuid,
    nu: i64,
) -> Result<Option<MachtigingRij>, DbErr> {
    Entity::find()
        .filter(Column::OuderId.eq(ouder.to_string()))
        .filter(Column::GemachtigdeId.eq(gemachtigde.to_string()))
        .filter(Column::Status.is_in(["uitgenodigd", "aangevraagd", "actief"]))
        .filter(Column::GeldigTot.gt(nu))
        .one(db)
        .await
}

/// Writes `rij` if its version is still `vorige`; false when someone else changed it first.
pub async fn werk_bij(
    db: &impl ConnectionTrait,
    rij: &MachtigingRij,
    vorige: i64,
) -> Result<bool, DbErr> {
    let r = Entity::update_many()
        .col_expr(Column::Bevoegdheden, Expr::value(rij.bevoegdheden.clone()))
        .col_expr(Column::Status, Expr::value(rij.status.clone()))
        .col_expr(Column::GeldigTot, Expr::value(rij.geldig_tot))
        .col_expr(Column::BevestigdOp, Expr::value(rij.bevestigd_op))
        .col_expr(Column::BeeindigdOp, Expr::value(rij.beeindigd_op))
        .col_expr(Column::Versie, Expr::value(vorige + 1))
        .filter(Column::Id.eq(rij.id.clone()))
        .filter(Column::Versie.eq(vorige))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Mandates where `persoon` is the parent, or the representative (without the requests the
/// representative made that the parent has not answered: those say nothing until then).
pub async fn van(
    db: &impl ConnectionTrait,
    persoon: Uuid,
    offset: u64,
    limit: u64,
) -> Result<(Vec<MachtigingRij>, u64), DbErr> {
    let p = persoon.to_string();
    let q = Entity::find().filter(
        sea_orm::Condition::any()
            .add(Column::OuderId.eq(p.clone()))
            .add(
                sea_orm::Condition::all()
                    .add(Column::GemachtigdeId.eq(p))
                    .add(Column::Status.ne("aangevraagd")),
            ),
    );
    let totaal = q.clone().count(db).await?;
    let rijen = q
        .order_by_desc(Column::AangemaaktOp)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rijen, totaal))
}

/// A scope as a condition in SQL: the mandate's stored scopes (a JSON array of codes) include
/// `bevoegdheid`. A code never contains a quote, so the quoted code matches one whole element.
fn heeft(bevoegdheid: Bevoegdheid) -> SimpleExpr {
    Expr::col((Entity, Column::Bevoegdheden)).like(format!("%\"{}\"%", bevoegdheid.code()))
}

/// One page of a representative's active clients, oldest mandate first, and how many there
/// are. With `status`, only clients whose open claim has that status *and* whose mandate holds
/// the scope to read the claim: the scope is part of the condition, so neither the page nor the
/// total tells anything about a claim the representative may not see.
pub async fn clienten(
    db: &impl ConnectionTrait,
    gemachtigde: Uuid,
    nu: i64,
    status: Option<(&str, Bevoegdheid)>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<MachtigingRij>, u64), DbErr> {
    let mut q = Entity::find()
        .filter(Column::GemachtigdeId.eq(gemachtigde.to_string()))
        .filter(Column::Status.eq("actief"))
        .filter(Column::GeldigTot.gt(nu));
    if let Some((status, inzien)) = status {
        let mut claim = Query::select();
        claim
            .expr(Expr::val(1))
            .from(Alias::new("aanvraag"))
            .and_where(
                Expr::col((Alias::new("aanvraag"), Alias::new("open_sleutel")))
                    .equals((Entity, Column::OuderId)),
            )
            .and_where(Expr::col((Alias::new("aanvraag"), Alias::new("status"))).eq(status));
        q = q.filter(heeft(inzien)).filter(Expr::exists(claim));
    }
    let totaal = q.clone().count(db).await?;
    let rijen = q
        .order_by_asc(Column::AangemaaktOp)
        .order_by_asc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rijen, totaal))
}

pub async fn partij(db: &impl ConnectionTrait, id: &str) -> Result<Option<PartijRij>, DbErr> {
    partij::Entity::find_by_id(id.to_string()).one(db).await
}

/// The parties with these ids, in one query.
pub async fn partijen(db: &impl ConnectionTrait, ids: &[&str]) -> Result<Vec<PartijRij>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    partij::Entity::find()
        .filter(partij::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

pub async fn advocaat_met_nummer(
    db: &impl ConnectionTrait,
    nummer: &str,
) -> Result<Option<PartijRij>, DbErr> {
    partij::Entity::find()
        .filter(partij::Column::Soort.eq("advocaat"))
        .filter(partij::Column::Registratienummer.eq(nummer))
        .one(db)
        .await
}

pub async fn zet_kantoor(db: &impl ConnectionTrait, id: Uuid, kantoor: &str) -> Result<(), DbErr> {
    partij::Entity::update_many()
        .col_expr(partij::Column::Kantoor, Expr::value(kantoor))
        .filter(partij::Column::Id.eq(id.to_string()))
        .exec(db)
        .await
        .map(|_| ())
}

/// Whether any active mandate exists for these parents (the queue's has-lawyer filter).
pub async fn met_gemachtigde(db: &impl ConnectionTrait, nu: i64) -> Result<Vec<String>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::OuderId)
        .filter(Column::Status.eq("actief"))
        .filter(Column::GeldigTot.gt(nu))
        .into_tuple::<String>()
        .all(db)
        .await
}
