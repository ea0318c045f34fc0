//! `manageSchedule`: decoding, checking and applying a create or modify.
//!
//! `type_data` depends on the type: one interval for hourly, a list of week
//! days for daily, one week day for weekly, a list of month days for monthly,
//! and the ID of the job to follow for after-job schedules. A modify that
//! changes the type must send `type_data` for the new type.

use serde_json::{json, Value};

use crate::api::lenient::{value_to_i64, value_to_list, value_to_string};
use crate::api::models::{
    schedule_type_name, Schedule, SCHEDULE_AFTER_JOB, SCHEDULE_DAILY, SCHEDULE_HOURLY,
    SCHEDULE_MONTHLY, SCHEDULE_WEEKLY,
};
use crate::api::wire::FormValue;

use super::form::{keyed_entries, non_negative, one_of, opt_scalar, scalar};
use super::seed::{SimData, ROOT_ACCOUNT_ID};

/// Intervals an hourly schedule accepts (hours).
pub const HOURLY_INTERVALS: &[i64] = &[1, 2, 3, 4, 6, 8, 12];

/// What one `manageSchedule` request writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScheduleRequest {
    pub name: Option<String>,
    pub schedule_type: Option<i64>,
    /// Raw until the effective type is known.
    pub type_data: Option<FormValue>,
    pub delay_type: Option<i64>,
    pub delay_amount: Option<i64>,
}

pub fn decode_schedule_request(form: &FormValue) -> Result<ScheduleRequest, String> {
    let name = opt_scalar(form, "name")?.map(str::to_string);
    let schedule_type = opt_scalar(form, "type")?
        .map(|s| one_of("type", s, &[1, 2, 3, 4, 5]))
        .transpose()?;
    let delay_type = opt_scalar(form, "delay_type")?
        .map(|s| one_of("delay_type", s, &[1, 2, 3]))
        .transpose()?;
    let delay_amount = opt_scalar(form, "delay_amount")?
        .map(|s| non_negative("delay_amount", s))
        .transpose()?;
    Ok(ScheduleRequest {
        name,
        schedule_type,
        type_data: form.get("type_data").cloned(),
        delay_type,
        delay_amount,
    })
}

/// One integer in `allowed`, sent as `type_data=N`.
fn single(v: &FormValue, allowed: &[i64]) -> Result<Value, String> {
    Ok(json!(one_of(
        "type_data",
        scalar("type_data", v)?,
        allowed
    )?))
}

/// A non-empty list of days in `range`, sent as `type_data[0]=N&type_data[1]=M`.
fn days(v: &FormValue, range: std::ops::RangeInclusive<i64>, what: &str) -> Result<Value, String> {
    if v.as_str().is_some() {
        return Err(format!(
            "Invalid parameter 'type_data': must be a list of {what} (type_data[0]=…&type_data[1]=…)"
        ));
    }
    let mut out = Vec::new();
    for (i, d) in keyed_entries(v) {
        let key = format!("type_data[{i}]");
        let allowed: Vec<i64> = range.clone().collect();
        out.push(one_of(&key, scalar(&key, d)?, &allowed)?);
    }
    if out.is_empty() {
        return Err(format!(
            "Invalid parameter 'type_data': at least one of the {what} is required"
        ));
    }
    Ok(json!(out))
}

/// Checks `type_data` for a schedule type and returns it as stored.
pub fn type_data_for(data: &SimData, schedule_type: i64, v: &FormValue) -> Result<Value, String> {
    match schedule_type {
        SCHEDULE_HOURLY => single(v, HOURLY_INTERVALS),
        SCHEDULE_DAILY => days(v, 1..=7, "days of the week 1-7 (1 = Sunday)"),
        SCHEDULE_WEEKLY => single(v, &[1, 2, 3, 4, 5, 6, 7]),
        // Inferred: days 1-31; whether JetBackup has a "last day" value is not
        // documented.
        SCHEDULE_MONTHLY => days(v, 1..=31, "days of the month 1-31"),
        _ => {
            let id = scalar("type_data", v)?;
            if id.is_empty() {
                return Err(
                    "Invalid parameter 'type_data': the ID of the backup job to follow is required"
                        .to_string(),
                );
            }
            if !data.backup_jobs.iter().any(|j| j.id == id) {
                return Err(format!(
                    "Backup Job '{id}' not found (parameter 'type_data')"
                ));
            }
            Ok(json!(id))
        }
    }
}

/// Whether stored `type_data` is still valid for `schedule_type` (used when a
/// modify leaves both alone but the stored data came from a seed).
fn stored_data_fits(schedule_type: i64, v: &Value) -> bool {
    match schedule_type {
        SCHEDULE_HOURLY | SCHEDULE_WEEKLY => value_to_i64(v).is_some(),
        SCHEDULE_DAILY | SCHEDULE_MONTHLY => !value_to_list(v).is_empty(),
        SCHEDULE_AFTER_JOB => value_to_string(v).is_some(),
        _ => false,
    }
}

/// The schedule after applying `req` to `existing` (modify) or to a new one
/// (create; the caller assigns the ID). Nothing is written.
pub fn apply_schedule_request(
    data: &SimData,
    existing: Option<&Schedule>,
    req: &ScheduleRequest,
) -> Result<Schedule, String> {
    let mut s = match existing {
        Some(s) => s.clone(),
        None => {
            for (key, sent) in [
                ("name", req.name.is_some()),
                ("type", req.schedule_type.is_some()),
                ("type_data", req.type_data.is_some()),
            ] {
                if !sent {
                    return Err(format!(
                        "Missing required parameter '{key}' for action create"
                    ));
                }
            }
            Schedule {
                owner: ROOT_ACCOUNT_ID.to_string(),
                owner_name: "root".to_string(),
                // Inferred default: minutes.
                delay_type: 1,
                ..Schedule::default()
            }
        }
    };
    if let Some(name) = &req.name {
        if name.trim().is_empty() {
            return Err("Invalid parameter 'name': must not be empty".to_string());
        }
        s.name = name.clone();
    }
    let type_changes = req.schedule_type.is_some_and(|t| t != s.schedule_type);
    if let Some(t) = req.schedule_type {
        s.schedule_type = t;
        s.type_name = schedule_type_name(t).to_string();
    }
    match &req.type_data {
        Some(v) => s.type_data = type_data_for(data, s.schedule_type, v)?,
        None if type_changes || !stored_data_fits(s.schedule_type, &s.type_data) => {
            return Err(format!(
                "Missing required parameter 'type_data' for a {} schedule",
                schedule_type_name(s.schedule_type)
            ))
        }
        None => {}
    }
    if let Some(d) = req.delay_type {
        s.delay_type = d;
    }
    if let Some(d) = req.delay_amount {
        s.delay_amount = d;
    }
    // Inferred: `delay` says whether a delay amount is set.
    s.delay = s.delay_amount > 0;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::parse_pairs;
    use crate::sim::seed::builtin;

    fn create(body: &str) -> Result<Schedule, String> {
        let req = decode_schedule_request(&FormValue::from_pairs(&parse_pairs(body)))?;
        apply_schedule_request(&builtin(), None, &req)
    }

    #[test]
    fn each_type_takes_its_own_type_data() {
        assert_eq!(
            create("name=h&type=1&type_data=6").unwrap().type_data,
            json!(6)
        );
        assert_eq!(
            create("name=d&type=2&type_data[0]=1&type_data[1]=5")
                .unwrap()
                .type_data,
            json!([1, 5])
        );
        assert_eq!(
            create("name=w&type=3&type_data=7").unwrap().type_data,
            json!(7)
        );
        assert_eq!(
            create("name=m&type=4&type_data[0]=1&type_data[1]=31")
                .unwrap()
                .type_data,
            json!([1, 31])
        );
        let s = create("name=h&type=1&type_data=6").unwrap();
        assert_eq!(s.type_name, "Hourly");
        assert_eq!(s.owner_name, "root");
    }

    #[test]
    fn type_data_is_checked_per_type() {
        for (body, key) in [
            ("name=h&type=1&type_data=5", "'type_data'"),
            ("name=h&type=1&type_data[0]=6", "'type_data'"),
            ("name=d&type=2&type_data=1", "'type_data'"),
            ("name=d&type=2&type_data[0]=8", "'type_data[0]'"),
            ("name=d&type=2&type_data=", "'type_data'"),
            ("name=w&type=3&type_data=0", "'type_data'"),
            ("name=m&type=4&type_data[0]=32", "'type_data[0]'"),
            (
                "name=a&type=5&type_data=6504c79fd4b57d536c05bbe2",
                "'type_data'",
            ),
            ("name=x&type=6&type_data=1", "'type'"),
            ("type=1&type_data=1", "'name'"),
            ("name=x&type=1", "'type_data'"),
            ("name=x&type=1&type_data=1&delay_type=4", "'delay_type'"),
            (
                "name=x&type=1&type_data=1&delay_amount=-1",
                "'delay_amount'",
            ),
        ] {
            let e = create(body).unwrap_err();
            assert!(e.contains(key), "{body}: {e}");
        }
    }

    #[test]
    fn modify_is_partial_and_type_change_needs_type_data() {
        let s = create("name=h&type=1&type_data=6&delay_amount=5").unwrap();
        assert!(s.delay);
        let modify = |body: &str| {
            let req = decode_schedule_request(&FormValue::from_pairs(&parse_pairs(body)))?;
            apply_schedule_request(&builtin(), Some(&s), &req)
        };
        let renamed = modify("name=Renamed").unwrap();
        assert_eq!(
            (renamed.name.as_str(), &renamed.type_data),
            ("Renamed", &json!(6))
        );
        assert!(modify("type=3").unwrap_err().contains("'type_data'"));
        let weekly = modify("type=3&type_data=2").unwrap();
        assert_eq!(weekly.type_name, "Weekly");
    }
}
