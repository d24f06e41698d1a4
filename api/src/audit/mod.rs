//! The audit log (who did what, for whom, with what outcome) and the processing log in the shape
//! of the Logboek Dataverwerkingen (what was processed about whom, *without* the user), linked by
//! trace id. Both are append-only: the code has no update or delete path, and database triggers
//! refuse one. Only pseudonymous ids are written: internal person ids in the audit log, keyed
//! pseudonyms in the processing log; never a BSN.

pub mod model;
pub mod routes;
pub mod store;

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::identity::persona::Soort;
use crate::identity::vault::BsnVault;

/// Register of processing activities (AVG art. 30), versioned: a change is a new version.
pub const REGISTER: &str = "https://mijn-herstel.nl/register/verwerkingsactiviteiten/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uitkomst {
    Toegestaan,
    Geweigerd,
    Gelukt,
    Mislukt,
}

impl Uitkomst {
    pub fn as_str(self) -> &'static str {
        match self {
            Uitkomst::Toegestaan => "toegestaan",
            Uitkomst::Geweigerd => "geweigerd",
            Uitkomst::Gelukt => "gelukt",
            Uitkomst::Mislukt => "mislukt",
        }
    }

    /// Whether personal data was actually processed.
    fn processed(self) -> bool {
        matches!(self, Uitkomst::Toegestaan | Uitkomst::Gelukt)
    }
}

/// One audit entry.
#[derive(Debug, Clone)]
pub struct Regel<'a> {
    /// Who acted (absent when unknown, e.g. a forged token).
    pub actor: Option<(Uuid, Soort)>,
    /// Whose data (the parent; for a login, the person logging in).
    pub namens: Option<Uuid>,
    /// What was done: `inloggen`, `profiel-inzien`, `logboek-inzien`, `api-toegang`, …
    pub actie: &'a str,
    /// On what (a path-like name, never personal data).
    pub resource: &'a str,
    pub uitkomst: Uitkomst,
    /// Why it was refused or failed, in words a reviewer understands; never personal data.
    pub reden: Option<&'a str>,
    pub trace_id: &'a str,
    /// The processing activity in the register (the last path segment, e.g. `inloggen/v1`).
    pub verwerkingsactiviteit: &'a str,
    /// When the processing started (epoch ms).
    pub start_ms: i64,
}

/// Writes the audit entry and, when personal data was processed, the processing record(s): one
/// for the data subject, and one for the actor when the actor is someone else (recording who
/// acted is itself a processing of the actor's data).
pub async fn record(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    regel: &Regel<'_>,
) -> Result<(), DbErr> {
    store::insert_regel(db, regel).await?;
    if !regel.uitkomst.processed() {
        return Ok(());
    }
    let activity = format!("{REGISTER}{}", regel.verwerkingsactiviteit);
    if let Some(subject) = regel.namens {
        store::insert_verwerking(
            db,
            regel,
            regel.actie,
            &activity,
            &vault.pseudonym(&subject.to_string()),
        )
        .await?;
    }
    if let Some((actor, _)) = regel.actor
        && Some(actor) != regel.namens
    {
        store::insert_verwerking(
            db,
            regel,
            "vastleggen-actor-in-auditlog",
            &format!("{REGISTER}auditlog/v1"),
            &vault.pseudonym(&actor.to_string()),
        )
        .await?;
    }
    Ok(())
}

/// The audit line of something a logged-in person did successfully (a transition, an
/// administrator's action), with its processing record; `db` may be the change's transaction.
pub async fn gelukt(
    db: &impl ConnectionTrait,
    vault: &BsnVault,
    principal: &crate::http::principal::Principal,
    namens: Option<Uuid>,
    actie: &str,
    resource: &str,
    verwerkingsactiviteit: &str,
) -> Result<(), DbErr> {
    record(
        db,
        vault,
        &Regel {
            actor: principal.actor(),
            namens,
            actie,
            resource,
            uitkomst: Uitkomst::Gelukt,
            reden: None,
            trace_id: &principal.trace_id,
            verwerkingsactiviteit,
            start_ms: now_ms(),
        },
    )
    .await
}

pub use crate::db::now_ms;
