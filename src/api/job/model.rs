//! The backup job object as the server returns it ([`BackupJob`]), each
//! field declared with its wire type, which is also how a reply is checked;
//! and [`BackupJob::value`], a parameter's value in the form a write sends.

use serde::{Deserialize, Serialize};

use super::{JobTime, JobValue, Monitor, Param, ScheduleRef};
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

impl BackupJob {
    /// A parameter's value as the server holds it, in the form a write
    /// sends it; `None` only for a time of day that is unset (or not one).
    /// Every parameter is matched: a new one does not build without its
    /// field here.
    pub fn value(&self, param: Param) -> Option<JobValue> {
        let text = |t: &WireText| JobValue::Text(t.to_string());
        Some(match param {
            Param::Name => text(&self.name),
            Param::Owner => text(&self.owner),
            Param::OwnerName => text(&self.owner_name),
            Param::Destination => JobValue::List(self.destination.strings()),
            Param::Type => JobValue::Int(*self.job_type),
            Param::Contains => JobValue::Int(*self.contains),
            Param::Structure => JobValue::Int(*self.structure),
            Param::Options => JobValue::Int(*self.options),
            Param::RetryFailed => JobValue::Bool(*self.retry_failed),
            Param::Filters => JobValue::Grid(self.filters.to_vec()),
            Param::IncludeList => JobValue::List(self.include_list.strings()),
            Param::ExcludeList => JobValue::List(self.exclude_list.strings()),
            Param::Schedules => JobValue::Schedules(self.schedule_refs()),
            Param::Time => JobValue::Time(self.job_time()?),
            Param::Monitor => JobValue::Monitor(*self.monitor),
            Param::Disabled => JobValue::Bool(*self.disabled),
        })
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

    /// Each parameter's value is read from the field the server prints
    /// under its row's wire name, in the form a write sends it.
    #[test]
    fn every_parameter_reads_its_own_field() {
        use super::super::param_def;
        use crate::api::object::{Form, ValueKind};
        use serde_json::json;
        for p in Param::ALL {
            let f = param_def(*p);
            let (printed, value) = match (f.kind, f.kind.form()) {
                (ValueKind::Time, _) => (
                    json!(945),
                    JobValue::Time(JobTime::new(9, 45).expect("a time")),
                ),
                // Codes and masks travel as integers.
                (ValueKind::Label(_) | ValueKind::Numbered(_) | ValueKind::Bitmask(_), _) => {
                    (json!(6), JobValue::Int(6))
                }
                (_, Form::Text) => (json!("t"), JobValue::Text("t".into())),
                (_, Form::Bool) => (json!(1), JobValue::Bool(true)),
                (_, Form::Texts) => (json!(["a"]), JobValue::List(vec!["a".into()])),
                (_, Form::Grid) => (json!([["g"]]), JobValue::Grid(vec![vec!["g".into()]])),
                (_, Form::Schedules) => (
                    json!([{"_id": "s", "retain": 3}]),
                    JobValue::Schedules(vec![ScheduleRef {
                        id: "s".into(),
                        retain: 3,
                    }]),
                ),
                (_, Form::Monitor) => (
                    json!({"ranfor": 1, "notran": 2}),
                    JobValue::Monitor(Monitor {
                        ranfor: 1.into(),
                        notran: 2.into(),
                    }),
                ),
                (_, Form::Number) => (json!(6), JobValue::Int(6)),
                (_, Form::Numbers) => panic!("{}: no job parameter is one", f.wire),
            };
            let mut raw = serde_json::Map::new();
            raw.insert(f.wire.to_string(), printed);
            let job: BackupJob = serde_json::from_value(raw.into()).expect("a job");
            assert_eq!(job.value(*p), Some(value), "{}", f.wire);
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
