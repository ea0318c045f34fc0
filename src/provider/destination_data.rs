//! What the `jetbackup_destination` and `jetbackup_destinations` data sources
//! expose of a destination. Never its `options`: they hold the secrets the
//! server masks.

use serde_json::{json, Map, Value as Json};
use tf_provider::schema::AttributeType;

use super::data_source::{Exposed, Field, Filter};
use crate::api::models::{destination_type_name, Destination};

/// The server's `type_name` (sent by 5.4), else the known display name of
/// the type key (5.3 omits it), else the key itself.
fn type_name(d: &Destination) -> String {
    if !d.type_name.is_empty() {
        return d.type_name.to_string();
    }
    destination_type_name(&d.dest_type)
        .unwrap_or(&d.dest_type)
        .to_string()
}

impl Exposed for Destination {
    const SINGULAR: &'static str = "destination";
    const PLURAL: &'static str = "destinations";
    const FUNCTIONS: &'static str =
        "`listDestinations` (and `getDestination` for an ID not in the list)";

    fn fields() -> Vec<Field> {
        use AttributeType::{Bool, Number, String};
        vec![
            Field::new(
                "id",
                String,
                "The destination's ID (JetBackup `_id`): what a backup job's `destination` takes.",
            ),
            Field::new("name", String, "The destination's name."),
            Field::new(
                "type",
                String,
                "JetBackup's type key, e.g. `Localv2`, `Local`, `S3`, `SSH`.",
            ),
            Field::new(
                "type_name",
                String,
                "The type's display name, e.g. `S3 Compatible`.",
            ),
            Field::new("disabled", Bool, "Whether the destination is disabled."),
            Field::new(
                "readonly",
                Bool,
                "Whether the destination is read-only (it can be restored from, not backed up to).",
            ),
            Field::new(
                "owner",
                String,
                "ID of the account that owns the destination.",
            ),
            Field::new(
                "owner_name",
                String,
                "Name of the account that owns the destination.",
            ),
            Field::new(
                "job_count",
                Number,
                "How many backup jobs use the destination (JetBackup `count`).",
            ),
            Field::new(
                "disk_limit",
                Number,
                "Free-disk limit in percent; 0 means off.",
            ),
            Field::new("threads", Number, "Concurrent worker threads."),
        ]
    }

    fn values(&self) -> Map<String, Json> {
        let v = json!({
            "id": self.id,
            "name": self.name,
            "type": self.dest_type,
            "type_name": type_name(self),
            "disabled": *self.disabled,
            "readonly": *self.readonly,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "job_count": self.count,
            "disk_limit": self.disk_limit,
            "threads": self.threads,
        });
        match v {
            Json::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn filters() -> &'static [Filter] {
        &[Filter::Type]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::builtin;

    #[test]
    fn values_are_exactly_the_fields_and_carry_no_option() {
        for d in builtin().destinations {
            let values = d.values();
            let mut keys: Vec<&String> = values.keys().collect();
            keys.sort();
            let fields = Destination::fields();
            let mut names: Vec<&String> = fields.iter().map(|f| &f.name).collect();
            names.sort();
            assert_eq!(keys, names);
            // Each value has its attribute's type (the model's fields are
            // wire types: a `WireBool` would go out as 1/0).
            for f in &fields {
                let v = &values[&f.name];
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
        let mut d = Destination {
            dest_type: "S3".into(),
            ..Destination::default()
        };
        assert_eq!(type_name(&d), "S3 Compatible");
        d.dest_type = "FTP".into();
        assert_eq!(type_name(&d), "FTP");
        d.type_name = "FTP Server".into();
        assert_eq!(type_name(&d), "FTP Server");
    }
}
