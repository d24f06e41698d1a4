//! The only place that touches `auditregel` and `verwerking`. Insert and read; nothing else.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};

use super::{Regel, now_ms};
use crate::identity::toegang::Toegang;

pub mod auditregel {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "auditregel")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub tijdstip: i64,
        pub actor_id: Option<String>,
        pub actor_soort: Option<String>,
        pub namens_id: Option<String>,
        pub actie: String,
        pub resource: String,
        pub uitkomst: String,
        pub reden: Option<String>,
        pub trace_id: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod verwerking {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "verwerking")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub trace_id: String,
        pub span_id: String,
        pub naam: String,
        pub start_tijd: i64,
        pub eind_tijd: i64,
        pub status: String,
        pub verwerkingsactiviteit_id: String,
        pub betrokkene_id: String,
        pub betrokkene_id_type: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn insert_regel(db: &impl ConnectionTrait, r: &Regel<'_>) -> Result<(), DbErr> {
    auditregel::ActiveModel {
        id: Set(Uuid::now_v7().to_string()),
        tijdstip: Set(now_ms()),
        actor_id: Set(r.actor.map(|(id, _)| id.to_string())),
        actor_soort: Set(r.actor.map(|(_, s)| s.as_str().to_string())),
        namens_id: Set(r.namens.map(|id| id.to_string())),
        actie: Set(r.actie.to_string()),
        resource: Set(r.resource.to_string()),
        uitkomst: Set(r.uitkomst.as_str().to_string()),
        reden: Set(r.reden.map(str::to_string)),
        trace_id: Set(r.trace_id.to_string()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn insert_verwerking(
    db: &impl ConnectionTrait,
    r: &Regel<'_>,
    naam: &str,
    activity: &str,
    subject: &str,
) -> Result<(), DbErr> {
    let mut span = [0u8; 8];
    getrandom::fill(&mut span).expect("besturingssysteem levert willekeur");
    verwerking::ActiveModel {
        id: Set(Uuid::now_v7().to_string()),
        trace_id: Set(r.trace_id.to_string()),
        span_id: Set(hex::encode(span)),
        naam: Set(naam.to_string()),
        start_tijd: Set(r.start_ms),
        eind_tijd: Set(now_ms()),
        // LDV: `Unset` = done without an internal error.
        status: Set("Unset".into()),
        verwerkingsactiviteit_id: Set(activity.to_string()),
        betrokkene_id: Set(subject.to_string()),
        betrokkene_id_type: Set("https://mijn-herstel.nl/pseudoniem/persoon/v1".into()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The trail about the person `toegang` was granted for, newest first.
pub async fn page_for(
    db: &impl ConnectionTrait,
    toegang: &Toegang,
    offset: u64,
    limit: u64,
) -> Result<(Vec<auditregel::Model>, u64), DbErr> {
    let query = auditregel::Entity::find()
        .filter(auditregel::Column::NamensId.eq(toegang.ouder().to_string()));
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(auditregel::Column::Tijdstip)
        .order_by_desc(auditregel::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}
