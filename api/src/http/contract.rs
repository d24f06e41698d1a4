//! The finished OpenAPI document as the server uses it at run time: served as
//! `/v1/openapi.json`, the source of request-body and parameter schemas for validation, and the
//! route table that tells a wrong method (405 + `Allow`) from an unknown address (404).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use actix_web::http::Method;
use jsonschema::Validator;
use serde_json::{Value, json};

use crate::openapi::{self, BASE_PATH};

/// Paths the server answers outside the document: the document itself and its viewer.
/// (`/docs/...` is a prefix: the viewer's assets.)
pub const UNDOCUMENTED_ROUTES: [(&str, &str); 3] = [
    ("GET", "/v1/openapi.json"),
    ("GET", "/v1/docs"),
    ("GET", "/v1/docs/{bestand}"),
];

pub struct Contract {
    document: Value,
    text: String,
    routes: Vec<Route>,
    validators: RwLock<HashMap<String, Arc<Validator>>>,
}

struct Route {
    segments: Vec<Option<String>>,
    /// A trailing `{...}` that also takes deeper paths (the docs viewer's assets).
    open_ended: bool,
    methods: Vec<Method>,
}

impl Contract {
    pub fn build() -> Contract {
        Contract::build_with(None)
    }

    /// The contract of a server that also mounts `extra` routes (see [`crate::ExtraRoutes`]).
    pub fn build_with(extra: Option<crate::ExtraRoutes>) -> Contract {
        let document = openapi::document_with(extra);
        let text = {
            let mut t = serde_json::to_string_pretty(&document).expect("serialiseerbaar");
            t.push('\n');
            t
        };
        let mut routes: Vec<Route> = Vec::new();
        let mut add = |path: &str, method: Method, open_ended: bool| {
            let segments = segments_of(path);
            match routes.iter_mut().find(|r| r.segments == segments) {
                Some(route) => route.methods.push(method),
                None => routes.push(Route {
                    segments,
                    open_ended,
                    methods: vec![method],
                }),
            }
        };
        for (path, item) in document["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                if let Ok(m) = Method::from_bytes(method.to_uppercase().as_bytes()) {
                    add(&format!("{BASE_PATH}{path}"), m, false);
                }
            }
        }
        for (method, path) in UNDOCUMENTED_ROUTES {
            add(
                path,
                Method::from_bytes(method.as_bytes()).expect("method"),
                path.ends_with("{bestand}"),
            );
        }
        Contract {
            document,
            text,
            routes,
            validators: RwLock::new(HashMap::new()),
        }
    }

    pub fn document(&self) -> &Value {
        &self.document
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The methods documented for `path`, or `None` when no route has this shape.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<Method>> {
        let given: Vec<&str> = path.split('/').skip(1).collect();
        self.routes
            .iter()
            .find(|route| {
                let fixed = route.segments.len();
                let length_ok = if route.open_ended {
                    given.len() >= fixed
                } else {
                    given.len() == fixed
                };
                length_ok
                    && route
                        .segments
                        .iter()
                        .zip(&given)
                        .all(|(want, got)| match want {
                            Some(literal) => literal == got,
                            None => !got.is_empty(),
                        })
            })
            .map(|route| route.methods.clone())
    }

    /// A validator for the component schema `name` (a request body type).
    pub fn body_validator(&self, name: &str) -> Arc<Validator> {
        self.validator(
            &format!("body:{name}"),
            || json!({"$ref": format!("#/components/schemas/{name}")}),
        )
    }

    /// A validator for an inline schema (a parameter), cached under `key`.
    pub fn validator(&self, key: &str, schema: impl FnOnce() -> Value) -> Arc<Validator> {
        if let Some(v) = self.validators.read().expect("lock").get(key) {
            return Arc::clone(v);
        }
        let mut root = schema();
        // `$ref`s in the document point at `#/components/...`; keep them resolvable.
        root["components"] = self.document["components"].clone();
        let validator = Arc::new(
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&root)
                .unwrap_or_else(|e| {
                    panic!("schema {key} in het OpenAPI-document is ongeldig: {e}")
                }),
        );
        self.validators
            .write()
            .expect("lock")
            .insert(key.to_string(), Arc::clone(&validator));
        validator
    }
}

fn segments_of(path: &str) -> Vec<Option<String>> {
    path.split('/')
        .skip(1)
        .map(|s| {
            if s.starts_with('{') {
                None
            } else {
                Some(s.to_string())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_wrong_method_from_unknown_address() {
        let c = Contract::build();
        assert_eq!(c.allowed_methods("/v1/health"), Some(vec![Method::GET]));
        assert_eq!(
            c.allowed_methods("/v1/openapi.json"),
            Some(vec![Method::GET])
        );
        assert_eq!(
            c.allowed_methods("/v1/docs/swagger-ui.css"),
            Some(vec![Method::GET])
        );
        assert_eq!(c.allowed_methods("/v1/health/"), None);
        assert_eq!(c.allowed_methods("/v1/bestaat-niet"), None);
    }
}
