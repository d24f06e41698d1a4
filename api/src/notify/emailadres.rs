//! The e-mail address: set with a six-digit code (keyed hash, short-lived, attempt- and
//! rate-limited) before anything but the code itself is sent to it; a change warns the old one.

use actix_web::http::header::{self, HeaderValue};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::Notificaties;
use super::service::{Melding, naam, standaard, taal, uitgaand_rij};
use super::soort::Soort;
use super::store::{self, BerichtRij, VerificatieRij};
use super::templates::Gegevens;
use crate::db;
use crate::http::{ApiError, FieldError, ProblemType};
use crate::identity::vault::BsnVault;

const CODE_DOMEIN: &str = "emailcode/v1";

fn code_fout(detail: impl Into<String>) -> ApiError {
    ApiError::invalid(vec![FieldError::body("/code", "code", detail)])
}

/// Six random digits.
fn nieuwe_code() -> Result<String, ApiError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))?;
    Ok(format!("{:06}", u32::from_le_bytes(bytes) % 1_000_000))
}

/// Starts verifying `adres`: a code goes to that address, nothing else will until it is entered.
/// Returns when the code expires.
pub async fn start_verificatie(
    dbc: &DatabaseConnection,
    n: &Notificaties,
    vault: &BsnVault,
    persoon: Uuid,
    adres: &str,
) -> Result<i64, ApiError> {
    let s = &n.settings;
    let now = db::now_ms();
    let tx = db::begin_write(dbc).await?;
    let vorige = store::verificatie_voor_wijziging(&tx, persoon).await?;
    let (mut in_venster, mut venster_start) = vorige
        .as_ref()
        .map(|v| (v.codes_in_venster, v.venster_start))
        .unwrap_or((0, now));
    if now - venster_start >= 3_600_000 {
        (in_venster, venster_start) = (0, now);
    }
    if in_venster >= i32::try_from(s.verificatie_codes_per_uur).unwrap_or(i32::MAX) {
        let wacht = ((venster_start + 3_600_000 - now) / 1000).max(1);
        return Err(ApiError::new(
            ProblemType::TeVeelVerzoeken,
            "U heeft het afgelopen uur te vaak een code aangevraagd. Probeer het later opnieuw.",
        )
        .with_header(
            header::RETRY_AFTER,
            HeaderValue::from_str(&wacht.to_string()).expect("digits"),
        ));
    }
    let code = nieuwe_code()?;
    let verloopt_op = now + i64::from(s.verificatie_geldig_minuten) * 60_000;
    store::bewaar_verificatie(
        &tx,
        VerificatieRij {
            persoon_id: persoon.to_string(),
            email: adres.to_string(),
            code_hash: vault.digest(CODE_DOMEIN, &format!("{persoon}:{code}")),
            verloopt_op,
            pogingen: 0,
            codes_in_venster: in_venster + 1,
            venster_start,
        },
    )
    .await?;
    // An older code still in the queue is worthless now; do not send it late.
    let sleutel = format!("emailadres-verificatie:{persoon}");
    store::annuleer(&tx, &sleutel, now).await?;
    let instelling = store::instelling(&tx, persoon)
        .await?
        .unwrap_or_else(|| standaard(persoon));
    let taal = taal(&instelling);
    // No name: the address is not proven yet, and a typo must not tell a stranger who uses this.
    let gegevens = Gegevens {
        naam: None,
        code: Some(code),
        minuten: Some(s.verificatie_geldig_minuten),
    };
    let tekst = n
        .sjablonen
        .render(Soort::EmailadresVerificatie, taal, &gegevens)
        .map_err(ApiError::internal)?;
    let mut melding = Melding::new(persoon, Soort::EmailadresVerificatie);
    melding.sleutel = Some(sleutel);
    let rij = uitgaand_rij(n, &melding, adres, taal, tekst, now, now)?;
    store::voeg_uitgaand_toe(&tx, rij).await?;
    tx.commit().await?;
    n.wek();
    Ok(verloopt_op)
}

/// Checks the code; on success the address becomes the person's, and a previous address hears
/// about the change. Wrong guesses are counted (and kept) so the code cannot be guessed.
pub async fn bevestig(
    dbc: &DatabaseConnection,
    n: &Notificaties,
    vault: &BsnVault,
    persoon: Uuid,
    code: &str,
) -> Result<(), ApiError> {
    let now = db::now_ms();
    let tx = db::begin_write(dbc).await?;
    let Some(mut v) = store::verificatie_voor_wijziging(&tx, persoon).await? else {
        // Nothing wrong with the code the client sent: there is simply none waiting (a state).
        return Err(ApiError::new(
            ProblemType::Conflict,
            "Er wacht geen code op bevestiging. Geef eerst uw e-mailadres op.",
        ));
    };
    let max = i32::try_from(n.settings.verificatie_max_pogingen).unwrap_or(i32::MAX);
    if v.verloopt_op <= now || v.pogingen >= max {
        v.code_hash = String::new();
        v.pogingen = max;
        store::bewaar_verificatie(&tx, v).await?;
        tx.commit().await?;
        return Err(code_fout(
            "Deze code werkt niet meer. Vraag een nieuwe code aan.",
        ));
    }
    let verwacht = vault.digest(CODE_DOMEIN, &format!("{persoon}:{}", code.trim()));
    if v.code_hash.is_empty() || verwacht != v.code_hash {
        v.pogingen += 1;
        let over = max - v.pogingen;
        store::bewaar_verificatie(&tx, v).await?;
        tx.commit().await?;
        return Err(code_fout(if over > 0 {
            format!("De code klopt niet. U kunt het nog {over} keer proberen.")
        } else {
            "De code klopt niet. Vraag een nieuwe code aan.".to_string()
        }));
    }
    let oud = store::instelling(&tx, persoon).await?;
    let vorige_versie = oud.as_ref().map_or(0, |o| o.versie);
    let mut nieuw = oud.clone().unwrap_or_else(|| standaard(persoon));
    let oud_adres = oud
        .as_ref()
        .filter(|o| o.email_geverifieerd_op.is_some())
        .and_then(|o| o.email.clone());
    nieuw.email = Some(v.email.clone());
    nieuw.email_geverifieerd_op = Some(now);
    nieuw.versie = vorige_versie + 1;
    nieuw.gewijzigd_op = now;
    if !store::bewaar_instelling(&tx, vorige_versie, nieuw).await? {
        return Err(ApiError::busy());
    }
    store::verwijder_verificatie(&tx, persoon).await?;
    if let Some(oud_adres) = oud_adres.filter(|a| !a.eq_ignore_ascii_case(&v.email)) {
        // To the old address on purpose: whoever lost control of the account should notice.
        let instelling = oud.expect("oud adres komt uit oud");
        let taal = taal(&instelling);
        let gegevens = Gegevens {
            naam: naam(&tx, persoon).await?,
            ..Default::default()
        };
        let tekst = n
            .sjablonen
            .render(Soort::EmailadresGewijzigd, taal, &gegevens)
            .map_err(ApiError::internal)?;
        let melding = Melding::new(persoon, Soort::EmailadresGewijzigd);
        store::voeg_bericht_toe(
            &tx,
            BerichtRij {
                id: Uuid::now_v7().to_string(),
                persoon_id: persoon.to_string(),
                soort: melding.soort.code().into(),
                onderwerp: tekst.onderwerp.clone(),
                tekst: tekst.inbox.clone(),
                verwijzing: None,
                sleutel: None,
                zichtbaar_vanaf: now,
                aangemaakt_op: now,
                gelezen_op: None,
            },
        )
        .await?;
        let rij = uitgaand_rij(n, &melding, &oud_adres, taal, tekst, now, now)?;
        store::voeg_uitgaand_toe(&tx, rij).await?;
    }
    tx.commit().await?;
    n.wek();
    Ok(())
}

/// Forgets the address (and a pending verification): no more mail, the inbox stays.
pub async fn verwijder_adres(dbc: &DatabaseConnection, persoon: Uuid) -> Result<(), ApiError> {
    let tx = db::begin_write(dbc).await?;
    store::verwijder_verificatie(&tx, persoon).await?;
    store::annuleer(
        &tx,
        &format!("emailadres-verificatie:{persoon}"),
        db::now_ms(),
    )
    .await?;
    if let Some(mut rij) = store::instelling(&tx, persoon).await? {
        let vorige = rij.versie;
        rij.email = None;
        rij.email_geverifieerd_op = None;
        rij.versie += 1;
        rij.gewijzigd_op = db::now_ms();
        if !store::bewaar_instelling(&tx, vorige, rij).await? {
            return Err(ApiError::busy());
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..50 {
            let c = nieuwe_code().unwrap();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
