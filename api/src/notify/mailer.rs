//! How a message leaves: the [`Mailer`] plugins (SMTP via lettre for production, `.eml` files for
//! development), chosen by configuration, and the MIME message built from an outbox row.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use super::store::UitgaandRij;
use crate::config::NotifySettings;

/// Why a send did not succeed, which decides what happens to the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zendfout {
    /// No conversation with the server (refused, timeout, TLS): not the message's fault; the
    /// attempt does not count and the worker waits before trying again.
    Onbereikbaar(String),
    /// The server answered 4xx: try again later; counts toward the limit.
    Tijdelijk(String),
    /// The server answered 5xx (or the message cannot be built): retrying will not help.
    Permanent(String),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn verstuur(&self, bericht: &Message) -> Result<(), Zendfout>;
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(settings: &NotifySettings) -> anyhow::Result<SmtpMailer> {
        let s = &settings.smtp;
        let builder = match s.tls.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)?,
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)?,
            _ => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
        };
        let mut builder = builder
            .port(s.port)
            .timeout(Some(Duration::from_secs(s.timeout_secs)))
            .pool_config(PoolConfig::new().max_size(s.pool_max.max(1)));
        if !s.gebruiker.is_empty() {
            builder =
                builder.credentials(Credentials::new(s.gebruiker.clone(), s.wachtwoord.clone()));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn verstuur(&self, bericht: &Message) -> Result<(), Zendfout> {
        match self.transport.send(bericht.clone()).await {
            Ok(_) => Ok(()),
            // 530/534/535/538: our credentials or TLS, not the message: every message would fail
            // alike, so the queue waits (and the log says why) instead of failing them all.
            Err(e) if e.status().is_some_and(|c| c.to_string().starts_with("53")) => {
                tracing::error!(
                    alarm = "smtp-aanmelding",
                    "de mailserver weigert onze aanmelding; controleer notify.smtp"
                );
                Err(Zendfout::Onbereikbaar(e.to_string()))
            }
            Err(e) if e.is_permanent() => Err(Zendfout::Permanent(e.to_string())),
            Err(e) if e.is_transient() => Err(Zendfout::Tijdelijk(e.to_string())),
            Err(e) => Err(Zendfout::Onbereikbaar(e.to_string())),
        }
    }
}

/// Development: every message becomes `<folder>/<id>.eml`, readable with any mail program.
pub struct BestandMailer {
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl BestandMailer {
    pub fn new(map: &str) -> anyhow::Result<BestandMailer> {
        std::fs::create_dir_all(map).map_err(|e| anyhow::anyhow!("mailmap {map} aanmaken: {e}"))?;
        Ok(BestandMailer {
            transport: AsyncFileTransport::new(map),
        })
    }
}

#[async_trait]
impl Mailer for BestandMailer {
    async fn verstuur(&self, bericht: &Message) -> Result<(), Zendfout> {
        self.transport
            .send(bericht.clone())
            .await
            .map(|_| ())
            .map_err(|e| Zendfout::Onbereikbaar(e.to_string()))
    }
}

pub fn mailer_from(settings: &NotifySettings) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match settings.mailer.as_str() {
        "smtp" => Arc::new(SmtpMailer::new(settings)?),
        _ => Arc::new(BestandMailer::new(&settings.map)?),
    })
}

/// An attachment as stored with the message (for example an ICS invitation in [G]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bijlage {
    pub bestandsnaam: String,
    /// e.g. `text/calendar; charset=utf-8; method=REQUEST`.
    pub inhoudstype: String,
    /// Base64 of the content.
    pub inhoud: String,
    /// Also offered as an alternative body part (how calendar programs expect an iMIP
    /// invitation, RFC 6047), besides the attachment.
    #[serde(default)]
    pub ook_als_alternatief: bool,
}

macro_rules! text_header {
    ($name:ident, $header:literal) => {
        #[derive(Clone)]
        struct $name(String);
        impl Header for $name {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($header)
            }
            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($name(s.to_string()))
            }
            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ContentLanguage, "Content-Language");
text_header!(AutoSubmitted, "Auto-Submitted");

/// The MIME message of an outbox row: plain text and HTML as alternatives, attachments beside.
pub fn bouw(rij: &UitgaandRij, afzender: &Mailbox) -> Result<Message, Zendfout> {
    let permanent = |e: &dyn std::fmt::Display| Zendfout::Permanent(format!("bericht bouwen: {e}"));
    let ontvanger: Mailbox = rij.ontvanger.parse().map_err(|e| permanent(&e))?;
    let bijlagen: Vec<Bijlage> = match &rij.bijlagen {
        Some(json) => serde_json::from_str(json).map_err(|e| permanent(&e))?,
        None => Vec::new(),
    };
    let mut alternatief = MultiPart::alternative()
        .singlepart(SinglePart::plain(rij.tekst.clone()))
        .singlepart(SinglePart::html(rij.html.clone()));
    let mut losse = Vec::new();
    for b in &bijlagen {
        let inhoud = base64::engine::general_purpose::STANDARD
            .decode(&b.inhoud)
            .map_err(|e| permanent(&e))?;
        let soort = ContentType::parse(&b.inhoudstype).map_err(|e| permanent(&e))?;
        if b.ook_als_alternatief {
            alternatief = alternatief.singlepart(
                SinglePart::builder()
                    .header(soort.clone())
                    .body(inhoud.clone()),
            );
        }
        losse.push(Attachment::new(b.bestandsnaam.clone()).body(inhoud, soort));
    }
    let body = if losse.is_empty() {
        alternatief
    } else {
        let mut gemengd = MultiPart::mixed().multipart(alternatief);
        for deel in losse {
            gemengd = gemengd.singlepart(deel);
        }
        gemengd
    };
    Message::builder()
        .from(afzender.clone())
        .to(ontvanger)
        .subject(rij.onderwerp.clone())
        .message_id(Some(rij.message_id.clone()))
        .header(ContentLanguage(rij.taal.clone()))
        // RFC 3834: out-of-office robots do not answer this.
        .header(AutoSubmitted("auto-generated".into()))
        .multipart(body)
        .map_err(|e| permanent(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::service::bijlage;

    fn rij(bijlagen: Option<String>) -> UitgaandRij {
        UitgaandRij {
            id: "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87".into(),
            persoon_id: None,
            soort: "aanvraag-gestart".into(),
            taal: "nl".into(),
            ontvanger: "ouder@example.nl".into(),
            onderwerp: "Uw afspraak".into(),
            tekst: "Tekst".into(),
            html: "<p>Tekst</p>".into(),
            bijlagen,
            message_id: "<0193a6c2@mijn-herstel.nl>".into(),
            sleutel: None,
            status: "bezig".into(),
            pogingen: 0,
            niet_voor: 0,
            lease_tot: None,
            lease_houder: None,
            laatste_fout: None,
            aangemaakt_op: 0,
            verzonden_op: None,
            verzonden_door: None,
        }
    }

    fn afzender() -> Mailbox {
        "Mijn Herstel <noreply@mijn-herstel.nl>".parse().unwrap()
    }

    #[test]
    fn plain_and_html_are_alternatives_with_stable_headers() {
        let raw = String::from_utf8(bouw(&rij(None), &afzender()).unwrap().formatted()).unwrap();
        assert!(
            raw.contains("Message-ID: <0193a6c2@mijn-herstel.nl>"),
            "{raw}"
        );
        assert!(raw.contains("Content-Language: nl"));
        assert!(raw.contains("Auto-Submitted: auto-generated"));
        assert!(raw.contains("multipart/alternative"));
        assert!(!raw.contains("multipart/mixed"));
    }

    #[test]
    fn a_calendar_invitation_is_an_alternative_part_and_an_attachment() {
        let ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
        let b = bijlage(
            "afspraak.ics",
            "text/calendar; charset=utf-8; method=REQUEST",
            ics.as_bytes(),
            true,
        );
        let json = serde_json::to_string(&vec![b]).unwrap();
        let raw =
            String::from_utf8(bouw(&rij(Some(json)), &afzender()).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/mixed") && raw.contains("multipart/alternative"));
        assert_eq!(
            raw.matches("text/calendar; charset=utf-8; method=REQUEST")
                .count(),
            2,
            "{raw}"
        );
        assert!(raw.contains("filename=\"afspraak.ics\""), "{raw}");
    }

    #[test]
    fn a_broken_address_is_permanent() {
        let mut r = rij(None);
        r.ontvanger = "geen adres".into();
        assert!(matches!(bouw(&r, &afzender()), Err(Zendfout::Permanent(_))));
    }
}
