//! An expert's own schedule: weekly blocks in Dutch wall-clock time, dates with other hours,
//! out of office, forms and languages — validated with every problem named at once, and kept
//! with a version (If-Match).

use chrono::{NaiveTime, Weekday};
use uuid::Uuid;

use super::model::*;
use super::store;
use super::tijden::{self, Blok};
use crate::AppState;
use crate::audit;
use crate::db;
use crate::http::etag::IfMatch;
use crate::http::principal::Principal;
use crate::http::{ApiError, FieldError};
use crate::identity::toegang;

fn tijd(s: &str, pad: &str, fouten: &mut Vec<FieldError>) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap_or_else(|_| {
        fouten.push(FieldError::body(pad, "tijd", "Schrijf een tijd als 09:30."));
        NaiveTime::MIN
    })
}

fn weekdag(s: &str) -> Option<Weekday> {
    Some(match s {
        "ma" => Weekday::Mon,
        "di" => Weekday::Tue,
        "wo" => Weekday::Wed,
        "do" => Weekday::Thu,
        "vr" => Weekday::Fri,
        "za" => Weekday::Sat,
        "zo" => Weekday::Sun,
        _ => return None,
    })
}

/// The stored schedule as the slot engine reads it; every problem named at once.
pub fn lees_rooster(r: &Rooster) -> Result<tijden::Rooster, ApiError> {
    let mut fouten = Vec::new();
    let mut uit = tijden::Rooster::default();
    for (i, b) in r.week.iter().enumerate() {
        let dag = weekdag(&b.dag);
        if dag.is_none() {
            fouten.push(FieldError::body(
                &format!("/week/{i}/dag"),
                "enum",
                "Kies ma, di, wo, do, vr, za of zo.",
            ));
        }
        let (van, tot) = (
            tijd(&b.van, &format!("/week/{i}/van"), &mut fouten),
            tijd(&b.tot, &format!("/week/{i}/tot"), &mut fouten),
        );
        if van >= tot {
            fouten.push(FieldError::body(
                &format!("/week/{i}/tot"),
                "volgorde",
                "Het einde ligt na het begin.",
            ));
        }
        if let Some(dag) = dag {
            uit.week.push((dag, Blok { van, tot }));
        }
    }
    for (i, u) in r.uitzonderingen.iter().enumerate() {
        let mut blokken = Vec::new();
        for (j, b) in u.blokken.iter().enumerate() {
            let pad = format!("/uitzonderingen/{i}/blokken/{j}");
            let (van, tot) = (
                tijd(&b.van, &format!("{pad}/van"), &mut fouten),
                tijd(&b.tot, &format!("{pad}/tot"), &mut fouten),
            );
            if van >= tot {
                fouten.push(FieldError::body(
                    &format!("{pad}/tot"),
                    "volgorde",
                    "Het einde ligt na het begin.",
                ));
            }
            blokken.push(Blok { van, tot });
        }
        uit.uitzonderingen.push((u.datum, blokken));
    }
    if r.vormen.contains(&Vorm::OpLocatie) && r.locaties.is_empty() {
        fouten.push(FieldError::body(
            "/locaties",
            "verplicht",
            "Wie op-locatie aanbiedt, noemt minstens één locatie.",
        ));
    }
    for (i, l) in r.locaties.iter().enumerate() {
        if r.locaties[..i].iter().any(|m| m.code == l.code) {
            fouten.push(FieldError::body(
                &format!("/locaties/{i}/code"),
                "uniek",
                "Elke locatie heeft een eigen code.",
            ));
        }
    }
    for (i, a) in r.afwezig.iter().enumerate() {
        if a.tot < a.van {
            fouten.push(FieldError::body(
                &format!("/afwezig/{i}/tot"),
                "volgorde",
                "Het einde ligt na het begin.",
            ));
        }
        uit.afwezig.push((a.van, a.tot));
    }
    if fouten.is_empty() {
        Ok(uit)
    } else {
        Err(ApiError::invalid(fouten))
    }
}

/// Who may keep this expert's schedule: the expert, or a beheerder (of anyone who has the
/// gespreksleider role). Anyone else hears 403 for the function or 404 for the person.
async fn mag(
    state: &AppState,
    principal: &Principal,
    leider: Uuid,
    functie: &str,
) -> Result<(), ApiError> {
    toegang::vereis_rol(state, principal, &["gespreksleider", "beheerder"], functie).await?;
    if leider == principal.persoon_id && principal.has_role("gespreksleider") {
        return Ok(());
    }
    if !principal.has_role("beheerder") {
        return Err(ApiError::not_found());
    }
    match crate::identity::store::find(&state.db, leider).await? {
        Some(p) if p.rollen.iter().any(|r| r == "gespreksleider") => Ok(()),
        _ => Err(ApiError::not_found()),
    }
}

/// An expert's schedule (version 0 when none yet).
pub async fn rooster(
    state: &AppState,
    principal: &Principal,
    leider: Uuid,
) -> Result<(Option<Rooster>, i64), ApiError> {
    mag(state, principal, leider, "rooster-inzien").await?;
    Ok(match store::leider(&state.db, leider).await? {
        Some(r) => (serde_json::from_str(&r.rooster).ok(), r.versie),
        None => (None, 0),
    })
}

pub async fn zet_rooster(
    state: &AppState,
    principal: &Principal,
    leider: Uuid,
    if_match: &IfMatch,
    r: &Rooster,
) -> Result<i64, ApiError> {
    mag(state, principal, leider, "rooster-wijzigen").await?;
    lees_rooster(r)?;
    let vorige = store::leider(&state.db, leider)
        .await?
        .map_or(0, |l| l.versie);
    if_match.check(vorige)?;
    let tx = db::begin_write(&state.db).await?;
    let json = serde_json::to_string(r).map_err(ApiError::internal)?;
    if !store::zet_rooster(&tx, leider, &json, vorige).await? {
        return Err(crate::http::etag::stale(vorige + 1));
    }
    audit::gelukt(
        &tx,
        &state.vault,
        principal,
        None,
        "rooster-wijzigen",
        &format!("gespreksleiders/{leider}/rooster"),
        "herstelrechtgesprekken/v1",
    )
    .await?;
    tx.commit().await?;
    Ok(vorige + 1)
}
