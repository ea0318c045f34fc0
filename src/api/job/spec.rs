//! What one `manageBackupJob` call writes ([`JobSpec`]), its value types
//! (time of day, schedule references, monitor thresholds) and its encoding
//! in bracket notation, in [`JOB_PARAMS`](super::JOB_PARAMS) order.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{JobType, Param, JOB_PARAMS};
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
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let hour = s[..2].parse().ok()?;
        let minute = s[2..].parse().ok()?;
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

/// The values a `manageBackupJob` call writes. `None` means "not sent": on
/// modify, JetBackup leaves that field as it is (a partial update).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobSpec {
    pub name: Option<String>,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub destination: Option<Vec<String>>,
    pub job_type: Option<JobType>,
    pub contains: Option<i64>,
    pub structure: Option<i64>,
    pub options: Option<i64>,
    pub retry_failed: Option<bool>,
    pub filters: Option<Vec<Vec<String>>>,
    pub include_list: Option<Vec<String>>,
    pub exclude_list: Option<Vec<String>>,
    pub schedules: Option<Vec<ScheduleRef>>,
    pub time: Option<JobTime>,
    pub monitor: Option<Monitor>,
    pub disabled: Option<bool>,
}

impl JobSpec {
    /// Appends the set parameters in table order.
    pub fn encode_into(&self, p: &mut Params) {
        for spec in JOB_PARAMS {
            let key = spec.wire;
            match spec.param {
                Param::Name => push_text(p, key, &self.name),
                Param::Owner => push_text(p, key, &self.owner),
                Param::OwnerName => push_text(p, key, &self.owner_name),
                Param::Destination => push_list(p, key, &self.destination),
                Param::Type => push_int(p, key, self.job_type.map(JobType::code)),
                Param::Contains => push_int(p, key, self.contains),
                Param::Structure => push_int(p, key, self.structure),
                Param::Options => push_int(p, key, self.options),
                Param::RetryFailed => push_bool(p, key, self.retry_failed),
                Param::Filters => {
                    if let Some(rows) = &self.filters {
                        p.push_grid(key, rows);
                    }
                }
                Param::IncludeList => push_list(p, key, &self.include_list),
                Param::ExcludeList => push_list(p, key, &self.exclude_list),
                Param::Schedules => match &self.schedules {
                    Some(v) if v.is_empty() => {
                        p.push(key, "");
                    }
                    Some(v) => {
                        for (i, s) in v.iter().enumerate() {
                            p.push(format!("{key}[{i}][_id]"), s.id.as_str());
                            p.push_int(format!("{key}[{i}][retain]"), s.retain);
                        }
                    }
                    None => {}
                },
                Param::Time => push_text(p, key, &self.time.map(|t| t.to_string())),
                Param::Monitor => {
                    if let Some(m) = &self.monitor {
                        p.push_int(format!("{key}[ranfor]"), *m.ranfor);
                        p.push_int(format!("{key}[notran]"), *m.notran);
                    }
                }
                Param::Disabled => push_bool(p, key, self.disabled),
            }
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

fn push_text(p: &mut Params, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        p.push(key, v.as_str());
    }
}

fn push_int(p: &mut Params, key: &str, v: Option<i64>) {
    if let Some(v) = v {
        p.push_int(key, v);
    }
}

fn push_bool(p: &mut Params, key: &str, v: Option<bool>) {
    if let Some(v) = v {
        p.push_bool(key, v);
    }
}

fn push_list(p: &mut Params, key: &str, v: &Option<Vec<String>>) {
    if let Some(v) = v {
        p.push_list(key, v);
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
