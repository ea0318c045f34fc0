//! The backup job's writes: `manageBackupJob` (the request decoded and
//! checked by [`super::job_request`]), `deleteBackupJob`,
//! `duplicateBackupJob` (`runBackupJobManually` is [`super::run`]'s). Each
//! changes the copy of the data it is given; the store saves and swaps it in.

use std::time::Duration;

use crate::api::job::BackupJob;
use crate::api::wire::FormValue;

use super::form::required;
use super::job_request::{apply_job_request, decode_job_request};
use super::objectid::IdGen;
use super::seed::SimData;
use super::write::{action, fresh_id, modify_id, not_found, Written};

pub(super) fn manage_backup_job(
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
        let id = fresh_id(data, ids, now);
        job.id = id.clone().into();
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

pub(super) fn delete_backup_job(
    data: &mut SimData,
    form: &FormValue,
) -> Result<(&'static str, Written), String> {
    let id = required(form, "_id")?;
    let before = data.backup_jobs.len();
    data.backup_jobs.retain(|j| j.id != id);
    if data.backup_jobs.len() == before {
        return Err(not_found("Backup Job", id));
    }
    Ok(("Backup Job Deleted Successfully", Written::Nothing))
}

pub(super) fn duplicate_backup_job(
    data: &mut SimData,
    ids: &mut IdGen,
    form: &FormValue,
    now: Duration,
) -> Result<(&'static str, Written), String> {
    let id = required(form, "_id")?;
    let orig = data
        .backup_jobs
        .iter()
        .find(|j| j.id == id)
        .ok_or_else(|| not_found("Backup Job", id))?;
    let new_id = fresh_id(data, ids, now);
    // The vendor's example names the copy `<name> - <digits>`
    // where the digits start with the creation second
    // (`job1 - 16952335682482`). Inferred: the extra digits are a
    // sub-second fraction.
    // Inferred: everything else, schedules included, is copied.
    let copy = BackupJob {
        id: new_id.clone().into(),
        name: format!(
            "{} - {}{:04}",
            orig.name,
            now.as_secs(),
            now.subsec_micros() / 100
        )
        .into(),
        disabled: true.into(),
        running: false.into(),
        state: 0.into(),
        last_run: None.into(),
        ..orig.clone()
    };
    data.backup_jobs.push(copy);
    Ok(("Backup Job Duplicated Successfully", Written::Job(new_id)))
}
