//! The typed JetBackup 5 client: one method per API function, on top of a
//! [`Transport`]. Decodes the envelope, turns `success: 0` into
//! [`ApiError::Refused`]/[`ApiError::NotFound`], retries what is safe to
//! retry, caps concurrent calls, and logs each call at debug level with
//! secrets redacted.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::envelope::{Envelope, NotAnEnvelope};
use super::error::{redact_snippet, ApiError};
use super::job::{BackupJob, JobSpec};
use super::models::{
    AccountFilterGroup, Destination, ListPage, ListQuery, Schedule, ScheduleSpec, ScheduleTypeData,
};
use super::transport::Transport;
use super::wire::Params;

/// Default page size of list calls (the server's own default is 100).
pub const PAGE_SIZE: u64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct ClientOptions {
    /// How many times an idempotent call is re-sent after a transient failure.
    pub max_retries: u32,
    /// Calls in flight at once from this client, whatever Terraform's parallelism.
    pub max_concurrent_requests: usize,
    /// First backoff delay; doubled each attempt, with jitter.
    pub retry_base: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_retries: 3,
            max_concurrent_requests: 4,
            retry_base: Duration::from_millis(200),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    options: ClientOptions,
    limiter: Arc<Semaphore>,
    /// Jobs this process created, so a lost-reply recovery never adopts a job
    /// another resource of the same run already owns.
    created: Arc<Mutex<HashSet<String>>>,
    secrets: Arc<Vec<String>>,
}

/// Functions whose `_id` names an existing object: a refusal saying it does
/// not exist becomes [`ApiError::NotFound`].
fn object_kind(function: &str) -> Option<&'static str> {
    match function {
        "getBackupJob" | "deleteBackupJob" | "duplicateBackupJob" | "runBackupJobManually" => {
            Some("backup job")
        }
        "getSchedule" | "deleteSchedule" => Some("schedule"),
        "getDestination" => Some("destination"),
        "getAccountFilterGroup" => Some("account filter group"),
        _ => None,
    }
}

/// Whether a refusal message says the object does not exist. The real
/// server's wording for an unknown `_id` is not documented (inferred from the
/// usual phrasing; the simulator answers "… not found").
pub fn message_means_not_found(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "not found",
        "no such",
        "does not exist",
        "doesn't exist",
        "not exist",
    ]
    .iter()
    .any(|p| m.contains(p))
}

impl Client {
    pub fn new(transport: Arc<dyn Transport>, options: ClientOptions) -> Client {
        let secrets = Arc::new(transport.secrets());
        Client {
            transport,
            limiter: Arc::new(Semaphore::new(options.max_concurrent_requests.max(1))),
            options,
            created: Arc::default(),
            secrets,
        }
    }

    pub fn options(&self) -> ClientOptions {
        self.options
    }

    /// Sends one call and decodes the envelope; `success: 0` is an error.
    /// `idempotent` calls are retried on transient failures.
    pub async fn call(
        &self,
        function: &str,
        params: &Params,
        idempotent: bool,
    ) -> Result<Envelope, ApiError> {
        let mut attempt = 0u32;
        loop {
            let result = self.call_once(function, params).await;
            match result {
                Err(e) if idempotent && e.is_transient() && attempt < self.options.max_retries => {
                    let delay = backoff(self.options.retry_base, attempt);
                    tracing::debug!(function, attempt, delay_ms = delay.as_millis() as u64, error = %e, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn call_once(&self, function: &str, params: &Params) -> Result<Envelope, ApiError> {
        let started = Instant::now();
        let body = {
            // The semaphore is never closed; a closed one would only mean
            // shutting down, reported as cancellation.
            let _permit = self
                .limiter
                .acquire()
                .await
                .map_err(|_| ApiError::Cancelled {
                    function: function.to_string(),
                })?;
            self.transport.call(function, params).await
        };
        let result = body.and_then(|body| self.decode(function, params, &body));
        let outcome = match &result {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        };
        tracing::debug!(
            function,
            params = %params.redacted(),
            duration_ms = started.elapsed().as_millis() as u64,
            outcome = %outcome,
            "jetbackup api call"
        );
        result
    }

    fn decode(&self, function: &str, params: &Params, body: &[u8]) -> Result<Envelope, ApiError> {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        let envelope = Envelope::parse(body).map_err(|e| {
            let reason = match e {
                NotAnEnvelope::NotJson(detail) if detail.contains("EOF") => format!("truncated JSON: {detail}"),
                NotAnEnvelope::NotJson(_) if body.trim_ascii_start().starts_with(b"<") => {
                    "an HTML page, not JSON: is the endpoint the panel's JetBackup API, and is the login accepted?".to_string()
                }
                NotAnEnvelope::NotJson(detail) => format!("not JSON: {detail}"),
                NotAnEnvelope::MissingSuccess => "JSON without a `success` field".to_string(),
            };
            ApiError::BadResponse { function: function.to_string(), reason, snippet: redact_snippet(body, &secrets) }
        })?;
        if envelope.success {
            return Ok(envelope);
        }
        let message = if envelope.message.is_empty() {
            "the server gave no message".to_string()
        } else {
            envelope.message.clone()
        };
        match (object_kind(function), params.get("_id")) {
            (Some(kind), Some(id)) if message_means_not_found(&message) => {
                Err(ApiError::NotFound {
                    function: function.to_string(),
                    kind: kind.to_string(),
                    id: id.to_string(),
                    message,
                })
            }
            // A modify also names destinations, schedules and filter groups;
            // only a message about the job itself means the job is gone.
            _ if function == "manageBackupJob"
                && params.get("action") == Some("modify")
                && message_means_not_found(&message)
                && message.to_ascii_lowercase().contains("job") =>
            {
                Err(ApiError::NotFound {
                    function: function.to_string(),
                    kind: "backup job".to_string(),
                    id: params.get("_id").unwrap_or_default().to_string(),
                    message,
                })
            }
            _ => Err(ApiError::Refused {
                function: function.to_string(),
                message,
            }),
        }
    }

    fn data<T: DeserializeOwned>(function: &str, envelope: Envelope) -> Result<T, ApiError> {
        serde_json::from_value(envelope.data).map_err(|e| ApiError::BadResponse {
            function: function.to_string(),
            reason: format!("`data` does not have the expected shape: {e}"),
            snippet: String::new(),
        })
    }

    fn page<T: DeserializeOwned>(
        function: &str,
        envelope: &Envelope,
        collection: &str,
    ) -> Result<ListPage<T>, ApiError> {
        ListPage::from_data(&envelope.data, collection).map_err(|reason| ApiError::BadResponse {
            function: function.to_string(),
            reason,
            snippet: String::new(),
        })
    }

    /// Calls a list function page by page (`limit`/`skip`) until `total`.
    async fn list_all<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
    ) -> Result<Vec<T>, ApiError> {
        let limit = query.limit.unwrap_or(PAGE_SIZE).max(1);
        let mut skip = query.skip.unwrap_or(0);
        let mut items = Vec::new();
        loop {
            let q = ListQuery {
                limit: Some(limit),
                skip: Some(skip),
                ..query.clone()
            };
            let page: ListPage<T> = self.list_page(function, collection, &q).await?;
            let got = page.items.len() as u64;
            items.extend(page.items);
            skip += got;
            if got == 0 || skip >= page.total {
                return Ok(items);
            }
        }
    }

    pub async fn list_page<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
    ) -> Result<ListPage<T>, ApiError> {
        let params = list_params(query);
        let envelope = self.call(function, &params, true).await?;
        Self::page(function, &envelope, collection)
    }

    async fn get_by_id<T: DeserializeOwned>(
        &self,
        function: &str,
        id: &str,
    ) -> Result<T, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call(function, &params, true).await?;
        Self::data(function, envelope)
    }

    // ---- backup jobs -------------------------------------------------------

    /// `manageBackupJob action=create`. The reply's job object is the readback.
    ///
    /// If the reply is lost after the request went out (timeout, dropped
    /// connection, truncated body) the server may have created the job, so the
    /// request is not blindly re-sent: the job is looked up first. A job is
    /// taken as ours when it has the same name, this process has not already
    /// claimed it, and its ObjectId (whose first 8 hex digits are its creation
    /// second) falls inside the window of the call. Two creates of the same
    /// name in the same second from elsewhere is the only way to adopt the
    /// wrong one; the result is then still a real job with the configured name.
    pub async fn create_backup_job(&self, spec: &JobSpec) -> Result<BackupJob, ApiError> {
        const F: &str = "manageBackupJob";
        let params = spec.create_params();
        let mut attempt = 0u32;
        loop {
            let window_start = unix_now().saturating_sub(2);
            match self.call(F, &params, false).await {
                Ok(envelope) => {
                    let job: BackupJob = Self::data(F, envelope)?;
                    self.claim(&job.id);
                    return Ok(job);
                }
                Err(e) if e.is_transient() && attempt < self.options.max_retries => {
                    let name = spec.name.clone().unwrap_or_default();
                    if let Some(job) = self.find_created_job(&name, window_start).await? {
                        tracing::debug!(function = F, id = %job.id, "create reply lost; adopted the job the server created");
                        return Ok(job);
                    }
                    tokio::time::sleep(backoff(self.options.retry_base, attempt)).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn claim(&self, id: &str) {
        if let Ok(mut set) = self.created.lock() {
            set.insert(id.to_string());
        }
    }

    async fn find_created_job(
        &self,
        name: &str,
        window_start: u64,
    ) -> Result<Option<BackupJob>, ApiError> {
        let query = ListQuery {
            find: vec![("name".to_string(), name.to_string())],
            ..ListQuery::default()
        };
        let jobs: Vec<BackupJob> = self.list_all("listBackupJobs", "jobs", &query).await?;
        let window_end = unix_now() + 2;
        let claimed = self.created.lock().map(|s| s.clone()).unwrap_or_default();
        let found = jobs.into_iter().find(|j| {
            j.name == name
                && !claimed.contains(&j.id)
                && object_id_time(&j.id).is_some_and(|t| t >= window_start && t <= window_end)
        });
        if let Some(job) = &found {
            self.claim(&job.id);
        }
        Ok(found)
    }

    /// `manageBackupJob action=modify`: only the set fields of `spec` change.
    pub async fn modify_backup_job(&self, id: &str, spec: &JobSpec) -> Result<BackupJob, ApiError> {
        // Re-sending the same modify gives the same result, so it is retried.
        let envelope = self
            .call("manageBackupJob", &spec.modify_params(id), true)
            .await?;
        Self::data("manageBackupJob", envelope)
    }

    pub async fn get_backup_job(&self, id: &str) -> Result<BackupJob, ApiError> {
        self.get_by_id("getBackupJob", id).await
    }

    /// Every backup job, following the pages.
    pub async fn list_backup_jobs(&self, query: &ListQuery) -> Result<Vec<BackupJob>, ApiError> {
        self.list_all("listBackupJobs", "jobs", query).await
    }

    /// `deleteBackupJob`; a job that is already gone counts as deleted.
    pub async fn delete_backup_job(&self, id: &str) -> Result<(), ApiError> {
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
        Self::data("duplicateBackupJob", envelope)
    }

    pub async fn run_backup_job_manually(&self, id: &str) -> Result<BackupJob, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call("runBackupJobManually", &params, false).await?;
        Self::data("runBackupJobManually", envelope)
    }

    // ---- schedules ---------------------------------------------------------

    pub async fn list_schedules(&self, query: &ListQuery) -> Result<Vec<Schedule>, ApiError> {
        self.list_all("listSchedules", "schedules", query).await
    }

    pub async fn get_schedule(&self, id: &str) -> Result<Schedule, ApiError> {
        self.get_by_id("getSchedule", id).await
    }

    /// `manageSchedule`: create when `id` is `None`, modify otherwise.
    pub async fn manage_schedule(
        &self,
        id: Option<&str>,
        spec: &ScheduleSpec,
    ) -> Result<Schedule, ApiError> {
        let mut p = Params::new();
        match id {
            None => p.push("action", "create"),
            Some(id) => p.push("action", "modify").push("_id", id),
        };
        if let Some(name) = &spec.name {
            p.push("name", name.as_str());
        }
        if let Some(t) = spec.schedule_type {
            p.push_int("type", t);
        }
        match &spec.type_data {
            Some(ScheduleTypeData::Single(v)) => {
                p.push_int("type_data", *v);
            }
            Some(ScheduleTypeData::Days(days)) => {
                let days: Vec<String> = days.iter().map(i64::to_string).collect();
                p.push_list("type_data", &days);
            }
            Some(ScheduleTypeData::JobId(job)) => {
                p.push("type_data", job.as_str());
            }
            None => {}
        }
        if let Some(v) = spec.delay_type {
            p.push_int("delay_type", v);
        }
        if let Some(v) = spec.delay_amount {
            p.push_int("delay_amount", v);
        }
        let envelope = self.call("manageSchedule", &p, id.is_some()).await?;
        Self::data("manageSchedule", envelope)
    }

    pub async fn delete_schedule(&self, id: &str) -> Result<(), ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        self.call("deleteSchedule", &params, true).await.map(|_| ())
    }

    // ---- destinations and account filter groups (read-only) ---------------

    pub async fn list_destinations(&self, query: &ListQuery) -> Result<Vec<Destination>, ApiError> {
        self.list_all("listDestinations", "destinations", query)
            .await
    }

    pub async fn get_destination(&self, id: &str) -> Result<Destination, ApiError> {
        self.get_by_id("getDestination", id).await
    }

    pub async fn list_account_filter_groups(
        &self,
        query: &ListQuery,
    ) -> Result<Vec<AccountFilterGroup>, ApiError> {
        self.list_all("listAccountFilterGroups", "groups", query)
            .await
    }

    pub async fn get_account_filter_group(&self, id: &str) -> Result<AccountFilterGroup, ApiError> {
        self.get_by_id("getAccountFilterGroup", id).await
    }
}

/// `limit`, `skip`, `sort[field]`, `find[field]`.
pub fn list_params(query: &ListQuery) -> Params {
    let mut p = Params::new();
    if let Some(limit) = query.limit {
        p.push("limit", limit.to_string());
    }
    if let Some(skip) = query.skip {
        p.push("skip", skip.to_string());
    }
    for (field, dir) in &query.sort {
        p.push(format!("sort[{field}]"), dir.to_string());
    }
    for (field, value) in &query.find {
        p.push(format!("find[{field}]"), value.as_str());
    }
    p
}

/// Exponential backoff with up to 50 % jitter.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(6));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let jitter = exp.mul_f64((nanos % 1000) as f64 / 2000.0);
    exp + jitter
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Creation second of a MongoDB ObjectId (its first 8 hex digits).
pub fn object_id_time(id: &str) -> Option<u64> {
    if !is_object_id(id) {
        return None;
    }
    u64::from_str_radix(&id[..8], 16).ok()
}

/// JetBackup IDs are 24-hex-digit MongoDB ObjectIds.
pub fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_id_time_reads_the_creation_second() {
        assert_eq!(object_id_time("6503d48bfc45b1addf0a9632"), Some(0x6503d48b));
        assert_eq!(object_id_time("not-an-id"), None);
    }

    #[test]
    fn not_found_wording() {
        assert!(message_means_not_found("Backup Job not found"));
        assert!(message_means_not_found("No such backup job"));
        assert!(!message_means_not_found("Invalid destination"));
    }

    #[test]
    fn backoff_grows() {
        let b = Duration::from_millis(100);
        assert!(backoff(b, 0) >= b && backoff(b, 0) <= b * 2);
        assert!(backoff(b, 3) >= b * 8);
    }
}
