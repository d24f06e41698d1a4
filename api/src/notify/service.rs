//! The rules: who gets what by mail and in the inbox, the address verification, and putting a
//! failed message back. Other capabilities call [`meld`] inside their own write transaction.

use base64::Engine as _;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::Notificaties;
pub use super::emailadres::{bevestig, start_verificatie, verwijder_adres};
use super::mailer::Bijlage;
use super::soort::Soort;
use super::store::{self, BerichtRij, InstellingRij, UitgaandRij};
use super::templates::{Gegevens, Taal};
use crate::db;
use crate::http::ApiError;
use crate::identity;

/// Something a person should hear about.
#[derive(Debug, Clone)]
pub struct Melding {
    pub persoon: Uuid,
    pub soort: Soort,
    /// The API resource it is about, e.g. `/v1/aanvragen/<id>` (shown in the inbox, never mailed).
    pub verwijzing: Option<String>,
    /// Not before this moment (epoch ms): reminders. The inbox shows it from then on too.
    pub niet_voor: Option<i64>,
    /// Names a message that may later be moved or cancelled (`store::verschuif`/`annuleer`).
    pub sleutel: Option<String>,
    pub bijlagen: Vec<Bijlage>,
}

impl Melding {
    pub fn new(persoon: Uuid, soort: Soort) -> Melding {
        Melding {
            persoon,
            soort,
            verwijzing: None,
            niet_voor: None,
            sleutel: None,
            bijlagen: Vec::new(),
        }
    }
}

/// The settings of someone who never changed them.
pub fn standaard(persoon: Uuid) -> InstellingRij {
    InstellingRij {
        persoon_id: persoon.to_string(),
        email: None,
        email_geverifieerd_op: None,
        taal: "nl".into(),
        niet_essentieel: true,
        versie: 0,
        gewijzigd_op: 0,
    }
}

/// The address a message of `soort` goes to, if any: only a verified one, and non-essential
/// mail only to who did not opt out.
pub fn adres_voor(soort: Soort, instelling: &InstellingRij) -> Option<&str> {
    instelling.email_geverifieerd_op?;
    if !soort.essentieel() && !instelling.niet_essentieel {
        return None;
    }
    instelling.email.as_deref()
}

pub(super) fn taal(instelling: &InstellingRij) -> Taal {
    Taal::parse(&instelling.taal).unwrap_or(Taal::Nl)
}

pub(super) async fn naam(
    db: &impl ConnectionTrait,
    persoon: Uuid,
) -> Result<Option<String>, ApiError> {
    Ok(identity::store::find(db, persoon).await?.map(|p| p.naam))
}

/// Writes the inbox entry and, when the person gets this kind by mail, the outbox row, with
/// `db` being the caller's transaction.
pub async fn meld(
    db: &impl ConnectionTrait,
    n: &Notificaties,
    melding: Melding,
) -> Result<(), ApiError> {
    let instelling = store::instelling(db, melding.persoon)
        .await?
        .unwrap_or_else(|| standaard(melding.persoon));
    let gegevens = Gegevens {
        naam: naam(db, melding.persoon).await?,
        ..Default::default()
    };
    let taal = taal(&instelling);
    let tekst = n
        .sjablonen
        .render(melding.soort, taal, &gegevens)
        .map_err(ApiError::internal)?;
    let now = db::now_ms();
    let niet_voor = melding.niet_voor.unwrap_or(now);
    if melding.soort.in_inbox() {
        store::voeg_bericht_toe(
            db,
            BerichtRij {
                id: Uuid::now_v7().to_string(),
                persoon_id: melding.persoon.to_string(),
                soort: melding.soort.code().into(),
                onderwerp: tekst.onderwerp.clone(),
                tekst: tekst.inbox.clone(),
                verwijzing: melding.verwijzing.clone(),
                sleutel: melding.sleutel.clone(),
                zichtbaar_vanaf: niet_voor,
                aangemaakt_op: now,
                gelezen_op: None,
            },
        )
        .await?;
    }
    if let Some(adres) = adres_voor(melding.soort, &instelling) {
        let rij = uitgaand_rij(n, &melding, adres, taal, tekst, niet_voor, now)?;
        store::voeg_uitgaand_toe(db, rij).await?;
    }
    Ok(())
}

pub(super) fn uitgaand_rij(
    n: &Notificaties,
    melding: &Melding,
    adres: &str,
    taal: Taal,
    tekst: super::templates::Gerenderd,
    niet_voor: i64,
    now: i64,
) -> Result<UitgaandRij, ApiError> {
    let id = Uuid::now_v7();
    let bijlagen = if melding.bijlagen.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&melding.bijlagen).map_err(ApiError::internal)?)
    };
    Ok(UitgaandRij {
        id: id.to_string(),
        persoon_id: Some(melding.persoon.to_string()),
        soort: melding.soort.code().into(),
        taal: taal.code().into(),
        ontvanger: adres.to_string(),
        onderwerp: tekst.onderwerp,
        tekst: tekst.tekst,
        html: tekst.html,
        bijlagen,
        // Stable across retries and instances: a receiver can drop a second delivery.
        message_id: format!("<{id}@{}>", n.domein),
        sleutel: melding.sleutel.clone(),
        status: store::WACHTEND.into(),
        pogingen: 0,
        niet_voor,
        lease_tot: None,
        lease_houder: None,
        laatste_fout: None,
        aangemaakt_op: now,
        verzonden_op: None,
        verzonden_door: None,
    })
}

/// An attachment from raw bytes.
pub fn bijlage(bestandsnaam: &str, inhoudstype: &str, inhoud: &[u8], alternatief: bool) -> Bijlage {
    Bijlage {
        bestandsnaam: bestandsnaam.into(),
        inhoudstype: inhoudstype.into(),
        inhoud: base64::engine::general_purpose::STANDARD.encode(inhoud),
        ook_als_alternatief: alternatief,
    }
}

/// Changes language and non-essential mail when `vorige` is still the stored version.
pub async fn wijzig_voorkeuren(
    dbc: &DatabaseConnection,
    persoon: Uuid,
    vorige: Option<i64>,
    taal: Taal,
    niet_essentieel: bool,
) -> Result<InstellingRij, ApiError> {
    let tx = db::begin_write(dbc).await?;
    let huidig = store::instelling(&tx, persoon)
        .await?
        .unwrap_or_else(|| standaard(persoon));
    if let Some(vorige) = vorige
        && vorige != huidig.versie
    {
        return Err(crate::http::etag::stale(huidig.versie));
    }
    let versie = huidig.versie;
    let mut nieuw = huidig;
    nieuw.taal = taal.code().into();
    nieuw.niet_essentieel = niet_essentieel;
    nieuw.versie = versie + 1;
    nieuw.gewijzigd_op = db::now_ms();
    if !store::bewaar_instelling(&tx, versie, nieuw.clone()).await? {
        return Err(crate::http::etag::stale(versie + 1));
    }
    tx.commit().await?;
    Ok(nieuw)
}

/// Demo data only: a confirmed address without the code round trip.
pub async fn demo_adres(
    db: &impl ConnectionTrait,
    persoon: Uuid,
    adres: &str,
) -> Result<(), sea_orm::DbErr> {
    let now = db::now_ms();
    store::bewaar_instelling(
        db,
        0,
        InstellingRij {
            email: Some(adres.to_string()),
            email_geverifieerd_op: Some(now),
            versie: 1,
            gewijzigd_op: now,
            ..standaard(persoon)
        },
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instelling(geverifieerd: bool, niet_essentieel: bool) -> InstellingRij {
        InstellingRij {
            email: Some("a@example.nl".into()),
            email_geverifieerd_op: geverifieerd.then_some(1),
            niet_essentieel,
            ..standaard(Uuid::nil())
        }
    }

    #[test]
    fn only_a_verified_address_gets_mail() {
        assert_eq!(
            adres_voor(Soort::AanvraagGestart, &instelling(false, true)),
            None
        );
        assert_eq!(
            adres_voor(Soort::AanvraagGestart, &instelling(true, true)),
            Some("a@example.nl")
        );
        assert_eq!(
            adres_voor(Soort::AanvraagGestart, &standaard(Uuid::nil())),
            None
        );
    }

    #[test]
    fn opting_out_stops_only_non_essential_mail() {
        let uit = instelling(true, false);
        assert_eq!(adres_voor(Soort::AanvraagHerinnering, &uit), None);
        assert_eq!(adres_voor(Soort::AanvraagGestart, &uit), None);
        assert_eq!(
            adres_voor(Soort::EmailadresGewijzigd, &uit),
            Some("a@example.nl")
        );
    }
}
