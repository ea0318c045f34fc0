//! The rows of the bench: [`Bench`] builds the sides of each section (main,
//! scale, latency, concurrency) and measures them; [`PlanRow`] is one plan
//! under latency.

use std::path::Path;

use jetbackup::sim_process::SimProcess;

use crate::measure::{calls_of, loadavg, measure, median, CountingProxy, Measured};
use crate::sides::{data_config, jobs_config, Phase, ProviderBin, Side, PHASES};
use crate::support;
use crate::support::{TerraformCli, Workspace};
use crate::usage::Poller;
use crate::TOKEN;

/// Side indices in the main rows.
pub(crate) const JOBS: usize = 0;
pub(crate) const NOOP: usize = 1;
pub(crate) const TF_DATA: usize = 2;
pub(crate) const BASELINE: usize = 3;

/// Everything a section of the bench needs.
pub(crate) struct Bench<'a> {
    pub(crate) cli: &'a TerraformCli,
    pub(crate) sim_bin: &'a Path,
    pub(crate) provider: &'a ProviderBin,
    pub(crate) noop: &'a ProviderBin,
    pub(crate) baseline: Option<&'a ProviderBin>,
    pub(crate) poller: &'a Poller,
    pub(crate) runs: usize,
}

impl Bench<'_> {
    /// A provider side: its own simulator (so that call counts and job counts
    /// are its own, started with `sim_args`) and a workspace whose
    /// `dev_overrides` point at `bin`; `max_concurrent_requests` when given.
    pub(crate) fn provider_side(
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
    pub(crate) fn noop_side(&self, n: usize) -> Side {
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

    pub(crate) fn data_side(&self, n: usize) -> Side {
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
    pub(crate) fn main_rows(
        &self,
        n: usize,
        latency_ms: u64,
    ) -> (Measured, Option<(u64, u64, u64)>) {
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
    pub(crate) fn scale_row(&self, n: usize) -> Measured {
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
    pub(crate) fn plan_rows(&self, n: usize, rows: &[(u64, u64, usize)]) -> Vec<PlanRow> {
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
    pub(crate) fn concurrency_rows(&self, n: usize, settings: &[usize]) -> Measured {
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

pub(crate) const MAX_CONCURRENT_ENV: &str = "JETBACKUP_MAX_CONCURRENT_REQUESTS";

/// A plan of `n` jobs under latency, interleaved with the no-op plugin's plan.
#[derive(Default)]
pub(crate) struct PlanRow {
    pub(crate) n: usize,
    pub(crate) latency_ms: u64,
    pub(crate) per_object_us: u64,
    pub(crate) concurrent: usize,
    pub(crate) jobs: Vec<f64>,
    pub(crate) noop: Vec<f64>,
    /// `listBackupJobs` calls of one plan, and the simulator's peak in flight.
    pub(crate) lists: u64,
    pub(crate) in_flight: u64,
}

impl PlanRow {
    /// One round trip: the latency plus a full page's per-object time.
    pub(crate) fn round_trip_s(&self) -> f64 {
        let page = self.n.min(jetbackup::api::client::PAGE_SIZE as usize) as f64;
        (self.latency_ms as f64 * 1000.0 + self.per_object_us as f64 * page) / 1e6
    }

    /// The target: the no-op plugin's plan plus two round trips.
    pub(crate) fn floor_s(&self) -> f64 {
        median(&self.noop) + 2.0 * self.round_trip_s()
    }

    pub(crate) fn vs_floor(&self) -> f64 {
        median(&self.jobs) / self.floor_s()
    }
}
