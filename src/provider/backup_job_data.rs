//! What the `jetbackup_backup_job` and `jetbackup_backup_jobs` data sources
//! expose of a job: every attribute of the resource, read back exactly as
//! the resource reads it ([`readback`] over the job's table), plus
//! `running`. So a listing can be fed straight into `jetbackup_backup_job`
//! arguments.

use serde_json::{Map, Value as Json};
use tf_provider::schema::AttributeType;

use super::data_source::table::table_fields;
use super::data_source::{DataAttribute, Exposed, Filter};
use super::object::readback;
use super::object::state::ObjectState;
use crate::api::job::BackupJob;
use crate::api::object::backup_job::{BACKUP_JOB, JOB_TYPES};
use crate::api::object::{decode, Values};

impl Exposed for BackupJob {
    const SINGULAR: &'static str = "backup_job";
    const PLURAL: &'static str = "jobs";
    const FUNCTIONS: &'static str =
        "`listBackupJobs` (and `getBackupJob` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        let mut fields = table_fields(&BACKUP_JOB, "The backup job's ID (JetBackup `_id`).");
        fields.push(DataAttribute::new(
            "running",
            AttributeType::Bool,
            "Whether the job is running now, as the server reports it.",
        ));
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        fields
    }

    fn values(&self) -> Map<String, Json> {
        let raw = serde_json::to_value(self).unwrap_or(Json::Null);
        let (id, values) =
            decode(&BACKUP_JOB, &raw).unwrap_or_else(|_| (self.id.to_string(), Values::new()));
        let none = ObjectState::complete(&BACKUP_JOB, None, &Values::new());
        let state = readback(&BACKUP_JOB, &id, values, &none);
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
        Some(JOB_TYPES.iter().map(|c| c.label.to_string()).collect())
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
            structure: 1.into(),
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
