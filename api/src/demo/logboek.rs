//! The audit trail of seeded parents, in the rows `audit::record` writes: an audit line, the
//! processing record about the parent, and one about the actor when someone else acted.

use uuid::Uuid;

use super::ouder::Context;
use super::rijen::Rijen;
use super::sleutel;
use crate::audit::REGISTER;
use crate::audit::store::{auditregel, verwerking};
use crate::identity::persona::Soort;

/// The audit trail of one parent: every line with its processing record(s), as
/// `audit::record` writes them (the subject's, and the actor's when someone else acted).
pub struct Logboek<'a> {
    pub ctx: &'a Context<'a>,
    pub i: u64,
    pub ouder: Uuid,
    pseudoniem: String,
    n: u32,
}

impl<'a> Logboek<'a> {
    pub fn new(ctx: &'a Context<'a>, i: u64, ouder: Uuid) -> Logboek<'a> {
        Logboek {
            ctx,
            i,
            ouder,
            pseudoniem: ctx.vault.pseudonym(&ouder.to_string()),
            n: 0,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn regel(
        &mut self,
        rijen: &mut Rijen,
        op: i64,
        actor: (Uuid, Soort),
        actie: &str,
        resource: String,
        activiteit: &str,
    ) {
        self.n += 1;
        let soort = format!("audit/{}", self.n);
        let trace = sleutel::trace(&soort, self.i);
        rijen.auditregel.push(auditregel::Model {
            id: sleutel::id(&soort, self.i).to_string(),
            tijdstip: op,
            actor_id: Some(actor.0.to_string()),
            actor_soort: Some(actor.1.as_str().into()),
            namens_id: Some(self.ouder.to_string()),
            actie: actie.into(),
            resource,
            uitkomst: "gelukt".into(),
            reden: None,
            trace_id: trace.clone(),
        });
        let mut verwerking = |naam: &str, activiteit: String, betrokkene: String, k: u32| {
            let id = sleutel::id(&format!("{soort}/verwerking/{k}"), self.i);
            rijen.verwerking.push(verwerking::Model {
                id: id.to_string(),
                trace_id: trace.clone(),
                span_id: id.simple().to_string()[..16].to_string(),
                naam: naam.into(),
                start_tijd: op,
                eind_tijd: op + 12,
                status: "Unset".into(),
                verwerkingsactiviteit_id: activiteit,
                betrokkene_id: betrokkene,
                betrokkene_id_type: "https://mijn-herstel.nl/pseudoniem/persoon/v1".into(),
            });
        };
        verwerking(
            actie,
            format!("{REGISTER}{activiteit}"),
            self.pseudoniem.clone(),
            1,
        );
        if actor.0 != self.ouder {
            verwerking(
                "vastleggen-actor-in-auditlog",
                format!("{REGISTER}auditlog/v1"),
                self.ctx.vault.pseudonym(&actor.0.to_string()),
                2,
            );
        }
    }
}
