//! terraform-provider-jetbackup: manage JetBackup 5 backup policy (backup
//! jobs, destinations, schedules, account filters) with Terraform / OpenTofu.
//!
//! - [`api`]: the JetBackup 5 API client and the objects' parameter tables
//!   (no Terraform types)
//! - [`provider`]: the Terraform provider: its resources and data sources
//! - [`plugin`]: the plugin server Terraform talks to (protocol 6, go-plugin's
//!   handshake); knows no JetBackup type
//! - [`sim`]: `jetbackup-sim`, a JetBackup 5 API simulator on loopback
//! - [`sim_process`]: the simulator as a child process, with clients to it,
//!   for tests and benches
//! - [`prng`]: the one small PRNG (simulator faults and IDs, retry jitter)
//! - [`docs`]: registry-layout docs generated from the provider's schema

pub mod api;
pub mod docs;
pub mod plugin;
pub mod prng;
pub mod provider;
pub mod sim;
pub mod sim_process;
