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
pub async fn clienten(
    state: &AppState,
    principal: &Principal,
    status: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Client>, u64), ApiError> {
    autorisatie::vereis_rol(state, principal, &["advocaat"], "clienten-inzien").await?;
    let mut uit = Vec::new();
    for m in store::clienten(&state.db, principal.persoon_id, db::now_ms()).await? {
        let ouder: Uuid = m.ouder_id.parse().map_err(ApiError::internal)?;
        // Reading the client's claim is reading their data: the same decision as acting for them.
        let mut als = principal.clone();
        als.represents = Some(ouder);
        let claim = match autorisatie::beslis(state, &als, Actie::AanvraagInzien, ouder, "clienten")
            .await
        {
            Ok(t) => crate::claims::store::open_van(&state.db, &t).await?,
            Err(_) => None,
        };
        let claim_status = claim.as_ref().map(|c| c.status.clone());
        if status.is_some_and(|s| claim_status.as_deref() != Some(s)) {
            continue;
        }
        let open_vragen = match &claim {
            Some(c) => crate::claims::afwikkeling_store::vragen(
                &state.db,
                c.id.parse().unwrap_or_default(),
            )
            .await?
            .iter()
            .filter(|v| v.beantwoord_op.is_none())
            .count(),
            None => 0,
        };
        uit.push(Client {
            machtiging: m.id.parse().unwrap_or_default(),
            ouder: partij(state, &m.ouder_id).await?,
            bevoegdheden: store::bevoegdheden(&m),
            geldig_tot: db::tijdstip(m.geldig_tot),
            aanvraag: claim.as_ref().and_then(|c| c.id.parse().ok()),
            status: claim_status,
            open_vragen: u32::try_from(open_vragen).unwrap_or(u32::MAX),
            afspraken: komende_gesprekken(state, &als, ouder).await?,
        });
    }
    let totaal = uit.len() as u64;
    let pagina = uit
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    Ok((pagina, totaal))
}

/// The client's upcoming conversations, when the mandate allows planning them.
async fn komende_gesprekken(
    state: &AppState,
    als: &Principal,
    ouder: Uuid,
) -> Result<Vec<String>, ApiError> {
    if autorisatie::beslis(state, als, Actie::GesprekkenPlannen, ouder, "clienten")
        .await
        .is_err()
    {
        return Ok(Vec::new());
    }
    let nu = db::now_ms();
    Ok(crate::gesprek::store::van_ouder(&state.db, ouder)
        .await?
        .iter()
        .filter(|g| g.status == "geboekt" && g.start_op > nu)
        .map(|g| db::tijdstip(g.start_op).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .collect())
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
