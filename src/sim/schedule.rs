//! The schedule's writes: `manageSchedule` (checked against the schedule's
//! table by [`super::object_request`]) and `deleteSchedule`, refused while a
//! job uses the schedule.

use std::time::Duration;

use crate::api::object::schedule::SCHEDULE;
use crate::api::object::Record;
use crate::api::wire::FormValue;

use super::form::required;
use super::object_request::apply_request;
use super::objectid::IdGen;
use super::seed::{SimData, ROOT_ACCOUNT_ID};
use super::write::{action, fresh_id, modify_id, position, Written};

pub(super) fn manage_schedule(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let exists =
        |what: &str, id: &str| what == "backup job" && data.backup_jobs.iter().any(|j| j.id == id);
    if action(form)? == "create" {
        let mut s = Record::from(apply_request(&SCHEDULE, None, form, &exists)?);
        let id = fresh_id(data, ids, now);
        s.set("_id", id.as_str());
        s.set("owner", ROOT_ACCOUNT_ID);
        s.set("owner_name", "root");
        data.schedules.push(s);
        return Ok(("Schedule Created Successfully", Written::Schedule(id)));
    }
    let id = modify_id(form)?;
    let idx = position(&data.schedules, "Schedule", id)?;
    let s = apply_request(&SCHEDULE, Some(&data.schedules[idx].0), form, &exists)?;
    data.schedules[idx] = s.into();
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
    let schedule = &data.schedules[position(&data.schedules, "Schedule", id)?];
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
            schedule.name(),
            users.len(),
            users.join(", ")
        ));
    }
    data.schedules.retain(|s| s.id() != id);
    Ok(("Schedule Deleted Successfully", Written::Nothing))
}
