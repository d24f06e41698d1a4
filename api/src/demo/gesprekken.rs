//! Restorative conversations for the population, with the demo experts (Ruud Mulder, Karin de
//! Vries): their schedule when they have none, past conversations (held or cancelled) and a few
//! upcoming ones. Times are handed out in order around what the database already holds (earlier
//! runs, bookings made through the app), so the occupancy cells stay unique and every booking
//! respects the schedule, the buffers and the daily maximum, as a booking through the API would.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use super::logboek::Logboek;
use super::ouder::{DAG, UUR};
use super::profiel::Toeval;
use super::rijen::Rijen;
use super::sleutel;
use crate::gesprek::store::{self, bezetting, gesprek};
use crate::gesprek::tijden::{self, Regels};
use crate::identity::persona::PERSONAS;
use crate::identity::persona::Soort;

/// The conversation kind the population books.
pub const SOORT: &str = "herstelrechtgesprek";

/// Local start times: 09:30, 13:00 and 15:00 lie on the schedule's 30-minute grid from 09:00 and
/// their 120-minute footprints (buffers included) do not overlap. Upcoming days get the first and
/// the last only, so `GET /v1/tijdsloten` still finds free time.
const VERLEDEN: [(u32, u32); 3] = [(9, 30), (13, 0), (15, 0)];
const TOEKOMST: [(u32, u32); 2] = [(9, 30), (15, 0)];

pub fn leiders() -> Vec<Uuid> {
    PERSONAS
        .iter()
        .filter(|p| p.rollen.contains(&"gespreksleider"))
        .filter_map(|p| p.id.parse().ok())
        .collect()
}

/// Weekdays 09:00–17:00, video and telephone, Dutch and English: what `PUT …/rooster` accepts
/// (checked against the API's own type before it is stored).
pub fn rooster() -> Result<String, DbErr> {
    let week: Vec<_> = ["ma", "di", "wo", "do", "vr"]
        .iter()
        .map(|d| json!({"dag": d, "van": "09:00", "tot": "17:00"}))
        .collect();
    let waarde = json!({"vormen": ["video", "telefoon"], "talen": ["nl", "en"],
        "week": week, "uitzonderingen": [], "afwezig": []});
    let r: crate::gesprek::model::Rooster = serde_json::from_value(waarde)
        .map_err(|e| DbErr::Custom(format!("demorooster past niet: {e}")))?;
    serde_json::to_string(&r).map_err(|e| DbErr::Custom(e.to_string()))
}

/// Gives each demo expert a schedule unless they have one (a developer's own stays).
pub async fn zorg_voor_roosters(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let tekst = rooster()?;
    for leider in leiders() {
        if store::leider(db, leider).await?.is_none() {
            store::zet_rooster(db, leider, &tekst, 0).await?;
        }
    }
    Ok(())
}

pub struct Agenda {
    leiders: Vec<Uuid>,
    pub regels: Regels,
    bezet: HashSet<(Uuid, i64)>,
    per_dag: HashMap<(Uuid, NaiveDate), usize>,
    verleden: NaiveDate,
    toekomst: NaiveDate,
    toekomst_tot: NaiveDate,
    beurt: usize,
}

fn werkdag(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Agenda {
    /// Reads what the experts already hold: occupied cells, and booked conversations per day.
    pub async fn laad(
        db: &impl ConnectionTrait,
        regels: Regels,
        nu: DateTime<Utc>,
    ) -> Result<Agenda, DbErr> {
        let leiders = leiders();
        let namen: Vec<String> = leiders.iter().map(Uuid::to_string).collect();
        let cellen: Vec<(String, i64)> = bezetting::Entity::find()
            .select_only()
            .column(bezetting::Column::GespreksleiderId)
            .column(bezetting::Column::Cel)
            .filter(bezetting::Column::GespreksleiderId.is_in(namen.clone()))
            .into_tuple()
            .all(db)
            .await?;
        let starts: Vec<(String, i64)> = gesprek::Entity::find()
            .select_only()
            .column(gesprek::Column::GespreksleiderId)
            .column(gesprek::Column::StartOp)
            .filter(gesprek::Column::GespreksleiderId.is_in(namen))
            .filter(gesprek::Column::Status.ne("geannuleerd"))
            .into_tuple()
            .all(db)
            .await?;
        let mut per_dag = HashMap::new();
        for (leider, start) in starts {
            if let Ok(l) = leider.parse() {
                let dag = tijden::lokale_dag(crate::db::tijdstip(start));
                *per_dag.entry((l, dag)).or_default() += 1;
            }
        }
        let vandaag = tijden::lokale_dag(nu);
        // At least the minimum notice ahead, and a margin inside the booking window.
        let vooraf = u64::try_from(regels.min_vooraf_min / 60 / 24 + 1).unwrap_or(3);
        let venster = u64::try_from(regels.venster_dagen - 5).unwrap_or(30);
        Ok(Agenda {
            bezet: cellen
                .into_iter()
                .filter_map(|(l, c)| Some((l.parse().ok()?, c)))
                .collect(),
            per_dag,
            verleden: vandaag - Days::new(1),
            toekomst: vandaag + Days::new(vooraf),
            toekomst_tot: vandaag + Days::new(venster),
            leiders,
            regels,
            beurt: 0,
        })
    }

    /// The cells a conversation at `start` would hold, if they are all free and its day still
    /// has room.
    fn vrij(&self, leider: Uuid, start: DateTime<Utc>) -> Option<Vec<i64>> {
        let dag = tijden::lokale_dag(start);
        if self.per_dag.get(&(leider, dag)).copied().unwrap_or(0) >= self.regels.max_per_dag {
            return None;
        }
        let cellen = tijden::cellen(&tijden::beslag(&self.regels, start));
        (!cellen.iter().any(|c| self.bezet.contains(&(leider, *c)))).then_some(cellen)
    }

    fn neem(&mut self, leider: Uuid, start: DateTime<Utc>, cellen: &[i64]) {
        *self
            .per_dag
            .entry((leider, tijden::lokale_dag(start)))
            .or_default() += 1;
        self.bezet.extend(cellen.iter().map(|c| (leider, *c)));
    }

    /// The next free time: going forward through the booking window for an upcoming
    /// conversation (`None` once it is full), going back from yesterday for a past one.
    /// Returns the expert, the start and the cells it holds.
    pub fn plaats(&mut self, komend: bool) -> Option<(Uuid, DateTime<Utc>, Vec<i64>)> {
        if self.leiders.is_empty() {
            return None;
        }
        let tijden: &[(u32, u32)] = if komend { &TOEKOMST } else { &VERLEDEN };
        // Bounded: past conversations go back at most ten years.
        for _ in 0..3660 {
            let dag = if komend { self.toekomst } else { self.verleden };
            if komend && dag > self.toekomst_tot {
                return None;
            }
            if werkdag(dag) {
                for _ in 0..self.leiders.len() {
                    let leider = self.leiders[self.beurt % self.leiders.len()];
                    self.beurt += 1;
                    for (u, m) in tijden {
                        let tijd = NaiveTime::from_hms_opt(*u, *m, 0)?;
                        let start = tijden::moment(dag, tijd);
                        if let Some(cellen) = self.vrij(leider, start) {
                            self.neem(leider, start, &cellen);
                            return Some((leider, start, cellen));
                        }
                    }
                }
            }
            if komend {
                self.toekomst = dag + Days::new(1);
            } else {
                self.verleden = dag - Days::new(1);
            }
        }
        None
    }
}

/// A conversation at the time the agenda gave: upcoming ones are booked (and hold their cells),
/// past ones were held or cancelled (a cancellation frees its cells, as in the app).
pub fn plan_gesprek(
    log: &mut Logboek,
    rijen: &mut Rijen,
    r: &mut Toeval,
    agenda: &Agenda,
    (leider, start, cellen): (Uuid, chrono::DateTime<chrono::Utc>, Vec<i64>),
) {
    let (i, ouder, nu) = (log.i, log.ouder, log.ctx.nu);
    let start_op = start.timestamp_millis();
    let status = if start_op > nu {
        "geboekt"
    } else if r.kans(80) {
        "gehouden"
    } else {
        "geannuleerd"
    };
    let geboekt_op = (start_op - r.tussen(3 * DAG, 30 * DAG)).min(nu - UUR);
    let g = gesprek::Model {
        id: sleutel::id("gesprek", i).to_string(),
        ouder_id: ouder.to_string(),
        gespreksleider_id: leider.to_string(),
        soort: SOORT.into(),
        vorm: r.kies(&["video", "video", "telefoon"]).to_string(),
        start_op,
        eind_op: start_op + agenda.regels.duur_min * 60_000,
        status: status.into(),
        voorkeuren: r#"{"taal":"nl"}"#.into(),
        geboekt_door: ouder.to_string(),
        reden: (status == "geannuleerd").then(|| "Ik ben ziek; ik plan later opnieuw.".into()),
        afspraken: (status == "gehouden")
            .then(|| "We spreken over drie maanden opnieuw af; hulp bij de schuldhulpverlening is aangevraagd.".into()),
        reeks: i32::from(status == "geannuleerd"),
        aangemaakt_op: geboekt_op,
        locatie: None,
    };
    if status != "geannuleerd" {
        rijen
            .bezetting
            .extend(cellen.into_iter().map(|cel| bezetting::Model {
                gespreksleider_id: leider.to_string(),
                cel,
                gesprek_id: g.id.clone(),
            }));
    }
    let resource = format!("gesprekken/{}", g.id);
    let o = (ouder, Soort::Ouder);
    log.regel(
        rijen,
        geboekt_op,
        o,
        "gesprek-boeken",
        resource.clone(),
        "herstelrechtgesprekken/v1",
    );
    match status {
        "gehouden" => {
            let door = (leider, Soort::Medewerker);
            let op = g.eind_op + UUR;
            log.regel(
                rijen,
                op,
                door,
                "gesprek-afronden",
                resource,
                "herstelrechtgesprekken/v1",
            );
        }
        "geannuleerd" => {
            let op = start_op - 2 * DAG;
            log.regel(
                rijen,
                op,
                o,
                "gesprek-annuleren",
                resource,
                "herstelrechtgesprekken/v1",
            );
        }
        _ => {}
    }
    rijen.gesprek.push(g);
}
