//! The claim lifecycle of DAMAGE-FRAMEWORK §5, pure: the statuses, which transitions exist and
//! who may make them, and for every status what it means for the parent, what happens next, who
//! acts, and how long it usually takes (from configuration).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wizard::content::Tekst;

/// Waar een aanvraag staat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "ingediend")]
pub enum Status {
    Concept,
    Ingediend,
    InBehandeling,
    AanbodGedaan,
    Akkoord,
    NietAkkoord,
    Ingetrokken,
    Doorverwezen,
}

pub const ALLE: [Status; 8] = [
    Status::Concept,
    Status::Ingediend,
    Status::InBehandeling,
    Status::AanbodGedaan,
    Status::Akkoord,
    Status::NietAkkoord,
    Status::Ingetrokken,
    Status::Doorverwezen,
];

/// Who makes a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wie {
    Ouder,
    Behandelaar,
}

impl Wie {
    pub fn code(self) -> &'static str {
        match self {
            Wie::Ouder => "ouder",
            Wie::Behandelaar => "behandelaar",
        }
    }
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Concept => "concept",
            Status::Ingediend => "ingediend",
            Status::InBehandeling => "in-behandeling",
            Status::AanbodGedaan => "aanbod-gedaan",
            Status::Akkoord => "akkoord",
            Status::NietAkkoord => "niet-akkoord",
            Status::Ingetrokken => "ingetrokken",
            Status::Doorverwezen => "doorverwezen",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        ALLE.into_iter().find(|s| s.code() == code)
    }

    /// A claim in this status still counts as the parent's one open claim.
    pub fn open(self) -> bool {
        !matches!(self, Status::Akkoord | Status::Ingetrokken)
    }
}

/// Whether `wie` may move a claim from `van` to `naar`.
pub fn mag(van: Status, naar: Status, wie: Wie) -> bool {
    use Status::*;
    match (wie, van, naar) {
        (Wie::Ouder, Concept, Ingediend) => true,
        // Withdrawing is possible at any point before agreeing to the settlement.
        (Wie::Ouder, v, Ingetrokken) => !matches!(v, Akkoord | Ingetrokken),
        (Wie::Ouder, AanbodGedaan, Akkoord | NietAkkoord) => true,
        (Wie::Behandelaar, Ingediend, InBehandeling) => true,
        (Wie::Behandelaar, InBehandeling | NietAkkoord, AanbodGedaan) => true,
        (Wie::Behandelaar, Ingediend | InBehandeling, Doorverwezen) => true,
        _ => false,
    }
}

/// What a status means for the parent.
#[derive(Debug, Clone)]
pub struct Uitleg {
    pub betekenis: Tekst,
    pub volgende_stap: Tekst,
    pub aan_zet: &'static str,
}

pub fn uitleg(status: Status) -> Uitleg {
    let t = |nl: &str, en: &str| Tekst::new(nl, en);
    match status {
        Status::Concept => Uitleg {
            betekenis: t(
                "U bent bezig met uw aanvraag. Uw antwoorden zijn bewaard.",
                "You are working on your application. Your answers are saved.",
            ),
            volgende_stap: t(
                "Beantwoord de vragen, controleer alles en dien de aanvraag in.",
                "Answer the questions, check everything and submit the application.",
            ),
            aan_zet: "ouder",
        },
        Status::Ingediend => Uitleg {
            betekenis: t(
                "Wij hebben uw aanvraag ontvangen. U kunt niets meer wijzigen.",
                "We have received your application. You can no longer change it.",
            ),
            volgende_stap: t(
                "Een behandelaar neemt uw aanvraag in behandeling. U krijgt bericht als dat gebeurt.",
                "A case handler will take up your application. You will hear from us when that happens.",
            ),
            aan_zet: "behandelaar",
        },
        Status::InBehandeling => Uitleg {
            betekenis: t(
                "Een behandelaar bekijkt uw aanvraag.",
                "A case handler is looking at your application.",
            ),
            volgende_stap: t(
                "De behandelaar kan u een vraag stellen. Daarna krijgt u een aanbod.",
                "The case handler may ask you a question. After that you will receive an offer.",
            ),
            aan_zet: "behandelaar",
        },
        Status::AanbodGedaan => Uitleg {
            betekenis: t(
                "U heeft een aanbod gekregen.",
                "You have received an offer.",
            ),
            volgende_stap: t(
                "Lees het aanbod en zeg of u akkoord gaat. Neem de tijd, en vraag hulp als u dat wilt.",
                "Read the offer and say whether you agree. Take your time, and ask for help if you want.",
            ),
            aan_zet: "ouder",
        },
        Status::Akkoord => Uitleg {
            betekenis: t(
                "U bent akkoord gegaan met het aanbod. Dit is de afspraak over uw schade.",
                "You agreed to the offer. This is the settlement of your damage.",
            ),
            volgende_stap: t(
                "Wij betalen het bedrag uit op de rekening die u opgaf.",
                "We pay the amount into the account you gave.",
            ),
            aan_zet: "behandelaar",
        },
        Status::NietAkkoord => Uitleg {
            betekenis: t(
                "U bent niet akkoord gegaan met het aanbod.",
                "You did not agree to the offer.",
            ),
            volgende_stap: t(
                "U kunt vragen om een nieuwe beoordeling, of kiezen voor een bestuursrechtelijke beoordeling.",
                "You can ask for a new review, or choose an assessment under administrative law.",
            ),
            aan_zet: "ouder",
        },
        Status::Ingetrokken => Uitleg {
            betekenis: t(
                "U heeft uw aanvraag ingetrokken.",
                "You withdrew your application.",
            ),
            volgende_stap: t(
                "Er gebeurt niets meer met deze aanvraag. U kunt een nieuwe aanvraag beginnen.",
                "Nothing more happens with this application. You can start a new one.",
            ),
            aan_zet: "niemand",
        },
        Status::Doorverwezen => Uitleg {
            betekenis: t(
                "Uw aanvraag is doorverwezen naar de commissie voor complexe schade.",
                "Your application was referred to the committee for complex damage.",
            ),
            volgende_stap: t(
                "De commissie neemt contact met u op.",
                "The committee will contact you.",
            ),
            aan_zet: "commissie",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parent_submits_and_may_withdraw_until_agreeing() {
        assert!(mag(Status::Concept, Status::Ingediend, Wie::Ouder));
        assert!(!mag(Status::Ingediend, Status::Ingediend, Wie::Ouder));
        for s in ALLE {
            assert_eq!(
                mag(s, Status::Ingetrokken, Wie::Ouder),
                !matches!(s, Status::Akkoord | Status::Ingetrokken),
                "{s:?}"
            );
        }
        assert!(!mag(Status::Concept, Status::Ingediend, Wie::Behandelaar));
        assert!(!mag(Status::Ingediend, Status::InBehandeling, Wie::Ouder));
    }

    #[test]
    fn every_status_has_a_code_and_an_explanation() {
        for s in ALLE {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert!(!uitleg(s).betekenis.nl().is_empty());
        }
    }
}
