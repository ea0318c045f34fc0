//! The action `jetbackup_run_backup_job`: runs a backup job now, with
//! `runBackupJobManually`, from `terraform apply -invoke=…` or a resource's
//! `action_trigger`.
//!
//! A malformed `backup_job_id` fails at validate and at plan, on the
//! attribute, before any API call (an ID still unknown there, such as a job
//! created in the same apply, is judged at invoke). Whether the job exists,
//! is enabled and is idle is the server's to say: the invoke reports
//! JetBackup's answer, queued or refused, with the URL it was sent to.
//! The action keeps no state, and the job resource's `last_run` follows a
//! run only at the next refresh (it is Computed and never planned to
//! change), so a run never shows as drift.

use async_trait::async_trait;
use serde::Deserialize;
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use super::data_source::malformed_id_detail;
use super::handle::ProviderHandle;
use crate::api::client::{RunAnswer, RunRefusal};
use crate::api::objectid::is_object_id;
use crate::api::ApiError;
use crate::plugin::{Action, Progress};

/// The configuration attribute naming the job.
pub const BACKUP_JOB_ID: &str = "backup_job_id";

/// The `config` block of `action "jetbackup_run_backup_job"`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RunBackupJobConfig {
    pub backup_job_id: Value<String>,
}

pub struct RunBackupJobAction {
    provider: ProviderHandle,
}

impl RunBackupJobAction {
    pub fn new(provider: ProviderHandle) -> Self {
        RunBackupJobAction { provider }
    }
}

pub fn schema() -> Schema {
    let id = Attribute {
        attr_type: AttributeType::String,
        description: Description::markdown(
            "The ID (JetBackup `_id`, 24 hexadecimal digits) of the backup job to run, usually `jetbackup_backup_job.NAME.id`. A value that is not an ID fails at plan, before anything is sent; a job the server does not have, or one that is disabled or already running, fails when the action is invoked, with JetBackup's answer.",
        ),
        constraint: AttributeConstraint::Required,
        sensitive: false,
        deprecated: false,
    };
    Schema {
        version: 0,
        block: Block {
            version: 0,
            attributes: [(BACKUP_JOB_ID.to_string(), id)].into(),
            blocks: Default::default(),
            description: Description::markdown(
                "Runs a JetBackup 5 backup job now, with the API function `runBackupJobManually`: invoke it with `terraform apply -invoke=action.jetbackup_run_backup_job.NAME`, or from a resource's `lifecycle { action_trigger { … } }`. JetBackup adds the run to its queue (its hooks and conditions may still abort it; JetBackup records that in its alerts); a disabled job, a job already running and an unknown ID are refused, and the action fails with JetBackup's answer. Needs Terraform 1.14 or later.",
            ),
            deprecated: false,
        },
    }
}

/// A known `backup_job_id` that is not an ID: an error on the attribute.
fn check_id(diags: &mut Diagnostics, config: &RunBackupJobConfig) {
    if let Value::Value(id) = &config.backup_job_id {
        if !is_object_id(id) {
            diags.error(
                "Invalid backup_job_id",
                format!(
                    "{} Nothing was sent to JetBackup.",
                    malformed_id_detail("backup job", id)
                ),
                AttributePath::new(BACKUP_JOB_ID),
            );
        }
    }
}

/// What to do after a refusal, by its reason.
fn what_to_do(reason: RunRefusal) -> &'static str {
    match reason {
        RunRefusal::UnknownJob => "No backup job has this ID on that server: check backup_job_id, and that the provider's endpoint is the server the job is on.",
        RunRefusal::Disabled => "The job is disabled: enable it (disabled = false on its jetbackup_backup_job, or in JetBackup), then invoke the action again.",
        RunRefusal::AlreadyRunning => "The job is already running: wait for that run to finish, then invoke the action again.",
        RunRefusal::Other => "JetBackup gave no other reason than its message; see the server's alerts and logs.",
    }
}

#[async_trait]
impl Action for RunBackupJobAction {
    type Config = RunBackupJobConfig;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema())
    }

    async fn validate(&self, diags: &mut Diagnostics, config: RunBackupJobConfig) -> Option<()> {
        check_id(diags, &config);
        Some(())
    }

    async fn plan(&self, diags: &mut Diagnostics, config: RunBackupJobConfig) -> Option<()> {
        check_id(diags, &config);
        Some(())
    }

    async fn invoke(
        &self,
        diags: &mut Diagnostics,
        config: RunBackupJobConfig,
        progress: &Progress,
    ) -> Option<()> {
        check_id(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        let Value::Value(id) = config.backup_job_id else {
            diags.error(
                "backup_job_id is not known",
                "Terraform invoked the action before the job's ID was known; nothing was sent to JetBackup. Invoke it again once the job exists.",
                AttributePath::new(BACKUP_JOB_ID),
            );
            return None;
        };
        let client = self.provider.client(diags)?;
        let url = client.target().to_string();
        progress
            .report(format!(
                "Asking JetBackup at {url} to run backup job {id} now (runBackupJobManually)"
            ))
            .await;
        let answer = client.run_backup_job_manually(&id).await;
        self.provider.invalidate_reads();
        match answer {
            Ok(RunAnswer::Queued { message, job }) => {
                let started = job
                    .last_run
                    .as_deref()
                    .map_or("(not given)", String::as_str);
                progress
                    .report(format!(
                        "JetBackup queued backup job {:?} ({id}): {message:?}; last_run {started}. Its hooks and conditions may still abort the run; JetBackup records that in its alerts.",
                        job.name.as_str()
                    ))
                    .await;
                Some(())
            }
            Ok(RunAnswer::Refused { reason, message }) => {
                diags.error(
                    format!("JetBackup refused to run backup job {id}"),
                    format!(
                        "runBackupJobManually was sent to {url} and refused: {message:?}. Nothing was queued. {}",
                        what_to_do(reason)
                    ),
                    AttributePath::new(BACKUP_JOB_ID),
                );
                None
            }
            Err(e) => {
                let next = if e.nothing_sent()
                    || e.is_credentials_refused()
                    || matches!(e, ApiError::Busy { .. })
                {
                    "No run was queued: fix the cause, then invoke the action again."
                } else {
                    "The request was sent and its outcome is unknown: before invoking the action again, check the job's last_run on the server, as the run may have been queued."
                };
                diags.root_error(
                    format!("Cannot run backup job {id}"),
                    format!("{e}. {next}"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(id: Value<String>) -> Vec<(String, String)> {
        let mut diags = Diagnostics::default();
        check_id(&mut diags, &RunBackupJobConfig { backup_job_id: id });
        diags
            .errors
            .iter()
            .map(|d| (d.summary.to_string(), format!("{:?}", d.attribute)))
            .collect()
    }

    #[test]
    fn a_malformed_id_fails_on_the_attribute_and_an_unknown_one_waits() {
        let bad = errors(Value::Value("nightly".to_string()));
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, "Invalid backup_job_id");
        assert!(bad[0].1.contains(BACKUP_JOB_ID), "{}", bad[0].1);
        assert!(errors(Value::Value("6503d48bfc45b1addf0a9632".to_string())).is_empty());
        assert!(errors(Value::Unknown).is_empty());
        assert!(errors(Value::Null).is_empty());
    }

    #[test]
    fn every_refusal_says_what_to_do() {
        for reason in [
            RunRefusal::UnknownJob,
            RunRefusal::Disabled,
            RunRefusal::AlreadyRunning,
            RunRefusal::Other,
        ] {
            assert!(what_to_do(reason).ends_with('.'), "{reason:?}");
        }
    }

    #[tokio::test]
    async fn an_unconfigured_provider_sends_nothing() {
        let action = RunBackupJobAction::new(ProviderHandle::default());
        let mut diags = Diagnostics::default();
        let config = RunBackupJobConfig {
            backup_job_id: Value::Value("6503d48bfc45b1addf0a9632".to_string()),
        };
        let progress = Progress::discarding();
        assert_eq!(action.invoke(&mut diags, config, &progress).await, None);
        assert_eq!(
            diags.errors[0].summary,
            "The JetBackup provider is not configured"
        );
    }
}
