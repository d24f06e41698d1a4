//! One seeded parent with everything around them: the person (BSN sealed and indexed by the
//! vault, as a login creates them), a login and session, consent and retrieved UHT data, a
//! mandate to a demo lawyer, the claim ([`super::aanvraag`]), a conversation, and the audit
//! trail of all of it. Pure: rows are appended to [`Rijen`]; nothing is written here.

use sea_orm::DbErr;
use uuid::Uuid;

use super::gesprekken::Agenda;
use super::logboek::Logboek;
use super::profiel::{self, Toeval};
use super::rijen::Rijen;
use super::sleutel;
use crate::claims::levensloop::Status;
use crate::config::Settings;
use crate::identity::persona::{PERSONAS, Soort};
use crate::identity::sessions::sessie;
use crate::identity::store::entity as persoon;
use crate::identity::vault::BsnVault;
use crate::machtiging::store::machtiging;
use crate::wizard::Inhoud;
use crate::wizard::engine::Opgehaald;

pub const UUR: i64 = 3_600_000;
pub const DAG: i64 = 24 * UUR;

/// What every parent's rows are made with.
pub struct Context<'a> {
    pub vault: &'a BsnVault,
    pub inhoud: &'a Inhoud,
    pub settings: &'a Settings,
    /// The moment of seeding (epoch ms): the population's history ends here.
    pub nu: i64,
}

fn persona(rol: &str) -> Vec<Uuid> {
    PERSONAS
        .iter()
        .filter(|p| p.rollen.contains(&rol))
        .filter_map(|p| p.id.parse().ok())
        .collect()
}

/// The demo behandelaars (Anouk Smit, Bram Visser): claims are assigned to them.
pub fn behandelaars() -> Vec<Uuid> {
    persona("behandelaar")
}

/// The demo lawyer with clients (mr. Lotte Visser). mr. Pieter Bakker stays without clients,
/// as his test person promises.
pub fn advocaat() -> Uuid {
    PERSONAS
        .iter()
        .find(|p| p.soort == Soort::Advocaat)
        .and_then(|p| p.id.parse().ok())
        .unwrap_or_default()
}

/// Where parent `i` stands: exact shares in every 100 consecutive indexes (37 is coprime with
/// 100, so `i * 37 % 100` visits every place once), so a small population has every status too.
/// `None`: registered, no claim (yet), as many parents are.
pub fn status_van(i: u64) -> Option<Status> {
    const VERDELING: [(Option<Status>, u64); 9] = [
        (None, 8),
        (Some(Status::Concept), 25),
        (Some(Status::Ingediend), 15),
        (Some(Status::InBehandeling), 20),
        (Some(Status::AanbodGedaan), 8),
        (Some(Status::Akkoord), 13),
        (Some(Status::NietAkkoord), 3),
        (Some(Status::Ingetrokken), 5),
        (Some(Status::Doorverwezen), 3),
    ];
    let mut plek = (i.wrapping_mul(37).wrapping_add(11)) % 100;
    for (status, aandeel) in VERDELING {
        if plek < aandeel {
            return status;
        }
        plek -= aandeel;
    }
    None
}

/// Parents who are busy with their claim right now hold a session: the ones with a draft or an
/// offer to answer. `bench/last` mints access tokens for these sessions.
pub fn heeft_sessie(i: u64) -> bool {
    matches!(status_van(i), Some(Status::Concept | Status::AanbodGedaan))
}

pub fn zaad(i: u64) -> u64 {
    u64::from_be_bytes(
        sleutel::id("zaad", i).as_bytes()[..8]
            .try_into()
            .unwrap_or([0; 8]),
    )
}

/// Appends parent `i` and everything of theirs to `rijen`.
pub fn bouw(ctx: &Context, agenda: &mut Agenda, i: u64, rijen: &mut Rijen) -> Result<(), DbErr> {
    let r = &mut Toeval::new(zaad(i));
    let id = sleutel::ouder(i);
    let status = status_van(i);
    let gemachtigd = r.kans(10);
    let leven = profiel::leven(r, gemachtigd);
    let tijdlijn = status.map(|s| super::aanvraag::tijdlijn(s, r, ctx.nu));
    let sinds = match &tijdlijn {
        Some(t) => t.begin() - r.tussen(UUR, 30 * DAG),
        None => ctx.nu - r.tussen(DAG, 400 * DAG),
    };
    let bsn = sleutel::bsn(i);
    let sealed = ctx.vault.seal(&bsn, &id.to_string());
    let naam = sleutel::naam(i);
    rijen.persoon.push(persoon::Model {
        id: id.to_string(),
        soort: Soort::Ouder.as_str().into(),
        email: Some(format!(
            "{}.{i}@populatie.example.nl",
            naam.to_lowercase().replace(' ', ".")
        )),
        naam,
        bsn_versleuteld: Some(sealed.bytes),
        bsn_sleutel_id: Some(sealed.key_id),
        bsn_index: Some(ctx.vault.blind_index(&bsn)),
        externe_sleutel: None,
        registratienummer: None,
        rollen: None,
        aangemaakt_op: sinds,
    });
    let mut log = Logboek::new(ctx, i, id);
    let ouder = (id, Soort::Ouder);
    log.regel(
        rijen,
        sinds,
        ouder,
        "inloggen",
        "inloggen/digid".into(),
        "inloggen/v1",
    );
    // Two in five let the app fetch their UHT file before they start the claim.
    let opgehaald = if r.kans(40) {
        let tot = tijdlijn.as_ref().map_or(ctx.nu, |t| t.begin());
        let op = sinds + (tot - sinds) / 3;
        super::gegevens::haal_op(&mut log, rijen, r, &leven, op, status.is_some())?
    } else {
        Opgehaald::default()
    };
    if gemachtigd {
        machtig(&mut log, rijen, r, sinds + 2 * UUR);
    }
    if let Some(t) = tijdlijn {
        super::aanvraag::bouw(&mut log, rijen, r, &leven, &opgehaald, t)?;
    }
    if heeft_sessie(i) {
        let op = ctx.nu - r.tussen(60_000, 3 * UUR);
        rijen.sessie.push(sessie::Model {
            id: sleutel::sessie(i).to_string(),
            persoon_id: id.to_string(),
            provider: "digid".into(),
            betrouwbaarheidsniveau: Some("http://eidas.europa.eu/LoA/substantial".into()),
            aangemaakt_op: op,
            laatst_gebruikt_op: op,
            ingetrokken_op: None,
            reden_intrekking: None,
            namens_id: None,
        });
    }
    // One in twenty-five had or has a restorative conversation; one in eight of those is still
    // to come (while the window has room).
    if r.kans(4) {
        let komend = r.kans(12);
        if let Some((leider, start, cellen)) =
            agenda.plaats(komend).or_else(|| agenda.plaats(false))
        {
            super::gesprekken::plan_gesprek(&mut log, rijen, r, agenda, (leider, start, cellen));
        }
    }
    Ok(())
}

/// An active mandate to the demo lawyer, until the end of the recovery operation: asked by the
/// parent and accepted by the lawyer, or the other way round.
fn machtig(log: &mut Logboek, rijen: &mut Rijen, r: &mut Toeval, op: i64) {
    let (i, ouder) = (log.i, log.ouder);
    let advocaat = advocaat();
    let mut bevoegdheden = vec!["aanvraag-inzien", "antwoorden-invullen", "bewijs-toevoegen"];
    if r.kans(60) {
        bevoegdheden.extend(["aanbod-beantwoorden", "indienen"]);
    }
    bevoegdheden.sort_unstable();
    let tot = log.ctx.settings.claims.machtiging_uiterlijk_tot;
    let geldig_tot = tot
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(i64::MAX, |d| d.and_utc().timestamp_millis() - UUR);
    let door_ouder = r.kans(70);
    let m = machtiging::Model {
        id: sleutel::id("machtiging", i).to_string(),
        ouder_id: ouder.to_string(),
        gemachtigde_id: advocaat.to_string(),
        soort: "advocaat".into(),
        bevoegdheden: serde_json::to_string(&bevoegdheden).unwrap_or_default(),
        status: "actief".into(),
        gestart_door: if door_ouder { "ouder" } else { "advocaat" }.into(),
        uitspraak: None,
        geldig_tot,
        aangemaakt_op: op,
        bevestigd_op: Some(op + DAG),
        beeindigd_op: None,
        versie: 2,
    };
    let resource = format!("machtigingen/{}", m.id);
    let (vraagt, aanvaardt) = if door_ouder {
        ((ouder, Soort::Ouder), (advocaat, Soort::Advocaat))
    } else {
        ((advocaat, Soort::Advocaat), (ouder, Soort::Ouder))
    };
    let actie = if door_ouder {
        "machtiging-uitnodigen"
    } else {
        "machtiging-aanvragen"
    };
    log.regel(
        rijen,
        op,
        vraagt,
        actie,
        resource.clone(),
        "machtigingen/v1",
    );
    log.regel(
        rijen,
        op + DAG,
        aanvaardt,
        "machtiging-aanvaarden",
        resource,
        "machtigingen/v1",
    );
    rijen.machtiging.push(m);
}
