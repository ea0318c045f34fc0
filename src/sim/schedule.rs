//! The schedule's writes: `manageSchedule` (checked against the schedule's
//! table by [`super::object_request`]) and `deleteSchedule`, refused while a
//! job uses the schedule.

use std::time::Duration;

use crate::api::models::Schedule;
use crate::api::object::schedule::SCHEDULE;
use crate::api::wire::FormValue;

use super::form::required;
use super::object_request::apply_request;
use super::objectid::IdGen;
use super::seed::{SimData, ROOT_ACCOUNT_ID};
use super::write::{action, as_object, fresh_id, from_object, modify_id, not_found, Written};

pub(super) fn manage_schedule(
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

pub(super) fn delete_schedule(
    data: &mut SimData,
    form: &FormValue,
) -> Result<(&'static str, Written), String> {
    let id = required(form, "_id")?;
    let schedule = data
        .schedules
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| not_found("Schedule", id))?;
    let users: Vec<&str> = data
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
    data.schedules.retain(|s| s.id != id);
    Ok(("Schedule Deleted Successfully", Written::Nothing))
}
