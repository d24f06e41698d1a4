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
use crate::http::etag::IfMatch;
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
