//! Answering, changing and ending a mandate: the party that did not start it accepts or
//! refuses; the parent changes scopes (If-Match) or revokes; the representative ends. Each
//! change is versioned, audited and told to the other party.

use uuid::Uuid;

use super::bevoegdheid::Machtigingsstatus;
use super::model::*;
use super::service::{
    BEHANDELAAR, GEMACHTIGDE, OUDER, codes, conflict, einde, meld, toegang, verloop_sleutel,
};
use super::store::{self, MachtigingRij};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::etag::IfMatch;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::notify::{self, Melding, Soort};

fn rol(principal: &Principal, rij: &MachtigingRij) -> &'static str {
    if rij.ouder_id == principal.persoon_id.to_string() {
        OUDER
    } else {
        GEMACHTIGDE
    }
}

async fn schrijf(
    state: &AppState,
    rij: &MachtigingRij,
    vorige: i64,
    na: impl AsyncFnOnce(&sea_orm::DatabaseTransaction) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let tx = db::begin_write(&state.db).await?;
    if !store::werk_bij(&tx, rij, vorige).await? {
        return Err(crate::http::etag::stale(vorige + 1));
    }
    na(&tx).await?;
    tx.commit().await?;
    state.notify.wek();
    Ok(())
}

/// The party that did not take the initiative accepts; the parent may narrow scopes and date.
pub async fn aanvaard(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    a: &Aanvaarding,
) -> Result<MachtigingRij, ApiError> {
    let (t, mut rij) = toegang(state, principal, id).await?;
    let nu = db::now_ms();
    let status = Machtigingsstatus::van(&rij.status, rij.geldig_tot, nu);
    let wie = rol(principal, &rij);
    let mag = matches!(
        (status, wie),
        (Machtigingsstatus::Uitgenodigd, GEMACHTIGDE) | (Machtigingsstatus::Aangevraagd, OUDER)
    );
    if !mag {
        return Err(conflict("Deze machtiging wacht niet op uw aanvaarding."));
    }
    if wie == OUDER {
        if let Some(b) = &a.bevoegdheden {
            rij.bevoegdheden = codes(b);
        }
        if let Some(d) = a.geldig_tot {
            rij.geldig_tot = einde(state, d, "/geldigTot")?;
        }
    } else if a.bevoegdheden.is_some() || a.geldig_tot.is_some() {
        return Err(ApiError::invalid(vec![FieldError::body(
            "",
            "alleen-ouder",
            "Alleen de ouder kiest de bevoegdheden en de einddatum.",
        )]));
    }
    let vorige = rij.versie;
    rij.status = Machtigingsstatus::Actief.code().into();
    rij.bevestigd_op = Some(nu);
    let r = rij.clone();
    schrijf(state, &rij, vorige, async |tx| {
        // The representative hears when the mandate runs out; revoking or ending withdraws it.
        let mut verloop = Melding::new(
            r.gemachtigde_id.parse().map_err(ApiError::internal)?,
            Soort::MachtigingBeeindigd,
        );
        verloop.verwijzing = Some(format!("/v1/machtigingen/{}", r.id));
        verloop.niet_voor = Some(r.geldig_tot);
        verloop.sleutel = Some(verloop_sleutel(&r.id));
        notify::meld(tx, &state.notify, verloop).await?;
        let ander = if wie == OUDER {
            &r.gemachtigde_id
        } else {
            &r.ouder_id
        };
        meld(tx, state, ander, Soort::MachtigingVerzoek, &r.id).await?;
        audit::gelukt(
            tx,
            &state.vault,
            principal,
            Some(t.ouder()),
            "machtiging-aanvaarden",
            &format!("machtigingen/{}", r.id),
            "machtigingen/v1",
        )
        .await?;
        Ok(())
    })
    .await?;
    rij.versie = vorige + 1;
    Ok(rij)
}

/// The party that did not take the initiative says no.
pub async fn weiger(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<MachtigingRij, ApiError> {
    let (t, mut rij) = toegang(state, principal, id).await?;
    let status = Machtigingsstatus::van(&rij.status, rij.geldig_tot, db::now_ms());
    let wie = rol(principal, &rij);
    if !matches!(
        (status, wie),
        (Machtigingsstatus::Uitgenodigd, GEMACHTIGDE) | (Machtigingsstatus::Aangevraagd, OUDER)
    ) {
        return Err(conflict("Deze machtiging wacht niet op uw antwoord."));
    }
    let vorige = rij.versie;
    rij.status = Machtigingsstatus::Geweigerd.code().into();
    rij.beeindigd_op = Some(db::now_ms());
    let r = rij.clone();
    schrijf(state, &rij, vorige, async |tx| {
        audit::gelukt(
            tx,
            &state.vault,
            principal,
            Some(t.ouder()),
            "machtiging-weigeren",
            &format!("machtigingen/{}", r.id),
            "machtigingen/v1",
        )
        .await?;
        Ok(())
    })
    .await?;
    rij.versie = vorige + 1;
    Ok(rij)
}

/// The parent changes the scopes; effective for the next request, also with tokens issued.
pub async fn wijzig(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    if_match: &IfMatch,
    b: &NieuweBevoegdheden,
) -> Result<MachtigingRij, ApiError> {
    let (t, mut rij) = toegang(state, principal, id).await?;
    if rol(principal, &rij) != OUDER {
        return Err(ApiError::new(
            ProblemType::GeenToegang,
            "Alleen de ouder wijzigt de bevoegdheden.",
        ));
    }
    let vorige = rij.versie;
    if_match.check(vorige)?;
    let status = Machtigingsstatus::van(&rij.status, rij.geldig_tot, db::now_ms());
    if !matches!(
        status,
        Machtigingsstatus::Actief | Machtigingsstatus::Uitgenodigd | Machtigingsstatus::Aangevraagd
    ) {
        return Err(conflict("Deze machtiging is niet meer geldig."));
    }
    rij.bevoegdheden = codes(&b.bevoegdheden);
    let r = rij.clone();
    schrijf(state, &rij, vorige, async |tx| {
        audit::gelukt(
            tx,
            &state.vault,
            principal,
            Some(t.ouder()),
            "machtiging-wijzigen",
            &format!("machtigingen/{}", r.id),
            "machtigingen/v1",
        )
        .await?;
        Ok(())
    })
    .await?;
    rij.versie = vorige + 1;
    Ok(rij)
}

/// The parent revokes (`ingetrokken`) or the representative ends (`beeindigd`): at once, also
/// for tokens already issued; the other party is told.
pub async fn stop(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    door_ouder: bool,
) -> Result<MachtigingRij, ApiError> {
    let (t, mut rij) = toegang(state, principal, id).await?;
    let wie = rol(principal, &rij);
    if rij.gestart_door == BEHANDELAAR {
        return Err(conflict(
            "Deze vertegenwoordiging volgt uit een uitspraak van de rechter. Neem contact met ons op om haar te beëindigen.",
        ));
    }
    if (wie == OUDER) != door_ouder {
        return Err(ApiError::new(
            ProblemType::GeenToegang,
            if door_ouder {
                "Alleen de ouder trekt een machtiging in; u kunt haar beëindigen."
            } else {
                "Alleen de gemachtigde beëindigt; u kunt de machtiging intrekken."
            },
        ));
    }
    let nu = db::now_ms();
    let status = Machtigingsstatus::van(&rij.status, rij.geldig_tot, nu);
    if !matches!(
        status,
        Machtigingsstatus::Actief | Machtigingsstatus::Uitgenodigd | Machtigingsstatus::Aangevraagd
    ) {
        return Err(conflict("Deze machtiging is al afgelopen."));
    }
    let vorige = rij.versie;
    let naar = if door_ouder {
        Machtigingsstatus::Ingetrokken
    } else {
        Machtigingsstatus::Beeindigd
    };
    rij.status = naar.code().into();
    rij.beeindigd_op = Some(nu);
    let r = rij.clone();
    schrijf(state, &rij, vorige, async |tx| {
        notify::store::annuleer(tx, &verloop_sleutel(&r.id), nu).await?;
        let ander = if door_ouder {
            &r.gemachtigde_id
        } else {
            &r.ouder_id
        };
        meld(tx, state, ander, Soort::MachtigingBeeindigd, &r.id).await?;
        let actie = if door_ouder {
            "machtiging-intrekken"
        } else {
            "machtiging-beeindigen"
        };
        audit::gelukt(
            tx,
            &state.vault,
            principal,
            Some(t.ouder()),
            actie,
            &format!("machtigingen/{}", r.id),
            "machtigingen/v1",
        )
        .await?;
        Ok(())
    })
    .await?;
    rij.versie = vorige + 1;
    Ok(rij)
}

/// When a gemachtigde does something that commits the parent (submitting, answering an offer),
/// the parent hears of it by mail and in the inbox (`tx`: the change's transaction).
pub async fn meld_namens(
    tx: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    principal: &Principal,
    ouder: Uuid,
    verwijzing: String,
) -> Result<(), ApiError> {
    if principal.represents.is_none() {
        return Ok(());
    }
    let mut m = Melding::new(ouder, Soort::GemachtigdeHandelde);
    m.verwijzing = Some(verwijzing);
    notify::meld(tx, &state.notify, m).await?;
    Ok(())
}
