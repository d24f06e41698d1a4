//! The calendar invitation (iCalendar, RFC 5545, sent as iMIP, RFC 6047) of a conversation:
//! one stable UID per appointment, a SEQUENCE that rises with every change, METHOD REQUEST or
//! CANCEL, times in Europe/Amsterdam with its VTIMEZONE. Never a BSN or anything of a claim.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    Request,
    Cancel,
}

impl Methode {
    pub fn code(self) -> &'static str {
        match self {
            Methode::Request => "REQUEST",
            Methode::Cancel => "CANCEL",
        }
    }
}

const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

fn lokaal(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam)
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

pub struct Afspraak<'a> {
    pub id: &'a str,
    pub reeks: i32,
    pub start: DateTime<Utc>,
    pub eind: DateTime<Utc>,
    pub vorm: &'a str,
    pub afzender: &'a str,
    /// Where, for a conversation `op-locatie`: name and address.
    pub locatie: Option<String>,
}

/// A TEXT property (RFC 5545 §3.3.11 escaping), folded at 75 octets (§3.1) on a character
/// boundary.
fn tekst(naam: &str, waarde: &str) -> String {
    let mut regel = format!("{naam}:");
    for c in waarde.chars() {
        match c {
            '\\' | ';' | ',' => {
                regel.push('\\');
                regel.push(c);
            }
            '\n' => regel.push_str("\\n"),
            '\r' => {}
            c => regel.push(c),
        }
    }
    let mut uit = String::new();
    let mut breedte = 0;
    for c in regel.chars() {
        if breedte + c.len_utf8() > 75 {
            uit.push_str("\r\n ");
            breedte = 1;
        }
        uit.push(c);
        breedte += c.len_utf8();
    }
    uit.push_str("\r\n");
    uit
}

pub fn ics(a: &Afspraak<'_>, methode: Methode, nu: DateTime<Utc>) -> String {
    let status = match methode {
        Methode::Request => "CONFIRMED",
        Methode::Cancel => "CANCELLED",
    };
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mijn Herstel//Herstelrechtgesprekken//NL\r\nCALSCALE:GREGORIAN\r\nMETHOD:{m}\r\n{VTIMEZONE}BEGIN:VEVENT\r\nUID:{id}@mijn-herstel.nl\r\nDTSTAMP:{stamp}\r\nSEQUENCE:{seq}\r\nDTSTART;TZID=Europe/Amsterdam:{start}\r\nDTEND;TZID=Europe/Amsterdam:{eind}\r\nSUMMARY:Herstelrechtgesprek\r\nDESCRIPTION:Herstelrechtgesprek ({vorm}). Alles staat in Mijn Herstel.\r\n{locatie}ORGANIZER;CN=Mijn Herstel:mailto:{afzender}\r\nSTATUS:{status}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        m = methode.code(),
        id = a.id,
        stamp = nu.format("%Y%m%dT%H%M%SZ"),
        seq = a.reeks,
        start = lokaal(a.start),
        eind = lokaal(a.eind),
        vorm = a.vorm,
        afzender = a.afzender,
        locatie = a
            .locatie
            .as_deref()
            .map(|l| tekst("LOCATION", l))
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_local_times_and_a_cancel_keeps_the_uid() {
        let a = Afspraak {
            id: "g1",
            reeks: 0,
            locatie: Some("Kantoor Utrecht, Herculesplein 1; 3584 AA Utrecht — ingang aan de achterzijde, bel aan".into()),
            start: "2027-03-28T07:00:00Z".parse().unwrap(),
            eind: "2027-03-28T08:30:00Z".parse().unwrap(),
            vorm: "video",
            afzender: "noreply@mijn-herstel.nl",
        };
        let r = ics(&a, Methode::Request, Utc::now());
        assert!(r.contains("DTSTART;TZID=Europe/Amsterdam:20270328T090000\r\n"));
        assert!(
            r.contains("METHOD:REQUEST\r\n")
                && r.contains("SEQUENCE:0\r\n")
                && r.contains("BEGIN:VTIMEZONE")
        );
        let c = ics(&Afspraak { reeks: 1, ..a }, Methode::Cancel, Utc::now());
        assert!(
            c.contains("UID:g1@mijn-herstel.nl\r\n")
                && c.contains("STATUS:CANCELLED\r\n")
                && c.contains("SEQUENCE:1\r\n")
        );
        assert!(
            r.lines().all(|l| l.trim_end_matches('\r').len() <= 75),
            "{r}"
        );
        let ontvouwen = r.replace("\r\n ", "");
        assert!(ontvouwen.contains(
            "LOCATION:Kantoor Utrecht\\, Herculesplein 1\\; 3584 AA Utrecht — ingang aan de achterzijde\\, bel aan\r\n"
        ));
    }
}
