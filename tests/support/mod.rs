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
#![allow(dead_code)]

pub mod fixture;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one Terraform command may run before it is killed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Environment variable with extra Terraform CLI paths, colon-separated.
pub const EXTRA_TERRAFORM_ENV: &str = "JETBACKUP_TEST_TERRAFORM";

/// The provider's source address as the configurations spell it.
pub const PROVIDER_SOURCE: &str = "jetbackup-community/jetbackup";

/// The provider's fully-qualified address in Terraform's registry namespace.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/jetbackup-community/jetbackup";

/// The same provider as OpenTofu names it.
pub const PROVIDER_ADDRESS_OPENTOFU: &str = "registry.opentofu.org/jetbackup-community/jetbackup";

/// Subcommands that accept `-no-color` right after the subcommand name.
const NO_COLOR_SUBCOMMANDS: &[&str] = &[
    "init", "validate", "plan", "apply", "destroy", "refresh", "import", "show", "output", "get",
    "graph", "console", "test", "taint", "untaint",
];

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

/// What one Terraform command did.
#[derive(Debug, Clone)]
pub struct TfOutput {
    /// The command line, for messages.
    pub command: String,
    /// The exit code; -1 if it was killed by a signal (including on timeout).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    /// Whether the command exited 0.
    pub fn success(&self) -> bool {
        self.code == 0
    }

    /// stdout followed by stderr.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// stdout followed by stderr with every run of whitespace (including the
    /// line breaks Terraform puts into diagnostics to wrap them at 78
    /// columns) collapsed to one space: search this for a message.
    pub fn text(&self) -> String {
        self.combined()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the output says `needle`, however Terraform wrapped the lines
    /// (whitespace in `needle` matches any run of whitespace).
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.split_whitespace().collect::<Vec<_>>().join(" ");
        self.text().contains(&needle)
    }

    /// Panics with the command's whole output unless it exited 0; returns self.
    #[track_caller]
    pub fn expect_success(self, what: &str) -> Self {
        if !self.success() {
            panic!("{what} failed: {self}");
        }
        self
    }
}

impl fmt::Display for TfOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` exited {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

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

/// Removes inherited settings that would change what Terraform or the
/// provider does: `TF_*`, `JETBACKUP_*`, `PLUGIN_*`, `RUST_BACKTRACE`,
/// `RUST_LIB_BACKTRACE`; and stdin.
pub fn isolate_env(cmd: &mut Command) {
    let inherited: Vec<OsString> = std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| {
            let k = k.to_string_lossy();
            k.starts_with("TF_")
                || k.starts_with("JETBACKUP_")
                || k.starts_with("PLUGIN_")
                || k == "RUST_BACKTRACE"
                || k == "RUST_LIB_BACKTRACE"
        })
        .collect();
    for k in inherited {
        cmd.env_remove(k);
    }
    cmd.stdin(Stdio::null());
}

/// What [`run_in_group`] saw of a command.
pub struct Finished {
    pub code: i32,
    /// From spawn to exit, measured by a blocking wait (no polling step).
    pub elapsed: Duration,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Runs `cmd` in its own process group, capturing stdout and stderr, and
/// waits for it with a blocking wait; kills the whole group (Terraform and
/// the provider plugins it started) if it runs past `timeout`, and in any
/// case once it has exited, so that no plugin outlives it. `on_spawn` gets
/// the process (group) ID. The test harness and `make bench` both run
/// Terraform through this.
pub fn run_in_group(mut cmd: Command, timeout: Duration, on_spawn: impl FnOnce(u32)) -> Finished {
    use std::os::unix::process::CommandExt;

    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    let pid = child.id();
    on_spawn(pid);
    let read_all = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped stderr")));
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send((status, Instant::now()));
    });
    let (waited, timed_out) = match rx.recv_timeout(timeout) {
        Ok(done) => (done, false),
        Err(_) => {
            kill_process_group(pid);
            (rx.recv().expect("the killed command is reaped"), true)
        }
    };
    let (status, ended) = waited;
    let status: ExitStatus = status.expect("wait for the command");
    // The provider plugins share the group; make sure none outlives the command.
    kill_process_group(pid);
    Finished {
        code: status.code().unwrap_or(-1),
        elapsed: ended - started,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
    }
}

/// [`run_in_group`] for a test: the output names the command, and a command
/// killed for running too long says so in its stderr.
fn run_with_timeout(cmd: Command, timeout: Duration) -> TfOutput {
    // Program and arguments only: the environment may hold a token.
    let command = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let done = run_in_group(cmd, timeout, |_| {});
    let mut stderr = done.stderr;
    if done.timed_out {
        stderr.push_str(&format!(
            "\n[test harness] killed after {} s: timed out\n",
            timeout.as_secs()
        ));
    }
    TfOutput {
        command,
        code: done.code,
        stdout: done.stdout,
        stderr,
    }
}

/// Sends SIGKILL to process group `pgid` (no libc dependency: uses kill(1)).
pub fn kill_process_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Starts this package's `jetbackup-sim` with `args` (killed when dropped).
pub fn sim(args: &[&str]) -> jetbackup::sim::spawn::SimProcess {
    jetbackup::sim::spawn::SimProcess::spawn(env!("CARGO_BIN_EXE_jetbackup-sim"), args)
        .expect("start jetbackup-sim")
}

/// Client options that retry quickly, for tests against injected faults.
pub fn fast_retries(max_retries: u32) -> jetbackup::api::ClientOptions {
    jetbackup::api::ClientOptions {
        max_retries,
        retry_base: Duration::from_millis(5),
        ..jetbackup::api::ClientOptions::default()
    }
}

/// The smallest valid accounts job on the simulator's built-in destination.
pub fn minimal_job(name: &str) -> jetbackup::api::job::JobSpec {
    jetbackup::api::job::JobSpec {
        name: Some(name.to_string()),
        destination: Some(vec![jetbackup::sim::seed::DEST_LOCAL_ID.into()]),
        job_type: Some(jetbackup::api::job::JobType::Accounts),
        contains: Some(511),
        structure: Some(1),
        ..jetbackup::api::job::JobSpec::default()
    }
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

/// Every job on the simulator, listed by a client that retries through the
/// faults the simulator may be injecting.
pub fn server_jobs(sim: &jetbackup::sim::spawn::SimProcess) -> Vec<jetbackup::api::job::BackupJob> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = sim.client_with(fast_retries(30));
    rt.block_on(client.list_backup_jobs(&Default::default()))
        .expect("listBackupJobs")
}

/// A loopback port nobody listens on (bound, then released): a server that
/// is down.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// A simulator, a workspace wired to it (endpoint and token in the
/// environment), and an API client to look behind Terraform's back. Test
/// files add the helpers their stories need with their own `impl Fixture`.
pub struct Fixture {
    pub sim: jetbackup::sim::spawn::SimProcess,
    pub ws: Workspace,
    pub rt: tokio::runtime::Runtime,
    pub api: jetbackup::api::Client,
}

/// The token of every [`Fixture`]'s simulator.
pub const FIXTURE_TOKEN: &str = "sim-token";

impl Fixture {
    pub fn new(cli: &TerraformCli) -> Fixture {
        let sim = sim(&["--token", FIXTURE_TOKEN]);
        let url = sim.url().to_string();
        let ws = Workspace::new(
            cli,
            &[
                ("JETBACKUP_ENDPOINT", &url),
                ("JETBACKUP_API_TOKEN", FIXTURE_TOKEN),
            ],
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let api = sim.client();
        Fixture { sim, ws, rt, api }
    }

    /// Calls of one API function, from the simulator's counters.
    pub fn calls(&self, function: &str) -> u64 {
        let stats = self.sim.stats().expect("sim stats");
        stats["calls"][function].as_u64().unwrap_or(0)
    }

    /// Calls of functions that change something, from the simulator's counters.
    pub fn write_calls(&self) -> u64 {
        let stats = self.sim.stats().expect("sim stats");
        jetbackup::api::function::WriteFunction::ALL
            .iter()
            .map(|f| stats["calls"][f.name()].as_u64().unwrap_or(0))
            .sum()
    }
}
