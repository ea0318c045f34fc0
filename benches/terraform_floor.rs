//! `make bench`: the provider side by side with Terraform's own floor.
//!
//! On the release build and against `jetbackup-sim` on loopback (one per
//! provider side), once with no injected latency and once with
//! `--latency-ms 50`, it times with the pinned Terraform
//! (`.tools/bin/terraform`, `make tools`):
//!
//! * `apply` creating N = 200 `jetbackup_backup_job`s, and 200 built-in
//!   `terraform_data` (no plugin: Terraform's floor);
//! * `plan` (with refresh) of both; a no-op `apply`; an `apply` that renames
//!   every job / changes every `terraform_data` input; `destroy`;
//!
//! each at least 3 times, the sides interleaved (A B A B A B) so that the
//! machine's noise hits both. It also counts the simulator's API calls per
//! job, polls the provider processes' peak RSS (`VmHWM`) and CPU time, times
//! the provider's start-to-handshake (plain and mTLS), counts the TCP
//! connections the provider opens (keep-alive), and reports the binary size.
//! The last line is the one-line summary.
//!
//! Run it with `make bench`, which builds the `--release` binary and passes
//! it in `JETBACKUP_BENCH_PROVIDER`. Plain `cargo bench --bench
//! terraform_floor` works too but measures the binary Cargo builds for
//! benches, which has `panic = "unwind"` (Cargo ignores `panic = "abort"`
//! there) and is ~9 % larger than the shipped one.
//!
//! Environment knobs (all optional):
//!
//! * `JETBACKUP_BENCH_PROVIDER` — the provider binary to measure;
//! * `JETBACKUP_BENCH_BASELINE` — another provider binary (e.g. an older
//!   build) measured as a third side, interleaved A B C, for before/after
//!   comparisons in one run;
//! * `JETBACKUP_BENCH_RUNS` — runs per phase and side (default 3, min 3);
//! * `JETBACKUP_BENCH_TERRAFORM` — the Terraform CLI (default `.tools/bin/terraform`).

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use jetbackup::sim::spawn::SimProcess;
use serde_json::Value;
use support::{TerraformCli, Workspace};

/// Resources per configuration.
const N: usize = 200;
/// Terraform's default `-parallelism`, passed explicitly (see [`Phase::args`]).
const PARALLELISM: usize = 10;
/// The provider's default `max_concurrent_requests`.
const MAX_CONCURRENT_REQUESTS: usize = 4;
/// Latencies the simulator injects, in ms.
const LATENCIES_MS: [u64; 2] = [0, 50];
/// Runs of the start-to-handshake measurement, per TLS mode.
const HANDSHAKE_RUNS: usize = 25;
const TOKEN: &str = "sim-token";
/// One Terraform command may not take longer than this.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);
/// What go-plugin (and so Terraform) puts in a provider's environment.
const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

// ---------------------------------------------------------------------------
// Sides and phases

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Phase {
    Create,
    Plan,
    Noop,
    Update,
    Destroy,
}

const PHASES: [Phase; 5] = [
    Phase::Create,
    Phase::Plan,
    Phase::Noop,
    Phase::Update,
    Phase::Destroy,
];

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Create => "apply (create 200)",
            Phase::Plan => "plan (refresh 200)",
            Phase::Noop => "apply (no-op)",
            Phase::Update => "apply (update 200)",
            Phase::Destroy => "destroy 200",
        }
    }

    fn args(self) -> &'static [&'static str] {
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
    fn check(self, side: &str, out: &CmdOutput) {
        let ok = match self {
            Phase::Plan => out.code == 0,
            _ if out.code != 0 => false,
            Phase::Create => out
                .text()
                .contains(&format!("{N} added, 0 changed, 0 destroyed")),
            Phase::Noop => {
                out.text().contains("No changes.")
                    || out.text().contains("0 added, 0 changed, 0 destroyed")
            }
            Phase::Update => out
                .text()
                .contains(&format!("0 added, {N} changed, 0 destroyed")),
            Phase::Destroy => out.text().contains(&format!("{N} destroyed")),
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

fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// One side of the comparison: a Terraform working directory, its
/// environment, and for the provider sides their own simulator.
struct Side {
    name: String,
    ws: Workspace,
    env: Vec<(String, String)>,
    /// The provider binary this side runs (None: Terraform's built-in provider).
    provider: Option<PathBuf>,
    sim: Option<SimProcess>,
}

impl Side {
    fn run(&self, args: &[&str], poller: Option<&Poller>) -> CmdOutput {
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

struct CmdOutput {
    code: i32,
    elapsed: Duration,
    stdout: String,
    stderr: String,
}

impl CmdOutput {
    fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Runs `cmd` in its own process group and times it from spawn to exit with
/// a blocking wait (no polling granularity in the measurement).
fn run_timed(mut cmd: Command, timeout: Duration, on_spawn: impl FnOnce(u32)) -> CmdOutput {
    use std::os::unix::process::CommandExt;
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("bench: cannot start {:?}: {e}", cmd.get_program()));
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
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send((status, Instant::now()));
    });
    let (status, ended) = match rx.recv_timeout(timeout) {
        Ok((status, ended)) => (status.expect("wait for terraform"), ended),
        Err(_) => {
            support::kill_process_group(pid);
            let (status, ended) = rx.recv().expect("the killed command is reaped");
            (status.expect("wait for terraform"), ended)
        }
    };
    // Nothing of the group (provider plugins) may outlive the command.
    support::kill_process_group(pid);
    CmdOutput {
        code: status.code().unwrap_or(-1),
        elapsed: ended - started,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// Peak RSS and CPU: polls /proc for the processes running the provider
// binaries, and for the Terraform process being timed.

#[derive(Default)]
struct Usage {
    /// Highest VmHWM (kB) of any process of each provider executable.
    peak_kb: HashMap<PathBuf, u64>,
    /// Last CPU time seen (clock ticks) per provider process, by executable.
    provider_ticks: HashMap<PathBuf, HashMap<u32, u64>>,
    /// The Terraform process being timed, and its last CPU time seen.
    terraform: Option<(u32, u64)>,
}

struct Poller {
    stop: Arc<AtomicBool>,
    usage: Arc<Mutex<Usage>>,
    handle: Option<thread::JoinHandle<()>>,
}

/// What one command used, from [`Poller::take`].
#[derive(Default, Clone, Copy)]
struct Used {
    peak_kb: u64,
    provider_cpu_s: f64,
    terraform_cpu_s: f64,
}

/// Linux's USER_HZ: the unit of the CPU times in /proc/PID/stat.
const TICKS_PER_S: f64 = 100.0;

impl Poller {
    fn start(exes: Vec<PathBuf>) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let usage: Arc<Mutex<Usage>> = Arc::default();
        let handle = {
            let stop = stop.clone();
            let usage = usage.clone();
            thread::spawn(move || {
                // PIDs already seen not to run a provider: skipped without a readlink.
                let mut others: HashSet<u32> = HashSet::new();
                while !stop.load(Ordering::Relaxed) {
                    let watched = usage.lock().unwrap().terraform.map(|(pid, _)| pid);
                    if let Some(pid) = watched {
                        if let Some(t) = cpu_ticks(pid) {
                            let mut u = usage.lock().unwrap();
                            if let Some((p, ticks)) = &mut u.terraform {
                                if *p == pid {
                                    *ticks = (*ticks).max(t);
                                }
                            }
                        }
                    }
                    if let Ok(dir) = std::fs::read_dir("/proc") {
                        for entry in dir.flatten() {
                            let Some(pid) = entry
                                .file_name()
                                .to_str()
                                .and_then(|s| s.parse::<u32>().ok())
                            else {
                                continue;
                            };
                            if others.contains(&pid) {
                                continue;
                            }
                            let Ok(exe) = std::fs::read_link(entry.path().join("exe")) else {
                                continue;
                            };
                            let Some(which) = exes.iter().find(|e| **e == exe) else {
                                others.insert(pid);
                                continue;
                            };
                            let kb = vm_hwm_kb(pid);
                            let ticks = cpu_ticks(pid);
                            let mut u = usage.lock().unwrap();
                            if let Some(kb) = kb {
                                let e = u.peak_kb.entry(which.clone()).or_insert(0);
                                *e = (*e).max(kb);
                            }
                            if let Some(t) = ticks {
                                let e = u
                                    .provider_ticks
                                    .entry(which.clone())
                                    .or_default()
                                    .entry(pid)
                                    .or_insert(0);
                                *e = (*e).max(t);
                            }
                        }
                    }
                    thread::sleep(Duration::from_millis(10));
                }
            })
        };
        Poller {
            stop,
            usage,
            handle: Some(handle),
        }
    }

    /// Starts following the CPU time of the Terraform process `pid`.
    fn watch(&self, pid: u32) {
        self.usage.lock().unwrap().terraform = Some((pid, 0));
    }

    /// What `exe` (and the Terraform process watched) used since the last
    /// call; resets the counters.
    fn take(&self, exe: Option<&Path>) -> Used {
        let mut u = self.usage.lock().unwrap();
        let terraform_cpu_s = u
            .terraform
            .take()
            .map_or(0.0, |(_, t)| t as f64 / TICKS_PER_S);
        let mut used = Used {
            terraform_cpu_s,
            ..Used::default()
        };
        if let Some(exe) = exe {
            used.peak_kb = u.peak_kb.remove(exe).unwrap_or(0);
            used.provider_cpu_s = u
                .provider_ticks
                .remove(exe)
                .map_or(0, |m| m.values().sum::<u64>()) as f64
                / TICKS_PER_S;
        }
        u.peak_kb.clear();
        u.provider_ticks.clear();
        used
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// utime + stime of `pid`, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

// ---------------------------------------------------------------------------
// Start-to-handshake

/// Starts the provider as go-plugin would and times spawn → first stdout line
/// (`1|6|tcp|127.0.0.1:PORT|grpc|…`). Returns milliseconds.
fn handshake_once(binary: &Path, client_cert: Option<&str>) -> f64 {
    let mut cmd = Command::new(binary);
    support::isolate_env(&mut cmd);
    cmd.env(MAGIC_COOKIE.0, MAGIC_COOKIE.1)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(pem) = client_cert {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("start the provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("read the handshake line");
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("1|6|tcp|"),
        "bench: unexpected handshake line from {}: {line:?}",
        binary.display()
    );
    if client_cert.is_some() {
        assert!(
            line.trim_end()
                .rsplit('|')
                .next()
                .is_some_and(|c| !c.is_empty()),
            "bench: no server certificate in the mTLS handshake line"
        );
    }
    ms
}

struct Handshake {
    plain: Vec<f64>,
    mtls: Vec<f64>,
}

fn measure_handshakes(binaries: &[&Path], client_cert: &str) -> Vec<Handshake> {
    let mut res: Vec<Handshake> = binaries
        .iter()
        .map(|_| Handshake {
            plain: Vec::new(),
            mtls: Vec::new(),
        })
        .collect();
    // Warm-up: page cache, dynamic loader.
    for b in binaries {
        handshake_once(b, None);
        handshake_once(b, Some(client_cert));
    }
    for _ in 0..HANDSHAKE_RUNS {
        for (i, b) in binaries.iter().enumerate() {
            res[i].plain.push(handshake_once(b, None));
            res[i].mtls.push(handshake_once(b, Some(client_cert)));
        }
    }
    res
}

// ---------------------------------------------------------------------------
// Keep-alive check: a TCP proxy that counts the connections made through it.

struct CountingProxy {
    port: u16,
    connections: Arc<AtomicU64>,
}

impl CountingProxy {
    fn start(upstream_port: u16) -> CountingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let connections = Arc::new(AtomicU64::new(0));
        let counter = connections.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                counter.fetch_add(1, Ordering::SeqCst);
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream_port)) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let pipe = |mut from: TcpStream, mut to: TcpStream| {
                    thread::spawn(move || {
                        let mut buf = [0u8; 16 * 1024];
                        loop {
                            match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => {
                                    if to.write_all(&buf[..n]).is_err() {
                                        break;
                                    }
                                }
                            }
                        }
                        let _ = to.shutdown(Shutdown::Write);
                    });
                };
                pipe(
                    client.try_clone().expect("clone"),
                    server.try_clone().expect("clone"),
                );
                pipe(server, client);
            }
        });
        CountingProxy { port, connections }
    }

    fn take(&self) -> u64 {
        self.connections.swap(0, Ordering::SeqCst)
    }
}

// ---------------------------------------------------------------------------
// Configurations

fn jobs_config() -> String {
    format!(
        "{}\nvariable \"prefix\" {{\n  type    = string\n  default = \"bench\"\n}}\n",
        support::counted_jobs_config("j", "${var.prefix}", N, "")
    )
}

fn data_config() -> String {
    format!(
        r#"variable "prefix" {{
  type    = string
  default = "bench"
}}

resource "terraform_data" "d" {{
  count = {N}
  input = "${{var.prefix}}-${{count.index}}"
}}
"#
    )
}

// ---------------------------------------------------------------------------
// Statistics

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn fmt_runs(v: &[f64]) -> String {
    v.iter()
        .map(|s| format!("{s:.2}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn calls_of(stats: &Value) -> BTreeMap<String, u64> {
    stats
        .get("calls")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_u64().map(|n| (k.clone(), n)))
                .filter(|(_, n)| *n > 0)
                .collect()
        })
        .unwrap_or_default()
}

fn fmt_calls(calls: &BTreeMap<String, u64>) -> String {
    if calls.is_empty() {
        return "none".to_string();
    }
    calls
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Times (s) per phase per side, calls per phase (jobs side), peak RSS (kB) per side.
#[derive(Default)]
struct LatencyRun {
    times: BTreeMap<(Phase, usize), Vec<f64>>,
    calls: BTreeMap<Phase, Vec<BTreeMap<String, u64>>>,
    rss_kb: BTreeMap<(Phase, usize), u64>,
}

impl LatencyRun {
    fn med(&self, phase: Phase, side: usize) -> f64 {
        median(self.times.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    /// Calls per job of `function` (None: every function) in `phase`; the
    /// largest over the runs.
    fn per_job(&self, phase: Phase, function: Option<&str>) -> f64 {
        self.calls
            .get(&phase)
            .into_iter()
            .flatten()
            .map(|c| match function {
                Some(f) => c.get(f).copied().unwrap_or(0),
                None => c.values().sum(),
            })
            .max()
            .unwrap_or(0) as f64
            / N as f64
    }
}

fn env_runs() -> usize {
    std::env::var("JETBACKUP_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(3)
}

fn pinned_terraform() -> TerraformCli {
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
struct ProviderBin {
    label: &'static str,
    exe: PathBuf,
    dir: PathBuf,
    size: u64,
    /// Where it came from, for the header.
    origin: String,
}

impl ProviderBin {
    /// `binary` where it is when it is named `terraform-provider-jetbackup`,
    /// otherwise a copy of it under `scratch`.
    fn new(label: &'static str, binary: &Path, scratch: &Path, origin: String) -> ProviderBin {
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

const PROVIDER_FILE: &str = "terraform-provider-jetbackup";

/// The provider under test: `JETBACKUP_BENCH_PROVIDER` (what `make bench`
/// sets: the `--release` binary, built with `panic = "abort"` as shipped),
/// else the one Cargo built for this bench (`CARGO_BIN_EXE_…`), which Cargo
/// builds with `panic = "unwind"` for benches and is therefore a little larger.
fn provider_under_test(scratch: &Path) -> ProviderBin {
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

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A provider side: its own simulator (so that call counts and job counts
/// are its own) and a workspace whose `dev_overrides` point at `bin`.
fn provider_side(
    cli: &TerraformCli,
    sim_bin: &Path,
    latency_ms: u64,
    name: String,
    bin: &ProviderBin,
) -> Side {
    let lat = latency_ms.to_string();
    let sim = SimProcess::spawn(sim_bin, &["--token", TOKEN, "--latency-ms", &lat])
        .expect("start jetbackup-sim");
    let env = vec![
        ("JETBACKUP_ENDPOINT".to_string(), sim.url().to_string()),
        ("JETBACKUP_API_TOKEN".to_string(), TOKEN.to_string()),
    ];
    let ws = Workspace::with_cli_config(cli, &[], &support::dev_overrides_cli_config(&bin.dir));
    ws.write_config(&jobs_config());
    Side {
        name,
        ws,
        env,
        provider: Some(bin.exe.clone()),
        sim: Some(sim),
    }
}

fn data_side(cli: &TerraformCli, provider_dir: &Path) -> Side {
    // The same CLI configuration as the provider side, so that Terraform
    // does the same work apart from the resources.
    let ws = Workspace::with_cli_config(cli, &[], &support::dev_overrides_cli_config(provider_dir));
    ws.write_config(&data_config());
    Side {
        name: "terraform_data".to_string(),
        ws,
        env: Vec::new(),
        provider: None,
        sim: None,
    }
}

/// Per-command CPU seconds, for the report: Terraform itself and the
/// provider processes it ran.
#[derive(Default)]
struct Cpu {
    terraform: BTreeMap<(Phase, usize), Vec<f64>>,
    provider: BTreeMap<(Phase, usize), Vec<f64>>,
}

fn main() {
    // `cargo bench` passes `--bench`: nothing to parse.
    let bench_started = Instant::now();
    let runs = env_runs();
    let cli = pinned_terraform();
    let scratch = tempfile::Builder::new()
        .prefix("jetbackup-bench-")
        .tempdir()
        .expect("scratch directory");
    let provider = provider_under_test(scratch.path());
    let baseline = std::env::var_os("JETBACKUP_BENCH_BASELINE")
        .filter(|v| !v.is_empty())
        .map(|p| {
            ProviderBin::new(
                "baseline",
                Path::new(&p),
                scratch.path(),
                "JETBACKUP_BENCH_BASELINE".to_string(),
            )
        });
    let sim_bin = PathBuf::from(env!("CARGO_BIN_EXE_jetbackup-sim"));
    let bins: Vec<&ProviderBin> = std::iter::once(&provider)
        .chain(baseline.as_ref())
        .collect();

    println!("== terraform_floor: {N} jetbackup_backup_job vs {N} terraform_data (Terraform's floor: no plugin)");
    println!(
        "terraform  {} ({}), -parallelism={PARALLELISM}, {runs} runs per phase and side, sides interleaved",
        cli.version,
        cli.path.display()
    );
    for b in &bins {
        println!(
            "{:<10} {} ({} bytes = {:.2} MiB; {})",
            b.label,
            b.exe.display(),
            b.size,
            mib(b.size),
            b.origin
        );
    }
    println!(
        "simulator  {} (one per provider side), max_concurrent_requests {MAX_CONCURRENT_REQUESTS} (default), coalesce_reads true (default)",
        sim_bin.display()
    );
    println!(
        "machine    {} CPUs, loadavg {} at start",
        thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg()
    );

    // ---- start-to-handshake -------------------------------------------------
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .expect("generate a client certificate");
    let client_pem = cert.cert.pem();
    let hs_bins: Vec<&Path> = bins.iter().map(|b| b.exe.as_path()).collect();
    let handshakes = measure_handshakes(&hs_bins, &client_pem);
    println!();
    println!(
        "== start-to-handshake: spawn -> first stdout line `1|6|tcp|…`, with go-plugin's environment; {HANDSHAKE_RUNS} runs each, interleaved"
    );
    for (b, h) in bins.iter().zip(&handshakes) {
        for (mode, v) in [
            ("plain (no PLUGIN_CLIENT_CERT)", &h.plain),
            ("mTLS (PLUGIN_CLIENT_CERT: as Terraform runs it)", &h.mtls),
        ] {
            let mut s = v.clone();
            s.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "{:<9} {mode:<48} median {:6.2} ms   min {:6.2}   p90 {:6.2}   max {:6.2}",
                b.label,
                median(v),
                s[0],
                s[(s.len() * 9 / 10).min(s.len() - 1)],
                s[s.len() - 1]
            );
        }
    }
    if handshakes.len() > 1 {
        println!(
            "provider / baseline, handshake medians: plain {:.2}x, mTLS {:.2}x",
            median(&handshakes[0].plain) / median(&handshakes[1].plain),
            median(&handshakes[0].mtls) / median(&handshakes[1].mtls)
        );
    }

    // ---- Terraform phases ------------------------------------------------------
    let poller = Poller::start(bins.iter().map(|b| b.exe.clone()).collect());
    let mut results: BTreeMap<u64, LatencyRun> = BTreeMap::new();
    let mut cpu: BTreeMap<u64, Cpu> = BTreeMap::new();
    let mut keepalive: Option<(u64, u64, u64)> = None;

    for latency in LATENCIES_MS {
        // Side 0: the provider; 1: terraform_data; 2: the baseline.
        let mut sides = vec![
            provider_side(
                &cli,
                &sim_bin,
                latency,
                "jetbackup_backup_job".to_string(),
                &provider,
            ),
            data_side(&cli, &provider.dir),
        ];
        if let Some(b) = &baseline {
            sides.push(provider_side(
                &cli,
                &sim_bin,
                latency,
                "baseline jetbackup_backup_job".to_string(),
                b,
            ));
        }
        // Warm-up (untimed): Terraform, the provider, the page cache.
        for side in &sides {
            let out = side.run(&["validate"], None);
            assert_eq!(
                out.code, 0,
                "bench: validate failed for {}:\n{}{}",
                side.name, out.stdout, out.stderr
            );
        }
        let mut run = LatencyRun::default();
        let mut c = Cpu::default();
        eprintln!(
            "bench: latency {latency} ms: {runs} runs x {} phases x {} sides (loadavg {})",
            PHASES.len(),
            sides.len(),
            loadavg()
        );
        for rep in 0..runs {
            for phase in PHASES {
                for (i, side) in sides.iter().enumerate() {
                    if let Some(sim) = &side.sim {
                        sim.reset_stats().expect("reset the simulator's stats");
                    }
                    poller.take(None);
                    let out = side.run(phase.args(), Some(&poller));
                    phase.check(&side.name, &out);
                    let secs = out.elapsed.as_secs_f64();
                    run.times.entry((phase, i)).or_default().push(secs);
                    let used = poller.take(side.provider.as_deref());
                    c.terraform
                        .entry((phase, i))
                        .or_default()
                        .push(used.terraform_cpu_s);
                    c.provider
                        .entry((phase, i))
                        .or_default()
                        .push(used.provider_cpu_s);
                    if let Some(sim) = &side.sim {
                        let stats = sim.stats().expect("the simulator's stats");
                        let jobs = stats["jobs"].as_u64().unwrap_or(u64::MAX);
                        let want = if phase == Phase::Destroy { 0 } else { N as u64 };
                        assert_eq!(
                            jobs,
                            want,
                            "bench: {jobs} jobs on the simulator after {} ({})",
                            phase.label(),
                            side.name
                        );
                        if i == 0 {
                            run.calls.entry(phase).or_default().push(calls_of(&stats));
                        }
                        let e = run.rss_kb.entry((phase, i)).or_insert(0);
                        *e = (*e).max(used.peak_kb);
                    }
                    eprintln!(
                        "bench:   {latency:>2} ms run {} {:<20} {:<30} {secs:7.2} s",
                        rep + 1,
                        phase.label(),
                        side.name
                    );
                }
            }
        }

        // Keep-alive check (untimed): TCP connections opened through a counting proxy.
        if latency == 0 {
            let sim = sides[0]
                .sim
                .as_ref()
                .expect("the provider side's simulator");
            let proxy = CountingProxy::start(sim.port());
            let mut side = provider_side(&cli, &sim_bin, 0, "via proxy".to_string(), &provider);
            side.env[0].1 = format!("http://127.0.0.1:{}", proxy.port);
            side.run(&["validate"], None);
            let mut counts = Vec::new();
            for phase in [Phase::Create, Phase::Plan, Phase::Destroy] {
                proxy.take();
                let out = side.run(phase.args(), None);
                phase.check(&side.name, &out);
                counts.push(proxy.take());
            }
            keepalive = Some((counts[0], counts[1], counts[2]));
        }
        results.insert(latency, run);
        cpu.insert(latency, c);
    }
    drop(poller);

    // ---- report ----------------------------------------------------------------
    let has_baseline = baseline.is_some();
    for (latency, run) in &results {
        println!();
        println!(
            "== latency {latency} ms: wall time per command, median of {runs} (every run in s)"
        );
        if has_baseline {
            println!(
                "{:<20} {:>9} {:>9} {:>7}   {:>9} {:>7} {:>7}   runs: jobs | terraform_data | baseline",
                "phase", "jobs", "tf_data", "ratio", "baseline", "b/tfd", "new/old"
            );
        } else {
            println!(
                "{:<20} {:>9} {:>9} {:>7}   runs: jobs | terraform_data",
                "phase", "jobs", "tf_data", "ratio"
            );
        }
        for phase in PHASES {
            let a = run.med(phase, 0);
            let b = run.med(phase, 1);
            let runs_a = fmt_runs(&run.times[&(phase, 0)]);
            let runs_b = fmt_runs(&run.times[&(phase, 1)]);
            if has_baseline {
                let c = run.med(phase, 2);
                let runs_c = fmt_runs(&run.times[&(phase, 2)]);
                println!(
                    "{:<20} {a:>8.2}s {b:>8.2}s {:>6.2}x   {c:>8.2}s {:>6.2}x {:>6.2}x   {runs_a} | {runs_b} | {runs_c}",
                    phase.label(),
                    a / b,
                    c / b,
                    a / c
                );
            } else {
                println!(
                    "{:<20} {a:>8.2}s {b:>8.2}s {:>6.2}x   {runs_a} | {runs_b}",
                    phase.label(),
                    a / b
                );
            }
        }
        if *latency > 0 {
            let conc = PARALLELISM.min(MAX_CONCURRENT_REQUESTS) as f64;
            for (phase, what) in [
                (Phase::Create, "create"),
                (Phase::Update, "update"),
                (Phase::Destroy, "destroy"),
            ] {
                let floor = run.med(phase, 1) + N as f64 * *latency as f64 / 1000.0 / conc;
                println!(
                    "latency floor, {what}: terraform_data {:.2}s + {N} x {latency} ms / min({PARALLELISM}, {MAX_CONCURRENT_REQUESTS}) = {floor:.2}s; jobs {:.2}s = {:.2}x the floor",
                    run.med(phase, 1),
                    run.med(phase, 0),
                    run.med(phase, 0) / floor
                );
            }
        }
        let c = &cpu[latency];
        println!("CPU seconds per command, median (Terraform's own process | the provider processes it ran):");
        for phase in PHASES {
            let m = |map: &BTreeMap<(Phase, usize), Vec<f64>>, i: usize| {
                median(map.get(&(phase, i)).map_or(&[][..], |v| &v[..]))
            };
            let mut line = format!(
                "  {:<20} jobs {:5.2} | {:5.2}   terraform_data {:5.2}",
                phase.label(),
                m(&c.terraform, 0),
                m(&c.provider, 0),
                m(&c.terraform, 1)
            );
            if has_baseline {
                line.push_str(&format!(
                    "   baseline {:5.2} | {:5.2}",
                    m(&c.terraform, 2),
                    m(&c.provider, 2)
                ));
            }
            println!("{line}");
        }
        println!("API calls on the simulator per jobs command (first run; the largest of all runs is used per job):");
        for phase in PHASES {
            let all = run.calls.get(&phase).cloned().unwrap_or_default();
            let first = all.first().cloned().unwrap_or_default();
            let same = all.iter().all(|c| *c == first);
            println!(
                "  {:<20} {:>5.3} per job   {}{}",
                phase.label(),
                run.per_job(phase, None),
                fmt_calls(&first),
                if same {
                    ""
                } else {
                    "   (differs between runs)"
                }
            );
        }
        for (i, b) in bins.iter().enumerate() {
            let side = if i == 0 { 0 } else { 2 };
            let per_phase = PHASES
                .iter()
                .map(|p| {
                    let kb = run.rss_kb.get(&(*p, side)).copied().unwrap_or(0);
                    format!("{:?} {:.1}", p, kb as f64 / 1024.0)
                })
                .collect::<Vec<_>>()
                .join(", ");
            println!("{} peak RSS (VmHWM, MiB) per phase: {per_phase}", b.label);
        }
    }
    if let Some((c, p, d)) = keepalive {
        println!();
        println!(
            "== HTTP keep-alive (0 ms, through a counting TCP proxy): TCP connections opened for {N} jobs: create apply {c}, plan {p}, destroy {d} (max_concurrent_requests {MAX_CONCURRENT_REQUESTS}; one provider process per Terraform graph walk)"
        );
    }

    // ---- targets ---------------------------------------------------------------
    let r0 = &results[&0];
    let r50 = &results[&50];
    let apply_ratio = r0.med(Phase::Create, 0) / r0.med(Phase::Create, 1);
    let plan_ratio = r0.med(Phase::Plan, 0) / r0.med(Phase::Plan, 1);
    let plan_ratio_50 = r50.med(Phase::Plan, 0) / r50.med(Phase::Plan, 1);
    let conc = PARALLELISM.min(MAX_CONCURRENT_REQUESTS) as f64;
    let floor_50 = r50.med(Phase::Create, 1) + N as f64 * 0.050 / conc;
    let apply_vs_floor_50 = r50.med(Phase::Create, 0) / floor_50;
    let calls_create = r0.per_job(Phase::Create, Some("manageBackupJob"));
    let calls_create_all = r0.per_job(Phase::Create, None);
    let calls_update = r0.per_job(Phase::Update, Some("manageBackupJob"));
    let calls_update_all = r0.per_job(Phase::Update, None);
    let calls_delete = r0.per_job(Phase::Destroy, None);
    let calls_delete_fn = r0.per_job(Phase::Destroy, Some("deleteBackupJob"));
    let calls_read = r0.per_job(Phase::Plan, None);
    let peak_kb = results
        .values()
        .flat_map(|r| {
            r.rss_kb
                .iter()
                .filter(|((_, i), _)| *i == 0)
                .map(|(_, kb)| *kb)
        })
        .max()
        .unwrap_or(0);
    let peak_mb = peak_kb as f64 / 1024.0;
    let hs = median(&handshakes[0].plain);
    let hs_mtls = median(&handshakes[0].mtls);

    println!();
    println!("== targets (provider side)");
    let t = |what: &str, value: String, target: &str, ok: bool| {
        println!(
            "{:<7} {what:<54} {value:>22}   target {target}",
            verdict(ok)
        );
    };
    t(
        "API calls per create (manageBackupJob / 200; all calls)",
        format!("{calls_create:.3} ({calls_create_all:.3})"),
        "1",
        calls_create <= 1.0 && calls_create_all <= 1.0,
    );
    t(
        "API calls per update (manageBackupJob / 200; all calls)",
        format!("{calls_update:.3} ({calls_update_all:.3})"),
        "1 (+ the refresh's 0.01)",
        calls_update <= 1.0 && calls_update_all <= 1.05,
    );
    t(
        "API calls per delete (all calls / 200; deleteBackupJob)",
        format!("{calls_delete:.3} ({calls_delete_fn:.3})"),
        "1 (+ the refresh's 0.01)",
        calls_delete_fn <= 1.0 && calls_delete <= 1.05,
    );
    t(
        "API calls per read (all calls in the plan / 200)",
        format!("{calls_read:.3}"),
        "<= 0.05",
        calls_read <= 0.05,
    );
    t(
        "apply 200, 0 ms: jobs / terraform_data",
        format!("{apply_ratio:.2}x"),
        "<= 1.5x",
        apply_ratio <= 1.5,
    );
    t(
        "refresh 200, 0 ms: jobs plan / terraform_data plan",
        format!("{plan_ratio:.2}x"),
        "<= 1.3x",
        plan_ratio <= 1.3,
    );
    t(
        "refresh 200, 50 ms: jobs plan / terraform_data plan",
        format!("{plan_ratio_50:.2}x"),
        "<= 1.3x",
        plan_ratio_50 <= 1.3,
    );
    t(
        &format!("apply 200, 50 ms: jobs / latency floor {floor_50:.2}s"),
        format!("{apply_vs_floor_50:.2}x"),
        "<= 1.2x",
        apply_vs_floor_50 <= 1.2,
    );
    t(
        "provider peak RSS (VmHWM, MiB)",
        format!("{peak_mb:.1}"),
        "<= 20",
        peak_mb <= 20.0,
    );
    t(
        "start-to-handshake median, plain (ms)",
        format!("{hs:.2}"),
        "<= 10",
        hs <= 10.0,
    );
    t(
        "start-to-handshake median, mTLS (ms)",
        format!("{hs_mtls:.2}"),
        "<= 10",
        hs_mtls <= 10.0,
    );
    println!(
        "binary size {} bytes = {:.2} MiB; the bench took {:.0} s",
        provider.size,
        mib(provider.size),
        bench_started.elapsed().as_secs_f64()
    );
    drop(scratch);

    println!(
        "bench: apply_ratio={apply_ratio:.2} plan_ratio={plan_ratio:.2} plan_ratio_50ms={plan_ratio_50:.2} apply_vs_floor_50ms={apply_vs_floor_50:.2} floor_50ms={floor_50:.2}s calls_per_create={calls_create:.2} calls_per_read={calls_read:.3} calls_per_delete={calls_delete:.3} peak_rss_mb={peak_mb:.1} handshake_ms={hs:.2} calls_per_update={calls_update:.2} handshake_mtls_ms={hs_mtls:.2} binary_mb={:.2}",
        mib(provider.size)
    );
}
