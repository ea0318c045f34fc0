//! The simulator's state and its API functions.
//!
//! [`Sim`] owns the data and answers one call at a time (the server keeps it
//! behind a mutex). Reads render objects from the stored data on every call,
//! so derived fields (`destination_details`, schedule names, `next_run`,
//! schedule `count`/`jobs`, destination `count`) are always consistent with
//! what they refer to. Writes are applied to a copy, saved (with `--state`),
//! and only then swapped in: a refused or unsaved write changes nothing.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};

use crate::api::job::{BackupJob, DestinationSummary};
use crate::api::models::{AccountFilter, AccountFilterGroup, Schedule, ScheduleJobRef};
use crate::api::object::account_filter::ACCOUNT_FILTER;
use crate::api::object::schedule::{type_name as schedule_type_name, SCHEDULE};
use crate::api::wire::FormValue;

use super::clock::{iso8601, next_fire};
use super::destination::{
    delete_destination, destination_types, manage_destination, render_destination,
};
use super::form::{opt_scalar, required};
use super::job_request::{apply_job_request, decode_job_request};
use super::listing::{page, parse_list_params};
use super::object_request::apply_request;
use super::objectid::IdGen;
use super::seed::{account, SimData, ROOT_ACCOUNT_ID};

/// Functions that change data: the ones whose reply can be lost after the
/// change committed.
pub const WRITE_FUNCTIONS: &[&str] = &[
    "manageBackupJob",
    "deleteBackupJob",
    "duplicateBackupJob",
    "runBackupJobManually",
    "manageSchedule",
    "deleteSchedule",
    "manageAccountFilter",
    "deleteAccountFilter",
    "manageDestination",
    "deleteDestination",
];

/// Every function the simulator implements.
pub const FUNCTIONS: &[&str] = &[
    "manageBackupJob",
    "getBackupJob",
    "listBackupJobs",
    "deleteBackupJob",
    "duplicateBackupJob",
    "runBackupJobManually",
    "manageSchedule",
    "listSchedules",
    "getSchedule",
    "deleteSchedule",
    "listDestinations",
    "getDestination",
    "manageDestination",
    "listAccountFilterGroups",
    "getAccountFilterGroup",
    "manageAccountFilter",
    "getAccountFilter",
    "listAccountFilters",
    "deleteAccountFilter",
    "manageDestination",
    "deleteDestination",
    "listDestinationTypes",
];

pub fn is_write(function: &str) -> bool {
    WRITE_FUNCTIONS.contains(&function)
}

/// The outcome of one call: the envelope's `success`, `message` and `data`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub success: bool,
    pub message: String,
    pub data: Value,
}

impl Reply {
    pub fn ok(message: impl Into<String>, data: Value) -> Reply {
        Reply {
            success: true,
            message: message.into(),
            data,
        }
    }

    /// `success: 0`; `data` is an empty PHP array, printed `[]`.
    pub fn fail(message: impl Into<String>) -> Reply {
        Reply {
            success: false,
            message: message.into(),
            data: json!([]),
        }
    }
}

/// What a write produced, rendered after the new data is in place.
pub(super) enum Written {
    Job(String),
    Schedule(String),
    AccountFilter(String),
    Destination(String),
    Nothing,
}

pub(super) fn to_value<T: Serialize>(v: &T) -> Value {
    // Serializing these plain structs cannot fail; null is a safe fallback.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Writes `data` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over the target.
pub fn save_atomically(path: &Path, data: &SimData) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(data).map_err(io::Error::other)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_string());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        // Make the rename itself durable; not every platform allows it.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[derive(Debug, Clone)]
pub struct Sim {
    data: SimData,
    ids: IdGen,
    state_file: Option<PathBuf>,
}

impl Sim {
    pub fn new(data: SimData, ids: IdGen, state_file: Option<PathBuf>) -> Sim {
        Sim {
            data,
            ids,
            state_file,
        }
    }

    pub fn data(&self) -> &SimData {
        &self.data
    }

    pub fn job_count(&self) -> usize {
        self.data.backup_jobs.len()
    }

    /// Saves the current data to the state file, if there is one.
    pub fn save(&self) -> io::Result<()> {
        match &self.state_file {
            Some(path) => save_atomically(path, &self.data),
            None => Ok(()),
        }
    }

    /// What `call` would answer, without changing anything (used to make a
    /// realistic reply for a fault that must not commit).
    pub fn dry_run(&self, function: &str, form: &FormValue, now: Duration) -> Reply {
        let mut copy = Sim {
            data: self.data.clone(),
            ids: self.ids.clone(),
            state_file: None,
        };
        copy.call(function, form, now)
    }

    /// Runs one API function. `now` is the time since the Unix epoch.
    pub fn call(&mut self, function: &str, form: &FormValue, now: Duration) -> Reply {
        let secs = now.as_secs() as i64;
        let result = match function {
            "listBackupJobs" => self.list(form, "jobs", |d| {
                d.backup_jobs
                    .iter()
                    .map(|j| to_value(&render_job(d, j, secs)))
                    .collect()
            }),
            "listSchedules" => self.list(form, "schedules", |d| {
                d.schedules
                    .iter()
                    .map(|s| to_value(&render_schedule(d, s)))
                    .collect()
            }),
            "listDestinations" => self.list(form, "destinations", |d| {
                d.destinations
                    .iter()
                    .map(|x| to_value(&render_destination(d, x)))
                    .collect()
            }),
            "listAccountFilterGroups" => self.list(form, "groups", |d| {
                d.account_filter_groups
                    .iter()
                    .map(|g| to_value(&render_group(d, g)))
                    .collect()
            }),
            "listAccountFilters" => self.list(form, "filters", |d| {
                d.account_filters
                    .iter()
                    .map(|x| to_value(&render_filter(d, x)))
                    .collect()
            }),
            "getBackupJob" => self.get(form, "Backup Job", |d, id| {
                d.backup_jobs
                    .iter()
                    .find(|j| j.id == id)
                    .map(|j| to_value(&render_job(d, j, secs)))
            }),
            "getSchedule" => self.get(form, "Schedule", |d, id| {
                d.schedules
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| to_value(&render_schedule(d, s)))
            }),
            "getDestination" => self.get(form, "Destination", |d, id| {
                d.destinations
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| to_value(&render_destination(d, x)))
            }),
            "getAccountFilterGroup" => self.get(form, "Account Filter Group", |d, id| {
                d.account_filter_groups
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| to_value(&render_group(d, g)))
            }),
            "getAccountFilter" => self.get(form, "Account Filter", |d, id| {
                d.account_filters
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| to_value(&render_filter(d, x)))
            }),
            "listDestinationTypes" => Ok(Reply::ok("", destination_types(&self.data))),
            f if is_write(f) => self.write(f, form, now),
            // Inferred: over HTTP an unknown function is a `success: 0`
            // (the CLI is seen to accept one silently).
            _ => Err(format!("Unknown function: {function}")),
        };
        result.unwrap_or_else(Reply::fail)
    }

    fn list(
        &self,
        form: &FormValue,
        collection: &str,
        items: impl FnOnce(&SimData) -> Vec<Value>,
    ) -> Result<Reply, String> {
        let params = parse_list_params(form)?;
        let (items, total) = page(items(&self.data), &params);
        Ok(Reply::ok("", json!({ collection: items, "total": total })))
    }

    fn get(
        &self,
        form: &FormValue,
        kind: &str,
        find: impl FnOnce(&SimData, &str) -> Option<Value>,
    ) -> Result<Reply, String> {
        let id = required(form, "_id")?;
        find(&self.data, id)
            .map(|v| Reply::ok("", v))
            .ok_or_else(|| not_found(kind, id))
    }

    /// Applies a write to a copy of the data, saves it, then swaps it in.
    fn write(&mut self, function: &str, form: &FormValue, now: Duration) -> Result<Reply, String> {
        let mut next = self.data.clone();
        let mut ids = self.ids.clone();
        let (message, written) = match function {
            "manageBackupJob" => manage_backup_job(&mut next, &mut ids, form, now)?,
            "deleteBackupJob" => {
                let id = required(form, "_id")?;
                let before = next.backup_jobs.len();
                next.backup_jobs.retain(|j| j.id != id);
                if next.backup_jobs.len() == before {
                    return Err(not_found("Backup Job", id));
                }
                ("Backup Job Deleted Successfully", Written::Nothing)
            }
            "duplicateBackupJob" => {
                let id = required(form, "_id")?;
                let orig = next
                    .backup_jobs
                    .iter()
                    .find(|j| j.id == id)
                    .ok_or_else(|| not_found("Backup Job", id))?;
                let new_id = fresh_id(&next, &mut ids, now);
                // The vendor's example names the copy `<name> - <digits>`
                // where the digits start with the creation second
                // (`job1 - 16952335682482`). Inferred: the extra digits are a
                // sub-second fraction.
                // Inferred: everything else, schedules included, is copied.
                let copy = BackupJob {
                    id: new_id.clone(),
                    name: format!(
                        "{} - {}{:04}",
                        orig.name,
                        now.as_secs(),
                        now.subsec_micros() / 100
                    ),
                    disabled: true,
                    running: false,
                    state: 0,
                    last_run: None,
                    ..orig.clone()
                };
                next.backup_jobs.push(copy);
                ("Backup Job Duplicated Successfully", Written::Job(new_id))
            }
            "runBackupJobManually" => {
                let id = required(form, "_id")?;
                let job = next
                    .backup_jobs
                    .iter_mut()
                    .find(|j| j.id == id)
                    .ok_or_else(|| not_found("Backup Job", id))?;
                if job.disabled {
                    // Seen: running a disabled job does not start it.
                    // Inferred: the wording, and that it is `success: 0`.
                    return Err(format!(
                        "Backup Job '{}' is disabled; enable it before running it manually",
                        job.name
                    ));
                }
                // Inferred: `state` 2 means queued/running (the vendor's
                // example shows it right after this call; its meaning is not
                // documented). The simulated run stays "running" until the
                // job is deleted; nothing ever finishes it.
                job.running = true;
                job.state = 2;
                job.last_run = Some(iso8601(now.as_secs() as i64));
                (
                    "The Backup Job will be added to the queue",
                    Written::Job(id.to_string()),
                )
            }
            "manageSchedule" => manage_schedule(&mut next, &mut ids, form, now)?,
            "deleteSchedule" => {
                let id = required(form, "_id")?;
                let schedule = next
                    .schedules
                    .iter()
                    .find(|s| s.id == id)
                    .ok_or_else(|| not_found("Schedule", id))?;
                let users: Vec<&str> = next
                    .backup_jobs
                    .iter()
                    .filter(|j| j.schedules.iter().any(|s| s.id == id))
                    .map(|j| j.name.as_str())
                    .collect();
                if !users.is_empty() {
                    // Inferred: JetBackup's behaviour when deleting a
                    // schedule that jobs use is not documented; refusing is
                    // the safe choice.
                    return Err(format!(
                        "Schedule '{}' is used by {} backup job(s) ({}); remove it from them before deleting it",
                        schedule.name,
                        users.len(),
                        users.join(", ")
                    ));
                }
                next.schedules.retain(|s| s.id != id);
                ("Schedule Deleted Successfully", Written::Nothing)
            }
            "manageAccountFilter" => manage_account_filter(&mut next, &mut ids, form, now)?,
            "manageDestination" => manage_destination(&mut next, &mut ids, form, now)?,
            "deleteDestination" => delete_destination(&mut next, form)?,
            "deleteAccountFilter" => {
                let id = required(form, "_id")?;
                let filter = next
                    .account_filters
                    .iter()
                    .find(|f| f.id == id)
                    .ok_or_else(|| not_found("Account Filter", id))?;
                let group = filter.group_id.clone();
                let users = jobs_using_group(&next, &group);
                if !users.is_empty() {
                    // Inferred, as for schedules: refused while a job uses
                    // the filter's group.
                    return Err(format!(
                        "Account Filter '{}' is used by {} backup job(s) ({}); remove its group from them before deleting it",
                        filter.name,
                        users.len(),
                        users.join(", ")
                    ));
                }
                next.account_filters.retain(|f| f.id != id);
                // Inferred: the filter's implicit group goes with it once it
                // holds no other filter.
                let id = id.to_string();
                if let Some(g) = next
                    .account_filter_groups
                    .iter_mut()
                    .find(|g| g.id == group)
                {
                    g.filters.retain(|f| *f != id);
                }
                next.account_filter_groups
                    .retain(|g| g.id != group || !g.filters.is_empty());
                ("Account Filter Deleted Successfully", Written::Nothing)
            }
            _ => return Err(format!("Unknown function: {function}")),
        };
        if let Some(path) = &self.state_file {
            save_atomically(path, &next).map_err(|e| {
                format!(
                    "Internal error: cannot save the simulator state to {}: {e}",
                    path.display()
                )
            })?;
        }
        self.data = next;
        self.ids = ids;
        let secs = now.as_secs() as i64;
        let data = match written {
            Written::Job(id) => self
                .data
                .backup_jobs
                .iter()
                .find(|j| j.id == id)
                .map(|j| to_value(&render_job(&self.data, j, secs)))
                .unwrap_or(Value::Null),
            Written::Schedule(id) => self
                .data
                .schedules
                .iter()
                .find(|s| s.id == id)
                .map(|s| to_value(&render_schedule(&self.data, s)))
                .unwrap_or(Value::Null),
            Written::AccountFilter(id) => self
                .data
                .account_filters
                .iter()
                .find(|x| x.id == id)
                .map(|x| to_value(&render_filter(&self.data, x)))
                .unwrap_or(Value::Null),
            Written::Destination(id) => self
                .data
                .destinations
                .iter()
                .find(|x| x.id == id)
                .map(|x| to_value(&render_destination(&self.data, x)))
                .unwrap_or(Value::Null),
            Written::Nothing => json!([]),
        };
        Ok(Reply::ok(message, data))
    }
}

/// The refusal for an unknown `_id`. The real server's wording is not
/// documented (inferred); the client recognises "not found".
pub(super) fn not_found(kind: &str, id: &str) -> String {
    format!("{kind} '{id}' not found")
}

/// A new ObjectId created now that no stored object has.
pub(super) fn fresh_id(data: &SimData, ids: &mut IdGen, now: Duration) -> String {
    loop {
        let id = ids.next_id(now.as_secs());
        if !data.contains_id(&id) {
            return id;
        }
    }
}

pub(super) fn action(form: &FormValue) -> Result<&str, String> {
    match opt_scalar(form, "action")? {
        Some(a @ ("create" | "modify")) => Ok(a),
        Some(other) => Err(format!(
            "Invalid parameter 'action': must be create or modify, got '{other}'"
        )),
        None => Err("Missing required parameter 'action' (create or modify)".to_string()),
    }
}

pub(super) fn modify_id(form: &FormValue) -> Result<&str, String> {
    required(form, "_id")
        .map_err(|_| "Missing required parameter '_id' for action modify".to_string())
}

fn manage_backup_job(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    // The vendor's example reply says exactly this, for a create.
    const DONE: &str = "Backup Job Updated/Created Successfully";
    if action(form)? == "create" {
        let req = decode_job_request(form)?;
        let mut job = apply_job_request(data, None, &req)?;
        job.id = fresh_id(data, ids, now);
        let id = job.id.clone();
        data.backup_jobs.push(job);
        return Ok((DONE, Written::Job(id)));
    }
    let id = modify_id(form)?;
    let idx = data
        .backup_jobs
        .iter()
        .position(|j| j.id == id)
        .ok_or_else(|| not_found("Backup Job", id))?;
    let req = decode_job_request(form)?;
    let job = apply_job_request(data, Some(&data.backup_jobs[idx]), &req)?;
    data.backup_jobs[idx] = job;
    Ok((DONE, Written::Job(id.to_string())))
}

fn manage_schedule(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let exists =
        |what: &str, id: &str| what == "backup job" && data.backup_jobs.iter().any(|j| j.id == id);
    if action(form)? == "create" {
        let obj = apply_request(&SCHEDULE, None, form, &exists)?;
        let mut s: Schedule = from_object(obj, "schedule")?;
        s.id = fresh_id(data, ids, now).into();
        s.owner = ROOT_ACCOUNT_ID.into();
        s.owner_name = "root".into();
        let id = s.id.clone();
        data.schedules.push(s);
        return Ok((
            "Schedule Created Successfully",
            Written::Schedule(id.into()),
        ));
    }
    let id = modify_id(form)?;
    let idx = data
        .schedules
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| not_found("Schedule", id))?;
    let existing = as_object(&data.schedules[idx]);
    let obj = apply_request(&SCHEDULE, Some(&existing), form, &exists)?;
    let s = from_object(obj, "schedule")?;
    data.schedules[idx] = s;
    // Inferred wording.
    Ok((
        "Schedule Updated Successfully",
        Written::Schedule(id.to_string()),
    ))
}

fn manage_account_filter(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let exists = |_: &str, _: &str| false;
    if action(form)? == "create" {
        let obj = apply_request(&ACCOUNT_FILTER, None, form, &exists)?;
        let mut f: AccountFilter = from_object(obj, "account filter")?;
        // Seen: the filter and its group get consecutive IDs in one call.
        f.id = fresh_id(data, ids, now).into();
        f.owner = ROOT_ACCOUNT_ID.into();
        f.owner_name = "root".into();
        // The generator never repeats an ID, so the group's differs.
        f.group_id = fresh_id(data, ids, now).into();
        data.account_filter_groups.push(AccountFilterGroup {
            id: f.group_id.clone(),
            name: f.name.clone(),
            owner: f.owner.clone(),
            owner_name: f.owner_name.clone(),
            filters: vec![f.id.clone()].into(),
            count: 0.into(),
        });
        let id = f.id.clone();
        data.account_filters.push(f);
        return Ok((
            "Account Filter Created Successfully",
            Written::AccountFilter(id.into()),
        ));
    }
    let id = modify_id(form)?;
    let idx = data
        .account_filters
        .iter()
        .position(|f| f.id == id)
        .ok_or_else(|| not_found("Account Filter", id))?;
    let existing = as_object(&data.account_filters[idx]);
    let obj = apply_request(&ACCOUNT_FILTER, Some(&existing), form, &exists)?;
    let f: AccountFilter = from_object(obj, "account filter")?;
    // Inferred: the implicit group keeps the filter's name.
    if let Some(g) = data
        .account_filter_groups
        .iter_mut()
        .find(|g| g.id == f.group_id && g.filters.len() == 1)
    {
        g.name = f.name.clone();
    }
    data.account_filters[idx] = f;
    // Inferred wording.
    Ok((
        "Account Filter Updated Successfully",
        Written::AccountFilter(id.to_string()),
    ))
}

/// Names of the jobs whose `filters` use a group.
fn jobs_using_group<'a>(data: &'a SimData, group: &str) -> Vec<&'a str> {
    data.backup_jobs
        .iter()
        .filter(|j| j.filters.iter().flatten().any(|g| g == group))
        .map(|j| j.name.as_str())
        .collect()
}

/// A filter as returned, with the number of jobs that use its group.
pub fn render_filter(data: &SimData, f: &AccountFilter) -> AccountFilter {
    let mut f = f.clone();
    f.count = (jobs_using_group(data, &f.group_id).len() as i64).into();
    f
}

/// A group as returned, with the number of jobs that use it.
pub fn render_group(data: &SimData, g: &AccountFilterGroup) -> AccountFilterGroup {
    let mut g = g.clone();
    g.count = (jobs_using_group(data, &g.id).len() as i64).into();
    g
}

/// A stored object as the JSON map its table's request is applied to.
pub(super) fn as_object<T: Serialize>(v: &T) -> serde_json::Map<String, Value> {
    match to_value(v) {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

pub(super) fn from_object<T: serde::de::DeserializeOwned>(
    obj: serde_json::Map<String, Value>,
    what: &str,
) -> Result<T, String> {
    serde_json::from_value(Value::Object(obj))
        .map_err(|e| format!("Internal error: the {what} does not decode: {e}"))
}

/// A job as returned: stored fields plus everything derived from what it
/// references, computed now.
pub fn render_job(data: &SimData, job: &BackupJob, now: i64) -> BackupJob {
    let mut j = job.clone();
    if let Some(a) = account(&j.owner) {
        j.owner_name = a.username.to_string();
    }
    // The 5.4 example's trimmed shape `{_id, name, disabled}` plus `type`
    // (5.3 embeds whole destination objects; the client reads only these).
    j.destination_details = j
        .destination
        .iter()
        .filter_map(|id| data.destinations.iter().find(|d| d.id == *id))
        .map(|d| DestinationSummary {
            id: d.id.to_string(),
            name: d.name.to_string(),
            dest_type: d.dest_type.to_string(),
            disabled: *d.disabled,
        })
        .collect();
    let time = j.time;
    let mut soonest: Option<i64> = None;
    for s in &mut j.schedules {
        if let Some(schedule) = data.schedules.iter().find(|x| x.id == s.id) {
            s.name = schedule.name.to_string();
            s.schedule_type = *schedule.schedule_type;
            let next = next_fire(*schedule.schedule_type, &schedule.type_data, time, now);
            s.next_run = next.map(iso8601);
            if let Some(n) = next {
                soonest = Some(soonest.map_or(n, |m| m.min(n)));
            }
        }
    }
    // Null without schedules (a manual-only job) or with only after-job ones.
    j.next_run = soonest.map(iso8601);
    j
}

/// A schedule as returned, with the jobs that use it.
pub fn render_schedule(data: &SimData, s: &Schedule) -> Schedule {
    let mut s = s.clone();
    s.type_name = schedule_type_name(*s.schedule_type).into();
    // Inferred: `delay` says whether a delay amount is set.
    s.delay = (s.delay_amount > 0).into();
    s.jobs = data
        .backup_jobs
        .iter()
        .filter(|j| j.schedules.iter().any(|x| x.id == s.id))
        .map(|j| ScheduleJobRef {
            id: j.id.as_str().into(),
            // Seen: names in a schedule's job list are prefixed "Backup: ".
            name: format!("Backup: {}", j.name).into(),
        })
        .collect();
    s.count = (s.jobs.len() as i64).into();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::client::object_id_time;
    use crate::api::wire::parse_pairs;
    use crate::sim::seed::{
        builtin, DEST_LOCAL_ID, DEST_S3_ID, SCHEDULE_DAILY_ID, SCHEDULE_HOURLY_ID,
    };

    const NOW: Duration = Duration::from_secs(1_786_639_500); // 2026-08-13T16:45:00Z

    fn sim() -> Sim {
        Sim::new(builtin(), IdGen::new(1), None)
    }

    fn call(sim: &mut Sim, function: &str, body: &str) -> Reply {
        sim.call(function, &FormValue::from_pairs(&parse_pairs(body)), NOW)
    }

    fn create_job(sim: &mut Sim, name: &str) -> String {
        let r = call(
            sim,
            "manageBackupJob",
            &format!("action=create&name={name}&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=3&time=0350"),
        );
        assert!(r.success, "{}", r.message);
        r.data["_id"].as_str().unwrap().to_string()
    }

    #[test]
    fn create_reply_is_the_full_job() {
        let mut s = sim();
        let r = call(
            &mut s,
            "manageBackupJob",
            &format!("action=create&name=A&destination[0]={DEST_S3_ID}&type=1&contains=511&structure=1&schedules[0][_id]={SCHEDULE_DAILY_ID}&schedules[0][retain]=3&time=0350"),
        );
        assert!(r.success, "{}", r.message);
        assert_eq!(r.message, "Backup Job Updated/Created Successfully");
        let d = &r.data;
        let id = d["_id"].as_str().unwrap();
        assert_eq!(object_id_time(id), Some(NOW.as_secs()));
        assert_eq!(d["time"], 350);
        assert_eq!(d["disabled"], 0);
        assert_eq!(d["running"], 0);
        assert_eq!(d["owner_name"], "root");
        assert_eq!(d["hooks"], json!([]));
        assert_eq!(d["last_run"], Value::Null);
        assert_eq!(d["backup_quota"], Value::Null);
        assert_eq!(d["destination_details"][0]["name"], "S3 Offsite");
        assert_eq!(d["destination_details"][0]["type"], "S3");
        assert_eq!(d["schedules"][0]["name"], "Daily");
        assert_eq!(d["schedules"][0]["type"], 2);
        assert_eq!(d["schedules"][0]["retain"], 3);
        // Daily at 03:50, now is 16:45: tomorrow.
        assert_eq!(d["next_run"], "2026-08-14T03:50:00+00:00");
        assert_eq!(d["schedules"][0]["next_run"], d["next_run"]);
    }

    #[test]
    fn unknown_function_and_action() {
        let mut s = sim();
        assert_eq!(
            call(&mut s, "editBackupJob", "").message,
            "Unknown function: editBackupJob"
        );
        let r = call(&mut s, "manageBackupJob", "action=update");
        assert!(
            !r.success && r.message.contains("'action'"),
            "{}",
            r.message
        );
    }

    #[test]
    fn get_delete_and_not_found() {
        let mut s = sim();
        let id = create_job(&mut s, "A");
        assert!(call(&mut s, "getBackupJob", &format!("_id={id}")).success);
        let r = call(&mut s, "deleteBackupJob", &format!("_id={id}"));
        assert_eq!(
            (r.success, r.message.as_str()),
            (true, "Backup Job Deleted Successfully")
        );
        for f in [
            "getBackupJob",
            "deleteBackupJob",
            "duplicateBackupJob",
            "runBackupJobManually",
        ] {
            let r = call(&mut s, f, &format!("_id={id}"));
            assert!(
                !r.success && r.message.contains("not found"),
                "{f}: {}",
                r.message
            );
        }
        let r = call(
            &mut s,
            "manageBackupJob",
            &format!("action=modify&_id={id}&name=x"),
        );
        assert!(r.message.contains("not found"), "{}", r.message);
        let r = call(&mut s, "getBackupJob", "");
        assert!(r.message.contains("'_id'"), "{}", r.message);
    }

    #[test]
    fn duplicate_is_disabled_and_timestamp_named() {
        let mut s = sim();
        let id = create_job(&mut s, "job1");
        let r = call(&mut s, "duplicateBackupJob", &format!("_id={id}"));
        assert!(r.success, "{}", r.message);
        assert_ne!(r.data["_id"], id.as_str());
        assert_eq!(r.data["disabled"], 1);
        let name = r.data["name"].as_str().unwrap();
        assert!(
            name.starts_with(&format!("job1 - {}", NOW.as_secs())),
            "{name}"
        );
        assert_eq!(s.job_count(), 2);
    }

    #[test]
    fn run_sets_running_and_refuses_disabled_jobs() {
        let mut s = sim();
        let id = create_job(&mut s, "A");
        let r = call(&mut s, "runBackupJobManually", &format!("_id={id}"));
        assert!(r.success, "{}", r.message);
        assert_eq!(
            (r.data["running"].clone(), r.data["state"].clone()),
            (json!(1), json!(2))
        );
        assert_eq!(r.data["last_run"], "2026-08-13T16:45:00+00:00");
        call(
            &mut s,
            "manageBackupJob",
            &format!("action=modify&_id={id}&disabled=1"),
        );
        let r = call(&mut s, "runBackupJobManually", &format!("_id={id}"));
        assert!(
            !r.success && r.message.contains("disabled"),
            "{}",
            r.message
        );
    }

    #[test]
    fn list_jobs_pages_and_finds() {
        let mut s = sim();
        for i in 0..120 {
            create_job(&mut s, &format!("job{i:03}"));
        }
        let r = call(&mut s, "listBackupJobs", "");
        assert_eq!(r.data["jobs"].as_array().unwrap().len(), 100);
        assert_eq!(r.data["total"], 120);
        let r = call(&mut s, "listBackupJobs", "limit=50&skip=100&sort[name]=-1");
        assert_eq!(r.data["jobs"].as_array().unwrap().len(), 20);
        assert_eq!(r.data["jobs"][0]["name"], "job019");
        let r = call(&mut s, "listBackupJobs", "find[name]=job007");
        assert_eq!(r.data["total"], 1);
        let r = call(&mut s, "listBackupJobs", "find[type]=1&limit=1");
        assert_eq!(r.data["total"], 120);
    }

    #[test]
    fn manage_destination_modifies_shared_settings_on_the_table() {
        let mut s = sim();
        let r = call(
            &mut s,
            "manageDestination",
            &format!(
                "action=modify&_id={DEST_S3_ID}&name=Renamed&disk_limit=80&threads=4&disabled=1"
            ),
        );
        assert!(r.success, "{}", r.message);
        assert_eq!(r.data["name"], "Renamed");
        assert_eq!(r.data["type_name"], "S3 Compatible");
        assert_eq!(r.data["owner_name"], "root");
        let got = call(&mut s, "getDestination", &format!("_id={DEST_S3_ID}"));
        assert_eq!(
            (
                &got.data["disk_limit"],
                &got.data["threads"],
                &got.data["disabled"]
            ),
            (&json!(80), &json!(4), &json!(1))
        );
        for (body, needle) in [
            (
                format!("action=modify&_id={DEST_S3_ID}&threads=0"),
                "'threads'",
            ),
            (
                format!("action=modify&_id={DEST_S3_ID}&disk_limit=101"),
                "'disk_limit'",
            ),
            (
                format!("action=modify&_id={DEST_S3_ID}&options[path]=x"),
                "'options[path]'",
            ),
            (
                "action=create&type=Local&name=x".to_string(),
                "'options[path]'",
            ),
            (format!("action=modify&_id={DEST_LOCAL_ID}x"), "not found"),
        ] {
            let r = call(&mut s, "manageDestination", &body);
            assert!(
                !r.success && r.message.contains(needle),
                "{body}: {}",
                r.message
            );
        }
        let got = call(&mut s, "getDestination", &format!("_id={DEST_S3_ID}"));
        assert_eq!(got.data["threads"], 4, "a refused write changed nothing");
    }

    #[test]
    fn counts_follow_references_and_used_schedules_cannot_be_deleted() {
        let mut s = sim();
        let id = create_job(&mut s, "A");
        let r = call(&mut s, "getSchedule", &format!("_id={SCHEDULE_DAILY_ID}"));
        assert_eq!(r.data["count"], 1);
        assert_eq!(r.data["jobs"][0]["name"], "Backup: A");
        let r = call(&mut s, "getDestination", &format!("_id={DEST_LOCAL_ID}"));
        assert_eq!(r.data["count"], 1);
        let r = call(
            &mut s,
            "deleteSchedule",
            &format!("_id={SCHEDULE_DAILY_ID}"),
        );
        assert!(
            !r.success && r.message.contains("used by 1 backup job"),
            "{}",
            r.message
        );
        call(&mut s, "deleteBackupJob", &format!("_id={id}"));
        let r = call(
            &mut s,
            "deleteSchedule",
            &format!("_id={SCHEDULE_DAILY_ID}"),
        );
        assert_eq!(
            (r.success, r.message.as_str()),
            (true, "Schedule Deleted Successfully")
        );
        assert!(
            call(
                &mut s,
                "deleteSchedule",
                &format!("_id={SCHEDULE_HOURLY_ID}")
            )
            .success
        );
        assert_eq!(s.data().schedules.len(), 1);
    }

    #[test]
    fn manage_schedule_create_and_after_job() {
        let mut s = sim();
        let job = create_job(&mut s, "A");
        let r = call(
            &mut s,
            "manageSchedule",
            &format!("action=create&name=After&type=5&type_data={job}&delay_type=2&delay_amount=1"),
        );
        assert!(r.success, "{}", r.message);
        assert_eq!(r.data["type_name"], "After Backup Job Done");
        assert_eq!(r.data["type_data"], job.as_str());
        assert_eq!(r.data["delay"], 1);
        let id = r.data["_id"].as_str().unwrap().to_string();
        let r = call(
            &mut s,
            "manageSchedule",
            &format!("action=modify&_id={id}&name=Renamed"),
        );
        assert_eq!(r.data["name"], "Renamed");
        let r = call(&mut s, "listSchedules", "sort[name]=1");
        assert_eq!(r.data["total"], 4);
        assert_eq!(r.data["schedules"][0]["name"], "Daily");
    }

    #[test]
    fn an_account_filter_brings_its_group_and_cannot_go_while_a_job_uses_it() {
        let mut s = sim();
        let r = call(
            &mut s,
            "manageAccountFilter",
            "action=create&name=No resellers&type=4&condition=2&list[0]=res1&list[1]=res2",
        );
        assert!(r.success, "{}", r.message);
        assert_eq!(r.message, "Account Filter Created Successfully");
        let (id, group) = (
            r.data["_id"].as_str().unwrap().to_string(),
            r.data["group_id"].as_str().unwrap().to_string(),
        );
        assert_ne!(id, group);
        assert_eq!(r.data["list"], json!(["res1", "res2"]));
        assert!(
            r.data.get("usage").is_none(),
            "other types' fields are absent"
        );
        let g = call(&mut s, "getAccountFilterGroup", &format!("_id={group}"));
        assert_eq!(
            (&g.data["name"], &g.data["filters"]),
            (&json!("No resellers"), &json!([id]))
        );
        let r = call(&mut s, "manageBackupJob", &format!("action=create&name=Uses it&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1&filters[0][0]={group}"));
        assert!(r.success, "{}", r.message);
        let job = r.data["_id"].as_str().unwrap().to_string();
        assert_eq!(
            call(&mut s, "getAccountFilter", &format!("_id={id}")).data["count"],
            1
        );
        let r = call(&mut s, "deleteAccountFilter", &format!("_id={id}"));
        assert!(!r.success && r.message.contains("Uses it"), "{}", r.message);
        call(&mut s, "deleteBackupJob", &format!("_id={job}"));
        let r = call(&mut s, "deleteAccountFilter", &format!("_id={id}"));
        assert_eq!(
            (r.success, r.message.as_str()),
            (true, "Account Filter Deleted Successfully")
        );
        let g = call(&mut s, "getAccountFilterGroup", &format!("_id={group}"));
        assert!(
            !g.success && g.message.contains("not found"),
            "{}",
            g.message
        );
        assert_eq!(call(&mut s, "listAccountFilters", "").data["total"], 3);
    }

    #[test]
    fn state_file_is_written_atomically_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = Sim::new(builtin(), IdGen::new(1), Some(path.clone()));
        let id = create_job(&mut s, "Persisted");
        let back = SimData::load(&path).unwrap();
        assert_eq!(back.backup_jobs.len(), 1);
        assert_eq!(back.backup_jobs[0].id, id);
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn schedules_and_filters_persist_in_the_state_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = Sim::new(builtin(), IdGen::new(1), Some(path.clone()));
        let r = call(
            &mut s,
            "manageSchedule",
            "action=create&name=S&type=4&type_data[0]=1&type_data[1]=15",
        );
        assert!(r.success, "{}", r.message);
        let r = call(
            &mut s,
            "manageAccountFilter",
            "action=create&name=F&type=128&condition=1&range_start=a&range_end=m",
        );
        assert!(r.success, "{}", r.message);
        let group = r.data["group_id"].as_str().unwrap().to_string();
        let back = SimData::load(&path).unwrap();
        assert_eq!(back.schedules.len(), 4);
        assert_eq!(back.schedules[3].type_data, json!([1, 15]));
        assert_eq!(back.account_filters.len(), 4);
        assert_eq!(back.account_filters[3].range_end.as_deref(), Some("m"));
        assert!(back.account_filter_groups.iter().any(|g| g.id == group));
    }

    #[test]
    fn a_write_that_cannot_be_saved_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("state.json");
        let mut s = Sim::new(builtin(), IdGen::new(1), Some(path));
        let r = call(
            &mut s,
            "manageBackupJob",
            &format!("action=create&name=A&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1"),
        );
        assert!(
            !r.success && r.message.contains("cannot save"),
            "{}",
            r.message
        );
        assert_eq!(s.job_count(), 0);
    }
}
