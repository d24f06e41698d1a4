//! The kinds of message and what each may do. A new kind is a variant here plus its two
//! templates (`templates/<code>.nl.txt`, `templates/<code>.en.txt`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Het soort bericht.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = Berichtsoortcode, example = "aanvraag-gestart")]
pub enum Soort {
    /// The code that proves a new address is the person's; goes to that (unverified) address.
    EmailadresVerificatie,
    /// Sent to the previous address when the address changes, so a hijack does not go unseen.
    EmailadresGewijzigd,
    AanvraagGestart,
    /// Scheduled after the last change of an unfinished claim; moved on by every change.
    AanvraagHerinnering,
    /// The confirmation of a submission, with what happens next.
    AanvraagIngediend,
    /// A behandelaar took the claim on.
    AanvraagInBehandeling,
}

pub const ALLE: [Soort; 6] = [
    Soort::EmailadresVerificatie,
    Soort::EmailadresGewijzigd,
    Soort::AanvraagGestart,
    Soort::AanvraagHerinnering,
    Soort::AanvraagIngediend,
    Soort::AanvraagInBehandeling,
];

impl Soort {
    pub fn code(self) -> &'static str {
        match self {
            Soort::EmailadresVerificatie => "emailadres-verificatie",
            Soort::EmailadresGewijzigd => "emailadres-gewijzigd",
            Soort::AanvraagGestart => "aanvraag-gestart",
            Soort::AanvraagHerinnering => "aanvraag-herinnering",
            Soort::AanvraagIngediend => "aanvraag-ingediend",
            Soort::AanvraagInBehandeling => "aanvraag-in-behandeling",
        }
    }

    pub fn parse(code: &str) -> Option<Soort> {
        ALLE.into_iter().find(|s| s.code() == code)
    }

    /// Essential mail is sent even when the person opted out of the rest.
    pub fn essentieel(self) -> bool {
        matches!(
            self,
            Soort::EmailadresVerificatie | Soort::EmailadresGewijzigd | Soort::AanvraagIngediend
        )
    }

    /// Whether the message is also kept in the in-app inbox (a code is not: it is only useful
    /// in the mailbox it proves).
    pub fn in_inbox(self) -> bool {
        !matches!(self, Soort::EmailadresVerificatie)
    }

    /// Whether the mail invites the reader to log in (a button and link to the app).
    pub fn nodigt_uit(self) -> bool {
        !matches!(self, Soort::EmailadresVerificatie)
    }

    /// What the settings screen says about this kind.
    pub fn omschrijving(self) -> &'static str {
        match self {
            Soort::EmailadresVerificatie => "De code om uw e-mailadres te bevestigen.",
            Soort::EmailadresGewijzigd => {
                "Een melding aan uw oude adres als uw e-mailadres wijzigt."
            }
            Soort::AanvraagGestart => "Een bevestiging als u met een aanvraag begint.",
            Soort::AanvraagHerinnering => {
                "Een herinnering als uw aanvraag een tijd niet is aangevuld."
            }
            Soort::AanvraagIngediend => "Een bevestiging als u uw aanvraag heeft ingediend.",
            Soort::AanvraagInBehandeling => "Een bericht als een behandelaar uw aanvraag oppakt.",
        }
    }
}
