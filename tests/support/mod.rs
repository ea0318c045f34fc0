//! Shared harness for the end-to-end tests that drive a real Terraform CLI
//! against this package's provider binary.
//!
//! Use it from an integration test with `mod support;`. Typical use:
//!
//! ```ignore
//! mod support;
//!
//! #[test]
//! fn apply_then_plan_is_empty() {
//!     support::for_each_terraform(|cli| {
//!         let ws = support::Workspace::new(cli, &[("JETBACKUP_ENDPOINT", &url), ("JETBACKUP_API_TOKEN", "t")]);
//!         ws.write_config(r#"resource "jetbackup_backup_job" "x" { ... }"#);
//!         ws.apply().expect_success("apply");
//!         assert_eq!(ws.plan_detailed().code, 0);
//!         ws.destroy().expect_success("destroy");
//!     });
//! }
//! ```
//!
//! The provider comes from `CARGO_BIN_EXE_terraform-provider-jetbackup` (the
//! binary Cargo builds for integration tests) through a `dev_overrides` CLI
//! configuration, so no `terraform init` and no network is needed.
//!
//! Terraform CLIs come from [`terraform_clis`]: the pinned one in `.tools/`
//! (`make tools`), any `terraform` on `PATH`, and `JETBACKUP_TEST_TERRAFORM`.
//! Not finding any is a test failure, never a silent pass.

// Each test binary uses only part of the harness.
//!
//! - [`terraform`]: finding the Terraform CLIs and the provider binary
//! - [`process`]: running a command in its own process group, with a timeout
//! - [`workspace`]: a Terraform working directory and its commands
//! - [`hcl`]: configuration text (provider addresses, `dev_overrides`)
//! - [`simulator`]: `jetbackup-sim` and API-client helpers
//! - [`fixture`]: a simulator, a workspace and a client together
//! - [`lifecycle`]: the provider's typed lifecycle in-process, for property tests
//! - [`planfile`]: the members of a saved plan, inflated

// Each test binary uses only part of the harness (and of its re-exports).
#![allow(dead_code, unused_imports)]

pub mod fixture;
pub mod hcl;
pub mod lifecycle;
pub mod planfile;
pub mod process;
pub mod simulator;
pub mod terraform;
pub mod workspace;

pub use fixture::Fixture;
pub use hcl::{
    config, counted_jobs_config, dev_overrides_cli_config, hcl_string, PROVIDER_ADDRESS,
    PROVIDER_ADDRESS_OPENTOFU, PROVIDER_SOURCE, REQUIRED_PROVIDERS,
};
pub use process::{isolate_env, kill_process_group, run_in_group, Finished, TfOutput};
pub use simulator::{closed_port, fast_retries, minimal_job, server_jobs, sim};
pub use terraform::{
    find_on_path, for_each_terraform, parse_version_output, provider_binary, provider_dir,
    terraform_clis, TerraformCli, ACTIONS_SINCE, EXTRA_TERRAFORM_ENV, IDENTITY_SINCE, QUERY_SINCE,
    WRITE_ONLY_SINCE,
};
pub use workspace::{Workspace, COMMAND_TIMEOUT};
