//! Liveness and readiness, for monitoring and load balancers.

pub mod model;
pub mod routes;
