//! Configuration text: the provider's addresses, the CLI configuration with
//! `dev_overrides`, and the Terraform configurations the scenarios share.

use std::path::Path;

/// The provider's source address as the configurations spell it.
pub const PROVIDER_SOURCE: &str = "jetbackup-community/jetbackup";

/// The provider's fully-qualified address in Terraform's registry namespace.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/jetbackup-community/jetbackup";

/// The same provider as OpenTofu names it.
pub const PROVIDER_ADDRESS_OPENTOFU: &str = "registry.opentofu.org/jetbackup-community/jetbackup";

/// A CLI configuration with `dev_overrides` for the provider pointing at `dir`.
pub fn dev_overrides_cli_config(dir: &Path) -> String {
    let dir = hcl_string(&dir.display().to_string());
    format!(
        r#"provider_installation {{
  dev_overrides {{
    "{PROVIDER_ADDRESS}" = "{dir}"
    "{PROVIDER_ADDRESS_OPENTOFU}" = "{dir}"
  }}
  direct {{}}
}}
"#
    )
}

/// Escapes `s` for use inside an HCL double-quoted string.
pub fn hcl_string(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// The `terraform` block every test configuration starts with.
pub const REQUIRED_PROVIDERS: &str = r#"terraform {
  required_providers {
    jetbackup = { source = "jetbackup-community/jetbackup" }
  }
}
"#;

/// A configuration of `n` accounts jobs `jetbackup_backup_job.<resource>`
/// named `<name_prefix>-<index>` (`name_prefix` may be an HCL
/// interpolation), with `extra` attribute lines, an empty provider block
/// (settings come from the environment) and [`REQUIRED_PROVIDERS`].
pub fn counted_jobs_config(resource: &str, name_prefix: &str, n: usize, extra: &str) -> String {
    let dest = jetbackup::sim::seed::DEST_LOCAL_ID;
    format!(
        r#"{REQUIRED_PROVIDERS}provider "jetbackup" {{}}

resource "jetbackup_backup_job" "{resource}" {{
  count       = {n}
  name        = "{name_prefix}-${{count.index}}"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{dest}"]
  {extra}
}}
"#
    )
}

/// A whole configuration: the provider requirements, an empty provider block
/// (settings come from the environment) and `resources`.
pub fn config(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}provider \"jetbackup\" {{}}\n\n{resources}")
}
