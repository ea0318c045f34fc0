//! [`Workspace`]: a Terraform working directory in a temporary directory,
//! with its own CLI configuration and environment, and its commands.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use super::hcl::dev_overrides_cli_config;
use super::process::{isolate_env, run_with_timeout, TfOutput};
use super::terraform::{provider_dir, TerraformCli};

/// How long one Terraform command may run before it is killed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Subcommands that accept `-no-color` right after the subcommand name.
const NO_COLOR_SUBCOMMANDS: &[&str] = &[
    "init", "validate", "plan", "apply", "destroy", "refresh", "import", "show", "output", "get",
    "graph", "console", "test", "taint", "untaint",
];

/// A Terraform working directory in a fresh temporary directory, with its
/// own CLI configuration and environment. Removed when dropped.
///
/// Every command runs in the directory with `TF_CLI_CONFIG_FILE`,
/// `TF_IN_AUTOMATION=1`, `CHECKPOINT_DISABLE=1`, `TF_INPUT=0`, the given
/// environment pairs, no stdin, and `-no-color` where the subcommand takes
/// it. Inherited `TF_*` and `JETBACKUP_*` variables and `RUST_BACKTRACE` /
/// `RUST_LIB_BACKTRACE` are removed, so the developer's own settings cannot
/// leak into a test.
pub struct Workspace {
    root: tempfile::TempDir,
    dir: PathBuf,
    cli_config: PathBuf,
    cli: TerraformCli,
    env: Vec<(String, String)>,
}

impl Workspace {
    /// A workspace whose CLI configuration points `dev_overrides` for the
    /// provider (Terraform and OpenTofu addresses) at [`provider_dir`].
    pub fn new(cli: &TerraformCli, env: &[(&str, &str)]) -> Self {
        Self::with_cli_config(cli, env, &dev_overrides_cli_config(&provider_dir()))
    }

    /// A workspace with the given CLI configuration (HCL) instead.
    pub fn with_cli_config(cli: &TerraformCli, env: &[(&str, &str)], cli_config: &str) -> Self {
        let root = tempfile::Builder::new()
            .prefix("jetbackup-tf-")
            .tempdir()
            .expect("create a temporary directory");
        let dir = root.path().join("work");
        std::fs::create_dir(&dir).expect("create the working directory");
        let cli_config_path = root.path().join("terraform.rc");
        std::fs::write(&cli_config_path, cli_config).expect("write the CLI configuration");
        Workspace {
            root,
            dir,
            cli_config: cli_config_path,
            cli: cli.clone(),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The working directory (where main.tf and the state live).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The temporary directory that holds the working directory and the CLI
    /// configuration; free for other files a test needs.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The CLI configuration file given to Terraform.
    pub fn cli_config_path(&self) -> &Path {
        &self.cli_config
    }

    /// The CLI this workspace runs.
    pub fn cli(&self) -> &TerraformCli {
        &self.cli
    }

    /// Writes `content` to `name` (relative to [`Self::dir`]), creating parent
    /// directories.
    pub fn write_file(&self, name: &str, content: &str) {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent directories");
        }
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Writes the configuration as `main.tf`, replacing the previous one.
    pub fn write_config(&self, hcl: &str) {
        self.write_file("main.tf", hcl);
    }

    /// Runs `terraform <args>` in the workspace (see the type's docs for the
    /// environment). Never panics on a failing command: check the output.
    pub fn run(&self, args: &[&str]) -> TfOutput {
        self.run_with_env(args, &[])
    }

    /// [`Self::run`] with `extra` environment pairs for this command only
    /// (e.g. `TF_VAR_…` for an ephemeral variable: an environment variable,
    /// unlike `-var`, is not in Terraform's log of its arguments).
    pub fn run_with_env(&self, args: &[&str], extra: &[(&str, &str)]) -> TfOutput {
        let args = with_no_color(args);
        let mut cmd = Command::new(&self.cli.path);
        cmd.args(&args).current_dir(&self.dir);
        isolate_env(&mut cmd);
        cmd.env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_INPUT", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        run_with_timeout(cmd, COMMAND_TIMEOUT)
    }

    /// `terraform init -input=false` (not needed with `dev_overrides`).
    pub fn init(&self) -> TfOutput {
        self.run(&["init", "-input=false"])
    }

    /// `terraform apply -auto-approve -input=false`.
    pub fn apply(&self) -> TfOutput {
        self.run(&["apply", "-auto-approve", "-input=false"])
    }

    /// `terraform plan -detailed-exitcode -input=false`: exit 0 = no changes,
    /// 2 = changes, 1 = error.
    pub fn plan_detailed(&self) -> TfOutput {
        self.run(&["plan", "-detailed-exitcode", "-input=false"])
    }

    /// `terraform destroy -auto-approve -input=false`.
    pub fn destroy(&self) -> TfOutput {
        self.run(&["destroy", "-auto-approve", "-input=false"])
    }

    /// `terraform import -input=false <addr> <id>`.
    pub fn import(&self, addr: &str, id: &str) -> TfOutput {
        self.run(&["import", "-input=false", addr, id])
    }

    /// The IDs of every `jetbackup_backup_job` in the state file, read
    /// directly (no Terraform run); empty when there is no state yet (no
    /// file, or the empty file a Terraform killed mid-write leaves, which
    /// Terraform itself reads as no state).
    pub fn state_job_ids(&self) -> std::collections::BTreeSet<String> {
        let text = std::fs::read_to_string(self.dir.join("terraform.tfstate")).unwrap_or_default();
        if text.trim().is_empty() {
            return Default::default();
        }
        let state: Value = serde_json::from_str(&text).expect("the state file is JSON");
        state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["type"] == "jetbackup_backup_job")
            .flat_map(|r| r["instances"].as_array().cloned().unwrap_or_default())
            .filter_map(|i| i["attributes"]["id"].as_str().map(str::to_string))
            .collect()
    }

    /// `terraform show -json`, parsed; panics if it fails.
    pub fn show_json(&self) -> Value {
        let out = self
            .run(&["show", "-json"])
            .expect_success("terraform show -json");
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("terraform show -json printed invalid JSON ({e}):\n{out}"))
    }

    /// The `values` of the resource at `addr` (e.g. `jetbackup_backup_job.x`
    /// or `module.m.jetbackup_backup_job.x`) in the current state, or `None`
    /// if the state does not hold it.
    pub fn state_resource(&self, addr: &str) -> Option<Value> {
        let state = self.show_json();
        find_resource(state.get("values")?.get("root_module")?, addr)
    }
}

/// Finds the resource `addr` in a `show -json` module (recursing into child
/// modules) and returns its `values`.
fn find_resource(module: &Value, addr: &str) -> Option<Value> {
    let own = module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("address").and_then(Value::as_str) == Some(addr))
        .and_then(|r| r.get("values").cloned());
    own.or_else(|| {
        module
            .get("child_modules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|child| find_resource(child, addr))
    })
}

/// `args` with `-no-color` inserted after the subcommand, when it takes it.
fn with_no_color(args: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    if let Some(sub) = args.first() {
        if NO_COLOR_SUBCOMMANDS.contains(sub) && !args.contains(&"-no-color") {
            out.insert(1, "-no-color".to_string());
        }
    }
    out
}
