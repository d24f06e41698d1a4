//! `Query<T>`: query parameters checked against their documented schemas (from `IntoParams`), all
//! problems reported at once as 400 with the parameter's name.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;
use validator::Validate;

use super::problem::{ApiError, FieldError};
use super::schema_errors;
use crate::AppState;

pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> FromRequest for Query<T>
where
    T: DeserializeOwned + IntoParams + Validate + 'static,
{
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse::<T>(req).map(Query))
    }
}

fn parse<T: DeserializeOwned + IntoParams + Validate>(req: &HttpRequest) -> Result<T, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .expect("AppState is geregistreerd");
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).map_err(|_| {
            ApiError::invalid(vec![FieldError::parameter(
                "",
                "query",
                "De query-string kon niet worden gelezen.",
            )])
        })?;
    let mut object = Map::new();
    let mut errors = Vec::new();
    for parameter in T::into_params(|| Some(ParameterIn::Query)) {
        let name = parameter.name.clone();
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .collect();
        let schema = parameter
            .schema
            .as_ref()
            .map(|s| serde_json::to_value(s).unwrap_or_default())
            .unwrap_or_default();
        if values.is_empty() {
            if parameter.required == utoipa::openapi::Required::True {
                errors.push(FieldError::parameter(
                    &name,
                    "required",
                    "Deze parameter is verplicht.",
                ));
            }
            continue;
        }
        let value = match coerce(&schema, &values) {
            Ok(v) => v,
            Err(detail) => {
                errors.push(FieldError::parameter(&name, "type", detail));
                continue;
            }
        };
        let validator = state.contract.validator(
            &format!("param:{}:{name}", std::any::type_name::<T>()),
            || schema.clone(),
        );
        for (_, code, detail) in schema_errors::collect(&validator, &value) {
            errors.push(FieldError::parameter(&name, code, detail));
        }
        object.insert(name, value);
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let value: T = serde_json::from_value(Value::Object(object)).map_err(|e| {
        ApiError::invalid(vec![FieldError::parameter(
            "",
            "query",
            format!("De parameters passen niet: {e}."),
        )])
    })?;
    value.validate().map_err(|e| {
        ApiError::invalid(
            super::json::validation_errors(&e, "")
                .into_iter()
                .map(|f| FieldError {
                    parameter: f.pointer.map(|p| p.trim_start_matches("#/").to_string()),
                    pointer: None,
                    ..f
                })
                .collect(),
        )
    })?;
    Ok(value)
}

/// Query values are text; the schema says what they should become.
fn coerce(schema: &Value, values: &[&str]) -> Result<Value, String> {
    let kind = schema_type(schema);
    if kind == "array" {
        let items = &schema["items"];
        return values
            .iter()
            .map(|v| coerce(items, &[v]))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    if values.len() > 1 {
        return Err("Deze parameter mag maar één keer voorkomen.".into());
    }
    let raw = values[0];
    match kind {
        "integer" => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "Verwacht: een geheel getal.".into()),
        "number" => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "Verwacht: een getal.".into()),
        "boolean" => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("Verwacht: true of false.".into()),
        },
        _ => Ok(Value::String(raw.to_string())),
    }
}

fn schema_type(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(s) => s,
        // `Option<T>` becomes `["integer", "null"]`.
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ => "string",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coerces_by_schema_type() {
        assert_eq!(coerce(&json!({"type": "integer"}), &["7"]), Ok(json!(7)));
        assert_eq!(
            coerce(&json!({"type": ["integer", "null"]}), &["7"]),
            Ok(json!(7))
        );
        assert!(coerce(&json!({"type": "integer"}), &["zeven"]).is_err());
        assert!(coerce(&json!({"type": "integer"}), &["1", "2"]).is_err());
        assert_eq!(
            coerce(&json!({"type": "boolean"}), &["true"]),
            Ok(json!(true))
        );
        assert_eq!(
            coerce(
                &json!({"type": "array", "items": {"type": "integer"}}),
                &["1", "2"]
            ),
            Ok(json!([1, 2]))
        );
        assert_eq!(
            coerce(&json!({"type": "string"}), &["a b"]),
            Ok(json!("a b"))
        );
    }
}
