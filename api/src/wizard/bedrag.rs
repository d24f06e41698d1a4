//! The amount rules of DAMAGE-FRAMEWORK §2 (fixed, per year, per person, by band): the amount of
//! a post, and how it was arrived at, in words.

use serde_json::Value;

use super::calc::{Reden, euro, reden};
use super::content::{BedragRegel, Post};
use super::engine::Stand;

pub(super) fn bedrag(post: &Post, stand: &Stand) -> i64 {
    let get = |id: &str| stand.actief.get(id);
    match post
        .bedrag
        .as_ref()
        .expect("de contentcheck eist een bedragregel")
    {
        BedragRegel::Vast(b) => *b,
        BedragRegel::PerJaar(a) => {
            let years = get(&a.jaren).and_then(Value::as_i64).unwrap_or(0).max(0);
            a.bedrag.saturating_mul(years).min(a.maximum)
        }
        BedragRegel::PerPersoon(a) => {
            let n = get(&a.aantal).and_then(Value::as_i64).unwrap_or(0).max(0);
            a.bedrag.saturating_mul(n).min(a.maximum)
        }
        BedragRegel::Klasse(k) => {
            let chosen = get(&k.vraag).and_then(Value::as_str).unwrap_or_default();
            k.klassen.get(chosen).copied().unwrap_or(0)
        }
    }
}

/// How [`bedrag`] arrived at `total`, in words.
pub(super) fn bedrag_reden(post: &Post, stand: &Stand, total: i64) -> Reden {
    let get = |id: &str| stand.actief.get(id);
    match post
        .bedrag
        .as_ref()
        .expect("de contentcheck eist een bedragregel")
    {
        BedragRegel::Vast(b) => reden(
            "bedrag-vast",
            format!("Vast bedrag: {}.", euro(*b)),
            format!("Fixed amount: {}.", euro(*b)),
            vec![],
        ),
        BedragRegel::PerJaar(a) => {
            let years = get(&a.jaren).and_then(Value::as_i64).unwrap_or(0).max(0);
            reden(
                "bedrag-per-jaar",
                format!(
                    "{} per jaar × {years} jaar (vraag {}), hoogstens {}: {}.",
                    euro(a.bedrag),
                    a.jaren,
                    euro(a.maximum),
                    euro(total)
                ),
                format!(
                    "{} per year × {years} years (question {}), at most {}: {}.",
                    euro(a.bedrag),
                    a.jaren,
                    euro(a.maximum),
                    euro(total)
                ),
                vec![a.jaren.clone()],
            )
        }
        BedragRegel::PerPersoon(a) => {
            let n = get(&a.aantal).and_then(Value::as_i64).unwrap_or(0).max(0);
            reden(
                "bedrag-per-persoon",
                format!(
                    "{} per persoon × {n} (vraag {}), hoogstens {}: {}.",
                    euro(a.bedrag),
                    a.aantal,
                    euro(a.maximum),
                    euro(total)
                ),
                format!(
                    "{} per person × {n} (question {}), at most {}: {}.",
                    euro(a.bedrag),
                    a.aantal,
                    euro(a.maximum),
                    euro(total)
                ),
                vec![a.aantal.clone()],
            )
        }
        BedragRegel::Klasse(k) => {
            let chosen = get(&k.vraag).and_then(Value::as_str).unwrap_or_default();
            reden(
                "bedrag-klasse",
                format!("Klasse '{chosen}' (vraag {}): {}.", k.vraag, euro(total)),
                format!("Band '{chosen}' (question {}): {}.", k.vraag, euro(total)),
                vec![k.vraag.clone()],
            )
        }
    }
}
