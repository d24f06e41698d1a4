//! Identity: who is calling. Persons and their BSN (encrypted at rest), the test persons.

pub mod bsn;
pub mod dev_keys;
pub mod login_store;
pub mod persona;
pub mod sessions;
pub mod store;
pub mod tokens;
pub mod vault;

use crate::config::Settings;

/// The vault from configuration; a bad key stops the server at start, not at first use.
pub fn vault_from(settings: &Settings) -> Result<vault::BsnVault, vault::VaultError> {
    let (keys, active, index) = settings.bsn_keys();
    vault::BsnVault::new(&keys, &active, &index)
}
