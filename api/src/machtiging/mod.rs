//! Mandates ([F]): lawyers acting as gemachtigde under the parent's control. Either party starts
//! one and the other confirms; the scopes are a fixed set the parent can change at any time; an
//! end date is mandatory; revocation by the parent or ending by the lawyer works at once, also
//! for tokens already issued, because the one authorisation function reads the mandate on every
//! request. The lawyer acts with a token whose `sub` is the lawyer and `represents` the parent;
//! the parent reads everything the lawyer did in plain words.

pub mod bevoegdheid;
pub mod digid;
pub mod inzage;
pub mod model;
pub mod rechter;
pub mod routes;
pub mod service;
pub mod store;
pub mod wijziging;
