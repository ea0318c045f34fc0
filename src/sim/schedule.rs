//! The schedule's writes ([`super::table_write`] with [`RULES`]):
//! `manageSchedule` (checked against the schedule's table by
//! [`super::object_request`]) and `deleteSchedule`, refused while a job uses
//! the schedule.

use std::time::Duration;

use crate::api::object::schedule::SCHEDULE;
use crate::api::object::Record;

use super::backup_job::jobs_using;
use super::objectid::IdGen;
use super::seed::{SimData, ROOT_ACCOUNT_ID};
use super::table_write::Rules;
use super::write::Written;

pub(super) const RULES: Rules = Rules {
    kind: &SCHEDULE,
    title: "Schedule",
    created: "Schedule Created Successfully",
    // Inferred wording.
    updated: "Schedule Updated Successfully",
    deleted: "Schedule Deleted Successfully",
    stored: |d| &mut d.schedules,
    written: Written::Schedule,
    refuse: None,
    request: None,
    created_with,
    modified_with: None,
    in_use: Some(in_use),
    deleted_with: None,
};

fn created_with(_: &mut SimData, _: &mut IdGen, _: Duration, s: &mut Record) {
    s.set("owner", ROOT_ACCOUNT_ID);
    s.set("owner_name", "root");
}

fn in_use(data: &SimData, schedule: &Record) -> Result<(), String> {
    let users: Vec<&str> = jobs_using(data, "schedules", schedule.id())
        .map(Record::name)
        .collect();
    if users.is_empty() {
        return Ok(());
    }
    // Inferred: JetBackup's behaviour when deleting a schedule that jobs
    // use is not documented; refusing is the safe choice.
    Err(format!(
        "Schedule '{}' is used by {} backup job(s) ({}); remove it from them before deleting it",
        schedule.name(),
        users.len(),
        users.join(", ")
    ))
}
