//! The rules of conversations: an expert keeps their own schedule; anyone logged in sees free
//! times; a parent (or a gemachtigde with the scope) books once per Idempotency-Key, at most the
//! configured number of upcoming conversations, and only a time that is free at that moment —
//! the database's occupancy cells settle any race; cancelling keeps to the notice rule for the
//! parent, while the expert may always cancel.

use chrono::{Duration, NaiveTime, Utc};

use super::ics;
use super::instellingen::Gesprekstype as Type;
use super::model::*;
use super::rooster::lees_rooster;
use super::store::{self, GesprekRij};
use super::tijden;
use crate::AppState;
use crate::db;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError};
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

pub(super) fn soort<'a>(
    state: &'a AppState,
    code: &str,
    pad: FieldError,
) -> Result<&'a Type, ApiError> {
    state
        .settings
        .gesprekken
        .typen
        .get(code)
        .ok_or_else(|| ApiError::invalid(vec![pad]))
}

/// What the expert's existing bookings occupy, each with its own kind's length and buffers.
pub(super) fn bezet(state: &AppState, rijen: &[GesprekRij]) -> Vec<tijden::Bezet> {
    rijen
        .iter()
        .map(|r| {
            let start = db::tijdstip(r.start_op);
            match state.settings.gesprekken.typen.get(&r.soort) {
                Some(t) => tijden::beslag(&t.regels(), start),
                // A kind since removed from configuration: at least its own time.
                None => tijden::Bezet {
                    van: start,
                    tot: db::tijdstip(r.eind_op),
                    start,
                },
            }
        })
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
        if !r.vormen.contains(&v.vorm) || v.taal.as_ref().is_some_and(|t| !r.talen.contains(t)) {
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
        for s in tijden::tijdsloten(
            &t.regels(),
            &rooster,
            &bezet(state, &rijen),
            v.van,
            v.tot,
            nu,
        ) {
            uit.push(Tijdslot {
                gespreksleider: leider.persoon_id.parse().unwrap_or_default(),
                naam: naam.clone(),
                start: s.start,
                eind: s.eind,
                start_lokaal: lokaal(s.start),
                locaties: if v.vorm == Vorm::OpLocatie {
                    r.locaties.clone()
                } else {
                    Vec::new()
                },
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
        locatie: r
            .locatie
            .as_deref()
            .and_then(|l| serde_json::from_str(l).ok()),
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
        locatie: r
            .locatie
            .as_deref()
            .and_then(|l| serde_json::from_str::<Locatie>(l).ok())
            .map(|l| format!("{}, {}", l.naam, l.adres)),
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

/// One page of the parent's conversations, or of the expert's agenda (with the parents'
/// preferences).
pub async fn lijst(
    state: &AppState,
    principal: &Principal,
    vanaf: Option<chrono::NaiveDate>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Gesprek>, u64), ApiError> {
    let van = if principal.has_role("gespreksleider") {
        store::Van::Leider(principal.persoon_id)
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
        store::Van::Ouder(t.ouder())
    };
    let vanaf = vanaf.map(|d| tijden::moment(d, NaiveTime::MIN).timestamp_millis());
    let agenda = matches!(van, store::Van::Leider(_));
    let (rijen, totaal) = store::pagina(&state.db, van, vanaf, offset, limit).await?;
    let mut resultaten = Vec::with_capacity(rijen.len());
    for r in &rijen {
        if agenda {
            // The agenda shows parents' preferences: each one an access decision on record.
            toegang::beslis_met(
                state,
                principal,
                Actie::GesprekkenPlannen,
                r.ouder_id.parse().unwrap_or_default(),
                &format!("gesprekken/{}", r.id),
                &toegang::Relatie {
                    gespreksleider: Some(principal.persoon_id),
                    ..toegang::Relatie::default()
                },
            )
            .await?;
        }
        resultaten.push(toon(state, r).await?);
    }
    Ok((resultaten, totaal))
}
