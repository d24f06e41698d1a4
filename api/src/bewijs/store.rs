//! The evidence rows: which file belongs to which claim (and post), under which storage key.

use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, DbErr, QueryOrder};
use uuid::Uuid;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bewijsstuk")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub aanvraag_id: String,
        pub post_id: Option<String>,
        pub bestandsnaam: String,
        pub soort: String,
        pub grootte: i64,
        pub sha256: String,
        pub opslag_sleutel: String,
        pub scan: String,
        pub geupload_door: String,
        pub geupload_op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as BewijsRij;

pub async fn voeg_toe(db: &impl ConnectionTrait, rij: BewijsRij) -> Result<(), DbErr> {
    entity::ActiveModel::from(rij).insert(db).await.map(|_| ())
}

pub async fn van_aanvraag(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
) -> Result<Vec<BewijsRij>, DbErr> {
    entity::Entity::find()
        .filter(entity::Column::AanvraagId.eq(aanvraag.to_string()))
        .order_by_asc(entity::Column::GeuploadOp)
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await
}

pub async fn aantal(db: &impl ConnectionTrait, aanvraag: Uuid) -> Result<u64, DbErr> {
    entity::Entity::find()
        .filter(entity::Column::AanvraagId.eq(aanvraag.to_string()))
        .count(db)
        .await
}

pub async fn een(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
    id: Uuid,
) -> Result<Option<BewijsRij>, DbErr> {
    entity::Entity::find_by_id(id.to_string())
        .filter(entity::Column::AanvraagId.eq(aanvraag.to_string()))
        .one(db)
        .await
}

pub async fn verwijder(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    Ok(entity::Entity::delete_by_id(id.to_string())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}
