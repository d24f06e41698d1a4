//! Submitting, withdrawing and the status timeline (DAMAGE-FRAMEWORK §5). Every transition is
//! recorded (`statusovergang`) in the same transaction as the status change and its mail.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use uuid::Uuid;

use super::afwikkeling_model::{Betaalstatus, Betaling};
use super::levensloop::{self, Status, Wie};
use super::levensloop_model::*;
use super::service::{laad, lees, opgehaald, toegang};
use super::store::{self, IndieningRij, OvergangRij, Rij};
use super::{afwikkeling, afwikkeling_store};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::idempotency::{self, Begin, IdempotencyKey, Scope, StoredResponse};
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{Actie, Toegang};
use crate::notify::{self, Melding, Soort};
use crate::wizard::calc::bereken;
use crate::wizard::engine;

fn status_van(rij: &Rij) -> Status {
    Status::parse(&rij.status).unwrap_or(Status::Concept)
}

/// Crockford's base32 without I, L, O, U: readable over the phone, 40 random bits.
fn nieuwe_referentie() -> Result<String, ApiError> {
    const ALFABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut b = [0u8; 5];
    getrandom::fill(&mut b).map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    let mut n = b.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
    let mut tekens = [0u8; 8];
    for t in tekens.iter_mut().rev() {
        *t = ALFABET[(n & 31) as usize];
        n >>= 5;
    }
    let s = String::from_utf8_lossy(&tekens).into_owned();
    Ok(format!("MH-{}-{}", &s[..4], &s[4..]))
}

pub fn overgang(
    aanvraag: &str,
    van: Option<Status>,
    naar: Status,
    door: &Principal,
    wie: Wie,
    reden: Option<String>,
    now: i64,
) -> OvergangRij {
    OvergangRij {
        id: Uuid::now_v7().to_string(),
        aanvraag_id: aanvraag.to_string(),
        van: van.map(|s| s.code().to_string()),
        naar: naar.code().to_string(),
        door_persoon: Some(door.persoon_id.to_string()),
        door_rol: wie.code().to_string(),
        reden,
        op: now,
    }
}

/// What is still missing before `rij` can be submitted: unsaved or incomplete steps and
/// unanswered required questions, each with a pointer into the claim.
fn ontbrekend(state: &AppState, rij: &Rij) -> Result<Vec<FieldError>, ApiError> {
    let t = lees(rij)?;
    let inhoud = state
        .inhoud
        .get(&rij.inhoud_versie)
        .ok_or_else(ApiError::not_found)?;
    let stand = engine::stand(inhoud, &t.antwoorden, &opgehaald(rij));
    let mut fouten = Vec::new();
    for stap in stand.stappen.iter().filter(|s| s.zichtbaar) {
        if !t.opgeslagen.contains(&stap.id) {
            fouten.push(FieldError::body(
                &format!("/stappen/{}", stap.id),
                "stap-niet-opgeslagen",
                format!("Stap '{}' is nog niet opgeslagen.", stap.id),
            ));
        }
        for vraag in stap
            .vragen
            .iter()
            .filter(|v| v.zichtbaar && v.verplicht && !v.beantwoord)
        {
            fouten.push(FieldError::body(
                &format!("/antwoorden/{}", vraag.id),
                "required",
                format!("Vraag '{}' is verplicht en nog niet beantwoord.", vraag.id),
            ));
        }
    }
    Ok(fouten)
}

/// Submits the claim: complete, statement of truth, once (Idempotency-Key; a second key finds
/// it submitted: 409). Freezes the explained calculation with its input hash and framework
/// version, gives a public reference, records the transition, mails a confirmation and cancels
/// the reminder.
pub async fn dien_in(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    key: &IdempotencyKey,
    fingerprint: &str,
    verzoek: &IndieningVerzoek,
) -> Result<HttpResponse, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagIndienen).await?;
    let scope = Scope {
        principal: format!("{}:{id}", principal.persoon_id),
        operation: "aanvraag.indienen",
    };
    let claim = match idempotency::begin(
        &state.db,
        &state.settings.idempotency,
        &scope,
        key,
        fingerprint,
    )
    .await?
    {
        Begin::Replay(response) => return Ok(response),
        Begin::Proceed(claim) => claim,
    };
    let result = async {
        let (rij, inhoud) = laad(state, &t, id).await?;
        if status_van(&rij) != Status::Concept {
            return Err(ApiError::new(
                ProblemType::Conflict,
                "Deze aanvraag is al ingediend.",
            ));
        }
        let uiterlijk = uiterste_dag(state, &t).await?;
        if vandaag() > uiterlijk {
            return Err(ApiError::new(
                ProblemType::Conflict,
                format!(
                    "De termijn om in te dienen is voorbij (tot en met {}). Bent u later erkend of kreeg u later een beslissing op bezwaar? Neem dan contact met ons op.",
                    uiterlijk.format("%d-%m-%Y")
                ),
            ));
        }
        let mut fouten = ontbrekend(state, &rij)?;
        if !verzoek.verklaring_naar_waarheid {
            fouten.insert(
                0,
                FieldError::body(
                    "/verklaringNaarWaarheid",
                    "verklaring",
                    "Verklaar dat u alles naar waarheid heeft ingevuld.",
                ),
            );
        }
        if !fouten.is_empty() {
            return Err(ApiError::invalid(fouten));
        }
        let antwoorden = lees(&rij)?.antwoorden;
        let opgehaald = opgehaald(&rij);
        let stand = engine::stand(&inhoud, &antwoorden, &opgehaald);
        let berekening = bereken(&inhoud, &stand, &opgehaald);
        let now = db::now_ms();
        let tx = db::begin_write(&state.db).await?;
        let mut referentie = nieuwe_referentie()?;
        while store::referentie_bestaat(&tx, &referentie).await? {
            referentie = nieuwe_referentie()?;
        }
        if !store::zet_status(
            &tx,
            &t,
            &rij.id,
            rij.versie,
            Status::Ingediend.code(),
            true,
            now,
        )
        .await?
        {
            return Err(ApiError::new(
                ProblemType::Conflict,
                "De aanvraag is intussen gewijzigd of al ingediend. Haal haar opnieuw op.",
            ));
        }
        store::voeg_indiening_toe(
            &tx,
            IndieningRij {
                aanvraag_id: rij.id.clone(),
                referentie: referentie.clone(),
                ingediend_op: now,
                ingediend_door: principal.persoon_id.to_string(),
                verklaring_op: now,
                kaderversie: berekening.kaderversie.clone(),
                invoer_hash: berekening.invoer_hash.clone(),
                totaal: berekening.totaal,
                berekening: serde_json::to_string(&berekening).map_err(ApiError::internal)?,
                lage_impact: berekening.lage_impact,
            },
        )
        .await?;
        store::voeg_overgang_toe(
            &tx,
            overgang(
                &rij.id,
                Some(Status::Concept),
                Status::Ingediend,
                principal,
                Wie::Ouder,
                None,
                now,
            ),
        )
        .await?;
        notify::store::annuleer(&tx, &super::service::herinnering_sleutel(&rij.id), now).await?;
        audit::gelukt(
            &tx,
            &state.vault,
            principal,
            Some(t.ouder()),
            "aanvraag-indienen",
            &format!("aanvragen/{}", rij.id),
            "aanvraag-indienen/v1",
        )
        .await?;
        crate::machtiging::wijziging::meld_namens(
            &tx,
            state,
            principal,
            t.ouder(),
            format!("/v1/aanvragen/{}", rij.id),
        )
        .await?;
        let mut melding = Melding::new(t.ouder(), Soort::AanvraagIngediend);
        melding.verwijzing = Some(format!("/v1/aanvragen/{}", rij.id));
        notify::meld(&tx, &state.notify, melding).await?;
        let body = Indiening {
            aanvraag: id,
            referentie,
            status: Status::Ingediend,
            ingediend_op: db::tijdstip(now),
            totaal: berekening.totaal,
            kaderversie: berekening.kaderversie,
            invoer_hash: berekening.invoer_hash,
        };
        let stored = StoredResponse::json(StatusCode::CREATED, &body);
        claim.complete(&tx, &stored).await?;
        tx.commit().await?;
        state.notify.wek();
        Ok(stored.to_response())
    }
    .await;
    if result.is_err() {
        claim.release(&state.db).await;
    }
    result
}

/// Withdraws the claim (any time before `akkoord`); the parent may then start a new one.
pub async fn trek_in(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    verzoek: &IntrekkingVerzoek,
) -> Result<Tijdlijn, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagIntrekken).await?;
    let (rij, _) = laad(state, &t, id).await?;
    let van = status_van(&rij);
    if !levensloop::mag(van, Status::Ingetrokken, Wie::Ouder) {
        return Err(ApiError::new(
            ProblemType::Conflict,
            format!(
                "Een aanvraag met status '{}' kan niet meer worden ingetrokken.",
                van.code()
            ),
        ));
    }
    let now = db::now_ms();
    let tx = db::begin_write(&state.db).await?;
    if !store::zet_status(
        &tx,
        &t,
        &rij.id,
        rij.versie,
        Status::Ingetrokken.code(),
        false,
        now,
    )
    .await?
    {
        return Err(ApiError::new(
            ProblemType::Conflict,
            "De aanvraag is intussen gewijzigd. Haal haar opnieuw op.",
        ));
    }
    let reden = verzoek.reden.clone().filter(|r| !r.trim().is_empty());
    store::voeg_overgang_toe(
        &tx,
        overgang(
            &rij.id,
            Some(van),
            Status::Ingetrokken,
            principal,
            Wie::Ouder,
            reden,
            now,
        ),
    )
    .await?;
    notify::store::annuleer(&tx, &super::service::herinnering_sleutel(&rij.id), now).await?;
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        Some(t.ouder()),
        "aanvraag-intrekken",
        &format!("aanvragen/{}", rij.id),
        "aanvraag-intrekken/v1",
    )
    .await?;
    tx.commit().await?;
    lees_tijdlijn(state, &t, id).await
}

pub async fn tijdlijn(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
) -> Result<Tijdlijn, ApiError> {
    let t = toegang(state, principal, id, Actie::AanvraagInzien).await?;
    lees_tijdlijn(state, &t, id).await
}

async fn lees_tijdlijn(state: &AppState, t: &Toegang, id: Uuid) -> Result<Tijdlijn, ApiError> {
    let (rij, _) = laad(state, t, id).await?;
    let status = status_van(&rij);
    let uitleg = levensloop::uitleg(status);
    let indiening = store::indiening_van(&state.db, t, &rij.id).await?;
    let vragen = afwikkeling_store::vragen(&state.db, id).await?;
    let betalingen = afwikkeling_store::betalingen(&state.db, id).await?;
    let overgangen = store::overgangen(&state.db, t, &rij.id)
        .await?
        .into_iter()
        .map(|o| Overgang {
            van: o.van.as_deref().and_then(Status::parse),
            naar: Status::parse(&o.naar).unwrap_or(Status::Concept),
            op: db::tijdstip(o.op),
            door: o.door_rol,
            reden: o.reden,
        })
        .collect();
    Ok(Tijdlijn {
        status,
        referentie: indiening.map(|i| i.referentie),
        betekenis: (&uitleg.betekenis).into(),
        volgende_stap: (&uitleg.volgende_stap).into(),
        aan_zet: uitleg.aan_zet.into(),
        verwachte_duur_dagen: state
            .settings
            .claims
            .verwachte_duur_dagen
            .get(status.code())
            .copied(),
        overgangen,
        indienen_uiterlijk: match status {
            Status::Concept => Some(uiterste_dag(state, t).await?),
            _ => None,
        },
        open_vragen: u32::try_from(vragen.iter().filter(|v| v.beantwoord_op.is_none()).count())
            .unwrap_or(u32::MAX),
        betalingen: betalingen
            .into_iter()
            .filter_map(|b| {
                Some(Betaling {
                    status: Betaalstatus::parse(&b.status)?,
                    bedrag: b.bedrag,
                    op: db::tijdstip(b.op),
                })
            })
            .collect(),
    })
}

/// The last day to submit: the global date, or later when the parent's UHT file (retrieved with
/// consent, [E]) shows a later decision. It only ever extends, so it counts unconfirmed too.
async fn uiterste_dag(state: &AppState, t: &Toegang) -> Result<chrono::NaiveDate, ApiError> {
    let c = &state.settings.claims;
    let besluit = crate::gegevens::service::besluitdatum(&state.db, t).await?;
    Ok(afwikkeling::uiterste_indiendatum(
        c.indienen_tot,
        besluit,
        c.maanden_na_besluit,
    ))
}

/// Today as the parent sees it: the deadline is a Dutch calendar day.
fn vandaag() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_readable_and_differ() {
        let a = nieuwe_referentie().unwrap();
        let b = nieuwe_referentie().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 12);
        assert!(a.starts_with("MH-") && a.as_bytes()[7] == b'-');
        assert!(!a[3..].contains(['I', 'L', 'O', 'U']));
    }
}
