//! The delivery worker: takes due outbox rows under a lease, sends them, records the outcome.
//! Several instances may run one each on the same database (see `store::neem`).
//!
//! - sent → `verzonden` (the Message-ID lets a receiver drop the rare second delivery after a
//!   crash between the server's "250 OK" and our update);
//! - 4xx → back in the queue after an exponential, jittered wait; after `max_pogingen` answered
//!   attempts → `mislukt`, with an alert in the log and a place in the admin list;
//! - 5xx → `mislukt` at once;
//! - server unreachable → back in the queue without using up an attempt, and the worker itself
//!   waits (also exponentially) before it tries again: nothing is lost while mail is down.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::Notificaties;
use super::mailer::{self, Mailer, Zendfout};
use super::service;
use super::soort::Soort;
use super::store::{self, UitgaandRij, Uitkomst};
use crate::db;

/// The wait before attempt `poging + 1`: `basis · 2^poging`, at most `max`, then a random point in
/// its upper half (`toeval` in 0..=u32::MAX), so instances that failed together do not retry
/// together.
pub fn wachttijd(basis_ms: u64, max_ms: u64, poging: u32, toeval: u32) -> u64 {
    let volle = basis_ms
        .saturating_mul(1u64.checked_shl(poging.min(40)).unwrap_or(u64::MAX))
        .min(max_ms);
    let helft = volle / 2;
    helft + (u128::from(helft) * u128::from(toeval) / u128::from(u32::MAX)) as u64
}

fn toeval() -> u32 {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    u32::from_le_bytes(b)
}

/// A running worker; [`Bezorger::stop`] lets it finish the messages it is sending and gives the
/// rest back.
pub struct Bezorger {
    stop: watch::Sender<bool>,
    taak: JoinHandle<()>,
}

impl Bezorger {
    pub fn start(
        db: DatabaseConnection,
        n: Arc<Notificaties>,
        mailer: Arc<dyn Mailer>,
    ) -> Bezorger {
        let (stop, stop_rx) = watch::channel(false);
        let houder = format!("bezorger-{}", uuid::Uuid::new_v4().simple());
        let taak = tokio::spawn(run(db, n, mailer, houder, stop_rx));
        Bezorger { stop, taak }
    }

    pub async fn stop(self, timeout: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(timeout, self.taak).await.is_err() {
            tracing::warn!("bezorger stopte niet op tijd; zijn berichten komen terug na hun lease");
        }
    }
}

async fn run(
    db: DatabaseConnection,
    n: Arc<Notificaties>,
    mailer: Arc<dyn Mailer>,
    houder: String,
    mut stop: watch::Receiver<bool>,
) {
    let s = n.settings.clone();
    let mut storingen: u32 = 0;
    loop {
        if *stop.borrow() {
            break;
        }
        let now = db::now_ms();
        let lease_tot = now + i64::from(s.lease_secs) * 1000;
        let rijen = match store::neem(&db, &houder, now, lease_tot, u64::from(s.batch)).await {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!(error = %err, "uitgaande berichten ophalen mislukt");
                Vec::new()
            }
        };
        let mut wacht = Duration::from_millis(s.poll_ms);
        if !rijen.is_empty() {
            let genomen = rijen.len();
            let onbereikbaar =
                bezorg(&db, &n, mailer.as_ref(), &houder, rijen, storingen, &stop).await;
            if onbereikbaar {
                storingen = storingen.saturating_add(1);
                wacht = Duration::from_millis(wachttijd(
                    s.backoff_basis_ms,
                    s.backoff_max_ms,
                    storingen - 1,
                    toeval(),
                ));
                tracing::warn!(
                    wacht_ms = wacht.as_millis() as u64,
                    "mailserver onbereikbaar; berichten blijven in de wachtrij"
                );
            } else {
                storingen = 0;
                if genomen == s.batch as usize {
                    // A full batch: there is probably more, do not sleep.
                    continue;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(wacht) => {}
            _ = n.gewekt(), if storingen == 0 => {}
            _ = stop.changed() => {}
        }
    }
    match store::geef_terug(&db, &houder).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(teruggegeven = n, "bezorger gestopt; berichten teruggegeven"),
        Err(err) => {
            tracing::warn!(error = %err, "berichten teruggeven mislukt; ze komen terug na hun lease")
        }
    }
}

/// Sends one batch (a few at a time over the connection pool). Returns whether the server was
/// unreachable, in which case the unsent rest went back to the queue.
async fn bezorg(
    db: &DatabaseConnection,
    n: &Notificaties,
    mailer: &dyn Mailer,
    houder: &str,
    rijen: Vec<UitgaandRij>,
    storingen: u32,
    stop: &watch::Receiver<bool>,
) -> bool {
    let parallel = n.settings.smtp.pool_max.max(1) as usize;
    let uitkomsten: Vec<bool> = futures_util::stream::iter(rijen)
        .map(|rij| bezorg_een(db, n, mailer, houder, rij, storingen, stop))
        .buffer_unordered(parallel)
        .collect()
        .await;
    uitkomsten.into_iter().any(|onbereikbaar| onbereikbaar)
}

async fn bezorg_een(
    db: &DatabaseConnection,
    n: &Notificaties,
    mailer: &dyn Mailer,
    houder: &str,
    rij: UitgaandRij,
    storingen: u32,
    stop: &watch::Receiver<bool>,
) -> bool {
    let s = &n.settings;
    // Stopping: what has not started goes back (after the batch); what is on the wire finishes.
    // Too little lease left for a slow server (a few SMTP commands at the timeout each):
    // another worker may take it meanwhile and send it too; leave it.
    let marge = i64::try_from(s.smtp.timeout_secs.saturating_mul(3_000)).unwrap_or(i64::MAX);
    if *stop.borrow() || rij.lease_tot.unwrap_or(0) - db::now_ms() < marge {
        return false;
    }
    let mut rij = rij;
    match herzie(db, &rij).await {
        Ok(Herzien::Versturen) => {}
        Ok(Herzien::NaarNieuwAdres(adres)) => {
            if store::wijzig_ontvanger(db, &rij.id, &adres).await.is_err() {
                return false;
            }
            rij.ontvanger = adres;
        }
        Ok(Herzien::Vervallen(reden)) => {
            let _ = store::leg_vast(
                db,
                &rij.id,
                houder,
                db::now_ms(),
                Uitkomst::Vervallen { reden },
            )
            .await;
            return false;
        }
        Err(err) => {
            tracing::warn!(bericht = %rij.id, error = %err, "instellingen lezen mislukt; later opnieuw");
            return false;
        }
    }
    let resultaat: Result<(), Zendfout> = match mailer::bouw(&rij, &n.afzender) {
        Ok(bericht) => mailer.verstuur(&bericht).await,
        Err(fout) => Err(fout),
    };
    let now = db::now_ms();
    let mut onbereikbaar = false;
    let fout_tekst = resultaat.as_ref().err().map(|e| match e {
        Zendfout::Onbereikbaar(t) | Zendfout::Tijdelijk(t) | Zendfout::Permanent(t) => {
            zonder_adressen(t)
        }
    });
    let fout_tekst = fout_tekst.unwrap_or_default();
    let uitkomst = match &resultaat {
        Ok(()) => Uitkomst::Verzonden,
        Err(Zendfout::Onbereikbaar(_)) => {
            let fout = fout_tekst.as_str();
            onbereikbaar = true;
            Uitkomst::Opnieuw {
                niet_voor: now
                    + wachttijd(s.backoff_basis_ms, s.backoff_max_ms, storingen, toeval()) as i64,
                fout,
                telt: false,
            }
        }
        Err(Zendfout::Tijdelijk(_)) if (rij.pogingen as u32) + 1 < s.max_pogingen => {
            let fout = fout_tekst.as_str();
            Uitkomst::Opnieuw {
                niet_voor: now
                    + wachttijd(
                        s.backoff_basis_ms,
                        s.backoff_max_ms,
                        rij.pogingen as u32,
                        toeval(),
                    ) as i64,
                fout,
                telt: true,
            }
        }
        Err(Zendfout::Tijdelijk(_) | Zendfout::Permanent(_)) => Uitkomst::Mislukt {
            fout: fout_tekst.as_str(),
        },
    };
    let mislukt = matches!(uitkomst, Uitkomst::Mislukt { .. });
    let verzonden = matches!(uitkomst, Uitkomst::Verzonden);
    match store::leg_vast(db, &rij.id, houder, now, uitkomst).await {
        Ok(true) if verzonden && rij.soort == Soort::EmailadresVerificatie.code() => {
            let _ = store::wis_inhoud(db, &rij.id).await;
        }
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(bericht = %rij.id, "lease verlopen voor het vastleggen; het bericht kan nog eens worden verstuurd")
        }
        Err(err) => {
            tracing::warn!(bericht = %rij.id, error = %err, "uitkomst vastleggen mislukt; het bericht komt terug na zijn lease")
        }
    }
    if mislukt {
        // The alert: an operator looks at the admin list of failed messages.
        tracing::error!(
            alarm = "mail-mislukt",
            bericht = %rij.id,
            soort = %rij.soort,
            pogingen = rij.pogingen + 1,
            "e-mail definitief mislukt; zie GET /v1/beheer/uitgaande-berichten"
        );
    }
    onbereikbaar
}

/// What to do with a queued message now, given the person's current settings.
enum Herzien {
    Versturen,
    NaarNieuwAdres(String),
    Vervallen(&'static str),
}

/// A message waits in the queue (reminders for weeks): the address may have been removed or
/// replaced, or non-essential mail switched off since. The code and the "your address changed"
/// warning go to the address they were made for; everything else follows the settings.
async fn herzie(db: &DatabaseConnection, rij: &UitgaandRij) -> Result<Herzien, sea_orm::DbErr> {
    let eigen_adres = [
        Soort::EmailadresVerificatie.code(),
        Soort::EmailadresGewijzigd.code(),
    ];
    let (Some(persoon), Some(soort)) = (
        rij.persoon_id.as_deref().and_then(|p| p.parse().ok()),
        Soort::parse(&rij.soort),
    ) else {
        return Ok(Herzien::Versturen);
    };
    if eigen_adres.contains(&rij.soort.as_str()) {
        return Ok(Herzien::Versturen);
    }
    let instelling = store::instelling(db, persoon)
        .await?
        .unwrap_or_else(|| service::standaard(persoon));
    Ok(match service::adres_voor(soort, &instelling) {
        None => Herzien::Vervallen("geen bevestigd adres of geen niet-noodzakelijke e-mail meer"),
        Some(adres) if adres == rij.ontvanger => Herzien::Versturen,
        Some(adres) => Herzien::NaarNieuwAdres(adres.to_string()),
    })
}

/// An SMTP error often quotes the recipient (`550 5.1.1 <x@y>`); the admin list and the log get
/// it without the address.
fn zonder_adressen(tekst: &str) -> String {
    tekst
        .split(' ')
        .map(|w| if w.contains('@') { "<adres>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_leave_error_texts() {
        assert_eq!(
            zonder_adressen(
                "permanent error (550): 5.1.1 <fatima@example.nl>: mailbox unavailable"
            ),
            "permanent error (550): 5.1.1 <adres> mailbox unavailable"
        );
    }

    #[test]
    fn waits_double_within_jitter_and_stop_at_the_cap() {
        assert_eq!(wachttijd(1000, 60_000, 0, 0), 500);
        assert_eq!(wachttijd(1000, 60_000, 0, u32::MAX), 1000);
        assert_eq!(wachttijd(1000, 60_000, 3, u32::MAX), 8000);
        assert_eq!(wachttijd(1000, 60_000, 3, 0), 4000);
        assert_eq!(wachttijd(1000, 60_000, 30, u32::MAX), 60_000);
        assert_eq!(wachttijd(1000, 60_000, 200, u32::MAX), 60_000);
        let mid = wachttijd(1000, 60_000, 2, u32::MAX / 2);
        assert!((2000..=4000).contains(&mid), "{mid}");
    }
}
