//! One parameter of `jetbackup_backup_job` in Terraform's terms: a [`Cell`],
//! whose variant is the row's [`Shape`], and its conversion to the value a
//! write sends ([`JobValue`]) and from the job the server returns
//! ([`BackupJob`]). Also the Terraform value types of the job's blocks and
//! sets. Knows no parameter by name; the state that holds a cell per row is
//! `backup_job_model.rs`.

use crate::api::table::{choice_code, choice_label, Fixed, Role};
use std::collections::BTreeSet;

use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tf_provider::value::Value;

use crate::api::job::{
    contains_to_mask, full_contains, mask_to_contains, BackupJob, JobTime, JobType, JobValue,
    Monitor, ParamDef, ScheduleRef, Shape, UNNAMED_BIT_PREFIX,
};
use crate::provider::number;

pub type Str = Value<String>;
/// A set as Terraform sends it, held as a sorted list rather than a
/// `BTreeSet`: elements that contain unknown values at plan (two IDs of
/// resources not created yet, a block whose `id` is one) are never equal to
/// each other in Terraform, so they must stay as many as Terraform
/// proposed; only Terraform merges elements, once they are known. Sorted
/// ([`sorted`]) so that two sets compare equal whatever order they came in.
pub type Set<T> = Value<Vec<T>>;

/// A set of strings.
pub type StrSet = Set<Str>;

/// A `schedules { id, retain }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScheduleBlock {
    pub id: Str,
    #[serde(deserialize_with = "retain")]
    pub retain: Value<i64>,
}

/// The `monitor { ranfor, notran }` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MonitorBlock {
    #[serde(deserialize_with = "ranfor")]
    pub ranfor: Value<i64>,
    #[serde(deserialize_with = "notran")]
    pub notran: Value<i64>,
}

// The blocks' numbers, read wider than `i64` (see [`number`]).
fn retain<'de, D: Deserializer<'de>>(d: D) -> Result<Value<i64>, D::Error> {
    number::read(d, "retain")
}
fn ranfor<'de, D: Deserializer<'de>>(d: D) -> Result<Value<i64>, D::Error> {
    number::read(d, "ranfor")
}
fn notran<'de, D: Deserializer<'de>>(d: D) -> Result<Value<i64>, D::Error> {
    number::read(d, "notran")
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
    Grid(Set<StrSet>),
    /// A set of `{id, retain}` blocks.
    Schedules(Set<Value<ScheduleBlock>>),
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
    pub fn to_value(&self, def: &ParamDef, job_type: Option<JobType>) -> Option<JobValue> {
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
    pub fn read(
        def: &ParamDef,
        job: &BackupJob,
        job_type: Option<JobType>,
        reference: &Cell,
    ) -> Cell {
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
                let read = sorted(Value::Value(rows.into_iter().map(str_set).collect()));
                Cell::Grid(as_written(read, |rows| rows.is_empty(), empty_written))
            }
            (Shape::ScheduleList, Some(JobValue::Schedules(refs))) => {
                Cell::Schedules(sorted(Value::Value(
                    refs.into_iter()
                        .map(|s| {
                            Value::Value(ScheduleBlock {
                                id: Value::Value(s.id),
                                retain: Value::Value(s.retain),
                            })
                        })
                        .collect(),
                )))
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

/// A set in its canonical order. Equal elements are all kept: see [`Set`].
pub fn sorted<T: Ord>(mut set: Set<T>) -> Set<T> {
    if let Value::Value(items) = &mut set {
        items.sort();
    }
    set
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
pub struct CellOf(pub Shape);

impl<'de> DeserializeSeed<'de> for CellOf {
    type Value = Cell;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cell, D::Error> {
        Ok(match self.0 {
            Shape::Text => Cell::Text(Deserialize::deserialize(d)?),
            Shape::Label => Cell::Label(Deserialize::deserialize(d)?),
            Shape::Time => Cell::Time(Deserialize::deserialize(d)?),
            Shape::Int => Cell::Int(number::read(d, "")?),
            Shape::Bool => Cell::Bool(Deserialize::deserialize(d)?),
            Shape::List => Cell::List(sorted(Deserialize::deserialize(d)?)),
            Shape::Bitmask => Cell::Bitmask(sorted(Deserialize::deserialize(d)?)),
            Shape::Grid => {
                let rows: Set<StrSet> = Deserialize::deserialize(d)?;
                Cell::Grid(sorted(match rows {
                    Value::Value(rows) => Value::Value(rows.into_iter().map(sorted).collect()),
                    other => other,
                }))
            }
            Shape::ScheduleList => Cell::Schedules(sorted(Deserialize::deserialize(d)?)),
            Shape::Monitor => Cell::Monitor(optional_block::deserialize(d)?),
        })
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
