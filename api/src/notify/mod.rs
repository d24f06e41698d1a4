//! Notifications (H): every message is written to the outbox in the same transaction as the
//! change that causes it ([`service::meld`]), and to the person's in-app inbox, which is the
//! record; mail is the nudge. A worker in each server process ([`worker`]) delivers the outbox
//! at least once, with a stable Message-ID, retries with backoff and jitter, and waits out a
//! mail server that is down. Mails say that something happened and invite the reader to log in:
//! the templates get no field that could carry a BSN, an amount, or health or child details.

pub mod adres_store;
pub mod beheer_routes;
pub mod berichten_routes;
pub mod emailadres;
pub mod mailer;
pub mod model;
pub mod routes;
pub mod service;
pub mod soort;
pub mod store;
pub mod templates;
pub mod worker;

use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::config::NotifySettings;
pub use service::{Melding, meld};
pub use soort::Soort;
use templates::Sjablonen;

/// What composing a message needs, shared by the handlers and the worker.
pub struct Notificaties {
    pub settings: NotifySettings,
    pub sjablonen: Sjablonen,
    pub afzender: Mailbox,
    /// The domain of the Message-IDs (the sender's).
    pub domein: String,
    wekker: Notify,
}

impl Notificaties {
    pub fn new(settings: &NotifySettings) -> anyhow::Result<Notificaties> {
        let afzender: Mailbox = settings
            .afzender
            .parse()
            .map_err(|e| anyhow::anyhow!("notify.afzender: {e}"))?;
        Ok(Notificaties {
            domein: afzender.email.domain().to_string(),
            afzender,
            sjablonen: Sjablonen::new(&settings.app_url)?,
            settings: settings.clone(),
            wekker: Notify::new(),
        })
    }

    /// Tells this process's worker that there is new mail; call after the commit. (Without it,
    /// the worker finds the message at its next poll; other instances always do.)
    pub fn wek(&self) {
        self.wekker.notify_one();
    }

    pub(crate) async fn gewekt(&self) {
        self.wekker.notified().await
    }
}
