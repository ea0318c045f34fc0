//! `make bench`, data sources row: 200 `jetbackup_backup_job`s whose
//! destinations come from data sources (two `jetbackup_destination` lookups by
//! name and one `jetbackup_destinations` listing), next to the same 200 jobs
//! with literal destination IDs, each against its own `jetbackup-sim`.
//!
//! It reports the API calls per data source read in one `terraform plan`
//! (one provider process) and each kind's list requests per 100 objects
//! (target: at most one per kind per process), and the median plan time of
//! both configurations (runs interleaved A B A B A B so that the machine's
//! noise hits both).
//!
//! Schedules are given by ID in both configurations: the schedule data
//! source is not part of this bench yet.
//!
//! `JETBACKUP_BENCH_PROVIDER` (set by `make bench`) is the provider binary
//! to measure, `JETBACKUP_BENCH_RUNS` the runs per side (default 3, min 3).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use jetbackup::sim::seed::{DEST_LOCAL_ID, DEST_S3_ID, SCHEDULE_DAILY_ID};
use jetbackup::sim_process::SimProcess;
use support::{dev_overrides_cli_config, Workspace, REQUIRED_PROVIDERS};

const N: usize = 200;
const TOKEN: &str = "sim-token";
/// Data source blocks in the data-source configuration.
const DATA_SOURCE_READS: u64 = 3;

fn config(destination: &str, lookups: &str) -> String {
    format!(
        r#"{REQUIRED_PROVIDERS}provider "jetbackup" {{}}

{lookups}
resource "jetbackup_backup_job" "j" {{
  count       = {N}
  name        = "bench-${{count.index}}"
  type        = "accounts"
  structure   = "incremental"
  destination = {destination}
  schedules {{
    id     = "{SCHEDULE_DAILY_ID}"
    retain = 7
  }}
}}
"#
    )
}

fn with_data_sources() -> String {
    config(
        "[data.jetbackup_destination.local.id, data.jetbackup_destination.offsite.id]",
        r#"data "jetbackup_destination" "local" {
  name = "Local Backups"
}

data "jetbackup_destination" "offsite" {
  name = "S3 Offsite"
}

data "jetbackup_destinations" "all" {}

output "destination_count" {
  value = length(data.jetbackup_destinations.all.ids)
}
"#,
    )
}

fn with_literal_ids() -> String {
    config(&format!("[\"{DEST_LOCAL_ID}\", \"{DEST_S3_ID}\"]"), "")
}

struct Side {
    sim: SimProcess,
    ws: Workspace,
}

impl Side {
    fn new(provider_dir: &Path, hcl: &str) -> Side {
        let sim = support::sim(&["--token", TOKEN]);
        let url = sim.url().to_string();
        let cli = support::terraform_clis()
            .into_iter()
            .next()
            .expect("a Terraform CLI");
        let ws = Workspace::with_cli_config(
            &cli,
            &[
                ("JETBACKUP_ENDPOINT", &url),
                ("JETBACKUP_API_TOKEN", TOKEN),
                ("TF_CLI_ARGS_plan", "-parallelism=10"),
                ("TF_CLI_ARGS_apply", "-parallelism=10"),
            ],
            &dev_overrides_cli_config(provider_dir),
        );
        ws.write_config(hcl);
        ws.apply().expect_success("bench setup apply");
        Side { sim, ws }
    }

    /// One timed `plan` (expected empty) and the API calls it made.
    fn plan(&self) -> (f64, serde_json::Value) {
        self.sim.reset_stats().expect("reset sim stats");
        let start = Instant::now();
        let out = self.ws.plan_detailed();
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(out.code, 0, "bench: the plan is not empty:\n{out}");
        (secs, self.sim.stats().expect("sim stats")["calls"].clone())
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let provider_dir = std::env::var_os("JETBACKUP_BENCH_PROVIDER")
        .map(PathBuf::from)
        // Terraform runs in a temporary directory: a relative path (as
        // `make bench` passes it) must be made absolute first.
        .map(|p| p.canonicalize().unwrap_or(p))
        .and_then(|p| p.parent().map(|d| d.to_path_buf()))
        .unwrap_or_else(support::provider_dir);
    let runs = std::env::var("JETBACKUP_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse::<usize>().ok())
        .unwrap_or(3)
        .max(3);
    println!(
        "== data_sources: {N} jobs with destinations from {DATA_SOURCE_READS} data sources vs literal IDs (provider in {})",
        provider_dir.display()
    );
    let lookups = Side::new(&provider_dir, &with_data_sources());
    let literal = Side::new(&provider_dir, &with_literal_ids());
    let (mut with_ds, mut without) = (Vec::new(), Vec::new());
    let mut calls = serde_json::Value::Null;
    for _ in 0..runs {
        let (secs, c) = lookups.plan();
        with_ds.push(secs);
        calls = c;
        without.push(literal.plan().0);
    }
    let count = |f: &str| calls[f].as_u64().unwrap_or(0);
    let destination_calls = count("listDestinations") + count("getDestination");
    let per_read = destination_calls as f64 / DATA_SOURCE_READS as f64;
    // Objects per kind on the server: 2 destinations, N jobs.
    let pages = |objects: usize| objects.div_ceil(100) as u64;
    let dest_ok = count("listDestinations") <= pages(2);
    let jobs_ok = count("listBackupJobs") <= pages(N);
    println!(
        "plan API calls: listDestinations={} getDestination={} listBackupJobs={} getBackupJob={}",
        count("listDestinations"),
        count("getDestination"),
        count("listBackupJobs"),
        count("getBackupJob")
    );
    let (a, b) = (median(with_ds.clone()), median(without.clone()));
    println!(
        "plan seconds (median of {runs}): data sources {a:.2} {with_ds:.2?} vs literal IDs {b:.2} {without:.2?}"
    );
    println!(
        "bench: data_source_calls_per_read={per_read:.2} list_requests_per_kind_ok={} plan_ratio_data_sources_vs_literal={:.2}",
        if dest_ok && jobs_ok { "yes" } else { "NO" },
        a / b
    );
}
