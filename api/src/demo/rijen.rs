//! The rows of one batch of seeded parents, per table, and writing them with multi-row INSERTs.
//! The entities are the capabilities' own (their `store` modules), so a column the app adds is a
//! compile error here rather than a silently different row.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Iterable, ModelTrait,
};

use crate::audit::store::{auditregel, verwerking};
use crate::claims::afwikkeling_store::{aanbod, postbeoordeling};
use crate::claims::behandeling::entity as behandeling;
use crate::claims::store::{entity as aanvraag, indiening, overgang};
use crate::gegevens::store::{bevraging, bevraging_bron, gegeven, toestemming};
use crate::gesprek::store::{bezetting, gesprek};
use crate::identity::sessions::sessie;
use crate::identity::store::entity as persoon;
use crate::machtiging::store::machtiging;

/// Rows written per table, and the time their INSERTs took (to see what dominates a run).
pub type Telling = BTreeMap<&'static str, (u64, Duration)>;

/// Bind parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const PARAMETERS: usize = 30_000;

#[derive(Default)]
pub struct Rijen {
    pub persoon: Vec<persoon::Model>,
    pub sessie: Vec<sessie::Model>,
    pub aanvraag: Vec<aanvraag::Model>,
    pub overgang: Vec<overgang::Model>,
    pub indiening: Vec<indiening::Model>,
    pub behandeling: Vec<behandeling::Model>,
    pub postbeoordeling: Vec<postbeoordeling::Model>,
    pub aanbod: Vec<aanbod::Model>,
    pub toestemming: Vec<toestemming::Model>,
    pub bevraging: Vec<bevraging::Model>,
    pub bevraging_bron: Vec<bevraging_bron::Model>,
    pub gegeven: Vec<gegeven::Model>,
    pub machtiging: Vec<machtiging::Model>,
    pub gesprek: Vec<gesprek::Model>,
    pub bezetting: Vec<bezetting::Model>,
    pub auditregel: Vec<auditregel::Model>,
    pub verwerking: Vec<verwerking::Model>,
}

/// Writes `rijen` in statements of at most [`PARAMETERS`] values.
async fn schrijf<M, A>(
    db: &impl ConnectionTrait,
    rijen: Vec<M>,
    telling: &mut Telling,
    tabel: &'static str,
) -> Result<(), DbErr>
where
    M: ModelTrait + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let kolommen = <<M::Entity as EntityTrait>::Column as Iterable>::iter().count();
    let per_statement = (PARAMETERS / kolommen.max(1)).max(1);
    let begin = Instant::now();
    let (n, tijd) = telling.entry(tabel).or_default();
    *n += rijen.len() as u64;
    let mut rest = rijen.into_iter().peekable();
    while rest.peek().is_some() {
        let stuk: Vec<A> = rest
            .by_ref()
            .take(per_statement)
            .map(IntoActiveModel::into_active_model)
            .collect();
        <M::Entity as EntityTrait>::insert_many(stuk)
            .exec_without_returning(db)
            .await?;
    }
    *tijd += begin.elapsed();
    Ok(())
}

impl Rijen {
    pub fn is_empty(&self) -> bool {
        self.persoon.is_empty()
    }

    /// Writes everything (inside the caller's transaction); adds the row counts to `telling`.
    pub async fn schrijf(
        self,
        db: &impl ConnectionTrait,
        telling: &mut Telling,
    ) -> Result<(), DbErr> {
        let t = telling;
        schrijf(db, self.persoon, t, "persoon").await?;
        schrijf(db, self.sessie, t, "sessie").await?;
        schrijf(db, self.aanvraag, t, "aanvraag").await?;
        schrijf(db, self.overgang, t, "statusovergang").await?;
        schrijf(db, self.indiening, t, "indiening").await?;
        schrijf(db, self.behandeling, t, "behandeling").await?;
        schrijf(db, self.postbeoordeling, t, "postbeoordeling").await?;
        schrijf(db, self.aanbod, t, "aanbod").await?;
        schrijf(db, self.toestemming, t, "toestemming").await?;
        schrijf(db, self.bevraging, t, "bevraging").await?;
        schrijf(db, self.bevraging_bron, t, "bevraging_bron").await?;
        schrijf(db, self.gegeven, t, "opgehaald_gegeven").await?;
        schrijf(db, self.machtiging, t, "machtiging").await?;
        schrijf(db, self.gesprek, t, "gesprek").await?;
        schrijf(db, self.bezetting, t, "bezetting").await?;
        schrijf(db, self.auditregel, t, "auditregel").await?;
        schrijf(db, self.verwerking, t, "verwerking").await?;
        Ok(())
    }
}
