//! Each person's notification settings and pending address verifications (re-exported through
//! `store`).

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, QuerySelect, TryInsertResult};

pub mod instelling {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meldingsinstelling")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub persoon_id: String,
        pub email: Option<String>,
        pub email_geverifieerd_op: Option<i64>,
        pub taal: String,
        pub niet_essentieel: bool,
        pub versie: i64,
        pub gewijzigd_op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod verificatie {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "emailadres_verificatie")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub persoon_id: String,
        pub email: String,
        pub code_hash: String,
        pub verloopt_op: i64,
        pub pogingen: i32,
        pub codes_in_venster: i32,
        pub venster_start: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use instelling::Model as InstellingRij;
pub use verificatie::Model as VerificatieRij;

pub async fn instelling(
    db: &impl ConnectionTrait,
    persoon: Uuid,
) -> Result<Option<InstellingRij>, DbErr> {
    instelling::Entity::find_by_id(persoon.to_string())
        .one(db)
        .await
}

/// Writes the settings when `vorige` is still the stored version (0: none stored yet).
pub async fn bewaar_instelling(
    db: &impl ConnectionTrait,
    vorige: i64,
    rij: InstellingRij,
) -> Result<bool, DbErr> {
    use instelling::{ActiveModel, Column, Entity};
    if vorige == 0 {
        let result = Entity::insert(ActiveModel::from(rij))
            .on_conflict_do_nothing()
            .exec_without_returning(db)
            .await?;
        return Ok(matches!(result, TryInsertResult::Inserted(n) if n > 0));
    }
    let result = Entity::update_many()
        .set(ActiveModel {
            email: Set(rij.email),
            email_geverifieerd_op: Set(rij.email_geverifieerd_op),
            taal: Set(rij.taal),
            niet_essentieel: Set(rij.niet_essentieel),
            versie: Set(rij.versie),
            gewijzigd_op: Set(rij.gewijzigd_op),
            ..Default::default()
        })
        .filter(Column::PersoonId.eq(rij.persoon_id))
        .filter(Column::Versie.eq(vorige))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn verificatie(
    db: &impl ConnectionTrait,
    persoon: Uuid,
) -> Result<Option<VerificatieRij>, DbErr> {
    verificatie::Entity::find_by_id(persoon.to_string())
        .one(db)
        .await
}

/// [`verificatie`] inside a write transaction, locked (`FOR UPDATE` on PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already serialises): parallel guesses are counted one by one.
pub async fn verificatie_voor_wijziging(
    db: &impl ConnectionTrait,
    persoon: Uuid,
) -> Result<Option<VerificatieRij>, DbErr> {
    verificatie::Entity::find_by_id(persoon.to_string())
        .lock_exclusive()
        .one(db)
        .await
}

pub async fn bewaar_verificatie(
    db: &impl ConnectionTrait,
    rij: VerificatieRij,
) -> Result<(), DbErr> {
    use verificatie::{ActiveModel, Column, Entity};
    // An upsert: two first requests at once (a double click) must not collide on the key.
    Entity::insert(ActiveModel::from(rij).reset_all())
        .on_conflict(
            OnConflict::column(Column::PersoonId)
                .update_columns([
                    Column::Email,
                    Column::CodeHash,
                    Column::VerlooptOp,
                    Column::Pogingen,
                    Column::CodesInVenster,
                    Column::VensterStart,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn verwijder_verificatie(db: &impl ConnectionTrait, persoon: Uuid) -> Result<(), DbErr> {
    verificatie::Entity::delete_by_id(persoon.to_string())
        .exec(db)
        .await
        .map(|_| ())
}
