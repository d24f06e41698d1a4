//! `content check`: every problem in the content, each with file, line and path, all at once.
//! The server runs the same check at start-up and refuses invalid content.

use std::collections::HashSet;

use serde_json::Value;

use super::content::{
    BedragRegel, LEEFGEBIEDEN, STATUSSEN, Schadekader, Tekst, Vraag, VraagType, Vragenlijst,
};
use super::expr::{self, Scope, Ty, VarInfo};
use super::positions::Positions;

pub const VRAGENLIJST: &str = "vragenlijst.yaml";
pub const SCHADEKADER: &str = "schadekader.yaml";

/// One problem: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bevinding {
    pub bestand: String,
    pub regel: usize,
    pub pad: String,
    pub melding: String,
}

impl std::fmt::Display for Bevinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.bestand, self.regel, self.pad, self.melding
        )
    }
}

struct Report<'a> {
    bestand: &'a str,
    positions: Positions,
    found: &'a mut Vec<Bevinding>,
}

impl Report<'_> {
    fn add(&mut self, pad: &str, melding: impl Into<String>) {
        self.found.push(Bevinding {
            bestand: self.bestand.to_string(),
            regel: self.positions.line(pad),
            pad: pad.to_string(),
            melding: melding.into(),
        });
    }

    fn text(&mut self, pad: &str, tekst: &Tekst) {
        for (lang, value) in [("nl", &tekst.nl), ("en", &tekst.en)] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                self.add(
                    &format!("{pad}.{lang}"),
                    format!("vertaling '{lang}' ontbreekt"),
                );
            }
        }
    }

    fn expression(&mut self, pad: &str, e: &Value, scope: &Scope, before: usize, want_bool: bool) {
        let mut errors = Vec::new();
        let ty = expr::check(e, scope, before, &mut errors);
        for error in errors {
            self.add(pad, error);
        }
        if want_bool && !matches!(ty, Ty::Bool | Ty::Any) {
            self.add(pad, "de voorwaarde is geen ja/nee-uitkomst");
        }
        if expr::references(e).is_empty() && !super::truthy(&constant(e)) {
            self.add(
                pad,
                "de voorwaarde is altijd onwaar: wat ervan afhangt is onbereikbaar",
            );
        }
    }
}

fn constant(e: &Value) -> Value {
    let engine = datalogic_rs::Engine::new();
    engine
        .compile(e)
        .ok()
        .and_then(|logic| {
            engine
                .session()
                .eval_into::<Value, _>(&logic, &Value::Object(Default::default()))
                .ok()
        })
        .unwrap_or(Value::Bool(true))
}

/// The scope of the questionnaire: every question with its type, options and position.
pub fn scope_of(v: &Vragenlijst) -> Scope {
    let mut scope = Scope::new();
    for (positie, vraag) in v.stappen.iter().flat_map(|s| &s.vragen).enumerate() {
        scope.entry(vraag.id.clone()).or_insert(VarInfo {
            ty: Ty::of(vraag.soort),
            opties: matches!(vraag.soort, VraagType::Keuze | VraagType::Meerkeuze)
                .then(|| vraag.opties.iter().map(|o| o.waarde.clone()).collect()),
            positie,
        });
    }
    scope
}

pub fn check_vragenlijst(v: &Vragenlijst, source: &str, found: &mut Vec<Bevinding>) {
    let mut r = Report {
        bestand: VRAGENLIJST,
        positions: Positions::of(source),
        found,
    };
    let scope = scope_of(v);
    let mut steps = HashSet::new();
    let mut questions = HashSet::new();
    let mut positie = 0;
    for (si, stap) in v.stappen.iter().enumerate() {
        let sp = format!("stappen[{si}]");
        if !steps.insert(stap.id.as_str()) {
            r.add(
                &format!("{sp}.id"),
                format!("dubbele stap-id '{}'", stap.id),
            );
        }
        r.text(&format!("{sp}.titel"), &stap.titel);
        if let Some(u) = &stap.uitleg {
            r.text(&format!("{sp}.uitleg"), u);
        }
        if let Some(e) = &stap.toon_als {
            r.expression(&format!("{sp}.toon-als"), e, &scope, positie, true);
        }
        if stap.vragen.is_empty() {
            r.add(&format!("{sp}.vragen"), "een stap zonder vragen");
        }
        for (qi, vraag) in stap.vragen.iter().enumerate() {
            let qp = format!("{sp}.vragen[{qi}]");
            if !questions.insert(vraag.id.as_str()) {
                r.add(
                    &format!("{qp}.id"),
                    format!("dubbele vraag-id '{}'", vraag.id),
                );
            }
            let expected = format!("{}.", stap.id);
            let rest = vraag.id.strip_prefix(&expected);
            if rest.is_none_or(|n| n.is_empty() || n.contains('.')) {
                r.add(
                    &format!("{qp}.id"),
                    format!("een vraag-id is '{expected}<naam>' (zonder verdere punten)"),
                );
            }
            check_vraag(&mut r, &qp, vraag, &scope, positie);
            positie += 1;
        }
    }
}

fn check_vraag(r: &mut Report<'_>, qp: &str, vraag: &Vraag, scope: &Scope, positie: usize) {
    r.text(&format!("{qp}.tekst"), &vraag.tekst);
    match &vraag.hulp {
        Some(h) => r.text(&format!("{qp}.hulp"), h),
        None => r.add(qp, "elke vraag heeft een korte hulptekst (hulp)"),
    }
    if let Some(w) = &vraag.waarom {
        r.text(&format!("{qp}.waarom"), w);
    }
    let choice = matches!(vraag.soort, VraagType::Keuze | VraagType::Meerkeuze);
    if choice && vraag.opties.len() < 2 {
        r.add(
            &format!("{qp}.opties"),
            "een keuzevraag heeft minstens twee opties",
        );
    }
    if !choice && !vraag.opties.is_empty() {
        r.add(&format!("{qp}.opties"), "alleen keuzevragen hebben opties");
    }
    let mut values = HashSet::new();
    for (oi, optie) in vraag.opties.iter().enumerate() {
        if !values.insert(optie.waarde.as_str()) {
            r.add(
                &format!("{qp}.opties[{oi}].waarde"),
                format!("dubbele optie '{}'", optie.waarde),
            );
        }
        r.text(&format!("{qp}.opties[{oi}].tekst"), &optie.tekst);
    }
    if (vraag.soort == VraagType::Lijst) == vraag.velden.is_empty() {
        r.add(
            &format!("{qp}.velden"),
            "een lijstvraag heeft velden, andere vragen niet",
        );
    }
    for (fi, veld) in vraag.velden.iter().enumerate() {
        r.text(&format!("{qp}.velden[{fi}].tekst"), &veld.tekst);
        if matches!(
            veld.soort,
            VraagType::Lijst | VraagType::Keuze | VraagType::Meerkeuze
        ) {
            r.add(
                &format!("{qp}.velden[{fi}].type"),
                "velden van een lijst zijn enkelvoudig",
            );
        }
    }
    if let Some(e) = &vraag.toon_als {
        r.expression(&format!("{qp}.toon-als"), e, scope, positie, true);
    }
    if let Some(e) = &vraag.verplicht_als {
        r.expression(&format!("{qp}.verplicht-als"), e, scope, positie, true);
    }
    for (ri, regel) in vraag.regels.iter().enumerate() {
        // A rule checks the answer itself, so it may use its own question.
        r.expression(
            &format!("{qp}.regels[{ri}].moet"),
            &regel.moet,
            scope,
            positie + 1,
            true,
        );
        r.text(&format!("{qp}.regels[{ri}].melding"), &regel.melding);
    }
}

pub fn check_schadekader(
    k: &Schadekader,
    v: &Vragenlijst,
    source: &str,
    found: &mut Vec<Bevinding>,
) {
    let mut r = Report {
        bestand: SCHADEKADER,
        positions: Positions::of(source),
        found,
    };
    if k.versie != v.versie {
        r.add(
            "versie",
            format!(
                "versie '{}' wijkt af van de vragenlijst ('{}')",
                k.versie, v.versie
            ),
        );
    }
    let scope = scope_of(v);
    let question = |id: &str| {
        v.stappen
            .iter()
            .flat_map(|s| &s.vragen)
            .find(|q| q.id == id)
    };
    let want = |r: &mut Report<'_>, pad: &str, id: &str, types: &[VraagType]| match question(id) {
        None => r.add(pad, format!("onbekende vraag '{id}'")),
        Some(q) if !types.contains(&q.soort) => r.add(
            pad,
            format!("vraag '{id}' heeft type {:?}, verwacht {types:?}", q.soort),
        ),
        Some(_) => {}
    };
    want(
        &mut r,
        "probleemstart",
        &k.probleemstart,
        &[VraagType::Datum],
    );
    want(
        &mut r,
        "indicator.toeslagjaren",
        &k.indicator.toeslagjaren,
        &[VraagType::Lijst],
    );
    if let Some(q) = question(&k.indicator.toeslagjaren) {
        for field in super::calc::TOESLAGJAAR_VELDEN {
            if !q.velden.iter().any(|f| f.id == field) {
                r.add(
                    "indicator.toeslagjaren",
                    format!("de lijstvraag mist het veld '{field}'"),
                );
            }
        }
    }
    r.text("indicator.uitleg", &k.indicator.uitleg);
    for status in STATUSSEN {
        match k.statussen.get(status) {
            Some(t) => r.text(&format!("statussen.{status}"), t),
            None => r.add(
                "statussen",
                format!("tekst voor status '{status}' ontbreekt"),
            ),
        }
    }
    let mut ids = HashSet::new();
    for (pi, post) in k.posten.iter().enumerate() {
        let pp = format!("posten[{pi}]");
        if !ids.insert(post.id.as_str()) {
            r.add(
                &format!("{pp}.id"),
                format!("dubbele post-id '{}'", post.id),
            );
        }
        r.text(&format!("{pp}.naam"), &post.naam);
        r.text(&format!("{pp}.omschrijving"), &post.omschrijving);
        r.text(&format!("{pp}.bewijs"), &post.bewijs);
        if !LEEFGEBIEDEN.contains(&post.leefgebied.as_str()) {
            r.add(
                &format!("{pp}.leefgebied"),
                format!("onbekend leefgebied '{}'", post.leefgebied),
            );
        }
        if !matches!(post.soort.as_str(), "materieel" | "immaterieel") {
            r.add(&format!("{pp}.soort"), "soort is materieel of immaterieel");
        }
        r.expression(
            &format!("{pp}.voorwaarde"),
            &post.voorwaarde,
            &scope,
            usize::MAX,
            true,
        );
        match (&post.gebeurtenisdatum, post.na_probleemstart) {
            (Some(d), _) => want(
                &mut r,
                &format!("{pp}.gebeurtenisdatum"),
                d,
                &[VraagType::Datum],
            ),
            (None, true) => r.add(
                &format!("{pp}.na-probleemstart"),
                "na-probleemstart vraagt een gebeurtenisdatum",
            ),
            (None, false) => {}
        }
        let bp = format!("{pp}.bedrag");
        match &post.bedrag {
            None => r.add(&pp, format!("post '{}' heeft geen bedragregel", post.id)),
            Some(BedragRegel::Vast(b)) if *b < 0 => r.add(&bp, "bedragen zijn niet negatief"),
            Some(BedragRegel::Vast(_)) => {}
            Some(BedragRegel::PerJaar(a)) => {
                want(
                    &mut r,
                    &format!("{bp}.per-jaar.jaren"),
                    &a.jaren,
                    &[VraagType::Getal, VraagType::Jaar],
                );
                if a.bedrag < 0 || a.maximum < a.bedrag {
                    r.add(&bp, "bedrag ≥ 0 en maximum ≥ bedrag");
                }
            }
            Some(BedragRegel::PerPersoon(a)) => {
                want(
                    &mut r,
                    &format!("{bp}.per-persoon.aantal"),
                    &a.aantal,
                    &[VraagType::Getal],
                );
                if a.bedrag < 0 || a.maximum < a.bedrag {
                    r.add(&bp, "bedrag ≥ 0 en maximum ≥ bedrag");
                }
            }
            Some(BedragRegel::Klasse(kl)) => {
                let kp = format!("{bp}.klasse");
                want(
                    &mut r,
                    &format!("{kp}.vraag"),
                    &kl.vraag,
                    &[VraagType::Keuze],
                );
                if kl.klassen.values().any(|b| *b < 0) {
                    r.add(&kp, "bedragen zijn niet negatief");
                }
                if let Some(q) = question(&kl.vraag) {
                    let options: HashSet<&str> =
                        q.opties.iter().map(|o| o.waarde.as_str()).collect();
                    for key in kl.klassen.keys() {
                        if !options.contains(key.as_str()) {
                            r.add(
                                &format!("{kp}.klassen.{key}"),
                                format!("klasse '{key}' is geen optie van '{}'", kl.vraag),
                            );
                        }
                    }
                }
            }
        }
    }
}
