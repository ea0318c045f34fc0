//! The sides of the comparison and the phases each runs: the provider
//! binaries under measurement, a side's Terraform working directory and
//! environment, the configurations, and one timed Terraform command.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use jetbackup::sim_process::SimProcess;

use crate::support;
use crate::support::{TerraformCli, Workspace};
use crate::usage::Poller;
use crate::COMMAND_TIMEOUT;

// ---------------------------------------------------------------------------
// Sides and phases

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Phase {
    Create,
    Plan,
    Noop,
    Update,
    Destroy,
}

pub(crate) const PHASES: [Phase; 5] = [
    Phase::Create,
    Phase::Plan,
    Phase::Noop,
    Phase::Update,
    Phase::Destroy,
];

impl Phase {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Phase::Create => "apply (create)",
            Phase::Plan => "plan (refresh)",
            Phase::Noop => "apply (no-op)",
            Phase::Update => "apply (update)",
            Phase::Destroy => "destroy",
        }
    }

    pub(crate) fn args(self) -> &'static [&'static str] {
        // -parallelism=10 is Terraform's default, spelled out.
        match self {
            Phase::Create | Phase::Noop => {
                &["apply", "-auto-approve", "-input=false", "-parallelism=10"]
            }
            Phase::Plan => &[
                "plan",
                "-input=false",
                "-detailed-exitcode",
                "-parallelism=10",
            ],
            Phase::Update => &[
                "apply",
                "-auto-approve",
                "-input=false",
                "-parallelism=10",
                "-var=prefix=renamed",
            ],
            Phase::Destroy => &[
                "destroy",
                "-auto-approve",
                "-input=false",
                "-parallelism=10",
                "-var=prefix=renamed",
            ],
        }
    }

    /// Checks that the command did what the phase is about.
    pub(crate) fn check(self, side: &str, out: &CmdOutput, n: usize) {
        let ok = match self {
            Phase::Plan => out.code == 0,
            _ if out.code != 0 => false,
            Phase::Create => out
                .text()
                .contains(&format!("{n} added, 0 changed, 0 destroyed")),
            Phase::Noop => {
                out.text().contains("No changes.")
                    || out.text().contains("0 added, 0 changed, 0 destroyed")
            }
            Phase::Update => out
                .text()
                .contains(&format!("0 added, {n} changed, 0 destroyed")),
            Phase::Destroy => out.text().contains(&format!("{n} destroyed")),
        };
        if !ok {
            panic!(
                "bench: {} of {side} did not do what it should (exit {}):\n--- stdout ---\n{}\n--- stderr ---\n{}",
                self.label(),
                out.code,
                tail(&out.stdout, 4000),
                tail(&out.stderr, 4000)
            );
        }
    }
}

pub(crate) fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// One side of the comparison: a Terraform working directory, its
/// environment, and for the provider sides their own simulator.
pub(crate) struct Side {
    pub(crate) name: String,
    pub(crate) ws: Workspace,
    pub(crate) env: Vec<(String, String)>,
    /// The plugin binary this side runs (None: Terraform's built-in provider).
    pub(crate) plugin: Option<PathBuf>,
    pub(crate) sim: Option<SimProcess>,
}

impl Side {
    pub(crate) fn run(&self, args: &[&str], poller: Option<&Poller>) -> CmdOutput {
        let mut cmd = Command::new(&self.ws.cli().path);
        let mut args: Vec<&str> = args.to_vec();
        args.insert(1, "-no-color");
        cmd.args(&args).current_dir(self.ws.dir());
        support::isolate_env(&mut cmd);
        cmd.env("TF_CLI_CONFIG_FILE", self.ws.cli_config_path())
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_INPUT", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        run_timed(cmd, COMMAND_TIMEOUT, |pid| {
            if let Some(p) = poller {
                p.watch(pid)
            }
        })
    }
}

pub(crate) struct CmdOutput {
    pub(crate) code: i32,
    pub(crate) elapsed: Duration,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl CmdOutput {
    pub(crate) fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Runs `cmd` in its own process group and times it from spawn to exit (the
/// test harness's [`support::run_in_group`]: a blocking wait, no polling
/// granularity in the measurement).
pub(crate) fn run_timed(cmd: Command, timeout: Duration, on_spawn: impl FnOnce(u32)) -> CmdOutput {
    let done = support::run_in_group(cmd, timeout, on_spawn);
    CmdOutput {
        code: done.code,
        elapsed: done.elapsed,
        stdout: done.stdout,
        stderr: done.stderr,
    }
}

// ---------------------------------------------------------------------------
// Configurations

pub(crate) fn jobs_config(n: usize) -> String {
    format!(
        "{}\nvariable \"prefix\" {{\n  type    = string\n  default = \"bench\"\n}}\n",
        support::counted_jobs_config("j", "${var.prefix}", n, "")
    )
}

pub(crate) fn data_config(n: usize) -> String {
    format!(
        r#"variable "prefix" {{
  type    = string
  default = "bench"
}}

resource "terraform_data" "d" {{
  count = {n}
  input = "${{var.prefix}}-${{count.index}}"
}}
"#
    )
}

pub(crate) fn pinned_terraform() -> TerraformCli {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = std::env::var_os("JETBACKUP_BENCH_TERRAFORM")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".tools/bin/terraform"));
    assert!(
        path.is_file(),
        "bench: {} not found: run `make tools` (or set JETBACKUP_BENCH_TERRAFORM)",
        path.display()
    );
    let out = Command::new(&path)
        .args(["version", "-json"])
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run terraform version");
    let version = support::parse_version_output(&String::from_utf8_lossy(&out.stdout))
        .unwrap_or_else(|| panic!("bench: cannot read the version of {}", path.display()));
    TerraformCli {
        path: path.canonicalize().unwrap_or(path),
        version,
    }
}

/// A provider binary under measurement, in a directory of its own as
/// `terraform-provider-jetbackup` (what `dev_overrides` looks for).
pub(crate) struct ProviderBin {
    pub(crate) label: &'static str,
    pub(crate) exe: PathBuf,
    pub(crate) dir: PathBuf,
    pub(crate) size: u64,
    /// Where it came from, for the header.
    pub(crate) origin: String,
}

impl ProviderBin {
    /// `binary` where it is when it is named `terraform-provider-jetbackup`,
    /// otherwise a copy of it under `scratch`.
    pub(crate) fn new(
        label: &'static str,
        binary: &Path,
        scratch: &Path,
        origin: String,
    ) -> ProviderBin {
        let binary = binary
            .canonicalize()
            .unwrap_or_else(|e| panic!("bench: {}: {e}", binary.display()));
        let exe = if binary.file_name().and_then(|n| n.to_str()) == Some(PROVIDER_FILE) {
            binary.clone()
        } else {
            let dir = scratch.join(label);
            std::fs::create_dir_all(&dir).expect("create a provider directory");
            let dest = dir.join(PROVIDER_FILE);
            std::fs::copy(&binary, &dest).expect("copy the provider");
            dest.canonicalize().expect("the copied provider")
        };
        let size = std::fs::metadata(&exe).expect("provider metadata").len();
        ProviderBin {
            label,
            dir: exe.parent().expect("a parent directory").to_path_buf(),
            exe,
            size,
            origin,
        }
    }
}

pub(crate) const PROVIDER_FILE: &str = "terraform-provider-jetbackup";

/// The provider under test: `JETBACKUP_BENCH_PROVIDER` (what `make bench`
/// sets: the `--release` binary, built with `panic = "abort"` as shipped),
/// else the one Cargo built for this bench (`CARGO_BIN_EXE_…`), which Cargo
/// builds with `panic = "unwind"` for benches and is therefore a little larger.
pub(crate) fn provider_under_test(scratch: &Path) -> ProviderBin {
    match std::env::var_os("JETBACKUP_BENCH_PROVIDER").filter(|v| !v.is_empty()) {
        Some(p) => ProviderBin::new(
            "provider",
            Path::new(&p),
            scratch,
            "JETBACKUP_BENCH_PROVIDER: release profile".to_string(),
        ),
        None => ProviderBin::new(
            "provider",
            &support::provider_binary(),
            scratch,
            "CARGO_BIN_EXE: bench profile (release settings, but panic=unwind)".to_string(),
        ),
    }
}
