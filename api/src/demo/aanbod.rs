//! Assessment of a seeded claim: decisions per post and the offer, as the behandelaar makes
//! them (`beoordeling_service`, `aanbod_service`), each audited.

use sea_orm::DbErr;
use uuid::Uuid;

use super::logboek::Logboek;
use super::ouder::DAG;
use super::profiel::Toeval;
use super::rijen::Rijen;
use super::sleutel;
use crate::claims::afwikkeling::{self, AanbodStatus, Besluit, PostBesluit};
use crate::claims::afwikkeling_store::{aanbod, postbeoordeling};
use crate::identity::persona::Soort;
use crate::wizard::calc::{self, Berekening};

fn json<T: serde::Serialize>(v: &T) -> Result<String, DbErr> {
    serde_json::to_string(v).map_err(|e| DbErr::Custom(e.to_string()))
}

/// Decisions on the posts that wait for substantiation: mostly granted in full, some adjusted.
pub fn besluiten(b: &Berekening, r: &mut Toeval, deel: u64) -> Vec<PostBesluit> {
    let mut uit = Vec::new();
    for p in &b.posten {
        if p.status != calc::Status::OnderbouwingNodig || !r.kans(deel) {
            continue;
        }
        uit.push(if r.kans(85) {
            PostBesluit {
                post: p.id.clone(),
                besluit: Besluit::Geaccepteerd,
                bedrag: afwikkeling::bedrag_bij_besluit(Besluit::Geaccepteerd, None, p)
                    .unwrap_or(p.forfaitair_bedrag),
                reden: None,
            }
        } else {
            PostBesluit {
                post: p.id.clone(),
                besluit: Besluit::Aangepast,
                bedrag: p.forfaitair_bedrag / 200 * 100,
                reden: Some("De stukken tonen de helft van de gevraagde periode aan.".into()),
            }
        });
    }
    uit
}

/// Stores decisions per post, each audited as the behandelaar's `post-beoordelen`.
pub fn beoordeel(
    log: &mut Logboek,
    rijen: &mut Rijen,
    besluiten: &[PostBesluit],
    behandelaar: Uuid,
    op: i64,
) {
    let id = sleutel::aanvraag(log.i).to_string();
    for p in besluiten {
        rijen.postbeoordeling.push(postbeoordeling::Model {
            aanvraag_id: id.clone(),
            post_id: p.post.clone(),
            besluit: p.besluit.code().into(),
            bedrag: p.bedrag,
            reden: p.reden.clone(),
            door_persoon: behandelaar.to_string(),
            op,
        });
        let b = (behandelaar, Soort::Medewerker);
        let resource = format!("aanvragen/{id}/beoordelingen/{}", p.post);
        log.regel(
            rijen,
            op,
            b,
            "post-beoordelen",
            resource,
            "aanvraag-behandelen/v1",
        );
    }
}

/// The offer from the frozen calculation and the decisions, as `aanbod_service::maak` makes it;
/// above the four-eyes threshold approved by the other behandelaar before it went out at `op`.
pub fn bied_aan(
    log: &mut Logboek,
    rijen: &mut Rijen,
    r: &mut Toeval,
    b: &Berekening,
    (behandelaar, collega): (Uuid, Uuid),
    op: i64,
) -> Result<aanbod::Model, DbErr> {
    let (ctx, i) = (log.ctx, log.i);
    let besluiten = besluiten(b, r, 100);
    beoordeel(log, rijen, &besluiten, behandelaar, op - 2 * DAG);
    let (regels, open) = afwikkeling::aanbodregels(b, &besluiten);
    if !open.is_empty() {
        return Err(DbErr::Custom(format!(
            "populatie {i}: posten zonder besluit: {open:?}"
        )));
    }
    let totaal = afwikkeling::totaal(&regels);
    let vier_ogen = afwikkeling::vier_ogen_nodig(totaal, ctx.settings.claims.vier_ogen_vanaf_cent);
    let a = aanbod::Model {
        id: sleutel::id("aanbod", i).to_string(),
        aanvraag_id: sleutel::aanvraag(i).to_string(),
        volgnummer: 1,
        status: AanbodStatus::Uitgebracht.code().into(),
        totaal,
        posten: json(&regels)?,
        procedures: "[]".into(),
        toelichting: "Dit aanbod volgt uw aanvraag; bij aangepaste posten staat waarom.".into(),
        gemaakt_door: behandelaar.to_string(),
        gemaakt_op: op - if vier_ogen { DAG } else { 0 },
        goedgekeurd_door: vier_ogen.then(|| collega.to_string()),
        uitgebracht_op: Some(op),
        reageren_voor: Some(op + i64::from(ctx.settings.claims.reactietermijn_dagen) * DAG),
        verlengd: false,
        reactie_op: None,
        reactie_door: None,
        reden: None,
        ingetrokken_procedures: None,
    };
    let resource = format!("aanvragen/{}/aanbiedingen/{}", a.aanvraag_id, a.id);
    let activiteit = "aanvraag-behandelen/v1";
    let door = (behandelaar, Soort::Medewerker);
    log.regel(
        rijen,
        a.gemaakt_op,
        door,
        "aanbod-doen",
        resource.clone(),
        activiteit,
    );
    if vier_ogen {
        let door = (collega, Soort::Medewerker);
        log.regel(rijen, op, door, "aanbod-goedkeuren", resource, activiteit);
    }
    Ok(a)
}
