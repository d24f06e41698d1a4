//! Court-appointed representatives (bewindvoerder, curator, mentor): the court decision is the
//! confirmation, so the behandelaar assigned to the parent's claim registers it from the
//! decision, and only a behandelaar ends it. The representative logs in with DigiD (found by
//! BSN; a person row is made for them if they never logged in) and acts like any gemachtigde.

use uuid::Uuid;

use super::bevoegdheid::{ALLE, Machtigingsstatus};
use super::model::*;
use super::service::{BEHANDELAAR, codes, conflict, einde, meld, verloop_sleutel};
use super::store::{self, MachtigingRij};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError};
use crate::identity::bsn::Bsn;
use crate::identity::persona::Soort as Persoonsoort;
use crate::identity::store::{self as personen, NewPersoon};
use crate::identity::toegang::Actie;
use crate::notify::Soort;

pub async fn leg_vast(
    state: &AppState,
    principal: &Principal,
    aanvraag: Uuid,
    v: &Vertegenwoordiger,
) -> Result<MachtigingRij, ApiError> {
    crate::identity::toegang::vereis_rol(
        state,
        principal,
        &["behandelaar"],
        "vertegenwoordiger-vastleggen",
    )
    .await?;
    let t = crate::claims::service::toegang(state, principal, aanvraag, Actie::AanvraagBeoordelen)
        .await?;
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
    let vertegenwoordiger = match personen::find_by_bsn(&tx, &state.vault, &bsn).await? {
        Some(p) => p,
        None => {
            let nieuw = NewPersoon {
                id: Uuid::now_v7(),
                soort: Persoonsoort::Ouder,
                naam: v.naam.trim(),
                bsn: Some(&bsn),
                external: None,
                registratienummer: None,
                rollen: &[],
                email: None,
            };
            personen::insert(&tx, &state.vault, nieuw).await?
        }
    };
    if vertegenwoordiger.id == t.ouder() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "/bsn",
            "zelf",
            "Een ouder kan niet zijn eigen vertegenwoordiger zijn.",
        )]));
    }
    if store::lopend(&tx, t.ouder(), vertegenwoordiger.id, nu)
        .await?
        .is_some()
    {
        return Err(conflict("Deze persoon vertegenwoordigt de ouder al."));
    }
    let rij = MachtigingRij {
        id: Uuid::now_v7().to_string(),
        ouder_id: t.ouder().to_string(),
        gemachtigde_id: vertegenwoordiger.id.to_string(),
        soort: v.soort.code().into(),
        bevoegdheden: codes(v.bevoegdheden.as_deref().unwrap_or(&ALLE)),
        status: Machtigingsstatus::Actief.code().into(),
        gestart_door: BEHANDELAAR.into(),
        uitspraak: Some(v.uitspraak.trim().to_string()),
        geldig_tot,
        aangemaakt_op: nu,
        bevestigd_op: Some(nu),
        beeindigd_op: None,
        versie: 1,
    };
    store::voeg_toe(&tx, rij.clone()).await?;
    meld(&tx, state, &rij.ouder_id, Soort::MachtigingVerzoek, &rij.id).await?;
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
        "vertegenwoordiger-vastleggen",
        &format!("machtigingen/{}", rij.id),
        "machtigingen/v1",
    )
    .await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(rij)
}

pub async fn beeindig(
    state: &AppState,
    principal: &Principal,
    aanvraag: Uuid,
    id: Uuid,
) -> Result<MachtigingRij, ApiError> {
    crate::identity::toegang::vereis_rol(
        state,
        principal,
        &["behandelaar"],
        "vertegenwoordiger-beeindigen",
    )
    .await?;
    let t = crate::claims::service::toegang(state, principal, aanvraag, Actie::AanvraagBeoordelen)
        .await?;
    let mut rij = store::een(&state.db, id)
        .await?
        .filter(|m| m.ouder_id == t.ouder().to_string() && m.gestart_door == BEHANDELAAR)
        .ok_or_else(ApiError::not_found)?;
    let nu = db::now_ms();
    if Machtigingsstatus::van(&rij.status, rij.geldig_tot, nu) != Machtigingsstatus::Actief {
        return Err(conflict("Deze vertegenwoordiging is al afgelopen."));
    }
    let vorige = rij.versie;
    rij.status = Machtigingsstatus::Beeindigd.code().into();
    rij.beeindigd_op = Some(nu);
    let tx = db::begin_write(&state.db).await?;
    if !store::werk_bij(&tx, &rij, vorige).await? {
        return Err(crate::http::etag::stale(vorige + 1));
    }
    crate::notify::store::annuleer(&tx, &verloop_sleutel(&rij.id), nu).await?;
    meld(
        &tx,
        state,
        &rij.ouder_id,
        Soort::MachtigingBeeindigd,
        &rij.id,
    )
    .await?;
    meld(
        &tx,
        state,
        &rij.gemachtigde_id,
        Soort::MachtigingBeeindigd,
        &rij.id,
    )
    .await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "vertegenwoordiger-beeindigen",
        &format!("machtigingen/{}", rij.id),
        "machtigingen/v1",
    )
    .await?;
    tx.commit().await?;
    state.notify.wek();
    rij.versie = vorige + 1;
    Ok(rij)
}
