//! Which times an expert (gespreksleider) can be booked for a conversation, pure: a weekly
//! schedule in Europe/Amsterdam wall-clock time, date overrides and out-of-office days, minus
//! existing bookings with their buffers, the minimum notice, the booking window and the daily
//! maximum. Every wall-clock time is turned into an instant per date, so the schedule stays at
//! 09:00 local across the DST changes while the UTC instants shift.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;

/// The rules of one kind of conversation (from configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regels {
    pub duur_min: i64,
    pub buffer_voor_min: i64,
    pub buffer_na_min: i64,
    /// Book at least this long ahead.
    pub min_vooraf_min: i64,
    /// Book at most this many days ahead.
    pub venster_dagen: i64,
    pub max_per_dag: usize,
    /// Candidate starts every this many minutes from the start of a block.
    pub stap_min: i64,
}

/// A stretch of wall-clock time on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blok {
    pub van: NaiveTime,
    pub tot: NaiveTime,
}

#[derive(Debug, Clone, Default)]
pub struct Rooster {
    /// The usual week.
    pub week: Vec<(Weekday, Blok)>,
    /// A date with its own blocks (empty: not available that day).
    pub uitzonderingen: Vec<(NaiveDate, Vec<Blok>)>,
    /// Out of office, inclusive.
    pub afwezig: Vec<(NaiveDate, NaiveDate)>,
}

/// A booking that holds time: the conversation plus its buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bezet {
    pub van: DateTime<Utc>,
    pub tot: DateTime<Utc>,
    /// The conversation itself starts here (counts towards its local day's maximum).
    pub start: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tijdslot {
    pub start: DateTime<Utc>,
    pub eind: DateTime<Utc>,
}

/// The instant of a wall-clock time on a date in Amsterdam. A time skipped by the spring change
/// (02:00–03:00) moves to the first instant after the gap; a time that happens twice in the
/// autumn takes the first.
pub fn moment(datum: NaiveDate, tijd: NaiveTime) -> DateTime<Utc> {
    let lokaal = datum.and_time(tijd);
    match Amsterdam.from_local_datetime(&lokaal).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => Amsterdam
            .from_local_datetime(&(lokaal + Duration::hours(1)))
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&lokaal), |t| t.with_timezone(&Utc)),
    }
}

pub fn lokale_dag(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Amsterdam).date_naive()
}

fn blokken(rooster: &Rooster, dag: NaiveDate) -> Vec<Blok> {
    if rooster
        .afwezig
        .iter()
        .any(|(van, tot)| *van <= dag && dag <= *tot)
    {
        return Vec::new();
    }
    if let Some((_, b)) = rooster.uitzonderingen.iter().find(|(d, _)| *d == dag) {
        return b.clone();
    }
    rooster
        .week
        .iter()
        .filter(|(w, _)| *w == dag.weekday())
        .map(|(_, b)| *b)
        .collect()
}

/// The time a booking at `start` holds, buffers included.
pub fn beslag(regels: &Regels, start: DateTime<Utc>) -> Bezet {
    Bezet {
        van: start - Duration::minutes(regels.buffer_voor_min),
        tot: start + Duration::minutes(regels.duur_min + regels.buffer_na_min),
        start,
    }
}

/// Bookable slots on the local days `van..=tot`.
pub fn tijdsloten(
    regels: &Regels,
    rooster: &Rooster,
    bezet: &[Bezet],
    van: NaiveDate,
    tot: NaiveDate,
    nu: DateTime<Utc>,
) -> Vec<Tijdslot> {
    let vroegst = nu + Duration::minutes(regels.min_vooraf_min);
    let laatst = nu + Duration::days(regels.venster_dagen);
    let duur = Duration::minutes(regels.duur_min);
    let stap = Duration::minutes(regels.stap_min.max(5));
    let mut uit = Vec::new();
    let mut dag = van;
    while dag <= tot {
        // The daily maximum counts the conversations already booked that local day.
        let vol = bezet.iter().filter(|b| lokale_dag(b.start) == dag).count() >= regels.max_per_dag;
        for blok in blokken(rooster, dag) {
            let (begin, einde) = (moment(dag, blok.van), moment(dag, blok.tot));
            let mut start = begin;
            while start + duur <= einde {
                let nodig = beslag(regels, start);
                let vrij = !bezet.iter().any(|b| b.van < nodig.tot && nodig.van < b.tot);
                if start >= vroegst && start <= laatst && vrij && !vol {
                    uit.push(Tijdslot {
                        start,
                        eind: start + duur,
                    });
                }
                start += stap;
            }
        }
        dag = dag.succ_opt().unwrap_or(dag);
        if dag == NaiveDate::MAX {
            break;
        }
    }
    uit
}

/// The occupancy cells a booking covers: the 15-minute cells (UTC, epoch minutes) from the start
/// of its first buffer to the end of its last. One row per cell under a unique index is what
/// keeps two bookings off the same time on any database.
pub fn cellen(b: &Bezet) -> Vec<i64> {
    const CEL: i64 = 15;
    let eerste = b.van.timestamp().div_euclid(60 * CEL);
    let laatste = (b.tot.timestamp() - 1).div_euclid(60 * CEL);
    (eerste..=laatste).map(|c| c * CEL).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, dag: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dag).unwrap()
    }

    fn regels() -> Regels {
        Regels {
            duur_min: 60,
            buffer_voor_min: 0,
            buffer_na_min: 0,
            min_vooraf_min: 0,
            venster_dagen: 400,
            max_per_dag: 10,
            stap_min: 60,
        }
    }

    fn elke_dag(van: NaiveTime, tot: NaiveTime) -> Rooster {
        use Weekday::*;
        Rooster {
            week: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
                .into_iter()
                .map(|w| (w, Blok { van, tot }))
                .collect(),
            ..Rooster::default()
        }
    }

    fn starts(s: &[Tijdslot]) -> Vec<DateTime<Utc>> {
        s.iter().map(|s| s.start).collect()
    }

    #[test]
    fn nine_oclock_stays_nine_oclock_across_the_spring_change() {
        let r = elke_dag(t(9, 0), t(10, 0));
        let nu = utc("2026-03-01T00:00:00Z");
        let s = tijdsloten(&regels(), &r, &[], d(2026, 3, 28), d(2026, 3, 29), nu);
        // Saturday 09:00 CET = 08:00 UTC; Sunday 29 March 09:00 CEST = 07:00 UTC.
        assert_eq!(
            starts(&s),
            vec![utc("2026-03-28T08:00:00Z"), utc("2026-03-29T07:00:00Z")]
        );
    }

    #[test]
    fn nine_oclock_stays_nine_oclock_across_the_autumn_change() {
        let r = elke_dag(t(9, 0), t(10, 0));
        let nu = utc("2026-10-01T00:00:00Z");
        let s = tijdsloten(&regels(), &r, &[], d(2026, 10, 24), d(2026, 10, 25), nu);
        // Saturday 09:00 CEST = 07:00 UTC; Sunday 25 October 09:00 CET = 08:00 UTC.
        assert_eq!(
            starts(&s),
            vec![utc("2026-10-24T07:00:00Z"), utc("2026-10-25T08:00:00Z")]
        );
    }

    #[test]
    fn a_night_block_is_shorter_in_spring_and_longer_in_autumn() {
        let r = elke_dag(t(1, 0), t(4, 0));
        // 29 March: 01:00 CET (00:00 UTC) to 04:00 CEST (02:00 UTC): two hours.
        let s = tijdsloten(
            &regels(),
            &r,
            &[],
            d(2026, 3, 29),
            d(2026, 3, 29),
            utc("2026-03-01T00:00:00Z"),
        );
        assert_eq!(
            starts(&s),
            vec![utc("2026-03-29T00:00:00Z"), utc("2026-03-29T01:00:00Z")]
        );
        // 25 October: 01:00 CEST (23:00 UTC the day before) to 04:00 CET (03:00 UTC): four hours.
        let s = tijdsloten(
            &regels(),
            &r,
            &[],
            d(2026, 10, 25),
            d(2026, 10, 25),
            utc("2026-10-01T00:00:00Z"),
        );
        assert_eq!(
            starts(&s),
            vec![
                utc("2026-10-24T23:00:00Z"),
                utc("2026-10-25T00:00:00Z"),
                utc("2026-10-25T01:00:00Z"),
                utc("2026-10-25T02:00:00Z")
            ]
        );
    }

    #[test]
    fn buffers_notice_window_daily_maximum_and_days_off_hold() {
        let r = Rooster {
            afwezig: vec![(d(2026, 12, 8), d(2026, 12, 8))],
            ..elke_dag(t(9, 0), t(13, 0))
        };
        let mut g = regels();
        g.buffer_na_min = 30;
        g.stap_min = 30;
        let nu = utc("2026-12-07T08:30:00Z");
        g.min_vooraf_min = 60;
        // 7 Dec (CET): 09:00 local = 08:00 UTC is within the notice; the first is 10:00 local.
        let s = tijdsloten(&g, &r, &[], d(2026, 12, 7), d(2026, 12, 8), nu);
        assert_eq!(s.first().unwrap().start, utc("2026-12-07T09:30:00Z"));
        assert!(
            s.iter().all(|s| lokale_dag(s.start) == d(2026, 12, 7)),
            "out of office on the 8th"
        );
        // A booking 10:00–11:00 local with 30 minutes after it blocks 09:30..11:30 local starts
        // whose conversation or buffer would overlap.
        let geboekt = beslag(&g, utc("2026-12-07T09:00:00Z"));
        let s = tijdsloten(
            &g,
            &r,
            &[geboekt],
            d(2026, 12, 7),
            d(2026, 12, 7),
            utc("2026-12-01T00:00:00Z"),
        );
        let st = starts(&s);
        assert!(
            !st.contains(&utc("2026-12-07T08:30:00Z")),
            "its buffer would run into the booking"
        );
        assert!(!st.contains(&utc("2026-12-07T09:30:00Z")));
        assert!(
            st.contains(&utc("2026-12-07T10:30:00Z")),
            "after the booking's buffer"
        );
        g.max_per_dag = 1;
        assert!(
            tijdsloten(
                &g,
                &r,
                &[geboekt],
                d(2026, 12, 7),
                d(2026, 12, 7),
                utc("2026-12-01T00:00:00Z")
            )
            .is_empty()
        );
        g.venster_dagen = 1;
        assert!(
            tijdsloten(
                &g,
                &r,
                &[],
                d(2026, 12, 20),
                d(2026, 12, 20),
                utc("2026-12-01T00:00:00Z")
            )
            .is_empty()
        );
    }

    #[test]
    fn a_booking_covers_whole_cells_including_its_buffers() {
        let mut g = regels();
        g.buffer_voor_min = 10;
        g.buffer_na_min = 15;
        let b = beslag(&g, utc("2026-12-07T09:00:00Z"));
        let c = cellen(&b);
        // 08:50 → cell 08:45; 10:15 (exclusive) → last cell 10:00.
        assert_eq!(
            c.first().copied(),
            Some(utc("2026-12-07T08:45:00Z").timestamp() / 60)
        );
        assert_eq!(
            c.last().copied(),
            Some(utc("2026-12-07T10:00:00Z").timestamp() / 60)
        );
        assert_eq!(c.len(), 6);
    }
}
