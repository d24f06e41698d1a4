//! The shape of one answer: its type, options, limits, and for lists each record's fields.

use std::collections::BTreeSet;

use serde_json::Value;

use super::content::{Vraag, VraagType};
use super::engine::{Veldfout, fout};

fn is_int(v: &Value) -> Option<i64> {
    v.as_i64()
}

/// Checks one value against its question's type and limits.
pub fn valideer(q: &Vraag, v: &Value, fouten: &mut Vec<Veldfout>) {
    let pad = vec![q.id.clone()];
    if q.soort == VraagType::Lijst {
        let Some(items) = v.as_array() else {
            fouten.push(fout(pad, "type", "Verwacht een lijst.", "Expected a list."));
            return;
        };
        if q.max_aantal.is_some_and(|m| items.len() > m as usize) {
            fouten.push(fout(
                pad.clone(),
                "maxItems",
                "Te veel regels.",
                "Too many lines.",
            ));
        }
        for (i, item) in items.iter().enumerate() {
            let Some(record) = item.as_object() else {
                fouten.push(fout(
                    vec![q.id.clone(), i.to_string()],
                    "type",
                    "Verwacht een regel met velden.",
                    "Expected a record.",
                ));
                continue;
            };
            for key in record.keys() {
                if !q.velden.iter().any(|f| &f.id == key) {
                    fouten.push(fout(
                        vec![q.id.clone(), i.to_string(), key.clone()],
                        "onbekend-veld",
                        "Onbekend veld.",
                        "Unknown field.",
                    ));
                }
            }
            for veld in &q.velden {
                let fp = vec![q.id.clone(), i.to_string(), veld.id.clone()];
                match record.get(&veld.id).filter(|v| !v.is_null()) {
                    None if veld.verplicht => fouten.push(fout(
                        fp,
                        "required",
                        "Dit veld is verplicht.",
                        "This field is required.",
                    )),
                    None => {}
                    Some(value) => scalar(
                        veld.soort,
                        &veld.min,
                        &veld.max,
                        None,
                        &[],
                        value,
                        fp,
                        fouten,
                    ),
                }
            }
        }
        return;
    }
    let opties: Vec<&str> = q.opties.iter().map(|o| o.waarde.as_str()).collect();
    scalar(
        q.soort,
        &q.min,
        &q.max,
        q.max_lengte,
        &opties,
        v,
        pad,
        fouten,
    );
}

#[allow(clippy::too_many_arguments)]
fn scalar(
    soort: VraagType,
    min: &Option<Value>,
    max: &Option<Value>,
    max_lengte: Option<u32>,
    opties: &[&str],
    v: &Value,
    pad: Vec<String>,
    fouten: &mut Vec<Veldfout>,
) {
    let mut push =
        |code: &str, nl: String, en: String| fouten.push(fout(pad.clone(), code, nl, en));
    match soort {
        VraagType::JaNee if !v.is_boolean() => {
            push("type", "Kies ja of nee.".into(), "Choose yes or no.".into())
        }
        VraagType::Keuze => match v.as_str() {
            Some(s) if opties.contains(&s) => {}
            _ => push(
                "enum",
                format!("Kies een van: {}.", opties.join(", ")),
                format!("Choose one of: {}.", opties.join(", ")),
            ),
        },
        VraagType::Meerkeuze => match v.as_array() {
            Some(items)
                if items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| opties.contains(&s))) =>
            {
                let unique: BTreeSet<_> = items.iter().filter_map(Value::as_str).collect();
                if unique.len() != items.len() {
                    push(
                        "uniqueItems",
                        "Kies elke optie één keer.".into(),
                        "Choose each option once.".into(),
                    );
                }
            }
            _ => push(
                "enum",
                format!("Kies uit: {}.", opties.join(", ")),
                format!("Choose from: {}.", opties.join(", ")),
            ),
        },
        VraagType::Datum => match v.as_str().and_then(|s| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|_| s)
        }) {
            None => push(
                "format",
                "Vul een datum in als JJJJ-MM-DD.".into(),
                "Enter a date as YYYY-MM-DD.".into(),
            ),
            Some(s) => {
                if min.as_ref().and_then(Value::as_str).is_some_and(|m| s < m) {
                    push(
                        "minimum",
                        format!(
                            "De datum ligt vóór {}.",
                            min.as_ref().and_then(Value::as_str).unwrap_or_default()
                        ),
                        "The date is too early.".into(),
                    );
                }
                if max.as_ref().and_then(Value::as_str).is_some_and(|m| s > m) {
                    push(
                        "maximum",
                        format!(
                            "De datum ligt na {}.",
                            max.as_ref().and_then(Value::as_str).unwrap_or_default()
                        ),
                        "The date is too late.".into(),
                    );
                }
            }
        },
        VraagType::Jaar | VraagType::Getal | VraagType::Bedrag => match is_int(v) {
            None => push(
                "type",
                "Vul een heel getal in.".into(),
                "Enter a whole number.".into(),
            ),
            Some(n) => {
                let lower = min
                    .as_ref()
                    .and_then(Value::as_i64)
                    .or((soort == VraagType::Bedrag).then_some(0));
                if lower.is_some_and(|m| n < m) {
                    push(
                        "minimum",
                        format!(
                            "Het getal moet minstens {} zijn.",
                            lower.unwrap_or_default()
                        ),
                        "The number is too small.".into(),
                    );
                }
                if let Some(m) = max.as_ref().and_then(Value::as_i64)
                    && n > m
                {
                    push(
                        "maximum",
                        format!("Het getal mag hoogstens {m} zijn."),
                        "The number is too large.".into(),
                    );
                }
            }
        },
        VraagType::Tekst => match v.as_str() {
            None => push("type", "Vul tekst in.".into(), "Enter text.".into()),
            Some(s) if max_lengte.is_some_and(|m| s.chars().count() > m as usize) => push(
                "maxLength",
                format!(
                    "De tekst is te lang (hoogstens {} tekens).",
                    max_lengte.unwrap_or_default()
                ),
                "The text is too long.".into(),
            ),
            Some(_) => {}
        },
        _ => {}
    }
}
