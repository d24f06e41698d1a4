//! Who may ask (the parent, for themself — never a representative), and the document: each
//! section's rows, JSON kept as JSON, the BSN masked; the request itself lands in the audit log.

use std::collections::BTreeMap;

use chrono::Utc;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::store;
use crate::AppState;
use crate::audit;
use crate::http::ApiError;
use crate::http::principal::Principal;
use crate::identity::toegang::{self, Actie};

/// Alles wat Mijn Herstel over u bewaart.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"gemaaktOp": "2026-12-03T10:00:00Z", "persoon": {"id": "0193a6c2-0000-7000-8000-000000000001", "naam": "Fatima El Amrani", "bsn": "******653"},
    "onderdelen": {"aanvragen": [{"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a11", "status": "concept"}], "logboek": []}}))]
pub struct Inzage {
    pub gemaakt_op: chrono::DateTime<Utc>,
    /// Wie u bent bij ons (het BSN afgeschermd).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, additional_properties)]
    pub persoon: Value,
    /// Per onderdeel de rijen die over u gaan, zoals wij ze bewaren; tijden in milliseconden
    /// sinds 1970 (UTC), bedragen in centen.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, additional_properties)]
    pub onderdelen: BTreeMap<&'static str, Vec<Value>>,
}

/// Text columns that hold JSON are shown as JSON.
fn als_json(mut rij: Value) -> Value {
    if let Value::Object(velden) = &mut rij {
        for waarde in velden.values_mut() {
            if let Value::String(s) = waarde
                && (s.starts_with('{') || s.starts_with('['))
                && let Ok(v) = serde_json::from_str::<Value>(s)
            {
                *waarde = v;
            }
        }
    }
    rij
}

pub async fn inzage(state: &AppState, principal: &Principal) -> Result<Inzage, ApiError> {
    toegang::vereis_rol(state, principal, &["ouder"], "inzage-opvragen").await?;
    let t = toegang::beslis(
        state,
        principal,
        Actie::InzageOpvragen,
        principal.persoon_id,
        "mij/inzage",
    )
    .await?;
    let ouder = t.ouder();
    let p = crate::identity::store::find(&state.db, ouder)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let bsn = crate::identity::store::bsn_of(&state.db, &state.vault, ouder).await?;
    let persoon = serde_json::json!({
        "id": p.id,
        "naam": p.naam,
        "bsn": bsn.map(|b| b.masked()),
        "email": p.email,
    });
    let mut onderdelen = BTreeMap::new();
    for (naam, sql) in store::onderdelen() {
        let rijen = store::rijen(&state.db, &sql, ouder).await?;
        onderdelen.insert(naam, rijen.into_iter().map(als_json).collect());
    }
    audit::gelukt(
        &state.db,
        &state.vault,
        principal,
        Some(ouder),
        "inzage-opvragen",
        "mij/inzage",
        "inzage/v1",
    )
    .await?;
    Ok(Inzage {
        gemaakt_op: Utc::now(),
        persoon,
        onderdelen,
    })
}
