//! Backup jobs: the parameter table of `manageBackupJob` (here), the values
//! a client writes ([`JobSpec`], a [`JobValue`] per parameter, `spec.rs`),
//! the job object the server returns ([`BackupJob`], `model.rs`) and the
//! `contains` bit table (`contains.rs`).
//!
//! [`JOB_PARAMS`] is the one declaration of the job parameters: wire name,
//! [`Shape`], role, allowed values, docs, the object kind an ID refers to,
//! whether a change replaces the job, and the row's [`JobField`] (its field in
//! [`BackupJob`]). The encoder writes a [`JobValue`] by its form; the
//! simulator checks and applies a request by the rows of the job's object
//! table (`src/sim/backup_job.rs`); the provider maps the Terraform
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

use super::object::backup_job::{BACKUP_JOB, JOB_TYPES};
use super::object::ValueKind;
use super::table::{choice_code, choice_label, Choice, Role};

pub use super::object::backup_job::{OPTIONS, STRUCTURES};

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
    /// The kind a table's reference names (`"account filter group"`).
    const fn named(what: &str) -> Option<RefersTo> {
        const ALL: [RefersTo; 4] = [
            RefersTo::Account,
            RefersTo::Destination,
            RefersTo::AccountFilterGroup,
            RefersTo::Schedule,
        ];
        let mut i = 0;
        while i < ALL.len() {
            if same(ALL[i].word(), what) {
                return Some(ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// What JetBackup calls one, in a sentence (`account filter group`).
    pub const fn word(self) -> &'static str {
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

/// Each parameter's row: what a write sends and how, read from the job's
/// one table ([`BACKUP_JOB`]); here only what the typed client adds (the
/// [`BackupJob`] field, and two facts of the vendor's page).
const fn row(
    param: Param,
    required_on_create: bool,
    documented: bool,
    field: JobField,
) -> ParamDef {
    let f = &BACKUP_JOB.fields[param as usize];
    ParamDef {
        param,
        wire: f.wire,
        shape: shape_of(f.kind),
        required_on_create,
        // Required for some types only: optional to the rest of the job's
        // code, which checks the type's own rule.
        role: match (f.role, f.types.is_empty()) {
            (Role::Required, false) => Role::Optional,
            (role, _) => role,
        },
        choices: choices_of(f.kind),
        doc: f.doc,
        note: f.note,
        documented,
        field,
        refers: refers_of(f.kind),
        replace: f.replace,
    }
}

/// The parameter table, in the order the encoder sends them: the rows of
/// [`BACKUP_JOB`]'s parameters.
#[rustfmt::skip]
pub const JOB_PARAMS: &[ParamDef] = &[
    row(Param::Name, true, true, lens!(Text, name)),
    row(Param::Owner, false, true, lens!(Text, owner)),
    // Sent by the vendor's example call, absent from its parameter table.
    row(Param::OwnerName, false, false, lens!(Text, owner_name)),
    row(Param::Destination, true, true, lens!(List, destination)),
    row(Param::Type, true, true, lens!(Int, job_type)),
    // Required on the wire; this client sends the type's full value when
    // it is unset.
    row(Param::Contains, true, true, lens!(Int, contains)),
    row(Param::Structure, true, true, lens!(Int, structure)),
    row(Param::Options, false, true, lens!(Int, options)),
    row(Param::RetryFailed, false, true, lens!(Bool, retry_failed)),
    row(Param::Filters, false, true, lens!(Grid, filters)),
    row(Param::IncludeList, false, true, lens!(List, include_list)),
    row(Param::ExcludeList, false, true, lens!(List, exclude_list)),
    row(Param::Schedules, false, true, lens!(Schedules, schedules)),
    row(Param::Time, false, true, lens!(Time, time)),
    row(Param::Monitor, false, true, lens!(Monitor, monitor)),
    row(Param::Disabled, false, true, lens!(Bool, disabled)),
];

/// How a value of a kind travels, in this module's terms.
const fn shape_of(kind: ValueKind) -> Shape {
    match kind {
        ValueKind::Text
        | ValueKind::Ref(_)
        | ValueKind::Char { .. }
        | ValueKind::Path
        | ValueKind::Key(_)
        | ValueKind::Secret { .. } => Shape::Text,
        ValueKind::Label(_) => Shape::Label,
        ValueKind::Count
        | ValueKind::IntIn(_)
        | ValueKind::Range { .. }
        | ValueKind::Numbered(_) => Shape::Int,
        ValueKind::Bool => Shape::Bool,
        ValueKind::Bitmask(_) => Shape::Bitmask,
        ValueKind::TextSet
        | ValueKind::RefSet(_)
        | ValueKind::JoinedSet
        | ValueKind::IntSet { .. }
        | ValueKind::LabelSet(_)
        | ValueKind::Paths => Shape::List,
        ValueKind::RefGrid(_) => Shape::Grid,
        ValueKind::Schedules => Shape::ScheduleList,
        ValueKind::Monitor => Shape::Monitor,
        ValueKind::Time => Shape::Time,
    }
}

/// The choices of a kind (the accounts job's `contains` names for the
/// bitmask).
const fn choices_of(kind: ValueKind) -> &'static [Choice] {
    match kind {
        ValueKind::Label(c)
        | ValueKind::LabelSet(c)
        | ValueKind::Key(c)
        | ValueKind::Numbered(c) => c,
        ValueKind::Bitmask(bits) => match bits.first() {
            Some(b) => b.named,
            None => &[],
        },
        ValueKind::Text
        | ValueKind::Ref(_)
        | ValueKind::Char { .. }
        | ValueKind::Count
        | ValueKind::IntIn(_)
        | ValueKind::TextSet
        | ValueKind::RefSet(_)
        | ValueKind::JoinedSet
        | ValueKind::IntSet { .. }
        | ValueKind::Bool
        | ValueKind::Range { .. }
        | ValueKind::Path
        | ValueKind::Secret { .. }
        | ValueKind::Time
        | ValueKind::Paths
        | ValueKind::RefGrid(_)
        | ValueKind::Schedules
        | ValueKind::Monitor => &[],
    }
}

/// What the IDs of a kind refer to.
const fn refers_of(kind: ValueKind) -> Option<RefersTo> {
    match kind {
        ValueKind::Ref(what) | ValueKind::RefSet(what) | ValueKind::RefGrid(what) => {
            RefersTo::named(what)
        }
        ValueKind::Schedules => Some(RefersTo::Schedule),
        ValueKind::Text
        | ValueKind::Char { .. }
        | ValueKind::Count
        | ValueKind::IntIn(_)
        | ValueKind::Label(_)
        | ValueKind::TextSet
        | ValueKind::JoinedSet
        | ValueKind::IntSet { .. }
        | ValueKind::LabelSet(_)
        | ValueKind::Bool
        | ValueKind::Range { .. }
        | ValueKind::Path
        | ValueKind::Key(_)
        | ValueKind::Secret { .. }
        | ValueKind::Numbered(_)
        | ValueKind::Bitmask(_)
        | ValueKind::Time
        | ValueKind::Paths
        | ValueKind::Monitor => None,
    }
}

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

/// Whether two texts are equal (`==` is not `const`).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
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
