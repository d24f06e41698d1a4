//! Storage of assessment and settlement: post decisions, questions to the parent, offers, the
//! payout account and the payments. Plain entities; the rules live in [`super::afwikkeling`].

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, DbErr, QueryOrder, QuerySelect};
use uuid::Uuid;

macro_rules! entiteit {
    ($mod:ident, $table:literal, { $($body:tt)* }) => {
        pub mod $mod {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model { $($body)* }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

entiteit!(postbeoordeling, "postbeoordeling", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub aanvraag_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub post_id: String,
    pub besluit: String,
    pub bedrag: i64,
    pub reden: Option<String>,
    pub door_persoon: String,
    pub op: i64,
});

entiteit!(behandelvraag, "behandelvraag", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub aanvraag_id: String,
    pub post_id: Option<String>,
    pub vraag: String,
    pub gesteld_door: String,
    pub gesteld_op: i64,
    pub antwoord: Option<String>,
    pub beantwoord_door: Option<String>,
    pub beantwoord_op: Option<i64>,
});

entiteit!(aanbod, "aanbod", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub aanvraag_id: String,
    pub volgnummer: i32,
    pub status: String,
    pub totaal: i64,
    /// JSON: the lines (`afwikkeling::Aanbodregel`).
    pub posten: String,
    /// JSON: the pending procedures on the same damage that accepting withdraws.
    pub procedures: String,
    pub toelichting: String,
    pub gemaakt_door: String,
    pub gemaakt_op: i64,
    pub goedgekeurd_door: Option<String>,
    pub uitgebracht_op: Option<i64>,
    pub reageren_voor: Option<i64>,
    pub verlengd: bool,
    pub reactie_op: Option<i64>,
    pub reactie_door: Option<String>,
    pub reden: Option<String>,
    pub ingetrokken_procedures: Option<String>,
});

entiteit!(bankrekening, "bankrekening", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub aanvraag_id: String,
    pub iban_verzegeld: String,
    pub iban_laatste: String,
    pub rekeninghouder: String,
    pub bewindvoerder: bool,
    pub gewijzigd_door: String,
    pub gewijzigd_op: i64,
});

entiteit!(betaling, "betaling", {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub aanvraag_id: String,
    pub status: String,
    pub bedrag: i64,
    pub door_persoon: String,
    pub op: i64,
});

pub use aanbod::Model as AanbodRij;
pub use bankrekening::Model as RekeningRij;
pub use behandelvraag::Model as VraagRij;
pub use betaling::Model as BetalingRij;
pub use postbeoordeling::Model as BeoordelingRij;

/// A later decision on the same post replaces the earlier one (the audit log keeps both).
pub async fn beoordeel(db: &impl ConnectionTrait, rij: BeoordelingRij) -> Result<(), DbErr> {
    use postbeoordeling::Column as C;
    postbeoordeling::Entity::insert(postbeoordeling::ActiveModel::from(rij).reset_all())
        .on_conflict(
            OnConflict::columns([C::AanvraagId, C::PostId])
                .update_columns([C::Besluit, C::Bedrag, C::Reden, C::DoorPersoon, C::Op])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn beoordelingen(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
) -> Result<Vec<BeoordelingRij>, DbErr> {
    postbeoordeling::Entity::find()
        .filter(postbeoordeling::Column::AanvraagId.eq(aanvraag.to_string()))
        .order_by_asc(postbeoordeling::Column::PostId)
        .all(db)
        .await
}

pub async fn stel_vraag(db: &impl ConnectionTrait, rij: VraagRij) -> Result<(), DbErr> {
    behandelvraag::ActiveModel::from(rij)
        .insert(db)
        .await
        .map(|_| ())
}

pub async fn vragen(db: &impl ConnectionTrait, aanvraag: Uuid) -> Result<Vec<VraagRij>, DbErr> {
    behandelvraag::Entity::find()
        .filter(behandelvraag::Column::AanvraagId.eq(aanvraag.to_string()))
        .order_by_asc(behandelvraag::Column::GesteldOp)
        .order_by_asc(behandelvraag::Column::Id)
        .all(db)
        .await
}

/// How many questions are still open per claim, for these claims (absent: none), in one query.
pub async fn open_vragen(
    db: &impl ConnectionTrait,
    aanvragen: &[&str],
) -> Result<Vec<(String, i64)>, DbErr> {
    if aanvragen.is_empty() {
        return Ok(Vec::new());
    }
    behandelvraag::Entity::find()
        .select_only()
        .column(behandelvraag::Column::AanvraagId)
        .column_as(behandelvraag::Column::Id.count(), "n")
        .filter(behandelvraag::Column::AanvraagId.is_in(aanvragen.iter().copied()))
        .filter(behandelvraag::Column::BeantwoordOp.is_null())
        .group_by(behandelvraag::Column::AanvraagId)
        .into_tuple()
        .all(db)
        .await
}

/// Stores the answer if the question is still open; `false` when it was answered already (by
/// a concurrent request too: the condition is in the UPDATE).
pub async fn beantwoord(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
    vraag: Uuid,
    antwoord: &str,
    door: Uuid,
    op: i64,
) -> Result<bool, DbErr> {
    use behandelvraag::Column as C;
    let r = behandelvraag::Entity::update_many()
        .col_expr(C::Antwoord, Expr::value(antwoord))
        .col_expr(C::BeantwoordDoor, Expr::value(door.to_string()))
        .col_expr(C::BeantwoordOp, Expr::value(op))
        .filter(C::Id.eq(vraag.to_string()))
        .filter(C::AanvraagId.eq(aanvraag.to_string()))
        .filter(C::BeantwoordOp.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn aanbiedingen(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
) -> Result<Vec<AanbodRij>, DbErr> {
    aanbod::Entity::find()
        .filter(aanbod::Column::AanvraagId.eq(aanvraag.to_string()))
        .order_by_asc(aanbod::Column::Volgnummer)
        .all(db)
        .await
}

pub async fn wachtend_op_goedkeuring(db: &impl ConnectionTrait) -> Result<Vec<AanbodRij>, DbErr> {
    aanbod::Entity::find()
        .filter(aanbod::Column::Status.eq("wacht-op-goedkeuring"))
        .order_by_asc(aanbod::Column::GemaaktOp)
        .limit(100)
        .all(db)
        .await
}

pub async fn aanbod_van(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<AanbodRij>, DbErr> {
    aanbod::Entity::find_by_id(id.to_string()).one(db).await
}

pub async fn voeg_aanbod_toe(db: &impl ConnectionTrait, rij: AanbodRij) -> Result<(), DbErr> {
    aanbod::ActiveModel::from(rij).insert(db).await.map(|_| ())
}

/// Moves an offer on from status `van` (sets `status` and the given columns), only if it still
/// has status `van`, so two answers at once cannot both win; `false` otherwise.
pub async fn zet_aanbod(
    db: &impl ConnectionTrait,
    id: &str,
    van: &str,
    naar: &str,
    kolommen: Vec<(aanbod::Column, sea_orm::Value)>,
) -> Result<bool, DbErr> {
    let mut upd = aanbod::Entity::update_many()
        .col_expr(aanbod::Column::Status, Expr::value(naar))
        .filter(aanbod::Column::Id.eq(id))
        .filter(aanbod::Column::Status.eq(van));
    for (col, val) in kolommen {
        upd = upd.col_expr(col, Expr::value(val));
    }
    Ok(upd.exec(db).await?.rows_affected == 1)
}

pub async fn rekening(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
) -> Result<Option<RekeningRij>, DbErr> {
    bankrekening::Entity::find_by_id(aanvraag.to_string())
        .one(db)
        .await
}

pub async fn zet_rekening(db: &impl ConnectionTrait, rij: RekeningRij) -> Result<(), DbErr> {
    use bankrekening::Column as C;
    bankrekening::Entity::insert(bankrekening::ActiveModel::from(rij).reset_all())
        .on_conflict(
            OnConflict::column(C::AanvraagId)
                .update_columns([
                    C::IbanVerzegeld,
                    C::IbanLaatste,
                    C::Rekeninghouder,
                    C::Bewindvoerder,
                    C::GewijzigdDoor,
                    C::GewijzigdOp,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Records a payment status once (a unique index per claim and status): `false` if it was
/// recorded already.
pub async fn voeg_betaling_toe(db: &impl ConnectionTrait, rij: BetalingRij) -> Result<bool, DbErr> {
    use betaling::Column as C;
    let r = betaling::Entity::insert(betaling::ActiveModel::from(rij).reset_all())
        .on_conflict(
            OnConflict::columns([C::AanvraagId, C::Status])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(r == 1)
}

pub async fn betalingen(
    db: &impl ConnectionTrait,
    aanvraag: Uuid,
) -> Result<Vec<BetalingRij>, DbErr> {
    betaling::Entity::find()
        .filter(betaling::Column::AanvraagId.eq(aanvraag.to_string()))
        .order_by_asc(betaling::Column::Op)
        .all(db)
        .await
}
