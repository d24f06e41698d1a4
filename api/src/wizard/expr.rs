//! Conditions are JSONLogic (`{"==": [{"var": "wonen.geraakt"}, true]}`): plain data, evaluated
//! by `datalogic-rs`, compiled once at start-up, never `eval` of code. JSONLogic has no type
//! checker, so this module is one: it walks an expression and finds unknown questions, references
//! to later questions (which would make the order circular), operators outside the allowed set,
//! comparisons of different types, and option values a question does not have.

use std::collections::HashMap;

use serde_json::Value;

use super::content::VraagType;

/// The type of a value in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Getal,
    Tekst,
    /// An ISO date (`YYYY-MM-DD`); compares as text, which is chronological for this format.
    Datum,
    Lijst(Box<Ty>),
    Records,
    Null,
    /// Unknown (the result of `if`, `and`, `or`): compatible with everything.
    Any,
}

impl Ty {
    pub fn of(soort: VraagType) -> Ty {
        match soort {
            VraagType::JaNee => Ty::Bool,
            VraagType::Keuze | VraagType::Tekst => Ty::Tekst,
            VraagType::Meerkeuze => Ty::Lijst(Box::new(Ty::Tekst)),
            VraagType::Datum => Ty::Datum,
            VraagType::Jaar | VraagType::Getal | VraagType::Bedrag => Ty::Getal,
            VraagType::Lijst => Ty::Records,
        }
    }

    fn name(&self) -> String {
        match self {
            Ty::Bool => "ja/nee".into(),
            Ty::Getal => "getal".into(),
            Ty::Tekst => "tekst".into(),
            Ty::Datum => "datum".into(),
            Ty::Lijst(t) => format!("lijst van {}", t.name()),
            Ty::Records => "lijst van regels".into(),
            Ty::Null => "leeg".into(),
            Ty::Any => "onbekend".into(),
        }
    }

    fn compatible(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Any, _) | (_, Ty::Any) | (Ty::Null, _) | (_, Ty::Null) => true,
            (Ty::Lijst(a), Ty::Lijst(b)) => a.compatible(b),
            (a, b) => a == b,
        }
    }
}

/// What an expression may refer to: each question id with its type, options and position.
#[derive(Debug, Clone)]
pub struct VarInfo {
    pub ty: Ty,
    pub opties: Option<Vec<String>>,
    /// Position in the questionnaire; an expression may only use questions before it.
    pub positie: usize,
}

pub type Scope = HashMap<String, VarInfo>;

const OPERATORS: [&str; 19] = [
    "var", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "and", "or", "!", "!!", "if", "in", "+",
    "-", "*", "max",
];

fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// Checks `expr` as used at position `before` (only questions with a smaller position may be
/// used). Problems are appended to `errors`; the result is the expression's type.
pub fn check(expr: &Value, scope: &Scope, before: usize, errors: &mut Vec<String>) -> Ty {
    Checker {
        scope,
        before,
        errors,
    }
    .ty(expr)
}

/// The question ids an expression uses.
pub fn references(expr: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(expr, &mut out);
    out
}

fn collect(expr: &Value, out: &mut Vec<String>) {
    match expr {
        Value::Object(map) => {
            for (op, args) in map {
                if op == "var" {
                    if let Some(name) = var_name(args) {
                        out.push(name.to_string());
                    }
                } else {
                    collect(args, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        _ => {}
    }
}

fn var_name(args: &Value) -> Option<&str> {
    match args {
        Value::String(s) => Some(s),
        Value::Array(items) => items.first().and_then(Value::as_str),
        _ => None,
    }
}

struct Checker<'a> {
    scope: &'a Scope,
    before: usize,
    errors: &'a mut Vec<String>,
}

impl Checker<'_> {
    fn ty(&mut self, expr: &Value) -> Ty {
        match expr {
            Value::Null => Ty::Null,
            Value::Bool(_) => Ty::Bool,
            Value::Number(_) => Ty::Getal,
            Value::String(s) if is_date(s) => Ty::Datum,
            Value::String(_) => Ty::Tekst,
            Value::Array(items) => {
                let inner = items.first().map(|i| self.ty(i)).unwrap_or(Ty::Any);
                for item in items.iter().skip(1) {
                    self.ty(item);
                }
                Ty::Lijst(Box::new(inner))
            }
            Value::Object(map) => {
                if map.len() != 1 {
                    self.errors
                        .push("een expressie heeft precies één operator".into());
                    return Ty::Any;
                }
                let (op, args) = map.iter().next().expect("één sleutel");
                self.op(op, args)
            }
        }
    }

    fn args<'v>(&self, args: &'v Value) -> Vec<&'v Value> {
        match args {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        }
    }

    fn op(&mut self, op: &str, raw: &Value) -> Ty {
        if !OPERATORS.contains(&op) {
            self.errors
                .push(format!("onbekende of niet toegestane operator '{op}'"));
            return Ty::Any;
        }
        if op == "var" {
            return self.var(raw);
        }
        let args = self.args(raw);
        let types: Vec<Ty> = args.iter().map(|a| self.ty(a)).collect();
        match op {
            "==" | "!=" | "===" | "!==" => {
                self.arity(op, &args, 2, 2);
                if let [a, b] = types.as_slice()
                    && !a.compatible(b)
                {
                    self.errors
                        .push(format!("'{op}' vergelijkt {} met {}", a.name(), b.name()));
                }
                self.options(&args);
                Ty::Bool
            }
            "<" | "<=" | ">" | ">=" => {
                self.arity(op, &args, 2, 3);
                let ordered = |t: &Ty| matches!(t, Ty::Getal | Ty::Datum | Ty::Any | Ty::Null);
                let first = types.iter().find(|t| !matches!(t, Ty::Any | Ty::Null));
                if types.iter().any(|t| !ordered(t))
                    || first.is_some_and(|f| types.iter().any(|t| !t.compatible(f)))
                {
                    let names: Vec<String> = types.iter().map(Ty::name).collect();
                    self.errors.push(format!(
                        "'{op}' kan alleen getallen of datums vergelijken, niet {}",
                        names.join(" en ")
                    ));
                }
                Ty::Bool
            }
            "and" | "or" | "if" => Ty::Any,
            "!" | "!!" => Ty::Bool,
            "in" => {
                self.arity(op, &args, 2, 2);
                match types.as_slice() {
                    [needle, Ty::Lijst(inner)] if !needle.compatible(inner) => {
                        self.errors.push(format!(
                            "'in' zoekt {} in een lijst van {}",
                            needle.name(),
                            inner.name()
                        ));
                    }
                    [needle, Ty::Tekst] if !needle.compatible(&Ty::Tekst) => {
                        self.errors
                            .push(format!("'in' zoekt {} in tekst", needle.name()));
                    }
                    [_, Ty::Lijst(_) | Ty::Tekst | Ty::Any | Ty::Null] => {}
                    [_, other] => self
                        .errors
                        .push(format!("'in' kan niet zoeken in {}", other.name())),
                    _ => {}
                }
                self.options(&args);
                Ty::Bool
            }
            _ => {
                // + - * max: numbers only.
                if types
                    .iter()
                    .any(|t| !t.compatible(&Ty::Getal) || matches!(t, Ty::Null))
                {
                    self.errors
                        .push(format!("'{op}' rekent alleen met getallen"));
                }
                Ty::Getal
            }
        }
    }

    fn arity(&mut self, op: &str, args: &[&Value], min: usize, max: usize) {
        if args.len() < min || args.len() > max {
            self.errors
                .push(format!("'{op}' verwacht {min} tot {max} argumenten"));
        }
    }

    fn var(&mut self, raw: &Value) -> Ty {
        let Some(name) = var_name(raw) else {
            self.errors
                .push("'var' verwacht de id van een vraag".into());
            return Ty::Any;
        };
        match self.scope.get(name) {
            None => {
                self.errors.push(format!("onbekende vraag '{name}'"));
                Ty::Any
            }
            Some(info) if info.positie >= self.before => {
                self.errors.push(format!(
                    "verwijst naar '{name}', die niet eerder in de vragenlijst komt (volgorde of kringverwijzing)"
                ));
                info.ty.clone()
            }
            Some(info) => info.ty.clone(),
        }
    }

    /// A literal compared with a choice question must be one of its options.
    fn options(&mut self, args: &[&Value]) {
        let Some(info) = args
            .iter()
            .find_map(|a| a.get("var").and_then(var_name))
            .and_then(|name| self.scope.get(name))
        else {
            return;
        };
        let Some(options) = &info.opties else { return };
        let literals: Vec<&str> = args
            .iter()
            .flat_map(|a| match a {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            })
            .collect();
        for literal in literals {
            if !options.iter().any(|o| o == literal) {
                self.errors.push(format!(
                    "optie '{literal}' bestaat niet (kan nooit gelden); mogelijk: {}",
                    options.join(", ")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope() -> Scope {
        let mut s = Scope::new();
        s.insert(
            "a.ja".into(),
            VarInfo {
                ty: Ty::Bool,
                opties: None,
                positie: 0,
            },
        );
        s.insert(
            "a.keuze".into(),
            VarInfo {
                ty: Ty::Tekst,
                opties: Some(vec!["x".into(), "y".into()]),
                positie: 1,
            },
        );
        s.insert(
            "a.datum".into(),
            VarInfo {
                ty: Ty::Datum,
                opties: None,
                positie: 2,
            },
        );
        s.insert(
            "b.later".into(),
            VarInfo {
                ty: Ty::Getal,
                opties: None,
                positie: 9,
            },
        );
        s
    }

    fn errors(expr: serde_json::Value) -> Vec<String> {
        let mut e = Vec::new();
        check(&expr, &scope(), 5, &mut e);
        e
    }

    #[test]
    fn well_typed_expressions_pass() {
        assert!(errors(json!({"==": [{"var": "a.ja"}, true]})).is_empty());
        assert!(errors(json!({"in": [{"var": "a.keuze"}, ["x", "y"]]})).is_empty());
        assert!(errors(json!({"<": [{"var": "a.datum"}, "2012-01-01"]})).is_empty());
        assert!(errors(json!({"and": [{"var": "a.ja"}, {"!!": [{"var": "a.keuze"}]}]})).is_empty());
    }

    #[test]
    fn finds_unknown_later_mistyped_and_impossible() {
        assert!(errors(json!({"==": [{"var": "a.nee"}, true]}))[0].contains("onbekende vraag"));
        assert!(errors(json!({"==": [{"var": "b.later"}, 1]}))[0].contains("niet eerder"));
        assert!(errors(json!({"==": [{"var": "a.ja"}, "ja"]}))[0].contains("vergelijkt"));
        assert!(errors(json!({"<": [{"var": "a.ja"}, 3]}))[0].contains("getallen of datums"));
        assert!(errors(json!({"==": [{"var": "a.keuze"}, "z"]}))[0].contains("optie 'z'"));
        assert!(errors(json!({"eval": ["rm -rf"]}))[0].contains("operator"));
    }

    #[test]
    fn lists_the_references() {
        let r =
            references(&json!({"or": [{"var": "a.ja"}, {"==": [{"var": ["a.keuze", "x"]}, "x"]}]}));
        assert_eq!(r, vec!["a.ja", "a.keuze"]);
    }
}
