//! Starting, answering, changing and ending a mandate. Each way in is confirmed by the party
//! that did not take the initiative (NORA); a request by a representative reveals nothing about
//! the parent until the parent accepts. Every access goes through the one authorisation
//! function, every change is audited and the other party is told.

use chrono::{Days, NaiveDate, TimeZone};
use uuid::Uuid;

use super::bevoegdheid::{Bevoegdheid, Machtigingsstatus, STANDAARD};
use super::model::*;
use super::store::{self, MachtigingRij};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::bsn::Bsn;
use crate::identity::toegang::{self, Actie, Relatie, Toegang};
use crate::notify::{self, Melding, Soort};

pub const OUDER: &str = "ouder";
pub const GEMACHTIGDE: &str = "gemachtigde";
/// A court appointment, registered by a behandelaar from the decision.
pub const BEHANDELAAR: &str = "behandelaar";

pub fn verloop_sleutel(id: &str) -> String {
    format!("machtiging-verlopen:{id}")
}

/// The end of `dag` (Europe/Amsterdam), as epoch ms; refused when past or beyond the limit.
pub(super) fn einde(state: &AppState, dag: NaiveDate, pad: &str) -> Result<i64, ApiError> {
    let vandaag = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let max = state.settings.claims.machtiging_uiterlijk_tot;
    if dag < vandaag || dag > max {
        return Err(ApiError::invalid(vec![FieldError::body(
            pad,
            "buiten-termijn",
            format!(
                "Kies een einddatum van vandaag tot en met {max} (het einde van de hersteloperatie)."
            ),
        )]));
    }
    let volgende = dag.checked_add_days(Days::new(1)).unwrap_or(dag);
    Ok(chrono_tz::Europe::Amsterdam
        .from_local_datetime(&volgende.and_hms_opt(0, 0, 0).expect("middernacht"))
        .earliest()
        .map_or(i64::MAX, |t| t.timestamp_millis()))
}

pub(super) fn codes(b: &[Bevoegdheid]) -> String {
    let mut v: Vec<&str> = b.iter().map(|b| b.code()).collect();
    v.sort_unstable();
    v.dedup();
    serde_json::to_string(&v).unwrap_or_else(|_| "[]".into())
}

pub(super) fn conflict(detail: &str) -> ApiError {
    ApiError::new(ProblemType::Conflict, detail.to_string())
}

/// Decides access to one mandate: its parent, or its representative (not a pending request).
pub async fn toegang(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<(Toegang, MachtigingRij), ApiError> {
    let rij = store::een(&state.db, id).await?;
    let ouder = rij
        .as_ref()
        .and_then(|r| r.ouder_id.parse().ok())
        .unwrap_or_else(Uuid::nil);
    let gemachtigde = rij
        .as_ref()
        .filter(|r| r.status != "aangevraagd")
        .and_then(|r| r.gemachtigde_id.parse().ok());
    let relatie = Relatie {
        gemachtigde_van_machtiging: gemachtigde,
        ..Relatie::default()
    };
    let t = toegang::beslis_met(
        state,
        principal,
        Actie::MachtigingBeheren,
        ouder,
        &format!("machtigingen/{id}"),
        &relatie,
    )
    .await?;
    Ok((t, rij.ok_or_else(ApiError::not_found)?))
}

pub(super) async fn meld(
    tx: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    aan: &str,
    soort: Soort,
    id: &str,
) -> Result<(), ApiError> {
    let Ok(persoon) = aan.parse() else {
        return Ok(());
    };
    let mut m = Melding::new(persoon, soort);
    m.verwijzing = Some(format!("/v1/machtigingen/{id}"));
    notify::meld(tx, &state.notify, m).await?;
    Ok(())
}

/// The parent invites a lawyer who has an account, found by registration number.
pub async fn nodig_uit(
    state: &AppState,
    principal: &Principal,
    u: &Uitnodiging,
) -> Result<MachtigingRij, ApiError> {
    toegang::vereis_rol(state, principal, &["ouder"], "machtiging-uitnodigen").await?;
    state.limits.gevoelig("machtiging", principal.persoon_id)?;
    let t = toegang::beslis(
        state,
        principal,
        Actie::MachtigingBeheren,
        principal.persoon_id,
        "machtigingen",
    )
    .await?;
    let geldig_tot = einde(state, u.geldig_tot, "/geldigTot")?;
    let nu = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    let Some(advocaat) = store::advocaat_met_nummer(&tx, u.registratienummer.trim()).await? else {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/registratienummer",
            "onbekend-registratienummer",
            "Er is geen advocaat met dit registratienummer in Mijn Herstel. Vraag uw advocaat eerst in te loggen.",
        )]));
    };
    let gemachtigde: Uuid = advocaat.id.parse().map_err(ApiError::internal)?;
    if store::lopend(&tx, t.ouder(), gemachtigde, nu)
        .await?
        .is_some()
    {
        return Err(conflict(
            "Met deze advocaat heeft u al een machtiging (of een uitnodiging die nog open staat).",
        ));
    }
    let rij = MachtigingRij {
        id: Uuid::now_v7().to_string(),
        ouder_id: t.ouder().to_string(),
        gemachtigde_id: advocaat.id.clone(),
        soort: "advocaat".into(),
        bevoegdheden: codes(u.bevoegdheden.as_deref().unwrap_or(&STANDAARD)),
        status: Machtigingsstatus::Uitgenodigd.code().into(),
        gestart_door: OUDER.into(),
        uitspraak: None,
        geldig_tot,
        aangemaakt_op: nu,
        bevestigd_op: None,
        beeindigd_op: None,
        versie: 1,
    };
    store::voeg_toe(&tx, rij.clone()).await?;
    meld(
        &tx,
        state,
        &rij.gemachtigde_id,
        Soort::MachtigingVerzoek,
        &rij.id,
    )
    .await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "machtiging-uitnodigen",
        &format!("machtigingen/{}", rij.id),
        "machtigingen/v1",
    )
    .await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(rij)
}

pub const VERZOEK_ONTVANGEN: &str = "Als deze ouder route B gebruikt, ziet die uw verzoek na het inloggen. U ziet de machtiging in uw overzicht zodra de ouder heeft aanvaard.";

/// A lawyer asks a parent for a mandate. The answer is the same whether or not the parent
/// exists, already has a mandate with this lawyer, or is not a parent at all.
pub async fn vraag_aan(
    state: &AppState,
    principal: &Principal,
    v: &Machtigingsverzoek,
) -> Result<(), ApiError> {
    toegang::vereis_rol(state, principal, &["advocaat"], "machtiging-aanvragen").await?;
    // Before the BSN is even read: a lawyer cannot try many numbers.
    state.limits.gevoelig("machtiging", principal.persoon_id)?;
    let bsn = Bsn::parse(&v.bsn).map_err(|_| {
        ApiError::invalid(vec![FieldError::body(
            "/bsn",
            "bsn",
            "Dit is geen geldig BSN (9 cijfers, elfproef).",
        )])
    })?;
    let geldig_tot = einde(state, v.geldig_tot, "/geldigTot")?;
    let nu = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    let ouder = crate::identity::store::find_by_bsn(&tx, &state.vault, &bsn)
        .await?
        .filter(|p| p.soort == crate::identity::persona::Soort::Ouder);
    if let Some(ouder) = ouder
        && store::lopend(&tx, ouder.id, principal.persoon_id, nu)
            .await?
            .is_none()
    {
        let rij = MachtigingRij {
            id: Uuid::now_v7().to_string(),
            ouder_id: ouder.id.to_string(),
            gemachtigde_id: principal.persoon_id.to_string(),
            soort: "advocaat".into(),
            bevoegdheden: codes(v.bevoegdheden.as_deref().unwrap_or(&STANDAARD)),
            status: Machtigingsstatus::Aangevraagd.code().into(),
            gestart_door: GEMACHTIGDE.into(),
            uitspraak: None,
            geldig_tot,
            aangemaakt_op: nu,
            bevestigd_op: None,
            beeindigd_op: None,
            versie: 1,
        };
        store::voeg_toe(&tx, rij.clone()).await?;
        meld(&tx, state, &rij.ouder_id, Soort::MachtigingVerzoek, &rij.id).await?;
        audit::gelukt(
            &tx,
            &state.vault,
            principal,
            Some(ouder.id),
            "machtiging-aanvragen",
            &format!("machtigingen/{}", rij.id),
            "machtigingen/v1",
        )
        .await?;
    } else {
        audit::gelukt(
            &tx,
            &state.vault,
            principal,
            None,
            "machtiging-aanvragen",
            "machtigingsverzoeken",
            "machtigingen/v1",
        )
        .await?;
    }
    tx.commit().await?;
    state.notify.wek();
    Ok(())
}
