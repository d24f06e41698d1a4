//! The notification tables (with `adres_store`, the only place that touches them): the outbox
//! and the inbox here.

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{Condition, ConnectionTrait, DbErr, QueryOrder, QuerySelect};

pub mod uitgaand {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "uitgaand_bericht")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub persoon_id: Option<String>,
        pub soort: String,
        pub taal: String,
        pub ontvanger: String,
        pub onderwerp: String,
        pub tekst: String,
        pub html: String,
        pub bijlagen: Option<String>,
        pub message_id: String,
        pub sleutel: Option<String>,
        pub status: String,
        pub pogingen: i32,
        pub niet_voor: i64,
        pub lease_tot: Option<i64>,
        pub lease_houder: Option<String>,
        pub laatste_fout: Option<String>,
        pub aangemaakt_op: i64,
        pub verzonden_op: Option<i64>,
        pub verzonden_door: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bericht {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bericht")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub persoon_id: String,
        pub soort: String,
        pub onderwerp: String,
        pub tekst: String,
        pub verwijzing: Option<String>,
        pub sleutel: Option<String>,
        pub zichtbaar_vanaf: i64,
        pub aangemaakt_op: i64,
        pub gelezen_op: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use bericht::Model as BerichtRij;
pub use uitgaand::Model as UitgaandRij;

// Settings and address verification live in `adres_store`; one `store` for the callers.
pub use super::adres_store::*;

pub const WACHTEND: &str = "wachtend";
pub const BEZIG: &str = "bezig";
pub const VERZONDEN: &str = "verzonden";
pub const MISLUKT: &str = "mislukt";
pub const GEANNULEERD: &str = "geannuleerd";

// ---- outbox -------------------------------------------------------------------------------

pub async fn voeg_uitgaand_toe(db: &impl ConnectionTrait, rij: UitgaandRij) -> Result<(), DbErr> {
    uitgaand::ActiveModel::from(rij)
        .insert(db)
        .await
        .map(|_| ())
}

/// Takes up to `n` due messages for `houder` until `lease_tot`: waiting ones whose time has come,
/// and taken ones whose lease ran out (their worker died). One write transaction: on PostgreSQL
/// the select locks with `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows; on
/// SQLite (no row locks; sea-query leaves the clause out) `BEGIN IMMEDIATE` makes the transaction
/// the only writer. The lease itself is one `UPDATE … RETURNING`.
///
/// Two statements on purpose: inside `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP
/// LOCKED)` PostgreSQL may run the subquery once per row, and one worker then took 489 of 500.
pub async fn neem(
    dbc: &sea_orm::DatabaseConnection,
    houder: &str,
    now: i64,
    lease_tot: i64,
    n: u64,
) -> Result<Vec<UitgaandRij>, DbErr> {
    use uitgaand::{Column, Entity};
    let due = Condition::any()
        .add(
            Condition::all()
                .add(Column::Status.eq(WACHTEND))
                .add(Column::NietVoor.lte(now)),
        )
        .add(
            Condition::all()
                .add(Column::Status.eq(BEZIG))
                .add(Column::LeaseTot.lt(now)),
        );
    let tx = crate::db::begin_write(dbc).await?;
    let ids: Vec<String> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(due.clone())
        .order_by_asc(Column::NietVoor)
        .limit(n)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_tuple()
        .all(&tx)
        .await?;
    if ids.is_empty() {
        tx.commit().await?;
        return Ok(Vec::new());
    }
    let mut rows = Entity::update_many()
        .col_expr(Column::Status, Expr::value(BEZIG))
        .col_expr(Column::LeaseTot, Expr::value(lease_tot))
        .col_expr(Column::LeaseHouder, Expr::value(houder))
        .filter(Column::Id.is_in(ids))
        .filter(due)
        .exec_with_returning(&tx)
        .await?;
    tx.commit().await?;
    rows.sort_by_key(|r| r.niet_voor);
    Ok(rows)
}

/// The outcome of one attempt, written only while the worker still holds the lease.
pub enum Uitkomst<'a> {
    Verzonden,
    /// Back to the queue at `niet_voor`; `telt` says whether the attempt counts toward the limit.
    Opnieuw {
        niet_voor: i64,
        fout: &'a str,
        telt: bool,
    },
    Mislukt {
        fout: &'a str,
    },
    /// Not sent: the person removed the address or opted out since it was queued.
    Vervallen {
        reden: &'a str,
    },
}

pub async fn leg_vast(
    db: &impl ConnectionTrait,
    id: &str,
    houder: &str,
    now: i64,
    uitkomst: Uitkomst<'_>,
) -> Result<bool, DbErr> {
    use uitgaand::{Column, Entity};
    let mut update = Entity::update_many()
        .col_expr(Column::LeaseTot, Expr::value(Option::<i64>::None))
        .col_expr(Column::LeaseHouder, Expr::value(Option::<String>::None));
    update = match uitkomst {
        Uitkomst::Verzonden => update
            .col_expr(Column::Status, Expr::value(VERZONDEN))
            .col_expr(Column::VerzondenOp, Expr::value(now))
            .col_expr(Column::VerzondenDoor, Expr::value(houder))
            .col_expr(Column::Pogingen, Expr::col(Column::Pogingen).add(1)),
        Uitkomst::Opnieuw {
            niet_voor,
            fout,
            telt,
        } => update
            .col_expr(Column::Status, Expr::value(WACHTEND))
            .col_expr(Column::NietVoor, Expr::value(niet_voor))
            .col_expr(Column::LaatsteFout, Expr::value(fout))
            .col_expr(
                Column::Pogingen,
                Expr::col(Column::Pogingen).add(i32::from(telt)),
            ),
        Uitkomst::Mislukt { fout } => update
            .col_expr(Column::Status, Expr::value(MISLUKT))
            .col_expr(Column::LaatsteFout, Expr::value(fout))
            .col_expr(Column::Pogingen, Expr::col(Column::Pogingen).add(1)),
        Uitkomst::Vervallen { reden } => update
            .col_expr(Column::Status, Expr::value(GEANNULEERD))
            .col_expr(Column::LaatsteFout, Expr::value(reden)),
    };
    let result = update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(BEZIG))
        .filter(Column::LeaseHouder.eq(houder))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Sends to `adres` instead of the queued one (the person confirmed a new address since).
pub async fn wijzig_ontvanger(
    db: &impl ConnectionTrait,
    id: &str,
    adres: &str,
) -> Result<(), DbErr> {
    use uitgaand::{Column, Entity};
    Entity::update_many()
        .col_expr(Column::Ontvanger, Expr::value(adres))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Forgets the text of a message that carried a secret (a verification code) once it is sent.
pub async fn wis_inhoud(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    use uitgaand::{Column, Entity};
    Entity::update_many()
        .col_expr(Column::Onderwerp, Expr::value("(verwijderd na verzending)"))
        .col_expr(Column::Tekst, Expr::value(""))
        .col_expr(Column::Html, Expr::value(""))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

/// Gives back every row `houder` still holds (graceful shutdown), untouched otherwise.
pub async fn geef_terug(db: &impl ConnectionTrait, houder: &str) -> Result<u64, DbErr> {
    use uitgaand::{Column, Entity};
    Ok(Entity::update_many()
        .col_expr(Column::Status, Expr::value(WACHTEND))
        .col_expr(Column::LeaseTot, Expr::value(Option::<i64>::None))
        .col_expr(Column::LeaseHouder, Expr::value(Option::<String>::None))
        .filter(Column::Status.eq(BEZIG))
        .filter(Column::LeaseHouder.eq(houder))
        .exec(db)
        .await?
        .rows_affected)
}

/// Cancels the waiting messages (and their unseen inbox entries) with `sleutel`.
pub async fn annuleer(db: &impl ConnectionTrait, sleutel: &str, now: i64) -> Result<(), DbErr> {
    uitgaand::Entity::update_many()
        .col_expr(uitgaand::Column::Status, Expr::value(GEANNULEERD))
        .filter(uitgaand::Column::Sleutel.eq(sleutel))
        .filter(uitgaand::Column::Status.eq(WACHTEND))
        .exec(db)
        .await?;
    bericht::Entity::delete_many()
        .filter(bericht::Column::Sleutel.eq(sleutel))
        .filter(bericht::Column::ZichtbaarVanaf.gt(now))
        .exec(db)
        .await?;
    Ok(())
}

/// Moves the waiting messages (and unseen inbox entries) with `sleutel` to `niet_voor`.
/// Returns whether there was one.
pub async fn verschuif(
    db: &impl ConnectionTrait,
    sleutel: &str,
    now: i64,
    niet_voor: i64,
) -> Result<bool, DbErr> {
    let moved = uitgaand::Entity::update_many()
        .col_expr(uitgaand::Column::NietVoor, Expr::value(niet_voor))
        .filter(uitgaand::Column::Sleutel.eq(sleutel))
        .filter(uitgaand::Column::Status.eq(WACHTEND))
        .exec(db)
        .await?
        .rows_affected;
    let shown = bericht::Entity::update_many()
        .col_expr(bericht::Column::ZichtbaarVanaf, Expr::value(niet_voor))
        .filter(bericht::Column::Sleutel.eq(sleutel))
        .filter(bericht::Column::ZichtbaarVanaf.gt(now))
        .exec(db)
        .await?
        .rows_affected;
    Ok(moved + shown > 0)
}

pub async fn uitgaand_met_status(
    db: &impl ConnectionTrait,
    status: &str,
    offset: u64,
    limit: u64,
) -> Result<(Vec<UitgaandRij>, u64), DbErr> {
    use uitgaand::{Column, Entity};
    let query = Entity::find().filter(Column::Status.eq(status));
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

pub async fn uitgaand(db: &impl ConnectionTrait, id: &str) -> Result<Option<UitgaandRij>, DbErr> {
    uitgaand::Entity::find_by_id(id.to_string()).one(db).await
}

/// A failed message back into the queue with a fresh attempt budget.
pub async fn opnieuw_in_wachtrij(
    db: &impl ConnectionTrait,
    id: &str,
    now: i64,
) -> Result<bool, DbErr> {
    use uitgaand::{Column, Entity};
    Ok(Entity::update_many()
        .col_expr(Column::Status, Expr::value(WACHTEND))
        .col_expr(Column::NietVoor, Expr::value(now))
        .col_expr(Column::Pogingen, Expr::value(0))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(MISLUKT))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

// ---- inbox --------------------------------------------------------------------------------

pub async fn voeg_bericht_toe(db: &impl ConnectionTrait, rij: BerichtRij) -> Result<(), DbErr> {
    bericht::ActiveModel::from(rij).insert(db).await.map(|_| ())
}

fn zichtbaar(persoon: Uuid, now: i64) -> Condition {
    Condition::all()
        .add(bericht::Column::PersoonId.eq(persoon.to_string()))
        .add(bericht::Column::ZichtbaarVanaf.lte(now))
}

pub async fn berichten(
    db: &impl ConnectionTrait,
    persoon: Uuid,
    now: i64,
    alleen_ongelezen: bool,
    offset: u64,
    limit: u64,
) -> Result<(Vec<BerichtRij>, u64), DbErr> {
    use bericht::{Column, Entity};
    let mut cond = zichtbaar(persoon, now);
    if alleen_ongelezen {
        cond = cond.add(Column::GelezenOp.is_null());
    }
    let query = Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(Column::ZichtbaarVanaf)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

pub async fn ongelezen(db: &impl ConnectionTrait, persoon: Uuid, now: i64) -> Result<u64, DbErr> {
    bericht::Entity::find()
        .filter(zichtbaar(persoon, now).add(bericht::Column::GelezenOp.is_null()))
        .count(db)
        .await
}

pub async fn bericht(
    db: &impl ConnectionTrait,
    persoon: Uuid,
    id: Uuid,
    now: i64,
) -> Result<Option<BerichtRij>, DbErr> {
    bericht::Entity::find()
        .filter(zichtbaar(persoon, now).add(bericht::Column::Id.eq(id.to_string())))
        .one(db)
        .await
}

pub async fn markeer(
    db: &impl ConnectionTrait,
    persoon: Uuid,
    id: Uuid,
    now: i64,
    gelezen: bool,
) -> Result<bool, DbErr> {
    use bericht::{Column, Entity};
    let value = gelezen.then_some(now);
    let mut update = Entity::update_many()
        .col_expr(Column::GelezenOp, Expr::value(value))
        .filter(zichtbaar(persoon, now).add(Column::Id.eq(id.to_string())));
    if gelezen {
        // The first reading is what counts; marking again keeps it.
        update = update.filter(Column::GelezenOp.is_null());
    }
    update.exec(db).await?;
    Ok(bericht(db, persoon, id, now).await?.is_some())
}
