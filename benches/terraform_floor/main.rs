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
//!
//! Modules: [`sides`] (the provider binaries, a side's workspace, the
//! phases, one timed command), [`usage`] (peak RSS and CPU from /proc),
//! [`measure`] (interleaved runs and their statistics), [`rows`] (the
//! sections' sides and rows), [`report`] (what is printed, and the summary
//! line), [`handshake`] (start-to-handshake); `main` below runs the sections.

#[path = "../noop_plugin/mod.rs"]
mod noop_plugin;
#[path = "../../tests/support/mod.rs"]
mod support;

mod handshake;
mod measure;
mod report;
mod rows;
mod sides;
mod usage;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use crate::handshake::{measure_handshakes, report_handshakes};
use crate::measure::{env_runs, loadavg, median, Measured};
use crate::report::{
    env_usize, mib, opt, opt_unit, report_concurrency, report_main, report_plan_rows, report_scale,
    sections, verdict,
};
use crate::rows::{Bench, JOBS, NOOP, TF_DATA};
use crate::sides::{pinned_terraform, provider_under_test, Phase, ProviderBin};
use crate::usage::Poller;

// The no-op plugin finds its own executable by this name.
use crate::sides::PROVIDER_FILE;

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
