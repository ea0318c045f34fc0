//! Objects as the server returns them: the stored fields plus everything
//! derived, at each read, from what they refer to (destination details,
//! schedule names and next runs, job counts), so a reply is never stale.

use serde_json::{json, Value};

use crate::api::job::{BackupJob, DestinationSummary};
use crate::api::object::schedule::type_name as schedule_type_name;
use crate::api::object::Record;
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
            .find(|s| s.id() == id)
            .map(|s| render_schedule(data, s).into_json())
            .unwrap_or(Value::Null),
        Written::AccountFilter(id) => data
            .account_filters
            .iter()
            .find(|x| x.id() == id)
            .map(|x| render_filter(data, x).into_json())
            .unwrap_or(Value::Null),
        Written::Destination(id) => data
            .destinations
            .iter()
            .find(|x| x.id() == id)
            .map(|x| render_destination(data, x).into_json())
            .unwrap_or(Value::Null),
        Written::Hook(id) => data
            .hooks
            .iter()
            .find(|x| x.id() == id)
            .map(|x| render_hook(x).into_json())
            .unwrap_or(Value::Null),
        Written::NotificationIntegration(id) => data
            .notification_integrations
            .iter()
            .find(|x| x.id() == id)
            .map(|x| render_notification_integration(x).into_json())
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
        .filter_map(|id| data.destinations.iter().find(|d| d.id() == id.as_str()))
        .map(|d| DestinationSummary {
            id: d.id().into(),
            name: d.name().into(),
            dest_type: d.text("type").into(),
            disabled: d.bool("disabled").into(),
        })
        .collect();
    let time = j.time.map(WireInt::into_inner);
    let mut soonest: Option<i64> = None;
    for s in j.schedules.iter_mut() {
        if let Some(schedule) = data.schedules.iter().find(|x| x.id() == s.id.as_str()) {
            s.name = schedule.name().into();
            s.schedule_type = schedule.int("type").into();
            let type_data = schedule.get("type_data").unwrap_or(&Value::Null);
            let next = next_fire(schedule.int("type"), type_data, time, now);
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
pub fn render_schedule(data: &SimData, s: &Record) -> Record {
    let mut s = s.clone();
    s.set("type_name", schedule_type_name(s.int("type")));
    // Inferred: `delay` says whether a delay amount is set.
    s.set("delay", i64::from(s.int("delay_amount") > 0));
    let jobs: Vec<Value> = data
        .backup_jobs
        .iter()
        .filter(|j| j.schedules.iter().any(|x| x.id == s.id()))
        // Seen: names in a schedule's job list are prefixed "Backup: ".
        .map(|j| json!({"_id": j.id.as_str(), "name": format!("Backup: {}", j.name)}))
        .collect();
    s.set("count", jobs.len());
    s.set("jobs", jobs);
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
pub fn render_filter(data: &SimData, f: &Record) -> Record {
    let mut f = f.clone();
    f.set("count", jobs_using_group(data, f.str("group_id")).len());
    f
}

/// A group as returned, with the number of jobs that use it.
pub fn render_group(data: &SimData, g: &Record) -> Record {
    let mut g = g.clone();
    g.set("count", jobs_using_group(data, g.id()).len());
    g
}
