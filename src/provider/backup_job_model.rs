//! The Terraform state of `jetbackup_backup_job` and its mapping to and from
//! the API models ([`JobSpec`] to write, [`BackupJob`] read back).
//!
//! The state is one [`Cell`] per row of [`JOB_PARAMS`], whose variant is the
//! row's [`Shape`] in Terraform's terms, plus the attributes that are not
//! parameters (`id`, `next_run`, `last_run`). Every conversion walks the
//! table and matches on the shape, so a new parameter of an existing shape
//! needs no code here. The one parameter named is the job's type, on which
//! the labels of the `contains` bitmask depend. One cell and its
//! conversions: `backup_job_cell.rs`.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tf_provider::value::Value;
use tf_provider::AttributePath;

use super::backup_job_cell::CellOf;
pub use super::backup_job_cell::{
    default_contains, known_strings, sorted, str_set, Cell, MonitorBlock, ScheduleBlock, Set, Str,
    StrSet,
};
use crate::api::job::{
    param_by_wire, param_def, BackupJob, JobSpec, JobType, JobValue, Param, ParamDef, Shape,
    JOB_PARAMS,
};
use crate::api::wire_json::WireText;
use crate::provider::number::{self, NotWhole};

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
    /// Numbers of the configuration that are not whole 64-bit integers,
    /// read as unknown (see [`number`]); validation refuses them.
    pub not_whole: Vec<NotWhole>,
}

impl Default for JobState {
    fn default() -> Self {
        JobState {
            id: Value::Null,
            cells: JOB_PARAMS.iter().map(|d| Cell::null(d.shape)).collect(),
            next_run: Value::Null,
            not_whole: Vec::new(),
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
                *v = Value::Value(Vec::new());
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
            not_whole: Vec::new(),
        }
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
                                let (cell, noted) = number::collecting(&[def.wire], || {
                                    map.next_value_seed(CellOf(def.shape))
                                });
                                *state.cell_mut(def.param) = cell?;
                                state.not_whole.extend(noted);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeSeed;

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

    /// Two `schedules` blocks whose IDs are not known yet are two blocks,
    /// whatever order Terraform sends them in (MessagePack, as it does).
    #[test]
    fn blocks_holding_unknowns_stay_apart() {
        let block = |id: Str| {
            Value::Value(ScheduleBlock {
                id,
                retain: Value::Value(7),
            })
        };
        let sent = vec![
            block(Value::Unknown),
            block(Value::Value("b".into())),
            block(Value::Unknown),
        ];
        let bytes = rmp_serde::to_vec_named(&sent).expect("encodes");
        let mut de = rmp_serde::Deserializer::new(&bytes[..]);
        let cell = CellOf(Shape::ScheduleList)
            .deserialize(&mut de)
            .expect("decodes");
        let Cell::Schedules(Value::Value(read)) = &cell else {
            panic!("not a set of blocks: {cell:?}");
        };
        assert_eq!(read.len(), 3);
        assert_eq!(cell, Cell::Schedules(sorted(Value::Value(sent))));
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
