//! The Terraform state of a table-described object: one value per schema
//! attribute, converted to and from the API's [`Values`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use tf_provider::value::ValueAny;

use crate::api::object::{Field, Kind, ObjectKind, Val, Values};

/// Attribute values by name. Serialized as the object Terraform expects, so
/// it must hold exactly the schema's attributes ([`ObjectState::complete`]).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjectState(pub BTreeMap<String, ValueAny>);

/// One attribute of a configuration or plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Unknown,
    Known(Val),
    /// A value of a shape the schema does not allow (only from a broken
    /// client); reported rather than ignored.
    Malformed,
}

pub const ID: &str = "id";

impl ObjectState {
    /// A state holding every attribute of `kind`, null unless given.
    pub fn complete(kind: &ObjectKind, id: Option<&str>, values: &Values) -> ObjectState {
        let mut m = BTreeMap::new();
        m.insert(
            ID.to_string(),
            id.map_or(ValueAny::Null, |i| ValueAny::String(i.to_string())),
        );
        for f in kind.fields {
            m.insert(
                f.attr.to_string(),
                values.get(f.attr).map_or(ValueAny::Null, to_any),
            );
        }
        ObjectState(m)
    }

    pub fn id(&self) -> Option<&str> {
        match self.0.get(ID) {
            Some(ValueAny::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn raw(&self, attr: &str) -> &ValueAny {
        static NULL: ValueAny = ValueAny::Null;
        self.0.get(attr).unwrap_or(&NULL)
    }

    pub fn set(&mut self, attr: &str, v: ValueAny) {
        self.0.insert(attr.to_string(), v);
    }

    pub fn cell(&self, field: &Field) -> Cell {
        from_any(field.kind, self.raw(field.attr))
    }

    /// The known input values (unset and unknown ones are left out).
    pub fn inputs(&self, kind: &ObjectKind) -> Values {
        kind.fields
            .iter()
            .filter(|f| f.role.is_input())
            .filter_map(|f| match self.cell(f) {
                Cell::Known(v) => Some((f.attr, v)),
                Cell::Null | Cell::Unknown | Cell::Malformed => None,
            })
            .collect()
    }

    /// The input attributes only, for "does the plan change anything".
    pub fn input_cells(&self, kind: &ObjectKind) -> Vec<ValueAny> {
        kind.fields
            .iter()
            .filter(|f| f.role.is_input())
            .map(|f| self.raw(f.attr).clone())
            .collect()
    }

    /// Every unknown value replaced by null: what is recorded when the
    /// object exists but its readback failed.
    pub fn without_unknowns(mut self) -> ObjectState {
        for v in self.0.values_mut() {
            if *v == ValueAny::Unknown {
                *v = ValueAny::Null;
            }
        }
        self
    }
}

pub fn to_any(v: &Val) -> ValueAny {
    match v {
        Val::Text(s) => ValueAny::String(s.clone()),
        Val::Int(n) => ValueAny::Number(*n),
        Val::Texts(s) => ValueAny::List(s.iter().cloned().map(ValueAny::String).collect()),
        Val::Ints(s) => ValueAny::List(s.iter().copied().map(ValueAny::Number).collect()),
    }
}

pub fn from_any(kind: Kind, v: &ValueAny) -> Cell {
    match v {
        ValueAny::Null => Cell::Null,
        ValueAny::Unknown => Cell::Unknown,
        ValueAny::String(s) if !kind.is_set() && !kind.is_numeric() => {
            Cell::Known(Val::Text(s.clone()))
        }
        ValueAny::Number(n) if !kind.is_set() && kind.is_numeric() => Cell::Known(Val::Int(*n)),
        ValueAny::List(items) if kind.is_set() => {
            if items.contains(&ValueAny::Unknown) {
                return Cell::Unknown;
            }
            if kind.is_numeric() {
                let mut out = BTreeSet::new();
                for i in items {
                    match i {
                        ValueAny::Number(n) => {
                            out.insert(*n);
                        }
                        _ => return Cell::Malformed,
                    }
                }
                Cell::Known(Val::Ints(out))
            } else {
                let mut out = BTreeSet::new();
                for i in items {
                    match i {
                        ValueAny::String(s) => {
                            out.insert(s.clone());
                        }
                        _ => return Cell::Malformed,
                    }
                }
                Cell::Known(Val::Texts(out))
            }
        }
        ValueAny::String(_)
        | ValueAny::Number(_)
        | ValueAny::Bool(_)
        | ValueAny::List(_)
        | ValueAny::Map(_) => Cell::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::schedule::SCHEDULE;

    #[test]
    fn values_round_trip_through_the_state() {
        let mut values = Values::new();
        values.insert("name", Val::Text("n".into()));
        values.insert("type", Val::Text("daily".into()));
        values.insert(
            "days_of_week",
            Val::Texts(["monday".to_string(), "thursday".to_string()].into()),
        );
        values.insert("job_count", Val::Int(2));
        let s = ObjectState::complete(&SCHEDULE, Some("6503f0a0ebbf07708d06f201"), &values);
        assert_eq!(s.0.len(), SCHEDULE.fields.len() + 1);
        assert_eq!(s.id(), Some("6503f0a0ebbf07708d06f201"));
        let mut inputs = values.clone();
        inputs.remove("job_count");
        assert_eq!(s.inputs(&SCHEDULE), inputs);
        let text = serde_json::to_string(&s).expect("encodes");
        let back: ObjectState = serde_json::from_str(&text).expect("decodes");
        assert!(back == s);
    }
}
