//! `make bench`: the provider against the floor of any plugin with its
//! schema, and against Terraform's own floor.
//!
//! On the release build and against `jetbackup-sim` on loopback (one per
//! provider side), with the pinned Terraform (`.tools/bin/terraform`,
//! `make tools`), it measures three sides:
//!
//! * `jetbackup_backup_job` through the provider;
//! * the same configuration through the no-op plugin (`noop_plugin`): this
//!   bench's own executable serving the provider's schemas, with the real
//!   validation and plan, and no API: the lowest any plugin with this
//!   schema can reach;
//! * as many built-in `terraform_data` (no plugin at all: Terraform's floor).
//!
//! Sections (`JETBACKUP_BENCH_ONLY`, comma-separated; default all):
//!
//! * `handshake`: the provider's start-to-handshake (plain and mTLS);
//! * `main`: N = 200 resources, at 0 and 50 ms of latency: apply (create),
//!   plan (refresh), a no-op apply, an apply renaming every job, destroy;
//!   ratios to the no-op plugin and to terraform_data, CPU, API calls per
//!   job, the simulator's peak in flight, peak RSS, TCP connections;
//! * `scale`: 1,000 jobs (apply, plan, destroy) against the no-op plugin,
//!   and the cost per job at 200 and at 1,000;
//! * `latency`: plans of 200 and 1,000 jobs at 50 and 200 ms, against the
//!   no-op plugin's plan plus two round trips, and with a per-object page
//!   time (`jetbackup-sim --per-object-us`) at 1, 4 and the default
//!   `max_concurrent_requests`;
//! * `concurrency`: apply and destroy of 200 jobs at 50 ms with
//!   `max_concurrent_requests` 2, 4, 8, 10, with the simulator's peak in flight.
//!
//! Every row runs each side at least 3 times, interleaved (A B C A B C), so
//! that the machine's noise hits all sides; medians are reported. The last
//! line is the one-line summary.
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
//!   build) measured as a fourth side in the main rows, for before/after
//!   comparisons in one run;
//! * `JETBACKUP_BENCH_RUNS` — runs per row and side (default 3, min 3);
//! * `JETBACKUP_BENCH_ONLY` — the sections to run (see above);
//! * `JETBACKUP_BENCH_N`, `JETBACKUP_BENCH_N_LARGE` — resources per row
//!   (default 200) and in the scale row (default 1000), e.g. small while
//!   iterating;
//! * `JETBACKUP_BENCH_TERRAFORM` — the Terraform CLI (default `.tools/bin/terraform`).

mod noop_plugin;
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

/// Resources per configuration (`JETBACKUP_BENCH_N`), and in the scale row
/// (`JETBACKUP_BENCH_N_LARGE`).
const N_DEFAULT: usize = 200;
const N_LARGE_DEFAULT: usize = 1000;
/// Terraform's default `-parallelism`, passed explicitly (see [`Phase::args`]).
const PARALLELISM: usize = 10;
/// The provider's default `max_concurrent_requests`.
const MAX_CONCURRENT_REQUESTS: usize = jetbackup::api::client::DEFAULT_MAX_CONCURRENT_REQUESTS;
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
            Phase::Create => "apply (create)",
            Phase::Plan => "plan (refresh)",
            Phase::Noop => "apply (no-op)",
            Phase::Update => "apply (update)",
            Phase::Destroy => "destroy",
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
    fn check(self, side: &str, out: &CmdOutput, n: usize) {
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
    /// The plugin binary this side runs (None: Terraform's built-in provider).
    plugin: Option<PathBuf>,
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

fn jobs_config(n: usize) -> String {
    format!(
        "{}\nvariable \"prefix\" {{\n  type    = string\n  default = \"bench\"\n}}\n",
        support::counted_jobs_config("j", "${var.prefix}", n, "")
    )
}

fn data_config(n: usize) -> String {
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

/// What one set of interleaved runs measured, per (phase, side index).
#[derive(Default)]
struct Measured {
    /// Resources per side.
    n: usize,
    /// Wall time of every run, in s.
    times: BTreeMap<(Phase, usize), Vec<f64>>,
    /// The simulator's calls per function, every run (sides with a simulator).
    calls: BTreeMap<(Phase, usize), Vec<BTreeMap<String, u64>>>,
    /// The simulator's peak of API requests in flight, the largest of the runs.
    in_flight: BTreeMap<(Phase, usize), u64>,
    /// Peak RSS (VmHWM, kB) of the plugin processes, the largest of the runs.
    rss_kb: BTreeMap<(Phase, usize), u64>,
    /// CPU seconds of Terraform's own process and of the plugin processes.
    cpu_terraform: BTreeMap<(Phase, usize), Vec<f64>>,
    cpu_plugin: BTreeMap<(Phase, usize), Vec<f64>>,
}

impl Measured {
    fn med(&self, phase: Phase, side: usize) -> f64 {
        median(self.times.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    fn runs(&self, phase: Phase, side: usize) -> String {
        fmt_runs(self.times.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    fn cpu(map: &BTreeMap<(Phase, usize), Vec<f64>>, phase: Phase, side: usize) -> f64 {
        median(map.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    /// Calls per resource of `function` (None: every function) in `phase` on
    /// side `side`; the largest over the runs.
    fn per_job(&self, phase: Phase, side: usize, function: Option<&str>) -> f64 {
        self.calls
            .get(&(phase, side))
            .into_iter()
            .flatten()
            .map(|c| match function {
                Some(f) => c.get(f).copied().unwrap_or(0),
                None => c.values().sum(),
            })
            .max()
            .unwrap_or(0) as f64
            / self.n as f64
    }

    fn first_calls(&self, phase: Phase, side: usize) -> (BTreeMap<String, u64>, bool) {
        let all = self.calls.get(&(phase, side)).cloned().unwrap_or_default();
        let first = all.first().cloned().unwrap_or_default();
        let same = all.iter().all(|c| *c == first);
        (first, same)
    }
}

/// Runs `phases` `runs` times on every side, interleaved (A B C A B C …),
/// checking after each command that it did its job and that each simulator
/// holds what it should.
fn measure(
    sides: &[Side],
    phases: &[Phase],
    n: usize,
    runs: usize,
    poller: &Poller,
    what: &str,
) -> Measured {
    // Warm-up (untimed): Terraform, the plugins, the page cache.
    for side in sides {
        let out = side.run(&["validate"], None);
        assert_eq!(
            out.code, 0,
            "bench: validate failed for {}:\n{}{}",
            side.name, out.stdout, out.stderr
        );
    }
    let mut m = Measured {
        n,
        ..Measured::default()
    };
    eprintln!(
        "bench: {what}: {runs} runs x {} phases x {} sides (loadavg {})",
        phases.len(),
        sides.len(),
        loadavg()
    );
    for rep in 0..runs {
        for &phase in phases {
            for (i, side) in sides.iter().enumerate() {
                if let Some(sim) = &side.sim {
                    sim.reset_stats().expect("reset the simulator's stats");
                }
                poller.take(None);
                let out = side.run(phase.args(), Some(poller));
                phase.check(&side.name, &out, n);
                let secs = out.elapsed.as_secs_f64();
                m.times.entry((phase, i)).or_default().push(secs);
                let used = poller.take(side.plugin.as_deref());
                m.cpu_terraform
                    .entry((phase, i))
                    .or_default()
                    .push(used.terraform_cpu_s);
                m.cpu_plugin
                    .entry((phase, i))
                    .or_default()
                    .push(used.provider_cpu_s);
                let rss = m.rss_kb.entry((phase, i)).or_insert(0);
                *rss = (*rss).max(used.peak_kb);
                if let Some(sim) = &side.sim {
                    let stats = sim.stats().expect("the simulator's stats");
                    let jobs = stats["jobs"].as_u64().unwrap_or(u64::MAX);
                    let want = if phase == Phase::Destroy { 0 } else { n as u64 };
                    assert_eq!(
                        jobs,
                        want,
                        "bench: {jobs} jobs on the simulator after {} ({})",
                        phase.label(),
                        side.name
                    );
                    m.calls
                        .entry((phase, i))
                        .or_default()
                        .push(calls_of(&stats));
                    let peak = m.in_flight.entry((phase, i)).or_insert(0);
                    *peak = (*peak).max(stats["max_in_flight"].as_u64().unwrap_or(0));
                }
                eprintln!(
                    "bench:   {what} run {} {:<16} {:<34} {secs:7.2} s",
                    rep + 1,
                    phase.label(),
                    side.name
                );
            }
        }
    }
    m
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

/// Side indices in the main rows.
const JOBS: usize = 0;
const NOOP: usize = 1;
const TF_DATA: usize = 2;
const BASELINE: usize = 3;

/// Everything a section of the bench needs.
struct Bench<'a> {
    cli: &'a TerraformCli,
    sim_bin: &'a Path,
    provider: &'a ProviderBin,
    noop: &'a ProviderBin,
    baseline: Option<&'a ProviderBin>,
    poller: &'a Poller,
    runs: usize,
}

impl Bench<'_> {
    /// A provider side: its own simulator (so that call counts and job counts
    /// are its own, started with `sim_args`) and a workspace whose
    /// `dev_overrides` point at `bin`; `max_concurrent_requests` when given.
    fn provider_side(
        &self,
        name: String,
        bin: &ProviderBin,
        n: usize,
        sim_args: &[&str],
        max_concurrent: Option<usize>,
    ) -> Side {
        let mut args = vec!["--token", TOKEN];
        args.extend_from_slice(sim_args);
        let sim = SimProcess::spawn(self.sim_bin, &args).expect("start jetbackup-sim");
        let mut env = vec![
            ("JETBACKUP_ENDPOINT".to_string(), sim.url().to_string()),
            ("JETBACKUP_API_TOKEN".to_string(), TOKEN.to_string()),
        ];
        if let Some(c) = max_concurrent {
            env.push((MAX_CONCURRENT_ENV.to_string(), c.to_string()));
        }
        let ws =
            Workspace::with_cli_config(self.cli, &[], &support::dev_overrides_cli_config(&bin.dir));
        ws.write_config(&jobs_config(n));
        Side {
            name,
            ws,
            env,
            plugin: Some(bin.exe.clone()),
            sim: Some(sim),
        }
    }

    /// The no-op plugin with the same configuration (its endpoint is never called).
    fn noop_side(&self, n: usize) -> Side {
        let ws = Workspace::with_cli_config(
            self.cli,
            &[],
            &support::dev_overrides_cli_config(&self.noop.dir),
        );
        ws.write_config(&jobs_config(n));
        Side {
            name: "no-op plugin".to_string(),
            ws,
            env: vec![
                (
                    "JETBACKUP_ENDPOINT".to_string(),
                    "http://127.0.0.1:9".to_string(),
                ),
                ("JETBACKUP_API_TOKEN".to_string(), TOKEN.to_string()),
            ],
            plugin: Some(self.noop.exe.clone()),
            sim: None,
        }
    }

    fn data_side(&self, n: usize) -> Side {
        // The same CLI configuration as the provider side, so that Terraform
        // does the same work apart from the resources.
        let ws = Workspace::with_cli_config(
            self.cli,
            &[],
            &support::dev_overrides_cli_config(&self.provider.dir),
        );
        ws.write_config(&data_config(n));
        Side {
            name: "terraform_data".to_string(),
            ws,
            env: Vec::new(),
            plugin: None,
            sim: None,
        }
    }

    /// The main rows: every phase, `n` resources, the provider, the no-op
    /// plugin, terraform_data (and the baseline) at `latency_ms`.
    fn main_rows(&self, n: usize, latency_ms: u64) -> (Measured, Option<(u64, u64, u64)>) {
        let lat = latency_ms.to_string();
        let mut sides = vec![
            self.provider_side(
                "jetbackup_backup_job".to_string(),
                self.provider,
                n,
                &["--latency-ms", &lat],
                None,
            ),
            self.noop_side(n),
            self.data_side(n),
        ];
        if let Some(b) = self.baseline {
            sides.push(self.provider_side(
                "baseline jetbackup_backup_job".to_string(),
                b,
                n,
                &["--latency-ms", &lat],
                None,
            ));
        }
        let what = format!("{n} at {latency_ms:>3} ms");
        let m = measure(&sides, &PHASES, n, self.runs, self.poller, &what);
        // Keep-alive check (untimed): TCP connections opened through a counting proxy.
        let keepalive = (latency_ms == 0).then(|| {
            let sim = sides[JOBS]
                .sim
                .as_ref()
                .expect("the provider side's simulator");
            let proxy = CountingProxy::start(sim.port());
            let mut side = self.provider_side("via proxy".to_string(), self.provider, n, &[], None);
            side.env[0].1 = format!("http://127.0.0.1:{}", proxy.port);
            side.run(&["validate"], None);
            let mut counts = Vec::new();
            for phase in [Phase::Create, Phase::Plan, Phase::Destroy] {
                proxy.take();
                let out = side.run(phase.args(), None);
                phase.check(&side.name, &out, n);
                counts.push(proxy.take());
            }
            (counts[0], counts[1], counts[2])
        });
        (m, keepalive)
    }

    /// The scale row: `n` (1,000) jobs against the no-op plugin at 0 ms.
    fn scale_row(&self, n: usize) -> Measured {
        let sides = vec![
            self.provider_side(
                "jetbackup_backup_job".to_string(),
                self.provider,
                n,
                &[],
                None,
            ),
            self.noop_side(n),
        ];
        let what = format!("scale {n}");
        measure(
            &sides,
            &[Phase::Create, Phase::Plan, Phase::Destroy],
            n,
            self.runs,
            self.poller,
            &what,
        )
    }

    /// Plans of `n` jobs under latency, against the no-op plugin's plan (see
    /// [`PlanRow`]). One simulator per per-object time; the jobs are created
    /// once at 0 ms, then every plan's `listBackupJobs` is delayed by the
    /// row's latency through the simulator's fault script (`slow@MS`), which
    /// is the latency itself since a plan calls nothing else (checked).
    fn plan_rows(&self, n: usize, rows: &[(u64, u64, usize)]) -> Vec<PlanRow> {
        let noop = self.noop_side(n);
        let out = noop.run(Phase::Create.args(), None);
        Phase::Create.check(&noop.name, &out, n);
        let mut result = Vec::new();
        let mut per_object: Vec<u64> = rows.iter().map(|r| r.1).collect();
        per_object.dedup();
        for us in per_object {
            let us_arg = us.to_string();
            let mut side = self.provider_side(
                "jetbackup_backup_job".to_string(),
                self.provider,
                n,
                &["--per-object-us", &us_arg],
                None,
            );
            let out = side.run(Phase::Create.args(), None);
            Phase::Create.check(&side.name, &out, n);
            let sim = side.sim.take().expect("the provider side's simulator");
            for &(latency_ms, _, concurrent) in rows.iter().filter(|r| r.1 == us) {
                side.env.retain(|(k, _)| k != MAX_CONCURRENT_ENV);
                side.env
                    .push((MAX_CONCURRENT_ENV.to_string(), concurrent.to_string()));
                sim.set_faults(&format!("listBackupJobs:slow@{latency_ms}*100000"))
                    .expect("set the simulator's delay");
                let mut row = PlanRow {
                    n,
                    latency_ms,
                    per_object_us: us,
                    concurrent,
                    ..PlanRow::default()
                };
                eprintln!(
                    "bench: plan {n} at {latency_ms} ms + {us} us/object, max_concurrent_requests {concurrent}: {} runs (loadavg {})",
                    self.runs,
                    loadavg()
                );
                for _ in 0..self.runs {
                    sim.reset_stats().expect("reset the simulator's stats");
                    let out = side.run(Phase::Plan.args(), None);
                    Phase::Plan.check(&side.name, &out, n);
                    row.jobs.push(out.elapsed.as_secs_f64());
                    let stats = sim.stats().expect("the simulator's stats");
                    let calls = calls_of(&stats);
                    assert!(
                        calls.keys().all(|f| f == "listBackupJobs"),
                        "bench: a plan made calls other than listBackupJobs: {calls:?}"
                    );
                    row.lists = row
                        .lists
                        .max(calls.get("listBackupJobs").copied().unwrap_or(0));
                    row.in_flight = row
                        .in_flight
                        .max(stats["max_in_flight"].as_u64().unwrap_or(0));
                    let out = noop.run(Phase::Plan.args(), None);
                    Phase::Plan.check(&noop.name, &out, n);
                    row.noop.push(out.elapsed.as_secs_f64());
                }
                result.push(row);
            }
            side.sim = Some(sim);
        }
        result
    }

    /// Apply (create) and destroy of `n` jobs at 50 ms with each
    /// `max_concurrent_requests`, with the simulator's peak in flight.
    fn concurrency_rows(&self, n: usize, settings: &[usize]) -> Measured {
        let sides: Vec<Side> = settings
            .iter()
            .map(|c| {
                self.provider_side(
                    format!("max_concurrent_requests {c}"),
                    self.provider,
                    n,
                    &["--latency-ms", "50"],
                    Some(*c),
                )
            })
            .collect();
        let what = format!("concurrency {n} at 50 ms");
        measure(
            &sides,
            &[Phase::Create, Phase::Destroy],
            n,
            self.runs,
            self.poller,
            &what,
        )
    }
}

const MAX_CONCURRENT_ENV: &str = "JETBACKUP_MAX_CONCURRENT_REQUESTS";

/// A plan of `n` jobs under latency, interleaved with the no-op plugin's plan.
#[derive(Default)]
struct PlanRow {
    n: usize,
    latency_ms: u64,
    per_object_us: u64,
    concurrent: usize,
    jobs: Vec<f64>,
    noop: Vec<f64>,
    /// `listBackupJobs` calls of one plan, and the simulator's peak in flight.
    lists: u64,
    in_flight: u64,
}

impl PlanRow {
    /// One round trip: the latency plus a full page's per-object time.
    fn round_trip_s(&self) -> f64 {
        let page = self.n.min(jetbackup::api::client::PAGE_SIZE as usize) as f64;
        (self.latency_ms as f64 * 1000.0 + self.per_object_us as f64 * page) / 1e6
    }

    /// The target: the no-op plugin's plan plus two round trips.
    fn floor_s(&self) -> f64 {
        median(&self.noop) + 2.0 * self.round_trip_s()
    }

    fn vs_floor(&self) -> f64 {
        median(&self.jobs) / self.floor_s()
    }
}

/// Which parts of the bench run: `JETBACKUP_BENCH_ONLY`, a comma-separated
/// subset of `handshake,main,scale,latency,concurrency` (default: all).
fn sections() -> HashSet<String> {
    let all = "handshake,main,scale,latency,concurrency";
    std::env::var("JETBACKUP_BENCH_ONLY")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| all.to_string())
        .split(',')
        .map(|s| s.trim().to_string())
        .inspect(|s| {
            assert!(
                all.split(',').any(|a| a == s),
                "bench: JETBACKUP_BENCH_ONLY: unknown section {s:?} (known: {all})"
            )
        })
        .collect()
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn opt(v: Option<f64>, digits: usize) -> String {
    opt_unit(v, digits, "")
}

/// `v` with its unit, or `n/a` (a section that did not run).
fn opt_unit(v: Option<f64>, digits: usize, unit: &str) -> String {
    v.filter(|x| x.is_finite())
        .map_or_else(|| "n/a".to_string(), |x| format!("{x:.digits$}{unit}"))
}

/// Prints the main rows of one latency.
fn report_main(latency: u64, m: &Measured, runs: usize, labels: &[&str]) {
    let n = m.n;
    let has_baseline = labels.len() > 1;
    println!();
    println!(
        "== {n} resources, latency {latency} ms: wall time per command, median of {runs} (every run in s)"
    );
    println!(
        "{:<16} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9}{}   runs: jobs | no-op | terraform_data",
        "phase",
        "jobs",
        "no-op",
        "tf_data",
        "jobs/noop",
        "jobs/tfd",
        "noop/tfd",
        if has_baseline {
            "  baseline  new/old"
        } else {
            ""
        }
    );
    for phase in PHASES {
        let (a, o, d) = (
            m.med(phase, JOBS),
            m.med(phase, NOOP),
            m.med(phase, TF_DATA),
        );
        let base = if has_baseline {
            let c = m.med(phase, BASELINE);
            format!(" {c:>8.2}s {:>7.2}x", a / c)
        } else {
            String::new()
        };
        println!(
            "{:<16} {a:>7.2}s {o:>7.2}s {d:>7.2}s {:>8.2}x {:>8.2}x {:>8.2}x{base}   {} | {} | {}",
            phase.label(),
            a / o,
            a / d,
            o / d,
            m.runs(phase, JOBS),
            m.runs(phase, NOOP),
            m.runs(phase, TF_DATA)
        );
    }
    if latency > 0 {
        let conc = PARALLELISM.min(MAX_CONCURRENT_REQUESTS) as f64;
        for (phase, what) in [
            (Phase::Create, "create"),
            (Phase::Update, "update"),
            (Phase::Destroy, "destroy"),
        ] {
            let wait = n as f64 * latency as f64 / 1000.0 / conc;
            let floor = m.med(phase, NOOP) + wait;
            println!(
                "latency floor, {what}: no-op {:.2}s + {n} x {latency} ms / min({PARALLELISM}, {MAX_CONCURRENT_REQUESTS}) = {floor:.2}s; jobs {:.2}s = {:.2}x the floor (terraform_data + the same: {:.2}x)",
                m.med(phase, NOOP),
                m.med(phase, JOBS),
                m.med(phase, JOBS) / floor,
                m.med(phase, JOBS) / (m.med(phase, TF_DATA) + wait)
            );
        }
    }
    println!(
        "CPU seconds per command, median (Terraform's own process | the plugin processes it ran):"
    );
    for phase in PHASES {
        let c = |map, i| Measured::cpu(map, phase, i);
        let mut line = format!(
            "  {:<16} jobs {:5.2} | {:5.2}   no-op {:5.2} | {:5.2}   terraform_data {:5.2}",
            phase.label(),
            c(&m.cpu_terraform, JOBS),
            c(&m.cpu_plugin, JOBS),
            c(&m.cpu_terraform, NOOP),
            c(&m.cpu_plugin, NOOP),
            c(&m.cpu_terraform, TF_DATA)
        );
        if has_baseline {
            line.push_str(&format!(
                "   baseline {:5.2} | {:5.2}",
                c(&m.cpu_terraform, BASELINE),
                c(&m.cpu_plugin, BASELINE)
            ));
        }
        println!("{line}");
    }
    println!("API calls on the simulator per jobs command (first run; the largest of all runs is used per job), peak in flight:");
    for phase in PHASES {
        let (first, same) = m.first_calls(phase, JOBS);
        println!(
            "  {:<16} {:>5.3} per job   {}   in flight {}{}",
            phase.label(),
            m.per_job(phase, JOBS, None),
            fmt_calls(&first),
            m.in_flight.get(&(phase, JOBS)).copied().unwrap_or(0),
            if same {
                ""
            } else {
                "   (differs between runs)"
            }
        );
    }
    for (label, side) in labels
        .iter()
        .zip([JOBS, BASELINE])
        .chain([(&"no-op", NOOP)])
    {
        let per_phase = PHASES
            .iter()
            .map(|p| {
                let kb = m.rss_kb.get(&(*p, side)).copied().unwrap_or(0);
                format!("{:?} {:.1}", p, kb as f64 / 1024.0)
            })
            .collect::<Vec<_>>()
            .join(", ");
        println!("{label} peak RSS (VmHWM, MiB) per phase: {per_phase}");
    }
}

/// Prints the scale row and how the cost per job grows from `small` to `large`.
fn report_scale(large: &Measured, small: Option<&Measured>, runs: usize) {
    let n = large.n;
    println!();
    println!("== scale: {n} jobs vs the no-op plugin, latency 0 ms, median of {runs}");
    println!(
        "{:<16} {:>8} {:>8} {:>9} {:>10} {:>9} {:>13}   runs: jobs | no-op",
        "phase", "jobs", "no-op", "jobs/noop", "calls/job", "in flight", "RSS MiB j|n"
    );
    for phase in [Phase::Create, Phase::Plan, Phase::Destroy] {
        let (a, o) = (large.med(phase, JOBS), large.med(phase, NOOP));
        let rss = |i| large.rss_kb.get(&(phase, i)).copied().unwrap_or(0) as f64 / 1024.0;
        println!(
            "{:<16} {a:>7.2}s {o:>7.2}s {:>8.2}x {:>10.3} {:>9} {:>6.1}|{:<6.1}   {} | {}",
            phase.label(),
            a / o,
            large.per_job(phase, JOBS, None),
            large.in_flight.get(&(phase, JOBS)).copied().unwrap_or(0),
            rss(JOBS),
            rss(NOOP),
            large.runs(phase, JOBS),
            large.runs(phase, NOOP)
        );
    }
    let Some(small) = small else { return };
    println!(
        "growth per job, {} -> {n} jobs (ms per job; a ratio near 1 is linear):",
        small.n
    );
    for phase in [Phase::Create, Phase::Plan, Phase::Destroy] {
        let per = |m: &Measured, v: f64| v * 1000.0 / m.n as f64;
        let extra = |m: &Measured| per(m, m.med(phase, JOBS) - m.med(phase, NOOP));
        let cpu = |m: &Measured| per(m, Measured::cpu(&m.cpu_plugin, phase, JOBS));
        let wall = |m: &Measured| per(m, m.med(phase, JOBS));
        let noop = |m: &Measured| per(m, m.med(phase, NOOP));
        println!(
            "  {:<16} jobs wall {:.2} -> {:.2} ({:.2}x)   no-op wall {:.2} -> {:.2} ({:.2}x)   jobs - no-op {:+.2} -> {:+.2}   provider CPU {:.3} -> {:.3} ({:.2}x)",
            phase.label(),
            wall(small),
            wall(large),
            wall(large) / wall(small),
            noop(small),
            noop(large),
            noop(large) / noop(small),
            extra(small),
            extra(large),
            cpu(small),
            cpu(large),
            cpu(large) / cpu(small)
        );
    }
}

fn report_plan_rows(rows: &[PlanRow], runs: usize) {
    println!();
    println!("== plan (refresh) under latency vs the no-op plugin's plan + 2 round trips (round trip = latency + a page of 100 x per-object time), median of {runs}");
    println!(
        "{:>5} {:>7} {:>7} {:>5} {:>8} {:>8} {:>8} {:>8} {:>6} {:>9}   runs: jobs | no-op",
        "jobs",
        "latency",
        "us/obj",
        "conc",
        "jobs",
        "no-op",
        "floor",
        "vs floor",
        "lists",
        "in flight"
    );
    for r in rows {
        println!(
            "{:>5} {:>5}ms {:>7} {:>5} {:>7.2}s {:>7.2}s {:>7.2}s {:>7.2}x {:>6} {:>9}   {} | {}",
            r.n,
            r.latency_ms,
            r.per_object_us,
            r.concurrent,
            median(&r.jobs),
            median(&r.noop),
            r.floor_s(),
            r.vs_floor(),
            r.lists,
            r.in_flight,
            fmt_runs(&r.jobs),
            fmt_runs(&r.noop)
        );
    }
}

fn report_concurrency(m: &Measured, settings: &[usize], noop_create: Option<f64>, runs: usize) {
    let n = m.n;
    println!();
    println!("== max_concurrent_requests: {n} jobs at 50 ms, median of {runs}; floor = no-op apply (0 ms) + {n} x 50 ms / min({PARALLELISM}, setting)");
    println!(
        "{:>7} {:>8} {:>8} {:>10} {:>9} {:>10}   runs: apply | destroy",
        "setting", "apply", "destroy", "in flight", "floor", "vs floor"
    );
    for (i, c) in settings.iter().enumerate() {
        let floor = noop_create.map(|o| o + n as f64 * 0.050 / PARALLELISM.min(*c) as f64);
        println!(
            "{c:>7} {:>7.2}s {:>7.2}s {:>4} | {:<3} {:>9} {:>10}   {} | {}",
            m.med(Phase::Create, i),
            m.med(Phase::Destroy, i),
            m.in_flight.get(&(Phase::Create, i)).copied().unwrap_or(0),
            m.in_flight.get(&(Phase::Destroy, i)).copied().unwrap_or(0),
            opt_unit(floor, 2, "s"),
            opt_unit(floor.map(|f| m.med(Phase::Create, i) / f), 2, "x"),
            m.runs(Phase::Create, i),
            m.runs(Phase::Destroy, i)
        );
    }
}

fn main() {
    if noop_plugin::serve_if_started_as_plugin() {
        return;
    }
    // `cargo bench` passes `--bench`: nothing to parse.
    let bench_started = Instant::now();
    let runs = env_runs();
    let only = sections();
    let n = env_usize("JETBACKUP_BENCH_N", N_DEFAULT);
    let n_large = env_usize("JETBACKUP_BENCH_N_LARGE", N_LARGE_DEFAULT);
    let cli = pinned_terraform();
    let scratch = tempfile::Builder::new()
        .prefix("jetbackup-bench-")
        .tempdir()
        .expect("scratch directory");
    let provider = provider_under_test(scratch.path());
    let noop = ProviderBin::new(
        "noop",
        &std::env::current_exe().expect("the bench's own executable"),
        scratch.path(),
        "this bench's executable, serving the provider's schemas without an API (benches/noop_plugin)".to_string(),
    );
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

    println!("== terraform_floor: jetbackup_backup_job against the no-op plugin (the same schema, no API: the floor of any plugin with this schema) and terraform_data (Terraform's floor: no plugin)");
    println!(
        "terraform  {} ({}), -parallelism={PARALLELISM}, {runs} runs per row and side, sides interleaved; {n} resources ({n_large} in the scale row); sections: {}",
        cli.version,
        cli.path.display(),
        {
            let mut v: Vec<&str> = only.iter().map(String::as_str).collect();
            v.sort();
            v.join(",")
        }
    );
    for b in bins.iter().chain([&&noop]) {
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
    let handshakes = only.contains("handshake").then(|| {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .expect("generate a client certificate");
        let client_pem = cert.cert.pem();
        let hs_bins: Vec<&Path> = bins.iter().map(|b| b.exe.as_path()).collect();
        let handshakes = measure_handshakes(&hs_bins, &client_pem);
        report_handshakes(&bins, &handshakes);
        handshakes
    });

    // ---- Terraform ---------------------------------------------------------------
    let poller = Poller::start(
        bins.iter()
            .map(|b| b.exe.clone())
            .chain([noop.exe.clone()])
            .collect(),
    );
    let bench = Bench {
        cli: &cli,
        sim_bin: &sim_bin,
        provider: &provider,
        noop: &noop,
        baseline: baseline.as_ref(),
        poller: &poller,
        runs,
    };
    let labels: Vec<&str> = bins.iter().map(|b| b.label).collect();
    let mut main_rows: BTreeMap<u64, Measured> = BTreeMap::new();
    let mut keepalive = None;
    if only.contains("main") {
        for latency in LATENCIES_MS {
            let (m, k) = bench.main_rows(n, latency);
            report_main(latency, &m, runs, &labels);
            keepalive = keepalive.or(k);
            main_rows.insert(latency, m);
        }
        if let Some((c, p, d)) = keepalive {
            println!();
            println!(
                "== HTTP keep-alive (0 ms, through a counting TCP proxy): TCP connections opened for {n} jobs: create apply {c}, plan {p}, destroy {d} (max_concurrent_requests {MAX_CONCURRENT_REQUESTS}; one provider process per Terraform graph walk)"
            );
        }
    }
    let scale = only.contains("scale").then(|| {
        let m = bench.scale_row(n_large);
        report_scale(&m, main_rows.get(&0), runs);
        m
    });
    let mut plan_rows = Vec::new();
    if only.contains("latency") {
        let d = MAX_CONCURRENT_REQUESTS;
        for (count, rows) in [
            (n, vec![(50, 0, d), (200, 0, d)]),
            (
                n_large,
                vec![
                    (50, 0, d),
                    (200, 0, d),
                    (50, 500, 1),
                    (50, 500, 4),
                    (50, 500, d),
                ],
            ),
        ] {
            plan_rows.extend(bench.plan_rows(count, &rows));
        }
        report_plan_rows(&plan_rows, runs);
    }
    let concurrency_settings = [2, 4, 8, 10];
    if only.contains("concurrency") {
        let m = bench.concurrency_rows(n, &concurrency_settings);
        let noop_create = main_rows.get(&0).map(|m| m.med(Phase::Create, NOOP));
        report_concurrency(&m, &concurrency_settings, noop_create, runs);
    }
    drop(poller);

    // ---- targets ---------------------------------------------------------------
    let r0 = main_rows.get(&0);
    let r50 = main_rows.get(&50);
    let ratio =
        |m: Option<&Measured>, phase, side| m.map(|m| m.med(phase, JOBS) / m.med(phase, side));
    let apply_ratio = ratio(r0, Phase::Create, TF_DATA);
    let plan_ratio = ratio(r0, Phase::Plan, TF_DATA);
    let plan_ratio_50 = ratio(r50, Phase::Plan, TF_DATA);
    let apply_vs_noop = ratio(r0, Phase::Create, NOOP);
    let plan_vs_noop = ratio(r0, Phase::Plan, NOOP);
    let plan_vs_noop_50 = ratio(r50, Phase::Plan, NOOP);
    let apply_vs_noop_large = ratio(scale.as_ref(), Phase::Create, NOOP);
    let plan_vs_noop_large = ratio(scale.as_ref(), Phase::Plan, NOOP);
    let conc = PARALLELISM.min(MAX_CONCURRENT_REQUESTS) as f64;
    let floor_50 = r50.map(|r| r.med(Phase::Create, TF_DATA) + n as f64 * 0.050 / conc);
    let apply_vs_floor_50 = r50
        .zip(floor_50)
        .map(|(r, f)| r.med(Phase::Create, JOBS) / f);
    let calls = |phase, f| r0.map(|r| r.per_job(phase, JOBS, f));
    let calls_create = calls(Phase::Create, Some("manageBackupJob"));
    let calls_create_all = calls(Phase::Create, None);
    let calls_update = calls(Phase::Update, Some("manageBackupJob"));
    let calls_update_all = calls(Phase::Update, None);
    let calls_delete = calls(Phase::Destroy, None);
    let calls_delete_fn = calls(Phase::Destroy, Some("deleteBackupJob"));
    let calls_read = calls(Phase::Plan, None);
    let peak_kb = main_rows
        .values()
        .chain(scale.as_ref())
        .flat_map(|r| {
            r.rss_kb
                .iter()
                .filter(|((_, i), _)| *i == JOBS)
                .map(|(_, kb)| *kb)
        })
        .max();
    let peak_mb = peak_kb.map(|kb| kb as f64 / 1024.0);
    let hs = handshakes.as_ref().map(|h| median(&h[0].plain));
    let hs_mtls = handshakes.as_ref().map(|h| median(&h[0].mtls));

    println!();
    println!("== targets (provider side; n/a: section not run)");
    let t = |what: &str,
             value: Option<f64>,
             digits: usize,
             unit: &str,
             target: &str,
             ok: fn(f64) -> bool| {
        let verdict = value.map_or("n/a", |v| verdict(ok(v)));
        println!(
            "{verdict:<7} {what:<58} {:>12}   target {target}",
            opt_unit(value, digits, unit)
        );
    };
    t(
        "API calls per create (manageBackupJob / job)",
        calls_create,
        3,
        "",
        "1",
        |v| v <= 1.0,
    );
    t(
        "API calls per create (all calls / job)",
        calls_create_all,
        3,
        "",
        "1 (+ the duplicate-name check's listing)",
        |v| v <= 1.05,
    );
    t(
        "API calls per update (manageBackupJob / job)",
        calls_update,
        3,
        "",
        "1",
        |v| v <= 1.0,
    );
    t(
        "API calls per update (all calls / job)",
        calls_update_all,
        3,
        "",
        "1 (+ the refresh's 0.01)",
        |v| v <= 1.05,
    );
    t(
        "API calls per delete (deleteBackupJob / job)",
        calls_delete_fn,
        3,
        "",
        "1",
        |v| v <= 1.0,
    );
    t(
        "API calls per delete (all calls / job)",
        calls_delete,
        3,
        "",
        "1 (+ the refresh's 0.01)",
        |v| v <= 1.05,
    );
    t(
        "API calls per read (all calls in the plan / job)",
        calls_read,
        3,
        "",
        "<= 0.05",
        |v| v <= 0.05,
    );
    t(
        &format!("apply {n}, 0 ms: jobs / no-op plugin"),
        apply_vs_noop,
        2,
        "x",
        "<= 1.05x",
        |v| v <= 1.05,
    );
    t(
        &format!("plan {n}, 0 ms: jobs / no-op plugin"),
        plan_vs_noop,
        2,
        "x",
        "<= 1.05x",
        |v| v <= 1.05,
    );
    t(
        &format!("apply {n_large}, 0 ms: jobs / no-op plugin"),
        apply_vs_noop_large,
        2,
        "x",
        "<= 1.05x",
        |v| v <= 1.05,
    );
    t(
        &format!("plan {n_large}, 0 ms: jobs / no-op plugin"),
        plan_vs_noop_large,
        2,
        "x",
        "<= 1.05x",
        |v| v <= 1.05,
    );
    for r in plan_rows.iter().filter(|r| r.per_object_us == 0) {
        t(
            &format!(
                "plan {}, {} ms: jobs / (no-op + 2 round trips)",
                r.n, r.latency_ms
            ),
            Some(r.vs_floor()),
            2,
            "x",
            "<= 1.05x",
            |v| v <= 1.05,
        );
    }
    t(
        &format!("apply {n}, 0 ms: jobs / terraform_data (issue 5)"),
        apply_ratio,
        2,
        "x",
        "<= 1.5x",
        |v| v <= 1.5,
    );
    t(
        &format!("plan {n}, 0 ms: jobs / terraform_data (issue 5)"),
        plan_ratio,
        2,
        "x",
        "<= 1.3x",
        |v| v <= 1.3,
    );
    t(
        &format!("plan {n}, 50 ms: jobs / terraform_data (issue 5)"),
        plan_ratio_50,
        2,
        "x",
        "<= 1.3x",
        |v| v <= 1.3,
    );
    t(
        &format!("apply {n}, 50 ms: jobs / (terraform_data + latency floor)"),
        apply_vs_floor_50,
        2,
        "x",
        "<= 1.2x",
        |v| v <= 1.2,
    );
    t(
        "provider peak RSS (VmHWM, MiB)",
        peak_mb,
        1,
        "",
        "<= 20",
        |v| v <= 20.0,
    );
    t(
        "start-to-handshake median, plain (ms)",
        hs,
        2,
        "",
        "<= 10",
        |v| v <= 10.0,
    );
    t(
        "start-to-handshake median, mTLS (ms)",
        hs_mtls,
        2,
        "",
        "<= 10",
        |v| v <= 10.0,
    );
    println!(
        "binary size {} bytes = {:.2} MiB; the bench took {:.0} s",
        provider.size,
        mib(provider.size),
        bench_started.elapsed().as_secs_f64()
    );
    drop(scratch);

    println!(
        "bench: apply_ratio={} plan_ratio={} plan_ratio_50ms={} apply_vs_floor_50ms={} floor_50ms={} calls_per_create={} calls_per_read={} calls_per_delete={} peak_rss_mb={} handshake_ms={} calls_per_update={} handshake_mtls_ms={} binary_mb={:.2} apply_vs_noop={} plan_vs_noop={} plan_vs_noop_50ms={} apply_vs_noop_{n_large}={} plan_vs_noop_{n_large}={}",
        opt(apply_ratio, 2),
        opt(plan_ratio, 2),
        opt(plan_ratio_50, 2),
        opt(apply_vs_floor_50, 2),
        opt_unit(floor_50, 2, "s"),
        opt(calls_create, 2),
        opt(calls_read, 3),
        opt(calls_delete, 3),
        opt(peak_mb, 1),
        opt(hs, 2),
        opt(calls_update, 2),
        opt(hs_mtls, 2),
        mib(provider.size),
        opt(apply_vs_noop, 2),
        opt(plan_vs_noop, 2),
        opt(plan_vs_noop_50, 2),
        opt(apply_vs_noop_large, 2),
        opt(plan_vs_noop_large, 2),
    );
}

fn report_handshakes(bins: &[&ProviderBin], handshakes: &[Handshake]) {
    println!();
    println!(
        "== start-to-handshake: spawn -> first stdout line `1|6|tcp|…`, with go-plugin's environment; {HANDSHAKE_RUNS} runs each, interleaved"
    );
    for (b, h) in bins.iter().zip(handshakes) {
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
}
