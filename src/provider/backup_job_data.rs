//! What the `jetbackup_backup_job` and `jetbackup_backup_jobs` data sources
//! expose of a job: every attribute of the resource, in the resource's own
//! shapes (derived from its schema and its readback), plus `running`. So a
//! listing can be fed straight into `jetbackup_backup_job` arguments.

use std::collections::HashMap;

use serde_json::{Map, Value as Json};
use tf_provider::schema::{AttributeType, Block, NestedBlock};

use super::backup_job_model::JobState;
use super::backup_job_schema::schema;
use super::data_source::{DataAttribute, Exposed, Filter};
use crate::api::job::{param_def, BackupJob, Param};

/// A nested block's attributes as an object type.
fn object_of(block: &Block) -> AttributeType {
    AttributeType::Object(
        block
            .attributes
            .iter()
            .map(|(k, a)| (k.clone(), a.attr_type.clone()))
            .collect::<HashMap<_, _>>(),
    )
}

impl Exposed for BackupJob {
    const SINGULAR: &'static str = "backup_job";
    const PLURAL: &'static str = "jobs";
    const FUNCTIONS: &'static str =
        "`listBackupJobs` (and `getBackupJob` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        let block = schema().block;
        let mut fields: Vec<DataAttribute> = block
            .attributes
            .iter()
            .map(|(name, a)| DataAttribute::new(name, a.attr_type.clone(), &a.description.content))
            .collect();
        for (name, b) in &block.blocks {
            // Blocks read as what they are in expressions: a set of objects,
            // and a list of at most one object.
            let (attr_type, inner) = match b {
                NestedBlock::Set(inner) => (AttributeType::Set(Box::new(object_of(inner))), inner),
                NestedBlock::Optional(inner)
                | NestedBlock::List(inner)
                | NestedBlock::Single(inner)
                | NestedBlock::Group(inner)
                | NestedBlock::Map(inner) => {
                    (AttributeType::List(Box::new(object_of(inner))), inner)
                }
            };
            fields.push(DataAttribute::new(
                name,
                attr_type,
                &inner.description.content,
            ));
        }
        fields.push(DataAttribute::new(
            "running",
            AttributeType::Bool,
            "Whether the job is running now, as the server reports it.",
        ));
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        fields
    }

    fn values(&self) -> Map<String, Json> {
        let state = JobState::from_job(self, &JobState::default());
        let mut values = match serde_json::to_value(&state) {
            Ok(Json::Object(m)) => m,
            _ => Map::new(),
        };
        values.insert("running".to_string(), Json::Bool(*self.running));
        values
    }

    fn filters() -> &'static [Filter] {
        &[Filter::Type, Filter::Disabled]
    }

    fn type_values() -> Option<Vec<String>> {
        Some(
            param_def(Param::Type)
                .choices
                .iter()
                .map(|c| c.label.to_string())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_exactly_the_fields() {
        let job = BackupJob {
            id: "6504c79fd4b57d536c05bbe2".into(),
            name: "nightly".into(),
            job_type: 1.into(),
            ..BackupJob::default()
        };
        let values = job.values();
        let mut keys: Vec<&String> = values.keys().collect();
        keys.sort();
        let fields = BackupJob::fields();
        let names: Vec<&String> = fields.iter().map(|f| &f.name).collect();
        assert_eq!(keys, names);
        assert_eq!(values["type"], "accounts");
    }

    #[test]
    fn type_filter_values_are_the_resource_labels() {
        assert_eq!(
            BackupJob::type_values(),
            Some(vec!["accounts".into(), "directories".into(), "bmr".into()])
        );
    }
}
