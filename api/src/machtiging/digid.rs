//! DigiD Machtigen: a person authorised at DigiD for our service logs in through the broker, who
//! vouches for both people and the service (checked in `identity::provider::map_claims`). The
//! authorisation lives at DigiD; we record it as a mandate for the length of the login session,
//! renewed at each such login, so the same authorisation function, audit trail and
//! transparency view apply as for a lawyer.

use uuid::Uuid;

use super::bevoegdheid::{ALLE, Machtigingsstatus};
use super::service::codes;
use super::store::{self, MachtigingRij};
use crate::AppState;
use crate::db;
use crate::http::ApiError;
use crate::identity::bsn::Bsn;
use crate::identity::persona::Soort;
use crate::identity::store::{self as personen, NewPersoon};

pub const SOORT: &str = "digid-machtigen";

/// Records (or renews) the mandate of `gemachtigde` for the parent with `bsn`; returns the
/// parent, made known here if they never logged in themselves.
pub async fn verbind(
    tx: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    gemachtigde: Uuid,
    bsn: &Bsn,
) -> Result<Uuid, ApiError> {
    let ouder = match personen::find_by_bsn(tx, &state.vault, bsn).await? {
        Some(p) => p.id,
        None => {
            let nieuw = NewPersoon {
                id: Uuid::now_v7(),
                soort: Soort::Ouder,
                naam: "Ouder",
                bsn: Some(bsn),
                external: None,
                registratienummer: None,
                rollen: &[],
                email: None,
            };
            personen::insert(tx, &state.vault, nieuw).await?.id
        }
    };
    if ouder == gemachtigde {
        return Err(ApiError::new(
            crate::http::ProblemType::Conflict,
            "U kunt niet namens uzelf inloggen.",
        ));
    }
    let nu = db::now_ms();
    let tot = nu + i64::from(state.settings.tokens.refresh_absolute_secs) * 1000;
    match store::lopend(tx, ouder, gemachtigde, nu).await? {
        Some(mut m) if m.soort == SOORT => {
            let vorige = m.versie;
            m.geldig_tot = m.geldig_tot.max(tot);
            store::werk_bij(tx, &m, vorige).await?;
        }
        // Another kind of mandate between the two already holds; DigiD's does not replace it.
        Some(_) => {}
        None => {
            store::voeg_toe(
                tx,
                MachtigingRij {
                    id: Uuid::now_v7().to_string(),
                    ouder_id: ouder.to_string(),
                    gemachtigde_id: gemachtigde.to_string(),
                    soort: SOORT.into(),
                    bevoegdheden: codes(&ALLE),
                    status: Machtigingsstatus::Actief.code().into(),
                    gestart_door: "digid".into(),
                    uitspraak: None,
                    geldig_tot: tot,
                    aangemaakt_op: nu,
                    bevestigd_op: Some(nu),
                    beeindigd_op: None,
                    versie: 1,
                },
            )
            .await?;
        }
    }
    Ok(ouder)
}
