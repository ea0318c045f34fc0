//! Soak: 100 jobs created, modified and destroyed through a real Terraform
//! against `jetbackup-sim --fail-rate 0.2 --latency-ms 20`. Every phase must
//! converge (re-running `terraform apply` as a user would, a few times at
//! most) with the server holding exactly the configured jobs: no duplicates,
//! none lost, the state matching the server.
//!
//! Slow, so ignored by `cargo test`; run with `make soak`
//! (`cargo test --test soak -- --ignored --nocapture soak`). It prints the
//! figures (faults injected, retries, adopted creates, duplicates, lost jobs,
//! wall time) and writes them to `target/soak-report.txt`.
//! `SOAK_SEED` picks the fault sequence (default 1), `SOAK_JOBS` the count.

mod support;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use jetbackup::sim_process::SimProcess;
use serde_json::Value;
use support::{counted_jobs_config, server_jobs, terraform_clis, Workspace};

const MAX_TRIES: usize = 5;

fn config(n: usize, modified: bool) -> String {
    let extra = if modified {
        "exclude_list = [\"/home/*/soak-cache\"]\n  disabled     = true"
    } else {
        ""
    };
    counted_jobs_config("soak", "soak", n, extra)
}

struct Check {
    jobs: usize,
    duplicates: usize,
    lost: usize,
    orphans: usize,
}

/// Compares the server with the state: duplicates (a name twice), lost (in
/// state, not on the server), orphans (on the server, not in state).
fn check(sim: &SimProcess, ws: &Workspace, modified: bool) -> Check {
    let jobs = server_jobs(sim);
    let names: BTreeSet<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
    let on_server: BTreeSet<String> = jobs.iter().map(|j| j.id.to_string()).collect();
    if modified {
        for j in &jobs {
            assert!(
                *j.disabled && j.exclude_list == vec!["/home/*/soak-cache".to_string()],
                "job {} was not modified: {j:?}",
                j.name
            );
        }
    }
    let in_state = ws.state_job_ids();
    Check {
        jobs: jobs.len(),
        duplicates: jobs.len() - names.len(),
        lost: in_state.difference(&on_server).count(),
        orphans: on_server.difference(&in_state).count(),
    }
}

#[test]
#[ignore = "slow: run with `make soak`"]
fn soak_100_jobs_under_faults() {
    let seed: u64 = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let n: usize = std::env::var("SOAK_JOBS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let cli = terraform_clis()
        .into_iter()
        .next()
        .expect("a Terraform CLI");
    let sim = SimProcess::spawn(
        env!("CARGO_BIN_EXE_jetbackup-sim"),
        &[
            "--fail-rate",
            "0.2",
            "--latency-ms",
            "20",
            "--fail-seed",
            &seed.to_string(),
        ],
    )
    .expect("start jetbackup-sim");
    let log = tempfile::NamedTempFile::new().expect("log file");
    let log_path = log.path().to_string_lossy().into_owned();
    let url = sim.url().to_string();
    let ws = Workspace::new(
        &cli,
        &[
            ("JETBACKUP_ENDPOINT", &url),
            ("JETBACKUP_API_TOKEN", sim.token()),
            ("TF_LOG_PROVIDER", "debug"),
            ("TF_LOG_PATH", &log_path),
        ],
    );

    let mut report = String::new();
    let _ = writeln!(
        report,
        "soak: {n} jobs, {cli}, jetbackup-sim --fail-rate 0.2 --latency-ms 20 --fail-seed {seed}"
    );
    let started = Instant::now();
    let mut total_tries = 0;
    for (phase, hcl, expected, modified) in [
        ("create", config(n, false), n, false),
        ("modify", config(n, true), n, true),
        ("destroy", String::new(), 0, false),
    ] {
        let t = Instant::now();
        let mut tries = 0;
        let converged = loop {
            tries += 1;
            let out = if phase == "destroy" {
                ws.destroy()
            } else {
                ws.write_config(&hcl);
                ws.apply()
            };
            if out.success() {
                break true;
            }
            // Only the diagnostics: the plan of 100 jobs is noise here.
            let text = out.text();
            let errors = text.find("Error:").map_or("", |i| &text[i..]);
            println!(
                "{phase}: run {tries} failed: {}",
                errors.chars().take(1500).collect::<String>()
            );
            if tries >= MAX_TRIES {
                break false;
            }
        };
        total_tries += tries;
        // Converged means a plan right after has nothing to do (it may itself
        // meet faults, so it is retried too).
        let mut plan_code = -1;
        if phase != "destroy" {
            for _ in 0..MAX_TRIES {
                plan_code = ws.plan_detailed().code;
                if plan_code != 1 {
                    break;
                }
            }
        }
        let c = check(&sim, &ws, modified);
        let _ = writeln!(
            report,
            "{phase:8} {:>6.1} s  terraform runs: {tries}  plan after: {plan_code}  jobs on server: {}  duplicates: {}  lost: {}  orphans: {}",
            t.elapsed().as_secs_f64(),
            c.jobs,
            c.duplicates,
            c.lost,
            c.orphans
        );
        assert!(
            converged,
            "{phase} did not converge in {MAX_TRIES} runs\n{report}"
        );
        assert!(
            phase == "destroy" || plan_code == 0,
            "{phase}: plan after is {plan_code}\n{report}"
        );
        assert_eq!(c.jobs, expected, "{phase}\n{report}");
        assert_eq!(c.duplicates, 0, "{phase}\n{report}");
        assert_eq!(c.lost, 0, "{phase}\n{report}");
        assert_eq!(c.orphans, 0, "{phase}\n{report}");
    }
    let wall = started.elapsed();
    let stats = sim.stats().expect("stats");
    let log_text = std::fs::read_to_string(log.path()).unwrap_or_default();
    let count = |needle: &str| log_text.matches(needle).count();
    let calls: u64 = stats["calls"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    let _ = writeln!(
        report,
        "wall time: {:.1} s, terraform runs: {total_tries}",
        wall.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "API calls seen by the simulator: {calls} {}",
        stats["calls"]
    );
    let _ = writeln!(report, "faults injected: {}", stats["faults"]);
    let _ = writeln!(
        report,
        "client retries: {} (re-sent calls after a transient failure) + {} re-sent creates; creates adopted after a lost reply: {}",
        count("retrying"),
        count("sending it again"),
        count("adopted the object the server created")
    );
    let _ = writeln!(report, "duplicates: 0, lost: 0, orphans: 0");
    println!("\n{report}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/soak-report.txt");
    let _ = std::fs::write(out, &report);
}
