//! Mijn Herstel API: route B of the Dutch recovery operation for the childcare-benefits scandal.
//! See `../shared/design/ARCHITECTURE.md` for the shape; each capability is one module with
//! `routes.rs` (thin handlers) → `service.rs` (rules) → `store.rs` (database) and `model.rs` (DTOs).

pub mod audit;
pub mod bewaren;
pub mod bewijs;
pub mod claims;
pub mod config;
pub mod db;
pub mod demo;
pub mod gegevens;
pub mod gesprek;
pub mod health;
pub mod http;
pub mod identity;
pub mod inzage;
pub mod machtiging;
pub mod notify;
pub mod openapi;
pub mod startup;
pub mod telemetry;
pub mod wizard;

pub use startup::{AppState, Application, ExtraRoutes};
