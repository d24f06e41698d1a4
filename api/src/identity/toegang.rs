//! The one authorisation function. Every access to a parent's data goes through [`beslis`],
//! which decides, writes the audit entry (and the processing record), and hands out a
//! [`Toegang`]: the store functions that read or write a parent's data take that handle, not a
//! bare id, so a handler cannot skip the decision.

use uuid::Uuid;

use crate::AppState;
use crate::audit::{self, Regel, Uitkomst};
use crate::http::principal::Principal;
use crate::http::{ApiError, ProblemType};

/// What a principal wants to do with a parent's data. The code doubles as the mandate scope
/// ([F]) and names the processing activity in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actie {
    ProfielInzien,
    LogboekInzien,
    AanvraagInzien,
    AanvraagWijzigen,
    /// E-mail address, language, which mail (notifications).
    MeldingenBeheren,
    /// The in-app inbox.
    BerichtenInzien,
    /// Assigning a submitted claim to a behandelaar (the queue is shared by the team).
    AanvraagToewijzen,
    /// Deciding on posts, asking the parent questions, referring, offering, recording payments:
    /// the assigned behandelaar.
    AanvraagBeoordelen,
    /// The second pair of eyes on a large offer: any behandelaar but the one who made it.
    AanbodGoedkeuren,
    /// Accepting or rejecting an offer: the parent (a gemachtigde with that scope in [F]).
    AanbodBeantwoorden,
    /// Adding or deleting evidence documents (a gemachtigde with that scope in [F]).
    BewijsToevoegen,
    /// Submitting the claim (a gemachtigde with the `indienen` scope).
    AanvraagIndienen,
    /// Withdrawing the claim: the parent's own decision, never a mandate scope.
    AanvraagIntrekken,
    /// Booking, seeing and cancelling restorative conversations (a gemachtigde with that scope).
    GesprekkenPlannen,
    /// Inviting, requesting, accepting, changing and ending a mandate: the parent, and the
    /// representative of that mandate; never itself a mandate scope.
    MachtigingBeheren,
    /// Granting and revoking consent for a data source: the parent's own, never a mandate scope
    /// ("de ouder houdt de regie over deze keuze").
    ToestemmingBeheren,
    /// Seeing consents, retrievals and retrieved data.
    GegevensInzien,
    /// Retrieving from the sources consented to (a gemachtigde with that scope in [F]).
    GegevensOphalen,
    /// Confirming or disputing a retrieved datum (it changes the claim's answers).
    GegevensBeoordelen,
    /// The parent's export of everything held about them (never a representative's).
    InzageOpvragen,
}

impl Actie {
    pub fn code(self) -> &'static str {
        match self {
            Actie::ProfielInzien => "profiel-inzien",
            Actie::LogboekInzien => "logboek-inzien",
            Actie::AanvraagInzien => "aanvraag-inzien",
            Actie::AanvraagWijzigen => "aanvraag-wijzigen",
            Actie::MeldingenBeheren => "meldingen-beheren",
            Actie::BerichtenInzien => "berichten-inzien",
            Actie::AanvraagToewijzen => "aanvraag-toewijzen",
            Actie::AanvraagBeoordelen => "aanvraag-beoordelen",
            Actie::AanbodGoedkeuren => "aanbod-goedkeuren",
            Actie::AanbodBeantwoorden => "aanbod-beantwoorden",
            Actie::BewijsToevoegen => "bewijs-toevoegen",
            Actie::AanvraagIndienen => "aanvraag-indienen",
            Actie::AanvraagIntrekken => "aanvraag-intrekken",
            Actie::GesprekkenPlannen => "gesprekken-plannen",
            Actie::MachtigingBeheren => "machtiging-beheren",
            Actie::ToestemmingBeheren => "toestemming-beheren",
            Actie::GegevensInzien => "gegevens-inzien",
            Actie::GegevensOphalen => "gegevens-ophalen",
            Actie::GegevensBeoordelen => "gegevens-beoordelen",
            Actie::InzageOpvragen => "inzage-opvragen",
        }
    }

    fn verwerkingsactiviteit(self) -> &'static str {
        match self {
            Actie::ProfielInzien => "profiel-inzien/v1",
            Actie::LogboekInzien => "logboek-inzien/v1",
            Actie::AanvraagInzien => "aanvraag-inzien/v1",
            Actie::AanvraagWijzigen => "aanvraag-wijzigen/v1",
            Actie::MeldingenBeheren => "meldingen-beheren/v1",
            Actie::BerichtenInzien => "berichten-inzien/v1",
            Actie::AanvraagToewijzen | Actie::AanvraagBeoordelen | Actie::AanbodGoedkeuren => {
                "aanvraag-behandelen/v1"
            }
            Actie::AanbodBeantwoorden => "aanbod-beantwoorden/v1",
            Actie::BewijsToevoegen => "aanvraag-wijzigen/v1",
            Actie::AanvraagIndienen | Actie::AanvraagIntrekken => "aanvraag-wijzigen/v1",
            Actie::GesprekkenPlannen => "herstelrechtgesprekken/v1",
            Actie::MachtigingBeheren => "machtigingen/v1",
            Actie::ToestemmingBeheren => "toestemming-gegevensbronnen/v1",
            Actie::GegevensInzien => "gegevens-inzien/v1",
            Actie::GegevensOphalen => "gegevens-ophalen/v1",
            Actie::GegevensBeoordelen => "aanvraag-wijzigen/v1",
            Actie::InzageOpvragen => "inzage/v1",
        }
    }

    /// Staff work on a parent's claim: never granted because the data is one's own.
    fn personeel(self) -> bool {
        matches!(
            self,
            Actie::AanvraagToewijzen | Actie::AanvraagBeoordelen | Actie::AanbodGoedkeuren
        )
    }
}

/// Proof that access to one parent's data was decided and logged. Only [`beslis`] makes one.
#[derive(Debug)]
pub struct Toegang {
    ouder: Uuid,
    actie: Actie,
}

impl Toegang {
    pub fn ouder(&self) -> Uuid {
        self.ouder
    }

    pub fn actie(&self) -> Actie {
        self.actie
    }
}

/// What ties a principal to one resource of a parent, beyond being that parent; each capability
/// fills what it owns (claims: the assigned behandelaar).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relatie {
    pub toegewezen_behandelaar: Option<Uuid>,
    /// The scopes (as bits) of the active mandate the principal holds for this parent; filled
    /// by [`beslis_met`] on every request, so a revoked or expired mandate stops at once.
    pub machtiging: Option<u16>,
    /// The representative of the mandate being looked at or answered ([F]).
    pub gemachtigde_van_machtiging: Option<Uuid>,
    /// The expert who holds the conversation being looked at or changed ([G]).
    pub gespreksleider: Option<Uuid>,
}

/// Why access is granted, or `None`. Pure, so the rules are unit-tested.
pub fn grond(
    principal: &Principal,
    actie: Actie,
    ouder: Uuid,
    relatie: &Relatie,
) -> Option<&'static str> {
    // Anyone may see their own data (a parent's, but also a lawyer's own profile and trail).
    // Acting for someone, one's own data is out of reach except who one is (`GET /mij`).
    let eigen = principal.represents.is_none() || actie == Actie::ProfielInzien;
    if principal.persoon_id == ouder && eigen && !actie.personeel() {
        return Some("zelf");
    }
    let behandelaar = principal.has_role("behandelaar");
    let toegewezen = behandelaar && relatie.toegewezen_behandelaar == Some(principal.persoon_id);
    // The behandelaar assigned to a claim may read it; changing the parent's answers stays the
    // parent's (a handler adjusts posts through the handling API, never through the answers).
    if matches!(actie, Actie::AanvraagInzien | Actie::AanvraagBeoordelen) && toegewezen {
        return Some("toegewezen behandelaar");
    }
    // Four eyes: the service checks that the approver did not make the offer.
    if actie == Actie::AanbodGoedkeuren && behandelaar {
        return Some("tweede behandelaar");
    }
    // Any behandelaar may take a submitted claim nobody has yet, or triage it (the queue is
    // shared by the team); once assigned, only the assigned behandelaar hands it over or
    // re-triages it. The claims service checks that it is submitted.
    if actie == Actie::AanvraagToewijzen
        && behandelaar
        && relatie
            .toegewezen_behandelaar
            .is_none_or(|b| b == principal.persoon_id)
    {
        return Some("behandelaar wijst toe");
    }
    // Both parties manage the mandate between them; the representative only with their own
    // token, never while acting for someone.
    if actie == Actie::MachtigingBeheren
        && principal.represents.is_none()
        && relatie.gemachtigde_van_machtiging == Some(principal.persoon_id)
    {
        return Some("partij van de machtiging");
    }
    // A conversation is its expert's to see and change, and a beheerder's, who keeps the
    // experts' agendas ([G]).
    if actie == Actie::GesprekkenPlannen
        && principal.represents.is_none()
        && (principal.has_role("beheerder")
            || principal.has_role("gespreksleider")
                && relatie.gespreksleider == Some(principal.persoon_id))
    {
        return Some("gespreksleider of beheerder van het gesprek");
    }
    // A gemachtigde acts for the parent their token names, with an active mandate whose scopes
    // include the action ([F]); a gespreksleider is tied to their conversations ([G]).
    if principal.represents == Some(ouder)
        && relatie
            .machtiging
            .is_some_and(|m| crate::machtiging::bevoegdheid::staat_toe(m, actie))
    {
        return Some("gemachtigde");
    }
    None
}

/// Decides access of `principal` to `ouder`'s data for `actie` on `resource`. A refusal answers
/// 404: whether the object exists is not revealed.
pub async fn beslis(
    state: &AppState,
    principal: &Principal,
    actie: Actie,
    ouder: Uuid,
    resource: &str,
) -> Result<Toegang, ApiError> {
    beslis_met(
        state,
        principal,
        actie,
        ouder,
        resource,
        &Relatie::default(),
    )
    .await
}

/// [`beslis`] for a resource with relations beyond ownership (e.g. an assigned behandelaar).
pub async fn beslis_met(
    state: &AppState,
    principal: &Principal,
    actie: Actie,
    ouder: Uuid,
    resource: &str,
    relatie: &Relatie,
) -> Result<Toegang, ApiError> {
    let start_ms = audit::now_ms();
    let mut relatie = *relatie;
    if principal.represents == Some(ouder) {
        relatie.machtiging = crate::machtiging::store::actief_masker(
            &state.db,
            principal.persoon_id,
            ouder,
            start_ms,
        )
        .await?;
    }
    let grond = grond(principal, actie, ouder, &relatie);
    // The audit line and its processing records in one transaction: one commit (one WAL flush
    // on PostgreSQL) per decision instead of one per row, and never a line without its records.
    let tx = crate::db::begin_write(&state.db).await?;
    audit::record(
        &tx,
        &state.vault,
        &Regel {
            actor: principal.actor(),
            namens: Some(ouder),
            actie: actie.code(),
            resource,
            uitkomst: if grond.is_some() {
                Uitkomst::Toegestaan
            } else {
                Uitkomst::Geweigerd
            },
            reden: Some(grond.unwrap_or("geen grond voor toegang")),
            trace_id: &principal.trace_id,
            verwerkingsactiviteit: actie.verwerkingsactiviteit(),
            start_ms,
        },
    )
    .await?;
    tx.commit().await?;
    match grond {
        Some(_) => Ok(Toegang { ouder, actie }),
        None => Err(ApiError::not_found()),
    }
}

/// A function only some roles may use: refusal is 403 (the function's existence is public).
pub async fn vereis_rol(
    state: &AppState,
    principal: &Principal,
    rollen: &[&str],
    functie: &str,
) -> Result<(), ApiError> {
    if rollen.iter().any(|r| principal.has_role(r)) {
        return Ok(());
    }
    audit::record(
        &state.db,
        &state.vault,
        &Regel {
            actor: principal.actor(),
            namens: None,
            actie: functie,
            resource: functie,
            uitkomst: Uitkomst::Geweigerd,
            reden: Some("rol niet toegestaan"),
            trace_id: &principal.trace_id,
            verwerkingsactiviteit: "api-toegang/v1",
            start_ms: audit::now_ms(),
        },
    )
    .await?;
    Err(ApiError::new(
        ProblemType::GeenToegang,
        "Deze functie is niet beschikbaar voor uw rol.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::persona::Soort;

    fn principal(soort: Soort, id: Uuid, represents: Option<Uuid>) -> Principal {
        Principal {
            persoon_id: id,
            soort,
            rollen: vec![],
            acr: None,
            represents,
            sessie_id: Uuid::nil(),
            trace_id: String::new(),
        }
    }

    #[test]
    fn a_parent_may_see_only_their_own_data() {
        let me = Uuid::now_v7();
        let other = Uuid::now_v7();
        let geen = Relatie::default();
        let a = Actie::AanvraagInzien;
        assert!(grond(&principal(Soort::Ouder, me, None), a, me, &geen).is_some());
        assert!(grond(&principal(Soort::Ouder, me, None), a, other, &geen).is_none());
        // Staff actions are never the parent's own, even on their own claim.
        let zelf = principal(Soort::Ouder, me, None);
        assert!(grond(&zelf, Actie::AanvraagBeoordelen, me, &geen).is_none());
        assert!(grond(&zelf, Actie::AanbodBeantwoorden, me, &geen).is_some());
    }

    #[test]
    fn nobody_else_without_a_relation() {
        let parent = Uuid::now_v7();
        let lawyer = Uuid::now_v7();
        let geen = Relatie::default();
        let a = Actie::AanvraagInzien;
        assert!(
            grond(
                &principal(Soort::Advocaat, lawyer, Some(parent)),
                a,
                parent,
                &geen
            )
            .is_none()
        );
        assert!(
            grond(
                &principal(Soort::Medewerker, lawyer, None),
                a,
                parent,
                &geen
            )
            .is_none()
        );
    }

    #[test]
    fn a_conversation_is_its_experts_and_a_beheerders() {
        let (parent, ruud, karin) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let gesprek = Relatie {
            gespreksleider: Some(ruud),
            ..Relatie::default()
        };
        let mut p = principal(Soort::Medewerker, ruud, None);
        p.rollen = vec!["gespreksleider".into()];
        assert!(grond(&p, Actie::GesprekkenPlannen, parent, &gesprek).is_some());
        // Only that: not the parent's claim, and not another expert's conversation.
        assert!(grond(&p, Actie::AanvraagInzien, parent, &gesprek).is_none());
        let mut k = principal(Soort::Medewerker, karin, None);
        k.rollen = vec!["gespreksleider".into()];
        assert!(grond(&k, Actie::GesprekkenPlannen, parent, &gesprek).is_none());
        let mut b = principal(Soort::Medewerker, karin, None);
        b.rollen = vec!["beheerder".into()];
        assert!(grond(&b, Actie::GesprekkenPlannen, parent, &gesprek).is_some());
        assert!(grond(&b, Actie::AanvraagInzien, parent, &gesprek).is_none());
    }

    #[test]
    fn the_assigned_behandelaar_may_read_but_not_change_the_answers() {
        let parent = Uuid::now_v7();
        let anouk = Uuid::now_v7();
        let mut p = principal(Soort::Medewerker, anouk, None);
        p.rollen = vec!["behandelaar".into()];
        let toegewezen = Relatie {
            toegewezen_behandelaar: Some(anouk),
            ..Relatie::default()
        };
        let ander = Relatie {
            toegewezen_behandelaar: Some(Uuid::now_v7()),
            ..Relatie::default()
        };
        assert!(grond(&p, Actie::AanvraagInzien, parent, &toegewezen).is_some());
        assert!(grond(&p, Actie::AanvraagWijzigen, parent, &toegewezen).is_none());
        assert!(grond(&p, Actie::AanvraagInzien, parent, &ander).is_none());
        assert!(grond(&p, Actie::AanvraagBeoordelen, parent, &toegewezen).is_some());
        assert!(grond(&p, Actie::AanvraagBeoordelen, parent, &ander).is_none());
        assert!(grond(&p, Actie::AanbodBeantwoorden, parent, &toegewezen).is_none());
        p.rollen = vec!["gespreksleider".into()];
        assert!(grond(&p, Actie::AanvraagInzien, parent, &toegewezen).is_none());
    }
}
