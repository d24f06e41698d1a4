//! Turns JSON Schema validation errors into [`FieldError`]s with Dutch details. The request
//! schema comes from the OpenAPI document, so the check the client can read is the check we run.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::problem::FieldError;

/// Every problem in `instance`, each with a pointer (`/tekst`) relative to `base`.
pub fn collect(validator: &Validator, instance: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        translate(&error, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Body errors: pointer into the request body.
pub fn body_errors(validator: &Validator, instance: &Value) -> Vec<FieldError> {
    collect(validator, instance)
        .into_iter()
        .map(|(path, code, detail)| FieldError::body(&path, code, detail))
        .collect()
}

fn translate(error: &ValidationError<'_>, out: &mut Vec<(String, String, String)>) {
    let path = error.instance_path().as_str().to_string();
    let kind = error.kind();
    let code = kind.keyword().to_string();
    let mut push = |p: String, detail: String| out.push((p, code.clone(), detail));
    match kind {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| property.to_string());
            push(
                format!("{path}/{}", escape(&name)),
                "Dit veld is verplicht.".into(),
            );
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                push(
                    format!("{path}/{}", escape(name)),
                    "Dit veld is onbekend.".into(),
                );
            }
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // Optional references become `oneOf: [null, {$ref}]`; the informative branch is the
            // one that got furthest into the value, not the one that only says "not null".
            let best = context.iter().max_by_key(|branch| {
                branch
                    .iter()
                    .map(|e| {
                        e.instance_path().as_str().len() * 2
                            + usize::from(!matches!(e.kind(), ValidationErrorKind::Type { .. }))
                    })
                    .max()
                    .unwrap_or(0)
            });
            match best {
                Some(branch) if !branch.is_empty() => {
                    for e in branch {
                        translate(e, out);
                    }
                }
                _ => push(
                    path,
                    "Deze waarde past bij geen van de toegestane vormen.".into(),
                ),
            }
        }
        other => push(path, detail_for(other)),
    }
}

fn detail_for(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Type { kind } => {
            let names: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![type_name(&t.to_string())],
                TypeKind::Multiple(set) => set.iter().map(|t| type_name(&t.to_string())).collect(),
            };
            format!("Verwacht: {}.", names.join(" of "))
        }
        ValidationErrorKind::MinLength { limit } => format!("Gebruik minstens {limit} tekens."),
        ValidationErrorKind::MaxLength { limit } => format!("Gebruik hoogstens {limit} tekens."),
        ValidationErrorKind::Minimum { limit } => format!("De waarde moet minstens {limit} zijn."),
        ValidationErrorKind::Maximum { limit } => format!("De waarde mag hoogstens {limit} zijn."),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("De waarde moet groter zijn dan {limit}.")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("De waarde moet kleiner zijn dan {limit}.")
        }
        ValidationErrorKind::MultipleOf { .. } => "De waarde is geen toegestaan veelvoud.".into(),
        ValidationErrorKind::Enum { options } => {
            let list = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            format!("Kies een van: {list}.")
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("De waarde moet {expected_value} zijn.")
        }
        ValidationErrorKind::Format { format } => format!("Geen geldige {}.", format_name(format)),
        ValidationErrorKind::Pattern { .. } => "De waarde heeft niet de juiste vorm.".into(),
        ValidationErrorKind::MinItems { limit } => format!("Geef minstens {limit} items."),
        ValidationErrorKind::MaxItems { limit } => format!("Geef hoogstens {limit} items."),
        ValidationErrorKind::UniqueItems => "Elk item mag maar één keer voorkomen.".into(),
        ValidationErrorKind::MinProperties { limit } => format!("Geef minstens {limit} velden."),
        ValidationErrorKind::MaxProperties { limit } => format!("Geef hoogstens {limit} velden."),
        _ => "Deze waarde is niet toegestaan.".into(),
    }
}

fn type_name(json_type: &str) -> &'static str {
    match json_type {
        "string" => "tekst",
        "integer" => "een geheel getal",
        "number" => "een getal",
        "boolean" => "true of false",
        "object" => "een object",
        "array" => "een lijst",
        "null" => "null",
        _ => "een andere waarde",
    }
}

fn format_name(format: &str) -> String {
    match format {
        "date" => "datum (JJJJ-MM-DD)".into(),
        "date-time" => {
            "datum en tijd (RFC 3339 met tijdzone, bijvoorbeeld 2026-03-29T10:00:00+02:00)".into()
        }
        "uuid" => "UUID".into(),
        "email" => "e-mailadres".into(),
        "uri" => "URI".into(),
        other => format!("waarde met formaat {other}"),
    }
}

/// JSON Pointer escaping (RFC 6901 §3).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn validator(schema: Value) -> Validator {
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    }

    #[test]
    fn reports_every_problem_at_once_with_pointers() {
        let v = validator(json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["tekst", "aantal"],
            "properties": {
                "tekst": {"type": "string", "minLength": 2},
                "aantal": {"type": "integer", "maximum": 10},
                "datum": {"type": "string", "format": "date"}
            }
        }));
        let errors = collect(&v, &json!({"tekst": "x", "datum": "gisteren", "extra": 1}));
        let paths: Vec<_> = errors.iter().map(|(p, c, _)| format!("{p} {c}")).collect();
        assert_eq!(
            paths,
            vec![
                "/aantal required",
                "/datum format",
                "/extra additionalProperties",
                "/tekst minLength"
            ]
        );
    }

    #[test]
    fn nullable_references_report_the_inner_problem() {
        let v = validator(json!({
            "type": "object",
            "properties": {"adres": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/Adres"}]}},
            "$defs": {"Adres": {"type": "object", "required": ["postcode"], "properties": {"postcode": {"type": "string"}}}}
        }));
        let errors = collect(&v, &json!({"adres": {}}));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "/adres/postcode");
        assert_eq!(errors[0].1, "required");
    }

    #[test]
    fn escapes_pointer_segments() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
