//! Notifications over HTTP: settings and address (`/mij/meldingsinstellingen`, `/mij/emailadres…`);
//! the inbox is in `berichten_routes`, the administrator's view of mail in `beheer_routes`.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::*;
use super::soort::ALLE;
use super::store::{self, InstellingRij};
use super::templates::Taal;
use super::{service, soort::Soort};
use crate::AppState;
use crate::db;
use crate::http::etag::{IfMatch, IfMatchHeader, IfNoneMatchHeader, etag_header, not_modified};
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, Json};
use crate::identity::toegang::{self, Actie, Toegang};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(instellingen)
        .service(voorkeuren)
        .service(emailadres_opgeven)
        .service(emailadres_bevestigen)
        .service(emailadres_verwijderen);
    super::berichten_routes::configure(cfg);
    super::beheer_routes::configure(cfg);
}

pub(super) async fn eigen(
    state: &AppState,
    principal: &Principal,
    actie: Actie,
) -> Result<Toegang, ApiError> {
    // Acting for a parent ([F]), the inbox is the parent's: only with the correspondence scope
    // (settings are never a gemachtigde's to change).
    toegang::beslis(
        state,
        principal,
        actie,
        principal.represents.unwrap_or(principal.persoon_id),
        "mij/meldingen",
    )
    .await
}

async fn view(state: &AppState, t: &Toegang) -> Result<(i64, Meldingsinstellingen), ApiError> {
    let rij = store::instelling(&state.db, t.ouder())
        .await?
        .unwrap_or_else(|| service::standaard(t.ouder()));
    let wachtend = store::verificatie(&state.db, t.ouder())
        .await?
        .filter(|v| !v.code_hash.is_empty() && v.verloopt_op > db::now_ms());
    Ok((rij.versie, instellingen_view(&rij, wachtend)))
}

fn instellingen_view(
    rij: &InstellingRij,
    wachtend: Option<store::VerificatieRij>,
) -> Meldingsinstellingen {
    Meldingsinstellingen {
        emailadres: rij
            .email
            .clone()
            .filter(|_| rij.email_geverifieerd_op.is_some()),
        te_bevestigen: wachtend.map(|v| TeBevestigen {
            emailadres: v.email,
            verloopt_op: db::tijdstip(v.verloopt_op),
        }),
        taal: rij.taal.clone(),
        niet_essentiele_email: rij.niet_essentieel,
        soorten: ALLE
            .iter()
            .filter(|s| **s != Soort::EmailadresVerificatie)
            .map(|s| Berichtsoort {
                soort: *s,
                omschrijving: s.omschrijving().into(),
                essentieel: s.essentieel(),
                per_email: service::adres_voor(*s, rij).is_some(),
            })
            .collect(),
    }
}

/// Mijn meldingsinstellingen
///
/// Het bevestigde e-mailadres, een adres dat nog op de code wacht, de taal, en welke berichten
/// per e-mail komen. Elk bericht staat ook in de berichtenbox.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "meldingsinstellingenOphalen",
    security(("bearer" = [])),
    params(IfNoneMatchHeader),
    responses(
        (status = 200, description = "De instellingen.", body = Meldingsinstellingen, headers(("ETag" = String, description = "De versie; gebruik haar in If-Match."))),
        (status = 304, description = "Niet gewijzigd: uw versie is de actuele.", headers(("ETag" = String, description = "De actuele versie, gelijk aan die uit If-None-Match.")))
    )
)]
#[get("/mij/meldingsinstellingen")]
async fn instellingen(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::MeldingenBeheren).await?;
    let (versie, body) = view(&state, &t).await?;
    if body.te_bevestigen.is_none()
        && let Some(r) = not_modified(&req, versie)
    {
        return Ok(r);
    }
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(body))
}

/// Taal en niet-noodzakelijke e-mail wijzigen
///
/// Noodzakelijke berichten (zoals een melding dat uw e-mailadres is gewijzigd) blijven komen.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "meldingsinstellingenWijzigen",
    security(("bearer" = [])),
    params(IfMatchHeader),
    request_body = VoorkeurenWijziging,
    responses(
        (status = 200, description = "De nieuwe instellingen.", body = Meldingsinstellingen, headers(("ETag" = String, description = "De nieuwe versie."))),
        (status = 412, description = "De instellingen zijn intussen gewijzigd."),
        (status = 428, description = "If-Match ontbreekt.")
    )
)]
#[put("/mij/meldingsinstellingen")]
async fn voorkeuren(
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    body: Json<VoorkeurenWijziging>,
) -> Result<HttpResponse, ApiError> {
    let taal = Taal::parse(&body.taal).ok_or_else(|| {
        ApiError::invalid(vec![FieldError::body("/taal", "enum", "Kies nl of en.")])
    })?;
    let t = eigen(&state, &principal, Actie::MeldingenBeheren).await?;
    let vorige = match &if_match {
        IfMatch::Any => None,
        IfMatch::Versions(v) => Some(v.first().copied().unwrap_or(-1)),
    };
    service::wijzig_voorkeuren(
        &state.db,
        t.ouder(),
        vorige,
        taal,
        body.niet_essentiele_email,
    )
    .await?;
    let (versie, body) = view(&state, &t).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(body))
}

/// E-mailadres opgeven
///
/// Er gaat een code van zes cijfers naar dit adres. Pas als u die invult, sturen wij er andere
/// berichten heen. De code werkt een kwartier; u kunt een paar keer per uur een code aanvragen.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "emailadresOpgeven",
    security(("bearer" = [])),
    request_body = EmailadresOpgave,
    responses(
        (status = 202, description = "De code is onderweg.", body = Meldingsinstellingen),
        (status = 429, description = "Te vaak een code aangevraagd.")
    )
)]
#[put("/mij/emailadres")]
async fn emailadres_opgeven(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<EmailadresOpgave>,
) -> Result<HttpResponse, ApiError> {
    let adres = normaliseer(&body.emailadres);
    let t = eigen(&state, &principal, Actie::MeldingenBeheren).await?;
    service::start_verificatie(&state.db, &state.notify, &state.vault, t.ouder(), &adres).await?;
    let (_, body) = view(&state, &t).await?;
    Ok(HttpResponse::Accepted().json(body))
}

/// The domain part is case-insensitive; the local part is kept as typed.
fn normaliseer(adres: &str) -> String {
    let adres = adres.trim();
    match adres.rsplit_once('@') {
        Some((lokaal, domein)) => format!("{lokaal}@{}", domein.to_ascii_lowercase()),
        None => adres.to_string(),
    }
}

/// E-mailadres bevestigen
///
/// Met de code uit de e-mail. Na vijf foute pogingen werkt de code niet meer. Had u al een
/// adres, dan krijgt dat oude adres een melding van de wijziging.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "emailadresBevestigen",
    security(("bearer" = [])),
    request_body = CodeInvoer,
    responses(
        (status = 200, description = "Bevestigd.", body = Meldingsinstellingen, headers(("ETag" = String, description = "De nieuwe versie."))),
        (status = 409, description = "Er wacht geen code op bevestiging: geef eerst een e-mailadres op.")
    )
)]
#[post("/mij/emailadres/bevestigingen")]
async fn emailadres_bevestigen(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<CodeInvoer>,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::MeldingenBeheren).await?;
    service::bevestig(
        &state.db,
        &state.notify,
        &state.vault,
        t.ouder(),
        &body.code,
    )
    .await?;
    let (versie, body) = view(&state, &t).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag_header(versie))
        .json(body))
}

/// E-mailadres verwijderen
///
/// Daarna krijgt u geen e-mail meer; berichten blijven in de berichtenbox komen.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "emailadresVerwijderen",
    security(("bearer" = [])),
    responses((status = 204, description = "Verwijderd."))
)]
#[delete("/mij/emailadres")]
async fn emailadres_verwijderen(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::MeldingenBeheren).await?;
    service::verwijder_adres(&state.db, t.ouder()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_domains_only() {
        assert_eq!(normaliseer(" Fatima@Example.NL "), "Fatima@example.nl");
    }
}
