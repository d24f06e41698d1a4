//! BSNs at rest: AES-256-GCM with a key id (so keys can rotate: new writes use the active key,
//! old rows stay readable with theirs), the person's id as associated data (a ciphertext copied to
//! another row does not decrypt), and an HMAC-SHA256 blind index for "find the person with this BSN"
//! without decrypting anything.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Key, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::bsn::Bsn;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("sleutel {0} is niet geconfigureerd")]
    UnknownKey(String),
    #[error("sleutel {0} is geen base64 van 32 bytes")]
    BadKey(String),
    #[error("ontsleutelen mislukt")]
    Decrypt,
}

/// Ciphertext as stored: `nonce (12 bytes) || ciphertext+tag`, and the id of the key used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub bytes: Vec<u8>,
}

pub struct BsnVault {
    keys: BTreeMap<String, Aes256Gcm>,
    active: String,
    index_key: Vec<u8>,
}

impl BsnVault {
    /// `keys`: key id → base64 of 32 bytes; `index_key`: base64, at least 32 bytes.
    pub fn new(
        keys: &BTreeMap<String, String>,
        active: &str,
        index_key: &str,
    ) -> Result<BsnVault, VaultError> {
        let mut ciphers = BTreeMap::new();
        for (id, encoded) in keys {
            let raw = B64
                .decode(encoded)
                .map_err(|_| VaultError::BadKey(id.clone()))?;
            let bytes: [u8; 32] = raw.try_into().map_err(|_| VaultError::BadKey(id.clone()))?;
            ciphers.insert(id.clone(), Aes256Gcm::new(&Key::<Aes256Gcm>::from(bytes)));
        }
        if !ciphers.contains_key(active) {
            return Err(VaultError::UnknownKey(active.to_string()));
        }
        let index_key = B64
            .decode(index_key)
            .map_err(|_| VaultError::BadKey("index".into()))?;
        if index_key.len() < 32 {
            return Err(VaultError::BadKey("index".into()));
        }
        Ok(BsnVault {
            keys: ciphers,
            active: active.to_string(),
            index_key,
        })
    }

    /// Encrypts for the row of person `owner`.
    pub fn seal(&self, bsn: &Bsn, owner: &str) -> Sealed {
        self.seal_bytes(bsn.expose().as_bytes(), owner)
    }

    pub fn open(&self, sealed: &Sealed, owner: &str) -> Result<Bsn, VaultError> {
        let text = self.open_bytes(sealed, owner)?;
        Bsn::parse(&text).map_err(|_| VaultError::Decrypt)
    }

    /// Seals other personal data kept for one row (e.g. a bank account), as `key_id:base64`.
    /// `owner` binds it to that row: a sealed value copied to another row does not open.
    pub fn seal_text(&self, text: &str, owner: &str) -> String {
        let sealed = self.seal_bytes(text.as_bytes(), owner);
        format!("{}:{}", sealed.key_id, B64.encode(&sealed.bytes))
    }

    pub fn open_text(&self, stored: &str, owner: &str) -> Result<String, VaultError> {
        let (key_id, encoded) = stored.split_once(':').ok_or(VaultError::Decrypt)?;
        let bytes = B64.decode(encoded).map_err(|_| VaultError::Decrypt)?;
        self.open_bytes(
            &Sealed {
                key_id: key_id.to_string(),
                bytes,
            },
            owner,
        )
    }

    fn seal_bytes(&self, plaintext: &[u8], owner: &str) -> Sealed {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).expect("besturingssysteem levert willekeur");
        let cipher = &self.keys[&self.active];
        let ciphertext = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: owner.as_bytes(),
                },
            )
            .expect("AES-GCM versleutelt elke invoer van deze lengte");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ciphertext);
        Sealed {
            key_id: self.active.clone(),
            bytes,
        }
    }

    fn open_bytes(&self, sealed: &Sealed, owner: &str) -> Result<String, VaultError> {
        let cipher = self
            .keys
            .get(&sealed.key_id)
            .ok_or_else(|| VaultError::UnknownKey(sealed.key_id.clone()))?;
        if sealed.bytes.len() < 12 + 16 {
            return Err(VaultError::Decrypt);
        }
        let (nonce, ciphertext) = sealed.bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| VaultError::Decrypt)?;
        let plaintext = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Decrypt)?;
        String::from_utf8(plaintext).map_err(|_| VaultError::Decrypt)
    }

    /// Deterministic, keyed: equal BSNs give equal indexes; without the key it reveals nothing.
    pub fn blind_index(&self, bsn: &Bsn) -> String {
        let mut mac =
            <Hmac<Sha256>>::new_from_slice(&self.index_key).expect("HMAC neemt elke sleutellengte");
        mac.update(b"mijn-herstel/bsn/v1:");
        mac.update(bsn.expose().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A keyed pseudonym of an internal id, for the processing log's data-subject id: stable
    /// per person, meaningless without the key, never the BSN.
    pub fn pseudonym(&self, id: &str) -> String {
        let mut mac =
            <Hmac<Sha256>>::new_from_slice(&self.index_key).expect("HMAC neemt elke sleutellengte");
        mac.update(b"mijn-herstel/betrokkene/v1:");
        mac.update(id.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A keyed digest for short secrets stored by other capabilities (e.g. an e-mail code): with
    /// the key, a stolen table cannot be brute-forced offline. `domain` separates the uses.
    pub fn digest(&self, domain: &str, value: &str) -> String {
        let mut mac =
            <Hmac<Sha256>>::new_from_slice(&self.index_key).expect("HMAC neemt elke sleutellengte");
        mac.update(b"mijn-herstel/");
        mac.update(domain.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn active_key_id(&self) -> &str {
        &self.active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(active: &str) -> BsnVault {
        let keys = BTreeMap::from([
            ("k1".to_string(), B64.encode([1u8; 32])),
            ("k2".to_string(), B64.encode([2u8; 32])),
        ]);
        BsnVault::new(&keys, active, &B64.encode([9u8; 32])).unwrap()
    }

    #[test]
    fn round_trips_and_hides_the_digits() {
        let v = vault("k1");
        let bsn = Bsn::parse("999993653").unwrap();
        let sealed = v.seal(&bsn, "persoon-1");
        assert_eq!(sealed.key_id, "k1");
        assert!(!String::from_utf8_lossy(&sealed.bytes).contains("999993653"));
        assert_eq!(v.open(&sealed, "persoon-1").unwrap(), bsn);
        assert_ne!(
            v.seal(&bsn, "persoon-1").bytes,
            sealed.bytes,
            "a fresh nonce every time"
        );
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_does_not_open() {
        let v = vault("k1");
        let sealed = v.seal(&Bsn::parse("999993653").unwrap(), "persoon-1");
        assert!(matches!(
            v.open(&sealed, "persoon-2"),
            Err(VaultError::Decrypt)
        ));
    }

    #[test]
    fn other_text_is_sealed_per_row_too() {
        let v = vault("k1");
        let stored = v.seal_text("NL91ABNA0417164300", "iban:a");
        assert!(!stored.contains("0417164300"));
        assert_eq!(
            v.open_text(&stored, "iban:a").unwrap(),
            "NL91ABNA0417164300"
        );
        assert!(v.open_text(&stored, "iban:b").is_err());
    }

    #[test]
    fn rotation_keeps_old_rows_readable() {
        let bsn = Bsn::parse("999990019").unwrap();
        let old = vault("k1").seal(&bsn, "p");
        let rotated = vault("k2");
        assert_eq!(rotated.open(&old, "p").unwrap(), bsn);
        assert_eq!(rotated.seal(&bsn, "p").key_id, "k2");
    }

    #[test]
    fn blind_index_is_stable_and_keyed() {
        let bsn = Bsn::parse("999993653").unwrap();
        assert_eq!(vault("k1").blind_index(&bsn), vault("k2").blind_index(&bsn));
        assert_ne!(
            vault("k1").blind_index(&bsn),
            vault("k1").blind_index(&Bsn::parse("999990019").unwrap())
        );
        assert!(!vault("k1").blind_index(&bsn).contains("999993653"));
    }

    #[test]
    fn refuses_bad_keys() {
        let keys = BTreeMap::from([("k1".to_string(), B64.encode([1u8; 16]))]);
        assert!(matches!(
            BsnVault::new(&keys, "k1", &B64.encode([9u8; 32])),
            Err(VaultError::BadKey(_))
        ));
        let keys = BTreeMap::from([("k1".to_string(), B64.encode([1u8; 32]))]);
        assert!(matches!(
            BsnVault::new(&keys, "k9", &B64.encode([9u8; 32])),
            Err(VaultError::UnknownKey(_))
        ));
    }
}
