//! Everything of seeded parent `i` that must be the same on every run: ids, BSN, reference, name.
//! Ids derive from the index, so a second run finds what the first one made (idempotent) and the
//! load client in `bench/last` finds the parent, claim and session of index `i` without asking
//! the database.

use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

use crate::identity::bsn::Bsn;

/// A UUID (version 8: custom) from the SHA-256 of `soort` and the index. Not v7 as the app's own
/// ids: a time-ordered id would change with the moment of seeding, and the id must not.
pub fn id(soort: &str, i: u64) -> Uuid {
    let digest = Sha256::new()
        .chain_update(b"mijn-herstel/populatie/v1:")
        .chain_update(soort.as_bytes())
        .chain_update(i.to_be_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Builder::from_custom_bytes(bytes).into_uuid()
}

pub fn ouder(i: u64) -> Uuid {
    id("ouder", i)
}

pub fn aanvraag(i: u64) -> Uuid {
    id("aanvraag", i)
}

pub fn sessie(i: u64) -> Uuid {
    id("sessie", i)
}

/// 32 hex digits, the shape of a W3C trace id, for the audit lines of one event.
pub fn trace(soort: &str, i: u64) -> String {
    id(soort, i).simple().to_string()
}

/// The first BSN of the block of eleven 8-digit prefixes that belongs to index `i`, from
/// 90000000: 9xxxxxxxx lies outside what is issued and far from the test persons' 99999xxxx, and
/// in any eleven consecutive prefixes one has a check digit below 10 (the last weight is 2, so
/// the required check digit walks through every residue mod 11). Blocks do not overlap, so two
/// indexes never share a BSN; room for about 900,000 parents.
pub fn bsn(i: u64) -> Bsn {
    let basis = 90_000_000 + 11 * i;
    (basis..basis + 11)
        .find_map(|prefix| {
            let cijfers = format!("{prefix:08}");
            let som: u32 = cijfers
                .bytes()
                .zip((2..=9).rev())
                .map(|(c, w)| u32::from(c - b'0') * w)
                .sum();
            let controle = som % 11;
            (controle < 10)
                .then(|| Bsn::parse(&format!("{cijfers}{controle}")).ok())
                .flatten()
        })
        .expect("in elf opeenvolgende voorvoegsels is er een met een geldig controlecijfer")
}

/// The public reference `MH-XXXX-XXXX` of a submission: 40 bits from the index through a
/// bijection (odd multiplier, xor-shift), so seeded references never collide with each other,
/// and look as random as the app's own.
pub fn referentie(i: u64) -> String {
    const ALFABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const MASKER: u64 = (1 << 40) - 1;
    let mut n = i.wrapping_mul(0x9E_3779_B97F) & MASKER;
    n ^= n >> 19;
    n = n.wrapping_mul(0x5BD1_E995) & MASKER;
    let mut tekens = [0u8; 8];
    for t in tekens.iter_mut().rev() {
        *t = ALFABET[usize::try_from(n & 31).unwrap_or(0)];
        n >>= 5;
    }
    let s = String::from_utf8_lossy(&tekens).into_owned();
    format!("MH-{}-{}", &s[..4], &s[4..])
}

const VOORNAMEN: [&str; 24] = [
    "Aisha", "Bas", "Chantal", "Daan", "Esra", "Fenna", "Gerrit", "Hanna", "Ilse", "Jamal", "Kim",
    "Linda", "Mehmet", "Nadia", "Olga", "Priya", "Rachid", "Sophie", "Tamara", "Umut", "Vera",
    "Wendy", "Yusuf", "Zoë",
];
const ACHTERNAMEN: [&str; 24] = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "Öztürk",
    "Bouzid",
    "Martina",
    "Sitaldin",
];

/// A plausible Dutch name; the index keeps neighbours apart.
pub fn naam(i: u64) -> String {
    let v = usize::try_from(i % 24).unwrap_or(0);
    let a = usize::try_from((i / 24 + i * 7) % 24).unwrap_or(0);
    format!("{} {}", VOORNAMEN[v], ACHTERNAMEN[a])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsns_are_valid_distinct_and_outside_the_test_persons() {
        let mut gezien = std::collections::HashSet::new();
        for i in (0..80_000).chain([900_000]) {
            let b = bsn(i);
            let tekst = b.expose().to_string();
            assert!(tekst.starts_with('9') && !tekst.starts_with("99999"), "{i}");
            assert!(gezien.insert(tekst), "index {i} deelt een BSN");
        }
    }

    #[test]
    fn references_are_distinct_and_readable() {
        let mut gezien = std::collections::HashSet::new();
        for i in 0..80_000 {
            let r = referentie(i);
            assert_eq!(r.len(), 12);
            assert!(!r[3..].contains(['I', 'L', 'O', 'U']));
            assert!(gezien.insert(r), "index {i}");
        }
    }

    #[test]
    fn ids_are_stable_and_differ_per_kind() {
        assert_eq!(ouder(7), ouder(7));
        assert_ne!(ouder(7), aanvraag(7));
        assert_ne!(ouder(7), ouder(8));
        assert_eq!(ouder(7).get_version_num(), 8);
    }
}
