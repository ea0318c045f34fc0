//! `make bench-fleet`: what a fleet in one configuration costs. For each
//! fleet size (servers, one provider alias and one `jetbackup-sim` each) with
//! the same number of jobs per server, it times `apply` and `plan` and adds
//! up the peak RSS (VmHWM) of every provider process a command starts (`plan
//! MiB`, `apply MiB`), four ways:
//!
//! - the provider on the fleet, and the same jobs all on one server, so the
//!   cost of each extra provider configuration (process) is visible;
//! - the no-op plugin (`benches/noop_plugin`: the provider's own schema, no
//!   API) the same two ways: what any plugin process costs, the floor.
//!
//! `idle/proc` is the peak per process of a `plan -refresh=false` after the
//! apply: providers configured that never call the API. `anon/proc` and
//! `file/proc` split a process's RSS at its highest sample into anonymous
//! pages (heap, stacks, relocated data: its own) and file-backed ones (the
//! binary's and the libraries' pages, which every process of one binary
//! shares in physical memory although each one's RSS counts them), so the
//! real memory of N processes is about N × anon + one × file.
//!
//! Per-server figures: memory is the total over the processes divided by the
//! servers; plan overhead per server is (plan of the fleet − plan of the
//! same jobs on one server) / (servers − 1).
//!
//! Settings: `JETBACKUP_FLEET_SERVERS` (default `10,50`),
//! `JETBACKUP_FLEET_JOBS` (jobs per server, default 10), `JETBACKUP_FLEET_RUNS`
//! (plans per side, median; default 3), `JETBACKUP_BENCH_PROVIDER` (the
//! binary under test; `make bench-fleet` passes the release build).
//! Wall times on a shared machine are indicative: the load average is printed.

#[path = "noop_plugin/mod.rs"]
mod noop_plugin;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use jetbackup::sim_process::SimProcess;
use support::{TerraformCli, Workspace};

/// The file name `dev_overrides` looks for (also how the no-op plugin knows
/// it was started as one).
const PROVIDER_FILE: &str = "terraform-provider-jetbackup";
const TOKEN: &str = "sim-token";

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

/// One plugin process's memory: its peak RSS (VmHWM) and, at the sample
/// with the highest RSS, how much of it was anonymous (heap, stacks,
/// relocated data: this process's own) and file-backed (the binary's and the
/// libraries' pages: shared by every process of the same binary, although
/// each one's RSS counts them). All in kB.
#[derive(Clone, Copy, Default)]
struct Mem {
    hwm: u64,
    rss: u64,
    anon: u64,
    file: u64,
}

impl Mem {
    fn add(self, o: Mem) -> Mem {
        Mem {
            hwm: self.hwm + o.hwm,
            rss: self.rss + o.rss,
            anon: self.anon + o.anon,
            file: self.file + o.file,
        }
    }
}

/// Records every process running `exe`, with its [`Mem`].
struct RssPoller {
    stop: Arc<AtomicBool>,
    peaks: Arc<Mutex<HashMap<u32, Mem>>>,
    handle: Option<thread::JoinHandle<()>>,
}

impl RssPoller {
    fn start(exe: PathBuf) -> RssPoller {
        let stop = Arc::new(AtomicBool::new(false));
        let peaks: Arc<Mutex<HashMap<u32, Mem>>> = Arc::default();
        let handle = {
            let (stop, peaks) = (stop.clone(), peaks.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    for (pid, now) in processes_of(&exe) {
                        let mut p = peaks.lock().unwrap();
                        let e = p.entry(pid).or_default();
                        let hwm = e.hwm.max(now.hwm);
                        if now.rss >= e.rss {
                            *e = now;
                        }
                        e.hwm = hwm;
                    }
                    // A sampling interval, not an ordering wait.
                    thread::sleep(Duration::from_millis(10));
                }
            })
        };
        RssPoller {
            stop,
            peaks,
            handle: Some(handle),
        }
    }

    /// (processes seen, their [`Mem`]s added up).
    fn finish(mut self) -> (usize, Mem) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        let p = self.peaks.lock().unwrap();
        (p.len(), p.values().fold(Mem::default(), |a, &m| a.add(m)))
    }
}

/// PIDs running `exe` with their memory now (`/proc/PID/status`).
fn processes_of(exe: &Path) -> Vec<(u32, Mem)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            (std::fs::read_link(e.path().join("exe")).ok()? == exe).then_some(())?;
            let status = std::fs::read_to_string(e.path().join("status")).ok()?;
            let kb = |key: &str| -> Option<u64> {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            };
            let mem = Mem {
                hwm: kb("VmHWM")?,
                rss: kb("VmRSS")?,
                anon: kb("RssAnon")?,
                file: kb("RssFile")? + kb("RssShmem").unwrap_or(0),
            };
            Some((pid, mem))
        })
        .collect()
}

/// `servers` aliases, `jobs` accounts jobs each, on the simulators' URLs.
fn fleet_config(urls: &[String], jobs: usize) -> String {
    let dest = jetbackup::sim::seed::DEST_LOCAL_ID;
    let mut hcl = format!(
        "{}variable \"token\" {{\n  type      = string\n  sensitive = true\n}}\n",
        support::REQUIRED_PROVIDERS
    );
    for (i, url) in urls.iter().enumerate() {
        hcl.push_str(&format!(
            r#"
provider "jetbackup" {{
  alias     = "s{i}"
  endpoint  = "{url}"
  api_token = var.token
}}

resource "jetbackup_backup_job" "s{i}" {{
  provider    = jetbackup.s{i}
  count       = {jobs}
  name        = "fleet-{i}-${{count.index}}"
  type        = "accounts"
  structure   = "incremental"
  destination = ["{dest}"]
}}
"#
        ));
    }
    hcl
}

struct Row {
    /// Provider processes one `plan` started (one per alias, and Terraform's
    /// own schema-loading ones).
    processes: usize,
    /// Their memory added up, during one `plan` and during the `apply`.
    plan: Mem,
    apply: Mem,
    /// The same for `plan -refresh=false` (providers configured that never
    /// call the API), and how many processes it started.
    idle: Mem,
    idle_processes: usize,
    apply_s: f64,
    plan_s: f64,
}

/// Applies, plans `runs` times (the median plan's figures), destroys.
fn measure(cli: &TerraformCli, exe: &Path, urls: &[String], jobs: usize, runs: usize) -> Row {
    let dir = exe.parent().expect("provider directory");
    let ws = Workspace::with_cli_config(
        cli,
        &[("TF_VAR_token", TOKEN)],
        &support::dev_overrides_cli_config(dir),
    );
    ws.write_config(&fleet_config(urls, jobs));
    let poller = RssPoller::start(exe.to_path_buf());
    let started = Instant::now();
    ws.apply().expect_success("bench apply");
    let apply_s = started.elapsed().as_secs_f64();
    let (_, apply) = poller.finish();
    let mut plans: Vec<(f64, usize, Mem)> = (0..runs)
        .map(|_| {
            let poller = RssPoller::start(exe.to_path_buf());
            let started = Instant::now();
            let out = ws.plan_detailed();
            let elapsed = started.elapsed().as_secs_f64();
            assert_eq!(
                out.code, 0,
                "bench: the plan after apply is not empty:\n{out}"
            );
            let (processes, mem) = poller.finish();
            (elapsed, processes, mem)
        })
        .collect();
    let poller = RssPoller::start(exe.to_path_buf());
    ws.run(&["plan", "-refresh=false", "-detailed-exitcode"]);
    let (idle_processes, idle) = poller.finish();
    ws.destroy().expect_success("bench destroy");
    plans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (plan_s, processes, plan) = plans[plans.len() / 2];
    Row {
        processes,
        plan,
        apply,
        idle,
        idle_processes,
        apply_s,
        plan_s,
    }
}

/// `binary` copied into a directory of its own under the name Terraform expects.
fn install(binary: &Path, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("create a provider directory");
    let dest = dir.join(PROVIDER_FILE);
    std::fs::copy(binary, &dest).expect("copy the provider");
    dest.canonicalize().expect("the copied provider")
}

fn main() {
    if noop_plugin::serve_if_started_as_plugin() {
        return;
    }
    let servers = env_list("JETBACKUP_FLEET_SERVERS", &[10, 50]);
    let jobs = env_list("JETBACKUP_FLEET_JOBS", &[10])[0];
    let runs = env_list("JETBACKUP_FLEET_RUNS", &[3])[0].max(1);
    let cli = support::terraform_clis()
        .into_iter()
        .next()
        .expect("a Terraform CLI");
    let scratch = tempfile::tempdir().expect("scratch directory");
    let provider = std::env::var_os("JETBACKUP_BENCH_PROVIDER")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(support::provider_binary);
    let provider = install(&provider, &scratch.path().join("provider"));
    let noop = install(
        &std::env::current_exe().expect("the bench's own executable"),
        &scratch.path().join("noop"),
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "fleet bench: {cli}, {jobs} jobs per server, median of {runs} plans; load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("provider: {}", provider.display());
    println!(
        "memory: peak RSS (VmHWM) of each plugin process, added up over one command's processes \
         (MiB) and per process (/proc); anon and file: the anonymous (the process's own) and \
         file-backed (the binary's and libraries' pages, shared between processes of one binary \
         but counted in each one's RSS) parts of a process's RSS at its highest sample; idle: \
         `plan -refresh=false`, providers that never call the API"
    );
    println!(
        "time (apply s, plan s): wall clock, indicative on a shared machine (see the load average)"
    );
    println!(
        "{:>7} {:<8} {:<6} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8}",
        "servers",
        "plugin",
        "layout",
        "procs",
        "plan MiB",
        "MiB/proc",
        "anon/proc",
        "file/proc",
        "idle/proc",
        "idle anon",
        "apply MiB",
        "apply s",
        "plan s"
    );
    for &n in &servers {
        let sims: Vec<SimProcess> = (0..n).map(|_| support::sim(&["--token", TOKEN])).collect();
        let urls: Vec<String> = sims.iter().map(|s| s.url().to_string()).collect();
        let mut plan_of = HashMap::new();
        for (label, exe) in [("provider", &provider), ("no-op", &noop)] {
            for (layout, urls, per) in [("fleet", &urls[..], jobs), ("one", &urls[..1], jobs * n)] {
                let row = measure(&cli, exe, urls, per, runs);
                let per_proc = |kb: u64, procs: usize| kb as f64 / 1024.0 / procs.max(1) as f64;
                let (p, i) = (row.processes, row.idle_processes);
                println!(
                    "{n:>7} {label:<8} {layout:<6} {p:>5} {:>9.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.1} {:>8.2} {:>8.3}",
                    row.plan.hwm as f64 / 1024.0,
                    per_proc(row.plan.hwm, p),
                    per_proc(row.plan.anon, p),
                    per_proc(row.plan.file, p),
                    per_proc(row.idle.hwm, i),
                    per_proc(row.idle.anon, i),
                    row.apply.hwm as f64 / 1024.0,
                    row.apply_s,
                    row.plan_s
                );
                plan_of.insert((label, layout), row.plan_s);
            }
        }
        if n > 1 {
            let per_server = |label| {
                (plan_of[&(label, "fleet")] - plan_of[&(label, "one")]) / (n - 1) as f64 * 1000.0
            };
            let (p, f) = (per_server("provider"), per_server("no-op"));
            println!(
                "{n:>7} plan overhead per extra server: provider {p:.1} ms, no-op {f:.1} ms (ratio {:.2})",
                p / f
            );
        }
    }
}
