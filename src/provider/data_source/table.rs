//! The attributes of a table-described kind's data sources: the resource's
//! own, from its [`ObjectKind`] table, decoded by the same codec, so a
//! looked-up object reads exactly like a managed one. Secrets are never
//! exposed (the server masks them anyway).

use serde_json::{Map, Value as Json};
use tf_provider::schema::AttributeType;

use super::DataAttribute;
use crate::api::object::{decode, Field, ObjectKind, Val};
use crate::provider::object::schema::attr_type;

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

/// An object as its data sources show it: its model taken back to the wire
/// form, so that the table's codec decides every setting exactly as for the
/// resource ([`table_values`]), then what every object has ([`identity`]).
pub fn object_values<T: serde::Serialize>(
    kind: &ObjectKind,
    model: &T,
    names: [&str; 4],
    count: Option<i64>,
) -> Map<String, Json> {
    let raw = serde_json::to_value(model).unwrap_or(Json::Null);
    let mut out = table_values(kind, &raw);
    identity(&mut out, names, count);
    out
}

/// The attributes every looked-up object has, known whatever its type:
/// `id`, `name`, `owner`, `owner_name`, and `job_count` (JetBackup `count`)
/// for the kinds jobs use.
pub fn identity(
    out: &mut Map<String, Json>,
    [id, name, owner, owner_name]: [&str; 4],
    count: Option<i64>,
) {
    for (attr, v) in [
        ("id", id),
        ("name", name),
        ("owner", owner),
        ("owner_name", owner_name),
    ] {
        out.insert(attr.into(), Json::String(v.to_string()));
    }
    if let Some(count) = count {
        out.insert("job_count".into(), Json::from(count));
    }
}

fn to_json(v: &Val) -> Json {
    match v {
        Val::Text(s) => Json::String(s.clone()),
        Val::Int(n) => Json::from(*n),
        Val::Texts(s) => s.iter().cloned().map(Json::String).collect(),
        Val::Ints(s) => s.iter().copied().map(Json::from).collect(),
        Val::Bool(b) => Json::Bool(*b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::OBJECTS;

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
