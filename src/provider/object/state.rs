//! The Terraform state of a table-described object: one value per schema
//! attribute, converted to and from the API's [`Values`].

use crate::api::table::{choice_code, choice_label, Role};
use std::collections::{BTreeMap, BTreeSet};

use serde::de::{DeserializeSeed, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use tf_provider::value::ValueAny;
use tf_provider::AttributePath;

use crate::api::object::{
    BlockAttr, Field, Form, ObjectKind, TypeBlock, Val, ValueKind, Values, MONITOR_BLOCK,
    SCHEDULE_BLOCK,
};
use crate::provider::number::{self, NotWhole};

/// Attribute values by name. Serialized as the object Terraform expects, so
/// it must hold exactly the schema's attributes ([`ObjectState::complete`]);
/// a type block is a list of at most one object.
///
/// Read through [`number::AnyAt`]: a number that is not a whole 64-bit
/// integer is read as unknown and noted in the second field, which
/// validation reports on its attribute.
#[derive(Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ObjectState(
    pub BTreeMap<String, ValueAny>,
    #[serde(skip)] pub Vec<NotWhole>,
);

impl<'de> Deserialize<'de> for ObjectState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ObjectState, D::Error> {
        let (value, noted) = number::collecting(&[], || number::AnyAt(Vec::new()).deserialize(d));
        match value? {
            ValueAny::Map(m) => Ok(ObjectState(m, noted)),
            ValueAny::Null => Ok(ObjectState(BTreeMap::new(), noted)),
            ValueAny::String(_)
            | ValueAny::Number(_)
            | ValueAny::Bool(_)
            | ValueAny::List(_)
            | ValueAny::Unknown => Err(D::Error::custom("an object's attributes must be a map")),
        }
    }
}

/// One attribute of a configuration or plan.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Null,
    Unknown,
    Known(Val),
    /// A value of a shape the schema does not allow (only from a broken
    /// client); reported rather than ignored.
    Malformed,
}

pub const ID: &str = "id";

/// Where a field's value is in a state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    Top,
    Block(&'static TypeBlock),
    /// In a block that is not written (or that does not hold the field).
    Nowhere,
}

impl Place {
    pub fn path(self, field: &Field) -> AttributePath {
        match self {
            Place::Block(b) => AttributePath::new(b.name).index(0).attribute(field.attr),
            Place::Top | Place::Nowhere => AttributePath::new(field.attr),
        }
    }
}

/// Where a field of an object of type `code` is written.
pub fn place_for_code(kind: &ObjectKind, field: &Field, code: Option<i64>) -> Place {
    if kind.blocks.is_empty() || field.types.is_empty() {
        return Place::Top;
    }
    match code.and_then(|c| kind.block_of(c)) {
        Some(b) if kind.blocks_of(field).iter().any(|x| x.name == b.name) => Place::Block(b),
        Some(_) | None => Place::Nowhere,
    }
}

fn block_entry(v: &ValueAny) -> Option<&BTreeMap<String, ValueAny>> {
    match v {
        ValueAny::List(items) => match items.first() {
            Some(ValueAny::Map(m)) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

impl ObjectState {
    /// A state holding every attribute of `kind`, null unless given, and
    /// the block of the values' type.
    pub fn complete(kind: &ObjectKind, id: Option<&str>, values: &Values) -> ObjectState {
        let mut m = BTreeMap::new();
        m.insert(
            ID.to_string(),
            id.map_or(ValueAny::Null, |i| ValueAny::String(i.to_string())),
        );
        let code = kind.type_code(values);
        // A field's value, and the null write-only twins of a secret.
        let entries = |f: &Field| {
            std::iter::once((
                f.attr.to_string(),
                values.get(f.attr).map_or_else(|| absent(f.kind), to_any),
            ))
            .chain(twin_names(f).map(|n| (n, ValueAny::Null)))
        };
        for b in kind.blocks {
            let written = code.is_some_and(|c| b.types.contains(&c));
            let items = if written {
                let inner = kind
                    .fields
                    .iter()
                    .filter(|f| kind.blocks_of(f).iter().any(|x| x.name == b.name))
                    .flat_map(entries)
                    .collect();
                vec![ValueAny::Map(inner)]
            } else {
                Vec::new()
            };
            m.insert(b.name.to_string(), ValueAny::List(items));
        }
        for f in kind.fields {
            if place_for_code(kind, f, None) == Place::Top {
                m.extend(entries(f));
            }
        }
        ObjectState(m, Vec::new())
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

    /// The type blocks written, in table order.
    pub fn written_blocks(&self, kind: &ObjectKind) -> Vec<&'static TypeBlock> {
        kind.blocks
            .iter()
            .filter(|b| block_entry(self.raw(b.name)).is_some())
            .collect()
    }

    /// Whether a type block's presence is not known yet (a dynamic block).
    pub fn blocks_unknown(&self, kind: &ObjectKind) -> bool {
        kind.blocks.iter().any(|b| match self.raw(b.name) {
            ValueAny::Unknown => true,
            ValueAny::List(items) => items.contains(&ValueAny::Unknown),
            _ => false,
        })
    }

    /// Where a field is in this state.
    pub fn place(&self, kind: &ObjectKind, field: &Field) -> Place {
        if kind.blocks.is_empty() || field.types.is_empty() {
            return Place::Top;
        }
        match self.written_blocks(kind).first() {
            Some(b) if kind.blocks_of(field).iter().any(|x| x.name == b.name) => Place::Block(b),
            Some(_) | None => Place::Nowhere,
        }
    }

    pub fn path(&self, kind: &ObjectKind, field: &Field) -> AttributePath {
        self.place(kind, field).path(field)
    }

    /// A field's value wherever it is written.
    pub fn field_raw(&self, kind: &ObjectKind, field: &Field) -> &ValueAny {
        self.beside(kind, field, field.attr)
    }

    /// Sets a field where it is written; nothing if its block is not.
    pub fn set_field(&mut self, kind: &ObjectKind, field: &Field, v: ValueAny) {
        self.set_beside(kind, field, field.attr, v);
    }

    /// The attribute `name` written where `field` is (its block, or the
    /// top level): a field, or one of a secret's write-only twins.
    pub fn beside(&self, kind: &ObjectKind, field: &Field, name: &str) -> &ValueAny {
        static NULL: ValueAny = ValueAny::Null;
        match self.place(kind, field) {
            Place::Top => self.raw(name),
            Place::Block(b) => block_entry(self.raw(b.name))
                .and_then(|m| m.get(name))
                .unwrap_or(&NULL),
            Place::Nowhere => &NULL,
        }
    }

    /// Sets the attribute `name` where `field` is; nothing if its block is
    /// not written.
    pub fn set_beside(&mut self, kind: &ObjectKind, field: &Field, name: &str, v: ValueAny) {
        match self.place(kind, field) {
            Place::Top => self.set(name, v),
            Place::Block(b) => {
                if let Some(ValueAny::List(items)) = self.0.get_mut(b.name) {
                    if let Some(ValueAny::Map(m)) = items.first_mut() {
                        m.insert(name.to_string(), v);
                    }
                }
            }
            Place::Nowhere => {}
        }
    }

    /// A field's value. With type blocks, the discriminator is the type
    /// the written block (and its selector) stands for.
    pub fn cell(&self, kind: &ObjectKind, field: &Field) -> AttrValue {
        if !kind.blocks.is_empty() && field.attr == kind.discriminator {
            return self.block_type(kind, field);
        }
        from_any(field.kind, self.field_raw(kind, field))
    }

    fn block_type(&self, kind: &ObjectKind, disc: &Field) -> AttrValue {
        if self.blocks_unknown(kind) {
            return AttrValue::Unknown;
        }
        let Some(block) = self.written_blocks(kind).first().copied() else {
            return AttrValue::Null;
        };
        let code = match block.selector.and_then(|s| kind.field(s)) {
            Some(sel) => match (sel.kind, self.cell(kind, sel), sel.role) {
                (ValueKind::Label(c), AttrValue::Known(Val::Text(l)), _) => choice_code(c, &l),
                (ValueKind::Label(c), AttrValue::Null, Role::Defaulted(d)) => {
                    d.val().text().and_then(|l| choice_code(c, l))
                }
                (_, AttrValue::Unknown, _) => return AttrValue::Unknown,
                _ => None,
            },
            None => block.types.first().copied(),
        };
        let label = match (disc.kind, code) {
            (ValueKind::Label(c) | ValueKind::Key(c), Some(code)) => choice_label(c, code),
            _ => None,
        };
        label.map_or(AttrValue::Malformed, |l| {
            AttrValue::Known(Val::Text(l.to_string()))
        })
    }

    /// The known input values (unset and unknown ones are left out).
    pub fn inputs(&self, kind: &ObjectKind) -> Values {
        kind.fields
            .iter()
            .filter(|f| f.role.is_input())
            .filter_map(|f| match self.cell(kind, f) {
                AttrValue::Known(v) => Some((f.attr, v)),
                AttrValue::Null | AttrValue::Unknown | AttrValue::Malformed => None,
            })
            .collect()
    }

    /// Every unknown value replaced by null: what is recorded when the
    /// object exists but its readback failed.
    pub fn without_unknowns(mut self) -> ObjectState {
        fn clear(v: &mut ValueAny) {
            match v {
                ValueAny::Unknown => *v = ValueAny::Null,
                ValueAny::List(items) => items.iter_mut().for_each(clear),
                ValueAny::Map(m) => m.values_mut().for_each(clear),
                ValueAny::String(_) | ValueAny::Number(_) | ValueAny::Bool(_) | ValueAny::Null => {}
            }
        }
        self.0.values_mut().for_each(clear);
        self
    }
}

/// Whether a plan from `prior` to `planned` changes one of the input
/// attributes `moves_with` names (a read-only field's dependencies): only
/// then may the write change that field.
pub fn moves(
    kind: &ObjectKind,
    moves_with: &[&str],
    planned: &ObjectState,
    prior: &ObjectState,
) -> bool {
    moves_with
        .iter()
        .filter_map(|attr| kind.field(attr))
        .any(|f| planned.cell(kind, f) != prior.cell(kind, f))
}

pub fn to_any(v: &Val) -> ValueAny {
    let texts =
        |s: &BTreeSet<String>| ValueAny::List(s.iter().cloned().map(ValueAny::String).collect());
    let block = |attrs: &[BlockAttr; 2], values: [ValueAny; 2]| {
        let [a, b] = values;
        ValueAny::Map(
            [
                (attrs[0].name.to_string(), a),
                (attrs[1].name.to_string(), b),
            ]
            .into(),
        )
    };
    match v {
        Val::Text(s) => ValueAny::String(s.clone()),
        Val::Int(n) => ValueAny::Number(*n),
        Val::Texts(s) => texts(s),
        Val::Ints(s) => ValueAny::List(s.iter().copied().map(ValueAny::Number).collect()),
        Val::Bool(b) => ValueAny::Bool(*b),
        Val::Grid(rows) => ValueAny::List(rows.iter().map(texts).collect()),
        Val::Retains(s) => ValueAny::List(
            s.iter()
                .map(|(id, retain)| {
                    block(
                        &SCHEDULE_BLOCK,
                        [ValueAny::String(id.clone()), ValueAny::Number(*retain)],
                    )
                })
                .collect(),
        ),
        // A block of at most one element.
        Val::Monitor { ranfor, notran } => ValueAny::List(vec![block(
            &MONITOR_BLOCK,
            [ValueAny::Number(*ranfor), ValueAny::Number(*notran)],
        )]),
    }
}

/// The value of a field that has none: null, or no blocks for a field
/// written as blocks (Terraform holds no block as an empty list, never null).
pub fn absent(kind: ValueKind) -> ValueAny {
    match kind.form().block() {
        Some(_) => ValueAny::List(Vec::new()),
        None => ValueAny::Null,
    }
}

/// A known value of a form, or why there is none.
type Read = Result<Val, AttrValue>;

/// The items of a set or list of blocks; unknown if any is.
fn items(v: &ValueAny) -> Result<&[ValueAny], AttrValue> {
    match v {
        ValueAny::Null => Err(AttrValue::Null),
        ValueAny::Unknown => Err(AttrValue::Unknown),
        ValueAny::List(items) if items.contains(&ValueAny::Unknown) => Err(AttrValue::Unknown),
        ValueAny::List(items) => Ok(items),
        ValueAny::String(_) | ValueAny::Number(_) | ValueAny::Bool(_) | ValueAny::Map(_) => {
            Err(AttrValue::Malformed)
        }
    }
}

fn string(v: &ValueAny) -> Result<String, AttrValue> {
    match v {
        ValueAny::String(s) => Ok(s.clone()),
        ValueAny::Unknown => Err(AttrValue::Unknown),
        ValueAny::Null
        | ValueAny::Number(_)
        | ValueAny::Bool(_)
        | ValueAny::List(_)
        | ValueAny::Map(_) => Err(AttrValue::Malformed),
    }
}

fn number(v: &ValueAny) -> Result<i64, AttrValue> {
    match v {
        ValueAny::Number(n) => Ok(*n),
        ValueAny::Unknown => Err(AttrValue::Unknown),
        ValueAny::Null
        | ValueAny::String(_)
        | ValueAny::Bool(_)
        | ValueAny::List(_)
        | ValueAny::Map(_) => Err(AttrValue::Malformed),
    }
}

/// The two attributes of one block.
fn block_values(block: &ValueAny, attrs: &[BlockAttr; 2]) -> Result<[ValueAny; 2], AttrValue> {
    let ValueAny::Map(m) = block else {
        return Err(AttrValue::Malformed);
    };
    let at = |a: &BlockAttr| m.get(a.name).cloned().unwrap_or(ValueAny::Null);
    Ok([at(&attrs[0]), at(&attrs[1])])
}

/// A value as Terraform holds it, read by its kind's form.
fn read(kind: ValueKind, v: &ValueAny) -> Read {
    match kind.form() {
        Form::Text => string(v).map(Val::Text),
        Form::Number => number(v).map(Val::Int),
        Form::Bool => match v {
            ValueAny::Bool(b) => Ok(Val::Bool(*b)),
            ValueAny::Unknown => Err(AttrValue::Unknown),
            _ => Err(AttrValue::Malformed),
        },
        Form::Texts => items(v)?
            .iter()
            .map(string)
            .collect::<Result<_, _>>()
            .map(Val::Texts),
        Form::Numbers => items(v)?
            .iter()
            .map(number)
            .collect::<Result<_, _>>()
            .map(Val::Ints),
        Form::Grid => items(v)?
            .iter()
            .map(|row| items(row)?.iter().map(string).collect::<Result<_, _>>())
            .collect::<Result<_, _>>()
            .map(Val::Grid),
        Form::Schedules => items(v)?
            .iter()
            .map(|b| {
                let [id, retain] = block_values(b, &SCHEDULE_BLOCK)?;
                Ok((string(&id)?, number(&retain)?))
            })
            .collect::<Result<_, _>>()
            .map(Val::Retains),
        Form::Monitor => {
            let Some(b) = items(v)?.first() else {
                return Err(AttrValue::Null);
            };
            let [ranfor, notran] = block_values(b, &MONITOR_BLOCK)?;
            Ok(Val::Monitor {
                ranfor: number(&ranfor)?,
                notran: number(&notran)?,
            })
        }
    }
}

pub fn from_any(kind: ValueKind, v: &ValueAny) -> AttrValue {
    match v {
        ValueAny::Null => AttrValue::Null,
        ValueAny::Unknown => AttrValue::Unknown,
        ValueAny::String(_)
        | ValueAny::Number(_)
        | ValueAny::Bool(_)
        | ValueAny::List(_)
        | ValueAny::Map(_) => read(kind, v).map_or_else(|why| why, AttrValue::Known),
    }
}

// The names of a secret's write-only twins (`super::write_only`): every
// state holds them, null but for the version.

/// The write-only attribute of a secret (`secret_key_wo`).
pub fn value_name(secret: &Field) -> String {
    format!("{}_wo", secret.attr)
}

/// The version attribute of a secret (`secret_key_wo_version`).
pub fn version_name(secret: &Field) -> String {
    format!("{}_wo_version", secret.attr)
}

/// The twins' names of a field: two for a secret, none for any other.
pub fn twin_names(field: &Field) -> impl Iterator<Item = String> {
    let names = field
        .kind
        .is_secret()
        .then(|| [value_name(field), version_name(field)]);
    names.into_iter().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::schedule::SCHEDULE;

    /// Two different valid values of a kind.
    fn two_values(kind: ValueKind) -> (Val, Val) {
        let t = |a: &str, b: &str| (Val::Text(a.into()), Val::Text(b.into()));
        let ts = |a: &str, b: &str| {
            (
                Val::Texts([a.to_string()].into()),
                Val::Texts([b.to_string()].into()),
            )
        };
        match kind {
            ValueKind::Text | ValueKind::Secret { .. } => t("a", "b"),
            ValueKind::Ref(_) => t("6503f0a0ebbf07708d06f201", "6503f0a0ebbf07708d06f202"),
            ValueKind::Char { alphabet } => {
                let mut c = alphabet.chars().map(String::from);
                let a = c.next().expect("a character");
                let b = c.next().expect("a second character");
                t(&a, &b)
            }
            ValueKind::Count => (Val::Int(1), Val::Int(2)),
            ValueKind::IntIn(l) => (Val::Int(l[0]), Val::Int(l[1])),
            ValueKind::Range { min, .. } => (Val::Int(min), Val::Int(min + 1)),
            ValueKind::IntSet { min, .. } => (Val::Ints([min].into()), Val::Ints([min + 1].into())),
            ValueKind::Label(c) | ValueKind::Key(c) => t(c[0].label, c[1].label),
            ValueKind::LabelSet(c) => ts(c[0].label, c[1].label),
            ValueKind::TextSet | ValueKind::JoinedSet => ts("a@example.com", "b@example.com"),
            ValueKind::RefSet(_) => ts("6503f0a0ebbf07708d06f201", "6503f0a0ebbf07708d06f202"),
            ValueKind::Bool => (Val::Bool(false), Val::Bool(true)),
            ValueKind::Path => t("/a", "/b"),
            ValueKind::Numbered(c) => (Val::Int(c[0].code), Val::Int(c[1].code)),
            ValueKind::Bitmask(_) => (
                Val::Texts(["bit_1".to_string()].into()),
                Val::Texts(["bit_2".to_string()].into()),
            ),
            ValueKind::Time => t("0350", "1200"),
            ValueKind::Paths => ts("/a", "/b"),
            ValueKind::RefGrid(_) => (
                Val::Grid([["6503f0a0ebbf07708d06f201".to_string()].into()].into()),
                Val::Grid([["6503f0a0ebbf07708d06f202".to_string()].into()].into()),
            ),
            ValueKind::Schedules => (
                Val::Retains([("6503f0a0ebbf07708d06f201".to_string(), 1)].into()),
                Val::Retains([("6503f0a0ebbf07708d06f201".to_string(), 2)].into()),
            ),
            ValueKind::Monitor => (
                Val::Monitor {
                    ranfor: 0,
                    notran: 1,
                },
                Val::Monitor {
                    ranfor: 1,
                    notran: 1,
                },
            ),
        }
    }

    /// Issue 25: a read-only attribute is unknown in a plan exactly when an
    /// input it declares (`moves_with`) changes, for every field of every
    /// table; a secret rotation moves nothing.
    #[test]
    fn read_only_fields_move_only_with_what_they_declare() {
        use crate::api::object::OBJECTS;
        for kind in OBJECTS {
            let read_only: Vec<(&Field, &[&str])> = kind
                .fields
                .iter()
                .filter_map(|f| match f.role {
                    Role::ReadOnly { moves_with } => Some((f, moves_with)),
                    Role::Required
                    | Role::Optional
                    | Role::Defaulted(_)
                    | Role::ServerDefault(_) => None,
                })
                .collect();
            for (f, moves_with) in &read_only {
                for attr in *moves_with {
                    let input = kind.field(attr);
                    assert!(
                        input.is_some_and(|i| i.role.is_input()),
                        "{}.{} moves with {attr}, not an input of the table",
                        kind.name,
                        f.attr
                    );
                }
            }
            let disc = kind.discriminator_field().expect("discriminator");
            for input in kind.fields.iter().filter(|f| f.role.is_input()) {
                if kind.is_selector(input) {
                    continue;
                }
                // An object of a type the field belongs to.
                let code = input
                    .types
                    .first()
                    .copied()
                    .or_else(|| disc.kind.choices().and_then(|c| c.first()).map(|c| c.code));
                let mut base = Values::new();
                if let Some(label) = code.map(|c| kind.type_label(c)) {
                    base.insert(disc.attr, Val::Text(label));
                }
                let (a, b) = two_values(input.kind);
                let mut before = base.clone();
                let mut after = base;
                if input.attr == disc.attr {
                    // The first and last types: in different blocks, if any.
                    let c = disc.kind.choices().expect("labelled types");
                    before.insert(disc.attr, Val::Text(c[0].label.into()));
                    after.insert(disc.attr, Val::Text(c[c.len() - 1].label.into()));
                } else {
                    before.insert(input.attr, a);
                    after.insert(input.attr, b);
                }
                let prior = ObjectState::complete(kind, Some("6503f0a0ebbf07708d06f201"), &before);
                let planned = ObjectState::complete(kind, Some("6503f0a0ebbf07708d06f201"), &after);
                assert!(
                    prior.cell(kind, input) != planned.cell(kind, input),
                    "{}.{}: the two values differ",
                    kind.name,
                    input.attr
                );
                for (f, moves_with) in &read_only {
                    assert_eq!(
                        moves(kind, moves_with, &planned, &prior),
                        moves_with.contains(&input.attr),
                        "{}.{} when {} changes",
                        kind.name,
                        f.attr,
                        input.attr
                    );
                }
            }
        }
        // The example, by name.
        use crate::api::object::destination::DESTINATION;
        for attr in ["job_count", "owner_name", "disk_usage"] {
            let Some(Role::ReadOnly { moves_with }) = DESTINATION.field(attr).map(|f| f.role)
            else {
                panic!("{attr} is read-only")
            };
            assert!(!moves_with.contains(&"secret_key"), "{attr}");
        }
    }

    /// Terraform refuses a state with an attribute more or less than the
    /// schema: every table's complete state holds exactly its attributes
    /// and blocks.
    #[test]
    fn a_state_holds_exactly_the_schemas_attributes() {
        use crate::api::object::OBJECTS;
        for kind in OBJECTS {
            let s = super::super::schema::schema(kind);
            let declared: BTreeSet<&String> = s
                .block
                .attributes
                .keys()
                .chain(s.block.blocks.keys())
                .collect();
            let state = ObjectState::complete(kind, None, &Values::new());
            let held: BTreeSet<&String> = state.0.keys().collect();
            assert_eq!(held, declared, "{}", kind.name);
        }
    }

    /// Two `schedules` blocks whose IDs are not known yet are two blocks,
    /// whatever order Terraform sends them in (MessagePack, as it does).
    #[test]
    fn blocks_holding_unknowns_stay_apart() {
        use crate::api::object::backup_job::BACKUP_JOB;
        use tf_provider::value::{Value, ValueAny as A};
        let block =
            |id: A| A::Map([("id".to_string(), id), ("retain".to_string(), A::Number(7))].into());
        let sent: Value<Vec<A>> = Value::Value(vec![
            block(A::Unknown),
            block(A::String("b".into())),
            block(A::Unknown),
        ]);
        let config: BTreeMap<String, Value<Vec<A>>> = [("schedules".to_string(), sent)].into();
        let bytes = rmp_serde::to_vec_named(&config).expect("encodes");
        let state: ObjectState = rmp_serde::from_slice(&bytes).expect("decodes");
        let ValueAny::List(read) = state.raw("schedules") else {
            panic!("not a set of blocks: {:?}", state.raw("schedules"));
        };
        assert_eq!(read.len(), 3);
        let field = BACKUP_JOB.field("schedules").expect("schedules");
        assert_eq!(state.cell(&BACKUP_JOB, field), AttrValue::Unknown);
    }

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
        assert_eq!(s.place(&SCHEDULE, &SCHEDULE.fields[2]), Place::Top);
        let text = serde_json::to_string(&s).expect("encodes");
        let back: ObjectState = serde_json::from_str(&text).expect("decodes");
        assert!(back == s);
    }
}
