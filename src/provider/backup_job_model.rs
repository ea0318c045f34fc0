//! The Terraform state of `jetbackup_backup_job` and its mapping to and from
//! the API models ([`JobSpec`] to write, [`BackupJob`] read back).
//!
//! The struct must serialize to exactly the attributes the schema declares
//! (Terraform rejects a state with one attribute more or less).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tf_provider::value::Value;

use crate::api::job::{
    choice_code, choice_label, contains_to_mask, full_contains, mask_to_contains, BackupJob,
    JobSpec, JobTime, JobType, JobValue, Monitor, Param, ScheduleRef, Shape, JOB_PARAMS,
    STRUCTURES, UNNAMED_BIT_PREFIX,
};
use crate::api::wire_json::WireText;

pub type Str = Value<String>;
/// A set of strings as Terraform sends it: a sorted list, so that two
/// elements still unknown at plan (two IDs of resources not yet created)
/// stay two rather than collapsing into one.
pub type StrSet = Value<Vec<Str>>;

/// A `schedules { id, retain }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScheduleBlock {
    pub id: Str,
    pub retain: Value<i64>,
}

/// The `monitor { ranfor, notran }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MonitorBlock {
    pub ranfor: Value<i64>,
    pub notran: Value<i64>,
}

/// Every attribute of `jetbackup_backup_job`, in Terraform's terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobState {
    pub id: Str,
    pub name: Str,
    #[serde(rename = "type")]
    pub job_type: Str,
    pub destination: StrSet,
    pub contains: StrSet,
    pub structure: Str,
    pub options: Value<i64>,
    pub retry_failed: Value<bool>,
    pub include_list: StrSet,
    pub exclude_list: StrSet,
    pub filters: Value<BTreeSet<StrSet>>,
    pub schedules: Value<BTreeSet<Value<ScheduleBlock>>>,
    pub time: Str,
    #[serde(with = "optional_block")]
    pub monitor: Value<MonitorBlock>,
    pub owner: Str,
    pub disabled: Value<bool>,
    pub owner_name: Str,
    pub next_run: Str,
    pub last_run: Str,
}

/// A block of at most one element, as Terraform sends it: a list, which is
/// itself unknown while a `dynamic` block's `for_each` is (`serde_as_vec`
/// alone rejects that at validation).
mod optional_block {
    use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};
    use tf_provider::value::{self, Value};

    pub fn serialize<T: Serialize, S: Serializer>(v: &Value<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Value::Unknown => Value::<Vec<T>>::Unknown.serialize(s),
            _ => value::serde_as_vec::serialize(v, s),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Value<T>, D::Error> {
        match Value::<Vec<Value<T>>>::deserialize(d)? {
            Value::Unknown => Ok(Value::Unknown),
            Value::Null => Ok(Value::Null),
            Value::Value(list) => {
                let mut items = list.into_iter();
                match (items.next(), items.next()) {
                    (None, _) => Ok(Value::Null),
                    (Some(one), None) => Ok(one),
                    (Some(_), Some(_)) => Err(D::Error::custom(
                        "a block of at most one element has several",
                    )),
                }
            }
        }
    }
}

/// The default `contains` items for a type (what an omitted `contains` plans to).
pub fn default_contains(job_type: JobType) -> BTreeSet<String> {
    mask_to_contains(job_type, full_contains(job_type))
}

pub fn str_set(items: impl IntoIterator<Item = String>) -> StrSet {
    let sorted: BTreeSet<String> = items.into_iter().collect();
    Value::Value(sorted.into_iter().map(Value::Value).collect())
}

/// Known strings of a set (unknown or null elements dropped).
pub fn known_strings(set: &StrSet) -> Option<Vec<String>> {
    match set {
        Value::Value(s) => Some(
            s.iter()
                .filter_map(|v| v.as_ref_option().cloned())
                .collect(),
        ),
        _ => None,
    }
}

/// A value read from the server whose empty form is ambiguous: empty reads
/// as null unless the reference (config, plan or prior state) holds the
/// empty value itself, so that an omitted optional attribute and an explicit
/// empty one (`= []`, a block of zeros) both stay as written.
fn as_written<T>(read: Value<T>, is_empty: impl Fn(&T) -> bool, reference: &Value<T>) -> Value<T> {
    match &read {
        Value::Value(r) if is_empty(r) && !matches!(reference, Value::Value(x) if is_empty(x)) => {
            Value::Null
        }
        _ => read,
    }
}

/// A set read from the server, null-versus-empty as written ([`as_written`]).
fn server_set(items: Vec<String>, reference: &StrSet) -> StrSet {
    as_written(str_set(items), |s| s.is_empty(), reference)
}

impl JobState {
    pub fn job_type(&self) -> Option<JobType> {
        self.job_type
            .as_ref_option()
            .and_then(|t| JobType::from_label(t))
    }

    /// The full set of parameters this state asks for (a create).
    pub fn to_spec(&self) -> JobSpec {
        let job_type = self.job_type();
        let mut spec = JobSpec::new();
        let mut put = |p: Param, v: Option<JobValue>| {
            if let Some(v) = v {
                spec.set(p, v);
            }
        };
        put(
            Param::Name,
            self.name.as_ref_option().cloned().map(JobValue::Text),
        );
        put(
            Param::Owner,
            self.owner.as_ref_option().cloned().map(JobValue::Text),
        );
        put(
            Param::Destination,
            known_strings(&self.destination).map(JobValue::List),
        );
        put(Param::Type, job_type.map(JobValue::from));
        put(
            Param::Contains,
            job_type
                .and_then(|t| {
                    let items: BTreeSet<String> = known_strings(&self.contains)
                        .unwrap_or_default()
                        .into_iter()
                        .collect();
                    contains_to_mask(t, &items)
                })
                .map(JobValue::Int),
        );
        put(
            Param::Structure,
            self.structure
                .as_ref_option()
                .and_then(|s| choice_code(STRUCTURES, s))
                .map(JobValue::Int),
        );
        put(
            Param::Options,
            self.options.as_ref_option().copied().map(JobValue::Int),
        );
        put(
            Param::RetryFailed,
            self.retry_failed
                .as_ref_option()
                .copied()
                .map(JobValue::Bool),
        );
        put(
            Param::Filters,
            self.filters.as_ref_option().map(|rows| {
                JobValue::Grid(
                    rows.iter()
                        .filter_map(|r| {
                            let mut row = known_strings(r)?;
                            row.sort();
                            Some(row)
                        })
                        .collect(),
                )
            }),
        );
        put(
            Param::IncludeList,
            known_strings(&self.include_list).map(JobValue::List),
        );
        put(
            Param::ExcludeList,
            known_strings(&self.exclude_list).map(JobValue::List),
        );
        put(
            Param::Schedules,
            self.schedules.as_ref_option().map(|set| {
                JobValue::Schedules(
                    set.iter()
                        .filter_map(|s| s.as_ref_option())
                        .filter_map(|s| {
                            Some(ScheduleRef {
                                id: s.id.as_ref_option()?.clone(),
                                retain: s.retain.as_ref_option().copied().unwrap_or(0),
                            })
                        })
                        .collect(),
                )
            }),
        );
        put(
            Param::Time,
            self.time
                .as_ref_option()
                .and_then(|t| JobTime::parse_hhmm(t))
                .map(JobValue::Time),
        );
        put(
            Param::Monitor,
            Some(JobValue::Monitor(self.monitor_value())),
        );
        put(
            Param::Disabled,
            self.disabled.as_ref_option().copied().map(JobValue::Bool),
        );
        spec
    }

    /// The monitor thresholds this state asks for; no block means monitoring off.
    pub fn monitor_value(&self) -> Monitor {
        match &self.monitor {
            Value::Value(m) => Monitor {
                ranfor: m.ranfor.as_ref_option().copied().unwrap_or(0).into(),
                notran: m.notran.as_ref_option().copied().unwrap_or(0).into(),
            },
            _ => Monitor::default(),
        }
    }

    /// Only the parameters that differ between `prior` and `self` (a modify):
    /// scalars when changed, lists sent whole, emptied lists cleared.
    pub fn diff_spec(&self, prior: &JobState) -> JobSpec {
        let want = self.to_spec();
        let have = prior.to_spec();
        let mut spec = JobSpec::new();
        for def in JOB_PARAMS {
            if def.replace || !def.role.is_input() {
                continue;
            }
            // A collection left unset is empty; it is compared as a set.
            let empty = match def.shape {
                Shape::List => Some(JobValue::List(Vec::new())),
                Shape::Grid => Some(JobValue::Grid(Vec::new())),
                Shape::ScheduleList => Some(JobValue::Schedules(Vec::new())),
                Shape::Text
                | Shape::Int
                | Shape::Label
                | Shape::Bool
                | Shape::Bitmask
                | Shape::Time
                | Shape::Monitor => None,
            };
            let or_empty = |v: Option<&JobValue>| v.cloned().or_else(|| empty.clone());
            let (w, h) = (or_empty(want.get(def.param)), or_empty(have.get(def.param)));
            fn as_set<T: Ord>(v: &[T]) -> BTreeSet<&T> {
                v.iter().collect()
            }
            let changed = match (&w, &h) {
                (Some(JobValue::List(a)), Some(JobValue::List(b))) => as_set(a) != as_set(b),
                (Some(JobValue::Grid(a)), Some(JobValue::Grid(b))) => as_set(a) != as_set(b),
                (Some(JobValue::Schedules(a)), Some(JobValue::Schedules(b))) => {
                    as_set(a) != as_set(b)
                }
                (w, h) => w != h,
            };
            if let (true, Some(v)) = (changed, w) {
                spec.set(def.param, v);
            }
        }
        spec
    }

    /// The state for a job as the server holds it. `reference` (the plan or
    /// the prior state) decides only representation questions the server
    /// cannot: an empty list written as `[]` versus omitted, and a monitor
    /// block of zeros versus no block.
    pub fn from_job(job: &BackupJob, reference: &JobState) -> JobState {
        let job_type = JobType::from_code(*job.job_type);
        let type_label = job_type.map_or_else(
            || format!("unknown_{}", job.job_type),
            |t| t.label().to_string(),
        );
        let contains = match job_type {
            Some(t) => str_set(mask_to_contains(t, *job.contains)),
            None => str_set([format!("{UNNAMED_BIT_PREFIX}{}", job.contains)]),
        };
        let structure = choice_label(STRUCTURES, *job.structure)
            .map_or_else(|| format!("unknown_{}", job.structure), str::to_string);
        let filters = as_written(
            Value::Value(
                job.filters
                    .iter()
                    .map(|row| str_set(row.iter().cloned()))
                    .collect(),
            ),
            |rows| rows.is_empty(),
            &reference.filters,
        );
        let schedules = Value::Value(
            job.schedules
                .iter()
                .map(|s| {
                    Value::Value(ScheduleBlock {
                        id: Value::Value(s.id.to_string()),
                        retain: Value::Value(*s.retain),
                    })
                })
                .collect(),
        );
        // A block of zeros is the server's "off", as is no block.
        let monitor = as_written(
            Value::Value(MonitorBlock {
                ranfor: Value::Value(*job.monitor.ranfor),
                notran: Value::Value(*job.monitor.notran),
            }),
            |m: &MonitorBlock| m.ranfor == Value::Value(0) && m.notran == Value::Value(0),
            &reference.monitor,
        );
        let opt_string =
            |s: &Option<WireText>| s.clone().map_or(Value::Null, |s| Value::Value(s.into()));
        let non_empty = |s: &str| {
            if s.is_empty() {
                Value::Null
            } else {
                Value::Value(s.to_string())
            }
        };
        JobState {
            id: Value::Value(job.id.to_string()),
            name: Value::Value(job.name.to_string()),
            job_type: Value::Value(type_label),
            destination: str_set(job.destination.strings()),
            contains,
            structure: Value::Value(structure),
            options: Value::Value(*job.options),
            retry_failed: Value::Value(*job.retry_failed),
            include_list: server_set(job.include_list.strings(), &reference.include_list),
            exclude_list: server_set(job.exclude_list.strings(), &reference.exclude_list),
            filters,
            schedules,
            time: job
                .job_time()
                .map_or(Value::Null, |t| Value::Value(t.to_string())),
            monitor,
            owner: non_empty(&job.owner),
            disabled: Value::Value(*job.disabled),
            owner_name: non_empty(&job.owner_name),
            next_run: opt_string(&job.next_run),
            last_run: opt_string(&job.last_run),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Terraform refuses a state with an attribute more or less than the
    /// schema, which the table drives: a new parameter fails here until
    /// the state has its field.
    #[test]
    fn state_holds_exactly_the_schemas_attributes() {
        let json = serde_json::to_value(JobState::default()).expect("serializes");
        let held: BTreeSet<String> = json
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        let s = super::super::backup_job_schema::schema();
        let declared: BTreeSet<String> = s
            .block
            .attributes
            .keys()
            .chain(s.block.blocks.keys())
            .cloned()
            .collect();
        assert_eq!(held, declared);
    }

    #[test]
    fn diff_sends_only_changes_and_clears_emptied_lists() {
        let mut prior = JobState {
            name: Value::Value("a".into()),
            job_type: Value::Value("accounts".into()),
            exclude_list: str_set(["x".to_string()]),
            ..Default::default()
        };
        prior.structure = Value::Value("incremental".into());
        let mut next = prior.clone();
        next.exclude_list = Value::Null;
        next.name = Value::Value("b".into());
        let spec = next.diff_spec(&prior);
        assert_eq!(spec.text(Param::Name), Some("b"));
        assert_eq!(spec.list(Param::ExcludeList), Some(&[][..]));
        assert_eq!(spec.get(Param::Structure), None);
        assert_eq!(spec.get(Param::Type), None);
    }
}
