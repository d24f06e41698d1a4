//! Claims (aanvragen): the claim, its answers and its stored calculation, its lifecycle. [C]
//! built the draft (create, answer step by step, choose per post, move to new content); [D]
//! adds the lifecycle (`levensloop`: submit, withdraw, the status timeline).

pub mod aanbod_service;
pub mod afwikkeling;
pub mod afwikkeling_model;
pub mod afwikkeling_routes;
pub mod afwikkeling_store;
pub mod behandeling;
pub mod behandeling_routes;
pub mod behandeling_service;
pub mod beoordeling_service;
pub mod indiening;
pub mod levensloop;
pub mod levensloop_model;
pub mod levensloop_routes;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
pub mod uitbetaling_service;
pub mod vragenlijst;
pub mod weergave;
