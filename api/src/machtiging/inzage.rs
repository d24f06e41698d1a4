//! What the parties see: their mandates, the parent's plain-language view of everything the
//! representative did, the representative's client dashboard, and the token to act for a client.

use uuid::Uuid;

use super::bevoegdheid::{self, Machtigingsstatus};
use super::model::*;
use super::service::{OUDER, toegang};
use super::store::{self, MachtigingRij};
use crate::AppState;
use crate::audit::store::auditregel;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, ProblemType};
use crate::identity::toegang::{self as autorisatie, Actie};

async fn partij(state: &AppState, id: &str) -> Result<Partij, ApiError> {
    let p = store::partij(&state.db, id).await?;
    Ok(Partij {
        id: id.parse().unwrap_or_default(),
        naam: p.as_ref().map_or_else(String::new, |p| p.naam.clone()),
        kantoor: p.as_ref().and_then(|p| p.kantoor.clone()),
        registratienummer: p.and_then(|p| p.registratienummer),
    })
}

pub async fn toon(
    state: &AppState,
    principal: &Principal,
    rij: &MachtigingRij,
) -> Result<Machtiging, ApiError> {
    Ok(Machtiging {
        id: rij.id.parse().unwrap_or_default(),
        soort: rij.soort.clone(),
        status: Machtigingsstatus::van(&rij.status, rij.geldig_tot, db::now_ms()),
        uw_rol: if rij.ouder_id == principal.persoon_id.to_string() {
            OUDER.into()
        } else {
            "gemachtigde".into()
        },
        ouder: partij(state, &rij.ouder_id).await?,
        gemachtigde: partij(state, &rij.gemachtigde_id).await?,
        bevoegdheden: store::bevoegdheden(rij),
        gestart_door: rij.gestart_door.clone(),
        uitspraak: rij.uitspraak.clone(),
        geldig_tot: db::tijdstip(rij.geldig_tot),
        aangemaakt_op: db::tijdstip(rij.aangemaakt_op),
        bevestigd_op: rij.bevestigd_op.map(db::tijdstip),
        beeindigd_op: rij.beeindigd_op.map(db::tijdstip),
    })
}

/// My mandates: as the parent, or as the representative.
pub async fn lijst(
    state: &AppState,
    principal: &Principal,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Machtiging>, u64), ApiError> {
    let t = autorisatie::beslis(
        state,
        principal,
        Actie::MachtigingBeheren,
        principal.persoon_id,
        "machtigingen",
    )
    .await?;
    let (rijen, totaal) = store::van(&state.db, t.ouder(), offset, limit).await?;
    let mut uit = Vec::with_capacity(rijen.len());
    for r in &rijen {
        uit.push(toon(state, principal, r).await?);
    }
    Ok((uit, totaal))
}

pub async fn lees(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<MachtigingRij, ApiError> {
    Ok(toegang(state, principal, id).await?.1)
}

/// An access token that acts for the client of an active mandate: `sub` stays the
/// representative, `represents` names the parent. Every request with it is checked against the
/// mandate as it is at that moment.
pub async fn vertegenwoordig(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Vertegenwoordiging, ApiError> {
    let (_, rij) = toegang(state, principal, id).await?;
    if rij.gemachtigde_id != principal.persoon_id.to_string() {
        return Err(ApiError::new(
            ProblemType::GeenToegang,
            "Alleen de gemachtigde werkt namens de ouder.",
        ));
    }
    if Machtigingsstatus::van(&rij.status, rij.geldig_tot, db::now_ms())
        != Machtigingsstatus::Actief
    {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Deze machtiging is niet (meer) actief.",
        ));
    }
    let ouder: Uuid = rij.ouder_id.parse().map_err(ApiError::internal)?;
    let mut claims = state.tokens.access_claims(
        &principal.persoon_id.to_string(),
        &principal.sessie_id.to_string(),
        principal.soort.as_str(),
        principal.rollen.clone(),
        principal.acr.clone(),
    );
    claims.represents = Some(ouder.to_string());
    Ok(Vertegenwoordiging {
        access_token: state.tokens.issue(claims),
        token_type: "Bearer".into(),
        expires_in: state.settings.tokens.access_ttl_secs,
        represents: ouder,
    })
}

/// Everything the representative did with the parent's data, in words, newest first.
pub async fn handelingen(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Handeling>, u64), ApiError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let (t, rij) = toegang(state, principal, id).await?;
    if rij.ouder_id != principal.persoon_id.to_string() {
        return Err(ApiError::new(
            ProblemType::GeenToegang,
            "Dit overzicht is voor de ouder.",
        ));
    }
    let naam = partij(state, &rij.gemachtigde_id).await?.naam;
    let q = auditregel::Entity::find()
        .filter(auditregel::Column::ActorId.eq(rij.gemachtigde_id.clone()))
        .filter(auditregel::Column::NamensId.eq(t.ouder().to_string()))
        .filter(auditregel::Column::Uitkomst.is_in(["toegestaan", "gelukt"]));
    let mut rijen = q
        .order_by_desc(auditregel::Column::Tijdstip)
        .order_by_desc(auditregel::Column::Id)
        .all(&state.db)
        .await?;
    rijen.retain(|r| {
        bevoegdheid::getoond(&r.uitkomst, &r.actie) && !r.actie.starts_with("machtiging-")
    });
    let totaal = rijen.len() as u64;
    let uit = rijen
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .filter_map(|r| {
            let wanneer = db::tijdstip(r.tijdstip)
                .with_timezone(&chrono_tz::Europe::Amsterdam)
                .date_naive();
            let stap = r.resource.split("/stappen/").nth(1).map(|id| {
                let inhoud = state.inhoud.actueel();
                inhoud
                    .vragenlijst
                    .stappen
                    .iter()
                    .find(|s| s.id == id)
                    .map_or_else(|| id.to_string(), |s| s.titel.nl().to_string())
            });
            Some(Handeling {
                tijdstip: db::tijdstip(r.tijdstip),
                tekst: bevoegdheid::zin(
                    &naam,
                    &crate::gegevens::vertaling::dag(wanneer),
                    &r.actie,
                    stap.as_deref(),
                )?,
                actie: r.actie,
            })
        })
        .collect();
    Ok((uit, totaal))
}

/// The representative's clients: active mandates, with the claim where the scopes allow it.
/// The database pages (and filters on status, see [`store::clienten`]); only the clients on the
/// page are decided on, audited and looked up, each lookup for the whole page at once.
pub async fn clienten(
    state: &AppState,
    principal: &Principal,
    status: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Client>, u64), ApiError> {
    autorisatie::vereis_rol(state, principal, &["advocaat"], "clienten-inzien").await?;
    let nu = db::now_ms();
    let inzien = bevoegdheid::nodig_voor(Actie::AanvraagInzien).ok_or_else(ApiError::not_found)?;
    let (rijen, totaal) = store::clienten(
        &state.db,
        principal.persoon_id,
        nu,
        status.map(|s| (s, inzien)),
        offset,
        limit,
    )
    .await?;
    // Reading the client's claim is reading their data: the same decision as acting for them;
    // so is seeing their conversations.
    let (mut lezen, mut plannen) = (Vec::new(), Vec::new());
    for m in &rijen {
        let ouder: Uuid = m.ouder_id.parse().map_err(ApiError::internal)?;
        let mut als = principal.clone();
        als.represents = Some(ouder);
        let b = |actie| autorisatie::beslis(state, &als, actie, ouder, "clienten");
        lezen.extend(b(Actie::AanvraagInzien).await.ok());
        plannen.extend(b(Actie::GesprekkenPlannen).await.ok());
    }
    let claims = crate::claims::store::open_status_van(&state.db, &lezen).await?;
    let ids: Vec<&str> = claims.iter().map(|(_, id, _)| id.as_str()).collect();
    let vragen = crate::claims::afwikkeling_store::open_vragen(&state.db, &ids).await?;
    let gesprekken = crate::gesprek::store::komend_van_ouders(&state.db, &plannen, nu).await?;
    let ouders: Vec<&str> = rijen.iter().map(|m| m.ouder_id.as_str()).collect();
    let partijen = store::partijen(&state.db, &ouders).await?;
    let mut uit = Vec::with_capacity(rijen.len());
    for m in &rijen {
        let claim = claims.iter().find(|(o, _, _)| *o == m.ouder_id);
        // The mandate changed between the page and the decision: the row no longer matches.
        if status.is_some_and(|s| claim.is_none_or(|(_, _, c)| c != s)) {
            continue;
        }
        let p = partijen.iter().find(|p| p.id == m.ouder_id);
        let open_vragen = claim
            .and_then(|(_, id, _)| vragen.iter().find(|(a, _)| a == id))
            .map_or(0, |(_, n)| *n);
        uit.push(Client {
            machtiging: m.id.parse().unwrap_or_default(),
            ouder: Partij {
                id: m.ouder_id.parse().unwrap_or_default(),
                naam: p.map_or_else(String::new, |p| p.naam.clone()),
                kantoor: p.and_then(|p| p.kantoor.clone()),
                registratienummer: p.and_then(|p| p.registratienummer.clone()),
            },
            bevoegdheden: store::bevoegdheden(m),
            geldig_tot: db::tijdstip(m.geldig_tot),
            aanvraag: claim.and_then(|(_, id, _)| id.parse().ok()),
            status: claim.map(|(_, _, s)| s.clone()),
            open_vragen: u32::try_from(open_vragen).unwrap_or(u32::MAX),
            afspraken: gesprekken
                .iter()
                .filter(|(o, _)| *o == m.ouder_id)
                .map(|(_, start)| {
                    db::tijdstip(*start).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                })
                .collect(),
        });
    }
    Ok((uit, totaal))
}

pub async fn zet_kantoor(
    state: &AppState,
    principal: &Principal,
    kantoor: &str,
) -> Result<(), ApiError> {
    autorisatie::vereis_rol(state, principal, &["advocaat"], "kantoor-wijzigen").await?;
    let t = autorisatie::beslis(
        state,
        principal,
        Actie::ProfielInzien,
        principal.persoon_id,
        "advocaten/mij",
    )
    .await?;
    store::zet_kantoor(&state.db, t.ouder(), kantoor.trim()).await?;
    Ok(())
}
