//! What one `manageBackupJob` call writes ([`JobSpec`]: a [`JobValue`] per
//! parameter), the value types (time of day, schedule references, monitor
//! thresholds) and their encoding in bracket notation, in
//! the order of the job's table.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{param_def, JobType, Param};
use crate::api::object::{MONITOR_BLOCK, SCHEDULE_BLOCK};
use crate::api::wire::Params;
use crate::api::wire_json::WireInt;

/// A time of day as JetBackup stores it: HHMM, sent as four digits and read
/// back as an integer without leading zeros (`945` is 09:45).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobTime {
    pub hour: u8,
    pub minute: u8,
}

impl JobTime {
    pub fn new(hour: u8, minute: u8) -> Option<JobTime> {
        (hour < 24 && minute < 60).then_some(JobTime { hour, minute })
    }

    /// Parses the four-digit form users write, `"0350"`.
    pub fn parse_hhmm(s: &str) -> Option<JobTime> {
        let (hour, minute) = crate::api::object::hhmm(s)?;
        JobTime::new(hour, minute)
    }

    /// Reads the integer the server returns (`945`, `0`, `2330`).
    pub fn from_int(v: i64) -> Option<JobTime> {
        if !(0..=2359).contains(&v) {
            return None;
        }
        JobTime::new((v / 100) as u8, (v % 100) as u8)
    }

    pub fn as_int(self) -> i64 {
        self.hour as i64 * 100 + self.minute as i64
    }
}

impl fmt::Display for JobTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}{:02}", self.hour, self.minute)
    }
}

/// A schedule attached to a job, as written: `{_id, retain}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScheduleRef {
    pub id: String,
    pub retain: i64,
}

/// Job monitor thresholds in days, 0 = off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Monitor {
    pub ranfor: WireInt,
    pub notran: WireInt,
}

/// One parameter's value as a write sends it. The variant is the value's
/// form on the wire (a label and a bitmask
/// travel as the integer: a choice's code, OR-ed bits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobValue {
    /// `key=text`
    Text(String),
    /// `key=123`
    Int(i64),
    /// `key=1|0`
    Bool(bool),
    /// `key[0]=a&key[1]=b`; empty is `key=`, which clears
    List(Vec<String>),
    /// `key[row][col]=id`; empty is `key=`
    Grid(Vec<Vec<String>>),
    /// `key[i][_id]=id&key[i][retain]=n`; empty is `key=`
    Schedules(Vec<ScheduleRef>),
    /// `key=HHMM`
    Time(JobTime),
    /// `key[ranfor]=n&key[notran]=n`
    Monitor(Monitor),
}

impl JobValue {
    /// Appends the value under `key` in bracket notation.
    fn encode_into(&self, p: &mut Params, key: &str) {
        match self {
            JobValue::Text(s) => {
                p.push(key, s.as_str());
            }
            JobValue::Int(n) => {
                p.push_int(key, *n);
            }
            JobValue::Bool(b) => {
                p.push_bool(key, *b);
            }
            JobValue::List(items) => {
                p.push_list(key, items);
            }
            JobValue::Grid(rows) => {
                p.push_grid(key, rows);
            }
            JobValue::Schedules(v) if v.is_empty() => {
                p.push(key, "");
            }
            JobValue::Schedules(v) => {
                for (i, s) in v.iter().enumerate() {
                    let [id, retain] = &SCHEDULE_BLOCK;
                    p.push(format!("{key}[{i}][{}]", id.wire), s.id.as_str());
                    p.push_int(format!("{key}[{i}][{}]", retain.wire), s.retain);
                }
            }
            JobValue::Time(t) => {
                p.push(key, t.to_string());
            }
            JobValue::Monitor(m) => {
                let [ranfor, notran] = &MONITOR_BLOCK;
                p.push_int(format!("{key}[{}]", ranfor.wire), *m.ranfor);
                p.push_int(format!("{key}[{}]", notran.wire), *m.notran);
            }
        }
    }
}

/// The value as a message quotes it: a scalar as its wire text, a list
/// comma-separated.
impl fmt::Display for JobValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobValue::Text(s) => f.write_str(s),
            JobValue::Int(n) => write!(f, "{n}"),
            JobValue::Bool(b) => f.write_str(if *b { "1" } else { "0" }),
            JobValue::List(items) => f.write_str(&items.join(",")),
            JobValue::Grid(rows) => {
                let rows: Vec<String> = rows.iter().map(|r| format!("[{}]", r.join(","))).collect();
                f.write_str(&rows.join(","))
            }
            JobValue::Schedules(refs) => {
                let refs: Vec<String> = refs
                    .iter()
                    .map(|s| format!("{}:{}", s.id, s.retain))
                    .collect();
                f.write_str(&refs.join(","))
            }
            JobValue::Time(t) => write!(f, "{t}"),
            JobValue::Monitor(m) => write!(f, "{}/{}", m.ranfor, m.notran),
        }
    }
}

impl From<String> for JobValue {
    fn from(s: String) -> Self {
        JobValue::Text(s)
    }
}

impl From<&str> for JobValue {
    fn from(s: &str) -> Self {
        JobValue::Text(s.to_string())
    }
}

impl From<i64> for JobValue {
    fn from(n: i64) -> Self {
        JobValue::Int(n)
    }
}

impl From<bool> for JobValue {
    fn from(b: bool) -> Self {
        JobValue::Bool(b)
    }
}

impl From<Vec<String>> for JobValue {
    fn from(v: Vec<String>) -> Self {
        JobValue::List(v)
    }
}

impl From<Vec<Vec<String>>> for JobValue {
    fn from(v: Vec<Vec<String>>) -> Self {
        JobValue::Grid(v)
    }
}

impl From<Vec<ScheduleRef>> for JobValue {
    fn from(v: Vec<ScheduleRef>) -> Self {
        JobValue::Schedules(v)
    }
}

impl From<JobTime> for JobValue {
    fn from(t: JobTime) -> Self {
        JobValue::Time(t)
    }
}

impl From<Monitor> for JobValue {
    fn from(m: Monitor) -> Self {
        JobValue::Monitor(m)
    }
}

impl From<JobType> for JobValue {
    fn from(t: JobType) -> Self {
        JobValue::Int(t.code())
    }
}

/// The values one `manageBackupJob` call writes, by parameter. A parameter
/// that is absent is not sent: on modify, JetBackup leaves it as it is (a
/// partial update). Nothing here names a parameter: the table says how each
/// travels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobSpec {
    values: BTreeMap<Param, JobValue>,
}

impl JobSpec {
    pub fn new() -> JobSpec {
        JobSpec::default()
    }

    pub fn set(&mut self, param: Param, value: impl Into<JobValue>) {
        self.values.insert(param, value.into());
    }

    pub fn with(mut self, param: Param, value: impl Into<JobValue>) -> JobSpec {
        self.set(param, value);
        self
    }

    /// [`with`](Self::with) when there is a value.
    pub fn with_opt(mut self, param: Param, value: Option<impl Into<JobValue>>) -> JobSpec {
        if let Some(v) = value {
            self.set(param, v);
        }
        self
    }

    pub fn get(&self, param: Param) -> Option<&JobValue> {
        self.values.get(&param)
    }

    pub fn remove(&mut self, param: Param) -> Option<JobValue> {
        self.values.remove(&param)
    }

    /// Whether the call would send nothing.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values in table order.
    pub fn iter(&self) -> impl Iterator<Item = (Param, &JobValue)> {
        self.values.iter().map(|(p, v)| (*p, v))
    }

    pub fn text(&self, param: Param) -> Option<&str> {
        if let JobValue::Text(s) = self.get(param)? {
            Some(s)
        } else {
            None
        }
    }

    pub fn int(&self, param: Param) -> Option<i64> {
        if let JobValue::Int(n) = self.get(param)? {
            Some(*n)
        } else {
            None
        }
    }

    pub fn list(&self, param: Param) -> Option<&[String]> {
        if let JobValue::List(v) = self.get(param)? {
            Some(v)
        } else {
            None
        }
    }

    /// The name sent, or "" when none is.
    pub fn name(&self) -> &str {
        self.text(Param::Name).unwrap_or_default()
    }

    pub fn job_type(&self) -> Option<JobType> {
        self.int(Param::Type).and_then(JobType::from_code)
    }

    /// Appends the set parameters in table order.
    pub fn encode_into(&self, p: &mut Params) {
        for (param, v) in &self.values {
            v.encode_into(p, param_def(*param).wire);
        }
    }

    /// `action=create` followed by every set parameter.
    pub fn create_params(&self) -> Params {
        let mut p = Params::new();
        p.push("action", "create");
        self.encode_into(&mut p);
        p
    }

    /// `action=modify&_id=…` followed by the parameters to change.
    pub fn modify_params(&self, id: &str) -> Params {
        let mut p = Params::new();
        p.push("action", "modify").push("_id", id);
        self.encode_into(&mut p);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_round_trips_through_the_integer_readback() {
        assert_eq!(
            JobTime::from_int(945).map(|t| t.to_string()).as_deref(),
            Some("0945")
        );
        assert_eq!(
            JobTime::from_int(0).map(|t| t.to_string()).as_deref(),
            Some("0000")
        );
        assert_eq!(JobTime::parse_hhmm("2330").map(JobTime::as_int), Some(2330));
        for bad in ["2400", "0960", "950", "09:50", "abcd", ""] {
            assert_eq!(JobTime::parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(JobTime::from_int(1260), None);
        assert_eq!(JobTime::from_int(-5), None);
    }
}
