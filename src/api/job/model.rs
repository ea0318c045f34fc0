//! The backup job object as the server returns it ([`BackupJob`]), each
//! field declared with its wire type, which is also how a reply is checked;
//! and [`JobField`], how a parameter's row reaches its field, so that any
//! parameter is read ([`BackupJob::value`]) and written
//! ([`BackupJob::store`]) without code that names it.

use serde::{Deserialize, Serialize};

use super::{param_def, JobTime, JobValue, Monitor, Param, ScheduleRef};
use crate::api::wire_json::{
    WireBool, WireGrid, WireInt, WireList, WireObject, WireObjects, WireOpt, WireText,
};

/// A destination as embedded in a job's `destination_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DestinationSummary {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    #[serde(rename = "type")]
    pub dest_type: WireText,
    pub disabled: WireBool,
}

/// A schedule as embedded in a job object: `{_id, name, type, next_run, retain}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobSchedule {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    #[serde(rename = "type")]
    pub schedule_type: WireInt,
    pub next_run: WireOpt<WireText>,
    pub retain: WireInt,
}

/// The backup job object as `getBackupJob`, `listBackupJobs` and
/// `manageBackupJob` return it, each field typed by how the server prints
/// it ([`super::wire_json`]): a reply whose field cannot mean what the field
/// means is refused, naming its path. Serializes in the server's own shape
/// (integers for booleans, `time` as an integer), which the simulator
/// relies on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupJob {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    pub destination: WireList<WireText>,
    pub destination_details: WireObjects<DestinationSummary>,
    #[serde(rename = "type")]
    pub job_type: WireInt,
    pub contains: WireInt,
    pub structure: WireInt,
    pub options: WireInt,
    pub state: WireInt,
    pub owner: WireText,
    pub owner_name: WireText,
    pub next_run: WireOpt<WireText>,
    pub last_run: WireOpt<WireText>,
    pub running: WireBool,
    pub retry_failed: WireBool,
    pub disabled: WireBool,
    /// HHMM as an integer; `None` when the server sends nothing.
    pub time: WireOpt<WireInt>,
    pub backup_quota: WireOpt<WireInt>,
    pub monitor: WireObject<Monitor>,
    pub manually_retain: WireInt,
    /// Not in any vendor example (all are accounts jobs); present on
    /// directories jobs by inference from JetBackup 4's `includelist`.
    pub include_list: WireList<WireText>,
    pub exclude_list: WireList<WireText>,
    pub encrypted: WireBool,
    pub schedules: WireObjects<JobSchedule>,
    pub hooks: WireObjects<serde_json::Value>,
    pub mysql_exclude_db_by_size: WireInt,
    pub postgresql_exclude_db_by_size: WireInt,
    pub mongodb_exclude_db_by_size: WireInt,
    pub filters: WireGrid,
}

impl BackupJob {
    /// Whether the object holds what a readback needs (a name, a type, its
    /// destination). A reply or list entry that lacks any of them is partial
    /// and the job is fetched with `getBackupJob` instead. The one definition:
    /// the create path and the shared listing both ask this.
    pub fn is_complete(&self) -> bool {
        !self.name.is_empty() && self.job_type != 0 && !self.destination.is_empty()
    }

    /// The job's time of day, if it has a valid one.
    pub fn job_time(&self) -> Option<JobTime> {
        self.time.and_then(|t| JobTime::from_int(*t))
    }

    /// The schedules as written (`{_id, retain}`).
    pub fn schedule_refs(&self) -> Vec<ScheduleRef> {
        self.schedules
            .iter()
            .map(|s| ScheduleRef {
                id: s.id.to_string(),
                retain: *s.retain,
            })
            .collect()
    }
}

/// Where a parameter lives in [`BackupJob`]: the accessors of its field, by
/// the field's wire type. Each `JOB_PARAMS` row carries one (written with
/// [`lens!`](super::lens)), so a parameter without its field does not build.
#[derive(Debug, Clone, Copy)]
pub enum JobField {
    Text(
        fn(&BackupJob) -> &WireText,
        fn(&mut BackupJob) -> &mut WireText,
    ),
    Int(
        fn(&BackupJob) -> &WireInt,
        fn(&mut BackupJob) -> &mut WireInt,
    ),
    Bool(
        fn(&BackupJob) -> &WireBool,
        fn(&mut BackupJob) -> &mut WireBool,
    ),
    List(
        fn(&BackupJob) -> &WireList<WireText>,
        fn(&mut BackupJob) -> &mut WireList<WireText>,
    ),
    Grid(
        fn(&BackupJob) -> &WireGrid,
        fn(&mut BackupJob) -> &mut WireGrid,
    ),
    Schedules(
        fn(&BackupJob) -> &WireObjects<JobSchedule>,
        fn(&mut BackupJob) -> &mut WireObjects<JobSchedule>,
    ),
    /// HHMM as an integer, or unset.
    Time(
        fn(&BackupJob) -> &WireOpt<WireInt>,
        fn(&mut BackupJob) -> &mut WireOpt<WireInt>,
    ),
    Monitor(
        fn(&BackupJob) -> &WireObject<Monitor>,
        fn(&mut BackupJob) -> &mut WireObject<Monitor>,
    ),
}

impl BackupJob {
    /// A parameter's value as the server holds it, in the form a write
    /// sends it; `None` only for a time of day that is unset (or not one).
    pub fn value(&self, param: Param) -> Option<JobValue> {
        Some(match param_def(param).field {
            JobField::Text(get, _) => JobValue::Text(get(self).to_string()),
            JobField::Int(get, _) => JobValue::Int(**get(self)),
            JobField::Bool(get, _) => JobValue::Bool(**get(self)),
            JobField::List(get, _) => JobValue::List(get(self).strings()),
            JobField::Grid(get, _) => JobValue::Grid(get(self).to_vec()),
            JobField::Schedules(get, _) => JobValue::Schedules(
                get(self)
                    .iter()
                    .map(|s| ScheduleRef {
                        id: s.id.to_string(),
                        retain: *s.retain,
                    })
                    .collect(),
            ),
            JobField::Time(get, _) => {
                JobValue::Time(get(self).and_then(|t| JobTime::from_int(*t))?)
            }
            JobField::Monitor(get, _) => JobValue::Monitor(**get(self)),
        })
    }

    /// Writes a parameter's value into its field. A value of another form
    /// than the field's is refused (a request decoded by the wrong shape).
    pub fn store(&mut self, param: Param, value: &JobValue) -> Result<(), String> {
        match (param_def(param).field, value) {
            (JobField::Text(_, f), JobValue::Text(s)) => *f(self) = s.clone().into(),
            (JobField::Int(_, f), JobValue::Int(n)) => *f(self) = (*n).into(),
            (JobField::Bool(_, f), JobValue::Bool(b)) => *f(self) = (*b).into(),
            (JobField::List(_, f), JobValue::List(v)) => *f(self) = v.clone().into(),
            (JobField::Grid(_, f), JobValue::Grid(rows)) => *f(self) = rows.clone().into(),
            // Only `_id` and `retain` are stored; the rest is filled in on read.
            (JobField::Schedules(_, f), JobValue::Schedules(refs)) => {
                *f(self) = refs
                    .iter()
                    .map(|s| JobSchedule {
                        id: s.id.clone().into(),
                        retain: s.retain.into(),
                        ..JobSchedule::default()
                    })
                    .collect()
            }
            (JobField::Time(_, f), JobValue::Time(t)) => *f(self) = Some(t.as_int().into()).into(),
            (JobField::Monitor(_, f), JobValue::Monitor(m)) => *f(self) = (*m).into(),
            (
                JobField::Text(..)
                | JobField::Int(..)
                | JobField::Bool(..)
                | JobField::List(..)
                | JobField::Grid(..)
                | JobField::Schedules(..)
                | JobField::Time(..)
                | JobField::Monitor(..),
                JobValue::Text(_)
                | JobValue::Int(_)
                | JobValue::Bool(_)
                | JobValue::List(_)
                | JobValue::Grid(_)
                | JobValue::Schedules(_)
                | JobValue::Time(_)
                | JobValue::Monitor(_),
            ) => {
                return Err(format!(
                    "parameter '{}' cannot hold {value:?}",
                    param_def(param).wire
                ))
            }
        }
        Ok(())
    }

    /// Resets a parameter to its empty value (what `key=` asks for).
    pub fn clear(&mut self, param: Param) {
        match param_def(param).field {
            JobField::Text(_, f) => *f(self) = WireText::default(),
            JobField::Int(_, f) => *f(self) = WireInt::default(),
            JobField::Bool(_, f) => *f(self) = WireBool::default(),
            JobField::List(_, f) => *f(self) = WireList::default(),
            JobField::Grid(_, f) => *f(self) = WireGrid::default(),
            JobField::Schedules(_, f) => *f(self) = WireObjects::default(),
            JobField::Time(_, f) => *f(self) = WireOpt::default(),
            JobField::Monitor(_, f) => *f(self) = WireObject::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_accepts_php_spellings_and_refuses_wrong_types_naming_the_path() {
        use crate::api::wire_json::decode_object_at as decode_at;
        use serde_json::json;
        let good = json!({
            "_id": "6504c79fd4b57d536c05bbe2", "name": "n", "type": "1", "contains": 511,
            "destination": {"0": "a", "2": "b"}, "exclude_list": "", "filters": [["g"]],
            "schedules": [{"_id": "s", "retain": "7"}], "monitor": [], "disabled": "0",
            "time": null, "hooks": false, "include_list": null, "retry_failed": 1
        });
        let job = decode_at::<BackupJob>(good.clone(), "data").expect("PHP spellings are fine");
        assert_eq!(job.job_type, 1);
        assert_eq!(job.destination.strings(), ["a", "b"]);
        assert_eq!(job.schedule_refs()[0].retain, 7);
        assert!(!*job.disabled && *job.retry_failed && job.time.is_none());
        for (field, bad, path) in [
            ("_id", json!({"$oid": "x"}), "data._id"),
            ("name", json!(["n"]), "data.name"),
            ("type", json!("accounts"), "data.type"),
            ("contains", json!({}), "data.contains"),
            ("destination", json!(5), "data.destination"),
            ("destination", json!([{"_id": "x"}]), "data.destination[0]"),
            ("filters", json!(["g"]), "data.filters[0]"),
            ("schedules", json!(["s"]), "data.schedules[0]"),
            (
                "schedules",
                json!([{"_id": ["s"]}]),
                "data.schedules[0]._id",
            ),
            (
                "schedules",
                json!([{"_id": "s"}, {"_id": "t", "retain": "x"}]),
                "data.schedules[1].retain",
            ),
            ("monitor", json!("on"), "data.monitor"),
            ("monitor", json!({"ranfor": "x"}), "data.monitor.ranfor"),
            ("disabled", json!([1]), "data.disabled"),
            ("disabled", json!("abc"), "data.disabled"),
            ("time", json!("noon"), "data.time"),
        ] {
            let mut v = good.clone();
            v[field] = bad.clone();
            let err = decode_at::<BackupJob>(v, "data").expect_err(&format!("{field} = {bad}"));
            assert!(
                err.starts_with(&format!("{path}: ")),
                "{field} = {bad}: {err}"
            );
        }
        assert!(decode_at::<BackupJob>(json!([]), "data").is_err());
        assert!(decode_at::<BackupJob>(json!("job"), "data").is_err());
    }

    /// A row's lens reaches the field the server prints under the row's
    /// wire name, and that field holds the row's shape: a value stored
    /// through it reads back, and shows up in the job's JSON under `wire`.
    #[test]
    fn every_row_reaches_its_own_field() {
        use super::super::{Shape, JOB_PARAMS};
        use serde_json::json;
        for def in JOB_PARAMS {
            let (value, printed) = match (def.shape, def.field) {
                (Shape::Text, JobField::Text(..)) => (JobValue::Text("t".into()), json!("t")),
                (Shape::Int | Shape::Label | Shape::Bitmask, JobField::Int(..)) => {
                    (JobValue::Int(6), json!(6))
                }
                (Shape::Bool, JobField::Bool(..)) => (JobValue::Bool(true), json!(1)),
                (Shape::List, JobField::List(..)) => {
                    (JobValue::List(vec!["a".into()]), json!(["a"]))
                }
                (Shape::Grid, JobField::Grid(..)) => {
                    (JobValue::Grid(vec![vec!["g".into()]]), json!([["g"]]))
                }
                (Shape::ScheduleList, JobField::Schedules(..)) => (
                    JobValue::Schedules(vec![ScheduleRef {
                        id: "s".into(),
                        retain: 3,
                    }]),
                    json!([{"_id": "s", "name": "", "type": 0, "next_run": null, "retain": 3}]),
                ),
                (Shape::Time, JobField::Time(..)) => (
                    JobValue::Time(JobTime::new(9, 45).expect("a time")),
                    json!(945),
                ),
                (Shape::Monitor, JobField::Monitor(..)) => (
                    JobValue::Monitor(Monitor {
                        ranfor: 1.into(),
                        notran: 2.into(),
                    }),
                    json!({"ranfor": 1, "notran": 2}),
                ),
                (shape, field) => panic!("{}: a {shape:?} in a {field:?}", def.wire),
            };
            let mut job = BackupJob::default();
            job.store(def.param, &value).expect("stores");
            assert_eq!(job.value(def.param), Some(value.clone()), "{}", def.wire);
            let v = serde_json::to_value(&job).expect("serializes");
            assert_eq!(
                v[def.wire], printed,
                "{} is not printed as `{}`",
                def.wire, def.wire
            );
            job.clear(def.param);
            assert_eq!(job, BackupJob::default(), "{} clears", def.wire);
            assert!(
                job.store(def.param, &JobValue::Bool(false)).is_ok() == (def.shape == Shape::Bool)
            );
        }
    }

    /// The simulator writes replies by serializing the job: each field in
    /// the server's own spelling (integers for yes/no, `time` an integer,
    /// null for an unset text).
    #[test]
    fn job_serializes_in_the_servers_spelling() {
        use serde_json::json;
        let job = BackupJob {
            disabled: true.into(),
            time: Some(WireInt(945)).into(),
            destination: vec!["d".to_string()].into(),
            ..BackupJob::default()
        };
        let v = serde_json::to_value(&job).expect("serializes");
        assert_eq!(v["disabled"], json!(1));
        assert_eq!(v["running"], json!(0));
        assert_eq!(v["time"], json!(945));
        assert_eq!(v["next_run"], json!(null));
        assert_eq!(v["destination"], json!(["d"]));
        assert_eq!(v["monitor"], json!({"ranfor": 0, "notran": 0}));
        let back: BackupJob = serde_json::from_value(v).expect("reads back");
        assert_eq!(back, job);
    }
}
