//! The rules of conversations: an expert keeps their own schedule; anyone logged in sees free
//! times; a parent (or a gemachtigde with the scope) books once per Idempotency-Key, at most the
//! configured number of upcoming conversations, and only a time that is free at that moment —
//! the database's occupancy cells settle any race; cancelling keeps to the notice rule for the
//! parent, while the expert may always cancel.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{Duration, NaiveTime, Utc};
use uuid::Uuid;

use super::ics;
use super::instellingen::Gesprekstype as Type;
use super::model::*;
use super::rooster::lees_rooster;
use super::store::{self, GesprekRij};
use super::tijden;
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::idempotency::{self, Begin, IdempotencyKey, Scope, StoredResponse};
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::toegang::{self, Actie};
use crate::notify::service::bijlage;
use crate::notify::{self, Melding, Soort};

fn lokaal(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Amsterdam).to_rfc3339()
}

pub fn typen(state: &AppState) -> Gesprekstypen {
    Gesprekstypen {
        resultaten: state
            .settings
            .gesprekken
            .typen
            .iter()
            .map(|(code, t)| Gesprekstype {
                code: code.clone(),
                naam: t.naam.clone(),
                duur_min: t.duur_min,
                boeken_vooraf: format!("{} uur", t.boeken_vooraf_uren),
                wijzigen_vooraf: format!("{} uur", t.wijzigen_vooraf_uren),
                venster_dagen: t.venster_dagen,
            })
            .collect(),
    }
}

fn soort<'a>(state: &'a AppState, code: &str, pad: FieldError) -> Result<&'a Type, ApiError> {
    state
        .settings
        .gesprekken
        .typen
        .get(code)
        .ok_or_else(|| ApiError::invalid(vec![pad]))
}

pub(super) fn bezet(t: &Type, rijen: &[GesprekRij]) -> Vec<tijden::Bezet> {
    rijen
        .iter()
        .map(|r| tijden::beslag(&t.regels(), db::tijdstip(r.start_op)))
        .collect()
}

/// Free times of every expert who offers the form, for a period of at most 31 days.
pub async fn vrije_tijden(
    state: &AppState,
    principal: &Principal,
    v: &TijdenVraag,
) -> Result<Tijdsloten, ApiError> {
    let _ = principal;
    let t = soort(
        state,
        &v.soort,
        FieldError::parameter(
            "soort",
            "enum",
            "Onbekende soort gesprek; zie GET /v1/gesprekstypen.",
        ),
    )?;
    if v.tot < v.van || (v.tot - v.van).num_days() > 31 {
        return Err(ApiError::invalid(vec![FieldError::parameter(
            "tot",
            "bereik",
            "Kies een einde op of na het begin, hoogstens 31 dagen later.",
        )]));
    }
    let nu = Utc::now();
    let mut uit = Vec::new();
    for leider in store::leiders(&state.db).await? {
        let Ok(r) = serde_json::from_str::<Rooster>(&leider.rooster) else {
            continue;
        };
        if !r.vormen.contains(&v.vorm) {
            continue;
        }
        let rooster = lees_rooster(&r)?;
        let van = tijden::moment(v.van, NaiveTime::MIN) - Duration::days(1);
        let tot = tijden::moment(v.tot, NaiveTime::MIN) + Duration::days(2);
        let rijen = store::geboekt(
            &state.db,
            &leider.persoon_id,
            van.timestamp_millis(),
            tot.timestamp_millis(),
        )
        .await?;
        let naam = crate::machtiging::store::partij(&state.db, &leider.persoon_id)
            .await?
            .map(|p| p.naam)
            .unwrap_or_default();
        for s in tijden::tijdsloten(&t.regels(), &rooster, &bezet(t, &rijen), v.van, v.tot, nu) {
            uit.push(Tijdslot {
                gespreksleider: leider.persoon_id.parse().unwrap_or_default(),
                naam: naam.clone(),
                start: s.start,
                eind: s.eind,
                start_lokaal: lokaal(s.start),
            });
        }
    }
    uit.sort_by_key(|s| (s.start, s.gespreksleider));
    Ok(Tijdsloten { resultaten: uit })
}

pub async fn toon(state: &AppState, r: &GesprekRij) -> Result<Gesprek, ApiError> {
    let naam = crate::machtiging::store::partij(&state.db, &r.gespreksleider_id)
        .await?
        .map(|p| p.naam)
        .unwrap_or_default();
    Ok(Gesprek {
        id: r.id.parse().unwrap_or_default(),
        soort: r.soort.clone(),
        vorm: r.vorm.clone(),
        gespreksleider: Deelnemer {
            id: r.gespreksleider_id.parse().unwrap_or_default(),
            naam,
        },
        start: db::tijdstip(r.start_op),
        eind: db::tijdstip(r.eind_op),
        start_lokaal: lokaal(db::tijdstip(r.start_op)),
        status: r.status.clone(),
        voorkeuren: serde_json::from_str(&r.voorkeuren).unwrap_or_default(),
        reden: r.reden.clone(),
        afspraken: r.afspraken.clone(),
    })
}

pub fn herinnering_sleutel(id: &str) -> String {
    format!("gesprek-herinnering:{id}")
}

/// The calendar mail (invitation or cancellation) to one participant.
pub(super) async fn meld_aan(
    tx: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    r: &GesprekRij,
    methode: ics::Methode,
    wie: &str,
) -> Result<(), ApiError> {
    let Ok(persoon) = wie.parse() else {
        return Ok(());
    };
    let afzender = state
        .settings
        .notify
        .afzender
        .split(['<', '>'])
        .nth(1)
        .unwrap_or("noreply@mijn-herstel.nl");
    let afspraak = ics::Afspraak {
        id: &r.id,
        reeks: r.reeks,
        start: db::tijdstip(r.start_op),
        eind: db::tijdstip(r.eind_op),
        vorm: &r.vorm,
        afzender,
    };
    let tekst = ics::ics(&afspraak, methode, Utc::now());
    let soort = match methode {
        ics::Methode::Request => Soort::GesprekGeboekt,
        ics::Methode::Cancel => Soort::GesprekGeannuleerd,
    };
    let mut m = Melding::new(persoon, soort);
    m.verwijzing = Some(format!("/v1/gesprekken/{}", r.id));
    m.bijlagen = vec![bijlage(
        "uitnodiging.ics",
        &format!("text/calendar; charset=utf-8; method={}", methode.code()),
        tekst.as_bytes(),
        true,
    )];
    notify::meld(tx, &state.notify, m).await?;
    Ok(())
}

/// The invitation (or cancellation) to the parent and the expert, each with the calendar file;
/// on booking also the reminder a day before, which a cancellation withdraws.
pub(super) async fn meld(
    tx: &impl sea_orm::ConnectionTrait,
    state: &AppState,
    r: &GesprekRij,
    methode: ics::Methode,
) -> Result<(), ApiError> {
    for wie in [&r.ouder_id, &r.gespreksleider_id] {
        meld_aan(tx, state, r, methode, wie).await?;
    }
    match methode {
        ics::Methode::Request => {
            let mut h = Melding::new(
                r.ouder_id.parse().map_err(ApiError::internal)?,
                Soort::GesprekHerinnering,
            );
            h.verwijzing = Some(format!("/v1/gesprekken/{}", r.id));
            h.niet_voor = Some(r.start_op - 24 * 3_600_000);
            h.sleutel = Some(herinnering_sleutel(&r.id));
            notify::meld(tx, &state.notify, h).await?;
        }
        ics::Methode::Cancel => {
            notify::store::annuleer(tx, &herinnering_sleutel(&r.id), db::now_ms()).await?
        }
    }
    Ok(())
}

pub(super) fn bezet_fout() -> ApiError {
    ApiError::new(
        ProblemType::Conflict,
        "Dit tijdstip is net door iemand anders geboekt. Kies een ander tijdstip.",
    )
}

pub async fn boek(
    state: &AppState,
    principal: &Principal,
    key: &IdempotencyKey,
    fingerprint: &str,
    b: &Boeking,
) -> Result<HttpResponse, ApiError> {
    toegang::vereis_rol(state, principal, &["ouder", "advocaat"], "gesprek-boeken").await?;
    let ouder = principal.represents.unwrap_or(principal.persoon_id);
    let t = toegang::beslis(
        state,
        principal,
        Actie::GesprekkenPlannen,
        ouder,
        "gesprekken",
    )
    .await?;
    let scope = Scope {
        principal: format!("{}:{ouder}", principal.persoon_id),
        operation: "gesprek.boeken",
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
        let soort = soort(state, &b.soort, FieldError::body("/soort", "enum", "Onbekende soort gesprek; zie GET /v1/gesprekstypen."))?;
        let leider = store::leider(&state.db, b.gespreksleider).await?.ok_or_else(|| {
            ApiError::invalid(vec![FieldError::body("/gespreksleider", "onbekend", "Deze gespreksleider bestaat niet.")])
        })?;
        let r: Rooster = serde_json::from_str(&leider.rooster).map_err(ApiError::internal)?;
        if !r.vormen.contains(&b.vorm) {
            return Err(ApiError::invalid(vec![FieldError::body("/vorm", "vorm", "Deze gespreksleider biedt deze vorm niet aan.")]));
        }
        let rooster = lees_rooster(&r)?;
        let dag = tijden::lokale_dag(b.start);
        let nu = Utc::now();
        let rijen = store::geboekt(&state.db, &leider.persoon_id, (b.start - Duration::days(2)).timestamp_millis(), (b.start + Duration::days(2)).timestamp_millis()).await?;
        let vrij = tijden::tijdsloten(&soort.regels(), &rooster, &bezet(soort, &rijen), dag, dag, nu);
        if !vrij.iter().any(|s| s.start == b.start) {
            return Err(if rijen.iter().any(|g| g.start_op == b.start.timestamp_millis()) {
                bezet_fout()
            } else {
                ApiError::invalid(vec![FieldError::body("/start", "geen-tijdslot", "Dit is geen vrij tijdstip van deze gespreksleider (zie GET /v1/tijdsloten).")])
            });
        }
        let komend = store::van_ouder(&state.db, t.ouder()).await?.iter().filter(|g| g.status == "geboekt" && g.start_op > nu.timestamp_millis()).count();
        if komend >= state.settings.gesprekken.max_komend_per_ouder {
            return Err(ApiError::new(ProblemType::Conflict, "U heeft al een gesprek gepland. Verzet of annuleer dat eerst."));
        }
        let beslag = tijden::beslag(&soort.regels(), b.start);
        let rij = GesprekRij {
            id: Uuid::now_v7().to_string(),
            ouder_id: t.ouder().to_string(),
            gespreksleider_id: leider.persoon_id.clone(),
            soort: b.soort.clone(),
            vorm: b.vorm.code().into(),
            start_op: b.start.timestamp_millis(),
            eind_op: (b.start + Duration::minutes(soort.duur_min)).timestamp_millis(),
            status: "geboekt".into(),
            voorkeuren: serde_json::to_string(&b.voorkeuren).map_err(ApiError::internal)?,
            geboekt_door: principal.persoon_id.to_string(),
            reden: None,
            afspraken: None,
            reeks: 0,
            aangemaakt_op: db::now_ms(),
        };
        let tx = db::begin_write(&state.db).await?;
        if !store::boek(&tx, rij.clone(), &tijden::cellen(&beslag)).await? {
            return Err(bezet_fout());
        }
        audit::gelukt(&tx, &state.vault, principal, Some(t.ouder()), "gesprek-boeken", &format!("gesprekken/{}", rij.id), "herstelrechtgesprekken/v1").await?;
        meld(&tx, state, &rij, ics::Methode::Request).await?;
        let stored = StoredResponse::json(StatusCode::CREATED, &toon(state, &rij).await?);
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

/// The parent's conversations, or the expert's agenda (with the parents' preferences).
pub async fn lijst(state: &AppState, principal: &Principal) -> Result<Gesprekken, ApiError> {
    let rijen = if principal.has_role("gespreksleider") {
        store::van_leider(&state.db, principal.persoon_id).await?
    } else {
        let ouder = principal.represents.unwrap_or(principal.persoon_id);
        let t = toegang::beslis(
            state,
            principal,
            Actie::GesprekkenPlannen,
            ouder,
            "gesprekken",
        )
        .await?;
        store::van_ouder(&state.db, t.ouder()).await?
    };
    let mut resultaten = Vec::with_capacity(rijen.len());
    for r in &rijen {
        resultaten.push(toon(state, r).await?);
    }
    Ok(Gesprekken { resultaten })
}
