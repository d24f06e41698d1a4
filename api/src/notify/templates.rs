//! Mail texts as templates (minijinja, HTML escaping on for `.html`). Each kind has one template
//! per language with two blocks, `onderwerp` and `tekst` (paragraphs separated by a blank line);
//! the shared layouts `basis.txt` and `basis.html` turn those paragraphs into the plain-text and
//! the HTML part, so both always say the same and every value in HTML is escaped.

use minijinja::{Environment, context};
use serde::Serialize;

use super::soort::{ALLE, Soort};

/// A language the mails are written in; the person's preference picks one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taal {
    Nl,
    En,
}

impl Taal {
    pub fn code(self) -> &'static str {
        match self {
            Taal::Nl => "nl",
            Taal::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Taal> {
        match code {
            "nl" => Some(Taal::Nl),
            "en" => Some(Taal::En),
            _ => None,
        }
    }
}

/// What a template may use. Deliberately small: no BSN, no amounts, no health or child details
/// can reach a mail because there is no field for them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Gegevens {
    /// The name the person logged in with.
    pub naam: Option<String>,
    /// A verification code.
    pub code: Option<String>,
    /// How long the code works.
    pub minuten: Option<u32>,
}

/// One message, ready for the outbox and the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gerenderd {
    pub onderwerp: String,
    pub tekst: String,
    pub html: String,
    /// The paragraphs alone: what the in-app inbox shows.
    pub inbox: String,
}

macro_rules! sjablonen {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("templates/", $name)))),*]
    };
}

const BRONNEN: [(&str, &str); 46] = sjablonen!(
    "basis.txt",
    "basis.html",
    "taal.nl.txt",
    "taal.en.txt",
    "emailadres-verificatie.nl.txt",
    "emailadres-verificatie.en.txt",
    "emailadres-gewijzigd.nl.txt",
    "emailadres-gewijzigd.en.txt",
    "aanvraag-gestart.nl.txt",
    "aanvraag-gestart.en.txt",
    "aanvraag-herinnering.nl.txt",
    "aanvraag-herinnering.en.txt",
    "aanvraag-ingediend.nl.txt",
    "aanvraag-ingediend.en.txt",
    "aanvraag-in-behandeling.nl.txt",
    "aanvraag-in-behandeling.en.txt",
    "vraag-gesteld.nl.txt",
    "vraag-gesteld.en.txt",
    "aanbod-gedaan.nl.txt",
    "aanbod-gedaan.en.txt",
    "aanbod-herinnering.nl.txt",
    "aanbod-herinnering.en.txt",
    "aanbod-aanvaard.nl.txt",
    "aanbod-aanvaard.en.txt",
    "aanbod-afgewezen.nl.txt",
    "aanbod-afgewezen.en.txt",
    "aanvraag-doorverwezen.nl.txt",
    "aanvraag-doorverwezen.en.txt",
    "bankrekening-gewijzigd.nl.txt",
    "bankrekening-gewijzigd.en.txt",
    "betaling-gedaan.nl.txt",
    "betaling-gedaan.en.txt",
    "toestemming-ingetrokken.nl.txt",
    "toestemming-ingetrokken.en.txt",
    "machtiging-verzoek.nl.txt",
    "machtiging-verzoek.en.txt",
    "machtiging-beeindigd.nl.txt",
    "machtiging-beeindigd.en.txt",
    "gemachtigde-handelde.nl.txt",
    "gemachtigde-handelde.en.txt",
    "gesprek-geboekt.nl.txt",
    "gesprek-geboekt.en.txt",
    "gesprek-geannuleerd.nl.txt",
    "gesprek-geannuleerd.en.txt",
    "gesprek-herinnering.nl.txt",
    "gesprek-herinnering.en.txt",
);

pub struct Sjablonen {
    env: Environment<'static>,
    app_url: String,
}

impl Sjablonen {
    /// Compiles every template once and renders every kind in both languages, so a broken
    /// template stops the server at start instead of a mail at night.
    pub fn new(app_url: &str) -> anyhow::Result<Sjablonen> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in BRONNEN {
            env.add_template(name, source)
                .map_err(|e| anyhow::anyhow!("mailsjabloon {name}: {e}"))?;
        }
        let sjablonen = Sjablonen {
            env,
            app_url: app_url.to_string(),
        };
        let proef = Gegevens {
            naam: Some("Proef".into()),
            code: Some("000000".into()),
            minuten: Some(15),
        };
        for soort in ALLE {
            for taal in [Taal::Nl, Taal::En] {
                sjablonen.render(soort, taal, &proef).map_err(|e| {
                    anyhow::anyhow!("mailsjabloon {}.{}: {e}", soort.code(), taal.code())
                })?;
            }
        }
        Ok(sjablonen)
    }

    pub fn render(
        &self,
        soort: Soort,
        taal: Taal,
        gegevens: &Gegevens,
    ) -> Result<Gerenderd, minijinja::Error> {
        let ctx = context! {
            naam => gegevens.naam,
            code => gegevens.code,
            minuten => gegevens.minuten,
        };
        let eigen = self
            .env
            .get_template(&format!("{}.{}.txt", soort.code(), taal.code()))?;
        let mut eigen = eigen.render_captured(&ctx)?;
        let onderwerp = eigen
            .with_state_mut(|s| s.render_block("onderwerp"))?
            .trim()
            .to_string();
        let alineas: Vec<String> = eigen
            .with_state_mut(|s| s.render_block("tekst"))?
            .split("\n\n")
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();

        let taalblokken = self
            .env
            .get_template(&format!("taal.{}.txt", taal.code()))?;
        let mut t = taalblokken.render_captured(&ctx)?;
        let mut blok = |naam: &str| -> Result<String, minijinja::Error> {
            Ok(t.with_state_mut(|s| s.render_block(naam))?
                .trim()
                .to_string())
        };
        let url = soort.nodigt_uit().then_some(self.app_url.as_str());
        let layout = context! {
            taal => taal.code(),
            onderwerp => onderwerp,
            alineas => alineas,
            url => url,
            aanhef => blok("aanhef")?,
            knop => blok("knop")?,
            knop_uitleg => blok("knop_uitleg")?,
            afsluiting => blok("afsluiting")?.lines().map(str::to_string).collect::<Vec<_>>(),
            voet => blok("voet")?,
        };
        let tekst = self.env.get_template("basis.txt")?.render(&layout)?;
        let html = self.env.get_template("basis.html")?.render(&layout)?;
        Ok(Gerenderd {
            onderwerp,
            inbox: alineas.join("\n\n"),
            tekst,
            html,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sjablonen() -> Sjablonen {
        Sjablonen::new("https://app.mijn-herstel.example").expect("sjablonen")
    }

    #[test]
    fn every_kind_renders_in_both_languages_with_both_parts() {
        let s = sjablonen();
        for soort in ALLE {
            let nl = s.render(soort, Taal::Nl, &Gegevens::default()).unwrap();
            let en = s.render(soort, Taal::En, &Gegevens::default()).unwrap();
            assert_ne!(nl.onderwerp, en.onderwerp, "{soort:?}");
            assert!(nl.tekst.contains("Beste lezer"), "{}", nl.tekst);
            assert!(en.tekst.contains("Dear reader"), "{}", en.tekst);
            assert!(nl.html.starts_with("<!DOCTYPE html>") && nl.html.contains("lang=\"nl\""));
            assert_eq!(
                nl.tekst.contains("https://app.mijn-herstel.example"),
                soort.nodigt_uit()
            );
        }
    }

    #[test]
    fn values_are_escaped_in_html_and_plain_in_text() {
        let s = sjablonen();
        let g = Gegevens {
            naam: Some("<script>x</script> & Zn".into()),
            ..Default::default()
        };
        let r = s.render(Soort::AanvraagGestart, Taal::Nl, &g).unwrap();
        assert!(
            r.html
                .contains("&lt;script&gt;x&lt;&#x2f;script&gt; &amp; Zn"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<script>"));
        assert!(r.tekst.contains("Beste <script>x</script> & Zn,"));
    }

    #[test]
    fn the_code_reaches_the_verification_mail() {
        let g = Gegevens {
            code: Some("482913".into()),
            minuten: Some(15),
            ..Default::default()
        };
        let r = sjablonen()
            .render(Soort::EmailadresVerificatie, Taal::Nl, &g)
            .unwrap();
        assert!(r.onderwerp.contains("482913") && r.tekst.contains("15 minuten"));
    }
}
