//! The queries of the export: per section, the rows that concern one parent, with explicit
//! columns so secrets (ciphertext, token hashes, storage keys, mail bodies with codes) stay out.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, JsonValue, Statement};
use uuid::Uuid;

/// Rows of the parent's claims are found through this.
const EIGEN_AANVRAGEN: &str = "aanvraag_id IN (SELECT id FROM aanvraag WHERE ouder_id = $1)";

/// Section name → its query; `$1` is the parent's id.
pub fn onderdelen() -> Vec<(&'static str, String)> {
    let per_aanvraag = |kolommen: &str, tabel: &str, orde: &str| {
        format!("SELECT {kolommen} FROM {tabel} WHERE {EIGEN_AANVRAGEN} ORDER BY {orde}")
    };
    vec![
        ("meldingsinstellingen", "SELECT email, email_geverifieerd_op, taal, niet_essentieel, gewijzigd_op FROM meldingsinstelling WHERE persoon_id = $1".into()),
        ("sessies", "SELECT id, provider, betrouwbaarheidsniveau, aangemaakt_op, laatst_gebruikt_op, ingetrokken_op, reden_intrekking FROM sessie WHERE persoon_id = $1 ORDER BY aangemaakt_op".into()),
        ("aanvragen", "SELECT id, status, inhoud_versie, versie, antwoorden, keuzes, opgeslagen_stappen, berekening, opgehaald, aangemaakt_op, gewijzigd_op FROM aanvraag WHERE ouder_id = $1 ORDER BY aangemaakt_op".into()),
        ("indieningen", per_aanvraag("aanvraag_id, referentie, ingediend_op, ingediend_door, verklaring_op, kaderversie, totaal, berekening, lage_impact", "indiening", "ingediend_op")),
        ("statusovergangen", per_aanvraag("aanvraag_id, van, naar, door_rol, reden, op", "statusovergang", "op")),
        ("behandeling", per_aanvraag("aanvraag_id, behandelaar_id, urgent, urgentie_reden, bijgewerkt_op", "behandeling", "bijgewerkt_op")),
        ("notities", per_aanvraag("aanvraag_id, door_persoon, tekst, op", "notitie", "op")),
        ("postbeoordelingen", per_aanvraag("aanvraag_id, post_id, besluit, bedrag, reden, op", "postbeoordeling", "op")),
        ("vragen", per_aanvraag("aanvraag_id, post_id, vraag, gesteld_op, antwoord, beantwoord_op", "behandelvraag", "gesteld_op")),
        ("aanbiedingen", per_aanvraag("aanvraag_id, volgnummer, status, totaal, posten, procedures, toelichting, uitgebracht_op, reageren_voor, verlengd, reactie_op, reden, ingetrokken_procedures", "aanbod", "volgnummer")),
        ("bankrekening", per_aanvraag("aanvraag_id, iban_laatste, rekeninghouder, bewindvoerder, gewijzigd_op", "bankrekening", "gewijzigd_op")),
        ("betalingen", per_aanvraag("aanvraag_id, status, bedrag, op", "betaling", "op")),
        ("bewijsstukken", per_aanvraag("aanvraag_id, id, post_id, bestandsnaam, soort, grootte, sha256, scan, geupload_door, geupload_op", "bewijsstuk", "geupload_op")),
        ("toestemmingen", "SELECT id, bron, doel, verleend_op, geldig_tot, ingetrokken_op FROM toestemming WHERE ouder_id = $1 ORDER BY verleend_op".into()),
        ("bevragingen", "SELECT b.id, b.gestart_op, s.bron, s.status, s.reden, s.aantal, s.klaar_op FROM bevraging b JOIN bevraging_bron s ON s.bevraging_id = b.id WHERE b.ouder_id = $1 ORDER BY b.gestart_op, s.bron".into()),
        ("opgehaaldeGegevens", "SELECT id, bron, sleutel, label, weergave, waarde, opgehaald_op, oordeel, toelichting, geoordeeld_op FROM opgehaald_gegeven WHERE ouder_id = $1 ORDER BY opgehaald_op, sleutel".into()),
        ("machtigingen", "SELECT m.id, p.naam AS gemachtigde, m.soort, m.bevoegdheden, m.status, m.geldig_tot, m.aangemaakt_op, m.bevestigd_op, m.beeindigd_op FROM machtiging m LEFT JOIN persoon p ON p.id = m.gemachtigde_id WHERE m.ouder_id = $1 ORDER BY m.aangemaakt_op".into()),
        ("gesprekken", "SELECT g.id, g.soort, g.vorm, p.naam AS gespreksleider, g.start_op, g.eind_op, g.status, g.voorkeuren, g.reden, g.afspraken, g.locatie FROM gesprek g LEFT JOIN persoon p ON p.id = g.gespreksleider_id WHERE g.ouder_id = $1 ORDER BY g.start_op".into()),
        ("berichten", "SELECT id, soort, onderwerp, tekst, verwijzing, aangemaakt_op, gelezen_op FROM bericht WHERE persoon_id = $1 ORDER BY aangemaakt_op".into()),
        ("verzondenEmail", "SELECT soort, ontvanger, onderwerp, status, aangemaakt_op, verzonden_op FROM uitgaand_bericht WHERE persoon_id = $1 ORDER BY aangemaakt_op".into()),
        ("logboek", "SELECT tijdstip, actor_id, actor_soort, namens_id, actie, resource, uitkomst, reden FROM auditregel WHERE actor_id = $1 OR namens_id = $1 ORDER BY tijdstip, id".into()),
    ]
}

pub async fn rijen(
    db: &impl ConnectionTrait,
    sql: &str,
    ouder: Uuid,
) -> Result<Vec<JsonValue>, DbErr> {
    let stmt =
        Statement::from_sql_and_values(db.get_database_backend(), sql, [ouder.to_string().into()]);
    JsonValue::find_by_statement(stmt).all(db).await
}
