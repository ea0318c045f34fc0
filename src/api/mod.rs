//! The JetBackup 5 API client and the parameter tables of the objects it
//! writes. Knows nothing of Terraform.
//!
//! - [`wire`]: PHP bracket notation, percent-encoding, form parsing
//! - [`envelope`]: the reply envelope; [`wire_json`]: JetBackup's loose JSON
//!   spellings as strict types; [`lenient`]: forgiving readings of single
//!   raw values, for code that reads JSON by a table rather than a model
//! - [`table`]: the vocabulary every parameter table is written in
//!   (`Choice`, `Role`, `Fixed`)
//! - [`job`]: the `manageBackupJob` parameter table and the job models
//! - [`object`]: the tables of schedules, account filters, destinations,
//!   hooks and notification integrations, and [`object::Record`], any of
//!   them in its wire form (read only through its table)
//! - [`objectid`]: the form of a JetBackup ID
//! - [`models`]: what every `list*` shares (the page, the query)
//! - [`transport`]: HTTPS per panel, or the local `jetbackup5api` command
//! - [`function`]: the API functions used, each declared reading or writing
//! - [`client`]: one typed method per API function
//! - [`error`]: the one error type
//! - [`stop`]: the stop request that ends waits when Terraform is interrupted

pub mod client;
pub mod envelope;
pub mod error;
pub mod function;
pub mod job;
pub mod lenient;
pub mod models;
pub mod object;
pub mod objectid;
pub mod quote;
pub mod secrets;
pub mod stop;
pub mod table;
pub mod transport;
pub mod wire;
pub mod wire_json;

pub use client::{Client, ClientOptions, ClientStats};
pub use error::ApiError;
pub use stop::StopSignal;
