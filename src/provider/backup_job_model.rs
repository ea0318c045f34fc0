//! The Terraform state of `jetbackup_backup_job` and its mapping to and from
//! the API models ([`JobSpec`] to write, [`BackupJob`] read back).
//!
//! The state is one [`Cell`] per row of [`JOB_PARAMS`], whose variant is the
//! row's [`Shape`] in Terraform's terms, plus the attributes that are not
//! parameters (`id`, `next_run`, `last_run`). Every conversion walks the
//! table and matches on the shape, so a new parameter of an existing shape
//! needs no code here. The one parameter named is the job's type, on which
//! the labels of the `contains` bitmask depend.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tf_provider::value::Value;
use tf_provider::AttributePath;

use crate::api::job::{
    choice_code, choice_label, contains_to_mask, full_contains, mask_to_contains, param_by_wire,
    param_def, BackupJob, JobSpec, JobTime, JobType, JobValue, Monitor, Param, ParamDef,
    ScheduleRef, Shape, JOB_PARAMS, UNNAMED_BIT_PREFIX,
};
use crate::api::object::{Fixed, Role};
use crate::api::wire_json::WireText;

pub type Str = Value<String>;
/// A set of strings as Terraform sends it: a sorted list, so that two
/// elements still unknown at plan (two IDs of resources not yet created)
/// stay two rather than collapsing into one.
pub type StrSet = Value<Vec<Str>>;

/// A `schedules { id, retain }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScheduleBlock {
    pub id: Str,
    pub retain: Value<i64>,
}

/// The `monitor { ranfor, notran }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MonitorBlock {
    pub ranfor: Value<i64>,
    pub notran: Value<i64>,
}

/// One parameter's value in Terraform's terms: one variant per [`Shape`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(Str),
    /// A choice's label (`"incremental"`).
    Label(Str),
    /// `"HHMM"`.
    Time(Str),
    Int(Value<i64>),
    Bool(Value<bool>),
    List(StrSet),
    /// The labels of the bits set.
    Bitmask(StrSet),
    /// A set of sets.
    Grid(Value<BTreeSet<StrSet>>),
    /// A set of `{id, retain}` blocks.
    Schedules(Value<BTreeSet<Value<ScheduleBlock>>>),
    /// A block of at most one element.
    Monitor(Value<MonitorBlock>),
}

/// Runs `$e` on the `Value` inside any cell, bound to `$v`.
macro_rules! each_cell {
    ($cell:expr, $v:ident => $e:expr) => {
        match $cell {
            Cell::Text($v) | Cell::Label($v) | Cell::Time($v) => $e,
            Cell::Int($v) => $e,
            Cell::Bool($v) => $e,
            Cell::List($v) | Cell::Bitmask($v) => $e,
            Cell::Grid($v) => $e,
            Cell::Schedules($v) => $e,
            Cell::Monitor($v) => $e,
        }
    };
}

impl Cell {
    /// The null value of a shape.
    pub fn null(shape: Shape) -> Cell {
        match shape {
            Shape::Text => Cell::Text(Value::Null),
            Shape::Label => Cell::Label(Value::Null),
            Shape::Time => Cell::Time(Value::Null),
            Shape::Int => Cell::Int(Value::Null),
            Shape::Bool => Cell::Bool(Value::Null),
            Shape::List => Cell::List(Value::Null),
            Shape::Bitmask => Cell::Bitmask(Value::Null),
            Shape::Grid => Cell::Grid(Value::Null),
            Shape::ScheduleList => Cell::Schedules(Value::Null),
            Shape::Monitor => Cell::Monitor(Value::Null),
        }
    }

    /// A table default as the cell of a shape (`None`: a default of another
    /// form than the shape, which the table does not write).
    pub fn fixed(shape: Shape, fixed: Fixed) -> Option<Cell> {
        Some(match (fixed, Cell::null(shape)) {
            (Fixed::Bool(b), Cell::Bool(_)) => Cell::Bool(Value::Value(b)),
            (Fixed::Int(n), Cell::Int(_)) => Cell::Int(Value::Value(n)),
            (Fixed::Label(l), Cell::Label(_)) => Cell::Label(Value::Value(l.to_string())),
            (Fixed::Bool(_) | Fixed::Int(_) | Fixed::Label(_), _) => return None,
        })
    }

    pub fn is_null(&self) -> bool {
        each_cell!(self, v => v.is_null())
    }

    pub fn is_unknown(&self) -> bool {
        each_cell!(self, v => v.is_unknown())
    }

    /// Makes the value unknown (what the server will decide).
    pub fn set_unknown(&mut self) {
        each_cell!(self, v => *v = Value::Unknown)
    }

    /// Makes an unknown value null (what is recorded when nothing was read).
    pub fn unknown_to_null(&mut self) {
        each_cell!(self, v => if v.is_unknown() { *v = Value::Null })
    }

    /// The text of a string-valued cell, when known.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(v) | Cell::Label(v) | Cell::Time(v) => v.as_ref_option().map(String::as_str),
            Cell::Int(_)
            | Cell::Bool(_)
            | Cell::List(_)
            | Cell::Bitmask(_)
            | Cell::Grid(_)
            | Cell::Schedules(_)
            | Cell::Monitor(_) => None,
        }
    }

    /// The known strings of a set-valued cell.
    pub fn strings(&self) -> Option<Vec<String>> {
        match self {
            Cell::List(s) | Cell::Bitmask(s) => known_strings(s),
            Cell::Text(_)
            | Cell::Label(_)
            | Cell::Time(_)
            | Cell::Int(_)
            | Cell::Bool(_)
            | Cell::Grid(_)
            | Cell::Schedules(_)
            | Cell::Monitor(_) => None,
        }
    }

    /// Whether the cell holds its empty value written out (`[]`, a block of
    /// zeros), as opposed to null.
    pub fn is_written_empty(&self) -> bool {
        match self {
            Cell::List(Value::Value(s)) | Cell::Bitmask(Value::Value(s)) => s.is_empty(),
            Cell::Grid(Value::Value(rows)) => rows.is_empty(),
            Cell::Schedules(Value::Value(s)) => s.is_empty(),
            Cell::Monitor(Value::Value(m)) => {
                m.ranfor == Value::Value(0) && m.notran == Value::Value(0)
            }
            Cell::Text(_)
            | Cell::Label(_)
            | Cell::Time(_)
            | Cell::Int(_)
            | Cell::Bool(_)
            | Cell::List(_)
            | Cell::Bitmask(_)
            | Cell::Grid(_)
            | Cell::Schedules(_)
            | Cell::Monitor(_) => false,
        }
    }

    /// The value a write sends for this cell of row `def`; `None`: not sent.
    /// A monitor block left out is sent as "off" (both thresholds 0).
    fn to_value(&self, def: &ParamDef, job_type: Option<JobType>) -> Option<JobValue> {
        Some(match self {
            Cell::Text(v) => JobValue::Text(v.as_ref_option()?.clone()),
            Cell::Label(v) => JobValue::Int(choice_code(def.choices, v.as_ref_option()?)?),
            Cell::Time(v) => JobValue::Time(JobTime::parse_hhmm(v.as_ref_option()?)?),
            Cell::Int(v) => JobValue::Int(*v.as_ref_option()?),
            Cell::Bool(v) => JobValue::Bool(*v.as_ref_option()?),
            Cell::List(v) => JobValue::List(known_strings(v)?),
            Cell::Bitmask(v) => {
                let items: BTreeSet<String> =
                    known_strings(v).unwrap_or_default().into_iter().collect();
                JobValue::Int(contains_to_mask(job_type?, &items)?)
            }
            Cell::Grid(v) => JobValue::Grid(
                v.as_ref_option()?
                    .iter()
                    .filter_map(|r| {
                        let mut row = known_strings(r)?;
                        row.sort();
                        Some(row)
                    })
                    .collect(),
            ),
            Cell::Schedules(v) => JobValue::Schedules(
                v.as_ref_option()?
                    .iter()
                    .filter_map(|s| s.as_ref_option())
                    .filter_map(|s| {
                        Some(ScheduleRef {
                            id: s.id.as_ref_option()?.clone(),
                            retain: s.retain.as_ref_option().copied().unwrap_or(0),
                        })
                    })
                    .collect(),
            ),
            Cell::Monitor(v) => JobValue::Monitor(match v {
                Value::Value(m) => Monitor {
                    ranfor: m.ranfor.as_ref_option().copied().unwrap_or(0).into(),
                    notran: m.notran.as_ref_option().copied().unwrap_or(0).into(),
                },
                Value::Null | Value::Unknown => Monitor::default(),
            }),
        })
    }

    /// The cell of row `def` for a job as the server holds it. `reference`
    /// (the same cell of the plan or prior state) decides only what the
    /// server cannot: an empty set written as `[]` versus left out, a
    /// monitor block of zeros versus none.
    fn read(def: &ParamDef, job: &BackupJob, job_type: Option<JobType>, reference: &Cell) -> Cell {
        let value = job.value(def.param);
        let empty_written = reference.is_written_empty();
        let text = |s: String| {
            // An unset optional text reads back empty: the attribute stays null.
            if s.is_empty() && def.role != Role::Required {
                Value::Null
            } else {
                Value::Value(s)
            }
        };
        match (def.shape, value) {
            (Shape::Text, Some(JobValue::Text(s))) => Cell::Text(text(s)),
            (Shape::Label, Some(JobValue::Int(code))) => Cell::Label(Value::Value(
                choice_label(def.choices, code)
                    .map_or_else(|| format!("unknown_{code}"), str::to_string),
            )),
            (Shape::Time, Some(JobValue::Time(t))) => Cell::Time(Value::Value(t.to_string())),
            (Shape::Int, Some(JobValue::Int(n))) => Cell::Int(Value::Value(n)),
            (Shape::Bool, Some(JobValue::Bool(b))) => Cell::Bool(Value::Value(b)),
            (Shape::List, Some(JobValue::List(items))) => Cell::List(match def.role {
                Role::Required => str_set(items),
                Role::Optional
                | Role::Defaulted(_)
                | Role::ServerDefault(_)
                | Role::ReadOnly { .. } => {
                    as_written(str_set(items), |s| s.is_empty(), empty_written)
                }
            }),
            (Shape::Bitmask, Some(JobValue::Int(mask))) => Cell::Bitmask(match job_type {
                Some(t) => str_set(mask_to_contains(t, mask)),
                None => str_set([format!("{UNNAMED_BIT_PREFIX}{mask}")]),
            }),
            (Shape::Grid, Some(JobValue::Grid(rows))) => {
                let read = Value::Value(rows.into_iter().map(str_set).collect());
                Cell::Grid(as_written(read, |rows| rows.is_empty(), empty_written))
            }
            (Shape::ScheduleList, Some(JobValue::Schedules(refs))) => {
                Cell::Schedules(Value::Value(
                    refs.into_iter()
                        .map(|s| {
                            Value::Value(ScheduleBlock {
                                id: Value::Value(s.id),
                                retain: Value::Value(s.retain),
                            })
                        })
                        .collect(),
                ))
            }
            (Shape::Monitor, Some(JobValue::Monitor(m))) => {
                let read = Value::Value(MonitorBlock {
                    ranfor: Value::Value(*m.ranfor),
                    notran: Value::Value(*m.notran),
                });
                // A block of zeros is the server's "off", as is no block.
                let off =
                    |m: &MonitorBlock| m.ranfor == Value::Value(0) && m.notran == Value::Value(0);
                Cell::Monitor(as_written(read, off, empty_written))
            }
            // An unset time of day, or (ruled out by the table's test
            // `every_row_reaches_its_own_field`) a field of another form.
            (shape, _) => Cell::null(shape),
        }
    }
}

/// A value read from the server whose empty form is ambiguous: empty reads
/// as null unless the reference (config, plan or prior state) holds the
/// empty value written out, so that an omitted optional attribute and an
/// explicit empty one (`= []`, a block of zeros) both stay as written.
fn as_written<T>(read: Value<T>, is_empty: impl Fn(&T) -> bool, empty_written: bool) -> Value<T> {
    match &read {
        Value::Value(r) if is_empty(r) && !empty_written => Value::Null,
        _ => read,
    }
}

/// The default `contains` items for a type (what an omitted `contains` plans to).
pub fn default_contains(job_type: JobType) -> BTreeSet<String> {
    mask_to_contains(job_type, full_contains(job_type))
}

pub fn str_set(items: impl IntoIterator<Item = String>) -> StrSet {
    let sorted: BTreeSet<String> = items.into_iter().collect();
    Value::Value(sorted.into_iter().map(Value::Value).collect())
}

/// Known strings of a set (unknown or null elements dropped).
pub fn known_strings(set: &StrSet) -> Option<Vec<String>> {
    match set {
        Value::Value(s) => Some(
            s.iter()
                .filter_map(|v| v.as_ref_option().cloned())
                .collect(),
        ),
        _ => None,
    }
}

/// Every attribute of `jetbackup_backup_job`: a [`Cell`] per parameter, in
/// [`JOB_PARAMS`] order, and the attributes that are not parameters.
/// Serialized as the object Terraform expects (attribute names are the
/// rows' wire names), so it holds exactly the schema's attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct JobState {
    pub id: Str,
    /// One per row of [`JOB_PARAMS`], always all of them (the field is
    /// private so that nothing can build it shorter).
    cells: Vec<Cell>,
    pub next_run: Str,
    pub last_run: Str,
}

impl Default for JobState {
    fn default() -> Self {
        JobState {
            id: Value::Null,
            cells: JOB_PARAMS.iter().map(|d| Cell::null(d.shape)).collect(),
            next_run: Value::Null,
            last_run: Value::Null,
        }
    }
}

/// Attributes that are not parameters; `id` is the job's `_id`.
pub const ID: &str = "id";
pub const NEXT_RUN: &str = "next_run";
pub const LAST_RUN: &str = "last_run";

impl JobState {
    /// A parameter's cell.
    pub fn cell(&self, param: Param) -> &Cell {
        // Row `i` of the table is variant `i` (checked when the crate
        // compiles) and `cells` always has a cell per row.
        &self.cells[param as usize]
    }

    pub fn cell_mut(&mut self, param: Param) -> &mut Cell {
        &mut self.cells[param as usize]
    }

    /// Sets a parameter's cell. A cell of another shape than the row's is
    /// refused (it would not serialize as the schema's type).
    pub fn put(&mut self, param: Param, cell: Cell) -> bool {
        let fits = std::mem::discriminant(&Cell::null(param_def(param).shape))
            == std::mem::discriminant(&cell);
        if fits {
            *self.cell_mut(param) = cell;
        }
        fits
    }

    /// The state with a parameter's cell set (see [`JobState::put`]).
    pub fn with(mut self, param: Param, cell: Cell) -> JobState {
        self.put(param, cell);
        self
    }

    /// Every parameter with its row and cell, in table order.
    pub fn cells(&self) -> impl Iterator<Item = (&'static ParamDef, &Cell)> {
        JOB_PARAMS.iter().zip(&self.cells)
    }

    pub fn cells_mut(&mut self) -> impl Iterator<Item = (&'static ParamDef, &mut Cell)> {
        JOB_PARAMS.iter().zip(self.cells.iter_mut())
    }

    /// The known text of a string-valued parameter.
    pub fn text(&self, param: Param) -> Option<&str> {
        self.cell(param).as_text()
    }

    pub fn job_type(&self) -> Option<JobType> {
        self.text(Param::Type).and_then(JobType::from_label)
    }

    /// The path of a parameter's attribute.
    pub fn path(param: Param) -> AttributePath {
        AttributePath::new(param_def(param).wire)
    }

    /// A set of blocks is never null in Terraform (no block is an empty set).
    pub fn empty_blocks_not_null(&mut self) {
        for (_, cell) in self.cells_mut() {
            if let Cell::Schedules(v @ Value::Null) = cell {
                *v = Value::Value(BTreeSet::new());
            }
        }
    }

    /// The full set of parameters this state asks for (a create).
    pub fn to_spec(&self) -> JobSpec {
        let job_type = self.job_type();
        let mut spec = JobSpec::new();
        for (def, cell) in self.cells().filter(|(d, _)| d.role.is_input()) {
            if let Some(v) = cell.to_value(def, job_type) {
                spec.set(def.param, v);
            }
        }
        spec
    }

    /// Only the parameters that differ between `prior` and `self` (a modify):
    /// scalars when changed, lists sent whole, emptied lists cleared.
    pub fn diff_spec(&self, prior: &JobState) -> JobSpec {
        let want = self.to_spec();
        let have = prior.to_spec();
        let mut spec = JobSpec::new();
        for def in JOB_PARAMS {
            if def.replace || !def.role.is_input() {
                continue;
            }
            // A collection left unset is empty; it is compared as a set.
            let empty = match def.shape {
                Shape::List => Some(JobValue::List(Vec::new())),
                Shape::Grid => Some(JobValue::Grid(Vec::new())),
                Shape::ScheduleList => Some(JobValue::Schedules(Vec::new())),
                Shape::Text
                | Shape::Int
                | Shape::Label
                | Shape::Bool
                | Shape::Bitmask
                | Shape::Time
                | Shape::Monitor => None,
            };
            let or_empty = |v: Option<&JobValue>| v.cloned().or_else(|| empty.clone());
            let (w, h) = (or_empty(want.get(def.param)), or_empty(have.get(def.param)));
            fn as_set<T: Ord>(v: &[T]) -> BTreeSet<&T> {
                v.iter().collect()
            }
            let changed = match (&w, &h) {
                (Some(JobValue::List(a)), Some(JobValue::List(b))) => as_set(a) != as_set(b),
                (Some(JobValue::Grid(a)), Some(JobValue::Grid(b))) => as_set(a) != as_set(b),
                (Some(JobValue::Schedules(a)), Some(JobValue::Schedules(b))) => {
                    as_set(a) != as_set(b)
                }
                (w, h) => w != h,
            };
            if let (true, Some(v)) = (changed, w) {
                spec.set(def.param, v);
            }
        }
        spec
    }

    /// The state for a job as the server holds it. `reference` (the plan or
    /// the prior state) decides only representation questions the server
    /// cannot: an empty list written as `[]` versus omitted, and a monitor
    /// block of zeros versus no block.
    pub fn from_job(job: &BackupJob, reference: &JobState) -> JobState {
        let job_type = JobType::from_code(*job.job_type);
        let opt_string =
            |s: &Option<WireText>| s.clone().map_or(Value::Null, |s| Value::Value(s.into()));
        JobState {
            id: Value::Value(job.id.to_string()),
            cells: reference
                .cells()
                .map(|(def, r)| Cell::read(def, job, job_type, r))
                .collect(),
            next_run: opt_string(&job.next_run),
            last_run: opt_string(&job.last_run),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Monitor(v) => optional_block::serialize(v, s),
            Cell::Text(v) | Cell::Label(v) | Cell::Time(v) => v.serialize(s),
            Cell::Int(v) => v.serialize(s),
            Cell::Bool(v) => v.serialize(s),
            Cell::List(v) | Cell::Bitmask(v) => v.serialize(s),
            Cell::Grid(v) => v.serialize(s),
            Cell::Schedules(v) => v.serialize(s),
        }
    }
}

/// Reads a cell of the shape it carries.
struct CellOf(Shape);

impl<'de> DeserializeSeed<'de> for CellOf {
    type Value = Cell;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cell, D::Error> {
        Ok(match self.0 {
            Shape::Text => Cell::Text(Deserialize::deserialize(d)?),
            Shape::Label => Cell::Label(Deserialize::deserialize(d)?),
            Shape::Time => Cell::Time(Deserialize::deserialize(d)?),
            Shape::Int => Cell::Int(Deserialize::deserialize(d)?),
            Shape::Bool => Cell::Bool(Deserialize::deserialize(d)?),
            Shape::List => Cell::List(Deserialize::deserialize(d)?),
            Shape::Bitmask => Cell::Bitmask(Deserialize::deserialize(d)?),
            Shape::Grid => Cell::Grid(Deserialize::deserialize(d)?),
            Shape::ScheduleList => Cell::Schedules(Deserialize::deserialize(d)?),
            Shape::Monitor => Cell::Monitor(optional_block::deserialize(d)?),
        })
    }
}

impl Serialize for JobState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.cells.len() + 3))?;
        m.serialize_entry(ID, &self.id)?;
        for (def, cell) in self.cells() {
            m.serialize_entry(def.wire, cell)?;
        }
        m.serialize_entry(NEXT_RUN, &self.next_run)?;
        m.serialize_entry(LAST_RUN, &self.last_run)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for JobState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<JobState, D::Error> {
        struct StateVisitor;
        impl<'de> Visitor<'de> for StateVisitor {
            type Value = JobState;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the attributes of a jetbackup_backup_job")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JobState, A::Error> {
                // An attribute left out is null, as in a derived struct.
                let mut state = JobState::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        ID => state.id = map.next_value()?,
                        NEXT_RUN => state.next_run = map.next_value()?,
                        LAST_RUN => state.last_run = map.next_value()?,
                        wire => match param_by_wire(wire) {
                            Some(def) => {
                                *state.cell_mut(def.param) =
                                    map.next_value_seed(CellOf(def.shape))?
                            }
                            // Not an attribute of this schema: ignored, as a derived struct does.
                            None => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        },
                    }
                }
                Ok(state)
            }
        }
        d.deserialize_map(StateVisitor)
    }
}

/// A block of at most one element, as Terraform sends it: a list, which is
/// itself unknown while a `dynamic` block's `for_each` is (`serde_as_vec`
/// alone rejects that at validation).
mod optional_block {
    use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};
    use tf_provider::value::{self, Value};

    pub fn serialize<T: Serialize, S: Serializer>(v: &Value<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Value::Unknown => Value::<Vec<T>>::Unknown.serialize(s),
            _ => value::serde_as_vec::serialize(v, s),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Value<T>, D::Error> {
        match Value::<Vec<Value<T>>>::deserialize(d)? {
            Value::Unknown => Ok(Value::Unknown),
            Value::Null => Ok(Value::Null),
            Value::Value(list) => {
                let mut items = list.into_iter();
                match (items.next(), items.next()) {
                    (None, _) => Ok(Value::Null),
                    (Some(one), None) => Ok(one),
                    (Some(_), Some(_)) => Err(D::Error::custom(
                        "a block of at most one element has several",
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Terraform refuses a state with an attribute more or less than the
    /// schema, which the table drives.
    #[test]
    fn state_holds_exactly_the_schemas_attributes() {
        let json = serde_json::to_value(JobState::default()).expect("serializes");
        let held: BTreeSet<String> = json
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        let s = super::super::backup_job_schema::schema();
        let declared: BTreeSet<String> = s
            .block
            .attributes
            .keys()
            .chain(s.block.blocks.keys())
            .cloned()
            .collect();
        assert_eq!(held, declared);
    }

    /// What is serialized reads back the same, unknown values included, and
    /// an attribute of another schema is ignored.
    #[test]
    fn state_reads_back_what_it_writes() {
        let state = JobState::default()
            .with(Param::Name, Cell::Text(Value::Value("n".into())))
            .with(Param::Destination, Cell::List(str_set(["d".to_string()])))
            .with(Param::Time, Cell::Time(Value::Unknown))
            .with(
                Param::Monitor,
                Cell::Monitor(Value::Value(MonitorBlock {
                    ranfor: Value::Value(1),
                    notran: Value::Value(0),
                })),
            );
        let mut json = serde_json::to_value(&state).expect("serializes");
        json["not_ours"] = serde_json::json!(5);
        let back: JobState = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, state);
        assert!(!JobState::default().put(Param::Name, Cell::Int(Value::Value(1))));
    }

    #[test]
    fn diff_sends_only_changes_and_clears_emptied_lists() {
        let prior = JobState::default()
            .with(Param::Name, Cell::Text(Value::Value("a".into())))
            .with(Param::Type, Cell::Label(Value::Value("accounts".into())))
            .with(Param::ExcludeList, Cell::List(str_set(["x".to_string()])))
            .with(
                Param::Structure,
                Cell::Label(Value::Value("incremental".into())),
            );
        let next = prior
            .clone()
            .with(Param::ExcludeList, Cell::List(Value::Null))
            .with(Param::Name, Cell::Text(Value::Value("b".into())));
        let spec = next.diff_spec(&prior);
        assert_eq!(spec.text(Param::Name), Some("b"));
        assert_eq!(spec.list(Param::ExcludeList), Some(&[][..]));
        assert_eq!(spec.get(Param::Structure), None);
        assert_eq!(spec.get(Param::Type), None);
    }
}
