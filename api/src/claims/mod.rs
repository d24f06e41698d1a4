//! Claims (aanvragen): the claim, its answers and its stored calculation, its lifecycle. This
//! part ([C]) covers the draft: create, answer step by step, choose per post, move to new content.

pub mod model;
pub mod routes;
pub mod service;
pub mod store;
pub mod vragenlijst;
