//! Manual runs of backup jobs (`runBackupJobManually`): for each job ID,
//! whether it is running, when it was last started, and how many runs it
//! was queued for and finished.
//!
//! The run state is kept here, keyed by job ID, apart from the stored jobs:
//! a run is not a setting of the job, and reads lay it over the rendered
//! job ([`Runs::overlay`]: `running`, `state`, `last_run`). It lives in
//! memory only; a simulator started again begins from what its seed or
//! state file says of each job.
//!
//! A run never finishes by itself (no timers, so tests stay deterministic):
//! it ends when a test, or a user trying the simulator, posts
//! `/__sim/runs/finish` ([`Runs::finish_all`]), the simulator's stand-in
//! for a backup that completes.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};

use crate::api::wire::FormValue;

use super::clock::iso8601;
use super::form::required;
use super::seed::SimData;
use super::write::{not_found, Written};

/// What the reply to an accepted run says. Seen: the vendor's message says
/// the job will be added to the queue (the exact wording is not).
pub const QUEUED: &str = "The Backup Job will be added to the queue";

/// One job's runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JobRuns {
    pub running: bool,
    pub last_run: Option<String>,
    /// Runs accepted by `runBackupJobManually` since the simulator started.
    pub queued: u64,
    /// Runs finished by `/__sim/runs/finish`.
    pub finished: u64,
}

/// Every job's runs, by job ID.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Runs {
    jobs: BTreeMap<String, JobRuns>,
}

impl Runs {
    /// The runs a seed describes: a job stored with `running` set is
    /// running, and its `last_run` is kept.
    pub fn seeded(data: &SimData) -> Runs {
        let jobs = data
            .backup_jobs
            .iter()
            .map(|j| {
                let last_run = Some(j.text("last_run")).filter(|t| !t.is_empty());
                let runs = JobRuns {
                    running: j.bool("running"),
                    last_run,
                    queued: 0,
                    finished: 0,
                };
                (j.id().to_string(), runs)
            })
            .filter(|(_, runs)| runs.running || runs.last_run.is_some())
            .collect();
        Runs { jobs }
    }

    /// `runBackupJobManually`: queues a run of the job `_id`, or refuses
    /// it as the server does.
    pub(super) fn run_backup_job_manually(
        &mut self,
        data: &SimData,
        form: &FormValue,
        now: Duration,
    ) -> Result<(&'static str, Written), String> {
        let id = required(form, "_id")?;
        let job = data
            .backup_jobs
            .iter()
            .find(|j| j.id() == id)
            .ok_or_else(|| not_found("Backup Job", id))?;
        if job.bool("disabled") {
            // Seen: running a disabled job does not start it.
            // Inferred: the wording, and that it is `success: 0`.
            return Err(format!(
                "Backup Job '{}' is disabled; enable it before running it manually",
                job.name()
            ));
        }
        let runs = self.jobs.entry(id.to_string()).or_default();
        if runs.running {
            // Inferred: a job already running is not queued a second time,
            // and the refusal is a `success: 0` like the others.
            return Err(format!(
                "Backup Job '{}' is already running; wait for it to finish before running it again",
                job.name()
            ));
        }
        runs.running = true;
        runs.last_run = Some(iso8601(now.as_secs() as i64));
        runs.queued += 1;
        Ok((QUEUED, Written::Job(id.to_string())))
    }

    /// Finishes every running job; answers how many there were.
    pub fn finish_all(&mut self) -> usize {
        let mut finished = 0;
        for runs in self.jobs.values_mut().filter(|r| r.running) {
            runs.running = false;
            runs.finished += 1;
            finished += 1;
        }
        finished
    }

    /// Forgets the runs of jobs that are gone.
    pub fn retain_jobs(&mut self, data: &SimData) {
        self.jobs
            .retain(|id, _| data.backup_jobs.iter().any(|j| j.id() == id));
    }

    /// Lays a job's run state over the job as rendered (a JSON object with
    /// `_id`). Inferred: `state` is 2 while queued or running (the vendor's
    /// example right after a run shows 2) and 0 otherwise.
    pub fn overlay(&self, job: &mut Value) {
        let Some(runs) = job
            .get("_id")
            .and_then(Value::as_str)
            .and_then(|id| self.jobs.get(id))
        else {
            return;
        };
        if let Some(map) = job.as_object_mut() {
            map.insert("running".into(), json!(u8::from(runs.running)));
            map.insert("state".into(), json!(if runs.running { 2 } else { 0 }));
            map.insert("last_run".into(), json!(runs.last_run));
        }
    }

    /// `GET /__sim/runs`: every job's runs by ID.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(&self.jobs).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::Record;
    use crate::api::wire::parse_pairs;

    const NOW: Duration = Duration::from_secs(1_786_639_500); // 2026-08-13T16:45:00Z
    const ID: &str = "6503d48bfc45b1addf0a9632";

    fn data(disabled: bool) -> SimData {
        let job = Record::from_json(json!({"_id": ID, "name": "Nightly", "disabled": disabled}));
        SimData {
            backup_jobs: vec![job],
            ..SimData::default()
        }
    }

    fn run(runs: &mut Runs, data: &SimData, id: &str) -> Result<&'static str, String> {
        let form = FormValue::from_pairs(&parse_pairs(&format!("_id={id}")));
        runs.run_backup_job_manually(data, &form, NOW)
            .map(|(m, _)| m)
    }

    #[test]
    fn a_run_is_queued_once_until_it_finishes() {
        let d = data(false);
        let mut runs = Runs::seeded(&d);
        assert_eq!(run(&mut runs, &d, ID), Ok(QUEUED));
        let again = run(&mut runs, &d, ID).unwrap_err();
        assert!(again.contains("'Nightly' is already running"), "{again}");
        let mut job = json!({ "_id": ID, "running": 0, "state": 0, "last_run": null });
        runs.overlay(&mut job);
        assert_eq!(
            job,
            json!({ "_id": ID, "running": 1, "state": 2, "last_run": "2026-08-13T16:45:00+00:00" })
        );
        assert_eq!(runs.finish_all(), 1);
        assert_eq!(runs.finish_all(), 0);
        runs.overlay(&mut job);
        assert_eq!((&job["running"], &job["state"]), (&json!(0), &json!(0)));
        assert_eq!(job["last_run"], "2026-08-13T16:45:00+00:00");
        assert_eq!(run(&mut runs, &d, ID), Ok(QUEUED));
        assert_eq!(
            runs.to_json()[ID],
            json!({ "running": true, "last_run": "2026-08-13T16:45:00+00:00", "queued": 2, "finished": 1 })
        );
    }

    #[test]
    fn disabled_and_unknown_jobs_are_refused_and_not_queued() {
        let d = data(true);
        let mut runs = Runs::default();
        let disabled = run(&mut runs, &d, ID).unwrap_err();
        assert!(disabled.contains("'Nightly' is disabled"), "{disabled}");
        let other = "650000000000000000000000";
        assert_eq!(
            run(&mut runs, &d, other),
            Err(format!("Backup Job '{other}' not found"))
        );
        assert_eq!(runs, Runs::default());
    }

    #[test]
    fn a_seeded_running_job_is_running_and_gone_jobs_are_forgotten() {
        let mut d = data(false);
        d.backup_jobs[0].set("running", 1);
        let mut runs = Runs::seeded(&d);
        assert!(run(&mut runs, &d, ID).is_err());
        d.backup_jobs.clear();
        runs.retain_jobs(&d);
        assert_eq!(runs, Runs::default());
    }
}
