//! The test persons: who the development IdP lets you log in as, and who `seed-demo` creates.
//! Parents carry RvIG-range test BSNs (99999xxxx, passing the 11-proef): they are canaries too —
//! a test looks for them in logs and database dumps and must never find them in plaintext.

/// What kind of person logs in, and through which provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    Ouder,
    Advocaat,
    Medewerker,
}

impl Soort {
    pub fn as_str(self) -> &'static str {
        match self {
            Soort::Ouder => "ouder",
            Soort::Advocaat => "advocaat",
            Soort::Medewerker => "medewerker",
        }
    }

    pub fn parse(s: &str) -> Option<Soort> {
        match s {
            "ouder" => Some(Soort::Ouder),
            "advocaat" => Some(Soort::Advocaat),
            "medewerker" => Some(Soort::Medewerker),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Persona {
    /// Stable internal id, so seeding is idempotent and demo data can refer to it.
    pub id: &'static str,
    pub soort: Soort,
    pub naam: &'static str,
    /// Parents only.
    pub bsn: Option<&'static str>,
    /// Lawyers and staff: the subject their own IdP gives them.
    pub subject: Option<&'static str>,
    /// Lawyers: registration number with the bar (NOvA).
    pub registratienummer: Option<&'static str>,
    /// Staff: behandelaar, gespreksleider, beheerder.
    pub rollen: &'static [&'static str],
    pub email: &'static str,
    /// One line for the development IdP's page: what this person is useful for.
    pub toelichting: &'static str,
}

pub const PERSONAS: [Persona; 11] = [
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000001",
        soort: Soort::Ouder,
        naam: "Fatima El Amrani",
        bsn: Some("999993653"),
        subject: None,
        registratienummer: None,
        rollen: &[],
        email: "fatima.elamrani@example.nl",
        toelichting: "Ouder, alleen, begint net.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000002",
        soort: Soort::Ouder,
        naam: "Jeroen de Boer",
        bsn: Some("999990019"),
        subject: None,
        registratienummer: None,
        rollen: &[],
        email: "jeroen.deboer@example.nl",
        toelichting: "Ouder met een advocaat als gemachtigde.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000003",
        soort: Soort::Ouder,
        naam: "Sanne Jansen",
        bsn: Some("999990032"),
        subject: None,
        registratienummer: None,
        rollen: &[],
        email: "sanne.jansen@example.nl",
        toelichting: "Ouder; wil alleen een herstelrechtgesprek.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000004",
        soort: Soort::Ouder,
        naam: "Mohamed Yilmaz",
        bsn: Some("999990044"),
        subject: None,
        registratienummer: None,
        rollen: &[],
        email: "mohamed.yilmaz@example.nl",
        toelichting: "Ouder; andere ouder voor toegangstests.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000011",
        soort: Soort::Advocaat,
        naam: "mr. Lotte Visser",
        bsn: None,
        subject: Some("advocaat-lotte-visser"),
        registratienummer: Some("A-10234"),
        rollen: &[],
        email: "l.visser@visser-advocaten.example.nl",
        toelichting: "Advocaat.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000012",
        soort: Soort::Advocaat,
        naam: "mr. Pieter Bakker",
        bsn: None,
        subject: Some("advocaat-pieter-bakker"),
        registratienummer: Some("A-20871"),
        rollen: &[],
        email: "p.bakker@bakker-recht.example.nl",
        toelichting: "Advocaat zonder cliënten.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000021",
        soort: Soort::Medewerker,
        naam: "Anouk Smit",
        bsn: None,
        subject: Some("medewerker-anouk-smit"),
        registratienummer: None,
        rollen: &["behandelaar"],
        email: "anouk.smit@uht.example.nl",
        toelichting: "Behandelaar.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000022",
        soort: Soort::Medewerker,
        naam: "Ruud Mulder",
        bsn: None,
        subject: Some("medewerker-ruud-mulder"),
        registratienummer: None,
        rollen: &["gespreksleider"],
        email: "ruud.mulder@uht.example.nl",
        toelichting: "Gespreksleider (herstelrechtgesprekken).",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000023",
        soort: Soort::Medewerker,
        naam: "Ingrid Kok",
        bsn: None,
        subject: Some("medewerker-ingrid-kok"),
        registratienummer: None,
        rollen: &["beheerder"],
        email: "ingrid.kok@uht.example.nl",
        toelichting: "Beheerder.",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000024",
        soort: Soort::Medewerker,
        naam: "Bram Visser",
        bsn: None,
        subject: Some("medewerker-bram-visser"),
        registratienummer: None,
        rollen: &["behandelaar"],
        email: "bram.visser@uht.example.nl",
        toelichting: "Tweede behandelaar (vier ogen bij grote aanbiedingen).",
    },
    Persona {
        id: "0193a6c2-0000-7000-8000-000000000025",
        soort: Soort::Medewerker,
        naam: "Karin de Vries",
        bsn: None,
        subject: Some("medewerker-karin-de-vries"),
        registratienummer: None,
        rollen: &["gespreksleider"],
        email: "karin.devries@uht.example.nl",
        toelichting: "Tweede gespreksleider (een gesprek overnemen).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::bsn::Bsn;

    #[test]
    fn parents_have_valid_test_bsns_and_others_have_subjects() {
        for p in PERSONAS {
            match p.soort {
                Soort::Ouder => {
                    let bsn = p.bsn.expect("ouder heeft BSN");
                    assert!(bsn.starts_with("99999"), "RvIG test range: {}", p.naam);
                    Bsn::parse(bsn).unwrap();
                }
                _ => assert!(p.subject.is_some() && p.bsn.is_none(), "{}", p.naam),
            }
        }
        let mut ids: Vec<_> = PERSONAS.iter().map(|p| p.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), PERSONAS.len());
    }
}
