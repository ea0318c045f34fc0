//! The simulator's state and its dispatch of API functions.
//!
//! [`Sim`] owns the data and answers one call at a time (the server keeps it
//! behind a mutex). Which functions exist, and which of them write, is
//! [`crate::api::function`]'s table: reads get the data read-only and render
//! objects from it on every call ([`super::render`]), so derived fields are
//! always consistent with what they refer to. Writes are applied to a copy:
//! a job's by [`super::backup_job`], any table-described kind's by
//! [`super::table_write`] with that kind's rules ([`super::schedule`],
//! [`super::account_filter`], [`super::destination`], [`super::hook`],
//! [`super::notification_integration`]; a manual run changes only the run
//! state, [`super::run`], which every read of a job lays over it), saved (with
//! `--state`, [`super::persist`]), and only then swapped in: a refused or
//! unsaved write changes nothing.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use crate::api::function::{Function, ReadFunction, WriteFunction};
use crate::api::object::Record;
use crate::api::wire::FormValue;

use super::account_filter;
use super::backup_job::{self, duplicate_backup_job};
use super::destination::{self, destination_types, render_destination};
use super::form::required;
use super::hook::{self, render_hook};
use super::listing::{page, parse_list_params};
use super::notification_integration::{self, notification_types, render_notification_integration};
use super::objectid::IdGen;
use super::persist::save_atomically;
use super::render::{render_filter, render_group, render_job, render_schedule, render_written};
use super::run::Runs;
use super::schedule;
use super::seed::SimData;
use super::table_write::{delete, manage};
use super::write::not_found;

/// Whether `function` changes data: a write whose reply can be lost after
/// the change committed. A function the table does not have changes nothing
/// (it is refused).
pub fn is_write(function: &str) -> bool {
    Function::named(function).is_some_and(Function::writes)
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

#[derive(Debug, Clone)]
pub struct Sim {
    data: SimData,
    ids: IdGen,
    state_file: Option<PathBuf>,
    /// Manual runs, by job ID ([`super::run`]).
    runs: Runs,
}

impl Sim {
    pub fn new(data: SimData, ids: IdGen, state_file: Option<PathBuf>) -> Sim {
        Sim {
            runs: Runs::seeded(&data),
            data,
            ids,
            state_file,
        }
    }

    /// The jobs' manual runs (`/__sim/runs`).
    pub fn runs(&self) -> &Runs {
        &self.runs
    }

    /// Finishes every running job (`/__sim/runs/finish`); how many ran.
    pub fn finish_runs(&mut self) -> usize {
        self.runs.finish_all()
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
            runs: self.runs.clone(),
        };
        copy.call(function, form, now)
    }

    /// Runs one API function. `now` is the time since the Unix epoch.
    pub fn call(&mut self, function: &str, form: &FormValue, now: Duration) -> Reply {
        let result = match Function::named(function) {
            Some(Function::Read(f)) => self.read(f, form, now),
            Some(Function::Write(f)) => self.write(f, form, now),
            // Inferred: over HTTP an unknown function is a `success: 0`
            // (the CLI is seen to accept one silently).
            None => Err(format!("Unknown function: {function}")),
        };
        result.unwrap_or_else(Reply::fail)
    }

    fn read(
        &self,
        function: ReadFunction,
        form: &FormValue,
        now: Duration,
    ) -> Result<Reply, String> {
        let secs = now.as_secs() as i64;
        let runs = &self.runs;
        let job = |d: &SimData, j: &Record| {
            let mut job = render_job(d, j, secs).into_json();
            runs.overlay(&mut job);
            job
        };
        match function {
            ReadFunction::ListBackupJobs => self.list(form, "jobs", |d| {
                d.backup_jobs.iter().map(|j| job(d, j)).collect()
            }),
            ReadFunction::ListSchedules => self.list(form, "schedules", |d| {
                d.schedules
                    .iter()
                    .map(|s| render_schedule(d, s).into_json())
                    .collect()
            }),
            ReadFunction::ListDestinations => self.list(form, "destinations", |d| {
                d.destinations
                    .iter()
                    .map(|x| render_destination(d, x).into_json())
                    .collect()
            }),
            ReadFunction::ListAccountFilterGroups => self.list(form, "groups", |d| {
                d.account_filter_groups
                    .iter()
                    .map(|g| render_group(d, g).into_json())
                    .collect()
            }),
            ReadFunction::ListAccountFilters => self.list(form, "filters", |d| {
                d.account_filters
                    .iter()
                    .map(|x| render_filter(d, x).into_json())
                    .collect()
            }),
            ReadFunction::GetBackupJob => self.get(form, "Backup Job", |d, id| {
                d.backup_jobs
                    .iter()
                    .find(|j| j.id() == id)
                    .map(|j| job(d, j))
            }),
            ReadFunction::GetSchedule => self.get(form, "Schedule", |d, id| {
                d.schedules
                    .iter()
                    .find(|s| s.id() == id)
                    .map(|s| render_schedule(d, s).into_json())
            }),
            ReadFunction::GetDestination => self.get(form, "Destination", |d, id| {
                d.destinations
                    .iter()
                    .find(|x| x.id() == id)
                    .map(|x| render_destination(d, x).into_json())
            }),
            ReadFunction::GetAccountFilterGroup => {
                self.get(form, "Account Filter Group", |d, id| {
                    d.account_filter_groups
                        .iter()
                        .find(|g| g.id() == id)
                        .map(|g| render_group(d, g).into_json())
                })
            }
            ReadFunction::GetAccountFilter => self.get(form, "Account Filter", |d, id| {
                d.account_filters
                    .iter()
                    .find(|x| x.id() == id)
                    .map(|x| render_filter(d, x).into_json())
            }),
            ReadFunction::ListDestinationTypes => Ok(Reply::ok("", destination_types(&self.data))),
            ReadFunction::ListHooks => self.list(form, "hooks", |d| {
                d.hooks.iter().map(|h| render_hook(h).into_json()).collect()
            }),
            ReadFunction::GetHook => self.get(form, "Hook", |d, id| {
                d.hooks
                    .iter()
                    .find(|h| h.id() == id)
                    .map(|h| render_hook(h).into_json())
            }),
            // Seen: the vendor's example names the list `notifications`
            // (its table says `integrations`).
            ReadFunction::ListNotificationIntegrations => self.list(form, "notifications", |d| {
                d.notification_integrations
                    .iter()
                    .map(|n| render_notification_integration(n).into_json())
                    .collect()
            }),
            ReadFunction::GetNotificationIntegration => {
                self.get(form, "Notification Integration", |d, id| {
                    d.notification_integrations
                        .iter()
                        .find(|n| n.id() == id)
                        .map(|n| render_notification_integration(n).into_json())
                })
            }
            ReadFunction::ListNotificationIntegrationTypes => {
                Ok(Reply::ok("", notification_types(&self.data)))
            }
        }
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
    fn write(
        &mut self,
        function: WriteFunction,
        form: &FormValue,
        now: Duration,
    ) -> Result<Reply, String> {
        let mut next = self.data.clone();
        let mut ids = self.ids.clone();
        let mut runs = self.runs.clone();
        let (message, written) = match function {
            WriteFunction::ManageBackupJob => {
                manage(&backup_job::RULES, &mut next, &mut ids, form, now)?
            }
            WriteFunction::DeleteBackupJob => delete(&backup_job::RULES, &mut next, form)?,
            WriteFunction::DuplicateBackupJob => {
                duplicate_backup_job(&mut next, &mut ids, form, now)?
            }
            WriteFunction::RunBackupJobManually => {
                runs.run_backup_job_manually(&next, form, now)?
            }
            WriteFunction::ManageSchedule => {
                manage(&schedule::RULES, &mut next, &mut ids, form, now)?
            }
            WriteFunction::DeleteSchedule => delete(&schedule::RULES, &mut next, form)?,
            WriteFunction::ManageAccountFilter => {
                manage(&account_filter::RULES, &mut next, &mut ids, form, now)?
            }
            WriteFunction::DeleteAccountFilter => delete(&account_filter::RULES, &mut next, form)?,
            WriteFunction::ManageDestination => {
                manage(&destination::RULES, &mut next, &mut ids, form, now)?
            }
            WriteFunction::DeleteDestination => delete(&destination::RULES, &mut next, form)?,
            WriteFunction::ManageHook => manage(&hook::RULES, &mut next, &mut ids, form, now)?,
            WriteFunction::DeleteHook => delete(&hook::RULES, &mut next, form)?,
            WriteFunction::ManageNotificationIntegration => manage(
                &notification_integration::RULES,
                &mut next,
                &mut ids,
                form,
                now,
            )?,
            WriteFunction::DeleteNotificationIntegration => {
                delete(&notification_integration::RULES, &mut next, form)?
            }
        };
        if let Some(path) = &self.state_file {
            save_atomically(path, &next).map_err(|e| {
                format!(
                    "Internal error: cannot save the simulator state to {}: {e}",
                    path.display()
                )
            })?;
        }
        runs.retain_jobs(&next);
        self.data = next;
        self.ids = ids;
        self.runs = runs;
        let data = render_written(&self.data, written, now.as_secs() as i64);
        // Only a job's rendering has the `_id` of a job.
        let mut data = data;
        self.runs.overlay(&mut data);
        Ok(Reply::ok(message, data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::objectid::object_id_time;
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

    /// The simulator answers exactly the functions of the API layer's table,
    /// and a write among them is a write here too (it commits, and a fault
    /// that must not commit replays it on a copy).
    #[test]
    fn every_function_in_the_table_is_answered_and_no_other() {
        let s = sim();
        let empty = FormValue::from_pairs::<&str, &str>(&[]);
        for f in Function::all() {
            let r = s.dry_run(f.name(), &empty, NOW);
            assert_ne!(r.message, format!("Unknown function: {}", f.name()));
            assert_eq!(is_write(f.name()), f.writes(), "{}", f.name());
        }
        for name in ["editBackupJob", "getBackupJobs", ""] {
            assert_eq!(
                s.dry_run(name, &empty, NOW).message,
                format!("Unknown function: {name}")
            );
            assert!(!is_write(name));
        }
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
        assert_eq!(back.backup_jobs[0].id(), id);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
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
        assert_eq!(back.schedules[3]["type_data"], json!([1, 15]));
        assert_eq!(back.account_filters.len(), 4);
        assert_eq!(back.account_filters[3]["range_end"].as_str(), Some("m"));
        assert!(back.account_filter_groups.iter().any(|g| g.id() == group));
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
