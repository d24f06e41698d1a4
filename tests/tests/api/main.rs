//! Black-box tests of the platform (issue [A]). Each `db_test!` runs on SQLite and PostgreSQL.

mod access;
mod bewaren;
mod claims;
mod concurrency;
mod contract;
mod demo;
mod errors;
mod evidence;
mod gegevens;
mod gesprekken;
mod gesprekken_beheer;
mod handling;
mod idempotency;
mod interop;
mod inzage;
mod lifecycle;
mod login;
mod machtigingen;
mod matrix;
mod matrix_wereld;
mod misbruik;
mod notify;
mod pagination;
mod platform;
mod settlement;
mod uitbetaling;
