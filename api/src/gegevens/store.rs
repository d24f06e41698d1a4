//! The only place that touches consents, retrievals and retrieved data. Every read and write is
//! scoped to one parent through the [`Toegang`] the authorisation function handed out.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, DbErr, PaginatorTrait, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::identity::toegang::Toegang;

pub mod toestemming {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "toestemming")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub ouder_id: String,
        pub bron: String,
        pub doel: String,
        pub verleend_op: i64,
        pub verleend_door: String,
        pub geldig_tot: i64,
        pub ingetrokken_op: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bevraging {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bevraging")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub ouder_id: String,
        pub gestart_door: String,
        pub gestart_op: i64,
        pub uiterlijk_op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bevraging_bron {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bevraging_bron")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub bevraging_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub bron: String,
        pub toestemming_id: String,
        pub status: String,
        pub reden: Option<String>,
        pub aantal: i32,
        pub klaar_op: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod gegeven {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "opgehaald_gegeven")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub ouder_id: String,
        pub bron: String,
        pub sleutel: String,
        pub label: String,
        pub weergave: String,
        pub waarde: String,
        pub antwoorden: Option<String>,
        pub toestemming_id: String,
        pub bevraging_id: String,
        pub opgehaald_op: i64,
        pub oordeel: String,
        pub toelichting: Option<String>,
        pub geoordeeld_op: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use bevraging::Model as BevragingRij;
pub use bevraging_bron::Model as BronStatusRij;
pub use gegeven::Model as GegevenRij;
pub use toestemming::Model as ToestemmingRij;

fn ouder(t: &Toegang) -> String {
    t.ouder().to_string()
}

pub async fn voeg_toestemming_toe(
    db: &impl ConnectionTrait,
    rij: ToestemmingRij,
) -> Result<(), DbErr> {
    toestemming::ActiveModel::from(rij)
        .insert(db)
        .await
        .map(|_| ())
}

/// Consents that are neither revoked nor expired at `nu`, for one source or all.
pub async fn geldige_toestemmingen(
    db: &impl ConnectionTrait,
    t: &Toegang,
    bron: Option<&str>,
    nu: i64,
) -> Result<Vec<ToestemmingRij>, DbErr> {
    let mut q = toestemming::Entity::find()
        .filter(toestemming::Column::OuderId.eq(ouder(t)))
        .filter(toestemming::Column::IngetrokkenOp.is_null())
        .filter(toestemming::Column::GeldigTot.gt(nu));
    if let Some(bron) = bron {
        q = q.filter(toestemming::Column::Bron.eq(bron));
    }
    q.order_by_asc(toestemming::Column::Bron).all(db).await
}

pub async fn toestemmingen(
    db: &impl ConnectionTrait,
    t: &Toegang,
    offset: u64,
    limit: u64,
) -> Result<(Vec<ToestemmingRij>, u64), DbErr> {
    let q = toestemming::Entity::find().filter(toestemming::Column::OuderId.eq(ouder(t)));
    let totaal = q.clone().count(db).await?;
    let rijen = q
        .order_by_desc(toestemming::Column::VerleendOp)
        .order_by_desc(toestemming::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rijen, totaal))
}

pub async fn toestemming(
    db: &impl ConnectionTrait,
    t: &Toegang,
    id: Uuid,
) -> Result<Option<ToestemmingRij>, DbErr> {
    toestemming::Entity::find_by_id(id.to_string())
        .filter(toestemming::Column::OuderId.eq(ouder(t)))
        .one(db)
        .await
}

/// Revokes when still in force; false when it already was revoked (someone was first).
pub async fn trek_in(
    db: &impl ConnectionTrait,
    t: &Toegang,
    id: &str,
    nu: i64,
) -> Result<bool, DbErr> {
    let r = toestemming::Entity::update_many()
        .col_expr(toestemming::Column::IngetrokkenOp, Expr::value(nu))
        .filter(toestemming::Column::Id.eq(id))
        .filter(toestemming::Column::OuderId.eq(ouder(t)))
        .filter(toestemming::Column::IngetrokkenOp.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn voeg_bevraging_toe(
    db: &impl ConnectionTrait,
    rij: BevragingRij,
    bronnen: Vec<BronStatusRij>,
) -> Result<(), DbErr> {
    bevraging::ActiveModel::from(rij).insert(db).await?;
    for b in bronnen {
        bevraging_bron::ActiveModel::from(b).insert(db).await?;
    }
    Ok(())
}

pub async fn bevraging(
    db: &impl ConnectionTrait,
    t: &Toegang,
    id: Uuid,
) -> Result<Option<(BevragingRij, Vec<BronStatusRij>)>, DbErr> {
    let Some(b) = bevraging::Entity::find_by_id(id.to_string())
        .filter(bevraging::Column::OuderId.eq(ouder(t)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let bronnen = bevraging_bron::Entity::find()
        .filter(bevraging_bron::Column::BevragingId.eq(b.id.clone()))
        .order_by_asc(bevraging_bron::Column::Bron)
        .all(db)
        .await?;
    Ok(Some((b, bronnen)))
}

pub async fn bevragingen(
    db: &impl ConnectionTrait,
    t: &Toegang,
    offset: u64,
    limit: u64,
) -> Result<(Vec<(BevragingRij, Vec<BronStatusRij>)>, u64), DbErr> {
    let q = bevraging::Entity::find().filter(bevraging::Column::OuderId.eq(ouder(t)));
    let totaal = q.clone().count(db).await?;
    let rijen = q
        .order_by_desc(bevraging::Column::GestartOp)
        .order_by_desc(bevraging::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<String> = rijen.iter().map(|b| b.id.clone()).collect();
    let statussen = bevraging_bron::Entity::find()
        .filter(bevraging_bron::Column::BevragingId.is_in(ids))
        .order_by_asc(bevraging_bron::Column::Bron)
        .all(db)
        .await?;
    let lijst = rijen
        .into_iter()
        .map(|b| {
            let eigen = statussen
                .iter()
                .filter(|s| s.bevraging_id == b.id)
                .cloned()
                .collect();
            (b, eigen)
        })
        .collect();
    Ok((lijst, totaal))
}

/// A retrieval of this parent still within its deadline (at most one runs at a time).
pub async fn lopende_bevraging(
    db: &impl ConnectionTrait,
    t: &Toegang,
    nu: i64,
) -> Result<Option<String>, DbErr> {
    let lopend = bevraging::Entity::find()
        .filter(bevraging::Column::OuderId.eq(ouder(t)))
        .filter(bevraging::Column::UiterlijkOp.gt(nu))
        .all(db)
        .await?;
    for b in lopend {
        let bezig = bevraging_bron::Entity::find()
            .filter(bevraging_bron::Column::BevragingId.eq(b.id.clone()))
            .filter(bevraging_bron::Column::Status.eq("bezig"))
            .count(db)
            .await?;
        if bezig > 0 {
            return Ok(Some(b.id));
        }
    }
    Ok(None)
}

pub async fn zet_bronstatus(
    db: &impl ConnectionTrait,
    bevraging_id: &str,
    bron: &str,
    status: &str,
    reden: Option<&str>,
    aantal: i32,
) -> Result<(), DbErr> {
    bevraging_bron::Entity::update_many()
        .col_expr(bevraging_bron::Column::Status, Expr::value(status))
        .col_expr(
            bevraging_bron::Column::Reden,
            Expr::value(reden.map(str::to_string)),
        )
        .col_expr(bevraging_bron::Column::Aantal, Expr::value(aantal))
        .col_expr(
            bevraging_bron::Column::KlaarOp,
            Expr::value(crate::db::now_ms()),
        )
        .filter(bevraging_bron::Column::BevragingId.eq(bevraging_id))
        .filter(bevraging_bron::Column::Bron.eq(bron))
        .filter(bevraging_bron::Column::Status.eq("bezig"))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn gegevens(
    db: &impl ConnectionTrait,
    t: &Toegang,
    bron: Option<&str>,
) -> Result<Vec<GegevenRij>, DbErr> {
    let mut q = gegeven::Entity::find().filter(gegeven::Column::OuderId.eq(ouder(t)));
    if let Some(bron) = bron {
        q = q.filter(gegeven::Column::Bron.eq(bron));
    }
    q.order_by_asc(gegeven::Column::Bron)
        .order_by_asc(gegeven::Column::Sleutel)
        .all(db)
        .await
}

pub async fn gegeven(
    db: &impl ConnectionTrait,
    t: &Toegang,
    id: Uuid,
) -> Result<Option<GegevenRij>, DbErr> {
    gegeven::Entity::find_by_id(id.to_string())
        .filter(gegeven::Column::OuderId.eq(ouder(t)))
        .one(db)
        .await
}

pub async fn voeg_gegeven_toe(db: &impl ConnectionTrait, rij: GegevenRij) -> Result<(), DbErr> {
    gegeven::ActiveModel::from(rij).insert(db).await.map(|_| ())
}

pub async fn verwijder_gegevens(
    db: &impl ConnectionTrait,
    t: &Toegang,
    bron: &str,
) -> Result<u64, DbErr> {
    Ok(gegeven::Entity::delete_many()
        .filter(gegeven::Column::OuderId.eq(ouder(t)))
        .filter(gegeven::Column::Bron.eq(bron))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn zet_oordeel(
    db: &impl ConnectionTrait,
    t: &Toegang,
    id: &str,
    oordeel: &str,
    toelichting: Option<String>,
    nu: i64,
) -> Result<(), DbErr> {
    gegeven::Entity::update_many()
        .col_expr(gegeven::Column::Oordeel, Expr::value(oordeel))
        .col_expr(gegeven::Column::Toelichting, Expr::value(toelichting))
        .col_expr(gegeven::Column::GeoordeeldOp, Expr::value(nu))
        .filter(gegeven::Column::Id.eq(id))
        .filter(gegeven::Column::OuderId.eq(ouder(t)))
        .exec(db)
        .await
        .map(|_| ())
}
