//! terraform-provider-jetbackup: manage JetBackup 5 backup jobs with
//! Terraform / OpenTofu.
//!
//! - [`api`]: the JetBackup 5 API client (no Terraform types)
//! - [`sim`]: `jetbackup-sim`, a JetBackup 5 API simulator on loopback
//! - [`provider`]: the Terraform provider and the `jetbackup_backup_job` resource
//! - [`prng`]: the one small PRNG (simulator faults and IDs, retry jitter)
//! - [`docs`]: registry-layout docs generated from the provider's schema

pub mod api;
pub mod docs;
pub mod prng;
pub mod provider;
pub mod sim;
