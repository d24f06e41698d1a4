//! The fixed, documented set of scopes (bevoegdheden) a parent can give a representative, which
//! action each one allows, and what a mandate's state means — pure, so the rules are unit-tested.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::identity::toegang::Actie;

/// Wat een gemachtigde namens de ouder mag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "aanvraag-inzien")]
pub enum Bevoegdheid {
    /// De aanvraag, de schadeposten, de tijdlijn, de opgehaalde gegevens en het aanbod bekijken.
    AanvraagInzien,
    /// Antwoorden invullen en wijzigen, opgehaalde gegevens bevestigen of betwisten.
    AntwoordenInvullen,
    /// Bewijsstukken toevoegen.
    BewijsToevoegen,
    /// Gegevens ophalen bij bronnen waarvoor de ouder toestemming gaf.
    GegevensOphalen,
    /// De aanvraag indienen.
    Indienen,
    /// Op een aanbod reageren (akkoord, niet akkoord, meer tijd).
    AanbodBeantwoorden,
    /// Herstelrechtgesprekken boeken, verzetten en afzeggen.
    GesprekkenPlannen,
    /// Berichten over de aanvraag ontvangen.
    CorrespondentieOntvangen,
}

pub const ALLE: [Bevoegdheid; 8] = [
    Bevoegdheid::AanvraagInzien,
    Bevoegdheid::AntwoordenInvullen,
    Bevoegdheid::BewijsToevoegen,
    Bevoegdheid::GegevensOphalen,
    Bevoegdheid::Indienen,
    Bevoegdheid::AanbodBeantwoorden,
    Bevoegdheid::GesprekkenPlannen,
    Bevoegdheid::CorrespondentieOntvangen,
];

/// Conservative defaults: help with the questionnaire, nothing that commits the parent.
pub const STANDAARD: [Bevoegdheid; 3] = [
    Bevoegdheid::AanvraagInzien,
    Bevoegdheid::AntwoordenInvullen,
    Bevoegdheid::BewijsToevoegen,
];

impl Bevoegdheid {
    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    pub fn code(self) -> &'static str {
        match self {
            Bevoegdheid::AanvraagInzien => "aanvraag-inzien",
            Bevoegdheid::AntwoordenInvullen => "antwoorden-invullen",
            Bevoegdheid::BewijsToevoegen => "bewijs-toevoegen",
            Bevoegdheid::GegevensOphalen => "gegevens-ophalen",
            Bevoegdheid::Indienen => "indienen",
            Bevoegdheid::AanbodBeantwoorden => "aanbod-beantwoorden",
            Bevoegdheid::GesprekkenPlannen => "gesprekken-plannen",
            Bevoegdheid::CorrespondentieOntvangen => "correspondentie-ontvangen",
        }
    }

    pub fn parse(code: &str) -> Option<Bevoegdheid> {
        ALLE.into_iter().find(|b| b.code() == code)
    }
}

/// A set of scopes as bits: small and `Copy`, so it travels in the authorisation relation.
pub fn masker(bevoegdheden: &[Bevoegdheid]) -> u16 {
    bevoegdheden.iter().fold(0, |m, b| m | b.bit())
}

/// The scope an action needs when a gemachtigde does it; `None`: never on someone's behalf
/// (consent, the parent's own trail and settings, staff work).
pub fn nodig_voor(actie: Actie) -> Option<Bevoegdheid> {
    Some(match actie {
        Actie::AanvraagInzien | Actie::GegevensInzien => Bevoegdheid::AanvraagInzien,
        Actie::AanvraagWijzigen | Actie::GegevensBeoordelen => Bevoegdheid::AntwoordenInvullen,
        Actie::BewijsToevoegen => Bevoegdheid::BewijsToevoegen,
        Actie::GegevensOphalen => Bevoegdheid::GegevensOphalen,
        Actie::AanvraagIndienen => Bevoegdheid::Indienen,
        Actie::AanbodBeantwoorden => Bevoegdheid::AanbodBeantwoorden,
        Actie::BerichtenInzien => Bevoegdheid::CorrespondentieOntvangen,
        Actie::GesprekkenPlannen => Bevoegdheid::GesprekkenPlannen,
        _ => return None,
    })
}

/// What the parent's transparency view shows: the reads as they were allowed, the changes as
/// they succeeded (so a refused or failed attempt never reads as done).
pub fn getoond(uitkomst: &str, actie: &str) -> bool {
    match uitkomst {
        "toegestaan" => matches!(
            actie,
            "aanvraag-inzien" | "gegevens-inzien" | "berichten-inzien"
        ),
        "gelukt" => true,
        _ => false,
    }
}

/// Whether a mandate with scopes `masker` allows `actie`.
pub fn staat_toe(masker: u16, actie: Actie) -> bool {
    nodig_voor(actie).is_some_and(|b| masker & b.bit() != 0)
}

/// De status van een machtiging; `verlopen` volgt uit de einddatum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "actief")]
pub enum Machtigingsstatus {
    /// De ouder nodigde uit; de gemachtigde moet nog aanvaarden.
    Uitgenodigd,
    /// De gemachtigde vroeg erom; de ouder moet nog aanvaarden.
    Aangevraagd,
    Actief,
    /// De andere partij zei nee.
    Geweigerd,
    /// Door de ouder ingetrokken.
    Ingetrokken,
    /// Door de gemachtigde beëindigd.
    Beeindigd,
    /// De einddatum is voorbij.
    Verlopen,
}

impl Machtigingsstatus {
    pub fn code(self) -> &'static str {
        match self {
            Machtigingsstatus::Uitgenodigd => "uitgenodigd",
            Machtigingsstatus::Aangevraagd => "aangevraagd",
            Machtigingsstatus::Actief => "actief",
            Machtigingsstatus::Geweigerd => "geweigerd",
            Machtigingsstatus::Ingetrokken => "ingetrokken",
            Machtigingsstatus::Beeindigd => "beeindigd",
            Machtigingsstatus::Verlopen => "verlopen",
        }
    }

    /// As stored, then the end date: an open or active mandate past its end has expired.
    pub fn van(opgeslagen: &str, geldig_tot: i64, nu: i64) -> Machtigingsstatus {
        let s = match opgeslagen {
            "uitgenodigd" => Machtigingsstatus::Uitgenodigd,
            "aangevraagd" => Machtigingsstatus::Aangevraagd,
            "actief" => Machtigingsstatus::Actief,
            "geweigerd" => Machtigingsstatus::Geweigerd,
            "ingetrokken" => Machtigingsstatus::Ingetrokken,
            _ => Machtigingsstatus::Beeindigd,
        };
        let open = matches!(
            s,
            Machtigingsstatus::Uitgenodigd
                | Machtigingsstatus::Aangevraagd
                | Machtigingsstatus::Actief
        );
        if open && geldig_tot <= nu {
            Machtigingsstatus::Verlopen
        } else {
            s
        }
    }
}

/// What a gemachtigde did, in words for the parent: "… heeft op 3 maart uw antwoorden bij Wonen
/// gewijzigd". `stap` comes from the resource when the action was on one step.
pub fn zin(naam: &str, datum: &str, actie: &str, stap: Option<&str>) -> Option<String> {
    let wat = match (actie, stap) {
        ("aanvraag-wijzigen", Some(stap)) => format!("uw antwoorden bij {stap} gewijzigd"),
        ("aanvraag-wijzigen", None) => "uw aanvraag gewijzigd".into(),
        ("aanvraag-inzien", _) => "uw aanvraag bekeken".into(),
        ("gegevens-inzien", _) => "uw opgehaalde gegevens bekeken".into(),
        ("berichten-inzien", _) => "uw berichten gelezen".into(),
        ("bewijsstuk-toevoegen", _) => "een bewijsstuk toegevoegd".into(),
        ("bewijsstuk-verwijderen", _) => "een bewijsstuk verwijderd".into(),
        ("gegevens-ophalen", _) => {
            "gegevens over u opgehaald bij de bronnen waarvoor u toestemming gaf".into()
        }
        ("gegeven-bevestigd", _) => "een opgehaald gegeven bevestigd".into(),
        ("gegeven-betwist", _) => "een opgehaald gegeven betwist".into(),
        ("vraag-beantwoorden", _) => "een vraag van de behandelaar beantwoord".into(),
        ("aanvraag-indienen", _) => "uw aanvraag ingediend".into(),
        ("aanbod-aanvaarden", _) => "namens u akkoord gegeven op het aanbod".into(),
        ("aanbod-afwijzen", _) => "namens u het aanbod afgewezen".into(),
        ("aanbod-verlengen", _) => "meer tijd gevraagd voor het aanbod".into(),
        _ => return None,
    };
    Some(format!("{naam} heeft op {datum} {wat}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_allow_only_their_actions() {
        let m = masker(&STANDAARD);
        assert!(staat_toe(m, Actie::AanvraagInzien));
        assert!(staat_toe(m, Actie::AanvraagWijzigen));
        assert!(!staat_toe(m, Actie::AanvraagIndienen));
        assert!(!staat_toe(m, Actie::AanbodBeantwoorden));
        assert!(!staat_toe(m, Actie::GegevensOphalen));
        // Never on someone's behalf, whatever the scopes.
        let alles = masker(&ALLE);
        for actie in [
            Actie::ToestemmingBeheren,
            Actie::LogboekInzien,
            Actie::MeldingenBeheren,
            Actie::AanvraagBeoordelen,
        ] {
            assert!(!staat_toe(alles, actie), "{actie:?}");
        }
    }

    #[test]
    fn an_open_mandate_past_its_end_has_expired() {
        assert_eq!(
            Machtigingsstatus::van("actief", 10, 5),
            Machtigingsstatus::Actief
        );
        assert_eq!(
            Machtigingsstatus::van("actief", 10, 10),
            Machtigingsstatus::Verlopen
        );
        assert_eq!(
            Machtigingsstatus::van("uitgenodigd", 10, 11),
            Machtigingsstatus::Verlopen
        );
        assert_eq!(
            Machtigingsstatus::van("ingetrokken", 10, 11),
            Machtigingsstatus::Ingetrokken
        );
    }

    #[test]
    fn the_parent_reads_what_was_done_in_words() {
        assert_eq!(
            zin(
                "mr. Lotte Visser",
                "3 maart 2027",
                "aanvraag-wijzigen",
                Some("Wonen")
            )
            .unwrap(),
            "mr. Lotte Visser heeft op 3 maart 2027 uw antwoorden bij Wonen gewijzigd."
        );
        assert!(zin("x", "y", "toestemming-beheren", None).is_none());
    }
}
