//! Retention ([I]): what is kept how long, and the round that deletes or anonymises what is past
//! its term — drafts nobody touched, settled claims after the retention period, ended sessions —
//! each step in the audit log. Runs in the server on an interval (`bewaren.interval_minuten`)
//! and at a beheerder's request.

pub mod regels;
pub mod routes;
pub mod taak;
