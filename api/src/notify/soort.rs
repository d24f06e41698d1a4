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
    /// A behandelaar asks the parent a question about the claim.
    VraagGesteld,
    /// The offer reached the parent.
    AanbodGedaan,
    /// Scheduled a few days before the response window ends; cancelled by an answer.
    AanbodHerinnering,
    /// The confirmation of the settlement.
    AanbodAanvaard,
    /// The confirmation of a rejection, with the choices that remain.
    AanbodAfgewezen,
    /// Referred to the committee for complex damage.
    AanvraagDoorverwezen,
    /// Sent on every change of the payout account, so a hijack does not go unseen.
    BankrekeningGewijzigd,
    /// The compensation was paid.
    BetalingGedaan,
    /// A consent for a data source was revoked: its data is gone, answers from it reopen.
    ToestemmingIngetrokken,
    /// A mandate waits for this person's answer, or the other party answered.
    MachtigingVerzoek,
    /// A mandate ended: revoked, ended by the other party, or past its end date (scheduled).
    MachtigingBeeindigd,
    /// The gemachtigde submitted or answered an offer on the parent's behalf.
    GemachtigdeHandelde,
    /// A conversation was booked (with the calendar invitation).
    GesprekGeboekt,
    /// A conversation was cancelled (with the calendar cancellation).
    GesprekGeannuleerd,
    /// Scheduled 24 hours before a conversation; withdrawn when it is cancelled.
    GesprekHerinnering,
}

pub const ALLE: [Soort; 21] = [
    Soort::EmailadresVerificatie,
    Soort::EmailadresGewijzigd,
    Soort::AanvraagGestart,
    Soort::AanvraagHerinnering,
    Soort::AanvraagIngediend,
    Soort::AanvraagInBehandeling,
    Soort::VraagGesteld,
    Soort::AanbodGedaan,
    Soort::AanbodHerinnering,
    Soort::AanbodAanvaard,
    Soort::AanbodAfgewezen,
    Soort::AanvraagDoorverwezen,
    Soort::BankrekeningGewijzigd,
    Soort::BetalingGedaan,
    Soort::ToestemmingIngetrokken,
    Soort::MachtigingVerzoek,
    Soort::MachtigingBeeindigd,
    Soort::GemachtigdeHandelde,
    Soort::GesprekGeboekt,
    Soort::GesprekGeannuleerd,
    Soort::GesprekHerinnering,
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
            Soort::VraagGesteld => "vraag-gesteld",
            Soort::AanbodGedaan => "aanbod-gedaan",
            Soort::AanbodHerinnering => "aanbod-herinnering",
            Soort::AanbodAanvaard => "aanbod-aanvaard",
            Soort::AanbodAfgewezen => "aanbod-afgewezen",
            Soort::AanvraagDoorverwezen => "aanvraag-doorverwezen",
            Soort::BankrekeningGewijzigd => "bankrekening-gewijzigd",
            Soort::BetalingGedaan => "betaling-gedaan",
            Soort::ToestemmingIngetrokken => "toestemming-ingetrokken",
            Soort::MachtigingVerzoek => "machtiging-verzoek",
            Soort::MachtigingBeeindigd => "machtiging-beeindigd",
            Soort::GemachtigdeHandelde => "gemachtigde-handelde",
            Soort::GesprekGeboekt => "gesprek-geboekt",
            Soort::GesprekGeannuleerd => "gesprek-geannuleerd",
            Soort::GesprekHerinnering => "gesprek-herinnering",
        }
    }

    pub fn parse(code: &str) -> Option<Soort> {
        ALLE.into_iter().find(|s| s.code() == code)
    }

    /// Essential mail is sent even when the person opted out of the rest.
    pub fn essentieel(self) -> bool {
        matches!(
            self,
            Soort::EmailadresVerificatie
                | Soort::EmailadresGewijzigd
                | Soort::AanvraagIngediend
                | Soort::AanbodGedaan
                | Soort::AanbodAanvaard
                | Soort::BankrekeningGewijzigd
                | Soort::MachtigingBeeindigd
                | Soort::GemachtigdeHandelde
                | Soort::GesprekGeboekt
                | Soort::GesprekGeannuleerd
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
            Soort::VraagGesteld => "Een bericht als de behandelaar u een vraag stelt.",
            Soort::AanbodGedaan => "Een bericht als u een aanbod krijgt.",
            Soort::AanbodHerinnering => {
                "Een herinnering als de termijn voor uw antwoord op een aanbod bijna voorbij is."
            }
            Soort::AanbodAanvaard => "Een bevestiging als u akkoord gaat met een aanbod.",
            Soort::AanbodAfgewezen => "Een bevestiging als u niet akkoord gaat met een aanbod.",
            Soort::AanvraagDoorverwezen => {
                "Een bericht als uw aanvraag naar de commissie voor complexe schade gaat."
            }
            Soort::BankrekeningGewijzigd => {
                "Een melding als het rekeningnummer voor uw uitbetaling wijzigt."
            }
            Soort::BetalingGedaan => "Een bericht als wij uw vergoeding hebben betaald.",
            Soort::ToestemmingIngetrokken => {
                "Een bevestiging als u een toestemming voor het ophalen van gegevens intrekt."
            }
            Soort::MachtigingVerzoek => {
                "Een bericht als een machtiging op uw antwoord wacht of de ander antwoordde."
            }
            Soort::MachtigingBeeindigd => "Een bericht als een machtiging stopt.",
            Soort::GemachtigdeHandelde => {
                "Een bericht als uw gemachtigde namens u indient of op een aanbod reageert."
            }
            Soort::GesprekGeboekt => {
                "Een bevestiging met agenda-uitnodiging als een gesprek is gepland."
            }
            Soort::GesprekGeannuleerd => "Een bericht als een gesprek niet doorgaat.",
            Soort::GesprekHerinnering => "Een herinnering een dag voor uw gesprek.",
        }
    }
}
