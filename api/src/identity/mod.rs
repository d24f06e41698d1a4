//! Identity: who is calling. Persons and their BSN (encrypted at rest), the test persons.

pub mod bsn;
pub mod dev_idp;
pub mod dev_keys;
pub mod login;
pub mod login_store;
pub mod model;
pub mod oidc;
pub mod persona;
pub mod provider;
pub mod routes;
pub mod sessions;
pub mod store;
pub mod toegang;
pub mod tokens;
pub mod vault;

use crate::config::Settings;

/// The vault from configuration; a bad key stops the server at start, not at first use.
pub fn vault_from(settings: &Settings) -> Result<vault::BsnVault, vault::VaultError> {
    let (keys, active, index) = settings.bsn_keys();
    vault::BsnVault::new(&keys, &active, &index)
}

/// Our token service from configuration; a bad key stops the server at start.
pub fn tokens_from(settings: &Settings) -> Result<tokens::TokenService, tokens::TokenError> {
    let (keys, active) = settings.token_keys();
    Ok(tokens::TokenService {
        keys: tokens::TokenKeys::from_pems(&keys, &active)?,
        settings: crate::config::TokenSettings {
            issuer: if settings.tokens.issuer.is_empty() {
                settings.origin().to_string()
            } else {
                settings.tokens.issuer.clone()
            },
            ..settings.tokens.clone()
        },
    })
}
