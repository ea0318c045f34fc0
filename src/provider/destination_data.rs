//! What the `jetbackup_destination` and `jetbackup_destinations` data sources
//! expose of a destination. Never its `options`: they hold the secrets the
//! server masks.

use serde_json::{Map, Value as Json};
use tf_provider::schema::AttributeType;

use super::data_source::table::{object_values, table_fields};
use super::data_source::{DataAttribute, Exposed, Filter};
use super::listing::Destination;
use crate::api::object::destination::{destination_type_name, DESTINATION};

/// The server's `type_name` (sent by 5.4), else the known display name of
/// the type key (5.3 omits it), else the key itself.
fn type_name(d: &Destination) -> String {
    let shown = d.0.text("type_name");
    if !shown.is_empty() {
        return shown;
    }
    let key = d.0.text("type");
    destination_type_name(&key).map_or(key, str::to_string)
}

impl Exposed for Destination {
    const SINGULAR: &'static str = "destination";
    const PLURAL: &'static str = "destinations";
    const FUNCTIONS: &'static str =
        "`listDestinations` (and `getDestination` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        let mut fields = table_fields(
            &DESTINATION,
            "The destination's ID (JetBackup `_id`): what a backup job's `destination` takes.",
        );
        if let Some(f) = fields.iter_mut().find(|f| f.name == "type_name") {
            f.doc = "The type's display name, e.g. `S3 Compatible`: what JetBackup 5.4 reports; from 5.3, which omits it, the known display name of the type key, else the key.".into();
        }
        fields.push(DataAttribute {
            deprecated: true,
            ..DataAttribute::new(
                READONLY,
                AttributeType::Bool,
                "Deprecated: use `read_only`, the resource's name for it (this one goes in release 0.3.0). Whether the destination is read-only.",
            )
        });
        fields
    }

    fn values(&self) -> Map<String, Json> {
        let mut out = object_values(&DESTINATION, &self.0, true);
        // Known whatever the type, as the server lists them.
        out.insert("type".into(), Json::String(self.0.text("type")));
        out.insert("type_name".into(), Json::String(type_name(self)));
        let read_only = self.0.bool("readonly");
        out.insert("read_only".into(), Json::Bool(read_only));
        out.insert(READONLY.into(), Json::Bool(read_only));
        out
    }

    fn filters() -> &'static [Filter] {
        &[Filter::Type]
    }
}

/// `read_only`'s name in release 0.1.0's data sources.
const READONLY: &str = "readonly";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::table::{choice_code, Role};
    use crate::sim::seed::builtin;

    #[test]
    fn values_are_exactly_the_fields_and_carry_no_option() {
        for d in builtin().destinations {
            let d = Destination(d);
            let values = d.values();
            let mut keys: Vec<&String> = values.keys().collect();
            keys.sort();
            let fields = Destination::fields();
            let mut names: Vec<&String> = fields.iter().map(|f| &f.name).collect();
            names.sort();
            assert_eq!(keys, names);
            // Each value has its attribute's type (the model's fields are
            // wire types: a `WireBool` would go out as 1/0); a setting of
            // another type is null, a required one of its own type is not.
            let code = DESTINATION
                .field("type")
                .and_then(|t| t.kind.choices())
                .and_then(|c| choice_code(c, d.0.str("type")));
            for f in &fields {
                let v = &values[&f.name];
                if let Some(t) = DESTINATION.field(&f.name) {
                    let own = t.applies_to(code);
                    assert!(own || v.is_null(), "{}: {v} on a {}", f.name, d.0["type"]);
                    if own && t.role == Role::Required {
                        assert!(!v.is_null(), "{}: null on a {}", f.name, d.0["type"]);
                    }
                }
                if v.is_null() {
                    continue;
                }
                let fits = match f.attr_type {
                    AttributeType::String => v.is_string(),
                    AttributeType::Number => v.is_number(),
                    AttributeType::Bool => v.is_boolean(),
                    _ => true,
                };
                assert!(fits, "{}: {v}", f.name);
            }
            let text = serde_json::to_string(&values).unwrap();
            assert!(!text.contains("HIDDEN") && !text.contains("AKIA"), "{text}");
        }
    }

    #[test]
    fn type_name_falls_back_to_the_known_display_names() {
        let mut d = Destination::default();
        d.0.set("type", "S3");
        assert_eq!(type_name(&d), "S3 Compatible");
        d.0.set("type", "FTP");
        assert_eq!(type_name(&d), "FTP");
        d.0.set("type_name", "FTP Server");
        assert_eq!(type_name(&d), "FTP Server");
    }
}
