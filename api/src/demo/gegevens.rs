//! Government data of a seeded parent: consent for their UHT file, one retrieval, and the data
//! as the real translation (`gegevens::vertaling`) reads the source's answer.

use sea_orm::DbErr;

use super::logboek::Logboek;
use super::ouder::DAG;
use super::profiel::{self, Toeval};
use super::rijen::Rijen;
use super::sleutel;
use crate::gegevens::store::{bevraging, bevraging_bron, gegeven, toestemming};
use crate::gegevens::{bron::DOELBINDING, vertaling, vulling};
use crate::identity::persona::Soort;
use crate::wizard::engine::Opgehaald;

/// Consent for UHT, a retrieval, and its data as the real translation reads the source's
/// answer; judged by the parent when they went on to a claim. Returns what prefills the claim.
pub fn haal_op(
    log: &mut Logboek,
    rijen: &mut Rijen,
    r: &mut Toeval,
    leven: &profiel::Leven,
    op: i64,
    beoordeeld: bool,
) -> Result<Opgehaald, DbErr> {
    let (i, ouder) = (log.i, log.ouder);
    let id = |soort: &str| sleutel::id(soort, i).to_string();
    let t = toestemming::Model {
        id: id("toestemming"),
        ouder_id: ouder.to_string(),
        bron: "uht".into(),
        doel: DOELBINDING.into(),
        verleend_op: op,
        verleend_door: ouder.to_string(),
        geldig_tot: op + i64::from(log.ctx.settings.gegevens.toestemming_standaard_dagen) * DAG,
        ingetrokken_op: None,
    };
    let vertaal = vertaling::van("uht").ok_or_else(|| DbErr::Custom("bron uht".into()))?;
    let gegevens = vertaal(&profiel::uht_bron(leven))
        .map_err(|e| DbErr::Custom(format!("UHT-dossier van populatie onleesbaar: {e}")))?;
    let oordeel = match (beoordeeld, r.kans(90)) {
        (false, _) => "open",
        (true, true) => "bevestigd",
        (true, false) => "betwist",
    };
    let bevraging = id("bevraging");
    let rijen_gegevens: Vec<gegeven::Model> = gegevens
        .iter()
        .map(|g| gegeven::Model {
            id: sleutel::id(&format!("gegeven/{}", g.sleutel), i).to_string(),
            ouder_id: ouder.to_string(),
            bron: "uht".into(),
            sleutel: g.sleutel.clone(),
            label: g.label.clone(),
            weergave: g.weergave.clone(),
            waarde: g.waarde.to_string(),
            antwoorden: (!g.antwoorden.is_empty())
                .then(|| serde_json::to_string(&g.antwoorden).unwrap_or_default()),
            toestemming_id: t.id.clone(),
            bevraging_id: bevraging.clone(),
            opgehaald_op: op + 2_000,
            oordeel: oordeel.into(),
            toelichting: (oordeel == "betwist")
                .then(|| "Het teruggevraagde bedrag klopt niet; ik heb de brief nog.".into()),
            geoordeeld_op: (oordeel != "open").then_some(op + 10 * 60_000),
        })
        .collect();
    let opgehaald = vulling::vulling(&rijen_gegevens, std::slice::from_ref(&t));
    rijen.bevraging.push(bevraging::Model {
        id: bevraging.clone(),
        ouder_id: ouder.to_string(),
        gestart_door: ouder.to_string(),
        gestart_op: op + 1_000,
        uiterlijk_op: op + 1_000 + 10_000,
    });
    rijen.bevraging_bron.push(bevraging_bron::Model {
        bevraging_id: bevraging.clone(),
        bron: "uht".into(),
        toestemming_id: t.id.clone(),
        status: "gelukt".into(),
        reden: None,
        aantal: i32::try_from(rijen_gegevens.len()).unwrap_or(0),
        klaar_op: Some(op + 2_000),
    });
    let o = (ouder, Soort::Ouder);
    let resource = format!("toestemmingen/{}", t.id);
    log.regel(
        rijen,
        op,
        o,
        "toestemming-geven",
        resource,
        "toestemming-gegevensbronnen/v1",
    );
    let resource = format!("bevragingen/{bevraging}/uht");
    log.regel(
        rijen,
        op + 2_000,
        o,
        "gegevens-ophalen",
        resource,
        "gegevens-ophalen/v1",
    );
    rijen.toestemming.push(t);
    rijen.gegeven.extend(rijen_gegevens);
    Ok(opgehaald)
}
