//! The backup job's functions: `manageBackupJob` (a create goes through
//! [`Client::create_once`]), `getBackupJob`, `listBackupJobs`,
//! `deleteBackupJob`, `duplicateBackupJob` (`runBackupJobManually` is in
//! [`super::run`]).

use super::create_once::{created_within, window_end, LOOKUP};
use super::retry::READ;
use super::Client;
use crate::api::error::ApiError;
use crate::api::job::{BackupJob, JobSpec, Param};
use crate::api::models::ListQuery;
use crate::api::wire::Params;

impl Client {
    /// `manageBackupJob action=create`. The reply's job object is the readback.
    ///
    /// A create is the one call that must not simply be sent again: if its
    /// reply is lost (timeout, dropped connection, truncated body, a proxy's
    /// 502/504) the server may have created the job anyway, and a second
    /// request would make a duplicate that no Terraform state knows about.
    /// So after such a failure the client first waits (the retry delay, which
    /// also gives a slow server time to finish), then looks for the job the
    /// lost request may have made, and only re-sends if there is none.
    ///
    /// A job is adopted as the one this call created when all of these hold:
    /// - it has the same name, and the same type, structure and destinations
    ///   where the request set them (the server echoes these verbatim);
    /// - its ObjectId, whose first 8 hex digits are the second the server
    ///   created it, falls inside the call's window (from just before the
    ///   request was sent to the lookup, with [`WINDOW_SLACK_SECS`] of slack);
    /// - no other create of this process has claimed it (claiming is atomic,
    ///   so two concurrent creates of identical jobs take one each).
    ///
    /// If the lost request did commit, its job meets all three, so it is found
    /// (the lookup gets extra retries and runs even when the provider is
    /// stopping): no duplicate. If it did not commit, a job meeting all three
    /// can only be one that someone else created with the same name and
    /// settings within those same seconds; adopting it leaves the server with
    /// exactly the configured job, never a second one. Limits: a server whose
    /// clock is off from this machine's by more than the slack is not
    /// recognised (the job is then created again), and a server that commits a
    /// create only after the lookup (still working when the client gave up)
    /// can end up with two.
    ///
    /// A failure that says the server did nothing (`success: 0` with
    /// `retry_ms`, HTTP 429) is retried as such, without a lookup.
    pub async fn create_backup_job(&self, spec: &JobSpec) -> Result<BackupJob, ApiError> {
        const F: &str = "manageBackupJob";
        let name = spec.name().to_string();
        self.create_once(
            F,
            &spec.create_params(),
            &name,
            |envelope| Self::job(F, envelope).map(|job| (job.id.to_string(), job)),
            |window_start| {
                Box::pin(async move {
                    let found = self.find_created_job(spec, window_start).await?;
                    Ok(found.map(|job| (job.id.to_string(), job)))
                })
            },
        )
        .await
    }

    async fn find_created_job(
        &self,
        spec: &JobSpec,
        window_start: u64,
    ) -> Result<Option<BackupJob>, ApiError> {
        let name = spec.name().to_string();
        let query = ListQuery {
            find: vec![("name".to_string(), name.clone())],
            ..ListQuery::default()
        };
        let mut jobs: Vec<BackupJob> = self
            .list_all("listBackupJobs", "jobs", &query, LOOKUP)
            .await?;
        let window_end = window_end();
        jobs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(jobs.into_iter().find(|j| {
            j.name == name
                && job_matches_spec(j, spec)
                && created_within(&j.id, window_start, window_end)
                && self.claim(&j.id)
        }))
    }

    /// `manageBackupJob action=modify`: only the set fields of `spec` change.
    pub async fn modify_backup_job(&self, id: &str, spec: &JobSpec) -> Result<BackupJob, ApiError> {
        self.claim(id);
        // Re-sending the same modify gives the same result, so it is retried.
        let envelope = self
            .call("manageBackupJob", &spec.modify_params(id), true)
            .await?;
        Self::job("manageBackupJob", envelope)
    }

    pub async fn get_backup_job(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with("getBackupJob", &params, READ).await?;
        Self::job("getBackupJob", envelope)
    }

    /// Every backup job, following the pages.
    pub async fn list_backup_jobs(&self, query: &ListQuery) -> Result<Vec<BackupJob>, ApiError> {
        self.list_all("listBackupJobs", "jobs", query, READ).await
    }

    /// `deleteBackupJob`; a job that is already gone counts as deleted (so a
    /// delete whose reply was lost and that is sent again succeeds).
    pub async fn delete_backup_job(&self, id: &str) -> Result<(), ApiError> {
        self.claim(id);
        let mut params = Params::new();
        params.push("_id", id);
        match self.call("deleteBackupJob", &params, true).await {
            Ok(_) | Err(ApiError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn duplicate_backup_job(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call("duplicateBackupJob", &params, false).await?;
        Self::job("duplicateBackupJob", envelope)
    }
}

/// Whether a job the server holds has what `spec` asked for, in the fields
/// the server echoes verbatim (those `spec` leaves unset match anything).
fn job_matches_spec(job: &BackupJob, spec: &JobSpec) -> bool {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    spec.int(Param::Type).is_none_or(|t| job.job_type == t)
        && spec
            .int(Param::Structure)
            .is_none_or(|s| job.structure == s)
        && spec
            .list(Param::Destination)
            .is_none_or(|d| sorted(d) == sorted(&job.destination.strings()))
}
