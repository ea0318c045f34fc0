//! Objects as the server returns them: the stored fields plus everything
//! derived, at each read, from what they refer to (destination details,
//! schedule names and next runs, job counts), so a reply is never stale.

use serde_json::{json, Value};

use crate::api::lenient::{value_to_i64, value_to_list};
use crate::api::object::schedule::type_name as schedule_type_name;
use crate::api::object::Record;

use super::backup_job::{jobs_using, new_job};
use super::clock::{iso8601, next_fire};
use super::destination::render_destination;
use super::hook::render_hook;
use super::notification_integration::render_notification_integration;
use super::seed::{account, SimData};
use super::write::Written;

/// The reply's `data` after a write: the written object as a read would
/// return it, or an empty PHP array.
pub(super) fn render_written(data: &SimData, written: Written, now: i64) -> Value {
    match written {
        Written::Job(id) => data
            .backup_jobs
            .iter()
            .find(|j| j.id() == id)
            .map(|j| render_job(data, j, now).into_json())
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

/// A job as returned: stored fields (over what every job prints, for a
/// seed's job that leaves some out) plus everything derived from what it
/// references, computed now.
pub fn render_job(data: &SimData, job: &Record, now: i64) -> Record {
    let mut j = new_job();
    j.extend(job.0.clone());
    if let Some(a) = account(j.str("owner")) {
        j.set("owner_name", a.username);
    }
    // The 5.4 example's trimmed shape `{_id, name, disabled}` plus `type`
    // (5.3 embeds whole destination objects; the client reads only these).
    let details: Vec<Value> = j
        .get("destination")
        .map(value_to_list)
        .unwrap_or_default()
        .iter()
        .filter_map(|id| {
            data.destinations
                .iter()
                .find(|d| id.as_str() == Some(d.id()))
        })
        .map(|d| {
            json!({"_id": d.id(), "name": d.name(), "type": d.text("type"),
                   "disabled": i64::from(d.bool("disabled"))})
        })
        .collect();
    j.set("destination_details", details);
    let time = j.get("time").and_then(value_to_i64);
    let mut soonest: Option<i64> = None;
    let schedules: Vec<Value> = j
        .get("schedules")
        .map(value_to_list)
        .unwrap_or_default()
        .iter()
        .map(|entry| {
            let entry = Record::from_json(entry.clone());
            let mut s = json!({"_id": entry.id(), "name": "", "type": 0, "next_run": null,
                               "retain": entry.int("retain")});
            if let Some(schedule) = data.schedules.iter().find(|x| x.id() == entry.id()) {
                let type_data = schedule.get("type_data").unwrap_or(&Value::Null);
                let next = next_fire(schedule.int("type"), type_data, time, now);
                s["name"] = json!(schedule.name());
                s["type"] = json!(schedule.int("type"));
                s["next_run"] = json!(next.map(iso8601));
                if let Some(n) = next {
                    soonest = Some(soonest.map_or(n, |m| m.min(n)));
                }
            }
            s
        })
        .collect();
    j.set("schedules", schedules);
    // Null without schedules (a manual-only job) or with only after-job ones.
    j.set("next_run", soonest.map(iso8601));
    j
}

/// A schedule as returned, with the jobs that use it.
pub fn render_schedule(data: &SimData, s: &Record) -> Record {
    let mut s = s.clone();
    s.set("type_name", schedule_type_name(s.int("type")));
    // Inferred: `delay` says whether a delay amount is set.
    s.set("delay", i64::from(s.int("delay_amount") > 0));
    let jobs: Vec<Value> = jobs_using(data, "schedules", s.id())
        // Seen: names in a schedule's job list are prefixed "Backup: ".
        .map(|j| json!({"_id": j.id(), "name": format!("Backup: {}", j.name())}))
        .collect();
    s.set("count", jobs.len());
    s.set("jobs", jobs);
    s
}

/// Names of the jobs whose `filters` use a group.
pub(super) fn jobs_using_group<'a>(data: &'a SimData, group: &'a str) -> Vec<&'a str> {
    jobs_using(data, "filters", group)
        .map(Record::name)
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
