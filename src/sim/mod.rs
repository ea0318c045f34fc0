//! `jetbackup-sim`: a JetBackup 5 API simulator on loopback, for tests.
//!
//! It serves the API entry point and authentication of one panel (cPanel/WHM,
//! DirectAdmin or panel-less Linux) over HTTP or HTTPS, implements the backup
//! job, schedule, account filter, destination, hook and notification
//! integration functions with the validation rules the reference documents
//! (and, where it documents nothing, rules marked "Inferred" in the code),
//! and can add latency and inject faults deterministically. Every object but
//! a job is stored as the [`crate::api::object::Record`] its table's request
//! made.
//!
//! - [`config`]: command-line options
//! - [`server`]: HTTP(S) serving, auth, faults, `/__sim/stats`
//! - [`store`]: the data and the dispatch of API functions
//! - [`table_write`]: the writes of every table-described kind, with each
//!   kind's rules in [`backup_job`] (its own rules around the one request
//!   check, and `duplicateBackupJob`), [`schedule`],
//!   [`account_filter`], [`hook`], [`notification_integration`] and
//!   [`destination`] (below)
//! - [`write`]: what every object's write shares (its outcome, `action`, `_id`,
//!   fresh IDs, the reference check, masked secrets)
//! - [`render`]: objects as the server returns them, derived fields included
//! - [`run`]: manual runs of backup jobs (running flag, `last_run`), by job ID
//! - [`persist`]: the state file, written atomically
//! - [`object_request`]: decoding and checking every `manage*` request by its table
//! - [`destination`]: destinations, with plugins, masked secrets and in-use deletes
//! - [`listing`]: paging, sorting and `find` for every `list*` function
//! - [`seed`]: the built-in seed and its fixed IDs, seed/state files
//! - [`form`], [`clock`], [`objectid`], [`faults`]: helpers

pub mod account_filter;
pub mod backup_job;
pub mod clock;
pub mod config;
pub mod destination;
pub mod faults;
pub mod form;
pub mod hook;
pub mod listing;
pub mod notification_integration;
pub mod object_request;
pub mod objectid;
pub mod persist;
pub mod render;
pub mod run;
pub mod schedule;
pub mod seed;
pub mod server;
pub mod store;
pub mod table_write;
pub mod write;
