//! The questionnaire as the API publishes it: the content in camelCase, not the YAML's own keys.

use super::model::*;
use crate::wizard::{Inhoud, content};

/// The questionnaire for rendering, in the API's own shape.
pub fn vragenlijst_doc(inhoud: &Inhoud) -> VragenlijstDoc {
    let soort = |s: content::VraagType| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let v = &inhoud.vragenlijst;
    VragenlijstDoc {
        versie: v.versie.clone(),
        vastgesteld: v.vastgesteld && inhoud.kader.vastgesteld,
        bron: format!("{} {}", v.bron, inhoud.kader.bron),
        stappen: v
            .stappen
            .iter()
            .map(|s| StapDoc {
                id: s.id.clone(),
                titel: (&s.titel).into(),
                uitleg: s.uitleg.as_ref().map(Into::into),
                toon_als: s.toon_als.clone(),
                vragen: s
                    .vragen
                    .iter()
                    .map(|q| VraagDoc {
                        id: q.id.clone(),
                        soort: soort(q.soort),
                        tekst: (&q.tekst).into(),
                        hulp: q.hulp.as_ref().map(Into::into),
                        waarom: q.waarom.as_ref().map(Into::into),
                        verplicht: q.verplicht,
                        verplicht_als: q.verplicht_als.clone(),
                        toon_als: q.toon_als.clone(),
                        opties: q
                            .opties
                            .iter()
                            .map(|o| OptieDoc {
                                waarde: o.waarde.clone(),
                                tekst: (&o.tekst).into(),
                            })
                            .collect(),
                        min: q.min.clone(),
                        max: q.max.clone(),
                        max_lengte: q.max_lengte,
                        max_aantal: q.max_aantal,
                        velden: q
                            .velden
                            .iter()
                            .map(|f| VeldDoc {
                                id: f.id.clone(),
                                soort: soort(f.soort),
                                verplicht: f.verplicht,
                                tekst: (&f.tekst).into(),
                            })
                            .collect(),
                        regels: q
                            .regels
                            .iter()
                            .map(|r| RegelDoc {
                                moet: r.moet.clone(),
                                melding: (&r.melding).into(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        schadekader: inhoud
            .kader
            .posten
            .iter()
            .map(|p| PostDoc {
                id: p.id.clone(),
                naam: (&p.naam).into(),
                omschrijving: (&p.omschrijving).into(),
                leefgebied: p.leefgebied.clone(),
                soort: p.soort.clone(),
                maatwerk_mogelijk: p.maatwerk_mogelijk,
                bewijs: (&p.bewijs).into(),
                gegevensbronnen: p.gegevensbronnen.clone(),
            })
            .collect(),
    }
}
