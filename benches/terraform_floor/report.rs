//! The report: the sections to run, and the printed rows and their
//! verdicts.

use std::collections::HashSet;

use crate::measure::{fmt_calls, fmt_runs, median, Measured};
use crate::rows::{PlanRow, BASELINE, JOBS, NOOP, TF_DATA};
use crate::sides::{Phase, PHASES};
use crate::{MAX_CONCURRENT_REQUESTS, PARALLELISM};

/// Which parts of the bench run: `JETBACKUP_BENCH_ONLY`, a comma-separated
/// subset of `handshake,main,scale,latency,concurrency` (default: all).
pub(crate) fn sections() -> HashSet<String> {
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

pub(crate) fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

pub(crate) fn opt(v: Option<f64>, digits: usize) -> String {
    opt_unit(v, digits, "")
}

/// `v` with its unit, or `n/a` (a section that did not run).
pub(crate) fn opt_unit(v: Option<f64>, digits: usize, unit: &str) -> String {
    v.filter(|x| x.is_finite())
        .map_or_else(|| "n/a".to_string(), |x| format!("{x:.digits$}{unit}"))
}

/// Prints the main rows of one latency.
pub(crate) fn report_main(latency: u64, m: &Measured, runs: usize, labels: &[&str]) {
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
pub(crate) fn report_scale(large: &Measured, small: Option<&Measured>, runs: usize) {
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

pub(crate) fn report_plan_rows(rows: &[PlanRow], runs: usize) {
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

pub(crate) fn report_concurrency(
    m: &Measured,
    settings: &[usize],
    noop_create: Option<f64>,
    runs: usize,
) {
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

pub(crate) fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

pub(crate) fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}
