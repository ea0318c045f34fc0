//! Interleaved runs of every side and what they measured (times, API calls,
//! peaks), the statistics over them, and the keep-alive check's counting
//! proxy.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;

use serde_json::Value;

use crate::sides::{Phase, Side};
use crate::usage::Poller;

// ---------------------------------------------------------------------------
// Keep-alive check: a TCP proxy that counts the connections made through it.

pub(crate) struct CountingProxy {
    pub(crate) port: u16,
    pub(crate) connections: Arc<AtomicU64>,
}

impl CountingProxy {
    pub(crate) fn start(upstream_port: u16) -> CountingProxy {
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

    pub(crate) fn take(&self) -> u64 {
        self.connections.swap(0, Ordering::SeqCst)
    }
}

// ---------------------------------------------------------------------------
// Statistics

pub(crate) fn median(v: &[f64]) -> f64 {
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

pub(crate) fn fmt_runs(v: &[f64]) -> String {
    v.iter()
        .map(|s| format!("{s:.2}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn calls_of(stats: &Value) -> BTreeMap<String, u64> {
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

pub(crate) fn fmt_calls(calls: &BTreeMap<String, u64>) -> String {
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
pub(crate) struct Measured {
    /// Resources per side.
    pub(crate) n: usize,
    /// Wall time of every run, in s.
    pub(crate) times: BTreeMap<(Phase, usize), Vec<f64>>,
    /// The simulator's calls per function, every run (sides with a simulator).
    pub(crate) calls: BTreeMap<(Phase, usize), Vec<BTreeMap<String, u64>>>,
    /// The simulator's peak of API requests in flight, the largest of the runs.
    pub(crate) in_flight: BTreeMap<(Phase, usize), u64>,
    /// Peak RSS (VmHWM, kB) of the plugin processes, the largest of the runs.
    pub(crate) rss_kb: BTreeMap<(Phase, usize), u64>,
    /// CPU seconds of Terraform's own process and of the plugin processes.
    pub(crate) cpu_terraform: BTreeMap<(Phase, usize), Vec<f64>>,
    pub(crate) cpu_plugin: BTreeMap<(Phase, usize), Vec<f64>>,
}

impl Measured {
    pub(crate) fn med(&self, phase: Phase, side: usize) -> f64 {
        median(self.times.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    pub(crate) fn runs(&self, phase: Phase, side: usize) -> String {
        fmt_runs(self.times.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    pub(crate) fn cpu(map: &BTreeMap<(Phase, usize), Vec<f64>>, phase: Phase, side: usize) -> f64 {
        median(map.get(&(phase, side)).map_or(&[][..], |v| &v[..]))
    }

    /// Calls per resource of `function` (None: every function) in `phase` on
    /// side `side`; the largest over the runs.
    pub(crate) fn per_job(&self, phase: Phase, side: usize, function: Option<&str>) -> f64 {
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

    pub(crate) fn first_calls(&self, phase: Phase, side: usize) -> (BTreeMap<String, u64>, bool) {
        let all = self.calls.get(&(phase, side)).cloned().unwrap_or_default();
        let first = all.first().cloned().unwrap_or_default();
        let same = all.iter().all(|c| *c == first);
        (first, same)
    }
}

/// Runs `phases` `runs` times on every side, interleaved (A B C A B C …),
/// checking after each command that it did its job and that each simulator
/// holds what it should.
pub(crate) fn measure(
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

pub(crate) fn env_runs() -> usize {
    std::env::var("JETBACKUP_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(3)
}

pub(crate) fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
