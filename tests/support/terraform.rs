//! Finding the Terraform CLIs the scenarios run on, and the provider binary
//! Cargo built for them.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use super::process::{isolate_env, run_with_timeout};

/// Environment variable with extra Terraform CLI paths, colon-separated.
pub const EXTRA_TERRAFORM_ENV: &str = "JETBACKUP_TEST_TERRAFORM";

/// One Terraform CLI to run the end-to-end tests with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformCli {
    /// The executable (canonical path).
    pub path: PathBuf,
    /// Its version as `terraform version -json` reports it, e.g. `1.15.5`.
    pub version: String,
}

impl fmt::Display for TerraformCli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Terraform {} ({})", self.version, self.path.display())
    }
}

/// The provider binary Cargo built for this test run.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-jetbackup"))
}

/// The directory holding [`provider_binary`]: what `dev_overrides` points at.
pub fn provider_dir() -> PathBuf {
    provider_binary()
        .parent()
        .expect("the provider binary has a parent directory")
        .to_path_buf()
}

/// Every Terraform CLI available to the tests, in this order:
///
/// 1. `<CARGO_MANIFEST_DIR>/.tools/bin/terraform` (the pinned one, `make tools`);
/// 2. `terraform` found on `PATH`;
/// 3. each path in `JETBACKUP_TEST_TERRAFORM` (colon-separated).
///
/// Duplicates are dropped, by canonical path and by version (the first one
/// wins). Panics when none is found, and when a CLI that was found does not
/// run: a missing or broken Terraform fails the tests instead of skipping them.
/// The result is computed once per test binary.
pub fn terraform_clis() -> Vec<TerraformCli> {
    static CLIS: OnceLock<Vec<TerraformCli>> = OnceLock::new();
    CLIS.get_or_init(discover_terraform_clis).clone()
}

fn discover_terraform_clis() -> Vec<TerraformCli> {
    let mut candidates: Vec<PathBuf> = Vec::new();

    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin/terraform");
    if pinned.is_file() {
        candidates.push(pinned);
    }
    if let Some(on_path) = find_on_path("terraform") {
        candidates.push(on_path);
    }
    if let Some(extra) = std::env::var_os(EXTRA_TERRAFORM_ENV) {
        for p in std::env::split_paths(&extra) {
            if p.as_os_str().is_empty() {
                continue;
            }
            assert!(
                p.is_file(),
                "{EXTRA_TERRAFORM_ENV} names {}, which is not a file",
                p.display()
            );
            candidates.push(p);
        }
    }

    let mut seen_paths = HashSet::new();
    let mut seen_versions = HashSet::new();
    let mut clis = Vec::new();
    for candidate in candidates {
        let path = candidate.canonicalize().unwrap_or(candidate);
        if !seen_paths.insert(path.clone()) {
            continue;
        }
        let version = terraform_version(&path);
        if !seen_versions.insert(version.clone()) {
            continue;
        }
        clis.push(TerraformCli { path, version });
    }

    assert!(
        !clis.is_empty(),
        "no Terraform CLI found: run `make tools` (or put terraform on PATH, \
         or set {EXTRA_TERRAFORM_ENV})"
    );
    clis
}

/// Looks `name` up in `PATH` the way a shell would: the first executable file.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|p| is_executable_file(p))
}

fn is_executable_file(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Runs `<path> version -json` and returns the version; panics if it does not run.
fn terraform_version(path: &Path) -> String {
    let mut cmd = Command::new(path);
    cmd.args(["version", "-json"]);
    isolate_env(&mut cmd);
    cmd.env("TF_CLI_CONFIG_FILE", "/dev/null");
    let out = run_with_timeout(cmd, Duration::from_secs(60));
    assert!(
        out.success(),
        "{} does not run (`version -json` failed; run `make tools`?):\n{}",
        path.display(),
        out.combined()
    );
    parse_version_output(&out.stdout).unwrap_or_else(|| {
        panic!(
            "cannot read the version of {} from:\n{}",
            path.display(),
            out.combined()
        )
    })
}

/// Extracts the Terraform version from `terraform version -json` output
/// (`terraform_version`), falling back to the plain `Terraform vX.Y.Z` line.
pub fn parse_version_output(stdout: &str) -> Option<String> {
    if let Ok(json) = serde_json::from_str::<Value>(stdout) {
        if let Some(v) = json.get("terraform_version").and_then(Value::as_str) {
            return Some(v.to_string());
        }
    }
    stdout.lines().find_map(|line| {
        let v = line.trim().strip_prefix("Terraform v")?;
        let v = v.split_whitespace().next()?;
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Runs `f` once for every CLI from [`terraform_clis`], saying which one runs.
pub fn for_each_terraform(f: impl Fn(&TerraformCli)) {
    for cli in terraform_clis() {
        println!("=== running with {cli}");
        f(&cli);
        println!("=== passed with Terraform {}", cli.version);
    }
}

impl TerraformCli {
    /// `(major, minor)` of this CLI's version (`1.15.5` → `(1, 15)`).
    pub fn minor_version(&self) -> (u32, u32) {
        let mut parts = self.version.split('.').map(|p| {
            p.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse::<u32>()
                .unwrap_or(0)
        });
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    }

    /// Whether this CLI has `feature`, introduced in Terraform `since`; if
    /// not, says so on stderr (the scenario is skipped on this CLI, by its
    /// version, never by a failure).
    pub fn supports(&self, since: (u32, u32), feature: &str) -> bool {
        let ok = self.minor_version() >= since;
        if !ok {
            eprintln!(
                "=== skipped on Terraform {}: it has no {feature} (Terraform {}.{} and later)",
                self.version, since.0, since.1
            );
        }
        ok
    }
}

/// Resource identity (`import { identity = … }`): Terraform 1.12.
pub const IDENTITY_SINCE: (u32, u32) = (1, 12);
/// Write-only arguments: Terraform 1.11.
pub const WRITE_ONLY_SINCE: (u32, u32) = (1, 11);
/// List resources and `terraform query`: Terraform 1.14.
pub const QUERY_SINCE: (u32, u32) = (1, 14);
/// Actions (`action` blocks, `-invoke`, `action_trigger`): Terraform 1.14.
pub const ACTIONS_SINCE: (u32, u32) = (1, 14);
