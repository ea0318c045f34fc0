//! `runBackupJobManually`: asks the server to queue a run of a job now, and
//! says what it answered: queued, or refused and why.
//!
//! The server's refusal texts are not documented (only that a disabled job
//! is not started), so the reason is not read from the wording: after a
//! refusal the job is read back (`getBackupJob`) and its own `disabled` and
//! `running` flags say which refusal it was. The server's message is kept
//! verbatim either way.

use super::reply::clean_message;
use super::retry::READ;
use super::Client;
use crate::api::error::ApiError;
use crate::api::job::BackupJob;
use crate::api::wire::Params;

const F: &str = "runBackupJobManually";

/// What the server answered to `runBackupJobManually`.
#[derive(Debug, Clone, PartialEq)]
pub enum RunAnswer {
    /// Accepted: the job will be added to the queue. Its hooks and
    /// conditions may still abort it; JetBackup records that in its alerts.
    Queued {
        /// The server's message.
        message: String,
        /// The job as the reply returns it (`running`, `last_run`).
        job: Box<BackupJob>,
    },
    /// Refused (`success: 0`): nothing was queued.
    Refused {
        reason: RunRefusal,
        /// The server's message.
        message: String,
    },
}

/// Why a run was refused, as the job's own state tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunRefusal {
    /// No job has this ID on the server.
    UnknownJob,
    /// The job is disabled; it runs once enabled (`disabled = 0`).
    Disabled,
    /// The job is running already; it can run again once that run ends.
    AlreadyRunning,
    /// Something else (the job is enabled and idle, or it could not be
    /// read back); the server's message is all there is.
    Other,
}

impl RunAnswer {
    /// The server's message.
    pub fn message(&self) -> &str {
        match self {
            RunAnswer::Queued { message, .. } | RunAnswer::Refused { message, .. } => message,
        }
    }
}

impl Client {
    /// Asks the server to run the job `id` now. `Ok` whenever the server
    /// answered (queued or refused); `Err` when the call failed otherwise
    /// (not sent, or sent and the reply lost: then the run may have been
    /// queued, and it is never sent again, as a second run is not harmless).
    pub async fn run_backup_job_manually(&self, id: &str) -> Result<RunAnswer, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let message = match self.call(F, &params, false).await {
            Ok(envelope) => {
                let message = clean_message(&envelope.message, &self.secrets.as_strs());
                let job = Box::new(Self::job(F, envelope)?);
                return Ok(RunAnswer::Queued { message, job });
            }
            Err(ApiError::NotFound { message, .. }) => {
                return Ok(RunAnswer::Refused {
                    reason: RunRefusal::UnknownJob,
                    message,
                })
            }
            Err(ApiError::Refused { message, .. }) => message,
            Err(e) => return Err(e),
        };
        let reason = match self.read_job_after_refusal(id).await {
            Ok(job) if *job.disabled => RunRefusal::Disabled,
            Ok(job) if *job.running => RunRefusal::AlreadyRunning,
            Err(ApiError::NotFound { .. }) => RunRefusal::UnknownJob,
            Ok(_) | Err(_) => RunRefusal::Other,
        };
        Ok(RunAnswer::Refused { reason, message })
    }

    async fn read_job_after_refusal(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with("getBackupJob", &params, READ).await?;
        Self::job("getBackupJob", envelope)
    }

    /// What calls reach: the URL (or the `jetbackup5api` command), for
    /// messages that say where something happened.
    pub fn target(&self) -> &str {
        &self.target
    }
}
