//! The condition shapes the content uses most — one answer compared with literals — decided
//! natively. JSONLogic through datalogic stays the reference: anything outside these shapes, and
//! any answer of a type where JavaScript's loose rules could differ, goes to it. A property test
//! (`wizard::tests`) checks that both agree wherever the fast path answers.

use std::collections::BTreeMap;

use serde_json::Value;

use super::truthy;

#[derive(Debug, Clone, PartialEq)]
pub enum Snel {
    /// `{"==": [{"var": q}, literal]}` with a boolean or string literal.
    Gelijk { vraag: String, waarde: Value },
    /// `{"in": [{"var": q}, [literals]]}` with boolean or string literals.
    EenVan { vraag: String, waarden: Vec<Value> },
    /// `{"in": ["literal", {"var": q}]}`: the answer (a list, or a text) contains the literal.
    Bevat { vraag: String, waarde: String },
    /// `{"!!": [{"var": q}]}`: the answer is truthy.
    Waar { vraag: String },
}

fn var(e: &Value) -> Option<&str> {
    match e.as_object()?.get("var")? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn scalar(v: &Value) -> bool {
    matches!(v, Value::Bool(_) | Value::String(_))
}

/// The fast form of `e`, when it has one.
pub fn herken(e: &Value) -> Option<Snel> {
    let obj = e.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (op, args) = obj.iter().next()?;
    let args: Vec<&Value> = match args {
        Value::Array(a) => a.iter().collect(),
        single => vec![single],
    };
    match (op.as_str(), args.as_slice()) {
        ("==", [a, lit]) if scalar(lit) => Some(Snel::Gelijk {
            vraag: var(a)?.to_string(),
            waarde: (*lit).clone(),
        }),
        ("in", [a, Value::Array(lits)]) if lits.iter().all(scalar) && var(a).is_some() => {
            Some(Snel::EenVan {
                vraag: var(a)?.to_string(),
                waarden: lits.clone(),
            })
        }
        ("in", [Value::String(lit), b]) => Some(Snel::Bevat {
            vraag: var(b)?.to_string(),
            waarde: lit.clone(),
        }),
        ("!!", [a]) => Some(Snel::Waar {
            vraag: var(a)?.to_string(),
        }),
        _ => None,
    }
}

impl Snel {
    /// The outcome, or `None` when the answer's type needs JSONLogic's own rules.
    pub fn beslis(&self, answers: &BTreeMap<String, Value>) -> Option<bool> {
        let get = |q: &str| answers.get(q).filter(|v| !v.is_null());
        match self {
            Snel::Gelijk { vraag, waarde } => match get(vraag) {
                None => Some(false),
                Some(v)
                    if scalar(v) && std::mem::discriminant(v) == std::mem::discriminant(waarde) =>
                {
                    Some(v == waarde)
                }
                Some(_) => None,
            },
            Snel::EenVan { vraag, waarden } => match get(vraag) {
                None => Some(false),
                Some(v) if scalar(v) => Some(waarden.contains(v)),
                Some(_) => None,
            },
            Snel::Bevat { vraag, waarde } => match get(vraag) {
                None => Some(false),
                Some(Value::Array(items)) if items.iter().all(|i| i.is_string()) => {
                    Some(items.iter().any(|i| i.as_str() == Some(waarde)))
                }
                Some(Value::String(s)) => Some(s.contains(waarde.as_str())),
                Some(_) => None,
            },
            Snel::Waar { vraag } => Some(get(vraag).is_some_and(truthy)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_the_common_shapes_only() {
        assert!(matches!(
            herken(&json!({"==": [{"var": "a.b"}, true]})),
            Some(Snel::Gelijk { .. })
        ));
        assert!(matches!(
            herken(&json!({"in": [{"var": "a.b"}, ["x", "y"]]})),
            Some(Snel::EenVan { .. })
        ));
        assert!(matches!(
            herken(&json!({"in": ["x", {"var": "a.b"}]})),
            Some(Snel::Bevat { .. })
        ));
        assert!(matches!(
            herken(&json!({"!!": [{"var": "a.b"}]})),
            Some(Snel::Waar { .. })
        ));
        assert_eq!(herken(&json!({"==": [{"var": "a.b"}, 3]})), None);
        assert_eq!(herken(&json!({"and": [true, true]})), None);
        assert_eq!(herken(&json!({">": [{"var": "a.b"}, 3]})), None);
    }
}
