//! A retention round on request (beheerder).

use actix_web::{HttpResponse, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::taak::{self, Ronde};
use crate::AppState;
use crate::http::principal::Principal;
use crate::http::{ApiError, Query};
use crate::identity::toegang;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ronde);
}

/// Bewaartermijnen nu toepassen (beheerder)
///
/// Doet meteen wat de server anders op zijn vaste tijd doet: concepten waar lang niemand aan
/// werkte verwijderen, afgeronde aanvragen na de bewaartermijn anonimiseren, verlopen sessies
/// opruimen. Elke stap staat in het logboek. Nog eens vragen doet niets dubbel. Met `proef=true`
/// alleen tellen wat er zou gebeuren.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "bewaartermijnenToepassen",
    security(("bearer" = [])),
    params(RondeVraag),
    responses(
        (status = 200, description = "Wat de ronde deed.", body = Ronde),
        (status = 403, description = "Alleen voor beheerders."),
    )
)]
#[post("/beheer/bewaarrondes")]
async fn ronde(
    state: web::Data<AppState>,
    principal: Principal,
    vraag: Query<RondeVraag>,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(
        &state,
        &principal,
        &["beheerder"],
        "bewaartermijnen-toepassen",
    )
    .await?;
    let r = if vraag.proef.unwrap_or(false) {
        taak::proef(&state).await?
    } else {
        taak::ronde(&state).await?
    };
    Ok(HttpResponse::Ok().json(r))
}

/// Een ronde doen of alleen tellen.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct RondeVraag {
    /// `true`: alleen tellen wat de ronde zou doen; er verandert niets.
    #[param(example = false)]
    pub proef: Option<bool>,
}
