//! Backup jobs: the parameter table of `manageBackupJob`, the desired-job
//! model a client writes ([`JobSpec`]) and the job object the server returns
//! ([`BackupJob`]).
//!
//! [`JOB_PARAMS`] is the one declaration of the job parameters. The encoder
//! below walks it in order, the simulator decodes, checks and applies a
//! request by it, and the Terraform schema and generated docs are derived
//! from it (`src/provider/backup_job_schema.rs`, `src/docs.rs`).
//!
//! # Adding a parameter
//! Add a [`Param`] variant and its row (in the same position). The build
//! then lists the code that must handle it: the encoder
//! ([`JobSpec::encode_into`], which needs a [`JobSpec`] field), the
//! simulator's decoder and its apply step (`src/sim/job_request.rs`, which
//! need a [`BackupJob`] field), and through the struct literals the
//! provider's model (`to_spec`, `diff_spec`, `from_job`, a `JobState` field).
//! The [`BackupJob`] field is declared with its wire type
//! ([`super::wire_json`]), and that declaration is also how a reply's value
//! for it is checked: no second edit keeps a table of field types in step.
//! Unit tests list the rest:
//! `state_holds_exactly_the_schemas_attributes`,
//! `schema_matches_the_released_golden_text` (review the new schema; a
//! change to an existing attribute needs a schema version bump with a state
//! upgrader) and `tests/docs_up_to_date.rs` (`make docs`).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::object::{Fixed, Role};
use super::wire::Params;
use super::wire_json::{
    WireBool, WireGrid, WireInt, WireList, WireObject, WireObjects, WireOpt, WireText,
};

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

/// One named value of an enumeration or bitmask, in JetBackup's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The label users write (and the provider shows), e.g. `incremental`.
    pub label: &'static str,
    /// The integer on the wire.
    pub code: i64,
    /// What JetBackup calls it.
    pub doc: &'static str,
}

/// The parameters of `manageBackupJob`, as named on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Param {
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

/// What an accounts job backs up, bit by bit (511 = everything).
pub const ACCOUNT_CONTAINS: &[Choice] = &[
    Choice {
        label: "config",
        code: 1,
        doc: "account (panel) configuration",
    },
    Choice {
        label: "homedir",
        code: 2,
        doc: "home directory",
    },
    Choice {
        label: "databases",
        code: 4,
        doc: "databases",
    },
    Choice {
        label: "email",
        code: 8,
        doc: "email accounts",
    },
    Choice {
        label: "cron",
        code: 16,
        doc: "cron jobs",
    },
    Choice {
        label: "dns",
        code: 32,
        doc: "domains / DNS zones",
    },
    Choice {
        label: "ssl",
        code: 64,
        doc: "SSL certificates",
    },
    Choice {
        label: "database_users",
        code: 128,
        doc: "database users",
    },
    Choice {
        label: "ftp",
        code: 256,
        doc: "FTP accounts",
    },
];

pub const ACCOUNTS_FULL: i64 = 511;
/// `contains` for a full directories job: what JetApps' own tools send (seen).
pub const DIRECTORIES_FULL: i64 = 3;
/// `contains` for a BMR job. Inferred: the 5.x dictionary lists "Server
/// Backup = 7" in its contains table; no readable source confirms it.
pub const BMR_FULL: i64 = 7;

/// The `contains` value a job of this type gets when it backs up everything.
pub fn full_contains(job_type: JobType) -> i64 {
    match job_type {
        JobType::Accounts => ACCOUNTS_FULL,
        JobType::Directories => DIRECTORIES_FULL,
        JobType::Bmr => BMR_FULL,
    }
}

/// Prefix of a `contains` label for a bit JetBackup has no name for.
pub const UNNAMED_BIT_PREFIX: &str = "bit_";

/// `contains` labels → bitmask for a job type. `None` when an item is not
/// valid for that type (the provider's plan-time validation reports it).
pub fn contains_to_mask(job_type: JobType, items: &BTreeSet<String>) -> Option<i64> {
    if items.is_empty() {
        return Some(full_contains(job_type));
    }
    let mut mask = 0i64;
    for item in items {
        mask |= contains_item_bit(job_type, item)?;
    }
    Some(mask)
}

/// The bit of one `contains` item, if valid for the type.
pub fn contains_item_bit(job_type: JobType, item: &str) -> Option<i64> {
    if let Some(bit) = item.strip_prefix(UNNAMED_BIT_PREFIX) {
        return bit
            .parse::<i64>()
            .ok()
            .filter(|b| *b > 0 && (b & (b - 1)) == 0);
    }
    match job_type {
        JobType::Accounts => choice_code(ACCOUNT_CONTAINS, item),
        // Directories and BMR bits have no documented names.
        JobType::Directories | JobType::Bmr => None,
    }
}

/// Bitmask → `contains` labels. A directories/BMR job with its type's full
/// value reads as an empty set; bits without a name become `bit_<value>` so
/// that nothing a newer server returns is lost.
pub fn mask_to_contains(job_type: JobType, mask: i64) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if job_type != JobType::Accounts && mask == full_contains(job_type) {
        return out;
    }
    for shift in 0..62 {
        let bit = 1i64 << shift;
        if mask & bit == 0 {
            continue;
        }
        let named = match job_type {
            JobType::Accounts => choice_label(ACCOUNT_CONTAINS, bit),
            JobType::Directories | JobType::Bmr => None,
        };
        out.insert(named.map_or_else(|| format!("{UNNAMED_BIT_PREFIX}{bit}"), str::to_string));
    }
    out
}

/// The parameter table, in the order the encoder sends them (the order of the
/// vendor's example call, with the parameters it omits slotted in).
pub const JOB_PARAMS: &[ParamDef] = &[
    ParamDef { param: Param::Name, wire: "name", shape: Shape::Text, required_on_create: true, role: Role::Required, choices: &[], doc: "The name given to the backup job for internal use.", note: "", documented: true },
    ParamDef { param: Param::Owner, wire: "owner", shape: Shape::Text, required_on_create: false, role: Role::ServerDefault(None), choices: &[], doc: "Owner (account ID) of the backup job; the owner and its parent may modify or delete it. Defaults to the logged-in user.", note: "Unset, a new job belongs to the API user. Removing it later keeps the job's current owner.", documented: true },
    ParamDef { param: Param::OwnerName, wire: "owner_name", shape: Shape::Text, required_on_create: false, role: Role::ReadOnly { stable: false }, choices: &[], doc: "Owner's account name. Sent by the vendor's example call, absent from its parameter table; read-only in this provider.", note: "", documented: false },
    ParamDef { param: Param::Destination, wire: "destination", shape: Shape::List, required_on_create: true, role: Role::Required, choices: &[], doc: "Destination IDs the job backs up to.", note: "At least one destination ID.", documented: true },
    ParamDef { param: Param::Type, wire: "type", shape: Shape::Label, required_on_create: true, role: Role::Required, choices: JOB_TYPES, doc: "The backup type.", note: "Changing it replaces the job.", documented: true },
    ParamDef { param: Param::Contains, wire: "contains", shape: Shape::Bitmask, required_on_create: true, role: Role::ServerDefault(None), choices: ACCOUNT_CONTAINS, doc: "What the backup contains, as a bitmask (511 = a full account backup).", note: "For `accounts` jobs, any of these items; omitted means all nine (`contains=511`). `contains = []` is refused for `accounts` jobs, because JetBackup returns it as all nine items. For `directories` and `bmr` jobs leave it unset (or `[]`): the type's full value is sent (3 and 7). A bit the server returns that has no name here shows as `bit_<value>` and is kept as is. Removing it sends the type's full value again.", documented: true },
    ParamDef { param: Param::Structure, wire: "structure", shape: Shape::Label, required_on_create: true, role: Role::Required, choices: STRUCTURES, doc: "The backup structure.", note: "", documented: true },
    ParamDef { param: Param::Options, wire: "options", shape: Shape::Int, required_on_create: false, role: Role::ServerDefault(None), choices: OPTIONS, doc: "Database and email content options.", note: "Unset, a new job gets the server's default. Removing it later keeps the job's current value (it is not reset): write the value you want instead.", documented: true },
    ParamDef { param: Param::RetryFailed, wire: "retry_failed", shape: Shape::Bool, required_on_create: false, role: Role::ServerDefault(None), choices: &[], doc: "Retry backing up failed items one more time.", note: "Unset, a new job gets the server's default. Removing it later keeps the job's current value (it is not reset): write `false` to turn it off.", documented: true },
    ParamDef { param: Param::Filters, wire: "filters", shape: Shape::Grid, required_on_create: false, role: Role::Optional, choices: &[], doc: "Account filter group IDs: IDs in one row are OR-ed, rows are AND-ed.", note: "Write a set of sets of account filter **group** IDs: an account is backed up when, for every inner set, it matches at least one group of that set. Removing it clears the filters (every account is backed up).", documented: true },
    ParamDef { param: Param::IncludeList, wire: "include_list", shape: Shape::List, required_on_create: false, role: Role::Optional, choices: &[], doc: "File and directory paths to include (directories jobs).", note: "Required for `directories` jobs, not allowed for other types. Removing it from a `directories` job is refused at plan.", documented: true },
    ParamDef { param: Param::ExcludeList, wire: "exclude_list", shape: Shape::List, required_on_create: false, role: Role::Optional, choices: &[], doc: "File and directory paths or globs to exclude (all job types).", note: "Removing it clears the list.", documented: true },
    ParamDef { param: Param::Schedules, wire: "schedules", shape: Shape::ScheduleList, required_on_create: false, role: Role::Optional, choices: &[], doc: "Schedules (created beforehand) that run the job, each with its own retention.", note: "Repeat the block once per schedule; order does not matter. No block means the job runs only manually. Removing every block detaches all schedules.", documented: true },
    ParamDef { param: Param::Time, wire: "time", shape: Shape::Time, required_on_create: false, role: Role::ServerDefault(None), choices: &[], doc: "Time of day the job runs, 24-hour HHMM.", note: "Four digits, `\"0350\"` for 03:50. Unset, a new job gets the server's default. Removing it later keeps the job's current time (it is not reset): write the time you want instead.", documented: true },
    ParamDef { param: Param::Monitor, wire: "monitor", shape: Shape::Monitor, required_on_create: false, role: Role::Optional, choices: &[], doc: "Job monitor thresholds in days (0 = off).", note: "Removing the block turns monitoring off (both thresholds 0).", documented: true },
    ParamDef { param: Param::Disabled, wire: "disabled", shape: Shape::Bool, required_on_create: false, role: Role::Defaulted(Fixed::Bool(false)), choices: &[], doc: "Whether the backup job is disabled.", note: "Defaults to `false`: removing it enables the job.", documented: true },
];

/// The table entry of a parameter.
pub fn param_def(param: Param) -> &'static ParamDef {
    // Row `i` is variant `i`: checked when the crate compiles (below), so this
    // index cannot miss and no fallback row can be returned by mistake.
    &JOB_PARAMS[param as usize]
}

// The table lists the variants in declaration order, one row each: a row out
// of place or missing before the last one fails the build here. (A variant
// appended after the last row fails `table_covers_every_param_once` and every
// exhaustive `match` on `Param` in the encoder, the simulator and the model.)
const _: () = {
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

/// Label of a code in a choice list.
pub fn choice_label(choices: &[Choice], code: i64) -> Option<&'static str> {
    choices.iter().find(|c| c.code == code).map(|c| c.label)
}

/// Code of a label in a choice list.
pub fn choice_code(choices: &[Choice], label: &str) -> Option<i64> {
    choices.iter().find(|c| c.label == label).map(|c| c.code)
}

/// Allowed labels, for error messages: `"accounts", "directories", "bmr"`.
pub fn choice_labels(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| format!("\"{}\"", c.label))
        .collect::<Vec<_>>()
        .join(", ")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_labels_round_trip_and_keep_unnamed_bits() {
        let mask = 511 | 1024;
        let labels = mask_to_contains(JobType::Accounts, mask);
        assert!(labels.contains("homedir") && labels.contains("bit_1024"));
        assert_eq!(labels.len(), 10);
        assert_eq!(contains_to_mask(JobType::Accounts, &labels), Some(mask));
    }

    #[test]
    fn full_directories_job_reads_as_empty_contains() {
        assert!(mask_to_contains(JobType::Directories, 3).is_empty());
        assert_eq!(
            contains_to_mask(JobType::Directories, &BTreeSet::new()),
            Some(3)
        );
        assert_eq!(contains_to_mask(JobType::Bmr, &BTreeSet::new()), Some(7));
        let odd = mask_to_contains(JobType::Directories, 1);
        assert_eq!(odd.iter().collect::<Vec<_>>(), vec!["bit_1"]);
        assert_eq!(contains_to_mask(JobType::Directories, &odd), Some(1));
    }

    #[test]
    fn named_item_is_invalid_for_directories() {
        assert_eq!(contains_item_bit(JobType::Directories, "homedir"), None);
        assert_eq!(
            contains_item_bit(JobType::Accounts, "bit_3"),
            None,
            "not a single bit"
        );
    }

    #[test]
    fn job_accepts_php_spellings_and_refuses_wrong_types_naming_the_path() {
        use super::super::wire_json::decode_object_at as decode_at;
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

    #[test]
    fn table_covers_every_param_once() {
        let mut seen = std::collections::BTreeSet::new();
        for p in JOB_PARAMS {
            assert!(seen.insert(p.param), "{:?} twice", p.param);
            assert_eq!(param_def(p.param).wire, p.wire);
        }
        assert_eq!(seen.len(), 16);
    }
}
