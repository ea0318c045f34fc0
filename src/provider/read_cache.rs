//! Read coalescing: Terraform refreshes every resource of a plan in parallel
//! inside one provider process. Instead of one `getBackupJob` per job, the
//! first read fetches `listBackupJobs` (every page) and the reads that follow
//! are answered from that snapshot while it is fresh. Any write from this
//! process invalidates it; a job missing from the snapshot is confirmed with
//! `getBackupJob` before it is declared gone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::api::job::BackupJob;
use crate::api::models::ListQuery;
use crate::api::{ApiError, Client};

/// How long a snapshot answers reads. One Terraform refresh of thousands of
/// jobs completes well within it; the process exits after each command.
const FRESH_FOR: Duration = Duration::from_secs(30);

struct Snapshot {
    taken: Instant,
    generation: u64,
    jobs: Arc<HashMap<String, BackupJob>>,
}

#[derive(Default)]
pub struct ReadCache {
    snapshot: Mutex<Option<Snapshot>>,
    generation: AtomicU64,
    /// Serialises fetches so concurrent readers wait for one list, not N.
    fetching: tokio::sync::Mutex<()>,
}

impl ReadCache {
    /// Forgets the snapshot: called after every write from this process.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn fresh(&self) -> Option<Arc<HashMap<String, BackupJob>>> {
        let current = self.generation.load(Ordering::SeqCst);
        let guard = self.snapshot.lock().ok()?;
        guard
            .as_ref()
            .filter(|s| s.generation == current && s.taken.elapsed() < FRESH_FOR)
            .map(|s| s.jobs.clone())
    }

    async fn jobs(&self, client: &Client) -> Result<Arc<HashMap<String, BackupJob>>, ApiError> {
        if let Some(jobs) = self.fresh() {
            return Ok(jobs);
        }
        let _fetching = self.fetching.lock().await;
        if let Some(jobs) = self.fresh() {
            return Ok(jobs);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let list = client.list_backup_jobs(&ListQuery::default()).await?;
        let jobs: Arc<HashMap<String, BackupJob>> =
            Arc::new(list.into_iter().map(|j| (j.id.clone(), j)).collect());
        if let Ok(mut guard) = self.snapshot.lock() {
            *guard = Some(Snapshot {
                taken: Instant::now(),
                generation,
                jobs: jobs.clone(),
            });
        }
        Ok(jobs)
    }

    /// The jobs the server held when this process last listed them, listing
    /// them now if it never did (or long ago). Unlike reads, this does not
    /// list again after this process's own writes: a caller that knows which
    /// jobs this process wrote (see `Client::is_own`) needs only the others,
    /// and they are the same in any snapshot of this run.
    pub async fn jobs_before_own_writes(
        &self,
        client: &Client,
    ) -> Result<Arc<HashMap<String, BackupJob>>, ApiError> {
        let fetching = self.fetching.lock().await;
        let recent = self.snapshot.lock().ok().and_then(|guard| {
            guard
                .as_ref()
                .filter(|s| s.taken.elapsed() < FRESH_FOR)
                .map(|s| s.jobs.clone())
        });
        if let Some(jobs) = recent {
            return Ok(jobs);
        }
        drop(fetching);
        self.jobs(client).await
    }

    /// The job as the server holds it, from the snapshot where possible.
    pub async fn read_job(&self, client: &Client, id: &str) -> Result<BackupJob, ApiError> {
        match self.jobs(client).await {
            Ok(jobs) => match jobs.get(id) {
                // Listed objects that lack fields the readback needs fall back to get.
                Some(job) if !job.name.is_empty() && job.job_type != 0 => Ok(job.clone()),
                _ => client.get_backup_job(id).await,
            },
            // Refused credentials are this read's error too (and the only
            // full explanation of them this process gives).
            Err(e) if e.is_credentials_refused() => Err(e),
            // Any other list failure must not fail the read: ask for the one job.
            Err(_) => client.get_backup_job(id).await,
        }
    }
}
