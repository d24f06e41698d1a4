//! The rules of assessment and settlement, pure: what a behandelaar decides per post, what the
//! offer pays per post, when a second behandelaar must approve (four eyes), the response window,
//! the submission deadline, and whether a bank account number is an IBAN.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::wizard::calc::{self, Berekening};

/// Het besluit van de behandelaar over één schadepost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "aangepast")]
pub enum Besluit {
    /// The amount of the calculation (or, for a post that needed substantiation, its full
    /// lump sum) is granted.
    Geaccepteerd,
    /// Another amount, with a reason the parent reads.
    Aangepast,
}

impl Besluit {
    pub fn code(self) -> &'static str {
        match self {
            Besluit::Geaccepteerd => "geaccepteerd",
            Besluit::Aangepast => "aangepast",
        }
    }

    pub fn parse(code: &str) -> Option<Besluit> {
        [Besluit::Geaccepteerd, Besluit::Aangepast]
            .into_iter()
            .find(|b| b.code() == code)
    }
}

/// Waar een aanbod staat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(example = "uitgebracht")]
pub enum AanbodStatus {
    /// Above the four-eyes threshold: a second behandelaar must approve before the parent sees it.
    WachtOpGoedkeuring,
    /// With the parent, who may accept or reject it.
    Uitgebracht,
    Aanvaard,
    Afgewezen,
    /// Replaced by a newer offer before the parent answered.
    Vervangen,
}

impl AanbodStatus {
    pub fn code(self) -> &'static str {
        match self {
            AanbodStatus::WachtOpGoedkeuring => "wacht-op-goedkeuring",
            AanbodStatus::Uitgebracht => "uitgebracht",
            AanbodStatus::Aanvaard => "aanvaard",
            AanbodStatus::Afgewezen => "afgewezen",
            AanbodStatus::Vervangen => "vervangen",
        }
    }

    pub fn parse(code: &str) -> Option<AanbodStatus> {
        [
            AanbodStatus::WachtOpGoedkeuring,
            AanbodStatus::Uitgebracht,
            AanbodStatus::Aanvaard,
            AanbodStatus::Afgewezen,
            AanbodStatus::Vervangen,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A behandelaar's stored decision on a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBesluit {
    pub post: String,
    pub besluit: Besluit,
    pub bedrag: i64,
    pub reden: Option<String>,
}

/// One line of an offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aanbodregel {
    pub post: String,
    /// What the submitted calculation gave.
    pub berekend: i64,
    /// What the offer pays.
    pub bedrag: i64,
    pub reden: Option<String>,
}

/// The lines of an offer from the frozen calculation and the decisions: a decided post pays
/// what was decided; an undecided granted post pays its calculated amount; an undecided post
/// that needed substantiation cannot be offered yet (returned as the second list, so the
/// behandelaar is told which). Posts that do not apply or were displaced are not offered.
pub fn aanbodregels(
    berekening: &Berekening,
    besluiten: &[PostBesluit],
) -> (Vec<Aanbodregel>, Vec<String>) {
    let mut regels = Vec::new();
    let mut open = Vec::new();
    for post in &berekening.posten {
        let besluit = besluiten.iter().find(|b| b.post == post.id);
        match (besluit, post.status) {
            (Some(b), _) => regels.push(Aanbodregel {
                post: post.id.clone(),
                berekend: post.bedrag,
                bedrag: b.bedrag,
                reden: b.reden.clone(),
            }),
            (None, calc::Status::Toegekend) => regels.push(Aanbodregel {
                post: post.id.clone(),
                berekend: post.bedrag,
                bedrag: post.bedrag,
                reden: None,
            }),
            (None, calc::Status::OnderbouwingNodig) => open.push(post.id.clone()),
            (None, _) => {}
        }
    }
    regels.retain(|r| r.bedrag > 0 || r.berekend > 0);
    (regels, open)
}

/// The amount a decision grants: accepting a post that needed substantiation grants its full
/// lump sum, not the reduced share the calculation showed.
pub fn bedrag_bij_besluit(
    besluit: Besluit,
    gevraagd: Option<i64>,
    post: &calc::PostUitkomst,
) -> Option<i64> {
    match besluit {
        Besluit::Geaccepteerd => Some(match post.status {
            calc::Status::OnderbouwingNodig => post.forfaitair_bedrag,
            _ => post.bedrag,
        }),
        Besluit::Aangepast => gevraagd,
    }
}

pub fn totaal(regels: &[Aanbodregel]) -> i64 {
    regels.iter().map(|r| r.bedrag).sum()
}

/// Offers of at least `drempel` cents need a second behandelaar before they reach the parent.
pub fn vier_ogen_nodig(totaal: i64, drempel: i64) -> bool {
    totaal >= drempel
}

/// The last day a claim can be submitted: the global date, or six months (configurable) after a
/// later decision (recognition later, or a decision on objection), whichever is later.
pub fn uiterste_indiendatum(
    algemeen: NaiveDate,
    later_besluit: Option<NaiveDate>,
    maanden: u32,
) -> NaiveDate {
    later_besluit
        .and_then(|d| d.checked_add_months(Months::new(maanden)))
        .map_or(algemeen, |d| d.max(algemeen))
}

/// A bank account number, normalised (no spaces, upper case) if it is a valid IBAN: known
/// length for NL, 15–34 characters otherwise, check digits by ISO 13616 mod-97.
pub fn iban(invoer: &str) -> Result<String, &'static str> {
    let s: String = invoer
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let geldig_teken = s.chars().all(|c| c.is_ascii_alphanumeric());
    let land = s.get(..2).unwrap_or("");
    if !geldig_teken
        || !land.chars().all(|c| c.is_ascii_alphabetic())
        || !s
            .get(2..4)
            .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("iban-vorm");
    }
    let lengte_goed = match land {
        "NL" => s.len() == 18,
        _ => (15..=34).contains(&s.len()),
    };
    if !lengte_goed {
        return Err("iban-lengte");
    }
    let herschikt = s[4..].chars().chain(s[..4].chars());
    let mut rest: u32 = 0;
    for c in herschikt {
        let waarde = c.to_digit(36).ok_or("iban-vorm")?;
        rest = if waarde >= 10 {
            (rest * 100 + waarde) % 97
        } else {
            (rest * 10 + waarde) % 97
        };
    }
    if rest != 1 {
        return Err("iban-controlegetal");
    }
    Ok(s)
}

/// What is kept readable of an IBAN: the country and the last four characters.
pub fn iban_kort(iban: &str) -> String {
    format!("{}{}", &iban[..2], &iban[iban.len().saturating_sub(4)..])
}

/// `NL** **** **** **4300`: enough to recognise one's own account, not to use it.
pub fn iban_gemaskeerd(kort: &str) -> String {
    let (land, laatste) = kort.split_at(kort.len().min(2));
    format!("{land}** **** **** **{laatste}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::calc::{PostUitkomst, Status};

    fn post(id: &str, status: Status, bedrag: i64, forfaitair: i64) -> PostUitkomst {
        PostUitkomst {
            id: id.into(),
            status,
            bedrag,
            forfaitair_bedrag: forfaitair,
            uitleg: vec![],
            bewijs_nodig: None,
            verdrongen_door: None,
        }
    }

    fn berekening(posten: Vec<PostUitkomst>) -> Berekening {
        Berekening {
            kaderversie: "2026.1".into(),
            vastgesteld: false,
            lage_impact: false,
            totaal: posten.iter().map(|p| p.bedrag).sum(),
            posten,
            invoer_hash: String::new(),
        }
    }

    #[test]
    fn valid_ibans_pass_and_typos_fail() {
        assert_eq!(
            iban("nl91 abna 0417 1643 00").unwrap(),
            "NL91ABNA0417164300"
        );
        assert_eq!(
            iban("DE89370400440532013000").unwrap(),
            "DE89370400440532013000"
        );
        assert_eq!(iban("NL91ABNA0417164301"), Err("iban-controlegetal"));
        assert_eq!(iban("NL91ABNA041716430"), Err("iban-lengte"));
        assert_eq!(iban("91NLABNA0417164300"), Err("iban-vorm"));
        assert_eq!(iban("NL91-ABNA-0417164300"), Err("iban-vorm"));
        assert_eq!(iban(""), Err("iban-vorm"));
        assert_eq!(
            iban_gemaskeerd(&iban_kort("NL91ABNA0417164300")),
            "NL** **** **** **4300"
        );
    }

    #[test]
    fn an_offer_pays_decisions_then_calculated_amounts_and_waits_for_open_posts() {
        let b = berekening(vec![
            post("a", Status::Toegekend, 500_000, 500_000),
            post("b", Status::Toegekend, 200_000, 200_000),
            post("c", Status::OnderbouwingNodig, 0, 300_000),
            post("d", Status::NietVanToepassing, 0, 100_000),
        ]);
        let besluiten = vec![PostBesluit {
            post: "b".into(),
            besluit: Besluit::Aangepast,
            bedrag: 150_000,
            reden: Some("Korter dan opgegeven.".into()),
        }];
        let (regels, open) = aanbodregels(&b, &besluiten);
        assert_eq!(open, vec!["c".to_string()]);
        assert_eq!(totaal(&regels), 650_000);
        assert_eq!(regels[1].berekend, 200_000);
        let besluiten = [
            besluiten[0].clone(),
            PostBesluit {
                post: "c".into(),
                besluit: Besluit::Geaccepteerd,
                bedrag: bedrag_bij_besluit(Besluit::Geaccepteerd, None, &b.posten[2]).unwrap(),
                reden: None,
            },
        ];
        let (regels, open) = aanbodregels(&b, &besluiten);
        assert!(open.is_empty());
        assert_eq!(totaal(&regels), 950_000);
    }

    #[test]
    fn the_deadline_is_the_later_of_the_global_date_and_six_months_after_a_decision() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            uiterste_indiendatum(d("2026-03-31"), None, 6),
            d("2026-03-31")
        );
        assert_eq!(
            uiterste_indiendatum(d("2026-03-31"), Some(d("2026-08-31")), 6),
            d("2027-02-28")
        );
        assert_eq!(
            uiterste_indiendatum(d("2026-03-31"), Some(d("2025-01-10")), 6),
            d("2026-03-31")
        );
    }

    #[test]
    fn four_eyes_from_the_threshold() {
        assert!(!vier_ogen_nodig(4_999_999, 5_000_000));
        assert!(vier_ogen_nodig(5_000_000, 5_000_000));
    }
}
