//! Restorative conversations ([G]): experts' schedules, bookable slots computed from them
//! (DST-correct), bookings that the database keeps apart (occupancy cells under a unique index),
//! and cancellation within the notice rules.

pub mod boeking;
pub mod ics;
pub mod instellingen;
pub mod model;
pub mod rooster;
pub mod routes;
pub mod service;
pub mod store;
pub mod tijden;
pub mod wijziging;
