//! The attributes of a table-described kind's data sources: the resource's
//! own, from its [`ObjectKind`] table, decoded by the same codec, so a
//! looked-up object reads exactly like a managed one. Secrets are never
//! exposed (the server masks them anyway).

use serde_json::{Map, Value as Json};
use tf_provider::schema::AttributeType;

use super::DataAttribute;
use crate::api::object::{decode, Field, ObjectKind, Record, Val};
use crate::provider::object::schema::attr_type;
use crate::provider::object::state::to_any;

/// The table's fields a data source exposes: every one but the secrets.
fn exposed(kind: &ObjectKind) -> impl Iterator<Item = &'static Field> {
    kind.fields.iter().filter(|f| !f.kind.is_secret())
}

/// `id`, then every field of the table but its secrets, in table order. A
/// field of some types only is null for the others.
pub fn table_fields(kind: &ObjectKind, id_doc: &str) -> Vec<DataAttribute> {
    let mut fields = vec![DataAttribute::new("id", AttributeType::String, id_doc)];
    for f in exposed(kind) {
        let doc = if f.types.is_empty() {
            f.doc.to_string()
        } else {
            format!("{} Null for other types.", f.doc)
        };
        fields.push(DataAttribute::new(f.attr, attr_type(f.kind), &doc));
    }
    fields
}

/// The values of [`table_fields`] for an object in its wire form (`raw`):
/// null for every field, then what the table's codec reads from it. A reply
/// the codec refuses (a type this provider does not know) leaves the
/// type's settings null; the caller fills what every object has.
pub fn table_values(kind: &ObjectKind, raw: &Json) -> Map<String, Json> {
    // Per object read: the names only, not the schema's docs.
    let mut out: Map<String, Json> = std::iter::once("id")
        .chain(exposed(kind).map(|f| f.attr))
        .map(|name| (name.to_string(), Json::Null))
        .collect();
    if let Ok((_, values)) = decode(kind, raw) {
        for (attr, v) in &values {
            if out.contains_key(*attr) {
                out.insert(attr.to_string(), to_json(v));
            }
        }
    }
    out
}

/// An object as its data sources show it: the table's codec decides every
/// setting exactly as for the resource ([`table_values`]), then what every
/// object has ([`identity`]; `job_count` for the kinds jobs use).
pub fn object_values(kind: &ObjectKind, record: &Record, job_count: bool) -> Map<String, Json> {
    let raw = Json::Object(record.0.clone());
    let mut out = table_values(kind, &raw);
    identity(&mut out, record, job_count);
    out
}

/// The attributes every looked-up object has, known whatever its type:
/// `id`, `name`, `owner`, `owner_name`, and `job_count` (JetBackup `count`)
/// for the kinds jobs use.
pub fn identity(out: &mut Map<String, Json>, record: &Record, job_count: bool) {
    for (attr, key) in [
        ("id", "_id"),
        ("name", "name"),
        ("owner", "owner"),
        ("owner_name", "owner_name"),
    ] {
        out.insert(attr.into(), Json::String(record.text(key)));
    }
    if job_count {
        out.insert("job_count".into(), Json::from(record.int("count")));
    }
}

/// A value as the resource's state holds it (blocks as objects), in JSON.
fn to_json(v: &Val) -> Json {
    serde_json::to_value(to_any(v)).unwrap_or(Json::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::{bits_for, encode, lookup, Target, ValueKind, Values, OBJECTS};
    use crate::api::wire::{parse_pairs, FormValue};
    use crate::sim::objectid::IdGen;
    use crate::sim::seed::{
        builtin, DEST_LOCAL_ID, GROUP_A_ID, ROOT_ACCOUNT_ID, SCHEDULE_DAILY_ID,
    };
    use crate::sim::store::Sim;
    use std::time::Duration;

    const NOW: Duration = Duration::from_secs(1_786_639_500);

    /// A valid value of a field's kind (`job`: a backup job's ID). Every
    /// kind is matched, so a new one does not compile until it has one.
    fn sample(kind: ValueKind, job: &str, code: i64) -> Val {
        let text = |s: &str| Val::Text(s.to_string());
        match kind {
            ValueKind::Text => text("t1"),
            ValueKind::Ref(what) | ValueKind::RefSet(what) => {
                let id = match what {
                    "backup job" => job,
                    "destination" => DEST_LOCAL_ID,
                    "account" => ROOT_ACCOUNT_ID,
                    other => panic!("no object to refer to for {other:?}: give this test one"),
                };
                match kind {
                    ValueKind::RefSet(_) => Val::Texts([id.to_string()].into()),
                    _ => text(id),
                }
            }
            ValueKind::Char { alphabet } => text(&alphabet[..1]),
            ValueKind::Count => Val::Int(7),
            ValueKind::IntIn(list) => Val::Int(list[list.len() - 1]),
            ValueKind::Label(c) | ValueKind::Key(c) => text(c[c.len() - 1].label),
            ValueKind::TextSet | ValueKind::JoinedSet => {
                Val::Texts(["a@x.com".to_string(), "b@x.com".to_string()].into())
            }
            ValueKind::IntSet { min, max } => Val::Ints([min, max].into()),
            ValueKind::LabelSet(c) => Val::Texts([c[0].label.to_string()].into()),
            ValueKind::Bool => Val::Bool(true),
            ValueKind::Range { min, max } => Val::Int(max.min(min + 3)),
            ValueKind::Path => text("/srv/p1"),
            ValueKind::Secret { .. } => text("s3cr3t"),
            ValueKind::Numbered(c) => Val::Int(c[c.len() - 1].code),
            // A named bit of the type, else a raw one (never its full value,
            // which reads back differently).
            ValueKind::Bitmask(bits) => {
                let named = bits_for(bits, Some(code)).and_then(|b| b.named.first());
                Val::Texts([named.map_or("bit_1", |c| c.label).to_string()].into())
            }
            ValueKind::Time => text("0350"),
            ValueKind::Paths => Val::Texts(["/srv/p1".to_string()].into()),
            ValueKind::RefGrid(_) => Val::Grid([[GROUP_A_ID.to_string()].into()].into()),
            ValueKind::Schedules => Val::Retains([(SCHEDULE_DAILY_ID.to_string(), 7)].into()),
            ValueKind::Monitor => Val::Monitor {
                ranfor: 1,
                notran: 2,
            },
        }
    }

    fn call(sim: &mut Sim, function: &str, body: &str) -> Json {
        let r = sim.call(function, &FormValue::from_pairs(&parse_pairs(body)), NOW);
        assert!(r.success, "{function} {body}: {}", r.message);
        r.data
    }

    /// Every row of every table, with a value in every type it belongs to,
    /// is sent by the table's encoder, kept by the simulator (which stores
    /// the object as the request made it), returned by its `get*` under its
    /// wire key, and read back by the data sources as sent. A row whose wire
    /// key one of these drops fails here.
    #[test]
    fn every_rows_wire_key_survives_the_simulator_and_the_data_source_read() {
        for kind in OBJECTS {
            let disc = kind.discriminator_field().expect("discriminator");
            let codes = disc.kind.choices().expect("a labelled type");
            for code in codes {
                let mut sim = Sim::new(builtin(), IdGen::new(1), None);
                let job = call(
                    &mut sim,
                    "manageBackupJob",
                    &format!("action=create&name=J&destination[0]={DEST_LOCAL_ID}&type=1&contains=511&structure=1"),
                )["_id"]
                    .as_str()
                    .expect("job id")
                    .to_string();
                let mut values = Values::new();
                values.insert(disc.attr, Val::Text(code.label.to_string()));
                for f in kind.fields.iter().filter(|f| {
                    f.attr != disc.attr && f.role.is_input() && f.applies_to(Some(code.code))
                }) {
                    let v = match (kind.is_selector(f), f.kind.choices()) {
                        // A selector names the type itself.
                        (true, Some(c)) => Val::Text(
                            c.iter()
                                .find(|c| c.code == code.code)
                                .expect("the type's selector label")
                                .label
                                .to_string(),
                        ),
                        _ => sample(f.kind, &job, code.code),
                    };
                    values.insert(f.attr, v);
                }
                let body = encode(kind, &values, Target::Create).encode();
                let id = call(&mut sim, kind.manage, &body)["_id"]
                    .as_str()
                    .expect("id")
                    .to_string();
                let got = call(&mut sim, kind.get, &format!("_id={id}"));
                let raw = got.as_object().expect("an object");
                let read = object_values(kind, &Record::from(raw.clone()), false);
                for (attr, sent) in &values {
                    let f = kind.field(attr).expect("row");
                    let at = format!("{}.{attr} ({})", kind.name, code.label);
                    if !kind.is_selector(f) {
                        assert!(lookup(raw, f.wire).is_some(), "{at}: no `{}`", f.wire);
                    }
                    if f.kind.is_secret() {
                        assert!(!read.contains_key(*attr), "{at}: a secret");
                    } else {
                        assert_eq!(read.get(*attr), Some(&to_json(sent)), "{at}");
                    }
                }
                assert_eq!(read["id"], Json::String(id), "{}", kind.name);
            }
        }
    }

    /// No secret of any table reaches a data source, and every other field
    /// does, under the resource's attribute name.
    #[test]
    fn every_table_field_but_secrets_is_an_attribute() {
        for kind in OBJECTS {
            let names: Vec<String> = table_fields(kind, "").into_iter().map(|f| f.name).collect();
            for f in kind.fields {
                assert_eq!(
                    names.iter().any(|n| n == f.attr),
                    !f.kind.is_secret(),
                    "{}.{}",
                    kind.name,
                    f.attr
                );
            }
        }
    }
}
