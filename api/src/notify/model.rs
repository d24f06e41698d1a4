//! Request and response types of notifications, with examples for the OpenAPI document.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::soort::Soort;
use crate::http::pagination::PaginaInfo;

/// Hoe iemand van Mijn Herstel hoort.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "emailadres": "fatima.elamrani@example.nl",
    "teBevestigen": null,
    "taal": "nl",
    "nietEssentieleEmail": true,
    "soorten": [
        {"soort": "emailadres-gewijzigd", "omschrijving": "Een melding aan uw oude adres als uw e-mailadres wijzigt.", "essentieel": true, "perEmail": true},
        {"soort": "aanvraag-herinnering", "omschrijving": "Een herinnering als uw aanvraag een tijd niet is aangevuld.", "essentieel": false, "perEmail": true}
    ]
}))]
pub struct Meldingsinstellingen {
    /// Het bevestigde e-mailadres; zonder adres komen berichten alleen in de berichtenbox.
    pub emailadres: Option<String>,
    /// Een adres dat op de code wacht.
    pub te_bevestigen: Option<TeBevestigen>,
    /// De taal van e-mails en berichten: `nl` of `en`.
    pub taal: String,
    /// Of niet-noodzakelijke e-mail (bevestigingen, herinneringen) wordt gestuurd.
    pub niet_essentiele_email: bool,
    /// Welke berichten er zijn en of ze per e-mail komen.
    pub soorten: Vec<Berichtsoort>,
}

/// Een e-mailadres dat nog op bevestiging met de verstuurde code wacht.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"emailadres": "fatima@example.nl", "verlooptOp": "2026-12-02T15:45:00Z"}))]
pub struct TeBevestigen {
    pub emailadres: String,
    /// Tot wanneer de verstuurde code werkt.
    pub verloopt_op: DateTime<Utc>,
}

/// Een soort bericht, met een omschrijving en of het met de huidige instellingen per e-mail komt.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"soort": "aanvraag-gestart", "omschrijving": "Een bevestiging als u met een aanvraag begint.", "essentieel": false, "perEmail": true}))]
pub struct Berichtsoort {
    pub soort: Soort,
    pub omschrijving: String,
    /// Noodzakelijke berichten komen altijd per e-mail als er een bevestigd adres is.
    pub essentieel: bool,
    /// Of dit bericht met de huidige instellingen per e-mail komt.
    pub per_email: bool,
}

/// De taal en welke niet-noodzakelijke berichten per e-mail komen.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"taal": "en", "nietEssentieleEmail": false}))]
pub struct VoorkeurenWijziging {
    /// `nl` of `en`.
    #[schema(pattern = "^(nl|en)$")]
    pub taal: String,
    pub niet_essentiele_email: bool,
}

/// Een nieuw e-mailadres; het geldt pas na bevestiging met de verstuurde code.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"emailadres": "fatima@example.nl"}))]
pub struct EmailadresOpgave {
    /// Hier komt een code naartoe; pas na bevestiging gaan er andere berichten heen.
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub emailadres: String,
}

/// De code uit de e-mail waarmee u uw e-mailadres bevestigt.
#[derive(Debug, Clone, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"code": "482913"}))]
pub struct CodeInvoer {
    /// De zes cijfers uit de e-mail.
    #[validate(length(min = 6, max = 6))]
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub code: String,
}

/// Eén bericht in de berichtenbox van de app.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "soort": "aanvraag-gestart",
    "onderwerp": "U bent begonnen met uw aanvraag",
    "tekst": "U bent begonnen met uw aanvraag voor herstel van aanvullende schade.",
    "verwijzing": "/v1/aanvragen/0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "ontvangenOp": "2026-12-02T15:30:00Z",
    "gelezenOp": null
}))]
pub struct Bericht {
    pub id: Uuid,
    pub soort: Soort,
    pub onderwerp: String,
    pub tekst: String,
    /// Waar het bericht over gaat, als API-pad.
    pub verwijzing: Option<String>,
    pub ontvangen_op: DateTime<Utc>,
    /// Leeg zolang het bericht ongelezen is.
    pub gelezen_op: Option<DateTime<Utc>>,
}

/// Een pagina berichten uit de berichtenbox, met het aantal ongelezen berichten.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "resultaten": [{"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "soort": "aanvraag-gestart", "onderwerp": "U bent begonnen met uw aanvraag", "tekst": "U bent begonnen met uw aanvraag voor herstel van aanvullende schade.", "verwijzing": null, "ontvangenOp": "2026-12-02T15:30:00Z", "gelezenOp": null}],
    "ongelezen": 1,
    "paginering": {"page": 1, "pageSize": 20, "totaal": 1, "aantalPaginas": 1}
}))]
pub struct Berichten {
    pub resultaten: Vec<Bericht>,
    /// Het aantal ongelezen berichten (alle pagina's).
    pub ongelezen: u64,
    pub paginering: PaginaInfo,
}

#[derive(Debug, Clone, Copy, Deserialize, IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct BerichtenFilter {
    /// Alleen ongelezen berichten.
    #[param(example = true)]
    pub ongelezen: Option<bool>,
}

/// An outgoing mail as an administrator sees it: no content, a masked address.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87",
    "soort": "aanvraag-gestart",
    "status": "mislukt",
    "ontvanger": "f***@example.nl",
    "pogingen": 8,
    "laatsteFout": "permanent error (550): mailbox unavailable",
    "aangemaaktOp": "2026-12-02T15:30:00Z",
    "volgendePogingOp": "2026-12-02T15:30:00Z",
    "verzondenOp": null
}))]
pub struct UitgaandBericht {
    pub id: Uuid,
    pub soort: String,
    /// `wachtend`, `bezig`, `verzonden`, `mislukt` of `geannuleerd`.
    pub status: String,
    pub ontvanger: String,
    pub pogingen: i32,
    pub laatste_fout: Option<String>,
    pub aangemaakt_op: DateTime<Utc>,
    pub volgende_poging_op: DateTime<Utc>,
    pub verzonden_op: Option<DateTime<Utc>>,
}

/// Een pagina uitgaande e-mails met hun afleverstatus, voor beheerders.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "resultaten": [{"id": "0193a6c2-7b8e-7c4d-9a1f-3e2d1c0b9a87", "soort": "aanvraag-gestart", "status": "mislukt", "ontvanger": "f***@example.nl", "pogingen": 8, "laatsteFout": "permanent error (550): mailbox unavailable", "aangemaaktOp": "2026-12-02T15:30:00Z", "volgendePogingOp": "2026-12-02T15:30:00Z", "verzondenOp": null}],
    "paginering": {"page": 1, "pageSize": 20, "totaal": 1, "aantalPaginas": 1}
}))]
pub struct UitgaandeBerichten {
    pub resultaten: Vec<UitgaandBericht>,
    pub paginering: PaginaInfo,
}

/// De toestand van een uitgaande e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "mislukt")]
pub enum UitgaandStatus {
    Wachtend,
    Bezig,
    Verzonden,
    Mislukt,
    Geannuleerd,
}

impl UitgaandStatus {
    pub fn code(self) -> &'static str {
        match self {
            UitgaandStatus::Wachtend => super::store::WACHTEND,
            UitgaandStatus::Bezig => super::store::BEZIG,
            UitgaandStatus::Verzonden => super::store::VERZONDEN,
            UitgaandStatus::Mislukt => super::store::MISLUKT,
            UitgaandStatus::Geannuleerd => super::store::GEANNULEERD,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, IntoParams, Validate)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct UitgaandFilter {
    /// Standaard `mislukt`.
    #[param(inline, example = "mislukt")]
    pub status: Option<UitgaandStatus>,
}
