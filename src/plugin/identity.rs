//! Resource identity (protocol 6.9, Terraform 1.12 and later): the data
//! that names one remote object, stored beside its state, and what
//! `import { to = …  identity = { id = "…" } }` and list resources carry.
//!
//! Every resource type gets its identity here, from one place: by default
//! ([`super::ResourceServer::identity_schema`]) it is the state's own `id`,
//! for every resource whose schema has a computed string `id`, so a resource
//! added later has one without writing anything.
//!
//! What Terraform checks (internal/terraform, 1.12–1.15): an identity
//! returned by read, plan and apply conforms to the identity schema and is
//! wholly known (a plan that creates or replaces may leave it unknown, but
//! 1.15 then fails to write the plan, so such a plan carries none); an
//! import by identity must return one; UpgradeResourceIdentity is called
//! only when the stored identity's version differs from the schema's. Older
//! CLIs (1.11) never ask for identity schemas and ignore the new fields of
//! the replies, so nothing here changes what they see.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeConstraint, AttributeType, Schema};
use tf_provider::value::Value;
use tf_provider::Diagnostics;

use super::convert::type_json;
use super::proto::tfplugin6 as tf;
use super::value::Dynamic;

/// The attribute of the state (and of the identity) that names an object.
pub const ID: &str = "id";

/// A resource type's identity schema: the state's `id`, required to import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentitySchema {
    /// Bumped (with an upgrade in [`upgrade`]) if the identity ever changes shape.
    pub version: i64,
    pub description: String,
}

impl IdentitySchema {
    /// The identity of a resource whose schema has a computed string `id`;
    /// `None` for any other schema (a test refuses such a resource).
    pub fn from_id(schema: &Schema) -> Option<IdentitySchema> {
        let id = schema.block.attributes.get(ID)?;
        let computed = matches!(
            id.constraint,
            AttributeConstraint::Computed | AttributeConstraint::OptionalComputed
        );
        (id.attr_type == AttributeType::String && computed).then(|| IdentitySchema {
            version: 0,
            description: "The object's ID on the server (its `id` attribute).".to_string(),
        })
    }

    pub fn to_proto(&self) -> tf::ResourceIdentitySchema {
        tf::ResourceIdentitySchema {
            version: self.version,
            identity_attributes: vec![tf::resource_identity_schema::IdentityAttribute {
                name: ID.to_string(),
                r#type: type_json(&AttributeType::String),
                required_for_import: true,
                optional_for_import: false,
                description: self.description.clone(),
            }],
        }
    }
}

/// The identity schemas of the served resource types, by type name.
pub type Identities = HashMap<String, IdentitySchema>;

/// The identity's value (and the only part of a state it reads).
#[derive(Serialize, Deserialize, Default)]
struct Identity {
    #[serde(default)]
    id: Value<String>,
}

/// The identity of an object whose state is `state`, in Terraform's
/// message; `None` when the type has no identity, the state is null (a
/// destroyed or vanished object has none) or its `id` is not known yet (a
/// planned create or replacement: Terraform 1.15 accepts an unknown planned
/// identity there but then fails to write the plan, "value is not known").
pub fn of_state(
    diags: &mut Diagnostics,
    schema: Option<&IdentitySchema>,
    state: &Dynamic,
) -> Option<tf::ResourceIdentityData> {
    schema?;
    if state.is_null() {
        return None;
    }
    match state.decode(diags)? {
        Identity {
            id: id @ Value::Value(_),
        } => data(diags, id),
        Identity {
            id: Value::Null | Value::Unknown,
        } => None,
    }
}

/// The identity of the object with this ID.
pub fn of_id(diags: &mut Diagnostics, id: &str) -> Option<tf::ResourceIdentityData> {
    data(diags, Value::Value(id.to_string()))
}

fn data(diags: &mut Diagnostics, id: Value<String>) -> Option<tf::ResourceIdentityData> {
    let value = Dynamic::encode(diags, &Identity { id })?;
    Some(tf::ResourceIdentityData {
        identity_data: Some(value.into()),
    })
}

/// The ID to import: `id` (`terraform import`, `import { id = … }`), or
/// the identity's `id` (`import { identity = { id = … } }`, which sends an
/// empty `id`).
pub fn import_id(
    diags: &mut Diagnostics,
    type_name: &str,
    id: String,
    identity: Option<tf::ResourceIdentityData>,
) -> Option<String> {
    if !id.is_empty() {
        return Some(id);
    }
    let given = identity
        .and_then(|i| i.identity_data)
        .map(Dynamic::from)
        .filter(|v| !v.is_null());
    let Some(given) = given else {
        diags.root_error(
            "Nothing to import",
            format!("Terraform sent neither an ID nor an identity to import {type_name}. Give the import block `id = \"…\"` or `identity = {{ id = \"…\" }}`."),
        );
        return None;
    };
    match given.decode::<Identity>(diags)? {
        Identity {
            id: Value::Value(id),
        } if !id.is_empty() => Some(id),
        Identity { .. } => {
            diags.root_error(
                "The import identity has no id",
                format!("Import {type_name} with `identity = {{ id = \"<its JetBackup _id>\" }}`; the id must be known when Terraform plans."),
            );
            None
        }
    }
}

/// UpgradeResourceIdentity: Terraform calls it only for a stored identity
/// whose version differs from the schema's. Version 0 is the first, so an
/// identity of another version was written by a newer provider.
pub fn upgrade(
    diags: &mut Diagnostics,
    type_name: &str,
    schema: Option<&IdentitySchema>,
    version: i64,
    json: Vec<u8>,
) -> Option<tf::ResourceIdentityData> {
    let Some(schema) = schema else {
        diags.root_error_short(format!(
            "This provider has no resource identity for {type_name}"
        ));
        return None;
    };
    if version == schema.version {
        // Terraform decodes stored JSON by the current schema itself.
        return Some(tf::ResourceIdentityData {
            identity_data: Some(Dynamic::Json(json).into()),
        });
    }
    diags.root_error(
        "The resource identity was written by another version of the provider",
        format!(
            "The identity of this {type_name} is at version {version}; this provider knows version {}. Use the provider version that wrote it, or a newer one.",
            schema.version
        ),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tf_provider::schema::{Attribute, Block};

    fn schema_with_id(t: AttributeType, c: AttributeConstraint) -> Schema {
        let mut block = Block::default();
        block.attributes.insert(
            ID.into(),
            Attribute {
                attr_type: t,
                description: "x".into(),
                constraint: c,
                sensitive: false,
                deprecated: false,
            },
        );
        Schema { version: 1, block }
    }

    fn decoded(d: &tf::ResourceIdentityData) -> serde_json::Value {
        let v = Dynamic::from(d.identity_data.clone().unwrap());
        v.decode(&mut Diagnostics::default()).unwrap()
    }

    #[test]
    fn only_a_computed_string_id_gives_an_identity() {
        use AttributeConstraint::*;
        assert!(
            IdentitySchema::from_id(&schema_with_id(AttributeType::String, Computed)).is_some()
        );
        assert!(
            IdentitySchema::from_id(&schema_with_id(AttributeType::Number, Computed)).is_none()
        );
        assert!(
            IdentitySchema::from_id(&schema_with_id(AttributeType::String, Required)).is_none()
        );
        assert!(IdentitySchema::from_id(&Schema {
            version: 0,
            block: Block::default()
        })
        .is_none());
        let p = IdentitySchema::from_id(&schema_with_id(AttributeType::String, Computed))
            .unwrap()
            .to_proto();
        assert_eq!(p.identity_attributes.len(), 1);
        let a = &p.identity_attributes[0];
        assert_eq!(
            (a.name.as_str(), a.r#type.as_slice()),
            ("id", b"\"string\"".as_slice())
        );
        assert!(a.required_for_import && !a.optional_for_import);
    }

    #[test]
    fn the_identity_is_the_states_id_and_none_for_a_null_state() {
        let schema = IdentitySchema::from_id(&schema_with_id(
            AttributeType::String,
            AttributeConstraint::Computed,
        ));
        let mut diags = Diagnostics::default();
        // Other attributes, of any shape, are skipped.
        let state = Dynamic::encode(
            &mut diags,
            &json!({"name": "n", "id": "6560a1000000000000000b01", "schedules": [{"id": "a", "retain": 3}]}),
        )
        .unwrap();
        let id = of_state(&mut diags, schema.as_ref(), &state).unwrap();
        assert_eq!(decoded(&id), json!({"id": "6560a1000000000000000b01"}));
        assert!(of_state(&mut diags, schema.as_ref(), &Dynamic::null()).is_none());
        assert!(of_state(&mut diags, None, &state).is_none());
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    }

    #[test]
    fn a_planned_create_has_no_identity_until_its_id_is_known() {
        let schema = IdentitySchema::from_id(&schema_with_id(
            AttributeType::String,
            AttributeConstraint::Computed,
        ));
        #[derive(Serialize)]
        struct Planned {
            id: Value<String>,
            name: Value<String>,
        }
        let mut diags = Diagnostics::default();
        let planned = Dynamic::encode(
            &mut diags,
            &Planned {
                id: Value::Unknown,
                name: Value::Value("n".into()),
            },
        )
        .unwrap();
        assert!(of_state(&mut diags, schema.as_ref(), &planned).is_none());
        assert!(diags.errors.is_empty());
    }

    #[test]
    fn import_takes_the_id_or_the_identitys_id() {
        let mut diags = Diagnostics::default();
        assert_eq!(
            import_id(&mut diags, "t", "abc".into(), None).as_deref(),
            Some("abc")
        );
        let identity = of_id(&mut diags, "6560a1000000000000000b01");
        assert_eq!(
            import_id(&mut diags, "t", String::new(), identity).as_deref(),
            Some("6560a1000000000000000b01")
        );
        assert!(diags.errors.is_empty());
        assert!(import_id(&mut diags, "t", String::new(), None).is_none());
        assert_eq!(diags.errors.len(), 1);
        let null_id = data(&mut diags, Value::Null);
        assert!(import_id(&mut diags, "t", String::new(), null_id).is_none());
        assert!(diags.errors[1].summary.contains("no id"));
    }

    #[test]
    fn an_identity_of_the_current_version_passes_and_another_is_refused() {
        let schema = IdentitySchema {
            version: 0,
            description: String::new(),
        };
        let mut diags = Diagnostics::default();
        let json = br#"{"id":"6560a1000000000000000b01"}"#.to_vec();
        let up = upgrade(&mut diags, "t", Some(&schema), 0, json.clone()).unwrap();
        assert_eq!(up.identity_data.unwrap().json, json);
        assert!(upgrade(&mut diags, "t", Some(&schema), 1, json.clone()).is_none());
        assert!(diags.errors[0].detail.contains("version 1"));
        assert!(upgrade(&mut diags, "t", None, 0, json).is_none());
    }
}
