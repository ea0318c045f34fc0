//! The schedule table: `manageSchedule`, `getSchedule`, `listSchedules`,
//! `deleteSchedule`.
//!
//! JetBackup sends a schedule's settings in one parameter, `type_data`, whose
//! meaning depends on `type`: an interval, a list of week days, one week day,
//! a list of month days, or the ID of the job to follow. Here each meaning is
//! a field of its own, readable and checked separately, that all travel as
//! `type_data`.

use super::{Docs, Field, ObjectKind, ValueKind};
use crate::api::table::{Choice, Fixed, Role};

pub const HOURLY: i64 = 1;
pub const DAILY: i64 = 2;
pub const WEEKLY: i64 = 3;
pub const MONTHLY: i64 = 4;
pub const AFTER_JOB: i64 = 5;

pub const SCHEDULE_TYPES: &[Choice] = &[
    Choice {
        label: "hourly",
        code: HOURLY,
        doc: "Hourly",
    },
    Choice {
        label: "daily",
        code: DAILY,
        doc: "Daily",
    },
    Choice {
        label: "weekly",
        code: WEEKLY,
        doc: "Weekly",
    },
    Choice {
        label: "monthly",
        code: MONTHLY,
        doc: "Monthly",
    },
    Choice {
        label: "after_job",
        code: AFTER_JOB,
        doc: "After Backup Job Done",
    },
];

/// Week days as JetBackup numbers them (seen for daily schedules; weekly
/// schedules are inferred to use the same numbers).
pub const WEEKDAYS: &[Choice] = &[
    Choice {
        label: "sunday",
        code: 1,
        doc: "Sunday",
    },
    Choice {
        label: "monday",
        code: 2,
        doc: "Monday",
    },
    Choice {
        label: "tuesday",
        code: 3,
        doc: "Tuesday",
    },
    Choice {
        label: "wednesday",
        code: 4,
        doc: "Wednesday",
    },
    Choice {
        label: "thursday",
        code: 5,
        doc: "Thursday",
    },
    Choice {
        label: "friday",
        code: 6,
        doc: "Friday",
    },
    Choice {
        label: "saturday",
        code: 7,
        doc: "Saturday",
    },
];

pub const DELAY_UNITS: &[Choice] = &[
    Choice {
        label: "minutes",
        code: 1,
        doc: "Minutes",
    },
    Choice {
        label: "hours",
        code: 2,
        doc: "Hours",
    },
    Choice {
        label: "days",
        code: 3,
        doc: "Days",
    },
];

/// Intervals an hourly schedule accepts, in hours.
pub const HOURLY_INTERVALS: &[i64] = &[1, 2, 3, 4, 6, 8, 12];

/// The name JetBackup gives a type in `type_name`.
pub fn type_name(code: i64) -> &'static str {
    crate::api::table::choice_label(SCHEDULE_TYPES, code)
        .and_then(|l| SCHEDULE_TYPES.iter().find(|c| c.label == l))
        .map_or("Unknown", |c| c.doc)
}

#[rustfmt::skip]
pub const SCHEDULE: ObjectKind = ObjectKind {
    name: "schedule",
    title: "schedule",
    manage: "manageSchedule",
    get: "getSchedule",
    list: "listSchedules",
    delete: "deleteSchedule",
    collection: "schedules",
    discriminator: "type",
    doc: "A JetBackup 5 schedule: when the backup jobs that use it run. Managed with `manageSchedule`, read with `getSchedule`, deleted with `deleteSchedule`. A job refers to it in a `schedules` block with its own retention. Changing `type` updates the schedule in place, sending the new type's settings with it: JetApps' own API wrapper sends `type` on modify, and no JetBackup source says it is refused (inferred, not confirmed on a live server). Deleting a schedule that a job outside this configuration still uses is refused by JetBackup; the error names the jobs and the schedule stays in state.",
    blocks: &[],
    notes: "",
    docs: Docs::Generated,
    fields: &[
        Field { attr: "name", wire: "name", kind: ValueKind::Text, role: Role::Required, types: &[], replace: false, note: "", doc: "The schedule's name." },
        Field { attr: "type", wire: "type", kind: ValueKind::Label(SCHEDULE_TYPES), role: Role::Required, types: &[], replace: false, note: "", doc: "How often the schedule fires. Each type has its own setting: `every_hours` (hourly), `days_of_week` (daily), `day_of_week` (weekly), `days_of_month` (monthly), `after_job_id` with `delay_amount`/`delay_unit` (after_job)." },
        Field { attr: "every_hours", wire: "type_data", kind: ValueKind::IntIn(HOURLY_INTERVALS), role: Role::Required, types: &[HOURLY], replace: false, note: "", doc: "Hourly: run every this many hours." },
        Field { attr: "days_of_week", wire: "type_data", kind: ValueKind::LabelSet(WEEKDAYS), role: Role::Required, types: &[DAILY], replace: false, note: "", doc: "Daily: the days of the week it runs on, lower-case English names." },
        Field { attr: "day_of_week", wire: "type_data", kind: ValueKind::Label(WEEKDAYS), role: Role::Required, types: &[WEEKLY], replace: false, note: "", doc: "Weekly: the one day of the week it runs on, a lower-case English name." },
        Field { attr: "days_of_month", wire: "type_data", kind: ValueKind::IntSet { min: 1, max: 31 }, role: Role::Required, types: &[MONTHLY], replace: false, note: "", doc: "Monthly: the days of the month it runs on. No JetBackup source documents a \"last day of the month\" value, so there is none here; on a month without a listed day (31 in April) JetBackup's behaviour is not documented." },
        Field { attr: "after_job_id", wire: "type_data", kind: ValueKind::Ref("backup job"), role: Role::Required, types: &[AFTER_JOB], replace: false, note: "", doc: "After job: the ID of the backup job whose completion starts this schedule's jobs." },
        Field { attr: "delay_amount", wire: "delay_amount", kind: ValueKind::Count, role: Role::Defaulted(Fixed::Int(0)), types: &[AFTER_JOB], replace: false, note: "", doc: "After job: how long to wait after the followed job finishes, in `delay_unit`s; 0 starts right away. Defaults to 0." },
        Field { attr: "delay_unit", wire: "delay_type", kind: ValueKind::Label(DELAY_UNITS), role: Role::Defaulted(Fixed::Label("minutes")), types: &[AFTER_JOB], replace: false, note: "", doc: "After job: the unit of `delay_amount`. Defaults to `minutes`." },
        Field { attr: "owner", wire: "owner", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account ID of the schedule's owner." },
        Field { attr: "owner_name", wire: "owner_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account name of the schedule's owner." },
        Field { attr: "job_count", wire: "count", kind: ValueKind::Count, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "How many backup jobs use the schedule." },
    ],
};
