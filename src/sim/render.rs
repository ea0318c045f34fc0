//! Objects as the server returns them: the stored fields plus everything
//! derived, at each read, from what they refer to (destination details,
//! schedule names and next runs, job counts), so a reply is never stale.

use serde_json::{json, Value};

use crate::api::job::{BackupJob, DestinationSummary};
use crate::api::models::{AccountFilter, AccountFilterGroup, Schedule, ScheduleJobRef};
use crate::api::object::schedule::type_name as schedule_type_name;
use crate::api::wire_json::WireInt;

use super::clock::{iso8601, next_fire};
use super::destination::render_destination;
use super::hook::render_hook;
use super::notification_integration::render_notification_integration;
use super::seed::{account, SimData};
use super::write::{to_value, Written};

/// The reply's `data` after a write: the written object as a read would
/// return it, or an empty PHP array.
pub(super) fn render_written(data: &SimData, written: Written, now: i64) -> Value {
    match written {
        Written::Job(id) => data
            .backup_jobs
            .iter()
            .find(|j| j.id == id)
            .map(|j| to_value(&render_job(data, j, now)))
            .unwrap_or(Value::Null),
        Written::Schedule(id) => data
            .schedules
            .iter()
            .find(|s| s.id == id)
            .map(|s| to_value(&render_schedule(data, s)))
            .unwrap_or(Value::Null),
        Written::AccountFilter(id) => data
            .account_filters
            .iter()
            .find(|x| x.id == id)
            .map(|x| to_value(&render_filter(data, x)))
            .unwrap_or(Value::Null),
        Written::Destination(id) => data
            .destinations
            .iter()
            .find(|x| x.id == id)
            .map(|x| to_value(&render_destination(data, x)))
            .unwrap_or(Value::Null),
        Written::Hook(id) => data
            .hooks
            .iter()
            .find(|x| x.id == id)
            .map(|x| to_value(&render_hook(x)))
            .unwrap_or(Value::Null),
        Written::NotificationIntegration(id) => data
            .notification_integrations
            .iter()
            .find(|x| x.id == id)
            .map(|x| to_value(&render_notification_integration(x)))
            .unwrap_or(Value::Null),
        Written::Nothing => json!([]),
    }
}

/// A job as returned: stored fields plus everything derived from what it
/// references, computed now.
pub fn render_job(data: &SimData, job: &BackupJob, now: i64) -> BackupJob {
    let mut j = job.clone();
    if let Some(a) = account(&j.owner) {
        j.owner_name = a.username.to_string().into();
    }
    // The 5.4 example's trimmed shape `{_id, name, disabled}` plus `type`
    // (5.3 embeds whole destination objects; the client reads only these).
    j.destination_details = j
        .destination
        .iter()
        .filter_map(|id| data.destinations.iter().find(|d| d.id == *id))
        .map(|d| DestinationSummary {
            id: d.id.clone(),
            name: d.name.clone(),
            dest_type: d.dest_type.clone(),
            disabled: d.disabled,
        })
        .collect();
    let time = j.time.map(WireInt::into_inner);
    let mut soonest: Option<i64> = None;
    for s in j.schedules.iter_mut() {
        if let Some(schedule) = data.schedules.iter().find(|x| x.id == s.id) {
            s.name = schedule.name.clone();
            s.schedule_type = schedule.schedule_type;
            let next = next_fire(*schedule.schedule_type, &schedule.type_data, time, now);
            *s.next_run = next.map(|n| iso8601(n).into());
            if let Some(n) = next {
                soonest = Some(soonest.map_or(n, |m| m.min(n)));
            }
        }
    }
    // Null without schedules (a manual-only job) or with only after-job ones.
    *j.next_run = soonest.map(|n| iso8601(n).into());
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

/// Names of the jobs whose `filters` use a group.
pub(super) fn jobs_using_group<'a>(data: &'a SimData, group: &str) -> Vec<&'a str> {
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
