//! The questionnaire and the damage calculation: content as data (`wizard-content/`), checked and
//! compiled once, and a pure engine (no database, no HTTP) that turns content + answers +
//! retrieved data into what to ask next and what the parent gets.

mod bedrag;
pub mod calc;
mod catalogus;
pub mod check;
pub mod content;
pub mod engine;
pub mod expr;
pub mod positions;
pub mod snel;
#[cfg(test)]
mod tests;
pub mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use datalogic_rs::{Engine, Logic};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use catalogus::Catalogus;
use check::{Bevinding, SCHADEKADER, VRAGENLIJST};
use content::{Schadekader, Vraag, Vragenlijst};

/// The content shipped with this build (so the binary works from any directory);
/// `content.dir` replaces it without a code change.
pub(crate) const SHIPPED: [(&str, &str, &str); 1] = [(
    "2026.1",
    include_str!("../../../wizard-content/2026.1/vragenlijst.yaml"),
    include_str!("../../../wizard-content/2026.1/schadekader.yaml"),
)];

/// JSONLogic truthiness: false, null, 0, "" and [] are false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

/// One checked, compiled content version.
pub struct Inhoud {
    pub vragenlijst: Vragenlijst,
    pub kader: Schadekader,
    /// SHA-256 of both files: the ETag of the published questionnaire and part of the input hash.
    pub hash: String,
    engine: Arc<Engine>,
    condities: Vec<Conditie>,
    /// Per place, by step/question/post id: looked up with a borrowed id, no key is built.
    index: HashMap<Plek, HashMap<String, usize>>,
    /// The same by position, for the engine's walk through the content (no hashing at all):
    /// per step; per step and question (visibility, required); per post.
    pub(super) bij_stap: Vec<Option<usize>>,
    pub(super) bij_vraag: Vec<Vec<(Option<usize>, Option<usize>)>>,
    pub(super) bij_post: Vec<Option<usize>>,
}

/// One compiled expression.
struct Conditie {
    logic: Logic,
    /// The questions it reads: evaluation gets only those, not every answer.
    refs: Vec<String>,
    /// Its fast form, when it has one (see [`snel`]).
    snel: Option<snel::Snel>,
}

impl std::fmt::Debug for Inhoud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inhoud")
            .field("versie", &self.vragenlijst.versie)
            .finish_non_exhaustive()
    }
}

/// Where an expression sits in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plek {
    Stap,
    Toon,
    Verplicht,
    Regel(usize),
    Post,
}

/// The key of a compiled expression: its place and the id of its step, question or post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sleutel<'a> {
    pub plek: Plek,
    pub id: &'a str,
}

impl std::fmt::Display for Sleutel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.plek {
            Plek::Stap => write!(f, "stap:{}", self.id),
            Plek::Toon => write!(f, "toon:{}", self.id),
            Plek::Verplicht => write!(f, "verplicht:{}", self.id),
            Plek::Regel(i) => write!(f, "regel:{}:{i}", self.id),
            Plek::Post => write!(f, "post:{}", self.id),
        }
    }
}

pub fn key_stap(id: &str) -> Sleutel<'_> {
    Sleutel {
        plek: Plek::Stap,
        id,
    }
}
pub fn key_toon(id: &str) -> Sleutel<'_> {
    Sleutel {
        plek: Plek::Toon,
        id,
    }
}
pub fn key_verplicht(id: &str) -> Sleutel<'_> {
    Sleutel {
        plek: Plek::Verplicht,
        id,
    }
}
pub fn key_regel(id: &str, i: usize) -> Sleutel<'_> {
    Sleutel {
        plek: Plek::Regel(i),
        id,
    }
}
pub fn key_post(id: &str) -> Sleutel<'_> {
    Sleutel {
        plek: Plek::Post,
        id,
    }
}

impl Inhoud {
    /// Parses, checks and compiles one version; every problem is reported, none is skipped.
    pub fn parse(vragenlijst: &str, schadekader: &str) -> Result<Inhoud, Vec<Bevinding>> {
        let mut found = Vec::new();
        let parse_error = |bestand: &str, e: yaml_serde::Error| Bevinding {
            bestand: bestand.into(),
            regel: e.location().map(|l| l.line()).unwrap_or(1),
            pad: "".into(),
            melding: e.to_string(),
        };
        let v: Option<Vragenlijst> = yaml_serde::from_str(vragenlijst)
            .map_err(|e| found.push(parse_error(VRAGENLIJST, e)))
            .ok();
        let k: Option<Schadekader> = yaml_serde::from_str(schadekader)
            .map_err(|e| found.push(parse_error(SCHADEKADER, e)))
            .ok();
        let (Some(v), Some(k)) = (v, k) else {
            return Err(found);
        };
        check::check_vragenlijst(&v, vragenlijst, &mut found);
        check::check_schadekader(&k, &v, schadekader, &mut found);
        if !found.is_empty() {
            return Err(found);
        }
        let engine = Arc::new(Engine::new());
        let mut expressions: Vec<(Sleutel<'_>, &Value)> = Vec::new();
        for stap in &v.stappen {
            if let Some(e) = &stap.toon_als {
                expressions.push((key_stap(&stap.id), e));
            }
            for q in &stap.vragen {
                if let Some(e) = &q.toon_als {
                    expressions.push((key_toon(&q.id), e));
                }
                if let Some(e) = &q.verplicht_als {
                    expressions.push((key_verplicht(&q.id), e));
                }
                for (i, r) in q.regels.iter().enumerate() {
                    expressions.push((key_regel(&q.id, i), &r.moet));
                }
            }
        }
        for post in &k.posten {
            expressions.push((key_post(&post.id), &post.voorwaarde));
        }
        let mut condities = Vec::new();
        let mut index: HashMap<Plek, HashMap<String, usize>> = HashMap::new();
        for (key, e) in expressions {
            match engine.compile(e) {
                Ok(logic) => {
                    index
                        .entry(key.plek)
                        .or_default()
                        .insert(key.id.to_string(), condities.len());
                    condities.push(Conditie {
                        logic,
                        refs: expr::references(e),
                        snel: snel::herken(e),
                    });
                }
                Err(err) => found.push(Bevinding {
                    bestand: VRAGENLIJST.into(),
                    regel: 1,
                    pad: key.to_string(),
                    melding: format!("expressie niet te compileren: {err}"),
                }),
            }
        }
        if !found.is_empty() {
            return Err(found);
        }
        let hash = hex::encode(Sha256::digest(format!("{vragenlijst}\u{0}{schadekader}")));
        let bij_stap = v
            .stappen
            .iter()
            .map(|st| positie(&index, key_stap(&st.id)))
            .collect();
        let bij_vraag = v
            .stappen
            .iter()
            .map(|st| {
                st.vragen
                    .iter()
                    .map(|q| {
                        (
                            positie(&index, key_toon(&q.id)),
                            positie(&index, key_verplicht(&q.id)),
                        )
                    })
                    .collect()
            })
            .collect();
        let bij_post = k
            .posten
            .iter()
            .map(|p| positie(&index, key_post(&p.id)))
            .collect();
        Ok(Inhoud {
            vragenlijst: v,
            kader: k,
            hash,
            engine,
            bij_stap,
            bij_vraag,
            bij_post,
            condities,
            index,
        })
    }

    pub fn versie(&self) -> &str {
        &self.vragenlijst.versie
    }

    /// Evaluates a compiled condition over active answers (by question id); absent means
    /// "always". For many evaluations in a row use [`Self::evaluator`], which reuses one arena.
    pub fn holds(&self, key: Sleutel<'_>, answers: &BTreeMap<String, Value>) -> bool {
        self.evaluator().holds(key, answers)
    }

    fn conditie(&self, key: Sleutel<'_>) -> Option<&Conditie> {
        self.condities.get(positie(&self.index, key)?)
    }

    /// The question ids a compiled expression reads.
    pub fn uses(&self, key: Sleutel<'_>) -> &[String] {
        self.conditie(key)
            .map(|c| c.refs.as_slice())
            .unwrap_or_default()
    }

    /// The keys of the expressions the fast path recognises (for the agreement property test).
    pub fn snelle_sleutels(&self) -> Vec<Sleutel<'_>> {
        self.index
            .iter()
            .flat_map(|(plek, m)| {
                m.iter()
                    .filter(|(_, i)| self.condities[**i].snel.is_some())
                    .map(|(id, _)| Sleutel { plek: *plek, id })
            })
            .collect()
    }

    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator {
            inhoud: self,
            session: self.engine.session(),
        }
    }

    pub fn vraag(&self, id: &str) -> Option<&Vraag> {
        self.vragenlijst
            .stappen
            .iter()
            .flat_map(|s| &s.vragen)
            .find(|q| q.id == id)
    }
}

fn positie(index: &HashMap<Plek, HashMap<String, usize>>, key: Sleutel<'_>) -> Option<usize> {
    index.get(&key.plek)?.get(key.id).copied()
}

/// Evaluates conditions of one content version with one reusable arena.
pub struct Evaluator<'a> {
    inhoud: &'a Inhoud,
    session: datalogic_rs::Session<'a>,
}

impl Evaluator<'_> {
    pub fn holds(&mut self, key: Sleutel<'_>, answers: &BTreeMap<String, Value>) -> bool {
        let at = positie(&self.inhoud.index, key);
        self.holds_at(at, answers)
    }

    /// [`Self::holds`] by position (`Inhoud::bij_*`); `None`: no condition, so it holds.
    pub(super) fn holds_at(
        &mut self,
        at: Option<usize>,
        answers: &BTreeMap<String, Value>,
    ) -> bool {
        let Some(c) = at.map(|i| &self.inhoud.condities[i]) else {
            return true;
        };
        if let Some(b) = c.snel.as_ref().and_then(|s| s.beslis(answers)) {
            return b;
        }
        self.jsonlogic(c, answers)
    }

    /// The reference evaluation, without the fast path.
    pub fn holds_jsonlogic(&mut self, key: Sleutel<'_>, answers: &BTreeMap<String, Value>) -> bool {
        match self.inhoud.conditie(key) {
            Some(c) => self.jsonlogic(c, answers),
            None => true,
        }
    }

    fn jsonlogic(&mut self, c: &Conditie, answers: &BTreeMap<String, Value>) -> bool {
        let logic = &c.logic;
        // Only the answers the expression reads, nested by step as JSONLogic's dotted `var`
        // paths expect: converting every answer for every condition made a pass quadratic.
        let mut data = serde_json::Map::new();
        for id in &c.refs {
            if let (Some(v), Some((step, name))) = (answers.get(id), id.split_once('.')) {
                let inner = data
                    .entry(step.to_string())
                    .or_insert_with(|| Value::Object(serde_json::Map::new()));
                if let Some(inner) = inner.as_object_mut() {
                    inner.insert(name.to_string(), v.clone());
                }
            }
        }
        let data = Value::Object(data);
        let result = match self.session.eval_borrowed(logic, &data) {
            Ok(v) => self.inhoud.engine.truthy(v),
            Err(_) => false,
        };
        self.session.reset();
        result
    }
}
