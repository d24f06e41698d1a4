//! Notifications over HTTP: settings and address (`/mij/meldingen…`, `/mij/emailadres…`), the
//! inbox (`/mij/berichten`), and the administrator's view of failed mail (`/beheer/…`).

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::*;
use super::soort::ALLE;
use super::store::{self, BerichtRij, InstellingRij, UitgaandRij};
use super::templates::Taal;
use super::{service, soort::Soort};
use crate::AppState;
use crate::audit::{self, Regel, Uitkomst};
use crate::db;
use crate::http::etag::{IfMatch, IfMatchHeader, etag_header, not_modified};
use crate::http::pagination::Paginering;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, Json, ProblemType, Query};
use crate::identity::toegang::{self, Actie, Toegang};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(instellingen)
        .service(voorkeuren)
        .service(emailadres_opgeven)
        .service(emailadres_bevestigen)
        .service(emailadres_verwijderen)
        .service(berichten)
        .service(bericht)
        .service(bericht_gelezen)
        .service(bericht_ongelezen)
        .service(uitgaande_berichten)
        .service(nieuwe_poging);
}

fn ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

async fn eigen(state: &AppState, principal: &Principal, actie: Actie) -> Result<Toegang, ApiError> {
    toegang::beslis(
        state,
        principal,
        actie,
        principal.persoon_id,
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
            verloopt_op: ms(v.verloopt_op),
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
    responses(
        (status = 200, description = "De instellingen.", body = Meldingsinstellingen, headers(("ETag" = String, description = "De versie; gebruik haar in If-Match."))),
        (status = 304, description = "Niet gewijzigd.")
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
        (status = 200, description = "Bevestigd.", body = Meldingsinstellingen, headers(("ETag" = String, description = "De nieuwe versie.")))
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

fn bericht_view(rij: BerichtRij) -> Bericht {
    Bericht {
        id: rij.id.parse().unwrap_or_default(),
        soort: Soort::parse(&rij.soort).unwrap_or(Soort::AanvraagGestart),
        onderwerp: rij.onderwerp,
        tekst: rij.tekst,
        verwijzing: rij.verwijzing,
        ontvangen_op: ms(rij.zichtbaar_vanaf),
        gelezen_op: rij.gelezen_op.map(ms),
    }
}

/// Mijn berichten
///
/// De berichtenbox, nieuwste eerst: alles wat wij u lieten weten, ook als u geen e-mail krijgt.
/// `ongelezen` telt de ongelezen berichten op alle pagina's.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtenOphalen",
    security(("bearer" = [])),
    params(Paginering, BerichtenFilter),
    responses((status = 200, description = "De berichten.", body = Berichten, headers(("Link" = String, description = "RFC 8288."))))
)]
#[get("/mij/berichten")]
async fn berichten(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
    filter: Query<BerichtenFilter>,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::BerichtenInzien).await?;
    let now = db::now_ms();
    let (rows, total) = store::berichten(
        &state.db,
        t.ouder(),
        now,
        filter.ongelezen.unwrap_or(false),
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let ongelezen = store::ongelezen(&state.db, t.ouder(), now).await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok().insert_header(link).json(Berichten {
        resultaten: rows.into_iter().map(bericht_view).collect(),
        ongelezen,
        paginering: info,
    }))
}

/// Eén bericht
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtOphalen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het bericht.")),
    responses((status = 200, description = "Het bericht.", body = Bericht))
)]
#[get("/mij/berichten/{id}")]
async fn bericht(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(&state, &principal, Actie::BerichtenInzien).await?;
    let rij = store::bericht(&state.db, t.ouder(), *id, db::now_ms())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(bericht_view(rij)))
}

/// Bericht als gelezen markeren
///
/// Herhalen mag; het eerste leesmoment blijft staan.
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtGelezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het bericht.")),
    responses((status = 204, description = "Gemarkeerd als gelezen."))
)]
#[put("/mij/berichten/{id}/gelezen")]
async fn bericht_gelezen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    markeer(&state, &principal, *id, true).await
}

/// Bericht weer als ongelezen markeren
#[utoipa::path(
    tag = "Meldingen",
    operation_id = "berichtOngelezen",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het bericht.")),
    responses((status = 204, description = "Gemarkeerd als ongelezen."))
)]
#[delete("/mij/berichten/{id}/gelezen")]
async fn bericht_ongelezen(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    markeer(&state, &principal, *id, false).await
}

async fn markeer(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    gelezen: bool,
) -> Result<HttpResponse, ApiError> {
    let t = eigen(state, principal, Actie::BerichtenInzien).await?;
    let tx = db::begin_write(&state.db).await?;
    let found = store::markeer(&tx, t.ouder(), id, db::now_ms(), gelezen).await?;
    if !found {
        return Err(ApiError::not_found());
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `fatima@example.nl` → `f***@example.nl`: enough to recognise, not to harvest.
fn maskeer(adres: &str) -> String {
    match adres.split_once('@') {
        Some((lokaal, domein)) => {
            let eerste: String = lokaal.chars().take(1).collect();
            format!("{eerste}***@{domein}")
        }
        None => "***".into(),
    }
}

fn uitgaand_view(rij: UitgaandRij) -> UitgaandBericht {
    UitgaandBericht {
        id: rij.id.parse().unwrap_or_default(),
        ontvanger: maskeer(&rij.ontvanger),
        soort: rij.soort,
        status: rij.status,
        pogingen: rij.pogingen,
        laatste_fout: rij.laatste_fout,
        aangemaakt_op: ms(rij.aangemaakt_op),
        volgende_poging_op: ms(rij.niet_voor),
        verzonden_op: rij.verzonden_op.map(ms),
    }
}

async fn beheer_audit(
    state: &AppState,
    principal: &Principal,
    actie: &str,
    namens: Option<Uuid>,
    resource: &str,
) -> Result<(), ApiError> {
    audit::record(
        &state.db,
        &state.vault,
        &Regel {
            actor: principal.actor(),
            namens,
            actie,
            resource,
            uitkomst: Uitkomst::Toegestaan,
            reden: Some("beheerder"),
            trace_id: &principal.trace_id,
            verwerkingsactiviteit: "uitgaande-berichten-beheren/v1",
            start_ms: db::now_ms(),
        },
    )
    .await?;
    Ok(())
}

/// Uitgaande e-mail (beheer)
///
/// Voor beheerders: berichten per status, standaard de mislukte, nieuwste eerst. Zonder inhoud
/// en met een gemaskeerd adres.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "uitgaandeBerichtenOphalen",
    security(("bearer" = [])),
    params(Paginering, UitgaandFilter),
    responses(
        (status = 200, description = "De berichten.", body = UitgaandeBerichten, headers(("Link" = String, description = "RFC 8288."))),
        (status = 403, description = "Alleen voor beheerders.")
    )
)]
#[get("/beheer/uitgaande-berichten")]
async fn uitgaande_berichten(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    paging: Query<Paginering>,
    filter: Query<UitgaandFilter>,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(
        &state,
        &principal,
        &["beheerder"],
        "uitgaande-berichten-inzien",
    )
    .await?;
    let status = filter.status.unwrap_or(UitgaandStatus::Mislukt);
    beheer_audit(
        &state,
        &principal,
        "uitgaande-berichten-inzien",
        None,
        &format!("beheer/uitgaande-berichten?status={}", status.code()),
    )
    .await?;
    let (rows, total) = store::uitgaand_met_status(
        &state.db,
        status.code(),
        paging.offset(),
        u64::from(paging.page_size()),
    )
    .await?;
    let (info, link) = paging.result(&req, &state.settings.http.public_url, total);
    Ok(HttpResponse::Ok()
        .insert_header(link)
        .json(UitgaandeBerichten {
            resultaten: rows.into_iter().map(uitgaand_view).collect(),
            paginering: info,
        }))
}

/// Mislukte e-mail opnieuw versturen (beheer)
///
/// Zet een mislukt bericht terug in de wachtrij met nieuwe pogingen, bijvoorbeeld nadat het
/// adres of de mailserver is hersteld.
#[utoipa::path(
    tag = "Beheer",
    operation_id = "uitgaandBerichtOpnieuw",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "De id van het uitgaande bericht.")),
    responses(
        (status = 202, description = "Terug in de wachtrij.", body = UitgaandBericht),
        (status = 403, description = "Alleen voor beheerders."),
        (status = 409, description = "Het bericht is niet mislukt.")
    )
)]
#[post("/beheer/uitgaande-berichten/{id}/nieuwe-pogingen")]
async fn nieuwe_poging(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(
        &state,
        &principal,
        &["beheerder"],
        "uitgaand-bericht-herhalen",
    )
    .await?;
    let key = id.to_string();
    let rij = store::uitgaand(&state.db, &key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let namens = rij.persoon_id.as_deref().and_then(|p| p.parse().ok());
    beheer_audit(
        &state,
        &principal,
        "uitgaand-bericht-herhalen",
        namens,
        &format!("beheer/uitgaande-berichten/{key}"),
    )
    .await?;
    let tx = db::begin_write(&state.db).await?;
    if !store::opnieuw_in_wachtrij(&tx, &key, db::now_ms()).await? {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Alleen een mislukt bericht kan opnieuw worden verstuurd.",
        ));
    }
    tx.commit().await?;
    state.notify.wek();
    let rij = store::uitgaand(&state.db, &key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Accepted().json(uitgaand_view(rij)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_addresses_and_lowercases_domains() {
        assert_eq!(maskeer("fatima@example.nl"), "f***@example.nl");
        assert_eq!(maskeer("geen-adres"), "***");
        assert_eq!(normaliseer(" Fatima@Example.NL "), "Fatima@example.nl");
    }
}
