//! Case handling ([D], first part): the behandelaar's queue of submitted claims (urgent first,
//! then oldest first; filters), taking a claim on (assignment; `ingediend` → `in-behandeling`),
//! and the urgency flag. The assignment is what lets a behandelaar read a claim
//! (`toegang::Relatie`).

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, OnConflict, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};
use uuid::Uuid;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "behandeling")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub aanvraag_id: String,
        pub behandelaar_id: Option<String>,
        pub urgent: bool,
        pub urgentie_reden: Option<String>,
        pub bijgewerkt_op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as BehandelingRij;

pub async fn van(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
) -> Result<Option<BehandelingRij>, DbErr> {
    entity::Entity::find_by_id(aanvraag.to_string())
        .one(db)
        .await
}

/// Whose claim `id` is and which behandelaar it is assigned to: all the authorisation decision
/// weighs, in one query (`None`: no such claim).
pub async fn eigenaar_en_behandelaar(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Uuid, Option<Uuid>)>, DbErr> {
    let mut q = Query::select();
    q.column((t("a"), t("ouder_id")))
        .column((t("b"), t("behandelaar_id")))
        .from_as(t("aanvraag"), t("a"))
        .join_as(
            JoinType::LeftJoin,
            t("behandeling"),
            t("b"),
            Expr::col((t("b"), t("aanvraag_id"))).equals((t("a"), t("id"))),
        )
        .and_where(Expr::col((t("a"), t("id"))).eq(id.to_string()));
    let backend = db.get_database_backend();
    let Some(rij) = db.query_one_raw(backend.build(&q)).await? else {
        return Ok(None);
    };
    let ouder: String = rij.try_get_by_index(0)?;
    let behandelaar: Option<String> = rij.try_get_by_index(1)?;
    Ok(ouder
        .parse()
        .ok()
        .map(|o| (o, behandelaar.and_then(|b| b.parse().ok()))))
}

/// Sets who handles the claim, leaving the urgency as it is (an upsert of those columns only,
/// so an urgency change at the same moment is not lost).
pub async fn wijs_toe(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
    behandelaar: Uuid,
    now: i64,
) -> Result<(), DbErr> {
    use entity::Column;
    upsert(
        db,
        BehandelingRij {
            aanvraag_id: aanvraag.to_string(),
            behandelaar_id: Some(behandelaar.to_string()),
            urgent: false,
            urgentie_reden: None,
            bijgewerkt_op: now,
        },
        &[Column::BehandelaarId, Column::BijgewerktOp],
    )
    .await
}

/// Sets the urgency, leaving the assignment as it is.
pub async fn zet_urgentie(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
    urgent: bool,
    reden: Option<String>,
    now: i64,
) -> Result<(), DbErr> {
    use entity::Column;
    upsert(
        db,
        BehandelingRij {
            aanvraag_id: aanvraag.to_string(),
            behandelaar_id: None,
            urgent,
            urgentie_reden: reden,
            bijgewerkt_op: now,
        },
        &[Column::Urgent, Column::UrgentieReden, Column::BijgewerktOp],
    )
    .await
}

async fn upsert(
    db: &impl ConnectionTrait,
    rij: BehandelingRij,
    kolommen: &[entity::Column],
) -> Result<(), DbErr> {
    entity::Entity::insert(entity::ActiveModel::from(rij).reset_all())
        .on_conflict(
            OnConflict::column(entity::Column::AanvraagId)
                .update_columns(kolommen.iter().copied())
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The queue's filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub urgent: Option<bool>,
    /// The indicator rule held (low impact: posts await substantiation).
    pub lage_impact: Option<bool>,
    /// The parent has (`true`) or has not (`false`) an active mandate ([F]).
    pub met_gemachtigde: Option<bool>,
    /// `Some(Some(id))`: assigned to id; `Some(None)`: nobody yet.
    pub toegewezen: Option<Option<Uuid>>,
    pub referentie: Option<String>,
    /// Submitted before this moment (epoch ms).
    pub ingediend_voor: Option<i64>,
    /// One claim.
    pub aanvraag: Option<Uuid>,
}

/// One row of the queue: nothing personal, only what a handler needs to pick.
#[derive(Debug, Clone)]
pub struct Wachtrij {
    pub aanvraag: String,
    pub referentie: String,
    pub status: String,
    pub ingediend_op: i64,
    pub totaal: i64,
    pub behandelaar: Option<String>,
    pub urgent: bool,
    pub lage_impact: bool,
}

fn t(name: &str) -> Alias {
    Alias::new(name)
}

/// Urgent first, then oldest first; `(rows, total)`.
pub async fn wachtrij(
    db: &impl ConnectionTrait,
    filter: &Filter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Wachtrij>, u64), DbErr> {
    let mut q = Query::select();
    q.from_as(t("indiening"), t("i"))
        .join_as(
            JoinType::InnerJoin,
            t("aanvraag"),
            t("a"),
            Expr::col((t("a"), t("id"))).equals((t("i"), t("aanvraag_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            t("behandeling"),
            t("b"),
            Expr::col((t("b"), t("aanvraag_id"))).equals((t("i"), t("aanvraag_id"))),
        );
    if let Some(status) = &filter.status {
        q.and_where(Expr::col((t("a"), t("status"))).eq(status.as_str()));
    }
    if let Some(urgent) = filter.urgent {
        let col = Expr::col((t("b"), t("urgent")));
        q.and_where(if urgent {
            col.eq(true)
        } else {
            col.clone().is_null().or(col.eq(false))
        });
    }
    if let Some(lage_impact) = filter.lage_impact {
        q.and_where(Expr::col((t("i"), t("lage_impact"))).eq(lage_impact));
    }
    if let Some(met) = filter.met_gemachtigde {
        let mut actief = Query::select();
        actief
            .expr(Expr::val(1))
            .from_as(t("machtiging"), t("m"))
            .and_where(Expr::col((t("m"), t("ouder_id"))).equals((t("a"), t("ouder_id"))))
            .and_where(Expr::col((t("m"), t("status"))).eq("actief"))
            .and_where(Expr::col((t("m"), t("geldig_tot"))).gt(crate::db::now_ms()));
        let bestaat = Expr::exists(actief);
        q.and_where(if met { bestaat } else { bestaat.not() });
    }
    match filter.toegewezen {
        Some(Some(id)) => {
            q.and_where(Expr::col((t("b"), t("behandelaar_id"))).eq(id.to_string()));
        }
        Some(None) => {
            q.and_where(Expr::col((t("b"), t("behandelaar_id"))).is_null());
        }
        None => {}
    }
    if let Some(r) = &filter.referentie {
        q.and_where(Expr::col((t("i"), t("referentie"))).eq(r.as_str()));
    }
    if let Some(id) = filter.aanvraag {
        q.and_where(Expr::col((t("i"), t("aanvraag_id"))).eq(id.to_string()));
    }
    if let Some(voor) = filter.ingediend_voor {
        q.and_where(Expr::col((t("i"), t("ingediend_op"))).lt(voor));
    }
    let mut count = q.clone();
    count.expr(Expr::col((t("i"), t("aanvraag_id"))).count());
    let backend = db.get_database_backend();
    let total: i64 = db
        .query_one_raw(backend.build(&count))
        .await?
        .map(|r| r.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    q.column((t("i"), t("aanvraag_id")))
        .column((t("i"), t("referentie")))
        .column((t("a"), t("status")))
        .column((t("i"), t("ingediend_op")))
        .column((t("i"), t("totaal")))
        .column((t("b"), t("behandelaar_id")))
        .column((t("b"), t("urgent")))
        .column((t("i"), t("lage_impact")))
        .order_by_expr(Expr::col((t("b"), t("urgent"))).if_null(false), Order::Desc)
        .order_by((t("i"), t("ingediend_op")), Order::Asc)
        .order_by((t("i"), t("aanvraag_id")), Order::Asc)
        .limit(limit)
        .offset(offset);
    let rows = db.query_all_raw(backend.build(&q)).await?;
    let rij = |r: &QueryResult| -> Result<Wachtrij, DbErr> {
        Ok(Wachtrij {
            aanvraag: r.try_get_by_index(0)?,
            referentie: r.try_get_by_index(1)?,
            status: r.try_get_by_index(2)?,
            ingediend_op: r.try_get_by_index(3)?,
            totaal: r.try_get_by_index(4)?,
            behandelaar: r.try_get_by_index(5)?,
            urgent: r.try_get_by_index::<Option<bool>>(6)?.unwrap_or(false),
            lage_impact: r.try_get_by_index(7)?,
        })
    };
    let rows = rows.iter().map(rij).collect::<Result<Vec<_>, _>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

pub mod notitie {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notitie")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub aanvraag_id: String,
        pub door_persoon: String,
        pub tekst: String,
        pub op: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use notitie::Model as NotitieRij;

pub async fn voeg_notitie_toe(db: &impl ConnectionTrait, rij: NotitieRij) -> Result<(), DbErr> {
    notitie::ActiveModel::from(rij).insert(db).await.map(|_| ())
}

pub async fn notities(db: &impl ConnectionTrait, aanvraag: Uuid) -> Result<Vec<NotitieRij>, DbErr> {
    use sea_orm::QueryOrder;
    notitie::Entity::find()
        .filter(notitie::Column::AanvraagId.eq(aanvraag.to_string()))
        .order_by_asc(notitie::Column::Op)
        .order_by_asc(notitie::Column::Id)
        .all(db)
        .await
}
