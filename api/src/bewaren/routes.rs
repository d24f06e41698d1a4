//! A retention round on request (beheerder).

use actix_web::{HttpResponse, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::taak::{self, Ronde};
use crate::AppState;
use crate::http::ApiError;
use crate::http::principal::Principal;
use crate::identity::toegang;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ronde);
}

/// Bewaartermijnen nu toepassen (beheerder)
///
/// Doet meteen wat de server anders op zijn vaste tijd doet: concepten waar lang niemand aan
/// werkte verwijderen, afgeronde aanvragen na de bewaartermijn anonimiseren, verlopen sessies
/// opruimen. Elke stap staat in het logboek. Nog eens vragen doet niets dubbel.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "bewaartermijnenToepassen",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Wat de ronde deed.", body = Ronde),
        (status = 403, description = "Alleen voor beheerders."),
    )
)]
#[post("/beheer/bewaarrondes")]
async fn ronde(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(
        &state,
        &principal,
        &["beheerder"],
        "bewaartermijnen-toepassen",
    )
    .await?;
    Ok(HttpResponse::Ok().json(taak::ronde(&state).await?))
}
