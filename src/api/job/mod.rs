//! Backup jobs: the parameter table of `manageBackupJob` (here), the values
//! a client writes ([`JobSpec`], a [`JobValue`] per parameter, `spec.rs`),
//! the job object the server returns ([`BackupJob`], `model.rs`) and the
//! `contains` bit table (`contains.rs`).
//!
//! [`JOB_PARAMS`] is the one declaration of the job parameters: wire name,
//! [`Shape`], role, allowed values, docs, the object kind an ID refers to,
//! whether a change replaces the job, and the row's [`JobField`] (its field in
//! [`BackupJob`]). The encoder writes a [`JobValue`] by its form; the
//! simulator decodes, checks and applies a request by shape, role and
//! reference (`src/sim/job_request.rs`); the provider maps the Terraform
//! state to and from values by shape and role, and its schema and the docs
//! are derived from the rows (`src/provider/backup_job_*.rs`, `src/docs.rs`).
//! No code outside this table names a parameter to move its value.
//!
//! # Adding a parameter
//! Three edits, all in this module: a [`Param`] variant, its row in
//! [`JOB_PARAMS`] at the same position (a row missing or out of place fails
//! the build), and its [`BackupJob`] field in `model.rs` with its wire type
//! ([`super::wire_json`]: the type is also how a reply's value is checked),
//! which the row's `lens!` names (a missing field, or one of the wrong
//! type, does not build). Nothing else names a parameter to move its value:
//! the provider's schema, state, plan, validation and docs, the encoder and
//! the simulator's decoding, checks and storage all walk the rows by
//! [`Shape`], role and reference. A parameter of a new [`Shape`] also needs
//! that shape's code: every `match` on `Shape`, [`JobValue`], [`JobField`]
//! and the provider's `Cell` is exhaustive, so the compiler lists the
//! places. Then two tests ask for a review: `schema_matches_the_released_golden_text`
//! (the new attribute in the schema; a change to an existing attribute
//! needs a schema version bump with a state upgrader) and
//! `tests/docs_up_to_date.rs` (`make docs`).

use super::table::{choice_code, choice_label, Choice, Fixed, Role};

mod contains;
mod model;
mod spec;

pub use contains::{
    contains_item_bit, contains_to_mask, full_contains, mask_to_contains, ACCOUNTS_FULL,
    ACCOUNT_CONTAINS, BMR_FULL, DIRECTORIES_FULL, UNNAMED_BIT_PREFIX,
};
pub use model::{BackupJob, DestinationSummary, JobField, JobSchedule};
pub use spec::{JobSpec, JobTime, JobValue, Monitor, ScheduleRef};

/// How a parameter travels in bracket notation. ("Shape" means this and
/// nothing else in the code base: Terraform's form of an attribute is a
/// `TfAttribute`, a reply's JSON types are the field types of [`BackupJob`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `key=text`
    Text,
    /// `key=123`, one of the [`ParamDef::choices`] when there are any;
    /// users write the number
    Int,
    /// `key=123`, the code of one of the [`ParamDef::choices`]; users write
    /// its label
    Label,
    /// `key=1|0`
    Bool,
    /// A set of flags OR-ed into one integer (`contains=511`)
    Bitmask,
    /// `key[0]=a&key[1]=b`, `key=` clears
    List,
    /// `key[row][col]=id`, `key=` clears
    Grid,
    /// `key[i][_id]=id&key[i][retain]=n`, `key=` clears
    ScheduleList,
    /// `key[ranfor]=n&key[notran]=n`
    Monitor,
    /// `key=HHMM`, four digits
    Time,
}

/// Declares [`Param`] and the list of its variants, so that the build can
/// check that [`JOB_PARAMS`] has a row for each (below).
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

/// The definition of one `manageBackupJob` parameter: a row of [`JOB_PARAMS`].
/// ("Spec" is kept for [`JobSpec`], the values one write sends.)
#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    pub param: Param,
    /// Name on the wire, which is also the Terraform attribute name.
    pub wire: &'static str,
    pub shape: Shape,
    /// "REQUIRED on action create" in the vendor's table.
    pub required_on_create: bool,
    /// Who sets it, in the object tables' terms: the Terraform constraint
    /// follows from it (read-only rows are reported, not written). It can
    /// differ from `required_on_create`: `contains` is required on the wire
    /// but this client sends the type's full value when it is unset.
    pub role: Role,
    /// Allowed values for `Int`/`Bitmask` shapes (empty: any integer).
    pub choices: &'static [Choice],
    /// One-line meaning, from the vendor's parameter table.
    pub doc: &'static str,
    /// What users of the client need beyond `doc`: format, default, what
    /// leaving it out or removing it later does.
    pub note: &'static str,
    /// Whether the vendor's page documents the parameter (`false` for one the
    /// vendor's example call sends but the table does not list).
    pub documented: bool,
    /// Its field in [`BackupJob`]: how any code reads or writes it.
    pub field: JobField,
    /// The kind of object whose ID(s) it holds, which must exist.
    pub refers: Option<RefersTo>,
    /// The API cannot change it on an existing job: a change replaces it.
    pub replace: bool,
}

/// A kind of object a parameter refers to by ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefersTo {
    Account,
    Destination,
    AccountFilterGroup,
    Schedule,
}

impl RefersTo {
    /// What JetBackup calls one, in a sentence (`account filter group`).
    pub fn word(self) -> &'static str {
        match self {
            RefersTo::Account => "account",
            RefersTo::Destination => "destination",
            RefersTo::AccountFilterGroup => "account filter group",
            RefersTo::Schedule => "schedule",
        }
    }

    /// The same at the start of a sentence (`Account filter group`).
    pub fn title(self) -> &'static str {
        match self {
            RefersTo::Account => "Account",
            RefersTo::Destination => "Destination",
            RefersTo::AccountFilterGroup => "Account filter group",
            RefersTo::Schedule => "Schedule",
        }
    }
}

/// A row's [`JobField`]: `lens!(Text, name)` reaches `BackupJob::name`
/// (a `WireText`).
macro_rules! lens {
    ($form:ident, $field:ident) => {
        JobField::$form(|j| &j.$field, |j| &mut j.$field)
    };
}

pub const JOB_TYPES: &[Choice] = &[
    Choice {
        label: "accounts",
        code: 1,
        doc: "Accounts",
    },
    Choice {
        label: "directories",
        code: 2,
        doc: "Directories",
    },
    Choice {
        label: "bmr",
        code: 4,
        doc: "Server Backup (BMR)",
    },
];

pub const STRUCTURES: &[Choice] = &[
    Choice {
        label: "incremental",
        code: 1,
        doc: "Incremental",
    },
    Choice {
        label: "archived",
        code: 2,
        doc: "Archived (tar)",
    },
    Choice {
        label: "compressed",
        code: 4,
        doc: "Compressed (tar.gz)",
    },
];

pub const OPTIONS: &[Choice] = &[
    Choice {
        label: "0",
        code: 0,
        doc: "Include Databases",
    },
    Choice {
        label: "1",
        code: 1,
        doc: "Exclude Email Contents",
    },
    Choice {
        label: "2",
        code: 2,
        doc: "Include Emails Contents",
    },
    Choice {
        label: "4",
        code: 4,
        doc: "Exclude Databases and Exclude Junk",
    },
    Choice {
        label: "6",
        code: 6,
        doc: "Include Junk",
    },
];

/// The parameter table, in the order the encoder sends them (the order of the
/// vendor's example call, with the parameters it omits slotted in).
pub const JOB_PARAMS: &[ParamDef] = &[
    ParamDef { param: Param::Name, wire: "name", shape: Shape::Text, required_on_create: true, role: Role::Required, choices: &[], doc: "The name given to the backup job for internal use.", note: "", documented: true, field: lens!(Text, name), refers: None, replace: false },
    ParamDef { param: Param::Owner, wire: "owner", shape: Shape::Text, required_on_create: false, role: Role::ServerDefault(None), choices: &[], doc: "Owner (account ID) of the backup job; the owner and its parent may modify or delete it. Defaults to the logged-in user.", note: "Unset, a new job belongs to the API user. Removing it later keeps the job's current owner.", documented: true, field: lens!(Text, owner), refers: Some(RefersTo::Account), replace: false },
    ParamDef { param: Param::OwnerName, wire: "owner_name", shape: Shape::Text, required_on_create: false, role: Role::ReadOnly { moves_with: &["owner"] }, choices: &[], doc: "Owner's account name. Sent by the vendor's example call, absent from its parameter table; read-only in this provider.", note: "", documented: false, field: lens!(Text, owner_name), refers: None, replace: false },
    ParamDef { param: Param::Destination, wire: "destination", shape: Shape::List, required_on_create: true, role: Role::Required, choices: &[], doc: "Destination IDs the job backs up to.", note: "At least one destination ID.", documented: true, field: lens!(List, destination), refers: Some(RefersTo::Destination), replace: false },
    ParamDef { param: Param::Type, wire: "type", shape: Shape::Label, required_on_create: true, role: Role::Required, choices: JOB_TYPES, doc: "The backup type.", note: "Changing it replaces the job.", documented: true, field: lens!(Int, job_type), refers: None, replace: true },
    ParamDef { param: Param::Contains, wire: "contains", shape: Shape::Bitmask, required_on_create: true, role: Role::ServerDefault(None), choices: ACCOUNT_CONTAINS, doc: "What the backup contains, as a bitmask (511 = a full account backup).", note: "For `accounts` jobs, any of these items; omitted means all nine (`contains=511`). `contains = []` is refused for `accounts` jobs, because JetBackup returns it as all nine items. For `directories` and `bmr` jobs leave it unset (or `[]`): the type's full value is sent (3 and 7). A bit the server returns that has no name here shows as `bit_<value>` and is kept as is. Removing it sends the type's full value again.", documented: true, field: lens!(Int, contains), refers: None, replace: false },
    ParamDef { param: Param::Structure, wire: "structure", shape: Shape::Label, required_on_create: true, role: Role::Required, choices: STRUCTURES, doc: "The backup structure.", note: "", documented: true, field: lens!(Int, structure), refers: None, replace: false },
    ParamDef { param: Param::Options, wire: "options", shape: Shape::Int, required_on_create: false, role: Role::ServerDefault(None), choices: OPTIONS, doc: "Database and email content options.", note: "Unset, a new job gets the server's default. Removing it later keeps the job's current value (it is not reset): write the value you want instead.", documented: true, field: lens!(Int, options), refers: None, replace: false },
    ParamDef { param: Param::RetryFailed, wire: "retry_failed", shape: Shape::Bool, required_on_create: false, role: Role::ServerDefault(None), choices: &[], doc: "Retry backing up failed items one more time.", note: "Unset, a new job gets the server's default. Removing it later keeps the job's current value (it is not reset): write `false` to turn it off.", documented: true, field: lens!(Bool, retry_failed), refers: None, replace: false },
    ParamDef { param: Param::Filters, wire: "filters", shape: Shape::Grid, required_on_create: false, role: Role::Optional, choices: &[], doc: "Account filter group IDs: IDs in one row are OR-ed, rows are AND-ed.", note: "Write a set of sets of account filter **group** IDs: an account is backed up when, for every inner set, it matches at least one group of that set. Removing it clears the filters (every account is backed up).", documented: true, field: lens!(Grid, filters), refers: Some(RefersTo::AccountFilterGroup), replace: false },
    ParamDef { param: Param::IncludeList, wire: "include_list", shape: Shape::List, required_on_create: false, role: Role::Optional, choices: &[], doc: "File and directory paths to include (directories jobs).", note: "Required for `directories` jobs, not allowed for other types. Removing it from a `directories` job is refused at plan.", documented: true, field: lens!(List, include_list), refers: None, replace: false },
    ParamDef { param: Param::ExcludeList, wire: "exclude_list", shape: Shape::List, required_on_create: false, role: Role::Optional, choices: &[], doc: "File and directory paths or globs to exclude (all job types).", note: "Removing it clears the list.", documented: true, field: lens!(List, exclude_list), refers: None, replace: false },
    ParamDef { param: Param::Schedules, wire: "schedules", shape: Shape::ScheduleList, required_on_create: false, role: Role::Optional, choices: &[], doc: "Schedules (created beforehand) that run the job, each with its own retention.", note: "Repeat the block once per schedule; order does not matter. No block means the job runs only manually. Removing every block detaches all schedules.", documented: true, field: lens!(Schedules, schedules), refers: Some(RefersTo::Schedule), replace: false },
    ParamDef { param: Param::Time, wire: "time", shape: Shape::Time, required_on_create: false, role: Role::ServerDefault(None), choices: &[], doc: "Time of day the job runs, 24-hour HHMM.", note: "Four digits, `\"0350\"` for 03:50. Unset, a new job gets the server's default. Removing it later keeps the job's current time (it is not reset): write the time you want instead.", documented: true, field: lens!(Time, time), refers: None, replace: false },
    ParamDef { param: Param::Monitor, wire: "monitor", shape: Shape::Monitor, required_on_create: false, role: Role::Optional, choices: &[], doc: "Job monitor thresholds in days (0 = off).", note: "Removing the block turns monitoring off (both thresholds 0).", documented: true, field: lens!(Monitor, monitor), refers: None, replace: false },
    ParamDef { param: Param::Disabled, wire: "disabled", shape: Shape::Bool, required_on_create: false, role: Role::Defaulted(Fixed::Bool(false)), choices: &[], doc: "Whether the backup job is disabled.", note: "Defaults to `false`: removing it enables the job.", documented: true, field: lens!(Bool, disabled), refers: None, replace: false },
];

/// The table entry of a parameter.
pub fn param_def(param: Param) -> &'static ParamDef {
    // Row `i` is variant `i`: checked when the crate compiles (below), so this
    // index cannot miss and no fallback row can be returned by mistake.
    &JOB_PARAMS[param as usize]
}

// The table lists the variants in declaration order, one row each: a row
// missing, extra or out of place fails the build here.
const _: () = {
    assert!(
        JOB_PARAMS.len() == Param::ALL.len(),
        "every Param variant needs its JOB_PARAMS row"
    );
    let mut i = 0;
    while i < JOB_PARAMS.len() {
        assert!(
            JOB_PARAMS[i].param as usize == i,
            "JOB_PARAMS rows must follow the order of the Param variants"
        );
        i += 1;
    }
};

/// The table entry for a wire name (`"exclude_list"`, or a bracketed key's base).
pub fn param_by_wire(wire: &str) -> Option<&'static ParamDef> {
    JOB_PARAMS.iter().find(|p| p.wire == wire)
}

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

    /// Issue 25: every read-only row declares the inputs it moves with, by
    /// the wire name (the attribute) of an input row of this table.
    #[test]
    fn read_only_rows_move_with_input_rows() {
        for def in JOB_PARAMS {
            let Role::ReadOnly { moves_with } = def.role else {
                continue;
            };
            for wire in moves_with {
                let input = JOB_PARAMS.iter().find(|d| d.wire == *wire);
                assert!(
                    input.is_some_and(|d| d.role.is_input()),
                    "{} moves with {wire}, not an input row",
                    def.wire
                );
            }
        }
    }

    #[test]
    fn table_covers_every_param_once() {
        let mut seen = std::collections::BTreeSet::new();
        for p in JOB_PARAMS {
            assert!(seen.insert(p.param), "{:?} twice", p.param);
            assert_eq!(param_def(p.param).wire, p.wire);
        }
        assert_eq!(seen.len(), Param::ALL.len());
        for p in JOB_PARAMS {
            if p.refers.is_some() {
                assert!(
                    p.role.is_input(),
                    "{} refers to objects but is not written",
                    p.wire
                );
            }
        }
    }
}
