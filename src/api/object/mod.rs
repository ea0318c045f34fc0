//! JetBackup objects described by one [`ObjectKind`] table each: backup
//! jobs, schedules, account filters, destinations, hooks and notification
//! integrations, written in [`super::table`]'s vocabulary.
//!
//! An [`ObjectKind`] is the single declaration of one JetBackup object: its
//! API functions and, per parameter, a [`Field`] with the Terraform attribute
//! name, the wire name, the value [`ValueKind`] (which fixes the Terraform type,
//! the plan-time check, the wire encoding and the readback decoding), its
//! [`Role`] (required, optional, defaulted, read-only), the object types it
//! belongs to and its documentation. Everything else is derived from it:
//!
//! - here: the check of one value ([`check_value`]); in `codec.rs` the
//!   `manage*` request of a create or a modify ([`encode`]) and the strict
//!   readback of an object ([`decode`]); all in JetBackup's own terms and
//!   without Terraform;
//! - `src/provider/object/`: the resource's schema, plan-time validation
//!   (with attribute paths) and the whole create/read/update/delete/import
//!   lifecycle, for any table;
//! - `src/sim/object_request.rs`: the simulator's validation of a `manage*`
//!   request (whole request valid, or nothing applied);
//! - `src/docs.rs`: the registry docs, from the derived schema.
//!
//! # Adding an object
//! 1. Write its table in a new file beside [`schedule`] (one `ObjectKind`
//!    constant) and list it in [`OBJECTS`].
//! 2. Register it in the provider (`provider::object::resources`), give the
//!    simulator a collection for it, and add an example under `examples/`.
//!
//! # Types chosen by a block
//! An object whose type Terraform users choose by writing one nested block
//! (`local { … }`, `s3 { … }`) lists its [`TypeBlock`]s in `blocks`: each
//! type-specific field then lives in the block(s) covering its types, the
//! discriminator is derived from the block (and its `selector`, when one
//! block covers several types) and reported read-only. With no blocks, the
//! discriminator is an attribute users set, as for schedules.
//!
//! # Adding a parameter
//! Add one [`Field`] row to the object's table. Schema, validation, encoding,
//! decoding, the simulator and the docs pick it up; a new [`ValueKind`] variant is
//! the only change that needs code, and every `match` on `ValueKind` is
//! exhaustive, so the compiler lists the places.

pub mod account_filter;
pub mod backup_job;
mod codec;
pub mod destination;
pub mod hook;
pub mod notification_integration;
mod record;
pub mod schedule;

use std::collections::{BTreeMap, BTreeSet};

use super::table::{choice_code, choice_label, Choice, Fixed, Role};

pub use codec::{decode, decode_at, encode, keep_secrets, lookup, wire_path, Target};
pub use record::Record;

/// Every object described by a table.
pub const OBJECTS: &[&ObjectKind] = &[
    &backup_job::BACKUP_JOB,
    &schedule::SCHEDULE,
    &account_filter::ACCOUNT_FILTER,
    &destination::DESTINATION,
    &hook::HOOK,
    &notification_integration::NOTIFICATION_INTEGRATION,
];

/// How JetBackup returns a secret it keeps (`secret_key`): never the value.
pub const MASK: &str = "JB|HIDDEN|********************";

/// One JetBackup object type and its API functions.
#[derive(Debug)]
pub struct ObjectKind {
    /// Terraform name without the provider prefix (`schedule`).
    pub name: &'static str,
    /// What JetBackup calls one of them, for messages (`schedule`).
    pub title: &'static str,
    pub manage: &'static str,
    pub get: &'static str,
    pub list: &'static str,
    pub delete: &'static str,
    /// Key of the list under `data` in the list reply (`schedules`).
    pub collection: &'static str,
    /// Attribute of the field whose value selects which other fields apply.
    pub discriminator: &'static str,
    pub fields: &'static [Field],
    /// The nested blocks that choose the type; empty: the discriminator is
    /// an attribute.
    pub blocks: &'static [TypeBlock],
    /// What the resource is, for the docs.
    pub doc: &'static str,
    /// Further sections of its docs page (Markdown, `##` headings).
    pub notes: &'static str,
    /// How its attributes are described.
    pub docs: Docs,
}

/// How a table's attribute descriptions are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Docs {
    /// Written out from the row: the allowed values, the types a field
    /// belongs to, replacement, and JetBackup's name of the parameter or
    /// field.
    Generated,
    /// The row's `doc`, the allowed values of a choice, then its `note`,
    /// which says the rest, and JetBackup's name of the parameter (a field
    /// the server reports: its `doc` alone). The backup job's, as its schema
    /// was released.
    Notes,
}

/// A nested block that chooses an object's type by being written.
#[derive(Debug, PartialEq)]
pub struct TypeBlock {
    /// Terraform block name (`local`).
    pub name: &'static str,
    /// Discriminator codes it covers; the first unless `selector` says.
    pub types: &'static [i64],
    /// A `Label` field of the block whose codes are the type codes (the
    /// local `engine`); never sent itself: the discriminator carries it.
    pub selector: Option<&'static str>,
    /// Fields of which at least one must be set (SSH: a password or a key).
    pub one_of: &'static [&'static str],
    /// The JetBackup plugin that provides the types: (package name,
    /// `listDestinationTypes` name). None: built in.
    pub plugin: Option<(&'static str, &'static str)>,
    pub doc: &'static str,
}

/// One parameter of an object.
#[derive(Debug)]
pub struct Field {
    /// Terraform attribute name.
    pub attr: &'static str,
    /// Name on the wire. Several fields may share one (`type_data`) when
    /// they belong to different types.
    pub wire: &'static str,
    pub kind: ValueKind,
    pub role: Role,
    /// Codes of the discriminator this field belongs to; empty: every type.
    pub types: &'static [i64],
    /// Changing it replaces the object (the API cannot change it in place).
    pub replace: bool,
    /// What users need beyond `doc` (format, what removing it does), shown
    /// after the allowed values; empty for most fields.
    pub note: &'static str,
    pub doc: &'static str,
}

/// The largest [`ValueKind::Count`] (and the largest integer the provider sends
/// where a parameter has no narrower range): 2^53 − 1. Inferred: no
/// JetBackup source gives a bound; JetBackup's replies are JSON read by its
/// JavaScript panel, where larger integers are not exact, so a larger value
/// could not be read back as written.
pub const COUNT_MAX: i64 = (1 << 53) - 1;

/// The value of a field and how it travels.
#[derive(Debug, Clone, Copy)]
pub enum ValueKind {
    /// Free text, not empty: `key=text`.
    Text,
    /// A 24-hex ObjectId of another object (named for messages); the
    /// simulator checks it exists.
    Ref(&'static str),
    /// One character out of `alphabet`.
    Char { alphabet: &'static str },
    /// An integer, 0 or more.
    Count,
    /// An integer out of a fixed list.
    IntIn(&'static [i64]),
    /// A label users write, sent as its integer code.
    Label(&'static [Choice]),
    /// A set of non-empty strings: `key[0]=a&key[1]=b`.
    TextSet,
    /// A set of ObjectIds of other objects (named for messages), maybe
    /// empty: `key[0]=a&key[1]=b`, or `key=` for none.
    RefSet(&'static str),
    /// A non-empty set of strings sent as one comma-separated value
    /// (`key=a,b`) and read back as a list (e-mail recipients).
    JoinedSet,
    /// A set of integers in `min..=max`: `key[0]=1&key[1]=15`.
    IntSet { min: i64, max: i64 },
    /// A set of labels, sent as their codes: `key[0]=2&key[1]=5`.
    LabelSet(&'static [Choice]),
    /// A boolean, sent as 1/0.
    Bool,
    /// An integer in `min..=max`.
    Range { min: i64, max: i64 },
    /// An absolute path (`/backup`).
    Path,
    /// A label users write, sent and read back as a string: the choice's
    /// `doc` is the text on the wire (`Localv2`, `4`, or empty).
    Key(&'static [Choice]),
    /// A secret: sensitive in Terraform, never logged. The server returns
    /// it as [`MASK`] (`masked`) or empty, never the value, so the readback
    /// keeps what was configured.
    Secret { masked: bool },
    /// An integer out of a list of meanings; users write the number
    /// (`options = 4`).
    Numbered(&'static [Choice]),
    /// Named bits OR-ed into one integer (`contains=511`); users write the
    /// labels of the bits set, and a bit without a name as `bit_<value>`.
    /// The names, and the full value an empty set stands for, depend on the
    /// object's type: one [`TypeBits`] per group of types.
    Bitmask(&'static [TypeBits]),
    /// A time of day, written `"HHMM"` and sent as those four digits; the
    /// server returns it as an integer without leading zeros (`945`).
    Time,
    /// A set of paths or globs, maybe empty: `key[0]=a&key[1]=b`, or `key=`
    /// for none (which clears it).
    Paths,
    /// A set of non-empty sets of IDs of other objects (named for
    /// messages): `key[row][col]=id`, `key=` for none. Rows are AND-ed, the
    /// IDs in a row OR-ed.
    RefGrid(&'static str),
    /// The schedules that run an object, each with how many backups it
    /// keeps: a set of `{id, retain}` blocks, `key[i][_id]=id&key[i][retain]=n`,
    /// `key=` for none.
    Schedules,
    /// Monitor thresholds in days, 0 = off: one optional block
    /// `{ranfor, notran}`, `key[ranfor]=n&key[notran]=n`; no block is sent
    /// as both 0.
    Monitor,
}

/// The bits of a [`ValueKind::Bitmask`] for some types of the object.
#[derive(Debug, PartialEq)]
pub struct TypeBits {
    /// Discriminator codes these bits belong to.
    pub types: &'static [i64],
    /// The bits with a name (none: every bit is `bit_<value>`).
    pub named: &'static [Choice],
    /// The value of everything, which an empty set is sent as. A type
    /// without names reads it back as the empty set.
    pub full: i64,
}

impl TypeBits {
    /// The bit of a label for these types.
    pub fn bit(&self, label: &str) -> Option<i64> {
        bit_of_label(self.named, label)
    }

    /// Labels → mask; an empty set is the full value. `None`: a label
    /// these types do not have.
    pub fn mask(&self, labels: &BTreeSet<String>) -> Option<i64> {
        if labels.is_empty() {
            return Some(self.full);
        }
        labels
            .iter()
            .try_fold(0, |mask, l| Some(mask | self.bit(l)?))
    }

    /// Mask → labels, as the server's value reads back.
    pub fn labels(&self, mask: i64) -> BTreeSet<String> {
        if self.named.is_empty() && mask == self.full {
            return BTreeSet::new();
        }
        labels_of_mask(self.named, mask)
    }
}

/// What one object of a kind is called after its type's label, from its
/// title's last word (`backup job` → `job`: "a directories job").
fn noun(kind: &ObjectKind) -> &'static str {
    kind.title.rsplit(' ').next().unwrap_or(kind.title)
}

/// The same in the plural (`jobs`), for messages about a kind's types.
pub fn plural_noun(kind: &ObjectKind) -> String {
    format!("{}s", noun(kind))
}

/// A bitmask's labels for an object of a type (`type_label`): each one a
/// bit of that type, and the whole written the way the server returns it
/// (so that it reads back as written). The refusals as (summary, detail).
pub fn check_bits(
    kind: &ObjectKind,
    field: &Field,
    bits: &TypeBits,
    type_label: &str,
    labels: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let (w, kinds) = (field.attr, plural_noun(kind));
    let mut out = Vec::new();
    for label in labels.iter().filter(|l| bits.bit(l).is_none()) {
        let allowed = if bits.named.is_empty() {
            format!("none: leave {w} unset for {type_label} {kinds} (the full value is sent), or {UNNAMED_BIT_PREFIX}<power of two> for a raw bit")
        } else {
            format!(
                "{}, or {UNNAMED_BIT_PREFIX}<power of two> for a bit without a name",
                list_words(bits.named.iter().map(|c| format!("\"{}\"", c.label)))
            )
        };
        out.push((
            format!("Invalid {w} item"),
            format!(
                "{w} item {label:?} is not valid for {type_label} {kinds}; allowed: {allowed}."
            ),
        ));
    }
    let Some(mask) = bits.mask(labels).filter(|_| out.is_empty()) else {
        return out;
    };
    let reads_back = bits.labels(mask);
    if reads_back == *labels {
        return out;
    }
    let quoted = |s: &BTreeSet<String>| list_words(s.iter().map(|l| format!("{l:?}")));
    let one = noun(kind);
    let detail = match (bits.named.is_empty(), labels.is_empty()) {
        (false, true) => format!(
            "{w} = [] on {} {type_label} {one} means every item: JetBackup stores it as {} and returns all {} items. Remove {w} to back up everything, or list the items to back up.",
            article(type_label), bits.full, bits.named.len()
        ),
        (false, false) => format!(
            "JetBackup returns these bits by their names: write {w} = [{}].",
            quoted(&reads_back)
        ),
        (true, _) if reads_back.is_empty() => format!(
            "These bits are the full value of {} {type_label} {one} ({mask}), which JetBackup returns as an empty {w}: remove {w} or write {w} = [].",
            article(type_label)
        ),
        (true, _) => format!(
            "JetBackup returns this value as {w} = [{}]: write that instead.",
            quoted(&reads_back)
        ),
    };
    out.push((format!("{w} would not read back as written"), detail));
    out
}

/// The bits of a bitmask for a type code.
pub fn bits_for(bits: &'static [TypeBits], code: Option<i64>) -> Option<&'static TypeBits> {
    let code = code?;
    bits.iter().find(|b| b.types.contains(&code))
}

/// How a kind's values are written in Terraform and kept in a state: all
/// that the schema, the state and the data sources need of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One string (a text, an ID, a label, a path, a time of day…).
    Text,
    /// One integer.
    Number,
    Bool,
    /// A set of strings (labels of a bitmask included).
    Texts,
    /// A set of integers.
    Numbers,
    /// A set of non-empty sets of strings.
    Grid,
    /// A set of [`SCHEDULE_BLOCK`] blocks.
    Schedules,
    /// At most one [`MONITOR_BLOCK`] block.
    Monitor,
}

/// One attribute of a value written as blocks.
#[derive(Debug)]
pub struct BlockAttr {
    /// Terraform attribute name.
    pub name: &'static str,
    /// Its key on the wire, inside the field's (`schedules[0][_id]`).
    pub wire: &'static str,
    /// A number (else a string).
    pub number: bool,
    /// The largest number it takes (0 for a string).
    pub max: i64,
    /// What it takes, in words for messages.
    pub allowed: fn() -> String,
    /// Its description, given the field's wire name.
    pub doc: fn(&str) -> String,
}

/// A schedule that runs the object, with how many backups it keeps.
pub const SCHEDULE_BLOCK: [BlockAttr; 2] = [
    BlockAttr {
        name: "id",
        wire: "_id",
        number: false,
        max: 0,
        allowed: || "a schedule ID (24 hexadecimal digits)".to_string(),
        doc: |w| format!("Schedule ID (JetBackup `{w}[i][_id]`); the schedule must exist."),
    },
    BlockAttr {
        name: "retain",
        wire: "retain",
        number: true,
        max: RETAIN_MAX,
        allowed: || format!("an integer from 0 to {RETAIN_MAX}"),
        doc: |w| {
            format!("How many backups this schedule keeps, from 0 to {RETAIN_MAX} (JetBackup `{w}[i][retain]`; the upper bound is this provider's, no JetBackup source gives one).")
        },
    },
];

/// What a monitor threshold takes.
fn days_allowed() -> String {
    format!("0 (off) or a number of days up to {COUNT_MAX}")
}

/// Monitor thresholds in days.
pub const MONITOR_BLOCK: [BlockAttr; 2] = [
    BlockAttr {
        name: "ranfor",
        wire: "ranfor",
        number: true,
        max: COUNT_MAX,
        allowed: days_allowed,
        doc: |w| {
            format!("Alert when a run lasts more than this many days; 0 = off (JetBackup `{w}[ranfor]`).")
        },
    },
    BlockAttr {
        name: "notran",
        wire: "notran",
        number: true,
        max: COUNT_MAX,
        allowed: days_allowed,
        doc: |w| {
            format!("Alert when the job has not run for this many days; 0 = off (JetBackup `{w}[notran]`).")
        },
    },
];

impl Form {
    /// The attributes of its blocks; `None` for a form written as one
    /// attribute.
    pub fn block(self) -> Option<&'static [BlockAttr; 2]> {
        match self {
            Form::Schedules => Some(&SCHEDULE_BLOCK),
            Form::Monitor => Some(&MONITOR_BLOCK),
            Form::Text | Form::Number | Form::Bool | Form::Texts | Form::Numbers | Form::Grid => {
                None
            }
        }
    }

    /// Its empty value: no items, no rows, no blocks, both monitor
    /// thresholds 0; `None` for one value.
    pub fn empty(self) -> Option<Val> {
        match self {
            Form::Text | Form::Number | Form::Bool => None,
            Form::Texts => Some(Val::Texts(BTreeSet::new())),
            Form::Numbers => Some(Val::Ints(BTreeSet::new())),
            Form::Grid => Some(Val::Grid(BTreeSet::new())),
            Form::Schedules => Some(Val::Retains(BTreeSet::new())),
            Form::Monitor => Some(Val::Monitor {
                ranfor: 0,
                notran: 0,
            }),
        }
    }
}

/// The largest `retain` of a [`ValueKind::Schedules`] entry. Inferred: no
/// JetBackup source gives a bound; this provider's, so that a typo of many
/// digits is caught at plan.
pub const RETAIN_MAX: i64 = 100_000;

/// The prefix of a [`ValueKind::Bitmask`] bit that has no name (`bit_1024`).
pub const UNNAMED_BIT_PREFIX: &str = "bit_";

/// A field's value in users' terms (labels, not codes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Val {
    Text(String),
    Int(i64),
    Texts(BTreeSet<String>),
    Ints(BTreeSet<i64>),
    Bool(bool),
    /// Rows of IDs ([`ValueKind::RefGrid`]).
    Grid(BTreeSet<BTreeSet<String>>),
    /// `(schedule ID, retain)` pairs ([`ValueKind::Schedules`]).
    Retains(BTreeSet<(String, i64)>),
    /// `ranfor`, `notran` ([`ValueKind::Monitor`]).
    Monitor {
        ranfor: i64,
        notran: i64,
    },
}

/// Values by attribute name; absent means unset (null).
pub type Values = BTreeMap<&'static str, Val>;

impl Val {
    /// The text of a one-string value.
    pub fn text(&self) -> Option<&str> {
        if let Val::Text(s) = self {
            Some(s)
        } else {
            None
        }
    }

    /// The integer of a one-number value.
    pub fn int(&self) -> Option<i64> {
        if let Val::Int(n) = self {
            Some(*n)
        } else {
            None
        }
    }

    /// The strings of a set of strings.
    pub fn texts(&self) -> Option<&BTreeSet<String>> {
        if let Val::Texts(s) = self {
            Some(s)
        } else {
            None
        }
    }

    /// Whether it is the empty value of its kind (no items, no rows, no
    /// schedules, both monitor thresholds 0).
    pub fn is_empty(&self) -> bool {
        match self {
            Val::Texts(s) => s.is_empty(),
            Val::Ints(s) => s.is_empty(),
            Val::Grid(rows) => rows.is_empty(),
            Val::Retains(s) => s.is_empty(),
            Val::Monitor { ranfor, notran } => *ranfor == 0 && *notran == 0,
            Val::Text(_) | Val::Int(_) | Val::Bool(_) => false,
        }
    }
}

impl Fixed {
    pub fn val(self) -> Val {
        match self {
            Fixed::Int(n) => Val::Int(n),
            Fixed::Label(l) => Val::Text(l.to_string()),
            Fixed::Bool(b) => Val::Bool(b),
        }
    }
}

impl ValueKind {
    /// How its values are written in Terraform and kept in a state.
    pub fn form(self) -> Form {
        match self {
            ValueKind::Text
            | ValueKind::Ref(_)
            | ValueKind::Char { .. }
            | ValueKind::Label(_)
            | ValueKind::Path
            | ValueKind::Key(_)
            | ValueKind::Secret { .. }
            | ValueKind::Time => Form::Text,
            ValueKind::Count
            | ValueKind::IntIn(_)
            | ValueKind::Range { .. }
            | ValueKind::Numbered(_) => Form::Number,
            ValueKind::Bool => Form::Bool,
            ValueKind::TextSet
            | ValueKind::RefSet(_)
            | ValueKind::JoinedSet
            | ValueKind::LabelSet(_)
            | ValueKind::Bitmask(_)
            | ValueKind::Paths => Form::Texts,
            ValueKind::IntSet { .. } => Form::Numbers,
            ValueKind::RefGrid(_) => Form::Grid,
            ValueKind::Schedules => Form::Schedules,
            ValueKind::Monitor => Form::Monitor,
        }
    }

    /// Whether the value is a set.
    pub fn is_set(self) -> bool {
        match self.form() {
            Form::Texts | Form::Numbers | Form::Grid | Form::Schedules => true,
            Form::Text | Form::Number | Form::Bool | Form::Monitor => false,
        }
    }

    /// The labels of a label kind.
    pub fn choices(self) -> Option<&'static [Choice]> {
        match self {
            ValueKind::Label(c)
            | ValueKind::LabelSet(c)
            | ValueKind::Key(c)
            | ValueKind::Numbered(c) => Some(c),
            // The names of the first types that have any (for the docs).
            ValueKind::Bitmask(bits) => bits.iter().map(|b| b.named).find(|n| !n.is_empty()),
            ValueKind::Time
            | ValueKind::Paths
            | ValueKind::RefGrid(_)
            | ValueKind::Schedules
            | ValueKind::Monitor => None,
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
            | ValueKind::Secret { .. } => None,
        }
    }

    /// The kind of object its IDs name (`"destination"`), for a reference.
    pub fn refers(self) -> Option<&'static str> {
        if let ValueKind::Ref(what) | ValueKind::RefSet(what) | ValueKind::RefGrid(what) = self {
            return Some(what);
        }
        (self.form() == Form::Schedules).then_some("schedule")
    }

    /// Whether users write numbers (else strings).
    pub fn is_numeric(self) -> bool {
        matches!(self.form(), Form::Number | Form::Numbers)
    }

    /// Whether the value is a set of named bits.
    pub fn is_bitmask(self) -> bool {
        matches!(self, ValueKind::Bitmask(_))
    }

    /// The value a field of this kind is sent as when users remove it from
    /// an existing object (`key=` clears a list; no monitor block is both
    /// thresholds 0); `None`: removing it sends nothing and the server keeps
    /// its value.
    pub fn cleared(self) -> Option<Val> {
        let clears = matches!(
            self,
            ValueKind::Paths | ValueKind::RefGrid(_) | ValueKind::Schedules | ValueKind::Monitor
        );
        self.form().empty().filter(|_| clears)
    }

    /// Whether a field of this kind left out of a create is sent in its
    /// cleared form: no monitor block means monitoring off.
    pub fn sent_when_unset(self) -> bool {
        matches!(self, ValueKind::Monitor)
    }

    /// Whether users write `true`/`false`.
    pub fn is_bool(self) -> bool {
        self.form() == Form::Bool
    }

    /// Whether the value is a secret (sensitive, masked by the server).
    pub fn is_secret(self) -> bool {
        matches!(self, ValueKind::Secret { .. })
    }

    /// The allowed values, in words for messages and docs.
    pub fn allowed(self) -> String {
        match self {
            ValueKind::Text => "any non-empty text".to_string(),
            ValueKind::Ref(what) => format!("{} {what} ID (24 hexadecimal digits)", article(what)),
            ValueKind::Char { alphabet } => format!("one character out of \"{alphabet}\""),
            ValueKind::Count => format!("an integer from 0 to {COUNT_MAX}"),
            ValueKind::IntIn(list) => list_words(list.iter().map(i64::to_string)),
            ValueKind::Label(c) | ValueKind::LabelSet(c) => {
                list_words(c.iter().map(|c| format!("\"{}\"", c.label)))
            }
            ValueKind::TextSet => "a non-empty set of non-empty strings".to_string(),
            ValueKind::RefSet(what) => {
                format!("a set of {what} IDs (24 hexadecimal digits each), maybe empty")
            }
            ValueKind::JoinedSet => {
                "a non-empty set of non-empty strings without commas".to_string()
            }
            ValueKind::IntSet { min, max } => {
                format!("a non-empty set of integers from {min} to {max}")
            }
            ValueKind::Bool => "true or false".to_string(),
            ValueKind::Range { min, max } => format!("an integer from {min} to {max}"),
            ValueKind::Path => "an absolute path (starting with /)".to_string(),
            ValueKind::Key(c) => list_words(c.iter().map(|c| format!("\"{}\"", c.label))),
            ValueKind::Secret { .. } => "any non-empty text (sensitive)".to_string(),
            ValueKind::Numbered(c) => list_words(c.iter().map(|c| format!("{} ({})", c.code, c.doc))),
            ValueKind::Bitmask(bits) => format!(
                "{}, or {UNNAMED_BIT_PREFIX}<power of two> for a bit without a name",
                list_words(
                    bits.iter()
                        .flat_map(|b| b.named)
                        .map(|c| format!("\"{}\"", c.label))
                )
            ),
            ValueKind::Time => "a time of day as four digits HHMM, from \"0000\" to \"2359\" (e.g. \"0350\")".to_string(),
            ValueKind::Paths => "a set of non-empty paths or globs, maybe empty".to_string(),
            ValueKind::RefGrid(what) => format!("a set of non-empty sets of {what} IDs (24 hexadecimal digits each)"),
            ValueKind::Schedules => format!("schedule IDs (24 hexadecimal digits), each once, with a retain from 0 to {RETAIN_MAX}"),
            ValueKind::Monitor => format!("{}, for ranfor and notran", days_allowed()),
        }
    }
}

/// `a` or `an` before `word`.
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn list_words(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// The bit a [`ValueKind::Bitmask`] label stands for: a named bit, or
/// `bit_<power of two>`.
pub fn bit_of_label(choices: &[Choice], label: &str) -> Option<i64> {
    if let Some(code) = choice_code(choices, label) {
        return Some(code);
    }
    let bit: i64 = label.strip_prefix(UNNAMED_BIT_PREFIX)?.parse().ok()?;
    (bit > 0 && bit.count_ones() == 1).then_some(bit)
}

/// The labels of the bits set in a mask: the named ones by name, the others
/// as `bit_<value>`.
pub fn labels_of_mask(choices: &[Choice], mask: i64) -> BTreeSet<String> {
    (0..63)
        .map(|i| 1i64 << i)
        .filter(|bit| mask & bit != 0)
        .map(|bit| {
            choice_label(choices, bit)
                .map_or_else(|| format!("{UNNAMED_BIT_PREFIX}{bit}"), str::to_string)
        })
        .collect()
}

/// `"0350"` as `(3, 50)`: four digits, a valid time of day.
pub fn hhmm(s: &str) -> Option<(u8, u8)> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hour, minute) = (s[..2].parse().ok()?, s[2..].parse().ok()?);
    (hour < 24 && minute < 60).then_some((hour, minute))
}

impl Field {
    /// Whether the field belongs to an object of type `code`.
    pub fn applies_to(&self, code: Option<i64>) -> bool {
        self.types.is_empty() || code.is_some_and(|c| self.types.contains(&c))
    }
}

impl ObjectKind {
    pub fn field(&self, attr: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.attr == attr)
    }

    /// Whether an object as read holds what every object of the kind has
    /// (each field required of every type): a reply or list entry that
    /// lacks one is partial, and the object is read by its ID instead.
    pub fn is_complete(&self, values: &Values) -> bool {
        self.fields
            .iter()
            .filter(|f| f.role == Role::Required && f.types.is_empty() && !f.kind.is_secret())
            .all(|f| values.contains_key(f.attr))
    }

    /// The discriminator's table row.
    pub fn discriminator_field(&self) -> Option<&'static Field> {
        self.field(self.discriminator)
    }

    /// The type code of a set of values (its discriminator's label).
    pub fn type_code(&self, values: &Values) -> Option<i64> {
        let f = self.discriminator_field()?;
        let choices = f.kind.choices()?;
        choice_code(choices, values.get(f.attr)?.text()?)
    }

    /// The block covering a type code.
    pub fn block_of(&self, code: i64) -> Option<&'static TypeBlock> {
        self.blocks.iter().find(|b| b.types.contains(&code))
    }

    /// The block(s) a field is written in: those covering one of its types.
    /// A field of every type (or of an object without blocks) is top-level.
    pub fn blocks_of(&self, field: &Field) -> Vec<&'static TypeBlock> {
        if field.types.is_empty() {
            return Vec::new();
        }
        self.blocks
            .iter()
            .filter(|b| b.types.iter().any(|t| field.types.contains(t)))
            .collect()
    }

    /// Whether a field selects the type inside its block (never sent).
    pub fn is_selector(&self, field: &Field) -> bool {
        self.blocks.iter().any(|b| b.selector == Some(field.attr))
    }

    /// The label of a type code, for messages (`"daily"`).
    pub fn type_label(&self, code: i64) -> String {
        self.discriminator_field()
            .and_then(|f| f.kind.choices())
            .and_then(|c| choice_label(c, code))
            .map_or_else(|| code.to_string(), str::to_string)
    }

    /// The labels of the types a field belongs to, for messages.
    pub fn type_labels(&self, field: &Field) -> String {
        field
            .types
            .iter()
            .map(|c| format!("\"{}\"", self.type_label(*c)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A refusal of a value written as blocks: the attribute inside the block
/// it is about (none: the blocks as a whole), and what is allowed.
pub type BlockRefusal = (Option<&'static str>, String);

/// [`check_value`], saying which attribute inside a block a refusal is
/// about (`schedules.retain`).
pub fn check_value_at(field: &Field, v: &Val) -> Result<(), BlockRefusal> {
    match (field.kind.form(), v) {
        (Form::Schedules, Val::Retains(s)) => check_schedules(field, s),
        (Form::Monitor, Val::Monitor { ranfor, notran }) => check_monitor(field, *ranfor, *notran),
        (Form::Schedules | Form::Monitor, _) => Err((
            None,
            format!(
                "{} has the wrong type; allowed: {}.",
                field.attr,
                field.kind.allowed()
            ),
        )),
        (Form::Text | Form::Number | Form::Bool | Form::Texts | Form::Numbers | Form::Grid, _) => {
            check_value(field, v).map_err(|m| (None, m))
        }
    }
}

/// Each schedule an ID, attached once, with a retain in range.
fn check_schedules(field: &Field, s: &BTreeSet<(String, i64)>) -> Result<(), BlockRefusal> {
    let [id_attr, retain_attr] = &SCHEDULE_BLOCK;
    let mut seen = BTreeSet::new();
    for (id, retain) in s {
        if !super::objectid::is_object_id(id) {
            return Err((
                Some(id_attr.name),
                format!(
                    "{} holds {id:?}; allowed: {}.",
                    field.attr,
                    field.kind.allowed()
                ),
            ));
        }
        if !seen.insert(id) {
            return Err((
                None,
                format!("Schedule {id} is attached twice; attach each schedule once with one retain value."),
            ));
        }
        if !(0..=retain_attr.max).contains(retain) {
            return Err((
                Some(retain_attr.name),
                format!(
                    "{} is {retain}; allowed: {}.",
                    retain_attr.name,
                    (retain_attr.allowed)()
                ),
            ));
        }
    }
    Ok(())
}

/// Both thresholds a number of days, 0 for off.
fn check_monitor(field: &Field, ranfor: i64, notran: i64) -> Result<(), BlockRefusal> {
    for (attr, days) in MONITOR_BLOCK.iter().zip([ranfor, notran]) {
        if !(0..=attr.max).contains(&days) {
            return Err((
                Some(attr.name),
                format!(
                    "{} {} is {days}; allowed: {}.",
                    field.attr,
                    attr.name,
                    (attr.allowed)()
                ),
            ));
        }
    }
    Ok(())
}

/// Checks one value against its field's kind; the error says what is allowed.
pub fn check_value(field: &Field, v: &Val) -> Result<(), String> {
    let bad = |what: String| {
        Err(format!(
            "{} {what}; allowed: {}.",
            field.attr,
            field.kind.allowed()
        ))
    };
    let wrong = || {
        format!(
            "{} has the wrong type; allowed: {}.",
            field.attr,
            field.kind.allowed()
        )
    };
    let text = || v.text().ok_or_else(wrong);
    let int = || v.int().ok_or_else(wrong);
    let texts = || v.texts().ok_or_else(wrong);
    let is_id = super::objectid::is_object_id;
    match field.kind {
        ValueKind::Text => {
            let s = text()?;
            if s.trim().is_empty() {
                return Err(format!(
                    "{a} is empty: {a} must not be empty; allowed: {}.",
                    field.kind.allowed(),
                    a = field.attr
                ));
            }
            Ok(())
        }
        ValueKind::Ref(_) => match text()? {
            s if !is_id(s) => bad(format!("is {s:?}")),
            _ => Ok(()),
        },
        ValueKind::Char { alphabet } => {
            let s = text()?;
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if alphabet.contains(c) => Ok(()),
                _ => bad(format!("is {s:?}")),
            }
        }
        ValueKind::Count => match int()? {
            n if !(0..=COUNT_MAX).contains(&n) => bad(format!("is {n}")),
            _ => Ok(()),
        },
        ValueKind::IntIn(list) => match int()? {
            n if !list.contains(&n) => bad(format!("is {n}")),
            _ => Ok(()),
        },
        ValueKind::Range { min, max } => match int()? {
            n if !(min..=max).contains(&n) => bad(format!("is {n}")),
            _ => Ok(()),
        },
        ValueKind::Numbered(c) => match int()? {
            n if !c.iter().any(|c| c.code == n) => bad(format!("is {n}")),
            _ => Ok(()),
        },
        ValueKind::Label(c) | ValueKind::Key(c) => match text()? {
            s if choice_code(c, s).is_none() => bad(format!("is {s:?}")),
            _ => Ok(()),
        },
        ValueKind::Path => match text()? {
            s if !s.starts_with('/') => bad(format!("is {s:?}")),
            _ => Ok(()),
        },
        ValueKind::Time => match text()? {
            s if hhmm(s).is_none() => bad(format!("is {s:?}")),
            _ => Ok(()),
        },
        // Never the value in a message.
        ValueKind::Secret { .. } => match text()? {
            s if s.trim().is_empty() => bad("is empty".into()),
            s if s == MASK => Err(format!(
                "{} is JetBackup's mask for a hidden secret, not a secret: write the secret itself.",
                field.attr
            )),
            _ => Ok(()),
        },
        ValueKind::Bool => match v {
            Val::Bool(_) => Ok(()),
            _ => Err(wrong()),
        },
        ValueKind::TextSet => match texts()? {
            s if s.is_empty() => bad("is empty".into()),
            s if s.iter().any(|x| x.trim().is_empty()) => bad("holds an empty string".into()),
            _ => Ok(()),
        },
        ValueKind::RefSet(what) => match texts()? {
            s if s.is_empty() && field.role == Role::Required => {
                Err(format!("{} needs at least one {what} ID.", field.attr))
            }
            s => match s.iter().find(|x| !is_id(x)) {
                Some(x) => bad(format!("holds {x:?}")),
                None => Ok(()),
            },
        },
        // Each item travels inside one comma-separated value.
        ValueKind::JoinedSet => match texts()? {
            s if s.is_empty() => bad("is empty".into()),
            s => match s.iter().find(|x| x.trim().is_empty() || x.contains(',')) {
                Some(x) => bad(format!("holds {x:?}")),
                None => Ok(()),
            },
        },
        ValueKind::IntSet { min, max } => match v {
            Val::Ints(s) if s.is_empty() => bad("is empty".into()),
            Val::Ints(s) => match s.iter().find(|n| !(min..=max).contains(n)) {
                Some(n) => bad(format!("holds {n}")),
                None => Ok(()),
            },
            _ => Err(wrong()),
        },
        ValueKind::LabelSet(c) => match texts()? {
            s if s.is_empty() => bad("is empty".into()),
            s => match s.iter().find(|l| choice_code(c, l).is_none()) {
                Some(l) => bad(format!("holds {l:?}")),
                None => Ok(()),
            },
        },
        // Whether a label belongs to the object's type: `check_bits`.
        ValueKind::Bitmask(bits) => {
            let named = |l: &str| bits.iter().any(|b| bit_of_label(b.named, l).is_some());
            match texts()?.iter().find(|l| !named(l)) {
                Some(l) => bad(format!("holds {l:?}")),
                None => Ok(()),
            }
        }
        ValueKind::Paths => match texts()? {
            s if s.is_empty() && field.role == Role::Required => {
                Err(format!("{} needs at least one path.", field.attr))
            }
            s if s.iter().any(|x| x.trim().is_empty()) => bad("holds an empty path".into()),
            _ => Ok(()),
        },
        ValueKind::RefGrid(what) => {
            let Val::Grid(rows) = v else {
                return Err(wrong());
            };
            if rows.iter().any(BTreeSet::is_empty) {
                return Err(format!(
                    "Each inner set of {} needs at least one {what} ID.",
                    field.attr
                ));
            }
            match rows.iter().flatten().find(|x| !is_id(x)) {
                Some(x) => bad(format!("holds {x:?}")),
                None => Ok(()),
            }
        }
        ValueKind::Schedules | ValueKind::Monitor => check_value_at(field, v).map_err(|(_, m)| m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_consistent() {
        for kind in OBJECTS {
            let mut attrs = BTreeSet::new();
            for f in kind.fields {
                assert!(attrs.insert(f.attr), "{}.{} twice", kind.name, f.attr);
                assert!(!f.doc.is_empty(), "{}.{} has no doc", kind.name, f.attr);
                if let Role::Defaulted(d) = f.role {
                    assert_eq!(check_value(f, &d.val()), Ok(()), "{}.{}", kind.name, f.attr);
                }
            }
            let disc = kind.discriminator_field().expect("discriminator");
            assert!(disc.types.is_empty() && disc.role == Role::Required);
            for block in kind.blocks {
                if let Some(sel) = block.selector {
                    let f = kind.field(sel).expect("selector");
                    let ValueKind::Label(c) = f.kind else {
                        panic!("{sel} is not a label")
                    };
                    let mut codes: Vec<i64> = c.iter().map(|c| c.code).collect();
                    codes.sort_unstable();
                    let mut types = block.types.to_vec();
                    types.sort_unstable();
                    assert_eq!(codes, types, "{sel} selects {}'s types", block.name);
                }
                for attr in block.one_of {
                    assert!(kind.field(attr).is_some(), "{}: {attr}", block.name);
                }
            }
            if !kind.blocks.is_empty() {
                // Every type has exactly one block; every typed field a block.
                for c in kind
                    .discriminator_field()
                    .map_or(&[][..], |d| match d.kind {
                        ValueKind::Key(c) | ValueKind::Label(c) => c,
                        _ => &[],
                    })
                {
                    let n = kind
                        .blocks
                        .iter()
                        .filter(|b| b.types.contains(&c.code))
                        .count();
                    assert_eq!(n, 1, "type {} in {n} blocks", c.label);
                }
                for f in kind.fields.iter().filter(|f| !f.types.is_empty()) {
                    assert!(!kind.blocks_of(f).is_empty(), "{} has no block", f.attr);
                }
            }
            // Two fields sharing a wire name never apply to the same type
            // (a selector travels as the discriminator).
            for a in kind.fields.iter().filter(|f| !kind.is_selector(f)) {
                for b in kind.fields.iter().filter(|f| !kind.is_selector(f)) {
                    if a.attr < b.attr && a.wire == b.wire {
                        assert!(
                            !a.types.is_empty() && a.types.iter().all(|t| !b.types.contains(t)),
                            "{} and {} share `{}`",
                            a.attr,
                            b.attr,
                            a.wire
                        );
                    }
                }
            }
        }
    }

    fn text(s: &str) -> Val {
        Val::Text(s.to_string())
    }

    #[test]
    fn checks_name_the_attribute_and_the_allowed_values() {
        let s = &schedule::SCHEDULE;
        let field = |a| s.field(a).expect("field");
        assert_eq!(check_value(field("every_hours"), &Val::Int(6)), Ok(()));
        assert_eq!(
            check_value(field("every_hours"), &Val::Int(5)),
            Err("every_hours is 5; allowed: 1, 2, 3, 4, 6, 8, 12.".to_string())
        );
        let e = check_value(field("days_of_week"), &Val::Texts(["mon".into()].into())).unwrap_err();
        assert!(e.contains("\"mon\"") && e.contains("\"sunday\""), "{e}");
        let e = check_value(field("after_job_id"), &text("job")).unwrap_err();
        assert!(e.contains("24 hexadecimal"), "{e}");
        let c = account_filter::ACCOUNT_FILTER
            .field("range_start")
            .expect("field");
        assert_eq!(check_value(c, &text("_")), Ok(()));
        assert!(check_value(c, &text("A")).is_err());
        assert!(check_value(c, &text("ab")).is_err());
    }
}
