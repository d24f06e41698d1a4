//! One retention round. Each claim is handled in its own transaction with its audit line, so a
//! round cut short leaves every claim either untouched or done; stored files go after the commit
//! (a crash in between leaves an orphan file, never a row without its file).

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::regels::{Grenzen, grenzen};
use crate::AppState;
use crate::audit::{self, Regel, Uitkomst};
use crate::db;
use crate::http::ApiError;

/// Wat een ronde deed.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"conceptenVerwijderd": 3, "afgerondGeanonimiseerd": 1, "sessiesOpgeruimd": 120}))]
pub struct Ronde {
    pub concepten_verwijderd: u64,
    pub afgerond_geanonimiseerd: u64,
    pub sessies_opgeruimd: u64,
}

/// Tables that hang under a claim.
const ONDER_AANVRAAG: [&str; 10] = [
    "bewijsstuk",
    "statusovergang",
    "indiening",
    "behandeling",
    "notitie",
    "postbeoordeling",
    "behandelvraag",
    "aanbod",
    "bankrekening",
    "betaling",
];

fn stmt(db: &impl ConnectionTrait, sql: &str, waarden: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(db.get_database_backend(), sql, waarden)
}

async fn paren(
    db: &impl ConnectionTrait,
    sql: &str,
    grens: i64,
) -> Result<Vec<(String, String)>, DbErr> {
    let rijen = db.query_all_raw(stmt(db, sql, vec![grens.into()])).await?;
    rijen
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

async fn sleutels(db: &impl ConnectionTrait, aanvraag: &str) -> Result<Vec<String>, DbErr> {
    let rijen = db
        .query_all_raw(stmt(
            db,
            "SELECT opslag_sleutel FROM bewijsstuk WHERE aanvraag_id = $1",
            vec![aanvraag.into()],
        ))
        .await?;
    rijen.iter().map(|r| r.try_get_by_index(0)).collect()
}

async fn voer_uit(db: &impl ConnectionTrait, sql: &str, waarde: &str) -> Result<u64, DbErr> {
    Ok(db
        .execute_raw(stmt(db, sql, vec![waarde.into()]))
        .await?
        .rows_affected())
}

async fn vastleggen(
    db: &impl ConnectionTrait,
    state: &AppState,
    ouder: Option<Uuid>,
    actie: &str,
    resource: &str,
) -> Result<(), DbErr> {
    audit::record(
        db,
        &state.vault,
        &Regel {
            actor: None,
            namens: ouder,
            actie,
            resource,
            uitkomst: Uitkomst::Gelukt,
            reden: Some("bewaartermijn verstreken"),
            trace_id: "",
            verwerkingsactiviteit: "bewaren/v1",
            start_ms: db::now_ms(),
        },
    )
    .await
}

async fn wis_bestanden(state: &AppState, sleutels: &[String]) {
    for s in sleutels {
        if let Err(e) = state.bewijs.opslag.verwijder(s).await {
            tracing::warn!(error = %e, "bestand van een verlopen aanvraag niet verwijderd; het blijft als wees achter");
        }
    }
}

/// Drafts untouched past their term: gone, with everything under them.
async fn concepten(state: &AppState, g: &Grenzen) -> Result<u64, DbErr> {
    let sql = "SELECT id, ouder_id FROM aanvraag WHERE status = 'concept' AND gewijzigd_op < $1";
    let mut n = 0;
    for (id, ouder) in paren(&state.db, sql, g.concept).await? {
        let tx = db::begin_write(&state.db).await?;
        let weg = sleutels(&tx, &id).await?;
        for tabel in ONDER_AANVRAAG {
            voer_uit(
                &tx,
                &format!("DELETE FROM {tabel} WHERE aanvraag_id = $1"),
                &id,
            )
            .await?;
        }
        voer_uit(&tx, "DELETE FROM aanvraag WHERE id = $1", &id).await?;
        vastleggen(
            &tx,
            state,
            ouder.parse().ok(),
            "bewaartermijn-concept-verwijderd",
            &format!("aanvragen/{id}"),
        )
        .await?;
        tx.commit().await?;
        wis_bestanden(state, &weg).await;
        n += 1;
    }
    Ok(n)
}

/// Claims that ended long enough ago: what the parent told us goes; status, dates and amounts
/// (the settlement itself) stay.
async fn afgerond(state: &AppState, g: &Grenzen) -> Result<u64, DbErr> {
    let sql = "SELECT id, ouder_id FROM aanvraag WHERE status IN ('akkoord', 'ingetrokken') \
               AND gewijzigd_op < $1 AND antwoorden <> '{}'";
    let mut n = 0;
    for (id, ouder) in paren(&state.db, sql, g.afgerond).await? {
        let tx = db::begin_write(&state.db).await?;
        let weg = sleutels(&tx, &id).await?;
        voer_uit(&tx, "UPDATE aanvraag SET antwoorden = '{}', keuzes = '{}', opgeslagen_stappen = '[]', opgehaald = '{}' WHERE id = $1", &id).await?;
        for sql in [
            "DELETE FROM bewijsstuk WHERE aanvraag_id = $1",
            "DELETE FROM bankrekening WHERE aanvraag_id = $1",
            "DELETE FROM notitie WHERE aanvraag_id = $1",
            "UPDATE behandelvraag SET vraag = '', antwoord = NULL WHERE aanvraag_id = $1",
            "UPDATE statusovergang SET reden = NULL WHERE aanvraag_id = $1",
        ] {
            voer_uit(&tx, sql, &id).await?;
        }
        // Retrieved data serves the claims: gone once no claim of the parent is still open.
        voer_uit(&tx, "DELETE FROM opgehaald_gegeven WHERE ouder_id = $1 AND NOT EXISTS \
            (SELECT 1 FROM aanvraag WHERE ouder_id = $1 AND status NOT IN ('akkoord', 'ingetrokken'))", &ouder).await?;
        vastleggen(
            &tx,
            state,
            ouder.parse().ok(),
            "bewaartermijn-aanvraag-geanonimiseerd",
            &format!("aanvragen/{id}"),
        )
        .await?;
        tx.commit().await?;
        wis_bestanden(state, &weg).await;
        n += 1;
    }
    Ok(n)
}

async fn sessies(state: &AppState, g: &Grenzen) -> Result<u64, DbErr> {
    let tx = db::begin_write(&state.db).await?;
    let grens = g.sessies.to_string();
    let oud = "COALESCE(ingetrokken_op, laatst_gebruikt_op) < CAST($1 AS BIGINT)";
    voer_uit(
        &tx,
        &format!(
            "DELETE FROM verversingstoken WHERE sessie_id IN (SELECT id FROM sessie WHERE {oud})"
        ),
        &grens,
    )
    .await?;
    let n = voer_uit(&tx, &format!("DELETE FROM sessie WHERE {oud}"), &grens).await?;
    let nu = db::now_ms().to_string();
    for tabel in ["inlogpoging", "eenmalige_code"] {
        voer_uit(
            &tx,
            &format!("DELETE FROM {tabel} WHERE verloopt_op < CAST($1 AS BIGINT)"),
            &nu,
        )
        .await?;
    }
    if n > 0 {
        vastleggen(
            &tx,
            state,
            None,
            "bewaartermijn-sessies-opgeruimd",
            "sessies",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// What a round would do now, changing nothing.
pub async fn proef(state: &AppState) -> Result<Ronde, ApiError> {
    let g = grenzen(&state.settings.bewaren, chrono::Utc::now());
    let tel = |sql: &'static str, grens: i64| async move {
        let rij = state
            .db
            .query_one_raw(stmt(&state.db, sql, vec![grens.into()]))
            .await?;
        Ok::<u64, DbErr>(rij.map_or(0, |r| {
            r.try_get_by_index::<i64>(0).unwrap_or(0).max(0) as u64
        }))
    };
    Ok(Ronde {
        concepten_verwijderd: tel("SELECT COUNT(*) FROM aanvraag WHERE status = 'concept' AND gewijzigd_op < $1", g.concept).await?,
        afgerond_geanonimiseerd: tel("SELECT COUNT(*) FROM aanvraag WHERE status IN ('akkoord', 'ingetrokken') AND gewijzigd_op < $1 AND antwoorden <> '{}'", g.afgerond).await?,
        sessies_opgeruimd: tel("SELECT COUNT(*) FROM sessie WHERE COALESCE(ingetrokken_op, laatst_gebruikt_op) < $1", g.sessies).await?,
    })
}

pub async fn ronde(state: &AppState) -> Result<Ronde, ApiError> {
    let g = grenzen(&state.settings.bewaren, chrono::Utc::now());
    let r = Ronde {
        concepten_verwijderd: concepten(state, &g).await?,
        afgerond_geanonimiseerd: afgerond(state, &g).await?,
        sessies_opgeruimd: sessies(state, &g).await?,
    };
    tracing::info!(
        concepten = r.concepten_verwijderd,
        afgerond = r.afgerond_geanonimiseerd,
        sessies = r.sessies_opgeruimd,
        "bewaartermijnen toegepast"
    );
    Ok(r)
}
