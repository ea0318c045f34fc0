//! Calendar arithmetic for `next_run` / `last_run`: ISO-8601 timestamps in
//! JetBackup's format (`2026-08-13T16:45:00+00:00`) and the next time a
//! schedule fires. All in UTC, without a date library: the civil-date
//! conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`.

use serde_json::Value;

use crate::api::lenient::{value_to_i64, value_to_list};
use crate::api::object::schedule::{
    DAILY as SCHEDULE_DAILY, HOURLY as SCHEDULE_HOURLY, MONTHLY as SCHEDULE_MONTHLY,
    WEEKLY as SCHEDULE_WEEKLY,
};

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2026-08-13T16:45:00+00:00`, the form JetBackup prints dates in.
pub fn iso8601(unix: i64) -> String {
    let days = unix.div_euclid(DAY);
    let secs = unix.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Day of the week in JetBackup's numbering: 1 = Sunday … 7 = Saturday.
pub fn weekday(days: i64) -> i64 {
    // 1970-01-01 was a Thursday (5 in this numbering).
    (days + 4).rem_euclid(7) + 1
}

/// The next second strictly after `now` at which a schedule of `schedule_type`
/// with `type_data` fires for a job whose time of day is `time` (HHMM as an
/// integer; midnight when the job has none). `None` for after-job schedules
/// (they fire when another job finishes) and for data that cannot fire.
///
/// Inferred: JetBackup's exact rule is not documented. This takes the job's
/// `time` as the time of day for daily/weekly/monthly schedules and as the
/// phase (minute, and starting hour) of an hourly schedule.
pub fn next_fire(
    schedule_type: i64,
    type_data: &Value,
    time: Option<i64>,
    now: i64,
) -> Option<i64> {
    let hhmm = time.filter(|t| (0..=2359).contains(t)).unwrap_or(0);
    let offset = (hhmm / 100) * 3600 + (hhmm % 100) * 60;
    let today = now.div_euclid(DAY);
    let at = |day: i64| day * DAY + offset;
    let ints =
        |v: &Value| -> Vec<i64> { value_to_list(v).iter().filter_map(value_to_i64).collect() };
    match schedule_type {
        SCHEDULE_HOURLY => {
            let every = value_to_i64(type_data).filter(|n| *n > 0)? * 3600;
            let anchor = at(today);
            let k = (now - anchor).div_euclid(every) + 1;
            Some(anchor + k * every)
        }
        SCHEDULE_DAILY | SCHEDULE_WEEKLY => {
            let days = if schedule_type == SCHEDULE_WEEKLY {
                value_to_i64(type_data).into_iter().collect()
            } else {
                ints(type_data)
            };
            (0..=7)
                .map(|d| today + d)
                .find(|day| days.contains(&weekday(*day)) && at(*day) > now)
                .map(at)
        }
        SCHEDULE_MONTHLY => {
            let days = ints(type_data);
            // Two months ahead always reaches any day 1..=31 that exists.
            (0..=62)
                .map(|d| today + d)
                .find(|day| {
                    let (_, _, dom) = civil_from_days(*day);
                    days.contains(&i64::from(dom)) && at(*day) > now
                })
                .map(at)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn civil_round_trip_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn iso_format_matches_jetbackup() {
        // 2023-09-15T20:28:13+00:00 appears in the vendor's example reply.
        assert_eq!(iso8601(1_694_809_693), "2023-09-15T20:28:13+00:00");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn weekdays_start_on_sunday() {
        // 2023-09-17 was a Sunday.
        assert_eq!(weekday(days_from_civil(2023, 9, 17)), 1);
        assert_eq!(weekday(days_from_civil(2023, 9, 23)), 7);
    }

    #[test]
    fn next_fire_per_type() {
        // Wednesday 2023-09-20 10:30:00 UTC.
        let now = days_from_civil(2023, 9, 20) * DAY + 10 * 3600 + 30 * 60;
        let day = days_from_civil(2023, 9, 20) * DAY;
        // Every 6 hours at minute 15, phase 00:15: 12:15 is next.
        assert_eq!(
            next_fire(1, &json!(6), Some(15), now),
            Some(day + 12 * 3600 + 15 * 60)
        );
        // Daily on Sunday and Thursday at 03:50: Thursday 21st.
        assert_eq!(
            next_fire(2, &json!([1, 5]), Some(350), now),
            Some(day + DAY + 3 * 3600 + 50 * 60)
        );
        // Daily including Wednesday at 23:30: today.
        assert_eq!(
            next_fire(2, &json!([4]), Some(2330), now),
            Some(day + 23 * 3600 + 30 * 60)
        );
        // Weekly on Wednesday at 09:00: already past today, so next week.
        assert_eq!(
            next_fire(3, &json!(4), Some(900), now),
            Some(day + 7 * DAY + 9 * 3600)
        );
        // Monthly on the 1st at midnight: October 1st.
        assert_eq!(
            next_fire(4, &json!([1]), None, now),
            Some(days_from_civil(2023, 10, 1) * DAY)
        );
        // After-job schedules have no clock time.
        assert_eq!(
            next_fire(5, &json!("6504c79fd4b57d536c05bbe2"), None, now),
            None
        );
    }
}
