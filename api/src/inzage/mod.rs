//! Inzage (GDPR art. 15, [I]): everything we hold about a parent, in one machine-readable
//! document — profile, claims with everything the handlers recorded (internal notes included),
//! retrieved data, consents, mandates, conversations, messages, mail sent, and the audit trail.

pub mod routes;
pub mod service;
pub mod store;
