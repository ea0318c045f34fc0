//! Backup jobs as the typed API client writes and reads them: the values a
//! write sends ([`JobSpec`], a [`JobValue`] per [`Param`], `spec.rs`) and
//! the job object the server returns ([`BackupJob`], `model.rs`).
//!
//! The job's parameters are declared once, in its table
//! ([`BACKUP_JOB`](super::object::backup_job::BACKUP_JOB), an `ObjectKind`
//! like every other object's), from which the provider's schema, state,
//! validation and docs, the codec and the simulator derive. This module
//! adds only what a typed client needs: [`Param`], whose variant `i` names
//! the table's row `i` (checked when the crate compiles), so a write can
//! name a parameter, and [`BackupJob`], the whole reply with its wire types.
//!
//! # Adding a parameter
//! Its row in the table, a [`Param`] variant at the same position (a row
//! missing or out of place fails the build), and its [`BackupJob`] field;
//! [`BackupJob::value`] matches every `Param`, so the compiler asks for it.

use super::object::backup_job::{BACKUP_JOB, JOB_TYPES};
use super::object::Field;
use super::table::{choice_code, choice_label};

mod model;
mod spec;

pub use model::{BackupJob, DestinationSummary, JobSchedule};
pub use spec::{JobSpec, JobTime, JobValue, Monitor, ScheduleRef};

/// Declares [`Param`] and the list of its variants, so that the build can
/// check that the job's table has a row for each, in order (below).
macro_rules! params {
    ($($variant:ident),* $(,)?) => {
        /// The parameters of `manageBackupJob`, as named on the wire.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Param {
            $($variant),*
        }

        impl Param {
            /// Every parameter, in declaration order (the table's order).
            pub const ALL: &'static [Param] = &[$(Param::$variant),*];
        }
    };
}

params! {
    Name,
    Owner,
    OwnerName,
    Destination,
    Type,
    Contains,
    Structure,
    Options,
    RetryFailed,
    Filters,
    IncludeList,
    ExcludeList,
    Schedules,
    Time,
    Monitor,
    Disabled,
}

/// A parameter's row in the job's table.
pub fn param_def(param: Param) -> &'static Field {
    // Row `i` is variant `i`: checked when the crate compiles (below), so
    // this index cannot miss.
    &BACKUP_JOB.fields[param as usize]
}

// The table's first rows are the variants in declaration order, one each,
// then only fields the server reports: a row missing, extra or out of
// place fails the build here.
const _: () = {
    let fields = BACKUP_JOB.fields;
    assert!(
        fields.len() >= Param::ALL.len(),
        "every Param variant needs its row in BACKUP_JOB"
    );
    let mut i = 0;
    while i < Param::ALL.len() {
        assert!(
            Param::ALL[i] as usize == i,
            "Param::ALL lists the variants in order"
        );
        i += 1;
    }
    while i < fields.len() {
        assert!(
            matches!(fields[i].role, super::table::Role::ReadOnly { .. }),
            "a row after the parameters is a field the server reports"
        );
        i += 1;
    }
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobType {
    Accounts,
    Directories,
    Bmr,
}

impl JobType {
    pub fn code(self) -> i64 {
        match self {
            JobType::Accounts => 1,
            JobType::Directories => 2,
            JobType::Bmr => 4,
        }
    }
    pub fn from_code(code: i64) -> Option<JobType> {
        match code {
            1 => Some(JobType::Accounts),
            2 => Some(JobType::Directories),
            4 => Some(JobType::Bmr),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        choice_label(JOB_TYPES, self.code()).unwrap_or("accounts")
    }
    pub fn from_label(label: &str) -> Option<JobType> {
        choice_code(JOB_TYPES, label).and_then(JobType::from_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each variant names its own row: the wire names match the variant
    /// names (`RetryFailed` is `retry_failed`).
    #[test]
    fn every_param_names_its_row() {
        for p in Param::ALL {
            let snake: String = format!("{p:?}")
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let lower = c.to_ascii_lowercase();
                    (c.is_ascii_uppercase() && i > 0)
                        .then_some('_')
                        .into_iter()
                        .chain([lower])
                })
                .collect();
            assert_eq!(param_def(*p).wire, snake, "{p:?}");
        }
    }
}
