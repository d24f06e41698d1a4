//! `mijn-herstel seed-demo --ouders N`: the whole population for benchmarks and demos — N
//! parents with claims in every status, answers, calculations, submissions, assignments, offers,
//! consents and retrieved data, mandates, conversations and audit lines (see [`super::ouder`]).
//!
//! Fast: rows are made in a blocking thread while the previous batch is written, and written as
//! multi-row INSERTs, one transaction per batch of parents (a few thousand rows). Idempotent:
//! ids derive from the parent's index and a parent is written with all of their rows in one
//! transaction, so a parent whose row exists is complete and is skipped; a second run with the
//! same N adds nothing, a larger N adds only the new parents.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::gesprekken::{self, Agenda};
use super::ouder::{self, Context};
use super::rijen::{Rijen, Telling};
use super::sleutel;
use crate::config::Settings;
use crate::identity::persona::{PERSONAS, Persona};
use crate::identity::sessions::sessie;
use crate::identity::store::entity as persoon;
use crate::identity::tokens::TokenService;
use crate::identity::vault::BsnVault;
use crate::wizard::Inhoud;

pub const STANDAARD_PER_TRANSACTIE: u64 = 1_000;

#[derive(Debug, Clone)]
pub struct Opties {
    /// Parents with index `0..ouders`.
    pub ouders: u64,
    /// Parents per transaction. 1,000 parents are about 17,000 rows: every commit of SQLite
    /// checkpoints the WAL into the file, and fewer, larger transactions cut a 70,000-parent run
    /// from 76 s (250 per transaction) to 49 s there, and from 74 s to 61 s on PostgreSQL.
    pub per_transactie: u64,
}

impl Opties {
    pub fn new(ouders: u64) -> Opties {
        Opties {
            ouders,
            per_transactie: STANDAARD_PER_TRANSACTIE,
        }
    }
}

#[derive(Debug, Default)]
pub struct Rapport {
    /// Parents written by this run.
    pub nieuw: u64,
    /// Parents that were there already (an earlier run).
    pub aanwezig: u64,
    /// Rows written per table, with the time their INSERTs took.
    pub rijen: Telling,
    /// Time spent making rows (on its own thread, overlapping the writing).
    pub maken: Duration,
    pub duur: Duration,
}

impl Rapport {
    pub fn totaal_rijen(&self) -> u64 {
        self.rijen.values().map(|(n, _)| n).sum()
    }
}

/// The parents of `0..n` that exist already.
async fn aanwezig(db: &impl ConnectionTrait, n: u64) -> Result<HashSet<u64>, DbErr> {
    let mut gevonden = HashSet::new();
    let mut start = 0;
    while start < n {
        let einde = (start + 5_000).min(n);
        let ids: HashMap<String, u64> = (start..einde)
            .map(|i| (sleutel::ouder(i).to_string(), i))
            .collect();
        let rijen: Vec<String> = persoon::Entity::find()
            .select_only()
            .column(persoon::Column::Id)
            .filter(persoon::Column::Id.is_in(ids.keys().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        gevonden.extend(rijen.iter().filter_map(|id| ids.get(id)));
        start = einde;
    }
    Ok(gevonden)
}

/// What the seeder needs besides the connection; owned, as the rows are made on another thread.
pub struct Bronnen {
    pub vault: Arc<BsnVault>,
    pub inhoud: Arc<Inhoud>,
    pub settings: Arc<Settings>,
}

/// Seeds the test persons (the population refers to the demo staff and lawyer) and then the
/// parents `0..opties.ouders` that are not there yet.
pub async fn seed(
    db: &DatabaseConnection,
    bronnen: Bronnen,
    opties: &Opties,
) -> Result<Rapport, DbErr> {
    let begin = Instant::now();
    super::seed(db, &bronnen.vault).await?;
    gesprekken::zorg_voor_roosters(db).await?;
    persona_sessies(db).await?;
    let er_al = aanwezig(db, opties.ouders).await?;
    let nieuw: Vec<u64> = (0..opties.ouders).filter(|i| !er_al.contains(i)).collect();
    let mut rapport = Rapport {
        aanwezig: er_al.len() as u64,
        nieuw: nieuw.len() as u64,
        ..Rapport::default()
    };
    let nu = chrono::Utc::now();
    let regels = bronnen
        .settings
        .gesprekken
        .typen
        .get(gesprekken::SOORT)
        .map(|t| t.regels())
        .ok_or_else(|| DbErr::Custom(format!("gesprekssoort {} ontbreekt", gesprekken::SOORT)))?;
    let agenda = Agenda::laad(db, regels, nu).await?;

    // Two batches in flight: one being made, one being written.
    let (zender, mut ontvanger) = tokio::sync::mpsc::channel::<Result<Rijen, DbErr>>(2);
    let per = usize::try_from(opties.per_transactie.max(1)).unwrap_or(1);
    let maker = tokio::task::spawn_blocking(move || {
        let mut agenda = agenda;
        let ctx = Context {
            vault: &bronnen.vault,
            inhoud: &bronnen.inhoud,
            settings: &bronnen.settings,
            nu: nu.timestamp_millis(),
        };
        let mut maken = Duration::ZERO;
        for deel in nieuw.chunks(per) {
            let begin = Instant::now();
            let mut rijen = Rijen::default();
            let gemaakt = deel
                .iter()
                .try_for_each(|i| ouder::bouw(&ctx, &mut agenda, *i, &mut rijen))
                .map(|()| rijen);
            maken += begin.elapsed();
            let fout = gemaakt.is_err();
            if zender.blocking_send(gemaakt).is_err() || fout {
                break;
            }
        }
        maken
    });
    let totaal = rapport.nieuw.max(1);
    let mut klaar = 0u64;
    let mut gemeld = 0u64;
    while let Some(rijen) = ontvanger.recv().await {
        let rijen = rijen?;
        klaar += rijen.persoon.len() as u64;
        let tx = crate::db::begin_write(db).await?;
        if db.get_database_backend() == DbBackend::Sqlite {
            // SQLite's default page cache is 2 MiB; the indexes on random ids that a bulk load
            // touches are larger, and every miss is a read. For this connection only.
            tx.execute_unprepared("PRAGMA cache_size = -262144").await?;
        }
        rijen.schrijf(&tx, &mut rapport.rijen).await?;
        tx.commit().await?;
        if klaar * 10 / totaal > gemeld {
            gemeld = klaar * 10 / totaal;
            tracing::info!(ouders = klaar, van = rapport.nieuw, "populatie: bezig");
        }
    }
    rapport.maken = maker
        .await
        .map_err(|e| DbErr::Custom(format!("populatie maken mislukt: {e}")))?;
    // Fresh statistics, as an operator would after a bulk load: otherwise PostgreSQL plans the
    // first queries against the empty tables it last analysed.
    if rapport.nieuw > 0 && db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    rapport.duur = begin.elapsed();
    Ok(rapport)
}

/// The session of test person `persona` that [`seed`] opens, so the load client can act as the
/// demo lawyer or behandelaar without the login dance.
pub fn persona_sessie(persona: &Persona) -> Uuid {
    sleutel::id(&format!("sessie/{}", persona.id), 0)
}

/// Opens a session for every test person who has none from this seeder (left alone otherwise).
async fn persona_sessies(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let nu = crate::db::now_ms();
    for p in &PERSONAS {
        let id = persona_sessie(p).to_string();
        if sessie::Entity::find_by_id(id.clone())
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        sessie::ActiveModel::from(sessie::Model {
            id,
            persoon_id: p.id.into(),
            provider: super::provider_for(p.soort).into(),
            betrouwbaarheidsniveau: None,
            aangemaakt_op: nu,
            laatst_gebruikt_op: nu,
            ingetrokken_op: None,
            reden_intrekking: None,
            namens_id: None,
        })
        .insert(db)
        .await?;
    }
    Ok(())
}

/// An access token for test person `persona` on their seeded session.
pub fn persona_token(tokens: &TokenService, persona: &Persona) -> String {
    let rollen = persona.rollen.iter().map(|r| r.to_string()).collect();
    tokens.issue(tokens.access_claims(
        persona.id,
        &persona_sessie(persona).to_string(),
        persona.soort.as_str(),
        rollen,
        None,
    ))
}

/// An access token for seeded parent `i`, on the session the seeder gave them (`None` when they
/// have none, see [`ouder::heeft_sessie`]). The development IdP only knows the test persons; the
/// load client (`bench/last`) and the tests act as seeded parents this way, signed with the
/// server's own key, so the server checks these tokens and sessions exactly as it checks a login's.
pub fn toegangstoken(tokens: &TokenService, i: u64) -> Option<String> {
    ouder::heeft_sessie(i).then(|| {
        tokens.issue(tokens.access_claims(
            &sleutel::ouder(i).to_string(),
            &sleutel::sessie(i).to_string(),
            "ouder",
            Vec::new(),
            Some("http://eidas.europa.eu/LoA/substantial".into()),
        ))
    })
}
